//! The kiosk's heartbeat: what the hub's kiosks page shows about this kiosk
//! (software version, queue depth, the last sync error, the camera's and
//! Bluetooth's state) and its own hourly counts of the last two days. Sent
//! by the sync worker every few minutes to a hub that offers it; counts and
//! states only, never a visitor's data.

use std::sync::Mutex;

use chrono::{DateTime, TimeDelta, Utc};

use super::status::SyncStatus;
use checkpoint_wire::{Heartbeat, HourCounts, PROTOCOL_VERSION};

/// Hours of counts each heartbeat carries (the hub keeps the latest of each).
pub const HOURS_SENT: i64 = 48;

/// The camera's and Bluetooth's state as the status bar last showed them,
/// shared between the window and the sync worker.
#[derive(Debug)]
pub struct DeviceStates {
    states: Mutex<(String, String)>,
}

impl Default for DeviceStates {
    fn default() -> Self {
        Self {
            states: Mutex::new(("unknown".into(), "unknown".into())),
        }
    }
}

impl DeviceStates {
    pub fn set(&self, camera: &str, bluetooth: &str) {
        if let Ok(mut s) = self.states.lock() {
            *s = (camera.to_owned(), bluetooth.to_owned());
        }
    }

    pub fn get(&self) -> (String, String) {
        self.states
            .lock()
            .map(|s| s.clone())
            .unwrap_or_else(|_| ("unknown".into(), "unknown".into()))
    }
}

/// The heartbeat of this moment.
pub fn heartbeat(
    kiosk_id: &str,
    status: &SyncStatus,
    devices: &DeviceStates,
    hours: Vec<HourCounts>,
    ckd_public_key: Option<String>,
    now: DateTime<Utc>,
) -> Heartbeat {
    let (camera, bluetooth) = devices.get();
    Heartbeat {
        protocol: PROTOCOL_VERSION,
        kiosk_id: kiosk_id.to_owned(),
        sent_at: now,
        software_version: env!("CARGO_PKG_VERSION").to_owned(),
        queue_depth: status.unsynced,
        last_sync_error: status
            .failing()
            .then(|| status.last_error.as_ref().map(|e| e.detail.clone()))
            .flatten(),
        camera,
        bluetooth,
        hours,
        ckd_public_key,
    }
}

/// Where the hours of a heartbeat start.
pub fn hours_since(now: DateTime<Utc>) -> DateTime<Utc> {
    now - TimeDelta::hours(HOURS_SENT)
}
