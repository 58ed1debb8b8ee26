//! Finding a repeated id among millions of packed entity ids, in little more memory than the
//! ids themselves.
//!
//! A hash map of ten million 16-byte keys with their lines takes well over twice their size and
//! is probed at random. [`PackedIdSet`] only collects the keys (16 bytes each, in fixed-size
//! blocks) and looks for a repeat once, at the end: it files each key under a few bits of a
//! keyed mix of the key, so that each bucket holds a small, even share of the keys whatever the
//! ids look like, then sorts one bucket at a time and compares neighbours.

/// Keys per block: 16 KiB.
const BLOCK: usize = 1024;

/// Bits of the mixed key that choose a bucket.
const BUCKET_BITS: u32 = 8;

/// Number of buckets.
const FANOUT: usize = 1 << BUCKET_BITS;

/// Sets smaller than this are checked on the calling thread alone.
const PARALLEL_MIN: usize = 1 << 16;

/// Odd multipliers of the mix (digits of π and e; any odd constants would do).
const MUL: [u128; 2] = [
    0x243f_6a88_85a3_08d3_1319_8a2e_0370_7345,
    0xb7e1_5162_8aed_2a6a_bf71_5880_9cf4_f3c7 | 1,
];

/// Packed ids (`u128` keys) collected to find one that occurs twice.
///
/// Use it instead of a map when only "is any key repeated, and which" is needed and the keys come
/// by the million: extra memory is a few hundredths of the keys' own 16 bytes, and the check is
/// a sort of one small bucket at a time.
pub(crate) struct PackedIdSet {
    /// Indexed by the top bits of [`PackedIdSet::mix`]; only the last block takes pushes.
    buckets: Vec<Vec<Vec<u128>>>,
    len: usize,
    /// Random per set, so that no roster can be made to pile its ids into one bucket.
    key: u128,
}

impl Default for PackedIdSet {
    fn default() -> Self {
        Self::new()
    }
}

impl PackedIdSet {
    /// An empty set with a fresh random key.
    pub(crate) fn new() -> Self {
        use std::hash::BuildHasher as _;
        let rs = std::collections::hash_map::RandomState::new();
        let key = u128::from(rs.hash_one(1u8)) << 64 | u128::from(rs.hash_one(2u8));
        PackedIdSet {
            buckets: vec![Vec::new(); FANOUT],
            len: 0,
            key,
        }
    }

    /// The bucket of `k`: the top bits of a keyed bijection of the key (xor with the key,
    /// multiply by an odd constant, fold the high half down, multiply again).
    fn bucket(&self, k: u128) -> usize {
        let mut x = (k ^ self.key).wrapping_mul(MUL[0]);
        x ^= x >> 64;
        x = x.wrapping_mul(MUL[1]);
        (x >> (128 - BUCKET_BITS)) as usize
    }

    /// Adds one key.
    pub(crate) fn push(&mut self, k: u128) {
        let i = self.bucket(k);
        let Some(blocks) = self.buckets.get_mut(i) else {
            return;
        };
        match blocks.last_mut() {
            Some(b) if b.len() < BLOCK => b.push(k),
            Some(_) => {
                let mut b = Vec::with_capacity(BLOCK);
                b.push(k);
                blocks.push(b);
            }
            None => blocks.push(vec![k]),
        }
        self.len += 1;
    }

    /// Moves every key of `other` into this set; blocks are moved when both sets share a key (as
    /// clones of one set do), keys are re-filed otherwise.
    pub(crate) fn append(&mut self, other: PackedIdSet) {
        if other.key != self.key {
            for blocks in other.buckets {
                for block in blocks {
                    for k in block {
                        self.push(k);
                    }
                }
            }
            return;
        }
        self.len += other.len;
        for (mine, theirs) in self.buckets.iter_mut().zip(other.buckets) {
            if theirs.is_empty() {
                continue;
            }
            let open = mine.pop_if(|b| b.len() < BLOCK);
            mine.extend(theirs);
            if let Some(open) = open {
                mine.push(open);
            }
        }
    }

    /// An empty set that files keys as this one does, so that [`PackedIdSet::append`] into this
    /// one moves blocks rather than keys (one per thread, say).
    pub(crate) fn empty_like(&self) -> Self {
        PackedIdSet {
            buckets: vec![Vec::new(); FANOUT],
            len: 0,
            key: self.key,
        }
    }

    /// How many keys were pushed (repeats included).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The smallest key that was pushed more than once, `None` if every key is unique.
    ///
    /// The answer does not depend on the set's random key, the order of pushes or how sets were
    /// appended.
    pub(crate) fn first_duplicate(mut self) -> Option<u128> {
        if self.len >= PARALLEL_MIN {
            let (low, high) = self.buckets.split_at_mut(FANOUT / 2);
            let two = std::thread::scope(|scope| {
                let other = std::thread::Builder::new()
                    .name("id-dedup".into())
                    .spawn_scoped(scope, || smallest_repeat(high))
                    .ok()?;
                let a = smallest_repeat(low);
                let b = match other.join() {
                    Ok(b) => b,
                    Err(panic) => std::panic::resume_unwind(panic),
                };
                Some(a.into_iter().chain(b).min())
            });
            if let Some(found) = two {
                return found;
            }
        }
        // One thread (the second could not start): buckets already emptied hold no repeat.
        smallest_repeat(&mut self.buckets)
    }
}

/// The smallest repeated key in `buckets`, emptying them.
fn smallest_repeat(buckets: &mut [Vec<Vec<u128>>]) -> Option<u128> {
    let mut best: Option<u128> = None;
    let mut scratch: Vec<u128> = Vec::new();
    for blocks in buckets.iter_mut() {
        let blocks = std::mem::take(blocks);
        if blocks.is_empty() {
            continue;
        }
        scratch.clear();
        scratch.reserve(blocks.iter().map(Vec::len).sum());
        for block in blocks {
            scratch.extend_from_slice(&block);
        }
        scratch.sort_unstable();
        if let Some(w) = scratch.windows(2).find(|w| w[0] == w[1]) {
            let k = w[0];
            best = Some(best.map_or(k, |b| b.min(k)));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    /// The smallest key seen twice, by a hash set.
    fn reference(keys: &[u128]) -> Option<u128> {
        let mut seen = HashSet::new();
        keys.iter().filter(|k| !seen.insert(**k)).min().copied()
    }

    fn set_of(keys: &[u128]) -> PackedIdSet {
        let mut s = PackedIdSet::new();
        for &k in keys {
            s.push(k);
        }
        s
    }

    /// A packed id as the entity roster packs it: the length, then 5 bits per character.
    fn packed(digits: &[u8]) -> u128 {
        digits
            .iter()
            .fold(digits.len() as u128, |v, &d| (v << 5) | u128::from(d % 31))
    }

    #[test]
    fn empty_single_and_pairs() {
        assert_eq!(PackedIdSet::new().first_duplicate(), None);
        assert_eq!(set_of(&[7]).first_duplicate(), None);
        assert_eq!(set_of(&[7, 7]).first_duplicate(), Some(7));
        assert_eq!(set_of(&[9, 1, 9, 1]).first_duplicate(), Some(1));
        assert_eq!(
            set_of(&[u128::MAX, 0, u128::MAX]).first_duplicate(),
            Some(u128::MAX)
        );
        assert_eq!(set_of(&[7, 7, 7]).len(), 3);
    }

    #[test]
    fn sequential_ids_at_scale() {
        // 300,000 ids like 91520115429384959A that differ only in their last characters: all
        // in the low bits, which the mix must still spread over the buckets.
        let base: Vec<u8> = b"915201154293849".iter().map(|b| b - b'0').collect();
        let keys: Vec<u128> = (0..300_000u32)
            .map(|i| {
                let mut d = base.clone();
                d.extend([(i / 961 % 31) as u8, (i / 31 % 31) as u8, (i % 31) as u8]);
                d.push((i / 29_791) as u8);
                packed(&d)
            })
            .collect();
        let s = set_of(&keys);
        let largest = s
            .buckets
            .iter()
            .map(|b| b.iter().map(Vec::len).sum::<usize>())
            .max();
        assert!(
            largest.unwrap_or(0) < 2 * keys.len() / FANOUT,
            "{largest:?}"
        );
        assert_eq!(s.first_duplicate(), None);
        let mut with_repeat = keys.clone();
        with_repeat.push(keys[123_456]);
        with_repeat.push(keys[7]);
        assert_eq!(
            set_of(&with_repeat).first_duplicate(),
            Some(keys[7].min(keys[123_456]))
        );
    }

    #[test]
    fn appended_sets_find_repeats_across_them() {
        let keys: Vec<u128> = (0..100_000u128).map(|i| i << 90 | i).collect();
        let mut a = set_of(&keys[..60_000]);
        let mut b = a.empty_like();
        for &k in &keys[59_000..] {
            b.push(k);
        }
        a.append(b);
        assert_eq!(a.len(), 101_000);
        assert_eq!(a.first_duplicate(), Some(keys[59_000]));
        // Sets with different keys are re-filed.
        let mut c = set_of(&keys[..10]);
        c.append(set_of(&keys[5..20]));
        c.push(keys[30]);
        assert_eq!(c.len(), 26);
        assert_eq!(c.first_duplicate(), Some(keys[5]));
    }

    fn any_keys() -> impl Strategy<Value = Vec<u128>> {
        let key = prop_oneof![
            any::<u128>(),
            // Keys that share their high bits and differ in a few low ones.
            (0u128..64).prop_map(|x| (18u128 << 90) | x),
            // Keys that differ only in their high bits.
            (0u128..64).prop_map(|x| (x << 120) | 12345),
            (0u128..8),
        ];
        proptest::collection::vec(key, 0..300)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn first_duplicate_agrees_with_a_hash_set(keys in any_keys(), cut in 0usize..300) {
            prop_assert_eq!(set_of(&keys).first_duplicate(), reference(&keys));
            let cut = cut.min(keys.len());
            let mut a = set_of(&keys[..cut]);
            let mut b = a.empty_like();
            for &k in &keys[cut..] {
                b.push(k);
            }
            a.append(b);
            prop_assert_eq!(a.len(), keys.len());
            prop_assert_eq!(a.first_duplicate(), reference(&keys));
        }
    }

    #[test]
    fn large_sets_use_both_halves() {
        let keys: Vec<u128> = (0..(PARALLEL_MIN as u128 * 2))
            .map(|i| i * 0x1_0000_0001)
            .collect();
        assert_eq!(set_of(&keys).first_duplicate(), None);
        let mut rep = keys.clone();
        rep.extend([keys[1], keys[100_000]]);
        assert_eq!(set_of(&rep).first_duplicate(), Some(keys[1]));
    }
}
