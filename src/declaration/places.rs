//! The bridge from the declaration's address codes to the administrative-unit
//! list. Until the list is bundled, codes are checked for their shape only.

/// A current province code: two digits.
pub fn province_exists(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_digit())
}

/// A current ward code (five digits) inside a known province.
pub fn ward_in_province(ward: &str, province: &str) -> bool {
    province_exists(province) && ward.len() == 5 && ward.bytes().all(|b| b.is_ascii_digit())
}
