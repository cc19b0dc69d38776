//! What the sync client needs from the kiosk's local queue. The store
//! implements it (`super::store_queue::StoreQueue`); tests may use any durable queue.
//!
//! Life of a record: `pending` → (`mark_sent`) `sent` → (`mark_acknowledged`)
//! `acknowledged`, or `rejected` when the hub refuses it for good. A `sent`
//! record whose answer never came (crash, lost answer) is offered again by
//! `pending_batch`: the hub is idempotent by record id, so resending is safe.

pub use checkpoint_store::QueueCounts;
pub use checkpoint_wire::{OutgoingRecord, RecordKind};
use uuid::Uuid;

/// A queue failure (disk, database), carried as text to the status bar.
#[derive(Debug, thiserror::Error)]
#[error("local queue: {0}")]
pub struct QueueError(pub String);

impl QueueError {
    pub fn new(err: impl std::fmt::Display) -> Self {
        Self(err.to_string())
    }
}

/// The local queue as the sync client sees it. Blocking calls: the worker
/// runs them on tokio's blocking pool.
pub trait SyncQueue: Send + Sync + 'static {
    /// Oldest records first, not yet acknowledged nor rejected (so `sent`
    /// ones too), at most `max_records` and about `max_bytes` of body (at
    /// least one record when any is waiting, whatever its size), of the
    /// `kinds` the hub accepts only: the others wait, untouched.
    fn pending_batch(
        &self,
        max_records: usize,
        max_bytes: usize,
        kinds: &[RecordKind],
    ) -> Result<Vec<OutgoingRecord>, QueueError>;

    /// The records are on their way: `sent`, one more attempt.
    fn mark_sent(&self, ids: &[Uuid]) -> Result<(), QueueError>;

    /// The hub confirmed these (stored or duplicate): synced for good.
    fn mark_acknowledged(&self, ids: &[Uuid]) -> Result<(), QueueError>;

    /// The hub refused these for good, with its reason code and detail.
    fn mark_rejected(&self, rejected: &[(Uuid, String)]) -> Result<(), QueueError>;

    /// The attempt failed (no answer, or an error answer): keep them, note why.
    fn mark_failed(&self, ids: &[Uuid], error: &str) -> Result<(), QueueError>;

    fn counts(&self) -> Result<QueueCounts, QueueError>;

    /// The kiosk's own counts of each hour from `since` (for the heartbeat);
    /// a queue that keeps none has none.
    fn recent_hours(
        &self,
        _since: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<checkpoint_wire::HourCounts>, QueueError> {
        Ok(Vec::new())
    }
}
