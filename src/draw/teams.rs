//! Team assignment (随机选派执法检查人员): random, and complete (SPEC §7).
//!
//! Each pool (the officers, or one department's officers in a joint inspection, or the
//! experts) is assigned on its own stream. Slots are filled entity by entity in id order;
//! each slot draws uniformly among the candidates that are eligible and under the
//! workload cap, and accepts a candidate only if the rest of the assignment can still be
//! completed. That test is a yes/no question about bipartite matchings with capacities,
//! so its answer does not depend on how it is computed; here it is answered by keeping one
//! complete assignment at hand and repairing it along augmenting paths. The result: the
//! draw succeeds whenever a valid assignment exists, never dead-ends halfway, and when no
//! valid assignment exists it names the entity and the constraint that blocks it.

use super::DrawError;
use crate::model::{
    Conflict, HistoryRecord, Inspector, InspectorKind, InspectorStatus, Item, Plan,
};
use crate::rng::Stream;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet, VecDeque};

/// One pool of inspectors and what each entity needs from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolSpec {
    /// Stream label and name: `officers`, `officers/<department>` or `experts`.
    pub label: String,
    /// Officers or experts.
    pub kind: InspectorKind,
    /// Departments admitted (empty: any).
    pub departments: Vec<String>,
    /// Qualifications every member must hold, sorted.
    pub qualifications: Vec<String>,
    /// Members each entity gets from this pool.
    pub per_entity: u32,
}

impl PoolSpec {
    /// Whether `i` belongs to this pool: on duty, right kind and department, qualified.
    pub fn admits(&self, i: &Inspector) -> bool {
        i.status == InspectorStatus::OnDuty
            && i.kind == self.kind
            && (self.departments.is_empty() || self.departments.contains(&i.department))
            && i.is_qualified(&self.qualifications)
    }
}

/// The pools a plan asks for, in order: officer pools (plan order), then experts.
///
/// ```
/// # let plan = double_random::draw::example_plan();
/// # let items = double_random::draw::example_items();
/// let pools = double_random::draw::teams::pools(&plan, &items).unwrap();
/// assert_eq!(pools[0].label, "officers");
/// assert_eq!(pools[0].per_entity, 2);
/// ```
pub fn pools(plan: &Plan, items: &[Item]) -> Result<Vec<PoolSpec>, DrawError> {
    let quals = |ids: &[String]| -> Result<Vec<String>, DrawError> {
        let mut q = Vec::new();
        for id in ids {
            let item = items
                .iter()
                .find(|i| &i.id == id)
                .ok_or_else(|| DrawError::UnknownItem { item: id.clone() })?;
            if !item.qualification.is_empty() {
                q.push(item.qualification.clone());
            }
        }
        q.sort();
        q.dedup();
        Ok(q)
    };
    let mut out = Vec::new();
    if plan.team.joint.is_empty() {
        out.push(PoolSpec {
            label: "officers".into(),
            kind: InspectorKind::Officer,
            departments: plan.team.departments.clone(),
            qualifications: quals(&plan.items)?,
            per_entity: plan.team.officers,
        });
    } else {
        for d in &plan.team.joint {
            out.push(PoolSpec {
                label: format!("officers/{}", d.department),
                kind: InspectorKind::Officer,
                departments: vec![d.department.clone()],
                qualifications: quals(&d.items)?,
                per_entity: d.officers,
            });
        }
    }
    if plan.team.experts > 0 {
        out.push(PoolSpec {
            label: "experts".into(),
            kind: InspectorKind::Expert,
            departments: vec![],
            qualifications: quals(&plan.items)?,
            per_entity: plan.team.experts,
        });
    }
    Ok(out)
}

/// Who may not inspect whom: conflicts, same region, recent inspections (SPEC §7.2).
///
/// ```
/// use double_random::draw::teams::Exclusions;
/// let ex = Exclusions::default();
/// assert!(!ex.excludes("X1", "E1"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Exclusions {
    pairs: HashSet<(String, String)>,
    same_region: bool,
}

impl Exclusions {
    /// Builds the exclusions of `plan` from conflicts and history.
    pub fn new(plan: &Plan, conflicts: &[Conflict], history: &[HistoryRecord]) -> Self {
        let mut pairs: HashSet<(String, String)> = conflicts
            .iter()
            .map(|c| (c.inspector.clone(), c.entity.clone()))
            .collect();
        if let Some(w) = plan.repeat.inspector_window_days {
            for h in history {
                let days = plan.draw_date.days_since(&h.date);
                if (0..i64::from(w)).contains(&days) {
                    for i in &h.inspectors {
                        pairs.insert((i.clone(), h.entity.clone()));
                    }
                }
            }
        }
        Exclusions {
            pairs,
            same_region: plan.team.exclude_same_region,
        }
    }

    /// Adds one pair (a recusal after the draw).
    pub fn add(&mut self, inspector: &str, entity: &str) {
        self.pairs
            .insert((inspector.to_string(), entity.to_string()));
    }

    /// Whether the pair (inspector, entity) is excluded by a conflict or history.
    pub fn excludes(&self, inspector: &str, entity: &str) -> bool {
        self.pairs
            .contains(&(inspector.to_string(), entity.to_string()))
    }
}

/// The entity side of an assignment: id and region code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Entity id.
    pub id: String,
    /// Region code (empty if unknown).
    pub region: String,
}

/// The result of one pool's assignment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolAssignment {
    /// Pool label.
    pub label: String,
    /// Pool size (members on duty and qualified).
    pub size: u64,
    /// Workload cap applied.
    pub cap: u32,
    /// Per target (same order as given): inspector ids in draw order.
    pub teams: Vec<Vec<String>>,
}

/// Why an entity is blocked, counted over the pool.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Blockers {
    /// Pool members with a declared conflict (or recusal) with the entity.
    pub conflict_or_history: u64,
    /// Pool members from the entity's own region.
    pub same_region: u64,
    /// Pool members left.
    pub eligible: u64,
}

/// Assigns one pool.
///
/// `targets` are the entities in the order their slots are filled (ascending id for a
/// draw); `preset[t]` holds members already fixed for target `t` (amendments); `need[t]`
/// is the total each target must have. `cap` is the workload cap; `None` takes the
/// balanced share `ceil(Σ need / pool size)`.
///
/// ```
/// use double_random::{digest::Digest32, rng::Stream, draw::teams::*};
/// # let (pool, inspectors) = double_random::draw::example_pool();
/// let targets: Vec<Target> = (0..3).map(|i| Target { id: format!("E{i}"), region: "520102".into() }).collect();
/// let got = assign_pool(&pool, &inspectors, &targets, &[vec![], vec![], vec![]], &[2, 2, 2],
///     None, &Exclusions::default(), Stream::new(&Digest32([0; 32]), "officers")).unwrap();
/// assert!(got.teams.iter().all(|t| t.len() == 2 && t[0] != t[1]));
/// ```
#[allow(clippy::too_many_arguments)]
pub fn assign_pool(
    pool: &PoolSpec,
    inspectors: &[Inspector],
    targets: &[Target],
    preset: &[Vec<String>],
    need: &[u32],
    cap: Option<u32>,
    exclusions: &Exclusions,
    mut stream: Stream,
) -> Result<PoolAssignment, DrawError> {
    let mut members: Vec<&Inspector> = inspectors.iter().filter(|i| pool.admits(i)).collect();
    members.sort_by(|a, b| a.id.cmp(&b.id));
    let total: u64 = need.iter().map(|&n| u64::from(n)).sum();
    if members.is_empty() {
        if total == 0 {
            return Ok(PoolAssignment {
                label: pool.label.clone(),
                size: 0,
                cap: cap.unwrap_or(0),
                teams: vec![vec![]; targets.len()],
            });
        }
        return Err(DrawError::EmptyPool {
            pool: pool.label.clone(),
            departments: pool.departments.clone(),
            qualifications: pool.qualifications.clone(),
        });
    }
    let cap = cap
        .unwrap_or_else(|| u32::try_from(total.div_ceil(members.len() as u64)).unwrap_or(u32::MAX));
    let mut a = Assigner::new(pool, &members, targets, need, cap, exclusions);
    for (t, fixed) in preset.iter().enumerate() {
        for id in fixed {
            if let Some(i) = members.iter().position(|m| &m.id == id) {
                a.preset(t, i as u32);
            }
        }
    }
    // Phase 1: a complete assignment must exist.
    for (t, &n) in need.iter().enumerate().take(targets.len()) {
        while a.committed[t].len() + a.planned[t].len() < n as usize {
            if !a.augment_target(t) {
                return Err(a.diagnose(t));
            }
        }
    }
    // Phase 2: fill the slots at random, keeping completability.
    for (t, &n) in need.iter().enumerate().take(targets.len()) {
        while a.committed[t].len() < n as usize {
            let mut cands: Vec<u32> = (0..members.len() as u32)
                .filter(|&i| {
                    a.eligible(t, i)
                        && !a.committed[t].contains(&i)
                        && a.committed_load[i as usize] < cap
                })
                .collect();
            loop {
                if cands.is_empty() {
                    return Err(a.diagnose(t));
                }
                let j = stream.below(cands.len() as u64) as usize;
                if a.try_commit(t, cands[j]) {
                    break;
                }
                cands.remove(j);
            }
        }
    }
    Ok(PoolAssignment {
        label: pool.label.clone(),
        size: members.len() as u64,
        cap,
        teams: a
            .committed
            .iter()
            .map(|team| {
                team.iter()
                    .map(|&i| members[i as usize].id.clone())
                    .collect()
            })
            .collect(),
    })
}

const NO_REGION: u32 = u32::MAX;

/// Parent links of a search: member → (previous member, target moved between them).
type Parents = HashMap<u32, (u32, u32)>;

struct Assigner<'a> {
    pool: &'a PoolSpec,
    members: &'a [&'a Inspector],
    targets: &'a [Target],
    cap: u32,
    excluded: HashSet<(u32, u32)>,
    target_region: Vec<u32>,
    member_region: Vec<u32>,
    same_region: bool,
    committed: Vec<Vec<u32>>,
    planned: Vec<Vec<u32>>,
    planned_by: Vec<Vec<u32>>,
    load: Vec<u32>,
    committed_load: Vec<u32>,
}

impl<'a> Assigner<'a> {
    fn new(
        pool: &'a PoolSpec,
        members: &'a [&'a Inspector],
        targets: &'a [Target],
        need: &[u32],
        cap: u32,
        ex: &Exclusions,
    ) -> Self {
        let mut regions: HashMap<&str, u32> = HashMap::new();
        let mut region_id = |r: &'a str| -> u32 {
            if r.is_empty() {
                return NO_REGION;
            }
            let next = regions.len() as u32;
            *regions.entry(r).or_insert(next)
        };
        let target_region: Vec<u32> = targets.iter().map(|t| region_id(&t.region)).collect();
        let member_region: Vec<u32> = members.iter().map(|m| region_id(&m.region)).collect();
        let target_index: HashMap<&str, u32> = targets
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i as u32))
            .collect();
        let member_index: HashMap<&str, u32> = members
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.as_str(), i as u32))
            .collect();
        let excluded = ex
            .pairs
            .iter()
            .filter_map(|(i, e)| {
                Some((
                    *target_index.get(e.as_str())?,
                    *member_index.get(i.as_str())?,
                ))
            })
            .collect();
        let _ = need;
        Assigner {
            pool,
            members,
            targets,
            cap,
            excluded,
            target_region,
            member_region,
            same_region: ex.same_region,
            committed: vec![vec![]; targets.len()],
            planned: vec![vec![]; targets.len()],
            planned_by: vec![vec![]; members.len()],
            load: vec![0; members.len()],
            committed_load: vec![0; members.len()],
        }
    }

    fn preset(&mut self, t: usize, i: u32) {
        if !self.committed[t].contains(&i) {
            self.committed[t].push(i);
            self.load[i as usize] += 1;
            self.committed_load[i as usize] += 1;
        }
    }

    fn eligible(&self, t: usize, i: u32) -> bool {
        let same_region = self.same_region
            && self.target_region[t] != NO_REGION
            && self.target_region[t] == self.member_region[i as usize];
        !same_region && !self.excluded.contains(&(t as u32, i))
    }

    fn on_team(&self, t: usize, i: u32) -> bool {
        self.committed[t].contains(&i) || self.planned[t].contains(&i)
    }

    fn plan_add(&mut self, t: usize, i: u32) {
        self.planned[t].push(i);
        self.planned_by[i as usize].push(t as u32);
        self.load[i as usize] += 1;
    }

    fn plan_remove(&mut self, t: usize, i: u32) {
        if let Some(p) = self.planned[t].iter().position(|&x| x == i) {
            self.planned[t].remove(p);
        }
        let by = &mut self.planned_by[i as usize];
        if let Some(p) = by.iter().position(|&x| x as usize == t) {
            by.swap_remove(p);
        }
        self.load[i as usize] -= 1;
    }

    /// Breadth-first search for an augmenting path from `roots` to a member below the cap.
    ///
    /// Returns the end member and the parent links (`member → (previous member, target)`).
    fn search(&self, roots: &[u32]) -> Option<(u32, Parents)> {
        let p = self.members.len();
        let mut seen = vec![false; p];
        let mut parent = Parents::new();
        let mut queue: VecDeque<u32> = VecDeque::new();
        for &r in roots {
            if !seen[r as usize] {
                seen[r as usize] = true;
                if self.load[r as usize] < self.cap {
                    return Some((r, parent));
                }
                queue.push_back(r);
            }
        }
        while let Some(u) = queue.pop_front() {
            for &f in &self.planned_by[u as usize] {
                for w in 0..p as u32 {
                    if seen[w as usize]
                        || !self.eligible(f as usize, w)
                        || self.on_team(f as usize, w)
                    {
                        continue;
                    }
                    seen[w as usize] = true;
                    parent.insert(w, (u, f));
                    if self.load[w as usize] < self.cap {
                        return Some((w, parent));
                    }
                    queue.push_back(w);
                }
            }
        }
        None
    }

    /// Shifts planned targets along the path ending at `end`; returns the path's root.
    fn apply(&mut self, end: u32, parent: &Parents) -> u32 {
        let mut w = end;
        while let Some(&(u, f)) = parent.get(&w) {
            self.plan_remove(f as usize, u);
            self.plan_add(f as usize, w);
            w = u;
        }
        w
    }

    /// Gives target `t` one more planned member, rerouting others if needed.
    fn augment_target(&mut self, t: usize) -> bool {
        let roots: Vec<u32> = (0..self.members.len() as u32)
            .filter(|&i| self.eligible(t, i) && !self.on_team(t, i))
            .collect();
        match self.search(&roots) {
            Some((end, parent)) => {
                let root = self.apply(end, &parent);
                self.plan_add(t, root);
                true
            }
            None => false,
        }
    }

    /// Commits member `c` to target `t` if the assignment stays completable.
    fn try_commit(&mut self, t: usize, c: u32) -> bool {
        if self.planned[t].contains(&c) {
            self.plan_remove(t, c);
            self.load[c as usize] += 1;
            self.committed[t].push(c);
            self.committed_load[c as usize] += 1;
            return true;
        }
        let Some(&x) = self.planned[t].last() else {
            return false;
        };
        self.plan_remove(t, x);
        self.committed[t].push(c);
        self.load[c as usize] += 1;
        self.committed_load[c as usize] += 1;
        if self.load[c as usize] <= self.cap {
            return true;
        }
        if let Some((end, parent)) = self.search(&[c]) {
            self.apply(end, &parent);
            return true;
        }
        self.committed[t].pop();
        self.load[c as usize] -= 1;
        self.committed_load[c as usize] -= 1;
        self.plan_add(t, x);
        false
    }

    /// Explains why target `t` cannot be completed.
    fn diagnose(&self, t: usize) -> DrawError {
        let mut b = Blockers::default();
        for i in 0..self.members.len() as u32 {
            if self.excluded.contains(&(t as u32, i)) {
                b.conflict_or_history += 1;
            } else if !self.eligible(t, i) {
                b.same_region += 1;
            } else {
                b.eligible += 1;
            }
        }
        let need = self.committed[t].len() + self.planned[t].len() + 1;
        if (b.eligible as usize) < need {
            return DrawError::NotEnoughEligible {
                pool: self.pool.label.clone(),
                entity: self.targets[t].id.clone(),
                needed: need as u64,
                pool_size: self.members.len() as u64,
                blockers: b,
            };
        }
        DrawError::WorkloadCapExhausted {
            pool: self.pool.label.clone(),
            entity: self.targets[t].id.clone(),
            cap: self.cap,
            eligible: b.eligible,
        }
    }
}
