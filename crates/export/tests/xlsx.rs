//! The workbook read back as a spreadsheet program reads it (calamine).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use checkpoint_domain::declaration::{Declaration, Record};
use checkpoint_export::{Sheet, columns, write_xlsx};
use checkpoint_i18n::Lang;

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        // Times and dates are dates, the rest text.
        Data::DateTime(t) => excel_time(t.as_f64()),
        other => panic!("not written as text: {other:?}"),
    }
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

#[test]
fn one_column_per_field_with_the_vietnamese_text_intact() {
    let mut d = Declaration::example();
    d.identity.full_name = "NGUYỄN THỊ ÁNH".into();
    d.identity.document.number = "001098012345".into();
    d.identity.phone = "0912345678".into();
    d.identity.address.street = "=HYPERLINK(\"x\")".into();
    let now = chrono::Utc::now();
    let record = Record::new(d, "kiosk-test", now, now);
    for lang in Lang::ALL {
        let mut sheet = Sheet::new("Tờ khai", columns::declaration_header(lang));
        sheet.rows.push(columns::declaration_row(lang, &record));
        let bytes = write_xlsx(&[
            sheet.clone(),
            Sheet::new("Phản ánh", columns::report_header(lang)),
        ])
        .unwrap();
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        assert_eq!(book.sheet_names(), ["Tờ khai", "Phản ánh"]);
        let range = book.worksheet_range("Tờ khai").unwrap();
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0], sheet.header, "{lang:?}");
        assert_eq!(rows[1].len(), sheet.header.len());
        assert_eq!(rows[1], sheet.rows[0]);
        let at = |id: &str| {
            let title = checkpoint_i18n::t(lang, id);
            let i = rows[0].iter().position(|h| *h == title).unwrap();
            rows[1][i].clone()
        };
        assert_eq!(at("field-full_name"), "NGUYỄN THỊ ÁNH");
        // Text, not a number: the leading zero survives.
        assert_eq!(at("field-document"), "001098012345");
        assert_eq!(at("field-phone"), "0912345678");
        // The submission time is a date the spreadsheet can sort.
        let submitted = checkpoint_i18n::t(lang, "store-csv-submitted");
        let i = rows[0].iter().position(|h| *h == submitted).unwrap();
        assert!(matches!(range.get((1, i)), Some(Data::DateTime(_))));
        // Typed text is never a formula.
        assert!(rows[1].iter().any(|c| c == "=HYPERLINK(\"x\")"));
    }
}
