//! Fingerprints: the framed SHA-256 construction and the order-independent table digest.
//!
//! Every hash the engine computes over more than one value uses *framing*: each part is
//! preceded by its length as a big-endian `u64`, so no two different lists of parts can
//! produce the same byte string (SPEC §2). Roster digests sort the per-row hashes before
//! hashing them (sort-then-hash), which makes them independent of row order while staying
//! exactly as collision-resistant as SHA-256 itself.

use sha2::{Digest as _, Sha256};

mod leaves;
mod row_hash;

pub(crate) use leaves::LeafSet;
pub(crate) use row_hash::RowHasher;

/// A 32-byte SHA-256 value, shown as lower-case hex.
///
/// Used for every fingerprint in announcements and sheets: table digests, plan digest,
/// commitments, seeds, and the drand chain hashes and randomness of beacons.
///
/// ```
/// use double_random::Digest32;
/// let d = Digest32::of(b"abc");
/// assert_eq!(d.to_hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
/// assert_eq!(Digest32::from_hex(&d.to_hex()), Some(d));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Digest32(pub [u8; 32]);

impl Digest32 {
    /// Plain SHA-256 of `bytes` (what `sha256sum` prints for a file holding them).
    pub fn of(bytes: &[u8]) -> Self {
        Digest32(Sha256::digest(bytes).into())
    }

    /// Lower-case hex, 64 characters.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Parses exactly 64 hex digits (either case); `None` otherwise.
    pub fn from_hex(s: &str) -> Option<Self> {
        if s.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        hex::decode_to_slice(s, &mut out).ok()?;
        Some(Digest32(out))
    }
}

impl std::fmt::Debug for Digest32 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Digest32({})", self.to_hex())
    }
}

impl std::fmt::Display for Digest32 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl serde::Serialize for Digest32 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> serde::Deserialize<'de> for Digest32 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        if s.len() == 64
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            && let Some(v) = Digest32::from_hex(&s)
        {
            return Ok(v);
        }
        Err(serde::de::Error::custom(
            "expected 64 lower-case hex digits (a SHA-256 value)",
        ))
    }
}

/// Incremental framed hashing: `SHA-256(frame(p1) || frame(p2) || …)`, `frame(p) = u64be(len p) || p`.
///
/// This is the one construction behind stream keys, commitments, the seed and table
/// digests (SPEC §2). Framing makes the encoding of a list of parts injective.
///
/// ```
/// use double_random::internals::Framed;
/// let a = Framed::new("double-random/v1/example").part(b"ab").part(b"c").finish();
/// let b = Framed::new("double-random/v1/example").part(b"a").part(b"bc").finish();
/// assert_ne!(a, b);
/// ```
#[derive(Clone)]
pub struct Framed(Sha256);

impl Framed {
    /// Starts a framed hash whose first part is the ASCII domain tag.
    pub fn new(tag: &str) -> Self {
        Framed(Sha256::new()).part(tag.as_bytes())
    }

    /// Appends one part.
    pub fn part(mut self, bytes: &[u8]) -> Self {
        self.push(bytes);
        self
    }

    /// Appends one part in place.
    pub fn push(&mut self, bytes: &[u8]) {
        self.0.update((bytes.len() as u64).to_be_bytes());
        self.0.update(bytes);
    }

    /// Finishes the hash.
    pub fn finish(self) -> Digest32 {
        Digest32(self.0.finalize().into())
    }

    /// The same hash, taking many short parts through a buffer.
    pub(crate) fn buffered(self) -> FramedParts {
        FramedParts {
            framed: self,
            buf: Vec::with_capacity(PARTS_BUFFER),
        }
    }
}

/// Bytes of frames [`FramedParts`] gathers before hashing them.
const PARTS_BUFFER: usize = 16 * 1024;

/// [`Framed`] for many short parts, such as the ids of a stratum of ten million members: the
/// frames are gathered into a buffer and hashed a few thousand at a time, which saves the
/// hash's work per call. Same digest as [`Framed::push`] part by part.
pub(crate) struct FramedParts {
    framed: Framed,
    buf: Vec<u8>,
}

impl FramedParts {
    /// Appends one part.
    pub(crate) fn push(&mut self, bytes: &[u8]) {
        if self.buf.len() + 8 + bytes.len() > PARTS_BUFFER {
            self.framed.0.update(&self.buf);
            self.buf.clear();
        }
        self.buf
            .extend_from_slice(&(bytes.len() as u64).to_be_bytes());
        self.buf.extend_from_slice(bytes);
    }

    /// Finishes the hash.
    pub(crate) fn finish(mut self) -> Digest32 {
        self.framed.0.update(&self.buf);
        self.framed.finish()
    }
}

/// Domain tag of table (roster) digests.
pub const TABLE_TAG: &str = "double-random/v1/table";

/// Order-independent digest of a table: rows are hashed one by one, the row hashes sorted.
///
/// `digest = Framed(TABLE_TAG, kind, u64be(n), h_1, …, h_n)` where `h_i = SHA-256(row_i)` in
/// ascending byte order and `row_i` is the row's canonical JSON (SPEC §3). Sorting the
/// leaves makes the digest independent of row order; it stays collision-resistant (a
/// collision would need a SHA-256 collision), unlike XOR or sums of row hashes.
///
/// ```
/// use double_random::{Digest32, internals::table_digest};
/// let a = table_digest("entities", vec![Digest32::of(b"x"), Digest32::of(b"y")]);
/// let b = table_digest("entities", vec![Digest32::of(b"y"), Digest32::of(b"x")]);
/// assert_eq!(a, b);
/// assert_ne!(a, table_digest("inspectors", vec![Digest32::of(b"x"), Digest32::of(b"y")]));
/// ```
pub fn table_digest(kind: &str, mut leaves: Vec<Digest32>) -> Digest32 {
    leaves.sort_unstable();
    let mut h = Framed::new(TABLE_TAG).part(kind.as_bytes());
    h.push(&(leaves.len() as u64).to_be_bytes());
    for leaf in &leaves {
        h.push(&leaf.0);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn buffered_parts_hash_as_parts_one_by_one(
            parts in proptest::collection::vec(
                prop_oneof![
                    proptest::collection::vec(any::<u8>(), 0..40),
                    proptest::collection::vec(any::<u8>(), PARTS_BUFFER - 16..PARTS_BUFFER + 16),
                ],
                0..60,
            ),
        ) {
            let mut one = Framed::new("double-random/v1/test");
            let mut many = Framed::new("double-random/v1/test").buffered();
            for p in &parts {
                one.push(p);
                many.push(p);
            }
            prop_assert_eq!(one.finish(), many.finish());
        }
    }
}
