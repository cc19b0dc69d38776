//! The sync worker as the kiosk holds it: started on a runtime of its own,
//! woken when a record waits, stopped when the link is dropped.

use tokio::sync::watch;

use crate::sync::status::SyncStatus;
use crate::sync::worker::SyncHandle;

/// The sync worker, on a small runtime of its own.
#[derive(Debug)]
pub struct SyncLink {
    pub(super) handle: Option<SyncHandle>,
    pub status: watch::Receiver<SyncStatus>,
    /// Keeps the worker's runtime alive as long as the link.
    pub(super) runtime: Option<tokio::runtime::Runtime>,
}

impl SyncLink {
    /// A new record is waiting: send it now.
    pub fn wake(&self) {
        if let Some(handle) = &self.handle {
            handle.wake();
        }
    }
}

impl Drop for SyncLink {
    /// Stops the worker after its current step (a batch in flight stays
    /// `sent` and goes again next time). The window's own code runs inside
    /// iced's tokio runtime, where blocking on or dropping another runtime
    /// panics: both happen on a plain thread of their own.
    fn drop(&mut self) {
        let (Some(handle), Some(runtime)) = (self.handle.take(), self.runtime.take()) else {
            return;
        };
        let stopper = std::thread::Builder::new()
            .name("sync-stop".into())
            .spawn(move || {
                runtime.block_on(async {
                    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), handle.stop())
                        .await;
                });
                drop(runtime);
            });
        match stopper {
            Ok(thread) => {
                let _ = thread.join();
            }
            Err(e) => tracing::warn!(error = %e, "sync worker not stopped cleanly"),
        }
    }
}
