//! The result sheet (抽查结果): the signed, replayable record of a draw (SPEC §10).
//!
//! A sheet holds the announcement digest, the revealed secrets, the beacon value, the
//! seed, each stratum's population n and count k (so every entity's chance k/n is
//! public), the drawn entities with their teams, and the time. It never shows an
//! entity's risk class unless the plan allows it.

use super::announce::{Announcement, PlanRef, VERSION};
use super::beacon::{self, BeaconValue};
use super::commit::{Reveal, Secret, commitment, derive_seed};
use super::source::{DrawSource, SourceError};
use super::{CeremonyError, Timestamp};
use crate::digest::Digest32;
use crate::draw::entities::Exclusion;
use crate::draw::{self, DrawInputs, DrawResult, PoolSummary};
use crate::formats::jcs;
use crate::model::{InspectorKind, Stratum};
use serde::{Deserialize, Serialize};

/// `format` of sheets.
pub const SHEET_FORMAT: &str = "double-random/sheet";

/// One stratum on the sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetStratum {
    /// Stratum label (`all`, `A`…`E`, `unclassified`).
    pub stratum: String,
    /// Population.
    pub n: u64,
    /// Drawn.
    pub k: u64,
    /// Digest of the sorted member ids (SPEC §6.5).
    pub members_digest: Digest32,
}

/// Counts of roster entities left out of the population.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Excluded {
    /// By the plan's filters.
    pub filtered: u64,
    /// By the repeat window.
    pub recently_inspected: u64,
    /// By the yearly cap.
    pub yearly_cap: u64,
}

/// One drawn entity and its team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetEntity {
    /// Entity id (统一社会信用代码).
    pub id: String,
    /// 名称.
    pub name: String,
    /// Stratum label; present only when the plan publishes risk classes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stratum: Option<String>,
    /// Officers; the first is the lead (主检).
    pub officers: Vec<String>,
    /// Experts.
    pub experts: Vec<String>,
}

/// An inspector named on the sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetInspector {
    /// Certificate number.
    pub id: String,
    /// 姓名.
    pub name: String,
    /// Department.
    pub department: String,
    /// Officer or expert.
    pub kind: InspectorKind,
}

/// The result sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sheet {
    /// Always `double-random/sheet`.
    pub format: String,
    /// Algorithm version.
    pub version: String,
    /// The draw's id.
    pub draw_id: String,
    /// Digest of the announcement.
    pub announcement: Digest32,
    /// Plan identification.
    pub plan: PlanRef,
    /// Revealed secrets, in announcement order.
    pub reveals: Vec<Reveal>,
    /// Beacon value, when the announcement names a beacon.
    pub beacon: Option<BeaconValue>,
    /// The derived seed.
    pub seed: Digest32,
    /// When the draw was run (UTC).
    pub drawn_at: Timestamp,
    /// Strata with n and k.
    pub strata: Vec<SheetStratum>,
    /// Entities left out of the population.
    pub excluded: Excluded,
    /// Inspector pools with size and workload cap.
    pub pools: Vec<PoolSummary>,
    /// Drawn entities in ascending id order.
    pub entities: Vec<SheetEntity>,
    /// Every inspector on a team, in ascending id order.
    pub inspectors: Vec<SheetInspector>,
    /// Its position in the office log.
    pub log: super::log::Position,
}

impl Sheet {
    /// Canonical JSON bytes.
    pub fn to_canonical(&self) -> Result<Vec<u8>, jcs::JcsError> {
        jcs::to_canonical(self)
    }

    /// Digest of the canonical bytes.
    pub fn digest(&self) -> Result<Digest32, jcs::JcsError> {
        Ok(Digest32::of(&self.to_canonical()?))
    }

    /// Parses a published sheet, refusing non-canonical bytes and other formats.
    pub fn parse(bytes: &[u8]) -> Result<Self, CeremonyError> {
        let s: Sheet = jcs::parse_canonical(bytes).map_err(|e| CeremonyError::Document {
            document: "sheet",
            source: e,
        })?;
        super::check_format(&s.format, SHEET_FORMAT, &s.version)?;
        Ok(s)
    }
}

/// Checks the reveals against the announcement and derives the seed (SPEC §8).
///
/// Reveals must name every party of the announcement, in its order; each secret must
/// match its commitment; the beacon value must verify against the beacon named.
pub fn seed_for(
    announcement: &Announcement,
    announcement_digest: &Digest32,
    reveals: &[Reveal],
    beacon_value: Option<&BeaconValue>,
) -> Result<Digest32, CeremonyError> {
    if reveals.len() != announcement.parties.len() {
        return Err(CeremonyError::RevealCount {
            expected: announcement.parties.len(),
            found: reveals.len(),
        });
    }
    let mut secrets = Vec::with_capacity(reveals.len());
    for (party, reveal) in announcement.parties.iter().zip(reveals) {
        if party.name != reveal.name {
            return Err(CeremonyError::RevealOrder {
                expected: party.name.clone(),
                found: reveal.name.clone(),
            });
        }
        let secret = Secret::from_bytes(reveal.secret.0);
        if commitment(&announcement.draw_id, &party.name, &secret) != party.commitment {
            return Err(CeremonyError::CommitmentMismatch {
                party: party.name.clone(),
            });
        }
        secrets.push(reveal.secret.0);
    }
    let beacon_bytes = match (&announcement.beacon, beacon_value) {
        (None, None) => None,
        (Some(spec), Some(v)) => Some(beacon::verify(spec, v)?),
        (Some(_), None) => return Err(CeremonyError::BeaconMissing),
        (None, Some(_)) => return Err(CeremonyError::BeaconNotAnnounced),
    };
    Ok(derive_seed(
        announcement_digest,
        &secrets,
        beacon_bytes.as_deref(),
    ))
}

/// Runs the draw of an announced ceremony and builds its sheet (SPEC §10).
///
/// Checks that `inputs` are the announced ones (every digest), that the reveals match
/// the commitments and the beacon value the named beacon, that the draw is no earlier than
/// scheduled and than the beacon, then draws. `log` is the sheet's own log position.
///
/// ```
/// use double_random::ceremony::{self, commit::*, announce::*, sheet::*, Timestamp};
/// use double_random::draw;
/// let inputs = draw::example_inputs();
/// let secret = Secret::from_bytes([7; 32]);
/// let ann = Announcement {
///     format: ANNOUNCEMENT_FORMAT.into(), version: VERSION.into(), draw_id: "D1".into(),
///     plan: PlanRef::of(&inputs.plan),
///     inputs: InputDigests::of(&inputs.as_inputs()).unwrap(),
///     parties: vec![Party { name: "organizer".into(), role: Role::Organizer,
///         commitment: commitment("D1", "organizer", &secret) }],
///     beacon: None,
///     announced_at: "2026-03-01T01:00:00Z".parse().unwrap(),
///     scheduled_at: "2026-03-01T02:00:00Z".parse().unwrap(),
///     key_id: "0000000000000001".into(),
///     log: ceremony::log::Position { seq: 1, prev: None }, supersedes: None,
/// };
/// let reveals = vec![Reveal { name: "organizer".into(), secret: double_random::Digest32(*secret.as_bytes()) }];
/// let at = ceremony::log::Position { seq: 2, prev: None };
/// let sheet = run(&ann, &reveals, None, &inputs.as_inputs(), "2026-03-01T02:00:00Z".parse().unwrap(), at).unwrap();
/// assert_eq!(sheet.entities.len(), sheet.strata.iter().map(|s| s.k).sum::<u64>() as usize);
/// ```
pub fn run(
    announcement: &Announcement,
    reveals: &[Reveal],
    beacon_value: Option<&BeaconValue>,
    inputs: &DrawInputs<'_>,
    drawn_at: Timestamp,
    log: super::log::Position,
) -> Result<Sheet, CeremonyError> {
    check_draw_time(announcement, drawn_at)?;
    let found = super::announce::InputDigests::of(inputs)?;
    if let Some((name, expected, got)) = announcement.inputs.differences(&found).first() {
        return Err(CeremonyError::InputChanged {
            input: name,
            announced: *expected,
            found: *got,
        });
    }
    let ann_digest = announcement.digest()?;
    let seed = seed_for(announcement, &ann_digest, reveals, beacon_value)?;
    let result = draw::run(inputs, &seed)?;
    Ok(build(
        announcement,
        &ann_digest,
        reveals,
        beacon_value,
        seed,
        drawn_at,
        log,
        inputs,
        &result,
    ))
}

/// [`run`] on any [`DrawSource`]: the inputs in memory or streamed by a store.
///
/// Checks the draw time and the reveals first (before any input is read), then lets the
/// source check its inputs' digests against the announcement and draw; builds the sheet from
/// the result and the rows the source gives.
///
/// # Errors
///
/// As [`run`]; a store's own failure is [`SourceError::Store`].
pub fn run_from(
    announcement: &Announcement,
    reveals: &[Reveal],
    beacon_value: Option<&BeaconValue>,
    source: &dyn DrawSource,
    drawn_at: Timestamp,
    log: super::log::Position,
) -> Result<Sheet, SourceError> {
    check_draw_time(announcement, drawn_at)?;
    let ann_digest = announcement.digest().map_err(CeremonyError::from)?;
    let seed = seed_for(announcement, &ann_digest, reveals, beacon_value)?;
    let drawn = source.draw(&announcement.inputs, &seed)?;
    let named = DrawInputs {
        plan: source.plan(),
        entities: &drawn.entities,
        inspectors: &drawn.inspectors,
        items: &[],
        conflicts: &[],
        history: &[],
    };
    Ok(build(
        announcement,
        &ann_digest,
        reveals,
        beacon_value,
        seed,
        drawn_at,
        log,
        &named,
        &drawn.result,
    ))
}

/// Checks that a draw at `drawn_at` is no earlier than scheduled and than the beacon's time.
pub fn check_draw_time(
    announcement: &Announcement,
    drawn_at: Timestamp,
) -> Result<(), CeremonyError> {
    if let Some(b) = &announcement.beacon {
        let beacon_time = b.time()?;
        if drawn_at.unix() < beacon_time {
            return Err(CeremonyError::BeaconAfterDraw {
                beacon_time,
                draw_time: drawn_at.unix(),
            });
        }
    }
    Ok(())
}

/// Assembles a sheet from a draw result.
#[allow(clippy::too_many_arguments)]
pub fn build(
    announcement: &Announcement,
    announcement_digest: &Digest32,
    reveals: &[Reveal],
    beacon_value: Option<&BeaconValue>,
    seed: Digest32,
    drawn_at: Timestamp,
    log: super::log::Position,
    inputs: &DrawInputs<'_>,
    result: &DrawResult,
) -> Sheet {
    let publish = inputs.plan.publish_risk;
    let names: std::collections::HashMap<&str, &str> = inputs
        .entities
        .iter()
        .map(|e| (e.id.as_str(), e.name.as_str()))
        .collect();
    let entities: Vec<SheetEntity> = result
        .assignments
        .iter()
        .map(|a| SheetEntity {
            id: a.entity.clone(),
            name: names.get(a.entity.as_str()).unwrap_or(&"").to_string(),
            stratum: publish.then(|| a.stratum.label().to_string()),
            officers: a.officers.clone(),
            experts: a.experts.clone(),
        })
        .collect();
    let count = |x: Exclusion| result.excluded.get(&x).copied().unwrap_or(0);
    Sheet {
        format: SHEET_FORMAT.into(),
        version: VERSION.into(),
        draw_id: announcement.draw_id.clone(),
        announcement: *announcement_digest,
        plan: announcement.plan.clone(),
        reveals: reveals.to_vec(),
        beacon: beacon_value.cloned(),
        seed,
        drawn_at,
        strata: result
            .strata
            .iter()
            .map(|s| SheetStratum {
                stratum: s.stratum.label().to_string(),
                n: s.n,
                k: s.k,
                members_digest: s.members_digest,
            })
            .collect(),
        excluded: Excluded {
            filtered: count(Exclusion::Filtered),
            recently_inspected: count(Exclusion::RecentlyInspected),
            yearly_cap: count(Exclusion::YearlyCap),
        },
        pools: result.pools.clone(),
        inspectors: named_inspectors(&entities, inputs),
        entities,
        log,
    }
}

/// Every inspector who appears on a team, with name and department, sorted by id.
pub fn named_inspectors(entities: &[SheetEntity], inputs: &DrawInputs<'_>) -> Vec<SheetInspector> {
    // Hashed, not ordered: a national draw names each of a few thousand inspectors hundreds of
    // times; the few kept are put in order below.
    let used: std::collections::HashSet<&str> = entities
        .iter()
        .flat_map(|e| e.officers.iter().chain(&e.experts))
        .map(String::as_str)
        .collect();
    inputs
        .inspectors
        .iter()
        .filter(|i| used.contains(i.id.as_str()))
        .map(|i| {
            (
                i.id.as_str(),
                SheetInspector {
                    id: i.id.clone(),
                    name: i.name.clone(),
                    department: i.department.clone(),
                    kind: i.kind,
                },
            )
        })
        .collect::<std::collections::BTreeMap<_, _>>()
        .into_values()
        .collect()
}

/// The stratum of a sheet label.
pub fn stratum_of_label(label: &str) -> Option<Stratum> {
    Stratum::parse(label)
}
