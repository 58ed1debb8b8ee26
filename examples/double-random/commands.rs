//! The subcommands. Each prints what it did in plain words and returns an exit code.

use crate::args::*;
use crate::i18n::{self, Lang};
use crate::notice;
use crate::output::{self, Bar, View};
use double_random::bundle::{
    self, AnnounceRequest, BundleError, Depth, DrawDir, DrawRequest, InputPaths, InputProblem,
    InputProblems, Inputs, PrivateDir,
};
use double_random::ceremony::Timestamp;
use double_random::ceremony::amend::{Action, Amendment, Outcome, Reason, ReasonCode};
use double_random::ceremony::announce::Announcement;
use double_random::ceremony::beacon::{
    BeaconSpec, BeaconValue, DRAND_MAINNET, DRAND_QUICKNET, DrandChain, Hex32, HexBytes,
};
use double_random::ceremony::commit::{Role, Secret, commitment};
use double_random::ceremony::log;
use double_random::ceremony::sheet::Sheet;
use double_random::digest::Digest32;
use double_random::formats::files;
use double_random::normalize;
use double_random::sign::{KeyId, SecretKey};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Why a command stopped, and so its exit code.
pub enum Fail {
    /// A library error; its kind decides the code.
    Bundle(BundleError),
    /// The arguments are wrong (2).
    Usage(String),
    /// The check found problems, already printed (1).
    Reported,
    /// A file could not be read or written (3).
    Io(String),
    /// A record exists (4).
    Refused(String),
    /// The ceremony refused the step (5).
    Ceremony(String),
}

impl From<BundleError> for Fail {
    fn from(e: BundleError) -> Self {
        Fail::Bundle(e)
    }
}

impl Fail {
    fn code(&self) -> u8 {
        match self {
            Fail::Reported => 1,
            Fail::Usage(_) => 2,
            Fail::Io(_) => 3,
            Fail::Refused(_) => 4,
            Fail::Ceremony(_) => 5,
            Fail::Bundle(e) => bundle_code(e),
        }
    }
}

fn bundle_code(e: &BundleError) -> u8 {
    if e.is_refusal_to_overwrite() {
        return 4;
    }
    match e {
        BundleError::Inputs(_) => 1,
        BundleError::Log {
            source: log::AppendError::Damaged(_),
            ..
        } => 1,
        BundleError::File(_) | BundleError::Missing { .. } | BundleError::NotUtf8 { .. } => 3,
        BundleError::Log { .. } => 3,
        BundleError::BadName { .. } | BundleError::PrivateInsidePublished { .. } => 2,
        _ => 5,
    }
}

/// Runs the command and reports how it ended.
pub fn run(cli: Cli, lang: Lang) -> ExitCode {
    let result = match cli.command {
        Command::Demo(a) => demo(a, lang),
        Command::Keygen(a) => keygen(a, lang),
        Command::Witness(a) => witness(a, lang),
        Command::Check(a) => check(a, lang),
        Command::Announce(a) => announce(*a, lang),
        Command::Draw(a) => draw(a, lang),
        Command::Verify(a) => verify(a, lang),
        Command::Amend(a) => amend(a, lang),
        Command::Void(a) => void(a, lang),
        Command::Log(a) => show_log(a, lang),
    };
    match result {
        Ok(code) => code,
        Err(f) => {
            let prefix = tr!(lang, "错误：", "error: ");
            match &f {
                Fail::Reported => {}
                Fail::Bundle(BundleError::Inputs(p)) => print_problems(lang, p),
                Fail::Bundle(e) => errln!("{prefix}{}", i18n::bundle_error(lang, e)),
                Fail::Usage(m) | Fail::Io(m) | Fail::Refused(m) | Fail::Ceremony(m) => {
                    errln!("{prefix}{m}")
                }
            }
            ExitCode::from(f.code())
        }
    }
}

fn now_or(t: Option<Timestamp>) -> Timestamp {
    t.unwrap_or_else(Timestamp::now)
}

fn show(p: &Path) -> String {
    let s = p.display().to_string();
    match s.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => s,
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

fn input_paths(a: &InputArgs, lang: Lang) -> Result<InputPaths, Fail> {
    let any_file =
        a.entities.is_some() || a.inspectors.is_some() || a.items.is_some() || a.plan.is_some();
    if a.inputs.is_none() && !any_file {
        return Err(Fail::Usage(tr!(
            lang,
            "请用 --inputs 文件夹 指定输入，或分别用 --entities、--inspectors、--items、--plan 指定文件",
            "give --inputs DIR, or the files with --entities, --inspectors, --items and --plan"
        )));
    }
    let found = a.inputs.as_ref().map(|d| find_loose(d));
    let pick = |given: &Option<PathBuf>, from_dir: Option<PathBuf>| given.clone().or(from_dir);
    let mut problems = InputProblems::default();
    let mut need = |p: Option<PathBuf>, flag: &str, what: &'static str| -> Option<PathBuf> {
        if p.is_none() {
            problems.problems.push(InputProblem::Missing {
                path: a.inputs.as_ref().map_or_else(
                    || PathBuf::from(flag),
                    |d| in_office(d, &format!("{what}.csv")),
                ),
                what,
            });
        }
        p
    };
    let f = found.as_ref();
    let entities = need(
        pick(&a.entities, f.and_then(|x| x.entities.clone())),
        "--entities",
        "entities",
    );
    let inspectors = need(
        pick(&a.inspectors, f.and_then(|x| x.inspectors.clone())),
        "--inspectors",
        "inspectors",
    );
    let items = need(
        pick(&a.items, f.and_then(|x| x.items.clone())),
        "--items",
        "items",
    );
    let plan = match pick(&a.plan, f.and_then(|x| x.plan.clone())) {
        Some(p) => Some(p),
        None => {
            problems.problems.push(InputProblem::Missing {
                path: a.inputs.as_ref().map_or_else(
                    || PathBuf::from("--plan"),
                    |d| in_office(d, bundle::PLAN_FILE),
                ),
                what: "plan",
            });
            None
        }
    };
    let conflicts = pick(&a.conflicts, f.and_then(|x| x.conflicts.clone()));
    let history = pick(&a.history, f.and_then(|x| x.history.clone()));
    match (entities, inspectors, items, plan) {
        (Some(entities), Some(inspectors), Some(items), Some(plan)) => Ok(InputPaths {
            entities,
            inspectors,
            items,
            conflicts,
            history,
            plan,
        }),
        _ => Err(Fail::Bundle(BundleError::Inputs(problems))),
    }
}

#[derive(Default)]
struct Loose {
    entities: Option<PathBuf>,
    inspectors: Option<PathBuf>,
    items: Option<PathBuf>,
    conflicts: Option<PathBuf>,
    history: Option<PathBuf>,
    plan: Option<PathBuf>,
}

/// The standard file names present in `dir` (a CSV before a workbook of the same name).
fn find_loose(dir: &Path) -> Loose {
    let one = |stem: &str, xlsx: bool| -> Option<PathBuf> {
        let csv = in_office(dir, &format!("{stem}.csv"));
        if csv.is_file() {
            return Some(csv);
        }
        let book = in_office(dir, &format!("{stem}.xlsx"));
        (xlsx && book.is_file()).then_some(book)
    };
    let plan = in_office(dir, bundle::PLAN_FILE);
    Loose {
        entities: one("entities", true),
        inspectors: one("inspectors", true),
        items: one("items", false),
        conflicts: one("conflicts", false),
        history: one("history", false),
        plan: plan.is_file().then_some(plan),
    }
}

fn load(paths: &InputPaths) -> Result<Inputs, Fail> {
    let mut bar = Bar::new();
    Ok(bundle::load_input_files(paths, &mut bar)?)
}

fn print_problems(lang: Lang, p: &InputProblems) {
    for problem in &p.problems {
        errln!("{}", i18n::input_problem(lang, problem));
    }
    for note in &p.notes {
        errln!(
            "{}{}",
            tr!(lang, "注意：", "note: "),
            i18n::input_note(lang, note)
        );
    }
    let n = p.problems.len();
    errln!(
        "{}",
        tr!(
            lang,
            "共发现 {n} 个问题，未作任何改动。请按提示改正文件后再运行。",
            "{n} problem(s) found; nothing was changed. Correct the files as suggested and run again."
        )
    );
}

// ---------------------------------------------------------------------------------------------
// keygen, witness
// ---------------------------------------------------------------------------------------------

fn keygen(a: KeygenArgs, lang: Lang) -> Result<ExitCode, Fail> {
    let private = PrivateDir::new(a.office.private_dir());
    let pub_path = in_office(&a.office.office, bundle::PUBLIC_KEY_FILE);
    for p in [private.key_path(), pub_path.clone()] {
        if p.exists() {
            return Err(Fail::Refused(tr!(
                lang,
                "{} 已存在，未作任何改动：密钥从不覆盖（换用新密钥前请先把旧密钥移走并妥善保存）",
                "{} already exists; nothing was changed: keys are never overwritten",
                show(&p)
            )));
        }
    }
    let key = SecretKey::generate().map_err(|e| Fail::Io(e.to_string()))?;
    write_key_pair(&private, &pub_path, &key)?;
    outln!(
        "{}",
        tr!(
            lang,
            "已生成组织者签名密钥，编号 {}。\n  私钥：{}（仅本人可读；切勿公开，切勿丢失）\n  公钥：{}（请通过机关网站等独立渠道公布；核验者用它核对签名）",
            "Made the organizer's signing key, id {}.\n  secret key: {} (readable by you only; never publish it, never lose it)\n  public key: {} (publish it through an independent channel; verifiers check signatures with it)",
            key.key_id(),
            show(&private.key_path()),
            show(&pub_path)
        )
    );
    Ok(ExitCode::SUCCESS)
}

fn write_key_pair(private: &PrivateDir, pub_path: &Path, key: &SecretKey) -> Result<(), Fail> {
    private.write_key(key)?;
    if let Some(parent) = pub_path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Fail::Io(format!("{}: {e}", show(parent))))?;
    }
    files::write_new(pub_path, key.public_key().to_minisign().as_bytes())
        .map_err(BundleError::from)?;
    Ok(())
}

fn party_name(raw: &str, lang: Lang) -> Result<String, Fail> {
    let name = normalize::text(raw);
    bundle::check_name("party name", &name)
        .map_err(|e| Fail::Usage(i18n::bundle_error(lang, &e)))?;
    Ok(name)
}

fn witness(a: WitnessArgs, lang: Lang) -> Result<ExitCode, Fail> {
    let name = party_name(&a.name, lang)?;
    bundle::check_name("draw id", &a.draw_id)
        .map_err(|e| Fail::Usage(i18n::bundle_error(lang, &e)))?;
    let secret = match &a.secret_file {
        Some(f) => bundle::read_secret_file(f)?,
        None => Secret::generate().map_err(|e| Fail::Io(e.to_string()))?,
    };
    let private = PrivateDir::new(&a.private);
    let path = private.write_secret(&a.draw_id, &name, &secret)?;
    let c = commitment(&name, &secret);
    outln!(
        "{}",
        tr!(
            lang,
            "秘密数已保存到 {}（仅本人可读；抽取前不要告诉任何人）。\n承诺值（交给组织者写入公告）：\n  {c}\n组织者发布公告时加上：\n  --witness {name}={c}\n抽取时这样揭示：\n  --reveal-file {name}={}",
            "The secret is saved in {} (readable by you only; tell nobody before the draw).\nCommitment (give it to the organizer for the announcement):\n  {c}\nThe organizer adds to the announcement:\n  --witness {name}={c}\nAt the draw, reveal it with:\n  --reveal-file {name}={}",
            show(&path),
            show(&path)
        )
    );
    if a.show_secret {
        outln!(
            "{}",
            tr!(
                lang,
                "秘密数（只显示这一次；抽取前切勿泄露）：\n  {}",
                "The secret (shown this once; keep it to yourself until the draw):\n  {}",
                secret.to_hex().as_str()
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------------------------------------
// check
// ---------------------------------------------------------------------------------------------

fn table_label(lang: Lang, table: &str) -> String {
    match lang {
        Lang::Zh => match table {
            "entities" => "检查对象名录",
            "inspectors" => "检查人员名录",
            "items" => "抽查事项清单",
            "conflicts" => "回避关系",
            "history" => "检查历史",
            "plan" => "抽查计划",
            other => other,
        }
        .to_string(),
        Lang::En => table.to_string(),
    }
}

fn check(a: CheckArgs, lang: Lang) -> Result<ExitCode, Fail> {
    let paths = input_paths(&a.inputs, lang);
    let loaded = paths.and_then(|p| load(&p));
    match loaded {
        Ok(inputs) => {
            // One trial draw: its strata are shown, and whether teams can be formed is checked.
            let (di, zero) = (inputs.as_draw_inputs(), Digest32([0; 32]));
            let entity_draw = double_random::draw::draw_entities(&di, &zero);
            let strata = entity_draw
                .as_ref()
                .map(|d| d.strata.clone())
                .unwrap_or_default();
            let trial = entity_draw
                .and_then(|d| double_random::draw::assign_teams(&di, d, &zero))
                .err();
            if a.json {
                let d = &inputs.digests;
                let out = json!({
                    "ok": true,
                    "problems": [],
                    "notes": inputs.notes.iter().map(|n| n.to_string()).chain(trial.iter().map(|e| format!("a trial draw failed: {e}"))).collect::<Vec<_>>(),
                    "tables": {
                        "entities": {"file": show(&inputs.paths.entities), "rows": d.entities.rows, "digest": d.entities.digest},
                        "inspectors": {"file": show(&inputs.paths.inspectors), "rows": d.inspectors.rows, "digest": d.inspectors.digest},
                        "items": {"file": show(&inputs.paths.items), "rows": d.items.rows, "digest": d.items.digest},
                        "conflicts": {"file": inputs.paths.conflicts.as_deref().map(show), "rows": d.conflicts.rows, "digest": d.conflicts.digest},
                        "history": {"file": inputs.paths.history.as_deref().map(show), "rows": d.history.rows, "digest": d.history.digest},
                        "plan": {"file": show(&inputs.paths.plan), "digest": d.plan},
                    },
                    "strata": strata.iter().map(|s| json!({"stratum": s.stratum.label(), "n": s.n, "k": s.k})).collect::<Vec<_>>(),
                });
                outln!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
                return Ok(ExitCode::SUCCESS);
            }
            let d = &inputs.digests;
            let none = tr!(lang, "（无）", "(none)");
            let mut rows = vec![];
            for (t, file, r) in [
                ("entities", Some(show(&inputs.paths.entities)), d.entities),
                (
                    "inspectors",
                    Some(show(&inputs.paths.inspectors)),
                    d.inspectors,
                ),
                ("items", Some(show(&inputs.paths.items)), d.items),
                (
                    "conflicts",
                    inputs.paths.conflicts.as_deref().map(show),
                    d.conflicts,
                ),
                (
                    "history",
                    inputs.paths.history.as_deref().map(show),
                    d.history,
                ),
            ] {
                rows.push(vec![
                    table_label(lang, t),
                    file.unwrap_or_else(|| none.clone()),
                    tr!(lang, "{} 行", "{} rows", r.rows),
                    r.digest.to_hex(),
                ]);
            }
            rows.push(vec![
                table_label(lang, "plan"),
                show(&inputs.paths.plan),
                String::new(),
                d.plan.to_hex(),
            ]);
            output::print_table(&rows, 0);
            outln!();
            outln!(
                "{}",
                tr!(
                    lang,
                    "按计划，各层将抽取（n 为符合条件的总数，k 为抽取数）：",
                    "By the plan, each stratum will draw (n eligible, k drawn):"
                )
            );
            for s in &strata {
                outln!(
                    "  {}  n={}  k={}  ({})",
                    i18n::stratum_name(lang, s.stratum.label()),
                    s.n,
                    s.k,
                    i18n::chance(s.k, s.n)
                );
            }
            for n in &inputs.notes {
                outln!(
                    "{}{}",
                    tr!(lang, "注意：", "note: "),
                    i18n::input_note(lang, n)
                );
            }
            if let Some(e) = &trial {
                outln!(
                    "{}{}",
                    tr!(lang, "注意：", "note: "),
                    i18n::input_note(lang, &bundle::InputNote::TrialDraw(e.clone()))
                );
            }
            outln!(
                "{}",
                tr!(
                    lang,
                    "未发现问题，可以发布公告。",
                    "No problems found; the inputs are ready to announce."
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(Fail::Bundle(BundleError::Inputs(p))) => {
            if a.json {
                let problems: Vec<_> = p.problems.iter().map(problem_json).collect();
                let out = json!({
                    "ok": false,
                    "problems": problems,
                    "notes": p.notes.iter().map(|n| n.to_string()).collect::<Vec<_>>(),
                });
                outln!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
                return Err(Fail::Reported);
            }
            print_problems(lang, &p);
            Err(Fail::Reported)
        }
        Err(e) => Err(e),
    }
}

fn problem_json(p: &InputProblem) -> serde_json::Value {
    match p {
        InputProblem::Roster(e) => json!({
            "file": e.file,
            "line": e.line,
            "field": e.field.as_ref().map(|f| f.name),
            "header": e.field.as_ref().map(|f| f.header.clone()),
            "message": e.kind.to_string(),
        }),
        InputProblem::Missing { path, .. }
        | InputProblem::UnsupportedType { path, .. }
        | InputProblem::Unreadable { path, .. } => json!({
            "file": show(path), "line": null, "field": null, "message": p.to_string(),
        }),
        InputProblem::Ambiguous { csv, .. } => json!({
            "file": show(csv), "line": null, "field": null, "message": p.to_string(),
        }),
        InputProblem::Plan(e) => json!({
            "file": e.file, "line": e.line, "field": e.field, "message": e.kind.to_string(),
        }),
        InputProblem::Omitted { file, .. } | InputProblem::Draw { file, .. } => json!({
            "file": file, "line": null, "field": null, "message": p.to_string(),
        }),
        other => json!({"file": null, "line": null, "field": null, "message": other.to_string()}),
    }
}

// ---------------------------------------------------------------------------------------------
// announce
// ---------------------------------------------------------------------------------------------

fn parse_pair(raw: &str, flag: &str, lang: Lang) -> Result<(String, String), Fail> {
    match raw.split_once('=') {
        Some((n, v)) if !n.trim().is_empty() && !v.trim().is_empty() => {
            Ok((party_name(n, lang)?, v.trim().to_string()))
        }
        _ => Err(Fail::Usage(tr!(
            lang,
            "{flag} 的值应写作 名字=值，收到的是 {raw:?}",
            "{flag} takes NAME=VALUE, got {raw:?}"
        ))),
    }
}

fn announce(a: AnnounceArgs, lang: Lang) -> Result<ExitCode, Fail> {
    bundle::check_name("draw id", &a.draw_id)
        .map_err(|e| Fail::Usage(i18n::bundle_error(lang, &e)))?;
    let organizer = party_name(&a.organizer_name, lang)?;
    let mut witnesses = vec![];
    for w in &a.witness {
        let (name, hexv) = parse_pair(w, "--witness", lang)?;
        let c = Digest32::from_hex(&hexv.to_ascii_lowercase()).ok_or_else(|| {
            Fail::Usage(tr!(
                lang,
                "--witness {name}=…：承诺值应为 64 位十六进制数字",
                "--witness {name}=…: a commitment is 64 hex digits"
            ))
        })?;
        witnesses.push((name, c));
    }
    let now = now_or(a.now);
    let beacon = match (&a.drand, &a.external_beacon, &a.beacon_source) {
        (Some(net), _, _) => {
            let chain = drand_chain(*net);
            let round = chain
                .future_round(now.unix(), a.drand_after.saturating_mul(60))
                .map_err(|e| Fail::Usage(e.to_string()))?;
            Some(chain.spec(round))
        }
        (None, Some(description), Some(source)) => Some(BeaconSpec::External {
            description: description.clone(),
            source: source.clone(),
        }),
        _ => None,
    };
    let beacon_time = match &beacon {
        Some(BeaconSpec::Drand {
            genesis_time,
            period_seconds,
            round,
            ..
        }) => double_random::ceremony::beacon::round_time(*genesis_time, *period_seconds, *round)
            .ok()
            .and_then(Timestamp::from_unix),
        _ => None,
    };
    let scheduled_at = a.scheduled_at.or(beacon_time).unwrap_or(now);
    if scheduled_at < now {
        return Err(Fail::Usage(tr!(
            lang,
            "--scheduled-at {scheduled_at} 早于现在 {now}",
            "--scheduled-at {scheduled_at} is before now ({now})"
        )));
    }
    let private = PrivateDir::new(a.office.private_dir());
    let draw_dir = DrawDir::new(
        a.dir
            .clone()
            .unwrap_or_else(|| in_office(&a.office.office, &a.draw_id)),
    );
    bundle::check_private_outside(private.root(), draw_dir.root())?;
    let paths = input_paths(&a.inputs, lang)?;
    let inputs = load(&paths)?;
    let key = private.read_key()?;
    let secret = match &a.secret_file {
        Some(f) => bundle::read_secret_file(f)?,
        None => Secret::generate().map_err(|e| Fail::Io(e.to_string()))?,
    };
    let log_path = a.office.log_path();
    let ann = bundle::announce(
        &draw_dir,
        &private,
        &log_path,
        &AnnounceRequest {
            draw_id: &a.draw_id,
            inputs: &inputs,
            key: &key,
            organizer: &organizer,
            organizer_secret: &secret,
            witnesses: &witnesses,
            beacon,
            announced_at: now,
            scheduled_at,
        },
    )?;
    drop(secret);
    print_announcement(lang, &ann, &draw_dir, &private, &log_path)?;
    for n in &inputs.notes {
        outln!(
            "{}{}",
            tr!(lang, "注意：", "note: "),
            i18n::input_note(lang, n)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn drand_chain(net: DrandNet) -> &'static DrandChain {
    match net {
        DrandNet::Quicknet => &DRAND_QUICKNET,
        DrandNet::Mainnet => &DRAND_MAINNET,
    }
}

fn print_announcement(
    lang: Lang,
    ann: &Announcement,
    draw_dir: &DrawDir,
    private: &PrivateDir,
    log_path: &Path,
) -> Result<(), Fail> {
    let digest = ann.digest().map_err(|e| Fail::Ceremony(e.to_string()))?;
    outln!(
        "{}",
        tr!(
            lang,
            "已发布抽查公告 {}，写入 {}。\n  公告摘要：{digest}\n  公告时间：{}　抽取时间：{}",
            "Announced draw {} in {}.\n  announcement digest: {digest}\n  announced at {}, draw scheduled at {}",
            ann.draw_id,
            show(draw_dir.root()),
            ann.announced_at,
            ann.scheduled_at
        )
    );
    outln!(
        "{}",
        tr!(lang, "  参与方与承诺值：", "  parties and commitments:")
    );
    for p in &ann.parties {
        let role = match (lang, p.role) {
            (Lang::Zh, Role::Organizer) => "组织者",
            (Lang::Zh, Role::Witness) => "监督人",
            (Lang::En, Role::Organizer) => "organizer",
            (Lang::En, Role::Witness) => "witness",
        };
        outln!("    {}（{role}）{}", p.name, p.commitment);
    }
    match &ann.beacon {
        None => outln!("{}", tr!(lang, "  信标：无", "  beacon: none")),
        Some(BeaconSpec::Drand {
            chain_hash, round, ..
        }) => {
            let name = DrandChain::known(&chain_hash.0).map_or("drand", |c| c.name);
            outln!(
                "{}",
                tr!(
                    lang,
                    "  信标：drand {name} 第 {round} 轮（公告后才产生）。抽取时从\n    https://api.drand.sh/{}/public/{round}\n  下载该轮 JSON，用 --drand-round-file 输入。",
                    "  beacon: drand {name} round {round} (published after the announcement). At the draw, download\n    https://api.drand.sh/{}/public/{round}\n  and pass it with --drand-round-file.",
                    hex::encode(chain_hash.0)
                )
            );
        }
        Some(BeaconSpec::External {
            description,
            source,
        }) => outln!(
            "{}",
            tr!(
                lang,
                "  信标：{description}（来源：{source}）；抽取时用 --beacon-value 照录其值。",
                "  beacon: {description} (source: {source}); enter its value at the draw with --beacon-value."
            )
        ),
    }
    for p in ann.parties.iter().filter(|p| p.role == Role::Organizer) {
        if let Ok(path) = private.secret_path(&ann.draw_id, &p.name) {
            outln!(
                "{}",
                tr!(
                    lang,
                    "  组织者秘密数保存在 {}（抽取前切勿公开）。",
                    "  The organizer's secret is in {} (keep it private until the draw).",
                    show(&path)
                )
            );
        }
    }
    outln!(
        "{}",
        tr!(
            lang,
            "  已记入日志 {}。",
            "  Recorded in the log {}.",
            show(log_path)
        )
    );
    if ann.beacon.is_none() && !ann.parties.iter().any(|p| p.role == Role::Witness) {
        outln!(
            "{}",
            tr!(
                lang,
                "提示：本次既没有监督人也没有公共信标，旁人无法排除组织者反复试种子的可能；建议至少请一位监督人或指定一个公共信标。",
                "Hint: with neither a witness nor a public beacon, nobody can rule out that the organizer tried many seeds; name at least one of them."
            )
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// draw
// ---------------------------------------------------------------------------------------------

#[derive(serde::Deserialize)]
struct DrandRound {
    round: u64,
    randomness: String,
    signature: String,
    #[serde(default)]
    previous_signature: Option<String>,
}

fn read_drand_round(path: &Path, lang: Lang) -> Result<BeaconValue, Fail> {
    let bytes =
        files::read_limited(path, bundle::MAX_SMALL_FILE_BYTES).map_err(BundleError::from)?;
    let bad = |what: String| {
        Fail::Usage(tr!(
            lang,
            "{}：不是 drand 轮次 JSON：{what}",
            "{}: not a drand round JSON: {what}",
            show(path)
        ))
    };
    let r: DrandRound = serde_json::from_slice(&bytes).map_err(|e| bad(e.to_string()))?;
    let decode = |s: &str| hex::decode(s.trim()).map_err(|e| bad(e.to_string()));
    let randomness: [u8; 32] = decode(&r.randomness)?
        .try_into()
        .map_err(|_| bad("randomness".into()))?;
    Ok(BeaconValue::Drand {
        round: r.round,
        signature: HexBytes(decode(&r.signature)?),
        previous_signature: match &r.previous_signature {
            Some(p) if !p.trim().is_empty() => Some(HexBytes(decode(p)?)),
            _ => None,
        },
        randomness: Hex32(randomness),
    })
}

fn parse_reveals(a: &DrawArgs, lang: Lang) -> Result<Vec<(String, Secret)>, Fail> {
    let mut v: Vec<(String, Secret)> = vec![];
    for r in &a.reveal {
        let (name, hexv) = parse_pair(r, "--reveal", lang)?;
        let s = Secret::from_hex(&hexv).map_err(|_| {
            Fail::Usage(tr!(
                lang,
                "--reveal {name}=…：秘密数应为 64 位十六进制数字",
                "--reveal {name}=…: a secret is 64 hex digits"
            ))
        })?;
        v.push((name, s));
    }
    for r in &a.reveal_file {
        let (name, path) = parse_pair(r, "--reveal-file", lang)?;
        v.push((name, bundle::read_secret_file(Path::new(&path))?));
    }
    let mut names: Vec<&str> = v.iter().map(|(n, _)| n.as_str()).collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(Fail::Usage(tr!(
            lang,
            "{:?} 的秘密数给出了两次",
            "a secret for {:?} was given twice",
            w[0]
        )));
    }
    Ok(v)
}

fn draw(a: DrawArgs, lang: Lang) -> Result<ExitCode, Fail> {
    let reveals = parse_reveals(&a, lang)?;
    let beacon = match (&a.beacon_value, &a.drand_round_file) {
        (Some(v), _) => Some(BeaconValue::External { value: v.clone() }),
        (None, Some(f)) => Some(read_drand_round(f, lang)?),
        (None, None) => None,
    };
    let private = PrivateDir::new(a.office.private_dir());
    let draw_dir = DrawDir::new(&a.dir);
    bundle::check_private_outside(private.root(), draw_dir.root())?;
    let key = private.read_key()?;
    let log_path = a.office.log_path();
    let mut bar = Bar::new();
    let drawn = bundle::draw(
        &draw_dir,
        &private,
        &log_path,
        &DrawRequest {
            key: &key,
            reveals: &reveals,
            beacon,
            drawn_at: now_or(a.now),
        },
        &mut bar,
    )?;
    drop(reveals);
    let names = drawn.inputs.plan_item_names();
    let written = write_views(
        &draw_dir,
        &drawn.announcement,
        &drawn.sheet,
        &[],
        names,
        lang,
    )?;
    let view = View {
        announcement: &drawn.announcement,
        announcement_digest: drawn.announcement.digest().unwrap_or(Digest32([0; 32])),
        sheet: &drawn.sheet,
        sheet_digest: drawn.sheet.digest().unwrap_or(Digest32([0; 32])),
        amendments: &[],
        item_names: vec![],
        lang,
    };
    if a.json {
        let out = json!({
            "draw_id": drawn.sheet.draw_id,
            "announcement": view.announcement_digest,
            "sheet": view.sheet_digest,
            "seed": drawn.sheet.seed,
            "reveals": drawn.sheet.reveals.iter().map(|r| json!({"name": r.name, "secret": r.secret})).collect::<Vec<_>>(),
            "strata": drawn.sheet.strata.iter().map(|s| json!({"stratum": s.stratum, "n": s.n, "k": s.k})).collect::<Vec<_>>(),
            "entities": drawn.sheet.entities.iter().map(|e| json!({
                "id": e.id, "name": e.name,
                "officers": e.officers.iter().map(|i| json!({"id": i, "name": view.inspector_name(i)})).collect::<Vec<_>>(),
                "experts": e.experts.iter().map(|i| json!({"id": i, "name": view.inspector_name(i)})).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "files": written,
        });
        outln!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        return Ok(ExitCode::SUCCESS);
    }
    print_sheet(lang, &view, &draw_dir, &log_path, &written);
    Ok(ExitCode::SUCCESS)
}

fn print_sheet(
    lang: Lang,
    view: &View<'_>,
    draw_dir: &DrawDir,
    log_path: &Path,
    written: &[String],
) {
    let sheet = view.sheet;
    outln!(
        "{}",
        tr!(
            lang,
            "已完成抽取 {}（{}）。",
            "Drew {} ({}).",
            sheet.draw_id,
            sheet.drawn_at
        )
    );
    outln!(
        "{}",
        tr!(
            lang,
            "  揭示的秘密数（已与承诺值核对）：",
            "  secrets revealed (checked against the commitments):"
        )
    );
    for r in &sheet.reveals {
        outln!("    {}  {}", r.name, r.secret);
    }
    match &sheet.beacon {
        Some(BeaconValue::External { value }) => {
            outln!(
                "{}",
                tr!(lang, "  信标值：{value}", "  beacon value: {value}")
            )
        }
        Some(BeaconValue::Drand {
            round, randomness, ..
        }) => outln!(
            "{}",
            tr!(
                lang,
                "  信标：drand 第 {round} 轮，随机值 {}（签名已核验）",
                "  beacon: drand round {round}, randomness {} (signature verified)",
                hex::encode(randomness.0)
            )
        ),
        None => {}
    }
    outln!("{}", tr!(lang, "  种子：{}", "  seed: {}", sheet.seed));
    for s in &sheet.strata {
        outln!(
            "  {}  n={}  k={}  ({})",
            i18n::stratum_name(lang, &s.stratum),
            s.n,
            s.k,
            i18n::chance(s.k, s.n)
        );
    }
    let mut rows = vec![vec![
        tr!(lang, "序号", "No."),
        tr!(lang, "统一社会信用代码", "Id"),
        tr!(lang, "名称", "Name"),
        tr!(lang, "检查人员（第一位为主检）", "Inspectors (lead first)"),
    ]];
    for (i, row) in view.rows().iter().enumerate() {
        rows.push(vec![
            (i + 1).to_string(),
            row.entity.id.clone(),
            row.entity.name.clone(),
            view.team_names(&row.entity),
        ]);
    }
    output::print_table(&rows, 2);
    outln!(
        "{}",
        tr!(
            lang,
            "  已写出：{}（均在 {} 中）；已记入日志 {}。",
            "  Wrote {} (in {}); recorded in the log {}.",
            written.join("、"),
            show(draw_dir.root()),
            show(log_path)
        )
    );
}

/// Writes `sheet.csv` and `notice.html` (regenerated views; replaced when amendments follow).
fn write_views(
    draw_dir: &DrawDir,
    ann: &Announcement,
    sheet: &Sheet,
    amendments: &[Amendment],
    item_names: Vec<String>,
    lang: Lang,
) -> Result<Vec<String>, Fail> {
    let view = View {
        announcement: ann,
        announcement_digest: ann.digest().map_err(|e| Fail::Ceremony(e.to_string()))?,
        sheet,
        sheet_digest: sheet.digest().map_err(|e| Fail::Ceremony(e.to_string()))?,
        amendments,
        item_names,
        lang,
    };
    let csv = output::sheet_csv(&view).map_err(|e| Fail::Io(e.to_string()))?;
    files::write_replace(draw_dir.path("sheet.csv"), &csv).map_err(BundleError::from)?;
    files::write_replace(
        draw_dir.path("notice.html"),
        notice::render(&view).as_bytes(),
    )
    .map_err(BundleError::from)?;
    let mut written = vec![
        bundle::SHEET_FILE.to_string(),
        bundle::signature_file(bundle::SHEET_FILE),
        "sheet.csv".to_string(),
        "notice.html".to_string(),
    ];
    if let Some(last) = amendments.last() {
        let name = bundle::amendment_file(last.seq);
        written = vec![
            bundle::signature_file(&name),
            "sheet.csv".to_string(),
            "notice.html".to_string(),
        ];
        written.insert(0, name);
    }
    Ok(written)
}

// ---------------------------------------------------------------------------------------------
// verify
// ---------------------------------------------------------------------------------------------

fn depth_name(lang: Lang, d: Depth) -> String {
    match (lang, d) {
        (Lang::Zh, Depth::Announcement) => "仅公告（尚未抽取）".into(),
        (Lang::Zh, Depth::Public) => "公开核验（签名、承诺值、信标、种子）".into(),
        (Lang::Zh, Depth::Plan) => "公开核验，并按计划核对各层抽取数".into(),
        (Lang::Zh, Depth::Full) => "完整重放（全部输入文件齐全）".into(),
        (Lang::En, Depth::Announcement) => "announcement only (not drawn yet)".into(),
        (Lang::En, Depth::Public) => "public checks (signatures, commitments, beacon, seed)".into(),
        (Lang::En, Depth::Plan) => "public checks and each stratum's k against the plan".into(),
        (Lang::En, Depth::Full) => "full replay (every input present)".into(),
    }
}

fn verify(a: VerifyArgs, lang: Lang) -> Result<ExitCode, Fail> {
    let pk = match &a.public_key {
        Some(p) => Some(bundle::read_public_key_file(p)?),
        None => None,
    };
    let mut bar = Bar::new();
    let mut v = bundle::verify_dir_detailed(&a.dir, pk.as_ref(), &mut bar)?;
    if let Some(log_path) = &a.log {
        let found = bundle::check_recorded(&a.dir, log_path)?;
        v.report.checked.push(format!(
            "the office log records the documents ({})",
            show(log_path)
        ));
        v.report.findings.extend(found);
    }
    let passed = v.report.passed();
    if a.json {
        let out = json!({
            "result": if passed { "PASS" } else { "FAIL" },
            "draw_id": v.draw_id,
            "depth": match v.depth {
                Depth::Announcement => "announcement",
                Depth::Public => "public",
                Depth::Plan => "plan",
                Depth::Full => "full",
            },
            "key_from_folder": v.key_from_folder,
            "withheld": v.withheld,
            "amendments": v.amendments,
            "checked": v.report.checked,
            "findings": v.report.findings.iter().map(|f| f.to_string()).collect::<Vec<_>>(),
        });
        outln!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        print_verification(lang, &a.dir, &v);
    }
    Ok(if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_verification(lang: Lang, dir: &Path, v: &bundle::DirVerification) {
    outln!(
        "{}",
        tr!(
            lang,
            "核验抽取 {}（文件夹 {}）",
            "Verifying draw {} (folder {})",
            v.draw_id,
            show(dir)
        )
    );
    if v.key_from_folder {
        outln!(
            "{}",
            tr!(
                lang,
                "  公钥：使用文件夹中的 organizer.pub。这只能证明文件彼此一致；请用 --public-key 指定从机关独立渠道获得的公钥。",
                "  key: organizer.pub from the folder itself. That proves only that the files agree with each other; pass --public-key with the key the office publishes."
            )
        );
    }
    outln!(
        "{}",
        tr!(
            lang,
            "  核验范围：{}",
            "  depth: {}",
            depth_name(lang, v.depth)
        )
    );
    if !v.withheld.is_empty() {
        outln!(
            "{}",
            tr!(
                lang,
                "  未提供：{}（因此不能完整重放）",
                "  not in the folder: {} (so no full replay)",
                v.withheld.join("、")
            )
        );
    }
    // Checks are ticked only when everything passed; findings say what failed.
    let mark = if v.report.passed() { "✓" } else { "·" };
    for c in &v.report.checked {
        outln!("  {mark} {}", i18n::checked(lang, c));
    }
    if v.report.passed() {
        outln!("PASS");
    } else {
        outln!(
            "FAIL{}",
            tr!(
                lang,
                "（发现 {} 项问题）",
                " ({} findings)",
                v.report.findings.len()
            )
        );
        for f in &v.report.findings {
            outln!("  ✗ {}", i18n::finding(lang, f));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// amend, void, log
// ---------------------------------------------------------------------------------------------

fn reason_code(r: ReasonArg) -> ReasonCode {
    match r {
        ReasonArg::EntityClosed => ReasonCode::EntityClosed,
        ReasonArg::EntityUnreachable => ReasonCode::EntityUnreachable,
        ReasonArg::EntityMovedOut => ReasonCode::EntityMovedOut,
        ReasonArg::EntityOutOfScope => ReasonCode::EntityOutOfScope,
        ReasonArg::InspectorRecused => ReasonCode::InspectorRecused,
        ReasonArg::InspectorUnavailable => ReasonCode::InspectorUnavailable,
    }
}

fn amend(a: AmendArgs, lang: Lang) -> Result<ExitCode, Fail> {
    let code = normalize::code;
    let action = match (&a.replace_entity, &a.replace_inspector, &a.entity) {
        (Some(e), None, _) => Action::ReplaceEntity { entity: code(e) },
        (None, Some(i), Some(e)) => Action::ReplaceInspector {
            entity: code(e),
            inspector: code(i),
        },
        _ => {
            return Err(Fail::Usage(tr!(
                lang,
                "请用 --replace-entity 代码，或 --replace-inspector 证号 --entity 代码",
                "give --replace-entity ID, or --replace-inspector ID --entity ID"
            )));
        }
    };
    let code = reason_code(a.reason);
    let entity_reason = matches!(
        code,
        ReasonCode::EntityClosed
            | ReasonCode::EntityUnreachable
            | ReasonCode::EntityMovedOut
            | ReasonCode::EntityOutOfScope
    );
    if entity_reason != matches!(action, Action::ReplaceEntity { .. }) {
        return Err(Fail::Usage(tr!(
            lang,
            "原因代码与变更不符：替换检查对象用 entity-closed、entity-unreachable、entity-moved-out 或 entity-out-of-scope；替换检查人员用 inspector-recused 或 inspector-unavailable",
            "the reason code does not fit: replacing an entity takes entity-closed, entity-unreachable, entity-moved-out or entity-out-of-scope; replacing an inspector takes inspector-recused or inspector-unavailable"
        )));
    }
    let private = PrivateDir::new(a.office.private_dir());
    let key = private.read_key()?;
    let draw_dir = DrawDir::new(&a.dir);
    let log_path = a.office.log_path();
    let mut bar = Bar::new();
    let (amendment, drawn) = bundle::amend(
        &draw_dir,
        &log_path,
        &key,
        action,
        Reason {
            code,
            text: a.text.clone(),
        },
        now_or(a.now),
        &mut bar,
    )?;
    let all: Vec<Amendment> = draw_dir
        .read_amendments()?
        .into_iter()
        .map(|d| d.value)
        .collect();
    let written = write_views(
        &draw_dir,
        &drawn.announcement,
        &drawn.sheet,
        &all,
        drawn.inputs.plan_item_names(),
        lang,
    )?;
    let view = View {
        announcement: &drawn.announcement,
        announcement_digest: Digest32([0; 32]),
        sheet: &drawn.sheet,
        sheet_digest: Digest32([0; 32]),
        amendments: &all,
        item_names: vec![],
        lang,
    };
    match (&amendment.action, &amendment.outcome) {
        (Action::ReplaceEntity { entity }, Outcome::ReplaceEntity { entity: new }) => outln!(
            "{}",
            tr!(
                lang,
                "已记录补抽（记录 {}）：{entity} 由同层的下一个抽取结果 {}（{}）替换，检查人员：{}。",
                "Recorded amendment {}: {entity} is replaced by the next pick of its stratum, {} ({}), inspectors: {}.",
                amendment.seq,
                new.name,
                new.id,
                view.team_names(new)
            )
        ),
        (
            Action::ReplaceInspector { entity, inspector },
            Outcome::ReplaceInspector { inspector: new },
        ) => {
            outln!(
                "{}",
                tr!(
                    lang,
                    "已记录回避（记录 {}）：{entity} 检查组中的 {} 由 {} 替换。",
                    "Recorded amendment {}: in the team of {entity}, {} is replaced by {}.",
                    amendment.seq,
                    view.inspector_name(inspector),
                    view.inspector_name(new)
                )
            )
        }
        _ => {}
    }
    outln!(
        "{}",
        tr!(
            lang,
            "  已写出：{}；已记入日志 {}。",
            "  Wrote {}; recorded in the log {}.",
            written.join("、"),
            show(&log_path)
        )
    );
    Ok(ExitCode::SUCCESS)
}

fn void(a: VoidArgs, lang: Lang) -> Result<ExitCode, Fail> {
    if a.reason.trim().is_empty() {
        return Err(Fail::Usage(tr!(
            lang,
            "请用 --reason 写明作废原因",
            "give the reason with --reason"
        )));
    }
    let log_path = in_office(&a.office, bundle::LOG_FILE);
    let entry = bundle::void(
        &DrawDir::new(&a.dir),
        &log_path,
        a.reason.trim(),
        now_or(a.now),
    )?;
    outln!(
        "{}",
        tr!(
            lang,
            "抽取 {} 已作废（日志第 {} 条）：{}\n作废记录永久保留；这次抽取不能再进行。",
            "Draw {} is void (log entry {}): {}\nThe void stays in the log; this draw can never be made.",
            entry.draw_id,
            entry.seq,
            entry.note
        )
    );
    Ok(ExitCode::SUCCESS)
}

fn show_log(a: LogArgs, lang: Lang) -> Result<ExitCode, Fail> {
    let path = a
        .file
        .clone()
        .unwrap_or_else(|| in_office(&a.office, bundle::LOG_FILE));
    if !path.is_file() {
        return Err(Fail::Io(tr!(
            lang,
            "{}：找不到日志文件",
            "{}: no such log file",
            show(&path)
        )));
    }
    let bytes = files::LogFile::open(&path)
        .and_then(|l| l.read())
        .map_err(BundleError::from)?;
    let report = log::check(&bytes, true);
    let mut rows = vec![vec![
        tr!(lang, "序号", "Seq"),
        tr!(lang, "时间", "Time"),
        tr!(lang, "类型", "Kind"),
        tr!(lang, "抽取编号", "Draw"),
        tr!(lang, "文件摘要", "Document"),
        tr!(lang, "说明", "Note"),
    ]];
    for e in &report.entries {
        let d = e.document.to_hex();
        rows.push(vec![
            e.seq.to_string(),
            e.time.to_string(),
            i18n::entry_kind(lang, e.kind).to_string(),
            e.draw_id.clone(),
            d.get(..16).unwrap_or(&d).to_string(),
            e.note.clone(),
        ]);
    }
    output::print_table(&rows, 0);
    let strict = log::check(&bytes, false);
    let pending: Vec<&str> = strict
        .findings
        .iter()
        .filter_map(|f| match f {
            log::LogFinding::Unresolved { draw_id, .. } => Some(draw_id.as_str()),
            _ => None,
        })
        .collect();
    if !pending.is_empty() {
        outln!(
            "{}",
            tr!(
                lang,
                "尚未抽取也未作废：{}",
                "announced, neither drawn nor void: {}",
                pending.join("、")
            )
        );
    }
    if report.is_ok() {
        if a.verify {
            outln!(
                "{}",
                tr!(
                    lang,
                    "日志完好：{} 条，哈希链完整，顺序正确。",
                    "The log is sound: {} entries, the hash chain holds, the order is right.",
                    report.entries.len()
                )
            );
        }
        Ok(ExitCode::SUCCESS)
    } else {
        outln!(
            "{}",
            tr!(
                lang,
                "日志有问题（{} 项）：",
                "The log has problems ({}):",
                report.findings.len()
            )
        );
        for f in &report.findings {
            outln!("  ✗ {}", i18n::log_finding(lang, f));
        }
        Ok(if a.verify {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    }
}

// ---------------------------------------------------------------------------------------------
// demo
// ---------------------------------------------------------------------------------------------

/// The sample rosters and plan of `examples/data`, built into the program for the demo.
const SAMPLE_DATA: &[(&str, &[u8])] = &[
    ("entities.csv", include_bytes!("../data/entities.csv")),
    ("inspectors.csv", include_bytes!("../data/inspectors.csv")),
    ("items.csv", include_bytes!("../data/items.csv")),
    ("conflicts.csv", include_bytes!("../data/conflicts.csv")),
    ("history.csv", include_bytes!("../data/history.csv")),
    ("plan.toml", include_bytes!("../data/plan.toml")),
];

/// A secret of the demo: `byte` repeated when `fixed` (the insecure fixed secrets that make the
/// demo's output reproducible), otherwise from the operating system.
fn demo_secret(fixed: bool, byte: u8) -> Result<Secret, Fail> {
    if fixed {
        Ok(Secret::from_bytes([byte; 32]))
    } else {
        Secret::generate().map_err(|e| Fail::Io(e.to_string()))
    }
}

fn demo(a: DemoArgs, lang: Lang) -> Result<ExitCode, Fail> {
    if let Some(data) = &a.data
        && !data.is_dir()
    {
        return Err(Fail::Io(tr!(
            lang,
            "找不到示例数据文件夹 {}",
            "the sample data folder {} is missing",
            show(data)
        )));
    }
    if a.out.exists() {
        let empty = std::fs::read_dir(&a.out)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(Fail::Refused(tr!(
                lang,
                "{} 已存在且不是空文件夹；演示只写入新的或空的文件夹，请换一个 --out",
                "{} exists and is not empty; the demo writes only into a new or empty folder: choose another --out",
                show(&a.out)
            )));
        }
    }
    std::fs::create_dir_all(&a.out).map_err(|e| Fail::Io(format!("{}: {e}", show(&a.out))))?;
    // Without --data, the sample rosters built into the program are written out first, so the
    // demo runs wherever the program is.
    let data = match &a.data {
        Some(d) => d.clone(),
        None => {
            let d = a.out.join("sample-data");
            std::fs::create_dir_all(&d).map_err(|e| Fail::Io(format!("{}: {e}", show(&d))))?;
            for (name, bytes) in SAMPLE_DATA {
                files::write_new(d.join(name), bytes).map_err(BundleError::from)?;
            }
            d
        }
    };
    let fixed = a.insecure_fixed_secrets;
    let now = now_or(a.now);
    let out = &a.out;
    let private = PrivateDir::new(out.join("private"));
    let witness_private = PrivateDir::new(out.join("witness-private"));
    let log_path = out.join(bundle::LOG_FILE);
    let pub_path = out.join(bundle::PUBLIC_KEY_FILE);
    let witness_name = tr!(lang, "纪检监督员", "witness");
    let draw_id = "DEMO-2026-01";
    let draw_dir = DrawDir::new(out.join(draw_id));
    let step = |n: u32, zh: &str, en: &str| {
        outln!();
        outln!(
            "{}",
            match lang {
                Lang::Zh => format!("第 {n} 步　{zh}"),
                Lang::En => format!("Step {n}. {en}"),
            }
        );
    };
    outln!(
        "{}",
        tr!(
            lang,
            "演示：用示例数据（{}）在 {} 中完整走一遍双随机抽取。每一步都会说明它做了什么、为什么。",
            "Demo: a whole 双随机 draw on the sample data ({}) in {}. Each step says what it does and why.",
            show(&data),
            show(out)
        )
    );

    // 1. Key.
    step(1, "机关生成签名密钥", "The office makes its signing key");
    let key = if fixed {
        SecretKey::from_seed(KeyId([0x44; 8]), &[0x11; 32])
    } else {
        SecretKey::generate().map_err(|e| Fail::Io(e.to_string()))?
    };
    write_key_pair(&private, &pub_path, &key)?;
    outln!(
        "{}",
        tr!(
            lang,
            "  私钥存入 {}（只有本人可读，绝不公开）；公钥存入 {}，编号 {}。\n  机关发布的每份文件都用私钥签名，任何人都能用公钥确认文件确实出自机关且未被改动。",
            "  The secret key is in {} (readable by you only, never published); the public key in {}, id {}.\n  Every file the office publishes is signed, so anyone can confirm with the public key that it comes from the office, unchanged.",
            show(&private.key_path()),
            show(&pub_path),
            key.key_id()
        )
    );

    // 2. Witness.
    step(
        2,
        "监督人生成自己的秘密数",
        "A witness makes its own secret",
    );
    let witness_secret = demo_secret(fixed, 0x33)?;
    let witness_file = witness_private.write_secret(draw_id, &witness_name, &witness_secret)?;
    let witness_commitment = commitment(&witness_name, &witness_secret);
    outln!(
        "{}",
        tr!(
            lang,
            "  监督人在自己的电脑上运行 witness，秘密数存入 {}，只把承诺值交给机关：\n    {witness_commitment}\n  承诺值写入公告后，秘密数就不能再更改；只要监督人不与机关串通，机关就无法事先算出结果。",
            "  The witness runs `witness` on its own machine; the secret stays in {}, only the commitment goes to the office:\n    {witness_commitment}\n  Once the commitment is announced the secret cannot change; unless the witness colludes, the office cannot compute the result in advance.",
            show(&witness_file)
        )
    );

    // 3. Check.
    step(3, "检查名录和计划", "Check rosters and plan");
    let paths = InputPaths::find(&data, None).map_err(|p| Fail::Bundle(BundleError::Inputs(p)))?;
    let inputs = load(&paths)?;
    let d = &inputs.digests;
    outln!(
        "{}",
        tr!(
            lang,
            "  检查对象 {} 户、检查人员 {} 人、抽查事项 {} 项、回避关系 {} 条、检查历史 {} 条，均无问题。\n  每个文件都计算了摘要（指纹），任何一处改动都会改变摘要。",
            "  {} entities, {} inspectors, {} items, {} conflicts, {} history rows: no problems.\n  Each file gets a digest (fingerprint); any change to it changes the digest.",
            d.entities.rows,
            d.inspectors.rows,
            d.items.rows,
            d.conflicts.rows,
            d.history.rows
        )
    );
    if let Some(e) = bundle::trial_draw(&inputs) {
        return Err(Fail::Ceremony(i18n::draw_error(lang, &e)));
    }

    // 4. Announce.
    step(
        4,
        "发布抽查公告（抽取之前）",
        "Announce (before anything random exists)",
    );
    let organizer_secret = demo_secret(fixed, 0x22)?;
    let beacon = BeaconSpec::External {
        description: tr!(
            lang,
            "示例信标：福利彩票双色球 2026023 期开奖号码，按开奖顺序以空格分隔（演示用）",
            "Example beacon: the numbers of China Welfare Lottery draw 2026023 in drawing order, separated by spaces (demo)"
        ),
        source: "https://www.cwl.gov.cn/".into(),
    };
    let ann = bundle::announce(
        &draw_dir,
        &private,
        &log_path,
        &AnnounceRequest {
            draw_id,
            inputs: &inputs,
            key: &key,
            organizer: "organizer",
            organizer_secret: &organizer_secret,
            witnesses: &[(witness_name.clone(), witness_commitment)],
            beacon: Some(beacon),
            announced_at: now,
            scheduled_at: now,
        },
    )?;
    drop(organizer_secret);
    let ann_digest = ann.digest().map_err(|e| Fail::Ceremony(e.to_string()))?;
    outln!(
        "{}",
        tr!(
            lang,
            "  公告 {} 固定了：全部输入文件的摘要、机关和监督人的承诺值、一个尚未产生的公共信标（某期彩票号码）。\n  公告摘要：{ann_digest}\n  公告已签名并记入机关日志 {}；日志是哈希链，删改任何一条都会被发现。",
            "  The announcement {} fixes: every input's digest, the office's and the witness's commitments, and a public beacon not yet known (a lottery draw).\n  Announcement digest: {ann_digest}\n  It is signed and recorded in the office log {}; the log is a hash chain, so removing or editing an entry shows.",
            show(&draw_dir.path(bundle::ANNOUNCEMENT_FILE)),
            show(&log_path)
        )
    );

    // 5. Draw.
    step(
        5,
        "抽取：揭示秘密数，输入信标值",
        "Draw: reveal the secrets, enter the beacon value",
    );
    let witness_reveal = witness_private.read_secret(draw_id, &witness_name)?;
    let drawn = bundle::draw(
        &draw_dir,
        &private,
        &log_path,
        &DrawRequest {
            key: &key,
            reveals: &[(witness_name.clone(), witness_reveal)],
            beacon: Some(BeaconValue::External {
                value: "03 09 14 21 26 31 07".into(),
            }),
            drawn_at: now,
        },
        &mut Bar::new(),
    )?;
    outln!(
        "{}",
        tr!(
            lang,
            "  监督人和机关揭示秘密数，程序核对它们与承诺值相符；信标值（演示值 03 09 14 21 26 31 07）公开可查。\n  种子 = 公告摘要 + 各方秘密数 + 信标值 的哈希：{}\n  程序用这个种子按公开的规则抽取检查对象和检查人员：",
            "  The witness and the office reveal their secrets, checked against the commitments; the beacon value (demo value 03 09 14 21 26 31 07) is public.\n  seed = hash of announcement digest, secrets and beacon value: {}\n  The draw follows public rules from this seed:",
            drawn.sheet.seed
        )
    );
    for s in &drawn.sheet.strata {
        outln!(
            "{}",
            tr!(
                lang,
                "    {}：共 {} 户，抽取 {} 户，每户被抽中的机会 {}",
                "    {}: {} entities, {} drawn, each with chance {}",
                i18n::stratum_name(lang, &s.stratum),
                s.n,
                s.k,
                i18n::chance(s.k, s.n)
            )
        );
    }

    // 6. Publish.
    step(
        6,
        "写出公示页和公示表",
        "Write the publication page and table",
    );
    let item_names = drawn.inputs.plan_item_names();
    write_views(
        &draw_dir,
        &drawn.announcement,
        &drawn.sheet,
        &[],
        item_names.clone(),
        lang,
    )?;
    outln!(
        "{}",
        tr!(
            lang,
            "  {} 是签名的结果表（可重放的记录）；{} 可直接用 Excel 打开上报；{} 是可打印的公示页。",
            "  {} is the signed result (the replayable record); {} opens in Excel for the publicity system; {} is the printable notice.",
            show(&draw_dir.path(bundle::SHEET_FILE)),
            show(&draw_dir.path("sheet.csv")),
            show(&draw_dir.path("notice.html"))
        )
    );

    // 7. Amend.
    step(
        7,
        "补抽：一户无法联系",
        "Amend: one entity cannot be reached",
    );
    let Some(first) = drawn.sheet.entities.first() else {
        return Err(Fail::Ceremony(tr!(
            lang,
            "示例抽取没有抽中任何对象",
            "the demo draw drew nothing"
        )));
    };
    let victim = first.id.clone();
    let victim_name = first.name.clone();
    let (amendment, _) = bundle::amend(
        &draw_dir,
        &log_path,
        &key,
        Action::ReplaceEntity {
            entity: victim.clone(),
        },
        Reason {
            code: ReasonCode::EntityUnreachable,
            text: tr!(
                lang,
                "现场核查：通过登记的住所无法联系（演示）",
                "on site: not found at the registered address (demo)"
            ),
        },
        now,
        &mut Bar::new(),
    )?;
    let all: Vec<Amendment> = draw_dir
        .read_amendments()?
        .into_iter()
        .map(|d| d.value)
        .collect();
    write_views(
        &draw_dir,
        &drawn.announcement,
        &drawn.sheet,
        &all,
        item_names,
        lang,
    )?;
    if let Outcome::ReplaceEntity { entity: new } = &amendment.outcome {
        outln!(
            "{}",
            tr!(
                lang,
                "  {victim_name}（{victim}）无法联系。替补不是挑选的：它是同一层抽取序列的下一个，在知道谁需要替换之前就已确定。\n  替补：{}（{}）。补抽记录 {} 已签名、记入日志，公示页已更新。",
                "  {victim_name} ({victim}) cannot be reached. The replacement is not chosen: it is the next pick of the same stratum, fixed before anyone knew who would need replacing.\n  Replacement: {} ({}). Amendment {} is signed and logged; the notice is updated.",
                new.name,
                new.id,
                show(&draw_dir.path(&bundle::amendment_file(amendment.seq)))
            )
        );
    }

    // 8. Verify.
    step(8, "核验（任何人都可以做）", "Verify (anyone can)");
    let pk = bundle::read_public_key_file(&pub_path)?;
    let v = bundle::verify_dir_detailed(draw_dir.root(), Some(&pk), &mut Bar::new())?;
    outln!(
        "{}",
        tr!(
            lang,
            "  核验者只需要公开的文件和机关的公钥：\n    double-random verify {} --public-key {}",
            "  A verifier needs only the published files and the office's public key:\n    double-random verify {} --public-key {}",
            show(draw_dir.root()),
            show(&pub_path)
        )
    );
    print_verification(lang, draw_dir.root(), &v);
    if !v.report.passed() {
        return Ok(ExitCode::from(1));
    }
    outln!();
    outln!(
        "{}",
        tr!(
            lang,
            "演示完成。打开 {} 查看公示页。",
            "Demo complete. Open {} to see the notice.",
            show(&draw_dir.path("notice.html"))
        )
    );
    Ok(ExitCode::SUCCESS)
}
