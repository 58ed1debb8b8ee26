//! Errors and warnings of the roster readers (CSV and xlsx), each naming the file, line and field.
//!
//! A roster is typed by people and exported by spreadsheets, so a reader that stops at the first
//! problem makes the user fix one line per run. The readers therefore collect every problem (up to
//! [`MAX_REPORTED`]) into an [`InputErrors`], and report accepted-but-suspicious values separately
//! as [`InputWarning`]s. Every problem says where it is in the form an editor or a spreadsheet user
//! can act on: `entities.csv:17: field 统一社会信用代码 (id): …`, with the column header spelled
//! as the file spells it.
//!
//! ```
//! use double_random::formats::roster_csv::read_entities;
//!
//! let csv = "统一社会信用代码,名称,类型,行政区划代码,登记状态\n\
//!            91350100M000100Y44,甲公司,企业,350100,存续\n";
//! let errors = read_entities("entities.csv", csv.as_bytes()).unwrap_err();
//! let first = &errors.errors[0];
//! assert_eq!(first.line, 2);
//! assert!(first.to_string().starts_with("entities.csv:2: field 统一社会信用代码 (id): "));
//! ```

use std::fmt;

use crate::codes::{CodeError, CodeWarning};

use super::roster::{Encoding, Table};

/// The most problems (and, separately, warnings) a reader keeps; the rest are only counted.
///
/// A file with a systematic fault (say, every id in scientific notation) would otherwise produce
/// one message per row; the first thousand show the pattern, and the count shows the extent.
///
/// ```
/// assert_eq!(double_random::formats::error::MAX_REPORTED, 1000);
/// ```
pub const MAX_REPORTED: usize = 1000;

/// The column a problem is in: its header as the file spells it, and the field it maps to.
///
/// Showing the header as written lets the user find the column; the canonical (English) field
/// name ties the message to the documentation.
///
/// ```
/// use double_random::formats::error::Field;
///
/// let f = Field { header: "统一社会信用代码".into(), name: "id" };
/// assert_eq!(f.to_string(), "统一社会信用代码 (id)");
/// let g = Field { header: "id".into(), name: "id" };
/// assert_eq!(g.to_string(), "id");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// The column header as the file spells it (trimmed).
    pub header: String,
    /// The canonical field name (`id`, `name`, `region`, …).
    pub name: &'static str,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.header == self.name {
            f.write_str(self.name)
        } else {
            write!(f, "{} ({})", self.header, self.name)
        }
    }
}

/// One problem in a roster file, with its place.
///
/// `line` counts physical lines of a CSV file from 1 (the line where the row starts) or worksheet
/// rows of an xlsx file; 0 means the problem concerns the whole file (it could not be opened, it
/// is empty). `field` is `None` for problems of a whole row or of the header.
///
/// ```
/// use double_random::formats::{error::InputErrorKind, roster_csv::read_items};
///
/// let errors = read_items("items.csv", "id,name,category\nI1,,一般\n".as_bytes()).unwrap_err();
/// let e = &errors.errors[0];
/// assert_eq!((e.line, e.field.as_ref().map(|f| f.name)), (2, Some("name")));
/// assert_eq!(e.kind, InputErrorKind::Empty);
/// assert_eq!(e.to_string(), "items.csv:2: field name: a value is required here");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{kind}", location(.file, *.line, .field.as_ref()))]
#[non_exhaustive]
pub struct InputError {
    /// The file name as given to the reader.
    pub file: String,
    /// The line (CSV) or worksheet row (xlsx), from 1; 0 for the whole file.
    pub line: u64,
    /// The column, when the problem is in one field.
    pub field: Option<Field>,
    /// What is wrong.
    pub kind: InputErrorKind,
}

/// `file:line: field F: ` as the prefix of a message.
fn location(file: &str, line: u64, field: Option<&Field>) -> String {
    let mut s = String::from(file);
    if line > 0 {
        s.push(':');
        s.push_str(&line.to_string());
    }
    s.push_str(": ");
    if let Some(f) = field {
        s.push_str("field ");
        s.push_str(&f.to_string());
        s.push_str(": ");
    }
    s
}

/// What is wrong with a roster file, a row or a field.
///
/// Structured so that a program can react to a kind (and tests can match it), with messages
/// written for the person who maintains the roster: each says what was found and, where the cause
/// is usually a spreadsheet, how to fix the export.
///
/// ```
/// use double_random::formats::error::InputErrorKind;
///
/// let k = InputErrorKind::FieldCount { expected: 5, found: 4 };
/// assert_eq!(k.to_string(), "the row has 4 fields, but the header has 5");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputErrorKind {
    /// Reading the file failed.
    #[error("the file could not be read: {message}")]
    Io {
        /// The kind of I/O error.
        kind: std::io::ErrorKind,
        /// The operating system's message.
        message: String,
    },
    /// The file starts with a UTF-16 byte order mark.
    #[error(
        "the file is UTF-16 text (Excel's \"Unicode text\"), which is not read; save it from Excel \
         as \"CSV UTF-8 (逗号分隔)\" or \"CSV (逗号分隔)\" instead"
    )]
    Utf16,
    /// The file holds no row at all, not even a header.
    #[error("the file is empty: the first row must name the columns")]
    EmptyFile,
    /// The file has a header row but no data row (entities, inspectors and items only).
    #[error("the file has a header row but no data rows")]
    NoRows,
    /// A field's bytes are not valid text in the file's encoding (or in any encoding read).
    #[error(
        "column {column}: the bytes are not valid {} text; save the file again as \
         \"CSV UTF-8 (逗号分隔)\"",
        encoding_name(.encoding)
    )]
    InvalidEncoding {
        /// The encoding the file is read in (`None`: not decided yet, neither UTF-8 nor GB18030 fits).
        encoding: Option<Encoding>,
        /// The column, from 1.
        column: usize,
    },
    /// A field is not valid in the encoding an earlier field decided, but valid in the other.
    #[error(
        "column {column}: the text is {found}, but {} showed the file to be {encoding}: the \
         file mixes encodings (perhaps pasted together from two exports); save it again as \
         \"CSV UTF-8 (逗号分隔)\"",
        decided_by(*.decided_line)
    )]
    MixedEncoding {
        /// The encoding decided earlier.
        encoding: Encoding,
        /// The line that decided it (0: the byte order mark at the start of the file).
        decided_line: u64,
        /// The encoding this field is valid in.
        found: Encoding,
        /// The column, from 1.
        column: usize,
    },
    /// A byte order mark (U+FEFF) somewhere other than the very start of the file.
    #[error(
        "column {column}: a byte order mark (U+FEFF) stands here, not at the start of the file; \
         files were probably joined together: remove it, and any repeated header row"
    )]
    MisplacedBom {
        /// The column, from 1.
        column: usize,
    },
    /// A field longer than the limit.
    #[error("column {column}: the field has {len} bytes, more than the limit of {limit}")]
    FieldTooLong {
        /// The column, from 1.
        column: usize,
        /// Its length in bytes.
        len: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// A row longer than the limit.
    #[error("the row is longer than the limit of {limit} bytes")]
    RowTooLong {
        /// The limit in bytes.
        limit: usize,
    },
    /// A row with another number of fields than the header.
    #[error("the row has {found} fields, but the header has {expected}")]
    FieldCount {
        /// Fields in the header.
        expected: usize,
        /// Fields in this row.
        found: usize,
    },
    /// A column whose header cell is empty holds a value on this row.
    ///
    /// No longer reported by the readers: such a column is ignored (SPEC §3.3).
    #[error("column {column} has no header, but this row has a value in it")]
    UnnamedColumn {
        /// The column, from 1.
        column: usize,
    },
    /// A header this table does not know.
    ///
    /// No longer reported by the readers: such a column is ignored and listed
    /// ([`super::roster::Columns::ignored`], SPEC §3.3), and a plan that needs the field it
    /// was meant to be refuses the roster.
    #[error(
        "column {column}: unknown column {header:?}; the {table} file accepts these columns: {}",
        table.accepted_headers()
    )]
    UnknownColumn {
        /// The column, from 1.
        column: usize,
        /// The header as written.
        header: String,
        /// The table being read.
        table: Table,
    },
    /// A required column is absent.
    #[error("the required column {name} is missing; write it as one of: {}", headers.join(", "))]
    MissingColumn {
        /// The canonical field name.
        name: &'static str,
        /// The headers accepted for it.
        headers: Vec<&'static str>,
    },
    /// Two columns map to the same field.
    #[error(
        "column {column} ({header:?}) and column {first_column} both hold the field {name}; \
         remove one of them"
    )]
    DuplicateColumn {
        /// The canonical field name.
        name: &'static str,
        /// The header of the second column as written.
        header: String,
        /// The first column holding the field, from 1.
        first_column: usize,
        /// The second one, from 1.
        column: usize,
    },
    /// A required value is empty.
    #[error("a value is required here")]
    Empty,
    /// A code (entity id, region, industry) is malformed.
    #[error(transparent)]
    Code(#[from] CodeError),
    /// A value outside a closed vocabulary (kind, status, risk class, …).
    #[error(
        "{value:?} is not an accepted value; accepted (canonical, then aliases): {}",
        .accepted.trim_end()
    )]
    UnknownValue {
        /// The value as read (normalised).
        value: String,
        /// Every accepted spelling.
        accepted: &'static str,
    },
    /// A yes/no value that is neither.
    #[error(
        "{value:?} is not yes or no; write 是/否, Y/N, yes/no, true/false or 1/0 (empty means no)"
    )]
    BadBool {
        /// The value as read.
        value: String,
    },
    /// A date that does not parse or does not exist.
    #[error("{value:?} is not a date; write it as 2026-03-01, 2026/3/1 or 2026年3月1日")]
    BadDate {
        /// The value as read.
        value: String,
    },
    /// The same id on two rows.
    #[error("{id} appears twice: also on line {first_line}")]
    DuplicateId {
        /// The id (normalised).
        id: String,
        /// The line of its first occurrence.
        first_line: u64,
    },
    /// The same inspector–entity pair declared twice in the conflicts file.
    #[error(
        "the conflict between inspector {inspector} and entity {entity} is declared twice: also \
         on line {first_line}"
    )]
    DuplicateConflict {
        /// Inspector certificate number.
        inspector: String,
        /// Entity id.
        entity: String,
        /// The line of its first occurrence.
        first_line: u64,
    },
    /// A worksheet cell in a code column holds a number too large to keep every digit.
    #[error(
        "the cell holds the number {value}, which has more digits than a spreadsheet number keeps \
         (15), so the real code is lost; in Excel, format the column as Text, enter or paste the \
         codes again, and save the file again"
    )]
    NumberInCodeColumn {
        /// The number as read.
        value: String,
    },
    /// A worksheet cell in the industry column holds a number whose leading zero may be lost.
    #[error(
        "the cell holds the number {value}, but industry codes have 2 or 4 digits and may start \
         with 0, which a number cannot keep; format the column as Text and enter the codes again"
    )]
    IndustryNumber {
        /// The number as read.
        value: String,
    },
    /// A worksheet cell holds an error value such as `#N/A`.
    #[error("the cell holds the spreadsheet error {value}; correct the formula or enter the value")]
    CellError {
        /// The error as Excel shows it.
        value: String,
    },
    /// The workbook could not be opened or read.
    #[error("the workbook could not be read: {message}")]
    Workbook {
        /// The reader's message.
        message: String,
    },
    /// The workbook has no worksheet.
    #[error("the workbook has no worksheet")]
    NoWorksheet,
    /// The workbook passes one of the bounds every workbook is read under (see
    /// `formats::xlsx::XlsxLimits`); nothing more of it is read.
    #[error(
        "{}; a roster never comes near this bound, so the workbook is damaged or was built to \
         exhaust the reader: open it in a spreadsheet and save it again, or export the sheet as CSV",
        limit_message(*.limit, .part, *.found, *.max)
    )]
    WorkbookLimit {
        /// Which bound.
        limit: WorkbookLimit,
        /// The zip part (or, for rows, columns and cells, the worksheet's name) it concerns;
        /// empty for the whole archive.
        part: String,
        /// The value found (for a bound checked while reading: the amount read when the
        /// reader stopped, so at least this much).
        found: u64,
        /// The bound.
        max: u64,
    },
    /// The header is not in row 1 of the worksheet.
    #[error("row 1 of the worksheet is empty: the first row must name the columns")]
    HeaderNotInFirstRow,
    /// A row could not be written as canonical JSON for its fingerprint.
    #[error("the row cannot be fingerprinted: {message}")]
    Canonical {
        /// Why.
        message: String,
    },
}

impl InputErrorKind {
    /// A stable code for this kind of problem, without its values (`input.…`): what the
    /// command line groups repeated problems by, and what a program may match on.
    pub fn code(&self) -> &'static str {
        match self {
            InputErrorKind::Io { .. } => "input.io",
            InputErrorKind::Utf16 => "input.utf16",
            InputErrorKind::EmptyFile => "input.empty_file",
            InputErrorKind::NoRows => "input.no_rows",
            InputErrorKind::InvalidEncoding { .. } => "input.invalid_encoding",
            InputErrorKind::MixedEncoding { .. } => "input.mixed_encoding",
            InputErrorKind::MisplacedBom { .. } => "input.misplaced_bom",
            InputErrorKind::FieldTooLong { .. } => "input.field_too_long",
            InputErrorKind::RowTooLong { .. } => "input.row_too_long",
            InputErrorKind::FieldCount { .. } => "input.field_count",
            InputErrorKind::UnnamedColumn { .. } => "input.unnamed_column",
            InputErrorKind::UnknownColumn { .. } => "input.unknown_column",
            InputErrorKind::MissingColumn { .. } => "input.missing_column",
            InputErrorKind::DuplicateColumn { .. } => "input.duplicate_column",
            InputErrorKind::Empty => "input.empty",
            InputErrorKind::Code(c) => c.code(),
            InputErrorKind::UnknownValue { .. } => "input.unknown_value",
            InputErrorKind::BadBool { .. } => "input.bad_bool",
            InputErrorKind::BadDate { .. } => "input.bad_date",
            InputErrorKind::DuplicateId { .. } => "input.duplicate_id",
            InputErrorKind::DuplicateConflict { .. } => "input.duplicate_conflict",
            InputErrorKind::NumberInCodeColumn { .. } => "input.number_in_code_column",
            InputErrorKind::IndustryNumber { .. } => "input.industry_number",
            InputErrorKind::CellError { .. } => "input.cell_error",
            InputErrorKind::Workbook { .. } => "input.workbook",
            InputErrorKind::NoWorksheet => "input.no_worksheet",
            InputErrorKind::WorkbookLimit { .. } => "input.workbook_limit",
            InputErrorKind::HeaderNotInFirstRow => "input.header_not_in_first_row",
            InputErrorKind::Canonical { .. } => "input.canonical",
        }
    }
}

/// Which bound of an .xlsx workbook was passed ([`InputErrorKind::WorkbookLimit`]).
///
/// Sizes are in bytes as stored in the part (XML markup and escapes included), so that they
/// can be checked before anything is decoded.
///
/// ```
/// use double_random::formats::error::{InputErrorKind, WorkbookLimit};
///
/// let k = InputErrorKind::WorkbookLimit {
///     limit: WorkbookLimit::Columns,
///     part: "名录".into(),
///     found: 16384,
///     max: 256,
/// };
/// assert!(k.to_string().starts_with("worksheet 名录 has a cell in column 16384, beyond the limit of 256"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WorkbookLimit {
    /// Zip entries in the archive.
    Parts,
    /// A part's uncompressed size as its zip directory declares it.
    PartBytes,
    /// A part inflates to more bytes than its zip directory declares.
    PartInflated,
    /// The declared uncompressed sizes of all parts together.
    TotalBytes,
    /// One XML token (a tag, a run of text, a comment, a CDATA section).
    Token,
    /// One cell (`<c>` element) as stored.
    Cell,
    /// One shared string (`<si>` element) as stored.
    SharedString,
    /// Shared strings (`<si>` elements) in one part.
    SharedStrings,
    /// All shared strings of one part together, as stored.
    SharedStringBytes,
    /// The last row of the worksheet's declared dimension.
    DimensionRows,
    /// The last column of the worksheet's declared dimension.
    DimensionColumns,
    /// A cell's row number.
    Rows,
    /// A cell's column number.
    Columns,
    /// Cells in the worksheet.
    Cells,
}

fn limit_message(limit: WorkbookLimit, part: &str, found: u64, max: u64) -> String {
    use WorkbookLimit as L;
    match limit {
        L::Parts => {
            format!("the workbook has {found} parts (zip entries), more than the limit of {max}")
        }
        L::PartBytes => {
            format!("part {part} declares {found} bytes uncompressed, more than the limit of {max}")
        }
        L::PartInflated => format!(
            "part {part} inflates to more than the {max} bytes its zip directory declares \
             ({found} read)"
        ),
        L::TotalBytes => format!(
            "the parts declare {found} bytes uncompressed in all, more than the limit of {max}"
        ),
        L::Token => format!(
            "part {part} holds an XML tag or text of at least {found} bytes, more than the \
             limit of {max}"
        ),
        L::Cell => format!(
            "part {part} holds a cell of at least {found} bytes, more than the limit of {max}"
        ),
        L::SharedString => format!(
            "part {part} holds a shared string of at least {found} bytes, more than the limit \
             of {max}"
        ),
        L::SharedStrings => format!(
            "part {part} holds at least {found} shared strings, more than the limit of {max}"
        ),
        L::SharedStringBytes => format!(
            "the shared strings of part {part} take at least {found} bytes, more than the \
             limit of {max}"
        ),
        L::DimensionRows => format!(
            "worksheet {part} declares a dimension reaching row {found}, beyond the limit of \
             {max} rows"
        ),
        L::DimensionColumns => format!(
            "worksheet {part} declares a dimension reaching column {found}, beyond the limit \
             of {max} columns"
        ),
        L::Rows => {
            format!("worksheet {part} has a cell in row {found}, beyond the limit of {max} rows")
        }
        L::Columns => format!(
            "worksheet {part} has a cell in column {found}, beyond the limit of {max} columns"
        ),
        L::Cells => {
            format!("worksheet {part} has at least {found} cells, more than the limit of {max}")
        }
    }
}

fn decided_by(line: u64) -> String {
    if line == 0 {
        "the byte order mark at its start".to_owned()
    } else {
        format!("line {line}")
    }
}

fn encoding_name(e: &Option<Encoding>) -> String {
    e.map_or_else(|| "UTF-8 or GB18030".to_owned(), |e| e.to_string())
}

/// Every problem found in one file (at most [`MAX_REPORTED`], plus a count of the rest).
///
/// Returned instead of the rows when anything is wrong: a draw must never run on a roster that
/// was only partly read. `Display` prints one problem per line, as a command line shows them.
///
/// ```
/// use double_random::formats::roster_csv::read_inspectors;
///
/// let csv = "执法证号,姓名,部门\nA1,张三,局\nA1,李四,局\n";
/// let errors = read_inspectors("inspectors.csv", csv.as_bytes()).unwrap_err();
/// assert_eq!(errors.errors.len(), 1);
/// assert_eq!(errors.omitted, 0);
/// assert_eq!(
///     errors.to_string(),
///     "inspectors.csv:3: field 执法证号 (id): A1 appears twice: also on line 2"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", render_list(.errors, *.omitted))]
#[non_exhaustive]
pub struct InputErrors {
    /// The problems, in the order found (by line).
    pub errors: Vec<InputError>,
    /// How many more were found but not kept.
    pub omitted: u64,
}

impl InputErrors {
    /// One problem: `file` could not be opened or read.
    ///
    /// For callers that open the file themselves, so that a missing file is reported the same
    /// way as a problem inside one.
    ///
    /// ```
    /// use double_random::formats::error::{InputErrorKind, InputErrors};
    ///
    /// let err = std::fs::File::open("/nonexistent/entities.csv").unwrap_err();
    /// let e = InputErrors::io("entities.csv", &err);
    /// assert!(matches!(e.errors[0].kind, InputErrorKind::Io { kind: std::io::ErrorKind::NotFound, .. }));
    /// assert_eq!(e.errors[0].line, 0);
    /// ```
    pub fn io(file: &str, error: &std::io::Error) -> InputErrors {
        InputErrors {
            errors: vec![InputError {
                file: file.to_owned(),
                line: 0,
                field: None,
                kind: InputErrorKind::Io {
                    kind: error.kind(),
                    message: error.to_string(),
                },
            }],
            omitted: 0,
        }
    }

    /// The number of problems found, kept or not.
    ///
    /// Use it for a summary line ("37 problems in entities.csv").
    ///
    /// ```
    /// use double_random::formats::roster_csv::read_items;
    ///
    /// let e = read_items("items.csv", "id,name,category\nI1,,一般\nI2,,重点\n".as_bytes()).unwrap_err();
    /// assert_eq!(e.total(), 2);
    /// ```
    pub fn total(&self) -> u64 {
        self.errors.len() as u64 + self.omitted
    }
}

fn render_list<T: fmt::Display>(items: &[T], omitted: u64) -> String {
    let mut s = String::new();
    for (i, e) in items.iter().enumerate() {
        if i > 0 {
            s.push('\n');
        }
        s.push_str(&e.to_string());
    }
    if omitted > 0 {
        s.push_str(&format!("\n… and {omitted} more"));
    }
    s
}

/// Something accepted but worth a look, with its place (same conventions as [`InputError`]).
///
/// Warnings never stop a draw; a command line shows them so that the roster can be corrected
/// before the next one.
///
/// ```
/// use double_random::formats::roster_csv::read_entities;
///
/// let csv = "id,name,kind,region,status\n91350100M000100Y56,甲,enterprise,350100,active\n";
/// let roster = read_entities("entities.csv", csv.as_bytes()).unwrap();
/// assert_eq!(roster.warnings.len(), 1);
/// assert!(roster.warnings[0].to_string().starts_with("entities.csv:2: field id: "));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{kind}", location(.file, *.line, .field.as_ref()))]
#[non_exhaustive]
pub struct InputWarning {
    /// The file name as given to the reader.
    pub file: String,
    /// The line (CSV) or worksheet row (xlsx), from 1.
    pub line: u64,
    /// The column.
    pub field: Option<Field>,
    /// What is suspicious.
    pub kind: InputWarningKind,
}

/// What a warning is about.
///
/// ```
/// use double_random::codes::CodeWarning;
/// use double_random::formats::error::InputWarningKind;
///
/// let k = InputWarningKind::Code(CodeWarning::OrgCodeCheck { uscc: "91350100M000100Y56".into() });
/// assert!(k.to_string().contains("GB 11714"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputWarningKind {
    /// A code passed its main check but not a secondary one.
    #[error(transparent)]
    Code(#[from] CodeWarning),
}

impl InputWarningKind {
    /// A stable code for this kind of problem, without its values (`input.…`): what the
    /// command line groups repeated problems by, and what a program may match on.
    pub fn code(&self) -> &'static str {
        match self {
            InputWarningKind::Code(c) => c.code(),
        }
    }
}

/// Collects problems and warnings for one file, keeping at most [`MAX_REPORTED`] of each.
#[derive(Debug)]
pub(crate) struct Sink {
    pub(crate) file: String,
    pub(crate) errors: Vec<InputError>,
    pub(crate) errors_omitted: u64,
    pub(crate) warnings: Vec<InputWarning>,
    pub(crate) warnings_omitted: u64,
}

impl Sink {
    pub(crate) fn new(file: &str) -> Self {
        Sink {
            file: file.to_owned(),
            errors: Vec::new(),
            errors_omitted: 0,
            warnings: Vec::new(),
            warnings_omitted: 0,
        }
    }

    pub(crate) fn error(&mut self, line: u64, field: Option<Field>, kind: InputErrorKind) {
        if self.errors.len() < MAX_REPORTED {
            self.errors.push(InputError {
                file: self.file.clone(),
                line,
                field,
                kind,
            });
        } else {
            self.errors_omitted += 1;
        }
    }

    pub(crate) fn warn(&mut self, line: u64, field: Option<Field>, kind: InputWarningKind) {
        if self.warnings.len() < MAX_REPORTED {
            self.warnings.push(InputWarning {
                file: self.file.clone(),
                line,
                field,
                kind,
            });
        } else {
            self.warnings_omitted += 1;
        }
    }

    pub(crate) fn has_errors(&self) -> bool {
        !self.errors.is_empty() || self.errors_omitted > 0
    }

    /// The collected errors, if any.
    pub(crate) fn take_errors(&mut self) -> InputErrors {
        InputErrors {
            errors: std::mem::take(&mut self.errors),
            omitted: std::mem::take(&mut self.errors_omitted),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sink_caps_errors_and_counts_the_rest() {
        let mut s = Sink::new("f.csv");
        for i in 0..(MAX_REPORTED as u64 + 5) {
            s.error(i + 1, None, InputErrorKind::Empty);
        }
        let e = s.take_errors();
        assert_eq!(e.errors.len(), MAX_REPORTED);
        assert_eq!(e.omitted, 5);
        assert_eq!(e.total(), MAX_REPORTED as u64 + 5);
        assert!(e.to_string().ends_with("… and 5 more"));
    }

    #[test]
    fn whole_file_errors_have_no_line() {
        let e = InputError {
            file: "x.csv".into(),
            line: 0,
            field: None,
            kind: InputErrorKind::EmptyFile,
        };
        assert_eq!(
            e.to_string(),
            "x.csv: the file is empty: the first row must name the columns"
        );
    }
}
