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
use std::collections::{HashMap, VecDeque};

/// One pool of inspectors and what each entity needs from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolSpec {
    /// Stream label and name: `officers`, `officers/<department>` or `experts`.
    pub label: String,
    /// Officers or experts.
    pub kind: InspectorKind,
    /// Departments admitted (empty: any).
    pub departments: Vec<String>,
    /// Qualifications of the items served, sorted: officers must hold all of them,
    /// experts at least one (when there are any).
    pub qualifications: Vec<String>,
    /// Members each entity gets from this pool.
    pub per_entity: u32,
}

impl PoolSpec {
    /// Whether `i` belongs to this pool: on duty, right kind and department, qualified
    /// (officers: every qualification; experts: at least one).
    pub fn admits(&self, i: &Inspector) -> bool {
        i.status == InspectorStatus::OnDuty
            && i.kind == self.kind
            && (self.departments.is_empty() || self.departments.contains(&i.department))
            && match self.kind {
                InspectorKind::Officer => i.is_qualified(&self.qualifications),
                InspectorKind::Expert => {
                    self.qualifications.is_empty()
                        || self
                            .qualifications
                            .iter()
                            .any(|q| i.is_qualified(std::slice::from_ref(q)))
                }
            }
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
/// The pairs are kept sorted by entity, then inspector, so that a pool's assignment can
/// walk them alongside its targets (which come in id order) instead of hashing every pair.
///
/// ```
/// use double_random::draw::teams::Exclusions;
/// let ex = Exclusions::default();
/// assert!(!ex.excludes("X1", "E1"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Exclusions {
    /// (entity, inspector), sorted and without repeats.
    pairs: Vec<(String, String)>,
    same_region: bool,
}

impl Exclusions {
    /// Builds the exclusions of `plan` from conflicts and history.
    pub fn new(plan: &Plan, conflicts: &[Conflict], history: &[HistoryRecord]) -> Self {
        let mut pairs: Vec<(String, String)> = conflicts
            .iter()
            .map(|c| (c.entity.clone(), c.inspector.clone()))
            .collect();
        for h in history.iter().filter(|h| Self::counts(plan, h)) {
            for i in &h.inspectors {
                pairs.push((h.entity.clone(), i.clone()));
            }
        }
        // Rosters usually come sorted by entity: the stable sort finds such runs in one pass.
        pairs.sort();
        pairs.dedup();
        Exclusions {
            pairs,
            same_region: plan.team.exclude_same_region,
        }
    }

    /// Whether a history row bars its inspectors from its entity under `plan`'s inspector
    /// window: the only history rows team assignment looks at.
    ///
    /// ```
    /// # use double_random::draw::teams::Exclusions;
    /// # use double_random::model::*;
    /// let plan = double_random::draw::example_plan();
    /// let h = HistoryRecord { entity: "E1".into(), date: "2026-05-20".parse().unwrap(),
    ///     item: "I1".into(), inspectors: vec!["P1".into()], kind: HistoryKind::Random };
    /// assert_eq!(Exclusions::counts(&plan, &h), plan.repeat.inspector_window_days.is_some());
    /// ```
    pub fn counts(plan: &Plan, h: &HistoryRecord) -> bool {
        plan.repeat
            .inspector_window_days
            .is_some_and(|w| (0..i64::from(w)).contains(&plan.draw_date.days_since(&h.date)))
            && !h.inspectors.is_empty()
    }

    /// Adds one pair (a recusal after the draw).
    pub fn add(&mut self, inspector: &str, entity: &str) {
        if let Err(at) = self.find(inspector, entity) {
            self.pairs
                .insert(at, (entity.to_string(), inspector.to_string()));
        }
    }

    /// Whether `inspector` may serve `target` (SPEC §7.2): no excluded pair, and not the same
    /// region when the plan excludes it.
    pub fn allows(&self, inspector: &Inspector, target: &Target) -> bool {
        let same = self.same_region
            && !inspector.region.is_empty()
            && !target.region.is_empty()
            && inspector.region == target.region;
        !same && !self.excludes(&inspector.id, &target.id)
    }

    /// Whether the pair (inspector, entity) is excluded by a conflict or history.
    pub fn excludes(&self, inspector: &str, entity: &str) -> bool {
        self.find(inspector, entity).is_ok()
    }

    fn find(&self, inspector: &str, entity: &str) -> Result<usize, usize> {
        self.pairs
            .binary_search_by(|(e, i)| (e.as_str(), i.as_str()).cmp(&(entity, inspector)))
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

/// Where a pool's workload cap comes from.
///
/// ```
/// use double_random::draw::teams::CapKind;
/// assert_eq!(CapKind::Plan.to_string(), "team.workload_cap in the plan");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub enum CapKind {
    /// `team.workload_cap`, written in the plan.
    #[error("team.workload_cap in the plan")]
    Plan,
    /// No cap in the plan: the balanced share, the pool's total need over its size, rounded up.
    #[error("the balanced share, as the plan sets no team.workload_cap")]
    Balanced,
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
/// use double_random::{Digest32, internals::Stream, draw::teams::*};
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
    let cap_kind = if cap.is_some() {
        CapKind::Plan
    } else {
        CapKind::Balanced
    };
    let cap = cap
        .unwrap_or_else(|| u32::try_from(total.div_ceil(members.len() as u64)).unwrap_or(u32::MAX));
    let ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
    let mut a = Assigner::new(pool, &members, &ids, targets, preset, need, cap, exclusions);
    for (t, fixed) in preset.iter().enumerate() {
        for id in fixed {
            if let Ok(i) = ids.binary_search(&id.as_str()) {
                a.preset(t, i as u32);
            }
        }
    }
    // Phase 1: a complete assignment must exist.
    for (t, &n) in need.iter().enumerate().take(targets.len()) {
        while a.committed(t).len() + a.planned(t).len() < n as usize {
            if !a.augment_target(t) {
                return Err(a.diagnose(t, n, cap_kind));
            }
        }
    }
    // Phase 2: fill the slots at random, keeping completability (SPEC §7.4).
    let mut cands = Counted::new(a.words);
    for (t, &n) in need.iter().enumerate().take(targets.len()) {
        while a.committed(t).len() < n as usize {
            a.candidates(t, &mut cands.bits);
            cands.count();
            loop {
                if cands.total == 0 {
                    return Err(a.diagnose(t, n, cap_kind));
                }
                let j = stream.below(cands.total);
                let c = cands.select(j);
                if a.try_commit(t, c) {
                    break;
                }
                cands.remove(c);
            }
        }
    }
    Ok(PoolAssignment {
        label: pool.label.clone(),
        size: members.len() as u64,
        cap,
        teams: (0..targets.len())
            .map(|t| {
                a.committed(t)
                    .iter()
                    .map(|&i| ids[i as usize].to_string())
                    .collect()
            })
            .collect(),
    })
}

fn set(bits: &mut [u64], i: u32) {
    bits[(i / 64) as usize] |= 1 << (i % 64);
}

fn clear(bits: &mut [u64], i: u32) {
    bits[(i / 64) as usize] &= !(1 << (i % 64));
}

fn test(bits: &[u64], i: u32) -> bool {
    bits[(i / 64) as usize] >> (i % 64) & 1 == 1
}

/// A bit set with the count of each word kept, so that picking the `j`-th member walks
/// bytes instead of counting the bits of every word again after each rejection.
struct Counted {
    bits: Vec<u64>,
    /// Set bits per word.
    counts: Vec<u8>,
    total: u64,
}

impl Counted {
    fn new(words: usize) -> Self {
        Counted {
            bits: vec![0; words],
            counts: vec![0; words],
            total: 0,
        }
    }

    /// Counts `bits` afresh.
    fn count(&mut self) {
        for (n, w) in self.counts.iter_mut().zip(&self.bits) {
            *n = w.count_ones() as u8;
        }
        self.total = self.counts.iter().map(|&n| u64::from(n)).sum();
    }

    /// The index of the `j`-th set bit (0-based, ascending); `j` must be below the total.
    fn select(&self, mut j: u64) -> u32 {
        for (w, &n) in self.counts.iter().enumerate() {
            let ones = u64::from(n);
            if j < ones {
                let mut x = self.bits[w];
                for _ in 0..j {
                    x &= x - 1;
                }
                return w as u32 * 64 + x.trailing_zeros();
            }
            j -= ones;
        }
        0
    }

    /// Removes member `i`, which must be in the set.
    fn remove(&mut self, i: u32) {
        clear(&mut self.bits, i);
        self.counts[i as usize / 64] -= 1;
        self.total -= 1;
    }
}

/// The first place of `x` in `v`, comparing eight at a time (members can hold hundreds of
/// targets).
fn position(v: &[u32], x: u32) -> Option<usize> {
    let chunks = v.chunks_exact(8);
    let rest = chunks.remainder();
    for (n, c) in chunks.enumerate() {
        if c.iter().fold(false, |any, &y| any | (y == x)) {
            return c.iter().position(|&y| y == x).map(|p| n * 8 + p);
        }
    }
    rest.iter()
        .position(|&y| y == x)
        .map(|p| v.len() - rest.len() + p)
}

/// The first index of `v` where `before` turns false (as `partition_point`), found by
/// probing 1, 2, 4, … places ahead first: cheap when the answer is near the start.
fn gallop<T>(v: &[T], before: impl Fn(&T) -> bool) -> usize {
    let mut lo = 0;
    let mut step = 1;
    while lo + step <= v.len() && before(&v[lo + step - 1]) {
        lo += step;
        step *= 2;
    }
    let hi = (lo + step).min(v.len());
    lo + v[lo..hi].partition_point(before)
}

/// Set bits of `bits`, ascending.
fn ones(bits: &[u64]) -> impl Iterator<Item = u32> + '_ {
    bits.iter().enumerate().flat_map(|(w, &word)| {
        let mut x = word;
        std::iter::from_fn(move || {
            (x != 0).then(|| {
                let b = x.trailing_zeros();
                x &= x - 1;
                w as u32 * 64 + b
            })
        })
    })
}

/// No region: the target's region is empty, unknown to the pool, or not excluded.
const NO_REGION: u32 = u32::MAX;

/// Where one target's lists are, and which region it excludes.
#[derive(Clone, Copy, Debug)]
struct TargetState {
    /// Start of its block in `Assigner::team`: `room` places for committed members, `room`
    /// for planned ones, then its `excluded` members (sorted). One block, so that a search
    /// visiting the target mostly reads one cache line besides this record.
    at: usize,
    /// Places for each list: its need plus its preset members, more than either can hold.
    room: u32,
    committed: u32,
    planned: u32,
    /// Index into `Assigner::region_bits`, or [`NO_REGION`].
    region: u32,
    /// Members excluded by conflicts, history or recusals.
    excluded: u32,
}

/// Assignment state of one pool: members are bits (index = position in id order).
///
/// `committed` holds the fixed picks; `planned` a completion of the remaining slots that
/// respects every rule (kept whenever the state is completable). Candidates, slack and
/// eligibility are bit sets, so each step costs a few word operations per 64 members. The
/// per-target lists live in flat arrays (one small record per target and one block of
/// places), so that the searches, which jump between targets, touch few cache lines.
struct Assigner<'a> {
    pool: &'a PoolSpec,
    members: &'a [&'a Inspector],
    targets: &'a [Target],
    cap: u32,
    words: usize,
    state: Vec<TargetState>,
    /// Each target's block of committed, planned and excluded members (see
    /// [`TargetState`]).
    team: Vec<u32>,
    /// Per region of the pool's members, `words` words: the members of that region.
    region_bits: Vec<u64>,
    planned_by: Vec<Vec<u32>>,
    load: Vec<u32>,
    committed_load: Vec<u32>,
    /// Members with `load < cap`, and how many there are.
    slack: Vec<u64>,
    slack_count: u32,
    /// Members with `committed_load < cap`.
    open: Vec<u64>,
    full: Vec<u64>,
    /// Search links: member → (previous member, target moved between them), valid when
    /// `parent_gen[member] == generation`.
    parent: Vec<(u32, u32)>,
    parent_gen: Vec<u32>,
    generation: u32,
    /// Search buffers, reused.
    roots: Vec<u64>,
    seen: Vec<u64>,
    scratch: Vec<u64>,
    queue: VecDeque<u32>,
}

impl<'a> Assigner<'a> {
    #[allow(clippy::too_many_arguments)]
    fn new(
        pool: &'a PoolSpec,
        members: &'a [&'a Inspector],
        ids: &[&str],
        targets: &'a [Target],
        preset: &[Vec<String>],
        need: &[u32],
        cap: u32,
        ex: &Exclusions,
    ) -> Self {
        let p = members.len();
        let words = p.div_ceil(64);
        let mut full = vec![0u64; words];
        for i in 0..p as u32 {
            set(&mut full, i);
        }
        let mut regions: HashMap<&str, u32> = HashMap::new();
        let mut region_bits: Vec<u64> = Vec::new();
        for (i, m) in members.iter().enumerate() {
            if m.region.is_empty() {
                continue;
            }
            let r = *regions.entry(m.region.as_str()).or_insert_with(|| {
                region_bits.resize(region_bits.len() + words, 0);
                (region_bits.len() / words) as u32 - 1
            });
            set(&mut region_bits[r as usize * words..], i as u32);
        }
        let (excluded, ex_at) = Self::excluded(ids, targets, ex);
        let mut team = Vec::new();
        let state = targets
            .iter()
            .enumerate()
            .map(|(t, target)| {
                let room =
                    need.get(t).copied().unwrap_or(0) + preset.get(t).map_or(0, |f| f.len() as u32);
                let listed = &excluded[ex_at[t] as usize..ex_at[t + 1] as usize];
                let s = TargetState {
                    at: team.len(),
                    room,
                    committed: 0,
                    planned: 0,
                    region: (ex.same_region && !target.region.is_empty())
                        .then(|| regions.get(target.region.as_str()).copied())
                        .flatten()
                        .unwrap_or(NO_REGION),
                    excluded: listed.len() as u32,
                };
                team.resize(team.len() + 2 * room as usize, 0);
                team.extend_from_slice(listed);
                s
            })
            .collect();
        let slack = if cap > 0 {
            full.clone()
        } else {
            vec![0; words]
        };
        Assigner {
            pool,
            members,
            targets,
            cap,
            words,
            state,
            team,
            region_bits,
            planned_by: vec![vec![]; p],
            load: vec![0; p],
            committed_load: vec![0; p],
            open: slack.clone(),
            slack_count: if cap > 0 { p as u32 } else { 0 },
            slack,
            full,
            parent: vec![(0, 0); p],
            parent_gen: vec![0; p],
            generation: 0,
            roots: vec![0; words],
            seen: vec![0; words],
            scratch: vec![0; words],
            queue: VecDeque::new(),
        }
    }

    /// The members each target excludes, target after target (each list sorted), and where
    /// each target's list starts (one more entry at the end).
    ///
    /// A pair counts for the target with its entity id (the last such target when an id
    /// repeats) and the member with its inspector id. Targets are visited in id order
    /// alongside the sorted pairs: one pass over both, with no hashing.
    fn excluded(ids: &[&str], targets: &[Target], ex: &Exclusions) -> (Vec<u32>, Vec<u32>) {
        let mut order: Vec<u32> = (0..targets.len() as u32).collect();
        // Stable, and one pass when the targets come in id order (a draw's always do).
        order.sort_by(|&a, &b| targets[a as usize].id.cmp(&targets[b as usize].id));
        // The member with an inspector id, as `ids.binary_search` finds it; hashed when the
        // ids are distinct (they are in any valid roster), where each probe would compare
        // whole strings.
        let index: Option<HashMap<&str, u32>> = ids.windows(2).all(|w| w[0] != w[1]).then(|| {
            ids.iter()
                .enumerate()
                .map(|(m, &i)| (i, m as u32))
                .collect()
        });
        let member = |i: &str| match &index {
            Some(index) => index.get(i).copied(),
            None => ids.binary_search(&i).ok().map(|m| m as u32),
        };
        let mut found: Vec<(u32, u32)> = Vec::new();
        let mut k = 0;
        for (n, &t) in order.iter().enumerate() {
            let id = targets[t as usize].id.as_str();
            if order
                .get(n + 1)
                .is_some_and(|&u| targets[u as usize].id == id)
            {
                continue;
            }
            k += gallop(&ex.pairs[k..], |(e, _)| e.as_str() < id);
            while let Some((_, i)) = ex.pairs.get(k).filter(|(e, _)| e == id) {
                if let Some(m) = member(i) {
                    found.push((t, m));
                }
                k += 1;
            }
        }
        // Already in order when the targets were.
        found.sort_unstable();
        found.dedup();
        let mut at = Vec::with_capacity(targets.len() + 1);
        let mut excluded = Vec::with_capacity(found.len());
        let mut f = found.iter().peekable();
        for t in 0..targets.len() as u32 {
            at.push(excluded.len() as u32);
            while let Some(&(_, m)) = f.next_if(|(u, _)| *u == t) {
                excluded.push(m);
            }
        }
        at.push(excluded.len() as u32);
        (excluded, at)
    }

    fn committed(&self, t: usize) -> &[u32] {
        let s = &self.state[t];
        &self.team[s.at..s.at + s.committed as usize]
    }

    fn planned(&self, t: usize) -> &[u32] {
        let s = &self.state[t];
        let from = s.at + s.room as usize;
        &self.team[from..from + s.planned as usize]
    }

    fn excluded_of(&self, t: usize) -> &[u32] {
        let s = &self.state[t];
        let from = s.at + 2 * s.room as usize;
        &self.team[from..from + s.excluded as usize]
    }

    fn region_of(&self, t: usize) -> Option<&[u64]> {
        let r = self.state[t].region as usize;
        (r != NO_REGION as usize).then(|| &self.region_bits[r * self.words..(r + 1) * self.words])
    }

    fn push_committed(&mut self, t: usize, i: u32) {
        let s = &mut self.state[t];
        self.team[s.at + s.committed as usize] = i;
        s.committed += 1;
    }

    fn add_load(&mut self, i: u32, committed: bool) {
        let iu = i as usize;
        self.load[iu] += 1;
        if self.load[iu] >= self.cap {
            if self.load[iu] == self.cap {
                self.slack_count -= 1;
            }
            clear(&mut self.slack, i);
        }
        if committed {
            self.committed_load[iu] += 1;
            if self.committed_load[iu] >= self.cap {
                clear(&mut self.open, i);
            }
        }
    }

    fn sub_load(&mut self, i: u32, committed: bool) {
        let iu = i as usize;
        self.load[iu] -= 1;
        if self.load[iu] < self.cap {
            if self.load[iu] + 1 == self.cap {
                self.slack_count += 1;
            }
            set(&mut self.slack, i);
        }
        if committed {
            self.committed_load[iu] -= 1;
            if self.committed_load[iu] < self.cap {
                set(&mut self.open, i);
            }
        }
    }

    fn preset(&mut self, t: usize, i: u32) {
        if !self.committed(t).contains(&i) {
            self.push_committed(t, i);
            self.add_load(i, true);
        }
    }

    /// Members eligible for `t` and not on its team (committed or planned).
    fn free_for(&self, t: usize, out: &mut [u64]) {
        out.copy_from_slice(&self.full);
        if let Some(region) = self.region_of(t) {
            for (o, b) in out.iter_mut().zip(region) {
                *o &= !b;
            }
        }
        for &i in self
            .excluded_of(t)
            .iter()
            .chain(self.committed(t))
            .chain(self.planned(t))
        {
            clear(out, i);
        }
    }

    /// SPEC §7.4's candidate set `C` for `t`: eligible, not committed, under the cap.
    fn candidates(&self, t: usize, out: &mut [u64]) {
        out.copy_from_slice(&self.full);
        if let Some(region) = self.region_of(t) {
            for (o, b) in out.iter_mut().zip(region) {
                *o &= !b;
            }
        }
        for (o, b) in out.iter_mut().zip(&self.open) {
            *o &= b;
        }
        for &i in self.excluded_of(t).iter().chain(self.committed(t)) {
            clear(out, i);
        }
    }

    fn eligible(&self, t: usize, i: u32) -> bool {
        let same_region = self.region_of(t).is_some_and(|r| test(r, i));
        !same_region && self.excluded_of(t).binary_search(&i).is_err()
    }

    fn plan_add(&mut self, t: usize, i: u32) {
        let s = &mut self.state[t];
        self.team[s.at + s.room as usize + s.planned as usize] = i;
        s.planned += 1;
        self.planned_by[i as usize].push(t as u32);
        self.add_load(i, false);
    }

    fn plan_remove(&mut self, t: usize, i: u32) {
        let s = &mut self.state[t];
        let from = s.at + s.room as usize;
        let planned = &mut self.team[from..from + s.planned as usize];
        if let Some(p) = planned.iter().position(|&x| x == i) {
            // As `Vec::swap_remove`: the last one takes its place.
            planned[p] = planned[planned.len() - 1];
            s.planned -= 1;
        }
        let by = &mut self.planned_by[i as usize];
        if let Some(p) = position(by, t as u32) {
            by.swap_remove(p);
        }
        self.sub_load(i, false);
    }

    /// Breadth-first search for an augmenting path from `root` (or, if `None`, from the
    /// members in `self.roots`) to a member below the cap. Returns the path's end; the
    /// links stay in `parent`.
    fn search(&mut self, root: Option<u32>) -> Option<u32> {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.parent_gen.fill(0);
            self.generation = 1;
        }
        let hit = match root {
            Some(c) => test(&self.slack, c).then_some(c),
            None => self
                .roots
                .iter()
                .zip(&self.slack)
                .position(|(r, s)| r & s != 0)
                .map(|w| {
                    let x = self.roots[w] & self.slack[w];
                    w as u32 * 64 + x.trailing_zeros()
                }),
        };
        if hit.is_some() {
            return hit;
        }
        // Few members below the cap (the usual case near the end): test those directly
        // before expanding whole bit sets.
        let slack_count = self.slack_count;
        debug_assert_eq!(
            slack_count,
            self.slack.iter().map(|w| w.count_ones()).sum::<u32>()
        );
        let mut few = [0u32; 16];
        let mut n_few = 0;
        if slack_count <= 16 {
            for w in ones(&self.slack) {
                few[n_few] = w;
                n_few += 1;
            }
        }
        let few = &few[..n_few];
        let mut seen = std::mem::take(&mut self.seen);
        let mut scratch = std::mem::take(&mut self.scratch);
        let mut queue = std::mem::take(&mut self.queue);
        queue.clear();
        match root {
            Some(c) => {
                seen.fill(0);
                set(&mut seen, c);
                queue.push_back(c);
            }
            None => {
                seen.copy_from_slice(&self.roots);
                queue.extend(ones(&self.roots));
            }
        }
        let found = self.widen(&mut seen, &mut scratch, &mut queue, few, slack_count);
        self.seen = seen;
        self.scratch = scratch;
        self.queue = queue;
        found
    }

    /// The first member free for `t` (as [`Self::free_for`]), below the cap and not in
    /// `seen`. Word by word, so that it usually stops after the first.
    fn first_free_slack(&self, t: usize, seen: &[u64]) -> Option<u32> {
        let region = self.region_of(t);
        for (w, ((&f, &s), &n)) in self.full.iter().zip(&self.slack).zip(seen).enumerate() {
            let mut x = f & s & !n & !region.map_or(0, |r| r[w]);
            if x == 0 {
                continue;
            }
            for &i in self
                .excluded_of(t)
                .iter()
                .chain(self.committed(t))
                .chain(self.planned(t))
            {
                if i as usize / 64 == w {
                    x &= !(1 << (i % 64));
                }
            }
            if x != 0 {
                return Some(w as u32 * 64 + x.trailing_zeros());
            }
        }
        None
    }

    /// The breadth-first part of [`Self::search`], with its buffers lent.
    fn widen(
        &mut self,
        seen: &mut [u64],
        scratch: &mut [u64],
        queue: &mut VecDeque<u32>,
        few: &[u32],
        slack_count: u32,
    ) -> Option<u32> {
        while let Some(u) = queue.pop_front() {
            // First look for a target of `u` that can move straight to a member below the
            // cap; only then widen the search by one layer.
            for k in 0..self.planned_by[u as usize].len() {
                let f = self.planned_by[u as usize][k];
                let direct = if slack_count <= 16 {
                    few.iter().copied().find(|&w| {
                        !test(seen, w)
                            && self.eligible(f as usize, w)
                            && !self.committed(f as usize).contains(&w)
                            && !self.planned(f as usize).contains(&w)
                    })
                } else {
                    self.first_free_slack(f as usize, seen)
                };
                if let Some(end) = direct {
                    self.link(end, u, f);
                    return Some(end);
                }
            }
            for k in 0..self.planned_by[u as usize].len() {
                let f = self.planned_by[u as usize][k];
                self.free_for(f as usize, scratch);
                for (s, n) in scratch.iter_mut().zip(seen.iter()) {
                    *s &= !n;
                }
                for w in ones(scratch) {
                    self.parent[w as usize] = (u, f);
                    self.parent_gen[w as usize] = self.generation;
                    queue.push_back(w);
                }
                for (n, s) in seen.iter_mut().zip(scratch.iter()) {
                    *n |= s;
                }
            }
        }
        None
    }

    fn link(&mut self, w: u32, u: u32, f: u32) {
        self.parent[w as usize] = (u, f);
        self.parent_gen[w as usize] = self.generation;
    }

    /// Shifts planned targets along the path ending at `end`; returns the path's root.
    fn apply(&mut self, end: u32) -> u32 {
        let mut w = end;
        while self.parent_gen[w as usize] == self.generation {
            let (u, f) = self.parent[w as usize];
            self.parent_gen[w as usize] = 0;
            self.plan_remove(f as usize, u);
            self.plan_add(f as usize, w);
            w = u;
        }
        w
    }

    /// Gives target `t` one more planned member, rerouting others if needed.
    fn augment_target(&mut self, t: usize) -> bool {
        let mut roots = std::mem::take(&mut self.roots);
        self.free_for(t, &mut roots);
        self.roots = roots;
        match self.search(None) {
            Some(end) => {
                let root = self.apply(end);
                self.plan_add(t, root);
                true
            }
            None => false,
        }
    }

    /// Commits member `c` to target `t` if the assignment stays completable.
    fn try_commit(&mut self, t: usize, c: u32) -> bool {
        if self.planned(t).contains(&c) {
            self.plan_remove(t, c);
            self.push_committed(t, c);
            self.add_load(c, true);
            return true;
        }
        let Some(&x) = self.planned(t).last() else {
            return false;
        };
        self.plan_remove(t, x);
        self.push_committed(t, c);
        self.add_load(c, true);
        if self.load[c as usize] <= self.cap {
            return true;
        }
        // `c` is over the cap by one: it is not slack, so the search must reroute.
        if let Some(end) = self.search(Some(c)) {
            self.apply(end);
            return true;
        }
        self.state[t].committed -= 1;
        self.sub_load(c, true);
        self.plan_add(t, x);
        false
    }

    /// Explains why target `t`, which needs `needed` members, cannot be completed: too few
    /// eligible members at all, or else the cap (with how many eligible members are at it).
    fn diagnose(&self, t: usize, needed: u32, cap_kind: CapKind) -> DrawError {
        let mut b = Blockers::default();
        let mut at_cap = 0;
        let mut on_team = 0;
        for i in 0..self.members.len() as u32 {
            if self.excluded_of(t).binary_search(&i).is_ok() {
                b.conflict_or_history += 1;
            } else if !self.eligible(t, i) {
                b.same_region += 1;
            } else {
                b.eligible += 1;
                if self.committed(t).contains(&i) || self.planned(t).contains(&i) {
                    on_team += 1;
                } else if self.load[i as usize] >= self.cap {
                    at_cap += 1;
                }
            }
        }
        if b.eligible < u64::from(needed) {
            return DrawError::NotEnoughEligible {
                pool: self.pool.label.clone(),
                entity: self.targets[t].id.clone(),
                needed: u64::from(needed),
                pool_size: self.members.len() as u64,
                blockers: b,
            };
        }
        DrawError::WorkloadCapExhausted {
            pool: self.pool.label.clone(),
            entity: self.targets[t].id.clone(),
            needed: u64::from(needed),
            cap: self.cap,
            cap_kind,
            eligible: b.eligible,
            at_cap,
            on_team,
        }
    }
}
