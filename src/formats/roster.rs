//! What the roster files hold, independent of their container: tables, columns and their
//! header aliases, and the row rules that turn text cells into model values.
//!
//! The CSV reader ([`super::roster_csv`]) and the xlsx reader ([`super::xlsx`]) both turn a file
//! into rows of text cells and hand them to one shared parser, so a roster gives the same rows,
//! the same errors and the same fingerprint whichever way it was saved.
//!
//! Headers are matched after [`normalize::code`] (trim, full-width to half-width, ASCII upper
//! case, spaces removed): `统一社会信用代码`, ` ID ` and `ｉｄ` all name the entity id. Columns may
//! come in any order. A column given twice or a missing required column stops the file; a
//! column whose header names no field is ignored and listed ([`Columns`]), so an office's export
//! with its extra columns is read as it is, and a misspelt header is seen; an absent optional
//! column gives every row the field's default, and [`needed_fields`] says which of them a plan
//! cannot do without.
//!
//! ```
//! use double_random::formats::roster::Table;
//!
//! let id = &Table::Entities.columns()[0];
//! assert_eq!(id.name, "id");
//! assert!(id.chinese.contains(&"统一社会信用代码"));
//! assert!(Table::Entities.accepted_headers().contains("登记状态"));
//! ```

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use super::error::{Field, InputErrorKind, InputErrors, InputWarning, InputWarningKind, Sink};
use super::jcs::JcsError;
use crate::codes::{self, NOT_USCC, USCC_VALUE};
use crate::digest::{Digest32, LeafSet, RowHasher};
use crate::model::{
    Conflict, Date, Entity, EntityFields, EntityKind, EntityStatus, HistoryKind, HistoryRecord,
    Inspector, InspectorKind, InspectorStatus, Item, ItemCategory, RiskClass,
};
use crate::normalize;

/// The five tables a draw reads.
///
/// Each has its own columns and its own fingerprint domain (`kind` in
/// the table digest of SPEC §3.4).
///
/// ```
/// use double_random::formats::roster::Table;
///
/// assert_eq!(Table::Inspectors.as_str(), "inspectors");
/// assert_eq!(Table::History.to_string(), "history");
/// assert_eq!(Table::ALL.len(), 5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    /// 检查对象名录库: [`Entity`] rows.
    Entities,
    /// 执法检查人员名录库: [`Inspector`] rows.
    Inspectors,
    /// 随机抽查事项清单: [`Item`] rows.
    Items,
    /// Declared conflicts of interest (回避): [`Conflict`] rows.
    Conflicts,
    /// Past inspections: [`HistoryRecord`] rows.
    History,
}

impl Table {
    /// Every table, in this order: entities, inspectors, items, conflicts, history.
    pub const ALL: [Table; 5] = [
        Table::Entities,
        Table::Inspectors,
        Table::Items,
        Table::Conflicts,
        Table::History,
    ];

    /// The table's name, as used for the fingerprint's `kind` and in messages.
    ///
    /// ```
    /// use double_random::formats::roster::Table;
    /// assert_eq!(Table::Conflicts.as_str(), "conflicts");
    /// ```
    pub fn as_str(&self) -> &'static str {
        match self {
            Table::Entities => "entities",
            Table::Inspectors => "inspectors",
            Table::Items => "items",
            Table::Conflicts => "conflicts",
            Table::History => "history",
        }
    }

    /// The table's columns, in canonical order.
    ///
    /// Use it to document or check the accepted headers.
    ///
    /// ```
    /// use double_random::formats::roster::Table;
    /// let names: Vec<_> = Table::Conflicts.columns().iter().map(|c| c.name).collect();
    /// assert_eq!(names, ["inspector", "entity", "reason"]);
    /// ```
    pub fn columns(&self) -> &'static [Column] {
        match self {
            Table::Entities => ENTITY_COLUMNS,
            Table::Inspectors => INSPECTOR_COLUMNS,
            Table::Items => ITEM_COLUMNS,
            Table::Conflicts => CONFLICT_COLUMNS,
            Table::History => HISTORY_COLUMNS,
        }
    }

    /// Every accepted header of this table, for messages: `id (统一社会信用代码, …); name (…)`.
    ///
    /// ```
    /// use double_random::formats::roster::Table;
    /// assert!(Table::Items.accepted_headers().starts_with("id (事项编号)"));
    /// ```
    pub fn accepted_headers(&self) -> String {
        let parts: Vec<String> = self
            .columns()
            .iter()
            .map(|c| {
                let mut alts: Vec<&str> = c.chinese.to_vec();
                alts.extend(c.english.iter().skip(1));
                format!("{} ({})", c.name, alts.join(", "))
            })
            .collect();
        parts.join("; ")
    }

    /// Whether a file of this table must hold at least one row.
    ///
    /// Entities, inspectors and items must: a draw from an empty roster is a mistake. A
    /// conflicts or history file with no rows is normal (nothing declared, nothing inspected).
    ///
    /// ```
    /// use double_random::formats::roster::Table;
    /// assert!(Table::Entities.requires_rows());
    /// assert!(!Table::Conflicts.requires_rows());
    /// ```
    pub fn requires_rows(&self) -> bool {
        matches!(self, Table::Entities | Table::Inspectors | Table::Items)
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One column of a table: its canonical name, accepted headers and whether it must be present.
///
/// The first English header is the canonical name itself.
///
/// ```
/// use double_random::formats::roster::Table;
///
/// let kind = Table::Entities.columns().iter().find(|c| c.name == "kind").unwrap();
/// assert_eq!(kind.english, ["kind", "type"]);
/// assert!(!kind.required);
/// let status = Table::Entities.columns().iter().find(|c| c.name == "status").unwrap();
/// assert!(status.required);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Canonical field name (the model's field).
    pub name: &'static str,
    /// Accepted Chinese headers.
    pub chinese: &'static [&'static str],
    /// Accepted English headers, the canonical name first.
    pub english: &'static [&'static str],
    /// Whether a file without this column is refused.
    pub required: bool,
    /// Whether the column holds a code or id (spreadsheet numbers in it are checked for lost digits).
    pub code: bool,
}

const fn col(
    name: &'static str,
    chinese: &'static [&'static str],
    english: &'static [&'static str],
    required: bool,
    code: bool,
) -> Column {
    Column {
        name,
        chinese,
        english,
        required,
        code,
    }
}

const ENTITY_ID_HEADERS: &[&str] = &[
    "统一社会信用代码",
    "统一社会信用代码/注册号",
    "统一社会信用代码(注册号)",
    "注册号/统一社会信用代码",
    "社会信用代码",
    "注册号",
];

const INSPECTOR_ID_HEADERS: &[&str] = &[
    "执法证号",
    "执法证件号",
    "执法证编号",
    "执法证件号码",
    "执法证件编号",
    "证件号",
];

pub(crate) mod e {
    pub const ID: usize = 0;
    pub const NAME: usize = 1;
    pub const KIND: usize = 2;
    pub const AUTHORITY: usize = 3;
    pub const REGION: usize = 4;
    pub const INDUSTRY: usize = 5;
    pub const STATUS: usize = 6;
    pub const ABNORMAL: usize = 7;
    pub const RISK: usize = 8;
    pub const TAGS: usize = 9;
}

const ENTITY_COLUMNS: &[Column] = &[
    col("id", ENTITY_ID_HEADERS, &["id"], true, true),
    col(
        "name",
        &[
            "名称",
            "企业名称",
            "主体名称",
            "企业(机构)名称",
            "市场主体名称",
            "单位名称",
        ],
        &["name"],
        true,
        false,
    ),
    col(
        "kind",
        &[
            "市场主体类型",
            "主体类型",
            "类型",
            "主体类别",
            "市场主体类别",
        ],
        &["kind", "type"],
        false,
        false,
    ),
    col(
        "authority",
        &["登记机关", "登记机关名称"],
        &["authority"],
        false,
        false,
    ),
    col(
        "region",
        &[
            "行政区划代码",
            "行政区划",
            "区划代码",
            "所在行政区划代码",
            "住所所在行政区划代码",
        ],
        &["region"],
        false,
        true,
    ),
    col(
        "industry",
        &[
            "行业代码",
            "国民经济行业代码",
            "所属行业代码",
            "行业分类代码",
            "国民经济行业分类代码",
        ],
        &["industry"],
        false,
        true,
    ),
    col(
        "status",
        &[
            "登记状态",
            "经营状态",
            "企业状态",
            "主体状态",
            "企业登记状态",
        ],
        &["status"],
        true,
        false,
    ),
    col(
        "abnormal",
        &["经营异常名录", "列入经营异常名录", "是否列入经营异常名录"],
        &["abnormal"],
        false,
        false,
    ),
    col(
        "risk",
        &[
            "信用风险分类",
            "风险分类",
            "风险等级",
            "信用风险分类结果",
            "信用风险等级",
        ],
        &["risk"],
        false,
        false,
    ),
    col("tags", &["标签"], &["tags"], false, false),
];

mod i {
    pub const ID: usize = 0;
    pub const NAME: usize = 1;
    pub const DEPARTMENT: usize = 2;
    pub const REGION: usize = 3;
    pub const QUALIFICATIONS: usize = 4;
    pub const SPECIALTIES: usize = 5;
    pub const KIND: usize = 6;
    pub const STATUS: usize = 7;
}

const INSPECTOR_COLUMNS: &[Column] = &[
    col(
        "id",
        &[
            "执法证号",
            "执法证件号",
            "执法证编号",
            "执法证件号码",
            "执法证件编号",
            "证件号",
            "编号",
        ],
        &["id", "certificate"],
        true,
        true,
    ),
    col(
        "name",
        &["姓名", "执法人员姓名", "人员姓名"],
        &["name"],
        true,
        false,
    ),
    col(
        "department",
        &[
            "所属部门",
            "部门",
            "所属机构",
            "单位",
            "所属单位",
            "工作单位",
        ],
        &["department"],
        true,
        false,
    ),
    col(
        "region",
        &["行政区划代码", "行政区划", "所在行政区划代码"],
        &["region"],
        false,
        true,
    ),
    col(
        "qualifications",
        &["执法资质", "执法门类", "资质"],
        &["qualifications"],
        false,
        false,
    ),
    col(
        "specialties",
        &["业务专长", "专长"],
        &["specialties"],
        false,
        false,
    ),
    col(
        "kind",
        &["人员类别", "类别", "人员类型"],
        &["kind"],
        false,
        false,
    ),
    col("status", &["状态", "在岗状态"], &["status"], false, false),
];

mod t {
    pub const ID: usize = 0;
    pub const NAME: usize = 1;
    pub const BASIS: usize = 2;
    pub const SUBJECT: usize = 3;
    pub const CONTENT: usize = 4;
    pub const METHOD: usize = 5;
    pub const CATEGORY: usize = 6;
    pub const QUALIFICATION: usize = 7;
}

const ITEM_COLUMNS: &[Column] = &[
    col("id", &["事项编号"], &["id"], true, true),
    col("name", &["事项名称"], &["name"], true, false),
    col("basis", &["检查依据"], &["basis"], false, false),
    col("subject", &["检查主体"], &["subject"], false, false),
    col("content", &["检查内容"], &["content"], false, false),
    col("method", &["检查方式"], &["method"], false, false),
    col("category", &["事项类别"], &["category"], true, false),
    col(
        "qualification",
        &["所需资质"],
        &["qualification"],
        false,
        false,
    ),
];

mod c {
    pub const INSPECTOR: usize = 0;
    pub const ENTITY: usize = 1;
    pub const REASON: usize = 2;
}

const CONFLICT_COLUMNS: &[Column] = &[
    col(
        "inspector",
        INSPECTOR_ID_HEADERS,
        &["inspector"],
        true,
        true,
    ),
    col("entity", ENTITY_ID_HEADERS, &["entity"], true, true),
    col("reason", &["回避事由", "事由"], &["reason"], false, false),
];

pub(crate) mod h {
    pub const ENTITY: usize = 0;
    pub const DATE: usize = 1;
    pub const ITEM: usize = 2;
    pub const INSPECTORS: usize = 3;
    pub const KIND: usize = 4;
}

const HISTORY_COLUMNS: &[Column] = &[
    col("entity", ENTITY_ID_HEADERS, &["entity"], true, true),
    col("date", &["检查日期"], &["date"], true, false),
    col("item", &["事项编号"], &["item"], false, true),
    col("inspectors", &["检查人员"], &["inspectors"], false, true),
    col("kind", &["检查类型"], &["kind"], false, false),
];

/// How the text of a file was encoded (or that it came from a workbook).
///
/// Reported with every roster so that a command line can say what it read; the rows are the
/// same whatever the encoding.
///
/// ```
/// use double_random::formats::roster::Encoding;
/// assert_eq!(Encoding::Gb18030.to_string(), "GB18030");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// UTF-8 without a byte order mark (also: plain ASCII).
    Utf8,
    /// UTF-8 with a byte order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// GB18030, a superset of GBK and GB2312 (Excel's "CSV" on a Chinese system).
    Gb18030,
    /// An .xlsx workbook: cells hold text, there is no byte encoding to choose.
    Xlsx,
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 (with byte order mark)",
            Encoding::Gb18030 => "GB18030",
            Encoding::Xlsx => "xlsx",
        })
    }
}

/// Which language the headers were written in.
///
/// A command line can answer in the language of the user's files.
///
/// ```
/// use double_random::formats::roster_csv::read_items;
/// use double_random::formats::roster::HeaderLanguage;
///
/// let r = read_items("items.csv", "id,name,category\nX1,抽查,general\n".as_bytes()).unwrap();
/// assert_eq!(r.header_language, HeaderLanguage::English);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeaderLanguage {
    /// Every header is a Chinese alias.
    Chinese,
    /// Every header is an English name.
    English,
    /// Some of each.
    Mixed,
}

/// A roster read in full: its rows in file order, their lines, warnings and how it was read.
///
/// Rows are returned as the file orders them (the draw sorts them by id); `lines[i]` is the line
/// (or worksheet row) of `rows[i]`, for messages that point back into the file.
///
/// ```
/// use double_random::formats::roster_csv::read_items;
///
/// let csv = "事项编号,事项名称,事项类别\nGZ-SC-001,企业公示信息抽查,一般\n";
/// let items = read_items("items.csv", csv.as_bytes()).unwrap();
/// assert_eq!(items.rows[0].id, "GZ-SC-001");
/// assert_eq!(items.lines, [2]);
/// let digest = items.digest().unwrap();
/// assert_eq!(digest.to_hex().len(), 64);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roster<T> {
    /// Which table this is.
    pub table: Table,
    /// The rows, in file order.
    pub rows: Vec<T>,
    /// The line (CSV) or worksheet row (xlsx) of each row.
    pub lines: Vec<u64>,
    /// Warnings (at most [`super::error::MAX_REPORTED`]).
    pub warnings: Vec<InputWarning>,
    /// Warnings found but not kept.
    pub warnings_omitted: u64,
    /// How the file was encoded.
    pub encoding: Encoding,
    /// Which language its headers were in.
    pub header_language: HeaderLanguage,
    /// Columns ignored and fields absent.
    pub columns: Columns,
}

impl<T: serde::Serialize> Roster<T> {
    /// The table's fingerprint: [`crate::formats::jcs::table_digest_of`] over the rows, under the table's name.
    ///
    /// This is the digest an announcement commits to; it does not depend on row order, encoding
    /// or header language.
    ///
    /// # Errors
    ///
    /// Only if a row cannot be written as canonical JSON, which the row types read here never
    /// cause (they hold no numbers).
    ///
    /// ```
    /// use double_random::formats::roster_csv::read_conflicts;
    ///
    /// let a = read_conflicts("c.csv", "inspector,entity\nA1,91350100M000100Y43\nA2,91350100M000100Y43\n".as_bytes()).unwrap();
    /// let b = read_conflicts("c.csv", "entity,inspector\n91350100M000100Y43,A2\n91350100M000100Y43,A1\n".as_bytes()).unwrap();
    /// assert_eq!(a.digest().unwrap(), b.digest().unwrap());
    /// ```
    pub fn digest(&self) -> Result<Digest32, JcsError> {
        crate::formats::jcs::table_digest_of(self.table.as_str(), &self.rows)
    }
}

/// Rows per thread below which a table is fingerprinted on the calling thread alone.
const DIGEST_ROWS_PER_THREAD: usize = 1 << 14;

/// The table digest of `rows` with `write` as their canonical JSON writer.
///
/// Large tables are split into one run of rows per core, each hashed into its own leaf set on
/// a thread of its own; the leaves are sorted before the table digest, so how the rows were
/// split changes nothing.
fn digest_rows<T: Sync>(table: Table, rows: &[T], write: fn(&T, &mut Vec<u8>)) -> Digest32 {
    let threads = crate::threads()
        .min(rows.len() / DIGEST_ROWS_PER_THREAD)
        .max(1);
    leaves_in_runs(rows, write, threads).digest(table.as_str())
}

/// The leaves of `rows`, hashed in up to `threads` equal runs of rows, each on a thread of its
/// own.
fn leaves_in_runs<T: Sync>(rows: &[T], write: fn(&T, &mut Vec<u8>), threads: usize) -> LeafSet {
    let parts = crate::shares::in_shares(rows, threads, |run| {
        let mut leaves = LeafSet::new();
        let mut json = Vec::with_capacity(256);
        let mut hasher = RowHasher::new();
        for row in run {
            json.clear();
            write(row, &mut json);
            leaves.push(hasher.leaf(&mut json));
        }
        leaves
    });
    let mut all = LeafSet::new();
    for part in parts {
        all.append(part);
    }
    all
}

/// The table digest of typed rows, as [`Roster::fast_digest`] computes it: equal to
/// [`crate::formats::jcs::table_digest_of`] under the row type's table name.
pub(crate) fn rows_digest<T: FastDigest>(rows: &[T]) -> Digest32 {
    digest_rows(T::TABLE, rows, T::WRITE)
}

/// A row type with its own canonical JSON writer.
pub(crate) trait FastDigest: Row + Sync {
    /// Appends the row's canonical JSON; byte for byte what serde and
    /// [`super::jcs::to_canonical`] give.
    const WRITE: fn(&Self, &mut Vec<u8>);
}

/// `impl Roster<Row> { fn fast_digest }` for each row type and its canonical JSON writer.
macro_rules! fast_digest {
    ($($row:ty => $write:ident),+ $(,)?) => {$(
        impl Roster<$row> {
            /// The table's fingerprint, equal to [`Roster::digest`], computed with the row type's
            /// own canonical JSON writer instead of serde: several times faster, and infallible.
            ///
            /// Use it wherever a roster read in full is fingerprinted.
            ///
            /// ```
            /// use double_random::formats::roster_csv::{read_inspectors, read_items};
            ///
            /// let items = read_items("items.csv", "id,name,category\nX1,抽查,general\n".as_bytes())?;
            /// assert_eq!(items.fast_digest(), items.digest()?);
            /// let csv = "id,name,department,qualifications\nA1,张三,局,食品|药品\n";
            /// let inspectors = read_inspectors("inspectors.csv", csv.as_bytes())?;
            /// assert_eq!(inspectors.fast_digest(), inspectors.digest()?);
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            pub fn fast_digest(&self) -> Digest32 {
                digest_rows(self.table, &self.rows, $write)
            }
        }

        impl FastDigest for $row {
            const WRITE: fn(&Self, &mut Vec<u8>) = $write;
        }
    )+};
}

fast_digest!(
    Entity => write_entity_row_json,
    Inspector => write_inspector_json,
    Item => write_item_json,
    Conflict => write_conflict_json,
    HistoryRecord => write_history_json,
);

/// What a streaming read ([`super::roster_csv::for_each_entity`]) returns once every row was
/// handed over: the count, the fingerprint and how the file was read.
///
/// The fingerprint equals [`Roster::digest`] of the same file read in full, so a national-scale
/// roster can be fingerprinted without holding its rows.
///
/// ```
/// use double_random::formats::error::InputErrors;
/// use double_random::formats::roster_csv::{for_each_entity, read_entities};
///
/// let csv = "id,name,kind,region,status\n91350100M000100Y43,甲,enterprise,350100,active\n";
/// let mut seen = 0;
/// let summary = for_each_entity("e.csv", csv.as_bytes(), |_line, _e| {
///     seen += 1;
///     Ok::<(), InputErrors>(())
/// })?;
/// assert_eq!((seen, summary.rows), (1, 1));
/// assert_eq!(summary.digest, read_entities("e.csv", csv.as_bytes())?.digest()?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterSummary {
    /// Which table this is.
    pub table: Table,
    /// Rows handed over.
    pub rows: u64,
    /// The table's fingerprint.
    pub digest: Digest32,
    /// Warnings (at most [`super::error::MAX_REPORTED`]).
    pub warnings: Vec<InputWarning>,
    /// Warnings found but not kept.
    pub warnings_omitted: u64,
    /// How the file was encoded.
    pub encoding: Encoding,
    /// Which language its headers were in.
    pub header_language: HeaderLanguage,
    /// Columns ignored and fields absent.
    pub columns: Columns,
}

/// A model type that is one row of a roster table.
pub(crate) trait Row: serde::Serialize + Sized + Send {
    const TABLE: Table;
    /// Builds the row from its cells, reporting every problem to `ctx`; `None` if any.
    fn build(ctx: &mut RowCtx<'_>) -> Option<Self>;
    /// Appends the row's canonical JSON (SPEC §3.1) to `out`.
    ///
    /// The default goes through serde and [`super::jcs::to_canonical`]; the five roster row
    /// types write theirs directly (entity rows come by the million), each checked against it.
    fn write_canonical(&self, out: &mut Vec<u8>) -> Result<(), JcsError> {
        out.extend_from_slice(&super::jcs::to_canonical(self)?);
        Ok(())
    }
}

/// Appends `s` as a canonical JSON string (SPEC §3.1): `"` `\\` and control characters escaped
/// as `JSON.stringify` does, everything else as its UTF-8 bytes.
///
/// Works on bytes: every byte of a multi-byte UTF-8 sequence is ≥ 0x80 and passes unchanged.
pub(crate) fn write_json_string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    let bytes = s.as_bytes();
    // Most text has nothing to escape: one pass to tell, one copy.
    if !bytes.iter().fold(false, |acc, &b| {
        acc | (b < 0x20) | (b == b'"') | (b == b'\\')
    }) {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0C => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x00..=0x1F => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 15)]);
        } else {
            out.extend_from_slice(esc);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Appends the canonical JSON of an entity row, byte for byte what
/// [`super::jcs::to_canonical`] writes for it (members in sorted order).
pub(crate) fn write_entity_json<T: AsRef<str>>(e: &EntityFields<'_, T>, out: &mut Vec<u8>) {
    write_entity_json_with(e, out, write_json_string);
}

/// [`write_entity_json`] for a row none of whose text holds a character JSON escapes (`"`,
/// `\\`, control characters), as the parallel reader's plain rows: the text is copied as it is.
pub(crate) fn write_plain_entity_json<T: AsRef<str>>(e: &EntityFields<'_, T>, out: &mut Vec<u8>) {
    write_entity_json_with(e, out, write_plain_json_string);
}

/// Appends `s`, which holds nothing to escape, as a JSON string.
fn write_plain_json_string(s: &str, out: &mut Vec<u8>) {
    debug_assert!(!s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\'));
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

/// [`write_entity_json`] with `string` writing each string.
fn write_entity_json_with<T: AsRef<str>>(
    e: &EntityFields<'_, T>,
    out: &mut Vec<u8>,
    string: impl Fn(&str, &mut Vec<u8>),
) {
    out.extend_from_slice(b"{\"abnormal\":");
    out.extend_from_slice(if e.abnormal { b"true" } else { b"false" });
    out.extend_from_slice(b",\"authority\":");
    string(e.authority, out);
    out.extend_from_slice(b",\"id\":");
    string(e.id, out);
    out.extend_from_slice(b",\"industry\":");
    string(e.industry, out);
    out.extend_from_slice(b",\"kind\":");
    match e.kind {
        Some(k) => string(k.as_str(), out),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"name\":");
    string(e.name, out);
    out.extend_from_slice(b",\"region\":");
    string(e.region, out);
    out.extend_from_slice(b",\"risk\":");
    match e.risk {
        Some(r) => string(r.as_str(), out),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"status\":");
    string(e.status.as_str(), out);
    out.extend_from_slice(b",\"tags\":[");
    for (i, t) in e.tags.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(t.as_ref(), out);
    }
    out.extend_from_slice(b"]}");
}

/// [`write_entity_json`] of a whole [`Entity`].
fn write_entity_row_json(e: &Entity, out: &mut Vec<u8>) {
    write_entity_json(&e.fields(), out);
}

/// Appends a list of strings as a canonical JSON array.
fn write_json_strings<T: AsRef<str>>(list: &[T], out: &mut Vec<u8>) {
    out.push(b'[');
    for (i, t) in list.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_json_string(t.as_ref(), out);
    }
    out.push(b']');
}

/// Appends the canonical JSON of an inspector row, byte for byte what
/// [`super::jcs::to_canonical`] writes for it.
pub(crate) fn write_inspector_json(x: &Inspector, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"department\":");
    write_json_string(&x.department, out);
    out.extend_from_slice(b",\"id\":");
    write_json_string(&x.id, out);
    out.extend_from_slice(b",\"kind\":");
    write_json_string(x.kind.as_str(), out);
    out.extend_from_slice(b",\"name\":");
    write_json_string(&x.name, out);
    out.extend_from_slice(b",\"qualifications\":");
    write_json_strings(&x.qualifications, out);
    out.extend_from_slice(b",\"region\":");
    write_json_string(&x.region, out);
    out.extend_from_slice(b",\"specialties\":");
    write_json_strings(&x.specialties, out);
    out.extend_from_slice(b",\"status\":");
    write_json_string(x.status.as_str(), out);
    out.push(b'}');
}

/// Appends the canonical JSON of an item row, byte for byte what
/// [`super::jcs::to_canonical`] writes for it.
pub(crate) fn write_item_json(x: &Item, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"basis\":");
    write_json_string(&x.basis, out);
    out.extend_from_slice(b",\"category\":");
    write_json_string(x.category.as_str(), out);
    out.extend_from_slice(b",\"content\":");
    write_json_string(&x.content, out);
    out.extend_from_slice(b",\"id\":");
    write_json_string(&x.id, out);
    out.extend_from_slice(b",\"method\":");
    write_json_string(&x.method, out);
    out.extend_from_slice(b",\"name\":");
    write_json_string(&x.name, out);
    out.extend_from_slice(b",\"qualification\":");
    write_json_string(&x.qualification, out);
    out.extend_from_slice(b",\"subject\":");
    write_json_string(&x.subject, out);
    out.push(b'}');
}

/// Appends the canonical JSON of a conflict row, byte for byte what
/// [`super::jcs::to_canonical`] writes for it.
pub(crate) fn write_conflict_json(x: &Conflict, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"entity\":");
    write_json_string(&x.entity, out);
    out.extend_from_slice(b",\"inspector\":");
    write_json_string(&x.inspector, out);
    out.extend_from_slice(b",\"reason\":");
    write_json_string(&x.reason, out);
    out.push(b'}');
}

/// Appends the canonical JSON of a history row, byte for byte what
/// [`super::jcs::to_canonical`] writes for it.
pub(crate) fn write_history_json(x: &HistoryRecord, out: &mut Vec<u8>) {
    use std::io::Write as _;
    out.extend_from_slice(b"{\"date\":\"");
    // A date is written as its `Display` form (digits and `-`: nothing to escape), as serde
    // writes it; years 0–9999 digit by digit. Writing into a vector cannot fail.
    match x.date.ymd() {
        (y @ 0..=9999, m, d) => {
            let y = y as u32;
            let digit = |v: u32| b'0' + (v % 10) as u8;
            out.extend_from_slice(&[
                digit(y / 1000),
                digit(y / 100),
                digit(y / 10),
                digit(y),
                b'-',
                digit(u32::from(m) / 10),
                digit(u32::from(m)),
                b'-',
                digit(u32::from(d) / 10),
                digit(u32::from(d)),
            ]);
        }
        _ => {
            let _ = write!(out, "{}", x.date);
        }
    }
    out.extend_from_slice(b"\",\"entity\":");
    write_json_string(&x.entity, out);
    out.extend_from_slice(b",\"inspectors\":");
    write_json_strings(&x.inspectors, out);
    out.extend_from_slice(b",\"item\":");
    write_json_string(&x.item, out);
    out.extend_from_slice(b",\"kind\":");
    write_json_string(x.kind.as_str(), out);
    out.push(b'}');
}

/// What the header row says: which file column holds which field.
#[derive(Debug)]
pub(crate) struct HeaderMap {
    /// Per file column: the field index, `None` for an unnamed column.
    columns: Vec<Option<usize>>,
    /// Per file column: the header as written (trimmed).
    headers: Vec<String>,
    /// Per field: the file column.
    by_field: Vec<Option<usize>>,
    language: HeaderLanguage,
    /// Columns whose header names no field, in file order.
    ignored: Vec<IgnoredColumn>,
}

impl HeaderMap {
    /// Maps a header row; every problem goes to `sink`. `None` if the header is unusable.
    pub(crate) fn new(
        table: Table,
        cells: &[Cow<'_, str>],
        line: u64,
        sink: &mut Sink,
    ) -> Option<HeaderMap> {
        let spec = table.columns();
        let mut map = HeaderMap {
            columns: Vec::with_capacity(cells.len()),
            headers: Vec::with_capacity(cells.len()),
            by_field: vec![None; spec.len()],
            language: HeaderLanguage::English,
            ignored: Vec::new(),
        };
        let (mut zh, mut en) = (false, false);
        let mut ok = true;
        for (col, cell) in cells.iter().enumerate() {
            let written = normalize::text(cell);
            let folded = normalize::code(cell);
            let mut found = None;
            if !folded.is_empty() {
                for (fi, c) in spec.iter().enumerate() {
                    if c.chinese.iter().any(|a| normalize::code(a) == folded) {
                        found = Some((fi, true));
                        break;
                    }
                    if c.english.iter().any(|a| normalize::code(a) == folded) {
                        found = Some((fi, false));
                        break;
                    }
                }
                match found {
                    None => map.ignored.push(IgnoredColumn {
                        column: col + 1,
                        header: written.clone(),
                    }),
                    Some((fi, chinese)) => {
                        if chinese {
                            zh = true;
                        } else {
                            en = true;
                        }
                        if let Some(first) = map.by_field[fi] {
                            sink.error(
                                line,
                                None,
                                InputErrorKind::DuplicateColumn {
                                    name: spec[fi].name,
                                    header: written.clone(),
                                    first_column: first + 1,
                                    column: col + 1,
                                },
                            );
                            ok = false;
                        } else {
                            map.by_field[fi] = Some(col);
                        }
                    }
                }
            }
            map.columns.push(found.map(|(fi, _)| fi));
            map.headers.push(written);
        }
        for (fi, c) in spec.iter().enumerate() {
            if c.required && map.by_field[fi].is_none() {
                let mut headers: Vec<&'static str> = c.chinese.to_vec();
                headers.extend(c.english.iter().copied());
                sink.error(
                    line,
                    None,
                    InputErrorKind::MissingColumn {
                        name: c.name,
                        headers,
                    },
                );
                ok = false;
            }
        }
        map.language = match (zh, en) {
            (true, false) => HeaderLanguage::Chinese,
            (true, true) => HeaderLanguage::Mixed,
            _ => HeaderLanguage::English,
        };
        ok.then_some(map)
    }

    /// The file column that holds field `fi`, if the header names it.
    pub(crate) fn column_of_field(&self, fi: usize) -> Option<usize> {
        self.by_field.get(fi).copied().flatten()
    }

    /// The field a file column maps to.
    pub(crate) fn field_of_column(&self, col: usize) -> Option<usize> {
        self.columns.get(col).copied().flatten()
    }

    /// Per field of a table of `N` fields, the file column holding it: for readers that look
    /// up every field of every row.
    pub(crate) fn field_columns<const N: usize>(&self) -> [Option<usize>; N] {
        std::array::from_fn(|fi| self.column_of_field(fi))
    }

    /// The file columns no field is named in.
    pub(crate) fn unnamed_columns(&self) -> Vec<usize> {
        (0..self.columns.len())
            .filter(|&c| self.columns[c].is_none())
            .collect()
    }

    /// The [`Field`] of a file column, if it maps to one.
    pub(crate) fn field_at(&self, table: Table, col: usize) -> Option<Field> {
        let fi = self.field_of_column(col)?;
        Some(Field {
            header: self.headers.get(col).cloned().unwrap_or_default(),
            name: table.columns().get(fi)?.name,
        })
    }

    /// Which language the header was in.
    pub(crate) fn language(&self) -> HeaderLanguage {
        self.language
    }

    /// What the header said about columns: those ignored, and the fields no column holds.
    pub(crate) fn columns(&self, table: Table) -> Columns {
        Columns {
            ignored: self.ignored.clone(),
            absent: table
                .columns()
                .iter()
                .zip(&self.by_field)
                .filter(|(_, col)| col.is_none())
                .map(|(c, _)| c.name)
                .collect(),
        }
    }
}

/// A column whose header names no field of the table: its values are never read.
///
/// Exports carry many such columns (法定代表人, 住所, 注册资本…); they are listed once per file
/// so that a misspelt header is seen, and they never enter a digest.
///
/// ```
/// use double_random::formats::roster_csv::read_items;
///
/// let r = read_items("items.csv", "id,name,category,备注\nX1,抽查,general,无\n".as_bytes()).unwrap();
/// assert_eq!(r.columns.ignored[0].column, 4);
/// assert_eq!(r.columns.ignored[0].header, "备注");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredColumn {
    /// The column's position, from 1.
    pub column: usize,
    /// Its header as written (trimmed).
    pub header: String,
}

/// What a roster's header said beyond its rows: the columns ignored and the optional fields
/// that no column holds (every row then has the field's default, SPEC §3.3).
///
/// A plan that needs an absent field is refused before announcing
/// ([`needed_fields`]); a column with an empty header cell is ignored without being listed.
///
/// ```
/// use double_random::formats::roster_csv::read_entities;
///
/// let csv = "统一社会信用代码,名称,登记状态,住所\n91350100M000100Y43,甲公司,存续,福州\n";
/// let r = read_entities("e.csv", csv.as_bytes()).unwrap();
/// assert!(r.columns.absent.contains(&"kind"));
/// assert_eq!(r.columns.ignored[0].header, "住所");
/// assert_eq!(r.rows[0].kind, None);
/// assert_eq!(r.rows[0].region, "");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    /// Columns whose header names no field, in file order.
    pub ignored: Vec<IgnoredColumn>,
    /// Canonical names of the fields no column holds, in canonical order.
    pub absent: Vec<&'static str>,
}

/// A roster field that a plan uses, and the plan setting that uses it.
///
/// See [`needed_fields`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NeededField {
    /// The table the field is in.
    pub table: Table,
    /// The field's canonical name.
    pub field: &'static str,
    /// The plan setting that reads it, as written in the plan (`filters.kinds`, `strata.by`…).
    pub plan_field: &'static str,
}

/// The optional roster fields a plan's filters, strata, eligibility rules and caps read
/// (SPEC §3.3), for refusing before announcing a roster that lacks one of their columns.
///
/// An absent optional column gives every row the field's default, so a draw is always well
/// defined; but a plan that filters on a field nobody filled in would silently admit or refuse
/// everyone. `items` is the item list, whose `qualification`s the plan's items require of
/// inspectors.
///
/// ```
/// use double_random::formats::roster::{needed_fields, Table};
/// use double_random::formats::plan_toml::read_plan;
///
/// let plan = read_plan("plan.toml", r#"
/// plan_id = "P1"
/// plan_name = "计划"
/// task_id = "T1"
/// task_name = "任务"
/// authority = "某局"
/// draw_date = "2026-03-01"
/// items = ["X1"]
/// [filters]
/// kinds = ["企业"]
/// [strata]
/// by = "none"
/// ratio = 0.1
/// [team]
/// officers = 2
/// "#).unwrap();
/// let needed = needed_fields(&plan, &[]);
/// assert!(needed.iter().any(|n| n.table == Table::Entities && n.field == "kind"
///     && n.plan_field == "filters.kinds"));
/// assert!(!needed.iter().any(|n| n.field == "risk"));
/// ```
pub fn needed_fields(plan: &crate::model::Plan, items: &[Item]) -> Vec<NeededField> {
    let f = &plan.filters;
    let mut out = Vec::new();
    let mut need = |table: Table, field: &'static str, plan_field: &'static str, used: bool| {
        if used {
            out.push(NeededField {
                table,
                field,
                plan_field,
            });
        }
    };
    let ent = Table::Entities;
    need(ent, "kind", "filters.kinds", !f.kinds.is_empty());
    need(
        ent,
        "region",
        "filters.regions",
        !f.region_prefixes.is_empty(),
    );
    need(
        ent,
        "industry",
        "filters.industries",
        !f.industry_prefixes.is_empty(),
    );
    need(ent, "tags", "filters.tags_any", !f.tags_any.is_empty());
    need(ent, "tags", "filters.tags_all", !f.tags_all.is_empty());
    need(
        ent,
        "abnormal",
        "filters.exclude_abnormal",
        f.exclude_abnormal,
    );
    need(
        ent,
        "risk",
        "strata.by",
        matches!(plan.strata, crate::model::Strata::Risk { .. }),
    );
    need(ent, "risk", "publish_risk", plan.publish_risk);
    let same_region = plan.team.exclude_same_region;
    need(ent, "region", "team.exclude_same_region", same_region);
    let ins = Table::Inspectors;
    need(ins, "region", "team.exclude_same_region", same_region);
    need(ins, "kind", "team.experts", plan.team.experts > 0);
    let qualified = items
        .iter()
        .any(|i| plan.items.contains(&i.id) && !i.qualification.is_empty());
    need(ins, "qualifications", "items", qualified);
    let hist = Table::History;
    need(
        hist,
        "item",
        "repeat.same_items_only",
        plan.repeat.same_items_only,
    );
    need(
        hist,
        "inspectors",
        "repeat.inspector_window_days",
        plan.repeat.inspector_window_days.is_some(),
    );
    out
}

/// A key that must be unique within a table.
#[derive(Debug)]
enum Key {
    /// An entity id packed into 5 bits per character (with its length).
    Packed(u128),
    /// Any other id.
    Text(String),
    /// An inspector–entity pair.
    Pair(String, String),
}

/// Packs a canonical entity id (USCC characters only, at most 24) into an integer, injectively.
///
/// Entity rosters may hold millions of rows; a packed key takes a fraction of the memory of a
/// string key when checking ids for duplicates.
pub(crate) fn pack_entity_id(id: &str) -> Option<u128> {
    if id.len() > 24 {
        return None;
    }
    let mut v = id.len() as u128;
    for b in id.bytes() {
        let d = USCC_VALUE[usize::from(b)];
        if d == NOT_USCC {
            return None;
        }
        v = (v << 5) | u128::from(d);
    }
    Some(v)
}

/// Remembers the first line of each unique key.
///
/// One map per kind of key, so that the packed entity ids of a national roster take 16 bytes
/// of key each rather than the size of the largest key.
#[derive(Debug, Default)]
pub(crate) struct Uniq {
    packed: HashMap<PackedKey, u64, PackedIdHash>,
    text: HashMap<String, u64>,
    pairs: HashMap<(String, String), u64>,
}

/// A packed entity id as two words: aligned to 8 bytes, so a map entry with its line takes 24
/// bytes rather than the 32 a `u128` key (aligned to 16) would.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PackedKey([u64; 2]);

impl std::hash::Hash for PackedKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u128(u128::from(self.0[0]) | (u128::from(self.0[1]) << 64));
    }
}

/// Hashing for packed entity ids: a folded 64×64→128-bit multiply keyed per map with random bits.
///
/// SipHash took a tenth of the time of reading a national roster. The random key (drawn through
/// [`std::collections::hash_map::RandomState`]) keeps a crafted roster from choosing colliding
/// ids in advance.
#[derive(Clone, Debug)]
pub(crate) struct PackedIdHash {
    key: [u64; 2],
}

impl Default for PackedIdHash {
    fn default() -> Self {
        use std::hash::BuildHasher as _;
        let rs = std::collections::hash_map::RandomState::new();
        PackedIdHash {
            key: [rs.hash_one(1u8), rs.hash_one(2u8)],
        }
    }
}

impl std::hash::BuildHasher for PackedIdHash {
    type Hasher = PackedIdHasher;
    fn build_hasher(&self) -> PackedIdHasher {
        PackedIdHasher {
            key: self.key,
            state: 0,
        }
    }
}

/// The hasher of [`PackedIdHash`].
pub(crate) struct PackedIdHasher {
    key: [u64; 2],
    state: u64,
}

/// The high and low halves of a 128-bit product, folded.
fn fold_mul(a: u64, b: u64) -> u64 {
    let m = u128::from(a) * u128::from(b);
    (m as u64) ^ ((m >> 64) as u64)
}

impl std::hash::Hasher for PackedIdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(b));
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.state = fold_mul(self.state ^ v ^ self.key[0], self.key[1] | 1);
    }
    fn write_u128(&mut self, v: u128) {
        self.state = fold_mul(
            (v as u64) ^ self.key[0],
            ((v >> 64) as u64) ^ self.key[1] ^ self.state,
        );
    }
    fn finish(&self) -> u64 {
        fold_mul(self.state, 0x9E37_79B9_7F4A_7C15)
    }
}

/// Records `key` at `line` in `map`; returns the earlier line if it was seen before.
fn first_line<K: std::hash::Hash + Eq, S: std::hash::BuildHasher>(
    map: &mut HashMap<K, u64, S>,
    key: K,
    line: u64,
) -> Option<u64> {
    match map.entry(key) {
        std::collections::hash_map::Entry::Occupied(o) => Some(*o.get()),
        std::collections::hash_map::Entry::Vacant(v) => {
            v.insert(line);
            None
        }
    }
}

impl Uniq {
    /// Records `key` at `line`; returns the earlier line if it was seen before.
    fn check(&mut self, key: Key, line: u64) -> Option<u64> {
        match key {
            Key::Packed(k) => first_line(
                &mut self.packed,
                PackedKey([k as u64, (k >> 64) as u64]),
                line,
            ),
            Key::Text(k) => first_line(&mut self.text, k, line),
            Key::Pair(a, b) => first_line(&mut self.pairs, (a, b), line),
        }
    }
}

/// The cells of one row with the means to report problems in them.
pub(crate) struct RowCtx<'a> {
    table: Table,
    map: &'a HeaderMap,
    cells: &'a [Cow<'a, str>],
    line: u64,
    sink: &'a mut Sink,
    uniq: &'a mut Uniq,
    /// Fields already reported by the container layer (encoding, spreadsheet cells).
    reported: u64,
    failed: bool,
}

impl RowCtx<'_> {
    /// The raw cell of field `fi` ("" when the column is absent or already reported).
    fn raw(&self, fi: usize) -> &str {
        if self.reported & (1 << fi) != 0 {
            return "";
        }
        match self.map.by_field.get(fi).copied().flatten() {
            Some(col) => self.cells.get(col).map_or("", |c| c.as_ref()),
            None => "",
        }
    }

    /// Whether no column holds field `fi` (it then takes its default, SPEC §3.3).
    fn absent(&self, fi: usize) -> bool {
        self.map.column_of_field(fi).is_none()
    }

    fn is_reported(&self, fi: usize) -> bool {
        self.reported & (1 << fi) != 0
    }

    fn field(&self, fi: usize) -> Option<Field> {
        let col = self.map.by_field.get(fi).copied().flatten()?;
        self.map.field_at(self.table, col)
    }

    fn fail(&mut self, fi: usize, kind: InputErrorKind) {
        self.failed = true;
        let field = self.field(fi);
        self.sink.error(self.line, field, kind);
    }

    fn warn(&mut self, fi: usize, kind: InputWarningKind) {
        let field = self.field(fi);
        self.sink.warn(self.line, field, kind);
    }

    /// Free text (may be empty).
    fn text(&mut self, fi: usize) -> Option<String> {
        if self.is_reported(fi) {
            return None;
        }
        Some(normalize::text(self.raw(fi)))
    }

    /// Free text that must not be empty.
    fn required_text(&mut self, fi: usize) -> Option<String> {
        let v = self.text(fi)?;
        if v.is_empty() {
            self.fail(fi, InputErrorKind::Empty);
            return None;
        }
        Some(v)
    }

    /// A code or id via [`normalize::code`]; empty is an error when `required`.
    fn code(&mut self, fi: usize, required: bool) -> Option<String> {
        if self.is_reported(fi) {
            return None;
        }
        let v = normalize::code(self.raw(fi));
        if required && v.is_empty() {
            self.fail(fi, InputErrorKind::Empty);
            return None;
        }
        Some(v)
    }

    /// An entity id via [`codes::parse_entity_id`], warnings collected.
    fn entity_id(&mut self, fi: usize) -> Option<String> {
        if self.is_reported(fi) {
            return None;
        }
        let raw = self.raw(fi);
        if codes::is_clean_entity_id(raw) {
            return Some(raw.to_owned());
        }
        match codes::parse_entity_id(raw) {
            Ok((id, warnings)) => {
                for w in warnings {
                    self.warn(fi, InputWarningKind::Code(w));
                }
                Some(id.as_str().to_owned())
            }
            Err(e) => {
                self.fail(fi, InputErrorKind::Code(e));
                None
            }
        }
    }

    /// A region code; empty gives "" unless `required`.
    fn region(&mut self, fi: usize, required: bool) -> Option<String> {
        if self.is_reported(fi) {
            return None;
        }
        let raw = self.raw(fi);
        if !required && normalize::is_blank(raw) {
            return Some(String::new());
        }
        match codes::parse_region(raw) {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(fi, InputErrorKind::Code(e));
                None
            }
        }
    }

    /// An industry code; empty gives "".
    fn industry(&mut self, fi: usize) -> Option<String> {
        if self.is_reported(fi) {
            return None;
        }
        let raw = self.raw(fi);
        if normalize::is_blank(raw) {
            return Some(String::new());
        }
        match codes::parse_industry(raw) {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(fi, InputErrorKind::Code(e));
                None
            }
        }
    }

    /// A vocabulary value; empty gives `default` (an error when there is none).
    fn vocab<V>(
        &mut self,
        fi: usize,
        parse: fn(&str) -> Option<V>,
        spellings: &'static str,
        default: Option<V>,
    ) -> Option<V> {
        if self.is_reported(fi) {
            return None;
        }
        let v = normalize::text_cow(self.raw(fi));
        if v.is_empty() {
            if default.is_none() {
                self.fail(fi, InputErrorKind::Empty);
            }
            return default;
        }
        match parse(&v) {
            Some(x) => Some(x),
            None => {
                self.fail(
                    fi,
                    InputErrorKind::UnknownValue {
                        value: v.into_owned(),
                        accepted: spellings,
                    },
                );
                None
            }
        }
    }

    /// A yes/no flag after [`normalize::text`], ASCII case-insensitive; empty is no (SPEC §3.2).
    fn boolean(&mut self, fi: usize) -> Option<bool> {
        if self.is_reported(fi) {
            return None;
        }
        let v = normalize::text_cow(self.raw(fi));
        let b = parse_bool(&v);
        if b.is_none() {
            self.fail(
                fi,
                InputErrorKind::BadBool {
                    value: v.into_owned(),
                },
            );
        }
        b
    }

    /// A list: split on the list separators (`;` `；` `、` `|`, SPEC §3.2) with [`split_list`],
    /// each part normalised, empty parts dropped, sorted, deduplicated.
    fn list(&mut self, fi: usize, norm: fn(&str) -> String) -> Option<Vec<String>> {
        if self.is_reported(fi) {
            return None;
        }
        let mut v: Vec<String> = split_list(self.raw(fi))
            .map(norm)
            .filter(|s| !s.is_empty())
            .collect();
        v.sort();
        v.dedup();
        Some(v)
    }

    /// A date in one of the accepted forms.
    fn date(&mut self, fi: usize) -> Option<Date> {
        if self.is_reported(fi) {
            return None;
        }
        let raw = self.raw(fi);
        if normalize::is_blank(raw) {
            self.fail(fi, InputErrorKind::Empty);
            return None;
        }
        match parse_roster_date(raw) {
            Some(d) => Some(d),
            None => {
                let value = normalize::text(raw);
                self.fail(fi, InputErrorKind::BadDate { value });
                None
            }
        }
    }

    /// Records a unique key for field `fi`; a repeat is an error naming both lines.
    fn unique(&mut self, fi: usize, key: Key, shown: impl FnOnce() -> InputErrorKindSeed) {
        if let Some(first_line) = self.uniq.check(key, self.line) {
            let kind = match shown() {
                InputErrorKindSeed::Id(id) => InputErrorKind::DuplicateId { id, first_line },
                InputErrorKindSeed::Pair(inspector, entity) => InputErrorKind::DuplicateConflict {
                    inspector,
                    entity,
                    first_line,
                },
            };
            self.fail(fi, kind);
        }
    }
}

/// `s.split(LIST_SEPARATORS)`, by the separators' bytes (`;` `|` U+FF1B U+3001): faster than
/// testing every character against the list. A character that is not a separator is stepped
/// over whole (its length is in its first byte; `s` is UTF-8), as no separator begins inside
/// a character.
pub(crate) fn split_list(s: &str) -> impl Iterator<Item = &str> {
    let b = s.as_bytes();
    let mut from = 0;
    let mut i = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        while i < b.len() {
            let sep = match b[i] {
                b';' | b'|' => 1,
                0xEF if b.get(i + 1..i + 3) == Some(&[0xBC, 0x9B]) => 3,
                0xE3 if b.get(i + 1..i + 3) == Some(&[0x80, 0x81]) => 3,
                _ => 0,
            };
            if sep > 0 {
                let part = s.get(from..i);
                i += sep;
                from = i;
                return part;
            }
            i += match b[i] {
                0xF0.. => 4,
                0xE0.. => 3,
                0xC0.. => 2,
                _ => 1,
            };
        }
        done = true;
        s.get(from..)
    })
}

/// A yes/no word (already normalised), ASCII case-insensitive; empty is no (SPEC §3.2).
pub(crate) fn parse_bool(v: &str) -> Option<bool> {
    let is = |words: &[&str]| words.iter().any(|w| v.eq_ignore_ascii_case(w));
    if is(&NO) {
        Some(false)
    } else if is(&YES) {
        Some(true)
    } else {
        None
    }
}

/// The spellings of no and yes, ASCII case aside.
pub(crate) const NO: [&str; 6] = ["", "否", "N", "no", "false", "0"];
/// See [`NO`].
pub(crate) const YES: [&str; 5] = ["是", "Y", "yes", "true", "1"];

/// What a duplicate-key error shows.
enum InputErrorKindSeed {
    Id(String),
    Pair(String, String),
}

/// Separators of list cells (tags, qualifications, specialties, history inspectors), SPEC §3.2.
/// [`split_list`] splits on them by their bytes; the tests hold it to this list.
#[cfg(test)]
pub(crate) const LIST_SEPARATORS: &[char] = &[';', '；', '、', '|'];

/// Parses `YYYY-MM-DD`, `YYYY/M/D` or `YYYY年M月D日` (after [`normalize::code`], so full-width
/// digits and spaces are allowed; in the last two forms month and day may have one digit) into a
/// date that exists.
pub(crate) fn parse_roster_date(raw: &str) -> Option<Date> {
    // `YYYY-MM-DD` with nothing around it, as most rosters write dates: its code is itself.
    if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *raw.as_bytes()
        && [y0, y1, y2, y3, m0, m1, d0, d1]
            .iter()
            .all(u8::is_ascii_digit)
    {
        let n = |a: &[u8]| a.iter().fold(0u32, |v, &c| v * 10 + u32::from(c - b'0'));
        return Date::from_ymd(
            n(&[y0, y1, y2, y3]) as i32,
            n(&[m0, m1]) as u8,
            n(&[d0, d1]) as u8,
        );
    }
    parse_code_date(&normalize::code(raw))
}

/// [`parse_roster_date`] of text already through [`normalize::code`].
fn parse_code_date(s: &str) -> Option<Date> {
    let (y, m, d, min_width) = if let Some(rest) = s.strip_suffix('日') {
        let (y, rest) = rest.split_once('年')?;
        let (m, d) = rest.split_once('月')?;
        (y, m, d, 1)
    } else {
        // `YYYY-MM-DD` as written; `YYYY/M/D` also with one-digit month and day, as Excel
        // writes dates on a Chinese system.
        let (sep, min_width) = if s.contains('/') { ('/', 1) } else { ('-', 2) };
        let mut parts = s.split(sep);
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        (y, m, d, min_width)
    };
    let digits = |p: &str, lo: usize, hi: usize| -> Option<u32> {
        if p.len() < lo || p.len() > hi || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    let year = digits(y, 4, 4)?;
    let month = digits(m, min_width, 2)?;
    let day = digits(d, min_width, 2)?;
    Date::from_ymd(
        i32::try_from(year).ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
    )
}

impl Row for Entity {
    const TABLE: Table = Table::Entities;
    fn write_canonical(&self, out: &mut Vec<u8>) -> Result<(), JcsError> {
        write_entity_row_json(self, out);
        Ok(())
    }
    fn build(ctx: &mut RowCtx<'_>) -> Option<Self> {
        let id = ctx.entity_id(e::ID);
        if let Some(id) = &id {
            let key = pack_entity_id(id).map_or_else(|| Key::Text(id.clone()), Key::Packed);
            ctx.unique(e::ID, key, || InputErrorKindSeed::Id(id.clone()));
        }
        let name = ctx.required_text(e::NAME);
        let kind = if ctx.absent(e::KIND) {
            Some(None)
        } else {
            ctx.vocab(e::KIND, EntityKind::parse, EntityKind::spellings(), None)
                .map(Some)
        };
        let authority = ctx.text(e::AUTHORITY);
        let region = if ctx.absent(e::REGION) {
            Some(String::new())
        } else {
            ctx.region(e::REGION, true)
        };
        let industry = ctx.industry(e::INDUSTRY);
        let status = ctx.vocab(
            e::STATUS,
            EntityStatus::parse,
            EntityStatus::spellings(),
            None,
        );
        let abnormal = ctx.boolean(e::ABNORMAL);
        let risk = if ctx.is_reported(e::RISK) {
            None
        } else if normalize::text(ctx.raw(e::RISK)).is_empty() {
            Some(None)
        } else {
            ctx.vocab(e::RISK, RiskClass::parse, RiskClass::spellings(), None)
                .map(Some)
        };
        let tags = ctx.list(e::TAGS, normalize::text);
        if ctx.failed {
            return None;
        }
        Some(Entity {
            id: id?,
            name: name?,
            kind: kind?,
            authority: authority?,
            region: region?,
            industry: industry?,
            status: status?,
            abnormal: abnormal?,
            risk: risk?,
            tags: tags?,
        })
    }
}

impl Row for Inspector {
    const TABLE: Table = Table::Inspectors;
    fn write_canonical(&self, out: &mut Vec<u8>) -> Result<(), JcsError> {
        write_inspector_json(self, out);
        Ok(())
    }
    fn build(ctx: &mut RowCtx<'_>) -> Option<Self> {
        let id = ctx.code(i::ID, true);
        if let Some(id) = &id {
            ctx.unique(i::ID, Key::Text(id.clone()), || {
                InputErrorKindSeed::Id(id.clone())
            });
        }
        let name = ctx.required_text(i::NAME);
        let department = ctx.required_text(i::DEPARTMENT);
        let region = ctx.region(i::REGION, false);
        let qualifications = ctx.list(i::QUALIFICATIONS, normalize::text);
        let specialties = ctx.list(i::SPECIALTIES, normalize::text);
        let kind = ctx.vocab(
            i::KIND,
            InspectorKind::parse,
            InspectorKind::spellings(),
            Some(InspectorKind::Officer),
        );
        let status = ctx.vocab(
            i::STATUS,
            InspectorStatus::parse,
            InspectorStatus::spellings(),
            Some(InspectorStatus::OnDuty),
        );
        if ctx.failed {
            return None;
        }
        Some(Inspector {
            id: id?,
            name: name?,
            department: department?,
            region: region?,
            qualifications: qualifications?,
            specialties: specialties?,
            kind: kind?,
            status: status?,
        })
    }
}

impl Row for Item {
    const TABLE: Table = Table::Items;
    fn write_canonical(&self, out: &mut Vec<u8>) -> Result<(), JcsError> {
        write_item_json(self, out);
        Ok(())
    }
    fn build(ctx: &mut RowCtx<'_>) -> Option<Self> {
        let id = ctx.code(t::ID, true);
        if let Some(id) = &id {
            ctx.unique(t::ID, Key::Text(id.clone()), || {
                InputErrorKindSeed::Id(id.clone())
            });
        }
        let name = ctx.required_text(t::NAME);
        let basis = ctx.text(t::BASIS);
        let subject = ctx.text(t::SUBJECT);
        let content = ctx.text(t::CONTENT);
        let method = ctx.text(t::METHOD);
        let category = ctx.vocab(
            t::CATEGORY,
            ItemCategory::parse,
            ItemCategory::spellings(),
            None,
        );
        let qualification = ctx.text(t::QUALIFICATION);
        if ctx.failed {
            return None;
        }
        Some(Item {
            id: id?,
            name: name?,
            basis: basis?,
            subject: subject?,
            content: content?,
            method: method?,
            category: category?,
            qualification: qualification?,
        })
    }
}

impl Row for Conflict {
    const TABLE: Table = Table::Conflicts;
    fn write_canonical(&self, out: &mut Vec<u8>) -> Result<(), JcsError> {
        write_conflict_json(self, out);
        Ok(())
    }
    fn build(ctx: &mut RowCtx<'_>) -> Option<Self> {
        let inspector = ctx.code(c::INSPECTOR, true);
        let entity = ctx.entity_id(c::ENTITY);
        if let (Some(ins), Some(ent)) = (&inspector, &entity) {
            ctx.unique(c::INSPECTOR, Key::Pair(ins.clone(), ent.clone()), || {
                InputErrorKindSeed::Pair(ins.clone(), ent.clone())
            });
        }
        let reason = ctx.text(c::REASON);
        if ctx.failed {
            return None;
        }
        Some(Conflict {
            inspector: inspector?,
            entity: entity?,
            reason: reason?,
        })
    }
}

impl Row for HistoryRecord {
    const TABLE: Table = Table::History;
    fn write_canonical(&self, out: &mut Vec<u8>) -> Result<(), JcsError> {
        write_history_json(self, out);
        Ok(())
    }
    fn build(ctx: &mut RowCtx<'_>) -> Option<Self> {
        let entity = ctx.entity_id(h::ENTITY);
        let date = ctx.date(h::DATE);
        let item = ctx.code(h::ITEM, false);
        let inspectors = ctx.list(h::INSPECTORS, normalize::code);
        let kind = ctx.vocab(
            h::KIND,
            HistoryKind::parse,
            HistoryKind::spellings(),
            Some(HistoryKind::Random),
        );
        if ctx.failed {
            return None;
        }
        Some(HistoryRecord {
            entity: entity?,
            date: date?,
            item: item?,
            inspectors: inspectors?,
            kind: kind?,
        })
    }
}

/// Reads one table from rows of text cells, whatever container they came from.
///
/// The container feeds the header, then each data row with its line and any problems it already
/// found in particular cells; the driver maps, parses, checks uniqueness and collects everything.
pub(crate) struct Driver<T> {
    pub(crate) sink: Sink,
    header: Option<HeaderMap>,
    header_line: u64,
    uniq: Uniq,
    data_rows: u64,
    leaves: Leaves,
    want_leaves: bool,
    _row: std::marker::PhantomData<fn() -> T>,
}

/// Rows per batch handed to the hashing thread.
const BATCH_ROWS: usize = 2048;

/// A batch of rows' canonical JSON, concatenated, with the end of each row.
type Batch = (Vec<u8>, Vec<usize>);

/// Turns rows into leaves (SHA-256 of their canonical JSON, SPEC §3.4).
///
/// The JSON is written on the reading thread into batches; once a table fills its first batch,
/// a second thread hashes the batches while reading goes on. Leaves are sorted before the table
/// digest, so the order in which they come back changes nothing.
#[derive(Default)]
pub(crate) struct Leaves {
    done: LeafSet,
    batch: Vec<u8>,
    ends: Vec<usize>,
    worker: Option<(
        std::sync::mpsc::SyncSender<Batch>,
        std::thread::JoinHandle<LeafSet>,
    )>,
    /// The worker could not be started: hash here.
    local: bool,
}

/// Hashes every row of a batch into `out`.
fn hash_batch((json, ends): &Batch, out: &mut LeafSet) {
    let mut start = 0;
    for &end in ends {
        out.push(Digest32::of(&json[start..end]));
        start = end;
    }
}

impl Leaves {
    /// No leaves yet; rows are hashed on the calling thread if `here`, otherwise on a thread
    /// of their own once the first batch is full.
    pub(crate) fn new(here: bool) -> Self {
        Leaves {
            local: here || cfg!(target_family = "wasm"),
            ..Leaves::default()
        }
    }

    /// Adds a row; on error nothing is added.
    pub(crate) fn push<T: Row>(&mut self, row: &T) -> Result<(), JcsError> {
        let start = self.batch.len();
        if let Err(e) = row.write_canonical(&mut self.batch) {
            self.batch.truncate(start);
            return Err(e);
        }
        self.ends.push(self.batch.len());
        if self.ends.len() >= BATCH_ROWS {
            self.flush();
        }
        Ok(())
    }

    /// Hands the current batch to the worker (starting it if needed), or hashes it here.
    fn flush(&mut self) {
        let batch: Batch = (
            std::mem::replace(&mut self.batch, Vec::with_capacity(256 * BATCH_ROWS)),
            std::mem::replace(&mut self.ends, Vec::with_capacity(BATCH_ROWS)),
        );
        if self.worker.is_none() && !self.local {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(8);
            let spawned = std::thread::Builder::new()
                .name("leaf-hasher".into())
                .spawn(move || {
                    let mut out = LeafSet::new();
                    for b in rx {
                        hash_batch(&b, &mut out);
                    }
                    out
                });
            match spawned {
                Ok(handle) => self.worker = Some((tx, handle)),
                Err(_) => self.local = true,
            }
        }
        let batch = match &self.worker {
            Some((tx, _)) => match tx.send(batch) {
                Ok(()) => return,
                Err(std::sync::mpsc::SendError(b)) => b,
            },
            None => batch,
        };
        hash_batch(&batch, &mut self.done);
    }

    /// Every leaf.
    pub(crate) fn finish(mut self) -> LeafSet {
        let rest: Batch = (
            std::mem::take(&mut self.batch),
            std::mem::take(&mut self.ends),
        );
        hash_batch(&rest, &mut self.done);
        if let Some((tx, handle)) = self.worker.take() {
            drop(tx);
            match handle.join() {
                Ok(v) => self.done.append(v),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        self.done
    }
}

/// The outcome of a driver once the file has been read.
pub(crate) struct Finished {
    pub(crate) columns: Columns,
    pub(crate) warnings: Vec<InputWarning>,
    pub(crate) warnings_omitted: u64,
    pub(crate) header_language: HeaderLanguage,
    pub(crate) digest: Option<Digest32>,
}

impl<T: Row> Driver<T> {
    /// A driver for `file`; with `want_leaves` it fingerprints rows as they pass.
    pub(crate) fn new(file: &str, want_leaves: bool) -> Self {
        Driver {
            sink: Sink::new(file),
            header: None,
            header_line: 0,
            uniq: Uniq::default(),
            data_rows: 0,
            leaves: Leaves::default(),
            want_leaves,
            _row: std::marker::PhantomData,
        }
    }

    /// Hashes rows on the calling thread rather than on a thread of its own.
    pub(crate) fn hash_here(&mut self) {
        self.leaves.local = true;
    }

    /// Takes the header row; `false` if it is unusable (the problems are recorded).
    pub(crate) fn header(&mut self, cells: &[Cow<'_, str>], line: u64) -> bool {
        self.header_line = line;
        self.header = HeaderMap::new(T::TABLE, cells, line, &mut self.sink);
        self.header.is_some()
    }

    /// The header map, once a usable header was given.
    #[cfg_attr(not(feature = "xlsx"), allow(dead_code))]
    pub(crate) fn header_map(&self) -> Option<&HeaderMap> {
        self.header.as_ref()
    }

    /// The field at a file column, for problems the container finds.
    pub(crate) fn field_at(&self, col: usize) -> Option<Field> {
        self.header.as_ref()?.field_at(T::TABLE, col)
    }

    /// Whether any problem has been recorded.
    pub(crate) fn has_errors(&self) -> bool {
        self.sink.has_errors()
    }

    /// Takes one data row. `pre` lists cells (by file column) the container already found wrong.
    pub(crate) fn row(
        &mut self,
        cells: &[Cow<'_, str>],
        line: u64,
        pre: Vec<(usize, InputErrorKind)>,
    ) -> Option<T> {
        let map = self.header.as_ref()?;
        self.data_rows += 1;
        let mut reported = 0u64;
        let mut failed = false;
        for (col, kind) in pre {
            failed = true;
            if let Some(fi) = map.field_of_column(col) {
                reported |= 1 << fi;
            }
            let field = map.field_at(T::TABLE, col);
            self.sink.error(line, field, kind);
        }
        let mut ctx = RowCtx {
            table: T::TABLE,
            map,
            cells,
            line,
            sink: &mut self.sink,
            uniq: &mut self.uniq,
            reported,
            failed,
        };
        let row = T::build(&mut ctx);
        let failed = ctx.failed;
        let row = row.filter(|_| !failed)?;
        if self.want_leaves {
            match self.leaves.push(&row) {
                Ok(()) => {}
                Err(e) => {
                    self.sink.error(
                        line,
                        None,
                        InputErrorKind::Canonical {
                            message: e.to_string(),
                        },
                    );
                    return None;
                }
            }
        }
        Some(row)
    }

    /// Counts a row that was rejected before parsing (wrong field count, too long).
    pub(crate) fn skipped_row(&mut self) {
        self.data_rows += 1;
    }

    /// Ends the file: the header-only check, then errors or the outcome.
    pub(crate) fn finish(mut self) -> Result<Finished, InputErrors> {
        match &self.header {
            None if !self.sink.has_errors() => {
                self.sink.error(0, None, InputErrorKind::EmptyFile);
            }
            Some(_) if self.data_rows == 0 && T::TABLE.requires_rows() => {
                self.sink
                    .error(self.header_line, None, InputErrorKind::NoRows);
            }
            _ => {}
        }
        if self.sink.has_errors() {
            return Err(self.sink.take_errors());
        }
        let header_language = self
            .header
            .as_ref()
            .map_or(HeaderLanguage::English, HeaderMap::language);
        let digest = self.want_leaves.then(|| {
            std::mem::take(&mut self.leaves)
                .finish()
                .digest(T::TABLE.as_str())
        });
        let columns = self
            .header
            .as_ref()
            .map(|h| h.columns(T::TABLE))
            .unwrap_or_default();
        Ok(Finished {
            columns,
            warnings: std::mem::take(&mut self.sink.warnings),
            warnings_omitted: self.sink.warnings_omitted,
            header_language,
            digest,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Strings mixing ASCII, control characters, quotes, backslashes, CJK, U+2028 and astral
    /// characters.
    fn any_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                proptest::char::range('\0', '\u{7f}'),
                Just('"'),
                Just('\\'),
                Just('\u{2028}'),
                proptest::char::range('\u{4e00}', '\u{9fff}'),
                proptest::char::range('\u{1f600}', '\u{1f64f}'),
                proptest::char::any(),
            ],
            0..12,
        )
        .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn hand_written_entity_json_is_byte_identical_to_jcs(
            id in any_text(), name in any_text(), authority in any_text(), region in any_text(),
            industry in any_text(), tags in proptest::collection::vec(any_text(), 0..4),
            kind in proptest::option::of(0..EntityKind::ALL.len()), status in 0..EntityStatus::ALL.len(),
            risk in proptest::option::of(0..RiskClass::ALL.len()), abnormal in any::<bool>(),
        ) {
            let e = Entity {
                id, name, authority, region, industry, tags, abnormal,
                kind: kind.map(|k| EntityKind::ALL[k]),
                status: EntityStatus::ALL[status],
                risk: risk.map(|r| RiskClass::ALL[r]),
            };
            let mut out = Vec::new();
            e.write_canonical(&mut out).unwrap();
            let want = crate::formats::jcs::to_canonical(&e).unwrap();
            prop_assert_eq!(&out, &want);
            // Text with nothing to escape may be copied as it is.
            let text = [&e.id, &e.name, &e.authority, &e.region, &e.industry];
            if text.into_iter().chain(&e.tags).all(|t| !t.contains(|c: char| c < ' ' || c == '"' || c == '\\')) {
                out.clear();
                write_plain_entity_json(&e.fields(), &mut out);
                prop_assert_eq!(out, want);
            }
        }
    }

    fn texts() -> impl Strategy<Value = Vec<String>> {
        proptest::collection::vec(any_text(), 0..4)
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (-9999i32..=9999, 1u8..=12, 1u8..=31)
            .prop_filter_map("no such day", |(y, m, d)| Date::from_ymd(y, m, d))
    }

    /// The hand-written writer and the serde path give the same bytes for `row`.
    fn same_as_jcs<T: Row>(row: &T) -> Result<(), TestCaseError> {
        let mut out = b"prefix".to_vec();
        row.write_canonical(&mut out).unwrap();
        let mut want = b"prefix".to_vec();
        want.extend(crate::formats::jcs::to_canonical(row).unwrap());
        prop_assert_eq!(
            String::from_utf8(out).unwrap(),
            String::from_utf8(want).unwrap()
        );
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]
        #[test]
        fn hand_written_inspector_json_is_byte_identical_to_jcs(
            id in any_text(), name in any_text(), department in any_text(), region in any_text(),
            qualifications in texts(), specialties in texts(),
            kind in 0..InspectorKind::ALL.len(), status in 0..InspectorStatus::ALL.len(),
        ) {
            same_as_jcs(&Inspector {
                id, name, department, region, qualifications, specialties,
                kind: InspectorKind::ALL[kind],
                status: InspectorStatus::ALL[status],
            })?;
        }

        #[test]
        fn hand_written_history_json_is_byte_identical_to_jcs(
            entity in any_text(), date in any_date(), item in any_text(), inspectors in texts(),
            kind in 0..HistoryKind::ALL.len(),
        ) {
            same_as_jcs(&HistoryRecord {
                entity, date, item, inspectors, kind: HistoryKind::ALL[kind],
            })?;
        }

        #[test]
        fn hand_written_item_json_is_byte_identical_to_jcs(
            id in any_text(), name in any_text(), basis in any_text(), subject in any_text(),
            content in any_text(), method in any_text(), qualification in any_text(),
            category in 0..ItemCategory::ALL.len(),
        ) {
            same_as_jcs(&Item {
                id, name, basis, subject, content, method, qualification,
                category: ItemCategory::ALL[category],
            })?;
        }

        #[test]
        fn hand_written_conflict_json_is_byte_identical_to_jcs(
            inspector in any_text(), entity in any_text(), reason in any_text(),
        ) {
            same_as_jcs(&Conflict { inspector, entity, reason })?;
        }
    }

    #[test]
    fn fast_digest_equals_the_serde_digest_for_every_table() {
        use crate::formats::roster_csv as csv;
        let e = csv::read_entities(
            "e.csv",
            "id,name,kind,region,status,risk,tags\n91350100M000100Y43,甲\"公司\",企业,350100,存续,B,b;a\n\
             110108000000016,乙,个体,110108,active,,\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(e.fast_digest(), e.digest().unwrap());
        let i = csv::read_inspectors(
            "i.csv",
            "id,name,department,specialties,kind\nA1,张三,局,\u{1F600}|\\,专家\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(i.fast_digest(), i.digest().unwrap());
        let t = csv::read_items(
            "t.csv",
            "id,name,category,basis\nX1,抽查,重点,\"a\tb\"\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(t.fast_digest(), t.digest().unwrap());
        let c = csv::read_conflicts("c.csv", "inspector,entity,reason\n".as_bytes()).unwrap();
        assert_eq!(c.fast_digest(), c.digest().unwrap());
        let c = csv::read_conflicts(
            "c.csv",
            "inspector,entity,reason\nA1,91350100M000100Y43,亲属\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(c.fast_digest(), c.digest().unwrap());
        let h = csv::read_history(
            "h.csv",
            "entity,date,item,inspectors,kind\n91350100M000100Y43,2025年9月3日,X1,B2;A1,案件\n\
             110108000000016,2024-01-31,,,\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(h.fast_digest(), h.digest().unwrap());
    }

    #[test]
    fn a_table_hashed_in_runs_has_the_digest_of_one_run() {
        // Rows of every length, so that runs end at every kind of boundary.
        let rows: Vec<Conflict> = (0..1_000)
            .map(|i| Conflict {
                inspector: format!("A{i}"),
                entity: "9".repeat(i % 40),
                reason: if i % 3 == 0 {
                    "亲属".into()
                } else {
                    String::new()
                },
            })
            .collect();
        let want = crate::formats::jcs::table_digest_of("conflicts", &rows).unwrap();
        for n in [0, 1, 2, 3, 999, 1_000] {
            for threads in [1, 2, 3, 7, 1_000, 2_000] {
                let got = leaves_in_runs(&rows[..n], write_conflict_json, threads);
                let one = crate::formats::jcs::table_digest_of("conflicts", &rows[..n]).unwrap();
                assert_eq!(got.digest("conflicts"), one, "{n} rows, {threads} threads");
            }
        }
        assert_eq!(rows_digest(&rows), want);
        // Enough rows for every core to take a run.
        let many: Vec<Conflict> = (0..3 * DIGEST_ROWS_PER_THREAD)
            .map(|i| Conflict {
                inspector: format!("A{i}"),
                entity: String::new(),
                reason: String::new(),
            })
            .collect();
        assert_eq!(
            rows_digest(&many),
            crate::formats::jcs::table_digest_of("conflicts", &many).unwrap()
        );
    }

    #[test]
    fn uscc_value_table_matches_the_charset() {
        for b in 0..=255u8 {
            let want = crate::codes::USCC_CHARSET.bytes().position(|c| c == b);
            let got = USCC_VALUE[usize::from(b)];
            assert_eq!(want.map(|d| d as u8).unwrap_or(NOT_USCC), got, "{b}");
        }
    }

    #[test]
    fn field_index_constants_match_the_columns() {
        let check = |table: Table, pairs: &[(usize, &str)]| {
            for &(fi, name) in pairs {
                assert_eq!(table.columns()[fi].name, name, "{table}");
            }
            assert_eq!(table.columns().len(), pairs.len(), "{table}");
        };
        check(
            Table::Entities,
            &[
                (e::ID, "id"),
                (e::NAME, "name"),
                (e::KIND, "kind"),
                (e::AUTHORITY, "authority"),
                (e::REGION, "region"),
                (e::INDUSTRY, "industry"),
                (e::STATUS, "status"),
                (e::ABNORMAL, "abnormal"),
                (e::RISK, "risk"),
                (e::TAGS, "tags"),
            ],
        );
        check(
            Table::Inspectors,
            &[
                (i::ID, "id"),
                (i::NAME, "name"),
                (i::DEPARTMENT, "department"),
                (i::REGION, "region"),
                (i::QUALIFICATIONS, "qualifications"),
                (i::SPECIALTIES, "specialties"),
                (i::KIND, "kind"),
                (i::STATUS, "status"),
            ],
        );
        check(
            Table::Items,
            &[
                (t::ID, "id"),
                (t::NAME, "name"),
                (t::BASIS, "basis"),
                (t::SUBJECT, "subject"),
                (t::CONTENT, "content"),
                (t::METHOD, "method"),
                (t::CATEGORY, "category"),
                (t::QUALIFICATION, "qualification"),
            ],
        );
        check(
            Table::Conflicts,
            &[
                (c::INSPECTOR, "inspector"),
                (c::ENTITY, "entity"),
                (c::REASON, "reason"),
            ],
        );
        check(
            Table::History,
            &[
                (h::ENTITY, "entity"),
                (h::DATE, "date"),
                (h::ITEM, "item"),
                (h::INSPECTORS, "inspectors"),
                (h::KIND, "kind"),
            ],
        );
    }

    #[test]
    fn headers_are_unambiguous_within_each_table() {
        for table in Table::ALL {
            let mut seen: HashMap<String, &str> = HashMap::new();
            for c in table.columns() {
                assert_eq!(c.english[0], c.name);
                for a in c.chinese.iter().chain(c.english) {
                    let folded = normalize::code(a);
                    if let Some(other) = seen.insert(folded.clone(), c.name) {
                        panic!("{table}: header {a} names both {other} and {}", c.name);
                    }
                }
            }
            // Field masks are kept in a u64.
            assert!(table.columns().len() <= 64);
        }
    }

    #[test]
    fn packed_entity_ids_are_injective_on_lengths_and_characters() {
        let a = pack_entity_id("91350100M000100Y43").unwrap();
        let b = pack_entity_id("91350100M000100Y44").unwrap();
        let c = pack_entity_id("110108000000016").unwrap();
        let d = pack_entity_id("000110108000000016").unwrap();
        assert_ne!(a, b);
        assert_ne!(c, d);
        assert_eq!(pack_entity_id("0"), Some(1 << 5));
        assert_ne!(pack_entity_id("0"), pack_entity_id("00"));
        assert_eq!(pack_entity_id("I"), None);
        assert_eq!(pack_entity_id(&"0".repeat(25)), None);
        assert!(pack_entity_id(&"Y".repeat(24)).is_some());
    }

    #[test]
    fn plain_dates_read_as_their_codes_do() {
        for (y, m, d) in [
            (2026, 2, 28),
            (2026, 2, 29),
            (2024, 2, 29),
            (0, 1, 1),
            (9999, 12, 31),
            (2026, 0, 5),
            (2026, 13, 1),
            (2026, 4, 31),
            (2026, 1, 0),
        ] {
            let s = format!("{y:04}-{m:02}-{d:02}");
            assert_eq!(parse_roster_date(&s), parse_code_date(&s), "{s}");
        }
        assert_eq!(
            parse_roster_date("2026-03-01")
                .map(|d| d.to_string())
                .as_deref(),
            Some("2026-03-01")
        );
    }

    #[test]
    fn roster_dates_in_three_forms() {
        let d = |s: &str| parse_roster_date(s).map(|d| d.to_string());
        assert_eq!(d("2026-03-01").as_deref(), Some("2026-03-01"));
        assert_eq!(d("2026/3/1").as_deref(), Some("2026-03-01"));
        assert_eq!(d("2026/03/01").as_deref(), Some("2026-03-01"));
        assert_eq!(d("2026年3月1日").as_deref(), Some("2026-03-01"));
        assert_eq!(d(" ２０２６年１２月３１日 ").as_deref(), Some("2026-12-31"));
        assert_eq!(d("2026-3-1"), None);
        assert_eq!(d("2026-02-29"), None);
        assert_eq!(d("26-03-01"), None);
        assert_eq!(d("2026-03-01-02"), None);
        assert_eq!(d("2026/03-01"), None);
        assert_eq!(d("2026年3月"), None);
        assert_eq!(d("2026-003-01"), None);
        assert_eq!(d("+026-03-01"), None);
        assert_eq!(d(""), None);
    }
}
