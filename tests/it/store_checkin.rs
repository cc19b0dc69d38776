//! A visitor's check-in: the declaration and its Bluetooth adoption count go
//! in one transaction (`Store::insert_checkin`), and `ble stats` reads the
//! counts through the store (encrypted file, key, migrations).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::store_support;

use checkpoint_kiosk::config::Config;
use checkpoint_kiosk::paths::DataDir;
use checkpoint_store::{Actor, StoreError};
use chrono::{Duration, Utc};
use store_support::*;

#[test]
fn each_checkin_is_counted_with_its_note_and_only_once() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = open_encrypted(dir.path());
    let notes = [Some(true), Some(false), Some(true), None];
    let mut first = None;
    for (i, note) in notes.iter().enumerate() {
        let mut r = record(i);
        r.bluezone_nearby = *note;
        store.insert_checkin(&r, Actor::Visitor).unwrap();
        // The note is kept in the record too.
        let back = store.declaration(&r.record_id).unwrap().unwrap().record;
        assert_eq!(back.bluezone_nearby, *note);
        first.get_or_insert(r.record_id);
    }
    // A declaration that did not come from a visitor at the kiosk is no check-in.
    store
        .insert_declaration(&record(10), Actor::Operator)
        .unwrap();
    // A refused insert counts nothing: same transaction.
    let mut twice = record(0);
    twice.record_id = first.unwrap();
    twice.bluezone_nearby = Some(true);
    assert!(matches!(
        store.insert_checkin(&twice, Actor::Visitor),
        Err(StoreError::Duplicate(_))
    ));
    let mut invalid = record(11);
    invalid.declaration.consent = false;
    invalid.bluezone_nearby = Some(true);
    assert!(matches!(
        store.insert_checkin(&invalid, Actor::Visitor),
        Err(StoreError::Invalid(_))
    ));

    let now = Utc::now();
    let hours = store
        .adoption_by_hour(now - Duration::hours(2), now + Duration::hours(1))
        .unwrap();
    let total = hours.iter().fold((0, 0, 0), |acc, (_, a)| {
        (
            acc.0 + a.checkins,
            acc.1 + a.observed,
            acc.2 + a.with_bluezone,
        )
    });
    assert_eq!(total, (4, 3, 2), "{hours:?}");
    assert_eq!(store.queue_stats().unwrap().declarations.total(), 5);
}

#[test]
fn ble_stats_reads_the_encrypted_store() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = checkpoint_kiosk::storage::open_store(
            &DataDir::portable(dir.path()),
            &Config::default(),
        )
        .unwrap();
        for (i, note) in [Some(true), Some(false), Some(false), Some(true)]
            .into_iter()
            .enumerate()
        {
            let mut r = record(i);
            r.bluezone_nearby = note;
            store.insert_checkin(&r, Actor::Visitor).unwrap();
        }
    }
    let out = run(dir.path(), &["ble", "stats", "--json"], b"");
    assert_exit(&out, 0);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let day = &v["days"][0];
    assert_eq!(day["adoption"]["checkins"], 4, "{v}");
    assert_eq!(day["adoption"]["with_bluezone"], 2, "{v}");
    assert_eq!(day["share"], 0.5, "{v}");
    let text = run(dir.path(), &["--lang", "en", "ble", "stats"], b"");
    assert_exit(&text, 0);
    assert!(stdout(&text).contains("50.0%"), "{}", stdout(&text));
}

#[test]
fn ble_stats_without_the_key_says_why() {
    let dir = tempfile::tempdir().unwrap();
    drop(
        checkpoint_kiosk::storage::open_store(&DataDir::portable(dir.path()), &Config::default())
            .unwrap(),
    );
    std::fs::remove_file(dir.path().join("kiosk.key")).unwrap();
    let out = run(dir.path(), &["--lang", "en", "ble", "stats"], b"");
    assert_exit(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("statistics cannot be read"), "{err}");
    assert!(err.contains("key"), "{err}");
}
