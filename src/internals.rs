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

/// Streams a history table from `bytes` as the pipeline does, with the plain history reader
/// (`plain`) or the sequential reader on one thread; the rows and the table digest, or `None`
/// if the plain reader declines the table or the sequential reader finds a problem in it.
///
/// Times the two readers against each other: on a plain table they give the same result.
///
/// ```
/// use double_random::internals::history_rows;
/// let csv = b"entity,date,inspectors\n91350100M000100Y43,2025-03-01,P2;P1\n";
/// assert!(history_rows(csv, true).is_some());
/// assert_eq!(history_rows(csv, true), history_rows(csv, false));
/// let quoted = b"entity,date,inspectors\n91350100M000100Y43,2025-03-01,\"P2\"\n";
/// assert_eq!(history_rows(quoted, true), None);
/// assert!(history_rows(quoted, false).is_some());
/// ```
pub fn history_rows(bytes: &[u8], plain: bool) -> Option<(u64, Digest32)> {
    let summary = if plain {
        crate::formats::history_scan::scan("history.csv", bytes, false, |_| {}).ok()?
    } else {
        crate::formats::roster_csv::for_each_history("history.csv", bytes, false, |_, _| {
            Ok::<(), crate::formats::error::InputErrors>(())
        })
        .ok()?
    };
    Some((summary.rows, summary.digest))
}
