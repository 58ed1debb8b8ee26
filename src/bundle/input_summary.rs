//! What checking and announcing need of a draw's inputs, streamed when the files allow it.

use super::*;
use crate::draw::entities::StratumDraw;
use crate::formats::files::StagedCopy;
use crate::pipeline;
use std::sync::{Arc, Mutex};

/// What an announcement needs of its inputs: where they are (they are copied into the draw
/// folder), the plan and the digests it commits to.
///
/// Both [`Inputs`] (every row read) and [`InputSummary`] (the rosters streamed) give it, so an
/// [`AnnounceRequest`] takes either.
///
/// ```
/// use double_random::bundle::{AnnouncedInputs, InputPaths, NoProgress};
/// let dir = tempfile::tempdir()?;
/// double_random::bundle::example_input_files(dir.path())?;
/// let paths = InputPaths::find(dir.path(), None).unwrap();
/// let whole = double_random::bundle::load_input_files(&paths, &mut NoProgress)?;
/// let summary = double_random::bundle::summarize_input_files(&paths, &mut NoProgress)?;
/// assert_eq!(AnnouncedInputs::digests(&whole), summary.digests());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait AnnouncedInputs: std::fmt::Debug {
    /// Where the inputs are.
    fn paths(&self) -> &InputPaths;
    /// The plan.
    fn plan(&self) -> &Plan;
    /// Every digest an announcement commits to.
    fn digests(&self) -> &InputDigests;
    /// The copy of the input file `from` made ahead of time for the path `to`, if there is one
    /// ([`summarize_input_files_into`] makes them); each is given once. `None` by default: the
    /// announcement copies the file itself.
    fn staged_copy(&self, from: &Path, to: &Path) -> Option<StagedCopy> {
        let _ = (from, to);
        None
    }
}

impl AnnouncedInputs for Inputs {
    fn paths(&self) -> &InputPaths {
        &self.paths
    }
    fn plan(&self) -> &Plan {
        &self.plan
    }
    fn digests(&self) -> &InputDigests {
        &self.digests
    }
}

impl AnnouncedInputs for InputSummary {
    fn paths(&self) -> &InputPaths {
        &self.paths
    }
    fn plan(&self) -> &Plan {
        &self.plan
    }
    fn digests(&self) -> &InputDigests {
        &self.digests
    }
    fn staged_copy(&self, from: &Path, to: &Path) -> Option<StagedCopy> {
        self.staged.take(from, to)
    }
}

/// A draw's inputs checked, without their rows: the digests, the notes, and what a trial draw
/// with the all-zero seed gives.
///
/// [`summarize_input_files`] makes it. It is what the command line's `check` shows and what
/// `announce` commits to, for rosters of any size.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct InputSummary {
    /// Where the inputs were read from.
    pub paths: InputPaths,
    /// The plan.
    pub plan: Plan,
    /// Every digest an announcement commits to.
    pub digests: InputDigests,
    /// Warnings and notes, as [`Inputs::notes`].
    pub notes: Vec<InputNote>,
    /// The strata of the trial draw (n eligible, k drawn); empty when its entity draw failed.
    pub strata: Vec<StratumDraw>,
    /// Why the trial draw failed, if it did (the real draw may fail too).
    pub trial: Option<DrawError>,
    /// Whether no entity is eligible in any stratum: the draw would sign an empty sheet.
    pub empty: bool,
    /// Whether the rosters were streamed (`false`: read whole).
    pub streamed: bool,
    /// Copies of the input files made while they were checked, for the announcement.
    staged: Staged,
}

/// Copies of input files made ahead of an announcement, each taken once (shared by clones).
#[derive(Clone, Default)]
struct Staged(Arc<Mutex<Vec<(PathBuf, StagedCopy)>>>);

impl Staged {
    /// The copy of `from` made for `to`, removed from the set.
    fn take(&self, from: &Path, to: &Path) -> Option<StagedCopy> {
        let mut copies = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let i = copies.iter().position(|(f, c)| f == from && c.to() == to)?;
        Some(copies.swap_remove(i).1)
    }
}

impl std::fmt::Debug for Staged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let copies = self.0.lock().unwrap_or_else(|p| p.into_inner());
        f.debug_list()
            .entries(copies.iter().map(|(_, c)| c.to()))
            .finish()
    }
}

impl InputSummary {
    /// The summary of inputs read whole: the trial draw is [`draw::draw_entities`] and
    /// [`draw::assign_teams`] with the all-zero seed.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// double_random::bundle::example_input_files(dir.path())?;
    /// let inputs = double_random::bundle::load_inputs(dir.path(), None)?;
    /// let summary = double_random::bundle::InputSummary::of(&inputs);
    /// assert_eq!(summary.strata[0].n, 6);
    /// assert!(summary.trial.is_none() && !summary.streamed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn of(inputs: &Inputs) -> Self {
        let (di, zero) = (inputs.as_draw_inputs(), Digest32([0; 32]));
        let entity_draw = draw::draw_entities(&di, &zero);
        let strata = entity_draw
            .as_ref()
            .map(|d| d.strata.clone())
            .unwrap_or_default();
        let trial = entity_draw
            .and_then(|d| draw::assign_teams(&di, d, &zero))
            .err();
        let empty = draw::population(&di)
            .map(|p| p.values().all(Vec::is_empty))
            .unwrap_or(false);
        InputSummary {
            paths: inputs.paths.clone(),
            plan: inputs.plan.clone(),
            digests: inputs.digests,
            notes: inputs.notes.clone(),
            strata,
            trial,
            empty,
            streamed: false,
            staged: Staged::default(),
        }
    }

    /// The summary from the rosters streamed (`pipeline`, with the all-zero seed), when every
    /// file is plain CSV and the stream meets nothing that only the whole-file reader reports
    /// in full: no problem, no reference to an unknown id, no absent column the plan reads, a
    /// trial draw that succeeds. (Warnings and ignored columns are noted as it notes them.)
    /// `None` otherwise.
    fn streamed(paths: &InputPaths) -> Option<Self> {
        let files = roster_files(paths)?;
        let plan = read_plan_file(&paths.plan, &mut InputProblems::default())?;
        let (out, survey) = pipeline::survey(&files, &plan, &Digest32([0; 32])).ok()?;
        if survey.unknown_reference {
            return None;
        }
        draw::general_cap(&plan, &out.items)
            .and_then(|_| draw::teams::pools(&plan, &out.items))
            .ok()?;
        let mut found = InputProblems::default();
        let history = paths.history.as_deref()?;
        needed_columns(
            &plan,
            &out.items,
            &[
                (Table::Entities, &paths.entities, &survey.entities.columns),
                (
                    Table::Inspectors,
                    &paths.inspectors,
                    &survey.inspectors.columns,
                ),
                (Table::History, history, &survey.history.columns),
            ],
            &mut found,
        );
        if !found.problems.is_empty() {
            return None;
        }
        // The notes in the whole-file reader's order: each file's ignored columns, then its
        // warnings.
        let conflicts = paths.conflicts.as_deref()?;
        for (path, table, read) in [
            (paths.entities.as_path(), Table::Entities, &survey.entities),
            (&paths.inspectors, Table::Inspectors, &survey.inspectors),
            (&paths.items, Table::Items, &survey.items),
            (conflicts, Table::Conflicts, &survey.conflicts),
            (history, Table::History, &survey.history),
        ] {
            note_ignored(path, table, &read.columns, &mut found);
            // The stream names a file by its last component; reading it whole, as given.
            found.notes.extend(read.warnings.iter().map(|w| {
                InputNote::Roster(InputWarning {
                    file: display_name(path),
                    ..w.clone()
                })
            }));
        }
        let strata = out.result.strata;
        Some(InputSummary {
            paths: paths.clone(),
            plan,
            digests: out.digests,
            notes: found.notes,
            empty: strata.iter().all(|s| s.n == 0),
            strata,
            trial: None,
            streamed: true,
            staged: Staged::default(),
        })
    }
}

/// Checks the inputs at `paths` as [`load_input_files`] does, without holding the rosters
/// when they are plain CSV files: they are streamed and a trial draw made with the all-zero
/// seed.
///
/// Use it before announcing, for rosters of any size. The readers' warnings and ignored
/// columns are noted from the stream as reading every row notes them. Whenever the stream
/// meets anything else that reading every row reports (a problem, a reference to an unknown
/// id, an absent column the plan reads, a failed trial), or a file is a workbook, every file
/// is read whole instead, so that problems and notes are the same, with their places, either
/// way.
///
/// # Errors
///
/// As [`load_input_files`]: every problem of every file.
///
/// ```
/// use double_random::bundle::{InputPaths, NoProgress, summarize_input_files};
/// let dir = tempfile::tempdir()?;
/// double_random::bundle::example_input_files(dir.path())?;
/// let paths = InputPaths::find(dir.path(), None).unwrap();
/// let summary = summarize_input_files(&paths, &mut NoProgress)?;
/// assert!(summary.streamed);
/// assert_eq!(summary.digests.entities.rows, 6);
/// assert_eq!((summary.strata[0].n, summary.strata[0].k), (6, 3));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn summarize_input_files(
    paths: &InputPaths,
    progress: &mut dyn Progress,
) -> Result<InputSummary, BundleError> {
    if let Some(s) = InputSummary::streamed(paths) {
        return Ok(s);
    }
    load_input_files(paths, progress).map(|i| InputSummary::of(&i))
}

/// [`summarize_input_files`], copying the input files into `draw_dir` at the same time, on a
/// thread of its own: each copy waits, synced, in a temporary file that the announcement made
/// with the summary ([`announce`]) puts in place, so that at national scale neither the copy
/// nor the wait for the disk comes after the check. A copy not made here (an error, or a
/// thread setting of 1: see [`crate::set_threads`]) is made by the announcement, which reports
/// any error; copies never used are removed when the summary is dropped.
///
/// The temporary files are made in the draw folder, or in the nearest folder above it that
/// exists; a stray `.<name>.tmp*` file is left there only if the process is killed.
///
/// # Errors
///
/// As [`summarize_input_files`].
///
/// ```
/// use double_random::bundle::{DrawDir, InputPaths, NoProgress, summarize_input_files_into};
/// let dir = tempfile::tempdir()?;
/// double_random::bundle::example_input_files(dir.path())?;
/// let paths = InputPaths::find(dir.path(), None).unwrap();
/// let draw_dir = DrawDir::new(dir.path().join("D1"));
/// let summary = summarize_input_files_into(&paths, &draw_dir, &mut NoProgress)?;
/// assert_eq!(summary.digests.entities.rows, 6);
/// // Nothing is in the draw folder until the announcement.
/// assert!(!draw_dir.root().exists());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn summarize_input_files_into(
    paths: &InputPaths,
    draw_dir: &DrawDir,
    progress: &mut dyn Progress,
) -> Result<InputSummary, BundleError> {
    if crate::threads() < 2 {
        return summarize_input_files(paths, progress);
    }
    std::thread::scope(|scope| {
        let staging = scope.spawn(|| stage_inputs(paths, draw_dir));
        let summary = summarize_input_files(paths, progress);
        let staged = staging
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        summary.map(|s| InputSummary { staged, ..s })
    })
}

/// Copies of the input files at `paths` for `draw_dir` (see [`summarize_input_files_into`]):
/// none for a folder that already holds an announcement or a file of the same name (the
/// announcement refuses, or compares the file), and none from the first that fails on.
fn stage_inputs(paths: &InputPaths, draw_dir: &DrawDir) -> Staged {
    let root = draw_dir.root();
    let existing = root
        .ancestors()
        .map(|a| {
            if a.as_os_str().is_empty() {
                Path::new(".")
            } else {
                a
            }
        })
        .find(|a| a.is_dir());
    let Some(dir) = existing else {
        return Staged::default();
    };
    if draw_dir.has(ANNOUNCEMENT_FILE) {
        return Staged::default();
    }
    let mut copies = vec![];
    for (from, name) in paths.standard_names() {
        let to = draw_dir.path(&name);
        if std::fs::symlink_metadata(&to).is_ok() {
            continue;
        }
        match files::stage_copy(from, &to, dir, MAX_ROSTER_BYTES) {
            Ok(c) => copies.push((from.to_path_buf(), c)),
            Err(_) => break,
        }
    }
    Staged(Arc::new(Mutex::new(copies)))
}
