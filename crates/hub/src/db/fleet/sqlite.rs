//! The fleet's configuration on SQLite: one row per entry (a kiosk's key,
//! a setting, the imported trust list), with when it was set.

use rusqlite::params;

use crate::HubError;
use crate::db::sqlite::{SqliteDb, db_err};

pub const SCHEMA_7: &str = "
CREATE TABLE IF NOT EXISTS fleet (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
";

impl SqliteDb {
    pub fn fleet_put(&self, key: &str, value: &str, at: &str) -> Result<(), HubError> {
        self.conn()?
            .execute(
                "INSERT INTO fleet (key, value, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (key) DO UPDATE SET value = ?2, updated_at = ?3",
                params![key, value, at],
            )
            .map_err(db_err)?;
        Ok(())
    }

    pub fn fleet_entries(&self) -> Result<Vec<(String, String, String)>, HubError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare("SELECT key, value, updated_at FROM fleet ORDER BY key")
            .map_err(db_err)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)
    }
}
