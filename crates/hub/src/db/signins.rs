//! What the console remembers between requests, in the store so that every
//! hub on one PostgreSQL shares it: sessions (by the hash of their id),
//! failed sign-ins (by account and by address), and when each timer last ran
//! (so a timer runs on one hub at a time, once per period).
//! Each dialect's queries side by side, one file each.

pub(super) mod pg;
pub(super) mod sqlite;

/// The tables, in words both dialects read alike. Times are kept in the
/// stored text form (`rows::timestamp`) on both, so they compare alike too.
pub const SCHEMA_8: &str = "
CREATE TABLE IF NOT EXISTS sessions (
    id_hash text PRIMARY KEY,
    account text NOT NULL,
    role    text NOT NULL,
    groups  text NOT NULL,
    csrf    text NOT NULL,
    started text NOT NULL,
    seen    text NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_account ON sessions (account);
CREATE TABLE IF NOT EXISTS signin_failures (
    subject text NOT NULL,
    at      text NOT NULL
);
CREATE INDEX IF NOT EXISTS signin_failures_subject ON signin_failures (subject, at);
CREATE INDEX IF NOT EXISTS signin_failures_at ON signin_failures (at);
CREATE TABLE IF NOT EXISTS timer_runs (
    name text PRIMARY KEY,
    last text NOT NULL
);
";

/// A session as stored: times in the stored form (`rows::timestamp`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    pub account: String,
    pub role: String,
    /// Comma-separated, as the accounts table keeps them.
    pub groups: String,
    pub csrf: String,
    pub started: String,
    pub seen: String,
}
