//! The bridge from the declaration's address codes to the administrative-unit
//! list in force since July 2025 (`crate::address`).

/// A province code of the current list.
pub fn province_exists(code: &str) -> bool {
    crate::address::province_exists(code)
}

/// A ward code of the current list, inside the given province.
pub fn ward_in_province(ward: &str, province: &str) -> bool {
    crate::address::ward_in_province(ward, province)
}
