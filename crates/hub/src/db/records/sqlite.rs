//! Opening the SQLite store (its schema, then the later ones) and storing
//! kiosks' records with the figures they add to, in one transaction.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, params};

use crate::HubError;
use crate::db::migrate::sqlite as migrate;
use crate::db::sqlite::{SCHEMA, SqliteDb, db_err, read_or_create_key};
use crate::db::stats::sqlite as stats;
use crate::index::RecordIndex;
use crate::rows::{NewRecord, timestamp};
use checkpoint_wire::RecordKind;

impl SqliteDb {
    pub fn open(path: &Path, key_file: &Path) -> Result<Self, HubError> {
        let key = read_or_create_key(key_file)?;
        checkpoint_sqlcipher::ready();
        let mut conn = Connection::open(path).map_err(db_err)?;
        conn.execute_batch(&format!("PRAGMA key = \"x'{key}'\";"))
            .map_err(db_err)?;
        conn.execute_batch(
            // secure_delete: retention overwrites what it deletes.
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;
             PRAGMA secure_delete = ON; PRAGMA cache_size = -32768;",
        )
        .map_err(|e| HubError::Db(format!("{}: {e} (wrong key file?)", path.display())))?;
        conn.execute_batch(SCHEMA).map_err(db_err)?;
        migrate::migrate(&mut conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
            key,
        })
    }

    pub fn insert(&self, kiosk_id: &str, records: &[NewRecord]) -> Result<Vec<bool>, HubError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction().map_err(db_err)?;
        let received = timestamp(chrono::Utc::now());
        let mut out = Vec::with_capacity(records.len());
        let mut days = std::collections::BTreeMap::new();
        {
            let mut stmt = tx
                .prepare_cached(
                    "INSERT INTO records (id, kiosk_id, kind, created_at, received_at, body,
                         checkpoint_id, flagged, document, phone, bluezone, subject, state)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6,
                         (SELECT checkpoint_id FROM kiosks WHERE kiosk_id = ?2),
                         ?7, ?8, ?9, ?10, ?11, ?12)
                     ON CONFLICT (id) DO NOTHING",
                )
                .map_err(db_err)?;
            let mut attend = tx
                .prepare_cached(&migrate::set_follow_up())
                .map_err(db_err)?;
            for r in records {
                let index = RecordIndex::of(r.kind, &r.body);
                // A step updates its declaration; a flagged declaration
                // takes the steps that arrived before it.
                let attended = match r.kind {
                    RecordKind::FollowUp => index.subject.clone(),
                    RecordKind::Declaration if index.flagged => Some(r.id.to_string()),
                    _ => None,
                };
                let changed = stmt
                    .execute(params![
                        r.id.to_string(),
                        kiosk_id,
                        r.kind.as_str(),
                        timestamp(r.created_at),
                        received,
                        r.body,
                        index.flagged,
                        index.document,
                        index.phone,
                        index.bluezone,
                        index.subject,
                        index.state
                    ])
                    .map_err(db_err)?;
                out.push(changed == 1);
                if changed == 1 {
                    stats::count_into(&mut days, r.kind, r.created_at, &index);
                    if let Some(id) = attended {
                        attend.execute([id]).map_err(db_err)?;
                    }
                }
            }
        }
        stats::add_batch(&tx, kiosk_id, &days, &received)?;
        tx.commit().map_err(db_err)?;
        Ok(out)
    }
}
