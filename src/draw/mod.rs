//! The pure draw: rosters, plan and seed in; drawn entities and teams out (SPEC §6–7).
//!
//! No I/O happens here. The ceremony layer supplies the seed (derived from commitments,
//! secrets and the beacon) and records the result; this module only computes it.
//!
//! ```
//! use double_random::{Digest32, draw};
//! let inputs = draw::example_inputs();
//! let result = draw::run(&inputs.as_inputs(), &Digest32([9; 32])).unwrap();
//! assert_eq!(result.strata.len(), 2);
//! for a in &result.assignments {
//!     assert_eq!(a.officers.len(), 2);
//! }
//! // Replaying with the same seed gives the same result, bit for bit.
//! assert_eq!(result, draw::run(&inputs.as_inputs(), &Digest32([9; 32])).unwrap());
//! ```

pub mod entities;
pub mod teams;

use crate::digest::Digest32;
use crate::model::*;
use crate::rng::Stream;
use entities::{EntityDraw, Exclusion, Population, RepeatIndex, StratumDraw};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use teams::{Blockers, Exclusions, PoolAssignment, Target};

/// Why a draw cannot be made. Each variant names the entity, stratum or pool concerned.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DrawError {
    /// An admitted entity's risk class has no quota in the plan.
    #[error(
        "entity {entity} has risk class {risk:?}, but the plan has no stratum for it: add a quota for that class (or for unclassified entities) to the plan"
    )]
    NoStratum {
        /// Entity id.
        entity: String,
        /// Its class (`None`: unclassified).
        risk: Option<String>,
    },
    /// The same id twice in the population.
    #[error("entity id {id} appears more than once")]
    DuplicateEntity {
        /// The id.
        id: String,
    },
    /// A quota exceeds the ratio cap for general items.
    #[error(
        "stratum {stratum}: drawing {k} of {n} exceeds the cap of {cap_bp} basis points for general items"
    )]
    GeneralCapExceeded {
        /// Stratum label.
        stratum: String,
        /// Population.
        n: u64,
        /// Count asked.
        k: u64,
        /// Cap in basis points.
        cap_bp: u32,
    },
    /// The plan names an item that is not on the item list.
    #[error("item {item} is not on the item list")]
    UnknownItem {
        /// Item id.
        item: String,
    },
    /// No inspector is on duty, of the right kind and department, and qualified.
    #[error(
        "pool {pool}: no inspector is on duty, in departments {departments:?} and holds qualifications {qualifications:?}"
    )]
    EmptyPool {
        /// Pool label.
        pool: String,
        /// Departments required.
        departments: Vec<String>,
        /// Qualifications required.
        qualifications: Vec<String>,
    },
    /// Too few pool members may inspect this entity at all: no workload cap could help.
    #[error(
        "pool {pool}: entity {entity} needs {needed} inspectors from this pool but only {} of {pool_size} may inspect it ({} excluded by conflicts or recent inspections, {} by same region)",
        blockers.eligible, blockers.conflict_or_history, blockers.same_region
    )]
    NotEnoughEligible {
        /// Pool label.
        pool: String,
        /// Entity id.
        entity: String,
        /// Inspectors the plan asks of this pool for each entity.
        needed: u64,
        /// Pool size.
        pool_size: u64,
        /// Counts by constraint.
        blockers: Blockers,
    },
    /// Enough pool members may inspect the entity, but the workload cap leaves too few of
    /// them for it: the cap is what blocks.
    #[error(
        "pool {pool}: entity {entity} needs {needed} inspectors from this pool and {eligible} may inspect it, but {at_cap} of them already reach the workload cap of {cap} entities ({cap_kind}) with the entities assigned before it, and {on_team} are on its team (raise the cap or add inspectors)"
    )]
    WorkloadCapExhausted {
        /// Pool label.
        pool: String,
        /// Entity id.
        entity: String,
        /// Inspectors the plan asks of this pool for each entity.
        needed: u64,
        /// The cap.
        cap: u32,
        /// Where the cap comes from.
        cap_kind: teams::CapKind,
        /// Pool members that may inspect the entity (at least `needed`).
        eligible: u64,
        /// Of those, how many are at the cap and not on the entity's team.
        at_cap: u64,
        /// Of those, how many were already on the entity's team when it could not be completed.
        on_team: u64,
    },
    /// An amendment refers to something the sheet does not hold.
    #[error("amendment: {what} {id} is not in the sheet")]
    NotInSheet {
        /// What kind of thing ("entity", "inspector").
        what: &'static str,
        /// Its id.
        id: String,
    },
    /// A stratum has no member left to draw as a replacement.
    #[error("stratum {stratum} has no member left to draw as a replacement")]
    StratumExhausted {
        /// Stratum label.
        stratum: String,
    },
}

/// Borrowed inputs of a draw.
#[derive(Clone, Copy, Debug)]
pub struct DrawInputs<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// Entity roster.
    pub entities: &'a [Entity],
    /// Inspector roster.
    pub inspectors: &'a [Inspector],
    /// Item list.
    pub items: &'a [Item],
    /// Declared conflicts.
    pub conflicts: &'a [Conflict],
    /// Inspection history.
    pub history: &'a [HistoryRecord],
}

/// One drawn entity with its team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Assignment {
    /// Entity id.
    pub entity: String,
    /// Its stratum.
    #[serde(with = "entities::stratum_serde")]
    pub stratum: Stratum,
    /// Officers: officer pools in order, each in draw order; the first is the lead (主检).
    pub officers: Vec<String>,
    /// Experts, in draw order.
    pub experts: Vec<String>,
}

/// The outcome of a draw.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DrawResult {
    /// Per stratum: n, k, member digest, picks.
    pub strata: Vec<StratumDraw>,
    /// Entities left out, by reason.
    pub excluded: BTreeMap<Exclusion, u64>,
    /// Per pool: size, cap (teams are folded into `assignments`).
    pub pools: Vec<PoolSummary>,
    /// Drawn entities in ascending id order, with teams.
    pub assignments: Vec<Assignment>,
}

/// Size and cap of one pool, as recorded on the sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PoolSummary {
    /// Pool label.
    pub label: String,
    /// Members per entity.
    pub per_entity: u32,
    /// Pool size.
    pub size: u64,
    /// Workload cap applied.
    pub cap: u32,
}

/// Runs the whole draw: entities, then a team for each (SPEC §6–7).
pub fn run(inputs: &DrawInputs<'_>, seed: &Digest32) -> Result<DrawResult, DrawError> {
    let entity_draw = draw_entities(inputs, seed)?;
    assign_teams(inputs, entity_draw, seed)
}

/// The entity draw alone (SPEC §6).
pub fn draw_entities(inputs: &DrawInputs<'_>, seed: &Digest32) -> Result<EntityDraw, DrawError> {
    let plan = inputs.plan;
    let repeat = RepeatIndex::new(inputs.history, &plan.repeat, &plan.items, plan.draw_date);
    let mut pop = Population::new(plan, repeat).with_general_cap(general_cap(plan, inputs.items)?);
    for e in inputs.entities {
        pop.add(e)?;
    }
    pop.draw(seed)
}

/// The population of each stratum: member ids in canonical (ascending) order (SPEC §6.1–6.2).
///
/// Amendments and per-stratum replays need the member lists themselves, not only the picks.
pub fn population(inputs: &DrawInputs<'_>) -> Result<BTreeMap<Stratum, Vec<String>>, DrawError> {
    let plan = inputs.plan;
    let repeat = RepeatIndex::new(inputs.history, &plan.repeat, &plan.items, plan.draw_date);
    let mut pop = Population::new(plan, repeat);
    for e in inputs.entities {
        pop.add(e)?;
    }
    pop.into_members()
}

/// The general-item ratio cap, which applies only when every item of the plan is general.
pub fn general_cap(plan: &Plan, items: &[Item]) -> Result<Option<u32>, DrawError> {
    let mut all_general = true;
    for id in &plan.items {
        let item = items
            .iter()
            .find(|i| &i.id == id)
            .ok_or_else(|| DrawError::UnknownItem { item: id.clone() })?;
        all_general &= item.category == ItemCategory::General;
    }
    Ok(plan.general_ratio_cap_bp.filter(|_| all_general))
}

/// Team assignment for an entity draw (SPEC §7).
pub fn assign_teams(
    inputs: &DrawInputs<'_>,
    entity_draw: EntityDraw,
    seed: &Digest32,
) -> Result<DrawResult, DrawError> {
    let plan = inputs.plan;
    let drawn = entity_draw.drawn();
    let regions = drawn_regions(&drawn, inputs.entities);
    let targets: Vec<Target> = drawn
        .iter()
        .zip(regions)
        .map(|((id, _), region)| Target {
            id: id.to_string(),
            region: region.to_string(),
        })
        .collect();
    let exclusions = Exclusions::new(plan, inputs.conflicts, inputs.history);
    let pools = teams::pools(plan, inputs.items)?;
    let mut summaries = Vec::new();
    let mut assignments: Vec<Assignment> = drawn
        .iter()
        .map(|(id, s)| Assignment {
            entity: id.to_string(),
            stratum: *s,
            officers: vec![],
            experts: vec![],
        })
        .collect();
    for pool in &pools {
        let need = vec![pool.per_entity; targets.len()];
        let got: PoolAssignment = teams::assign_pool(
            pool,
            inputs.inspectors,
            &targets,
            &vec![vec![]; targets.len()],
            &need,
            plan.team.workload_cap,
            &exclusions,
            Stream::new(seed, &pool.label),
        )?;
        summaries.push(PoolSummary {
            label: got.label,
            per_entity: pool.per_entity,
            size: got.size,
            cap: got.cap,
        });
        for (a, team) in assignments.iter_mut().zip(got.teams) {
            match pool.kind {
                InspectorKind::Officer => a.officers.extend(team),
                InspectorKind::Expert => a.experts.extend(team),
            }
        }
    }
    Ok(DrawResult {
        strata: entity_draw.strata,
        excluded: entity_draw.excluded,
        pools: summaries,
        assignments,
    })
}

/// The region of each drawn entity (`drawn` in id order): that of the last roster row with
/// its id, empty when there is none.
///
/// A roster in id order (the pipeline passes the drawn rows, sorted) is walked alongside
/// `drawn`; any other is scanned once against an index of the drawn ids, which stays
/// small where an index of the whole roster would not.
fn drawn_regions<'a>(drawn: &[(&str, Stratum)], entities: &'a [Entity]) -> Vec<&'a str> {
    let mut regions = vec![""; drawn.len()];
    if entities.windows(2).all(|w| w[0].id <= w[1].id) {
        let mut k = 0;
        for (region, (id, _)) in regions.iter_mut().zip(drawn) {
            while k < entities.len() && entities[k].id.as_str() < *id {
                k += 1;
            }
            // The last of a run of rows with this id; `k` stays at the run's start, for a
            // repeated drawn id.
            let mut j = k;
            while j < entities.len() && entities[j].id == *id {
                *region = &entities[j].region;
                j += 1;
            }
        }
    } else {
        let index: std::collections::HashMap<&str, usize> = drawn
            .iter()
            .enumerate()
            .map(|(k, (id, _))| (*id, k))
            .collect();
        for e in entities {
            if let Some(&k) = index.get(e.id.as_str()) {
                regions[k] = &e.region;
            }
        }
        // A drawn id that repeats has one entry in the index, its last place: the places
        // before it take its region.
        for k in (1..drawn.len()).rev() {
            if drawn[k - 1].0 == drawn[k].0 {
                regions[k - 1] = regions[k];
            }
        }
    }
    regions
}

/// The inputs of a draw held by value: what a program that builds its tables itself (from a
/// database, say) keeps, and lends to the draw as [`DrawInputs`].
///
/// ```
/// let owned = double_random::draw::example_inputs();
/// assert_eq!(owned.as_inputs().entities.len(), 60);
/// ```
#[derive(Clone, Debug)]
pub struct OwnedInputs {
    /// The plan.
    pub plan: Plan,
    /// The entity roster.
    pub entities: Vec<Entity>,
    /// The inspector roster.
    pub inspectors: Vec<Inspector>,
    /// The inspection items.
    pub items: Vec<Item>,
    /// Declared conflicts of interest.
    pub conflicts: Vec<Conflict>,
    /// Earlier inspections, for the repeat rules.
    pub history: Vec<HistoryRecord>,
}

impl OwnedInputs {
    /// Borrows as [`DrawInputs`].
    pub fn as_inputs(&self) -> DrawInputs<'_> {
        DrawInputs {
            plan: &self.plan,
            entities: &self.entities,
            inspectors: &self.inspectors,
            items: &self.items,
            conflicts: &self.conflicts,
            history: &self.history,
        }
    }
}

/// A small valid plan (two risk classes, teams of two officers), to try the API with.
pub fn example_plan() -> Plan {
    let q = |bp| Quota {
        ratio_bp: Some(bp),
        count: None,
        min: Some(1),
        max: None,
        rounding: Rounding::Up,
    };
    Plan {
        plan_id: "P2026".into(),
        plan_name: "2026年度抽查计划".into(),
        task_id: "T01".into(),
        task_name: "企业公示信息抽查".into(),
        batch: "1".into(),
        authority: "示例县市场监督管理局".into(),
        directed: false,
        draw_date: "2026-06-01".parse().expect("valid date"),
        items: vec!["I1".into()],
        general_ratio_cap_bp: None,
        filters: Filters {
            statuses: vec![EntityStatus::Active],
            ..Default::default()
        },
        strata: Strata::Risk {
            classes: [(RiskClass::A, q(300)), (RiskClass::B, q(1000))]
                .into_iter()
                .collect(),
            unclassified: None,
        },
        repeat: RepeatRules::default(),
        team: TeamRules {
            officers: 2,
            experts: 0,
            exclude_same_region: false,
            workload_cap: None,
            recusal_cap: 2,
            departments: vec![],
            joint: vec![],
        },
        publish_risk: false,
    }
}

/// An active entity of the example data, with id `id` and risk class `risk`.
pub fn example_entity(id: &str, risk: RiskClass) -> Entity {
    Entity {
        id: id.into(),
        name: format!("示例企业{id}"),
        kind: Some(EntityKind::Enterprise),
        authority: String::new(),
        region: "520102".into(),
        industry: "C13".into(),
        status: EntityStatus::Active,
        abnormal: false,
        risk: Some(risk),
        tags: vec![],
    }
}

/// The one inspection item of [`example_plan`].
pub fn example_items() -> Vec<Item> {
    vec![Item {
        id: "I1".into(),
        name: "企业公示信息检查".into(),
        basis: "《企业信息公示暂行条例》".into(),
        subject: "市场监管部门".into(),
        content: "年度报告公示信息".into(),
        method: "书面检查".into(),
        category: ItemCategory::General,
        qualification: String::new(),
    }]
}

/// Officer number `i` of the example data (id `X000`, `X001`, …).
pub fn example_inspector(i: usize) -> Inspector {
    Inspector {
        id: format!("X{i:03}"),
        name: format!("检查员{i}"),
        department: "市场监管局".into(),
        region: "520102".into(),
        qualifications: vec![],
        specialties: vec![],
        kind: InspectorKind::Officer,
        status: InspectorStatus::OnDuty,
    }
}

/// The example plan's one inspector pool, with five example officers.
pub fn example_pool() -> (teams::PoolSpec, Vec<Inspector>) {
    let pool = teams::pools(&example_plan(), &example_items())
        .expect("example plan is valid")
        .remove(0);
    (pool, (0..5).map(example_inspector).collect())
}

/// Example inputs to try the API with: [`example_plan`], 60 entities in two risk classes and
/// six officers.
pub fn example_inputs() -> OwnedInputs {
    let entities = (0..60)
        .map(|i| {
            example_entity(
                &format!("E{i:03}"),
                if i % 3 == 0 {
                    RiskClass::B
                } else {
                    RiskClass::A
                },
            )
        })
        .collect();
    OwnedInputs {
        plan: example_plan(),
        entities,
        inspectors: (0..6).map(example_inspector).collect(),
        items: example_items(),
        conflicts: vec![],
        history: vec![],
    }
}
