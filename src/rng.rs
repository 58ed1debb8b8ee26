//! The only door to randomness: keyed ChaCha20 streams, `below(n)` and prefix-stable sampling.
//!
//! Nothing else in the crate may produce random numbers for a draw. Everything here is
//! specified byte for byte in SPEC §5, uses only the raw ChaCha20 keystream (never
//! `rand`'s distributions, whose output may change between versions), and is therefore
//! reproducible by any other implementation of ChaCha20.

use crate::digest::{Digest32, Framed};
use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use std::collections::HashMap;

/// Domain tag for stream keys.
pub const STREAM_TAG: &str = "double-random/v1/stream";

/// One named random stream: ChaCha20 keyed by `Framed(STREAM_TAG, seed, label)`.
///
/// Each stratum, each inspector pool and each amendment uses its own label, so changing one
/// part of a draw never moves the picks of another (domain separation). The stream is
/// ChaCha20 with a 64-bit block counter starting at 0 and stream id 0; `next_u64` is two
/// little-endian keystream words, low word first.
///
/// ```
/// use double_random::{Digest32, internals::Stream};
/// let seed = Digest32([7; 32]);
/// let mut a = Stream::new(&seed, "entities/A");
/// let mut b = Stream::new(&seed, "entities/A");
/// assert_eq!(a.next_u64(), b.next_u64());
/// let x = a.below(10);
/// assert!(x < 10);
/// ```
pub struct Stream {
    rng: ChaCha20Rng,
}

impl Stream {
    /// The stream for `label` under `seed`.
    pub fn new(seed: &Digest32, label: &str) -> Self {
        Self::from_key(stream_key(seed, label).0)
    }

    /// A stream with a raw 32-byte ChaCha20 key (block counter 0, stream id 0).
    pub fn from_key(key: [u8; 32]) -> Self {
        Stream {
            rng: ChaCha20Rng::from_seed(key),
        }
    }

    /// The next 32-bit keystream word.
    pub fn next_u32(&mut self) -> u32 {
        self.rng.next_u32()
    }

    /// The next 64 bits: word i | word i+1 << 32.
    pub fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// A uniform integer in `0..n` by rejection sampling (no modulo bias).
    ///
    /// With `r = 2^64 mod n`: draw `x = next_u64()` until `x >= r`, return `x mod n`.
    /// Always consumes at least one `u64`. `n = 0` is treated as `n = 1`'s caller error
    /// and returns 0 after consuming one word (never panics).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            self.next_u64();
            return 0;
        }
        let r = n.wrapping_neg() % n;
        loop {
            let x = self.next_u64();
            if x >= r {
                return x % n;
            }
        }
    }
}

/// The key of the stream named `label`: `Framed(STREAM_TAG, seed, utf8(label))`.
///
/// ```
/// use double_random::{Digest32, internals::stream_key};
/// assert_ne!(stream_key(&Digest32([0; 32]), "a"), stream_key(&Digest32([0; 32]), "b"));
/// ```
pub fn stream_key(seed: &Digest32, label: &str) -> Digest32 {
    Framed::new(STREAM_TAG)
        .part(&seed.0)
        .part(label.as_bytes())
        .finish()
}

/// Prefix-stable sampling without replacement: a lazily materialised Fisher–Yates shuffle.
///
/// Pick `i` (from 0) swaps position `i` with position `i + below(n − i)` of the virtual
/// array `0..n` and returns the value now at `i`. Asking for one more pick never changes
/// the earlier ones, so a replacement (补抽) is simply the next pick. Memory is O(picks),
/// not O(n).
///
/// ```
/// use double_random::{Digest32, internals::{Sampler, Stream}};
/// let seed = Digest32([1; 32]);
/// let mut s = Sampler::new(Stream::new(&seed, "x"), 1000);
/// let first: Vec<u64> = (0..5).map(|_| s.next().unwrap()).collect();
/// let mut t = Sampler::new(Stream::new(&seed, "x"), 1000);
/// let more: Vec<u64> = (0..6).map(|_| t.next().unwrap()).collect();
/// assert_eq!(&more[..5], &first[..]);
/// ```
pub struct Sampler {
    stream: Stream,
    n: u64,
    i: u64,
    moved: HashMap<u64, u64>,
}

impl Sampler {
    /// A sampler over `0..n` driven by `stream`.
    pub fn new(stream: Stream, n: u64) -> Self {
        Sampler {
            stream,
            n,
            i: 0,
            moved: HashMap::new(),
        }
    }

    fn at(&self, pos: u64) -> u64 {
        *self.moved.get(&pos).unwrap_or(&pos)
    }
}

impl Iterator for Sampler {
    type Item = u64;

    /// The next pick, or `None` once all `n` values have been drawn.
    fn next(&mut self) -> Option<u64> {
        if self.i >= self.n {
            return None;
        }
        let i = self.i;
        let j = i + self.stream.below(self.n - i);
        let vi = self.at(i);
        let vj = self.at(j);
        self.moved.insert(j, vi);
        self.moved.remove(&i);
        self.i += 1;
        Some(vj)
    }
}

#[cfg(any(test, feature = "test-support"))]
/// `k` picks from `0..n` (fewer if `k > n`), in draw order.
///
/// ```
/// use double_random::{Digest32, internals::{sample, Stream}};
/// let picks = sample(Stream::new(&Digest32([1; 32]), "x"), 10, 3);
/// assert_eq!(picks.len(), 3);
/// ```
pub fn sample(stream: Stream, n: u64, k: u64) -> Vec<u64> {
    Sampler::new(stream, n).take(k as usize).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chacha20_check_value() {
        // RUST-NOTES: key = bytes 0..31, stream 0, first eight next_u32.
        let key: [u8; 32] = core::array::from_fn(|i| i as u8);
        let mut s = Stream::from_key(key);
        let words: Vec<u32> = (0..8).map(|_| s.next_u32()).collect();
        assert_eq!(
            words,
            [
                0x7d2bfd39, 0x6a19c5d9, 0x7703bd8d, 0x494adcb8, 0x6fd8358a, 0xcc6adebc, 0x4c7dccb2,
                0x9224ead8
            ]
        );
        let mut s = Stream::from_key(key);
        assert_eq!(s.next_u64(), 0x6a19c5d9_7d2bfd39);
    }

    #[test]
    fn below_is_in_range_and_rejects_low_zone() {
        let mut s = Stream::from_key([3; 32]);
        for n in [1u64, 2, 3, 7, 1000, u64::MAX / 3 * 2, u64::MAX] {
            for _ in 0..50 {
                assert!(s.below(n) < n);
            }
        }
        assert_eq!(s.below(0), 0);
    }

    #[test]
    fn sampler_is_a_permutation() {
        let mut picks: Vec<u64> = Sampler::new(Stream::from_key([9; 32]), 50).collect();
        assert_eq!(picks.len(), 50);
        picks.sort();
        assert_eq!(picks, (0..50).collect::<Vec<_>>());
    }

    #[test]
    fn sampler_is_roughly_uniform() {
        // Each of 10 values should be the first pick about 1000 times in 10,000 runs.
        let mut counts = [0u32; 10];
        let seed = Digest32([5; 32]);
        for r in 0..10_000 {
            let first = sample(Stream::new(&seed, &format!("u/{r}")), 10, 1)[0];
            counts[first as usize] += 1;
        }
        for c in counts {
            assert!((850..1150).contains(&c), "{counts:?}");
        }
    }
}
