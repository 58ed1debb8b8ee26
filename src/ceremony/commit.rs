//! Seed secrets, their commitments, and the derivation of the final seed (SPEC §8).
//!
//! Each party (the organizer and any witnesses, 监督人) makes a 32-byte secret from the
//! operating system's generator and publishes only its commitment in the announcement.
//! After the announcement, the secrets are revealed and the seed is derived from the
//! announcement digest, every secret in announcement order, and the beacon value. One
//! honest party, or an unpredictable beacon, is enough to stop anybody from choosing the
//! outcome by trying seeds.

use crate::digest::{Digest32, Framed};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Domain tag of commitments.
pub const COMMIT_TAG: &str = "double-random/v2/commit";
/// Domain tag of the seed.
pub const SEED_TAG: &str = "double-random/v2/seed";

/// Why a secret could not be made or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SecretError {
    /// The operating system's generator failed.
    #[error("{0}")]
    Random(crate::OsRandomError),
    /// Not 64 hex digits.
    #[error("a secret is 64 hexadecimal digits; this text is not (length {length})")]
    BadHex {
        /// Length of the text given.
        length: usize,
    },
}

/// A party's 32-byte seed secret. Zeroized when dropped; never printed by `Debug`.
///
/// ```
/// use double_random::ceremony::commit::{commitment, Secret};
/// let s = Secret::generate().unwrap();
/// assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
/// let again = Secret::from_hex(&s.to_hex()).unwrap();
/// assert_eq!(commitment("D1", "organizer", &s), commitment("D1", "organizer", &again));
/// ```
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Secret([u8; 32]);

impl Secret {
    /// 32 fresh bytes from the operating system's generator.
    #[cfg(feature = "os-random")]
    pub fn generate() -> Result<Self, SecretError> {
        let mut b = [0u8; 32];
        crate::os_random::fill(&mut b).map_err(SecretError::Random)?;
        Ok(Secret(b))
    }

    /// A secret from known bytes (tests, vectors, and reveals read back from a sheet).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Secret(bytes)
    }

    /// Reads 64 hex digits (surrounding white space ignored).
    pub fn from_hex(text: &str) -> Result<Self, SecretError> {
        let t = text.trim();
        let mut b = [0u8; 32];
        if t.len() != 64 || hex::decode_to_slice(t, &mut b).is_err() {
            return Err(SecretError::BadHex { length: t.len() });
        }
        Ok(Secret(b))
    }

    /// Lower-case hex, in a buffer that is wiped when dropped.
    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(self.0))
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// The commitment to a party's secret: `Framed(COMMIT_TAG, utf8(draw_id), utf8(party), secret)`.
///
/// Binding the draw and the party means a commitment, or a secret revealed in another
/// draw's sheet, cannot be carried over to another draw or passed off as another party's
/// (SPEC §8.2).
///
/// ```
/// use double_random::ceremony::commit::{commitment, Secret};
/// let s = Secret::from_bytes([1; 32]);
/// assert_ne!(commitment("D1", "organizer", &s), commitment("D1", "witness", &s));
/// assert_ne!(commitment("D1", "witness", &s), commitment("D2", "witness", &s));
/// ```
pub fn commitment(draw_id: &str, party: &str, secret: &Secret) -> Digest32 {
    Framed::new(COMMIT_TAG)
        .part(draw_id.as_bytes())
        .part(party.as_bytes())
        .part(&secret.0)
        .finish()
}

/// The role of a party in the ceremony.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The office that runs the draw.
    Organizer,
    /// A witness (监督人) who brings a secret of its own.
    Witness,
}

/// A party as listed in the announcement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// Name, unique within the announcement.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Commitment to the party's secret.
    pub commitment: Digest32,
}

/// A revealed secret, as listed in the sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reveal {
    /// Party name.
    pub name: String,
    /// The secret, 64 lower-case hex digits.
    pub secret: Digest32,
}

/// The final seed: `Framed(SEED_TAG, announcement, u64be(m), secret_1 … secret_m [, beacon])`.
///
/// Secrets come in announcement order; the beacon part is present exactly when the
/// announcement names a beacon (SPEC §8.3).
///
/// ```
/// use double_random::{Digest32, ceremony::commit::derive_seed};
/// let a = Digest32([0; 32]);
/// let s1 = derive_seed(&a, &[[1; 32], [2; 32]], None);
/// let s2 = derive_seed(&a, &[[2; 32], [1; 32]], None);
/// assert_ne!(s1, s2);
/// assert_ne!(s1, derive_seed(&a, &[[1; 32], [2; 32]], Some(b"")));
/// ```
pub fn derive_seed(
    announcement: &Digest32,
    secrets: &[[u8; 32]],
    beacon: Option<&[u8]>,
) -> Digest32 {
    let mut h = Framed::new(SEED_TAG).part(&announcement.0);
    h.push(&(secrets.len() as u64).to_be_bytes());
    for s in secrets {
        h.push(s);
    }
    if let Some(b) = beacon {
        h.push(b);
    }
    h.finish()
}
