//! Retention on PostgreSQL: the same rule as on SQLite, in one statement.
//! Deleted rows are gone for every query at once; autovacuum reclaims their
//! space (a day partition dropped whole would do it at once: see the README).

use crate::HubError;
use crate::db::pg::{PgDb, db_err};
use crate::rows::Purged;
use checkpoint_wire::follow_up_sql::{self as sql, Column};

/// A flagged declaration whose follow-up is not over (no step at all is "new").
fn under_follow_up() -> String {
    format!(
        "r.flagged AND r.kind = 'declaration' AND {}",
        sql::open(Column::NullIsNew("r.follow_up"))
    )
}

impl PgDb {
    /// Deletes audit entries taken before `before` (the trigger refuses any
    /// younger than `AUDIT_MIN_DAYS`).
    pub async fn purge_audit(&self, before: &str) -> Result<u64, HubError> {
        self.client()
            .await?
            .execute(
                "DELETE FROM audit WHERE at < $1::text::timestamptz",
                &[&before],
            )
            .await
            .map_err(db_err)
    }

    pub async fn purge(&self, before: &str, follow_up_before: &str) -> Result<Purged, HubError> {
        let under_follow_up = under_follow_up();
        let row = self
            .client()
            .await?
            .query_one(
                &format!(
                    "WITH kept AS (
                         SELECT count(*) AS n FROM records r
                         WHERE r.created_at < $1::text::timestamptz
                           AND r.created_at >= $2::text::timestamptz AND {under_follow_up}),
                     gone AS (
                         DELETE FROM records r WHERE r.kind <> 'follow-up'
                           AND r.created_at < $1::text::timestamptz
                           AND NOT (r.created_at >= $2::text::timestamptz AND {under_follow_up})
                         RETURNING r.id::text AS id),
                     steps AS (
                         DELETE FROM records s WHERE s.kind = 'follow-up'
                           AND s.created_at < $1::text::timestamptz
                           AND (s.subject IS NULL OR s.subject IN (SELECT id FROM gone)
                                OR NOT EXISTS (SELECT 1 FROM records d
                                               WHERE d.id::text = s.subject AND d.kind = 'declaration'))
                         RETURNING 1)
                     SELECT (SELECT count(*) FROM gone) + (SELECT count(*) FROM steps),
                            (SELECT n FROM kept)"
                ),
                &[&before, &follow_up_before],
            )
            .await
            .map_err(db_err)?;
        Ok(Purged {
            records: row.get::<_, i64>(0).max(0) as u64,
            kept_for_follow_up: row.get::<_, i64>(1).max(0) as u64,
            audit_entries: 0,
        })
    }
}
