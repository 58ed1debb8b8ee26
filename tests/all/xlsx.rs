//! Workbooks read like their CSV exports. The fixtures are built here, part by part, as the
//! Office Open XML format lays them out (calamine only reads).
#![cfg(feature = "xlsx")]

use std::io::Write;

use double_random::codes::uscc_check_char;
use double_random::formats::error::{InputErrorKind, WorkbookLimit};
use double_random::formats::roster::{Encoding, HeaderLanguage};
use double_random::formats::roster_csv::{read_entities, read_history};
use double_random::formats::xlsx::{
    XlsxLimits, read_entities_xlsx, read_entities_xlsx_limited, read_history_xlsx,
    read_inspectors_xlsx,
};
use double_random::fuzzing::{check_xlsx, xlsx_package};

/// A cell of the fixture worksheet.
enum Cell<'a> {
    /// Text (an inline string).
    S(&'a str),
    /// A number, as written in the XML.
    N(&'a str),
    /// A date serial with a date format.
    D(u32),
    /// An error value.
    E(&'a str),
    /// Nothing.
    Blank,
}

fn column_letter(i: usize) -> String {
    let mut n = i + 1;
    let mut s = Vec::new();
    while n > 0 {
        s.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Writes a one-sheet workbook; `rows[i]` is worksheet row `i + 1`, `None` leaves it out.
fn workbook(path: &std::path::Path, rows: &[Option<Vec<Cell<'_>>>]) {
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (ri, row) in rows.iter().enumerate() {
        let Some(row) = row else { continue };
        let r = ri + 1;
        sheet.push_str(&format!("<row r=\"{r}\">"));
        for (ci, cell) in row.iter().enumerate() {
            let at = format!("{}{r}", column_letter(ci));
            match cell {
                Cell::S(s) => sheet.push_str(&format!(
                    "<c r=\"{at}\" t=\"inlineStr\"><is><t>{}</t></is></c>",
                    escape(s)
                )),
                Cell::N(n) => sheet.push_str(&format!("<c r=\"{at}\"><v>{n}</v></c>")),
                Cell::D(d) => sheet.push_str(&format!("<c r=\"{at}\" s=\"1\"><v>{d}</v></c>")),
                Cell::E(e) => sheet.push_str(&format!("<c r=\"{at}\" t=\"e\"><v>{e}</v></c>")),
                Cell::Blank => {}
            }
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");

    let parts: [(&str, &str); 5] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名录" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#,
        ),
        (
            "xl/styles.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>"#,
        ),
    ];
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, body) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    zip.write_all(sheet.as_bytes()).unwrap();
    zip.finish().unwrap();
}

fn uscc(first17: &str) -> String {
    format!("{first17}{}", uscc_check_char(first17).unwrap())
}

#[test]
fn a_workbook_reads_like_its_csv_export() {
    let a = uscc("91350100M000100Y4");
    let b = uscc("91520102MA6H0001A");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("entities.xlsx");
    use Cell::*;
    workbook(
        &path,
        &[
            Some(vec![
                S("统一社会信用代码"),
                S("名称"),
                S("类型"),
                S("行政区划代码"),
                S("行业代码"),
                S("登记状态"),
                S("经营异常名录"),
                S("信用风险分类"),
            ]),
            Some(vec![
                S(&a),
                S("甲公司"),
                S("企业"),
                N("520102"),
                N("1311"),
                S("存续"),
                S("否"),
                S("A"),
            ]),
            // An empty row is skipped.
            Some(vec![Blank, S(" ")]),
            Some(vec![
                S(&b.to_lowercase()),
                S("乙公司"),
                S("企业"),
                S("520103"),
                S("0111"),
                S("存续"),
                N("1"),
                Blank,
            ]),
        ],
    );
    let from_xlsx = read_entities_xlsx(&path).unwrap();
    assert_eq!(from_xlsx.encoding, Encoding::Xlsx);
    assert_eq!(from_xlsx.header_language, HeaderLanguage::Chinese);
    assert_eq!(from_xlsx.lines, [2, 4]);

    let csv = format!(
        "统一社会信用代码,名称,类型,行政区划代码,行业代码,登记状态,经营异常名录,信用风险分类\n\
         {a},甲公司,企业,520102,1311,存续,否,A\n{b},乙公司,企业,520103,0111,存续,是,\n"
    );
    let from_csv = read_entities("entities.csv", csv.as_bytes()).unwrap();
    assert_eq!(from_xlsx.rows, from_csv.rows);
    assert_eq!(from_xlsx.digest().unwrap(), from_csv.digest().unwrap());
    assert!(from_xlsx.rows[1].abnormal);
    assert_eq!(from_xlsx.rows[1].industry, "A0111");
}

#[test]
fn numbers_that_lost_digits_are_refused_at_their_row_and_column() {
    let a = uscc("91350100M000100Y4");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("entities.xlsx");
    use Cell::*;
    workbook(
        &path,
        &[
            Some(vec![
                S("id"),
                S("name"),
                S("kind"),
                S("region"),
                S("industry"),
                S("status"),
            ]),
            Some(vec![
                S(&a),
                S("甲"),
                S("企业"),
                N("520102"),
                Blank,
                S("存续"),
            ]),
            Some(vec![
                N("9.13501E+17"),
                S("乙"),
                S("企业"),
                N("520102"),
                N("111"),
                S("存续"),
            ]),
            Some(vec![
                N("913501000000000000"),
                S("丙"),
                S("企业"),
                E("#N/A"),
                Blank,
                S("存续"),
            ]),
        ],
    );
    let errors = read_entities_xlsx(&path).unwrap_err();
    let got: Vec<(u64, Option<&str>)> = errors
        .errors
        .iter()
        .map(|e| (e.line, e.field.as_ref().map(|f| f.name)))
        .collect();
    assert_eq!(
        got,
        [
            (3, Some("id")),
            (3, Some("industry")),
            (4, Some("id")),
            (4, Some("region"))
        ],
        "{errors}"
    );
    assert!(matches!(
        errors.errors[0].kind,
        InputErrorKind::NumberInCodeColumn { .. }
    ));
    assert!(matches!(
        errors.errors[1].kind,
        InputErrorKind::IndustryNumber { .. }
    ));
    assert!(matches!(
        errors.errors[3].kind,
        InputErrorKind::CellError { .. }
    ));
    let shown = errors.errors[0].to_string();
    assert!(shown.starts_with("entities.xlsx:3: field id: "), "{shown}");
    assert!(shown.contains("format the column as Text"), "{shown}");
}

#[test]
fn date_cells_and_structure() {
    let a = uscc("91350100M000100Y4");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.xlsx");
    use Cell::*;
    workbook(
        &path,
        &[
            Some(vec![S("统一社会信用代码"), S("检查日期"), S("检查人员")]),
            // 46082 is 2026-03-01.
            Some(vec![S(&a), D(46082), S("GZ2、GZ1")]),
            Some(vec![S(&a), S("2026年3月2日"), N("1001")]),
        ],
    );
    let h = read_history_xlsx(&path).unwrap();
    let csv = format!("entity,date,inspectors\n{a},2026-03-01,GZ1;GZ2\n{a},2026/3/2,1001\n");
    let c = read_history("history.csv", csv.as_bytes()).unwrap();
    assert_eq!(h.rows, c.rows);
    assert_eq!(h.rows[0].date.to_string(), "2026-03-01");

    // The header must be in row 1.
    let late = dir.path().join("inspectors.xlsx");
    workbook(
        &late,
        &[None, Some(vec![S("执法证号"), S("姓名"), S("部门")])],
    );
    let e = read_inspectors_xlsx(&late).unwrap_err();
    assert_eq!(e.errors[0].kind, InputErrorKind::HeaderNotInFirstRow);
    // A row 1 holding only white space is blank, so the header is not in row 1 either.
    workbook(
        &late,
        &[
            Some(vec![S("\u{3000}"), S(" ")]),
            Some(vec![S("执法证号"), S("姓名"), S("部门")]),
        ],
    );
    let e = read_inspectors_xlsx(&late).unwrap_err();
    assert_eq!(e.errors[0].kind, InputErrorKind::HeaderNotInFirstRow);
    // Blank rows after the header are skipped: cells empty after trim() (SPEC §3.2's TRIM set,
    // so U+3000 and U+00A0 too, unlike CSV's ASCII white space).
    workbook(
        &late,
        &[
            Some(vec![S("执法证号"), S("姓名"), S("部门")]),
            Some(vec![S("\u{3000}"), S("\u{a0}"), S("\u{feff}")]),
            Some(vec![S("1001"), S("张三"), S("局")]),
        ],
    );
    let ok = read_inspectors_xlsx(&late).unwrap();
    assert_eq!(ok.rows.len(), 1);
    assert_eq!(ok.rows[0].name, "张三");

    // An empty sheet is an empty file; a header alone has no rows.
    let empty = dir.path().join("empty.xlsx");
    workbook(&empty, &[]);
    assert_eq!(
        read_inspectors_xlsx(&empty).unwrap_err().errors[0].kind,
        InputErrorKind::EmptyFile
    );
    workbook(&empty, &[Some(vec![S("执法证号"), S("姓名"), S("部门")])]);
    assert_eq!(
        read_inspectors_xlsx(&empty).unwrap_err().errors[0].kind,
        InputErrorKind::NoRows
    );

    // Duplicates name both worksheet rows.
    workbook(
        &empty,
        &[
            Some(vec![S("执法证号"), S("姓名"), S("部门")]),
            Some(vec![N("1001"), S("张三"), S("局")]),
            Some(vec![S("1001"), S("李四"), S("局")]),
        ],
    );
    let e = read_inspectors_xlsx(&empty).unwrap_err();
    assert_eq!(e.errors[0].line, 3);
    assert_eq!(
        e.errors[0].kind,
        InputErrorKind::DuplicateId {
            id: "1001".into(),
            first_line: 2
        }
    );
}

// ---- bounds ------------------------------------------------------------------------------
//
// Each hostile workbook below is refused with the bound it passes, under the default limits
// (through the file reader every command uses) or, where a workbook past the default would
// take long to build in a test, under smaller limits. `tests/bad_inputs/xlsx_memory.sh` runs
// the catalogue's workbooks and larger ones through the command line and measures its peak
// memory.

const HEADER: &str = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>"#;

fn sheet(dimension: &str, rows: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>{rows}</sheetData></worksheet>"#
    )
    .into_bytes()
}

/// Reads `bytes` as entities.xlsx from a file, under the default limits.
fn refused(bytes: &[u8]) -> (WorkbookLimit, String, u64, u64) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("entities.xlsx");
    std::fs::write(&path, bytes).unwrap();
    limit_error(read_entities_xlsx(&path).map(drop))
}

fn limit_error(
    r: Result<(), double_random::formats::error::InputErrors>,
) -> (WorkbookLimit, String, u64, u64) {
    let e = r.expect_err("the workbook was read");
    assert_eq!(e.errors.len(), 1, "{e}");
    let shown = e.errors[0].to_string();
    assert!(shown.starts_with("entities.xlsx: "), "{shown}");
    match &e.errors[0].kind {
        InputErrorKind::WorkbookLimit {
            limit,
            part,
            found,
            max,
        } => (*limit, part.clone(), *found, *max),
        other => panic!("not a limit: {other:?}"),
    }
}

/// Sets a zip entry's declared uncompressed size, in its local header and in the directory.
fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    let mut patched = 0;
    for at in 0..zip.len().saturating_sub(46) {
        let (offset, name_at) = match &zip[at..at + 4] {
            b"PK\x03\x04" => (22, 30),
            b"PK\x01\x02" => (24, 46),
            _ => continue,
        };
        if zip[at + name_at..].starts_with(name.as_bytes()) {
            zip[at + offset..at + offset + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "{name}");
}

#[test]
fn a_cell_at_the_last_column_and_row_is_refused_before_anything_is_allocated() {
    // The reported workbook: a 1.7 KB file that made the reader ask for 512 GiB.
    let cells = r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#;
    let declared = sheet(
        r#"<dimension ref="A1:XFD1048576"/>"#,
        &format!("{HEADER}{cells}"),
    );
    let bytes = xlsx_package(&declared, None, true).unwrap();
    assert!(bytes.len() < 2000, "{}", bytes.len());
    assert_eq!(
        refused(&bytes),
        (
            WorkbookLimit::DimensionColumns,
            "xl/worksheets/sheet1.xml".into(),
            16384,
            256
        )
    );
    // Without the dimension, the cell itself.
    let bare = sheet("", &format!("{HEADER}{cells}"));
    assert_eq!(
        refused(&xlsx_package(&bare, None, true).unwrap()),
        (
            WorkbookLimit::Columns,
            "xl/worksheets/sheet1.xml".into(),
            16384,
            256
        )
    );
}

#[test]
fn rows_and_columns_past_the_limits_are_refused() {
    let row = sheet(
        "",
        &format!(r#"{HEADER}<row r="1048577"><c r="A1048577"><v>1</v></c></row>"#),
    );
    assert_eq!(
        refused(&xlsx_package(&row, None, false).unwrap()),
        (
            WorkbookLimit::Rows,
            "xl/worksheets/sheet1.xml".into(),
            1_048_577,
            1_048_576
        )
    );
    let column = sheet("", r#"<row r="1"><c r="IW1"><v>1</v></c></row>"#);
    assert_eq!(
        refused(&xlsx_package(&column, None, false).unwrap()),
        (
            WorkbookLimit::Columns,
            "xl/worksheets/sheet1.xml".into(),
            257,
            256
        )
    );
    let dimension = sheet(r#"<dimension ref="A1:B1048577"/>"#, HEADER);
    assert_eq!(
        refused(&xlsx_package(&dimension, None, false).unwrap()),
        (
            WorkbookLimit::DimensionRows,
            "xl/worksheets/sheet1.xml".into(),
            1_048_577,
            1_048_576
        )
    );
    // The last row and column allowed still read (here: an error about the roster itself).
    let edge = sheet(
        r#"<dimension ref="A1:IV1048576"/>"#,
        &format!(r#"{HEADER}<row r="1048576"><c r="IV1048576"><v>1</v></c></row>"#),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("entities.xlsx");
    std::fs::write(&path, xlsx_package(&edge, None, true).unwrap()).unwrap();
    let e = read_entities_xlsx(&path).unwrap_err();
    assert!(
        !e.errors
            .iter()
            .any(|x| matches!(x.kind, InputErrorKind::WorkbookLimit { .. })),
        "{e}"
    );
}

#[test]
fn a_giant_cell_is_refused_while_it_is_inflated() {
    let limit = XlsxLimits::DEFAULT.cell_bytes as usize;
    let big = "名".repeat(limit / 3 + 1);
    let cell = sheet(
        "",
        &format!(r#"{HEADER}<row r="2"><c r="A2" t="inlineStr"><is><t>{big}</t></is></c></row>"#),
    );
    let (l, part, found, max) = refused(&xlsx_package(&cell, None, true).unwrap());
    assert_eq!(
        (l, part.as_str(), max),
        (WorkbookLimit::Cell, "xl/worksheets/sheet1.xml", 1 << 20)
    );
    assert!(found > max, "{found}");
    // The same text as a shared string.
    let shared = format!(
        r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>{big}</t></si></sst>"#
    );
    let uses = sheet("", r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#);
    let (l, part, ..) = refused(&xlsx_package(&uses, Some(shared.as_bytes()), true).unwrap());
    assert_eq!(
        (l, part.as_str()),
        (WorkbookLimit::SharedString, "xl/sharedStrings.xml")
    );
    // One byte less than the limit is a cell like any other.
    let fits = "x".repeat(limit - 200);
    let cell = sheet(
        "",
        &format!(r#"{HEADER}<row r="2"><c r="A2" t="inlineStr"><is><t>{fits}</t></is></c></row>"#),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("entities.xlsx");
    std::fs::write(&path, xlsx_package(&cell, None, true).unwrap()).unwrap();
    let e = read_entities_xlsx(&path).unwrap_err();
    assert!(
        !e.errors
            .iter()
            .any(|x| matches!(x.kind, InputErrorKind::WorkbookLimit { .. })),
        "{e}"
    );
}

#[test]
fn declared_part_sizes_are_checked_and_believed_only_while_true() {
    let body = sheet(
        "",
        &format!(
            "{HEADER}{}",
            r#"<row r="2"><c r="A2"><v>1</v></c></row>"#.repeat(50)
        ),
    );
    let honest = xlsx_package(&body, None, true).unwrap();
    // The directory says 100 bytes fewer than the part inflates to.
    let mut lying = honest.clone();
    declare_size(
        &mut lying,
        "xl/worksheets/sheet1.xml",
        body.len() as u32 - 100,
    );
    let (l, part, found, max) = refused(&lying);
    assert_eq!(
        (l, part.as_str(), max),
        (
            WorkbookLimit::PartInflated,
            "xl/worksheets/sheet1.xml",
            body.len() as u64 - 100
        )
    );
    assert!(found > max);
    // A declared size past the limit is refused before anything is inflated.
    let mut huge = honest.clone();
    declare_size(&mut huge, "xl/worksheets/sheet1.xml", 3 << 30);
    assert_eq!(
        refused(&huge),
        (
            WorkbookLimit::PartBytes,
            "xl/worksheets/sheet1.xml".into(),
            3 << 30,
            2 << 30
        )
    );
    // Parts just under the limit that add up past the total.
    let mut many = honest;
    for name in ["xl/workbook.xml", "_rels/.rels", "xl/worksheets/sheet1.xml"] {
        declare_size(&mut many, name, 2 << 30);
    }
    let (l, part, found, max) = refused(&many);
    assert_eq!(
        (l, part.as_str(), max),
        (WorkbookLimit::TotalBytes, "", 4 << 30)
    );
    assert!(found > max);
}

#[test]
fn shared_strings_parts_and_cells_are_counted() {
    let tight = |l: XlsxLimits, bytes: &[u8]| {
        limit_error(
            read_entities_xlsx_limited("entities.xlsx", std::io::Cursor::new(bytes), &l).map(drop),
        )
    };
    let d = XlsxLimits::DEFAULT;
    let uses = sheet("", r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#);
    let sst = |items: &str| {
        format!(
            r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{items}</sst>"#
        )
    };
    let five = sst(&"<si><t>abc</t></si>".repeat(5));
    let book = xlsx_package(&uses, Some(five.as_bytes()), true).unwrap();
    assert_eq!(
        tight(
            XlsxLimits {
                shared_strings: 4,
                ..d
            },
            &book
        ),
        (
            WorkbookLimit::SharedStrings,
            "xl/sharedStrings.xml".into(),
            5,
            4
        )
    );
    // Found by the xlsx fuzz target: calamine reserves room for the `uniqueCount` an `<sst>`
    // declares before it reads a string (15,444,444,444,444 aborted the process, out of
    // memory), so a declared count past the bound is refused too, however few strings follow.
    for declared in [
        r#"uniqueCount="15444444444444""#,
        r#"count="1" uniqueCount='5'"#,
    ] {
        let one = format!(
            r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" {declared}><si><t>abc</t></si></sst>"#
        );
        let book = xlsx_package(&uses, Some(one.as_bytes()), true).unwrap();
        let (limit, part, found, max) = tight(
            XlsxLimits {
                shared_strings: 4,
                ..d
            },
            &book,
        );
        assert_eq!(
            (limit, part.as_str(), max),
            (WorkbookLimit::SharedStrings, "xl/sharedStrings.xml", 4),
            "{declared}"
        );
        assert!(found == 5 || found == 15_444_444_444_444, "{found}");
    }
    // Five strings of 14 bytes as stored (`<si><t>abc</t>`, up to `</si>`): 70 in all.
    assert_eq!(
        tight(
            XlsxLimits {
                shared_string_bytes: 69,
                ..d
            },
            &book
        ),
        (
            WorkbookLimit::SharedStringBytes,
            "xl/sharedStrings.xml".into(),
            70,
            69
        )
    );
    assert!(
        read_entities_xlsx_limited(
            "e.xlsx",
            std::io::Cursor::new(&book),
            &XlsxLimits {
                shared_strings: 5,
                shared_string_bytes: 70,
                ..d
            }
        )
        .is_err_and(|e| !e
            .errors
            .iter()
            .any(|x| matches!(x.kind, InputErrorKind::WorkbookLimit { .. })))
    );
    assert_eq!(
        tight(XlsxLimits { parts: 5, ..d }, &book),
        (WorkbookLimit::Parts, String::new(), 6, 5)
    );
    let three = sheet(
        "",
        &format!(
            "{HEADER}{}",
            r#"<row r="2"><c r="A2"><v>1</v></c><c r="B2"/></row>"#
        ),
    );
    assert_eq!(
        tight(
            XlsxLimits { cells: 2, ..d },
            &xlsx_package(&three, None, false).unwrap()
        ),
        (WorkbookLimit::Cells, "s".into(), 3, 2)
    );
    // A tag or text outside any cell is bounded too.
    let comment = sheet(&format!("<!--{}-->", "x".repeat(5000)), HEADER);
    let (l, ..) = tight(
        XlsxLimits {
            cell_bytes: 4096,
            ..d
        },
        &xlsx_package(&comment, None, false).unwrap(),
    );
    assert_eq!(l, WorkbookLimit::Token);
}

#[test]
fn references_that_overflow_or_run_backwards_are_refused_without_a_panic() {
    // Found by the xlsx fuzz target: calamine parses references into 32-bit numbers, and
    // panics (in builds with overflow checks) on a dimension that ends before it starts or a
    // reference too long for them; the scanner checks them first.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("entities.xlsx");
    let reversed = sheet(r#"<dimension ref="I1:E1"/>"#, HEADER);
    std::fs::write(&path, xlsx_package(&reversed, None, false).unwrap()).unwrap();
    let e = read_entities_xlsx(&path).unwrap_err();
    assert!(
        matches!(&e.errors[0].kind, InputErrorKind::Workbook { message } if message.contains("I1:E1 ends before it starts")),
        "{e}"
    );
    let cases = [
        (
            r#"<row r="1"><c r="A99999999999"><v>1</v></c></row>"#,
            WorkbookLimit::Rows,
            99_999_999_999,
        ),
        (
            r#"<row r="99999999999"><c><v>1</v></c></row>"#,
            WorkbookLimit::Rows,
            99_999_999_999,
        ),
        (
            r#"<row r="1"><c r="ZZZZZZZ1"><v>1</v></c></row>"#,
            WorkbookLimit::Columns,
            8_353_082_582,
        ),
    ];
    for (rows, limit, found) in cases {
        let (l, part, f, _) = refused(&xlsx_package(&sheet("", rows), None, false).unwrap());
        assert_eq!(
            (l, part.as_str(), f),
            (limit, "xl/worksheets/sheet1.xml", found),
            "{rows}"
        );
    }
    // Digits before letters: calamine overflowed on the digits before it saw the letter.
    let digits_first = format!(r#"<dimension ref="A1:{}E1"/>"#, "8".repeat(40));
    std::fs::write(
        &path,
        xlsx_package(&sheet(&digits_first, HEADER), None, false).unwrap(),
    )
    .unwrap();
    let e = read_entities_xlsx(&path).unwrap_err();
    assert!(
        matches!(&e.errors[0].kind, InputErrorKind::Workbook { message } if message.contains("is not a cell reference")),
        "{e}"
    );
    let (l, _, f, _) = refused(
        &xlsx_package(
            &sheet(r#"<dimension ref="A1:A99999999999"/>"#, HEADER),
            None,
            false,
        )
        .unwrap(),
    );
    assert_eq!((l, f), (WorkbookLimit::DimensionRows, 99_999_999_999));
}

#[test]
fn a_dimension_behind_quotes_or_odd_names_is_checked_as_calamine_reads_it() {
    // Found by the xlsx fuzz target (the seed `seed-crash-quote-in-a-tag-name`): a tag whose
    // name held a quote (`<ns="…">`) put the scanner out of step with quick-xml, which counts
    // quotes from a tag's first byte, so a reversed dimension reached calamine, which panics
    // on it in builds with overflow checks. Each tag below is one calamine reads as the
    // worksheet's dimension `A2:C1`.
    let cases = [
        r#"<ns="http://x/main"><dimension ref="A2:C1"/>"#,
        r#"<ns="a>b"><dimension ref="A2:C1"/>"#,
        "<x\x0C:dimension ref=\"A2:C1\"/>",
        r#"<a/:dimension ref="A2:C1"/>"#,
        r#"<a'b':dimension ref="A2:C1"/>"#,
        r#"<dimension a b="1" ref="A2:C1"/>"#,
        r#"<dimension ref = "A2:C1"/>"#,
        r#"<x:dimension ref="A2:C1"></x:dimension>"#,
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("entities.xlsx");
    for dimension in cases {
        std::fs::write(
            &path,
            xlsx_package(&sheet(dimension, HEADER), None, false).unwrap(),
        )
        .unwrap();
        let e = read_entities_xlsx(&path).unwrap_err();
        assert!(
            matches!(&e.errors[0].kind, InputErrorKind::Workbook { message } if message.contains("A2:C1 ends before it starts")),
            "{dimension}: {e}"
        );
    }
    // Tags calamine does not read as the dimension are left to it: it reads the worksheet.
    for other in [
        r#"<a:b:dimension ref="A2:C1"/>"#,
        r#"<dimension/ ref="A2:C1"></dimension/>"#,
    ] {
        std::fs::write(
            &path,
            xlsx_package(&sheet(other, HEADER), None, false).unwrap(),
        )
        .unwrap();
        let read = read_entities_xlsx(&path);
        assert!(
            !read
                .as_ref()
                .is_err_and(|e| e.to_string().contains("ends before it starts")),
            "{other}: {read:?}"
        );
    }
}

#[test]
fn pictures_are_not_read_as_xml_unless_the_workbook_names_them_as_its_parts() {
    // Eight megabytes that look like a compressed picture: bytes that, read as XML, open tags
    // and comments that never close (5 in 12 random ones were refused as "cells" before).
    let mut x: u64 = 7;
    let picture: Vec<u8> = b"\x89PNG\r\n\x1a\n"
        .iter()
        .copied()
        .chain((0..8_000_000).map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 56) as u8
        }))
        .collect();
    let with = |name: &str| {
        let mut c = std::io::Cursor::new(xlsx_package(&sheet("", HEADER), None, false).unwrap());
        let mut z = zip::ZipWriter::new_append(&mut c).unwrap();
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        z.start_file(name, stored).unwrap();
        z.write_all(&picture).unwrap();
        z.finish().unwrap();
        c.into_inner()
    };
    let read = |book: &[u8]| {
        read_entities_xlsx_limited("e.xlsx", std::io::Cursor::new(book), &XlsxLimits::DEFAULT)
            .unwrap_err()
    };
    let e = read(&with("xl/media/image1.png"));
    assert!(
        e.errors.iter().all(|x| !matches!(
            x.kind,
            InputErrorKind::WorkbookLimit { .. } | InputErrorKind::Workbook { .. }
        )),
        "{e}"
    );
    // A binary part where the workbook's relationships name its worksheet is refused.
    let e = read(&with("xl/media/sheet1.xml"));
    assert!(
        matches!(&e.errors[0].kind, InputErrorKind::Workbook { message } if message.contains("binary part")),
        "{e}"
    );
}

#[test]
fn cells_out_of_order_read_as_in_order() {
    let a = uscc("91350100M000100Y4");
    let b = uscc("91520102MA6H0001A");
    let row = |r: u32, id: &str, name: &str| {
        format!(
            r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{id}</t></is></c><c r="B{r}" t="inlineStr"><is><t>{name}</t></is></c><c r="C{r}" t="inlineStr"><is><t>企业</t></is></c><c r="D{r}"><v>520102</v></c><c r="E{r}" t="inlineStr"><is><t>存续</t></is></c></row>"#
        )
    };
    let header = row(1, "id", "name")
        .replace(">企业<", ">kind<")
        .replace("<v>520102</v></c>", "</c>")
        .replace(
            r#"<c r="D1">"#,
            r#"<c r="D1" t="inlineStr"><is><t>region</t></is>"#,
        )
        .replace(">存续<", ">status<");
    let read = |rows: &str| {
        let bytes = xlsx_package(&sheet("", rows), None, false).unwrap();
        read_entities_xlsx_limited("e.xlsx", std::io::Cursor::new(bytes), &XlsxLimits::DEFAULT)
            .unwrap()
    };
    let in_order = read(&format!("{header}{}{}", row(2, &a, "甲"), row(3, &b, "乙")));
    let shuffled = read(&format!("{}{header}{}", row(3, &b, "乙"), row(2, &a, "甲")));
    assert_eq!(in_order.rows.len(), 2);
    assert_eq!(in_order.rows, shuffled.rows);
    assert_eq!(in_order.lines, shuffled.lines);
}

#[test]
fn the_fuzz_seeds_hold_the_property_and_the_entity_seeds_read() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/xlsx");
    let mut seeds = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if !path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("seed-")
        {
            continue;
        }
        let data = std::fs::read(&path).unwrap();
        check_xlsx(&data).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        seeds += 1;
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("seed-entities") || name.starts_with("seed-package") {
            let bytes = if data[0] & 1 == 1 {
                data[1..].to_vec()
            } else {
                let cut = data.iter().position(|&b| b == 0xFF);
                let (sheet, shared) = match cut {
                    Some(i) => (&data[1..i], Some(&data[i + 1..])),
                    None => (&data[1..], None),
                };
                xlsx_package(sheet, shared, data[0] & 2 == 2).unwrap()
            };
            let r = read_entities_xlsx_limited(
                "e.xlsx",
                std::io::Cursor::new(bytes),
                &XlsxLimits::DEFAULT,
            )
            .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(r.rows.len() >= 3, "{name}");
        }
    }
    assert!(seeds >= 10, "{seeds} seeds");
}

mod no_panics {
    use super::*;
    use proptest::prelude::*;

    /// Up to four of the bytes that decide where quick-xml ends a tag, its name and its
    /// attributes' keys, or of good attributes that a bad one may repeat.
    fn bytes_of_a_tag() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select(vec![
                "\"",
                "'",
                ":",
                "/",
                "=",
                ">",
                " ",
                "\x0C",
                "a",
                r#" r="B2" "#,
                r#" ref="A1:B2" "#,
                r#" t="n" "#,
            ]),
            0..5,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn arbitrary_bytes_as_a_workbook(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("x.xlsx");
            std::fs::write(&path, &bytes).unwrap();
            prop_assert!(read_entities_xlsx(&path).is_err());
        }

        #[test]
        fn arbitrary_cells_in_a_workbook(cells in proptest::collection::vec(("[A-Za-z0-9 .,E+年月日-]{0,20}", any::<f64>(), 0u8..3), 0..24)) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("x.xlsx");
            let numbers: Vec<String> = cells.iter().map(|(_, f, _)| format!("{f:e}")).collect();
            let mut row = Vec::new();
            let mut rows = vec![Some(vec![Cell::S("entity"), Cell::S("date"), Cell::S("item"), Cell::S("inspectors")])];
            for (i, (s, _, k)) in cells.iter().enumerate() {
                row.push(match k {
                    0 => Cell::S(s),
                    1 => Cell::N(&numbers[i]),
                    _ => Cell::D((i as u32) * 1000),
                });
                if row.len() == 4 {
                    rows.push(Some(std::mem::take(&mut row)));
                }
            }
            workbook(&path, &rows);
            let _ = read_history_xlsx(&path);
        }

        /// The fuzz target's property (`fuzzing::check_xlsx`) on generated worksheets: rows
        /// and cells at places near and past the tight limits, cells long and short.
        #[test]
        fn limits_never_change_what_a_workbook_means(
            cells in proptest::collection::vec((0u32..5000, 0u32..80, "[a-z名]{0,8}", 0usize..3, any::<bool>()), 0..12),
            flags in 0u8..4,
            dimension in proptest::option::of((0u32..5000, 0u32..80)),
        ) {
            let mut rows = String::new();
            for (r, c, text, grow, shared) in &cells {
                let at = format!("{}{}", column_letter(*c as usize), r + 1);
                let body = text.repeat(1 + grow * 400);
                if *shared {
                    rows.push_str(&format!(r#"<row r="{}"><c r="{at}" t="s"><v>0</v></c></row>"#, r + 1));
                } else {
                    rows.push_str(&format!(r#"<row r="{}"><c r="{at}" t="inlineStr"><is><t>{body}</t></is></c></row>"#, r + 1));
                }
            }
            let dim = dimension.map_or(String::new(), |(r, c)| format!(r#"<dimension ref="A1:{}{}"/>"#, column_letter(c as usize), r + 1));
            let mut data = vec![flags & 2];
            data.extend_from_slice(&sheet(&dim, &rows));
            data.push(0xFF);
            data.extend_from_slice(br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>id</t></si></sst>"#);
            check_xlsx(&data).map_err(TestCaseError::fail)?;
            // And as raw bytes: a damaged package.
            let mut raw = vec![1u8];
            raw.extend_from_slice(&xlsx_package(&sheet(&dim, &rows), None, flags & 1 == 1).unwrap()[..]);
            let cut = raw.len() * 3 / 4;
            raw.truncate(cut);
            check_xlsx(&raw).map_err(TestCaseError::fail)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Tags built from the bytes that decide how quick-xml splits a tag (quotes, `:`,
        /// `/`, `=`, `>`, whitespace and form feed) around a name the scanner checks and a
        /// reference calamine would overflow on (a reversed dimension, a row or column past
        /// 32 bits), after a tag built the same way: whatever calamine makes of them, reading
        /// never panics (these tests build with overflow checks, where calamine panics on
        /// such a reference it is given).
        #[test]
        fn tags_shaped_to_hide_a_bad_reference_never_panic(
            before in proptest::option::of(bytes_of_a_tag()),
            inside in bytes_of_a_tag(),
            after in bytes_of_a_tag(),
            kind in 0u8..3,
        ) {
            let before = before.map_or(String::new(), |b| format!("<{b}>"));
            let sheet = match kind {
                0 => sheet(&format!(r#"{before}<{inside}dimension{after}ref="A2:C1"/>"#), HEADER),
                1 => sheet("", &format!(r#"{HEADER}{before}<{inside}row{after}r="99999999999"><c><v>1</v></c></row>"#)),
                _ => sheet("", &format!(r#"{HEADER}<row r="2">{before}<{inside}c{after}r="ZZZZZZZ2"><v>1</v></c></row>"#)),
            };
            let mut data = vec![0u8];
            data.extend_from_slice(&sheet);
            check_xlsx(&data).map_err(TestCaseError::fail)?;
        }
    }
}
