//! Retention: records older than `store.retention_days` are deleted, and
//! deleted for real. `secure_delete` overwrites the freed bytes, and a
//! TRUNCATE checkpoint empties the write-ahead log, where older copies of the
//! pages would otherwise survive.
//!
//! Where a sync server is configured, a record the server has not
//! acknowledged is kept past its time, until it is acknowledged or an
//! operator forces the purge.
//!
//! A flagged visitor is kept until their follow-up is `cleared`, whatever
//! its age and even when forced: the purge never loses a visitor staff still
//! have to see. Follow-up steps go with (or after) their declaration.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, params};
use serde::Serialize;

use super::audit::{self, Action, Actor};
use super::follow_up::FOLLOW_UP;
use super::{Store, StoreError, meta, time};
use checkpoint_wire::follow_up_sql as sql;

/// What a purge did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurgeReport {
    /// Records submitted before this (RFC 3339, UTC) were due.
    pub cutoff: String,
    pub declarations: u64,
    pub reports: u64,
    /// Follow-up steps whose declaration is gone.
    pub follow_ups: u64,
    /// Due flagged declarations kept because their follow-up is not cleared.
    pub kept_open_flags: u64,
    /// Due records kept because the sync server has not acknowledged them.
    pub kept_unacknowledged: u64,
    /// The write-ahead log was emptied. `false` when another process held it
    /// open; its old pages go at that process's next checkpoint.
    pub wal_truncated: bool,
}

impl PurgeReport {
    pub fn deleted(&self) -> u64 {
        self.declarations + self.reports + self.follow_ups
    }
}

/// Automatic purges run at most this often.
const AUTO_PURGE_EVERY: Duration = Duration::hours(1);

impl Store {
    /// Deletes what is due at `now`. `force` also deletes records the sync
    /// server has not acknowledged.
    pub fn purge(
        &mut self,
        now: DateTime<Utc>,
        force: bool,
        actor: Actor,
    ) -> Result<PurgeReport, StoreError> {
        let cutoff = time::format(now - Duration::days(i64::from(self.settings.retention_days)));
        let keep_unacked = self.settings.keep_unacknowledged && !force;
        let path = self.path.clone();
        let err = |e| StoreError::from_sqlite(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        let kept_open_flags = count_open_flags_due(&tx, &cutoff).map_err(err)?;
        let declarations = delete_due(&tx, "declarations", &cutoff, keep_unacked).map_err(err)?;
        let reports = delete_due(&tx, "reports", &cutoff, keep_unacked).map_err(err)?;
        let follow_ups = delete_due(&tx, "follow_ups", &cutoff, keep_unacked).map_err(err)?;
        let kept_unacknowledged = if keep_unacked {
            count_unacked_due(&tx, "declarations", &cutoff).map_err(err)?
                + count_unacked_due(&tx, "reports", &cutoff).map_err(err)?
                + count_unacked_due(&tx, "follow_ups", &cutoff).map_err(err)?
        } else {
            0
        };
        if declarations + reports + follow_ups > 0 || force || actor != Actor::System {
            let detail = serde_json::json!({
                "cutoff": cutoff,
                "declarations": declarations,
                "reports": reports,
                "follow_ups": follow_ups,
                "kept_open_flags": kept_open_flags,
                "kept_unacknowledged": kept_unacknowledged,
                "force": force,
            })
            .to_string();
            audit::append(&tx, now, actor, Action::Purged, None, &detail).map_err(err)?;
        }
        meta::set(&tx, meta::RETENTION_LAST_RUN, &time::format(now)).map_err(err)?;
        tx.commit().map_err(err)?;
        let wal_truncated = truncate_wal(&self.conn).map_err(err)?;
        tracing::info!(
            declarations,
            reports,
            follow_ups,
            kept_open_flags,
            kept_unacknowledged,
            wal_truncated,
            "retention purge"
        );
        Ok(PurgeReport {
            cutoff,
            declarations,
            reports,
            follow_ups,
            kept_open_flags,
            kept_unacknowledged,
            wal_truncated,
        })
    }

    /// The automatic purge: at open, and from a long-running window on a
    /// timer. Runs at most hourly, and is never fatal (a full disk must not
    /// stop the kiosk from taking declarations).
    pub fn purge_if_due(&mut self) {
        self.purge_if_due_every(AUTO_PURGE_EVERY);
    }

    /// The automatic purge at most once per `every` (a window's timer).
    pub fn purge_if_due_every(&mut self, every: Duration) {
        let now = Utc::now();
        let last = meta::get(&self.conn, meta::RETENTION_LAST_RUN)
            .ok()
            .flatten()
            .and_then(|t| time::parse(&t));
        if last.is_some_and(|t| t <= now && now - t < every) {
            return;
        }
        if let Err(e) = self.purge(now, false, Actor::System) {
            tracing::warn!(error = %e, "automatic retention purge failed");
        }
    }
}

fn delete_due(
    conn: &Connection,
    table: &str,
    cutoff: &str,
    keep_unacked: bool,
) -> rusqlite::Result<u64> {
    let guard = if keep_unacked {
        " AND sync_state = 'acknowledged'"
    } else {
        ""
    };
    let keep = match table {
        "declarations" => &format!(" AND NOT (flagged = 1 AND {})", sql::open(FOLLOW_UP)),
        "follow_ups" => " AND declaration_id NOT IN (SELECT record_id FROM declarations)",
        _ => "",
    };
    let sql = format!("DELETE FROM {table} WHERE submitted_at < ?1{guard}{keep}");
    let n = conn.execute(&sql, params![cutoff])?;
    Ok(n as u64)
}

fn count_open_flags_due(conn: &Connection, cutoff: &str) -> rusqlite::Result<u64> {
    let n: i64 = conn.query_row(
        &format!(
            "SELECT count(*) FROM declarations
              WHERE submitted_at < ?1 AND flagged = 1 AND {}",
            sql::open(FOLLOW_UP)
        ),
        params![cutoff],
        |r| r.get(0),
    )?;
    Ok(u64::try_from(n).unwrap_or(0))
}

fn count_unacked_due(conn: &Connection, table: &str, cutoff: &str) -> rusqlite::Result<u64> {
    let n: i64 = conn.query_row(
        &format!(
            "SELECT count(*) FROM {table} WHERE submitted_at < ?1 AND sync_state != 'acknowledged'"
        ),
        params![cutoff],
        |r| r.get(0),
    )?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Copies the log into the file and empties it. Returns whether it completed.
fn truncate_wal(conn: &Connection) -> rusqlite::Result<bool> {
    let (busy, _log, _done): (i64, i64, i64) =
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    Ok(busy == 0)
}
