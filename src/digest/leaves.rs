//! Collecting the leaves of a large table and digesting them in sorted order.
//!
//! A table digest (SPEC §3.4) hashes every leaf in ascending order. Ten million leaves take
//! 320 MB; a growing vector would reserve up to twice that, and sorting it in one piece is slow.
//! Leaves are SHA-256 values, so their first byte spreads them evenly: [`LeafSet`] files each
//! leaf under its first byte, in fixed-size blocks, and at the end sorts one bucket at a time
//! (a few hundredths of the set) while a second thread hashes the buckets already sorted.

use sha2::Digest as _;

use super::{Digest32, Framed, TABLE_TAG};

/// Leaves per block: 32 KiB.
const BLOCK: usize = 1024;

/// Buckets, one per value of a byte.
const FANOUT: usize = 256;

/// Sets smaller than this are digested on the calling thread alone.
const PARALLEL_MIN: usize = 1 << 16;

/// A bucket is sorted in one piece when it holds at most this many leaves, or at most a 64th of
/// the set; larger buckets (leaves chosen to share leading bytes) are split again by their next
/// byte, so the sorting buffer never approaches a second copy of the set.
const RUN_MIN_LIMIT: usize = 1 << 16;

/// Leaves hashed per call into SHA-256: 64 framed leaves of 40 bytes are 40 whole blocks.
const HASH_BATCH: usize = 64;

/// Sorted runs in flight between the sorting and the hashing thread.
const RUNS_IN_FLIGHT: usize = 2;

/// Leaves that share a prefix, in blocks of at most [`BLOCK`]; only the last block takes pushes.
#[derive(Default)]
struct Bucket {
    blocks: Vec<Vec<Digest32>>,
}

impl Bucket {
    fn push(&mut self, leaf: Digest32) {
        match self.blocks.last_mut() {
            Some(b) if b.len() < BLOCK => b.push(leaf),
            Some(_) => {
                let mut b = Vec::with_capacity(BLOCK);
                b.push(leaf);
                self.blocks.push(b);
            }
            // The first block grows as a vector does (4, 8, … up to BLOCK), so that small
            // tables stay small.
            None => self.blocks.push(vec![leaf]),
        }
    }

    fn len(&self) -> usize {
        self.blocks.iter().map(Vec::len).sum()
    }
}

/// The leaves of one table, kept for its digest ([`super::table_digest`]) in about 32 bytes
/// each.
///
/// Use it where leaves come by the million: pushing never copies the set (blocks of 1024 leaves
/// are added as needed), [`LeafSet::append`] moves blocks rather than leaves, and
/// [`LeafSet::digest`] sorts a bucket at a time, freeing blocks as it goes.
pub(crate) struct LeafSet {
    /// Indexed by a leaf's first byte.
    buckets: Vec<Bucket>,
    len: usize,
}

impl Default for LeafSet {
    fn default() -> Self {
        Self::new()
    }
}

impl LeafSet {
    /// An empty set.
    pub(crate) fn new() -> Self {
        LeafSet {
            buckets: (0..FANOUT).map(|_| Bucket::default()).collect(),
            len: 0,
        }
    }

    /// Adds one leaf.
    pub(crate) fn push(&mut self, leaf: Digest32) {
        if let Some(b) = self.buckets.get_mut(usize::from(leaf.0[0])) {
            b.push(leaf);
            self.len += 1;
        }
    }

    /// Moves every leaf of `other` into this set, block by block (no leaf is copied).
    pub(crate) fn append(&mut self, other: LeafSet) {
        self.len += other.len;
        for (mine, theirs) in self.buckets.iter_mut().zip(other.buckets) {
            if theirs.blocks.is_empty() {
                continue;
            }
            // Keep the block that takes pushes last; a partly filled block may sit in the middle.
            let open = mine.blocks.pop_if(|b| b.len() < BLOCK);
            mine.blocks.extend(theirs.blocks);
            if let Some(open) = open {
                mine.blocks.push(open);
            }
        }
    }

    /// How many leaves the set holds.
    #[cfg_attr(not(test), expect(dead_code, reason = "callers count rows themselves"))]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The table digest of `kind` over every leaf: [`super::table_digest`]`(kind, leaves)`.
    pub(crate) fn digest(mut self, kind: &str) -> Digest32 {
        let n = self.len;
        let mut h = Framed::new(TABLE_TAG).part(kind.as_bytes());
        h.push(&(n as u64).to_be_bytes());
        let limit = RUN_MIN_LIMIT.max(n / 64);
        let mut frames = Vec::with_capacity(HASH_BATCH * 40);
        if n >= PARALLEL_MIN
            && !cfg!(target_family = "wasm")
            && digest_in_two_threads(&mut self.buckets, limit, &mut h, &mut frames)
        {
            return h.finish();
        }
        sorted_runs(&mut self.buckets, 1, limit, &mut |run: &mut Vec<
            Digest32,
        >| {
            hash_run(&mut h, &mut frames, run);
            run.clear();
        });
        h.finish()
    }
}

/// Sorts on a second thread while this one hashes; `false` (nothing consumed) if the thread
/// could not be started.
fn digest_in_two_threads(
    buckets: &mut [Bucket],
    limit: usize,
    h: &mut Framed,
    frames: &mut Vec<u8>,
) -> bool {
    std::thread::scope(|scope| {
        let (run_tx, run_rx) = std::sync::mpsc::sync_channel::<Vec<Digest32>>(RUNS_IN_FLIGHT);
        let (back_tx, back_rx) = std::sync::mpsc::channel::<Vec<Digest32>>();
        let sorter = std::thread::Builder::new()
            .name("leaf-sorter".into())
            .spawn_scoped(scope, move || {
                sorted_runs(buckets, 1, limit, &mut |run: &mut Vec<Digest32>| {
                    let next = back_rx.try_recv().unwrap_or_default();
                    let full = std::mem::replace(run, next);
                    // The receiver only goes away if this thread's work is no longer wanted.
                    let _ = run_tx.send(full);
                });
            });
        if sorter.is_err() {
            return false;
        }
        for mut run in run_rx {
            hash_run(h, frames, &run);
            run.clear();
            let _ = back_tx.send(run);
        }
        true
    })
}

/// Appends the leaves of `run`, in order, each framed as a 32-byte part.
fn hash_run(h: &mut Framed, frames: &mut Vec<u8>, run: &[Digest32]) {
    const FRAME: [u8; 8] = 32u64.to_be_bytes();
    for batch in run.chunks(HASH_BATCH) {
        frames.clear();
        for leaf in batch {
            frames.extend_from_slice(&FRAME);
            frames.extend_from_slice(&leaf.0);
        }
        h.0.update(&frames[..]);
    }
}

/// Hands every leaf of `buckets` to `emit` in ascending order, as sorted runs, emptying the
/// buckets as it goes.
///
/// All leaves of a bucket share their first `depth` bytes. `emit` receives a filled buffer and
/// must leave an empty one (of any capacity) in its place for the next run.
fn sorted_runs(
    buckets: &mut [Bucket],
    depth: usize,
    limit: usize,
    emit: &mut dyn FnMut(&mut Vec<Digest32>),
) {
    let mut run: Vec<Digest32> = Vec::new();
    let (mut keys, mut sorted) = (Vec::new(), Vec::new());
    for bucket in buckets.iter_mut() {
        let bucket = std::mem::take(bucket);
        let n = bucket.len();
        if n == 0 {
            continue;
        }
        if depth >= 32 {
            // Every byte is shared: the leaves are all equal, any order is sorted.
            for block in bucket.blocks {
                run.clear();
                run.extend_from_slice(&block);
                emit(&mut run);
            }
        } else if n <= limit {
            run.clear();
            run.reserve(n);
            for block in bucket.blocks {
                run.extend_from_slice(&block);
            }
            sort_bucket(&mut run, depth, &mut keys, &mut sorted);
            emit(&mut run);
        } else {
            let mut split: Vec<Bucket> = (0..FANOUT).map(|_| Bucket::default()).collect();
            for block in bucket.blocks {
                for leaf in block {
                    if let Some(b) = split.get_mut(usize::from(leaf.0[depth])) {
                        b.push(leaf);
                    }
                }
            }
            sorted_runs(&mut split, depth + 1, limit, emit);
        }
    }
}

/// Sorts leaves that share their first `depth` bytes, using `keys` and `sorted` as scratch.
///
/// Sorts 16-byte keys (the next eight bytes of each leaf and its position) rather than the
/// 32-byte leaves, then moves each leaf once; leaves whose eight bytes are equal are put in
/// order by comparing them whole. The result is the order of whole leaves.
fn sort_bucket(
    run: &mut Vec<Digest32>,
    depth: usize,
    keys: &mut Vec<u128>,
    sorted: &mut Vec<Digest32>,
) {
    let at = depth.min(24);
    let word = |d: &Digest32| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&d.0[at..at + 8]);
        u64::from_be_bytes(w)
    };
    keys.clear();
    keys.extend(
        run.iter()
            .enumerate()
            .map(|(i, d)| u128::from(word(d)) << 64 | i as u128),
    );
    keys.sort_unstable();
    sorted.clear();
    let mut i = 0;
    while i < keys.len() {
        let w = keys[i] >> 64;
        let mut j = i + 1;
        while j < keys.len() && keys[j] >> 64 == w {
            j += 1;
        }
        let start = sorted.len();
        for k in &keys[i..j] {
            if let Some(d) = run.get(*k as u64 as usize) {
                sorted.push(*d);
            }
        }
        if j - i > 1 {
            sorted[start..].sort_unstable();
        }
        i = j;
    }
    std::mem::swap(run, sorted);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::table_digest;

    fn leaves(n: u32) -> Vec<Digest32> {
        (0..n).map(|i| Digest32::of(&i.to_le_bytes())).collect()
    }

    fn set_of(leaves: &[Digest32]) -> LeafSet {
        let mut s = LeafSet::new();
        for &l in leaves {
            s.push(l);
        }
        s
    }

    #[test]
    fn digest_equals_sort_then_hash() {
        for n in [0, 1, 2, 1000, 5000, PARALLEL_MIN as u32 + 7, 200_000] {
            let all = leaves(n);
            let s = set_of(&all);
            assert_eq!(s.len(), all.len());
            assert_eq!(s.digest("entities"), table_digest("entities", all), "{n}");
        }
    }

    #[test]
    fn appended_sets_digest_as_one() {
        let all = leaves(150_000);
        let want = table_digest("history", all.clone());
        for cut in [0, 1, 1023, 1024, 70_000, 150_000] {
            let mut a = set_of(&all[..cut]);
            let b = set_of(&all[cut..]);
            a.append(b);
            // Pushes after an append land in the right place too.
            a.push(all[0]);
            let mut more = all.clone();
            more.push(all[0]);
            assert_eq!(a.len(), more.len());
            assert_eq!(a.digest("history"), table_digest("history", more), "{cut}");
        }
        let mut many = LeafSet::new();
        for part in all.chunks(3001) {
            many.append(set_of(part));
        }
        assert_eq!(many.digest("history"), want);
    }

    #[test]
    fn leaves_sharing_leading_bytes_are_split_again() {
        // 200,000 leaves in one first-byte bucket, 100,000 of them also sharing the second and
        // third bytes, and repeats: far above the run limit, so buckets are split by later bytes.
        let mut all: Vec<Digest32> = leaves(200_000)
            .into_iter()
            .enumerate()
            .map(|(i, mut d)| {
                d.0[0] = 7;
                if i % 2 == 0 {
                    d.0[1] = 9;
                    d.0[2] = 1;
                }
                d
            })
            .collect();
        all.extend(std::iter::repeat_n(Digest32([5; 32]), 70_000));
        all.extend(std::iter::repeat_n(Digest32([0; 32]), 3));
        // Leaves equal in the eight bytes compared first, different after them.
        all.extend(leaves(500).into_iter().map(|mut d| {
            d.0[..16].copy_from_slice(&[3; 16]);
            d
        }));
        let want = table_digest("entities", all.clone());
        assert_eq!(set_of(&all).digest("entities"), want);
        let mut limit_hit = set_of(&all);
        let mut one_thread = Framed::new(TABLE_TAG).part(b"entities");
        one_thread.push(&(all.len() as u64).to_be_bytes());
        let mut frames = Vec::new();
        sorted_runs(&mut limit_hit.buckets, 1, 1000, &mut |run: &mut Vec<
            Digest32,
        >| {
            hash_run(&mut one_thread, &mut frames, run);
            run.clear();
        });
        assert_eq!(one_thread.finish(), want);
    }
}
