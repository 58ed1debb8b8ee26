//! The office log: an append-only, hash-chained list of announcements, sheets, amendments
//! and voids (SPEC §12).
//!
//! Each line is one entry's canonical JSON; each entry carries the SHA-256 of the previous
//! line. A rewritten entry breaks the chain after it, a dropped entry leaves a gap in the
//! sequence numbers, a fork shows as two entries with one number, and an announcement that
//! has neither a sheet nor a void is reported, so a draw cannot be quietly re-run until it
//! pleases. An abandoned draw is recorded as void, never deleted.

use super::Timestamp;
use crate::digest::Digest32;
use crate::formats::files::{FileError, LogFile};
use crate::formats::jcs;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What an entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
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
    /// Digest of the document recorded (for a void: of the announcement voided).
    pub document: Digest32,
    /// When (UTC).
    pub time: Timestamp,
    /// Free note (the reason of a void).
    pub note: String,
}

impl Entry {
    /// The entry's line: canonical JSON, no newline.
    pub fn to_line(&self) -> Result<Vec<u8>, jcs::JcsError> {
        jcs::to_canonical(self)
    }
}

/// A problem found in a log.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LogFinding {
    /// A line is not a canonical entry.
    #[error("line {line}: not a valid log entry: {reason}")]
    BadLine {
        /// Line number.
        line: u64,
        /// Why.
        reason: String,
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
    /// An announcement with neither sheet nor void.
    #[error("draw {draw_id}: announced (line {line}) but has neither a sheet nor a void")]
    Unresolved {
        /// Draw id.
        draw_id: String,
        /// Line of the announcement.
        line: u64,
    },
    /// A sheet, amendment or void for a draw that was never announced, or announced twice.
    #[error("line {line}: {kind:?} for draw {draw_id}, which {problem}")]
    OutOfOrder {
        /// Line number.
        line: u64,
        /// Entry kind.
        kind: EntryKind,
        /// Draw id.
        draw_id: String,
        /// What is wrong.
        problem: &'static str,
    },
    /// The last line has no newline (a torn write).
    #[error("the last line is not terminated")]
    Unterminated,
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
}

impl LogReport {
    /// Whether the log is sound.
    pub fn is_ok(&self) -> bool {
        self.findings.is_empty()
    }
}

/// Checks a whole log (SPEC §12.3). `allow_pending` accepts draws announced but not yet
/// drawn (the newest announcements, whose draw is still to come).
///
/// ```
/// use double_random::ceremony::log::*;
/// use double_random::digest::Digest32;
/// let e = next_entry(None, EntryKind::Announcement, "D1", Digest32([1; 32]),
///     "2026-03-01T01:00:00Z".parse().unwrap(), "").unwrap();
/// let mut log = e.to_line().unwrap();
/// log.push(b'\n');
/// assert!(check(&log, true).is_ok());
/// assert!(!check(&log, false).is_ok()); // announced, neither drawn nor void
/// ```
pub fn check(bytes: &[u8], allow_pending: bool) -> LogReport {
    let mut r = LogReport::default();
    if !bytes.is_empty() && !bytes.ends_with(b"\n") {
        r.findings.push(LogFinding::Unterminated);
    }
    let mut prev_hash: Option<Digest32> = None;
    let mut seen_seq = BTreeSet::new();
    let mut expected = 1u64;
    let mut announced: BTreeMap<String, u64> = BTreeMap::new();
    let mut resolved: BTreeSet<String> = BTreeSet::new();
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let ln = i as u64 + 1;
        if line.is_empty() {
            continue;
        }
        let hash = Digest32::of(line);
        let entry: Entry = match jcs::parse_canonical(line) {
            Ok(e) => e,
            Err(e) => {
                r.findings.push(LogFinding::BadLine {
                    line: ln,
                    reason: e.to_string(),
                });
                prev_hash = Some(hash);
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
        let problem = match entry.kind {
            EntryKind::Announcement => announced
                .insert(entry.draw_id.clone(), ln)
                .map(|_| "was already announced"),
            EntryKind::Sheet | EntryKind::Void => {
                if !announced.contains_key(&entry.draw_id) {
                    Some("was never announced")
                } else if !resolved.insert(entry.draw_id.clone()) {
                    Some("already has a sheet or a void")
                } else {
                    None
                }
            }
            EntryKind::Amendment => (!resolved.contains(&entry.draw_id)).then_some("has no sheet"),
        };
        if let Some(problem) = problem {
            r.findings.push(LogFinding::OutOfOrder {
                line: ln,
                kind: entry.kind,
                draw_id: entry.draw_id.clone(),
                problem,
            });
        }
        prev_hash = Some(hash);
        r.entries.push(entry);
    }
    if !allow_pending {
        for (draw_id, line) in announced {
            if !resolved.contains(&draw_id) {
                r.findings.push(LogFinding::Unresolved { draw_id, line });
            }
        }
    }
    r.head = prev_hash;
    r
}

/// Builds the entry that follows a log whose head is `head` and last seq is implied by it.
pub fn next_entry(
    last: Option<&Entry>,
    kind: EntryKind,
    draw_id: &str,
    document: Digest32,
    time: Timestamp,
    note: &str,
) -> Result<Entry, jcs::JcsError> {
    Ok(Entry {
        seq: last.map_or(1, |e| e.seq + 1),
        prev: last
            .map(|e| e.to_line().map(|l| Digest32::of(&l)))
            .transpose()?,
        kind,
        draw_id: draw_id.to_string(),
        document,
        time,
        note: note.to_string(),
    })
}

/// Why an append was refused.
#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    /// The file could not be read or written.
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
}

/// Appends one entry under the log's lock, after checking the whole log and the new entry.
///
/// Returns the entry written.
pub fn append(
    path: &Path,
    kind: EntryKind,
    draw_id: &str,
    document: Digest32,
    time: Timestamp,
    note: &str,
) -> Result<Entry, AppendError> {
    let log = LogFile::open(path)?;
    let mut written = None;
    log.with_lock(|current| {
        let report = check(current, true);
        if let Some(f) = report.findings.first() {
            return Err(AppendError::Damaged(f.clone()));
        }
        let entry = next_entry(report.entries.last(), kind, draw_id, document, time, note)?;
        let mut line = entry.to_line()?;
        line.push(b'\n');
        let mut all = current.to_vec();
        all.extend_from_slice(&line);
        let after = check(&all, true);
        if let Some(f) = after.findings.first() {
            return Err(AppendError::Refused(f.clone()));
        }
        written = Some(entry);
        Ok(Some(line))
    })?;
    written.ok_or_else(|| {
        AppendError::Refused(LogFinding::BadLine {
            line: 0,
            reason: "nothing written".into(),
        })
    })
}

/// The head (hash of the last line) of the log at `path`; `None` if empty or missing.
pub fn head(path: &Path) -> Result<Option<Digest32>, AppendError> {
    if !path.exists() {
        return Ok(None);
    }
    let bytes = LogFile::open(path)?.read()?;
    let report = check(&bytes, true);
    if let Some(f) = report.findings.first() {
        return Err(AppendError::Damaged(f.clone()));
    }
    Ok(report.head)
}
