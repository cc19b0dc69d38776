//! What the console reads and writes on SQLite: flagged visitors and their
//! follow-up steps, and the append-only audit log.

use rusqlite::params;

use super::{SqliteDb, db_err, export_row};
use crate::HubError;
use crate::db::{AuditEntry, ExportRow};

const FLAGGED: &str =
    "FROM records WHERE kind = 'declaration' AND json_extract(body, '$.flagged') = 1";

impl SqliteDb {
    /// Flagged declarations, newest first, one page; and how many in all.
    pub fn flagged(&self, offset: u64, limit: u64) -> Result<(Vec<ExportRow>, u64), HubError> {
        let conn = self.conn()?;
        let total: i64 = conn
            .query_row(&format!("SELECT count(*) {FLAGGED}"), [], |r| r.get(0))
            .map_err(db_err)?;
        let mut stmt = conn
            .prepare(&format!(
                "SELECT id, kiosk_id, kind, created_at, received_at, body {FLAGGED}
                 ORDER BY created_at DESC, id DESC LIMIT ?1 OFFSET ?2"
            ))
            .map_err(db_err)?;
        let rows = stmt
            .query_map(params![limit as i64, offset as i64], export_row)
            .map_err(db_err)?
            .collect::<Result<_, _>>()
            .map_err(db_err)?;
        Ok((rows, total.max(0) as u64))
    }

    /// Records of one kind, newest first, one page; and how many in all.
    pub fn of_kind(
        &self,
        kind: &str,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<ExportRow>, u64), HubError> {
        let conn = self.conn()?;
        let total: i64 = conn
            .query_row(
                "SELECT count(*) FROM records WHERE kind = ?1",
                [kind],
                |r| r.get(0),
            )
            .map_err(db_err)?;
        let mut stmt = conn
            .prepare(
                "SELECT id, kiosk_id, kind, created_at, received_at, body FROM records
                 WHERE kind = ?1 ORDER BY created_at DESC, id DESC LIMIT ?2 OFFSET ?3",
            )
            .map_err(db_err)?;
        let rows = stmt
            .query_map(params![kind, limit as i64, offset as i64], export_row)
            .map_err(db_err)?
            .collect::<Result<_, _>>()
            .map_err(db_err)?;
        Ok((rows, total.max(0) as u64))
    }

    /// The follow-up steps of these declarations, oldest first.
    pub fn follow_ups_of(&self, ids: &[String]) -> Result<Vec<ExportRow>, HubError> {
        let ids = serde_json::to_string(ids).map_err(db_err)?;
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare(
                "SELECT id, kiosk_id, kind, created_at, received_at, body FROM records
                 WHERE kind = 'follow-up'
                   AND json_extract(body, '$.declaration_id') IN (SELECT value FROM json_each(?1))
                 ORDER BY created_at, id",
            )
            .map_err(db_err)?;
        let rows = stmt.query_map([ids], export_row).map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)
    }

    pub fn audit(&self, e: &AuditEntry) -> Result<(), HubError> {
        self.conn()?
            .execute(
                "INSERT INTO audit (at, account, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![e.at, e.account, e.action, e.target, e.detail],
            )
            .map_err(db_err)?;
        Ok(())
    }

    /// The newest `limit` audit entries, newest first.
    pub fn audit_entries(&self, limit: u64) -> Result<Vec<AuditEntry>, HubError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare(
                "SELECT at, account, action, target, detail FROM audit ORDER BY seq DESC LIMIT ?1",
            )
            .map_err(db_err)?;
        let rows = stmt
            .query_map([limit as i64], |r| {
                Ok(AuditEntry {
                    at: r.get(0)?,
                    account: r.get(1)?,
                    action: r.get(2)?,
                    target: r.get(3)?,
                    detail: r.get(4)?,
                })
            })
            .map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)
    }
}
