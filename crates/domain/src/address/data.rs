//! The embedded tables (assets/admin-units/*.tsv), parsed once on first use.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use serde::Serialize;

use super::fold::{accented_key, fold_key, fold_words};

const PROVINCES_TSV: &str = include_str!("../../assets/admin-units/provinces.tsv");
const WARDS_TSV: &str = include_str!("../../assets/admin-units/wards.tsv");
const LEGACY_PROVINCES_TSV: &str = include_str!("../../assets/admin-units/legacy_provinces.tsv");
const LEGACY_DISTRICTS_TSV: &str = include_str!("../../assets/admin-units/legacy_districts.tsv");
const LEGACY_WARDS_TSV: &str = include_str!("../../assets/admin-units/legacy_wards.tsv");

/// Whether a province-level unit is a province or a centrally governed city.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ProvinceKind {
    /// Tỉnh.
    Province,
    /// Thành phố (trực thuộc trung ương).
    City,
}

/// The type of a ward-level unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum WardKind {
    /// Phường (urban ward).
    Ward,
    /// Xã (rural commune).
    Commune,
    /// Đặc khu (special zone, islands; since July 2025).
    SpecialZone,
    /// Thị trấn (township; abolished in July 2025, only on old addresses).
    Township,
}

/// The type of a district (old addresses only: districts were abolished in July 2025).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum DistrictKind {
    /// Quận (urban district).
    Urban,
    /// Huyện (rural district).
    Rural,
    /// Thị xã (town).
    Town,
    /// Thành phố (provincial city).
    City,
}

impl ProvinceKind {
    fn from_letter(letter: &str) -> Option<Self> {
        match letter {
            "T" => Some(Self::Province),
            "C" => Some(Self::City),
            _ => None,
        }
    }

    /// The Vietnamese type word written before the name.
    pub fn word(self) -> &'static str {
        match self {
            Self::Province => "Tỉnh",
            Self::City => "Thành phố",
        }
    }
}

impl WardKind {
    fn from_letter(letter: &str) -> Option<Self> {
        match letter {
            "P" => Some(Self::Ward),
            "X" => Some(Self::Commune),
            "D" => Some(Self::SpecialZone),
            "T" => Some(Self::Township),
            _ => None,
        }
    }

    /// The Vietnamese type word written before the name.
    pub fn word(self) -> &'static str {
        match self {
            Self::Ward => "Phường",
            Self::Commune => "Xã",
            Self::SpecialZone => "Đặc khu",
            Self::Township => "Thị trấn",
        }
    }
}

impl DistrictKind {
    fn from_letter(letter: &str) -> Option<Self> {
        match letter {
            "Q" => Some(Self::Urban),
            "H" => Some(Self::Rural),
            "X" => Some(Self::Town),
            "C" => Some(Self::City),
            _ => None,
        }
    }

    /// The Vietnamese type word written before the name.
    pub fn word(self) -> &'static str {
        match self {
            Self::Urban => "Quận",
            Self::Rural => "Huyện",
            Self::Town => "Thị xã",
            Self::City => "Thành phố",
        }
    }
}

/// One of the 34 provinces and centrally governed cities (since 1 July 2025).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Province {
    /// Two-digit official code, e.g. "01" (Hà Nội), "79" (Hồ Chí Minh).
    pub code: String,
    /// Full name with its type word: "Thành phố Hà Nội".
    pub name: String,
    /// Name without the type word: "Hà Nội".
    pub short_name: String,
    /// Province or city.
    pub kind: ProvinceKind,
}

/// One of the 3,321 wards, communes and special zones (since 1 July 2025).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ward {
    /// Five-digit official code, e.g. "00070" (Phường Hoàn Kiếm).
    pub code: String,
    /// Full name with its type word: "Phường Hoàn Kiếm".
    pub name: String,
    /// Name without the type word: "Hoàn Kiếm".
    pub short_name: String,
    /// Ward, commune or special zone.
    pub kind: WardKind,
    /// Code of the province it belongs to.
    pub province_code: String,
}

/// A province as it was until 30 June 2025 (63 of them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LegacyProvince {
    /// Two-digit old code (the CCCD number's first digits use these).
    pub code: String,
    /// Full old name: "Tỉnh Thái Bình".
    pub name: String,
    /// Province or city.
    pub kind: ProvinceKind,
    /// The current province it is now part of.
    pub new_province_code: String,
}

/// A district as it was until 30 June 2025.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LegacyDistrict {
    /// Three-digit old code.
    pub code: String,
    /// Full old name: "Huyện Quỳnh Phụ".
    pub name: String,
    /// Quận, huyện, thị xã or thành phố.
    pub kind: DistrictKind,
    /// Old province code.
    pub province_code: String,
}

/// A ward as it was until 30 June 2025.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LegacyWard {
    /// Five-digit old code.
    pub code: String,
    /// Full old name: "Xã Quỳnh Hoa".
    pub name: String,
    /// Phường, xã or thị trấn.
    pub kind: WardKind,
    /// Old district code.
    pub district_code: String,
    /// The current ward(s) its area went to: one when it was merged whole,
    /// several when it was split (the source's most likely one first).
    pub new_ward_codes: Vec<String>,
}

/// How many units of each table were loaded (for tests and diagnostics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DataSummary {
    /// Current provinces (34).
    pub provinces: usize,
    /// Current wards/communes/special zones (3,321).
    pub wards: usize,
    /// Old provinces (63).
    pub legacy_provinces: usize,
    /// Old districts (696).
    pub legacy_districts: usize,
    /// Old wards (10,035).
    pub legacy_wards: usize,
    /// Lines of the embedded files that could not be read (0 unless the
    /// assets were edited by hand).
    pub malformed_lines: usize,
}

/// What search and matching need about one named unit.
#[derive(Debug)]
pub(crate) struct Names {
    /// Folded key of the short name.
    pub key: String,
    /// Folded words of the short name.
    pub words: Vec<String>,
    /// Accented lower-case short name (tie-breaker).
    pub accented: String,
    /// Other folded keys the unit is known by (former names, abbreviations).
    pub aliases: Vec<String>,
    /// Folded names of the units merged into this one in 2025 (provinces
    /// only: "thaibinh" for Hưng Yên). Search only, never mapping: a
    /// visitor typing the province they know still finds the current one.
    pub merged: Vec<String>,
}

impl Names {
    fn new(short_name: &str, aliases: &str) -> Self {
        Names {
            key: fold_key(short_name),
            words: fold_words(short_name),
            accented: accented_key(short_name),
            aliases: aliases
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(fold_key)
                .collect(),
            merged: Vec::new(),
        }
    }
}

#[derive(Debug)]
pub(crate) struct Tables {
    pub provinces: Vec<Province>,
    pub province_names: Vec<Names>,
    /// Sorted by province code, then by folded name, so one province's wards are a slice.
    pub wards: Vec<Ward>,
    pub ward_names: Vec<Names>,
    pub ward_ranges: HashMap<String, Range<usize>>,
    pub province_index: HashMap<String, usize>,
    pub ward_index: HashMap<String, usize>,
    /// Folded name or alias -> current wards with it.
    pub ward_keys: HashMap<String, Vec<usize>>,
    pub legacy_provinces: Vec<LegacyProvince>,
    pub legacy_province_names: Vec<Names>,
    pub legacy_districts: Vec<LegacyDistrict>,
    pub legacy_district_names: Vec<Names>,
    /// The one current ward a whole old district became (island districts and a few others).
    pub legacy_district_whole: Vec<Option<String>>,
    pub legacy_district_keys: HashMap<String, Vec<usize>>,
    pub legacy_district_index: HashMap<String, usize>,
    pub legacy_wards: Vec<LegacyWard>,
    pub legacy_ward_names: Vec<Names>,
    pub legacy_ward_keys: HashMap<String, Vec<usize>>,
    pub malformed_lines: usize,
}

pub(crate) fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(load)
}

/// The data lines of a table: comments skipped, split on tabs.
fn rows(tsv: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    tsv.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
}

fn load() -> Tables {
    let mut malformed = 0usize;

    let mut provinces = Vec::new();
    let mut province_names = Vec::new();
    for r in rows(PROVINCES_TSV) {
        match (
            r.as_slice(),
            r.get(1).and_then(|k| ProvinceKind::from_letter(k)),
        ) {
            ([code, _, name, aliases], Some(kind)) => {
                provinces.push(Province {
                    code: (*code).to_owned(),
                    name: format!("{} {name}", kind.word()),
                    short_name: (*name).to_owned(),
                    kind,
                });
                province_names.push(Names::new(name, aliases));
            }
            _ => malformed += 1,
        }
    }

    let mut wards_named = Vec::new();
    for r in rows(WARDS_TSV) {
        match (
            r.as_slice(),
            r.get(2).and_then(|k| WardKind::from_letter(k)),
        ) {
            ([code, province, _, name, aliases], Some(kind)) => {
                let ward = Ward {
                    code: (*code).to_owned(),
                    name: format!("{} {name}", kind.word()),
                    short_name: (*name).to_owned(),
                    kind,
                    province_code: (*province).to_owned(),
                };
                wards_named.push((ward, Names::new(name, aliases)));
            }
            _ => malformed += 1,
        }
    }
    wards_named.sort_by(|(a, an), (b, bn)| {
        (&a.province_code, &an.key, &a.code).cmp(&(&b.province_code, &bn.key, &b.code))
    });
    let (wards, ward_names): (Vec<Ward>, Vec<Names>) = wards_named.into_iter().unzip();

    let mut ward_ranges: HashMap<String, Range<usize>> = HashMap::new();
    for (i, w) in wards.iter().enumerate() {
        ward_ranges
            .entry(w.province_code.clone())
            .and_modify(|r| r.end = i + 1)
            .or_insert(i..i + 1);
    }

    let mut legacy_provinces = Vec::new();
    let mut legacy_province_names = Vec::new();
    for r in rows(LEGACY_PROVINCES_TSV) {
        match (
            r.as_slice(),
            r.get(1).and_then(|k| ProvinceKind::from_letter(k)),
        ) {
            ([code, _, name, new_province, aliases], Some(kind)) => {
                legacy_provinces.push(LegacyProvince {
                    code: (*code).to_owned(),
                    name: format!("{} {name}", kind.word()),
                    kind,
                    new_province_code: (*new_province).to_owned(),
                });
                legacy_province_names.push(Names::new(name, aliases));
            }
            _ => malformed += 1,
        }
    }

    let mut legacy_districts = Vec::new();
    let mut legacy_district_names = Vec::new();
    let mut legacy_district_whole = Vec::new();
    for r in rows(LEGACY_DISTRICTS_TSV) {
        match (
            r.as_slice(),
            r.get(2).and_then(|k| DistrictKind::from_letter(k)),
        ) {
            ([code, province, _, name, aliases, whole], Some(kind)) => {
                legacy_districts.push(LegacyDistrict {
                    code: (*code).to_owned(),
                    name: format!("{} {name}", kind.word()),
                    kind,
                    province_code: (*province).to_owned(),
                });
                legacy_district_names.push(Names::new(name, aliases));
                legacy_district_whole.push((!whole.is_empty()).then(|| (*whole).to_owned()));
            }
            _ => malformed += 1,
        }
    }

    let mut legacy_wards = Vec::new();
    let mut legacy_ward_names = Vec::new();
    for r in rows(LEGACY_WARDS_TSV) {
        match (
            r.as_slice(),
            r.get(2).and_then(|k| WardKind::from_letter(k)),
        ) {
            ([code, district, _, name, new_wards, aliases], Some(kind))
                if !new_wards.is_empty() =>
            {
                legacy_wards.push(LegacyWard {
                    code: (*code).to_owned(),
                    name: format!("{} {name}", kind.word()),
                    kind,
                    district_code: (*district).to_owned(),
                    new_ward_codes: new_wards.split(',').map(str::to_owned).collect(),
                });
                legacy_ward_names.push(Names::new(name, aliases));
            }
            _ => malformed += 1,
        }
    }

    let province_index = index_by_code(provinces.iter().map(|p| p.code.as_str()));
    for (old, old_names) in legacy_provinces.iter().zip(&legacy_province_names) {
        if let Some(names) = province_index
            .get(&old.new_province_code)
            .and_then(|&i| province_names.get_mut(i))
            .filter(|n| n.key != old_names.key)
        {
            names.merged.push(old_names.key.clone());
        }
    }

    Tables {
        province_index,
        ward_index: index_by_code(wards.iter().map(|w| w.code.as_str())),
        ward_keys: index_by_key(&ward_names),
        legacy_district_keys: index_by_key(&legacy_district_names),
        legacy_district_index: index_by_code(legacy_districts.iter().map(|d| d.code.as_str())),
        legacy_ward_keys: index_by_key(&legacy_ward_names),
        provinces,
        province_names,
        wards,
        ward_names,
        ward_ranges,
        legacy_provinces,
        legacy_province_names,
        legacy_districts,
        legacy_district_names,
        legacy_district_whole,
        legacy_wards,
        legacy_ward_names,
        malformed_lines: malformed,
    }
}

fn index_by_code<'a>(codes: impl Iterator<Item = &'a str>) -> HashMap<String, usize> {
    codes.enumerate().map(|(i, c)| (c.to_owned(), i)).collect()
}

/// Folded name and every alias -> the units that carry it.
fn index_by_key(names: &[Names]) -> HashMap<String, Vec<usize>> {
    let mut index: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, n) in names.iter().enumerate() {
        for key in std::iter::once(&n.key).chain(&n.aliases) {
            let entry = index.entry(key.clone()).or_default();
            if entry.last() != Some(&i) {
                entry.push(i);
            }
        }
    }
    index
}

impl Tables {
    pub(crate) fn summary(&self) -> DataSummary {
        DataSummary {
            provinces: self.provinces.len(),
            wards: self.wards.len(),
            legacy_provinces: self.legacy_provinces.len(),
            legacy_districts: self.legacy_districts.len(),
            legacy_wards: self.legacy_wards.len(),
            malformed_lines: self.malformed_lines,
        }
    }

    pub(crate) fn province(&self, code: &str) -> Option<&Province> {
        self.province_index.get(code).map(|&i| &self.provinces[i])
    }

    pub(crate) fn ward(&self, code: &str) -> Option<&Ward> {
        self.ward_index.get(code).map(|&i| &self.wards[i])
    }

    pub(crate) fn legacy_district(&self, code: &str) -> Option<&LegacyDistrict> {
        self.legacy_district_index
            .get(code)
            .map(|&i| &self.legacy_districts[i])
    }

    pub(crate) fn wards_of(&self, province_code: &str) -> &[Ward] {
        match self.ward_ranges.get(province_code) {
            Some(range) => &self.wards[range.clone()],
            None => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_loads_whole() {
        let s = tables().summary();
        assert_eq!(s.malformed_lines, 0);
        assert_eq!(s.provinces, 34);
        assert_eq!(s.wards, 3321);
        assert_eq!(s.legacy_provinces, 63);
        assert_eq!(s.legacy_districts, 696);
        assert_eq!(s.legacy_wards, 10035);
    }

    #[test]
    fn codes_are_unique_and_references_resolve() {
        let t = tables();
        assert_eq!(t.province_index.len(), t.provinces.len());
        assert_eq!(t.ward_index.len(), t.wards.len());
        for w in &t.wards {
            assert!(t.province(&w.province_code).is_some(), "{w:?}");
        }
        for p in &t.legacy_provinces {
            assert!(t.province(&p.new_province_code).is_some(), "{p:?}");
        }
        for w in &t.legacy_wards {
            for code in &w.new_ward_codes {
                assert!(t.ward(code).is_some(), "{w:?}");
            }
        }
        for code in t.legacy_district_whole.iter().flatten() {
            assert!(t.ward(code).is_some(), "{code}");
        }
    }

    #[test]
    fn wards_of_a_province_are_one_slice() {
        let t = tables();
        let total: usize = t.provinces.iter().map(|p| t.wards_of(&p.code).len()).sum();
        assert_eq!(total, t.wards.len());
        assert!(t.wards_of("01").iter().all(|w| w.province_code == "01"));
        assert!(t.wards_of("99").is_empty());
    }
}
