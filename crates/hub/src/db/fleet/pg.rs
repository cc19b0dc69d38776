//! The fleet's configuration on PostgreSQL (see the SQLite store's).

use crate::HubError;
use crate::db::pg::{PgDb, db_err};

pub const SCHEMA_7: &str = "
CREATE TABLE IF NOT EXISTS fleet (
    key        text PRIMARY KEY,
    value      text NOT NULL,
    updated_at text NOT NULL
);
";

impl PgDb {
    pub async fn fleet_put(&self, key: &str, value: &str, at: &str) -> Result<(), HubError> {
        self.client()
            .await?
            .execute(
                "INSERT INTO fleet (key, value, updated_at) VALUES ($1, $2, $3)
                 ON CONFLICT (key) DO UPDATE SET value = $2, updated_at = $3",
                &[&key, &value, &at],
            )
            .await
            .map_err(db_err)?;
        Ok(())
    }

    pub async fn fleet_entries(&self) -> Result<Vec<(String, String, String)>, HubError> {
        let rows = self
            .client()
            .await?
            .query("SELECT key, value, updated_at FROM fleet ORDER BY key", &[])
            .await
            .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect())
    }
}
