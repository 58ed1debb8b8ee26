//! The subcommands. Each prints what it did in plain words and returns an exit code.

use crate::args::*;
use crate::i18n::{self, Lang};
use crate::output::{self, Bar};
use crate::verify_json;
use double_random::Digest32;
use double_random::bundle::DrawState;
use double_random::bundle::{
    self, AnnounceRequest, BundleError, Depth, DrawDir, DrawRequest, InputPaths, InputProblem,
    InputProblems, Inputs, PrivateDir,
};
use double_random::ceremony::Timestamp;
use double_random::ceremony::amend::{Action, Amendment, Outcome, Reason, ReasonCode};
use double_random::ceremony::announce::Announcement;
use double_random::ceremony::beacon::{
    BeaconSpec, BeaconValue, DRAND_MAINNET, DRAND_QUICKNET, DrandChain, HexBytes,
};
use double_random::ceremony::commit::{Role, Secret, commitment};
use double_random::ceremony::groups::{GroupSpec, read_typed};
use double_random::ceremony::log;
use double_random::ceremony::sheet::Sheet;
use double_random::ceremony::timestamp;
use double_random::ceremony::verify::{TimeProof, TrustSummary};
use double_random::ceremony::void::{VoidCode, VoidReason};
use double_random::formats::files;
use double_random::model::Item;
use double_random::normalize;
use double_random::publish::check::ViewStatus;
use double_random::publish::local_time::{self, TimeInputError, Zone};
use double_random::publish::{self, Publication};
use double_random::sign::{KdfLimits, KeyId, SecretKey, SignError};
use serde_json::json;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use zeroize::Zeroizing;

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
    let result = set_zone(cli.utc_offset.as_deref(), lang).and_then(|()| match cli.command {
        Command::Demo(a) => demo(a, lang),
        Command::Keygen(a) => keygen(a, lang),
        Command::Witness(a) => witness(a, lang),
        Command::Check(a) => check(a, lang),
        Command::Announce(a) => announce(*a, lang),
        Command::Draw(a) => draw(a, lang),
        Command::Verify(a) => verify(a, lang),
        Command::Amend(a) => amend(a, lang),
        Command::Void(a) => void(a, lang),
        Command::Timestamp(a) => timestamp(a, lang),
        Command::Log(a) => show_log(a, lang),
        Command::Record(a) => crate::results::record(a, false, lang),
        Command::Correct(a) => crate::results::record(a, true, lang),
        Command::Status(a) => crate::results::status(a, lang),
    });
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

/// The zone times are shown in and plain local times read in, and whether it was set
/// (`--utc-offset` or `DOUBLE_RANDOM_UTC_OFFSET`) rather than the default 北京时间.
static ZONE: std::sync::OnceLock<(Zone, bool)> = std::sync::OnceLock::new();

/// Reads the display zone from `--utc-offset`, else the environment variable
/// `DOUBLE_RANDOM_UTC_OFFSET`, else 北京时间 (UTC+08:00).
fn set_zone(flag: Option<&str>, lang: Lang) -> Result<(), Fail> {
    let env = std::env::var("DOUBLE_RANDOM_UTC_OFFSET")
        .ok()
        .filter(|v| !v.trim().is_empty());
    let (source, raw) = match (flag, env.as_deref()) {
        (Some(f), _) => ("--utc-offset", f),
        (None, Some(e)) => ("DOUBLE_RANDOM_UTC_OFFSET", e),
        (None, None) => {
            let _ = ZONE.set((Zone::BEIJING, false));
            return Ok(());
        }
    };
    let zone: Zone = raw.parse().map_err(|_| {
        Fail::Usage(tr!(
            lang,
            "{source} {raw:?}：应为与 UTC 的时差，如 +08:00（北京时间）、-05:00 或 Z",
            "{source} {raw:?}: give an offset from UTC such as +08:00 (Beijing time), -05:00 or Z"
        ))
    })?;
    let _ = ZONE.set((zone, true));
    Ok(())
}

/// The display zone (see [`set_zone`]).
fn zone() -> Zone {
    ZONE.get().map_or(Zone::BEIJING, |z| z.0)
}

/// A time for people, in the display zone with its offset:
/// `2026-03-01 09:00:00（北京时间 UTC+08:00）`.
pub(crate) fn show_time(lang: Lang, t: Timestamp) -> String {
    zone().show(t, i18n::publish_lang(lang))
}

/// A time typed on the command line (`flag`): RFC 3339 with `Z` or an offset, or a plain local
/// time read in the display zone.
fn parse_time_arg(flag: &str, raw: &str, lang: Lang) -> Result<Timestamp, Fail> {
    let z = zone();
    local_time::parse_time(raw, z).map_err(|e| {
        let label = z.label(i18n::publish_lang(lang));
        Fail::Usage(match e {
            TimeInputError::Fraction { .. } => tr!(
                lang,
                "{flag} {raw:?}：时间精确到秒，请去掉秒以下的部分",
                "{flag} {raw:?}: times are to the second; leave out the fraction"
            ),
            TimeInputError::OutOfRange { .. } => tr!(
                lang,
                "{flag} {raw:?}：时间应在 1970 年到 9999 年之间",
                "{flag} {raw:?}: the time must lie between 1970 and 9999"
            ),
            _ => tr!(
                lang,
                "{flag} {raw:?}：不是可识别的时间。可写作 2026-12-06T21:30:00+08:00（带时区）、2026-12-06T13:30:00Z（UTC）或 2026-12-06 21:30（按{label}）",
                "{flag} {raw:?}: not a time. Write 2026-12-06T21:30:00+08:00 (with an offset), 2026-12-06T13:30:00Z (UTC) or 2026-12-06 21:30 (read as {label})"
            ),
        })
    })
}

/// A word for the shell, quoted so that it pastes as one argument whatever it holds (spaces,
/// Chinese characters, quotes): POSIX single quotes, or double quotes on Windows.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_@%+=:,./-".contains(&b));
    if plain {
        return s.to_string();
    }
    if cfg!(windows) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The notice's language and zone when (re)writing the views of `draw_dir`: the ones asked for
/// (`--notice-lang`, `--utc-offset`), else the ones of the notice already there, else Chinese
/// and the display zone. A notice is a public document of the office: it is in Chinese
/// whatever the language of the messages, unless asked otherwise.
fn notice_settings(draw_dir: &DrawDir, asked: Option<LangArg>) -> (publish::Lang, Zone) {
    let existing = files::read_limited(
        draw_dir.root().join(publish::NOTICE_FILE),
        bundle::MAX_SMALL_FILE_BYTES,
    )
    .ok()
    .and_then(|b| String::from_utf8(b).ok())
    .and_then(|page| publish::notice::settings_of(&page));
    let lang = match asked {
        Some(LangArg::En) => publish::Lang::En,
        Some(LangArg::Zh) => publish::Lang::Zh,
        None => existing.map_or(publish::Lang::Zh, |(l, _)| l),
    };
    let zone = match (ZONE.get().copied(), existing) {
        (Some((z, true)), _) | (_, Some((_, z))) => z,
        _ => zone(),
    };
    (lang, zone)
}

/// `e` with a hint when a file is missing and the office folder has no office log (the step
/// was run from another folder): which folder was searched, and `--office` to name another.
pub(crate) fn office_hint(e: Fail, office: &Path, lang: Lang) -> Fail {
    let Fail::Bundle(b @ BundleError::Missing { .. }) = &e else {
        return e;
    };
    if office.join(bundle::LOG_FILE).is_file() {
        return e;
    }
    let searched = std::env::current_dir()
        .map(|d| d.join(office))
        .unwrap_or_else(|_| office.to_path_buf());
    let searched = show(&searched);
    let searched = searched.strip_suffix("/.").unwrap_or(&searched).to_string();
    Fail::Io(tr!(
        lang,
        "{}\n提示：机关文件夹按 {searched} 查找，其中没有 office.log。请在机关文件夹中运行，或用 --office <机关文件夹> 指明（抽取文件夹的路径也要相应写全）。",
        "{}\nhint: the office folder was taken to be {searched}, which has no office.log. Run this in the office folder, or name it with --office <folder> (and give the draw folder's path accordingly).",
        i18n::bundle_error(lang, b)
    ))
}

/// The current time.
///
/// In debug builds only, the environment variable `DOUBLE_RANDOM_TEST_NOW` (an RFC 3339 UTC
/// time) fixes it, so that tests have reproducible output. Release builds ignore the variable
/// and always read the system clock: a real draw's times cannot be set from outside.
pub(crate) fn now(lang: Lang) -> Result<Timestamp, Fail> {
    #[cfg(debug_assertions)]
    if let Ok(t) = std::env::var("DOUBLE_RANDOM_TEST_NOW") {
        return t.parse().map_err(|_| {
            Fail::Usage(tr!(
                lang,
                "DOUBLE_RANDOM_TEST_NOW 应为 UTC 时间，如 2026-03-01T01:00:00Z，收到 {t:?}",
                "DOUBLE_RANDOM_TEST_NOW must be a UTC time such as 2026-03-01T01:00:00Z, got {t:?}"
            ))
        });
    }
    let _ = lang;
    Ok(Timestamp::now())
}

/// Whether fixed, public secrets replace fresh ones: only in debug builds, and only when the
/// environment variable `DOUBLE_RANDOM_TEST_FIXED_SECRETS` is `1` (tests). Release builds
/// ignore the variable: their secrets and keys always come from the operating system.
fn fixed_secrets() -> bool {
    #[cfg(debug_assertions)]
    {
        std::env::var_os("DOUBLE_RANDOM_TEST_FIXED_SECRETS").is_some_and(|v| v == "1")
    }
    #[cfg(not(debug_assertions))]
    {
        false
    }
}

/// A party's fresh secret for a draw (a fixed one derived from the names under
/// [`fixed_secrets`]).
fn fresh_secret(draw_id: &str, party: &str) -> Result<Secret, Fail> {
    if fixed_secrets() {
        let seed = format!("double-random test secret\n{draw_id}\n{party}");
        return Ok(Secret::from_bytes(Digest32::of(seed.as_bytes()).0));
    }
    Secret::generate().map_err(|e| Fail::Io(e.to_string()))
}

/// A fresh signing key (the fixed test key under [`fixed_secrets`]).
fn fresh_key() -> Result<SecretKey, Fail> {
    if fixed_secrets() {
        return Ok(SecretKey::from_seed(KeyId([0x44; 8]), &[0x11; 32]));
    }
    SecretKey::generate().map_err(|e| Fail::Io(e.to_string()))
}

pub(crate) fn show(p: &Path) -> String {
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

/// The inputs at `paths` checked, streamed when they are plain CSV files.
fn summarize(paths: &InputPaths) -> Result<bundle::InputSummary, Fail> {
    let mut bar = Bar::new();
    Ok(bundle::summarize_input_files(paths, &mut bar)?)
}

fn load(paths: &InputPaths) -> Result<Inputs, Fail> {
    let mut bar = Bar::new();
    Ok(bundle::load_input_files(paths, &mut bar)?)
}

fn print_problems(lang: Lang, p: &InputProblems) {
    print_problems_grouped(lang, p, true);
}

/// The problems and notes of the inputs on standard error; unless `verbose`, a problem repeated
/// in one file and field is said once, with its count and where else it is.
fn print_problems_grouped(lang: Lang, p: &InputProblems, verbose: bool) {
    let problems: Vec<_> = p
        .problems
        .iter()
        .map(|x| {
            (
                problem_group(x),
                i18n::input_problem(lang, x),
                problem_line(x),
            )
        })
        .collect();
    for line in grouped(lang, problems, verbose) {
        errln!("{line}");
    }
    let notes: Vec<_> = p.notes.iter().map(|n| note_said(lang, n)).collect();
    for line in grouped(lang, notes, verbose) {
        errln!("{}", noted(lang, &line));
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
    let password = if a.unencrypted {
        None
    } else {
        Some(new_password(&a.password, lang)?)
    };
    let key = fresh_key()?;
    write_key_pair(
        &private,
        &pub_path,
        &key,
        password.as_deref().map(Vec::as_slice),
        lang,
    )?;
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
    outln!(
        "{}",
        if password.is_some() {
            tr!(
                lang,
                "  私钥已用口令加密（minisign 格式，scrypt）：每次签名（公告、抽取、补抽、作废）都要输入口令，或用 --password-file 给出。口令丢失则私钥无法使用。",
                "  The secret key is encrypted with the password (minisign's format, scrypt): every step that signs (announce, draw, amend, void) asks for it, or takes --password-file. Without the password the key cannot be used."
            )
        } else {
            tr!(
                lang,
                "  私钥未加密（--unencrypted）：只靠文件权限保护，能读到该文件的人都能以机关名义签名。",
                "  The secret key is not encrypted (--unencrypted): only its file permissions protect it; anyone who can read the file can sign as the office."
            )
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes the secret key (encrypted when a password is given) and the public key.
fn write_key_pair(
    private: &PrivateDir,
    pub_path: &Path,
    key: &SecretKey,
    password: Option<&[u8]>,
    lang: Lang,
) -> Result<(), Fail> {
    match password {
        None => {
            private.write_key(key)?;
        }
        Some(pw) => {
            if std::io::stdin().is_terminal() {
                errln!(
                    "{}",
                    tr!(
                        lang,
                        "正在用口令加密私钥（scrypt，需几秒钟）……",
                        "Encrypting the secret key with the password (scrypt, a few seconds)…"
                    )
                );
            }
            private
                .write_key_encrypted(key, pw, kdf_limits())
                .map_err(|e| match e {
                    BundleError::Sign {
                        source: SignError::InvalidPassword { problem },
                        ..
                    } => Fail::Usage(i18n::password_problem(lang, &problem)),
                    other => Fail::Bundle(other),
                })?;
        }
    }
    if let Some(parent) = pub_path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Fail::Io(format!("{}: {e}", show(parent))))?;
    }
    files::write_new(pub_path, key.public_key().to_minisign().as_bytes())
        .map_err(BundleError::from)?;
    Ok(())
}

/// A password, wiped from memory when dropped.
type Password = Zeroizing<Vec<u8>>;

/// The scrypt limits of new encrypted keys: minisign's (1 GiB, a few seconds), or small ones
/// under [`fixed_secrets`], whose key is public anyway.
fn kdf_limits() -> KdfLimits {
    if fixed_secrets() {
        KdfLimits {
            opslimit: 32768,
            memlimit: 1 << 20,
        }
    } else {
        KdfLimits::MINISIGN
    }
}

/// The password of a new key: from `--password-file`, or typed twice on the terminal.
fn new_password(source: &PasswordArgs, lang: Lang) -> Result<Password, Fail> {
    let password = match &source.password_file {
        Some(file) => read_password_file(file, lang)?,
        None => {
            if !std::io::stdin().is_terminal() {
                return Err(Fail::Usage(tr!(
                    lang,
                    "私钥默认用口令加密，但标准输入不是终端，无法询问口令，未作任何改动：请用 --password-file 文件 给出口令（或设环境变量 {}）；无人值守的计算机可用 --unencrypted",
                    "the secret key is encrypted with a password by default, but standard input is not a terminal to ask for one; nothing was changed: give it with --password-file FILE (or the variable {}), or use --unencrypted on an unattended system",
                    PASSWORD_FILE_ENV
                )));
            }
            let first = prompt_password(
                &tr!(
                    lang,
                    "请设定保护私钥的口令（输入时不显示）：",
                    "Password to protect the secret key (not shown): "
                ),
                lang,
            )?;
            if first.is_empty() {
                return Err(Fail::Usage(i18n::password_problem(
                    lang,
                    &double_random::sign::PasswordProblem::Empty,
                )));
            }
            let second = prompt_password(
                &tr!(lang, "请再输入一次口令：", "The same password again: "),
                lang,
            )?;
            if first != second {
                return Err(Fail::Usage(tr!(
                    lang,
                    "两次输入的口令不一致，未作任何改动",
                    "the two passwords differ; nothing was changed"
                )));
            }
            first
        }
    };
    if password.is_empty() {
        return Err(Fail::Usage(i18n::password_problem(
            lang,
            &double_random::sign::PasswordProblem::Empty,
        )));
    }
    Ok(password)
}

/// The password in a file (see [`password_line`]).
fn read_password_file(path: &Path, lang: Lang) -> Result<Password, Fail> {
    let bytes = Zeroizing::new(files::read_limited(path, 4096).map_err(|e| {
        Fail::Io(tr!(
            lang,
            "口令文件 {}：{}",
            "password file {}: {}",
            show(path),
            i18n::file_error(lang, &e)
        ))
    })?);
    Ok(password_line(&bytes))
}

/// The password a file's bytes hold: the first line, without its line end, as minisign reads a
/// typed password; a leading UTF-8 byte order mark (which some editors write) is not part of it.
fn password_line(bytes: &[u8]) -> Password {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let end = bytes
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(bytes.len());
    Zeroizing::new(bytes[..end].to_vec())
}

/// Asks for a password on the terminal without echo.
fn prompt_password(prompt: &str, lang: Lang) -> Result<Password, Fail> {
    let typed = rpassword::prompt_password(prompt).map_err(|e| {
        Fail::Io(tr!(
            lang,
            "无法在终端读取口令：{e}",
            "cannot read the password from the terminal: {e}"
        ))
    })?;
    Ok(Zeroizing::new(typed.into_bytes()))
}

/// The organizer's secret key for a step that signs: an unencrypted key as it is; an encrypted
/// one opened with the password from `--password-file`, or asked for once on the terminal.
pub(crate) fn load_key(
    private: &PrivateDir,
    source: &PasswordArgs,
    lang: Lang,
) -> Result<SecretKey, Fail> {
    match private.read_key() {
        Err(BundleError::Sign {
            source: SignError::EncryptedSecretKey,
            ..
        }) => {}
        other => return Ok(other?),
    }
    let path = private.key_path();
    let password = match &source.password_file {
        Some(file) => read_password_file(file, lang)?,
        None => {
            if !std::io::stdin().is_terminal() {
                return Err(Fail::Usage(tr!(
                    lang,
                    "私钥 {} 已用口令加密，但标准输入不是终端，无法询问口令，未作任何改动：请用 --password-file 文件 给出口令（或设环境变量 {}）",
                    "the secret key {} is encrypted with a password, but standard input is not a terminal to ask for it; nothing was changed: give it with --password-file FILE (or the variable {})",
                    show(&path),
                    PASSWORD_FILE_ENV
                )));
            }
            prompt_password(
                &tr!(
                    lang,
                    "私钥 {} 的口令（输入时不显示）：",
                    "Password of the secret key {} (not shown): ",
                    show(&path)
                ),
                lang,
            )?
        }
    };
    match private.read_key_with_password(&password) {
        Ok(key) => Ok(key),
        Err(BundleError::Sign {
            source: SignError::WrongPassword,
            ..
        }) => Err(Fail::Usage(match &source.password_file {
            Some(file) => tr!(
                lang,
                "口令错误：口令文件 {} 中的口令解不开私钥 {}（若口令无误，则私钥文件已损坏），未作任何改动",
                "wrong password: the password in {} does not open the secret key {} (if it is right, the key file is damaged); nothing was changed",
                show(file),
                show(&path)
            ),
            None => tr!(
                lang,
                "口令错误：解不开私钥 {}（若口令无误，则私钥文件已损坏），未作任何改动",
                "wrong password: it does not open the secret key {} (if it is right, the key file is damaged); nothing was changed",
                show(&path)
            ),
        })),
        Err(BundleError::Sign {
            source: SignError::KdfLimits {
                opslimit, memlimit, ..
            },
            ..
        }) => Err(Fail::Usage(i18n::kdf_limits_refused(
            lang, &path, opslimit, memlimit,
        ))),
        Err(e) => Err(e.into()),
    }
}

fn party_name(raw: &str, lang: Lang) -> Result<String, Fail> {
    let name = normalize::text(raw);
    bundle::check_name("party name", &name)
        .map_err(|e| Fail::Usage(i18n::bundle_error(lang, &e)))?;
    Ok(name)
}

/// The organizer's default party name: the plan's `authority`, the office that inspects.
fn authority_party_name(authority: &str, lang: Lang) -> Result<String, Fail> {
    let name = normalize::text(authority);
    match bundle::check_name("party name", &name) {
        Ok(()) => Ok(name),
        Err(BundleError::BadName(e)) => Err(Fail::Usage(tr!(
            lang,
            "计划中的 authority {name:?} 不能用作组织者在公告中的名称（{}）；请用 --organizer-name 指定一个名称",
            "the plan's authority {name:?} cannot be the organizer's party name ({}); give one with --organizer-name",
            i18n::name_error(lang, &e)
        ))),
        Err(e) => Err(Fail::Usage(i18n::bundle_error(lang, &e))),
    }
}

fn witness(a: WitnessArgs, lang: Lang) -> Result<ExitCode, Fail> {
    let name = party_name(&a.name, lang)?;
    bundle::check_name("draw id", &a.draw_id)
        .map_err(|e| Fail::Usage(i18n::bundle_error(lang, &e)))?;
    let secret = fresh_secret(&a.draw_id, &name)?;
    let private = PrivateDir::new(&a.private);
    let path = private.write_secret(&a.draw_id, &name, &secret)?;
    let c = commitment(&a.draw_id, &name, &secret);
    outln!(
        "{}",
        tr!(
            lang,
            "秘密数已保存到 {}（仅本人可读；抽取前不要告诉任何人）。\n承诺值（交给组织者写入公告）：\n  {c}\n组织者发布公告时加上：\n  --witness {}\n抽取时这样揭示：\n  --reveal-file {}",
            "The secret is saved in {} (readable by you only; tell nobody before the draw).\nCommitment (give it to the organizer for the announcement):\n  {c}\nThe organizer adds to the announcement:\n  --witness {}\nAt the draw, reveal it with:\n  --reveal-file {}",
            show(&path),
            shell_word(&format!("{name}={c}")),
            shell_word(&format!("{name}={}", show(&path)))
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
    let loaded = paths.and_then(|p| summarize(&p));
    match loaded {
        Ok(inputs) => {
            // One trial draw: its strata are shown, and whether teams can be formed is checked.
            let (strata, trial) = (&inputs.strata, &inputs.trial);
            if a.json {
                let d = &inputs.digests;
                let out = json!({
                    "ok": true,
                    "problems": [],
                    "notes": inputs.notes.iter().map(|n| n.to_string()).chain(trial.iter().map(|e| format!("a trial draw failed: {e}"))).collect::<Vec<_>>(),
                    "empty": inputs.empty,
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
            for s in strata {
                outln!(
                    "  {}  n={}  k={}  ({})",
                    i18n::stratum_name(lang, s.stratum.label()),
                    s.n,
                    s.k,
                    i18n::chance(s.k, s.n)
                );
            }
            let notes: Vec<_> = inputs.notes.iter().map(|n| note_said(lang, n)).collect();
            for line in grouped(lang, notes, a.verbose) {
                outln!("{}", noted(lang, &line));
            }
            if let Some(e) = trial {
                outln!(
                    "{}{}",
                    tr!(lang, "注意：", "note: "),
                    i18n::input_note(lang, &bundle::InputNote::TrialDraw(e.clone()))
                );
            }
            if inputs.empty {
                outln!(
                    "{}",
                    tr!(
                        lang,
                        "警告：按计划，没有任何检查对象符合条件（各层 n 均为 0），抽取结果将是一张空名单。请检查计划的筛选条件、分层和名录；确需公告空抽取时，announce 须加 --allow-empty。",
                        "warning: by the plan, no entity is eligible (n is 0 in every stratum), so the draw would give an empty sheet. Check the plan's filters and strata and the rosters; to announce an empty draw all the same, announce needs --allow-empty."
                    )
                );
                return Ok(ExitCode::SUCCESS);
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
            print_problems_grouped(lang, &p, a.verbose);
            Err(Fail::Reported)
        }
        Err(e) => Err(e),
    }
}

/// How many places of a repeated problem are named after the first one in full.
const GROUP_SHOWN: usize = 3;

/// What a problem is grouped by: its file, field and kind (not its values), for the problems
/// that repeat row after row; `None` for the others, which are always said on their own.
fn problem_group(p: &InputProblem) -> Option<String> {
    match p {
        InputProblem::Roster(e) if e.line > 0 => Some(format!(
            "{}|{}|{}",
            e.file,
            e.field.as_ref().map_or("", |f| f.name),
            e.kind.code()
        )),
        _ => None,
    }
}

/// The line of a problem, if it has one.
fn problem_line(p: &InputProblem) -> Option<u64> {
    match p {
        InputProblem::Roster(e) => Some(e.line),
        _ => None,
    }
}

/// A note, its group (as [`problem_group`]) and its line.
fn note_said(lang: Lang, n: &bundle::InputNote) -> (Option<String>, String, Option<u64>) {
    let text = i18n::input_note(lang, n);
    match n {
        bundle::InputNote::Roster(w) if w.line > 0 => (
            Some(format!(
                "{}|{}|{}",
                w.file,
                w.field.as_ref().map_or("", |f| f.name),
                w.kind.code()
            )),
            text,
            Some(w.line),
        ),
        bundle::InputNote::UnknownReference {
            file, line, field, ..
        } => (Some(format!("{file}|{field}|unknown")), text, Some(*line)),
        _ => (None, text, None),
    }
}

/// Messages in their order, those of one group after the first said once: the first message
/// in full (with its fix), then the count and the next lines (`verbose`: every message).
fn grouped(
    lang: Lang,
    said: Vec<(Option<String>, String, Option<u64>)>,
    verbose: bool,
) -> Vec<String> {
    if verbose {
        return said.into_iter().map(|(_, text, _)| text).collect();
    }
    let mut out: Vec<String> = Vec::new();
    // Per group: its place in `out`, its count and its other lines.
    let mut groups: Vec<(String, usize, usize, Vec<u64>)> = Vec::new();
    for (group, text, line) in said {
        let Some(group) = group else {
            out.push(text);
            continue;
        };
        match groups.iter_mut().find(|g| g.0 == group) {
            Some(g) => {
                g.2 += 1;
                g.3.extend(line);
            }
            None => {
                groups.push((group, out.len(), 1, Vec::new()));
                out.push(text);
            }
        }
    }
    for (_, at, count, lines) in groups.iter().rev() {
        if *count < 2 {
            continue;
        }
        let shown: Vec<String> = lines.iter().take(GROUP_SHOWN).map(u64::to_string).collect();
        let more = if lines.len() > GROUP_SHOWN {
            tr!(lang, "等", " and more")
        } else {
            String::new()
        };
        let summary = tr!(
            lang,
            "  ……同样的问题共 {count} 处，另见第 {} 行{more}；加 --verbose 逐条列出",
            "  … the same {count} times in all, also at lines {}{more}; --verbose lists each",
            shown.join(tr!(lang, "、", ", ").as_str())
        );
        out.insert(at + 1, summary);
    }
    out
}

/// A line of [`grouped`] notes: a note with its prefix, a group's summary as it is.
fn noted(lang: Lang, line: &str) -> String {
    if line.starts_with("  ") {
        line.to_owned()
    } else {
        format!("{}{line}", tr!(lang, "注意：", "note: "))
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
        InputProblem::NeededColumn { file, field, .. } => json!({
            "file": file, "line": null, "field": field, "message": p.to_string(),
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
    let organizer_name = match &a.organizer_name {
        Some(n) => Some(party_name(n, lang)?),
        None => None,
    };
    let asked = match &a.scheduled_at {
        Some(raw) => Some(parse_time_arg("--scheduled-at", raw, lang)?),
        None => None,
    };
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
    let now = now(lang)?;
    let beacon = if let Some(net) = a.drand {
        if a.drand_after < 5 {
            return Err(Fail::Usage(tr!(
                lang,
                "--drand-after 至少为 5 分钟：信标须在公告后至少 5 分钟才产生",
                "--drand-after must be at least 5 minutes: the beacon must come at least 5 minutes after the announcement"
            )));
        }
        let chain = drand_chain(net);
        let round = chain
            .future_round(now.unix(), a.drand_after.saturating_mul(60))
            .map_err(|e| Fail::Usage(i18n::beacon_error(lang, &e)))?;
        Some(chain.spec(round))
    } else if let Some(lottery) = a.lottery {
        Some(lottery_spec(&a, lottery, lang)?)
    } else {
        None
    };
    if witnesses.is_empty() && beacon.is_none() && !a.no_independent_randomness {
        return Err(Fail::Ceremony(tr!(
            lang,
            "没有监督人（--witness），也没有公共信标（--drand 或 --lottery）：种子将完全由机关一方决定，旁人无法排除机关挑选结果。未作任何改动。\n请至少请一位监督人或指定一个信标；如果只是演练，请加 --no-independent-randomness。",
            "no witness (--witness) and no public beacon (--drand or --lottery): the office alone would choose the seed, and nobody could rule out that it chose the result. Nothing was changed.\nName at least one witness or a beacon; for a drill only, add --no-independent-randomness."
        )));
    }
    let beacon_time = beacon
        .as_ref()
        .and_then(|b| b.time().ok())
        .and_then(Timestamp::from_unix);
    let scheduled_at = asked.or(beacon_time).unwrap_or(now);
    if scheduled_at < now {
        return Err(Fail::Usage(tr!(
            lang,
            "--scheduled-at {} 早于现在 {}",
            "--scheduled-at {} is before now ({})",
            show_time(lang, scheduled_at),
            show_time(lang, now)
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
    // The rosters are copied into the draw folder while they are checked; the copies are put
    // in place only when the announcement is made.
    let inputs = bundle::summarize_input_files_into(&paths, &draw_dir, &mut Bar::new())?;
    if !a.allow_empty && inputs.empty {
        return Err(Fail::Ceremony(tr!(
            lang,
            "按计划，没有任何检查对象符合条件（各层 n 均为 0），公告后只会抽出一张空名单。未作任何改动。\n请用 check 检查计划的筛选条件、分层和名录；确需公告空抽取，请加 --allow-empty。",
            "by the plan, no entity is eligible (n is 0 in every stratum): the draw would give an empty sheet. Nothing was changed.\nRun check to look at the plan's filters and strata and the rosters; to announce an empty draw all the same, add --allow-empty."
        )));
    }
    let organizer = match organizer_name {
        Some(n) => n,
        None => authority_party_name(&inputs.plan.authority, lang)?,
    };
    let key = load_key(&private, &a.password, lang)
        .map_err(|e| office_hint(e, &a.office.office, lang))?;
    let secret = fresh_secret(&a.draw_id, &organizer)?;
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
            drill: a.no_independent_randomness,
        },
    )?;
    drop(secret);
    print_announcement(lang, &ann, &draw_dir, &private, &log_path)?;
    if ann.beacon.is_some() {
        timestamp_request(lang, &ann, &draw_dir)?;
    }
    publish_public(&a.office.office, lang, false)?;
    for n in &inputs.notes {
        outln!(
            "{}{}",
            tr!(lang, "注意：", "note: "),
            i18n::input_note(lang, n)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The external beacon of a lottery draw (SPEC §8.4.2): its shape, its draw number in the
/// description, where and when it is published.
fn lottery_spec(a: &AnnounceArgs, lottery: LotteryArg, lang: Lang) -> Result<BeaconSpec, Fail> {
    let (groups, name) = match lottery {
        LotteryArg::Ssq => (GroupSpec::shuangseqiu(), "福利彩票双色球"),
        LotteryArg::Dlt => (GroupSpec::daletou(), "体育彩票超级大乐透"),
    };
    let issue = normalize::text(a.lottery_issue.as_deref().unwrap_or_default());
    let source = normalize::text(a.beacon_source.as_deref().unwrap_or_default());
    if issue.is_empty() || source.is_empty() {
        return Err(Fail::Usage(tr!(
            lang,
            "--lottery 需要 --lottery-issue（期号）和 --beacon-source（查询网址），都不能为空",
            "--lottery needs --lottery-issue (the draw's number) and --beacon-source (a URL), neither blank"
        )));
    }
    let Some(raw) = a.beacon_published_at.as_deref() else {
        return Err(Fail::Usage(tr!(
            lang,
            "--lottery 需要 --beacon-published-at（开奖结果公布的时间）",
            "--lottery needs --beacon-published-at (when the result is published)"
        )));
    };
    let published_at = parse_time_arg("--beacon-published-at", raw, lang)?;
    Ok(BeaconSpec::External {
        description: format!("{name} 第 {issue} 期开奖号码"),
        source,
        published_at,
        groups,
    })
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
    let digest = ann
        .digest()
        .map_err(|e| Fail::Ceremony(i18n::jcs_error(lang, &e)))?;
    outln!(
        "{}",
        tr!(
            lang,
            "已发布抽查公告 {}，写入 {}。\n  公告摘要：{digest}\n  公告时间：{}　抽取时间：{}",
            "Announced draw {} in {}.\n  announcement digest: {digest}\n  announced at {}, draw scheduled at {}",
            ann.draw_id,
            show(draw_dir.root()),
            show_time(lang, ann.announced_at),
            show_time(lang, ann.scheduled_at)
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
            published_at,
            ..
        }) => outln!(
            "{}",
            tr!(
                lang,
                "  信标：{description}（来源：{source}，{} 公布）；抽取时用 --beacon-value 照录开奖号码。",
                "  beacon: {description} (source: {source}, published {}); enter the numbers at the draw with --beacon-value.",
                show_time(lang, *published_at)
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
    if !ann.has_independent_randomness() {
        outln!(
            "{}",
            tr!(
                lang,
                "演练：本次没有监督人也没有公共信标，种子完全由机关一方决定，机关可以挑选结果。这不是一次可信的抽取，只能用于演练。",
                "A drill: with neither a witness nor a public beacon, the office alone chooses the seed and could choose the result. This is not a draw anyone can trust; use it for practice only."
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
        randomness: Digest32(randomness),
    })
}

/// The typed value of the announced external beacon, read canonically (SPEC §8.4.2).
fn read_lottery_value(draw_dir: &DrawDir, text: &str, lang: Lang) -> Result<BeaconValue, Fail> {
    let ann = draw_dir.read_announcement()?.value;
    let Some(BeaconSpec::External { groups, .. }) = &ann.beacon else {
        return Err(Fail::Usage(tr!(
            lang,
            "公告没有指定彩票等外部信标，--beacon-value 用不上",
            "the announcement names no external beacon such as a lottery: --beacon-value does not apply"
        )));
    };
    let value = read_typed(groups, text).map_err(|e| {
        Fail::Ceremony(tr!(
            lang,
            "--beacon-value {text:?} 不符合公告规定的号码格式：{}",
            "--beacon-value {text:?} does not fit the announced shape: {}",
            i18n::group_error(lang, &e)
        ))
    })?;
    outln!(
        "{}",
        tr!(
            lang,
            "信标值读作：{}（各组号码按规则排序）",
            "The beacon value reads as: {} (each group in its canonical order)",
            groups_text(&value)
        )
    );
    Ok(BeaconValue::External { groups: value })
}

/// A canonical external value as people read it: `03 09 14 21 26 31 + 07`.
fn groups_text(groups: &[Vec<u64>]) -> String {
    groups
        .iter()
        .map(|g| {
            g.iter()
                .map(|n| format!("{n:02}"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

fn parse_reveals(a: &DrawArgs, lang: Lang) -> Result<Vec<(String, Secret)>, Fail> {
    let mut v: Vec<(String, Secret)> = vec![];
    // Secrets are never taken from the command line (it shows in process lists and shell
    // history): from a file, or from standard input, one line per --reveal-stdin.
    let stdin = std::io::stdin();
    for raw in &a.reveal_stdin {
        let name = party_name(raw, lang)?;
        let mut line = zeroize::Zeroizing::new(String::new());
        std::io::BufRead::read_line(&mut stdin.lock(), &mut line)
            .map_err(|e| Fail::Io(format!("stdin: {e}")))?;
        let s = Secret::from_hex(line.trim()).map_err(|_| {
            Fail::Usage(tr!(
                lang,
                "--reveal-stdin {name}：标准输入的这一行应为 64 位十六进制数字的秘密数",
                "--reveal-stdin {name}: the line read from standard input must be a secret of 64 hex digits"
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
    let private = PrivateDir::new(a.office.private_dir());
    let draw_dir = DrawDir::new(&a.dir);
    let beacon = match (&a.beacon_value, &a.drand_round_file) {
        (Some(v), _) => Some(read_lottery_value(&draw_dir, v, lang)?),
        (None, Some(f)) => Some(read_drand_round(f, lang)?),
        (None, None) => None,
    };
    bundle::check_private_outside(private.root(), draw_dir.root())?;
    let key = load_key(&private, &a.password, lang)
        .map_err(|e| office_hint(e, &a.office.office, lang))?;
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
            drawn_at: now(lang)?,
        },
        &mut bar,
    )
    .map_err(|e| match e {
        BundleError::NotYetDue { scheduled_at, now } => Fail::Ceremony(tr!(
            lang,
            "抽取时间定于 {}，现在是 {}，还不能抽取",
            "the draw is scheduled for {}; it is now {}, too early to draw",
            show_time(lang, scheduled_at),
            show_time(lang, now)
        )),
        other => office_hint(other.into(), &a.office.office, lang),
    })?;
    drop(reveals);
    let (written, view) = write_views_while(
        &draw_dir,
        (&drawn.announcement, &drawn.sheet, &[]),
        &drawn.inputs.items,
        a.notice_lang,
        |view| {
            if !a.json {
                print_sheet(lang, view);
            }
        },
    )?;
    if a.json {
        publish_public(&a.office.office, lang, true)?;
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
    outln!(
        "{}",
        tr!(
            lang,
            "  已写出：{}（均在 {} 中）；已记入日志 {}。",
            "  Wrote {} (in {}); recorded in the log {}.",
            written.join("、"),
            show(draw_dir.root()),
            show(&log_path)
        )
    );
    publish_public(&a.office.office, lang, false)?;
    Ok(ExitCode::SUCCESS)
}

/// The drawn sheet as the office reads it: secrets, seed, strata and the table of teams.
fn print_sheet(lang: Lang, view: &Publication<'_>) {
    let sheet = view.sheet;
    outln!(
        "{}",
        tr!(
            lang,
            "已完成抽取 {}（{}）。",
            "Drew {} ({}).",
            sheet.draw_id,
            show_time(lang, sheet.drawn_at)
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
        Some(BeaconValue::External { groups }) => {
            let value = groups_text(groups);
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
        tr!(
            lang,
            "检查人员及执法证号（第一位为主检）",
            "Inspectors and certificate numbers (lead first)"
        ),
    ]];
    let drawn = drawn_rows(lang, view, &mut rows);
    output::print_table(&rows, 2);
    if drawn > PRINTED_ROWS {
        outln!(
            "{}",
            tr!(
                lang,
                "  以上为前 {PRINTED_ROWS} 家；全部 {drawn} 家见 {}、{} 和 {}。",
                "  The first {PRINTED_ROWS} shown; all {drawn} are in {}, {} and {}.",
                publish::CSV_FILE,
                publish::XLSX_FILE,
                publish::NOTICE_FILE
            )
        );
    }
}

/// Adds to `rows` the first [`PRINTED_ROWS`] drawn entities of `view` (number, id, name, team)
/// and returns how many were drawn.
fn drawn_rows(lang: Lang, view: &Publication<'_>, rows: &mut Vec<Vec<String>>) -> usize {
    let all = view.rows();
    for (i, row) in all.iter().take(PRINTED_ROWS).enumerate() {
        rows.push(vec![
            (i + 1).to_string(),
            row.entity.id.clone(),
            row.entity.name.clone(),
            view.team_with_ids(&row.entity, i18n::publish_lang(lang)),
        ]);
    }
    all.len()
}

/// The most drawn entities the terminal is shown after a draw: a national draw picks hundreds
/// of thousands, whom the views list (building and printing 216,000 rows took about a
/// CPU-second beside the views).
const PRINTED_ROWS: usize = 200;

/// Brings the publishable folder `<office>/public/` up to date after a step and says what it
/// holds: the log, its checkpoints, the public key and each draw's signed documents, plan, items
/// and views, never the rosters or the private folder.
fn publish_public(office: &Path, lang: Lang, quiet: bool) -> Result<(), Fail> {
    let public = in_office(office, bundle::PUBLIC_DIR);
    let written = bundle::publish_office(office, &public)?;
    if !quiet && !written.is_empty() {
        outln!(
            "{}",
            tr!(
                lang,
                "  公开文件夹 {} 已更新（{} 个文件）：只含可以公开的文件，不含名录和私密文件。",
                "  The public folder {} is updated ({} files): only what may be published, never the rosters or private files.",
                show(&public),
                written.len()
            )
        );
    }
    Ok(())
}

/// The office folder of a draw folder: the folder that holds it.
fn office_of(draw_dir: &Path) -> PathBuf {
    match draw_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Rewrites the views of a drawn folder from its documents (after a late timestamp token,
/// which the notice states). A folder not yet drawn has no views.
fn refresh_views(draw_dir: &DrawDir, notice_lang: Option<LangArg>) -> Result<(), Fail> {
    let Some(sheet) = draw_dir.read_sheet()? else {
        return Ok(());
    };
    let ann = draw_dir.read_announcement()?.value;
    let all: Vec<Amendment> = draw_dir
        .read_amendments()?
        .into_iter()
        .map(|d| d.value)
        .collect();
    let items = bundle::load_items(draw_dir.root(), &ann)?;
    write_views(draw_dir, &ann, &sheet.value, &all, &items, notice_lang)?;
    Ok(())
}

/// The views' content, from the documents and the announced items roster.
fn publication<'a>(
    ann: &'a Announcement,
    sheet: &'a Sheet,
    amendments: &'a [Amendment],
    items: &[Item],
) -> Result<Publication<'a>, Fail> {
    Publication::new(ann, sheet, amendments, Some(items)).map_err(|e| Fail::Ceremony(e.to_string()))
}

/// Writes `sheet.csv`, `sheet.xlsx` and `notice.html` (regenerated views; replaced when
/// amendments follow), the notice in the language and zone of [`notice_settings`]. Returns
/// the names of the files written, signed ones first, and the publication they show.
fn write_views<'a>(
    draw_dir: &DrawDir,
    ann: &'a Announcement,
    sheet: &'a Sheet,
    amendments: &'a [Amendment],
    items: &[Item],
    notice_lang: Option<LangArg>,
) -> Result<(Vec<String>, Publication<'a>), Fail> {
    let documents = (ann, sheet, amendments);
    write_views_while(draw_dir, documents, items, notice_lang, |_| {})
}

/// [`write_views`], running `meanwhile` on the publication while the views are built: on a
/// thread of its own when the library may use more than one (printing a large sheet then
/// takes no time of its own).
fn write_views_while<'a>(
    draw_dir: &DrawDir,
    (ann, sheet, amendments): (&'a Announcement, &'a Sheet, &'a [Amendment]),
    items: &[Item],
    notice_lang: Option<LangArg>,
    meanwhile: impl FnOnce(&Publication<'a>),
) -> Result<(Vec<String>, Publication<'a>), Fail> {
    let (notice_lang, notice_zone) = notice_settings(draw_dir, notice_lang);
    let view = publication(ann, sheet, amendments, items)?
        .with_timestamp(publish::read_timestamp(draw_dir.root()))
        .with_zone(notice_zone);
    let write = || publish::write_views(draw_dir.root(), &view, notice_lang);
    let views = if double_random::threads() > 1 {
        std::thread::scope(|scope| {
            let handle = scope.spawn(write);
            meanwhile(&view);
            handle
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p))
        })
    } else {
        let views = write();
        meanwhile(&view);
        views
    };
    let views = views.map_err(|e| match e {
        publish::PublishError::File(f) => Fail::Bundle(BundleError::from(f)),
        other => Fail::Io(other.to_string()),
    })?;
    let mut written = match amendments.last() {
        Some(last) => {
            let name = bundle::amendment_file(last.seq);
            vec![name.clone(), bundle::signature_file(&name)]
        }
        None => vec![
            bundle::SHEET_FILE.to_string(),
            bundle::signature_file(bundle::SHEET_FILE),
        ],
    };
    written.extend(views);
    Ok((written, view))
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

/// Exit status of a verification whose key was taken from the folder: not verified.
const NOT_VERIFIED: u8 = 6;

/// A certificate file: PEM (one or more `CERTIFICATE` blocks) or DER.
fn read_certificates(path: &Path) -> Result<Vec<Vec<u8>>, Fail> {
    use base64::Engine as _;
    let bytes =
        files::read_limited(path, bundle::MAX_SMALL_FILE_BYTES).map_err(BundleError::from)?;
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Ok(vec![bytes]);
    };
    if !text.contains("-----BEGIN") {
        return Ok(vec![bytes]);
    }
    let mut out = vec![];
    let mut body: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if line.starts_with("-----BEGIN CERTIFICATE") {
            body = Some(String::new());
        } else if line.starts_with("-----END") {
            if let Some(b) = body.take() {
                let der = base64::engine::general_purpose::STANDARD
                    .decode(b)
                    .map_err(|e| Fail::Usage(format!("{}: {e}", show(path))))?;
                out.push(der);
            }
        } else if let Some(b) = body.as_mut() {
            b.push_str(line);
        }
    }
    if out.is_empty() {
        return Err(Fail::Usage(format!("{}: no CERTIFICATE block", show(path))));
    }
    Ok(out)
}

/// The office log beside a draw folder, when there is one.
pub(crate) fn log_beside(dir: &Path) -> Option<PathBuf> {
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let log = in_office(&parent, bundle::LOG_FILE);
    log.is_file().then_some(log)
}

fn verify(a: VerifyArgs, lang: Lang) -> Result<ExitCode, Fail> {
    let pk = match &a.public_key {
        Some(p) => Some(bundle::read_public_key_file(p)?),
        None => None,
    };
    let mut certs = vec![];
    for c in &a.tsa_cert {
        certs.extend(read_certificates(c)?);
    }
    let log = a.log.clone().or_else(|| log_beside(&a.dir));
    let opts = bundle::VerifyOptions {
        public_key: pk.as_ref(),
        log: log.as_deref(),
        strict: a.strict,
        tsa_certificates: &certs,
    };
    let mut bar = Bar::new();
    let v = bundle::verify_dir_with(&a.dir, &opts, &mut bar)?;
    // Outcome records (SPEC §18), checked with the key the draw was checked with.
    let outcome_key = match pk {
        Some(k) => Some(k),
        None => DrawDir::new(&a.dir).read_public_key().ok(),
    };
    let outcomes = match outcome_key {
        Some(k) => crate::results::verify_outcomes(
            &a.dir,
            &k,
            &a.calendar,
            a.vocabulary.as_deref(),
            a.today.as_deref(),
            lang,
        )?,
        None => None,
    };
    let outcomes_failed = outcomes.as_ref().is_some_and(|r| !r.findings.is_empty());
    let (result, code) = if outcomes_failed {
        ("FAIL", 1)
    } else {
        (verify_json::verdict(&v), verdict_code(&v))
    };
    if a.json {
        let mut out = verify_json::verification(&v, log.as_deref().map(show));
        out["result"] = json!(result);
        out["outcomes"] = json!(outcomes.as_ref().map(crate::verify_json::review_json));
        outln!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        print_verification(lang, &a.dir, &v, log.as_deref());
        if let Some(r) = &outcomes {
            outln!();
            outln!(
                "{}",
                tr!(
                    lang,
                    "检查结果记录（一公开）：{} 份，{}",
                    "Outcome records: {}, {}",
                    r.records.len(),
                    if r.findings.is_empty() {
                        tr!(lang, "全部相符（PASS）", "all consistent (PASS)")
                    } else {
                        tr!(
                            lang,
                            "问题 {} 处（FAIL）",
                            "problems: {} (FAIL)",
                            r.findings.len()
                        )
                    }
                )
            );
            crate::results::print_review(lang, r);
            if outcomes_failed {
                outln!(
                    "{}",
                    tr!(
                        lang,
                        "总体结论：FAIL（检查结果记录有问题或有逾期对象）",
                        "Overall: FAIL (the outcome records have problems or entities are overdue)"
                    )
                );
            }
        }
    }
    Ok(ExitCode::from(code))
}

fn print_views(lang: Lang, v: &bundle::DirVerification) {
    if v.views.is_empty() {
        return;
    }
    outln!(
        "{}",
        tr!(
            lang,
            "  公示文件（由记录重新生成后逐格比对）：",
            "  published views (rebuilt from the records, compared cell by cell):"
        )
    );
    for c in &v.views {
        match &c.status {
            ViewStatus::Matches => outln!(
                "    ✓ {}",
                tr!(
                    lang,
                    "{} 与记录一致",
                    "{} shows what the records say",
                    c.file
                )
            ),
            ViewStatus::Differs => outln!(
                "    ✗ {}",
                tr!(
                    lang,
                    "{} 与记录不符（{} 处）",
                    "{} differs from the records ({} differences)",
                    c.file,
                    c.differences.len() + c.omitted
                )
            ),
            ViewStatus::NotChecked(why) => outln!(
                "    ? {}",
                tr!(
                    lang,
                    "{} 未核对：{}",
                    "{} not checked: {}",
                    c.file,
                    i18n::view_not_checked(lang, why)
                )
            ),
        }
        if !c.unchecked.is_empty() {
            outln!(
                "      {}",
                tr!(
                    lang,
                    "未核对：{}（没有与公告摘要一致的 items.csv，事项名称无从核对）",
                    "not checked: {} (no items.csv with the announced digest to give the items' names)",
                    c.unchecked.join("、")
                )
            );
        }
    }
}

fn verdict_code(v: &bundle::DirVerification) -> u8 {
    if verify_json::failed(v) {
        1
    } else if v.key_from_folder {
        NOT_VERIFIED
    } else {
        0
    }
}

fn print_verification(lang: Lang, dir: &Path, v: &bundle::DirVerification, log: Option<&Path>) {
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
                "  公钥：没有用 --public-key 指定，只能使用文件夹中的 organizer.pub。这只能证明文件彼此一致，不能证明文件出自机关。",
                "  key: no --public-key was given, so organizer.pub from the folder itself was used. That proves only that the files agree with each other, not that the office made them."
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
    let (ok, bad, skip) = match lang {
        Lang::Zh => ("✓ 通过", "✗ 未通过", "- 未检查"),
        Lang::En => ("✓ passed", "✗ failed", "- not checked"),
    };
    for c in &v.report.checked {
        let failed = v.report.findings.iter().any(|f| c.fails(f));
        outln!(
            "  {}  {}",
            if failed { bad } else { ok },
            i18n::checked(lang, c)
        );
    }
    print_views(lang, v);
    let mut unchecked = vec![];
    if v.depth < Depth::Full && v.depth > Depth::Announcement {
        unchecked.push(tr!(
            lang,
            "完整重放抽取过程（输入文件不全）",
            "full replay of the draw (inputs not all present)"
        ));
    }
    if log.is_none() {
        unchecked.push(tr!(
            lang,
            "机关日志（没有 --log，文件夹旁也没有 office.log）",
            "the office log (no --log, and no office.log beside the folder)"
        ));
    }
    if let Some(t) = &v.trust
        && t.time == TimeProof::NotChecked
    {
        unchecked.push(tr!(
            lang,
            "时间戳令牌 announcement.json.tsr（没有用 --tsa-cert 指定信任的 TSA 证书）",
            "the timestamp token announcement.json.tsr (no trusted TSA certificate given with --tsa-cert)"
        ));
    }
    for u in &unchecked {
        outln!("  {skip}  {u}");
    }
    if verify_json::failed(v) {
        let differences: usize = v
            .views
            .iter()
            .map(|c| c.differences.len() + c.omitted)
            .sum();
        outln!(
            "FAIL{}",
            tr!(
                lang,
                "（发现 {} 项问题）",
                " ({} findings)",
                v.report.findings.len() + differences
            )
        );
        for f in &v.report.findings {
            outln!("  ✗ {}", i18n::finding(lang, f));
        }
        for c in &v.views {
            for d in &c.differences {
                outln!("  ✗ {}", i18n::view_difference(lang, &c.file, d));
            }
            if c.omitted > 0 {
                outln!(
                    "  ✗ {}",
                    tr!(
                        lang,
                        "{}：另有 {} 处不符未列出",
                        "{}: {} more differences not listed",
                        c.file,
                        c.omitted
                    )
                );
            }
        }
    } else if v.key_from_folder {
        outln!(
            "{}",
            tr!(
                lang,
                "NOT VERIFIED（未核验）：公钥取自文件夹本身。请用 --public-key 指定从机关独立渠道获得的公钥再核验。",
                "NOT VERIFIED: the key was taken from the folder. Verify again with --public-key and the key the office publishes through its own channel."
            )
        );
    } else {
        outln!("PASS");
    }
    if let Some(t) = &v.trust {
        print_trust(lang, t);
    }
}

/// The trust summary (SPEC §13.3) in plain words.
fn print_trust(lang: Lang, t: &TrustSummary) {
    outln!(
        "{}",
        tr!(
            lang,
            "可信程度（是什么让机关无法挑选这个结果）：",
            "Trust (what stops the office from choosing this result):"
        )
    );
    if t.witnesses.is_empty() {
        outln!("{}", tr!(lang, "  监督人：无", "  witnesses: none"));
    } else {
        outln!(
            "{}",
            tr!(
                lang,
                "  监督人：{}（只要其中一位诚实、在公告公开前守住秘密数，机关就无法预知结果）",
                "  witnesses: {} (if one of them is honest and kept its secret until the announcement was public, the office could not know the result)",
                t.witnesses.join("、")
            )
        );
    }
    print_trust_beacon(lang, t);
    if !t.independent {
        outln!(
            "{}",
            tr!(
                lang,
                "  没有独立的随机来源：种子完全由机关一方决定（演练）",
                "  no independent randomness: the office alone chose the seed (a drill)"
            )
        );
    }
    print_trust_log(lang, t.log.as_ref());
    print_trust_amendments(lang, t);
    outln!(
        "{}",
        tr!(
            lang,
            "  无论如何，机关仍可以中止一次抽取，而每一次中止都是公开的作废记录。",
            "  In every case the office can still abort a draw, and every abort is a published void."
        )
    );
}

/// The trust summary's beacon lines: the beacon and its time, and how the announcement is
/// known to come before it.
fn print_trust_beacon(lang: Lang, t: &TrustSummary) {
    let Some((what, time)) = &t.beacon else {
        outln!("{}", tr!(lang, "  信标：无", "  beacon: none"));
        return;
    };
    let time = show_time(lang, *time);
    outln!(
        "{}",
        tr!(
            lang,
            "  信标：{what}，{time} 产生",
            "  beacon: {what}, public at {time}"
        )
    );
    let proof = match &t.time {
        TimeProof::Proven { tsa, gen_time } => tr!(
            lang,
            "  公告早于信标：已由时间戳证明（TSA：{tsa}，时间 {}）",
            "  announcement before the beacon: proven by a timestamp (TSA: {tsa}, time {})",
            show_time(lang, *gen_time)
        ),
        TimeProof::OfficeClaim => tr!(
            lang,
            "  公告早于信标：没有时间戳，公告时间只是机关自己的说法",
            "  announcement before the beacon: no timestamp; the announcement time is the office's own claim"
        ),
        TimeProof::NotChecked => tr!(
            lang,
            "  公告早于信标：有时间戳但未核验（没有 --tsa-cert），公告时间只是机关自己的说法",
            "  announcement before the beacon: a timestamp is present but was not checked (no --tsa-cert); the announcement time is the office's own claim"
        ),
        TimeProof::Failed { problem } => tr!(
            lang,
            "  公告早于信标：时间戳不能证明：{}",
            "  announcement before the beacon: the timestamp does not prove it: {}",
            i18n::time_problem(lang, problem)
        ),
        _ => String::new(),
    };
    if !proof.is_empty() {
        outln!("{proof}");
    }
}

/// The trust summary's office-log lines: not checked, or the task's other draws and whether
/// this announcement cites the earlier void.
fn print_trust_log(lang: Lang, log: Option<&double_random::ceremony::verify::LogTrust>) {
    let Some(l) = log else {
        outln!(
            "{}",
            tr!(
                lang,
                "  机关日志：未核对（作废和同一任务的其他公告无从得知）",
                "  office log: the office log was not checked (voids and other announcements of the task are unknown)"
            )
        );
        return;
    };
    if l.siblings.is_empty() {
        outln!(
            "{}",
            tr!(
                lang,
                "  机关日志：已核对；同一任务没有其他公告，也没有作废",
                "  office log: checked; no other announcement of this task, no void"
            )
        );
    } else {
        print_trust_siblings(lang, &l.siblings);
    }
    if l.supersedes {
        outln!(
            "{}",
            tr!(
                lang,
                "  本公告引用了同一任务上一次的作废记录",
                "  this announcement cites the task's earlier void"
            )
        );
    }
}

/// The task's other draws in the office log: how many and how many void, then each one's
/// state (and a void's reason).
fn print_trust_siblings(lang: Lang, siblings: &[double_random::ceremony::verify::Sibling]) {
    let voids = siblings
        .iter()
        .filter(|s| s.state == DrawState::Void)
        .count();
    outln!(
        "{}",
        tr!(
            lang,
            "  机关日志：已核对；同一任务另有 {} 次公告，其中 {voids} 次作废：",
            "  office log: checked; {} other announcement(s) of this task, {voids} void:",
            siblings.len()
        )
    );
    for s in siblings {
        let fate = match (lang, s.state) {
            (Lang::Zh, DrawState::Void) => "已作废".to_string(),
            (Lang::Zh, DrawState::Drawn) => "已抽取".to_string(),
            (Lang::Zh, DrawState::Pending) => "尚未抽取".to_string(),
            (Lang::En, DrawState::Void) => "void".to_string(),
            (Lang::En, DrawState::Drawn) => "drawn".to_string(),
            (Lang::En, DrawState::Pending) => "pending".to_string(),
            (_, DrawState::NotAnnounced) => "-".to_string(),
        };
        let why = s
            .void_reason
            .map(|c| format!(" ({})", void_code_name(lang, c)))
            .unwrap_or_default();
        outln!("    {}: {fate}{why}", s.draw_id);
    }
}

/// The trust summary's amendment lines: none, or the replacements and recusals by reason.
fn print_trust_amendments(lang: Lang, t: &TrustSummary) {
    if t.replacements.is_empty() && t.recusals.is_empty() {
        outln!(
            "{}",
            tr!(
                lang,
                "  变更：没有替换检查对象，也没有回避",
                "  amendments: no entity replaced, no recusal"
            )
        );
    }
    for (code, n) in &t.replacements {
        outln!(
            "{}",
            tr!(
                lang,
                "  替换检查对象 {n} 户：{}",
                "  entities replaced: {n} ({})",
                publish::reason_text(i18n::publish_lang(lang), *code)
            )
        );
    }
    for (code, n) in &t.recusals {
        outln!(
            "{}",
            tr!(
                lang,
                "  替换检查人员 {n} 人次：{}",
                "  inspectors replaced: {n} ({})",
                publish::reason_text(i18n::publish_lang(lang), *code)
            )
        );
    }
}

fn void_code_name(lang: Lang, c: VoidCode) -> String {
    let (zh, en) = match c {
        VoidCode::PlanChanged => ("计划调整", "plan changed"),
        VoidCode::InputsWrong => ("输入有误", "inputs wrong"),
        VoidCode::SecretNotRevealed => ("有人未揭示秘密数", "a secret was not revealed"),
        VoidCode::BeaconUnavailable => ("信标无法取得", "beacon unavailable"),
        VoidCode::Other => ("其他原因", "other"),
    };
    tr!(lang, "{zh}", "{en}")
}

// ---------------------------------------------------------------------------------------------
// amend, void, log
// ---------------------------------------------------------------------------------------------

fn reason_code(r: ReasonArg) -> ReasonCode {
    r.code()
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
    let key = load_key(&private, &a.password, lang)
        .map_err(|e| office_hint(e, &a.office.office, lang))?;
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
        now(lang)?,
        &mut bar,
    )
    .map_err(|e| office_hint(e.into(), &a.office.office, lang))?;
    let all: Vec<Amendment> = draw_dir
        .read_amendments()?
        .into_iter()
        .map(|d| d.value)
        .collect();
    let (written, view) = write_views(
        &draw_dir,
        &drawn.announcement,
        &drawn.sheet,
        &all,
        &drawn.inputs.items,
        a.notice_lang,
    )?;
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
                view.team_with_ids(new, i18n::publish_lang(lang))
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
                    view.inspector_with_id(inspector, i18n::publish_lang(lang)),
                    view.inspector_with_id(new, i18n::publish_lang(lang))
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
    publish_public(&a.office.office, lang, false)?;
    Ok(ExitCode::SUCCESS)
}

fn void_code(c: VoidCodeArg) -> VoidCode {
    match c {
        VoidCodeArg::PlanChanged => VoidCode::PlanChanged,
        VoidCodeArg::InputsWrong => VoidCode::InputsWrong,
        VoidCodeArg::SecretNotRevealed => VoidCode::SecretNotRevealed,
        VoidCodeArg::BeaconUnavailable => VoidCode::BeaconUnavailable,
        VoidCodeArg::Other => VoidCode::Other,
    }
}

fn void(a: VoidArgs, lang: Lang) -> Result<ExitCode, Fail> {
    let text = normalize::text(&a.text);
    if text.is_empty() {
        return Err(Fail::Usage(tr!(
            lang,
            "请用 --text 写明作废原因",
            "give the reason in words with --text"
        )));
    }
    let private = PrivateDir::new(a.office.private_dir());
    let key = load_key(&private, &a.password, lang)
        .map_err(|e| office_hint(e, &a.office.office, lang))?;
    let draw_dir = DrawDir::new(&a.dir);
    let log_path = a.office.log_path();
    let code = void_code(a.reason);
    let made = bundle::void(
        &draw_dir,
        &log_path,
        &key,
        VoidReason { code, text },
        now(lang)?,
    );
    let v = match made {
        Err(BundleError::AlreadyDrawn { .. }) => {
            return Err(Fail::Ceremony(tr!(
                lang,
                "抽取 {} 已经抽取（有结果表 sheet.json），已抽取的抽取不能作废，未作任何改动。需要替换检查对象或检查人员时，请用 amend（补抽或回避）。",
                "draw {} is drawn (it has sheet.json): a drawn draw cannot be voided, and nothing was changed. To replace an entity or an inspector, use amend.",
                show(&a.dir)
            )));
        }
        other => other?,
    };
    outln!(
        "{}",
        tr!(
            lang,
            "抽取 {} 已作废（日志第 {} 条）：{}：{}\n作废记录 {} 已签名；它永久保留，这次抽取不能再进行。同一任务下一次公告会引用它。",
            "Draw {} is void (log entry {}): {}: {}\nThe void {} is signed; it stays in the log, and this draw can never be made. The task's next announcement cites it.",
            v.draw_id,
            v.log.seq,
            void_code_name(lang, v.reason.code),
            v.reason.text,
            show(&draw_dir.path(bundle::VOID_FILE))
        )
    );
    publish_public(&a.office.office, lang, false)?;
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
    let report = log::check(&bytes, false);
    if let Some(f) = &a.since {
        return log_since(lang, f, &report);
    }
    if let Some(f) = &a.fork_proof {
        return log_fork_proof(lang, f, a.public_key.as_deref());
    }
    let mut rows = vec![vec![
        tr!(lang, "序号", "Seq"),
        tr!(
            lang,
            "时间（{}）",
            "Time ({})",
            zone().label(i18n::publish_lang(lang))
        ),
        tr!(lang, "类型", "Kind"),
        tr!(lang, "抽取编号", "Draw"),
        tr!(lang, "文件摘要", "Document"),
        tr!(lang, "任务", "Task"),
    ]];
    for e in &report.entries {
        let d = e.document.to_hex();
        rows.push(vec![
            e.seq.to_string(),
            zone().local(e.time),
            i18n::entry_kind(lang, e.kind).to_string(),
            e.draw_id.clone(),
            d.get(..16).unwrap_or(&d).to_string(),
            format!("{}/{}/{}", e.task.plan_id, e.task.task_id, e.task.batch),
        ]);
    }
    output::print_table(&rows, 0);
    let strict = log::check(&bytes, true);
    let pending: Vec<&str> = strict
        .findings
        .iter()
        .filter_map(|f| match f {
            log::LogFinding::Pending { draw_id, .. } => Some(draw_id.as_str()),
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

/// `log --since FILE`: does the current log extend a statement kept earlier (SPEC §12.5)?
fn log_since(lang: Lang, file: &Path, report: &log::LogReport) -> Result<ExitCode, Fail> {
    let bytes = files::read_limited(file, bundle::MAX_DOCUMENT_BYTES).map_err(BundleError::from)?;
    let Some(claims) = log::statement_claims(&bytes) else {
        return Err(Fail::Usage(tr!(
            lang,
            "{}：不是公告、结果表、补抽记录、作废记录或检查点",
            "{}: not an announcement, sheet, amendment, void or checkpoint",
            show(file)
        )));
    };
    match log::extends(report, &claims) {
        Ok(()) => {
            outln!(
                "{}",
                tr!(
                    lang,
                    "现在的日志（{} 条）延续了 {}：它签名时的记录一条未改。",
                    "The current log ({} entries) extends {}: what it signed is still there, unchanged.",
                    report.entries.len(),
                    show(file)
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(d) => {
            let why = match (&d, lang) {
                (log::Divergence::Truncated { size, line }, Lang::Zh) => {
                    format!("日志只有 {size} 条，而该文件说到第 {line} 条：日志被截短或重置")
                }
                (log::Divergence::Differs { line }, Lang::Zh) => {
                    format!("日志第 {line} 条与该文件签名时不同：日志出现分叉")
                }
                _ => d.to_string(),
            };
            outln!(
                "{}",
                tr!(
                    lang,
                    "现在的日志没有延续 {}：{why}",
                    "The current log does not extend {}: {why}",
                    show(file)
                )
            );
            Ok(ExitCode::from(1))
        }
    }
}

/// `log --fork-proof FILE --public-key KEY` (SPEC §12.5).
fn log_fork_proof(lang: Lang, file: &Path, key: Option<&Path>) -> Result<ExitCode, Fail> {
    let Some(key) = key else {
        return Err(Fail::Usage(tr!(
            lang,
            "--fork-proof 需要 --public-key",
            "--fork-proof needs --public-key"
        )));
    };
    let pk = bundle::read_public_key_file(key)?;
    let bytes = files::read_limited(file, bundle::MAX_DOCUMENT_BYTES).map_err(BundleError::from)?;
    let proof: log::ForkProof = serde_json::from_slice(&bytes).map_err(|e| {
        Fail::Usage(tr!(
            lang,
            "{}：不是分叉证明：{e}",
            "{}: not a fork proof: {e}",
            show(file)
        ))
    })?;
    match log::verify_fork_proof(&pk, &proof) {
        Ok(fork) => {
            outln!(
                "{}",
                tr!(
                    lang,
                    "分叉证明成立：这把密钥对第 {} 条签过两个互相矛盾的历史。",
                    "The fork proof holds: this key signed two contradicting histories at line {}.",
                    fork.line
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            outln!(
                "{}",
                tr!(
                    lang,
                    "分叉证明不成立：{e}",
                    "The fork proof does not hold: {e}"
                )
            );
            Ok(ExitCode::from(1))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// timestamp
// ---------------------------------------------------------------------------------------------

/// After an announcement that names a beacon: writes the timestamp request
/// `announcement.json.tsq` and says how to get and import the token.
/// The request file for a timestamp token over the announcement (SPEC §8.5).
const TIMESTAMP_REQUEST_FILE: &str = "announcement.json.tsq";

/// A random nonce for a timestamp request (fixed in tests).
fn request_nonce() -> Result<u64, Fail> {
    if fixed_secrets() {
        return Ok(0x0123_4567_89ab_cdef);
    }
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).map_err(|e| Fail::Io(e.to_string()))?;
    Ok(u64::from_be_bytes(b) >> 1)
}

/// Writes `announcement.json.tsq`, the RFC 3161 request over the announcement, and says how
/// to get and import the token.
fn timestamp_request(lang: Lang, ann: &Announcement, draw_dir: &DrawDir) -> Result<(), Fail> {
    let path = write_timestamp_request(ann, draw_dir)?;
    outln!(
        "{}",
        tr!(
            lang,
            "  时间戳：已写出请求 {}。把它交给一个可信的时间戳机构（TSA），例如：\n    curl -H 'Content-Type: application/timestamp-query' --data-binary @{} <TSA 网址> > token.tsr\n  再导入：double-random timestamp {} --token token.tsr\n  有了时间戳，任何人都能证明公告早于信标；没有它，公告时间只是机关自己的说法。",
            "  timestamp: the request {} is written. Send it to a time-stamping authority (TSA) you trust, e.g.\n    curl -H 'Content-Type: application/timestamp-query' --data-binary @{} <TSA URL> > token.tsr\n  then import it: double-random timestamp {} --token token.tsr\n  With it anyone can prove the announcement came before the beacon; without it the announcement time is the office's own claim.",
            show(&path),
            show(&path),
            show(draw_dir.root())
        )
    );
    Ok(())
}

/// Writes `announcement.json.tsq` for `ann` and returns its path.
fn write_timestamp_request(ann: &Announcement, draw_dir: &DrawDir) -> Result<PathBuf, Fail> {
    let digest = ann.digest().map_err(|e| Fail::Ceremony(e.to_string()))?;
    let tsq = timestamp::request(&digest, request_nonce()?);
    let path = draw_dir.path(TIMESTAMP_REQUEST_FILE);
    files::write_new(&path, &tsq).map_err(BundleError::from)?;
    Ok(path)
}

/// `timestamp`: imports a token over the announcement after checking its imprint and nonce.
fn timestamp(a: TimestampArgs, lang: Lang) -> Result<ExitCode, Fail> {
    let draw_dir = DrawDir::new(&a.dir);
    let ann = draw_dir.read_announcement()?;
    let bytes =
        files::read_limited(&a.token, bundle::MAX_SMALL_FILE_BYTES).map_err(BundleError::from)?;
    let token = timestamp::parse(&bytes).map_err(|e| {
        Fail::Ceremony(format!(
            "{}{}{}",
            show(&a.token),
            tr!(lang, "：", ": "),
            i18n::token_error(lang, &e)
        ))
    })?;
    let digest = Digest32::of(&ann.bytes);
    if token.imprint != Some(digest) {
        return Err(Fail::Ceremony(tr!(
            lang,
            "{}：时间戳令牌不是针对本公告的（摘要不符：公告为 {}）",
            "{}: the token is not over this announcement (its digest is {})",
            show(&a.token),
            digest
        )));
    }
    let tsq_path = draw_dir.path(TIMESTAMP_REQUEST_FILE);
    if let Ok(tsq) = files::read_limited(&tsq_path, bundle::MAX_SMALL_FILE_BYTES)
        && let Some(want) = request_nonce_of(&tsq)
        && token.nonce_u64() != Some(want)
    {
        return Err(Fail::Ceremony(tr!(
            lang,
            "{}：时间戳令牌的随机数与请求 {} 不符",
            "{}: the token's nonce is not the one of the request {}",
            show(&a.token),
            show(&tsq_path)
        )));
    }
    let out = draw_dir.path(bundle::TIMESTAMP_FILE);
    files::write_new(&out, &bytes).map_err(BundleError::from)?;
    outln!(
        "{}",
        tr!(
            lang,
            "已导入时间戳令牌 {}：时间 {}。核验时用 --tsa-cert 指定你信任的 TSA 证书。",
            "Imported the timestamp token {}: time {}. Verifiers name the TSA certificate they trust with --tsa-cert.",
            show(&out),
            show_time(lang, token.gen_time)
        )
    );
    refresh_views(&draw_dir, a.notice_lang)?;
    let office = office_of(draw_dir.root());
    if office.join(bundle::LOG_FILE).is_file() {
        publish_public(&office, lang, false)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The nonce of a request this program wrote: the request's last INTEGER before `certReq`.
fn request_nonce_of(tsq: &[u8]) -> Option<u64> {
    // Our requests end with INTEGER nonce, BOOLEAN TRUE (`02 len bytes 01 01 ff`).
    let body = tsq.strip_suffix(&[0x01, 0x01, 0xff])?;
    (1..=9).find_map(|len| {
        let start = body.len().checked_sub(len + 2)?;
        (body[start] == 0x02 && usize::from(body[start + 1]) == len).then(|| {
            body[start + 2..]
                .iter()
                .fold(0u64, |a, &b| (a << 8) | u64::from(b))
        })
    })
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

/// The demonstration value of the lottery beacon, typed with an odd spelling (descending,
/// mixed separators, a dropped leading zero) that the draw reads canonically.
const DEMO_LOTTERY_VALUE: &str = "31、26、21，14，9,03 + 07";

/// The demo's timestamp step: a demonstration TSA (a fresh self-signed certificate, no
/// authority at all) stamps the announcement; returns the certificate file to verify with.
fn demo_timestamp(
    lang: Lang,
    notice_lang: Option<LangArg>,
    out: &Path,
    draw_dir: &DrawDir,
    now: Timestamp,
) -> Result<Option<PathBuf>, Fail> {
    let tsa = if fixed_secrets() {
        timestamp::DemoTsa::from_seed([0x7a; 32])
    } else {
        timestamp::DemoTsa::generate()
    }
    .map_err(|e| Fail::Ceremony(e.to_string()))?;
    let ann = draw_dir.read_announcement()?.value;
    let tsq = files::read_limited(
        write_timestamp_request(&ann, draw_dir)?,
        bundle::MAX_SMALL_FILE_BYTES,
    )
    .map_err(BundleError::from)?;
    let token = tsa
        .stamp(&tsq, now, 1)
        .map_err(|e| Fail::Ceremony(e.to_string()))?;
    let token_path = out.join("demo-token.tsr");
    files::write_new(&token_path, &token).map_err(BundleError::from)?;
    let cert = out.join("demo-tsa.pem");
    files::write_new(&cert, tsa.certificate_pem().as_bytes()).map_err(BundleError::from)?;
    timestamp(
        TimestampArgs {
            dir: draw_dir.root().to_path_buf(),
            token: token_path,
            notice_lang,
        },
        lang,
    )?;
    outln!(
        "{}",
        tr!(
            lang,
            "  这里的时间戳机构是演示用的（证书 {}，自签名，名为 DEMONSTRATION），不是真正的时间戳机构，不证明任何事情；真实抽取请使用可信的 TSA。",
            "  The time-stamping authority here is a DEMONSTRATION one (certificate {}, self-signed): it is no authority and proves nothing; a real draw uses a TSA people trust.",
            show(&cert)
        )
    );
    Ok(Some(cert))
}

fn demo(a: DemoArgs, lang: Lang) -> Result<ExitCode, Fail> {
    let data = demo_folders(&a, lang)?;
    let now = now(lang)?;
    let d = Demo::new(&a, lang);
    outln!(
        "{}",
        tr!(
            lang,
            "演示：用示例数据（{}）在 {} 中完整走一遍双随机抽取。每一步都会说明它做了什么、为什么。",
            "Demo: a whole 双随机 draw on the sample data ({}) in {}. Each step says what it does and why.",
            show(&data),
            show(d.out)
        )
    );

    demo_step(
        lang,
        1,
        "机关生成签名密钥",
        "The office makes its signing key",
    );
    let key = demo_key(&d)?;
    demo_step(
        lang,
        2,
        "监督人生成自己的秘密数",
        "A witness makes its own secret",
    );
    let witness_commitment = demo_witness(&d)?;
    demo_step(lang, 3, "检查名录和计划", "Check rosters and plan");
    let inputs = demo_check(&d, &data)?;
    demo_step(
        lang,
        4,
        "发布抽查公告（抽取之前）",
        "Announce (before anything random exists)",
    );
    let (draw_time, tsa_cert) = demo_announce(&d, &inputs, &key, witness_commitment, now)?;
    demo_step(
        lang,
        5,
        "抽取：揭示秘密数，输入信标值",
        "Draw: reveal the secrets, enter the beacon value",
    );
    let drawn = demo_draw(&d, &key, draw_time)?;
    demo_step(
        lang,
        6,
        "写出公示页和公示表",
        "Write the publication page and table",
    );
    demo_publish(&d, &drawn)?;
    demo_step(
        lang,
        7,
        "补抽：一户无法联系",
        "Amend: one entity cannot be reached",
    );
    demo_amend(&d, &key, &drawn, draw_time)?;
    demo_step(lang, 8, "核验（任何人都可以做）", "Verify (anyone can)");
    let (passed, cert_arg) = demo_verify(&d, tsa_cert.as_deref())?;
    if !passed {
        return Ok(ExitCode::from(1));
    }
    demo_step(
        lang,
        9,
        "一公开：登记检查结果，查看公示进度",
        "Publish the results (一公开) and see what is due",
    );
    crate::results::demo_results(d.out, &d.draw_dir, d.private.root(), lang)?;
    let public_draw = d.public.join(d.draw_id);
    outln!();
    outln!(
        "{}",
        tr!(
            lang,
            "演示完成。\n  {} 是可以公开的文件夹：机关日志、检查点、公钥，以及 {}/ 中签名的公告、结果表、补抽记录、时间戳令牌、计划、检查事项和公示页 {}。\n  名录（含内部风险分类和检查人员个人信息）不公开，只留在工作文件夹 {} 中，供有权查阅者完整重放：\n    double-random verify {} --public-key {} --log {}{cert_arg}",
            "Demo complete.\n  {} is the folder to publish: the office log, its checkpoints, the public key, and in {}/ the signed announcement, sheet and amendment, the timestamp token, the plan, the items and the notice {}.\n  The rosters (internal risk classes, inspectors' personal data) are not published: they stay in the working folder {}, for a full replay by those entitled to it:\n    double-random verify {} --public-key {} --log {}{cert_arg}",
            show(&d.public),
            d.draw_id,
            show(&public_draw.join(publish::NOTICE_FILE)),
            show(d.draw_dir.root()),
            show(d.draw_dir.root()),
            show(&d.pub_path),
            show(&d.log_path)
        )
    );
    Ok(ExitCode::SUCCESS)
}

/// The folders and names the demo's steps share.
struct Demo<'a> {
    lang: Lang,
    notice_lang: Option<LangArg>,
    out: &'a Path,
    private: PrivateDir,
    witness_private: PrivateDir,
    log_path: PathBuf,
    pub_path: PathBuf,
    public: PathBuf,
    witness_name: String,
    draw_id: &'static str,
    draw_dir: DrawDir,
}

impl<'a> Demo<'a> {
    fn new(a: &'a DemoArgs, lang: Lang) -> Self {
        let out = a.out.as_path();
        let draw_id = "DEMO-2026-01";
        Demo {
            lang,
            notice_lang: a.notice_lang,
            out,
            private: PrivateDir::new(out.join("private")),
            witness_private: PrivateDir::new(out.join("witness-private")),
            log_path: out.join(bundle::LOG_FILE),
            pub_path: out.join(bundle::PUBLIC_KEY_FILE),
            public: out.join(bundle::PUBLIC_DIR),
            witness_name: tr!(lang, "纪检监督员", "witness"),
            draw_id,
            draw_dir: DrawDir::new(out.join(draw_id)),
        }
    }
}

/// Refuses a missing `--data` or a non-empty `--out`, creates `--out`, and returns the data
/// folder: without `--data`, the sample rosters built into the program are written out first,
/// so the demo runs wherever the program is.
fn demo_folders(a: &DemoArgs, lang: Lang) -> Result<PathBuf, Fail> {
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
    Ok(match &a.data {
        Some(d) => d.clone(),
        None => {
            let d = a.out.join("sample-data");
            std::fs::create_dir_all(&d).map_err(|e| Fail::Io(format!("{}: {e}", show(&d))))?;
            for (name, bytes) in SAMPLE_DATA {
                files::write_new(d.join(name), bytes).map_err(BundleError::from)?;
            }
            d
        }
    })
}

/// The heading of step `n`.
fn demo_step(lang: Lang, n: u32, zh: &str, en: &str) {
    outln!();
    outln!(
        "{}",
        match lang {
            Lang::Zh => format!("第 {n} 步　{zh}"),
            Lang::En => format!("Step {n}. {en}"),
        }
    );
}

/// Step 1: the office's signing key, written unencrypted (the demo runs unattended).
fn demo_key(d: &Demo<'_>) -> Result<SecretKey, Fail> {
    let key = fresh_key()?;
    write_key_pair(&d.private, &d.pub_path, &key, None, d.lang)?;
    outln!(
        "{}",
        tr!(
            d.lang,
            "  私钥存入 {}（只有本人可读，绝不公开）；公钥存入 {}，编号 {}。\n  机关发布的每份文件都用私钥签名，任何人都能用公钥确认文件确实出自机关且未被改动。\n  演示无人值守地运行，所以私钥未加密（如同 keygen --unencrypted）；正式使用时 keygen 默认用口令加密私钥。",
            "  The secret key is in {} (readable by you only, never published); the public key in {}, id {}.\n  Every file the office publishes is signed, so anyone can confirm with the public key that it comes from the office, unchanged.\n  The demo runs unattended, so its secret key is not encrypted (as with keygen --unencrypted); keygen encrypts the key with a password by default.",
            show(&d.private.key_path()),
            show(&d.pub_path),
            key.key_id()
        )
    );
    Ok(key)
}

/// Step 2: the witness's secret, kept in its own folder; returns the commitment it gives.
fn demo_witness(d: &Demo<'_>) -> Result<Digest32, Fail> {
    let witness_secret = fresh_secret(d.draw_id, &d.witness_name)?;
    let witness_file =
        d.witness_private
            .write_secret(d.draw_id, &d.witness_name, &witness_secret)?;
    let witness_commitment = commitment(d.draw_id, &d.witness_name, &witness_secret);
    outln!(
        "{}",
        tr!(
            d.lang,
            "  监督人在自己的电脑上运行 witness，秘密数存入 {}，只把承诺值交给机关：\n    {witness_commitment}\n  承诺值写入公告后，秘密数就不能再更改；只要监督人不与机关串通，机关就无法事先算出结果。",
            "  The witness runs `witness` on its own machine; the secret stays in {}, only the commitment goes to the office:\n    {witness_commitment}\n  Once the commitment is announced the secret cannot change; unless the witness colludes, the office cannot compute the result in advance.",
            show(&witness_file)
        )
    );
    Ok(witness_commitment)
}

/// Step 3: reads and checks the rosters and plan, and tries the draw once.
fn demo_check(d: &Demo<'_>, data: &Path) -> Result<Inputs, Fail> {
    let paths = InputPaths::find(data, None).map_err(|p| Fail::Bundle(BundleError::Inputs(p)))?;
    let inputs = load(&paths)?;
    let dg = &inputs.digests;
    outln!(
        "{}",
        tr!(
            d.lang,
            "  检查对象 {} 户、检查人员 {} 人、抽查事项 {} 项、回避关系 {} 条、检查历史 {} 条，均无问题。\n  每个文件都计算了摘要（指纹），任何一处改动都会改变摘要。",
            "  {} entities, {} inspectors, {} items, {} conflicts, {} history rows: no problems.\n  Each file gets a digest (fingerprint); any change to it changes the digest.",
            dg.entities.rows,
            dg.inspectors.rows,
            dg.items.rows,
            dg.conflicts.rows,
            dg.history.rows
        )
    );
    if let Some(e) = bundle::trial_draw(&inputs) {
        return Err(Fail::Ceremony(i18n::draw_error(d.lang, &e)));
    }
    Ok(inputs)
}

/// Step 4: the announcement, its publication and timestamp; returns the time the demo's
/// clock moves to (the lottery's publication) and the timestamp authority's certificate.
fn demo_announce(
    d: &Demo<'_>,
    inputs: &Inputs,
    key: &SecretKey,
    witness_commitment: Digest32,
    now: Timestamp,
) -> Result<(Timestamp, Option<PathBuf>), Fail> {
    let organizer = authority_party_name(&inputs.plan.authority, d.lang)?;
    let organizer_secret = fresh_secret(d.draw_id, &organizer)?;
    // The lottery is published 30 minutes after the announcement: the demo's own clock moves
    // forward to it below, and says so.
    let published_at = Timestamp::from_unix(now.unix().saturating_add(30 * 60)).unwrap_or(now);
    let beacon = BeaconSpec::External {
        description: "福利彩票双色球 第 2026023 期开奖号码（演示）".into(),
        source: "https://www.cwl.gov.cn/".into(),
        published_at,
        groups: GroupSpec::shuangseqiu(),
    };
    let ann = bundle::announce(
        &d.draw_dir,
        &d.private,
        &d.log_path,
        &AnnounceRequest {
            draw_id: d.draw_id,
            inputs,
            key,
            organizer: &organizer,
            organizer_secret: &organizer_secret,
            witnesses: &[(d.witness_name.clone(), witness_commitment)],
            beacon: Some(beacon),
            announced_at: now,
            scheduled_at: published_at,
            drill: false,
        },
    )?;
    drop(organizer_secret);
    bundle::publish_office(d.out, &d.public)?;
    let ann_digest = ann
        .digest()
        .map_err(|e| Fail::Ceremony(i18n::jcs_error(d.lang, &e)))?;
    outln!(
        "{}",
        tr!(
            d.lang,
            "  公告 {} 固定了：全部输入文件的摘要、机关和监督人的承诺值、一个尚未产生的公共信标（双色球 2026023 期开奖号码，{} 公布）。\n  公告摘要：{ann_digest}\n  公告已签名并记入机关日志 {}；日志是哈希链，删改任何一条都会被发现。",
            "  The announcement {} fixes: every input's digest, the office's and the witness's commitments, and a public beacon not yet known (双色球 lottery draw 2026023, published {}).\n  Announcement digest: {ann_digest}\n  It is signed and recorded in the office log {}; the log is a hash chain, so removing or editing an entry shows.",
            show(&d.draw_dir.path(bundle::ANNOUNCEMENT_FILE)),
            show_time(d.lang, published_at),
            show(&d.log_path)
        )
    );
    let tsa_cert = demo_timestamp(d.lang, d.notice_lang, d.out, &d.draw_dir, now)?;

    // The lottery is published after the announcement; the demo does not wait for it.
    let draw_time = published_at;
    outln!();
    outln!(
        "{}",
        tr!(
            d.lang,
            "（演示时钟：从 {} 拨到开奖公布时间 {}。真实抽取要等到开奖结果公布后才能进行。）",
            "(Demo clock: moved forward from {} to the lottery's publication, {}. A real draw waits until the result is published.)",
            show_time(d.lang, now),
            show_time(d.lang, draw_time)
        )
    );
    Ok((draw_time, tsa_cert))
}

/// Step 5: the reveals and the lottery's value, the draw, and each stratum's chance.
fn demo_draw(d: &Demo<'_>, key: &SecretKey, draw_time: Timestamp) -> Result<bundle::Drawn, Fail> {
    let witness_reveal = d.witness_private.read_secret(d.draw_id, &d.witness_name)?;
    let groups = GroupSpec::shuangseqiu();
    let value = read_typed(&groups, DEMO_LOTTERY_VALUE)
        .map_err(|e| Fail::Ceremony(i18n::group_error(d.lang, &e)))?;
    outln!(
        "{}",
        tr!(
            d.lang,
            "  开奖号码照公布的样子录入（演示值）：{DEMO_LOTTERY_VALUE}\n  程序按公告规定的格式读作：{}（红球从小到大，蓝球在后）；无论怎么写，同一组号码只有这一种读法。",
            "  The numbers are typed as published (a demonstration value): {DEMO_LOTTERY_VALUE}\n  Read by the announced shape as: {} (red balls ascending, then the blue ball); every spelling of the same numbers reads the same.",
            groups_text(&value)
        )
    );
    let drawn = bundle::draw(
        &d.draw_dir,
        &d.private,
        &d.log_path,
        &DrawRequest {
            key,
            reveals: &[(d.witness_name.clone(), witness_reveal)],
            beacon: Some(BeaconValue::External { groups: value }),
            drawn_at: draw_time,
        },
        &mut Bar::new(),
    )?;
    outln!(
        "{}",
        tr!(
            d.lang,
            "  监督人和机关揭示秘密数，程序核对它们与承诺值相符；信标值公开可查。\n  种子 = 公告摘要 + 各方秘密数 + 信标值 的哈希：{}\n  程序用这个种子按公开的规则抽取检查对象和检查人员：",
            "  The witness and the office reveal their secrets, checked against the commitments; the beacon value is public.\n  seed = hash of announcement digest, secrets and beacon value: {}\n  The draw follows public rules from this seed:",
            drawn.sheet.seed
        )
    );
    for s in &drawn.sheet.strata {
        outln!(
            "{}",
            tr!(
                d.lang,
                "    {}：共 {} 户，抽取 {} 户，每户被抽中的机会 {}",
                "    {}: {} entities, {} drawn, each with chance {}",
                i18n::stratum_name(d.lang, &s.stratum),
                s.n,
                s.k,
                i18n::chance(s.k, s.n)
            )
        );
    }
    Ok(drawn)
}

/// Step 6: the notice and tables, and the public folder.
fn demo_publish(d: &Demo<'_>, drawn: &bundle::Drawn) -> Result<(), Fail> {
    write_views(
        &d.draw_dir,
        &drawn.announcement,
        &drawn.sheet,
        &[],
        &drawn.inputs.items,
        d.notice_lang,
    )?;
    bundle::publish_office(d.out, &d.public)?;
    outln!(
        "{}",
        tr!(
            d.lang,
            "  {} 是签名的结果表（可重放的记录）；{} 可直接用 Excel 打开上报；{} 是可打印的公示页。",
            "  {} is the signed result (the replayable record); {} opens in Excel for the publicity system; {} is the printable notice.",
            show(&d.draw_dir.path(bundle::SHEET_FILE)),
            show(&d.draw_dir.path("sheet.csv")),
            show(&d.draw_dir.path("notice.html"))
        )
    );
    Ok(())
}

/// Step 7: replaces the first entity whose stratum has members left, and republishes.
fn demo_amend(
    d: &Demo<'_>,
    key: &SecretKey,
    drawn: &bundle::Drawn,
    draw_time: Timestamp,
) -> Result<(), Fail> {
    // The first entity whose stratum has members left to replace it.
    let has_spare = |e: &&double_random::ceremony::sheet::SheetEntity| {
        let label = drawn
            .inputs
            .entities
            .iter()
            .find(|x| x.id == e.id)
            .and_then(|x| drawn.inputs.plan.stratum_of(x))
            .map(|st| st.label().to_string());
        drawn
            .sheet
            .strata
            .iter()
            .any(|s| s.k < s.n && label.as_deref() == Some(s.stratum.as_str()))
    };
    let Some(first) = drawn
        .sheet
        .entities
        .iter()
        .find(has_spare)
        .or(drawn.sheet.entities.first())
    else {
        return Err(Fail::Ceremony(tr!(
            d.lang,
            "示例抽取没有抽中任何对象",
            "the demo draw drew nothing"
        )));
    };
    let victim = first.id.clone();
    let victim_name = first.name.clone();
    let (amendment, _) = bundle::amend(
        &d.draw_dir,
        &d.log_path,
        key,
        Action::ReplaceEntity {
            entity: victim.clone(),
        },
        Reason {
            code: ReasonCode::EntityUnreachable,
            text: tr!(
                d.lang,
                "现场核查：通过登记的住所无法联系（演示）",
                "on site: not found at the registered address (demo)"
            ),
        },
        Timestamp::from_unix(draw_time.unix().saturating_add(3600)).unwrap_or(draw_time),
        &mut Bar::new(),
    )?;
    let all: Vec<Amendment> = d
        .draw_dir
        .read_amendments()?
        .into_iter()
        .map(|d| d.value)
        .collect();
    write_views(
        &d.draw_dir,
        &drawn.announcement,
        &drawn.sheet,
        &all,
        &drawn.inputs.items,
        d.notice_lang,
    )?;
    bundle::publish_office(d.out, &d.public)?;
    if let Outcome::ReplaceEntity { entity: new } = &amendment.outcome {
        outln!(
            "{}",
            tr!(
                d.lang,
                "  {victim_name}（{victim}）无法联系。替补不是挑选的：它是同一层抽取序列的下一个，在知道谁需要替换之前就已确定。\n  替补：{}（{}）。补抽记录 {} 已签名、记入日志，公示页已更新。",
                "  {victim_name} ({victim}) cannot be reached. The replacement is not chosen: it is the next pick of the same stratum, fixed before anyone knew who would need replacing.\n  Replacement: {} ({}). Amendment {} is signed and logged; the notice is updated.",
                new.name,
                new.id,
                show(&d.draw_dir.path(&bundle::amendment_file(amendment.seq)))
            )
        );
    }
    Ok(())
}

/// Step 8: verifies the public folder as anyone would; returns whether it passed and the
/// `--tsa-cert` argument of the command shown.
fn demo_verify(d: &Demo<'_>, tsa_cert: Option<&Path>) -> Result<(bool, String), Fail> {
    let public_draw = d.public.join(d.draw_id);
    let public_key = d.public.join(bundle::PUBLIC_KEY_FILE);
    let public_log = d.public.join(bundle::LOG_FILE);
    let pk = bundle::read_public_key_file(&public_key)?;
    let mut certs = vec![];
    let mut cert_arg = String::new();
    if let Some(c) = tsa_cert {
        certs = read_certificates(c)?;
        cert_arg = format!(" --tsa-cert {}", show(c));
    }
    let opts = bundle::VerifyOptions {
        public_key: Some(&pk),
        log: Some(&public_log),
        strict: false,
        tsa_certificates: &certs,
    };
    let v = bundle::verify_dir_with(&public_draw, &opts, &mut Bar::new())?;
    outln!(
        "{}",
        tr!(
            d.lang,
            "  核验者只需要公开文件夹 {} 中的文件和机关的公钥：\n    double-random verify {} --public-key {} --log {}{cert_arg}",
            "  A verifier needs only the files of the public folder {} and the office's public key:\n    double-random verify {} --public-key {} --log {}{cert_arg}",
            show(&d.public),
            show(&public_draw),
            show(&public_key),
            show(&public_log)
        )
    );
    print_verification(d.lang, &public_draw, &v, Some(&public_log));
    Ok((v.passed(), cert_arg))
}

#[cfg(test)]
mod tests {
    use super::*;
    use double_random::formats::error::InputErrorKind;

    #[test]
    fn a_password_file_gives_its_first_line() {
        let line = |b: &[u8]| password_line(b).to_vec();
        assert_eq!(line("口令 pw\n".as_bytes()), "口令 pw".as_bytes());
        assert_eq!(line(b"pw\r\nsecond line\r\n"), b"pw");
        assert_eq!(line(b"\xEF\xBB\xBFpw\n"), b"pw");
        assert_eq!(line(b" pw "), b" pw ");
        assert_eq!(line(b"\n"), b"");
        assert_eq!(line(b""), b"");
    }

    #[test]
    fn shell_words_paste_as_one_argument() {
        assert_eq!(shell_word("GY-2026-01=ab12"), "GY-2026-01=ab12");
        if cfg!(windows) {
            assert_eq!(shell_word("王 监督=a b"), "\"王 监督=a b\"");
        } else {
            assert_eq!(shell_word("王 监督=a b"), "'王 监督=a b'");
            assert_eq!(shell_word("纪检监督员=x"), "'纪检监督员=x'");
            assert_eq!(shell_word("it's"), "'it'\\''s'");
            assert_eq!(shell_word(""), "''");
            assert_eq!(shell_word("$HOME;rm"), "'$HOME;rm'");
        }
    }

    #[test]
    fn the_terminal_is_shown_the_first_drawn_entities_and_told_how_many_were_drawn() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/vectors/ceremony-recusals/GY-2026-03-R");
        let read = |f: &str| std::fs::read(dir.join(f)).unwrap();
        let ann = Announcement::parse(&read("announcement.json")).unwrap();
        let mut sheet = Sheet::parse(&read("sheet.json")).unwrap();
        let table = |sheet: &Sheet| {
            let view = Publication::new(&ann, sheet, &[], None).unwrap();
            let mut rows = Vec::new();
            let drawn = drawn_rows(Lang::En, &view, &mut rows);
            (rows, drawn)
        };
        let (rows, drawn) = table(&sheet);
        assert_eq!(
            (rows.len(), drawn),
            (sheet.entities.len(), sheet.entities.len())
        );
        assert_eq!(rows[0][1], sheet.entities[0].id);
        // A sheet of more entities than are printed: the first ones, and the whole count.
        let first = sheet.entities[0].clone();
        for i in sheet.entities.len()..PRINTED_ROWS + 50 {
            let mut e = first.clone();
            e.id = format!("{}{i:04}", &first.id[..14]);
            sheet.entities.push(e);
        }
        let (rows, drawn) = table(&sheet);
        assert_eq!((rows.len(), drawn), (PRINTED_ROWS, PRINTED_ROWS + 50));
        assert_eq!(rows[PRINTED_ROWS - 1][0], PRINTED_ROWS.to_string());
    }

    #[test]
    fn the_notice_keeps_its_language_unless_asked() {
        let dir = tempfile::tempdir().unwrap();
        let draw_dir = DrawDir::new(dir.path());
        assert_eq!(
            notice_settings(&draw_dir, None),
            (publish::Lang::Zh, Zone::BEIJING)
        );
        std::fs::write(
            dir.path().join(publish::NOTICE_FILE),
            "<html lang=\"en\">\n<meta name=\"utc-offset\" content=\"-05:00\">",
        )
        .unwrap();
        let ny: Zone = "-05:00".parse().unwrap();
        assert_eq!(notice_settings(&draw_dir, None), (publish::Lang::En, ny));
        assert_eq!(
            notice_settings(&draw_dir, Some(LangArg::Zh)),
            (publish::Lang::Zh, ny)
        );
    }

    fn said(group: &str, line: u64) -> (Option<String>, String, Option<u64>) {
        (
            Some(group.to_owned()),
            format!("e.xlsx:{line}: format the column as Text"),
            Some(line),
        )
    }

    #[test]
    fn repeated_problems_are_said_once_with_their_count_and_next_lines() {
        let mut all: Vec<_> = (2..124)
            .map(|l| said("e.xlsx|id|NumberInCodeColumn ", l))
            .collect();
        all.insert(1, (None, "plan.toml:3: other".to_owned(), None));
        let short = grouped(Lang::En, all.clone(), false);
        assert_eq!(
            short,
            [
                "e.xlsx:2: format the column as Text",
                "  … the same 122 times in all, also at lines 3, 4, 5 and more; --verbose lists each",
                "plan.toml:3: other",
            ]
        );
        let zh = grouped(Lang::Zh, all.clone(), false);
        assert_eq!(
            zh[1],
            "  ……同样的问题共 122 处，另见第 3、4、5 行等；加 --verbose 逐条列出"
        );
        assert_eq!(grouped(Lang::En, all, true).len(), 123);
    }

    #[test]
    fn a_problem_said_once_has_no_summary_and_kinds_ignore_values() {
        let one = grouped(Lang::En, vec![said("g", 7)], false);
        assert_eq!(one, ["e.xlsx:7: format the column as Text"]);
        // Problems group by their code, which holds no value of the row.
        let a = InputErrorKind::NumberInCodeColumn {
            value: "9.1E+17".into(),
        };
        let b = InputErrorKind::NumberInCodeColumn {
            value: "9.2E+17".into(),
        };
        assert_eq!(a.code(), b.code());
        assert_eq!(a.code(), "input.number_in_code_column");
        assert_ne!(a.code(), InputErrorKind::EmptyFile.code());
    }
}
