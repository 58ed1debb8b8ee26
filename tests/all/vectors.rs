//! Test vectors (SPEC §15): every case's inputs, read from the files as a user has them,
//! give the committed digests and result. A case without `expected.json` is written once
//! when `DR_BLESS_VECTORS=1` (for review and commit); an existing one is never rewritten.

use double_random::Digest32;
use double_random::ceremony::announce::{InputDigests, PlanRef};
use double_random::ceremony::sheet::SheetEntity;
use double_random::draw;
use double_random::formats::jcs;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Expected {
    version: String,
    seed: Digest32,
    plan: PlanRef,
    digests: InputDigests,
    strata: Vec<double_random::ceremony::sheet::SheetStratum>,
    excluded: double_random::ceremony::sheet::Excluded,
    pools: Vec<draw::PoolSummary>,
    entities: Vec<SheetEntity>,
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{}/{name}: {e}", dir.display()))
}

fn compute(dir: &Path) -> Expected {
    let loaded = double_random::bundle::load_inputs(dir, None).unwrap();
    let inputs = loaded.as_draw_inputs();
    let (plan, ents) = (&loaded.plan, &loaded.entities);
    let seed_text = String::from_utf8(read(dir, "seed.hex")).unwrap();
    let seed = Digest32::from_hex(seed_text.trim()).expect("seed.hex holds 64 hex digits");
    let result = draw::run(&inputs, &seed).unwrap();
    let names: std::collections::HashMap<&str, &str> = ents
        .iter()
        .map(|e| (e.id.as_str(), e.name.as_str()))
        .collect();
    Expected {
        version: double_random::ceremony::announce::VERSION.into(),
        seed,
        plan: PlanRef::of(plan),
        digests: InputDigests::of(&inputs).unwrap(),
        strata: result
            .strata
            .iter()
            .map(|s| double_random::ceremony::sheet::SheetStratum {
                stratum: s.stratum.label().into(),
                n: s.n,
                k: s.k,
                members_digest: s.members_digest,
            })
            .collect(),
        excluded: double_random::ceremony::sheet::Excluded {
            filtered: *result
                .excluded
                .get(&draw::entities::Exclusion::Filtered)
                .unwrap_or(&0),
            recently_inspected: *result
                .excluded
                .get(&draw::entities::Exclusion::RecentlyInspected)
                .unwrap_or(&0),
            yearly_cap: *result
                .excluded
                .get(&draw::entities::Exclusion::YearlyCap)
                .unwrap_or(&0),
        },
        pools: result.pools.clone(),
        entities: result
            .assignments
            .iter()
            .map(|a| SheetEntity {
                id: a.entity.clone(),
                name: names[a.entity.as_str()].to_string(),
                stratum: Some(a.stratum.label().to_string()),
                officers: a.officers.clone(),
                experts: a.experts.clone(),
            })
            .collect(),
    }
}

#[test]
fn every_vector_reproduces() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("seed.hex").exists())
        .collect();
    cases.sort();
    assert!(cases.len() >= 6, "at least six vectors");
    for dir in &cases {
        let got = compute(dir);
        let path = dir.join("expected.json");
        if !path.exists() {
            assert!(
                std::env::var_os("DR_BLESS_VECTORS").is_some(),
                "{}: no expected.json (compute it once with DR_BLESS_VECTORS=1, review, commit)",
                dir.display()
            );
            let mut bytes = jcs::to_canonical(&got).unwrap();
            bytes.push(b'\n');
            double_random::formats::files::write_new(&path, &bytes).unwrap();
            continue;
        }
        let text = std::fs::read(&path).unwrap();
        let want: Expected = serde_json::from_slice(&text).unwrap();
        assert_eq!(
            got,
            want,
            "{}: result differs from the committed vector",
            dir.display()
        );
    }
}

#[test]
fn gbk_english_and_shuffled_rows_change_nothing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let a = compute(&root.join("01-small-undirected"));
    let b = compute(&root.join("07-small-undirected-gbk-english"));
    assert_eq!(a, b);
}

#[test]
fn the_tight_case_has_its_only_assignment() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/06-tight-unique");
    let got = compute(&root);
    let conflicts = String::from_utf8(read(&root, "conflicts.csv")).unwrap();
    for e in &got.entities {
        assert_eq!(e.officers.len(), 2);
        for o in &e.officers {
            assert!(
                !conflicts.contains(&format!("{o},{}", e.id)),
                "conflict violated"
            );
        }
    }
}

#[test]
fn workbooks_change_nothing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let dir = root.join("08-small-undirected-xlsx");
    assert!(dir.join("entities.xlsx").exists() && !dir.join("entities.csv").exists());
    assert!(dir.join("inspectors.xlsx").exists() && !dir.join("inspectors.csv").exists());
    assert_eq!(compute(&root.join("01-small-undirected")), compute(&dir));
}

#[test]
fn nothing_drawn_still_lists_the_pools_with_the_plans_cap() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/09-nothing-drawn");
    let got = compute(&root);
    assert!(got.entities.is_empty());
    assert!(
        got.strata.iter().all(|s| s.k == 0 && s.n > 0),
        "{:?}",
        got.strata
    );
    // SPEC §7.3: with team.workload_cap set, every pool records it, even the empty experts pool.
    let pools: Vec<(&str, u64, u32)> = got
        .pools
        .iter()
        .map(|p| (p.label.as_str(), p.size, p.cap))
        .collect();
    assert_eq!(pools, [("officers", 19, 3), ("experts", 0, 3)]);
}

#[test]
fn the_inspector_window_ignores_same_items_only() {
    // Every entity of 10 was inspected on an item outside the plan within both windows: with
    // same_items_only no entity is left out (§6.2), but those inspectors never serve it (§7.2).
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/10-publish-risk");
    let got = compute(&root);
    assert_eq!(got.excluded.recently_inspected, 0);
    let history = String::from_utf8(read(&root, "history.csv")).unwrap();
    for e in &got.entities {
        let row = history.lines().find(|l| l.starts_with(&e.id)).unwrap();
        for o in &e.officers {
            assert!(!row.contains(o.as_str()), "{o} inspected {} recently", e.id);
        }
    }
}
