//! A durable queue on a real SQLite file, implementing the sync client's
//! `SyncQueue`, with the same states as the store (pending/sent/acknowledged,
//! plus rejected), attempts and last error.

use std::path::Path;
use std::sync::Mutex;

use checkpoint_kiosk::sync::queue::{OutgoingRecord, QueueCounts, QueueError, SyncQueue};
use checkpoint_wire::RecordKind;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use uuid::Uuid;

pub struct TestQueue {
    conn: Mutex<Connection>,
}

fn qe(e: rusqlite::Error) -> QueueError {
    QueueError::new(e)
}

impl TestQueue {
    pub fn open(path: &Path) -> Self {
        let conn = Connection::open(path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;
             CREATE TABLE IF NOT EXISTS q (
                id TEXT PRIMARY KEY, kind TEXT NOT NULL, kiosk_id TEXT NOT NULL,
                created_at TEXT NOT NULL, body TEXT NOT NULL,
                state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT);
             CREATE INDEX IF NOT EXISTS q_state ON q (state, id);",
        )
        .unwrap();
        Self {
            conn: Mutex::new(conn),
        }
    }

    pub fn insert(&self, records: &[OutgoingRecord]) {
        let mut conn = self.conn.lock().unwrap();
        let tx = conn.transaction().unwrap();
        {
            let mut stmt = tx
                .prepare("INSERT INTO q (id, kind, kiosk_id, created_at, body) VALUES (?1, ?2, ?3, ?4, ?5)")
                .unwrap();
            for r in records {
                stmt.execute(params![
                    r.id.to_string(),
                    r.kind.as_str(),
                    r.kiosk_id,
                    r.created_at.to_rfc3339(),
                    r.body.get()
                ])
                .unwrap();
            }
        }
        tx.commit().unwrap();
    }

    /// (state, attempts, last_error) of one record.
    pub fn state(&self, id: Uuid) -> (String, i64, Option<String>) {
        self.conn
            .lock()
            .unwrap()
            .query_row(
                "SELECT state, attempts, last_error FROM q WHERE id = ?1",
                [id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap()
    }

    /// How many records are in each state.
    pub fn count(&self, state: &str) -> u64 {
        self.conn
            .lock()
            .unwrap()
            .query_row("SELECT count(*) FROM q WHERE state = ?1", [state], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap() as u64
    }

    pub fn total(&self) -> u64 {
        self.conn
            .lock()
            .unwrap()
            .query_row("SELECT count(*) FROM q", [], |r| r.get::<_, i64>(0))
            .unwrap() as u64
    }

    fn set_state(&self, ids: &[Uuid], sql: &str, extra: Option<&str>) -> Result<(), QueueError> {
        let mut conn = self.conn.lock().map_err(|_| QueueError::new("poisoned"))?;
        let tx = conn.transaction().map_err(qe)?;
        {
            let mut stmt = tx.prepare(sql).map_err(qe)?;
            for id in ids {
                match extra {
                    Some(e) => stmt.execute(params![id.to_string(), e]),
                    None => stmt.execute(params![id.to_string()]),
                }
                .map_err(qe)?;
            }
        }
        tx.commit().map_err(qe)
    }
}

impl SyncQueue for TestQueue {
    fn pending_batch(
        &self,
        max_records: usize,
        max_bytes: usize,
        kinds: &[RecordKind],
    ) -> Result<Vec<OutgoingRecord>, QueueError> {
        let conn = self.conn.lock().map_err(|_| QueueError::new("poisoned"))?;
        let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, kind, kiosk_id, created_at, body FROM q
                 WHERE state IN ('pending', 'sent') ORDER BY id LIMIT ?1",
            )
            .map_err(qe)?;
        let mut rows = stmt.query([max_records as i64]).map_err(qe)?;
        let mut out = Vec::new();
        let mut bytes = 0usize;
        while let Some(row) = rows.next().map_err(qe)? {
            let kind: String = row.get(1).map_err(qe)?;
            if !kinds.contains(&kind.as_str()) {
                continue;
            }
            let body: String = row.get(4).map_err(qe)?;
            if !out.is_empty() && bytes + body.len() > max_bytes {
                break;
            }
            bytes += body.len();
            let id: String = row.get(0).map_err(qe)?;
            let created: String = row.get(3).map_err(qe)?;
            out.push(OutgoingRecord {
                id: Uuid::parse_str(&id).map_err(QueueError::new)?,
                kind: RecordKind::parse(&kind).ok_or_else(|| QueueError::new("kind"))?,
                kiosk_id: row.get(2).map_err(qe)?,
                created_at: DateTime::parse_from_rfc3339(&created)
                    .map_err(QueueError::new)?
                    .with_timezone(&Utc),
                body: serde_json::value::RawValue::from_string(body).map_err(QueueError::new)?,
            });
        }
        Ok(out)
    }

    fn mark_sent(&self, ids: &[Uuid]) -> Result<(), QueueError> {
        self.set_state(
            ids,
            "UPDATE q SET state = 'sent', attempts = attempts + 1 WHERE id = ?1 AND state IN ('pending', 'sent')",
            None,
        )
    }

    fn mark_acknowledged(&self, ids: &[Uuid]) -> Result<(), QueueError> {
        self.set_state(
            ids,
            "UPDATE q SET state = 'acknowledged', last_error = NULL WHERE id = ?1",
            None,
        )
    }

    fn mark_rejected(&self, rejected: &[(Uuid, String)]) -> Result<(), QueueError> {
        for (id, reason) in rejected {
            self.set_state(
                &[*id],
                "UPDATE q SET state = 'rejected', last_error = ?2 WHERE id = ?1",
                Some(reason),
            )?;
        }
        Ok(())
    }

    fn mark_failed(&self, ids: &[Uuid], error: &str) -> Result<(), QueueError> {
        self.set_state(
            ids,
            "UPDATE q SET state = 'pending', last_error = ?2 WHERE id = ?1 AND state = 'sent'",
            Some(error),
        )
    }

    fn counts(&self) -> Result<QueueCounts, QueueError> {
        let conn = self.conn.lock().map_err(|_| QueueError::new("poisoned"))?;
        let mut c = QueueCounts::default();
        let mut stmt = conn
            .prepare("SELECT state, count(*) FROM q GROUP BY state")
            .map_err(qe)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
            })
            .map_err(qe)?;
        for row in rows {
            let (state, n) = row.map_err(qe)?;
            match state.as_str() {
                "pending" => c.unsynced += n,
                "sent" => {
                    c.unsynced += n;
                    c.in_flight += n;
                }
                "acknowledged" => c.acknowledged += n,
                _ => c.rejected += n,
            }
        }
        Ok(c)
    }
}
