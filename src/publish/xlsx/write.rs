//! The workbook package of a text table, written directly.
//!
//! A large draw publishes a table of hundreds of thousands of cells, and a general workbook
//! writer spends most of its time on what this table never needs: looking up each cell's
//! format, de-duplicating strings, keeping every cell in a map until the end. This writer
//! knows the one shape the views use (one worksheet, every cell a text cell, the first row
//! bold and frozen, column widths) and writes the worksheet's rows as they come, as inline
//! strings.
//!
//! The package is, part for part, the one `rust_xlsxwriter` writes in its constant-memory
//! mode for the same table and settings (its tests compare them), so what that writer's
//! users have checked against Excel, WPS and LibreOffice holds here: the same parts, the
//! same styles, the same escapes (`&`, `<`, `>`, control characters as `_xHHHH_`, a
//! literal `_xHHHH_` as `_x005F_xHHHH_`), `xml:space="preserve"` on text that starts or
//! ends with white space. The zip entries are deflated at level 1, dated 1980-01-01 and
//! owner-only, so the same table gives the same bytes.

use std::fmt::Write as _;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;

/// Excel's last row (1,048,576 rows).
const MAX_ROWS: usize = 1 << 20;
/// Excel's last column (XFD: 16,384 columns).
const MAX_COLUMNS: usize = 1 << 14;
/// The longest text a cell holds, in UTF-16 code units.
const MAX_CELL_UTF16: usize = 32_767;
/// The style of the first row: text (`@`), bold.
const HEADER_STYLE: u8 = 1;
/// The style of the other rows: text (`@`).
const TEXT_STYLE: u8 = 2;

/// Why a table could not be written as a workbook.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum WriteError {
    /// More rows than a worksheet holds.
    #[error("more than {MAX_ROWS} rows, the most a worksheet holds")]
    TooManyRows,
    /// A row with more cells than a worksheet holds.
    #[error("row {row}: more than {MAX_COLUMNS} cells, the most a worksheet row holds")]
    TooManyColumns {
        /// The row, from 1.
        row: usize,
    },
    /// A cell longer than a spreadsheet cell holds.
    #[error(
        "row {row}, column {column}: the text is longer than the {MAX_CELL_UTF16} characters a cell holds"
    )]
    CellTooLong {
        /// The row, from 1.
        row: usize,
        /// The column, from 1.
        column: usize,
    },
    /// The zip container could not be written.
    #[error("the workbook's zip container: {detail}")]
    Zip {
        /// The zip writer's description.
        detail: String,
    },
}

/// What the workbook says of itself.
pub(crate) struct Properties<'a> {
    /// The worksheet's name.
    pub(crate) worksheet: &'a str,
    /// The document's title.
    pub(crate) title: &'a str,
    /// Its author (also its last editor).
    pub(crate) author: &'a str,
    /// Its creation (and modification) time.
    pub(crate) created: crate::ceremony::Timestamp,
}

/// The workbook bytes of `table`: one worksheet whose every cell is a text cell, the first
/// row bold and frozen, each column as wide as its widest cell (8 to 60 characters, plus 2).
///
/// The rows are taken once, as they come; their XML is held until the last row has given the
/// column widths, which the worksheet states before its rows.
pub(crate) fn text_workbook<R: AsRef<[S]>, S: AsRef<str>>(
    table: impl IntoIterator<Item = R>,
    props: &Properties<'_>,
) -> Result<Vec<u8>, WriteError> {
    let mut shape = Shape::default();
    let mut rows = RowWriter::default();
    // Where each piece of PIECE bytes or more ends, as text_workbook_of hands them on.
    let mut ends = vec![];
    let mut start = 0;
    for (r, record) in table.into_iter().enumerate() {
        let record = record.as_ref();
        shape.add(r, record)?;
        rows.write(r, record);
        if rows.xml.len() - start >= PIECE {
            start = rows.xml.len();
            ends.push(start);
        }
    }
    ends.push(rows.xml.len());
    package(props, &shape, |sink| {
        let mut from = 0;
        for end in ends {
            sink.write_all(&rows.xml.as_bytes()[from..end])?;
            from = end;
        }
        Ok(())
    })
}

/// The rows' XML goes to the compressor in pieces of at least this many bytes, cut after a
/// row. The compressor's output depends on how its input is cut, so both writers cut it alike
/// and give the same bytes (which the check of a published workbook relies on).
const PIECE: usize = 1 << 16;

/// [`text_workbook`] of a table already in memory: its rows are read twice, once for the
/// column widths and once to write them, so that their XML goes straight to the compressor
/// and is never held whole.
pub(crate) fn text_workbook_of<R: AsRef<[S]>, S: AsRef<str>>(
    table: &[R],
    props: &Properties<'_>,
) -> Result<Vec<u8>, WriteError> {
    let mut shape = Shape::default();
    for (r, record) in table.iter().enumerate() {
        shape.add(r, record.as_ref())?;
    }
    package(props, &shape, |sink| {
        let mut rows = RowWriter::default();
        for (r, record) in table.iter().enumerate() {
            rows.write(r, record.as_ref());
            if rows.xml.len() >= PIECE {
                sink.write_all(rows.xml.as_bytes())?;
                rows.xml.clear();
            }
        }
        sink.write_all(rows.xml.as_bytes())
    })
}

/// The zip package of a worksheet of `shape` whose rows `rows` writes.
fn package(
    props: &Properties<'_>,
    shape: &Shape,
    rows: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<Vec<u8>, WriteError> {
    let zip_err = |e: zip::result::ZipError| WriteError::Zip {
        detail: e.to_string(),
    };
    let io_err = |e: std::io::Error| WriteError::Zip {
        detail: e.to_string(),
    };
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .unix_permissions(0o600)
        .last_modified_time(zip::DateTime::default());
    let mut zip = zip::ZipWriter::new_stream(Cursor::new(Vec::new()));
    let part = |zip: &mut zip::ZipWriter<_>, name: &str, bytes: &[u8]| {
        zip.start_file(name, options).map_err(zip_err)?;
        zip.write_all(bytes).map_err(io_err)
    };
    part(&mut zip, "[Content_Types].xml", CONTENT_TYPES)?;
    part(&mut zip, "_rels/.rels", ROOT_RELS)?;
    part(&mut zip, "xl/_rels/workbook.xml.rels", WORKBOOK_RELS)?;
    part(&mut zip, "xl/theme/theme1.xml", THEME)?;
    part(&mut zip, "xl/styles.xml", STYLES)?;
    part(&mut zip, "xl/workbook.xml", workbook(props).as_bytes())?;
    part(
        &mut zip,
        "xl/worksheets/sheet1.xml",
        shape.head().as_bytes(),
    )?;
    rows(&mut zip).map_err(io_err)?;
    zip.write_all(SHEET_TAIL.as_bytes()).map_err(io_err)?;
    part(&mut zip, "docProps/core.xml", core(props).as_bytes())?;
    part(&mut zip, "docProps/app.xml", app(props).as_bytes())?;
    let out = zip.finish().map_err(zip_err)?;
    Ok(out.into_inner().into_inner())
}

const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const CONTENT_TYPES: &[u8] = include_bytes!("parts/content-types.xml");
const ROOT_RELS: &[u8] = include_bytes!("parts/rels.xml");
const WORKBOOK_RELS: &[u8] = include_bytes!("parts/workbook-rels.xml");
const THEME: &[u8] = include_bytes!("parts/theme1.xml");
/// Three cell styles: 0 the default, 1 text and bold (the first row), 2 text.
const STYLES: &[u8] = include_bytes!("parts/styles.xml");
const SHEET_TAIL: &str = "</sheetData><pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" \
    bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></worksheet>";

/// What the worksheet's head states of its rows, and the check that they fit a worksheet.
#[derive(Default)]
struct Shape {
    /// The widest cell of each column, in display columns (a CJK character counts two).
    widths: Vec<usize>,
    /// The first and last row and the last column holding a cell (from 1), if any does.
    used: Option<(usize, usize, usize)>,
}

/// Writes rows as worksheet XML, one after the other.
#[derive(Default)]
struct RowWriter {
    /// The XML written and not yet taken.
    xml: String,
    /// The column letters, `A`, `B`, … as far as the widest row so far.
    names: Vec<String>,
    number: itoa::Buffer,
}

impl RowWriter {
    /// Writes row `r` (from 0), which [`Shape::add`] has accepted; a row of no cells is
    /// left out.
    fn write(&mut self, r: usize, record: &[impl AsRef<str>]) {
        if record.is_empty() {
            return;
        }
        while self.names.len() < record.len() {
            self.names.push(column_name(self.names.len()));
        }
        let row_number = self.number.format(r + 1);
        let style = if r == 0 { HEADER_STYLE } else { TEXT_STYLE };
        let data = &mut self.xml;
        data.push_str("<row r=\"");
        data.push_str(row_number);
        data.push_str("\">");
        for (c, cell) in record.iter().enumerate() {
            let cell = cell.as_ref();
            data.push_str("<c r=\"");
            data.push_str(&self.names[c]);
            data.push_str(row_number);
            data.push_str("\" s=\"");
            data.push(char::from(b'0' + style));
            if cell.is_empty() {
                data.push_str("\"/>");
                continue;
            }
            data.push_str("\" t=\"inlineStr\"><is><t");
            if cell.starts_with(['\t', '\n', ' ']) || cell.ends_with(['\t', '\n', ' ']) {
                data.push_str(" xml:space=\"preserve\"");
            }
            data.push('>');
            escape_text(cell, true, data);
            data.push_str("</t></is></c>");
        }
        data.push_str("</row>");
    }
}

impl Shape {
    /// Takes row `r` (from 0) into the widths and the used range, or says why a worksheet
    /// cannot hold it.
    fn add(&mut self, r: usize, record: &[impl AsRef<str>]) -> Result<(), WriteError> {
        let row = r + 1;
        if row > MAX_ROWS {
            return Err(WriteError::TooManyRows);
        }
        if record.is_empty() {
            return Ok(());
        }
        if record.len() > MAX_COLUMNS {
            return Err(WriteError::TooManyColumns { row });
        }
        if self.widths.len() < record.len() {
            self.widths.resize(record.len(), 0);
        }
        for (c, cell) in record.iter().enumerate() {
            let cell = cell.as_ref();
            if cell.len() > MAX_CELL_UTF16 && cell.encode_utf16().nth(MAX_CELL_UTF16).is_some() {
                return Err(WriteError::CellTooLong { row, column: c + 1 });
            }
            self.widths[c] = self.widths[c].max(super::display_width(cell));
        }
        let (first_row, last_col) = self.used.map_or((row, 0), |(f, _, c)| (f, c));
        self.used = Some((first_row, row, last_col.max(record.len())));
        Ok(())
    }

    /// The worksheet up to its `<sheetData>`: dimension, frozen first row, column widths.
    fn head(&self) -> String {
        let mut h = String::with_capacity(1024);
        h.push_str(XML_DECLARATION);
        h.push_str(
            "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
             xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">",
        );
        let dimension = match self.used {
            None => "A1".to_owned(),
            Some((first, last, 1)) if first == last => format!("A{first}"),
            Some((first, last, col)) => format!("A{first}:{}{last}", column_name(col - 1)),
        };
        let _ = write!(h, "<dimension ref=\"{dimension}\"/>");
        h.push_str(
            "<sheetViews><sheetView tabSelected=\"1\" workbookViewId=\"0\"><pane ySplit=\"1\" \
             topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/><selection \
             pane=\"bottomLeft\"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>",
        );
        if !self.widths.is_empty() {
            h.push_str("<cols>");
            // Equal widths of neighbouring columns share one <col> element.
            let mut c = 0;
            while c < self.widths.len() {
                let w = column_width(self.widths[c]);
                let mut end = c;
                while end + 1 < self.widths.len() && column_width(self.widths[end + 1]) == w {
                    end += 1;
                }
                let _ = write!(
                    h,
                    "<col min=\"{}\" max=\"{}\" width=\"{}\" customWidth=\"1\"/>",
                    c + 1,
                    end + 1,
                    excel_width(w)
                );
                c = end + 1;
            }
            h.push_str("</cols>");
        }
        h.push_str("<sheetData>");
        h
    }
}

/// A column's width in characters for its widest cell: at least 8 and at most 60
/// characters of text, plus 2 (long team lists wrap rather than sprawl).
fn column_width(widest: usize) -> u32 {
    u32::try_from(widest.clamp(8, 60) + 2).unwrap_or(62)
}

/// A width in characters as Excel stores it: whole pixels of the default font (7 per
/// character, 5 of padding) back in characters, to 1/256 of a character.
fn excel_width(chars: u32) -> f64 {
    let pixels = chars * 7 + 5;
    f64::from(pixels * 256 / 7) / 256.0
}

/// A column's letters: 0 is `A`, 25 `Z`, 26 `AA`.
fn column_name(index: usize) -> String {
    let mut letters = vec![];
    let mut n = index + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        // `rem` is below 26.
        letters.push(b'A' + u8::try_from(rem).unwrap_or(0));
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Appends `text` as XML character data: `&`, `<` and `>` as entities; control characters
/// and the non-characters U+FFFE and U+FFFF as `_xHHHH_`; and, in a cell (`cell`), a
/// literal `_xHHHH_` (four hex digits) prefixed with `_x005F` so that it reads back as itself.
fn escape_text(text: &str, cell: bool, out: &mut String) {
    // Every character escaped is ASCII but U+FFFE and U+FFFF (EF BF BE, EF BF BF in UTF-8), so
    // the text is looked at byte by byte: the bytes of other characters are passed over.
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x20 && !matches!(b, b'&' | b'<' | b'>' | b'_' | 0xEF) {
            continue;
        }
        let (replacement, len) = match b {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'\t' | b'\n' => continue,
            0..=0x1f => {
                out.push_str(&text[start..i]);
                let _ = write!(out, "_x{b:04X}_");
                start = i + 1;
                continue;
            }
            b'_' if cell && is_literal_escape(&bytes[i..]) => ("_x005F_", 1),
            0xEF if bytes.get(i + 1) == Some(&0xBF) => match bytes.get(i + 2) {
                Some(0xBE) => ("_xFFFE_", 3),
                Some(0xBF) => ("_xFFFF_", 3),
                _ => continue,
            },
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(replacement);
        start = i + len;
    }
    out.push_str(&text[start..]);
}

/// Whether `rest` starts with what a reader takes for an escape: `_x`, four hex digits, `_`.
fn is_literal_escape(rest: &[u8]) -> bool {
    rest.len() >= 7
        && rest[1] == b'x'
        && rest[6] == b'_'
        && rest[2..6].iter().all(u8::is_ascii_hexdigit)
}

/// Escapes text for an XML attribute value.
fn escape_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push_str("&#xA;"),
            _ => out.push(ch),
        }
    }
    out
}

/// Escapes text for XML character data as the document properties hold it.
fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_text(text, false, &mut out);
    out
}

fn workbook(p: &Properties<'_>) -> String {
    format!(
        "{XML_DECLARATION}<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
         <fileVersion appName=\"xl\" lastEdited=\"4\" lowestEdited=\"4\" rupBuild=\"4505\"/>\
         <workbookPr defaultThemeVersion=\"124226\"/><bookViews><workbookView xWindow=\"240\" \
         yWindow=\"15\" windowWidth=\"16095\" windowHeight=\"9660\"/></bookViews><sheets>\
         <sheet name=\"{}\" sheetId=\"1\" r:id=\"rId1\"/></sheets><calcPr calcId=\"124519\" \
         fullCalcOnLoad=\"1\"/></workbook>",
        escape_attribute(p.worksheet)
    )
}

fn core(p: &Properties<'_>) -> String {
    // `YYYY-MM-DDThh:mm:ssZ`, as the package's core properties state times.
    let time = p.created.to_string();
    let author = escape_data(p.author);
    format!(
        "{XML_DECLARATION}<cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title>\
         <dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{time}</dcterms:created>\
         <dcterms:modified xsi:type=\"dcterms:W3CDTF\">{time}</dcterms:modified>\
         </cp:coreProperties>",
        escape_data(p.title)
    )
}

fn app(p: &Properties<'_>) -> String {
    format!(
        "{XML_DECLARATION}<Properties \
         xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" \
         xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">\
         <Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity>\
         <ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size=\"2\" baseType=\"variant\">\
         <vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4>\
         </vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size=\"1\" \
         baseType=\"lpstr\"><vt:lpstr>{}</vt:lpstr></vt:vector></TitlesOfParts><Company>\
         </Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>\
         <HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion>\
         </Properties>",
        escape_data(p.worksheet)
    )
}
