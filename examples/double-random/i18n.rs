//! Messages in Chinese (the default) and English.
//!
//! The library's errors are structured; this module renders them for people, in the language
//! chosen with `--lang` or by `LC_ALL` / `LC_MESSAGES` / `LANG` (a value starting with `en`
//! selects English). Verification results, log findings and beacon, signature and ceremony
//! errors are rendered from their variants and fields (each has a stable code, see
//! `docs/MESSAGES.md`), never by reading the library's English text.

use double_random::bundle::{BundleError, DrawState, InputNote, InputProblem, Needed};
use double_random::ceremony::beacon::{BeaconError, DrandSignatureProblem, HexProblem};
use double_random::ceremony::calendar::{CalendarError, CalendarProblem};
use double_random::ceremony::groups::GroupError;
use double_random::ceremony::log::{
    AppendError, BadEntry, Divergence, EntryKind, LogFinding, OrderProblem,
};
use double_random::ceremony::outcomes::form::{FORM_COLUMNS, FormError, FormProblem};
use double_random::ceremony::outcomes::{ItemProblem, OutcomeFinding};
use double_random::ceremony::timestamp::TokenError;
use double_random::ceremony::verify::{Check, Finding, Part, ReplayFailure, Reuse, TimeProblem};
use double_random::ceremony::{CeremonyError, Timestamp};
use double_random::codes::{CodeError, CodeKind, CodeWarning};
use double_random::draw::DrawError;
use double_random::draw::teams::CapKind;
use double_random::formats::error::{InputError, InputErrorKind, InputWarningKind, WorkbookLimit};
use double_random::formats::files::FileError;
use double_random::formats::jcs::JcsError;
use double_random::formats::plan_toml::{PlanError, PlanErrorKind, RatioProblem};
use double_random::publish::check::{DifferenceKind, NotChecked, ViewDifference};
use double_random::sign::{CommentKind, Field, SignError};
use double_random::{CharProblem, NameError, NameKind, NameProblem};
use std::ffi::OsString;

/// The language of messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// 中文.
    Zh,
    /// English.
    En,
}

/// `tr!(lang, "中文 {x}", "English {x}")`: the message in the chosen language.
macro_rules! tr {
    ($lang:expr, $zh:literal, $en:literal $(,)?) => {
        match $lang {
            $crate::i18n::Lang::Zh => format!($zh),
            $crate::i18n::Lang::En => format!($en),
        }
    };
    ($lang:expr, $zh:literal, $en:literal, $($arg:tt)*) => {
        match $lang {
            $crate::i18n::Lang::Zh => format!($zh, $($arg)*),
            $crate::i18n::Lang::En => format!($en, $($arg)*),
        }
    };
}

/// The language asked for: `--lang` on the command line, then the locale variables.
pub fn detect(args: &[OsString]) -> Lang {
    let mut it = args.iter().map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        let value = if a == "--lang" {
            it.next().map(|v| v.into_owned())
        } else {
            a.strip_prefix("--lang=").map(str::to_string)
        };
        if let Some(v) = value {
            return if v.to_ascii_lowercase().starts_with("en") {
                Lang::En
            } else {
                Lang::Zh
            };
        }
    }
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(v) = std::env::var(var)
            && !v.is_empty()
        {
            return if v.to_ascii_lowercase().starts_with("en") {
                Lang::En
            } else {
                Lang::Zh
            };
        }
    }
    Lang::Zh
}

/// A check performed by the verifier, in words (keyed by its variant, [`Check::code`]).
pub fn checked(lang: Lang, c: &Check) -> String {
    if lang == Lang::En {
        return c.to_string();
    }
    match c {
        Check::Signature { document } => format!("{document} 的签名"),
        Check::SheetCitesAnnouncement => "结果表引用的是本公告".into(),
        Check::Seed => "承诺值、信标与种子推导".into(),
        Check::Quotas => "各层抽取数 k 符合计划按总数 n 计算的比例".into(),
        Check::InputDigests => "输入文件的摘要与公告一致".into(),
        Check::Replay => "完整重放抽取过程".into(),
        Check::AmendmentReplay { document } => format!("重放 {document}"),
        Check::OfficeLog => "机关日志".into(),
        other => fallback(lang, other.code(), other),
    }
}

/// Every message code of verification, with its meaning in Chinese and English: the checks and
/// findings of `verify`, log findings, and beacon, signature and ceremony errors
/// (`docs/MESSAGES.md` is this table; a test keeps the two the same).
pub const MEANINGS: &[(&str, &str, &str)] = &[
    // Checks (verify::Check).
    (
        "check.signature",
        "文件的签名与签名注释",
        "a document's signature and signed comment",
    ),
    (
        "check.sheet_cites",
        "结果表引用的是本公告",
        "the sheet cites the announcement",
    ),
    (
        "check.seed",
        "承诺值、信标与种子推导",
        "commitments, beacon and seed derivation",
    ),
    (
        "check.quotas",
        "各层抽取数 k 符合计划按总数 n 计算的比例",
        "each stratum's k against the plan's quota for its n",
    ),
    (
        "check.inputs",
        "输入文件的摘要与公告一致",
        "input digests against the announcement",
    ),
    (
        "check.replay",
        "完整重放抽取过程",
        "full replay of the draw",
    ),
    (
        "check.amendment_replay",
        "重放一份补抽记录",
        "replay of one amendment",
    ),
    (
        "check.log",
        "与机关日志核对",
        "the draw against the office log",
    ),
    // Findings (verify::Finding).
    (
        "document.unreadable",
        "文件无法读取或不是有效的记录",
        "a document cannot be read or is not a valid record",
    ),
    (
        "signature.missing",
        "签名文件缺失",
        "a signature file is missing",
    ),
    (
        "amendment.gap",
        "补抽记录编号不连续",
        "amendment numbers skip one",
    ),
    (
        "void.with_sheet",
        "已抽取却又有作废记录",
        "a drawn draw also holds a void",
    ),
    (
        "input.unreadable",
        "输入文件有问题",
        "an input file has a problem",
    ),
    (
        "log.not_recorded",
        "文件不是日志在其位置记载的那一份",
        "a document is not the entry the log holds at its position",
    ),
    (
        "signature.bad",
        "签名核验失败",
        "a signature does not verify",
    ),
    (
        "signature.comment",
        "签名注释与文件不符",
        "the signed comment does not describe the document",
    ),
    (
        "document.cites",
        "文件引用的值不对",
        "a document cites a wrong value",
    ),
    (
        "time.too_early",
        "时间早于应有的时间",
        "a time precedes a time it must follow",
    ),
    (
        "time.before_beacon",
        "抽取早于信标公布",
        "the draw precedes the beacon",
    ),
    (
        "amendment.recusal_cap",
        "回避次数超过计划上限",
        "more recusals for an entity than the plan allows",
    ),
    (
        "amendment.reason_kind",
        "原因代码与变更种类不符",
        "a reason code of the other kind of amendment",
    ),
    (
        "input.changed",
        "输入文件在公告后被改动",
        "an input file changed after the announcement",
    ),
    (
        "seed.inputs",
        "揭示值、承诺值或信标核验不通过",
        "reveals, commitments or beacon do not check out",
    ),
    (
        "seed.differs",
        "结果表中的种子不是推导出的种子",
        "the sheet's seed is not the derived one",
    ),
    (
        "stratum.list",
        "结果表中的层与计划不同",
        "the sheet's strata are not the plan's",
    ),
    (
        "stratum.differs",
        "某层的数字与重放不同",
        "a stratum's figure differs from the replay",
    ),
    (
        "stratum.missing",
        "重放有而结果表没有的层",
        "a stratum of the replay is missing from the sheet",
    ),
    (
        "stratum.extra",
        "结果表有而重放没有的层",
        "a stratum on the sheet that the replay lacks",
    ),
    ("stratum.unknown", "未知的层", "an unknown stratum label"),
    (
        "entity.missing",
        "重放抽中但结果表中没有的检查对象",
        "an entity drawn by the replay is missing from the sheet",
    ),
    (
        "entity.extra",
        "结果表中有但重放没有抽中的检查对象",
        "an entity on the sheet that the replay did not draw",
    ),
    (
        "entity.differs",
        "检查对象的某个字段与重放不同",
        "a field of a drawn entity differs from the replay",
    ),
    (
        "replay.plan_differs",
        "结果表引用的计划与公告不同",
        "the sheet's plan differs from the announcement's",
    ),
    (
        "replay.entity_count_differs",
        "检查对象户数不等于各层 k 之和",
        "the number of entities is not Σ k",
    ),
    (
        "replay.outcome_differs",
        "补抽结果与重放不同",
        "an amendment's outcome differs from the replay",
    ),
    (
        "replay.inspectors_differ",
        "补抽记录的检查人员或引用与重放不同",
        "an amendment's inspectors or citations differ from the replay",
    ),
    (
        "replay.excluded_differ",
        "排除名单与重放不同",
        "the excluded entities differ from the replay",
    ),
    (
        "replay.pools_differ",
        "人员池与重放不同",
        "the inspector pools differ from the replay",
    ),
    (
        "replay.inspector_list_differs",
        "检查人员名单与重放不同",
        "the inspector list differs from the replay",
    ),
    (
        "replay.entity_order_differs",
        "检查对象的顺序与重放不同",
        "the order of the entities differs from the replay",
    ),
    (
        "replay.other_differs",
        "结果表的其他字段与重放不同",
        "another field of the sheet differs from the replay",
    ),
    (
        "log.unpublished",
        "日志记载的文件没有公开发布",
        "a document the log records is not published",
    ),
    (
        "log.reused_commitment",
        "承诺值已在另一次抽取中用过",
        "a commitment was used in another draw",
    ),
    (
        "log.reused_secret",
        "秘密数已在另一次抽取中用过",
        "a secret was used in another draw",
    ),
    (
        "timestamp.invalid",
        "时间戳令牌无效或不受信任",
        "the timestamp token is invalid or not trusted",
    ),
    (
        "timestamp.too_late",
        "时间戳不比信标早足够的时间",
        "the timestamp is not early enough before the beacon",
    ),
    ("replay.failed", "重放失败", "the replay failed"),
    // Log findings (log::LogFinding) and divergences (log::Divergence).
    (
        "log.bad_line",
        "日志某行不是有效的条目",
        "a log line is not a valid entry",
    ),
    (
        "log.gap",
        "日志序号不连续：有条目被删除",
        "the sequence skips a number: an entry was dropped",
    ),
    (
        "log.fork",
        "日志序号重复：日志分叉",
        "a sequence number appears again: the log forks",
    ),
    (
        "log.broken_chain",
        "哈希链断开：有条目被改写",
        "the hash chain breaks: an entry was rewritten",
    ),
    (
        "log.time_goes_back",
        "条目时间早于上一条",
        "an entry's time goes back",
    ),
    (
        "log.pending",
        "已公告但既无结果也未作废",
        "announced but neither drawn nor void",
    ),
    (
        "log.out_of_order",
        "条目顺序不对",
        "an entry out of its draw's order",
    ),
    (
        "log.task_mismatch",
        "条目的任务与其公告不同",
        "an entry's task differs from its announcement's",
    ),
    (
        "log.task_busy",
        "同一任务同时有两次有效抽取",
        "a second live draw of one task",
    ),
    (
        "log.unterminated",
        "最后一行没有换行符（写入被中断）",
        "the last line is not terminated (a torn write)",
    ),
    (
        "log.truncated",
        "日志被截断或重置",
        "the log was truncated or reset",
    ),
    (
        "log.forks",
        "日志与所签的记载不同：日志分叉",
        "the log differs from what was signed: it forks",
    ),
    // Signature errors (sign::SignError).
    (
        "sign.missing_line",
        "签名或密钥文件缺少一行",
        "a line of a key or signature file is missing",
    ),
    (
        "sign.extra_line",
        "文件结束后还有内容",
        "text after the end of the file",
    ),
    (
        "sign.missing_prefix",
        "注释行的开头不对",
        "a comment line lacks its prefix",
    ),
    ("sign.base64", "不是有效的 base64", "not valid base64"),
    (
        "sign.wrong_length",
        "字节数不对",
        "the wrong number of bytes",
    ),
    (
        "sign.unknown_algorithm",
        "未知的签名算法",
        "an unknown algorithm",
    ),
    (
        "sign.encrypted_secret_key",
        "私钥有口令保护，需要口令",
        "the secret key is encrypted with a password, which is needed",
    ),
    (
        "sign.unknown_kdf",
        "未知的密钥派生函数",
        "an unknown key derivation function",
    ),
    (
        "sign.unknown_checksum",
        "未知的校验函数",
        "an unknown checksum function",
    ),
    (
        "sign.bad_checksum",
        "私钥校验和不符：文件损坏",
        "the secret key's checksum does not match",
    ),
    (
        "sign.inconsistent_secret_key",
        "私钥前后不一致",
        "the secret key is inconsistent",
    ),
    (
        "sign.invalid_public_key",
        "公钥无效",
        "the public key is not a valid Ed25519 key",
    ),
    (
        "sign.key_id_mismatch",
        "签名不是此公钥签署的",
        "the signature was made by another key",
    ),
    (
        "sign.bad_signature",
        "签名与文件内容不符：文件或签名被改动",
        "the signature does not match the file: it was changed",
    ),
    (
        "sign.bad_global_signature",
        "签名注释被改动",
        "the trusted comment was changed",
    ),
    (
        "sign.comment_line_break",
        "注释中含有换行",
        "a comment contains a line break",
    ),
    (
        "sign.comment_nul",
        "注释中含有 NUL 字符",
        "a comment contains a NUL character",
    ),
    ("sign.comment_too_long", "注释太长", "a comment is too long"),
    (
        "sign.invalid_field_key",
        "签名注释的键无效",
        "an invalid trusted-comment key",
    ),
    (
        "sign.invalid_field_value",
        "签名注释的值含不允许的字符",
        "a trusted-comment value holds a forbidden character",
    ),
    (
        "sign.field_without_colon",
        "签名注释字段没有 ':'",
        "a trusted-comment field has no ':'",
    ),
    (
        "sign.duplicate_field",
        "签名注释的键重复",
        "a trusted-comment key appears twice",
    ),
    ("sign.invalid_key_id", "不是密钥编号", "not a key id"),
    (
        "sign.random",
        "操作系统的随机数生成器出错",
        "the operating system's random generator failed",
    ),
    (
        "sign.wrong_password",
        "私钥口令不对（或私钥文件损坏）",
        "wrong password for the secret key (or the key file is damaged)",
    ),
    (
        "sign.invalid_password",
        "口令不能用（为空、太长或含换行、NUL）",
        "the password cannot be used (empty, too long, or with a line break or NUL)",
    ),
    (
        "sign.kdf_limits",
        "私钥的 scrypt 参数超出限度",
        "the secret key's scrypt limits are refused",
    ),
    // Beacon errors (beacon::BeaconError).
    (
        "beacon.kind_mismatch",
        "信标与信标值种类不同",
        "the beacon and its value are of different kinds",
    ),
    ("beacon.not_drand", "不是 drand 信标", "not a drand beacon"),
    (
        "beacon.round_zero",
        "drand 没有第 0 轮",
        "drand has no round 0",
    ),
    (
        "beacon.zero_period",
        "信标周期为 0",
        "a beacon period of zero",
    ),
    (
        "beacon.overflow",
        "信标时间或轮次超出范围",
        "the beacon time or round is out of range",
    ),
    (
        "beacon.not_safe_integer",
        "整数超过 2^53 − 1",
        "an integer above 2^53 − 1",
    ),
    (
        "beacon.empty_field",
        "信标的某项为空",
        "a beacon field is empty",
    ),
    (
        "beacon.public_key_length",
        "drand 公钥长度不对",
        "the drand public key has the wrong length",
    ),
    (
        "beacon.known_chain_mismatch",
        "参数与已知 drand 链不同",
        "parameters differ from the known drand chain's",
    ),
    (
        "beacon.round_mismatch",
        "信标值不是公告指定的轮次",
        "the value is for another round than announced",
    ),
    (
        "beacon.missing_previous_signature",
        "缺少 previous_signature",
        "previous_signature is missing",
    ),
    (
        "beacon.unexpected_previous_signature",
        "不应有 previous_signature",
        "previous_signature where none belongs",
    ),
    (
        "beacon.randomness_mismatch",
        "随机数不是签名的 SHA-256",
        "the randomness is not SHA-256 of the signature",
    ),
    (
        "beacon.invalid_public_key",
        "drand 公钥无效",
        "the drand public key is invalid",
    ),
    (
        "beacon.signature_pairing",
        "drand 签名核验失败（配对检验不通过）",
        "the drand signature does not verify (pairing check)",
    ),
    (
        "beacon.signature_not_a_point",
        "drand 签名不是曲线上的点",
        "the drand signature is not a curve point",
    ),
    (
        "beacon.drand_unavailable",
        "本程序不能核验 drand 签名",
        "this build cannot verify drand signatures",
    ),
    (
        "beacon.round_too_early",
        "drand 轮次发布得太早",
        "the drand round is published too early",
    ),
    (
        "beacon.published_too_early",
        "外部信标公布得太早",
        "the external beacon is published too early",
    ),
    (
        "beacon.groups",
        "外部信标的形式或号码不对",
        "an external beacon's shape or value is refused",
    ),
    (
        "beacon.hex_odd_length",
        "十六进制数位数为奇数",
        "hex of an odd number of digits",
    ),
    (
        "beacon.hex_digit",
        "十六进制数含不允许的字符",
        "hex with a character other than 0-9, a-f",
    ),
    (
        "beacon.hex_length",
        "应为 64 位十六进制数字",
        "hex of another length than 64 digits",
    ),
    // Ceremony errors (ceremony::CeremonyError).
    (
        "ceremony.document",
        "文件不是规范的 JSON 记录",
        "a document is not canonical JSON of its shape",
    ),
    (
        "ceremony.json",
        "无法写成规范 JSON",
        "a value cannot be written as canonical JSON",
    ),
    (
        "ceremony.wrong_format",
        "文件种类不对",
        "a document of another kind",
    ),
    (
        "ceremony.unsupported_version",
        "算法版本不受支持",
        "an unsupported algorithm version",
    ),
    (
        "ceremony.duplicate_party",
        "参与方重名",
        "a party listed twice",
    ),
    ("ceremony.no_organizer", "公告中没有组织者", "no organizer"),
    (
        "ceremony.scheduled_before_announced",
        "抽取时间早于公告时间",
        "the draw is scheduled before the announcement",
    ),
    (
        "ceremony.reveal_count",
        "揭示的秘密数个数不对",
        "the wrong number of reveals",
    ),
    (
        "ceremony.reveal_order",
        "揭示顺序不对",
        "reveals out of order",
    ),
    (
        "ceremony.commitment_mismatch",
        "秘密数与承诺值不符",
        "a secret does not match its commitment",
    ),
    (
        "ceremony.beacon_missing",
        "缺少信标值",
        "no beacon value was entered",
    ),
    (
        "ceremony.beacon_not_announced",
        "公告没有指定信标",
        "a beacon value the announcement does not name",
    ),
    (
        "ceremony.input_changed",
        "输入文件在公告后被改动",
        "an input changed since the announcement",
    ),
    (
        "ceremony.name",
        "名称中有不能使用的字符",
        "a name breaks the name rules",
    ),
    (
        "ceremony.organizers",
        "组织者不止一个",
        "not exactly one organizer",
    ),
    (
        "ceremony.no_independent_randomness",
        "既没有监督人也没有信标",
        "neither a witness nor a beacon",
    ),
    (
        "ceremony.beacon_after_draw",
        "信标晚于抽取时间",
        "the beacon is published after the draw time",
    ),
    (
        "ceremony.reused",
        "秘密数或承诺值已用过",
        "a secret or commitment used before",
    ),
    (
        "ceremony.recusal_cap",
        "回避次数已达上限",
        "the recusal cap is reached",
    ),
    (
        "ceremony.no_replacement",
        "没有可替换的检查人员",
        "no replacement inspector",
    ),
    ("ceremony.draw", "抽取无法进行", "the draw cannot be made"),
    (
        "ceremony.mismatch",
        "文件引用了另一次抽取或另一份文件",
        "a document cites another draw or document",
    ),
    // Files a step needs (bundle::Needed, in BundleError::Missing).
    (
        "missing.announcement",
        "缺少抽查公告",
        "the announcement is missing",
    ),
    ("missing.sheet", "缺少结果表", "the result sheet is missing"),
    (
        "missing.sheet_before_amendment",
        "缺少结果表：补抽只能在抽取之后",
        "the result sheet is missing: amendments follow the draw",
    ),
    (
        "missing.amendment",
        "缺少补抽记录",
        "an amendment is missing",
    ),
    ("missing.void", "缺少作废记录", "the void is missing"),
    (
        "missing.public_key",
        "缺少组织者公钥",
        "the organizer's public key is missing",
    ),
    (
        "missing.secret_key",
        "缺少组织者私钥（由 keygen 生成）",
        "the organizer's secret key (made by keygen) is missing",
    ),
    ("missing.secret", "缺少秘密数", "a seed secret is missing"),
    ("missing.signature", "缺少签名", "the signature is missing"),
    // Outcome records (ceremony::outcomes::OutcomeFinding, SPEC §18.5).
    (
        "outcome.unreadable",
        "检查结果记录无法读取或不是有效的记录",
        "an outcome record cannot be read or is not a valid record",
    ),
    (
        "outcome.signature",
        "检查结果记录的签名缺失、核验失败或签名注释与记录不符",
        "an outcome record's signature is missing, does not verify, or its comment does not describe it",
    ),
    (
        "outcome.cites",
        "检查结果记录引用的结果表、编号、上一份记录或补抽记录不对",
        "an outcome record cites the wrong sheet, number, previous record or amendment",
    ),
    (
        "outcome.time",
        "检查结果记录的公示时间早于抽取或上一份记录",
        "an outcome record is dated before the draw or the previous record",
    ),
    (
        "outcome.stale",
        "检查结果记录未计入在它之前作出的补抽记录",
        "an outcome record ignores an amendment made before it",
    ),
    (
        "outcome.not_drawn",
        "检查结果所列对象不是（补抽后）被抽中的对象",
        "a result names an entity that is not drawn (after amendments)",
    ),
    (
        "outcome.duplicate",
        "同一对象有两份现行结果",
        "an entity has two current results",
    ),
    (
        "outcome.item",
        "检查事项不在计划中、顺序不对或缺失",
        "an item is not in the plan, out of order, or missing",
    ),
    (
        "outcome.result",
        "检查结果代码未知或文字与标准用语不符",
        "a result code is unknown or its text is not the standard one",
    ),
    (
        "outcome.not_allowed",
        "该检查事项不允许此检查结果",
        "the item does not admit this result",
    ),
    (
        "outcome.team",
        "检查人员不是抽中的检查组，记录也未说明原因",
        "the inspectors are not the drawn team and the record does not say why",
    ),
    (
        "outcome.dates",
        "检查日期、结果形成日期与公示日期的先后不对",
        "inspection, formation and publication dates are out of order",
    ),
    (
        "outcome.correction",
        "更正未引用该对象的现行结果",
        "a correction does not cite the entity's current result",
    ),
    (
        "outcome.late",
        "结果未在形成后 20 个工作日内公示",
        "a result was published more than 20 working days after it was formed",
    ),
    (
        "outcome.calendar",
        "缺少计算期限所需年份的节假日安排",
        "no holiday calendar for a year the deadline reaches",
    ),
    (
        "outcome.overdue",
        "期限已过仍无检查结果",
        "no result and the deadline has passed",
    ),
];

/// The meaning of a message code in `lang`, if the code is known.
pub fn meaning(lang: Lang, code: &str) -> Option<&'static str> {
    MEANINGS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, zh, en)| match lang {
            Lang::Zh => *zh,
            Lang::En => *en,
        })
}

/// The text for a code this build knows no words for (a newer library): the code's meaning
/// when known, and the English text.
fn fallback(lang: Lang, code: &str, english: &dyn std::fmt::Display) -> String {
    match meaning(lang, code) {
        Some(m) => format!("{m}（{code}）：{english}"),
        None => format!("{code}：{english}"),
    }
}

/// The part of a document that differs from its replay.
pub fn part(lang: Lang, p: Part) -> String {
    if lang == Lang::En {
        return p.to_string();
    }
    match p {
        Part::Plan => "计划".into(),
        Part::EntityCount => "检查对象户数（各层 k 之和）".into(),
        Part::Outcome => "补抽结果".into(),
        Part::InspectorsOrCitations => "检查人员或引用".into(),
        Part::Excluded => "排除名单".into(),
        Part::Pools => "人员池".into(),
        Part::Inspectors => "检查人员名单".into(),
        Part::EntityOrder => "检查对象的顺序".into(),
        Part::OtherFields => "其他字段".into(),
        other => fallback(lang, "replay.differs", &other),
    }
}

/// A verification finding (keyed by its variant, [`Finding::code`]).
pub fn finding(lang: Lang, f: &Finding) -> String {
    if lang == Lang::En {
        return f.to_string();
    }
    match f {
        Finding::Unreadable { document, error } => {
            format!("{document}：无法读取：{}", ceremony_error(lang, error))
        }
        Finding::SignatureMissing { document } => format!("{document}：签名文件缺失"),
        Finding::AmendmentGap { document } => {
            format!("{document}：补抽记录应从 1 起连续编号，它之前的一份缺失")
        }
        Finding::VoidWithSheet { document } => {
            format!("{document}：已抽取的抽取不能作废，但文件夹中既有结果表又有作废记录")
        }
        Finding::Input { problem, .. } => input_problem(lang, problem),
        Finding::Log { document, finding } => {
            format!("{document}：{}", log_finding(lang, finding))
        }
        Finding::NotInLog {
            document,
            line,
            log,
            divergence,
        } => format!(
            "{document}：不是 {log} 第 {line} 行记载的文件：{}",
            log_divergence(lang, divergence)
        ),
        Finding::Signature { document, error } => format!(
            "{document}：签名核验失败（文件被改动或不是此公钥签署）：{}",
            sign_error(lang, error)
        ),
        Finding::SignedComment {
            document,
            field,
            expected,
            found,
        } => format!("{document}：签名注释写的是 {field}={found}，但文件实际为 {expected}"),
        Finding::Cites {
            document,
            field,
            expected,
            found,
        } => format!("{document}：字段 {field} 为 {found}，应为 {expected}"),
        Finding::TooEarly {
            document,
            field,
            not_before,
            found,
        } => format!("{document}：{field} 为 {found}，不应早于 {not_before}"),
        Finding::BeforeBeacon {
            document,
            found,
            error,
        } => format!(
            "{document}：抽取时间 {found} 早于信标公布：{}",
            ceremony_error(lang, error)
        ),
        Finding::RecusalCap {
            document,
            entity,
            cap,
            number,
        } => {
            format!("{document}：这是检查对象 {entity} 的第 {number} 次回避，计划规定至多 {cap} 次")
        }
        Finding::ReasonKind { document, code } => format!(
            "{document}：原因代码“{}”与变更的种类不符",
            double_random::publish::reason_text(publish_lang(lang), *code)
        ),
        Finding::InputChanged {
            input,
            announced,
            found,
        } => format!("{input}：摘要 {found} 与公告中的 {announced} 不同，文件在公告后被改动"),
        Finding::SeedInputs { error } => format!("种子：{}", ceremony_error(lang, error)),
        Finding::Seed { expected, found } => {
            format!("种子：结果表中为 {found}，按公告和揭示值推导应为 {expected}")
        }
        Finding::Strata { expected, found } => format!(
            "结果表中的层为 {}，计划中为 {}",
            strata_names(lang, found),
            strata_names(lang, expected)
        ),
        Finding::Stratum {
            stratum,
            field,
            expected,
            found,
        } => format!(
            "层 {}：{field} 在结果表中为 {found}，重放得 {expected}",
            stratum_name(lang, stratum)
        ),
        Finding::StratumMissing { stratum } => format!(
            "层 {}：重放有这一层，但结果表中没有",
            stratum_name(lang, stratum)
        ),
        Finding::StratumExtra { stratum } => format!(
            "层 {}：在结果表中，但重放没有这一层",
            stratum_name(lang, stratum)
        ),
        Finding::UnknownStratum { stratum } => format!("{stratum:?} 不是已知的层"),
        Finding::EntityMissing { id } => format!("检查对象 {id}：重放抽中了它，但结果表中没有"),
        Finding::EntityExtra { id } => format!("检查对象 {id}：在结果表中，但重放没有抽中它"),
        Finding::EntityField {
            id,
            field,
            expected,
            found,
        } => format!("检查对象 {id}：{field} 在结果表中为 {found}，重放得 {expected}"),
        Finding::Differs { document, part: p } => {
            format!("{document}：{}与重放结果不同", part(lang, *p))
        }
        Finding::Unpublished { document, line } => {
            format!("{document}：机关日志第 {line} 行记载了它，但没有公开发布")
        }
        Finding::Reused {
            document,
            party,
            what,
            other,
        } => {
            let w = match what {
                Reuse::Secret => "秘密数",
                _ => "承诺值",
            };
            format!("{document}：{party} 的{w}已在抽取 {other} 中用过")
        }
        Finding::Timestamp { document, problem } => {
            format!("{document}：{}", time_problem(lang, problem))
        }
        Finding::ReplayFailed { failure } => match failure {
            ReplayFailure::Draw(e) => format!("重放失败：{}", draw_error(lang, e)),
            ReplayFailure::Digests(e) => format!("重放失败：{}", jcs_error(lang, e)),
            ReplayFailure::Amendment { document, error } => {
                format!("重放失败：{document}：{}", ceremony_error(lang, error))
            }
            other => format!("重放失败：{other}"),
        },
        other => fallback(lang, other.code(), other),
    }
}

/// Why a timestamp token does not prove the announcement's time.
pub fn time_problem(lang: Lang, p: &TimeProblem) -> String {
    if lang == Lang::En {
        return p.to_string();
    }
    match p {
        TimeProblem::TooLate {
            gen_time,
            margin_seconds,
        } => format!(
            "时间戳令牌的时间 {gen_time} 不比信标时间早 {margin_seconds} 秒，不能证明公告早于信标"
        ),
        TimeProblem::Token(e) => {
            format!(
                "时间戳令牌无效或不是受信任的时间戳机构签发：{}",
                token_error(lang, e)
            )
        }
        other => fallback(lang, other.code(), other),
    }
}

/// An RFC 3161 timestamp token error (keyed by its variant; rare structural ones keep their
/// English detail after a Chinese summary).
pub fn token_error(lang: Lang, e: &TokenError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        TokenError::Malformed { part, source } => {
            format!("不是格式正确的 RFC 3161 时间戳令牌（{part} 的 DER 解码出错：{source}）")
        }
        TokenError::NotGranted { status, .. } => {
            format!("时间戳机构拒绝了请求（状态 {status}）：{e}")
        }
        TokenError::MissingToken => "时间戳机构的回复中没有令牌".into(),
        TokenError::ImprintMismatch { expected, found } => {
            format!("令牌盖的是 {found}，不是这份文件（{expected}）")
        }
        TokenError::ImprintAlgorithm { found } => {
            format!("令牌的摘要算法是 {found}，不是 SHA-256")
        }
        TokenError::SignerCount { found } => format!("令牌有 {found} 个签署者（应恰好 1 个）"),
        TokenError::SignerNotFound => "令牌和受信任的证书中都找不到签署者的证书".into(),
        TokenError::BadSignature { signer } => format!("{signer} 的签名核验失败：令牌被改动"),
        TokenError::WrongPurpose { subject, .. } => {
            format!("证书 {subject} 不是时间戳专用证书（{e}）")
        }
        TokenError::NotValidAtGenTime {
            subject,
            not_before,
            not_after,
            gen_time,
        } => format!(
            "证书 {subject} 的有效期为 {not_before} 至 {not_after}，不包括令牌时间 {gen_time}"
        ),
        TokenError::IssuerNotCa { subject } => format!("签发者 {subject} 不是证书机构（CA）"),
        TokenError::CertificateSignature { subject, issuer } => {
            format!("证书 {subject} 上的签名不能用 {issuer} 的公钥核验")
        }
        TokenError::Untrusted { signer } => {
            format!("{signer} 签署的令牌不能追溯到任何受信任的证书（用 --tsa-cert 指定）")
        }
        TokenError::MessageDigestMismatch => {
            "令牌的 message-digest 属性与内容不符：令牌被改动".into()
        }
        TokenError::NoCertificate => "证书文件中没有证书".into(),
        other => format!("时间戳令牌有问题（{other}）"),
    }
}

fn strata_names(lang: Lang, labels: &[String]) -> String {
    labels
        .iter()
        .map(|l| stratum_name(lang, l))
        .collect::<Vec<_>>()
        .join("、")
}

/// How the log differs from a document's claim.
pub fn log_divergence(lang: Lang, d: &Divergence) -> String {
    if lang == Lang::En {
        return d.to_string();
    }
    match d {
        Divergence::Truncated { size, line } => {
            format!("日志只有 {size} 行，而文件记载在第 {line} 行：日志被截断或重置")
        }
        Divergence::Differs { line } => {
            format!("日志第 {line} 行与文件签署时的记载不同：日志出现分叉")
        }
        other => fallback(lang, other.code(), other),
    }
}

/// A document that is not canonical JSON.
pub fn jcs_error(lang: Lang, e: &JcsError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        JcsError::Number { path, number } => {
            format!("{path} 处的数 {number} 不是 ±(2^53−1) 以内的整数；文件中只能有整数")
        }
        JcsError::Syntax { line, column, .. } => {
            format!("不是有效的 JSON（第 {line} 行第 {column} 列）")
        }
        JcsError::NotCanonical { offset } => {
            format!("JSON 不是规范形式（RFC 8785）：第 {offset} 字节起不同")
        }
        other => other.to_string(),
    }
}

fn sign_field(f: Field) -> &'static str {
    match f {
        Field::UntrustedComment => "非签名注释",
        Field::TrustedComment => "签名注释",
        Field::PublicKey => "公钥",
        Field::SecretKey => "私钥",
        Field::Signature => "签名",
        Field::GlobalSignature => "全局签名",
        _ => "字段",
    }
}

fn comment_kind(c: CommentKind) -> &'static str {
    match c {
        CommentKind::Trusted => "签名注释",
        CommentKind::Untrusted => "非签名注释",
    }
}

/// A signature or key error (keyed by its variant, [`SignError::code`]).
pub fn sign_error(lang: Lang, e: &SignError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        SignError::MissingLine { line, field } => {
            format!("第 {line} 行：缺少{}这一行", sign_field(*field))
        }
        SignError::ExtraLine { line, file } => {
            format!(
                "第 {line} 行：{}已结束，后面不应再有内容",
                sign_field(*file)
            )
        }
        SignError::MissingPrefix {
            line,
            field,
            prefix,
        } => format!(
            "第 {line} 行：{}这一行必须以 {prefix:?} 开头",
            sign_field(*field)
        ),
        SignError::Base64 { line, field, .. } => {
            format!("第 {line} 行：{}不是有效的 base64", sign_field(*field))
        }
        SignError::WrongLength {
            field,
            expected,
            found,
        } => format!(
            "{}有 {found} 字节，应为 {expected} 字节",
            sign_field(*field)
        ),
        SignError::UnknownAlgorithm { field, found } => format!(
            "{}使用了未知的算法 \"{}\"",
            sign_field(*field),
            found.escape_ascii()
        ),
        SignError::EncryptedSecretKey => {
            "私钥有口令保护，需要口令才能使用（在终端输入，或用 --password-file 给出）".into()
        }
        SignError::WrongPassword => "私钥口令不对（或私钥文件已损坏）".into(),
        SignError::InvalidPassword { problem } => {
            format!("这个口令不能用：{}", password_problem(lang, problem))
        }
        SignError::KdfLimits {
            opslimit,
            memlimit,
            max_memory,
        } => format!(
            "私钥要求的 scrypt 参数（opslimit {opslimit}，memlimit {memlimit}）超出限度，已拒绝：至多使用 {max_memory} 字节内存和标准 minisign 八倍的计算量"
        ),
        SignError::UnknownKdf { found } => {
            format!("私钥使用了未知的密钥派生函数 \"{}\"", found.escape_ascii())
        }
        SignError::UnknownChecksum { found } => {
            format!("私钥使用了未知的校验函数 \"{}\"", found.escape_ascii())
        }
        SignError::BadChecksum { key_id } => {
            format!("私钥 {key_id} 的校验和不符：密钥文件已损坏")
        }
        SignError::InconsistentSecretKey { key_id } => {
            format!("私钥 {key_id} 前后不一致：其中保存的公钥与私钥不配对")
        }
        SignError::InvalidPublicKey { key_id } => format!("公钥 {key_id} 不是有效的 Ed25519 公钥"),
        SignError::KeyIdMismatch {
            signature,
            public_key,
        } => format!("签名由密钥 {signature} 签署，但所用公钥是 {public_key}"),
        SignError::BadSignature { key_id } => {
            format!("密钥 {key_id} 的签名与文件内容不符：文件或签名被改动过")
        }
        SignError::BadGlobalSignature { key_id } => {
            format!("密钥 {key_id} 对签名注释的签名不符：签名注释被改动过")
        }
        SignError::CommentLineBreak { comment } => format!("{}中含有换行", comment_kind(*comment)),
        SignError::CommentNul { comment } => format!("{}中含有 NUL 字符", comment_kind(*comment)),
        SignError::CommentTooLong {
            comment,
            length,
            max,
        } => format!(
            "{}有 {length} 字节，至多 {max} 字节",
            comment_kind(*comment)
        ),
        SignError::InvalidFieldKey { key } => {
            format!("{key:?} 不能作签名注释的键（不能为空，不能含 ':'、制表符、换行或 NUL）")
        }
        SignError::InvalidFieldValue { key, found } => {
            format!("签名注释字段 {key:?} 的值含有不允许的字符 {found:?}")
        }
        SignError::FieldWithoutColon { field } => {
            format!("签名注释字段 {field:?} 的键和值之间没有 ':'")
        }
        SignError::DuplicateField { key } => format!("签名注释的键 {key:?} 出现了不止一次"),
        SignError::InvalidKeyId { found } => {
            format!("{found:?} 不是密钥编号（应为 16 位十六进制数字）")
        }
        SignError::Random(err) => format!("操作系统的随机数生成器出错：{err}"),
        other => fallback(lang, other.code(), other),
    }
}

fn unix_time(t: u64) -> String {
    Timestamp::from_unix(t).map_or_else(|| t.to_string(), |t| t.to_string())
}

/// A beacon (drand or external) error (keyed by its variant, [`BeaconError::code`]).
pub fn beacon_error(lang: Lang, e: &BeaconError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        BeaconError::KindMismatch { spec, value } => {
            format!("公告指定的信标是 {spec} 类，输入的信标值却是 {value} 类")
        }
        BeaconError::NotDrand { kind } => format!("应为 drand 信标，实际是 {kind} 类"),
        BeaconError::RoundZero => "drand 轮次从 1 开始，没有第 0 轮".into(),
        BeaconError::ZeroPeriod => "信标周期至少为 1 秒".into(),
        BeaconError::Overflow => "信标时间或轮次超出范围".into(),
        BeaconError::NotSafeInteger { field, value } => {
            format!("{field} = {value} 超过 2^53 − 1")
        }
        BeaconError::EmptyField { field } => format!("{field} 为空"),
        BeaconError::PublicKeyLength {
            scheme,
            expected,
            found,
        } => format!("{scheme:?} 方案的公钥应为 {expected} 字节，这个有 {found} 字节"),
        BeaconError::KnownChainMismatch { chain, field } => {
            format!("链哈希是 drand {chain} 的，但 {field} 与该链不同")
        }
        BeaconError::RoundMismatch { expected, found } => {
            format!("公告指定第 {expected} 轮，输入的信标值却是第 {found} 轮")
        }
        BeaconError::MissingPreviousSignature { round } => {
            format!("链式方案的第 {round} 轮需要 previous_signature")
        }
        BeaconError::UnexpectedPreviousSignature { round } => {
            format!("非链式方案的第 {round} 轮不应有 previous_signature")
        }
        BeaconError::RandomnessMismatch { round } => {
            format!("第 {round} 轮的随机数不是其签名的 SHA-256：信标值被改动过")
        }
        BeaconError::InvalidPublicKey => "drand 公钥无效：不是该方案曲线上的点".into(),
        BeaconError::InvalidSignature { round, problem } => {
            let why = match problem {
                DrandSignatureProblem::PairingFailed => {
                    "配对检验不通过：这不是 drand 为这一轮发布的签名，信标值被改动或抄错"
                        .to_string()
                }
                DrandSignatureProblem::NotAPoint => "它不是该方案曲线上的点".to_string(),
                other => other.to_string(),
            };
            format!("drand 第 {round} 轮的签名核验失败：{why}")
        }
        BeaconError::DrandUnavailable => {
            "无法核验 drand 签名：本程序构建时未包含 drand 功能".into()
        }
        BeaconError::RoundTooEarly {
            round,
            publish_time,
            announce_time,
            margin_seconds,
        } => format!(
            "第 {round} 轮在 {} 发布，没有比公告时间 {} 晚至少 {margin_seconds} 秒",
            unix_time(*publish_time),
            unix_time(*announce_time)
        ),
        BeaconError::PublishedTooEarly {
            published_at,
            announce_time,
            margin_seconds,
        } => format!(
            "外部信标在 {} 公布，没有比公告时间 {} 晚至少 {margin_seconds} 秒",
            unix_time(*published_at),
            unix_time(*announce_time)
        ),
        BeaconError::Groups(g) => format!("外部信标：{}", group_error(lang, g)),
        BeaconError::InvalidHex { problem } => {
            let why = match problem {
                HexProblem::OddLength => "位数为奇数",
                HexProblem::Digit => "只能用 0-9 和 a-f",
                HexProblem::Length => "应为 64 位十六进制数字（32 字节）",
                _ => "格式不对",
            };
            format!("十六进制数无效：{why}")
        }
        other => fallback(lang, other.code(), other),
    }
}

/// An external beacon's shape or value that is refused.
pub fn group_error(lang: Lang, e: &GroupError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        GroupError::GroupCount { found } => {
            format!(
                "信标应有 1 到 {} 组，这个有 {found} 组",
                double_random::ceremony::groups::MAX_GROUPS
            )
        }
        GroupError::BadShape {
            group,
            count,
            min,
            max,
            distinct,
        } => format!(
            "第 {group} 组：个数 {count}、范围 {min}–{max}、{} 不是可用的形式",
            if *distinct {
                "互不相同"
            } else {
                "可重复"
            }
        ),
        GroupError::BadCharacter { ch, code, position } => {
            format!("第 {position} 个字符 {ch:?}（U+{code:04X}）既不是数字也不是分隔符")
        }
        GroupError::TooLong { position } => format!("从第 {position} 个字符开始的数超过 9 位"),
        GroupError::WrongCount { expected, found } => {
            format!("信标需要 {expected} 个整数，输入了 {found} 个")
        }
        GroupError::OutOfRange {
            group,
            value,
            min,
            max,
        } => format!("第 {group} 组：{value} 不在 {min}–{max} 之内"),
        GroupError::Repeated { group, value } => {
            format!("第 {group} 组：{value} 出现了两次，但这一组的数互不相同")
        }
        GroupError::NotSorted { group } => format!("第 {group} 组是集合，须按从小到大记录"),
        GroupError::WrongShape { expected, found } => {
            format!("记录的值有 {found} 组或某组个数不对；形式规定 {expected} 组")
        }
        other => other.to_string(),
    }
}

/// The language of the published views for a language of messages.
pub fn publish_lang(lang: Lang) -> double_random::publish::Lang {
    match lang {
        Lang::Zh => double_random::publish::Lang::Zh,
        Lang::En => double_random::publish::Lang::En,
    }
}

/// A stratum label for people: `all` → 全部, `A` → A类, `unclassified` → 未分类.
pub fn stratum_name(lang: Lang, label: &str) -> String {
    double_random::publish::stratum_name(publish_lang(lang), label)
}

/// A log entry kind.
pub fn entry_kind(lang: Lang, kind: EntryKind) -> &'static str {
    match (lang, kind) {
        (Lang::Zh, EntryKind::Announcement) => "公告",
        (Lang::Zh, EntryKind::Sheet) => "抽取",
        (Lang::Zh, EntryKind::Amendment) => "变更",
        (Lang::Zh, EntryKind::Void) => "作废",
        (Lang::En, EntryKind::Announcement) => "announcement",
        (Lang::En, EntryKind::Sheet) => "sheet",
        (Lang::En, EntryKind::Amendment) => "amendment",
        (Lang::En, EntryKind::Void) => "void",
    }
}

/// A log finding.
pub fn log_finding(lang: Lang, f: &LogFinding) -> String {
    if lang == Lang::En {
        return f.to_string();
    }
    match f {
        LogFinding::BadLine { line, reason } => {
            let why = match reason {
                BadEntry::NotAnEntry { column } => {
                    format!("不是日志条目的 JSON（第 {column} 列）")
                }
                BadEntry::NotCanonical { offset } => {
                    format!("JSON 不是规范形式（RFC 8785）：第 {offset} 字节起不同")
                }
                BadEntry::Number { path } => {
                    format!("{path} 处的数不是 ±(2^53−1) 以内的整数")
                }
                other => other.to_string(),
            };
            format!("第 {line} 行：不是有效的日志条目：{why}")
        }
        LogFinding::Gap {
            line,
            expected,
            found,
        } => format!("第 {line} 行：序号为 {found}，应为 {expected}：有条目被删除"),
        LogFinding::Fork { line, seq } => {
            format!("第 {line} 行：序号 {seq} 重复出现：日志出现分叉")
        }
        LogFinding::BrokenChain { line } => {
            format!("第 {line} 行：与上一行的哈希链接不上：有条目被改写")
        }
        LogFinding::Pending { draw_id, line } => {
            format!("抽取 {draw_id}：已公告（第 {line} 行），但既没有结果也没有作废记录")
        }
        LogFinding::TimeGoesBack { line } => {
            format!("第 {line} 行：时间早于上一条记录")
        }
        LogFinding::TaskMismatch { line, draw_id } => {
            format!("第 {line} 行：抽取 {draw_id} 记录的任务与其公告不同")
        }
        LogFinding::TaskBusy {
            line,
            draw_id,
            other,
            state,
        } => {
            let s = match state {
                DrawState::Drawn => "已抽取",
                _ => "尚未抽取也未作废",
            };
            format!(
                "第 {line} 行：抽取 {draw_id} 公告的任务，其抽取 {other} {s}：同一任务同时只能有一次有效抽取"
            )
        }
        LogFinding::OutOfOrder {
            line,
            kind,
            draw_id,
            problem,
        } => {
            let p = match problem {
                OrderProblem::AlreadyAnnounced => "已经公告过",
                OrderProblem::NeverAnnounced => "从未公告",
                OrderProblem::AlreadyResolved => "已经有结果或作废记录",
                OrderProblem::NoSheet => "还没有结果",
                OrderProblem::AfterVoid => "已经作废",
                _ => "顺序不对",
            };
            format!(
                "第 {line} 行：抽取 {draw_id} 的{}记录，但该抽取{p}",
                entry_kind(lang, *kind)
            )
        }
        LogFinding::Unterminated => "最后一行没有换行符（写入被中断）".into(),
        other => fallback(lang, other.code(), other),
    }
}

/// A file error.
pub fn file_error(lang: Lang, e: &FileError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        FileError::AlreadyExists { path } => {
            format!("{} 已存在，未作任何改动（记录从不覆盖）", path.display())
        }
        FileError::TooLarge { path, limit, size } => {
            format!("{} 太大：至少 {size} 字节，上限为 {limit}", path.display())
        }
        FileError::Io { path, source, .. } => match source.kind() {
            std::io::ErrorKind::NotFound => format!("{}：找不到文件或文件夹", path.display()),
            std::io::ErrorKind::PermissionDenied => {
                format!("{}：没有权限", path.display())
            }
            _ => format!("{}：读写失败：{source}", path.display()),
        },
        other => other.to_string(),
    }
}

/// A problem of a roster file, with its place.
pub fn input_error(lang: Lang, e: &InputError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    let mut s = e.file.clone();
    if e.line > 0 {
        s.push_str(&format!(":{}", e.line));
    }
    s.push('：');
    if let Some(f) = &e.field {
        s.push_str(&format!("字段 {f}："));
    }
    s.push_str(&input_error_kind(lang, &e.kind));
    s
}

fn input_error_kind(lang: Lang, k: &InputErrorKind) -> String {
    if lang == Lang::En {
        return k.to_string();
    }
    match k {
        InputErrorKind::Utf16 => "文件是 UTF-16 编码（Excel 的“Unicode 文本”），无法读取；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”".into(),
        InputErrorKind::EmptyFile => "文件是空的：第一行必须是列名".into(),
        InputErrorKind::NoRows => "文件只有表头，没有数据行".into(),
        InputErrorKind::InvalidEncoding { column, .. } => format!("第 {column} 列：文字编码无效；请重新另存为“CSV UTF-8（逗号分隔）”"),
        InputErrorKind::MixedEncoding { column, .. } => format!("第 {column} 列：文件混用了两种编码（可能由两个导出文件拼接而成）；请重新另存为“CSV UTF-8（逗号分隔）”"),
        InputErrorKind::FieldCount { expected, found } => format!("这一行有 {found} 个字段，而表头有 {expected} 个；检查是否有多余或缺少的逗号"),
        InputErrorKind::UnknownColumn { column, header, table } => format!("第 {column} 列：不认识的列名 {header:?}；{} 文件可用的列名：{}", table, table.accepted_headers()),
        InputErrorKind::MissingColumn { name, headers } => format!("缺少必需的列 {name}；列名可写作：{}", headers.join("、")),
        InputErrorKind::DuplicateColumn { name, header, first_column, column } => format!("第 {column} 列（{header:?}）和第 {first_column} 列都表示字段 {name}；请删除其中一列"),
        InputErrorKind::Empty => "此处必须填写".into(),
        InputErrorKind::UnknownValue { value, accepted } => format!("{value:?} 不是可接受的值；可写作：{}", accepted.trim_end()),
        InputErrorKind::BadBool { value } => format!("{value:?} 不是“是/否”；请写 是/否、Y/N、yes/no、true/false 或 1/0（空表示否）"),
        InputErrorKind::BadDate { value } => format!("{value:?} 不是日期；请写成 2026-03-01、2026/3/1 或 2026年3月1日"),
        InputErrorKind::DuplicateId { id, first_line } => format!("{id} 重复出现：第 {first_line} 行也有"),
        InputErrorKind::DuplicateConflict { inspector, entity, first_line } => format!("检查人员 {inspector} 与检查对象 {entity} 的回避关系重复申报：第 {first_line} 行也有"),
        InputErrorKind::NumberInCodeColumn { value } => format!("单元格是数字 {value}，位数超过表格软件能保存的 15 位，代码已丢失；请在 Excel 中把该列设为“文本”格式，重新输入或粘贴代码后再保存"),
        InputErrorKind::IndustryNumber { value } => format!("单元格是数字 {value}，行业代码可能以 0 开头，数字会丢掉它；请把该列设为“文本”格式并重新输入"),
        InputErrorKind::CellError { value } => format!("单元格是表格错误值 {value}；请改正公式或直接填写"),
        InputErrorKind::NoWorksheet => "工作簿中没有工作表".into(),
        InputErrorKind::WorkbookLimit { limit, part, found, max } => format!("{}；名录远不会达到这个上限，工作簿已损坏或是为耗尽读取程序而构造的：请用表格软件打开后重新保存，或把工作表导出为 CSV", workbook_limit(*limit, part, *found, *max)),
        InputErrorKind::HeaderNotInFirstRow => "工作表第 1 行是空的：第一行必须是列名".into(),
        InputErrorKind::Code(c) => code_error(lang, c),
        other => other.to_string(),
    }
}

fn workbook_limit(limit: WorkbookLimit, part: &str, found: u64, max: u64) -> String {
    use WorkbookLimit as L;
    match limit {
        L::Parts => format!("工作簿有 {found} 个部件（zip 条目），超过上限 {max}"),
        L::PartBytes => format!("部件 {part} 声明解压后 {found} 字节，超过上限 {max}"),
        L::PartInflated => {
            format!("部件 {part} 解压后超过 zip 目录声明的 {max} 字节（已读 {found}）")
        }
        L::TotalBytes => format!("各部件声明解压后共 {found} 字节，超过上限 {max}"),
        L::Token => format!("部件 {part} 中有至少 {found} 字节的 XML 标签或文字，超过上限 {max}"),
        L::Cell => format!("部件 {part} 中有至少 {found} 字节的单元格，超过上限 {max}"),
        L::SharedString => format!("部件 {part} 中有至少 {found} 字节的共享字符串，超过上限 {max}"),
        L::SharedStrings => format!("部件 {part} 中至少有 {found} 个共享字符串，超过上限 {max}"),
        L::SharedStringBytes => {
            format!("部件 {part} 的共享字符串共至少 {found} 字节，超过上限 {max}")
        }
        L::DimensionRows => format!("工作表 {part} 声明的范围到第 {found} 行，超过上限 {max} 行"),
        L::DimensionColumns => {
            format!("工作表 {part} 声明的范围到第 {found} 列，超过上限 {max} 列")
        }
        L::Rows => format!("工作表 {part} 第 {found} 行有单元格，超过上限 {max} 行"),
        L::Columns => format!("工作表 {part} 第 {found} 列有单元格，超过上限 {max} 列"),
        L::Cells => format!("工作表 {part} 至少有 {found} 个单元格，超过上限 {max}"),
        _ => format!("{part}：{found} 超过上限 {max}"),
    }
}

fn code_kind(k: CodeKind) -> &'static str {
    match k {
        CodeKind::Uscc => "统一社会信用代码",
        CodeKind::RegNo => "注册号",
        CodeKind::EntityId => "统一社会信用代码（或注册号）",
        CodeKind::Region => "行政区划代码",
        CodeKind::Industry => "行业代码",
        _ => "代码",
    }
}

/// A malformed code (entity id, region, industry), with what to do.
pub fn code_error(lang: Lang, e: &CodeError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    const TEXT: &str = "请在 Excel 中把该列设为“文本”格式，重新输入或粘贴后再导出";
    match e {
        CodeError::Empty { kind } => format!("{}为空", code_kind(*kind)),
        CodeError::ScientificNotation { kind, value } => format!(
            "{} {value:?} 被 Excel 变成了科学计数法，原代码已丢失；{TEXT}",
            code_kind(*kind)
        ),
        CodeError::PrecisionLost { value } => format!(
            "统一社会信用代码 {value:?} 以 000 结尾且校验码不对：Excel 可能把它存成了数字，只保留了前 15 位；{TEXT}"
        ),
        CodeError::BadLength {
            kind,
            value,
            len,
            expected,
        } => format!(
            "{} {value:?} 有 {len} 位，应为 {} 位",
            code_kind(*kind),
            expected
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(" 或 ")
        ),
        CodeError::BadCharacter {
            kind,
            value,
            position,
            ch,
        } => {
            let why = match (kind, ch) {
                (CodeKind::Uscc, 'I' | 'O' | 'S' | 'V' | 'Z') => {
                    "统一社会信用代码不使用字母 I、O、S、V、Z（可能应为 1、0、5、U 或 2）"
                }
                (CodeKind::Uscc, _) => {
                    "统一社会信用代码只含数字 0–9 和除 I、O、S、V、Z 以外的大写字母"
                }
                (CodeKind::RegNo | CodeKind::Region, _) => "此代码只含数字",
                _ => "此处不允许该字符",
            };
            format!(
                "{} {value:?} 的第 {position} 位是 {ch:?}：{why}",
                code_kind(*kind)
            )
        }
        CodeError::BadCheck {
            kind,
            value,
            expected,
            found,
        } => format!(
            "{} {value:?} 校验不通过：最后一位是 {found:?}，按前面各位应为 {expected:?}；可能有某一位输错了",
            code_kind(*kind)
        ),
        CodeError::RegionDigitMissing { value } => format!(
            "行政区划代码 {value:?} 只有 5 位，应为 6 位：表格软件把该列当作数字时会丢掉开头的 0；请把该列设为“文本”格式，改正后重新导出"
        ),
        CodeError::RegionBadFirstDigit { value, first } => {
            format!("行政区划代码 {value:?} 以 {first:?} 开头，但这类代码以 1 到 8 开头")
        }
        CodeError::IndustryLeadingZeroLost { value } => format!(
            "行业代码 {value:?} 只有 1 位数字，应为 2 到 4 位；表格软件可能丢掉了开头的 0（01 变成 1）；请把该列设为“文本”格式，改正后重新导出"
        ),
        CodeError::BadIndustryFormat { value } => format!(
            "行业代码 {value:?} 的写法不对：应为门类字母、2 到 4 位数字，或门类字母加 2 到 4 位数字（如 C、1311 或 C1311）"
        ),
        CodeError::UnknownIndustrySection { value, section } => {
            format!("行业代码 {value:?} 的门类 {section:?} 不存在：GB/T 4754-2017 只有 A 到 T")
        }
        CodeError::UnknownIndustryDivision { value, division } => {
            format!("行业代码 {value:?} 的大类 {division:02} 在 GB/T 4754-2017 中不存在")
        }
        CodeError::IndustrySectionMismatch {
            value,
            section,
            division,
            expected,
        } => format!(
            "行业代码 {value:?} 把大类 {division:02} 写在门类 {section:?} 下，但大类 {division:02} 属于门类 {expected:?}"
        ),
        other => other.to_string(),
    }
}

/// A problem with the inputs.
pub fn input_problem(lang: Lang, p: &InputProblem) -> String {
    if lang == Lang::En {
        return p.to_string();
    }
    match p {
        InputProblem::Missing { path, what } => {
            format!(
                "{}：找不到文件（{}）",
                path.display(),
                input_name(lang, what)
            )
        }
        InputProblem::Ambiguous { csv, xlsx } => format!(
            "{} 和 {} 同时存在，无法确定使用哪一个：请只保留一个",
            csv.display(),
            xlsx.display()
        ),
        InputProblem::UnsupportedType { path, xlsx_allowed } => format!(
            "{}：不支持的文件类型；请使用 .csv{}",
            path.display(),
            if *xlsx_allowed { " 或 .xlsx" } else { "" }
        ),
        InputProblem::Unreadable { message, .. } => format!("无法读取：{message}"),
        InputProblem::Roster(e) => input_error(lang, e),
        InputProblem::Omitted { file, count } => format!("{file}：……另有 {count} 个问题未列出"),
        InputProblem::Plan(e) => plan_error(lang, e),
        InputProblem::Draw { file, error } => format!("{file}：{}", draw_error(lang, error)),
        InputProblem::NeededColumn {
            file,
            table,
            field,
            headers,
            plan_field,
        } => format!(
            "{file}：没有 {field} 列（列名可写作：{}），而抽查计划的 {plan_field} 要用到它；请在{}文件中加上这一列",
            headers.join("、"),
            input_name(lang, table.as_str())
        ),
        other => other.to_string(),
    }
}

/// `U+200B ZERO WIDTH SPACE`: the code point and, where known, the character's name.
pub fn char_label(ch: char) -> String {
    match unicode_names2::name(ch) {
        Some(name) => format!("U+{:04X} {name}", u32::from(ch)),
        None => format!("U+{:04X}", u32::from(ch)),
    }
}

/// A draw id or party name that breaks SPEC §3.6, naming the refused character.
pub fn name_error(lang: Lang, e: &NameError) -> String {
    let value = &e.value;
    let what = match (lang, e.kind) {
        (Lang::Zh, NameKind::DrawId) => "抽取编号",
        (Lang::Zh, NameKind::PartyName) => "参与方名称",
        (Lang::En, NameKind::DrawId) => "draw id",
        (Lang::En, NameKind::PartyName) => "party name",
    };
    let why = match &e.problem {
        NameProblem::Empty => tr!(lang, "为空", "it is empty"),
        NameProblem::TooLong { chars, max } => tr!(
            lang,
            "有 {chars} 个字符，超过 {max} 个",
            "it has {chars} characters, more than {max}"
        ),
        NameProblem::NotNfc => tr!(
            lang,
            "不是 Unicode 标准化形式 C（NFC）",
            "it is not in Unicode normal form C (NFC)"
        ),
        NameProblem::LeadingDot => tr!(lang, "以点号开头", "it starts with a dot"),
        NameProblem::TrailingDotOrSpace => tr!(
            lang,
            "以点号或空格结尾（Windows 会从文件名中去掉）",
            "it ends with a dot or a space, which Windows drops from file names"
        ),
        NameProblem::DoubleSpace => tr!(lang, "含有两个连续空格", "it has two spaces in a row"),
        NameProblem::WindowsReserved { reserved } => tr!(
            lang,
            "{reserved} 是 Windows 的设备名，不能用作文件名",
            "{reserved} is a device name on Windows and cannot be a file name"
        ),
        NameProblem::Character { ch, position, why } => {
            let label = char_label(*ch);
            let reason = match (lang, why) {
                (Lang::Zh, CharProblem::Format) => "不可见的格式字符".to_string(),
                (Lang::Zh, CharProblem::Bidi) => "会改变周围文字方向的控制字符".to_string(),
                (Lang::Zh, CharProblem::Control) => "控制字符".to_string(),
                (Lang::Zh, CharProblem::Dash) => {
                    "看起来像 - 但不是 - 的连字符；请用半角 -".to_string()
                }
                (Lang::Zh, CharProblem::Unassigned) => "未分配的码位".to_string(),
                (Lang::Zh, CharProblem::PrivateUse) => "私用区字符".to_string(),
                (Lang::Zh, CharProblem::Space) => "此处不允许的空格或分隔符".to_string(),
                (Lang::Zh, CharProblem::LoneMark) => "不跟在字母后的组合符号".to_string(),
                (Lang::Zh, CharProblem::NotAllowed) => "名称中不允许的标点或符号".to_string(),
                (_, other) => other.to_string(),
            };
            tr!(
                lang,
                "第 {position} 个字符 {label}：{reason}",
                "character {position}, {label}: {reason}"
            )
        }
        other => other.to_string(),
    };
    tr!(
        lang,
        "{what} {value:?} 不能使用：{why}",
        "{what} {value:?} cannot be used: {why}"
    )
}

/// A problem in the plan file, with its place.
pub fn plan_error(lang: Lang, e: &PlanError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    let field = if e.field.is_empty() {
        String::new()
    } else {
        format!("{}：", e.field)
    };
    let kind = match &e.kind {
        PlanErrorKind::Syntax { message } => format!("不是有效的 TOML：{message}"),
        PlanErrorKind::UnknownKey { key, accepted } => {
            format!("不认识的键 {key:?}；此处可用的键：{}", accepted.join("、"))
        }
        PlanErrorKind::Missing => "必须填写此项".into(),
        PlanErrorKind::WrongType { expected, found } => {
            format!("应为 {expected}，实际是 {found}")
        }
        PlanErrorKind::Empty => "不能为空".into(),
        PlanErrorKind::EmptyList => "列表不能为空".into(),
        PlanErrorKind::BadRatio { value, problem } => {
            let why = match problem {
                RatioProblem::Negative => "小于 0%".to_string(),
                RatioProblem::AboveHundred => "大于 100%".to_string(),
                RatioProblem::TooPrecise => "精度超过 0.01%".to_string(),
                RatioProblem::NotFinite => "不是有限的数".to_string(),
                RatioProblem::Format => "不是比例的写法".to_string(),
                other => other.to_string(),
            };
            format!(
                "比例 {value} 不可用：{why}（请写成 \"5%\"、\"2.5%\" 这样的百分数，或 0.05 这样的小数）"
            )
        }
        PlanErrorKind::UnknownValue { value, accepted } => {
            format!("{value:?} 不是可接受的值；可写作：{}", accepted.trim_end())
        }
        PlanErrorKind::IntegerRange { value, min, max } => {
            format!("{value} 超出范围：应在 {min} 到 {max} 之间")
        }
        PlanErrorKind::BadDate { value } => format!("{value:?} 不是日期；请写成 2026-03-01"),
        PlanErrorKind::BadRegionPrefix { value } => {
            format!("{value:?} 不是行政区划代码前缀：请写 1 到 6 位数字，如 \"52\" 或 \"520102\"")
        }
        PlanErrorKind::DuplicateItem { item } => format!("事项 {item} 列了两次"),
        PlanErrorKind::DuplicateValue { value } => format!("{value:?} 列了两次"),
        PlanErrorKind::Code(c) => code_error(lang, c),
        PlanErrorKind::MinAboveMax { min, max } => format!("最小值 {min} 大于最大值 {max}"),
        PlanErrorKind::NoQuota => "每层须给出比例、户数，或两者都给".into(),
        PlanErrorKind::NoStrata => {
            "按风险分层（by = \"risk\"）时，至少要为一个分类（A 到 E）或未分类设定比例".into()
        }
        PlanErrorKind::TooFewOfficers { officers } => format!(
            "每户 {officers} 名执法人员：法律要求每次检查至少 2 名持证执法人员（行政处罚法第四十二条）"
        ),
        PlanErrorKind::JointOfficersMismatch { officers, sum } => format!(
            "team.officers 为 {officers}，但联合检查各部门合计派出 {sum} 人；请写合计数或删去 team.officers"
        ),
        PlanErrorKind::JointDuplicateDepartment { department } => {
            format!("部门 {department:?} 在联合检查中出现了两次")
        }
        PlanErrorKind::JointItemNotInPlan { item } => format!("事项 {item} 不是本计划的事项"),
        PlanErrorKind::JointItemUncovered { item } => {
            format!("计划事项 {item} 没有任何联合检查部门负责")
        }
        PlanErrorKind::DepartmentsInJoint => {
            "联合检查中 team.departments 不起作用（每个 [[team.joint]] 自己指定部门）；请删去"
                .into()
        }
        other => other.to_string(),
    };
    format!("{}:{}：{field}{kind}", e.file, e.line)
}

/// A note about the inputs (the inputs are usable).
pub fn input_note(lang: Lang, n: &InputNote) -> String {
    if lang == Lang::En {
        return n.to_string();
    }
    match n {
        InputNote::UnknownReference {
            file,
            line,
            field,
            id,
            roster,
        } => {
            let f = if *field == "inspector" {
                "检查人员"
            } else {
                "检查对象"
            };
            format!("{file}:{line}：{f} {id} 不在 {roster} 中")
        }
        InputNote::Roster(w) => {
            let mut s = w.file.clone();
            if w.line > 0 {
                s.push_str(&format!(":{}", w.line));
            }
            s.push('：');
            if let Some(f) = &w.field {
                s.push_str(&format!("字段 {f}："));
            }
            match &w.kind {
                InputWarningKind::Code(CodeWarning::OrgCodeCheck { uscc }) => s.push_str(&format!(
                    "统一社会信用代码 {uscc:?} 中的组织机构代码（第 9–17 位）未通过 GB 11714 校验；有些登记机关发放过这样的代码，因此照常接受，但建议与营业执照核对"
                )),
                other => s.push_str(&other.to_string()),
            }
            s
        }
        InputNote::TrialDraw(e) => format!("试抽失败，正式抽取也可能失败：{}", draw_error(lang, e)),
        InputNote::IgnoredColumns {
            file,
            table,
            headers,
        } => format!(
            "{file}：以下列不是{}的字段，已忽略（不读取，不计入摘要）：{}",
            input_name(lang, table.as_str()),
            headers.join("、")
        ),
        other => other.to_string(),
    }
}

fn input_name(lang: Lang, what: &str) -> String {
    if lang == Lang::En {
        return what.to_string();
    }
    match what {
        "entities" => "检查对象名录".into(),
        "inspectors" => "检查人员名录".into(),
        "items" => "抽查事项清单".into(),
        "plan" => "抽查计划".into(),
        "conflicts" => "回避关系".into(),
        "history" => "检查历史".into(),
        "input file" => "输入文件".into(),
        other => other.to_string(),
    }
}

/// A draw error: why no valid draw exists.
pub fn draw_error(lang: Lang, e: &DrawError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        DrawError::NoStratum { entity, risk } => format!(
            "检查对象 {entity} 的信用风险分类为 {}，但计划中没有这一层：请在计划中为该分类（或未分类）设定比例",
            risk.as_deref().unwrap_or("（未分类）")
        ),
        DrawError::DuplicateEntity { id } => format!("检查对象 {id} 出现不止一次"),
        DrawError::GeneralCapExceeded {
            stratum,
            n,
            k,
            cap_bp,
        } => format!(
            "层 {}：从 {n} 户中抽 {k} 户，超过一般事项比例上限（{}）",
            stratum_name(lang, stratum),
            percent_bp(u64::from(*cap_bp))
        ),
        DrawError::UnknownItem { item } => format!("事项 {item} 不在抽查事项清单中"),
        DrawError::EmptyPool {
            pool,
            departments,
            qualifications,
        } => format!(
            "人员池 {pool}：没有在岗、属于部门 {departments:?} 且具备资质 {qualifications:?} 的检查人员"
        ),
        DrawError::NotEnoughEligible {
            pool,
            entity,
            needed,
            pool_size,
            blockers,
        } => format!(
            "人员池 {pool}：检查对象 {entity} 需要本池 {needed} 名检查人员，但 {pool_size} 人中只有 {} 人可以检查它（{} 人因回避或近期检查排除，{} 人因同一地区排除）；提高工作量上限也无济于事",
            blockers.eligible, blockers.conflict_or_history, blockers.same_region
        ),
        DrawError::WorkloadCapExhausted {
            pool,
            entity,
            needed,
            cap,
            cap_kind,
            eligible,
            at_cap,
            on_team,
        } => {
            let which = match cap_kind {
                CapKind::Plan => "计划中的 team.workload_cap",
                CapKind::Balanced => "计划未设 team.workload_cap 时的均衡份额",
                _ => "上限",
            };
            format!(
                "人员池 {pool}：检查对象 {entity} 需要本池 {needed} 名检查人员，可以检查它的有 {eligible} 人，但其中 {at_cap} 人在分配排在它之前的检查对象后已达到每人 {cap} 户的上限（{which}），{on_team} 人已在它的检查组中（请提高上限或增加人员）"
            )
        }
        DrawError::NotInSheet { what, id } => {
            let w = if *what == "entity" {
                "检查对象"
            } else {
                "检查人员"
            };
            format!("{w} {id} 不在结果表中")
        }
        DrawError::StratumExhausted { stratum } => {
            format!("层 {} 已没有可补抽的对象", stratum_name(lang, stratum))
        }
        other => other.to_string(),
    }
}

/// A ceremony error.
pub fn ceremony_error(lang: Lang, e: &CeremonyError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        CeremonyError::DuplicateParty { name } => format!("参与方 {name:?} 出现了两次"),
        CeremonyError::NoOrganizer => "公告中没有组织者".into(),
        CeremonyError::ScheduledBeforeAnnounced => "抽取时间早于公告时间".into(),
        CeremonyError::Beacon(b) => format!("信标：{}", beacon_error(lang, b)),
        CeremonyError::RevealCount { expected, found } => {
            format!("公告有 {expected} 个参与方，但揭示了 {found} 个秘密数")
        }
        CeremonyError::RevealOrder { expected, found } => {
            format!("揭示顺序不对：此处应为 {expected:?}，却是 {found:?}")
        }
        CeremonyError::CommitmentMismatch { party } => {
            format!("{party:?} 揭示的秘密数与其承诺值不符：请核对是否用错了文件或抄错了数字")
        }
        CeremonyError::BeaconMissing => {
            "公告指定了信标，但没有输入信标值（--beacon-value 或 --drand-round-file）".into()
        }
        CeremonyError::BeaconNotAnnounced => "输入了信标值，但公告没有指定信标".into(),
        CeremonyError::InputChanged {
            input,
            announced,
            found,
        } => format!("{input} 在公告后被改动：公告摘要 {announced}，现在为 {found}"),
        CeremonyError::Draw(d) => draw_error(lang, d),
        CeremonyError::Mismatch {
            document,
            field,
            expected,
            found,
        } => format!("{document} 的 {field} 为 {found}，应为 {expected}"),
        CeremonyError::Document { document, source } => {
            format!("{document} 不是有效的文件：{}", jcs_error(lang, source))
        }
        CeremonyError::Jcs(e) => jcs_error(lang, e),
        CeremonyError::Name(n) => name_error(lang, n),
        CeremonyError::Organizers { found } => {
            format!("公告列出了 {found} 个组织者，必须恰好一个")
        }
        CeremonyError::NoIndependentRandomness => {
            "既没有监督人也没有信标：种子将完全由机关一方决定".into()
        }
        CeremonyError::BeaconAfterDraw {
            beacon_time,
            draw_time,
        } => format!(
            "信标在 {} 公布，晚于抽取时间 {}",
            unix_time(*beacon_time),
            unix_time(*draw_time)
        ),
        CeremonyError::Reused { what, party, other } => {
            let w = match what {
                Reuse::Secret => "秘密数",
                _ => "承诺值",
            };
            format!("{party:?} 的{w}已在抽取 {other} 中用过")
        }
        CeremonyError::RecusalCap { entity, count } => {
            format!("检查对象 {entity} 已回避 {count} 次，达到计划规定的上限")
        }
        CeremonyError::NoReplacement { pool, entity } => {
            format!("人员池 {pool} 中没有可替换检查对象 {entity} 检查人员的人")
        }
        CeremonyError::WrongFormat { expected, found } => {
            format!("应为 {expected} 文件，实际是 {found:?}")
        }
        CeremonyError::UnsupportedVersion { found } => {
            format!("算法版本 {found:?} 不受支持（本程序实现 v2）")
        }
        other => other.to_string(),
    }
}

/// What the log says about a draw.
pub fn draw_state(lang: Lang, s: DrawState) -> String {
    if lang == Lang::En {
        return s.to_string();
    }
    match s {
        DrawState::NotAnnounced => "日志中没有这次抽取的公告".into(),
        DrawState::Pending => "日志中已有公告，尚未抽取".into(),
        DrawState::Drawn => "日志中已有这次抽取的结果".into(),
        DrawState::Void => "日志中这次抽取已作废".into(),
    }
}

/// A bundle error, for people.
pub fn bundle_error(lang: Lang, e: &BundleError) -> String {
    if lang == Lang::En {
        return match e {
            BundleError::Inputs(p) => p
                .problems
                .iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
            BundleError::BadName(n) => name_error(lang, n),
            other => other.to_string(),
        };
    }
    match e {
        BundleError::Inputs(p) => p
            .problems
            .iter()
            .map(|x| input_problem(lang, x))
            .collect::<Vec<_>>()
            .join("\n"),
        BundleError::File(f) => file_error(lang, f),
        BundleError::Missing { path, what } => {
            format!("{}：找不到（{}）", path.display(), needed_name(*what))
        }
        BundleError::Exists { path } => format!(
            "{} 已存在：公告、结果表、补抽记录和密钥从不覆盖，本次未作任何改动",
            path.display()
        ),
        BundleError::NotUtf8 { path } => format!("{}：不是 UTF-8 文本", path.display()),
        BundleError::Document { path, source } => {
            format!("{}：{}", path.display(), ceremony_error(lang, source))
        }
        BundleError::Sign { path, source } => {
            format!("{}：{}", path.display(), sign_error(lang, source))
        }
        BundleError::Secret { path, source } => {
            format!(
                "{}：不是秘密数文件（应为 64 位十六进制数字）：{source}",
                path.display()
            )
        }
        BundleError::Log { path, source } => match source {
            AppendError::Damaged(f) => format!(
                "{}：日志已损坏，未追加任何内容：{}",
                path.display(),
                log_finding(lang, f)
            ),
            AppendError::Refused(f) => {
                format!("{}：拒绝追加：{}", path.display(), log_finding(lang, f))
            }
            AppendError::File(f) => file_error(lang, f),
            other => format!("{}：{other}", path.display()),
        },
        BundleError::BadName(n) => name_error(lang, n),
        BundleError::PrivateInsidePublished { private, draw } => format!(
            "私密文件夹 {} 位于要公开的抽取文件夹 {} 之内；请另选位置",
            private.display(),
            draw.display()
        ),
        BundleError::MissingReveal { party, .. } => {
            format!("缺少参与方 {party:?} 的秘密数：请让其用 --reveal-file 或 --reveal-stdin 揭示")
        }
        BundleError::UnknownParty { party } => {
            format!("给出了 {party:?} 的秘密数，但公告中没有这个参与方")
        }
        BundleError::NotYetDue { scheduled_at, now } => {
            format!("抽取时间定于 {scheduled_at}，现在是 {now}，还不能抽取")
        }
        BundleError::LogState {
            log,
            draw_id,
            state,
        } => format!(
            "{}：抽取 {draw_id}：{}",
            log.display(),
            draw_state(lang, *state)
        ),
        other => other.to_string(),
    }
}

/// What a missing file is, in Chinese (keyed by [`Needed`], never by its English text).
fn needed_name(what: Needed) -> &'static str {
    match what {
        Needed::Announcement => "抽查公告",
        Needed::Sheet => "结果表",
        Needed::SheetBeforeAmendment => "结果表（补抽只能在抽取之后）",
        Needed::Amendment => "补抽记录",
        Needed::Void => "作废记录",
        Needed::PublicKey => "组织者公钥",
        Needed::SecretKey => "组织者私钥（由 keygen 生成）",
        Needed::Secret => "秘密数",
        Needed::Signature => "签名",
        _ => "所需文件",
    }
}

/// Basis points as a percentage with up to two decimals: 250 → "2.5%".
pub fn percent_bp(bp: u64) -> String {
    let whole = bp / 100;
    let frac = bp % 100;
    if frac == 0 {
        format!("{whole}%")
    } else if frac.is_multiple_of(10) {
        format!("{whole}.{}%", frac / 10)
    } else {
        format!("{whole}.{frac:02}%")
    }
}

/// Where in a view a difference is: file, section, row, column.
fn view_place(lang: Lang, file: &str, d: &ViewDifference) -> String {
    let mut out = file.to_string();
    if let Some(s) = &d.section {
        out.push_str(&match lang {
            Lang::Zh => format!("「{s}」"),
            Lang::En => format!(", section \"{s}\""),
        });
    }
    if let Some(r) = d.row {
        out.push_str(&match lang {
            Lang::Zh if out.ends_with('」') => format!("第 {r} 行"),
            Lang::Zh => format!(" 第 {r} 行"),
            Lang::En => format!(", row {r}"),
        });
    }
    if let Some(c) = &d.column {
        out.push_str(&match lang {
            Lang::Zh => format!("「{c}」列"),
            Lang::En => format!(", column \"{c}\""),
        });
    }
    if let Some(l) = d.line {
        out.push_str(&match lang {
            Lang::Zh => format!("（源码第 {l} 行）"),
            Lang::En => format!(" (line {l})"),
        });
    }
    out
}

/// A difference between a view and its rebuild from the signed documents.
pub fn view_difference(lang: Lang, file: &str, d: &ViewDifference) -> String {
    let place = view_place(lang, file, d);
    let (e, f) = (&d.expected, &d.found);
    match (lang, d.kind) {
        (Lang::Zh, DifferenceKind::Text) => {
            format!("{place}：由记录重建为 {e:?}，文件中为 {f:?}")
        }
        (Lang::Zh, DifferenceKind::NotTextCell) => {
            format!("{place}：{f:?} 不是文本单元格（电子表格会改变它的显示和保存值）")
        }
        (Lang::Zh, DifferenceKind::MissingRow) => format!("{place}：缺少这一行 {e:?}"),
        (Lang::Zh, DifferenceKind::ExtraRow) => format!("{place}：多出记录中没有的一行 {f:?}"),
        (Lang::En, DifferenceKind::Text) => {
            format!("{place}: rebuilt from the records: {e:?}, the file has {f:?}")
        }
        (Lang::En, DifferenceKind::NotTextCell) => format!(
            "{place}: {f:?} is not a text cell (a spreadsheet changes how it shows and saves it)"
        ),
        (Lang::En, DifferenceKind::MissingRow) => format!("{place}: this row is missing: {e:?}"),
        (Lang::En, DifferenceKind::ExtraRow) => {
            format!("{place}: a row the records do not have: {f:?}")
        }
    }
}

/// Why a view was not checked.
pub fn view_not_checked(lang: Lang, why: &NotChecked) -> String {
    match (lang, why) {
        (Lang::Zh, NotChecked::Documents { detail }) => format!("签名文件无法读取（{detail}）"),
        (Lang::Zh, NotChecked::Unreadable { detail }) => format!("文件无法读取（{detail}）"),
        (Lang::Zh, NotChecked::Language { found }) => {
            format!("由本版本不生成的语言写成（{found:?}）")
        }
        (Lang::Zh, NotChecked::Version { found }) => format!("由其他版本生成（{found:?}）"),
        (Lang::Zh, NotChecked::Offset { found }) => {
            format!("记录的时区本版本无法读取（{found:?}）")
        }
        (Lang::Zh, NotChecked::Columns { found }) => {
            format!("列与本版本不同（{}）", found.join("、"))
        }
        (Lang::Zh, NotChecked::NoWorkbookSupport) => "本程序构建时未包含 xlsx 支持".into(),
        (Lang::En, other) => other.to_string(),
        (Lang::Zh, other) => other.to_string(),
    }
}

/// k/n as a percentage rounded to two decimals ("—" when n is 0).
pub fn chance(k: u64, n: u64) -> String {
    double_random::publish::chance(k, n)
}

/// Why a new password cannot protect the secret key.
pub fn password_problem(lang: Lang, p: &double_random::sign::PasswordProblem) -> String {
    use double_random::sign::PasswordProblem;
    match (lang, p) {
        (Lang::Zh, PasswordProblem::Empty) => {
            "口令为空，未作任何改动：空口令保护不了私钥。无人值守的计算机请用 --unencrypted".into()
        }
        (Lang::En, PasswordProblem::Empty) => {
            "the password is empty; nothing was changed: an empty password protects nothing. For an unattended system use --unencrypted".into()
        }
        (Lang::Zh, PasswordProblem::TooLong { length, max }) => {
            format!("口令有 {length} 字节，最多 {max} 字节（minisign 读不了更长的口令），未作任何改动")
        }
        (Lang::En, PasswordProblem::TooLong { length, max }) => format!(
            "the password has {length} bytes, at most {max} are allowed (minisign reads no more); nothing was changed"
        ),
        (Lang::Zh, _) => "口令中不能有换行或 NUL 字符，未作任何改动".into(),
        (Lang::En, _) => {
            "the password must not contain a line break or a NUL character; nothing was changed"
                .into()
        }
    }
}

/// An encrypted secret key whose scrypt limits are refused.
pub fn kdf_limits_refused(
    lang: Lang,
    path: &std::path::Path,
    opslimit: u64,
    memlimit: u64,
) -> String {
    match lang {
        Lang::Zh => format!(
            "{}：私钥的 scrypt 参数（opslimit {opslimit}，memlimit {memlimit}）需要超过 1 GiB 内存或过多运算，拒绝使用",
            path.display()
        ),
        Lang::En => format!(
            "{}: the secret key's scrypt limits (opslimit {opslimit}, memlimit {memlimit}) need more than 1 GiB of memory or too much work; refused",
            path.display()
        ),
    }
}

/// A finding about outcome records (keyed by its variant, [`OutcomeFinding::code`]).
pub fn outcome_finding(lang: Lang, f: &OutcomeFinding) -> String {
    if lang == Lang::En {
        return f.to_string();
    }
    let doc = |d: &str| {
        if d.is_empty() {
            String::new()
        } else {
            format!("{d}：")
        }
    };
    match f {
        OutcomeFinding::Unreadable { document, error } => {
            format!("{document}：无法读取：{}", ceremony_error(lang, error))
        }
        OutcomeFinding::Signature { document, cause } => match cause.as_str() {
            "missing" => format!("{document}：签名文件缺失"),
            c if c.starts_with("comment.") => {
                format!(
                    "{document}：签名注释的 {} 与记录不符",
                    &c["comment.".len()..]
                )
            }
            c => format!("{document}：签名核验失败（{c}）：文件被改动或不是此公钥签署"),
        },
        OutcomeFinding::Cites {
            document,
            field,
            expected,
            found,
        } => format!("{document}：{field} 应为 {expected}，实为 {found}"),
        OutcomeFinding::Time {
            document,
            not_before,
            found,
        } => format!("{document}：公示时间 {found} 早于 {not_before}"),
        OutcomeFinding::Stale {
            document,
            amendment,
        } => format!("{document}：补抽记录 {amendment} 在本记录之前作出，却未计入"),
        OutcomeFinding::NotDrawn { document, entity } => {
            format!("{document}：{entity} 不是（补抽后）被抽中的检查对象")
        }
        OutcomeFinding::Duplicate { document, entity } => {
            format!("{document}：{entity} 已有现行结果；如需更改请用更正（correct）")
        }
        OutcomeFinding::Item {
            document,
            entity,
            item,
            problem,
        } => {
            let p = match problem {
                ItemProblem::NotInPlan => "不是计划中的检查事项",
                ItemProblem::Order => "顺序不对或重复",
                _ => "没有检查事项",
            };
            format!("{document}：{entity}：检查事项 {item} {p}")
        }
        OutcomeFinding::Result {
            document,
            entity,
            item,
            code,
            text,
        } => format!(
            "{document}：{entity}：检查事项 {item} 的检查结果 {code}（{text}）不是标准用语，也不是以 x- 开头并附文字的自定代码"
        ),
        OutcomeFinding::NotAllowed {
            document,
            entity,
            item,
            code,
        } => format!("{document}：{entity}：检查事项 {item} 不允许检查结果 {code}"),
        OutcomeFinding::Team {
            document,
            entity,
            missing,
            extra,
        } => format!(
            "{document}：{entity}：检查人员与抽中的检查组不同（未参加：{}；非抽中：{}），记录未说明原因",
            if missing.is_empty() {
                "无".into()
            } else {
                missing.join("、")
            },
            if extra.is_empty() {
                "无".into()
            } else {
                extra.join("、")
            }
        ),
        OutcomeFinding::Dates {
            document,
            entity,
            field,
        } => {
            let what = if *field == "inspected_on" {
                "检查日期早于抽取日期"
            } else {
                "结果形成日期早于检查日期或晚于公示日期"
            };
            format!("{document}：{entity}：{what}")
        }
        OutcomeFinding::Correction {
            document,
            entity,
            cited,
            ..
        } => format!(
            "{document}：{entity}：更正引用的记录 {} 不是现行结果所在的记录（或未写更正原因）",
            &cited.to_hex()[..16]
        ),
        OutcomeFinding::Late {
            document,
            entity,
            formed_on,
            deadline,
            published_on,
        } => format!(
            "{document}：{entity}：结果 {formed_on} 形成，应于 {deadline} 前公示，实际 {published_on} 公示（逾期）"
        ),
        OutcomeFinding::Calendar {
            document,
            entity,
            year,
        } => format!(
            "{}{entity}：缺少 {year} 年的节假日安排，期限无法计算",
            doc(document)
        ),
        OutcomeFinding::Overdue { entity, deadline } => {
            format!("{entity}：应于 {deadline} 前公示检查结果，至今没有")
        }
        other => fallback(lang, other.code(), other),
    }
}

/// A problem in a holiday calendar file.
pub fn calendar_error(lang: Lang, e: &CalendarError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    let what = match &e.problem {
        CalendarProblem::Syntax { message } => format!("格式有误：{message}"),
        CalendarProblem::OtherYear { date, year } => format!("{date} 不在 {year} 年"),
        CalendarProblem::OffAndWork { date } => format!("{date} 既列为放假又列为上班"),
        CalendarProblem::YearTwice { year } => format!("{year} 年的节假日安排已读入过一份"),
        other => other.to_string(),
    };
    format!("{}:{}: {what}", e.file, e.line)
}

/// A problem in a results form.
pub fn form_error(lang: Lang, e: &FormError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    let column = e
        .column
        .and_then(|c| FORM_COLUMNS.iter().find(|x| x.name == c))
        .map(|c| format!("{}：", c.chinese))
        .unwrap_or_default();
    let what = match &e.problem {
        FormProblem::Empty => "结果表是空的".into(),
        FormProblem::MissingColumn { chinese, name } => format!("缺少列 {chinese}（{name}）"),
        FormProblem::ColumnTwice => "该列出现了两次".into(),
        FormProblem::EmptyValue => "不能为空".into(),
        FormProblem::BadDate { value } => format!("{value:?} 不是日期，应写成 2026-09-11"),
        FormProblem::BadResult { value } => {
            format!("{value:?} 不是检查结果用语（标准用语或代码，或以 x- 开头的自定代码）")
        }
        FormProblem::ResultTextMissing { code } => {
            format!("自定代码 {code} 需要在“结果说明”列写明文字")
        }
        FormProblem::BadFollowUp { value } => format!(
            "{value:?} 不是后续处置（列入经营异常名录、立案调查、责令限期改正、移送有关部门、复查）"
        ),
        FormProblem::BadDeviation { value } => format!(
            "{value:?} 不是人员变动原因（inspector_absent、inspector_added、team_replaced、other）"
        ),
        FormProblem::DeviationIncomplete => {
            "人员变动须同时写明“人员变动原因”和“人员变动说明”".into()
        }
        FormProblem::RowTwice {
            entity,
            item,
            first,
        } => format!("{entity} 的检查事项 {item} 已在第 {first} 行"),
        FormProblem::Disagrees { first } => {
            format!("与同一对象第 {first} 行的日期、检查人员、后续处置或人员变动不一致")
        }
        other => other.to_string(),
    };
    format!("{}:{}: {column}{what}", e.file, e.line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages() {
        assert_eq!(percent_bp(300), "3%");
        assert_eq!(percent_bp(250), "2.5%");
        assert_eq!(percent_bp(1), "0.01%");
        assert_eq!(chance(1, 3), "33.33%");
        assert_eq!(chance(2, 3), "66.67%");
        assert_eq!(chance(3, 3), "100.00%");
        assert_eq!(chance(0, 0), "—");
    }

    #[test]
    fn refused_names_say_which_character() {
        let e = |kind, v: &str| match double_random::bundle::check_name(kind, v) {
            Err(BundleError::BadName(n)) => n,
            other => panic!("{other:?}"),
        };
        let zwsp = e("draw id", "GY-2026-01\u{200b}");
        assert_eq!(
            bundle_error(Lang::En, &BundleError::BadName(zwsp.clone())),
            "draw id \"GY-2026-01\\u{200b}\" cannot be used: character 11, U+200B ZERO WIDTH \
             SPACE: it is an invisible format character"
        );
        assert_eq!(
            bundle_error(Lang::Zh, &BundleError::BadName(zwsp)),
            "抽取编号 \"GY-2026-01\\u{200b}\" 不能使用：第 11 个字符 U+200B ZERO WIDTH SPACE：\
             不可见的格式字符"
        );
        let rlo = e("party name", "王\u{202e}芳");
        assert!(name_error(Lang::Zh, &rlo).contains("U+202E RIGHT-TO-LEFT OVERRIDE"));
        assert!(name_error(Lang::En, &rlo).contains("direction"));
        let hyphen = e("draw id", "GY\u{2010}1");
        assert!(name_error(Lang::Zh, &hyphen).contains("第 3 个字符 U+2010 HYPHEN"));
        assert!(name_error(Lang::En, &e("draw id", "nul.txt")).contains("NUL is a device name"));
        assert!(name_error(Lang::Zh, &e("draw id", "\u{e000}")).contains("U+E000"));
    }

    /// Every code the library can give a verification result, log finding or error.
    fn library_codes() -> Vec<&'static str> {
        use double_random::ceremony::{beacon, log, verify};
        let mut all: Vec<&'static str> = vec![];
        all.extend(verify::CHECK_CODES);
        all.extend(verify::FINDING_CODES);
        all.extend(verify::MORE_FINDING_CODES);
        all.extend(log::LOG_FINDING_CODES);
        all.extend(["log.truncated", "log.forks"]);
        all.extend(SignError::CODES);
        all.extend(beacon::BEACON_ERROR_CODES);
        all.extend(double_random::ceremony::CEREMONY_ERROR_CODES);
        all.extend(Needed::CODES);
        all.extend(double_random::ceremony::outcomes::OUTCOME_FINDING_CODES);
        all
    }

    #[test]
    fn every_code_is_unique_and_has_both_texts() {
        let codes = library_codes();
        let mut seen = std::collections::BTreeSet::new();
        for c in &codes {
            assert!(seen.insert(*c), "code {c} is used twice");
            let zh = meaning(Lang::Zh, c).unwrap_or_else(|| panic!("no Chinese text for {c}"));
            let en = meaning(Lang::En, c).unwrap_or_else(|| panic!("no English text for {c}"));
            assert!(
                zh.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)),
                "{c}: {zh}"
            );
            assert!(
                en.is_ascii() || en.contains('Σ') || en.contains('−'),
                "{c}: {en}"
            );
        }
        let mut table = std::collections::BTreeSet::new();
        for (c, _, _) in MEANINGS {
            assert!(table.insert(*c), "{c} is twice in MEANINGS");
            assert!(codes.contains(c), "{c} is in MEANINGS but no result has it");
        }
    }

    /// docs/MESSAGES.md lists every code with both texts; `DOUBLE_RANDOM_REGENERATE=1` rewrites
    /// its table.
    #[test]
    fn the_messages_document_lists_every_code() {
        // The repository's docs: beside this crate's manifest, or above it when these files are
        // compiled into another crate of the repository (web/verify).
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .map(|d| d.join("docs/MESSAGES.md"))
            .find(|p| p.exists())
            .unwrap_or_else(|| panic!("no docs/MESSAGES.md above {}", env!("CARGO_MANIFEST_DIR")));
        let mut table = String::from("| code | 中文 | English |\n|---|---|---|\n");
        for (c, zh, en) in MEANINGS {
            table.push_str(&format!("| `{c}` | {zh} | {en} |\n"));
        }
        let doc = std::fs::read_to_string(&path).unwrap_or_default();
        const BEGIN: &str = "<!-- codes: begin -->\n";
        const END: &str = "<!-- codes: end -->";
        let (Some(b), Some(e)) = (doc.find(BEGIN), doc.find(END)) else {
            panic!("docs/MESSAGES.md has no {BEGIN:?} … {END:?} section");
        };
        let current = &doc[b + BEGIN.len()..e];
        if std::env::var_os("DOUBLE_RANDOM_REGENERATE").is_some() {
            let new = format!("{}{table}{}", &doc[..b + BEGIN.len()], &doc[e..]);
            std::fs::write(&path, new).unwrap();
            return;
        }
        assert_eq!(
            current, table,
            "docs/MESSAGES.md is out of date: run DOUBLE_RANDOM_REGENERATE=1 cargo test --example double-random messages"
        );
    }

    #[test]
    fn findings_named_in_chinese_have_no_english() {
        use double_random::ceremony::beacon::BeaconError;
        use double_random::sign::KeyId;
        use std::sync::Arc;
        let parts = Part::ALL;
        let mut samples: Vec<Finding> = parts
            .iter()
            .map(|p| Finding::Differs {
                document: "amendment-1.json".into(),
                part: *p,
            })
            .collect();
        samples.push(Finding::Signature {
            document: "sheet.json".into(),
            error: SignError::BadSignature {
                key_id: KeyId([0x44; 8]),
            },
        });
        samples.push(Finding::Signature {
            document: "sheet.json".into(),
            error: SignError::KeyIdMismatch {
                signature: KeyId([0x44; 8]),
                public_key: KeyId([0x10; 8]),
            },
        });
        samples.push(Finding::SeedInputs {
            error: Arc::new(CeremonyError::Beacon(BeaconError::InvalidSignature {
                round: 7,
                problem: DrandSignatureProblem::PairingFailed,
            })),
        });
        samples.push(Finding::SeedInputs {
            error: Arc::new(CeremonyError::Beacon(BeaconError::RandomnessMismatch {
                round: 7,
            })),
        });
        samples.push(Finding::SignatureMissing {
            document: "void.json.minisig".into(),
        });
        for f in &samples {
            let zh = finding(Lang::Zh, f);
            let en = finding(Lang::En, f);
            assert_ne!(zh, en);
            // No English word (file names, codes and acronyms aside).
            let words: Vec<&str> = zh
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| {
                    w.len() >= 3
                        && w.chars().any(|c| c.is_ascii_lowercase())
                        && !["amendment", "sheet", "void", "json", "minisig", "drand"].contains(w)
                })
                .collect();
            assert!(words.is_empty(), "{} in Chinese: {zh}", f.code());
        }
        assert_eq!(
            finding(Lang::Zh, &samples[3]),
            "amendment-1.json：检查人员或引用与重放结果不同"
        );
    }

    #[test]
    fn outcome_findings_have_chinese_words_of_their_own() {
        use double_random::ceremony::outcomes::{ItemProblem, OutcomeFinding as F};
        let d = || "outcomes-1.json".to_string();
        let e = || "E1".to_string();
        let date: double_random::model::Date = "2026-04-13".parse().unwrap();
        let samples = [
            F::Signature {
                document: d(),
                cause: "missing".into(),
            },
            F::Stale {
                document: d(),
                amendment: 2,
            },
            F::NotDrawn {
                document: d(),
                entity: e(),
            },
            F::Duplicate {
                document: d(),
                entity: e(),
            },
            F::Item {
                document: d(),
                entity: e(),
                item: "I1".into(),
                problem: ItemProblem::NotInPlan,
            },
            F::Team {
                document: d(),
                entity: e(),
                missing: vec!["A".into()],
                extra: vec![],
            },
            F::Dates {
                document: d(),
                entity: e(),
                field: "formed_on",
            },
            F::Late {
                document: d(),
                entity: e(),
                formed_on: date,
                deadline: date,
                published_on: date,
            },
            F::Calendar {
                document: String::new(),
                entity: e(),
                year: 2027,
            },
            F::Overdue {
                entity: e(),
                deadline: date,
            },
        ];
        for f in &samples {
            let zh = outcome_finding(Lang::Zh, f);
            assert_ne!(zh, outcome_finding(Lang::En, f));
            let words: Vec<&str> = zh
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| w.len() >= 3 && !["outcomes", "json", "correct"].contains(w))
                .collect();
            assert!(words.is_empty(), "{}: {zh}", f.code());
        }
        assert_eq!(
            outcome_finding(Lang::Zh, &samples[9]),
            "E1：应于 2026-04-13 前公示检查结果，至今没有"
        );
        assert_eq!(
            outcome_finding(Lang::En, &samples[8]),
            "E1: no holiday calendar for 2027"
        );
    }

    #[test]
    fn typical_authority_names_are_valid_party_names() {
        for name in [
            "某某县市场监督管理局",
            "贵阳市市场监督管理局",
            "贵阳市观山湖区市场监督管理局",
            "黔南布依族苗族自治州市场监督管理局",
        ] {
            assert!(
                double_random::bundle::check_name("party name", name).is_ok(),
                "{name}"
            );
        }
        // Brackets are not allowed in names (SPEC §3.6): such an authority needs
        // --organizer-name, and the message says which character.
        let Err(BundleError::BadName(e)) =
            double_random::bundle::check_name("party name", "某市市场监督管理局（知识产权局）")
        else {
            panic!("brackets accepted");
        };
        assert!(name_error(Lang::Zh, &e).contains("第 10 个字符 U+FF08"));
    }

    #[test]
    fn lang_from_args() {
        let a = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(detect(&a(&["x", "--lang", "en", "verify"])), Lang::En);
        assert_eq!(detect(&a(&["x", "--lang=zh"])), Lang::Zh);
    }
}
