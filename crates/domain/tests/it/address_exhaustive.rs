//! Every unit of the shipped tables, written as an address would print it,
//! maps to what the source's mapping says, and no address ever maps to a
//! wrong ward. The tables are read here straight from the TSV files, apart
//! from the module's own loader.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::Path;

use checkpoint_domain::address::{Confidence, map_address};

fn rows(file: &str) -> Vec<Vec<String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/admin-units")
        .join(file);
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

fn province_word(kind: &str) -> &'static str {
    if kind == "C" {
        "Thành phố"
    } else {
        "Tỉnh"
    }
}

fn district_word(kind: &str) -> &'static str {
    match kind {
        "Q" => "Quận",
        "H" => "Huyện",
        "X" => "Thị xã",
        _ => "Thành phố",
    }
}

fn ward_word(kind: &str) -> &'static str {
    match kind {
        "P" => "Phường",
        "X" => "Xã",
        "T" => "Thị trấn",
        _ => "Đặc khu",
    }
}

struct Old {
    /// code -> (full name, short name, new province)
    provinces: HashMap<String, (String, String, String)>,
    /// code -> (full name, short name, province)
    districts: HashMap<String, (String, String, String)>,
    /// (full name, short name, district, new wards)
    wards: Vec<(String, String, String, Vec<String>)>,
}

fn old_tables() -> Old {
    let provinces = rows("legacy_provinces.tsv")
        .into_iter()
        .map(|r| {
            let full = format!("{} {}", province_word(&r[1]), r[2]);
            (r[0].clone(), (full, r[2].clone(), r[3].clone()))
        })
        .collect();
    let districts = rows("legacy_districts.tsv")
        .into_iter()
        .map(|r| {
            let full = format!("{} {}", district_word(&r[2]), r[3]);
            (r[0].clone(), (full, r[3].clone(), r[1].clone()))
        })
        .collect();
    let wards = rows("legacy_wards.tsv")
        .into_iter()
        .map(|r| {
            let full = format!("{} {}", ward_word(&r[2]), r[3]);
            let targets = r[4].split(',').map(str::to_owned).collect();
            (full, r[3].clone(), r[1].clone(), targets)
        })
        .collect();
    Old {
        provinces,
        districts,
        wards,
    }
}

#[test]
fn every_old_ward_written_in_full_maps_as_the_source_says() {
    let old = old_tables();
    let mut wrong = Vec::new();
    let mut exact = 0usize;
    for (ward_full, _, district, targets) in &old.wards {
        let (district_full, _, province) = &old.districts[district];
        let (province_full, _, new_province) = &old.provinces[province];
        let text = format!("Số 5, {ward_full}, {district_full}, {province_full}");
        let m = map_address(&text);
        let province_ok = m.province.is_some_and(|p| &p.code == new_province);
        let ward_ok = match (targets.as_slice(), m.confidence) {
            ([one], Confidence::Exact) => m.ward.is_some_and(|w| &w.code == one),
            ([_, _, ..], Confidence::ProvinceOnly) => {
                let offered: Vec<&String> = m.ward_candidates.iter().map(|w| &w.code).collect();
                offered == targets.iter().collect::<Vec<_>>()
            }
            _ => false,
        };
        exact += usize::from(m.confidence == Confidence::Exact);
        if !(province_ok && ward_ok && m.street == "Số 5") {
            wrong.push(format!(
                "{text} -> {:?} {:?}",
                m.confidence,
                m.ward.map(|w| &w.name)
            ));
        }
    }
    eprintln!(
        "{} old wards, {exact} exact, {} not as expected",
        old.wards.len(),
        wrong.len()
    );
    assert!(
        wrong.is_empty(),
        "{} wrong, e.g. {:#?}",
        wrong.len(),
        &wrong[..wrong.len().min(20)]
    );
}

#[test]
fn old_wards_without_type_words_never_map_to_a_wrong_ward() {
    let old = old_tables();
    let mut wrong = Vec::new();
    let mut exact = 0usize;
    for (_, ward, district, targets) in &old.wards {
        let (_, district_short, province) = &old.districts[district];
        let (_, province_short, new_province) = &old.provinces[province];
        let text = format!("{ward}, {district_short}, {province_short}");
        let m = map_address(&text);
        if m.confidence == Confidence::Exact {
            exact += 1;
            if !m.ward.is_some_and(|w| targets.contains(&w.code)) {
                wrong.push(format!("{text} -> {:?}", m.ward.map(|w| &w.name)));
            }
        }
        if m.province.is_none_or(|p| &p.code != new_province) {
            wrong.push(format!(
                "{text} -> province {:?}",
                m.province.map(|p| &p.name)
            ));
        }
    }
    eprintln!(
        "{} old wards without type words: {exact} exact",
        old.wards.len()
    );
    assert!(
        wrong.is_empty(),
        "{} wrong, e.g. {:#?}",
        wrong.len(),
        &wrong[..wrong.len().min(20)]
    );
    // Most are still certain: only split wards and names shared within a district are not.
    assert!(exact * 100 >= old.wards.len() * 85, "only {exact} exact");
}

#[test]
fn every_current_ward_maps_to_itself() {
    let provinces: HashMap<String, (String, String)> = rows("provinces.tsv")
        .into_iter()
        .map(|r| {
            (
                r[0].clone(),
                (format!("{} {}", province_word(&r[1]), r[2]), r[2].clone()),
            )
        })
        .collect();
    let mut wrong = Vec::new();
    let mut short_exact = 0usize;
    let wards = rows("wards.tsv");
    for r in &wards {
        let (code, province, kind, name) = (&r[0], &r[1], &r[2], &r[3]);
        let (province_full, province_short) = &provinces[province];
        let text = format!("Số 5, {} {name}, {province_full}", ward_word(kind));
        let m = map_address(&text);
        if m.confidence != Confidence::Exact || m.ward.is_none_or(|w| &w.code != code) {
            wrong.push(format!(
                "{text} -> {:?} {:?}",
                m.confidence,
                m.ward.map(|w| &w.name)
            ));
        }
        // Without the type word the name may also be an old district's: never a wrong ward.
        let m = map_address(&format!("{name}, {province_short}"));
        if m.confidence == Confidence::Exact {
            short_exact += 1;
            if m.ward.is_none_or(|w| &w.code != code) {
                wrong.push(format!(
                    "{name}, {province_short} -> {:?}",
                    m.ward.map(|w| &w.name)
                ));
            }
        }
    }
    eprintln!(
        "{} current wards; without type word {short_exact} exact",
        wards.len()
    );
    assert!(
        wrong.is_empty(),
        "{} wrong, e.g. {:#?}",
        wrong.len(),
        &wrong[..wrong.len().min(20)]
    );
    assert!(
        short_exact * 100 >= wards.len() * 85,
        "only {short_exact} exact"
    );
}
