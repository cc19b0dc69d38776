//! Fault hooks for tests: make a running hub fail in the ways real servers
//! do. Reachable only through the library API (`RunningHub::faults`), never
//! from the command line.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

#[derive(Debug, Default)]
pub struct Faults {
    /// Answer the next requests with these statuses (e.g. 500, 503), in order.
    fail_next: Mutex<Vec<u16>>,
    /// Before storing, wait this long (answers slower than the client waits).
    delay_before_store_ms: AtomicU64,
    /// After storing this many batches, never answer (the answer is lost).
    hang_after_store: AtomicU32,
    /// Batches stored since start (to let a test act at the right moment).
    stored_batches: AtomicU64,
}

impl Faults {
    pub fn fail_next(&self, statuses: &[u16]) {
        if let Ok(mut q) = self.fail_next.lock() {
            q.extend(statuses.iter().rev());
        }
    }

    pub fn delay_before_store(&self, delay: Duration) {
        let ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        self.delay_before_store_ms.store(ms, Ordering::SeqCst);
    }

    pub fn hang_after_store(&self, batches: u32) {
        self.hang_after_store.store(batches, Ordering::SeqCst);
    }

    pub fn stored_batches(&self) -> u64 {
        self.stored_batches.load(Ordering::SeqCst)
    }

    pub(super) fn take_failure(&self) -> Option<u16> {
        self.fail_next.lock().ok()?.pop()
    }

    pub(super) fn store_delay(&self) -> Option<Duration> {
        let ms = self.delay_before_store_ms.load(Ordering::SeqCst);
        (ms > 0).then(|| Duration::from_millis(ms))
    }

    /// Counts a stored batch; true when its answer must be lost.
    pub(super) fn after_store(&self) -> bool {
        self.stored_batches.fetch_add(1, Ordering::SeqCst);
        self.hang_after_store
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    }
}
