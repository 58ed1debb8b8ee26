//! The results views (一公开): `results.csv`, `results.xlsx` and `results.html`.
//!
//! The national publicity system takes, per object, 名称, 统一社会信用代码, 检查事项 and 检查结果
//! under the plan's and task's identification and the 抽查完成日期 ([`RESULTS_HEADER`]); the table
//! adds the inspectors' 执法证号, the date each result was formed, the follow-up and the record
//! holding it. The page shows the completion rate, the entities overdue and each result. All
//! three are functions of the signed documents and the review on a given day ([`Review`]), so
//! anyone holding the records rebuilds them.
//!
//! ```
//! use double_random::publish::results::{RESULTS_HEADER, results_table};
//! # let (_, sheet) = double_random::internals::example_documents()?;
//! let review = double_random::ceremony::outcomes::Review::default();
//! let table = results_table(&sheet, &review, &Default::default());
//! assert_eq!(table, vec![RESULTS_HEADER.iter().map(|s| s.to_string()).collect::<Vec<_>>()]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::notice::{escape, generator};
use super::{Lang, PublishError};
use crate::ceremony::outcomes::{Review, Standing};
use crate::ceremony::sheet::Sheet;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// File name of the results table.
pub const RESULTS_CSV_FILE: &str = "results.csv";
/// File name of the results workbook.
pub const RESULTS_XLSX_FILE: &str = "results.xlsx";
/// File name of the results page.
pub const RESULTS_NOTICE_FILE: &str = "results.html";

/// The columns of the results table: the publicity system's, then the inspectors, the date
/// formed, the follow-up and the record.
pub const RESULTS_HEADER: [&str; 15] = [
    "抽查计划编号",
    "抽查计划名称",
    "抽查任务编号",
    "抽查任务名称",
    "抽查类型",
    "抽查机关",
    "抽查完成日期",
    "名称",
    "统一社会信用代码",
    "检查事项",
    "检查结果",
    "检查人员执法证号",
    "结果形成日期",
    "后续处置",
    "结果记录",
];

/// The results table: the header, then one row per entity with a current result and per
/// item checked, in entity order. `item_names` gives the items' names (from the items
/// roster); an item without a name shows its id.
pub fn results_table(
    sheet: &Sheet,
    review: &Review,
    item_names: &BTreeMap<String, String>,
) -> Vec<Vec<String>> {
    let plan = &sheet.plan;
    let kind = if plan.directed { "定向" } else { "不定向" };
    let mut rows = vec![RESULTS_HEADER.iter().map(|s| s.to_string()).collect()];
    for s in &review.entities {
        let (Some(r), Standing::Published { document, .. }) = (&s.result, &s.standing) else {
            continue;
        };
        for it in &r.items {
            let item = item_names
                .get(&it.item)
                .map_or(it.item.clone(), |n| format!("{n}（{}）", it.item));
            rows.push(vec![
                plan.plan_id.clone(),
                plan.plan_name.clone(),
                plan.task_id.clone(),
                plan.task_name.clone(),
                kind.to_string(),
                plan.authority.clone(),
                r.inspected_on.to_string(),
                s.entity.name.clone(),
                s.entity.id.clone(),
                item,
                it.text.clone(),
                r.inspectors.join("、"),
                r.formed_on.to_string(),
                r.follow_up
                    .iter()
                    .map(|f| f.text())
                    .collect::<Vec<_>>()
                    .join("、"),
                document.clone(),
            ]);
        }
    }
    rows
}

/// The CSV bytes of a results table: UTF-8 with a byte order mark, CRLF, formulas
/// neutralised (as `sheet.csv`, see [`super::csv`]).
///
/// Written as [`RESULTS_CSV_FILE`] beside the notice, for the publicity system's import.
///
/// ```
/// use double_random::publish::results::results_csv;
/// let bytes = results_csv(&[vec!["名称".into()], vec!["=1+1".into()]])?;
/// assert!(bytes.starts_with("\u{feff}名称\r\n".as_bytes()));
/// assert!(bytes.ends_with(b"'=1+1\r\n"));
/// # Ok::<(), double_random::publish::PublishError>(())
/// ```
pub fn results_csv(table: &[Vec<String>]) -> Result<Vec<u8>, PublishError> {
    let err = |e: ::csv::Error| PublishError::Csv {
        file: RESULTS_CSV_FILE,
        detail: e.to_string(),
    };
    let mut out = Vec::from(*b"\xEF\xBB\xBF");
    {
        let mut w = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(&mut out);
        for rec in table {
            w.write_record(rec.iter().map(|c| super::csv::neutralised(c)))
                .map_err(err)?;
        }
        w.flush().map_err(|e| err(e.into()))?;
    }
    Ok(out)
}

/// The workbook bytes of a results table: every cell a text cell (as `sheet.xlsx`);
/// `created` is the time of the last record, so the same records give the same workbook.
#[cfg(feature = "xlsx")]
pub fn results_xlsx(
    sheet: &Sheet,
    table: &[Vec<String>],
    created: crate::ceremony::Timestamp,
) -> Result<Vec<u8>, PublishError> {
    super::xlsx::text_workbook(
        table,
        "检查结果",
        &format!("检查结果 {}", sheet.draw_id),
        &sheet.plan.authority,
        created,
    )
    .map_err(|source| PublishError::Xlsx {
        file: RESULTS_XLSX_FILE,
        source,
    })
}

/// Counts for the summary: published (on time, late), corrections, overdue, due.
///
/// The page's summary line; a program reporting progress upward uses the same numbers.
///
/// ```
/// use double_random::publish::results::ResultCounts;
/// let c = ResultCounts::of(&double_random::ceremony::outcomes::Review::default());
/// assert_eq!((c.entities, c.overdue), (0, 0));
/// assert_eq!(c.completion_permille(), None);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResultCounts {
    /// Drawn entities (after amendments).
    pub entities: usize,
    /// With a current result published on time.
    pub on_time: usize,
    /// With a current result published late.
    pub late: usize,
    /// Current results that are corrections.
    pub corrections: usize,
    /// Without a result, deadline passed.
    pub overdue: usize,
    /// Without a result, not yet due (or deadline unknown).
    pub due: usize,
}

impl ResultCounts {
    /// The counts of a review.
    pub fn of(review: &Review) -> Self {
        let mut c = ResultCounts {
            entities: review.entities.len(),
            ..Default::default()
        };
        for s in &review.entities {
            match s.standing {
                Standing::Published { late: false, .. } => c.on_time += 1,
                Standing::Published { late: true, .. } => c.late += 1,
                Standing::Overdue { .. } => c.overdue += 1,
                Standing::Due { .. } => c.due += 1,
            }
            if s.result.as_ref().is_some_and(|r| r.corrects.is_some()) {
                c.corrections += 1;
            }
        }
        c
    }

    /// The completion rate in tenths of a percent, rounded half up (`None` with no entity).
    pub fn completion_permille(&self) -> Option<usize> {
        (self.entities > 0)
            .then(|| ((self.on_time + self.late) * 1000 + self.entities / 2) / self.entities)
    }
}

/// The results page: completion rate, overdue entities and each result, as of `today`.
///
/// ```
/// use double_random::publish::{Lang, results::results_notice};
/// # let (_, sheet) = double_random::internals::example_documents()?;
/// let review = double_random::ceremony::outcomes::Review::default();
/// let page = results_notice(&sheet, &review, &Default::default(), "2026-04-01".parse()?, Lang::Zh);
/// assert!(page.contains("<html lang=\"zh-CN\">"));
/// assert!(page.contains("检查结果公示"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn results_notice(
    sheet: &Sheet,
    review: &Review,
    item_names: &BTreeMap<String, String>,
    today: crate::model::Date,
    lang: Lang,
) -> String {
    let l = |zh: &'static str, en: &'static str| match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
    let plan = &sheet.plan;
    let title = l("检查结果公示", "Inspection results");
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"{}\">\n<title>{title} — {}</title>\n<style>{}</style>\n</head>\n<body>\n",
        lang.html_code(),
        generator(),
        escape(&plan.task_name),
        super::notice::STYLE,
    );
    let _ = writeln!(
        h,
        "<h1>{title}</h1>\n<p class=\"sub\">{} · {} · {}</p>",
        escape(&plan.authority),
        escape(&plan.task_name),
        escape(&sheet.draw_id)
    );
    let c = ResultCounts::of(review);
    let rate = c
        .completion_permille()
        .map_or("—".to_string(), |p| format!("{}.{}%", p / 10, p % 10));
    let _ = writeln!(h, "<h2>{}</h2>\n<ul>", l("完成情况", "Completion"));
    let line = match lang {
        Lang::Zh => format!(
            "截至 {today}：抽中（含补抽）{} 户，已公示结果 {} 户（完成率 {rate}），其中逾期公示 {} 户、更正 {} 户；逾期未公示 {} 户，待公示 {} 户。",
            c.entities,
            c.on_time + c.late,
            c.late,
            c.corrections,
            c.overdue,
            c.due
        ),
        Lang::En => format!(
            "As of {today}: {} entities drawn (after amendments), {} results published (completion {rate}), {} of them late, {} corrected; {} overdue, {} not yet due.",
            c.entities,
            c.on_time + c.late,
            c.late,
            c.corrections,
            c.overdue,
            c.due
        ),
    };
    let _ = writeln!(h, "<li>{}</li>", escape(&line));
    if let Some(end) = review.inspections_end {
        let _ = writeln!(
            h,
            "<li>{}</li>",
            escape(&match lang {
                Lang::Zh => format!(
                    "检查完成期限 {end}；每项结果自形成之日起 20 个工作日内公示（按国务院节假日安排计算工作日）。"
                ),
                Lang::En => format!(
                    "Inspections end {end}; each result is published within 20 working days of being formed (working days per the State Council's holiday schedule)."
                ),
            })
        );
    }
    if review.provisional {
        let _ = writeln!(
            h,
            "<li>{}</li>",
            l(
                "部分期限按暂定的节假日安排计算。",
                "Some deadlines were counted with a provisional holiday calendar."
            )
        );
    }
    h.push_str("</ul>\n");
    let overdue: Vec<_> = review.overdue().collect();
    if !overdue.is_empty() {
        let _ = writeln!(
            h,
            "<h2>{}</h2>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th></tr>",
            l("逾期未公示", "Overdue"),
            l("名称", "Name"),
            l("统一社会信用代码", "Credit code"),
            l("公示期限", "Due")
        );
        for s in overdue {
            if let Standing::Overdue { deadline } = s.standing {
                let _ = writeln!(
                    h,
                    "<tr><td>{}</td><td><code>{}</code></td><td>{deadline}</td></tr>",
                    escape(&s.entity.name),
                    escape(&s.entity.id)
                );
            }
        }
        h.push_str("</table>\n");
    }
    let table = results_table(sheet, review, item_names);
    let _ = writeln!(h, "<h2>{}</h2>\n<table>", l("检查结果", "Results"));
    let cols = [7usize, 8, 9, 10, 6, 12, 11, 13, 14];
    let _ = writeln!(
        h,
        "<tr>{}</tr>",
        cols.iter()
            .map(|c| format!("<th>{}</th>", RESULTS_HEADER[*c]))
            .collect::<String>()
    );
    for row in table.iter().skip(1) {
        let cells: String = cols
            .iter()
            .map(|c| {
                let v = escape(&row[*c]);
                match *c {
                    8 => format!("<td><code>{v}</code></td>"),
                    // Each certificate number unbroken, the list free to wrap between them.
                    11 => format!(
                        "<td>{}</td>",
                        v.split('、')
                            .map(|id| format!("<code>{id}</code>"))
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                    _ => format!("<td>{v}</td>"),
                }
            })
            .collect();
        let _ = writeln!(h, "<tr>{cells}</tr>");
    }
    h.push_str("</table>\n");
    let _ = writeln!(
        h,
        "<p class=\"note\">{}</p>\n</body>\n</html>",
        l(
            "每份结果记录（outcomes-<n>.json）都经机关签名，引用抽取结果表和补抽记录；任何人都可用 double-random verify 核对每户是否由抽中的检查组检查、是否按期公示。",
            "Each outcome record (outcomes-<n>.json) is signed by the office and cites the draw's sheet and amendments; anyone can check with double-random verify that each entity was inspected by its drawn team and its result published in time."
        )
    );
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ceremony::outcomes::{EntityResult, EntityStatus, FollowUp, ItemResult};

    fn review(sheet: &Sheet) -> Review {
        let e = &sheet.entities;
        let result = EntityResult {
            entity: e[0].id.clone(),
            items: vec![ItemResult::standard("I1", "false_disclosure").unwrap()],
            inspectors: vec!["=cmd|' /C calc'!A0".into()],
            deviation: None,
            follow_up: vec![FollowUp::AbnormalList],
            inspected_on: "2026-03-05".parse().unwrap(),
            formed_on: "2026-03-06".parse().unwrap(),
            corrects: None,
        };
        Review {
            entities: vec![
                EntityStatus {
                    entity: e[0].clone(),
                    standing: Standing::Published {
                        document: "outcomes-1.json".into(),
                        published_on: "2026-03-10".parse().unwrap(),
                        deadline: "2026-04-03".parse().ok(),
                        late: false,
                    },
                    result: Some(result),
                },
                EntityStatus {
                    entity: e[1].clone(),
                    standing: Standing::Overdue {
                        deadline: "2026-04-29".parse().unwrap(),
                    },
                    result: None,
                },
            ],
            inspections_end: "2026-03-31".parse().ok(),
            ..Review::default()
        }
    }

    #[test]
    fn results_rows_carry_the_publicity_columns_and_stay_text() {
        let (_, sheet) = crate::internals::example_documents().unwrap();
        let r = review(&sheet);
        let names = [("I1".to_string(), "年报公示信息".to_string())].into();
        let table = results_table(&sheet, &r, &names);
        assert_eq!(table.len(), 2, "one row: the overdue entity has none");
        let row = &table[1];
        assert_eq!(row[8], sheet.entities[0].id);
        assert_eq!(row[9], "年报公示信息（I1）");
        assert_eq!(row[10], "公示信息隐瞒真实情况、弄虚作假");
        assert_eq!(row[13], "列入经营异常名录");
        let csv = String::from_utf8(results_csv(&table).unwrap()).unwrap();
        assert!(csv.starts_with('\u{feff}'));
        // A formula typed into a form is neutralised, never run.
        assert!(!csv.contains(",=cmd"), "{csv}");
        #[cfg(feature = "xlsx")]
        {
            let bytes = results_xlsx(&sheet, &table, sheet.drawn_at).unwrap();
            let cells = crate::publish::xlsx::read_cells(&bytes).unwrap();
            assert_eq!(
                cells[1][8],
                crate::publish::xlsx::Cell::Text(row[8].clone())
            );
            assert_eq!(results_xlsx(&sheet, &table, sheet.drawn_at).unwrap(), bytes);
        }
        let c = ResultCounts::of(&r);
        assert_eq!(
            (c.on_time, c.overdue, c.completion_permille()),
            (1, 1, Some(500))
        );
    }

    #[test]
    fn the_results_page_shows_the_rate_the_overdue_and_each_result() {
        let (_, sheet) = crate::internals::example_documents().unwrap();
        let r = review(&sheet);
        let page = results_notice(
            &sheet,
            &r,
            &Default::default(),
            "2026-05-06".parse().unwrap(),
            Lang::Zh,
        );
        assert!(page.contains("完成率 50.0%"), "{page}");
        assert!(page.contains("逾期未公示 1 户"));
        assert!(page.contains(&format!(
            "<td><code>{}</code></td><td>2026-04-29</td>",
            sheet.entities[1].id
        )));
        assert!(page.contains("公示信息隐瞒真实情况、弄虚作假"));
        assert!(!page.contains("<script"));
        let en = results_notice(
            &sheet,
            &r,
            &Default::default(),
            "2026-05-06".parse().unwrap(),
            Lang::En,
        );
        assert!(en.contains("completion 50.0%"));
    }
}
