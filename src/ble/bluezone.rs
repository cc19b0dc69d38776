//! What a device is, from its advertisement alone: Bluezone on Android or iOS,
//! an iOS phone that may be running Bluezone in the background, an Exposure
//! Notification phone, or something else. Pure functions; see
//! `docs/bluezone-format.md` for where each constant comes from.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::advert::Advert;

/// Android: 16-bit service UUID.
pub const ANDROID_SERVICE16: u16 = 0x4E56;
/// Android: manufacturer data company id; its payload is the 12-byte Bluezone ID.
pub const BLUEZONE_COMPANY: u16 = 0x22B5;
/// iOS: 128-bit service UUID.
pub const IOS_SERVICE: Uuid = Uuid::from_u128(0x00004E56_73F5_4BC4_A12F_17D1AD07A667);
/// The read-only GATT characteristic holding the Bluezone ID.
pub const ID_CHARACTERISTIC: Uuid = Uuid::from_u128(0x00004E56_73F5_4BC4_A12F_17D1AD07A689);
/// The local name of the iOS app in the foreground.
pub const IOS_NAME: &str = "Bluezone";
/// iBeacon sent by version 3.0.7.
pub const IBEACON_UUID: Uuid = Uuid::from_u128(0xC7AFEF7B_1788_4F4A_A87D_691D53BF21C4);
const IBEACON_MAJOR_MINOR: u16 = 20;
/// Apple's company id; its manufacturer data holds the "overflow area".
pub const APPLE_COMPANY: u16 = 0x004C;
/// Overflow area: type byte 0x01, then a 16-byte bitmap of hashed service UUIDs.
const OVERFLOW_TYPE: u8 = 0x01;
const OVERFLOW_BITMAP_LEN: usize = 16;
/// Bluezone's own test: bitmap byte 0, bit 0x08. Other apps may set it too.
pub const OVERFLOW_BYTE: usize = 0;
pub const OVERFLOW_MASK: u8 = 0x08;
/// Google/Apple Exposure Notification.
pub const GAEN_SERVICE16: u16 = 0xFD6F;
const GAEN_SERVICE_DATA_LEN: usize = 20;
/// Length of a Bluezone ID.
pub const BZID_LEN: usize = 12;

/// A Bluezone ID: 12 raw bytes, valid for one 15-minute UTC slot.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BzId(pub [u8; BZID_LEN]);

impl BzId {
    /// Exactly 12 bytes, or nothing.
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        <[u8; BZID_LEN]>::try_from(bytes).ok().map(BzId)
    }

    /// The first four hex characters only: enough to tell phones apart on a
    /// screen, not enough to be kept as an identifier.
    pub fn masked(&self) -> String {
        format!("{:02X}{:02X}…", self.0[0], self.0[1])
    }
}

impl fmt::Display for BzId {
    /// 24 upper-case hex characters, as Bluezone shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02X}"))
    }
}

impl fmt::Debug for BzId {
    // Debug output ends up in logs: masked there too.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BzId({})", self.masked())
    }
}

/// The classes the kiosk counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceClass {
    /// Android phone running Bluezone (service 0x4E56 and/or company 0x22B5).
    BluezoneAndroid,
    /// iOS phone with Bluezone in the foreground (128-bit UUID, name, or its
    /// iBeacon), or a background one confirmed by reading the ID over GATT.
    BluezoneIos,
    /// iOS phone whose overflow-area bit matches Bluezone's: likely, unconfirmed.
    BluezoneIosUnconfirmed,
    /// Google/Apple Exposure Notification (0xFD6F).
    ExposureNotification,
    /// Anything else (watches, headsets, …): not counted as a phone.
    Other,
}

impl DeviceClass {
    pub const ALL: [DeviceClass; 5] = [
        DeviceClass::BluezoneAndroid,
        DeviceClass::BluezoneIos,
        DeviceClass::BluezoneIosUnconfirmed,
        DeviceClass::ExposureNotification,
        DeviceClass::Other,
    ];

    /// Bluezone for certain (Android or confirmed iOS).
    pub fn is_bluezone(self) -> bool {
        matches!(
            self,
            DeviceClass::BluezoneAndroid | DeviceClass::BluezoneIos
        )
    }

    /// Whether this advertiser is an iOS phone (for the RSSI thresholds).
    pub fn is_ios(self) -> bool {
        matches!(
            self,
            DeviceClass::BluezoneIos | DeviceClass::BluezoneIosUnconfirmed
        )
    }

    /// A phone of a contact-tracing app (everything but `Other`).
    pub fn is_phone(self) -> bool {
        self != DeviceClass::Other
    }

    /// How sure the class is: a later, surer reading replaces an earlier one.
    pub fn rank(self) -> u8 {
        match self {
            DeviceClass::Other => 0,
            DeviceClass::ExposureNotification => 1,
            DeviceClass::BluezoneIosUnconfirmed => 2,
            DeviceClass::BluezoneIos => 3,
            DeviceClass::BluezoneAndroid => 4,
        }
    }

    /// Fluent id of the class name.
    pub fn message_id(self) -> &'static str {
        match self {
            DeviceClass::BluezoneAndroid => checkpoint_i18n::fl!("ble-class-bluezone-android"),
            DeviceClass::BluezoneIos => checkpoint_i18n::fl!("ble-class-bluezone-ios"),
            DeviceClass::BluezoneIosUnconfirmed => {
                checkpoint_i18n::fl!("ble-class-bluezone-ios-unconfirmed")
            }
            DeviceClass::ExposureNotification => {
                checkpoint_i18n::fl!("ble-class-exposure-notification")
            }
            DeviceClass::Other => checkpoint_i18n::fl!("ble-class-other"),
        }
    }
}

/// The class of a device and, when the air carries it, its Bluezone ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Classification {
    pub class: DeviceClass,
    pub bzid: Option<BzId>,
}

/// Classifies one advertisement. Bluezone wins over Exposure Notification (a
/// phone may run both); damaged fields simply fail to match.
pub fn classify(ad: &Advert) -> Classification {
    let bzid = ad
        .manufacturer_data
        .get(&BLUEZONE_COMPANY)
        .and_then(|p| BzId::from_slice(p));
    if bzid.is_some() || ad.has_service16(ANDROID_SERVICE16) {
        return Classification {
            class: DeviceClass::BluezoneAndroid,
            bzid,
        };
    }
    let apple = ad.manufacturer_data.get(&APPLE_COMPANY);
    if ad.has_service(&IOS_SERVICE)
        || ad.name.as_deref().is_some_and(|n| n.trim() == IOS_NAME)
        || apple.is_some_and(|p| is_bluezone_ibeacon(p))
    {
        return Classification {
            class: DeviceClass::BluezoneIos,
            bzid: None,
        };
    }
    if apple.is_some_and(|p| overflow_has_bluezone_bit(p)) {
        return Classification {
            class: DeviceClass::BluezoneIosUnconfirmed,
            bzid: None,
        };
    }
    let gaen = super::advert::uuid_from_short(u32::from(GAEN_SERVICE16));
    let gaen_data_ok = ad
        .service_data
        .get(&gaen)
        .is_some_and(|d| d.len() == GAEN_SERVICE_DATA_LEN);
    if gaen_data_ok || ad.services.contains(&gaen) {
        return Classification {
            class: DeviceClass::ExposureNotification,
            bzid: None,
        };
    }
    Classification {
        class: DeviceClass::Other,
        bzid: None,
    }
}

/// Apple manufacturer data that is an overflow area with Bluezone's bit set.
pub fn overflow_has_bluezone_bit(apple_payload: &[u8]) -> bool {
    match apple_payload.split_first() {
        Some((&OVERFLOW_TYPE, bitmap)) if bitmap.len() >= OVERFLOW_BITMAP_LEN => bitmap
            .get(OVERFLOW_BYTE)
            .is_some_and(|b| b & OVERFLOW_MASK != 0),
        _ => false,
    }
}

/// Apple manufacturer data that is Bluezone 3.0.7's iBeacon
/// (type 0x02, length 0x15, UUID, major, minor, measured power).
fn is_bluezone_ibeacon(apple_payload: &[u8]) -> bool {
    let [0x02, 0x15, rest @ ..] = apple_payload else {
        return false;
    };
    let (Some(uuid), Some(major), Some(minor)) =
        (rest.get(..16), rest.get(16..18), rest.get(18..20))
    else {
        return false;
    };
    uuid == IBEACON_UUID.as_bytes()
        && u16::from_be_bytes([major[0], major[1]]) == IBEACON_MAJOR_MINOR
        && u16::from_be_bytes([minor[0], minor[1]]) == IBEACON_MAJOR_MINOR
}

#[cfg(test)]
#[path = "bluezone_tests.rs"]
mod tests;
