//! Old and current card addresses mapped to the current province and ward.

use checkpoint_domain::address::{Confidence, MappedAddress, map_address, ward};

fn names(m: &MappedAddress) -> (Option<&str>, Option<&str>) {
    (
        m.province.map(|p| p.name.as_str()),
        m.ward.map(|w| w.name.as_str()),
    )
}

#[test]
fn old_three_level_address_with_type_words() {
    let m = map_address("Thôn Đông, Xã Quỳnh Hoa, Huyện Quỳnh Phụ, Tỉnh Thái Bình");
    assert_eq!(m.confidence, Confidence::Exact);
    // Thái Bình merged into Hưng Yên; Xã Quỳnh Hoa into Xã Minh Thọ.
    assert_eq!(names(&m), (Some("Tỉnh Hưng Yên"), Some("Xã Minh Thọ")));
    assert_eq!(m.street, "Thôn Đông");
    assert_eq!(
        m.old_province.map(|p| p.name.as_str()),
        Some("Tỉnh Thái Bình")
    );
    assert_eq!(
        m.old_district.map(|d| d.name.as_str()),
        Some("Huyện Quỳnh Phụ")
    );
    assert_eq!(m.old_ward.map(|w| w.name.as_str()), Some("Xã Quỳnh Hoa"));
    assert!(m.ward_candidates.is_empty());
}

#[test]
fn old_address_without_type_words() {
    let m = map_address("Tổ 10, Kp Phước Hiệp, Hiệp Phước, Nhơn Trạch, Đồng Nai");
    assert_eq!(m.confidence, Confidence::Exact);
    assert_eq!(names(&m), (Some("Tỉnh Đồng Nai"), Some("Xã Nhơn Trạch")));
    assert_eq!(m.street, "Tổ 10, Kp Phước Hiệp");
    // The township of that name, not the commune Hiệp Phước of Nhà Bè (HCMC).
    assert_eq!(
        m.old_ward.map(|w| w.name.as_str()),
        Some("Thị trấn Hiệp Phước")
    );
}

#[test]
fn district_without_ward_gives_the_province_only() {
    // "Hai Bà Trưng" is an old district and also a current ward's name: it
    // reads two ways, so the ward is not guessed, only offered.
    let m = map_address("Số 1 Đại Cồ Việt, Hai Bà Trưng, Hà Nội");
    assert_eq!(m.confidence, Confidence::ProvinceOnly);
    assert_eq!(names(&m), (Some("Thành phố Hà Nội"), None));
    assert_eq!(m.street, "Số 1 Đại Cồ Việt");
    assert_eq!(
        m.old_district.map(|d| d.name.as_str()),
        Some("Quận Hai Bà Trưng")
    );
    let offered: Vec<_> = m.ward_candidates.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(offered, ["Phường Hai Bà Trưng"]);
}

#[test]
fn current_two_level_address() {
    let m = map_address("Phường Hoàn Kiếm, Thành phố Hà Nội");
    assert_eq!(m.confidence, Confidence::Exact);
    assert_eq!(
        names(&m),
        (Some("Thành phố Hà Nội"), Some("Phường Hoàn Kiếm"))
    );
    assert_eq!(m.street, "");
    assert!(m.old_district.is_none() && m.old_ward.is_none());
}

#[test]
fn current_address_with_street_and_abbreviations() {
    let m = map_address("12 Lê Lợi, P. Bến Thành, TP.HCM");
    assert_eq!(m.confidence, Confidence::Exact);
    assert_eq!(
        names(&m),
        (Some("Thành phố Hồ Chí Minh"), Some("Phường Bến Thành"))
    );
    assert_eq!(m.street, "12 Lê Lợi");
}

#[test]
fn province_alone() {
    let m = map_address("Hà Nội");
    assert_eq!(m.confidence, Confidence::ProvinceOnly);
    assert_eq!(names(&m), (Some("Thành phố Hà Nội"), None));
    assert_eq!(m.street, "");
    assert!(m.ward_candidates.is_empty());
}

#[test]
fn old_ward_split_into_several_is_ambiguous() {
    // Xã Tân Thạnh of Huyện Thới Lai went to two current communes.
    let m = map_address("Ấp 3, Xã Tân Thạnh, Huyện Thới Lai, Thành phố Cần Thơ");
    assert_eq!(m.old_ward.map(|w| w.name.as_str()), Some("Xã Tân Thạnh"));
    let split = m.old_ward.map(|w| w.new_ward_codes.len()).unwrap_or(0);
    assert!(split > 1, "Xã Tân Thạnh (Thới Lai) was split: {m:?}");
    assert_eq!(m.street, "Ấp 3");
    assert_eq!(m.confidence, Confidence::ProvinceOnly);
    assert_eq!(names(&m), (Some("Thành phố Cần Thơ"), None));
    let offered: Vec<_> = m.ward_candidates.iter().map(|w| w.code.clone()).collect();
    let expected = m
        .old_ward
        .map(|w| w.new_ward_codes.clone())
        .unwrap_or_default();
    assert_eq!(offered, expected);
    assert!(m.ward_candidates.iter().all(|w| w.province_code == "92"));
}

#[test]
fn island_district_becomes_a_special_zone() {
    let m = map_address("Khu 5, Huyện Côn Đảo, Tỉnh Bà Rịa - Vũng Tàu");
    assert_eq!(m.confidence, Confidence::Exact);
    assert_eq!(
        names(&m),
        (Some("Thành phố Hồ Chí Minh"), Some("Đặc khu Côn Đảo"))
    );
    assert_eq!(m.street, "Khu 5");
}

#[test]
fn numbered_wards_and_districts() {
    // Old Phường 1 of Quận 3 (HCMC) is no ward name on its own: the district decides.
    let a = map_address("Phường 01, Quận 3, TP. Hồ Chí Minh");
    let b = map_address("P1, Q3, HCM");
    assert_eq!(a.old_ward, b.old_ward);
    assert!(a.old_ward.is_some(), "{a:?}");
    assert_eq!(a.old_district.map(|d| d.name.as_str()), Some("Quận 3"));
    assert_eq!(a.confidence, b.confidence);
    assert_eq!(a.ward, b.ward);
}

#[test]
fn the_same_address_in_any_case_and_without_diacritics() {
    let accented = map_address("Thôn Đông, Xã Quỳnh Hoa, Huyện Quỳnh Phụ, Tỉnh Thái Bình");
    let plain = map_address("thon dong, xa quynh hoa, huyen quynh phu, tinh thai binh");
    let upper = map_address("THÔN ĐÔNG, XÃ QUỲNH HOA, HUYỆN QUỲNH PHỤ, TỈNH THÁI BÌNH");
    assert_eq!(plain.ward, accented.ward);
    assert_eq!(upper.ward, accented.ward);
    assert_eq!(upper.street, "THÔN ĐÔNG");
}

#[test]
fn a_trailing_country_is_ignored() {
    let m = map_address("Phường Hoàn Kiếm, Thành phố Hà Nội, Việt Nam");
    assert_eq!(m.confidence, Confidence::Exact);
}

#[test]
fn old_names_of_merged_units_are_known() {
    // Tỉnh Thừa Thiên Huế became Thành phố Huế (January 2025).
    let m = map_address("Thừa Thiên Huế");
    assert_eq!(m.province.map(|p| p.code.as_str()), Some("46"));
    // Quận 2 and Quận 9 became Thành phố Thủ Đức in 2021; the ward decides.
    let m = map_address("Phường Thảo Điền, Quận 2, Thành phố Hồ Chí Minh");
    assert_eq!(m.province.map(|p| p.code.as_str()), Some("79"));
    assert!(m.old_ward.is_some(), "{m:?}");
}

#[test]
fn unrecognised_text_keeps_everything_as_street() {
    for text in [
        "hello world",
        "123 Main Street, Springfield",
        "Paris, France",
    ] {
        let m = map_address(text);
        assert_eq!(m.confidence, Confidence::None, "{text}");
        assert!(m.province.is_none() && m.ward.is_none());
        assert_eq!(m.street, text);
    }
    for text in ["", "   ", ",,,", "Việt Nam"] {
        let m = map_address(text);
        assert_eq!(m.confidence, Confidence::None, "{text:?}");
        assert_eq!(m.street, "");
    }
}

#[test]
fn messages_exist_in_both_languages() {
    use checkpoint_i18n::Lang;
    let exact = map_address("Phường Hoàn Kiếm, Thành phố Hà Nội").message();
    assert_eq!(exact.id, "address-mapped-exact");
    let vi = exact.render(Lang::Vi);
    assert!(
        vi.contains("Phường Hoàn Kiếm") && vi.contains("Thành phố Hà Nội"),
        "{vi}"
    );
    assert_ne!(exact.render(Lang::En), vi);
    assert_eq!(
        map_address("Hà Nội").message().id,
        "address-mapped-province-only"
    );
    assert_eq!(map_address("xyz").message().id, "address-not-recognised");
}

#[test]
fn every_exact_result_is_consistent() {
    // Whatever the old ward, writing it the old way maps to one of its targets.
    let m = map_address("Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội");
    assert_eq!(m.confidence, Confidence::Exact);
    let w = m.ward.expect("Phúc Xá was merged whole");
    assert_eq!(ward(&w.code), Some(w));
    assert_eq!(w.province_code, "01");
    assert!(
        m.old_ward
            .is_some_and(|o| o.new_ward_codes == [w.code.clone()])
    );
}

#[test]
fn names_from_cards_issued_before_the_2020s_merges() {
    // Phường Bùi Thị Xuân merged into Phường Nguyễn Du (Hai Bà Trưng) before 2025.
    let m = map_address("Phường Bùi Thị Xuân, Quận Hai Bà Trưng, Thành phố Hà Nội");
    assert_eq!(
        m.old_ward.map(|w| w.name.as_str()),
        Some("Phường Nguyễn Du")
    );
    assert_ne!(m.confidence, Confidence::None);
    // Thành phố Huế (a district until 2025) was split into Phú Xuân and Thuận Hóa:
    // the ward tells which.
    let m = map_address("Phường Phú Hội, Thành phố Huế, Tỉnh Thừa Thiên Huế");
    assert_eq!(m.province.map(|p| p.code.as_str()), Some("46"));
    assert_eq!(m.old_ward.map(|w| w.name.as_str()), Some("Phường Phú Hội"));
    assert_eq!(m.confidence, Confidence::Exact, "{m:?}");
}
