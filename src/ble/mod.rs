//! Bluetooth LE: count nearby Bluezone phones through the host adapter. Listen only.

use serde::{Deserialize, Serialize};

/// Bluetooth settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BleConfig {
    pub enabled: bool,
    /// Sliding window for counting distinct phones, seconds.
    pub window_secs: u64,
}

impl Default for BleConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            window_secs: 300,
        }
    }
}
