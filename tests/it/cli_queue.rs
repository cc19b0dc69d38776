//! `queue list|show|stats`, `export --format csv`, `purge`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::store_support;

use std::path::Path;

use checkpoint_domain::declaration::Record;
use checkpoint_store::Actor;
use checkpoint_store::Mark;
use chrono::{Duration, Utc};
use store_support::*;

/// Stores `records` through the library in the folder the CLI will use.
fn seed(dir: &Path, records: &[Record]) {
    let mut store = open_data_dir(dir);
    store.insert_declarations(records, Actor::Visitor).unwrap();
}

#[test]
fn list_show_and_stats() {
    let dir = tempfile::tempdir().unwrap();
    let records: Vec<Record> = (0..3).map(record).collect();
    seed(dir.path(), &records);

    let out = run(dir.path(), &["--lang", "en", "queue", "list"], b"");
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .starts_with(&records[2].record_id.to_string())
    );
    for i in 0..3 {
        let p = person(i);
        assert!(
            text.contains(&checkpoint_domain::mask::name(&p.name)),
            "{text}"
        );
        assert!(!text.contains(&p.name), "the list shows names masked");
    }
    let json = run(
        dir.path(),
        &["queue", "list", "--json", "--limit", "2"],
        b"",
    );
    assert_exit(&json, 0);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[0]["state"], "pending");

    let id = records[1].record_id.to_string();
    let shown = run(dir.path(), &["queue", "show", &id], b"");
    assert_exit(&shown, 0);
    let v: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(v["kind"], "declaration");
    assert_eq!(
        v["record"]["declaration"]["identity"]["full_name"],
        person(1).name
    );
    let audit = open_data_dir(dir.path()).audit_log(5).unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "record_viewed" && e.record_id.as_deref() == Some(id.as_str())),
        "{audit:?}"
    );

    let bad = run(
        dir.path(),
        &["--lang", "en", "queue", "show", "not-an-id"],
        b"",
    );
    assert_exit(&bad, 2);
    assert!(stderr(&bad).contains("is not a record id"));
    let unknown = uuid::Uuid::now_v7().to_string();
    let missing = run(
        dir.path(),
        &["--lang", "vi", "queue", "show", &unknown],
        b"",
    );
    assert_exit(&missing, 1);
    assert!(
        stderr(&missing).contains("Không có bản ghi"),
        "{}",
        stderr(&missing)
    );

    let stats = run(dir.path(), &["--lang", "vi", "queue", "stats"], b"");
    assert_exit(&stats, 0);
    assert!(
        stdout(&stats).contains("tổng 3, 3 chờ gửi"),
        "{}",
        stdout(&stats)
    );
    // Follow-up steps of flagged visitors have their own line.
    assert!(
        stdout(&stats).contains("bước theo dõi: tổng 0"),
        "{}",
        stdout(&stats)
    );
}

#[test]
fn export_is_csv_with_a_bom_in_the_chosen_range() {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc::now();
    let mut records: Vec<Record> = [10, 5, 1]
        .iter()
        .enumerate()
        .map(|(i, d)| record_at(i, now - Duration::days(*d)))
        .collect();
    records[2].declaration.identity.address.street = "=HYPERLINK(\"http://evil\")".into();
    seed(dir.path(), &records);

    let out = run(
        dir.path(),
        &["--lang", "en", "export", "--format", "csv"],
        b"",
    );
    assert_exit(&out, 0);
    assert!(
        out.stdout.starts_with("\u{feff}".as_bytes()),
        "UTF-8 BOM first"
    );
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].contains("Record id") && lines[0].contains("Full name"));
    assert!(lines[1].contains(&person(0).name) && lines[1].contains(&person(0).document));
    assert!(text.contains("'=HYPERLINK"), "formulas are defused");
    assert!(stderr(&out).contains("Exported 3 declarations"));

    let day = (now - Duration::days(5)).format("%Y-%m-%d").to_string();
    let one = run(dir.path(), &["export", "--from", &day, "--to", &day], b"");
    assert_exit(&one, 0);
    let text = String::from_utf8(one.stdout).unwrap();
    assert_eq!(
        text.split("\r\n").filter(|l| !l.is_empty()).count(),
        2,
        "{text}"
    );
    assert!(text.contains(&person(1).name));
    // Vietnamese headers when asked.
    let vi = run(dir.path(), &["--lang", "vi", "export"], b"");
    assert!(String::from_utf8(vi.stdout).unwrap().contains("Mã bản ghi"));

    for (args, expected) in [
        (vec!["export", "--format", "pdf"], "use csv or xlsx"),
        (vec!["export", "--from", "yesterday"], "is not a date"),
    ] {
        let mut all = vec!["--lang", "en"];
        all.extend(args);
        let out = run(dir.path(), &all, b"");
        assert_exit(&out, 2);
        assert!(stderr(&out).contains(expected), "{}", stderr(&out));
    }
    let audit = open_data_dir(dir.path()).audit_log(10).unwrap();
    assert_eq!(audit.iter().filter(|e| e.action == "exported").count(), 3);
}

#[test]
fn purge_respects_the_sync_server_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let old = record_at(1, days_ago(30));
    let acked_old = record_at(2, days_ago(30));
    let recent = record_at(3, days_ago(2));
    seed(
        dir.path(),
        &[old.clone(), acked_old.clone(), recent.clone()],
    );
    open_data_dir(dir.path())
        .sync_mark(Mark::Acknowledged, &[acked_old.record_id], Utc::now())
        .unwrap();

    let with_server = || {
        let mut c = bin();
        c.env("CK_SYNC__SERVER", "https://hub.example:8443");
        c
    };
    let out = run_with(with_server(), dir.path(), &["--lang", "en", "purge"], b"");
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("Purged 1 declarations"), "{text}");
    assert!(text.contains("1 older records are kept"), "{text}");

    let out = run_with(
        with_server(),
        dir.path(),
        &["--lang", "en", "purge", "--force"],
        b"",
    );
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("Purged 1 declarations"),
        "{}",
        stdout(&out)
    );

    let store = open_data_dir(dir.path());
    assert!(store.declaration(&old.record_id).unwrap().is_none());
    assert!(store.declaration(&recent.record_id).unwrap().is_some());
    let purges = store
        .audit_log(20)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "purged" && e.actor == "operator")
        .count();
    assert_eq!(purges, 2);
}

/// A reader that stops early (`| head`) ends the command quietly, no panic.
#[test]
fn a_closed_output_pipe_is_not_a_panic() {
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    // Enough output to overflow a pipe buffer.
    let records: Vec<Record> = (0..600).map(record).collect();
    seed(dir.path(), &records);
    for args in [
        vec!["queue", "list", "--json"],
        vec!["queue", "list"],
        vec!["export"],
    ] {
        let mut child = bin()
            .arg("--data-dir")
            .arg(dir.path())
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
    }
}
