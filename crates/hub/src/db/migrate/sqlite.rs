//! The second schema: checkpoints and the kiosks assigned to them, and the
//! columns the console searches records by ([`RecordIndex`]), filled for new
//! records when they are stored and for older ones here, once. `flagged`
//! NULL marks a record not read yet, so an interrupted backfill resumes.

use rusqlite::{Connection, OptionalExtension, params};

use crate::HubError;
use crate::db::sqlite::db_err;
use crate::index::RecordIndex;
use checkpoint_wire::RecordKind;

const INDEX_COLUMNS: [(&str, &str); 8] = [
    ("checkpoint_id", "TEXT"),
    ("flagged", "INTEGER"),
    ("document", "TEXT"),
    ("phone", "TEXT"),
    ("bluezone", "INTEGER"),
    ("subject", "TEXT"),
    ("state", "TEXT"),
    // On a declaration: the state of its latest follow-up step (NULL: none).
    ("follow_up", "TEXT"),
];

/// Sets the `follow_up` of declaration `?1` to its latest step's state,
/// of the steps that count for it (`step_counts`).
pub(in crate::db) fn set_follow_up() -> String {
    let counts = crate::db::console::step_counts_between("f", "records");
    format!(
        "UPDATE records SET follow_up =
            (SELECT f.state FROM records f WHERE f.subject IS NOT NULL AND f.subject = ?1
               AND f.kind = 'follow-up' AND {counts}
             ORDER BY f.created_at DESC, f.id DESC LIMIT 1)
        WHERE id = ?1 AND kind = 'declaration'
          AND EXISTS (SELECT 1 FROM records f WHERE f.subject IS NOT NULL AND f.subject = ?1
                        AND f.kind = 'follow-up' AND {counts})"
    )
}

const SCHEMA_2: &str = "
CREATE TABLE IF NOT EXISTS checkpoints (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    province   TEXT NOT NULL DEFAULT '',
    ward       TEXT NOT NULL DEFAULT '',
    grp        TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS checkpoints_grp ON checkpoints (grp);
CREATE TABLE IF NOT EXISTS kiosks (
    kiosk_id      TEXT PRIMARY KEY,
    checkpoint_id TEXT NOT NULL REFERENCES checkpoints (id),
    assigned_at   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS kiosks_checkpoint ON kiosks (checkpoint_id);
CREATE INDEX IF NOT EXISTS records_created ON records (created_at);
CREATE INDEX IF NOT EXISTS records_checkpoint_created ON records (checkpoint_id, created_at);
CREATE INDEX IF NOT EXISTS records_document ON records (document, created_at) WHERE document IS NOT NULL;
CREATE INDEX IF NOT EXISTS records_phone ON records (phone, created_at) WHERE phone IS NOT NULL;
-- Covering: counting flagged visitors never reads the records themselves
-- (each a page to decrypt: 600 ms for 5,000 of them at 100,000 records).
DROP INDEX IF EXISTS records_flagged;
CREATE INDEX IF NOT EXISTS records_flagged_cover ON records (created_at, kind, checkpoint_id) WHERE flagged = 1;
CREATE INDEX IF NOT EXISTS records_subject ON records (subject, created_at) WHERE subject IS NOT NULL;
CREATE INDEX IF NOT EXISTS records_unread ON records (id) WHERE flagged IS NULL;
";

/// Flagged visitors nobody has attended to yet: the overview counts them on
/// every view, and they are few where officers keep up. follow_up among the
/// columns too: SQLite counts a partial index as covering only for the
/// columns it holds (`IS NULL` in its WHERE is not enough), and reading each
/// record decrypts its page (450 ms at 100,000).
fn waiting_index() -> String {
    format!(
        "CREATE INDEX records_waiting_cover ON records (created_at, kind, checkpoint_id, follow_up) \
         WHERE flagged = 1 AND {}",
        crate::db::stats::sqlite::waiting()
    )
}

/// Makes the index `name` as `create` says, replacing one made by another
/// build with another condition (the follow-up states changed, or what
/// "waiting" means): SQLite keeps each index's statement as it was written.
fn ensure_index(conn: &Connection, name: &str, create: &str) -> Result<(), HubError> {
    let stored: Option<String> = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()
        .map_err(db_err)?;
    if stored.as_deref() == Some(create) {
        return Ok(());
    }
    conn.execute_batch(&format!("DROP INDEX IF EXISTS {name}; {create};"))
        .map_err(db_err)?;
    if stored.is_some() {
        tracing::info!(index = name, "index made again for a changed condition");
    }
    Ok(())
}

/// Records read per transaction of the backfill.
const BACKFILL_BATCH: usize = 2_000;

pub fn migrate(conn: &mut Connection) -> Result<(), HubError> {
    let present: Vec<String> = {
        let mut stmt = conn
            .prepare("SELECT name FROM pragma_table_info('records')")
            .map_err(db_err)?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)?
    };
    let tx = conn.transaction().map_err(db_err)?;
    for (column, kind) in INDEX_COLUMNS {
        if !present.iter().any(|p| p == column) {
            tx.execute_batch(&format!("ALTER TABLE records ADD COLUMN {column} {kind}"))
                .map_err(db_err)?;
        }
    }
    if !present.iter().any(|p| p == "follow_up") {
        // With the column, in one transaction: a hub stopped here finds
        // either neither or both. Steps not indexed yet follow in the backfill.
        tx.execute_batch(
            "UPDATE records SET follow_up =
                 (SELECT f.state FROM records f WHERE f.subject IS NOT NULL AND f.subject = records.id
                    AND f.kind = 'follow-up' ORDER BY f.created_at DESC, f.id DESC LIMIT 1)
             WHERE kind = 'declaration' AND id IN
                 (SELECT subject FROM records WHERE subject IS NOT NULL AND kind = 'follow-up')",
        )
        .map_err(db_err)?;
    }
    tx.commit().map_err(db_err)?;
    conn.execute_batch(SCHEMA_2).map_err(db_err)?;
    ensure_index(conn, "records_waiting_cover", &waiting_index())?;
    let mut read = 0usize;
    loop {
        match backfill_batch(conn)? {
            0 => break,
            n => read += n,
        }
    }
    if read > 0 {
        tracing::info!(records = read, "records indexed for the console");
    }
    conn.execute_batch(crate::db::stats::sqlite::SCHEMA_3)
        .map_err(db_err)?;
    conn.execute_batch(crate::db::targets::sqlite::SCHEMA_4)
        .map_err(db_err)?;
    conn.execute_batch(crate::db::enrolments::sqlite::SCHEMA_6)
        .map_err(db_err)?;
    conn.execute_batch(crate::db::fleet::sqlite::SCHEMA_7)
        .map_err(db_err)?;
    conn.execute_batch(crate::db::signins::SCHEMA_8)
        .map_err(db_err)?;
    crate::db::stats::sqlite::backfill_day_counts(conn)
}

/// Reads one batch of unread records; how many it read.
fn backfill_batch(conn: &mut Connection) -> Result<usize, HubError> {
    let tx = conn.transaction().map_err(db_err)?;
    let unread: Vec<(String, String, String)> = {
        let mut stmt = tx
            .prepare("SELECT id, kind, body FROM records WHERE flagged IS NULL LIMIT ?1")
            .map_err(db_err)?;
        let rows = stmt
            .query_map([BACKFILL_BATCH as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)?
    };
    {
        let mut update = tx
            .prepare(
                "UPDATE records SET flagged = ?2, document = ?3, phone = ?4, bluezone = ?5,
                        subject = ?6, state = ?7,
                        checkpoint_id = coalesce(checkpoint_id,
                            (SELECT checkpoint_id FROM kiosks k WHERE k.kiosk_id = records.kiosk_id))
                 WHERE id = ?1",
            )
            .map_err(db_err)?;
        let mut attend = tx.prepare(&set_follow_up()).map_err(db_err)?;
        for (id, kind, body) in &unread {
            let index = RecordKind::parse(kind)
                .map(|k| RecordIndex::of(k, body))
                .unwrap_or_default();
            let subject = index.subject.clone();
            update
                .execute(params![
                    id,
                    index.flagged,
                    index.document,
                    index.phone,
                    index.bluezone,
                    index.subject,
                    index.state
                ])
                .map_err(db_err)?;
            if let Some(subject) = subject {
                attend.execute([subject]).map_err(db_err)?;
            }
        }
    }
    tx.commit().map_err(db_err)?;
    Ok(unread.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::sqlite::SqliteDb;

    #[test]
    fn an_index_of_another_condition_is_made_again() {
        let dir = tempfile::tempdir().unwrap();
        let (path, key) = (dir.path().join("hub.db"), dir.path().join("hub.key"));
        {
            // A hub of an earlier build made the index on "no step yet".
            let db = SqliteDb::open(&path, &key).unwrap();
            db.conn()
                .unwrap()
                .execute_batch(
                    "DROP INDEX records_waiting_cover;
                     CREATE INDEX records_waiting_cover ON records (created_at, kind, checkpoint_id, follow_up)
                         WHERE flagged = 1 AND follow_up IS NULL;",
                )
                .unwrap();
        }
        let db = SqliteDb::open(&path, &key).unwrap();
        let stored: String = db
            .conn()
            .unwrap()
            .query_row(
                "SELECT sql FROM sqlite_master WHERE name = 'records_waiting_cover'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(stored, waiting_index());
        // The count names the index: with the old one it could not be planned.
        assert_eq!(
            db.waiting_flagged(&crate::accounts::Scope::all(), "2100-01-01T00:00:00Z")
                .unwrap(),
            0
        );
    }
}
