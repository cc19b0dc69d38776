//! The kiosk's CSV export of declarations: the shared columns
//! (`checkpoint_export::columns`) plus where each record is on its way to
//! the hub, which only the kiosk knows.

use std::io::{self, Write};

use super::Queued;
use checkpoint_domain::csv;
use checkpoint_domain::declaration::Record;
use checkpoint_export::columns;
use checkpoint_i18n::{Lang, fl, t};

pub use checkpoint_domain::csv::BOM;

fn header(lang: Lang) -> Vec<String> {
    let mut h = columns::declaration_header(lang);
    h.push(t(lang, fl!("store-csv-state")));
    h
}

/// A declaration's cells with its sync state last.
pub fn row(lang: Lang, q: &Queued<Record>) -> Vec<String> {
    let mut cells = columns::declaration_row(lang, &q.record);
    cells.push(state(lang, q));
    cells
}

/// The sync state, in words.
pub fn state<T>(lang: Lang, q: &Queued<T>) -> String {
    t(lang, &format!("store-state-{}", q.sync.state.key()))
}

/// The header with the sync state last.
pub fn declaration_header(lang: Lang) -> Vec<String> {
    header(lang)
}

/// Writes the BOM and the header line.
pub fn write_header<W: Write>(lang: Lang, out: &mut W) -> io::Result<()> {
    out.write_all(BOM.as_bytes())?;
    csv::line(out, header(lang).iter().map(String::as_str))
}

/// Writes one declaration as a line.
pub fn write_row<W: Write>(q: &Queued<Record>, lang: Lang, out: &mut W) -> io::Result<()> {
    csv::line(out, row(lang, q).iter().map(String::as_str))
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
    use checkpoint_domain::declaration::Declaration;

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
                state: super::super::DeliveryState::Pending,
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
