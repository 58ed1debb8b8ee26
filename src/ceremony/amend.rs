//! Amendments (补抽 / 回避): signed, deterministic changes to a drawn sheet (SPEC §11).
//!
//! An entity found closed or unreachable is replaced by the *next pick of its stratum's
//! own stream* — fixed before anyone knew which entity would need replacing, so choosing
//! whom to declare unreachable cannot choose the replacement. Inspectors come from each
//! entity's *ranking* of a pool, also fixed by the seed (stream `rank/<pool>/<entity>`): a
//! recusal takes the next available member of the list, so declaring inspectors
//! "unavailable" one after another walks down a list everyone can compute, and at most
//! `team.recusal_cap` steps per entity. Amendments chain: each cites the sheet and the
//! previous amendment, and carries its office-log position.

use super::announce::VERSION;
use super::sheet::{Sheet, SheetEntity, SheetInspector};
use super::source::AmendSource;
use super::{CeremonyError, Timestamp};
use crate::digest::Digest32;
use crate::draw::entities::stream_label;
use crate::draw::teams::{self, Exclusions, Target};
use crate::draw::{self, DrawError, DrawInputs};
use crate::formats::jcs;
use crate::model::{Entity, Inspector};
use crate::model::{InspectorKind, Stratum};
use crate::rng::{Sampler, Stream};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `format` of amendments.
pub const AMENDMENT_FORMAT: &str = "double-random/amendment";

/// What an amendment changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Replace a drawn entity (补抽) by the next pick of its stratum.
    ReplaceEntity {
        /// The entity replaced.
        entity: String,
    },
    /// Replace one inspector of an entity's team (回避).
    ReplaceInspector {
        /// The entity.
        entity: String,
        /// The inspector replaced.
        inspector: String,
    },
}

/// Why: a fixed vocabulary, so the log can be analysed, plus free text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// 注销 / 吊销 after the draw.
    EntityClosed,
    /// 通过登记的住所无法联系.
    EntityUnreachable,
    /// 迁出.
    EntityMovedOut,
    /// Outside the task's scope, found after the draw.
    EntityOutOfScope,
    /// 回避: a conflict of interest declared after the draw.
    InspectorRecused,
    /// Illness, leave or other unavailability.
    InspectorUnavailable,
}

impl ReasonCode {
    /// Whether this reason belongs to `action`'s kind (entity reasons for entity
    /// replacements, inspector reasons for inspector replacements).
    ///
    /// ```
    /// use double_random::ceremony::amend::{Action, ReasonCode};
    /// let a = Action::ReplaceEntity { entity: "X".into() };
    /// assert!(ReasonCode::EntityClosed.fits(&a));
    /// assert!(!ReasonCode::InspectorRecused.fits(&a));
    /// ```
    pub fn fits(&self, action: &Action) -> bool {
        let entity_reason = matches!(
            self,
            ReasonCode::EntityClosed
                | ReasonCode::EntityUnreachable
                | ReasonCode::EntityMovedOut
                | ReasonCode::EntityOutOfScope
        );
        entity_reason == matches!(action, Action::ReplaceEntity { .. })
    }
}

/// The reason for an amendment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// Category.
    pub code: ReasonCode,
    /// Explanation in words.
    pub text: String,
}

/// What the amendment drew.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Outcome {
    /// The replacement entity with its team.
    ReplaceEntity {
        /// The new entity.
        entity: SheetEntity,
    },
    /// The replacement inspector, who takes the replaced one's place in the team.
    ReplaceInspector {
        /// Certificate number.
        inspector: String,
    },
}

/// A signed amendment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Amendment {
    /// Always `double-random/amendment`.
    pub format: String,
    /// Algorithm version.
    pub version: String,
    /// The draw's id.
    pub draw_id: String,
    /// Digest of the sheet amended.
    pub sheet: Digest32,
    /// 1 for the first amendment of a sheet, then 2, 3, …
    pub seq: u32,
    /// Digest of the previous amendment (`None` for the first).
    pub previous: Option<Digest32>,
    /// What is changed.
    pub action: Action,
    /// Why.
    pub reason: Reason,
    /// What was drawn.
    pub outcome: Outcome,
    /// Inspectors named in the outcome, sorted by id.
    pub inspectors: Vec<SheetInspector>,
    /// When (UTC).
    pub amended_at: Timestamp,
    /// Its position in the office log.
    pub log: super::log::Position,
}

impl Amendment {
    /// Canonical JSON bytes.
    pub fn to_canonical(&self) -> Result<Vec<u8>, jcs::JcsError> {
        jcs::to_canonical(self)
    }

    /// Digest of the canonical bytes.
    pub fn digest(&self) -> Result<Digest32, jcs::JcsError> {
        Ok(Digest32::of(&self.to_canonical()?))
    }

    /// Parses a published amendment, refusing non-canonical bytes and other formats.
    pub fn parse(bytes: &[u8]) -> Result<Self, CeremonyError> {
        let a: Amendment = jcs::parse_canonical(bytes).map_err(|e| CeremonyError::Document {
            document: "amendment",
            source: e,
        })?;
        super::check_format(&a.format, AMENDMENT_FORMAT, &a.version)?;
        Ok(a)
    }
}

/// The state of a draw after its amendments: current entities and what was used up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    /// Current entities with teams, ascending id.
    pub entities: Vec<SheetEntity>,
    /// Replacement picks used per stratum.
    pub replacements: BTreeMap<Stratum, u64>,
    /// Recusals: (inspector, entity).
    pub recusals: Vec<(String, String)>,
}

impl State {
    /// Recusals recorded for `entity`.
    pub fn recusals_of(&self, entity: &str) -> u64 {
        self.recusals.iter().filter(|(_, e)| e == entity).count() as u64
    }
}

/// Applies `amendments` (already checked) to `sheet`.
pub fn state_after(
    sheet: &Sheet,
    amendments: &[Amendment],
    strata: &BTreeMap<String, Stratum>,
) -> State {
    let mut st = State {
        entities: sheet.entities.clone(),
        replacements: BTreeMap::new(),
        recusals: vec![],
    };
    for a in amendments {
        match (&a.action, &a.outcome) {
            (Action::ReplaceEntity { entity }, Outcome::ReplaceEntity { entity: new }) => {
                st.entities.retain(|e| &e.id != entity);
                if let Some(s) = strata.get(entity) {
                    *st.replacements.entry(*s).or_default() += 1;
                }
                st.entities.push(new.clone());
                st.entities.sort_by(|a, b| a.id.cmp(&b.id));
            }
            (
                Action::ReplaceInspector { entity, inspector },
                Outcome::ReplaceInspector { inspector: new },
            ) => {
                if let Some(e) = st.entities.iter_mut().find(|e| &e.id == entity) {
                    for slot in e.officers.iter_mut().chain(e.experts.iter_mut()) {
                        if slot == inspector {
                            *slot = new.clone();
                        }
                    }
                }
                st.recusals.push((inspector.clone(), entity.clone()));
            }
            _ => {}
        }
    }
    st
}

/// `entity`'s ranking of `members` (sorted ids) in pool `label`: the stream
/// `rank/<label>/<entity>` drives a prefix-stable permutation (SPEC §11.2), read lazily.
///
/// ```
/// use double_random::{ceremony::amend::ranking, Digest32};
/// let members = ["A", "B", "C", "D"];
/// let r: Vec<&str> = ranking(&Digest32([1; 32]), "officers", "E1", &members).copied().collect();
/// assert_eq!(r.len(), 4);
/// let again: Vec<&str> = ranking(&Digest32([1; 32]), "officers", "E1", &members).take(2).copied().collect();
/// assert_eq!(&r[..2], &again[..]);
/// ```
pub fn ranking<'m, T>(
    seed: &Digest32,
    label: &str,
    entity: &str,
    members: &'m [T],
) -> impl Iterator<Item = &'m T> + 'm {
    let stream = Stream::new(seed, &format!("rank/{label}/{entity}"));
    crate::rng::Sampler::new(stream, members.len() as u64).map(move |i| &members[i as usize])
}

/// What amendments need about one draw's inputs.
struct Context<'a> {
    seed: Digest32,
    inputs: DrawInputs<'a>,
    rows: &'a dyn AmendSource,
    pools: Vec<teams::PoolSpec>,
    exclusions: Exclusions,
    slack: u32,
    sheet: &'a Sheet,
}

impl<'a> Context<'a> {
    fn target(&self, id: &str) -> Target {
        Target {
            id: id.to_string(),
            region: self.rows.entity(id).map(|e| e.region).unwrap_or_default(),
        }
    }

    fn cap(&self, label: &str) -> u32 {
        self.sheet
            .pools
            .iter()
            .find(|p| p.label == label)
            .map_or(0, |p| p.cap.saturating_add(self.slack))
    }

    fn members(&self, pool: &teams::PoolSpec) -> Vec<&'a Inspector> {
        let mut m: Vec<&Inspector> = self
            .inputs
            .inspectors
            .iter()
            .filter(|i| pool.admits(i))
            .collect();
        m.sort_by(|a, b| a.id.cmp(&b.id));
        m
    }

    /// The first `q` members of `entity`'s ranking in `pool` available for it (SPEC §11.2):
    /// eligible, on none of its teams, under the pool's amendment cap in `teams`.
    fn pick(
        &self,
        pool: &teams::PoolSpec,
        entity: &str,
        team: &[String],
        teams: &[&SheetEntity],
        q: usize,
    ) -> Result<Vec<String>, CeremonyError> {
        let members = self.members(pool);
        let target = self.target(entity);
        let cap = self.cap(&pool.label) as usize;
        let mut got = vec![];
        for m in ranking(&self.seed, &pool.label, entity, &members) {
            if got.len() == q {
                break;
            }
            if team.contains(&m.id) || !self.exclusions.allows(m, &target) {
                continue;
            }
            let load = teams
                .iter()
                .filter(|e| e.officers.iter().chain(&e.experts).any(|i| i == &m.id))
                .count();
            if load < cap {
                got.push(m.id.clone());
            }
        }
        if got.len() < q {
            return Err(CeremonyError::NoReplacement {
                pool: pool.label.clone(),
                entity: entity.to_string(),
            });
        }
        Ok(got)
    }
}

/// Computes the next amendment of `sheet` (SPEC §11).
///
/// `previous` are the sheet's amendments so far, in order. `inputs` must be the announced
/// inputs (the caller checks their digests against the announcement). `log` is the
/// amendment's own position in the office log.
pub fn amend(
    sheet: &Sheet,
    previous: &[Amendment],
    action: Action,
    reason: Reason,
    inputs: &DrawInputs<'_>,
    amended_at: Timestamp,
    log: super::log::Position,
) -> Result<Amendment, CeremonyError> {
    fitting(&action, &reason)?;
    let rows = RowsInMemory::new(inputs)?;
    amend_from(sheet, previous, action, reason, &rows, amended_at, log)
}

/// Refuses a reason that does not fit the action.
fn fitting(action: &Action, reason: &Reason) -> Result<(), CeremonyError> {
    if !reason.code.fits(action) {
        return Err(CeremonyError::Mismatch {
            document: "amendment",
            field: "reason.code",
            expected: "a reason that fits the action".into(),
            found: format!("{:?}", reason.code),
        });
    }
    Ok(())
}

/// The rows of a draw held in memory as an [`AmendSource`]: the population by stratum, made
/// once.
///
/// ```
/// use double_random::ceremony::amend::RowsInMemory;
/// use double_random::ceremony::source::AmendSource;
/// let owned = double_random::draw::example_inputs();
/// let inputs = owned.as_inputs();
/// let rows = RowsInMemory::new(&inputs)?;
/// let first = &inputs.entities[0].id;
/// let stratum = rows.stratum_of(first).unwrap();
/// let n = rows.stratum_len(stratum);
/// assert!((0..n).any(|i| rows.member(stratum, i).as_ref() == Some(first)));
/// assert_eq!(rows.entity(first).as_ref(), Some(&inputs.entities[0]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct RowsInMemory<'a> {
    inputs: &'a DrawInputs<'a>,
    population: BTreeMap<Stratum, Vec<String>>,
    strata_of: BTreeMap<String, Stratum>,
}

impl<'a> RowsInMemory<'a> {
    /// The population of `inputs` (SPEC §6), by stratum.
    ///
    /// # Errors
    ///
    /// As [`draw::population`].
    pub fn new(inputs: &'a DrawInputs<'a>) -> Result<Self, DrawError> {
        let population = draw::population(inputs)?;
        let strata_of = population
            .iter()
            .flat_map(|(s, ids)| ids.iter().map(move |id| (id.clone(), *s)))
            .collect();
        Ok(RowsInMemory {
            inputs,
            population,
            strata_of,
        })
    }
}

impl AmendSource for RowsInMemory<'_> {
    fn tables(&self) -> DrawInputs<'_> {
        *self.inputs
    }

    fn stratum_of(&self, id: &str) -> Option<Stratum> {
        self.strata_of.get(id).copied()
    }

    fn stratum_len(&self, stratum: Stratum) -> u64 {
        self.population.get(&stratum).map_or(0, |v| v.len() as u64)
    }

    fn member(&self, stratum: Stratum, index: u64) -> Option<String> {
        let i = usize::try_from(index).ok()?;
        self.population.get(&stratum)?.get(i).cloned()
    }

    fn entity(&self, id: &str) -> Option<Entity> {
        self.inputs.entities.iter().find(|e| e.id == id).cloned()
    }
}

/// [`amend`] with the roster's rows given by `rows`, which need not hold them in memory
/// (`bundle` streams them from files): the same amendment from the same inputs.
///
/// # Errors
///
/// As [`amend`].
///
/// ```
/// use double_random::ceremony::amend::{Action, Reason, ReasonCode, RowsInMemory, amend, amend_from};
/// let (_, sheet) = double_random::internals::example_documents()?;
/// let dir = tempfile::tempdir()?;
/// double_random::bundle::example_input_files(dir.path())?;
/// let loaded = double_random::bundle::load_inputs(dir.path(), None)?;
/// let inputs = loaded.as_draw_inputs();
/// let action = Action::ReplaceEntity { entity: sheet.entities[0].id.clone() };
/// let reason = Reason { code: ReasonCode::EntityClosed, text: String::new() };
/// let (t, at) = (sheet.drawn_at, sheet.log);
/// let a = amend(&sheet, &[], action.clone(), reason.clone(), &inputs, t, at)?;
/// let b = amend_from(&sheet, &[], action, reason, &RowsInMemory::new(&inputs)?, t, at)?;
/// assert_eq!(a, b);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn amend_from(
    sheet: &Sheet,
    previous: &[Amendment],
    action: Action,
    reason: Reason,
    rows: &dyn AmendSource,
    amended_at: Timestamp,
    log: super::log::Position,
) -> Result<Amendment, CeremonyError> {
    let (outcome, inspectors) = outcome_from(sheet, previous, &action, &reason, rows)?;
    Ok(Amendment {
        format: AMENDMENT_FORMAT.into(),
        version: VERSION.into(),
        draw_id: sheet.draw_id.clone(),
        sheet: sheet.digest()?,
        seq: previous.len() as u32 + 1,
        previous: previous.last().map(Amendment::digest).transpose()?,
        action,
        reason,
        inspectors,
        outcome,
        amended_at,
        log,
    })
}

/// What [`amend_from`] finds, without the document around it: the outcome and the inspectors
/// it names. A trial that only asks whether the rows at hand suffice needs no digest of the
/// sheet.
pub(crate) fn outcome_from(
    sheet: &Sheet,
    previous: &[Amendment],
    action: &Action,
    reason: &Reason,
    rows: &dyn AmendSource,
) -> Result<(Outcome, Vec<SheetInspector>), CeremonyError> {
    fitting(action, reason)?;
    let inputs = rows.tables();
    let strata_of: BTreeMap<String, Stratum> = previous
        .iter()
        .map(|a| &a.action)
        .chain([action])
        .filter_map(|a| match a {
            Action::ReplaceEntity { entity } => Some(entity),
            Action::ReplaceInspector { .. } => None,
        })
        .filter_map(|id| Some((id.clone(), rows.stratum_of(id)?)))
        .collect();
    let state = state_after(sheet, previous, &strata_of);
    let mut exclusions = Exclusions::new(inputs.plan, inputs.conflicts, inputs.history);
    for (i, e) in &state.recusals {
        exclusions.add(i, e);
    }
    let ctx = Context {
        seed: sheet.seed,
        inputs,
        rows,
        pools: teams::pools(inputs.plan, inputs.items)?,
        exclusions,
        // An explicit cap binds amendments too; the default (balanced) share is a target that
        // may be exceeded by one, or a recusal in a tight pool could never be served.
        slack: u32::from(inputs.plan.team.workload_cap.is_none()),
        sheet,
    };
    let not_in_sheet = |what: &'static str, id: &str| -> CeremonyError {
        DrawError::NotInSheet {
            what,
            id: id.to_string(),
        }
        .into()
    };
    let outcome = match &action {
        Action::ReplaceEntity { entity } => {
            if !state.entities.iter().any(|e| &e.id == entity) {
                return Err(not_in_sheet("entity", entity));
            }
            let stratum = *strata_of
                .get(entity)
                .ok_or_else(|| not_in_sheet("entity", entity))?;
            let k = sheet
                .strata
                .iter()
                .find(|s| s.stratum == stratum.label())
                .map_or(0, |s| s.k);
            let used = k + state.replacements.get(&stratum).copied().unwrap_or(0);
            // The next pick of the stratum's stream, as `continue_stratum` gives it, found by
            // its place among the members.
            let new_id = Sampler::new(
                Stream::new(&sheet.seed, &stream_label(stratum)),
                rows.stratum_len(stratum),
            )
            .nth(used as usize)
            .and_then(|i| rows.member(stratum, i))
            .ok_or_else(|| DrawError::StratumExhausted {
                stratum: stratum.label().to_string(),
            })?;
            let others: Vec<&SheetEntity> =
                state.entities.iter().filter(|e| &e.id != entity).collect();
            let name = rows.entity(&new_id).map(|e| e.name).unwrap_or_default();
            let mut new = SheetEntity {
                id: new_id.clone(),
                name,
                stratum: inputs
                    .plan
                    .publish_risk
                    .then(|| stratum.label().to_string()),
                officers: vec![],
                experts: vec![],
            };
            for pool in &ctx.pools {
                let team: Vec<String> = new.officers.iter().chain(&new.experts).cloned().collect();
                let got = ctx.pick(pool, &new_id, &team, &others, pool.per_entity as usize)?;
                match pool.kind {
                    InspectorKind::Officer => new.officers.extend(got),
                    InspectorKind::Expert => new.experts.extend(got),
                }
            }
            Outcome::ReplaceEntity { entity: new }
        }
        Action::ReplaceInspector { entity, inspector } => {
            let Some(team) = state.entities.iter().find(|e| &e.id == entity) else {
                return Err(not_in_sheet("entity", entity));
            };
            let members: Vec<String> = team.officers.iter().chain(&team.experts).cloned().collect();
            if !members.contains(inspector) {
                return Err(not_in_sheet("inspector", inspector));
            }
            let done = state.recusals_of(entity);
            if done >= u64::from(inputs.plan.team.recusal_cap) {
                return Err(CeremonyError::RecusalCap {
                    entity: entity.clone(),
                    count: done,
                });
            }
            let record = inputs.inspectors.iter().find(|i| &i.id == inspector);
            let pool = ctx
                .pools
                .iter()
                .find(|p| record.is_some_and(|r| p.admits(r)))
                .cloned()
                .ok_or_else(|| not_in_sheet("inspector", inspector))?;
            let mut ctx = ctx;
            ctx.exclusions.add(inspector, entity);
            let all: Vec<&SheetEntity> = state.entities.iter().collect();
            let got = ctx.pick(&pool, entity, &members, &all, 1)?;
            Outcome::ReplaceInspector {
                inspector: got[0].clone(),
            }
        }
    };
    let named: Vec<SheetEntity> = match &outcome {
        Outcome::ReplaceEntity { entity } => vec![entity.clone()],
        Outcome::ReplaceInspector { inspector } => vec![SheetEntity {
            id: String::new(),
            name: String::new(),
            stratum: None,
            officers: vec![inspector.clone()],
            experts: vec![],
        }],
    };
    Ok((outcome, super::sheet::named_inspectors(&named, &inputs)))
}
