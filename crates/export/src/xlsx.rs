//! XLSX through rust_xlsxwriter: one worksheet per sheet, a bold frozen
//! header, every cell written as text (an ID number stays "001098012345",
//! not 1.09E+12, and visitor-typed text is never read as a formula), except
//! times and dates in the columns' own form (`2026-12-05 10:30:00`,
//! `2026-12-05`), which are written as dates a spreadsheet can sort and
//! compute with. [`XlsxStream`] writes rows as they come, in constant
//! memory (rust_xlsxwriter's temporary files), for exports of any size.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError as Inner};

use super::Sheet;

/// Why a workbook could not be built.
#[derive(Debug, thiserror::Error)]
#[error("XLSX: {0}")]
pub struct XlsxError(#[from] Inner);

/// Excel's limit on a worksheet name.
const MAX_NAME: usize = 31;

/// The workbook's bytes, a worksheet per sheet in order.
pub fn write_xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(sheet_name(&sheet.name))?;
        for (c, title) in sheet.header.iter().enumerate() {
            ws.write_string_with_format(0, col(c), title, &bold)?;
        }
        let dates = DateFormats::new();
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            write_row(ws, r, row, &dates)?;
        }
        ws.set_freeze_panes(1, 0)?;
        ws.autofit();
    }
    Ok(book.save_to_buffer()?)
}

/// The formats dates and times are shown in.
struct DateFormats {
    date: Format,
    time: Format,
}

impl DateFormats {
    fn new() -> Self {
        Self {
            date: Format::new().set_num_format("dd/mm/yyyy"),
            time: Format::new().set_num_format("dd/mm/yyyy hh:mm:ss"),
        }
    }
}

/// `2026-12-05 10:30:00` or `2026-12-05`, exactly: the columns' own forms.
fn as_date(value: &str) -> Option<(ExcelDateTime, bool)> {
    let b = value.as_bytes();
    let digits = |range: std::ops::Range<usize>| b[range].iter().all(u8::is_ascii_digit);
    let date_shape = b.len() >= 10
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10);
    match b.len() {
        10 if date_shape => ExcelDateTime::parse_from_str(value)
            .ok()
            .map(|d| (d, false)),
        19 if date_shape
            && b[10] == b' '
            && digits(11..13)
            && b[13] == b':'
            && digits(14..16)
            && b[16] == b':'
            && digits(17..19) =>
        {
            ExcelDateTime::parse_from_str(value).ok().map(|d| (d, true))
        }
        _ => None,
    }
}

fn write_row(ws: &mut Worksheet, r: u32, row: &[String], dates: &DateFormats) -> Result<(), Inner> {
    for (c, value) in row.iter().enumerate() {
        match as_date(value) {
            Some((d, true)) => ws.write_datetime_with_format(r, col(c), &d, &dates.time)?,
            Some((d, false)) => ws.write_datetime_with_format(r, col(c), &d, &dates.date)?,
            None => ws.write_string(r, col(c), value)?,
        };
    }
    Ok(())
}

/// A workbook written row by row in constant memory: its sheets are fixed
/// at the start, rows go to temporary files, and the workbook is assembled
/// into `out` at the end.
pub struct XlsxStream {
    book: Workbook,
    sheets: Vec<(Worksheet, u32)>,
    dates: DateFormats,
}

impl std::fmt::Debug for XlsxStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XlsxStream")
            .field("sheets", &self.sheets.len())
            .finish_non_exhaustive()
    }
}

impl XlsxStream {
    /// One worksheet per `(name, header)`.
    pub fn new(sheets: &[(String, Vec<String>)]) -> Result<Self, XlsxError> {
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let mut out = Vec::with_capacity(sheets.len());
        for (name, header) in sheets {
            let mut ws = book.new_worksheet_with_constant_memory()?;
            ws.set_name(sheet_name(name))?;
            ws.set_freeze_panes(1, 0)?;
            for (c, title) in header.iter().enumerate() {
                ws.write_string_with_format(0, col(c), title, &bold)?;
                ws.set_column_width(col(c), 18)?;
            }
            out.push((ws, 1));
        }
        Ok(Self {
            book,
            sheets: out,
            dates: DateFormats::new(),
        })
    }

    /// Adds a row to sheet `sheet` (its index at [`XlsxStream::new`]).
    pub fn push(&mut self, sheet: usize, row: &[String]) -> Result<(), XlsxError> {
        if let Some((ws, next)) = self.sheets.get_mut(sheet) {
            write_row(ws, *next, row, &self.dates)?;
            *next = next.saturating_add(1);
        }
        Ok(())
    }

    /// Writes the workbook to `out`.
    pub fn finish<W: std::io::Write + std::io::Seek + Send>(
        mut self,
        out: W,
    ) -> Result<(), XlsxError> {
        for (ws, _) in self.sheets.drain(..) {
            self.book.push_worksheet(ws);
        }
        self.book.save_to_writer(out)?;
        Ok(())
    }
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// A worksheet name Excel accepts: no `[]:*?/\`, at most 31 characters.
fn sheet_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(MAX_NAME)
        .collect();
    if clean.trim().is_empty() {
        "sheet".to_owned()
    } else {
        clean
    }
}
