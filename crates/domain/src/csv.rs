//! Spreadsheet-safe CSV, the one implementation for every export (the
//! kiosk's declarations, the hub's records): UTF-8 with a byte-order mark
//! (so spreadsheet programs show Vietnamese right), RFC 4180 quoting, CRLF,
//! and cells that a spreadsheet would run as a formula defused.

use std::io::{self, Write};

/// The UTF-8 byte-order mark.
pub const BOM: &str = "\u{feff}";

/// One cell: quoted when needed, and defused when a spreadsheet would read it
/// as a formula (visitor-typed text must never run as one).
pub fn cell(value: &str) -> String {
    let defused = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

/// Writes one line of cells, CRLF-terminated (what RFC 4180 and
/// spreadsheet programs expect).
pub fn line<'a>(out: &mut impl Write, cells: impl IntoIterator<Item = &'a str>) -> io::Result<()> {
    let row: Vec<String> = cells.into_iter().map(cell).collect();
    write!(out, "{}\r\n", row.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+84912345678"), "'+84912345678");
        assert_eq!(cell("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(cell("{\"a\":1}"), "\"{\"\"a\"\":1}\"");
    }

    #[test]
    fn a_line_is_quoted_cells_and_crlf() {
        let mut out = Vec::new();
        line(&mut out, ["a", "b,c", "=1"]).unwrap();
        assert_eq!(out, b"a,\"b,c\",'=1\r\n");
    }
}
