//! How near a device is, from its RSSI. Bluezone has no distance formula, only
//! thresholds; these are estimates and every one is configurable.

use serde::{Deserialize, Serialize};

use super::BleConfig;
use super::bluezone::DeviceClass;

/// A proximity class. Estimates only: RSSI depends on the phone, the pocket and the room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Proximity {
    /// At the kiosk (stronger than `near_rssi_dbm`; Bluezone's radar calls this "strong").
    Near,
    /// Within Bluezone's own contact range for this kind of phone.
    Contact,
    /// Heard, but farther than a contact.
    Far,
    /// No RSSI reported.
    Unknown,
}

impl Proximity {
    pub fn message_id(self) -> &'static str {
        match self {
            Proximity::Near => checkpoint_i18n::fl!("ble-proximity-near"),
            Proximity::Contact => checkpoint_i18n::fl!("ble-proximity-contact"),
            Proximity::Far => checkpoint_i18n::fl!("ble-proximity-far"),
            Proximity::Unknown => checkpoint_i18n::fl!("ble-proximity-unknown"),
        }
    }
}

/// The thresholds in use, in dBm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    pub near: i16,
    pub contact_android: i16,
    pub contact_ios: i16,
    pub contact_other: i16,
}

impl Thresholds {
    pub fn from_config(cfg: &BleConfig) -> Self {
        Self {
            near: cfg.near_rssi_dbm,
            contact_android: cfg.contact_rssi_android_dbm,
            contact_ios: cfg.contact_rssi_ios_dbm,
            contact_other: cfg.contact_rssi_default_dbm,
        }
    }

    /// The class of a reading from a device of `class`.
    pub fn classify(&self, class: DeviceClass, rssi: Option<i16>) -> Proximity {
        let Some(rssi) = rssi else {
            return Proximity::Unknown;
        };
        let contact = match class {
            DeviceClass::BluezoneAndroid => self.contact_android,
            c if c.is_ios() => self.contact_ios,
            _ => self.contact_other,
        };
        if rssi > self.near {
            Proximity::Near
        } else if rssi >= contact {
            Proximity::Contact
        } else {
            Proximity::Far
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_bluezone() {
        let t = Thresholds::from_config(&BleConfig::default());
        let a = DeviceClass::BluezoneAndroid;
        assert_eq!(t.classify(a, Some(-60)), Proximity::Near);
        assert_eq!(t.classify(a, Some(-70)), Proximity::Contact);
        assert_eq!(t.classify(a, Some(-86)), Proximity::Contact);
        assert_eq!(t.classify(a, Some(-87)), Proximity::Far);
        // iOS advertisers must be closer to count as a contact.
        assert_eq!(
            t.classify(DeviceClass::BluezoneIos, Some(-75)),
            Proximity::Far
        );
        assert_eq!(
            t.classify(DeviceClass::ExposureNotification, Some(-88)),
            Proximity::Contact
        );
        assert_eq!(t.classify(a, None), Proximity::Unknown);
    }

    #[test]
    fn thresholds_are_configurable() {
        let cfg = BleConfig {
            near_rssi_dbm: -50,
            ..BleConfig::default()
        };
        let t = Thresholds::from_config(&cfg);
        assert_eq!(
            t.classify(DeviceClass::BluezoneAndroid, Some(-60)),
            Proximity::Contact
        );
    }
}
