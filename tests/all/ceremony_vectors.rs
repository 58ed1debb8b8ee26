//! Ceremony test vectors (SPEC §15): whole published offices of algorithm v2, byte for byte,
//! from fixed secrets, a fixed signing key, fixed times and a deterministic demonstration TSA.
//!
//! Each vector is an office folder (`office.log`, `checkpoints/`, `organizer.pub`, and for the
//! drand vector `tsa.pem`) with one draw folder and a `derivations.json` spelling out the
//! commitments, the beacon bytes and the seed. Written once with `DR_BLESS_VECTORS=1` when
//! missing, reviewed and committed; never rewritten: a changed byte is a version change.

use double_random::Digest32;
use double_random::bundle::{
    AnnounceRequest, DrawDir, DrawRequest, LOG_FILE, NoProgress, PrivateDir, TIMESTAMP_FILE,
    VerifyOptions, amend, announce, draw, load_inputs, verify_dir_with, void,
};
use double_random::ceremony::amend::{Action, Outcome, Reason, ReasonCode, ranking};
use double_random::ceremony::beacon::{BeaconSpec, BeaconValue, DRAND_QUICKNET, beacon_bytes};
use double_random::ceremony::commit::{Secret, commitment, derive_seed};
use double_random::ceremony::groups::{GroupSpec, read_typed};
use double_random::ceremony::timestamp::{DemoTsa, read_certificates, request};
use double_random::ceremony::verify::TimeProof;
use double_random::ceremony::void::{VoidCode, VoidReason};
use double_random::ceremony::{CeremonyError, Timestamp};
use double_random::sign::{KeyId, SecretKey};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const INPUTS: [&str; 6] = [
    "entities.csv",
    "inspectors.csv",
    "items.csv",
    "conflicts.csv",
    "history.csv",
    "plan.toml",
];

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

fn key() -> SecretKey {
    SecretKey::from_seed(KeyId([0x5a, 2, 0, 2, 6, 1, 2, 5]), &[42; 32])
}

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn secret(byte: u8) -> Secret {
    Secret::from_bytes(core::array::from_fn(|i| byte.wrapping_add(i as u8)))
}

/// One vector: its inputs, its parties, its beacon and what happens after the draw.
struct Case {
    name: &'static str,
    inputs: &'static str,
    draw_id: &'static str,
    announced_at: &'static str,
    scheduled_at: &'static str,
    drawn_at: &'static str,
    beacon: Option<(BeaconSpec, BeaconValue, Option<&'static str>)>,
    timestamp_at: Option<&'static str>,
}

/// Amendments: replace the first entity and recuse one officer (ceremony-drand); recuse twice on
/// one entity, reaching the cap, and once on another (ceremony-recusals).
type Amendments = fn(&double_random::ceremony::sheet::Sheet) -> Vec<(Action, ReasonCode)>;

fn quicknet_round_1() -> BeaconValue {
    BeaconValue::Drand {
        round: 1,
        signature: "b55e7cb2d5c613ee0b2e28d6750aabbb78c39dcc96bd9d38c2c2e12198df95571de8e8e402a0cc48871c7089a2b3af4b".parse().unwrap(),
        previous_signature: None,
        randomness: double_random::Digest32::from_hex(
            "1466a6cd24e327188770752f6134001c64d6efcc590ccc26b721611ad96f165a",
        )
        .unwrap(),
    }
}

/// The typed lottery result of `ceremony-lottery`, as a clerk might enter it.
const LOTTERY_TYPED: &str = "31、26、21，14，09，03＋07。";

fn cases() -> Vec<(Case, Amendments)> {
    let ssq = GroupSpec::shuangseqiu();
    vec![
        (
            Case {
                name: "ceremony-drand",
                inputs: "05-joint-three-departments",
                draw_id: "GY-2023-08-Q1",
                announced_at: "2023-08-23T14:59:27Z",
                scheduled_at: "2023-08-23T15:09:27Z",
                drawn_at: "2023-08-23T15:10:27Z",
                beacon: Some((DRAND_QUICKNET.spec(1), quicknet_round_1(), None)),
                timestamp_at: Some("2023-08-23T15:00:27Z"),
            },
            |sheet| {
                let first = &sheet.entities[0];
                let other = &sheet.entities[1];
                vec![
                    (
                        Action::ReplaceEntity {
                            entity: first.id.clone(),
                        },
                        ReasonCode::EntityUnreachable,
                    ),
                    (
                        Action::ReplaceInspector {
                            entity: other.id.clone(),
                            inspector: other.officers[0].clone(),
                        },
                        ReasonCode::InspectorRecused,
                    ),
                ]
            },
        ),
        (
            Case {
                name: "ceremony-lottery",
                inputs: "01-small-undirected",
                draw_id: "GY-2026-02-SSQ",
                announced_at: "2026-02-26T09:00:00Z",
                scheduled_at: "2026-02-26T14:00:00Z",
                drawn_at: "2026-02-26T14:30:00Z",
                beacon: Some((
                    BeaconSpec::External {
                        description: "中国福利彩票双色球第2026023期开奖号码".into(),
                        source: "https://www.cwl.gov.cn/".into(),
                        published_at: t("2026-02-26T13:15:00Z"),
                        groups: ssq.clone(),
                    },
                    BeaconValue::External {
                        groups: read_typed(&ssq, LOTTERY_TYPED).unwrap(),
                    },
                    Some(LOTTERY_TYPED),
                )),
                timestamp_at: None,
            },
            |_| vec![],
        ),
        (
            Case {
                name: "ceremony-recusals",
                inputs: "04-conflicts-region",
                draw_id: "GY-2026-03-R",
                announced_at: "2026-03-01T01:00:00Z",
                scheduled_at: "2026-03-01T02:00:00Z",
                drawn_at: "2026-03-01T02:00:00Z",
                beacon: None,
                timestamp_at: None,
            },
            |sheet| {
                let e = &sheet.entities[0];
                let f = &sheet.entities[1];
                vec![
                    (
                        Action::ReplaceInspector {
                            entity: e.id.clone(),
                            inspector: e.officers[0].clone(),
                        },
                        ReasonCode::InspectorRecused,
                    ),
                    (
                        Action::ReplaceInspector {
                            entity: e.id.clone(),
                            inspector: e.officers[1].clone(),
                        },
                        ReasonCode::InspectorUnavailable,
                    ),
                    (
                        Action::ReplaceInspector {
                            entity: f.id.clone(),
                            inspector: f.officers[1].clone(),
                        },
                        ReasonCode::InspectorRecused,
                    ),
                ]
            },
        ),
    ]
}

/// Runs one ceremony into `office` (a new folder); returns the draw folder.
fn run(case: &Case, amendments: Amendments, office: &Path, scratch: &Path) -> PathBuf {
    let src = vectors().join(case.inputs);
    let rosters = scratch.join("rosters");
    std::fs::create_dir_all(&rosters).unwrap();
    for n in INPUTS {
        std::fs::copy(src.join(n), rosters.join(n)).unwrap();
    }
    let key = key();
    std::fs::create_dir_all(office).unwrap();
    std::fs::write(office.join("organizer.pub"), key.public_key().to_minisign()).unwrap();
    let log = office.join(LOG_FILE);
    let private = PrivateDir::new(scratch.join("private"));
    let folder = DrawDir::new(office.join(case.draw_id));
    let inputs = load_inputs(&rosters, None).unwrap();
    let (org, wit) = (secret(0x10), secret(0xa0));
    let witness = "监督人-王";
    let ann = announce(
        &folder,
        &private,
        &log,
        &AnnounceRequest {
            draw_id: case.draw_id,
            inputs: &inputs,
            key: &key,
            organizer: "贵阳市市场监督管理局",
            organizer_secret: &org,
            witnesses: &[(witness.into(), commitment(case.draw_id, witness, &wit))],
            beacon: case.beacon.as_ref().map(|b| b.0.clone()),
            announced_at: t(case.announced_at),
            scheduled_at: t(case.scheduled_at),
            drill: false,
        },
    )
    .unwrap();
    if let Some(at) = case.timestamp_at {
        let tsa = DemoTsa::from_seed([0x75; 32]).unwrap();
        let token = tsa
            .stamp(&request(&ann.digest().unwrap(), 0x0123_4567), t(at), 1)
            .unwrap();
        std::fs::write(folder.path(TIMESTAMP_FILE), token).unwrap();
        std::fs::write(office.join("tsa.pem"), tsa.certificate_pem()).unwrap();
    }
    let drawn = draw(
        &folder,
        &private,
        &log,
        &DrawRequest {
            key: &key,
            reveals: &[(witness.into(), wit.clone())],
            beacon: case.beacon.as_ref().map(|b| b.1.clone()),
            drawn_at: t(case.drawn_at),
        },
        &mut NoProgress,
    )
    .unwrap();
    for (i, (action, code)) in amendments(&drawn.sheet).into_iter().enumerate() {
        amend(
            &folder,
            &log,
            &key,
            action,
            Reason {
                code,
                text: "测试向量".into(),
            },
            t(case.drawn_at)
                .unix()
                .checked_add(86_400 * (i as u64 + 1))
                .and_then(Timestamp::from_unix)
                .unwrap(),
            &mut NoProgress,
        )
        .unwrap();
    }
    // What a second implementation needs to check the derivations step by step.
    let ann_digest = ann.digest().unwrap();
    let b = case.beacon.as_ref().map(|b| beacon_bytes(&b.1));
    let parties = [("贵阳市市场监督管理局", &org), (witness, &wit)];
    let derivations = json!({
        "draw_id": case.draw_id,
        "announcement_digest": ann_digest.to_hex(),
        "commitments": parties.iter().map(|(n, s)| json!({
            "party": n,
            "secret": hex::encode(s.as_bytes()),
            "commitment": commitment(case.draw_id, n, s).to_hex(),
        })).collect::<Vec<_>>(),
        "beacon_typed": case.beacon.as_ref().and_then(|b| b.2),
        "beacon_bytes": b.as_ref().map(hex::encode),
        "seed": derive_seed(&ann_digest, &[*org.as_bytes(), *wit.as_bytes()], b.as_deref()).to_hex(),
    });
    std::fs::write(
        folder.path("derivations.json"),
        serde_json::to_string_pretty(&derivations).unwrap() + "\n",
    )
    .unwrap();
    folder.root().to_path_buf()
}

/// Every file under `dir`, by relative path (the log's lock file is not part of an office).
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if !p.to_string_lossy().ends_with(".lock") {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn every_ceremony_vector_reproduces_byte_for_byte_and_verifies() {
    for (case, amendments) in cases() {
        let committed = vectors().join(case.name);
        let scratch = tempfile::tempdir().unwrap();
        let office = scratch.path().join("office");
        let draw_dir = run(&case, amendments, &office, &scratch.path().join("s"));
        let made = files(&office);
        if !committed.exists() {
            assert!(
                std::env::var_os("DR_BLESS_VECTORS").is_some(),
                "{}: missing: write it once with DR_BLESS_VECTORS=1, review, commit",
                case.name
            );
            for (rel, bytes) in &made {
                let p = committed.join(rel);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                double_random::formats::files::write_new(&p, bytes).unwrap();
            }
        }
        let kept = files(&committed);
        assert_eq!(
            kept.keys().collect::<Vec<_>>(),
            made.keys().collect::<Vec<_>>(),
            "{}: the files of the vector",
            case.name
        );
        for (rel, bytes) in &made {
            assert!(
                kept[rel] == *bytes,
                "{}/{rel} differs from the committed vector",
                case.name
            );
        }
        // The committed office verifies fully, with its log and (drand) its TSA certificate.
        let pk =
            double_random::bundle::read_public_key_file(&committed.join("organizer.pub")).unwrap();
        let certs = std::fs::read(committed.join("tsa.pem"))
            .map(|b| read_certificates(&b).unwrap())
            .unwrap_or_default();
        let log = committed.join(LOG_FILE);
        let v = verify_dir_with(
            &committed.join(draw_dir.file_name().unwrap()),
            &VerifyOptions {
                public_key: Some(&pk),
                log: Some(&log),
                strict: true,
                tsa_certificates: &certs,
            },
            &mut NoProgress,
        )
        .unwrap();
        assert!(v.passed(), "{}: {:#?}", case.name, v.report.findings);
        let trust = v.trust.unwrap();
        assert!(trust.independent);
        if case.timestamp_at.is_some() {
            assert!(
                matches!(trust.time, TimeProof::Proven { .. }),
                "{:?}",
                trust.time
            );
        }
    }
}

#[test]
fn the_lottery_vector_reads_the_typed_value_canonically() {
    let ssq = GroupSpec::shuangseqiu();
    assert_eq!(
        read_typed(&ssq, LOTTERY_TYPED).unwrap(),
        vec![vec![3, 9, 14, 21, 26, 31], vec![7]]
    );
}

#[test]
fn recusals_follow_the_ranking_and_stop_at_the_cap() {
    let (case, amendments) = cases().into_iter().nth(2).unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let office = scratch.path().join("office");
    let folder = DrawDir::new(run(&case, amendments, &office, &scratch.path().join("s")));
    let sheet = folder.read_sheet().unwrap().unwrap().value;
    let amended: Vec<_> = folder.read_amendments().unwrap();
    let e = &sheet.entities[0];
    // The two replacements on entity e are the first available members of e's ranking.
    let inputs = load_inputs(folder.root(), None).unwrap();
    let mut members: Vec<&str> = inputs
        .inspectors
        .iter()
        .filter(|i| i.kind == double_random::model::InspectorKind::Officer)
        .map(|i| i.id.as_str())
        .collect();
    members.sort_unstable();
    let order: Vec<&str> = ranking(&sheet.seed, "officers", &e.id, &members)
        .copied()
        .collect();
    let got: Vec<String> = amended[..2]
        .iter()
        .map(|a| match &a.value.outcome {
            Outcome::ReplaceInspector { inspector } => inspector.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    for g in &got {
        assert!(order.contains(&g.as_str()));
    }
    let first_rank = order.iter().position(|m| *m == got[0]).unwrap();
    let second_rank = order.iter().position(|m| *m == got[1]).unwrap();
    assert!(first_rank < second_rank, "walks down the ranking");
    // A third recusal on the same entity is over the plan's cap (2).
    let current = double_random::ceremony::amend::state_after(
        &sheet,
        &amended.iter().map(|a| a.value.clone()).collect::<Vec<_>>(),
        &Default::default(),
    );
    let team = current.entities.iter().find(|x| x.id == e.id).unwrap();
    let err = amend(
        &folder,
        &office.join(LOG_FILE),
        &key(),
        Action::ReplaceInspector {
            entity: e.id.clone(),
            inspector: team.officers[0].clone(),
        },
        Reason {
            code: ReasonCode::InspectorUnavailable,
            text: "第三次".into(),
        },
        t("2026-03-09T00:00:00Z"),
        &mut NoProgress,
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            double_random::bundle::BundleError::Document {
                source: CeremonyError::RecusalCap { count: 2, .. },
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn the_commitment_binds_the_draw() {
    let s = secret(1);
    assert_ne!(commitment("D1", "w", &s), commitment("D2", "w", &s));
    let _: Digest32 = commitment("D1", "w", &s);
}

// ---------------------------------------------------------------------------------------------
// ceremony-void: a draw voided, its task refused while live and announced again citing the void,
// and another task's draw left pending at the end of the log.
// ---------------------------------------------------------------------------------------------

/// The draw ids of `ceremony-void`, in log order.
const VOIDED: &str = "GY-2026-05-V1";
const REDRAWN: &str = "GY-2026-05-V2";
const REFUSED: &str = "GY-2026-05-V1B";
const PENDING: &str = "GY-2026-05-P";

/// Copies a vector's inputs into `dir`.
fn rosters_of(vector: &str, dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    for n in INPUTS {
        std::fs::copy(vectors().join(vector).join(n), dir.join(n)).unwrap();
    }
    dir.to_path_buf()
}

/// Announces `draw_id` with the organizer's secret `org` and one witness's secret `wit`.
fn announce_at(
    office: &Path,
    private: &PrivateDir,
    rosters: &Path,
    draw_id: &str,
    (org, wit): (&Secret, &Secret),
    (announced_at, scheduled_at): (&str, &str),
) -> Result<double_random::ceremony::announce::Announcement, double_random::bundle::BundleError> {
    let inputs = load_inputs(rosters, None).unwrap();
    announce(
        &DrawDir::new(office.join(draw_id)),
        private,
        &office.join(LOG_FILE),
        &AnnounceRequest {
            draw_id,
            inputs: &inputs,
            key: &key(),
            organizer: "贵阳市市场监督管理局",
            organizer_secret: org,
            witnesses: &[("监督人-王".into(), commitment(draw_id, "监督人-王", wit))],
            beacon: None,
            announced_at: t(announced_at),
            scheduled_at: t(scheduled_at),
            drill: false,
        },
    )
}

/// Runs `ceremony-void` into `office`: announces V1 (vector 10's inputs, task T-10), is refused
/// a second live announcement of T-10, voids V1, announces V2 (citing the void) and draws it,
/// then announces P (vector 01's inputs, task T-1), which stays pending.
fn run_void(office: &Path, scratch: &Path) -> double_random::ceremony::void::Void {
    let key = key();
    std::fs::create_dir_all(office).unwrap();
    std::fs::write(office.join("organizer.pub"), key.public_key().to_minisign()).unwrap();
    let log = office.join(LOG_FILE);
    let private = PrivateDir::new(scratch.join("private"));
    let t10 = rosters_of("10-publish-risk", &scratch.join("t10"));
    let t1 = rosters_of("01-small-undirected", &scratch.join("t1"));
    let (org1, wit1) = (secret(0x30), secret(0xb0));
    let first = announce_at(
        office,
        &private,
        &t10,
        VOIDED,
        (&org1, &wit1),
        ("2026-05-06T01:00:00Z", "2026-05-06T02:00:00Z"),
    )
    .unwrap();
    assert_eq!(first.supersedes, None);
    // One live draw per task (SPEC §12.2): a second announcement of T-10 is refused, and leaves
    // nothing behind.
    let err = announce_at(
        office,
        &private,
        &t10,
        REFUSED,
        (&secret(0x31), &secret(0xb1)),
        ("2026-05-06T01:10:00Z", "2026-05-06T02:00:00Z"),
    )
    .unwrap_err();
    assert!(
        matches!(err, double_random::bundle::BundleError::Log { .. }),
        "{err:?}"
    );
    assert!(!office.join(REFUSED).exists());
    let voided = void(
        &DrawDir::new(office.join(VOIDED)),
        &log,
        &key,
        VoidReason {
            code: VoidCode::SecretNotRevealed,
            text: "监督人未到场".into(),
        },
        t("2026-05-06T02:30:00Z"),
    )
    .unwrap();
    let (org2, wit2) = (secret(0x50), secret(0xc0));
    let second = announce_at(
        office,
        &private,
        &t10,
        REDRAWN,
        (&org2, &wit2),
        ("2026-05-07T01:00:00Z", "2026-05-07T02:00:00Z"),
    )
    .unwrap();
    let folder = DrawDir::new(office.join(REDRAWN));
    draw(
        &folder,
        &private,
        &log,
        &DrawRequest {
            key: &key,
            reveals: &[("监督人-王".into(), wit2.clone())],
            beacon: None,
            drawn_at: t("2026-05-07T02:00:00Z"),
        },
        &mut NoProgress,
    )
    .unwrap();
    // A drawn draw is live too: T-10 cannot be announced again.
    assert!(
        announce_at(
            office,
            &private,
            &t10,
            REFUSED,
            (&secret(0x32), &secret(0xb2)),
            ("2026-05-07T03:00:00Z", "2026-05-07T04:00:00Z"),
        )
        .is_err()
    );
    announce_at(
        office,
        &private,
        &t1,
        PENDING,
        (&secret(0x70), &secret(0xe0)),
        ("2026-05-08T01:00:00Z", "2026-05-09T01:00:00Z"),
    )
    .unwrap();
    let ann_digest = second.digest().unwrap();
    let parties = [("贵阳市市场监督管理局", &org2), ("监督人-王", &wit2)];
    let derivations = json!({
        "draw_id": REDRAWN,
        "announcement_digest": ann_digest.to_hex(),
        "commitments": parties.iter().map(|(n, s)| json!({
            "party": n,
            "secret": hex::encode(s.as_bytes()),
            "commitment": commitment(REDRAWN, n, s).to_hex(),
        })).collect::<Vec<_>>(),
        "beacon_typed": null,
        "beacon_bytes": null,
        "seed": derive_seed(&ann_digest, &[*org2.as_bytes(), *wit2.as_bytes()], None).to_hex(),
    });
    std::fs::write(
        folder.path("derivations.json"),
        serde_json::to_string_pretty(&derivations).unwrap() + "\n",
    )
    .unwrap();
    voided
}

#[test]
fn the_void_vector_reproduces_byte_for_byte_and_verifies() {
    let committed = vectors().join("ceremony-void");
    let scratch = tempfile::tempdir().unwrap();
    let office = scratch.path().join("office");
    let voided = run_void(&office, &scratch.path().join("s"));
    let made = files(&office);
    if !committed.exists() {
        assert!(
            std::env::var_os("DR_BLESS_VECTORS").is_some(),
            "ceremony-void: missing: write it once with DR_BLESS_VECTORS=1, review, commit"
        );
        for (rel, bytes) in &made {
            let p = committed.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            double_random::formats::files::write_new(&p, bytes).unwrap();
        }
    }
    let kept = files(&committed);
    assert_eq!(
        kept.keys().collect::<Vec<_>>(),
        made.keys().collect::<Vec<_>>()
    );
    for (rel, bytes) in &made {
        assert!(kept[rel] == *bytes, "ceremony-void/{rel} differs");
    }
    // The new announcement cites the void's digest.
    let void_bytes = std::fs::read(committed.join(VOIDED).join("void.json")).unwrap();
    assert_eq!(
        Digest32::of(&void_bytes),
        Digest32::of(&voided.to_canonical().unwrap())
    );
    let ann: serde_json::Value = serde_json::from_slice(
        &std::fs::read(committed.join(REDRAWN).join("announcement.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(ann["supersedes"], Digest32::of(&void_bytes).to_hex());
    // publish_risk: the sheet shows each entity's stratum (SPEC §10).
    let sheet: serde_json::Value =
        serde_json::from_slice(&std::fs::read(committed.join(REDRAWN).join("sheet.json")).unwrap())
            .unwrap();
    let entities = sheet["entities"].as_array().unwrap();
    assert!(!entities.is_empty());
    assert!(entities.iter().all(|e| e["stratum"].is_string()));
    // The voided draw and the redrawn one verify with the log, which still holds P pending:
    // allowed unless the check is strict (SPEC §12.2).
    let pk = double_random::bundle::read_public_key_file(&committed.join("organizer.pub")).unwrap();
    let log = committed.join(LOG_FILE);
    for (draw_id, strict, pass) in [
        (VOIDED, false, true),
        (REDRAWN, false, true),
        (REDRAWN, true, false),
    ] {
        let v = verify_dir_with(
            &committed.join(draw_id),
            &VerifyOptions {
                public_key: Some(&pk),
                log: Some(&log),
                strict,
                tsa_certificates: &[],
            },
            &mut NoProgress,
        )
        .unwrap();
        assert_eq!(
            v.passed(),
            pass,
            "{draw_id} strict={strict}: {:#?}",
            v.report.findings
        );
    }
}

#[test]
fn key_ids_are_sixteen_digits_in_documents_and_as_minisign_prints_them_in_pub_files() {
    // SPEC §14: the key id 0x050201060200025A has a leading zero.
    let pub_file = std::fs::read_to_string(vectors().join("ceremony-void/organizer.pub")).unwrap();
    assert_eq!(
        pub_file.lines().next().unwrap(),
        "untrusted comment: minisign public key 50201060200025A"
    );
    let ann: serde_json::Value = serde_json::from_slice(
        &std::fs::read(
            vectors()
                .join("ceremony-void")
                .join(REDRAWN)
                .join("announcement.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(ann["key_id"], "050201060200025A");
    assert_eq!(key().key_id().to_string(), "050201060200025A");
    // The comment is not read: a .pub file whose comment says anything else is the same key.
    let other = pub_file.replacen("50201060200025A", "050201060200025A", 1);
    assert_eq!(
        double_random::sign::PublicKey::parse(&other).unwrap(),
        key().public_key()
    );
    let other = pub_file.replacen("minisign public key 50201060200025A", "anything", 1);
    assert_eq!(
        double_random::sign::PublicKey::parse(&other).unwrap(),
        key().public_key()
    );
    let bare = format!("\n  {} \n\n", pub_file.lines().nth(1).unwrap());
    assert_eq!(
        double_random::sign::PublicKey::parse(&bare).unwrap(),
        key().public_key()
    );
    for bad in [
        pub_file.replacen("untrusted comment: ", "untrusted comment:", 1),
        format!("{pub_file}x\n"),
    ] {
        assert!(
            double_random::sign::PublicKey::parse(&bad).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn conflicts_and_history_announced_empty_may_be_absent() {
    // SPEC §13.1 step 9: announced with 0 rows, an absent table is the empty table and the
    // replay runs; announced with rows, its absence withholds the replay (still PASS).
    for (case, draw_id, replayed) in [
        ("ceremony-lottery", "GY-2026-02-SSQ", true),
        ("ceremony-recusals", "GY-2026-03-R", false),
    ] {
        let scratch = tempfile::tempdir().unwrap();
        let office = scratch.path().join(case);
        for (rel, bytes) in files(&vectors().join(case)) {
            let p = office.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
        let dir = office.join(draw_id);
        std::fs::remove_file(dir.join("conflicts.csv")).unwrap();
        std::fs::remove_file(dir.join("history.csv")).unwrap();
        let pk =
            double_random::bundle::read_public_key_file(&office.join("organizer.pub")).unwrap();
        let log = office.join(LOG_FILE);
        let v = verify_dir_with(
            &dir,
            &VerifyOptions {
                public_key: Some(&pk),
                log: Some(&log),
                strict: true,
                tsa_certificates: &[],
            },
            &mut NoProgress,
        )
        .unwrap();
        assert!(v.passed(), "{case}: {:#?}", v.report.findings);
        assert_eq!(
            v.depth == double_random::bundle::Depth::Full,
            replayed,
            "{case}: {:?}",
            v.depth
        );
        if !replayed {
            assert_eq!(v.withheld, ["conflicts.csv", "history.csv"]);
        }
    }
}
