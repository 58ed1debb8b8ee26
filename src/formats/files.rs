//! Safe files: atomic, no-clobber writes and a locked append-only log.
//!
//! Records (announcements, result sheets, amendments, log entries) are evidence. They must never be
//! lost, never be overwritten, and never be seen half-written. Every function here therefore writes
//! to a temporary file in the target's own directory, flushes it to stable storage (`fsync`), moves
//! it into place in one step, and then flushes the directory so that the new name survives a power
//! cut too.
//!
//! | function | target exists | mode of a new file | use it for |
//! |---|---|---|---|
//! | [`write_new`] | [`FileError::AlreadyExists`], nothing changes | `0o666` less the umask | records |
//! | [`write_secret_new`] | [`FileError::AlreadyExists`], nothing changes | `0o600` from the first byte | secret keys, seed secrets |
//! | [`write_replace`] | replaced atomically, its mode kept | `0o666` less the umask | regenerated views (HTML, CSV) |
//! | [`LogFile::with_lock`] | extended atomically under a lock | as the existing log | the hash-chained log |
//!
//! A process killed half-way leaves the target either absent or complete. It may leave a stray
//! temporary file named `.<name>.tmp<random>` beside the target; such files are never read by this
//! crate and can be deleted by hand.
//!
//! Every error is a [`FileError`] that names the path, the operation and the
//! [`io::ErrorKind`].
//!
//! ```
//! use double_random::formats::files::{read_limited, write_new, FileError};
//!
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("sheet.json");
//! write_new(&path, b"{\"draw\":1}")?;
//! assert!(matches!(write_new(&path, b"other"), Err(FileError::AlreadyExists { .. })));
//! assert_eq!(read_limited(&path, 1024)?, b"{\"draw\":1}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::ffi::OsString;
use std::fmt;
use std::fs::{File, OpenOptions, Permissions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// The operation that failed, carried by [`FileError::Io`].
///
/// Knowing the step tells an operator what to look at: a failure to create the temporary file is a
/// permissions or disk-space problem in the directory, a failure to sync the directory means the
/// file is in place but its durability could not be confirmed.
///
/// ```
/// use double_random::formats::files::FileOp;
///
/// assert_eq!(FileOp::SyncDir.to_string(), "sync the directory of");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FileOp {
    /// Creating the temporary file beside the target.
    CreateTemp,
    /// Writing the bytes.
    Write,
    /// Flushing the file's contents to stable storage.
    Sync,
    /// Moving the temporary file into place.
    Persist,
    /// Flushing the directory entry to stable storage. If only this fails, the file is in place.
    SyncDir,
    /// Opening a file.
    Open,
    /// Reading a file or its metadata.
    Read,
    /// Setting or copying permissions.
    Permissions,
    /// Taking or releasing the lock of a log.
    Lock,
}

impl fmt::Display for FileOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileOp::CreateTemp => "create a temporary file for",
            FileOp::Write => "write",
            FileOp::Sync => "sync",
            FileOp::Persist => "move into place",
            FileOp::SyncDir => "sync the directory of",
            FileOp::Open => "open",
            FileOp::Read => "read",
            FileOp::Permissions => "set permissions of",
            FileOp::Lock => "lock",
        })
    }
}

/// Why a file operation failed. Every variant names the path it concerns.
///
/// The variants are structured so that callers can react (for instance: a record that already
/// exists is not an I/O failure but a refusal to overwrite evidence) and so that messages shown to
/// people always say which file is at fault.
///
/// ```
/// use double_random::formats::files::{read_limited, FileError};
///
/// let err = read_limited("/no/such/file.json", 10).unwrap_err();
/// assert_eq!(err.path(), std::path::Path::new("/no/such/file.json"));
/// assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
/// assert!(err.to_string().contains("/no/such/file.json"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FileError {
    /// The target already exists; it was left untouched.
    #[error("{} already exists; it was not changed", path.display())]
    AlreadyExists {
        /// The target path.
        path: PathBuf,
    },
    /// An operating-system call failed.
    #[error("cannot {op} {}: {source}", path.display())]
    Io {
        /// The file (or, for [`FileOp::SyncDir`], the directory) concerned.
        path: PathBuf,
        /// The step that failed.
        op: FileOp,
        /// The kind of the underlying error, for matching without the source.
        kind: io::ErrorKind,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// The file is larger than the caller allows.
    #[error("{} is too large: {size} bytes or more, the limit is {limit}", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit in bytes.
        limit: u64,
        /// The size seen (at least this many bytes).
        size: u64,
    },
    /// The path has no file name (for example `/` or `dir/..`).
    #[error("{} does not name a file", path.display())]
    NotAFileName {
        /// The path given.
        path: PathBuf,
    },
    /// A log line given to [`append_line_locked`] contains a line break.
    #[error("a line for {} contains a line break", path.display())]
    LineBreakInLine {
        /// The log file.
        path: PathBuf,
    },
    /// The log does not end with a line break, so a new line cannot be appended to it.
    #[error("{} does not end with a line break; its last line is incomplete", path.display())]
    UnterminatedLastLine {
        /// The log file.
        path: PathBuf,
    },
}

impl FileError {
    /// The path the error concerns.
    ///
    /// Useful for messages that group errors by file.
    ///
    /// ```
    /// use double_random::formats::files::FileError;
    /// use std::path::{Path, PathBuf};
    ///
    /// let err = FileError::AlreadyExists { path: PathBuf::from("a.json") };
    /// assert_eq!(err.path(), Path::new("a.json"));
    /// ```
    pub fn path(&self) -> &Path {
        match self {
            FileError::AlreadyExists { path }
            | FileError::Io { path, .. }
            | FileError::TooLarge { path, .. }
            | FileError::NotAFileName { path }
            | FileError::LineBreakInLine { path }
            | FileError::UnterminatedLastLine { path } => path,
        }
    }

    /// The [`io::ErrorKind`] that best describes the error.
    ///
    /// Lets callers that only care about the broad class (not found, permission denied, already
    /// exists) match on one value whatever the variant.
    ///
    /// ```
    /// use double_random::formats::files::FileError;
    /// use std::io::ErrorKind;
    ///
    /// let err = FileError::AlreadyExists { path: "a.json".into() };
    /// assert_eq!(err.kind(), ErrorKind::AlreadyExists);
    /// ```
    pub fn kind(&self) -> io::ErrorKind {
        match self {
            FileError::AlreadyExists { .. } => io::ErrorKind::AlreadyExists,
            FileError::Io { kind, .. } => *kind,
            FileError::TooLarge { .. } => io::ErrorKind::FileTooLarge,
            FileError::NotAFileName { .. }
            | FileError::LineBreakInLine { .. }
            | FileError::UnterminatedLastLine { .. } => io::ErrorKind::InvalidInput,
        }
    }

    fn io(path: &Path, op: FileOp, source: io::Error) -> Self {
        FileError::Io {
            path: path.to_path_buf(),
            op,
            kind: source.kind(),
            source,
        }
    }
}

/// The published files of one draw, read by name: a folder on disk, or files a reader was
/// given in memory (a verifier in a browser has the dropped files, not a folder).
///
/// Verification reads through this, so a folder and a set of files are checked by the same code.
///
/// ```
/// use double_random::formats::files::{FileSource, MemoryFiles};
///
/// let mut files = MemoryFiles::new();
/// files.insert("sheet.json".into(), b"{}".to_vec());
/// assert_eq!(files.read_file("sheet.json", 10)?, b"{}");
/// assert_eq!(files.read_file("sheet.json", 1).unwrap_err().kind(), std::io::ErrorKind::FileTooLarge);
/// assert!(!files.has_file("announcement.json"));
/// # Ok::<(), double_random::formats::files::FileError>(())
/// ```
pub trait FileSource {
    /// The bytes of `name`, at most `max_bytes` ([`FileError::TooLarge`] past that); an absent
    /// file is an error of kind [`io::ErrorKind::NotFound`].
    fn read_file(&self, name: &str, max_bytes: u64) -> Result<Vec<u8>, FileError>;
    /// Whether `name` is present.
    fn has_file(&self, name: &str) -> bool;
    /// The names present, in no particular order.
    fn file_names(&self) -> Vec<String>;
    /// How `name` is shown in problems: its path in the folder, or the name alone.
    fn path_of(&self, name: &str) -> PathBuf;
}

/// Files held in memory, by name (no folders): what a reader gives a verifier in a browser.
pub type MemoryFiles = std::collections::BTreeMap<String, Vec<u8>>;

impl FileSource for &Path {
    fn read_file(&self, name: &str, max_bytes: u64) -> Result<Vec<u8>, FileError> {
        read_limited(self.join(name), max_bytes)
    }

    fn has_file(&self, name: &str) -> bool {
        self.join(name).exists()
    }

    fn file_names(&self) -> Vec<String> {
        std::fs::read_dir(self)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .filter_map(|e| e.file_name().into_string().ok())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn path_of(&self, name: &str) -> PathBuf {
        self.join(name)
    }
}

impl FileSource for MemoryFiles {
    fn read_file(&self, name: &str, max_bytes: u64) -> Result<Vec<u8>, FileError> {
        let path = PathBuf::from(name);
        let Some(bytes) = self.get(name) else {
            return Err(FileError::io(
                &path,
                FileOp::Open,
                io::Error::from(io::ErrorKind::NotFound),
            ));
        };
        let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        if size > max_bytes {
            return Err(FileError::TooLarge {
                path,
                limit: max_bytes,
                size,
            });
        }
        Ok(bytes.clone())
    }

    fn has_file(&self, name: &str) -> bool {
        self.contains_key(name)
    }

    fn file_names(&self) -> Vec<String> {
        self.keys().cloned().collect()
    }

    fn path_of(&self, name: &str) -> PathBuf {
        PathBuf::from(name)
    }
}

/// How a new file's permissions are chosen.
#[derive(Clone, Copy)]
enum Mode {
    /// `0o666` less the umask, like any ordinary file.
    Public,
    /// `0o600`, set when the file is created.
    Secret,
    /// Copy the mode of the existing target if there is one, else `Public`.
    KeepExisting,
}

/// Splits `path` into its directory (`.` when it has none) and file name.
fn dir_and_name(path: &Path) -> Result<(PathBuf, OsString), FileError> {
    let name = path.file_name().ok_or_else(|| FileError::NotAFileName {
        path: path.to_path_buf(),
    })?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((dir, name.to_os_string()))
}

/// The prefix of temporary files for `name`: `.<name>.tmp`, with the name shortened so that the
/// whole file name stays well under the usual 255-byte limit.
fn temp_prefix(name: &OsString) -> String {
    let lossy = name.to_string_lossy();
    let mut short = String::new();
    for c in lossy.chars() {
        if short.len() + c.len_utf8() > 200 {
            break;
        }
        short.push(c);
    }
    format!(".{short}.tmp")
}

#[cfg(unix)]
fn mode_permissions(mode: u32) -> Option<Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn mode_permissions(_mode: u32) -> Option<Permissions> {
    None
}

/// Flushes the directory entry of `dir` to stable storage (a no-op where the platform cannot).
#[cfg(unix)]
fn sync_dir(dir: &Path) -> Result<(), FileError> {
    let d = File::open(dir).map_err(|e| FileError::io(dir, FileOp::SyncDir, e))?;
    d.sync_all()
        .map_err(|e| FileError::io(dir, FileOp::SyncDir, e))
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> Result<(), FileError> {
    Ok(())
}

/// Bytes per `write` call when a file is written or copied.
///
/// Some kernels take several times as long for one large write as for the same bytes in
/// smaller ones: on the Linux VM of `docs/PERFORMANCE.md`, 1.4 GB took 3.4 s in writes of
/// 1 MiB and 0.6 s in writes of 128 KiB (`dd bs=…`). A roster copied by `announce` and a sheet
/// of a national draw are written in writes of this size.
const WRITE_CHUNK: usize = 128 << 10;

/// Writes `bytes` to `f` (the file at `path`) in writes of at most [`WRITE_CHUNK`] bytes.
fn write_chunked(f: &mut File, path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    for chunk in bytes.chunks(WRITE_CHUNK) {
        f.write_all(chunk)
            .map_err(|e| FileError::io(path, FileOp::Write, e))?;
    }
    Ok(())
}

/// Writes `bytes` to a synced temporary file beside `path` and returns it, not yet in place.
fn write_temp(path: &Path, bytes: &[u8], mode: Mode) -> Result<tempfile::NamedTempFile, FileError> {
    let (dir, _) = dir_and_name(path)?;
    write_temp_with(path, &dir, mode, |f| write_chunked(f, path, bytes))
}

/// A temporary file for `path` in the folder `dir` with mode `mode`, filled by `fill` and
/// synced.
fn write_temp_with(
    path: &Path,
    dir: &Path,
    mode: Mode,
    fill: impl FnOnce(&mut File) -> Result<(), FileError>,
) -> Result<tempfile::NamedTempFile, FileError> {
    let (_, name) = dir_and_name(path)?;
    let prefix = temp_prefix(&name);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    let permissions = match mode {
        Mode::Public => mode_permissions(0o666),
        Mode::Secret => mode_permissions(0o600),
        Mode::KeepExisting => match std::fs::metadata(path) {
            Ok(meta) if meta.is_file() => Some(meta.permissions()),
            _ => mode_permissions(0o666),
        },
    };
    if let Some(p) = permissions {
        builder.permissions(p);
    }
    let mut tmp = builder
        .tempfile_in(dir)
        .map_err(|e| FileError::io(path, FileOp::CreateTemp, e))?;
    fill(tmp.as_file_mut())?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| FileError::io(path, FileOp::Sync, e))?;
    Ok(tmp)
}

fn write_new_mode(path: &Path, bytes: &[u8], mode: Mode) -> Result<(), FileError> {
    // Cheap early refusal; the no-clobber move below is what actually guarantees it.
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(FileError::AlreadyExists {
            path: path.to_path_buf(),
        });
    }
    let tmp = write_temp(path, bytes, mode)?;
    persist_new(tmp, path)
}

/// Moves `tmp` to `path` unless it exists, and flushes the directory entry.
fn persist_new(tmp: tempfile::NamedTempFile, path: &Path) -> Result<(), FileError> {
    match tmp.persist_noclobber(path) {
        Ok(_) => {}
        Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => {
            return Err(FileError::AlreadyExists {
                path: path.to_path_buf(),
            });
        }
        Err(e) => return Err(FileError::io(path, FileOp::Persist, e.error)),
    }
    let (dir, _) = dir_and_name(path)?;
    sync_dir(&dir)
}

/// Creates `path` holding exactly `bytes`, atomically, and refuses if it already exists.
///
/// Use it for every record that is evidence (announcements, sheets, amendments, signatures): the
/// file appears complete or not at all, it is on stable storage when the call returns, and an
/// existing file is never overwritten, even by a concurrent writer (the final step is a
/// no-clobber rename or hard link, which the operating system performs atomically).
///
/// The new file gets the usual mode `0o666` less the umask. On failure nothing is left at `path`;
/// a stray `.<name>.tmp*` file may remain only if the process is killed.
///
/// # Errors
/// [`FileError::AlreadyExists`] if `path` exists (nothing changes), [`FileError::NotAFileName`],
/// or [`FileError::Io`] naming the failed step. [`FileOp::SyncDir`] means the file is in place
/// but its directory entry could not be flushed.
///
/// ```
/// use double_random::formats::files::{write_new, FileError};
///
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("announcement.json");
/// write_new(&path, b"first")?;
/// let again = write_new(&path, b"second");
/// assert!(matches!(again, Err(FileError::AlreadyExists { .. })));
/// assert_eq!(std::fs::read(&path)?, b"first");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_new(path: impl AsRef<Path>, bytes: &[u8]) -> Result<(), FileError> {
    write_new_mode(path.as_ref(), bytes, Mode::Public)
}

/// Opens the file `path` for reading after checking that it is a file of at most `max_bytes`
/// bytes, as [`read_limited`] and [`copy_new`] check it, without reading it.
///
/// Use it to report a source's own problem (absent, a folder, too large) before anything else.
///
/// # Errors
/// [`FileError::Io`] naming `path` when it cannot be opened or is a folder;
/// [`FileError::TooLarge`] when it is larger than `max_bytes`.
///
/// ```
/// use double_random::formats::files::{open_limited, write_new, FileError};
///
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("entities.csv");
/// write_new(&path, b"id\n1\n")?;
/// assert!(open_limited(&path, 100).is_ok());
/// assert!(matches!(open_limited(&path, 3), Err(FileError::TooLarge { size: 5, .. })));
/// assert!(matches!(open_limited(dir.path(), 100), Err(FileError::Io { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn open_limited(path: impl AsRef<Path>, max_bytes: u64) -> Result<File, FileError> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|e| FileError::io(path, FileOp::Open, e))?;
    size_within(path, &file, max_bytes)?;
    Ok(file)
}

/// The size of the open file `file` (at `path`), checked to be a file of at most `max_bytes`.
fn size_within(path: &Path, file: &File, max_bytes: u64) -> Result<u64, FileError> {
    let meta = file
        .metadata()
        .map_err(|e| FileError::io(path, FileOp::Read, e))?;
    if meta.is_dir() {
        return Err(FileError::io(
            path,
            FileOp::Read,
            io::Error::from(io::ErrorKind::IsADirectory),
        ));
    }
    if meta.len() > max_bytes {
        return Err(FileError::TooLarge {
            path: path.to_path_buf(),
            limit: max_bytes,
            size: meta.len(),
        });
    }
    Ok(meta.len())
}

/// Creates `to` holding a copy of the file `from`, as [`write_new`] creates a file, without
/// holding the copy in memory; refuses a source larger than `max_bytes` as [`read_limited`]
/// does.
///
/// Use it to copy input files (a roster of millions of rows) into a draw folder.
///
/// # Errors
/// As [`write_new`] for `to`; [`FileError::TooLarge`] or [`FileError::Io`] naming `from` when
/// the source cannot be read or is too large.
///
/// ```
/// use double_random::formats::files::{copy_new, write_new, FileError};
///
/// let dir = tempfile::tempdir()?;
/// let (from, to) = (dir.path().join("entities.csv"), dir.path().join("copy.csv"));
/// write_new(&from, b"id\n1\n")?;
/// copy_new(&from, &to, 100)?;
/// assert_eq!(std::fs::read(&to)?, b"id\n1\n");
/// assert!(matches!(copy_new(&from, &to, 100), Err(FileError::AlreadyExists { .. })));
/// let small = dir.path().join("small.csv");
/// assert!(matches!(copy_new(&from, &small, 3), Err(FileError::TooLarge { limit: 3, .. })));
/// assert!(!small.exists());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn copy_new(
    from: impl AsRef<Path>,
    to: impl AsRef<Path>,
    max_bytes: u64,
) -> Result<(), FileError> {
    let to = to.as_ref();
    if std::fs::symlink_metadata(to).is_ok() {
        return Err(FileError::AlreadyExists {
            path: to.to_path_buf(),
        });
    }
    let (dir, _) = dir_and_name(to)?;
    stage_copy(from, to, &dir, max_bytes)?.persist_new()
}

/// A copy of a file made ahead of time in a synced temporary file, which
/// [`StagedCopy::persist_new`] puts in place as [`copy_new`] would have; dropping it removes
/// the temporary file.
///
/// Use it to copy a large input while other work runs: the command line's `announce` copies
/// the rosters into the draw folder while it checks them, so that neither the copy nor the
/// wait for the disk comes after the check.
#[derive(Debug)]
pub struct StagedCopy {
    tmp: tempfile::NamedTempFile,
    to: PathBuf,
}

impl StagedCopy {
    /// Where the copy goes.
    pub fn to(&self) -> &Path {
        &self.to
    }

    /// Moves the copy into place at [`StagedCopy::to`], refusing to replace a file there.
    ///
    /// # Errors
    /// As [`write_new`] for the path the copy goes to.
    pub fn persist_new(self) -> Result<(), FileError> {
        persist_new(self.tmp, &self.to)
    }
}

/// Copies the file `from` into a synced temporary file in the folder `dir`, to be put in place
/// at `to` by [`StagedCopy::persist_new`]; refuses a source larger than `max_bytes` as
/// [`read_limited`] does.
///
/// `dir` must be on the same file system as `to`'s folder: that folder itself, or the nearest
/// folder above it that exists when `to`'s folder is yet to be made. Nothing appears at `to`
/// until the copy is put in place; a stray `.<name>.tmp*` file may remain in `dir` only if the
/// process is killed.
///
/// # Errors
/// As [`copy_new`].
///
/// ```
/// use double_random::formats::files::{stage_copy, write_new};
///
/// let dir = tempfile::tempdir()?;
/// let from = dir.path().join("entities.csv");
/// write_new(&from, b"id\n1\n")?;
/// // The draw folder does not exist yet: the copy waits in the folder above it.
/// let to = dir.path().join("D1").join("entities.csv");
/// let staged = stage_copy(&from, &to, dir.path(), 100)?;
/// assert!(!to.exists());
/// std::fs::create_dir(dir.path().join("D1"))?;
/// staged.persist_new()?;
/// assert_eq!(std::fs::read(&to)?, b"id\n1\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn stage_copy(
    from: impl AsRef<Path>,
    to: impl AsRef<Path>,
    dir: impl AsRef<Path>,
    max_bytes: u64,
) -> Result<StagedCopy, FileError> {
    let (from, to) = (from.as_ref(), to.as_ref());
    let file = open_limited(from, max_bytes)?;
    let too_large = |size| FileError::TooLarge {
        path: from.to_path_buf(),
        limit: max_bytes,
        size,
    };
    let mut source = file.take(max_bytes.saturating_add(1));
    let tmp = write_temp_with(to, dir.as_ref(), Mode::Public, |f| {
        let mut buf = vec![0u8; WRITE_CHUNK];
        let mut copied = 0u64;
        loop {
            let n = match source.read(&mut buf) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(FileError::io(from, FileOp::Read, e)),
            };
            copied = copied.saturating_add(n as u64);
            if copied > max_bytes {
                return Err(too_large(copied));
            }
            write_chunked(f, to, &buf[..n])?;
        }
    })?;
    Ok(StagedCopy {
        tmp,
        to: to.to_path_buf(),
    })
}

/// Creates `path` holding `bytes` like [`write_new`], readable and writable by the owner only.
///
/// Use it for secret keys and seed secrets. On Unix the temporary file is created with mode
/// `0o600` by the `open` call itself, so the secret is never readable by others, not even for an
/// instant, and the final file keeps that mode. On other platforms the file gets the platform's
/// default protection (on Windows, the directory's inherited access list); keep secrets in a
/// directory only the owner can read.
///
/// # Errors
/// As [`write_new`].
///
/// ```
/// use double_random::formats::files::write_secret_new;
///
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("organizer.secret");
/// write_secret_new(&path, &[7u8; 32])?;
/// #[cfg(unix)]
/// {
///     use std::os::unix::fs::PermissionsExt;
///     assert_eq!(std::fs::metadata(&path)?.permissions().mode() & 0o777, 0o600);
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_secret_new(path: impl AsRef<Path>, bytes: &[u8]) -> Result<(), FileError> {
    write_new_mode(path.as_ref(), bytes, Mode::Secret)
}

/// Writes `path` holding `bytes`, atomically replacing any existing file.
///
/// Use it only for outputs that can be regenerated from the records (a printable HTML notice, a
/// CSV view), never for records themselves. Readers see either the old file or the new one, never
/// a mix. An existing file keeps its permission bits; a new one gets `0o666` less the umask.
///
/// # Errors
/// [`FileError::NotAFileName`] or [`FileError::Io`] naming the failed step.
///
/// ```
/// use double_random::formats::files::write_replace;
///
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("notice.html");
/// write_replace(&path, b"<p>draft</p>")?;
/// write_replace(&path, b"<p>final</p>")?;
/// assert_eq!(std::fs::read(&path)?, b"<p>final</p>");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_replace(path: impl AsRef<Path>, bytes: &[u8]) -> Result<(), FileError> {
    let path = path.as_ref();
    let tmp = write_temp(path, bytes, Mode::KeepExisting)?;
    tmp.persist(path)
        .map_err(|e| FileError::io(path, FileOp::Persist, e.error))?;
    let (dir, _) = dir_and_name(path)?;
    sync_dir(&dir)
}

/// The largest signature, key, secret or plan file read (1 MiB).
pub const MAX_SMALL_FILE_BYTES: u64 = 1 << 20;

/// Reads the whole of `path`, refusing files larger than `max_bytes`.
///
/// Use it for every input file so that a huge or endless file (a wrong path, `/dev/zero`, a
/// hostile upload) fails with a clear error instead of exhausting memory. The limit is checked
/// against the file's size before reading and enforced again while reading, so a file that grows
/// meanwhile is caught too.
///
/// # Errors
/// [`FileError::TooLarge`] if the file holds more than `max_bytes` bytes, or [`FileError::Io`]
/// (for instance with kind [`io::ErrorKind::NotFound`]).
///
/// ```
/// use double_random::formats::files::{read_limited, write_new, FileError};
///
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("plan.toml");
/// write_new(&path, b"0123456789")?;
/// assert_eq!(read_limited(&path, 10)?.len(), 10);
/// assert!(matches!(
///     read_limited(&path, 9),
///     Err(FileError::TooLarge { limit: 9, size: 10, .. })
/// ));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_limited(path: impl AsRef<Path>, max_bytes: u64) -> Result<Vec<u8>, FileError> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|e| FileError::io(path, FileOp::Open, e))?;
    read_open_limited(path, file, max_bytes)
}

fn read_open_limited(path: &Path, file: File, max_bytes: u64) -> Result<Vec<u8>, FileError> {
    let len = size_within(path, &file, max_bytes)?;
    // Capacity from the metadata (bounded by the limit); special files may report 0.
    let mut buf = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| FileError::io(path, FileOp::Read, e))?;
    let read = u64::try_from(buf.len()).unwrap_or(u64::MAX);
    if read > max_bytes {
        return Err(FileError::TooLarge {
            path: path.to_path_buf(),
            limit: max_bytes,
            size: read,
        });
    }
    Ok(buf)
}

/// An append-only file (the office's hash-chained log) that writers extend one at a time.
///
/// Why: two draws run at once on one office's log must not both append after the same last entry,
/// or the chain forks and one entry is lost or orphaned. [`LogFile::with_lock`] takes an exclusive
/// lock, shows the caller the current content, lets the caller check that its new entry extends
/// exactly that content (the hash chain), and only then extends the file. A caller that prepared
/// its entry from an older view is rejected by its own check, because under the lock it sees the
/// newer content.
///
/// How: the lock is an operating-system file lock ([`File::lock`]) on a sidecar file
/// `<path>.lock`, which is created when needed and never removed (removing it could let two
/// writers hold two different lock files). It excludes other processes and other threads alike.
/// The log is extended by writing the old content plus the new bytes to a synced temporary file and
/// renaming it over the log, so a reader (locked or not) sees the log before or after an append,
/// never a torn line, and a crash mid-append leaves the previous log intact. The log keeps its
/// permission bits. Cost: each append rewrites the log, which is fine for the few entries a day an
/// office makes; [`LogFile::with_max_bytes`] bounds the size read (default 256 MiB).
///
/// ```
/// use double_random::formats::files::{FileError, LogFile};
///
/// let dir = tempfile::tempdir()?;
/// let log = LogFile::open(dir.path().join("office.log"))?;
/// let appended = log.with_lock(|current| {
///     assert!(current.is_empty());
///     Ok::<_, FileError>(Some(b"entry 1\n".to_vec()))
/// })?;
/// assert!(appended);
/// assert_eq!(log.read()?, b"entry 1\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct LogFile {
    path: PathBuf,
    lock_path: PathBuf,
    max_bytes: u64,
}

impl LogFile {
    /// The default limit on the log's size: 256 MiB.
    ///
    /// Large enough for decades of an office's entries, small enough to read into memory.
    ///
    /// ```
    /// assert_eq!(double_random::formats::files::LogFile::DEFAULT_MAX_BYTES, 256 << 20);
    /// ```
    pub const DEFAULT_MAX_BYTES: u64 = 256 << 20;

    /// Names the log at `path`; the log itself is created by the first append.
    ///
    /// Checks only what can be checked without a lock: that `path` names a file and, if something
    /// exists there, that it is a regular file.
    ///
    /// # Errors
    /// [`FileError::NotAFileName`], or [`FileError::Io`] if `path` exists but is not a file.
    ///
    /// ```
    /// use double_random::formats::files::LogFile;
    ///
    /// let dir = tempfile::tempdir()?;
    /// let log = LogFile::open(dir.path().join("office.log"))?;
    /// assert!(log.read()?.is_empty());
    /// assert!(LogFile::open(dir.path()).is_err()); // a directory
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open(path: impl Into<PathBuf>) -> Result<Self, FileError> {
        let path = path.into();
        dir_and_name(&path)?;
        match std::fs::metadata(&path) {
            Ok(meta) if !meta.is_file() => {
                return Err(FileError::io(
                    &path,
                    FileOp::Open,
                    io::Error::new(io::ErrorKind::InvalidInput, "not a regular file"),
                ));
            }
            _ => {}
        }
        let mut lock_name = path.as_os_str().to_os_string();
        lock_name.push(".lock");
        Ok(LogFile {
            lock_path: PathBuf::from(lock_name),
            path,
            max_bytes: Self::DEFAULT_MAX_BYTES,
        })
    }

    /// Sets the largest log this handle will read, in bytes.
    ///
    /// Reads and appends fail with [`FileError::TooLarge`] beyond it, before any change.
    ///
    /// ```
    /// use double_random::formats::files::{FileError, LogFile};
    ///
    /// let dir = tempfile::tempdir()?;
    /// let log = LogFile::open(dir.path().join("office.log"))?.with_max_bytes(4);
    /// let too_big = log.with_lock(|_| Ok::<_, FileError>(Some(b"12345\n".to_vec())));
    /// assert!(matches!(too_big, Err(FileError::TooLarge { .. })));
    /// assert!(log.read()?.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_max_bytes(mut self, max_bytes: u64) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// The log's path.
    ///
    /// For messages and for publishing the log.
    ///
    /// ```
    /// use double_random::formats::files::LogFile;
    ///
    /// let log = LogFile::open("office.log")?;
    /// assert_eq!(log.path(), std::path::Path::new("office.log"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The sidecar lock file's path, `<path>.lock`.
    ///
    /// Publish the log without it; it holds nothing.
    ///
    /// ```
    /// use double_random::formats::files::LogFile;
    ///
    /// let log = LogFile::open("office.log")?;
    /// assert_eq!(log.lock_path(), std::path::Path::new("office.log.lock"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn lock_path(&self) -> &Path {
        &self.lock_path
    }

    /// Reads the current log without taking the lock (empty if it does not exist yet).
    ///
    /// Safe without the lock because appends replace the log in one atomic step: the result is
    /// always a complete version of the log. Use [`LogFile::with_lock`] to act on the content.
    ///
    /// # Errors
    /// [`FileError::TooLarge`] or [`FileError::Io`].
    ///
    /// ```
    /// use double_random::formats::files::LogFile;
    ///
    /// let dir = tempfile::tempdir()?;
    /// let log = LogFile::open(dir.path().join("office.log"))?;
    /// assert_eq!(log.read()?, b"");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read(&self) -> Result<Vec<u8>, FileError> {
        match File::open(&self.path) {
            Ok(file) => read_open_limited(&self.path, file, self.max_bytes),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(FileError::io(&self.path, FileOp::Open, e)),
        }
    }

    /// Under an exclusive lock, shows `f` the current log and appends the bytes it returns.
    ///
    /// `f` receives the whole current content (empty if the log does not exist yet). It returns
    /// `Ok(Some(bytes))` to append `bytes`, `Ok(None)` to leave the log as it is, or `Err(e)` to
    /// refuse (typically: the new entry does not extend the chain that `f` sees). The lock is held
    /// from before the read until the extended log is on stable storage, so concurrent writers, in
    /// this process or others, run one after another and each sees its predecessor's entry.
    /// Blocks while another writer holds the lock.
    ///
    /// Returns whether bytes were appended. The caller's error type only needs
    /// `From<FileError>`, so file errors and the caller's refusals travel through one `Result`.
    ///
    /// # Errors
    /// The error from `f`, unchanged; or a [`FileError`] (converted into `E`) if locking, reading
    /// or writing fails, or the log would exceed the size limit. On any error the log is unchanged.
    ///
    /// ```
    /// use double_random::formats::files::{FileError, LogFile};
    ///
    /// #[derive(Debug)]
    /// enum LogError { File(FileError), Stale }
    /// impl From<FileError> for LogError {
    ///     fn from(e: FileError) -> Self { LogError::File(e) }
    /// }
    /// # impl std::fmt::Display for LogError {
    /// #     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { write!(f, "{self:?}") }
    /// # }
    /// # impl std::error::Error for LogError {}
    ///
    /// let dir = tempfile::tempdir()?;
    /// let log = LogFile::open(dir.path().join("office.log"))?;
    /// // An entry prepared against the empty log...
    /// let seen = log.read()?;
    /// log.with_lock(|_| Ok::<_, LogError>(Some(b"other writer\n".to_vec())))?;
    /// // ...is refused once someone else has appended.
    /// let stale = log.with_lock(|current| {
    ///     if current != seen.as_slice() { return Err(LogError::Stale); }
    ///     Ok(Some(b"mine\n".to_vec()))
    /// });
    /// assert!(matches!(stale, Err(LogError::Stale)));
    /// assert_eq!(log.read()?, b"other writer\n");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_lock<E, F>(&self, f: F) -> Result<bool, E>
    where
        E: From<FileError>,
        F: FnOnce(&[u8]) -> Result<Option<Vec<u8>>, E>,
    {
        let lock = self.lock()?;
        let current = self.read()?;
        let Some(extra) = f(&current)? else {
            drop(lock);
            return Ok(false);
        };
        if extra.is_empty() {
            drop(lock);
            return Ok(false);
        }
        let total = u64::try_from(current.len().saturating_add(extra.len())).unwrap_or(u64::MAX);
        if total > self.max_bytes {
            return Err(FileError::TooLarge {
                path: self.path.clone(),
                limit: self.max_bytes,
                size: total,
            }
            .into());
        }
        let mut next = current;
        next.extend_from_slice(&extra);
        write_replace(&self.path, &next)?;
        drop(lock);
        Ok(true)
    }

    /// Opens (creating if needed) the sidecar lock file and locks it exclusively.
    fn lock(&self) -> Result<File, FileError> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&self.lock_path)
            .map_err(|e| FileError::io(&self.lock_path, FileOp::Lock, e))?;
        file.lock()
            .map_err(|e| FileError::io(&self.lock_path, FileOp::Lock, e))?;
        Ok(file)
    }
}

/// Appends one line to the log at `path` under its lock, if `check` accepts the current content.
///
/// A shortcut for [`LogFile::with_lock`] for line-oriented logs: `line` must not contain `\n` or
/// `\r`; a `\n` is added after it. `check` sees the current content (empty for a new log) and
/// refuses with `Err` when `line` does not extend it; the caller checks the hash chain there. The
/// current content must be empty or end with `\n`.
///
/// # Errors
/// [`FileError::LineBreakInLine`], [`FileError::UnterminatedLastLine`], the error of `check`, or
/// any error of [`LogFile::with_lock`]. On any error the log is unchanged.
///
/// ```
/// use double_random::formats::files::{append_line_locked, FileError};
///
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("office.log");
/// append_line_locked(&path, b"1 genesis", |cur| {
///     assert!(cur.is_empty());
///     Ok::<_, FileError>(())
/// })?;
/// append_line_locked(&path, b"2 after 1", |cur| {
///     assert!(cur.ends_with(b"1 genesis\n"));
///     Ok::<_, FileError>(())
/// })?;
/// assert_eq!(std::fs::read(&path)?, b"1 genesis\n2 after 1\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn append_line_locked<E, F>(path: impl AsRef<Path>, line: &[u8], check: F) -> Result<(), E>
where
    E: From<FileError>,
    F: FnOnce(&[u8]) -> Result<(), E>,
{
    let path = path.as_ref();
    if line.iter().any(|&b| b == b'\n' || b == b'\r') {
        return Err(FileError::LineBreakInLine {
            path: path.to_path_buf(),
        }
        .into());
    }
    let log = LogFile::open(path)?;
    log.with_lock(|current| -> Result<Option<Vec<u8>>, E> {
        if !current.is_empty() && !current.ends_with(b"\n") {
            return Err(FileError::UnterminatedLastLine {
                path: path.to_path_buf(),
            }
            .into());
        }
        check(current)?;
        let mut bytes = Vec::with_capacity(line.len().saturating_add(1));
        bytes.extend_from_slice(line);
        bytes.push(b'\n');
        Ok(Some(bytes))
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_prefix_is_recognisable_and_short() {
        assert_eq!(
            temp_prefix(&OsString::from("sheet.json")),
            ".sheet.json.tmp"
        );
        let long = "长".repeat(200);
        let p = temp_prefix(&OsString::from(long));
        assert!(p.len() <= 205);
        assert!(p.starts_with(".长") && p.ends_with(".tmp"));
    }

    #[test]
    fn dir_of_bare_name_is_current_dir() -> Result<(), FileError> {
        let (dir, name) = dir_and_name(Path::new("a.json"))?;
        assert_eq!(dir, PathBuf::from("."));
        assert_eq!(name, OsString::from("a.json"));
        assert!(matches!(
            dir_and_name(Path::new("/")),
            Err(FileError::NotAFileName { .. })
        ));
        Ok(())
    }
}
