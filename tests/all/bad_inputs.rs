//! The bad-input catalogue: every directory `tests/bad_inputs/<NN-name>/` holds a broken file
//! or file set and `expect.toml`, naming the input kind, the expected error (its variant, and
//! for a nested error `Outer/Inner`) and where it is (file, line, field). Each case goes through
//! the library as a user's files would; the error must be the one expected, at the place
//! expected, and nothing may panic.
//!
//! Plain-text cases (and hostile .xlsx workbooks) are written by `tests/bad_inputs/make_cases.py`; the signed ones (logs,
//! signatures, verification) by `DR_WRITE_BAD_INPUTS=1 cargo test --test all bad_inputs::`.

use double_random::Digest32;
use double_random::ceremony::announce::Announcement;
use double_random::ceremony::log::{self, EntryKind, Task, next_entry};
use double_random::ceremony::sheet::Sheet;
use double_random::draw;
use double_random::formats::plan_toml;
use double_random::fuzzing::{self, Fixture, InputFiles};
use double_random::sign::{self, KeyId, PublicKey, SecretKey, Signature};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// roster | plan | draw | log | signature | secret_key | verify
    input: String,
    /// The error variant; `Outer/Inner` for a wrapped one; empty: any error.
    error: String,
    file: Option<String>,
    table: Option<String>,
    line: Option<u64>,
    field: Option<String>,
    /// Verification: the document the finding names.
    document: Option<String>,
    /// Verification: replay with the inputs (the case's files, else test vector 01's).
    #[serde(default)]
    inputs: bool,
    /// Substrings of the message.
    #[serde(default)]
    contains: Vec<String>,
    /// The marker `@@` in the input file is replaced by `expand_times` copies of this.
    expand_with: Option<String>,
    expand_times: Option<usize>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `Code(BadCheck { .. })` → `Code/BadCheck`.
fn variant(debug: &str) -> String {
    let mut out = Vec::new();
    let mut rest = debug;
    loop {
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        rest = &rest[name.len()..];
        out.push(name);
        match rest.strip_prefix('(') {
            Some(r) if r.starts_with(|c: char| c.is_ascii_uppercase()) => rest = r,
            _ => break,
        }
    }
    out.join("/")
}

/// One error found, in a common shape.
#[derive(Debug)]
struct Found {
    variant: String,
    file: Option<String>,
    line: Option<u64>,
    field: Option<String>,
    message: String,
}

fn read_file(dir: &Path, name: &str, e: &Expect) -> Vec<u8> {
    let mut bytes = std::fs::read(dir.join(name))
        .or_else(|_| std::fs::read(root().join("tests/vectors/01-small-undirected").join(name)))
        .unwrap_or_else(|err| panic!("{}: {name}: {err}", dir.display()));
    if let (Some(with), Some(times)) = (&e.expand_with, e.expand_times) {
        let text = String::from_utf8(bytes).unwrap();
        bytes = text.replacen("@@", &with.repeat(times), 1).into_bytes();
    }
    bytes
}

fn text(dir: &Path, name: &str, e: &Expect) -> String {
    String::from_utf8(read_file(dir, name, e)).unwrap()
}

fn inputs(dir: &Path, e: &Expect) -> Result<draw::OwnedInputs, String> {
    let f = |n: &str| read_file(dir, n, e);
    let (a, b, c, d, h, p) = (
        f("entities.csv"),
        f("inspectors.csv"),
        f("items.csv"),
        f("conflicts.csv"),
        f("history.csv"),
        f("plan.toml"),
    );
    fuzzing::read_inputs(&InputFiles {
        entities: &a,
        inspectors: &b,
        items: &c,
        conflicts: &d,
        history: &h,
        plan: &p,
    })
}

fn run_case(dir: &Path, e: &Expect) -> Vec<Found> {
    match e.input.as_str() {
        "roster" => {
            let file = e.file.as_deref().unwrap();
            let table = ["entities", "inspectors", "items", "conflicts", "history"]
                .iter()
                .position(|t| Some(*t) == e.table.as_deref())
                .expect("table");
            use double_random::formats::roster_csv as r;
            use double_random::formats::xlsx as x;
            let path = dir.join(file);
            let is_xlsx = file.ends_with(".xlsx");
            let bytes = if is_xlsx {
                vec![]
            } else {
                read_file(dir, file, e)
            };
            let res = match table {
                0 if is_xlsx => x::read_entities_xlsx(&path).map(|_| ()),
                1 if is_xlsx => x::read_inspectors_xlsx(&path).map(|_| ()),
                2 if is_xlsx => x::read_items_xlsx(&path).map(|_| ()),
                3 if is_xlsx => x::read_conflicts_xlsx(&path).map(|_| ()),
                _ if is_xlsx => x::read_history_xlsx(&path).map(|_| ()),
                0 => r::read_entities(file, &bytes[..]).map(|_| ()),
                1 => r::read_inspectors(file, &bytes[..]).map(|_| ()),
                2 => r::read_items(file, &bytes[..]).map(|_| ()),
                3 => r::read_conflicts(file, &bytes[..]).map(|_| ()),
                _ => r::read_history(file, &bytes[..]).map(|_| ()),
            };
            res.err()
                .map(|errs| {
                    errs.errors
                        .iter()
                        .map(|x| Found {
                            variant: variant(&format!("{:?}", x.kind)),
                            file: Some(x.file.clone()),
                            line: Some(x.line),
                            field: x.field.as_ref().map(|f| f.name.to_string()),
                            message: x.to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default()
        }
        "plan" => {
            let t = text(dir, "plan.toml", e);
            match plan_toml::read_plan("plan.toml", &t) {
                Ok(_) => vec![],
                Err(errs) => errs
                    .errors
                    .iter()
                    .map(|x| Found {
                        variant: variant(&format!("{:?}", x.kind)),
                        file: Some(x.file.clone()),
                        line: Some(x.line),
                        field: Some(x.field.clone()),
                        message: x.to_string(),
                    })
                    .collect(),
            }
        }
        "draw" => {
            let inputs = inputs(dir, e).unwrap_or_else(|err| panic!("inputs: {err}"));
            match draw::run(&inputs.as_inputs(), &Digest32([5; 32])) {
                Ok(_) => vec![],
                Err(x) => vec![Found {
                    variant: variant(&format!("{x:?}")),
                    file: None,
                    line: None,
                    field: None,
                    message: x.to_string(),
                }],
            }
        }
        "log" => log::check(&read_file(dir, "office.log", e), true)
            .findings
            .iter()
            .map(|x| {
                let d = format!("{x:?}");
                let line = d
                    .split_once("line: ")
                    .and_then(|(_, r)| r.split(|c: char| !c.is_ascii_digit()).next())
                    .and_then(|n| n.parse().ok());
                Found {
                    variant: variant(&d),
                    file: Some("office.log".into()),
                    line,
                    field: None,
                    message: x.to_string(),
                }
            })
            .collect(),
        "signature" => {
            let err = |x: sign::SignError| {
                let d = format!("{x:?}");
                vec![Found {
                    variant: variant(&d),
                    file: None,
                    line: d
                        .split_once("line: ")
                        .and_then(|(_, r)| r.split(|c: char| !c.is_ascii_digit()).next())
                        .and_then(|n| n.parse().ok()),
                    field: None,
                    message: x.to_string(),
                }]
            };
            let pk = match PublicKey::parse(&text(dir, "key.pub", e)) {
                Ok(k) => k,
                Err(x) => return err(x),
            };
            let sig = match Signature::parse(&text(dir, "sheet.json.minisig", e)) {
                Ok(s) => s,
                Err(x) => return err(x),
            };
            match sign::verify(&pk, &read_file(dir, "sheet.json", e), &sig) {
                Ok(_) => vec![],
                Err(x) => err(x),
            }
        }
        "secret_key" => match SecretKey::parse(&text(dir, "key.sec", e)) {
            Ok(_) => vec![],
            Err(x) => vec![Found {
                variant: variant(&format!("{x:?}")),
                file: None,
                line: None,
                field: None,
                message: x.to_string(),
            }],
        },
        "verify" => {
            let key = fuzzing::fixed_key();
            let fx = Fixture {
                public: PublicKey::parse(&text(dir, "key.pub", e)).unwrap(),
                key,
                inputs: inputs(&root().join("tests/vectors/01-small-undirected"), e).unwrap(),
                ann: vec![],
                ann_sig: String::new(),
                sheet: vec![],
                sheet_sig: String::new(),
                amendment: vec![],
                amendment_sig: String::new(),
            };
            let replay = if e.inputs {
                Some(inputs(dir, e).unwrap())
            } else {
                None
            };
            fx.verify(
                &read_file(dir, "announcement.json", e),
                &text(dir, "announcement.json.minisig", e),
                &read_file(dir, "sheet.json", e),
                &text(dir, "sheet.json.minisig", e),
                replay.as_ref(),
            )
            .findings
            .iter()
            .map(|x| {
                let d = format!("{x:?}");
                Found {
                    variant: variant(&d),
                    file: d
                        .split_once("document: \"")
                        .and_then(|(_, r)| r.split('"').next())
                        .map(str::to_string),
                    line: None,
                    field: None,
                    message: x.to_string(),
                }
            })
            .collect()
        }
        other => panic!("unknown input kind {other}"),
    }
}

fn matches(e: &Expect, f: &Found) -> bool {
    (e.error.is_empty() || f.variant == e.error)
        && (e.input != "verify" || e.document.is_none() || f.file == e.document)
        && (e.file.is_none() || e.input == "verify" || f.file == e.file)
        && (e.line.is_none() || f.line == e.line)
        && (e.field.is_none() || f.field == e.field)
        && e.contains.iter().all(|c| f.message.contains(c.as_str()))
}

#[test]
fn every_case_gives_its_error_at_its_place() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("tests/bad_inputs"))
        .unwrap()
        .map(|d| d.unwrap().path())
        .filter(|p| p.join("expect.toml").exists())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 40, "only {} cases", dirs.len());
    let mut wrong = Vec::new();
    for dir in &dirs {
        let e: Expect = toml::from_str(&std::fs::read_to_string(dir.join("expect.toml")).unwrap())
            .unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
        let Ok(found) = std::panic::catch_unwind(|| run_case(dir, &e)) else {
            wrong.push(format!("{}: panicked", dir.display()));
            continue;
        };
        if !found.iter().any(|f| matches(&e, f)) {
            wrong.push(format!(
                "{}: expected {e:?}\n  found {found:#?}",
                dir.file_name().unwrap().to_string_lossy()
            ));
        }
        // Where the input has a file and line, the message says them.
        for f in found.iter().filter(|f| matches(&e, f)) {
            if let (Some(file), Some(line)) = (&f.file, f.line)
                && line > 0
                && e.input != "verify"
            {
                assert!(
                    f.message.starts_with(&format!("{file}:{line}"))
                        || f.message.contains(&format!("line {line}")),
                    "{}: the message does not name the place: {}",
                    dir.display(),
                    f.message
                );
            }
        }
    }
    println!("bad inputs: {} cases", dirs.len());
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

// ---- the generated (signed) cases ---------------------------------------------------------

fn write_case(name: &str, files: &[(&str, &[u8])], expect: &str) {
    let dir = root().join("tests/bad_inputs").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(".generated"), b"").unwrap();
    for (f, b) in files {
        std::fs::write(dir.join(f), b).unwrap();
    }
    std::fs::write(dir.join("expect.toml"), expect).unwrap();
}

fn task(draw: &str) -> Task {
    Task {
        plan_id: "P2026".into(),
        task_id: format!("T-{draw}"),
        batch: "1".into(),
    }
}

fn log_lines(n: usize) -> Vec<Vec<u8>> {
    let t = |s: &str| s.parse().unwrap();
    let mut out: Vec<Vec<u8>> = Vec::new();
    for (i, (kind, draw)) in [
        (EntryKind::Announcement, "D1"),
        (EntryKind::Sheet, "D1"),
        (EntryKind::Announcement, "D2"),
        (EntryKind::Sheet, "D2"),
    ]
    .into_iter()
    .take(n)
    .enumerate()
    {
        let e = next_entry(
            &log::check(&join(&out), false),
            kind,
            draw,
            Digest32([i as u8; 32]),
            &task(draw),
            t("2026-03-01T01:00:00Z"),
        );
        out.push(e.to_line().unwrap());
    }
    out
}

fn join(lines: &[Vec<u8>]) -> Vec<u8> {
    lines
        .iter()
        .flat_map(|l| [l.as_slice(), b"\n"].concat())
        .collect()
}

#[test]
fn write_generated_cases() {
    if std::env::var_os("DR_WRITE_BAD_INPUTS").is_none() {
        return;
    }
    // Logs.
    let lines = log_lines(4);
    let gap = join(&[lines[0].clone(), lines[2].clone(), lines[3].clone()]);
    write_case(
        "41-log-gap",
        &[("office.log", &gap)],
        "input = \"log\"\nerror = \"Gap\"\nline = 2\n",
    );
    let fork_line = next_entry(
        &log::check(&join(&lines[..1]), false),
        EntryKind::Void,
        "D1",
        Digest32([9; 32]),
        &task("D1"),
        "2026-03-01T01:00:00Z".parse().unwrap(),
    )
    .to_line()
    .unwrap();
    let fork = join(&[lines[0].clone(), lines[1].clone(), fork_line]);
    write_case(
        "42-log-fork",
        &[("office.log", &fork)],
        "input = \"log\"\nerror = \"Fork\"\nline = 3\n",
    );
    let mut rewritten = lines.clone();
    let mut e: log::Entry = serde_json::from_slice(&rewritten[1]).unwrap();
    e.document = Digest32([0xEE; 32]);
    rewritten[1] = e.to_line().unwrap();
    write_case(
        "43-log-rewritten-entry",
        &[("office.log", &join(&rewritten))],
        "input = \"log\"\nerror = \"BrokenChain\"\nline = 3\n",
    );
    let mut unterminated = join(&lines);
    unterminated.pop();
    write_case(
        "44-log-unterminated",
        &[("office.log", &unterminated)],
        "input = \"log\"\nerror = \"Unterminated\"\n",
    );
    let mut spaced = lines.clone();
    spaced[2] = String::from_utf8(spaced[2].clone())
        .unwrap()
        .replacen(",", ", ", 1)
        .into_bytes();
    write_case(
        "45-log-line-not-canonical",
        &[("office.log", &join(&spaced))],
        "input = \"log\"\nerror = \"BadLine\"\nline = 3\n",
    );

    // Signatures, against the fixture's sheet.
    let v =
        |n: &str| std::fs::read(root().join("tests/vectors/01-small-undirected").join(n)).unwrap();
    let fx = Fixture::new(
        fuzzing::read_inputs(&InputFiles {
            entities: &v("entities.csv"),
            inspectors: &v("inspectors.csv"),
            items: &v("items.csv"),
            conflicts: &v("conflicts.csv"),
            history: &v("history.csv"),
            plan: &v("plan.toml"),
        })
        .unwrap(),
    )
    .unwrap();
    let pk = fx.public.to_minisign();
    let other = SecretKey::from_seed(KeyId(*b"otherkey"), &[9; 32]);
    let sig_case = |name: &str, sig: &str, key: &str, expect: &str| {
        write_case(
            name,
            &[
                ("sheet.json", &fx.sheet),
                ("sheet.json.minisig", sig.as_bytes()),
                ("key.pub", key.as_bytes()),
            ],
            &format!("input = \"signature\"\n{expect}"),
        );
    };
    let truncated: String = fx
        .sheet_sig
        .lines()
        .take(3)
        .map(|l| format!("{l}\n"))
        .collect();
    sig_case(
        "46-signature-truncated",
        &truncated,
        &pk,
        "error = \"MissingLine\"\nline = 4\n",
    );
    let foreign =
        fuzzing::sign_document(&other, fuzzing::DRAW_ID, "sheet.json", &fx.sheet).unwrap();
    sig_case(
        "47-signature-by-a-foreign-key",
        &foreign,
        &pk,
        "error = \"KeyIdMismatch\"\ncontains = [\"79656B726568746F\"]\n",
    );
    // A public key claiming the signer's id but holding another key.
    let mut forged_pk = other.public_key().to_minisign();
    forged_pk = forged_pk.replace(
        &other.public_key().key_id().to_string(),
        &fx.public.key_id().to_string(),
    );
    let b64 = forged_pk.lines().nth(1).unwrap().to_string();
    let mut raw = base64_decode(&b64);
    raw[2..10].copy_from_slice(&fx.public.key_id().0);
    forged_pk = forged_pk.replace(&b64, &base64_encode(&raw));
    sig_case(
        "48-wrong-public-key-same-id",
        &fx.sheet_sig,
        &forged_pk,
        "error = \"BadSignature\"\n",
    );
    let mut bad64: Vec<String> = fx.sheet_sig.lines().map(str::to_string).collect();
    bad64[1].insert(5, '*');
    sig_case(
        "49-signature-bad-base64",
        &(bad64.join("\n") + "\n"),
        &pk,
        "error = \"Base64\"\nline = 2\n",
    );
    let short_pk: String = {
        let mut l: Vec<String> = pk.lines().map(str::to_string).collect();
        let raw = base64_decode(&l[1]);
        l[1] = base64_encode(&raw[..30]);
        l.join("\n") + "\n"
    };
    sig_case(
        "50-public-key-too-short",
        &fx.sheet_sig,
        &short_pk,
        "error = \"WrongLength\"\n",
    );
    let mut damaged_sk = fx.key.to_key_file().to_string();
    let l2: Vec<String> = damaged_sk.lines().map(str::to_string).collect();
    let mut raw = base64_decode(&l2[1]);
    let n = raw.len();
    raw[n - 10] ^= 1;
    damaged_sk = damaged_sk.replace(&l2[1], &base64_encode(&raw));
    write_case(
        "51-secret-key-damaged",
        &[("key.sec", damaged_sk.as_bytes())],
        "input = \"secret_key\"\nerror = \"BadChecksum\"\n",
    );

    // Verification of whole sets.
    let verify_case = |name: &str,
                       ann: &[u8],
                       ann_sig: &str,
                       sheet: &[u8],
                       sheet_sig: &str,
                       extra: &[(&str, &[u8])],
                       expect: &str| {
        let mut files: Vec<(&str, &[u8])> = vec![
            ("announcement.json", ann),
            ("announcement.json.minisig", ann_sig.as_bytes()),
            ("sheet.json", sheet),
            ("sheet.json.minisig", sheet_sig.as_bytes()),
            ("key.pub", pk.as_bytes()),
        ];
        files.extend_from_slice(extra);
        write_case(name, &files, &format!("input = \"verify\"\n{expect}"));
    };
    let sign_sheet =
        |b: &[u8]| fuzzing::sign_document(&fx.key, fuzzing::DRAW_ID, "sheet.json", b).unwrap();
    let pretty = {
        let v: serde_json::Value = serde_json::from_slice(&fx.sheet).unwrap();
        serde_json::to_vec_pretty(&v).unwrap()
    };
    verify_case(
        "52-sheet-json-not-canonical",
        &fx.ann,
        &fx.ann_sig,
        &pretty,
        &sign_sheet(&pretty),
        &[],
        "error = \"Unreadable\"\ndocument = \"sheet.json\"\n",
    );
    let mut a = Announcement::parse(&fx.ann).unwrap();
    a.scheduled_at = "2026-02-27T01:30:00Z".parse().unwrap();
    let other_ann = a.to_canonical().unwrap();
    let other_ann_sig =
        fuzzing::sign_document(&fx.key, fuzzing::DRAW_ID, "announcement.json", &other_ann).unwrap();
    verify_case(
        "53-sheet-cites-another-announcement",
        &other_ann,
        &other_ann_sig,
        &fx.sheet,
        &fx.sheet_sig,
        &[],
        "error = \"Cites\"\ncontains = [\"announcement\"]\n",
    );
    let mut s = Sheet::parse(&fx.sheet).unwrap();
    s.reveals[1].secret = Digest32([23; 32]);
    let wrong_secret = s.to_canonical().unwrap();
    verify_case(
        "54-wrong-secret-revealed",
        &fx.ann,
        &fx.ann_sig,
        &wrong_secret,
        &sign_sheet(&wrong_secret),
        &[],
        "error = \"SeedInputs\"\ncontains = [\"witness\"]\n",
    );
    let mut edited = fx.sheet.clone();
    let pos = edited.windows(8).position(|w| w == b"\"seed\":\"").unwrap() + 8;
    edited[pos] = if edited[pos] == b'1' { b'2' } else { b'1' };
    verify_case(
        "55-sheet-edited-after-signing",
        &fx.ann,
        &fx.ann_sig,
        &edited,
        &fx.sheet_sig,
        &[],
        "error = \"Signature\"\ndocument = \"sheet.json\"\n",
    );
    verify_case(
        "56-signature-of-the-other-file",
        &fx.ann,
        &fx.ann_sig,
        &fx.sheet,
        &fx.ann_sig,
        &[],
        "error = \"Signature\"\ndocument = \"sheet.json\"\n",
    );
    let ents = String::from_utf8(v("entities.csv")).unwrap().replacen(
        "娄山0汽车租赁有限公司",
        "娄山0汽车租赁公司",
        1,
    );
    verify_case(
        "57-roster-row-edited",
        &fx.ann,
        &fx.ann_sig,
        &fx.sheet,
        &fx.sheet_sig,
        &[("entities.csv", ents.as_bytes())],
        "inputs = true\nerror = \"InputChanged\"\ncontains = [\"entities\"]\n",
    );
    let other_pk = other.public_key().to_minisign();
    write_case(
        "58-wrong-public-key",
        &[
            ("announcement.json", &fx.ann),
            ("announcement.json.minisig", fx.ann_sig.as_bytes()),
            ("sheet.json", &fx.sheet),
            ("sheet.json.minisig", fx.sheet_sig.as_bytes()),
            ("key.pub", other_pk.as_bytes()),
        ],
        "input = \"verify\"\nerror = \"Signature\"\ndocument = \"announcement.json\"\n",
    );
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

fn base64_encode(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(b)
}
