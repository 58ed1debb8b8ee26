//! The office log: an append-only, hash-chained list of announcements, sheets, amendments
//! and voids, with signed checkpoints and fork proofs (SPEC §12).
//!
//! Each line is one entry's canonical JSON; each entry carries the SHA-256 of the previous
//! line. Every published document carries its own position in the log (`seq` and the
//! previous line's hash), so a signed document fixes the whole log before it. A rewritten,
//! dropped or reordered entry breaks the chain; a reset or forked log contradicts documents
//! and checkpoints that people kept, and two signed statements that disagree are a compact
//! [`ForkProof`] anyone can check with the office's key. One draw per task is live at a time:
//! a task is announced again only after its draw was voided, and voids are published.

use super::Timestamp;
use crate::digest::Digest32;
use crate::formats::files::FileError;
use crate::formats::jcs;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// `format` of checkpoints.
pub const CHECKPOINT_FORMAT: &str = "double-random/checkpoint";
/// `format` of fork proofs.
pub const FORK_PROOF_FORMAT: &str = "double-random/fork-proof";

/// What an entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// An announcement was published.
    Announcement,
    /// A sheet was published.
    Sheet,
    /// An amendment was published.
    Amendment,
    /// A draw was abandoned; it stays void.
    Void,
}

impl std::fmt::Display for EntryKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            EntryKind::Announcement => "announcement",
            EntryKind::Sheet => "sheet",
            EntryKind::Amendment => "amendment",
            EntryKind::Void => "void",
        })
    }
}

/// The task a draw belongs to: one live draw per task (SPEC §12.2).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// 抽查计划编号.
    pub plan_id: String,
    /// 抽查任务编号.
    pub task_id: String,
    /// 批次.
    pub batch: String,
}

impl Task {
    /// The task of a plan.
    ///
    /// ```
    /// let plan = double_random::draw::example_plan();
    /// let t = double_random::ceremony::log::Task::of(&double_random::ceremony::announce::PlanRef::of(&plan));
    /// assert_eq!(t.plan_id, plan.plan_id);
    /// ```
    pub fn of(plan: &super::announce::PlanRef) -> Self {
        Task {
            plan_id: plan.plan_id.clone(),
            task_id: plan.task_id.clone(),
            batch: plan.batch.clone(),
        }
    }
}

/// A document's own position in the log: the entry recording it has this `seq` and `prev`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// Line number of the entry (1, 2, …).
    pub seq: u64,
    /// Entry hash of the line before (`None` for line 1).
    pub prev: Option<Digest32>,
}

/// One log entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// 1, 2, 3, … without gaps.
    pub seq: u64,
    /// SHA-256 of the previous line's bytes (without its newline); `None` for entry 1.
    pub prev: Option<Digest32>,
    /// What is recorded.
    pub kind: EntryKind,
    /// The draw concerned.
    pub draw_id: String,
    /// Digest of the document recorded.
    pub document: Digest32,
    /// The draw's task.
    pub task: Task,
    /// The document's own time (UTC).
    pub time: Timestamp,
}

impl Entry {
    /// The entry's line: canonical JSON, no newline.
    pub fn to_line(&self) -> Result<Vec<u8>, jcs::JcsError> {
        jcs::to_canonical(self)
    }

    /// The entry's position.
    pub fn position(&self) -> Position {
        Position {
            seq: self.seq,
            prev: self.prev,
        }
    }
}

/// Where a draw stands in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DrawState {
    /// The log has no announcement of this draw.
    NotAnnounced,
    /// Announced; neither drawn nor voided.
    Pending,
    /// The sheet is recorded.
    Drawn,
    /// The draw was voided.
    Void,
}

impl std::fmt::Display for DrawState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DrawState::NotAnnounced => "the log holds no announcement of this draw",
            DrawState::Pending => "the log holds its announcement; it is not drawn yet",
            DrawState::Drawn => "the log already holds its sheet",
            DrawState::Void => "the log records it as void",
        })
    }
}

/// What is wrong with an entry's place in the order of a draw's entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OrderProblem {
    /// A second announcement of one draw id.
    AlreadyAnnounced,
    /// A sheet, amendment or void for a draw never announced.
    NeverAnnounced,
    /// A second sheet or void.
    AlreadyResolved,
    /// An amendment before the sheet.
    NoSheet,
    /// Anything after a void.
    AfterVoid,
}

impl std::fmt::Display for OrderProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            OrderProblem::AlreadyAnnounced => "the draw is already announced",
            OrderProblem::NeverAnnounced => "the draw was never announced",
            OrderProblem::AlreadyResolved => "the draw already has a sheet or a void",
            OrderProblem::NoSheet => "the draw has no sheet yet",
            OrderProblem::AfterVoid => "the draw is void",
        })
    }
}

/// A problem found in a log.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum LogFinding {
    /// A line is not a canonical entry.
    #[error("line {line}: not a valid log entry: {reason}")]
    BadLine {
        /// Line number.
        line: u64,
        /// Why.
        reason: BadEntry,
    },
    /// The sequence skips numbers (an entry was dropped).
    #[error("line {line}: sequence number {found}, expected {expected}: an entry is missing")]
    Gap {
        /// Line number.
        line: u64,
        /// Expected number.
        expected: u64,
        /// Found number.
        found: u64,
    },
    /// Two entries with one number.
    #[error("line {line}: sequence number {seq} appears again: the log forks")]
    Fork {
        /// Line number.
        line: u64,
        /// The number.
        seq: u64,
    },
    /// The previous-entry hash does not match.
    #[error("line {line}: does not chain to the line before it: an entry was rewritten")]
    BrokenChain {
        /// Line number.
        line: u64,
    },
    /// An entry's time is before the previous entry's.
    #[error("line {line}: its time goes back before the previous entry's")]
    TimeGoesBack {
        /// Line number.
        line: u64,
    },
    /// An announcement with neither sheet nor void (reported when strict).
    #[error("draw {draw_id}: announced (line {line}) but has neither a sheet nor a void")]
    Pending {
        /// Draw id.
        draw_id: String,
        /// Line of the announcement.
        line: u64,
    },
    /// An entry out of its draw's order.
    #[error("line {line}: {kind} entry for draw {draw_id}, but {problem}")]
    OutOfOrder {
        /// Line number.
        line: u64,
        /// Entry kind.
        kind: EntryKind,
        /// Draw id.
        draw_id: String,
        /// What is wrong.
        problem: OrderProblem,
    },
    /// An entry whose task differs from its draw's announcement.
    #[error("line {line}: draw {draw_id} is recorded with another task than its announcement's")]
    TaskMismatch {
        /// Line number.
        line: u64,
        /// Draw id.
        draw_id: String,
    },
    /// A second live draw of one task.
    #[error(
        "line {line}: draw {draw_id} announces a task whose draw {other} is still {state:?}: one live draw per task"
    )]
    TaskBusy {
        /// Line number.
        line: u64,
        /// The new draw.
        draw_id: String,
        /// The earlier draw of the task.
        other: String,
        /// Its state (pending or drawn).
        state: DrawState,
    },
    /// The last line has no newline (a torn write).
    #[error("the last line is not terminated")]
    Unterminated,
}

/// Every [`LogFinding::code`], in the order of the enum.
pub const LOG_FINDING_CODES: [&str; 10] = [
    "log.bad_line",
    "log.gap",
    "log.fork",
    "log.broken_chain",
    "log.time_goes_back",
    "log.pending",
    "log.out_of_order",
    "log.task_mismatch",
    "log.task_busy",
    "log.unterminated",
];

impl LogFinding {
    /// The stable code of this finding (one of [`LOG_FINDING_CODES`]).
    ///
    /// ```
    /// use double_random::ceremony::log::LogFinding;
    /// assert_eq!(LogFinding::Unterminated.code(), "log.unterminated");
    /// ```
    pub fn code(&self) -> &'static str {
        LOG_FINDING_CODES[match self {
            LogFinding::BadLine { .. } => 0,
            LogFinding::Gap { .. } => 1,
            LogFinding::Fork { .. } => 2,
            LogFinding::BrokenChain { .. } => 3,
            LogFinding::TimeGoesBack { .. } => 4,
            LogFinding::Pending { .. } => 5,
            LogFinding::OutOfOrder { .. } => 6,
            LogFinding::TaskMismatch { .. } => 7,
            LogFinding::TaskBusy { .. } => 8,
            LogFinding::Unterminated => 9,
        }]
    }

    /// The line the finding is about (for [`LogFinding::Pending`], its announcement's).
    pub fn line(&self) -> Option<u64> {
        match self {
            LogFinding::BadLine { line, .. }
            | LogFinding::Gap { line, .. }
            | LogFinding::Fork { line, .. }
            | LogFinding::BrokenChain { line }
            | LogFinding::TimeGoesBack { line }
            | LogFinding::Pending { line, .. }
            | LogFinding::OutOfOrder { line, .. }
            | LogFinding::TaskMismatch { line, .. }
            | LogFinding::TaskBusy { line, .. } => Some(*line),
            LogFinding::Unterminated => None,
        }
    }
}

/// Why a log line is not an entry ([`LogFinding::BadLine`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum BadEntry {
    /// The line is not JSON, or not an entry's shape (the JSON reader's line and column).
    NotAnEntry {
        /// Column in the line (1-based; 0 when unknown).
        column: u64,
    },
    /// The line is JSON but not in canonical form.
    NotCanonical {
        /// Offset of the first byte that differs from the canonical form.
        offset: u64,
    },
    /// A number in the line is not an integer in ±(2^53−1).
    Number {
        /// The JSON path of the number.
        path: String,
    },
}

impl BadEntry {
    fn of(e: &jcs::JcsError) -> Self {
        match e {
            jcs::JcsError::Syntax { column, .. } => BadEntry::NotAnEntry {
                column: *column as u64,
            },
            jcs::JcsError::NotCanonical { offset } => BadEntry::NotCanonical {
                offset: *offset as u64,
            },
            jcs::JcsError::Number { path, .. } => BadEntry::Number { path: path.clone() },
        }
    }
}

impl std::fmt::Display for BadEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BadEntry::NotAnEntry { column } => {
                write!(f, "not JSON of a log entry (column {column})")
            }
            BadEntry::NotCanonical { offset } => write!(
                f,
                "JSON is not in canonical form (RFC 8785): first difference at byte {offset}"
            ),
            BadEntry::Number { path } => {
                write!(f, "the number at {path} is not an integer in ±(2^53−1)")
            }
        }
    }
}

impl Divergence {
    /// The stable code: `log.truncated` or `log.forks`.
    pub fn code(&self) -> &'static str {
        match self {
            Divergence::Truncated { .. } => "log.truncated",
            Divergence::Differs { .. } => "log.forks",
        }
    }
}

/// One draw as the log records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrawRecord {
    /// Draw id.
    pub draw_id: String,
    /// Its task.
    pub task: Task,
    /// Where it stands.
    pub state: DrawState,
    /// Its entries, in log order.
    pub entries: Vec<Entry>,
}

impl DrawRecord {
    /// The entry of `kind` (the first one).
    pub fn entry(&self, kind: EntryKind) -> Option<&Entry> {
        self.entries.iter().find(|e| e.kind == kind)
    }
}

/// The result of checking a log.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogReport {
    /// Entries read.
    pub entries: Vec<Entry>,
    /// Problems.
    pub findings: Vec<LogFinding>,
    /// Hash of the last line (the head), if any.
    pub head: Option<Digest32>,
    /// Hash of every line, in order (line i at index i − 1).
    pub hashes: Vec<Digest32>,
}

impl LogReport {
    /// Whether the log is sound.
    pub fn is_ok(&self) -> bool {
        self.findings.is_empty()
    }

    /// The position the next entry takes.
    pub fn next_position(&self) -> Position {
        Position {
            seq: self.hashes.len() as u64 + 1,
            prev: self.head,
        }
    }

    /// Every draw, in the order of their announcements.
    pub fn draws(&self) -> Vec<DrawRecord> {
        draws(&self.entries)
    }

    /// Where `draw_id` stands.
    pub fn state(&self, draw_id: &str) -> DrawState {
        state_of(&self.entries, draw_id)
    }
}

/// Every draw in `entries`, in the order of their first entries.
pub fn draws(entries: &[Entry]) -> Vec<DrawRecord> {
    let mut order: Vec<String> = vec![];
    let mut by_id: BTreeMap<String, DrawRecord> = BTreeMap::new();
    for e in entries {
        let rec = by_id.entry(e.draw_id.clone()).or_insert_with(|| {
            order.push(e.draw_id.clone());
            DrawRecord {
                draw_id: e.draw_id.clone(),
                task: e.task.clone(),
                state: DrawState::NotAnnounced,
                entries: vec![],
            }
        });
        rec.state = advance(rec.state, e.kind);
        rec.entries.push(e.clone());
    }
    order
        .into_iter()
        .filter_map(|id| by_id.remove(&id))
        .collect()
}

fn advance(state: DrawState, kind: EntryKind) -> DrawState {
    match kind {
        EntryKind::Announcement => DrawState::Pending,
        EntryKind::Sheet => DrawState::Drawn,
        EntryKind::Void => DrawState::Void,
        EntryKind::Amendment => state,
    }
}

/// Where `draw_id` stands according to `entries`.
pub fn state_of(entries: &[Entry], draw_id: &str) -> DrawState {
    entries
        .iter()
        .filter(|e| e.draw_id == draw_id)
        .fold(DrawState::NotAnnounced, |s, e| advance(s, e.kind))
}

/// Checks a whole log (SPEC §12.2). `strict` also reports draws still pending.
///
/// ```
/// use double_random::ceremony::log::*;
/// use double_random::Digest32;
/// let task = Task { plan_id: "P".into(), task_id: "T".into(), batch: "".into() };
/// let e = next_entry(&check(b"", false), EntryKind::Announcement, "D1", Digest32([1; 32]),
///     &task, "2026-03-01T01:00:00Z".parse().unwrap());
/// let mut log = e.to_line().unwrap();
/// log.push(b'\n');
/// assert!(check(&log, false).is_ok());
/// assert!(!check(&log, true).is_ok()); // announced, neither drawn nor void
/// ```
pub fn check(bytes: &[u8], strict: bool) -> LogReport {
    let mut r = LogReport::default();
    if !bytes.is_empty() && !bytes.ends_with(b"\n") {
        r.findings.push(LogFinding::Unterminated);
    }
    let mut prev_hash: Option<Digest32> = None;
    let mut last_time: Option<Timestamp> = None;
    let mut seen_seq = BTreeSet::new();
    let mut expected = 1u64;
    let mut announced: BTreeMap<String, (u64, Task)> = BTreeMap::new();
    let mut states: BTreeMap<String, DrawState> = BTreeMap::new();
    let mut task_draws: BTreeMap<Task, Vec<String>> = BTreeMap::new();
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    if body.is_empty() {
        return r;
    }
    for (i, line) in body.split(|&b| b == b'\n').enumerate() {
        let ln = i as u64 + 1;
        let hash = Digest32::of(line);
        r.hashes.push(hash);
        let entry: Entry = match jcs::parse_canonical(line) {
            Ok(e) => e,
            Err(e) => {
                r.findings.push(LogFinding::BadLine {
                    line: ln,
                    reason: BadEntry::of(&e),
                });
                prev_hash = Some(hash);
                expected = expected.saturating_add(1);
                continue;
            }
        };
        if !seen_seq.insert(entry.seq) {
            r.findings.push(LogFinding::Fork {
                line: ln,
                seq: entry.seq,
            });
        } else if entry.seq != expected {
            r.findings.push(LogFinding::Gap {
                line: ln,
                expected,
                found: entry.seq,
            });
        }
        expected = entry.seq.saturating_add(1);
        if entry.prev != prev_hash {
            r.findings.push(LogFinding::BrokenChain { line: ln });
        }
        if last_time.is_some_and(|t| entry.time < t) {
            r.findings.push(LogFinding::TimeGoesBack { line: ln });
        }
        last_time = Some(entry.time);
        let state = states
            .get(&entry.draw_id)
            .copied()
            .unwrap_or(DrawState::NotAnnounced);
        let problem = match (entry.kind, state) {
            (EntryKind::Announcement, DrawState::NotAnnounced) => None,
            (EntryKind::Announcement, _) => Some(OrderProblem::AlreadyAnnounced),
            (_, DrawState::NotAnnounced) => Some(OrderProblem::NeverAnnounced),
            (_, DrawState::Void) => Some(OrderProblem::AfterVoid),
            (EntryKind::Sheet | EntryKind::Void, DrawState::Drawn) => {
                Some(OrderProblem::AlreadyResolved)
            }
            (EntryKind::Amendment, DrawState::Pending) => Some(OrderProblem::NoSheet),
            _ => None,
        };
        if let Some(problem) = problem {
            r.findings.push(LogFinding::OutOfOrder {
                line: ln,
                kind: entry.kind,
                draw_id: entry.draw_id.clone(),
                problem,
            });
        } else {
            if entry.kind == EntryKind::Announcement {
                let siblings = task_draws.entry(entry.task.clone()).or_default();
                for other in siblings.iter() {
                    let s = states.get(other).copied().unwrap_or(DrawState::Void);
                    if matches!(s, DrawState::Pending | DrawState::Drawn) {
                        r.findings.push(LogFinding::TaskBusy {
                            line: ln,
                            draw_id: entry.draw_id.clone(),
                            other: other.clone(),
                            state: s,
                        });
                    }
                }
                siblings.push(entry.draw_id.clone());
                announced.insert(entry.draw_id.clone(), (ln, entry.task.clone()));
            } else if announced
                .get(&entry.draw_id)
                .is_some_and(|(_, t)| *t != entry.task)
            {
                r.findings.push(LogFinding::TaskMismatch {
                    line: ln,
                    draw_id: entry.draw_id.clone(),
                });
            }
            states.insert(entry.draw_id.clone(), advance(state, entry.kind));
        }
        prev_hash = Some(hash);
        r.entries.push(entry);
    }
    if strict {
        for (draw_id, (line, _)) in announced {
            if states.get(&draw_id) == Some(&DrawState::Pending) {
                r.findings.push(LogFinding::Pending { draw_id, line });
            }
        }
    }
    r.head = prev_hash;
    r
}

/// Builds the entry that follows the log `report`.
pub fn next_entry(
    report: &LogReport,
    kind: EntryKind,
    draw_id: &str,
    document: Digest32,
    task: &Task,
    time: Timestamp,
) -> Entry {
    let p = report.next_position();
    Entry {
        seq: p.seq,
        prev: p.prev,
        kind,
        draw_id: draw_id.to_string(),
        document,
        task: task.clone(),
        time,
    }
}

/// Why an append was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppendError<E: std::error::Error + 'static = std::convert::Infallible> {
    /// The log's file could not be read or written (the folder layer's
    /// `bundle::append_with` and `bundle::read_log`).
    #[error(transparent)]
    File(#[from] FileError),
    /// The log is not sound; nothing is appended to a broken log.
    #[error("the log is damaged, nothing was appended: {0}")]
    Damaged(LogFinding),
    /// The entry does not fit the log (e.g. a second sheet for one draw).
    #[error("refused: {0}")]
    Refused(LogFinding),
    /// Canonical JSON failed.
    #[error(transparent)]
    Jcs(#[from] jcs::JcsError),
    /// The caller's own step failed (nothing was appended).
    #[error(transparent)]
    Step(E),
}

/// What a step under the log's lock records.
#[derive(Debug, Clone)]
pub struct Record {
    /// Kind of the entry.
    pub kind: EntryKind,
    /// The draw.
    pub draw_id: String,
    /// The document's digest.
    pub document: Digest32,
    /// The draw's task.
    pub task: Task,
    /// The document's time.
    pub time: Timestamp,
}

/// The log `current` as it stands, if it is sound: the report a step builds on.
///
/// Nothing is appended to a damaged log; the first finding is the refusal. The folder layer
/// (`bundle::append_with`) calls this under the log's lock, before the step runs.
///
/// ```
/// use double_random::ceremony::log::{AppendError, sound};
/// assert_eq!(sound::<std::convert::Infallible>(b"").unwrap().entries.len(), 0);
/// assert!(matches!(sound::<std::convert::Infallible>(b"{}\n"), Err(AppendError::Damaged(_))));
/// ```
pub fn sound<E: std::error::Error + 'static>(current: &[u8]) -> Result<LogReport, AppendError<E>> {
    let report = check(current, false);
    match report.findings.first() {
        Some(f) => Err(AppendError::Damaged(f.clone())),
        None => Ok(report),
    }
}

/// The entry that records `rec` after the sound log `report` of `current`, and its line.
///
/// The line (with its `\n`) is what is appended to `current`; the entry is checked against
/// the whole log first, so an entry that does not fit (e.g. a second sheet for one draw) is
/// refused and nothing is written.
///
/// ```
/// use double_random::ceremony::{Timestamp, log::*};
/// use double_random::Digest32;
/// let task = Task { plan_id: "P".into(), task_id: "T".into(), batch: "".into() };
/// let rec = Record {
///     kind: EntryKind::Announcement,
///     draw_id: "D1".into(),
///     document: Digest32([1; 32]),
///     task,
///     time: "2025-03-01T09:00:00Z".parse::<Timestamp>()?,
/// };
/// let report = sound::<std::convert::Infallible>(b"")?;
/// let (entry, line) = append_entry::<std::convert::Infallible>(b"", &report, rec)?;
/// assert_eq!(entry.seq, 1);
/// assert!(check(&line, true).findings.iter().all(|f| matches!(f, LogFinding::Pending { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn append_entry<E: std::error::Error + 'static>(
    current: &[u8],
    report: &LogReport,
    rec: Record,
) -> Result<(Entry, Vec<u8>), AppendError<E>> {
    let entry = next_entry(
        report,
        rec.kind,
        &rec.draw_id,
        rec.document,
        &rec.task,
        rec.time,
    );
    let mut line = entry.to_line()?;
    line.push(b'\n');
    let mut all = current.to_vec();
    all.extend_from_slice(&line);
    let after = check(&all, false);
    if let Some(f) = after.findings.first() {
        return Err(AppendError::Refused(f.clone()));
    }
    Ok((entry, line))
}

/// Would an announcement of `draw_id` for `task` be allowed now? Returns the refusal, and
/// otherwise the void the announcement must cite (`supersedes`), if the task was voided.
///
/// ```
/// use double_random::ceremony::log::*;
/// let task = Task { plan_id: "P".into(), task_id: "T".into(), batch: "".into() };
/// assert_eq!(may_announce(&check(b"", false), "D1", &task), Ok(None));
/// ```
pub fn may_announce(
    report: &LogReport,
    draw_id: &str,
    task: &Task,
) -> Result<Option<Digest32>, LogFinding> {
    let line = report.next_position().seq;
    if report.state(draw_id) != DrawState::NotAnnounced {
        return Err(LogFinding::OutOfOrder {
            line,
            kind: EntryKind::Announcement,
            draw_id: draw_id.to_string(),
            problem: OrderProblem::AlreadyAnnounced,
        });
    }
    let mut supersedes = None;
    for d in report.draws().into_iter().filter(|d| &d.task == task) {
        match d.state {
            DrawState::Pending | DrawState::Drawn => {
                return Err(LogFinding::TaskBusy {
                    line,
                    draw_id: draw_id.to_string(),
                    other: d.draw_id.clone(),
                    state: d.state,
                });
            }
            DrawState::Void => supersedes = d.entry(EntryKind::Void).map(|e| e.document),
            DrawState::NotAnnounced => {}
        }
    }
    Ok(supersedes)
}

// ---------------------------------------------------------------------------------------------
// Checkpoints, statements and fork proofs (SPEC §12.3, §12.5)
// ---------------------------------------------------------------------------------------------

/// A signed statement of the log's size and head.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// Always `double-random/checkpoint`.
    pub format: String,
    /// Algorithm version.
    pub version: String,
    /// The office key's id.
    pub key_id: String,
    /// Number of lines.
    pub size: u64,
    /// Entry hash of line `size` (`None` for an empty log).
    pub head: Option<Digest32>,
    /// When it was made.
    pub time: Timestamp,
}

impl Checkpoint {
    /// The checkpoint of a log.
    pub fn of(report: &LogReport, key_id: &str, time: Timestamp) -> Self {
        Checkpoint {
            format: CHECKPOINT_FORMAT.into(),
            version: super::announce::VERSION.into(),
            key_id: key_id.to_string(),
            size: report.hashes.len() as u64,
            head: report.head,
            time,
        }
    }

    /// File name: `checkpoint-<size>.json`.
    pub fn file_name(&self) -> String {
        format!("checkpoint-{}.json", self.size)
    }

    /// Canonical JSON bytes.
    pub fn to_canonical(&self) -> Result<Vec<u8>, jcs::JcsError> {
        jcs::to_canonical(self)
    }

    /// Parses a checkpoint, refusing non-canonical bytes and other formats.
    pub fn parse(bytes: &[u8]) -> Result<Self, super::CeremonyError> {
        let c: Checkpoint =
            jcs::parse_canonical(bytes).map_err(|e| super::CeremonyError::Document {
                document: "checkpoint",
                source: e,
            })?;
        super::check_format(&c.format, CHECKPOINT_FORMAT, &c.version)?;
        Ok(c)
    }
}

/// One thing a statement says about a log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "claim", rename_all = "snake_case")]
pub enum Claim {
    /// Line `line` has this entry hash.
    Hash {
        /// Line number.
        line: u64,
        /// Its entry hash.
        hash: Digest32,
    },
    /// Line `line` records this document.
    Records {
        /// Line number.
        line: u64,
        /// Entry kind.
        kind: EntryKind,
        /// Draw id.
        draw_id: String,
        /// Document digest.
        document: Digest32,
    },
}

impl Claim {
    /// The line the claim is about.
    pub fn line(&self) -> u64 {
        match self {
            Claim::Hash { line, .. } | Claim::Records { line, .. } => *line,
        }
    }
}

/// What a document at `position` claims about the log (SPEC §12.5).
pub fn document_claims(
    kind: EntryKind,
    draw_id: &str,
    document: Digest32,
    position: Position,
) -> Vec<Claim> {
    let mut v = vec![Claim::Records {
        line: position.seq,
        kind,
        draw_id: draw_id.to_string(),
        document,
    }];
    if let (Some(prev), true) = (position.prev, position.seq > 1) {
        v.push(Claim::Hash {
            line: position.seq - 1,
            hash: prev,
        });
    }
    v
}

/// What a checkpoint claims about the log.
pub fn checkpoint_claims(c: &Checkpoint) -> Vec<Claim> {
    match c.head {
        Some(hash) if c.size > 0 => vec![Claim::Hash { line: c.size, hash }],
        _ => vec![],
    }
}

/// How a log fails a claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Divergence {
    /// The log is shorter than the line claimed: truncated or reset.
    #[error(
        "the log has {size} lines; the statement speaks of line {line}: the log was truncated or reset"
    )]
    Truncated {
        /// Lines in the log.
        size: u64,
        /// The line claimed.
        line: u64,
    },
    /// The log's line differs from the claim: the log forks from the statement.
    #[error("line {line} of the log differs from what the statement signed: the log forks")]
    Differs {
        /// The line.
        line: u64,
    },
}

/// Whether the log `report` makes every claim true (it *extends* the statement).
pub fn extends(report: &LogReport, claims: &[Claim]) -> Result<(), Divergence> {
    let size = report.hashes.len() as u64;
    for c in claims {
        let line = c.line();
        if line == 0 || line > size {
            return Err(Divergence::Truncated { size, line });
        }
        let ok = match c {
            Claim::Hash { hash, .. } => report.hashes[line as usize - 1] == *hash,
            Claim::Records {
                kind,
                draw_id,
                document,
                ..
            } => report.entries.iter().any(|e| {
                e.seq == line && e.kind == *kind && &e.draw_id == draw_id && e.document == *document
            }),
        };
        if !ok {
            return Err(Divergence::Differs { line });
        }
    }
    Ok(())
}

/// A statement inside a fork proof: a signed file, as text, with its signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// File name, for people.
    pub file: String,
    /// The signed file's text (canonical JSON).
    pub document: String,
    /// Its `.minisig` text.
    pub signature: String,
}

/// A compact proof that one key signed two histories (SPEC §12.5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForkProof {
    /// Always `double-random/fork-proof`.
    pub format: String,
    /// Algorithm version.
    pub version: String,
    /// Number of the first line in `lines`.
    pub first_line: u64,
    /// Log lines (without newlines), anchored to one statement.
    pub lines: Vec<String>,
    /// The two statements.
    pub statements: Vec<Statement>,
}

/// Why a fork proof does not prove a fork.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ForkProofError {
    /// Not two statements, or not the fork-proof format.
    #[error("a fork proof holds exactly two statements of format {FORK_PROOF_FORMAT}")]
    Shape,
    /// A statement's signature does not verify under the key.
    #[error("statement {index} ({file}): the signature does not verify under this key")]
    Signature {
        /// 1 or 2.
        index: usize,
        /// Its file name.
        file: String,
    },
    /// A statement is not a checkpoint or a document with a position.
    #[error("statement {index} ({file}) is not a checkpoint or a document with a log position")]
    NotAStatement {
        /// 1 or 2.
        index: usize,
        /// Its file name.
        file: String,
    },
    /// The lines do not chain, or are anchored to neither statement.
    #[error("the log lines do not chain to either statement")]
    NotAnchored,
    /// The statements agree with each other (and with the lines).
    #[error("the two statements do not contradict each other")]
    NoContradiction,
}

/// What a fork proof proved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fork {
    /// The line at which the histories differ.
    pub line: u64,
    /// The claims that contradict.
    pub claims: (Claim, Claim),
}

/// The claims of one signed statement: its kind is read from its `format`.
pub fn statement_claims(bytes: &[u8]) -> Option<Vec<Claim>> {
    #[derive(Deserialize)]
    struct Head {
        format: String,
        #[serde(default)]
        draw_id: Option<String>,
        #[serde(default)]
        log: Option<Position>,
    }
    let head: Head = serde_json::from_slice(bytes).ok()?;
    if head.format == CHECKPOINT_FORMAT {
        return Checkpoint::parse(bytes).ok().map(|c| checkpoint_claims(&c));
    }
    let kind = match head.format.as_str() {
        super::announce::ANNOUNCEMENT_FORMAT => EntryKind::Announcement,
        super::sheet::SHEET_FORMAT => EntryKind::Sheet,
        super::amend::AMENDMENT_FORMAT => EntryKind::Amendment,
        super::void::VOID_FORMAT => EntryKind::Void,
        _ => return None,
    };
    jcs::parse_canonical::<serde_json::Value>(bytes).ok()?;
    Some(document_claims(
        kind,
        &head.draw_id?,
        Digest32::of(bytes),
        head.log?,
    ))
}

fn contradicts(a: &Claim, b: &Claim) -> bool {
    a.line() == b.line()
        && match (a, b) {
            (Claim::Hash { hash: x, .. }, Claim::Hash { hash: y, .. }) => x != y,
            (Claim::Records { .. }, Claim::Records { .. }) => a != b,
            _ => false,
        }
}

/// Checks a fork proof under the office's public key (SPEC §12.5).
pub fn verify_fork_proof(
    key: &crate::sign::PublicKey,
    proof: &ForkProof,
) -> Result<Fork, ForkProofError> {
    if proof.format != FORK_PROOF_FORMAT || proof.statements.len() != 2 {
        return Err(ForkProofError::Shape);
    }
    let mut all = vec![];
    for (i, s) in proof.statements.iter().enumerate() {
        let bad_sig = || ForkProofError::Signature {
            index: i + 1,
            file: s.file.clone(),
        };
        let sig = crate::sign::Signature::parse(&s.signature).map_err(|_| bad_sig())?;
        let signed =
            crate::sign::verify(key, s.document.as_bytes(), &sig).map_err(|_| bad_sig())?;
        // A comment of the §14 / §12.3 form must name this very document.
        if let Ok(fields) = signed.fields()
            && let Some(d) = fields.get("sha256")
            && d != Digest32::of(s.document.as_bytes()).to_hex()
        {
            return Err(bad_sig());
        }
        let claims = statement_claims(s.document.as_bytes()).ok_or_else(|| {
            ForkProofError::NotAStatement {
                index: i + 1,
                file: s.file.clone(),
            }
        })?;
        all.push(claims);
    }
    // (a) direct contradiction.
    for a in &all[0] {
        for b in &all[1] {
            if contradicts(a, b) {
                return Ok(Fork {
                    line: a.line(),
                    claims: (a.clone(), b.clone()),
                });
            }
        }
    }
    // Two announcements of one draw under one key.
    let ann = |cs: &Vec<Claim>| {
        cs.iter().find_map(|c| match c {
            Claim::Records {
                kind: EntryKind::Announcement,
                draw_id,
                document,
                ..
            } => Some((draw_id.clone(), *document)),
            _ => None,
        })
    };
    if let (Some((d1, x1)), Some((d2, x2))) = (ann(&all[0]), ann(&all[1]))
        && d1 == d2
        && x1 != x2
    {
        let (a, b) = (all[0][0].clone(), all[1][0].clone());
        return Ok(Fork {
            line: a.line().min(b.line()),
            claims: (a, b),
        });
    }
    if proof.lines.is_empty() {
        return Err(ForkProofError::NoContradiction);
    }
    // (b) lines anchored to one statement, contradicting the other.
    let mut facts = vec![];
    let mut prev: Option<Digest32> = None;
    for (i, text) in proof.lines.iter().enumerate() {
        let line = proof.first_line + i as u64;
        let entry: Entry =
            jcs::parse_canonical(text.as_bytes()).map_err(|_| ForkProofError::NotAnchored)?;
        if entry.seq != line || (i > 0 && entry.prev != prev) {
            return Err(ForkProofError::NotAnchored);
        }
        if i == 0
            && let (Some(p), true) = (entry.prev, line > 1)
        {
            facts.push(Claim::Hash {
                line: line - 1,
                hash: p,
            });
        }
        let hash = Digest32::of(text.as_bytes());
        facts.push(Claim::Hash { line, hash });
        facts.push(Claim::Records {
            line,
            kind: entry.kind,
            draw_id: entry.draw_id.clone(),
            document: entry.document,
        });
        prev = Some(hash);
    }
    let last = proof.first_line + proof.lines.len() as u64 - 1;
    let first = proof.first_line;
    let anchored = |claims: &Vec<Claim>| {
        claims.iter().any(|c| c.line() == last)
            && claims
                .iter()
                .filter(|c| c.line() + 1 >= first && c.line() <= last)
                .all(|c| facts.contains(c))
    };
    for (anchor, other) in [(0usize, 1usize), (1, 0)] {
        if !anchored(&all[anchor]) {
            continue;
        }
        for c in &all[other] {
            if let Some(f) = facts.iter().find(|f| contradicts(f, c)) {
                return Ok(Fork {
                    line: c.line(),
                    claims: (f.clone(), c.clone()),
                });
            }
        }
    }
    Err(ForkProofError::NotAnchored)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(t: &str) -> Task {
        Task {
            plan_id: "P".into(),
            task_id: t.into(),
            batch: String::new(),
        }
    }

    fn push(log: &mut Vec<u8>, kind: EntryKind, draw: &str, t: &str, doc: u8, time: &str) {
        let r = check(log, false);
        let e = next_entry(
            &r,
            kind,
            draw,
            Digest32([doc; 32]),
            &task(t),
            time.parse().unwrap(),
        );
        log.extend(e.to_line().unwrap());
        log.push(b'\n');
    }

    #[test]
    fn one_live_draw_per_task() {
        let mut log = vec![];
        push(
            &mut log,
            EntryKind::Announcement,
            "D1",
            "T",
            1,
            "2026-03-01T01:00:00Z",
        );
        assert!(check(&log, false).is_ok());
        let mut twice = log.clone();
        push(
            &mut twice,
            EntryKind::Announcement,
            "D2",
            "T",
            2,
            "2026-03-01T01:00:00Z",
        );
        assert!(matches!(
            check(&twice, false).findings[..],
            [LogFinding::TaskBusy { .. }]
        ));
        assert!(matches!(
            may_announce(&check(&log, false), "D2", &task("T")),
            Err(LogFinding::TaskBusy { .. })
        ));
        // Another task is free.
        assert_eq!(
            may_announce(&check(&log, false), "D2", &task("U")),
            Ok(None)
        );
        // After a void the task is free again, and the next announcement must cite the void.
        push(
            &mut log,
            EntryKind::Void,
            "D1",
            "T",
            9,
            "2026-03-01T02:00:00Z",
        );
        assert_eq!(
            may_announce(&check(&log, false), "D2", &task("T")),
            Ok(Some(Digest32([9; 32])))
        );
        push(
            &mut log,
            EntryKind::Announcement,
            "D2",
            "T",
            2,
            "2026-03-01T03:00:00Z",
        );
        assert!(
            check(&log, true)
                .findings
                .iter()
                .all(|f| matches!(f, LogFinding::Pending { .. }))
        );
    }

    #[test]
    fn time_cannot_go_back() {
        let mut log = vec![];
        push(
            &mut log,
            EntryKind::Announcement,
            "D1",
            "T",
            1,
            "2026-03-01T02:00:00Z",
        );
        push(
            &mut log,
            EntryKind::Void,
            "D1",
            "T",
            2,
            "2026-03-01T01:00:00Z",
        );
        assert_eq!(
            check(&log, false).findings,
            vec![LogFinding::TimeGoesBack { line: 2 }]
        );
    }

    #[test]
    fn a_reset_log_does_not_extend_an_earlier_statement() {
        let mut log = vec![];
        push(
            &mut log,
            EntryKind::Announcement,
            "D0",
            "S",
            7,
            "2026-03-01T00:00:00Z",
        );
        push(
            &mut log,
            EntryKind::Announcement,
            "D1",
            "T",
            1,
            "2026-03-01T01:00:00Z",
        );
        let r = check(&log, false);
        let held = document_claims(
            EntryKind::Announcement,
            "D1",
            Digest32([1; 32]),
            r.entries[1].position(),
        );
        assert_eq!(extends(&r, &held), Ok(()));
        let mut reset = vec![];
        push(
            &mut reset,
            EntryKind::Announcement,
            "D1",
            "T",
            3,
            "2026-03-01T01:00:00Z",
        );
        assert_eq!(
            extends(&check(&reset, false), &held),
            Err(Divergence::Truncated { size: 1, line: 2 })
        );
        push(
            &mut reset,
            EntryKind::Announcement,
            "D2",
            "U",
            4,
            "2026-03-01T01:00:00Z",
        );
        assert_eq!(
            extends(&check(&reset, false), &held),
            Err(Divergence::Differs { line: 2 })
        );
    }
}
