//! What scanned bytes mean: ID cards, vaccination certificates, saved
//! declarations, contacts, links and text.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Payload settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PayloadConfig {
    /// The trust list of vaccination-certificate signers; empty: `trust-list.json` in the data folder.
    pub trust_list: Option<PathBuf>,
}
