//! The overview's figures on SQLite: counts per kiosk and Vietnam day,
//! added in the same transaction as the records they count, and the kiosks'
//! heartbeats and hourly counts.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, Transaction, params};

use crate::HubError;
use crate::accounts::Scope;
use crate::db::sqlite::{SqliteDb, db_err, scope_param};
use crate::index::RecordIndex;
use crate::rows::{Checkpoint, PageOf, timestamp};
use crate::stats::{Figures, KioskHealth, Level, day_of};
use checkpoint_wire::follow_up_sql::{self as sql, Column};
use checkpoint_wire::{Heartbeat, RecordKind};

pub const SCHEMA_3: &str = "
CREATE TABLE IF NOT EXISTS day_counts (
    kiosk_id      TEXT NOT NULL,
    day           TEXT NOT NULL,
    declarations  INTEGER NOT NULL DEFAULT 0,
    flagged       INTEGER NOT NULL DEFAULT 0,
    reports       INTEGER NOT NULL DEFAULT 0,
    observed      INTEGER NOT NULL DEFAULT 0,
    with_bluezone INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kiosk_id, day)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS day_counts_day ON day_counts (day);
CREATE TABLE IF NOT EXISTS kiosk_status (
    kiosk_id         TEXT PRIMARY KEY,
    last_batch_at    TEXT,
    heard_at         TEXT,
    software_version TEXT,
    queue_depth      INTEGER,
    last_sync_error  TEXT,
    camera           TEXT,
    bluetooth        TEXT,
    clock_skew_ms    INTEGER
);
CREATE TABLE IF NOT EXISTS kiosk_hours (
    kiosk_id      TEXT NOT NULL,
    hour          TEXT NOT NULL,
    day           TEXT NOT NULL,
    checkins      INTEGER NOT NULL,
    observed      INTEGER NOT NULL,
    with_bluezone INTEGER NOT NULL,
    bluezone_seen INTEGER NOT NULL,
    PRIMARY KEY (kiosk_id, hour)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS kiosk_hours_day ON kiosk_hours (day);
";

/// Counts the records stored before the day counts existed, once.
pub fn backfill_day_counts(conn: &Connection) -> Result<(), HubError> {
    conn.execute_batch(
        "INSERT INTO day_counts (kiosk_id, day, declarations, flagged, reports, observed, with_bluezone)
         SELECT kiosk_id, date(created_at, '+7 hours'),
                sum(kind = 'declaration'), sum(kind = 'declaration' AND flagged = 1),
                sum(kind = 'report'), sum(kind = 'declaration' AND bluezone IS NOT NULL),
                sum(kind = 'declaration' AND bluezone = 1)
         FROM records
         WHERE NOT EXISTS (SELECT 1 FROM day_counts) AND kind IN ('declaration', 'report')
         GROUP BY 1, 2",
    )
    .map_err(db_err)
}

/// What one stored record adds to its day.
pub fn count_into(
    days: &mut BTreeMap<NaiveDate, Figures>,
    kind: RecordKind,
    at: DateTime<Utc>,
    index: &RecordIndex,
) {
    let f = match kind {
        RecordKind::Declaration => Figures {
            declarations: 1,
            flagged: u64::from(index.flagged),
            observed: u64::from(index.bluezone.is_some()),
            with_bluezone: u64::from(index.bluezone == Some(true)),
            ..Figures::default()
        },
        RecordKind::Report => Figures {
            reports: 1,
            ..Figures::default()
        },
        RecordKind::FollowUp => return,
    };
    days.entry(day_of(at)).or_default().add(&f);
}

/// Adds a batch's counts and notes the batch's arrival, in its transaction.
pub fn add_batch(
    tx: &Transaction<'_>,
    kiosk_id: &str,
    days: &BTreeMap<NaiveDate, Figures>,
    received: &str,
) -> Result<(), HubError> {
    let mut stmt = tx
        .prepare_cached(
            "INSERT INTO day_counts (kiosk_id, day, declarations, flagged, reports, observed, with_bluezone)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (kiosk_id, day) DO UPDATE SET
                 declarations = declarations + excluded.declarations,
                 flagged = flagged + excluded.flagged,
                 reports = reports + excluded.reports,
                 observed = observed + excluded.observed,
                 with_bluezone = with_bluezone + excluded.with_bluezone",
        )
        .map_err(db_err)?;
    for (day, f) in days {
        stmt.execute(params![
            kiosk_id,
            day.to_string(),
            f.declarations as i64,
            f.flagged as i64,
            f.reports as i64,
            f.observed as i64,
            f.with_bluezone as i64
        ])
        .map_err(db_err)?;
    }
    tx.execute(
        "INSERT INTO kiosk_status (kiosk_id, last_batch_at) VALUES (?1, ?2)
         ON CONFLICT (kiosk_id) DO UPDATE SET last_batch_at = excluded.last_batch_at",
        params![kiosk_id, received],
    )
    .map_err(db_err)?;
    Ok(())
}

/// Day counts and kiosk hours of the kiosks at checkpoints in a scope and level.
fn kiosks_in(level: &Level) -> &'static str {
    match level {
        Level::All => "(?1 IS NULL OR c.grp IN (SELECT value FROM json_each(?1))) AND ?2 IS NULL",
        Level::Group(_) => {
            "(?1 IS NULL OR c.grp IN (SELECT value FROM json_each(?1))) AND c.grp = ?2"
        }
        Level::Checkpoint(_) => {
            "(?1 IS NULL OR c.grp IN (SELECT value FROM json_each(?1))) AND c.id = ?2"
        }
    }
}

fn level_param(level: &Level) -> Option<&str> {
    match level {
        Level::All => None,
        Level::Group(g) => Some(g),
        Level::Checkpoint(c) => Some(c),
    }
}

const FIGURE_SUMS: &str = "coalesce(sum(d.declarations), 0), coalesce(sum(d.flagged), 0),
    coalesce(sum(d.reports), 0), coalesce(sum(d.observed), 0), coalesce(sum(d.with_bluezone), 0)";

fn figures_at(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Figures> {
    let n = |i: usize| r.get::<_, i64>(first + i).map(|v| v.max(0) as u64);
    Ok(Figures {
        declarations: n(0)?,
        flagged: n(1)?,
        reports: n(2)?,
        observed: n(3)?,
        with_bluezone: n(4)?,
    })
}

/// Flagged visitors nobody has attended to yet, as the waiting count and
/// its index say it (their texts must be the same for SQLite to use it).
pub(in crate::db) fn waiting() -> String {
    sql::waiting(Column::NullIsNew("follow_up"))
}

impl SqliteDb {
    /// Figures per day from `from` to `to` (inclusive), days without any left out.
    pub fn daily_figures(
        &self,
        scope: &Scope,
        level: &Level,
        days: &(NaiveDate, NaiveDate),
    ) -> Result<Vec<(NaiveDate, Figures)>, HubError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT d.day, {FIGURE_SUMS} FROM day_counts d
                 LEFT JOIN kiosks k ON k.kiosk_id = d.kiosk_id
                 LEFT JOIN checkpoints c ON c.id = k.checkpoint_id
                 WHERE d.day >= ?3 AND d.day <= ?4 AND {}
                 GROUP BY d.day ORDER BY d.day",
                kiosks_in(level)
            ))
            .map_err(db_err)?;
        let rows = stmt
            .query_map(
                params![
                    scope_param(scope),
                    level_param(level),
                    days.0.to_string(),
                    days.1.to_string()
                ],
                |r| {
                    let day: String = r.get(0)?;
                    Ok((day, figures_at(r, 1)?))
                },
            )
            .map_err(db_err)?;
        let mut out = Vec::new();
        for row in rows {
            let (day, f) = row.map_err(db_err)?;
            if let Ok(day) = day.parse() {
                out.push((day, f));
            }
        }
        Ok(out)
    }

    /// One day's figures per group, with the number of checkpoints in each.
    pub fn figures_by_group(
        &self,
        scope: &Scope,
        day: &NaiveDate,
    ) -> Result<Vec<(String, u64, Figures)>, HubError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT c.grp, count(DISTINCT c.id), {FIGURE_SUMS}
                 FROM checkpoints c
                 LEFT JOIN kiosks k ON k.checkpoint_id = c.id
                 LEFT JOIN day_counts d ON d.kiosk_id = k.kiosk_id AND d.day = ?2
                 WHERE (?1 IS NULL OR c.grp IN (SELECT value FROM json_each(?1)))
                 GROUP BY c.grp ORDER BY c.grp"
            ))
            .map_err(db_err)?;
        let rows = stmt
            .query_map(params![scope_param(scope), day.to_string()], |r| {
                Ok((
                    r.get(0)?,
                    r.get::<_, i64>(1)?.max(0) as u64,
                    figures_at(r, 2)?,
                ))
            })
            .map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)
    }

    /// One day's figures per checkpoint of a group, by name, one page; and
    /// how many checkpoints the group has.
    pub fn figures_by_checkpoint(
        &self,
        scope: &Scope,
        group: &str,
        day: &NaiveDate,
        page: &PageOf,
    ) -> Result<(Vec<(Checkpoint, Figures)>, u64), HubError> {
        let conn = self.conn()?;
        let in_group = "(?1 IS NULL OR c.grp IN (SELECT value FROM json_each(?1))) AND c.grp = ?2";
        let total: i64 = conn
            .query_row(
                &format!("SELECT count(*) FROM checkpoints c WHERE {in_group}"),
                params![scope_param(scope), group],
                |r| r.get(0),
            )
            .map_err(db_err)?;
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT c.id, c.name, c.province, c.ward, c.grp, {FIGURE_SUMS}
                 FROM checkpoints c
                 LEFT JOIN kiosks k ON k.checkpoint_id = c.id
                 LEFT JOIN day_counts d ON d.kiosk_id = k.kiosk_id AND d.day = ?3
                 WHERE {in_group}
                 GROUP BY c.id ORDER BY c.name, c.id LIMIT ?4 OFFSET ?5"
            ))
            .map_err(db_err)?;
        let rows = stmt
            .query_map(
                params![
                    scope_param(scope),
                    group,
                    day.to_string(),
                    page.limit as i64,
                    page.offset as i64
                ],
                |r| {
                    Ok((
                        Checkpoint {
                            id: r.get(0)?,
                            name: r.get(1)?,
                            province: r.get(2)?,
                            ward: r.get(3)?,
                            group: r.get(4)?,
                            kiosks: vec![],
                        },
                        figures_at(r, 5)?,
                    ))
                },
            )
            .map_err(db_err)?;
        let rows = rows.collect::<Result<_, _>>().map_err(db_err)?;
        Ok((rows, total.max(0) as u64))
    }

    /// Flagged declarations nobody has attended to, taken before `before`.
    pub fn waiting_flagged(&self, scope: &Scope, before: &str) -> Result<u64, HubError> {
        let n: i64 = self
            .conn()?
            .query_row(
                // The partial index holds exactly the flagged visitors nobody
                // attended to; counting them never reads a record.
                &format!(
                    "SELECT count(*) FROM records INDEXED BY records_waiting_cover
                     WHERE flagged = 1 AND {} AND kind = 'declaration' AND created_at < ?2
                       AND (?1 IS NULL OR checkpoint_id IN
                            (SELECT id FROM checkpoints WHERE grp IN (SELECT value FROM json_each(?1))))",
                    waiting()
                ),
                params![scope_param(scope), before],
                |r| r.get(0),
            )
            .map_err(db_err)?;
        Ok(n.max(0) as u64)
    }

    /// Stores what a heartbeat says, and the hours it carries.
    pub fn record_heartbeat(
        &self,
        kiosk_id: &str,
        beat: &Heartbeat,
        received: &DateTime<Utc>,
    ) -> Result<(), HubError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction().map_err(db_err)?;
        tx.execute(
            "INSERT INTO kiosk_status (kiosk_id, heard_at, software_version, queue_depth,
                 last_sync_error, camera, bluetooth, clock_skew_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (kiosk_id) DO UPDATE SET heard_at = excluded.heard_at,
                 software_version = excluded.software_version, queue_depth = excluded.queue_depth,
                 last_sync_error = excluded.last_sync_error, camera = excluded.camera,
                 bluetooth = excluded.bluetooth, clock_skew_ms = excluded.clock_skew_ms",
            params![
                kiosk_id,
                timestamp(*received),
                beat.software_version,
                beat.queue_depth.min(i64::MAX as u64) as i64,
                beat.last_sync_error,
                beat.camera,
                beat.bluetooth,
                (*received - beat.sent_at).num_milliseconds()
            ],
        )
        .map_err(db_err)?;
        {
            let mut stmt = tx
                .prepare_cached(
                    "INSERT INTO kiosk_hours (kiosk_id, hour, day, checkins, observed, with_bluezone, bluezone_seen)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (kiosk_id, hour) DO UPDATE SET checkins = excluded.checkins,
                         observed = excluded.observed, with_bluezone = excluded.with_bluezone,
                         bluezone_seen = excluded.bluezone_seen",
                )
                .map_err(db_err)?;
            for h in &beat.hours {
                stmt.execute(params![
                    kiosk_id,
                    timestamp(h.hour),
                    day_of(h.hour).to_string(),
                    h.checkins,
                    h.observed,
                    h.with_bluezone,
                    h.bluezone_seen
                ])
                .map_err(db_err)?;
            }
        }
        tx.commit().map_err(db_err)
    }

    /// Every kiosk heard from or assigned, in a scope, with its health and
    /// its own counts of `day`.
    pub fn kiosk_health(
        &self,
        scope: &Scope,
        day: &NaiveDate,
    ) -> Result<Vec<KioskHealth>, HubError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare_cached(
                "WITH known AS (SELECT kiosk_id FROM kiosk_status UNION SELECT kiosk_id FROM kiosks)
                 SELECT n.kiosk_id, k.checkpoint_id, s.last_batch_at, s.heard_at, s.software_version,
                        s.queue_depth, s.last_sync_error, s.camera, s.bluetooth, s.clock_skew_ms,
                        (SELECT coalesce(sum(checkins), 0) FROM kiosk_hours h WHERE h.kiosk_id = n.kiosk_id AND h.day = ?2),
                        (SELECT coalesce(sum(bluezone_seen), 0) FROM kiosk_hours h WHERE h.kiosk_id = n.kiosk_id AND h.day = ?2)
                 FROM known n
                 LEFT JOIN kiosk_status s ON s.kiosk_id = n.kiosk_id
                 LEFT JOIN kiosks k ON k.kiosk_id = n.kiosk_id
                 LEFT JOIN checkpoints c ON c.id = k.checkpoint_id
                 WHERE n.kiosk_id <> 'console'
                   AND (?1 IS NULL OR c.grp IN (SELECT value FROM json_each(?1)))
                 ORDER BY n.kiosk_id",
            )
            .map_err(db_err)?;
        let time = |v: Option<String>| v.and_then(|t| t.parse::<DateTime<Utc>>().ok());
        let rows = stmt
            .query_map(params![scope_param(scope), day.to_string()], |r| {
                Ok(KioskHealth {
                    kiosk_id: r.get(0)?,
                    checkpoint_id: r.get(1)?,
                    last_batch_at: time(r.get(2)?),
                    heard_at: time(r.get(3)?),
                    software_version: r.get(4)?,
                    queue_depth: r.get::<_, Option<i64>>(5)?.map(|n| n.max(0) as u64),
                    last_sync_error: r.get(6)?,
                    camera: r.get(7)?,
                    bluetooth: r.get(8)?,
                    clock_skew_ms: r.get(9)?,
                    checkins_today: r.get::<_, i64>(10)?.max(0) as u64,
                    bluezone_seen_today: r.get::<_, i64>(11)?.max(0) as u64,
                })
            })
            .map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)
    }
}
