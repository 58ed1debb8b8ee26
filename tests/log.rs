//! The office log: appends chain, and rewritten, dropped, forked or unresolved entries
//! are found.

use double_random::ceremony::log::{self, EntryKind, LogFinding};
use double_random::digest::Digest32;

fn t(s: &str) -> double_random::ceremony::Timestamp {
    s.parse().unwrap()
}

fn sample_log(dir: &std::path::Path) -> std::path::PathBuf {
    let p = dir.join("office.log");
    log::append(
        &p,
        EntryKind::Announcement,
        "D1",
        Digest32([1; 32]),
        t("2026-03-01T01:00:00Z"),
        "",
    )
    .unwrap();
    log::append(
        &p,
        EntryKind::Sheet,
        "D1",
        Digest32([2; 32]),
        t("2026-03-01T02:00:00Z"),
        "",
    )
    .unwrap();
    log::append(
        &p,
        EntryKind::Announcement,
        "D2",
        Digest32([3; 32]),
        t("2026-03-02T01:00:00Z"),
        "",
    )
    .unwrap();
    log::append(
        &p,
        EntryKind::Void,
        "D2",
        Digest32([3; 32]),
        t("2026-03-02T03:00:00Z"),
        "停电，作废",
    )
    .unwrap();
    log::append(
        &p,
        EntryKind::Amendment,
        "D1",
        Digest32([4; 32]),
        t("2026-03-03T01:00:00Z"),
        "",
    )
    .unwrap();
    p
}

fn lines(p: &std::path::Path) -> Vec<Vec<u8>> {
    std::fs::read(p)
        .unwrap()
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(<[u8]>::to_vec)
        .collect()
}

fn join(lines: &[Vec<u8>]) -> Vec<u8> {
    let mut out = vec![];
    for l in lines {
        out.extend_from_slice(l);
        out.push(b'\n');
    }
    out
}

#[test]
fn a_sound_log_checks() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample_log(dir.path());
    let r = log::check(&std::fs::read(&p).unwrap(), false);
    assert!(r.is_ok(), "{:?}", r.findings);
    assert_eq!(r.entries.len(), 5);
    assert_eq!(log::head(&p).unwrap(), r.head);
}

#[test]
fn a_rewritten_entry_breaks_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    let mut ls = lines(&sample_log(dir.path()));
    let s = String::from_utf8(ls[1].clone())
        .unwrap()
        .replace("0202", "0303");
    ls[1] = s.into_bytes();
    let r = log::check(&join(&ls), false);
    assert!(
        r.findings.contains(&LogFinding::BrokenChain { line: 3 }),
        "{:?}",
        r.findings
    );
}

#[test]
fn a_dropped_entry_leaves_a_gap() {
    let dir = tempfile::tempdir().unwrap();
    let mut ls = lines(&sample_log(dir.path()));
    ls.remove(2);
    let r = log::check(&join(&ls), false);
    assert!(
        r.findings.iter().any(|f| matches!(
            f,
            LogFinding::Gap {
                line: 3,
                expected: 3,
                found: 4
            }
        )),
        "{:?}",
        r.findings
    );
}

#[test]
fn a_fork_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let mut ls = lines(&sample_log(dir.path()));
    let dup = ls[4].clone();
    ls.push(dup);
    let r = log::check(&join(&ls), false);
    assert!(
        r.findings
            .iter()
            .any(|f| matches!(f, LogFinding::Fork { seq: 5, .. })),
        "{:?}",
        r.findings
    );
}

#[test]
fn an_announcement_without_sheet_or_void_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample_log(dir.path());
    log::append(
        &p,
        EntryKind::Announcement,
        "D3",
        Digest32([5; 32]),
        t("2026-03-04T01:00:00Z"),
        "",
    )
    .unwrap();
    let r = log::check(&std::fs::read(&p).unwrap(), false);
    assert!(
        r.findings
            .iter()
            .any(|f| matches!(f, LogFinding::Unresolved { draw_id, .. } if draw_id == "D3"))
    );
    assert!(log::check(&std::fs::read(&p).unwrap(), true).is_ok());
}

#[test]
fn appends_that_break_the_rules_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample_log(dir.path());
    let before = std::fs::read(&p).unwrap();
    // A second sheet for D1: a quiet re-run.
    assert!(
        log::append(
            &p,
            EntryKind::Sheet,
            "D1",
            Digest32([9; 32]),
            t("2026-03-05T01:00:00Z"),
            ""
        )
        .is_err()
    );
    // A sheet for a draw never announced.
    assert!(
        log::append(
            &p,
            EntryKind::Sheet,
            "D9",
            Digest32([9; 32]),
            t("2026-03-05T01:00:00Z"),
            ""
        )
        .is_err()
    );
    assert_eq!(std::fs::read(&p).unwrap(), before);
    // A damaged log accepts no appends.
    let mut ls = lines(&p);
    ls.remove(1);
    std::fs::write(&p, join(&ls)).unwrap();
    assert!(matches!(
        log::append(
            &p,
            EntryKind::Announcement,
            "D4",
            Digest32([9; 32]),
            t("2026-03-05T01:00:00Z"),
            ""
        ),
        Err(log::AppendError::Damaged(_))
    ));
}

#[test]
fn concurrent_appends_all_land_in_one_chain() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("office.log");
    std::thread::scope(|s| {
        for w in 0..4 {
            let p = &p;
            s.spawn(move || {
                for i in 0..10 {
                    log::append(
                        p,
                        EntryKind::Announcement,
                        &format!("D{w}-{i}"),
                        Digest32([w as u8; 32]),
                        t("2026-03-01T01:00:00Z"),
                        "",
                    )
                    .unwrap();
                }
            });
        }
    });
    let r = log::check(&std::fs::read(&p).unwrap(), true);
    assert!(r.is_ok(), "{:?}", r.findings);
    assert_eq!(r.entries.len(), 40);
}
