//! Crate-internal collectors, reachable from `benches/` so that they can be timed. Not part of
//! the public API: names and signatures may change at any time.
#![doc(hidden)]

use crate::digest::{Digest32, LeafSet};

/// The table digest of `leaves` through the leaf collector used when reading rosters.
///
/// Times the collector against [`crate::digest::table_digest`] (which gives the same value).
///
/// ```
/// use double_random::digest::{Digest32, table_digest};
/// use double_random::internals::leaf_set_digest;
/// let leaves: Vec<_> = (0u8..10).map(|i| Digest32::of(&[i])).collect();
/// assert_eq!(leaf_set_digest("t", &leaves), table_digest("t", leaves));
/// ```
pub fn leaf_set_digest(kind: &str, leaves: &[Digest32]) -> Digest32 {
    let mut set = LeafSet::new();
    for &leaf in leaves {
        set.push(leaf);
    }
    set.digest(kind)
}
