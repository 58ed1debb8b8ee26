//! The seven attacks a hostile office tried on algorithm v1, scripted as that office would run
//! them. On v1 each ended with `verify` printing PASS; on v2 each is refused, or found by
//! verification with a finding naming the document and field, and the bias it sought is gone.

use double_random::Digest32;
use double_random::bundle::{
    self, AnnounceRequest, BundleError, DrawDir, DrawRequest, Inputs, NoProgress, PrivateDir,
    VerifyOptions,
};
use double_random::ceremony::amend::{self, Action, Amendment, Reason, ReasonCode};
use double_random::ceremony::announce::Announcement;
use double_random::ceremony::beacon::{BeaconError, BeaconSpec, BeaconValue, DRAND_QUICKNET};
use double_random::ceremony::commit::{Reveal, Secret, commitment};
use double_random::ceremony::groups::{GroupSpec, read_typed};
use double_random::ceremony::log::{self, Divergence, EntryKind, ForkProof, LogFinding, Statement};
use double_random::ceremony::sheet::{self, Sheet};
use double_random::ceremony::timestamp::{self, DemoTsa};
use double_random::ceremony::verify::{Finding, Reuse, Sibling, TimeProof};
use double_random::ceremony::void::{VoidCode, VoidReason};
use double_random::ceremony::{CeremonyError, MARGIN_SECONDS, Timestamp};
use double_random::draw::teams::{self, Exclusions, Target};
use double_random::sign::{self, SecretKey, Signature};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// The rosters and plans of a small office (seven officers on duty, 22 entities).
fn office_in() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/office.in")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// An office folder: its log, its private folder, its key.
struct Office {
    dir: tempfile::TempDir,
    key: SecretKey,
    private: PrivateDir,
}

impl Office {
    fn new() -> Office {
        let dir = tempfile::tempdir().unwrap();
        let private = PrivateDir::new(dir.path().join("private"));
        Office {
            dir,
            key: SecretKey::generate().unwrap(),
            private,
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn log(&self) -> PathBuf {
        self.root().join(bundle::LOG_FILE)
    }

    fn folder(&self, draw_id: &str) -> DrawDir {
        DrawDir::new(self.root().join(draw_id))
    }

    /// The inputs of `tests/cli/office.in` with `plan.toml` (task T01, first batch) or
    /// `plan-2.toml` (second batch: another task).
    fn inputs(plan: &str) -> Inputs {
        bundle::load_inputs(&office_in(), Some(&office_in().join(plan))).unwrap()
    }

    #[allow(clippy::too_many_arguments)]
    fn announce(
        &self,
        draw_id: &str,
        inputs: &Inputs,
        witnesses: &[(String, Digest32)],
        beacon: Option<BeaconSpec>,
        announced_at: &str,
        scheduled_at: &str,
        drill: bool,
    ) -> Result<Announcement, BundleError> {
        bundle::announce(
            &self.folder(draw_id),
            &self.private,
            &self.log(),
            &AnnounceRequest {
                draw_id,
                inputs,
                key: &self.key,
                organizer: "organizer",
                organizer_secret: &Secret::generate().unwrap(),
                witnesses,
                beacon,
                announced_at: t(announced_at),
                scheduled_at: t(scheduled_at),
                drill,
            },
        )
    }

    /// Announces `draw_id` with one witness named `witness`; returns the witness's secret.
    fn announce_witnessed(&self, draw_id: &str, inputs: &Inputs, at: &str) -> Secret {
        let w = Secret::generate().unwrap();
        self.announce(
            draw_id,
            inputs,
            &[("witness".into(), commitment(draw_id, "witness", &w))],
            None,
            at,
            at,
            false,
        )
        .unwrap();
        w
    }

    fn draw(
        &self,
        draw_id: &str,
        reveals: &[(String, Secret)],
        beacon: Option<BeaconValue>,
        at: &str,
    ) -> Result<bundle::Drawn, BundleError> {
        bundle::draw(
            &self.folder(draw_id),
            &self.private,
            &self.log(),
            &DrawRequest {
                key: &self.key,
                reveals,
                beacon,
                drawn_at: t(at),
            },
            &mut NoProgress,
        )
    }

    fn void(
        &self,
        draw_id: &str,
        at: &str,
    ) -> Result<double_random::ceremony::void::Void, BundleError> {
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
    }

    fn verify(&self, draw_id: &str, with_log: bool, tsa: &[Vec<u8>]) -> bundle::DirVerification {
        let pk = self.key.public_key();
        let log = self.log();
        bundle::verify_dir_with(
            self.folder(draw_id).root(),
            &VerifyOptions {
                public_key: Some(&pk),
                log: with_log.then_some(log.as_path()),
                strict: false,
                tsa_certificates: tsa,
            },
            &mut NoProgress,
        )
        .unwrap()
    }

    fn read(&self, path: impl AsRef<Path>) -> Vec<u8> {
        std::fs::read(self.root().join(path)).unwrap()
    }

    /// Signs `bytes` as the office's `file` of `draw_id` and publishes both in the draw folder.
    fn publish_forged(&self, draw_id: &str, file: &str, bytes: &[u8]) {
        let sig = bundle::sign_document(&self.key, draw_id, file, bytes).unwrap();
        let dir = self.folder(draw_id);
        std::fs::write(dir.path(file), bytes).unwrap();
        std::fs::write(dir.path(&bundle::signature_file(file)), sig).unwrap();
    }

    /// Appends an entry for a document forged with the ceremony functions.
    fn append_forged(
        &self,
        kind: EntryKind,
        draw_id: &str,
        bytes: &[u8],
        plan: &Announcement,
        time: Timestamp,
    ) {
        double_random::bundle::append_with::<std::convert::Infallible, _>(&self.log(), |_| {
            Ok(log::Record {
                kind,
                draw_id: draw_id.into(),
                document: Digest32::of(bytes),
                task: log::Task::of(&plan.plan),
                time,
            })
        })
        .unwrap();
    }
}

fn ceremony_error(e: &BundleError) -> &CeremonyError {
    match e {
        BundleError::Document { source, .. } => source,
        other => panic!("expected a refusal by the ceremony, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// 1. Re-spelled lottery numbers
// ---------------------------------------------------------------------------------------------

/// 240 spellings of the 双色球 result 03 09 14 21 26 31 + 07: separators, leading zeros,
/// full-width digits, `、`, a trailing `。`, and the order of the red balls.
fn spellings() -> Vec<String> {
    let red = [3u64, 9, 14, 21, 26, 31];
    let orders: [[usize; 6]; 5] = [
        [0, 1, 2, 3, 4, 5],
        [5, 4, 3, 2, 1, 0],
        [2, 0, 5, 1, 4, 3],
        [1, 0, 3, 2, 5, 4],
        [3, 4, 5, 0, 1, 2],
    ];
    let seps = [" ", ",", "、", "，", " ; ", "　"];
    let blue_seps = [" + ", " | ", "；", "／", "-"];
    let mut out = vec![];
    for (oi, order) in orders.iter().enumerate() {
        for sep in seps {
            for zeros in [false, true] {
                for wide in [false, true] {
                    for stop in ["", "。"] {
                        let num = |n: u64| {
                            let s = if zeros {
                                format!("{n:02}")
                            } else {
                                n.to_string()
                            };
                            if wide {
                                s.chars()
                                    .map(|c| {
                                        char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap()
                                    })
                                    .collect()
                            } else {
                                s
                            }
                        };
                        let reds: Vec<String> = order.iter().map(|&i| num(red[i])).collect();
                        out.push(format!(
                            "{}{}{}{stop}",
                            reds.join(sep),
                            blue_seps[oi],
                            num(7)
                        ));
                    }
                }
            }
        }
    }
    out
}

/// The spellings that are not the result: each must be refused, none may enter a seed.
const NOT_A_RESULT: &[&str] = &[
    "03 09 14 21 26 31 + 07 红",      // a word
    "03 09 14 21 26 31 + 七",         // a Chinese numeral
    "03 09 14 21 26 31 + 07.",        // '.' is no separator
    "03 09 14 21 26 31 + ٠٧",         // another script's digits
    "03 09 14 21 26 31 + 07 08",      // one number too many
    "03 09 14 21 26 + 07",            // one too few
    "03 09 14 21 26 34 + 07",         // out of range
    "03 09 14 21 26 26 + 07",         // repeated in a distinct group
    "03 09 14 21 26 31 + 0000000007", // more than 9 digits
    "03 09 14 21 26 31 + 07\u{200d}", // an invisible joiner (not white space)
    "03 09 14 21 26 31 + 17",         // the blue ball out of its range
];

// v1: the office typed the lottery result again and again, "03 09 14 21 26 31 07",
// "3,9,14,21,26,31,7", "０３ ０９…", "…07。", each spelling giving another seed, and kept the
// spelling whose draw it liked; verify printed PASS because the typed text was the beacon.
#[test]
fn attack_1_respelled_lottery_numbers_all_give_one_seed() {
    let o = Office::new();
    let inputs = Office::inputs("plan.toml");
    let beacon = BeaconSpec::External {
        description: "福利彩票双色球 2026023 期开奖号码".into(),
        source: "https://www.cwl.gov.cn/".into(),
        published_at: t("2026-03-01T01:30:00Z"),
        groups: GroupSpec::shuangseqiu(),
    };
    let ann = o
        .announce(
            "L1",
            &inputs,
            &[],
            Some(beacon),
            "2026-03-01T01:00:00Z",
            "2026-03-01T01:30:00Z",
            false,
        )
        .unwrap();
    let digest = Digest32::of(&o.read("L1/announcement.json"));
    let organizer = o.private.read_secret("L1", "organizer").unwrap();
    let reveals = [Reveal {
        name: "organizer".into(),
        secret: Digest32(*organizer.as_bytes()),
    }];

    let all = spellings();
    assert_eq!(
        all.iter().collect::<BTreeSet<_>>().len(),
        240,
        "240 distinct spellings"
    );
    let mut values = BTreeSet::new();
    let mut seeds = BTreeSet::new();
    for s in &all {
        let groups = read_typed(&GroupSpec::shuangseqiu(), s)
            .unwrap_or_else(|e| panic!("{s:?} is a spelling of the result: {e}"));
        let value = BeaconValue::External { groups };
        seeds.insert(sheet::seed_for(&ann, &digest, &reveals, Some(&value)).unwrap());
        values.insert(double_random::ceremony::beacon::beacon_bytes(&value));
    }
    assert_eq!(values.len(), 1, "one canonical value");
    assert_eq!(values.first().unwrap(), b"[[3,9,14,21,26,31],[7]]");
    assert_eq!(seeds.len(), 1, "one seed");

    for s in NOT_A_RESULT {
        assert!(
            read_typed(&GroupSpec::shuangseqiu(), s).is_err(),
            "{s:?} must be refused"
        );
    }

    // The office draws in private copies of its folder, one spelling each: one sheet.
    let mut sheets = BTreeSet::new();
    for (i, s) in [&all[0], &all[77], &all[239]].into_iter().enumerate() {
        let copy = tempfile::tempdir().unwrap();
        copy_dir(o.root(), copy.path());
        let groups = read_typed(&GroupSpec::shuangseqiu(), s).unwrap();
        bundle::draw(
            &DrawDir::new(copy.path().join("L1")),
            &PrivateDir::new(copy.path().join("private")),
            &copy.path().join(bundle::LOG_FILE),
            &DrawRequest {
                key: &o.key,
                reveals: &[],
                beacon: Some(BeaconValue::External { groups }),
                drawn_at: t("2026-03-01T01:30:00Z"),
            },
            &mut NoProgress,
        )
        .unwrap_or_else(|e| panic!("copy {i}: {e}"));
        sheets.insert(std::fs::read(copy.path().join("L1/sheet.json")).unwrap());
    }
    assert_eq!(sheets.len(), 1, "every spelling gives the same sheet");

    // A sheet recording the value in another order, or another value, re-signed: found.
    o.draw(
        "L1",
        &[],
        Some(BeaconValue::External {
            groups: vec![vec![3, 9, 14, 21, 26, 31], vec![7]],
        }),
        "2026-03-01T01:30:00Z",
    )
    .unwrap();
    assert!(o.verify("L1", true, &[]).passed());
    let honest = Sheet::parse(&o.read("L1/sheet.json")).unwrap();
    for (groups, what) in [
        (vec![vec![9, 3, 14, 21, 26, 31], vec![7]], "not canonical"),
        (vec![vec![3, 9, 14, 21, 26, 31], vec![8]], "another value"),
    ] {
        let mut s = honest.clone();
        s.beacon = Some(BeaconValue::External { groups });
        o.publish_forged("L1", "sheet.json", &s.to_canonical().unwrap());
        let v = o.verify("L1", false, &[]);
        assert!(!v.passed(), "{what}");
        assert!(
            v.report
                .findings
                .iter()
                .any(|f| matches!(f, Finding::SeedInputs { .. } | Finding::Seed { .. })),
            "{what}: {:#?}",
            v.report.findings
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Backdated announcement naming a beacon already public
// ---------------------------------------------------------------------------------------------

fn lottery(published_at: &str) -> BeaconSpec {
    BeaconSpec::External {
        description: "福利彩票双色球 2026023 期开奖号码".into(),
        source: "https://www.cwl.gov.cn/".into(),
        published_at: t(published_at),
        groups: GroupSpec::shuangseqiu(),
    }
}

/// A timestamp token over the announcement of `draw_id` with `gen_time`, from `tsa`.
fn stamp(o: &Office, draw_id: &str, tsa: &DemoTsa, gen_time: &str) {
    let ann = o.read(format!("{draw_id}/announcement.json"));
    let req = timestamp::request(&Digest32::of(&ann), 7);
    let token = tsa.stamp(&req, t(gen_time), 1).unwrap();
    std::fs::write(o.folder(draw_id).path(bundle::TIMESTAMP_FILE), token).unwrap();
}

// v1: at 03:00, after the 02:00 lottery result was public, the office ran
// `announce --now 2026-03-01T01:00:00Z` naming that lottery, tried secrets with
// `--secret-file` until the draw suited it, and published; verify printed PASS.
#[test]
fn attack_2_a_backdated_announcement_is_refused_or_unproven() {
    let inputs = Office::inputs("plan.toml");
    let o = Office::new();

    // The beacon must follow the announcement by the margin: 299 s is refused, 300 s is not.
    let short = o
        .announce(
            "B0",
            &inputs,
            &[],
            Some(lottery("2026-03-01T01:04:59Z")),
            "2026-03-01T01:00:00Z",
            "2026-03-01T02:00:00Z",
            false,
        )
        .unwrap_err();
    assert!(
        matches!(
            ceremony_error(&short),
            CeremonyError::Beacon(BeaconError::PublishedTooEarly { margin_seconds, .. })
                if *margin_seconds == MARGIN_SECONDS
        ),
        "{short:?}"
    );
    // A beacon already public when announced: refused.
    let past = o
        .announce(
            "B0",
            &inputs,
            &[],
            Some(lottery("2026-02-28T13:15:00Z")),
            "2026-03-01T01:00:00Z",
            "2026-03-01T02:00:00Z",
            false,
        )
        .unwrap_err();
    assert!(matches!(
        ceremony_error(&past),
        CeremonyError::Beacon(BeaconError::PublishedTooEarly { .. })
    ));
    // The same for a drand round: the round published 4 minutes after the announcement.
    let announced = DRAND_QUICKNET.genesis_time + 100_000;
    let round = DRAND_QUICKNET.round_at(announced + 240).unwrap() + 1;
    assert!(
        DRAND_QUICKNET.spec(round).time().unwrap() < announced + MARGIN_SECONDS,
        "the round falls inside the margin"
    );
    let drand = o
        .announce(
            "B0",
            &inputs,
            &[],
            Some(DRAND_QUICKNET.spec(round)),
            &Timestamp::from_unix(announced).unwrap().to_string(),
            &Timestamp::from_unix(announced + 3600).unwrap().to_string(),
            false,
        )
        .unwrap_err();
    assert!(matches!(
        ceremony_error(&drand),
        CeremonyError::Beacon(BeaconError::RoundTooEarly { .. })
    ));
    assert!(!o.folder("B0").has(bundle::ANNOUNCEMENT_FILE));

    // The office acts at 03:00, after the 02:00 result is public, and claims 01:00.
    o.announce(
        "B1",
        &inputs,
        &[],
        Some(lottery("2026-03-01T02:00:00Z")),
        "2026-03-01T01:00:00Z",
        "2026-03-01T02:00:00Z",
        false,
    )
    .unwrap();
    o.draw(
        "B1",
        &[],
        Some(BeaconValue::External {
            groups: vec![vec![3, 9, 14, 21, 26, 31], vec![7]],
        }),
        "2026-03-01T03:00:00Z",
    )
    .unwrap();
    // Without a token the documents are consistent, and the summary says whose word it is.
    let v = o.verify("B1", true, &[]);
    assert!(v.passed(), "{:#?}", v.report.findings);
    let trust = v.trust.unwrap();
    assert_eq!(trust.time, TimeProof::OfficeClaim);
    assert!(trust.independent);

    // The only token the office can get now carries the real time: a finding.
    let tsa = DemoTsa::from_seed([9; 32]).unwrap();
    let cert = vec![tsa.certificate_der()];
    stamp(&o, "B1", &tsa, "2026-03-01T03:00:00Z");
    let v = o.verify("B1", true, &cert);
    assert!(!v.passed());
    assert!(
        v.report
            .findings
            .iter()
            .any(|f| matches!(f, Finding::Timestamp { .. })),
        "{:#?}",
        v.report.findings
    );
    assert!(matches!(v.trust.unwrap().time, TimeProof::Failed { .. }));
    // Even a token one second inside the margin proves nothing.
    stamp(&o, "B1", &tsa, "2026-03-01T01:55:01Z");
    let v = o.verify("B1", true, &cert);
    assert!(matches!(v.trust.unwrap().time, TimeProof::Failed { .. }));
    assert!(
        v.report
            .findings
            .iter()
            .any(|f| matches!(f, Finding::Timestamp { .. }))
    );
    // A token from before the margin is what an honest office gets: proven.
    stamp(&o, "B1", &tsa, "2026-03-01T01:55:00Z");
    let v = o.verify("B1", true, &cert);
    assert!(v.passed(), "{:#?}", v.report.findings);
    assert!(matches!(v.trust.unwrap().time, TimeProof::Proven { .. }));
}

// ---------------------------------------------------------------------------------------------
// 3. A witness's revealed secret reused
// ---------------------------------------------------------------------------------------------

// v1: the office took the witness secret revealed on draw R1's sheet, made a "witness
// commitment" from it for R2 and so knew every secret of R2 in advance; it tried secrets of
// its own until R2 suited it, and verify printed PASS.
#[test]
fn attack_3_a_revealed_witness_secret_cannot_serve_again() {
    let o = Office::new();
    let first = Office::inputs("plan.toml");
    let second = Office::inputs("plan-2.toml");
    let w = o.announce_witnessed("R1", &first, "2026-03-01T01:00:00Z");
    o.draw("R1", &[("witness".into(), w)], None, "2026-03-01T01:00:00Z")
        .unwrap();
    let r1 = Sheet::parse(&o.read("R1/sheet.json")).unwrap();
    let r1_ann = Announcement::parse(&o.read("R1/announcement.json")).unwrap();
    // The office reads the witness's secret off the published sheet.
    let revealed = Secret::from_bytes(r1.reveals[1].secret.0);
    assert_eq!(r1.reveals[1].name, "witness");

    // The same commitment verbatim: refused.
    let verbatim = r1_ann.parties[1].commitment;
    let e = o
        .announce(
            "R2",
            &second,
            &[("witness".into(), verbatim)],
            None,
            "2026-03-02T01:00:00Z",
            "2026-03-02T01:00:00Z",
            false,
        )
        .unwrap_err();
    assert!(
        matches!(ceremony_error(&e), CeremonyError::Reused { what: Reuse::Commitment, other, .. } if other == "R1"),
        "{e:?}"
    );
    // A commitment is bound to its draw: R1's does not open with the secret under R2.
    assert_ne!(commitment("R2", "witness", &revealed), verbatim);

    // A fresh-looking commitment made from the revealed secret is accepted (nobody can tell
    // yet), but the draw that would reveal it is refused.
    let log_before = o.read(bundle::LOG_FILE);
    let r2 = o
        .announce(
            "R2",
            &second,
            &[("witness".into(), commitment("R2", "witness", &revealed))],
            None,
            "2026-03-02T01:00:00Z",
            "2026-03-02T01:00:00Z",
            false,
        )
        .unwrap();
    let log_before_draw = o.read(bundle::LOG_FILE);
    assert_ne!(log_before, log_before_draw);
    let e = o
        .draw(
            "R2",
            &[("witness".into(), revealed.clone())],
            None,
            "2026-03-02T01:00:00Z",
        )
        .unwrap_err();
    assert!(
        matches!(ceremony_error(&e), CeremonyError::Reused { what: Reuse::Secret, party, other }
            if party == "witness" && other == "R1"),
        "{e:?}"
    );
    assert_eq!(o.read(bundle::LOG_FILE), log_before_draw);
    assert!(!o.folder("R2").has(bundle::SHEET_FILE));

    // The office forges R2's sheet with the ceremony functions, signs and logs it anyway.
    let report = double_random::bundle::read_log(&o.log()).unwrap();
    let organizer = o.private.read_secret("R2", "organizer").unwrap();
    let sheet = sheet::run(
        &r2,
        &[
            Reveal {
                name: "organizer".into(),
                secret: Digest32(*organizer.as_bytes()),
            },
            Reveal {
                name: "witness".into(),
                secret: Digest32(*revealed.as_bytes()),
            },
        ],
        None,
        &second.as_draw_inputs(),
        t("2026-03-02T01:00:00Z"),
        report.next_position(),
    )
    .unwrap();
    let bytes = sheet.to_canonical().unwrap();
    o.publish_forged("R2", "sheet.json", &bytes);
    o.append_forged(
        EntryKind::Sheet,
        "R2",
        &bytes,
        &r2,
        t("2026-03-02T01:00:00Z"),
    );
    // Without the log it looks fine; with it, the reuse is named.
    assert!(o.verify("R2", false, &[]).passed());
    let v = o.verify("R2", true, &[]);
    assert!(!v.passed());
    assert!(
        v.report.findings.iter().any(|f| matches!(f,
            Finding::Reused { document, party, what: Reuse::Secret, other }
                if document == "sheet.json" && party == "witness" && other == "R1")),
        "{:#?}",
        v.report.findings
    );
    // And under R2 the secret does not open R1's commitment (binding to the draw id).
    let mut carried = r2.clone();
    carried.parties[1].commitment = verbatim;
    assert!(matches!(
        sheet::run(
            &carried,
            &sheet.reveals,
            None,
            &second.as_draw_inputs(),
            t("2026-03-02T01:00:00Z"),
            report.next_position(),
        ),
        Err(CeremonyError::CommitmentMismatch { party }) if party == "witness"
    ));
}

// ---------------------------------------------------------------------------------------------
// 4. The log reset or truncated
// ---------------------------------------------------------------------------------------------

fn statement(o: &Office, path: &str) -> Statement {
    Statement {
        file: Path::new(path)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned(),
        document: String::from_utf8(o.read(path)).unwrap(),
        signature: String::from_utf8(o.read(format!("{path}.minisig"))).unwrap(),
    }
}

fn fork_proof(first_line: u64, lines: Vec<String>, a: Statement, b: Statement) -> ForkProof {
    ForkProof {
        format: log::FORK_PROOF_FORMAT.into(),
        version: "v2".into(),
        first_line,
        lines,
        statements: vec![a, b],
    }
}

// v1: the office did not like how its draw went, deleted `office.log` and the draw folder,
// announced the same draw id again and drew until it liked the result; the new log chained
// cleanly and verify printed PASS. Another time it cut the log short to drop a void.
#[test]
fn attack_4_a_reset_or_truncated_log_contradicts_what_people_kept() {
    let inputs = Office::inputs("plan.toml");
    let pk;
    // Reset.
    {
        let o = Office::new();
        pk = o.key.public_key();
        o.announce_witnessed("D1", &inputs, "2026-03-01T01:00:00Z");
        o.void("D1", "2026-03-01T01:30:00Z").unwrap();
        // An auditor keeps the first announcement and the latest checkpoint.
        let kept_ann = statement(&o, "D1/announcement.json");
        let kept_cp = statement(&o, "checkpoints/checkpoint-2.json");
        let ann_claims = log::statement_claims(kept_ann.document.as_bytes()).unwrap();
        let cp_claims = log::statement_claims(kept_cp.document.as_bytes()).unwrap();
        assert_eq!(
            log::extends(
                &double_random::bundle::read_log(&o.log()).unwrap(),
                &ann_claims
            ),
            Ok(())
        );
        assert_eq!(
            log::extends(
                &double_random::bundle::read_log(&o.log()).unwrap(),
                &cp_claims
            ),
            Ok(())
        );

        std::fs::remove_file(o.log()).unwrap();
        std::fs::remove_dir_all(o.folder("D1").root()).unwrap();
        std::fs::remove_dir_all(o.root().join(bundle::CHECKPOINT_DIR)).unwrap();
        std::fs::remove_dir_all(o.private.root()).unwrap();
        let w = o.announce_witnessed("D1", &inputs, "2026-03-01T02:00:00Z");
        let reset = double_random::bundle::read_log(&o.log()).unwrap();
        assert!(reset.is_ok(), "the new log is sound on its own");
        assert_eq!(
            log::extends(&reset, &ann_claims),
            Err(Divergence::Differs { line: 1 })
        );
        assert_eq!(
            log::extends(&reset, &cp_claims),
            Err(Divergence::Truncated { size: 1, line: 2 })
        );
        // Two announcements of D1 under one key: a fork proof on their own.
        let again = statement(&o, "D1/announcement.json");
        let fork =
            log::verify_fork_proof(&pk, &fork_proof(1, vec![], kept_ann.clone(), again)).unwrap();
        assert_eq!(fork.line, 1);
        // The office draws: now its own checkpoint 2 contradicts the one kept.
        o.draw("D1", &[("witness".into(), w)], None, "2026-03-01T02:00:00Z")
            .unwrap();
        let after = double_random::bundle::read_log(&o.log()).unwrap();
        assert_eq!(
            log::extends(&after, &cp_claims),
            Err(Divergence::Differs { line: 2 })
        );
        let new_cp = statement(&o, "checkpoints/checkpoint-2.json");
        let fork =
            log::verify_fork_proof(&pk, &fork_proof(1, vec![], kept_cp.clone(), new_cp)).unwrap();
        assert_eq!(fork.line, 2);
        // Under another key it proves nothing.
        assert!(
            log::verify_fork_proof(
                &SecretKey::generate().unwrap().public_key(),
                &fork_proof(1, vec![], kept_cp, kept_ann)
            )
            .is_err()
        );
    }
    // Truncation to drop a void.
    {
        let o = Office::new();
        let pk = o.key.public_key();
        let w = o.announce_witnessed("D1", &inputs, "2026-03-01T01:00:00Z");
        o.void("D1", "2026-03-01T01:30:00Z").unwrap();
        let kept_cp = statement(&o, "checkpoints/checkpoint-2.json");
        let claims = log::statement_claims(kept_cp.document.as_bytes()).unwrap();
        let text = String::from_utf8(o.read(bundle::LOG_FILE)).unwrap();
        let first_line = text.lines().next().unwrap().to_string();
        std::fs::write(o.log(), format!("{first_line}\n")).unwrap();
        std::fs::remove_file(o.folder("D1").path(bundle::VOID_FILE)).unwrap();
        std::fs::remove_file(o.folder("D1").path("void.json.minisig")).unwrap();
        std::fs::remove_file(o.root().join("checkpoints/checkpoint-2.json")).unwrap();
        std::fs::remove_file(o.root().join("checkpoints/checkpoint-2.json.minisig")).unwrap();
        let cut = double_random::bundle::read_log(&o.log()).unwrap();
        assert!(cut.is_ok(), "a truncated log is sound on its own");
        assert_eq!(
            log::extends(&cut, &claims),
            Err(Divergence::Truncated { size: 1, line: 2 })
        );
        // The office signs anything at line 2 (here, the draw of D1): a signed fork proof.
        o.draw("D1", &[("witness".into(), w)], None, "2026-03-01T02:00:00Z")
            .unwrap();
        let lines: Vec<String> = String::from_utf8(o.read(bundle::LOG_FILE))
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        assert_eq!(lines.len(), 2);
        let fork = log::verify_fork_proof(
            &pk,
            &fork_proof(1, lines, statement(&o, "D1/sheet.json"), kept_cp),
        )
        .unwrap();
        assert_eq!(fork.line, 2);
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Parallel previews
// ---------------------------------------------------------------------------------------------

// v1: the office announced the same plan task three times, drew all three, published the one
// it liked and left the others in a drawer; each verified PASS on its own.
#[test]
fn attack_5_parallel_previews_are_refused_and_voids_are_public() {
    let inputs = Office::inputs("plan.toml");
    let o = Office::new();
    o.announce_witnessed("P1", &inputs, "2026-03-01T01:00:00Z");
    let before = o.read(bundle::LOG_FILE);
    let w = Secret::generate().unwrap();
    let e = o
        .announce(
            "P2",
            &inputs,
            &[("witness".into(), commitment("P2", "witness", &w))],
            None,
            "2026-03-01T01:10:00Z",
            "2026-03-01T01:10:00Z",
            false,
        )
        .unwrap_err();
    assert!(
        matches!(&e, BundleError::Log { source: log::AppendError::Refused(LogFinding::TaskBusy { other, .. }), .. } if other == "P1"),
        "{e:?}"
    );
    assert_eq!(o.read(bundle::LOG_FILE), before);
    assert!(!o.folder("P2").has(bundle::ANNOUNCEMENT_FILE));

    // A preview signed outside the log cannot be drawn.
    let copy = tempfile::tempdir().unwrap();
    copy_dir(o.folder("P1").root(), &copy.path().join("P3"));
    let mut hidden = Announcement::parse(&o.read("P1/announcement.json")).unwrap();
    hidden.draw_id = "P3".into();
    std::fs::remove_file(copy.path().join("P3/announcement.json")).unwrap();
    let hidden_bytes = hidden.to_canonical().unwrap();
    std::fs::write(copy.path().join("P3/announcement.json"), &hidden_bytes).unwrap();
    std::fs::write(
        copy.path().join("P3/announcement.json.minisig"),
        bundle::sign_document(&o.key, "P3", "announcement.json", &hidden_bytes).unwrap(),
    )
    .unwrap();
    let e = bundle::draw(
        &DrawDir::new(copy.path().join("P3")),
        &o.private,
        &o.log(),
        &DrawRequest {
            key: &o.key,
            reveals: &[
                (
                    "organizer".into(),
                    o.private.read_secret("P1", "organizer").unwrap(),
                ),
                ("witness".into(), Secret::generate().unwrap()),
            ],
            beacon: None,
            drawn_at: t("2026-03-01T01:10:00Z"),
        },
        &mut NoProgress,
    )
    .unwrap_err();
    assert!(
        matches!(&e, BundleError::LogState { draw_id, state: bundle::DrawState::NotAnnounced, .. } if draw_id == "P3"),
        "{e:?}"
    );
    assert!(!copy.path().join("P3/sheet.json").exists());

    // The office aborts P1: a signed, published void; the next announcement cites it.
    let void = o.void("P1", "2026-03-01T01:20:00Z").unwrap();
    let void_bytes = o.read("P1/void.json");
    assert_eq!(void_bytes, void.to_canonical().unwrap());
    let sig =
        Signature::parse(&String::from_utf8(o.read("P1/void.json.minisig")).unwrap()).unwrap();
    let signed = sign::verify(&o.key.public_key(), &void_bytes, &sig).unwrap();
    assert_eq!(signed.fields().unwrap().get("file"), Some("void.json"));
    let p2 = o
        .announce(
            "P2",
            &inputs,
            &[("witness".into(), commitment("P2", "witness", &w))],
            None,
            "2026-03-01T01:30:00Z",
            "2026-03-01T01:30:00Z",
            false,
        )
        .unwrap();
    assert_eq!(p2.supersedes, Some(Digest32::of(&void_bytes)));
    o.draw("P2", &[("witness".into(), w)], None, "2026-03-01T01:30:00Z")
        .unwrap();
    let v = o.verify("P2", true, &[]);
    assert!(v.passed(), "{:#?}", v.report.findings);
    let l = v.trust.unwrap().log.unwrap();
    assert!(l.supersedes);
    let [s]: &[Sibling; 1] = l.siblings.as_slice().try_into().unwrap();
    assert_eq!(
        (s.draw_id.as_str(), s.state, s.void_reason),
        (
            "P1",
            bundle::DrawState::Void,
            Some(VoidCode::SecretNotRevealed)
        )
    );

    // An announcement after the void that does not cite it, logged and drawn: named.
    let o = Office::new();
    o.announce_witnessed("P1", &inputs, "2026-03-01T01:00:00Z");
    o.void("P1", "2026-03-01T01:20:00Z").unwrap();
    let mut quiet = Announcement::parse(&o.read("P1/announcement.json")).unwrap();
    let w = Secret::generate().unwrap();
    quiet.draw_id = "P2".into();
    quiet.parties[0].commitment = commitment(
        "P2",
        "organizer",
        &o.private.read_secret("P1", "organizer").unwrap(),
    );
    quiet.parties[1].commitment = commitment("P2", "witness", &w);
    quiet.announced_at = t("2026-03-01T01:30:00Z");
    quiet.scheduled_at = t("2026-03-01T01:30:00Z");
    quiet.log = double_random::bundle::read_log(&o.log())
        .unwrap()
        .next_position();
    quiet.supersedes = None;
    let bytes = quiet.to_canonical().unwrap();
    copy_dir(o.folder("P1").root(), o.folder("P2").root());
    for f in [
        "announcement.json",
        "announcement.json.minisig",
        "void.json",
        "void.json.minisig",
    ] {
        std::fs::remove_file(o.folder("P2").path(f)).unwrap();
    }
    o.publish_forged("P2", "announcement.json", &bytes);
    o.append_forged(
        EntryKind::Announcement,
        "P2",
        &bytes,
        &quiet,
        quiet.announced_at,
    );
    o.draw(
        "P2",
        &[
            (
                "organizer".into(),
                o.private.read_secret("P1", "organizer").unwrap(),
            ),
            ("witness".into(), w),
        ],
        None,
        "2026-03-01T01:30:00Z",
    )
    .unwrap();
    let v = o.verify("P2", true, &[]);
    assert!(
        v.report.findings.iter().any(|f| matches!(f,
            Finding::Cites { document, field: "supersedes", .. } if document == "announcement.json")),
        "{:#?}",
        v.report.findings
    );
}

// ---------------------------------------------------------------------------------------------
// 6. Walking the pool by recusal
// ---------------------------------------------------------------------------------------------

/// What the recusal rules need about one drawn sheet, computed here from the inputs.
struct Pools<'a> {
    inputs: &'a Inputs,
    sheet: &'a Sheet,
    pools: Vec<teams::PoolSpec>,
}

impl Pools<'_> {
    /// The officers' pool.
    fn officers(&self) -> &teams::PoolSpec {
        &self.pools[0]
    }

    /// `entity`'s ranking in `pool`, restricted to members eligible for it (SPEC §7.2) and
    /// under the amendment cap in the sheet's state (loads counted over the other entities).
    fn available_ranking(&self, pool: &teams::PoolSpec, entity: &str) -> Vec<String> {
        let mut members: Vec<_> = self
            .inputs
            .inspectors
            .iter()
            .filter(|i| pool.admits(i))
            .collect();
        members.sort_by(|a, b| a.id.cmp(&b.id));
        let ex = Exclusions::new(
            &self.inputs.plan,
            &self.inputs.conflicts,
            &self.inputs.history,
        );
        let region = self
            .inputs
            .entities
            .iter()
            .find(|e| e.id == entity)
            .map(|e| e.region.clone())
            .unwrap_or_default();
        let target = Target {
            id: entity.into(),
            region,
        };
        let sp = self
            .sheet
            .pools
            .iter()
            .find(|p| p.label == pool.label)
            .unwrap();
        let cap = sp.cap + u32::from(self.inputs.plan.team.workload_cap.is_none());
        amend::ranking(&self.sheet.seed, &pool.label, entity, &members)
            .filter(|m| ex.allows(m, &target))
            .filter(|m| {
                let load = self
                    .sheet
                    .entities
                    .iter()
                    .filter(|e| {
                        e.id != entity && e.officers.iter().chain(&e.experts).any(|i| *i == m.id)
                    })
                    .count();
                (load as u32) < cap
            })
            .map(|m| m.id.clone())
            .collect()
    }
}

fn recuse(
    sheet: &Sheet,
    previous: &[Amendment],
    inputs: &Inputs,
    entity: &str,
    inspector: &str,
) -> Result<Amendment, CeremonyError> {
    amend::amend(
        sheet,
        previous,
        Action::ReplaceInspector {
            entity: entity.into(),
            inspector: inspector.into(),
        },
        Reason {
            code: ReasonCode::InspectorUnavailable,
            text: "出差".into(),
        },
        &inputs.as_draw_inputs(),
        t("2026-03-02T01:00:00Z"),
        log::Position {
            seq: 10 + previous.len() as u64,
            prev: Some(Digest32([1; 32])),
        },
    )
}

/// Every inspector that some order of recusals on `entity` puts on its team; checks that the
/// recusal after the cap is refused in every order.
fn walk(
    sheet: &Sheet,
    previous: &mut Vec<Amendment>,
    inputs: &Inputs,
    entity: &str,
    cap: u32,
    reached: &mut BTreeSet<String>,
) {
    let st = amend::state_after(sheet, previous, &BTreeMap::new());
    let team = st.entities.iter().find(|e| e.id == entity).unwrap();
    let members: Vec<String> = team.officers.iter().chain(&team.experts).cloned().collect();
    reached.extend(members.iter().cloned());
    for m in &members {
        let r = recuse(sheet, previous, inputs, entity, m);
        if previous.len() as u32 == cap {
            assert!(
                matches!(&r, Err(CeremonyError::RecusalCap { count, .. }) if *count == u64::from(cap)),
                "recusal {} on {entity} after {:?}: {r:?}",
                cap + 1,
                previous.iter().map(|a| &a.action).collect::<Vec<_>>()
            );
            continue;
        }
        let a = r.unwrap_or_else(|e| panic!("recusal of {m} on {entity}: {e}"));
        previous.push(a);
        walk(sheet, previous, inputs, entity, cap, reached);
        previous.pop();
    }
}

// v1: the office declared inspectors "unavailable" one after another on the entity it cared
// about, each replacement drawn afresh, until the inspector it wanted came up; the amendments
// verified PASS.
#[test]
fn attack_6_recusals_cannot_walk_the_pool() {
    let inputs = Office::inputs("plan.toml");
    let o = Office::new();
    let w = o.announce_witnessed("W1", &inputs, "2026-03-01T01:00:00Z");
    let drawn = o
        .draw("W1", &[("witness".into(), w)], None, "2026-03-01T01:00:00Z")
        .unwrap();
    let sheet = drawn.sheet;
    let cap = inputs.plan.team.recusal_cap;
    assert_eq!(cap, 2, "the default cap");
    let p = Pools {
        inputs: &inputs,
        sheet: &sheet,
        pools: teams::pools(&inputs.plan, &inputs.items).unwrap(),
    };
    let q = p.officers().per_entity as usize;

    // Through the office's own steps: the replacement is the ranking's first available member.
    let e = sheet.entities[0].clone();
    let ranked = p.available_ranking(p.officers(), &e.id);
    let mut team = e.officers.clone();
    let mut recused = vec![];
    for n in 0..cap {
        let victim = team[0].clone();
        recused.push(victim.clone());
        let (a, _) = bundle::amend(
            &o.folder("W1"),
            &o.log(),
            &o.key,
            Action::ReplaceInspector {
                entity: e.id.clone(),
                inspector: victim.clone(),
            },
            Reason {
                code: ReasonCode::InspectorRecused,
                text: "亲属关系".into(),
            },
            t(&format!("2026-03-02T0{n}:00:00Z")),
            &mut NoProgress,
        )
        .unwrap();
        let amend::Outcome::ReplaceInspector { inspector } = &a.outcome else {
            panic!("{:?}", a.outcome)
        };
        let expected = ranked
            .iter()
            .find(|m| !team.contains(m) && !recused.contains(m))
            .unwrap();
        assert_eq!(inspector, expected, "recusal {}", n + 1);
        for slot in &mut team {
            if *slot == victim {
                *slot = inspector.clone();
            }
        }
    }
    let e3 = bundle::amend(
        &o.folder("W1"),
        &o.log(),
        &o.key,
        Action::ReplaceInspector {
            entity: e.id.clone(),
            inspector: team[0].clone(),
        },
        Reason {
            code: ReasonCode::InspectorRecused,
            text: "亲属关系".into(),
        },
        t("2026-03-02T05:00:00Z"),
        &mut NoProgress,
    )
    .unwrap_err();
    assert!(
        matches!(
            ceremony_error(&e3),
            CeremonyError::RecusalCap { count: 2, .. }
        ),
        "{e3:?}"
    );
    assert!(!o.folder("W1").has(&bundle::amendment_file(3)));
    let v = o.verify("W1", true, &[]);
    assert!(v.passed(), "{:#?}", v.report.findings);
    let recusals: u64 = v.trust.unwrap().recusals.iter().map(|(_, n)| n).sum();
    assert_eq!(recusals, u64::from(cap));

    // Every order of recusals on every entity: only the first cap + team size available
    // members of the entity's ranking can ever be reached.
    for e in &sheet.entities {
        let mut reached = BTreeSet::new();
        walk(&sheet, &mut vec![], &inputs, &e.id, cap, &mut reached);
        let ranked = p.available_ranking(p.officers(), &e.id);
        let reachable: BTreeSet<String> = ranked.iter().take(q + cap as usize).cloned().collect();
        let initial: BTreeSet<String> = e.officers.iter().cloned().collect();
        let beyond: Vec<&String> = reached
            .iter()
            .filter(|i| !initial.contains(*i) && !reachable.contains(*i))
            .collect();
        assert!(
            beyond.is_empty(),
            "entity {}: recusals reached {beyond:?}, beyond the first {} of {ranked:?}",
            e.id,
            q + cap as usize
        );
        assert!(reached.len() <= q + q + cap as usize);
        assert!(
            ranked.len() > q + cap as usize,
            "the pool is larger than what is reachable"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 7. No independent randomness
// ---------------------------------------------------------------------------------------------

// v1: the office announced with no witness and no beacon, so it chose every bit of the seed,
// tried seeds privately and published the one it liked; verify printed PASS without a word
// about it.
#[test]
fn attack_7_no_independent_randomness_is_refused_unless_a_drill() {
    let inputs = Office::inputs("plan.toml");
    let o = Office::new();
    let e = o
        .announce(
            "N1",
            &inputs,
            &[],
            None,
            "2026-03-01T01:00:00Z",
            "2026-03-01T01:00:00Z",
            false,
        )
        .unwrap_err();
    assert!(
        matches!(ceremony_error(&e), CeremonyError::NoIndependentRandomness),
        "{e:?}"
    );
    assert!(
        !o.log().exists()
            || double_random::bundle::read_log(&o.log())
                .unwrap()
                .entries
                .is_empty()
    );
    assert!(!o.folder("N1").has(bundle::ANNOUNCEMENT_FILE));

    let ann = o
        .announce(
            "N1",
            &inputs,
            &[],
            None,
            "2026-03-01T01:00:00Z",
            "2026-03-01T01:00:00Z",
            true,
        )
        .unwrap();
    assert!(!ann.has_independent_randomness());
    o.draw("N1", &[], None, "2026-03-01T01:00:00Z").unwrap();
    let v = o.verify("N1", true, &[]);
    assert!(v.passed(), "consistent documents: {:#?}", v.report.findings);
    let trust = v.trust.unwrap();
    assert!(!trust.independent);
    assert!(trust.witnesses.is_empty());
    assert_eq!(trust.beacon, None);
}

// ---------------------------------------------------------------------------------------------
// The same attacks through the command line
// ---------------------------------------------------------------------------------------------

mod cli {
    use super::*;
    use std::process::{Command, Output};

    /// The example binary, built once per test run (see `tests/all/cli.rs`).
    fn bin() -> PathBuf {
        static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
        BIN.get_or_init(|| {
            let exe = std::env::current_exe().unwrap();
            let profile_dir = exe.parent().and_then(Path::parent).unwrap();
            let target_dir = profile_dir.parent().unwrap();
            let mut cmd = Command::new(env!("CARGO"));
            cmd.args([
                "build",
                "--quiet",
                "--example",
                "double-random",
                "--target-dir",
            ])
            .arg(target_dir)
            .current_dir(env!("CARGO_MANIFEST_DIR"));
            if profile_dir.file_name().is_some_and(|n| n == "release") {
                cmd.arg("--release");
            }
            assert!(
                cmd.status().unwrap().success(),
                "building the example failed"
            );
            profile_dir
                .join("examples")
                .join(format!("double-random{}", std::env::consts::EXE_SUFFIX))
        })
        .clone()
    }

    fn run(cwd: &Path, now: &str, args: &[&str]) -> Output {
        Command::new(bin())
            .current_dir(cwd)
            .args(["--lang", "en"])
            .args(args)
            .env("DOUBLE_RANDOM_TEST_NOW", now)
            .env("DOUBLE_RANDOM_TEST_FIXED_SECRETS", "1")
            .output()
            .unwrap()
    }

    fn text(o: &Output) -> String {
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    }

    fn ok(cwd: &Path, now: &str, args: &[&str]) -> String {
        let o = run(cwd, now, args);
        assert!(o.status.success(), "{args:?}: {}", text(&o));
        text(&o)
    }

    fn office() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        copy_dir(&office_in(), d.path());
        d
    }

    const LOTTERY: &[&str] = &[
        "--lottery",
        "ssq",
        "--lottery-issue",
        "2026023",
        "--beacon-source",
        "https://www.cwl.gov.cn/",
        "--beacon-published-at",
    ];

    // v1 (attack 1 on the command line): `draw --beacon-value` with a new spelling each time.
    #[test]
    fn attack_1_cli_respelled_values_give_one_sheet() {
        let d = office();
        let mut args = vec!["announce", "--draw-id", "L1", "--inputs", "."];
        args.extend_from_slice(LOTTERY);
        args.push("2026-03-01T01:30:00Z");
        ok(d.path(), "2026-03-01T01:00:00Z", &args);
        let mut sheets = BTreeSet::new();
        for value in [
            "03 09 14 21 26 31 + 07",
            "31，26，21，14，９，３、７。",
            "0003/0009/0014/0021/0026/0031|0007",
        ] {
            let copy = tempfile::tempdir().unwrap();
            copy_dir(d.path(), copy.path());
            let out = ok(
                copy.path(),
                "2026-03-01T01:30:00Z",
                &["draw", "L1", "--beacon-value", value],
            );
            assert!(out.contains("03 09 14 21 26 31 + 07"), "{out}");
            sheets.insert(std::fs::read(copy.path().join("L1/sheet.json")).unwrap());
        }
        assert_eq!(sheets.len(), 1);
        for value in NOT_A_RESULT {
            let o = run(
                d.path(),
                "2026-03-01T01:30:00Z",
                &["draw", "L1", "--beacon-value", value],
            );
            assert_eq!(o.status.code(), Some(5), "{value:?}: {}", text(&o));
            assert!(!d.path().join("L1/sheet.json").exists());
        }
    }

    // v1 (attack 2 on the command line): `announce --now <the past>` and `--secret-file`.
    #[test]
    fn attack_2_cli_has_no_clock_or_secret_flags_and_refuses_a_past_beacon() {
        let d = office();
        for args in [
            &[
                "announce",
                "--draw-id",
                "B1",
                "--inputs",
                ".",
                "--now",
                "2026-03-01T01:00:00Z",
            ][..],
            &[
                "announce",
                "--draw-id",
                "B1",
                "--inputs",
                ".",
                "--secret-file",
                "s.secret",
            ][..],
            &["draw", "B1", "--now", "2026-03-01T01:00:00Z"][..],
            &["draw", "B1", "--secret-file", "s.secret"][..],
        ] {
            let o = run(d.path(), "2026-03-01T03:00:00Z", args);
            assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
            let flag = args[args.len() - 2];
            assert!(
                text(&o).contains(&format!("unexpected argument '{flag}'")),
                "{}",
                text(&o)
            );
        }
        // At 03:00, a lottery published at 02:00, or within the margin: refused.
        for at in ["2026-03-01T02:00:00Z", "2026-03-01T03:04:59Z"] {
            let mut args = vec!["announce", "--draw-id", "B1", "--inputs", "."];
            args.extend_from_slice(LOTTERY);
            args.push(at);
            let o = run(d.path(), "2026-03-01T03:00:00Z", &args);
            assert_ne!(o.status.code(), Some(0), "{at}: {}", text(&o));
            assert!(!d.path().join("B1/announcement.json").exists());
        }
        // An honest lottery draw without a token: the verifier says whose word the time is.
        let mut args = vec!["announce", "--draw-id", "B1", "--inputs", "."];
        args.extend_from_slice(LOTTERY);
        args.push("2026-03-01T03:05:00Z");
        ok(d.path(), "2026-03-01T03:00:00Z", &args);
        ok(
            d.path(),
            "2026-03-01T03:05:00Z",
            &["draw", "B1", "--beacon-value", "03 09 14 21 26 31 + 07"],
        );
        let out = ok(
            d.path(),
            "2026-03-01T03:05:00Z",
            &[
                "verify",
                "B1",
                "--public-key",
                "organizer.pub",
                "--log",
                "office.log",
            ],
        );
        assert!(
            out.contains("the announcement time is the office's own claim"),
            "{out}"
        );
    }

    // v1 (attack 3 on the command line): `announce --witness 纪检监督员=<commitment made from
    // the secret on R1's sheet>`, then `draw` revealing that secret.
    #[test]
    fn attack_3_cli_a_revealed_secret_is_refused_at_the_draw() {
        let d = office();
        let now = "2026-03-01T01:00:00Z";
        let w = ok(
            d.path(),
            now,
            &[
                "witness",
                "--name",
                "纪检监督员",
                "--draw-id",
                "R1",
                "--private",
                "wp",
            ],
        );
        let arg = w
            .lines()
            .find_map(|l| l.trim().strip_prefix("--witness "))
            .unwrap()
            // Printed quoted for the shell, as one word.
            .trim_matches('\'')
            .to_string();
        ok(
            d.path(),
            now,
            &[
                "announce",
                "--draw-id",
                "R1",
                "--inputs",
                ".",
                "--witness",
                &arg,
            ],
        );
        ok(
            d.path(),
            now,
            &[
                "draw",
                "R1",
                "--reveal-file",
                "纪检监督员=wp/secrets/R1/纪检监督员.secret",
            ],
        );
        let sheet = Sheet::parse(&std::fs::read(d.path().join("R1/sheet.json")).unwrap()).unwrap();
        let revealed = Secret::from_bytes(sheet.reveals[1].secret.0);
        std::fs::write(d.path().join("reused.secret"), revealed.to_hex().as_bytes()).unwrap();
        let forged = format!("纪检监督员={}", commitment("R2", "纪检监督员", &revealed));
        ok(
            d.path(),
            now,
            &[
                "announce",
                "--draw-id",
                "R2",
                "--inputs",
                ".",
                "--plan",
                "plan-2.toml",
                "--witness",
                &forged,
            ],
        );
        let before = std::fs::read(d.path().join("office.log")).unwrap();
        let o = run(
            d.path(),
            now,
            &["draw", "R2", "--reveal-file", "纪检监督员=reused.secret"],
        );
        assert_eq!(o.status.code(), Some(5), "{}", text(&o));
        assert!(text(&o).contains("R1"), "{}", text(&o));
        assert!(!d.path().join("R2/sheet.json").exists());
        assert_eq!(std::fs::read(d.path().join("office.log")).unwrap(), before);
    }

    // v1 (attack 4 on the command line): `rm office.log` and the draw folder, then `announce`
    // the same draw id again.
    #[test]
    fn attack_4_cli_a_reset_log_does_not_extend_a_kept_checkpoint() {
        let d = office();
        let now = "2026-03-01T01:00:00Z";
        let drill = [
            "announce",
            "--draw-id",
            "D1",
            "--inputs",
            ".",
            "--no-independent-randomness",
        ];
        ok(d.path(), now, &drill);
        ok(
            d.path(),
            now,
            &["void", "D1", "--reason", "other", "--text", "重新抽取"],
        );
        std::fs::create_dir(d.path().join("kept")).unwrap();
        for f in ["checkpoint-2.json", "checkpoint-2.json.minisig"] {
            std::fs::copy(
                d.path().join("checkpoints").join(f),
                d.path().join("kept").join(f),
            )
            .unwrap();
        }
        ok(d.path(), now, &["log", "--since", "kept/checkpoint-2.json"]);
        std::fs::remove_file(d.path().join("office.log")).unwrap();
        for dir in ["D1", "checkpoints", "private/secrets"] {
            std::fs::remove_dir_all(d.path().join(dir)).unwrap();
        }
        // The published log can only grow: re-announcing over a reset log is recorded in the
        // office's own folder, but the public folder refuses the log that does not extend it.
        let o = run(d.path(), now, &drill);
        assert!(!o.status.success(), "{}", text(&o));
        assert!(text(&o).contains("public/office.log"), "{}", text(&o));
        // A hostile office deletes its public folder too, and starts again from scratch.
        std::fs::remove_file(d.path().join("office.log")).unwrap();
        for dir in ["D1", "checkpoints", "private/secrets", "public"] {
            std::fs::remove_dir_all(d.path().join(dir)).unwrap();
        }
        ok(d.path(), now, &drill);
        let o = run(d.path(), now, &["log", "--since", "kept/checkpoint-2.json"]);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        assert!(text(&o).contains("truncated or reset"), "{}", text(&o));
    }

    // v1 (attack 5 on the command line): three `announce` runs of one task.
    #[test]
    fn attack_5_cli_one_live_draw_per_task() {
        let d = office();
        let drill = ["--inputs", ".", "--no-independent-randomness"];
        let now = "2026-03-01T01:00:00Z";
        ok(
            d.path(),
            now,
            &[&["announce", "--draw-id", "P1"][..], &drill].concat(),
        );
        let o = run(
            d.path(),
            now,
            &[&["announce", "--draw-id", "P2"][..], &drill].concat(),
        );
        assert_eq!(o.status.code(), Some(4), "{}", text(&o));
        assert!(!d.path().join("P2/announcement.json").exists());
        ok(
            d.path(),
            now,
            &[
                "void",
                "P1",
                "--reason",
                "secret-not-revealed",
                "--text",
                "监督人未到场",
            ],
        );
        ok(
            d.path(),
            now,
            &[&["announce", "--draw-id", "P2"][..], &drill].concat(),
        );
        ok(d.path(), now, &["draw", "P2"]);
        let out = ok(
            d.path(),
            now,
            &[
                "verify",
                "P2",
                "--public-key",
                "organizer.pub",
                "--log",
                "office.log",
            ],
        );
        assert!(out.contains("P1: void"), "{out}");
        assert!(
            out.contains("this announcement cites the task's earlier void"),
            "{out}"
        );
    }

    // v1 (attack 7 on the command line): `announce` with nothing but the office's secret.
    #[test]
    fn attack_7_cli_refuses_without_independent_randomness() {
        let d = office();
        let now = "2026-03-01T01:00:00Z";
        let o = run(
            d.path(),
            now,
            &["announce", "--draw-id", "N1", "--inputs", "."],
        );
        assert_eq!(o.status.code(), Some(5), "{}", text(&o));
        assert!(!d.path().join("N1").exists());
        ok(
            d.path(),
            now,
            &[
                "announce",
                "--draw-id",
                "N1",
                "--inputs",
                ".",
                "--no-independent-randomness",
            ],
        );
        ok(d.path(), now, &["draw", "N1"]);
        let out = ok(
            d.path(),
            now,
            &[
                "verify",
                "N1",
                "--public-key",
                "organizer.pub",
                "--log",
                "office.log",
            ],
        );
        assert!(out.contains("the office alone chose the seed"), "{out}");
    }
}
