//! The input files of a draw: where they are, reading and checking them.

use super::*;

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
        Self::find_by(dir, plan, &|p| p.is_file())
    }

    /// [`InputPaths::find`] among files given in memory: each path is the file's name alone.
    pub(super) fn find_in(files: &files::MemoryFiles) -> Result<InputPaths, InputProblems> {
        Self::find_by(Path::new(""), None, &|p| {
            p.to_str().is_some_and(|n| files.contains_key(n))
        })
    }

    /// [`InputPaths::find`], asking `is_file` whether a file is there.
    fn find_by(
        dir: &Path,
        plan: Option<&Path>,
        is_file: &dyn Fn(&Path) -> bool,
    ) -> Result<InputPaths, InputProblems> {
        let mut problems = InputProblems::default();
        let mut table = |stem: &'static str, xlsx: bool, required: bool| -> Option<PathBuf> {
            let csv = dir.join(format!("{stem}.csv"));
            let book = dir.join(format!("{stem}.xlsx"));
            match (is_file(&csv), xlsx && is_file(&book)) {
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
                if is_file(&p) {
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

pub(super) fn standard_name(stem: &str, path: &Path) -> String {
    if is_xlsx(path) {
        format!("{stem}.xlsx")
    } else {
        format!("{stem}.csv")
    }
}

pub(super) fn is_xlsx(path: &Path) -> bool {
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

pub(super) struct ProgressReader<'p, R> {
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

/// The item list of a draw folder (`items.csv`), checked against the digest its announcement
/// commits to.
///
/// The views name each planned item, and need nothing else of the inputs: rewriting them (after
/// a timestamp token, say) reads this small file rather than every roster. A list that differs
/// from the announced one is refused ([`CeremonyError::InputChanged`]), so a view never shows
/// an item name that was not announced.
///
/// ```
/// use double_random::bundle::{load_items, BundleError};
/// # let d = double_random::internals::example_draw()?;
/// # let folder = &d.folder;
/// let ann = folder.read_announcement()?.value;
/// let items = load_items(folder.root(), &ann)?;
/// assert_eq!(items.len() as u64, ann.inputs.items.rows);
///
/// std::fs::write(folder.path("items.csv"), "id,name,category\nX1,另一项,general\n")?;
/// assert!(matches!(load_items(folder.root(), &ann), Err(BundleError::Document { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn load_items(dir: &Path, announced: &Announcement) -> Result<Vec<Item>, BundleError> {
    let path = dir.join("items.csv");
    let mut problems = InputProblems::default();
    let roster = read_table(
        &InputSource::Disk,
        &path,
        "items",
        false,
        &mut NoProgress,
        &mut problems,
        |n, r| roster_csv::read_items(n, r),
        #[cfg(feature = "xlsx")]
        |p| crate::formats::xlsx::read_items_xlsx(p),
    );
    let roster = match roster {
        Some(r) if problems.problems.is_empty() => r,
        _ => return Err(BundleError::Inputs(problems)),
    };
    let refused = |source: CeremonyError| BundleError::Document {
        path: path.clone(),
        source,
    };
    let found = crate::formats::jcs::table_digest_of("items", &roster.rows)
        .map_err(|e| refused(e.into()))?;
    let announced = announced.inputs.items.digest;
    if found != announced {
        return Err(refused(CeremonyError::InputChanged {
            input: "items",
            announced,
            found,
        }));
    }
    Ok(roster.rows)
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
pub(super) enum Guard {
    /// Before announcing or drawing: a roster without a column the plan reads is refused
    /// (SPEC §3.3), since its rows would all take the column's default.
    Office,
    /// Replaying a published draw: the absent column's default is what the draw used, and
    /// SPEC §3.3 makes the guard no part of the draw, so a verifier does not apply it.
    Replay,
}

/// [`load_input_files`], with the entity roster read on every core when `parallel` and the file
/// allows it (otherwise, and for tests, by the sequential reader alone).
pub(super) fn load_input_files_with(
    paths: &InputPaths,
    progress: &mut dyn Progress,
    parallel: bool,
    guard: Guard,
) -> Result<Inputs, BundleError> {
    load_inputs_from(&InputSource::Disk, paths, progress, parallel, guard)
}

/// Where the input files are read from: the disk, or files given in memory (a verifier in a
/// browser has the dropped files, not a folder), found by their names alone.
pub(super) enum InputSource<'a> {
    /// Files on disk, at their paths.
    Disk,
    /// Files in memory, by name: a path's file name is looked up.
    Memory(&'a files::MemoryFiles),
}

impl InputSource<'_> {
    /// The bytes of the file at `path`, when it is in memory; `None` on disk.
    fn in_memory(&self, path: &Path) -> Option<Result<&[u8], std::io::Error>> {
        let InputSource::Memory(files) = self else {
            return None;
        };
        Some(
            path.file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| files.get(n))
                .map(Vec::as_slice)
                .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound)),
        )
    }

    /// Opens the file at `path` for reading, with its size.
    fn open(&self, path: &Path) -> std::io::Result<(Box<dyn Read + '_>, Option<u64>)> {
        match self.in_memory(path) {
            Some(bytes) => {
                let bytes = bytes?;
                Ok((Box::new(bytes), u64::try_from(bytes.len()).ok()))
            }
            None => {
                let file = std::fs::File::open(path)?;
                let size = file.metadata().ok().map(|m| m.len());
                Ok((Box::new(std::io::BufReader::new(file)), size))
            }
        }
    }

    /// The plan at `path`, every problem collected.
    fn read_plan(&self, path: &Path, problems: &mut InputProblems) -> Option<Plan> {
        match self {
            InputSource::Disk => read_plan_file(path, problems),
            InputSource::Memory(files) => {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                let read = files.read_file(name.as_deref().unwrap_or(""), MAX_SMALL_FILE_BYTES);
                plan_from_read(path, read, problems)
            }
        }
    }
}

/// [`load_input_files_with`] from `source`: the one loader of the inputs, whether they are on
/// disk or in memory.
pub(super) fn load_inputs_from(
    source: &InputSource<'_>,
    paths: &InputPaths,
    progress: &mut dyn Progress,
    parallel: bool,
    guard: Guard,
) -> Result<Inputs, BundleError> {
    let mut problems = InputProblems::default();
    let entities = parallel
        .then(|| read_entities_in_parallel(source, &paths.entities, progress, &mut problems))
        .flatten()
        .or_else(|| {
            read_table(
                source,
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
        source,
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
        source,
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
            source,
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
            source,
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
    let plan = source.read_plan(&paths.plan, &mut problems);
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

pub(super) fn zero_ref() -> crate::ceremony::announce::InputRef {
    crate::ceremony::announce::InputRef {
        digest: Digest32([0; 32]),
        rows: 0,
    }
}

pub(super) fn empty_roster<T>() -> Roster<T> {
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
pub(super) fn display_name(path: &Path) -> String {
    path.display().to_string()
}

/// The entity roster at `path` read on every core ([`entity_scan::read_all`]), its warnings
/// added to `problems`; `None`, with nothing added, if it is a spreadsheet, cannot be opened, or
/// is not a file the parallel reader takes (then the sequential reader reads it and reports
/// every problem).
pub(super) fn read_entities_in_parallel(
    source: &InputSource<'_>,
    path: &Path,
    progress: &mut dyn Progress,
    problems: &mut InputProblems,
) -> Option<(Vec<Entity>, Columns)> {
    if is_xlsx(path) {
        return None;
    }
    let (file, size) = source.open(path).ok()?;
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
pub(super) fn note_ignored(
    path: &Path,
    table: Table,
    columns: &Columns,
    problems: &mut InputProblems,
) {
    if !columns.ignored.is_empty() {
        problems.notes.push(InputNote::IgnoredColumns {
            file: display_name(path),
            table,
            headers: columns.ignored.iter().map(|c| c.header.clone()).collect(),
        });
    }
}

/// The roster columns the plan needs that a file lacks (SPEC §3.3), as problems.
pub(super) fn needed_columns(
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

#[allow(clippy::too_many_arguments)]
pub(super) fn read_table<T: crate::formats::roster::Row>(
    source: &InputSource<'_>,
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
            let r = match source.in_memory(path) {
                None => xlsx(path),
                Some(Ok(bytes)) => crate::formats::xlsx::read_xlsx_bytes(&name, bytes),
                Some(Err(e)) => Err(InputErrors::io(&name, &e)),
            };
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
        let (file, size) = match source.open(path) {
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
        progress.start(path, size);
        let r = {
            let mut reader = ProgressReader {
                inner: file,
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

pub(super) fn read_plan_file(path: &Path, problems: &mut InputProblems) -> Option<Plan> {
    plan_from_read(
        path,
        files::read_limited(path, MAX_SMALL_FILE_BYTES),
        problems,
    )
}

/// The plan from the result of reading its file at `path`, every problem collected.
pub(super) fn plan_from_read(
    path: &Path,
    read: Result<Vec<u8>, FileError>,
    problems: &mut InputProblems,
) -> Option<Plan> {
    let bytes = match read {
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

pub(super) fn cross_references(
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
