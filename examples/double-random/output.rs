//! What the command line writes besides the signed records: the publication table
//! (`sheet.csv`), JSON for programs, tables on the terminal and a progress bar.

use crate::i18n::Lang;
use double_random::bundle::Progress;
use double_random::ceremony::amend::{self, Action, Amendment, Outcome};
use double_random::ceremony::announce::Announcement;
use double_random::ceremony::sheet::{Sheet, SheetEntity};
use double_random::digest::Digest32;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::Path;

/// Everything the publication views show, gathered from the records.
pub struct View<'a> {
    /// The announcement.
    pub announcement: &'a Announcement,
    /// Its digest.
    pub announcement_digest: Digest32,
    /// The sheet.
    pub sheet: &'a Sheet,
    /// Its digest.
    pub sheet_digest: Digest32,
    /// Amendments, in order.
    pub amendments: &'a [Amendment],
    /// Names of the plan's items (ids where unknown).
    pub item_names: Vec<String>,
    /// Language of the page.
    pub lang: Lang,
}

/// One row of the current result: the sheet after its amendments.
pub struct Row {
    /// The entity and its team.
    pub entity: SheetEntity,
    /// The amendment that brought this entity in (补抽), if any.
    pub replacement_of: Option<(u32, String)>,
    /// Amendments that changed its team.
    pub team_changed_by: Vec<u32>,
}

impl View<'_> {
    /// The result after every amendment, in ascending id order.
    pub fn rows(&self) -> Vec<Row> {
        let state = amend::state_after(self.sheet, self.amendments, &BTreeMap::new());
        state
            .entities
            .into_iter()
            .map(|e| {
                let replacement_of = self.amendments.iter().find_map(|a| match (&a.action, &a.outcome) {
                    (Action::ReplaceEntity { entity }, Outcome::ReplaceEntity { entity: new })
                        if new.id == e.id =>
                    {
                        Some((a.seq, entity.clone()))
                    }
                    _ => None,
                });
                let team_changed_by = self
                    .amendments
                    .iter()
                    .filter(|a| matches!(&a.action, Action::ReplaceInspector { entity, .. } if *entity == e.id))
                    .map(|a| a.seq)
                    .collect();
                Row {
                    entity: e,
                    replacement_of,
                    team_changed_by,
                }
            })
            .collect()
    }

    /// An inspector's name (the id when unknown).
    pub fn inspector_name(&self, id: &str) -> String {
        self.sheet
            .inspectors
            .iter()
            .chain(self.amendments.iter().flat_map(|a| a.inspectors.iter()))
            .find(|i| i.id == id)
            .map_or_else(|| id.to_string(), |i| i.name.clone())
    }

    /// The team as names: officers (lead first), then experts marked as such.
    pub fn team_names(&self, e: &SheetEntity) -> String {
        let mut names: Vec<String> = e.officers.iter().map(|i| self.inspector_name(i)).collect();
        let expert = match self.lang {
            Lang::Zh => "（专家）",
            Lang::En => " (expert)",
        };
        names.extend(
            e.experts
                .iter()
                .map(|i| format!("{}{expert}", self.inspector_name(i))),
        );
        names.join("、")
    }
}

/// The publication table: UTF-8 with a byte order mark (so Excel reads Chinese), CRLF line
/// ends, the national publicity columns. The risk class is shown only when the plan publishes it.
///
/// Cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`) are
/// prefixed with `'`.
pub fn sheet_csv(view: &View<'_>) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::from(*b"\xEF\xBB\xBF");
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let publish_risk = view.sheet.entities.iter().any(|e| e.stratum.is_some());
        let mut header = vec![
            "抽查计划编号",
            "抽查计划名称",
            "抽查任务编号",
            "抽查任务名称",
            "抽查类型",
            "抽查机关",
            "名称",
            "统一社会信用代码",
            "检查事项",
            "检查人员",
        ];
        if publish_risk {
            header.push("信用风险分类");
        }
        w.write_record(&header)?;
        let plan = &view.sheet.plan;
        let kind = if plan.directed { "定向" } else { "不定向" };
        let items = view.item_names.join("；");
        for row in view.rows() {
            let e = &row.entity;
            let mut rec = vec![
                plan.plan_id.clone(),
                plan.plan_name.clone(),
                plan.task_id.clone(),
                plan.task_name.clone(),
                kind.to_string(),
                plan.authority.clone(),
                e.name.clone(),
                e.id.clone(),
                items.clone(),
                view.team_names(e),
            ];
            if publish_risk {
                rec.push(e.stratum.clone().unwrap_or_default());
            }
            w.write_record(rec.iter().map(|c| defuse(c)))?;
        }
        w.flush()?;
    }
    Ok(out)
}

fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// A progress bar on standard error for large files, when standard error is a terminal.
pub struct Bar {
    bar: Option<indicatif::ProgressBar>,
    enabled: bool,
}

/// Files smaller than this load without a bar.
const BAR_THRESHOLD: u64 = 4 << 20;

impl Bar {
    /// A bar that shows only on a terminal.
    pub fn new() -> Self {
        Bar {
            bar: None,
            enabled: std::io::stderr().is_terminal(),
        }
    }
}

impl Progress for Bar {
    fn start(&mut self, file: &Path, total_bytes: Option<u64>) {
        if !self.enabled || total_bytes.is_some_and(|t| t < BAR_THRESHOLD) {
            return;
        }
        let bar = match total_bytes {
            Some(t) => indicatif::ProgressBar::new(t),
            None => indicatif::ProgressBar::new_spinner(),
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{msg} [{bar:40}] {bytes}/{total_bytes} ({eta})",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(
            file.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        self.bar = Some(bar);
    }

    fn advance(&mut self, bytes: u64) {
        if let Some(b) = &self.bar {
            b.inc(bytes);
        }
    }

    fn finish(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}

/// The display width of text on a terminal: East Asian wide characters count two columns.
pub fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            let wide = (0x1100..=0x115F).contains(&u)
                || (0x2E80..=0xA4CF).contains(&u)
                || (0xAC00..=0xD7A3).contains(&u)
                || (0xF900..=0xFAFF).contains(&u)
                || (0xFE30..=0xFE4F).contains(&u)
                || (0xFF00..=0xFF60).contains(&u)
                || (0xFFE0..=0xFFE6).contains(&u)
                || (0x20000..=0x3FFFD).contains(&u);
            if wide { 2 } else { 1 }
        })
        .sum()
}

/// Text padded with spaces to `w` display columns.
pub fn pad(s: &str, w: usize) -> String {
    let mut out = s.to_string();
    for _ in width(s)..w {
        out.push(' ');
    }
    out
}

/// Prints rows as aligned columns, indented (the last column is not padded).
pub fn print_table(rows: &[Vec<String>], indent: usize) {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; cols];
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(width(c));
        }
    }
    for r in rows {
        let mut line = " ".repeat(indent);
        for (i, c) in r.iter().enumerate() {
            if i + 1 == r.len() {
                line.push_str(c);
            } else {
                line.push_str(&pad(c, widths[i]));
                line.push_str("  ");
            }
        }
        outln!("{}", line.trim_end());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("公告"), 4);
        assert_eq!(pad("公告", 6), "公告  ");
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(defuse("=1+1"), "'=1+1");
        assert_eq!(defuse("甲公司"), "甲公司");
    }
}
