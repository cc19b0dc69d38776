//! The `[sync]` section: how the kiosk reaches its hub (the client and
//! worker that use it are `crate::sync`).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Sync settings. No server: records stay on the kiosk until purged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SyncConfig {
    /// The hub's base URL, e.g. `https://hub.example:8443`.
    pub server: String,
    /// This kiosk's bearer token.
    pub token: String,
    /// Extra CA certificate (PEM) trusted besides the system roots.
    pub ca_file: Option<PathBuf>,
    /// SHA-256 (hex) of the hub's certificate: when set, only that exact
    /// certificate is accepted, whoever signed it.
    pub pinned_cert_sha256: Option<String>,
    /// The hub's Ed25519 key (base64), learned at enrolment: the fleet's
    /// configuration is taken only when signed with it.
    pub hub_key: Option<String>,
    /// Certificates the hub announced in its signed configuration (a renewed
    /// one among them), accepted besides `pinned_cert_sha256`; never in the file.
    #[serde(skip)]
    pub fleet_pins: Vec<String>,
    /// Allow `http://` (no TLS). Only behind a trusted local link.
    pub allow_plain_http: bool,
    /// At most this many records per request.
    pub batch_max_records: usize,
    /// At most about this many bytes of records (before compression) per request.
    pub batch_max_bytes: usize,
    /// Give up on a request after this long (the records stay queued).
    pub request_timeout_secs: u64,
    pub connect_timeout_secs: u64,
    /// First retry delay after a failure; doubles up to the caps below.
    pub retry_base_ms: u64,
    /// Cap of the retry delay while the hub is unreachable (so records go
    /// out within seconds of the network coming back).
    pub offline_retry_max_ms: u64,
    /// Cap of the retry delay when the hub answers with an error (5xx, 401).
    pub retry_max_secs: u64,
    /// How often to look for new records when nobody wakes the worker.
    pub poll_interval_secs: u64,
    /// How often to send the hub a heartbeat (health and hourly counts).
    pub heartbeat_interval_secs: u64,
}

impl Default for SyncConfig {
    fn default() -> Self {
        Self {
            server: String::new(),
            token: String::new(),
            ca_file: None,
            pinned_cert_sha256: None,
            hub_key: None,
            fleet_pins: Vec::new(),
            allow_plain_http: false,
            batch_max_records: 1_000,
            batch_max_bytes: 4 * 1024 * 1024,
            request_timeout_secs: 30,
            connect_timeout_secs: 5,
            retry_base_ms: 250,
            offline_retry_max_ms: 2_000,
            retry_max_secs: 60,
            poll_interval_secs: 5,
            heartbeat_interval_secs: 300,
        }
    }
}

impl SyncConfig {
    /// Whether a hub is configured at all.
    pub fn is_enabled(&self) -> bool {
        !self.server.trim().is_empty()
    }
}
