//! Bluetooth LE: count nearby Bluezone phones through the host adapter. Listen only:
//! the kiosk never advertises (phones would log it as a contact).
//!
//! - [`advert`]: advertisement bytes -> [`advert::Advert`]
//! - [`bluezone`]: `Advert` -> class (+ Bluezone ID), pure
//! - [`proximity`]: RSSI -> proximity class (configurable estimates)
//! - [`tracker`]: distinct phones in the sliding window, hourly counts, "Bluezone nearby"
//! - [`scanner`]: btleplug (BlueZ over D-Bus) in a background thread that retries
//!   until an adapter appears; [`scanner::BleHandle`] is what the GUI and CLI hold

use serde::{Deserialize, Serialize};

pub mod advert;
pub mod bluezone;
pub mod clock;
pub mod proximity;
pub mod scanner;
mod source;
pub mod status;
pub mod tracker;

pub use bluezone::{BzId, Classification, DeviceClass, classify};
pub use clock::{Clock, ShiftedClock, SystemClock};
pub use proximity::Proximity;
pub use scanner::BleHandle;
pub use status::BleStatus;
pub use tracker::{ClassCounts, DeviceView, HourCounts};

/// Bluetooth settings. RSSI thresholds are estimates (Bluezone's own defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BleConfig {
    pub enabled: bool,
    /// Sliding window for counting distinct phones, seconds.
    pub window_secs: u64,
    /// Adapter to use, e.g. "hci1"; empty: the first one BlueZ lists.
    pub adapter: String,
    /// Stronger than this (dBm): the phone is at the kiosk (Bluezone's radar: "strong" > -70).
    pub near_rssi_dbm: i16,
    /// Bluezone's contact threshold for Android advertisers (dBm).
    pub contact_rssi_android_dbm: i16,
    /// Bluezone's contact threshold for iOS advertisers (dBm).
    pub contact_rssi_ios_dbm: i16,
    /// Contact threshold for every other advertiser (dBm).
    pub contact_rssi_default_dbm: i16,
    /// A check-in notes "Bluezone nearby" when a Bluezone phone was near within
    /// this many seconds (Android advertises 15 s on, 15 s off).
    pub checkin_lookback_secs: u64,
    /// Count iOS phones with only the overflow-area bit as Bluezone for check-ins.
    pub count_unconfirmed_ios: bool,
    /// Connect to such phones and read the ID characteristic to confirm them.
    /// Off by default: connecting is no longer purely passive listening.
    pub confirm_ios_by_gatt: bool,
    /// While there is no adapter (or no BlueZ), try again this often, milliseconds.
    pub retry_ms: u64,
    /// Check that the adapter is still there this often while scanning, milliseconds.
    pub health_check_ms: u64,
    /// Linux: read updates straight from BlueZ's D-Bus signals (much less CPU
    /// in a crowd) rather than through btleplug's event stream.
    pub direct_bluez_events: bool,
}

impl Default for BleConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            window_secs: 300,
            adapter: String::new(),
            near_rssi_dbm: -70,
            contact_rssi_android_dbm: -86,
            contact_rssi_ios_dbm: -69,
            contact_rssi_default_dbm: -88,
            checkin_lookback_secs: 30,
            count_unconfirmed_ios: false,
            confirm_ios_by_gatt: false,
            retry_ms: 5000,
            health_check_ms: 3000,
            direct_bluez_events: true,
        }
    }
}
