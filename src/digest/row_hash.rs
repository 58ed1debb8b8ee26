//! SHA-256 of many short rows that often begin alike: the leaves of a large table.
//!
//! A leaf is the SHA-256 of a row's canonical JSON (SPEC §3.4), a few hundred bytes, so four or
//! five 64-byte blocks. The keys come in a fixed order and the first values are words of a
//! small vocabulary (an entity row begins `{"abnormal":false,"authority":"…市场监督管理局"`),
//! so the first block of one row is very often the first block of many others. SHA-256 works
//! block by block, and its state after a block depends on nothing but the blocks so far:
//! [`RowHasher`] keeps the state after each first block it has seen in a small table and
//! starts from there when the same block comes again. The digest is SHA-256's, bit for bit (a
//! property test compares it with [`Digest32::of`]); only the work differs.

use sha2::block_api::compress256;

use super::Digest32;

/// SHA-256's initial state (FIPS 180-4 §5.3.3).
const IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// Slots of the table of first blocks: a roster's first blocks are typically its registration
/// authorities (a county has a few dozen), each twice (abnormal or not).
const SLOTS: usize = 512;

/// Rows looked up before [`RowHasher`] decides whether the table pays.
const TRIAL: u32 = 4096;

/// One remembered first block and the state after it.
#[derive(Clone, Copy)]
struct Slot {
    block: [u8; 64],
    state: [u32; 8],
}

/// Hashes rows one after another, remembering the state after each row's first block.
///
/// The table costs a few nanoseconds a row (a hash of the block, a comparison, and on a miss a
/// copy); a compression costs tens. When the first [`TRIAL`] rows of at least two blocks find
/// their first block in the table less than one time in eight, it is not worth its cost and
/// is no longer consulted.
pub(crate) struct RowHasher {
    slots: Box<[Slot]>,
    tries: u32,
    hits: u32,
    cached: bool,
}

impl RowHasher {
    /// A hasher with an empty table.
    pub(crate) fn new() -> Self {
        // Every slot starts as the all-zero block with its true state, so a slot is never
        // wrong, only unused.
        let block = [0u8; 64];
        let mut state = IV;
        compress256(&mut state, &[block]);
        RowHasher {
            slots: vec![Slot { block, state }; SLOTS].into_boxed_slice(),
            tries: 0,
            hits: 0,
            cached: true,
        }
    }

    /// `SHA-256(row)`. `row` is padded in place while it is hashed and left as it came.
    pub(crate) fn leaf(&mut self, row: &mut Vec<u8>) -> Digest32 {
        let len = row.len();
        pad(row, len);
        let (blocks, rest) = row.as_chunks::<64>();
        debug_assert!(rest.is_empty());
        let mut state = IV;
        match blocks {
            [first, more @ ..] if self.cached && !more.is_empty() => {
                state = self.after(first);
                compress256(&mut state, more);
            }
            _ => compress256(&mut state, blocks),
        }
        row.truncate(len);
        let mut out = [0u8; 32];
        for (o, w) in out.as_chunks_mut::<4>().0.iter_mut().zip(state) {
            *o = w.to_be_bytes();
        }
        Digest32(out)
    }

    /// The state after `first`, from the table or computed and kept there.
    fn after(&mut self, first: &[u8; 64]) -> [u32; 8] {
        let slot = &mut self.slots[slot_of(first)];
        let hit = same(&slot.block, first);
        if !hit {
            slot.block = *first;
            slot.state = IV;
            compress256(&mut slot.state, &[*first]);
        }
        let state = slot.state;
        if self.tries < TRIAL {
            self.tries += 1;
            self.hits += u32::from(hit);
            if self.tries == TRIAL && self.hits < TRIAL / 8 {
                self.cached = false;
            }
        }
        state
    }
}

/// The slot of a block: its words folded together and mixed.
fn slot_of(block: &[u8; 64]) -> usize {
    let folded = block
        .as_chunks::<8>()
        .0
        .iter()
        .fold(0u64, |a, w| a.rotate_left(19) ^ u64::from_le_bytes(*w));
    (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 55) as usize % SLOTS
}

/// Whether two blocks are equal, compared a word at a time (`==` on arrays calls `memcmp`).
fn same(a: &[u8; 64], b: &[u8; 64]) -> bool {
    let word = |w: &[u8; 8]| u64::from_ne_bytes(*w);
    let (a, b) = (a.as_chunks::<8>().0, b.as_chunks::<8>().0);
    a.iter().zip(b).fold(0, |d, (x, y)| d | (word(x) ^ word(y))) == 0
}

/// Appends SHA-256's padding of a `len`-byte message (FIPS 180-4 §5.1.1): `0x80`, zeros up to
/// 56 bytes past a multiple of 64, and the length in bits as a big-endian `u64`.
fn pad(row: &mut Vec<u8>, len: usize) {
    row.push(0x80);
    let zeros = (64 + 56 - row.len() % 64) % 64;
    row.resize(row.len() + zeros, 0);
    row.extend_from_slice(&((len as u64) * 8).to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_length_around_the_block_edges_gives_sha256() {
        let mut h = RowHasher::new();
        for len in 0..300 {
            let msg: Vec<u8> = (0..len).map(|i| (i * 7 + len) as u8).collect();
            let mut row = msg.clone();
            assert_eq!(h.leaf(&mut row), Digest32::of(&msg), "length {len}");
            assert_eq!(row, msg, "the row is left as it came");
        }
    }

    #[test]
    fn a_remembered_first_block_gives_the_same_digest_as_a_fresh_one() {
        let mut h = RowHasher::new();
        let head = [b'a'; 64];
        for tail in [&b"x"[..], b"yz", &[0u8; 200]] {
            let msg = [&head[..], tail].concat();
            assert_eq!(h.leaf(&mut msg.clone()), Digest32::of(&msg));
        }
        assert_eq!(h.hits, 2, "the second and third rows found the first block");
        // An all-zero first block is in every slot from the start, and correct there.
        let zeros = [0u8; 100];
        assert_eq!(h.leaf(&mut zeros.to_vec()), Digest32::of(&zeros));
    }

    #[test]
    fn blocks_sharing_a_slot_replace_each_other_and_stay_right() {
        let mut h = RowHasher::new();
        let block = |i: u32| {
            let mut b = [0u8; 64];
            b[..4].copy_from_slice(&i.to_le_bytes());
            b
        };
        let slot = slot_of(&block(0));
        let blocks: Vec<[u8; 64]> = (0..100_000)
            .map(block)
            .filter(|b| slot_of(b) == slot)
            .take(3)
            .collect();
        assert_eq!(blocks.len(), 3, "three blocks of one slot");
        for round in 0..3 {
            for b in &blocks {
                let msg = [&b[..], &[round; 10]].concat();
                assert_eq!(h.leaf(&mut msg.clone()), Digest32::of(&msg));
            }
        }
    }

    #[test]
    fn a_table_that_does_not_pay_is_left_and_digests_stay_right() {
        let mut h = RowHasher::new();
        for i in 0..TRIAL + 10 {
            let msg = [&i.to_le_bytes()[..], &[9u8; 100]].concat();
            assert_eq!(h.leaf(&mut msg.clone()), Digest32::of(&msg));
        }
        assert!(!h.cached, "every first block differed");
        let mut h = RowHasher::new();
        for i in 0..TRIAL + 10 {
            let msg = [&[i as u8 % 3; 64][..], &i.to_le_bytes()[..]].concat();
            assert_eq!(h.leaf(&mut msg.clone()), Digest32::of(&msg));
        }
        assert!(h.cached, "three first blocks over and over");
    }

    proptest! {
        #[test]
        fn rows_with_shared_beginnings_hash_as_sha256(
            heads in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..140), 1..4),
            rows in proptest::collection::vec((0usize..4, proptest::collection::vec(any::<u8>(), 0..200)), 1..40),
        ) {
            let mut h = RowHasher::new();
            for (which, tail) in rows {
                let msg = [&heads[which % heads.len()][..], &tail[..]].concat();
                let mut row = msg.clone();
                prop_assert_eq!(h.leaf(&mut row), Digest32::of(&msg));
                prop_assert_eq!(row, msg);
            }
        }
    }
}
