//! Messages in Chinese (the default) and English.
//!
//! The library's errors are structured; this module renders them for people, in the language
//! chosen with `--lang` or by `LC_ALL` / `LC_MESSAGES` / `LANG` (a value starting with `en`
//! selects English). Free-text details that come from deep inside the library stay in English.

use double_random::bundle::{BundleError, DrawState, InputNote, InputProblem};
use double_random::ceremony::CeremonyError;
use double_random::ceremony::log::{AppendError, EntryKind, LogFinding, OrderProblem};
use double_random::ceremony::verify::Finding;
use double_random::codes::{CodeError, CodeKind, CodeWarning};
use double_random::draw::DrawError;
use double_random::draw::teams::CapKind;
use double_random::formats::error::{InputError, InputErrorKind, InputWarningKind, WorkbookLimit};
use double_random::formats::files::FileError;
use double_random::formats::plan_toml::{PlanError, PlanErrorKind, RatioProblem};
use double_random::names::{CharProblem, NameError, NameKind, NameProblem};
use double_random::publish::check::{DifferenceKind, NotChecked, ViewDifference};
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

/// A check performed by the verifier, in words.
pub fn checked(lang: Lang, text: &str) -> String {
    if lang == Lang::En {
        return text.to_string();
    }
    if let Some(doc) = text.strip_prefix("signature of ") {
        return format!("{doc} 的签名");
    }
    if let Some(doc) = text.strip_prefix("replay of ") {
        return format!("重放 {doc}");
    }
    if let Some(rest) = text.strip_prefix("the office log records the documents (") {
        return format!(
            "机关日志（{}）完好，并记录了这些文件",
            rest.trim_end_matches(')')
        );
    }
    match text {
        "the sheet cites the announcement" => "结果表引用的是本公告".into(),
        "commitments, beacon and seed derivation" => "承诺值、信标与种子推导".into(),
        "each stratum's k against the plan's quota for its n" => {
            "各层抽取数 k 符合计划按总数 n 计算的比例".into()
        }
        "input digests against the announcement" => "输入文件的摘要与公告一致".into(),
        "full replay of the draw" => "完整重放抽取过程".into(),
        other => other.to_string(),
    }
}

/// A verification finding.
pub fn finding(lang: Lang, f: &Finding) -> String {
    if lang == Lang::En {
        return f.to_string();
    }
    match f {
        Finding::Unreadable { document, detail } if document.ends_with(".log") => {
            let d = if let Some((id, note)) = detail
                .strip_prefix("the log records draw ")
                .and_then(|r| r.split_once(" as void: "))
            {
                format!("日志记载抽取 {id} 已作废：{note}")
            } else if let Some(name) = detail
                .split_once(" of draw ")
                .filter(|(_, r)| r.ends_with(" is not recorded in the log"))
                .map(|(n, _)| n)
            {
                format!("{name} 没有记入日志")
            } else {
                detail.clone()
            };
            format!("{document}：{d}")
        }
        Finding::Unreadable { document, detail }
            if detail == "the log records a sheet, but the folder holds none" =>
        {
            format!("{document}：日志记载已有结果表，但文件夹中没有")
        }
        Finding::Unreadable { document, detail } => format!("{document}：无法读取：{detail}"),
        Finding::Signature { document, detail } => {
            format!("{document}：签名核验失败（文件被改动或不是此公钥签署）：{detail}")
        }
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
        Finding::InputChanged {
            input,
            announced,
            found,
        } => format!("{input}：摘要 {found} 与公告中的 {announced} 不同，文件在公告后被改动"),
        Finding::SeedInputs { detail } => format!("种子：{detail}"),
        Finding::Seed { expected, found } => {
            format!("种子：结果表中为 {found}，按公告和揭示值推导应为 {expected}")
        }
        Finding::Stratum {
            stratum,
            field,
            expected,
            found,
        } => format!(
            "层 {}：{field} 在结果表中为 {found}，重放得 {expected}",
            stratum_name(lang, stratum)
        ),
        Finding::EntityMissing { id } => format!("检查对象 {id}：重放抽中了它，但结果表中没有"),
        Finding::EntityExtra { id } => format!("检查对象 {id}：在结果表中，但重放没有抽中它"),
        Finding::EntityField {
            id,
            field,
            expected,
            found,
        } => format!("检查对象 {id}：{field} 在结果表中为 {found}，重放得 {expected}"),
        Finding::Differs { document, part } => format!("{document}：{part} 与重放结果不同"),
        Finding::ReplayFailed { detail } => format!("重放失败：{detail}"),
        Finding::Unpublished { document, line } => {
            format!("{document}：机关日志第 {line} 行记载了它，但没有公开发布")
        }
        Finding::Reused {
            document,
            party,
            what,
            other,
        } => {
            let w = if *what == "secret" {
                "秘密数"
            } else {
                "承诺值"
            };
            format!("{document}：{party} 的{w}已在抽取 {other} 中用过")
        }
        Finding::Timestamp { document, detail } => format!("{document}：{detail}"),
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
            format!("第 {line} 行：不是有效的日志条目：{reason}")
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
        other => other.to_string(),
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
        CeremonyError::Beacon(b) => format!("信标：{b}"),
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
            format!("{document} 不是有效的文件：{source}")
        }
        CeremonyError::WrongFormat { expected, found } => {
            format!("应为 {expected} 文件，实际是 {found:?}")
        }
        CeremonyError::UnsupportedVersion { found } => {
            format!("算法版本 {found:?} 不受支持（本程序实现 v1）")
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
            format!("{}：找不到（{}）", path.display(), what_name(what))
        }
        BundleError::Exists { path } => format!(
            "{} 已存在：公告、结果表、补抽记录和密钥从不覆盖，本次未作任何改动",
            path.display()
        ),
        BundleError::NotUtf8 { path } => format!("{}：不是 UTF-8 文本", path.display()),
        BundleError::Document { path, source } => {
            format!("{}：{}", path.display(), ceremony_error(lang, source))
        }
        BundleError::Sign { path, source } => format!("{}：{source}", path.display()),
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

fn what_name(what: &str) -> String {
    match what {
        "the announcement" => "抽查公告".into(),
        "the result sheet" => "结果表".into(),
        "the result sheet (amendments follow the draw)" => "结果表（补抽只能在抽取之后）".into(),
        "an amendment" => "补抽记录".into(),
        "the organizer's public key" => "组织者公钥".into(),
        "the organizer's secret key (made by keygen)" => "组织者私钥（由 keygen 生成）".into(),
        "a seed secret" => "秘密数".into(),
        "the signature" => "签名".into(),
        other => other.to_string(),
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

    #[test]
    fn lang_from_args() {
        let a = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(detect(&a(&["x", "--lang", "en", "verify"])), Lang::En);
        assert_eq!(detect(&a(&["x", "--lang=zh"])), Lang::Zh);
    }
}
