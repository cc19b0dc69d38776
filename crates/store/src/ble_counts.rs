//! The Bluetooth figures beside the records: hourly device counts and
//! check-in adoption (the share of check-ins with a Bluezone phone at the
//! kiosk). Counts only, never an identifier. Hours are UTC hour starts in
//! RFC 3339; days are grouped in the time zone the caller gives. The tables
//! come from migration V2 (`schema.rs`).

use std::collections::BTreeMap;

use chrono::{DateTime, DurationRound as _, NaiveDate, SecondsFormat, TimeDelta, TimeZone, Utc};
use rusqlite::{Connection, params};
use serde::Serialize;

use super::{Store, StoreError};

/// One hour of what the Bluetooth scanner heard, as the store keeps it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HourTotals {
    /// Any moment of the hour (it is truncated to the hour start).
    pub hour: DateTime<Utc>,
    pub seen_bluezone_android: u32,
    pub seen_bluezone_ios: u32,
    pub seen_bluezone_ios_unconfirmed: u32,
    pub seen_exposure_notification: u32,
    pub seen_other: u32,
    /// Highest number of Bluezone phones at once.
    pub peak_bluezone: u32,
    /// Highest number of phones (any app) at once.
    pub peak_phones: u32,
}

/// Check-ins and Bluezone phones for one period (an hour or a day).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Adoption {
    pub checkins: u32,
    pub observed: u32,
    pub with_bluezone: u32,
    /// Distinct Bluezone phones heard (Android + confirmed iOS), summed over hours.
    pub bluezone_seen: u32,
    /// Highest number of phones (any app) near the kiosk at once.
    pub peak_phones: u32,
}

impl Adoption {
    /// Share of observed check-ins with a Bluezone phone at the kiosk, 0..=1.
    pub fn share(&self) -> Option<f64> {
        (self.observed > 0).then(|| f64::from(self.with_bluezone) / f64::from(self.observed))
    }

    fn add(&mut self, o: &Adoption) {
        self.checkins = self.checkins.saturating_add(o.checkins);
        self.observed = self.observed.saturating_add(o.observed);
        self.with_bluezone = self.with_bluezone.saturating_add(o.with_bluezone);
        self.bluezone_seen = self.bluezone_seen.saturating_add(o.bluezone_seen);
        self.peak_phones = self.peak_phones.max(o.peak_phones);
    }
}

fn hour_key(t: DateTime<Utc>) -> String {
    t.duration_trunc(TimeDelta::hours(1))
        .unwrap_or(t)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Store {
    /// Adds hours of counts in one transaction (seen counts add up, peaks
    /// keep the maximum, so saving an hour in parts is the same as saving
    /// it whole). On failure nothing is saved.
    pub fn save_ble_hours(&self, hours: &[HourTotals]) -> Result<usize, StoreError> {
        let save = || -> rusqlite::Result<()> {
            let tx = self.conn.unchecked_transaction()?;
            for h in hours {
                save_hour(&tx, h)?;
            }
            tx.commit()
        };
        save().map_err(|e| self.sqlite_err(e))?;
        Ok(hours.len())
    }

    /// Adoption per UTC hour in `[from, to)`, oldest first; hours with
    /// neither check-ins nor counts are absent.
    pub fn adoption_by_hour(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(DateTime<Utc>, Adoption)>, StoreError> {
        adoption_by_hour(&self.conn, from, to).map_err(|e| self.sqlite_err(e))
    }

    /// Adoption per local day (in `tz`) for the hours in `[from, to)`.
    pub fn adoption_by_day<Tz: TimeZone>(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        tz: &Tz,
    ) -> Result<Vec<(NaiveDate, Adoption)>, StoreError> {
        let mut days: BTreeMap<NaiveDate, Adoption> = BTreeMap::new();
        for (hour, a) in self.adoption_by_hour(from, to)? {
            let day = hour.with_timezone(tz).date_naive();
            days.entry(day).or_default().add(&a);
        }
        Ok(days.into_iter().collect())
    }
}

fn save_hour(conn: &Connection, h: &HourTotals) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO ble_hourly_counts (hour, seen_bluezone_android, seen_bluezone_ios,
             seen_bluezone_ios_unconfirmed, seen_exposure_notification, seen_other,
             peak_bluezone, peak_phones)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(hour) DO UPDATE SET
             seen_bluezone_android = seen_bluezone_android + excluded.seen_bluezone_android,
             seen_bluezone_ios = seen_bluezone_ios + excluded.seen_bluezone_ios,
             seen_bluezone_ios_unconfirmed =
                 seen_bluezone_ios_unconfirmed + excluded.seen_bluezone_ios_unconfirmed,
             seen_exposure_notification =
                 seen_exposure_notification + excluded.seen_exposure_notification,
             seen_other = seen_other + excluded.seen_other,
             peak_bluezone = max(peak_bluezone, excluded.peak_bluezone),
             peak_phones = max(peak_phones, excluded.peak_phones)",
        params![
            hour_key(h.hour),
            h.seen_bluezone_android,
            h.seen_bluezone_ios,
            h.seen_bluezone_ios_unconfirmed,
            h.seen_exposure_notification,
            h.seen_other,
            h.peak_bluezone,
            h.peak_phones,
        ],
    )?;
    Ok(())
}

/// Counts one check-in, inside the transaction that stores its record:
/// `bluezone_nearby` is `None` when the scanner could not tell (no
/// adapter…); such check-ins are left out of the adoption share.
pub(crate) fn record_checkin(
    conn: &Connection,
    at: DateTime<Utc>,
    bluezone_nearby: Option<bool>,
) -> rusqlite::Result<()> {
    let observed = i64::from(bluezone_nearby.is_some());
    let with = i64::from(bluezone_nearby == Some(true));
    conn.execute(
        "INSERT INTO ble_checkins_hourly (hour, checkins, observed, with_bluezone)
         VALUES (?1, 1, ?2, ?3)
         ON CONFLICT(hour) DO UPDATE SET
             checkins = checkins + 1,
             observed = observed + excluded.observed,
             with_bluezone = with_bluezone + excluded.with_bluezone",
        params![hour_key(at), observed, with],
    )?;
    Ok(())
}

fn adoption_by_hour(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> rusqlite::Result<Vec<(DateTime<Utc>, Adoption)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT hour, sum(checkins), sum(observed), sum(with_bluezone), sum(seen_bz), max(peak)
         FROM (
             SELECT hour, checkins, observed, with_bluezone, 0 AS seen_bz, 0 AS peak
             FROM ble_checkins_hourly
             UNION ALL
             SELECT hour, 0, 0, 0, seen_bluezone_android + seen_bluezone_ios, peak_phones
             FROM ble_hourly_counts
         )
         WHERE hour >= ?1 AND hour < ?2
         GROUP BY hour ORDER BY hour",
    )?;
    let rows = stmt.query_map(params![hour_key(from), hour_key(to)], |r| {
        let hour: String = r.get(0)?;
        let n = |i: usize| -> rusqlite::Result<u32> {
            Ok(u32::try_from(r.get::<_, i64>(i)?).unwrap_or(0))
        };
        Ok((
            hour,
            Adoption {
                checkins: n(1)?,
                observed: n(2)?,
                with_bluezone: n(3)?,
                bluezone_seen: n(4)?,
                peak_phones: n(5)?,
            },
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (hour, a) = row?;
        // A row this module did not write is skipped, not fatal.
        if let Ok(t) = DateTime::parse_from_rfc3339(&hour) {
            out.push((t.with_timezone(&Utc), a));
        }
    }
    Ok(out)
}

#[cfg(test)]
#[path = "ble_counts_tests.rs"]
mod tests;
