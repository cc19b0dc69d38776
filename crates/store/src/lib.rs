//! The local queue: one SQLite file, encrypted with SQLCipher, that keeps every
//! declaration, report and staff action until it is synced and its time is up.
//!
//! Durability: WAL with `synchronous = FULL`, so a record is on disk when
//! `insert_*` returns. Privacy: the file is encrypted with a raw 256-bit key
//! (see [`key`]), deleted content is overwritten (`secure_delete`), and a
//! purge truncates the write-ahead log so old pages do not linger there.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension as _, params};
use serde::{Deserialize, Serialize};

pub mod audit;
mod ble_counts;
mod enrolment;
mod error;
pub mod export;
pub mod follow_up;
pub mod input;
pub mod key;
mod meta;
pub mod queue;
pub mod records;
pub mod retention;
pub mod schema;
pub mod staff;
pub mod sync_queue;
pub(crate) mod time;
pub mod trust_list;

pub use audit::{Action, Actor, AuditEntry};
pub use ble_counts::{Adoption, HourTotals};
pub use checkpoint_wire::RecordKind;
pub use error::StoreError;
pub use key::{Key, Layout};
pub use queue::{DeliveryState, KindCounts, QueueStats, Queued, SyncInfo};
pub use records::Summary;
pub use retention::PurgeReport;
pub use staff::{FlaggedPage, FlaggedVisitor, PeriodCounts, ReportPage};
pub use sync_queue::{DAMAGED_REASON, Mark, QueueCounts};
pub use trust_list::StoredTrustList;

/// Storage settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StoreConfig {
    /// Records older than this many days are purged.
    pub retention_days: u32,
    /// Where the database key is kept; empty: `kiosk.key` in the data folder.
    pub key_file: Option<PathBuf>,
    /// The key itself, 64 hex digits (e.g. `CK_STORE__KEY`); empty: use the key file.
    /// Never written out by `config show`.
    #[serde(skip_serializing)]
    pub key: String,
    /// Store without encryption. Only for explicit, informed use.
    pub plaintext: bool,
    /// How often a running kiosk looks for records past their retention.
    pub purge_every_minutes: u32,
}

impl Default for StoreConfig {
    fn default() -> Self {
        Self {
            retention_days: 21,
            key_file: None,
            key: String::new(),
            plaintext: false,
            purge_every_minutes: 60,
        }
    }
}

/// What the store needs to know besides its key, decided by the caller from
/// its own configuration (the store reads no configuration file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Purge records older than this.
    pub retention_days: u32,
    /// A sync server is configured: keep what it has not acknowledged.
    pub keep_unacknowledged: bool,
    /// The configured kiosk id; empty: the id generated on first run.
    pub kiosk_id: String,
}

impl Default for Settings {
    /// A kiosk with the default retention, no sync server and no configured id.
    fn default() -> Self {
        Self {
            retention_days: StoreConfig::default().retention_days,
            keep_unacknowledged: false,
            kiosk_id: String::new(),
        }
    }
}

/// Where the store's files are: the database and its default key file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub database: PathBuf,
    /// Used (and created on first run) when `StoreConfig` names no key.
    pub key_file: PathBuf,
    /// How a key file created on first run is kept.
    pub key_protection: KeyProtection,
}

/// How the key file created on first run is kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum KeyProtection {
    /// The key in hexadecimal, readable only by its owner where the file
    /// system has owners (a portable kiosk's folder, Linux).
    #[default]
    File,
    /// Encrypted with Windows DPAPI for this machine (a machine-wide install
    /// under `%ProgramData%`): a copy of the folder is useless on another
    /// machine. Elsewhere the same as `File`.
    Machine,
}

/// The open database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    settings: Settings,
    kiosk_id: String,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("kiosk_id", &self.kiosk_id)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating on first run, folder included) the database at
    /// `location` with the key `config` asks for.
    pub fn open(
        location: &Location,
        config: &StoreConfig,
        settings: Settings,
    ) -> Result<Store, StoreError> {
        if let Some(folder) = location
            .database
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(folder).map_err(|e| StoreError::from_io(folder, e, false))?;
        }
        let key = key::resolve(location, config)?;
        Store::open_with(&location.database, &key, settings)
    }

    /// Opens the database at `path` with `key`.
    pub fn open_with(path: &Path, key: &Key, settings: Settings) -> Result<Store, StoreError> {
        let err = |e| StoreError::from_sqlite(path, e);
        create_private(path)?;
        let mut conn = match open_keyed(path, key, Layout::Current) {
            Err(e) if is_not_a_database(&e) && *key != Key::Plaintext => {
                // Made before the current page layout? The same key opens it
                // as it was made (it keeps its layout); else the first error
                // says it: a wrong key, or not a database.
                open_keyed(path, key, Layout::Legacy).map_err(|_| err(e))?
            }
            other => other.map_err(err)?,
        };
        configure(&conn).map_err(err)?;
        let version = schema::migrate(&mut conn).map_err(err)?;
        if version > schema::LATEST {
            return Err(StoreError::TooNew {
                path: path.to_owned(),
                found: version,
                supported: schema::LATEST,
            });
        }
        let generated = meta::init(&mut conn).map_err(err)?;
        let kiosk_id = if settings.kiosk_id.is_empty() {
            generated
        } else {
            settings.kiosk_id.clone()
        };
        let mut store = Store {
            conn,
            path: path.to_owned(),
            settings,
            kiosk_id,
        };
        store.purge_if_due();
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// This kiosk's id: `kiosk.id` when configured, else the one generated on first run.
    pub fn kiosk_id(&self) -> &str {
        &self.kiosk_id
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        let rows: rusqlite::Result<Vec<String>> = self
            .conn
            .prepare("PRAGMA integrity_check")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect());
        rows.map(|r| r.join("\n")).map_err(|e| self.sqlite_err(e))
    }

    /// SQLCipher's page size and HMAC algorithm for the open file (the
    /// layout it was made with; diagnostics and tests).
    pub fn cipher_layout(&self) -> Result<(u32, String), StoreError> {
        let get = |pragma: &str| -> rusqlite::Result<String> {
            self.conn
                .query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))
        };
        let size = get("cipher_page_size").map_err(|e| self.sqlite_err(e))?;
        let hmac = get("cipher_hmac_algorithm").map_err(|e| self.sqlite_err(e))?;
        Ok((size.trim().parse().unwrap_or(0), hmac))
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        schema::version(&self.conn).map_err(|e| self.sqlite_err(e))
    }

    pub(crate) fn sqlite_err(&self, e: rusqlite::Error) -> StoreError {
        StoreError::from_sqlite(&self.path, e)
    }

    /// A meta value, for tests and diagnostics.
    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.sqlite_err(e))
    }
}

/// Creates the database file owner-only before SQLite does (SQLite gives its
/// -wal and -shm files the same permissions).
fn create_private(path: &Path) -> Result<(), StoreError> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        // An existing file we may not write: SQLite says why, precisely.
        Err(_) if path.exists() => Ok(()),
        Err(e) => Err(StoreError::from_io(path, e, false)),
    }
}

/// A connection to `path` keyed for `layout`, checked by a first read (a
/// wrong key or layout shows there, as "file is not a database").
fn open_keyed(path: &Path, key: &Key, layout: Layout) -> rusqlite::Result<Connection> {
    checkpoint_sqlcipher::ready();
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    if let Some(pragma) = key.pragma_for(layout) {
        // Must come first: nothing can be read before the key is set.
        conn.execute_batch(&pragma)?;
    }
    // SQLCipher would print its own errors (a wrong key) to stderr, in
    // English, around our localised message: the error value says it all.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    })?;
    Ok(conn)
}

fn is_not_a_database(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase)
}

/// Settings of every connection: WAL, durable commits, overwritten deletes.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(mode, "the store could not switch to WAL");
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "trusted_schema", "OFF")?;
    // Pages stay decrypted in the cache: 16 MiB holds the state indexes of
    // 100,000+ records (1 KiB pages), so counting the queue again reads no
    // page from disk and decrypts nothing. Memory is taken only as used.
    conn.pragma_update(None, "cache_size", -16_384)?;
    // The kiosk window and a staff command may share the file for a moment.
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_connection_is_durable_and_overwrites_deletes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with(
            &dir.path().join("k.db"),
            &Key::random(),
            Settings::default(),
        )
        .unwrap();
        let get = |name: &str| -> String {
            store
                .conn
                .query_row(&format!("PRAGMA {name}"), [], |r| {
                    r.get::<_, rusqlite::types::Value>(0)
                })
                .map(|v| match v {
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    other => format!("{other:?}"),
                })
                .unwrap()
        };
        assert_eq!(get("journal_mode"), "wal");
        assert_eq!(get("synchronous"), "2", "FULL");
        assert_eq!(get("secure_delete"), "1");
        assert!(!get("cipher_version").is_empty(), "SQLCipher is linked");
    }
}
