//! The hub's exports as people read them: the records received, taken apart
//! into the same columns the kiosk's staff exports use (checkpoint-export),
//! one sheet per kind: declarations, reports, follow-up steps. Row by row,
//! so the console can stream an export of any size.

use std::collections::HashMap;

use checkpoint_domain::declaration::Record;
use checkpoint_domain::declaration::report::ReportRecord;
use checkpoint_export::{Sheet, columns};
use checkpoint_i18n::{Lang, fl, t};
use checkpoint_wire::{FollowUp, RecordKind};
use uuid::Uuid;

use super::db::ExportRow;

/// The sheets, in workbook order (a row's sheet is its index here).
pub const SHEET_KINDS: [RecordKind; 3] = [
    RecordKind::Declaration,
    RecordKind::Report,
    RecordKind::FollowUp,
];

pub fn sheet_name(kind: RecordKind, lang: Lang) -> String {
    t(
        lang,
        match kind {
            RecordKind::Declaration => fl!("export-sheet-declarations"),
            RecordKind::Report => fl!("export-sheet-reports"),
            RecordKind::FollowUp => fl!("export-sheet-follow-ups"),
        },
    )
}

pub fn header_of(kind: RecordKind, lang: Lang) -> Vec<String> {
    match kind {
        RecordKind::Declaration => columns::declaration_header(lang),
        RecordKind::Report => columns::report_header(lang),
        RecordKind::FollowUp => columns::follow_up_header(lang),
    }
}

/// A record's sheet (index into [`SHEET_KINDS`]) and cells; `None` for a
/// body this version cannot read (logged). Each body is read once: a
/// flagged declaration is kept in `visitors`, and a follow-up step names its
/// visitor when `visitors` holds the declaration (read earlier).
pub fn cells(
    row: &ExportRow,
    lang: Lang,
    visitors: &mut HashMap<Uuid, Record>,
) -> Option<(usize, Vec<String>)> {
    let read = match RecordKind::parse(&row.kind) {
        Some(RecordKind::Declaration) => serde_json::from_str::<Record>(&row.body).ok().map(|r| {
            let cells = columns::declaration_row(lang, &r);
            if r.flagged {
                visitors.insert(r.record_id, r);
            }
            (0, cells)
        }),
        Some(RecordKind::Report) => serde_json::from_str::<ReportRecord>(&row.body)
            .ok()
            .map(|r| (1, columns::report_row(lang, &r))),
        Some(RecordKind::FollowUp) => serde_json::from_str::<FollowUp>(&row.body).ok().map(|s| {
            let visitor = visitors.get(&s.declaration_id);
            (2, columns::follow_up_row(lang, &s, visitor))
        }),
        None => None,
    };
    if read.is_none() {
        tracing::warn!(record = %row.id, kind = %row.kind, "record left out of the export: unreadable body");
    }
    read
}

/// The three sheets of `rows`, and how many rows could not be read (a body
/// the hub accepted but this version cannot parse: counted, never fatal).
pub fn sheets(rows: &[ExportRow], lang: Lang) -> (Vec<Sheet>, usize) {
    let mut out: Vec<Sheet> = SHEET_KINDS
        .iter()
        .map(|k| Sheet::new(&sheet_name(*k, lang), header_of(*k, lang)))
        .collect();
    let mut visitors = HashMap::new();
    let mut unreadable = 0;
    // Steps after the declarations, whatever the order of the rows.
    for row in rows
        .iter()
        .filter(|r| r.kind != RecordKind::FollowUp.as_str())
        .chain(
            rows.iter()
                .filter(|r| r.kind == RecordKind::FollowUp.as_str()),
        )
    {
        match cells(row, lang, &mut visitors) {
            Some((sheet, cells)) => out[sheet].rows.push(cells),
            None => unreadable += 1,
        }
    }
    (out, unreadable)
}

/// The raw export (`checkpoint-hub export --format raw`): each record as it
/// was received, its body as the kiosk sent it, one sheet for every kind.
pub const RAW_HEADER: [&str; 6] = [
    "id",
    "kiosk_id",
    "kind",
    "created_at",
    "received_at",
    "body",
];

/// Takes the rows by value: an archive's bodies are moved into the sheet,
/// not copied beside the rows they came from.
pub fn raw_sheet(rows: Vec<ExportRow>) -> Sheet {
    let mut sheet = Sheet::new("records", RAW_HEADER.map(String::from).to_vec());
    sheet.rows = rows
        .into_iter()
        .map(|r| {
            vec![
                r.id,
                r.kiosk_id,
                r.kind,
                r.created_at,
                r.received_at,
                r.body,
            ]
        })
        .collect();
    sheet
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_csv_starts_with_bom_and_header() {
        let rows = vec![ExportRow {
            checkpoint_id: None,
            id: "0190".into(),
            kiosk_id: "K1".into(),
            kind: "declaration".into(),
            created_at: "2025-01-01T00:00:00.000Z".into(),
            received_at: "2025-01-01T00:00:01.000Z".into(),
            body: "{\"full_name\":\"Nguyễn Văn A\"}".into(),
        }];
        let mut out = Vec::new();
        checkpoint_export::write_csv(&raw_sheet(rows), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("\u{feff}id,kiosk_id,kind,created_at,received_at,body\r\n"));
        assert!(text.contains("Nguyễn Văn A"));
        assert_eq!(text.lines().count(), 2);
    }
}
