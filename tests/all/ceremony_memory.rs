//! The ceremony run through its storage-agnostic steps on a store held in memory: a map of
//! documents and the log's bytes. No file is read or written by the steps; the same values give
//! the same bytes as the folder storage of `bundle`.

use double_random::Digest32;
use double_random::bundle::{self, DrawDir, DrawRequest, NoProgress, PrivateDir};
use double_random::ceremony::amend::{Action, Amendment, Reason, ReasonCode};
use double_random::ceremony::announce::{Announcement, InputDigests};
use double_random::ceremony::commit::{Secret, commitment};
use double_random::ceremony::log::{self, DrawState, LogFinding, LogReport};
use double_random::ceremony::steps::{
    self, AmendStep, AnnounceStep, DrawStep, Made, Records, SHEET_FILE, StepError, Stored,
    VoidStep, signature_file,
};
use double_random::ceremony::verify::{self, Published, Reuse};
use double_random::ceremony::void::{VoidCode, VoidReason};
use double_random::ceremony::{CeremonyError, Timestamp};
use double_random::draw::{DrawInputs, OwnedInputs, example_inputs};
use double_random::model::Plan;
use double_random::sign::{KeyId, SecretKey};
use std::collections::HashMap;

/// An office kept in memory: documents by (draw id, name), signatures among them, and the log.
#[derive(Default)]
struct Memory {
    docs: HashMap<(String, String), Vec<u8>>,
    log: Vec<u8>,
}

impl Records for Memory {
    fn document(&self, draw_id: &str, name: &str) -> Option<Vec<u8>> {
        self.docs
            .get(&(draw_id.to_string(), name.to_string()))
            .cloned()
    }
}

impl Memory {
    fn report(&self) -> LogReport {
        let r = log::check(&self.log, false);
        assert!(r.is_ok(), "{:?}", r.findings);
        r
    }

    /// Stores what a step made and appends its entry: the whole of a storage's work.
    fn publish<T>(&mut self, made: &Made<T>) {
        let id = made.entry.draw_id.clone();
        let doc = &made.document;
        assert!(!self.docs.contains_key(&(id.clone(), doc.name.clone())));
        self.docs
            .insert((id.clone(), doc.name.clone()), doc.bytes.clone());
        self.docs.insert(
            (id, signature_file(&doc.name)),
            doc.signature.clone().into_bytes(),
        );
        made.append_to(&mut self.log).unwrap();
    }

    fn bytes(&self, draw_id: &str, name: &str) -> &[u8] {
        &self.docs[&(draw_id.to_string(), name.to_string())]
    }

    fn stored(&self, draw_id: &str, name: &str) -> Stored<'_> {
        let sig = &self.docs[&(draw_id.to_string(), signature_file(name))];
        Stored {
            bytes: self.bytes(draw_id, name),
            signature: Some(std::str::from_utf8(sig).unwrap()),
        }
    }
}

fn key() -> SecretKey {
    SecretKey::from_seed(KeyId([7; 8]), &[9; 32])
}

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

const ANNOUNCED: &str = "2026-03-01T01:00:00Z";
const SCHEDULED: &str = "2026-03-01T02:00:00Z";

struct Party {
    organizer: Secret,
    witness: Secret,
}

fn party(seed: u8) -> Party {
    Party {
        organizer: Secret::from_bytes([seed; 32]),
        witness: Secret::from_bytes([seed.wrapping_add(100); 32]),
    }
}

fn announce_step<'a>(
    draw_id: &'a str,
    plan: &'a Plan,
    digests: InputDigests,
    key: &'a SecretKey,
    organizer_secret: &'a Secret,
    witnesses: &'a [(String, Digest32)],
) -> AnnounceStep<'a> {
    AnnounceStep {
        draw_id,
        plan,
        inputs: digests,
        key,
        organizer: "organizer",
        organizer_secret,
        witnesses,
        beacon: None,
        announced_at: t(ANNOUNCED),
        scheduled_at: t(SCHEDULED),
        drill: false,
    }
}

fn witnesses(draw_id: &str, p: &Party) -> Vec<(String, Digest32)> {
    vec![("witness".into(), commitment(draw_id, "witness", &p.witness))]
}

fn reveals(p: &Party) -> Vec<(String, Secret)> {
    vec![
        ("organizer".into(), p.organizer.clone()),
        ("witness".into(), p.witness.clone()),
    ]
}

/// Announces and draws `draw_id` in `m`; returns nothing, the store holds it all.
fn announce_and_draw(m: &mut Memory, owned: &OwnedInputs, draw_id: &str, p: &Party) {
    let inputs = owned.as_inputs();
    let key = key();
    let w = witnesses(draw_id, p);
    let digests = InputDigests::of(&inputs).unwrap();
    let step = announce_step(draw_id, &owned.plan, digests, &key, &p.organizer, &w);
    let ann = steps::announce(&m.report(), m, &step).unwrap();
    m.publish(&ann);
    let r = reveals(p);
    let sheet = steps::draw(
        &m.report(),
        m,
        &DrawStep {
            announcement: m.stored(draw_id, "announcement.json"),
            key: &key,
            reveals: &r,
            beacon: None,
            drawn_at: t(SCHEDULED),
        },
        &inputs,
    )
    .unwrap();
    m.publish(&sheet);
}

fn amend_first(m: &mut Memory, draw_id: &str, inputs: &DrawInputs<'_>, at: &str) {
    let key = key();
    let sheet = double_random::ceremony::sheet::Sheet::parse(m.bytes(draw_id, SHEET_FILE)).unwrap();
    let action = Action::ReplaceEntity {
        entity: sheet.entities[0].id.clone(),
    };
    let reason = Reason {
        code: ReasonCode::EntityClosed,
        text: "已注销".into(),
    };
    let a = steps::amend(
        &m.report(),
        &AmendStep {
            announcement: m.stored(draw_id, "announcement.json"),
            sheet: m.stored(draw_id, SHEET_FILE),
            previous: &[],
            key: &key,
            action: &action,
            reason: &reason,
            amended_at: t(at),
        },
        inputs,
        &InputDigests::of(inputs).unwrap(),
    )
    .unwrap();
    m.publish(&a);
}

#[test]
fn a_whole_ceremony_in_memory_verifies() {
    let owned = example_inputs();
    let inputs = owned.as_inputs();
    let mut m = Memory::default();
    announce_and_draw(&mut m, &owned, "D1", &party(1));
    amend_first(&mut m, "D1", &inputs, "2026-03-02T09:00:00Z");

    let log = log::check(&m.log, true);
    assert!(log.is_ok(), "{:?}", log.findings);
    assert_eq!(log.entries.len(), 3);
    assert_eq!(log.state("D1"), DrawState::Drawn);

    let public = key().public_key();
    let names = ["announcement.json", SHEET_FILE, "amendment-1.json"];
    let sigs: Vec<String> = names
        .iter()
        .map(|n| String::from_utf8(m.bytes("D1", &signature_file(n)).to_vec()).unwrap())
        .collect();
    let doc = |i: usize| verify::SignedDocument {
        name: names[i],
        bytes: m.bytes("D1", names[i]),
        signature: &sigs[i],
    };
    let published = Published {
        public_key: &public,
        announcement: doc(0),
        sheet: doc(1),
        amendments: vec![doc(2)],
    };
    let report = verify::verify(&published, Some(&owned.plan), Some(&inputs));
    assert!(report.passed(), "{:?}", report.findings);
    assert!(!report.checked.is_empty());

    // One byte changed in the stored amendment is caught by the same verifier.
    let mut bad = m.bytes("D1", "amendment-1.json").to_vec();
    let last = bad.len() - 2;
    bad[last] ^= 1;
    let tampered = Published {
        amendments: vec![verify::SignedDocument {
            name: "amendment-1.json",
            bytes: &bad,
            signature: &sigs[2],
        }],
        ..published
    };
    assert!(!verify::verify(&tampered, Some(&owned.plan), Some(&inputs)).passed());
}

#[test]
fn a_draw_before_its_time_is_refused_and_nothing_is_appended() {
    let owned = example_inputs();
    let inputs = owned.as_inputs();
    let (key, p) = (key(), party(2));
    let mut m = Memory::default();
    let w = witnesses("D1", &p);
    let digests = InputDigests::of(&inputs).unwrap();
    let ann = steps::announce(
        &m.report(),
        &m,
        &announce_step("D1", &owned.plan, digests, &key, &p.organizer, &w),
    )
    .unwrap();
    m.publish(&ann);
    let r = reveals(&p);
    let early = DrawStep {
        announcement: m.stored("D1", "announcement.json"),
        key: &key,
        reveals: &r,
        beacon: None,
        drawn_at: t("2026-03-01T01:59:59Z"),
    };
    let e = steps::draw(&m.report(), &m, &early, &inputs).unwrap_err();
    assert!(
        matches!(e, StepError::NotYetDue { scheduled_at, now }
            if scheduled_at == t(SCHEDULED) && now == t("2026-03-01T01:59:59Z")),
        "{e:?}"
    );
    assert_eq!(m.report().entries.len(), 1);

    // A witness that has not revealed stops the draw too.
    let only_org = vec![("organizer".to_string(), p.organizer.clone())];
    let e = steps::draw(
        &m.report(),
        &m,
        &DrawStep {
            reveals: &only_org,
            drawn_at: t(SCHEDULED),
            ..early
        },
        &inputs,
    )
    .unwrap_err();
    assert!(matches!(e, StepError::MissingReveal { ref party, .. } if party == "witness"));
}

#[test]
fn a_second_announcement_of_a_pending_task_is_refused() {
    let owned = example_inputs();
    let inputs = owned.as_inputs();
    let key = key();
    let (p1, p2) = (party(3), party(4));
    let mut m = Memory::default();
    let digests = InputDigests::of(&inputs).unwrap();
    let w1 = witnesses("D1", &p1);
    let ann = steps::announce(
        &m.report(),
        &m,
        &announce_step("D1", &owned.plan, digests, &key, &p1.organizer, &w1),
    )
    .unwrap();
    m.publish(&ann);

    let w2 = witnesses("D2", &p2);
    let e = steps::announce(
        &m.report(),
        &m,
        &announce_step("D2", &owned.plan, digests, &key, &p2.organizer, &w2),
    )
    .unwrap_err();
    assert!(
        matches!(&e, StepError::Log(LogFinding::TaskBusy { other, state, .. })
            if other == "D1" && *state == DrawState::Pending),
        "{e:?}"
    );
    // The same id again is refused too.
    let e = steps::announce(
        &m.report(),
        &m,
        &announce_step("D1", &owned.plan, digests, &key, &p2.organizer, &w2),
    )
    .unwrap_err();
    assert!(matches!(e, StepError::Log(_)), "{e:?}");
    assert_eq!(m.report().entries.len(), 1);
}

#[test]
fn a_reused_commitment_is_refused_and_the_void_is_cited() {
    let owned = example_inputs();
    let inputs = owned.as_inputs();
    let key = key();
    let p1 = party(5);
    let mut m = Memory::default();
    let digests = InputDigests::of(&inputs).unwrap();
    let w1 = witnesses("D1", &p1);
    let ann = steps::announce(
        &m.report(),
        &m,
        &announce_step("D1", &owned.plan, digests, &key, &p1.organizer, &w1),
    )
    .unwrap();
    m.publish(&ann);
    let reason = VoidReason {
        code: VoidCode::SecretNotRevealed,
        text: "监督人未到场".into(),
    };
    let v = steps::void(
        &m.report(),
        &m,
        &VoidStep {
            announcement: m.stored("D1", "announcement.json"),
            key: &key,
            reason: &reason,
            time: t("2026-03-01T03:00:00Z"),
        },
    )
    .unwrap();
    m.publish(&v);

    // The task is free again, but the witness brings the commitment D1 already carries.
    let other = Secret::from_bytes([55; 32]);
    let e = steps::announce(
        &m.report(),
        &m,
        &announce_step("D2", &owned.plan, digests, &key, &other, &w1),
    )
    .unwrap_err();
    assert!(
        matches!(&e, StepError::Document { name: Some(n), source: CeremonyError::Reused { what: Reuse::Commitment, party, other } }
            if n == "announcement.json" && party == "witness" && other == "D1"),
        "{e:?}"
    );

    // A fresh commitment goes, and the announcement cites the void.
    let w2 = witnesses("D2", &party(6));
    let ann2 = steps::announce(
        &m.report(),
        &m,
        &announce_step("D2", &owned.plan, digests, &key, &other, &w2),
    )
    .unwrap();
    assert_eq!(
        ann2.value.supersedes,
        Some(Digest32::of(m.bytes("D1", "void.json")))
    );
}

#[test]
fn a_drawn_draw_cannot_be_voided() {
    let owned = example_inputs();
    let key = key();
    let mut m = Memory::default();
    announce_and_draw(&mut m, &owned, "D1", &party(7));
    let reason = VoidReason {
        code: VoidCode::Other,
        text: "".into(),
    };
    let e = steps::void(
        &m.report(),
        &m,
        &VoidStep {
            announcement: m.stored("D1", "announcement.json"),
            key: &key,
            reason: &reason,
            time: t("2026-03-01T03:00:00Z"),
        },
    )
    .unwrap_err();
    assert!(
        matches!(&e, StepError::AlreadyDrawn { name } if name == SHEET_FILE),
        "{e:?}"
    );
    // Nor drawn twice.
    let r = reveals(&party(7));
    let e = steps::draw(
        &m.report(),
        &m,
        &DrawStep {
            announcement: m.stored("D1", "announcement.json"),
            key: &key,
            reveals: &r,
            beacon: None,
            drawn_at: t(SCHEDULED),
        },
        &owned.as_inputs(),
    )
    .unwrap_err();
    assert!(matches!(e, StepError::Exists { .. }), "{e:?}");
    assert_eq!(m.report().entries.len(), 2);
}

#[test]
fn a_secret_revealed_in_an_earlier_sheet_is_refused() {
    let owned = example_inputs();
    let inputs = owned.as_inputs();
    let key = key();
    let mut m = Memory::default();
    let p1 = party(8);
    announce_and_draw(&mut m, &owned, "D1", &p1);
    let digests = InputDigests::of(&inputs).unwrap();
    // Another task's draw, whose witness commits to the secret it revealed in D1.
    let mut plan2 = owned.plan.clone();
    plan2.task_id = format!("{}-2", plan2.task_id);
    let w = witnesses("D2", &p1);
    let fresh = Secret::from_bytes([88; 32]);
    let owned2 = OwnedInputs {
        plan: plan2.clone(),
        ..example_inputs()
    };
    let digests2 = InputDigests::of(&owned2.as_inputs()).unwrap();
    assert_ne!(digests, digests2);
    let ann = steps::announce(
        &m.report(),
        &m,
        &AnnounceStep {
            announced_at: t("2026-03-01T03:00:00Z"),
            scheduled_at: t("2026-03-01T04:00:00Z"),
            ..announce_step("D2", &plan2, digests2, &key, &fresh, &w)
        },
    )
    .unwrap();
    m.publish(&ann);
    let r = vec![
        ("organizer".to_string(), fresh.clone()),
        ("witness".to_string(), p1.witness.clone()),
    ];
    let e = steps::draw(
        &m.report(),
        &m,
        &DrawStep {
            announcement: m.stored("D2", "announcement.json"),
            key: &key,
            reveals: &r,
            beacon: None,
            drawn_at: t("2026-03-01T04:00:00Z"),
        },
        &owned2.as_inputs(),
    )
    .unwrap_err();
    assert!(
        matches!(&e, StepError::Document { source: CeremonyError::Reused { what: Reuse::Secret, other, .. }, .. } if other == "D1"),
        "{e:?}"
    );
}

#[test]
fn the_folder_and_the_memory_store_publish_the_same_bytes() {
    let office = tempfile::tempdir().unwrap();
    let rosters = office.path().join("rosters");
    bundle::example_input_files(&rosters).unwrap();
    let loaded = bundle::load_inputs(&rosters, None).unwrap();
    let private = PrivateDir::new(office.path().join("private"));
    let log_path = office.path().join(bundle::LOG_FILE);
    let folder = DrawDir::new(office.path().join("D1"));
    let key = key();
    let p = party(9);
    let w = witnesses("D1", &p);

    let on_disk = bundle::announce(
        &folder,
        &private,
        &log_path,
        &bundle::AnnounceRequest {
            draw_id: "D1",
            inputs: &loaded,
            key: &key,
            organizer: "organizer",
            organizer_secret: &p.organizer,
            witnesses: &w,
            beacon: None,
            announced_at: t(ANNOUNCED),
            scheduled_at: t(SCHEDULED),
            drill: false,
        },
    )
    .unwrap();
    // The organizer's secret comes from the private folder here.
    let witness_only = vec![("witness".to_string(), p.witness.clone())];
    let drawn = bundle::draw(
        &folder,
        &private,
        &log_path,
        &DrawRequest {
            key: &key,
            reveals: &witness_only,
            beacon: None,
            drawn_at: t(SCHEDULED),
        },
        &mut NoProgress,
    )
    .unwrap();
    let action = Action::ReplaceEntity {
        entity: drawn.sheet.entities[0].id.clone(),
    };
    let reason = Reason {
        code: ReasonCode::EntityClosed,
        text: "已注销".into(),
    };
    let (amended, _) = bundle::amend(
        &folder,
        &log_path,
        &key,
        action.clone(),
        reason.clone(),
        t("2026-03-02T09:00:00Z"),
        &mut NoProgress,
    )
    .unwrap();

    let inputs = loaded.as_draw_inputs();
    let mut m = Memory::default();
    let ann = steps::announce(
        &m.report(),
        &m,
        &announce_step("D1", &loaded.plan, loaded.digests, &key, &p.organizer, &w),
    )
    .unwrap();
    assert_eq!(ann.value, on_disk);
    m.publish(&ann);
    let r = reveals(&p);
    let sheet = steps::draw(
        &m.report(),
        &m,
        &DrawStep {
            announcement: m.stored("D1", "announcement.json"),
            key: &key,
            reveals: &r,
            beacon: None,
            drawn_at: t(SCHEDULED),
        },
        &inputs,
    )
    .unwrap();
    assert_eq!(sheet.value, drawn.sheet);
    m.publish(&sheet);
    let previous: [Amendment; 0] = [];
    let a = steps::amend(
        &m.report(),
        &AmendStep {
            announcement: m.stored("D1", "announcement.json"),
            sheet: m.stored("D1", SHEET_FILE),
            previous: &previous,
            key: &key,
            action: &action,
            reason: &reason,
            amended_at: t("2026-03-02T09:00:00Z"),
        },
        &inputs,
        &loaded.digests,
    )
    .unwrap();
    assert_eq!(a.value, amended);
    m.publish(&a);

    for name in ["announcement.json", SHEET_FILE, "amendment-1.json"] {
        for file in [name.to_string(), signature_file(name)] {
            let disk = std::fs::read(folder.path(&file)).unwrap();
            assert_eq!(disk, m.bytes("D1", &file), "{file} differs");
        }
    }
    assert_eq!(std::fs::read(&log_path).unwrap(), m.log, "the logs differ");
    assert!(Announcement::parse(m.bytes("D1", "announcement.json")).is_ok());
}

#[test]
fn the_steps_touch_no_file_clock_or_os_randomness() {
    let source = include_str!("../../src/ceremony/steps.rs");
    let code: String = source
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    for banned in [
        "std::fs",
        "std::path",
        "formats::files",
        "std::time",
        "Timestamp::now",
        "SystemTime",
        "getrandom",
        "::generate(",
        "std::env",
    ] {
        assert!(!code.contains(banned), "steps.rs uses {banned}");
    }
    assert!(
        code.contains("pub fn announce("),
        "the check reads the right file"
    );
}
