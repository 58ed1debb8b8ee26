//! `sheet.xlsx`: the publication table as a workbook whose every cell is a text cell.
//!
//! Opened from a CSV, a spreadsheet reads an 18-digit credit code as a number, shows
//! `9.15201037932918E+017` and loses digits when the file is saved. Here every cell is
//! written as text with the text number format (`@`), so codes, and cells starting with
//! `=`, stay exactly as they are, and a cell edited later stays text. The cells are those of
//! [`Publication::table`], unchanged.
//!
//! The workbook's creation time is the time of the last signed document (the draw or its
//! last amendment), so the same documents give the same workbook.

use super::{Publication, PublishError};
use calamine::{Data, DataRef, Reader, Xlsx};
use std::io::Cursor;

#[cfg(test)]
mod tests;
mod write;

pub use write::WriteError;

/// The worksheet's name.
pub const WORKSHEET: &str = "抽查结果";

/// The workbook bytes of the publication table.
///
/// ```
/// # use double_random::publish::{Publication, xlsx};
/// # let (ann, sheet) = double_random::internals::example_documents()?;
/// let p = Publication::new(&ann, &sheet, &[], None)?;
/// let bytes = xlsx::sheet_xlsx(&p)?;
/// let cells = xlsx::read_cells(&bytes)?;
/// assert_eq!(cells[0][7], xlsx::Cell::Text("统一社会信用代码".into()));
/// assert_eq!(cells.len(), sheet.entities.len() + 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sheet_xlsx(p: &Publication<'_>) -> Result<Vec<u8>, PublishError> {
    let title = sheet_title(p);
    write::text_workbook(p.table_rows(), &sheet_properties(p, &title)).map_err(|source| {
        PublishError::Xlsx {
            file: super::XLSX_FILE,
            source,
        }
    })
}

/// [`sheet_xlsx`] of the publication's table made already ([`Publication::table`]).
#[cfg_attr(
    any(not(feature = "xlsx"), target_family = "wasm"),
    expect(
        dead_code,
        reason = "only a native build with workbooks compares a workbook's bytes"
    )
)]
pub(crate) fn sheet_xlsx_of<R: AsRef<[S]>, S: AsRef<str>>(
    p: &Publication<'_>,
    table: &[R],
) -> Result<Vec<u8>, PublishError> {
    let title = sheet_title(p);
    write::text_workbook_of(table, &sheet_properties(p, &title)).map_err(|source| {
        PublishError::Xlsx {
            file: super::XLSX_FILE,
            source,
        }
    })
}

fn sheet_title(p: &Publication<'_>) -> String {
    format!("抽查结果 {}", p.sheet.draw_id)
}

/// The workbook's properties: created at the last signed document (the draw or its last
/// amendment).
fn sheet_properties<'a>(p: &'a Publication<'_>, title: &'a str) -> write::Properties<'a> {
    let last = p
        .amendments
        .iter()
        .map(|a| a.amended_at)
        .chain([p.sheet.drawn_at])
        .max()
        .unwrap_or(p.sheet.drawn_at);
    write::Properties {
        worksheet: WORKSHEET,
        title,
        author: &p.sheet.plan.authority,
        created: last,
    }
}

/// A workbook of one worksheet named `worksheet` whose every cell is a text cell, the first
/// row bold and frozen; `created` is its creation time (so the same table gives the same
/// bytes).
pub(crate) fn text_workbook(
    table: &[Vec<String>],
    worksheet: &str,
    title: &str,
    author: &str,
    created: crate::ceremony::Timestamp,
) -> Result<Vec<u8>, WriteError> {
    write::text_workbook_of(
        table,
        &write::Properties {
            worksheet,
            title,
            author,
            created,
        },
    )
}

fn display_width(s: &str) -> usize {
    // A character is one ASCII byte (width 1) or a lead byte (0xC0 and above, width 2)
    // followed by continuation bytes (width 0).
    s.bytes()
        .map(|b| match b {
            0..0x80 => 1,
            0x80..0xC0 => 0,
            _ => 2,
        })
        .sum()
}

/// A cell of a workbook as read back.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// A text cell (also what an empty cell reads as: empty text).
    Text(String),
    /// Any other cell (number, date, boolean, error), as the spreadsheet would show its value.
    Other(String),
}

impl Cell {
    /// The cell's text.
    pub fn text(&self) -> &str {
        match self {
            Cell::Text(s) | Cell::Other(s) => s,
        }
    }
}

/// Why a workbook could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// Not a workbook calamine can open.
    #[error("not a readable workbook: {detail}")]
    Workbook {
        /// The reader's description.
        detail: String,
    },
    /// The workbook has no worksheet.
    #[error("the workbook has no worksheet")]
    NoWorksheet,
}

/// The cells of the first worksheet of a workbook, by row from A1 (rows and columns before
/// the first used cell are kept as empty cells, so indexes are positions on the sheet).
///
/// A published workbook may come from anyone, so it is read as a roster workbook is: every
/// part inflated and scanned under [`XlsxLimits::DEFAULT`](crate::formats::xlsx::XlsxLimits)
/// first, then the worksheet read cell by cell (never as one rectangle), each cell within
/// the limits' rows and columns, and the positions held (cells and the empty ones before
/// them) within the limits' cells.
pub fn read_cells(bytes: &[u8]) -> Result<Vec<Vec<Cell>>, ReadError> {
    use crate::formats::xlsx::XlsxLimits;
    let limits = XlsxLimits::DEFAULT;
    crate::formats::xlsx::check_parts(Cursor::new(bytes), &limits).map_err(|kind| {
        ReadError::Workbook {
            detail: kind.to_string(),
        }
    })?;
    let unreadable = |e: calamine::XlsxError| ReadError::Workbook {
        detail: e.to_string(),
    };
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let first = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or(ReadError::NoWorksheet)?;
    let mut reader = book.worksheet_cells_reader(&first).map_err(unreadable)?;
    let mut out: Vec<Vec<Cell>> = vec![];
    let mut held = 0u64;
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        if u64::from(r) >= limits.rows || u64::from(c) >= limits.columns {
            return Err(ReadError::Workbook {
                detail: format!(
                    "a cell at row {} and column {} is past the {} rows and {} columns read",
                    u64::from(r) + 1,
                    u64::from(c) + 1,
                    limits.rows,
                    limits.columns
                ),
            });
        }
        let (r, c) = (r as usize, c as usize);
        // Every position up to a cell is held (as an empty cell if need be): their number is
        // bounded as a roster workbook's cells are.
        let grows = (r + 1).saturating_sub(out.len())
            + (c + 1).saturating_sub(out.get(r).map_or(0, Vec::len));
        held += grows as u64;
        if held > limits.cells {
            return Err(ReadError::Workbook {
                detail: format!(
                    "more than {} cells up to row {} and column {}",
                    limits.cells,
                    r + 1,
                    c + 1
                ),
            });
        }
        let value = match cell.get_value() {
            DataRef::String(s) => Cell::Text(s.clone()),
            DataRef::SharedString(s) => Cell::Text((*s).to_owned()),
            DataRef::Empty => Cell::Text(String::new()),
            other => Cell::Other(Data::from(other.clone()).to_string()),
        };
        if out.len() <= r {
            out.resize(r + 1, vec![]);
        }
        let row = &mut out[r];
        if row.len() <= c {
            row.resize(c + 1, Cell::Text(String::new()));
        }
        row[c] = value;
    }
    for row in &mut out {
        while matches!(row.last(), Some(Cell::Text(s)) if s.is_empty()) {
            row.pop();
        }
    }
    while out.last().is_some_and(Vec::is_empty) {
        out.pop();
    }
    Ok(out)
}
