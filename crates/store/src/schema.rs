//! The schema and its migrations. `PRAGMA user_version` holds the number of
//! migrations applied; each runs in its own transaction with the version bump,
//! so a crash leaves the database at one version or the next, never between.
//!
//! A migration, once released, never changes: add a new one at the end (and a
//! fixture for the version before it in `tests/it/store_migrations.rs`).

use rusqlite::{Connection, TransactionBehavior};

/// Version 1: declarations and reports with their sync state, the audit log,
/// the meta table.
const V1: &str = "
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE declarations (
    seq          INTEGER PRIMARY KEY,
    record_id    TEXT NOT NULL UNIQUE,
    kiosk_id     TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    stored_at    TEXT NOT NULL,
    flagged      INTEGER NOT NULL CHECK (flagged IN (0, 1)),
    sync_state   TEXT NOT NULL DEFAULT 'pending'
                 CHECK (sync_state IN ('pending', 'sent', 'acknowledged')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    last_attempt TEXT,
    record       TEXT NOT NULL
) STRICT;
CREATE INDEX declarations_by_state ON declarations (sync_state, record_id);
CREATE INDEX declarations_by_time ON declarations (submitted_at);
CREATE INDEX declarations_flagged ON declarations (submitted_at) WHERE flagged = 1;

CREATE TABLE reports (
    seq          INTEGER PRIMARY KEY,
    record_id    TEXT NOT NULL UNIQUE,
    kiosk_id     TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    stored_at    TEXT NOT NULL,
    sync_state   TEXT NOT NULL DEFAULT 'pending'
                 CHECK (sync_state IN ('pending', 'sent', 'acknowledged')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    last_attempt TEXT,
    record       TEXT NOT NULL
) STRICT;
CREATE INDEX reports_by_state ON reports (sync_state, record_id);
CREATE INDEX reports_by_time ON reports (submitted_at);

-- Counts by state, kept by triggers, so `queue stats` costs the same at
-- 100 or 100,000 records (counting an index would decrypt all its pages).
CREATE TABLE queue_counts (
    kind       TEXT NOT NULL,
    sync_state TEXT NOT NULL,
    n          INTEGER NOT NULL DEFAULT 0,
    flagged    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, sync_state)
) STRICT, WITHOUT ROWID;
INSERT INTO queue_counts (kind, sync_state) VALUES
    ('declaration', 'pending'), ('declaration', 'sent'), ('declaration', 'acknowledged'),
    ('report', 'pending'), ('report', 'sent'), ('report', 'acknowledged');

CREATE TRIGGER declarations_count_insert AFTER INSERT ON declarations BEGIN
    UPDATE queue_counts SET n = n + 1, flagged = flagged + NEW.flagged
    WHERE kind = 'declaration' AND sync_state = NEW.sync_state;
END;
CREATE TRIGGER declarations_count_delete AFTER DELETE ON declarations BEGIN
    UPDATE queue_counts SET n = n - 1, flagged = flagged - OLD.flagged
    WHERE kind = 'declaration' AND sync_state = OLD.sync_state;
END;
CREATE TRIGGER declarations_count_update AFTER UPDATE OF sync_state, flagged ON declarations
WHEN OLD.sync_state IS NOT NEW.sync_state OR OLD.flagged IS NOT NEW.flagged BEGIN
    UPDATE queue_counts SET n = n - 1, flagged = flagged - OLD.flagged
    WHERE kind = 'declaration' AND sync_state = OLD.sync_state;
    UPDATE queue_counts SET n = n + 1, flagged = flagged + NEW.flagged
    WHERE kind = 'declaration' AND sync_state = NEW.sync_state;
END;
CREATE TRIGGER reports_count_insert AFTER INSERT ON reports BEGIN
    UPDATE queue_counts SET n = n + 1
    WHERE kind = 'report' AND sync_state = NEW.sync_state;
END;
CREATE TRIGGER reports_count_delete AFTER DELETE ON reports BEGIN
    UPDATE queue_counts SET n = n - 1
    WHERE kind = 'report' AND sync_state = OLD.sync_state;
END;
CREATE TRIGGER reports_count_update AFTER UPDATE OF sync_state ON reports
WHEN OLD.sync_state IS NOT NEW.sync_state BEGIN
    UPDATE queue_counts SET n = n - 1
    WHERE kind = 'report' AND sync_state = OLD.sync_state;
    UPDATE queue_counts SET n = n + 1
    WHERE kind = 'report' AND sync_state = NEW.sync_state;
END;

-- Who did what, when. Never personal data: record ids and counts only.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    record_id TEXT,
    detail    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
";

/// Version 2: the Bluetooth hourly counts and check-in adoption (counts
/// only, no identifiers), read and written by `ble_counts`. Frozen like every
/// migration (`store_migrations` pins its checksum): a change to those
/// tables is a new migration.
const V2: &str = "
CREATE TABLE IF NOT EXISTS ble_hourly_counts (
    hour TEXT PRIMARY KEY NOT NULL,          -- UTC hour start, RFC 3339
    seen_bluezone_android INTEGER NOT NULL DEFAULT 0,
    seen_bluezone_ios INTEGER NOT NULL DEFAULT 0,
    seen_bluezone_ios_unconfirmed INTEGER NOT NULL DEFAULT 0,
    seen_exposure_notification INTEGER NOT NULL DEFAULT 0,
    seen_other INTEGER NOT NULL DEFAULT 0,
    peak_bluezone INTEGER NOT NULL DEFAULT 0,
    peak_phones INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS ble_checkins_hourly (
    hour TEXT PRIMARY KEY NOT NULL,          -- UTC hour start, RFC 3339
    checkins INTEGER NOT NULL DEFAULT 0,     -- every check-in
    observed INTEGER NOT NULL DEFAULT 0,     -- check-ins while the scanner was listening
    with_bluezone INTEGER NOT NULL DEFAULT 0 -- of those, with a Bluezone phone at the kiosk
);
";

/// Version 3: a fourth sync state, `rejected` (the hub refused the record for
/// good: it leaves the sync batches but stays on the kiosk for staff). SQLite
/// cannot change a CHECK constraint in place, so both queue tables are
/// rebuilt (same columns, same `seq`, rows copied), with their indexes and
/// count triggers; `queue_counts` gains a row per kind for the new state.
const V3: &str = "
CREATE TABLE declarations_v3 (
    seq          INTEGER PRIMARY KEY,
    record_id    TEXT NOT NULL UNIQUE,
    kiosk_id     TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    stored_at    TEXT NOT NULL,
    flagged      INTEGER NOT NULL CHECK (flagged IN (0, 1)),
    sync_state   TEXT NOT NULL DEFAULT 'pending'
                 CHECK (sync_state IN ('pending', 'sent', 'acknowledged', 'rejected')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    last_attempt TEXT,
    record       TEXT NOT NULL
) STRICT;
INSERT INTO declarations_v3 (seq, record_id, kiosk_id, submitted_at, stored_at, flagged,
                             sync_state, attempts, last_error, last_attempt, record)
    SELECT seq, record_id, kiosk_id, submitted_at, stored_at, flagged,
           sync_state, attempts, last_error, last_attempt, record
    FROM declarations;
DROP TABLE declarations;
ALTER TABLE declarations_v3 RENAME TO declarations;
CREATE INDEX declarations_by_state ON declarations (sync_state, record_id);
CREATE INDEX declarations_by_time ON declarations (submitted_at);
CREATE INDEX declarations_flagged ON declarations (submitted_at) WHERE flagged = 1;

CREATE TABLE reports_v3 (
    seq          INTEGER PRIMARY KEY,
    record_id    TEXT NOT NULL UNIQUE,
    kiosk_id     TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    stored_at    TEXT NOT NULL,
    sync_state   TEXT NOT NULL DEFAULT 'pending'
                 CHECK (sync_state IN ('pending', 'sent', 'acknowledged', 'rejected')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    last_attempt TEXT,
    record       TEXT NOT NULL
) STRICT;
INSERT INTO reports_v3 (seq, record_id, kiosk_id, submitted_at, stored_at,
                        sync_state, attempts, last_error, last_attempt, record)
    SELECT seq, record_id, kiosk_id, submitted_at, stored_at,
           sync_state, attempts, last_error, last_attempt, record
    FROM reports;
DROP TABLE reports;
ALTER TABLE reports_v3 RENAME TO reports;
CREATE INDEX reports_by_state ON reports (sync_state, record_id);
CREATE INDEX reports_by_time ON reports (submitted_at);

INSERT INTO queue_counts (kind, sync_state) VALUES
    ('declaration', 'rejected'), ('report', 'rejected');

CREATE TRIGGER declarations_count_insert AFTER INSERT ON declarations BEGIN
    UPDATE queue_counts SET n = n + 1, flagged = flagged + NEW.flagged
    WHERE kind = 'declaration' AND sync_state = NEW.sync_state;
END;
CREATE TRIGGER declarations_count_delete AFTER DELETE ON declarations BEGIN
    UPDATE queue_counts SET n = n - 1, flagged = flagged - OLD.flagged
    WHERE kind = 'declaration' AND sync_state = OLD.sync_state;
END;
CREATE TRIGGER declarations_count_update AFTER UPDATE OF sync_state, flagged ON declarations
WHEN OLD.sync_state IS NOT NEW.sync_state OR OLD.flagged IS NOT NEW.flagged BEGIN
    UPDATE queue_counts SET n = n - 1, flagged = flagged - OLD.flagged
    WHERE kind = 'declaration' AND sync_state = OLD.sync_state;
    UPDATE queue_counts SET n = n + 1, flagged = flagged + NEW.flagged
    WHERE kind = 'declaration' AND sync_state = NEW.sync_state;
END;
CREATE TRIGGER reports_count_insert AFTER INSERT ON reports BEGIN
    UPDATE queue_counts SET n = n + 1
    WHERE kind = 'report' AND sync_state = NEW.sync_state;
END;
CREATE TRIGGER reports_count_delete AFTER DELETE ON reports BEGIN
    UPDATE queue_counts SET n = n - 1
    WHERE kind = 'report' AND sync_state = OLD.sync_state;
END;
CREATE TRIGGER reports_count_update AFTER UPDATE OF sync_state ON reports
WHEN OLD.sync_state IS NOT NEW.sync_state BEGIN
    UPDATE queue_counts SET n = n - 1
    WHERE kind = 'report' AND sync_state = OLD.sync_state;
    UPDATE queue_counts SET n = n + 1
    WHERE kind = 'report' AND sync_state = NEW.sync_state;
END;
";

/// Version 4: the trigger-kept counts go. Each insert paid for them with
/// one more page written (and encrypted) and a statement journal; `queue
/// stats` now counts the `(sync_state, record_id)` index instead, which
/// takes milliseconds at 100,000 records.
const V4: &str = "
DROP TRIGGER declarations_count_insert;
DROP TRIGGER declarations_count_delete;
DROP TRIGGER declarations_count_update;
DROP TRIGGER reports_count_insert;
DROP TRIGGER reports_count_delete;
DROP TRIGGER reports_count_update;
DROP TABLE queue_counts;
";

/// Version 5: flagged visitors are followed up. Each declaration carries
/// its latest follow-up state (existing flagged ones start `new`: nobody
/// acknowledged them); each step is a `follow_ups` row, a queue table like
/// the other two (same sync columns), synced as kind `follow-up`. And the
/// DCC trust list staff import is kept here with its date (one row).
const V5: &str = "
ALTER TABLE declarations ADD COLUMN follow_up TEXT NOT NULL DEFAULT 'new'
    CHECK (follow_up IN ('new', 'seen-at-desk', 'contacted', 'referred-for-testing', 'cleared'));
CREATE INDEX declarations_open_flags ON declarations (submitted_at)
    WHERE flagged = 1 AND follow_up != 'cleared';

CREATE TABLE follow_ups (
    seq            INTEGER PRIMARY KEY,
    record_id      TEXT NOT NULL UNIQUE,
    kiosk_id       TEXT NOT NULL,
    submitted_at   TEXT NOT NULL,
    stored_at      TEXT NOT NULL,
    declaration_id TEXT NOT NULL,
    state          TEXT NOT NULL,
    sync_state     TEXT NOT NULL DEFAULT 'pending'
                   CHECK (sync_state IN ('pending', 'sent', 'acknowledged', 'rejected')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT,
    last_attempt   TEXT,
    record         TEXT NOT NULL
) STRICT;
CREATE INDEX follow_ups_by_state ON follow_ups (sync_state, record_id);
CREATE INDEX follow_ups_by_time ON follow_ups (submitted_at);
CREATE INDEX follow_ups_by_declaration ON follow_ups (declaration_id, submitted_at);

CREATE TABLE trust_list (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    imported_at TEXT NOT NULL,
    source      TEXT NOT NULL,
    bytes       BLOB NOT NULL
) STRICT;
";

// The next migration goes here as `V6`, appended to `MIGRATIONS`, with its
// hash pinned and a v5 fixture in `tests/it/store_migrations.rs`.

/// Every migration, in order. Index `i` takes the database from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5];

/// The version this build writes.
pub const LATEST: u32 = MIGRATIONS.len() as u32;

/// The schema version stored in the file.
pub fn version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

/// Applies the migrations after `version(conn)` up to `target`. Returns the
/// version reached. A database newer than this build is left alone.
pub fn migrate_to(conn: &mut Connection, target: u32) -> rusqlite::Result<u32> {
    // The common case, an up-to-date file, takes no write lock.
    let current = version(conn)?;
    if current >= target {
        return Ok(current);
    }
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Read inside the write lock: another process may have migrated meanwhile.
        let current = version(&tx)?;
        if current >= target {
            tx.commit()?;
            return Ok(current);
        }
        let Some(sql) = MIGRATIONS.get(current as usize) else {
            return Ok(current);
        };
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", current + 1)?;
        tx.commit()?;
        tracing::info!(version = current + 1, "store schema migrated");
    }
}

/// Applies every pending migration.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<u32> {
    migrate_to(conn, LATEST)
}
