//! The overview's figures on PostgreSQL: the same tables as on SQLite,
//! the day counts added by the very statement that stores the records.

use chrono::{DateTime, NaiveDate, Utc};
use tokio_postgres::Client;

use crate::HubError;
use crate::accounts::Scope;
use crate::db::pg::{PgDb, SCHEMA_LOCK, db_err, scope_param};
use crate::rows::{Checkpoint, PageOf, timestamp};
use crate::stats::{Figures, KioskHealth, Level, day_of};
use checkpoint_wire::Heartbeat;
use checkpoint_wire::follow_up_sql::{self as sql, Column};

pub const SCHEMA_3: &str = "
CREATE TABLE IF NOT EXISTS day_counts (
    kiosk_id      text NOT NULL,
    day           date NOT NULL,
    declarations  bigint NOT NULL DEFAULT 0,
    flagged       bigint NOT NULL DEFAULT 0,
    reports       bigint NOT NULL DEFAULT 0,
    observed      bigint NOT NULL DEFAULT 0,
    with_bluezone bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (kiosk_id, day)
);
CREATE INDEX IF NOT EXISTS day_counts_day ON day_counts (day);
CREATE TABLE IF NOT EXISTS kiosk_status (
    kiosk_id         text PRIMARY KEY,
    last_batch_at    timestamptz,
    heard_at         timestamptz,
    software_version text,
    queue_depth      bigint,
    last_sync_error  text,
    camera           text,
    bluetooth        text,
    clock_skew_ms    bigint
);
CREATE TABLE IF NOT EXISTS kiosk_hours (
    kiosk_id      text NOT NULL,
    hour          timestamptz NOT NULL,
    day           date NOT NULL,
    checkins      bigint NOT NULL,
    observed      bigint NOT NULL,
    with_bluezone bigint NOT NULL,
    bluezone_seen bigint NOT NULL,
    PRIMARY KEY (kiosk_id, hour)
);
CREATE INDEX IF NOT EXISTS kiosk_hours_day ON kiosk_hours (day);
";

/// The Vietnam day of a `timestamptz` column, in SQL.
pub const VN_DAY: &str = "((created_at AT TIME ZONE 'UTC') + interval '7 hours')::date";

/// The sums of a day-count row set, as `figures` reads them.
const FIGURE_SUMS: &str =
    "coalesce(sum(d.declarations), 0)::bigint, coalesce(sum(d.flagged), 0)::bigint,
    coalesce(sum(d.reports), 0)::bigint, coalesce(sum(d.observed), 0)::bigint,
    coalesce(sum(d.with_bluezone), 0)::bigint";

/// What a batch adds to the day counts and the kiosk's status, as common
/// table expressions after `ins` (the stored records) in the insert.
pub fn counting_ctes() -> String {
    format!(
        "counted AS (
            INSERT INTO day_counts (kiosk_id, day, declarations, flagged, reports, observed, with_bluezone)
            SELECT $1, {VN_DAY},
                   count(*) FILTER (WHERE kind = 'declaration'),
                   count(*) FILTER (WHERE kind = 'declaration' AND flagged),
                   count(*) FILTER (WHERE kind = 'report'),
                   count(*) FILTER (WHERE kind = 'declaration' AND bluezone IS NOT NULL),
                   count(*) FILTER (WHERE kind = 'declaration' AND bluezone)
            FROM ins WHERE kind IN ('declaration', 'report') GROUP BY 2
            ON CONFLICT (kiosk_id, day) DO UPDATE SET
                declarations = day_counts.declarations + excluded.declarations,
                flagged = day_counts.flagged + excluded.flagged,
                reports = day_counts.reports + excluded.reports,
                observed = day_counts.observed + excluded.observed,
                with_bluezone = day_counts.with_bluezone + excluded.with_bluezone
            RETURNING 1),
         seen AS (
            INSERT INTO kiosk_status (kiosk_id, last_batch_at) VALUES ($1, now())
            ON CONFLICT (kiosk_id) DO UPDATE SET last_batch_at = excluded.last_batch_at
            RETURNING 1)"
    )
}

/// Counts the records stored before the day counts existed, once (two hubs
/// starting together: the second finds them counted).
pub async fn backfill_day_counts(client: &Client) -> Result<(), HubError> {
    client
        .batch_execute(&format!(
            "SELECT pg_advisory_xact_lock({SCHEMA_LOCK});
             INSERT INTO day_counts (kiosk_id, day, declarations, flagged, reports, observed, with_bluezone)
             SELECT kiosk_id, {VN_DAY},
                    count(*) FILTER (WHERE kind = 'declaration'),
                    count(*) FILTER (WHERE kind = 'declaration' AND flagged),
                    count(*) FILTER (WHERE kind = 'report'),
                    count(*) FILTER (WHERE kind = 'declaration' AND bluezone IS NOT NULL),
                    count(*) FILTER (WHERE kind = 'declaration' AND bluezone)
             FROM records
             WHERE NOT EXISTS (SELECT 1 FROM day_counts) AND kind IN ('declaration', 'report')
             GROUP BY 1, 2;"
        ))
        .await
        .map_err(db_err)
}

fn in_scope_and_level(level: &Level) -> &'static str {
    match level {
        Level::All => "($1::text[] IS NULL OR c.grp = ANY($1)) AND $2::text IS NULL",
        Level::Group(_) => "($1::text[] IS NULL OR c.grp = ANY($1)) AND c.grp = $2",
        Level::Checkpoint(_) => "($1::text[] IS NULL OR c.grp = ANY($1)) AND c.id = $2",
    }
}

fn level_param(level: &Level) -> Option<String> {
    match level {
        Level::All => None,
        Level::Group(g) => Some(g.clone()),
        Level::Checkpoint(c) => Some(c.clone()),
    }
}

fn figures(r: &tokio_postgres::Row, first: usize) -> Figures {
    let n = |i: usize| r.get::<_, i64>(first + i).max(0) as u64;
    Figures {
        declarations: n(0),
        flagged: n(1),
        reports: n(2),
        observed: n(3),
        with_bluezone: n(4),
    }
}

/// Flagged visitors nobody has attended to yet, as the waiting count and
/// its index say it.
pub(in crate::db) fn waiting() -> String {
    format!(
        "r.flagged AND r.kind = 'declaration' AND {}",
        sql::waiting(Column::NullIsNew("r.follow_up"))
    )
}

impl PgDb {
    pub async fn daily_figures(
        &self,
        scope: &Scope,
        level: &Level,
        days: &(NaiveDate, NaiveDate),
    ) -> Result<Vec<(NaiveDate, Figures)>, HubError> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT d.day::text, {FIGURE_SUMS} FROM day_counts d
                     LEFT JOIN kiosks k ON k.kiosk_id = d.kiosk_id
                     LEFT JOIN checkpoints c ON c.id = k.checkpoint_id
                     WHERE d.day >= $3::text::date AND d.day <= $4::text::date AND {}
                     GROUP BY d.day ORDER BY d.day",
                    in_scope_and_level(level)
                ),
                &[
                    &scope_param(scope),
                    &level_param(level),
                    &days.0.to_string(),
                    &days.1.to_string(),
                ],
            )
            .await
            .map_err(db_err)?;
        Ok(rows
            .iter()
            .filter_map(|r| Some((r.get::<_, &str>(0).parse().ok()?, figures(r, 1))))
            .collect())
    }

    pub async fn figures_by_group(
        &self,
        scope: &Scope,
        day: &NaiveDate,
    ) -> Result<Vec<(String, u64, Figures)>, HubError> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT c.grp, count(DISTINCT c.id), {FIGURE_SUMS}
                     FROM checkpoints c
                     LEFT JOIN kiosks k ON k.checkpoint_id = c.id
                     LEFT JOIN day_counts d ON d.kiosk_id = k.kiosk_id AND d.day = $2::text::date
                     WHERE ($1::text[] IS NULL OR c.grp = ANY($1))
                     GROUP BY c.grp ORDER BY c.grp"
                ),
                &[&scope_param(scope), &day.to_string()],
            )
            .await
            .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), r.get::<_, i64>(1).max(0) as u64, figures(r, 2)))
            .collect())
    }

    pub async fn figures_by_checkpoint(
        &self,
        scope: &Scope,
        group: &str,
        day: &NaiveDate,
        page: &PageOf,
    ) -> Result<(Vec<(Checkpoint, Figures)>, u64), HubError> {
        let client = self.client().await?;
        let in_group = "($1::text[] IS NULL OR c.grp = ANY($1)) AND c.grp = $2";
        let groups = scope_param(scope);
        let total: i64 = client
            .query_one(
                &format!("SELECT count(*) FROM checkpoints c WHERE {in_group}"),
                &[&groups, &group],
            )
            .await
            .map_err(db_err)?
            .get(0);
        let rows = client
            .query(
                &format!(
                    "SELECT c.id, c.name, c.province, c.ward, c.grp, {FIGURE_SUMS}
                     FROM checkpoints c
                     LEFT JOIN kiosks k ON k.checkpoint_id = c.id
                     LEFT JOIN day_counts d ON d.kiosk_id = k.kiosk_id AND d.day = $3::text::date
                     WHERE {in_group}
                     GROUP BY c.id ORDER BY c.name, c.id LIMIT $4 OFFSET $5"
                ),
                &[
                    &groups,
                    &group,
                    &day.to_string(),
                    &(page.limit as i64),
                    &(page.offset as i64),
                ],
            )
            .await
            .map_err(db_err)?;
        let list = rows
            .iter()
            .map(|r| {
                (
                    Checkpoint {
                        id: r.get(0),
                        name: r.get(1),
                        province: r.get(2),
                        ward: r.get(3),
                        group: r.get(4),
                        kiosks: vec![],
                    },
                    figures(r, 5),
                )
            })
            .collect();
        Ok((list, total.max(0) as u64))
    }

    pub async fn waiting_flagged(&self, scope: &Scope, before: &str) -> Result<u64, HubError> {
        let n: i64 = self
            .client()
            .await?
            .query_one(
                &format!(
                    "SELECT count(*) FROM records r
                     WHERE {} AND r.created_at < $2::text::timestamptz
                       AND ($1::text[] IS NULL OR r.checkpoint_id IN
                            (SELECT id FROM checkpoints WHERE grp = ANY($1)))",
                    waiting()
                ),
                &[&scope_param(scope), &before],
            )
            .await
            .map_err(db_err)?
            .get(0);
        Ok(n.max(0) as u64)
    }

    pub async fn record_heartbeat(
        &self,
        kiosk_id: &str,
        beat: &Heartbeat,
        received: &DateTime<Utc>,
    ) -> Result<(), HubError> {
        let hours: Vec<String> = beat.hours.iter().map(|h| timestamp(h.hour)).collect();
        let days: Vec<String> = beat
            .hours
            .iter()
            .map(|h| day_of(h.hour).to_string())
            .collect();
        let col = |f: fn(&checkpoint_wire::HourCounts) -> u32| -> Vec<i64> {
            beat.hours.iter().map(|h| i64::from(f(h))).collect()
        };
        let (checkins, observed, with_bz, seen) = (
            col(|h| h.checkins),
            col(|h| h.observed),
            col(|h| h.with_bluezone),
            col(|h| h.bluezone_seen),
        );
        let skew = (*received - beat.sent_at).num_milliseconds();
        let depth = beat.queue_depth.min(i64::MAX as u64) as i64;
        // One statement: the status and the hours together or not at all.
        self.client()
            .await?
            .execute(
                "WITH status AS (
                    INSERT INTO kiosk_status (kiosk_id, heard_at, software_version, queue_depth,
                        last_sync_error, camera, bluetooth, clock_skew_ms)
                    VALUES ($1, $2::text::timestamptz, $3, $4, $5, $6, $7, $8)
                    ON CONFLICT (kiosk_id) DO UPDATE SET heard_at = excluded.heard_at,
                        software_version = excluded.software_version,
                        queue_depth = excluded.queue_depth, last_sync_error = excluded.last_sync_error,
                        camera = excluded.camera, bluetooth = excluded.bluetooth,
                        clock_skew_ms = excluded.clock_skew_ms
                    RETURNING 1)
                 INSERT INTO kiosk_hours (kiosk_id, hour, day, checkins, observed, with_bluezone, bluezone_seen)
                 SELECT $1, u.hour::timestamptz, u.day::date, u.c, u.o, u.w, u.s
                 FROM unnest($9::text[], $10::text[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[])
                      AS u(hour, day, c, o, w, s)
                 ON CONFLICT (kiosk_id, hour) DO UPDATE SET checkins = excluded.checkins,
                     observed = excluded.observed, with_bluezone = excluded.with_bluezone,
                     bluezone_seen = excluded.bluezone_seen",
                &[
                    &kiosk_id,
                    &timestamp(*received),
                    &beat.software_version,
                    &depth,
                    &beat.last_sync_error,
                    &beat.camera,
                    &beat.bluetooth,
                    &skew,
                    &hours,
                    &days,
                    &checkins,
                    &observed,
                    &with_bz,
                    &seen,
                ],
            )
            .await
            .map_err(db_err)?;
        Ok(())
    }

    pub async fn kiosk_health(
        &self,
        scope: &Scope,
        day: &NaiveDate,
    ) -> Result<Vec<KioskHealth>, HubError> {
        let rows = self
            .client()
            .await?
            .query(
                "WITH known AS (SELECT kiosk_id FROM kiosk_status UNION SELECT kiosk_id FROM kiosks)
                 SELECT n.kiosk_id, k.checkpoint_id,
                        to_char(s.last_batch_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),
                        to_char(s.heard_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),
                        s.software_version, s.queue_depth, s.last_sync_error, s.camera, s.bluetooth,
                        s.clock_skew_ms,
                        (SELECT coalesce(sum(checkins), 0)::bigint FROM kiosk_hours h
                          WHERE h.kiosk_id = n.kiosk_id AND h.day = $2::text::date),
                        (SELECT coalesce(sum(bluezone_seen), 0)::bigint FROM kiosk_hours h
                          WHERE h.kiosk_id = n.kiosk_id AND h.day = $2::text::date)
                 FROM known n
                 LEFT JOIN kiosk_status s ON s.kiosk_id = n.kiosk_id
                 LEFT JOIN kiosks k ON k.kiosk_id = n.kiosk_id
                 LEFT JOIN checkpoints c ON c.id = k.checkpoint_id
                 WHERE n.kiosk_id <> 'console' AND ($1::text[] IS NULL OR c.grp = ANY($1))
                 ORDER BY n.kiosk_id",
                &[&scope_param(scope), &day.to_string()],
            )
            .await
            .map_err(db_err)?;
        let time = |v: Option<String>| v.and_then(|t| t.parse::<DateTime<Utc>>().ok());
        Ok(rows
            .iter()
            .map(|r| KioskHealth {
                kiosk_id: r.get(0),
                checkpoint_id: r.get(1),
                last_batch_at: time(r.get(2)),
                heard_at: time(r.get(3)),
                software_version: r.get(4),
                queue_depth: r.get::<_, Option<i64>>(5).map(|n| n.max(0) as u64),
                last_sync_error: r.get(6),
                camera: r.get(7),
                bluetooth: r.get(8),
                clock_skew_ms: r.get(9),
                checkins_today: r.get::<_, i64>(10).max(0) as u64,
                bluezone_seen_today: r.get::<_, i64>(11).max(0) as u64,
            })
            .collect())
    }
}
