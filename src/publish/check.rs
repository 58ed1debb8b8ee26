//! Rebuilding the views from the signed documents and comparing them with the files present.
//!
//! The views are not signed, so an edited name in `sheet.csv` or `notice.html` would pass a
//! check of the signatures alone. [`check_views`] rebuilds each view present from the
//! documents (which the caller has verified) and reports every cell that differs, naming the
//! file, the row as a spreadsheet numbers it (the header is row 1) and the column by its
//! header; for the notice, the section, the table row and the column (or the row's label).
//!
//! The notice is rebuilt in the language and the zone it records (`<html lang>`,
//! `<meta name="utc-offset">`).
//!
//! A view that cannot be rebuilt — rendered in another language, by another layout version,
//! with other columns, or unreadable — is reported as not checked, never as passing. The
//! items' names come from `items.csv` in the folder when its digest is the announced one;
//! without it the items' cells are listed as unchecked. The notice states the timestamp token
//! beside the announcement (`announcement.json.tsr`), so it is rebuilt with the token there.

use super::{
    CSV_FILE, ITEMS_HEADER, Lang, NOTICE_FILE, Publication, TableRow, XLSX_FILE, csv::neutralise,
    notice,
};
use crate::ceremony::amend::Amendment;
use crate::ceremony::announce::Announcement;
use crate::ceremony::sheet::Sheet;
use crate::ceremony::steps::{ANNOUNCEMENT_FILE, SHEET_FILE, amendment_file};
use crate::formats::jcs::table_digest_of;
use crate::formats::{files, roster_csv};
use crate::model::Item;
use std::path::Path;

/// At most this many differences are listed per file; the rest are counted.
pub const MAX_LISTED: usize = 50;

/// Views larger than this are not read.
const MAX_VIEW_BYTES: u64 = 1 << 30;

/// The check of one view file.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ViewCheck {
    /// The file's name (`sheet.csv`, `sheet.xlsx`, `notice.html`).
    pub file: String,
    /// What the check found.
    pub status: ViewStatus,
    /// The differences listed (at most [`MAX_LISTED`]).
    pub differences: Vec<ViewDifference>,
    /// Differences found beyond those listed.
    pub omitted: usize,
    /// Columns (or notice rows) that could not be rebuilt and so were not compared.
    pub unchecked: Vec<String>,
}

impl ViewCheck {
    /// The file was rebuilt and matches.
    pub fn passed(&self) -> bool {
        self.status == ViewStatus::Matches
    }

    /// The file was rebuilt and differs: it is not what the documents say.
    pub fn failed(&self) -> bool {
        self.status == ViewStatus::Differs
    }
}

/// The outcome of a view's check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ViewStatus {
    /// The file shows what the documents say.
    Matches,
    /// The file differs from its rebuild (see the differences).
    Differs,
    /// The file could not be rebuilt, so it was not checked.
    NotChecked(NotChecked),
}

/// Why a view was not checked.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NotChecked {
    /// The folder has no sheet yet, or a document could not be read.
    #[error("the signed documents could not be read: {detail}")]
    Documents {
        /// Why.
        detail: String,
    },
    /// The file could not be read or parsed.
    #[error("the file cannot be read: {detail}")]
    Unreadable {
        /// Why.
        detail: String,
    },
    /// The notice is in a language this version does not render.
    #[error("written in a language this version does not render ({found:?})")]
    Language {
        /// The `<html lang>` value found (empty when none).
        found: String,
    },
    /// The notice does not record a zone this version reads (`<meta name="utc-offset">`).
    #[error("its times are in a zone this version does not read ({found:?})")]
    Offset {
        /// The `content` found (empty when none).
        found: String,
    },
    /// The notice was written by another layout version.
    #[error("written by another version ({found:?})")]
    Version {
        /// The generator named in the page (empty when none).
        found: String,
    },
    /// The table's header is not this version's.
    #[error("its columns are not this version's: {found:?}")]
    Columns {
        /// The header row found.
        found: Vec<String>,
    },
    /// This build cannot read workbooks (feature `xlsx` off).
    #[error("this build does not read workbooks")]
    NoWorkbookSupport,
}

/// What kind of difference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DifferenceKind {
    /// The cell's text differs.
    Text,
    /// A workbook cell has the right text but is not a text cell (a number, a date), so a
    /// spreadsheet shows and saves something else.
    NotTextCell,
    /// The rebuild has this row; the file does not.
    MissingRow,
    /// The file has this row; the rebuild does not.
    ExtraRow,
}

/// One difference between a view and its rebuild.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ViewDifference {
    /// The notice's section (its heading); `None` for the tables.
    pub section: Option<String>,
    /// The row, 1-based: for the tables as a spreadsheet numbers it (the header is row 1);
    /// for the notice the row of the table within its section (its header row is 1), or
    /// `None` outside a table.
    pub row: Option<usize>,
    /// The column's header (for the notice's two-column tables, the row's label); `None` for
    /// a whole row.
    pub column: Option<String>,
    /// The notice's line, 1-based (`None` for the tables).
    pub line: Option<usize>,
    /// What kind of difference.
    pub kind: DifferenceKind,
    /// What the documents give.
    pub expected: String,
    /// What the file has.
    pub found: String,
}

/// Rebuilds and compares the views present in `dir`, reading the signed documents there.
///
/// For callers that have not read the documents yet; see [`check_views`].
pub fn check_dir(dir: &Path) -> Vec<ViewCheck> {
    let read = |name: &str| files::read_limited(dir.join(name), MAX_VIEW_BYTES).ok();
    let ann = read(ANNOUNCEMENT_FILE).unwrap_or_default();
    let sheet = read(SHEET_FILE);
    let mut amendments = vec![];
    for seq in 1u32.. {
        match read(&amendment_file(seq)) {
            Some(b) => amendments.push(b),
            None => break,
        }
    }
    let refs: Vec<&[u8]> = amendments.iter().map(Vec::as_slice).collect();
    check_views(dir, &ann, sheet.as_deref(), &refs)
}

/// Rebuilds each view present in `dir` (`sheet.csv`, `sheet.xlsx`, `notice.html`) from the
/// signed documents' bytes, already verified by the caller, and compares.
///
/// Views that are absent are not listed. The documents are parsed here; when they do not
/// parse, or there is no sheet, every view present is reported as not checked.
pub fn check_views(
    dir: &Path,
    announcement: &[u8],
    sheet: Option<&[u8]>,
    amendments: &[&[u8]],
) -> Vec<ViewCheck> {
    check_views_in(&dir, announcement, sheet, amendments)
}

/// [`check_views`] on the files of a folder or on files in memory.
pub fn check_views_in(
    src: &dyn files::FileSource,
    announcement: &[u8],
    sheet: Option<&[u8]>,
    amendments: &[&[u8]],
) -> Vec<ViewCheck> {
    let present: Vec<&str> = [CSV_FILE, XLSX_FILE, NOTICE_FILE]
        .into_iter()
        .filter(|f| src.has_file(f))
        .collect();
    if present.is_empty() {
        return vec![];
    }
    let docs = parse_documents(announcement, sheet, amendments);
    let (ann, sheet, amendments) = match docs {
        Ok(d) => d,
        Err(detail) => {
            return present
                .into_iter()
                .map(|f| {
                    not_checked(
                        f,
                        NotChecked::Documents {
                            detail: detail.clone(),
                        },
                    )
                })
                .collect();
        }
    };
    let items = read_items(src, &ann);
    let p = match Publication::new(&ann, &sheet, &amendments, items.as_deref()) {
        Ok(p) => p.with_timestamp(super::read_timestamp_in(src)),
        Err(e) => {
            return present
                .into_iter()
                .map(|f| {
                    not_checked(
                        f,
                        NotChecked::Documents {
                            detail: e.to_string(),
                        },
                    )
                })
                .collect();
        }
    };
    // Each view's bytes, read here, then checked.
    let read: Vec<(&str, Result<Vec<u8>, files::FileError>)> = present
        .into_iter()
        .map(|f| (f, src.read_file(f, MAX_VIEW_BYTES)))
        .collect();
    // The table sheet.csv and sheet.xlsx both hold, built once for both.
    let table =
        (read.iter().any(|(f, _)| *f != NOTICE_FILE)).then(|| p.table_rows().collect::<Vec<_>>());
    let table = table.as_deref().unwrap_or_default();
    let check = |(f, bytes): &(&str, Result<Vec<u8>, files::FileError>)| match bytes {
        Err(e) => not_checked(
            f,
            NotChecked::Unreadable {
                detail: e.to_string(),
            },
        ),
        Ok(bytes) => match *f {
            CSV_FILE => check_csv(&p, table, bytes),
            XLSX_FILE => check_xlsx(&p, table, bytes),
            _ => check_notice(&p, bytes),
        },
    };
    read.iter().map(check).collect()
}

type Documents = (Announcement, Sheet, Vec<Amendment>);

fn parse_documents(
    announcement: &[u8],
    sheet: Option<&[u8]>,
    amendments: &[&[u8]],
) -> Result<Documents, String> {
    let ann = Announcement::parse(announcement).map_err(|e| e.to_string())?;
    let sheet = Sheet::parse(sheet.ok_or_else(|| "there is no sheet.json".to_string())?)
        .map_err(|e| e.to_string())?;
    let amendments = amendments
        .iter()
        .map(|b| Amendment::parse(b).map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((ann, sheet, amendments))
}

/// The items of `dir/items.csv` when their digest is the announced one.
fn read_items(src: &dyn files::FileSource, ann: &Announcement) -> Option<Vec<Item>> {
    let bytes = src.read_file("items.csv", MAX_VIEW_BYTES).ok()?;
    let roster = roster_csv::read_items("items.csv", bytes.as_slice()).ok()?;
    let digest = table_digest_of("items", &roster.rows).ok()?;
    (digest == ann.inputs.items.digest).then_some(roster.rows)
}

fn not_checked(file: &str, why: NotChecked) -> ViewCheck {
    ViewCheck {
        file: file.to_string(),
        status: ViewStatus::NotChecked(why),
        differences: vec![],
        omitted: 0,
        unchecked: vec![],
    }
}

/// Collects differences, listing the first [`MAX_LISTED`].
struct Found {
    file: &'static str,
    listed: Vec<ViewDifference>,
    omitted: usize,
    unchecked: Vec<String>,
}

impl Found {
    fn new(file: &'static str) -> Self {
        Found {
            file,
            listed: vec![],
            omitted: 0,
            unchecked: vec![],
        }
    }

    fn push(&mut self, d: ViewDifference) {
        if self.listed.len() < MAX_LISTED {
            self.listed.push(d);
        } else {
            self.omitted += 1;
        }
    }

    fn finish(self) -> ViewCheck {
        let status = if self.listed.is_empty() {
            ViewStatus::Matches
        } else {
            ViewStatus::Differs
        };
        ViewCheck {
            file: self.file.to_string(),
            status,
            differences: self.listed,
            omitted: self.omitted,
            unchecked: self.unchecked,
        }
    }
}

/// Compares a table read from a file with the rebuilt one, cell by cell.
fn compare_table<S: AsRef<str>>(
    found: &mut Found,
    expected: &[Vec<S>],
    got: &[Vec<(String, bool)>],
    skip_items: bool,
) {
    let header: Vec<&str> = expected
        .first()
        .map(|r| r.iter().map(AsRef::as_ref).collect())
        .unwrap_or_default();
    let items_col = header.iter().position(|h| *h == ITEMS_HEADER);
    if skip_items {
        found.unchecked.push(ITEMS_HEADER.to_string());
    }
    let joined = |r: &[S]| r.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(",");
    for i in 0..expected.len().max(got.len()) {
        let row = Some(i + 1);
        match (expected.get(i), got.get(i)) {
            (Some(e), Some(g)) => {
                for j in 0..e.len().max(g.len()) {
                    if skip_items && Some(j) == items_col {
                        continue;
                    }
                    let exp = e.get(j).map_or("", AsRef::as_ref);
                    let (text, is_text) = g.get(j).map_or(("", true), |(t, k)| (t.as_str(), *k));
                    let kind = if exp != text {
                        DifferenceKind::Text
                    } else if !is_text {
                        DifferenceKind::NotTextCell
                    } else {
                        continue;
                    };
                    found.push(ViewDifference {
                        section: None,
                        row,
                        column: Some(
                            header
                                .get(j)
                                .map_or_else(|| format!("#{}", j + 1), |h| h.to_string()),
                        ),
                        line: None,
                        kind,
                        expected: exp.to_string(),
                        found: text.to_string(),
                    });
                }
            }
            (Some(e), None) => found.push(ViewDifference {
                section: None,
                row,
                column: None,
                line: None,
                kind: DifferenceKind::MissingRow,
                expected: joined(e),
                found: String::new(),
            }),
            (None, Some(g)) => found.push(ViewDifference {
                section: None,
                row,
                column: None,
                line: None,
                kind: DifferenceKind::ExtraRow,
                expected: String::new(),
                found: g
                    .iter()
                    .map(|(t, _)| t.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
            }),
            (None, None) => {}
        }
    }
}

fn check_csv(p: &Publication<'_>, table: &[TableRow<'_>], bytes: &[u8]) -> ViewCheck {
    // The file is a function of the documents: the same bytes as the one written from them
    // hold the same cells, and need not be read (unless a column cannot be checked).
    if p.item_names.is_some() && super::csv::csv_of(table).is_ok_and(|ours| ours == bytes) {
        return Found::new(CSV_FILE).finish();
    }
    let unreadable = |detail: String| not_checked(CSV_FILE, NotChecked::Unreadable { detail });
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.strip_prefix('\u{FEFF}').unwrap_or(t),
        Err(e) => return unreadable(format!("not UTF-8: {e}")),
    };
    let mut rows: Vec<Vec<(String, bool)>> = vec![];
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    for rec in reader.records() {
        match rec {
            Ok(r) => rows.push(r.iter().map(|c| (c.to_string(), true)).collect()),
            Err(e) => return unreadable(e.to_string()),
        }
    }
    let expected: Vec<TableRow<'_>> = table
        .iter()
        .map(|r| r.iter().map(|c| neutralise(c)).collect())
        .collect();
    if let Some(h) = header_mismatch(&expected, &rows) {
        return not_checked(CSV_FILE, h);
    }
    let mut found = Found::new(CSV_FILE);
    compare_table(&mut found, &expected, &rows, p.item_names.is_none());
    found.finish()
}

fn header_mismatch<S: AsRef<str>>(
    expected: &[Vec<S>],
    got: &[Vec<(String, bool)>],
) -> Option<NotChecked> {
    let want = expected.first()?;
    let have: Vec<String> = got
        .first()
        .map(|r| r.iter().map(|(t, _)| t.clone()).collect())
        .unwrap_or_default();
    let same = have.len() == want.len() && have.iter().zip(want).all(|(h, w)| h == w.as_ref());
    (!same).then_some(NotChecked::Columns { found: have })
}

#[cfg(feature = "xlsx")]
fn check_xlsx(p: &Publication<'_>, expected: &[TableRow<'_>], bytes: &[u8]) -> ViewCheck {
    use super::xlsx::{Cell, read_cells};
    // The workbook is a function of the documents: the same bytes as the one written from
    // them hold the same cells, and the workbook need not be read (unless a column cannot be
    // checked). Any other workbook (one edited, or written by another writer) is read and
    // compared cell by cell. In a browser
    // the workbook is always read, so that the page does not carry the writer and its
    // compressor.
    #[cfg(not(target_family = "wasm"))]
    if p.item_names.is_some()
        && super::xlsx::sheet_xlsx_of(p, expected).is_ok_and(|ours| ours == bytes)
    {
        return Found::new(XLSX_FILE).finish();
    }
    let cells = match read_cells(bytes) {
        Ok(c) => c,
        Err(e) => {
            return not_checked(
                XLSX_FILE,
                NotChecked::Unreadable {
                    detail: e.to_string(),
                },
            );
        }
    };
    let rows: Vec<Vec<(String, bool)>> = cells
        .into_iter()
        .map(|r| {
            r.into_iter()
                .map(|c| match c {
                    Cell::Text(t) => (t, true),
                    Cell::Other(t) => (t, false),
                })
                .collect()
        })
        .collect();
    if let Some(h) = header_mismatch(expected, &rows) {
        return not_checked(XLSX_FILE, h);
    }
    let mut found = Found::new(XLSX_FILE);
    compare_table(&mut found, expected, &rows, p.item_names.is_none());
    found.finish()
}

#[cfg(not(feature = "xlsx"))]
fn check_xlsx(_: &Publication<'_>, _: &[TableRow<'_>], _: &[u8]) -> ViewCheck {
    not_checked(XLSX_FILE, NotChecked::NoWorkbookSupport)
}

fn check_notice(p: &Publication<'_>, bytes: &[u8]) -> ViewCheck {
    let Ok(page) = std::str::from_utf8(bytes) else {
        return not_checked(
            NOTICE_FILE,
            NotChecked::Unreadable {
                detail: "not UTF-8".into(),
            },
        );
    };
    let code = notice::attribute(page, "<html", "lang").unwrap_or_default();
    let Some(lang) = Lang::from_html_code(&code) else {
        return not_checked(NOTICE_FILE, NotChecked::Language { found: code });
    };
    let generator =
        notice::attribute(page, "<meta name=\"generator\"", "content").unwrap_or_default();
    if generator != notice::generator() {
        return not_checked(NOTICE_FILE, NotChecked::Version { found: generator });
    }
    let offset = notice::offset_of(page).unwrap_or_default();
    let Ok(zone) = offset.parse() else {
        return not_checked(NOTICE_FILE, NotChecked::Offset { found: offset });
    };
    let zoned = p.clone().with_zone(zone);
    let p = &zoned;
    let expected = notice::render(p, lang, &notice::standard_sections());
    let mut found = Found::new(NOTICE_FILE);
    if expected == page {
        return found.finish();
    }
    let items_label = match lang {
        Lang::Zh => "检查事项",
        Lang::En => "Items",
    };
    let skip_items = p.item_names.is_none();
    if skip_items {
        found.unchecked.push(items_label.to_string());
    }
    let exp: Vec<&str> = expected.lines().collect();
    let got: Vec<&str> = page.lines().collect();
    let places = locate(&exp);
    // Lines before the first and after the last difference match; pair the rest in order.
    let prefix = exp.iter().zip(&got).take_while(|(a, b)| a == b).count();
    let suffix = exp[prefix..]
        .iter()
        .rev()
        .zip(got[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (exp_mid, got_mid) = (
        &exp[prefix..exp.len() - suffix],
        &got[prefix..got.len() - suffix],
    );
    for k in 0..exp_mid.len().max(got_mid.len()) {
        let i = prefix + k;
        let place = places
            .get(i.min(places.len().saturating_sub(1)))
            .cloned()
            .unwrap_or_default();
        match (exp_mid.get(k), got_mid.get(k)) {
            (Some(e), Some(g)) if e == g => {}
            (Some(e), Some(g)) => {
                let (ec, gc) = (cells(e), cells(g));
                if ec.is_empty() {
                    found.push(ViewDifference {
                        section: place.section.clone(),
                        row: None,
                        column: None,
                        line: Some(i + 1),
                        kind: DifferenceKind::Text,
                        expected: text_of(e),
                        found: text_of(g),
                    });
                    continue;
                }
                let label = ec
                    .first()
                    .filter(|(th, _)| *th && ec.iter().skip(1).all(|(t, _)| !t))
                    .map(|(_, t)| t.clone());
                if skip_items && label.as_deref() == Some(items_label) {
                    continue;
                }
                for j in 0..ec.len().max(gc.len()) {
                    let a = ec.get(j).map_or("", |(_, t)| t.as_str());
                    let b = gc.get(j).map_or("", |(_, t)| t.as_str());
                    if a == b && j < ec.len() && j < gc.len() {
                        continue;
                    }
                    let column = label
                        .clone()
                        .or_else(|| place.headers.get(j).cloned())
                        .or_else(|| Some(format!("#{}", j + 1)));
                    found.push(ViewDifference {
                        section: place.section.clone(),
                        row: place.row,
                        column,
                        line: Some(i + 1),
                        kind: DifferenceKind::Text,
                        expected: a.to_string(),
                        found: b.to_string(),
                    });
                }
                // Same cells, different markup: still a difference.
                if ec == gc && e != g {
                    found.push(ViewDifference {
                        section: place.section.clone(),
                        row: place.row,
                        column: None,
                        line: Some(i + 1),
                        kind: DifferenceKind::Text,
                        expected: (*e).to_string(),
                        found: (*g).to_string(),
                    });
                }
            }
            (Some(e), None) => found.push(ViewDifference {
                section: place.section.clone(),
                row: place.row,
                column: None,
                line: Some(i + 1),
                kind: DifferenceKind::MissingRow,
                expected: text_of(e),
                found: String::new(),
            }),
            (None, Some(g)) => found.push(ViewDifference {
                section: place.section.clone(),
                row: None,
                column: None,
                line: Some(i + 1),
                kind: DifferenceKind::ExtraRow,
                expected: String::new(),
                found: text_of(g),
            }),
            (None, None) => {}
        }
    }
    if exp == got {
        // The same lines with other line ends: the page is still not the rebuilt one.
        found.push(ViewDifference {
            section: None,
            row: None,
            column: None,
            line: None,
            kind: DifferenceKind::Text,
            expected: format!("{} bytes", expected.len()),
            found: format!("{} bytes", page.len()),
        });
    }
    found.finish()
}

/// Where a line of the rebuilt notice is: its section, its table row and the table's header.
#[derive(Clone, Debug, Default)]
struct Place {
    section: Option<String>,
    row: Option<usize>,
    headers: Vec<String>,
}

fn locate(lines: &[&str]) -> Vec<Place> {
    let mut out = Vec::with_capacity(lines.len());
    let mut cur = Place::default();
    let mut row = 0usize;
    for l in lines {
        let t = l.trim_start();
        if t.starts_with("<h2>") {
            cur.section = Some(text_of(t));
        }
        if t.starts_with("<table>") || t.ends_with("<table>") {
            row = 0;
            cur.headers.clear();
        }
        // A section heading can share its line with the table's opening (and header row).
        if let Some(at) = t.find("<tr>") {
            row += 1;
            let c = cells(&t[at..]);
            if row == 1 && c.iter().all(|(th, _)| *th) && c.len() > 1 {
                cur.headers = c.into_iter().map(|(_, s)| s).collect();
            }
            out.push(Place {
                row: Some(row),
                ..cur.clone()
            });
        } else {
            out.push(Place {
                row: None,
                ..cur.clone()
            });
        }
    }
    out
}

/// The cells of a table row line: (whether a header cell, its text).
fn cells(line: &str) -> Vec<(bool, String)> {
    let mut out = vec![];
    let mut rest = match line.find("<tr>") {
        Some(at) => &line[at..],
        None => return out,
    };
    while let Some(at) = rest.find(['<']) {
        rest = &rest[at..];
        let th = rest.starts_with("<th");
        if !(th || rest.starts_with("<td")) {
            rest = &rest[1..];
            continue;
        }
        let close = if th { "</th>" } else { "</td>" };
        let Some(open_end) = rest.find('>') else {
            break;
        };
        let body = &rest[open_end + 1..];
        let end = body.find(close).unwrap_or(body.len());
        out.push((th, text_of(&body[..end])));
        rest = &body[end..];
    }
    out
}

/// The text of HTML: tags dropped, the escapes of [`notice::escape`] undone.
fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use notice::attribute;

    #[test]
    fn views_come_back_in_order_and_an_edited_one_fails() {
        // The draw folder holds items.csv, so the items' names are checked too.
        let d = crate::internals::example_draw().expect("example draw");
        let (ann, sheet) = (&d.drawn.announcement, &d.drawn.sheet);
        let items = &d.drawn.inputs.items;
        let p = Publication::new(ann, sheet, &[], Some(items)).expect("publication");
        let dir = d.folder.root();
        super::super::write_views(dir, &p, super::super::Lang::Zh).expect("views");
        let (a, s) = (
            ann.to_canonical().expect("ann"),
            sheet.to_canonical().expect("sheet"),
        );
        let src: &dyn files::FileSource = &dir;
        let checked = check_views_in(src, &a, Some(&s), &[]);
        let files: Vec<&str> = checked.iter().map(|c| c.file.as_str()).collect();
        assert_eq!(files, [CSV_FILE, XLSX_FILE, NOTICE_FILE]);
        assert!(checked.iter().all(|c| c.passed() && c.unchecked.is_empty()));
        // Saved again with other line ends, the table holds the same cells: read, it passes.
        let csv = dir.join(CSV_FILE);
        let text = std::fs::read_to_string(&csv).expect("csv");
        std::fs::write(&csv, text.replace("\r\n", "\n")).expect("csv");
        assert!(check_views_in(src, &a, Some(&s), &[])[0].passed());
        // One cell edited: the difference comes back in its place.
        let name = &sheet.entities[0].name;
        std::fs::write(&csv, text.replacen(name.as_str(), "某某无关公司", 1)).expect("csv");
        let checked = check_views_in(src, &a, Some(&s), &[]);
        assert!(checked[0].failed() && checked[1].passed() && checked[2].passed());
        assert_eq!(checked[0].differences.len(), 1);
    }

    #[test]
    fn cells_of_rows() {
        assert_eq!(
            cells("<tr><th>名称</th><td class=\"n\">1 &amp; 2</td></tr>"),
            vec![(true, "名称".into()), (false, "1 & 2".into())]
        );
        assert!(cells("<p>x</p>").is_empty());
    }

    #[test]
    fn a_number_cell_with_the_right_text_is_a_difference() {
        let expected = vec![
            vec!["名称".to_string(), "代码".to_string()],
            vec!["甲".to_string(), "12".to_string()],
        ];
        let text = |s: &str| (s.to_string(), true);
        let got = vec![
            vec![text("名称"), text("代码")],
            vec![text("甲"), ("12".to_string(), false)],
        ];
        let mut found = Found::new(XLSX_FILE);
        compare_table(&mut found, &expected, &got, false);
        let c = found.finish();
        assert!(c.failed());
        assert_eq!(c.differences[0].kind, DifferenceKind::NotTextCell);
        assert_eq!(
            (c.differences[0].row, c.differences[0].column.as_deref()),
            (Some(2), Some("代码"))
        );
    }

    #[test]
    fn differences_past_the_limit_are_counted() {
        let mut found = Found::new(CSV_FILE);
        let expected: Vec<Vec<String>> =
            (0..=MAX_LISTED + 5).map(|i| vec![i.to_string()]).collect();
        let got: Vec<Vec<(String, bool)>> = std::iter::once(vec![("0".to_string(), true)])
            .chain((1..=MAX_LISTED + 5).map(|_| vec![("x".to_string(), true)]))
            .collect();
        compare_table(&mut found, &expected, &got, false);
        let c = found.finish();
        assert_eq!((c.differences.len(), c.omitted), (MAX_LISTED, 5));
    }

    #[test]
    fn attributes() {
        let page = "<!DOCTYPE html>\n<html lang=\"en\">\n<meta name=\"generator\" content=\"x y\">";
        assert_eq!(attribute(page, "<html", "lang").as_deref(), Some("en"));
        assert_eq!(
            attribute(page, "<meta name=\"generator\"", "content").as_deref(),
            Some("x y")
        );
        assert_eq!(attribute(page, "<body", "lang"), None);
    }
}
