//! CSV export of received records (UTF-8 with BOM, so spreadsheet programs
//! show Vietnamese right).

use std::io::Write;

use checkpoint_domain::csv::{BOM, line};

use super::db::ExportRow;

pub const HEADER: &[&str] = &[
    "id",
    "kiosk_id",
    "kind",
    "created_at",
    "received_at",
    "body",
];

pub fn write_csv(rows: &[ExportRow], out: &mut impl Write) -> std::io::Result<()> {
    out.write_all(BOM.as_bytes())?;
    line(out, HEADER.iter().copied())?;
    for r in rows {
        line(
            out,
            [
                r.id.as_str(),
                r.kiosk_id.as_str(),
                r.kind.as_str(),
                r.created_at.as_str(),
                r.received_at.as_str(),
                r.body.as_str(),
            ],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_with_bom_and_header() {
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
        write_csv(&rows, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("\u{feff}id,kiosk_id,kind,created_at,received_at,body\r\n"));
        assert!(text.contains("Nguyễn Văn A"));
        assert_eq!(text.lines().count(), 2);
    }
}
