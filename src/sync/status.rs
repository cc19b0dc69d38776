//! What the status bar and `queue stats` show about sync: pending count, last
//! success, last error. Kept in a small file in the data folder so another
//! process (the CLI) sees what the window's worker last did.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::paths::DataDir;
use checkpoint_i18n::Message;

/// What the worker is doing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WorkerState {
    /// No hub configured.
    #[default]
    Disabled,
    /// Everything sent; waiting for new records.
    Idle,
    /// A batch is on its way.
    Sending,
    /// The last attempt failed; waiting before the next.
    Retrying,
}

/// The last failure, localised late.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastError {
    pub at: DateTime<Utc>,
    pub message: Message,
    /// Technical detail for logs and staff (no personal data).
    pub detail: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SyncStatus {
    pub state: WorkerState,
    /// Records not yet confirmed by the hub.
    pub unsynced: u64,
    pub last_success: Option<DateTime<Utc>>,
    pub last_error: Option<LastError>,
    /// Hub clock minus kiosk clock at the last answer, in milliseconds.
    pub clock_skew_ms: Option<i64>,
    /// Records confirmed since the worker started.
    pub synced_since_start: u64,
}

impl SyncStatus {
    /// Whether the last error is newer than the last success (worth showing).
    pub fn failing(&self) -> bool {
        match (&self.last_error, self.last_success) {
            (Some(e), Some(ok)) => e.at > ok,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }
}

/// Where the status is kept.
pub fn status_file(data: &DataDir) -> PathBuf {
    data.root().join("sync-status.json")
}

/// The last saved status, if any (a damaged file reads as none).
pub fn load(path: &Path) -> Option<SyncStatus> {
    let text = std::fs::read(path).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Saves atomically (write then rename), so a reader never sees half a file.
pub fn save(path: &Path, status: &SyncStatus) -> std::io::Result<()> {
    let tmp = path.with_extension("json.tmp");
    let text = serde_json::to_vec_pretty(status).map_err(std::io::Error::other)?;
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkpoint_i18n::fl;

    #[test]
    fn saves_and_loads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        assert!(load(&path).is_none());
        let status = SyncStatus {
            state: WorkerState::Retrying,
            unsynced: 7,
            last_success: Some(Utc::now()),
            last_error: Some(LastError {
                at: Utc::now(),
                message: Message::new(fl!("sync-offline")),
                detail: "connection refused".into(),
            }),
            clock_skew_ms: Some(-40),
            synced_since_start: 3,
        };
        save(&path, &status).unwrap();
        assert_eq!(load(&path), Some(status.clone()));
        assert!(status.failing());
        std::fs::write(&path, b"{broken").unwrap();
        assert!(load(&path).is_none());
    }
}
