//! Safe files: no overwrite, private secrets, serialised log appends, no partial files after a kill.
//!
//! Some tests start this very test binary again as a helper process (see `helper_process`), so
//! that two processes really contend for the same log, and so that a process can be killed in the
//! middle of a write.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use double_random::formats::files::{
    FileError, FileOp, LogFile, append_line_locked, read_limited, write_new, write_replace,
    write_secret_new,
};
use sha2::{Digest, Sha256};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const HELPER_ENV: &str = "DOUBLE_RANDOM_FILES_TEST_HELPER";

/// Runs as a helper process when the environment asks for it; otherwise does nothing.
#[test]
fn helper_process() -> TestResult {
    let Ok(job) = std::env::var(HELPER_ENV) else {
        return Ok(());
    };
    let parts: Vec<&str> = job.split('|').collect();
    match parts.as_slice() {
        ["append", path, writer, count] => {
            let count: usize = count.parse()?;
            for i in 0..count {
                append_chained_with_retry(Path::new(path), writer, i)?;
            }
        }
        ["write_new", path, size] => {
            let size: usize = size.parse()?;
            let bytes = big_pattern(size);
            write_new(path, &bytes)?;
        }
        _ => return Err(format!("unknown helper job {job}").into()),
    }
    Ok(())
}

fn spawn_helper(job: &str) -> std::io::Result<std::process::Child> {
    // The test's name in this binary: its module path without the crate's name.
    let module = module_path!().split_once("::").map_or("", |(_, m)| m);
    let name = if module.is_empty() {
        "helper_process".to_string()
    } else {
        format!("{module}::helper_process")
    };
    Command::new(std::env::current_exe()?)
        .args(["--exact", &name, "--test-threads=1", "--quiet"])
        .env(HELPER_ENV, job)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
}

/// `size` bytes of a pattern that repeats every 251 bytes (so misplaced blocks show).
fn big_pattern(size: usize) -> Vec<u8> {
    let block: Vec<u8> = (0..251u8).collect();
    let mut out = Vec::with_capacity(size + block.len());
    while out.len() < size {
        out.extend_from_slice(&block);
    }
    out.truncate(size);
    out
}

// ---------------------------------------------------------------------------------------------
// A toy hash-chained log: each line is `<seq> <sha256 of all previous bytes> <writer> <n>`.

#[derive(Debug)]
enum ChainError {
    File(FileError),
    Stale,
}

impl From<FileError> for ChainError {
    fn from(e: FileError) -> Self {
        ChainError::File(e)
    }
}

impl std::fmt::Display for ChainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainError::File(e) => write!(f, "{e}"),
            ChainError::Stale => f.write_str("the line does not extend the log"),
        }
    }
}

impl std::error::Error for ChainError {}

fn next_line(current: &[u8], writer: &str, n: usize) -> String {
    let seq = current.iter().filter(|&&b| b == b'\n').count() + 1;
    format!(
        "{seq} {} {writer} {n}",
        hex::encode(Sha256::digest(current))
    )
}

/// The check a ceremony layer would run: `line` must be exactly the successor of `current`.
fn extends(current: &[u8], line: &[u8]) -> Result<(), ChainError> {
    let text = std::str::from_utf8(line).map_err(|_| ChainError::Stale)?;
    let mut fields = text.split(' ');
    let seq = current.iter().filter(|&&b| b == b'\n').count() + 1;
    let ok = fields.next() == Some(seq.to_string().as_str())
        && fields.next() == Some(hex::encode(Sha256::digest(current)).as_str());
    if ok { Ok(()) } else { Err(ChainError::Stale) }
}

/// Prepares a line from an unlocked read, then appends it under the lock if it is still current;
/// retries when another writer got there first.
fn append_chained_with_retry(path: &Path, writer: &str, n: usize) -> Result<(), ChainError> {
    let log = LogFile::open(path)?;
    loop {
        let seen = log.read()?;
        let line = next_line(&seen, writer, n);
        match append_line_locked(path, line.as_bytes(), |cur| extends(cur, line.as_bytes())) {
            Ok(()) => return Ok(()),
            Err(ChainError::Stale) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Checks the whole chain and returns how many entries each writer has.
fn check_chain(log: &[u8]) -> BTreeMap<String, Vec<usize>> {
    let mut per_writer: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut offset = 0;
    for (i, line) in log.split_inclusive(|&b| b == b'\n').enumerate() {
        assert!(line.ends_with(b"\n"), "line {} is not terminated", i + 1);
        let body = &line[..line.len() - 1];
        let prefix = &log[..offset];
        extends(prefix, body).unwrap_or_else(|_| panic!("line {} breaks the chain", i + 1));
        let text = std::str::from_utf8(body).unwrap();
        let fields: Vec<&str> = text.split(' ').collect();
        assert_eq!(fields.len(), 4);
        per_writer
            .entry(fields[2].to_string())
            .or_default()
            .push(fields[3].parse().unwrap());
        offset += line.len();
    }
    per_writer
}

// ---------------------------------------------------------------------------------------------

#[test]
fn write_new_refuses_to_overwrite() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("sheet.json");
    write_new(&path, b"original")?;
    let err = write_new(&path, b"replacement").unwrap_err();
    assert!(matches!(&err, FileError::AlreadyExists { path: p } if p == &path));
    assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
    assert_eq!(std::fs::read(&path)?, b"original");
    // The secret variant refuses too, and leaves no temporary files behind.
    assert!(matches!(
        write_secret_new(&path, b"secret"),
        Err(FileError::AlreadyExists { .. })
    ));
    let names: Vec<_> = std::fs::read_dir(dir.path())?.collect();
    assert_eq!(names.len(), 1);
    Ok(())
}

#[test]
fn write_new_with_racing_writers_keeps_exactly_one() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = Arc::new(dir.path().join("announcement.json"));
    let barrier = Arc::new(Barrier::new(8));
    let handles: Vec<_> = (0..8u8)
        .map(|i| {
            let (path, barrier) = (Arc::clone(&path), Arc::clone(&barrier));
            std::thread::spawn(move || {
                let body = vec![i; 100_000];
                barrier.wait();
                write_new(path.as_path(), &body).map(|()| i)
            })
        })
        .collect();
    let mut winners = Vec::new();
    for h in handles {
        match h.join().map_err(|_| "thread panicked")? {
            Ok(i) => winners.push(i),
            Err(FileError::AlreadyExists { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one writer wins");
    assert_eq!(std::fs::read(path.as_path())?, vec![winners[0]; 100_000]);
    assert_eq!(
        std::fs::read_dir(dir.path())?.count(),
        1,
        "no temporary files left"
    );
    Ok(())
}

#[test]
fn write_new_names_path_and_step_on_io_errors() {
    let path = PathBuf::from("/nonexistent-dir-for-double-random/sheet.json");
    let err = write_new(&path, b"x").unwrap_err();
    match &err {
        FileError::Io {
            path: p, op, kind, ..
        } => {
            assert_eq!(p, &path);
            assert_eq!(*op, FileOp::CreateTemp);
            assert_eq!(*kind, std::io::ErrorKind::NotFound);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(
        err.to_string()
            .contains("/nonexistent-dir-for-double-random/sheet.json")
    );
    assert!(matches!(
        write_new("/", b"x"),
        Err(FileError::NotAFileName { .. }) | Err(FileError::AlreadyExists { .. })
    ));
}

#[cfg(unix)]
#[test]
fn secret_files_are_private_and_records_are_not() -> TestResult {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir()?;
    let secret = dir.path().join("organizer.key");
    write_secret_new(&secret, &[0x55; 64])?;
    assert_eq!(
        std::fs::metadata(&secret)?.permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(std::fs::read(&secret)?, vec![0x55; 64]);

    let record = dir.path().join("sheet.json");
    write_new(&record, b"{}")?;
    let mode = std::fs::metadata(&record)?.permissions().mode() & 0o777;
    assert_eq!(mode & 0o600, 0o600, "owner can read and write");
    assert_eq!(mode & 0o111, 0, "not executable");
    Ok(())
}

#[cfg(unix)]
#[test]
fn write_replace_keeps_the_existing_mode() -> TestResult {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("notice.html");
    write_replace(&path, b"v1")?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640))?;
    write_replace(&path, b"v2")?;
    assert_eq!(std::fs::read(&path)?, b"v2");
    assert_eq!(
        std::fs::metadata(&path)?.permissions().mode() & 0o777,
        0o640
    );
    Ok(())
}

#[test]
fn read_limited_rejects_large_and_endless_files() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("entities.csv");
    write_new(&path, &[b'a'; 1000])?;
    assert_eq!(read_limited(&path, 1000)?.len(), 1000);
    let err = read_limited(&path, 999).unwrap_err();
    assert!(matches!(
        &err,
        FileError::TooLarge { path: p, limit: 999, size: 1000 } if p == &path
    ));
    assert!(err.to_string().contains("entities.csv"));
    // A directory is not a file.
    assert!(matches!(
        read_limited(dir.path(), 10),
        Err(FileError::Io { .. })
    ));
    // A device that reports size 0 but never ends.
    #[cfg(unix)]
    assert!(matches!(
        read_limited("/dev/zero", 4096),
        Err(FileError::TooLarge {
            limit: 4096,
            size: 4097,
            ..
        })
    ));
    Ok(())
}

#[test]
fn append_line_rejects_line_breaks_and_torn_tails() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("office.log");
    let err = append_line_locked(&path, b"a\nb", |_| Ok::<_, FileError>(())).unwrap_err();
    assert!(matches!(err, FileError::LineBreakInLine { .. }));
    let err = append_line_locked(&path, b"a\r", |_| Ok::<_, FileError>(())).unwrap_err();
    assert!(matches!(err, FileError::LineBreakInLine { .. }));
    // A log whose last line was cut (written by hand or by another tool) is not extended.
    std::fs::write(&path, b"1 ok\n2 cut")?;
    let err = append_line_locked(&path, b"3", |_| Ok::<_, FileError>(())).unwrap_err();
    assert!(matches!(err, FileError::UnterminatedLastLine { .. }));
    assert_eq!(std::fs::read(&path)?, b"1 ok\n2 cut");
    Ok(())
}

#[test]
fn stale_view_is_rejected_by_the_callers_check() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("office.log");
    let log = LogFile::open(&path)?;
    let first = next_line(&log.read()?, "a", 0);
    append_line_locked(&path, first.as_bytes(), |c| extends(c, first.as_bytes()))?;

    // Two writers prepare their next line from the same view...
    let seen = log.read()?;
    let from_b = next_line(&seen, "b", 0);
    let from_c = next_line(&seen, "c", 0);
    append_line_locked(&path, from_b.as_bytes(), |c| extends(c, from_b.as_bytes()))?;
    // ...the second one is now stale and is refused; the log is unchanged.
    let before = log.read()?;
    let res = append_line_locked(&path, from_c.as_bytes(), |c| extends(c, from_c.as_bytes()));
    assert!(matches!(res, Err(ChainError::Stale)));
    assert_eq!(log.read()?, before);
    assert_eq!(check_chain(&before).len(), 2);
    Ok(())
}

#[test]
fn threads_appending_at_once_lose_no_line() -> TestResult {
    const THREADS: usize = 6;
    const EACH: usize = 25;
    let dir = tempfile::tempdir()?;
    let path = Arc::new(dir.path().join("office.log"));
    let barrier = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let (path, barrier) = (Arc::clone(&path), Arc::clone(&barrier));
            std::thread::spawn(move || -> Result<(), ChainError> {
                let log = LogFile::open(path.as_path())?;
                barrier.wait();
                for n in 0..EACH {
                    if n % 2 == 0 {
                        // Build the entry under the lock from what is there.
                        log.with_lock(|cur| -> Result<_, ChainError> {
                            let mut line = next_line(cur, &format!("t{t}"), n).into_bytes();
                            line.push(b'\n');
                            Ok(Some(line))
                        })?;
                    } else {
                        // Build it outside the lock and retry when stale.
                        append_chained_with_retry(path.as_path(), &format!("t{t}"), n)?;
                    }
                }
                Ok(())
            })
        })
        .collect();
    for h in handles {
        h.join().map_err(|_| "thread panicked")??;
    }
    let log = std::fs::read(path.as_path())?;
    let per_writer = check_chain(&log);
    assert_eq!(per_writer.len(), THREADS);
    for (writer, ns) in per_writer {
        assert_eq!(
            ns,
            (0..EACH).collect::<Vec<_>>(),
            "{writer} lost or reordered lines"
        );
    }
    Ok(())
}

#[test]
fn processes_appending_at_once_lose_no_line() -> TestResult {
    const PROCS: usize = 3;
    const EACH: usize = 30;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("office.log");
    let children: Vec<_> = (0..PROCS)
        .map(|p| spawn_helper(&format!("append|{}|p{p}|{EACH}", path.display())))
        .collect::<Result<_, _>>()?;
    // This process writes too, at the same time.
    for n in 0..EACH {
        append_chained_with_retry(&path, "main", n)?;
    }
    for mut child in children {
        assert!(child.wait()?.success(), "helper failed");
    }
    let log = std::fs::read(&path)?;
    let per_writer = check_chain(&log);
    assert_eq!(per_writer.len(), PROCS + 1);
    for (writer, ns) in per_writer {
        assert_eq!(
            ns,
            (0..EACH).collect::<Vec<_>>(),
            "{writer} lost or reordered lines"
        );
    }
    Ok(())
}

/// Kills a process in the middle of `write_new` of a large buffer: the target must then be absent
/// or complete, and any leftover must be a recognisable temporary file.
#[cfg(unix)]
#[test]
fn killed_writer_leaves_no_partial_target() -> TestResult {
    const SIZE: usize = 192 << 20;
    let expected = big_pattern(SIZE);
    let mut killed_mid_write = 0;
    for attempt in 0..4 {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("sheet.json");
        let mut child = spawn_helper(&format!("write_new|{}|{SIZE}", target.display()))?;
        // Wait until the temporary file has some bytes (or the child is done), then SIGKILL.
        let start = Instant::now();
        let mut saw_partial_temp = false;
        while start.elapsed() < Duration::from_secs(60) {
            if child.try_wait()?.is_some() {
                break;
            }
            let partial = std::fs::read_dir(dir.path())?.flatten().any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(".sheet.json.tmp")
                    && e.metadata().map(|m| m.len() > 0).unwrap_or(false)
            });
            if partial {
                // Vary the moment of the kill a little between attempts.
                std::thread::sleep(Duration::from_millis(attempt * 3));
                saw_partial_temp = true;
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        child.kill()?; // SIGKILL on Unix
        let status = child.wait()?;

        match std::fs::read(&target) {
            Ok(bytes) => {
                assert_eq!(bytes.len(), SIZE, "attempt {attempt}: partial target");
                assert!(bytes == expected, "attempt {attempt}: corrupt target");
            }
            Err(e) => {
                assert_eq!(e.kind(), std::io::ErrorKind::NotFound);
                if saw_partial_temp && !status.success() {
                    killed_mid_write += 1;
                }
            }
        }
        for entry in std::fs::read_dir(dir.path())? {
            let name = entry?.file_name().to_string_lossy().into_owned();
            assert!(
                name == "sheet.json" || name.starts_with(".sheet.json.tmp"),
                "attempt {attempt}: unexpected file {name}"
            );
        }
    }
    eprintln!("killed in the middle of the write: {killed_mid_write} of 4 attempts");
    assert!(
        killed_mid_write > 0,
        "no attempt was killed in the middle of the write"
    );
    Ok(())
}
