//! What the console remembers between requests, in the store so that every
//! hub on one PostgreSQL shares it: sessions (by the hash of their id),
//! failed sign-ins (by account and by address), and when each timer last ran
//! (so a timer runs on one hub at a time, once per period).
//! Each dialect's queries side by side, one file each.

pub(super) mod pg;
pub(super) mod sqlite;

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
