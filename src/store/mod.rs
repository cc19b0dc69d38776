//! The local queue: one SQLite file, encrypted with SQLCipher, that keeps every
//! declaration, report and staff action until it is synced and its time is up.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Storage settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StoreConfig {
    /// Records older than this many days are purged.
    pub retention_days: u32,
    /// Where the database key is kept; empty: `kiosk.key` in the data folder.
    pub key_file: Option<PathBuf>,
    /// Store without encryption. Only for explicit, informed use.
    pub plaintext: bool,
}

impl Default for StoreConfig {
    fn default() -> Self {
        Self {
            retention_days: 21,
            key_file: None,
            plaintext: false,
        }
    }
}
