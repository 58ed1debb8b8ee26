//! `bundle::verify_files` (a draw's published files given in memory, as a browser has them) and
//! `bundle::verify_dir_with` (the same files in a folder) are one verification: the same
//! checks, findings and trust summary, on a sound draw and on tampered ones.

use double_random::bundle::*;
use double_random::ceremony::commit::Secret;
use double_random::formats::files::MemoryFiles;
use double_random::sign::SecretKey;
use std::path::Path;

/// A drawn ceremony in `office`: the key and the draw folder.
fn drawn(office: &Path) -> (SecretKey, DrawDir) {
    example_input_files(&office.join("r")).unwrap();
    let private = PrivateDir::new(office.join("private"));
    let log = office.join(LOG_FILE);
    let key = SecretKey::generate().unwrap();
    let folder = DrawDir::new(office.join("D1"));
    let inputs = load_inputs(&office.join("r"), None).unwrap();
    let t = |s: &str| s.parse().unwrap();
    announce(
        &folder,
        &private,
        &log,
        &AnnounceRequest {
            draw_id: "D1",
            inputs: &inputs,
            key: &key,
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
            key: &key,
            reveals: &[],
            beacon: None,
            drawn_at: t("2026-03-01T01:00:00Z"),
        },
        &mut NoProgress,
    )
    .unwrap();
    // The public part: the rosters withheld, the plan kept.
    for f in ["entities.csv", "inspectors.csv", "items.csv"] {
        let _ = std::fs::remove_file(folder.path(f));
    }
    (key, folder)
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
