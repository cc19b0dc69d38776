//! A typed view of the certificate content, for display and pre-fill.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

/// The holder as the certificate names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holder {
    /// `fn`, with diacritics.
    pub family_name: Option<String>,
    /// `gn`, with diacritics.
    pub given_name: Option<String>,
    /// `fnt`/`gnt`: ICAO 9303 transliteration (A–Z and `<`).
    pub family_name_std: Option<String>,
    pub given_name_std: Option<String>,
    /// `dob`: YYYY, YYYY-MM or YYYY-MM-DD (may be empty).
    pub birth_date: String,
}

impl Holder {
    /// "Family Given" with diacritics when given; the transliteration otherwise.
    pub fn display_name(&self) -> String {
        let pick = |plain: &Option<String>, std: &Option<String>| {
            plain
                .clone()
                .filter(|s| !s.trim().is_empty())
                .or_else(|| std.as_ref().map(|s| s.replace('<', " ").trim().to_owned()))
        };
        [
            pick(&self.family_name, &self.family_name_std),
            pick(&self.given_name, &self.given_name_std),
        ]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
    }

    /// The year of birth, when `dob` has one.
    pub fn birth_year(&self) -> Option<i32> {
        self.birth_date.get(..4)?.parse().ok()
    }

    /// The full date of birth, when `dob` has one.
    pub fn birth_day(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(self.birth_date.get(..10)?, "%Y-%m-%d").ok()
    }
}

/// What the certificate attests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Statement {
    Vaccination {
        /// `dn`/`sd`.
        dose: Option<u32>,
        doses: Option<u32>,
        /// `dt`.
        date: Option<NaiveDate>,
        /// `mp`: the medicinal product code (e.g. EU/1/20/1528).
        product: Option<String>,
        /// `co`: country of vaccination.
        country: Option<String>,
    },
    Test {
        /// `tr`: 260415000 not detected, 260373001 detected.
        result: Option<String>,
        /// `sc`: sample collection time as written.
        sampled: Option<String>,
    },
    Recovery {
        /// `fr`: first positive test.
        first_positive: Option<NaiveDate>,
        valid_until: Option<NaiveDate>,
    },
    /// None of `v`, `t`, `r` could be read.
    Unreadable,
}

fn text(obj: &Value, key: &str) -> Option<String> {
    obj.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn date(obj: &Value, key: &str) -> Option<NaiveDate> {
    let s = obj.get(key)?.as_str()?;
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

fn count(obj: &Value, key: &str) -> Option<u32> {
    obj.get(key)?.as_u64().and_then(|n| u32::try_from(n).ok())
}

/// Reads the holder.
pub fn holder(cert: &Value) -> Holder {
    let nam = cert.get("nam").cloned().unwrap_or(Value::Null);
    Holder {
        family_name: text(&nam, "fn"),
        given_name: text(&nam, "gn"),
        family_name_std: text(&nam, "fnt"),
        given_name_std: text(&nam, "gnt"),
        birth_date: text(cert, "dob").unwrap_or_default(),
    }
}

/// Reads the statement; with several entries (old schemas allowed it) the latest dose.
pub fn statement(cert: &Value) -> Statement {
    let entries = |key: &str| {
        cert.get(key)
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())
    };
    if let Some(v) = entries("v") {
        let latest = v
            .iter()
            .max_by_key(|e| (date(e, "dt"), count(e, "dn")))
            .unwrap_or(&Value::Null);
        return Statement::Vaccination {
            dose: count(latest, "dn"),
            doses: count(latest, "sd"),
            date: date(latest, "dt"),
            product: text(latest, "mp"),
            country: text(latest, "co"),
        };
    }
    if let Some(t) = entries("t") {
        let first = &t[0];
        return Statement::Test {
            result: text(first, "tr"),
            sampled: text(first, "sc"),
        };
    }
    if let Some(r) = entries("r") {
        let first = &r[0];
        return Statement::Recovery {
            first_positive: date(first, "fr"),
            valid_until: date(first, "du"),
        };
    }
    Statement::Unreadable
}

/// The group key (`v`, `t` or `r`) the certificate uses, when exactly one.
pub fn kind(cert: &Value) -> Option<&'static str> {
    let present: Vec<&'static str> = ["v", "t", "r"]
        .into_iter()
        .filter(|k| cert.get(*k).is_some())
        .collect();
    match present.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}
