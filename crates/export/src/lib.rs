//! Staff exports, built once for the kiosk and the hub: the columns of each
//! kind of record ([`columns`]) in the staff's language, and two writers,
//! CSV ([`write_csv`], one sheet per file) and XLSX ([`write_xlsx`], one
//! workbook with a sheet per kind). No GUI or storage here: callers hand
//! over records and a destination.

pub mod columns;
mod xlsx;

use std::io::{self, Write};

use checkpoint_domain::csv;

pub use xlsx::{XlsxError, XlsxStream, write_xlsx};

/// One table: a sheet of a workbook, or one CSV file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sheet {
    /// The sheet's name (also the CSV file's stem), e.g. "declarations".
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Sheet {
    pub fn new(name: &str, header: Vec<String>) -> Self {
        Self {
            name: name.to_owned(),
            header,
            rows: Vec::new(),
        }
    }
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

/// Writes a sheet as CSV: byte-order mark, header, one line per row.
pub fn write_csv(sheet: &Sheet, out: &mut impl Write) -> io::Result<()> {
    out.write_all(csv::BOM.as_bytes())?;
    csv::line(out, sheet.header.iter().map(String::as_str))?;
    for row in &sheet.rows {
        csv::line(out, row.iter().map(String::as_str))?;
    }
    out.flush()
}
