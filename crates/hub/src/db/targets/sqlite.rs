//! Campaign targets on SQLite, and the figures per checkpoint over a span
//! of days that they are measured against.

use chrono::NaiveDate;
use rusqlite::params;

use crate::HubError;
use crate::accounts::Scope;
use crate::db::sqlite::{SqliteDb, db_err, scope_param};
use crate::rows::timestamp;
use crate::stats::{Figures, Target};

pub const SCHEMA_4: &str = "
CREATE TABLE IF NOT EXISTS targets (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_kind  TEXT NOT NULL,
    unit       TEXT NOT NULL,
    percent    INTEGER NOT NULL,
    deadline   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (unit_kind, unit, deadline)
);
";

impl SqliteDb {
    /// `false` when the unit already has a target for that date.
    pub fn add_target(&self, target: &Target) -> Result<bool, HubError> {
        let (kind, unit) = target.unit_columns();
        let n = self
            .conn()?
            .execute(
                "INSERT INTO targets (unit_kind, unit, percent, deadline, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
                params![
                    kind,
                    unit,
                    target.percent,
                    target.deadline.to_string(),
                    timestamp(chrono::Utc::now())
                ],
            )
            .map_err(db_err)?;
        Ok(n == 1)
    }

    pub fn delete_target(&self, id: &i64) -> Result<bool, HubError> {
        let n = self
            .conn()?
            .execute("DELETE FROM targets WHERE id = ?1", [id])
            .map_err(db_err)?;
        Ok(n == 1)
    }

    /// The targets of units within a scope, by deadline.
    pub fn targets(&self, scope: &Scope) -> Result<Vec<Target>, HubError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare(
                "SELECT t.id, t.unit_kind, t.unit, t.percent, t.deadline FROM targets t
                 LEFT JOIN checkpoints c ON t.unit_kind = 'checkpoint' AND c.id = t.unit
                 WHERE ?1 IS NULL
                    OR (t.unit_kind = 'group' AND t.unit IN (SELECT value FROM json_each(?1)))
                    OR (t.unit_kind = 'checkpoint' AND c.grp IN (SELECT value FROM json_each(?1)))
                 ORDER BY t.deadline, t.unit",
            )
            .map_err(db_err)?;
        let rows = stmt
            .query_map([scope_param(scope)], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .map_err(db_err)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, kind, unit, percent, deadline) = row.map_err(db_err)?;
            if let Some(target) = Target::from_columns(id, &kind, unit, percent, &deadline) {
                out.push(target);
            }
        }
        Ok(out)
    }

    /// Figures per checkpoint (with its group) from `days.0` to `days.1`.
    pub fn figures_by_unit(
        &self,
        scope: &Scope,
        days: &(NaiveDate, NaiveDate),
    ) -> Result<Vec<(String, String, Figures)>, HubError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare_cached(
                "SELECT c.id, c.grp, coalesce(sum(d.declarations), 0), coalesce(sum(d.flagged), 0),
                        coalesce(sum(d.reports), 0), coalesce(sum(d.observed), 0),
                        coalesce(sum(d.with_bluezone), 0)
                 FROM checkpoints c
                 LEFT JOIN kiosks k ON k.checkpoint_id = c.id
                 LEFT JOIN day_counts d ON d.kiosk_id = k.kiosk_id AND d.day >= ?2 AND d.day <= ?3
                 WHERE ?1 IS NULL OR c.grp IN (SELECT value FROM json_each(?1))
                 GROUP BY c.id",
            )
            .map_err(db_err)?;
        let rows = stmt
            .query_map(
                params![scope_param(scope), days.0.to_string(), days.1.to_string()],
                |r| {
                    let n = |i: usize| r.get::<_, i64>(i).map(|v| v.max(0) as u64);
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        Figures {
                            declarations: n(2)?,
                            flagged: n(3)?,
                            reports: n(4)?,
                            observed: n(5)?,
                            with_bluezone: n(6)?,
                        },
                    ))
                },
            )
            .map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)
    }
}
