//! Sessions, failed sign-ins and timer runs on PostgreSQL (see `signins.rs`).

use super::StoredSession;
use crate::HubError;
use crate::db::pg::{PgDb, db_err};

impl PgDb {
    pub async fn session_start(
        &self,
        id_hash: &str,
        s: &StoredSession,
        idle_before: &str,
        started_before: &str,
    ) -> Result<(), HubError> {
        let client = self.client().await?;
        client
            .execute(
                "DELETE FROM sessions WHERE seen < $1 OR started < $2",
                &[&idle_before, &started_before],
            )
            .await
            .map_err(db_err)?;
        client
            .execute(
                "INSERT INTO sessions (id_hash, account, role, groups, csrf, started, seen)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    &id_hash, &s.account, &s.role, &s.groups, &s.csrf, &s.started, &s.seen,
                ],
            )
            .await
            .map_err(db_err)?;
        Ok(())
    }

    pub async fn session(&self, id_hash: &str) -> Result<Option<StoredSession>, HubError> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT account, role, groups, csrf, started, seen FROM sessions WHERE id_hash = $1",
                &[&id_hash],
            )
            .await
            .map_err(db_err)?;
        Ok(row.map(|r| StoredSession {
            account: r.get(0),
            role: r.get(1),
            groups: r.get(2),
            csrf: r.get(3),
            started: r.get(4),
            seen: r.get(5),
        }))
    }

    pub async fn session_seen(&self, id_hash: &str, seen: &str) -> Result<(), HubError> {
        self.client()
            .await?
            .execute(
                "UPDATE sessions SET seen = $2 WHERE id_hash = $1",
                &[&id_hash, &seen],
            )
            .await
            .map_err(db_err)?;
        Ok(())
    }

    pub async fn session_end(&self, id_hash: &str) -> Result<(), HubError> {
        self.client()
            .await?
            .execute("DELETE FROM sessions WHERE id_hash = $1", &[&id_hash])
            .await
            .map_err(db_err)?;
        Ok(())
    }

    pub async fn sessions_end_of(&self, account: &str) -> Result<(), HubError> {
        self.client()
            .await?
            .execute("DELETE FROM sessions WHERE account = $1", &[&account])
            .await
            .map_err(db_err)?;
        Ok(())
    }

    pub async fn signin_failed(
        &self,
        subject: &str,
        at: &str,
        forget_before: &str,
    ) -> Result<(), HubError> {
        let client = self.client().await?;
        client
            .execute(
                "DELETE FROM signin_failures WHERE at < $1",
                &[&forget_before],
            )
            .await
            .map_err(db_err)?;
        client
            .execute(
                "INSERT INTO signin_failures (subject, at) VALUES ($1, $2)",
                &[&subject, &at],
            )
            .await
            .map_err(db_err)?;
        Ok(())
    }

    pub async fn signin_failures(
        &self,
        subject: &str,
        since: &str,
    ) -> Result<(u64, Option<String>), HubError> {
        let row = self
            .client()
            .await?
            .query_one(
                "SELECT count(*), min(at) FROM signin_failures WHERE subject = $1 AND at > $2",
                &[&subject, &since],
            )
            .await
            .map_err(db_err)?;
        Ok((row.get::<_, i64>(0) as u64, row.get(1)))
    }

    pub async fn signin_forget(&self, subject: &str) -> Result<(), HubError> {
        self.client()
            .await?
            .execute(
                "DELETE FROM signin_failures WHERE subject = $1",
                &[&subject],
            )
            .await
            .map_err(db_err)?;
        Ok(())
    }

    pub async fn signin_failures_kept(&self) -> Result<u64, HubError> {
        let row = self
            .client()
            .await?
            .query_one("SELECT count(*) FROM signin_failures", &[])
            .await
            .map_err(db_err)?;
        Ok(row.get::<_, i64>(0) as u64)
    }

    /// As on SQLite; a second hub's upsert waits for the first's row lock
    /// and then sees its time, so only one of them claims a run.
    pub async fn claim_run(
        &self,
        name: &str,
        now: &str,
        not_since: &str,
    ) -> Result<bool, HubError> {
        let n = self
            .client()
            .await?
            .execute(
                "INSERT INTO timer_runs (name, last) VALUES ($1, $2)
                 ON CONFLICT (name) DO UPDATE SET last = $2 WHERE timer_runs.last <= $3",
                &[&name, &now, &not_since],
            )
            .await
            .map_err(db_err)?;
        Ok(n == 1)
    }
}
