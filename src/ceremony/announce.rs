//! The announcement (抽查公告): the signed, pre-draw commitment to everything (SPEC §9).
//!
//! Published before any secret is revealed, it fixes the digests of every input, the
//! parties' commitments, the beacon named in advance, the time, the algorithm version,
//! the organizer's key and the head of the office's log. Its file is its canonical JSON,
//! so its digest is what `sha256sum announcement.json` prints.

use super::beacon::BeaconSpec;
use super::commit::Party;
use super::{CeremonyError, Timestamp};
use crate::digest::Digest32;
use crate::draw::DrawInputs;
use crate::formats::jcs;
use crate::formats::roster::{FastDigest, rows_digest};
use crate::model::{Date, Plan};
use serde::{Deserialize, Serialize};

/// The algorithm version this library implements.
pub const VERSION: &str = "v2";
/// `format` of announcements.
pub const ANNOUNCEMENT_FORMAT: &str = "double-random/announcement";

/// The public identification of the plan, repeated in announcement and sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanRef {
    /// 抽查计划编号.
    pub plan_id: String,
    /// 抽查计划名称.
    pub plan_name: String,
    /// 抽查任务编号.
    pub task_id: String,
    /// 抽查任务名称.
    pub task_name: String,
    /// 批次.
    pub batch: String,
    /// 抽查机关.
    pub authority: String,
    /// 定向 or 不定向.
    pub directed: bool,
    /// The draw date of the plan.
    pub draw_date: Date,
    /// Item ids.
    pub items: Vec<String>,
}

impl PlanRef {
    /// The identification of `plan`.
    pub fn of(plan: &Plan) -> Self {
        PlanRef {
            plan_id: plan.plan_id.clone(),
            plan_name: plan.plan_name.clone(),
            task_id: plan.task_id.clone(),
            task_name: plan.task_name.clone(),
            batch: plan.batch.clone(),
            authority: plan.authority.clone(),
            directed: plan.directed,
            draw_date: plan.draw_date,
            items: plan.items.clone(),
        }
    }
}

/// Digest and row count of one input table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputRef {
    /// Table digest (SPEC §3).
    pub digest: Digest32,
    /// Number of rows.
    pub rows: u64,
}

/// The fingerprints of every input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputDigests {
    /// Entity roster.
    pub entities: InputRef,
    /// Inspector roster.
    pub inspectors: InputRef,
    /// Item list.
    pub items: InputRef,
    /// Conflicts.
    pub conflicts: InputRef,
    /// History.
    pub history: InputRef,
    /// Plan: SHA-256 of its canonical JSON.
    pub plan: Digest32,
}

impl InputDigests {
    /// Computes every digest of `inputs`.
    ///
    /// Each table's digest is [`crate::formats::jcs::table_digest_of`] over its rows; every row type
    /// writes its own canonical JSON rather than going through serde, and a table of more than
    /// a few tens of thousands of rows is hashed on every core.
    ///
    /// ```
    /// use double_random::{ceremony::announce::InputDigests, draw};
    /// let inputs = draw::example_inputs();
    /// let mut shuffled = inputs.clone();
    /// shuffled.entities.reverse();
    /// assert_eq!(
    ///     InputDigests::of(&inputs.as_inputs()).unwrap(),
    ///     InputDigests::of(&shuffled.as_inputs()).unwrap()
    /// );
    /// ```
    pub fn of(inputs: &DrawInputs<'_>) -> Result<Self, jcs::JcsError> {
        // Each row type writes its own canonical JSON (property-tested against serde's), and
        // large tables are hashed on every core.
        fn r<T: FastDigest>(rows: &[T]) -> InputRef {
            InputRef {
                digest: rows_digest(rows),
                rows: rows.len() as u64,
            }
        }
        Ok(InputDigests {
            entities: r(inputs.entities),
            inspectors: r(inputs.inspectors),
            items: r(inputs.items),
            conflicts: r(inputs.conflicts),
            history: r(inputs.history),
            plan: plan_digest(inputs.plan)?,
        })
    }

    /// Names of the inputs whose digests differ between `self` (announced) and `found`.
    pub fn differences(&self, found: &InputDigests) -> Vec<(&'static str, Digest32, Digest32)> {
        let mut v = vec![];
        for (name, a, b) in [
            ("entities", self.entities, found.entities),
            ("inspectors", self.inspectors, found.inspectors),
            ("items", self.items, found.items),
            ("conflicts", self.conflicts, found.conflicts),
            ("history", self.history, found.history),
        ] {
            if a != b {
                v.push((name, a.digest, b.digest));
            }
        }
        if self.plan != found.plan {
            v.push(("plan", self.plan, found.plan));
        }
        v
    }
}

/// The plan digest: SHA-256 of the plan's canonical JSON (one function, kept with the plan's
/// reader).
pub use crate::formats::plan_toml::plan_digest;

/// The announcement document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Announcement {
    /// Always `double-random/announcement`.
    pub format: String,
    /// Algorithm version (`v1`).
    pub version: String,
    /// The draw's id, unique in the office's log.
    pub draw_id: String,
    /// The plan's identification.
    pub plan: PlanRef,
    /// Input fingerprints.
    pub inputs: InputDigests,
    /// Parties and their commitments, in the order their secrets enter the seed.
    pub parties: Vec<Party>,
    /// The public beacon named in advance, if any.
    pub beacon: Option<BeaconSpec>,
    /// When the announcement was made (UTC).
    pub announced_at: Timestamp,
    /// When the draw is scheduled (UTC); no earlier than `announced_at`.
    pub scheduled_at: Timestamp,
    /// The organizer's signing key id (16 upper-case hex digits, as minisign shows it).
    pub key_id: String,
    /// Its own position in the office log.
    pub log: super::log::Position,
    /// Digest of the void of the task's latest earlier draw, if the task was announced before.
    pub supersedes: Option<Digest32>,
}

impl Announcement {
    /// Canonical JSON bytes (the file's content).
    pub fn to_canonical(&self) -> Result<Vec<u8>, jcs::JcsError> {
        jcs::to_canonical(self)
    }

    /// Parses a published announcement, refusing non-canonical bytes and other formats.
    pub fn parse(bytes: &[u8]) -> Result<Self, CeremonyError> {
        let a: Announcement = jcs::parse_canonical(bytes).map_err(|e| CeremonyError::Document {
            document: "announcement",
            source: e,
        })?;
        super::check_format(&a.format, ANNOUNCEMENT_FORMAT, &a.version)?;
        Ok(a)
    }

    /// Digest of the canonical bytes.
    pub fn digest(&self) -> Result<Digest32, jcs::JcsError> {
        Ok(Digest32::of(&self.to_canonical()?))
    }

    /// Checks the announcement's own consistency (SPEC §9): unique party names, exactly one
    /// organizer, times in order, a beacon published at least [`super::MARGIN_SECONDS`] after
    /// the announcement and no later than the scheduled draw.
    pub fn check(&self) -> Result<(), CeremonyError> {
        crate::names::check(crate::names::NameKind::DrawId, &self.draw_id)
            .map_err(|e| CeremonyError::Name(Box::new(e)))?;
        for p in &self.parties {
            crate::names::check(crate::names::NameKind::PartyName, &p.name)
                .map_err(|e| CeremonyError::Name(Box::new(e)))?;
        }
        let mut names: Vec<&str> = self.parties.iter().map(|p| p.name.as_str()).collect();
        names.sort_unstable();
        if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(CeremonyError::DuplicateParty {
                name: w[0].to_string(),
            });
        }
        let organizers = self
            .parties
            .iter()
            .filter(|p| p.role == super::commit::Role::Organizer)
            .count();
        if organizers != 1 {
            return Err(CeremonyError::Organizers { found: organizers });
        }
        if self.scheduled_at.unix() < self.announced_at.unix() {
            return Err(CeremonyError::ScheduledBeforeAnnounced);
        }
        if let Some(b) = &self.beacon {
            b.validate()?;
            b.check_named_in_advance(self.announced_at.unix(), super::MARGIN_SECONDS)?;
            let beacon_time = b.time()?;
            if beacon_time > self.scheduled_at.unix() {
                return Err(CeremonyError::BeaconAfterDraw {
                    beacon_time,
                    draw_time: self.scheduled_at.unix(),
                });
            }
        }
        Ok(())
    }

    /// Whether anything but the office contributes randomness: a witness or a beacon.
    pub fn has_independent_randomness(&self) -> bool {
        self.beacon.is_some()
            || self
                .parties
                .iter()
                .any(|p| p.role == super::commit::Role::Witness)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::jcs::table_digest_of;

    #[test]
    fn input_digests_are_the_serde_table_digests() {
        use crate::model::{Conflict, HistoryKind, HistoryRecord};
        let mut owned = crate::draw::example_inputs();
        owned.conflicts.push(Conflict {
            inspector: owned.inspectors[0].id.clone(),
            entity: owned.entities[0].id.clone(),
            reason: "亲属\"关系\"".into(),
        });
        owned.history.push(HistoryRecord {
            entity: owned.entities[1].id.clone(),
            date: Date::from_ymd(2025, 9, 3).unwrap(),
            item: owned.items[0].id.clone(),
            inspectors: vec!["B2".into(), "A1".into()],
            kind: HistoryKind::ALL[1],
        });
        let inputs = owned.as_inputs();
        let d = InputDigests::of(&inputs).unwrap();
        for (kind, got, want) in [
            (
                "entities",
                d.entities,
                table_digest_of("entities", inputs.entities),
            ),
            (
                "inspectors",
                d.inspectors,
                table_digest_of("inspectors", inputs.inspectors),
            ),
            ("items", d.items, table_digest_of("items", inputs.items)),
            (
                "conflicts",
                d.conflicts,
                table_digest_of("conflicts", inputs.conflicts),
            ),
            (
                "history",
                d.history,
                table_digest_of("history", inputs.history),
            ),
        ] {
            assert_eq!(got.digest, want.unwrap(), "{kind}");
        }
        assert_eq!(d.entities.rows, inputs.entities.len() as u64);
        assert_eq!((d.conflicts.rows, d.history.rows), (1, 1));
    }
}
