//! Roster tables straight from .xlsx workbooks (feature `xlsx`).
//!
//! Small offices keep their rosters in Excel; reading the workbook avoids an export step and
//! its encoding questions. The first worksheet is read, row 1 is the header, and the same
//! column and row rules as for CSV apply ([`super::roster`]), so a workbook and its CSV export
//! give the same rows and the same fingerprint. Line numbers are worksheet row numbers.
//!
//! Cells become text as a person reads them: strings as they are; whole numbers without `.0`;
//! dates as `YYYY-MM-DD`; `TRUE`/`FALSE` as `true`/`false`. A number in a code column that has
//! 16 or more digits has lost digits already (a spreadsheet number keeps 15), and a number in the
//! industry column may have lost its leading zero: both are errors that tell the user to format
//! the column as Text.
//!
//! The workbook is read whole into memory by `calamine`; for very large rosters export CSV and
//! use [`super::roster_csv::for_each_entity`].
//!
//! ```no_run
//! use double_random::formats::xlsx::read_entities_xlsx;
//!
//! let roster = read_entities_xlsx("entities.xlsx")?;
//! println!("{} entities, fingerprint {}", roster.rows.len(), roster.digest()?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::borrow::Cow;
use std::io::{Read, Seek};
use std::path::Path;

use calamine::{Data, Reader, Xlsx};

use super::error::{InputErrorKind, InputErrors};
use super::roster::{Driver, Encoding, Roster, Row};
use crate::model::{Conflict, Entity, HistoryRecord, Inspector, Item};
use crate::normalize;

/// Reads an entity roster from the first worksheet of an .xlsx workbook.
///
/// Errors name the file by its last path component and the worksheet row.
///
/// # Errors
///
/// Every problem in the workbook (see [`InputErrors`]).
///
/// ```
/// use double_random::formats::xlsx::read_entities_xlsx;
///
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("entities.xlsx");
/// std::fs::write(&path, b"not a workbook")?;
/// let err = read_entities_xlsx(&path).unwrap_err();
/// assert!(err.to_string().starts_with("entities.xlsx: the workbook could not be read"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_entities_xlsx(path: impl AsRef<Path>) -> Result<Roster<Entity>, InputErrors> {
    read_path(path.as_ref())
}

/// Reads an inspector roster from the first worksheet of an .xlsx workbook.
///
/// # Errors
///
/// Every problem in the workbook (see [`InputErrors`]).
///
/// ```
/// use double_random::formats::xlsx::read_inspectors_xlsx;
/// assert!(read_inspectors_xlsx("/nonexistent/inspectors.xlsx").is_err());
/// ```
pub fn read_inspectors_xlsx(path: impl AsRef<Path>) -> Result<Roster<Inspector>, InputErrors> {
    read_path(path.as_ref())
}

/// Reads the item list from the first worksheet of an .xlsx workbook.
///
/// # Errors
///
/// Every problem in the workbook (see [`InputErrors`]).
///
/// ```
/// use double_random::formats::xlsx::read_items_xlsx;
/// assert!(read_items_xlsx("/nonexistent/items.xlsx").is_err());
/// ```
pub fn read_items_xlsx(path: impl AsRef<Path>) -> Result<Roster<Item>, InputErrors> {
    read_path(path.as_ref())
}

/// Reads declared conflicts from the first worksheet of an .xlsx workbook.
///
/// # Errors
///
/// Every problem in the workbook (see [`InputErrors`]).
///
/// ```
/// use double_random::formats::xlsx::read_conflicts_xlsx;
/// assert!(read_conflicts_xlsx("/nonexistent/conflicts.xlsx").is_err());
/// ```
pub fn read_conflicts_xlsx(path: impl AsRef<Path>) -> Result<Roster<Conflict>, InputErrors> {
    read_path(path.as_ref())
}

/// Reads past inspections from the first worksheet of an .xlsx workbook.
///
/// Date cells are read as dates; text dates follow the CSV rules.
///
/// # Errors
///
/// Every problem in the workbook (see [`InputErrors`]).
///
/// ```
/// use double_random::formats::xlsx::read_history_xlsx;
/// assert!(read_history_xlsx("/nonexistent/history.xlsx").is_err());
/// ```
pub fn read_history_xlsx(path: impl AsRef<Path>) -> Result<Roster<HistoryRecord>, InputErrors> {
    read_path(path.as_ref())
}

fn read_path<T: Row>(path: &Path) -> Result<Roster<T>, InputErrors> {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    match std::fs::File::open(path) {
        Ok(f) => read_workbook(&name, std::io::BufReader::new(f)),
        Err(e) => Err(InputErrors::io(&name, &e)),
    }
}

/// 2^53: below it every whole number is exactly representable.
const EXACT_LIMIT: f64 = 9_007_199_254_740_992.0;

/// What a column needs from its cells.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ColumnUse {
    Text,
    Code,
    Industry,
}

/// A whole number as text, or the number's shortest decimal form.
fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < EXACT_LIMIT {
        // Exact: |f| < 2^53 and whole.
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Converts one cell to text for a column of the given use.
fn cell_text(cell: &Data, usage: ColumnUse) -> Result<Cow<'_, str>, InputErrorKind> {
    let number = |f: f64| -> Result<Cow<'_, str>, InputErrorKind> {
        let text = number_text(f);
        match usage {
            ColumnUse::Code if f.abs() >= 1e15 => {
                Err(InputErrorKind::NumberInCodeColumn { value: text })
            }
            ColumnUse::Industry => {
                let digits = text.bytes().filter(u8::is_ascii_digit).count();
                if text.bytes().all(|b| b.is_ascii_digit()) && (digits == 2 || digits == 4) {
                    Ok(Cow::Owned(text))
                } else {
                    Err(InputErrorKind::IndustryNumber { value: text })
                }
            }
            _ => Ok(Cow::Owned(text)),
        }
    };
    match cell {
        Data::Empty => Ok(Cow::Borrowed("")),
        Data::String(s) => Ok(Cow::Borrowed(s.as_str())),
        Data::Int(i) => {
            if usage == ColumnUse::Code && i.unsigned_abs() >= 1_000_000_000_000_000 {
                return Err(InputErrorKind::NumberInCodeColumn {
                    value: i.to_string(),
                });
            }
            if usage == ColumnUse::Industry {
                return number(*i as f64);
            }
            Ok(Cow::Owned(i.to_string()))
        }
        Data::Float(f) => number(*f),
        Data::Bool(b) => Ok(Cow::Borrowed(if *b { "true" } else { "false" })),
        Data::DateTime(dt) => {
            if dt.is_datetime() {
                let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
                if (h, mi, s, ms) == (0, 0, 0, 0) {
                    Ok(Cow::Owned(format!("{y:04}-{mo:02}-{d:02}")))
                } else {
                    Ok(Cow::Owned(format!(
                        "{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}"
                    )))
                }
            } else {
                Ok(Cow::Owned(number_text(dt.as_f64())))
            }
        }
        Data::DateTimeIso(s) => Ok(Cow::Borrowed(
            s.strip_suffix("T00:00:00").unwrap_or(s.as_str()),
        )),
        Data::DurationIso(s) => Ok(Cow::Borrowed(s.as_str())),
        Data::Error(e) => Err(InputErrorKind::CellError {
            value: e.to_string(),
        }),
    }
}

/// Reads a table from the first worksheet of a workbook.
fn read_workbook<T: Row, RS: Read + Seek>(
    file_name: &str,
    rs: RS,
) -> Result<Roster<T>, InputErrors> {
    let mut driver = Driver::<T>::new(file_name, false);
    let workbook_error = |message: String| InputErrorKind::Workbook { message };
    let mut workbook: Xlsx<RS> = match calamine::open_workbook_from_rs(rs) {
        Ok(w) => w,
        Err(e) => {
            driver.sink.error(0, None, workbook_error(e.to_string()));
            return Err(driver.sink.take_errors());
        }
    };
    let range = match workbook.worksheet_range_at(0) {
        None => {
            driver.sink.error(0, None, InputErrorKind::NoWorksheet);
            return Err(driver.sink.take_errors());
        }
        Some(Err(e)) => {
            driver.sink.error(0, None, workbook_error(e.to_string()));
            return Err(driver.sink.take_errors());
        }
        Some(Ok(r)) => r,
    };
    let mut rows_out = Vec::new();
    let mut lines = Vec::new();
    if let Some((first_row, first_col)) = range.start() {
        let first_col = first_col as usize;
        let mut header_seen = false;
        for (ri, row) in range.rows().enumerate() {
            let line = u64::from(first_row) + ri as u64 + 1;
            let mut uses: Vec<ColumnUse> = Vec::new();
            if let Some(map) = driver.header_map() {
                uses = (0..first_col + row.len())
                    .map(|col| match map.field_of_column(col) {
                        Some(fi) => {
                            let c = &T::TABLE.columns()[fi];
                            if c.name == "industry" {
                                ColumnUse::Industry
                            } else if c.code {
                                ColumnUse::Code
                            } else {
                                ColumnUse::Text
                            }
                        }
                        None => ColumnUse::Text,
                    })
                    .collect();
            }
            let mut cells: Vec<Cow<'_, str>> = vec![Cow::Borrowed(""); first_col];
            let mut pre = Vec::new();
            for (ci, cell) in row.iter().enumerate() {
                let col = first_col + ci;
                let usage = uses.get(col).copied().unwrap_or(ColumnUse::Text);
                match cell_text(cell, usage) {
                    Ok(t) => cells.push(t),
                    Err(kind) => {
                        pre.push((col, kind));
                        cells.push(Cow::Borrowed(""));
                    }
                }
            }
            if pre.is_empty() && cells.iter().all(|c| normalize::trim(c).is_empty()) {
                continue;
            }
            if !header_seen {
                header_seen = true;
                if line != 1 {
                    driver
                        .sink
                        .error(line, None, InputErrorKind::HeaderNotInFirstRow);
                    break;
                }
                for (_, kind) in pre {
                    driver.sink.error(line, None, kind);
                }
                if driver.has_errors() || !driver.header(&cells, line) {
                    break;
                }
                continue;
            }
            if let Some(r) = driver.row(&cells, line, pre) {
                rows_out.push(r);
                lines.push(line);
            }
        }
    }
    let finished = driver.finish()?;
    Ok(Roster {
        table: T::TABLE,
        rows: rows_out,
        lines,
        warnings: finished.warnings,
        warnings_omitted: finished.warnings_omitted,
        encoding: Encoding::Xlsx,
        header_language: finished.header_language,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_become_text_as_people_read_them() {
        let t = |d: Data, u: ColumnUse| cell_text(&d, u).map(|c| c.into_owned());
        assert_eq!(t(Data::Float(520102.0), ColumnUse::Code).unwrap(), "520102");
        assert_eq!(t(Data::Float(-3.0), ColumnUse::Text).unwrap(), "-3");
        assert_eq!(t(Data::Float(2.5), ColumnUse::Text).unwrap(), "2.5");
        assert_eq!(
            t(Data::Float(110108000000016.0), ColumnUse::Code).unwrap(),
            "110108000000016"
        );
        assert!(matches!(
            t(Data::Float(9.13501e17), ColumnUse::Code),
            Err(InputErrorKind::NumberInCodeColumn { .. })
        ));
        assert_eq!(
            t(Data::Float(9.13501e17), ColumnUse::Text).unwrap(),
            "913501000000000000"
        );
        assert!(matches!(
            t(Data::Int(1_000_000_000_000_000), ColumnUse::Code),
            Err(InputErrorKind::NumberInCodeColumn { .. })
        ));
        assert_eq!(t(Data::Int(42), ColumnUse::Code).unwrap(), "42");
        assert_eq!(t(Data::Float(1311.0), ColumnUse::Industry).unwrap(), "1311");
        assert_eq!(t(Data::Float(13.0), ColumnUse::Industry).unwrap(), "13");
        assert!(t(Data::Float(111.0), ColumnUse::Industry).is_err());
        assert!(t(Data::Int(5), ColumnUse::Industry).is_err());
        assert!(t(Data::Float(f64::NAN), ColumnUse::Industry).is_err());
        assert_eq!(
            t(Data::Float(f64::INFINITY), ColumnUse::Text).unwrap(),
            "inf"
        );
        assert_eq!(t(Data::Bool(true), ColumnUse::Text).unwrap(), "true");
        assert_eq!(
            t(
                Data::DateTimeIso("2026-03-01T00:00:00".into()),
                ColumnUse::Text
            )
            .unwrap(),
            "2026-03-01"
        );
        assert!(matches!(
            t(Data::Error(calamine::CellErrorType::NA), ColumnUse::Text),
            Err(InputErrorKind::CellError { .. })
        ));
    }

    #[test]
    fn excel_dates_become_iso_dates() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        // 46082 is 2026-03-01 in the 1900 date system.
        let d = Data::DateTime(ExcelDateTime::new(
            46082.0,
            ExcelDateTimeType::DateTime,
            false,
        ));
        assert_eq!(cell_text(&d, ColumnUse::Text).unwrap(), "2026-03-01");
        let d = Data::DateTime(ExcelDateTime::new(
            46082.5,
            ExcelDateTimeType::DateTime,
            false,
        ));
        assert_eq!(
            cell_text(&d, ColumnUse::Text).unwrap(),
            "2026-03-01 12:00:00"
        );
    }
}
