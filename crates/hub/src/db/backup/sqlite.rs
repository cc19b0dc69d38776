//! `checkpoint-hub backup` on SQLite: SQLite's online backup, a page at a
//! time, into a new file encrypted with the same key (a running hub keeps
//! writing meanwhile; pages it changes are copied again). The copy is then
//! opened and checked.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::HubError;
use crate::db::sqlite::{SqliteDb, db_err};

/// Pages copied per step, and the pause between steps that lets the hub's
/// own writes through.
const PAGES_PER_STEP: std::os::raw::c_int = 1024;
const PAUSE: Duration = Duration::from_millis(5);

impl SqliteDb {
    /// Copies the database to `dest` (which must not exist); its size in bytes.
    pub fn backup_to(&self, dest: &Path) -> Result<u64, HubError> {
        let fail = |e: &dyn std::fmt::Display| HubError::Db(format!("{}: {e}", dest.display()));
        // A new file, never an existing one overwritten (owner-only, like the key).
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        options.open(dest).map_err(|e| fail(&e))?;
        let mut to = Connection::open_with_flags(dest, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .map_err(|e| fail(&e))?;
        // The key before anything else reads the file.
        to.execute_batch(&format!("PRAGMA key = \"x'{}'\";", self.key))
            .map_err(|e| fail(&e))?;
        {
            let from = self.conn()?;
            let backup = rusqlite::backup::Backup::new(&from, &mut to).map_err(|e| fail(&e))?;
            backup
                .run_to_completion(PAGES_PER_STEP, PAUSE, None)
                .map_err(|e| fail(&e))?;
        }
        let check: String = to
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(db_err)?;
        if check != "ok" {
            return Err(fail(&check));
        }
        drop(to);
        std::fs::metadata(dest)
            .map(|m| m.len())
            .map_err(|e| fail(&e))
    }
}
