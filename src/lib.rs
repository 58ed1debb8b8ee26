//! double-random: a verifiable 双随机 (double random, one public) inspection lottery.
//!
//! The engine draws inspected entities and inspector teams from two rosters with a seeded
//! ChaCha20 generator. Everything that enters the draw is fingerprinted and committed
//! before the seed exists, and everything that comes out can be replayed bit for bit by
//! anyone holding the published files. `docs/SPEC.md` states every byte.
//!
//! # A guide for a program that embeds the library
//!
//! A draw is a ceremony of signed documents, each appended to the office's log:
//!
//! 1. **Read the inputs**: the plan ([`formats::plan_toml`]) and the rosters
//!    ([`formats::roster_csv`], or [`formats::xlsx`]); every problem names its file, line and
//!    field ([`formats::error::InputErrors`]).
//! 2. **Announce** ([`ceremony::steps::announce`]): the digests of the inputs, the parties'
//!    commitments and the independent randomness to come, signed before anything random exists.
//! 3. **Draw** ([`ceremony::steps::draw`]): the parties' reveals and the beacon make the seed;
//!    the draw gives the signed result [`Sheet`].
//! 4. **Amend or void** ([`ceremony::steps::amend`], [`ceremony::steps::void`]): a replacement
//!    or a recusal is a signed [`Amendment`] drawn on its own stream; nothing is redrawn.
//! 5. **Verify** ([`ceremony::verify::verify`]): anyone replays the whole ceremony from the
//!    published documents; every result is a typed [`ceremony::verify::Check`] or
//!    [`ceremony::verify::Finding`] with a stable code.
//!
//! The steps do no I/O: each takes the documents already published (through
//! [`ceremony::steps::Records`]), its values, a clock reading and the office's
//! [`SecretKey`], and returns the document to publish with the log record to append. Where the
//! documents live is the caller's choice. [`bundle`] keeps them in folders, as the command-line
//! example does; `tests/all/ceremony_memory.rs` keeps them in memory. [`pipeline`] draws and replays
//! rosters of millions of rows straight from their files in bounded memory, and [`publish`]
//! renders the views people read (the notice, `sheet.csv`, `sheet.xlsx`).
//!
//! A whole ceremony in memory, the log a byte vector and the documents values (a real office
//! stores each [`ceremony::steps::Made`] before the next step, and gives the steps its earlier
//! documents through [`Records`]):
//!
//! ```
//! use double_random::ceremony::announce::InputDigests;
//! use double_random::ceremony::steps::{self, AnnounceStep, DrawStep, NoRecords};
//! use double_random::ceremony::{log, verify};
//! use double_random::{SecretKey, Secret, Timestamp, draw};
//!
//! let owned = draw::example_inputs(); // the plan and rosters, read by `formats` in practice
//! let inputs = owned.as_inputs();
//! let key = SecretKey::generate()?;
//! let secret = Secret::generate()?;
//! let at: Timestamp = "2026-03-01T01:00:00Z".parse()?;
//! let mut office_log = Vec::new();
//!
//! let announced = steps::announce(&log::check(&office_log, false), &NoRecords, &AnnounceStep {
//!     draw_id: "D1", plan: &owned.plan, inputs: InputDigests::of(&inputs)?, key: &key,
//!     organizer: "organizer", organizer_secret: &secret, witnesses: &[], beacon: None,
//!     announced_at: at, scheduled_at: at, drill: true,
//! })?;
//! announced.append_to(&mut office_log)?;
//!
//! let reveals = [("organizer".to_string(), secret.clone())];
//! let drawn = steps::draw(&log::check(&office_log, false), &NoRecords, &DrawStep {
//!     announcement: announced.document.stored(), key: &key, reveals: &reveals,
//!     beacon: None, drawn_at: at,
//! }, &inputs)?;
//! drawn.append_to(&mut office_log)?;
//!
//! // Anyone holding the public key, the documents and the rosters replays the draw.
//! let report = verify::verify(&verify::Published {
//!     public_key: &key.public_key(),
//!     announcement: announced.document.signed_document(),
//!     sheet: drawn.document.signed_document(),
//!     amendments: vec![],
//! }, Some(&owned.plan), Some(&inputs));
//! assert!(report.passed(), "{:?}", report.findings);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The pure draw alone, on a table already in memory:
//!
//! ```
//! use double_random::{Digest32, draw};
//!
//! // The pure draw on a small table: the same seed always gives the same sheet.
//! let inputs = draw::example_inputs();
//! let seed = Digest32::of(b"a seed made by the ceremony");
//! let a = draw::run(&inputs.as_inputs(), &seed)?;
//! let b = draw::run(&inputs.as_inputs(), &seed)?;
//! assert_eq!(a, b);
//! # Ok::<(), double_random::draw::DrawError>(())
//! ```
//!
//! # Layers
//!
//! Each module uses only those listed before it (`tests/all/layers.rs` checks this list against
//! every `use crate::` in the source):
//!
//! <!-- layers:begin -->
//! 1. `threads`, `shares`, `os_random` — the thread setting, work split across threads, the
//!    operating system's generator
//! 2. `digest` — framed SHA-256 and the table digest (SPEC §2)
//! 3. `rng` — the ChaCha20 streams, the only source of randomness in a draw (SPEC §5)
//! 4. `normalize`, `names`, `codes` — text, names and registration codes (SPEC §3)
//! 5. `model` — plans, entities, inspectors: pure data
//! 6. `draw` — the pure draw (SPEC §6, §7)
//! 7. `formats` — files: canonical JSON, rosters, plans, safe writes
//! 8. `sign` — minisign signatures and keys (SPEC §14)
//! 9. `ceremony` — announce, draw, amend, void, the log and verification (SPEC §8–§13)
//! 10. `pipeline` — the draw streamed from files, against the digests an announcement fixes
//! 11. `publish` — the views people read, and their check
//! 12. `bundle` — the ceremony kept in folders
//! 13. `fuzzing`, `internals` — hooks for the tests (feature `test-support`)
//! <!-- layers:end -->
//!
//! # Features
//!
//! `xlsx` (default) reads rosters from `.xlsx` workbooks and writes `sheet.xlsx`; `drand`
//! (default) checks drand beacon rounds offline; `os-random` (default) makes seed secrets, keys
//! and key-file salts from the operating system's generator. Verification needs none of them
//! but `drand`: without `os-random` the library builds for `wasm32-unknown-unknown`, and
//! [`bundle::verify_files`] verifies a draw's published files given in memory (`web/` builds
//! the page that does this in a browser). `test-support` exposes hooks for the fuzz
//! targets and benchmarks; no embedding program needs it.
//!
//! # Threads
//!
//! The streamed draw and the roster readers use up to [`DEFAULT_MAX_THREADS`] threads;
//! [`set_threads`] changes that for the whole library.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod bundle;
pub mod ceremony;
pub mod codes;
mod digest;
pub mod draw;
pub mod formats;
#[cfg(any(fuzzing, feature = "test-support"))]
pub mod fuzzing;
#[cfg(feature = "test-support")]
pub mod internals;
pub mod model;
mod names;
pub mod normalize;
mod os_random;
pub mod pipeline;
pub mod publish;
mod rng;
mod shares;
pub mod sign;
mod threads;

pub use ceremony::amend::Amendment;
pub use ceremony::announce::Announcement;
pub use ceremony::commit::Secret;
pub use ceremony::sheet::Sheet;
pub use ceremony::void::Void;
pub use ceremony::{Timestamp, steps::Records};
pub use digest::Digest32;
pub use model::Plan;
pub use names::{CharProblem, NameError, NameKind, NameProblem};
pub use os_random::OsRandomError;
pub use sign::{PublicKey, SecretKey};
pub use threads::{DEFAULT_MAX_THREADS, set_threads, threads};

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
