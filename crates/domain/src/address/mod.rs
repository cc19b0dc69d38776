//! Vietnam's administrative units: the current two-level list (34 provinces,
//! 3,321 wards/communes/special zones since 1 July 2025), search for pickers,
//! and mapping of old three-level addresses printed on ID cards.
//!
//! Data: `crates/domain/assets/admin-units/*.tsv`, derived from the `vietnamadminunits`
//! package (MIT) by `crates/domain/assets/admin-units/regenerate.py`, embedded in the binary
//! and parsed once, on first use (tens of milliseconds: call
//! [`data_summary`] once at start-up, off the UI thread, to pay it early).
//!
//! # API
//!
//! Lookups (codes are the official ones: "01" Hà Nội, "00070" Phường Hoàn Kiếm):
//! - [`provinces`] — all 34, by code; [`province`]`(code)`; [`ward`]`(code)`;
//!   [`wards_of`]`(province_code)` — alphabetical.
//!
//! Validation for the declaration:
//! - [`province_exists`]`(code)`, [`ward_in_province`]`(ward_code, province_code)`.
//!
//! Pickers (filter on every keystroke; case, diacritics, "đ" and type words
//! such as "Tỉnh", "TP.", "Phường", "Xã", "P.", "Q." do not matter; "hcm",
//! "tp hcm", "ho chi minh" all find Thành phố Hồ Chí Minh):
//! - [`search_provinces`]`(query, limit)`, [`search_wards`]`(query, Some(province_code), limit)`
//!   — ranked best first; an empty query lists alphabetically. A province
//!   is also found by the name of one merged into it in 2025 ("thai binh" ->
//!   Tỉnh Hưng Yên), after the matches on current names.
//!
//! Old card addresses:
//! - [`map_address`]`(text)` -> [`MappedAddress`]: the current province and
//!   ward, the street part left over, the old units recognised, and a
//!   [`Confidence`]: `Exact` (province and ward certain), `ProvinceOnly` (an
//!   old ward split into several, or a name that reads two ways: see
//!   `ward_candidates`), `None`. [`MappedAddress::message`] says so in Fluent.
//!
//! ```
//! use checkpoint_domain::address::{map_address, Confidence};
//! let m = map_address("Thôn Đông, Xã Quỳnh Hoa, Huyện Quỳnh Phụ, Tỉnh Thái Bình");
//! assert_eq!(m.confidence, Confidence::Exact);
//! assert_eq!(m.province.map(|p| p.name.as_str()), Some("Tỉnh Hưng Yên"));
//! assert_eq!(m.street, "Thôn Đông");
//! ```

mod data;
mod fold;
mod mapping;
mod search;

pub use data::{
    DataSummary, DistrictKind, LegacyDistrict, LegacyProvince, LegacyWard, Province, ProvinceKind,
    Ward, WardKind,
};
/// Folding for other searches by name (e.g. countries).
pub(crate) use fold::fold_key;
pub use mapping::{Confidence, MappedAddress, map_address};
pub use search::{search_provinces, search_wards};

/// The 34 current provinces and centrally governed cities, by code.
pub fn provinces() -> &'static [Province] {
    &data::tables().provinces
}

/// The current province with this code ("01"), if any.
pub fn province(code: &str) -> Option<&'static Province> {
    data::tables().province(code)
}

/// The current ward, commune or special zone with this code ("00070"), if any.
pub fn ward(code: &str) -> Option<&'static Ward> {
    data::tables().ward(code)
}

/// The wards of a current province, alphabetical; empty for an unknown code.
pub fn wards_of(province_code: &str) -> &'static [Ward] {
    data::tables().wards_of(province_code)
}

/// Whether `code` is one of the 34 current provinces.
pub fn province_exists(code: &str) -> bool {
    province(code).is_some()
}

/// Whether `ward_code` is a current ward of the current province `province_code`.
pub fn ward_in_province(ward_code: &str, province_code: &str) -> bool {
    ward(ward_code).is_some_and(|w| w.province_code == province_code)
}

/// How many units each embedded table holds.
pub fn data_summary() -> DataSummary {
    data::tables().summary()
}
