//! Every schema version migrates to the latest with its data intact.
//!
//! For each earlier version `v` the test builds a database at `v` (running the
//! released migrations up to `v`), fills it with that version's fixture,
//! written in that version's own SQL (never through today's API, which only
//! knows today's schema), then opens it with the store and checks the data.
//! A new migration needs a fixture for the version before it: `fixtures()`
//! must cover every version below `schema::LATEST`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::store_support;

use checkpoint_domain::declaration::Record;
use checkpoint_store::Mark;
use checkpoint_store::{Actor, DeliveryState, Key, Layout, Settings, Store, StoreError, schema};
use rusqlite::{Connection, params};
use store_support::*;

/// What a fixture put in, to check after migrating.
struct Expected {
    declarations: Vec<(Record, DeliveryState)>,
    audit_entries: usize,
    /// Rows of the Bluetooth hourly counts (version 2 on).
    ble_hours: i64,
}

type Fixture = fn(&Connection) -> Expected;

/// One fixture per version, index = version.
fn fixtures() -> Vec<Fixture> {
    vec![
        fixture_v0, fixture_v1, fixture_v2, fixture_v3, fixture_v4, fixture_v5,
    ]
}

/// Version 0: a new, empty file.
fn fixture_v0(_conn: &Connection) -> Expected {
    Expected {
        declarations: Vec::new(),
        audit_entries: 0,
        ble_hours: 0,
    }
}

/// Version 1 as released: rows written with v1's columns.
fn fixture_v1(conn: &Connection) -> Expected {
    let mut declarations = Vec::new();
    for (i, state) in [
        DeliveryState::Pending,
        DeliveryState::Sent,
        DeliveryState::Acknowledged,
    ]
    .into_iter()
    .enumerate()
    {
        let r = record_at(i, days_ago(1));
        conn.execute(
            "INSERT INTO declarations (record_id, kiosk_id, submitted_at, stored_at, flagged,
                                       sync_state, attempts, last_error, last_attempt, record)
             VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7, NULL, ?8)",
            params![
                r.record_id.to_string(),
                r.kiosk_id,
                r.submitted_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                r.flagged,
                state.key(),
                i as i64,
                (i == 0).then_some("timeout"),
                serde_json::to_string(&r).unwrap(),
            ],
        )
        .unwrap();
        declarations.push((r, state));
    }
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('kiosk_id', 'kiosk-fixture'), ('install_salt', 'ab')",
        [],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO audit_log (at, actor, action, record_id, detail)
         VALUES ('2025-01-01T00:00:00.000Z', 'operator', 'exported', NULL, '{\"count\":3}')",
        [],
    )
    .unwrap();
    Expected {
        declarations,
        audit_entries: 1,
        ble_hours: 0,
    }
}

/// Version 2 as released: v1's rows plus an hour of Bluetooth counts.
fn fixture_v2(conn: &Connection) -> Expected {
    let mut expected = fixture_v1(conn);
    conn.execute(
        "INSERT INTO ble_hourly_counts (hour, seen_bluezone_android, peak_bluezone, peak_phones)
         VALUES ('2025-01-01T08:00:00Z', 3, 2, 5)",
        [],
    )
    .unwrap();
    expected.ble_hours = 1;
    expected
}

/// Version 3 as released: v2's rows plus a declaration the hub rejected.
fn fixture_v3(conn: &Connection) -> Expected {
    let mut expected = fixture_v2(conn);
    let r = record_at(7, days_ago(2));
    conn.execute(
        "INSERT INTO declarations (record_id, kiosk_id, submitted_at, stored_at, flagged,
                                   sync_state, attempts, last_error, last_attempt, record)
         VALUES (?1, ?2, ?3, ?3, ?4, 'rejected', 1, 'kiosk-mismatch: other kiosk', ?3, ?5)",
        params![
            r.record_id.to_string(),
            r.kiosk_id,
            r.submitted_at
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            r.flagged,
            serde_json::to_string(&r).unwrap(),
        ],
    )
    .unwrap();
    expected.declarations.push((r, DeliveryState::Rejected));
    expected
}

/// Version 4 as released: v3's rows (version 4 only dropped the count table).
fn fixture_v4(conn: &Connection) -> Expected {
    fixture_v3(conn)
}

/// Version 5: v4's rows plus a follow-up step (of the first declaration).
fn fixture_v5(conn: &Connection) -> Expected {
    let expected = fixture_v4(conn);
    let id = expected.declarations[0].0.record_id.to_string();
    conn.execute(
        "INSERT INTO follow_ups (record_id, kiosk_id, submitted_at, stored_at,
                                 declaration_id, state, record)
         VALUES ('0190a5a0-0000-7000-8000-000000000001', 'kiosk-fixture',
                 '2024-07-01T08:00:00.000Z', '2024-07-01T08:00:00.000Z', ?1,
                 'seen-at-desk', '{}')",
        [&id],
    )
    .unwrap();
    expected
}

fn build_at(path: &std::path::Path, key: &Key, version: u32) -> Expected {
    let mut conn = raw_connection(path, key);
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    assert_eq!(schema::migrate_to(&mut conn, version).unwrap(), version);
    assert_eq!(schema::version(&conn).unwrap(), version);
    fixtures()[version as usize](&conn)
}

fn check(store: &Store, expected: &Expected) {
    assert_eq!(store.schema_version().unwrap(), schema::LATEST);
    assert_eq!(store.integrity_check().unwrap(), "ok");
    for (r, state) in &expected.declarations {
        let q = store.declaration(&r.record_id).unwrap().expect("kept");
        assert_eq!(&q.record, r);
        assert_eq!(q.sync.state, *state);
    }
    let stats = store.queue_stats().unwrap();
    assert_eq!(stats, store.queue_stats_scanned().unwrap());
    assert_eq!(
        stats.declarations.total(),
        expected.declarations.len() as u64
    );
    let all_time = (
        "2000-01-01T00:00:00Z".parse().unwrap(),
        "2100-01-01T00:00:00Z".parse().unwrap(),
    );
    let ble_hours = store.adoption_by_hour(all_time.0, all_time.1).unwrap();
    assert_eq!(ble_hours.len() as i64, expected.ble_hours);
    if let Some((_, hour)) = ble_hours.first() {
        // The v2 fixture's hour, every figure kept.
        assert_eq!((hour.bluezone_seen, hour.peak_phones), (3, 5));
    }
    // Plus the purge entry an open may add, never fewer.
    assert!(store.audit_log(100).unwrap().len() >= expected.audit_entries);
}

/// SHA-256 of each released migration's SQL. A released migration never
/// changes (databases in the field already ran it): add a new one instead,
/// and its hash here.
const RELEASED: &[&str] = &[
    "9c35022ad120930987364a102eb71ac5237944ff70438a54fcfcfc21c7a90eab",
    "4be289d95a2e3699afa6d2b643b2f9cec477eefa0a1729b7e842984c6bd7f817",
    "193d990625f4f49ea7f6de47aa4b68b77e942e5aeb55a01a485ff1e0190cf118",
    "4b5d8da82d9f6a65f217796b9f62584986efe56ca0b5bad5ebcb972eeeb32f03",
    "6b1bec7c2c692c868d9dcc21c8adf1ae1fcd5121bf611d3e95d4d43578ce1b6d",
];

fn sha256_hex(text: &str) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn released_migrations_never_change() {
    let hashes: Vec<String> = schema::MIGRATIONS.iter().map(|m| sha256_hex(m)).collect();
    assert_eq!(
        hashes.len(),
        RELEASED.len(),
        "pin the new migration's hash: {hashes:?}"
    );
    for (i, (now, pinned)) in hashes.iter().zip(RELEASED).enumerate() {
        assert_eq!(
            now,
            pinned,
            "migration {} changed after release; add a new one",
            i + 1
        );
    }
}

#[test]
fn every_earlier_version_has_a_fixture() {
    assert!(
        fixtures().len() > schema::LATEST as usize,
        "add a fixture for version {} (the version before your new migration)",
        schema::LATEST
    );
}

#[test]
fn every_earlier_version_migrates_to_the_latest() {
    for version in 0..schema::LATEST {
        for key in [Key::random(), Key::Plaintext] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("kiosk.db");
            let expected = build_at(&path, &key, version);
            let mut store = Store::open_with(&path, &key, Settings::default())
                .unwrap_or_else(|e| panic!("from v{version}: {e}"));
            check(&store, &expected);
            // And the migrated file is fully usable.
            let r = record(99);
            store.insert_declaration(&r, Actor::Visitor).unwrap();
            store
                .sync_mark(Mark::Acknowledged, &[r.record_id], chrono::Utc::now())
                .unwrap();
            // The state added by version 3 is usable on every migrated file.
            let refused = record(98);
            store.insert_declaration(&refused, Actor::Visitor).unwrap();
            let n = store
                .sync_mark_rejected(
                    &[(refused.record_id, "invalid-body: test".into())],
                    chrono::Utc::now(),
                )
                .unwrap();
            assert_eq!(n, 1);
            let q = store.declaration(&refused.record_id).unwrap().unwrap();
            assert_eq!(q.sync.state, DeliveryState::Rejected);
            assert_eq!(q.sync.last_error.as_deref(), Some("invalid-body: test"));
            let stats = store.queue_stats().unwrap();
            assert_eq!(stats, store.queue_stats_scanned().unwrap());
            assert_eq!(
                stats.declarations.rejected,
                1 + expected
                    .declarations
                    .iter()
                    .filter(|(_, s)| *s == DeliveryState::Rejected)
                    .count() as u64
            );
        }
    }
}

#[test]
fn the_latest_fixture_matches_the_current_schema() {
    // Keeps the newest fixture honest now, so it is right when the next migration comes.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    let key = Key::random();
    let expected = build_at(&path, &key, schema::LATEST);
    let store = Store::open_with(&path, &key, Settings::default()).unwrap();
    check(&store, &expected);
    assert_eq!(store.kiosk_id(), "kiosk-fixture");
}

#[test]
fn reopening_migrates_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let (store, key) = open_encrypted(dir.path());
    drop(store);
    for _ in 0..3 {
        let store =
            Store::open_with(&dir.path().join("kiosk.db"), &key, Settings::default()).unwrap();
        assert_eq!(store.schema_version().unwrap(), schema::LATEST);
    }
}

#[test]
fn a_newer_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    let key = Key::random();
    build_at(&path, &key, schema::LATEST);
    {
        let conn = raw_connection(&path, &key);
        conn.pragma_update(None, "user_version", schema::LATEST + 1)
            .unwrap();
        conn.pragma_update(None, "wal_checkpoint", "TRUNCATE").ok();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open_with(&path, &key, Settings::default()).unwrap_err();
    match &err {
        StoreError::TooNew {
            found, supported, ..
        } => {
            assert_eq!(*found, schema::LATEST + 1);
            assert_eq!(*supported, schema::LATEST);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        err.message()
            .render(checkpoint_i18n::Lang::En)
            .contains("newer version")
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

/// A connection keyed as builds before schema version 4 keyed their files:
/// `PRAGMA key` alone, SQLCipher's default layout (4 KiB pages, HMAC-SHA512).
fn legacy_connection(path: &std::path::Path, key: &Key) -> Connection {
    let conn = Connection::open(path).unwrap();
    let pragma = key.pragma_for(Layout::Legacy).expect("an encrypted key");
    conn.execute_batch(&pragma).unwrap();
    conn
}

fn page_size(store: &Store) -> u32 {
    store.cipher_layout().unwrap().0
}

#[test]
fn a_file_of_the_older_page_layout_opens_with_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    let key = Key::random();
    // Version 3, as the last build of the old layout left it: WAL mode, and
    // the rows still in the log (never checkpointed) when the process ended.
    let conn = legacy_connection(&path, &key);
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    let mut conn = conn;
    assert_eq!(schema::migrate_to(&mut conn, 3).unwrap(), 3);
    let expected = fixture_v3(&conn);
    std::mem::forget(conn); // a crash: no checkpoint at close
    let wal = std::fs::metadata(dir.path().join("kiosk.db-wal")).unwrap();
    assert!(wal.len() > 0, "the rows are in the write-ahead log");

    let mut store = Store::open_with(&path, &key, Settings::default()).unwrap();
    check(&store, &expected);
    assert_eq!(page_size(&store), 4096, "an older file keeps its layout");
    let r = record(99);
    store.insert_declaration(&r, Actor::Visitor).unwrap();
    drop(store);
    // Reopened, it is still found by trying the older layout.
    let store = Store::open_with(&path, &key, Settings::default()).unwrap();
    assert!(store.declaration(&r.record_id).unwrap().is_some());

    // A wrong key is still refused as such, after both layouts were tried.
    let err = Store::open_with(&path, &Key::random(), Settings::default()).unwrap_err();
    assert!(
        err.message()
            .render(checkpoint_i18n::Lang::En)
            .to_lowercase()
            .contains("key"),
        "{err:?}"
    );
}

#[test]
fn a_new_file_uses_the_small_page_layout() {
    let dir = tempfile::tempdir().unwrap();
    let (store, key) = open_encrypted(dir.path());
    assert_eq!(page_size(&store), 1024);
    let hmac = store.cipher_layout().unwrap().1;
    assert_eq!(hmac, "HMAC_SHA256");
    drop(store);
    // The older layout cannot read it: the layout really is in the file.
    let conn = legacy_connection(&dir.path().join("kiosk.db"), &key);
    assert!(
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r
            .get::<_, i64>(0))
            .is_err()
    );
}
