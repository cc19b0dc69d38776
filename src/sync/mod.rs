//! Offline-first sync: the kiosk's client of the hub (the protocol is the
//! `checkpoint-wire` crate, the hub the `checkpoint-hub` program).
//!
//! The kiosk keeps every record in its local queue and sends batches to a hub
//! (`POST /api/v1/records`); a record counts as synced only once the hub has
//! answered for it. The hub is idempotent by record id, so every retry is safe.

pub mod backoff;
pub mod client;
mod error;
pub mod heartbeat;
pub mod queue;
pub mod status;
pub mod store_queue;
pub mod tls;
pub mod worker;

pub use error::SyncError;

pub use crate::config::SyncConfig;
