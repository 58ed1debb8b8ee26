//! The publishable folder (`<office>/public`, [`bundle::publish_office`]) and the notice's
//! trust summary: the rosters never reach the public folder, the public copy verifies at plan
//! depth against its own log, a different file already there is refused, and the notice says
//! what stops the office from choosing the result in a way the check rebuilds.

use double_random::bundle::*;
use double_random::ceremony::Timestamp;
use double_random::ceremony::amend::{Action, Reason, ReasonCode};
use double_random::ceremony::beacon::{BeaconSpec, BeaconValue};
use double_random::ceremony::commit::{Secret, commitment};
use double_random::ceremony::groups::{GroupSpec, read_typed};
use double_random::ceremony::timestamp::{self, DemoTsa};
use double_random::publish::check::{DifferenceKind, NotChecked, ViewStatus};
use double_random::publish::local_time::Zone;
use double_random::publish::{self, Lang, Publication};
use double_random::sign::{PublicKey, SecretKey};
use std::path::{Path, PathBuf};

const DRAW: &str = "GY-2026-01";
const WITNESS: &str = "纪检监督员";

struct Office {
    dir: tempfile::TempDir,
    key: SecretKey,
    tsa_cert: Vec<Vec<u8>>,
}

impl Office {
    fn root(&self) -> &Path {
        self.dir.path()
    }
    fn draw(&self) -> DrawDir {
        DrawDir::new(self.root().join(DRAW))
    }
    fn public(&self) -> PathBuf {
        self.root().join(PUBLIC_DIR)
    }
    fn public_key(&self) -> PublicKey {
        self.key.public_key()
    }
}

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// Writes the views of the draw folder as the command line does (with the token beside the
/// announcement, when there is one).
fn write_views(office: &Office, lang: Lang) {
    write_views_in(office, lang, Zone::BEIJING);
}

/// [`write_views`] with the notice's times in `zone`.
fn write_views_in(office: &Office, lang: Lang, zone: Zone) {
    let folder = office.draw();
    let ann = folder.read_announcement().unwrap().value;
    let sheet = folder.read_sheet().unwrap().unwrap().value;
    let amendments: Vec<_> = folder
        .read_amendments()
        .unwrap()
        .into_iter()
        .map(|d| d.value)
        .collect();
    let inputs = load_inputs(folder.root(), None).unwrap();
    let p = Publication::new(&ann, &sheet, &amendments, Some(&inputs.items))
        .unwrap()
        .with_timestamp(publish::read_timestamp(folder.root()))
        .with_zone(zone);
    publish::write_views(folder.root(), &p, lang).unwrap();
}

/// An office with one draw: a witness, a lottery beacon, a timestamp token over the
/// announcement, the draw, one amendment and the views; `public/` brought up to date after each
/// step, as the command line does.
fn office(lang: Lang) -> Office {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    example_input_files(&root.join("r")).unwrap();
    let private = PrivateDir::new(root.join("private"));
    let key = SecretKey::generate().unwrap();
    private.write_key(&key).unwrap();
    std::fs::write(
        root.join(PUBLIC_KEY_FILE),
        key.public_key().to_minisign().as_bytes(),
    )
    .unwrap();
    let log = root.join(LOG_FILE);
    let public = root.join(PUBLIC_DIR);
    let folder = DrawDir::new(root.join(DRAW));
    let inputs = load_inputs(&root.join("r"), None).unwrap();
    let witness_secret = || Secret::from_bytes([9; 32]);
    let announced = t("2026-03-03T12:00:00Z");
    let published = t("2026-03-03T13:30:00Z");
    let ann = announce(
        &folder,
        &private,
        &log,
        &AnnounceRequest {
            draw_id: DRAW,
            inputs: &inputs,
            key: &key,
            organizer: "organizer",
            organizer_secret: &Secret::from_bytes([7; 32]),
            witnesses: &[(
                WITNESS.to_string(),
                commitment(DRAW, WITNESS, &witness_secret()),
            )],
            beacon: Some(BeaconSpec::External {
                description: "福利彩票双色球 第 2026023 期开奖号码".into(),
                source: "https://www.cwl.gov.cn/".into(),
                published_at: published,
                groups: GroupSpec::shuangseqiu(),
            }),
            announced_at: announced,
            scheduled_at: published,
            drill: false,
        },
    )
    .unwrap();
    publish_office(root, &public).unwrap();
    // The timestamp token over the announcement, from a demonstration TSA.
    let tsa = DemoTsa::from_seed([0x7a; 32]).unwrap();
    let tsq = timestamp::request(&ann.digest().unwrap(), 1);
    let token = tsa.stamp(&tsq, t("2026-03-03T12:01:00Z"), 1).unwrap();
    std::fs::write(folder.path(TIMESTAMP_FILE), token).unwrap();
    publish_office(root, &public).unwrap();
    let groups = read_typed(&GroupSpec::shuangseqiu(), "03 09 14 21 26 31 07").unwrap();
    let drawn = draw(
        &folder,
        &private,
        &log,
        &DrawRequest {
            key: &key,
            reveals: &[(WITNESS.to_string(), witness_secret())],
            beacon: Some(BeaconValue::External { groups }),
            drawn_at: published,
        },
        &mut NoProgress,
    )
    .unwrap();
    let o = Office {
        dir,
        key,
        tsa_cert: timestamp::read_certificates(tsa.certificate_pem().as_bytes()).unwrap(),
    };
    write_views(&o, lang);
    publish_office(o.root(), &public).unwrap();
    let first = drawn.sheet.entities[0].id.clone();
    amend(
        &folder,
        &log,
        &o.key,
        Action::ReplaceEntity { entity: first },
        Reason {
            code: ReasonCode::EntityUnreachable,
            text: "无法联系".into(),
        },
        t("2026-03-04T09:00:00Z"),
        &mut NoProgress,
    )
    .unwrap();
    write_views(&o, lang);
    publish_office(o.root(), &public).unwrap();
    o
}

/// Every file under `dir`, relative to it.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = vec![];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(
                    p.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_rosters_and_private_files_never_reach_the_public_folder() {
    let o = office(Lang::Zh);
    // The working folder has them …
    for f in [
        "entities.csv",
        "inspectors.csv",
        "conflicts.csv",
        "history.csv",
    ] {
        assert!(
            o.draw().path(f).is_file(),
            "{f} should be in the draw folder"
        );
    }
    // … the public folder does not, nor anything private.
    let files = tree(&o.public());
    for f in &files {
        let name = f.rsplit('/').next().unwrap();
        assert!(
            ![
                "entities.csv",
                "entities.xlsx",
                "inspectors.csv",
                "inspectors.xlsx",
                "conflicts.csv",
                "history.csv",
                SECRET_KEY_FILE,
            ]
            .contains(&name),
            "{f} is in public/"
        );
        assert!(!f.starts_with("private") && !f.ends_with(".secret"), "{f}");
    }
    // And it holds what a verifier needs.
    for f in [
        "office.log".to_string(),
        "organizer.pub".to_string(),
        format!("{DRAW}/announcement.json"),
        format!("{DRAW}/announcement.json.minisig"),
        format!("{DRAW}/announcement.json.tsr"),
        format!("{DRAW}/sheet.json"),
        format!("{DRAW}/sheet.json.minisig"),
        format!("{DRAW}/amendment-1.json"),
        format!("{DRAW}/amendment-1.json.minisig"),
        format!("{DRAW}/plan.toml"),
        format!("{DRAW}/items.csv"),
        format!("{DRAW}/sheet.csv"),
        format!("{DRAW}/notice.html"),
        format!("{DRAW}/organizer.pub"),
    ] {
        assert!(files.contains(&f), "{f} missing from public/: {files:?}");
    }
    assert!(files.iter().any(|f| f.starts_with("checkpoints/")));
    // Every file there is the working copy's, byte for byte (the log and checkpoints beside
    // the office's, the rest in the draw folder).
    for f in &files {
        assert_eq!(
            std::fs::read(o.public().join(f)).unwrap(),
            std::fs::read(o.root().join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn the_public_copy_passes_at_plan_depth_with_its_own_log() {
    let o = office(Lang::Zh);
    let log = o.public().join(LOG_FILE);
    let pk = o.public_key();
    let opts = VerifyOptions {
        public_key: Some(&pk),
        log: Some(&log),
        strict: true,
        tsa_certificates: &o.tsa_cert,
    };
    let v = verify_dir_with(&o.public().join(DRAW), &opts, &mut NoProgress).unwrap();
    assert!(v.passed(), "{:?}\n{:?}", v.report.findings, v.views);
    assert_eq!(v.depth, Depth::Plan);
    assert!(v.withheld.contains(&"entities.csv".to_string()));
    assert!(v.views.iter().all(|c| c.passed()), "{:?}", v.views);
    assert!(matches!(
        v.trust.as_ref().unwrap().time,
        double_random::ceremony::verify::TimeProof::Proven { .. }
    ));
    // The working folder, with its rosters, still replays in full.
    let wlog = o.root().join(LOG_FILE);
    let opts = VerifyOptions {
        log: Some(&wlog),
        ..opts
    };
    let v = verify_dir_with(o.draw().root(), &opts, &mut NoProgress).unwrap();
    assert!(v.passed());
    assert_eq!(v.depth, Depth::Full);
}

#[test]
fn a_different_record_in_public_is_refused_not_overwritten() {
    let o = office(Lang::Zh);
    let sheet = o.public().join(DRAW).join(SHEET_FILE);
    std::fs::write(&sheet, b"{\"edited\":true}").unwrap();
    let err = publish_office(o.root(), &o.public()).unwrap_err();
    match &err {
        BundleError::Exists { path } => assert_eq!(path, &sheet),
        other => panic!("expected a refusal naming {sheet:?}, got {other:?}"),
    }
    assert!(err.is_refusal_to_overwrite());
    assert_eq!(std::fs::read(&sheet).unwrap(), b"{\"edited\":true}");
}

#[test]
fn the_public_log_only_grows() {
    let o = office(Lang::Zh);
    let public_log = o.public().join(LOG_FILE);
    let full = std::fs::read(&public_log).unwrap();
    // An older, shorter published log (a prefix) is brought up to date.
    let first_line = full.iter().position(|&b| b == b'\n').unwrap() + 1;
    std::fs::write(&public_log, &full[..first_line]).unwrap();
    let written = publish_office(o.root(), &o.public()).unwrap();
    assert_eq!(written, vec![public_log.clone()]);
    assert_eq!(std::fs::read(&public_log).unwrap(), full);
    // A published log that is not the beginning of the office's is refused.
    let mut other = full.clone();
    other[5] ^= 1;
    std::fs::write(&public_log, &other).unwrap();
    assert!(matches!(
        publish_office(o.root(), &o.public()),
        Err(BundleError::Exists { path }) if path == public_log
    ));
    assert_eq!(std::fs::read(&public_log).unwrap(), other);
}

#[test]
fn nothing_new_writes_nothing() {
    let o = office(Lang::En);
    assert!(publish_office(o.root(), &o.public()).unwrap().is_empty());
    // A regenerated view is replaced: the views follow the amendments.
    let notice = o.draw().path(publish::NOTICE_FILE);
    let page = std::fs::read_to_string(&notice).unwrap();
    write_views(&o, Lang::Zh);
    assert_ne!(std::fs::read_to_string(&notice).unwrap(), page);
    let written = publish_office(o.root(), &o.public()).unwrap();
    assert!(written.contains(&o.public().join(DRAW).join(publish::NOTICE_FILE)));
}

#[test]
fn the_notice_states_the_trust_summary() {
    let o = office(Lang::En);
    let page = std::fs::read_to_string(o.public().join(DRAW).join(publish::NOTICE_FILE)).unwrap();
    let trust = &page[page.find("<h2>Trust").unwrap()..page.find("<h2>How to verify").unwrap()];
    assert!(trust.contains(&format!("Witnesses: {WITNESS} committed")));
    assert!(trust.contains(
        "福利彩票双色球 第 2026023 期开奖号码, published at <time datetime=\"2026-03-03T13:30:00Z\">2026-03-03 21:30:00 (Beijing time, UTC+08:00)</time>"
    ));
    assert!(trust.contains("DEMONSTRATION TSA"), "{trust}");
    assert!(trust.contains(
        "<time datetime=\"2026-03-03T12:01:00Z\">2026-03-03 20:01:00 (Beijing time, UTC+08:00)</time>"
    ));
    assert!(trust.contains("against that time-stamping authority's certificate"));
    assert!(trust.contains("supersedes no voided draw"));
    assert!(trust.contains("Amendments: 1 (entity unreachable 1)"));
    assert!(trust.contains("--log office.log"));
    assert!(!trust.contains("the office alone chose the seed"));
    // How to verify: runnable inside public/, naming what is published there.
    assert!(page.contains(&format!(
        "double-random verify {DRAW} --public-key organizer.pub --log office.log --tsa-cert"
    )));
    assert!(page.contains(&format!("minisign -Vm {DRAW}/sheet.json -p organizer.pub")));
    assert!(!page.contains("the rosters)"));
}

#[test]
fn editing_the_trust_text_makes_verify_report_it() {
    let o = office(Lang::Zh);
    let dir = o.public().join(DRAW);
    let notice = dir.join(publish::NOTICE_FILE);
    let page = std::fs::read_to_string(&notice).unwrap();
    let line = page
        .lines()
        .find(|l| l.starts_with("<li>监督人："))
        .expect("the trust section names the witnesses")
        .to_string();
    assert!(line.contains(WITNESS));
    std::fs::write(
        &notice,
        page.replace(
            &line,
            "<li>监督人：三位独立公证员在公告中提交了承诺值。</li>",
        ),
    )
    .unwrap();
    let pk = o.public_key();
    let v = verify_dir_detailed(&dir, Some(&pk), &mut NoProgress).unwrap();
    assert!(!v.passed());
    let c = v.views.iter().find(|c| c.file == "notice.html").unwrap();
    assert_eq!(c.status, ViewStatus::Differs);
    let d = &c.differences[0];
    assert_eq!(d.kind, DifferenceKind::Text);
    assert_eq!(
        d.section.as_deref(),
        Some("可信程度：是什么让机关无法挑选这个结果")
    );
    assert!(d.expected.contains(WITNESS));
    assert!(d.found.contains("三位独立公证员"));
}

#[test]
fn the_timestamp_token_is_an_input_of_the_notice() {
    let o = office(Lang::Zh);
    let dir = o.public().join(DRAW);
    let pk = o.public_key();
    // Without the token beside it, the notice that states it is no longer the rebuilt one …
    std::fs::remove_file(dir.join(TIMESTAMP_FILE)).unwrap();
    let v = verify_dir_detailed(&dir, Some(&pk), &mut NoProgress).unwrap();
    let c = v.views.iter().find(|c| c.file == "notice.html").unwrap();
    assert!(c.failed(), "{c:?}");
    assert!(
        c.differences
            .iter()
            .any(|d| d.found.contains("时间戳：公告旁公布了时间戳令牌")
                && d.expected.contains("公告时间只是机关自己的说法"))
    );
    // … and a notice written without it says the time is the office's own claim.
    let folder = o.draw();
    std::fs::remove_file(folder.path(TIMESTAMP_FILE)).unwrap();
    write_views(&o, Lang::Zh);
    let page = std::fs::read_to_string(folder.path(publish::NOTICE_FILE)).unwrap();
    assert!(page.contains("公告时间只是机关自己的说法"));
    assert!(
        verify_dir_detailed(folder.root(), Some(&pk), &mut NoProgress)
            .unwrap()
            .views
            .iter()
            .all(|c| c.passed())
    );
}

#[test]
fn a_drill_notice_says_the_office_alone_chose_the_seed() {
    let (ann, sheet) = double_random::internals::example_documents().unwrap();
    let p = Publication::new(&ann, &sheet, &[], None).unwrap();
    let page = publish::notice::render(&p, Lang::Zh, &publish::notice::standard_sections());
    assert!(page.contains("种子完全由机关一方决定（演练）"));
    assert!(page.contains("监督人：无。"));
    assert!(page.contains("公共信标：无。"));
    // With no beacon, time protects nothing: no word about a timestamp.
    assert!(!page.contains("时间戳："));
    let en = publish::notice::render(&p, Lang::En, &publish::notice::standard_sections());
    assert!(en.contains("the office alone chose the seed (a drill)"));
}

/// The views of the office's draw folder, checked.
fn draw_views(o: &Office) -> Vec<double_random::publish::check::ViewCheck> {
    publish::check::check_dir(o.draw().root())
}

#[test]
fn the_notice_shows_beijing_time_and_keeps_utc_machine_readable() {
    let o = office(Lang::Zh);
    let page = std::fs::read_to_string(o.draw().path(publish::NOTICE_FILE)).unwrap();
    assert!(page.contains("<meta name=\"utc-offset\" content=\"+08:00\">"));
    // Announced 12:00Z, drawn 13:30Z, amended 09:00Z the next day: shown at UTC+08:00.
    for (utc, local) in [
        ("2026-03-03T12:00:00Z", "2026-03-03 20:00:00"),
        ("2026-03-03T13:30:00Z", "2026-03-03 21:30:00"),
        ("2026-03-04T09:00:00Z", "2026-03-04 17:00:00"),
    ] {
        assert!(
            page.contains(&format!(
                "<time datetime=\"{utc}\">{local}（北京时间 UTC+08:00）</time>"
            )),
            "{utc}"
        );
    }
    // No bare UTC time is shown outside the machine-readable attribute.
    let shown: String = page
        .split("datetime=\"")
        .map(|p| &p[p.find('"').map_or(0, |i| i + 1)..])
        .collect();
    assert!(!shown.contains("T12:00:00Z"));
    assert!(draw_views(&o).iter().all(|c| c.passed()));
}

#[test]
fn the_notice_is_rebuilt_in_the_language_and_zone_it_records() {
    let o = office(Lang::Zh);
    let zone: Zone = "-05:00".parse().unwrap();
    write_views_in(&o, Lang::En, zone);
    let notice = o.draw().path(publish::NOTICE_FILE);
    let page = std::fs::read_to_string(&notice).unwrap();
    assert!(page.contains("<html lang=\"en\">"));
    assert!(page.contains("<meta name=\"utc-offset\" content=\"-05:00\">"));
    assert!(page.contains(
        "<time datetime=\"2026-03-03T13:30:00Z\">2026-03-03 08:30:00 (UTC-05:00)</time>"
    ));
    assert_eq!(publish::notice::settings_of(&page), Some((Lang::En, zone)));
    let checks = draw_views(&o);
    assert!(checks.iter().all(|c| c.passed()), "{checks:?}");

    let notice_check = |o: &Office| {
        draw_views(o)
            .into_iter()
            .find(|c| c.file == publish::NOTICE_FILE)
            .unwrap()
    };
    // The recorded zone changed but not the times: the page is not the rebuilt one.
    std::fs::write(
        &notice,
        page.replace("content=\"-05:00\"", "content=\"+08:00\""),
    )
    .unwrap();
    let c = notice_check(&o);
    assert!(c.failed(), "{c:?}");
    assert!(c.differences.iter().any(|d| {
        d.found.contains("2026-03-03 08:30:00 (UTC-05:00)")
            && d.expected
                .contains("2026-03-03 21:30:00 (Beijing time, UTC+08:00)")
    }));
    // A local time edited by an hour is found, naming the row.
    std::fs::write(
        &notice,
        page.replace(
            "2026-03-03 08:30:00 (UTC-05:00)",
            "2026-03-03 09:30:00 (UTC-05:00)",
        ),
    )
    .unwrap();
    let c = notice_check(&o);
    assert!(c.failed());
    assert!(
        c.differences
            .iter()
            .any(|d| d.column.as_deref() == Some("Drawn at") && d.found.contains("09:30:00"))
    );
    // Without a zone it reads, the notice is not checked (never passed).
    std::fs::write(
        &notice,
        page.replace("content=\"-05:00\"", "content=\"Beijing\""),
    )
    .unwrap();
    assert_eq!(
        notice_check(&o).status,
        ViewStatus::NotChecked(NotChecked::Offset {
            found: "Beijing".into()
        })
    );
    std::fs::write(
        &notice,
        page.replace("<meta name=\"utc-offset\" content=\"-05:00\">\n", ""),
    )
    .unwrap();
    assert_eq!(
        notice_check(&o).status,
        ViewStatus::NotChecked(NotChecked::Offset {
            found: String::new()
        })
    );
}

#[test]
fn inspectors_are_listed_with_their_certificate_numbers() {
    let o = office(Lang::Zh);
    let folder = o.draw();
    let sheet = folder.read_sheet().unwrap().unwrap().value;
    let csv = std::fs::read_to_string(folder.path(publish::CSV_FILE)).unwrap();
    let mut lines = csv.trim_start_matches('\u{FEFF}').lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let ids_col = header
        .iter()
        .position(|h| *h == "检查人员执法证号")
        .unwrap();
    assert_eq!(header[ids_col - 1], "检查人员");
    // The last entity of the sheet is still drawn after the amendment (the first was replaced).
    let e = sheet.entities.last().unwrap();
    let row: Vec<&str> = lines
        .find(|l| l.contains(e.id.as_str()))
        .unwrap()
        .split(',')
        .collect();
    let ids: Vec<String> = e.officers.iter().chain(&e.experts).cloned().collect();
    assert_eq!(row[ids_col], ids.join("、"));
    let page = std::fs::read_to_string(folder.path(publish::NOTICE_FILE)).unwrap();
    let lead = &e.officers[0];
    let lead_name = &sheet
        .inspectors
        .iter()
        .find(|i| &i.id == lead)
        .unwrap()
        .name;
    assert!(page.contains(&format!("{lead_name}（执法证号 {lead}）")));
    // An edited certificate number in the CSV is found, naming its column.
    let edited = csv.replacen(
        &ids.join("、"),
        &ids.join("、").replacen(lead.as_str(), "00000000", 1),
        1,
    );
    std::fs::write(folder.path(publish::CSV_FILE), edited).unwrap();
    let c = draw_views(&o)
        .into_iter()
        .find(|c| c.file == publish::CSV_FILE)
        .unwrap();
    assert!(c.failed());
    assert_eq!(c.differences[0].column.as_deref(), Some("检查人员执法证号"));
}

#[test]
fn codes_and_digests_do_not_wrap_inside_themselves() {
    let o = office(Lang::Zh);
    let page = std::fs::read_to_string(o.draw().path(publish::NOTICE_FILE)).unwrap();
    assert!(page.contains("td code{white-space:nowrap}"));
    assert!(!page.contains("break-all"));
    // The replaced entity's code in the amendments sits in <code>.
    let ann = o.draw().read_announcement().unwrap().value;
    let digest = ann.digest().unwrap().to_hex();
    assert!(page.contains(&format!("{}<wbr>{}<wbr>", &digest[..16], &digest[16..32])));
    assert!(page.contains("替换 <code>"));
}
