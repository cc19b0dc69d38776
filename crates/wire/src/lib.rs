//! The wire protocol between a kiosk and a hub, shared by both sides: one
//! definition of every type that crosses the network, and of the protocol's
//! versioning (see [`HubInfo`]).
//!
//! `POST /api/v1/records`, body = gzip(JSON [`BatchRequest`]), headers
//! `Authorization: Bearer <token>`, `CK-Protocol: 1`, `Content-Encoding: gzip`.
//! The answer is a [`BatchAnswer`] whose `results[i]` answers `records[i]`;
//! errors are an [`ErrorBody`] with a 4xx/5xx status. See docs/sync.md.

use std::io::{Read, Write};

use chrono::{DateTime, Utc};
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use uuid::Uuid;

mod enrolment;
mod fleet;
mod follow_up;
mod heartbeat;
mod info;

pub use enrolment::{ENROL_PATH, EnrolAnswer, EnrolRequest, EnrolmentCode, EnrolmentCodeError};
pub use fleet::{FLEET_PATH, SignedFleet};
pub use follow_up::{
    FOLLOW_UP_BY_MAX, FOLLOW_UP_NOTE_MAX, FollowUp, FollowUpState, sql as follow_up_sql,
};
pub use heartbeat::{
    DeviceState, HEARTBEAT_MAX_HOURS, HEARTBEAT_PATH, HEARTBEAT_TEXT_MAX, Heartbeat,
    HeartbeatAnswer, HourCounts,
};
pub use info::{Feature, HubInfo, INFO_PATH};

/// The protocol version this build speaks.
pub const PROTOCOL_VERSION: u32 = 1;
/// The header that carries the protocol version in every request.
pub const PROTOCOL_HEADER: &str = "ck-protocol";
/// The records endpoint.
pub const RECORDS_PATH: &str = "/api/v1/records";
/// The health endpoint.
pub const HEALTH_PATH: &str = "/healthz";

/// What a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecordKind {
    /// A health declaration.
    Declaration,
    /// A report (phản ánh).
    Report,
    /// A step of a flagged visitor's follow-up ([`FollowUp`]); protocol 1
    /// hubs without the info endpoint do not know it.
    FollowUp,
}

impl RecordKind {
    /// Every kind this build knows, in the order the queue sends them.
    pub const ALL: [RecordKind; 3] = [
        RecordKind::Declaration,
        RecordKind::Report,
        RecordKind::FollowUp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Declaration => "declaration",
            RecordKind::Report => "report",
            RecordKind::FollowUp => "follow-up",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "declaration" => Some(RecordKind::Declaration),
            "report" => Some(RecordKind::Report),
            "follow-up" => Some(RecordKind::FollowUp),
            _ => None,
        }
    }
}

/// One record on its way to the hub, exactly as it goes on the wire.
#[derive(Debug, Clone, Serialize)]
pub struct OutgoingRecord {
    /// UUID v7, created on the kiosk: the idempotency key end to end.
    pub id: Uuid,
    pub kind: RecordKind,
    pub kiosk_id: String,
    pub created_at: DateTime<Utc>,
    /// The record itself (a declaration or a report), a JSON object sent
    /// verbatim as the queue keeps it: no parse and re-serialisation per
    /// record on the kiosk, and the hub gets exactly the stored bytes.
    pub body: Box<RawValue>,
}

/// One batch sent by a kiosk.
#[derive(Debug, Clone, Serialize)]
pub struct BatchRequest<'a> {
    pub protocol: u32,
    pub kiosk_id: &'a str,
    /// The kiosk's clock when it sent the batch (for skew reporting).
    pub sent_at: DateTime<Utc>,
    pub records: &'a [OutgoingRecord],
}

/// What became of one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// New on the hub, now durable there.
    Stored,
    /// Already on the hub (an earlier attempt reached it): also durable.
    Duplicate,
    /// Refused for good; see the matching entry of `rejected`.
    Rejected,
}

/// The reason of a record made later than the hub's clock allows: the
/// kiosk's clock is ahead. Not final: the kiosk keeps it and sends it again.
pub const CLOCK_AHEAD: &str = "clock-ahead";

/// How far ahead of the hub's clock a record's `created_at` may be before the
/// hub refuses it as [`CLOCK_AHEAD`] (and the kiosk warns about its clock).
pub const CLOCK_AHEAD_TOLERANCE_MINUTES: i64 = 10;

/// Why a record was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    /// Position in the request's `records`.
    pub index: usize,
    /// A stable code, e.g. `invalid-id`, `kiosk-mismatch` (see docs/sync.md).
    pub reason: String,
    /// Human-readable detail (English, for logs).
    pub detail: String,
}

impl Rejection {
    /// Whether the kiosk should keep the record and send it again later
    /// rather than mark it refused for good.
    pub fn is_retryable(&self) -> bool {
        self.reason == CLOCK_AHEAD
    }
}

/// The hub's answer to a batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchAnswer {
    pub protocol: u32,
    /// The hub's clock when it answered.
    pub server_time: DateTime<Utc>,
    /// Hub clock minus the kiosk's `sent_at`, in milliseconds (transit time included).
    pub clock_skew_ms: i64,
    /// `results[i]` answers `records[i]`.
    pub results: Vec<Outcome>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<Rejection>,
}

/// The body of every error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// A stable code, e.g. `malformed-json`, `invalid-token` (see docs/sync.md).
    pub error: String,
    pub detail: String,
}

/// Gzip-compresses `bytes`, at the fastest level: batches of records are
/// repetitive enough that it already shrinks them about tenfold, and a
/// higher level costs the kiosk several times the CPU for a few bytes.
pub fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut enc = GzEncoder::new(Vec::with_capacity(bytes.len() / 4), Compression::fast());
    enc.write_all(bytes)?;
    enc.finish()
}

/// Why a compressed body could not be expanded.
#[derive(Debug, thiserror::Error)]
pub enum InflateError {
    #[error("expanded body exceeds {limit} bytes")]
    TooLarge { limit: usize },
    #[error("invalid gzip data: {0}")]
    Corrupt(#[from] std::io::Error),
}

/// Expands gzip data, refusing to produce more than `limit` bytes (a zip bomb
/// stops at the limit instead of filling memory).
pub fn gunzip_limited(bytes: &[u8], limit: usize) -> Result<Vec<u8>, InflateError> {
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(4).min(limit));
    let read_cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    GzDecoder::new(bytes).take(read_cap).read_to_end(&mut out)?;
    if out.len() > limit {
        return Err(InflateError::TooLarge { limit });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_roundtrip_and_limit() {
        let data = vec![b'a'; 100_000];
        let z = gzip(&data).unwrap();
        assert!(z.len() < 1_000);
        assert_eq!(gunzip_limited(&z, 100_000).unwrap(), data);
        assert!(matches!(
            gunzip_limited(&z, 99_999),
            Err(InflateError::TooLarge { limit: 99_999 })
        ));
        assert!(matches!(
            gunzip_limited(b"not gzip", 10),
            Err(InflateError::Corrupt(_))
        ));
    }

    #[test]
    fn answer_wire_form_is_compact() {
        let a = BatchAnswer {
            protocol: 1,
            server_time: Utc::now(),
            clock_skew_ms: 3,
            results: vec![Outcome::Stored, Outcome::Duplicate],
            rejected: vec![],
        };
        let text = serde_json::to_string(&a).unwrap();
        assert!(
            text.contains(r#""results":["stored","duplicate"]"#),
            "{text}"
        );
        assert!(!text.contains("rejected"));
        let back: BatchAnswer = serde_json::from_str(&text).unwrap();
        assert_eq!(back, a);
    }
}
