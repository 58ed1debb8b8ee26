//! Command-line arguments (clap derive) and their help text in Chinese and English.
//!
//! The derive describes the structure; [`localize`] sets every help text, heading and example
//! from the tables below in the chosen language, so `--help` speaks the user's language.

use crate::i18n::Lang;
use clap::{ArgAction, Args, CommandFactory, Parser, Subcommand, ValueEnum};
use double_random::ceremony::amend::ReasonCode;
use std::path::PathBuf;

/// The command line.
#[derive(Debug, Parser)]
#[command(name = "double-random", version, disable_help_subcommand = true)]
pub struct Cli {
    /// Language of messages.
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "LANG",
        hide_possible_values = true
    )]
    pub lang: Option<LangArg>,
    /// The zone times are shown in (and plain local times read in).
    #[arg(
        long,
        global = true,
        value_name = "OFFSET",
        allow_hyphen_values = true,
        display_order = 900
    )]
    pub utc_offset: Option<String>,
    /// How many threads the library's parallel parts use (results do not depend on it).
    #[arg(
        long,
        global = true,
        value_name = "N",
        env = "DOUBLE_RANDOM_THREADS",
        hide_env = true,
        display_order = 901
    )]
    pub threads: Option<std::num::NonZeroUsize>,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// `--lang`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    /// 中文.
    Zh,
    /// English.
    En,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// A whole ceremony on the sample data.
    Demo(DemoArgs),
    /// Make the organizer's signing key.
    Keygen(KeygenArgs),
    /// A witness makes its secret and prints the commitment.
    Witness(WitnessArgs),
    /// Check rosters and plan.
    Check(CheckArgs),
    /// Announce a draw.
    Announce(Box<AnnounceArgs>),
    /// Make the draw.
    Draw(DrawArgs),
    /// Verify a draw folder.
    Verify(VerifyArgs),
    /// Amend a drawn sheet.
    Amend(AmendArgs),
    /// Void an announced draw.
    Void(VoidArgs),
    /// Import the timestamp token of an announcement.
    Timestamp(TimestampArgs),
    /// Show or check the office log.
    Log(LogArgs),
    /// Record a batch of inspection results.
    Record(RecordArgs),
    /// Correct published results.
    Correct(RecordArgs),
    /// Show what is due when.
    Status(StatusArgs),
}

/// `record` and `correct`.
#[derive(Debug, Args)]
pub struct RecordArgs {
    /// Draw folder.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The results form the inspectors filled in (.csv or .xlsx).
    #[arg(long, value_name = "FILE")]
    pub form: PathBuf,
    /// The date the task's inspections end.
    #[arg(long, value_name = "DATE")]
    pub inspections_end: Option<String>,
    /// Why the results are corrected (correct only).
    #[arg(long, value_name = "TEXT")]
    pub text: Option<String>,
    /// Holiday calendar files.
    #[arg(long, value_name = "FILE")]
    pub calendar: Vec<PathBuf>,
    /// Which result codes each item admits (SPEC §18.4).
    #[arg(long, value_name = "FILE")]
    pub vocabulary: Option<PathBuf>,
    /// Office and private folders.
    #[command(flatten)]
    pub office: OfficeArgs,
    /// Where the password of an encrypted secret key comes from.
    #[command(flatten)]
    pub password: PasswordArgs,
}

/// `status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Draw folder.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Holiday calendar files.
    #[arg(long, value_name = "FILE")]
    pub calendar: Vec<PathBuf>,
    /// Which result codes each item admits (SPEC §18.4).
    #[arg(long, value_name = "FILE")]
    pub vocabulary: Option<PathBuf>,
    /// The day to judge by.
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
    /// The date the task's inspections end, when no record states it.
    #[arg(long, value_name = "DATE")]
    pub inspections_end: Option<String>,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
}

/// The office folder and the private folder.
#[derive(Debug, Clone, Args)]
pub struct OfficeArgs {
    /// Office folder (holds office.log).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub office: PathBuf,
    /// Private folder.
    #[arg(long, value_name = "DIR")]
    pub private: Option<PathBuf>,
}

impl OfficeArgs {
    /// The private folder: given, or `<office>/private`.
    pub fn private_dir(&self) -> PathBuf {
        self.private
            .clone()
            .unwrap_or_else(|| in_office(&self.office, "private"))
    }

    /// `<office>/office.log`.
    pub fn log_path(&self) -> PathBuf {
        in_office(&self.office, double_random::bundle::LOG_FILE)
    }
}

/// `office/name`, or plain `name` when the office is the current folder.
pub fn in_office(office: &std::path::Path, name: &str) -> PathBuf {
    if office == std::path::Path::new(".") {
        PathBuf::from(name)
    } else {
        office.join(name)
    }
}

/// Where the inputs are.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Folder holding the inputs under their standard names.
    #[arg(long, value_name = "DIR")]
    pub inputs: Option<PathBuf>,
    /// Entity roster.
    #[arg(long, value_name = "FILE")]
    pub entities: Option<PathBuf>,
    /// Inspector roster.
    #[arg(long, value_name = "FILE")]
    pub inspectors: Option<PathBuf>,
    /// Item list.
    #[arg(long, value_name = "FILE")]
    pub items: Option<PathBuf>,
    /// Conflicts.
    #[arg(long, value_name = "FILE")]
    pub conflicts: Option<PathBuf>,
    /// History.
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
    /// Plan.
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
}

/// `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Output folder.
    #[arg(long, value_name = "DIR", default_value = "double-random-demo")]
    pub out: PathBuf,
    /// Sample data folder.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Language of the notice.
    #[arg(long, value_enum, value_name = "LANG", hide_possible_values = true)]
    pub notice_lang: Option<LangArg>,
}

/// `keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Office and private folders.
    #[command(flatten)]
    pub office: OfficeArgs,
    /// Where the password comes from, if not from the terminal.
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Store the key without a password, for unattended systems.
    #[arg(long, conflicts_with = "password_file")]
    pub unencrypted: bool,
}

/// The password of the organizer's secret key, for the steps that sign.
///
/// Without `--password-file` (or the variable naming one), an encrypted key's password is asked
/// for on the terminal, without echo.
#[derive(Debug, Args)]
pub struct PasswordArgs {
    /// A file whose first line is the password.
    #[arg(long, value_name = "FILE", env = PASSWORD_FILE_ENV, hide_env = true)]
    pub password_file: Option<PathBuf>,
}

/// The environment variable that names a password file, like `--password-file`.
pub const PASSWORD_FILE_ENV: &str = "DOUBLE_RANDOM_PASSWORD_FILE";

/// `witness`.
#[derive(Debug, Args)]
pub struct WitnessArgs {
    /// The witness's name.
    #[arg(long, value_name = "NAME")]
    pub name: String,
    /// The draw.
    #[arg(long, value_name = "ID")]
    pub draw_id: String,
    /// Private folder of the witness.
    #[arg(long, value_name = "DIR", default_value = "private")]
    pub private: PathBuf,
    /// Show the secret once.
    #[arg(long)]
    pub show_secret: bool,
}

/// `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Inputs.
    #[command(flatten)]
    pub inputs: InputArgs,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
    /// Every repeated problem on its own line.
    #[arg(long)]
    pub verbose: bool,
}

/// Public drand networks.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DrandNet {
    /// Quicknet: a round every 3 s, unchained.
    Quicknet,
    /// Mainnet: a round every 30 s, chained.
    Mainnet,
}

/// Lotteries whose published result can serve as a beacon.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LotteryArg {
    /// 福利彩票双色球: 6 red balls of 1–33, 1 blue ball of 1–16.
    Ssq,
    /// 体育彩票超级大乐透: 5 front balls of 1–35, 2 back balls of 1–12.
    Dlt,
}

/// `announce`.
#[derive(Debug, Args)]
pub struct AnnounceArgs {
    /// Draw id.
    #[arg(long, value_name = "ID")]
    pub draw_id: String,
    /// Inputs.
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Draw folder.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Office and private folders.
    #[command(flatten)]
    pub office: OfficeArgs,
    /// Where the password of an encrypted secret key comes from.
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Organizer's party name (default: the plan's authority).
    #[arg(long, value_name = "NAME")]
    pub organizer_name: Option<String>,
    /// Witness commitments.
    #[arg(long, value_name = "NAME=COMMITMENT")]
    pub witness: Vec<String>,
    /// drand network.
    #[arg(long, value_enum, value_name = "NETWORK", conflicts_with = "lottery")]
    pub drand: Option<DrandNet>,
    /// Minutes between the announcement and the drand round.
    #[arg(long, value_name = "MINUTES", default_value_t = 10, requires = "drand")]
    pub drand_after: u64,
    /// A lottery draw as the beacon.
    #[arg(
        long,
        value_enum,
        value_name = "LOTTERY",
        requires_all = ["lottery_issue", "beacon_source", "beacon_published_at"]
    )]
    pub lottery: Option<LotteryArg>,
    /// The lottery draw's name or number.
    #[arg(long, value_name = "TEXT", requires = "lottery")]
    pub lottery_issue: Option<String>,
    /// Where the lottery result is published.
    #[arg(long, value_name = "URL", requires = "lottery")]
    pub beacon_source: Option<String>,
    /// When the lottery result is published.
    #[arg(long, value_name = "TIME", requires = "lottery")]
    pub beacon_published_at: Option<String>,
    /// Scheduled time of the draw.
    #[arg(long, value_name = "TIME")]
    pub scheduled_at: Option<String>,
    /// A drill: neither witness nor beacon.
    #[arg(long, conflicts_with_all = ["witness", "drand", "lottery"])]
    pub no_independent_randomness: bool,
    /// Announce even when no entity is eligible.
    #[arg(long)]
    pub allow_empty: bool,
}

/// `draw`.
#[derive(Debug, Args)]
pub struct DrawArgs {
    /// Draw folder.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Office and private folders.
    #[command(flatten)]
    pub office: OfficeArgs,
    /// Where the password of an encrypted secret key comes from.
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Revealed secrets from files.
    #[arg(long, value_name = "NAME=FILE")]
    pub reveal_file: Vec<String>,
    /// Revealed secrets read from standard input, one line each.
    #[arg(long, value_name = "NAME")]
    pub reveal_stdin: Vec<String>,
    /// External beacon value.
    #[arg(long, value_name = "TEXT", conflicts_with = "drand_round_file")]
    pub beacon_value: Option<String>,
    /// drand round JSON.
    #[arg(long, value_name = "FILE")]
    pub drand_round_file: Option<PathBuf>,
    /// Language of the notice.
    #[arg(long, value_enum, value_name = "LANG", hide_possible_values = true)]
    pub notice_lang: Option<LangArg>,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
}

/// `verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Draw folder.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The organizer's public key.
    #[arg(long, value_name = "FILE")]
    pub public_key: Option<PathBuf>,
    /// The office log.
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Report pending draws in the log.
    #[arg(long)]
    pub strict: bool,
    /// Trusted TSA certificates.
    #[arg(long, value_name = "FILE")]
    pub tsa_cert: Vec<PathBuf>,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
    /// Holiday calendar files (for outcome records).
    #[arg(long, value_name = "FILE")]
    pub calendar: Vec<PathBuf>,
    /// Which result codes each item admits (SPEC §18.4).
    #[arg(long, value_name = "FILE")]
    pub vocabulary: Option<PathBuf>,

    /// The day to judge outcome deadlines by.
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

/// Reason codes of amendments (their help, in the language of messages, comes from
/// [`ReasonArg::code`] and `publish::reason_text`).
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReasonArg {
    /// The entity was closed (注销 / 吊销).
    #[value(alias = "entity_closed")]
    EntityClosed,
    /// The entity cannot be reached.
    #[value(alias = "entity_unreachable")]
    EntityUnreachable,
    /// The entity moved out.
    #[value(alias = "entity_moved_out")]
    EntityMovedOut,
    /// The entity is out of the task's scope.
    #[value(alias = "entity_out_of_scope")]
    EntityOutOfScope,
    /// The inspector recused (回避).
    #[value(alias = "inspector_recused")]
    InspectorRecused,
    /// The inspector is unavailable.
    #[value(alias = "inspector_unavailable")]
    InspectorUnavailable,
}

impl ReasonArg {
    /// The reason code of the documents.
    pub fn code(self) -> ReasonCode {
        match self {
            ReasonArg::EntityClosed => ReasonCode::EntityClosed,
            ReasonArg::EntityUnreachable => ReasonCode::EntityUnreachable,
            ReasonArg::EntityMovedOut => ReasonCode::EntityMovedOut,
            ReasonArg::EntityOutOfScope => ReasonCode::EntityOutOfScope,
            ReasonArg::InspectorRecused => ReasonCode::InspectorRecused,
            ReasonArg::InspectorUnavailable => ReasonCode::InspectorUnavailable,
        }
    }
}

/// The `--reason` values with their meaning in `lang`, keyed by reason code.
fn reason_help(lang: Lang) -> String {
    let (title, heading) = match lang {
        Lang::Zh => ("原因代码", "可选值"),
        Lang::En => ("Reason code", "Possible values"),
    };
    let values: Vec<(String, &str)> = ReasonArg::value_variants()
        .iter()
        .filter_map(|v| {
            let name = v.to_possible_value()?.get_name().to_string();
            Some((
                name,
                double_random::publish::reason_text(crate::i18n::publish_lang(lang), v.code()),
            ))
        })
        .collect();
    let width = values.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    let mut out = format!("{title}\n\n{heading}:");
    for (name, text) in values {
        out.push_str(&format!(
            "\n- {name}:{} {text}",
            " ".repeat(width - name.len())
        ));
    }
    out
}

/// `amend`.
#[derive(Debug, Args)]
pub struct AmendArgs {
    /// Draw folder.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Entity to replace.
    #[arg(long, value_name = "ID", conflicts_with_all = ["replace_inspector", "entity"], required_unless_present = "replace_inspector")]
    pub replace_entity: Option<String>,
    /// Inspector to replace.
    #[arg(long, value_name = "ID", requires = "entity")]
    pub replace_inspector: Option<String>,
    /// The entity whose team loses the inspector.
    #[arg(long, value_name = "ID")]
    pub entity: Option<String>,
    /// Reason code.
    #[arg(long, value_enum, value_name = "CODE")]
    pub reason: ReasonArg,
    /// Reason in words.
    #[arg(long, value_name = "TEXT")]
    pub text: String,
    /// Office and private folders.
    #[command(flatten)]
    pub office: OfficeArgs,
    /// Where the password of an encrypted secret key comes from.
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Language of the notice.
    #[arg(long, value_enum, value_name = "LANG", hide_possible_values = true)]
    pub notice_lang: Option<LangArg>,
}

/// Reason codes of voids.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum VoidCodeArg {
    /// The plan changed.
    #[value(alias = "plan_changed")]
    PlanChanged,
    /// The inputs were wrong.
    #[value(alias = "inputs_wrong")]
    InputsWrong,
    /// A party did not reveal its secret.
    #[value(alias = "secret_not_revealed")]
    SecretNotRevealed,
    /// The beacon was not published.
    #[value(alias = "beacon_unavailable")]
    BeaconUnavailable,
    /// Another reason, in words.
    Other,
}

/// `void`.
#[derive(Debug, Args)]
pub struct VoidArgs {
    /// Draw folder.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Reason code.
    #[arg(long, value_enum, value_name = "CODE")]
    pub reason: VoidCodeArg,
    /// Reason in words.
    #[arg(long, value_name = "TEXT")]
    pub text: String,
    /// Office and private folders.
    #[command(flatten)]
    pub office: OfficeArgs,
    /// Where the password of an encrypted secret key comes from.
    #[command(flatten)]
    pub password: PasswordArgs,
}

/// `timestamp`.
#[derive(Debug, Args)]
pub struct TimestampArgs {
    /// Draw folder.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The token from the TSA.
    #[arg(long, value_name = "FILE")]
    pub token: PathBuf,
    /// Language of the notice.
    #[arg(long, value_enum, value_name = "LANG", hide_possible_values = true)]
    pub notice_lang: Option<LangArg>,
}

/// `log`.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// Log file.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Check the chain.
    #[arg(long)]
    pub verify: bool,
    /// A statement kept earlier: does the log extend it?
    #[arg(long, value_name = "FILE")]
    pub since: Option<PathBuf>,
    /// A fork proof to check.
    #[arg(long, value_name = "FILE", requires = "public_key")]
    pub fork_proof: Option<PathBuf>,
    /// The office's public key (for --fork-proof).
    #[arg(long, value_name = "FILE")]
    pub public_key: Option<PathBuf>,
    /// Office folder.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub office: PathBuf,
}

/// The exit codes, as `--help` and the README list them.
pub fn exit_codes(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => {
            "退出码：
  0  成功；核验通过（PASS）
  1  核验未通过（FAIL），或输入文件有问题，或日志损坏
  2  用法错误：未知选项、缺少参数或参数格式不对；私钥口令不对或无法询问
  3  文件无法读取或写入（不存在、无权限、磁盘已满）
  4  拒绝覆盖：公告、结果表、补抽记录、密钥、秘密数或日志条目已存在
  5  仪式拒绝此步骤：秘密数与承诺不符、信标值不对、未到抽取时间、密钥不符、没有独立随机性、按计划没有可抽的对象（未加 --allow-empty），或不存在满足全部规则的分配
  6  未核验：没有用 --public-key 指定公钥，只用了文件夹中的公钥，不能给出 PASS"
        }
        Lang::En => {
            "Exit codes:
  0  success; verification PASS
  1  verification FAIL, or problems in the inputs, or a damaged log
  2  usage error: unknown option, missing or malformed argument; a wrong password for the secret
     key, or none can be asked for
  3  a file cannot be read or written (missing, permission, disk full)
  4  refused to overwrite: an announcement, sheet, amendment, key, secret or log entry already exists
  5  the ceremony refused the step: a secret does not match its commitment, a wrong beacon value,
     the draw is not yet due, the wrong key, no independent randomness, nobody eligible under the
     plan (without --allow-empty), or no assignment satisfies every rule
  6  NOT VERIFIED: no --public-key was given and the key was taken from the folder, so no PASS"
        }
    }
}

struct Text {
    zh: &'static str,
    en: &'static str,
}

const fn t(zh: &'static str, en: &'static str) -> Text {
    Text { zh, en }
}

impl Text {
    fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

/// `(subcommand, about, example)`.
const ABOUT: &[(&str, Text, Text)] = &[
    (
        "record",
        t(
            "一公开：把检查人员填写的结果表写成签名的检查结果记录 outcomes-<n>.json（核对检查对象、检查组、日期与 20 个工作日的公示期限）",
            "Record inspection results: turns the form the inspectors filled in into a signed outcome record outcomes-<n>.json (checks entities, teams, dates and the 20-working-day deadline)",
        ),
        t(
            "示例：\n  double-random record GZ-2026-01 --form 检查结果.csv --inspections-end 2026-03-31\n结果表每行一户一项：统一社会信用代码、检查事项、检查结果、检查日期、结果形成日期、检查人员执法证号（可选：结果说明、后续处置、人员变动原因、人员变动说明）。节假日安排默认读机关文件夹中的 holidays-*.toml。",
            "Example:\n  double-random record GZ-2026-01 --form results.csv --inspections-end 2026-03-31\nOne row per entity and item: entity, item, result, inspected_on, formed_on, inspectors (optional: result_text, follow_up, deviation, deviation_text). Holiday calendars are read from holidays-*.toml in the office folder unless given.",
        ),
    ),
    (
        "correct",
        t(
            "更正已公示的检查结果：写出新的签名记录，引用被更正的记录（原记录从不改动）",
            "Correct published results: writes a new signed record citing the one it corrects (records are never edited)",
        ),
        t(
            "示例：\n  double-random correct GZ-2026-01 --form 更正.csv --text \"年报信息核对有误\"",
            "Example:\n  double-random correct GZ-2026-01 --form correction.csv --text \"annual report misread\"",
        ),
    ),
    (
        "status",
        t(
            "检查结果的公示进度：每户已公示、待公示（期限）或已逾期，以及完成率",
            "What is due when: for each drawn entity, published, due (by when) or overdue, and the completion rate",
        ),
        t(
            "示例：\n  double-random status GZ-2026-01 --today 2026-05-06",
            "Example:\n  double-random status GZ-2026-01 --today 2026-05-06",
        ),
    ),
    (
        "demo",
        t(
            "用示例数据完整演示一次抽取：生成密钥、监督人秘密数、检查、公告、抽取、公示、补抽、核验",
            "Run a whole ceremony on the sample data: key, witness secret, check, announce, draw, publish, amend, verify",
        ),
        t(
            "示例：\n  double-random demo --out 演示抽取",
            "Example:\n  double-random demo --out demo-draw",
        ),
    ),
    (
        "keygen",
        t(
            "生成组织者（机关）签名密钥：私钥用口令加密后写入私密文件夹（仅本人可读），公钥写入机关文件夹",
            "Make the organizer's signing key: the secret key, encrypted with a password, goes to the private folder (mode 0600), the public key to the office folder",
        ),
        t(
            "示例：\n  double-random keygen --private ./private\n  （两次输入口令，输入时不显示；无人值守的计算机：--unencrypted 或 --password-file 文件）",
            "Example:\n  double-random keygen --private ./private\n  (type the password twice; it is not shown. Unattended systems: --unencrypted or --password-file FILE)",
        ),
    ),
    (
        "witness",
        t(
            "监督人在自己的电脑上生成秘密数，只显示承诺值（交给组织者写入公告）",
            "A witness makes its secret on its own machine and prints only the commitment (for the organizer's announcement)",
        ),
        t(
            "示例：\n  double-random witness --name 纪检监督员 --draw-id GZ-2026-01 --private ./我的秘密",
            "Example:\n  double-random witness --name Witness --draw-id GZ-2026-01 --private ./my-secrets",
        ),
    ),
    (
        "check",
        t(
            "检查名录和计划：列出每个问题所在的文件、行和字段，并提示如何改正",
            "Check rosters and plan: every problem with file, line and field, and what to do",
        ),
        t(
            "示例：\n  double-random check --entities entities.csv --inspectors inspectors.csv --items items.csv --plan plan.toml\n  double-random check --inputs ./名录\n\n列（列名的中英文别名、全角半角均可；详见 examples/data/README.md）：\n  检查对象  必需：统一社会信用代码、名称、登记状态\n            可选：市场主体类型、登记机关、行政区划代码、行业代码、经营异常名录、信用风险分类、标签\n  检查人员  必需：执法证号、姓名、所属部门\n            可选：行政区划代码、执法资质、业务专长、人员类别、状态\n  抽查事项  必需：事项编号、事项名称、事项类别；可选：检查依据、检查主体、检查内容、检查方式、所需资质\n  回避关系  必需：执法证号、统一社会信用代码；可选：回避事由\n  检查历史  必需：统一社会信用代码、检查日期；可选：事项编号、检查人员、检查类型\n缺少的可选列取默认值（空、否、无）；计划用到的列（如按风险分层要用信用风险分类）缺少时报错。\n其他列（法定代表人、住所等）忽略，不计入摘要，每个文件列出一次。",
            "Example:\n  double-random check --entities entities.csv --inspectors inspectors.csv --items items.csv --plan plan.toml\n  double-random check --inputs ./rosters\n\nColumns (Chinese or English headers, full or half width; see examples/data/README.md):\n  entities    required: id, name, status\n              optional: kind, authority, region, industry, abnormal, risk, tags\n  inspectors  required: id, name, department\n              optional: region, qualifications, specialties, kind, status\n  items       required: id, name, category; optional: basis, subject, content, method, qualification\n  conflicts   required: inspector, entity; optional: reason\n  history     required: entity, date; optional: item, inspectors, kind\nAn absent optional column takes its default (empty, no, none); one the plan uses (risk for\nstrata by risk, …) is an error. Other columns (法定代表人, 住所, …) are ignored, never enter\na digest, and are listed once per file.",
        ),
    ),
    (
        "announce",
        t(
            "发布抽查公告：冻结名录和计划的摘要、各方承诺值和信标，签名并写入日志",
            "Announce a draw: fix the digests of rosters and plan, the parties' commitments and the beacon; sign and log it",
        ),
        t(
            "示例：\n  double-random announce --draw-id GZ-2026-01 --inputs ./名录 \\\n      --witness 纪检监督员=3f2a…（64位） --drand quicknet\n  double-random announce --draw-id GZ-2026-01 --inputs ./名录 --witness 纪检监督员=3f2a… \\\n      --lottery ssq --lottery-issue 2026023 --beacon-source https://www.cwl.gov.cn/ \\\n      --beacon-published-at 2026-03-03T13:30:00Z",
            "Example:\n  double-random announce --draw-id GZ-2026-01 --inputs ./rosters \\\n      --witness Witness=3f2a…(64 hex) --drand quicknet\n  double-random announce --draw-id GZ-2026-01 --inputs ./rosters --witness Witness=3f2a… \\\n      --lottery ssq --lottery-issue 2026023 --beacon-source https://www.cwl.gov.cn/ \\\n      --beacon-published-at 2026-03-03T13:30:00Z",
        ),
    ),
    (
        "draw",
        t(
            "抽取：各方揭示秘密数，输入信标值，抽取并写出签名的结果表、公示表 sheet.csv 和公示页 notice.html",
            "Make the draw: parties reveal their secrets, the beacon value is entered; writes the signed sheet, sheet.csv and notice.html",
        ),
        t(
            "示例：\n  double-random draw GZ-2026-01 --reveal-file 纪检监督员=./纪检监督员.secret --drand-round-file round.json",
            "Example:\n  double-random draw GZ-2026-01 --reveal-file Witness=./Witness.secret --drand-round-file round.json",
        ),
    ),
    (
        "verify",
        t(
            "核验一次抽取（任何人都可以）：逐项列出检查，结果为 PASS，或 FAIL 并列出所有问题",
            "Verify a draw (anyone can): each check, then PASS, or FAIL with every finding",
        ),
        t(
            "示例：\n  double-random verify GZ-2026-01 --public-key 机关公钥.pub",
            "Example:\n  double-random verify GZ-2026-01 --public-key office.pub",
        ),
    ),
    (
        "amend",
        t(
            "补抽或回避：替换一个检查对象或一名检查人员，写出签名的补抽记录并写入日志",
            "Amend a drawn sheet: replace an entity or an inspector; writes a signed amendment and logs it",
        ),
        t(
            "示例：\n  double-random amend GZ-2026-01 --replace-entity 91520102MA6DXXXX0X \\\n      --reason entity-unreachable --text \"现场核查无法联系\"",
            "Example:\n  double-random amend GZ-2026-01 --replace-entity 91520102MA6DXXXX0X \\\n      --reason entity-unreachable --text \"not found at the registered address\"",
        ),
    ),
    (
        "void",
        t(
            "作废一次已公告但尚未抽取的抽取：写出签名的作废记录并写入日志；已抽取的不能作废（请用 amend）。原因代码：plan-changed、inputs-wrong、secret-not-revealed、beacon-unavailable、other",
            "Void an announced draw that was not drawn: writes a signed void and logs it; a drawn draw cannot be voided (use amend). Reason codes: plan-changed, inputs-wrong, secret-not-revealed, beacon-unavailable, other",
        ),
        t(
            "示例：\n  double-random void GZ-2026-01 --reason plan-changed --text \"计划调整，本批次取消\"",
            "Example:\n  double-random void GZ-2026-01 --reason plan-changed --text \"batch cancelled\"",
        ),
    ),
    (
        "timestamp",
        t(
            "导入公告的时间戳令牌：核对它是对 announcement.json 的摘要盖的时间戳（以及请求中的随机数），写成 announcement.json.tsr",
            "Import the announcement's timestamp token: checks that it stamps the digest of announcement.json (and the request's nonce), then writes it as announcement.json.tsr",
        ),
        t(
            "示例：\n  double-random timestamp GZ-2026-01 --token 时间戳.tsr",
            "Example:\n  double-random timestamp GZ-2026-01 --token token.tsr",
        ),
    ),
    (
        "log",
        t(
            "以表格显示机关日志；加 --verify 核验哈希链；--since 核对日志是否延续以前保存的文件；--fork-proof 核验分叉证明",
            "Show the office log as a table; --verify checks its hash chain; --since checks that it extends a statement kept earlier; --fork-proof checks a fork proof",
        ),
        t(
            "示例：\n  double-random log --verify office.log",
            "Example:\n  double-random log --verify office.log",
        ),
    ),
];

/// `(argument id, help)`, shared by every subcommand that has the argument.
const ARGS: &[(&str, Text)] = &[
    (
        "form",
        t(
            "检查人员填写的结果表（.csv 或 .xlsx）",
            "The results form the inspectors filled in (.csv or .xlsx)",
        ),
    ),
    (
        "inspections_end",
        t(
            "本次抽查任务的检查完成期限（YYYY-MM-DD）；未公示结果的期限从此日起算 20 个工作日",
            "The date the task's inspections end (YYYY-MM-DD); results still missing are due 20 working days after it",
        ),
    ),
    (
        "calendar",
        t(
            "国务院节假日安排文件（可多次给出；默认读机关文件夹中的 holidays-*.toml）",
            "Holiday calendar files (repeatable; by default holidays-*.toml in the office folder)",
        ),
    ),
    (
        "vocabulary",
        t(
            "各检查事项允许的检查结果（TOML，SPEC §18.4；默认读机关文件夹中的 results.toml，没有则不限）",
            "Which results each item admits (TOML, SPEC §18.4; by default results.toml in the office folder, else any)",
        ),
    ),
    (
        "today",
        t(
            "据以判断是否逾期的日期（YYYY-MM-DD，默认今天，北京时间）",
            "The day to judge deadlines by (YYYY-MM-DD; default today, Beijing time)",
        ),
    ),
    (
        "lang",
        t(
            "界面语言：zh（中文，默认）或 en（英文）；也可由环境变量 LANG 决定",
            "Language: zh (Chinese, the default) or en; LANG starting with en also selects English",
        ),
    ),
    (
        "utc_offset",
        t(
            "显示时间所用的时区（与 UTC 的差），如 +08:00（默认北京时间 +08:00，也可由环境变量 DOUBLE_RANDOM_UTC_OFFSET 设定）；不带时区的时间也按它读取。文件中的时间始终是 UTC",
            "Zone times are shown in, as an offset from UTC such as +08:00 (default: Beijing time, +08:00; also DOUBLE_RANDOM_UTC_OFFSET); times typed without an offset are read in it. The documents always hold UTC",
        ),
    ),
    (
        "threads",
        t(
            "使用的线程数（默认为本机核数，至多 8；也可由环境变量 DOUBLE_RANDOM_THREADS 设定）；结果与线程数无关",
            "Threads to use (default: the machine's cores, at most 8; also DOUBLE_RANDOM_THREADS); results do not depend on it",
        ),
    ),
    (
        "notice_lang",
        t(
            "公示页 notice.html 的语言：zh（中文，默认，与界面语言无关）或 en；改写已有公示页时默认沿用其语言",
            "Language of the notice notice.html: zh (Chinese, the default whatever the messages' language) or en; rewriting a notice keeps its language unless given",
        ),
    ),
    (
        "office",
        t(
            "机关文件夹，存放日志 office.log",
            "Office folder, holding office.log",
        ),
    ),
    (
        "private",
        t(
            "私密文件夹，存放私钥和秘密数，切勿公开（默认：<机关文件夹>/private）",
            "Private folder for the secret key and seed secrets; never publish it (default: <office>/private)",
        ),
    ),
    (
        "inputs",
        t(
            "存放输入文件的文件夹（entities.csv、inspectors.csv、items.csv、conflicts.csv、history.csv、plan.toml）",
            "Folder holding the inputs under their standard names (entities.csv, inspectors.csv, items.csv, conflicts.csv, history.csv, plan.toml)",
        ),
    ),
    (
        "entities",
        t(
            "检查对象名录（.csv 或 .xlsx）",
            "Entity roster (.csv or .xlsx)",
        ),
    ),
    (
        "inspectors",
        t(
            "检查人员名录（.csv 或 .xlsx）",
            "Inspector roster (.csv or .xlsx)",
        ),
    ),
    (
        "items",
        t("抽查事项清单（.csv）", "Inspection item list (.csv)"),
    ),
    (
        "conflicts",
        t(
            "回避关系（.csv，可选）",
            "Declared conflicts (.csv, optional)",
        ),
    ),
    (
        "history",
        t(
            "检查历史（.csv，可选）",
            "Inspection history (.csv, optional)",
        ),
    ),
    ("plan", t("抽查计划（.toml）", "Draw plan (.toml)")),
    (
        "verbose",
        t(
            "逐条列出重复的问题（默认：同一文件、同一字段的同类问题只说一次，附次数和前几处行号）",
            "List every repeated problem (by default one of a kind per file and field, with its count and first lines)",
        ),
    ),
    (
        "allow_empty",
        t(
            "即使按计划没有任何检查对象符合条件（空抽取），也发布公告",
            "Announce even when, by the plan, no entity is eligible (an empty draw)",
        ),
    ),
    (
        "json",
        t("以 JSON 输出，供程序读取", "Print JSON for programs"),
    ),
    (
        "out",
        t(
            "输出文件夹（必须不存在或为空）",
            "Output folder (must not exist, or be empty)",
        ),
    ),
    (
        "data",
        t(
            "示例数据文件夹（默认：程序自带的 examples/data 样例名录，写入输出文件夹的 sample-data/）",
            "Sample data folder (default: the sample rosters of examples/data built into the program, written to sample-data/ in the output folder)",
        ),
    ),
    (
        "name",
        t(
            "监督人的名字，须与公告中所写完全一致",
            "The witness's name, exactly as the announcement will list it",
        ),
    ),
    (
        "draw_id",
        t(
            "抽取编号，在本机关日志中唯一",
            "Draw id, unique in the office log",
        ),
    ),
    (
        "unencrypted",
        t(
            "私钥不加密保存（供无人值守的计算机使用）：这时私钥只靠文件权限保护，任何能读到该文件的人都能以机关名义签名",
            "Store the secret key without a password (for unattended systems): it is then protected only by its file permissions, and anyone who can read the file can sign as the office",
        ),
    ),
    (
        "password_file",
        t(
            "从文件读取私钥口令（取第一行，UTF-8），供脚本使用；不给时在终端询问，输入不显示。也可用环境变量 DOUBLE_RANDOM_PASSWORD_FILE 指定该文件",
            "Read the secret key's password from the first line of FILE (UTF-8), for scripts; without it the password is asked for on the terminal, not shown. The variable DOUBLE_RANDOM_PASSWORD_FILE may name the file instead",
        ),
    ),
    (
        "show_secret",
        t(
            "显示一次秘密数本身（仅在需要抄写时使用）",
            "Show the secret itself once (only if you must copy it by hand)",
        ),
    ),
    (
        "dir",
        t(
            "抽取文件夹（公开发布的文件所在处）",
            "Draw folder (the published files)",
        ),
    ),
    (
        "organizer_name",
        t(
            "组织者在公告中的名称（默认为计划中的 authority，即实施检查的机关）",
            "The organizer's party name in the announcement (default: the plan's authority, the office that inspects)",
        ),
    ),
    (
        "witness",
        t(
            "监督人及其承诺值，格式 名字=64位十六进制，可重复",
            "A witness and its commitment, NAME=64 hex digits; repeat for more",
        ),
    ),
    (
        "drand",
        t(
            "以 drand 公共随机信标的未来一轮作为信标：quicknet 或 mainnet",
            "Name a future round of the public drand beacon: quicknet or mainnet",
        ),
    ),
    (
        "drand_after",
        t(
            "信标轮次至少在公告后多少分钟产生",
            "The round is published at least this many minutes after the announcement",
        ),
    ),
    (
        "lottery",
        t(
            "以一期彩票开奖号码作为信标：ssq（福利彩票双色球）或 dlt（体育彩票超级大乐透）",
            "Name a lottery draw as the beacon: ssq (双色球, China Welfare Lottery) or dlt (大乐透, China Sports Lottery)",
        ),
    ),
    (
        "lottery_issue",
        t(
            "彩票期号，如 2026023（写入公告的信标描述）",
            "The lottery draw's number, e.g. 2026023 (goes into the beacon's description)",
        ),
    ),
    (
        "beacon_source",
        t(
            "开奖结果的公开查询来源（网址）",
            "Where anyone can look the result up (URL)",
        ),
    ),
    (
        "beacon_published_at",
        t(
            "开奖结果公布的时间，如 2026-03-01T20:30:00+08:00 或 2026-03-01 20:30（按 --utc-offset，默认北京时间）；须在公告后至少 5 分钟，且不晚于抽取时间",
            "When the result is published, e.g. 2026-03-01T20:30:00+08:00 or 2026-03-01 20:30 (read in --utc-offset, default Beijing time): at least 5 minutes after the announcement, no later than the draw",
        ),
    ),
    (
        "no_independent_randomness",
        t(
            "演练：没有监督人也没有信标，种子完全由机关一方决定（正式抽取不得使用）",
            "A drill: neither witness nor beacon, the office alone chooses the seed (never for a real draw)",
        ),
    ),
    (
        "scheduled_at",
        t(
            "抽取时间，如 2026-03-01T10:00:00+08:00、2026-03-01T02:00:00Z 或 2026-03-01 10:00（不带时区时按 --utc-offset，默认北京时间）；默认为公告时间或信标产生时间",
            "Scheduled draw time, e.g. 2026-03-01T10:00:00+08:00, 2026-03-01T02:00:00Z or 2026-03-01 10:00 (without an offset, read in --utc-offset, default Beijing time); default: now, or the beacon round's time",
        ),
    ),
    (
        "reveal_stdin",
        t(
            "从标准输入读取该方的秘密数（一行 64 位十六进制），可重复，按顺序每次读一行",
            "Read this party's secret from standard input (one line of 64 hex digits); repeat for more, one line each",
        ),
    ),
    (
        "reveal_file",
        t(
            "从文件揭示秘密数，格式 名字=文件路径，可重复",
            "A revealed secret from a file, NAME=PATH; repeat for more",
        ),
    ),
    (
        "beacon_value",
        t(
            "外部信标的值，按公告描述的格式照录",
            "The external beacon's value, as the announcement describes it",
        ),
    ),
    (
        "drand_round_file",
        t(
            "drand 该轮次的 JSON（从 https://api.drand.sh/<链>/public/<轮次> 下载）",
            "The drand round's JSON (from https://api.drand.sh/<chain>/public/<round>)",
        ),
    ),
    (
        "public_key",
        t(
            "组织者公钥文件（应从机关的独立渠道获得；不指定时只用文件夹中的 organizer.pub，结果为“未核验”）",
            "The organizer's public key (get it from the office independently; without it, organizer.pub in the folder is used and the result is NOT VERIFIED)",
        ),
    ),
    (
        "replace_entity",
        t(
            "要替换的检查对象（统一社会信用代码）",
            "The entity to replace (its id)",
        ),
    ),
    (
        "replace_inspector",
        t(
            "要替换的检查人员（执法证号）",
            "The inspector to replace (certificate number)",
        ),
    ),
    (
        "entity",
        t(
            "被替换人员所在检查组对应的检查对象",
            "The entity whose team the inspector leaves",
        ),
    ),
    ("reason", t("原因代码", "Reason code")),
    (
        "strict",
        t(
            "严格核验：日志中尚未抽取也未作废的抽取也列为问题",
            "Strict: also report draws in the log that are neither drawn nor void",
        ),
    ),
    (
        "tsa_cert",
        t(
            "信任的时间戳服务机构（TSA）证书（PEM 或 DER），可重复；用于核验 announcement.json.tsr",
            "A trusted TSA certificate (PEM or DER); repeat for more; checks announcement.json.tsr",
        ),
    ),
    (
        "token",
        t(
            "时间戳服务机构返回的时间戳令牌文件",
            "The token file the TSA returned",
        ),
    ),
    (
        "since",
        t(
            "以前保存的公告、结果表、补抽记录、作废记录或检查点：核对现在的日志是否延续了它",
            "An announcement, sheet, amendment, void or checkpoint kept earlier: does the current log extend it?",
        ),
    ),
    (
        "fork_proof",
        t(
            "核验一份分叉证明（须同时给出 --public-key）",
            "Check a fork proof (with --public-key)",
        ),
    ),
    ("text", t("原因说明", "The reason in words")),
    (
        "log",
        t(
            "机关日志 office.log：同时核对日志完好，且本次抽取的各份文件都已记入日志（默认：抽取文件夹旁的 office.log，如有）",
            "The office log: also check that it is sound and records this draw's documents (default: office.log beside the draw folder, if present)",
        ),
    ),
    (
        "file",
        t(
            "日志文件（默认：<机关文件夹>/office.log）",
            "Log file (default: <office>/office.log)",
        ),
    ),
    (
        "verify",
        t(
            "核验哈希链和条目顺序",
            "Check the hash chain and the order of entries",
        ),
    ),
];

/// The parsed command line, with help in `lang`.
pub fn parse(lang: Lang) -> Result<Cli, clap::Error> {
    let cmd = localize(Cli::command(), lang);
    let matches = cmd.try_get_matches()?;
    <Cli as clap::FromArgMatches>::from_arg_matches(&matches)
}

/// Sets every help text of the command tree in `lang`.
pub fn localize(cmd: clap::Command, lang: Lang) -> clap::Command {
    let (about, usage, options, args, commands, help, version) = match lang {
        Lang::Zh => (
            "双随机抽查：可公开验证的抽取（公告、抽取、核验、补抽、日志）",
            "用法",
            "选项",
            "参数",
            "命令",
            "显示帮助",
            "显示版本",
        ),
        Lang::En => (
            "The 双随机 inspection lottery, verifiable by anyone: announce, draw, verify, amend, log",
            "Usage",
            "Options",
            "Arguments",
            "Commands",
            "Print help",
            "Print version",
        ),
    };
    let template =
        format!("{{about-with-newline}}\n{usage}: {{usage}}\n\n{{all-args}}{{after-help}}");
    let help_arg = clap::Arg::new("help")
        .short('h')
        .long("help")
        .action(ArgAction::Help)
        .help(help)
        .help_heading(options);
    let mut cmd = cmd
        .about(about)
        .after_help(exit_codes(lang))
        .help_template(template.clone())
        .subcommand_help_heading(commands)
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(help_arg.clone())
        .arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(version)
                .help_heading(options),
        );
    cmd = set_arg_help(cmd, lang, options, args);
    for (name, text, example) in ABOUT {
        let after = format!("{}\n\n{}", example.get(lang), exit_codes(lang));
        cmd = cmd.mut_subcommand(*name, |sc| {
            let sc = sc
                .about(text.get(lang))
                .after_help(after)
                .help_template(template.clone())
                .disable_help_flag(true)
                .arg(help_arg.clone());
            set_arg_help(sc, lang, options, args)
        });
    }
    cmd
}

fn set_arg_help(
    mut cmd: clap::Command,
    lang: Lang,
    options: &'static str,
    args: &'static str,
) -> clap::Command {
    let ids: Vec<(String, bool)> = cmd
        .get_arguments()
        .map(|a| (a.get_id().to_string(), a.is_positional()))
        .collect();
    for (id, positional) in ids {
        let help = ARGS
            .iter()
            .find(|(name, _)| *name == id)
            .map(|(_, text)| text.get(lang));
        let heading = if positional { args } else { options };
        let reason = cmd.get_name() == "amend" && id == "reason";
        cmd = cmd.mut_arg(id.as_str(), |a| {
            let a = a.help_heading(heading);
            let a = match help {
                Some(h) => a.help(h),
                None => a,
            };
            if reason {
                // The codes' meanings in the language of messages, keyed by reason code.
                a.hide_possible_values(true).long_help(reason_help(lang))
            } else {
                a
            }
        });
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_argument_has_help_in_both_languages() {
        let cmd = Cli::command();
        let mut missing = vec![];
        let mut check = |sc: &clap::Command| {
            for a in sc.get_arguments() {
                let id = a.get_id().as_str();
                if a.is_hide_set() || id == "help" || id == "version" {
                    continue;
                }
                if !ARGS.iter().any(|(n, _)| *n == id) {
                    missing.push(format!("{} {id}", sc.get_name()));
                }
            }
        };
        check(&cmd);
        for sc in cmd.get_subcommands() {
            check(sc);
            assert!(
                ABOUT.iter().any(|(n, _, _)| *n == sc.get_name()),
                "no about for {}",
                sc.get_name()
            );
        }
        assert!(missing.is_empty(), "no help for {missing:?}");
    }

    #[test]
    fn the_command_tree_is_consistent() {
        localize(Cli::command(), Lang::Zh).debug_assert();
        localize(Cli::command(), Lang::En).debug_assert();
    }
}
