//! `export` as staff run it: an XLSX workbook or CSV files of every kind
//! into a folder (a USB stick), read back as a spreadsheet program would.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::store_support::*;

use calamine::{Data, Reader, Xlsx};
use checkpoint_domain::declaration::report::{Report, ReportKind, ReportRecord};
use checkpoint_domain::declaration::{Contact, Record};
use checkpoint_store::Actor;
use checkpoint_wire::{FollowUp, FollowUpState};
use chrono::Utc;

/// A data folder with a flagged visitor (followed up), a green one and a report.
fn filled() -> (tempfile::TempDir, Record) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_data_dir(dir.path());
    let mut d = declaration_of(&person(1));
    d.identity.full_name = "NGUYỄN THỊ ÁNH".into();
    d.contacts.insert(Contact::ALL[0], true);
    let flagged = Record::new(d, store.kiosk_id(), Utc::now(), Utc::now());
    let green = Record::new(
        declaration_of(&person(2)),
        store.kiosk_id(),
        Utc::now(),
        Utc::now(),
    );
    store
        .insert_declarations(&[flagged.clone(), green], Actor::Visitor)
        .unwrap();
    let report = Report {
        kinds: [ReportKind::SuspectedCase].into(),
        details: "Có người sốt ở chợ Đồng Xuân".into(),
        ..Report::default()
    };
    store
        .insert_report(
            &ReportRecord::new(report, store.kiosk_id(), Utc::now()),
            Actor::Visitor,
        )
        .unwrap();
    store
        .record_follow_up(
            &FollowUp {
                declaration_id: flagged.record_id,
                state: FollowUpState::Contacted,
                by: "Lan".into(),
                at: Utc::now(),
                note: "Đã gọi điện".into(),
            },
            Actor::Staff,
        )
        .unwrap();
    (dir, flagged)
}

/// A date cell back in the columns' own text form (days since 1899-12-30).
fn excel_time(serial: f64) -> String {
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let t = base + chrono::Duration::seconds((serial * 86_400.0).round() as i64);
    if serial.fract() == 0.0 {
        t.format("%Y-%m-%d").to_string()
    } else {
        t.format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

fn sheet(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> Vec<Vec<String>> {
    book.worksheet_range(name)
        .unwrap()
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    Data::DateTime(t) => excel_time(t.as_f64()),
                    other => panic!("not text: {other:?}"),
                })
                .collect()
        })
        .collect()
}

#[test]
fn an_xlsx_export_holds_every_kind_with_its_vietnamese_text() {
    let (dir, flagged) = filled();
    let usb = tempfile::tempdir().unwrap();
    let today = Utc::now()
        .with_timezone(&chrono::Local)
        .format("%Y-%m-%d")
        .to_string();
    let out = run(
        dir.path(),
        &[
            "--lang",
            "vi",
            "export",
            "--format",
            "xlsx",
            "--from",
            &today,
            "--to",
            &today,
            "--output-dir",
            usb.path().to_str().unwrap(),
        ],
        b"",
    );
    assert_exit(&out, 0);
    let path = stdout(&out).trim().to_owned();
    assert!(
        path.ends_with(".xlsx") && path.starts_with(usb.path().to_str().unwrap()),
        "{path}"
    );
    assert!(stderr(&out).contains("Đã xuất 2 tờ khai, 1 phản ánh và 1 bước theo dõi."));
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), ["Tờ khai", "Phản ánh", "Theo dõi"]);

    let declarations = sheet(&mut book, "Tờ khai");
    assert_eq!(declarations.len(), 3);
    let width = declarations[0].len();
    assert!(
        declarations.iter().all(|r| r.len() == width),
        "one column per field"
    );
    let name = declarations[0]
        .iter()
        .position(|h| h == "Họ tên (ghi chữ IN HOA)")
        .unwrap();
    assert_eq!(declarations[1][name], "NGUYỄN THỊ ÁNH");

    let reports = sheet(&mut book, "Phản ánh");
    assert_eq!(reports.len(), 2);
    assert!(reports[1].contains(&"Có người sốt ở chợ Đồng Xuân".to_owned()));

    let steps = sheet(&mut book, "Theo dõi");
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[1][0], flagged.record_id.to_string());
    assert_eq!(
        &steps[1][1..5],
        ["NGUYỄN THỊ ÁNH", &person(1).phone, "Đã liên hệ", "Lan"]
    );
    assert_eq!(steps[1][6], "Đã gọi điện");

    // Audited, with the counts and no personal data.
    let audit = open_data_dir(dir.path()).audit_log(5).unwrap();
    let entry = audit.iter().find(|a| a.action == "exported").unwrap();
    assert!(
        entry.detail.contains("\"declarations\":2"),
        "{}",
        entry.detail
    );
    assert!(!entry.detail.contains("ÁNH"));
}

#[test]
fn a_csv_export_to_a_folder_writes_a_file_per_kind() {
    let (dir, _) = filled();
    let usb = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &[
            "--lang",
            "en",
            "export",
            "--output-dir",
            usb.path().to_str().unwrap(),
        ],
        b"",
    );
    assert_exit(&out, 0);
    let files: Vec<String> = stdout(&out).lines().map(str::to_owned).collect();
    assert_eq!(files.len(), 3);
    let text = |i: usize| std::fs::read_to_string(&files[i]).unwrap();
    assert!(files[0].ends_with("-declarations.csv") && text(0).contains("NGUYỄN THỊ ÁNH"));
    assert!(files[1].ends_with("-reports.csv") && text(1).contains("Đồng Xuân"));
    assert!(files[2].ends_with("-follow-ups.csv") && text(2).contains("Contacted"));
    // No half files left beside them.
    assert_eq!(std::fs::read_dir(usb.path()).unwrap().count(), 3);
}

#[test]
fn an_unknown_format_or_a_missing_folder_is_refused_plainly() {
    let (dir, _) = filled();
    let out = run(
        dir.path(),
        &["--lang", "en", "export", "--format", "pdf"],
        b"",
    );
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("use csv or xlsx"), "{}", stderr(&out));
    let gone = dir.path().join("no-such-stick");
    let out = run(
        dir.path(),
        &[
            "--lang",
            "en",
            "export",
            "--format",
            "xlsx",
            "--output-dir",
            gone.to_str().unwrap(),
        ],
        b"",
    );
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("Cannot write the file"),
        "{}",
        stderr(&out)
    );
}
