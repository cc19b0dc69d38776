//! What the staff screen shows from the store: the day's counts and the
//! visitors triage flagged and nobody has cleared yet, whenever they came.
//! Reading the flagged list is audited by the caller (it shows names on screen).

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::Serialize;

use super::follow_up::FOLLOW_UP;
use super::{Store, StoreError, time};
use checkpoint_domain::declaration::Record;
use checkpoint_wire::follow_up_sql as sql;
use checkpoint_wire::{FollowUp, FollowUpState};

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
    /// Where their follow-up stands.
    pub state: FollowUpState,
    /// The steps recorded so far, oldest first.
    pub steps: Vec<FollowUp>,
}

/// One page of the flagged visitors not cleared yet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FlaggedPage {
    /// Those not yet attended to first (oldest first: nobody waits longest
    /// unseen), then the others newest first.
    pub visitors: Vec<FlaggedVisitor>,
    /// How many are open in all, over every page.
    pub total: u64,
    /// How many of them nobody has attended to yet.
    pub waiting: u64,
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

    /// Page `page` (from 0) of the flagged visitors not cleared yet, `per_page`
    /// a page. No day bound: a visitor flagged at 03:00 is still listed at
    /// 08:00, and after a restart. A row that cannot be read is skipped (and
    /// logged), never hiding the others.
    pub fn flagged_page(&self, page: usize, per_page: usize) -> Result<FlaggedPage, StoreError> {
        let per_page = per_page.max(1);
        let offset = i64::try_from(page.saturating_mul(per_page)).unwrap_or(i64::MAX);
        let limit = i64::try_from(per_page).unwrap_or(i64::MAX);
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT record_id, follow_up, record FROM declarations
                  WHERE flagged = 1 AND {open}
                  ORDER BY NOT ({waiting}),
                           CASE WHEN {waiting} THEN submitted_at END ASC,
                           submitted_at DESC
                  LIMIT ?1 OFFSET ?2",
                open = sql::open(FOLLOW_UP),
                waiting = sql::waiting(FOLLOW_UP),
            ))
            .map_err(|e| self.sqlite_err(e))?;
        let rows = stmt
            .query_map(params![limit, offset], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(|e| self.sqlite_err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.sqlite_err(e))?;
        let mut visitors = Vec::with_capacity(rows.len());
        for (record_id, state, json) in rows {
            match serde_json::from_str::<Record>(&json) {
                Ok(record) => {
                    let steps = self.follow_ups_of(&record.record_id)?;
                    visitors.push(FlaggedVisitor {
                        record_id,
                        submitted_at: record.submitted_at,
                        state: FollowUpState::parse(&state).unwrap_or(FollowUpState::New),
                        steps,
                        record,
                    });
                }
                Err(e) => tracing::warn!(%record_id, error = %e, "flagged record unreadable"),
            }
        }
        Ok(FlaggedPage {
            visitors,
            total: self.open_flags()?,
            waiting: self.waiting_for_staff()?,
        })
    }
}

/// One page of reports (phản ánh), newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReportPage {
    pub reports: Vec<checkpoint_domain::declaration::report::ReportRecord>,
    pub total: u64,
}

impl Store {
    /// Page `page` (from 0) of the reports, newest first, `per_page` a page.
    /// A row that cannot be read is skipped (and logged).
    pub fn reports_page(&self, page: usize, per_page: usize) -> Result<ReportPage, StoreError> {
        let per_page = per_page.max(1);
        let offset = i64::try_from(page.saturating_mul(per_page)).unwrap_or(i64::MAX);
        let limit = i64::try_from(per_page).unwrap_or(i64::MAX);
        let rows = self
            .conn
            .prepare_cached(
                "SELECT record_id, record FROM reports
                  ORDER BY submitted_at DESC, record_id DESC LIMIT ?1 OFFSET ?2",
            )
            .and_then(|mut s| {
                s.query_map(params![limit, offset], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(|e| self.sqlite_err(e))?;
        let mut reports = Vec::with_capacity(rows.len());
        for (record_id, json) in rows {
            match serde_json::from_str(&json) {
                Ok(r) => reports.push(r),
                Err(e) => tracing::warn!(%record_id, error = %e, "report unreadable"),
            }
        }
        let total: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM reports")
            .and_then(|mut s| s.query_row([], |r| r.get(0)))
            .map_err(|e| self.sqlite_err(e))?;
        Ok(ReportPage {
            reports,
            total: u64::try_from(total).unwrap_or(0),
        })
    }
}
