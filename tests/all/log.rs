//! The office log: appends chain, and rewritten, dropped, forked or pending entries are found;
//! the steps on disk keep one live draw per task, write a checkpoint after each step, and a
//! reset or forked log is caught by the statements people kept.

use double_random::Digest32;
use double_random::bundle::{
    self, AnnounceRequest, BundleError, DrawDir, DrawRequest, Inputs, NoProgress, PrivateDir,
};
use double_random::ceremony::announce::{Announcement, VERSION};
use double_random::ceremony::commit::{Secret, commitment};
use double_random::ceremony::log::{
    self, AppendError, Divergence, EntryKind, ForkProof, LogFinding, Record, Statement, Task,
};
use double_random::ceremony::void::{VoidCode, VoidReason};
use double_random::sign::{self, SecretKey, Signature};
use std::convert::Infallible;
use std::path::{Path, PathBuf};

fn t(s: &str) -> double_random::ceremony::Timestamp {
    s.parse().unwrap()
}

fn task(id: &str) -> Task {
    Task {
        plan_id: "P2026".into(),
        task_id: id.into(),
        batch: "1".into(),
    }
}

fn append(
    p: &Path,
    kind: EntryKind,
    draw_id: &str,
    document: Digest32,
    task: Task,
    time: &str,
) -> Result<log::Entry, AppendError<Infallible>> {
    double_random::bundle::append_with(p, |_| {
        Ok(Record {
            kind,
            draw_id: draw_id.into(),
            document,
            task,
            time: t(time),
        })
    })
}

fn sample_log(dir: &Path) -> PathBuf {
    let p = dir.join("office.log");
    let a = EntryKind::Announcement;
    append(
        &p,
        a,
        "D1",
        Digest32([1; 32]),
        task("T1"),
        "2026-03-01T01:00:00Z",
    )
    .unwrap();
    append(
        &p,
        EntryKind::Sheet,
        "D1",
        Digest32([2; 32]),
        task("T1"),
        "2026-03-01T02:00:00Z",
    )
    .unwrap();
    append(
        &p,
        a,
        "D2",
        Digest32([3; 32]),
        task("T2"),
        "2026-03-02T01:00:00Z",
    )
    .unwrap();
    append(
        &p,
        EntryKind::Void,
        "D2",
        Digest32([6; 32]),
        task("T2"),
        "2026-03-02T03:00:00Z",
    )
    .unwrap();
    append(
        &p,
        EntryKind::Amendment,
        "D1",
        Digest32([4; 32]),
        task("T1"),
        "2026-03-03T01:00:00Z",
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
    assert_eq!(double_random::bundle::read_log(&p).unwrap().head, r.head);
    assert!(r.head.is_some());
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
fn an_announcement_without_sheet_or_void_is_found_when_strict() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample_log(dir.path());
    append(
        &p,
        EntryKind::Announcement,
        "D3",
        Digest32([5; 32]),
        task("T3"),
        "2026-03-04T01:00:00Z",
    )
    .unwrap();
    let r = log::check(&std::fs::read(&p).unwrap(), true);
    assert!(
        r.findings
            .iter()
            .any(|f| matches!(f, LogFinding::Pending { draw_id, line: 6 } if draw_id == "D3")),
        "{:?}",
        r.findings
    );
    assert!(log::check(&std::fs::read(&p).unwrap(), false).is_ok());
}

#[test]
fn appends_that_break_the_rules_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample_log(dir.path());
    let before = std::fs::read(&p).unwrap();
    // A second sheet for D1: a quiet re-run.
    assert!(matches!(
        append(
            &p,
            EntryKind::Sheet,
            "D1",
            Digest32([9; 32]),
            task("T1"),
            "2026-03-05T01:00:00Z"
        ),
        Err(AppendError::Refused(LogFinding::OutOfOrder { .. }))
    ));
    // A sheet for a draw never announced.
    assert!(matches!(
        append(
            &p,
            EntryKind::Sheet,
            "D9",
            Digest32([9; 32]),
            task("T9"),
            "2026-03-05T01:00:00Z"
        ),
        Err(AppendError::Refused(LogFinding::OutOfOrder { .. }))
    ));
    // A second live draw of task T1 (drawn as D1).
    assert!(matches!(
        append(
            &p,
            EntryKind::Announcement,
            "D5",
            Digest32([9; 32]),
            task("T1"),
            "2026-03-05T01:00:00Z"
        ),
        Err(AppendError::Refused(LogFinding::TaskBusy { .. }))
    ));
    assert_eq!(std::fs::read(&p).unwrap(), before);
    // A damaged log accepts no appends.
    let mut ls = lines(&p);
    ls.remove(1);
    std::fs::write(&p, join(&ls)).unwrap();
    assert!(matches!(
        append(
            &p,
            EntryKind::Announcement,
            "D4",
            Digest32([9; 32]),
            task("T4"),
            "2026-03-05T01:00:00Z"
        ),
        Err(AppendError::Damaged(_))
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
                    append(
                        p,
                        EntryKind::Announcement,
                        &format!("D{w}-{i}"),
                        Digest32([w as u8; 32]),
                        task(&format!("T{w}-{i}")),
                        "2026-03-01T01:00:00Z",
                    )
                    .unwrap();
                }
            });
        }
    });
    let r = log::check(&std::fs::read(&p).unwrap(), false);
    assert!(r.is_ok(), "{:?}", r.findings);
    assert_eq!(r.entries.len(), 40);
}

/// An office folder with example inputs, a key and a log.
struct Office {
    dir: tempfile::TempDir,
    inputs: Inputs,
    key: SecretKey,
    private: PrivateDir,
}

impl Office {
    fn new(key: SecretKey) -> Office {
        let dir = tempfile::tempdir().unwrap();
        let rosters = dir.path().join("rosters");
        bundle::example_input_files(&rosters).unwrap();
        let inputs = bundle::load_inputs(&rosters, None).unwrap();
        let private = PrivateDir::new(dir.path().join("private"));
        Office {
            dir,
            inputs,
            key,
            private,
        }
    }

    fn log(&self) -> PathBuf {
        self.dir.path().join(bundle::LOG_FILE)
    }

    fn folder(&self, draw_id: &str) -> DrawDir {
        DrawDir::new(self.dir.path().join(draw_id))
    }

    /// Announces `draw_id` with one witness, whose secret is returned.
    fn announce(&self, draw_id: &str, at: &str) -> Result<(Announcement, Secret), BundleError> {
        self.announce_in(&self.private, draw_id, at)
    }

    fn announce_in(
        &self,
        private: &PrivateDir,
        draw_id: &str,
        at: &str,
    ) -> Result<(Announcement, Secret), BundleError> {
        let witness = Secret::generate().unwrap();
        let ann = bundle::announce(
            &self.folder(draw_id),
            private,
            &self.log(),
            &AnnounceRequest {
                draw_id,
                inputs: &self.inputs,
                key: &self.key,
                organizer: "organizer",
                organizer_secret: &Secret::generate().unwrap(),
                witnesses: &[("witness".into(), commitment(draw_id, "witness", &witness))],
                beacon: None,
                announced_at: t(at),
                scheduled_at: t(at),
                drill: false,
            },
        )?;
        Ok((ann, witness))
    }

    fn draw(&self, draw_id: &str, witness: Secret, at: &str) -> Result<(), BundleError> {
        bundle::draw(
            &self.folder(draw_id),
            &self.private,
            &self.log(),
            &DrawRequest {
                key: &self.key,
                reveals: &[("witness".into(), witness)],
                beacon: None,
                drawn_at: t(at),
            },
            &mut NoProgress,
        )
        .map(|_| ())
    }

    fn void(&self, draw_id: &str, at: &str) -> Result<(), BundleError> {
        bundle::void(
            &self.folder(draw_id),
            &self.log(),
            &self.key,
            VoidReason {
                code: VoidCode::SecretNotRevealed,
                text: "监督人未到场".into(),
            },
            t(at),
        )
        .map(|_| ())
    }

    fn checkpoint(&self, size: u64) -> (String, String) {
        let dir = self.dir.path().join(bundle::CHECKPOINT_DIR);
        let name = format!("checkpoint-{size}.json");
        (
            std::fs::read_to_string(dir.join(&name)).unwrap(),
            std::fs::read_to_string(dir.join(format!("{name}.minisig"))).unwrap(),
        )
    }
}

fn key() -> SecretKey {
    SecretKey::generate().unwrap()
}

#[test]
fn a_second_announcement_of_a_pending_task_is_refused() {
    let o = Office::new(key());
    o.announce("D1", "2026-03-01T01:00:00Z").unwrap();
    let before = std::fs::read(o.log()).unwrap();
    let e = o.announce("D2", "2026-03-01T01:30:00Z").unwrap_err();
    assert!(
        matches!(
            &e,
            BundleError::Log {
                source: AppendError::Refused(LogFinding::TaskBusy { draw_id, other, state, .. }),
                ..
            } if draw_id == "D2" && other == "D1" && *state == bundle::DrawState::Pending
        ),
        "{e:?}"
    );
    assert_eq!(std::fs::read(o.log()).unwrap(), before);
    assert!(!o.folder("D2").has(bundle::ANNOUNCEMENT_FILE));
}

#[test]
fn a_new_announcement_after_a_void_cites_the_void() {
    let o = Office::new(key());
    let (first, _) = o.announce("D1", "2026-03-01T01:00:00Z").unwrap();
    assert_eq!(first.supersedes, None);
    o.void("D1", "2026-03-01T03:00:00Z").unwrap();
    let void_bytes = std::fs::read(o.folder("D1").path(bundle::VOID_FILE)).unwrap();
    let (second, _) = o.announce("D2", "2026-03-02T01:00:00Z").unwrap();
    assert_eq!(second.supersedes, Some(Digest32::of(&void_bytes)));
    assert_eq!(
        bundle::draw_state(&o.log(), "D1").unwrap(),
        bundle::DrawState::Void
    );
    // The published announcement carries it too.
    let published = Announcement::parse(
        &std::fs::read(o.folder("D2").path(bundle::ANNOUNCEMENT_FILE)).unwrap(),
    )
    .unwrap();
    assert_eq!(published.supersedes, Some(Digest32::of(&void_bytes)));
}

#[test]
fn a_drawn_draw_cannot_be_voided() {
    let o = Office::new(key());
    let (_, w) = o.announce("D1", "2026-03-01T01:00:00Z").unwrap();
    o.draw("D1", w, "2026-03-01T02:00:00Z").unwrap();
    let before = std::fs::read(o.log()).unwrap();
    let e = o.void("D1", "2026-03-01T03:00:00Z").unwrap_err();
    assert!(matches!(e, BundleError::AlreadyDrawn { .. }), "{e:?}");
    assert_eq!(std::fs::read(o.log()).unwrap(), before);
    assert!(!o.folder("D1").has(bundle::VOID_FILE));
}

#[test]
fn each_step_writes_a_signed_checkpoint_of_the_log() {
    let o = Office::new(key());
    let pk = o.key.public_key();
    let cp_dir = o.dir.path().join(bundle::CHECKPOINT_DIR);
    let mut reports = vec![];
    let step = |reports: &mut Vec<log::LogReport>| {
        let r = double_random::bundle::read_log(&o.log()).unwrap();
        // Exactly one checkpoint (and its signature) per line of the log so far.
        assert_eq!(
            std::fs::read_dir(&cp_dir).unwrap().count(),
            2 * r.entries.len()
        );
        reports.push(r);
    };
    // Announce, void, announce again, draw: four steps, four checkpoints.
    o.announce("D1", "2026-03-01T01:00:00Z").unwrap();
    step(&mut reports);
    o.void("D1", "2026-03-01T01:30:00Z").unwrap();
    step(&mut reports);
    let (_, w) = o.announce("D2", "2026-03-01T02:00:00Z").unwrap();
    step(&mut reports);
    o.draw("D2", w, "2026-03-01T02:00:00Z").unwrap();
    step(&mut reports);
    for (size, report) in (1u64..).zip(reports) {
        let (doc, sig) = o.checkpoint(size);
        let signed = sign::verify(&pk, doc.as_bytes(), &Signature::parse(&sig).unwrap()).unwrap();
        assert_eq!(signed.key_id(), o.key.key_id());
        let cp = log::Checkpoint::parse(doc.as_bytes()).unwrap();
        assert_eq!(cp.size, size);
        assert_eq!(cp.head, report.head);
        assert_eq!(cp.key_id, o.key.key_id().to_string());
        assert!(log::extends(&report, &log::checkpoint_claims(&cp)).is_ok());
        // Under another key the signature fails.
        assert!(
            sign::verify(
                &key().public_key(),
                doc.as_bytes(),
                &Signature::parse(&sig).unwrap()
            )
            .is_err()
        );
    }
}

#[test]
fn a_reset_log_contradicts_the_first_announcement() {
    let o = Office::new(key());
    let (first, _) = o.announce("D1", "2026-03-01T01:00:00Z").unwrap();
    let bytes = std::fs::read(o.folder("D1").path(bundle::ANNOUNCEMENT_FILE)).unwrap();
    let claims = log::document_claims(
        EntryKind::Announcement,
        "D1",
        Digest32::of(&bytes),
        first.log,
    );
    assert_eq!(
        log::extends(&double_random::bundle::read_log(&o.log()).unwrap(), &claims),
        Ok(())
    );
    // The office deletes its log (and the draw's folder) and announces D1 again.
    std::fs::remove_file(o.log()).unwrap();
    std::fs::remove_dir_all(o.folder("D1").root()).unwrap();
    let other_private = PrivateDir::new(o.dir.path().join("private-2"));
    let (again, _) = o
        .announce_in(&other_private, "D1", "2026-03-01T01:05:00Z")
        .unwrap();
    assert_eq!(again.log, first.log);
    let reset = double_random::bundle::read_log(&o.log()).unwrap();
    assert!(reset.is_ok());
    assert_eq!(
        log::extends(&reset, &claims),
        Err(Divergence::Differs { line: 1 })
    );
}

#[test]
fn two_checkpoints_of_one_size_with_different_heads_prove_a_fork() {
    // One key, two histories of the same length.
    let a = Office::new(key());
    a.private.write_key(&a.key).unwrap();
    let b = Office::new(a.private.read_key().unwrap());
    let pk = a.key.public_key();
    assert_eq!(pk, b.key.public_key());
    a.announce("D1", "2026-03-01T01:00:00Z").unwrap();
    b.announce("D1", "2026-03-01T01:05:00Z").unwrap();
    let (doc_a, sig_a) = a.checkpoint(1);
    let (doc_b, sig_b) = b.checkpoint(1);
    let cp_a = log::Checkpoint::parse(doc_a.as_bytes()).unwrap();
    let cp_b = log::Checkpoint::parse(doc_b.as_bytes()).unwrap();
    assert_eq!(cp_a.size, cp_b.size);
    assert_ne!(cp_a.head, cp_b.head);
    let proof = ForkProof {
        format: log::FORK_PROOF_FORMAT.into(),
        version: VERSION.into(),
        first_line: 1,
        lines: vec![],
        statements: vec![
            Statement {
                file: "checkpoint-1.json".into(),
                document: doc_a,
                signature: sig_a,
            },
            Statement {
                file: "checkpoint-1.json".into(),
                document: doc_b,
                signature: sig_b,
            },
        ],
    };
    let fork = log::verify_fork_proof(&pk, &proof).unwrap();
    assert_eq!(fork.line, 1);
    assert!(matches!(
        log::verify_fork_proof(&key().public_key(), &proof),
        Err(log::ForkProofError::Signature { index: 1, .. })
    ));
    // One checkpoint twice is no fork.
    let mut same = proof.clone();
    same.statements[1] = same.statements[0].clone();
    assert_eq!(
        log::verify_fork_proof(&pk, &same),
        Err(log::ForkProofError::NoContradiction)
    );
}
