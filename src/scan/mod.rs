//! From frames to QR bytes: frame sources (camera, replay), the decoding
//! engine, and the worker thread that runs it off the GUI thread.

use serde::{Deserialize, Serialize};

/// Scanning settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScanConfig {
    /// Camera by index ("0") or by part of its name; empty: the first one.
    pub camera: String,
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    /// The same code is reported once per this many milliseconds.
    pub repeat_interval_ms: u64,
}

impl Default for ScanConfig {
    fn default() -> Self {
        Self {
            camera: String::new(),
            width: 1280,
            height: 720,
            fps: 30,
            repeat_interval_ms: 3000,
        }
    }
}
