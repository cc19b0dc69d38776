//! The DCC content rules (EU DCC JSON schema, by version): required fields,
//! types, lengths, patterns. Formats (date, date-time) are annotations in the
//! schema, not rules, so they are not enforced here; the typed view reads them.

use serde::Serialize;
use serde_json::{Map, Value};

/// One broken rule: where (a JSON pointer) and which rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemaIssue {
    pub path: String,
    pub rule: &'static str,
}

/// Limits that changed between schema versions.
struct Rules {
    text_max: usize,
    dose_max: Option<i64>,
    groups_max: Option<usize>,
    dob_may_be_empty: bool,
    dob_may_have_time: bool,
    transliteration_pattern: bool,
}

fn rules_for(version: &str) -> Rules {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    let modern = major > 1 || (major == 1 && minor >= 3);
    Rules {
        text_max: if modern { 80 } else { 50 },
        dose_max: (!modern).then_some(9),
        groups_max: modern.then_some(1),
        dob_may_be_empty: modern,
        dob_may_have_time: major == 1 && minor == 0,
        transliteration_pattern: !(major == 1 && minor == 0),
    }
}

/// Checks a certificate (the JSON under CWT claim -260/1) against the schema
/// of the version it declares.
pub fn validate(cert: &Value) -> Vec<SchemaIssue> {
    let mut v = Validator { issues: Vec::new() };
    let Some(obj) = cert.as_object() else {
        v.fail("", "type");
        return v.issues;
    };
    let version = obj.get("ver").and_then(Value::as_str).unwrap_or("");
    let rules = rules_for(version);
    for key in ["ver", "nam", "dob"] {
        v.required(obj, "", key);
    }
    if let Some(ver) = obj.get("ver") {
        v.string(ver, "/ver", None, Some(&is_semver));
    }
    if let Some(nam) = obj.get("nam") {
        v.name(nam, &rules);
    }
    if let Some(dob) = obj.get("dob") {
        let dob_ok = |s: &str| {
            (rules.dob_may_be_empty && s.is_empty()) || is_birth_date(s, rules.dob_may_have_time)
        };
        v.string(dob, "/dob", None, Some(&dob_ok));
    }
    let groups: Vec<&str> = ["v", "t", "r"]
        .into_iter()
        .filter(|g| obj.get(*g).is_some())
        .collect();
    if groups.len() != 1 {
        v.fail("", "one-of-v-t-r");
    }
    for group in groups {
        v.group(obj, group, &rules);
    }
    v.issues
}

struct Validator {
    issues: Vec<SchemaIssue>,
}

impl Validator {
    fn fail(&mut self, path: &str, rule: &'static str) {
        self.issues.push(SchemaIssue {
            path: path.to_owned(),
            rule,
        });
    }

    fn required(&mut self, obj: &Map<String, Value>, path: &str, key: &str) {
        if !obj.contains_key(key) {
            self.fail(&format!("{path}/{key}"), "required");
        }
    }

    fn string(
        &mut self,
        value: &Value,
        path: &str,
        max: Option<usize>,
        pattern: Option<&dyn Fn(&str) -> bool>,
    ) {
        let Some(s) = value.as_str() else {
            self.fail(path, "type");
            return;
        };
        if max.is_some_and(|max| s.chars().count() > max) {
            self.fail(path, "max-length");
        }
        if pattern.is_some_and(|p| !p(s)) {
            self.fail(path, "pattern");
        }
    }

    fn name(&mut self, nam: &Value, rules: &Rules) {
        let Some(obj) = nam.as_object() else {
            self.fail("/nam", "type");
            return;
        };
        self.required(obj, "/nam", "fnt");
        let translit = |s: &str| s.bytes().all(|b| b.is_ascii_uppercase() || b == b'<');
        for key in ["fn", "gn", "fnt", "gnt"] {
            if let Some(value) = obj.get(key) {
                let pattern: Option<&dyn Fn(&str) -> bool> =
                    (key.ends_with('t') && rules.transliteration_pattern).then_some(&translit);
                self.string(value, &format!("/nam/{key}"), Some(rules.text_max), pattern);
            }
        }
    }

    fn group(&mut self, obj: &Map<String, Value>, group: &str, rules: &Rules) {
        let path = format!("/{group}");
        let Some(items) = obj.get(group).and_then(Value::as_array) else {
            self.fail(&path, "type");
            return;
        };
        if items.is_empty() {
            self.fail(&path, "min-items");
        }
        if rules.groups_max.is_some_and(|max| items.len() > max) {
            self.fail(&path, "max-items");
        }
        for (i, item) in items.iter().enumerate() {
            self.entry(item, &format!("{path}/{i}"), group, rules);
        }
    }

    fn entry(&mut self, item: &Value, path: &str, group: &str, rules: &Rules) {
        let Some(entry) = item.as_object() else {
            self.fail(path, "type");
            return;
        };
        let required: &[&str] = match group {
            "v" => &["tg", "vp", "mp", "ma", "dn", "sd", "dt", "co", "is", "ci"],
            "t" => &["tg", "tt", "sc", "tr", "tc", "co", "is", "ci"],
            _ => &["tg", "fr", "co", "is", "df", "du", "ci"],
        };
        for key in required {
            self.required(entry, path, key);
        }
        let country = |s: &str| s.as_bytes().iter().any(u8::is_ascii_uppercase);
        for (key, value) in entry {
            let at = format!("{path}/{key}");
            match key.as_str() {
                "dn" | "sd" => self.dose(value, &at, rules),
                "co" => self.string(value, &at, None, Some(&country)),
                "is" | "ci" | "tc" => self.string(value, &at, Some(rules.text_max), None),
                "nm" if rules.groups_max.is_some() => {
                    self.string(value, &at, Some(rules.text_max), None)
                }
                "tg" | "vp" | "mp" | "ma" | "tt" | "tr" | "nm" | "dt" | "sc" | "dr" | "fr"
                | "df" | "du" => {
                    self.string(value, &at, None, None);
                }
                _ => {}
            }
        }
    }

    fn dose(&mut self, value: &Value, path: &str, rules: &Rules) {
        // JSON Schema integers include 2.0; CBOR floats with no fraction count.
        let n = value.as_i64().or_else(|| {
            value
                .as_f64()
                .filter(|f| f.fract() == 0.0)
                .map(|f| f as i64)
        });
        match n {
            None => self.fail(path, "type"),
            Some(n) if n < 1 || rules.dose_max.is_some_and(|max| n > max) => {
                self.fail(path, "range")
            }
            Some(_) => {}
        }
    }
}

/// `^\d+.\d+.\d+$` (the schema's dot matches any character).
fn is_semver(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    for part in 0..3 {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
        if part < 2 {
            if i >= b.len() {
                return false;
            }
            i += s[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    i == b.len()
}

/// `^(19|20)\d\d(-\d\d){0,2}$`, optionally followed by `THH:MM:SS` (schema 1.0).
fn is_birth_date(s: &str, time_allowed: bool) -> bool {
    let (date, time) = match s.split_once('T') {
        Some((d, t)) if time_allowed => (d, Some(t)),
        _ => (s, None),
    };
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    let mut parts = date.split('-');
    let year_ok = parts
        .next()
        .is_some_and(|y| digits(y, 4) && (y.starts_with("19") || y.starts_with("20")));
    let rest: Vec<&str> = parts.collect();
    let time_ok = time.is_none_or(|t| {
        let hms: Vec<&str> = t.split(':').collect();
        hms.len() == 3 && hms.iter().all(|p| digits(p, 2))
    });
    year_ok && rest.len() <= 2 && rest.iter().all(|p| digits(p, 2)) && time_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn vaccination() -> Value {
        json!({"ver": "1.3.0", "nam": {"fn": "Nguyễn", "fnt": "NGUYEN", "gn": "Văn An", "gnt": "VAN<AN"},
               "dob": "1990-01-02",
               "v": [{"tg": "840539006", "vp": "J07BX03", "mp": "EU/1/20/1528", "ma": "ORG-100030215",
                      "dn": 2, "sd": 2, "dt": "2021-12-20", "co": "VN", "is": "Bộ Y tế", "ci": "URN:UVCI:01:VN:1"}]})
    }

    #[test]
    fn a_complete_certificate_passes() {
        assert_eq!(validate(&vaccination()), vec![]);
    }

    #[test]
    fn broken_rules_are_named() {
        let mut cert = vaccination();
        cert["nam"]["fnt"] = json!("Nguyen");
        cert["v"][0]["dn"] = json!(0);
        cert["dob"] = json!("12-01-1990");
        cert["t"] = json!([]);
        let rules: Vec<_> = validate(&cert)
            .into_iter()
            .map(|i| (i.path, i.rule))
            .collect();
        assert!(rules.contains(&("/nam/fnt".into(), "pattern")));
        assert!(rules.contains(&("/v/0/dn".into(), "range")));
        assert!(rules.contains(&("/dob".into(), "pattern")));
        assert!(rules.contains(&("".into(), "one-of-v-t-r")));
    }

    #[test]
    fn semver_and_birth_date_shapes() {
        assert!(
            is_semver("1.3.0") && is_semver("10x2y3") && !is_semver("1.3") && !is_semver("v1.3.0")
        );
        assert!(is_birth_date("1979", false) && is_birth_date("1979-04", false));
        assert!(!is_birth_date("1879-04-01", false) && !is_birth_date("1979-4-01", false));
        assert!(
            is_birth_date("1979-04-14T00:00:00", true)
                && !is_birth_date("1979-04-14T00:00:00", false)
        );
    }
}
