//! Campaign targets on PostgreSQL (see the SQLite store's).

use chrono::NaiveDate;

use crate::HubError;
use crate::accounts::Scope;
use crate::db::pg::{PgDb, db_err, scope_param};
use crate::stats::{Figures, Target};

pub const SCHEMA_4: &str = "
CREATE TABLE IF NOT EXISTS targets (
    id         bigserial PRIMARY KEY,
    unit_kind  text NOT NULL,
    unit       text NOT NULL,
    percent    integer NOT NULL,
    deadline   date NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (unit_kind, unit, deadline)
);
";

impl PgDb {
    pub async fn add_target(&self, target: &Target) -> Result<bool, HubError> {
        let (kind, unit) = target.unit_columns();
        let n = self
            .client()
            .await?
            .execute(
                "INSERT INTO targets (unit_kind, unit, percent, deadline, created_at)
                 VALUES ($1, $2, $3, $4::text::date, now()) ON CONFLICT DO NOTHING",
                &[
                    &kind,
                    &unit,
                    &i32::from(target.percent),
                    &target.deadline.to_string(),
                ],
            )
            .await
            .map_err(db_err)?;
        Ok(n == 1)
    }

    pub async fn delete_target(&self, id: &i64) -> Result<bool, HubError> {
        let n = self
            .client()
            .await?
            .execute("DELETE FROM targets WHERE id = $1", &[id])
            .await
            .map_err(db_err)?;
        Ok(n == 1)
    }

    pub async fn targets(&self, scope: &Scope) -> Result<Vec<Target>, HubError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT t.id, t.unit_kind, t.unit, t.percent, t.deadline::text FROM targets t
                 LEFT JOIN checkpoints c ON t.unit_kind = 'checkpoint' AND c.id = t.unit
                 WHERE $1::text[] IS NULL
                    OR (t.unit_kind = 'group' AND t.unit = ANY($1))
                    OR (t.unit_kind = 'checkpoint' AND c.grp = ANY($1))
                 ORDER BY t.deadline, t.unit",
                &[&scope_param(scope)],
            )
            .await
            .map_err(db_err)?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                Target::from_columns(
                    r.get(0),
                    r.get(1),
                    r.get(2),
                    i64::from(r.get::<_, i32>(3)),
                    r.get(4),
                )
            })
            .collect())
    }

    pub async fn figures_by_unit(
        &self,
        scope: &Scope,
        days: &(NaiveDate, NaiveDate),
    ) -> Result<Vec<(String, String, Figures)>, HubError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT c.id, c.grp, coalesce(sum(d.declarations), 0)::bigint,
                        coalesce(sum(d.flagged), 0)::bigint, coalesce(sum(d.reports), 0)::bigint,
                        coalesce(sum(d.observed), 0)::bigint, coalesce(sum(d.with_bluezone), 0)::bigint
                 FROM checkpoints c
                 LEFT JOIN kiosks k ON k.checkpoint_id = c.id
                 LEFT JOIN day_counts d ON d.kiosk_id = k.kiosk_id
                      AND d.day >= $2::text::date AND d.day <= $3::text::date
                 WHERE $1::text[] IS NULL OR c.grp = ANY($1)
                 GROUP BY c.id",
                &[&scope_param(scope), &days.0.to_string(), &days.1.to_string()],
            )
            .await
            .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| {
                let n = |i: usize| r.get::<_, i64>(i).max(0) as u64;
                (
                    r.get(0),
                    r.get(1),
                    Figures {
                        declarations: n(2),
                        flagged: n(3),
                        reports: n(4),
                        observed: n(5),
                        with_bluezone: n(6),
                    },
                )
            })
            .collect())
    }
}
