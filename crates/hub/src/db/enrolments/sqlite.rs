//! Enrolment codes on SQLite (see crate::enrolment).

use rusqlite::{OptionalExtension as _, params};

use crate::HubError;
use crate::db::sqlite::{SqliteDb, db_err};
use crate::rows::Enrolment;

pub const SCHEMA_6: &str = "
CREATE TABLE IF NOT EXISTS enrolments (
    secret_hash   TEXT PRIMARY KEY,
    checkpoint_id TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT,
    kiosk_id      TEXT,
    revoked_at    TEXT
);
";

const COLUMNS: &str =
    "secret_hash, checkpoint_id, created_by, created_at, expires_at, used_at, kiosk_id, revoked_at";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Enrolment> {
    let hash: String = r.get(0)?;
    Ok(Enrolment {
        id: hash.get(..12).unwrap_or_default().to_owned(),
        checkpoint_id: r.get(1)?,
        created_by: r.get(2)?,
        created_at: r.get(3)?,
        expires_at: r.get(4)?,
        used_at: r.get(5)?,
        kiosk_id: r.get(6)?,
        revoked_at: r.get(7)?,
    })
}

impl SqliteDb {
    pub fn add_enrolment(&self, e: &Enrolment, hash: &str) -> Result<(), HubError> {
        self.conn()?
            .execute(
                "INSERT INTO enrolments (secret_hash, checkpoint_id, created_by, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![hash, e.checkpoint_id, e.created_by, e.created_at, e.expires_at],
            )
            .map_err(db_err)?;
        Ok(())
    }

    pub fn enrolments(&self) -> Result<Vec<Enrolment>, HubError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM enrolments ORDER BY created_at DESC LIMIT 500"
            ))
            .map_err(db_err)?;
        let rows = stmt.query_map([], row).map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)
    }

    pub fn enrolment_by_hash(&self, hash: &str) -> Result<Option<Enrolment>, HubError> {
        self.conn()?
            .query_row(
                &format!("SELECT {COLUMNS} FROM enrolments WHERE secret_hash = ?1"),
                [hash],
                row,
            )
            .optional()
            .map_err(db_err)
    }

    /// Marks the code used by `kiosk_id`; `false` when it was not free.
    pub fn claim_enrolment(&self, hash: &str, kiosk_id: &str, now: &str) -> Result<bool, HubError> {
        let n = self
            .conn()?
            .execute(
                "UPDATE enrolments SET used_at = ?3, kiosk_id = ?2
                 WHERE secret_hash = ?1 AND used_at IS NULL AND revoked_at IS NULL
                   AND expires_at > ?3",
                params![hash, kiosk_id, now],
            )
            .map_err(db_err)?;
        Ok(n == 1)
    }

    /// Revokes the unused codes whose id starts with `id`; how many.
    pub fn revoke_enrolment(&self, id: &str, now: &str) -> Result<u64, HubError> {
        let n = self
            .conn()?
            .execute(
                "UPDATE enrolments SET revoked_at = ?2
                 WHERE substr(secret_hash, 1, length(?1)) = ?1
                   AND used_at IS NULL AND revoked_at IS NULL",
                params![id, now],
            )
            .map_err(db_err)?;
        Ok(n as u64)
    }
}
