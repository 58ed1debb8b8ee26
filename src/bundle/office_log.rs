//! The office log on disk, and the records the ceremony steps read from a folder.

use super::*;

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
    let report = read_log(log_path).map_err(|e| log_error(log_path, e))?;
    Ok(report.state(draw_id))
}

/// Runs `step` under the office log's exclusive lock and appends the entry it returns.
///
/// `step` gets the sound log as it stands (whose [`LogReport::next_position`] is the position
/// the new document must carry) and returns what to record; the entry is checked against the
/// whole log before it is written ([`log::append_entry`]). If `step` fails, nothing is
/// appended. A missing log is created.
///
/// ```
/// use double_random::bundle::{append_with, read_log};
/// use double_random::ceremony::log::{EntryKind, Record, Task};
/// use double_random::Digest32;
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("office.log");
/// let time = "2025-03-01T09:00:00Z".parse()?;
/// let entry = append_with::<std::convert::Infallible, _>(&path, |report| {
///     assert_eq!(report.next_position().seq, 1);
///     Ok(Record {
///         kind: EntryKind::Announcement,
///         draw_id: "D1".into(),
///         document: Digest32([1; 32]),
///         task: Task { plan_id: "P".into(), task_id: "T".into(), batch: "".into() },
///         time,
///     })
/// })?;
/// assert_eq!(entry.seq, 1);
/// assert_eq!(read_log(&path)?.entries, vec![entry]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn append_with<E, F>(path: &Path, step: F) -> Result<Entry, AppendError<E>>
where
    E: std::error::Error + 'static,
    F: FnOnce(&LogReport) -> Result<log::Record, E>,
{
    let file = files::LogFile::open(path)?;
    let mut written = None;
    file.with_lock(|current| {
        let report = log::sound(current)?;
        let rec = step(&report).map_err(AppendError::Step)?;
        let (entry, line) = log::append_entry(current, &report, rec)?;
        written = Some(entry);
        Ok::<_, AppendError<E>>(Some(line))
    })?;
    written.ok_or(AppendError::Refused(log::LogFinding::Unterminated))
}

/// Reads and checks the office log at `path` (a missing log is empty); refuses a damaged one.
///
/// ```
/// use double_random::bundle::read_log;
/// let dir = tempfile::tempdir()?;
/// assert!(read_log(&dir.path().join("office.log"))?.entries.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_log(path: &Path) -> Result<LogReport, AppendError> {
    let bytes = if path.exists() {
        files::LogFile::open(path)?.read()?
    } else {
        vec![]
    };
    log::sound(&bytes)
}

/// The folder the office publishes: the log's folder, holding one folder per draw id.
pub(super) fn office_dir(log_path: &Path) -> PathBuf {
    log_path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The documents of the office on disk, as the steps read them: `<office>/<draw id>/<file>`,
/// and the draw at hand in its own folder.
pub(super) struct OnDisk<'a> {
    office: PathBuf,
    this: Option<(&'a str, &'a DrawDir)>,
}

impl<'a> OnDisk<'a> {
    pub(super) fn new(log_path: &Path, this: Option<(&'a str, &'a DrawDir)>) -> Self {
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
pub(super) fn step_error(e: StepError, draw_dir: &Path, log_path: &Path) -> BundleError {
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
        // The folder's own sources give their errors as `BundleError`s.
        StepError::Store(e) => match e.downcast::<BundleError>() {
            Ok(b) => *b,
            Err(other) => BundleError::Store(other),
        },
    }
}

pub(super) fn stored<T>(doc: &ReadDocument<T>) -> Stored<'_> {
    Stored {
        bytes: &doc.bytes,
        signature: doc.signature.as_deref(),
    }
}

/// Runs `step` under the log's lock and appends the entry it returns, then writes the
/// checkpoint of the new log (SPEC §12.3).
pub(super) fn append_step<F>(
    log_path: &Path,
    key: &SecretKey,
    time: Timestamp,
    step: F,
) -> Result<Entry, BundleError>
where
    F: FnOnce(&LogReport) -> Result<log::Record, BundleError>,
{
    let entry = append_with(log_path, step).map_err(|e| match e {
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
    let report = read_log(log_path).map_err(|e| log_error(log_path, e))?;
    let dir = office_dir(log_path).join(CHECKPOINT_DIR);
    let cp = steps::checkpoint(&report, key, time).map_err(|e| step_error(e, &dir, log_path))?;
    create_dir(&dir)?;
    let path = dir.join(&cp.name);
    if path.exists() {
        return Ok(path);
    }
    files::write_new(&path, &cp.bytes)?;
    files::write_new(dir.join(signature_file(&cp.name)), cp.signature.as_bytes())?;
    Ok(path)
}
