//! What the console reads and writes on PostgreSQL: flagged visitors and
//! their follow-up steps, and the append-only audit log.

use super::{PgDb, TS, db_err, export_row};
use crate::HubError;
use crate::db::{AuditEntry, ExportRow};

const FLAGGED: &str = "FROM records WHERE kind = 'declaration' AND (body->>'flagged')::boolean";

fn columns() -> String {
    format!(
        "SELECT id::text, kiosk_id, kind,
                to_char(created_at AT TIME ZONE 'UTC', {TS}),
                to_char(received_at AT TIME ZONE 'UTC', {TS}), body::text"
    )
}

impl PgDb {
    pub async fn flagged(
        &self,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<ExportRow>, u64), HubError> {
        let client = self.client().await?;
        let total: i64 = client
            .query_one(&format!("SELECT count(*) {FLAGGED}"), &[])
            .await
            .map_err(db_err)?
            .get(0);
        let rows = client
            .query(
                &format!(
                    "{} {FLAGGED} ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2",
                    columns()
                ),
                &[&(limit as i64), &(offset as i64)],
            )
            .await
            .map_err(db_err)?;
        Ok((rows.iter().map(export_row).collect(), total.max(0) as u64))
    }

    pub async fn of_kind(
        &self,
        kind: &str,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<ExportRow>, u64), HubError> {
        let client = self.client().await?;
        let total: i64 = client
            .query_one("SELECT count(*) FROM records WHERE kind = $1", &[&kind])
            .await
            .map_err(db_err)?
            .get(0);
        let rows = client
            .query(
                &format!(
                    "{} FROM records WHERE kind = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
                    columns()
                ),
                &[&kind, &(limit as i64), &(offset as i64)],
            )
            .await
            .map_err(db_err)?;
        Ok((rows.iter().map(export_row).collect(), total.max(0) as u64))
    }

    pub async fn follow_ups_of(&self, ids: &[String]) -> Result<Vec<ExportRow>, HubError> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "{} FROM records WHERE kind = 'follow-up' AND body->>'declaration_id' = ANY($1)
                     ORDER BY created_at, id",
                    columns()
                ),
                &[&ids],
            )
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(export_row).collect())
    }

    pub async fn audit(&self, e: &AuditEntry) -> Result<(), HubError> {
        self.client()
            .await?
            .execute(
                "INSERT INTO audit (at, account, action, target, detail)
                 VALUES ($1::text::timestamptz, $2, $3, $4, $5)",
                &[&e.at, &e.account, &e.action, &e.target, &e.detail],
            )
            .await
            .map_err(db_err)?;
        Ok(())
    }

    pub async fn audit_entries(&self, limit: u64) -> Result<Vec<AuditEntry>, HubError> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT to_char(at AT TIME ZONE 'UTC', {TS}), account, action, target, detail
                     FROM audit ORDER BY seq DESC LIMIT $1"
                ),
                &[&(limit as i64)],
            )
            .await
            .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| AuditEntry {
                at: r.get(0),
                account: r.get(1),
                action: r.get(2),
                target: r.get(3),
                detail: r.get(4),
            })
            .collect())
    }
}
