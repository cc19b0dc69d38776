//! What the hub's stores take and hand back: the rows and filters both
//! dialects share, with no behaviour of their own. The front door
//! (`db::HubDb`) and the two stores (`sqlite`, `pg`) import them from here,
//! so neither store depends on the door that dispatches to it.

use std::path::PathBuf;

use chrono::{DateTime, SecondsFormat, Utc};
use uuid::Uuid;

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
    /// Where it was taken; `None` while its kiosk is assigned to none.
    pub checkpoint_id: Option<String>,
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

/// A place where kiosks stand: the unit that counts and tracing are about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// Short and stable, chosen by the admin (`moc-bai-1`).
    pub id: String,
    pub name: String,
    /// Codes from the address data (empty: not given).
    pub province: String,
    pub ward: String,
    /// The unit of the campaign it belongs to (a district, a union branch, a hospital).
    pub group: String,
    /// The kiosks assigned to it (read only; assigned one by one).
    pub kiosks: Vec<String>,
}

impl Checkpoint {
    /// A checkpoint known by its id and name only: no place, no group, no
    /// kiosk yet.
    pub fn named(id: &str, name: &str) -> Self {
        Self {
            id: id.to_owned(),
            name: name.to_owned(),
            province: String::new(),
            ward: String::new(),
            group: String::new(),
            kiosks: Vec::new(),
        }
    }
}

/// One page of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageOf {
    pub offset: u64,
    pub limit: u64,
}

impl PageOf {
    /// Page `number` (from 0) of `size` rows.
    pub fn number(number: u64, size: u64) -> Self {
        Self {
            offset: number.saturating_mul(size),
            limit: size,
        }
    }
}

/// Where a check-in was taken, for tracing: the checkpoint, or the kiosk
/// when it is assigned to none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Checkpoint(String),
    Kiosk(String),
}

impl Place {
    pub fn of(row: &ExportRow) -> Self {
        match &row.checkpoint_id {
            Some(c) => Place::Checkpoint(c.clone()),
            None => Place::Kiosk(row.kiosk_id.clone()),
        }
    }
}

/// Who was at a place within a window of time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    pub place: Place,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// How long the hub keeps records: `days` after they were taken, and a
/// flagged declaration whose follow-up is not cleared up to
/// `follow_up_max_days`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionRule {
    pub days: u32,
    pub follow_up_max_days: u32,
    /// Days an audit entry is kept (at least [`AUDIT_MIN_DAYS`]).
    pub audit_days: u32,
}

/// The audit log keeps at least this many days: its append-only triggers
/// refuse to delete anything younger, whoever asks.
pub const AUDIT_MIN_DAYS: u32 = 30;

impl Default for RetentionRule {
    fn default() -> Self {
        Self {
            days: 21,
            follow_up_max_days: 90,
            audit_days: 365,
        }
    }
}

/// One page of an export from the console: records of some kinds taken in
/// `[from, to)` at a checkpoint (or all within the scope), after `after`
/// (the last `(created_at, id)` of the previous page), oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportPage {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub checkpoint: Option<String>,
    pub kinds: Vec<RecordKind>,
    pub after: Option<(String, String)>,
    pub limit: u64,
}

/// Each checkpoint's name by its id.
pub fn names_of(checkpoints: &[Checkpoint]) -> std::collections::HashMap<&str, &str> {
    checkpoints
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect()
}

/// What retention removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub records: u64,
    /// Flagged declarations past the retention time kept for their follow-up.
    pub kept_for_follow_up: u64,
    /// Audit entries past their time.
    pub audit_entries: u64,
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

/// A stored time ([`timestamp`]) in Vietnam's time, for people, whatever
/// the server's zone; as stored if it cannot be read.
pub fn vietnam_text(at: &str, format: &str) -> String {
    match at.parse::<DateTime<Utc>>() {
        Ok(t) => t
            .with_timezone(&checkpoint_domain::clock::vietnam())
            .format(format)
            .to_string(),
        Err(_) => at.to_owned(),
    }
}

/// UTC, fixed width, so text order is time order (SQLite compares text).
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Which tokens `hub token revoke` revokes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevokeSelector {
    /// The start of a token's hash, as `token list` shows it.
    Id(String),
    /// Every token of a kiosk.
    Kiosk(String),
}

/// One code as the hub keeps it (never the secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    /// The first 12 hex digits of the secret's hash: how lists and revocation name it.
    pub id: String,
    pub checkpoint_id: String,
    pub created_by: String,
    pub created_at: String,
    pub expires_at: String,
    pub used_at: Option<String>,
    /// The kiosk it made.
    pub kiosk_id: Option<String>,
    pub revoked_at: Option<String>,
}

/// The kiosk id under which steps recorded on the console are stored (no
/// kiosk may have it: `HubDb::add_token` refuses it).
pub const CONSOLE_SOURCE: &str = "console";
