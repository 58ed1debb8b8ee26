//! Outcome records (一公开): signed inspection results tied to the draw (SPEC §18).
//!
//! A perfect draw can still fail quietly afterwards: an entity never inspected, a team other
//! than the drawn one, a result published late or twice. An outcome record is a signed batch
//! of results, citing the sheet and the last amendment it accounts for; corrections are new
//! records citing the one they correct. [`review`] checks a draw's records against its sheet,
//! its amendments and the State Council's holiday calendar ([`super::calendar`]), and says
//! which entities are still due or already overdue.
//!
//! ```
//! use double_random::ceremony::outcomes::*;
//! let r = EntityResult {
//!     entity: "91520102MA6D00202T".into(),
//!     items: vec![ItemResult::standard("GZ-SC-001", "no_problem").unwrap()],
//!     inspectors: vec!["44010012".into(), "44010013".into()],
//!     deviation: None, follow_up: vec![],
//!     inspected_on: "2026-03-10".parse()?, formed_on: "2026-03-12".parse()?,
//!     corrects: None,
//! };
//! assert_eq!(r.items[0].text, "未发现问题");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod form;

use super::amend::{self, Amendment};
use super::calendar::{Calendars, PUBLICATION_WORKING_DAYS};
use super::sheet::{Sheet, SheetEntity};
use super::{CeremonyError, Timestamp};
use crate::digest::Digest32;
use crate::formats::jcs;
use crate::model::Date;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// `format` of outcome records.
pub(crate) const OUTCOMES_FORMAT: &str = "double-random/outcomes";

/// The national publicity system's result vocabulary: code and text (SPEC §18.2).
///
/// A program that offers the inspectors a choice of results (a form's drop-down list) offers
/// these, plus the office's own `x-` codes; [`Vocabulary`] narrows them per item.
///
/// ```
/// use double_random::ceremony::outcomes::STANDARD_RESULTS;
/// assert_eq!(STANDARD_RESULTS[0], ("no_problem", "未发现问题"));
/// ```
pub const STANDARD_RESULTS: [(&str, &str); 8] = [
    ("no_problem", "未发现问题"),
    ("undisclosed_information", "未按规定公示应当公示的信息"),
    ("false_disclosure", "公示信息隐瞒真实情况、弄虚作假"),
    (
        "unreachable_at_address",
        "通过登记的住所（经营场所）无法联系",
    ),
    ("corrected_on_order", "发现问题已责令改正"),
    ("refused_cooperation", "不予配合情节严重"),
    ("no_relevant_activity", "未发现开展本次抽查涉及的经营活动"),
    ("closed_or_moved", "已注销或已迁出"),
];

/// The text of a standard result code.
///
/// ```
/// use double_random::ceremony::outcomes::standard_text;
/// assert_eq!(standard_text("false_disclosure"), Some("公示信息隐瞒真实情况、弄虚作假"));
/// assert_eq!(standard_text("x-own"), None);
/// ```
pub fn standard_text(code: &str) -> Option<&'static str> {
    STANDARD_RESULTS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, t)| *t)
}

/// The standard code of a result text (for sheets the inspectors fill in with the text).
pub(crate) fn standard_code(text: &str) -> Option<&'static str> {
    STANDARD_RESULTS
        .iter()
        .find(|(_, t)| *t == text)
        .map(|(c, _)| *c)
}

/// Whether `code` is an office's own code: `x-` then ASCII letters, digits and `-`.
pub(crate) fn is_own_code(code: &str) -> bool {
    code.strip_prefix("x-").is_some_and(|rest| {
        !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

/// Which amendments a record takes into account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AccountsFor {
    /// Amendments 1…seq (0: none).
    pub seq: u32,
    /// Digest of amendment `seq` (`None` when 0).
    pub amendment: Option<Digest32>,
}

/// One item checked and its result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemResult {
    /// Item id (a plan item).
    pub item: String,
    /// Result code (SPEC §18.2).
    pub result: String,
    /// Its text as published.
    pub text: String,
}

impl ItemResult {
    /// An item with a standard result code and its text; `None` for an unknown code.
    ///
    /// The text is the publicity system's, so a program never spells it itself.
    ///
    /// ```
    /// use double_random::ceremony::outcomes::ItemResult;
    /// assert_eq!(ItemResult::standard("I1", "closed_or_moved").unwrap().text, "已注销或已迁出");
    /// assert!(ItemResult::standard("I1", "x-own").is_none());
    /// ```
    pub fn standard(item: &str, code: &str) -> Option<Self> {
        Some(ItemResult {
            item: item.to_string(),
            result: code.to_string(),
            text: standard_text(code)?.to_string(),
        })
    }
}

/// Why the inspectors are not the drawn team.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviationCode {
    /// A drawn inspector did not take part.
    InspectorAbsent,
    /// Someone not drawn took part.
    InspectorAdded,
    /// The whole team was replaced.
    TeamReplaced,
    /// Another reason, explained in the text.
    Other,
}

/// The record's explanation of a team other than the drawn one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deviation {
    /// Category.
    pub code: DeviationCode,
    /// Explanation in words (not empty).
    pub text: String,
}

/// A follow-up measure (R14), in ascending order of its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUp {
    /// 列入经营异常名录.
    AbnormalList,
    /// 立案调查.
    CaseOpened,
    /// 责令限期改正.
    OrderedToCorrect,
    /// 移送有关部门.
    Referred,
    /// 复查.
    Revisit,
}

impl FollowUp {
    /// Every follow-up, in code order.
    pub const ALL: [FollowUp; 5] = [
        FollowUp::AbnormalList,
        FollowUp::CaseOpened,
        FollowUp::OrderedToCorrect,
        FollowUp::Referred,
        FollowUp::Revisit,
    ];

    /// The code as written in documents.
    pub fn code(&self) -> &'static str {
        match self {
            FollowUp::AbnormalList => "abnormal_list",
            FollowUp::CaseOpened => "case_opened",
            FollowUp::OrderedToCorrect => "ordered_to_correct",
            FollowUp::Referred => "referred",
            FollowUp::Revisit => "revisit",
        }
    }

    /// The Chinese text.
    pub fn text(&self) -> &'static str {
        match self {
            FollowUp::AbnormalList => "列入经营异常名录",
            FollowUp::CaseOpened => "立案调查",
            FollowUp::OrderedToCorrect => "责令限期改正",
            FollowUp::Referred => "移送有关部门",
            FollowUp::Revisit => "复查",
        }
    }

    /// The follow-up with this code or text.
    ///
    /// Forms may carry either spelling; documents always carry the code.
    ///
    /// ```
    /// use double_random::ceremony::outcomes::FollowUp;
    /// assert_eq!(FollowUp::parse("立案调查"), Some(FollowUp::CaseOpened));
    /// assert_eq!(FollowUp::parse("case_opened").map(|f| f.text()), Some("立案调查"));
    /// ```
    pub fn parse(s: &str) -> Option<Self> {
        FollowUp::ALL
            .into_iter()
            .find(|f| f.code() == s || f.text() == s)
    }
}

/// What a correction replaces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// Digest of the record holding the result replaced.
    pub document: Digest32,
    /// Why (not empty).
    pub reason: String,
}

/// The result for one entity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityResult {
    /// Entity id.
    pub entity: String,
    /// Items checked, ascending by item.
    pub items: Vec<ItemResult>,
    /// Everyone who took part (执法证号), ascending.
    pub inspectors: Vec<String>,
    /// Why the inspectors are not the drawn team (`None` when they are).
    pub deviation: Option<Deviation>,
    /// Follow-up measures, ascending.
    pub follow_up: Vec<FollowUp>,
    /// When inspected.
    pub inspected_on: Date,
    /// When the result was formed.
    pub formed_on: Date,
    /// For a correction, the record it corrects.
    pub corrects: Option<Correction>,
}

/// A signed batch of results.
///
/// Built with [`OutcomeRecord::next`], which fills in the citations; read back with
/// [`OutcomeRecord::parse`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct OutcomeRecord {
    /// Always `double-random/outcomes`.
    pub format: String,
    /// Algorithm version.
    pub version: String,
    /// The draw's id.
    pub draw_id: String,
    /// Digest of the sheet.
    pub sheet: Digest32,
    /// Position among the draw's records, from 1.
    pub seq: u32,
    /// Digest of record `seq − 1`.
    pub previous: Option<Digest32>,
    /// The amendments taken into account.
    pub accounts_for: AccountsFor,
    /// When published (UTC).
    pub published_at: Timestamp,
    /// The date the task's inspections end, as the office states it.
    pub inspections_end: Date,
    /// Results, ascending by entity.
    pub results: Vec<EntityResult>,
}

impl OutcomeRecord {
    /// The next record of a draw: cites `sheet`, every amendment of `amendments` and the last
    /// of `previous`; results are sorted by entity.
    ///
    /// The citations are what [`review`] checks, so a record built here always cites
    /// correctly; the caller signs [`OutcomeRecord::to_canonical`] and publishes it as
    /// [`OutcomeRecord::file_name`].
    ///
    /// ```
    /// use double_random::ceremony::outcomes::OutcomeRecord;
    /// # let (_, sheet) = double_random::internals::example_documents()?;
    /// let first = OutcomeRecord::next(&sheet, &[], &[], vec![], sheet.drawn_at, "2026-06-30".parse()?)?;
    /// assert_eq!(first.file_name(), "outcomes-1.json");
    /// let second = OutcomeRecord::next(&sheet, &[], &[first.clone()], vec![], sheet.drawn_at, "2026-06-30".parse()?)?;
    /// assert_eq!(second.previous, Some(first.digest()?));
    /// assert_eq!(OutcomeRecord::parse(&second.to_canonical()?)?, second);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next(
        sheet: &Sheet,
        amendments: &[Amendment],
        previous: &[OutcomeRecord],
        mut results: Vec<EntityResult>,
        published_at: Timestamp,
        inspections_end: Date,
    ) -> Result<Self, jcs::JcsError> {
        results.sort_by(|a, b| a.entity.cmp(&b.entity));
        Ok(OutcomeRecord {
            format: OUTCOMES_FORMAT.into(),
            version: super::announce::VERSION.into(),
            draw_id: sheet.draw_id.clone(),
            sheet: sheet.digest()?,
            seq: previous.len() as u32 + 1,
            previous: previous.last().map(OutcomeRecord::digest).transpose()?,
            accounts_for: AccountsFor {
                seq: amendments.len() as u32,
                amendment: amendments.last().map(Amendment::digest).transpose()?,
            },
            published_at,
            inspections_end,
            results,
        })
    }

    /// The file name of this record, `outcomes-<seq>.json`.
    pub fn file_name(&self) -> String {
        format!("outcomes-{}.json", self.seq)
    }

    /// Canonical JSON bytes.
    pub fn to_canonical(&self) -> Result<Vec<u8>, jcs::JcsError> {
        jcs::to_canonical(self)
    }

    /// Digest of the canonical bytes.
    pub fn digest(&self) -> Result<Digest32, jcs::JcsError> {
        Ok(Digest32::of(&self.to_canonical()?))
    }

    /// Parses a published record, refusing non-canonical bytes and other formats.
    pub fn parse(bytes: &[u8]) -> Result<Self, CeremonyError> {
        let r: OutcomeRecord =
            jcs::parse_canonical(bytes).map_err(|e| CeremonyError::Document {
                document: "outcomes",
                source: e,
            })?;
        super::check_format(&r.format, OUTCOMES_FORMAT, &r.version)?;
        Ok(r)
    }
}

/// The calendar date of `t` in 北京时间 (UTC+08:00).
///
/// ```
/// use double_random::ceremony::outcomes::beijing_date;
/// assert_eq!(beijing_date("2026-03-01T16:00:00Z".parse().unwrap()).to_string(), "2026-03-02");
/// ```
pub fn beijing_date(t: Timestamp) -> Date {
    let epoch = Date::from_ymd(1970, 1, 1).expect("1970-01-01 exists");
    // Timestamps end in 9999, so the date always exists.
    epoch
        .add_days(((t.unix() + 8 * 3600) / 86_400) as i64)
        .unwrap_or(epoch)
}

/// Which result codes each item admits (R14, SPEC §18.4).
///
/// An office that checks only some results for some items writes them in a vocabulary file;
/// [`review`] then reports any other result as [`OutcomeFinding::NotAllowed`].
///
/// ```
/// use double_random::ceremony::outcomes::Vocabulary;
/// let v = Vocabulary::from_toml("vocabulary.toml", r#"
/// [items.I1]
/// results = ["no_problem", "x-expired-licence"]
/// "#)?;
/// assert!(v.admits("I1", "x-expired-licence"));
/// assert!(!v.admits("I1", "false_disclosure"));
/// assert!(v.admits("I2", "false_disclosure")); // not listed: every standard code
/// assert!(Vocabulary::from_toml("v.toml", "[default]\nresults = [\"maybe\"]").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vocabulary {
    /// Codes admitted for items not listed; `None`: every standard and `x-` code.
    pub default: Option<BTreeSet<String>>,
    /// Codes admitted per item.
    pub items: BTreeMap<String, BTreeSet<String>>,
}

/// Why a vocabulary file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
#[non_exhaustive]
pub struct VocabularyError {
    /// The file.
    pub file: String,
    /// The line, from 1 (0 when unknown).
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabDoc {
    default: Option<VocabList>,
    #[serde(default)]
    items: BTreeMap<String, VocabList>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabList {
    results: Vec<toml::Spanned<String>>,
}

impl Vocabulary {
    /// Reads a vocabulary file; every code must be standard or an `x-` code.
    pub fn from_toml(file: &str, text: &str) -> Result<Self, VocabularyError> {
        let line_of = |offset: usize| {
            1 + text.as_bytes()[..offset.min(text.len())]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64
        };
        let doc: VocabDoc = toml::from_str(text).map_err(|e| VocabularyError {
            file: file.to_string(),
            line: e.span().map_or(0, |s| line_of(s.start)),
            message: e.message().to_string(),
        })?;
        let set = |l: VocabList| -> Result<BTreeSet<String>, VocabularyError> {
            l.results
                .into_iter()
                .map(|c| {
                    let code = c.get_ref().clone();
                    if standard_text(&code).is_some() || is_own_code(&code) {
                        Ok(code)
                    } else {
                        Err(VocabularyError {
                            file: file.to_string(),
                            line: line_of(c.span().start),
                            message: format!(
                                "{code:?} is neither a standard result code nor an own code (x-…)"
                            ),
                        })
                    }
                })
                .collect()
        };
        Ok(Vocabulary {
            default: doc.default.map(set).transpose()?,
            items: doc
                .items
                .into_iter()
                .map(|(k, v)| Ok((k, set(v)?)))
                .collect::<Result<_, VocabularyError>>()?,
        })
    }

    /// Whether `item` admits `code`.
    pub fn admits(&self, item: &str, code: &str) -> bool {
        match self.items.get(item).or(self.default.as_ref()) {
            Some(set) => set.contains(code),
            None => standard_text(code).is_some() || is_own_code(code),
        }
    }
}

/// What is wrong with an item of a result ([`OutcomeFinding::Item`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ItemProblem {
    /// Not an item of the plan.
    NotInPlan,
    /// Out of ascending order, or twice.
    Order,
    /// No item at all.
    Empty,
}

/// Something wrong in a draw's outcome records (SPEC §18.5). Each has a stable code.
///
/// ```
/// use double_random::ceremony::outcomes::OutcomeFinding;
/// let f = OutcomeFinding::NotDrawn { document: "outcomes-1.json".into(), entity: "X".into() };
/// assert_eq!(f.code(), "outcome.not_drawn");
/// assert_eq!(f.entity(), Some("X"));
/// ```
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutcomeFinding {
    /// `outcome.unreadable`: not a canonical outcome record.
    #[error("{document}: {error}")]
    Unreadable {
        /// The file.
        document: String,
        /// Why.
        error: Arc<CeremonyError>,
    },
    /// `outcome.signature`: the signature is missing, does not verify, or its trusted
    /// comment does not describe the record.
    #[error("{document}: signature: {cause}")]
    Signature {
        /// The file.
        document: String,
        /// [`crate::sign::SignError::code`], `missing`, or `comment.<field>`.
        cause: String,
    },
    /// `outcome.cites`: a citation (sheet, draw id, seq, previous, amendments) is wrong.
    #[error("{document}: {field} is {found}, expected {expected}")]
    Cites {
        /// The file.
        document: String,
        /// The field.
        field: &'static str,
        /// Expected value.
        expected: String,
        /// Value found.
        found: String,
    },
    /// `outcome.time`: published before the draw or before the previous record.
    #[error("{document}: published_at {found} is before {not_before}")]
    Time {
        /// The file.
        document: String,
        /// Earliest allowed.
        not_before: Timestamp,
        /// Value found.
        found: Timestamp,
    },
    /// `outcome.stale`: an amendment made before the record is not accounted for.
    #[error(
        "{document}: amendment {amendment} was made before this record but is not accounted for"
    )]
    Stale {
        /// The file.
        document: String,
        /// The amendment's seq.
        amendment: u32,
    },
    /// `outcome.not_drawn`: a result for an entity that is not drawn (after amendments).
    #[error("{document}: {entity} is not a drawn entity")]
    NotDrawn {
        /// The file.
        document: String,
        /// The entity.
        entity: String,
    },
    /// `outcome.duplicate`: a second current result for one entity.
    #[error("{document}: {entity} already has a current result")]
    Duplicate {
        /// The file.
        document: String,
        /// The entity.
        entity: String,
    },
    /// `outcome.item`: an item not in the plan, out of order, or none.
    #[error("{document}: {entity}: item {item:?}: {problem:?}")]
    Item {
        /// The file.
        document: String,
        /// The entity.
        entity: String,
        /// The item ("" when there is none).
        item: String,
        /// What is wrong.
        problem: ItemProblem,
    },
    /// `outcome.result`: a result code unknown, or its text not the standard one.
    #[error("{document}: {entity}: item {item}: result {code:?} with text {text:?}")]
    Result {
        /// The file.
        document: String,
        /// The entity.
        entity: String,
        /// The item.
        item: String,
        /// The code.
        code: String,
        /// The text.
        text: String,
    },
    /// `outcome.not_allowed`: the vocabulary does not admit the code for the item.
    #[error("{document}: {entity}: item {item} does not admit result {code}")]
    NotAllowed {
        /// The file.
        document: String,
        /// The entity.
        entity: String,
        /// The item.
        item: String,
        /// The code.
        code: String,
    },
    /// `outcome.team`: the inspectors are not the drawn team and the record does not say why.
    #[error(
        "{document}: {entity}: inspectors differ from the drawn team (missing {missing:?}, not drawn {extra:?})"
    )]
    Team {
        /// The file.
        document: String,
        /// The entity.
        entity: String,
        /// Drawn members who did not take part.
        missing: Vec<String>,
        /// Inspectors who took part but were not drawn (or listed out of order, twice).
        extra: Vec<String>,
    },
    /// `outcome.dates`: dates out of order (inspected, formed, published, drawn).
    #[error("{document}: {entity}: {field} is out of order")]
    Dates {
        /// The file.
        document: String,
        /// The entity.
        entity: String,
        /// `inspected_on` (before the draw) or `formed_on` (before inspection or after
        /// publication).
        field: &'static str,
    },
    /// `outcome.correction`: a correction that does not cite the entity's current result.
    #[error("{document}: {entity}: the correction cites {cited}, not the current result")]
    Correction {
        /// The file.
        document: String,
        /// The entity.
        entity: String,
        /// The record cited.
        cited: Digest32,
        /// The record holding the current result, if any.
        current: Option<Digest32>,
    },
    /// `outcome.late`: published after the 20th working day after formation.
    #[error("{document}: {entity}: formed {formed_on}, due {deadline}, published {published_on}")]
    Late {
        /// The file.
        document: String,
        /// The entity.
        entity: String,
        /// Formed.
        formed_on: Date,
        /// The deadline.
        deadline: Date,
        /// Published.
        published_on: Date,
    },
    /// `outcome.calendar`: the deadline reaches a year without a calendar.
    #[error("{}{entity}: no holiday calendar for {year}", doc_prefix(.document))]
    Calendar {
        /// The file (empty for an overdue count).
        document: String,
        /// The entity.
        entity: String,
        /// The year missing.
        year: i32,
    },
    /// `outcome.overdue`: no result and the deadline has passed.
    #[error("{entity}: no result, due {deadline}")]
    Overdue {
        /// The entity.
        entity: String,
        /// The deadline.
        deadline: Date,
    },
}

/// `"<document>: "`, or nothing for a finding about no single record.
fn doc_prefix(document: &str) -> String {
    if document.is_empty() {
        String::new()
    } else {
        format!("{document}: ")
    }
}

/// Every [`OutcomeFinding::code`], in the order of the enum.
pub const OUTCOME_FINDING_CODES: [&str; 16] = [
    "outcome.unreadable",
    "outcome.signature",
    "outcome.cites",
    "outcome.time",
    "outcome.stale",
    "outcome.not_drawn",
    "outcome.duplicate",
    "outcome.item",
    "outcome.result",
    "outcome.not_allowed",
    "outcome.team",
    "outcome.dates",
    "outcome.correction",
    "outcome.late",
    "outcome.calendar",
    "outcome.overdue",
];

impl OutcomeFinding {
    /// The stable code (one of [`OUTCOME_FINDING_CODES`]).
    pub fn code(&self) -> &'static str {
        let i = match self {
            OutcomeFinding::Unreadable { .. } => 0,
            OutcomeFinding::Signature { .. } => 1,
            OutcomeFinding::Cites { .. } => 2,
            OutcomeFinding::Time { .. } => 3,
            OutcomeFinding::Stale { .. } => 4,
            OutcomeFinding::NotDrawn { .. } => 5,
            OutcomeFinding::Duplicate { .. } => 6,
            OutcomeFinding::Item { .. } => 7,
            OutcomeFinding::Result { .. } => 8,
            OutcomeFinding::NotAllowed { .. } => 9,
            OutcomeFinding::Team { .. } => 10,
            OutcomeFinding::Dates { .. } => 11,
            OutcomeFinding::Correction { .. } => 12,
            OutcomeFinding::Late { .. } => 13,
            OutcomeFinding::Calendar { .. } => 14,
            OutcomeFinding::Overdue { .. } => 15,
        };
        OUTCOME_FINDING_CODES[i]
    }

    /// The record concerned (`None` for an overdue entity).
    pub fn document(&self) -> Option<&str> {
        match self {
            OutcomeFinding::Unreadable { document, .. }
            | OutcomeFinding::Signature { document, .. }
            | OutcomeFinding::Cites { document, .. }
            | OutcomeFinding::Time { document, .. }
            | OutcomeFinding::Stale { document, .. }
            | OutcomeFinding::NotDrawn { document, .. }
            | OutcomeFinding::Duplicate { document, .. }
            | OutcomeFinding::Item { document, .. }
            | OutcomeFinding::Result { document, .. }
            | OutcomeFinding::NotAllowed { document, .. }
            | OutcomeFinding::Team { document, .. }
            | OutcomeFinding::Dates { document, .. }
            | OutcomeFinding::Correction { document, .. }
            | OutcomeFinding::Late { document, .. }
            | OutcomeFinding::Calendar { document, .. } => Some(document),
            OutcomeFinding::Overdue { .. } => None,
        }
    }

    /// The entity concerned, if any.
    pub fn entity(&self) -> Option<&str> {
        match self {
            OutcomeFinding::NotDrawn { entity, .. }
            | OutcomeFinding::Duplicate { entity, .. }
            | OutcomeFinding::Item { entity, .. }
            | OutcomeFinding::Result { entity, .. }
            | OutcomeFinding::NotAllowed { entity, .. }
            | OutcomeFinding::Team { entity, .. }
            | OutcomeFinding::Dates { entity, .. }
            | OutcomeFinding::Correction { entity, .. }
            | OutcomeFinding::Late { entity, .. }
            | OutcomeFinding::Calendar { entity, .. }
            | OutcomeFinding::Overdue { entity, .. } => Some(entity),
            _ => None,
        }
    }

    /// The structured fields besides the document and the entity, as `(name, value)`
    /// pairs (for JSON output and translations).
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let s = |x: &dyn std::fmt::Display| x.to_string();
        match self {
            OutcomeFinding::Unreadable { error, .. } => vec![("error", s(error))],
            OutcomeFinding::Signature { cause, .. } => vec![("cause", cause.clone())],
            OutcomeFinding::Cites {
                field,
                expected,
                found,
                ..
            } => vec![
                ("field", s(field)),
                ("expected", expected.clone()),
                ("found", found.clone()),
            ],
            OutcomeFinding::Time {
                not_before, found, ..
            } => vec![("not_before", s(not_before)), ("found", s(found))],
            OutcomeFinding::Stale { amendment, .. } => vec![("amendment", s(amendment))],
            OutcomeFinding::Item { item, problem, .. } => {
                let p = match problem {
                    ItemProblem::NotInPlan => "not_in_plan",
                    ItemProblem::Order => "order",
                    ItemProblem::Empty => "empty",
                };
                vec![("item", item.clone()), ("problem", p.into())]
            }
            OutcomeFinding::Result {
                item, code, text, ..
            } => vec![
                ("item", item.clone()),
                ("code", code.clone()),
                ("text", text.clone()),
            ],
            OutcomeFinding::NotAllowed { item, code, .. } => {
                vec![("item", item.clone()), ("code", code.clone())]
            }
            OutcomeFinding::Team { missing, extra, .. } => {
                vec![("missing", missing.join(",")), ("extra", extra.join(","))]
            }
            OutcomeFinding::Dates { field, .. } => vec![("field", s(field))],
            OutcomeFinding::Correction { cited, current, .. } => vec![
                ("cited", cited.to_hex()),
                ("current", current.map(|d| d.to_hex()).unwrap_or_default()),
            ],
            OutcomeFinding::Late {
                formed_on,
                deadline,
                published_on,
                ..
            } => vec![
                ("formed_on", s(formed_on)),
                ("deadline", s(deadline)),
                ("published_on", s(published_on)),
            ],
            OutcomeFinding::Calendar { year, .. } => vec![("year", s(year))],
            OutcomeFinding::Overdue { deadline, .. } => vec![("deadline", s(deadline))],
            OutcomeFinding::NotDrawn { .. } | OutcomeFinding::Duplicate { .. } => vec![],
        }
    }
}

/// Where an entity of the state stands (SPEC §18.5, status).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Standing {
    /// Its current result is published.
    Published {
        /// The record holding it.
        document: String,
        /// Its publication date.
        published_on: Date,
        /// The deadline (`None` when a calendar is missing).
        deadline: Option<Date>,
        /// Published after the deadline.
        late: bool,
    },
    /// No result yet; due by the deadline (`None` when unknown).
    Due {
        /// The deadline.
        deadline: Option<Date>,
    },
    /// No result and the deadline has passed.
    Overdue {
        /// The deadline.
        deadline: Date,
    },
}

/// One entity of the state with its standing and, when published, its current result.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct EntityStatus {
    /// The entity and its team after amendments.
    pub entity: SheetEntity,
    /// Where it stands.
    pub standing: Standing,
    /// Its current result.
    pub result: Option<EntityResult>,
}

/// What [`review`] found: findings, and each entity's standing.
///
/// The results views ([`crate::publish::results`]) are built from it.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Review {
    /// Problems; empty means the records are consistent and nothing is overdue.
    pub findings: Vec<OutcomeFinding>,
    /// Every entity of the state after all amendments, ascending id.
    pub entities: Vec<EntityStatus>,
    /// The inspections end date applied (the latest record's, or the one given).
    pub inspections_end: Option<Date>,
    /// Whether a deadline was computed with a provisional calendar.
    pub provisional: bool,
    /// The records that parsed, in order.
    pub records: Vec<OutcomeRecord>,
}

impl Review {
    /// Entities with a current result.
    pub fn completed(&self) -> usize {
        self.entities.iter().filter(|e| e.result.is_some()).count()
    }

    /// Entities overdue.
    pub fn overdue(&self) -> impl Iterator<Item = &EntityStatus> {
        self.entities
            .iter()
            .filter(|e| matches!(e.standing, Standing::Overdue { .. }))
    }
}

/// What [`review`] looks at.
#[derive(Clone, Copy, Debug)]
pub struct ReviewInputs<'a> {
    /// The sheet.
    pub sheet: &'a Sheet,
    /// Its amendments, in order (already checked).
    pub amendments: &'a [Amendment],
    /// The outcome records in order: file name and bytes.
    pub records: &'a [(&'a str, &'a [u8])],
    /// Holiday calendars.
    pub calendars: &'a Calendars,
    /// The office's vocabulary, when given.
    pub vocabulary: Option<&'a Vocabulary>,
    /// Today, in 北京时间.
    pub today: Date,
    /// The inspections end date when no record states one.
    pub inspections_end: Option<Date>,
}

fn team_set(e: &SheetEntity) -> BTreeSet<&str> {
    e.officers
        .iter()
        .chain(&e.experts)
        .map(String::as_str)
        .collect()
}

/// Checks a draw's outcome records and computes each entity's standing (SPEC §18.5).
///
/// Pure: the caller reads the files and checks signatures ([`verify_signed`] does both). A
/// record that does not parse stops the review of the records after it (their chain cannot be
/// followed).
///
/// ```
/// use double_random::ceremony::calendar::Calendars;
/// use double_random::ceremony::outcomes::{review, ReviewInputs, Standing};
/// # let (_, sheet) = double_random::internals::example_documents()?;
/// let r = review(&ReviewInputs {
///     sheet: &sheet,
///     amendments: &[],
///     records: &[("outcomes-1.json", b"not json")],
///     calendars: &Calendars::default(),
///     vocabulary: None,
///     today: "2026-04-01".parse()?,
///     inspections_end: None,
/// });
/// assert_eq!(r.findings[0].code(), "outcome.unreadable");
/// assert_eq!(r.completed(), 0);
/// // Without a calendar no deadline is known: every entity is still due.
/// assert!(r.entities.iter().all(|e| e.standing == Standing::Due { deadline: None }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn review(inp: &ReviewInputs<'_>) -> Review {
    let mut out = Review::default();
    let sheet = inp.sheet;
    let no_strata = BTreeMap::new();
    let mut current = Current::new();
    let mut prev: Option<(Digest32, Timestamp, u32)> = None;
    for (i, (name, bytes)) in inp.records.iter().enumerate() {
        let document = name.to_string();
        let rec = match OutcomeRecord::parse(bytes) {
            Ok(r) => r,
            Err(e) => {
                out.findings.push(OutcomeFinding::Unreadable {
                    document,
                    error: Arc::new(e),
                });
                break;
            }
        };
        let digest = Digest32::of(bytes);
        let s = check_citations(&mut out, inp, i, &document, &rec, prev);
        let state = amend::state_after(sheet, &inp.amendments[..s], &no_strata);
        review_results(
            &mut out,
            inp,
            (i, &document, digest),
            &rec,
            &state,
            &mut current,
        );
        prev = Some((digest, rec.published_at, rec.accounts_for.seq));
        out.records.push(rec);
    }
    out.inspections_end = out
        .records
        .last()
        .map(|r| r.inspections_end)
        .or(inp.inspections_end);
    standings(&mut out, inp, &current);
    out
}

/// Each entity's current result: the index of the record holding it, its digest, the result.
type Current = BTreeMap<String, (usize, Digest32, EntityResult)>;

/// Checks what record `i` (`rec`, named `document`) cites and when it was published, against
/// the sheet, the amendments and the record before it (`prev`: digest, time, amendments
/// accounted for). Returns how many amendments it takes into account (at most all of them).
fn check_citations(
    out: &mut Review,
    inp: &ReviewInputs<'_>,
    i: usize,
    document: &str,
    rec: &OutcomeRecord,
    prev: Option<(Digest32, Timestamp, u32)>,
) -> usize {
    let sheet = inp.sheet;
    let sheet_digest = sheet.digest().ok();
    let amendment_digests: Vec<Option<Digest32>> =
        inp.amendments.iter().map(|a| a.digest().ok()).collect();
    let mut cites = |field: &'static str, expected: String, found: String| {
        if expected != found {
            out.findings.push(OutcomeFinding::Cites {
                document: document.to_string(),
                field,
                expected,
                found,
            });
        }
    };
    let hex = |d: Option<Digest32>| d.map_or("null".to_string(), |d| d.to_hex());
    cites("sheet", hex(sheet_digest), rec.sheet.to_hex());
    cites("draw_id", sheet.draw_id.clone(), rec.draw_id.clone());
    cites("seq", (i + 1).to_string(), rec.seq.to_string());
    cites("previous", hex(prev.map(|p| p.0)), hex(rec.previous));
    let s = rec.accounts_for.seq as usize;
    if s > inp.amendments.len() {
        cites(
            "accounts_for.seq",
            format!("at most {}", inp.amendments.len()),
            s.to_string(),
        );
    } else {
        let expected = if s == 0 {
            None
        } else {
            amendment_digests[s - 1]
        };
        cites(
            "accounts_for.amendment",
            hex(expected),
            hex(rec.accounts_for.amendment),
        );
    }
    if let Some((_, _, prev_s)) = prev
        && rec.accounts_for.seq < prev_s
    {
        cites(
            "accounts_for.seq",
            format!("at least {prev_s}"),
            rec.accounts_for.seq.to_string(),
        );
    }
    let not_before = prev.map_or(sheet.drawn_at, |p| p.1.max(sheet.drawn_at));
    if rec.published_at < not_before {
        out.findings.push(OutcomeFinding::Time {
            document: document.to_string(),
            not_before,
            found: rec.published_at,
        });
    }
    let s = s.min(inp.amendments.len());
    if let Some(a) = inp.amendments[s..]
        .iter()
        .find(|a| a.amended_at <= rec.published_at)
    {
        out.findings.push(OutcomeFinding::Stale {
            document: document.to_string(),
            amendment: a.seq,
        });
    }
    s
}

/// Checks the results of record `i` (named `document`, with `digest`) against the state of
/// the draw it accounts for, and makes each result that passes its entity's current one.
fn review_results(
    out: &mut Review,
    inp: &ReviewInputs<'_>,
    (i, document, digest): (usize, &str, Digest32),
    rec: &OutcomeRecord,
    state: &amend::State,
    current: &mut Current,
) {
    let sheet = inp.sheet;
    let drawn_on = beijing_date(sheet.drawn_at);
    let published_on = beijing_date(rec.published_at);
    let mut last_entity: Option<&str> = None;
    for r in &rec.results {
        let entity = r.entity.clone();
        let doc = || document.to_string();
        let Some(team) = state.entities.iter().find(|e| e.id == r.entity) else {
            out.findings.push(OutcomeFinding::NotDrawn {
                document: doc(),
                entity,
            });
            continue;
        };
        if last_entity.is_some_and(|l| l >= r.entity.as_str()) {
            out.findings.push(OutcomeFinding::Duplicate {
                document: doc(),
                entity: entity.clone(),
            });
        }
        last_entity = Some(&r.entity);
        check_items(out, document, r, &sheet.plan.items, inp.vocabulary);
        check_team(out, document, r, team);
        if r.inspected_on < drawn_on {
            out.findings.push(OutcomeFinding::Dates {
                document: doc(),
                entity: entity.clone(),
                field: "inspected_on",
            });
        }
        if r.formed_on < r.inspected_on || r.formed_on > published_on {
            out.findings.push(OutcomeFinding::Dates {
                document: doc(),
                entity: entity.clone(),
                field: "formed_on",
            });
        }
        let held = current.get(&r.entity).map(|c| c.1);
        match (&r.corrects, held) {
            (None, Some(_)) => {
                out.findings.push(OutcomeFinding::Duplicate {
                    document: doc(),
                    entity: entity.clone(),
                });
                continue;
            }
            (Some(c), held) if Some(c.document) != held || c.reason.trim().is_empty() => {
                out.findings.push(OutcomeFinding::Correction {
                    document: doc(),
                    entity: entity.clone(),
                    cited: c.document,
                    current: held,
                });
                continue;
            }
            _ => {}
        }
        match inp
            .calendars
            .deadline(&r.formed_on, PUBLICATION_WORKING_DAYS)
        {
            Ok(deadline) => {
                out.provisional |= inp.calendars.provisional_between(&r.formed_on, &deadline);
                if published_on > deadline {
                    out.findings.push(OutcomeFinding::Late {
                        document: doc(),
                        entity: entity.clone(),
                        formed_on: r.formed_on,
                        deadline,
                        published_on,
                    });
                }
            }
            Err(year) => out.findings.push(OutcomeFinding::Calendar {
                document: doc(),
                entity: entity.clone(),
                year,
            }),
        }
        current.insert(entity, (i, digest, r.clone()));
    }
}

/// Each entity of the draw after all amendments, with its standing on `inp.today`; an
/// overdue entity, or a deadline no calendar covers, is a finding.
fn standings(out: &mut Review, inp: &ReviewInputs<'_>, current: &Current) {
    let sheet = inp.sheet;
    let no_strata = BTreeMap::new();
    let due = out
        .inspections_end
        .map(|e| inp.calendars.deadline(&e, PUBLICATION_WORKING_DAYS));
    if let (Some(e), Some(Ok(d))) = (out.inspections_end, due) {
        out.provisional |= inp.calendars.provisional_between(&e, &d);
    }
    let state = amend::state_after(sheet, inp.amendments, &no_strata);
    for e in state.entities {
        let (standing, result) = match current.get(&e.id) {
            Some((i, _, r)) => {
                let rec = &out.records[*i];
                let published_on = beijing_date(rec.published_at);
                let deadline = inp
                    .calendars
                    .deadline(&r.formed_on, PUBLICATION_WORKING_DAYS)
                    .ok();
                (
                    Standing::Published {
                        document: rec.file_name(),
                        published_on,
                        deadline,
                        late: deadline.is_some_and(|d| published_on > d),
                    },
                    Some(r.clone()),
                )
            }
            None => match due {
                Some(Ok(deadline)) if inp.today > deadline => {
                    out.findings.push(OutcomeFinding::Overdue {
                        entity: e.id.clone(),
                        deadline,
                    });
                    (Standing::Overdue { deadline }, None)
                }
                Some(Ok(deadline)) => (
                    Standing::Due {
                        deadline: Some(deadline),
                    },
                    None,
                ),
                Some(Err(year)) => {
                    out.findings.push(OutcomeFinding::Calendar {
                        document: String::new(),
                        entity: e.id.clone(),
                        year,
                    });
                    (Standing::Due { deadline: None }, None)
                }
                None => (Standing::Due { deadline: None }, None),
            },
        };
        out.entities.push(EntityStatus {
            entity: e,
            standing,
            result,
        });
    }
}

fn check_items(
    out: &mut Review,
    document: &str,
    r: &EntityResult,
    plan_items: &[String],
    vocabulary: Option<&Vocabulary>,
) {
    let item = |item: &str, problem| OutcomeFinding::Item {
        document: document.to_string(),
        entity: r.entity.clone(),
        item: item.to_string(),
        problem,
    };
    if r.items.is_empty() {
        out.findings.push(item("", ItemProblem::Empty));
    }
    let mut last: Option<&str> = None;
    for it in &r.items {
        if !plan_items.contains(&it.item) {
            out.findings.push(item(&it.item, ItemProblem::NotInPlan));
        }
        if last.is_some_and(|l| l >= it.item.as_str()) {
            out.findings.push(item(&it.item, ItemProblem::Order));
        }
        last = Some(&it.item);
        let text_ok = match standard_text(&it.result) {
            Some(t) => t == it.text,
            None => is_own_code(&it.result) && !it.text.trim().is_empty(),
        };
        if !text_ok {
            out.findings.push(OutcomeFinding::Result {
                document: document.to_string(),
                entity: r.entity.clone(),
                item: it.item.clone(),
                code: it.result.clone(),
                text: it.text.clone(),
            });
        } else if vocabulary.is_some_and(|v| !v.admits(&it.item, &it.result)) {
            out.findings.push(OutcomeFinding::NotAllowed {
                document: document.to_string(),
                entity: r.entity.clone(),
                item: it.item.clone(),
                code: it.result.clone(),
            });
        }
    }
}

fn check_team(out: &mut Review, document: &str, r: &EntityResult, team: &SheetEntity) {
    let drawn = team_set(team);
    let ordered = r.inspectors.windows(2).all(|w| w[0] < w[1]);
    let took_part: BTreeSet<&str> = r.inspectors.iter().map(String::as_str).collect();
    let explained = r
        .deviation
        .as_ref()
        .is_some_and(|d| !d.text.trim().is_empty());
    if ordered && (explained || (r.deviation.is_none() && took_part == drawn)) {
        return;
    }
    let mut extra: Vec<String> = took_part
        .difference(&drawn)
        .map(|s| s.to_string())
        .collect();
    if !ordered {
        extra.extend(
            r.inspectors
                .windows(2)
                .filter(|w| w[0] >= w[1])
                .map(|w| w[1].clone()),
        );
    }
    out.findings.push(OutcomeFinding::Team {
        document: document.to_string(),
        entity: r.entity.clone(),
        missing: drawn
            .difference(&took_part)
            .map(|s| s.to_string())
            .collect(),
        extra,
    });
}

/// A published record: its file name, bytes and `.minisig` text.
#[derive(Clone, Copy, Debug)]
pub struct SignedRecord<'a> {
    /// File name (`outcomes-<seq>.json`).
    pub name: &'a str,
    /// The record's bytes.
    pub bytes: &'a [u8],
    /// The signature file's text, when present.
    pub signature: Option<&'a str>,
}

/// Checks a record's signature and trusted comment (`draw`, `sha256`; SPEC §14, §18.1).
fn check_signature(
    public_key: &crate::sign::PublicKey,
    draw_id: &str,
    record: &SignedRecord<'_>,
) -> Option<OutcomeFinding> {
    let fail = |cause: &str| {
        Some(OutcomeFinding::Signature {
            document: record.name.to_string(),
            cause: cause.to_string(),
        })
    };
    let Some(text) = record.signature else {
        return fail("missing");
    };
    let fields = crate::sign::Signature::parse(text)
        .and_then(|sig| crate::sign::verify(public_key, record.bytes, &sig))
        .and_then(|v| v.fields());
    let fields = match fields {
        Ok(f) => f,
        Err(e) => return fail(e.code()),
    };
    let digest = Digest32::of(record.bytes).to_hex();
    for (field, expected) in [("draw", draw_id), ("sha256", digest.as_str())] {
        if fields.get(field).unwrap_or("") != expected {
            return fail(&format!("comment.{field}"));
        }
    }
    None
}

/// [`review`] of signed records: each signature is checked first (a record whose signature
/// fails is still reviewed, so every problem shows).
///
/// Each signature must verify under the office's key and its trusted comment name the draw
/// and the record's SHA-256 (SPEC §14, §18.1); `inputs.records` is ignored, the records are
/// `signed`.
///
/// ```
/// use double_random::ceremony::calendar::Calendars;
/// use double_random::ceremony::outcomes::{verify_signed, ReviewInputs, SignedRecord};
/// use double_random::sign::SecretKey;
/// # let (_, sheet) = double_random::internals::example_documents()?;
/// let key = SecretKey::generate()?;
/// let unsigned = SignedRecord { name: "outcomes-1.json", bytes: b"{}", signature: None };
/// let inputs = ReviewInputs {
///     sheet: &sheet,
///     amendments: &[],
///     records: &[],
///     calendars: &Calendars::default(),
///     vocabulary: None,
///     today: "2026-04-01".parse()?,
///     inspections_end: None,
/// };
/// let r = verify_signed(&key.public_key(), &[unsigned], &inputs);
/// assert_eq!(r.findings[0].code(), "outcome.signature");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify_signed(
    public_key: &crate::sign::PublicKey,
    signed: &[SignedRecord<'_>],
    inputs: &ReviewInputs<'_>,
) -> Review {
    let mut sig_findings: Vec<OutcomeFinding> = signed
        .iter()
        .filter_map(|r| check_signature(public_key, &inputs.sheet.draw_id, r))
        .collect();
    let records: Vec<(&str, &[u8])> = signed.iter().map(|r| (r.name, r.bytes)).collect();
    let mut out = review(&ReviewInputs {
        records: &records,
        ..*inputs
    });
    sig_findings.append(&mut out.findings);
    out.findings = sig_findings;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ceremony::amend::{Action, Reason, ReasonCode};
    use crate::ceremony::announce::*;
    use crate::ceremony::commit::*;
    use crate::ceremony::log::Position;
    use crate::ceremony::sheet;
    use crate::draw;

    const CAL_2026: &str = include_str!("../../../examples/data/calendars/holidays-2026.toml");

    struct Draw {
        sheet: Sheet,
        amendments: Vec<Amendment>,
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    /// The example draw, drawn 2026-09-01 (北京时间), with one entity replaced and one
    /// inspector recused.
    fn drawn() -> Draw {
        let owned = draw::example_inputs();
        let inputs = owned.as_inputs();
        let secret = Secret::from_bytes([7; 32]);
        let ann = Announcement {
            format: ANNOUNCEMENT_FORMAT.into(),
            version: VERSION.into(),
            draw_id: "D1".into(),
            plan: PlanRef::of(&owned.plan),
            inputs: InputDigests::of(&inputs).unwrap(),
            parties: vec![Party {
                name: "organizer".into(),
                role: Role::Organizer,
                commitment: commitment("D1", "organizer", &secret),
            }],
            beacon: None,
            announced_at: ts("2026-09-01T01:00:00Z"),
            scheduled_at: ts("2026-09-01T02:00:00Z"),
            key_id: "0000000000000001".into(),
            log: Position { seq: 1, prev: None },
            supersedes: None,
        };
        let reveals = vec![Reveal {
            name: "organizer".into(),
            secret: Digest32(*secret.as_bytes()),
        }];
        let pos = |seq| Position { seq, prev: None };
        let sheet = sheet::run(
            &ann,
            &reveals,
            None,
            &inputs,
            ts("2026-09-01T02:00:00Z"),
            pos(2),
        )
        .unwrap();
        let first = sheet.entities[0].id.clone();
        let a1 = amend::amend(
            &sheet,
            &[],
            Action::ReplaceEntity { entity: first },
            Reason {
                code: ReasonCode::EntityClosed,
                text: "已注销".into(),
            },
            &inputs,
            ts("2026-09-02T02:00:00Z"),
            pos(3),
        )
        .unwrap();
        let second = sheet.entities[1].clone();
        let a2 = amend::amend(
            &sheet,
            std::slice::from_ref(&a1),
            Action::ReplaceInspector {
                entity: second.id.clone(),
                inspector: second.officers[0].clone(),
            },
            Reason {
                code: ReasonCode::InspectorRecused,
                text: "亲属关系".into(),
            },
            &inputs,
            ts("2026-09-02T03:00:00Z"),
            pos(4),
        )
        .unwrap();
        Draw {
            sheet,
            amendments: vec![a1, a2],
        }
    }

    fn calendars() -> Calendars {
        let mut c = Calendars::default();
        c.add_toml("holidays-2026.toml", CAL_2026).unwrap();
        c
    }

    fn state(d: &Draw) -> Vec<SheetEntity> {
        amend::state_after(&d.sheet, &d.amendments, &BTreeMap::new()).entities
    }

    /// A faithful result for `e`: its drawn team, formed on `formed`.
    fn result(e: &SheetEntity, formed: &str) -> EntityResult {
        let mut inspectors: Vec<String> = e.officers.iter().chain(&e.experts).cloned().collect();
        inspectors.sort();
        EntityResult {
            entity: e.id.clone(),
            items: vec![ItemResult::standard("I1", "no_problem").unwrap()],
            inspectors,
            deviation: None,
            follow_up: vec![],
            inspected_on: date(formed),
            formed_on: date(formed),
            corrects: None,
        }
    }

    /// Records built in order; each is `(file name, bytes)`.
    struct Records {
        docs: Vec<OutcomeRecord>,
        bytes: Vec<(String, Vec<u8>)>,
    }

    impl Records {
        fn new() -> Self {
            Records {
                docs: vec![],
                bytes: vec![],
            }
        }

        fn push(&mut self, d: &Draw, results: Vec<EntityResult>, at: &str) -> Digest32 {
            let rec = OutcomeRecord::next(
                &d.sheet,
                &d.amendments,
                &self.docs,
                results,
                ts(at),
                date("2026-09-30"),
            )
            .unwrap();
            self.push_record(rec)
        }

        fn push_record(&mut self, rec: OutcomeRecord) -> Digest32 {
            let b = rec.to_canonical().unwrap();
            self.bytes.push((rec.file_name(), b.clone()));
            self.docs.push(rec);
            Digest32::of(&b)
        }

        fn review(&self, d: &Draw, today: &str) -> Review {
            let refs: Vec<(&str, &[u8])> = self
                .bytes
                .iter()
                .map(|(n, b)| (n.as_str(), b.as_slice()))
                .collect();
            let cals = calendars();
            review(&ReviewInputs {
                sheet: &d.sheet,
                amendments: &d.amendments,
                records: &refs,
                calendars: &cals,
                vocabulary: None,
                today: date(today),
                inspections_end: None,
            })
        }
    }

    fn codes(r: &Review) -> Vec<&'static str> {
        r.findings.iter().map(OutcomeFinding::code).collect()
    }

    #[test]
    fn faithful_results_on_time_pass_and_complete_the_draw() {
        let d = drawn();
        let mut recs = Records::new();
        let results = state(&d).iter().map(|e| result(e, "2026-09-11")).collect();
        recs.push(&d, results, "2026-10-15T09:00:00Z");
        let r = recs.review(&d, "2026-12-01");
        assert!(r.findings.is_empty(), "{:?}", r.findings);
        assert_eq!(r.completed(), r.entities.len());
        assert!(r.entities.len() >= 2);
        assert!(!r.provisional);
    }

    #[test]
    fn a_result_for_an_entity_never_drawn_or_replaced_is_a_finding() {
        let d = drawn();
        let replaced = d.sheet.entities[0].clone();
        let mut stranger = result(&state(&d)[0], "2026-09-11");
        stranger.entity = "E999".into();
        let mut recs = Records::new();
        recs.push(
            &d,
            vec![result(&replaced, "2026-09-11"), stranger],
            "2026-09-14T02:00:00Z",
        );
        let r = recs.review(&d, "2026-09-14");
        let not_drawn: Vec<&str> = r
            .findings
            .iter()
            .filter(|f| f.code() == "outcome.not_drawn")
            .filter_map(OutcomeFinding::entity)
            .collect();
        assert_eq!(not_drawn, vec![replaced.id.as_str(), "E999"]);
        assert_eq!(r.completed(), 0);
    }

    #[test]
    fn an_inspector_not_on_the_team_is_a_finding_unless_the_record_says_why() {
        let d = drawn();
        // The recused officer of entity 1 is no longer on its team.
        let recused = d.sheet.entities[1].officers[0].clone();
        let e = state(&d)
            .into_iter()
            .find(|e| e.id == d.sheet.entities[1].id)
            .unwrap();
        let mut r1 = result(&e, "2026-09-11");
        let replacement = e.officers[0].clone();
        r1.inspectors.retain(|i| i != &replacement);
        r1.inspectors.push(recused.clone());
        r1.inspectors.sort();
        let mut recs = Records::new();
        recs.push(&d, vec![r1.clone()], "2026-09-14T02:00:00Z");
        let r = recs.review(&d, "2026-09-14");
        match &r.findings[..] {
            [OutcomeFinding::Team { missing, extra, .. }] => {
                assert_eq!(missing, &vec![replacement.clone()]);
                assert_eq!(extra, &vec![recused.clone()]);
            }
            other => panic!("{other:?}"),
        }
        // With the reason written down, it is accepted.
        r1.deviation = Some(Deviation {
            code: DeviationCode::InspectorAdded,
            text: "替补人员病假，原回避人员经批准参加".into(),
        });
        let mut recs = Records::new();
        recs.push(&d, vec![r1.clone()], "2026-09-14T02:00:00Z");
        assert!(recs.review(&d, "2026-09-14").findings.is_empty());
        // A deviation without words is no reason.
        r1.deviation = Some(Deviation {
            code: DeviationCode::Other,
            text: " ".into(),
        });
        let mut recs = Records::new();
        recs.push(&d, vec![r1], "2026-09-14T02:00:00Z");
        assert_eq!(codes(&recs.review(&d, "2026-09-14")), vec!["outcome.team"]);
    }

    #[test]
    fn a_second_result_without_correction_is_a_duplicate() {
        let d = drawn();
        let e = state(&d)[0].clone();
        let mut recs = Records::new();
        recs.push(&d, vec![result(&e, "2026-09-11")], "2026-09-14T02:00:00Z");
        let mut other = result(&e, "2026-09-12");
        other.items = vec![ItemResult::standard("I1", "corrected_on_order").unwrap()];
        recs.push(&d, vec![other], "2026-09-15T02:00:00Z");
        let r = recs.review(&d, "2026-09-15");
        assert_eq!(codes(&r), vec!["outcome.duplicate"]);
        // The first result stays current.
        let st = r.entities.iter().find(|s| s.entity.id == e.id).unwrap();
        assert_eq!(st.result.as_ref().unwrap().formed_on, date("2026-09-11"));

        // Twice in one record, too.
        let mut recs = Records::new();
        let rec = OutcomeRecord {
            results: vec![result(&e, "2026-09-11"), result(&e, "2026-09-11")],
            ..OutcomeRecord::next(
                &d.sheet,
                &d.amendments,
                &[],
                vec![],
                ts("2026-09-14T02:00:00Z"),
                date("2026-09-30"),
            )
            .unwrap()
        };
        recs.push_record(rec);
        assert!(codes(&recs.review(&d, "2026-09-15")).contains(&"outcome.duplicate"));
    }

    #[test]
    fn twenty_working_days_count_the_mid_autumn_and_national_day_breaks_and_their_working_weekends()
    {
        let cals = calendars();
        // Weekdays alone would give 2026-10-09; the breaks without their 调休 days 2026-10-19.
        assert_eq!(
            cals.deadline(&date("2026-09-11"), 20),
            Ok(date("2026-10-15"))
        );
        assert_eq!(cals.is_working_day(&date("2026-10-10")), Some(true)); // Saturday, 调休
        assert_eq!(cals.is_working_day(&date("2026-09-20")), Some(true)); // Sunday, 调休
        assert_eq!(cals.is_working_day(&date("2026-10-05")), Some(false)); // Monday, 国庆
        assert_eq!(cals.is_working_day(&date("2027-01-04")), None);

        let d = drawn();
        let e = state(&d)[0].clone();
        // 2026-10-15T15:59:59Z is still the 15th in Beijing: on time.
        let mut recs = Records::new();
        recs.push(&d, vec![result(&e, "2026-09-11")], "2026-10-15T15:59:59Z");
        assert!(recs.review(&d, "2026-10-16").findings.is_empty());
        // One second later it is the 16th: late.
        let mut recs = Records::new();
        recs.push(&d, vec![result(&e, "2026-09-11")], "2026-10-15T16:00:00Z");
        let r = recs.review(&d, "2026-10-16");
        match &r.findings[..] {
            [
                OutcomeFinding::Late {
                    deadline,
                    published_on,
                    ..
                },
            ] => {
                assert_eq!(*deadline, date("2026-10-15"));
                assert_eq!(*published_on, date("2026-10-16"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            r.entities
                .iter()
                .find(|s| s.entity.id == e.id)
                .unwrap()
                .standing,
            Standing::Published { late: true, .. }
        ));
    }

    #[test]
    fn corrections_chain_and_must_cite_the_current_result() {
        let d = drawn();
        let e = state(&d)[0].clone();
        let mut recs = Records::new();
        let first = recs.push(&d, vec![result(&e, "2026-09-11")], "2026-09-14T02:00:00Z");
        let mut fix = result(&e, "2026-09-15");
        fix.items = vec![ItemResult::standard("I1", "undisclosed_information").unwrap()];
        fix.follow_up = vec![FollowUp::AbnormalList];
        fix.corrects = Some(Correction {
            document: first,
            reason: "年报信息核对有误".into(),
        });
        let second = recs.push(&d, vec![fix.clone()], "2026-09-16T02:00:00Z");
        let r = recs.review(&d, "2026-09-16");
        assert!(r.findings.is_empty(), "{:?}", r.findings);
        let st = r.entities.iter().find(|s| s.entity.id == e.id).unwrap();
        assert_eq!(
            st.result.as_ref().unwrap().items[0].result,
            "undisclosed_information"
        );
        assert!(
            matches!(&st.standing, Standing::Published { document, .. } if document == "outcomes-2.json")
        );

        // Correcting the first record again: it no longer holds the current result.
        let mut again = fix.clone();
        again.corrects = Some(Correction {
            document: first,
            reason: "再次更正".into(),
        });
        let mut bad = Records {
            docs: recs.docs.clone(),
            bytes: recs.bytes.clone(),
        };
        bad.push(&d, vec![again], "2026-09-17T02:00:00Z");
        let r = bad.review(&d, "2026-09-17");
        match &r.findings[..] {
            [OutcomeFinding::Correction { cited, current, .. }] => {
                assert_eq!(*cited, first);
                assert_eq!(*current, Some(second));
            }
            other => panic!("{other:?}"),
        }
        // Correcting the second: the chain goes on.
        let mut third = fix;
        third.items = vec![ItemResult::standard("I1", "no_problem").unwrap()];
        third.follow_up = vec![];
        third.corrects = Some(Correction {
            document: second,
            reason: "复核后撤销".into(),
        });
        recs.push(&d, vec![third], "2026-09-17T02:00:00Z");
        let r = recs.review(&d, "2026-09-17");
        assert!(r.findings.is_empty(), "{:?}", r.findings);
        let st = r.entities.iter().find(|s| s.entity.id == e.id).unwrap();
        assert_eq!(st.result.as_ref().unwrap().items[0].result, "no_problem");
    }

    #[test]
    fn an_entity_without_result_past_the_deadline_is_overdue() {
        let d = drawn();
        let st = state(&d);
        let (missing, rest) = st.split_first().unwrap();
        let mut recs = Records::new();
        recs.push(
            &d,
            rest.iter().map(|e| result(e, "2026-09-11")).collect(),
            "2026-09-14T02:00:00Z",
        );
        // Inspections end 2026-09-30: due by the 20th working day after, 2026-11-03.
        let r = recs.review(&d, "2026-11-03");
        assert!(r.findings.is_empty(), "{:?}", r.findings);
        let s = r
            .entities
            .iter()
            .find(|s| s.entity.id == missing.id)
            .unwrap();
        assert_eq!(
            s.standing,
            Standing::Due {
                deadline: Some(date("2026-11-03"))
            }
        );
        let r = recs.review(&d, "2026-11-04");
        match &r.findings[..] {
            [OutcomeFinding::Overdue { entity, deadline }] => {
                assert_eq!(entity, &missing.id);
                assert_eq!(*deadline, date("2026-11-03"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(r.overdue().count(), 1);
        assert_eq!(r.completed(), rest.len());
    }

    #[test]
    fn a_record_that_ignores_an_earlier_amendment_is_stale_and_judged_on_the_old_state() {
        let d = drawn();
        let replaced = d.sheet.entities[0].clone();
        let before = Draw {
            sheet: d.sheet.clone(),
            amendments: vec![],
        };
        let mut recs = Records::new();
        recs.push(
            &before,
            vec![result(&replaced, "2026-09-11")],
            "2026-09-14T02:00:00Z",
        );
        let r = recs.review(&d, "2026-09-14");
        assert_eq!(codes(&r)[0], "outcome.stale");
        assert!(!codes(&r).contains(&"outcome.not_drawn"));
    }

    #[test]
    fn citations_texts_dates_and_calendars_are_checked() {
        let d = drawn();
        let e = state(&d)[0].clone();
        let mut r1 = result(&e, "2026-09-11");
        r1.items[0].text = "未发现问题。".into();
        r1.items
            .push(ItemResult::standard("I9", "no_problem").unwrap());
        r1.inspected_on = date("2026-08-31");
        let mut recs = Records::new();
        let mut rec = OutcomeRecord::next(
            &d.sheet,
            &d.amendments,
            &[],
            vec![r1],
            ts("2026-09-14T02:00:00Z"),
            date("2026-09-30"),
        )
        .unwrap();
        rec.sheet = Digest32([0; 32]);
        recs.push_record(rec);
        let r = recs.review(&d, "2026-09-14");
        assert_eq!(
            codes(&r),
            vec![
                "outcome.cites",
                "outcome.result",
                "outcome.item",
                "outcome.dates"
            ]
        );

        // A deadline reaching 2027 without its calendar is unknown, and said so.
        let mut recs = Records::new();
        recs.push(&d, vec![result(&e, "2026-12-20")], "2026-12-21T02:00:00Z");
        let r = recs.review(&d, "2026-12-21");
        let mine: Vec<&OutcomeFinding> = r
            .findings
            .iter()
            .filter(|f| f.entity() == Some(e.id.as_str()))
            .collect();
        assert!(matches!(
            &mine[..],
            [OutcomeFinding::Calendar { year: 2027, .. }]
        ));
        // The others are overdue (inspections ended 2026-09-30).
        assert_eq!(r.overdue().count(), r.entities.len() - 1);
    }

    #[test]
    fn the_vocabulary_restricts_results_per_item() {
        let v = Vocabulary::from_toml(
            "results.toml",
            "[items.I1]\nresults = [\"no_problem\", \"x-licence-expired\"]\n",
        )
        .unwrap();
        assert!(v.admits("I1", "x-licence-expired"));
        assert!(!v.admits("I1", "false_disclosure"));
        assert!(v.admits("I2", "false_disclosure"));
        let err = Vocabulary::from_toml("results.toml", "[items.I1]\nresults = [\"bogus\"]\n")
            .unwrap_err();
        assert_eq!(err.line, 2);
        let err = Vocabulary::from_toml("results.toml", "[item.I1]\n").unwrap_err();
        assert_eq!(err.line, 1);
    }

    #[test]
    fn records_are_canonical_and_round_trip() {
        let d = drawn();
        let e = state(&d)[0].clone();
        let rec = OutcomeRecord::next(
            &d.sheet,
            &d.amendments,
            &[],
            vec![result(&e, "2026-09-11")],
            ts("2026-09-14T02:00:00Z"),
            date("2026-09-30"),
        )
        .unwrap();
        let b = rec.to_canonical().unwrap();
        assert_eq!(OutcomeRecord::parse(&b).unwrap(), rec);
        let text = String::from_utf8(b.clone()).unwrap();
        assert!(text.starts_with("{\"accounts_for\":{\"amendment\":\""));
        assert!(text.contains("\"corrects\":null,\"deviation\":null,\"entity\":"));
        let mut pretty = b;
        pretty.push(b'\n');
        assert!(OutcomeRecord::parse(&pretty).is_err());
    }

    #[test]
    fn signatures_of_records_are_checked_before_their_contents() {
        let d = drawn();
        let e = state(&d)[0].clone();
        let mut recs = Records::new();
        recs.push(&d, vec![result(&e, "2026-09-11")], "2026-09-14T02:00:00Z");
        let (name, bytes) = recs.bytes[0].clone();
        let key = crate::sign::SecretKey::generate().unwrap();
        let sig = crate::ceremony::steps::sign_document(&key, "D1", &name, &bytes).unwrap();
        let other = crate::ceremony::steps::sign_document(&key, "D2", &name, &bytes).unwrap();
        let cals = calendars();
        let run = |signature: Option<&str>, bytes: &[u8]| {
            let signed = [SignedRecord {
                name: &name,
                bytes,
                signature,
            }];
            let inputs = ReviewInputs {
                sheet: &d.sheet,
                amendments: &d.amendments,
                records: &[],
                calendars: &cals,
                vocabulary: None,
                today: date("2026-09-14"),
                inspections_end: None,
            };
            verify_signed(&key.public_key(), &signed, &inputs)
                .findings
                .iter()
                .map(|f| f.fields().first().map(|x| x.1.clone()).unwrap_or_default())
                .collect::<Vec<_>>()
        };
        assert!(run(Some(&sig), &bytes).is_empty());
        assert_eq!(run(None, &bytes), ["missing"]);
        assert_eq!(run(Some(&other), &bytes), ["comment.draw"]);
        let mut tampered = bytes.clone();
        let at = tampered
            .windows(10)
            .position(|w| w == b"2026-09-11")
            .unwrap();
        tampered[at + 9] = b'2';
        assert_eq!(run(Some(&sig), &tampered), ["sign.bad_signature"]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Any bytes as a record, or a real record with one byte changed: findings, never a
        /// panic, and every entity of the state still listed.
        #[test]
        fn any_record_bytes_give_findings_not_panics(
            junk in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
            at in 0usize..4000,
            byte in proptest::prelude::any::<u8>(),
        ) {
            let d = drawn();
            let e = state(&d)[0].clone();
            let mut recs = Records::new();
            recs.push(&d, vec![result(&e, "2026-09-11")], "2026-09-14T02:00:00Z");
            let mut changed = recs.bytes[0].1.clone();
            let i = at % changed.len();
            changed[i] = byte;
            let cals = calendars();
            for bytes in [junk.clone(), changed] {
                let records = [("outcomes-1.json", bytes.as_slice())];
                let r = review(&ReviewInputs {
                    sheet: &d.sheet,
                    amendments: &d.amendments,
                    records: &records,
                    calendars: &cals,
                    vocabulary: None,
                    today: date("2026-12-31"),
                    inspections_end: Some(date("2026-09-30")),
                });
                proptest::prop_assert_eq!(r.entities.len(), state(&d).len());
            }
        }
    }

    #[test]
    fn finding_codes_are_distinct() {
        let set: BTreeSet<&str> = OUTCOME_FINDING_CODES.into_iter().collect();
        assert_eq!(set.len(), OUTCOME_FINDING_CODES.len());
    }
}
