use chrono::{FixedOffset, TimeDelta};

use super::*;
use crate::ble::tracker::ClassCounts;

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn db() -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(SCHEMA_SQL).unwrap();
    // Twice: the migration may run on every start.
    conn.execute_batch(SCHEMA_SQL).unwrap();
    conn
}

fn hour(h: &str, android: u32, peak_phones: u32) -> HourCounts {
    HourCounts {
        hour: at(h),
        seen: ClassCounts {
            bluezone_android: android,
            other: 4,
            ..ClassCounts::default()
        },
        peak: ClassCounts {
            bluezone_android: android,
            ..ClassCounts::default()
        },
        peak_phones,
        peak_bluezone: android,
    }
}

#[test]
fn hour_saved_in_parts_adds_up() {
    let conn = db();
    save_hour(&conn, &hour("2021-05-01T03:00:00Z", 2, 5)).unwrap();
    save_hour(&conn, &hour("2021-05-01T03:00:00Z", 1, 3)).unwrap();
    let (seen, peak, other): (i64, i64, i64) = conn
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
    let conn = db();
    let h1 = at("2021-05-01T03:10:00Z");
    record_checkin(&conn, h1, Some(true)).unwrap();
    record_checkin(&conn, h1 + TimeDelta::minutes(5), Some(false)).unwrap();
    record_checkin(&conn, h1 + TimeDelta::minutes(6), Some(false)).unwrap();
    record_checkin(&conn, h1 + TimeDelta::minutes(7), None).unwrap();
    let h2 = at("2021-05-01T18:30:00Z"); // 01:30 the next day in Vietnam (UTC+7)
    record_checkin(&conn, h2, Some(true)).unwrap();
    save_hour(&conn, &hour("2021-05-01T03:00:00Z", 2, 6)).unwrap();

    let hours = adoption_by_hour(
        &conn,
        at("2021-05-01T00:00:00Z"),
        at("2021-05-02T00:00:00Z"),
    )
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
    let days = adoption_by_day(
        &conn,
        at("2021-05-01T00:00:00Z"),
        at("2021-05-02T00:00:00Z"),
        &vn,
    )
    .unwrap();
    assert_eq!(days.len(), 2);
    assert_eq!(days[0].0.to_string(), "2021-05-01");
    assert_eq!(days[0].1.checkins, 4);
    assert_eq!(days[1].0.to_string(), "2021-05-02");
    assert_eq!(days[1].1.share(), Some(1.0));
}

#[test]
fn no_observed_checkins_means_no_share() {
    let conn = db();
    record_checkin(&conn, at("2021-05-01T03:10:00Z"), None).unwrap();
    let hours = adoption_by_hour(
        &conn,
        at("2021-05-01T00:00:00Z"),
        at("2021-05-02T00:00:00Z"),
    )
    .unwrap();
    assert_eq!(hours[0].1.share(), None);
    assert_eq!(hours[0].1.checkins, 1);
}

#[test]
fn range_is_half_open_and_foreign_rows_are_skipped() {
    let conn = db();
    record_checkin(&conn, at("2021-05-01T03:10:00Z"), Some(true)).unwrap();
    conn.execute(
        "INSERT INTO ble_checkins_hourly (hour, checkins) VALUES ('2021-05-01Tgarbage', 1)",
        [],
    )
    .unwrap();
    let none = adoption_by_hour(
        &conn,
        at("2021-05-01T04:00:00Z"),
        at("2021-05-01T05:00:00Z"),
    )
    .unwrap();
    assert!(none.is_empty());
    let all = adoption_by_hour(
        &conn,
        at("2021-05-01T00:00:00Z"),
        at("2021-05-02T00:00:00Z"),
    )
    .unwrap();
    assert_eq!(all.len(), 1);
}

#[test]
fn save_hours_is_all_or_nothing_and_gives_hours_back() {
    let conn = db();
    let hours = vec![
        hour("2021-05-01T03:00:00Z", 2, 5),
        hour("2021-05-01T04:00:00Z", 1, 1),
    ];
    assert_eq!(save_hours(&conn, hours.clone()), Ok(2));
    let broken = Connection::open_in_memory().unwrap(); // no schema
    let (_, back) = save_hours(&broken, hours.clone()).unwrap_err();
    assert_eq!(back, hours);
}
