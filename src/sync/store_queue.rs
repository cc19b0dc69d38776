//! The store as the sync worker's queue: a lock around one `Store`, with the
//! worker's calls mapped onto the store's one sync state machine (`Mark`).

use std::sync::{Mutex, MutexGuard, PoisonError};

use checkpoint_store::{Mark, Store};
use checkpoint_wire::HourCounts;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::queue::{OutgoingRecord, QueueCounts, QueueError, RecordKind, SyncQueue};

/// The store behind a lock, shareable with the sync worker's threads. One
/// connection: the window keeps its own `Store` for inserts (WAL lets both work).
#[derive(Debug)]
pub struct StoreQueue {
    store: Mutex<Store>,
}

impl StoreQueue {
    pub fn new(store: Store) -> Self {
        Self {
            store: Mutex::new(store),
        }
    }

    /// The store itself, e.g. for a status query on the same connection.
    pub fn lock(&self) -> MutexGuard<'_, Store> {
        // A panic elsewhere cannot leave the database half-written (every
        // change is a transaction), so a poisoned lock is still usable.
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn kiosk_id(&self) -> String {
        self.lock().kiosk_id().to_owned()
    }

    fn mark(&self, mark: Mark<'_>, ids: &[Uuid]) -> Result<(), QueueError> {
        self.lock()
            .sync_mark(mark, ids, Utc::now())
            .map(drop)
            .map_err(QueueError::new)
    }
}

impl SyncQueue for StoreQueue {
    fn pending_batch(
        &self,
        max_records: usize,
        max_bytes: usize,
        kinds: &[RecordKind],
    ) -> Result<Vec<OutgoingRecord>, QueueError> {
        self.lock()
            .sync_batch(max_records, max_bytes, kinds)
            .map_err(QueueError::new)
    }

    fn mark_sent(&self, ids: &[Uuid]) -> Result<(), QueueError> {
        self.mark(Mark::Sent, ids)
    }

    fn mark_acknowledged(&self, ids: &[Uuid]) -> Result<(), QueueError> {
        self.mark(Mark::Acknowledged, ids)
    }

    fn mark_rejected(&self, rejected: &[(Uuid, String)]) -> Result<(), QueueError> {
        self.lock()
            .sync_mark_rejected(rejected, Utc::now())
            .map(drop)
            .map_err(QueueError::new)
    }

    fn mark_failed(&self, ids: &[Uuid], error: &str) -> Result<(), QueueError> {
        self.mark(Mark::Failed(error), ids)
    }

    fn counts(&self) -> Result<QueueCounts, QueueError> {
        self.lock().sync_counts().map_err(QueueError::new)
    }

    fn recent_hours(&self, since: DateTime<Utc>) -> Result<Vec<HourCounts>, QueueError> {
        let hours = self
            .lock()
            .adoption_by_hour(since, Utc::now() + chrono::TimeDelta::hours(1))
            .map_err(QueueError::new)?;
        Ok(hours
            .into_iter()
            .map(|(hour, a)| HourCounts {
                hour,
                checkins: a.checkins,
                observed: a.observed,
                with_bluezone: a.with_bluezone,
                bluezone_seen: a.bluezone_seen,
            })
            .collect())
    }
}
