//! The hub's store: SQLite (one hub) or PostgreSQL (several hubs sharing one
//! database). Each record is stored once, keyed by its id, whoever sends it
//! and however often: `INSERT … ON CONFLICT (id) DO NOTHING`.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use uuid::Uuid;

use super::HubError;
use super::accounts::{Account, PersonalAccess};
use super::pg::PgDb;
use super::sqlite::SqliteDb;
use checkpoint_wire::RecordKind;

/// Where the hub keeps records and tokens.
#[derive(Debug, Clone)]
pub enum DbTarget {
    /// A SQLite file, encrypted with the key in `key_file` (created on first use).
    Sqlite { path: PathBuf, key_file: PathBuf },
    /// A PostgreSQL URL (`postgres://user@host:port/db`).
    Postgres(String),
}

/// A record that passed validation, ready to store.
#[derive(Debug, Clone)]
pub struct NewRecord {
    pub id: Uuid,
    pub kind: RecordKind,
    pub created_at: DateTime<Utc>,
    /// Compact JSON of the record's body.
    pub body: String,
}

/// A kiosk token as the hub knows it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub hash: String,
    pub kiosk_id: String,
    pub label: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// One row of the CSV export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    pub id: String,
    pub kiosk_id: String,
    pub kind: String,
    pub created_at: String,
    pub received_at: String,
    pub body: String,
}

/// One line of the hub's audit log (append-only): who did what to which
/// record, when (RFC 3339, UTC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: String,
    pub account: String,
    pub action: String,
    /// A record id, an account name, or empty.
    pub target: String,
    /// Counts and such; never personal data.
    pub detail: String,
}

/// Which records to export.
#[derive(Debug, Clone, Default)]
pub struct ExportFilter {
    pub kiosk_id: Option<String>,
    /// Created at or after.
    pub from: Option<DateTime<Utc>>,
    /// Created before.
    pub to: Option<DateTime<Utc>>,
}

/// The groups an account is limited to, as stored (comma-separated).
pub fn split_groups(stored: &str) -> Vec<String> {
    stored
        .split(',')
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .map(str::to_owned)
        .collect()
}

/// UTC, fixed width, so text order is time order (SQLite compares text).
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

#[derive(Debug, Clone)]
pub enum HubDb {
    Sqlite(Arc<SqliteDb>),
    Postgres(Arc<PgDb>),
}

impl HubDb {
    /// Opens (and creates or migrates) the store.
    pub async fn open(target: &DbTarget) -> Result<Self, HubError> {
        Ok(match target {
            DbTarget::Sqlite { path, key_file } => {
                let (path, key_file) = (path.clone(), key_file.clone());
                let db = blocking(move || SqliteDb::open(&path, &key_file)).await?;
                HubDb::Sqlite(Arc::new(db))
            }
            DbTarget::Postgres(url) => HubDb::Postgres(Arc::new(PgDb::connect(url).await?)),
        })
    }

    /// Stores the records of one kiosk; `true` where the record is new,
    /// `false` where it was already there. Atomic: all or nothing.
    pub async fn insert(
        &self,
        kiosk_id: &str,
        records: Vec<NewRecord>,
    ) -> Result<Vec<bool>, HubError> {
        match self {
            HubDb::Sqlite(db) => {
                let (db, kiosk_id) = (db.clone(), kiosk_id.to_owned());
                blocking(move || db.insert(&kiosk_id, &records)).await
            }
            HubDb::Postgres(db) => db.insert(kiosk_id, &records).await,
        }
    }

    /// The kiosk of a token hash and whether it is revoked.
    pub async fn token(&self, hash: &str) -> Result<Option<TokenInfo>, HubError> {
        match self {
            HubDb::Sqlite(db) => {
                let (db, hash) = (db.clone(), hash.to_owned());
                blocking(move || db.token(&hash)).await
            }
            HubDb::Postgres(db) => db.token(hash).await,
        }
    }

    pub async fn add_token(&self, hash: &str, kiosk_id: &str, label: &str) -> Result<(), HubError> {
        match self {
            HubDb::Sqlite(db) => {
                let db = db.clone();
                let (h, k, l) = (hash.to_owned(), kiosk_id.to_owned(), label.to_owned());
                blocking(move || db.add_token(&h, &k, &l)).await
            }
            HubDb::Postgres(db) => db.add_token(hash, kiosk_id, label).await,
        }
    }

    pub async fn tokens(&self) -> Result<Vec<TokenInfo>, HubError> {
        match self {
            HubDb::Sqlite(db) => {
                let db = db.clone();
                blocking(move || db.tokens()).await
            }
            HubDb::Postgres(db) => db.tokens().await,
        }
    }

    /// Revokes every live token whose hash starts with `id_prefix` (at least
    /// 8 hex digits) or whose kiosk is `kiosk_id`; returns how many.
    pub async fn revoke(&self, selector: &RevokeSelector) -> Result<u64, HubError> {
        match self {
            HubDb::Sqlite(db) => {
                let (db, s) = (db.clone(), selector.clone());
                blocking(move || db.revoke(&s)).await
            }
            HubDb::Postgres(db) => db.revoke(selector).await,
        }
    }

    pub async fn export(&self, filter: &ExportFilter) -> Result<Vec<ExportRow>, HubError> {
        match self {
            HubDb::Sqlite(db) => {
                let (db, f) = (db.clone(), filter.clone());
                blocking(move || db.export(&f)).await
            }
            HubDb::Postgres(db) => db.export(filter).await,
        }
    }

    /// Every stored record id (tests and audits count them).
    pub async fn record_ids(&self) -> Result<Vec<Uuid>, HubError> {
        match self {
            HubDb::Sqlite(db) => {
                let db = db.clone();
                blocking(move || db.record_ids()).await
            }
            HubDb::Postgres(db) => db.record_ids().await,
        }
    }

    /// Adds a console account; `false` when the name is taken.
    pub async fn add_account(&self, account: &Account) -> Result<bool, HubError> {
        match self {
            HubDb::Sqlite(db) => {
                let (db, a) = (db.clone(), account.clone());
                blocking(move || db.add_account(&a)).await
            }
            HubDb::Postgres(db) => db.add_account(account).await,
        }
    }

    pub async fn account(&self, name: &str) -> Result<Option<Account>, HubError> {
        match self {
            HubDb::Sqlite(db) => {
                let (db, name) = (db.clone(), name.to_owned());
                blocking(move || db.account(&name)).await
            }
            HubDb::Postgres(db) => db.account(name).await,
        }
    }

    pub async fn accounts(&self) -> Result<Vec<Account>, HubError> {
        match self {
            HubDb::Sqlite(db) => {
                let db = db.clone();
                blocking(move || db.accounts()).await
            }
            HubDb::Postgres(db) => db.accounts().await,
        }
    }

    /// Disables an account; `false` when there is no such enabled account.
    pub async fn disable_account(&self, name: &str) -> Result<bool, HubError> {
        match self {
            HubDb::Sqlite(db) => {
                let (db, name) = (db.clone(), name.to_owned());
                blocking(move || db.disable_account(&name)).await
            }
            HubDb::Postgres(db) => db.disable_account(name).await,
        }
    }

    /// Sets an account's password hash (and enables it); `false`: no such account.
    pub async fn set_password(&self, name: &str, hash: &str) -> Result<bool, HubError> {
        match self {
            HubDb::Sqlite(db) => {
                let (db, name, hash) = (db.clone(), name.to_owned(), hash.to_owned());
                blocking(move || db.set_password(&name, &hash)).await
            }
            HubDb::Postgres(db) => db.set_password(name, hash).await,
        }
    }

    /// Records by kind created at or after `since` (all records without).
    pub async fn kind_counts(
        &self,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<(String, i64)>, HubError> {
        match self {
            HubDb::Sqlite(db) => {
                let db = db.clone();
                let since = since.map(timestamp);
                blocking(move || db.kind_counts(since.as_deref())).await
            }
            HubDb::Postgres(db) => db.kind_counts(since).await,
        }
    }

    /// Flagged declarations, newest first: one page, and how many in all.
    /// Personal data: only for a role that may see it.
    pub async fn flagged(
        &self,
        _access: &PersonalAccess,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<ExportRow>, u64), HubError> {
        match self {
            HubDb::Sqlite(db) => {
                let db = db.clone();
                blocking(move || db.flagged(offset, limit)).await
            }
            HubDb::Postgres(db) => db.flagged(offset, limit).await,
        }
    }

    /// Records of one kind, newest first: one page, and how many in all.
    pub async fn of_kind(
        &self,
        _access: &PersonalAccess,
        kind: RecordKind,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<ExportRow>, u64), HubError> {
        match self {
            HubDb::Sqlite(db) => {
                let db = db.clone();
                blocking(move || db.of_kind(kind.as_str(), offset, limit)).await
            }
            HubDb::Postgres(db) => db.of_kind(kind.as_str(), offset, limit).await,
        }
    }

    /// The follow-up steps of these declarations, oldest first.
    pub async fn follow_ups_of(
        &self,
        _access: &PersonalAccess,
        ids: Vec<String>,
    ) -> Result<Vec<ExportRow>, HubError> {
        match self {
            HubDb::Sqlite(db) => {
                let db = db.clone();
                blocking(move || db.follow_ups_of(&ids)).await
            }
            HubDb::Postgres(db) => db.follow_ups_of(&ids).await,
        }
    }

    /// Appends to the audit log.
    pub async fn audit(&self, entry: AuditEntry) -> Result<(), HubError> {
        match self {
            HubDb::Sqlite(db) => {
                let db = db.clone();
                blocking(move || db.audit(&entry)).await
            }
            HubDb::Postgres(db) => db.audit(&entry).await,
        }
    }

    /// The newest `limit` audit entries, newest first.
    pub async fn audit_entries(&self, limit: u64) -> Result<Vec<AuditEntry>, HubError> {
        match self {
            HubDb::Sqlite(db) => {
                let db = db.clone();
                blocking(move || db.audit_entries(limit)).await
            }
            HubDb::Postgres(db) => db.audit_entries(limit).await,
        }
    }

    /// Whether the store answers (for `/healthz`).
    pub async fn ping(&self) -> Result<(), HubError> {
        match self {
            HubDb::Sqlite(db) => {
                let db = db.clone();
                blocking(move || db.ping()).await
            }
            HubDb::Postgres(db) => db.ping().await,
        }
    }
}

/// Which tokens `hub token revoke` revokes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevokeSelector {
    /// The start of a token's hash, as `token list` shows it.
    Id(String),
    /// Every token of a kiosk.
    Kiosk(String),
}

async fn blocking<T, F>(f: F) -> Result<T, HubError>
where
    F: FnOnce() -> Result<T, HubError> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| HubError::Db(format!("database task failed: {e}")))?
}
