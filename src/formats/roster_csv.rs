//! Roster CSV files as Excel and older databases write them: UTF-8 with or without a byte order
//! mark, or GB18030/GBK; CRLF or LF; Chinese or English headers in any order.
//!
//! The file is parsed as raw bytes and each field decoded on its own. That is sound because
//! GB18030 multi-byte sequences never contain `,` `"` CR or LF, and it lets the reader stream:
//! a large file is never loaded whole to be decoded. The encoding is fixed by a UTF-8 byte order
//! mark at the start of the file, or else by the first field that holds non-ASCII bytes (valid
//! UTF-8: UTF-8; otherwise GB18030, decoded strictly with no replacement characters), as SPEC
//! §3.3 states. A later field that does not fit is an error, never a silent replacement.
//!
//! Memory stays bounded whatever the input: a field longer than [`FIELD_LIMIT`] or a row longer
//! than [`ROW_LIMIT`] is an error, and reading stops at a row so long that it would have to be
//! buffered beyond the limit.
//!
//! Every reader collects all problems of the file (see [`super::error`]) and returns rows in file
//! order. The column rules are those of [`super::roster`].
//!
//! ```
//! use double_random::formats::roster::Encoding;
//! use double_random::formats::roster_csv::read_entities;
//!
//! // GBK bytes, as Excel on a Chinese system saves "CSV (逗号分隔)".
//! let text = "统一社会信用代码,名称,类型,行政区划代码,登记状态\r\n\
//!             ９１３５０１００ｍ０００１００ｙ４３,甲公司,企业,350100,存续\r\n";
//! let (gbk, _, _) = encoding_rs::GBK.encode(text);
//! let roster = read_entities("entities.csv", &gbk[..])?;
//! assert_eq!(roster.encoding, Encoding::Gb18030);
//! assert_eq!(roster.rows[0].id, "91350100M000100Y43");
//! assert_eq!(roster.rows[0].name, "甲公司");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::borrow::Cow;
use std::io::{self, Read};

use super::error::{InputErrorKind, InputErrors};
use super::roster::{Driver, Encoding, Roster, RosterSummary, Row};
use crate::model::{Conflict, Entity, HistoryRecord, Inspector, Item};

/// The longest field accepted, in bytes (64 KiB).
///
/// No roster value comes near it; the limit keeps hostile or broken files (a missing closing
/// quote swallowing the rest of the file) from using unbounded memory.
///
/// ```
/// assert_eq!(double_random::formats::roster_csv::FIELD_LIMIT, 65536);
/// ```
pub const FIELD_LIMIT: usize = 64 * 1024;

/// The longest row accepted, in bytes (1 MiB); see [`FIELD_LIMIT`].
///
/// ```
/// assert_eq!(double_random::formats::roster_csv::ROW_LIMIT, 1 << 20);
/// ```
pub const ROW_LIMIT: usize = 1024 * 1024;

/// How far past [`ROW_LIMIT`] the reader buffers before it gives up on a row.
pub(crate) const WINDOW_LIMIT: usize = ROW_LIMIT + 64 * 1024;

/// Reads an entity roster (检查对象名录库) from CSV.
///
/// Use it for rosters that fit in memory; for national-scale rosters use [`for_each_entity`],
/// which hands rows over one by one. Rows come back in file order with their lines.
///
/// # Errors
///
/// Every problem in the file, with file, line and field (see [`InputErrors`]).
///
/// ```
/// use double_random::formats::roster_csv::read_entities;
/// use double_random::model::{EntityKind, EntityStatus, RiskClass};
///
/// let csv = "统一社会信用代码,名称,类型,行政区划代码,行业代码,登记状态,经营异常名录,信用风险分类,标签\n\
///            91350100M000100Y43,甲公司,企业,350100,1311,存续,否,B,食品；大型、食品\n";
/// let roster = read_entities("entities.csv", csv.as_bytes())?;
/// let e = &roster.rows[0];
/// assert_eq!((e.kind, e.status, e.risk), (Some(EntityKind::Enterprise), EntityStatus::Active, Some(RiskClass::B)));
/// assert_eq!(e.industry, "C1311");
/// assert_eq!(e.tags, ["大型", "食品"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_entities(file_name: &str, reader: impl Read) -> Result<Roster<Entity>, InputErrors> {
    read_table(file_name, reader)
}

/// Reads an inspector roster (执法检查人员名录库) from CSV.
///
/// Kind defaults to officer and status to on duty when their columns are absent or empty.
///
/// # Errors
///
/// Every problem in the file (see [`InputErrors`]).
///
/// ```
/// use double_random::formats::roster_csv::read_inspectors;
/// use double_random::model::InspectorKind;
///
/// let csv = "执法证号,姓名,所属部门,执法资质,人员类别\nｇｚ-001,张三,市场监管局,食品|药品,\nGZ-002,李四,市场监管局,,专家\n";
/// let roster = read_inspectors("inspectors.csv", csv.as_bytes())?;
/// assert_eq!(roster.rows[0].id, "GZ-001");
/// assert_eq!(roster.rows[0].qualifications, ["药品", "食品"]);
/// assert_eq!(roster.rows[1].kind, InspectorKind::Expert);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_inspectors(
    file_name: &str,
    reader: impl Read,
) -> Result<Roster<Inspector>, InputErrors> {
    read_table(file_name, reader)
}

/// Reads the item list (随机抽查事项清单) from CSV.
///
/// # Errors
///
/// Every problem in the file (see [`InputErrors`]).
///
/// ```
/// use double_random::formats::roster_csv::read_items;
/// use double_random::model::ItemCategory;
///
/// let csv = "事项编号,事项名称,检查依据,事项类别,所需资质\nGZ-SC-001,企业公示信息抽查,企业信息公示暂行条例,一般,\n";
/// let items = read_items("items.csv", csv.as_bytes())?;
/// assert_eq!(items.rows[0].category, ItemCategory::General);
/// assert_eq!(items.rows[0].subject, "");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_items(file_name: &str, reader: impl Read) -> Result<Roster<Item>, InputErrors> {
    read_table(file_name, reader)
}

/// Reads declared conflicts of interest (回避) from CSV.
///
/// A file with a header and no rows is valid: nothing was declared.
///
/// # Errors
///
/// Every problem in the file (see [`InputErrors`]); the same pair twice names both lines.
///
/// ```
/// use double_random::formats::roster_csv::read_conflicts;
///
/// let csv = "执法证号,统一社会信用代码,回避事由\nGZ-001,91350100m000100y43,亲属任职\n";
/// let c = read_conflicts("conflicts.csv", csv.as_bytes())?;
/// assert_eq!(c.rows[0].entity, "91350100M000100Y43");
/// assert!(read_conflicts("conflicts.csv", "inspector,entity\n".as_bytes())?.rows.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_conflicts(file_name: &str, reader: impl Read) -> Result<Roster<Conflict>, InputErrors> {
    read_table(file_name, reader)
}

/// Reads past inspections from CSV.
///
/// Dates may be written `2026-03-01`, `2026/3/1` or `2026年3月1日`; inspectors are a list of
/// certificate numbers separated by `;` `；` `、` or `|`; an empty kind means a random inspection.
///
/// # Errors
///
/// Every problem in the file (see [`InputErrors`]).
///
/// ```
/// use double_random::formats::roster_csv::read_history;
/// use double_random::model::HistoryKind;
///
/// let csv = "统一社会信用代码,检查日期,事项编号,检查人员,检查类型\n91350100M000100Y43,2025/9/3,GZ-SC-001,GZ-002、gz-001,\n";
/// let h = read_history("history.csv", csv.as_bytes())?;
/// assert_eq!(h.rows[0].date.to_string(), "2025-09-03");
/// assert_eq!(h.rows[0].inspectors, ["GZ-001", "GZ-002"]);
/// assert_eq!(h.rows[0].kind, HistoryKind::Random);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_history(
    file_name: &str,
    reader: impl Read,
) -> Result<Roster<HistoryRecord>, InputErrors> {
    read_table(file_name, reader)
}

/// Streams an entity roster: hands each valid row to `f` with its line, and returns the count,
/// the table fingerprint and how the file was read.
///
/// For national-scale rosters: only what duplicate detection needs (a packed id and a line per
/// row) is kept, plus 32 bytes per row for the fingerprint. Every row of the file is still checked
/// and every problem collected; once a problem has been found, `f` is not called again, and the
/// result is the collected problems. So a caller must treat rows it received as provisional until
/// this function returns `Ok`.
///
/// # Errors
///
/// `f`'s first error, returned at once; otherwise every problem in the file, converted with
/// `E::from(InputErrors)`.
///
/// ```
/// use double_random::formats::error::InputErrors;
/// use double_random::formats::roster_csv::for_each_entity;
///
/// let csv = "id,name,kind,region,status\n\
///            91350100M000100Y43,甲,enterprise,350100,active\n\
///            110108000000016,乙,individual,110108,active\n";
/// let mut ids = Vec::new();
/// let summary = for_each_entity("entities.csv", csv.as_bytes(), |line, e| {
///     ids.push((line, e.id));
///     Ok::<(), InputErrors>(())
/// })?;
/// assert_eq!(summary.rows, 2);
/// assert_eq!(ids[1], (3, "110108000000016".to_string()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn for_each_entity<E: From<InputErrors>>(
    file_name: &str,
    reader: impl Read,
    mut f: impl FnMut(u64, Entity) -> Result<(), E>,
) -> Result<RosterSummary, E> {
    for_each_entity_at(file_name, reader, |pos, e| f(pos.line, e))
}

/// Streams an entity roster like [`for_each_entity`], handing over where each row lies in the
/// file as well, so that a caller can come back for a few rows with [`read_entities_at`].
pub(crate) fn for_each_entity_at<E: From<InputErrors>>(
    file_name: &str,
    reader: impl Read,
    f: impl FnMut(RowPos, Entity) -> Result<(), E>,
) -> Result<RosterSummary, E> {
    for_each_row(file_name, reader, true, f)
}

/// Streams the history table like [`for_each_entity`]: each valid row goes to `f`, none is
/// kept, and the summary holds the table's fingerprint.
///
/// A national history table holds millions of past inspections; a draw needs only what the
/// repeat rules and the inspector window make of them.
///
/// With `threads` the reading is spread over three threads, as for entities. Without, it all
/// happens on the calling thread: for a caller that reads other tables on the other cores at
/// the same time, and would otherwise pay for handing rows between threads.
pub(crate) fn for_each_history<E: From<InputErrors>>(
    file_name: &str,
    reader: impl Read,
    threads: bool,
    f: impl FnMut(RowPos, HistoryRecord) -> Result<(), E>,
) -> Result<RosterSummary, E> {
    for_each_row(file_name, reader, threads, f)
}

/// The streaming reader behind [`for_each_entity_at`] and [`for_each_history`]; with
/// `threads`, records are parsed on this thread while rows are checked on another and hashed on
/// a third, otherwise all on this thread.
fn for_each_row<T: Row, E: From<InputErrors>>(
    file_name: &str,
    reader: impl Read,
    threads: bool,
    mut f: impl FnMut(RowPos, T) -> Result<(), E>,
) -> Result<RosterSummary, E> {
    let mut rows = 0u64;
    let (finished, encoding) = match run::<T, E>(file_name, reader, (true, threads), |pos, e| {
        rows += 1;
        f(pos, e)
    }) {
        Ok(x) => x,
        Err(Stop::Input(e)) => return Err(E::from(e)),
        Err(Stop::Callback(e)) => return Err(e),
    };
    let digest = match finished.digest {
        Some(d) => d,
        None => crate::digest::table_digest(T::TABLE.as_str(), Vec::new()),
    };
    Ok(RosterSummary {
        table: T::TABLE,
        rows,
        digest,
        warnings: finished.warnings,
        warnings_omitted: finished.warnings_omitted,
        encoding,
        header_language: finished.header_language,
        columns: finished.columns,
    })
}

/// Reads again the entity rows at `at` (positions handed over by [`for_each_entity_at`] on the
/// same file, which was read as `encoding`), in the order given.
///
/// Only the header and those rows are parsed. A row that no longer parses to a valid entity means
/// the file changed between the two reads, and is an error.
pub(crate) fn read_entities_at(
    file_name: &str,
    file: &std::fs::File,
    encoding: Encoding,
    at: &[RowPos],
) -> Result<Vec<Entity>, InputErrors> {
    let mut reader = file;
    let io_err = |e: io::Error| InputErrors::io(file_name, &e);
    let changed = || {
        InputErrors::io(
            file_name,
            &io::Error::new(
                io::ErrorKind::InvalidData,
                "the file changed while it was being read",
            ),
        )
    };
    let mut driver = Driver::<Entity>::new(file_name, false);
    io::Seek::seek(&mut reader, io::SeekFrom::Start(0)).map_err(io_err)?;
    let bom = {
        let (bom, _, stream) = open(&mut reader).map_err(io_err)?;
        let mut decoder = Decoder {
            bom,
            decided: if encoding == Encoding::Gb18030 {
                Decided::Gb18030 { line: 0 }
            } else {
                Decided::Utf8 { line: 0 }
            },
        };
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(Source::new(stream));
        let mut rec = csv::ByteRecord::new();
        loop {
            match rdr.read_byte_record(&mut rec) {
                Ok(true) if is_blank(&rec) => continue,
                Ok(true) => break,
                _ => return Err(changed()),
            }
        }
        let end = rdr.position().byte();
        let line = rdr.get_mut().finish_row(end).0;
        let mut cells = Vec::with_capacity(rec.len());
        for (col, field) in rec.iter().enumerate() {
            cells.push(
                decoder
                    .decode(field, line, col + 1)
                    .map_err(|_| changed())?,
            );
        }
        if !driver.header(&cells, line) {
            return Err(changed());
        }
        (bom, decoder)
    };
    let (bom, mut decoder) = bom;
    let base = if bom { 3 } else { 0 };
    let mut buf = Vec::new();
    let mut rec = csv::ByteRecord::new();
    let mut out = Vec::with_capacity(at.len());
    // Rows are gathered a chunk at a time and parsed by one CSV reader: building a reader per
    // row would cost more than parsing the row.
    for chunk in at.chunks(1024) {
        buf.clear();
        for pos in chunk {
            let start = buf.len();
            buf.resize(start + pos.len, 0);
            read_exact_at(file, &mut buf[start..], base + pos.offset).map_err(io_err)?;
            buf.push(b'\n');
        }
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&buf[..]);
        for pos in chunk {
            loop {
                match rdr.read_byte_record(&mut rec) {
                    Ok(true) if rec.len() == 1 && rec[0].is_empty() => continue,
                    Ok(true) => break,
                    _ => return Err(changed()),
                }
            }
            let mut cells = Vec::with_capacity(rec.len());
            for (col, field) in rec.iter().enumerate() {
                cells.push(
                    decoder
                        .decode(field, pos.line, col + 1)
                        .map_err(|_| changed())?,
                );
            }
            match driver.row(&cells, pos.line, Vec::new()) {
                Some(e) if !driver.has_errors() => out.push(e),
                _ => return Err(changed()),
            }
        }
    }
    Ok(out)
}

/// Fills `buf` from `file` at `offset`: one system call where the system has it.
pub(crate) fn read_exact_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
    }
    #[cfg(not(unix))]
    {
        let mut f = file;
        io::Seek::seek(&mut f, io::SeekFrom::Start(offset))?;
        f.read_exact(buf)
    }
}

/// Reads a whole table into a [`Roster`].
fn read_table<T: Row>(file_name: &str, reader: impl Read) -> Result<Roster<T>, InputErrors> {
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    let (finished, encoding) =
        run::<T, std::convert::Infallible>(file_name, reader, (false, true), |pos, row| {
            rows.push(row);
            lines.push(pos.line);
            Ok(())
        })
        .map_err(|e| match e {
            Stop::Input(e) => e,
            Stop::Callback(never) => match never {},
        })?;
    Ok(Roster {
        table: T::TABLE,
        rows,
        lines,
        warnings: finished.warnings,
        warnings_omitted: finished.warnings_omitted,
        encoding,
        header_language: finished.header_language,
        columns: finished.columns,
    })
}

/// Why a run stopped.
enum Stop<E> {
    Input(InputErrors),
    Callback(E),
}

/// The reader under the CSV parser: keeps the bytes of the current row (to find the line it
/// starts on and to bound its length) and refuses to buffer more than [`WINDOW_LIMIT`].
struct Source<R> {
    inner: R,
    /// Bytes from the current row's start onward are `buf[head..]`.
    buf: Vec<u8>,
    head: usize,
    /// Stream offset of `buf[head]`.
    start: u64,
    /// Newlines before `start`.
    lines_before: u64,
    /// The row limit was hit: the parser's error is ours.
    tripped: bool,
}

impl<R: Read> Source<R> {
    fn new(inner: R) -> Self {
        Source {
            inner,
            buf: Vec::new(),
            head: 0,
            start: 0,
            lines_before: 0,
            tripped: false,
        }
    }

    /// Drops `n` bytes from the front of the window, counting their newlines.
    fn drop_front(&mut self, n: usize) {
        let n = n.min(self.buf.len() - self.head);
        let dropped = &self.buf[self.head..self.head + n];
        self.lines_before += dropped.iter().filter(|&&b| b == b'\n').count() as u64;
        self.head += n;
        self.start += n as u64;
        if self.head >= 64 * 1024 && self.head * 2 >= self.buf.len() {
            self.buf.drain(..self.head);
            self.head = 0;
        }
    }

    /// Drops blank-line bytes at the front: the window starts at a row boundary, where CR and LF
    /// can only be line ends.
    fn drop_blank_lines(&mut self) {
        let lead = self.buf[self.head..]
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        self.drop_front(lead);
    }

    /// The parser finished a row at stream offset `end`: returns the row's first line, its
    /// stream offset and its length in bytes, and moves the window past it.
    fn finish_row(&mut self, end: u64) -> (u64, u64, usize) {
        self.drop_blank_lines();
        let line = self.lines_before + 1;
        let offset = self.start;
        let len = usize::try_from(end.saturating_sub(self.start)).unwrap_or(usize::MAX);
        self.drop_front(len);
        (line, offset, len)
    }

    /// The line the current (unfinished) row starts on.
    fn current_line(&mut self) -> u64 {
        self.drop_blank_lines();
        self.lines_before + 1
    }
}

impl<R: Read> Read for Source<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        self.drop_blank_lines();
        let held = self.buf.len() - self.head;
        if held >= WINDOW_LIMIT {
            self.tripped = true;
            return Err(io::Error::other("row longer than the limit"));
        }
        let room = (WINDOW_LIMIT - held).min(out.len());
        let n = loop {
            match self.inner.read(&mut out[..room]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        self.buf.extend_from_slice(&out[..n]);
        Ok(n)
    }
}

/// Which encoding the fields are read in, once decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Decided {
    Undecided,
    Utf8 { line: u64 },
    Gb18030 { line: u64 },
}

/// Decodes fields one by one, deciding the encoding on the first non-ASCII field.
struct Decoder {
    bom: bool,
    decided: Decided,
}

impl Decoder {
    fn encoding(&self) -> Encoding {
        match (self.bom, self.decided) {
            (true, _) => Encoding::Utf8Bom,
            (false, Decided::Gb18030 { .. }) => Encoding::Gb18030,
            _ => Encoding::Utf8,
        }
    }

    fn decode<'a>(
        &mut self,
        bytes: &'a [u8],
        line: u64,
        column: usize,
    ) -> Result<Cow<'a, str>, InputErrorKind> {
        if bytes.is_ascii()
            && let Ok(s) = std::str::from_utf8(bytes)
        {
            // ASCII reads the same in every encoding and holds no byte order mark.
            return Ok(Cow::Borrowed(s));
        }
        let text = self.decode_bytes(bytes, line, column)?;
        if text.contains('\u{FEFF}') {
            return Err(InputErrorKind::MisplacedBom { column });
        }
        Ok(text)
    }

    fn decode_bytes<'a>(
        &mut self,
        bytes: &'a [u8],
        line: u64,
        column: usize,
    ) -> Result<Cow<'a, str>, InputErrorKind> {
        let utf8 = std::str::from_utf8(bytes);
        if let Ok(s) = utf8
            && s.is_ascii()
        {
            return Ok(Cow::Borrowed(s));
        }
        let gb = || {
            encoding_rs::GB18030
                .decode_without_bom_handling_and_without_replacement(bytes)
                .map(|c| Cow::Owned(c.into_owned()))
        };
        match self.decided {
            Decided::Undecided => {
                if let Ok(s) = utf8 {
                    self.decided = Decided::Utf8 { line };
                    Ok(Cow::Borrowed(s))
                } else if let Some(s) = gb() {
                    self.decided = Decided::Gb18030 { line };
                    Ok(s)
                } else {
                    Err(InputErrorKind::InvalidEncoding {
                        encoding: None,
                        column,
                    })
                }
            }
            Decided::Utf8 { line: decided_line } => match utf8 {
                Ok(s) => Ok(Cow::Borrowed(s)),
                Err(_) => Err(if gb().is_some() {
                    InputErrorKind::MixedEncoding {
                        encoding: self.encoding(),
                        decided_line,
                        found: Encoding::Gb18030,
                        column,
                    }
                } else {
                    InputErrorKind::InvalidEncoding {
                        encoding: Some(self.encoding()),
                        column,
                    }
                }),
            },
            Decided::Gb18030 { line: decided_line } => match gb() {
                Some(s) => Ok(s),
                None => Err(if utf8.is_ok() {
                    InputErrorKind::MixedEncoding {
                        encoding: Encoding::Gb18030,
                        decided_line,
                        found: Encoding::Utf8,
                        column,
                    }
                } else {
                    InputErrorKind::InvalidEncoding {
                        encoding: Some(Encoding::Gb18030),
                        column,
                    }
                }),
            },
        }
    }
}

/// Reads the first bytes: strips a UTF-8 byte order mark, refuses UTF-16.
pub(crate) fn open(mut reader: impl Read) -> io::Result<(bool, Vec<u8>, impl Read)> {
    let mut prefix = [0u8; 3];
    let mut got = 0;
    while got < 3 {
        match reader.read(&mut prefix[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    let prefix = &prefix[..got];
    let bom = prefix == b"\xEF\xBB\xBF";
    let kept = if bom { Vec::new() } else { prefix.to_vec() };
    let head = prefix.to_vec();
    Ok((bom, head, io::Cursor::new(kept).chain(reader)))
}

/// Whether every field of the row is empty or ASCII white space (a blank row, as Excel writes
/// `,,,,` for formatted empty rows).
pub(crate) fn is_blank(rec: &csv::ByteRecord) -> bool {
    rec.iter().all(|f| f.iter().all(u8::is_ascii_whitespace))
}

/// Where a row was found: its first line, and its bytes in the stream after any byte order mark.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct RowPos {
    /// The line the row starts on.
    pub(crate) line: u64,
    /// Offset of the row's first byte, counted after the byte order mark.
    pub(crate) offset: u64,
    /// Length of the row in bytes, line end included.
    pub(crate) len: usize,
}

/// The reading loop shared by every CSV reader.
fn run<T: Row, E>(
    file_name: &str,
    reader: impl Read,
    (want_leaves, threads): (bool, bool),
    mut f: impl FnMut(RowPos, T) -> Result<(), E>,
) -> Result<(super::roster::Finished, Encoding), Stop<E>> {
    let mut driver = Driver::<T>::new(file_name, want_leaves);
    let (bom, head, reader) = match open(reader) {
        Ok(x) => x,
        Err(e) => {
            driver.sink.error(0, None, io_failure(&e));
            return Err(Stop::Input(driver.sink.take_errors()));
        }
    };
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        driver.sink.error(0, None, InputErrorKind::Utf16);
        return Err(Stop::Input(driver.sink.take_errors()));
    }
    let decoder = Decoder {
        bom,
        // A byte order mark fixes UTF-8 (line 0: before the first line).
        decided: if bom {
            Decided::Utf8 { line: 0 }
        } else {
            Decided::Undecided
        },
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(Source::new(reader));
    let mut w = Worker {
        driver,
        decoder,
        width: None,
    };
    // WebAssembly cannot start a thread.
    if !threads || cfg!(target_family = "wasm") {
        // Everything on this thread: records, rows and the callback in turn.
        w.driver.hash_here();
        let mut rec = csv::ByteRecord::new();
        loop {
            match next_record(&mut rdr, &mut rec) {
                Next::Row(pos) => match w.process(&rec, pos) {
                    Step::Next => {}
                    Step::Emit(pos, row) => f(pos, row).map_err(Stop::Callback)?,
                    Step::Stop => break,
                },
                Next::Blank => {}
                Next::End => break,
                Next::Failed(line, kind) => {
                    w.driver.sink.error(line, None, kind);
                    break;
                }
            }
        }
        let encoding = w.decoder.encoding();
        let finished = w.driver.finish().map_err(Stop::Input)?;
        return Ok((finished, encoding));
    }
    // This thread parses the CSV and hands rows to `f`; a worker thread decodes, checks and
    // fingerprints them (and hashes on a third, see `Leaves`). Results and errors come out in
    // file order, exactly as one thread would give them.
    std::thread::scope(|scope| {
        let (rec_tx, rec_rx) = std::sync::mpsc::sync_channel::<Batch>(4);
        let (row_tx, row_rx) = std::sync::mpsc::sync_channel::<(Vec<(RowPos, T)>, Batch)>(4);
        let worker = scope.spawn(move || {
            for batch in rec_rx {
                let mut out = Vec::with_capacity(batch.used);
                let mut stop = false;
                for slot in &batch.slots[..batch.used] {
                    match w.process(&slot.rec, slot.pos) {
                        Step::Next => {}
                        Step::Emit(pos, row) => out.push((pos, row)),
                        Step::Stop => {
                            stop = true;
                            break;
                        }
                    }
                }
                if !stop && let Some((line, kind)) = &batch.error {
                    w.driver.sink.error(*line, None, kind.clone());
                    stop = true;
                }
                if row_tx.send((out, batch)).is_err() || stop {
                    break;
                }
            }
            w
        });
        let mut failed: Option<E> = None;
        // Emptied batches come back with the rows, so records are reused, never reallocated.
        let mut free: Vec<Batch> = Vec::new();
        let mut deliver = |(rows, batch): (Vec<(RowPos, T)>, Batch), free: &mut Vec<Batch>| {
            free.push(batch);
            for (pos, row) in rows {
                f(pos, row)?;
            }
            Ok::<(), E>(())
        };
        let mut batch = Batch::default();
        let mut worker_gone = false;
        'read: loop {
            if batch.slots.len() == batch.used {
                batch.slots.push(Slot::default());
            }
            let slot = &mut batch.slots[batch.used];
            let mut last = false;
            match next_record(&mut rdr, &mut slot.rec) {
                Next::Row(pos) => {
                    slot.pos = pos;
                    batch.used += 1;
                }
                Next::Blank => {}
                Next::End => last = true,
                Next::Failed(line, kind) => {
                    batch.error = Some((line, kind));
                    last = true;
                }
            }
            if batch.used >= PARSE_BATCH || last {
                let mut next = free.pop().unwrap_or_default();
                next.used = 0;
                next.error = None;
                let mut pending = std::mem::replace(&mut batch, next);
                loop {
                    match rec_tx.try_send(pending) {
                        Ok(()) => break,
                        Err(std::sync::mpsc::TrySendError::Full(b)) => {
                            pending = b;
                            // The worker is busy: hand over what it has finished meanwhile.
                            if let Ok(done) =
                                row_rx.recv_timeout(std::time::Duration::from_millis(1))
                                && let Err(e) = deliver(done, &mut free)
                            {
                                failed = Some(e);
                                break 'read;
                            }
                        }
                        Err(std::sync::mpsc::TrySendError::Disconnected(_)) => {
                            worker_gone = true;
                            break;
                        }
                    }
                }
            }
            while let Ok(done) = row_rx.try_recv() {
                if let Err(e) = deliver(done, &mut free) {
                    failed = Some(e);
                    break 'read;
                }
            }
            if last || worker_gone {
                break;
            }
        }
        drop(rec_tx);
        if failed.is_none() {
            for done in &row_rx {
                if let Err(e) = deliver(done, &mut free) {
                    failed = Some(e);
                    break;
                }
            }
        }
        drop(row_rx);
        let w = match worker.join() {
            Ok(w) => w,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        if let Some(e) = failed {
            return Err(Stop::Callback(e));
        }
        let encoding = w.decoder.encoding();
        let finished = w.driver.finish().map_err(Stop::Input)?;
        Ok((finished, encoding))
    })
}

/// A failed read, as a problem.
fn io_failure(e: &io::Error) -> InputErrorKind {
    InputErrorKind::Io {
        kind: e.kind(),
        message: e.to_string(),
    }
}

/// What the CSV parser gave next.
enum Next {
    /// A record that is not blank, at `RowPos`.
    Row(RowPos),
    /// A blank record, which is skipped.
    Blank,
    /// The end of the file.
    End,
    /// Reading stopped at this line for this reason.
    Failed(u64, InputErrorKind),
}

/// Reads the next record into `rec`.
fn next_record<R: Read>(rdr: &mut csv::Reader<Source<R>>, rec: &mut csv::ByteRecord) -> Next {
    match rdr.read_byte_record(rec) {
        Ok(true) => {
            let end = rdr.position().byte();
            let (line, offset, len) = rdr.get_mut().finish_row(end);
            if is_blank(rec) {
                Next::Blank
            } else {
                Next::Row(RowPos { line, offset, len })
            }
        }
        Ok(false) => Next::End,
        Err(e) => {
            let line = rdr.get_mut().current_line();
            let kind = if rdr.get_ref().tripped {
                InputErrorKind::RowTooLong { limit: ROW_LIMIT }
            } else {
                match e.kind() {
                    csv::ErrorKind::Io(io) => io_failure(io),
                    _ => InputErrorKind::Io {
                        kind: io::ErrorKind::InvalidData,
                        message: e.to_string(),
                    },
                }
            };
            Next::Failed(line, kind)
        }
    }
}

/// Records handed from the parsing thread to the worker at a time.
const PARSE_BATCH: usize = 512;

/// A record and where it was.
#[derive(Default)]
struct Slot {
    rec: csv::ByteRecord,
    pos: RowPos,
}

/// Records handed from the parsing thread to the worker: `slots[..used]`, then, if reading
/// stopped there, the error.
#[derive(Default)]
struct Batch {
    slots: Vec<Slot>,
    used: usize,
    error: Option<(u64, InputErrorKind)>,
}

/// What the worker made of one record.
enum Step<T> {
    /// Nothing to hand over (the header, or a row with problems).
    Next,
    /// A valid row for the callback.
    Emit(RowPos, T),
    /// The file cannot be read further.
    Stop,
}

/// Decodes, checks and fingerprints records on the worker thread.
struct Worker<T> {
    driver: Driver<T>,
    decoder: Decoder,
    width: Option<usize>,
}

impl<T: Row> Worker<T> {
    fn process(&mut self, rec: &csv::ByteRecord, pos: RowPos) -> Step<T> {
        let RowPos { line, len, .. } = pos;
        let driver = &mut self.driver;
        let decoder = &mut self.decoder;
        let mut too_long = false;
        if len > ROW_LIMIT {
            driver
                .sink
                .error(line, None, InputErrorKind::RowTooLong { limit: ROW_LIMIT });
            too_long = true;
        }
        for (col, field) in rec.iter().enumerate() {
            if field.len() > FIELD_LIMIT {
                let f = driver.field_at(col);
                driver.sink.error(
                    line,
                    f,
                    InputErrorKind::FieldTooLong {
                        column: col + 1,
                        len: field.len(),
                        limit: FIELD_LIMIT,
                    },
                );
                too_long = true;
            }
        }
        let Some(width) = self.width else {
            // The header row: any problem in it makes the file unreadable.
            if too_long {
                return Step::Stop;
            }
            let mut cells = Vec::with_capacity(rec.len());
            let mut bad = false;
            for (col, field) in rec.iter().enumerate() {
                match decoder.decode(field, line, col + 1) {
                    Ok(c) => cells.push(c),
                    Err(kind) => {
                        driver.sink.error(line, None, kind);
                        bad = true;
                    }
                }
            }
            if bad || !driver.header(&cells, line) {
                return Step::Stop;
            }
            self.width = Some(rec.len());
            return Step::Next;
        };
        if too_long {
            driver.skipped_row();
            return Step::Next;
        }
        if rec.len() != width {
            driver.sink.error(
                line,
                None,
                InputErrorKind::FieldCount {
                    expected: width,
                    found: rec.len(),
                },
            );
            driver.skipped_row();
            return Step::Next;
        }
        let mut cells = Vec::with_capacity(rec.len());
        let mut pre = Vec::new();
        for (col, field) in rec.iter().enumerate() {
            match decoder.decode(field, line, col + 1) {
                Ok(c) => cells.push(c),
                Err(kind) => {
                    pre.push((col, kind));
                    cells.push(Cow::Borrowed(""));
                }
            }
        }
        match driver.row(&cells, line, pre) {
            Some(row) if !driver.has_errors() => Step::Emit(pos, row),
            _ => Step::Next,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(data: &[u8]) -> Vec<u64> {
        read_conflicts("c.csv", data)
            .map(|r| r.lines)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn lines_count_physical_lines_with_crlf_blank_lines_and_quoted_newlines() {
        let id = "91350100M000100Y43";
        let lf = format!("inspector,entity,reason\nA1,{id},x\n\n\nA2,{id},\"a\nb\"\nA3,{id},\n");
        assert_eq!(lines_of(lf.as_bytes()), [2, 5, 7]);
        let crlf = lf.replace('\n', "\r\n");
        assert_eq!(lines_of(crlf.as_bytes()), [2, 5, 7]);
        let lead = format!("\r\n\r\ninspector,entity\r\nA1,{id}\r\n,\r\nA2,{id}");
        assert_eq!(lines_of(lead.as_bytes()), [4, 6]);
    }

    #[test]
    fn window_bounds_memory_and_keeps_line_counts_over_many_rows() {
        // Enough rows to make the window compact several times.
        let id = "91350100M000100Y43";
        let mut s = String::from("inspector,entity\n");
        for n in 0..20_000 {
            s.push_str(&format!("A{n},{id}\n"));
        }
        let r = read_conflicts("c.csv", s.as_bytes()).unwrap();
        assert_eq!(r.rows.len(), 20_000);
        assert_eq!(r.lines[19_999], 20_001);
    }

    #[test]
    fn a_row_too_long_to_buffer_stops_reading() {
        let mut s = String::from("inspector,entity,reason\nA1,91350100M000100Y43,\"");
        s.push_str(&"x".repeat(WINDOW_LIMIT + 10));
        let e = read_conflicts("c.csv", s.as_bytes()).unwrap_err();
        assert_eq!(e.errors.len(), 1);
        assert_eq!(e.errors[0].line, 2);
        assert!(matches!(
            e.errors[0].kind,
            InputErrorKind::RowTooLong { .. }
        ));
    }

    #[test]
    fn a_row_over_the_limit_but_bufferable_is_reported_and_reading_goes_on() {
        let big = "x".repeat(60_000);
        let mut s = String::from("inspector,entity,reason\n");
        s.push_str("A1,91350100M000100Y43,");
        for _ in 0..18 {
            s.push_str(&big);
            s.push('|');
        }
        s.push_str("\nA2,bad,\n");
        let e = read_conflicts("c.csv", s.as_bytes()).unwrap_err();
        assert!(matches!(
            e.errors[0].kind,
            InputErrorKind::RowTooLong { .. }
        ));
        assert_eq!(e.errors[0].line, 2);
        assert!(e.errors.iter().any(|x| x.line == 3));
    }

    /// The sample roster's rows, repeated under fresh valid ids.
    fn many_entities(n: usize) -> String {
        let sample = include_str!("../../examples/data/entities.csv");
        let mut lines = sample.lines();
        let mut s = String::from(lines.next().unwrap());
        s.push('\n');
        let rows: Vec<&str> = lines.filter(|l| !l.is_empty()).collect();
        for i in 0..n {
            let body = format!("{i:08}");
            let org = "0123456789X"
                .chars()
                .map(|c| format!("{body}{c}"))
                .find(|o| crate::codes::org_code_check(o))
                .unwrap();
            let first17 = format!("91520102{org}");
            let check = crate::codes::uscc_check_char(&first17).unwrap();
            let row = rows[i % rows.len()];
            s.push_str(&format!(
                "{first17}{check}{}\n",
                &row[row.find(',').unwrap()..]
            ));
        }
        s
    }

    #[test]
    fn a_callback_error_stops_the_stream_and_is_returned() {
        let s = many_entities(5_000);
        let mut seen = 0u64;
        let err = for_each_entity("e.csv", s.as_bytes(), |line, _| {
            seen += 1;
            if line == 3_001 {
                return Err(InputErrors {
                    errors: vec![],
                    omitted: 42,
                });
            }
            Ok(())
        })
        .unwrap_err();
        assert_eq!((err.omitted, seen), (42, 3_000));
        // Problems late in the file still come back whole.
        let bad = format!("{s}bad,甲,企业,,520102,,存续,否,A,\n");
        let e =
            for_each_entity("e.csv", bad.as_bytes(), |_, _| Ok::<(), InputErrors>(())).unwrap_err();
        assert_eq!(e, read_entities("e.csv", bad.as_bytes()).unwrap_err());
        assert_eq!(e.errors[0].line, 5_002);
    }

    #[test]
    fn streamed_digest_over_many_batches_equals_the_serde_digest() {
        let s = many_entities(7_000);
        let full = read_entities("e.csv", s.as_bytes()).unwrap();
        let serde_digest = crate::formats::jcs::table_digest_of("entities", &full.rows).unwrap();
        let summary =
            for_each_entity("e.csv", s.as_bytes(), |_, _| Ok::<(), InputErrors>(())).unwrap();
        assert_eq!(summary.rows, 7_000);
        assert_eq!(summary.digest, serde_digest);
    }

    /// `n` history rows under valid ids, every `bad`th row with a problem in a different field.
    fn many_history(n: usize, bad: usize) -> String {
        let entities = many_entities(n);
        let mut s = String::from("统一社会信用代码,检查日期,事项编号,检查人员,检查类型\n");
        for (i, row) in entities.lines().skip(1).enumerate() {
            let id = &row[..18];
            let (date, item, kind) = match (i % bad.max(1) == bad - 1, i % 4) {
                (true, 0) => ("2025-13-01", "GZ-SC-001", "双随机"),
                (true, 1) => ("2025-03-01", "GZ-SC-001", "抽签"),
                (true, 2) => ("2025-03-01,", "GZ-SC-001", "双随机"),
                _ => ("2025-03-01", " gz-sc-001 ", "双随机"),
            };
            let id = if i % bad.max(1) == bad - 1 && i % 4 == 3 {
                "bad"
            } else {
                id
            };
            s.push_str(&format!("{id},{date},{item},A{i};B{},{kind}\n", i % 7));
        }
        s
    }

    /// Reads history with and without threads: the same rows in the same order, the same
    /// summary or the same problems, and the same callback error.
    fn history_alike(data: &[u8], stop_after: u64) {
        let read = |threads: bool| {
            let mut seen = Vec::new();
            let got = for_each_history("h.csv", data, threads, |pos, h| {
                if seen.len() as u64 == stop_after {
                    return Err(InputErrors {
                        errors: vec![],
                        omitted: pos.line,
                    });
                }
                seen.push((pos, h));
                Ok(())
            });
            (got, seen)
        };
        let (a, b) = (read(true), read(false));
        assert_eq!(a.0, b.0);
        assert!(a.1 == b.1, "rows differ");
    }

    #[test]
    fn history_on_one_thread_is_history_on_three() {
        let good = many_history(5_000, usize::MAX);
        history_alike(good.as_bytes(), u64::MAX);
        history_alike(good.as_bytes(), 3_000);
        let bad = many_history(3_000, 700);
        history_alike(bad.as_bytes(), u64::MAX);
        let problems = read_history("h.csv", bad.as_bytes()).unwrap_err();
        assert!(problems.errors.len() >= 4, "{problems}");
        let summary = for_each_history("h.csv", good.as_bytes(), false, |_, _| {
            Ok::<(), InputErrors>(())
        })
        .unwrap();
        assert_eq!(summary.rows, 5_000);
        let rows = read_history("h.csv", good.as_bytes()).unwrap();
        assert_eq!(summary.digest, rows.fast_digest());
        let mut long = good.clone();
        long.push_str("91350100M000100Y43,2025-03-01,X,\"");
        long.push_str(&"x".repeat(WINDOW_LIMIT + 10));
        history_alike(long.as_bytes(), u64::MAX);
        let gbk = encoding_rs::GBK.encode(&good).0;
        history_alike(&gbk, u64::MAX);
        assert_eq!(read_history("h.csv", &gbk[..]).unwrap().rows.len(), 5_000);
        history_alike(&gbk[..gbk.len() / 2], u64::MAX);
    }

    #[test]
    fn utf16_is_refused() {
        let e = read_items("i.csv", &b"\xFF\xFEi\0d\0"[..]).unwrap_err();
        assert_eq!(e.errors[0].kind, InputErrorKind::Utf16);
    }

    #[test]
    fn a_short_reader_does_not_confuse_the_bom_check() {
        struct OneByte<'a>(&'a [u8]);
        impl Read for OneByte<'_> {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                if self.0.is_empty() || out.is_empty() {
                    return Ok(0);
                }
                out[0] = self.0[0];
                self.0 = &self.0[1..];
                Ok(1)
            }
        }
        let data = "\u{feff}事项编号,事项名称,事项类别\nX1,甲,一般\n";
        let r = read_items("i.csv", OneByte(data.as_bytes())).unwrap();
        assert_eq!(r.encoding, Encoding::Utf8Bom);
        assert_eq!(r.rows[0].id, "X1");
    }
}
