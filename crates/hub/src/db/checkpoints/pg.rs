//! Checkpoints and the kiosks assigned to them, on PostgreSQL.

use crate::HubError;
use crate::accounts::Scope;
use crate::db::pg::{PgDb, db_err, in_scope, scope_param};
use crate::rows::Checkpoint;

impl PgDb {
    pub async fn add_checkpoint(&self, c: &Checkpoint) -> Result<bool, HubError> {
        let n = self
            .client()
            .await?
            .execute(
                "INSERT INTO checkpoints (id, name, province, ward, grp, created_at)
                 VALUES ($1, $2, $3, $4, $5, now()) ON CONFLICT (id) DO NOTHING",
                &[&c.id, &c.name, &c.province, &c.ward, &c.group],
            )
            .await
            .map_err(db_err)?;
        Ok(n == 1)
    }

    pub async fn checkpoint_name(&self, id: &str) -> Result<Option<String>, HubError> {
        let row = self
            .client()
            .await?
            .query_opt("SELECT name FROM checkpoints WHERE id = $1", &[&id])
            .await
            .map_err(db_err)?;
        Ok(row.map(|r| r.get(0)))
    }

    pub async fn checkpoints(&self, scope: &Scope) -> Result<Vec<Checkpoint>, HubError> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT c.id, c.name, c.province, c.ward, c.grp,
                            coalesce((SELECT array_agg(kiosk_id ORDER BY kiosk_id) FROM kiosks k
                                      WHERE k.checkpoint_id = c.id), '{{}}')
                     FROM checkpoints c WHERE {} ORDER BY c.grp, c.name, c.id",
                    in_scope("c.id", 1)
                ),
                &[&scope_param(scope)],
            )
            .await
            .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| Checkpoint {
                id: r.get(0),
                name: r.get(1),
                province: r.get(2),
                ward: r.get(3),
                group: r.get(4),
                kiosks: r.get(5),
            })
            .collect())
    }

    /// See the SQLite store's: one transaction, the same answers.
    pub async fn assign_kiosk(
        &self,
        kiosk_id: &str,
        checkpoint_id: &str,
    ) -> Result<Option<u64>, HubError> {
        let client = self.client().await?;
        // One statement, so no explicit transaction on a shared connection:
        // the assignment and the backfill commit together or not at all.
        let row = client
            .query_opt(
                "WITH known AS (SELECT id FROM checkpoints WHERE id = $2),
                 assigned AS (
                     INSERT INTO kiosks (kiosk_id, checkpoint_id, assigned_at)
                     SELECT $1, id, now() FROM known
                     ON CONFLICT (kiosk_id) DO UPDATE
                         SET checkpoint_id = excluded.checkpoint_id, assigned_at = now()
                     RETURNING checkpoint_id),
                 attached AS (
                     UPDATE records SET checkpoint_id = (SELECT checkpoint_id FROM assigned)
                     WHERE kiosk_id = $1 AND checkpoint_id IS NULL
                       AND EXISTS (SELECT 1 FROM assigned)
                     RETURNING 1)
                 SELECT (SELECT count(*) FROM attached) FROM known",
                &[&kiosk_id, &checkpoint_id],
            )
            .await
            .map_err(db_err)?;
        Ok(row.map(|r| r.get::<_, i64>(0).max(0) as u64))
    }
}
