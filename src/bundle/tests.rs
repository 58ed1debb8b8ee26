//! Tests of the input loading that need its private parts.

use super::*;

/// The example inputs, with `entities` as the entity roster's bytes if given.
fn inputs_with(entities: Option<&[u8]>) -> (tempfile::TempDir, InputPaths) {
    let dir = tempfile::tempdir().unwrap();
    example_input_files(dir.path()).unwrap();
    if let Some(bytes) = entities {
        std::fs::write(dir.path().join("entities.csv"), bytes).unwrap();
    }
    let paths = InputPaths::find(dir.path(), None).unwrap();
    (dir, paths)
}

#[test]
fn a_missing_column_the_plan_reads_is_refused_before_announcing_but_replays_with_its_default() {
    // The example roster without its kind column, and a plan filtering on kinds.
    let roster = "统一社会信用代码,名称,行政区划代码,登记状态\n\
                  91520102MA6D0000X3,甲商贸有限公司,520102,存续\n\
                  92520103MA6D00018E,乙餐饮店,520103,存续\n";
    let (dir, paths) = inputs_with(Some(roster.as_bytes()));
    let plan = std::fs::read_to_string(dir.path().join("plan.toml")).unwrap();
    let plan = plan.replace("[strata]", "[filters]\nkinds = [\"企业\"]\n[strata]");
    std::fs::write(dir.path().join("plan.toml"), plan).unwrap();
    let office = load_input_files_with(&paths, &mut NoProgress, false, Guard::Office);
    let Err(BundleError::Inputs(p)) = office else {
        panic!("the office's check accepted a roster without the kind column")
    };
    assert!(
        matches!(
            &p.problems[..],
            [InputProblem::NeededColumn { field: "kind", .. }]
        ),
        "{p}"
    );
    // A verifier replays the same files: every kind is the default (none), so no entity
    // passes the filter, as the draw that was announced from them found too.
    let replay = load_input_files_with(&paths, &mut NoProgress, false, Guard::Replay);
    let inputs = replay.expect("replay loads the inputs the draw used");
    assert_eq!(inputs.entities.len(), 2);
    assert!(inputs.entities.iter().all(|e| e.kind.is_none()));
}

#[test]
fn the_entity_roster_loads_alike_on_every_core_and_on_one() {
    let header = "统一社会信用代码,名称,市场主体类型,行政区划代码,登记状态,标签\n";
    let mut plain = String::from(header);
    for i in 0..20_000u64 {
        let id = crate::formats::entity_scan::tests::uscc(i);
        // Every 500th name has spaces around it: a warning-free row off the plain path.
        let name = if i % 500 == 1 {
            format!(" 甲{i} ")
        } else {
            format!("甲{i}有限公司")
        };
        plain.push_str(&format!("{id},{name},企业,520102,存续,食品;特种设备\n"));
    }
    let quoted = plain.replacen("甲3有限公司", "\"甲3,有限公司\"", 1);
    let twice = format!("{plain}{}", plain.lines().nth(9).unwrap());
    let broken = plain.replacen(",520102,", ",52010X,", 1);
    let gbk = encoding_rs::GBK.encode(&plain).0.into_owned();
    let cases: [(&str, Option<&[u8]>); 6] = [
        ("plain", Some(plain.as_bytes())),
        ("quoted", Some(quoted.as_bytes())),
        ("an id twice", Some(twice.as_bytes())),
        ("a broken row", Some(broken.as_bytes())),
        ("GBK", Some(&gbk)),
        ("the example", None),
    ];
    for (what, bytes) in cases {
        let (_dir, paths) = inputs_with(bytes);
        let parallel = load_input_files_with(&paths, &mut NoProgress, true, Guard::Office);
        let sequential = load_input_files_with(&paths, &mut NoProgress, false, Guard::Office);
        assert_eq!(format!("{parallel:?}"), format!("{sequential:?}"), "{what}");
        let outcome = match what {
            "an id twice" | "a broken row" => parallel.is_err(),
            _ => parallel.is_ok(),
        };
        assert!(outcome, "{what}");
    }
    // The plain roster is one the parallel reader takes.
    let read = crate::formats::entity_scan::read_all("e.csv", plain.as_bytes(), 2).unwrap();
    assert_eq!(read.rows.len(), 20_000);
}
