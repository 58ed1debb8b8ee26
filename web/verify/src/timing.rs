//! The page's verification of a draw folder, timed natively on one thread: with
//! `benches/web.sh`'s figures, it tells the time the code takes (at the module's optimisation
//! level) from the time the browser adds.
//!
//! ```text
//! DR_VERIFY_FOLDER=/path/office/DRAW cargo test --release \
//!   --manifest-path web/verify/Cargo.toml timing -- --ignored --nocapture
//! ```
//!
//! The folder's files and the files beside it (its office: `office.log`, `holidays-*.toml`)
//! are named as a dropped office folder names them, as `web/test/drive.py` gives them to the
//! page.

use std::path::Path;
use std::time::Instant;

/// The files of a dropped office folder holding `draw`: the office's own files by name, the
/// draw's as `<draw>/<file>`.
fn dropped(draw: &Path) -> Vec<(String, Vec<u8>)> {
    let office = draw.parent().unwrap_or(Path::new("."));
    let id = draw.file_name().map(|n| n.to_string_lossy().into_owned());
    let mut out = vec![];
    for (prefix, dir) in [(None, office), (id, draw)] {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .expect("the folder is readable")
            .filter_map(Result::ok)
            .filter(|e| e.path().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for n in names {
            let bytes = std::fs::read(dir.join(&n)).expect("the file is readable");
            let name = match &prefix {
                Some(p) => format!("{p}/{n}"),
                None => n,
            };
            out.push((name, bytes));
        }
    }
    out
}

#[test]
#[ignore = "needs a draw folder in DR_VERIFY_FOLDER"]
fn timing() {
    let folder = std::env::var("DR_VERIFY_FOLDER").expect("DR_VERIFY_FOLDER names a draw folder");
    // As in a page: one thread.
    double_random::set_threads(1);
    let files = dropped(Path::new(&folder));
    let size: usize = files.iter().map(|f| f.1.len()).sum();
    for run in 1..=3 {
        let started = Instant::now();
        let json = super::verify_named_files(files.clone(), true, 1_790_000_000);
        let took = started.elapsed();
        let v: serde_json::Value = serde_json::from_str(&json).expect("the verdict is JSON");
        assert_eq!(v["result"], "PASS", "{json}");
        println!(
            "run {run}: {} files, {size} bytes, depth {}: {:.3} s",
            files.len(),
            v["depth"],
            took.as_secs_f64()
        );
    }
}
