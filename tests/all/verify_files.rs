//! `bundle::verify_files` (a draw's published files given in memory, as a browser has them) and
//! `bundle::verify_dir_with` (the same files in a folder) are one verification: the same
//! checks, findings and trust summary, on a sound draw and on tampered ones.

use double_random::bundle::*;
use double_random::ceremony::commit::Secret;
use double_random::formats::files::MemoryFiles;
use double_random::sign::SecretKey;
use std::path::Path;

/// A drawn ceremony in `office`: the key and the draw folder, its rosters withheld.
fn drawn(office: &Path) -> (SecretKey, DrawDir) {
    let (key, folder) = drawn_with_rosters(office);
    // The public part: the rosters withheld, the plan kept.
    for f in ["entities.csv", "inspectors.csv", "items.csv"] {
        let _ = std::fs::remove_file(folder.path(f));
    }
    (key, folder)
}

/// A drawn ceremony in `office`, its folder holding every input (as a discipline inspector is
/// given it), the office log beside it.
fn drawn_with_rosters(office: &Path) -> (SecretKey, DrawDir) {
    let key = SecretKey::generate().unwrap();
    let folder = drawn_as(office, &key, "D1", "T1");
    (key, folder)
}

/// Draw `draw_id` of task `task` in `office`, signed with `key`.
fn drawn_as(office: &Path, key: &SecretKey, draw_id: &str, task: &str) -> DrawDir {
    let r = office.join(format!("r-{draw_id}"));
    example_input_files(&r).unwrap();
    let plan = std::fs::read_to_string(r.join("plan.toml")).unwrap();
    std::fs::write(
        r.join("plan.toml"),
        plan.replace("task_id = \"T1\"", &format!("task_id = \"{task}\"")),
    )
    .unwrap();
    let private = PrivateDir::new(office.join("private"));
    let log = office.join(LOG_FILE);
    let folder = DrawDir::new(office.join(draw_id));
    let inputs = load_inputs(&r, None).unwrap();
    let t = |s: &str| s.parse().unwrap();
    announce(
        &folder,
        &private,
        &log,
        &AnnounceRequest {
            draw_id,
            inputs: &inputs,
            key,
            organizer: "organizer",
            organizer_secret: &Secret::generate().unwrap(),
            witnesses: &[],
            beacon: None,
            announced_at: t("2026-03-01T01:00:00Z"),
            scheduled_at: t("2026-03-01T01:00:00Z"),
            drill: true,
        },
    )
    .unwrap();
    draw(
        &folder,
        &private,
        &log,
        &DrawRequest {
            key,
            reveals: &[],
            beacon: None,
            drawn_at: t("2026-03-01T01:00:00Z"),
        },
        &mut NoProgress,
    )
    .unwrap();
    folder
}

fn in_memory(dir: &Path) -> MemoryFiles {
    let mut files = MemoryFiles::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        if e.path().is_file() {
            files.insert(
                e.file_name().into_string().unwrap(),
                std::fs::read(e.path()).unwrap(),
            );
        }
    }
    files
}

/// What a reader sees of a verification: verdict, depth, checks and findings by code and field.
fn seen(v: &DirVerification) -> String {
    let checked: Vec<_> = v.report.checked.iter().map(|c| c.code()).collect();
    let findings: Vec<_> = v
        .report
        .findings
        .iter()
        .map(|f| (f.code(), f.fields()))
        .collect();
    format!(
        "{} {:?} {:?} {checked:?} {findings:?} {:?} {}",
        v.passed(),
        v.depth,
        v.withheld,
        v.trust.as_ref().map(|t| format!("{t:?}")),
        v.views.len()
    )
}

fn both(dir: &Path, key: &SecretKey) -> (DirVerification, DirVerification) {
    let pk = key.public_key();
    let opts = VerifyOptions {
        public_key: Some(&pk),
        ..VerifyOptions::default()
    };
    let on_disk = verify_dir_with(dir, &opts, &mut NoProgress).unwrap();
    let in_mem = verify_files(&in_memory(dir), Some(&pk), &[]).unwrap();
    (on_disk, in_mem)
}

#[test]
fn a_sound_draw_passes_in_memory_as_in_its_folder() {
    let office = tempfile::tempdir().unwrap();
    let (key, folder) = drawn(office.path());
    let (on_disk, in_mem) = both(folder.root(), &key);
    assert!(on_disk.passed(), "{:?}", on_disk.report.findings);
    assert_eq!(in_mem.depth, Depth::Plan);
    assert_eq!(seen(&on_disk), seen(&in_mem));
}

#[test]
fn an_edited_name_fails_in_memory_as_in_its_folder() {
    let office = tempfile::tempdir().unwrap();
    let (key, folder) = drawn(office.path());
    let path = folder.path("sheet.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let name = text
        .split("\"name\":\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_string();
    std::fs::write(&path, text.replacen(&name, &format!("{name}X"), 1)).unwrap();
    let (on_disk, in_mem) = both(folder.root(), &key);
    assert!(!in_mem.passed());
    assert!(!in_mem.report.findings.is_empty());
    assert_eq!(seen(&on_disk), seen(&in_mem));
}

#[test]
fn another_key_fails_and_no_key_is_not_verified() {
    let office = tempfile::tempdir().unwrap();
    let (_, folder) = drawn(office.path());
    let other = SecretKey::generate().unwrap();
    let (on_disk, in_mem) = both(folder.root(), &other);
    assert!(!in_mem.passed());
    assert!(
        in_mem
            .report
            .findings
            .iter()
            .any(|f| f.code().contains("signature"))
    );
    assert_eq!(seen(&on_disk), seen(&in_mem));
    // Without a key given, organizer.pub among the files is used: never a PASS.
    let mut files = in_memory(folder.root());
    files.insert(
        PUBLIC_KEY_FILE.into(),
        other.public_key().to_minisign().into_bytes(),
    );
    let v = verify_files(&files, None, &[]).unwrap();
    assert!(v.key_from_folder);
    assert!(!v.passed());
}

#[test]
fn a_missing_announcement_is_an_error_naming_it() {
    let files = MemoryFiles::new();
    match verify_files(&files, None, &[]) {
        Err(BundleError::Missing { path, .. }) => assert_eq!(path, Path::new("announcement.json")),
        other => panic!("{other:?}"),
    }
}

/// The sheet with the first drawn entity's name changed; returns the entity's id.
fn edit_first_name(folder: &DrawDir) -> String {
    let path = folder.path("sheet.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text.find("\"name\":\"").unwrap();
    let id = text[..at]
        .rsplit("\"id\":\"")
        .next()
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_string();
    let name = text[at + 8..].split('"').next().unwrap().to_string();
    std::fs::write(
        &path,
        format!("{}{name}X{}", &text[..at + 8], &text[at + 8 + name.len()..]),
    )
    .unwrap();
    id
}

#[test]
fn with_the_rosters_the_draw_is_replayed_in_memory_as_in_its_folder() {
    let office = tempfile::tempdir().unwrap();
    let (key, folder) = drawn_with_rosters(office.path());
    let (on_disk, in_mem) = both(folder.root(), &key);
    assert!(in_mem.passed(), "{:?}", in_mem.report.findings);
    assert_eq!(in_mem.depth, Depth::Full);
    assert!(in_mem.withheld.is_empty());
    assert_eq!(seen(&on_disk), seen(&in_mem));
}

#[test]
fn with_the_rosters_an_edited_name_names_the_entity_and_the_field() {
    let office = tempfile::tempdir().unwrap();
    let (key, folder) = drawn_with_rosters(office.path());
    let id = edit_first_name(&folder);
    let (on_disk, in_mem) = both(folder.root(), &key);
    assert!(!in_mem.passed());
    assert_eq!(in_mem.depth, Depth::Full);
    let named = in_mem.report.findings.iter().any(|f| {
        let fields = f.fields();
        fields.iter().any(|(_, v)| v == &id) && fields.iter().any(|(_, v)| v == "name")
    });
    assert!(named, "{:?}", in_mem.report.findings);
    assert_eq!(seen(&on_disk), seen(&in_mem));
}

#[test]
fn a_roster_that_differs_from_the_announced_one_fails_in_memory() {
    let office = tempfile::tempdir().unwrap();
    let (key, folder) = drawn_with_rosters(office.path());
    let path = folder.path("inspectors.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("王明", "王朋")).unwrap();
    let (on_disk, in_mem) = both(folder.root(), &key);
    assert!(!in_mem.passed());
    assert_eq!(seen(&on_disk), seen(&in_mem));
}

/// The folder checked with the log beside it, and the same files with `office.log` among them.
fn both_with_log(dir: &Path, log: &Path, key: &SecretKey) -> (DirVerification, DirVerification) {
    let pk = key.public_key();
    let opts = VerifyOptions {
        public_key: Some(&pk),
        log: Some(log),
        ..VerifyOptions::default()
    };
    let on_disk = verify_dir_with(dir, &opts, &mut NoProgress).unwrap();
    let mut files = in_memory(dir);
    files.insert(LOG_FILE.into(), std::fs::read(log).unwrap());
    let in_mem = verify_files(&files, Some(&pk), &[]).unwrap();
    (on_disk, in_mem)
}

#[test]
fn the_office_log_among_the_files_is_checked_as_beside_the_folder() {
    let office = tempfile::tempdir().unwrap();
    let (key, folder) = drawn(office.path());
    let log = office.path().join(LOG_FILE);
    let (on_disk, in_mem) = both_with_log(folder.root(), &log, &key);
    assert!(in_mem.passed(), "{:?}", in_mem.report.findings);
    let checked: Vec<_> = in_mem.report.checked.iter().map(|c| c.code()).collect();
    let without = verify_files(&in_memory(folder.root()), Some(&key.public_key()), &[]).unwrap();
    let before: Vec<_> = without.report.checked.iter().map(|c| c.code()).collect();
    assert_eq!(checked.len(), before.len() + 1, "{checked:?}");
    assert_eq!(seen(&on_disk), seen(&in_mem));
}

#[test]
fn a_log_that_does_not_record_the_draw_fails_in_memory_as_beside_the_folder() {
    let office = tempfile::tempdir().unwrap();
    let (key, folder) = drawn(office.path());
    // Another office's log: it records another draw D1, not this one's documents.
    let other = tempfile::tempdir().unwrap();
    let _ = drawn(other.path());
    let log = other.path().join(LOG_FILE);
    let (on_disk, in_mem) = both_with_log(folder.root(), &log, &key);
    assert!(!in_mem.passed());
    assert!(
        in_mem
            .report
            .findings
            .iter()
            .any(|f| f.fields().iter().any(|(_, v)| v == LOG_FILE)),
        "{:?}",
        in_mem.report.findings
    );
    assert_eq!(seen(&on_disk), seen(&in_mem));
}

#[test]
fn the_other_draws_of_the_log_are_read_from_their_folders_among_the_files() {
    let office = tempfile::tempdir().unwrap();
    let key = SecretKey::generate().unwrap();
    let d1 = drawn_as(office.path(), &key, "D1", "T1");
    let d2 = drawn_as(office.path(), &key, "D2", "T2");
    let log = office.path().join(LOG_FILE);
    // In a folder, D1 sits beside D2; among the files, only when its documents are given.
    let (on_disk, in_mem) = both_with_log(d2.root(), &log, &key);
    let mut files = in_memory(d2.root());
    files.insert(LOG_FILE.into(), std::fs::read(&log).unwrap());
    assert!(
        !in_mem.passed(),
        "D1's documents are not among the files: unpublished"
    );
    for f in ["announcement.json", "sheet.json"] {
        files.insert(format!("D1/{f}"), std::fs::read(d1.path(f)).unwrap());
    }
    let with_d1 = verify_files(&files, Some(&key.public_key()), &[]).unwrap();
    assert!(with_d1.passed(), "{:?}", with_d1.report.findings);
    assert!(on_disk.passed(), "{:?}", on_disk.report.findings);
    assert_eq!(seen(&on_disk), seen(&with_d1));
    // D1's sheet among the files is not the one the log records: named, as in a folder.
    files.insert(
        "D1/sheet.json".into(),
        std::fs::read(d2.path("sheet.json")).unwrap(),
    );
    let v = verify_files(&files, Some(&key.public_key()), &[]).unwrap();
    let unpublished: Vec<_> = v
        .report
        .findings
        .iter()
        .filter(|f| f.code() == "log.unpublished")
        .map(|f| f.fields())
        .collect();
    assert_eq!(unpublished.len(), 1, "{:?}", v.report.findings);
    assert!(unpublished[0].iter().any(|(_, v)| v == "D1/sheet.json"));
}

#[test]
fn one_stratum_replayed_from_its_member_list_is_found_on_the_sheet() {
    use double_random::ceremony::verify::{Finding, check_stratum};
    let d = double_random::internals::example_draw().unwrap();
    let inputs = load_inputs(&d.office.path().join("r"), None).unwrap();
    let population = double_random::draw::population(&inputs.as_draw_inputs()).unwrap();
    let sheet = &d.drawn.sheet;
    assert!(!sheet.strata.is_empty());
    let members = |label: &str| -> Vec<String> {
        population
            .iter()
            .find(|(s, _)| s.label() == label)
            .map(|(_, m)| m.clone())
            .unwrap()
    };
    for s in &sheet.strata {
        let m = members(&s.stratum);
        let r = check_stratum(sheet, &[], &s.stratum, &m).unwrap();
        assert_eq!(r.picks.len() as u64, s.k);
        assert_eq!(r.n, m.len() as u64);
        assert!(r.not_on_sheet.is_empty(), "{:?}", r.not_on_sheet);
        // A member left out: the count is not the sheet's n.
        let err = check_stratum(sheet, &[], &s.stratum, &m[1..]).unwrap_err();
        assert!(
            matches!(err, Finding::Stratum { field: "n", .. }),
            "{err:?}"
        );
        // A member swapped for another id: the members digest is not the sheet's.
        let mut swapped = m.clone();
        swapped[0] = "91110000000000000X".into();
        let err = check_stratum(sheet, &[], &s.stratum, &swapped).unwrap_err();
        assert!(
            matches!(
                err,
                Finding::Stratum {
                    field: "members_digest",
                    ..
                }
            ),
            "{err:?}"
        );
    }
    // A sheet without one of the picks: the replay names it.
    let first = &sheet.strata[0];
    let m = members(&first.stratum);
    let pick = check_stratum(sheet, &[], &first.stratum, &m).unwrap().picks[0].clone();
    let mut edited = sheet.clone();
    edited.entities.retain(|e| e.id != pick);
    let r = check_stratum(&edited, &[], &first.stratum, &m).unwrap();
    assert_eq!(r.not_on_sheet, vec![pick]);
    // A stratum the sheet does not have.
    let err = check_stratum(sheet, &[], "no-such-stratum", &m).unwrap_err();
    assert_eq!(err.code(), "stratum.unknown");
}
