//! Writes N complete, signed ceremonies of varied sizes and plans into a folder, for
//! cross-checking implementations: every `ceremony-NNN/` holds the inputs (CSV in UTF-8 or
//! GB18030, Chinese or English headers) and plan.toml, and `ceremony-NNN/office/` the published
//! office: office.log, checkpoints/, organizer.pub and the draw folders (sometimes a voided draw
//! and the draw that supersedes it), with announcements, sheets, amendments and signatures.
//!
//! ```text
//! cargo run --release --example gen-ceremonies -- OUT_DIR [COUNT] [SEED]
//! ```
//! Deterministic: the same arguments write the same bytes.

use double_random::Digest32;
use double_random::bundle::{
    AnnounceRequest, BundleError, DrawDir, DrawRequest, Inputs, LOG_FILE, NoProgress, PrivateDir,
    amend, announce, draw, void,
};
use double_random::ceremony::Timestamp;
use double_random::ceremony::amend::{self as amend_doc, Action, Amendment, Reason, ReasonCode};
use double_random::ceremony::beacon::{BeaconSpec, BeaconValue};
use double_random::ceremony::commit::{Secret, commitment};
use double_random::ceremony::groups::GroupSpec;
use double_random::ceremony::sheet::{Sheet, SheetEntity};
use double_random::ceremony::void::{VoidCode, VoidReason};
use double_random::codes::uscc_check_char;
use double_random::internals::Stream;
use double_random::sign::{KeyId, SecretKey};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const REGIONS: [&str; 6] = ["520102", "520103", "520111", "520112", "520113", "520123"];
const INDUSTRIES: [&str; 5] = ["C1391", "F5211", "H6210", "L7111", "A0141"];
const DEPTS: [&str; 3] = ["市场监督管理局", "税务局", "生态环境局"];
const QUALS: [&str; 3] = ["食品安全", "税务稽查", "环境执法"];
const CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

struct Gen(Stream);

impl Gen {
    fn below(&mut self, n: u64) -> u64 {
        self.0.below(n)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn csv(rows: &[Vec<String>], gbk: bool) -> Vec<u8> {
    let mut text = String::new();
    for r in rows {
        let cells: Vec<String> = r
            .iter()
            .map(|c| {
                if c.contains([',', '"', '\n']) {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            })
            .collect();
        let _ = write!(text, "{}\r\n", cells.join(","));
    }
    if gbk {
        encoding_rs::GB18030.encode(&text).0.into_owned()
    } else {
        let mut v = b"\xEF\xBB\xBF".to_vec();
        v.extend(text.into_bytes());
        v
    }
}

fn header(zh: &[&str], en: &[&str], english: bool) -> Vec<String> {
    (if english { en } else { zh })
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
}

/// Writes one ceremony into `dir`: its inputs, its plan, then the office that announced,
/// perhaps voided, drew and amended it.
fn one(dir: &Path, case: u64, g: &mut Gen) {
    std::fs::create_dir_all(dir).expect("create folder");
    let out = CsvOut {
        dir,
        english: g.chance(30),
        gbk: g.chance(30),
    };
    let joint = case % 4 == 1;
    let n_ent = [15u64, 40, 120, 400, 1500][(case % 5) as usize] + g.below(20);
    let n_insp = if joint {
        18 + g.below(12)
    } else {
        6 + g.below(30)
    };
    let ids = write_entities(&out, case, n_ent, g);
    let officer_ids = write_inspectors(&out, case, n_insp, joint, g);
    write_items(&out);
    write_conflicts(&out, &officer_ids, &ids, g);
    write_history(&out, &officer_ids, &ids, g);
    write_plan(dir, case, joint, n_ent, g);
    run_office(dir, case, g);
}

/// Where and how one ceremony's CSV inputs are written: the folder, the headers' language
/// and the encoding.
struct CsvOut<'a> {
    dir: &'a Path,
    english: bool,
    gbk: bool,
}

impl CsvOut<'_> {
    /// The header row in the ceremony's language.
    fn header(&self, zh: &[&str], en: &[&str]) -> Vec<String> {
        header(zh, en, self.english)
    }

    /// Writes `rows` as the CSV file `name`.
    fn write(&self, name: &str, rows: &[Vec<String>]) {
        write(self.dir, name, &csv(rows, self.gbk));
    }
}

/// Writes `entities.csv` with `n_ent` random entities; returns their ids.
fn write_entities(out: &CsvOut<'_>, case: u64, n_ent: u64, g: &mut Gen) -> Vec<String> {
    let mut rows = vec![out.header(
        &[
            "统一社会信用代码",
            "名称",
            "市场主体类型",
            "登记机关",
            "行政区划代码",
            "行业代码",
            "登记状态",
            "经营异常名录",
            "信用风险分类",
            "标签",
        ],
        &[
            "id",
            "name",
            "kind",
            "authority",
            "region",
            "industry",
            "status",
            "abnormal",
            "risk",
            "tags",
        ],
    )];
    let mut ids = Vec::new();
    for i in 0..n_ent {
        let region = g.pick(&REGIONS);
        let mut id = format!("91{region}");
        for _ in 0..9 {
            id.push(CHARSET[g.below(31) as usize] as char);
        }
        id.push(uscc_check_char(&id).expect("valid prefix"));
        ids.push(id.clone());
        rows.push(vec![
            id,
            format!("测试{case}号企业{i}有限公司"),
            g.pick(&["企业", "个体工商户", "enterprise", "农民专业合作社"])
                .into(),
            "贵阳市市场监督管理局".into(),
            region.into(),
            g.pick(&INDUSTRIES).into(),
            g.pick(&["存续", "存续", "存续", "存续", "注销", "吊销"])
                .into(),
            g.pick(&["否", "否", "否", "是"]).into(),
            g.pick(&["A", "B", "C", "D", "", "B"]).into(),
            g.pick(&["", "小微企业", "电商;小微企业", "食品经营许可"])
                .into(),
        ]);
    }
    out.write("entities.csv", &rows);
    ids
}

/// Writes `inspectors.csv` with `n_insp` random inspectors (every sixth an expert; for a
/// `joint` task, of three departments); returns the officers' ids.
fn write_inspectors(
    out: &CsvOut<'_>,
    case: u64,
    n_insp: u64,
    joint: bool,
    g: &mut Gen,
) -> Vec<String> {
    let mut rows = vec![out.header(
        &[
            "执法证号",
            "姓名",
            "所属部门",
            "行政区划代码",
            "执法资质",
            "业务专长",
            "人员类别",
            "状态",
        ],
        &[
            "id",
            "name",
            "department",
            "region",
            "qualifications",
            "specialties",
            "kind",
            "status",
        ],
    )];
    let mut officer_ids = Vec::new();
    for i in 0..n_insp {
        let d = if joint { (i % 3) as usize } else { 0 };
        let expert = i % 6 == 5;
        let id = if expert {
            format!("ZJ-{case:03}{i:03}")
        } else {
            format!("52{case:04}{i:06}")
        };
        if !expert {
            officer_ids.push(id.clone());
        }
        rows.push(vec![
            id,
            format!("检查员{i}"),
            DEPTS[d].into(),
            g.pick(&REGIONS).into(),
            QUALS[d].into(),
            if expert {
                QUALS[d].into()
            } else {
                String::new()
            },
            if expert { "专家" } else { "执法人员" }.into(),
            g.pick(&["在岗", "在岗", "在岗", "在岗", "在岗", "休假"])
                .into(),
        ]);
    }
    out.write("inspectors.csv", &rows);
    officer_ids
}

/// Writes `items.csv`: one item for each department.
fn write_items(out: &CsvOut<'_>) {
    let items = vec![
        out.header(
            &[
                "事项编号",
                "事项名称",
                "检查依据",
                "检查主体",
                "检查内容",
                "检查方式",
                "事项类别",
                "所需资质",
            ],
            &[
                "id",
                "name",
                "basis",
                "subject",
                "content",
                "method",
                "category",
                "qualification",
            ],
        ),
        vec![
            "SC-1".into(),
            "食品经营者检查".into(),
            "《食品安全法》".into(),
            "市场监管".into(),
            "许可".into(),
            "现场".into(),
            "重点".into(),
            QUALS[0].into(),
        ],
        vec![
            "SW-1".into(),
            "税务登记检查".into(),
            "《税收征收管理法》".into(),
            "税务".into(),
            "登记".into(),
            "书面".into(),
            "一般".into(),
            QUALS[1].into(),
        ],
        vec![
            "HB-1".into(),
            "排污许可检查".into(),
            "《排污许可管理条例》".into(),
            "生态环境".into(),
            "许可执行".into(),
            "现场".into(),
            "重点".into(),
            QUALS[2].into(),
        ],
    ];
    out.write("items.csv", &items);
}

/// Writes `conflicts.csv`: random distinct (officer, entity) pairs, up to half the entities.
fn write_conflicts(out: &CsvOut<'_>, officer_ids: &[String], ids: &[String], g: &mut Gen) {
    let mut rows = vec![out.header(
        &["执法证号", "统一社会信用代码", "回避事由"],
        &["inspector", "entity", "reason"],
    )];
    let mut seen = std::collections::HashSet::new();
    for _ in 0..g.below(ids.len() as u64 / 2 + 1) {
        let i = officer_ids[g.below(officer_ids.len() as u64) as usize].clone();
        let e = ids[g.below(ids.len() as u64) as usize].clone();
        if seen.insert((i.clone(), e.clone())) {
            rows.push(vec![i, e, "近亲属任职".into()]);
        }
    }
    out.write("conflicts.csv", &rows);
}

/// Writes `history.csv`: random inspections in 2025, up to a third of the entities.
fn write_history(out: &CsvOut<'_>, officer_ids: &[String], ids: &[String], g: &mut Gen) {
    let mut rows = vec![out.header(
        &[
            "统一社会信用代码",
            "检查日期",
            "事项编号",
            "检查人员",
            "检查类型",
        ],
        &["entity", "date", "item", "inspectors", "kind"],
    )];
    for _ in 0..g.below(ids.len() as u64 / 3 + 1) {
        rows.push(vec![
            ids[g.below(ids.len() as u64) as usize].clone(),
            format!("2025-{:02}-{:02}", 1 + g.below(12), 1 + g.below(28)),
            "SC-1".into(),
            officer_ids[g.below(officer_ids.len() as u64) as usize].clone(),
            g.pick(&["双随机", "投诉举报"]).into(),
        ]);
    }
    out.write("history.csv", &rows);
}

/// Writes `plan.toml`: random filters, strata and team rules (a joint team of the three
/// departments for a `joint` task).
fn write_plan(dir: &Path, case: u64, joint: bool, n_ent: u64, g: &mut Gen) {
    let mut plan = format!(
        "plan_id = \"C-{case}\"\nplan_name = \"生成的抽查计划{case}\"\ntask_id = \"T{case}\"\ntask_name = \"交叉检验\"\nauthority = \"贵阳市市场监督管理局\"\ndraw_date = 2026-03-01\npublish_risk = {}\n",
        g.chance(50)
    );
    plan += if joint {
        "items = [\"SC-1\", \"SW-1\", \"HB-1\"]\n"
    } else {
        "items = [\"SC-1\"]\n"
    };
    plan += "[filters]\nstatuses = [\"存续\", \"吊销\"]\n";
    if g.chance(30) {
        plan += "exclude_abnormal = true\n";
    }
    if g.chance(50) {
        plan += "[strata]\nby = \"none\"\nratio = \"8%\"\nmin = 2\n";
    } else {
        plan += "[strata]\nby = \"risk\"\nA = { ratio = \"2%\", min = 1 }\nB = { ratio = \"5%\", rounding = \"nearest\" }\nC = { ratio = \"10%\", min = 1 }\nD = { ratio = \"30%\", max = 40 }\nunclassified = { count = 1 }\n";
    }
    plan += "[repeat]\nentity_window_days = 90\ninspector_window_days = 365\n";
    plan += "[team]\n";
    if g.chance(40) {
        plan += &format!("recusal_cap = {}\n", g.below(4));
    }
    if g.chance(50) {
        plan += "exclude_same_region = true\n";
    }
    if g.chance(30) {
        plan += "experts = 1\n";
    }
    if joint {
        for (d, item) in DEPTS.iter().zip(["SC-1", "SW-1", "HB-1"]) {
            plan += &format!(
                "[[team.joint]]\ndepartment = \"{d}\"\nofficers = 1\nitems = [\"{item}\"]\n"
            );
        }
    } else {
        plan += "officers = 2\n";
        if n_ent < 100 && g.chance(40) {
            plan += &format!("workload_cap = {}\n", 3 + g.below(3));
        }
    }
    write(dir, "plan.toml", plan.as_bytes());
}

/// A time written in RFC 3339.
fn t(s: &str) -> Timestamp {
    s.parse().expect("time")
}

/// The secret of party `p` (0 the organizer) in `round` of ceremony `case`.
fn secret(case: u64, p: u64, round: u64) -> Secret {
    let mut s = [0u8; 32];
    s[0] = p as u8;
    s[1] = round as u8;
    s[2..10].copy_from_slice(&case.to_le_bytes());
    Secret::from_bytes(s)
}

/// The office of one ceremony: its folder, log, private folder and key, and the inputs
/// read back exactly as a user's files are read.
struct Office {
    dir: PathBuf,
    root: PathBuf,
    private: PrivateDir,
    log: PathBuf,
    key: SecretKey,
    loaded: Inputs,
    case: u64,
}

/// One announcement of the task: its draw folder, the witnesses with their secrets, the
/// beacon and its value, and the day of February it happens on.
struct Round {
    folder: DrawDir,
    witnesses: Vec<(String, Secret)>,
    beacon: Option<(BeaconSpec, BeaconValue)>,
    day: u64,
}

/// Runs the ceremony through the library's office steps: an office folder with its log,
/// checkpoints, key and draws. Sometimes a first announcement of the task is voided, and the
/// task announced again; a plan the rosters cannot serve leaves `REFUSED.txt`.
fn run_office(dir: &Path, case: u64, g: &mut Gen) {
    let office = Office::open(dir, case);
    let rounds = if g.chance(20) { 2 } else { 1 };
    for round in 0..rounds {
        let r = match office.announce(round, g) {
            Ok(r) => r,
            Err(e) => return office.refused(&e),
        };
        if round + 1 < rounds {
            office.void(&r);
            continue;
        }
        match office.draw(&r) {
            Ok(sheet) => office.amend_some(&r.folder, &sheet, g),
            Err(e) => return office.refused(&e),
        }
    }
}

impl Office {
    /// Creates the office folder of ceremony `case` in `dir`, reads the inputs back and
    /// publishes the organizer's key.
    fn open(dir: &Path, case: u64) -> Office {
        let root = dir.join("office");
        std::fs::create_dir_all(&root).expect("office folder");
        let loaded = double_random::bundle::load_inputs(dir, None).expect("generated inputs read");
        let mut kb = [0u8; 32];
        kb[..8].copy_from_slice(&case.to_le_bytes());
        let key = SecretKey::from_seed(KeyId(case.to_le_bytes()), &kb);
        write(
            &root,
            "organizer.pub",
            key.public_key().to_minisign().as_bytes(),
        );
        Office {
            dir: dir.to_path_buf(),
            private: PrivateDir::new(dir.join("private")),
            log: root.join(LOG_FILE),
            root,
            key,
            loaded,
            case,
        }
    }

    /// Keeps the ceremony's folder as a documented refusal: `REFUSED.txt` says why.
    fn refused(&self, e: &dyn std::fmt::Display) {
        write(&self.dir, "REFUSED.txt", format!("{e}\n").as_bytes());
    }

    /// Announces `round` of the task with up to two witnesses and, half the time, a beacon.
    fn announce(&self, round: u64, g: &mut Gen) -> Result<Round, BundleError> {
        let case = self.case;
        let id = format!("GEN-{case}-{round}");
        let witnesses: Vec<(String, Secret)> = (1..1 + g.below(3))
            .map(|p| (format!("监督人{p}"), secret(case, p, round)))
            .collect();
        let commitments: Vec<(String, Digest32)> = witnesses
            .iter()
            .map(|(n, s)| (n.clone(), commitment(&id, n, s)))
            .collect();
        let day = 20 + 2 * round;
        let announced_at = t(&format!("2026-02-{day}T01:00:00Z"));
        let scheduled_at = t(&format!("2026-02-{day}T02:00:00Z"));
        let beacon = g.chance(50).then(|| lottery_beacon(case, scheduled_at, g));
        let folder = DrawDir::new(self.root.join(&id));
        announce(
            &folder,
            &self.private,
            &self.log,
            &AnnounceRequest {
                draw_id: &id,
                inputs: &self.loaded,
                key: &self.key,
                organizer: "organizer",
                organizer_secret: &secret(case, 0, round),
                witnesses: &commitments,
                beacon: beacon.as_ref().map(|b| b.0.clone()),
                announced_at,
                scheduled_at,
                drill: commitments.is_empty() && beacon.is_none(),
            },
        )?;
        Ok(Round {
            folder,
            witnesses,
            beacon,
            day,
        })
    }

    /// Voids the announcement of `r`: a witness did not come.
    fn void(&self, r: &Round) {
        void(
            &r.folder,
            &self.log,
            &self.key,
            VoidReason {
                code: VoidCode::SecretNotRevealed,
                text: "监督人未到场".into(),
            },
            t(&format!("2026-02-{}T03:00:00Z", r.day)),
        )
        .expect("void");
    }

    /// Draws the announcement of `r` with its witnesses' secrets and beacon value.
    fn draw(&self, r: &Round) -> Result<Sheet, BundleError> {
        draw(
            &r.folder,
            &self.private,
            &self.log,
            &DrawRequest {
                key: &self.key,
                reveals: &r.witnesses,
                beacon: r.beacon.as_ref().map(|b| b.1.clone()),
                drawn_at: t(&format!("2026-02-{}T02:10:00Z", r.day)),
            },
            &mut NoProgress,
        )
        .map(|d| d.sheet)
    }

    /// Publishes up to three amendments of the drawn `sheet`, each replacing a random
    /// entity or one of its officers; one the library refuses is left out.
    fn amend_some(&self, folder: &DrawDir, sheet: &Sheet, g: &mut Gen) {
        let mut amendments: Vec<Amendment> = Vec::new();
        for n in 0..g.below(4) {
            let current = amend_doc::state_after(sheet, &amendments, &Default::default()).entities;
            let Some(e) = current
                .get(g.below(current.len().max(1) as u64) as usize)
                .cloned()
            else {
                break;
            };
            let (action, code) = random_action(&e, g);
            let done = amend(
                folder,
                &self.log,
                &self.key,
                action,
                Reason {
                    code,
                    text: "生成".into(),
                },
                t(&format!("2026-03-0{}T01:00:00Z", 3 + n)),
                &mut NoProgress,
            );
            if let Ok((a, _)) = done {
                amendments.push(a);
            }
        }
    }
}

/// A 双色球-style lottery beacon published at `published_at`, and its value: six distinct
/// red balls of 33 and one blue of 16.
fn lottery_beacon(case: u64, published_at: Timestamp, g: &mut Gen) -> (BeaconSpec, BeaconValue) {
    let mut red: Vec<u64> = vec![];
    while red.len() < 6 {
        let x = 1 + g.below(33);
        if !red.contains(&x) {
            red.push(x);
        }
    }
    red.sort_unstable();
    (
        BeaconSpec::External {
            description: format!("彩票第{case}期开奖号码"),
            source: "https://example.org/".into(),
            published_at,
            groups: GroupSpec::shuangseqiu(),
        },
        BeaconValue::External {
            groups: vec![red, vec![1 + g.below(16)]],
        },
    )
}

/// An amendment of entity `e`: replace it (closed), or, when it has officers and 60% of the
/// time, replace one of them (recused).
fn random_action(e: &SheetEntity, g: &mut Gen) -> (Action, ReasonCode) {
    if g.chance(40) || e.officers.is_empty() {
        (
            Action::ReplaceEntity {
                entity: e.id.clone(),
            },
            ReasonCode::EntityClosed,
        )
    } else {
        let who = e.officers[g.below(e.officers.len() as u64) as usize].clone();
        (
            Action::ReplaceInspector {
                entity: e.id.clone(),
                inspector: who,
            },
            ReasonCode::InspectorRecused,
        )
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(out) = args.get(1) else {
        eprintln!("usage: gen-ceremonies OUT_DIR [COUNT] [SEED]");
        std::process::exit(2);
    };
    let count: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(50);
    let seed: u8 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut g = Gen(Stream::from_key([seed; 32]));
    for case in 0..count {
        one(
            &Path::new(out).join(format!("ceremony-{case:03}")),
            case,
            &mut g,
        );
    }
    println!("wrote {count} ceremonies into {out}");
}
