//! Any text, however broken, gives an answer and never a panic; answers are
//! self-consistent.

use checkpoint_domain::address::{
    Confidence, map_address, province_exists, search_provinces, search_wards, ward_in_province,
};
use proptest::prelude::*;
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// The letters and digits of a text (decomposed), with their counts.
fn letters(text: &str) -> HashMap<char, usize> {
    let mut counts = HashMap::new();
    for c in text.nfd().filter(|c| c.is_alphanumeric()) {
        *counts.entry(c).or_default() += 1;
    }
    counts
}

fn is_sub_multiset(small: &HashMap<char, usize>, big: &HashMap<char, usize>) -> bool {
    small
        .iter()
        .all(|(c, n)| big.get(c).is_some_and(|m| m >= n))
}

/// Text made of address-like pieces: names, type words, commas, digits,
/// combining marks, and arbitrary characters.
fn address_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Hà Nội".to_owned()),
        Just("Thành phố".to_owned()),
        Just("Tỉnh Thái Bình".to_owned()),
        Just("Quận 1".to_owned()),
        Just("P.".to_owned()),
        Just("Q".to_owned()),
        Just("Xã".to_owned()),
        Just("Hoàn Kiếm".to_owned()),
        Just("HCM".to_owned()),
        Just(",".to_owned()),
        Just(", ,".to_owned()),
        Just("0".to_owned()),
        Just("007".to_owned()),
        Just("\u{0300}\u{0323}".to_owned()),
        Just("Việt Nam".to_owned()),
        "\\PC{0,12}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn mapping_never_panics_and_is_consistent(text in address_like()) {
        let m = map_address(&text);
        match m.confidence {
            Confidence::Exact => {
                let (p, w) = (m.province.unwrap(), m.ward.unwrap());
                prop_assert!(ward_in_province(&w.code, &p.code));
                prop_assert!(m.ward_candidates.is_empty());
            }
            Confidence::ProvinceOnly => {
                prop_assert!(m.ward.is_none());
                let p = m.province.unwrap();
                prop_assert!(province_exists(&p.code));
                for c in &m.ward_candidates {
                    prop_assert_eq!(&c.province_code, &p.code);
                }
            }
            Confidence::None => {
                prop_assert!(m.province.is_none() && m.ward.is_none());
            }
        }
        // The street is taken from the text, never invented.
        prop_assert!(is_sub_multiset(&letters(&m.street), &letters(&text)), "{:?}", m.street);
    }

    #[test]
    fn mapping_accepts_arbitrary_strings(text in any::<String>()) {
        let _ = map_address(&text);
    }

    #[test]
    fn search_never_panics_and_respects_the_limit(
        text in address_like(),
        limit in 0usize..40,
        province in prop_oneof![Just(None), Just(Some("01")), Just(Some("xx")), Just(Some(""))],
    ) {
        prop_assert!(search_provinces(&text, limit).len() <= limit);
        let wards = search_wards(&text, province, limit);
        prop_assert!(wards.len() <= limit);
        if let Some(code) = province {
            prop_assert!(wards.iter().all(|w| w.province_code == code));
        }
    }
}

#[test]
fn huge_and_odd_inputs() {
    let long = "Phường Hoàn Kiếm, ".repeat(200_000) + "Thành phố Hà Nội";
    let m = map_address(&long);
    assert_eq!(m.confidence, Confidence::Exact);
    let commas = ",".repeat(1_000_000);
    assert_eq!(map_address(&commas).confidence, Confidence::None);
    let nul = "\0\u{feff}\u{202e}Hà Nội\0";
    let _ = map_address(nul);
    let _ = search_wards(&"a".repeat(100_000), None, 10);
    let _ = search_provinces("\u{0301}\u{0301}\u{0301}", 10);
}
