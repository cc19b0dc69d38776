//! CSV export of declarations for staff spreadsheets: UTF-8 with a byte-order
//! mark (so spreadsheet programs show Vietnamese right), headers and answers
//! in the staff's language, times in local time.

use std::io::{self, Write};

use chrono::Local;

use super::Queued;
use checkpoint_domain::csv;
use checkpoint_domain::declaration::{Checklist, Contact, Declaration, Record};
use checkpoint_i18n::fl;
use checkpoint_i18n::{Lang, t};

pub use checkpoint_domain::csv::BOM;

fn line<W: Write>(out: &mut W, cells: &[String]) -> io::Result<()> {
    csv::line(out, cells.iter().map(String::as_str))
}

fn header(lang: Lang) -> Vec<String> {
    let mut h: Vec<String> = [
        fl!("store-csv-record-id"),
        fl!("store-csv-submitted"),
        fl!("store-csv-kiosk"),
        fl!("store-csv-flagged"),
        fl!("field-full_name"),
        fl!("field-document-kind"),
        fl!("field-document"),
        fl!("field-birth_year"),
        fl!("field-birth_date"),
        fl!("field-gender"),
        fl!("field-nationality"),
        fl!("field-phone"),
        fl!("field-province"),
        fl!("field-ward"),
        fl!("field-street"),
        fl!("field-address-printed"),
        fl!("field-declarant-name"),
        fl!("field-declarant-phone"),
        fl!("q-travel_14d"),
        fl!("field-travel-places"),
    ]
    .iter()
    .map(|id| t(lang, id))
    .collect();
    h.extend(Contact::ALL.iter().map(|q| t(lang, &q.text_id())));
    h.extend(
        [
            fl!("section-symptoms"),
            fl!("section-conditions"),
            fl!("field-vaccine-doses"),
            fl!("field-vaccine-last-dose"),
            fl!("store-csv-lang"),
            fl!("store-csv-state"),
        ]
        .iter()
        .map(|id| t(lang, id)),
    );
    h
}

fn yes_no(lang: Lang, v: Option<bool>) -> String {
    match v {
        Some(true) => t(lang, fl!("decl-yes")),
        Some(false) => t(lang, fl!("decl-no")),
        None => String::new(),
    }
}

fn checklist<T: Ord + Copy>(
    lang: Lang,
    list: &Checklist<T>,
    text_id: impl Fn(T) -> String,
    none_id: &str,
) -> String {
    if list.none {
        return t(lang, none_id);
    }
    list.selected
        .iter()
        .map(|item| t(lang, &text_id(*item)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn row(lang: Lang, q: &Queued<Record>) -> Vec<String> {
    let r = &q.record;
    let d: &Declaration = &r.declaration;
    let id = &d.identity;
    let declarant = d.on_behalf.clone().unwrap_or_default();
    let mut cells = vec![
        r.record_id.to_string(),
        r.submitted_at
            .with_timezone(&Local)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string(),
        r.kiosk_id.clone(),
        yes_no(lang, Some(r.flagged)),
        id.full_name.clone(),
        t(lang, &format!("doc-kind-{}", id.document.kind.key())),
        id.document.number.clone(),
        id.birth_year.map(|y| y.to_string()).unwrap_or_default(),
        id.birth_date.map(|d| d.to_string()).unwrap_or_default(),
        id.gender
            .map(|g| t(lang, &format!("gender-{}", g.key())))
            .unwrap_or_default(),
        id.nationality.clone(),
        id.phone.clone(),
        id.address.province.clone(),
        id.address.ward.clone(),
        id.address.street.clone(),
        id.address.printed.clone(),
        declarant.name,
        declarant.phone,
        yes_no(lang, d.travel.answer),
        d.travel.places.clone(),
    ];
    cells.extend(
        Contact::ALL
            .iter()
            .map(|q| yes_no(lang, d.contacts.get(q).copied())),
    );
    cells.extend([
        checklist(
            lang,
            &d.symptoms,
            |s| s.text_id(),
            fl!("decl-none-of-these"),
        ),
        checklist(
            lang,
            &d.conditions,
            |c| c.text_id(),
            fl!("decl-none-of-these-conditions"),
        ),
        d.vaccination
            .doses
            .map(|n| n.to_string())
            .unwrap_or_default(),
        d.vaccination
            .last_dose
            .map(|d| d.to_string())
            .unwrap_or_default(),
        d.lang.code().to_owned(),
        t(lang, &format!("store-state-{}", q.sync.state.key())),
    ]);
    cells
}

/// Writes the BOM and the header line.
pub fn write_header<W: Write>(lang: Lang, out: &mut W) -> io::Result<()> {
    out.write_all(BOM.as_bytes())?;
    line(out, &header(lang))
}

/// Writes one declaration as a line.
pub fn write_row<W: Write>(q: &Queued<Record>, lang: Lang, out: &mut W) -> io::Result<()> {
    line(out, &row(lang, q))
}

/// Writes the BOM, a header line and one line per declaration.
pub fn write_csv<W: Write>(records: &[Queued<Record>], lang: Lang, out: &mut W) -> io::Result<()> {
    write_header(lang, out)?;
    for q in records {
        write_row(q, lang, out)?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_rows_have_the_same_width() {
        let record = Record::new(
            Declaration::example(),
            "kiosk-test",
            chrono::Utc::now(),
            chrono::Utc::now(),
        );
        let q = Queued {
            record,
            sync: super::super::SyncInfo {
                state: super::super::SyncState::Pending,
                attempts: 0,
                last_error: None,
                last_attempt: None,
                stored_at: String::new(),
            },
        };
        for lang in Lang::ALL {
            assert_eq!(header(lang).len(), row(lang, &q).len());
        }
        let mut out = Vec::new();
        write_csv(&[q], Lang::Vi, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with(BOM));
        assert!(text.contains("NGUYỄN VĂN A"));
        assert_eq!(text.matches("\r\n").count(), 2);
    }
}
