//! The building blocks below the API, reachable from the tests and `benches/` (feature
//! `test-support`): the framed hashes, the ChaCha20 streams and the collectors, so that they
//! can be checked against the specification's vectors and timed. Not part of the API: names
//! and signatures may change at any time.
#![doc(hidden)]

use crate::digest::{Digest32, LeafSet};

pub use crate::digest::{Framed, TABLE_TAG, table_digest};
pub use crate::formats::jcs::{row_leaf, table_digest_of};
pub use crate::names::check as check_name;
pub use crate::rng::{STREAM_TAG, Sampler, Stream, sample, stream_key};

/// The table digest of `leaves` through the leaf collector used when reading rosters.
///
/// Times the collector against [`crate::digest::table_digest`] (which gives the same value).
///
/// ```
/// use double_random::{Digest32, internals::table_digest};
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

/// The example inputs announced and drawn as `D1` in a temporary office folder.
///
/// What the documentation's examples and the tests of the published views start from: the
/// folder stays on disk while this value lives.
pub struct ExampleDraw {
    /// The office folder (removed when this is dropped).
    pub office: tempfile::TempDir,
    /// The draw folder, `D1` in the office folder.
    pub folder: crate::bundle::DrawDir,
    /// The office's signing key.
    pub key: crate::sign::SecretKey,
    /// What the draw gave: announcement, sheet and inputs.
    pub drawn: crate::bundle::Drawn,
}

/// The example inputs, announced at 2026-03-01T01:00:00Z as a drill without beacon nor
/// witnesses, and drawn at once.
///
/// ```
/// let d = double_random::internals::example_draw()?;
/// assert!(d.folder.path(double_random::bundle::SHEET_FILE).exists());
/// assert_eq!(d.drawn.sheet.draw_id, "D1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn example_draw() -> Result<ExampleDraw, Box<dyn std::error::Error>> {
    use crate::bundle::{
        AnnounceRequest, DrawDir, DrawRequest, LOG_FILE, NoProgress, PrivateDir, announce, draw,
        example_input_files, load_inputs,
    };
    use crate::ceremony::commit::Secret;
    let office = tempfile::tempdir()?;
    example_input_files(&office.path().join("r"))?;
    let private = PrivateDir::new(office.path().join("private"));
    let log = office.path().join(LOG_FILE);
    // A fixed key: the example needs no generator, so it builds without `os-random`.
    let key = crate::sign::SecretKey::from_seed(crate::sign::KeyId([0x5a; 8]), &[0x42; 32]);
    let folder = DrawDir::new(office.path().join("D1"));
    let inputs = load_inputs(&office.path().join("r"), None)?;
    let t: crate::ceremony::Timestamp = "2026-03-01T01:00:00Z".parse()?;
    announce(
        &folder,
        &private,
        &log,
        &AnnounceRequest {
            draw_id: "D1",
            inputs: &inputs,
            key: &key,
            organizer: "organizer",
            organizer_secret: &Secret::from_bytes([7; 32]),
            witnesses: &[],
            beacon: None,
            announced_at: t,
            scheduled_at: t,
            drill: true,
        },
    )?;
    let drawn = draw(
        &folder,
        &private,
        &log,
        &DrawRequest {
            key: &key,
            reveals: &[],
            beacon: None,
            drawn_at: t,
        },
        &mut NoProgress,
    )?;
    Ok(ExampleDraw {
        office,
        folder,
        key,
        drawn,
    })
}

/// An announcement and its sheet from the example inputs, for the documentation's examples.
pub fn example_documents() -> Result<(crate::Announcement, crate::Sheet), Box<dyn std::error::Error>>
{
    let d = example_draw()?;
    Ok((d.drawn.announcement, d.drawn.sheet))
}

/// [`crate::formats::jcs::to_canonical`] through a `serde_json::Value` tree, the way it was
/// written before the direct writer: the baseline the benchmarks time it against.
///
/// ```
/// use double_random::{formats::jcs::to_canonical, internals::to_canonical_via_value};
/// let v = serde_json::json!({"b": 1, "a": [true, "两"]});
/// assert_eq!(to_canonical_via_value(&v)?, to_canonical(&v)?);
/// # Ok::<(), double_random::formats::jcs::JcsError>(())
/// ```
pub fn to_canonical_via_value<T: serde::Serialize + ?Sized>(
    value: &T,
) -> Result<Vec<u8>, crate::formats::jcs::JcsError> {
    crate::formats::jcs::to_canonical_via_value(value)
}

/// [`crate::formats::jcs::parse_canonical`] through a `serde_json::Value` tree only, without
/// the typed fast path: the baseline the benchmarks time it against.
///
/// ```
/// use double_random::internals::parse_canonical_via_value;
/// let v: serde_json::Value = parse_canonical_via_value(br#"{"a":1,"b":2}"#)?;
/// assert_eq!(v["b"], 2);
/// assert!(parse_canonical_via_value::<serde_json::Value>(br#"{"b":2,"a":1}"#).is_err());
/// # Ok::<(), double_random::formats::jcs::JcsError>(())
/// ```
pub fn parse_canonical_via_value<T: serde::de::DeserializeOwned + serde::Serialize>(
    bytes: &[u8],
) -> Result<T, crate::formats::jcs::JcsError> {
    crate::formats::jcs::parse_canonical_via_value(bytes)
}
