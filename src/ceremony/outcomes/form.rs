//! The results form the inspectors fill in: rows of text cells turned into results (SPEC §18.6).
//!
//! One row per entity and item checked; the rows of one entity must agree on its dates,
//! inspectors, follow-up and deviation. Every problem is collected with its line and column,
//! like the rosters', so one pass over the form shows everything to fix.
//!
//! ```
//! use double_random::ceremony::outcomes::form::read_rows;
//! let rows = vec![
//!     vec!["统一社会信用代码", "检查事项", "检查结果", "检查日期", "结果形成日期", "检查人员执法证号"],
//!     vec!["E001", "I1", "未发现问题", "2026-09-10", "2026-09-11", "44010012、44010013"],
//! ];
//! let rows: Vec<Vec<String>> = rows.into_iter().map(|r| r.into_iter().map(String::from).collect()).collect();
//! let results = read_rows("results.csv", &rows).unwrap();
//! assert_eq!(results[0].items[0].result, "no_problem");
//! assert_eq!(results[0].inspectors, ["44010012", "44010013"]);
//! ```

use super::{
    Deviation, DeviationCode, EntityResult, FollowUp, ItemResult, STANDARD_RESULTS, is_own_code,
    standard_code,
};
use crate::model::Date;
use crate::normalize;
use std::collections::BTreeMap;

/// A column of the form: its name and the headers that name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FormColumn {
    /// The English name, also accepted as a header.
    pub name: &'static str,
    /// The Chinese header.
    pub chinese: &'static str,
    /// Whether the form must have it.
    pub required: bool,
}

/// The form's columns, in the order of the template.
///
/// A program that hands the inspectors a blank form writes these headers.
///
/// ```
/// use double_random::ceremony::outcomes::form::FORM_COLUMNS;
/// let header: Vec<&str> = FORM_COLUMNS.iter().map(|c| c.chinese).collect();
/// assert_eq!(header[0], "统一社会信用代码");
/// assert!(FORM_COLUMNS.iter().any(|c| c.name == "follow_up" && !c.required));
/// ```
pub const FORM_COLUMNS: [FormColumn; 10] = [
    FormColumn {
        name: "entity",
        chinese: "统一社会信用代码",
        required: true,
    },
    FormColumn {
        name: "item",
        chinese: "检查事项",
        required: true,
    },
    FormColumn {
        name: "result",
        chinese: "检查结果",
        required: true,
    },
    FormColumn {
        name: "result_text",
        chinese: "结果说明",
        required: false,
    },
    FormColumn {
        name: "inspected_on",
        chinese: "检查日期",
        required: true,
    },
    FormColumn {
        name: "formed_on",
        chinese: "结果形成日期",
        required: true,
    },
    FormColumn {
        name: "inspectors",
        chinese: "检查人员执法证号",
        required: true,
    },
    FormColumn {
        name: "follow_up",
        chinese: "后续处置",
        required: false,
    },
    FormColumn {
        name: "deviation",
        chinese: "人员变动原因",
        required: false,
    },
    FormColumn {
        name: "deviation_text",
        chinese: "人员变动说明",
        required: false,
    },
];

/// A problem in the form, with its line (from 1, the header being line 1) and column.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {}{problem}", .column.map(|c| format!("{c}: ")).unwrap_or_default())]
#[non_exhaustive]
pub struct FormError {
    /// The file.
    pub file: String,
    /// The line (the header is line 1).
    pub line: u64,
    /// The column's English name, when one is concerned.
    pub column: Option<&'static str>,
    /// What is wrong.
    pub problem: FormProblem,
}

/// What is wrong in a form.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormProblem {
    /// The form has no header line.
    #[error("the form is empty")]
    Empty,
    /// A required column is missing.
    #[error("missing column {chinese} ({name})")]
    MissingColumn {
        /// English name.
        name: &'static str,
        /// Chinese header.
        chinese: &'static str,
    },
    /// A column appears twice.
    #[error("column given twice")]
    ColumnTwice,
    /// A required value is empty.
    #[error("empty")]
    EmptyValue,
    /// Not a date of the form YYYY-MM-DD.
    #[error("{value:?} is not a date of the form 2026-09-11")]
    BadDate {
        /// The text.
        value: String,
    },
    /// Not a result code or text of the vocabulary.
    #[error(
        "{value:?} is not a result of the vocabulary (a standard text or code, or an own code x-…)"
    )]
    BadResult {
        /// The text.
        value: String,
    },
    /// An own result code without its text.
    #[error("the own result code {code} needs its text in 结果说明 (result_text)")]
    ResultTextMissing {
        /// The code.
        code: String,
    },
    /// Not a follow-up code or text.
    #[error(
        "{value:?} is not a follow-up (列入经营异常名录, 立案调查, 责令限期改正, 移送有关部门, 复查)"
    )]
    BadFollowUp {
        /// The text.
        value: String,
    },
    /// Not a deviation code.
    #[error(
        "{value:?} is not a reason for a changed team (inspector_absent, inspector_added, team_replaced, other)"
    )]
    BadDeviation {
        /// The text.
        value: String,
    },
    /// A deviation code without its text, or a text without code.
    #[error("a changed team needs both 人员变动原因 (deviation) and 人员变动说明 (deviation_text)")]
    DeviationIncomplete,
    /// The same entity and item twice.
    #[error("entity {entity}, item {item} is already on line {first}")]
    RowTwice {
        /// The entity.
        entity: String,
        /// The item.
        item: String,
        /// The first line.
        first: u64,
    },
    /// A row of an entity disagrees with its first row on a per-entity value.
    #[error("differs from line {first} for the same entity")]
    Disagrees {
        /// The entity's first line.
        first: u64,
    },
}

fn find_column(header: &str) -> Option<usize> {
    let h = normalize::code(header);
    FORM_COLUMNS
        .iter()
        .position(|c| normalize::code(c.name) == h || normalize::code(c.chinese) == h)
}

/// Splits a list cell on `、`, `,`, `，`, `;`, `；` and white space.
fn split_list(s: &str) -> Vec<String> {
    s.split(|c: char| matches!(c, '、' | ',' | '，' | ';' | '；') || c.is_whitespace())
        .map(normalize::code)
        .filter(|x| !x.is_empty())
        .collect()
}

struct Pending {
    first: u64,
    result: EntityResult,
    items: BTreeMap<String, u64>,
}

/// Reads the rows of a form (the first row is the header) into results, one per entity in
/// ascending entity order, items ascending; or every problem found.
///
/// The rows come from a CSV file ([`csv_rows`]) or a workbook's cells; see the
/// [module](self) for an example.
pub fn read_rows(file: &str, rows: &[Vec<String>]) -> Result<Vec<EntityResult>, Vec<FormError>> {
    let mut errors = vec![];
    let err = |line: u64, column: Option<&'static str>, problem| FormError {
        file: file.to_string(),
        line,
        column,
        problem,
    };
    let Some((header, body)) = rows.split_first() else {
        return Err(vec![err(0, None, FormProblem::Empty)]);
    };
    let at = columns(file, header)?;
    let mut by_entity: BTreeMap<String, Pending> = BTreeMap::new();
    for (n, row) in body.iter().enumerate() {
        let line = n as u64 + 2;
        let cell = |c: usize| -> &str {
            at[c]
                .and_then(|i| row.get(i))
                .map(String::as_str)
                .unwrap_or("")
        };
        if FORM_COLUMNS
            .iter()
            .enumerate()
            .all(|(c, _)| cell(c).trim().is_empty())
        {
            continue;
        }
        let before = errors.len();
        let mut required = |c: usize, value: String| -> String {
            if value.is_empty() {
                errors.push(err(
                    line,
                    Some(FORM_COLUMNS[c].name),
                    FormProblem::EmptyValue,
                ));
            }
            value
        };
        let entity = required(0, normalize::code(cell(0)));
        let item = required(1, normalize::code(cell(1)));
        let result_cell = required(2, normalize::text(cell(2)));
        let result_text = normalize::text(cell(3));
        let inspectors = split_list(cell(6));
        if inspectors.is_empty() {
            errors.push(err(line, Some("inspectors"), FormProblem::EmptyValue));
        }
        let inspected_on = date_cell(&err, line, 4, cell(4), &mut errors);
        let formed_on = date_cell(&err, line, 5, cell(5), &mut errors);
        let item_result =
            result_cell_of(&err, line, &item, &result_cell, &result_text, &mut errors);
        let follow_up = follow_ups(&err, line, cell(7), &mut errors);
        let deviation = deviation_of(&err, line, cell(8), cell(9), &mut errors);
        if errors.len() > before {
            continue;
        }
        let (Some(item_result), Some(inspected_on), Some(formed_on)) =
            (item_result, inspected_on, formed_on)
        else {
            continue;
        };
        let mut inspectors = inspectors;
        inspectors.sort();
        inspectors.dedup();
        let result = EntityResult {
            entity: entity.clone(),
            items: vec![],
            inspectors,
            deviation,
            follow_up,
            inspected_on,
            formed_on,
            corrects: None,
        };
        let p = by_entity.entry(entity.clone()).or_insert_with(|| Pending {
            first: line,
            result: result.clone(),
            items: BTreeMap::new(),
        });
        if p.result.inspectors != result.inspectors
            || p.result.deviation != result.deviation
            || p.result.follow_up != result.follow_up
            || p.result.inspected_on != result.inspected_on
            || p.result.formed_on != result.formed_on
        {
            errors.push(err(line, None, FormProblem::Disagrees { first: p.first }));
            continue;
        }
        if let Some(first) = p.items.get(&item) {
            errors.push(err(
                line,
                Some("item"),
                FormProblem::RowTwice {
                    entity,
                    item,
                    first: *first,
                },
            ));
            continue;
        }
        p.items.insert(item.clone(), line);
        p.result.items.push(item_result);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(by_entity
        .into_values()
        .map(|mut p| {
            p.result.items.sort_by(|a, b| a.item.cmp(&b.item));
            p.result
        })
        .collect())
}

/// Where each column of [`FORM_COLUMNS`] is in the form (`None`: absent).
type Columns = [Option<usize>; FORM_COLUMNS.len()];

/// Finds the columns in the header line; a column given twice or a required one missing is
/// an error.
fn columns(file: &str, header: &[String]) -> Result<Columns, Vec<FormError>> {
    let err = |column: Option<&'static str>, problem| FormError {
        file: file.to_string(),
        line: 1,
        column,
        problem,
    };
    let mut errors = vec![];
    let mut at: Columns = [None; FORM_COLUMNS.len()];
    for (i, h) in header.iter().enumerate() {
        if let Some(c) = find_column(h) {
            if at[c].is_some() {
                errors.push(err(Some(FORM_COLUMNS[c].name), FormProblem::ColumnTwice));
            }
            at[c] = Some(i);
        }
    }
    for (c, col) in FORM_COLUMNS.iter().enumerate() {
        if col.required && at[c].is_none() {
            errors.push(err(
                None,
                FormProblem::MissingColumn {
                    name: col.name,
                    chinese: col.chinese,
                },
            ));
        }
    }
    if errors.is_empty() {
        Ok(at)
    } else {
        Err(errors)
    }
}

/// The date in column `c` on `line`; an empty or malformed one is an error.
fn date_cell(
    err: &impl Fn(u64, Option<&'static str>, FormProblem) -> FormError,
    line: u64,
    c: usize,
    cell: &str,
    errors: &mut Vec<FormError>,
) -> Option<Date> {
    let v = normalize::text(cell);
    if v.is_empty() {
        errors.push(err(
            line,
            Some(FORM_COLUMNS[c].name),
            FormProblem::EmptyValue,
        ));
        return None;
    }
    match v.parse::<Date>() {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(err(
                line,
                Some(FORM_COLUMNS[c].name),
                FormProblem::BadDate { value: v },
            ));
            None
        }
    }
}

/// The result of `item` on `line`: a standard text or code, or an own `x-` code with its
/// text in `result_text`.
fn result_cell_of(
    err: &impl Fn(u64, Option<&'static str>, FormProblem) -> FormError,
    line: u64,
    item: &str,
    result_cell: &str,
    result_text: &str,
    errors: &mut Vec<FormError>,
) -> Option<ItemResult> {
    let lower = result_cell.to_ascii_lowercase();
    if result_cell.is_empty() {
        None
    } else if let Some(code) = standard_code(result_cell).or_else(|| {
        STANDARD_RESULTS
            .iter()
            .map(|(c, _)| *c)
            .find(|c| *c == lower)
    }) {
        ItemResult::standard(item, code)
    } else if is_own_code(&lower) {
        if result_text.is_empty() {
            errors.push(err(
                line,
                Some("result_text"),
                FormProblem::ResultTextMissing {
                    code: lower.clone(),
                },
            ));
            None
        } else {
            Some(ItemResult {
                item: item.to_string(),
                result: lower.clone(),
                text: result_text.to_string(),
            })
        }
    } else {
        errors.push(err(
            line,
            Some("result"),
            FormProblem::BadResult {
                value: result_cell.to_string(),
            },
        ));
        None
    }
}

/// The follow-up measures on `line`, in code order without repeats.
fn follow_ups(
    err: &impl Fn(u64, Option<&'static str>, FormProblem) -> FormError,
    line: u64,
    cell: &str,
    errors: &mut Vec<FormError>,
) -> Vec<FollowUp> {
    let mut follow_up = vec![];
    for f in normalize::text(cell)
        .split(['、', ',', '，', ';', '；'])
        .map(str::trim)
        .filter(|f| !f.is_empty())
    {
        match FollowUp::parse(&f.to_ascii_lowercase()).or_else(|| FollowUp::parse(f)) {
            Some(x) => follow_up.push(x),
            None => errors.push(err(
                line,
                Some("follow_up"),
                FormProblem::BadFollowUp {
                    value: f.to_string(),
                },
            )),
        }
    }
    follow_up.sort();
    follow_up.dedup();
    follow_up
}

/// Why the team differs from the drawn one on `line`: a code and its text, both or neither.
fn deviation_of(
    err: &impl Fn(u64, Option<&'static str>, FormProblem) -> FormError,
    line: u64,
    code_cell: &str,
    text_cell: &str,
    errors: &mut Vec<FormError>,
) -> Option<Deviation> {
    let dev_code = normalize::text(code_cell).to_ascii_lowercase();
    let dev_text = normalize::text(text_cell);
    match (dev_code.is_empty(), dev_text.is_empty()) {
        (true, true) => None,
        (false, false) => {
            let code = match dev_code.replace('-', "_").as_str() {
                "inspector_absent" => Some(DeviationCode::InspectorAbsent),
                "inspector_added" => Some(DeviationCode::InspectorAdded),
                "team_replaced" => Some(DeviationCode::TeamReplaced),
                "other" => Some(DeviationCode::Other),
                _ => None,
            };
            match code {
                Some(code) => Some(Deviation {
                    code,
                    text: dev_text,
                }),
                None => {
                    errors.push(err(
                        line,
                        Some("deviation"),
                        FormProblem::BadDeviation { value: dev_code },
                    ));
                    None
                }
            }
        }
        _ => {
            errors.push(err(
                line,
                Some("deviation"),
                FormProblem::DeviationIncomplete,
            ));
            None
        }
    }
}

/// Reads a CSV form (UTF-8, a byte order mark allowed) into rows of cells.
///
/// The rows then go to [`read_rows`]; a file that is not UTF-8 CSV is one error on its line.
///
/// ```
/// use double_random::ceremony::outcomes::form::csv_rows;
/// let rows = csv_rows("results.csv", "\u{feff}检查事项,检查结果\r\nI1,未发现问题\r\n".as_bytes()).unwrap();
/// assert_eq!(rows, [["检查事项", "检查结果"], ["I1", "未发现问题"]]);
/// assert_eq!(csv_rows("results.csv", b"a\n\xff\n").unwrap_err()[0].line, 2);
/// ```
pub fn csv_rows(file: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>, Vec<FormError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rows = vec![];
    for (n, rec) in reader.records().enumerate() {
        match rec {
            Ok(r) => rows.push(r.iter().map(str::to_string).collect()),
            Err(e) => {
                let line = e.position().map_or(n as u64 + 1, |p| p.line());
                return Err(vec![FormError {
                    file: file.to_string(),
                    line,
                    column: None,
                    problem: FormProblem::BadResult {
                        value: "the file is not UTF-8 CSV".into(),
                    },
                }]);
            }
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<Vec<String>> {
        csv_rows("r.csv", text.as_bytes()).unwrap()
    }

    const HEAD: &str = "统一社会信用代码,检查事项,检查结果,结果说明,检查日期,结果形成日期,检查人员执法证号,后续处置,人员变动原因,人员变动说明\n";

    #[test]
    fn rows_of_one_entity_make_one_result() {
        let text = format!(
            "{HEAD}e002,I2,发现问题已责令改正,,2026-09-10,2026-09-11,\"B, A\",列入经营异常名录,,\n\
             E002,I1,x-licence-expired,许可证过期,2026-09-10,2026-09-11,A、B,abnormal_list,,\n\
             E001,I1,no_problem,,2026-09-10,2026-09-12,C D,,inspector_added,C 代替病假的 D\n"
        );
        let r = read_rows("r.csv", &rows(&text)).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].entity, "E001");
        assert_eq!(
            r[0].deviation.as_ref().unwrap().code,
            DeviationCode::InspectorAdded
        );
        assert_eq!(r[1].entity, "E002");
        let items: Vec<(&str, &str)> = r[1]
            .items
            .iter()
            .map(|i| (i.item.as_str(), i.result.as_str()))
            .collect();
        assert_eq!(
            items,
            [("I1", "x-licence-expired"), ("I2", "corrected_on_order")]
        );
        assert_eq!(r[1].inspectors, ["A", "B"]);
        assert_eq!(r[1].follow_up, [FollowUp::AbnormalList]);
    }

    #[test]
    fn every_problem_is_named_by_line_and_column() {
        let text = format!(
            "{HEAD}E001,I1,还行,,2026-09-10,2026/09/11,A,,,\n\
             E001,I1,no_problem,,2026-09-10,2026-09-11,A,,,\n\
             E001,I1,no_problem,,2026-09-10,2026-09-11,A,,,\n\
             E001,I2,no_problem,,2026-09-10,2026-09-12,A,,,\n\
             ,I2,x-own,,2026-09-10,2026-09-12,,开除,other,\n"
        );
        let errs = read_rows("r.csv", &rows(&text)).unwrap_err();
        let shown: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "r.csv:2: formed_on: \"2026/09/11\" is not a date of the form 2026-09-11",
                "r.csv:2: result: \"还行\" is not a result of the vocabulary (a standard text or code, or an own code x-…)",
                "r.csv:4: item: entity E001, item I1 is already on line 3",
                "r.csv:5: differs from line 3 for the same entity",
                "r.csv:6: entity: empty",
                "r.csv:6: inspectors: empty",
                "r.csv:6: result_text: the own result code x-own needs its text in 结果说明 (result_text)",
                "r.csv:6: follow_up: \"开除\" is not a follow-up (列入经营异常名录, 立案调查, 责令限期改正, 移送有关部门, 复查)",
                "r.csv:6: deviation: a changed team needs both 人员变动原因 (deviation) and 人员变动说明 (deviation_text)",
            ]
        );
        let errs = read_rows("r.csv", &rows("entity,item\nE1,I1\n")).unwrap_err();
        assert_eq!(errs.len(), 4);
        assert!(errs.iter().all(|e| e.line == 1));
    }

    proptest::proptest! {
        /// Any cells under the standard header: results or errors with lines, never a panic.
        #[test]
        fn any_cells_read_without_panic(
            cells in proptest::collection::vec(proptest::collection::vec(".{0,12}", 0..12), 0..8)
        ) {
            let mut rows = rows(HEAD);
            rows.extend(cells);
            match read_rows("r.csv", &rows) {
                Ok(results) => proptest::prop_assert!(results.windows(2).all(|w| w[0].entity < w[1].entity)),
                Err(errs) => proptest::prop_assert!(errs.iter().all(|e| e.line >= 2)),
            }
        }
    }
}
