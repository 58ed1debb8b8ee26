//! The draw plan as a TOML file (`plan.toml`) → [`Plan`].
//!
//! The plan is committed to before the draw, so every value in it must mean exactly one thing:
//! an unknown key is an error naming the key and its line (a typo such as `officer = 1` must
//! never fall back to a default), ratios are read exactly (never through floating-point
//! arithmetic), and the rules that protect the inspected (R4: at least two officers) are checked
//! here, before anything is announced. Every problem in the file is reported at once, each with
//! the file, the line and the dotted TOML path of the value.
//!
//! ```
//! use double_random::formats::plan_toml::{plan_digest, read_plan};
//! use double_random::model::{Stratum, RiskClass};
//!
//! let text = r#"
//! plan_id = "GZ-2026-01"
//! plan_name = "2026年度双随机抽查计划"
//! task_id = "T01"
//! task_name = "企业公示信息抽查"
//! authority = "修文县市场监督管理局"
//! draw_date = 2026-03-01
//! items = ["GZ-SC-001"]
//!
//! [strata]
//! by = "risk"
//! A = { ratio = "1%", min = 1 }
//! D = { ratio = "30%", count = 5, max = 200 }
//!
//! [team]
//! officers = 2
//! "#;
//! let plan = read_plan("plan.toml", text)?;
//! assert_eq!(plan.quota(Stratum::Risk(RiskClass::A)).unwrap().ratio_bp, Some(100));
//! assert_eq!(plan.filters.statuses.len(), 1); // active, by default
//! assert_eq!(plan_digest(&plan)?.to_hex().len(), 64);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The keys, their defaults and rules:
//!
//! | key | rule |
//! |---|---|
//! | `plan_id`, `plan_name`, `task_id`, `task_name`, `authority` | required, non-empty text |
//! | `batch` | text, default `""` |
//! | `directed`, `publish_risk` | booleans, default `false` |
//! | `draw_date` | a TOML date or a `"YYYY-MM-DD"` string, required |
//! | `items` | required, non-empty, no duplicates |
//! | `general_ratio_cap` | optional ratio |
//! | `[filters]` | `regions` (1–6 digit prefixes), `industries`, `kinds`, `statuses` (default `["active"]`), `tags_any`, `tags_all`, `exclude_abnormal` |
//! | `[strata]` | `by = "none"` with `ratio`/`count`/`min`/`max`/`rounding`, or `by = "risk"` with one table per class `A`..`E` and `unclassified` |
//! | `[repeat]` | `entity_window_days`, `entity_yearly_cap`, `same_items_only`, `inspector_window_days` |
//! | `[team]` | `officers` (≥ 2), `experts`, `exclude_same_region`, `workload_cap` (≥ 1), `recusal_cap` (≥ 0, default 2), `departments`, `[[team.joint]]` |
//!
//! A ratio is a string percentage (`"5%"`, `"2.5%"`, `"0.25%"`, `"１０％"`) or a TOML number
//! giving the fraction (`0.05`, `5e-2`), from 0 to 100 % in whole basis points (0.01 %), read
//! from its decimal text (SPEC §4 gives the grammar). Lists keep the order written, after
//! normalisation (SPEC §4), so the plan digest covers the plan as its author wrote it.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use super::jcs::{self, JcsError};
use crate::codes::{self, CodeError};
use crate::digest::Digest32;
use crate::model::{
    Date, EntityKind, EntityStatus, Filters, JointDepartment, Plan, Quota, RepeatRules, RiskClass,
    Rounding, Strata, TeamRules,
};
use crate::normalize;

/// One problem in a plan file, with its place.
///
/// `field` is the dotted TOML path of the value (`team.officers`, `strata.A.ratio`,
/// `team.joint[1].items[0]`), empty for a problem of the whole file.
///
/// ```
/// use double_random::formats::plan_toml::read_plan;
///
/// let text = include_str!("../../examples/data/plan.toml").replace("officers = 2", "officers = 1");
/// let errors = read_plan("plan.toml", &text).unwrap_err();
/// let e = &errors.errors[0];
/// assert_eq!(e.field, "team.officers");
/// assert!(e.to_string().starts_with(&format!("plan.toml:{}: team.officers: ", e.line)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {}{kind}", field_prefix(.field))]
#[non_exhaustive]
pub struct PlanError {
    /// The file name as given to [`read_plan`].
    pub file: String,
    /// The line, from 1.
    pub line: u64,
    /// The dotted TOML path of the value.
    pub field: String,
    /// What is wrong.
    pub kind: PlanErrorKind,
}

fn field_prefix(field: &str) -> String {
    if field.is_empty() {
        String::new()
    } else {
        format!("{field}: ")
    }
}

/// Every problem found in a plan file, ordered by line.
///
/// A plan is short; reporting everything at once saves the user a round trip per mistake.
///
/// ```
/// use double_random::formats::plan_toml::read_plan;
///
/// let errs = read_plan("plan.toml", "plan_id = \"\"\nofficer = 2\n").unwrap_err();
/// assert!(errs.errors.len() > 2);
/// assert!(errs.to_string().lines().any(|l| l.starts_with("plan.toml:2: officer: unknown key")));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
#[non_exhaustive]
pub struct PlanErrors {
    /// The problems (never empty).
    pub errors: Vec<PlanError>,
}

/// Why a ratio was refused.
///
/// ```
/// use double_random::formats::plan_toml::RatioProblem;
/// assert_eq!(RatioProblem::AboveHundred.to_string(), "it is above 100 %");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RatioProblem {
    /// Below zero.
    #[error("it is below 0 %")]
    Negative,
    /// Above 100 %.
    #[error("it is above 100 %")]
    AboveHundred,
    /// Finer than 0.01 % (one basis point).
    #[error("it is finer than 0.01 %, the precision of a ratio")]
    TooPrecise,
    /// NaN or infinite.
    #[error("it is not a finite number")]
    NotFinite,
    /// Not written as a ratio.
    #[error(
        "it is not written as a ratio: use a percentage string such as \"5%\" or \"2.5%\", or a \
         fraction such as 0.05"
    )]
    Format,
}

/// What is wrong with a plan value.
///
/// ```
/// use double_random::formats::plan_toml::PlanErrorKind;
/// let k = PlanErrorKind::WrongType { expected: "integer", found: "string" };
/// assert_eq!(k.to_string(), "expected integer, found string");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanErrorKind {
    /// The text is not TOML.
    #[error("not valid TOML: {message}")]
    Syntax {
        /// The parser's message.
        message: String,
    },
    /// A key the plan format does not have.
    #[error("unknown key {key:?}; the keys here are: {}", .accepted.join(", "))]
    UnknownKey {
        /// The key as written.
        key: String,
        /// The keys accepted at this place.
        accepted: &'static [&'static str],
    },
    /// A required key is absent.
    #[error("this key is required")]
    Missing,
    /// A value of the wrong TOML type.
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// The type expected.
        expected: &'static str,
        /// The type found.
        found: &'static str,
    },
    /// Empty text where a value is required.
    #[error("must not be empty")]
    Empty,
    /// An empty list where at least one value is required.
    #[error("the list must not be empty")]
    EmptyList,
    /// A ratio that cannot be used.
    #[error("the ratio {value} cannot be used: {problem}")]
    BadRatio {
        /// The value as written.
        value: String,
        /// Why.
        problem: RatioProblem,
    },
    /// A value outside a closed vocabulary.
    #[error("{value:?} is not an accepted value; accepted: {}", .accepted.trim_end())]
    UnknownValue {
        /// The value as written (normalised).
        value: String,
        /// Every accepted spelling.
        accepted: &'static str,
    },
    /// An integer out of its range.
    #[error("{value} is out of range: it must be from {min} to {max}")]
    IntegerRange {
        /// The value as written.
        value: String,
        /// Smallest accepted.
        min: u64,
        /// Largest accepted.
        max: u64,
    },
    /// A date that does not parse or exist.
    #[error("{value:?} is not a date; write it as 2026-03-01")]
    BadDate {
        /// The value as written.
        value: String,
    },
    /// A region filter that is not a prefix of a 行政区划代码.
    #[error(
        "{value:?} is not a region code prefix: write 1 to 6 digits, such as \"52\" or \"520102\""
    )]
    BadRegionPrefix {
        /// The value (normalised).
        value: String,
    },
    /// A malformed industry code.
    #[error(transparent)]
    Code(#[from] CodeError),
    /// The same item twice in a list.
    #[error("item {item} is listed twice")]
    DuplicateItem {
        /// The item id.
        item: String,
    },
    /// The same value twice in a list, after normalisation.
    #[error("{value:?} is listed twice")]
    DuplicateValue {
        /// The value (normalised).
        value: String,
    },
    /// `min` above `max`.
    #[error("min ({min}) is above max ({max})")]
    MinAboveMax {
        /// The minimum.
        min: u64,
        /// The maximum.
        max: u64,
    },
    /// A quota with neither a ratio nor a count.
    #[error("a quota needs a ratio, a count, or both")]
    NoQuota,
    /// A risk-stratified plan without any stratum.
    #[error("by = \"risk\" needs a quota for at least one class (A to E) or for unclassified")]
    NoStrata,
    /// Fewer than two officers per entity (R4, 行政处罚法 第42条).
    #[error(
        "{officers} officer(s) per entity: the law requires at least 2 certified officers on \
         every inspection"
    )]
    TooFewOfficers {
        /// The number asked for.
        officers: u64,
    },
    /// A joint plan whose `team.officers` is not the sum over departments.
    #[error(
        "team.officers is {officers}, but the departments of the joint inspection send {sum} \
         in total; give the sum or leave team.officers out"
    )]
    JointOfficersMismatch {
        /// `team.officers` as given.
        officers: u64,
        /// The sum over departments.
        sum: u64,
    },
    /// The same department twice in a joint plan.
    #[error("department {department:?} appears twice in the joint inspection")]
    JointDuplicateDepartment {
        /// The department.
        department: String,
    },
    /// A joint department inspects an item the plan does not have.
    #[error("item {item} is not one of the plan's items")]
    JointItemNotInPlan {
        /// The item.
        item: String,
    },
    /// A plan item no joint department inspects.
    #[error("plan item {item} is inspected by no department of the joint inspection")]
    JointItemUncovered {
        /// The item.
        item: String,
    },
    /// `team.departments` given together with `[[team.joint]]`, where it would have no effect.
    #[error(
        "team.departments has no effect in a joint inspection, where each [[team.joint]] names \
         its department; remove it"
    )]
    DepartmentsInJoint,
}

/// Reads a plan from TOML text.
///
/// Use it on the organiser's `plan.toml` before the announcement: the resulting [`Plan`] is what
/// [`plan_digest`] fingerprints and what the draw follows.
///
/// # Errors
///
/// Every problem in the file (see [`PlanErrors`]).
///
/// ```
/// use double_random::formats::plan_toml::{read_plan, PlanErrorKind};
///
/// let text = "plan_id = \"P\"\nplan_name = \"N\"\ntask_id = \"T\"\ntask_name = \"N\"\n\
///             authority = \"A\"\ndraw_date = \"2026-03-01\"\nitems = [\"I1\"]\n\
///             [strata]\nby = \"none\"\nratio = \"5%\"\n[team]\nofficers = 1\n";
/// let errs = read_plan("plan.toml", text).unwrap_err();
/// assert_eq!(errs.errors[0].line, 12);
/// assert_eq!(errs.errors[0].field, "team.officers");
/// assert_eq!(errs.errors[0].kind, PlanErrorKind::TooFewOfficers { officers: 1 });
/// ```
pub fn read_plan(file_name: &str, text: &str) -> Result<Plan, PlanErrors> {
    // Editors on Windows save UTF-8 with a byte order mark; it holds no line break, so line
    // numbers stay right.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut cx = Cx::new(file_name, text);
    let plan = match DeTable::parse(text) {
        Ok(root) => cx.plan(&root),
        Err(e) => {
            let at = e.span().map_or(0, |s| s.start);
            cx.error(
                at..at,
                "",
                PlanErrorKind::Syntax {
                    message: e.message().trim().to_owned(),
                },
            );
            None
        }
    };
    match plan {
        Some(p) if cx.errors.is_empty() => Ok(p),
        _ => {
            if cx.errors.is_empty() {
                // Every path that gives up records why; this only keeps the list non-empty.
                cx.error(
                    0..0,
                    "",
                    PlanErrorKind::Syntax {
                        message: "the plan could not be read".to_owned(),
                    },
                );
            }
            let mut errors = cx.errors;
            errors.sort_by_key(|e| e.line);
            Err(PlanErrors { errors })
        }
    }
}

/// The plan's fingerprint: SHA-256 of its canonical JSON (RFC 8785).
///
/// The announcement commits to it, so that the plan cannot be changed after the fact.
///
/// # Errors
///
/// Only if a count in a hand-built plan exceeds 2^53 − 1 (plans read by [`read_plan`] never do).
///
/// ```
/// use double_random::Digest32;
/// use double_random::formats::{jcs, plan_toml::{plan_digest, read_plan}};
///
/// let text = "plan_id = \"P\"\nplan_name = \"N\"\ntask_id = \"T\"\ntask_name = \"N\"\n\
///             authority = \"A\"\ndraw_date = 2026-03-01\nitems = [\"I1\"]\n\
///             [strata]\nby = \"none\"\nratio = 0.05\n[team]\nofficers = 2\n";
/// let plan = read_plan("plan.toml", text)?;
/// assert_eq!(plan_digest(&plan)?, Digest32::of(&jcs::to_canonical(&plan)?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn plan_digest(plan: &Plan) -> Result<Digest32, JcsError> {
    Ok(Digest32::of(&jcs::to_canonical(plan)?))
}

/// Largest count accepted: canonical JSON holds integers up to 2^53 − 1.
/// Recusals allowed per entity when the plan does not say (SPEC §4).
pub const DEFAULT_RECUSAL_CAP: u32 = 2;

const MAX_COUNT: u64 = (1 << 53) - 1;

/// Longest repeat window, in days: 100 years of 365.25 days.
const MAX_WINDOW_DAYS: u64 = 36_525;

const TOP_KEYS: &[&str] = &[
    "plan_id",
    "plan_name",
    "task_id",
    "task_name",
    "batch",
    "authority",
    "directed",
    "draw_date",
    "items",
    "general_ratio_cap",
    "publish_risk",
    "filters",
    "strata",
    "repeat",
    "team",
];
const FILTER_KEYS: &[&str] = &[
    "regions",
    "industries",
    "kinds",
    "statuses",
    "tags_any",
    "tags_all",
    "exclude_abnormal",
];
const QUOTA_KEYS: &[&str] = &["ratio", "count", "min", "max", "rounding"];
const STRATA_NONE_KEYS: &[&str] = &["by", "ratio", "count", "min", "max", "rounding"];
const STRATA_RISK_KEYS: &[&str] = &["by", "A", "B", "C", "D", "E", "unclassified"];
const STRATA_BY_KEYS: &[&str] = &["by"];
const REPEAT_KEYS: &[&str] = &[
    "entity_window_days",
    "entity_yearly_cap",
    "same_items_only",
    "inspector_window_days",
];
const TEAM_KEYS: &[&str] = &[
    "officers",
    "experts",
    "exclude_same_region",
    "workload_cap",
    "recusal_cap",
    "departments",
    "joint",
];
const JOINT_KEYS: &[&str] = &["department", "officers", "items"];

type Value<'i> = Spanned<DeValue<'i>>;

/// A list read from the plan: `Ok(None)` when absent, `Err(())` when something in it was wrong
/// (already reported), else the values and the span of the array.
type Listed<T> = Result<Option<(Vec<T>, Range<usize>)>, ()>;

/// Reading context: the text (for line numbers) and the problems found.
struct Cx<'t> {
    file: &'t str,
    line_starts: Vec<usize>,
    errors: Vec<PlanError>,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

impl<'t> Cx<'t> {
    fn new(file: &'t str, text: &'t str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Cx {
            file,
            line_starts,
            errors: Vec::new(),
        }
    }

    fn line_of(&self, offset: usize) -> u64 {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i as u64 + 1,
            Err(i) => i as u64,
        }
    }

    fn error(&mut self, span: Range<usize>, field: &str, kind: PlanErrorKind) {
        let line = self.line_of(span.start);
        self.errors.push(PlanError {
            file: self.file.to_owned(),
            line,
            field: field.to_owned(),
            kind,
        });
    }

    /// Reports every key of `table` not in `accepted`.
    fn check_keys(&mut self, table: &DeTable<'_>, path: &str, accepted: &'static [&'static str]) {
        for (k, _) in table.iter() {
            let key: &str = k.get_ref();
            if !accepted.contains(&key) {
                self.error(
                    k.span(),
                    &join(path, key),
                    PlanErrorKind::UnknownKey {
                        key: key.to_owned(),
                        accepted,
                    },
                );
            }
        }
    }

    fn wrong_type(&mut self, v: &Value<'_>, path: &str, expected: &'static str) {
        self.error(
            v.span(),
            path,
            PlanErrorKind::WrongType {
                expected,
                found: v.get_ref().type_str(),
            },
        );
    }

    /// A sub-table; `None` (no error) when absent.
    fn table<'a, 'i>(
        &mut self,
        parent: &'a DeTable<'i>,
        key: &str,
        path: &str,
    ) -> Option<(&'a DeTable<'i>, Range<usize>)> {
        let v = parent.get(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some((t, v.span())),
            _ => {
                self.wrong_type(v, &join(path, key), "table");
                None
            }
        }
    }

    /// A required sub-table.
    fn required_table<'a, 'i>(
        &mut self,
        parent: &'a DeTable<'i>,
        parent_span: &Range<usize>,
        key: &str,
        path: &str,
    ) -> Option<(&'a DeTable<'i>, Range<usize>)> {
        if parent.get(key).is_none() {
            self.error(
                parent_span.clone(),
                &join(path, key),
                PlanErrorKind::Missing,
            );
            return None;
        }
        self.table(parent, key, path)
    }

    /// A string value (not normalised); `Ok(None)` when absent, `Err(())` on a wrong type.
    fn string<'a>(
        &mut self,
        table: &'a DeTable<'_>,
        key: &str,
        path: &str,
    ) -> Result<Option<(&'a str, Range<usize>)>, ()> {
        let Some(v) = table.get(key) else {
            return Ok(None);
        };
        match v.get_ref() {
            DeValue::String(s) => Ok(Some((s.as_ref(), v.span()))),
            _ => {
                self.wrong_type(v, &join(path, key), "string");
                Err(())
            }
        }
    }

    /// Text via [`normalize::text`]; `required` means present and non-empty.
    fn text(
        &mut self,
        table: &DeTable<'_>,
        span: &Range<usize>,
        key: &str,
        path: &str,
        required: bool,
    ) -> Option<String> {
        match self.string(table, key, path) {
            Err(()) => None,
            Ok(None) if required => {
                self.error(span.clone(), &join(path, key), PlanErrorKind::Missing);
                None
            }
            Ok(None) => Some(String::new()),
            Ok(Some((s, vspan))) => {
                let t = normalize::text(s);
                if required && t.is_empty() {
                    self.error(vspan, &join(path, key), PlanErrorKind::Empty);
                    return None;
                }
                Some(t)
            }
        }
    }

    /// A boolean with a default.
    fn boolean(
        &mut self,
        table: &DeTable<'_>,
        key: &str,
        path: &str,
        default: bool,
    ) -> Option<bool> {
        let Some(v) = table.get(key) else {
            return Some(default);
        };
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(v, &join(path, key), "boolean");
                None
            }
        }
    }

    /// An integer in `min..=max`; `Ok(None)` when absent.
    fn integer(
        &mut self,
        table: &DeTable<'_>,
        key: &str,
        path: &str,
        min: u64,
        max: u64,
    ) -> Result<Option<u64>, ()> {
        let Some(v) = table.get(key) else {
            return Ok(None);
        };
        let field = join(path, key);
        let DeValue::Integer(i) = v.get_ref() else {
            self.wrong_type(v, &field, "integer");
            return Err(());
        };
        let parsed = i128::from_str_radix(i.as_str(), i.radix()).ok();
        match parsed {
            Some(n) if n >= i128::from(min) && n <= i128::from(max) => {
                u64::try_from(n).map(Some).map_err(|_| ())
            }
            _ => {
                self.error(
                    v.span(),
                    &field,
                    PlanErrorKind::IntegerRange {
                        value: i.to_string(),
                        min,
                        max,
                    },
                );
                Err(())
            }
        }
    }

    /// A `u32` in `min..=u32::MAX`; `Ok(None)` when absent.
    fn small(
        &mut self,
        table: &DeTable<'_>,
        key: &str,
        path: &str,
        min: u64,
    ) -> Result<Option<u32>, ()> {
        Ok(self
            .integer(table, key, path, min, u64::from(u32::MAX))?
            .and_then(|n| u32::try_from(n).ok()))
    }

    /// A number of days in `1..=MAX_WINDOW_DAYS`; `Ok(None)` when absent.
    fn days(&mut self, table: &DeTable<'_>, key: &str, path: &str) -> Result<Option<u32>, ()> {
        Ok(self
            .integer(table, key, path, 1, MAX_WINDOW_DAYS)?
            .and_then(|n| u32::try_from(n).ok()))
    }

    /// An array; `Ok(None)` when absent.
    fn array<'a, 'i>(
        &mut self,
        table: &'a DeTable<'i>,
        key: &str,
        path: &str,
    ) -> Result<Option<(&'a DeArray<'i>, Range<usize>)>, ()> {
        let Some(v) = table.get(key) else {
            return Ok(None);
        };
        match v.get_ref() {
            DeValue::Array(a) => Ok(Some((a, v.span()))),
            _ => {
                self.wrong_type(v, &join(path, key), "array");
                Err(())
            }
        }
    }

    /// An array of strings, each mapped by `f` (which reports its own problems); `Ok(None)` when
    /// absent, `Err(())` if anything was wrong.
    fn strings<T>(
        &mut self,
        table: &DeTable<'_>,
        key: &str,
        path: &str,
        mut f: impl FnMut(&mut Self, &str, Range<usize>, &str) -> Option<T>,
    ) -> Listed<T> {
        let Some((arr, span)) = self.array(table, key, path)? else {
            return Ok(None);
        };
        let mut out = Vec::with_capacity(arr.len());
        let mut ok = true;
        for (n, v) in arr.iter().enumerate() {
            let field = format!("{}[{n}]", join(path, key));
            match v.get_ref() {
                DeValue::String(s) => match f(self, s, v.span(), &field) {
                    Some(x) => out.push(x),
                    None => ok = false,
                },
                _ => {
                    self.wrong_type(v, &field, "string");
                    ok = false;
                }
            }
        }
        if ok { Ok(Some((out, span))) } else { Err(()) }
    }

    /// Like [`Cx::strings`], and a value whose `name` was already listed is refused.
    fn unique_strings<T>(
        &mut self,
        table: &DeTable<'_>,
        key: &str,
        path: &str,
        name: impl Fn(&T) -> String,
        mut f: impl FnMut(&mut Self, &str, Range<usize>, &str) -> Option<T>,
    ) -> Listed<T> {
        let mut seen: BTreeMap<String, ()> = BTreeMap::new();
        self.strings(table, key, path, |cx, s, span, field| {
            let v = f(cx, s, span.clone(), field)?;
            let n = name(&v);
            if seen.insert(n.clone(), ()).is_some() {
                cx.error(span, field, PlanErrorKind::DuplicateValue { value: n });
                return None;
            }
            Some(v)
        })
    }

    /// A ratio (string percentage or number fraction) in basis points; `Ok(None)` when absent.
    fn ratio(&mut self, table: &DeTable<'_>, key: &str, path: &str) -> Result<Option<u32>, ()> {
        let Some(v) = table.get(key) else {
            return Ok(None);
        };
        let field = join(path, key);
        let (written, result) = match v.get_ref() {
            DeValue::String(s) => (format!("{s:?}"), percent_to_bp(s)),
            DeValue::Float(f) => (f.to_string(), float_fraction_to_bp(f.as_str())),
            DeValue::Integer(i) => (
                i.to_string(),
                match i128::from_str_radix(i.as_str(), i.radix()) {
                    Ok(n) if n < 0 => Err(RatioProblem::Negative),
                    Ok(0) => Ok(0),
                    Ok(1) => Ok(10_000),
                    Ok(_) | Err(_) => Err(RatioProblem::AboveHundred),
                },
            ),
            _ => {
                self.wrong_type(v, &field, "string or number");
                return Err(());
            }
        };
        match result {
            Ok(bp) => Ok(Some(bp)),
            Err(problem) => {
                self.error(
                    v.span(),
                    &field,
                    PlanErrorKind::BadRatio {
                        value: written,
                        problem,
                    },
                );
                Err(())
            }
        }
    }

    /// The whole plan.
    fn plan(&mut self, root: &Spanned<DeTable<'_>>) -> Option<Plan> {
        let span = root.span();
        let top = root.get_ref();
        self.check_keys(top, "", TOP_KEYS);
        let plan_id = self.code_text(top, &span, "plan_id");
        let plan_name = self.text(top, &span, "plan_name", "", true);
        let task_id = self.code_text(top, &span, "task_id");
        let task_name = self.text(top, &span, "task_name", "", true);
        let batch = self.text(top, &span, "batch", "", false);
        let authority = self.text(top, &span, "authority", "", true);
        let directed = self.boolean(top, "directed", "", false);
        let publish_risk = self.boolean(top, "publish_risk", "", false);
        let draw_date = self.draw_date(top, &span);
        let items = self.items(top, &span);
        let general_ratio_cap_bp = self.ratio(top, "general_ratio_cap", "");
        let filters = match self.table(top, "filters", "") {
            Some((t, _)) => self.filters(t),
            None if top.get("filters").is_some() => None,
            None => Some(Filters {
                statuses: vec![EntityStatus::Active],
                ..Filters::default()
            }),
        };
        let strata = self
            .required_table(top, &span, "strata", "")
            .and_then(|(t, s)| self.strata(t, &s));
        let repeat = match self.table(top, "repeat", "") {
            Some((t, _)) => self.repeat(t),
            None if top.get("repeat").is_some() => None,
            None => Some(RepeatRules::default()),
        };
        let team = self
            .required_table(top, &span, "team", "")
            .and_then(|(t, s)| self.team(t, &s, items.as_deref()));
        Some(Plan {
            plan_id: plan_id?,
            plan_name: plan_name?,
            task_id: task_id?,
            task_name: task_name?,
            batch: batch?,
            authority: authority?,
            directed: directed?,
            draw_date: draw_date?,
            items: items?,
            general_ratio_cap_bp: general_ratio_cap_bp.ok()?,
            filters: filters?,
            strata: strata?,
            repeat: repeat?,
            team: team?,
            publish_risk: publish_risk?,
        })
    }

    /// A required, non-empty id via [`normalize::code`].
    fn code_text(&mut self, table: &DeTable<'_>, span: &Range<usize>, key: &str) -> Option<String> {
        match self.string(table, key, "") {
            Err(()) => None,
            Ok(None) => {
                self.error(span.clone(), key, PlanErrorKind::Missing);
                None
            }
            Ok(Some((s, vspan))) => {
                let c = normalize::code(s);
                if c.is_empty() {
                    self.error(vspan, key, PlanErrorKind::Empty);
                    return None;
                }
                Some(c)
            }
        }
    }

    fn draw_date(&mut self, top: &DeTable<'_>, span: &Range<usize>) -> Option<Date> {
        let Some(v) = top.get("draw_date") else {
            self.error(span.clone(), "draw_date", PlanErrorKind::Missing);
            return None;
        };
        let parsed = match v.get_ref() {
            DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => Date::from_ymd(i32::from(d.year), d.month, d.day),
                _ => None,
            }
            .ok_or_else(|| dt.to_string()),
            DeValue::String(s) => normalize::code(s)
                .parse::<Date>()
                .map_err(|_| s.to_string()),
            _ => {
                self.wrong_type(v, "draw_date", "date");
                return None;
            }
        };
        match parsed {
            Ok(d) => Some(d),
            Err(value) => {
                self.error(v.span(), "draw_date", PlanErrorKind::BadDate { value });
                None
            }
        }
    }

    /// A list of item ids: non-empty codes, no duplicates, the list itself non-empty.
    fn item_list(&mut self, table: &DeTable<'_>, key: &str, path: &str) -> Listed<String> {
        let mut seen: BTreeMap<String, ()> = BTreeMap::new();
        let got = self.strings(table, key, path, |cx, s, span, field| {
            let c = normalize::code(s);
            if c.is_empty() {
                cx.error(span, field, PlanErrorKind::Empty);
                return None;
            }
            if seen.insert(c.clone(), ()).is_some() {
                cx.error(span, field, PlanErrorKind::DuplicateItem { item: c });
                return None;
            }
            Some(c)
        })?;
        if let Some((list, span)) = &got
            && list.is_empty()
        {
            self.error(span.clone(), &join(path, key), PlanErrorKind::EmptyList);
            return Err(());
        }
        Ok(got)
    }

    fn items(&mut self, top: &DeTable<'_>, span: &Range<usize>) -> Option<Vec<String>> {
        match self.item_list(top, "items", "") {
            Ok(Some((v, _))) => Some(v),
            Ok(None) => {
                self.error(span.clone(), "items", PlanErrorKind::Missing);
                None
            }
            Err(()) => None,
        }
    }

    /// A list of texts, each non-empty and listed once, in the order written; empty when absent.
    fn text_list(&mut self, table: &DeTable<'_>, key: &str, path: &str) -> Option<Vec<String>> {
        let got = self.unique_strings(table, key, path, String::clone, |cx, s, span, field| {
            let t = normalize::text(s);
            if t.is_empty() {
                cx.error(span, field, PlanErrorKind::Empty);
                return None;
            }
            Some(t)
        });
        Some(got.ok()?.map(|(v, _)| v).unwrap_or_default())
    }

    /// A list of vocabulary values in the order written; `None` inside when absent.
    fn vocab_list<V>(
        &mut self,
        table: &DeTable<'_>,
        key: &str,
        path: &str,
        parse: fn(&str) -> Option<V>,
        name: fn(&V) -> &'static str,
        accepted: &'static str,
    ) -> Listed<V> {
        self.unique_strings(
            table,
            key,
            path,
            |v| name(v).to_owned(),
            |cx, s, span, field| {
                let t = normalize::text(s);
                match parse(&t) {
                    Some(v) => Some(v),
                    None => {
                        cx.error(
                            span,
                            field,
                            PlanErrorKind::UnknownValue { value: t, accepted },
                        );
                        None
                    }
                }
            },
        )
    }

    fn filters(&mut self, t: &DeTable<'_>) -> Option<Filters> {
        let path = "filters";
        self.check_keys(t, path, FILTER_KEYS);
        let regions = self
            .unique_strings(t, "regions", path, String::clone, |cx, s, span, field| {
                let c = normalize::code(s);
                if (1..=6).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_digit()) {
                    Some(c)
                } else {
                    cx.error(span, field, PlanErrorKind::BadRegionPrefix { value: c });
                    None
                }
            })
            .map(|o| o.map(|(v, _)| v).unwrap_or_default());
        let industries = self
            .unique_strings(
                t,
                "industries",
                path,
                String::clone,
                |cx, s, span, field| match codes::parse_industry(s) {
                    Ok(c) => Some(c),
                    Err(e) => {
                        cx.error(span, field, PlanErrorKind::Code(e));
                        None
                    }
                },
            )
            .map(|o| o.map(|(v, _)| v).unwrap_or_default());
        let kinds = self
            .vocab_list(
                t,
                "kinds",
                path,
                EntityKind::parse,
                EntityKind::as_str,
                EntityKind::spellings(),
            )
            .map(|o| o.map(|(v, _)| v).unwrap_or_default());
        let statuses = match self.vocab_list(
            t,
            "statuses",
            path,
            EntityStatus::parse,
            EntityStatus::as_str,
            EntityStatus::spellings(),
        ) {
            Ok(None) => Some(vec![EntityStatus::Active]),
            Ok(Some((v, span))) if v.is_empty() => {
                self.error(span, "filters.statuses", PlanErrorKind::EmptyList);
                None
            }
            Ok(Some((v, _))) => Some(v),
            Err(()) => None,
        };
        let tags_any = self.text_list(t, "tags_any", path);
        let tags_all = self.text_list(t, "tags_all", path);
        let exclude_abnormal = self.boolean(t, "exclude_abnormal", path, false);
        Some(Filters {
            region_prefixes: regions.ok()?,
            industry_prefixes: industries.ok()?,
            kinds: kinds.ok()?,
            statuses: statuses?,
            tags_any: tags_any?,
            tags_all: tags_all?,
            exclude_abnormal: exclude_abnormal?,
        })
    }

    /// One quota; `keys` are the keys allowed in its table.
    fn quota(
        &mut self,
        t: &DeTable<'_>,
        span: &Range<usize>,
        path: &str,
        keys: &'static [&'static str],
    ) -> Option<Quota> {
        self.check_keys(t, path, keys);
        let ratio_bp = self.ratio(t, "ratio", path);
        let count = self.integer(t, "count", path, 0, MAX_COUNT);
        let min = self.integer(t, "min", path, 0, MAX_COUNT);
        let max = self.integer(t, "max", path, 0, MAX_COUNT);
        let rounding = match self.string(t, "rounding", path) {
            Ok(None) => Some(Rounding::Up),
            Ok(Some((s, vspan))) => match normalize::text(s).to_ascii_lowercase().as_str() {
                "up" => Some(Rounding::Up),
                "down" => Some(Rounding::Down),
                "nearest" => Some(Rounding::Nearest),
                other => {
                    self.error(
                        vspan,
                        &join(path, "rounding"),
                        PlanErrorKind::UnknownValue {
                            value: other.to_owned(),
                            accepted: "up (default), down, nearest",
                        },
                    );
                    None
                }
            },
            Err(()) => None,
        };
        let (ratio_bp, count, min, max) = (ratio_bp.ok()?, count.ok()?, min.ok()?, max.ok()?);
        if ratio_bp.is_none() && count.is_none() {
            self.error(span.clone(), path, PlanErrorKind::NoQuota);
            return None;
        }
        if let (Some(lo), Some(hi)) = (min, max)
            && lo > hi
        {
            let at = t.get("min").map_or(span.clone(), Spanned::span);
            self.error(at, path, PlanErrorKind::MinAboveMax { min: lo, max: hi });
            return None;
        }
        Some(Quota {
            ratio_bp,
            count,
            min,
            max,
            rounding: rounding?,
        })
    }

    fn strata(&mut self, t: &DeTable<'_>, span: &Range<usize>) -> Option<Strata> {
        let path = "strata";
        let by = match self.string(t, "by", path) {
            Ok(Some((s, vspan))) => {
                let b = normalize::text(s).to_ascii_lowercase();
                match b.as_str() {
                    "none" | "risk" => Some(b),
                    _ => {
                        self.error(
                            vspan,
                            "strata.by",
                            PlanErrorKind::UnknownValue {
                                value: b.clone(),
                                accepted: "none, risk",
                            },
                        );
                        None
                    }
                }
            }
            Ok(None) => {
                self.error(span.clone(), "strata.by", PlanErrorKind::Missing);
                None
            }
            Err(()) => None,
        };
        match by.as_deref() {
            Some("none") => {
                let quota = self.quota(t, span, path, STRATA_NONE_KEYS)?;
                Some(Strata::None { quota })
            }
            Some("risk") => {
                self.check_keys(t, path, STRATA_RISK_KEYS);
                let mut classes = BTreeMap::new();
                let mut ok = true;
                for class in RiskClass::ALL {
                    let key = class.as_str();
                    let field = join(path, key);
                    if let Some((qt, qspan)) = self.table(t, key, path) {
                        match self.quota(qt, &qspan, &field, QUOTA_KEYS) {
                            Some(q) => {
                                classes.insert(*class, q);
                            }
                            None => ok = false,
                        }
                    } else if t.get(key).is_some() {
                        ok = false;
                    }
                }
                let unclassified = match self.table(t, "unclassified", path) {
                    Some((qt, qspan)) => {
                        let q = self.quota(qt, &qspan, "strata.unclassified", QUOTA_KEYS);
                        ok &= q.is_some();
                        q
                    }
                    None => {
                        ok &= t.get("unclassified").is_none();
                        None
                    }
                };
                if !ok {
                    return None;
                }
                if classes.is_empty() && unclassified.is_none() {
                    self.error(span.clone(), path, PlanErrorKind::NoStrata);
                    return None;
                }
                Some(Strata::Risk {
                    classes,
                    unclassified,
                })
            }
            _ => {
                // Without a valid `by`, still report unknown keys against the broadest set.
                let mut all: Vec<&str> = STRATA_NONE_KEYS.to_vec();
                all.extend(&STRATA_RISK_KEYS[1..]);
                for (k, _) in t.iter() {
                    let key: &str = k.get_ref();
                    if !all.contains(&key) {
                        self.error(
                            k.span(),
                            &join(path, key),
                            PlanErrorKind::UnknownKey {
                                key: key.to_owned(),
                                accepted: STRATA_BY_KEYS,
                            },
                        );
                    }
                }
                None
            }
        }
    }

    fn repeat(&mut self, t: &DeTable<'_>) -> Option<RepeatRules> {
        let path = "repeat";
        self.check_keys(t, path, REPEAT_KEYS);
        let entity_window_days = self.days(t, "entity_window_days", path);
        let entity_yearly_cap = self.small(t, "entity_yearly_cap", path, 1);
        let same_items_only = self.boolean(t, "same_items_only", path, false);
        let inspector_window_days = self.days(t, "inspector_window_days", path);
        Some(RepeatRules {
            entity_window_days: entity_window_days.ok()?,
            entity_yearly_cap: entity_yearly_cap.ok()?,
            same_items_only: same_items_only?,
            inspector_window_days: inspector_window_days.ok()?,
        })
    }

    fn team(
        &mut self,
        t: &DeTable<'_>,
        span: &Range<usize>,
        plan_items: Option<&[String]>,
    ) -> Option<TeamRules> {
        let path = "team";
        self.check_keys(t, path, TEAM_KEYS);
        let officers_value = t.get("officers");
        let officers = self.small(t, "officers", path, 0);
        let experts = self.small(t, "experts", path, 0);
        let exclude_same_region = self.boolean(t, "exclude_same_region", path, false);
        let workload_cap = self.small(t, "workload_cap", path, 1);
        let recusal_cap = self.small(t, "recusal_cap", path, 0);
        let departments = self.text_list(t, "departments", path);
        let joint = self.joint(t, plan_items);
        let officers = officers.ok()?;
        let joint = joint?;
        let departments = departments?;
        let officers_span = officers_value.map_or(span.clone(), Spanned::span);
        let officers = if joint.is_empty() {
            match officers {
                None => {
                    self.error(span.clone(), "team.officers", PlanErrorKind::Missing);
                    return None;
                }
                Some(n) => n,
            }
        } else {
            if !departments.is_empty() {
                let at = t.get("departments").map_or(span.clone(), Spanned::span);
                self.error(at, "team.departments", PlanErrorKind::DepartmentsInJoint);
                return None;
            }
            let sum: u64 = joint.iter().map(|j| u64::from(j.officers)).sum();
            match officers {
                Some(n) if u64::from(n) != sum => {
                    self.error(
                        officers_span,
                        "team.officers",
                        PlanErrorKind::JointOfficersMismatch {
                            officers: u64::from(n),
                            sum,
                        },
                    );
                    return None;
                }
                _ => {}
            }
            match u32::try_from(sum) {
                Ok(n) => n,
                Err(_) => {
                    self.error(
                        officers_span,
                        "team.officers",
                        PlanErrorKind::IntegerRange {
                            value: sum.to_string(),
                            min: 2,
                            max: u64::from(u32::MAX),
                        },
                    );
                    return None;
                }
            }
        };
        if officers < 2 {
            let at = if joint.is_empty() {
                officers_span
            } else {
                t.get("joint").map_or(span.clone(), Spanned::span)
            };
            let field = if joint.is_empty() || officers_value.is_some() {
                "team.officers"
            } else {
                "team.joint"
            };
            self.error(
                at,
                field,
                PlanErrorKind::TooFewOfficers {
                    officers: u64::from(officers),
                },
            );
            return None;
        }
        Some(TeamRules {
            officers,
            experts: experts.ok()?.unwrap_or(0),
            exclude_same_region: exclude_same_region?,
            workload_cap: workload_cap.ok()?,
            recusal_cap: recusal_cap.ok()?.unwrap_or(DEFAULT_RECUSAL_CAP),
            departments,
            joint,
        })
    }

    /// `[[team.joint]]`: validated against the plan's items (when those were readable).
    fn joint(
        &mut self,
        t: &DeTable<'_>,
        plan_items: Option<&[String]>,
    ) -> Option<Vec<JointDepartment>> {
        let Ok(got) = self.array(t, "joint", "team") else {
            return None;
        };
        let Some((arr, arr_span)) = got else {
            return Some(Vec::new());
        };
        let mut out = Vec::with_capacity(arr.len());
        let mut ok = true;
        let mut seen_departments: BTreeMap<String, ()> = BTreeMap::new();
        for (n, v) in arr.iter().enumerate() {
            let path = format!("team.joint[{n}]");
            let DeValue::Table(jt) = v.get_ref() else {
                self.wrong_type(v, &path, "table");
                ok = false;
                continue;
            };
            let jspan = v.span();
            self.check_keys(jt, &path, JOINT_KEYS);
            let department = self.text(jt, &jspan, "department", &path, true);
            let officers = match self.small(jt, "officers", &path, 1) {
                Ok(Some(n)) => Some(n),
                Ok(None) => {
                    self.error(
                        jspan.clone(),
                        &join(&path, "officers"),
                        PlanErrorKind::Missing,
                    );
                    None
                }
                Err(()) => None,
            };
            let items = match self.item_list(jt, "items", &path) {
                Ok(Some((list, _))) => {
                    let mut good = true;
                    if let Some(plan_items) = plan_items
                        && let Some((arr, _)) = self.array(jt, "items", &path).ok().flatten()
                    {
                        for (k, item) in list.iter().enumerate() {
                            if !plan_items.contains(item) {
                                let at = arr.get(k).map_or(jspan.clone(), Spanned::span);
                                self.error(
                                    at,
                                    &format!("{path}.items[{k}]"),
                                    PlanErrorKind::JointItemNotInPlan { item: item.clone() },
                                );
                                good = false;
                            }
                        }
                    }
                    good.then_some(list)
                }
                Ok(None) => {
                    self.error(jspan.clone(), &join(&path, "items"), PlanErrorKind::Missing);
                    None
                }
                Err(()) => None,
            };
            if let Some(d) = &department
                && seen_departments.insert(d.clone(), ()).is_some()
            {
                let at = jt.get("department").map_or(jspan.clone(), Spanned::span);
                self.error(
                    at,
                    &join(&path, "department"),
                    PlanErrorKind::JointDuplicateDepartment {
                        department: d.clone(),
                    },
                );
                ok = false;
            }
            match (department, officers, items) {
                (Some(department), Some(officers), Some(items)) => out.push(JointDepartment {
                    department,
                    officers,
                    items,
                }),
                _ => ok = false,
            }
        }
        if !ok {
            return None;
        }
        if let Some(plan_items) = plan_items {
            for item in plan_items {
                if !out.iter().any(|j| j.items.contains(item)) {
                    self.error(
                        arr_span.clone(),
                        "team.joint",
                        PlanErrorKind::JointItemUncovered { item: item.clone() },
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }
}

/// A percentage string → basis points, following the grammar of SPEC §4.
///
/// After [`normalize::fold_width`] and [`normalize::trim`]: ASCII digits, optionally `.` and
/// ASCII digits, optionally spaces (U+0020, so also a folded U+3000), then `%`. No sign, no
/// leading or trailing dot, no exponent, no spaces inside the number. The value must be a
/// whole number of basis points (`"2.50%"` is 250; `"2.555%"` is too precise).
fn percent_to_bp(s: &str) -> Result<u32, RatioProblem> {
    let folded = normalize::fold_width(s);
    let t = normalize::trim(&folded);
    let Some(number) = t.strip_suffix('%') else {
        return Err(RatioProblem::Format);
    };
    let number = number.trim_end_matches(' ');
    if let Some(rest) = number.strip_prefix('-') {
        // A sign is not part of the grammar; say "below 0 %" where that is what was meant.
        return match unsigned_decimal(rest) {
            Some((int, frac)) if !(int.is_empty() && frac.is_empty()) => {
                Err(RatioProblem::Negative)
            }
            _ => Err(RatioProblem::Format),
        };
    }
    let (int, frac) = unsigned_decimal(number).ok_or(RatioProblem::Format)?;
    scaled_to_bp(int, frac, 2)
}

/// `digits ("." digits)?` → (integer digits without leading zeros, fraction digits without
/// trailing zeros); `None` for anything else.
fn unsigned_decimal(s: &str) -> Option<(&str, &str)> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|f| !digits(f)) {
        return None;
    }
    Some((
        int.trim_start_matches('0'),
        frac.unwrap_or("").trim_end_matches('0'),
    ))
}

/// `int.frac × 10^scale` as basis points, exactly: `int` has no leading zeros and `frac` no
/// trailing zeros.
fn scaled_to_bp(int: &str, frac: &str, scale: usize) -> Result<u32, RatioProblem> {
    if int.len() > 6 {
        return Err(RatioProblem::AboveHundred);
    }
    if frac.len() > scale {
        return Err(RatioProblem::TooPrecise);
    }
    let mut bp: u64 = 0;
    for b in int.bytes().chain(frac.bytes()) {
        bp = bp * 10 + u64::from(b - b'0');
    }
    for _ in frac.len()..scale {
        bp *= 10;
    }
    if bp > 10_000 {
        return Err(RatioProblem::AboveHundred);
    }
    u32::try_from(bp).map_err(|_| RatioProblem::AboveHundred)
}

/// A TOML float's decimal text → basis points of the fraction it writes, exactly.
///
/// The text is TOML's (`0.05`, `5e-2`, `0.0_5`, `+0.05`, `-0.0`, `inf`, `nan`): its exact
/// decimal value is used, never a floating-point approximation, so `0.09999999999999999999`
/// is refused as finer than a basis point rather than read as 10 %.
fn float_fraction_to_bp(literal: &str) -> Result<u32, RatioProblem> {
    let cleaned: String = literal.chars().filter(|&c| c != '_').collect();
    let (negative, body) = match cleaned.as_bytes().first() {
        Some(b'-') => (true, &cleaned[1..]),
        Some(b'+') => (false, &cleaned[1..]),
        _ => (false, cleaned.as_str()),
    };
    if body == "inf" || body == "nan" {
        return Err(RatioProblem::NotFinite);
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, f),
        None => (mantissa, ""),
    };
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty()
        || !digits(int)
        || !digits(frac)
        || (mantissa.contains('.') && frac.is_empty())
    {
        return Err(RatioProblem::Format);
    }
    // value = all_digits × 10^(exp − frac.len()); work on the significant digits only.
    let all: String = format!("{int}{frac}");
    let significant = all.trim_start_matches('0');
    let trimmed = significant.trim_end_matches('0');
    if trimmed.is_empty() {
        return Ok(0); // zero, whatever its sign or exponent
    }
    if negative {
        return Err(RatioProblem::Negative);
    }
    let exp: i64 = match exponent {
        None => 0,
        Some(e) => {
            let (e_neg, e_digits) = match e.as_bytes().first() {
                Some(b'-') => (true, &e[1..]),
                Some(b'+') => (false, &e[1..]),
                _ => (false, e),
            };
            if e_digits.is_empty() || !digits(e_digits) {
                return Err(RatioProblem::Format);
            }
            let sig = e_digits.trim_start_matches('0');
            if sig.len() > 7 {
                // Beyond any useful exponent: the value is huge or tiny (it is not zero).
                return Err(if e_neg {
                    RatioProblem::TooPrecise
                } else {
                    RatioProblem::AboveHundred
                });
            }
            let n: i64 = if sig.is_empty() {
                0
            } else {
                sig.parse().map_err(|_| RatioProblem::Format)?
            };
            if e_neg { -n } else { n }
        }
    };
    // bp = trimmed × 10^(power), power = exp − frac.len() + zeros trimmed at the end + 4.
    let power = exp - frac.len() as i64 + (significant.len() - trimmed.len()) as i64 + 4;
    // Digits before the point of the basis-point value: more than five, or five followed by
    // more (non-zero) digits, is above 10 000.
    let whole_digits = trimmed.len() as i64 + power;
    if whole_digits > 5 || (whole_digits == 5 && power < 0) {
        return Err(RatioProblem::AboveHundred);
    }
    if power < 0 {
        return Err(RatioProblem::TooPrecise);
    }
    let mut bp: u64 = 0;
    for b in trimmed.bytes() {
        bp = bp * 10 + u64::from(b - b'0');
    }
    for _ in 0..power {
        bp *= 10;
    }
    if bp > 10_000 {
        return Err(RatioProblem::AboveHundred);
    }
    u32::try_from(bp).map_err(|_| RatioProblem::AboveHundred)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_exact() {
        assert_eq!(percent_to_bp("5%"), Ok(500));
        assert_eq!(percent_to_bp("2.5%"), Ok(250));
        assert_eq!(percent_to_bp("0.25%"), Ok(25));
        assert_eq!(percent_to_bp("0.01%"), Ok(1));
        assert_eq!(percent_to_bp("100%"), Ok(10_000));
        assert_eq!(percent_to_bp("100.00%"), Ok(10_000));
        assert_eq!(percent_to_bp(" ５％ "), Ok(500));
        assert_eq!(percent_to_bp("0%"), Ok(0));
        assert_eq!(percent_to_bp("2.5 %"), Ok(250));
        assert_eq!(percent_to_bp("１０％"), Ok(1000));
        assert_eq!(percent_to_bp("２．５\u{3000}％"), Ok(250));
        assert_eq!(percent_to_bp("2.50%"), Ok(250));
        assert_eq!(percent_to_bp("2.500%"), Ok(250));
        assert_eq!(percent_to_bp("-0%"), Err(RatioProblem::Format));
        assert_eq!(percent_to_bp("1 0%"), Err(RatioProblem::Format));
        assert_eq!(percent_to_bp("2.5\u{a0}%"), Err(RatioProblem::Format));
        assert_eq!(percent_to_bp("5%%"), Err(RatioProblem::Format));
        assert_eq!(percent_to_bp("\u{665}%"), Err(RatioProblem::Format));
        assert_eq!(percent_to_bp("5\u{fe6a}"), Err(RatioProblem::Format));
        assert_eq!(percent_to_bp("2.555%"), Err(RatioProblem::TooPrecise));
        assert_eq!(percent_to_bp("007%"), Ok(700));
        assert_eq!(percent_to_bp("150%"), Err(RatioProblem::AboveHundred));
        assert_eq!(percent_to_bp("100.01%"), Err(RatioProblem::AboveHundred));
        assert_eq!(
            percent_to_bp("99999999999999999999999%"),
            Err(RatioProblem::AboveHundred)
        );
        assert_eq!(percent_to_bp("-1%"), Err(RatioProblem::Negative));
        assert_eq!(percent_to_bp("0.001%"), Err(RatioProblem::TooPrecise));
        assert_eq!(percent_to_bp("5"), Err(RatioProblem::Format));
        assert_eq!(percent_to_bp("5.%"), Err(RatioProblem::Format));
        assert_eq!(percent_to_bp(".5%"), Err(RatioProblem::Format));
        assert_eq!(percent_to_bp("+5%"), Err(RatioProblem::Format));
        assert_eq!(percent_to_bp("1e2%"), Err(RatioProblem::Format));
        assert_eq!(percent_to_bp("%"), Err(RatioProblem::Format));
    }

    #[test]
    fn fractions_are_read_from_their_decimal_text() {
        assert_eq!(float_fraction_to_bp("0.05"), Ok(500));
        assert_eq!(float_fraction_to_bp("5e-2"), Ok(500));
        assert_eq!(float_fraction_to_bp("0.0_5"), Ok(500));
        assert_eq!(float_fraction_to_bp("0.1"), Ok(1000));
        assert_eq!(float_fraction_to_bp("0.3"), Ok(3000));
        assert_eq!(float_fraction_to_bp("0.0001"), Ok(1));
        assert_eq!(float_fraction_to_bp("1.0"), Ok(10_000));
        assert_eq!(float_fraction_to_bp("-0.0"), Ok(0));
        assert_eq!(float_fraction_to_bp("+0.05"), Ok(500));
        assert_eq!(float_fraction_to_bp("1e-1"), Ok(1000));
        assert_eq!(float_fraction_to_bp("1E-4"), Ok(1));
        assert_eq!(float_fraction_to_bp("100e-2"), Ok(10_000));
        assert_eq!(float_fraction_to_bp("0.1_0"), Ok(1000));
        assert_eq!(float_fraction_to_bp("0.10000000000000000000"), Ok(1000));
        assert_eq!(float_fraction_to_bp("0e99999999999999999999"), Ok(0));
        assert_eq!(
            float_fraction_to_bp("0.09999999999999999999"),
            Err(RatioProblem::TooPrecise)
        );
        assert_eq!(
            float_fraction_to_bp("0.10000000000000000001"),
            Err(RatioProblem::TooPrecise)
        );
        assert_eq!(
            float_fraction_to_bp("1e99999999999999999999"),
            Err(RatioProblem::AboveHundred)
        );
        assert_eq!(
            float_fraction_to_bp("1e-99999999999999999999"),
            Err(RatioProblem::TooPrecise)
        );
        assert_eq!(
            float_fraction_to_bp("1.00001"),
            Err(RatioProblem::AboveHundred)
        );
        assert_eq!(
            float_fraction_to_bp("0.00001"),
            Err(RatioProblem::TooPrecise)
        );
        assert_eq!(float_fraction_to_bp("1.5"), Err(RatioProblem::AboveHundred));
        assert_eq!(
            float_fraction_to_bp("1e300"),
            Err(RatioProblem::AboveHundred)
        );
        assert_eq!(float_fraction_to_bp("-0.01"), Err(RatioProblem::Negative));
        assert_eq!(float_fraction_to_bp("nan"), Err(RatioProblem::NotFinite));
        assert_eq!(float_fraction_to_bp("+inf"), Err(RatioProblem::NotFinite));
        assert_eq!(
            float_fraction_to_bp("1e-300"),
            Err(RatioProblem::TooPrecise)
        );
    }

    #[test]
    fn line_numbers_from_offsets() {
        let cx = Cx::new("p.toml", "a\nbc\n\nd");
        assert_eq!(cx.line_of(0), 1);
        assert_eq!(cx.line_of(1), 1);
        assert_eq!(cx.line_of(2), 2);
        assert_eq!(cx.line_of(5), 3);
        assert_eq!(cx.line_of(6), 4);
        assert_eq!(cx.line_of(100), 4);
    }
}
