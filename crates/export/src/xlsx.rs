//! XLSX through rust_xlsxwriter: one worksheet per sheet, a bold frozen
//! header, every cell written as text (an ID number stays "001098012345",
//! not 1.09E+12, and visitor-typed text is never read as a formula).

use rust_xlsxwriter::{Format, Workbook, XlsxError as Inner};

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
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (c, value) in row.iter().enumerate() {
                ws.write_string(r, col(c), value)?;
            }
        }
        ws.set_freeze_panes(1, 0)?;
        ws.autofit();
    }
    Ok(book.save_to_buffer()?)
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
