//! Voids (作废): the signed, published record that an announced draw will not be drawn
//! (SPEC §11.5).
//!
//! The office keeps one power the protocol cannot take away: to abort, for example when the
//! last party to reveal refuses. A void makes each abort visible: it is signed, logged,
//! published, and the next announcement of the same task must cite it.

use super::log::Position;
use super::{CeremonyError, Timestamp};
use crate::digest::Digest32;
use crate::formats::jcs;
use serde::{Deserialize, Serialize};

/// `format` of voids.
pub const VOID_FORMAT: &str = "double-random/void";

/// Why a draw was voided: a closed list, so voids can be counted by reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoidCode {
    /// The plan changed.
    PlanChanged,
    /// The inputs were found wrong.
    InputsWrong,
    /// A party did not reveal its secret.
    SecretNotRevealed,
    /// The beacon was not published or cannot be read.
    BeaconUnavailable,
    /// Any other reason (explained in the text).
    Other,
}

/// The reason of a void.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoidReason {
    /// Category.
    pub code: VoidCode,
    /// Explanation in words.
    pub text: String,
}

/// A signed void.
///
/// ```
/// use double_random::ceremony::void::*;
/// use double_random::ceremony::log::Position;
/// use double_random::Digest32;
/// let v = Void::new("D1", Digest32([1; 32]),
///     VoidReason { code: VoidCode::SecretNotRevealed, text: "监督人未到场".into() },
///     "2026-03-01T03:00:00Z".parse().unwrap(), Position { seq: 2, prev: Some(Digest32([2; 32])) });
/// assert_eq!(Void::parse(&v.to_canonical()?)?, v);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Void {
    /// Always `double-random/void`.
    pub format: String,
    /// Algorithm version.
    pub version: String,
    /// The draw voided.
    pub draw_id: String,
    /// Digest of its announcement.
    pub announcement: Digest32,
    /// Why.
    pub reason: VoidReason,
    /// When (UTC).
    pub voided_at: Timestamp,
    /// Its position in the office log.
    pub log: Position,
}

impl Void {
    /// A void of the draw whose announcement has digest `announcement`.
    pub fn new(
        draw_id: &str,
        announcement: Digest32,
        reason: VoidReason,
        voided_at: Timestamp,
        log: Position,
    ) -> Self {
        Void {
            format: VOID_FORMAT.into(),
            version: super::announce::VERSION.into(),
            draw_id: draw_id.to_string(),
            announcement,
            reason,
            voided_at,
            log,
        }
    }

    /// Canonical JSON bytes.
    pub fn to_canonical(&self) -> Result<Vec<u8>, jcs::JcsError> {
        jcs::to_canonical(self)
    }

    /// Parses a published void, refusing non-canonical bytes and other formats.
    pub fn parse(bytes: &[u8]) -> Result<Self, CeremonyError> {
        let v: Void = jcs::parse_canonical(bytes).map_err(|e| CeremonyError::Document {
            document: "void",
            source: e,
        })?;
        super::check_format(&v.format, VOID_FORMAT, &v.version)?;
        Ok(v)
    }
}
