//! Encrypted at rest: the raw database file and its write-ahead log hold
//! none of the stored names, ID numbers or phone numbers, in UTF-8, UTF-16LE
//! or UTF-16BE, while the store is open and after it is closed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::store_support;

use checkpoint_domain::declaration::report::{Report, ReportKind, ReportRecord};
use checkpoint_store::{Actor, Settings};
use chrono::Utc;
use store_support::*;

const N: usize = 60;

fn secrets() -> Vec<String> {
    (0..N)
        .flat_map(|i| {
            let p = person(i);
            [p.name, p.document, p.phone]
        })
        .collect()
}

#[test]
fn the_search_finds_every_encoding() {
    // The search must be able to fail: show it finds each encoding.
    let needle = "NGUYỄN VĂN QUỲNH";
    for (enc, bytes) in encodings(needle) {
        let mut hay = vec![0u8; 100];
        hay.extend(&bytes);
        hay.extend([1u8; 7]);
        let files = vec![(std::path::PathBuf::from("x"), hay)];
        assert_eq!(find_in_files(&files, needle), vec![("x".to_owned(), enc)]);
    }
}

#[test]
fn no_personal_data_in_the_encrypted_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let (mut store, _key) = open_encrypted(dir.path());
    for i in 0..N {
        store
            .insert_declaration(&record(i), Actor::Visitor)
            .unwrap();
    }
    let mut report = Report::default();
    report.kinds.insert(ReportKind::SuspectedCase);
    report.details = "Ông TRƯƠNG VĨNH KÝ ho sốt, nhà số 9 ngõ Hàng Bạc".into();
    store
        .insert_report(&ReportRecord::new(report, "k", Utc::now()), Actor::Visitor)
        .unwrap();

    let open_files = raw_files(&db);
    assert!(
        open_files
            .iter()
            .any(|(p, b)| p.to_string_lossy().ends_with("-wal") && !b.is_empty()),
        "the WAL holds the recent writes while the store is open"
    );
    drop(store);
    let closed_files = raw_files(&db);
    let mut needles = secrets();
    needles.push("TRƯƠNG VĨNH KÝ".to_owned());
    for files in [&open_files, &closed_files] {
        let found = find_all(files, &needles);
        assert!(found.is_empty(), "readable: {found:?}");
    }
}

#[test]
fn control_the_same_data_in_plaintext_mode_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let mut store = open_plaintext(dir.path(), Settings::default());
    for i in 0..N {
        store
            .insert_declaration(&record(i), Actor::Visitor)
            .unwrap();
    }
    let files = raw_files(&db);
    let found = find_all(&files, &secrets());
    for secret in secrets() {
        assert!(
            found
                .iter()
                .any(|(s, _, enc)| *s == secret && *enc == "utf-8"),
            "{secret} should be visible without encryption"
        );
    }
}
