//! Amendments (补抽 / 回避): signed, deterministic changes to a drawn sheet (SPEC §11).
//!
//! An entity found closed or unreachable is replaced by the *next pick of its stratum's
//! own stream* — fixed before anyone knew which entity would need replacing, so choosing
//! whom to declare unreachable cannot choose the replacement. An officer who must recuse
//! is replaced on the amendment's own stream (`amend/<seq>/<pool>`), honouring every team
//! rule. Amendments chain: each cites the sheet and the previous amendment.

use super::announce::VERSION;
use super::sheet::{Sheet, SheetEntity, SheetInspector};
use super::{CeremonyError, Timestamp};
use crate::digest::Digest32;
use crate::draw::entities::continue_stratum;
use crate::draw::teams::{self, Exclusions, Target};
use crate::draw::{self, DrawError, DrawInputs};
use crate::formats::jcs;
use crate::model::{InspectorKind, Stratum};
use crate::rng::Stream;
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    fn fits(&self, action: &Action) -> bool {
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
        if a.format != AMENDMENT_FORMAT {
            return Err(CeremonyError::WrongFormat {
                expected: AMENDMENT_FORMAT,
                found: a.format,
            });
        }
        if a.version != VERSION {
            return Err(CeremonyError::UnsupportedVersion { found: a.version });
        }
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

/// Computes the next amendment of `sheet` (SPEC §11).
///
/// `previous` are the sheet's amendments so far, in order. `inputs` must be the announced
/// inputs (the caller checks their digests against the announcement).
pub fn amend(
    sheet: &Sheet,
    previous: &[Amendment],
    action: Action,
    reason: Reason,
    inputs: &DrawInputs<'_>,
    amended_at: Timestamp,
) -> Result<Amendment, CeremonyError> {
    if !reason.code.fits(&action) {
        return Err(CeremonyError::Mismatch {
            document: "amendment",
            field: "reason.code",
            expected: "a reason that fits the action".into(),
            found: format!("{:?}", reason.code),
        });
    }
    let seed = sheet.seed;
    let population = draw::population(inputs)?;
    let strata_of: BTreeMap<String, Stratum> = population
        .iter()
        .flat_map(|(s, ids)| ids.iter().map(move |id| (id.clone(), *s)))
        .collect();
    let state = state_after(sheet, previous, &strata_of);
    let seq = previous.len() as u32 + 1;
    let pools = teams::pools(inputs.plan, inputs.items)?;
    let mut exclusions = Exclusions::new(inputs.plan, inputs.conflicts, inputs.history);
    for (i, e) in &state.recusals {
        exclusions.add(i, e);
    }
    // An explicit cap binds amendments too; the default (balanced) share is a target that a
    // replacement may exceed by one, or a recusal in a tight pool could never be served.
    let slack = u32::from(inputs.plan.team.workload_cap.is_none());
    let cap_of = |label: &str| {
        sheet
            .pools
            .iter()
            .find(|p| p.label == label)
            .map(|p| p.cap.saturating_add(slack))
    };
    let region: std::collections::HashMap<&str, &str> = inputs
        .entities
        .iter()
        .map(|e| (e.id.as_str(), e.region.as_str()))
        .collect();
    let target = |id: &str| Target {
        id: id.to_string(),
        region: region.get(id).unwrap_or(&"").to_string(),
    };
    let pool_members = |pool: &teams::PoolSpec, team: &SheetEntity| -> Vec<String> {
        team.officers
            .iter()
            .chain(&team.experts)
            .filter(|id| {
                inputs
                    .inspectors
                    .iter()
                    .any(|i| &i.id == *id && pool.admits(i))
            })
            .cloned()
            .collect()
    };
    let outcome = match &action {
        Action::ReplaceEntity { entity } => {
            if !state.entities.iter().any(|e| &e.id == entity) {
                return Err(DrawError::NotInSheet {
                    what: "entity",
                    id: entity.clone(),
                }
                .into());
            }
            let stratum = *strata_of.get(entity).ok_or_else(|| DrawError::NotInSheet {
                what: "entity",
                id: entity.clone(),
            })?;
            let members = &population[&stratum];
            let k = sheet
                .strata
                .iter()
                .find(|s| s.stratum == stratum.label())
                .map_or(0, |s| s.k);
            let used = k + state.replacements.get(&stratum).copied().unwrap_or(0);
            let new_id = continue_stratum(&seed, stratum, members, used, 1)
                .pop()
                .ok_or_else(|| DrawError::StratumExhausted {
                    stratum: stratum.label().to_string(),
                })?;
            let mut current: Vec<SheetEntity> = state
                .entities
                .iter()
                .filter(|e| &e.id != entity)
                .cloned()
                .collect();
            let name = inputs
                .entities
                .iter()
                .find(|e| e.id == new_id)
                .map(|e| e.name.clone())
                .unwrap_or_default();
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
            current.push(new.clone());
            let targets: Vec<Target> = current.iter().map(|e| target(&e.id)).collect();
            let last = current.len() - 1;
            for pool in &pools {
                let mut preset: Vec<Vec<String>> =
                    current.iter().map(|e| pool_members(pool, e)).collect();
                preset[last].clear();
                let got = teams::assign_pool(
                    pool,
                    inputs.inspectors,
                    &targets,
                    &preset,
                    &vec![pool.per_entity; targets.len()],
                    cap_of(&pool.label),
                    &exclusions,
                    Stream::new(&seed, &format!("amend/{seq}/{}", pool.label)),
                )?;
                let team = got.teams[last].clone();
                match pool.kind {
                    InspectorKind::Officer => new.officers.extend(team),
                    InspectorKind::Expert => new.experts.extend(team),
                }
            }
            Outcome::ReplaceEntity { entity: new }
        }
        Action::ReplaceInspector { entity, inspector } => {
            let Some(team) = state.entities.iter().find(|e| &e.id == entity) else {
                return Err(DrawError::NotInSheet {
                    what: "entity",
                    id: entity.clone(),
                }
                .into());
            };
            if !team.officers.contains(inspector) && !team.experts.contains(inspector) {
                return Err(DrawError::NotInSheet {
                    what: "inspector",
                    id: inspector.clone(),
                }
                .into());
            }
            let record = inputs.inspectors.iter().find(|i| &i.id == inspector);
            let pool = pools
                .iter()
                .find(|p| record.is_some_and(|r| p.admits(r)))
                .ok_or_else(|| DrawError::NotInSheet {
                    what: "inspector",
                    id: inspector.clone(),
                })?;
            exclusions.add(inspector, entity);
            let targets: Vec<Target> = state.entities.iter().map(|e| target(&e.id)).collect();
            let t = state
                .entities
                .iter()
                .position(|e| &e.id == entity)
                .unwrap_or(0);
            let mut preset: Vec<Vec<String>> = state
                .entities
                .iter()
                .map(|e| pool_members(pool, e))
                .collect();
            preset[t].retain(|i| i != inspector);
            let before = preset[t].clone();
            let got = teams::assign_pool(
                pool,
                inputs.inspectors,
                &targets,
                &preset,
                &vec![pool.per_entity; targets.len()],
                cap_of(&pool.label),
                &exclusions,
                Stream::new(&seed, &format!("amend/{seq}/{}", pool.label)),
            )?;
            let new = got.teams[t]
                .iter()
                .find(|i| !before.contains(i))
                .cloned()
                .ok_or_else(|| DrawError::NotInSheet {
                    what: "inspector",
                    id: inspector.clone(),
                })?;
            Outcome::ReplaceInspector { inspector: new }
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
    Ok(Amendment {
        format: AMENDMENT_FORMAT.into(),
        version: VERSION.into(),
        draw_id: sheet.draw_id.clone(),
        sheet: sheet.digest()?,
        seq,
        previous: previous.last().map(Amendment::digest).transpose()?,
        action,
        reason,
        inspectors: super::sheet::named_inspectors(&named, inputs),
        outcome,
        amended_at,
    })
}
