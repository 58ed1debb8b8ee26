//! Workbooks read like their CSV exports. The fixtures are built here, part by part, as the
//! Office Open XML format lays them out (calamine only reads).
#![cfg(feature = "xlsx")]

use std::io::Write;

use double_random::codes::uscc_check_char;
use double_random::formats::error::InputErrorKind;
use double_random::formats::roster::{Encoding, HeaderLanguage};
use double_random::formats::roster_csv::{read_entities, read_history};
use double_random::formats::xlsx::{read_entities_xlsx, read_history_xlsx, read_inspectors_xlsx};

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

mod no_panics {
    use super::*;
    use proptest::prelude::*;

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
    }
}
