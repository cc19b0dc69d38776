//! The kiosk's store, opened where its data folder and configuration say:
//! the one place that turns the kiosk's settings into the store's own.

use checkpoint_store::{Location, Settings, Store, StoreError};

use crate::config::Config;
use crate::paths::DataDir;

/// What the store needs to know from the kiosk's configuration.
pub fn settings(config: &Config) -> Settings {
    Settings {
        retention_days: config.store.retention_days,
        keep_unacknowledged: config.sync.is_enabled(),
        kiosk_id: config.kiosk.id.trim().to_owned(),
    }
}

/// Where the data folder keeps the database and its key.
pub fn location(data: &DataDir) -> Location {
    Location {
        database: data.database(),
        key_file: data.key_file(),
        key_protection: data.key_protection(),
    }
}

/// Opens (creating on first run) the data folder's store with the configured key.
pub fn open_store(data: &DataDir, config: &Config) -> Result<Store, StoreError> {
    data.ensure()
        .map_err(|e| StoreError::from_io(data.root(), e, false))?;
    Store::open(&location(data), &config.store, settings(config))
}
