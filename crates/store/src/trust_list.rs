//! The DCC trust list staff imported, kept in the store (encrypted, with the
//! database) with when it was imported and from where, so the kiosk can say
//! how old its list is. One list at a time: an import replaces the last.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension as _, params};

use super::audit::{self, Action, Actor};
use super::{Store, StoreError, time};

/// The list as imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTrustList {
    pub bytes: Vec<u8>,
    pub imported_at: DateTime<Utc>,
    /// The file it came from (its name, for staff).
    pub source: String,
}

impl Store {
    /// Keeps `bytes` (already checked by the caller) as the trust list,
    /// audited with `detail` (counts, never content).
    pub fn save_trust_list(
        &mut self,
        list: &StoredTrustList,
        actor: Actor,
        detail: &str,
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let err = |e| StoreError::from_sqlite(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        tx.execute(
            "INSERT INTO trust_list (id, imported_at, source, bytes) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET imported_at = ?1, source = ?2, bytes = ?3",
            params![time::format(list.imported_at), list.source, list.bytes],
        )
        .map_err(err)?;
        audit::append(
            &tx,
            Utc::now(),
            actor,
            Action::TrustListImported,
            None,
            detail,
        )
        .map_err(err)?;
        tx.commit().map_err(err)
    }

    /// The imported trust list, if any.
    pub fn trust_list(&self) -> Result<Option<StoredTrustList>, StoreError> {
        let row: Option<(String, String, Vec<u8>)> = self
            .conn
            .prepare_cached("SELECT imported_at, source, bytes FROM trust_list WHERE id = 1")
            .and_then(|mut s| {
                s.query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .optional()
            })
            .map_err(|e| self.sqlite_err(e))?;
        Ok(row.and_then(|(at, source, bytes)| {
            Some(StoredTrustList {
                imported_at: time::parse(&at)?,
                source,
                bytes,
            })
        }))
    }
}
