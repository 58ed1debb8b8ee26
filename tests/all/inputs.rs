//! The input readers: the same roster saved every way a user might save it reads the same,
//! every kind of mistake is reported at its file, line and field, and no input makes a reader
//! panic.

use double_random::codes::{CodeError, uscc_check_char};
use double_random::formats::error::{InputError, InputErrorKind, InputErrors};
use double_random::formats::plan_toml::{PlanErrorKind, RatioProblem, plan_digest, read_plan};
use double_random::formats::roster::{Encoding, HeaderLanguage};
use double_random::formats::roster_csv::{
    FIELD_LIMIT, for_each_entity, read_conflicts, read_entities, read_history, read_inspectors,
    read_items,
};
use double_random::model::{
    Entity, EntityStatus, HistoryKind, Inspector, InspectorKind, InspectorStatus, RiskClass,
    Rounding, Strata,
};

/// A valid USCC from its first 17 characters.
fn uscc(first17: &str) -> String {
    format!("{first17}{}", uscc_check_char(first17).unwrap())
}

fn ids() -> [String; 4] {
    [
        uscc("91350100M000100Y4"),
        uscc("91520102MA6H0001A"),
        uscc("92520103MA6J2K3L4"),
        "110108000000016".to_string(),
    ]
}

/// Widens ASCII letters and digits to full width, lower-cases letters, pads with NBSP.
fn messy(code: &str) -> String {
    let wide: String = code
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                char::from_u32(u32::from(c) + 0xFEE0).unwrap()
            } else {
                c
            }
        })
        .collect();
    format!("\u{a0}{wide} \u{3000}")
}

const ENTITY_HEADER_ZH: [&str; 10] = [
    "统一社会信用代码",
    "名称",
    "市场主体类型",
    "登记机关",
    "行政区划代码",
    "行业代码",
    "登记状态",
    "经营异常名录",
    "信用风险分类",
    "标签",
];
const ENTITY_HEADER_EN: [&str; 10] = [
    "id",
    "name",
    "type",
    "authority",
    "region",
    "industry",
    "status",
    "abnormal",
    "risk",
    "tags",
];

fn entity_rows(codes: &dyn Fn(&str) -> String) -> Vec<[String; 10]> {
    let [a, b, c, d] = ids();
    let row = |v: [&str; 10]| v.map(str::to_string);
    vec![
        row([
            &codes(&a),
            "贵州甲有限公司",
            "企业",
            "贵阳市市场监督管理局",
            &codes("520102"),
            &codes("1311"),
            "存续",
            "否",
            "A",
            "食品；大型",
        ]),
        row([
            &codes(&b),
            "乙（集团）股份有限公司",
            "公司",
            "",
            &codes("520102"),
            "",
            "在营",
            "是",
            "c类",
            "",
        ]),
        row([
            &codes(&c),
            "丙个体户㐀",
            "个体工商户",
            "南明区市场监督管理局",
            &codes("520103"),
            &codes("c"),
            "吊销",
            "",
            "",
            "小型|小型",
        ]),
        row([
            &codes(&d),
            "丁农民专业合作社",
            "农民专业合作社",
            "",
            &codes("110108"),
            &codes("0111"),
            "注销",
            "N",
            "D",
            "",
        ]),
    ]
}

/// Writes a CSV: header, rows, with a column order and a line end.
fn csv(header: &[&str], rows: &[Vec<String>], order: &[usize], eol: &str) -> String {
    let quote = |s: &str| {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    let line = |cells: Vec<String>| cells.join(",");
    out.push_str(&line(order.iter().map(|&i| quote(header[i])).collect()));
    out.push_str(eol);
    for r in rows {
        out.push_str(&line(order.iter().map(|&i| quote(&r[i])).collect()));
        out.push_str(eol);
    }
    out
}

fn sorted_entities(mut rows: Vec<Entity>) -> Vec<Entity> {
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    rows
}

#[test]
fn one_entity_roster_saved_every_way_reads_the_same() {
    let plain: Vec<Vec<String>> = entity_rows(&|s| s.to_string())
        .into_iter()
        .map(|r| r.to_vec())
        .collect();
    let dirty: Vec<Vec<String>> = entity_rows(&messy)
        .into_iter()
        .map(|r| r.to_vec())
        .collect();
    let natural: Vec<usize> = (0..10).collect();
    let shuffled_cols = [6, 0, 9, 2, 8, 1, 4, 3, 7, 5];
    let mut shuffled_rows = plain.clone();
    shuffled_rows.reverse();
    shuffled_rows.swap(0, 2);

    let base = csv(&ENTITY_HEADER_ZH, &plain, &natural, "\n");
    let variants: Vec<(&str, Vec<u8>, Encoding)> = vec![
        ("utf8", base.clone().into_bytes(), Encoding::Utf8),
        (
            "utf8+bom",
            format!("\u{feff}{base}").into_bytes(),
            Encoding::Utf8Bom,
        ),
        (
            "gb18030",
            encoding_rs::GB18030.encode(&base).0.into_owned(),
            Encoding::Gb18030,
        ),
        (
            "crlf",
            csv(&ENTITY_HEADER_ZH, &plain, &natural, "\r\n").into_bytes(),
            Encoding::Utf8,
        ),
        (
            "english headers",
            csv(&ENTITY_HEADER_EN, &plain, &natural, "\n").into_bytes(),
            Encoding::Utf8,
        ),
        (
            "shuffled rows and columns",
            csv(&ENTITY_HEADER_ZH, &shuffled_rows, &shuffled_cols, "\n").into_bytes(),
            Encoding::Utf8,
        ),
        (
            "messy codes",
            csv(&ENTITY_HEADER_ZH, &dirty, &natural, "\r\n").into_bytes(),
            Encoding::Utf8,
        ),
    ];
    let reference = read_entities("entities.csv", base.as_bytes()).unwrap();
    let reference_rows = sorted_entities(reference.rows.clone());
    let reference_digest = reference.digest().unwrap();
    assert_eq!(reference.header_language, HeaderLanguage::Chinese);
    assert_eq!(reference.lines, [2, 3, 4, 5]);

    for (what, bytes, encoding) in variants {
        let r = read_entities("entities.csv", &bytes[..]).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(r.encoding, encoding, "{what}");
        assert_eq!(sorted_entities(r.rows.clone()), reference_rows, "{what}");
        assert_eq!(r.digest().unwrap(), reference_digest, "{what}");
    }

    // And the values are what the rules say.
    let [a, b, c, d] = ids();
    let by_id = |id: &str| reference_rows.iter().find(|e| e.id == id).unwrap().clone();
    let ea = by_id(&a);
    assert_eq!(ea.industry, "C1311");
    assert_eq!(ea.tags, ["大型", "食品"]);
    assert_eq!(ea.risk, Some(RiskClass::A));
    let eb = by_id(&b);
    assert!(eb.abnormal);
    assert_eq!(eb.risk, Some(RiskClass::C));
    assert_eq!(eb.industry, "");
    assert_eq!(eb.name, "乙（集团）股份有限公司");
    let ec = by_id(&c);
    assert_eq!(ec.status, EntityStatus::Revoked);
    assert_eq!(ec.risk, None);
    assert_eq!(ec.tags, ["小型"]);
    assert_eq!(ec.industry, "C");
    assert_eq!(ec.name, "丙个体户㐀");
    let ed = by_id(&d);
    assert_eq!(ed.industry, "A0111");
    assert_eq!(ed.status, EntityStatus::Cancelled);

    // The streaming reader agrees, row for row and on the fingerprint.
    let mut streamed = Vec::new();
    let summary = for_each_entity("entities.csv", base.as_bytes(), |line, e| {
        streamed.push((line, e));
        Ok::<(), InputErrors>(())
    })
    .unwrap();
    assert_eq!(summary.digest, reference_digest);
    assert_eq!(summary.rows, 4);
    let (lines, rows): (Vec<u64>, Vec<Entity>) = streamed.into_iter().unzip();
    assert_eq!(lines, reference.lines);
    assert_eq!(rows, reference.rows);
}

const INSPECTOR_HEADER_ZH: [&str; 8] = [
    "执法证号",
    "姓名",
    "所属部门",
    "行政区划代码",
    "执法资质",
    "业务专长",
    "人员类别",
    "在岗状态",
];
const INSPECTOR_HEADER_EN: [&str; 8] = [
    "certificate",
    "name",
    "department",
    "region",
    "qualifications",
    "specialties",
    "kind",
    "status",
];

fn inspector_rows(codes: &dyn Fn(&str) -> String) -> Vec<Vec<String>> {
    let row = |v: [&str; 8]| v.map(str::to_string).to_vec();
    vec![
        row([
            &codes("GZ52010001"),
            "张三",
            "贵阳市市场监督管理局",
            &codes("520102"),
            "食品、药品",
            "",
            "",
            "",
        ]),
        row([
            &codes("GZ52010002"),
            "李四",
            "贵阳市市场监督管理局",
            "",
            "食品",
            "特种设备",
            "执法人员",
            "在岗",
        ]),
        row([
            &codes("ZJ001"),
            "王五",
            "贵州省专家库",
            &codes("520000"),
            "",
            "食品; 检验",
            "专家",
            "休假",
        ]),
    ]
}

#[test]
fn one_inspector_roster_saved_every_way_reads_the_same() {
    let plain = inspector_rows(&|s| s.to_string());
    let dirty = inspector_rows(&messy);
    let natural: Vec<usize> = (0..8).collect();
    let base = csv(&INSPECTOR_HEADER_ZH, &plain, &natural, "\n");
    let mut reversed = plain.clone();
    reversed.reverse();
    let variants: Vec<(&str, Vec<u8>)> = vec![
        ("utf8+bom", format!("\u{feff}{base}").into_bytes()),
        ("gbk", encoding_rs::GBK.encode(&base).0.into_owned()),
        (
            "crlf",
            csv(&INSPECTOR_HEADER_ZH, &plain, &natural, "\r\n").into_bytes(),
        ),
        (
            "english",
            csv(&INSPECTOR_HEADER_EN, &plain, &natural, "\n").into_bytes(),
        ),
        (
            "shuffled",
            csv(
                &INSPECTOR_HEADER_ZH,
                &reversed,
                &[7, 3, 1, 0, 6, 5, 2, 4],
                "\n",
            )
            .into_bytes(),
        ),
        (
            "messy",
            csv(&INSPECTOR_HEADER_ZH, &dirty, &natural, "\n").into_bytes(),
        ),
    ];
    let reference = read_inspectors("inspectors.csv", base.as_bytes()).unwrap();
    let sort = |mut v: Vec<Inspector>| {
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    };
    let reference_rows = sort(reference.rows.clone());
    for (what, bytes) in variants {
        let r =
            read_inspectors("inspectors.csv", &bytes[..]).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(sort(r.rows.clone()), reference_rows, "{what}");
        assert_eq!(r.digest().unwrap(), reference.digest().unwrap(), "{what}");
    }
    let first = &reference.rows[0];
    assert_eq!(first.kind, InspectorKind::Officer);
    assert_eq!(first.status, InspectorStatus::OnDuty);
    assert_eq!(first.qualifications, ["药品", "食品"]);
    let expert = &reference.rows[2];
    assert_eq!(expert.kind, InspectorKind::Expert);
    assert_eq!(expert.status, InspectorStatus::Leave);
    assert_eq!(expert.specialties, ["检验", "食品"]);
    assert_eq!(reference.rows[1].region, "");
}

const ENTITY_HEAD: &str = "统一社会信用代码,名称,类型,行政区划代码,登记状态\n";

fn entity_line(id: &str, status: &str) -> String {
    format!("{id},某公司,企业,520102,{status}\n")
}

fn only_error(result: Result<impl std::fmt::Debug, InputErrors>) -> InputError {
    let errors = result.unwrap_err();
    assert_eq!(errors.errors.len(), 1, "{errors}");
    errors.errors.into_iter().next().unwrap()
}

fn assert_at(e: &InputError, line: u64, header: Option<&str>, name: Option<&str>) {
    assert_eq!(e.file, "entities.csv", "{e}");
    assert_eq!(e.line, line, "{e}");
    assert_eq!(e.field.as_ref().map(|f| f.header.as_str()), header, "{e}");
    assert_eq!(e.field.as_ref().map(|f| f.name), name, "{e}");
}

#[test]
fn a_bad_uscc_is_reported_at_its_line_and_column() {
    let [a, b, ..] = ids();
    let mut bad = a.clone();
    bad.replace_range(17.., if a.ends_with('0') { "1" } else { "0" });
    let text = format!(
        "{ENTITY_HEAD}{}{}",
        entity_line(&b, "存续"),
        entity_line(&bad, "存续")
    );
    let e = only_error(read_entities("entities.csv", text.as_bytes()));
    assert_at(&e, 3, Some("统一社会信用代码"), Some("id"));
    assert!(matches!(
        e.kind,
        InputErrorKind::Code(CodeError::BadCheck { .. })
    ));
    assert!(
        e.to_string()
            .starts_with("entities.csv:3: field 统一社会信用代码 (id): "),
        "{e}"
    );
}

#[test]
fn scientific_notation_is_reported() {
    let text = format!("{ENTITY_HEAD}{}", entity_line("9.13501E+17", "存续"));
    let e = only_error(read_entities("entities.csv", text.as_bytes()));
    assert_at(&e, 2, Some("统一社会信用代码"), Some("id"));
    assert!(matches!(
        e.kind,
        InputErrorKind::Code(CodeError::ScientificNotation { .. })
    ));
    assert!(e.to_string().contains("format the column as Text"));
}

#[test]
fn a_duplicate_id_names_both_lines() {
    let [a, b, ..] = ids();
    let text = format!(
        "{ENTITY_HEAD}{}{}\n{}",
        entity_line(&a, "存续"),
        entity_line(&b, "存续"),
        entity_line(&messy(&a), "存续")
    );
    let e = only_error(read_entities("entities.csv", text.as_bytes()));
    assert_at(&e, 5, Some("统一社会信用代码"), Some("id"));
    assert_eq!(
        e.kind,
        InputErrorKind::DuplicateId {
            id: a.clone(),
            first_line: 2
        }
    );
    assert!(e.to_string().contains("line 2"), "{e}");
}

#[test]
fn an_unknown_status_shows_the_accepted_spellings() {
    let [a, ..] = ids();
    let text = format!("{ENTITY_HEAD}{}", entity_line(&a, "歇业"));
    let e = only_error(read_entities("entities.csv", text.as_bytes()));
    assert_at(&e, 2, Some("登记状态"), Some("status"));
    assert_eq!(
        e.kind,
        InputErrorKind::UnknownValue {
            value: "歇业".into(),
            accepted: EntityStatus::spellings()
        }
    );
    assert!(e.to_string().contains("存续"));
}

#[test]
fn a_missing_column_is_named() {
    let [a, ..] = ids();
    let text = format!("统一社会信用代码,名称,类型,行政区划代码\n{a},某,企业,520102\n");
    let e = only_error(read_entities("entities.csv", text.as_bytes()));
    assert_at(&e, 1, None, None);
    match &e.kind {
        InputErrorKind::MissingColumn { name, headers } => {
            assert_eq!(*name, "status");
            assert!(headers.contains(&"登记状态"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_unknown_column_is_ignored_and_listed() {
    let [a, ..] = ids();
    let clean = format!("{ENTITY_HEAD}{}", entity_line(&a, "存续"));
    let text = format!(
        "法定代表人,统一社会信用代码,名称,类型,行政区划代码,登记状态,登记状太\n张三,{a},某公司,企业,520102,存续,x\n"
    );
    let clean = read_entities("entities.csv", clean.as_bytes()).unwrap();
    let r = read_entities("entities.csv", text.as_bytes()).unwrap();
    assert_eq!(r.rows, clean.rows);
    assert_eq!(r.digest().unwrap(), clean.digest().unwrap());
    let ignored: Vec<_> = r
        .columns
        .ignored
        .iter()
        .map(|c| (c.column, c.header.as_str()))
        .collect();
    assert_eq!(ignored, [(1, "法定代表人"), (7, "登记状太")]);
    assert!(clean.columns.ignored.is_empty());
}

#[test]
fn an_absent_optional_column_takes_its_default_and_a_required_one_is_refused() {
    let [a, ..] = ids();
    let r = read_entities(
        "entities.csv",
        format!("统一社会信用代码,名称,登记状态\n{a},某公司,存续\n").as_bytes(),
    )
    .unwrap();
    assert_eq!((r.rows[0].kind, r.rows[0].region.as_str()), (None, ""));
    assert_eq!(
        r.columns.absent,
        [
            "kind",
            "authority",
            "region",
            "industry",
            "abnormal",
            "risk",
            "tags"
        ]
    );
    for (header, missing) in [
        ("名称,登记状态", "id"),
        ("统一社会信用代码,登记状态", "name"),
        ("统一社会信用代码,名称", "status"),
    ] {
        let e = only_error(read_entities(
            "entities.csv",
            format!("{header}\nx,y\n").as_bytes(),
        ));
        assert_at(&e, 1, None, None);
        assert!(
            matches!(e.kind, InputErrorKind::MissingColumn { name, .. } if name == missing),
            "{e}"
        );
    }
}

#[test]
fn a_column_given_twice_is_refused() {
    let [a, ..] = ids();
    let text = format!(
        "id,名称,类型,行政区划代码,登记状态,统一社会信用代码\n{a},某,企业,520102,存续,{a}\n"
    );
    let e = only_error(read_entities("entities.csv", text.as_bytes()));
    assert!(matches!(
        e.kind,
        InputErrorKind::DuplicateColumn {
            name: "id",
            first_column: 1,
            column: 6,
            ..
        }
    ));
}

#[test]
fn a_wrong_field_count_is_reported_with_both_counts() {
    let [a, b, ..] = ids();
    let text = format!(
        "{ENTITY_HEAD}{}{b},某,企业,520102\n",
        entity_line(&a, "存续")
    );
    let e = only_error(read_entities("entities.csv", text.as_bytes()));
    assert_at(&e, 3, None, None);
    assert_eq!(
        e.kind,
        InputErrorKind::FieldCount {
            expected: 5,
            found: 4
        }
    );
}

#[test]
fn mixed_encodings_are_reported_at_the_field() {
    let [a, b, ..] = ids();
    let mut bytes = format!("{ENTITY_HEAD}{}", entity_line(&a, "存续")).into_bytes();
    bytes.extend_from_slice(&encoding_rs::GBK.encode(&entity_line(&b, "存续")).0);
    let errors = read_entities("entities.csv", &bytes[..]).unwrap_err();
    // 某公司, 企业 and 存续 are all GBK on line 3.
    assert_eq!(errors.errors.len(), 3, "{errors}");
    let e = &errors.errors[0];
    assert_at(e, 3, Some("名称"), Some("name"));
    assert_eq!(
        e.kind,
        InputErrorKind::MixedEncoding {
            encoding: Encoding::Utf8,
            decided_line: 1,
            found: Encoding::Gb18030,
            column: 2
        }
    );
    // The other way round: a GBK file with a UTF-8 line.
    let mut bytes = encoding_rs::GBK
        .encode(&format!("{ENTITY_HEAD}{}", entity_line(&a, "存续")))
        .0
        .into_owned();
    bytes.extend_from_slice(entity_line(&b, "吊销").as_bytes());
    let errors = read_entities("entities.csv", &bytes[..]).unwrap_err();
    assert!(errors.errors.iter().all(|e| e.line == 3));
    assert!(errors.errors.iter().any(|e| matches!(
        e.kind,
        InputErrorKind::MixedEncoding {
            encoding: Encoding::Gb18030,
            found: Encoding::Utf8,
            ..
        }
    )));
}

#[test]
fn a_byte_order_mark_fixes_utf8() {
    let [a, ..] = ids();
    let mut bytes = "\u{feff}id,name,kind,region,status\n".as_bytes().to_vec();
    bytes.extend_from_slice(&encoding_rs::GBK.encode(&entity_line(&a, "存续")).0);
    let errors = read_entities("entities.csv", &bytes[..]).unwrap_err();
    let e = &errors.errors[0];
    assert_at(e, 2, Some("name"), Some("name"));
    assert_eq!(
        e.kind,
        InputErrorKind::MixedEncoding {
            encoding: Encoding::Utf8Bom,
            decided_line: 0,
            found: Encoding::Gb18030,
            column: 2
        }
    );
    assert!(
        e.to_string().contains("byte order mark at its start"),
        "{e}"
    );
}

#[test]
fn bytes_valid_in_no_encoding_are_reported() {
    let [a, ..] = ids();
    let mut bytes = ENTITY_HEAD.as_bytes().to_vec();
    bytes.extend_from_slice(format!("{a},\u{fffd}").as_bytes());
    bytes.extend_from_slice(b"\xff\xff,enterprise,520102,active\n");
    let e = only_error(read_entities("entities.csv", &bytes[..]));
    assert_at(&e, 2, Some("名称"), Some("name"));
    assert!(matches!(
        e.kind,
        InputErrorKind::InvalidEncoding {
            encoding: Some(Encoding::Utf8),
            column: 2
        }
    ));
}

#[test]
fn a_bom_in_the_middle_is_reported() {
    let [a, b, ..] = ids();
    // Two exports joined with `cat`: the second BOM starts a repeated header.
    let one = format!("\u{feff}{ENTITY_HEAD}{}", entity_line(&a, "存续"));
    let two = format!("\u{feff}{ENTITY_HEAD}{}", entity_line(&b, "存续"));
    let joined = format!("{one}{two}");
    let errors = read_entities("entities.csv", joined.as_bytes()).unwrap_err();
    let e = &errors.errors[0];
    assert_at(e, 3, Some("统一社会信用代码"), Some("id"));
    assert_eq!(e.kind, InputErrorKind::MisplacedBom { column: 1 });
    // A BOM in a header cell after the first.
    let text = format!(
        "统一社会信用代码,\u{feff}名称,类型,行政区划代码,登记状态\n{}",
        entity_line(&a, "存续")
    );
    let e = only_error(read_entities("entities.csv", text.as_bytes()));
    assert_at(&e, 1, None, None);
    assert_eq!(e.kind, InputErrorKind::MisplacedBom { column: 2 });
}

#[test]
fn empty_files_and_header_only_files() {
    for empty in ["", "\n\n", "\u{feff}", "\r\n,,,\r\n"] {
        let e = only_error(read_entities("entities.csv", empty.as_bytes()));
        assert_eq!(e.kind, InputErrorKind::EmptyFile, "{empty:?}");
        assert_eq!(e.line, 0);
        assert_eq!(
            e.to_string(),
            "entities.csv: the file is empty: the first row must name the columns"
        );
    }
    let e = only_error(read_entities("entities.csv", ENTITY_HEAD.as_bytes()));
    assert_eq!(e.kind, InputErrorKind::NoRows);
    assert_eq!(e.line, 1);
    // Nothing declared and nothing inspected are valid files.
    assert!(
        read_conflicts("c.csv", "执法证号,统一社会信用代码\n".as_bytes())
            .unwrap()
            .rows
            .is_empty()
    );
    assert!(
        read_history("h.csv", "entity,date\r\n".as_bytes())
            .unwrap()
            .rows
            .is_empty()
    );
}

#[test]
fn an_oversized_field_is_reported() {
    let [a, b, ..] = ids();
    let long = "长".repeat(FIELD_LIMIT / 3 + 1);
    let text = format!(
        "{ENTITY_HEAD}{}{b},{long},企业,520102,存续\n",
        entity_line(&a, "存续")
    );
    let e = only_error(read_entities("entities.csv", text.as_bytes()));
    assert_at(&e, 3, Some("名称"), Some("name"));
    assert!(matches!(
        e.kind,
        InputErrorKind::FieldTooLong {
            column: 2,
            limit: FIELD_LIMIT,
            ..
        }
    ));
}

#[test]
fn every_problem_of_a_file_is_reported_at_once() {
    let [a, b, c, d] = ids();
    let text = format!(
        "{ENTITY_HEAD}{}{}{}{}{d},某,企业,52010,存续,多余\n",
        entity_line(&a, "存续"),
        entity_line("", "存续"),
        entity_line(&b, "?"),
        format_args!("{c},,外企,020102,\n"),
    );
    let errors = read_entities("entities.csv", text.as_bytes()).unwrap_err();
    let got: Vec<(u64, Option<&str>)> = errors
        .errors
        .iter()
        .map(|e| (e.line, e.field.as_ref().map(|f| f.name)))
        .collect();
    assert_eq!(
        got,
        [
            (3, Some("id")),
            (4, Some("status")),
            (5, Some("name")),
            (5, Some("kind")),
            (5, Some("region")),
            (5, Some("status")),
            (6, None),
        ],
        "{errors}"
    );
    assert_eq!(errors.to_string().lines().count(), 7);
}

#[test]
fn warnings_carry_their_place() {
    // Valid check character, failing organisation-code check.
    let odd = "91350100M000100Y56";
    let text = format!("{ENTITY_HEAD}{}", entity_line(odd, "存续"));
    let r = read_entities("entities.csv", text.as_bytes()).unwrap();
    assert_eq!(r.warnings.len(), 1);
    assert_eq!(r.warnings[0].line, 2);
    assert_eq!(r.warnings[0].field.as_ref().unwrap().name, "id");
}

#[test]
fn the_streaming_reader_stops_on_the_callers_error_and_reports_input_errors() {
    let [a, b, ..] = ids();
    let text = format!(
        "{ENTITY_HEAD}{}{}",
        entity_line(&a, "存续"),
        entity_line(&b, "存续")
    );
    #[derive(Debug)]
    enum Mine {
        Input(InputErrors),
        Full,
    }
    impl From<InputErrors> for Mine {
        fn from(e: InputErrors) -> Self {
            Mine::Input(e)
        }
    }
    let mut calls = 0;
    let r = for_each_entity("entities.csv", text.as_bytes(), |_, _| {
        calls += 1;
        Err(Mine::Full)
    });
    assert!(matches!(r, Err(Mine::Full)));
    assert_eq!(calls, 1);

    let text = format!(
        "{ENTITY_HEAD}{}{}",
        entity_line(&a, "?"),
        entity_line(&b, "存续")
    );
    let mut calls = 0;
    let r = for_each_entity("entities.csv", text.as_bytes(), |_, _| {
        calls += 1;
        Ok::<(), Mine>(())
    });
    match r {
        Err(Mine::Input(e)) => assert_eq!(e.errors[0].line, 2),
        other => panic!("{other:?}"),
    }
    assert_eq!(calls, 0);
}

#[test]
fn items_conflicts_and_history() {
    let items = read_items(
        "items.csv",
        "事项编号,事项名称,检查依据,检查主体,检查内容,检查方式,事项类别,所需资质\n\
         gz-sc-001,企业公示信息抽查,《企业信息公示暂行条例》,市场监管局,年报,书面检查,一般,\n\
         GZ-SC-002,食品生产抽查,食品安全法,市场监管局,生产条件,实地检查,重点,食品\n"
            .as_bytes(),
    )
    .unwrap();
    assert_eq!(items.rows[0].id, "GZ-SC-001");
    assert_eq!(items.rows[1].qualification, "食品");

    let dup_items = read_items(
        "items.csv",
        "id,name,category\nX1,a,general\nx1,b,key\n".as_bytes(),
    )
    .unwrap_err();
    assert_eq!(
        dup_items.errors[0].kind,
        InputErrorKind::DuplicateId {
            id: "X1".into(),
            first_line: 2
        }
    );

    let [a, b, ..] = ids();
    let conflicts = format!(
        "执法证号,统一社会信用代码,回避事由\nGZ1,{a},亲属\nGZ1,{b},\ngz1,{},重复\n",
        messy(&a)
    );
    let e = read_conflicts("conflicts.csv", conflicts.as_bytes()).unwrap_err();
    assert_eq!(e.errors.len(), 1);
    assert_eq!(e.errors[0].line, 4);
    assert_eq!(
        e.errors[0].kind,
        InputErrorKind::DuplicateConflict {
            inspector: "GZ1".into(),
            entity: a.clone(),
            first_line: 2
        }
    );

    let history = format!(
        "统一社会信用代码,检查日期,事项编号,检查人员,检查类型\n\
         {a},2025年9月3日,GZ-SC-001,GZ2；GZ1,投诉举报\n\
         {b},2025/12/31,,,\n\
         {a},2025-02-30,,,\n"
    );
    let e = read_history("history.csv", history.as_bytes()).unwrap_err();
    assert_eq!(e.errors.len(), 1);
    assert_eq!(e.errors[0].line, 4);
    assert_eq!(e.errors[0].field.as_ref().unwrap().name, "date");
    let ok = history.lines().take(3).collect::<Vec<_>>().join("\n");
    let h = read_history("history.csv", ok.as_bytes()).unwrap();
    assert_eq!(h.rows[0].inspectors, ["GZ1", "GZ2"]);
    assert_eq!(h.rows[0].kind, HistoryKind::Case);
    assert_eq!(h.rows[1].date.to_string(), "2025-12-31");
    assert_eq!(h.rows[1].kind, HistoryKind::Random);
    // A comma is not a list separator (SPEC §3.2): the quoted cell stays one code.
    let one = format!("entity,date,inspectors\n{a},2025-01-02,\"gz1, gz2\"\n");
    let h = read_history("history.csv", one.as_bytes()).unwrap();
    assert_eq!(h.rows[0].inspectors, ["GZ1,GZ2"]);
}

#[test]
fn a_column_without_a_header_is_ignored_whatever_it_holds() {
    let [a, b, ..] = ids();
    let text = format!(
        "{},\n{},\n{},x\n",
        ENTITY_HEAD.trim_end(),
        entity_line(&a, "存续").trim_end(),
        entity_line(&b, "存续").trim_end()
    );
    let clean = format!(
        "{ENTITY_HEAD}{}{}",
        entity_line(&a, "存续"),
        entity_line(&b, "存续")
    );
    let r = read_entities("entities.csv", text.as_bytes()).unwrap();
    let clean = read_entities("entities.csv", clean.as_bytes()).unwrap();
    assert_eq!(r.digest().unwrap(), clean.digest().unwrap());
    // Not listed: there is no header to show.
    assert!(r.columns.ignored.is_empty());
}

#[test]
fn error_lists_are_capped() {
    let mut text = String::from(ENTITY_HEAD);
    for _ in 0..1005 {
        text.push_str("x,某,企业,520102,存续\n");
    }
    let e = read_entities("entities.csv", text.as_bytes()).unwrap_err();
    assert_eq!(e.errors.len(), 1000);
    assert_eq!(e.omitted, 5);
}

// ---------------------------------------------------------------- plan

const PLAN: &str = r#"plan_id = "GZ-2026-01"
plan_name = "2026年度双随机抽查计划"
task_id = "T01"
task_name = "企业公示信息抽查"
batch = "第1批"
authority = "修文县市场监督管理局"
directed = false
draw_date = 2026-03-01
items = ["GZ-SC-001", "gz-sc-002"]
general_ratio_cap = "5%"
publish_risk = false

[filters]
regions = ["5201"]
industries = ["C", "1311", "13"]
kinds = ["企业"]
statuses = ["存续"]
tags_any = []
tags_all = []
exclude_abnormal = false

[strata]
by = "risk"
A = { ratio = "1%", min = 1 }
B = { ratio = "2%" }
C = { ratio = "10%", rounding = "down" }
D = { ratio = "30%", count = 5, max = 200 }

[repeat]
entity_window_days = 180
entity_yearly_cap = 2
same_items_only = false
inspector_window_days = 365

[team]
officers = 2
experts = 0
exclude_same_region = true
workload_cap = 10
departments = []
"#;

#[test]
fn the_example_plan_reads() {
    let plan = read_plan("plan.toml", PLAN).unwrap();
    assert_eq!(plan.plan_id, "GZ-2026-01");
    assert_eq!(plan.items, ["GZ-SC-001", "GZ-SC-002"]);
    assert_eq!(plan.general_ratio_cap_bp, Some(500));
    // Lists keep the order written.
    assert_eq!(plan.filters.industry_prefixes, ["C", "C1311", "C13"]);
    assert_eq!(plan.filters.region_prefixes, ["5201"]);
    assert_eq!(plan.filters.statuses, [EntityStatus::Active]);
    let Strata::Risk {
        classes,
        unclassified,
    } = &plan.strata
    else {
        panic!("{:?}", plan.strata)
    };
    assert!(unclassified.is_none());
    assert_eq!(classes[&RiskClass::A].ratio_bp, Some(100));
    assert_eq!(classes[&RiskClass::A].min, Some(1));
    assert_eq!(classes[&RiskClass::C].rounding, Rounding::Down);
    assert_eq!(classes[&RiskClass::D].count, Some(5));
    assert_eq!(classes[&RiskClass::D].max, Some(200));
    assert_eq!(plan.repeat.entity_window_days, Some(180));
    assert_eq!(plan.team.officers, 2);
    assert_eq!(plan.team.workload_cap, Some(10));
    assert!(plan.team.exclude_same_region);

    // The same plan written differently (a string date, a fraction, codes in other forms, the
    // tables in another order) has the same fingerprint; another list order does not.
    let again = PLAN
        .replace("draw_date = 2026-03-01", "draw_date = \"2026-03-01\"")
        .replace("general_ratio_cap = \"5%\"", "general_ratio_cap = 0.05")
        .replace(
            "industries = [\"C\", \"1311\", \"13\"]",
            "industries = [\"c\", \"C1311\", \"１３\"]",
        );
    let (head, tail) = again.split_at(again.find("[filters]").unwrap());
    let (filters, rest) = tail.split_at(tail.find("[strata]").unwrap());
    let again = format!("{head}{rest}\n{filters}");
    let again = read_plan("plan.toml", &again).unwrap();
    assert_eq!(again, plan);
    assert_eq!(plan_digest(&again).unwrap(), plan_digest(&plan).unwrap());
    let reordered = PLAN.replace(
        "industries = [\"C\", \"1311\", \"13\"]",
        "industries = [\"13\", \"1311\", \"C\"]",
    );
    let reordered = read_plan("plan.toml", &reordered).unwrap();
    assert_ne!(
        plan_digest(&reordered).unwrap(),
        plan_digest(&plan).unwrap()
    );
}

fn plan_with(replace: &str, with: &str) -> String {
    assert!(PLAN.contains(replace), "{replace}");
    PLAN.replace(replace, with)
}

fn line_of(text: &str, needle: &str) -> u64 {
    text.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1
}

#[test]
fn one_officer_is_refused() {
    let text = plan_with("officers = 2", "officers = 1");
    let errs = read_plan("plan.toml", &text).unwrap_err();
    assert_eq!(errs.errors.len(), 1, "{errs}");
    let e = &errs.errors[0];
    assert_eq!(e.kind, PlanErrorKind::TooFewOfficers { officers: 1 });
    assert_eq!(e.field, "team.officers");
    assert_eq!(e.line, line_of(&text, "officers = 1"));
    assert_eq!(e.file, "plan.toml");
}

#[test]
fn ratios_out_of_range_are_refused() {
    for (ratio, problem) in [
        ("\"150%\"", RatioProblem::AboveHundred),
        ("\"-1%\"", RatioProblem::Negative),
        ("\"0.001%\"", RatioProblem::TooPrecise),
        ("1.5", RatioProblem::AboveHundred),
        ("-0.01", RatioProblem::Negative),
        ("nan", RatioProblem::NotFinite),
        ("inf", RatioProblem::NotFinite),
        ("\"5\"", RatioProblem::Format),
    ] {
        let text = plan_with(
            "B = { ratio = \"2%\" }",
            &format!("B = {{ ratio = {ratio} }}"),
        );
        let errs = read_plan("plan.toml", &text).unwrap_err();
        assert_eq!(errs.errors.len(), 1, "{ratio}: {errs}");
        let e = &errs.errors[0];
        assert_eq!(e.field, "strata.B.ratio", "{ratio}");
        assert_eq!(e.line, line_of(&text, "B = {"), "{ratio}");
        assert!(
            matches!(&e.kind, PlanErrorKind::BadRatio { problem: p, .. } if *p == problem),
            "{ratio}: {:?}",
            e.kind
        );
    }
}

/// The ratio written at `B = { ratio = … }` in basis points, or the refusal.
fn b_ratio(ratio: &str) -> Result<Option<u32>, (u64, String, PlanErrorKind)> {
    let text = plan_with(
        "B = { ratio = \"2%\" }",
        &format!("B = {{ ratio = {ratio} }}"),
    );
    match read_plan("plan.toml", &text) {
        Ok(plan) => {
            let Strata::Risk { classes, .. } = &plan.strata else {
                panic!("{:?}", plan.strata)
            };
            Ok(classes[&RiskClass::B].ratio_bp)
        }
        Err(errs) => {
            assert_eq!(errs.errors.len(), 1, "{ratio}: {errs}");
            let e = &errs.errors[0];
            assert_eq!(e.file, "plan.toml");
            assert_eq!(e.line, line_of(&text, "B = {"), "{ratio}");
            Err((e.line, e.field.clone(), e.kind.clone()))
        }
    }
}

#[test]
fn ratios_are_read_from_their_decimal_text() {
    // 0.09999999999999999999 is the same double as 0.1, but it is not 10 %.
    for ratio in [
        "0.09999999999999999999",
        "0.10000000000000000001",
        "9.999999999999999999e-2",
        "0.000_05",
    ] {
        let (_, field, kind) = b_ratio(ratio).unwrap_err();
        assert_eq!(field, "strata.B.ratio");
        assert!(
            matches!(&kind, PlanErrorKind::BadRatio { problem: RatioProblem::TooPrecise, value } if *value == ratio.replace('_', "")),
            "{ratio}: {kind:?}"
        );
    }
    // The TOML number grammar: exponents, underscores, a sign, trailing zeros.
    for (ratio, bp) in [
        ("0.1", 1000),
        ("1e-1", 1000),
        ("0.1_0", 1000),
        ("+0.1", 1000),
        ("10e-2", 1000),
        ("0.10000000000000000000", 1000),
        ("-0.0", 0),
        ("0", 0),
        ("1", 10_000),
        ("0.0001", 1),
    ] {
        assert_eq!(b_ratio(ratio), Ok(Some(bp)), "{ratio}");
    }
    // The same for general_ratio_cap.
    let text = plan_with(
        "general_ratio_cap = \"5%\"",
        "general_ratio_cap = 0.04999999999999999999",
    );
    let errs = read_plan("plan.toml", &text).unwrap_err();
    assert_eq!(errs.errors.len(), 1, "{errs}");
    assert_eq!(errs.errors[0].field, "general_ratio_cap");
    assert_eq!(errs.errors[0].line, line_of(&text, "general_ratio_cap"));
    assert!(matches!(
        errs.errors[0].kind,
        PlanErrorKind::BadRatio {
            problem: RatioProblem::TooPrecise,
            ..
        }
    ));
}

#[test]
fn the_percentage_grammar() {
    for (ratio, bp) in [
        ("\"10%\"", 1000),
        ("\"2.5 %\"", 250),
        ("\"１０％\"", 1000),
        ("\"２．５％\"", 250),
        ("\"\u{3000}2.5\u{3000}%\u{a0}\"", 250),
        ("\"007%\"", 700),
        ("\"2.50%\"", 250),
        ("\"0.01%\"", 1),
        ("\"100.00%\"", 10_000),
    ] {
        assert_eq!(b_ratio(ratio), Ok(Some(bp)), "{ratio}");
    }
    for (ratio, problem) in [
        ("\"+10%\"", RatioProblem::Format),
        ("\".5%\"", RatioProblem::Format),
        ("\"5.%\"", RatioProblem::Format),
        ("\"-0%\"", RatioProblem::Format),
        ("\"1 0%\"", RatioProblem::Format),
        ("\"1e1%\"", RatioProblem::Format),
        ("\"0.1_0%\"", RatioProblem::Format),
        ("\"10\u{a0}%\"", RatioProblem::Format),
        ("\"10\u{200b}%\"", RatioProblem::Format),
        ("\"\u{663}%\"", RatioProblem::Format),
        ("\"10\"", RatioProblem::Format),
        ("\"%\"", RatioProblem::Format),
        ("\"-5%\"", RatioProblem::Negative),
        ("\"2.555%\"", RatioProblem::TooPrecise),
        ("\"100.01%\"", RatioProblem::AboveHundred),
    ] {
        let (_, field, kind) = b_ratio(ratio).unwrap_err();
        assert_eq!(field, "strata.B.ratio");
        assert!(
            matches!(&kind, PlanErrorKind::BadRatio { problem: p, .. } if *p == problem),
            "{ratio}: {kind:?}"
        );
    }
}

#[test]
fn keywords_are_matched_ignoring_ascii_case_after_trimming() {
    let text = plan_with("rounding = \"down\"", "rounding = \" Down \"")
        .replace("by = \"risk\"", "by = \"RISK\"");
    let plan = read_plan("plan.toml", &text).unwrap();
    assert_eq!(plan, read_plan("plan.toml", PLAN).unwrap());
    // Width is not folded and no space may stand inside a keyword.
    for (replace, with, field) in [
        (
            "rounding = \"down\"",
            "rounding = \"ＤＯＷＮ\"",
            "strata.C.rounding",
        ),
        (
            "rounding = \"down\"",
            "rounding = \"do wn\"",
            "strata.C.rounding",
        ),
        ("by = \"risk\"", "by = \"ｒｉｓｋ\"", "strata.by"),
    ] {
        let text = plan_with(replace, with);
        let errs = read_plan("plan.toml", &text).unwrap_err();
        assert_eq!(errs.errors[0].field, field, "{with}: {errs}");
        assert!(
            matches!(errs.errors[0].kind, PlanErrorKind::UnknownValue { .. }),
            "{with}: {errs}"
        );
    }
}

#[test]
fn a_filter_value_listed_twice_is_refused() {
    for (replace, with, field, value) in [
        (
            "regions = [\"5201\"]",
            "regions = [\"5201\", \"５２０１\"]",
            "filters.regions[1]",
            "5201",
        ),
        (
            "industries = [\"C\", \"1311\", \"13\"]",
            "industries = [\"C13\", \"1311\", \"13\"]",
            "filters.industries[2]",
            "C13",
        ),
        (
            "kinds = [\"企业\"]",
            "kinds = [\"企业\", \"Enterprise\"]",
            "filters.kinds[1]",
            "enterprise",
        ),
        (
            "statuses = [\"存续\"]",
            "statuses = [\"存续\", \"在营\"]",
            "filters.statuses[1]",
            "active",
        ),
        (
            "tags_any = []",
            "tags_any = [\"食品\", \" 食品\"]",
            "filters.tags_any[1]",
            "食品",
        ),
        (
            "tags_all = []",
            "tags_all = [\"e\\u0301\", \"\u{e9}\"]",
            "filters.tags_all[1]",
            "\u{e9}",
        ),
        (
            "departments = []",
            "departments = [\"稽查局\", \"稽查局\"]",
            "team.departments[1]",
            "稽查局",
        ),
    ] {
        let text = plan_with(replace, with);
        let errs = read_plan("plan.toml", &text).unwrap_err();
        assert_eq!(errs.errors.len(), 1, "{with}: {errs}");
        let e = &errs.errors[0];
        assert_eq!(e.field, field);
        assert_eq!(e.line, line_of(&text, with));
        assert_eq!(
            e.kind,
            PlanErrorKind::DuplicateValue {
                value: value.to_owned()
            }
        );
    }
}

#[test]
fn window_days_range_from_1_to_36525() {
    for key in ["entity_window_days = 180", "inspector_window_days = 365"] {
        let name = key.split(' ').next().unwrap();
        let plan = read_plan("plan.toml", &plan_with(key, &format!("{name} = 36525"))).unwrap();
        let got = if name.starts_with("entity") {
            plan.repeat.entity_window_days
        } else {
            plan.repeat.inspector_window_days
        };
        assert_eq!(got, Some(36_525));
        for bad in ["0", "36526", "4294967295"] {
            let text = plan_with(key, &format!("{name} = {bad}"));
            let errs = read_plan("plan.toml", &text).unwrap_err();
            assert_eq!(errs.errors[0].field, format!("repeat.{name}"));
            assert_eq!(
                errs.errors[0].kind,
                PlanErrorKind::IntegerRange {
                    value: bad.to_owned(),
                    min: 1,
                    max: 36_525
                }
            );
        }
    }
}

#[test]
fn items_are_codes_and_team_lists_default_to_empty() {
    let text = plan_with(
        "items = [\"GZ-SC-001\", \"gz-sc-002\"]",
        "items = [\" ｇｚ-sc-001\", \"GZ-SC-002\"]",
    )
    .replace("departments = []\n", "");
    let plan = read_plan("plan.toml", &text).unwrap();
    assert_eq!(plan.items, ["GZ-SC-001", "GZ-SC-002"]);
    assert!(plan.team.departments.is_empty());
    assert!(plan.team.joint.is_empty());
    assert_eq!(plan, read_plan("plan.toml", PLAN).unwrap());
}

#[test]
fn unknown_keys_are_refused_with_their_line() {
    for (replace, with, field) in [
        ("officers = 2", "officers = 2\nofficer = 3", "team.officer"),
        (
            "[repeat]",
            "[repeat]\nentity_window = 30",
            "repeat.entity_window",
        ),
        (
            "B = { ratio = \"2%\" }",
            "B = { ratio = \"2%\", rounding = \"up\", maxi = 3 }",
            "strata.B.maxi",
        ),
        (
            "batch = \"第1批\"",
            "batch = \"第1批\"\nbacth = \"x\"",
            "bacth",
        ),
        (
            "[filters]",
            "[filters]\nregion = [\"52\"]",
            "filters.region",
        ),
        ("[team]", "[teams]\nx = 1\n[team]", "teams"),
    ] {
        let text = plan_with(replace, with);
        let errs = read_plan("plan.toml", &text).unwrap_err();
        assert_eq!(errs.errors.len(), 1, "{field}: {errs}");
        let e = &errs.errors[0];
        assert_eq!(e.field, field);
        let key = field.rsplit('.').next().unwrap();
        assert!(matches!(&e.kind, PlanErrorKind::UnknownKey { key: k, .. } if k == key));
        let needle = if key == "teams" {
            "[teams]".to_string()
        } else {
            format!("{key} =")
        };
        assert_eq!(e.line, line_of(&text, &needle), "{field}");
        assert!(e.to_string().contains("unknown key"));
    }
}

#[test]
fn required_keys_and_types_are_checked() {
    let text = PLAN
        .replace("plan_id = \"GZ-2026-01\"\n", "")
        .replace("officers = 2", "officers = \"2\"");
    let errs = read_plan("plan.toml", &text).unwrap_err();
    assert_eq!(errs.errors.len(), 2, "{errs}");
    assert_eq!(errs.errors[0].kind, PlanErrorKind::Missing);
    assert_eq!(errs.errors[0].field, "plan_id");
    assert_eq!(
        errs.errors[1].kind,
        PlanErrorKind::WrongType {
            expected: "integer",
            found: "string"
        }
    );

    let errs = read_plan(
        "plan.toml",
        &plan_with(
            "items = [\"GZ-SC-001\", \"gz-sc-002\"]",
            "items = [\"A\", \" a \"]",
        ),
    )
    .unwrap_err();
    assert_eq!(
        errs.errors[0].kind,
        PlanErrorKind::DuplicateItem { item: "A".into() }
    );
    assert_eq!(errs.errors[0].field, "items[1]");

    let errs = read_plan(
        "plan.toml",
        &plan_with(
            "D = { ratio = \"30%\", count = 5, max = 200 }",
            "D = { min = 3, max = 2, ratio = \"1%\" }\nE = { rounding = \"up\" }",
        ),
    )
    .unwrap_err();
    let kinds: Vec<_> = errs.errors.iter().map(|e| e.kind.clone()).collect();
    assert_eq!(
        kinds,
        [
            PlanErrorKind::MinAboveMax { min: 3, max: 2 },
            PlanErrorKind::NoQuota
        ]
    );

    assert!(read_plan("plan.toml", &format!("\u{feff}{PLAN}")).is_ok());
    let errs = read_plan("plan.toml", "plan_id = [").unwrap_err();
    assert!(matches!(errs.errors[0].kind, PlanErrorKind::Syntax { .. }));
    assert_eq!(errs.errors[0].line, 1);

    let errs = read_plan(
        "plan.toml",
        &plan_with("draw_date = 2026-03-01", "draw_date = 2026-02-30"),
    )
    .unwrap_err();
    assert!(matches!(
        errs.errors[0].kind,
        PlanErrorKind::Syntax { .. } | PlanErrorKind::BadDate { .. }
    ));
    let errs = read_plan(
        "plan.toml",
        &plan_with("draw_date = 2026-03-01", "draw_date = 2026-03-01T10:00:00"),
    )
    .unwrap_err();
    assert!(matches!(errs.errors[0].kind, PlanErrorKind::BadDate { .. }));

    let errs = read_plan(
        "plan.toml",
        &plan_with("statuses = [\"存续\"]", "statuses = []"),
    )
    .unwrap_err();
    assert_eq!(errs.errors[0].kind, PlanErrorKind::EmptyList);
    let errs = read_plan(
        "plan.toml",
        &plan_with("regions = [\"5201\"]", "regions = [\"52a\", \"1234567\"]"),
    )
    .unwrap_err();
    assert_eq!(errs.errors.len(), 2);
    let errs = read_plan(
        "plan.toml",
        &plan_with("kinds = [\"企业\"]", "kinds = [\"外企\"]"),
    )
    .unwrap_err();
    assert!(matches!(
        errs.errors[0].kind,
        PlanErrorKind::UnknownValue { .. }
    ));
}

#[test]
fn a_plan_stratified_by_nothing() {
    let text = PLAN.replace(
        "by = \"risk\"\nA = { ratio = \"1%\", min = 1 }\nB = { ratio = \"2%\" }\nC = { ratio = \"10%\", rounding = \"down\" }\nD = { ratio = \"30%\", count = 5, max = 200 }",
        "by = \"none\"\nratio = \"3%\"\nrounding = \"nearest\"",
    );
    let plan = read_plan("plan.toml", &text).unwrap();
    assert!(
        matches!(plan.strata, Strata::None { quota } if quota.ratio_bp == Some(300) && quota.rounding == Rounding::Nearest)
    );
    let errs = read_plan(
        "plan.toml",
        &text.replace("ratio = \"3%\"", "ratio = \"3%\"\nA = { ratio = \"1%\" }"),
    )
    .unwrap_err();
    assert!(matches!(&errs.errors[0].kind, PlanErrorKind::UnknownKey { key, .. } if key == "A"));
}

const JOINT: &str = r#"
[[team.joint]]
department = "市场监管局"
officers = 1
items = ["GZ-SC-001"]

[[team.joint]]
department = "税务局"
officers = 1
items = ["GZ-SC-002", "GZ-SC-001"]
"#;

fn joint_plan(officers_line: &str, joint: &str) -> String {
    let base = PLAN
        .replace("officers = 2\n", officers_line)
        .replace("departments = []\n", "");
    format!("{base}{joint}")
}

#[test]
fn joint_plans_are_validated() {
    // officers computed from the departments.
    let plan = read_plan("plan.toml", &joint_plan("", JOINT)).unwrap();
    assert_eq!(plan.team.officers, 2);
    assert_eq!(plan.team.joint.len(), 2);
    assert_eq!(plan.team.joint[1].items, ["GZ-SC-002", "GZ-SC-001"]);
    // Given and matching.
    assert!(read_plan("plan.toml", &joint_plan("officers = 2\n", JOINT)).is_ok());

    let kind_of = |text: String| {
        let errs = read_plan("plan.toml", &text).unwrap_err();
        assert_eq!(errs.errors.len(), 1, "{errs}");
        errs.errors.into_iter().next().unwrap()
    };
    let e = kind_of(joint_plan("officers = 3\n", JOINT));
    assert_eq!(
        e.kind,
        PlanErrorKind::JointOfficersMismatch {
            officers: 3,
            sum: 2
        }
    );
    assert_eq!(e.field, "team.officers");

    let e = kind_of(joint_plan("", &JOINT.replace("税务局", "市场监管局")));
    assert!(matches!(
        e.kind,
        PlanErrorKind::JointDuplicateDepartment { .. }
    ));
    assert_eq!(e.field, "team.joint[1].department");

    let e = kind_of(joint_plan(
        "",
        &JOINT.replace(
            "\"GZ-SC-002\", \"GZ-SC-001\"",
            "\"GZ-SC-002\", \"GZ-SC-009\"",
        ),
    ));
    assert_eq!(
        e.kind,
        PlanErrorKind::JointItemNotInPlan {
            item: "GZ-SC-009".into()
        }
    );
    assert_eq!(e.field, "team.joint[1].items[1]");

    let e = kind_of(joint_plan(
        "",
        &JOINT.replace("\"GZ-SC-002\", \"GZ-SC-001\"", "\"GZ-SC-001\""),
    ));
    assert_eq!(
        e.kind,
        PlanErrorKind::JointItemUncovered {
            item: "GZ-SC-002".into()
        }
    );

    let e = kind_of(joint_plan(
        "",
        &JOINT.replacen("officers = 1", "officers = 0", 1),
    ));
    assert!(matches!(e.kind, PlanErrorKind::IntegerRange { min: 1, .. }));

    let one_department = "\n[[team.joint]]\ndepartment = \"市场监管局\"\nofficers = 1\nitems = [\"GZ-SC-001\", \"GZ-SC-002\"]\n";
    let e = kind_of(joint_plan("", one_department));
    assert_eq!(e.kind, PlanErrorKind::TooFewOfficers { officers: 1 });

    let e = kind_of(joint_plan("departments = [\"x\"]\n", JOINT));
    assert_eq!(e.kind, PlanErrorKind::DepartmentsInJoint);

    let e = kind_of(joint_plan(
        "",
        &JOINT.replace(
            "officers = 1\nitems = [\"GZ-SC-001\"]",
            "officers = 1\nitems = [\"GZ-SC-001\"]\nleader = true",
        ),
    ));
    assert!(matches!(&e.kind, PlanErrorKind::UnknownKey { key, .. } if key == "leader"));
    assert_eq!(e.field, "team.joint[0].leader");
}

// ---------------------------------------------------------------- no panics

mod no_panics {
    use super::*;
    use proptest::prelude::*;

    fn all_tables(bytes: &[u8]) {
        let check = |r: Result<usize, InputErrors>| {
            if let Err(e) = r {
                assert!(e.total() > 0);
            }
        };
        check(read_entities("e.csv", bytes).map(|r| r.rows.len()));
        check(read_inspectors("i.csv", bytes).map(|r| r.rows.len()));
        check(read_items("t.csv", bytes).map(|r| r.rows.len()));
        check(read_conflicts("c.csv", bytes).map(|r| r.rows.len()));
        check(read_history("h.csv", bytes).map(|r| r.rows.len()));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn arbitrary_bytes_as_any_table(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            all_tables(&bytes);
        }

        #[test]
        fn csv_like_bytes_as_any_table(
            header in prop::sample::select(vec![ENTITY_HEAD, "执法证号,姓名,部门\n", "id,name,category\n", "inspector,entity\n", "entity,date,inspectors\n"]),
            body in "[\u{feff}\",\r\n a-z0-9.E+年月日/;、|存续企业\u{3000}-]{0,200}",
        ) {
            let text = format!("{header}{body}");
            all_tables(text.as_bytes());
            let gbk = encoding_rs::GB18030.encode(&text).0.into_owned();
            all_tables(&gbk);
        }

        #[test]
        fn arbitrary_text_as_a_plan(text in any::<String>()) {
            if let Err(e) = read_plan("plan.toml", &text) {
                prop_assert!(!e.errors.is_empty());
            }
        }

        #[test]
        fn plan_like_text_as_a_plan(edits in proptest::collection::vec((0usize..2000, "[\"'=\\[\\]{}.,a-z0-9%\n -]{0,6}"), 0..6)) {
            let mut text = PLAN.to_string();
            for (at, insert) in edits {
                let mut at = at.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.insert_str(at, &insert);
            }
            if let Err(e) = read_plan("plan.toml", &text) {
                prop_assert!(!e.errors.is_empty());
            }
        }
    }
}

/// SPEC §3.5's records, case by case. The Python replayer's `test_roster.py` reads the same
/// bytes and expects the same values.
const QUOTING_CASES: &[u8] = b"\r\n,,\r\n ,\t,\r\nid,name,category\r\n\
A1,plain,\xe4\xb8\x80\xe8\x88\xac\r\n\
A2,\"q,uo\"\"ted\",\xe4\xb8\x80\xe8\x88\xac\r\n\
A3,a\"b\"c,\xe4\xb8\x80\xe8\x88\xac\r\n\
A4,\"ab\"c\"d,\xe4\xb8\x80\xe8\x88\xac\r\n\
A5,\"ab\"c\"\"d,\xe4\xb8\x80\xe8\x88\xac\r\n\
A6,\"ab\"x y,\xe4\xb8\x80\xe8\x88\xac\r\n\
A7,\"line\r\nbreak\",\xe4\xb8\x80\xe8\x88\xac\n\
A8, \"sp\",\xe4\xb8\x80\xe8\x88\xac\r\
A9,\"\"x,\xe4\xb8\x80\xe8\x88\xac\n\n,,\n\
A10,x\"\"y,\xe4\xb8\x80\xe8\x88\xac\n";

#[test]
fn records_are_read_as_the_spec_spells_out() {
    let items = read_items("items.csv", QUOTING_CASES).unwrap();
    let got: Vec<(&str, &str)> = items
        .rows
        .iter()
        .map(|i| (i.id.as_str(), i.name.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("A1", "plain"),
            ("A2", "q,uo\"ted"),
            ("A3", "a\"b\"c"),
            ("A4", "abc\"d"),
            ("A5", "abc\"\"d"),
            ("A6", "abx y"),
            ("A7", "line\r\nbreak"),
            ("A8", "\"sp\""),
            ("A9", "x"),
            ("A10", "x\"\"y"),
        ]
    );
    // A quoted field still open at the end of the file runs to the end.
    let open = read_items(
        "items.csv",
        &b"id,category,name\nB1,general,\"open, ended\n"[..],
    )
    .unwrap();
    assert_eq!(open.rows[0].name, "open, ended");
    // U+000B is not blank: that record has one field, not three.
    let e = only_error(read_items(
        "items.csv",
        &b"id,name,category\nA1,x,general\n\x0b\n"[..],
    ));
    assert_eq!(e.line, 3);
    assert_eq!(
        e.kind,
        InputErrorKind::FieldCount {
            expected: 3,
            found: 1
        }
    );
}

#[test]
fn vocabularies_take_canonical_names_in_any_ascii_case_but_never_fold_width() {
    let [a, ..] = ids();
    let read = |kind: &str, status: &str| {
        let text = format!("id,name,kind,region,status\n{a},甲,{kind},520102,{status}\n");
        read_entities("entities.csv", text.as_bytes())
    };
    for (kind, status) in [
        ("enterprise", "active"),
        ("ENTERPRISE", "Active"),
        (" enterprise\u{3000}", "\u{a0}ACTIVE "),
        ("企业", "存续"),
    ] {
        let r = read(kind, status).unwrap();
        assert_eq!(r.rows[0].status, EntityStatus::Active, "{kind} {status}");
    }
    assert_eq!(
        read("enterprise", "moved_out").unwrap().rows[0].status,
        EntityStatus::MovedOut
    );
    for (kind, status) in [
        ("enterprise", "ＡＣＴＩＶＥ"),
        ("ｅｎｔｅｒｐｒｉｓｅ", "active"),
        ("enterprise", "act ive"),
        ("enterprise", "moved out"),
    ] {
        let e = only_error(read(kind, status));
        assert!(
            matches!(e.kind, InputErrorKind::UnknownValue { .. }),
            "{kind} {status}: {e:?}"
        );
    }
}
