//! The one safe way into SQLCipher for the kiosk's store and the hub.
//!
//! SQLite marks itself initialised *before* running SQLCipher's own set-up
//! (`SQLITE_EXTRA_INIT`), so a thread that opens and keys its first
//! connection while another thread is still initialising gets "An error
//! occurred with PRAGMA key" (seen in parallel tests: 16 failures in 3,000
//! runs). [`ready`] makes one first connection run the whole set-up while
//! the other threads wait for it. Call it before opening any connection.

use std::sync::OnceLock;

pub use rusqlite;

/// Waits until SQLite and SQLCipher are set up in this process.
pub fn ready() {
    static READY: OnceLock<()> = OnceLock::new();
    READY.get_or_init(|| {
        if let Err(e) = rusqlite::Connection::open_in_memory() {
            // The real opening that follows reports it, precisely.
            tracing::warn!(error = %e, "SQLite could not be initialised");
        }
    });
}
