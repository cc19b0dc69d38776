//! What a kiosk says about itself besides records: `POST /api/v1/heartbeat`
//! (a hub announcing [`Feature::Heartbeat`](crate::Feature) takes it), a
//! [`Heartbeat`] as JSON (gzip like a batch, or plain), answered with a
//! [`HeartbeatAnswer`]. Counts only, never a visitor's data.
//!
//! The hourly counts are the kiosk's own totals for each recent hour, sent
//! again whole every time: the hub keeps the latest figures of each
//! (kiosk, hour), so a heartbeat lost or repeated changes nothing.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The heartbeat endpoint.
pub const HEARTBEAT_PATH: &str = "/api/v1/heartbeat";
/// Hours one heartbeat may carry (the kiosk sends the last 48).
pub const HEARTBEAT_MAX_HOURS: usize = 72;
/// The longest text field (version, error, device state) the hub keeps.
pub const HEARTBEAT_TEXT_MAX: usize = 200;

/// The state of the camera or of Bluetooth, in words both sides know:
/// `working`, `demo` (no camera: the demo frames), `replay`, `off`
/// (switched off in the settings), `starting`, `missing` (no device),
/// `failed`. A hub shows a state it does not know as it came.
pub type DeviceState = String;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heartbeat {
    pub protocol: u32,
    pub kiosk_id: String,
    /// The kiosk's clock when it sent this (the hub reports the skew).
    pub sent_at: DateTime<Utc>,
    pub software_version: String,
    /// Records waiting to be sent.
    #[serde(deserialize_with = "whole::u64")]
    pub queue_depth: u64,
    /// The last sync attempt's error, if the last attempt failed.
    #[serde(default)]
    pub last_sync_error: Option<String>,
    pub camera: DeviceState,
    pub bluetooth: DeviceState,
    /// Totals of recent hours, oldest first.
    #[serde(default)]
    pub hours: Vec<HourCounts>,
    /// The kiosk's saved-declaration key (Ed25519, base64), which the hub
    /// hands to the whole fleet: also for kiosks configured by hand, which
    /// never sent it at enrolment. Older hubs ignore it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ckd_public_key: Option<String>,
}

/// One hour at one kiosk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HourCounts {
    /// The hour's start, UTC.
    pub hour: DateTime<Utc>,
    /// Declarations submitted.
    #[serde(deserialize_with = "whole::u32")]
    pub checkins: u32,
    /// Check-ins while Bluetooth was listening (the adoption's denominator).
    #[serde(deserialize_with = "whole::u32")]
    pub observed: u32,
    /// Check-ins with a Bluezone phone near.
    #[serde(deserialize_with = "whole::u32")]
    pub with_bluezone: u32,
    /// Distinct Bluezone phones heard.
    #[serde(deserialize_with = "whole::u32")]
    pub bluezone_seen: u32,
}

/// Counts as JSON allows integers: `12` or `12.0` (JSON Schema calls both
/// an integer, and some encoders write the second). Anything with a
/// fraction, negative or too large is refused.
mod whole {
    use serde::{Deserialize, Deserializer, de::Error};

    fn read<'de, D: Deserializer<'de>>(d: D, max: u64) -> Result<u64, D::Error> {
        let n = serde_json::Number::deserialize(d)?;
        // 2^64: every f64 from here up is beyond any u64 (u64::MAX as f64 rounds up to it).
        const BEYOND_U64: f64 = 18_446_744_073_709_551_616.0;
        let value = n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < BEYOND_U64)
                .map(|f| f as u64)
        });
        value
            .filter(|v| *v <= max)
            .ok_or_else(|| D::Error::custom(format!("{n} is not a whole number from 0 to {max}")))
    }

    pub fn u32<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        read(d, u64::from(u32::MAX)).map(|v| v as u32)
    }

    pub fn u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        read(d, u64::MAX)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeartbeatAnswer {
    pub server_time: DateTime<Utc>,
    /// Hub clock minus the kiosk's `sent_at`, in milliseconds.
    pub clock_skew_ms: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_whole_numbers_in_either_spelling() {
        let hour = |n: &str| {
            serde_json::from_str::<HourCounts>(&format!(
                r#"{{"hour":"2026-12-05T03:00:00Z","checkins":{n},"observed":0,"with_bluezone":0,"bluezone_seen":0}}"#
            ))
            .map(|h| h.checkins)
        };
        assert_eq!(hour("12").unwrap(), 12);
        assert_eq!(hour("12.0").unwrap(), 12);
        assert_eq!(hour("4294967295").unwrap(), u32::MAX);
        for bad in ["12.5", "-1", "4294967296", "1e300", "\"3\""] {
            assert!(hour(bad).is_err(), "{bad}");
        }
        let depth = |n: &str| {
            serde_json::from_str::<Heartbeat>(&format!(
                r#"{{"protocol":1,"kiosk_id":"K","sent_at":"2026-12-05T03:00:00Z","software_version":"",
                    "queue_depth":{n},"camera":"","bluetooth":""}}"#
            ))
            .map(|h| h.queue_depth)
        };
        assert_eq!(depth("18446744073709551615").unwrap(), u64::MAX);
        for bad in ["18446744073709551616", "1.8446744073709552e19"] {
            assert!(depth(bad).is_err(), "{bad}");
        }
    }
}
