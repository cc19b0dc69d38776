//! The store as the sync worker's queue: its batches and the one state
//! machine of sync (`Mark`), which production and every test drive alike.
//!
//! Declarations and reports both go to the hub, oldest first (UUID v7 order
//! across the two tables). Every `mark_*` is one transaction, durable on
//! return (WAL, `synchronous = FULL`), and moves a whole batch with one
//! statement per table: the worker's bookkeeping costs a few page writes and
//! one fsync per batch, not per record.
//!
//! Attempts count sends (`Mark::Sent`), so a batch that was in flight when the
//! kiosk died counts too. A row that cannot be read (damaged JSON) is marked
//! `rejected` here, with the reason: it could never be sent, and must not
//! block the records behind it.

use checkpoint_wire::{OutgoingRecord, RecordKind};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension as _, params};
use serde::Serialize;
use serde_json::value::RawValue;
use uuid::Uuid;

use super::queue::{DeliveryState, KindTable as _, MAX_ERROR_CHARS, state_counts};
use super::{Store, StoreError, meta, time};

/// Why a row was taken out of the sync batches on the kiosk itself.
pub const DAMAGED_REASON: &str = "kiosk-damaged";

/// The sync worker's counts, for the status bar and `queue stats`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct QueueCounts {
    /// Not yet confirmed by the hub (`pending` + `sent`).
    pub unsynced: u64,
    /// Sent at least once, answer not yet received.
    pub in_flight: u64,
    pub acknowledged: u64,
    pub rejected: u64,
}

/// A change of state for a whole batch.
#[derive(Debug, Clone, Copy)]
pub enum Mark<'a> {
    /// On its way: one more attempt.
    Sent,
    /// The hub has it (stored or duplicate). Final.
    Acknowledged,
    /// No answer, or an error answer: back to pending with the reason.
    Failed(&'a str),
}

impl Mark<'_> {
    /// The update for one table; `?1` = time, `?2` = JSON array of ids, `?3` = error.
    fn sql(self, table: &str) -> String {
        let set = match self {
            Mark::Sent => "sync_state = 'sent', attempts = attempts + 1, last_attempt = ?1",
            Mark::Acknowledged => {
                "sync_state = 'acknowledged', last_error = NULL, last_attempt = ?1"
            }
            Mark::Failed(_) => "sync_state = 'pending', last_error = ?3, last_attempt = ?1",
        };
        // Acknowledged is final; rejected only yields to an acknowledgement
        // (the record reached a hub after all).
        let from = match self {
            Mark::Sent | Mark::Failed(_) => "sync_state IN ('pending', 'sent')",
            Mark::Acknowledged => "sync_state != 'acknowledged'",
        };
        format!(
            "UPDATE {table} SET {set}
             WHERE record_id IN (SELECT value FROM json_each(?2)) AND {from}"
        )
    }
}

/// One candidate of the next batch, before its row is read.
struct Candidate {
    id: String,
    kind: RecordKind,
}

impl Store {
    /// The sync worker's next batch: records neither acknowledged nor
    /// rejected (so `sent` ones too: their answer never came), oldest first
    /// across declarations and reports, at most `max_records` and about
    /// `max_bytes` of record JSON (at least one record when any is waiting),
    /// of the `kinds` given only (those the hub accepts; the others wait).
    pub fn sync_batch(
        &mut self,
        max_records: usize,
        max_bytes: usize,
        kinds: &[RecordKind],
    ) -> Result<Vec<OutgoingRecord>, StoreError> {
        let max_records = max_records.max(1);
        loop {
            let candidates = self.batch_candidates(max_records, kinds)?;
            if candidates.is_empty() {
                return Ok(Vec::new());
            }
            let mut out = Vec::with_capacity(candidates.len());
            let mut damaged = Vec::new();
            let mut bytes = 0usize;
            for c in candidates {
                match self.outgoing(&c)? {
                    Ok((record, len)) => {
                        if !out.is_empty() && bytes.saturating_add(len) > max_bytes {
                            break;
                        }
                        bytes = bytes.saturating_add(len);
                        out.push(record);
                    }
                    Err(reason) => damaged.push((c, reason)),
                }
            }
            if !damaged.is_empty() {
                self.reject_damaged(&damaged)?;
            }
            if !out.is_empty() {
                return Ok(out);
            }
            // Only damaged rows at the head of the queue: look again behind them.
        }
    }

    /// Ids of the next records to send, by id across both tables and both
    /// sendable states (each read straight from the `(sync_state, record_id)`
    /// index, so an acknowledged history costs nothing).
    fn batch_candidates(
        &self,
        max_records: usize,
        kinds: &[RecordKind],
    ) -> Result<Vec<Candidate>, StoreError> {
        let limit = i64::try_from(max_records).unwrap_or(i64::MAX);
        let mut all = Vec::new();
        for &kind in kinds {
            let sql = format!(
                "SELECT record_id FROM {} WHERE sync_state = ?1 ORDER BY record_id LIMIT ?2",
                kind.table()
            );
            for state in [DeliveryState::Sent, DeliveryState::Pending] {
                let ids = self
                    .conn
                    .prepare_cached(&sql)
                    .and_then(|mut s| {
                        s.query_map(params![state.key(), limit], |r| r.get::<_, String>(0))?
                            .collect::<rusqlite::Result<Vec<_>>>()
                    })
                    .map_err(|e| self.sqlite_err(e))?;
                all.extend(ids.into_iter().map(|id| Candidate { id, kind }));
            }
        }
        // Canonical UUID text (fixed width, lower-case hex) sorts like the
        // UUID itself, and v7 sorts by creation time.
        all.sort_by(|a, b| a.id.cmp(&b.id));
        all.truncate(max_records);
        Ok(all)
    }

    /// One record as it goes on the wire, with its JSON length; `Err(reason)`
    /// when the row cannot be read (never its content in the reason).
    #[allow(clippy::type_complexity)]
    fn outgoing(
        &self,
        c: &Candidate,
    ) -> Result<Result<(OutgoingRecord, usize), String>, StoreError> {
        let sql = format!(
            "SELECT kiosk_id, submitted_at, record FROM {} WHERE record_id = ?1",
            c.kind.table()
        );
        let row: Option<(String, String, String)> = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut s| {
                s.query_row([&c.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .optional()
            })
            .map_err(|e| self.sqlite_err(e))?;
        let Some((kiosk_id, submitted_at, json)) = row else {
            return Ok(Err("row vanished".to_owned()));
        };
        let Ok(id) = Uuid::parse_str(&c.id) else {
            return Ok(Err("record id is not a UUID".to_owned()));
        };
        let Some(created_at) = time::parse(&submitted_at) else {
            return Ok(Err("submission time is not RFC 3339".to_owned()));
        };
        let len = json.len();
        // Checked, not rebuilt: the stored text goes out as it is.
        let body = match RawValue::from_string(json) {
            Ok(raw) if raw.get().starts_with('{') => raw,
            Ok(_) => return Ok(Err("record is not a JSON object".to_owned())),
            Err(e) => {
                return Ok(Err(format!(
                    "record JSON {:?} error at line {} column {}",
                    e.classify(),
                    e.line(),
                    e.column()
                )));
            }
        };
        Ok(Ok((
            OutgoingRecord {
                id,
                kind: c.kind,
                kiosk_id,
                created_at,
                body,
            },
            len,
        )))
    }

    fn reject_damaged(&mut self, damaged: &[(Candidate, String)]) -> Result<(), StoreError> {
        let path = self.path.clone();
        let err = |e| StoreError::from_sqlite(&path, e);
        let at = time::format(Utc::now());
        let tx = self.conn.transaction().map_err(err)?;
        for (c, reason) in damaged {
            // The row vanished (purged meanwhile): nothing to mark.
            let sql = format!(
                "UPDATE {} SET sync_state = 'rejected', last_error = ?2, last_attempt = ?3
                 WHERE record_id = ?1 AND sync_state IN ('pending', 'sent')",
                c.kind.table()
            );
            let text = format!("{DAMAGED_REASON}: {reason}");
            tx.execute(&sql, params![c.id, text, at]).map_err(err)?;
            tracing::warn!(record = %c.id, reason, "unreadable record kept on the kiosk as rejected");
        }
        tx.commit().map_err(err)
    }

    /// Moves the records with these ids (declarations or reports) in one
    /// durable transaction. Returns how many rows changed.
    pub fn sync_mark(
        &mut self,
        mark: Mark<'_>,
        ids: &[Uuid],
        at: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        if ids.is_empty() {
            return Ok(0);
        }
        let path = self.path.clone();
        let err = |e| StoreError::from_sqlite(&path, e);
        let at = time::format(at);
        let id_list = id_json(ids.iter());
        let error: Option<String> = match mark {
            Mark::Failed(e) => Some(e.chars().take(MAX_ERROR_CHARS).collect()),
            _ => None,
        };
        let tx = self.conn.transaction().map_err(err)?;
        let mut changed = 0;
        for kind in RecordKind::ALL {
            let sql = mark.sql(kind.table());
            let mut stmt = tx.prepare_cached(&sql).map_err(err)?;
            changed += match &error {
                Some(e) => stmt.execute(params![at, id_list, e]),
                None => stmt.execute(params![at, id_list]),
            }
            .map_err(err)?;
        }
        match (mark, &error) {
            (Mark::Acknowledged, _) => meta::set(&tx, meta::LAST_SUCCESS, &at).map_err(err)?,
            (Mark::Failed(_), Some(e)) => {
                meta::set(&tx, meta::LAST_ERROR_AT, &at).map_err(err)?;
                meta::set(&tx, meta::LAST_ERROR, e).map_err(err)?;
            }
            _ => {}
        }
        tx.commit().map_err(err)?;
        Ok(changed)
    }

    /// The hub refused these for good: `rejected` with its reason, kept on
    /// the kiosk (retention treats them as unacknowledged).
    pub fn sync_mark_rejected(
        &mut self,
        rejected: &[(Uuid, String)],
        at: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        if rejected.is_empty() {
            return Ok(0);
        }
        let path = self.path.clone();
        let err = |e| StoreError::from_sqlite(&path, e);
        let at = time::format(at);
        let tx = self.conn.transaction().map_err(err)?;
        let mut changed = 0;
        for kind in RecordKind::ALL {
            let sql = format!(
                "UPDATE {} SET sync_state = 'rejected', last_error = ?2, last_attempt = ?3
                 WHERE record_id = ?1 AND sync_state != 'acknowledged'",
                kind.table()
            );
            let mut stmt = tx.prepare_cached(&sql).map_err(err)?;
            for (id, reason) in rejected {
                let reason: String = reason.chars().take(MAX_ERROR_CHARS).collect();
                changed += stmt
                    .execute(params![id.to_string(), reason, at])
                    .map_err(err)?;
            }
        }
        // The hub answered: that is a successful exchange.
        meta::set(&tx, meta::LAST_SUCCESS, &at).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(changed)
    }

    /// The worker's counts, from the state indexes (a few milliseconds at
    /// 100,000 records).
    pub fn sync_counts(&self) -> Result<QueueCounts, StoreError> {
        counts(&self.conn).map_err(|e| self.sqlite_err(e))
    }
}

fn id_json<'a>(ids: impl Iterator<Item = &'a Uuid>) -> String {
    let list: Vec<String> = ids.map(Uuid::to_string).collect();
    serde_json::Value::from(list).to_string()
}

fn counts(conn: &Connection) -> rusqlite::Result<QueueCounts> {
    let mut c = QueueCounts::default();
    for kind in RecordKind::ALL {
        let k = state_counts(conn, kind)?;
        c.unsynced += k.pending + k.sent;
        c.in_flight += k.sent;
        c.acknowledged += k.acknowledged;
        c.rejected += k.rejected;
    }
    Ok(c)
}
