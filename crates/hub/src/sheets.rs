//! The hub's exports as people read them: the records received, taken apart
//! into the same columns the kiosk's staff exports use (checkpoint-export),
//! one sheet per kind: declarations, reports, follow-up steps.

use std::collections::HashMap;

use checkpoint_domain::declaration::Record;
use checkpoint_domain::declaration::report::ReportRecord;
use checkpoint_export::{Sheet, columns};
use checkpoint_i18n::{Lang, fl, t};
use checkpoint_wire::{FollowUp, RecordKind};
use uuid::Uuid;

use super::db::ExportRow;

/// The three sheets of `rows`, and how many rows could not be read (a body
/// the hub accepted but this version cannot parse: counted, never fatal).
pub fn sheets(rows: &[ExportRow], lang: Lang) -> (Vec<Sheet>, usize) {
    let mut declarations = Sheet::new(
        &t(lang, fl!("export-sheet-declarations")),
        columns::declaration_header(lang),
    );
    let mut reports = Sheet::new(
        &t(lang, fl!("export-sheet-reports")),
        columns::report_header(lang),
    );
    let mut steps = Sheet::new(
        &t(lang, fl!("export-sheet-follow-ups")),
        columns::follow_up_header(lang),
    );
    let mut unreadable = 0;
    let mut visitors: HashMap<Uuid, Record> = HashMap::new();
    let mut pending: Vec<FollowUp> = Vec::new();
    for row in rows {
        let read = match RecordKind::parse(&row.kind) {
            Some(RecordKind::Declaration) => serde_json::from_str::<Record>(&row.body)
                .map(|r| {
                    declarations.rows.push(columns::declaration_row(lang, &r));
                    if r.flagged {
                        visitors.insert(r.record_id, r);
                    }
                })
                .is_ok(),
            Some(RecordKind::Report) => serde_json::from_str::<ReportRecord>(&row.body)
                .map(|r| reports.rows.push(columns::report_row(lang, &r)))
                .is_ok(),
            Some(RecordKind::FollowUp) => serde_json::from_str::<FollowUp>(&row.body)
                .map(|s| pending.push(s))
                .is_ok(),
            None => false,
        };
        if !read {
            tracing::warn!(record = %row.id, kind = %row.kind, "record left out of the export: unreadable body");
            unreadable += 1;
        }
    }
    for step in &pending {
        steps.rows.push(columns::follow_up_row(
            lang,
            step,
            visitors.get(&step.declaration_id),
        ));
    }
    (vec![declarations, reports, steps], unreadable)
}
