//! The published views (`sheet.csv`, `sheet.xlsx`, `notice.html`) are rebuilt from the signed
//! records by the folder verification: an edit is a failure naming file, row and column; a view
//! that cannot be rebuilt is reported as not checked.
#![cfg(feature = "xlsx")]

use double_random::bundle::{self, *};
use double_random::publish::check::{DifferenceKind, NotChecked, ViewCheck, ViewStatus};
use double_random::publish::{self, Lang, Publication};
use std::path::{Path, PathBuf};

struct Folder {
    _office: tempfile::TempDir,
    dir: PathBuf,
    key: double_random::sign::PublicKey,
}

/// A drawn folder with its views written, as the command line leaves it.
fn drawn(lang: Lang) -> Folder {
    let example = double_random::internals::example_draw().unwrap();
    let d = &example.drawn;
    let p = Publication::new(&d.announcement, &d.sheet, &[], Some(&d.inputs.items)).unwrap();
    publish::write_views(example.folder.root(), &p, lang).unwrap();
    Folder {
        dir: example.folder.root().to_path_buf(),
        key: example.key.public_key(),
        _office: example.office,
    }
}

fn verify(f: &Folder) -> DirVerification {
    verify_dir_detailed(&f.dir, Some(&f.key), &mut NoProgress).unwrap()
}

fn view<'a>(v: &'a DirVerification, file: &str) -> &'a ViewCheck {
    v.views
        .iter()
        .find(|c| c.file == file)
        .unwrap_or_else(|| panic!("{file} was not checked: {:?}", v.views))
}

/// The first drawn entity's name.
fn first_name(dir: &Path) -> String {
    let sheet: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join(SHEET_FILE)).unwrap()).unwrap();
    sheet["entities"][0]["name"].as_str().unwrap().to_string()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let edited = text.replacen(from, to, 1);
    assert_ne!(text, edited, "{} does not hold {from:?}", path.display());
    std::fs::write(path, edited).unwrap();
}

#[test]
fn untouched_views_match() {
    let f = drawn(Lang::Zh);
    let v = verify(&f);
    assert!(v.report.passed(), "{:?}", v.report.findings);
    let files: Vec<&str> = v.views.iter().map(|c| c.file.as_str()).collect();
    assert_eq!(files, ["sheet.csv", "sheet.xlsx", "notice.html"]);
    for c in &v.views {
        assert!(c.passed(), "{c:?}");
        assert!(c.unchecked.is_empty(), "{c:?}");
    }
}

#[test]
fn an_edited_name_in_sheet_csv_fails_naming_row_and_column() {
    let f = drawn(Lang::Zh);
    let name = first_name(&f.dir);
    edit(&f.dir.join("sheet.csv"), &name, "某某无关公司");
    let v = verify(&f);
    // The signed records are intact; the view is not.
    assert!(v.report.passed());
    let c = view(&v, "sheet.csv");
    assert!(c.failed(), "{c:?}");
    assert_eq!(c.differences.len(), 1, "{c:?}");
    let d = &c.differences[0];
    assert_eq!(
        d.row,
        Some(2),
        "the first entity is on row 2, under the header"
    );
    assert_eq!(d.column.as_deref(), Some("名称"));
    assert_eq!(
        (d.expected.as_str(), d.found.as_str()),
        (name.as_str(), "某某无关公司")
    );
    assert!(view(&v, "sheet.xlsx").passed());
    assert!(view(&v, "notice.html").passed());
}

#[test]
fn an_edited_name_in_sheet_xlsx_fails_naming_row_and_column() {
    let f = drawn(Lang::Zh);
    let name = first_name(&f.dir);
    // Rewrite the workbook as a spreadsheet would after an edit of one cell.
    let cells =
        publish::xlsx::read_cells(&std::fs::read(f.dir.join("sheet.xlsx")).unwrap()).unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (r, row) in cells.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let text = if cell.text() == name {
                "某某无关公司"
            } else {
                cell.text()
            };
            ws.write_string(r as u32, c as u16, text).unwrap();
        }
    }
    std::fs::write(f.dir.join("sheet.xlsx"), book.save_to_buffer().unwrap()).unwrap();
    let v = verify(&f);
    let c = view(&v, "sheet.xlsx");
    assert!(c.failed(), "{c:?}");
    assert_eq!(c.differences.len(), 1, "{c:?}");
    let d = &c.differences[0];
    assert_eq!((d.row, d.column.as_deref()), (Some(2), Some("名称")));
    assert_eq!(d.found, "某某无关公司");
}

#[test]
fn sheet_xlsx_saved_again_by_a_spreadsheet_passes_when_its_cells_are_the_same() {
    let f = drawn(Lang::Zh);
    let path = f.dir.join("sheet.xlsx");
    let ours = std::fs::read(&path).unwrap();
    let cells = publish::xlsx::read_cells(&ours).unwrap();
    // Shared strings, no text format, other widths: other bytes, the same cells, so the check
    // reads them rather than comparing bytes.
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (r, row) in cells.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, cell.text()).unwrap();
        }
    }
    let theirs = book.save_to_buffer().unwrap();
    assert_ne!(theirs, ours);
    std::fs::write(&path, theirs).unwrap();
    let v = verify(&f);
    let c = view(&v, "sheet.xlsx");
    assert!(c.passed(), "{c:?}");
}

#[test]
fn a_code_saved_as_a_number_in_sheet_xlsx_fails() {
    let f = drawn(Lang::Zh);
    let cells =
        publish::xlsx::read_cells(&std::fs::read(f.dir.join("sheet.xlsx")).unwrap()).unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (r, row) in cells.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, cell.text()).unwrap();
        }
    }
    // What a spreadsheet leaves of an 18-digit code read as a number.
    ws.write_number(1, 7, 915201037932918000.0).unwrap();
    std::fs::write(f.dir.join("sheet.xlsx"), book.save_to_buffer().unwrap()).unwrap();
    let v = verify(&f);
    let c = view(&v, "sheet.xlsx");
    assert!(c.failed(), "{c:?}");
    assert_eq!(c.differences[0].column.as_deref(), Some("统一社会信用代码"));
    assert_eq!(c.differences[0].row, Some(2));
}

#[test]
fn an_edited_name_in_notice_html_fails_naming_section_row_and_column() {
    let f = drawn(Lang::Zh);
    let name = first_name(&f.dir);
    edit(&f.dir.join("notice.html"), &name, "某某无关公司");
    let v = verify(&f);
    let c = view(&v, "notice.html");
    assert!(c.failed(), "{c:?}");
    assert_eq!(c.differences.len(), 1, "{c:?}");
    let d = &c.differences[0];
    assert_eq!(d.section.as_deref(), Some("抽取结果"));
    assert_eq!(d.row, Some(2), "the header row is 1");
    assert_eq!(d.column.as_deref(), Some("名称"));
    assert_eq!(
        (d.expected.as_str(), d.found.as_str()),
        (name.as_str(), "某某无关公司")
    );
    assert!(d.line.is_some());
}

#[test]
fn an_english_notice_is_rebuilt_in_english() {
    let f = drawn(Lang::En);
    assert!(view(&verify(&f), "notice.html").passed());
    edit(
        &f.dir.join("notice.html"),
        "Inspection draw result</h1>",
        "Result</h1>",
    );
    let v = verify(&f);
    let c = view(&v, "notice.html");
    assert!(c.failed(), "{c:?}");
    assert_eq!(c.differences[0].found, "Result");
}

#[test]
fn a_notice_in_another_language_or_version_is_not_checked() {
    let f = drawn(Lang::Zh);
    edit(&f.dir.join("notice.html"), "lang=\"zh-CN\"", "lang=\"fr\"");
    let c = view(&verify(&f), "notice.html").clone();
    assert_eq!(
        c.status,
        ViewStatus::NotChecked(NotChecked::Language { found: "fr".into() })
    );
    assert!(!c.passed() && !c.failed());

    let f = drawn(Lang::Zh);
    let generator = publish::notice::generator();
    edit(
        &f.dir.join("notice.html"),
        &generator,
        "double-random views 0",
    );
    let c = view(&verify(&f), "notice.html").clone();
    assert!(
        matches!(c.status, ViewStatus::NotChecked(NotChecked::Version { .. })),
        "{c:?}"
    );
}

#[test]
fn a_table_with_other_columns_is_not_checked() {
    let f = drawn(Lang::Zh);
    edit(&f.dir.join("sheet.csv"), "统一社会信用代码", "代码");
    let c = view(&verify(&f), "sheet.csv").clone();
    assert!(
        matches!(c.status, ViewStatus::NotChecked(NotChecked::Columns { .. })),
        "{c:?}"
    );
}

#[test]
fn without_the_items_roster_the_items_are_left_unchecked() {
    let f = drawn(Lang::Zh);
    std::fs::remove_file(f.dir.join("items.csv")).unwrap();
    let v = verify(&f);
    for c in &v.views {
        assert!(c.passed(), "{c:?}");
        assert_eq!(c.unchecked.len(), 1, "{c:?}");
    }
    // The rest is still compared.
    let name = first_name(&f.dir);
    edit(&f.dir.join("sheet.csv"), &name, "某某无关公司");
    assert!(view(&verify(&f), "sheet.csv").failed());
}

#[test]
fn a_missing_row_is_named() {
    let f = drawn(Lang::Zh);
    let text = std::fs::read_to_string(f.dir.join("sheet.csv")).unwrap();
    let mut lines: Vec<&str> = text.split_inclusive("\r\n").collect();
    lines.pop();
    std::fs::write(f.dir.join("sheet.csv"), lines.concat()).unwrap();
    let v = verify(&f);
    let c = view(&v, "sheet.csv");
    assert!(c.failed(), "{c:?}");
    assert_eq!(c.differences[0].kind, DifferenceKind::MissingRow);
    assert_eq!(c.differences[0].row, Some(lines.len() + 1));
}

#[test]
fn views_are_a_function_of_the_records() {
    let f = drawn(Lang::Zh);
    let read = |n: &str| std::fs::read(f.dir.join(n)).unwrap();
    let before = [read("sheet.csv"), read("sheet.xlsx"), read("notice.html")];
    let ann =
        double_random::ceremony::announce::Announcement::parse(&read(bundle::ANNOUNCEMENT_FILE))
            .unwrap();
    let sheet = double_random::ceremony::sheet::Sheet::parse(&read(SHEET_FILE)).unwrap();
    let inputs = load_inputs(&f.dir, None).unwrap();
    let p = Publication::new(&ann, &sheet, &[], Some(&inputs.items)).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    publish::write_views(&f.dir, &p, Lang::Zh).unwrap();
    let after = [read("sheet.csv"), read("sheet.xlsx"), read("notice.html")];
    assert!(before == after, "the views changed when written again");
}
