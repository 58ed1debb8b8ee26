//! `sheet.csv`: the publication table for the national publicity system.
//!
//! UTF-8 with a byte order mark (so Excel reads Chinese), CRLF line ends, the national
//! publicity columns ([`super::TABLE_HEADER`]); the risk class only when the plan publishes it.
//!
//! Codes are written exactly as they are: the publicity system imports this file, and a
//! marker that would stop a spreadsheet from reading an 18-digit code as a number (`="…"`, a
//! leading tab or apostrophe) would change the code it imports. People who open the table in
//! a spreadsheet should open `sheet.xlsx`, whose cells are text; with the CSV, import it with
//! the column typed as text.
//!
//! Formulas are neutralised: see [`neutralise`].

use super::{Publication, PublishError};
use std::borrow::Cow;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// The CSV bytes of the publication table.
///
/// ```
/// # use double_random::publish::{Publication, csv::sheet_csv};
/// # let (ann, sheet) = double_random::internals::example_documents()?;
/// let p = Publication::new(&ann, &sheet, &[], None)?;
/// let bytes = sheet_csv(&p)?;
/// assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
/// assert!(String::from_utf8(bytes)?.contains("\r\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sheet_csv(p: &Publication<'_>) -> Result<Vec<u8>, PublishError> {
    csv_of(p.table_rows())
}

/// The CSV bytes of a table's `rows` (the publication table, as [`Publication::table`] gives
/// it): what [`sheet_csv`] writes, for a table already built.
pub(crate) fn csv_of<R: AsRef<[S]>, S: AsRef<str>>(
    rows: impl IntoIterator<Item = R>,
) -> Result<Vec<u8>, PublishError> {
    let err = |e: ::csv::Error| PublishError::Csv {
        file: super::CSV_FILE,
        detail: e.to_string(),
    };
    let mut out = Vec::from(*b"\xEF\xBB\xBF");
    {
        let mut w = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(&mut out);
        for rec in rows {
            w.write_record(rec.as_ref().iter().map(|c| neutralised(c.as_ref())))
                .map_err(err)?;
        }
        w.flush().map_err(|e| err(e.into()))?;
    }
    Ok(out)
}

/// A cell as the CSV writer takes it: its bytes, [`neutralise`]d.
pub(crate) struct CellBytes<'a>(Cow<'a, str>);

/// `cell` [`neutralise`]d, for the CSV writer.
pub(crate) fn neutralised(cell: &str) -> CellBytes<'_> {
    CellBytes(neutralise(cell))
}

impl AsRef<[u8]> for CellBytes<'_> {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// Whether a spreadsheet could skip `c` at the start of a cell without showing it: white
/// space, control and format characters (U+200E, U+2060, U+00AD, U+FEFF…), separators,
/// combining marks, private-use and unassigned code points, and the blank letters (Hangul
/// fillers, the blank Braille pattern).
pub fn is_invisible(c: char) -> bool {
    // The characters cells mostly start with, answered without the category tables: ASCII
    // (of which only the control characters and the space are invisible) and the CJK
    // ideographs of Unicode 1.1 (letters, every one assigned).
    if c.is_ascii() {
        return c.is_ascii_control() || c == ' ';
    }
    if ('\u{4E00}'..='\u{9FA5}').contains(&c) {
        return false;
    }
    is_invisible_by_category(c)
}

/// [`is_invisible`] from the character tables alone.
fn is_invisible_by_category(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c.general_category(),
            GeneralCategory::Control
                | GeneralCategory::Format
                | GeneralCategory::SpaceSeparator
                | GeneralCategory::LineSeparator
                | GeneralCategory::ParagraphSeparator
                | GeneralCategory::NonspacingMark
                | GeneralCategory::EnclosingMark
                | GeneralCategory::PrivateUse
                | GeneralCategory::Unassigned
                | GeneralCategory::Surrogate
        )
        || matches!(
            c,
            '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' | '\u{2800}'
        )
}

/// Whether a spreadsheet could start a formula at `c`: `=`, `+`, `-`, `@`, TAB, CR, and their
/// full-width forms.
pub fn is_formula_start(c: char) -> bool {
    matches!(
        c,
        '=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠'
    )
}

/// A cell a spreadsheet cannot run as a formula: when the cell, after any invisible characters
/// ([`is_invisible`]), starts with a formula character ([`is_formula_start`]), it is prefixed
/// with `'`, which makes a spreadsheet read the rest as text.
///
/// ```
/// use double_random::publish::csv::neutralise;
/// assert_eq!(neutralise("=1+1"), "'=1+1");
/// assert_eq!(neutralise("\u{200E}=HYPERLINK(\"x\")"), "'\u{200E}=HYPERLINK(\"x\")");
/// assert_eq!(neutralise("甲公司"), "甲公司");
/// assert_eq!(neutralise("915201037932918000"), "915201037932918000");
/// ```
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    for c in cell.chars() {
        if is_formula_start(c) {
            return Cow::Owned(format!("'{cell}"));
        }
        if !is_invisible(c) {
            break;
        }
    }
    Cow::Borrowed(cell)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_formulas_are_neutralised() {
        for f in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "＝1"] {
            assert_eq!(neutralise(f), format!("'{f}"), "{f:?}");
        }
    }

    #[test]
    fn every_invisible_prefix_before_a_formula_is_neutralised() {
        let prefixes = [
            "\u{200E}", // left-to-right mark
            "\u{200F}", // right-to-left mark
            "\u{2060}", // word joiner
            "\u{00AD}", // soft hyphen
            "\u{200B}", // zero-width space
            "\u{FEFF}", // byte order mark
            "\u{202E}", // right-to-left override
            "\u{3000}", // ideographic space
            "\u{00A0}", // no-break space
            " ",
            "\u{0301}", // combining acute accent
            "\u{034F}", // combining grapheme joiner
            "\u{3164}", // Hangul filler
            "\u{E000}", // private use
            "\u{0007}", // a control character
            "\u{200E}\u{2060}\u{00AD}",
        ];
        for p in prefixes {
            for f in ['=', '+', '-', '@', '\t', '\r'] {
                let cell = format!("{p}{f}cmd|' /C calc'!A0");
                assert_eq!(neutralise(&cell), format!("'{cell}"), "{cell:?}");
            }
        }
    }

    #[test]
    fn ascii_and_the_first_ideographs_are_told_apart_as_the_categories_do() {
        for c in ('\0'..='\u{7F}').chain('\u{4E00}'..='\u{9FA5}') {
            assert_eq!(is_invisible(c), is_invisible_by_category(c), "{c:?}");
        }
    }

    #[test]
    fn text_is_left_alone() {
        for t in [
            "甲公司",
            "\u{200E}甲公司",
            "a=b",
            "915201037932918000",
            "",
            " 1",
        ] {
            assert_eq!(neutralise(t), t, "{t:?}");
        }
    }
}
