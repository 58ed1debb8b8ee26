//! Ceremony test vectors (SPEC §8–§12, §14): commitments, seed derivation, announcement,
//! sheet, amendments, signatures and the office log, byte for byte, from fixed secrets, a
//! fixed signing key and fixed times. Written once with `DR_BLESS_VECTORS=1` when missing,
//! reviewed and committed; never rewritten.

use double_random::ceremony::amend::{self, Action, Amendment, Reason, ReasonCode};
use double_random::ceremony::announce::{
    ANNOUNCEMENT_FORMAT, Announcement, InputDigests, PlanRef, VERSION,
};
use double_random::ceremony::beacon::{BeaconSpec, BeaconValue};
use double_random::ceremony::commit::{Party, Reveal, Role, Secret, commitment, derive_seed};
use double_random::ceremony::log::{self, EntryKind};
use double_random::ceremony::sheet;
use double_random::ceremony::verify::{Published, SignedDocument, trusted_comment, verify};
use double_random::digest::Digest32;
use double_random::sign::{self, KeyId, PublicKey, SecretKey};
use std::path::{Path, PathBuf};

const INPUTS: [&str; 6] = [
    "entities.csv",
    "inspectors.csv",
    "items.csv",
    "conflicts.csv",
    "history.csv",
    "plan.toml",
];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/ceremony-01")
}

fn key() -> SecretKey {
    SecretKey::from_seed(KeyId([0x5a, 1, 2, 3, 4, 5, 6, 7]), &[42; 32])
}

fn sign_doc(key: &SecretKey, draw_id: &str, file: &str, bytes: &[u8]) -> String {
    let c = trusted_comment(draw_id, file, &Digest32::of(bytes)).unwrap();
    sign::sign(key, bytes, &c.to_string(), "signature from double-random")
        .unwrap()
        .to_minisig()
}

/// Every file of the ceremony, computed from the inputs in `src`.
fn compute(src: &Path) -> Vec<(String, Vec<u8>)> {
    let loaded = double_random::bundle::load_inputs(src, None).unwrap();
    let inputs = loaded.as_draw_inputs();
    let plan = &loaded.plan;
    let key = key();
    let org = Secret::from_bytes(core::array::from_fn(|i| i as u8));
    let wit = Secret::from_bytes(core::array::from_fn(|i| 0xff - i as u8));
    let beacon_spec = BeaconSpec::External {
        description: "中国福利彩票双色球第2026023期开奖号码（红球升序、蓝球），空格分隔".into(),
        source: "https://www.cwl.gov.cn/".into(),
    };
    let beacon_value = BeaconValue::External {
        value: "02 07 11 19 24 31 09".into(),
    };
    let ann = Announcement {
        format: ANNOUNCEMENT_FORMAT.into(),
        version: VERSION.into(),
        draw_id: "GZ-2026-V-01".into(),
        plan: PlanRef::of(plan),
        inputs: InputDigests::of(&inputs).unwrap(),
        parties: vec![
            Party {
                name: "organizer".into(),
                role: Role::Organizer,
                commitment: commitment("organizer", &org),
            },
            Party {
                name: "监督人-王".into(),
                role: Role::Witness,
                commitment: commitment("监督人-王", &wit),
            },
        ],
        beacon: Some(beacon_spec),
        announced_at: "2026-02-25T01:00:00Z".parse().unwrap(),
        scheduled_at: "2026-03-01T02:00:00Z".parse().unwrap(),
        key_id: key.key_id().to_string(),
        previous: None,
    };
    let ann_bytes = ann.to_canonical().unwrap();
    let reveals = vec![
        Reveal {
            name: "organizer".into(),
            secret: Digest32(*org.as_bytes()),
        },
        Reveal {
            name: "监督人-王".into(),
            secret: Digest32(*wit.as_bytes()),
        },
    ];
    let sh = sheet::run(
        &ann,
        &reveals,
        Some(&beacon_value),
        &inputs,
        "2026-03-01T02:05:00Z".parse().unwrap(),
    )
    .unwrap();
    let sheet_bytes = sh.to_canonical().unwrap();
    let a1 = amend::amend(
        &sh,
        &[],
        Action::ReplaceEntity {
            entity: sh.entities[0].id.clone(),
        },
        Reason {
            code: ReasonCode::EntityUnreachable,
            text: "通过登记的住所无法联系".into(),
        },
        &inputs,
        "2026-03-05T03:00:00Z".parse().unwrap(),
    )
    .unwrap();
    let e = sh.entities[1].clone();
    let a2 = amend::amend(
        &sh,
        std::slice::from_ref(&a1),
        Action::ReplaceInspector {
            entity: e.id.clone(),
            inspector: e.officers[0].clone(),
        },
        Reason {
            code: ReasonCode::InspectorRecused,
            text: "检查人员申请回避：近亲属在该企业任职".into(),
        },
        &inputs,
        "2026-03-06T03:00:00Z".parse().unwrap(),
    )
    .unwrap();
    let a1_bytes = a1.to_canonical().unwrap();
    let a2_bytes = a2.to_canonical().unwrap();
    // The office log of the ceremony.
    let mut log_text = Vec::new();
    let mut last: Option<log::Entry> = None;
    for (kind, doc, time) in [
        (EntryKind::Announcement, &ann_bytes, "2026-02-25T01:00:00Z"),
        (EntryKind::Sheet, &sheet_bytes, "2026-03-01T02:05:00Z"),
        (EntryKind::Amendment, &a1_bytes, "2026-03-05T03:00:00Z"),
        (EntryKind::Amendment, &a2_bytes, "2026-03-06T03:00:00Z"),
    ] {
        let e = log::next_entry(
            last.as_ref(),
            kind,
            &ann.draw_id,
            Digest32::of(doc),
            time.parse().unwrap(),
            "",
        )
        .unwrap();
        log_text.extend(e.to_line().unwrap());
        log_text.push(b'\n');
        last = Some(e);
    }
    // Commitment and seed vectors, spelled out.
    let seed = derive_seed(
        &Digest32::of(&ann_bytes),
        &[*org.as_bytes(), *wit.as_bytes()],
        Some(b"02 07 11 19 24 31 09"),
    );
    assert_eq!(seed, sh.seed);
    let derivations = serde_json::json!({
        "commitments": [
            {"party": "organizer", "secret": hex::encode(org.as_bytes()), "commitment": commitment("organizer", &org)},
            {"party": "监督人-王", "secret": hex::encode(wit.as_bytes()), "commitment": commitment("监督人-王", &wit)},
        ],
        "seed": {"announcement": Digest32::of(&ann_bytes), "beacon_bytes_utf8": "02 07 11 19 24 31 09", "seed": seed},
        "signing_key_seed_hex": hex::encode([42u8; 32]),
    });
    let id = ann.draw_id.clone();
    let mut files = vec![
        (
            "organizer.pub".to_string(),
            key.public_key().to_minisign().into_bytes(),
        ),
        (
            "announcement.json.minisig".to_string(),
            sign_doc(&key, &id, "announcement.json", &ann_bytes).into_bytes(),
        ),
        (
            "sheet.json.minisig".to_string(),
            sign_doc(&key, &id, "sheet.json", &sheet_bytes).into_bytes(),
        ),
        (
            "amendment-1.json.minisig".to_string(),
            sign_doc(&key, &id, "amendment-1.json", &a1_bytes).into_bytes(),
        ),
        (
            "amendment-2.json.minisig".to_string(),
            sign_doc(&key, &id, "amendment-2.json", &a2_bytes).into_bytes(),
        ),
        ("announcement.json".to_string(), ann_bytes),
        ("sheet.json".to_string(), sheet_bytes),
        ("amendment-1.json".to_string(), a1_bytes),
        ("amendment-2.json".to_string(), a2_bytes),
        ("office.log".to_string(), log_text),
        (
            "derivations.json".to_string(),
            (serde_json::to_string_pretty(&derivations).unwrap() + "\n").into_bytes(),
        ),
    ];
    files.sort();
    files
}

#[test]
fn the_ceremony_vector_reproduces_byte_for_byte_and_verifies() {
    let d = dir();
    let src =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/05-joint-three-departments");
    if !d.join("sheet.json").exists() {
        assert!(
            std::env::var_os("DR_BLESS_VECTORS").is_some(),
            "ceremony vector missing: write it once with DR_BLESS_VECTORS=1, review, commit"
        );
        std::fs::create_dir_all(&d).unwrap();
        for n in INPUTS {
            std::fs::copy(src.join(n), d.join(n)).unwrap();
        }
        for (name, bytes) in compute(&d) {
            double_random::formats::files::write_new(d.join(name), &bytes).unwrap();
        }
    }
    for (name, bytes) in compute(&d) {
        let committed = std::fs::read(d.join(&name)).unwrap();
        assert!(
            committed == bytes,
            "{name} differs from the committed vector"
        );
    }
    // And the published set verifies, fully replayed.
    let read = |n: &str| std::fs::read(d.join(n)).unwrap();
    let text = |n: &str| String::from_utf8(read(n)).unwrap();
    let pk = PublicKey::parse(&text("organizer.pub")).unwrap();
    let (ann, ann_sig, sh, sh_sig) = (
        read("announcement.json"),
        text("announcement.json.minisig"),
        read("sheet.json"),
        text("sheet.json.minisig"),
    );
    let (a1, a1s, a2, a2s) = (
        read("amendment-1.json"),
        text("amendment-1.json.minisig"),
        read("amendment-2.json"),
        text("amendment-2.json.minisig"),
    );
    let loaded = double_random::bundle::load_inputs(&d, None).unwrap();
    let inputs = loaded.as_draw_inputs();
    let published = Published {
        public_key: &pk,
        announcement: SignedDocument {
            name: "announcement.json",
            bytes: &ann,
            signature: &ann_sig,
        },
        sheet: SignedDocument {
            name: "sheet.json",
            bytes: &sh,
            signature: &sh_sig,
        },
        amendments: vec![
            SignedDocument {
                name: "amendment-1.json",
                bytes: &a1,
                signature: &a1s,
            },
            SignedDocument {
                name: "amendment-2.json",
                bytes: &a2,
                signature: &a2s,
            },
        ],
    };
    let report = verify(&published, None, Some(&inputs));
    assert!(report.passed(), "{:#?}", report.findings);
    assert!(log::check(&read("office.log"), false).is_ok());
    let _ = Amendment::parse(&a2).unwrap();
}
