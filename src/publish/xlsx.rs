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
use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};
use std::io::Cursor;

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
    build(p).map_err(|e| PublishError::Xlsx {
        file: super::XLSX_FILE,
        detail: e.to_string(),
    })
}

fn build(p: &Publication<'_>) -> Result<Vec<u8>, XlsxError> {
    let last = p
        .amendments
        .iter()
        .map(|a| a.amended_at)
        .chain([p.sheet.drawn_at])
        .max()
        .unwrap_or(p.sheet.drawn_at);
    text_workbook(
        p.table_rows(),
        WORKSHEET,
        &format!("抽查结果 {}", p.sheet.draw_id),
        &p.sheet.plan.authority,
        last,
    )
}

/// A workbook of one worksheet whose every cell is a text cell, the first row bold and
/// frozen; `created` is its creation time (so the same table gives the same bytes).
pub(crate) fn text_workbook(
    table: impl IntoIterator<Item = Vec<String>>,
    worksheet: &str,
    title: &str,
    author: &str,
    created: crate::ceremony::Timestamp,
) -> Result<Vec<u8>, XlsxError> {
    let created = ExcelDateTime::from_timestamp(i64::try_from(created.unix()).unwrap_or(0))?;
    let mut book = Workbook::new();
    // The fastest deflate: the table is text that compresses well at any level, and a
    // workbook of a large draw is built in about two thirds of the time of the default level.
    book.set_zip_compression_level(1);
    book.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_author(author)
            .set_creation_datetime(&created),
    );
    let text = Format::new().set_num_format("@");
    let bold = Format::new().set_num_format("@").set_bold();
    let ws = book.add_worksheet();
    ws.set_name(worksheet)?;
    let mut widths: Vec<usize> = vec![];
    for (r, rec) in table.into_iter().enumerate() {
        let row = u32::try_from(r).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (c, cell) in rec.into_iter().enumerate() {
            let col = u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)?;
            if widths.len() <= c {
                widths.resize(c + 1, 0);
            }
            widths[c] = widths[c].max(display_width(&cell));
            // The cell's text is moved into the workbook, not copied.
            ws.write_string_with_format(row, col, cell, if r == 0 { &bold } else { &text })?;
        }
    }
    for (c, w) in widths.iter().enumerate() {
        let col = u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)?;
        // Column widths in characters, capped so long team lists wrap rather than sprawl.
        let w = u32::try_from((*w).clamp(8, 60) + 2).unwrap_or(62);
        ws.set_column_width(col, w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}

fn display_width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
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
pub fn read_cells(bytes: &[u8]) -> Result<Vec<Vec<Cell>>, ReadError> {
    let unreadable = |e: calamine::XlsxError| ReadError::Workbook {
        detail: e.to_string(),
    };
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(ReadError::NoWorksheet)?
        .map_err(unreadable)?;
    let Some((r0, c0)) = range.start() else {
        return Ok(vec![]);
    };
    let (r0, c0) = (r0 as usize, c0 as usize);
    let mut out: Vec<Vec<Cell>> = vec![vec![]; r0];
    for row in range.rows() {
        let mut cells = vec![Cell::Text(String::new()); c0];
        cells.extend(row.iter().map(|d| match d {
            Data::String(s) => Cell::Text(s.clone()),
            Data::Empty => Cell::Text(String::new()),
            other => Cell::Other(other.to_string()),
        }));
        while matches!(cells.last(), Some(Cell::Text(s)) if s.is_empty()) {
            cells.pop();
        }
        out.push(cells);
    }
    while out.last().is_some_and(Vec::is_empty) {
        out.pop();
    }
    Ok(out)
}
