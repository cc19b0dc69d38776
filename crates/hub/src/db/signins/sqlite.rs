//! Sessions, failed sign-ins and timer runs on SQLite (see `signins.rs`).

use rusqlite::{OptionalExtension, params};

use super::StoredSession;
use crate::HubError;
use crate::db::sqlite::{SqliteDb, db_err};

impl SqliteDb {
    /// Stores a new session, first deleting those idle since `idle_before`
    /// or started before `started_before`.
    pub fn session_start(
        &self,
        id_hash: &str,
        s: &StoredSession,
        idle_before: &str,
        started_before: &str,
    ) -> Result<(), HubError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction().map_err(db_err)?;
        tx.execute(
            "DELETE FROM sessions WHERE seen < ?1 OR started < ?2",
            params![idle_before, started_before],
        )
        .map_err(db_err)?;
        tx.execute(
            "INSERT INTO sessions (id_hash, account, role, groups, csrf, started, seen)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                id_hash, s.account, s.role, s.groups, s.csrf, s.started, s.seen
            ],
        )
        .map_err(db_err)?;
        tx.commit().map_err(db_err)
    }

    pub fn session(&self, id_hash: &str) -> Result<Option<StoredSession>, HubError> {
        self.conn()?
            .query_row(
                "SELECT account, role, groups, csrf, started, seen FROM sessions WHERE id_hash = ?1",
                [id_hash],
                |r| {
                    Ok(StoredSession {
                        account: r.get(0)?,
                        role: r.get(1)?,
                        groups: r.get(2)?,
                        csrf: r.get(3)?,
                        started: r.get(4)?,
                        seen: r.get(5)?,
                    })
                },
            )
            .optional()
            .map_err(db_err)
    }

    pub fn session_seen(&self, id_hash: &str, seen: &str) -> Result<(), HubError> {
        self.conn()?
            .execute(
                "UPDATE sessions SET seen = ?2 WHERE id_hash = ?1",
                params![id_hash, seen],
            )
            .map_err(db_err)?;
        Ok(())
    }

    pub fn session_end(&self, id_hash: &str) -> Result<(), HubError> {
        self.conn()?
            .execute("DELETE FROM sessions WHERE id_hash = ?1", [id_hash])
            .map_err(db_err)?;
        Ok(())
    }

    pub fn sessions_end_of(&self, account: &str) -> Result<(), HubError> {
        self.conn()?
            .execute("DELETE FROM sessions WHERE account = ?1", [account])
            .map_err(db_err)?;
        Ok(())
    }

    /// Adds a failure of `subject`, first forgetting every failure (of any
    /// subject) taken before `forget_before`.
    pub fn signin_failed(
        &self,
        subject: &str,
        at: &str,
        forget_before: &str,
    ) -> Result<(), HubError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction().map_err(db_err)?;
        tx.execute("DELETE FROM signin_failures WHERE at < ?1", [forget_before])
            .map_err(db_err)?;
        tx.execute(
            "INSERT INTO signin_failures (subject, at) VALUES (?1, ?2)",
            params![subject, at],
        )
        .map_err(db_err)?;
        tx.commit().map_err(db_err)
    }

    /// How many failures `subject` has after `since`, and the oldest.
    pub fn signin_failures(
        &self,
        subject: &str,
        since: &str,
    ) -> Result<(u64, Option<String>), HubError> {
        self.conn()?
            .query_row(
                "SELECT count(*), min(at) FROM signin_failures WHERE subject = ?1 AND at > ?2",
                params![subject, since],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)),
            )
            .map_err(db_err)
    }

    pub fn signin_forget(&self, subject: &str) -> Result<(), HubError> {
        self.conn()?
            .execute("DELETE FROM signin_failures WHERE subject = ?1", [subject])
            .map_err(db_err)?;
        Ok(())
    }

    /// How many failures are remembered, all subjects (tests).
    pub fn signin_failures_kept(&self) -> Result<u64, HubError> {
        self.conn()?
            .query_row("SELECT count(*) FROM signin_failures", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as u64)
            .map_err(db_err)
    }

    /// Marks the timer `name` as run at `now` unless it last ran after
    /// `not_since`; whether this caller may run it.
    pub fn claim_run(&self, name: &str, now: &str, not_since: &str) -> Result<bool, HubError> {
        let n = self
            .conn()?
            .execute(
                "INSERT INTO timer_runs (name, last) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET last = ?2 WHERE timer_runs.last <= ?3",
                params![name, now, not_since],
            )
            .map_err(db_err)?;
        Ok(n == 1)
    }
}
