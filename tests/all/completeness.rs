//! Team assignment is complete: it succeeds exactly when a valid assignment exists
//! (checked against exhaustive search on small random instances), and what it returns
//! honours every rule.

use double_random::Digest32;
use double_random::draw::teams::{CapKind, Exclusions, PoolSpec, Target, assign_pool};
use double_random::draw::{DrawError, example_inspector};
use double_random::internals::Stream;
use double_random::model::InspectorKind;
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
    run_pool(inst, seed, &pool, Some(inst.cap))
}

/// [`run`] with another pool (a joint department's, the experts') and cap.
fn run_pool(
    inst: &Instance,
    seed: u8,
    pool: &PoolSpec,
    cap: Option<u32>,
) -> Result<Vec<Vec<String>>, DrawError> {
    let inspectors: Vec<_> = (0..inst.p)
        .map(|i| {
            let mut x = example_inspector(i);
            x.region = format!("52010{}", inst.member_regions[i]);
            x.kind = pool.kind;
            if let Some(d) = pool.departments.first() {
                x.department = d.clone();
            }
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
        pool,
        &inspectors,
        &targets,
        &vec![vec![]; inst.m],
        &vec![inst.q; inst.m],
        cap,
        &ex,
        Stream::new(&Digest32([seed; 32]), "officers"),
    )
    .map(|r| r.teams)
}

/// How many members may inspect target `t`, by the model's own rules.
fn eligible_count(inst: &Instance, t: usize) -> u64 {
    (0..inst.p).filter(|&i| eligible(inst, t, i)).count() as u64
}

/// The first `n` targets of `inst` alone.
fn prefix(inst: &Instance, n: usize) -> Instance {
    Instance {
        m: n,
        excluded: inst
            .excluded
            .iter()
            .copied()
            .filter(|&(t, _)| t < n)
            .collect(),
        target_regions: inst.target_regions[..n].to_vec(),
        ..inst.clone()
    }
}

/// Checks a refusal against the model: it names the first entity (in id order) that cannot be
/// served together with those before it, the plan's number per entity, and the reason that
/// blocks: too few eligible members at all, or else the cap.
fn check_reason(
    inst: &Instance,
    e: &DrawError,
    pool_label: &str,
    cap: u32,
    kind: CapKind,
) -> Result<(), String> {
    let (pool, entity, needed) = match e {
        DrawError::NotEnoughEligible {
            pool,
            entity,
            needed,
            ..
        }
        | DrawError::WorkloadCapExhausted {
            pool,
            entity,
            needed,
            ..
        } => (pool, entity, *needed),
        other => return Err(format!("unexpected error {other:?}")),
    };
    if pool != pool_label {
        return Err(format!("pool {pool}, expected {pool_label}"));
    }
    let t: usize = entity[1..]
        .parse()
        .map_err(|_| format!("entity {entity}"))?;
    let served = |n| exists(&prefix(inst, n), 0, &mut vec![], &mut vec![0; inst.p]);
    if served(t + 1) || !served(t) {
        return Err(format!(
            "{entity} is not the first entity that cannot be served"
        ));
    }
    if needed != u64::from(inst.q) {
        return Err(format!("needed {needed}, the plan asks {}", inst.q));
    }
    let count = eligible_count(inst, t);
    match e {
        DrawError::NotEnoughEligible { blockers, .. } => {
            if blockers.eligible != count || count >= needed {
                return Err(format!(
                    "too few eligible, but {count} of {needed} are eligible ({blockers:?})"
                ));
            }
        }
        DrawError::WorkloadCapExhausted {
            cap: c,
            cap_kind,
            eligible,
            at_cap,
            on_team,
            ..
        } => {
            if *eligible != count || count < needed {
                return Err(format!("cap blamed, but {count} of {needed} are eligible"));
            }
            if *c != cap || *cap_kind != kind {
                return Err(format!("cap {c} ({cap_kind:?}), expected {cap} ({kind:?})"));
            }
            if *at_cap == 0 || at_cap + on_team != *eligible || *on_team >= needed {
                return Err(format!(
                    "{at_cap} at the cap and {on_team} on the team of {eligible} eligible"
                ));
            }
        }
        _ => unreachable!(),
    }
    Ok(())
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
                if let Err(why) = check_reason(&inst, &e, "officers", inst.cap, CapKind::Plan) {
                    prop_assert!(false, "{why}: {inst:?}: {e}");
                }
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

/// Every small instance, every set of conflicts: each refusal gives the true reason.
#[test]
fn every_refusal_on_small_instances_gives_the_true_reason() {
    let mut refused = [0usize; 2];
    for (m, p, q, cap) in [
        (2, 3, 2, 1),
        (2, 4, 3, 1),
        (2, 4, 3, 2),
        (3, 3, 2, 1),
        (3, 4, 3, 2),
    ] {
        let pairs: Vec<(usize, usize)> = (0..m).flat_map(|t| (0..p).map(move |i| (t, i))).collect();
        for mask in 0u32..(1 << pairs.len()) {
            let inst = Instance {
                m,
                p,
                q,
                cap,
                excluded: (0..pairs.len())
                    .filter(|b| mask >> b & 1 == 1)
                    .map(|b| pairs[b])
                    .collect(),
                target_regions: vec![0; m],
                member_regions: vec![1; p],
                same_region: false,
            };
            if let Err(e) = run(&inst, 0) {
                check_reason(&inst, &e, "officers", cap, CapKind::Plan)
                    .unwrap_or_else(|why| panic!("{why}: {inst:?}: {e}"));
                refused[usize::from(matches!(e, DrawError::WorkloadCapExhausted { .. }))] += 1;
            }
        }
    }
    // Both reasons occur.
    assert!(refused[0] > 100 && refused[1] > 100, "{refused:?}");
}

fn small(m: usize, p: usize, q: u32, cap: u32, excluded: &[(usize, usize)]) -> Instance {
    Instance {
        m,
        p,
        q,
        cap,
        excluded: excluded.to_vec(),
        target_regions: vec![0; m],
        member_regions: vec![1; p],
        same_region: false,
    }
}

/// 2 entities, 3 officers, 2 per entity, cap 1: the second entity has one eligible officer,
/// so no cap could help.
#[test]
fn too_few_eligible_is_not_blamed_on_the_cap() {
    let inst = small(2, 3, 2, 1, &[(1, 1), (1, 2)]);
    let e = run(&inst, 0).unwrap_err();
    assert!(
        matches!(&e, DrawError::NotEnoughEligible { entity, needed: 2, blockers, pool_size: 3, .. }
            if entity == "E1" && blockers.eligible == 1 && blockers.conflict_or_history == 2),
        "{e:?}"
    );
}

/// 3 per entity: the number given is the plan's 3, not the slots filled so far plus one.
#[test]
fn the_number_needed_is_the_plans() {
    let inst = small(2, 4, 3, 2, &[(0, 0), (0, 1)]);
    let e = run(&inst, 0).unwrap_err();
    assert!(
        matches!(&e, DrawError::NotEnoughEligible { entity, needed: 3, blockers, pool_size: 4, .. }
            if entity == "E0" && blockers.eligible == 2),
        "{e:?}"
    );
    assert!(e.to_string().contains("needs 3 inspectors"), "{e}");
}

/// Enough officers may inspect the entity, but the cap binds: the cap, its source and how many
/// are at it are named.
#[test]
fn a_binding_cap_is_named_with_the_members_at_it() {
    // E0 and E1 can only use X1 and X2 (cap 2): E2 gets X0 and then finds X1, X2 full.
    let inst = small(3, 3, 2, 2, &[(0, 0), (1, 0)]);
    let e = run(&inst, 0).unwrap_err();
    assert_eq!(
        e,
        DrawError::WorkloadCapExhausted {
            pool: "officers".into(),
            entity: "E2".into(),
            needed: 2,
            cap: 2,
            cap_kind: CapKind::Plan,
            eligible: 3,
            at_cap: 2,
            on_team: 1,
        }
    );
    check_reason(&inst, &e, "officers", 2, CapKind::Plan).unwrap();
}

/// A joint department's pool without a cap in the plan: the balanced share binds.
#[test]
fn a_joint_pool_names_the_balanced_share() {
    let pool = PoolSpec {
        label: "officers/税务局".into(),
        kind: InspectorKind::Officer,
        departments: vec!["税务局".into()],
        qualifications: vec![],
        per_entity: 2,
    };
    // 3 entities × 2 over 3 members: a balanced share of 2.
    let inst = small(3, 3, 2, 2, &[(0, 0), (1, 0)]);
    let e = run_pool(&inst, 0, &pool, None).unwrap_err();
    assert!(
        matches!(&e, DrawError::WorkloadCapExhausted { pool, entity, cap: 2, cap_kind: CapKind::Balanced, at_cap: 2, .. }
            if pool == "officers/税务局" && entity == "E2"),
        "{e:?}"
    );
    check_reason(&inst, &e, "officers/税务局", 2, CapKind::Balanced).unwrap();
    assert!(e.to_string().contains("balanced share"), "{e}");
    // One member of the department for 2 per entity: too few, whatever the cap.
    let inst = small(2, 1, 2, 2, &[]);
    let e = run_pool(&inst, 0, &pool, None).unwrap_err();
    assert!(
        matches!(&e, DrawError::NotEnoughEligible { entity, needed: 2, pool_size: 1, .. } if entity == "E0"),
        "{e:?}"
    );
}

/// The experts' pool: one expert, one per entity, cap 1.
#[test]
fn the_expert_pool_gives_the_true_reason() {
    let pool = PoolSpec {
        label: "experts".into(),
        kind: InspectorKind::Expert,
        departments: vec![],
        qualifications: vec![],
        per_entity: 1,
    };
    let inst = small(2, 1, 1, 1, &[]);
    let e = run_pool(&inst, 0, &pool, Some(1)).unwrap_err();
    assert_eq!(
        e,
        DrawError::WorkloadCapExhausted {
            pool: "experts".into(),
            entity: "E1".into(),
            needed: 1,
            cap: 1,
            cap_kind: CapKind::Plan,
            eligible: 1,
            at_cap: 1,
            on_team: 0,
        }
    );
    let inst = small(2, 2, 1, 1, &[(0, 0), (0, 1)]);
    let e = run_pool(&inst, 0, &pool, Some(1)).unwrap_err();
    check_reason(&inst, &e, "experts", 1, CapKind::Plan).unwrap();
    assert!(
        matches!(e, DrawError::NotEnoughEligible { needed: 1, .. }),
        "{e:?}"
    );
}
