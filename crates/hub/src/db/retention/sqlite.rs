//! Retention on SQLite: records past their time are deleted, with
//! `secure_delete` on (their pages are overwritten) and the write-ahead log
//! truncated after, so no copy is left in either file.

use rusqlite::params;

use crate::HubError;
use crate::db::sqlite::{SqliteDb, db_err};
use crate::rows::Purged;
use checkpoint_wire::follow_up_sql::{self as sql, Column};

/// A flagged declaration whose follow-up is not over (no step at all is "new").
fn under_follow_up() -> String {
    format!(
        "flagged = 1 AND kind = 'declaration' AND {}",
        sql::open(Column::NullIsNew("follow_up"))
    )
}

impl SqliteDb {
    /// Deletes audit entries taken before `before` (the trigger refuses any
    /// younger than `AUDIT_MIN_DAYS`); `secure_delete` overwrites them.
    pub fn purge_audit(&self, before: &str) -> Result<u64, HubError> {
        let conn = self.conn()?;
        let n = conn
            .execute("DELETE FROM audit WHERE at < ?1", params![before])
            .map_err(db_err)?;
        Ok(n as u64)
    }

    /// Deletes records created before `before`, except flagged declarations
    /// under follow-up created at or after `follow_up_before` (and their
    /// steps). Timestamps in the stored form.
    pub fn purge(&self, before: &str, follow_up_before: &str) -> Result<Purged, HubError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction().map_err(db_err)?;
        let under_follow_up = under_follow_up();
        let kept: i64 = tx
            .query_row(
                &format!(
                    "SELECT count(*) FROM records
                     WHERE created_at < ?1 AND created_at >= ?2 AND {under_follow_up}"
                ),
                params![before, follow_up_before],
                |r| r.get(0),
            )
            .map_err(db_err)?;
        let main = tx
            .execute(
                &format!(
                    "DELETE FROM records WHERE kind <> 'follow-up' AND created_at < ?1
                     AND NOT (created_at >= ?2 AND {under_follow_up})"
                ),
                params![before, follow_up_before],
            )
            .map_err(db_err)?;
        // Steps go with their declaration (steps of a kept one stay).
        let steps = tx
            .execute(
                "DELETE FROM records WHERE kind = 'follow-up' AND created_at < ?1
                 AND (subject IS NULL OR subject NOT IN (SELECT id FROM records WHERE kind = 'declaration'))",
                params![before],
            )
            .map_err(db_err)?;
        tx.commit().map_err(db_err)?;
        if main + steps > 0 {
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
                .map_err(db_err)?;
        }
        Ok(Purged {
            records: (main + steps) as u64,
            kept_for_follow_up: kept.max(0) as u64,
            audit_entries: 0,
        })
    }
}
