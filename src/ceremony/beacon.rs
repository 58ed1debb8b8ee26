//! Public randomness named in advance: drand rounds and external draws.
//!
//! A seed that only the organizer contributes can be ground: the organizer tries many seeds in
//! private and commits to one it likes. Naming, in the announcement, a public random value that
//! does not exist yet (a future [drand](https://drand.love) round, or the number of a public
//! lottery draw on a stated date) stops that: nobody knows the value when the announcement is
//! published, and everybody can check it afterwards.
//!
//! * [`BeaconSpec`] is what the announcement names: which chain and which round, or which external
//!   draw.
//! * [`BeaconValue`] is what is entered at the draw: the round's signature and randomness, or the
//!   external result as published.
//! * [`verify`] checks a value against its spec and returns [`beacon_bytes`], the bytes that enter
//!   the seed derivation.
//!
//! Drand rounds are checked offline, without network access: the BLS signature is verified
//! against the chain's public key (with the `drand` feature, on by default), the randomness must be
//! SHA-256 of the signature, and the round must be the one named. External values are integer
//! groups of a shape fixed in advance ([`super::groups`]); their truth is checked by people
//! against the source the announcement names.
//!
//! These types go into canonical JSON announcements and sheets: field names are `snake_case`, the
//! variant is named by a `"kind"` field, bytes are lowercase hex strings, and every number is an
//! integer no larger than 2<sup>53</sup> − 1 (so that every JSON implementation reads it exactly).
//!
//! ```
//! use double_random::ceremony::beacon::{future_round, DRAND_QUICKNET};
//!
//! // An announcement published at 2025-01-01T00:00:00Z names a quicknet round at least
//! // 10 minutes later.
//! let announced = 1_735_689_600;
//! let round = DRAND_QUICKNET.future_round(announced, 600)?;
//! let spec = DRAND_QUICKNET.spec(round);
//! spec.validate()?;
//! spec.check_named_in_advance(announced, 600)?;
//! assert!(spec.check_named_in_advance(announced, 601).is_err());
//! # Ok::<(), double_random::ceremony::beacon::BeaconError>(())
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::Digest32;

/// The largest integer that every JSON reader represents exactly: 2<sup>53</sup> − 1.
///
/// Integers in beacon specs and values must not exceed it, so that a verifier in any language
/// (JavaScript, or Python's `json` via floats in some tools) reads the same number that was signed.
///
/// ```
/// use double_random::ceremony::beacon::MAX_JSON_INTEGER;
///
/// assert_eq!(MAX_JSON_INTEGER, 9_007_199_254_740_991);
/// ```
pub const MAX_JSON_INTEGER: u64 = (1 << 53) - 1;

/// Why a beacon spec or value was rejected.
///
/// Each variant says exactly which check failed, so a verifier's report can name it ("the
/// randomness of round 1 is not SHA-256 of its signature") instead of a bare "invalid".
///
/// ```
/// use double_random::ceremony::beacon::{round_time, BeaconError};
///
/// assert_eq!(round_time(0, 3, 0), Err(BeaconError::RoundZero));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BeaconError {
    /// The spec and the value are of different kinds (drand vs external).
    #[error("the beacon spec is of kind {spec} but the value is of kind {value}")]
    KindMismatch {
        /// The spec's kind.
        spec: &'static str,
        /// The value's kind.
        value: &'static str,
    },
    /// A drand check was asked of a spec or value that is not drand.
    #[error("expected a drand beacon, found kind {kind}")]
    NotDrand {
        /// The kind found.
        kind: &'static str,
    },
    /// Round 0 was named; drand rounds start at 1.
    #[error("drand rounds start at 1; round 0 does not exist")]
    RoundZero,
    /// A period of zero seconds was given.
    #[error("the beacon period must be at least one second")]
    ZeroPeriod,
    /// A time or round computation does not fit in 64 bits.
    #[error("the beacon time or round is out of range")]
    Overflow,
    /// An integer is larger than [`MAX_JSON_INTEGER`].
    #[error("{field} = {value} is larger than 2^53 - 1")]
    NotSafeInteger {
        /// The field.
        field: &'static str,
        /// Its value.
        value: u64,
    },
    /// A text field that must say something is empty (or only whitespace).
    #[error("{field} is empty")]
    EmptyField {
        /// The field.
        field: &'static str,
    },
    /// The public key has the wrong length for the scheme.
    #[error("a {scheme} public key has {expected} bytes, this one has {found}")]
    PublicKeyLength {
        /// The scheme named in the spec.
        scheme: DrandScheme,
        /// The length the scheme requires.
        expected: usize,
        /// The length given.
        found: usize,
    },
    /// The spec names a well-known chain by its hash but gives different parameters.
    #[error("the chain hash is that of drand {chain}, but {field} differs from that chain's")]
    KnownChainMismatch {
        /// The known chain's name.
        chain: &'static str,
        /// The field that differs.
        field: &'static str,
    },
    /// The value is for a different round than the spec names.
    #[error("the announcement names round {expected}, the value is for round {found}")]
    RoundMismatch {
        /// The round in the spec.
        expected: u64,
        /// The round in the value.
        found: u64,
    },
    /// A chained round came without its previous signature.
    #[error("round {round} of a chained scheme needs previous_signature")]
    MissingPreviousSignature {
        /// The round.
        round: u64,
    },
    /// An unchained round came with a previous signature.
    #[error("round {round} of an unchained scheme must not have previous_signature")]
    UnexpectedPreviousSignature {
        /// The round.
        round: u64,
    },
    /// The randomness is not SHA-256 of the signature.
    #[error("the randomness of round {round} is not SHA-256 of its signature")]
    RandomnessMismatch {
        /// The round.
        round: u64,
    },
    /// The public key is not a valid curve point.
    #[error("the drand public key is invalid: it is not a point of the scheme's curve")]
    InvalidPublicKey,
    /// The signature does not verify (or is not a valid curve point).
    #[error("the signature of round {round} does not verify: {problem}")]
    InvalidSignature {
        /// The round.
        round: u64,
        /// What failed.
        problem: DrandSignatureProblem,
    },
    /// This build has no drand verification (the `drand` feature is off).
    #[error("drand signatures cannot be verified: built without the `drand` feature")]
    DrandUnavailable,
    /// The round named is not published late enough after the announcement.
    #[error(
        "round {round} is published at {publish_time}, which is not at least \
         {margin_seconds} s (and strictly) after the announcement time {announce_time}"
    )]
    RoundTooEarly {
        /// The round named.
        round: u64,
        /// When it is published (UNIX seconds).
        publish_time: u64,
        /// The announcement's time (UNIX seconds).
        announce_time: u64,
        /// The margin required.
        margin_seconds: u64,
    },
    /// An external beacon's announced publication is not late enough after the announcement.
    #[error(
        "the external beacon is published at {published_at}, which is not at least \
         {margin_seconds} s (and strictly) after the announcement time {announce_time}"
    )]
    PublishedTooEarly {
        /// `published_at` (UNIX seconds).
        published_at: u64,
        /// The announcement's time (UNIX seconds).
        announce_time: u64,
        /// The margin required.
        margin_seconds: u64,
    },
    /// An external beacon's shape or value is refused.
    #[error("external beacon: {0}")]
    Groups(super::groups::GroupError),
    /// A hex string is malformed.
    #[error("invalid hex: {problem}")]
    InvalidHex {
        /// What is wrong with it.
        problem: HexProblem,
    },
}

/// Every [`BeaconError::code`] but an external beacon's (`beacon.groups`), in enum order.
pub const BEACON_ERROR_CODES: [&str; 23] = [
    "beacon.kind_mismatch",
    "beacon.not_drand",
    "beacon.round_zero",
    "beacon.zero_period",
    "beacon.overflow",
    "beacon.not_safe_integer",
    "beacon.empty_field",
    "beacon.public_key_length",
    "beacon.known_chain_mismatch",
    "beacon.round_mismatch",
    "beacon.missing_previous_signature",
    "beacon.unexpected_previous_signature",
    "beacon.randomness_mismatch",
    "beacon.invalid_public_key",
    "beacon.signature_pairing",
    "beacon.signature_not_a_point",
    "beacon.drand_unavailable",
    "beacon.round_too_early",
    "beacon.published_too_early",
    "beacon.groups",
    "beacon.hex_odd_length",
    "beacon.hex_digit",
    "beacon.hex_length",
];

impl BeaconError {
    /// The stable code of this error (one of [`BEACON_ERROR_CODES`]): programs and
    /// translations key on it, not on the English text.
    ///
    /// ```
    /// use double_random::ceremony::beacon::BeaconError;
    /// assert_eq!(BeaconError::RoundZero.code(), "beacon.round_zero");
    /// ```
    pub fn code(&self) -> &'static str {
        BEACON_ERROR_CODES[match self {
            BeaconError::KindMismatch { .. } => 0,
            BeaconError::NotDrand { .. } => 1,
            BeaconError::RoundZero => 2,
            BeaconError::ZeroPeriod => 3,
            BeaconError::Overflow => 4,
            BeaconError::NotSafeInteger { .. } => 5,
            BeaconError::EmptyField { .. } => 6,
            BeaconError::PublicKeyLength { .. } => 7,
            BeaconError::KnownChainMismatch { .. } => 8,
            BeaconError::RoundMismatch { .. } => 9,
            BeaconError::MissingPreviousSignature { .. } => 10,
            BeaconError::UnexpectedPreviousSignature { .. } => 11,
            BeaconError::RandomnessMismatch { .. } => 12,
            BeaconError::InvalidPublicKey => 13,
            BeaconError::InvalidSignature {
                problem: DrandSignatureProblem::PairingFailed,
                ..
            } => 14,
            BeaconError::InvalidSignature {
                problem: DrandSignatureProblem::NotAPoint,
                ..
            } => 15,
            BeaconError::DrandUnavailable => 16,
            BeaconError::RoundTooEarly { .. } => 17,
            BeaconError::PublishedTooEarly { .. } => 18,
            BeaconError::Groups(_) => 19,
            BeaconError::InvalidHex {
                problem: HexProblem::OddLength,
            } => 20,
            BeaconError::InvalidHex {
                problem: HexProblem::Digit,
            } => 21,
            BeaconError::InvalidHex {
                problem: HexProblem::Length,
            } => 22,
        }]
    }
}

/// Why a drand round's signature does not verify ([`BeaconError::InvalidSignature`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DrandSignatureProblem {
    /// The signature is a curve point, but the pairing check with the chain's key fails.
    PairingFailed,
    /// The signature bytes are not a point of the scheme's curve.
    NotAPoint,
}

impl std::fmt::Display for DrandSignatureProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DrandSignatureProblem::PairingFailed => "the pairing check failed",
            DrandSignatureProblem::NotAPoint => "it is not a point of the scheme's curve",
        })
    }
}

/// What is wrong with a hex string ([`BeaconError::InvalidHex`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HexProblem {
    /// An odd number of digits.
    OddLength,
    /// A character other than 0-9 and a-f.
    Digit,
    /// Not 64 digits where 32 bytes are required.
    Length,
}

impl std::fmt::Display for HexProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            HexProblem::OddLength => "odd number of digits",
            HexProblem::Digit => "only the digits 0-9 and a-f are allowed",
            HexProblem::Length => "expected exactly 64 hex digits (32 bytes)",
        })
    }
}

/// Decodes lowercase hex (the only spelling accepted, so that each value has one JSON form).
fn decode_lower_hex(s: &str) -> Result<Vec<u8>, BeaconError> {
    if !s.len().is_multiple_of(2) {
        return Err(BeaconError::InvalidHex {
            problem: HexProblem::OddLength,
        });
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(BeaconError::InvalidHex {
            problem: HexProblem::Digit,
        });
    }
    hex::decode(s).map_err(|_| BeaconError::InvalidHex {
        problem: HexProblem::Digit,
    })
}

/// Bytes of any length, written in JSON as a lowercase hex string.
///
/// Used for public keys and signatures. Parsing accepts only lowercase hex, so every value has
/// exactly one spelling in canonical JSON.
///
/// ```
/// use double_random::ceremony::beacon::HexBytes;
///
/// let b: HexBytes = "00ff".parse()?;
/// assert_eq!(b.as_ref(), &[0x00, 0xff]);
/// assert_eq!(serde_json::to_string(&b).unwrap(), "\"00ff\"");
/// assert!("00FF".parse::<HexBytes>().is_err());
/// # Ok::<(), double_random::ceremony::beacon::BeaconError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct HexBytes(pub Vec<u8>);

impl fmt::Debug for HexBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HexBytes({self})")
    }
}

impl fmt::Display for HexBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(&self.0))
    }
}

impl FromStr for HexBytes {
    type Err = BeaconError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        decode_lower_hex(s).map(HexBytes)
    }
}

impl AsRef<[u8]> for HexBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for HexBytes {
    fn from(v: Vec<u8>) -> Self {
        HexBytes(v)
    }
}

impl From<&[u8]> for HexBytes {
    fn from(v: &[u8]) -> Self {
        HexBytes(v.to_vec())
    }
}

impl Serialize for HexBytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for HexBytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Parses 64 lowercase hex digits into a [`Digest32`], with the beacon's own errors.
///
/// Chain hashes and drand randomness are [`Digest32`] values like every other SHA-256 output;
/// they are read through this so that a bad one is reported as a [`HexProblem`].
fn parse_hex32(s: &str) -> Result<Digest32, BeaconError> {
    let v = decode_lower_hex(s)?;
    let a: [u8; 32] = v.try_into().map_err(|_| BeaconError::InvalidHex {
        problem: HexProblem::Length,
    })?;
    Ok(Digest32(a))
}

/// Serde adapter for the [`Digest32`] fields of drand specs and values: written as
/// [`Digest32`] writes itself, read through [`parse_hex32`].
mod hex32 {
    use super::{Digest32, parse_hex32};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(super) fn serialize<S: Serializer>(v: &Digest32, s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Digest32, D::Error> {
        let s = String::deserialize(d)?;
        parse_hex32(&s).map_err(serde::de::Error::custom)
    }
}

/// A drand signature scheme, named by drand's own scheme id.
///
/// The scheme decides where the public key lives (G1 or G2), what message is signed, and whether
/// rounds are chained to the previous signature.
///
/// ```
/// use double_random::ceremony::beacon::DrandScheme;
///
/// let s: DrandScheme = serde_json::from_str("\"bls-unchained-g1-rfc9380\"").unwrap();
/// assert_eq!(s, DrandScheme::BlsUnchainedG1Rfc9380);
/// assert_eq!(DrandScheme::PedersenBlsChained.to_string(), "pedersen-bls-chained");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DrandScheme {
    /// `pedersen-bls-chained`: the original League of Entropy mainnet ("default"). Public key on
    /// G1 (48 bytes), signature on G2 (96 bytes) over SHA-256(previous_signature ‖ round as
    /// 8 bytes big-endian).
    #[serde(rename = "pedersen-bls-chained")]
    PedersenBlsChained,
    /// `bls-unchained-g1-rfc9380`: quicknet. Public key on G2 (96 bytes), signature on G1
    /// (48 bytes) over SHA-256(round as 8 bytes big-endian), hashed to the curve as in RFC 9380.
    #[serde(rename = "bls-unchained-g1-rfc9380")]
    BlsUnchainedG1Rfc9380,
}

impl DrandScheme {
    /// The scheme id as drand writes it.
    ///
    /// The same string appears in JSON and in drand's `/info` endpoint.
    ///
    /// ```
    /// use double_random::ceremony::beacon::DrandScheme;
    ///
    /// assert_eq!(DrandScheme::BlsUnchainedG1Rfc9380.id(), "bls-unchained-g1-rfc9380");
    /// ```
    pub fn id(self) -> &'static str {
        match self {
            DrandScheme::PedersenBlsChained => "pedersen-bls-chained",
            DrandScheme::BlsUnchainedG1Rfc9380 => "bls-unchained-g1-rfc9380",
        }
    }

    /// Whether each round's signature covers the previous round's signature.
    ///
    /// Chained rounds carry `previous_signature`; unchained rounds must not.
    ///
    /// ```
    /// use double_random::ceremony::beacon::DrandScheme;
    ///
    /// assert!(DrandScheme::PedersenBlsChained.is_chained());
    /// assert!(!DrandScheme::BlsUnchainedG1Rfc9380.is_chained());
    /// ```
    pub fn is_chained(self) -> bool {
        matches!(self, DrandScheme::PedersenBlsChained)
    }

    /// The length in bytes of a public key of this scheme.
    ///
    /// Lets a spec be rejected before any curve arithmetic.
    ///
    /// ```
    /// use double_random::ceremony::beacon::DrandScheme;
    ///
    /// assert_eq!(DrandScheme::PedersenBlsChained.public_key_len(), 48);
    /// assert_eq!(DrandScheme::BlsUnchainedG1Rfc9380.public_key_len(), 96);
    /// ```
    pub fn public_key_len(self) -> usize {
        match self {
            DrandScheme::PedersenBlsChained => 48,
            DrandScheme::BlsUnchainedG1Rfc9380 => 96,
        }
    }
}

impl fmt::Display for DrandScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The public beacon an announcement names, before its value exists.
///
/// JSON: `{"kind":"drand", ...}` or `{"kind":"external", ...}`; unknown fields are rejected so that
/// nothing unchecked can ride along in a signed announcement.
///
/// ```
/// use double_random::ceremony::beacon::{BeaconSpec, DRAND_MAINNET};
///
/// let spec = DRAND_MAINNET.spec(1);
/// let json = serde_json::to_string(&spec).unwrap();
/// assert!(json.starts_with("{\"kind\":\"drand\",\"chain_hash\":\"8990e7a9"));
/// let back: BeaconSpec = serde_json::from_str(&json).unwrap();
/// assert_eq!(back, spec);
///
/// let lottery: BeaconSpec = serde_json::from_str(
///     r#"{"kind":"external","description":"福利彩票双色球 2025001 期开奖号码",
///         "source":"https://www.cwl.gov.cn/ (开奖公告, 2025-01-02)",
///         "published_at":"2025-01-02T13:15:00Z",
///         "groups":[{"count":6,"distinct":true,"max":33,"min":1,"ordered":false},
///                   {"count":1,"distinct":true,"max":16,"min":1,"ordered":false}]}"#,
/// ).unwrap();
/// lottery.validate()?;
/// # Ok::<(), double_random::ceremony::beacon::BeaconError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum BeaconSpec {
    /// A future round of a drand chain.
    Drand {
        /// The chain's hash, which identifies it (drand's `hash` in `/info`).
        #[serde(with = "hex32")]
        chain_hash: Digest32,
        /// The chain's BLS public key.
        public_key: HexBytes,
        /// The chain's signature scheme.
        scheme: DrandScheme,
        /// Seconds between rounds.
        period_seconds: u64,
        /// UNIX time (seconds) of round 1.
        genesis_time: u64,
        /// The round named; it must be published after the announcement.
        round: u64,
    },
    /// A public random event outside drand whose result is integers, such as a state lottery
    /// draw (SPEC §8.4.2).
    External {
        /// What the value is: the draw's name, number and date.
        description: String,
        /// Where anyone can look the result up.
        source: String,
        /// When the result is published (UTC); the beacon's time.
        published_at: super::Timestamp,
        /// The shape of the result: one entry per group of integers.
        groups: Vec<super::groups::GroupSpec>,
    },
}

impl BeaconSpec {
    /// `"drand"` or `"external"`, as in the JSON `kind` field.
    ///
    /// For messages that compare a spec with a value.
    ///
    /// ```
    /// use double_random::ceremony::beacon::DRAND_QUICKNET;
    ///
    /// assert_eq!(DRAND_QUICKNET.spec(5).kind(), "drand");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            BeaconSpec::Drand { .. } => "drand",
            BeaconSpec::External { .. } => "external",
        }
    }

    /// Checks the spec on its own: sensible parameters, before any value exists.
    ///
    /// Run it when an announcement is made and again when one is verified. For drand: round and
    /// period at least 1, all integers at most [`MAX_JSON_INTEGER`], the round's publication time
    /// representable, the public key of the length the scheme needs, and, if the chain hash is that
    /// of a chain in [`KNOWN_DRAND_CHAINS`], every parameter equal to that chain's. (The chain hash
    /// of an unknown chain cannot be recomputed offline; it is carried as given.) For external:
    /// description and source not blank.
    ///
    /// # Errors
    /// The first failed check.
    ///
    /// ```
    /// use double_random::ceremony::beacon::{BeaconError, BeaconSpec, DRAND_MAINNET};
    ///
    /// DRAND_MAINNET.spec(100).validate()?;
    /// let BeaconSpec::Drand { chain_hash, public_key, scheme, genesis_time, round, .. } =
    ///     DRAND_MAINNET.spec(100) else { unreachable!() };
    /// let wrong_period = BeaconSpec::Drand {
    ///     chain_hash, public_key, scheme, genesis_time, round, period_seconds: 3,
    /// };
    /// assert_eq!(
    ///     wrong_period.validate(),
    ///     Err(BeaconError::KnownChainMismatch { chain: "mainnet", field: "period_seconds" })
    /// );
    /// # Ok::<(), BeaconError>(())
    /// ```
    pub fn validate(&self) -> Result<(), BeaconError> {
        match self {
            BeaconSpec::Drand {
                chain_hash,
                public_key,
                scheme,
                period_seconds,
                genesis_time,
                round,
            } => {
                check_safe("round", *round)?;
                check_safe("period_seconds", *period_seconds)?;
                check_safe("genesis_time", *genesis_time)?;
                if *round == 0 {
                    return Err(BeaconError::RoundZero);
                }
                if *period_seconds == 0 {
                    return Err(BeaconError::ZeroPeriod);
                }
                round_time(*genesis_time, *period_seconds, *round)?;
                if public_key.0.len() != scheme.public_key_len() {
                    return Err(BeaconError::PublicKeyLength {
                        scheme: *scheme,
                        expected: scheme.public_key_len(),
                        found: public_key.0.len(),
                    });
                }
                if let Some(known) = DrandChain::known(&chain_hash.0) {
                    let field = if public_key.0 != known.public_key {
                        Some("public_key")
                    } else if *scheme != known.scheme {
                        Some("scheme")
                    } else if *period_seconds != known.period_seconds {
                        Some("period_seconds")
                    } else if *genesis_time != known.genesis_time {
                        Some("genesis_time")
                    } else {
                        None
                    };
                    if let Some(field) = field {
                        return Err(BeaconError::KnownChainMismatch {
                            chain: known.name,
                            field,
                        });
                    }
                }
                Ok(())
            }
            BeaconSpec::External {
                description,
                source,
                groups,
                ..
            } => {
                if crate::normalize::trim(description).is_empty() {
                    return Err(BeaconError::EmptyField {
                        field: "description",
                    });
                }
                if crate::normalize::trim(source).is_empty() {
                    return Err(BeaconError::EmptyField { field: "source" });
                }
                super::groups::check_shape(groups).map_err(BeaconError::Groups)
            }
        }
    }

    /// The beacon's time (UNIX seconds): when its value becomes public (SPEC §8.4).
    ///
    /// For drand the round's publication time, for an external beacon its `published_at`.
    ///
    /// ```
    /// use double_random::ceremony::beacon::DRAND_QUICKNET;
    /// assert_eq!(DRAND_QUICKNET.spec(1).time()?, DRAND_QUICKNET.genesis_time);
    /// # Ok::<(), double_random::ceremony::beacon::BeaconError>(())
    /// ```
    pub fn time(&self) -> Result<u64, BeaconError> {
        match self {
            BeaconSpec::Drand {
                period_seconds,
                genesis_time,
                round,
                ..
            } => round_time(*genesis_time, *period_seconds, *round),
            BeaconSpec::External { published_at, .. } => Ok(published_at.unix()),
        }
    }

    /// Checks that the round named is published at least `margin_seconds` after, and strictly
    /// after, `announce_time` (UNIX seconds).
    ///
    /// This is what makes the beacon useful: a round already published when the announcement was
    /// made gives no protection against grinding. An external beacon's date is in its description
    /// and is checked by people; for it this returns `Ok(())`.
    ///
    /// # Errors
    /// [`BeaconError::RoundTooEarly`], or the errors of [`round_time`].
    ///
    /// ```
    /// use double_random::ceremony::beacon::DRAND_QUICKNET;
    ///
    /// let announced = 1_735_689_600; // round 14295412 is published at exactly this second
    /// assert!(DRAND_QUICKNET.spec(14_295_412).check_named_in_advance(announced, 0).is_err());
    /// // Round 14295413 is published at 1735689603.
    /// assert!(DRAND_QUICKNET.spec(14_295_413).check_named_in_advance(announced, 0).is_ok());
    /// # Ok::<(), double_random::ceremony::beacon::BeaconError>(())
    /// ```
    pub fn check_named_in_advance(
        &self,
        announce_time: u64,
        margin_seconds: u64,
    ) -> Result<(), BeaconError> {
        match self {
            BeaconSpec::Drand {
                period_seconds,
                genesis_time,
                round,
                ..
            } => {
                let publish_time = round_time(*genesis_time, *period_seconds, *round)?;
                let earliest = announce_time
                    .checked_add(margin_seconds.max(1))
                    .ok_or(BeaconError::Overflow)?;
                if publish_time < earliest {
                    return Err(BeaconError::RoundTooEarly {
                        round: *round,
                        publish_time,
                        announce_time,
                        margin_seconds,
                    });
                }
                Ok(())
            }
            BeaconSpec::External { published_at, .. } => {
                let earliest = announce_time
                    .checked_add(margin_seconds.max(1))
                    .ok_or(BeaconError::Overflow)?;
                if published_at.unix() < earliest {
                    return Err(BeaconError::PublishedTooEarly {
                        published_at: published_at.unix(),
                        announce_time,
                        margin_seconds,
                    });
                }
                Ok(())
            }
        }
    }
}

/// The value of a beacon, as entered at the draw.
///
/// For drand: the round's fields exactly as drand publishes them at `/public/<round>`. For an
/// external beacon: the result as a person reads it from the named source.
///
/// ```
/// use double_random::ceremony::beacon::BeaconValue;
///
/// let v: BeaconValue = serde_json::from_str(r#"{
///     "kind": "drand",
///     "round": 1,
///     "signature": "b55e7cb2d5c613ee0b2e28d6750aabbb78c39dcc96bd9d38c2c2e12198df95571de8e8e402a0cc48871c7089a2b3af4b",
///     "randomness": "1466a6cd24e327188770752f6134001c64d6efcc590ccc26b721611ad96f165a"
/// }"#).unwrap();
/// assert_eq!(v.kind(), "drand");
/// let external: BeaconValue = serde_json::from_str(r#"{"kind":"external","groups":[[3,7,12,19,25,31],[9]]}"#).unwrap();
/// assert_eq!(external.kind(), "external");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum BeaconValue {
    /// A drand round.
    Drand {
        /// The round number.
        round: u64,
        /// The round's BLS signature.
        signature: HexBytes,
        /// The previous round's signature (chained schemes only; absent otherwise).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        previous_signature: Option<HexBytes>,
        /// SHA-256 of the signature, as published.
        #[serde(with = "hex32")]
        randomness: Digest32,
    },
    /// The published result of an external random event, as canonical integer groups.
    External {
        /// One list of integers per group; sets ascending (SPEC §8.4.2).
        groups: Vec<Vec<u64>>,
    },
}

impl BeaconValue {
    /// `"drand"` or `"external"`, as in the JSON `kind` field.
    ///
    /// For messages that compare a spec with a value.
    ///
    /// ```
    /// use double_random::ceremony::beacon::BeaconValue;
    ///
    /// assert_eq!(BeaconValue::External { groups: vec![vec![7]] }.kind(), "external");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            BeaconValue::Drand { .. } => "drand",
            BeaconValue::External { .. } => "external",
        }
    }
}

fn check_safe(field: &'static str, value: u64) -> Result<(), BeaconError> {
    if value > MAX_JSON_INTEGER {
        return Err(BeaconError::NotSafeInteger { field, value });
    }
    Ok(())
}

/// The bytes of a beacon value that enter the seed derivation (SPEC §8.3).
///
/// * drand: the 32 bytes of `randomness`.
/// * external: `utf8(JCS(groups))` of the canonical integer groups.
///
/// It does not check the value; use [`verify`] first.
///
/// ```
/// use double_random::ceremony::beacon::{beacon_bytes, BeaconValue};
///
/// let v = BeaconValue::External { groups: vec![vec![3, 7, 12], vec![1]] };
/// assert_eq!(beacon_bytes(&v), b"[[3,7,12],[1]]");
/// ```
pub fn beacon_bytes(value: &BeaconValue) -> Vec<u8> {
    match value {
        BeaconValue::Drand { randomness, .. } => randomness.0.to_vec(),
        BeaconValue::External { groups } => super::groups::seed_bytes(groups),
    }
}

/// Checks `value` against `spec` and returns the bytes that enter the seed ([`beacon_bytes`]).
///
/// The one entry point for the draw and for verifiers: drand values go through [`verify_drand`];
/// external values must have the announced shape and be canonical (their truth is checked by
/// people against the spec's source).
///
/// # Errors
/// [`BeaconError::KindMismatch`], [`BeaconError::EmptyField`], or any error of
/// [`BeaconSpec::validate`] and [`verify_drand`].
///
/// ```
/// use double_random::ceremony::beacon::{verify, BeaconError, BeaconSpec, BeaconValue};
///
/// use double_random::ceremony::groups::{read_typed, GroupSpec};
///
/// let spec = BeaconSpec::External {
///     description: "体育彩票超级大乐透 25001 期开奖号码".into(),
///     source: "https://www.lottery.gov.cn/".into(),
///     published_at: "2025-01-01T13:30:00Z".parse().unwrap(),
///     groups: GroupSpec::daletou(),
/// };
/// let groups = read_typed(&GroupSpec::daletou(), "01 05 13 22 30 + 04 11").map_err(BeaconError::Groups)?;
/// let value = BeaconValue::External { groups };
/// assert_eq!(verify(&spec, &value)?, b"[[1,5,13,22,30],[4,11]]");
/// let unsorted = BeaconValue::External { groups: vec![vec![5, 1, 13, 22, 30], vec![4, 11]] };
/// assert!(verify(&spec, &unsorted).is_err());
/// # Ok::<(), double_random::ceremony::beacon::BeaconError>(())
/// ```
pub fn verify(spec: &BeaconSpec, value: &BeaconValue) -> Result<Vec<u8>, BeaconError> {
    match (spec, value) {
        (BeaconSpec::Drand { .. }, BeaconValue::Drand { .. }) => {
            verify_drand(spec, value).map(|r| r.to_vec())
        }
        (BeaconSpec::External { groups: shape, .. }, BeaconValue::External { groups }) => {
            spec.validate()?;
            super::groups::check_value(shape, groups).map_err(BeaconError::Groups)?;
            Ok(beacon_bytes(value))
        }
        _ => Err(BeaconError::KindMismatch {
            spec: spec.kind(),
            value: value.kind(),
        }),
    }
}

/// Verifies a drand round offline against the spec and returns its 32 randomness bytes.
///
/// Checks, in order: both are drand; the spec is valid ([`BeaconSpec::validate`]); the round is
/// the one named; `previous_signature` is present exactly for chained schemes; the randomness is
/// SHA-256 of the signature; and the BLS signature verifies under the spec's public key (for
/// `pedersen-bls-chained` over the previous signature and round, for `bls-unchained-g1-rfc9380`
/// over the round alone). A signature that is not even a curve point fails like a wrong one.
/// Takes a few milliseconds in a release build.
///
/// # Errors
/// The first failed check; [`BeaconError::DrandUnavailable`] when built without the `drand`
/// feature (the cheap checks still run first).
///
/// ```
/// use double_random::ceremony::beacon::{verify_drand, BeaconError, BeaconValue, DRAND_QUICKNET};
/// use double_random::Digest32;
///
/// let spec = DRAND_QUICKNET.spec(1);
/// let value = BeaconValue::Drand {
///     round: 1,
///     signature: "b55e7cb2d5c613ee0b2e28d6750aabbb78c39dcc96bd9d38c2c2e12198df95571de8e8e402a0cc48871c7089a2b3af4b".parse()?,
///     previous_signature: None,
///     randomness: Digest32::from_hex("1466a6cd24e327188770752f6134001c64d6efcc590ccc26b721611ad96f165a")
///         .expect("64 hex digits"),
/// };
/// # #[cfg(feature = "drand")]
/// assert_eq!(hex::encode(verify_drand(&spec, &value)?), "1466a6cd24e327188770752f6134001c64d6efcc590ccc26b721611ad96f165a");
/// // The same value does not pass for another round.
/// assert_eq!(
///     verify_drand(&DRAND_QUICKNET.spec(2), &value),
///     Err(BeaconError::RoundMismatch { expected: 2, found: 1 })
/// );
/// # Ok::<(), BeaconError>(())
/// ```
pub fn verify_drand(spec: &BeaconSpec, value: &BeaconValue) -> Result<[u8; 32], BeaconError> {
    let BeaconSpec::Drand {
        public_key,
        scheme,
        round: spec_round,
        ..
    } = spec
    else {
        return Err(BeaconError::NotDrand { kind: spec.kind() });
    };
    let BeaconValue::Drand {
        round,
        signature,
        previous_signature,
        randomness,
    } = value
    else {
        return Err(BeaconError::NotDrand { kind: value.kind() });
    };
    spec.validate()?;
    if round != spec_round {
        return Err(BeaconError::RoundMismatch {
            expected: *spec_round,
            found: *round,
        });
    }
    let previous: &[u8] = match (scheme.is_chained(), previous_signature) {
        (true, Some(p)) => &p.0,
        (true, None) => return Err(BeaconError::MissingPreviousSignature { round: *round }),
        (false, None) => &[],
        (false, Some(_)) => {
            return Err(BeaconError::UnexpectedPreviousSignature { round: *round });
        }
    };
    let digest: [u8; 32] = Sha256::digest(&signature.0).into();
    if digest != randomness.0 {
        return Err(BeaconError::RandomnessMismatch { round: *round });
    }
    verify_bls(*scheme, &public_key.0, *round, previous, &signature.0)?;
    Ok(randomness.0)
}

#[cfg(feature = "drand")]
fn verify_bls(
    scheme: DrandScheme,
    public_key: &[u8],
    round: u64,
    previous: &[u8],
    signature: &[u8],
) -> Result<(), BeaconError> {
    use drand_verify::{G1Pubkey, G2PubkeyRfc, Pubkey};
    let bad_key = |_: drand_verify::InvalidPoint| BeaconError::InvalidPublicKey;
    let outcome = match scheme {
        DrandScheme::PedersenBlsChained => G1Pubkey::from_variable(public_key)
            .map_err(bad_key)?
            .verify(round, previous, signature),
        DrandScheme::BlsUnchainedG1Rfc9380 => G2PubkeyRfc::from_variable(public_key)
            .map_err(bad_key)?
            .verify(round, b"", signature),
    };
    match outcome {
        Ok(true) => Ok(()),
        Ok(false) => Err(BeaconError::InvalidSignature {
            round,
            problem: DrandSignatureProblem::PairingFailed,
        }),
        Err(_) => Err(BeaconError::InvalidSignature {
            round,
            problem: DrandSignatureProblem::NotAPoint,
        }),
    }
}

#[cfg(not(feature = "drand"))]
fn verify_bls(
    _scheme: DrandScheme,
    _public_key: &[u8],
    _round: u64,
    _previous: &[u8],
    _signature: &[u8],
) -> Result<(), BeaconError> {
    Err(BeaconError::DrandUnavailable)
}

/// The drand round current at `unix_time`: ⌊(t − genesis) / period⌋ + 1, or 0 before genesis.
///
/// Round r is published at `genesis + (r − 1) · period` ([`round_time`]), so the round current at
/// t is the last one published at or before t. Use [`future_round`] to choose a round for an
/// announcement.
///
/// # Errors
/// [`BeaconError::ZeroPeriod`], or [`BeaconError::Overflow`] (only for t near 2<sup>64</sup>).
///
/// ```
/// use double_random::ceremony::beacon::{round_at, DRAND_QUICKNET};
///
/// let q = DRAND_QUICKNET;
/// assert_eq!(round_at(q.genesis_time, q.period_seconds, 1_735_689_600)?, 14_295_412);
/// assert_eq!(round_at(q.genesis_time, q.period_seconds, q.genesis_time)?, 1);
/// assert_eq!(round_at(q.genesis_time, q.period_seconds, q.genesis_time - 1)?, 0);
/// # Ok::<(), double_random::ceremony::beacon::BeaconError>(())
/// ```
pub fn round_at(
    genesis_time: u64,
    period_seconds: u64,
    unix_time: u64,
) -> Result<u64, BeaconError> {
    if period_seconds == 0 {
        return Err(BeaconError::ZeroPeriod);
    }
    if unix_time < genesis_time {
        return Ok(0);
    }
    ((unix_time - genesis_time) / period_seconds)
        .checked_add(1)
        .ok_or(BeaconError::Overflow)
}

/// The UNIX time at which drand round `round` is published: `genesis + (round − 1) · period`.
///
/// Lets an announcement state, and a verifier check, when the named round becomes known.
///
/// # Errors
/// [`BeaconError::RoundZero`], or [`BeaconError::Overflow`].
///
/// ```
/// use double_random::ceremony::beacon::{round_time, DRAND_MAINNET};
///
/// let m = DRAND_MAINNET;
/// assert_eq!(round_time(m.genesis_time, m.period_seconds, 1)?, 1_595_431_050);
/// assert_eq!(round_time(m.genesis_time, m.period_seconds, 3)?, 1_595_431_110);
/// # Ok::<(), double_random::ceremony::beacon::BeaconError>(())
/// ```
pub fn round_time(genesis_time: u64, period_seconds: u64, round: u64) -> Result<u64, BeaconError> {
    let steps = round.checked_sub(1).ok_or(BeaconError::RoundZero)?;
    steps
        .checked_mul(period_seconds)
        .and_then(|d| genesis_time.checked_add(d))
        .ok_or(BeaconError::Overflow)
}

/// The first drand round published at least `margin_seconds` after `announce_time`, and strictly
/// after it.
///
/// A round named in an announcement must be published strictly after the announcement's time,
/// otherwise the organizer could have known it while choosing the seed. The margin covers clock
/// error and the delay between signing the announcement and publishing it; with a margin of 0 the
/// round is still strictly later (at least one second). The result r is the smallest with
/// `round_time(r) ≥ announce_time + max(margin_seconds, 1)`.
///
/// # Errors
/// [`BeaconError::ZeroPeriod`], or [`BeaconError::Overflow`].
///
/// ```
/// use double_random::ceremony::beacon::{future_round, round_time, DRAND_QUICKNET};
///
/// let (g, p) = (DRAND_QUICKNET.genesis_time, DRAND_QUICKNET.period_seconds);
/// let t = 1_735_689_600; // round 14295412 is published at exactly this second
/// assert_eq!(future_round(g, p, t, 0)?, 14_295_413);
/// let r = future_round(g, p, t, 60)?;
/// assert_eq!(r, 14_295_432);
/// assert!(round_time(g, p, r)? >= t + 60 && round_time(g, p, r - 1)? < t + 60);
/// # Ok::<(), double_random::ceremony::beacon::BeaconError>(())
/// ```
pub fn future_round(
    genesis_time: u64,
    period_seconds: u64,
    announce_time: u64,
    margin_seconds: u64,
) -> Result<u64, BeaconError> {
    if period_seconds == 0 {
        return Err(BeaconError::ZeroPeriod);
    }
    let earliest = announce_time
        .checked_add(margin_seconds.max(1))
        .ok_or(BeaconError::Overflow)?;
    let round = if earliest <= genesis_time {
        1
    } else {
        (earliest - genesis_time)
            .div_ceil(period_seconds)
            .checked_add(1)
            .ok_or(BeaconError::Overflow)?
    };
    // The round must also have a representable publication time.
    round_time(genesis_time, period_seconds, round)?;
    Ok(round)
}

/// A drand chain's public parameters.
///
/// Lets an announcement name a round of a well-known chain without copying keys by hand, and lets
/// [`BeaconSpec::validate`] catch a spec that claims a known chain hash with other parameters.
///
/// ```
/// use double_random::ceremony::beacon::{DrandChain, DRAND_QUICKNET};
///
/// let q = DrandChain::known(&DRAND_QUICKNET.chain_hash).unwrap();
/// assert_eq!(q.name, "quicknet");
/// assert_eq!(q.public_key.len(), 96);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DrandChain {
    /// A short name: `"mainnet"`, `"quicknet"`.
    pub name: &'static str,
    /// The chain hash (drand's `hash`).
    pub chain_hash: [u8; 32],
    /// The group's BLS public key.
    pub public_key: &'static [u8],
    /// The signature scheme.
    pub scheme: DrandScheme,
    /// Seconds between rounds.
    pub period_seconds: u64,
    /// UNIX time of round 1.
    pub genesis_time: u64,
}

impl DrandChain {
    /// The spec naming `round` of this chain.
    ///
    /// The usual way to build a [`BeaconSpec::Drand`] for an announcement.
    ///
    /// ```
    /// use double_random::ceremony::beacon::{BeaconSpec, DRAND_MAINNET};
    ///
    /// let BeaconSpec::Drand { round, period_seconds, .. } = DRAND_MAINNET.spec(42) else {
    ///     unreachable!()
    /// };
    /// assert_eq!((round, period_seconds), (42, 30));
    /// ```
    pub fn spec(&self, round: u64) -> BeaconSpec {
        BeaconSpec::Drand {
            chain_hash: Digest32(self.chain_hash),
            public_key: HexBytes(self.public_key.to_vec()),
            scheme: self.scheme,
            period_seconds: self.period_seconds,
            genesis_time: self.genesis_time,
            round,
        }
    }

    /// The round current at `unix_time` on this chain (see [`round_at`]).
    ///
    /// For showing which round is live now.
    ///
    /// # Errors
    /// As [`round_at`].
    ///
    /// ```
    /// use double_random::ceremony::beacon::DRAND_QUICKNET;
    ///
    /// assert_eq!(DRAND_QUICKNET.round_at(1_735_689_600)?, 14_295_412);
    /// # Ok::<(), double_random::ceremony::beacon::BeaconError>(())
    /// ```
    pub fn round_at(&self, unix_time: u64) -> Result<u64, BeaconError> {
        round_at(self.genesis_time, self.period_seconds, unix_time)
    }

    /// The first round of this chain published at least `margin_seconds` (and strictly) after
    /// `announce_time` (see [`future_round`]).
    ///
    /// The round to name in an announcement made at `announce_time`.
    ///
    /// # Errors
    /// As [`future_round`].
    ///
    /// ```
    /// use double_random::ceremony::beacon::DRAND_MAINNET;
    ///
    /// // Mainnet round 1 was published at genesis, 1595431050; round 2 thirty seconds later.
    /// assert_eq!(DRAND_MAINNET.future_round(1_595_431_050, 0)?, 2);
    /// # Ok::<(), double_random::ceremony::beacon::BeaconError>(())
    /// ```
    pub fn future_round(
        &self,
        announce_time: u64,
        margin_seconds: u64,
    ) -> Result<u64, BeaconError> {
        future_round(
            self.genesis_time,
            self.period_seconds,
            announce_time,
            margin_seconds,
        )
    }

    /// The known chain with this chain hash, if any (see [`KNOWN_DRAND_CHAINS`]).
    ///
    /// For recognising a chain named in a spec.
    ///
    /// ```
    /// use double_random::ceremony::beacon::{DrandChain, DRAND_MAINNET};
    ///
    /// assert_eq!(DrandChain::known(&DRAND_MAINNET.chain_hash), Some(&DRAND_MAINNET));
    /// assert_eq!(DrandChain::known(&[0; 32]), None);
    /// ```
    pub fn known(chain_hash: &[u8; 32]) -> Option<&'static DrandChain> {
        KNOWN_DRAND_CHAINS
            .iter()
            .find(|c| &c.chain_hash == chain_hash)
    }
}

/// Decodes lowercase hex at compile time (only used for the constants below, where a bad digit
/// is a build error, never a run-time panic).
const fn hex_array<const N: usize>(s: &str) -> [u8; N] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => panic!("not lowercase hex"),
        }
    }
    let b = s.as_bytes();
    assert!(b.len() == 2 * N, "wrong hex length");
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = (nibble(b[2 * i]) << 4) | nibble(b[2 * i + 1]);
        i += 1;
    }
    out
}

const MAINNET_PUBLIC_KEY: [u8; 48] = hex_array(
    "868f005eb8e6e4ca0a47c8a77ceaa5309a47978a7c71bc5cce96366b5d7a569937c529eeda66c7293784a9402801af31",
);

const QUICKNET_PUBLIC_KEY: [u8; 96] = hex_array(
    "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a",
);

/// The League of Entropy mainnet ("default" beacon): chained, a round every 30 s since
/// 2020-07-22.
///
/// The longest-running public drand chain. Its round 1 has as `previous_signature` the group hash
/// `176f93498eac9ca337150b46d21dd58673ea4e3581185f869672e59fa4cb390a`.
///
/// ```
/// use double_random::ceremony::beacon::{DrandScheme, DRAND_MAINNET};
///
/// assert_eq!(DRAND_MAINNET.scheme, DrandScheme::PedersenBlsChained);
/// assert_eq!(DRAND_MAINNET.period_seconds, 30);
/// assert_eq!(hex::encode(DRAND_MAINNET.chain_hash),
///     "8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce");
/// ```
pub const DRAND_MAINNET: DrandChain = DrandChain {
    name: "mainnet",
    chain_hash: hex_array("8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce"),
    public_key: &MAINNET_PUBLIC_KEY,
    scheme: DrandScheme::PedersenBlsChained,
    period_seconds: 30,
    genesis_time: 1_595_431_050,
};

/// The League of Entropy quicknet: unchained (RFC 9380), a round every 3 s since 2023-08-23.
///
/// Unchained rounds can be verified alone, without the previous round, which makes them the
/// simpler choice for new announcements.
///
/// ```
/// use double_random::ceremony::beacon::{DrandScheme, DRAND_QUICKNET};
///
/// assert_eq!(DRAND_QUICKNET.scheme, DrandScheme::BlsUnchainedG1Rfc9380);
/// assert_eq!((DRAND_QUICKNET.period_seconds, DRAND_QUICKNET.genesis_time), (3, 1_692_803_367));
/// ```
pub const DRAND_QUICKNET: DrandChain = DrandChain {
    name: "quicknet",
    chain_hash: hex_array("52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"),
    public_key: &QUICKNET_PUBLIC_KEY,
    scheme: DrandScheme::BlsUnchainedG1Rfc9380,
    period_seconds: 3,
    genesis_time: 1_692_803_367,
};

/// The drand chains this crate knows by chain hash.
///
/// [`BeaconSpec::validate`] checks a spec naming one of these against its parameters.
///
/// ```
/// use double_random::ceremony::beacon::KNOWN_DRAND_CHAINS;
///
/// let names: Vec<_> = KNOWN_DRAND_CHAINS.iter().map(|c| c.name).collect();
/// assert_eq!(names, ["mainnet", "quicknet"]);
/// ```
pub const KNOWN_DRAND_CHAINS: &[DrandChain] = &[DRAND_MAINNET, DRAND_QUICKNET];

#[cfg(test)]
mod tests {
    use super::*;

    const MAINNET_R1_PREVIOUS: &str =
        "176f93498eac9ca337150b46d21dd58673ea4e3581185f869672e59fa4cb390a";
    const MAINNET_R1_SIGNATURE: &str = "8d61d9100567de44682506aea1a7a6fa6e5491cd27a0a0ed349ef6910ac5ac20ff7bc3e09d7c046566c9f7f3c6f3b10104990e7cb424998203d8f7de586fb7fa5f60045417a432684f85093b06ca91c769f0e7ca19268375e659c2a2352b4655";
    const MAINNET_R1_RANDOMNESS: &str =
        "101297f1ca7dc44ef6088d94ad5fb7ba03455dc33d53ddb412bbc4564ed986ec";
    const QUICKNET_R1_SIGNATURE: &str = "b55e7cb2d5c613ee0b2e28d6750aabbb78c39dcc96bd9d38c2c2e12198df95571de8e8e402a0cc48871c7089a2b3af4b";
    const QUICKNET_R1_RANDOMNESS: &str =
        "1466a6cd24e327188770752f6134001c64d6efcc590ccc26b721611ad96f165a";

    fn hx(s: &str) -> HexBytes {
        s.parse().unwrap()
    }

    fn h32(s: &str) -> Digest32 {
        Digest32::from_hex(s).unwrap()
    }

    fn mainnet_r1() -> BeaconValue {
        BeaconValue::Drand {
            round: 1,
            signature: hx(MAINNET_R1_SIGNATURE),
            previous_signature: Some(hx(MAINNET_R1_PREVIOUS)),
            randomness: h32(MAINNET_R1_RANDOMNESS),
        }
    }

    fn quicknet_r1() -> BeaconValue {
        BeaconValue::Drand {
            round: 1,
            signature: hx(QUICKNET_R1_SIGNATURE),
            previous_signature: None,
            randomness: h32(QUICKNET_R1_RANDOMNESS),
        }
    }

    /// Replaces the signature and recomputes the randomness, so that only the BLS check can fail.
    fn with_signature(v: &BeaconValue, sig: Vec<u8>) -> BeaconValue {
        let BeaconValue::Drand {
            round,
            previous_signature,
            ..
        } = v.clone()
        else {
            unreachable!()
        };
        BeaconValue::Drand {
            round,
            randomness: Digest32(Sha256::digest(&sig).into()),
            signature: HexBytes(sig),
            previous_signature,
        }
    }

    fn signature_of(v: &BeaconValue) -> Vec<u8> {
        match v {
            BeaconValue::Drand { signature, .. } => signature.0.clone(),
            BeaconValue::External { .. } => unreachable!(),
        }
    }

    fn is_failed_signature(r: &Result<[u8; 32], BeaconError>) -> bool {
        if cfg!(feature = "drand") {
            matches!(r, Err(BeaconError::InvalidSignature { .. }))
        } else {
            r == &Err(BeaconError::DrandUnavailable)
        }
    }

    #[test]
    fn published_rounds_verify() {
        let m = verify_drand(&DRAND_MAINNET.spec(1), &mainnet_r1());
        let q = verify_drand(&DRAND_QUICKNET.spec(1), &quicknet_r1());
        if cfg!(feature = "drand") {
            assert_eq!(m.map(hex::encode), Ok(MAINNET_R1_RANDOMNESS.to_string()));
            assert_eq!(q.map(hex::encode), Ok(QUICKNET_R1_RANDOMNESS.to_string()));
            assert_eq!(
                verify(&DRAND_QUICKNET.spec(1), &quicknet_r1()).map(hex::encode),
                Ok(QUICKNET_R1_RANDOMNESS.to_string())
            );
        } else {
            assert_eq!(m, Err(BeaconError::DrandUnavailable));
            assert_eq!(q, Err(BeaconError::DrandUnavailable));
        }
        assert_eq!(
            hex::encode(beacon_bytes(&quicknet_r1())),
            QUICKNET_R1_RANDOMNESS
        );
    }

    #[test]
    fn tampered_signatures_fail() {
        for (spec, value) in [
            (DRAND_MAINNET.spec(1), mainnet_r1()),
            (DRAND_QUICKNET.spec(1), quicknet_r1()),
        ] {
            let sig = signature_of(&value);
            // A flipped bit in the middle, in the last byte, and in the first (flag) byte.
            for (i, mask) in [(sig.len() / 2, 0x01u8), (sig.len() - 1, 0x80), (0, 0x20)] {
                let mut bad = sig.clone();
                bad[i] ^= mask;
                let r = verify_drand(&spec, &with_signature(&value, bad));
                assert!(is_failed_signature(&r), "byte {i}: {r:?}");
            }
            // Not a curve point at all, and the wrong length.
            let r = verify_drand(&spec, &with_signature(&value, vec![0xff; sig.len()]));
            assert!(is_failed_signature(&r), "{r:?}");
            let r = verify_drand(&spec, &with_signature(&value, sig[1..].to_vec()));
            assert!(is_failed_signature(&r), "{r:?}");
            let r = verify_drand(&spec, &with_signature(&value, Vec::new()));
            assert!(is_failed_signature(&r), "{r:?}");
        }
    }

    #[test]
    fn tampered_randomness_fails() {
        let BeaconValue::Drand {
            round,
            signature,
            previous_signature,
            mut randomness,
        } = quicknet_r1()
        else {
            unreachable!()
        };
        randomness.0[31] ^= 1;
        let v = BeaconValue::Drand {
            round,
            signature,
            previous_signature,
            randomness,
        };
        assert_eq!(
            verify_drand(&DRAND_QUICKNET.spec(1), &v),
            Err(BeaconError::RandomnessMismatch { round: 1 })
        );
    }

    #[test]
    fn a_round_signature_does_not_pass_for_another_round() {
        // Claim round 2 with round 1's signature: the round matches the spec, the BLS check fails.
        let BeaconValue::Drand {
            signature,
            randomness,
            ..
        } = quicknet_r1()
        else {
            unreachable!()
        };
        let v = BeaconValue::Drand {
            round: 2,
            signature,
            previous_signature: None,
            randomness,
        };
        assert!(is_failed_signature(&verify_drand(
            &DRAND_QUICKNET.spec(2),
            &v
        )));
        assert_eq!(
            verify_drand(&DRAND_QUICKNET.spec(3), &v),
            Err(BeaconError::RoundMismatch {
                expected: 3,
                found: 2
            })
        );
    }

    #[test]
    fn wrong_previous_signature_fails() {
        let BeaconValue::Drand {
            round,
            signature,
            randomness,
            ..
        } = mainnet_r1()
        else {
            unreachable!()
        };
        let mut prev = hex::decode(MAINNET_R1_PREVIOUS).unwrap();
        prev[0] ^= 1;
        let tampered = BeaconValue::Drand {
            round,
            signature: signature.clone(),
            previous_signature: Some(HexBytes(prev)),
            randomness,
        };
        assert!(is_failed_signature(&verify_drand(
            &DRAND_MAINNET.spec(1),
            &tampered
        )));
        let missing = BeaconValue::Drand {
            round,
            signature,
            previous_signature: None,
            randomness,
        };
        assert_eq!(
            verify_drand(&DRAND_MAINNET.spec(1), &missing),
            Err(BeaconError::MissingPreviousSignature { round: 1 })
        );
        let BeaconValue::Drand {
            round,
            signature,
            randomness,
            ..
        } = quicknet_r1()
        else {
            unreachable!()
        };
        let extra = BeaconValue::Drand {
            round,
            signature,
            previous_signature: Some(hx(MAINNET_R1_PREVIOUS)),
            randomness,
        };
        assert_eq!(
            verify_drand(&DRAND_QUICKNET.spec(1), &extra),
            Err(BeaconError::UnexpectedPreviousSignature { round: 1 })
        );
    }

    #[test]
    fn wrong_key_or_chain_fails() {
        // An unknown chain (zero chain hash) with mainnet's parameters but a tampered key.
        let mut pk = DRAND_MAINNET.public_key.to_vec();
        pk[10] ^= 1;
        let spec = BeaconSpec::Drand {
            chain_hash: Digest32([0; 32]),
            public_key: HexBytes(pk),
            scheme: DrandScheme::PedersenBlsChained,
            period_seconds: 30,
            genesis_time: DRAND_MAINNET.genesis_time,
            round: 1,
        };
        let r = verify_drand(&spec, &mainnet_r1());
        if cfg!(feature = "drand") {
            assert!(
                matches!(
                    r,
                    Err(BeaconError::InvalidPublicKey | BeaconError::InvalidSignature { .. })
                ),
                "{r:?}"
            );
        }
        // Quicknet's round under mainnet's spec: the lengths no longer fit the scheme.
        let BeaconValue::Drand {
            signature,
            randomness,
            ..
        } = quicknet_r1()
        else {
            unreachable!()
        };
        let v = BeaconValue::Drand {
            round: 1,
            signature,
            previous_signature: Some(hx(MAINNET_R1_PREVIOUS)),
            randomness,
        };
        assert!(is_failed_signature(&verify_drand(
            &DRAND_MAINNET.spec(1),
            &v
        )));
        // A spec claiming mainnet's hash with quicknet's key is refused before any curve math.
        let BeaconSpec::Drand {
            scheme,
            period_seconds,
            genesis_time,
            round,
            ..
        } = DRAND_MAINNET.spec(1)
        else {
            unreachable!()
        };
        let forged = BeaconSpec::Drand {
            chain_hash: Digest32(DRAND_MAINNET.chain_hash),
            public_key: HexBytes(DRAND_QUICKNET.public_key.to_vec()),
            scheme,
            period_seconds,
            genesis_time,
            round,
        };
        assert_eq!(
            forged.validate(),
            Err(BeaconError::PublicKeyLength {
                scheme: DrandScheme::PedersenBlsChained,
                expected: 48,
                found: 96
            })
        );
        let mut other_key = DRAND_MAINNET.public_key.to_vec();
        other_key[5] ^= 1;
        let BeaconSpec::Drand {
            chain_hash,
            scheme,
            period_seconds,
            genesis_time,
            round,
            ..
        } = DRAND_MAINNET.spec(1)
        else {
            unreachable!()
        };
        let forged = BeaconSpec::Drand {
            chain_hash,
            public_key: HexBytes(other_key),
            scheme,
            period_seconds,
            genesis_time,
            round,
        };
        assert_eq!(
            verify_drand(&forged, &mainnet_r1()),
            Err(BeaconError::KnownChainMismatch {
                chain: "mainnet",
                field: "public_key"
            })
        );
    }

    #[test]
    fn kinds_must_match() {
        let ext_spec = BeaconSpec::External {
            description: "draw".into(),
            source: "paper".into(),
            published_at: "2026-03-01T12:00:00Z".parse().unwrap(),
            groups: super::super::groups::GroupSpec::shuangseqiu(),
        };
        let ext_value = BeaconValue::External {
            groups: vec![vec![1, 2, 3, 4, 5, 6], vec![7]],
        };
        assert_eq!(
            verify(&DRAND_QUICKNET.spec(1), &ext_value),
            Err(BeaconError::KindMismatch {
                spec: "drand",
                value: "external"
            })
        );
        assert_eq!(
            verify(&ext_spec, &quicknet_r1()),
            Err(BeaconError::KindMismatch {
                spec: "external",
                value: "drand"
            })
        );
        assert_eq!(
            verify_drand(&ext_spec, &quicknet_r1()),
            Err(BeaconError::NotDrand { kind: "external" })
        );
        assert_eq!(
            verify_drand(&DRAND_QUICKNET.spec(1), &ext_value),
            Err(BeaconError::NotDrand { kind: "external" })
        );
        let blank = BeaconSpec::External {
            description: " ".into(),
            source: "x".into(),
            published_at: "2026-03-01T12:00:00Z".parse().unwrap(),
            groups: super::super::groups::GroupSpec::shuangseqiu(),
        };
        assert_eq!(
            verify(&blank, &ext_value),
            Err(BeaconError::EmptyField {
                field: "description"
            })
        );
    }

    #[test]
    fn external_bytes_are_the_canonical_groups() {
        let v = |g: Vec<Vec<u64>>| beacon_bytes(&BeaconValue::External { groups: g });
        assert_eq!(
            v(vec![vec![3, 9, 14, 21, 26, 31], vec![7]]),
            b"[[3,9,14,21,26,31],[7]]"
        );
        assert_eq!(v(vec![vec![0]]), b"[[0]]");
    }

    #[test]
    fn quicknet_round_at_new_year_2025() {
        assert_eq!(DRAND_QUICKNET.round_at(1_735_689_600), Ok(14_295_412));
        assert_eq!(
            round_time(
                DRAND_QUICKNET.genesis_time,
                DRAND_QUICKNET.period_seconds,
                14_295_412
            ),
            Ok(1_735_689_600)
        );
        assert_eq!(DRAND_QUICKNET.round_at(1_735_689_599), Ok(14_295_411));
        assert_eq!(
            DRAND_QUICKNET.future_round(1_735_689_600, 0),
            Ok(14_295_413)
        );
    }

    #[test]
    fn round_arithmetic_edges() {
        assert_eq!(round_at(10, 0, 20), Err(BeaconError::ZeroPeriod));
        assert_eq!(future_round(10, 0, 20, 0), Err(BeaconError::ZeroPeriod));
        assert_eq!(round_at(10, 5, 9), Ok(0));
        assert_eq!(round_at(10, 5, 10), Ok(1));
        assert_eq!(round_at(10, 5, 14), Ok(1));
        assert_eq!(round_at(10, 5, 15), Ok(2));
        assert_eq!(round_at(0, 1, u64::MAX), Err(BeaconError::Overflow));
        assert_eq!(round_time(10, 5, 0), Err(BeaconError::RoundZero));
        assert_eq!(round_time(10, u64::MAX, 3), Err(BeaconError::Overflow));
        // Before genesis the first round is round 1; strictly after means t + 1 at least.
        assert_eq!(future_round(100, 5, 0, 10), Ok(1));
        assert_eq!(future_round(100, 5, 99, 0), Ok(1));
        assert_eq!(future_round(100, 5, 100, 0), Ok(2));
        assert_eq!(future_round(100, 5, 101, 4), Ok(2));
        assert_eq!(future_round(100, 5, 101, 5), Ok(3));
        assert_eq!(future_round(0, 1, u64::MAX, 0), Err(BeaconError::Overflow));
        assert_eq!(
            future_round(0, 2, u64::MAX - 1, 0),
            Err(BeaconError::Overflow)
        );
    }

    #[test]
    fn future_round_is_the_first_late_enough_round() {
        // Exhaustive over a small grid: compare with a direct search.
        for genesis in [0u64, 7, 100] {
            for period in 1u64..=7 {
                for t in 0u64..130 {
                    for margin in 0u64..12 {
                        let r = future_round(genesis, period, t, margin).unwrap();
                        let earliest = t + margin.max(1);
                        let expected = (1u64..)
                            .find(|&r| genesis + (r - 1) * period >= earliest)
                            .unwrap();
                        assert_eq!(r, expected, "g={genesis} p={period} t={t} m={margin}");
                        let spec = BeaconSpec::Drand {
                            chain_hash: Digest32([0; 32]),
                            public_key: HexBytes(vec![0; 96]),
                            scheme: DrandScheme::BlsUnchainedG1Rfc9380,
                            period_seconds: period,
                            genesis_time: genesis,
                            round: r,
                        };
                        assert_eq!(spec.check_named_in_advance(t, margin), Ok(()));
                        if r > 1 {
                            let earlier = BeaconSpec::Drand {
                                chain_hash: Digest32([0; 32]),
                                public_key: HexBytes(vec![0; 96]),
                                scheme: DrandScheme::BlsUnchainedG1Rfc9380,
                                period_seconds: period,
                                genesis_time: genesis,
                                round: r - 1,
                            };
                            assert!(matches!(
                                earlier.check_named_in_advance(t, margin),
                                Err(BeaconError::RoundTooEarly { .. })
                            ));
                        }
                        // The chosen round is current from its publication time on.
                        let published = round_time(genesis, period, r).unwrap();
                        assert_eq!(round_at(genesis, period, published), Ok(r));
                    }
                }
            }
        }
    }

    #[test]
    fn json_shape_is_snake_case_tagged_and_integer_only() {
        let spec = serde_json::to_value(DRAND_QUICKNET.spec(14_295_413)).unwrap();
        assert_eq!(spec["kind"], "drand");
        assert_eq!(spec["scheme"], "bls-unchained-g1-rfc9380");
        assert_eq!(spec["period_seconds"], 3);
        assert_eq!(spec["genesis_time"], 1_692_803_367);
        assert_eq!(spec["round"], 14_295_413);
        assert_eq!(
            spec["chain_hash"],
            "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"
        );
        let keys: Vec<_> = spec.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "chain_hash",
                "genesis_time",
                "kind",
                "period_seconds",
                "public_key",
                "round",
                "scheme"
            ]
        );
        // Unchained values omit previous_signature; chained ones carry it.
        let q = serde_json::to_value(quicknet_r1()).unwrap();
        assert!(q.get("previous_signature").is_none());
        let m = serde_json::to_value(mainnet_r1()).unwrap();
        assert_eq!(m["previous_signature"], MAINNET_R1_PREVIOUS);
        let back: BeaconValue = serde_json::from_value(m).unwrap();
        assert_eq!(back, mainnet_r1());
        let ext = serde_json::to_string(&BeaconValue::External {
            groups: vec![vec![7]],
        })
        .unwrap();
        assert_eq!(ext, r#"{"kind":"external","groups":[[7]]}"#);
    }

    #[test]
    fn json_rejects_floats_unknown_fields_and_odd_hex() {
        let good = serde_json::to_value(DRAND_QUICKNET.spec(5)).unwrap();
        let with = |key: &str, v: serde_json::Value| {
            let mut j = good.clone();
            j[key] = v;
            serde_json::from_value::<BeaconSpec>(j)
        };
        assert!(with("round", serde_json::json!(5)).is_ok());
        assert!(with("round", serde_json::json!(5.0)).is_err());
        assert!(with("round", serde_json::json!(-5)).is_err());
        assert!(with("round", serde_json::json!("5")).is_err());
        assert!(with("extra", serde_json::json!(1)).is_err());
        assert!(with("kind", serde_json::json!("Drand")).is_err());
        assert!(with("scheme", serde_json::json!("bls-unchained-on-g1")).is_err());
        let upper = DRAND_QUICKNET.spec(5);
        let BeaconSpec::Drand { chain_hash, .. } = upper else {
            unreachable!()
        };
        assert!(
            with(
                "chain_hash",
                serde_json::json!(chain_hash.to_string().to_uppercase())
            )
            .is_err()
        );
        assert!(with("chain_hash", serde_json::json!("abc")).is_err());
        assert!(with("chain_hash", serde_json::json!("00")).is_err());
        assert!(with("public_key", serde_json::json!("0x00")).is_err());
        assert!(
            serde_json::from_str::<BeaconValue>(r#"{"kind":"external","groups":[[1]],"note":"x"}"#)
                .is_err()
        );
        assert!(serde_json::from_str::<BeaconValue>(r#"{"value":"1"}"#).is_err());
    }

    #[test]
    fn canonical_json_round_trip() {
        use crate::formats::jcs::{parse_canonical, to_canonical};
        for spec in [
            DRAND_MAINNET.spec(1),
            DRAND_QUICKNET.spec(14_295_413),
            BeaconSpec::External {
                description: "福利彩票 2025001 期".into(),
                source: "开奖公告".into(),
                published_at: "2025-01-02T13:15:00Z".parse().unwrap(),
                groups: super::super::groups::GroupSpec::shuangseqiu(),
            },
        ] {
            let bytes = to_canonical(&spec).unwrap();
            assert_eq!(parse_canonical::<BeaconSpec>(&bytes).unwrap(), spec);
        }
        for value in [mainnet_r1(), quicknet_r1()] {
            let bytes = to_canonical(&value).unwrap();
            assert_eq!(parse_canonical::<BeaconValue>(&bytes).unwrap(), value);
        }
        let bytes = to_canonical(&quicknet_r1()).unwrap();
        assert!(bytes.starts_with(b"{\"kind\":\"drand\",\"randomness\":\"1466a6cd"));
    }

    #[test]
    fn validate_rejects_unsafe_integers_and_zero() {
        let base = |round: u64, period: u64, genesis: u64| BeaconSpec::Drand {
            chain_hash: Digest32([1; 32]),
            public_key: HexBytes(vec![0; 48]),
            scheme: DrandScheme::PedersenBlsChained,
            period_seconds: period,
            genesis_time: genesis,
            round,
        };
        assert_eq!(base(1, 30, 0).validate(), Ok(()));
        assert_eq!(base(0, 30, 0).validate(), Err(BeaconError::RoundZero));
        assert_eq!(base(1, 0, 0).validate(), Err(BeaconError::ZeroPeriod));
        assert_eq!(
            base(MAX_JSON_INTEGER + 1, 1, 0).validate(),
            Err(BeaconError::NotSafeInteger {
                field: "round",
                value: MAX_JSON_INTEGER + 1
            })
        );
        assert!(matches!(
            base(1, 1, u64::MAX).validate(),
            Err(BeaconError::NotSafeInteger {
                field: "genesis_time",
                ..
            })
        ));
        assert_eq!(
            base(MAX_JSON_INTEGER, MAX_JSON_INTEGER, MAX_JSON_INTEGER).validate(),
            Err(BeaconError::Overflow)
        );
        for chain in KNOWN_DRAND_CHAINS {
            assert_eq!(chain.spec(1).validate(), Ok(()));
            assert_eq!(chain.public_key.len(), chain.scheme.public_key_len());
        }
    }
}
