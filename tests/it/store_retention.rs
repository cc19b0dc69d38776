//! Retention: old records go, unacknowledged ones stay while a server waits
//! for them, and a purge removes the data from the file itself.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::store_support;

use checkpoint_store::Mark;
use checkpoint_store::{Actor, Settings};
use chrono::Utc;
use store_support::*;

fn settings(server: bool) -> Settings {
    Settings {
        retention_days: 21,
        keep_unacknowledged: server,
        kiosk_id: String::new(),
    }
}

#[test]
fn records_past_retention_are_purged_and_recent_ones_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_plaintext(dir.path(), settings(false));
    let old = record_at(1, days_ago(22));
    let recent = record_at(2, days_ago(20));
    store
        .insert_declarations(&[old.clone(), recent.clone()], Actor::Visitor)
        .unwrap();
    let report = store.purge(Utc::now(), false, Actor::Operator).unwrap();
    assert_eq!((report.declarations, report.kept_unacknowledged), (1, 0));
    assert!(report.wal_truncated);
    assert!(store.declaration(&old.record_id).unwrap().is_none());
    assert!(store.declaration(&recent.record_id).unwrap().is_some());
    let entry = &store.audit_log(1).unwrap()[0];
    assert_eq!(
        (entry.actor.as_str(), entry.action.as_str()),
        ("operator", "purged")
    );
    assert!(
        entry.detail.contains("\"declarations\":1"),
        "{}",
        entry.detail
    );
}

#[test]
fn with_a_server_unacknowledged_records_wait_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_plaintext(dir.path(), settings(true));
    let acked = record_at(1, days_ago(30));
    let sent = record_at(2, days_ago(30));
    let pending = record_at(3, days_ago(30));
    store
        .insert_declarations(
            &[acked.clone(), sent.clone(), pending.clone()],
            Actor::Visitor,
        )
        .unwrap();
    store
        .sync_mark(Mark::Sent, &[sent.record_id], Utc::now())
        .unwrap();
    store
        .sync_mark(Mark::Acknowledged, &[acked.record_id], Utc::now())
        .unwrap();

    let report = store.purge(Utc::now(), false, Actor::Operator).unwrap();
    assert_eq!((report.declarations, report.kept_unacknowledged), (1, 2));
    assert!(store.declaration(&acked.record_id).unwrap().is_none());
    assert!(store.declaration(&sent.record_id).unwrap().is_some());

    // Acknowledged later: the next purge takes it.
    store
        .sync_mark(Mark::Acknowledged, &[sent.record_id], Utc::now())
        .unwrap();
    let report = store.purge(Utc::now(), false, Actor::System).unwrap();
    assert_eq!((report.declarations, report.kept_unacknowledged), (1, 1));

    let report = store.purge(Utc::now(), true, Actor::Operator).unwrap();
    assert_eq!((report.declarations, report.kept_unacknowledged), (1, 0));
    assert_eq!(store.queue_stats().unwrap().declarations.total(), 0);
    assert!(
        store.audit_log(1).unwrap()[0]
            .detail
            .contains("\"force\":true")
    );
}

#[test]
fn opening_purges_what_is_due() {
    let dir = tempfile::tempdir().unwrap();
    let old = record_at(1, days_ago(40));
    {
        let mut store = open_plaintext(dir.path(), settings(false));
        store.insert_declaration(&old, Actor::Visitor).unwrap();
        // The automatic purge ran at open (an hour ago at most), so this
        // record waits for the next one; an operator purge takes it now.
        assert!(store.declaration(&old.record_id).unwrap().is_some());
    }
    let mut store = open_plaintext(dir.path(), settings(false));
    store.purge(Utc::now(), false, Actor::Operator).unwrap();
    assert!(store.declaration(&old.record_id).unwrap().is_none());
}

/// The raw bytes of the file (plaintext mode, so a leftover would be
/// readable) no longer hold a purged visitor, while a kept visitor is still
/// found: the search itself works.
#[test]
fn purged_data_is_gone_from_the_file_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let mut store = open_plaintext(dir.path(), settings(false));
    let purged: Vec<_> = (0..40).map(|i| record_at(i, days_ago(25))).collect();
    let kept: Vec<_> = (100..110).map(|i| record_at(i, days_ago(1))).collect();
    // One at a time, as visitors arrive: many WAL frames, many page versions.
    for r in purged.iter().chain(&kept) {
        store.insert_declaration(r, Actor::Visitor).unwrap();
    }
    // Sync traffic rewrites the rows too.
    let ids: Vec<_> = purged.iter().map(|r| r.record_id).collect();
    store.sync_mark(Mark::Sent, &ids, Utc::now()).unwrap();

    let before = raw_files(&db);
    let p0 = person(0);
    assert!(
        !find_in_files(&before, &p0.name).is_empty(),
        "control: the plaintext file shows the name before the purge"
    );

    let report = store.purge(Utc::now(), false, Actor::Operator).unwrap();
    assert_eq!(report.declarations, 40);
    assert!(report.wal_truncated);
    for files in [raw_files(&db), {
        drop(store);
        raw_files(&db)
    }] {
        let purged_secrets: Vec<String> = (0..40)
            .flat_map(|i| {
                let p = person(i);
                [p.name, p.document, p.phone]
            })
            .collect();
        let found = find_all(&files, &purged_secrets);
        assert!(
            found.is_empty(),
            "purged data still in the files: {found:?}"
        );
        let k = person(100);
        assert!(
            !find_in_files(&files, &k.name).is_empty(),
            "control: a kept record is still found"
        );
    }
}
