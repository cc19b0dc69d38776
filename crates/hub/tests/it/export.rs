//! `checkpoint-hub export`: the records received, in the kiosk's columns.
//! An XLSX workbook read back with a spreadsheet reader (calamine): one
//! sheet per kind, one column per field, Vietnamese intact; a CSV of one
//! sheet; the raw archive format; an unreadable body counted, not fatal.

use std::path::Path;
use std::process::{Command, Output};

use calamine::{Reader, Xlsx, open_workbook};
use checkpoint_domain::declaration::report::{Report, ReportKind, ReportRecord};
use checkpoint_domain::declaration::{Declaration, Record};
use checkpoint_hub::db::NewRecord;
use checkpoint_hub::{DbTarget, HubDb};
use checkpoint_wire::{FollowUp, FollowUpState, RecordKind};
use chrono::Utc;
use uuid::Uuid;

fn hub(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_checkpoint-hub"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

fn record(id: Uuid, kind: RecordKind, body: String) -> NewRecord {
    NewRecord {
        id,
        kind,
        created_at: Utc::now(),
        body,
    }
}

/// A flagged visitor with a Vietnamese name, a report, a follow-up step and
/// one body this version cannot read, stored as kiosk K1 sent them.
async fn received(data: &Path) {
    let target = DbTarget::Sqlite {
        path: data.join("hub.db"),
        key_file: data.join("hub.db.key"),
    };
    let db = HubDb::open(&target).await.unwrap();
    let mut declaration = Declaration::example();
    declaration.identity.full_name = "TRẦN THỊ ÁNH".into();
    let mut visitor = Record::new(declaration, "K1", Utc::now(), Utc::now());
    visitor.flagged = true;
    let report = ReportRecord::new(
        Report {
            kinds: [ReportKind::SuspectedCase].into(),
            details: "Người ho và sốt ở chợ Đồng Xuân".into(),
            ..Report::default()
        },
        "K1",
        Utc::now(),
    );
    let step = FollowUp {
        declaration_id: visitor.record_id,
        state: FollowUpState::ReferredForTesting,
        by: "Lan".into(),
        at: Utc::now(),
        note: "Gửi đi xét nghiệm".into(),
    };
    let records = vec![
        record(visitor.record_id, RecordKind::Declaration, json(&visitor)),
        record(report.record_id, RecordKind::Report, json(&report)),
        record(Uuid::now_v7(), RecordKind::FollowUp, json(&step)),
        record(
            Uuid::now_v7(),
            RecordKind::Declaration,
            "{\"future\":1}".into(),
        ),
    ];
    let stored = db.insert("K1", records).await.unwrap();
    assert_eq!(stored, [true; 4]);
}

fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap()
}

#[tokio::test]
async fn an_xlsx_export_reads_back_one_column_per_field_in_vietnamese() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    received(data).await;
    let file = data.join("hub.xlsx");
    let out = hub(
        data,
        &[
            "--lang",
            "vi",
            "export",
            "--format",
            "xlsx",
            "--out",
            &file.display().to_string(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("1 bản ghi không đọc được"),
        "the unreadable body is counted"
    );

    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    let names = book.sheet_names();
    assert_eq!(names, ["Tờ khai", "Phản ánh", "Theo dõi"], "{names:?}");
    let declarations = book.worksheet_range(&names[0]).unwrap();
    let header: Vec<String> = declarations
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        header.len(),
        checkpoint_export::columns::declaration_header(checkpoint_i18n::Lang::Vi).len()
    );
    assert!(
        header.iter().any(|h| h == "Họ tên (ghi chữ IN HOA)"),
        "{header:?}"
    );
    let rows: Vec<Vec<String>> = declarations
        .rows()
        .skip(1)
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows.len(), 1, "the unreadable declaration is left out");
    assert!(rows[0].iter().any(|c| c == "TRẦN THỊ ÁNH"), "{:?}", rows[0]);
    assert!(rows[0].iter().any(|c| c == "001098012345"));

    let reports = book.worksheet_range(&names[1]).unwrap();
    assert_eq!(reports.height(), 2);
    let report_text: Vec<String> = reports
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(
        report_text
            .iter()
            .any(|c| c == "Người ho và sốt ở chợ Đồng Xuân"),
        "{report_text:?}"
    );

    let steps = book.worksheet_range(&names[2]).unwrap();
    let step: Vec<String> = steps
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(step[1], "TRẦN THỊ ÁNH", "the step names its visitor");
    assert!(step.iter().any(|c| c == "Lan") && step.iter().any(|c| c == "Gửi đi xét nghiệm"));
}

#[tokio::test]
async fn csv_sheets_raw_archives_and_xlsx_without_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    received(data).await;
    let text = |o: &Output| String::from_utf8_lossy(&o.stdout).into_owned();

    let csv = hub(data, &["--lang", "en", "export", "--sheet", "reports"]);
    assert!(csv.status.success());
    let csv = text(&csv);
    assert!(csv.starts_with('\u{feff}'));
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.contains("Người ho và sốt ở chợ Đồng Xuân"));

    let raw = text(&hub(data, &["export", "--format", "raw"]));
    assert!(raw.starts_with("\u{feff}id,kiosk_id,kind,created_at,received_at,body"));
    assert_eq!(raw.lines().count(), 5, "every record, readable or not");

    let no_file = hub(data, &["--lang", "en", "export", "--format", "xlsx"]);
    assert!(!no_file.status.success());
    assert!(String::from_utf8_lossy(&no_file.stderr).contains("--out"));
}
