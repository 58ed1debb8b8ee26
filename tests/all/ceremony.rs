//! The whole ceremony in memory: announce, draw, sign, verify, amend, and every failure
//! class the verifier must catch.

use double_random::Digest32;
use double_random::ceremony::amend::{self, Action, Amendment, Reason, ReasonCode};
use double_random::ceremony::announce::{
    ANNOUNCEMENT_FORMAT, Announcement, InputDigests, PlanRef, VERSION,
};
use double_random::ceremony::beacon::{BeaconSpec, BeaconValue};
use double_random::ceremony::commit::{Party, Reveal, Role, Secret, commitment};
use double_random::ceremony::groups::GroupSpec;
use double_random::ceremony::log::Position;
use double_random::ceremony::sheet::{self, Sheet};
use double_random::ceremony::verify::{
    Check, Finding, Part, Published, Report, SignedDocument, trusted_comment, verify,
};
use double_random::draw::{self, OwnedInputs};
use double_random::sign::{self, PublicKey, SecretKey};

struct Ceremony {
    inputs: OwnedInputs,
    key: SecretKey,
    public: PublicKey,
    ann: Vec<u8>,
    ann_sig: String,
    sheet: Vec<u8>,
    sheet_sig: String,
    amendments: Vec<(Vec<u8>, String)>,
}

fn sign_doc(key: &SecretKey, draw_id: &str, file: &str, bytes: &[u8]) -> String {
    let c = trusted_comment(draw_id, file, &Digest32::of(bytes)).unwrap();
    sign::sign(key, bytes, &c.to_string(), "double-random signature")
        .unwrap()
        .to_minisig()
}

const DRAW_ID: &str = "GZ-2026-01-T01-1";

/// Times around quicknet's round 1 (public at 2023-08-23T15:09:27Z), so that one announcement
/// may name it: announced more than the margin before, drawn after.
const ANNOUNCED_AT: &str = "2023-08-23T15:00:00Z";
const SCHEDULED_AT: &str = "2023-08-23T15:10:00Z";
const AMENDED_AT: &str = "2023-08-24T02:00:00Z";

/// A log position: `seq`, chained to some earlier line.
fn position(seq: u64) -> Position {
    Position {
        seq,
        prev: Some(Digest32([seq as u8; 32])),
    }
}

fn secrets() -> (Secret, Secret) {
    (Secret::from_bytes([11; 32]), Secret::from_bytes([22; 32]))
}

fn announcement(inputs: &OwnedInputs, key: &SecretKey, beacon: Option<BeaconSpec>) -> Announcement {
    let (org, wit) = secrets();
    Announcement {
        format: ANNOUNCEMENT_FORMAT.into(),
        version: VERSION.into(),
        draw_id: DRAW_ID.into(),
        plan: PlanRef::of(&inputs.plan),
        inputs: InputDigests::of(&inputs.as_inputs()).unwrap(),
        parties: vec![
            Party {
                name: "organizer".into(),
                role: Role::Organizer,
                commitment: commitment(DRAW_ID, "organizer", &org),
            },
            Party {
                name: "纪检监督员".into(),
                role: Role::Witness,
                commitment: commitment(DRAW_ID, "纪检监督员", &wit),
            },
        ],
        beacon,
        announced_at: ANNOUNCED_AT.parse().unwrap(),
        scheduled_at: SCHEDULED_AT.parse().unwrap(),
        key_id: key.key_id().to_string(),
        log: Position { seq: 1, prev: None },
        supersedes: None,
    }
}

fn reveals() -> Vec<Reveal> {
    let (org, wit) = secrets();
    vec![
        Reveal {
            name: "organizer".into(),
            secret: Digest32(*org.as_bytes()),
        },
        Reveal {
            name: "纪检监督员".into(),
            secret: Digest32(*wit.as_bytes()),
        },
    ]
}

fn ceremony_with(inputs: OwnedInputs, beacon: Option<(BeaconSpec, BeaconValue)>) -> Ceremony {
    let key = SecretKey::generate().unwrap();
    let public = key.public_key();
    let (spec, value) = beacon.map_or((None, None), |(s, v)| (Some(s), Some(v)));
    let ann = announcement(&inputs, &key, spec);
    let ann_bytes = ann.to_canonical().unwrap();
    let ann_sig = sign_doc(&key, &ann.draw_id, "announcement.json", &ann_bytes);
    let sheet = sheet::run(
        &ann,
        &reveals(),
        value.as_ref(),
        &inputs.as_inputs(),
        SCHEDULED_AT.parse().unwrap(),
        position(2),
    )
    .unwrap();
    let sheet_bytes = sheet.to_canonical().unwrap();
    let sheet_sig = sign_doc(&key, &ann.draw_id, "sheet.json", &sheet_bytes);
    Ceremony {
        inputs,
        key,
        public,
        ann: ann_bytes,
        ann_sig,
        sheet: sheet_bytes,
        sheet_sig,
        amendments: vec![],
    }
}

fn ceremony() -> Ceremony {
    ceremony_with(draw::example_inputs(), None)
}

impl Ceremony {
    fn verify_with(&self, inputs: &OwnedInputs) -> Report {
        let published = Published {
            public_key: &self.public,
            announcement: SignedDocument {
                name: "announcement.json",
                bytes: &self.ann,
                signature: &self.ann_sig,
            },
            sheet: SignedDocument {
                name: "sheet.json",
                bytes: &self.sheet,
                signature: &self.sheet_sig,
            },
            amendments: self
                .amendments
                .iter()
                .enumerate()
                .map(|(i, (b, s))| SignedDocument {
                    name: if i == 0 {
                        "amendment-1.json"
                    } else {
                        "amendment-n.json"
                    },
                    bytes: b,
                    signature: s,
                })
                .collect(),
        };
        verify(&published, None, Some(&inputs.as_inputs()))
    }

    fn verify(&self) -> Report {
        self.verify_with(&self.inputs)
    }

    fn sheet(&self) -> Sheet {
        Sheet::parse(&self.sheet).unwrap()
    }

    fn resign_sheet(&mut self, sheet: &Sheet) {
        self.sheet = sheet.to_canonical().unwrap();
        self.sheet_sig = sign_doc(&self.key, &sheet.draw_id, "sheet.json", &self.sheet);
    }

    fn add_amendment(&mut self, action: Action, code: ReasonCode) -> Amendment {
        let sheet = self.sheet();
        let previous: Vec<Amendment> = self
            .amendments
            .iter()
            .map(|(b, _)| Amendment::parse(b).unwrap())
            .collect();
        let a = amend::amend(
            &sheet,
            &previous,
            action,
            Reason {
                code,
                text: "现场核查".into(),
            },
            &self.inputs.as_inputs(),
            AMENDED_AT.parse().unwrap(),
            position(3 + previous.len() as u64),
        )
        .unwrap();
        let bytes = a.to_canonical().unwrap();
        let sig = sign_doc(&self.key, &a.draw_id, "amendment.json", &bytes);
        self.amendments.push((bytes, sig));
        a
    }
}

#[test]
fn an_honest_ceremony_passes() {
    let c = ceremony();
    let r = c.verify();
    assert!(r.passed(), "{:#?}", r.findings);
    assert!(r.checked.contains(&Check::Replay));
}

#[test]
fn reordered_roster_rows_still_pass() {
    let c = ceremony();
    let mut shuffled = c.inputs.clone();
    shuffled.entities.reverse();
    shuffled.inspectors.rotate_left(2);
    let r = c.verify_with(&shuffled);
    assert!(r.passed(), "{:#?}", r.findings);
}

#[test]
fn an_edited_roster_row_is_caught() {
    let c = ceremony();
    let mut edited = c.inputs.clone();
    edited.entities[5].name.push('X');
    let r = c.verify_with(&edited);
    assert!(
        r.findings
            .iter()
            .any(|f| matches!(f, Finding::InputChanged { input, .. } if input == "entities")),
        "{:#?}",
        r.findings
    );
}

#[test]
fn an_edited_sheet_field_is_caught_even_if_re_signed() {
    let mut c = ceremony();
    // Unsigned edit: the signature fails.
    let mut tampered = c.sheet.clone();
    let pos = tampered.windows(4).position(|w| w == b"X00").unwrap_or(100);
    tampered[pos + 3] ^= 1;
    let saved = std::mem::replace(&mut c.sheet, tampered);
    assert!(
        c.verify()
            .findings
            .iter()
            .any(|f| matches!(f, Finding::Signature { .. } | Finding::Unreadable { .. }))
    );
    c.sheet = saved;
    // Re-signed edit of a team: the replay names the entity and the field.
    let mut s = c.sheet();
    let victim = s.entities[0].id.clone();
    s.entities[0].officers.reverse();
    c.resign_sheet(&s);
    let r = c.verify();
    assert!(
        r.findings.iter().any(|f| matches!(f,
            Finding::EntityField { id, field: "officers", .. } if *id == victim)),
        "{:#?}",
        r.findings
    );
}

#[test]
fn entities_dropped_added_repeated_or_reordered_on_a_re_signed_sheet_are_named() {
    let mut c = ceremony();
    let honest = c.sheet();
    assert!(honest.entities.len() >= 4);
    let ids: Vec<String> = honest.entities.iter().map(|e| e.id.clone()).collect();

    // One dropped, one replaced by an entity that was not drawn.
    let mut s = honest.clone();
    s.entities.remove(0);
    let mut stranger = s.entities[0].clone();
    stranger.id = "91520102MA6DZZZZ0X".into();
    s.entities[0] = stranger;
    c.resign_sheet(&s);
    let f = c.verify().findings;
    assert!(
        f.iter()
            .any(|f| matches!(f, Finding::EntityMissing { id } if *id == ids[0])),
        "{f:#?}"
    );
    assert!(
        f.iter()
            .any(|f| matches!(f, Finding::EntityMissing { id } if *id == ids[1])),
        "{f:#?}"
    );
    assert!(
        f.iter()
            .any(|f| matches!(f, Finding::EntityExtra { id } if id == "91520102MA6DZZZZ0X")),
        "{f:#?}"
    );
    // The rows that are still right are not named.
    assert!(!f.iter().any(|f| matches!(f,
        Finding::EntityMissing { id } | Finding::EntityExtra { id } if *id == ids[2])));

    // One listed twice, its second row edited: the first row is the one compared.
    let mut s = honest.clone();
    let mut again = s.entities[1].clone();
    again.name.push('X');
    s.entities.push(again);
    c.resign_sheet(&s);
    let f = c.verify().findings;
    assert!(
        !f.iter().any(|f| matches!(f, Finding::EntityField { .. })),
        "{f:#?}"
    );
    assert!(
        f.iter().any(|f| matches!(f, Finding::Differs { .. })),
        "{f:#?}"
    );

    // Every row right but the order changed.
    let mut s = honest.clone();
    s.entities.swap(0, 1);
    c.resign_sheet(&s);
    let f = c.verify().findings;
    assert!(
        f.iter().any(|f| matches!(
            f,
            Finding::Differs {
                part: Part::EntityOrder,
                ..
            }
        )),
        "{f:#?}"
    );
}

#[test]
fn a_wrong_secret_is_caught() {
    let mut c = ceremony();
    let mut s = c.sheet();
    s.reveals[1].secret = Digest32([23; 32]);
    c.resign_sheet(&s);
    let r = c.verify();
    assert!(
        r.findings
            .iter()
            .any(|f| matches!(f, Finding::SeedInputs { error } if error.to_string().contains("纪检监督员"))),
        "{:#?}",
        r.findings
    );
}

#[test]
fn a_signature_by_another_key_is_caught() {
    let mut c = ceremony();
    let other = SecretKey::generate().unwrap();
    c.sheet_sig = sign_doc(&other, DRAW_ID, "sheet.json", &c.sheet);
    let r = c.verify();
    assert!(
        r.findings
            .iter()
            .any(|f| matches!(f, Finding::Signature { document, .. } if document == "sheet.json")),
        "{:#?}",
        r.findings
    );
}

#[test]
fn an_announcement_changed_after_the_draw_is_caught() {
    let mut c = ceremony();
    let mut a = Announcement::parse(&c.ann).unwrap();
    a.scheduled_at = "2023-08-23T15:05:00Z".parse().unwrap();
    c.ann = a.to_canonical().unwrap();
    c.ann_sig = sign_doc(&c.key, &a.draw_id, "announcement.json", &c.ann);
    let r = c.verify();
    assert!(
        r.findings.iter().any(|f| matches!(
            f,
            Finding::Cites {
                field: "announcement",
                ..
            }
        )),
        "{:#?}",
        r.findings
    );
}

fn quicknet_round_1() -> (BeaconSpec, BeaconValue) {
    use double_random::ceremony::beacon::{DRAND_QUICKNET, HexBytes};
    let sig = hex::decode("b55e7cb2d5c613ee0b2e28d6750aabbb78c39dcc96bd9d38c2c2e12198df95571de8e8e402a0cc48871c7089a2b3af4b").unwrap();
    let rnd =
        hex::decode("1466a6cd24e327188770752f6134001c64d6efcc590ccc26b721611ad96f165a").unwrap();
    (
        DRAND_QUICKNET.spec(1),
        BeaconValue::Drand {
            round: 1,
            signature: HexBytes(sig),
            previous_signature: None,
            randomness: double_random::Digest32(rnd.try_into().unwrap()),
        },
    )
}

#[test]
fn a_drand_beacon_is_verified_and_a_wrong_value_caught() {
    let mut c = ceremony_with(draw::example_inputs(), Some(quicknet_round_1()));
    let r = c.verify();
    assert!(r.passed(), "{:#?}", r.findings);
    let mut s = c.sheet();
    if let Some(BeaconValue::Drand { signature, .. }) = &mut s.beacon {
        signature.0[10] ^= 0x40;
    }
    c.resign_sheet(&s);
    let r = c.verify();
    assert!(
        r.findings.iter().any(
            |f| matches!(f, Finding::SeedInputs { error } if error.code().starts_with("beacon."))
        ),
        "{:#?}",
        r.findings
    );
}

#[test]
fn a_wrong_external_beacon_value_changes_the_seed() {
    let spec = BeaconSpec::External {
        description: "福利彩票双色球 2023098 期开奖号码".into(),
        source: "https://www.cwl.gov.cn/".into(),
        published_at: "2023-08-23T15:09:00Z".parse().unwrap(),
        groups: GroupSpec::shuangseqiu(),
    };
    let value = BeaconValue::External {
        groups: vec![vec![3, 9, 14, 21, 26, 31], vec![7]],
    };
    let mut c = ceremony_with(draw::example_inputs(), Some((spec, value)));
    assert!(c.verify().passed());
    let mut s = c.sheet();
    s.beacon = Some(BeaconValue::External {
        groups: vec![vec![3, 9, 14, 21, 26, 31], vec![8]],
    });
    c.resign_sheet(&s);
    assert!(
        c.verify()
            .findings
            .iter()
            .any(|f| matches!(f, Finding::Seed { .. }))
    );
}

#[test]
fn amendments_replay_and_tampering_is_caught() {
    let mut c = ceremony();
    let sheet = c.sheet();
    let first = sheet.entities[0].id.clone();
    let a1 = c.add_amendment(
        Action::ReplaceEntity {
            entity: first.clone(),
        },
        ReasonCode::EntityUnreachable,
    );
    let amend::Outcome::ReplaceEntity { entity: new } = &a1.outcome else {
        panic!("wrong outcome")
    };
    assert!(!sheet.entities.iter().any(|e| e.id == new.id));
    assert_eq!(new.officers.len(), 2);
    let e2 = sheet.entities[1].clone();
    let a2 = c.add_amendment(
        Action::ReplaceInspector {
            entity: e2.id.clone(),
            inspector: e2.officers[0].clone(),
        },
        ReasonCode::InspectorRecused,
    );
    let amend::Outcome::ReplaceInspector { inspector } = &a2.outcome else {
        panic!("wrong outcome")
    };
    assert!(!e2.officers.contains(inspector));
    assert_eq!(a2.previous, Some(a1.digest().unwrap()));
    let r = c.verify();
    assert!(r.passed(), "{:#?}", r.findings);

    // A forged outcome, properly signed, is caught by the replay.
    let mut forged = a2.clone();
    forged.outcome = amend::Outcome::ReplaceInspector {
        inspector: e2.officers[1].clone(),
    };
    let bytes = forged.to_canonical().unwrap();
    c.amendments[1] = (
        bytes.clone(),
        sign_doc(&c.key, &forged.draw_id, "amendment.json", &bytes),
    );
    let r = c.verify();
    assert!(
        r.findings.iter().any(|f| matches!(
            f,
            Finding::Differs {
                part: Part::Outcome,
                ..
            }
        )),
        "{:#?}",
        r.findings
    );
}

#[test]
fn the_next_replacement_is_fixed_in_advance() {
    // Whichever entity of a stratum is replaced, the replacement is the same: the next pick.
    let c = ceremony();
    let sheet = c.sheet();
    let in_b: Vec<_> = sheet
        .entities
        .iter()
        .filter(|e| {
            c.inputs
                .entities
                .iter()
                .any(|x| x.id == e.id && x.risk == Some(double_random::model::RiskClass::B))
        })
        .collect();
    assert!(in_b.len() >= 2);
    let replacement = |victim: &str| {
        let a = amend::amend(
            &sheet,
            &[],
            Action::ReplaceEntity {
                entity: victim.to_string(),
            },
            Reason {
                code: ReasonCode::EntityClosed,
                text: String::new(),
            },
            &c.inputs.as_inputs(),
            AMENDED_AT.parse().unwrap(),
            position(3),
        )
        .unwrap();
        match a.outcome {
            amend::Outcome::ReplaceEntity { entity } => entity.id,
            _ => unreachable!(),
        }
    };
    assert_eq!(replacement(&in_b[0].id), replacement(&in_b[1].id));
}
