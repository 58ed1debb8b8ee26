//! The fuzz targets' properties (`double_random::fuzzing`), run as property tests so that
//! `cargo test` covers them without cargo-fuzz: random bytes, and valid files with random
//! byte edits, must never panic a parser, and verification must never PASS a forgery.
//!
//! With `DR_WRITE_FUZZ_SEEDS=1`, `write_fuzz_seeds` (re)writes the small seed corpus of the
//! document, log, minisign and verify targets under `fuzz/corpus/`.

use double_random::Digest32;
use double_random::ceremony::amend::{self, Action, Amendment, Reason, ReasonCode};
use double_random::ceremony::log::{self as office_log, EntryKind, Position, Task, next_entry};
use double_random::ceremony::sheet::Sheet;
use double_random::fuzzing::{self, Fixture, InputFiles};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn vector(name: &str) -> Vec<u8> {
    std::fs::read(root().join("tests/vectors/01-small-undirected").join(name)).unwrap()
}

struct Files {
    entities: Vec<u8>,
    inspectors: Vec<u8>,
    items: Vec<u8>,
    conflicts: Vec<u8>,
    history: Vec<u8>,
    plan: Vec<u8>,
}

static FILES: LazyLock<Files> = LazyLock::new(|| Files {
    entities: vector("entities.csv"),
    inspectors: vector("inspectors.csv"),
    items: vector("items.csv"),
    conflicts: vector("conflicts.csv"),
    history: vector("history.csv"),
    plan: vector("plan.toml"),
});

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let f = &*FILES;
    let inputs = fuzzing::read_inputs(&InputFiles {
        entities: &f.entities,
        inspectors: &f.inspectors,
        items: &f.items,
        conflicts: &f.conflicts,
        history: &f.history,
        plan: &f.plan,
    })
    .unwrap();
    Fixture::new(inputs).unwrap()
});

fn amendment() -> (Vec<u8>, String) {
    let fx = &*FIXTURE;
    let sheet = Sheet::parse(&fx.sheet).unwrap();
    let a: Amendment = amend::amend(
        &sheet,
        &[],
        Action::ReplaceEntity {
            entity: sheet.entities[0].id.clone(),
        },
        Reason {
            code: ReasonCode::EntityClosed,
            text: "注销".into(),
        },
        &fx.inputs.as_inputs(),
        "2026-03-02T02:00:00Z".parse().unwrap(),
        Position {
            seq: 3,
            prev: Some(Digest32::of(&fx.sheet)),
        },
    )
    .unwrap();
    let bytes = a.to_canonical().unwrap();
    let sig = fuzzing::sign_document(&fx.key, fuzzing::DRAW_ID, "amendment.json", &bytes).unwrap();
    (bytes, sig)
}

fn sample_log() -> Vec<u8> {
    let t = |s: &str| s.parse().unwrap();
    let task = |id: &str| Task {
        plan_id: "P2026".into(),
        task_id: id.into(),
        batch: "1".into(),
    };
    let mut out = Vec::new();
    for (kind, draw, doc, time, task_id) in [
        (
            EntryKind::Announcement,
            "D1",
            1u8,
            "2026-03-01T01:00:00Z",
            "T1",
        ),
        (EntryKind::Sheet, "D1", 2, "2026-03-01T02:00:00Z", "T1"),
        (
            EntryKind::Announcement,
            "D2",
            3,
            "2026-03-02T01:00:00Z",
            "T2",
        ),
        (EntryKind::Void, "D2", 5, "2026-03-02T03:00:00Z", "T2"),
        (EntryKind::Amendment, "D1", 4, "2026-03-03T01:00:00Z", "T1"),
    ] {
        let e = next_entry(
            &office_log::check(&out, false),
            kind,
            draw,
            Digest32([doc; 32]),
            &task(task_id),
            t(time),
        );
        out.extend_from_slice(&e.to_line().unwrap());
        out.push(b'\n');
    }
    assert!(office_log::check(&out, true).is_ok());
    out
}

fn with_selector(sel: u8, bytes: &[u8]) -> Vec<u8> {
    let mut v = vec![sel];
    v.extend_from_slice(bytes);
    v
}

fn verify_input(flags: u8, parts: &[&[u8]]) -> Vec<u8> {
    let mut v = vec![flags];
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            v.push(0xFF);
        }
        v.extend_from_slice(p);
    }
    v
}

/// Valid inputs for each target: the start points of the mutation strategies.
fn seeds() -> Seeds {
    let f = &*FILES;
    let fx = &*FIXTURE;
    let (am, am_sig) = amendment();
    let tables = [
        &f.entities,
        &f.inspectors,
        &f.items,
        &f.conflicts,
        &f.history,
    ];
    vec![
        (
            "roster_csv",
            tables
                .iter()
                .enumerate()
                .map(|(i, t)| with_selector(i as u8, t))
                .collect(),
        ),
        ("plan_toml", vec![f.plan.clone()]),
        (
            "documents",
            vec![
                with_selector(0, &fx.ann),
                with_selector(1, &fx.sheet),
                with_selector(2, &am),
            ],
        ),
        ("log_check", vec![sample_log()]),
        (
            "minisign",
            vec![
                with_selector(0, fx.sheet_sig.as_bytes()),
                with_selector(0, am_sig.as_bytes()),
                with_selector(1, fx.public.to_minisign().as_bytes()),
                with_selector(2, fx.key.to_key_file().as_bytes()),
            ],
        ),
        (
            "verify",
            vec![
                verify_input(
                    0,
                    &[
                        &fx.ann,
                        fx.ann_sig.as_bytes(),
                        &fx.sheet,
                        fx.sheet_sig.as_bytes(),
                    ],
                ),
                verify_input(
                    2,
                    &[
                        &fx.ann,
                        fx.ann_sig.as_bytes(),
                        &fx.sheet,
                        fx.sheet_sig.as_bytes(),
                    ],
                ),
                verify_input(3, &[&fx.ann, b"", &fx.sheet, b"", &f.entities, &f.plan]),
                verify_input(1, &[&fx.ann, b"", &fx.sheet]),
                verify_input(
                    4,
                    &[
                        &fx.ann,
                        fx.ann_sig.as_bytes(),
                        &fx.sheet,
                        fx.sheet_sig.as_bytes(),
                        b"",
                        b"",
                        &fx.amendment,
                        fx.amendment_sig.as_bytes(),
                    ],
                ),
                verify_input(7, &[b"", b"", b"", b"", b"", b"", &fx.amendment]),
            ],
        ),
    ]
}

fn check(target: &str, data: &[u8]) -> Result<(), String> {
    match target {
        "roster_csv" => fuzzing::check_roster(data),
        "plan_toml" => fuzzing::check_plan(data),
        "documents" => fuzzing::check_document(data),
        "log_check" => fuzzing::check_log(data),
        "minisign" => fuzzing::check_minisign(data),
        "verify" => FIXTURE.check_verify(data),
        _ => unreachable!(),
    }
}

/// Per target, its seed inputs.
type Seeds = Vec<(&'static str, Vec<Vec<u8>>)>;

static SEEDS: LazyLock<Seeds> = LazyLock::new(seeds);

#[test]
fn every_seed_satisfies_its_property() {
    for (target, list) in SEEDS.iter() {
        for s in list {
            check(target, s).unwrap_or_else(|e| panic!("{target}: {e}"));
        }
    }
    // The honest set passes, with and without inputs.
    let fx = &*FIXTURE;
    assert!(
        fx.verify(
            &fx.ann,
            &fx.ann_sig,
            &fx.sheet,
            &fx.sheet_sig,
            Some(&fx.inputs)
        )
        .passed()
    );
}

#[test]
fn write_fuzz_seeds() {
    if std::env::var_os("DR_WRITE_FUZZ_SEEDS").is_none() {
        return;
    }
    for (target, list) in SEEDS.iter() {
        if ["roster_csv", "plan_toml"].contains(target) {
            continue; // copied from the vectors and examples directly
        }
        let dir = root().join("fuzz/corpus").join(target);
        std::fs::create_dir_all(&dir).unwrap();
        for (i, s) in list.iter().enumerate() {
            std::fs::write(dir.join(format!("seed-{i}")), s).unwrap();
        }
    }
}

/// A seed of `target` with up to eight random byte edits (set, insert or delete).
fn mutated(target: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let n = SEEDS.iter().find(|(t, _)| *t == target).unwrap().1.len();
    (
        0..n,
        prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<u8>()), 1..8),
    )
        .prop_map(move |(which, edits)| {
            let mut v = SEEDS.iter().find(|(t, _)| *t == target).unwrap().1[which].clone();
            for (at, op, byte) in edits {
                let i = at.index(v.len().max(1));
                match op {
                    0 if !v.is_empty() => {
                        let j = i.min(v.len() - 1);
                        v[j] = byte;
                    }
                    1 => v.insert(i.min(v.len()), byte),
                    _ if i < v.len() && i > 0 => {
                        v.remove(i);
                    }
                    _ => {}
                }
            }
            v
        })
}

fn noise() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..300)
}

macro_rules! property {
    ($name:ident, $target:literal, $cases:expr) => {
        proptest! {
            #![proptest_config(ProptestConfig { cases: $cases, failure_persistence: None, ..ProptestConfig::default() })]
            #[test]
            fn $name(data in prop_oneof![1 => noise(), 3 => mutated($target)]) {
                prop_assert!(check($target, &data).is_ok(), "{:?}", check($target, &data));
            }
        }
    };
}

property!(roster_csv_never_panics, "roster_csv", 96);
property!(plan_toml_never_panics, "plan_toml", 128);
property!(documents_parse_only_canonical_bytes, "documents", 128);
property!(log_check_never_panics, "log_check", 128);
property!(minisign_files_round_trip, "minisign", 128);
property!(verify_never_passes_a_forgery, "verify", 48);

#[test]
fn fixture_files_exist() {
    assert!(Path::new(&root().join("tests/vectors/01-small-undirected/plan.toml")).exists());
}

#[test]
fn appends_to_a_torn_or_damaged_log_are_refused_and_change_nothing() {
    use double_random::ceremony::log::{self, AppendError};
    let dir = tempfile::tempdir().unwrap();
    let good = sample_log();
    let mut torn = good.clone();
    torn.truncate(good.len() - 20); // a write cut off mid-line
    let mut foreign = good.clone();
    foreign.extend_from_slice(b"not a log line\n");
    let mut doubled = good.clone();
    doubled.extend_from_slice(&good); // the same entries appended twice
    for (name, bytes) in [("torn", torn), ("foreign", foreign), ("doubled", doubled)] {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let r = double_random::bundle::append_with(&path, |_| {
            Ok::<_, std::convert::Infallible>(log::Record {
                kind: EntryKind::Announcement,
                draw_id: "D9".into(),
                document: Digest32([9; 32]),
                task: Task {
                    plan_id: "P2026".into(),
                    task_id: "T9".into(),
                    batch: "1".into(),
                },
                time: "2026-03-09T01:00:00Z".parse().unwrap(),
            })
        });
        assert!(matches!(r, Err(AppendError::Damaged(_))), "{name}: {r:?}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            bytes,
            "{name}: the log changed"
        );
    }
}

/// Found by the `documents` fuzz target: a sheet whose `drawn_at` read `+2026-…` parsed, and
/// wrote back without the `+`. Every field type must read only the spelling it writes.
#[test]
fn documents_with_a_second_spelling_of_a_field_are_refused() {
    use double_random::ceremony::announce::Announcement;
    use double_random::ceremony::log;
    let fx = &*FIXTURE;
    let sheet = String::from_utf8(fx.sheet.clone()).unwrap();
    let plus_year = sheet.replacen("\"drawn_at\":\"2026", "\"drawn_at\":\"+2026", 1);
    assert_ne!(plus_year, sheet);
    assert!(Sheet::parse(plus_year.as_bytes()).is_err());
    let s = Sheet::parse(&fx.sheet).unwrap();
    let upper_seed = sheet.replacen(&s.seed.to_hex(), &s.seed.to_hex().to_uppercase(), 1);
    assert_ne!(upper_seed, sheet);
    assert!(Sheet::parse(upper_seed.as_bytes()).is_err());
    let ann = String::from_utf8(fx.ann.clone()).unwrap();
    let a = Announcement::parse(&fx.ann).unwrap();
    let d = a.parties[0].commitment.to_hex();
    let upper = ann.replacen(&d, &d.to_uppercase(), 1);
    assert!(Announcement::parse(upper.as_bytes()).is_err());
    let plus = ann.replacen("\"announced_at\":\"2026", "\"announced_at\":\"+2026", 1);
    assert!(Announcement::parse(plus.as_bytes()).is_err());
    // The office log: an entry line whose time or digest is spelled differently.
    let e = next_entry(
        &log::check(b"", false),
        EntryKind::Announcement,
        "D1",
        Digest32([0xAB; 32]),
        &Task {
            plan_id: "P2026".into(),
            task_id: "T1".into(),
            batch: "1".into(),
        },
        "2026-03-01T01:00:00Z".parse().unwrap(),
    );
    let line = String::from_utf8(e.to_line().unwrap()).unwrap();
    assert!(log::check(format!("{line}\n").as_bytes(), false).is_ok());
    for bad in [
        line.replacen("\"time\":\"2026", "\"time\":\"+2026", 1),
        line.replace("abab", "ABAB"),
    ] {
        assert_ne!(bad, line);
        assert!(
            !log::check(format!("{bad}\n").as_bytes(), false).is_ok(),
            "{bad}"
        );
    }
    // And the fuzz target's property holds for these inputs.
    for (sel, doc) in [(1u8, plus_year.as_bytes()), (0, plus.as_bytes())] {
        let mut data = vec![sel];
        data.extend_from_slice(doc);
        assert!(fuzzing::check_document(&data).is_ok());
    }
}
