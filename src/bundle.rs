//! Draw folders on disk: the file layer shared by the command line and by embedders.
//!
//! The ceremony modules work on bytes and values; this module decides where those bytes live.
//! A **draw folder** is what an office publishes (or hands to a discipline inspector) for one
//! draw; a **private folder** holds what must never be published; the **office log** chains
//! every draw of the office.
//!
//! | file | where | written by |
//! |---|---|---|
//! | `announcement.json` + `.minisig` | draw folder | [`announce`] |
//! | `sheet.json` + `.minisig` | draw folder | [`draw()`] |
//! | `amendment-<n>.json` + `.minisig` | draw folder | [`amend()`] |
//! | `organizer.pub` | draw folder (copied at announcement) | [`announce`] |
//! | `entities.csv` (or `.xlsx`), `inspectors.csv` (or `.xlsx`), `items.csv`, `conflicts.csv`, `history.csv`, `plan.toml` | draw folder (copied at announcement) | [`announce`] |
//! | `organizer.key` | private folder, mode 0600 | [`PrivateDir::write_key`] |
//! | `secrets/<draw id>/<party>.secret` | private folder, mode 0600 | [`PrivateDir::write_secret`] |
//! | `office.log` | the office folder | every step, through [`log::append_with`] |
//!
//! Records are written with [`files::write_new`]: an announcement, a sheet, an amendment or a
//! log entry is never overwritten. Secrets are written with [`files::write_secret_new`] and
//! wiped from memory after use. Every error names the file, and for inputs the line and field.
//!
//! The auditor's single call is [`verify_dir`]: it loads whatever the folder holds and checks as
//! deep as that allows (a full replay when every input is there).
//!
//! ```
//! use double_random::bundle::{self, PrivateDir};
//! use double_random::sign::SecretKey;
//!
//! let office = tempfile::tempdir()?;
//! let private = PrivateDir::new(office.path().join("private"));
//! let key = SecretKey::generate()?;
//! private.write_key(&key)?;
//! assert_eq!(private.read_key()?.key_id(), key.key_id());
//! // A second key would replace the first: refused.
//! assert!(private.write_key(&SecretKey::generate()?).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::ceremony::amend::{Action, Amendment, Reason};
use crate::ceremony::announce::{Announcement, InputDigests};
use crate::ceremony::beacon::{BeaconSpec, BeaconValue};
use crate::ceremony::commit::{Role, Secret, SecretError};
use crate::ceremony::log::{self, AppendError, Entry, EntryKind, LogReport};
use crate::ceremony::sheet::Sheet;
use crate::ceremony::steps::{self, Signed, StepError, Stored};
use crate::ceremony::verify::{self, Finding, Published, Report, SignedDocument};
use crate::ceremony::void::{Void, VoidReason};
use crate::ceremony::{CeremonyError, Timestamp};
use crate::digest::Digest32;
use crate::draw::{self, DrawError, DrawInputs};
use crate::formats::error::{InputErrors, InputWarning};
use crate::formats::files::{self, FileError};
use crate::formats::plan_toml;
use crate::formats::roster::{Columns, Roster, Table, needed_fields};
use crate::formats::{entity_scan, roster_csv};
use crate::model::{Conflict, Entity, HistoryRecord, Inspector, Item, Plan};
use crate::names::{NameError, NameKind};
use crate::sign::{self, PublicKey, SecretKey, SignError, Signature, TrustedComment};
use std::io::Read;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

pub use crate::ceremony::steps::{
    ANNOUNCEMENT_FILE, SHEET_FILE, SIGNATURE_EXTENSION, TIMESTAMP_FILE, VOID_FILE, amendment_file,
    sign_document, signature_file,
};
/// Folder of the log's signed checkpoints, beside the log (SPEC §12.3).
pub const CHECKPOINT_DIR: &str = "checkpoints";
/// `organizer.pub`: the organizer's public key, minisign format.
pub const PUBLIC_KEY_FILE: &str = "organizer.pub";
/// `organizer.key`: the organizer's secret key (private folder only).
pub const SECRET_KEY_FILE: &str = "organizer.key";
/// `plan.toml`.
pub const PLAN_FILE: &str = "plan.toml";
/// `office.log`: the office's hash-chained log.
pub const LOG_FILE: &str = "office.log";
/// The folder of seed secrets inside the private folder.
pub const SECRETS_DIR: &str = "secrets";

/// The largest announcement, sheet or amendment read (256 MiB).
pub const MAX_DOCUMENT_BYTES: u64 = 256 << 20;
pub use crate::formats::files::MAX_SMALL_FILE_BYTES;

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// What a missing file is ([`BundleError::Missing`]), so that messages can name it in any
/// language without matching English text.
///
/// ```
/// use double_random::bundle::Needed;
/// assert_eq!(Needed::Sheet.to_string(), "the result sheet");
/// assert_eq!(Needed::Sheet.code(), "missing.sheet");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Needed {
    /// `announcement.json`.
    Announcement,
    /// `sheet.json`.
    Sheet,
    /// `sheet.json`, asked for by an amendment (amendments follow the draw).
    SheetBeforeAmendment,
    /// An `amendment-<n>.json`.
    Amendment,
    /// `void.json`.
    Void,
    /// The organizer's public key.
    PublicKey,
    /// The organizer's secret key (made by `keygen`).
    SecretKey,
    /// A party's seed secret.
    Secret,
    /// A document's signature.
    Signature,
}

impl Needed {
    /// Every [`Needed::code`].
    pub const CODES: [&'static str; 9] = [
        "missing.announcement",
        "missing.sheet",
        "missing.sheet_before_amendment",
        "missing.amendment",
        "missing.void",
        "missing.public_key",
        "missing.secret_key",
        "missing.secret",
        "missing.signature",
    ];

    /// The stable code of this kind of file (one of [`Needed::CODES`]).
    pub fn code(self) -> &'static str {
        Self::CODES[self as usize]
    }
}

impl std::fmt::Display for Needed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Needed::Announcement => "the announcement",
            Needed::Sheet => "the result sheet",
            Needed::SheetBeforeAmendment => "the result sheet (amendments follow the draw)",
            Needed::Amendment => "an amendment",
            Needed::Void => "the void",
            Needed::PublicKey => "the organizer's public key",
            Needed::SecretKey => "the organizer's secret key (made by keygen)",
            Needed::Secret => "a seed secret",
            Needed::Signature => "the signature",
        })
    }
}

/// Why a step on a draw folder could not be done. Every variant names the file concerned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    /// The inputs have problems; every one found is listed.
    #[error("{0}")]
    Inputs(InputProblems),
    /// A file could not be read or written, or already exists.
    #[error(transparent)]
    File(#[from] FileError),
    /// A file that this step needs is absent.
    #[error("{}: missing ({what})", path.display())]
    Missing {
        /// The path looked for.
        path: PathBuf,
        /// What the file is.
        what: Needed,
    },
    /// A record this step would write is already there; nothing was changed.
    #[error("{}: already exists; records are never overwritten", path.display())]
    Exists {
        /// The record.
        path: PathBuf,
    },
    /// A file is not text in UTF-8.
    #[error("{}: not UTF-8 text", path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
    },
    /// A document (announcement, sheet, amendment) is invalid or refused by the ceremony.
    #[error("{}: {source}", path.display())]
    Document {
        /// The document (or the draw folder, for a step refused as a whole).
        path: PathBuf,
        /// Why.
        source: CeremonyError,
    },
    /// A key or signature file is invalid, or a signature does not verify.
    #[error("{}: {source}", path.display())]
    Sign {
        /// The file.
        path: PathBuf,
        /// Why.
        source: SignError,
    },
    /// A secret file does not hold a secret.
    #[error("{}: {source}", path.display())]
    Secret {
        /// The file.
        path: PathBuf,
        /// Why.
        source: SecretError,
    },
    /// The office log refused the entry or is damaged.
    #[error("{}: {source}", path.display())]
    Log {
        /// The log.
        path: PathBuf,
        /// Why.
        source: AppendError,
    },
    /// A draw id or party name breaks the rules of SPEC §3.6.
    #[error(transparent)]
    BadName(#[from] NameError),
    /// The private folder lies inside the draw folder, which is published.
    #[error(
        "the private folder {} lies inside the draw folder {}, which is published; choose a private folder elsewhere",
        private.display(), draw.display()
    )]
    PrivateInsidePublished {
        /// The private folder.
        private: PathBuf,
        /// The draw folder.
        draw: PathBuf,
    },
    /// A step that needs a secret for a party has none.
    #[error("no secret for party {party:?}: {hint}")]
    MissingReveal {
        /// The party.
        party: String,
        /// Where it was looked for.
        hint: String,
    },
    /// A secret was given for a name the announcement does not list.
    #[error("a secret was given for {party:?}, which the announcement does not list")]
    UnknownParty {
        /// The name given.
        party: String,
    },
    /// The draw is not due yet.
    #[error("the draw is scheduled for {scheduled_at}; it is now {now}")]
    NotYetDue {
        /// Scheduled time.
        scheduled_at: Timestamp,
        /// The time given for the draw.
        now: Timestamp,
    },
    /// The log does not allow this step for this draw (already drawn, voided, never announced).
    #[error("{}: draw {draw_id}: {state}", log.display())]
    LogState {
        /// The log.
        log: PathBuf,
        /// The draw.
        draw_id: String,
        /// What the log says.
        state: DrawState,
    },
    /// A drawn draw cannot be voided: amendments are the way.
    #[error("{}: the draw has its sheet; a drawn draw cannot be voided, record an amendment instead", path.display())]
    AlreadyDrawn {
        /// The sheet.
        path: PathBuf,
    },
    /// Canonical JSON failed (not expected for the documents of this crate).
    #[error(transparent)]
    Jcs(#[from] crate::formats::jcs::JcsError),
}

impl BundleError {
    /// Whether the step was refused because a record already exists (or the log already
    /// records the step), as opposed to a failure.
    ///
    /// ```
    /// use double_random::bundle::BundleError;
    /// let e = BundleError::Exists { path: "sheet.json".into() };
    /// assert!(e.is_refusal_to_overwrite());
    /// ```
    pub fn is_refusal_to_overwrite(&self) -> bool {
        match self {
            BundleError::Exists { .. } => true,
            BundleError::File(FileError::AlreadyExists { .. }) => true,
            BundleError::Log {
                source: AppendError::Refused(_),
                ..
            } => true,
            BundleError::LogState { state, .. } => !matches!(state, DrawState::NotAnnounced),
            _ => false,
        }
    }
}

fn sign_error(path: &Path, source: SignError) -> BundleError {
    BundleError::Sign {
        path: path.to_path_buf(),
        source,
    }
}

fn doc_error(path: &Path, source: CeremonyError) -> BundleError {
    BundleError::Document {
        path: path.to_path_buf(),
        source,
    }
}

fn log_error(path: &Path, source: AppendError) -> BundleError {
    BundleError::Log {
        path: path.to_path_buf(),
        source,
    }
}

/// Checks a draw id or party name against SPEC §3.6.
///
/// `what` is `"draw id"` or `"party name"` (anything else is checked as a draw id). Names
/// become folder and file names and are shown to people, so only letters and digits of any
/// script, combining marks after letters, `-` `_` `.` (and in party names inner spaces and `·`)
/// are accepted; invisible, direction-changing and look-alike characters are refused, as are
/// names Windows cannot use (`CON`, `NUL.txt`, a trailing dot).
///
/// ```
/// use double_random::bundle::check_name;
/// assert!(check_name("draw id", "GZ-2026-01-T01-1").is_ok());
/// assert!(check_name("party name", "纪检监督员").is_ok());
/// assert!(check_name("draw id", "../x").is_err());
/// assert!(check_name("draw id", "GZ-2026-01\u{200b}").is_err());
/// ```
pub fn check_name(what: &'static str, value: &str) -> Result<(), BundleError> {
    let kind = if what == "party name" {
        NameKind::PartyName
    } else {
        NameKind::DrawId
    };
    Ok(crate::names::check(kind, value)?)
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

pub use crate::formats::InputProblem;

/// Something accepted in the inputs but worth a look.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputNote {
    /// A roster reader's warning (for example a failed secondary check character).
    #[error(transparent)]
    Roster(InputWarning),
    /// Columns of a roster whose headers name no field: their values were not read.
    #[error("{file}: columns ignored (not a field of the {table} table): {}", headers.join(", "))]
    IgnoredColumns {
        /// The roster file.
        file: String,
        /// Its table.
        table: crate::formats::roster::Table,
        /// The headers of the ignored columns, as written, in file order.
        headers: Vec<String>,
    },
    /// A conflicts or history row names an id that is not in the roster it refers to.
    #[error("{file}:{line}: {field} {id} is not in {roster}")]
    UnknownReference {
        /// The conflicts or history file.
        file: String,
        /// Its line.
        line: u64,
        /// `inspector` or `entity`.
        field: &'static str,
        /// The id.
        id: String,
        /// The roster file it should be in.
        roster: String,
    },
    /// A trial draw with a fixed seed failed: the real draw may fail too.
    #[error("a trial draw failed: {0}")]
    TrialDraw(DrawError),
}

/// Every problem found in the inputs, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputProblems {
    /// The problems.
    pub problems: Vec<InputProblem>,
    /// Notes found while reading (also returned with the problems, so a report shows both).
    pub notes: Vec<InputNote>,
}

impl std::fmt::Display for InputProblems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// Where the inputs of a draw are.
///
/// ```
/// use double_random::bundle::InputPaths;
/// let dir = tempfile::tempdir()?;
/// for f in ["entities.csv", "inspectors.csv", "items.csv", "plan.toml"] {
///     std::fs::write(dir.path().join(f), "")?;
/// }
/// let paths = InputPaths::find(dir.path(), None).unwrap();
/// assert!(paths.conflicts.is_none());
/// assert!(paths.entities.ends_with("entities.csv"));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputPaths {
    /// Entity roster (`.csv` or `.xlsx`).
    pub entities: PathBuf,
    /// Inspector roster (`.csv` or `.xlsx`).
    pub inspectors: PathBuf,
    /// Item list (`.csv`).
    pub items: PathBuf,
    /// Declared conflicts (`.csv`); absent means none.
    pub conflicts: Option<PathBuf>,
    /// Inspection history (`.csv`); absent means none.
    pub history: Option<PathBuf>,
    /// The plan (`.toml`).
    pub plan: PathBuf,
}

impl InputPaths {
    /// Finds the inputs in `dir` by their standard names: `entities.csv|xlsx`,
    /// `inspectors.csv|xlsx`, `items.csv`, `conflicts.csv` and `history.csv` (optional), and
    /// `plan.toml` unless `plan` names the plan elsewhere.
    ///
    /// Every missing or ambiguous file is reported, not only the first.
    pub fn find(dir: &Path, plan: Option<&Path>) -> Result<InputPaths, InputProblems> {
        let mut problems = InputProblems::default();
        let mut table = |stem: &'static str, xlsx: bool, required: bool| -> Option<PathBuf> {
            let csv = dir.join(format!("{stem}.csv"));
            let book = dir.join(format!("{stem}.xlsx"));
            match (csv.is_file(), xlsx && book.is_file()) {
                (true, true) => {
                    problems
                        .problems
                        .push(InputProblem::Ambiguous { csv, xlsx: book });
                    None
                }
                (true, false) => Some(csv),
                (false, true) => Some(book),
                (false, false) => {
                    if required {
                        problems.problems.push(InputProblem::Missing {
                            path: csv,
                            what: stem,
                        });
                    }
                    None
                }
            }
        };
        let entities = table("entities", true, true);
        let inspectors = table("inspectors", true, true);
        let items = table("items", false, true);
        let conflicts = table("conflicts", false, false);
        let history = table("history", false, false);
        let plan = match plan {
            Some(p) => Some(p.to_path_buf()),
            None => {
                let p = dir.join(PLAN_FILE);
                if p.is_file() {
                    Some(p)
                } else {
                    problems.problems.push(InputProblem::Missing {
                        path: p,
                        what: "plan",
                    });
                    None
                }
            }
        };
        match (entities, inspectors, items, plan) {
            (Some(entities), Some(inspectors), Some(items), Some(plan))
                if problems.problems.is_empty() =>
            {
                Ok(InputPaths {
                    entities,
                    inspectors,
                    items,
                    conflicts,
                    history,
                    plan,
                })
            }
            _ => Err(problems),
        }
    }

    /// The files present, each with its standard name in a draw folder
    /// (`entities.xlsx` stays a workbook).
    pub fn standard_names(&self) -> Vec<(&Path, String)> {
        let mut v = vec![
            (
                self.entities.as_path(),
                standard_name("entities", &self.entities),
            ),
            (
                self.inspectors.as_path(),
                standard_name("inspectors", &self.inspectors),
            ),
            (self.items.as_path(), "items.csv".to_string()),
        ];
        if let Some(c) = &self.conflicts {
            v.push((c.as_path(), "conflicts.csv".to_string()));
        }
        if let Some(h) = &self.history {
            v.push((h.as_path(), "history.csv".to_string()));
        }
        v.push((self.plan.as_path(), PLAN_FILE.to_string()));
        v
    }
}

fn standard_name(stem: &str, path: &Path) -> String {
    if is_xlsx(path) {
        format!("{stem}.xlsx")
    } else {
        format!("{stem}.csv")
    }
}

fn is_xlsx(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// How a long load reports its progress (a progress bar on a terminal, nothing elsewhere).
///
/// The loader calls `start` once per file with its size when known, `advance` with the bytes
/// read since the last call, and `finish` at the end of the file.
///
/// ```
/// use double_random::bundle::{load_input_files, InputPaths, Progress};
/// use std::path::Path;
///
/// #[derive(Default)]
/// struct Count { files: usize, bytes: u64 }
/// impl Progress for Count {
///     fn start(&mut self, _: &Path, _: Option<u64>) { self.files += 1; }
///     fn advance(&mut self, n: u64) { self.bytes += n; }
///     fn finish(&mut self) {}
/// }
/// let dir = tempfile::tempdir()?;
/// double_random::bundle::example_input_files(dir.path())?;
/// let mut count = Count::default();
/// let paths = InputPaths::find(dir.path(), None).unwrap();
/// load_input_files(&paths, &mut count)?;
/// assert_eq!(count.files, 5); // the five tables; the plan is small and read at once
/// assert!(count.bytes > 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Progress {
    /// A file starts.
    fn start(&mut self, file: &Path, total_bytes: Option<u64>);
    /// `bytes` more were read.
    fn advance(&mut self, bytes: u64);
    /// The file is done.
    fn finish(&mut self);
}

/// Reports nothing.
///
/// ```
/// use double_random::bundle::{NoProgress, Progress};
/// let mut p = NoProgress;
/// p.start(std::path::Path::new("entities.csv"), Some(10));
/// p.advance(10);
/// p.finish();
/// ```
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&mut self, _file: &Path, _total_bytes: Option<u64>) {}
    fn advance(&mut self, _bytes: u64) {}
    fn finish(&mut self) {}
}

struct ProgressReader<'p, R> {
    inner: R,
    progress: &'p mut dyn Progress,
}

impl<R: Read> Read for ProgressReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.advance(n as u64);
        Ok(n)
    }
}

/// The inputs of a draw, read, normalised and fingerprinted.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// Where they were read from.
    pub paths: InputPaths,
    /// The plan.
    pub plan: Plan,
    /// Entity roster.
    pub entities: Vec<Entity>,
    /// Inspector roster.
    pub inspectors: Vec<Inspector>,
    /// Item list.
    pub items: Vec<Item>,
    /// Declared conflicts.
    pub conflicts: Vec<Conflict>,
    /// Inspection history.
    pub history: Vec<HistoryRecord>,
    /// Every digest an announcement commits to.
    pub digests: InputDigests,
    /// Warnings and notes (the inputs are usable).
    pub notes: Vec<InputNote>,
}

impl Inputs {
    /// Borrows the inputs for the draw and the ceremony.
    pub fn as_draw_inputs(&self) -> DrawInputs<'_> {
        DrawInputs {
            plan: &self.plan,
            entities: &self.entities,
            inspectors: &self.inspectors,
            items: &self.items,
            conflicts: &self.conflicts,
            history: &self.history,
        }
    }

    /// The name of each item of the plan, in plan order (the id where the item list has none).
    pub fn plan_item_names(&self) -> Vec<String> {
        self.plan
            .items
            .iter()
            .map(|id| {
                self.items
                    .iter()
                    .find(|i| &i.id == id)
                    .map_or_else(|| id.clone(), |i| i.name.clone())
            })
            .collect()
    }
}

/// Loads the inputs found in `dir` by their standard names, with the plan at `plan` (or
/// `dir/plan.toml`), collecting every problem.
///
/// ```
/// use double_random::bundle::{load_inputs, BundleError, InputProblem};
/// let dir = tempfile::tempdir()?;
/// double_random::bundle::example_input_files(dir.path())?;
/// let inputs = load_inputs(dir.path(), None)?;
/// assert_eq!(inputs.entities.len(), 6);
/// assert_eq!(inputs.digests.entities.rows, 6);
///
/// // A broken row: the problem names the file, the line and the field.
/// std::fs::write(dir.path().join("inspectors.csv"), "执法证号,姓名,所属部门\nA1,,局\n")?;
/// let Err(BundleError::Inputs(p)) = load_inputs(dir.path(), None) else { panic!() };
/// let InputProblem::Roster(e) = &p.problems[0] else { panic!() };
/// assert_eq!((e.line, e.field.as_ref().map(|f| f.name)), (2, Some("name")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn load_inputs(dir: &Path, plan: Option<&Path>) -> Result<Inputs, BundleError> {
    let paths = InputPaths::find(dir, plan).map_err(BundleError::Inputs)?;
    load_input_files(&paths, &mut NoProgress)
}

/// Loads the inputs at `paths`, reporting progress, collecting every problem of every file and
/// checking that they fit together.
pub fn load_input_files(
    paths: &InputPaths,
    progress: &mut dyn Progress,
) -> Result<Inputs, BundleError> {
    load_input_files_with(paths, progress, true, Guard::Office)
}

/// Whether loading inputs also refuses rosters that lack a column the plan reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Guard {
    /// Before announcing or drawing: a roster without a column the plan reads is refused
    /// (SPEC §3.3), since its rows would all take the column's default.
    Office,
    /// Replaying a published draw: the absent column's default is what the draw used, and
    /// SPEC §3.3 makes the guard no part of the draw, so a verifier does not apply it.
    Replay,
}

/// [`load_input_files`], with the entity roster read on every core when `parallel` and the file
/// allows it (otherwise, and for tests, by the sequential reader alone).
fn load_input_files_with(
    paths: &InputPaths,
    progress: &mut dyn Progress,
    parallel: bool,
    guard: Guard,
) -> Result<Inputs, BundleError> {
    let mut problems = InputProblems::default();
    let entities = parallel
        .then(|| read_entities_in_parallel(&paths.entities, progress, &mut problems))
        .flatten()
        .or_else(|| {
            read_table(
                &paths.entities,
                "entities",
                true,
                progress,
                &mut problems,
                |n, r| roster_csv::read_entities(n, r),
                #[cfg(feature = "xlsx")]
                |p| crate::formats::xlsx::read_entities_xlsx(p),
            )
            .map(|r| (r.rows, r.columns))
        });
    let inspectors = read_table(
        &paths.inspectors,
        "inspectors",
        true,
        progress,
        &mut problems,
        |n, r| roster_csv::read_inspectors(n, r),
        #[cfg(feature = "xlsx")]
        |p| crate::formats::xlsx::read_inspectors_xlsx(p),
    );
    let items = read_table(
        &paths.items,
        "items",
        false,
        progress,
        &mut problems,
        |n, r| roster_csv::read_items(n, r),
        #[cfg(feature = "xlsx")]
        |p| crate::formats::xlsx::read_items_xlsx(p),
    );
    let conflicts = match &paths.conflicts {
        Some(p) => read_table(
            p,
            "conflicts",
            false,
            progress,
            &mut problems,
            |n, r| roster_csv::read_conflicts(n, r),
            #[cfg(feature = "xlsx")]
            |p| crate::formats::xlsx::read_conflicts_xlsx(p),
        ),
        None => Some(empty_roster()),
    };
    let history = match &paths.history {
        Some(p) => read_table(
            p,
            "history",
            false,
            progress,
            &mut problems,
            |n, r| roster_csv::read_history(n, r),
            #[cfg(feature = "xlsx")]
            |p| crate::formats::xlsx::read_history_xlsx(p),
        ),
        None => Some(empty_roster()),
    };
    let plan = read_plan_file(&paths.plan, &mut problems);
    let (
        Some((entities, entity_columns)),
        Some(inspectors),
        Some(items),
        Some(conflicts),
        Some(history),
        Some(plan),
    ) = (entities, inspectors, items, conflicts, history, plan)
    else {
        return Err(BundleError::Inputs(problems));
    };
    let mut files = vec![
        (Table::Entities, paths.entities.as_path(), &entity_columns),
        (
            Table::Inspectors,
            paths.inspectors.as_path(),
            &inspectors.columns,
        ),
    ];
    if let Some(p) = &paths.history {
        files.push((Table::History, p.as_path(), &history.columns));
    }
    if guard == Guard::Office {
        needed_columns(&plan, &items.rows, &files, &mut problems);
    }
    if !problems.problems.is_empty() {
        return Err(BundleError::Inputs(problems));
    }
    let mut notes = std::mem::take(&mut problems.notes);
    cross_references(
        paths,
        &entities,
        &inspectors,
        &conflicts,
        &history,
        &mut notes,
    );
    let loaded = Inputs {
        paths: paths.clone(),
        plan,
        entities,
        inspectors: inspectors.rows,
        items: items.rows,
        conflicts: conflicts.rows,
        history: history.rows,
        digests: InputDigests {
            entities: zero_ref(),
            inspectors: zero_ref(),
            items: zero_ref(),
            conflicts: zero_ref(),
            history: zero_ref(),
            plan: Digest32([0; 32]),
        },
        notes,
    };
    let plan_file = display_name(&paths.plan);
    let di = loaded.as_draw_inputs();
    let fit = draw::general_cap(di.plan, di.items)
        .and_then(|_| draw::population(&di))
        .and_then(|_| draw::teams::pools(di.plan, di.items));
    if let Err(error) = fit {
        problems.problems.push(InputProblem::Draw {
            file: plan_file,
            error,
        });
        problems.notes = loaded.notes;
        return Err(BundleError::Inputs(problems));
    }
    let digests = InputDigests::of(&di)?;
    let mut loaded = loaded;
    loaded.digests = digests;
    Ok(loaded)
}

fn zero_ref() -> crate::ceremony::announce::InputRef {
    crate::ceremony::announce::InputRef {
        digest: Digest32([0; 32]),
        rows: 0,
    }
}

fn empty_roster<T>() -> Roster<T> {
    Roster {
        table: crate::formats::roster::Table::Conflicts,
        rows: vec![],
        lines: vec![],
        warnings: vec![],
        warnings_omitted: 0,
        encoding: crate::formats::roster::Encoding::Utf8,
        header_language: crate::formats::roster::HeaderLanguage::English,
        columns: crate::formats::roster::Columns::default(),
    }
}

/// The name shown for a file in messages: the path as given.
fn display_name(path: &Path) -> String {
    path.display().to_string()
}

/// The entity roster at `path` read on every core ([`entity_scan::read_all`]), its warnings
/// added to `problems`; `None`, with nothing added, if it is a spreadsheet, cannot be opened, or
/// is not a file the parallel reader takes (then the sequential reader reads it and reports
/// every problem).
fn read_entities_in_parallel(
    path: &Path,
    progress: &mut dyn Progress,
    problems: &mut InputProblems,
) -> Option<(Vec<Entity>, Columns)> {
    if is_xlsx(path) {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    let size = file.metadata().ok().map(|m| m.len());
    let threads = crate::threads();
    progress.start(path, size);
    let all = {
        let reader = ProgressReader {
            inner: file,
            progress: &mut *progress,
        };
        entity_scan::read_all(&display_name(path), reader, threads)
    };
    progress.finish();
    let all = all?;
    note_ignored(path, Table::Entities, &all.columns, problems);
    problems
        .notes
        .extend(all.warnings.into_iter().map(InputNote::Roster));
    Some((all.rows, all.columns))
}

/// Notes the ignored columns of a roster, once per file.
fn note_ignored(path: &Path, table: Table, columns: &Columns, problems: &mut InputProblems) {
    if !columns.ignored.is_empty() {
        problems.notes.push(InputNote::IgnoredColumns {
            file: display_name(path),
            table,
            headers: columns.ignored.iter().map(|c| c.header.clone()).collect(),
        });
    }
}

/// The roster columns the plan needs that a file lacks (SPEC §3.3), as problems.
fn needed_columns(
    plan: &Plan,
    items: &[Item],
    files: &[(Table, &Path, &Columns)],
    problems: &mut InputProblems,
) {
    let mut seen: Vec<(Table, &str)> = Vec::new();
    for n in needed_fields(plan, items) {
        let Some((_, path, columns)) = files.iter().find(|(t, _, _)| *t == n.table) else {
            continue;
        };
        if !columns.absent.contains(&n.field) || seen.contains(&(n.table, n.field)) {
            continue;
        }
        seen.push((n.table, n.field));
        let Some(c) = n.table.columns().iter().find(|c| c.name == n.field) else {
            continue;
        };
        let mut headers: Vec<&'static str> = c.chinese.to_vec();
        headers.extend(c.english.iter().copied());
        problems.problems.push(InputProblem::NeededColumn {
            file: display_name(path),
            table: n.table,
            field: n.field,
            headers,
            plan_field: n.plan_field,
        });
    }
}

fn read_table<T>(
    path: &Path,
    what: &'static str,
    xlsx_allowed: bool,
    progress: &mut dyn Progress,
    problems: &mut InputProblems,
    csv: fn(&str, &mut dyn Read) -> Result<Roster<T>, InputErrors>,
    #[cfg(feature = "xlsx")] xlsx: fn(&Path) -> Result<Roster<T>, InputErrors>,
) -> Option<Roster<T>> {
    let name = display_name(path);
    let result = if is_xlsx(path) {
        if !xlsx_allowed {
            problems.problems.push(InputProblem::UnsupportedType {
                path: path.to_path_buf(),
                xlsx_allowed,
            });
            return None;
        }
        #[cfg(feature = "xlsx")]
        {
            progress.start(path, None);
            let r = xlsx(path);
            progress.finish();
            r
        }
        #[cfg(not(feature = "xlsx"))]
        {
            problems.problems.push(InputProblem::UnsupportedType {
                path: path.to_path_buf(),
                xlsx_allowed: false,
            });
            return None;
        }
    } else {
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                problems.problems.push(InputProblem::Missing {
                    path: path.to_path_buf(),
                    what,
                });
                return None;
            }
            Err(e) => {
                problems.problems.push(InputProblem::Unreadable {
                    path: path.to_path_buf(),
                    message: format!("{}: {e}", path.display()),
                });
                return None;
            }
        };
        let size = file.metadata().ok().map(|m| m.len());
        progress.start(path, size);
        let r = {
            let mut reader = ProgressReader {
                inner: std::io::BufReader::new(file),
                progress: &mut *progress,
            };
            csv(&name, &mut reader)
        };
        progress.finish();
        r
    };
    match result {
        Ok(roster) => {
            note_ignored(path, roster.table, &roster.columns, problems);
            problems
                .notes
                .extend(roster.warnings.iter().cloned().map(InputNote::Roster));
            Some(roster)
        }
        Err(errors) => {
            problems
                .problems
                .extend(errors.errors.into_iter().map(InputProblem::Roster));
            if errors.omitted > 0 {
                problems.problems.push(InputProblem::Omitted {
                    file: name,
                    count: errors.omitted,
                });
            }
            None
        }
    }
}

fn read_plan_file(path: &Path, problems: &mut InputProblems) -> Option<Plan> {
    let bytes = match files::read_limited(path, MAX_SMALL_FILE_BYTES) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            problems.problems.push(InputProblem::Missing {
                path: path.to_path_buf(),
                what: "plan",
            });
            return None;
        }
        Err(e) => {
            problems.problems.push(InputProblem::Unreadable {
                path: path.to_path_buf(),
                message: e.to_string(),
            });
            return None;
        }
    };
    let name = display_name(path);
    let Ok(text) = String::from_utf8(bytes) else {
        problems.problems.push(InputProblem::Unreadable {
            path: path.to_path_buf(),
            message: format!("{name}: not UTF-8 text; save the plan as UTF-8"),
        });
        return None;
    };
    match plan_toml::read_plan(&name, &text) {
        Ok(p) => Some(p),
        Err(errors) => {
            problems
                .problems
                .extend(errors.errors.into_iter().map(InputProblem::Plan));
            None
        }
    }
}

fn cross_references(
    paths: &InputPaths,
    entities: &[Entity],
    inspectors: &Roster<Inspector>,
    conflicts: &Roster<Conflict>,
    history: &Roster<HistoryRecord>,
    notes: &mut Vec<InputNote>,
) {
    let entity_ids: std::collections::HashSet<&str> =
        entities.iter().map(|e| e.id.as_str()).collect();
    let inspector_ids: std::collections::HashSet<&str> =
        inspectors.rows.iter().map(|i| i.id.as_str()).collect();
    let ename = display_name(&paths.entities);
    let iname = display_name(&paths.inspectors);
    if let Some(p) = &paths.conflicts {
        let file = display_name(p);
        for (c, line) in conflicts.rows.iter().zip(&conflicts.lines) {
            if !inspector_ids.contains(c.inspector.as_str()) {
                notes.push(InputNote::UnknownReference {
                    file: file.clone(),
                    line: *line,
                    field: "inspector",
                    id: c.inspector.clone(),
                    roster: iname.clone(),
                });
            }
            if !entity_ids.contains(c.entity.as_str()) {
                notes.push(InputNote::UnknownReference {
                    file: file.clone(),
                    line: *line,
                    field: "entity",
                    id: c.entity.clone(),
                    roster: ename.clone(),
                });
            }
        }
    }
    if let Some(p) = &paths.history {
        let file = display_name(p);
        for (h, line) in history.rows.iter().zip(&history.lines) {
            if !entity_ids.contains(h.entity.as_str()) {
                notes.push(InputNote::UnknownReference {
                    file: file.clone(),
                    line: *line,
                    field: "entity",
                    id: h.entity.clone(),
                    roster: ename.clone(),
                });
            }
        }
    }
}

/// Writes a tiny set of valid inputs into `dir` under the standard names (for examples and
/// tests): six entities, three officers, one item, a plan drawing half of the entities.
#[doc(hidden)]
pub fn example_input_files(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let files: [(&str, &str); 6] = [
        (
            "entities.csv",
            "统一社会信用代码,名称,市场主体类型,行政区划代码,登记状态\n\
             91520102MA6D0000X3,甲商贸有限公司,企业,520102,存续\n\
             92520103MA6D00018E,乙餐饮店,个体工商户,520103,存续\n\
             91520102MA6D00026X,丙科技有限公司,企业,520102,存续\n\
             93520103MA6D000341,丁农民专业合作社,农民专业合作社,520103,存续\n\
             91520102MA6D00042K,戊建材有限公司,企业,520102,存续\n\
             91520103MA6D00050W,己物流有限公司,企业,520103,存续\n",
        ),
        (
            "inspectors.csv",
            "执法证号,姓名,所属部门\n52010001,王明,市场监管局\n52010002,李红,市场监管局\n52010003,赵刚,市场监管局\n",
        ),
        (
            "items.csv",
            "事项编号,事项名称,事项类别\nGZ-SC-001,企业公示信息抽查,一般\n",
        ),
        ("conflicts.csv", "执法证号,统一社会信用代码\n"),
        ("history.csv", "统一社会信用代码,检查日期\n"),
        (
            "plan.toml",
            "plan_id = \"P1\"\nplan_name = \"示例计划\"\ntask_id = \"T1\"\n\
             task_name = \"企业公示信息抽查\"\nauthority = \"示例市场监督管理局\"\n\
             draw_date = 2026-03-01\nitems = [\"GZ-SC-001\"]\n\
             [strata]\nby = \"none\"\nratio = \"50%\"\n[team]\nofficers = 2\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}

/// Runs the draw once with a fixed, public trial seed and returns the error if it fails.
///
/// Entity picks depend on the seed, so a trial that succeeds does not prove that every seed
/// will; but rules that no seed can satisfy (too few inspectors, a workload cap too low) show
/// up here before anything is announced.
///
/// ```
/// let dir = tempfile::tempdir()?;
/// double_random::bundle::example_input_files(dir.path())?;
/// let inputs = double_random::bundle::load_inputs(dir.path(), None)?;
/// assert!(double_random::bundle::trial_draw(&inputs).is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn trial_draw(inputs: &Inputs) -> Option<DrawError> {
    draw::run(&inputs.as_draw_inputs(), &Digest32([0; 32])).err()
}

// ---------------------------------------------------------------------------------------------
// Private folder
// ---------------------------------------------------------------------------------------------

/// The private folder: the organizer's secret key and the seed secrets, never published.
///
/// Files are created with mode 0600 and never overwritten; the folder itself with mode 0700.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateDir {
    root: PathBuf,
}

impl PrivateDir {
    /// The private folder at `root` (created when first written to).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        PrivateDir { root: root.into() }
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `organizer.key` in the folder.
    pub fn key_path(&self) -> PathBuf {
        self.root.join(SECRET_KEY_FILE)
    }

    /// `secrets/<draw id>/<party>.secret` in the folder.
    ///
    /// ```
    /// use double_random::bundle::PrivateDir;
    /// let p = PrivateDir::new("private");
    /// let path = p.secret_path("D1", "纪检监督员").unwrap();
    /// assert!(path.ends_with("secrets/D1/纪检监督员.secret"));
    /// assert!(p.secret_path("D1", "../x").is_err());
    /// ```
    pub fn secret_path(&self, draw_id: &str, party: &str) -> Result<PathBuf, BundleError> {
        check_name("draw id", draw_id)?;
        check_name("party name", party)?;
        Ok(self
            .root
            .join(SECRETS_DIR)
            .join(draw_id)
            .join(format!("{party}.secret")))
    }

    /// Writes the organizer's secret key (mode 0600); refuses to replace an existing key.
    pub fn write_key(&self, key: &SecretKey) -> Result<PathBuf, BundleError> {
        let path = self.key_path();
        create_private_dir(&self.root)?;
        files::write_secret_new(&path, key.to_key_file().as_bytes())?;
        Ok(path)
    }

    /// Writes the organizer's secret key protected by a password (mode 0600); refuses to replace
    /// an existing key.
    ///
    /// The file is minisign's encrypted secret key (see
    /// [`SecretKey::to_encrypted_key_file`]); use [`KdfLimits::MINISIGN`](crate::sign::KdfLimits::MINISIGN)
    /// for a real key.
    ///
    /// ```
    /// use double_random::bundle::PrivateDir;
    /// use double_random::sign::{KdfLimits, SecretKey};
    /// let dir = tempfile::tempdir()?;
    /// let p = PrivateDir::new(dir.path());
    /// let key = SecretKey::generate()?;
    /// let cheap = KdfLimits { opslimit: 32768, memlimit: 1 << 20 };
    /// p.write_key_encrypted(&key, b"pw", cheap)?;
    /// assert_eq!(p.read_key_with_password(b"pw")?.key_id(), key.key_id());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_key_encrypted(
        &self,
        key: &SecretKey,
        password: &[u8],
        limits: crate::sign::KdfLimits,
    ) -> Result<PathBuf, BundleError> {
        let path = self.key_path();
        let text = key
            .to_encrypted_key_file(password, limits)
            .map_err(|e| sign_error(&path, e))?;
        create_private_dir(&self.root)?;
        files::write_secret_new(&path, text.as_bytes())?;
        Ok(path)
    }

    /// Reads the organizer's secret key; an encrypted key fails with
    /// [`SignError::EncryptedSecretKey`] inside [`BundleError::Sign`] (ask for the password and
    /// call [`PrivateDir::read_key_with_password`]).
    pub fn read_key(&self) -> Result<SecretKey, BundleError> {
        let path = self.key_path();
        let text = read_secret_text(&path, Needed::SecretKey)?;
        SecretKey::parse(&text).map_err(|e| sign_error(&path, e))
    }

    /// Reads the organizer's secret key, opening an encrypted one with `password`.
    pub fn read_key_with_password(&self, password: &[u8]) -> Result<SecretKey, BundleError> {
        let path = self.key_path();
        let text = read_secret_text(&path, Needed::SecretKey)?;
        SecretKey::parse_with_password(&text, password).map_err(|e| sign_error(&path, e))
    }

    /// Writes a party's seed secret for a draw (mode 0600); refuses to replace one.
    ///
    /// ```
    /// use double_random::bundle::PrivateDir;
    /// use double_random::ceremony::commit::Secret;
    /// let dir = tempfile::tempdir()?;
    /// let p = PrivateDir::new(dir.path());
    /// let s = Secret::generate()?;
    /// p.write_secret("D1", "纪检监督员", &s)?;
    /// assert_eq!(p.read_secret("D1", "纪检监督员")?, s);
    /// assert!(p.write_secret("D1", "纪检监督员", &s).unwrap_err().is_refusal_to_overwrite());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_secret(
        &self,
        draw_id: &str,
        party: &str,
        secret: &Secret,
    ) -> Result<PathBuf, BundleError> {
        let path = self.secret_path(draw_id, party)?;
        if let Some(parent) = path.parent() {
            create_private_dir(parent)?;
        }
        let mut text = secret.to_hex();
        text.push('\n');
        files::write_secret_new(&path, text.as_bytes())?;
        Ok(path)
    }

    /// Reads a party's seed secret for a draw.
    pub fn read_secret(&self, draw_id: &str, party: &str) -> Result<Secret, BundleError> {
        let path = self.secret_path(draw_id, party)?;
        read_secret_file(&path)
    }
}

/// Reads a seed secret file (64 hex digits); the bytes read are wiped after parsing.
pub fn read_secret_file(path: &Path) -> Result<Secret, BundleError> {
    let text = read_secret_text(path, Needed::Secret)?;
    Secret::from_hex(&text).map_err(|source| BundleError::Secret {
        path: path.to_path_buf(),
        source,
    })
}

fn read_secret_text(path: &Path, what: Needed) -> Result<Zeroizing<String>, BundleError> {
    let bytes = match files::read_limited(path, MAX_SMALL_FILE_BYTES) {
        Ok(b) => Zeroizing::new(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(BundleError::Missing {
                path: path.to_path_buf(),
                what,
            });
        }
        Err(e) => return Err(e.into()),
    };
    match std::str::from_utf8(&bytes) {
        Ok(s) => Ok(Zeroizing::new(s.to_string())),
        Err(_) => Err(BundleError::NotUtf8 {
            path: path.to_path_buf(),
        }),
    }
}

fn create_private_dir(dir: &Path) -> Result<(), BundleError> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir).map_err(|e| {
        BundleError::File(FileError::Io {
            path: dir.to_path_buf(),
            op: files::FileOp::Write,
            kind: e.kind(),
            source: e,
        })
    })
}

fn create_dir(dir: &Path) -> Result<(), BundleError> {
    std::fs::create_dir_all(dir).map_err(|e| {
        BundleError::File(FileError::Io {
            path: dir.to_path_buf(),
            op: files::FileOp::Write,
            kind: e.kind(),
            source: e,
        })
    })
}

/// Refuses a private folder that lies inside the draw folder (which is published).
///
/// ```
/// use double_random::bundle::check_private_outside;
/// assert!(check_private_outside("office/private".as_ref(), "office/D1".as_ref()).is_ok());
/// assert!(check_private_outside("office/D1/private".as_ref(), "office/D1".as_ref()).is_err());
/// ```
pub fn check_private_outside(private: &Path, draw_dir: &Path) -> Result<(), BundleError> {
    let abs = |p: &Path| -> PathBuf {
        let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        // Resolve symbolic links in the part that exists.
        let mut existing = p.clone();
        let mut rest = vec![];
        while !existing.exists() {
            match (existing.file_name(), existing.parent()) {
                (Some(name), Some(parent)) => {
                    rest.push(name.to_os_string());
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut out = std::fs::canonicalize(&existing).unwrap_or(existing);
        for name in rest.into_iter().rev() {
            out.push(name);
        }
        out
    };
    let (p, d) = (abs(private), abs(draw_dir));
    if p.starts_with(&d) {
        return Err(BundleError::PrivateInsidePublished {
            private: private.to_path_buf(),
            draw: draw_dir.to_path_buf(),
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Draw folder
// ---------------------------------------------------------------------------------------------

/// A draw folder: the published files of one draw.
///
/// ```
/// use double_random::bundle::{DrawDir, SHEET_FILE};
/// use double_random::sign::SecretKey;
/// let dir = tempfile::tempdir()?;
/// let folder = DrawDir::new(dir.path());
/// let key = SecretKey::generate()?;
/// folder.publish("note.json", b"{}", &key, "D1")?;
/// assert!(folder.has("note.json.minisig"));
/// // A record is never replaced.
/// assert!(folder.publish("note.json", b"{}", &key, "D1").is_err());
/// assert!(folder.read_sheet()?.is_none());
/// assert!(!folder.has(SHEET_FILE));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawDir {
    root: PathBuf,
}

/// A document read from a draw folder: its value, its bytes and its signature text.
#[derive(Debug, Clone)]
pub struct ReadDocument<T> {
    /// The file name.
    pub name: String,
    /// The parsed document.
    pub value: T,
    /// Its bytes (canonical JSON).
    pub bytes: Vec<u8>,
    /// The `.minisig` text, if the file is there.
    pub signature: Option<String>,
}

impl DrawDir {
    /// The draw folder at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DrawDir { root: root.into() }
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A file in the folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    fn read_bytes(&self, name: &str, what: Needed) -> Result<Vec<u8>, BundleError> {
        let path = self.path(name);
        match files::read_limited(&path, MAX_DOCUMENT_BYTES) {
            Ok(b) => Ok(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(BundleError::Missing { path, what })
            }
            Err(e) => Err(e.into()),
        }
    }

    fn read_signature(&self, name: &str) -> Result<Option<String>, BundleError> {
        let path = self.path(&signature_file(name));
        match files::read_limited(&path, MAX_SMALL_FILE_BYTES) {
            Ok(b) => String::from_utf8(b)
                .map(Some)
                .map_err(|_| BundleError::NotUtf8 { path }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    fn read_document<T>(
        &self,
        name: &str,
        what: Needed,
        parse: impl FnOnce(&[u8]) -> Result<T, CeremonyError>,
    ) -> Result<ReadDocument<T>, BundleError> {
        let bytes = self.read_bytes(name, what)?;
        let value = parse(&bytes).map_err(|e| doc_error(&self.path(name), e))?;
        Ok(ReadDocument {
            name: name.to_string(),
            value,
            bytes,
            signature: self.read_signature(name)?,
        })
    }

    /// Whether the folder holds a file of this name.
    pub fn has(&self, name: &str) -> bool {
        self.path(name).exists()
    }

    /// Reads `announcement.json` and its signature.
    pub fn read_announcement(&self) -> Result<ReadDocument<Announcement>, BundleError> {
        self.read_document(ANNOUNCEMENT_FILE, Needed::Announcement, Announcement::parse)
    }

    /// Reads `sheet.json` and its signature, if the draw has been made.
    pub fn read_sheet(&self) -> Result<Option<ReadDocument<Sheet>>, BundleError> {
        if !self.has(SHEET_FILE) {
            return Ok(None);
        }
        self.read_document(SHEET_FILE, Needed::Sheet, Sheet::parse)
            .map(Some)
    }

    /// Reads `amendment-1.json`, `amendment-2.json`, … while they exist.
    pub fn read_amendments(&self) -> Result<Vec<ReadDocument<Amendment>>, BundleError> {
        let mut v = vec![];
        for seq in 1u32.. {
            let name = amendment_file(seq);
            if !self.has(&name) {
                break;
            }
            v.push(self.read_document(&name, Needed::Amendment, Amendment::parse)?);
        }
        Ok(v)
    }

    /// Amendment files whose number does not follow the ones before it (`amendment-3.json`
    /// without `amendment-2.json`): a gap means a file was removed.
    pub fn stray_amendments(&self, found: usize) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.root) else {
            return vec![];
        };
        let mut stray: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| {
                n.strip_prefix("amendment-")
                    .and_then(|r| r.strip_suffix(".json"))
                    .and_then(|num| num.parse::<usize>().ok())
                    .is_some_and(|k| k == 0 || k > found)
            })
            .collect();
        stray.sort();
        stray
    }

    /// Reads `organizer.pub`.
    pub fn read_public_key(&self) -> Result<PublicKey, BundleError> {
        read_public_key_file(&self.path(PUBLIC_KEY_FILE))
    }

    /// The input files present in the folder, by their standard names.
    pub fn input_paths(&self) -> Result<InputPaths, InputProblems> {
        InputPaths::find(&self.root, None)
    }

    /// Writes a document and its signature, refusing to replace either.
    pub fn publish(
        &self,
        name: &str,
        bytes: &[u8],
        key: &SecretKey,
        draw_id: &str,
    ) -> Result<(), BundleError> {
        let sig_name = signature_file(name);
        for n in [name, sig_name.as_str()] {
            if self.has(n) {
                return Err(BundleError::Exists { path: self.path(n) });
            }
        }
        let minisig = sign_document(key, draw_id, name, bytes)
            .map_err(|e| sign_error(&self.path(&sig_name), e))?;
        self.write_new(name, bytes, &minisig)
    }

    /// Writes a document a step made and its signature, refusing to replace either.
    fn write_signed(&self, doc: &Signed) -> Result<(), BundleError> {
        let sig_name = signature_file(&doc.name);
        for n in [doc.name.as_str(), sig_name.as_str()] {
            if self.has(n) {
                return Err(BundleError::Exists { path: self.path(n) });
            }
        }
        self.write_new(&doc.name, &doc.bytes, &doc.signature)
    }

    fn write_new(&self, name: &str, bytes: &[u8], minisig: &str) -> Result<(), BundleError> {
        files::write_new(self.path(name), bytes)?;
        files::write_new(self.path(&signature_file(name)), minisig.as_bytes())?;
        Ok(())
    }

    /// Copies a file into the folder under `name`, unless the same bytes are already there.
    fn copy_in(&self, from: &Path, name: &str) -> Result<(), BundleError> {
        let to = self.path(name);
        let bytes = files::read_limited(from, MAX_DOCUMENT_BYTES)?;
        if to.exists() {
            let same = files::read_limited(&to, MAX_DOCUMENT_BYTES)
                .map(|existing| existing == bytes)
                .unwrap_or(false);
            if same {
                return Ok(());
            }
            return Err(BundleError::Exists { path: to });
        }
        files::write_new(&to, &bytes)?;
        Ok(())
    }
}

/// Reads a minisign public key file.
pub fn read_public_key_file(path: &Path) -> Result<PublicKey, BundleError> {
    let bytes = match files::read_limited(path, MAX_SMALL_FILE_BYTES) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(BundleError::Missing {
                path: path.to_path_buf(),
                what: Needed::PublicKey,
            });
        }
        Err(e) => return Err(e.into()),
    };
    let text = String::from_utf8(bytes).map_err(|_| BundleError::NotUtf8 {
        path: path.to_path_buf(),
    })?;
    PublicKey::parse(&text).map_err(|e| sign_error(path, e))
}

// ---------------------------------------------------------------------------------------------
// The office log
// ---------------------------------------------------------------------------------------------

pub use crate::ceremony::log::DrawState;

/// Where `draw_id` stands in the log at `log_path` (a missing log is empty).
///
/// ```
/// use double_random::bundle::{draw_state, DrawState};
/// let dir = tempfile::tempdir()?;
/// assert_eq!(draw_state(&dir.path().join("office.log"), "D1")?, DrawState::NotAnnounced);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn draw_state(log_path: &Path, draw_id: &str) -> Result<DrawState, BundleError> {
    let report = log::read(log_path).map_err(|e| log_error(log_path, e))?;
    Ok(report.state(draw_id))
}

/// The folder the office publishes: the log's folder, holding one folder per draw id.
fn office_dir(log_path: &Path) -> PathBuf {
    log_path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The documents of the office on disk, as the steps read them: `<office>/<draw id>/<file>`,
/// and the draw at hand in its own folder.
struct OnDisk<'a> {
    office: PathBuf,
    this: Option<(&'a str, &'a DrawDir)>,
}

impl<'a> OnDisk<'a> {
    fn new(log_path: &Path, this: Option<(&'a str, &'a DrawDir)>) -> Self {
        OnDisk {
            office: office_dir(log_path),
            this,
        }
    }

    fn path(&self, draw_id: &str, name: &str) -> PathBuf {
        match self.this {
            Some((id, dir)) if id == draw_id => dir.path(name),
            _ => self.office.join(draw_id).join(name),
        }
    }
}

impl steps::Records for OnDisk<'_> {
    fn document(&self, draw_id: &str, name: &str) -> Option<Vec<u8>> {
        files::read_limited(self.path(draw_id, name), MAX_DOCUMENT_BYTES).ok()
    }

    fn has(&self, draw_id: &str, name: &str) -> bool {
        self.path(draw_id, name).exists()
    }
}

/// A step's refusal as the folder's error: documents named by their paths in `draw_dir`.
fn step_error(e: StepError, draw_dir: &Path, log_path: &Path) -> BundleError {
    match e {
        StepError::Document { name, source } => match name {
            Some(n) => doc_error(&draw_dir.join(n), source),
            None => doc_error(draw_dir, source),
        },
        StepError::Damaged(f) => log_error(log_path, AppendError::Damaged(f)),
        StepError::Log(f) => log_error(log_path, AppendError::Refused(f)),
        StepError::State { draw_id, state } => BundleError::LogState {
            log: log_path.to_path_buf(),
            draw_id,
            state,
        },
        StepError::NotYetDue { scheduled_at, now } => BundleError::NotYetDue { scheduled_at, now },
        StepError::UnknownParty { party } => BundleError::UnknownParty { party },
        StepError::MissingReveal { party, .. } => BundleError::MissingReveal {
            party,
            hint: "the witness must reveal its secret".into(),
        },
        StepError::Unsigned { name } => BundleError::Missing {
            path: draw_dir.join(name),
            what: Needed::Signature,
        },
        StepError::Sign { name, source } => sign_error(&draw_dir.join(name), source),
        StepError::Exists { name } => BundleError::Exists {
            path: draw_dir.join(name),
        },
        StepError::AlreadyDrawn { name } => BundleError::AlreadyDrawn {
            path: draw_dir.join(name),
        },
        StepError::BadName(e) => BundleError::BadName(e),
        StepError::Jcs(e) => BundleError::Jcs(e),
    }
}

fn stored<T>(doc: &ReadDocument<T>) -> Stored<'_> {
    Stored {
        bytes: &doc.bytes,
        signature: doc.signature.as_deref(),
    }
}

/// Runs `step` under the log's lock and appends the entry it returns, then writes the
/// checkpoint of the new log (SPEC §12.3).
fn append_step<F>(
    log_path: &Path,
    key: &SecretKey,
    time: Timestamp,
    step: F,
) -> Result<Entry, BundleError>
where
    F: FnOnce(&LogReport) -> Result<log::Record, BundleError>,
{
    let entry = log::append_with(log_path, step).map_err(|e| match e {
        log::AppendError::Step(inner) => inner,
        log::AppendError::File(f) => BundleError::File(f),
        log::AppendError::Damaged(f) => log_error(log_path, log::AppendError::Damaged(f)),
        log::AppendError::Refused(f) => log_error(log_path, log::AppendError::Refused(f)),
        log::AppendError::Jcs(j) => BundleError::Jcs(j),
    })?;
    write_checkpoint(log_path, key, time)?;
    Ok(entry)
}

/// Writes the signed checkpoint of the log at `log_path` into `checkpoints/` beside it, unless
/// that checkpoint exists. Returns its path.
pub fn write_checkpoint(
    log_path: &Path,
    key: &SecretKey,
    time: Timestamp,
) -> Result<PathBuf, BundleError> {
    let report = log::read(log_path).map_err(|e| log_error(log_path, e))?;
    let cp = log::Checkpoint::of(&report, &key.key_id().to_string(), time);
    let dir = office_dir(log_path).join(CHECKPOINT_DIR);
    create_dir(&dir)?;
    let name = cp.file_name();
    let path = dir.join(&name);
    if path.exists() {
        return Ok(path);
    }
    let bytes = cp.to_canonical()?;
    let comment = TrustedComment::new()
        .with("log", &cp.size.to_string())
        .and_then(|c| c.with("file", &name))
        .and_then(|c| c.with("sha256", &Digest32::of(&bytes).to_hex()))
        .map_err(|e| sign_error(&path, e))?;
    let sig = sign::sign(
        key,
        &bytes,
        &comment.to_string(),
        "double-random checkpoint",
    )
    .map_err(|e| sign_error(&path, e))?
    .to_minisig();
    files::write_new(&path, &bytes)?;
    files::write_new(dir.join(signature_file(&name)), sig.as_bytes())?;
    Ok(path)
}

// ---------------------------------------------------------------------------------------------
// Ceremony steps on disk
// ---------------------------------------------------------------------------------------------

/// What an announcement needs.
#[derive(Debug)]
pub struct AnnounceRequest<'a> {
    /// The draw's id, unique in the office log.
    pub draw_id: &'a str,
    /// The inputs, as loaded.
    pub inputs: &'a Inputs,
    /// The organizer's signing key.
    pub key: &'a SecretKey,
    /// The organizer's party name.
    pub organizer: &'a str,
    /// The organizer's fresh seed secret.
    pub organizer_secret: &'a Secret,
    /// Witnesses and their commitments, in the order given.
    pub witnesses: &'a [(String, Digest32)],
    /// The beacon named in advance, if any.
    pub beacon: Option<BeaconSpec>,
    /// When the announcement is made.
    pub announced_at: Timestamp,
    /// When the draw is scheduled.
    pub scheduled_at: Timestamp,
    /// A drill without witness or beacon: the office alone chooses the seed (SPEC §9).
    pub drill: bool,
}

/// Announces a draw (SPEC §9, §12.2): refuses unless a witness or a beacon brings randomness
/// the office cannot know (or `drill` says this is a drill), unless the task is free (no draw
/// of it pending or drawn), and when a witness's commitment was seen before; cites the task's
/// last void; writes the organizer's secret into the private folder, copies the inputs and the
/// public key into the draw folder, writes `announcement.json` and its signature at its log
/// position, appends it to the log and writes the new checkpoint.
///
/// Refuses when the draw folder already holds an announcement, when the log already knows the
/// draw id, or when the private folder lies inside the draw folder.
///
/// A whole ceremony on disk:
///
/// ```
/// use double_random::bundle::*;
/// use double_random::ceremony::commit::{commitment, Secret};
/// use double_random::sign::SecretKey;
///
/// let office = tempfile::tempdir()?;
/// let rosters = office.path().join("rosters");
/// example_input_files(&rosters)?;
/// let private = PrivateDir::new(office.path().join("private"));
/// let log = office.path().join(LOG_FILE);
/// let key = SecretKey::generate()?;
/// let folder = DrawDir::new(office.path().join("D1"));
/// let witness = Secret::generate()?;
///
/// let inputs = load_inputs(&rosters, None)?;
/// let t = |s: &str| s.parse().unwrap();
/// let ann = announce(&folder, &private, &log, &AnnounceRequest {
///     draw_id: "D1", inputs: &inputs, key: &key, organizer: "organizer",
///     organizer_secret: &Secret::generate()?,
///     witnesses: &[("witness".into(), commitment("D1", "witness", &witness))], beacon: None,
///     announced_at: t("2026-03-01T01:00:00Z"), scheduled_at: t("2026-03-01T02:00:00Z"),
///     drill: false,
/// })?;
/// assert_eq!(draw_state(&log, "D1")?, DrawState::Pending);
///
/// let drawn = draw(&folder, &private, &log, &DrawRequest {
///     key: &key, reveals: &[("witness".into(), witness)], beacon: None,
///     drawn_at: t("2026-03-01T02:00:00Z"),
/// }, &mut NoProgress)?;
/// assert_eq!(drawn.sheet.entities.len(), 3);
/// assert_eq!(drawn.sheet.announcement, ann.digest()?);
///
/// // The auditor's call.
/// let report = verify_dir(folder.root(), Some(&key.public_key()))?;
/// assert!(report.passed(), "{:?}", report.findings);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn announce(
    draw_dir: &DrawDir,
    private: &PrivateDir,
    log_path: &Path,
    req: &AnnounceRequest<'_>,
) -> Result<Announcement, BundleError> {
    let step = steps::AnnounceStep {
        draw_id: req.draw_id,
        plan: &req.inputs.plan,
        inputs: req.inputs.digests,
        key: req.key,
        organizer: req.organizer,
        organizer_secret: req.organizer_secret,
        witnesses: req.witnesses,
        beacon: req.beacon.as_ref(),
        announced_at: req.announced_at,
        scheduled_at: req.scheduled_at,
        drill: req.drill,
    };
    step.check()
        .map_err(|e| step_error(e, draw_dir.root(), log_path))?;
    check_private_outside(private.root(), draw_dir.root())?;
    for n in [ANNOUNCEMENT_FILE, SHEET_FILE, VOID_FILE] {
        if draw_dir.has(n) {
            return Err(BundleError::Exists {
                path: draw_dir.path(n),
            });
        }
    }
    let secret_path = private.secret_path(req.draw_id, req.organizer)?;
    if secret_path.exists() {
        return Err(BundleError::Exists { path: secret_path });
    }
    let records = OnDisk::new(log_path, None);
    let mut made = None;
    append_step(log_path, req.key, req.announced_at, |report| {
        let m = steps::announce(report, &records, &step)
            .map_err(|e| step_error(e, draw_dir.root(), log_path))?;
        create_dir(draw_dir.root())?;
        private.write_secret(req.draw_id, req.organizer, req.organizer_secret)?;
        for (from, name) in req.inputs.paths.standard_names() {
            draw_dir.copy_in(from, &name)?;
        }
        let pub_path = draw_dir.path(PUBLIC_KEY_FILE);
        if pub_path.exists() {
            let same = read_public_key_file(&pub_path).is_ok_and(|k| k == req.key.public_key());
            if !same {
                return Err(BundleError::Exists { path: pub_path });
            }
        } else {
            files::write_new(&pub_path, req.key.public_key().to_minisign().as_bytes())?;
        }
        draw_dir.write_signed(&m.document)?;
        let record = m.record();
        made = Some(m.value);
        Ok(record)
    })?;
    made.ok_or(BundleError::Missing {
        path: draw_dir.path(ANNOUNCEMENT_FILE),
        what: Needed::Announcement,
    })
}

/// What a draw needs besides the draw folder.
#[derive(Debug)]
pub struct DrawRequest<'a> {
    /// The organizer's signing key (the announcement must carry its key id).
    pub key: &'a SecretKey,
    /// Secrets revealed by parties (witnesses; an organizer's secret may be given here too,
    /// otherwise it is read from the private folder).
    pub reveals: &'a [(String, Secret)],
    /// The beacon value, when the announcement names a beacon.
    pub beacon: Option<BeaconValue>,
    /// When the draw is made (no earlier than the scheduled time).
    pub drawn_at: Timestamp,
}

/// A draw made: the announcement, the sheet and the inputs it was made from.
#[derive(Debug)]
pub struct Drawn {
    /// The announcement.
    pub announcement: Announcement,
    /// The sheet written.
    pub sheet: Sheet,
    /// The inputs read from the draw folder.
    pub inputs: Inputs,
}

/// Makes the draw of an announced ceremony: checks the reveals against the commitments and
/// against every secret revealed before in the log, runs the draw on the inputs in the draw
/// folder, writes `sheet.json` and its signature at its log position, and appends it.
///
/// Refuses when the sheet exists, when the log shows the draw as drawn or void, or before the
/// scheduled time. (See [`announce`] for a whole ceremony.)
pub fn draw(
    draw_dir: &DrawDir,
    private: &PrivateDir,
    log_path: &Path,
    req: &DrawRequest<'_>,
    progress: &mut dyn Progress,
) -> Result<Drawn, BundleError> {
    let ann_doc = draw_dir.read_announcement()?;
    let records = OnDisk::new(log_path, Some((&ann_doc.value.draw_id, draw_dir)));
    let fail = |e| step_error(e, draw_dir.root(), log_path);
    let given = steps::DrawStep {
        announcement: stored(&ann_doc),
        key: req.key,
        reveals: req.reveals,
        beacon: req.beacon.as_ref(),
        drawn_at: req.drawn_at,
    };
    // The log is checked again under its lock; this first look refuses early, before any
    // secret is read.
    let before = log::read(log_path).map_err(|e| log_error(log_path, e))?;
    let ann = steps::may_draw(&before, &records, &given).map_err(fail)?;
    let mut reveals = req.reveals.to_vec();
    for p in &ann.parties {
        if p.role == Role::Organizer && !reveals.iter().any(|(n, _)| n == &p.name) {
            reveals.push((p.name.clone(), private.read_secret(&ann.draw_id, &p.name)?));
        }
    }
    let inputs = load_draw_inputs(draw_dir, progress)?;
    let step = steps::DrawStep {
        reveals: &reveals,
        ..given
    };
    let mut made = None;
    append_step(log_path, req.key, req.drawn_at, |report| {
        let m = steps::draw(report, &records, &step, &inputs.as_draw_inputs()).map_err(fail)?;
        draw_dir.write_signed(&m.document)?;
        let record = m.record();
        made = Some(m.value);
        Ok(record)
    })?;
    let sheet = made.ok_or(BundleError::Missing {
        path: draw_dir.path(SHEET_FILE),
        what: Needed::Sheet,
    })?;
    Ok(Drawn {
        announcement: ann,
        sheet,
        inputs,
    })
}

/// Checks that a document read from `draw_dir` carries the organizer's own signature.
fn check_own_signature<T>(
    draw_dir: &DrawDir,
    log_path: &Path,
    doc: &ReadDocument<T>,
    key: &SecretKey,
    draw_id: &str,
) -> Result<(), BundleError> {
    steps::check_signature(stored(doc), &doc.name, key, draw_id)
        .map_err(|e| step_error(e, draw_dir.root(), log_path))
}

/// Loads the inputs from a draw folder (by standard names) and checks them against the
/// announcement's digests.
fn load_draw_inputs(
    draw_dir: &DrawDir,
    progress: &mut dyn Progress,
) -> Result<Inputs, BundleError> {
    let paths = draw_dir.input_paths().map_err(BundleError::Inputs)?;
    // The announcement fixed these inputs; the needed-column guard was announce's to apply.
    load_input_files_with(&paths, progress, true, Guard::Replay)
}

/// Records an amendment (补抽 / 回避) of a drawn sheet: computes it from the rankings fixed by
/// the seed (SPEC §11), writes `amendment-<n>.json` and its signature at its log position, and
/// appends it to the log.
///
/// The inputs are read from the draw folder and must be the announced ones.
pub fn amend(
    draw_dir: &DrawDir,
    log_path: &Path,
    key: &SecretKey,
    action: Action,
    reason: Reason,
    amended_at: Timestamp,
    progress: &mut dyn Progress,
) -> Result<(Amendment, Drawn), BundleError> {
    let ann_doc = draw_dir.read_announcement()?;
    let ann = ann_doc.value.clone();
    check_own_signature(draw_dir, log_path, &ann_doc, key, &ann.draw_id)?;
    let Some(sheet_doc) = draw_dir.read_sheet()? else {
        return Err(BundleError::Missing {
            path: draw_dir.path(SHEET_FILE),
            what: Needed::SheetBeforeAmendment,
        });
    };
    check_own_signature(draw_dir, log_path, &sheet_doc, key, &ann.draw_id)?;
    let previous: Vec<Amendment> = draw_dir
        .read_amendments()?
        .into_iter()
        .map(|d| d.value)
        .collect();
    let inputs = load_draw_inputs(draw_dir, progress)?;
    let step = steps::AmendStep {
        announcement: stored(&ann_doc),
        sheet: stored(&sheet_doc),
        previous: &previous,
        key,
        action: &action,
        reason: &reason,
        amended_at,
    };
    let mut made = None;
    append_step(log_path, key, amended_at, |report| {
        let m = steps::amend(report, &step, &inputs.as_draw_inputs(), &inputs.digests)
            .map_err(|e| step_error(e, draw_dir.root(), log_path))?;
        draw_dir.write_signed(&m.document)?;
        let record = m.record();
        made = Some(m.value);
        Ok(record)
    })?;
    let a = made.ok_or(BundleError::Missing {
        path: draw_dir.root().to_path_buf(),
        what: Needed::Amendment,
    })?;
    Ok((
        a,
        Drawn {
            announcement: ann,
            sheet: sheet_doc.value,
            inputs,
        },
    ))
}

/// Voids an announced draw that will not be drawn (SPEC §11.5): writes the signed `void.json`
/// at its log position and appends it. A void draw can never be drawn, and the next
/// announcement of its task cites the void.
///
/// Refuses a draw that already has a sheet: amendments are the way after a draw.
pub fn void(
    draw_dir: &DrawDir,
    log_path: &Path,
    key: &SecretKey,
    reason: VoidReason,
    time: Timestamp,
) -> Result<Void, BundleError> {
    let ann_doc = draw_dir.read_announcement()?;
    let records = OnDisk::new(log_path, Some((&ann_doc.value.draw_id, draw_dir)));
    let step = steps::VoidStep {
        announcement: stored(&ann_doc),
        key,
        reason: &reason,
        time,
    };
    let fail = |e| step_error(e, draw_dir.root(), log_path);
    // Refuses a drawn draw before the log is locked.
    check_own_signature(draw_dir, log_path, &ann_doc, key, &ann_doc.value.draw_id)?;
    if draw_dir.has(SHEET_FILE) {
        return Err(BundleError::AlreadyDrawn {
            path: draw_dir.path(SHEET_FILE),
        });
    }
    let mut made = None;
    append_step(log_path, key, time, |report| {
        let m = steps::void(report, &records, &step).map_err(fail)?;
        draw_dir.write_signed(&m.document)?;
        let record = m.record();
        made = Some(m.value);
        Ok(record)
    })?;
    made.ok_or(BundleError::Missing {
        path: draw_dir.path(VOID_FILE),
        what: Needed::Void,
    })
}

// ---------------------------------------------------------------------------------------------
// Verification of a folder
// ---------------------------------------------------------------------------------------------

/// How deep a folder could be verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Depth {
    /// Only an announcement (the draw has not been made): signature, consistency, and the
    /// inputs' digests when they are present.
    Announcement,
    /// Public checks: signatures, citations, commitments, beacon, seed.
    Public,
    /// Public checks and each stratum's k against the plan.
    Plan,
    /// Everything replayed from the inputs.
    Full,
}

/// The result of [`verify_dir_detailed`].
#[derive(Debug, Clone)]
pub struct DirVerification {
    /// Checks and findings.
    pub report: Report,
    /// How deep the check went.
    pub depth: Depth,
    /// Inputs that were not in the folder (so the replay could not be made).
    pub withheld: Vec<String>,
    /// Whether the public key was taken from the folder itself rather than given.
    pub key_from_folder: bool,
    /// The draw id.
    pub draw_id: String,
    /// The number of amendments found.
    pub amendments: usize,
    /// What stops the office from choosing this result (SPEC §13.3), when the announcement
    /// could be read.
    pub trust: Option<verify::TrustSummary>,
    /// The views present (`sheet.csv`, `sheet.xlsx`, `notice.html`), rebuilt from the
    /// documents and compared; a view that differs is a failure, see [`crate::publish::check`].
    pub views: Vec<crate::publish::check::ViewCheck>,
}

impl DirVerification {
    /// PASS: every check succeeded, every view present matches the documents, and the public
    /// key was named by the verifier.
    pub fn passed(&self) -> bool {
        self.report.passed() && !self.key_from_folder && !self.views.iter().any(|v| v.failed())
    }
}

/// Verifies a draw folder: the auditor's one call.
///
/// Loads what is present and checks as deep as it allows (see [`Depth`]). `public_key` is the
/// organizer's key as obtained independently; without it, `organizer.pub` in the folder is used,
/// which proves only that the files agree with each other.
///
/// ```
/// use double_random::bundle::{verify_dir, BundleError};
/// let dir = tempfile::tempdir()?;
/// // An empty folder holds no announcement: an error, not a FAIL.
/// assert!(matches!(verify_dir(dir.path(), None), Err(BundleError::Missing { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// See [`announce`] for a verification that passes and [`verify_dir_detailed`] for one that
/// fails.
pub fn verify_dir(dir: &Path, public_key: Option<&PublicKey>) -> Result<Report, BundleError> {
    verify_dir_detailed(dir, public_key, &mut NoProgress).map(|v| v.report)
}

/// [`verify_dir`], also saying how deep it went and what was withheld.
///
/// ```
/// # use double_random::bundle::*;
/// # use double_random::ceremony::commit::Secret;
/// # use double_random::sign::SecretKey;
/// # let office = tempfile::tempdir()?;
/// # example_input_files(&office.path().join("r"))?;
/// # let private = PrivateDir::new(office.path().join("private"));
/// # let log = office.path().join(LOG_FILE);
/// # let key = SecretKey::generate()?;
/// # let folder = DrawDir::new(office.path().join("D1"));
/// # let inputs = load_inputs(&office.path().join("r"), None)?;
/// # let t = |s: &str| s.parse().unwrap();
/// # announce(&folder, &private, &log, &AnnounceRequest {
/// #     draw_id: "D1", inputs: &inputs, key: &key, organizer: "organizer",
/// #     organizer_secret: &Secret::generate()?, witnesses: &[], beacon: None,
/// #     announced_at: t("2026-03-01T01:00:00Z"), scheduled_at: t("2026-03-01T01:00:00Z"),
/// #     drill: true,
/// # })?;
/// # draw(&folder, &private, &log, &DrawRequest { key: &key, reveals: &[], beacon: None,
/// #     drawn_at: t("2026-03-01T01:00:00Z") }, &mut NoProgress)?;
/// // The public folder: the inspector roster is withheld, so no full replay.
/// std::fs::remove_file(folder.path("inspectors.csv"))?;
/// let v = verify_dir_detailed(folder.root(), Some(&key.public_key()), &mut NoProgress)?;
/// assert!(v.report.passed());
/// assert_eq!(v.depth, Depth::Plan);
/// assert_eq!(v.withheld, ["inspectors.csv"]);
///
/// // Another office's key: FAIL, naming the documents.
/// let other = SecretKey::generate()?.public_key();
/// let v = verify_dir_detailed(folder.root(), Some(&other), &mut NoProgress)?;
/// assert!(!v.report.passed());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify_dir_detailed(
    dir: &Path,
    public_key: Option<&PublicKey>,
    progress: &mut dyn Progress,
) -> Result<DirVerification, BundleError> {
    let opts = VerifyOptions {
        public_key,
        ..VerifyOptions::default()
    };
    verify_dir_with(dir, &opts, progress)
}

/// How the timestamp token beside the announcement proves its time (SPEC §8.5, §8.6).
fn time_proof(
    d: &DrawDir,
    ann: &Announcement,
    ann_bytes: &[u8],
    trusted: &[Vec<u8>],
) -> verify::TimeProof {
    use verify::TimeProof;
    let Some(beacon) = &ann.beacon else {
        return TimeProof::NoBeacon;
    };
    let Ok(token) = files::read_limited(d.path(TIMESTAMP_FILE), MAX_SMALL_FILE_BYTES) else {
        return TimeProof::OfficeClaim;
    };
    if trusted.is_empty() {
        return TimeProof::NotChecked;
    }
    match crate::ceremony::timestamp::verify(&token, &Digest32::of(ann_bytes), trusted) {
        Err(e) => TimeProof::Failed {
            problem: verify::TimeProblem::Token(std::sync::Arc::new(e)),
        },
        Ok(v) => match beacon.time() {
            Ok(bt)
                if v.gen_time
                    .unix()
                    .saturating_add(crate::ceremony::MARGIN_SECONDS)
                    <= bt =>
            {
                TimeProof::Proven {
                    tsa: v.signer,
                    gen_time: v.gen_time,
                }
            }
            _ => TimeProof::Failed {
                problem: verify::TimeProblem::TooLate {
                    gen_time: v.gen_time,
                    margin_seconds: crate::ceremony::MARGIN_SECONDS,
                },
            },
        },
    }
}

/// [`verify_dir`] with every option: the log, strictness and trusted TSA certificates.
pub fn verify_dir_with(
    dir: &Path,
    opts: &VerifyOptions<'_>,
    progress: &mut dyn Progress,
) -> Result<DirVerification, BundleError> {
    let public_key = opts.public_key;
    let d = DrawDir::new(dir);
    let ann_bytes = d.read_bytes(ANNOUNCEMENT_FILE, Needed::Announcement)?;
    let ann_sig = d.read_signature(ANNOUNCEMENT_FILE)?;
    let (key, key_from_folder) = match public_key {
        Some(k) => (*k, false),
        None => (d.read_public_key()?, true),
    };
    let mut findings = vec![];
    let missing_sig = |name: &str, sig: &Option<String>, findings: &mut Vec<Finding>| {
        if sig.is_none() {
            findings.push(Finding::SignatureMissing {
                document: signature_file(name),
            });
        }
    };
    missing_sig(ANNOUNCEMENT_FILE, &ann_sig, &mut findings);
    let sheet_bytes = if d.has(SHEET_FILE) {
        Some(d.read_bytes(SHEET_FILE, Needed::Sheet)?)
    } else {
        None
    };
    let sheet_sig = d.read_signature(SHEET_FILE)?;
    let mut amendments = vec![];
    for seq in 1u32.. {
        let name = amendment_file(seq);
        if !d.has(&name) {
            break;
        }
        let bytes = d.read_bytes(&name, Needed::Amendment)?;
        let sig = d.read_signature(&name)?;
        amendments.push((name, bytes, sig));
    }
    for stray in d.stray_amendments(amendments.len()) {
        findings.push(Finding::AmendmentGap { document: stray });
    }
    // Inputs: all of them for a replay; the plan alone for the quota check.
    let ann = Announcement::parse(&ann_bytes).ok();
    let draw_id = ann.as_ref().map(|a| a.draw_id.clone()).unwrap_or_default();
    let mut withheld = vec![];
    let mut plan: Option<Plan> = None;
    let mut inputs: Option<Inputs> = None;
    match InputPaths::find(dir, None) {
        Ok(paths) => {
            // Conflicts or history announced with rows but absent: withheld, no replay.
            let mut complete = true;
            if let Some(a) = &ann {
                for (file, present, rows) in [
                    (
                        "conflicts.csv",
                        paths.conflicts.is_some(),
                        a.inputs.conflicts.rows,
                    ),
                    (
                        "history.csv",
                        paths.history.is_some(),
                        a.inputs.history.rows,
                    ),
                ] {
                    if !present && rows > 0 {
                        withheld.push(file.to_string());
                        complete = false;
                    }
                }
            }
            if complete {
                match load_input_files_with(&paths, progress, true, Guard::Replay) {
                    Ok(i) => inputs = Some(i),
                    Err(BundleError::Inputs(p)) => {
                        for problem in p.problems {
                            findings.push(input_finding(&problem));
                        }
                    }
                    Err(e) => return Err(e),
                }
            } else {
                plan = read_plan_quietly(&paths.plan, &mut findings);
            }
        }
        Err(p) => {
            for problem in &p.problems {
                if let InputProblem::Missing { path, .. } = problem {
                    withheld.push(
                        path.file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                    );
                } else {
                    findings.push(input_finding(problem));
                }
            }
            let plan_path = d.path(PLAN_FILE);
            if plan_path.is_file() {
                plan = read_plan_quietly(&plan_path, &mut findings);
            }
        }
    }
    let amendment_count = amendments.len();
    let (mut report, depth) = match &sheet_bytes {
        None => (
            verify_announcement_only(&key, &ann_bytes, ann_sig.as_deref(), inputs.as_ref()),
            Depth::Announcement,
        ),
        Some(sheet_bytes) => {
            missing_sig(SHEET_FILE, &sheet_sig, &mut findings);
            for (name, _, sig) in &amendments {
                missing_sig(name, sig, &mut findings);
            }
            let published = Published {
                public_key: &key,
                announcement: SignedDocument {
                    name: ANNOUNCEMENT_FILE,
                    bytes: &ann_bytes,
                    signature: ann_sig.as_deref().unwrap_or(""),
                },
                sheet: SignedDocument {
                    name: SHEET_FILE,
                    bytes: sheet_bytes,
                    signature: sheet_sig.as_deref().unwrap_or(""),
                },
                amendments: amendments
                    .iter()
                    .map(|(name, bytes, sig)| SignedDocument {
                        name,
                        bytes,
                        signature: sig.as_deref().unwrap_or(""),
                    })
                    .collect(),
            };
            let depth = if inputs.is_some() {
                Depth::Full
            } else if plan.is_some() {
                Depth::Plan
            } else {
                Depth::Public
            };
            let di = inputs.as_ref().map(Inputs::as_draw_inputs);
            (
                verify::verify(&published, plan.as_ref(), di.as_ref()),
                depth,
            )
        }
    };
    let mut log_trust = None;
    if let Some(log_path) = opts.log {
        report.checked.push(verify::Check::OfficeLog);
        let (mut f, t) = check_recorded(dir, log_path, opts.strict)?;
        findings.append(&mut f);
        log_trust = Some(t);
    }
    if d.has(VOID_FILE) {
        let vb = d.read_bytes(VOID_FILE, Needed::Void)?;
        match Void::parse(&vb) {
            Err(e) => findings.push(Finding::Unreadable {
                document: VOID_FILE.into(),
                error: std::sync::Arc::new(e),
            }),
            Ok(v) => {
                if sheet_bytes.is_some() {
                    findings.push(Finding::VoidWithSheet {
                        document: VOID_FILE.into(),
                    });
                }
                if v.announcement != Digest32::of(&ann_bytes) {
                    findings.push(Finding::Cites {
                        document: VOID_FILE.into(),
                        field: "announcement",
                        expected: Digest32::of(&ann_bytes).to_hex(),
                        found: v.announcement.to_hex(),
                    });
                }
                match d.read_signature(VOID_FILE)? {
                    None => findings.push(Finding::SignatureMissing {
                        document: signature_file(VOID_FILE),
                    }),
                    Some(t) => {
                        if let Err(error) =
                            Signature::parse(&t).and_then(|s| sign::verify(&key, &vb, &s))
                        {
                            findings.push(Finding::Signature {
                                document: VOID_FILE.into(),
                                error,
                            });
                        }
                    }
                }
            }
        }
    }
    let trust = ann.as_ref().map(|a| {
        let proof = time_proof(&d, a, &ann_bytes, opts.tsa_certificates);
        if let verify::TimeProof::Failed { problem } = &proof {
            findings.push(Finding::Timestamp {
                document: TIMESTAMP_FILE.into(),
                problem: problem.clone(),
            });
        }
        let parsed: Vec<Amendment> = amendments
            .iter()
            .filter_map(|(_, b, _)| Amendment::parse(b).ok())
            .collect();
        verify::TrustSummary::of(a, &parsed, proof, log_trust)
    });
    let mut all = findings;
    all.append(&mut report.findings);
    report.findings = all;
    Ok(DirVerification {
        report,
        depth,
        withheld,
        key_from_folder,
        draw_id,
        amendments: amendment_count,
        trust,
        views: crate::publish::check::check_views(
            dir,
            &ann_bytes,
            sheet_bytes.as_deref(),
            &amendments
                .iter()
                .map(|(_, b, _)| b.as_slice())
                .collect::<Vec<_>>(),
        ),
    })
}

/// What [`verify_dir_with`] is given besides the folder.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions<'a> {
    /// The organizer's public key as obtained independently. Without it, `organizer.pub` in
    /// the folder is used, which proves only that the files agree with each other: never PASS.
    pub public_key: Option<&'a PublicKey>,
    /// The office log (SPEC §12.4); its folder holds the other draws' folders.
    pub log: Option<&'a Path>,
    /// Report draws still pending in the log.
    pub strict: bool,
    /// Trusted TSA certificates (DER) for the timestamp token (SPEC §8.6).
    pub tsa_certificates: &'a [Vec<u8>],
}

/// Checks a draw folder against the office log (SPEC §12.2, §12.4): the log is sound; every
/// document of the draw is recorded at the position it carries; every entry's document is
/// published; `supersedes` cites the task's last void; no commitment or secret was used in
/// another draw. Returns the findings and what the log says about the draw's task.
///
/// This is what makes a quiet re-run visible: a second live draw of one task cannot be
/// recorded, a document that is not the recorded one does not match, and a recorded document
/// that was not published is named.
pub fn check_recorded(
    dir: &Path,
    log_path: &Path,
    strict: bool,
) -> Result<(Vec<Finding>, verify::LogTrust), BundleError> {
    let d = DrawDir::new(dir);
    let log_name = log_path.file_name().map_or_else(
        || LOG_FILE.to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let bytes = files::LogFile::open(log_path)?.read()?;
    let report = log::check(&bytes, strict);
    let mut findings: Vec<Finding> = report
        .findings
        .iter()
        .map(|f| Finding::Log {
            document: log_name.clone(),
            finding: f.clone(),
        })
        .collect();
    let mut trust = verify::LogTrust {
        siblings: vec![],
        supersedes: false,
    };
    let ann_bytes = d.read_bytes(ANNOUNCEMENT_FILE, Needed::Announcement)?;
    let Ok(ann) = Announcement::parse(&ann_bytes) else {
        return Ok((findings, trust));
    };
    let draw_id = ann.draw_id.clone();
    trust.supersedes = ann.supersedes.is_some();
    // Each document of this draw is recorded at the position it carries.
    let mut docs: Vec<(String, EntryKind, Vec<u8>, Option<log::Position>)> = vec![(
        ANNOUNCEMENT_FILE.into(),
        EntryKind::Announcement,
        ann_bytes.clone(),
        Some(ann.log),
    )];
    if d.has(SHEET_FILE) {
        let b = d.read_bytes(SHEET_FILE, Needed::Sheet)?;
        let pos = Sheet::parse(&b).ok().map(|s| s.log);
        docs.push((SHEET_FILE.into(), EntryKind::Sheet, b, pos));
    }
    for seq in 1u32.. {
        let name = amendment_file(seq);
        if !d.has(&name) {
            break;
        }
        let b = d.read_bytes(&name, Needed::Amendment)?;
        let pos = Amendment::parse(&b).ok().map(|a| a.log);
        docs.push((name, EntryKind::Amendment, b, pos));
    }
    if d.has(VOID_FILE) {
        let b = d.read_bytes(VOID_FILE, Needed::Void)?;
        let pos = Void::parse(&b).ok().map(|v| v.log);
        docs.push((VOID_FILE.into(), EntryKind::Void, b, pos));
    }
    for (name, kind, b, pos) in &docs {
        let Some(pos) = pos else { continue };
        let claims = log::document_claims(*kind, &draw_id, Digest32::of(b), *pos);
        if let Err(divergence) = log::extends(&report, &claims) {
            findings.push(Finding::NotInLog {
                document: name.clone(),
                line: pos.seq,
                log: log_name.clone(),
                divergence,
            });
        }
    }
    // Every entry's document is published (the draw folders sit beside the log).
    let office = office_dir(log_path);
    for rec in report.draws() {
        let mut amendment = 0u32;
        for e in &rec.entries {
            let file = match e.kind {
                EntryKind::Announcement => ANNOUNCEMENT_FILE.to_string(),
                EntryKind::Sheet => SHEET_FILE.to_string(),
                EntryKind::Void => VOID_FILE.to_string(),
                EntryKind::Amendment => {
                    amendment += 1;
                    amendment_file(amendment)
                }
            };
            let path = if rec.draw_id == draw_id {
                d.path(&file)
            } else {
                office.join(&rec.draw_id).join(&file)
            };
            let found = files::read_limited(&path, MAX_DOCUMENT_BYTES)
                .ok()
                .map(|b| Digest32::of(&b));
            if found != Some(e.document) {
                findings.push(Finding::Unpublished {
                    document: format!("{}/{file}", rec.draw_id),
                    line: e.seq,
                });
            }
        }
    }
    // The task's other draws, the void cited, commitments and secrets used once.
    let task = log::Task::of(&ann.plan);
    let this_line = ann.log.seq;
    let mut last_void: Option<Digest32> = None;
    for rec in report
        .draws()
        .into_iter()
        .filter(|r| r.task == task && r.draw_id != draw_id)
    {
        let void_reason = if rec.state == DrawState::Void {
            files::read_limited(
                office.join(&rec.draw_id).join(VOID_FILE),
                MAX_DOCUMENT_BYTES,
            )
            .ok()
            .and_then(|b| Void::parse(&b).ok())
            .map(|v| v.reason.code)
        } else {
            None
        };
        if let Some(v) = rec.entry(EntryKind::Void)
            && v.seq < this_line
        {
            last_void = Some(v.document);
        }
        trust.siblings.push(verify::Sibling {
            draw_id: rec.draw_id.clone(),
            state: rec.state,
            void_reason,
        });
    }
    if ann.supersedes != last_void {
        findings.push(Finding::Cites {
            document: ANNOUNCEMENT_FILE.into(),
            field: "supersedes",
            expected: last_void.map_or("null".into(), |d| d.to_hex()),
            found: ann.supersedes.map_or("null".into(), |d| d.to_hex()),
        });
    }
    let anns = steps::earlier_documents(
        &report,
        &OnDisk::new(log_path, None),
        EntryKind::Announcement,
        ANNOUNCEMENT_FILE,
        Announcement::parse,
    );
    for (other, a) in anns.into_iter().filter(|(id, _)| *id != draw_id) {
        for p in &ann.parties {
            if a.parties.iter().any(|q| q.commitment == p.commitment) {
                findings.push(Finding::Reused {
                    document: ANNOUNCEMENT_FILE.into(),
                    party: p.name.clone(),
                    what: verify::Reuse::Commitment,
                    other: other.clone(),
                });
            }
        }
    }
    if let Some(sheet) = d
        .has(SHEET_FILE)
        .then(|| d.read_bytes(SHEET_FILE, Needed::Sheet).ok())
        .flatten()
        .and_then(|b| Sheet::parse(&b).ok())
    {
        let sheets = steps::earlier_documents(
            &report,
            &OnDisk::new(log_path, None),
            EntryKind::Sheet,
            SHEET_FILE,
            Sheet::parse,
        );
        for (other, s) in sheets.into_iter().filter(|(id, _)| *id != draw_id) {
            for r in &sheet.reveals {
                if s.reveals.iter().any(|x| x.secret == r.secret) {
                    findings.push(Finding::Reused {
                        document: SHEET_FILE.into(),
                        party: r.name.clone(),
                        what: verify::Reuse::Secret,
                        other: other.clone(),
                    });
                }
            }
        }
    }
    Ok((findings, trust))
}

fn read_plan_quietly(path: &Path, findings: &mut Vec<Finding>) -> Option<Plan> {
    let mut problems = InputProblems::default();
    let plan = read_plan_file(path, &mut problems);
    for p in &problems.problems {
        findings.push(input_finding(p));
    }
    plan
}

fn input_finding(problem: &InputProblem) -> Finding {
    let document = match problem {
        InputProblem::Missing { path, .. }
        | InputProblem::UnsupportedType { path, .. }
        | InputProblem::Unreadable { path, .. } => path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        InputProblem::Ambiguous { csv, .. } => csv
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        InputProblem::Roster(e) => e.file.clone(),
        InputProblem::Plan(e) => e.file.clone(),
        InputProblem::Omitted { file, .. }
        | InputProblem::Draw { file, .. }
        | InputProblem::NeededColumn { file, .. } => file.clone(),
    };
    Finding::Input {
        document,
        problem: Box::new(problem.clone()),
    }
}

/// Checks an announcement alone (before the draw): its signature and signed comment, its key id,
/// its own consistency, and the inputs' digests when given.
fn verify_announcement_only(
    key: &PublicKey,
    bytes: &[u8],
    signature: Option<&str>,
    inputs: Option<&Inputs>,
) -> Report {
    let mut r = Report::default();
    let ann = match Announcement::parse(bytes) {
        Ok(a) => a,
        Err(e) => {
            r.findings.push(Finding::Unreadable {
                document: ANNOUNCEMENT_FILE.into(),
                error: std::sync::Arc::new(e),
            });
            return r;
        }
    };
    r.checked.push(verify::Check::Signature {
        document: ANNOUNCEMENT_FILE.into(),
    });
    let sig_result = Signature::parse(signature.unwrap_or(""))
        .and_then(|s| sign::verify(key, bytes, &s))
        .and_then(|v| v.fields());
    match sig_result {
        Err(error) => r.findings.push(Finding::Signature {
            document: ANNOUNCEMENT_FILE.into(),
            error,
        }),
        Ok(fields) => {
            let digest = Digest32::of(bytes).to_hex();
            for (field, want) in [("draw", ann.draw_id.as_str()), ("sha256", digest.as_str())] {
                let found = fields.get(field).unwrap_or("");
                if found != want {
                    r.findings.push(Finding::SignedComment {
                        document: ANNOUNCEMENT_FILE.into(),
                        field,
                        expected: want.to_string(),
                        found: found.to_string(),
                    });
                }
            }
        }
    }
    if ann.key_id != key.key_id().to_string() {
        r.findings.push(Finding::Cites {
            document: ANNOUNCEMENT_FILE.into(),
            field: "key_id",
            expected: key.key_id().to_string(),
            found: ann.key_id.clone(),
        });
    }
    if let Err(e) = ann.check() {
        r.findings.push(Finding::Unreadable {
            document: ANNOUNCEMENT_FILE.into(),
            error: std::sync::Arc::new(e),
        });
    }
    if let Some(inputs) = inputs {
        r.checked.push(verify::Check::InputDigests);
        for (name, announced, found) in ann.inputs.differences(&inputs.digests) {
            r.findings.push(Finding::InputChanged {
                input: name.to_string(),
                announced,
                found,
            });
        }
    }
    r
}

// ---------------------------------------------------------------------------------------------
// The publishable folder
// ---------------------------------------------------------------------------------------------

/// The office's publishable folder, inside the office folder: `<office>/public`.
pub const PUBLIC_DIR: &str = "public";

/// The files of a draw folder that may be published, besides the amendments (see
/// [`publish_office`]): the signed documents with their signatures, the timestamp token, the
/// plan, the items, the public key and the views. Never the rosters, never a secret.
pub const PUBLISHABLE_FILES: [&str; 12] = [
    ANNOUNCEMENT_FILE,
    "announcement.json.minisig",
    TIMESTAMP_FILE,
    SHEET_FILE,
    "sheet.json.minisig",
    VOID_FILE,
    "void.json.minisig",
    PLAN_FILE,
    "items.csv",
    PUBLIC_KEY_FILE,
    crate::publish::CSV_FILE,
    crate::publish::NOTICE_FILE,
];

/// How a file of the publishable folder may change.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A record or a key: written once, never replaced.
    Record,
    /// The office log: it only grows, so the copy may be replaced by a longer log it begins.
    Log,
    /// A view, rebuilt from the documents after each amendment: replaced.
    View,
}

/// Copies what the office may publish into `public` (normally `<office>/`[`PUBLIC_DIR`]):
/// `office.log`, `checkpoints/`, `organizer.pub`, and for each draw of the log whose folder is
/// `<office>/<draw id>`, the folder `public/<draw id>/` with only [`PUBLISHABLE_FILES`] and the
/// amendments with their signatures. Returns the files written (identical ones are skipped).
///
/// The draw folder stays the office's working folder: it also holds the rosters (the entity
/// roster with its internal risk classes, the inspectors' personal data, conflicts and history),
/// which allow a full replay to those entitled to it and are never copied here. The public copy
/// verifies at plan depth: `double-random verify <draw id> --public-key organizer.pub --log
/// office.log`, run inside `public`.
///
/// Every write is atomic. A record already in `public` that differs is refused, naming it
/// ([`BundleError::Exists`]), never overwritten; the log is replaced only by a longer log that
/// begins with the published one; the views (`sheet.csv`, `sheet.xlsx`, `notice.html`), which
/// are rebuilt after each amendment and checked against the documents by every verifier, are
/// replaced.
///
/// ```
/// # use double_random::bundle::*;
/// # use double_random::ceremony::commit::Secret;
/// # use double_random::sign::SecretKey;
/// let office = tempfile::tempdir()?;
/// # example_input_files(&office.path().join("r"))?;
/// # let private = PrivateDir::new(office.path().join("private"));
/// # let log = office.path().join(LOG_FILE);
/// # let key = SecretKey::generate()?;
/// # let folder = DrawDir::new(office.path().join("D1"));
/// # let inputs = load_inputs(&office.path().join("r"), None)?;
/// # let t = |s: &str| s.parse().unwrap();
/// # announce(&folder, &private, &log, &AnnounceRequest {
/// #     draw_id: "D1", inputs: &inputs, key: &key, organizer: "organizer",
/// #     organizer_secret: &Secret::generate()?, witnesses: &[], beacon: None,
/// #     announced_at: t("2026-03-01T01:00:00Z"), scheduled_at: t("2026-03-01T01:00:00Z"),
/// #     drill: true,
/// # })?;
/// // After the announcement of D1:
/// let public = office.path().join(PUBLIC_DIR);
/// let written = publish_office(office.path(), &public)?;
/// assert!(written.contains(&public.join("D1").join(ANNOUNCEMENT_FILE)));
/// assert!(public.join(LOG_FILE).is_file());
/// assert!(!public.join("D1").join("inspectors.csv").exists());
/// // Nothing new: nothing written.
/// assert!(publish_office(office.path(), &public)?.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn publish_office(office: &Path, public: &Path) -> Result<Vec<PathBuf>, BundleError> {
    let log_path = office.join(LOG_FILE);
    let mut written = vec![];
    if !log_path.is_file() {
        return Ok(written);
    }
    create_dir(public)?;
    let report = log::read(&log_path).map_err(|e| log_error(&log_path, e))?;
    publish_file(&log_path, &public.join(LOG_FILE), Kind::Log, &mut written)?;
    let checkpoints = office.join(CHECKPOINT_DIR);
    if checkpoints.is_dir() {
        let mut names: Vec<String> = std::fs::read_dir(&checkpoints)
            .map_err(|e| io_error(&checkpoints, e))?
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| !n.starts_with('.'))
            .collect();
        names.sort();
        if !names.is_empty() {
            create_dir(&public.join(CHECKPOINT_DIR))?;
        }
        for n in names {
            publish_file(
                &checkpoints.join(&n),
                &public.join(CHECKPOINT_DIR).join(&n),
                Kind::Record,
                &mut written,
            )?;
        }
    }
    let key = office.join(PUBLIC_KEY_FILE);
    if key.is_file() {
        publish_file(
            &key,
            &public.join(PUBLIC_KEY_FILE),
            Kind::Record,
            &mut written,
        )?;
    }
    for id in report.draws().into_iter().map(|r| r.draw_id) {
        // Draw ids follow SPEC §3.6, so each is one plain folder name.
        if check_name("draw id", &id).is_err() {
            continue;
        }
        let from = DrawDir::new(office.join(&id));
        if !from.root().is_dir() {
            continue;
        }
        let to = public.join(&id);
        let mut names: Vec<(String, Kind)> = PUBLISHABLE_FILES
            .iter()
            .map(|n| {
                let view = [crate::publish::CSV_FILE, crate::publish::NOTICE_FILE].contains(n);
                (n.to_string(), if view { Kind::View } else { Kind::Record })
            })
            .collect();
        names.push((crate::publish::XLSX_FILE.to_string(), Kind::View));
        for seq in 1u32.. {
            let name = amendment_file(seq);
            if !from.has(&name) {
                break;
            }
            names.push((signature_file(&name), Kind::Record));
            names.push((name, Kind::Record));
        }
        for (name, kind) in names {
            let src = from.path(&name);
            if src.is_file() {
                create_dir(&to)?;
                publish_file(&src, &to.join(&name), kind, &mut written)?;
            }
        }
    }
    Ok(written)
}

fn io_error(path: &Path, e: std::io::Error) -> BundleError {
    BundleError::File(FileError::Io {
        path: path.to_path_buf(),
        op: files::FileOp::Read,
        kind: e.kind(),
        source: e,
    })
}

/// Copies `from` to `to` as [`publish_office`] describes, pushing `to` when written.
fn publish_file(
    from: &Path,
    to: &Path,
    kind: Kind,
    written: &mut Vec<PathBuf>,
) -> Result<(), BundleError> {
    let bytes = files::read_limited(from, MAX_DOCUMENT_BYTES)?;
    if to.exists() {
        let existing = files::read_limited(to, MAX_DOCUMENT_BYTES)?;
        if existing == bytes {
            return Ok(());
        }
        let replace = match kind {
            Kind::Record => false,
            Kind::Log => bytes.starts_with(&existing),
            Kind::View => true,
        };
        if !replace {
            return Err(BundleError::Exists {
                path: to.to_path_buf(),
            });
        }
        files::write_replace(to, &bytes)?;
    } else {
        files::write_new(to, &bytes)?;
    }
    written.push(to.to_path_buf());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example inputs, with `entities` as the entity roster's bytes if given.
    fn inputs_with(entities: Option<&[u8]>) -> (tempfile::TempDir, InputPaths) {
        let dir = tempfile::tempdir().unwrap();
        example_input_files(dir.path()).unwrap();
        if let Some(bytes) = entities {
            std::fs::write(dir.path().join("entities.csv"), bytes).unwrap();
        }
        let paths = InputPaths::find(dir.path(), None).unwrap();
        (dir, paths)
    }

    #[test]
    fn a_missing_column_the_plan_reads_is_refused_before_announcing_but_replays_with_its_default() {
        // The example roster without its kind column, and a plan filtering on kinds.
        let roster = "统一社会信用代码,名称,行政区划代码,登记状态\n\
                      91520102MA6D0000X3,甲商贸有限公司,520102,存续\n\
                      92520103MA6D00018E,乙餐饮店,520103,存续\n";
        let (dir, paths) = inputs_with(Some(roster.as_bytes()));
        let plan = std::fs::read_to_string(dir.path().join("plan.toml")).unwrap();
        let plan = plan.replace("[strata]", "[filters]\nkinds = [\"企业\"]\n[strata]");
        std::fs::write(dir.path().join("plan.toml"), plan).unwrap();
        let office = load_input_files_with(&paths, &mut NoProgress, false, Guard::Office);
        let Err(BundleError::Inputs(p)) = office else {
            panic!("the office's check accepted a roster without the kind column")
        };
        assert!(
            matches!(
                &p.problems[..],
                [InputProblem::NeededColumn { field: "kind", .. }]
            ),
            "{p}"
        );
        // A verifier replays the same files: every kind is the default (none), so no entity
        // passes the filter, as the draw that was announced from them found too.
        let replay = load_input_files_with(&paths, &mut NoProgress, false, Guard::Replay);
        let inputs = replay.expect("replay loads the inputs the draw used");
        assert_eq!(inputs.entities.len(), 2);
        assert!(inputs.entities.iter().all(|e| e.kind.is_none()));
    }

    #[test]
    fn the_entity_roster_loads_alike_on_every_core_and_on_one() {
        let header = "统一社会信用代码,名称,市场主体类型,行政区划代码,登记状态,标签\n";
        let mut plain = String::from(header);
        for i in 0..20_000u64 {
            let id = crate::formats::entity_scan::tests::uscc(i);
            // Every 500th name has spaces around it: a warning-free row off the plain path.
            let name = if i % 500 == 1 {
                format!(" 甲{i} ")
            } else {
                format!("甲{i}有限公司")
            };
            plain.push_str(&format!("{id},{name},企业,520102,存续,食品;特种设备\n"));
        }
        let quoted = plain.replacen("甲3有限公司", "\"甲3,有限公司\"", 1);
        let twice = format!("{plain}{}", plain.lines().nth(9).unwrap());
        let broken = plain.replacen(",520102,", ",52010X,", 1);
        let gbk = encoding_rs::GBK.encode(&plain).0.into_owned();
        let cases: [(&str, Option<&[u8]>); 6] = [
            ("plain", Some(plain.as_bytes())),
            ("quoted", Some(quoted.as_bytes())),
            ("an id twice", Some(twice.as_bytes())),
            ("a broken row", Some(broken.as_bytes())),
            ("GBK", Some(&gbk)),
            ("the example", None),
        ];
        for (what, bytes) in cases {
            let (_dir, paths) = inputs_with(bytes);
            let parallel = load_input_files_with(&paths, &mut NoProgress, true, Guard::Office);
            let sequential = load_input_files_with(&paths, &mut NoProgress, false, Guard::Office);
            assert_eq!(format!("{parallel:?}"), format!("{sequential:?}"), "{what}");
            let outcome = match what {
                "an id twice" | "a broken row" => parallel.is_err(),
                _ => parallel.is_ok(),
            };
            assert!(outcome, "{what}");
        }
        // The plain roster is one the parallel reader takes.
        let read = crate::formats::entity_scan::read_all("e.csv", plain.as_bytes(), 2).unwrap();
        assert_eq!(read.rows.len(), 20_000);
    }
}
