//! The messy exports of `tests/data/messy` (written by its `make.py` from the first 200 rows of
//! the sample entity roster): extra columns, alias headers, reordered or absent optional
//! columns, GB18030, BOM, CRLF, blank lines before the header, full-width headers. Each is read
//! as the sample rows restricted to the fields it holds.
//!
//! Pairing: an absent optional column gives every row the field's default, so a messy file's
//! digest equals that of the *clean file restricted to the same fields* (the sample's own
//! header and values, the other columns dropped), not that of the full sample roster. Files that
//! hold every field (01, 02, 09, 11) are compared with the sample roster itself.

use double_random::bundle::{InputNote, InputPaths, load_input_files};
use double_random::formats::roster_csv::{for_each_entity, read_entities};
use std::path::{Path, PathBuf};

const FIELDS: [&str; 10] = [
    "id",
    "name",
    "kind",
    "authority",
    "region",
    "industry",
    "status",
    "abnormal",
    "risk",
    "tags",
];
const ROWS: usize = 200;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `(file, fields it holds, headers of its ignored columns)`, from `KEPT.txt`.
fn cases() -> Vec<(String, Vec<String>, Vec<String>)> {
    let kept = std::fs::read_to_string(root().join("tests/data/messy/KEPT.txt")).unwrap();
    let list = |s: &str| -> Vec<String> {
        s.split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(String::from)
            .collect()
    };
    kept.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let (file, rest) = l.split_once(':').unwrap();
            let (fields, ignored) = rest.split_once('|').unwrap();
            (file.to_owned(), list(fields), list(ignored))
        })
        .collect()
}

/// The sample's header and first [`ROWS`] rows, as the sample file writes them.
fn sample() -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(root().join("examples/data/entities.csv")).unwrap();
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let header = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .take(ROWS)
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    (header, rows)
}

/// The clean file: the sample's header and values of `fields` only, UTF-8, LF.
fn clean(fields: &[String]) -> String {
    let (header, rows) = sample();
    let cols: Vec<usize> = fields
        .iter()
        .map(|f| FIELDS.iter().position(|x| x == f).unwrap())
        .collect();
    let line = |cells: &[String]| -> String {
        cols.iter()
            .map(|&c| cells[c].as_str())
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut out = line(&header) + "\n";
    for r in &rows {
        assert!(
            r.len() == FIELDS.len(),
            "a sample row with a comma inside a field"
        );
        out += &(line(r) + "\n");
    }
    out
}

/// The digest `DIGESTS.txt` gives for `file`.
fn pinned(file: &str) -> Option<String> {
    let text = std::fs::read_to_string(root().join("tests/data/messy/DIGESTS.txt")).unwrap();
    text.lines()
        .filter_map(|l| l.split_once(": "))
        .find(|(f, _)| *f == file)
        .map(|(_, d)| d.to_owned())
}

#[test]
fn there_are_sixteen_messy_exports() {
    assert_eq!(cases().len(), 16);
}

#[test]
fn every_messy_export_reads_as_the_clean_file_with_the_same_fields() {
    let full = clean(&FIELDS.map(String::from));
    let full = read_entities("clean.csv", full.as_bytes()).unwrap();
    for (file, fields, ignored) in cases() {
        let bytes = std::fs::read(root().join("tests/data/messy").join(&file)).unwrap();
        let messy =
            read_entities(&file, bytes.as_slice()).unwrap_or_else(|e| panic!("{file}: {e}"));
        let want = read_entities("clean.csv", clean(&fields).as_bytes()).unwrap();
        assert_eq!(messy.rows.len(), ROWS, "{file}");
        assert_eq!(messy.rows, want.rows, "{file}");
        let digest = messy.digest().unwrap();
        assert_eq!(digest, want.digest().unwrap(), "{file}");
        // The Python replayer computes the same digest (its test_messy.py checks this file too).
        assert_eq!(Some(digest.to_hex()), pinned(&file), "{file}: DIGESTS.txt");
        if fields.len() == FIELDS.len() {
            assert_eq!(
                digest,
                full.digest().unwrap(),
                "{file}: all fields, the sample's digest"
            );
        } else {
            assert_ne!(
                digest,
                full.digest().unwrap(),
                "{file}: absent fields are defaults"
            );
        }
        let shown: Vec<&str> = messy
            .columns
            .ignored
            .iter()
            .map(|c| c.header.as_str())
            .collect();
        assert_eq!(shown, ignored, "{file}: ignored columns");
        let absent: Vec<&str> = FIELDS
            .iter()
            .copied()
            .filter(|f| !fields.iter().any(|x| x == f))
            .collect();
        assert_eq!(messy.columns.absent, absent, "{file}: absent fields");
        // The streaming reader agrees.
        let summary = for_each_entity(&file, bytes.as_slice(), |_, _| {
            Ok::<(), double_random::formats::error::InputErrors>(())
        })
        .unwrap_or_else(|e| panic!("{file}: {e:?}"));
        assert_eq!(summary.digest, digest, "{file}: streaming reader");
        assert_eq!(summary.columns, messy.columns, "{file}: streaming reader");
    }
}

/// The sample folder with `entities` in place of its entity roster.
fn sample_with(dir: &Path, entities: &Path) -> InputPaths {
    for f in [
        "inspectors.csv",
        "items.csv",
        "conflicts.csv",
        "history.csv",
        "plan.toml",
    ] {
        std::fs::copy(root().join("examples/data").join(f), dir.join(f)).unwrap();
    }
    std::fs::copy(entities, dir.join("entities.csv")).unwrap();
    InputPaths::find(dir, None).unwrap()
}

#[test]
fn every_messy_export_passes_the_inputs_check_of_the_sample_plan() {
    for (file, fields, ignored) in cases() {
        let dir = tempfile::tempdir().unwrap();
        let paths = sample_with(dir.path(), &root().join("tests/data/messy").join(&file));
        let inputs = load_input_files(&paths, &mut double_random::bundle::NoProgress)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let want = read_entities("clean.csv", clean(&fields).as_bytes()).unwrap();
        assert_eq!(
            inputs.digests.entities.digest,
            want.digest().unwrap(),
            "{file}"
        );
        let notes: Vec<&Vec<String>> = inputs
            .notes
            .iter()
            .filter_map(|n| match n {
                InputNote::IgnoredColumns { headers, .. } => Some(headers),
                _ => None,
            })
            .collect();
        if ignored.is_empty() {
            assert!(notes.is_empty(), "{file}");
        } else {
            assert_eq!(notes, [&ignored], "{file}: one note per file");
        }
    }
}

#[test]
fn a_roster_without_a_column_the_plan_uses_is_refused_naming_it() {
    // 03 lacks kind, tags, abnormal: a plan filtering on kinds needs the kind column.
    let dir = tempfile::tempdir().unwrap();
    let paths = sample_with(
        dir.path(),
        &root().join("tests/data/messy/03-needed-columns-only.csv"),
    );
    let plan = std::fs::read_to_string(&paths.plan)
        .unwrap()
        .replace("kinds = []", "kinds = [\"企业\"]");
    std::fs::write(&paths.plan, plan).unwrap();
    let Err(double_random::bundle::BundleError::Inputs(p)) =
        load_input_files(&paths, &mut double_random::bundle::NoProgress)
    else {
        panic!("accepted")
    };
    assert!(
        matches!(
            &p.problems[..],
            [double_random::bundle::InputProblem::NeededColumn { field: "kind", plan_field: "filters.kinds", file, .. }]
                if file.ends_with("entities.csv")
        ),
        "{p}"
    );
}

#[test]
fn a_byte_order_mark_in_an_ignored_column_is_still_an_error_for_every_reader() {
    // Ignored values are never read, but they are decoded like every field (SPEC §3.5): the
    // parallel reader of the inputs check must not take a row the sequential reader refuses.
    let dir = tempfile::tempdir().unwrap();
    let good = root().join("tests/data/messy/14-wide-export.csv");
    let text = std::fs::read_to_string(&good).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[2] = lines[2].replacen("贵州省", "贵州\u{feff}省", 1);
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, lines.join("\n") + "\n").unwrap();
    let sequential = read_entities("bad.csv", std::fs::read(&bad).unwrap().as_slice()).unwrap_err();
    assert_eq!(sequential.errors[0].line, 3, "{sequential}");
    let inputs = tempfile::tempdir().unwrap();
    let paths = sample_with(inputs.path(), &bad);
    let Err(double_random::bundle::BundleError::Inputs(p)) =
        load_input_files(&paths, &mut double_random::bundle::NoProgress)
    else {
        panic!("accepted")
    };
    assert!(
        matches!(&p.problems[0], double_random::bundle::InputProblem::Roster(e) if e.line == 3),
        "{p}"
    );
}

/// Drops the column with header `header` from the CSV file at `path`.
fn drop_column(path: &Path, header: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = head.iter().position(|h| *h == header).unwrap();
    let keep = |l: &str| -> String {
        l.split(',')
            .enumerate()
            .filter(|(i, _)| *i != at)
            .map(|(_, c)| c)
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut out = keep(&head.join(",")) + "\n";
    for l in lines {
        out += &(keep(l) + "\n");
    }
    std::fs::write(path, out).unwrap();
}

#[test]
fn each_plan_setting_needs_its_column() {
    use double_random::bundle::{BundleError, InputProblem, NoProgress};
    // (file, header dropped, plan edit, the plan setting named)
    let cases: [(&str, &str, (&str, &str), &str); 4] = [
        (
            "inspectors.csv",
            "行政区划代码",
            ("", ""),
            "team.exclude_same_region",
        ),
        (
            "history.csv",
            "检查人员",
            ("", ""),
            "repeat.inspector_window_days",
        ),
        (
            "history.csv",
            "事项编号",
            ("same_items_only = false", "same_items_only = true"),
            "repeat.same_items_only",
        ),
        (
            "inspectors.csv",
            "人员类别",
            ("experts = 0", "experts = 1"),
            "team.experts",
        ),
    ];
    for (file, header, (from, to), plan_field) in cases {
        let dir = tempfile::tempdir().unwrap();
        let paths = sample_with(dir.path(), &root().join("examples/data/entities.csv"));
        drop_column(&dir.path().join(file), header);
        let plan = std::fs::read_to_string(&paths.plan).unwrap();
        assert!(plan.contains(from));
        std::fs::write(&paths.plan, plan.replacen(from, to, 1)).unwrap();
        let Err(BundleError::Inputs(p)) = load_input_files(&paths, &mut NoProgress) else {
            panic!("{file} without {header}: accepted")
        };
        assert!(
            p.problems.iter().any(|x| matches!(x,
                InputProblem::NeededColumn { file: f, plan_field: pf, .. } if f.ends_with(file) && *pf == plan_field)),
            "{file} without {header}: {p}"
        );
    }
    // The same files, the column present: accepted.
    let dir = tempfile::tempdir().unwrap();
    let paths = sample_with(dir.path(), &root().join("examples/data/entities.csv"));
    load_input_files(&paths, &mut NoProgress).unwrap();
}
