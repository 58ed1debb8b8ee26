//! The bundled sample data under `examples/data/`: documented headers, valid and unique codes,
//! cross-file references that resolve, and two sample plans that the draw can satisfy.
//!
//! Whether the generator still reproduces these files byte for byte is checked by
//! `examples/data/regen.sh`, not here (it needs a release build of the example).

use double_random::Digest32;
use double_random::codes::{EntityId, parse_entity_id, parse_industry, parse_region};
use double_random::draw;
use double_random::model::*;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The sample data directory.
const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data");

/// A CSV file of the sample: header and rows.
struct Csv {
    /// File name, for messages.
    name: &'static str,
    /// Column names.
    header: Vec<String>,
    /// Rows, as text.
    rows: Vec<Vec<String>>,
}

impl Csv {
    /// Reads `examples/data/<name>`, which must be UTF-8 with a byte-order mark and CRLF lines.
    fn read(name: &'static str) -> Csv {
        let text = std::fs::read_to_string(format!("{DATA}/{name}"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let body = text
            .strip_prefix('\u{feff}')
            .unwrap_or_else(|| panic!("{name}: no UTF-8 byte-order mark"));
        assert!(body.ends_with("\r\n"), "{name}: lines end in CRLF");
        let mut reader = csv::ReaderBuilder::new().from_reader(body.as_bytes());
        let header = reader
            .headers()
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .iter()
            .map(str::to_owned)
            .collect();
        let rows = reader
            .records()
            .map(|r| {
                r.unwrap_or_else(|e| panic!("{name}: {e}"))
                    .iter()
                    .map(str::to_owned)
                    .collect()
            })
            .collect();
        Csv { name, header, rows }
    }

    /// Asserts the header.
    fn assert_header(&self, expected: &[&str]) {
        assert_eq!(self.header, expected, "{}: header", self.name);
    }
}

/// Splits a `;`-separated list, sorted and deduplicated as the model keeps lists.
fn list(s: &str) -> Vec<String> {
    let mut v: Vec<String> = s
        .split(';')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The entity roster, checked row by row.
fn entities() -> Vec<Entity> {
    let csv = Csv::read("entities.csv");
    csv.assert_header(&[
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
    ]);
    csv.rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let line = i + 2;
            let (id, _warnings) =
                parse_entity_id(&r[0]).unwrap_or_else(|e| panic!("line {line}: {e}"));
            assert_eq!(id.as_str(), r[0], "line {line}: id in canonical form");
            if let EntityId::Uscc(u) = &id {
                assert_eq!(&u[2..8], r[4], "line {line}: USCC area code = region");
            }
            assert_eq!(
                parse_region(&r[4]).as_deref(),
                Ok(r[4].as_str()),
                "line {line}"
            );
            assert_eq!(
                parse_industry(&r[5]).as_deref(),
                Ok(r[5].as_str()),
                "line {line}"
            );
            assert!(
                r[5].len() == 5,
                "line {line}: industry is a letter and 4 digits"
            );
            Entity {
                id: r[0].clone(),
                name: r[1].clone(),
                kind: Some(EntityKind::parse(&r[2]).unwrap_or_else(|| panic!("line {line}: kind"))),
                authority: r[3].clone(),
                region: r[4].clone(),
                industry: r[5].clone(),
                status: EntityStatus::parse(&r[6]).unwrap_or_else(|| panic!("line {line}: status")),
                abnormal: match r[7].as_str() {
                    "是" => true,
                    "否" => false,
                    other => panic!("line {line}: abnormal flag {other:?}"),
                },
                risk: Some(RiskClass::parse(&r[8]).unwrap_or_else(|| panic!("line {line}: risk"))),
                tags: list(&r[9]),
            }
        })
        .collect()
}

/// The inspector roster.
fn inspectors() -> Vec<Inspector> {
    let csv = Csv::read("inspectors.csv");
    csv.assert_header(&[
        "执法证号",
        "姓名",
        "所属部门",
        "行政区划代码",
        "执法资质",
        "业务专长",
        "人员类别",
        "状态",
    ]);
    csv.rows
        .iter()
        .map(|r| Inspector {
            id: r[0].clone(),
            name: r[1].clone(),
            department: r[2].clone(),
            region: parse_region(&r[3]).expect("region"),
            qualifications: list(&r[4]),
            specialties: list(&r[5]),
            kind: InspectorKind::parse(&r[6]).expect("kind"),
            status: InspectorStatus::parse(&r[7]).expect("status"),
        })
        .collect()
}

/// The item list.
fn items() -> Vec<Item> {
    let csv = Csv::read("items.csv");
    csv.assert_header(&[
        "事项编号",
        "事项名称",
        "检查依据",
        "检查主体",
        "检查内容",
        "检查方式",
        "事项类别",
        "所需资质",
    ]);
    csv.rows
        .iter()
        .map(|r| Item {
            id: r[0].clone(),
            name: r[1].clone(),
            basis: r[2].clone(),
            subject: r[3].clone(),
            content: r[4].clone(),
            method: r[5].clone(),
            category: ItemCategory::parse(&r[6]).expect("category"),
            qualification: r[7].clone(),
        })
        .collect()
}

/// Declared conflicts.
fn conflicts() -> Vec<Conflict> {
    let csv = Csv::read("conflicts.csv");
    csv.assert_header(&["执法证号", "统一社会信用代码", "回避事由"]);
    csv.rows
        .iter()
        .map(|r| Conflict {
            inspector: r[0].clone(),
            entity: r[1].clone(),
            reason: r[2].clone(),
        })
        .collect()
}

/// Past inspections.
fn history() -> Vec<HistoryRecord> {
    let csv = Csv::read("history.csv");
    csv.assert_header(&[
        "统一社会信用代码",
        "检查日期",
        "事项编号",
        "检查人员",
        "检查类型",
    ]);
    csv.rows
        .iter()
        .map(|r| HistoryRecord {
            entity: r[0].clone(),
            date: r[1].parse().expect("date"),
            item: r[2].clone(),
            inspectors: list(&r[3]),
            kind: HistoryKind::parse(&r[4]).expect("kind"),
        })
        .collect()
}

#[test]
fn entity_ids_are_valid_and_unique() {
    let entities = entities();
    assert!((1_900..=2_100).contains(&entities.len()));
    let mut seen = HashSet::new();
    for e in &entities {
        assert!(seen.insert(&e.id), "{} appears twice", e.id);
    }
    let legacy = entities.iter().filter(|e| e.id.len() == 15).count();
    assert!(legacy > 0 && legacy < entities.len() / 10, "a few 注册号");
}

#[test]
fn rosters_and_references_agree() {
    let entities: HashSet<String> = entities().into_iter().map(|e| e.id).collect();
    let inspectors = inspectors();
    let by_id: HashMap<&str, &Inspector> = inspectors.iter().map(|i| (i.id.as_str(), i)).collect();
    assert_eq!(
        by_id.len(),
        inspectors.len(),
        "certificate numbers are unique"
    );
    let departments: HashSet<&str> = inspectors.iter().map(|i| i.department.as_str()).collect();
    assert_eq!(
        departments,
        HashSet::from(["市场监督管理局", "税务局", "生态环境局"])
    );
    assert!(inspectors.iter().any(|i| i.kind == InspectorKind::Expert));

    let items = items();
    for it in &items {
        assert!(
            inspectors.iter().any(|i| i.kind == InspectorKind::Officer
                && i.is_qualified(std::slice::from_ref(&it.qualification))),
            "item {} needs {}, which no officer holds",
            it.id,
            it.qualification
        );
    }

    let conflicts = conflicts();
    assert!(!conflicts.is_empty());
    for c in &conflicts {
        assert!(by_id.contains_key(c.inspector.as_str()), "{}", c.inspector);
        assert!(entities.contains(&c.entity), "{}", c.entity);
    }

    let history = history();
    let first: Date = "2025-03-01".parse().unwrap();
    let draw: Date = "2026-03-01".parse().unwrap();
    for h in &history {
        assert!(entities.contains(&h.entity), "{}", h.entity);
        assert!(first <= h.date && h.date < draw, "{}", h.date);
        let item = items
            .iter()
            .find(|i| i.id == h.item)
            .expect("item on the list");
        assert_eq!(h.inspectors.len(), 2);
        for id in &h.inspectors {
            let i = by_id[id.as_str()];
            assert!(i.is_qualified(std::slice::from_ref(&item.qualification)));
        }
    }
}

/// A stand-in for the plan reader: maps the sample plans' TOML onto [`Plan`], covering only what
/// the sample plans use.
fn plan(name: &str) -> Plan {
    let text = std::fs::read_to_string(format!("{DATA}/{name}")).unwrap();
    let t: toml::Table = text.parse().unwrap_or_else(|e| panic!("{name}: {e}"));
    let s = |v: &toml::Value| v.as_str().expect("a string").to_owned();
    let strings = |v: &toml::Value| -> Vec<String> {
        v.as_array().expect("an array").iter().map(s).collect()
    };
    let int = |v: &toml::Value| v.as_integer().expect("an integer");
    let table = |k: &str| t[k].as_table().expect("a table");
    let filters = table("filters");
    let strata = table("strata");
    assert_eq!(strata["by"].as_str(), Some("risk"));
    let classes: BTreeMap<RiskClass, Quota> = strata
        .iter()
        .filter(|(k, _)| *k != "by")
        .map(|(k, v)| {
            let ratio = v["ratio"].as_str().unwrap().strip_suffix('%').unwrap();
            let quota = Quota {
                ratio_bp: Some((ratio.parse::<f64>().unwrap() * 100.0).round() as u32),
                count: None,
                min: v.get("min").map(|m| int(m) as u64),
                max: None,
                rounding: Rounding::Up,
            };
            (RiskClass::parse(k).unwrap(), quota)
        })
        .collect();
    let repeat = table("repeat");
    let team = table("team");
    Plan {
        plan_id: s(&t["plan_id"]),
        plan_name: s(&t["plan_name"]),
        task_id: s(&t["task_id"]),
        task_name: s(&t["task_name"]),
        batch: s(&t["batch"]),
        authority: s(&t["authority"]),
        directed: t["directed"].as_bool().unwrap(),
        draw_date: t["draw_date"].to_string().parse().unwrap(),
        items: strings(&t["items"]),
        general_ratio_cap_bp: None,
        filters: Filters {
            region_prefixes: strings(&filters["regions"]),
            industry_prefixes: strings(&filters["industries"]),
            kinds: strings(&filters["kinds"])
                .iter()
                .map(|k| EntityKind::parse(k).unwrap())
                .collect(),
            statuses: strings(&filters["statuses"])
                .iter()
                .map(|k| EntityStatus::parse(k).unwrap())
                .collect(),
            tags_any: strings(&filters["tags_any"]),
            tags_all: strings(&filters["tags_all"]),
            exclude_abnormal: filters["exclude_abnormal"].as_bool().unwrap(),
        },
        strata: Strata::Risk {
            classes,
            unclassified: None,
        },
        repeat: RepeatRules {
            entity_window_days: Some(int(&repeat["entity_window_days"]) as u32),
            entity_yearly_cap: Some(int(&repeat["entity_yearly_cap"]) as u32),
            same_items_only: repeat["same_items_only"].as_bool().unwrap(),
            inspector_window_days: Some(int(&repeat["inspector_window_days"]) as u32),
        },
        team: TeamRules {
            officers: int(&team["officers"]) as u32,
            experts: int(&team["experts"]) as u32,
            exclude_same_region: team["exclude_same_region"].as_bool().unwrap(),
            workload_cap: team.get("workload_cap").map(|c| int(c) as u32),
            recusal_cap: team.get("recusal_cap").map_or(2, |c| int(c) as u32),
            departments: strings(&team["departments"]),
            joint: team.get("joint").map_or(vec![], |j| {
                j.as_array()
                    .unwrap()
                    .iter()
                    .map(|d| JointDepartment {
                        department: s(&d["department"]),
                        officers: int(&d["officers"]) as u32,
                        items: strings(&d["items"]),
                    })
                    .collect()
            }),
        },
        publish_risk: t["publish_risk"].as_bool().unwrap(),
    }
}

/// Draws `plan` on the sample rosters under many seeds; every draw must succeed.
fn draws_succeed(plan: Plan) {
    let inputs = draw::OwnedInputs {
        plan,
        entities: entities(),
        inspectors: inspectors(),
        items: items(),
        conflicts: conflicts(),
        history: history(),
    };
    for seed in 0..32u8 {
        let result = draw::run(&inputs.as_inputs(), &Digest32([seed; 32]))
            .unwrap_or_else(|e| panic!("{}, seed {seed}: {e}", inputs.plan.plan_id));
        assert!(result.assignments.len() >= 4);
        let officers = inputs.plan.team.officers as usize;
        for a in &result.assignments {
            assert_eq!(a.officers.len(), officers, "{}", a.entity);
        }
    }
}

#[test]
fn annual_plan_draws_on_the_sample() {
    draws_succeed(plan("plan.toml"));
}

#[test]
fn joint_plan_draws_on_the_sample() {
    let plan = plan("plan-joint.toml");
    assert_eq!(plan.team.joint.len(), 3);
    draws_succeed(plan);
}
