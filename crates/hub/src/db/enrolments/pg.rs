//! Enrolment codes on PostgreSQL (see the SQLite store's). Times are the
//! same fixed-width UTC text as on SQLite, so both compare them alike.

use crate::HubError;
use crate::db::pg::{PgDb, db_err};
use crate::rows::Enrolment;

pub const SCHEMA_6: &str = "
CREATE TABLE IF NOT EXISTS enrolments (
    secret_hash   text PRIMARY KEY,
    checkpoint_id text NOT NULL,
    created_by    text NOT NULL,
    created_at    text NOT NULL,
    expires_at    text NOT NULL,
    used_at       text,
    kiosk_id      text,
    revoked_at    text
);
";

const COLUMNS: &str =
    "secret_hash, checkpoint_id, created_by, created_at, expires_at, used_at, kiosk_id, revoked_at";

fn row(r: &tokio_postgres::Row) -> Enrolment {
    let hash: String = r.get(0);
    Enrolment {
        id: hash.get(..12).unwrap_or_default().to_owned(),
        checkpoint_id: r.get(1),
        created_by: r.get(2),
        created_at: r.get(3),
        expires_at: r.get(4),
        used_at: r.get(5),
        kiosk_id: r.get(6),
        revoked_at: r.get(7),
    }
}

impl PgDb {
    pub async fn add_enrolment(&self, e: &Enrolment, hash: &str) -> Result<(), HubError> {
        self.client()
            .await?
            .execute(
                "INSERT INTO enrolments (secret_hash, checkpoint_id, created_by, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5)",
                &[&hash, &e.checkpoint_id, &e.created_by, &e.created_at, &e.expires_at],
            )
            .await
            .map_err(db_err)?;
        Ok(())
    }

    pub async fn enrolments(&self) -> Result<Vec<Enrolment>, HubError> {
        let rows = self
            .client()
            .await?
            .query(
                &format!("SELECT {COLUMNS} FROM enrolments ORDER BY created_at DESC LIMIT 500"),
                &[],
            )
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(row).collect())
    }

    pub async fn enrolment_by_hash(&self, hash: &str) -> Result<Option<Enrolment>, HubError> {
        let found = self
            .client()
            .await?
            .query_opt(
                &format!("SELECT {COLUMNS} FROM enrolments WHERE secret_hash = $1"),
                &[&hash],
            )
            .await
            .map_err(db_err)?;
        Ok(found.as_ref().map(row))
    }

    pub async fn claim_enrolment(
        &self,
        hash: &str,
        kiosk_id: &str,
        now: &str,
    ) -> Result<bool, HubError> {
        let n = self
            .client()
            .await?
            .execute(
                "UPDATE enrolments SET used_at = $3, kiosk_id = $2
                 WHERE secret_hash = $1 AND used_at IS NULL AND revoked_at IS NULL
                   AND expires_at > $3",
                &[&hash, &kiosk_id, &now],
            )
            .await
            .map_err(db_err)?;
        Ok(n == 1)
    }

    pub async fn revoke_enrolment(&self, id: &str, now: &str) -> Result<u64, HubError> {
        self.client()
            .await?
            .execute(
                "UPDATE enrolments SET revoked_at = $2
                 WHERE left(secret_hash, length($1)) = $1
                   AND used_at IS NULL AND revoked_at IS NULL",
                &[&id, &now],
            )
            .await
            .map_err(db_err)
    }
}
