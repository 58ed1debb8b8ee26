//! The workbook writer against `rust_xlsxwriter` in constant-memory mode: the same parts,
//! in the same order, with the same content, for any table of text.

use super::write::{Properties, WriteError, text_workbook, text_workbook_of};
use super::{Cell, read_cells};
use proptest::prelude::*;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
use std::io::{Cursor, Read};

fn props() -> Properties<'static> {
    Properties {
        worksheet: "抽查结果",
        title: "抽查结果 DR-2026-0001 <&>",
        author: "贵阳市市场监督管理局",
        created: crate::ceremony::Timestamp::from_unix(1_764_900_000).expect("time"),
    }
}

/// The workbook `rust_xlsxwriter` writes for `table` with the settings of the views.
fn reference(table: &[Vec<String>], props: &Properties<'_>) -> Vec<u8> {
    let created =
        ExcelDateTime::from_timestamp(i64::try_from(props.created.unix()).unwrap()).expect("time");
    let mut book = Workbook::new();
    book.set_zip_compression_level(1);
    book.set_properties(
        &DocProperties::new()
            .set_title(props.title)
            .set_author(props.author)
            .set_creation_datetime(&created),
    );
    let text = Format::new().set_num_format("@");
    let bold = Format::new().set_num_format("@").set_bold();
    let ws = book
        .add_worksheet_with_constant_memory()
        .expect("worksheet");
    ws.set_name(props.worksheet).expect("name");
    let mut widths: Vec<usize> = vec![];
    for (r, rec) in table.iter().enumerate() {
        for (c, cell) in rec.iter().enumerate() {
            if widths.len() <= c {
                widths.resize(c + 1, 0);
            }
            widths[c] = widths[c].max(super::display_width(cell));
            let (row, col) = (u32::try_from(r).unwrap(), u16::try_from(c).unwrap());
            let format = if r == 0 { &bold } else { &text };
            ws.write_string_with_format(row, col, cell, format)
                .expect("cell");
        }
    }
    for (c, w) in widths.iter().enumerate() {
        let w = u32::try_from((*w).clamp(8, 60) + 2).unwrap();
        ws.set_column_width(u16::try_from(c).unwrap(), w)
            .expect("width");
    }
    ws.set_freeze_panes(1, 0).expect("freeze");
    book.save_to_buffer().expect("reference workbook")
}

/// Each entry of a zip: its name, method, mode and content.
fn entries(bytes: &[u8]) -> Vec<(String, String, Option<u32>, String)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("entry");
            let mut text = String::new();
            f.read_to_string(&mut text).expect("utf-8 part");
            let method = format!("{:?}", f.compression());
            (
                f.name().expect("name").into_owned(),
                method,
                f.unix_mode(),
                text,
            )
        })
        .collect()
}

fn assert_same(table: &[Vec<String>]) {
    let ours = text_workbook(table.to_vec(), &props()).expect("workbook");
    // The table in memory, its rows read twice and streamed: the same bytes.
    assert!(text_workbook_of(table, &props()).expect("workbook") == ours);
    let theirs = reference(table, &props());
    let (ours, theirs) = (entries(&ours), entries(&theirs));
    assert_eq!(ours.len(), theirs.len());
    for (a, b) in ours.iter().zip(&theirs) {
        assert_eq!(a, b, "part {}", b.0);
    }
}

fn cells_of(table: &[Vec<String>]) -> Vec<Vec<Cell>> {
    let mut rows: Vec<Vec<Cell>> = table
        .iter()
        .map(|r| {
            let mut cells: Vec<Cell> = r.iter().map(|c| Cell::Text(c.clone())).collect();
            while matches!(cells.last(), Some(Cell::Text(s)) if s.is_empty()) {
                cells.pop();
            }
            cells
        })
        .collect();
    while rows.last().is_some_and(Vec::is_empty) {
        rows.pop();
    }
    rows
}

fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
        .collect()
}

#[test]
fn the_views_table_is_the_reference_workbook() {
    let t = table(&[
        &["序号", "名称", "统一社会信用代码", "检查人员"],
        &[
            "1",
            "贵阳市某某有限公司",
            "915201007095972123",
            "张三、李四",
        ],
        &["2", "=HYPERLINK(\"x\")", "", " lead and trail\n"],
        &[
            "3",
            "a_x0041_b _x00e9_ _x12_ _xZZZZ_",
            "tab\there",
            "ctl\u{1}\u{1f}\r\u{fffe}",
        ],
    ]);
    assert_same(&t);
    let bytes = text_workbook(t.clone(), &props()).expect("workbook");
    assert_eq!(read_cells(&bytes).expect("read"), cells_of(&t));
}

#[test]
fn the_same_table_gives_the_same_bytes() {
    let t = table(&[&["a", "b"], &["1", "2"]]);
    let a = text_workbook(t.clone(), &props()).expect("workbook");
    assert_eq!(a, text_workbook(t, &props()).expect("workbook"));
}

#[test]
fn wide_tables_merge_equal_widths_and_name_columns_past_z() {
    let header: Vec<String> = (0..30).map(|i| format!("列{i}")).collect();
    let mut row: Vec<String> = (0..30).map(|i| "x".repeat(i % 3 * 7)).collect();
    row[27] = "长".repeat(40);
    assert_same(&[header, row]);
}

#[test]
fn a_large_table_streamed_in_pieces_is_the_reference_workbook() {
    // About a megabyte of worksheet XML: the streamed writer hands it on in many pieces.
    let t: Vec<Vec<String>> = (0..4_000)
        .map(|r| {
            (0..10)
                .map(|c| format!("第{r}行 <{c}> _x00{c}F_ 贵阳市某某有限公司"))
                .collect()
        })
        .collect();
    assert_same(&t);
}

#[test]
fn a_cell_too_long_for_a_spreadsheet_is_refused_with_its_place() {
    let t = vec![
        vec!["a".to_owned(), "b".to_owned()],
        vec!["1".to_owned(), "😀".repeat(16_384)],
    ];
    assert_eq!(
        text_workbook(t, &props()),
        Err(WriteError::CellTooLong { row: 2, column: 2 })
    );
    let fits = vec![vec!["x".repeat(32_767)]];
    assert!(text_workbook(fits, &props()).is_ok());
}

#[test]
fn an_empty_table_is_a_readable_empty_workbook() {
    let bytes = text_workbook(Vec::<Vec<String>>::new(), &props()).expect("workbook");
    assert_eq!(read_cells(&bytes).expect("read"), Vec::<Vec<Cell>>::new());
    let header_only = table(&[&["only"]]);
    let bytes = text_workbook(header_only.clone(), &props()).expect("workbook");
    assert_eq!(read_cells(&bytes).expect("read"), cells_of(&header_only));
}

#[test]
fn creation_times_are_written_in_utc() {
    for (unix, text) in [
        (0, "1970-01-01T00:00:00Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (1_764_900_000, "2025-12-05T02:00:00Z"),
        (4_102_444_799, "2099-12-31T23:59:59Z"),
    ] {
        let props = Properties {
            created: crate::ceremony::Timestamp::from_unix(unix).expect("time"),
            ..props()
        };
        let bytes = text_workbook(table(&[&["a"], &["b"]]), &props).expect("workbook");
        let core = entries(&bytes)
            .into_iter()
            .find(|e| e.0 == "docProps/core.xml")
            .expect("core part");
        assert!(core.3.contains(text), "{unix}: {}", core.3);
    }
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9 ]{0,12}",
        "[\\x00-\\x7f]{0,12}",
        "(_x[0-9a-fA-F]{4}_|_x|[&<>\"' \t\n]|[\u{4e00}-\u{4e20}]|\u{fffe}|\u{ffff}|x){0,8}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A text's width counts one for each ASCII character and two for any other.
    #[test]
    fn the_width_counts_one_for_ascii_and_two_for_any_other_character(text in any_text()) {
        let by_char: usize = text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
        prop_assert_eq!(super::display_width(&text), by_char);
    }

    /// Any table of text (at least two rows of at least one cell, so both styles are used)
    /// is the reference workbook, part for part, and reads back as itself.
    #[test]
    fn any_table_is_the_reference_workbook(
        rows in prop::collection::vec(prop::collection::vec(any_text(), 1..6), 2..6)
    ) {
        assert_same(&rows);
        let bytes = text_workbook(rows.clone(), &props()).expect("workbook");
        let read: Vec<Vec<String>> = read_cells(&bytes)
            .expect("read")
            .into_iter()
            .map(|r| r.iter().map(|c| c.text().to_owned()).collect())
            .collect();
        let expected: Vec<Vec<String>> = cells_of(&rows)
            .into_iter()
            .map(|r| r.iter().map(|c| c.text().to_owned()).collect())
            .collect();
        // calamine reads text as XML gives it: a carriage return is read as a line feed.
        let normal = |t: Vec<Vec<String>>| -> Vec<Vec<String>> {
            t.into_iter().map(|r| r.into_iter().map(|c| c.replace('\r', "\n")).collect()).collect()
        };
        prop_assert_eq!(normal(read), normal(expected));
    }
}

/// The workbook a draw publishes and the one its check writes from the table in memory are
/// the same bytes, for a sheet of the size a million-entity roster gives: the check of a
/// published workbook compares bytes first.
#[test]
fn the_published_workbook_and_the_checks_are_the_same_bytes() {
    let (ann, mut sheet) = crate::internals::example_documents().expect("example draw");
    let base = sheet.entities.clone();
    // Names that compress as real ones do: how the compressor's input is cut shows in its
    // output only when the input is not too repetitive.
    let mut x: u64 = 1;
    sheet.entities = (0..20_000)
        .map(|i| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let mut e = base[i % base.len()].clone();
            e.id = format!("91520100{i:010}");
            e.name = format!("{}{}号{}", e.name, x >> 44, x % 997);
            e
        })
        .collect();
    let p = crate::publish::Publication::new(&ann, &sheet, &[], None).expect("publication");
    let published = super::sheet_xlsx(&p).expect("workbook");
    assert!(published == super::sheet_xlsx_of(&p, &p.table()).expect("workbook"));
}

/// A worksheet of `rows` rows, each with one text cell in column `column` (letters).
fn sparse_sheet(rows: usize, column: &str) -> Vec<u8> {
    let mut xml = String::from(
        "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>",
    );
    for r in 1..=rows {
        xml.push_str(&format!(
            "<row r=\"{r}\"><c r=\"{column}{r}\" t=\"inlineStr\"><is><t>x</t></is></c></row>"
        ));
    }
    xml.push_str("</sheetData></worksheet>");
    crate::fuzzing::xlsx_package(xml.as_bytes(), None, true).expect("package")
}

#[test]
fn a_published_workbook_is_read_within_the_roster_limits() {
    // Within the bounds: read, each cell at its place.
    let cells = read_cells(&sparse_sheet(3, "C")).expect("read");
    assert_eq!(cells.len(), 3);
    assert_eq!(
        cells[2],
        vec![
            Cell::Text(String::new()),
            Cell::Text(String::new()),
            Cell::Text("x".into())
        ]
    );
    // A cell past the columns a roster may have.
    assert!(read_cells(&sparse_sheet(1, "XFD")).is_err());
    // One cell per row in the last column a roster may have: 140,000 rows would hold
    // 35,840,000 positions, more than the 2^25 cells a roster workbook may have.
    let err = read_cells(&sparse_sheet(140_000, "IV")).unwrap_err();
    assert!(
        err.to_string().contains("more than 33554432 cells"),
        "{err}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// A published workbook is anyone's file: edits of its worksheet's XML (a byte changed,
    /// inserted or removed) give cells or an error, never a panic, and the same answer twice.
    #[test]
    fn an_edited_worksheet_is_read_or_refused_without_panic(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..4),
        deflate in any::<bool>(),
    ) {
        let t = table(&[&["序号", "名称"], &["1", "贵阳市某某有限公司 _x0041_"], &["2", " a&b "]]);
        let bytes = text_workbook(t, &props()).expect("workbook");
        let sheet = entries(&bytes)
            .into_iter()
            .find(|e| e.0 == "xl/worksheets/sheet1.xml")
            .expect("worksheet")
            .3
            .into_bytes();
        let mut xml = sheet;
        for (at, byte, kind) in edits {
            let i = at.index(xml.len() + 1);
            match kind {
                0 if i < xml.len() => xml[i] = byte,
                1 => xml.insert(i, byte),
                _ if i < xml.len() => {
                    xml.remove(i);
                }
                _ => xml.push(byte),
            }
        }
        let book = crate::fuzzing::xlsx_package(&xml, None, deflate).expect("package");
        let first = read_cells(&book).map_err(|e| e.to_string());
        let again = read_cells(&book).map_err(|e| e.to_string());
        prop_assert_eq!(first, again);
    }
}
