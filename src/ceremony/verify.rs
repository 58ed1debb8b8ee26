//! Verification and replay: PASS, or a precise list of what differs (SPEC §13).
//!
//! Three depths, depending on what the checker holds:
//! - the public (announcement, sheet, signatures, public key): signatures, canonical form,
//!   citations, commitments against reveals, the beacon, the seed derivation; with the
//!   plan also each stratum's k against its n;
//! - whoever holds one stratum's member list: that stratum's picks ([`replay_stratum`]);
//! - whoever holds every input: the whole draw and every amendment, replayed bit for bit.
//!
//! Every check ([`Check`]) and finding ([`Finding`]) has a stable code ([`Check::code`],
//! [`Finding::code`]; the lists are [`CHECK_CODES`] and [`FINDING_CODES`], described in
//! `docs/MESSAGES.md`), so that programs and translations key on the code and the structured
//! fields, never on the English text of `Display`.

use super::CeremonyError;
use super::amend::{self, Amendment, ReasonCode};
use super::announce::{Announcement, InputDigests, plan_digest};
use super::log::{Divergence, LogFinding, OrderProblem};
use super::sheet::{self, Sheet};
use super::timestamp::TokenError;
use crate::digest::Digest32;
use crate::draw::entities::{continue_stratum, members_digest};
use crate::draw::{self, DrawError, DrawInputs};
use crate::formats::InputProblem;
use crate::model::{Entity, Inspector, Plan, Stratum};
use crate::sign::{self, PublicKey, SignError, Signature, TrustedComment};
use std::collections::BTreeMap;
use std::sync::Arc;

/// One check the verifier made: a line of its report, PASS or not.
///
/// ```
/// use double_random::ceremony::verify::Check;
/// let c = Check::Signature { document: "sheet.json".into() };
/// assert_eq!(c.code(), "check.signature");
/// assert_eq!(c.to_string(), "signature of sheet.json");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "code")]
#[non_exhaustive]
pub enum Check {
    /// `check.signature`: a document's signature and signed comment.
    #[serde(rename = "check.signature")]
    Signature {
        /// The document signed.
        document: String,
    },
    /// `check.sheet_cites`: the sheet cites the announcement (digest, draw id, plan, time).
    #[serde(rename = "check.sheet_cites")]
    SheetCitesAnnouncement,
    /// `check.seed`: commitments against reveals, the beacon, the seed derivation.
    #[serde(rename = "check.seed")]
    Seed,
    /// `check.quotas`: each stratum's k against the plan's quota for its n.
    #[serde(rename = "check.quotas")]
    Quotas,
    /// `check.inputs`: the input files' digests against the announcement.
    #[serde(rename = "check.inputs")]
    InputDigests,
    /// `check.replay`: the full replay of the draw.
    #[serde(rename = "check.replay")]
    Replay,
    /// `check.amendment_replay`: the replay of one amendment.
    #[serde(rename = "check.amendment_replay")]
    AmendmentReplay {
        /// The amendment's file.
        document: String,
    },
    /// `check.log`: the draw against the office log.
    #[serde(rename = "check.log")]
    OfficeLog,
}

/// Every [`Check::code`], in the order of the enum.
pub const CHECK_CODES: [&str; 8] = [
    "check.signature",
    "check.sheet_cites",
    "check.seed",
    "check.quotas",
    "check.inputs",
    "check.replay",
    "check.amendment_replay",
    "check.log",
];

impl Check {
    /// The stable code of this check (one of [`CHECK_CODES`]).
    pub fn code(&self) -> &'static str {
        match self {
            Check::Signature { .. } => CHECK_CODES[0],
            Check::SheetCitesAnnouncement => CHECK_CODES[1],
            Check::Seed => CHECK_CODES[2],
            Check::Quotas => CHECK_CODES[3],
            Check::InputDigests => CHECK_CODES[4],
            Check::Replay => CHECK_CODES[5],
            Check::AmendmentReplay { .. } => CHECK_CODES[6],
            Check::OfficeLog => CHECK_CODES[7],
        }
    }

    /// Whether `finding` is a failure of this check (so its line is marked failed).
    ///
    /// Findings about no single check (a missing signature file, an unreadable input) fail
    /// no line; they still make the verification FAIL.
    ///
    /// ```
    /// use double_random::ceremony::verify::{Check, Finding};
    /// let f = Finding::EntityMissing { id: "X".into() };
    /// assert!(Check::Replay.fails(&f));
    /// assert!(!Check::Seed.fails(&f));
    /// ```
    pub fn fails(&self, finding: &Finding) -> bool {
        let f = finding;
        match self {
            Check::Signature { document } => {
                matches!(f, Finding::Signature { .. } | Finding::SignedComment { .. })
                    && f.document() == Some(document.as_str())
            }
            Check::AmendmentReplay { document } => {
                f.document() == Some(document.as_str()) && !matches!(f, Finding::Signature { .. })
            }
            Check::SheetCitesAnnouncement => {
                matches!(f, Finding::Cites { document, .. } | Finding::TooEarly { document, .. }
                    | Finding::BeforeBeacon { document, .. } if document == "sheet.json")
            }
            Check::Seed => matches!(f, Finding::SeedInputs { .. } | Finding::Seed { .. }),
            Check::Quotas => matches!(
                f,
                Finding::Stratum { field: "k", .. } | Finding::Strata { .. }
            ),
            Check::InputDigests => matches!(f, Finding::InputChanged { .. }),
            Check::Replay => {
                matches!(
                    f,
                    Finding::EntityMissing { .. }
                        | Finding::EntityExtra { .. }
                        | Finding::EntityField { .. }
                        | Finding::ReplayFailed { .. }
                        | Finding::Stratum { .. }
                        | Finding::StratumMissing { .. }
                        | Finding::StratumExtra { .. }
                ) || matches!(f, Finding::Differs { document, .. } if document == "sheet.json")
            }
            Check::OfficeLog => matches!(
                f,
                Finding::Unpublished { .. }
                    | Finding::Reused { .. }
                    | Finding::Log { .. }
                    | Finding::NotInLog { .. }
            ),
        }
    }
}

impl std::fmt::Display for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Check::Signature { document } => write!(f, "signature of {document}"),
            Check::SheetCitesAnnouncement => f.write_str("the sheet cites the announcement"),
            Check::Seed => f.write_str("commitments, beacon and seed derivation"),
            Check::Quotas => f.write_str("each stratum's k against the plan's quota for its n"),
            Check::InputDigests => f.write_str("input digests against the announcement"),
            Check::Replay => f.write_str("full replay of the draw"),
            Check::AmendmentReplay { document } => write!(f, "replay of {document}"),
            Check::OfficeLog => f.write_str("the office log"),
        }
    }
}

/// The part of a document that differs from its replay ([`Finding::Differs`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Part {
    /// The sheet's plan reference differs from the announcement's.
    Plan,
    /// The number of entities is not the sum of the strata's k.
    EntityCount,
    /// An amendment's outcome (the replacement drawn).
    Outcome,
    /// An amendment's inspectors or citations.
    InspectorsOrCitations,
    /// The sheet's excluded entities.
    Excluded,
    /// The sheet's inspector pools.
    Pools,
    /// The sheet's inspector list.
    Inspectors,
    /// The order of the sheet's entities.
    EntityOrder,
    /// Any other field of the sheet.
    OtherFields,
}

impl Part {
    /// Every part, in the order of the enum (for tables of texts and their tests).
    ///
    /// ```
    /// use double_random::ceremony::verify::Part;
    /// assert!(Part::ALL.contains(&Part::InspectorsOrCitations));
    /// ```
    pub const ALL: [Part; 9] = [
        Part::Plan,
        Part::EntityCount,
        Part::Outcome,
        Part::InspectorsOrCitations,
        Part::Excluded,
        Part::Pools,
        Part::Inspectors,
        Part::EntityOrder,
        Part::OtherFields,
    ];
}

impl std::fmt::Display for Part {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Part::Plan => "plan",
            Part::EntityCount => "number of entities (Σ k)",
            Part::Outcome => "outcome",
            Part::InspectorsOrCitations => "inspectors or citations",
            Part::Excluded => "excluded",
            Part::Pools => "pools",
            Part::Inspectors => "inspectors",
            Part::EntityOrder => "entity order",
            Part::OtherFields => "other fields",
        })
    }
}

/// What was used twice across the log's draws ([`Finding::Reused`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reuse {
    /// A party's commitment.
    Commitment,
    /// A party's revealed secret.
    Secret,
}

impl std::fmt::Display for Reuse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Reuse::Commitment => "commitment",
            Reuse::Secret => "secret",
        })
    }
}

/// Why the replay could not be made ([`Finding::ReplayFailed`]).
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayFailure {
    /// The inputs could not be written as canonical JSON to digest them.
    #[error("{0}")]
    Digests(Arc<crate::formats::jcs::JcsError>),
    /// The draw is impossible with these inputs.
    #[error("{0}")]
    Draw(DrawError),
    /// An amendment cannot be replayed.
    #[error("{document}: {error}")]
    Amendment {
        /// The amendment's file.
        document: String,
        /// Why.
        error: Arc<CeremonyError>,
    },
}

/// Why a timestamp token does not prove the announcement's time (SPEC §8.6).
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TimeProblem {
    /// The token is invalid or not signed by a trusted TSA.
    #[error("{0}")]
    Token(Arc<TokenError>),
    /// The token's time is not early enough before the beacon's.
    #[error(
        "the token's time {gen_time} is not {margin_seconds} s before the beacon's time: it does not prove that the announcement preceded the beacon"
    )]
    TooLate {
        /// The token's time.
        gen_time: super::Timestamp,
        /// The margin required.
        margin_seconds: u64,
    },
}

impl TimeProblem {
    /// The stable code: `timestamp.invalid` or `timestamp.too_late`.
    pub fn code(&self) -> &'static str {
        match self {
            TimeProblem::Token(_) => "timestamp.invalid",
            TimeProblem::TooLate { .. } => "timestamp.too_late",
        }
    }
}

impl PartialEq for TimeProblem {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (TimeProblem::Token(a), TimeProblem::Token(b)) => {
                Arc::ptr_eq(a, b) || a.to_string() == b.to_string()
            }
            (
                TimeProblem::TooLate {
                    gen_time: a,
                    margin_seconds: m,
                },
                TimeProblem::TooLate {
                    gen_time: b,
                    margin_seconds: n,
                },
            ) => a == b && m == n,
            _ => false,
        }
    }
}

impl Eq for TimeProblem {}

impl serde::Serialize for TimeProblem {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("code", self.code())?;
        match self {
            TimeProblem::Token(e) => m.serialize_entry("detail", &e.to_string())?,
            TimeProblem::TooLate {
                gen_time,
                margin_seconds,
            } => {
                m.serialize_entry("gen_time", gen_time)?;
                m.serialize_entry("margin_seconds", margin_seconds)?;
            }
        }
        m.end()
    }
}

/// One thing that did not check out. Each names the document and what differs.
///
/// Each variant has a stable code ([`Finding::code`], listed in [`FINDING_CODES`]) and
/// structured fields ([`Finding::fields`]); `Display` is English, for library users.
/// Translations and programs key on the code:
///
/// ```
/// use double_random::ceremony::verify::{Finding, Part};
/// let f = Finding::Differs { document: "amendment-1.json".into(), part: Part::InspectorsOrCitations };
/// assert_eq!(f.code(), "replay.inspectors_differ");
/// assert_eq!(f.to_string(), "amendment-1.json: inspectors or citations differs from the replay");
/// ```
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Finding {
    /// `document.unreadable`: a document is not a valid document of its kind.
    #[error("{document}: cannot be read: {error}")]
    Unreadable {
        /// Which document.
        document: String,
        /// Why.
        error: Arc<CeremonyError>,
    },
    /// `signature.missing`: a document's signature file is missing.
    #[error("{document}: cannot be read: the signature file is missing")]
    SignatureMissing {
        /// The signature file (`<document>.minisig`).
        document: String,
    },
    /// `amendment.gap`: amendment numbers skip one.
    #[error(
        "{document}: cannot be read: amendment numbers must follow one another from 1; an amendment before this one is missing"
    )]
    AmendmentGap {
        /// The amendment after the gap.
        document: String,
    },
    /// `void.with_sheet`: the folder holds both a sheet and a void.
    #[error(
        "{document}: cannot be read: a drawn draw cannot be void, yet the folder holds a sheet and a void"
    )]
    VoidWithSheet {
        /// The void.
        document: String,
    },
    /// `input.unreadable`: an input file of the folder has a problem.
    #[error("{document}: cannot be read: {problem}")]
    Input {
        /// The input file.
        document: String,
        /// Its problem.
        problem: Box<InputProblem>,
    },
    /// `log.<code>` (see [`LogFinding::code`]): the office log is damaged or out of order.
    #[error("{document}: cannot be read: {finding}")]
    Log {
        /// The log file.
        document: String,
        /// What is wrong with it.
        finding: LogFinding,
    },
    /// `log.not_recorded`: a document is not the entry the log holds at its position.
    #[error("{document}: log is {divergence}, expected the entry at line {line} of {log}")]
    NotInLog {
        /// The document.
        document: String,
        /// The line it claims.
        line: u64,
        /// The log file.
        log: String,
        /// How the log differs.
        divergence: Divergence,
    },
    /// `signature.bad`: a signature does not verify with the public key.
    #[error("{document}: signature does not verify: {error}")]
    Signature {
        /// Which document.
        document: String,
        /// Why (its own code: [`SignError::code`]).
        error: SignError,
    },
    /// `signature.comment`: the signed comment does not describe this document.
    #[error("{document}: the signed comment says {field}={found}, but the document has {expected}")]
    SignedComment {
        /// Which document.
        document: String,
        /// Which field of the comment.
        field: &'static str,
        /// What the document has.
        expected: String,
        /// What the comment says.
        found: String,
    },
    /// `document.cites`: a document cites something else than it should.
    #[error("{document}: {field} is {found}, expected {expected}")]
    Cites {
        /// Which document.
        document: String,
        /// Which field.
        field: &'static str,
        /// Expected value.
        expected: String,
        /// Value found.
        found: String,
    },
    /// `time.too_early`: a document's time precedes a time it must follow.
    #[error("{document}: {field} is {found}, expected no earlier than {not_before}")]
    TooEarly {
        /// Which document.
        document: String,
        /// Which field (`drawn_at`, `amended_at`).
        field: &'static str,
        /// The earliest time allowed.
        not_before: super::Timestamp,
        /// The time found.
        found: super::Timestamp,
    },
    /// `time.before_beacon`: the sheet was drawn before the beacon was published.
    #[error("{document}: drawn_at is {found}, expected no earlier than the beacon: {error}")]
    BeforeBeacon {
        /// Which document.
        document: String,
        /// The sheet's time.
        found: super::Timestamp,
        /// Why.
        error: Arc<CeremonyError>,
    },
    /// `amendment.recusal_cap`: more recusals for one entity than the plan allows.
    #[error(
        "{document}: action is recusal number {number}, expected at most {cap} recusals for entity {entity}"
    )]
    RecusalCap {
        /// The amendment.
        document: String,
        /// The entity.
        entity: String,
        /// The plan's cap.
        cap: u64,
        /// This recusal's number for the entity.
        number: u64,
    },
    /// `amendment.reason_kind`: an amendment's reason code is not of its action's kind.
    #[error("{document}: reason.code is {code:?}, expected a reason of the action's kind")]
    ReasonKind {
        /// The amendment.
        document: String,
        /// The reason code given.
        code: ReasonCode,
    },
    /// `input.changed`: an input file differs from the announced one.
    #[error("{input}: digest {found} differs from the announced {announced}")]
    InputChanged {
        /// Which input.
        input: String,
        /// Announced digest.
        announced: Digest32,
        /// Digest of the file given.
        found: Digest32,
    },
    /// `seed.inputs`: reveals, commitments or beacon do not check out.
    #[error("seed: {error}")]
    SeedInputs {
        /// Why (a beacon error names the drand check that failed).
        error: Arc<CeremonyError>,
    },
    /// `seed.differs`: the sheet's seed is not the one derived.
    #[error("seed: the sheet has {found}, derivation gives {expected}")]
    Seed {
        /// Derived seed.
        expected: Digest32,
        /// Sheet's seed.
        found: Digest32,
    },
    /// `stratum.list`: the sheet's strata are not the plan's.
    #[error("stratum {}: present is {} on the sheet, replay gives {}", .found.join(","), .found.join(","), .expected.join(","))]
    Strata {
        /// The plan's strata.
        expected: Vec<String>,
        /// The sheet's strata.
        found: Vec<String>,
    },
    /// `stratum.differs`: a stratum's figure differs.
    #[error("stratum {stratum}: {field} is {found} on the sheet, replay gives {expected}")]
    Stratum {
        /// Stratum label.
        stratum: String,
        /// `n`, `k` or `members_digest`.
        field: &'static str,
        /// Replayed value.
        expected: String,
        /// Sheet's value.
        found: String,
    },
    /// `stratum.missing`: the replay has a stratum the sheet lacks.
    #[error("stratum {stratum}: present is missing on the sheet, replay gives present")]
    StratumMissing {
        /// Stratum label.
        stratum: String,
    },
    /// `stratum.extra`: the sheet has a stratum the replay lacks.
    #[error("stratum {stratum}: present is present on the sheet, replay gives absent")]
    StratumExtra {
        /// Stratum label.
        stratum: String,
    },
    /// `stratum.unknown`: a stratum label that is not one of SPEC §6.
    #[error("stratum {stratum}: not a known stratum label")]
    UnknownStratum {
        /// The label.
        stratum: String,
    },
    /// `entity.missing`: a drawn entity is missing from the sheet.
    #[error("entity {id}: drawn by the replay but missing from the sheet")]
    EntityMissing {
        /// Entity id.
        id: String,
    },
    /// `entity.extra`: the sheet lists an entity the replay did not draw.
    #[error("entity {id}: on the sheet but not drawn by the replay")]
    EntityExtra {
        /// Entity id.
        id: String,
    },
    /// `entity.differs`: a field of a drawn entity differs (team, name, stratum).
    #[error("entity {id}: {field} is {found} on the sheet, replay gives {expected}")]
    EntityField {
        /// Entity id.
        id: String,
        /// Which field.
        field: &'static str,
        /// Replayed value.
        expected: String,
        /// Sheet's value.
        found: String,
    },
    /// `replay.<part>_differs` (see [`Part`]): some other part of a document differs from the
    /// replay.
    #[error("{document}: {part} differs from the replay")]
    Differs {
        /// Which document.
        document: String,
        /// Which part.
        part: Part,
    },
    /// `log.unpublished`: a document the office log records is not published.
    #[error("{document}: recorded at line {line} of the office log, but not published")]
    Unpublished {
        /// The document, as `<draw id>/<file>`.
        document: String,
        /// Its log line.
        line: u64,
    },
    /// `log.reused_commitment`, `log.reused_secret`: a commitment or secret used in another
    /// draw of the log (SPEC §8.2).
    #[error("{document}: the {what} of {party} was already used in draw {other}")]
    Reused {
        /// Which document.
        document: String,
        /// The party.
        party: String,
        /// Commitment or secret.
        what: Reuse,
        /// The other draw.
        other: String,
    },
    /// `timestamp.invalid`, `timestamp.too_late`: the timestamp token does not prove the
    /// announcement's time (SPEC §8.6).
    #[error("{document}: {problem}")]
    Timestamp {
        /// The token file (`announcement.json.tsr`).
        document: String,
        /// Why.
        problem: TimeProblem,
    },
    /// `replay.failed`: the replay itself failed (the draw is impossible with these inputs).
    #[error("replay failed: {failure}")]
    ReplayFailed {
        /// Why.
        failure: ReplayFailure,
    },
}

/// Every code a [`Finding`] can have, with its meaning (the texts for people, in both
/// languages, are in `docs/MESSAGES.md`). A [`Finding::Log`] has the code of its
/// [`LogFinding`] (`log.*`, [`super::log::LOG_FINDING_CODES`]), listed there.
pub const FINDING_CODES: [&str; 34] = [
    "document.unreadable",
    "signature.missing",
    "amendment.gap",
    "void.with_sheet",
    "input.unreadable",
    "log.not_recorded",
    "signature.bad",
    "signature.comment",
    "document.cites",
    "time.too_early",
    "time.before_beacon",
    "amendment.recusal_cap",
    "amendment.reason_kind",
    "input.changed",
    "seed.inputs",
    "seed.differs",
    "stratum.list",
    "stratum.differs",
    "stratum.missing",
    "stratum.extra",
    "stratum.unknown",
    "entity.missing",
    "entity.extra",
    "entity.differs",
    "replay.plan_differs",
    "replay.entity_count_differs",
    "replay.outcome_differs",
    "replay.inspectors_differ",
    "replay.excluded_differ",
    "replay.pools_differ",
    "replay.inspector_list_differs",
    "replay.entity_order_differs",
    "replay.other_differs",
    "log.unpublished",
];

/// The remaining codes of [`Finding`] (kept apart to keep [`FINDING_CODES`] readable).
pub const MORE_FINDING_CODES: [&str; 5] = [
    "log.reused_commitment",
    "log.reused_secret",
    "timestamp.invalid",
    "timestamp.too_late",
    "replay.failed",
];

impl Finding {
    /// The stable code of this finding: one of [`FINDING_CODES`], [`MORE_FINDING_CODES`], or
    /// for [`Finding::Log`] its [`LogFinding::code`].
    pub fn code(&self) -> &'static str {
        match self {
            Finding::Unreadable { .. } => "document.unreadable",
            Finding::SignatureMissing { .. } => "signature.missing",
            Finding::AmendmentGap { .. } => "amendment.gap",
            Finding::VoidWithSheet { .. } => "void.with_sheet",
            Finding::Input { .. } => "input.unreadable",
            Finding::Log { finding, .. } => finding.code(),
            Finding::NotInLog { .. } => "log.not_recorded",
            Finding::Signature { .. } => "signature.bad",
            Finding::SignedComment { .. } => "signature.comment",
            Finding::Cites { .. } => "document.cites",
            Finding::TooEarly { .. } => "time.too_early",
            Finding::BeforeBeacon { .. } => "time.before_beacon",
            Finding::RecusalCap { .. } => "amendment.recusal_cap",
            Finding::ReasonKind { .. } => "amendment.reason_kind",
            Finding::InputChanged { .. } => "input.changed",
            Finding::SeedInputs { .. } => "seed.inputs",
            Finding::Seed { .. } => "seed.differs",
            Finding::Strata { .. } => "stratum.list",
            Finding::Stratum { .. } => "stratum.differs",
            Finding::StratumMissing { .. } => "stratum.missing",
            Finding::StratumExtra { .. } => "stratum.extra",
            Finding::UnknownStratum { .. } => "stratum.unknown",
            Finding::EntityMissing { .. } => "entity.missing",
            Finding::EntityExtra { .. } => "entity.extra",
            Finding::EntityField { .. } => "entity.differs",
            Finding::Differs { part, .. } => match part {
                Part::Plan => "replay.plan_differs",
                Part::EntityCount => "replay.entity_count_differs",
                Part::Outcome => "replay.outcome_differs",
                Part::InspectorsOrCitations => "replay.inspectors_differ",
                Part::Excluded => "replay.excluded_differ",
                Part::Pools => "replay.pools_differ",
                Part::Inspectors => "replay.inspector_list_differs",
                Part::EntityOrder => "replay.entity_order_differs",
                Part::OtherFields => "replay.other_differs",
            },
            Finding::Unpublished { .. } => "log.unpublished",
            Finding::Reused { what, .. } => match what {
                Reuse::Commitment => "log.reused_commitment",
                Reuse::Secret => "log.reused_secret",
            },
            Finding::Timestamp { problem, .. } => problem.code(),
            Finding::ReplayFailed { .. } => "replay.failed",
        }
    }

    /// The document this finding is about, when it names one.
    pub fn document(&self) -> Option<&str> {
        match self {
            Finding::Unreadable { document, .. }
            | Finding::SignatureMissing { document }
            | Finding::AmendmentGap { document }
            | Finding::VoidWithSheet { document }
            | Finding::Input { document, .. }
            | Finding::Log { document, .. }
            | Finding::NotInLog { document, .. }
            | Finding::Signature { document, .. }
            | Finding::SignedComment { document, .. }
            | Finding::Cites { document, .. }
            | Finding::TooEarly { document, .. }
            | Finding::BeforeBeacon { document, .. }
            | Finding::RecusalCap { document, .. }
            | Finding::ReasonKind { document, .. }
            | Finding::Differs { document, .. }
            | Finding::Unpublished { document, .. }
            | Finding::Reused { document, .. }
            | Finding::Timestamp { document, .. } => Some(document),
            Finding::ReplayFailed {
                failure: ReplayFailure::Amendment { document, .. },
            } => Some(document),
            _ => None,
        }
    }

    /// The finding's structured fields, by name, as text (the JSON `fields` object of
    /// `verify --json`, docs/MESSAGES.md). A nested error is given by its code as `cause`.
    ///
    /// ```
    /// use double_random::ceremony::verify::Finding;
    /// let f = Finding::EntityExtra { id: "X".into() };
    /// assert_eq!(f.fields(), vec![("id", "X".to_string())]);
    /// ```
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let s = |v: &dyn std::fmt::Display| v.to_string();
        let mut out: Vec<(&'static str, String)> = vec![];
        if let Some(d) = self.document() {
            out.push(("document", d.to_string()));
        }
        match self {
            Finding::Unreadable { error, .. } | Finding::SeedInputs { error } => {
                out.push(("cause", error.code().into()));
            }
            Finding::BeforeBeacon { found, error, .. } => {
                out.push(("found", s(found)));
                out.push(("cause", error.code().into()));
            }
            Finding::Input { problem, .. } => out.push(("detail", s(problem))),
            Finding::Log { finding, .. } => {
                if let Some(l) = finding.line() {
                    out.push(("line", s(&l)));
                }
                match finding {
                    LogFinding::BadLine { reason, .. } => out.push(("detail", s(reason))),
                    LogFinding::Gap {
                        expected, found, ..
                    } => {
                        out.push(("expected", s(expected)));
                        out.push(("found", s(found)));
                    }
                    LogFinding::Fork { seq, .. } => out.push(("seq", s(seq))),
                    LogFinding::Pending { draw_id, .. }
                    | LogFinding::TaskMismatch { draw_id, .. } => {
                        out.push(("draw_id", draw_id.clone()));
                    }
                    LogFinding::OutOfOrder {
                        kind,
                        draw_id,
                        problem,
                        ..
                    } => {
                        out.push(("kind", s(kind)));
                        out.push(("draw_id", draw_id.clone()));
                        let name = match problem {
                            OrderProblem::AlreadyAnnounced => "already_announced",
                            OrderProblem::NeverAnnounced => "never_announced",
                            OrderProblem::AlreadyResolved => "already_resolved",
                            OrderProblem::NoSheet => "no_sheet",
                            OrderProblem::AfterVoid => "after_void",
                        };
                        out.push(("problem", name.to_string()));
                    }
                    LogFinding::TaskBusy { draw_id, other, .. } => {
                        out.push(("draw_id", draw_id.clone()));
                        out.push(("other", other.clone()));
                    }
                    _ => {}
                }
            }
            Finding::NotInLog {
                line,
                log,
                divergence,
                ..
            } => {
                out.push(("line", s(line)));
                out.push(("log", log.clone()));
                out.push(("cause", divergence.code().into()));
            }
            Finding::Signature { error, .. } => out.push(("cause", error.code().into())),
            Finding::SignedComment {
                field,
                expected,
                found,
                ..
            }
            | Finding::Cites {
                field,
                expected,
                found,
                ..
            } => {
                out.push(("field", s(field)));
                out.push(("expected", expected.clone()));
                out.push(("found", found.clone()));
            }
            Finding::TooEarly {
                field,
                not_before,
                found,
                ..
            } => {
                out.push(("field", s(field)));
                out.push(("not_before", s(not_before)));
                out.push(("found", s(found)));
            }
            Finding::RecusalCap {
                entity,
                cap,
                number,
                ..
            } => {
                out.push(("entity", entity.clone()));
                out.push(("cap", s(cap)));
                out.push(("number", s(number)));
            }
            Finding::ReasonKind { code, .. } => {
                out.push(("reason", reason_code_name(*code).into()))
            }
            Finding::InputChanged {
                input,
                announced,
                found,
            } => {
                out.push(("input", input.clone()));
                out.push(("announced", s(announced)));
                out.push(("found", s(found)));
            }
            Finding::Seed { expected, found } => {
                out.push(("expected", s(expected)));
                out.push(("found", s(found)));
            }
            Finding::Strata { expected, found } => {
                out.push(("expected", expected.join(",")));
                out.push(("found", found.join(",")));
            }
            Finding::Stratum {
                stratum,
                field,
                expected,
                found,
            } => {
                out.push(("stratum", stratum.clone()));
                out.push(("field", s(field)));
                out.push(("expected", expected.clone()));
                out.push(("found", found.clone()));
            }
            Finding::StratumMissing { stratum }
            | Finding::StratumExtra { stratum }
            | Finding::UnknownStratum { stratum } => out.push(("stratum", stratum.clone())),
            Finding::EntityMissing { id } | Finding::EntityExtra { id } => {
                out.push(("id", id.clone()));
            }
            Finding::EntityField {
                id,
                field,
                expected,
                found,
            } => {
                out.push(("id", id.clone()));
                out.push(("field", s(field)));
                out.push(("expected", expected.clone()));
                out.push(("found", found.clone()));
            }
            Finding::Differs { part, .. } => out.push(("part", part_name(*part).into())),
            Finding::Unpublished { line, .. } => out.push(("line", s(line))),
            Finding::Reused { party, other, .. } => {
                out.push(("party", party.clone()));
                out.push(("other", other.clone()));
            }
            Finding::Timestamp { problem, .. } => match problem {
                TimeProblem::Token(e) => out.push(("detail", s(e))),
                TimeProblem::TooLate {
                    gen_time,
                    margin_seconds,
                } => {
                    out.push(("gen_time", s(gen_time)));
                    out.push(("margin_seconds", s(margin_seconds)));
                }
            },
            Finding::ReplayFailed { failure } => match failure {
                ReplayFailure::Digests(e) => out.push(("detail", s(e))),
                ReplayFailure::Draw(e) => out.push(("detail", s(e))),
                ReplayFailure::Amendment { error, .. } => {
                    out.push(("cause", error.code().into()));
                }
            },
            Finding::SignatureMissing { .. }
            | Finding::AmendmentGap { .. }
            | Finding::VoidWithSheet { .. } => {}
        }
        out
    }
}

/// The snake_case name of a part (as in JSON).
fn part_name(p: Part) -> &'static str {
    match p {
        Part::Plan => "plan",
        Part::EntityCount => "entity_count",
        Part::Outcome => "outcome",
        Part::InspectorsOrCitations => "inspectors_or_citations",
        Part::Excluded => "excluded",
        Part::Pools => "pools",
        Part::Inspectors => "inspectors",
        Part::EntityOrder => "entity_order",
        Part::OtherFields => "other_fields",
    }
}

/// The snake_case name of a reason code (as in the documents).
fn reason_code_name(c: ReasonCode) -> &'static str {
    match c {
        ReasonCode::EntityClosed => "entity_closed",
        ReasonCode::EntityUnreachable => "entity_unreachable",
        ReasonCode::EntityMovedOut => "entity_moved_out",
        ReasonCode::EntityOutOfScope => "entity_out_of_scope",
        ReasonCode::InspectorRecused => "inspector_recused",
        ReasonCode::InspectorUnavailable => "inspector_unavailable",
    }
}

/// What verification looked at and what it found.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Report {
    /// Checks performed, in order.
    pub checked: Vec<Check>,
    /// Problems; empty means PASS.
    pub findings: Vec<Finding>,
}

impl Report {
    /// PASS: every check succeeded.
    pub fn passed(&self) -> bool {
        self.findings.is_empty()
    }
}

/// A published document with its detached signature.
#[derive(Clone, Copy, Debug)]
pub struct SignedDocument<'a> {
    /// File name, for findings.
    pub name: &'a str,
    /// The document's bytes (canonical JSON).
    pub bytes: &'a [u8],
    /// The `.minisig` text.
    pub signature: &'a str,
}

/// Everything published about one draw.
#[derive(Clone, Debug)]
pub struct Published<'a> {
    /// The organizer's public key.
    pub public_key: &'a PublicKey,
    /// The announcement.
    pub announcement: SignedDocument<'a>,
    /// The sheet.
    pub sheet: SignedDocument<'a>,
    /// Amendments in order.
    pub amendments: Vec<SignedDocument<'a>>,
}

/// The trusted comment signed with a document: `draw`, `file`, `sha256` (SPEC §14).
///
/// ```
/// use double_random::{ceremony::verify::trusted_comment, Digest32};
/// let c = trusted_comment("D1", "sheet.json", &Digest32([0; 32])).unwrap();
/// assert!(c.to_string().starts_with("draw:D1\tfile:sheet.json\tsha256:0000"));
/// ```
pub fn trusted_comment(
    draw_id: &str,
    file: &str,
    digest: &Digest32,
) -> Result<TrustedComment, sign::SignError> {
    TrustedComment::new()
        .with("draw", draw_id)?
        .with("file", file)?
        .with("sha256", &digest.to_hex())
}

fn check_signature(
    report: &mut Report,
    pk: &PublicKey,
    doc: &SignedDocument<'_>,
    draw_id: &str,
) -> bool {
    report.checked.push(Check::Signature {
        document: doc.name.to_string(),
    });
    let fail = |report: &mut Report, error: SignError| {
        report.findings.push(Finding::Signature {
            document: doc.name.to_string(),
            error,
        });
        false
    };
    let sig = match Signature::parse(doc.signature) {
        Ok(s) => s,
        Err(e) => return fail(report, e),
    };
    let verified = match sign::verify(pk, doc.bytes, &sig) {
        Ok(v) => v,
        Err(e) => return fail(report, e),
    };
    let fields = match verified.fields() {
        Ok(f) => f,
        Err(e) => return fail(report, e),
    };
    let digest = Digest32::of(doc.bytes).to_hex();
    let mut ok = true;
    for (field, expected) in [("draw", draw_id), ("sha256", digest.as_str())] {
        let found = fields.get(field).unwrap_or("");
        if found != expected {
            report.findings.push(Finding::SignedComment {
                document: doc.name.to_string(),
                field,
                expected: expected.to_string(),
                found: found.to_string(),
            });
            ok = false;
        }
    }
    ok
}

fn cites(report: &mut Report, document: &str, field: &'static str, expected: &str, found: &str) {
    if expected != found {
        report.findings.push(Finding::Cites {
            document: document.to_string(),
            field,
            expected: expected.to_string(),
            found: found.to_string(),
        });
    }
}

/// Verifies a published draw.
///
/// `inputs` (every roster, the plan, conflicts and history) allow the full replay;
/// `plan` alone allows the quota check. Row order and file encoding of the rosters do
/// not matter: digests and draw work on canonical forms.
pub fn verify(
    published: &Published<'_>,
    plan: Option<&Plan>,
    inputs: Option<&DrawInputs<'_>>,
) -> Report {
    verify_replayed(published, plan, inputs.map(ReplayInputs::Rows))
}

/// The inputs of a full replay: rows in memory, or a draw a store made by streaming them.
#[derive(Clone, Copy, Debug)]
pub enum ReplayInputs<'a> {
    /// Every row in memory: the digests, the draw and the amendments are replayed here.
    Rows(&'a DrawInputs<'a>),
    /// A store's own draw with the sheet's seed (for instance `pipeline::draw`, which streams
    /// the rosters). It replays the sheet, and the amendments when it gives their rows
    /// ([`Replayed::rows`]).
    Drawn(Replayed<'a>),
}

impl ReplayInputs<'_> {
    fn plan(&self) -> &Plan {
        match self {
            ReplayInputs::Rows(i) => i.plan,
            ReplayInputs::Drawn(d) => d.plan,
        }
    }
}

/// A draw made by a store with the sheet's seed, for [`verify_replayed`].
#[derive(Clone, Copy, Debug)]
pub struct Replayed<'a> {
    /// The plan read.
    pub plan: &'a Plan,
    /// The digests of every input as read.
    pub digests: &'a InputDigests,
    /// The draw with the sheet's seed.
    pub result: &'a draw::DrawResult,
    /// The rows of the drawn entities (at least).
    pub entities: &'a [Entity],
    /// The inspector roster.
    pub inspectors: &'a [Inspector],
    /// What replaying the amendments needs of the inputs; without it they are not replayed.
    pub rows: Option<&'a dyn super::source::AmendSource>,
}

/// [`verify`] with the replay's inputs as rows or as a store's own draw ([`ReplayInputs`]).
///
/// ```
/// use double_random::ceremony::verify::{verify_replayed, ReplayInputs, Published};
/// # let _ = |p: &Published<'_>| verify_replayed(p, None, None::<ReplayInputs<'_>>);
/// ```
pub fn verify_replayed(
    published: &Published<'_>,
    plan: Option<&Plan>,
    inputs: Option<ReplayInputs<'_>>,
) -> Report {
    verify_checked(published, check_signed(published), plan, inputs)
}

/// The announcement and the sheet checked (signatures, citations, times, the seed), which
/// needs no input: a store may do it while it reads the inputs, then finish with
/// [`verify_checked`].
pub(crate) struct SignedChecked {
    r: Report,
    /// The announcement, and the sheet when it could be read; `None` when the announcement
    /// could not be.
    documents: Option<(Announcement, Option<Sheet>)>,
}

/// The first part of [`verify_replayed`]: what it checks before it needs the plan or the
/// inputs.
pub(crate) fn check_signed(published: &Published<'_>) -> SignedChecked {
    let mut r = Report::default();
    let Some(ann) = check_announcement(&mut r, published) else {
        return SignedChecked { r, documents: None };
    };
    let ann_digest = Digest32::of(published.announcement.bytes);
    let sheet = check_sheet(&mut r, published, &ann, &ann_digest);
    if let Some(sheet) = &sheet {
        check_seed(&mut r, &ann, &ann_digest, sheet);
    }
    SignedChecked {
        r,
        documents: Some((ann, sheet)),
    }
}

/// The rest of [`verify_replayed`], after [`check_signed`] of the same `published`.
pub(crate) fn verify_checked(
    published: &Published<'_>,
    checked: SignedChecked,
    plan: Option<&Plan>,
    inputs: Option<ReplayInputs<'_>>,
) -> Report {
    let SignedChecked { mut r, documents } = checked;
    let Some((ann, Some(sheet))) = documents else {
        return r;
    };
    let plan = inputs.as_ref().map(ReplayInputs::plan).or(plan);
    if let Some(plan) = plan {
        check_quotas(&mut r, &ann, &sheet, plan);
    }
    let Some(amendments) = check_amendments(&mut r, published, &ann, &sheet, plan) else {
        return r;
    };
    if let Some(inputs) = inputs {
        replay(&mut r, &ann, &sheet, &amendments, published, inputs);
    }
    r
}

/// Records that `doc` is not a valid document of its kind.
fn unreadable(r: &mut Report, doc: &SignedDocument<'_>, e: CeremonyError) {
    r.findings.push(Finding::Unreadable {
        document: doc.name.to_string(),
        error: Arc::new(e),
    });
}

/// The published announcement, its signature, key id and consistency checked; `None` when
/// it cannot be read (nothing else can be checked then).
fn check_announcement(r: &mut Report, published: &Published<'_>) -> Option<Announcement> {
    let ann = match Announcement::parse(published.announcement.bytes) {
        Ok(a) => a,
        Err(e) => {
            unreadable(r, &published.announcement, e);
            return None;
        }
    };
    check_signature(
        r,
        published.public_key,
        &published.announcement,
        &ann.draw_id,
    );
    cites(
        r,
        published.announcement.name,
        "key_id",
        &published.public_key.key_id().to_string(),
        &ann.key_id,
    );
    if let Err(e) = ann.check() {
        unreadable(r, &published.announcement, e);
    }
    Some(ann)
}

/// The published sheet, its signature, what it cites of the announcement (`ann`, whose
/// digest is `ann_digest`) and its draw time checked; `None` when it cannot be read.
fn check_sheet(
    r: &mut Report,
    published: &Published<'_>,
    ann: &Announcement,
    ann_digest: &Digest32,
) -> Option<Sheet> {
    let sheet = match Sheet::parse(published.sheet.bytes) {
        Ok(s) => s,
        Err(e) => {
            unreadable(r, &published.sheet, e);
            return None;
        }
    };
    check_signature(r, published.public_key, &published.sheet, &ann.draw_id);
    r.checked.push(Check::SheetCitesAnnouncement);
    let sname = published.sheet.name;
    cites(
        r,
        sname,
        "announcement",
        &ann_digest.to_hex(),
        &sheet.announcement.to_hex(),
    );
    cites(r, sname, "draw_id", &ann.draw_id, &sheet.draw_id);
    if sheet.plan != ann.plan {
        r.findings.push(Finding::Differs {
            document: sname.to_string(),
            part: Part::Plan,
        });
    }
    if let Err(e) = sheet::check_draw_time(ann, sheet.drawn_at) {
        r.findings.push(Finding::BeforeBeacon {
            document: sname.to_string(),
            found: sheet.drawn_at,
            error: Arc::new(e),
        });
    }
    too_early(r, sname, "drawn_at", ann.scheduled_at, sheet.drawn_at);
    Some(sheet)
}

/// The sheet's seed is the one its reveals and beacon give for the announcement.
fn check_seed(r: &mut Report, ann: &Announcement, ann_digest: &Digest32, sheet: &Sheet) {
    r.checked.push(Check::Seed);
    match sheet::seed_for(ann, ann_digest, &sheet.reveals, sheet.beacon.as_ref()) {
        Ok(seed) if seed != sheet.seed => r.findings.push(Finding::Seed {
            expected: seed,
            found: sheet.seed,
        }),
        Ok(_) => {}
        Err(e) => r.findings.push(Finding::SeedInputs { error: Arc::new(e) }),
    }
}

/// The published amendments, in order, each checked (signature, citations, recusal cap with
/// `plan`, times, reason); `None` when one cannot be read.
fn check_amendments(
    r: &mut Report,
    published: &Published<'_>,
    ann: &Announcement,
    sheet: &Sheet,
    plan: Option<&Plan>,
) -> Option<Vec<Amendment>> {
    let mut amendments = Vec::new();
    let mut prev: Option<Digest32> = None;
    let sheet_digest = Digest32::of(published.sheet.bytes);
    for (i, doc) in published.amendments.iter().enumerate() {
        let a = match Amendment::parse(doc.bytes) {
            Ok(a) => a,
            Err(e) => {
                unreadable(r, doc, e);
                return None;
            }
        };
        check_signature(r, published.public_key, doc, &ann.draw_id);
        cites(
            r,
            doc.name,
            "sheet",
            &sheet_digest.to_hex(),
            &a.sheet.to_hex(),
        );
        cites(r, doc.name, "seq", &(i + 1).to_string(), &a.seq.to_string());
        cites(
            r,
            doc.name,
            "previous",
            &prev.map(|d| d.to_hex()).unwrap_or_default(),
            &a.previous.map(|d| d.to_hex()).unwrap_or_default(),
        );
        if let Some(plan) = plan {
            check_recusal_cap(r, doc.name, &a, &amendments, plan);
        }
        if let Some(last) = amendments.last() {
            too_early(r, doc.name, "amended_at", last.amended_at, a.amended_at);
        }
        too_early(r, doc.name, "amended_at", sheet.drawn_at, a.amended_at);
        if !a.reason.code.fits(&a.action) {
            r.findings.push(Finding::ReasonKind {
                document: doc.name.to_string(),
                code: a.reason.code,
            });
        }
        prev = Some(Digest32::of(doc.bytes));
        amendments.push(a);
    }
    Some(amendments)
}

/// An inspector replacement `a` (in `document`) does not exceed the plan's recusal cap for
/// its entity, counting the replacements `before` it.
fn check_recusal_cap(
    r: &mut Report,
    document: &str,
    a: &Amendment,
    before: &[Amendment],
    plan: &Plan,
) {
    let amend::Action::ReplaceInspector { entity, .. } = &a.action else {
        return;
    };
    let number = before
        .iter()
        .filter(|b| {
            matches!(&b.action, amend::Action::ReplaceInspector { entity: e, .. } if e == entity)
        })
        .count() as u64;
    if number >= u64::from(plan.team.recusal_cap) {
        r.findings.push(Finding::RecusalCap {
            document: document.to_string(),
            entity: entity.clone(),
            cap: u64::from(plan.team.recusal_cap),
            number: number + 1,
        });
    }
}

/// Finds `field` of `document` too early when the time `found` is before `not_before`.
fn too_early(
    r: &mut Report,
    document: &str,
    field: &'static str,
    not_before: super::Timestamp,
    found: super::Timestamp,
) {
    if found < not_before {
        r.findings.push(Finding::TooEarly {
            document: document.to_string(),
            field,
            not_before,
            found,
        });
    }
}

fn check_quotas(r: &mut Report, ann: &Announcement, sheet: &Sheet, plan: &Plan) {
    r.checked.push(Check::Quotas);
    match plan_digest(plan) {
        Ok(d) if d != ann.inputs.plan => r.findings.push(Finding::InputChanged {
            input: "plan".into(),
            announced: ann.inputs.plan,
            found: d,
        }),
        _ => {}
    }
    let labels: Vec<String> = plan
        .strata_labels()
        .iter()
        .map(|s| s.label().to_string())
        .collect();
    let found: Vec<String> = sheet.strata.iter().map(|s| s.stratum.clone()).collect();
    if labels != found {
        r.findings.push(Finding::Strata {
            expected: labels,
            found,
        });
    }
    for s in &sheet.strata {
        if let Some(q) = Stratum::parse(&s.stratum).and_then(|st| plan.quota(st)) {
            let k = q.count_for(s.n);
            if k != s.k {
                r.findings.push(Finding::Stratum {
                    stratum: s.stratum.clone(),
                    field: "k",
                    expected: k.to_string(),
                    found: s.k.to_string(),
                });
            }
        }
    }
    let total: u64 = sheet.strata.iter().map(|s| s.k).sum();
    if total != sheet.entities.len() as u64 {
        r.findings.push(Finding::Differs {
            document: "sheet".into(),
            part: Part::EntityCount,
        });
    }
}

fn replay(
    r: &mut Report,
    ann: &Announcement,
    sheet: &Sheet,
    amendments: &[Amendment],
    published: &Published<'_>,
    inputs: ReplayInputs<'_>,
) {
    r.checked.push(Check::InputDigests);
    let digests = match inputs {
        ReplayInputs::Rows(i) => InputDigests::of(i),
        ReplayInputs::Drawn(d) => Ok(*d.digests),
    };
    match digests {
        Ok(found) => {
            for (name, announced, got) in ann.inputs.differences(&found) {
                r.findings.push(Finding::InputChanged {
                    input: name.to_string(),
                    announced,
                    found: got,
                });
            }
        }
        Err(e) => r.findings.push(Finding::ReplayFailed {
            failure: ReplayFailure::Digests(Arc::new(e)),
        }),
    }
    if r.findings
        .iter()
        .any(|f| matches!(f, Finding::InputChanged { .. }))
    {
        // A replay on other inputs would only repeat the same finding at every entity.
        return;
    }
    r.checked.push(Check::Replay);
    let ann_digest = Digest32::of(published.announcement.bytes);
    let owned;
    let (result, named) = match inputs {
        ReplayInputs::Rows(i) => match draw::run(i, &sheet.seed) {
            Ok(x) => {
                owned = x;
                (&owned, *i)
            }
            Err(e) => {
                r.findings.push(Finding::ReplayFailed {
                    failure: ReplayFailure::Draw(e),
                });
                return;
            }
        },
        ReplayInputs::Drawn(d) => (
            d.result,
            DrawInputs {
                plan: d.plan,
                entities: d.entities,
                inspectors: d.inspectors,
                items: &[],
                conflicts: &[],
                history: &[],
            },
        ),
    };
    // The sheet is rebuilt and compared while the amendments are replayed: each amendment is
    // replayed from the signed sheet, not from the rebuilt one.
    let prior = r.findings.is_empty();
    let (sheet_findings, replayed) = crate::shares::both(
        || {
            let expected = sheet::build(
                ann,
                &ann_digest,
                &sheet.reveals,
                sheet.beacon.as_ref(),
                sheet.seed,
                sheet.drawn_at,
                sheet.log,
                &named,
                result,
            );
            compare_sheets(&expected, sheet, published.sheet.name, prior)
        },
        || {
            amendments
                .iter()
                .enumerate()
                .map(|(i, a)| replay_amendment(sheet, &amendments[..i], a, inputs))
                .collect::<Vec<_>>()
        },
    );
    r.findings.extend(sheet_findings);
    for ((doc, a), replayed) in published.amendments.iter().zip(amendments).zip(replayed) {
        r.checked.push(Check::AmendmentReplay {
            document: doc.name.to_string(),
        });
        match replayed {
            Ok(want) => {
                if want.outcome != a.outcome {
                    r.findings.push(Finding::Differs {
                        document: doc.name.to_string(),
                        part: Part::Outcome,
                    });
                } else if want != *a {
                    r.findings.push(Finding::Differs {
                        document: doc.name.to_string(),
                        part: Part::InspectorsOrCitations,
                    });
                }
            }
            Err(e) => r.findings.push(Finding::ReplayFailed {
                failure: ReplayFailure::Amendment {
                    document: doc.name.to_string(),
                    error: Arc::new(e),
                },
            }),
        }
    }
}

/// The amendment `a` replayed on `inputs` after the amendments `previous` of `sheet`.
fn replay_amendment(
    sheet: &Sheet,
    previous: &[Amendment],
    a: &Amendment,
    inputs: ReplayInputs<'_>,
) -> Result<Amendment, CeremonyError> {
    match inputs {
        ReplayInputs::Rows(rows) => amend::amend(
            sheet,
            previous,
            a.action.clone(),
            a.reason.clone(),
            rows,
            a.amended_at,
            a.log,
        ),
        ReplayInputs::Drawn(Replayed {
            rows: Some(rows), ..
        }) => amend::amend_from(
            sheet,
            previous,
            a.action.clone(),
            a.reason.clone(),
            rows,
            a.amended_at,
            a.log,
        ),
        ReplayInputs::Drawn(_) => Err(CeremonyError::Mismatch {
            document: "amendment",
            field: "inputs",
            expected: "every row of the inputs".into(),
            found: "a replay of the sheet alone".into(),
        }),
    }
}

/// What differs between the rebuilt sheet `want` and the signed one `got` (named `name`);
/// `prior` is whether the checks before it found nothing, without which a difference in
/// no part listed is not reported as one.
fn compare_sheets(want: &Sheet, got: &Sheet, name: &str, prior: bool) -> Vec<Finding> {
    let mut findings = vec![];
    for w in &want.strata {
        match got.strata.iter().find(|g| g.stratum == w.stratum) {
            None => findings.push(Finding::StratumMissing {
                stratum: w.stratum.clone(),
            }),
            Some(g) => {
                for (field, a, b) in [
                    ("n", w.n.to_string(), g.n.to_string()),
                    ("k", w.k.to_string(), g.k.to_string()),
                    (
                        "members_digest",
                        w.members_digest.to_hex(),
                        g.members_digest.to_hex(),
                    ),
                ] {
                    if a != b {
                        findings.push(Finding::Stratum {
                            stratum: w.stratum.clone(),
                            field,
                            expected: a,
                            found: b,
                        });
                    }
                }
            }
        }
    }
    for g in &got.strata {
        if !want.strata.iter().any(|w| w.stratum == g.stratum) {
            findings.push(Finding::StratumExtra {
                stratum: g.stratum.clone(),
            });
        }
    }
    let same_entities = want.entities == got.entities;
    if !same_entities {
        compare_entities(&mut findings, want, got);
    }
    for (part, same) in [
        (Part::Excluded, want.excluded == got.excluded),
        (Part::Pools, want.pools == got.pools),
        (Part::Inspectors, want.inspectors == got.inspectors),
        (
            Part::EntityOrder,
            same_entities
                || findings.iter().any(|f| {
                    matches!(
                        f,
                        Finding::EntityField { .. }
                            | Finding::EntityMissing { .. }
                            | Finding::EntityExtra { .. }
                    )
                }),
        ),
    ] {
        if !same {
            findings.push(Finding::Differs {
                document: name.to_string(),
                part,
            });
        }
    }
    if prior && findings.is_empty() && want != got {
        findings.push(Finding::Differs {
            document: name.to_string(),
            part: Part::OtherFields,
        });
    }
    findings
}

/// The entities of the rebuilt sheet `want` (whose ids a draw makes unique) that the signed
/// sheet `got` lacks, lists otherwise or has beyond them, by id.
fn compare_entities(findings: &mut Vec<Finding>, want: &Sheet, got: &Sheet) {
    // By id, so that a sheet of hundreds of thousands of entities is compared in linear time;
    // an id listed twice is compared by its first row, as a search from the top would.
    let mut got_by_id = std::collections::HashMap::with_capacity(got.entities.len());
    for g in &got.entities {
        got_by_id.entry(g.id.as_str()).or_insert(g);
    }
    let want_ids: std::collections::HashSet<&str> =
        want.entities.iter().map(|w| w.id.as_str()).collect();
    for w in &want.entities {
        match got_by_id.get(w.id.as_str()) {
            None => findings.push(Finding::EntityMissing { id: w.id.clone() }),
            Some(g) => {
                for (field, a, b) in [
                    ("name", w.name.clone(), g.name.clone()),
                    ("officers", w.officers.join(","), g.officers.join(",")),
                    ("experts", w.experts.join(","), g.experts.join(",")),
                    (
                        "stratum",
                        w.stratum.clone().unwrap_or_default(),
                        g.stratum.clone().unwrap_or_default(),
                    ),
                ] {
                    if a != b {
                        findings.push(Finding::EntityField {
                            id: w.id.clone(),
                            field,
                            expected: a,
                            found: b,
                        });
                    }
                }
            }
        }
    }
    for g in &got.entities {
        if !want_ids.contains(g.id.as_str()) {
            findings.push(Finding::EntityExtra { id: g.id.clone() });
        }
    }
}

/// Replays one stratum from its member list alone (SPEC §13.2).
///
/// Checks the list against the sheet's member digest and n, and returns the picks, which
/// the caller finds on the sheet. Needs neither the inspector roster nor other strata.
///
/// ```
/// use double_random::{ceremony::verify::replay_stratum, Digest32,
///     draw::entities::members_digest, model::Stratum};
/// let ids: Vec<String> = (0..10).map(|i| format!("E{i}")).collect();
/// let d = members_digest(Stratum::All, &ids);
/// let picks = replay_stratum(&Digest32([1; 32]), "all", &ids, 10, 3, &d).unwrap();
/// assert_eq!(picks.len(), 3);
/// ```
pub fn replay_stratum(
    seed: &Digest32,
    label: &str,
    member_ids: &[String],
    n: u64,
    k: u64,
    digest: &Digest32,
) -> Result<Vec<String>, Finding> {
    let stratum = Stratum::parse(label).ok_or_else(|| Finding::UnknownStratum {
        stratum: label.to_string(),
    })?;
    let mut ids = member_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() as u64 != n {
        return Err(Finding::Stratum {
            stratum: label.to_string(),
            field: "n",
            expected: n.to_string(),
            found: ids.len().to_string(),
        });
    }
    let d = members_digest(stratum, &ids);
    if &d != digest {
        return Err(Finding::Stratum {
            stratum: label.to_string(),
            field: "members_digest",
            expected: digest.to_hex(),
            found: d.to_hex(),
        });
    }
    Ok(continue_stratum(seed, stratum, &ids, 0, k))
}

/// One stratum replayed from its member list and found on the sheet (SPEC §13.2), as
/// [`check_stratum`] gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct StratumReplay {
    /// The stratum's label.
    pub stratum: String,
    /// Its members (the sheet's n).
    pub n: u64,
    /// The picks the replay gives, in draw order (the sheet's k of them).
    pub picks: Vec<String>,
    /// The picks that are neither on the sheet nor replaced by one of its amendments: empty
    /// when the sheet agrees with the member list.
    pub not_on_sheet: Vec<String>,
}

/// Replays one stratum of `sheet` from its member list alone and checks every pick is on the
/// sheet or was replaced by one of `amendments` (SPEC §13.2).
///
/// Use it when a reader holds one stratum's members (an industry association, a district)
/// but not the rosters: it needs neither the inspector roster nor the other strata.
///
/// # Errors
/// [`Finding::UnknownStratum`] when the sheet has no stratum `label`; the findings of
/// [`replay_stratum`] when the list does not have the sheet's n or members digest.
///
/// ```
/// use double_random::ceremony::verify::check_stratum;
/// use double_random::internals::example_documents;
/// let (_, sheet) = example_documents()?;
/// let s = &sheet.strata[0];
/// // The wrong list: its count is not the sheet's n.
/// let err = check_stratum(&sheet, &[], &s.stratum, &["X".to_string()]).unwrap_err();
/// assert_eq!(err.code(), "stratum.differs");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_stratum(
    sheet: &Sheet,
    amendments: &[Amendment],
    label: &str,
    member_ids: &[String],
) -> Result<StratumReplay, Finding> {
    let Some(s) = sheet.strata.iter().find(|s| s.stratum == label) else {
        return Err(Finding::UnknownStratum {
            stratum: label.to_string(),
        });
    };
    let picks = replay_stratum(&sheet.seed, label, member_ids, s.n, s.k, &s.members_digest)?;
    let on_sheet = |id: &String| {
        sheet.entities.iter().any(|e| &e.id == id)
            || amendments.iter().any(
                |a| matches!(&a.action, amend::Action::ReplaceEntity { entity } if entity == id),
            )
    };
    let not_on_sheet = picks.iter().filter(|p| !on_sheet(p)).cloned().collect();
    Ok(StratumReplay {
        stratum: label.to_string(),
        n: s.n,
        picks,
        not_on_sheet,
    })
}

/// How the announcement's time before the beacon is known (SPEC §8.5, §13.3).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TimeProof {
    /// No beacon: time does not protect this draw.
    NoBeacon,
    /// No timestamp token: `announced_at` is the office's own claim.
    OfficeClaim,
    /// A token was found but no trusted TSA certificate was named: not proven.
    NotChecked,
    /// Proven by a timestamp token checked against a named TSA certificate.
    Proven {
        /// The TSA's certificate subject.
        tsa: String,
        /// The token's time.
        gen_time: super::Timestamp,
    },
    /// The token does not prove it (invalid, untrusted, or too late): a finding.
    Failed {
        /// Why.
        problem: TimeProblem,
    },
}

/// Another draw of the same task, and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Sibling {
    /// Its draw id.
    pub draw_id: String,
    /// Its state in the log.
    pub state: super::log::DrawState,
    /// Its void's reason code, when voided and its void was read.
    pub void_reason: Option<super::void::VoidCode>,
}

/// What the office log says about this draw's task (SPEC §12.4).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct LogTrust {
    /// Other draws of the task, in log order.
    pub siblings: Vec<Sibling>,
    /// Whether this draw's announcement supersedes a void.
    pub supersedes: bool,
}

/// What stops the office from choosing this result, and what does not (SPEC §13.3).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct TrustSummary {
    /// Witnesses that committed.
    pub witnesses: Vec<String>,
    /// The beacon, in words (chain and round, or the external description), with its time.
    pub beacon: Option<(String, super::Timestamp)>,
    /// How the announcement's time before the beacon is known.
    pub time: TimeProof,
    /// Whether anything but the office contributed randomness.
    pub independent: bool,
    /// The log's account; `None` when the log was not checked.
    pub log: Option<LogTrust>,
    /// Entity replacements by reason code.
    pub replacements: Vec<(amend::ReasonCode, u64)>,
    /// Recusals by reason code.
    pub recusals: Vec<(amend::ReasonCode, u64)>,
}

impl TrustSummary {
    /// The summary of an announcement and its amendments; `time` and `log` come from the
    /// checks the caller could make.
    pub fn of(
        ann: &Announcement,
        amendments: &[Amendment],
        time: TimeProof,
        log: Option<LogTrust>,
    ) -> Self {
        use super::beacon::BeaconSpec;
        let beacon = ann.beacon.as_ref().map(|b| {
            let words = match b {
                BeaconSpec::Drand {
                    chain_hash, round, ..
                } => {
                    let name =
                        super::beacon::DrandChain::known(&chain_hash.0).map_or("drand", |c| c.name);
                    format!("drand {name} round {round}")
                }
                BeaconSpec::External { description, .. } => description.clone(),
            };
            let t = b
                .time()
                .ok()
                .and_then(super::Timestamp::from_unix)
                .unwrap_or(ann.announced_at);
            (words, t)
        });
        let mut replacements: BTreeMap<amend::ReasonCode, u64> = BTreeMap::new();
        let mut recusals: BTreeMap<amend::ReasonCode, u64> = BTreeMap::new();
        for a in amendments {
            let m = match a.action {
                amend::Action::ReplaceEntity { .. } => &mut replacements,
                amend::Action::ReplaceInspector { .. } => &mut recusals,
            };
            *m.entry(a.reason.code).or_default() += 1;
        }
        TrustSummary {
            witnesses: ann
                .parties
                .iter()
                .filter(|p| p.role == super::commit::Role::Witness)
                .map(|p| p.name.clone())
                .collect(),
            beacon,
            time: if ann.beacon.is_none() {
                TimeProof::NoBeacon
            } else {
                time
            },
            independent: ann.has_independent_randomness(),
            log,
            replacements: replacements.into_iter().collect(),
            recusals: recusals.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_across_every_result() {
        let mut all: Vec<&str> = vec![];
        all.extend(CHECK_CODES);
        all.extend(FINDING_CODES);
        all.extend(MORE_FINDING_CODES);
        all.extend(super::super::log::LOG_FINDING_CODES);
        all.extend(["log.truncated", "log.forks"]);
        all.extend(SignError::CODES);
        all.extend(super::super::beacon::BEACON_ERROR_CODES);
        all.extend(super::super::CEREMONY_ERROR_CODES);
        let mut seen = std::collections::BTreeSet::new();
        for c in &all {
            assert!(seen.insert(*c), "{c} twice");
            let (kind, rest) = c.split_once('.').unwrap();
            assert!(!kind.is_empty() && !rest.is_empty(), "{c}");
            assert!(
                c.bytes().all(|b| b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || b == b'.'
                    || b == b'_'),
                "{c}"
            );
        }
    }

    #[test]
    fn each_part_and_reuse_has_its_own_listed_code() {
        let parts = Part::ALL;
        let mut codes = std::collections::BTreeSet::new();
        for part in parts {
            let f = Finding::Differs {
                document: "sheet.json".into(),
                part,
            };
            assert!(FINDING_CODES.contains(&f.code()), "{}", f.code());
            assert!(codes.insert(f.code()));
            assert_eq!(f.fields()[1].0, "part");
        }
        for what in [Reuse::Commitment, Reuse::Secret] {
            let f = Finding::Reused {
                document: "sheet.json".into(),
                party: "p".into(),
                what,
                other: "D0".into(),
            };
            assert!(MORE_FINDING_CODES.contains(&f.code()), "{}", f.code());
            assert!(codes.insert(f.code()));
        }
        let f = Finding::Log {
            document: "office.log".into(),
            finding: LogFinding::Unterminated,
        };
        assert_eq!(f.code(), "log.unterminated");
        let gap = Finding::Log {
            document: "office.log".into(),
            finding: LogFinding::Gap {
                line: 4,
                expected: 4,
                found: 6,
            },
        };
        assert_eq!(gap.code(), "log.gap");
        assert_eq!(
            gap.fields(),
            vec![
                ("document", "office.log".to_string()),
                ("line", "4".to_string()),
                ("expected", "4".to_string()),
                ("found", "6".to_string()),
            ]
        );
        assert_eq!(
            f.to_string(),
            "office.log: cannot be read: the last line is not terminated"
        );
    }

    /// Each time the checks compare, a document dated before what it must follow: the sheet
    /// before its scheduled time, an amendment before the sheet, an amendment before the one
    /// it follows.
    #[test]
    fn documents_dated_too_early_are_each_named_with_the_time_they_must_follow() {
        use crate::bundle::{NoProgress, amend};
        use crate::ceremony::steps::{ANNOUNCEMENT_FILE, SHEET_FILE, amendment_file};
        let t = |s: &str| -> crate::ceremony::Timestamp { s.parse().unwrap() };
        let d = crate::internals::example_draw().unwrap();
        for (i, at) in ["2026-03-01T02:00:00Z", "2026-03-01T03:00:00Z"]
            .iter()
            .enumerate()
        {
            let action = amend::Action::ReplaceEntity {
                entity: d.drawn.sheet.entities[i].id.clone(),
            };
            let reason = amend::Reason {
                code: ReasonCode::EntityClosed,
                text: "closed".into(),
            };
            let log = d.office.path().join(crate::bundle::LOG_FILE);
            amend(
                &d.folder,
                &log,
                &d.key,
                action,
                reason,
                t(at),
                &mut NoProgress,
            )
            .unwrap();
        }
        let read = |name: &str| std::fs::read(d.folder.path(name)).unwrap();
        let mut sheet = Sheet::parse(&read(SHEET_FILE)).unwrap();
        sheet.drawn_at = t("2026-03-01T00:59:59Z");
        let mut amended = vec![];
        for (seq, at) in [(1, "2026-03-01T00:30:00Z"), (2, "2026-03-01T00:20:00Z")] {
            let mut a = Amendment::parse(&read(&amendment_file(seq))).unwrap();
            a.amended_at = t(at);
            amended.push(a.to_canonical().unwrap());
        }
        let (ann, sheet) = (read(ANNOUNCEMENT_FILE), sheet.to_canonical().unwrap());
        let names = [amendment_file(1), amendment_file(2)];
        let doc = |name, bytes| SignedDocument {
            name,
            bytes,
            signature: "",
        };
        let key = d.key.public_key();
        let published = Published {
            public_key: &key,
            announcement: doc(ANNOUNCEMENT_FILE, &ann),
            sheet: doc(SHEET_FILE, &sheet),
            amendments: names.iter().zip(&amended).map(|(n, b)| doc(n, b)).collect(),
        };
        let found: Vec<(String, &str, String, String)> = verify_replayed(&published, None, None)
            .findings
            .into_iter()
            .filter_map(|f| match f {
                Finding::TooEarly {
                    document,
                    field,
                    not_before,
                    found,
                } => Some((document, field, not_before.to_string(), found.to_string())),
                _ => None,
            })
            .collect();
        let row = |doc: &str, field: &'static str, not_before: &str, found: &str| {
            let s = |x: &str| t(x).to_string();
            (doc.to_string(), field, s(not_before), s(found))
        };
        assert_eq!(
            found,
            vec![
                row(
                    SHEET_FILE,
                    "drawn_at",
                    "2026-03-01T01:00:00Z",
                    "2026-03-01T00:59:59Z"
                ),
                row(
                    &amendment_file(1),
                    "amended_at",
                    "2026-03-01T00:59:59Z",
                    "2026-03-01T00:30:00Z"
                ),
                row(
                    &amendment_file(2),
                    "amended_at",
                    "2026-03-01T00:30:00Z",
                    "2026-03-01T00:20:00Z"
                ),
                row(
                    &amendment_file(2),
                    "amended_at",
                    "2026-03-01T00:59:59Z",
                    "2026-03-01T00:20:00Z"
                ),
            ]
        );
    }
}
