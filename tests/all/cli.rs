//! The command line, tested from the outside.
//!
//! `tests/cli/*.toml` and `tests/cli/*.md` are trycmd cases: each runs the `double-random`
//! example with fixed inputs, a fixed test key, fixed secrets and fixed times (the environment
//! variables `DOUBLE_RANDOM_TEST_NOW` and `DOUBLE_RANDOM_TEST_FIXED_SECRETS=1`, which only debug
//! builds read), and compares its output and exit code. The Rust tests below check the
//! bytes of the publication files and keep the committed fixtures current.
//!
//! Regenerate the committed fixtures (`tests/cli/published`, `tests/cli/tampered`,
//! `tests/cli/damaged-log`) after a deliberate change of the documents with
//! `DOUBLE_RANDOM_REGENERATE=1 cargo test --test all cli::fixtures`; update the expected output of
//! the trycmd cases with `TRYCMD=overwrite cargo test --test all cli::cli_cases`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The example binary, built (or brought up to date) once per test run.
///
/// `cargo test --test all cli::` alone does not build examples, so the binary is built here with the
/// same profile and target folder as this test.
fn bin() -> PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().expect("the test executable has a path");
        // <target>/<profile>/deps/all-<hash> → <target>/<profile>/examples/double-random
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("the test executable lies in <target>/<profile>/deps");
        let target_dir = profile_dir.parent().expect("a target folder");
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
        let status = cmd.status().expect("cargo runs");
        assert!(status.success(), "building the example failed");
        profile_dir
            .join("examples")
            .join(format!("double-random{}", std::env::consts::EXE_SUFFIX))
    })
    .clone()
}

/// The test clock of the trycmd cases and of [`run`].
const TEST_NOW: &str = "2026-03-01T01:00:00Z";

fn run(cwd: &Path, args: &[&str]) -> Output {
    run_at(cwd, TEST_NOW, args)
}

/// Runs the example with the test clock at `now` and fixed secrets.
fn run_at(cwd: &Path, now: &str, args: &[&str]) -> Output {
    Command::new(bin())
        .current_dir(cwd)
        .args(args)
        .env("DOUBLE_RANDOM_TEST_NOW", now)
        .env("DOUBLE_RANDOM_TEST_FIXED_SECRETS", "1")
        .env("LANG", "zh_CN.UTF-8")
        .env("LC_ALL", "")
        .env("LC_MESSAGES", "")
        .output()
        .expect("the example runs")
}

fn run_ok(cwd: &Path, args: &[&str]) -> Output {
    run_ok_at(cwd, TEST_NOW, args)
}

fn run_ok_at(cwd: &Path, now: &str, args: &[&str]) -> Output {
    let out = run_at(cwd, now, args);
    assert!(
        out.status.success(),
        "{args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .register_bin("double-random", bin())
        .env("DOUBLE_RANDOM_TEST_NOW", TEST_NOW)
        .env("DOUBLE_RANDOM_TEST_FIXED_SECRETS", "1")
        .env("LANG", "zh_CN.UTF-8")
        .env("LC_ALL", "")
        .env("LC_MESSAGES", "")
        .case("tests/cli/*.toml")
        .case("tests/cli/*.md");
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

fn fresh_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A whole demo with fixed key, secrets and time; returns the draw folder.
fn demo(name: &str, lang: &str) -> PathBuf {
    let dir = fresh_dir(name);
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/office.in");
    run_ok_at(
        &dir,
        "2026-03-01T02:00:00Z",
        &[
            "demo",
            "--out",
            "out",
            "--data",
            data.to_str().unwrap(),
            "--lang",
            lang,
        ],
    );
    dir.join("out").join("DEMO-2026-01")
}

#[test]
fn sheet_csv_has_a_bom_crlf_and_the_chinese_header() {
    let draw = demo("csv", "zh");
    let bytes = std::fs::read(draw.join("sheet.csv")).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "no UTF-8 byte order mark"
    );
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let header = text.split("\r\n").next().unwrap();
    assert_eq!(
        header,
        "抽查计划编号,抽查计划名称,抽查任务编号,抽查任务名称,抽查类型,抽查机关,名称,统一社会信用代码,检查事项,检查人员,检查人员执法证号"
    );
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "a bare LF line end"
    );
    assert!(text.ends_with("\r\n"));
    // The risk class is internal: not published unless the plan says so.
    assert!(!header.contains("风险"));
    // One line per entity on the sheet (after the amendment, still the same number).
    let sheet: serde_json::Value =
        serde_json::from_slice(&std::fs::read(draw.join("sheet.json")).unwrap()).unwrap();
    let n = sheet["entities"].as_array().unwrap().len();
    assert_eq!(text.trim_end().split("\r\n").count(), n + 1);
    // The same CSV in English mode: the columns are those of the national system still.
    let en = demo("csv-en", "en");
    let bytes = std::fs::read(en.join("sheet.csv")).unwrap();
    assert!(
        std::str::from_utf8(&bytes[3..])
            .unwrap()
            .starts_with("抽查计划编号,")
    );
}

#[test]
fn notice_html_shows_digests_and_chances_escapes_names_and_loads_nothing() {
    for lang in ["zh", "en"] {
        let draw = demo(&format!("notice-{lang}"), lang);
        let page = std::fs::read_to_string(draw.join("notice.html")).unwrap();
        // Digests may break between groups of 16 digits (<wbr>); the text is the same.
        let html = page.replace("<wbr>", "");
        let ann = std::fs::read(draw.join("announcement.json")).unwrap();
        let digest = double_random::Digest32::of(&ann).to_hex();
        assert!(html.contains(&digest), "announcement digest missing");
        let sheet: serde_json::Value =
            serde_json::from_slice(&std::fs::read(draw.join("sheet.json")).unwrap()).unwrap();
        assert!(
            html.contains(sheet["seed"].as_str().unwrap()),
            "seed missing"
        );
        for s in sheet["strata"].as_array().unwrap() {
            let (n, k) = (s["n"].as_u64().unwrap(), s["k"].as_u64().unwrap());
            let cells = format!("<td class=\"n\">{n}</td><td class=\"n\">{k}</td>");
            assert!(html.contains(&cells), "n and k of {} missing", s["stratum"]);
        }
        assert!(html.contains("18.18%"), "the chance k/n of stratum A");
        for r in sheet["reveals"].as_array().unwrap() {
            assert!(
                html.contains(r["secret"].as_str().unwrap()),
                "a revealed secret missing"
            );
        }
        // A drawn entity is named <script>…; it must be shown as text.
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;商贸有限公司"));
        assert!(html.contains("张三&amp;李四小吃店"));
        let lower = html.to_lowercase();
        for banned in [
            "<script", "<link", "src=", "url(", "@import", "<iframe", "<object",
        ] {
            assert!(!lower.contains(banned), "{banned} in notice.html");
        }
        assert_eq!(
            lower.matches("<style>").count(),
            1,
            "one inline style sheet"
        );
        // The notice is a public document of the office: in Chinese whatever the language of
        // the messages, unless --notice-lang says otherwise.
        assert!(html.contains("<h1>抽查结果公示</h1>"), "{lang}");
        assert!(html.contains("<html lang=\"zh-CN\">"), "{lang}");
        // The commands run as printed inside the public folder.
        let id = sheet["draw_id"].as_str().unwrap();
        assert!(html.contains(&format!("minisign -Vm {id}/sheet.json -p organizer.pub")));
        assert!(html.contains(&format!(
            "double-random verify {id} --public-key organizer.pub --log office.log"
        )));
    }
}

#[test]
fn a_time_typed_with_an_offset_or_in_beijing_time_is_kept_in_utc() {
    for (name, at) in [
        ("offset", "2026-03-01T21:30:00+08:00"),
        ("offset-local", "2026-03-01 21:30"),
        ("offset-z", "2026-03-01T13:30:00Z"),
    ] {
        let dir = fresh_dir(name);
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/office.in"),
            &dir,
        );
        let out = run_ok(
            &dir,
            &[
                "announce",
                "--draw-id",
                "T1",
                "--inputs",
                ".",
                "--no-independent-randomness",
                "--scheduled-at",
                at,
            ],
        );
        let ann: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("T1/announcement.json")).unwrap())
                .unwrap();
        assert_eq!(ann["scheduled_at"], "2026-03-01T13:30:00Z", "{at}");
        assert_eq!(ann["announced_at"], TEST_NOW);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("抽取时间：2026-03-01 21:30:00（北京时间 UTC+08:00）"),
            "{text}"
        );
    }
}

#[test]
fn the_display_zone_comes_from_the_environment_unless_the_flag_names_one() {
    let dir = fresh_dir("zone-env");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/office.in"),
        &dir,
    );
    let announce = |extra: &[&str], env: Option<&str>| {
        let mut cmd = Command::new(bin());
        cmd.current_dir(&dir)
            .args(extra)
            .args([
                "announce",
                "--draw-id",
                "Z1",
                "--inputs",
                ".",
                "--no-independent-randomness",
                // A plain local time, read in the display zone: 20:00 at UTC-05:00 is 01:00Z
                // the next day.
                "--scheduled-at",
                "2026-03-01 20:00",
            ])
            .env("DOUBLE_RANDOM_TEST_NOW", TEST_NOW)
            .env("DOUBLE_RANDOM_TEST_FIXED_SECRETS", "1")
            .env("LANG", "en_US.UTF-8");
        if let Some(z) = env {
            cmd.env("DOUBLE_RANDOM_UTC_OFFSET", z);
        }
        cmd.output().unwrap()
    };
    // A zone that is not one is refused before anything is written.
    let out = announce(&[], Some("Beijing"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("DOUBLE_RANDOM_UTC_OFFSET"));
    assert!(!dir.join("Z1").exists());
    // The flag wins over the environment.
    let out = announce(&["--utc-offset", "-05:00"], Some("+09:00"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("draw scheduled at 2026-03-01 20:00:00 (UTC-05:00)"),
        "{text}"
    );
    let ann: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("Z1/announcement.json")).unwrap()).unwrap();
    assert_eq!(ann["scheduled_at"], "2026-03-02T01:00:00Z");
}

#[test]
fn secrets_stay_private_and_are_never_printed_before_the_draw() {
    let dir = fresh_dir("secrets");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/office.in"),
        &dir,
    );
    let out = run_ok(
        &dir,
        &[
            "announce",
            "--draw-id",
            "S1",
            "--inputs",
            ".",
            "--no-independent-randomness",
        ],
    );
    let secret =
        std::fs::read_to_string(dir.join("private/secrets/S1/贵阳市市场监督管理局.secret"))
            .unwrap();
    let secret = secret.trim();
    assert_eq!(secret.len(), 64);
    assert!(!String::from_utf8_lossy(&out.stdout).contains(secret));
    assert!(!String::from_utf8_lossy(&out.stderr).contains(secret));
    for e in std::fs::read_dir(dir.join("S1")).unwrap() {
        let bytes = std::fs::read(e.unwrap().path()).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains(secret));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("private/secrets/S1/贵阳市市场监督管理局.secret"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // A private folder inside the published folder is refused.
    let out = run(
        &dir,
        &[
            "announce",
            "--draw-id",
            "S2",
            "--inputs",
            ".",
            "--private",
            "S2/private",
            "--no-independent-randomness",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.join("S2/private").exists());
}

/// Builds the published folders that the trycmd cases verify.
fn make_fixtures(root: &Path) {
    let office = root.join("office");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/office.in"),
        &office,
    );
    let id = "GY-2026-01-1";
    let witness = run_ok(
        &office,
        &[
            "--lang",
            "en",
            "witness",
            "--name",
            "纪检监督员",
            "--draw-id",
            id,
            "--private",
            "witness-private",
        ],
    );
    let text = String::from_utf8(witness.stdout).unwrap();
    let commitment = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("--witness "))
        .unwrap()
        // Printed quoted for the shell, as one word.
        .trim_matches('\'')
        .to_string();
    run_ok_at(
        &office,
        "2026-03-01T01:00:00Z",
        &[
            "announce",
            "--draw-id",
            id,
            "--inputs",
            ".",
            "--organizer-name",
            "organizer",
            "--witness",
            &commitment,
            "--lottery",
            "ssq",
            "--lottery-issue",
            "2026023",
            "--beacon-source",
            "https://www.cwl.gov.cn/",
            "--beacon-published-at",
            "2026-03-01T01:30:00Z",
            "--scheduled-at",
            "2026-03-01T02:00:00Z",
        ],
    );
    let reveal = format!("纪检监督员=witness-private/secrets/{id}/纪检监督员.secret");
    run_ok_at(
        &office,
        "2026-03-01T02:00:00Z",
        &[
            "draw",
            id,
            "--reveal-file",
            &reveal,
            "--beacon-value",
            "03 09 14 21 26 31 07",
        ],
    );
    let sheet: serde_json::Value =
        serde_json::from_slice(&std::fs::read(office.join(id).join("sheet.json")).unwrap())
            .unwrap();
    // The first drawn entity whose stratum has a next pick (a stratum drawn whole has none).
    let replaced = sheet["entities"].as_array().unwrap().iter().any(|e| {
        run_at(
            &office,
            "2026-03-02T02:00:00Z",
            &[
                "amend",
                id,
                "--replace-entity",
                e["id"].as_str().unwrap(),
                "--reason",
                "entity-unreachable",
                "--text",
                "现场核查：通过登记的住所无法联系",
            ],
        )
        .status
        .success()
    });
    assert!(replaced, "no entity could be replaced");
    let draw = office.join(id);
    // The full folder, as given to a discipline inspector.
    copy_dir(&draw, &root.join("published").join(id));
    // The public folder, as the command line keeps it: rosters with personal or internal data
    // withheld.
    let public = root.join("public");
    copy_dir(&office.join("public"), &public);
    for f in [
        "inspectors.csv",
        "conflicts.csv",
        "history.csv",
        "entities.csv",
    ] {
        assert!(draw.join(f).is_file());
        assert!(!public.join(id).join(f).exists(), "{f} is in public/");
    }
    // A tampered copy: one drawn entity's name edited in sheet.json after signing.
    let tampered = root.join("tampered").join(id);
    copy_dir(&draw, &tampered);
    let sheet_text = std::fs::read_to_string(tampered.join("sheet.json")).unwrap();
    let name = sheet["entities"][2]["name"].as_str().unwrap();
    let edited = sheet_text.replacen(name, "某某无关公司", 1);
    assert_ne!(edited, sheet_text);
    std::fs::write(tampered.join("sheet.json"), edited).unwrap();
    // A damaged log: one entry rewritten.
    let log = std::fs::read_to_string(office.join("office.log")).unwrap();
    let damaged = log.replacen("\"seq\":2", "\"seq\":3", 1);
    std::fs::create_dir_all(root.join("damaged-log")).unwrap();
    std::fs::write(root.join("damaged-log").join("office.log"), damaged).unwrap();
    std::fs::write(
        root.join("published").join("organizer.pub"),
        std::fs::read(office.join("organizer.pub")).unwrap(),
    )
    .unwrap();
    std::fs::write(
        root.join("tampered").join("organizer.pub"),
        std::fs::read(office.join("organizer.pub")).unwrap(),
    )
    .unwrap();
    // The views stay: verification rebuilds them from the records and compares.
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn fixtures_are_current() {
    let made = fresh_dir("fixtures");
    make_fixtures(&made);
    // The verification page is built from the library (web/dist, checked by `web/build.sh
    // --check`); a copy in each fixture would change with every change of the library.
    for d in ["published", "public", "tampered", "damaged-log"] {
        for f in files_under(&made.join(d)) {
            if f.file_name().is_some_and(|n| n == "verify.html") {
                std::fs::remove_file(made.join(d).join(&f)).unwrap();
            }
        }
    }
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli");
    let regenerate = std::env::var_os("DOUBLE_RANDOM_REGENERATE").is_some();
    for d in ["published", "public", "tampered", "damaged-log"] {
        let (a, b) = (made.join(d), committed.join(d));
        if regenerate {
            let _ = std::fs::remove_dir_all(&b);
            copy_dir(&a, &b);
            continue;
        }
        assert_eq!(
            files_under(&a),
            files_under(&b),
            "tests/cli/{d} is out of date: run DOUBLE_RANDOM_REGENERATE=1 cargo test --test all cli::fixtures"
        );
        for f in files_under(&a) {
            assert!(
                std::fs::read(a.join(&f)).unwrap() == std::fs::read(b.join(&f)).unwrap(),
                "tests/cli/{d}/{} is out of date: run DOUBLE_RANDOM_REGENERATE=1 cargo test --test all cli::fixtures",
                f.display()
            );
        }
    }
}

/// A minimal workbook whose first sheet holds `rows` as text cells.
fn write_workbook(path: &Path, rows: &[Vec<String>]) {
    use std::io::Write as _;
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (ri, row) in rows.iter().enumerate() {
        sheet.push_str(&format!("<row r=\"{}\">", ri + 1));
        for (ci, cell) in row.iter().enumerate() {
            let col = char::from(b'A' + u8::try_from(ci).unwrap());
            sheet.push_str(&format!(
                "<c r=\"{col}{}\" t=\"inlineStr\"><is><t>{}</t></is></c>",
                ri + 1,
                esc(cell)
            ));
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名录" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string(),
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, body) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn an_xlsx_roster_is_the_same_roster_as_its_csv() {
    let dir = fresh_dir("xlsx");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/office.in"),
        &dir,
    );
    let csv = std::fs::read_to_string(dir.join("entities.csv")).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    std::fs::create_dir_all(dir.join("book")).unwrap();
    write_workbook(&dir.join("book/entities.xlsx"), &rows);
    let digest = |args: &[&str]| -> String {
        let out = run_ok(&dir, args);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["tables"]["entities"]["digest"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let from_csv = digest(&["check", "--inputs", ".", "--json"]);
    let from_xlsx = digest(&[
        "check",
        "--inputs",
        ".",
        "--entities",
        "book/entities.xlsx",
        "--json",
    ]);
    assert_eq!(from_csv, from_xlsx);
    // A draw announced from the workbook keeps it in the draw folder and replays from it.
    run_ok(
        &dir,
        &[
            "announce",
            "--draw-id",
            "X1",
            "--inputs",
            ".",
            "--entities",
            "book/entities.xlsx",
            "--no-independent-randomness",
        ],
    );
    assert!(dir.join("X1/entities.xlsx").is_file());
    assert!(!dir.join("X1/entities.csv").exists());
    run_ok(&dir, &["draw", "X1"]);
    let out = run_ok(&dir, &["verify", "X1", "--public-key", "organizer.pub"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("完整重放") && text.lines().any(|l| l == "PASS"),
        "{text}"
    );
}

#[test]
fn a_drand_round_named_in_advance_is_checked_offline() {
    // Quicknet's round 1 is public at 2023-08-23T15:09:27Z; an announcement at 15:00 with the
    // least margin (5 minutes) names it.
    let dir = fresh_dir("drand");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/drand.in"),
        &dir,
    );
    let out = run_ok_at(
        &dir,
        "2023-08-23T15:00:00Z",
        &[
            "announce",
            "--draw-id",
            "Q1",
            "--inputs",
            ".",
            "--drand",
            "quicknet",
            "--drand-after",
            "5",
        ],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("drand quicknet 第 1 轮"), "{text}");
    // Less than the margin is refused.
    let out = run_at(
        &dir,
        "2023-08-23T15:00:00Z",
        &[
            "announce",
            "--draw-id",
            "Q2",
            "--inputs",
            ".",
            "--drand",
            "quicknet",
            "--drand-after",
            "1",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    // Before the round, refused; a forged round, refused.
    let early = run_at(
        &dir,
        "2023-08-23T15:09:00Z",
        &["draw", "Q1", "--drand-round-file", "round-1.json"],
    );
    assert_eq!(early.status.code(), Some(5));
    let forged = run_at(
        &dir,
        "2023-08-23T15:10:00Z",
        &["draw", "Q1", "--drand-round-file", "round-1-forged.json"],
    );
    assert_eq!(forged.status.code(), Some(5));
    run_ok_at(
        &dir,
        "2023-08-23T15:10:00Z",
        &["draw", "Q1", "--drand-round-file", "round-1.json"],
    );
    let out = run_ok(&dir, &["verify", "Q1", "--public-key", "organizer.pub"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().any(|l| l == "PASS"), "{text}");
    assert!(
        text.contains("drand quicknet round 1") || text.contains("drand quicknet"),
        "{text}"
    );
}

/// `verify --json` as a program reads it (docs/MESSAGES.md): codes, fields and both texts.
#[test]
fn verify_json_gives_codes_fields_and_both_texts() {
    let cli = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli");
    let json = |dir: &str| -> (Option<i32>, serde_json::Value) {
        let copy = fresh_dir(&format!("json-{dir}"));
        copy_dir(&cli.join(dir), &copy);
        let out = run(
            &copy,
            &[
                "verify",
                "GY-2026-01-1",
                "--public-key",
                "organizer.pub",
                "--json",
            ],
        );
        (
            out.status.code(),
            serde_json::from_slice(&out.stdout).unwrap(),
        )
    };
    let codes = |v: &serde_json::Value, key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["code"].as_str().unwrap().to_string())
            .collect()
    };

    let (status, pass) = json("published");
    assert_eq!(status, Some(0));
    assert_eq!(pass["result"], "PASS");
    assert!(codes(&pass, "findings").is_empty());
    let checks = codes(&pass, "checked");
    for c in [
        "check.signature",
        "check.seed",
        "check.replay",
        "check.amendment_replay",
    ] {
        assert!(checks.iter().any(|x| x == c), "{c} not in {checks:?}");
    }
    for c in pass["checked"].as_array().unwrap() {
        assert_eq!(c["passed"], true);
        assert!(!c["text"]["en"].as_str().unwrap().is_empty());
        assert_ne!(c["text"]["zh"], c["text"]["en"]);
    }

    let (status, fail) = json("tampered");
    assert_eq!(status, Some(1));
    assert_eq!(fail["result"], "FAIL");
    let findings = fail["findings"].as_array().unwrap();
    let find = |code: &str| {
        findings
            .iter()
            .find(|f| f["code"] == code)
            .unwrap_or_else(|| panic!("no {code} in {findings:#?}"))
    };
    let sig = find("signature.bad");
    assert_eq!(sig["fields"]["document"], "sheet.json");
    assert_eq!(sig["fields"]["cause"], "sign.bad_signature");
    let differs = find("replay.inspectors_differ");
    assert_eq!(differs["fields"]["document"], "amendment-1.json");
    assert_eq!(differs["fields"]["part"], "inspectors_or_citations");
    assert_eq!(
        differs["text"]["zh"],
        "amendment-1.json：检查人员或引用与重放结果不同"
    );
    assert_eq!(
        differs["text"]["en"],
        "amendment-1.json: inspectors or citations differs from the replay"
    );
    let entity = find("entity.differs");
    assert_eq!(entity["fields"]["field"], "name");
    // The failed checks are marked as such.
    let failed: Vec<&str> = fail["checked"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["passed"] == false)
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert!(failed.contains(&"check.signature"), "{failed:?}");
    assert!(failed.contains(&"check.replay"), "{failed:?}");
    assert!(failed.contains(&"check.amendment_replay"), "{failed:?}");
}

/// The organizer's party name defaults to the plan's authority; an authority that is not a
/// valid party name (SPEC §3.6) asks for --organizer-name instead of failing obscurely.
#[test]
fn the_organizer_is_named_after_the_authority_or_by_organizer_name() {
    let dir = fresh_dir("authority");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/office.in"),
        &dir,
    );
    let plan = std::fs::read_to_string(dir.join("plan.toml")).unwrap();
    assert!(plan.contains("authority = \"贵阳市市场监督管理局\""));
    std::fs::write(
        dir.join("plan.toml"),
        plan.replace(
            "贵阳市市场监督管理局\"",
            "贵阳市市场监督管理局（知识产权局）\"",
        ),
    )
    .unwrap();
    let announce = |extra: &[&str]| {
        let mut args = vec![
            "announce",
            "--draw-id",
            "R1",
            "--inputs",
            ".",
            "--no-independent-randomness",
        ];
        args.extend_from_slice(extra);
        run(&dir, &args)
    };
    let refused = announce(&[]);
    assert_eq!(refused.status.code(), Some(2));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("--organizer-name"), "{err}");
    assert!(err.contains("U+FF08"), "{err}");
    assert!(!dir.join("R1").exists());
    let out = announce(&["--organizer-name", "贵阳市市场监督管理局"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("贵阳市市场监督管理局（组织者）"), "{text}");
}
