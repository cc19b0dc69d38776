//! The seam to the address data (`crate::address`): an address printed with the
//! old province/district/ward names, mapped onto the current two-level list.

use serde::Serialize;

/// A printed address placed on the current province/ward list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MappedAddress {
    pub province_code: String,
    pub province_name: String,
    /// `None` when only the province is certain.
    pub ward_code: Option<String>,
    pub ward_name: Option<String>,
    /// What is left of the text before the administrative names (house, street, hamlet).
    pub street: Option<String>,
}

/// Maps printed addresses. Implementations answer `None` whenever the mapping is
/// not unambiguous: the address then stays text.
pub trait AddressResolver: Send + Sync {
    fn map_printed(&self, printed: &str) -> Option<MappedAddress>;
}

/// No address data: every address stays text.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoAddressData;

impl AddressResolver for NoAddressData {
    fn map_printed(&self, _printed: &str) -> Option<MappedAddress> {
        None
    }
}

/// The foundation's address data (`crate::address`): the province when it is
/// certain, the ward only when the old-to-new mapping is exact.
#[derive(Debug, Clone, Copy, Default)]
pub struct AddressData;

impl AddressResolver for AddressData {
    fn map_printed(&self, printed: &str) -> Option<MappedAddress> {
        let mapped = crate::address::map_address(printed);
        let province = mapped.province?;
        let ward = match mapped.confidence {
            crate::address::Confidence::Exact => mapped.ward,
            _ => None,
        };
        let street = mapped.street.trim();
        Some(MappedAddress {
            province_code: province.code.clone(),
            province_name: province.name.clone(),
            ward_code: ward.map(|w| w.code.clone()),
            ward_name: ward.map(|w| w.name.clone()),
            street: (!street.is_empty() && street != printed.trim()).then(|| street.to_owned()),
        })
    }
}
