//! Team assignment is complete: it succeeds exactly when a valid assignment exists
//! (checked against exhaustive search on small random instances), and what it returns
//! honours every rule.

use double_random::digest::Digest32;
use double_random::draw::teams::{Exclusions, PoolSpec, Target, assign_pool};
use double_random::draw::{DrawError, example_inspector};
use double_random::model::InspectorKind;
use double_random::rng::Stream;
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Instance {
    m: usize,
    p: usize,
    q: u32,
    cap: u32,
    excluded: Vec<(usize, usize)>,
    target_regions: Vec<u8>,
    member_regions: Vec<u8>,
    same_region: bool,
}

fn instance() -> impl Strategy<Value = Instance> {
    (1usize..=5, 2usize..=6, 1u32..=3, 1u32..=3, any::<bool>()).prop_flat_map(
        |(m, p, q, cap, same_region)| {
            (
                proptest::collection::vec((0..m, 0..p), 0..=(m * p)),
                proptest::collection::vec(0u8..3, m),
                proptest::collection::vec(0u8..3, p),
            )
                .prop_map(move |(excluded, tr, mr)| Instance {
                    m,
                    p,
                    q,
                    cap,
                    excluded,
                    target_regions: tr,
                    member_regions: mr,
                    same_region,
                })
        },
    )
}

fn eligible(inst: &Instance, t: usize, i: usize) -> bool {
    let same_region = inst.same_region && inst.target_regions[t] == inst.member_regions[i];
    !same_region && !inst.excluded.contains(&(t, i))
}

/// Exhaustive search: can every target get q distinct eligible members within the cap?
fn exists(inst: &Instance, t: usize, chosen: &mut Vec<usize>, load: &mut Vec<u32>) -> bool {
    if t == inst.m {
        return true;
    }
    if chosen.len() == inst.q as usize {
        let saved = std::mem::take(chosen);
        let ok = exists(inst, t + 1, chosen, load);
        *chosen = saved;
        return ok;
    }
    let start = chosen.last().map_or(0, |&l| l + 1);
    for i in start..inst.p {
        if eligible(inst, t, i) && load[i] < inst.cap {
            chosen.push(i);
            load[i] += 1;
            let ok = exists(inst, t, chosen, load);
            load[i] -= 1;
            chosen.pop();
            if ok {
                return true;
            }
        }
    }
    false
}

fn run(inst: &Instance, seed: u8) -> Result<Vec<Vec<String>>, DrawError> {
    let pool = PoolSpec {
        label: "officers".into(),
        kind: InspectorKind::Officer,
        departments: vec![],
        qualifications: vec![],
        per_entity: inst.q,
    };
    let inspectors: Vec<_> = (0..inst.p)
        .map(|i| {
            let mut x = example_inspector(i);
            x.region = format!("52010{}", inst.member_regions[i]);
            x
        })
        .collect();
    let targets: Vec<Target> = (0..inst.m)
        .map(|t| Target {
            id: format!("E{t}"),
            region: format!("52010{}", inst.target_regions[t]),
        })
        .collect();
    let mut plan = double_random::draw::example_plan();
    plan.team.exclude_same_region = inst.same_region;
    let mut ex = Exclusions::new(&plan, &[], &[]);
    for &(t, i) in &inst.excluded {
        ex.add(&inspectors[i].id, &targets[t].id);
    }
    assign_pool(
        &pool,
        &inspectors,
        &targets,
        &vec![vec![]; inst.m],
        &vec![inst.q; inst.m],
        Some(inst.cap),
        &ex,
        Stream::new(&Digest32([seed; 32]), "officers"),
    )
    .map(|r| r.teams)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    #[test]
    fn succeeds_exactly_when_a_valid_assignment_exists(inst in instance(), seed in any::<u8>()) {
        let possible = exists(&inst, 0, &mut vec![], &mut vec![0; inst.p]);
        match run(&inst, seed) {
            Ok(teams) => {
                prop_assert!(possible, "assigned an impossible instance: {inst:?}");
                let mut load = vec![0u32; inst.p];
                for (t, team) in teams.iter().enumerate() {
                    prop_assert_eq!(team.len(), inst.q as usize);
                    let mut idx: Vec<usize> = team.iter().map(|id| id[1..].parse().unwrap()).collect();
                    for &i in &idx {
                        prop_assert!(eligible(&inst, t, i), "ineligible member");
                        load[i] += 1;
                    }
                    idx.sort();
                    idx.dedup();
                    prop_assert_eq!(idx.len(), inst.q as usize, "member twice in a team");
                }
                prop_assert!(load.iter().all(|&l| l <= inst.cap), "cap exceeded");
            }
            Err(e) => {
                prop_assert!(!possible, "failed on a possible instance: {inst:?}: {e}");
                let named = matches!(e, DrawError::NotEnoughEligible { .. } | DrawError::WorkloadCapExhausted { .. });
                prop_assert!(named, "unexpected error {e:?}");
            }
        }
    }
}

/// Every valid assignment of a small instance can come out, so the draw is not stuck on a
/// fixed solution.
#[test]
fn reaches_many_assignments() {
    let inst = Instance {
        m: 3,
        p: 4,
        q: 2,
        cap: 2,
        excluded: vec![],
        target_regions: vec![0; 3],
        member_regions: vec![1; 4],
        same_region: false,
    };
    let mut seen = std::collections::HashSet::new();
    for seed in 0..=255u8 {
        seen.insert(run(&inst, seed).unwrap());
    }
    assert!(seen.len() > 50, "only {} distinct assignments", seen.len());
}

/// A tight instance with exactly one valid assignment is always found.
#[test]
fn finds_the_only_assignment() {
    // 3 entities × 2 officers, 3 officers with cap 2: each entity must exclude exactly one.
    let inst = Instance {
        m: 3,
        p: 3,
        q: 2,
        cap: 2,
        excluded: vec![(0, 0), (1, 1), (2, 2)],
        target_regions: vec![0; 3],
        member_regions: vec![1; 3],
        same_region: false,
    };
    for seed in 0..=40u8 {
        let teams = run(&inst, seed).unwrap();
        let sorted: Vec<Vec<String>> = teams
            .into_iter()
            .map(|mut t| {
                t.sort();
                t
            })
            .collect();
        assert_eq!(
            sorted,
            vec![
                vec!["X001".to_string(), "X002".to_string()],
                vec!["X000".to_string(), "X002".to_string()],
                vec!["X000".to_string(), "X001".to_string()],
            ]
        );
    }
}
