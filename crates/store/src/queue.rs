//! The sync queue: what the sync worker reads and marks.
//!
//! A record starts `pending`; the worker sends it (`Mark::Sent`, one more
//! attempt), the hub confirms it is stored (`Mark::Acknowledged`). A failure
//! (`Mark::Failed`) keeps the error and puts the record back to `pending`.
//! A record the hub refuses for good is `rejected`: it is never sent again,
//! but stays on the kiosk (with the hub's reason) for staff.
//! Record ids are UUID v7, so id order is creation order.
//!
//! The changes of state are in `sync_queue`, the one place the sync worker
//! (and every test of sync state) moves records.

use checkpoint_wire::RecordKind;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::{Store, StoreError, meta};
use checkpoint_domain::declaration::Record;
use checkpoint_domain::declaration::report::ReportRecord;

/// The table of each kind of record (the kinds are the protocol's own).
pub(crate) trait KindTable {
    fn table(self) -> &'static str;
}

impl KindTable for RecordKind {
    fn table(self) -> &'static str {
        match self {
            RecordKind::Declaration => "declarations",
            RecordKind::Report => "reports",
            RecordKind::FollowUp => "follow_ups",
        }
    }
}

/// Where a record is on its way to the hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    Pending,
    Sent,
    Acknowledged,
    /// Refused by the hub for good (reason in `last_error`); kept for staff.
    Rejected,
}

impl DeliveryState {
    pub const ALL: [DeliveryState; 4] = [
        DeliveryState::Pending,
        DeliveryState::Sent,
        DeliveryState::Acknowledged,
        DeliveryState::Rejected,
    ];

    pub fn key(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Sent => "sent",
            DeliveryState::Acknowledged => "acknowledged",
            DeliveryState::Rejected => "rejected",
        }
    }

    pub fn from_key(key: &str) -> Option<DeliveryState> {
        DeliveryState::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// A record's sync bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncInfo {
    pub state: DeliveryState,
    pub attempts: u32,
    pub last_error: Option<String>,
    /// RFC 3339, UTC.
    pub last_attempt: Option<String>,
    /// When the kiosk stored it (RFC 3339, UTC).
    pub stored_at: String,
}

/// A stored record with its sync bookkeeping.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Queued<T> {
    pub record: T,
    pub sync: SyncInfo,
}

/// Counts of one table by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct KindCounts {
    pub pending: u64,
    pub sent: u64,
    pub acknowledged: u64,
    /// Refused by the hub for good; kept on the kiosk.
    pub rejected: u64,
}

impl KindCounts {
    pub fn total(&self) -> u64 {
        self.pending + self.sent + self.acknowledged + self.rejected
    }

    /// Not yet confirmed by the hub.
    pub fn unacknowledged(&self) -> u64 {
        self.pending + self.sent
    }
}

/// `queue stats`: what is waiting, and how the last sync went.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QueueStats {
    pub declarations: KindCounts,
    pub reports: KindCounts,
    /// Follow-up steps of flagged visitors.
    pub follow_ups: KindCounts,
    /// Declarations that triage flagged for staff.
    pub flagged: u64,
    /// Submission time of the oldest record not yet acknowledged.
    pub oldest_unacknowledged: Option<String>,
    pub last_success: Option<String>,
    pub last_error_at: Option<String>,
    pub last_error: Option<String>,
}

/// Longest error text kept per record.
pub(super) const MAX_ERROR_CHARS: usize = 500;

impl Store {
    /// Pending declarations (never sent, or failed), in id order.
    pub fn pending_declarations(&self, limit: usize) -> Result<Vec<Queued<Record>>, StoreError> {
        self.in_states(RecordKind::Declaration, &[DeliveryState::Pending], limit)
    }

    /// Pending reports, in id order.
    pub fn pending_reports(&self, limit: usize) -> Result<Vec<Queued<ReportRecord>>, StoreError> {
        self.in_states(RecordKind::Report, &[DeliveryState::Pending], limit)
    }

    /// Declarations not yet acknowledged (pending or sent), in id order: for a
    /// worker that re-sends what the hub never confirmed.
    pub fn unacknowledged_declarations(
        &self,
        limit: usize,
    ) -> Result<Vec<Queued<Record>>, StoreError> {
        self.in_states(
            RecordKind::Declaration,
            &[DeliveryState::Pending, DeliveryState::Sent],
            limit,
        )
    }

    /// Reports not yet acknowledged, in id order.
    pub fn unacknowledged_reports(
        &self,
        limit: usize,
    ) -> Result<Vec<Queued<ReportRecord>>, StoreError> {
        self.in_states(
            RecordKind::Report,
            &[DeliveryState::Pending, DeliveryState::Sent],
            limit,
        )
    }

    fn in_states<T: serde::de::DeserializeOwned>(
        &self,
        kind: RecordKind,
        states: &[DeliveryState],
        limit: usize,
    ) -> Result<Vec<Queued<T>>, StoreError> {
        let wanted: Vec<&str> = states.iter().map(|s| s.key()).collect();
        let in_list = vec!["?"; wanted.len()].join(", ");
        let sql = format!(
            "SELECT {} FROM {} WHERE sync_state IN ({in_list}) ORDER BY record_id LIMIT {}",
            Queued::<T>::COLUMNS,
            kind.table(),
            i64::try_from(limit).unwrap_or(i64::MAX),
        );
        let raws = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut s| {
                s.query_map(rusqlite::params_from_iter(&wanted), Queued::<T>::raw)?
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(|e| self.sqlite_err(e))?;
        raws.into_iter().map(|r| r.decode()).collect()
    }

    /// Counts by state, flagged count, oldest waiting record, last sync times.
    /// The counts come from indexes (a few milliseconds at 100,000 records).
    pub fn queue_stats(&self) -> Result<QueueStats, StoreError> {
        stats(&self.conn, counts).map_err(|e| self.sqlite_err(e))
    }

    /// The same figures from the table rows, bypassing every index: slower,
    /// to check the indexes agree with the rows.
    pub fn queue_stats_scanned(&self) -> Result<QueueStats, StoreError> {
        stats(&self.conn, scanned_counts).map_err(|e| self.sqlite_err(e))
    }
}

/// Counts by state from the `(sync_state, record_id)` index: only index
/// pages are read. Also the sync worker's counts (`Store::sync_counts`).
pub(crate) fn state_counts(conn: &Connection, kind: RecordKind) -> rusqlite::Result<KindCounts> {
    let mut c = KindCounts::default();
    let table = kind.table();
    let sql = format!(
        "SELECT sync_state, count(*) FROM {table} INDEXED BY {table}_by_state GROUP BY sync_state"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let state: String = row.get(0)?;
        set_count(
            &mut c,
            &state,
            u64::try_from(row.get::<_, i64>(1)?).unwrap_or(0),
        );
    }
    Ok(c)
}

/// Counts by state, and the flagged ones from their partial index.
fn counts(conn: &Connection, kind: RecordKind) -> rusqlite::Result<(KindCounts, u64)> {
    let c = state_counts(conn, kind)?;
    let flagged = match kind {
        RecordKind::Declaration => conn
            .prepare_cached(
                "SELECT count(*) FROM declarations INDEXED BY declarations_flagged
                 WHERE flagged = 1",
            )?
            .query_row([], |r| r.get::<_, i64>(0))?,
        RecordKind::Report | RecordKind::FollowUp => 0,
    };
    Ok((c, u64::try_from(flagged).unwrap_or(0)))
}

fn set_count(c: &mut KindCounts, state: &str, n: u64) {
    match DeliveryState::from_key(state) {
        Some(DeliveryState::Pending) => c.pending = n,
        Some(DeliveryState::Sent) => c.sent = n,
        Some(DeliveryState::Acknowledged) => c.acknowledged = n,
        Some(DeliveryState::Rejected) => c.rejected = n,
        None => {}
    }
}

/// Counts by scanning the table rows: the slow way, to check the fast one.
fn scanned_counts(conn: &Connection, kind: RecordKind) -> rusqlite::Result<(KindCounts, u64)> {
    let flagged = match kind {
        RecordKind::Declaration => "flagged",
        RecordKind::Report | RecordKind::FollowUp => "0",
    };
    let sql = format!(
        "SELECT sync_state, count(*), sum({flagged}) FROM {} NOT INDEXED GROUP BY sync_state",
        kind.table()
    );
    let mut c = KindCounts::default();
    let mut total_flagged = 0;
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let state: String = row.get(0)?;
        set_count(
            &mut c,
            &state,
            u64::try_from(row.get::<_, i64>(1)?).unwrap_or(0),
        );
        total_flagged += u64::try_from(row.get::<_, i64>(2)?).unwrap_or(0);
    }
    Ok((c, total_flagged))
}

/// The oldest submission among records still waiting for the hub.
fn oldest_waiting(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let mut oldest: Option<String> = None;
    for kind in RecordKind::ALL {
        for state in [DeliveryState::Pending, DeliveryState::Sent] {
            let sql = format!(
                "SELECT submitted_at FROM {} WHERE sync_state = ?1 ORDER BY record_id LIMIT 1",
                kind.table()
            );
            let found: Option<String> = conn
                .prepare_cached(&sql)?
                .query_map([state.key()], |r| r.get(0))?
                .next()
                .transpose()?;
            if let Some(t) = found
                && oldest.as_ref().is_none_or(|o| t < *o)
            {
                oldest = Some(t);
            }
        }
    }
    Ok(oldest)
}

type CountFn = fn(&Connection, RecordKind) -> rusqlite::Result<(KindCounts, u64)>;

fn stats(conn: &Connection, count: CountFn) -> rusqlite::Result<QueueStats> {
    let (declarations, flagged) = count(conn, RecordKind::Declaration)?;
    let (reports, _) = count(conn, RecordKind::Report)?;
    let (follow_ups, _) = count(conn, RecordKind::FollowUp)?;
    Ok(QueueStats {
        declarations,
        reports,
        follow_ups,
        flagged,
        oldest_unacknowledged: oldest_waiting(conn)?,
        last_success: meta::get(conn, meta::LAST_SUCCESS)?,
        last_error_at: meta::get(conn, meta::LAST_ERROR_AT)?,
        last_error: meta::get(conn, meta::LAST_ERROR)?,
    })
}
