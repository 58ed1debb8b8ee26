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
//! A workbook is a zip archive of XML parts, and a few bytes of it can ask a reader for
//! gigabytes (a cell declared at `XFD1048576`, a part that inflates a thousandfold, one cell of
//! a gigabyte). So every workbook is read under [`XlsxLimits`]: first every part of the archive
//! is inflated once, counting its bytes and scanning its XML with buffers of a fixed size;
//! then `calamine` reads the first worksheet cell by cell, never as one rectangle. A workbook
//! past any bound is refused with [`InputErrorKind::WorkbookLimit`], naming the bound, the part
//! and the value found. For very large rosters CSV stays the faster format
//! ([`super::roster_csv::for_each_entity`]).
//!
//! ```no_run
//! use double_random::formats::xlsx::read_entities_xlsx;
//!
//! let roster = read_entities_xlsx("entities.xlsx")?;
//! println!("{} entities, fingerprint {}", roster.rows.len(), roster.digest()?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::borrow::Cow;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use calamine::{Cell, DataRef, Reader, Xlsx, XlsxError};

use super::error::{InputErrorKind, InputErrors, WorkbookLimit};
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

/// Reads an entity roster from a workbook held by any reader, under the given limits.
///
/// For workbooks that are not files (a download, a fuzzer's bytes) and for tests of the
/// limits themselves; [`read_entities_xlsx`] is this with [`XlsxLimits::DEFAULT`]. `file_name`
/// only names the workbook in errors.
///
/// # Errors
///
/// Every problem in the workbook (see [`InputErrors`]); a workbook past a limit gives one
/// [`InputErrorKind::WorkbookLimit`].
///
/// ```
/// use double_random::formats::error::{InputErrorKind, WorkbookLimit};
/// use double_random::formats::xlsx::{XlsxLimits, read_entities_xlsx_limited};
///
/// // A cell in column IW, one past the bound.
/// let sheet = br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="IW1"><v>1</v></c></row></sheetData></worksheet>"#;
/// let book = double_random::fuzzing::xlsx_package(sheet, None, true)?;
/// let read = |limits: &XlsxLimits| {
///     read_entities_xlsx_limited("e.xlsx", std::io::Cursor::new(&book), limits).unwrap_err()
/// };
/// let err = read(&XlsxLimits::DEFAULT);
/// assert!(matches!(
///     err.errors[0].kind,
///     InputErrorKind::WorkbookLimit { limit: WorkbookLimit::Columns, found: 257, max: 256, .. }
/// ));
/// // Under a wider bound, the same sheet is read (and found to be no roster: its one column
/// // names no field and is ignored, so the required ones are missing).
/// let err = read(&XlsxLimits { columns: 300, ..XlsxLimits::DEFAULT });
/// assert!(matches!(err.errors[0].kind, InputErrorKind::MissingColumn { name: "id", .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_entities_xlsx_limited(
    file_name: &str,
    reader: impl Read + Seek,
    limits: &XlsxLimits,
) -> Result<Roster<Entity>, InputErrors> {
    read_workbook(file_name, reader, limits)
}

/// The bounds every workbook is read under, and why each is where it is.
///
/// Each bound is far above what a roster needs (a roster of a million entities, with ten
/// columns, in a sheet Excel wrote) and far below what would exhaust a reader's memory or
/// time. Sizes are bytes as stored in the part, markup and escapes included, so that they are
/// checked before anything is decoded; rows and columns count from 1, as a spreadsheet shows
/// them. SPEC §3.5 ("xlsx limits") states the same bounds for every implementation.
///
/// ```
/// use double_random::formats::xlsx::XlsxLimits;
///
/// let l = XlsxLimits::default();
/// assert_eq!((l.rows, l.columns), (1_048_576, 256));
/// assert_eq!(l.cell_bytes, 1 << 20);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XlsxLimits {
    /// Zip entries in the archive: 10,000. A workbook has a dozen parts, a few hundred with
    /// many sheets and pictures; the zip directory is held in memory.
    pub parts: u64,
    /// A part's uncompressed size, as declared and as inflated: 2 GiB. A million-row sheet
    /// of inline strings is about 1 GiB; a part must also inflate to no more than it
    /// declares (counted while inflating, since declared sizes can lie).
    pub part_bytes: u64,
    /// All parts' declared uncompressed sizes together: 4 GiB, so that many parts just
    /// under `part_bytes` cannot add up to hours of inflating.
    pub total_bytes: u64,
    /// One cell (`<c>` element, from the start of its start tag to the start of its end
    /// tag), one shared string (`<si>`, likewise), and any single XML token (a tag, a run of
    /// text, a comment): 1 MiB. Excel keeps at most 32,767 characters in a cell (about 100
    /// KB of UTF-8); the roster reader accepts no field over 64 KiB anyway. This bound caps
    /// every buffer the XML reader fills.
    pub cell_bytes: u64,
    /// A cell's row number, and the last row of the declared dimension: 1,048,576, Excel's
    /// own last row, so a million-row roster reads.
    pub rows: u64,
    /// A cell's column number, and the last column of the declared dimension: 256 (column
    /// `IV`). A roster has at most ten known columns, and every row is padded to the
    /// sheet's width, so width times rows is the work of reading.
    pub columns: u64,
    /// Cells (`<c>` elements) in the worksheet: 2^25 = 33,554,432, a million rows of 32
    /// cells. A sheet whose cells are out of order is sorted in memory, about 40 bytes a
    /// cell.
    pub cells: u64,
    /// Shared strings (`<si>` elements) in one part: 2^22 = 4,194,304, four distinct strings
    /// for each of Excel's rows; a roster has two or three a row (ids and names, the rest
    /// repeats), and each costs its own allocation.
    pub shared_strings: u64,
    /// All shared strings of one part together: 256 MiB. Shared strings stay in memory
    /// while the sheet is read; a million entities' ids and names take about 90 MB.
    pub shared_string_bytes: u64,
}

impl XlsxLimits {
    /// The limits [`read_entities_xlsx`] and the other readers use.
    pub const DEFAULT: XlsxLimits = XlsxLimits {
        parts: 10_000,
        part_bytes: 2 << 30,
        total_bytes: 4 << 30,
        cell_bytes: 1 << 20,
        rows: 1_048_576,
        columns: 256,
        cells: 1 << 25,
        shared_strings: 1 << 22,
        shared_string_bytes: 256 << 20,
    };
}

impl Default for XlsxLimits {
    fn default() -> Self {
        XlsxLimits::DEFAULT
    }
}

/// Reads a roster from a workbook held in memory, under [`XlsxLimits::DEFAULT`]; `file_name`
/// names it in errors (a verifier in a browser has the dropped file's bytes, not a path).
pub(crate) fn read_xlsx_bytes<T: Row>(
    file_name: &str,
    bytes: &[u8],
) -> Result<Roster<T>, InputErrors> {
    read_workbook(file_name, std::io::Cursor::new(bytes), &XlsxLimits::DEFAULT)
}

fn read_path<T: Row>(path: &Path) -> Result<Roster<T>, InputErrors> {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    match std::fs::File::open(path) {
        Ok(f) => read_workbook(&name, std::io::BufReader::new(f), &XlsxLimits::DEFAULT),
        Err(e) => Err(InputErrors::io(&name, &e)),
    }
}

/// A bound passed: which, the part, the value found and the bound.
fn over(limit: WorkbookLimit, part: &str, found: u64, max: u64) -> InputErrorKind {
    InputErrorKind::WorkbookLimit {
        limit,
        part: part.to_owned(),
        found,
        max,
    }
}

/// Bytes inflated at a time.
const CHUNK: usize = 64 * 1024;

/// Checks the archive's directory, then inflates every part once, counting its bytes and
/// scanning it with [`XmlScan`], before any XML reader sees it.
///
/// Every part is checked, whatever its name: `calamine` finds the parts it reads through the
/// workbook's own relationships, which a hostile workbook can point anywhere.
pub(crate) fn check_parts<R: Read + Seek>(
    reader: R,
    limits: &XlsxLimits,
) -> Result<(), InputErrorKind> {
    let unreadable = |e: &dyn std::fmt::Display| InputErrorKind::Workbook {
        message: e.to_string(),
    };
    let mut zip = zip::ZipArchive::new(reader).map_err(|e| unreadable(&e))?;
    let count = zip.len() as u64;
    if count > limits.parts {
        return Err(over(WorkbookLimit::Parts, "", count, limits.parts));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|e| unreadable(&e))?;
        let name = part.name().map_err(|e| unreadable(&e))?;
        if part.size() > limits.part_bytes {
            return Err(over(
                WorkbookLimit::PartBytes,
                &name,
                part.size(),
                limits.part_bytes,
            ));
        }
        total = total.saturating_add(part.size());
        if total > limits.total_bytes {
            return Err(over(
                WorkbookLimit::TotalBytes,
                "",
                total,
                limits.total_bytes,
            ));
        }
    }
    let mut buf = vec![0u8; CHUNK];
    // Pictures and other binary parts are not XML: only what an XML reader would buffer from
    // them is bounded (see `XmlScan::binary`), unless the workbook points calamine at one.
    let mut binary_parts = Vec::new();
    let mut read_as_xml = Vec::new();
    for i in 0..zip.len() {
        // Inflated here, not by the zip reader, so that every byte is counted against the
        // declared size (the zip reader stops at it, with an error that does not say so).
        let raw = zip.by_index_raw(i).map_err(|e| unreadable(&e))?;
        let name = raw.name().map_err(|e| unreadable(&e))?.into_owned();
        let declared = raw.size();
        if raw.encrypted() {
            return Err(unreadable(&format_args!("{name}: the part is encrypted")));
        }
        let mut part: Box<dyn Read + '_> = match raw.compression() {
            zip::CompressionMethod::Stored => Box::new(raw),
            zip::CompressionMethod::Deflated => Box::new(flate2::read::DeflateDecoder::new(raw)),
            other => {
                return Err(unreadable(&format_args!(
                    "{name}: compression method {other} is not supported"
                )));
            }
        };
        let mut scan = XmlScan::new(limits);
        let mut inflated = 0u64;
        let mut first = true;
        loop {
            let n = match part.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(unreadable(&format_args!("{name}: {e}"))),
            };
            inflated += n as u64;
            if inflated > declared {
                return Err(over(WorkbookLimit::PartInflated, &name, inflated, declared));
            }
            if std::mem::take(&mut first) && is_binary(&buf[..n]) {
                scan.binary = true;
                binary_parts.push(name.clone());
            }
            scan.feed(&buf[..n]).map_err(|e| match e {
                ScanError::Limit(limit, found, max) => over(limit, &name, found, max),
                ScanError::Malformed(m) => unreadable(&format_args!("{name}: {m}")),
            })?;
        }
        read_as_xml.append(&mut scan.read_targets);
    }
    for name in &binary_parts {
        let file = name.rsplit('/').next().unwrap_or(name).as_bytes();
        if read_as_xml.iter().any(|t| t.as_slice() == file) {
            return Err(unreadable(&format_args!(
                "{name} is a picture or other binary part, but the workbook names it as its \
                 workbook, a worksheet, its shared strings or its styles"
            )));
        }
    }
    Ok(())
}

/// Whether a part starts like a picture or another binary file a workbook holds (PNG, JPEG,
/// GIF, BMP, TIFF, EMF, WMF, an OLE compound file, a zip).
fn is_binary(head: &[u8]) -> bool {
    const SIGNATURES: [&[u8]; 10] = [
        b"\x89PNG",
        b"\xFF\xD8\xFF",
        b"GIF8",
        b"BM",
        b"II*\0",
        b"MM\0*",
        b"\x01\0\0\0",
        b"\xD7\xCD\xC6\x9A",
        b"\xD0\xCF\x11\xE0",
        b"PK\x03\x04",
    ];
    SIGNATURES.iter().any(|s| head.starts_with(s))
}

/// The name bytes [`XmlScan`] keeps: an end tag's `/`, the longest name looked for
/// (`Relationship`), and a self-closing tag's `/`.
const NAME_BYTES: usize = 14;

/// XML's whitespace (quick-xml's too): not form feed, which `u8::is_ascii_whitespace` counts.
fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Where [`XmlScan`] is in the markup.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ScanState {
    /// Character data.
    Text,
    /// Just after `<`: not yet known whether a tag, comment, CDATA section or declaration.
    Head,
    /// Inside a start or end tag.
    Tag,
    /// Inside `<!-- … -->`.
    Comment,
    /// Inside `<![CDATA[ … ]]>`.
    Cdata,
    /// Inside `<? … ?>`.
    Pi,
    /// Inside another `<! … >` (a DOCTYPE, with its `[ … ]` subset).
    Decl,
}

/// A streaming XML scanner with buffers of a fixed size: it measures each token, each `<c>`
/// and `<si>` element, and counts shared strings, without building anything.
///
/// It is not a validating parser: malformed XML is left to `calamine`, which refuses it.
/// What it guarantees is that nothing `calamine`'s XML reader buffers whole (a tag, a run of
/// text, a cell, a shared string) is larger than [`XlsxLimits::cell_bytes`].
struct XmlScan {
    cell_bytes: u64,
    rows: u64,
    columns: u64,
    shared_strings: u64,
    shared_string_bytes: u64,
    /// Bytes fed so far.
    pos: u64,
    state: ScanState,
    /// Where the current token started.
    token_start: u64,
    /// Where the current tag's `<` is.
    tag_start: u64,
    /// The tag's local name as `calamine`'s XML reader (quick-xml) sees it: the bytes of the
    /// name up to the first XML whitespace (quotes included), after its first `:`, with a
    /// leading `/` for an end tag. Only its first bytes are kept, which is enough to tell the
    /// names looked for from any other.
    name: [u8; NAME_BYTES],
    name_len: usize,
    /// The name had more bytes than `name` keeps, so it is none of those looked for.
    name_long: bool,
    /// The name's first `:` has been met (the local name is what follows it).
    name_colon: bool,
    /// An end tag's name met whitespace, which counts only if more of the name follows.
    name_space: bool,
    name_done: bool,
    /// The attributes of a `<c>`, `<row>` or `<dimension>` tag, whose cell references are
    /// checked here (`calamine` would parse them into 32-bit numbers that overflow), of an
    /// `<sst>`, whose declared count is, and of a `<Relationship>`.
    attrs: Vec<u8>,
    capture: bool,
    /// The quote of an attribute value the scanner is in, or 0.
    quote: u8,
    /// The previous byte of the token (to see `/>`, `-->`, `]]>` and `?>`).
    prev: u8,
    /// Consecutive `-` or `]` before the current byte; `[` depth in a declaration.
    run: u32,
    open_cell: Option<u64>,
    open_string: Option<u64>,
    strings: u64,
    string_bytes: u64,
    /// The part is binary: only the runs between `<` and `>` bytes are bounded (an XML reader
    /// buffers at most such a run from bytes that do not parse as XML).
    binary: bool,
    /// The file names (last path segment) of the parts this part's relationships name as the
    /// workbook, a worksheet, shared strings or styles: the parts calamine reads as XML.
    read_targets: Vec<Vec<u8>>,
}

/// Why the scanner refuses a part.
enum ScanError {
    /// A bound passed: which, the value found and the bound.
    Limit(WorkbookLimit, u64, u64),
    /// A reference no reader can take (not letters then digits, or a dimension that ends
    /// before it starts).
    Malformed(String),
}

impl XmlScan {
    fn new(limits: &XlsxLimits) -> XmlScan {
        XmlScan {
            cell_bytes: limits.cell_bytes,
            rows: limits.rows,
            columns: limits.columns,
            shared_strings: limits.shared_strings,
            shared_string_bytes: limits.shared_string_bytes,
            pos: 0,
            state: ScanState::Text,
            token_start: 0,
            tag_start: 0,
            name: [0; NAME_BYTES],
            name_len: 0,
            name_long: false,
            name_colon: false,
            name_space: false,
            name_done: false,
            attrs: Vec::new(),
            capture: false,
            quote: 0,
            prev: 0,
            run: 0,
            open_cell: None,
            open_string: None,
            strings: 0,
            string_bytes: 0,
            binary: false,
            read_targets: Vec::new(),
        }
    }

    /// Scans the next bytes of the part.
    fn feed(&mut self, chunk: &[u8]) -> Result<(), ScanError> {
        let base = self.pos;
        if self.binary {
            for k in memchr::memchr2_iter(b'<', b'>', chunk) {
                let at = base + k as u64;
                if at - self.token_start > self.cell_bytes {
                    let found = at - self.token_start;
                    return Err(ScanError::Limit(
                        WorkbookLimit::Token,
                        found,
                        self.cell_bytes,
                    ));
                }
                self.token_start = at;
            }
            self.pos = base + chunk.len() as u64;
            return self.check_open(self.pos);
        }
        let mut i = 0;
        while i < chunk.len() {
            match self.state {
                ScanState::Text => match memchr::memchr(b'<', &chunk[i..]) {
                    None => i = chunk.len(),
                    Some(k) => {
                        let at = base + (i + k) as u64;
                        self.check_open(at)?;
                        self.token_start = at;
                        self.tag_start = at;
                        self.state = ScanState::Head;
                        self.name_len = 0;
                        self.name_long = false;
                        self.name_colon = false;
                        self.name_space = false;
                        self.name_done = false;
                        self.capture = false;
                        self.quote = 0;
                        self.prev = b'<';
                        self.run = 0;
                        i += k + 1;
                    }
                },
                ScanState::Tag if self.quote != 0 && self.name_done => {
                    match memchr::memchr(self.quote, &chunk[i..]) {
                        None => {
                            if self.capture {
                                self.attrs.extend_from_slice(&chunk[i..]);
                            }
                            i = chunk.len();
                        }
                        Some(k) => {
                            if self.capture {
                                self.attrs.extend_from_slice(&chunk[i..=i + k]);
                            }
                            self.quote = 0;
                            self.prev = chunk[i + k];
                            i += k + 1;
                        }
                    }
                }
                _ => {
                    let b = chunk[i];
                    i += 1;
                    self.markup_byte(b, base + i as u64)?;
                }
            }
        }
        self.pos = base + chunk.len() as u64;
        self.check_open(self.pos)
    }

    /// A markup token ended just before `next`: checks its length, back to text.
    fn end_token(&mut self, next: u64) -> Result<(), ScanError> {
        self.check_open(next)?;
        self.state = ScanState::Text;
        self.token_start = next;
        Ok(())
    }

    /// Checks the open cell or shared string and the current token against the bounds, at
    /// `at` (a cell first: its text is a token inside it).
    fn check_open(&self, at: u64) -> Result<(), ScanError> {
        if let Some(start) = self.open_cell
            && at - start > self.cell_bytes
        {
            return Err(ScanError::Limit(
                WorkbookLimit::Cell,
                at - start,
                self.cell_bytes,
            ));
        }
        if let Some(start) = self.open_string
            && at - start > self.cell_bytes
        {
            return Err(ScanError::Limit(
                WorkbookLimit::SharedString,
                at - start,
                self.cell_bytes,
            ));
        }
        let token = at - self.token_start;
        if token > self.cell_bytes {
            return Err(ScanError::Limit(
                WorkbookLimit::Token,
                token,
                self.cell_bytes,
            ));
        }
        Ok(())
    }

    /// One byte of markup; `next` is the offset after it.
    fn markup_byte(&mut self, b: u8, next: u64) -> Result<(), ScanError> {
        match self.state {
            ScanState::Head => {
                // The markup so far, after `<`, is in `name`.
                let head = &self.name[..self.name_len];
                if head.is_empty() && b == b'?' {
                    self.state = ScanState::Pi;
                } else if head.is_empty() && b == b'!' {
                    self.name[0] = b;
                    self.name_len = 1;
                } else if head.first() == Some(&b'!') {
                    // `<!--` or `<![CDATA[` (only `<![` is kept: `C`, `D`, … are skipped
                    // until `[`), else a declaration.
                    match (self.name_len, b) {
                        (1, b'-') | (1, b'[') => {
                            self.name[1] = b;
                            self.name_len = 2;
                        }
                        (2, b'-') if self.name[1] == b'-' => self.state = ScanState::Comment,
                        (2, b'[') if self.name[1] == b'[' => self.state = ScanState::Cdata,
                        (2, _) if self.name[1] == b'[' && b.is_ascii_uppercase() => {}
                        _ => {
                            self.state = ScanState::Decl;
                            return self.markup_byte(b, next);
                        }
                    }
                } else {
                    self.state = ScanState::Tag;
                    return self.markup_byte(b, next);
                }
                self.prev = b;
                self.run = 0;
            }
            ScanState::Tag => {
                match b {
                    // quick-xml ends a tag at the first `>` outside quotes, counting quotes
                    // from the tag's first byte, its name included.
                    b'>' if self.quote == 0 => {
                        let self_closing = self.prev == b'/';
                        self.end_tag(next, self_closing)?;
                        self.end_token(next)?;
                    }
                    _ if !self.name_done => self.name_byte(b, next - self.tag_start == 2),
                    b'"' | b'\'' => {
                        self.quote = b;
                        if self.capture {
                            self.attrs.push(b);
                        }
                    }
                    _ if self.capture => self.attrs.push(b),
                    _ => {}
                }
                self.prev = b;
            }
            ScanState::Comment | ScanState::Cdata => {
                let mark = if self.state == ScanState::Comment {
                    b'-'
                } else {
                    b']'
                };
                if b == b'>' && self.run >= 2 {
                    self.end_token(next)?;
                } else if b == mark {
                    self.run += 1;
                } else {
                    self.run = 0;
                }
            }
            ScanState::Pi => {
                if b == b'>' && self.prev == b'?' {
                    self.end_token(next)?;
                }
                self.prev = b;
            }
            ScanState::Decl => match b {
                b'[' => self.run += 1,
                b']' => self.run = self.run.saturating_sub(1),
                b'>' if self.run == 0 => self.end_token(next)?,
                _ => {}
            },
            ScanState::Text => {}
        }
        Ok(())
    }

    /// One byte of a tag's name (`first`: just after `<`), read as quick-xml reads it: the
    /// name runs to the first XML whitespace, quotes and all (they still open and close, so
    /// that a `>` between them does not end the tag); its local part follows the first `:`;
    /// an end tag's name may hold whitespace, and loses the whitespace it ends with.
    fn name_byte(&mut self, b: u8, first: bool) {
        if b == b'"' || b == b'\'' {
            if self.quote == 0 {
                self.quote = b;
            } else if self.quote == b {
                self.quote = 0;
            }
        }
        let end = self.name[..self.name_len].first() == Some(&b'/');
        if is_xml_space(b) {
            if end {
                self.name_space = true;
            } else {
                self.name_done = true;
                self.capture = !self.name_long
                    && matches!(
                        &self.name[..self.name_len],
                        b"c" | b"row" | b"dimension" | b"Relationship" | b"sst"
                    );
                self.attrs.clear();
                self.attrs.push(b' ');
            }
            return;
        }
        if std::mem::take(&mut self.name_space) {
            self.push_name(b' ');
        }
        if first && b == b'/' {
            self.push_name(b'/');
        } else if b == b':' && !self.name_colon {
            // The local name only (and an end tag's `/`).
            self.name_colon = true;
            self.name_len = usize::from(end);
            self.name_long = false;
        } else {
            self.push_name(b);
        }
    }

    /// Adds `b` to the kept name, or notes that the name is longer than any looked for.
    fn push_name(&mut self, b: u8) {
        if self.name_len < self.name.len() {
            self.name[self.name_len] = b;
            self.name_len += 1;
        } else {
            self.name_long = true;
        }
    }

    /// A tag ended just before `next`: opens or closes a cell or a shared string.
    fn end_tag(&mut self, next: u64, self_closing: bool) -> Result<(), ScanError> {
        let name_buf = self.name;
        let mut name = &name_buf[..self.name_len];
        if self.name_long {
            name = b"-";
        } else if self_closing && !self.name_done && name.first() != Some(&b'/') {
            // `<c/>`: the `/` is not part of the name (it is of an end tag's, `</c/>`).
            name = name.strip_suffix(b"/").unwrap_or(name);
        }
        let (end, local) = match name.split_first() {
            Some((b'/', rest)) => (true, rest),
            _ => (false, name),
        };
        let whole = next - self.tag_start;
        if self.capture && !end {
            self.capture = false;
            if local == b"Relationship" {
                self.relationship();
            } else if local == b"sst" {
                self.check_unique_count()?;
            } else {
                self.check_references(local == b"dimension")?;
            }
        }
        match (local, end) {
            (b"c", false) if self_closing => self.cell(whole)?,
            (b"c", false) => self.open_cell = Some(self.tag_start),
            (b"c", true) => {
                if let Some(start) = self.open_cell.take() {
                    self.cell(self.tag_start - start)?;
                }
            }
            (b"si", false) => {
                self.strings += 1;
                if self.strings > self.shared_strings {
                    return Err(ScanError::Limit(
                        WorkbookLimit::SharedStrings,
                        self.strings,
                        self.shared_strings,
                    ));
                }
                if self_closing {
                    self.string(whole)?;
                } else {
                    self.open_string = Some(self.tag_start);
                }
            }
            (b"si", true) => {
                if let Some(start) = self.open_string.take() {
                    self.string(self.tag_start - start)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Notes the file a `<Relationship>` names, if calamine reads it as XML.
    fn relationship(&mut self) {
        const READ: [&[u8]; 4] = [
            b"/officeDocument",
            b"/worksheet",
            b"/sharedStrings",
            b"/styles",
        ];
        // A repeated attribute counts every time: calamine may take the first or a later one.
        let read = attributes(&self.attrs)
            .any(|(key, kind)| key == b"Type" && READ.iter().any(|r| kind.ends_with(r)));
        if read {
            for (_, target) in attributes(&self.attrs).filter(|(key, _)| *key == b"Target") {
                let file = target.rsplit(|&b| b == b'/').next().unwrap_or(target);
                self.read_targets.push(file.to_vec());
            }
        }
    }

    /// Checks the `uniqueCount` of an `<sst>` against the shared strings bound: calamine
    /// reserves room for that many strings before reading one (every repeat is checked, and
    /// the digits it starts with, which is at least what calamine would read).
    fn check_unique_count(&self) -> Result<(), ScanError> {
        for (_, value) in attributes(&self.attrs).filter(|(key, _)| *key == b"uniqueCount") {
            let count = value
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .fold(0u64, |n, &b| {
                    n.saturating_mul(10).saturating_add(u64::from(b - b'0'))
                });
            if count > self.shared_strings {
                return Err(ScanError::Limit(
                    WorkbookLimit::SharedStrings,
                    count,
                    self.shared_strings,
                ));
            }
        }
        Ok(())
    }

    /// Checks the `r` of a `<c>` or `<row>`, or the `ref` of a `<dimension>`, against the
    /// row and column bounds (and a dimension for its order), before `calamine` parses it.
    /// Every one is checked when the attribute is repeated: calamine takes the first for a
    /// dimension or a row and may take a later one for a cell.
    fn check_references(&self, dimension: bool) -> Result<(), ScanError> {
        let want: &[u8] = if dimension { b"ref" } else { b"r" };
        for (_, value) in attributes(&self.attrs).filter(|(key, _)| *key == want) {
            self.check_reference(value, dimension)?;
        }
        Ok(())
    }

    /// [`Self::check_references`] for one value.
    fn check_reference(&self, value: &[u8], dimension: bool) -> Result<(), ScanError> {
        let (rows, cols) = if dimension {
            (
                WorkbookLimit::DimensionRows,
                WorkbookLimit::DimensionColumns,
            )
        } else {
            (WorkbookLimit::Rows, WorkbookLimit::Columns)
        };
        let mut places = Vec::new();
        for part in value.split(|&b| b == b':') {
            let Some((row, col)) = reference(part) else {
                // `calamine` would refuse it too, but may overflow on its digits first.
                return Err(ScanError::Malformed(format!(
                    "{} is not a cell reference",
                    String::from_utf8_lossy(value)
                )));
            };
            if row > self.rows {
                return Err(ScanError::Limit(rows, row, self.rows));
            }
            if col > self.columns {
                return Err(ScanError::Limit(cols, col, self.columns));
            }
            places.push((row, col));
        }
        if let [start, end] = places[..]
            && (start.0 > end.0 || start.1 > end.1)
        {
            return Err(ScanError::Malformed(format!(
                "the worksheet's dimension {} ends before it starts",
                String::from_utf8_lossy(value)
            )));
        }
        Ok(())
    }

    fn cell(&self, len: u64) -> Result<(), ScanError> {
        if len > self.cell_bytes {
            return Err(ScanError::Limit(WorkbookLimit::Cell, len, self.cell_bytes));
        }
        Ok(())
    }

    fn string(&mut self, len: u64) -> Result<(), ScanError> {
        if len > self.cell_bytes {
            return Err(ScanError::Limit(
                WorkbookLimit::SharedString,
                len,
                self.cell_bytes,
            ));
        }
        self.string_bytes += len;
        if self.string_bytes > self.shared_string_bytes {
            return Err(ScanError::Limit(
                WorkbookLimit::SharedStringBytes,
                self.string_bytes,
                self.shared_string_bytes,
            ));
        }
        Ok(())
    }
}

/// A tag's attributes (` a="1" b='2'`) as `(key, value)` pairs, read as `calamine` reads
/// them: a key is everything up to the next `=` (trailing whitespace dropped), a value runs to
/// its closing quote (or the end), and the pairs end at one without `=` or a quoted value,
/// where calamine stops with an error.
fn attributes(attrs: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut rest = attrs;
    std::iter::from_fn(move || {
        rest = rest.trim_ascii_start();
        let eq = rest.iter().position(|&b| b == b'=')?;
        let key = rest[..eq].trim_ascii_end();
        let (&quote, value) = rest[eq + 1..].trim_ascii_start().split_first()?;
        if quote != b'"' && quote != b'\'' {
            rest = &[];
            return None;
        }
        let close = value
            .iter()
            .position(|&b| b == quote)
            .unwrap_or(value.len());
        rest = value.get(close + 1..).unwrap_or_default();
        Some((key, &value[..close]))
    })
}

/// A cell (`B7`) or row (`7`) reference as (row, column) from 1 (column 0: none), saturating;
/// `None` if it is not letters then digits.
fn reference(r: &[u8]) -> Option<(u64, u64)> {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let (col, row) = r.split_at(letters);
    if row.is_empty() || !row.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let col = col.iter().fold(0u64, |n, &b| {
        n.saturating_mul(26)
            .saturating_add(u64::from(b.to_ascii_uppercase() - b'A') + 1)
    });
    let row = row.iter().fold(0u64, |n, &b| {
        n.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    });
    Some((row, col))
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
fn cell_text<'c>(cell: &'c DataRef<'_>, usage: ColumnUse) -> Result<Cow<'c, str>, InputErrorKind> {
    let number = |f: f64| -> Result<Cow<'c, str>, InputErrorKind> {
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
        DataRef::Empty => Ok(Cow::Borrowed("")),
        DataRef::String(s) => Ok(Cow::Borrowed(s.as_str())),
        DataRef::SharedString(s) => Ok(Cow::Borrowed(s)),
        DataRef::Int(i) => {
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
        DataRef::Float(f) => number(*f),
        DataRef::Bool(b) => Ok(Cow::Borrowed(if *b { "true" } else { "false" })),
        DataRef::DateTime(dt) => {
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
        DataRef::DateTimeIso(s) => Ok(Cow::Borrowed(
            s.strip_suffix("T00:00:00").unwrap_or(s.as_str()),
        )),
        DataRef::DurationIso(s) => Ok(Cow::Borrowed(s.as_str())),
        DataRef::Error(e) => Err(InputErrorKind::CellError {
            value: e.to_string(),
        }),
    }
}

/// Reads a table from the first worksheet of a workbook, under `limits`.
///
/// The parts are checked first ([`check_parts`]); then the worksheet is read twice, cell by
/// cell: once to check rows, columns and cells and to find the used rectangle and whether the
/// cells come in order, and once to build the rows, one at a time. Cells out of order (which
/// Excel never writes) are sorted in memory instead, bounded by [`XlsxLimits::cells`]. The
/// rows are those of the used rectangle of the non-empty cells, each as wide as it, the last
/// cell written at a place winning, as `calamine`'s own ranges have them.
fn read_workbook<T: Row, RS: Read + Seek>(
    file_name: &str,
    mut rs: RS,
    limits: &XlsxLimits,
) -> Result<Roster<T>, InputErrors> {
    let mut driver = Driver::<T>::new(file_name, false);
    let workbook_error = |message: String| InputErrorKind::Workbook { message };
    let checked = check_parts(&mut rs, limits).and_then(|()| {
        rs.seek(SeekFrom::Start(0))
            .map(drop)
            .map_err(|e| workbook_error(e.to_string()))
    });
    if let Err(kind) = checked {
        driver.sink.error(0, None, kind);
        return Err(driver.sink.take_errors());
    }
    let mut workbook: Xlsx<RS> = match calamine::open_workbook_from_rs(rs) {
        Ok(w) => w,
        Err(e) => {
            driver.sink.error(0, None, workbook_error(e.to_string()));
            return Err(driver.sink.take_errors());
        }
    };
    let Some(sheet) = workbook.sheet_names().first().cloned() else {
        driver.sink.error(0, None, InputErrorKind::NoWorksheet);
        return Err(driver.sink.take_errors());
    };
    let shape = match survey(&mut workbook, &sheet, limits) {
        Ok(shape) => shape,
        Err(kind) => {
            driver.sink.error(0, None, kind);
            return Err(driver.sink.take_errors());
        }
    };
    let mut state = SheetState {
        driver,
        rows_out: Vec::new(),
        lines: Vec::new(),
        header_seen: false,
        done: false,
    };
    if let Some(shape) = shape {
        let read = if shape.ordered {
            read_in_order(&mut workbook, &sheet, &shape, &mut state)
        } else {
            read_sorted(&mut workbook, &sheet, &shape, &mut state)
        };
        if let Err(e) = read {
            state
                .driver
                .sink
                .error(0, None, workbook_error(e.to_string()));
            return Err(state.driver.sink.take_errors());
        }
    }
    let SheetState {
        driver,
        rows_out,
        lines,
        ..
    } = state;
    let finished = driver.finish()?;
    Ok(Roster {
        table: T::TABLE,
        rows: rows_out,
        lines,
        warnings: finished.warnings,
        warnings_omitted: finished.warnings_omitted,
        encoding: Encoding::Xlsx,
        header_language: finished.header_language,
        columns: finished.columns,
    })
}

/// The used columns of a worksheet's non-empty cells (from 0), and whether
/// its cells come in row-then-column order without repeats.
struct Shape {
    first_col: u32,
    last_col: u32,
    ordered: bool,
}

/// The worksheet's cells, or `None` if it is not a worksheet (a chart sheet reads as empty).
fn cells_reader<'a, RS: Read + Seek>(
    workbook: &'a mut Xlsx<RS>,
    sheet: &str,
) -> Result<Option<calamine::XlsxCellReader<'a, RS>>, XlsxError> {
    match workbook.worksheet_cells_reader(sheet) {
        Ok(r) => Ok(Some(r)),
        Err(XlsxError::NotAWorksheet(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The first pass: checks the declared dimension and every cell's row and column against the
/// limits, counts the cells, and finds the used rectangle; `None` when no cell has a value.
fn survey<RS: Read + Seek>(
    workbook: &mut Xlsx<RS>,
    sheet: &str,
    limits: &XlsxLimits,
) -> Result<Option<Shape>, InputErrorKind> {
    let workbook_error = |e: XlsxError| InputErrorKind::Workbook {
        message: e.to_string(),
    };
    let Some(mut reader) = cells_reader(workbook, sheet).map_err(workbook_error)? else {
        return Ok(None);
    };
    let dim = reader.dimensions();
    let (rows, cols) = (u64::from(dim.end.0) + 1, u64::from(dim.end.1) + 1);
    if rows > limits.rows {
        return Err(over(WorkbookLimit::DimensionRows, sheet, rows, limits.rows));
    }
    if cols > limits.columns {
        return Err(over(
            WorkbookLimit::DimensionColumns,
            sheet,
            cols,
            limits.columns,
        ));
    }
    let mut count = 0u64;
    let mut shape: Option<Shape> = None;
    let mut last: Option<(u32, u32)> = None;
    while let Some(cell) = reader.next_cell().map_err(workbook_error)? {
        count += 1;
        if count > limits.cells {
            return Err(over(WorkbookLimit::Cells, sheet, count, limits.cells));
        }
        let (row, col) = cell.get_position();
        if u64::from(row) + 1 > limits.rows {
            return Err(over(
                WorkbookLimit::Rows,
                sheet,
                u64::from(row) + 1,
                limits.rows,
            ));
        }
        if u64::from(col) + 1 > limits.columns {
            return Err(over(
                WorkbookLimit::Columns,
                sheet,
                u64::from(col) + 1,
                limits.columns,
            ));
        }
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        let in_order = last.is_none_or(|l| l < (row, col));
        last = Some((row, col));
        match &mut shape {
            None => {
                shape = Some(Shape {
                    first_col: col,
                    last_col: col,
                    ordered: true,
                })
            }
            Some(s) => {
                s.first_col = s.first_col.min(col);
                s.last_col = s.last_col.max(col);
                s.ordered &= in_order;
            }
        }
    }
    Ok(shape)
}

/// What the row-by-row reading has built so far.
struct SheetState<T: Row> {
    driver: Driver<T>,
    rows_out: Vec<T>,
    lines: Vec<u64>,
    header_seen: bool,
    /// The header was refused: nothing more is read.
    done: bool,
}

/// The second pass over a sheet whose cells come in order: one row in memory at a time.
fn read_in_order<T: Row, RS: Read + Seek>(
    workbook: &mut Xlsx<RS>,
    sheet: &str,
    shape: &Shape,
    state: &mut SheetState<T>,
) -> Result<(), XlsxError> {
    let Some(mut reader) = cells_reader(workbook, sheet)? else {
        return Ok(());
    };
    let mut rows = RowGrouper::new(shape);
    while let Some(cell) = reader.next_cell()? {
        if state.done {
            return Ok(());
        }
        if !matches!(cell.get_value(), DataRef::Empty) {
            rows.push(state, shape, cell);
        }
    }
    rows.finish(state, shape);
    Ok(())
}

/// The second pass over a sheet whose cells do not come in order: all sorted in memory.
fn read_sorted<T: Row, RS: Read + Seek>(
    workbook: &mut Xlsx<RS>,
    sheet: &str,
    shape: &Shape,
    state: &mut SheetState<T>,
) -> Result<(), XlsxError> {
    let Some(mut reader) = cells_reader(workbook, sheet)? else {
        return Ok(());
    };
    let mut cells: Vec<Cell<DataRef<'_>>> = Vec::new();
    while let Some(cell) = reader.next_cell()? {
        if !matches!(cell.get_value(), DataRef::Empty) {
            cells.push(cell);
        }
    }
    // Stable: of two cells at one place, the later one stays last, and wins below.
    cells.sort_by_key(Cell::get_position);
    let mut rows = RowGrouper::new(shape);
    for cell in cells {
        if state.done {
            return Ok(());
        }
        rows.push(state, shape, cell);
    }
    rows.finish(state, shape);
    Ok(())
}

/// Gathers cells that come in row order into whole rows of the used rectangle, handing each
/// row on as soon as a cell of a later row arrives.
struct RowGrouper<'a> {
    row: Vec<DataRef<'a>>,
    current: Option<u32>,
}

impl<'a> RowGrouper<'a> {
    fn new(shape: &Shape) -> Self {
        let width = (shape.last_col - shape.first_col) as usize + 1;
        RowGrouper {
            row: vec![DataRef::Empty; width],
            current: None,
        }
    }

    /// Places a non-empty cell; a cell of a later row first emits the row gathered so far.
    fn push<T: Row>(&mut self, state: &mut SheetState<T>, shape: &Shape, cell: Cell<DataRef<'a>>) {
        let (r, c) = cell.get_position();
        if let Some(cur) = self.current.filter(|&cur| cur != r) {
            emit_row(state, cur, shape, &mut self.row);
        }
        self.current = Some(r);
        self.row[(c - shape.first_col) as usize] = cell.get_value().clone();
    }

    /// Emits the last row.
    fn finish<T: Row>(mut self, state: &mut SheetState<T>, shape: &Shape) {
        if let Some(r) = self.current {
            emit_row(state, r, shape, &mut self.row);
        }
    }
}

/// Reads one worksheet row (`r` from 0; its cells from the used rectangle's first column) as
/// a header or a data row, and empties `row` for the next one.
fn emit_row<T: Row>(state: &mut SheetState<T>, r: u32, shape: &Shape, row: &mut [DataRef<'_>]) {
    if !state.done {
        read_row(state, r, shape, row);
    }
    row.fill(DataRef::Empty);
}

fn read_row<T: Row>(state: &mut SheetState<T>, r: u32, shape: &Shape, row: &[DataRef<'_>]) {
    let driver = &mut state.driver;
    let line = u64::from(r) + 1;
    let first_col = shape.first_col as usize;
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
        return;
    }
    if !state.header_seen {
        state.header_seen = true;
        if line != 1 {
            driver
                .sink
                .error(line, None, InputErrorKind::HeaderNotInFirstRow);
            state.done = true;
            return;
        }
        for (_, kind) in pre {
            driver.sink.error(line, None, kind);
        }
        if driver.has_errors() || !driver.header(&cells, line) {
            state.done = true;
        }
        return;
    }
    if let Some(r) = driver.row(&cells, line, pre) {
        state.rows_out.push(r);
        state.lines.push(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_ends_where_quick_xml_ends_it() {
        let limits = XlsxLimits {
            cell_bytes: 100,
            ..XlsxLimits::DEFAULT
        };
        let scan = |xml: &str| {
            let mut s = XmlScan::new(&limits);
            s.feed(xml.as_bytes()).map(|()| s.open_cell.is_some())
        };
        let text = "x".repeat(60);
        // `</c/>`, `</c x>` and `</a:b:c>` end no `c` for quick-xml; `</c >` and `</x:c>` do.
        for end in ["</c/>", "</c x>", "</a:b:c>"] {
            let xml = format!("<c>{text}{end}{text}</c>");
            assert!(
                matches!(scan(&xml), Err(ScanError::Limit(WorkbookLimit::Cell, ..))),
                "{end}"
            );
        }
        for end in ["</c >", "</x:c>", "</c\t>"] {
            let xml = format!("<c>{text}{end}{text}");
            assert!(matches!(scan(&xml), Ok(false)), "{end}");
        }
        // A quote in a name hides a `>`: `<c"x>">` is one tag, named `c"x>"`, so no cell;
        // and a name's quotes do not end it: `<x"q":c …>` is a cell.
        assert!(matches!(scan(r#"<c"x>"><v>1</v>"#), Ok(false)));
        assert!(matches!(scan(r#"<x"q":c r="A1"><v>"#), Ok(true)));
        assert!(matches!(scan("<c/>"), Ok(false)));
    }

    #[test]
    fn attributes_are_found_as_calamine_finds_them() {
        let a = |attrs: &str| {
            attributes(attrs.as_bytes())
                .map(|(k, v)| {
                    format!(
                        "{}={}",
                        String::from_utf8_lossy(k),
                        String::from_utf8_lossy(v)
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(a(r#" ref="A1:B2" t='s'"#), ["ref=A1:B2", "t=s"]);
        assert_eq!(a(" ref = 'A1'"), ["ref=A1"]);
        // A key runs to the next `=`, whitespace and all.
        assert_eq!(a(r#" a b="1" ref="A2""#), ["a b=1", "ref=A2"]);
        // Form feed is whitespace here, as in calamine.
        assert_eq!(a(" \x0Cref=\"A3\""), ["ref=A3"]);
        // An unclosed value runs to the end; an unquoted one ends the pairs.
        assert_eq!(a(r#" ref="A4"#), ["ref=A4"]);
        assert_eq!(a(r#" r="A5" x=1 ref="A5""#), ["r=A5"]);
        // Repeats are all there (calamine may take any of them).
        assert_eq!(a(r#" r="G1" r="inlineStr""#), ["r=G1", "r=inlineStr"]);
    }

    #[test]
    fn numbers_become_text_as_people_read_them() {
        let t = |d: DataRef<'_>, u: ColumnUse| cell_text(&d, u).map(|c| c.into_owned());
        assert_eq!(
            t(DataRef::Float(520102.0), ColumnUse::Code).unwrap(),
            "520102"
        );
        assert_eq!(t(DataRef::Float(-3.0), ColumnUse::Text).unwrap(), "-3");
        assert_eq!(t(DataRef::Float(2.5), ColumnUse::Text).unwrap(), "2.5");
        assert_eq!(
            t(DataRef::Float(110108000000016.0), ColumnUse::Code).unwrap(),
            "110108000000016"
        );
        assert!(matches!(
            t(DataRef::Float(9.13501e17), ColumnUse::Code),
            Err(InputErrorKind::NumberInCodeColumn { .. })
        ));
        assert_eq!(
            t(DataRef::Float(9.13501e17), ColumnUse::Text).unwrap(),
            "913501000000000000"
        );
        assert!(matches!(
            t(DataRef::Int(1_000_000_000_000_000), ColumnUse::Code),
            Err(InputErrorKind::NumberInCodeColumn { .. })
        ));
        assert_eq!(t(DataRef::Int(42), ColumnUse::Code).unwrap(), "42");
        assert_eq!(
            t(DataRef::Float(1311.0), ColumnUse::Industry).unwrap(),
            "1311"
        );
        assert_eq!(t(DataRef::Float(13.0), ColumnUse::Industry).unwrap(), "13");
        assert!(t(DataRef::Float(111.0), ColumnUse::Industry).is_err());
        assert!(t(DataRef::Int(5), ColumnUse::Industry).is_err());
        assert!(t(DataRef::Float(f64::NAN), ColumnUse::Industry).is_err());
        assert_eq!(
            t(DataRef::Float(f64::INFINITY), ColumnUse::Text).unwrap(),
            "inf"
        );
        assert_eq!(t(DataRef::Bool(true), ColumnUse::Text).unwrap(), "true");
        assert_eq!(
            t(
                DataRef::DateTimeIso("2026-03-01T00:00:00".into()),
                ColumnUse::Text
            )
            .unwrap(),
            "2026-03-01"
        );
        assert!(matches!(
            t(DataRef::Error(calamine::CellErrorType::NA), ColumnUse::Text),
            Err(InputErrorKind::CellError { .. })
        ));
    }

    #[test]
    fn excel_dates_become_iso_dates() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        // 46082 is 2026-03-01 in the 1900 date system.
        let d = DataRef::DateTime(ExcelDateTime::new(
            46082.0,
            ExcelDateTimeType::DateTime,
            false,
        ));
        assert_eq!(cell_text(&d, ColumnUse::Text).unwrap(), "2026-03-01");
        let d = DataRef::DateTime(ExcelDateTime::new(
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
