//! Reading an address as printed on an ID card (old three-level or current
//! two-level names) and mapping it to the current province and ward.
//!
//! The text is split on commas; the last part is the province, the one before
//! it the district (old form) or the ward (current form), the one before that
//! the old ward. Both readings are tried; the current ward is given only when
//! they agree on one, otherwise only the province (with candidates if any).

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use super::data::{
    DistrictKind, LegacyDistrict, LegacyProvince, LegacyWard, Names, Province, Tables, Ward, tables,
};
use super::fold::{NamePart, Prefix};
use super::search::{province_kind_fits, ward_kind_fits};
use checkpoint_i18n::Message;
use checkpoint_i18n::fl;

/// How much of an address could be mapped to the current units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Confidence {
    /// Province and ward are certain.
    Exact,
    /// The province is certain, the ward is not (not written, unknown, or an
    /// old ward split into several current ones: see
    /// [`MappedAddress::ward_candidates`]).
    ProvinceOnly,
    /// Not even the province was recognised.
    None,
}

/// The result of [`map_address`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedAddress {
    /// How much was mapped.
    pub confidence: Confidence,
    /// The current province, when certain.
    pub province: Option<&'static Province>,
    /// The current ward, only when certain (`confidence == Exact`).
    pub ward: Option<&'static Ward>,
    /// When the ward is not certain: the current wards it may be, most likely
    /// first, for a picker to offer. Empty when there is no clue.
    pub ward_candidates: Vec<&'static Ward>,
    /// What precedes the recognised names: house number, street, hamlet
    /// ("Thôn Đông"). The whole text when nothing was recognised.
    pub street: String,
    /// The old province the text names, if it names one.
    pub old_province: Option<&'static LegacyProvince>,
    /// The old district recognised (old-form addresses).
    pub old_district: Option<&'static LegacyDistrict>,
    /// The old ward recognised (old-form addresses).
    pub old_ward: Option<&'static LegacyWard>,
}

impl MappedAddress {
    /// A note for the visitor or staff saying what was done with the card's address.
    pub fn message(&self) -> Message {
        match (self.confidence, self.province, self.ward) {
            (Confidence::Exact, Some(p), Some(w)) => Message::new(fl!("address-mapped-exact"))
                .arg("ward", &w.name)
                .arg("province", &p.name),
            (Confidence::ProvinceOnly, Some(p), _) => {
                Message::new(fl!("address-mapped-province-only")).arg("province", &p.name)
            }
            _ => Message::new(fl!("address-not-recognised")),
        }
    }
}

/// Maps an address as printed on an ID card to the current province and ward.
///
/// Accepts old three-level addresses ("Thôn Đông, Xã Quỳnh Hoa, Huyện Quỳnh
/// Phụ, Tỉnh Thái Bình"), short ones without type words ("Tổ 10, Kp Phước
/// Hiệp, Hiệp Phước, Nhơn Trạch, Đồng Nai") and current two-level ones
/// ("Phường Hoàn Kiếm, Thành phố Hà Nội"). Any text is accepted.
pub fn map_address(text: &str) -> MappedAddress {
    let t = tables();
    let parts = split_parts(text);
    let n = parts.len();
    let Some(last) = parts.last() else {
        return unrecognised(String::new());
    };
    let province_part = NamePart::parse(last);
    let new_p = match_new_province(t, &province_part);
    let old_p = match_old_province(t, &province_part);
    if new_p.is_none() && old_p.is_none() {
        return unrecognised(join(&parts));
    }
    let second = (n >= 2).then(|| NamePart::parse(parts[n - 2]));
    let third = (n >= 3).then(|| NamePart::parse(parts[n - 3]));

    // Current form: ..., ward, province. An old province name with a current
    // ward's name is read in the province it merged into.
    let current_province = match (new_p, old_p) {
        (Some(p), _) => Some(t.provinces[p].code.as_str()),
        (None, Some(op)) => Some(t.legacy_provinces[op].new_province_code.as_str()),
        (None, None) => None,
    };
    let new_ward = match (current_province, &second) {
        (Some(code), Some(s)) => match_new_ward(t, s, code),
        _ => None,
    };
    // Old form: ..., ward, district, province (or ..., ward, province).
    let old = match old_p {
        Some(p) => read_old(t, p, second.as_ref(), third.as_ref()),
        None => OldReading::default(),
    };

    let old_province = old_p.map(|i| &t.legacy_provinces[i]);
    let province_code = match (old.matched_below_province(), new_p, old_province) {
        (true, _, Some(op)) => op.new_province_code.as_str(),
        (_, Some(p), _) => t.provinces[p].code.as_str(),
        (_, None, Some(op)) => op.new_province_code.as_str(),
        (_, None, None) => return unrecognised(join(&parts)),
    };
    let Some(province) = t.province(province_code) else {
        return unrecognised(join(&parts));
    };
    let verdict = decide(t, &old, new_ward, new_p.is_some());
    let ward = verdict.ward.and_then(|code| t.ward(code));
    let street_parts = n.saturating_sub(verdict.parts_used);
    MappedAddress {
        confidence: if ward.is_some() {
            Confidence::Exact
        } else {
            Confidence::ProvinceOnly
        },
        province: Some(province),
        ward,
        ward_candidates: candidate_wards(t, &verdict),
        street: join(&parts[..street_parts]),
        old_province,
        old_district: match old.districts.as_slice() {
            [d] => Some(&t.legacy_districts[*d]),
            _ => None,
        },
        old_ward: old
            .ward_via_district
            .or(old.ward_direct)
            .map(|w| &t.legacy_wards[w]),
    }
}

/// The verdict's candidates as wards: known codes, once each, not the chosen ward.
fn candidate_wards(t: &'static Tables, verdict: &Verdict) -> Vec<&'static Ward> {
    let mut wards: Vec<&'static Ward> = Vec::new();
    let known = verdict.candidates.iter().filter_map(|code| t.ward(code));
    for w in known.filter(|w| Some(w.code.as_str()) != verdict.ward) {
        if !wards.contains(&w) {
            wards.push(w);
        }
    }
    wards
}

fn unrecognised(street: String) -> MappedAddress {
    MappedAddress {
        confidence: Confidence::None,
        province: None,
        ward: None,
        ward_candidates: Vec::new(),
        street,
        old_province: None,
        old_district: None,
        old_ward: None,
    }
}

/// Comma-separated parts, trimmed, empty ones and a trailing country dropped.
fn split_parts(text: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = text
        .split([',', ';', '\n', '\r', '，'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    while parts
        .last()
        .is_some_and(|p| matches!(super::fold::fold_key(p).as_str(), "vietnam" | "vn"))
    {
        parts.pop();
    }
    parts
}

fn join(parts: &[&str]) -> String {
    parts.join(", ").nfc().collect()
}

/// What the old three-level reading found (indices into the legacy tables).
#[derive(Debug, Default)]
struct OldReading {
    /// Districts the second-to-last part names (several when a name is shared
    /// or the district was split later).
    districts: Vec<usize>,
    /// The old ward named by the third-to-last part, within those districts.
    ward_via_district: Option<usize>,
    /// The old ward named by the second-to-last part, no district written.
    ward_direct: Option<usize>,
}

impl OldReading {
    fn matched_below_province(&self) -> bool {
        !self.districts.is_empty() || self.ward_direct.is_some()
    }
}

fn read_old(
    t: &Tables,
    province: usize,
    second: Option<&NamePart>,
    third: Option<&NamePart>,
) -> OldReading {
    let mut old = OldReading::default();
    let Some(second) = second else {
        return old;
    };
    let province_code = &t.legacy_provinces[province].code;
    old.districts = match_old_districts(t, second, province_code);
    if old.districts.is_empty() {
        old.ward_direct = match_old_ward(t, second, Kind::Required, |w| {
            t.legacy_district(&w.district_code)
                .is_some_and(|d| &d.province_code == province_code)
        });
    } else if let Some(third) = third {
        let districts: Vec<&str> = old
            .districts
            .iter()
            .map(|&d| t.legacy_districts[d].code.as_str())
            .collect();
        old.ward_via_district = match_old_ward(t, third, Kind::Preferred, |w| {
            districts.contains(&w.district_code.as_str())
        });
    }
    old
}

/// The decision: which current ward (if any) and how many trailing parts
/// (province included) the names used.
struct Verdict<'a> {
    ward: Option<&'a str>,
    candidates: Vec<&'a str>,
    parts_used: usize,
}

fn decide<'a>(
    t: &'a Tables,
    old: &OldReading,
    new_ward: Option<usize>,
    province_is_current: bool,
) -> Verdict<'a> {
    let new_code = new_ward.map(|w| t.wards[w].code.as_str());
    let targets = |w: usize| -> Vec<&'a str> {
        t.legacy_wards[w]
            .new_ward_codes
            .iter()
            .map(String::as_str)
            .collect()
    };
    let certain = |ward: &'a str, parts_used| Verdict {
        ward: Some(ward),
        candidates: Vec::new(),
        parts_used,
    };
    let unsure = |candidates: Vec<&'a str>, parts_used| Verdict {
        ward: None,
        candidates,
        parts_used,
    };

    // Old ward within its district: three names agree, nothing beats that.
    if let Some(w) = old.ward_via_district {
        return match targets(w).as_slice() {
            [one] => certain(one, 3),
            several => unsure(several.to_vec(), 3),
        };
    }
    // A district but no ward: the district may have become one ward whole
    // (islands); else the part may also be a current ward's name ("Hoàn Kiếm").
    if !old.districts.is_empty() {
        let whole = match old.districts.as_slice() {
            [d] => t.legacy_district_whole[*d].as_deref(),
            _ => None,
        };
        return match (whole, new_code) {
            (Some(w), None) => certain(w, 2),
            (Some(w), Some(n)) if w == n => certain(w, 2),
            (w, n) => unsure(w.into_iter().chain(n).collect(), 2),
        };
    }
    // An old ward named right before the province, without its district.
    // "Ward, province" is the current form: when the province is written
    // with a current name, a current ward of that name wins.
    if let Some(w) = old.ward_direct {
        let set = targets(w);
        return match (new_code, set.as_slice()) {
            (Some(n), _) if set.contains(&n) || province_is_current => certain(n, 2),
            (Some(n), _) => unsure(std::iter::once(n).chain(set.iter().copied()).collect(), 2),
            (None, [one]) => certain(one, 2),
            (None, several) => unsure(several.to_vec(), 2),
        };
    }
    match new_code {
        Some(n) => certain(n, 2),
        None => unsure(Vec::new(), 1),
    }
}

// ---- matching one part against one level ----

/// Whether a type word that fits the level must also fit the unit's kind.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Units of the written kind are preferred, others still match: a card
    /// printed years ago may say "Xã" of what became a "Thị trấn".
    Preferred,
    /// Only units of the written kind match (no district to confirm the name).
    Required,
}

/// Picks the unit(s) a part names, among those `lookup` gives for a key. The
/// type word must fit the level (`level_ok`), and the unit's kind (`kind_ok`)
/// as `kind` says; names that fold alike are told apart by their diacritics.
fn pick(
    part: &NamePart,
    names: &[Names],
    lookup: impl Fn(&str) -> Vec<usize>,
    level_ok: impl Fn(Prefix) -> bool,
    kind_ok: impl Fn(usize, Prefix) -> bool,
    kind: Kind,
) -> Vec<usize> {
    let mut found = match part.prefix {
        Some(p) if level_ok(p) => lookup(&part.key),
        _ => Vec::new(),
    };
    let mut prefix = part.prefix.filter(|&p| level_ok(p));
    if found.is_empty() {
        // No type word, one of another level, or the "type word" was the
        // first syllable of the name: try the whole text.
        found = lookup(&part.whole_key);
        prefix = None;
    }
    if let Some(p) = prefix {
        let of_kind: Vec<usize> = found.iter().copied().filter(|&i| kind_ok(i, p)).collect();
        if !of_kind.is_empty() || kind == Kind::Required {
            found = of_kind;
        }
    }
    if found.len() > 1 {
        let accented = if prefix.is_some() {
            &part.accented
        } else {
            &part.whole_accented
        };
        let same: Vec<usize> = found
            .iter()
            .copied()
            .filter(|&i| names[i].accented == *accented)
            .collect();
        if !same.is_empty() {
            found = same;
        }
    }
    found
}

fn unique(found: Vec<usize>) -> Option<usize> {
    match found.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

fn by_key(names: &[Names], key: &str) -> Vec<usize> {
    names
        .iter()
        .enumerate()
        .filter(|(_, n)| n.key == key || n.aliases.iter().any(|a| a == key))
        .map(|(i, _)| i)
        .collect()
}

/// The units `index` lists under `key` that `keep` accepts.
fn keyed(
    index: &HashMap<String, Vec<usize>>,
    key: &str,
    keep: impl Fn(usize) -> bool,
) -> Vec<usize> {
    index
        .get(key)
        .map(|found| found.iter().copied().filter(|&i| keep(i)).collect())
        .unwrap_or_default()
}

fn match_new_province(t: &Tables, part: &NamePart) -> Option<usize> {
    unique(pick(
        part,
        &t.province_names,
        |key| by_key(&t.province_names, key),
        Prefix::is_province_level,
        |i, p| province_kind_fits(t.provinces[i].kind, p),
        Kind::Preferred,
    ))
}

fn match_old_province(t: &Tables, part: &NamePart) -> Option<usize> {
    unique(pick(
        part,
        &t.legacy_province_names,
        |key| by_key(&t.legacy_province_names, key),
        Prefix::is_province_level,
        |i, p| province_kind_fits(t.legacy_provinces[i].kind, p),
        Kind::Preferred,
    ))
}

fn match_new_ward(t: &Tables, part: &NamePart, province_code: &str) -> Option<usize> {
    let lookup = |key: &str| {
        keyed(&t.ward_keys, key, |i| {
            t.wards[i].province_code == province_code
        })
    };
    unique(pick(
        part,
        &t.ward_names,
        lookup,
        |p| p.is_ward_level() && p != Prefix::ThiTran,
        |i, p| ward_kind_fits(t.wards[i].kind, p),
        Kind::Preferred,
    ))
}

fn match_old_districts(t: &Tables, part: &NamePart, province_code: &str) -> Vec<usize> {
    let lookup = |key: &str| {
        keyed(&t.legacy_district_keys, key, |i| {
            t.legacy_districts[i].province_code == province_code
        })
    };
    pick(
        part,
        &t.legacy_district_names,
        lookup,
        Prefix::is_district_level,
        |i, p| district_kind_fits(t.legacy_districts[i].kind, p),
        Kind::Preferred,
    )
}

fn district_kind_fits(kind: DistrictKind, prefix: Prefix) -> bool {
    matches!(
        (kind, prefix),
        (DistrictKind::Urban, Prefix::Quan)
            | (DistrictKind::Rural, Prefix::Huyen)
            | (DistrictKind::Town, Prefix::ThiXa)
            | (DistrictKind::City, Prefix::ThanhPho)
    )
}

fn match_old_ward(
    t: &Tables,
    part: &NamePart,
    kind: Kind,
    in_scope: impl Fn(&LegacyWard) -> bool,
) -> Option<usize> {
    let lookup = |key: &str| keyed(&t.legacy_ward_keys, key, |i| in_scope(&t.legacy_wards[i]));
    unique(pick(
        part,
        &t.legacy_ward_names,
        lookup,
        |p| p.is_ward_level() && p != Prefix::DacKhu,
        |i, p| ward_kind_fits(t.legacy_wards[i].kind, p),
        kind,
    ))
}
