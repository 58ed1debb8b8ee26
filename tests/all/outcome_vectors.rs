//! The outcome-record test vector (SPEC §15, §18): `tests/vectors/outcomes-recusals/`.
//!
//! The sheet and amendments of `ceremony-recusals` (three recusals on two entities), three
//! signed outcome records exercising every check (a result for an entity never drawn, an
//! inspector not on the team after recusals, a stated deviation, a duplicate, a late result
//! across the 中秋/国庆 break and its 调休 working days, a correction chain and a stale
//! correction, an own result code, a wrong standard text), the 2026 holiday calendar, and
//! `expected.json`: the review on a fixed day, entity by entity, which the Python replayer
//! reproduces byte for byte. Written once with `DR_BLESS_VECTORS=1` when missing, reviewed
//! and committed; never rewritten.

use double_random::Digest32;
use double_random::ceremony::Timestamp;
use double_random::ceremony::amend::Amendment;
use double_random::ceremony::calendar::Calendars;
use double_random::ceremony::outcomes::{
    Correction, Deviation, DeviationCode, EntityResult, FollowUp, ItemResult, OutcomeRecord,
    Review, ReviewInputs, SignedRecord, Standing, verify_signed,
};
use double_random::ceremony::sheet::Sheet;
use double_random::ceremony::steps::sign_document;
use double_random::formats::jcs;
use double_random::model::Date;
use double_random::sign::{KeyId, PublicKey, SecretKey};
use serde_json::json;
use std::path::{Path, PathBuf};

const CASE: &str = "outcomes-recusals";
const DRAW: &str = "ceremony-recusals/GY-2026-03-R";
const TODAY: &str = "2026-11-10";

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

/// The ceremony vectors' key.
fn key() -> SecretKey {
    SecretKey::from_seed(KeyId([0x5a, 2, 0, 2, 6, 1, 2, 5]), &[42; 32])
}

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn result(entity: &str, inspectors: &[&str], code: &str, formed: &str) -> EntityResult {
    EntityResult {
        entity: entity.into(),
        items: vec![ItemResult::standard("SC-001", code).unwrap()],
        inspectors: inspectors.iter().map(|s| s.to_string()).collect(),
        deviation: None,
        follow_up: vec![],
        inspected_on: d(formed),
        formed_on: d(formed),
        corrects: None,
    }
}

/// Every file of the vector, by name, built from the draw vector's sheet and amendments.
fn build() -> Vec<(String, Vec<u8>)> {
    let draw = vectors().join(DRAW);
    let mut files: Vec<(String, Vec<u8>)> = vec![];
    for name in ["sheet.json", "organizer.pub"] {
        files.push((name.into(), read(&draw.join(name))));
    }
    let mut amendments = vec![];
    for seq in 1..=3 {
        let name = format!("amendment-{seq}.json");
        let bytes = read(&draw.join(&name));
        amendments.push(Amendment::parse(&bytes).unwrap());
        files.push((name, bytes));
    }
    files.push((
        "holidays-2026.toml".into(),
        read(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("examples/data/calendars/holidays-2026.toml"),
        ),
    ));
    let sheet = Sheet::parse(&files[0].1).unwrap();
    let key = key();
    let end = d("2026-09-30");
    let mut records: Vec<OutcomeRecord> = vec![];
    let mut publish = |records: &mut Vec<OutcomeRecord>, results, at: &str| -> Digest32 {
        let rec = OutcomeRecord::next(&sheet, &amendments, records, results, t(at), end).unwrap();
        let bytes = rec.to_canonical().unwrap();
        let name = rec.file_name();
        let sig = sign_document(&key, &sheet.draw_id, &name, &bytes).unwrap();
        files.push((format!("{name}.minisig"), sig.into_bytes()));
        files.push((name, bytes.clone()));
        records.push(rec);
        Digest32::of(&bytes)
    };
    // Record 1: the team after two recusals; an officer recused but present without a word
    // (outcome.team); a stated deviation; a result for an entity never drawn.
    let mut r1 = vec![
        result(
            "9152010269TNPAYHFL",
            &["52010000001001", "52010000001002"],
            "no_problem",
            "2026-03-10",
        ),
        result(
            "9152010394Y15CRJMP",
            &["52010000001004", "52010000001006"],
            "no_problem",
            "2026-03-10",
        ),
        result(
            "91520112798TR121E6",
            &["52010000001004", "52010000001005"],
            "undisclosed_information",
            "2026-03-12",
        ),
        result(
            "91520112U8YLM61CW6",
            &["52010000001004"],
            "no_problem",
            "2026-03-12",
        ),
        result(
            "925201033PCF4220CB",
            &["52010000001004", "52010000001005"],
            "no_problem",
            "2026-03-12",
        ),
    ];
    r1[2].follow_up = vec![FollowUp::OrderedToCorrect];
    r1[3].deviation = Some(Deviation {
        code: DeviationCode::InspectorAbsent,
        text: "52010000001000 病假，由 52010000001004 一人核查，科长复核".into(),
    });
    let first = publish(&mut records, r1, "2026-03-20T02:00:00Z");
    // Record 2: formed 2026-09-11, due 2026-10-15 (中秋, 国庆 and their 调休 days), published
    // 2026-10-16 (late); a correction of record 1; a second result without correction.
    let mut fix = result(
        "91520112798TR121E6",
        &["52010000001004", "52010000001005"],
        "corrected_on_order",
        "2026-10-12",
    );
    fix.inspected_on = d("2026-10-09");
    fix.corrects = Some(Correction {
        document: first,
        reason: "复查：已按期补报年报".into(),
    });
    let r2 = vec![
        result(
            "915201130C8K9MXL4U",
            &["52010000001000", "52010000001007"],
            "no_problem",
            "2026-09-11",
        ),
        fix.clone(),
        result(
            "915201135Q361YA23E",
            &["52010000001002", "52010000001003"],
            "refused_cooperation",
            "2026-10-09",
        ),
        result(
            "9152010269TNPAYHFL",
            &["52010000001001", "52010000001002"],
            "no_problem",
            "2026-10-09",
        ),
    ];
    publish(&mut records, r2, "2026-10-16T02:00:00Z");
    // Record 3: record 1 corrected again although record 2 holds the current result; an own
    // result code; a standard code with another text.
    let mut stale = fix;
    stale.items = vec![ItemResult::standard("SC-001", "no_problem").unwrap()];
    stale.formed_on = d("2026-10-19");
    stale.corrects = Some(Correction {
        document: first,
        reason: "再次更正".into(),
    });
    let mut own = result(
        "915201150FN46B7WPM",
        &["52010000001006", "52010000001008"],
        "no_problem",
        "2026-10-19",
    );
    own.items = vec![ItemResult {
        item: "SC-001".into(),
        result: "x-licence-expired".into(),
        text: "许可证已过期，已告知".into(),
    }];
    own.follow_up = vec![FollowUp::AbnormalList, FollowUp::Revisit];
    let mut wrong_text = result(
        "91520115LDY4WNP2HD",
        &["52010000001001", "52010000001008"],
        "no_problem",
        "2026-10-19",
    );
    wrong_text.items[0].text = "未发现问题。".into();
    publish(
        &mut records,
        vec![stale, own, wrong_text],
        "2026-10-20T02:00:00Z",
    );
    let review = review_folder(&files);
    let mut expected = jcs::to_canonical(&expected_json(&review)).unwrap();
    expected.push(b'\n');
    files.push(("expected.json".into(), expected));
    files
}

/// Reviews the records of a vector's files (the way a verifier reads the folder).
fn review_folder(files: &[(String, Vec<u8>)]) -> Review {
    let get = |n: &str| {
        files
            .iter()
            .find(|(name, _)| name == n)
            .map(|(_, b)| b.as_slice())
    };
    let sheet = Sheet::parse(get("sheet.json").unwrap()).unwrap();
    let amendments: Vec<Amendment> = (1..)
        .map_while(|s| get(&format!("amendment-{s}.json")))
        .map(|b| Amendment::parse(b).unwrap())
        .collect();
    let pk = PublicKey::parse(std::str::from_utf8(get("organizer.pub").unwrap()).unwrap()).unwrap();
    let mut cals = Calendars::default();
    cals.add_toml(
        "holidays-2026.toml",
        std::str::from_utf8(get("holidays-2026.toml").unwrap()).unwrap(),
    )
    .unwrap();
    let names: Vec<String> = (1..)
        .map(|s| format!("outcomes-{s}.json"))
        .take_while(|n| get(n).is_some())
        .collect();
    let sigs: Vec<String> = names
        .iter()
        .map(|n| String::from_utf8(get(&format!("{n}.minisig")).unwrap().to_vec()).unwrap())
        .collect();
    let signed: Vec<SignedRecord<'_>> = names
        .iter()
        .zip(&sigs)
        .map(|(n, s)| SignedRecord {
            name: n,
            bytes: get(n).unwrap(),
            signature: Some(s),
        })
        .collect();
    verify_signed(
        &pk,
        &signed,
        &ReviewInputs {
            sheet: &sheet,
            amendments: &amendments,
            records: &[],
            calendars: &cals,
            vocabulary: None,
            today: d(TODAY),
            inspections_end: None,
        },
    )
}

/// `expected.json` (SPEC §15): the review as canonical JSON.
fn expected_json(r: &Review) -> serde_json::Value {
    let findings: Vec<serde_json::Value> = r
        .findings
        .iter()
        .map(|f| {
            let fields: serde_json::Map<String, serde_json::Value> = f
                .fields()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.into()))
                .collect();
            json!({
                "code": f.code(),
                "document": f.document().filter(|d| !d.is_empty()),
                "entity": f.entity(),
                "fields": fields,
            })
        })
        .collect();
    let status: Vec<serde_json::Value> = r
        .entities
        .iter()
        .map(|s| {
            let (standing, deadline, document, published_on) = match &s.standing {
                Standing::Published {
                    document,
                    published_on,
                    deadline,
                    late,
                } => (
                    if *late { "published_late" } else { "published" },
                    *deadline,
                    Some(document.clone()),
                    Some(published_on.to_string()),
                ),
                Standing::Due { deadline } => ("due", *deadline, None, None),
                Standing::Overdue { deadline } => ("overdue", Some(*deadline), None, None),
                _ => ("unknown", None, None, None),
            };
            json!({
                "entity": s.entity.id,
                "standing": standing,
                "deadline": deadline.map(|d| d.to_string()),
                "document": document,
                "published_on": published_on,
                "results": s.result.as_ref().map(|r| r.items.iter()
                    .map(|i| json!([i.item, i.result])).collect::<Vec<_>>()),
            })
        })
        .collect();
    json!({
        "today": TODAY,
        "inspections_end": r.inspections_end.map(|d| d.to_string()),
        "completed": r.completed(),
        "findings": findings,
        "status": status,
    })
}

#[test]
fn the_outcome_vector_is_reproduced_byte_for_byte() {
    let dir = vectors().join(CASE);
    let files = build();
    if !dir.exists() {
        assert!(
            std::env::var_os("DR_BLESS_VECTORS").is_some(),
            "{} is missing: write it once with DR_BLESS_VECTORS=1, review it and commit it",
            dir.display()
        );
        std::fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in &files {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
    }
    for (name, bytes) in &files {
        assert_eq!(
            &read(&dir.join(name)),
            bytes,
            "{CASE}/{name} differs from what the library makes"
        );
    }
    // The committed folder alone gives the committed expectations.
    let committed: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(n, _)| (n.clone(), read(&dir.join(n))))
        .collect();
    let mut again = jcs::to_canonical(&expected_json(&review_folder(&committed))).unwrap();
    again.push(b'\n');
    assert_eq!(again, read(&dir.join("expected.json")));
}

#[test]
fn the_outcome_vector_shows_every_check() {
    let r = review_folder(&build());
    let codes: std::collections::BTreeSet<&str> = r.findings.iter().map(|f| f.code()).collect();
    for c in [
        "outcome.not_drawn",
        "outcome.team",
        "outcome.duplicate",
        "outcome.late",
        "outcome.correction",
        "outcome.result",
        "outcome.overdue",
    ] {
        assert!(codes.contains(c), "{c} missing from {codes:?}");
    }
    assert!(!codes.contains("outcome.signature"));
    let late: Vec<String> = r
        .findings
        .iter()
        .filter(|f| f.code() == "outcome.late")
        .map(|f| format!("{:?}", f.fields()))
        .collect();
    assert_eq!(
        late,
        [
            r#"[("formed_on", "2026-09-11"), ("deadline", "2026-10-15"), ("published_on", "2026-10-16")]"#
        ]
    );
    let current = r
        .entities
        .iter()
        .find(|s| s.entity.id == "91520112798TR121E6")
        .unwrap();
    assert_eq!(
        current.result.as_ref().unwrap().items[0].result,
        "corrected_on_order"
    );
}
