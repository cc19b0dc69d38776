//! Offline-first sync: the wire protocol, the kiosk's client and the reference hub.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Sync settings. No server: records stay on the kiosk until purged.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SyncConfig {
    /// The hub's base URL, e.g. `https://hub.example:8443`.
    pub server: String,
    /// This kiosk's bearer token.
    pub token: String,
    /// Extra CA certificate (PEM) trusted besides the system roots.
    pub ca_file: Option<PathBuf>,
}
