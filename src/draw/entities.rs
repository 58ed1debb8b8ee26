//! The entity draw (随机抽取检查对象): population, strata, quotas and sampling (SPEC §6).
//!
//! The population is the roster after the plan's filters and the repeat rules. Each
//! stratum's members are put in canonical order (ascending id bytes) and sampled without
//! replacement on the stratum's own stream, so reordering the roster changes nothing,
//! resizing one stratum never moves another's picks, and one more pick never changes the
//! earlier ones.

use super::DrawError;
use crate::digest::{Digest32, Framed};
use crate::model::{Entity, HistoryKind, HistoryRecord, Plan, Stratum};
use crate::rng::{Sampler, Stream};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Domain tag of a stratum's member digest.
pub const MEMBERS_TAG: &str = "double-random/v1/members";

/// Why an entity that passed the filters is still left out of the population.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// Left out by the plan's filters.
    Filtered,
    /// Inspected within the repeat window before the draw date.
    RecentlyInspected,
    /// Reached the yearly cap of random inspections.
    YearlyCap,
}

/// Per-entity counts of past random inspections relevant to the repeat rules.
///
/// Built once from the history table; answers "is this entity excluded?" in O(1).
///
/// ```
/// use double_random::{draw::entities::RepeatIndex, model::*};
/// let plan_date: Date = "2026-06-01".parse().unwrap();
/// let h = HistoryRecord { entity: "E1".into(), date: "2026-05-20".parse().unwrap(),
///     item: "I1".into(), inspectors: vec![], kind: HistoryKind::Random };
/// let idx = RepeatIndex::new(&[h], &RepeatRules { entity_window_days: Some(30),
///     ..Default::default() }, &["I1".to_string()], plan_date);
/// assert!(idx.excludes("E1").is_some());
/// assert!(idx.excludes("E2").is_none());
/// ```
#[derive(Debug, Default)]
pub struct RepeatIndex {
    recent: std::collections::HashSet<String>,
    this_year: HashMap<String, u32>,
    yearly_cap: Option<u32>,
}

impl RepeatIndex {
    /// Indexes `history` for `rules` as of `draw_date` (SPEC §6.2).
    pub fn new(
        history: &[HistoryRecord],
        rules: &crate::model::RepeatRules,
        plan_items: &[String],
        draw_date: crate::model::Date,
    ) -> Self {
        let mut idx = RepeatIndex {
            yearly_cap: rules.entity_yearly_cap,
            ..Default::default()
        };
        for h in history {
            idx.add(h, rules, plan_items, draw_date);
        }
        idx
    }

    /// Indexes one more history row, as [`RepeatIndex::new`] does each of its rows; for
    /// history read as a stream. Start from `RepeatIndex::new(&[], …)`.
    ///
    /// ```
    /// use double_random::{draw::entities::RepeatIndex, model::*};
    /// let date: Date = "2026-06-01".parse().unwrap();
    /// let rules = RepeatRules { entity_window_days: Some(30), ..Default::default() };
    /// let mut idx = RepeatIndex::new(&[], &rules, &[], date);
    /// let h = HistoryRecord { entity: "E1".into(), date: "2026-05-20".parse().unwrap(),
    ///     item: "I1".into(), inspectors: vec![], kind: HistoryKind::Random };
    /// idx.add(&h, &rules, &[], date);
    /// assert!(idx.excludes("E1").is_some());
    /// ```
    pub fn add(
        &mut self,
        h: &HistoryRecord,
        rules: &crate::model::RepeatRules,
        plan_items: &[String],
        draw_date: crate::model::Date,
    ) {
        if h.kind != HistoryKind::Random {
            return;
        }
        if rules.same_items_only && !plan_items.contains(&h.item) {
            return;
        }
        let days = draw_date.days_since(&h.date);
        if days < 0 {
            return;
        }
        if let Some(w) = rules.entity_window_days
            && days < i64::from(w)
        {
            self.recent.insert(h.entity.clone());
        }
        if rules.entity_yearly_cap.is_some() && h.date.year() == draw_date.year() {
            *self.this_year.entry(h.entity.clone()).or_default() += 1;
        }
    }

    /// Whether the repeat rules leave `entity` out, and why.
    pub fn excludes(&self, entity: &str) -> Option<Exclusion> {
        if self.recent.contains(entity) {
            return Some(Exclusion::RecentlyInspected);
        }
        match (self.yearly_cap, self.this_year.get(entity)) {
            (Some(cap), Some(&n)) if n >= cap => Some(Exclusion::YearlyCap),
            _ => None,
        }
    }
}

/// The population of a draw, built one entity at a time so rosters can be streamed.
///
/// Keeps only the id of each member (and its stratum), not the whole record.
///
/// ```
/// use double_random::draw::entities::{Population, RepeatIndex};
/// # use double_random::model::*;
/// # let plan = double_random::draw::example_plan();
/// let mut pop = Population::new(&plan, RepeatIndex::default());
/// # let e = double_random::draw::example_entity("91520100MA6DKQ1U8B", RiskClass::A);
/// pop.add(&e).unwrap();
/// assert_eq!(pop.len(), 1);
/// ```
pub struct Population<'p> {
    plan: &'p Plan,
    repeat: RepeatIndex,
    members: BTreeMap<Stratum, Vec<String>>,
    excluded: BTreeMap<Exclusion, u64>,
    general_cap_bp: Option<u32>,
}

impl<'p> Population<'p> {
    /// An empty population for `plan`.
    pub fn new(plan: &'p Plan, repeat: RepeatIndex) -> Self {
        let members = plan
            .strata_labels()
            .into_iter()
            .map(|s| (s, vec![]))
            .collect();
        Population {
            plan,
            repeat,
            members,
            excluded: BTreeMap::new(),
            general_cap_bp: None,
        }
    }

    /// Applies the general-item ratio cap (set when every item of the plan is general).
    pub fn with_general_cap(mut self, cap_bp: Option<u32>) -> Self {
        self.general_cap_bp = cap_bp;
        self
    }

    /// Offers one roster entity; returns its stratum if it joins the population.
    pub fn add(&mut self, e: &Entity) -> Result<Option<Stratum>, DrawError> {
        if !self.plan.filters.admits(e) {
            *self.excluded.entry(Exclusion::Filtered).or_default() += 1;
            return Ok(None);
        }
        if let Some(why) = self.repeat.excludes(&e.id) {
            *self.excluded.entry(why).or_default() += 1;
            return Ok(None);
        }
        let s = self
            .plan
            .stratum_of(e)
            .ok_or_else(|| DrawError::NoStratum {
                entity: e.id.clone(),
                risk: e.risk.map(|r| r.as_str().to_string()),
            })?;
        self.members.entry(s).or_default().push(e.id.clone());
        Ok(Some(s))
    }

    /// Number of members so far.
    pub fn len(&self) -> usize {
        self.members.values().map(Vec::len).sum()
    }

    /// Whether no entity joined.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The members of every stratum, sorted, duplicates refused.
    pub fn into_members(self) -> Result<BTreeMap<Stratum, Vec<String>>, DrawError> {
        let mut out = self.members;
        for ids in out.values_mut() {
            ids.sort_unstable();
            if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
                return Err(DrawError::DuplicateEntity { id: w[0].clone() });
            }
        }
        Ok(out)
    }

    /// Draws every stratum with `seed` (SPEC §6.3–6.4).
    ///
    /// Each stratum is counted with [`stratum_count`] and drawn with [`draw_stratum`], the
    /// two steps the streamed draw (`pipeline`) takes on its packed members.
    pub fn draw(self, seed: &Digest32) -> Result<EntityDraw, DrawError> {
        let cap = self.general_cap_bp;
        let mut strata = Vec::with_capacity(self.members.len());
        for (stratum, mut ids) in self.members {
            ids.sort_unstable();
            if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
                return Err(DrawError::DuplicateEntity { id: w[0].clone() });
            }
            let n = ids.len() as u64;
            let k = stratum_count(self.plan, stratum, n, cap)?;
            let (members_digest, picks) = draw_stratum(seed, stratum, n, k, |each| {
                for id in &ids {
                    each(id.as_bytes(), id);
                }
            });
            strata.push(StratumDraw {
                stratum,
                n,
                k,
                members_digest,
                picks,
            });
        }
        Ok(EntityDraw {
            strata,
            excluded: self.excluded,
        })
    }
}

/// How many of the `n` members of `stratum` are drawn: the plan's quota for `n` (SPEC §6.3),
/// refused when the general-item ratio cap `general_cap_bp` (basis points) is set and
/// exceeded.
///
/// ```
/// use double_random::{draw::entities::stratum_count, model::{RiskClass, Stratum}};
/// let plan = double_random::draw::example_plan(); // class A: 3%, class B: 10%
/// assert_eq!(stratum_count(&plan, Stratum::Risk(RiskClass::B), 100, None)?, 10);
/// // A general-item cap of 5% refuses class B's 10%.
/// assert!(stratum_count(&plan, Stratum::Risk(RiskClass::B), 100, Some(500)).is_err());
/// // A stratum the plan does not have.
/// assert!(stratum_count(&plan, Stratum::All, 100, None).is_err());
/// # Ok::<(), double_random::draw::DrawError>(())
/// ```
pub fn stratum_count(
    plan: &Plan,
    stratum: Stratum,
    n: u64,
    general_cap_bp: Option<u32>,
) -> Result<u64, DrawError> {
    let quota = plan.quota(stratum).ok_or_else(|| DrawError::NoStratum {
        entity: String::new(),
        risk: Some(stratum.label().to_string()),
    })?;
    let k = quota.count_for(n);
    if let Some(cap_bp) = general_cap_bp {
        let limit = (u128::from(n) * u128::from(cap_bp)).div_ceil(10_000) as u64;
        if k > limit {
            return Err(DrawError::GeneralCapExceeded {
                stratum: stratum.label().to_string(),
                n,
                k,
                cap_bp,
            });
        }
    }
    Ok(k)
}

/// Draws `k` of the `n` members of `stratum` (SPEC §6.4): the ranks come from the stratum's
/// stream first, then one pass over the members hashes them all into the member digest and
/// takes the picked ones. Returns the digest and the picks in draw order.
///
/// `members` calls its argument once for each member, in ascending order of id bytes, with
/// the id's bytes and the member; it must give exactly `n`. The member can be anything that
/// stands for a row: the id itself in memory, or a packed id and file position when the
/// roster is streamed, so both draws are this one function.
///
/// ```
/// use double_random::{Digest32, draw::entities::*, model::Stratum};
/// let ids: Vec<String> = (0..20).map(|i| format!("E{i:02}")).collect();
/// let seed = Digest32([4; 32]);
/// let (digest, picks) = draw_stratum(&seed, Stratum::All, 20, 3, |each| {
///     for id in &ids {
///         each(id.as_bytes(), id);
///     }
/// });
/// assert_eq!(digest, members_digest(Stratum::All, &ids));
/// assert_eq!(picks, continue_stratum(&seed, Stratum::All, &ids, 0, 3));
/// ```
pub fn draw_stratum<M: Clone>(
    seed: &Digest32,
    stratum: Stratum,
    n: u64,
    k: u64,
    members: impl FnOnce(&mut dyn FnMut(&[u8], &M)),
) -> (Digest32, Vec<M>) {
    let ranks = Sampler::new(Stream::new(seed, &stream_label(stratum)), n).take(k as usize);
    let mut wanted: Vec<(u64, usize)> = ranks.enumerate().map(|(o, r)| (r, o)).collect();
    wanted.sort_unstable();
    let mut picked: Vec<Option<M>> = vec![None; wanted.len()];
    let mut next = wanted.iter().peekable();
    let mut h = members_hasher(stratum, n);
    let mut rank = 0u64;
    members(&mut |id, m| {
        h.push(id);
        while let Some(&&(r, o)) = next.peek() {
            if r != rank {
                break;
            }
            picked[o] = Some(m.clone());
            next.next();
        }
        rank += 1;
    });
    (h.finish(), picked.into_iter().flatten().collect())
}

/// The member digest of a stratum of `n`, before its ids.
fn members_hasher(s: Stratum, n: u64) -> crate::digest::FramedParts {
    Framed::new(MEMBERS_TAG)
        .part(s.label().as_bytes())
        .part(&n.to_be_bytes())
        .buffered()
}

/// The stream label of a stratum's entity draw: `entities/<label>`.
///
/// ```
/// use double_random::{draw::entities::stream_label, model::Stratum};
/// assert_eq!(stream_label(Stratum::All), "entities/all");
/// ```
pub fn stream_label(s: Stratum) -> String {
    format!("entities/{}", s.label())
}

/// Digest of a stratum's member list: `Framed(MEMBERS_TAG, label, u64be(n), id_1 … id_n)`.
///
/// Published per stratum, so whoever holds that stratum's member list (and nothing else)
/// can check it and replay that stratum's picks. `ids` must be sorted.
///
/// ```
/// use double_random::{draw::entities::members_digest, model::Stratum};
/// let a = members_digest(Stratum::All, &["A".to_string(), "B".to_string()]);
/// assert_ne!(a, members_digest(Stratum::All, &["A".to_string()]));
/// ```
pub fn members_digest(s: Stratum, ids: &[String]) -> Digest32 {
    let mut h = members_hasher(s, ids.len() as u64);
    for id in ids {
        h.push(id.as_bytes());
    }
    h.finish()
}

/// Draws `k` more entities of one stratum after the first `already` picks.
///
/// Used by amendments (补抽): the replacement is the next pick of the same stream, so it is
/// fixed before anyone knows which entity will need replacing.
///
/// ```
/// use double_random::{Digest32, draw::entities::continue_stratum, model::Stratum};
/// let ids: Vec<String> = (0..20).map(|i| format!("E{i:02}")).collect();
/// let seed = Digest32([4; 32]);
/// let first = continue_stratum(&seed, Stratum::All, &ids, 0, 3);
/// let next = continue_stratum(&seed, Stratum::All, &ids, 3, 1);
/// let all4 = continue_stratum(&seed, Stratum::All, &ids, 0, 4);
/// assert_eq!([first, next].concat(), all4);
/// ```
pub fn continue_stratum(
    seed: &Digest32,
    stratum: Stratum,
    sorted_ids: &[String],
    already: u64,
    k: u64,
) -> Vec<String> {
    Sampler::new(
        Stream::new(seed, &stream_label(stratum)),
        sorted_ids.len() as u64,
    )
    .skip(already as usize)
    .take(k as usize)
    .map(|i| sorted_ids[i as usize].clone())
    .collect()
}

/// The draw of one stratum.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StratumDraw {
    /// Which stratum.
    #[serde(with = "stratum_serde")]
    pub stratum: Stratum,
    /// Population size.
    pub n: u64,
    /// Number drawn.
    pub k: u64,
    /// Digest of the sorted member ids.
    pub members_digest: Digest32,
    /// Drawn ids, in draw order.
    pub picks: Vec<String>,
}

/// The entity draw of all strata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityDraw {
    /// Strata in canonical order.
    pub strata: Vec<StratumDraw>,
    /// How many roster entities were left out, by reason.
    pub excluded: BTreeMap<Exclusion, u64>,
}

impl EntityDraw {
    /// Every drawn id with its stratum, in ascending id order.
    pub fn drawn(&self) -> Vec<(&str, Stratum)> {
        let mut v: Vec<(&str, Stratum)> = self
            .strata
            .iter()
            .flat_map(|s| s.picks.iter().map(move |p| (p.as_str(), s.stratum)))
            .collect();
        v.sort_unstable();
        v
    }
}

/// Serde for [`Stratum`] as its label.
pub mod stratum_serde {
    use crate::model::Stratum;

    /// Writes the label.
    pub fn serialize<S: serde::Serializer>(s: &Stratum, ser: S) -> Result<S::Ok, S::Error> {
        ser.serialize_str(s.label())
    }

    /// Reads a label.
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Stratum, D::Error> {
        let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        Stratum::parse(&s).ok_or_else(|| serde::de::Error::custom("unknown stratum label"))
    }
}
