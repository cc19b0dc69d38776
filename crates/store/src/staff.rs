//! What the staff screen shows from the store: the day's counts and the
//! visitors triage flagged. Reading the flagged list is audited by the caller
//! (it shows names on screen).

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::Serialize;

use super::{Store, StoreError, time};
use checkpoint_domain::declaration::Record;

/// Counts for a period (e.g. today).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PeriodCounts {
    pub declarations: u64,
    pub flagged: u64,
    pub reports: u64,
}

/// One flagged visitor, as staff need to find them in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlaggedVisitor {
    pub record_id: String,
    pub submitted_at: DateTime<Utc>,
    pub record: Record,
}

impl Store {
    /// Declarations, flagged ones and reports submitted in `[from, to)`.
    pub fn period_counts(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<PeriodCounts, StoreError> {
        let (from, to) = (time::format(from), time::format(to));
        let count = |sql: &str| -> Result<u64, StoreError> {
            self.conn
                .prepare_cached(sql)
                .and_then(|mut s| s.query_row(params![from, to], |r| r.get::<_, i64>(0)))
                .map(|n| u64::try_from(n).unwrap_or(0))
                .map_err(|e| self.sqlite_err(e))
        };
        Ok(PeriodCounts {
            declarations: count(
                "SELECT count(*) FROM declarations WHERE submitted_at >= ?1 AND submitted_at < ?2",
            )?,
            flagged: count(
                "SELECT count(*) FROM declarations
                  WHERE flagged = 1 AND submitted_at >= ?1 AND submitted_at < ?2",
            )?,
            reports: count(
                "SELECT count(*) FROM reports WHERE submitted_at >= ?1 AND submitted_at < ?2",
            )?,
        })
    }

    /// Flagged declarations submitted in `[from, to)`, newest first, at most
    /// `limit`. A row that cannot be read is skipped (and logged), never
    /// hiding the others.
    pub fn flagged_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<FlaggedVisitor>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT record_id, record FROM declarations
                  WHERE flagged = 1 AND submitted_at >= ?1 AND submitted_at < ?2
                  ORDER BY submitted_at DESC LIMIT ?3",
            )
            .map_err(|e| self.sqlite_err(e))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map(params![time::format(from), time::format(to), limit], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(|e| self.sqlite_err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (record_id, json) = row.map_err(|e| self.sqlite_err(e))?;
            match serde_json::from_str::<Record>(&json) {
                Ok(record) => out.push(FlaggedVisitor {
                    record_id,
                    submitted_at: record.submitted_at,
                    record,
                }),
                Err(e) => tracing::warn!(%record_id, error = %e, "flagged record unreadable"),
            }
        }
        Ok(out)
    }
}
