//! The hub on one SQLite file, encrypted with SQLCipher like the kiosk's own.

use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use rand::RngCore;
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use crate::HubError;
use crate::accounts::{Account, Role, Scope};
use crate::rows::{ExportFilter, ExportRow, RevokeSelector, TokenInfo, split_groups, timestamp};

pub(in crate::db) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS records (
    id          TEXT PRIMARY KEY,
    kiosk_id    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    received_at TEXT NOT NULL,
    body        TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS records_kiosk_created ON records (kiosk_id, created_at);
CREATE TABLE IF NOT EXISTS tokens (
    hash       TEXT PRIMARY KEY,
    kiosk_id   TEXT NOT NULL,
    label      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS accounts (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL,
    groups        TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled_at   TEXT
);
CREATE TABLE IF NOT EXISTS audit (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    account TEXT NOT NULL,
    action  TEXT NOT NULL,
    target  TEXT NOT NULL DEFAULT '',
    detail  TEXT NOT NULL DEFAULT ''
);
-- Append-only: the console and its accounts can add entries, never change them.
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
-- Only entries past the audit log's shortest retention (30 days) may go:
-- the retention run deletes those, nothing deletes a younger one.
DROP TRIGGER IF EXISTS audit_no_delete;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
WHEN old.at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-30 days')
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
-- Keys the hub makes once and every hub on the same store shares.
CREATE TABLE IF NOT EXISTS secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
";

/// The audit log's update guard (also made again after the one rewrite of
/// clear cases, `audit_rewrite`).
pub(in crate::db) const AUDIT_NO_UPDATE: &str = "
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";

pub struct SqliteDb {
    pub(in crate::db) conn: Mutex<Connection>,
    /// 64 hex digits: backups are encrypted with it too.
    pub(in crate::db) key: String,
}

/// A scope as one SQL parameter: a JSON array of groups, or NULL for all.
pub(in crate::db) fn scope_param(scope: &Scope) -> Option<String> {
    scope
        .groups()
        .map(|g| serde_json::to_string(g).unwrap_or_else(|_| "[]".into()))
}

/// The columns [`export_row`] reads.
pub(in crate::db) const ROW: &str =
    "id, kiosk_id, kind, created_at, received_at, body, checkpoint_id";

/// Rows whose checkpoint (in `column`) is within the scope in parameter `?n`.
pub(in crate::db) fn in_scope(column: &str, n: u8) -> String {
    format!(
        "(?{n} IS NULL OR {column} IN
           (SELECT id FROM checkpoints WHERE grp IN (SELECT value FROM json_each(?{n}))))"
    )
}

impl std::fmt::Debug for SqliteDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteDb").finish_non_exhaustive()
    }
}

pub(in crate::db) fn db_err(e: impl std::fmt::Display) -> HubError {
    HubError::Db(e.to_string())
}

impl SqliteDb {
    pub(in crate::db) fn conn(&self) -> Result<std::sync::MutexGuard<'_, Connection>, HubError> {
        self.conn
            .lock()
            .map_err(|_| HubError::Db("database lock poisoned".into()))
    }

    pub fn token(&self, hash: &str) -> Result<Option<TokenInfo>, HubError> {
        self.conn()?
            .query_row(
                "SELECT hash, kiosk_id, label, created_at, revoked_at FROM tokens WHERE hash = ?1",
                [hash],
                token_row,
            )
            .optional()
            .map_err(db_err)
    }

    pub fn add_token(&self, hash: &str, kiosk_id: &str, label: &str) -> Result<(), HubError> {
        self.conn()?
            .execute(
                "INSERT INTO tokens (hash, kiosk_id, label, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![hash, kiosk_id, label, timestamp(chrono::Utc::now())],
            )
            .map_err(db_err)?;
        Ok(())
    }

    pub fn tokens(&self) -> Result<Vec<TokenInfo>, HubError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare(
                "SELECT hash, kiosk_id, label, created_at, revoked_at FROM tokens
                 ORDER BY kiosk_id, created_at",
            )
            .map_err(db_err)?;
        let rows = stmt.query_map([], token_row).map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)
    }

    pub fn revoke(&self, selector: &RevokeSelector) -> Result<u64, HubError> {
        let now = timestamp(chrono::Utc::now());
        let conn = self.conn()?;
        let n = match selector {
            RevokeSelector::Id(prefix) => conn.execute(
                "UPDATE tokens SET revoked_at = ?1 WHERE revoked_at IS NULL AND substr(hash, 1, length(?2)) = ?2",
                params![now, prefix],
            ),
            RevokeSelector::Kiosk(kiosk) => conn.execute(
                "UPDATE tokens SET revoked_at = ?1 WHERE revoked_at IS NULL AND kiosk_id = ?2",
                params![now, kiosk],
            ),
        }
        .map_err(db_err)?;
        Ok(n as u64)
    }

    pub fn export(&self, f: &ExportFilter) -> Result<Vec<ExportRow>, HubError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare(
                "SELECT id, kiosk_id, kind, created_at, received_at, body, checkpoint_id FROM records
                 WHERE (?1 IS NULL OR kiosk_id = ?1)
                   AND (?2 IS NULL OR created_at >= ?2)
                   AND (?3 IS NULL OR created_at < ?3)
                 ORDER BY kiosk_id, created_at, id",
            )
            .map_err(db_err)?;
        let rows = stmt
            .query_map(
                params![f.kiosk_id, f.from.map(timestamp), f.to.map(timestamp)],
                export_row,
            )
            .map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)
    }

    pub fn record_ids(&self) -> Result<Vec<Uuid>, HubError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare("SELECT id FROM records").map_err(db_err)?;
        let rows = stmt
            .query_map([], |row| row.get::<_, String>(0))
            .map_err(db_err)?;
        let mut ids = Vec::new();
        for id in rows {
            let id = id.map_err(db_err)?;
            ids.push(Uuid::parse_str(&id).map_err(db_err)?);
        }
        Ok(ids)
    }

    pub fn ping(&self) -> Result<(), HubError> {
        self.conn()?
            .query_row("SELECT count(*) FROM tokens", [], |_| Ok(()))
            .map_err(db_err)
    }
}

impl SqliteDb {
    pub fn add_account(&self, a: &Account) -> Result<bool, HubError> {
        let n = self
            .conn()?
            .execute(
                "INSERT INTO accounts (name, role, groups, password_hash, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) DO NOTHING",
                params![
                    a.name,
                    a.role.as_str(),
                    a.groups.join(","),
                    a.password_hash,
                    timestamp(chrono::Utc::now())
                ],
            )
            .map_err(db_err)?;
        Ok(n == 1)
    }

    pub fn account(&self, name: &str) -> Result<Option<Account>, HubError> {
        self.conn()?
            .query_row(
                &format!("{ACCOUNT_SELECT} WHERE name = ?1"),
                [name],
                account_row,
            )
            .optional()
            .map_err(db_err)
    }

    pub fn accounts(&self) -> Result<Vec<Account>, HubError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare(&format!("{ACCOUNT_SELECT} ORDER BY name"))
            .map_err(db_err)?;
        let rows = stmt.query_map([], account_row).map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)
    }

    pub fn disable_account(&self, name: &str) -> Result<bool, HubError> {
        let n = self
            .conn()?
            .execute(
                "UPDATE accounts SET disabled_at = ?1 WHERE name = ?2 AND disabled_at IS NULL",
                params![timestamp(chrono::Utc::now()), name],
            )
            .map_err(db_err)?;
        Ok(n == 1)
    }

    /// A new password hash; a disabled account is enabled again by it.
    pub fn set_password(&self, name: &str, hash: &str) -> Result<bool, HubError> {
        let n = self
            .conn()?
            .execute(
                "UPDATE accounts SET password_hash = ?1, disabled_at = NULL WHERE name = ?2",
                params![hash, name],
            )
            .map_err(db_err)?;
        Ok(n == 1)
    }
}

impl SqliteDb {
    /// Records by kind, created at or after `since` (all without).
    pub fn kind_counts(&self, since: &Option<String>) -> Result<Vec<(String, i64)>, HubError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare(
                "SELECT kind, count(*) FROM records WHERE ?1 IS NULL OR created_at >= ?1 GROUP BY kind",
            )
            .map_err(db_err)?;
        let rows = stmt
            .query_map([since], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)
    }
}

const ACCOUNT_SELECT: &str =
    "SELECT name, role, groups, password_hash, created_at, disabled_at FROM accounts";

fn account_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Account> {
    let role: String = row.get(1)?;
    let groups: String = row.get(2)?;
    Ok(Account {
        name: row.get(0)?,
        role: Role::parse(&role).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                1,
                rusqlite::types::Type::Text,
                format!("unknown role {role}").into(),
            )
        })?,
        groups: split_groups(&groups),
        password_hash: row.get(3)?,
        created_at: row.get(4)?,
        disabled_at: row.get(5)?,
    })
}

pub(in crate::db) fn export_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ExportRow> {
    Ok(ExportRow {
        id: row.get(0)?,
        kiosk_id: row.get(1)?,
        kind: row.get(2)?,
        created_at: row.get(3)?,
        received_at: row.get(4)?,
        body: row.get(5)?,
        checkpoint_id: row.get(6)?,
    })
}

fn token_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<TokenInfo> {
    Ok(TokenInfo {
        hash: row.get(0)?,
        kiosk_id: row.get(1)?,
        label: row.get(2)?,
        created_at: row.get(3)?,
        revoked_at: row.get(4)?,
    })
}

/// The database key as 64 hex digits: read, or created (owner-only) on first use.
pub(in crate::db) fn read_or_create_key(path: &Path) -> Result<String, HubError> {
    let key_err = |e: std::io::Error| HubError::Key(format!("{}: {e}", path.display()));
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let key = text.trim().to_ascii_lowercase();
            if key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(key)
            } else {
                Err(HubError::Key(format!(
                    "{}: not a 64-hex-digit key",
                    path.display()
                )))
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut bytes = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            let key: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            match place_key(path, &key) {
                Ok(()) => Ok(key),
                // Another hub process (a command run as the service starts)
                // made it first: theirs is the key.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read_or_create_key(path),
                Err(e) => Err(key_err(e)),
            }
        }
        Err(e) => Err(key_err(e)),
    }
}

/// Writes `key` whole to a file of this process's own, then links it into
/// place, which fails (`AlreadyExists`) rather than replaces: a reader never
/// sees half a key, and of two processes making one at once one key is kept.
fn place_key(path: &Path, key: &str) -> std::io::Result<()> {
    let mut name = path.file_name().map(|n| n.to_owned()).unwrap_or_default();
    name.push(format!(
        ".{}-{:016x}.tmp",
        std::process::id(),
        rand::random::<u64>()
    ));
    let tmp = path.with_file_name(name);
    let write = |at: &Path| -> std::io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(at)?;
        file.write_all(key.as_bytes())?;
        file.sync_all()
    };
    let placed = write(&tmp).and_then(|()| match std::fs::hard_link(&tmp, path) {
        // A file system without links: the key file itself, made exclusively.
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => write(path),
        linked => linked,
    });
    let _ = std::fs::remove_file(&tmp);
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn processes_making_the_key_at_once_all_get_the_one_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hub.db.key");
        for round in 0..20 {
            let _ = std::fs::remove_file(&path);
            let keys: Vec<String> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..8)
                    .map(|_| s.spawn(|| read_or_create_key(&path).unwrap()))
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            let on_disk = read_or_create_key(&path).unwrap();
            assert!(keys.iter().all(|k| *k == on_disk), "round {round}");
        }
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left, ["hub.db.key"], "no temporary file is left behind");
    }
}
