//! The ceremony: announce, draw, verify and amend, with public randomness named in advance.
//!
//! 1. [`announce`]: before anything random exists, the organizer publishes a signed
//!    announcement of every input digest and each party's seed commitment.
//! 2. [`sheet`]: the parties reveal their secrets, the beacon value is entered, the seed is
//!    derived and the draw produces a signed result sheet.
//! 3. [`verify`]: anyone replays the draw from the published files.
//! 4. [`amend`]: a replacement (补抽) or recusal (回避) after the draw is a signed amendment
//!    drawn on its own stream; nothing is ever redrawn silently.
//! 5. [`outcomes`]: signed inspection results, checked against the draw and the working-day
//!    deadline of the holiday [`calendar`] (一公开).
//!
//! Every document is canonical JSON; the office [`log`] chains them by hash.
//!
//! [`steps`] holds the ceremony's rules as pure functions over any storage: each step takes the
//! log, the documents published before and its values, and returns what to publish and append.

pub mod amend;
pub mod announce;
pub mod beacon;
pub mod calendar;
pub mod commit;
pub mod groups;
pub mod log;
pub mod outcomes;
pub mod sheet;
pub mod steps;
pub mod timestamp;
pub mod verify;
pub mod void;

use crate::digest::Digest32;
use serde::{Deserialize, Serialize};

/// Why a ceremony step was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CeremonyError {
    /// A document is not canonical JSON of the expected shape.
    #[error("{document}: {source}")]
    Document {
        /// Which document.
        document: &'static str,
        /// What is wrong.
        source: crate::formats::jcs::JcsError,
    },
    /// A value could not be written as canonical JSON.
    #[error(transparent)]
    Jcs(#[from] crate::formats::jcs::JcsError),
    /// The document is of another kind.
    #[error("expected a {expected} document, found {found:?}")]
    WrongFormat {
        /// Format expected.
        expected: &'static str,
        /// Format found.
        found: String,
    },
    /// The algorithm version is not one this library implements.
    #[error("algorithm version {found:?} is not supported (this library implements v2)")]
    UnsupportedVersion {
        /// Version found.
        found: String,
    },
    /// Two parties with one name.
    #[error("party {name:?} is listed twice")]
    DuplicateParty {
        /// The name.
        name: String,
    },
    /// No organizer among the parties.
    #[error("the announcement lists no organizer")]
    NoOrganizer,
    /// The draw is scheduled before the announcement.
    #[error("the draw is scheduled before the announcement was made")]
    ScheduledBeforeAnnounced,
    /// The beacon is invalid or its value does not verify.
    #[error("beacon: {0}")]
    Beacon(#[from] beacon::BeaconError),
    /// Wrong number of reveals.
    #[error("the announcement has {expected} parties but {found} secrets were revealed")]
    RevealCount {
        /// Parties announced.
        expected: usize,
        /// Reveals given.
        found: usize,
    },
    /// Reveals out of order.
    #[error("reveal for {found:?} where the announcement lists {expected:?}")]
    RevealOrder {
        /// Party expected at this position.
        expected: String,
        /// Party found.
        found: String,
    },
    /// A revealed secret does not match its commitment.
    #[error("the secret revealed by {party:?} does not match its commitment")]
    CommitmentMismatch {
        /// Party name.
        party: String,
    },
    /// The announcement names a beacon but no value was entered.
    #[error("the announcement names a beacon, but no beacon value was entered")]
    BeaconMissing,
    /// A beacon value was entered but none was announced.
    #[error("a beacon value was entered, but the announcement names no beacon")]
    BeaconNotAnnounced,
    /// An input differs from the announced one.
    #[error("{input} changed since the announcement: announced {announced}, found {found}")]
    InputChanged {
        /// Which input.
        input: &'static str,
        /// Announced digest.
        announced: Digest32,
        /// Digest of the input given.
        found: Digest32,
    },
    /// A draw id or party name outside the safe character set (SPEC §3.6).
    #[error("{0}")]
    Name(Box<crate::names::NameError>),
    /// Exactly one organizer is required.
    #[error("the announcement lists {found} organizers; exactly one is required")]
    Organizers {
        /// Organizers listed.
        found: usize,
    },
    /// Neither a witness nor a beacon: the office alone would choose the seed.
    #[error("no witness and no beacon: the office alone would choose the seed")]
    NoIndependentRandomness,
    /// The beacon's time is not after the scheduled draw or the draw precedes the beacon.
    #[error("the beacon is published at {beacon_time}, after the draw time {draw_time}")]
    BeaconAfterDraw {
        /// Beacon time (UNIX seconds).
        beacon_time: u64,
        /// Scheduled or drawn time (UNIX seconds).
        draw_time: u64,
    },
    /// A secret or commitment was already used in another draw of the log.
    #[error("{what} of {party:?} was already used in draw {other}")]
    Reused {
        /// Secret or commitment.
        what: verify::Reuse,
        /// The party.
        party: String,
        /// The other draw.
        other: String,
    },
    /// Recusals for this entity reached the plan's cap.
    #[error("entity {entity} already had {count} recusals, the plan's cap")]
    RecusalCap {
        /// The entity.
        entity: String,
        /// Recusals so far (= the cap).
        count: u64,
    },
    /// No available replacement in the ranking.
    #[error("no inspector of pool {pool} is available for entity {entity}")]
    NoReplacement {
        /// Pool label.
        pool: String,
        /// Entity.
        entity: String,
    },
    /// The draw itself failed.
    #[error(transparent)]
    Draw(#[from] crate::draw::DrawError),
    /// A document cites another draw or document.
    #[error("{document} cites {field} {found}, expected {expected}")]
    Mismatch {
        /// Which document.
        document: &'static str,
        /// Which field.
        field: &'static str,
        /// Expected value.
        expected: String,
        /// Value found.
        found: String,
    },
}

/// Every code of [`CeremonyError`] besides a beacon error's (see [`CeremonyError::code`]).
pub const CEREMONY_ERROR_CODES: [&str; 22] = [
    "ceremony.document",
    "ceremony.json",
    "ceremony.wrong_format",
    "ceremony.unsupported_version",
    "ceremony.duplicate_party",
    "ceremony.no_organizer",
    "ceremony.scheduled_before_announced",
    "ceremony.reveal_count",
    "ceremony.reveal_order",
    "ceremony.commitment_mismatch",
    "ceremony.beacon_missing",
    "ceremony.beacon_not_announced",
    "ceremony.input_changed",
    "ceremony.name",
    "ceremony.organizers",
    "ceremony.no_independent_randomness",
    "ceremony.beacon_after_draw",
    "ceremony.reused",
    "ceremony.recusal_cap",
    "ceremony.no_replacement",
    "ceremony.draw",
    "ceremony.mismatch",
];

impl CeremonyError {
    /// The stable code of this error: one of [`CEREMONY_ERROR_CODES`], or for a beacon error
    /// its own code ([`beacon::BeaconError::code`], `beacon.*`). Programs and translations key
    /// on it, not on the English text.
    ///
    /// ```
    /// use double_random::ceremony::CeremonyError;
    /// assert_eq!(CeremonyError::NoOrganizer.code(), "ceremony.no_organizer");
    /// ```
    pub fn code(&self) -> &'static str {
        let i = match self {
            CeremonyError::Beacon(b) => return b.code(),
            CeremonyError::Document { .. } => 0,
            CeremonyError::Jcs(_) => 1,
            CeremonyError::WrongFormat { .. } => 2,
            CeremonyError::UnsupportedVersion { .. } => 3,
            CeremonyError::DuplicateParty { .. } => 4,
            CeremonyError::NoOrganizer => 5,
            CeremonyError::ScheduledBeforeAnnounced => 6,
            CeremonyError::RevealCount { .. } => 7,
            CeremonyError::RevealOrder { .. } => 8,
            CeremonyError::CommitmentMismatch { .. } => 9,
            CeremonyError::BeaconMissing => 10,
            CeremonyError::BeaconNotAnnounced => 11,
            CeremonyError::InputChanged { .. } => 12,
            CeremonyError::Name(_) => 13,
            CeremonyError::Organizers { .. } => 14,
            CeremonyError::NoIndependentRandomness => 15,
            CeremonyError::BeaconAfterDraw { .. } => 16,
            CeremonyError::Reused { .. } => 17,
            CeremonyError::RecusalCap { .. } => 18,
            CeremonyError::NoReplacement { .. } => 19,
            CeremonyError::Draw(_) => 20,
            CeremonyError::Mismatch { .. } => 21,
        };
        CEREMONY_ERROR_CODES[i]
    }
}

/// Seconds a beacon's time must follow the announcement (SPEC §8.5).
pub const MARGIN_SECONDS: u64 = 300;

/// Checks a parsed document's `format` and `version`.
pub(crate) fn check_format(
    found: &str,
    expected: &'static str,
    version: &str,
) -> Result<(), CeremonyError> {
    if found != expected {
        return Err(CeremonyError::WrongFormat {
            expected,
            found: found.to_string(),
        });
    }
    if version != announce::VERSION {
        return Err(CeremonyError::UnsupportedVersion {
            found: version.to_string(),
        });
    }
    Ok(())
}

/// A UTC time to the second, written `YYYY-MM-DDTHH:MM:SSZ` (RFC 3339).
///
/// ```
/// use double_random::ceremony::Timestamp;
/// let t: Timestamp = "2026-03-01T02:00:00Z".parse().unwrap();
/// assert_eq!(t.unix(), 1772330400);
/// assert_eq!(Timestamp::from_unix(1772330400).unwrap(), t);
/// assert!("2026-03-01 02:00:00".parse::<Timestamp>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

/// Why a timestamp did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a UTC time of the form 2026-03-01T02:00:00Z")]
#[non_exhaustive]
pub struct TimestampError {
    /// The text given.
    pub value: String,
}

const TS_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");

impl Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn unix(&self) -> u64 {
        self.0.max(0) as u64
    }

    /// From UNIX seconds.
    pub fn from_unix(secs: u64) -> Option<Self> {
        let t = time::OffsetDateTime::from_unix_timestamp(i64::try_from(secs).ok()?).ok()?;
        (t.year() <= 9999).then_some(Timestamp(t.unix_timestamp()))
    }

    /// The current time from the system clock.
    pub fn now() -> Self {
        Timestamp(time::OffsetDateTime::now_utc().unix_timestamp())
    }
}

impl std::str::FromStr for Timestamp {
    type Err = TimestampError;
    fn from_str(s: &str) -> Result<Self, TimestampError> {
        time::PrimitiveDateTime::parse(s, TS_FORMAT)
            .ok()
            .filter(|t| t.year() >= 1970)
            .map(|t| Timestamp(t.assume_utc().unix_timestamp()))
            .ok_or_else(|| TimestampError {
                value: s.to_string(),
            })
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = time::OffsetDateTime::from_unix_timestamp(self.0).map_err(|_| std::fmt::Error)?;
        let s = t.format(TS_FORMAT).map_err(|_| std::fmt::Error)?;
        f.write_str(&s)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
