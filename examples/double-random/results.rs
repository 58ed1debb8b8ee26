//! Outcome records on the command line (一公开): `record`, `correct`, `status`, and the outcome
//! part of `verify` (SPEC §18).

use crate::args::{RecordArgs, StatusArgs};
use crate::commands::{Fail, load_key, now, office_hint, show};
use crate::i18n::{self, Lang};
use crate::verify_json::review_json;
use double_random::Digest32;
use double_random::bundle::{DrawDir, PrivateDir};
use double_random::ceremony::Timestamp;
use double_random::ceremony::amend::Amendment;
use double_random::ceremony::calendar::{Calendars, YearCalendar};
use double_random::ceremony::outcomes::{
    self, Correction, EntityResult, OutcomeFinding, OutcomeRecord, Review, ReviewInputs,
    SignedRecord, Standing, Vocabulary, form,
};
use double_random::ceremony::sheet::Sheet;
use double_random::formats::files;
use double_random::model::Date;
use double_random::sign::PublicKey;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Largest record or form read (bytes).
const MAX_BYTES: u64 = 64 << 20;

/// A record file as found in the draw folder.
pub struct Loaded {
    /// `outcomes-<n>.json`.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Its `.minisig` text, when present.
    pub signature: Option<String>,
}

/// The sheet, its amendments and the outcome records of a draw folder.
pub struct DrawOutcomes {
    /// The sheet.
    pub sheet: Sheet,
    /// Its amendments, in order.
    pub amendments: Vec<Amendment>,
    /// The records found, in order (`outcomes-1.json`, `outcomes-2.json`, … while present).
    pub records: Vec<Loaded>,
}

fn read(path: &Path) -> Result<Vec<u8>, Fail> {
    files::read_limited(path, MAX_BYTES).map_err(|e| Fail::Io(format!("{}: {e}", show(path))))
}

/// Reads what outcome records are checked against.
pub fn read_draw(dir: &Path, lang: Lang) -> Result<DrawOutcomes, Fail> {
    let d = DrawDir::new(dir);
    let Some(sheet) = d.read_sheet()? else {
        return Err(Fail::Ceremony(tr!(
            lang,
            "{} 还没有抽取（没有 sheet.json），不能记录检查结果",
            "{} has not been drawn (no sheet.json): there is nothing to record results for",
            show(dir)
        )));
    };
    let amendments = d.read_amendments()?.into_iter().map(|a| a.value).collect();
    let mut records = vec![];
    for seq in 1u32.. {
        let name = format!("outcomes-{seq}.json");
        if !d.has(&name) {
            break;
        }
        let bytes = read(&d.path(&name))?;
        let sig_path = d.path(&format!("{name}.minisig"));
        let signature = if sig_path.exists() {
            Some(String::from_utf8_lossy(&read(&sig_path)?).into_owned())
        } else {
            None
        };
        records.push(Loaded {
            name,
            bytes,
            signature,
        });
    }
    Ok(DrawOutcomes {
        sheet: sheet.value,
        amendments,
        records,
    })
}

/// The office folder of a draw folder: its parent (`.` when it has none).
fn office_of(dir: &Path) -> PathBuf {
    match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Loads the calendars named, or else every `holidays-*.toml` in `dirs` (first folder that has
/// any).
pub fn load_calendars(given: &[PathBuf], dirs: &[PathBuf], lang: Lang) -> Result<Calendars, Fail> {
    let mut paths = given.to_vec();
    if paths.is_empty() {
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("holidays-") && n.ends_with(".toml"))
                })
                .collect();
            found.sort();
            if !found.is_empty() {
                paths = found;
                break;
            }
        }
    }
    let mut cals = Calendars::default();
    for p in &paths {
        let text = String::from_utf8(read(p)?).map_err(|_| {
            Fail::Io(tr!(
                lang,
                "{} 不是 UTF-8 文本",
                "{} is not UTF-8 text",
                show(p)
            ))
        })?;
        let cal = YearCalendar::from_toml(&show(p), &text)
            .map_err(|e| Fail::Usage(i18n::calendar_error(lang, &e)))?;
        cals.add(&show(p), cal)
            .map_err(|e| Fail::Usage(i18n::calendar_error(lang, &e)))?;
    }
    Ok(cals)
}

/// The vocabulary named, or else `results.toml` in the first of `dirs` that has one.
pub fn load_vocabulary(
    given: Option<&Path>,
    dirs: &[PathBuf],
    lang: Lang,
) -> Result<Option<Vocabulary>, Fail> {
    let path = match given {
        Some(p) => p.to_path_buf(),
        None => match dirs
            .iter()
            .map(|d| d.join("results.toml"))
            .find(|p| p.is_file())
        {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    let text = String::from_utf8(read(&path)?).map_err(|_| {
        Fail::Io(tr!(
            lang,
            "{} 不是 UTF-8 文本",
            "{} is not UTF-8 text",
            show(&path)
        ))
    })?;
    Vocabulary::from_toml(&show(&path), &text)
        .map(Some)
        .map_err(|e| Fail::Usage(e.to_string()))
}

fn parse_date(flag: &str, raw: &str, lang: Lang) -> Result<Date, Fail> {
    raw.trim().parse().map_err(|_| {
        Fail::Usage(tr!(
            lang,
            "{flag} 应为日期，如 2026-03-31，收到 {raw:?}",
            "{flag} must be a date such as 2026-03-31, got {raw:?}"
        ))
    })
}

/// `--today`, or today in 北京时间.
fn today(raw: Option<&str>, lang: Lang) -> Result<Date, Fail> {
    match raw {
        Some(r) => parse_date("--today", r, lang),
        None => Ok(outcomes::beijing_date(now(lang)?)),
    }
}

/// The rows of an .xlsx form's first sheet, as text.
#[cfg(feature = "xlsx")]
fn xlsx_rows(path: &Path, bytes: Vec<u8>, lang: Lang) -> Result<Vec<Vec<String>>, Fail> {
    use calamine::{Data, Reader};
    let bad = |e: &dyn std::fmt::Display| {
        Fail::Io(tr!(
            lang,
            "{}：无法读取工作簿：{e}",
            "{}: cannot read the workbook: {e}",
            show(path)
        ))
    };
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|e| bad(&e))?;
    let range = match book.worksheet_range_at(0) {
        Some(r) => r.map_err(|e| bad(&e))?,
        None => return Ok(vec![]),
    };
    let excel_epoch = Date::from_ymd(1899, 12, 30);
    Ok(range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    // A date cell: days since 1899-12-30.
                    Data::DateTime(d) => excel_epoch
                        .and_then(|e| e.add_days(d.as_f64().floor() as i64))
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect())
}

/// Reads the results form; its problems are printed and end the command (exit 1).
fn read_form(path: &Path, lang: Lang) -> Result<Vec<EntityResult>, Fail> {
    let bytes = read(path)?;
    let name = show(path);
    let is_xlsx = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let rows = if is_xlsx {
        #[cfg(feature = "xlsx")]
        {
            xlsx_rows(path, bytes, lang)?
        }
        #[cfg(not(feature = "xlsx"))]
        {
            return Err(Fail::Usage(tr!(
                lang,
                "此版本不读 .xlsx，请另存为 CSV",
                "this build does not read .xlsx: save the form as CSV"
            )));
        }
    } else {
        match form::csv_rows(&name, &bytes) {
            Ok(r) => r,
            Err(errs) => return Err(print_form_errors(lang, &errs)),
        }
    };
    form::read_rows(&name, &rows).map_err(|errs| print_form_errors(lang, &errs))
}

fn print_form_errors(lang: Lang, errs: &[form::FormError]) -> Fail {
    for e in errs {
        errln!("{}", i18n::form_error(lang, e));
    }
    errln!(
        "{}",
        tr!(
            lang,
            "结果表有 {} 处问题，未写出任何记录。",
            "The form has {} problems; no record was written.",
            errs.len()
        )
    );
    Fail::Reported
}

fn review_of(
    d: &DrawOutcomes,
    extra: Option<(&str, &[u8])>,
    calendars: &Calendars,
    vocabulary: Option<&Vocabulary>,
    today: Date,
    inspections_end: Option<Date>,
) -> Review {
    let mut records: Vec<(&str, &[u8])> = d
        .records
        .iter()
        .map(|r| (r.name.as_str(), r.bytes.as_slice()))
        .collect();
    records.extend(extra);
    outcomes::review(&ReviewInputs {
        sheet: &d.sheet,
        amendments: &d.amendments,
        records: &records,
        calendars,
        vocabulary,
        today,
        inspections_end,
    })
}

/// `record` (and `correct`, which cites the records it corrects).
pub fn record(a: RecordArgs, correcting: bool, lang: Lang) -> Result<ExitCode, Fail> {
    let published_at = now(lang)?;
    record_at(&a, correcting, published_at, lang).map(|_| ExitCode::SUCCESS)
}

/// [`record`] at a given time; returns the review after the new record.
pub fn record_at(
    a: &RecordArgs,
    correcting: bool,
    published_at: Timestamp,
    lang: Lang,
) -> Result<Review, Fail> {
    let d = read_draw(&a.dir, lang)?;
    let mut results = read_form(&a.form, lang)?;
    let office = a.office.office.clone();
    let calendars = load_calendars(&a.calendar, &[office.clone(), a.dir.clone()], lang)?;
    let vocabulary = load_vocabulary(
        a.vocabulary.as_deref(),
        &[office.clone(), a.dir.clone()],
        lang,
    )?;
    let published_on = outcomes::beijing_date(published_at);
    let before = review_of(
        &d,
        None,
        &calendars,
        vocabulary.as_ref(),
        published_on,
        None,
    );
    let previous = before.records.clone();
    if previous.len() < d.records.len() {
        return Err(Fail::Ceremony(tr!(
            lang,
            "{} 无法读取，不能在其后追加记录",
            "{} cannot be read; no record can follow it",
            d.records[previous.len()].name
        )));
    }
    cite_corrected(a, correcting, &d, &before, &mut results, lang)?;
    let inspections_end = inspections_end_of(a, &previous, lang)?;
    let rec = OutcomeRecord::next(
        &d.sheet,
        &d.amendments,
        &previous,
        results,
        published_at,
        inspections_end,
    )
    .map_err(|e| Fail::Ceremony(i18n::jcs_error(lang, &e)))?;
    let name = rec.file_name();
    let bytes = rec
        .to_canonical()
        .map_err(|e| Fail::Ceremony(i18n::jcs_error(lang, &e)))?;
    let after = review_of(
        &d,
        Some((&name, &bytes)),
        &calendars,
        vocabulary.as_ref(),
        published_on,
        Some(inspections_end),
    );
    let late = late_unless_refused(&after, &name, lang)?;
    publish_record(a, &d.sheet.draw_id, &name, &bytes, lang)?;
    print_recorded(&a.dir, correcting, &name, rec.results.len(), lang);
    for f in late {
        outln!("  {}", i18n::outcome_finding(lang, f));
    }
    print_completion(lang, &after);
    let views = write_results_views(&a.dir, &office, &d.sheet, &after, published_on, lang)?;
    outln!(
        "{}",
        tr!(
            lang,
            "  已写出：{}（公示系统的列；可直接上报）。",
            "  Wrote {} (the publicity system's columns, ready to upload).",
            views.join("、")
        )
    );
    Ok(after)
}

/// For `correct`, has each of `results` cite the record that holds the entity's published
/// result, with `--text` as the reason; for `record`, refuses a `--text`.
fn cite_corrected(
    a: &RecordArgs,
    correcting: bool,
    d: &DrawOutcomes,
    before: &Review,
    results: &mut [EntityResult],
    lang: Lang,
) -> Result<(), Fail> {
    let text = a
        .text
        .as_deref()
        .map(double_random::normalize::text)
        .unwrap_or_default();
    if !correcting {
        if text.is_empty() {
            return Ok(());
        }
        return Err(Fail::Usage(tr!(
            lang,
            "--text 只用于 correct（更正原因）",
            "--text is for correct (the reason for a correction)"
        )));
    }
    if text.is_empty() {
        return Err(Fail::Usage(tr!(
            lang,
            "请用 --text 写明更正原因",
            "give the reason for the correction with --text"
        )));
    }
    for r in results {
        let holder = before
            .entities
            .iter()
            .find(|s| s.entity.id == r.entity)
            .and_then(|s| match &s.standing {
                Standing::Published { document, .. } => Some(document.clone()),
                _ => None,
            });
        let Some(holder) = holder else {
            return Err(Fail::Usage(tr!(
                lang,
                "{} 还没有已公示的结果，无可更正；请用 record",
                "{} has no published result to correct; use record",
                r.entity
            )));
        };
        let bytes = d
            .records
            .iter()
            .find(|l| l.name == holder)
            .map(|l| l.bytes.as_slice())
            .unwrap_or_default();
        r.corrects = Some(Correction {
            document: Digest32::of(bytes),
            reason: text.clone(),
        });
    }
    Ok(())
}

/// The date the task's inspections end: `--inspections-end`, else the last record's; the
/// first record must give it.
fn inspections_end_of(
    a: &RecordArgs,
    previous: &[OutcomeRecord],
    lang: Lang,
) -> Result<Date, Fail> {
    match (&a.inspections_end, previous.last()) {
        (Some(raw), _) => parse_date("--inspections-end", raw, lang),
        (None, Some(p)) => Ok(p.inspections_end),
        (None, None) => Err(Fail::Usage(tr!(
            lang,
            "第一份结果记录须用 --inspections-end 写明本次任务的检查完成期限",
            "the first outcome record needs --inspections-end, the date the task's inspections end"
        ))),
    }
}

/// The new record `name`'s late findings (printed after it is written); any other finding
/// on it is printed and refuses the record.
fn late_unless_refused<'a>(
    after: &'a Review,
    name: &str,
    lang: Lang,
) -> Result<Vec<&'a OutcomeFinding>, Fail> {
    let (late, refused): (Vec<&OutcomeFinding>, Vec<&OutcomeFinding>) = after
        .findings
        .iter()
        .filter(|f| f.document() == Some(name))
        .partition(|f| {
            matches!(
                f,
                OutcomeFinding::Late { .. } | OutcomeFinding::Calendar { .. }
            )
        });
    if refused.is_empty() {
        return Ok(late);
    }
    for f in &refused {
        errln!("{}", i18n::outcome_finding(lang, f));
    }
    Err(Fail::Ceremony(tr!(
        lang,
        "结果表有 {} 处与抽取不符，未写出任何记录",
        "{} results do not fit the draw; no record was written",
        refused.len()
    )))
}

/// Signs and publishes the record `name` in the draw folder, and copies it with its
/// signature into the office's public copy when there is one.
fn publish_record(
    a: &RecordArgs,
    draw_id: &str,
    name: &str,
    bytes: &[u8],
    lang: Lang,
) -> Result<(), Fail> {
    let office = &a.office.office;
    let private = PrivateDir::new(a.office.private_dir());
    let key = load_key(&private, &a.password, lang).map_err(|e| office_hint(e, office, lang))?;
    let folder = DrawDir::new(&a.dir);
    folder.publish(name, bytes, &key, draw_id)?;
    // The public copy of the office, when there is one, gets the record too.
    let public = office.join(double_random::bundle::PUBLIC_DIR).join(draw_id);
    if public.is_dir() {
        for n in [name.to_string(), format!("{name}.minisig")] {
            let bytes = read(&folder.path(&n))?;
            files::write_new(public.join(&n), &bytes)
                .map_err(|e| Fail::Io(format!("{}: {e}", show(&public.join(&n)))))?;
        }
    }
    Ok(())
}

/// Says that the record `name` (or the correction) of `count` entities was written.
fn print_recorded(dir: &Path, correcting: bool, name: &str, count: usize, lang: Lang) {
    outln!(
        "{}",
        if correcting {
            tr!(
                lang,
                "已记录更正 {}：{} 户的结果，各自引用被更正的记录。",
                "Recorded correction {}: results of {} entities, each citing the record it corrects.",
                show(&DrawDir::new(dir).path(name)),
                count
            )
        } else {
            tr!(
                lang,
                "已记录检查结果 {}：{} 户，已签名。",
                "Recorded results {}: {} entities, signed.",
                show(&DrawDir::new(dir).path(name)),
                count
            )
        }
    );
}

/// The items' names from the draw folder's `items.csv`, when it is there and readable.
fn item_names(dir: &Path) -> std::collections::BTreeMap<String, String> {
    let Ok(bytes) = std::fs::read(dir.join("items.csv")) else {
        return Default::default();
    };
    double_random::formats::roster_csv::read_items("items.csv", bytes.as_slice())
        .map(|r| r.rows.into_iter().map(|i| (i.id, i.name)).collect())
        .unwrap_or_default()
}

/// Writes `results.csv`, `results.xlsx` and `results.html` into the draw folder (replacing
/// earlier ones: they are views of the records) and into the office's public copy.
fn write_results_views(
    dir: &Path,
    office: &Path,
    sheet: &Sheet,
    review: &Review,
    as_of: Date,
    lang: Lang,
) -> Result<Vec<String>, Fail> {
    use double_random::publish::results as views;
    let names = item_names(dir);
    let table = views::results_table(sheet, review, &names);
    let publish_lang = i18n::publish_lang(lang);
    let mut out: Vec<(&str, Vec<u8>)> = vec![];
    out.push((
        views::RESULTS_CSV_FILE,
        views::results_csv(&table).map_err(|e| Fail::Io(e.to_string()))?,
    ));
    #[cfg(feature = "xlsx")]
    {
        let created = review
            .records
            .last()
            .map_or(sheet.drawn_at, |r| r.published_at);
        out.push((
            views::RESULTS_XLSX_FILE,
            views::results_xlsx(sheet, &table, created).map_err(|e| Fail::Io(e.to_string()))?,
        ));
    }
    out.push((
        views::RESULTS_NOTICE_FILE,
        views::results_notice(sheet, review, &names, as_of, publish_lang).into_bytes(),
    ));
    let public = office
        .join(double_random::bundle::PUBLIC_DIR)
        .join(&sheet.draw_id);
    let mut written = vec![];
    for (name, bytes) in out {
        for folder in [dir.to_path_buf(), public.clone()] {
            if folder.is_dir() {
                let path = folder.join(name);
                files::write_replace(&path, &bytes)
                    .map_err(|e| Fail::Io(format!("{}: {e}", show(&path))))?;
            }
        }
        written.push(name.to_string());
    }
    Ok(written)
}

fn print_completion(lang: Lang, r: &Review) {
    let total = r.entities.len();
    let done = r.completed();
    let c = double_random::publish::results::ResultCounts::of(r);
    outln!(
        "{}",
        tr!(
            lang,
            "  完成率：{done}/{total} 户已公示结果（{}）；逾期公示 {}，更正 {}，逾期未公示 {}，待公示 {}。",
            "  Completion: {done} of {total} entities have a published result ({}); late {}, corrected {}, overdue {}, not yet due {}.",
            percent(done, total),
            c.late,
            c.corrections,
            c.overdue,
            c.due
        )
    );
    if r.provisional {
        outln!(
            "{}",
            tr!(
                lang,
                "  注意：期限用到了暂定的节假日安排（provisional），国务院通知发布后请更换。",
                "  Note: a deadline used a provisional holiday calendar; replace it once the State Council's notice is out."
            )
        );
    }
}

fn percent(done: usize, total: usize) -> String {
    if total == 0 {
        return "—".into();
    }
    let tenths = (done * 1000 + total / 2) / total;
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// One entity's standing in words.
fn standing(lang: Lang, s: &Standing) -> String {
    let unknown = tr!(
        lang,
        "未知（缺少节假日安排）",
        "unknown (no holiday calendar)"
    );
    let show_d = |d: &Option<Date>| d.map_or(unknown.clone(), |d| d.to_string());
    match s {
        Standing::Published {
            document,
            published_on,
            deadline,
            late,
        } => {
            if *late {
                tr!(
                    lang,
                    "逾期公示：{published_on} 公示（{document}），期限 {}",
                    "published late: {published_on} ({document}), due {}",
                    show_d(deadline)
                )
            } else {
                tr!(
                    lang,
                    "已公示：{published_on}（{document}），期限 {}",
                    "published {published_on} ({document}), due {}",
                    show_d(deadline)
                )
            }
        }
        Standing::Due { deadline } => tr!(lang, "待公示，期限 {}", "due by {}", show_d(deadline)),
        Standing::Overdue { deadline } => tr!(
            lang,
            "已逾期：期限 {deadline}，仍无结果",
            "OVERDUE: due {deadline}, no result"
        ),
        _ => tr!(lang, "未知", "unknown"),
    }
}

/// Prints each entity's standing, the completion rate and the findings.
pub fn print_review(lang: Lang, r: &Review) {
    if let Some(e) = r.inspections_end {
        outln!(
            "{}",
            tr!(
                lang,
                "  检查完成期限 {e}；结果自形成之日起 20 个工作日内公示。",
                "  Inspections end {e}; each result is due 20 working days after it is formed."
            )
        );
    }
    for s in &r.entities {
        let result = s
            .result
            .as_ref()
            .map(|r| {
                r.items
                    .iter()
                    .map(|i| format!("{} {}", i.item, i.text))
                    .collect::<Vec<_>>()
                    .join("；")
            })
            .map(|t| format!(" — {t}"))
            .unwrap_or_default();
        let mark = match s.standing {
            Standing::Published { late: false, .. } => "✓",
            Standing::Due { .. } => "…",
            _ => "✗",
        };
        outln!(
            "    {mark} {}",
            tr!(
                lang,
                "{}（{}）：{}{result}",
                "{} ({}): {}{result}",
                s.entity.name,
                s.entity.id,
                standing(lang, &s.standing)
            )
        );
    }
    print_completion(lang, r);
    let other: Vec<&OutcomeFinding> = r
        .findings
        .iter()
        .filter(|f| !matches!(f, OutcomeFinding::Overdue { .. }))
        .collect();
    if !other.is_empty() {
        outln!(
            "{}",
            tr!(
                lang,
                "  检查结果记录中的问题：",
                "  problems in the outcome records:"
            )
        );
        for f in other {
            outln!("    ✗ {}", i18n::outcome_finding(lang, f));
        }
    }
}

/// `status`.
pub fn status(a: StatusArgs, lang: Lang) -> Result<ExitCode, Fail> {
    let d = read_draw(&a.dir, lang)?;
    let office = office_of(&a.dir);
    let calendars = load_calendars(&a.calendar, &[office.clone(), a.dir.clone()], lang)?;
    let vocabulary = load_vocabulary(a.vocabulary.as_deref(), &[office, a.dir.clone()], lang)?;
    let today = today(a.today.as_deref(), lang)?;
    let end = a
        .inspections_end
        .as_deref()
        .map(|r| parse_date("--inspections-end", r, lang))
        .transpose()?;
    let r = review_of(&d, None, &calendars, vocabulary.as_ref(), today, end);
    if a.json {
        let mut v = review_json(&r);
        v["today"] = today.to_string().into();
        v["draw_id"] = d.sheet.draw_id.clone().into();
        outln!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        outln!(
            "{}",
            tr!(
                lang,
                "{} 的检查结果公示进度（截至 {today}）：",
                "Results of {} as of {today}:",
                d.sheet.draw_id
            )
        );
        print_review(lang, &r);
        if r.inspections_end.is_none() {
            outln!(
                "{}",
                tr!(
                    lang,
                    "  尚无结果记录；用 --inspections-end 给出检查完成期限即可算出各户的公示期限。",
                    "  No outcome record yet; give --inspections-end to compute when each result is due."
                )
            );
        }
    }
    Ok(ExitCode::from(u8::from(!r.findings.is_empty())))
}

/// The outcome records of a verified draw folder, checked with their signatures; `None` when
/// the folder holds none.
pub fn verify_outcomes(
    dir: &Path,
    public_key: &PublicKey,
    calendars: &[PathBuf],
    vocabulary: Option<&Path>,
    today_raw: Option<&str>,
    lang: Lang,
) -> Result<Option<Review>, Fail> {
    if !DrawDir::new(dir).has("outcomes-1.json") {
        return Ok(None);
    }
    let d = read_draw(dir, lang)?;
    let office = office_of(dir);
    let above = office_of(&office);
    let cals = load_calendars(
        calendars,
        &[office.clone(), above.clone(), dir.to_path_buf()],
        lang,
    )?;
    let vocabulary = load_vocabulary(vocabulary, &[office, above, dir.to_path_buf()], lang)?;
    let today = today(today_raw, lang)?;
    let signed: Vec<SignedRecord<'_>> = d
        .records
        .iter()
        .map(|r| SignedRecord {
            name: &r.name,
            bytes: &r.bytes,
            signature: r.signature.as_deref(),
        })
        .collect();
    Ok(Some(outcomes::verify_signed(
        public_key,
        &signed,
        &ReviewInputs {
            sheet: &d.sheet,
            amendments: &d.amendments,
            records: &[],
            calendars: &cals,
            vocabulary: vocabulary.as_ref(),
            today,
            inspections_end: None,
        },
    )))
}

/// The holiday calendars shipped as sample data (SPEC §18.3), written into the demo's office.
const SAMPLE_CALENDARS: &[(&str, &str)] = &[
    (
        "holidays-2026.toml",
        include_str!("../data/calendars/holidays-2026.toml"),
    ),
    (
        "holidays-2027.toml",
        include_str!("../data/calendars/holidays-2027.toml"),
    ),
];

/// The demo's last step: a results batch for every drawn entity but one, then the status on a
/// day past that one's deadline, which shows it overdue.
pub fn demo_results(
    out: &Path,
    draw_dir: &DrawDir,
    private: &Path,
    lang: Lang,
) -> Result<(), Fail> {
    for (name, text) in SAMPLE_CALENDARS {
        files::write_new(out.join(name), text.as_bytes())
            .map_err(|e| Fail::Io(format!("{}: {e}", show(&out.join(name)))))?;
    }
    let d = read_draw(draw_dir.root(), lang)?;
    let state = double_random::ceremony::amend::state_after(
        &d.sheet,
        &d.amendments,
        &std::collections::BTreeMap::new(),
    )
    .entities;
    let drawn_on = outcomes::beijing_date(d.sheet.drawn_at);
    let day = |n: i64| drawn_on.add_days(n).unwrap_or(drawn_on);
    let (inspected, formed, end) = (day(4), day(5), day(30));
    let items = d.sheet.plan.items.join("、");
    let mut csv =
        String::from("统一社会信用代码,检查事项,检查结果,检查日期,结果形成日期,检查人员执法证号\n");
    let Some((missing, done)) = state.split_last() else {
        return Ok(());
    };
    for e in done {
        let team: Vec<&str> = e
            .officers
            .iter()
            .chain(&e.experts)
            .map(String::as_str)
            .collect();
        for item in &d.sheet.plan.items {
            csv.push_str(&format!(
                "{},{item},未发现问题,{inspected},{formed},{}\n",
                e.id,
                team.join("、")
            ));
        }
    }
    let form_path = out.join(tr!(lang, "检查结果.csv", "results.csv"));
    files::write_new(&form_path, csv.as_bytes())
        .map_err(|e| Fail::Io(format!("{}: {e}", show(&form_path))))?;
    outln!(
        "{}",
        tr!(
            lang,
            "  检查人员逐户填写结果表 {}（每户每个检查事项一行：{items}）。演示中 {} 户于 {inspected} 检查、{formed} 形成结果，\n  另有 1 户（{}）迟迟未交。本次任务的检查完成期限定为 {end}。",
            "  The inspectors fill in the form {} (one row per entity and item: {items}). In the demo {} entities were inspected on {inspected}, results formed on {formed};\n  one ({}) has not come in. The task's inspections end on {end}.",
            show(&form_path),
            done.len(),
            missing.id
        )
    );
    let published_at = Timestamp::from_unix(d.sheet.drawn_at.unix().saturating_add(9 * 86_400))
        .unwrap_or(d.sheet.drawn_at);
    let args = RecordArgs {
        dir: draw_dir.root().to_path_buf(),
        form: form_path,
        inspections_end: Some(end.to_string()),
        text: None,
        calendar: vec![],
        vocabulary: None,
        office: crate::args::OfficeArgs {
            office: out.to_path_buf(),
            private: Some(private.to_path_buf()),
        },
        password: crate::args::PasswordArgs {
            password_file: None,
        },
    };
    outln!(
        "{}",
        tr!(
            lang,
            "  （演示时钟：拨到 {}，登记结果。）",
            "  (Demo clock: {}, the results are recorded.)",
            crate::commands::show_time(lang, published_at)
        )
    );
    outln!(
        "    double-random record {} --form {} --inspections-end {end}",
        show(draw_dir.root()),
        show(&args.form)
    );
    record_at(&args, false, published_at, lang)?;
    let calendars = load_calendars(&[], &[out.to_path_buf()], lang)?;
    let today = calendars
        .deadline(
            &end,
            double_random::ceremony::calendar::PUBLICATION_WORKING_DAYS,
        )
        .ok()
        .and_then(|d| d.add_days(1))
        .unwrap_or(day(90));
    let r = review_of(
        &read_draw(draw_dir.root(), lang)?,
        None,
        &calendars,
        None,
        today,
        None,
    );
    outln!(
        "{}",
        tr!(
            lang,
            "  （演示时钟：拨到 {today}，查看公示进度。）\n    double-random status {} --today {today}",
            "  (Demo clock: {today}, to see what is due.)\n    double-random status {} --today {today}",
            show(draw_dir.root())
        )
    );
    let d = read_draw(draw_dir.root(), lang)?;
    write_results_views(draw_dir.root(), out, &d.sheet, &r, today, lang)?;
    let overdue: Vec<&outcomes::EntityStatus> = r.overdue().collect();
    outln!(
        "{}",
        tr!(
            lang,
            "  完成率 {}/{}；逾期 {} 户：",
            "  Completion {} of {}; overdue: {}",
            r.completed(),
            r.entities.len(),
            overdue.len()
        )
    );
    for s in overdue {
        outln!(
            "    ✗ {}",
            tr!(
                lang,
                "{}（{}）：{}",
                "{} ({}): {}",
                s.entity.name,
                s.entity.id,
                standing(lang, &s.standing)
            )
        );
    }
    outln!(
        "{}",
        tr!(
            lang,
            "  结果记录 outcomes-1.json 已签名，引用结果表和补抽记录：任何人都能核对每户是否由抽中的检查组检查、是否在 20 个工作日内公示；\n  逾期未公示的对象在 verify 和 status 中都会列出，结果公示页 {} 截至 {today} 也列出了它。",
            "  The record outcomes-1.json is signed and cites the sheet and the amendment: anyone can check that each entity was inspected by its drawn team and its result published within 20 working days;\n  entities still without a result past the deadline are listed by verify and status, and by the results page {} as of {today}.",
            show(&draw_dir.path(double_random::publish::results::RESULTS_NOTICE_FILE))
        )
    );
    Ok(())
}

#[cfg(all(test, feature = "xlsx"))]
mod tests {
    use super::*;

    #[test]
    fn an_xlsx_form_reads_like_its_csv_with_dates_and_numbers_as_cells() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        let header = [
            "统一社会信用代码",
            "检查事项",
            "检查结果",
            "检查日期",
            "结果形成日期",
            "检查人员执法证号",
        ];
        for (c, h) in header.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_string(1, 0, "91520102MA6D00202T").unwrap();
        ws.write_string(1, 1, "GZ-SC-001").unwrap();
        ws.write_string(1, 2, "未发现问题").unwrap();
        // A date typed into Excel becomes a date cell; a certificate number a number cell.
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 3, 5).unwrap();
        let fmt = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        ws.write_datetime_with_format(1, 3, &date, &fmt).unwrap();
        ws.write_string(1, 4, "2026-03-06").unwrap();
        ws.write_number(1, 5, 52010008.0).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let rows = xlsx_rows(Path::new("results.xlsx"), bytes, Lang::En).unwrap_or_default();
        let results = form::read_rows("results.xlsx", &rows).unwrap();
        assert_eq!(results[0].inspected_on.to_string(), "2026-03-05");
        assert_eq!(results[0].inspectors, ["52010008"]);
        assert_eq!(results[0].items[0].result, "no_problem");
    }
}
