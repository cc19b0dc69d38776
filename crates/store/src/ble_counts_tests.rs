use chrono::{FixedOffset, TimeDelta};

use super::*;
use crate::{Key, Settings};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// A real store file (the tables come from its migrations).
fn store(dir: &tempfile::TempDir) -> Store {
    Store::open_with(
        &dir.path().join("k.db"),
        &Key::random(),
        Settings::default(),
    )
    .unwrap()
}

fn hour(h: &str, android: u32, peak_phones: u32) -> HourTotals {
    HourTotals {
        hour: at(h),
        seen_bluezone_android: android,
        seen_other: 4,
        peak_phones,
        peak_bluezone: android,
        ..HourTotals::default()
    }
}

#[test]
fn hour_saved_in_parts_adds_up() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(&dir);
    s.save_ble_hours(&[hour("2021-05-01T03:00:00Z", 2, 5)])
        .unwrap();
    s.save_ble_hours(&[hour("2021-05-01T03:20:00Z", 1, 3)])
        .unwrap();
    let (seen, peak, other): (i64, i64, i64) = s
        .conn
        .query_row(
            "SELECT seen_bluezone_android, peak_phones, seen_other FROM ble_hourly_counts",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((seen, peak, other), (3, 5, 8));
}

#[test]
fn adoption_per_hour_and_day() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(&dir);
    let h1 = at("2021-05-01T03:10:00Z");
    record_checkin(&s.conn, h1, Some(true)).unwrap();
    record_checkin(&s.conn, h1 + TimeDelta::minutes(5), Some(false)).unwrap();
    record_checkin(&s.conn, h1 + TimeDelta::minutes(6), Some(false)).unwrap();
    record_checkin(&s.conn, h1 + TimeDelta::minutes(7), None).unwrap();
    let h2 = at("2021-05-01T18:30:00Z"); // 01:30 the next day in Vietnam (UTC+7)
    record_checkin(&s.conn, h2, Some(true)).unwrap();
    s.save_ble_hours(&[hour("2021-05-01T03:00:00Z", 2, 6)])
        .unwrap();

    let hours = s
        .adoption_by_hour(at("2021-05-01T00:00:00Z"), at("2021-05-02T00:00:00Z"))
        .unwrap();
    assert_eq!(hours.len(), 2);
    let (t, a) = hours[0];
    assert_eq!(t, at("2021-05-01T03:00:00Z"));
    assert_eq!(
        (
            a.checkins,
            a.observed,
            a.with_bluezone,
            a.bluezone_seen,
            a.peak_phones
        ),
        (4, 3, 1, 2, 6)
    );
    assert!((a.share().unwrap() - 1.0 / 3.0).abs() < 1e-9);

    let vn = FixedOffset::east_opt(7 * 3600).unwrap();
    let days = s
        .adoption_by_day(at("2021-05-01T00:00:00Z"), at("2021-05-02T00:00:00Z"), &vn)
        .unwrap();
    assert_eq!(days.len(), 2);
    assert_eq!(days[0].0.to_string(), "2021-05-01");
    assert_eq!(days[0].1.checkins, 4);
    assert_eq!(days[1].0.to_string(), "2021-05-02");
    assert_eq!(days[1].1.share(), Some(1.0));
}

#[test]
fn no_observed_checkins_means_no_share() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(&dir);
    record_checkin(&s.conn, at("2021-05-01T03:10:00Z"), None).unwrap();
    let hours = s
        .adoption_by_hour(at("2021-05-01T00:00:00Z"), at("2021-05-02T00:00:00Z"))
        .unwrap();
    assert_eq!(hours[0].1.share(), None);
    assert_eq!(hours[0].1.checkins, 1);
}

#[test]
fn range_is_half_open_and_foreign_rows_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(&dir);
    record_checkin(&s.conn, at("2021-05-01T03:10:00Z"), Some(true)).unwrap();
    s.conn
        .execute(
            "INSERT INTO ble_checkins_hourly (hour, checkins) VALUES ('2021-05-01Tgarbage', 1)",
            [],
        )
        .unwrap();
    let none = s
        .adoption_by_hour(at("2021-05-01T04:00:00Z"), at("2021-05-01T05:00:00Z"))
        .unwrap();
    assert!(none.is_empty());
    let all = s
        .adoption_by_hour(at("2021-05-01T00:00:00Z"), at("2021-05-02T00:00:00Z"))
        .unwrap();
    assert_eq!(all.len(), 1);
}

#[test]
fn save_hours_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(&dir);
    let hours = [
        hour("2021-05-01T03:00:00Z", 2, 5),
        hour("2021-05-01T04:00:00Z", 1, 1),
    ];
    assert_eq!(s.save_ble_hours(&hours).unwrap(), 2);
    // The second hour of the next call fails: nothing of that call is kept.
    s.conn
        .execute_batch(
            "CREATE TRIGGER no_four BEFORE INSERT ON ble_hourly_counts
             WHEN NEW.hour = '2021-05-01T06:00:00Z'
             BEGIN SELECT RAISE(ABORT, 'full disk'); END;",
        )
        .unwrap();
    let later = [
        hour("2021-05-01T05:00:00Z", 1, 1),
        hour("2021-05-01T06:00:00Z", 1, 1),
    ];
    assert!(s.save_ble_hours(&later).is_err());
    let n: i64 = s
        .conn
        .query_row("SELECT count(*) FROM ble_hourly_counts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2, "the failed call saved nothing");
}
