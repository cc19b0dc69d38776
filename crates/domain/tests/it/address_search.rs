//! The pickers' search, the lookups and the declaration's validation helpers.

use checkpoint_domain::address::{
    WardKind, data_summary, province, province_exists, provinces, search_provinces, search_wards,
    ward, ward_in_province, wards_of,
};

fn top_province(query: &str) -> Option<&'static str> {
    search_provinces(query, 10).first().map(|p| p.code.as_str())
}

#[test]
fn the_data_is_complete() {
    let s = data_summary();
    assert_eq!(s.malformed_lines, 0);
    assert_eq!((s.provinces, s.wards), (34, 3321));
    assert_eq!(
        (s.legacy_provinces, s.legacy_districts, s.legacy_wards),
        (63, 696, 10035)
    );
    assert_eq!(provinces().len(), 34);
    let total: usize = provinces().iter().map(|p| wards_of(&p.code).len()).sum();
    assert_eq!(total, 3321);
}

#[test]
fn lookups_by_code() {
    let hanoi = province("01").expect("Hà Nội");
    assert_eq!(hanoi.name, "Thành phố Hà Nội");
    assert_eq!(hanoi.short_name, "Hà Nội");
    let hk = ward("00070").expect("Phường Hoàn Kiếm");
    assert_eq!(hk.name, "Phường Hoàn Kiếm");
    assert_eq!(hk.kind, WardKind::Ward);
    assert_eq!(hk.province_code, "01");
    assert!(province("1").is_none() && province("").is_none() && province("99").is_none());
    assert!(ward("70").is_none() && ward("").is_none());
    assert!(wards_of("nope").is_empty());
}

#[test]
fn validation_helpers() {
    assert!(province_exists("79"));
    assert!(!province_exists("34")); // Thái Bình: an old code, merged into Hưng Yên (33)
    assert!(!province_exists(""));
    assert!(ward_in_province("00070", "01"));
    assert!(!ward_in_province("00070", "79"));
    assert!(!ward_in_province("99999", "01"));
    assert!(!ward_in_province("", ""));
    for p in provinces() {
        for w in wards_of(&p.code) {
            assert!(ward_in_province(&w.code, &p.code));
        }
    }
}

#[test]
fn province_search_ignores_case_diacritics_and_type_words() {
    for q in [
        "ha noi",
        "Hà Nội",
        "HA NOI",
        "hanoi",
        "thành phố hà nội",
        "TP Hà Nội",
        "tp. ha noi",
    ] {
        assert_eq!(top_province(q), Some("01"), "{q}");
    }
    for q in [
        "ho chi minh",
        "Hồ Chí Minh",
        "hcm",
        "HCM",
        "tp hcm",
        "TP.HCM",
        "tphcm",
        "Thành phố Hồ Chí Minh",
        "sai gon",
    ] {
        assert_eq!(top_province(q), Some("79"), "{q}");
    }
    // "đ" folds to "d".
    assert_eq!(top_province("da nang"), Some("48"));
    assert_eq!(top_province("Đà Nẵng"), Some("48"));
    assert_eq!(top_province("dak lak"), Some("66"));
    assert_eq!(top_province("tinh dak lak"), Some("66"));
}

#[test]
fn province_search_narrows_as_you_type() {
    let mut previous = usize::MAX;
    for q in ["t", "th", "tha", "than", "thanh"] {
        let n = search_provinces(q, 100).len();
        assert!(n > 0 && n <= previous, "{q}: {n} after {previous}");
        previous = n;
    }
    let hits: Vec<_> = search_provinces("thanh", 100)
        .iter()
        .map(|p| p.short_name.as_str())
        .collect();
    assert_eq!(hits.first(), Some(&"Thanh Hóa"), "{hits:?}");
}

#[test]
fn ward_search_within_a_province() {
    let hits = search_wards("hoan kiem", Some("01"), 10);
    assert_eq!(hits.first().map(|w| w.code.as_str()), Some("00070"));
    let hits = search_wards("Phường Hoàn Kiếm", Some("01"), 10);
    assert_eq!(hits.first().map(|w| w.code.as_str()), Some("00070"));
    let hits = search_wards("p hoan kiem", Some("01"), 10);
    assert_eq!(hits.first().map(|w| w.code.as_str()), Some("00070"));
    assert!(search_wards("hoan kiem", Some("79"), 10).is_empty());
    let hits = search_wards("ben thanh", Some("79"), 10);
    assert_eq!(
        hits.first().map(|w| w.name.as_str()),
        Some("Phường Bến Thành")
    );
    // Every hit is of the requested province.
    assert!(
        search_wards("an", Some("79"), 500)
            .iter()
            .all(|w| w.province_code == "79")
    );
}

#[test]
fn ward_search_over_the_whole_country() {
    let hits = search_wards("con dao", None, 5);
    assert_eq!(
        hits.first().map(|w| w.name.as_str()),
        Some("Đặc khu Côn Đảo")
    );
    // Names starting with the query come before names merely containing it.
    let hits = search_wards("minh", None, 200);
    let first_inside = hits
        .iter()
        .position(|w| !w.short_name.to_lowercase().starts_with("minh"));
    let last_prefix = hits.iter().rposition(|w| w.short_name.starts_with("Minh"));
    if let (Some(i), Some(p)) = (first_inside, last_prefix) {
        assert!(p < i, "prefix matches after an inside match: {hits:?}");
    }
    assert!(search_wards("zzzzqqq", None, 10).is_empty());
    assert_eq!(search_wards("", None, 7).len(), 7);
}

#[test]
fn ward_search_limit_is_respected() {
    for limit in [0, 1, 5, 50] {
        assert!(search_wards("a", None, limit).len() <= limit);
        assert!(search_provinces("a", limit).len() <= limit);
    }
}
