//! The meta table: facts about this installation (kiosk id, salt, creation
//! time) and small bookkeeping (last sync, last retention run).

use chrono::Utc;
use rand::RngCore as _;
use rusqlite::{Connection, OptionalExtension as _, TransactionBehavior, params};
use sha2::{Digest as _, Sha256};

use super::{Store, StoreError, time};

pub(crate) const KIOSK_ID: &str = "kiosk_id";
pub(crate) const INSTALL_SALT: &str = "install_salt";
pub(crate) const CREATED_AT: &str = "created_at";
pub(crate) const LAST_SUCCESS: &str = "sync_last_success";
pub(crate) const LAST_ERROR_AT: &str = "sync_last_error_at";
pub(crate) const LAST_ERROR: &str = "sync_last_error";
pub(crate) const RETENTION_LAST_RUN: &str = "retention_last_run";

pub(crate) fn get(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row(params![key], |r| r.get(0))
        .optional()
}

pub(crate) fn set(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// Generates the kiosk id and salt on first run; returns the kiosk id.
pub(crate) fn init(conn: &mut Connection) -> rusqlite::Result<String> {
    if let Some(id) = get(conn, KIOSK_ID)? {
        return Ok(id);
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Another process may have won the race while we waited for the lock.
    let id = match get(&tx, KIOSK_ID)? {
        Some(id) => id,
        None => {
            let id = format!("kiosk-{}", random_hex(6));
            set(&tx, KIOSK_ID, &id)?;
            set(&tx, INSTALL_SALT, &random_hex(32))?;
            set(&tx, CREATED_AT, &time::format(Utc::now()))?;
            id
        }
    };
    tx.commit()?;
    Ok(id)
}

impl Store {
    /// A keyed hash of `value` with this installation's secret salt: lets the
    /// kiosk recognise a repeated value (a returning visitor, a phone seen
    /// again) without keeping the value itself. Hex, 64 digits.
    pub fn pseudonym(&self, value: &str) -> Result<String, StoreError> {
        let salt = get(&self.conn, INSTALL_SALT)
            .map_err(|e| self.sqlite_err(e))?
            .unwrap_or_default();
        let mut h = Sha256::new();
        h.update(salt.as_bytes());
        h.update([0u8]);
        h.update(value.as_bytes());
        Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
    }
}
