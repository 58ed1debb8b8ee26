//! The whole draw straight from roster files, streaming the entity roster (SPEC §3, §6, §7).
//!
//! [`draw::run`] needs every entity in memory as a full [`Entity`]; a national
//! roster of ten million rows would take gigabytes that way. This module reads the entity file
//! once — on every core when it is plain UTF-8 (the crate-internal `formats::entity_scan`),
//! otherwise with the sequential reader — and keeps per row only what the draw needs: its
//! 32-byte leaf hash for the table digest, and either its id packed in 16 bytes plus 8 bytes
//! saying where the row lies in the file (members of the population) or its packed id alone
//! (the other rows, for the check that no id repeats). History is streamed too, without a
//! record per row when it is plain UTF-8 (the crate-internal `formats::history_scan`): the repeat
//! rules are indexed as it passes, and only the rows inside the inspector window are kept. After
//! the draw the module reads back just the drawn rows (for names and regions), then assigns
//! teams from the small tables.
//!
//! The outcome is identical to reading every file with [`roster_csv`], then calling
//! [`InputDigests::of`] and [`draw::run`]: same digests, same strata, same
//! picks, same teams, same errors. The tests check this on every test vector and on generated
//! rosters.
//!
//! Order of errors: the small tables (inspectors, items, conflicts, history) come first, the
//! first file with problems being reported; then the entity file, whose problems (every one of
//! them, as [`roster_csv::read_entities`] reports them) come before any draw error. When the
//! plan has no entity repeat rules the other tables are read on one thread while the entity
//! file is read on the others, but the order of errors stays the same. Likewise the entity
//! table's digest is finished (its leaves sorted and hashed) beside the draw, yet a replay whose
//! inputs changed reports that before any problem of the draw.
//!
//! ```
//! use double_random::Digest32;
//! use double_random::formats::plan_toml::read_plan;
//! use double_random::pipeline::{self, RosterFiles};
//!
//! let files = RosterFiles::in_dir("examples/data");
//! let plan_text = std::fs::read_to_string("examples/data/plan.toml")?;
//! let plan = read_plan("plan.toml", &plan_text)?;
//! let seed = Digest32([7; 32]);
//! let out = pipeline::draw(&files, &plan, &seed)?;
//! assert_eq!(out.drawn.len(), out.result.assignments.len());
//! // A replay against the announced digests gives the same result.
//! let again = pipeline::replay(&files, &plan, &seed, &out.digests)?;
//! assert_eq!(again.result, out.result);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::ceremony::announce::{InputDigests, InputRef, plan_digest};
use crate::codes::{NOT_USCC, USCC_CHARSET, USCC_VALUE};
use crate::digest::Digest32;
use crate::draw::entities::{self, EntityDraw, Exclusion, RepeatIndex, StratumDraw, stratum_count};
use crate::draw::teams::Exclusions;
use crate::draw::{self, DrawError, DrawInputs, DrawResult};
use crate::formats::entity_scan::{self, Collector};
use crate::formats::error::{InputErrors, InputWarning};
use crate::formats::history_scan;
use crate::formats::jcs::JcsError;
use crate::formats::roster::{Columns, Encoding, Roster, RosterSummary};
use crate::formats::roster_csv::{self, RowPos};
use crate::model::{
    Conflict, Entity, EntityFields, HistoryRecord, Inspector, Item, Plan, RiskClass, Stratum,
};
use crate::shares::in_shares;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

/// The five roster files of a draw.
///
/// Use [`RosterFiles::in_dir`] for the usual names, or fill the paths in yourself.
///
/// ```
/// use double_random::pipeline::RosterFiles;
/// let f = RosterFiles::in_dir("data");
/// assert_eq!(f.entities, std::path::Path::new("data/entities.csv"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterFiles {
    /// Entity roster (CSV).
    pub entities: PathBuf,
    /// Inspector roster (CSV).
    pub inspectors: PathBuf,
    /// Item list (CSV).
    pub items: PathBuf,
    /// Declared conflicts (CSV).
    pub conflicts: PathBuf,
    /// Past inspections (CSV).
    pub history: PathBuf,
}

impl RosterFiles {
    /// `entities.csv`, `inspectors.csv`, `items.csv`, `conflicts.csv` and `history.csv` in `dir`.
    ///
    /// ```
    /// let f = double_random::pipeline::RosterFiles::in_dir("/tmp/x");
    /// assert!(f.history.ends_with("history.csv"));
    /// ```
    pub fn in_dir(dir: impl AsRef<Path>) -> Self {
        let d = dir.as_ref();
        RosterFiles {
            entities: d.join("entities.csv"),
            inspectors: d.join("inspectors.csv"),
            items: d.join("items.csv"),
            conflicts: d.join("conflicts.csv"),
            history: d.join("history.csv"),
        }
    }
}

/// Why a streamed draw or replay failed.
///
/// ```
/// use double_random::pipeline::{self, PipelineError, RosterFiles};
/// let plan = double_random::draw::example_plan();
/// let err = pipeline::draw(&RosterFiles::in_dir("/nonexistent"), &plan,
///     &double_random::Digest32([0; 32])).unwrap_err();
/// assert!(matches!(err, PipelineError::Input(_)));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PipelineError {
    /// A file could not be read, or holds problems (every one located).
    #[error(transparent)]
    Input(#[from] InputErrors),
    /// The draw itself failed (no stratum for a class, empty pool, …).
    #[error(transparent)]
    Draw(#[from] DrawError),
    /// A row or the plan could not be written as canonical JSON.
    #[error(transparent)]
    Canonical(#[from] JcsError),
    /// A replayed input does not have the announced digest.
    #[error("{input}: the announcement committed to {announced}, the file has {found}")]
    InputChanged {
        /// Which input (`entities`, `plan`, …).
        input: &'static str,
        /// The announced digest.
        announced: Digest32,
        /// The digest of what was read.
        found: Digest32,
    },
    /// An entity id longer than 18 bytes, which the id rules never let through.
    #[error("entity id {id} is longer than 18 characters")]
    LongId {
        /// The id.
        id: String,
    },
}

/// What a streamed draw computes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Outcome {
    /// The digests of every input, as [`InputDigests::of`] gives them.
    pub digests: InputDigests,
    /// The draw, as [`draw::run`] gives it.
    pub result: DrawResult,
    /// The drawn entities' full rows, in ascending id order (for names on the sheet).
    pub drawn: Vec<Entity>,
    /// The inspector roster (small; for names on the sheet).
    pub inspectors: Vec<Inspector>,
    /// The item list (small; for the names of items in what is published).
    pub items: Vec<Item>,
}

/// Draws from roster files: digests every input and runs the draw with `seed`.
///
/// Use it for rosters of any size: memory grows by about 32 bytes per entity row plus 24 per
/// member of the population (16 per other row), never with the length of names or tags.
///
/// # Errors
///
/// See [`PipelineError`]; errors come in the order given in the [module docs](self).
///
/// ```
/// use double_random::{Digest32, formats::plan_toml::read_plan, pipeline};
/// let plan = read_plan("plan.toml", &std::fs::read_to_string("examples/data/plan.toml")?)?;
/// let out = pipeline::draw(&pipeline::RosterFiles::in_dir("examples/data"), &plan, &Digest32([1; 32]))?;
/// assert!(out.digests.entities.rows > 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn draw(files: &RosterFiles, plan: &Plan, seed: &Digest32) -> Result<Outcome, PipelineError> {
    run(files, plan, seed, None)
}

/// Replays a draw: like [`draw()`], but every input must have the digest `announced` commits to.
///
/// Use it to check a published result: a changed file is reported by name before any team is
/// assigned.
///
/// # Errors
///
/// [`PipelineError::InputChanged`] for the first input (in the order entities, inspectors,
/// items, conflicts, history, plan) whose digest differs; otherwise as [`draw()`].
///
/// ```
/// use double_random::{Digest32, formats::plan_toml::read_plan, pipeline};
/// let plan = read_plan("plan.toml", &std::fs::read_to_string("examples/data/plan.toml")?)?;
/// let files = pipeline::RosterFiles::in_dir("examples/data");
/// let mut announced = pipeline::draw(&files, &plan, &Digest32([1; 32]))?.digests;
/// announced.items.digest = Digest32([0; 32]);
/// let err = pipeline::replay(&files, &plan, &Digest32([1; 32]), &announced).unwrap_err();
/// assert!(matches!(err, pipeline::PipelineError::InputChanged { input: "items", .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn replay(
    files: &RosterFiles,
    plan: &Plan,
    seed: &Digest32,
    announced: &InputDigests,
) -> Result<Outcome, PipelineError> {
    run(files, plan, seed, Some(announced))
}

/// The members of the population by stratum: one list per collector that read rows.
type ByStratum = BTreeMap<Stratum, Vec<Vec<Member>>>;

/// A member of the population: its id packed in string order, and where its row lies.
///
/// Ids are at most 18 characters of the USCC charset (digits and capitals but I, O, S, V, Z),
/// so 5 bits per character hold them, with 0 for "no character" after the end: 90 bits in
/// `key`, ordered exactly as the strings are. The struct takes 24 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Member {
    /// The packed id, high word first.
    key: [u64; 2],
    /// Row offset << 21 | row length (rows are at most 1 MiB).
    at: u64,
}

/// Bits for the row length in [`Member::at`].
const LEN_BITS: u32 = 21;

/// The most characters a member id has.
const ID_CHARS: usize = 18;

/// The 5-bit value of each byte in a packed id: its place in [`USCC_CHARSET`] plus one (0 is
/// "no character"), or [`NOT_PACKED`] for a byte outside the charset.
const PACKED: [u8; 256] = {
    let mut t = [NOT_PACKED; 256];
    let mut c = 0;
    while c < 256 {
        if USCC_VALUE[c] != NOT_USCC {
            t[c] = USCC_VALUE[c] + 1;
        }
        c += 1;
    }
    t
};

/// The character of each 5-bit value in a packed id (0, "no character", gives 0).
const UNPACKED: [u8; 32] = {
    let mut t = [0u8; 32];
    let mut d = 1;
    while d < 32 {
        t[d] = USCC_CHARSET.as_bytes()[d - 1];
        d += 1;
    }
    t
};

/// Marks a byte outside the charset in [`PACKED`]: the one bit no 5-bit value has.
const NOT_PACKED: u8 = 0x80;

/// Characters in each half of a packed id, each half held in a `u64` while it is packed.
const HALF: usize = ID_CHARS / 2;

/// An id packed as in [`Member::key`].
fn pack_id(id: &str) -> Result<[u64; 2], PipelineError> {
    let b = id.as_bytes();
    if b.len() > ID_CHARS {
        return Err(PipelineError::LongId { id: id.to_owned() });
    }
    let mut digits = [0u8; ID_CHARS];
    let mut seen = 0;
    for (d, &c) in digits.iter_mut().zip(b) {
        *d = PACKED[usize::from(c)];
        seen |= *d;
    }
    if seen & NOT_PACKED != 0 {
        return Err(PipelineError::LongId { id: id.to_owned() });
    }
    let half = |ds: &[u8]| ds.iter().fold(0u64, |v, &d| v << 5 | u64::from(d));
    let v = u128::from(half(&digits[..HALF])) << (5 * HALF) | u128::from(half(&digits[HALF..]));
    Ok([(v >> 64) as u64, v as u64])
}

impl Member {
    fn new(id: &str, offset: u64, len: usize) -> Result<Self, PipelineError> {
        Ok(Member {
            key: pack_id(id)?,
            at: (offset << LEN_BITS) | len as u64,
        })
    }

    /// The id's bytes in a buffer, and how many there are.
    fn id_bytes(&self) -> ([u8; ID_CHARS], usize) {
        let v = as_u128(self.key);
        // Every character of an id has a value of at least 1, so the 5-bit groups of zeros at
        // the end are the places after it: the length needs no walk, and every place is
        // written without a test.
        let len = match v {
            0 => 0,
            v => ID_CHARS - (v.trailing_zeros() / 5) as usize,
        };
        let halves = [(v >> (5 * HALF)) as u64, v as u64];
        let mut out = [0u8; ID_CHARS];
        for (i, o) in out.iter_mut().enumerate() {
            let d = (halves[i / HALF] >> (5 * (HALF - 1 - i % HALF))) & 31;
            *o = UNPACKED[d as usize];
        }
        (out, len)
    }

    fn id(&self) -> String {
        let (b, len) = self.id_bytes();
        String::from_utf8_lossy(&b[..len]).into_owned()
    }

    fn pos(&self) -> RowPos {
        RowPos {
            line: 0,
            offset: self.at >> LEN_BITS,
            len: (self.at & ((1 << LEN_BITS) - 1)) as usize,
        }
    }
}

/// The error for a file that gave different rows on a second read.
fn changed(name: &str) -> InputErrors {
    InputErrors::io(
        name,
        &std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "the file changed while it was being read",
        ),
    )
}

/// The name problems give for a file: its last component.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn open(path: &Path) -> Result<(String, BufReader<File>), PipelineError> {
    let name = file_name(path);
    let f = File::open(path).map_err(|e| InputErrors::io(&name, &e))?;
    Ok((name, BufReader::with_capacity(256 * 1024, f)))
}

/// A small table: its digest and rows, and what a survey reports of it.
struct SmallTable<T> {
    at: InputRef,
    rows: Vec<T>,
    read: FileRead,
}

/// A small table's digest and rows.
fn take<T>(roster: Roster<T>, digest: fn(&Roster<T>) -> Digest32) -> SmallTable<T> {
    let digest = digest(&roster);
    SmallTable {
        at: InputRef {
            digest,
            rows: roster.rows.len() as u64,
        },
        read: FileRead {
            columns: roster.columns,
            warnings: roster.warnings,
        },
        rows: roster.rows,
    }
}

/// What the reader said of one file besides its rows: its columns and its warnings (as the
/// sequential reader reports them, at most [`crate::formats::error::MAX_REPORTED`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct FileRead {
    /// Columns ignored and fields absent.
    pub(crate) columns: Columns,
    /// The warnings, in file order.
    pub(crate) warnings: Vec<InputWarning>,
}

/// What a check of the inputs learns beside the draw: what the readers said of each file, and
/// whether a conflicts or history row names an id that no roster holds (which the whole-file
/// reader notes with its line, and the ceremony's folder layer then reads the files whole).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Survey {
    /// The entity roster.
    pub(crate) entities: FileRead,
    /// The inspector roster.
    pub(crate) inspectors: FileRead,
    /// The item list.
    pub(crate) items: FileRead,
    /// The conflicts file.
    pub(crate) conflicts: FileRead,
    /// The history file.
    pub(crate) history: FileRead,
    /// Whether a conflicts or history row names an inspector or entity id that is not in its
    /// roster.
    pub(crate) unknown_reference: bool,
}

/// Like [`draw()`], but also gives the [`Survey`] of the files.
pub(crate) fn survey(
    files: &RosterFiles,
    plan: &Plan,
    seed: &Digest32,
) -> Result<(Outcome, Survey), PipelineError> {
    run_on(files, plan, seed, None, crate::threads(), (true, None)).map(|r| (r.outcome, r.survey))
}

/// What a [`Population`] keeps of the entity roster for amendments (SPEC §11).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Keep<'a> {
    /// Every stratum.
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "the tests compare with the whole population")
    )]
    Every,
    /// The strata holding one of the ids `strata_of` (those amendments replace: a replacement
    /// is the next pick of the replaced entity's own stratum, SPEC §11.1), and where the rows
    /// of the ids `rows_of` lie, whatever their strata. The other members are freed.
    Named {
        /// Ids whose strata are kept whole.
        strata_of: &'a [String],
        /// Ids whose rows alone are kept.
        rows_of: &'a [String],
    },
}

/// Like [`draw()`], but also keeps the [`Population`], for replaying amendments: what `keep`
/// names of it, the member lists of the rest freed once the strata are drawn.
pub(crate) fn draw_keeping(
    files: &RosterFiles,
    plan: &Plan,
    seed: &Digest32,
    keep: Keep<'_>,
) -> Result<(Outcome, Population), PipelineError> {
    let run = run_on(
        files,
        plan,
        seed,
        None,
        crate::threads(),
        (false, Some(keep)),
    )?;
    match run.population {
        Some(p) => Ok((run.outcome, p)),
        None => Err(changed(&file_name(&files.entities)).into()),
    }
}

/// What [`run_on`] gives: the outcome, the survey (when asked for) and the population (when
/// asked to keep it).
struct Run {
    outcome: Outcome,
    survey: Survey,
    population: Option<Population>,
}

/// [`run_on`] with the library's thread setting ([`crate::threads`]), without a survey.
fn run(
    files: &RosterFiles,
    plan: &Plan,
    seed: &Digest32,
    announced: Option<&InputDigests>,
) -> Result<Outcome, PipelineError> {
    run_on(
        files,
        plan,
        seed,
        announced,
        crate::threads(),
        (false, None),
    )
    .map(|r| r.outcome)
}

/// The entity ids that conflicts and history rows name, for a survey: packed, or marked
/// unknown when one does not pack (no roster id fails to).
#[derive(Default)]
struct Refs {
    ids: Vec<u128>,
    unknown: bool,
}

impl Refs {
    fn add(&mut self, id: &str) {
        match pack_id(id) {
            Ok(k) => self.ids.push(as_u128(k)),
            Err(_) => self.unknown = true,
        }
    }

    /// Whether every id is in one of `lists` (each sorted).
    ///
    /// The ids are sorted too, and each list is walked once beside those not yet found, both
    /// in order: a history of a million rows against ten million members is a few passes
    /// over memory in order, where a binary search per id and list misses the cache at every
    /// step.
    fn all_in(mut self, lists: &[Keys<'_>]) -> bool {
        if self.unknown {
            return false;
        }
        self.ids.sort_unstable();
        self.ids.dedup();
        let mut missing = self.ids;
        for l in lists {
            if missing.is_empty() {
                break;
            }
            let mut j = 0;
            missing.retain(|&k| {
                while j < l.len() && as_u128(l.key(j)) < k {
                    j += 1;
                }
                !(j < l.len() && as_u128(l.key(j)) == k)
            });
        }
        missing.is_empty()
    }
}

/// What the history pass keeps: the repeat index, the rows team assignment looks at (those
/// inside the inspector window) and, for a survey, the entity ids the rows name.
struct HistoryKept {
    repeat: RepeatIndex,
    rows: Vec<HistoryRecord>,
    refs: Option<Refs>,
}

/// The history file, read: what was kept, its digest and row count, what the reader said.
struct HistoryRead {
    kept: HistoryKept,
    at: InputRef,
    read: FileRead,
}

/// Every input read once: the small tables, history, and what the entity pass kept.
struct ReadInputs {
    small: Small,
    history: HistoryRead,
    summary: Summary,
    kept: Kept,
}

/// Phase one: reads the small tables whole and streams history and the entity file. History
/// is streamed: the repeat rules are indexed as it passes, and only the rows team assignment
/// looks at (the inspector window) are kept. A plain UTF-8 history file is read on the calling
/// thread without a record per row; any other starts again with the sequential reader, on
/// threads of its own with `threads` (otherwise on the calling thread alone, while the entity
/// file takes the other cores). The entity file is read on every core when it is plain,
/// otherwise with the sequential reader, which explains every problem.
///
/// Without entity repeat rules the entity pass needs nothing from the other tables: they are
/// read on one thread while the entity file is read on the others. Problems still come in the
/// order of the module docs.
fn read_inputs(
    files: &RosterFiles,
    plan: &Plan,
    threads: usize,
    survey: bool,
) -> Result<ReadInputs, PipelineError> {
    let read_small = || -> Result<Small, PipelineError> {
        let (n, r) = open(&files.inspectors)?;
        let inspectors = take(
            roster_csv::read_inspectors(&n, r)?,
            Roster::<Inspector>::fast_digest,
        );
        let (n, r) = open(&files.items)?;
        let items = take(roster_csv::read_items(&n, r)?, Roster::<Item>::fast_digest);
        let (n, r) = open(&files.conflicts)?;
        let conflicts = take(
            roster_csv::read_conflicts(&n, r)?,
            Roster::<Conflict>::fast_digest,
        );
        Ok(Small {
            inspectors,
            items,
            conflicts,
        })
    };
    let fresh = || HistoryKept {
        repeat: RepeatIndex::new(&[], &plan.repeat, &plan.items, plan.draw_date),
        rows: Vec::new(),
        refs: survey.then(Refs::default),
    };
    let keep = |state: &mut HistoryKept, h: &HistoryRecord| {
        state
            .repeat
            .add(h, &plan.repeat, &plan.items, plan.draw_date);
        if Exclusions::counts(plan, h) {
            state.rows.push(h.clone());
        }
        if let Some(refs) = &mut state.refs {
            refs.add(&h.entity);
        }
    };
    let read_history = |threads: bool| -> Result<HistoryRead, PipelineError> {
        let mut state = fresh();
        let name = file_name(&files.history);
        let scanned = File::open(&files.history)
            .ok()
            .and_then(|f| history_scan::scan(&name, f, threads, |h| keep(&mut state, h)).ok());
        let summary = match scanned {
            Some(s) => s,
            None => {
                state = fresh();
                let (n, r) = open(&files.history)?;
                roster_csv::for_each_history(&n, r, threads, |_, h: HistoryRecord| {
                    keep(&mut state, &h);
                    Ok::<(), InputErrors>(())
                })?
            }
        };
        Ok(HistoryRead {
            kept: state,
            at: InputRef {
                digest: summary.digest,
                rows: summary.rows,
            },
            read: FileRead {
                columns: summary.columns,
                warnings: summary.warnings,
            },
        })
    };
    let name = file_name(&files.entities);
    let read_entities = |repeat: &RepeatIndex| -> Result<(Summary, Kept), PipelineError> {
        let scanned = File::open(&files.entities)
            .ok()
            .and_then(|f| entity_scan::scan(&name, f, threads, || Collect::new(plan, repeat)).ok());
        let (summary, collected) = match scanned {
            Some(s) => (Summary::Scanned(s.summary, s.header_end), s.collected),
            None => {
                let (name, reader) = open(&files.entities)?;
                let mut c = Collect::new(plan, repeat);
                let summary = roster_csv::for_each_entity_at(&name, reader, |pos, e: Entity| {
                    c.add(&e.fields(), pos.offset, pos.len);
                    Ok::<(), InputErrors>(())
                })?;
                (Summary::Read(summary), c)
            }
        };
        Ok((summary, collected.kept()))
    };
    let independent =
        plan.repeat.entity_window_days.is_none() && plan.repeat.entity_yearly_cap.is_none();
    let no_repeats = RepeatIndex::new(&[], &plan.repeat, &plan.items, plan.draw_date);
    let (small, history, entities) = if independent && threads > 1 {
        std::thread::scope(|scope| {
            let other = scope.spawn(|| (read_small(), read_history(false)));
            let e = read_entities(&no_repeats);
            let (small, h) = other
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            (small, h, e)
        })
    } else {
        let small = read_small()?;
        let h = read_history(threads > 1)?;
        let e = read_entities(&h.kept.repeat);
        (Ok(small), Ok(h), e)
    };
    let (small, history) = (small?, history?);
    let (summary, kept) = entities?;
    Ok(ReadInputs {
        small,
        history,
        summary,
        kept,
    })
}

/// Phase two: the population by stratum, sorted by id, once no id repeats and no row fails;
/// with `refs`, also whether every id they hold is in the roster.
fn sorted_population(
    files: &RosterFiles,
    kept: Kept,
    refs: Option<Refs>,
) -> Result<(ByStratum, bool), PipelineError> {
    let Kept {
        members, others, ..
    } = kept;
    let Some((members, others)) = sorted(members, others) else {
        // An id repeats: the sequential reader reports it, with the lines of both rows.
        let (name, reader) = open(&files.entities)?;
        roster_csv::for_each_entity_at(&name, reader, |_, _| Ok::<(), InputErrors>(()))?;
        return Err(changed(&name).into());
    };
    let known = refs.is_none_or(|refs| {
        let mut keys: Vec<Keys<'_>> = members
            .values()
            .flatten()
            .map(|v| Keys::Members(v))
            .collect();
        keys.extend(others.iter().map(|v| Keys::Others(v)));
        refs.all_in(&keys)
    });
    Ok((members, known))
}

/// The draw or replay on `threads` threads; at 1, nothing runs beside the calling thread but
/// the entity reader's one worker. With `survey`, the [`Survey`] also says whether conflicts
/// and history name ids missing from their rosters (otherwise it never does); with `keep`,
/// the [`Population`] is kept, as much of it as `keep` names.
fn run_on(
    files: &RosterFiles,
    plan: &Plan,
    seed: &Digest32,
    announced: Option<&InputDigests>,
    threads: usize,
    (survey, keep): (bool, Option<Keep<'_>>),
) -> Result<Run, PipelineError> {
    let ReadInputs {
        small: Small {
            inspectors,
            items,
            conflicts,
        },
        history:
            HistoryRead {
                kept:
                    HistoryKept {
                        rows: history,
                        mut refs,
                        ..
                    },
                at: history_ref,
                read: history_read,
            },
        summary,
        mut kept,
    } = read_inputs(files, plan, threads, survey)?;
    let mut unknown_inspector = false;
    if let Some(refs) = &mut refs {
        let ids: std::collections::HashSet<&str> =
            inspectors.rows.iter().map(|i| i.id.as_str()).collect();
        for c in &conflicts.rows {
            unknown_inspector |= !ids.contains(c.inspector.as_str());
            refs.add(&c.entity);
        }
    }

    // Draw errors wait until the entity file has been read in full: its problems come first.
    let general_cap = draw::general_cap(plan, &items.rows);
    let (excluded, pending) = (std::mem::take(&mut kept.excluded), kept.pending.take());
    let (members, known) = sorted_population(files, kept, refs)?;
    let general_cap = general_cap?;
    if let Some((_, e)) = pending {
        return Err(e);
    }
    let small = (
        &inspectors.rows[..],
        &items.rows[..],
        &conflicts.rows[..],
        &history[..],
    );
    let layout = summary.layout();
    let (summary, drawn, members) = draw_and_digest(
        files,
        plan,
        seed,
        threads,
        summary,
        small,
        (members, excluded, general_cap, keep),
    );
    let digests = InputDigests {
        entities: InputRef {
            digest: summary.digest,
            rows: summary.rows,
        },
        inspectors: inspectors.at,
        items: items.at,
        conflicts: conflicts.at,
        history: history_ref,
        plan: plan_digest(plan)?,
    };
    if let Some(a) = announced
        && let Some((input, announced, found)) = a.differences(&digests).first().copied()
    {
        return Err(PipelineError::InputChanged {
            input,
            announced,
            found,
        });
    }
    let (result, drawn) = drawn?;
    let (strata, extra) = members.unwrap_or_default();
    let population = keep.map(|_| Population {
        digests,
        plan: plan.clone(),
        inspectors: inspectors.rows.clone(),
        items: items.rows.clone(),
        conflicts: conflicts.rows,
        history,
        strata: merged(strata),
        extra,
        entities: files.entities.clone(),
        layout,
        rows: std::cell::RefCell::new(BTreeMap::new()),
        missed: std::cell::Cell::new(false),
    });
    let survey = Survey {
        unknown_reference: unknown_inspector || !known,
        entities: FileRead {
            columns: summary.columns,
            warnings: summary.warnings,
        },
        inspectors: inspectors.read,
        items: items.read,
        conflicts: conflicts.read,
        history: history_read,
    };
    Ok(Run {
        outcome: Outcome {
            digests,
            result,
            drawn,
            inspectors: inspectors.rows,
            items: items.rows,
        },
        survey,
        population,
    })
}

/// Phase three: the draw itself — the strata, then the drawn rows read back and the teams —
/// and the entity table's digest. The digest is made beside the latter two, which leave a
/// core idle at times (team assignment runs on one), rather than beside the strata, which
/// keep every core busy; the caller still reports a changed input before any problem of the
/// draw.
#[allow(clippy::type_complexity)]
fn draw_and_digest(
    files: &RosterFiles,
    plan: &Plan,
    seed: &Digest32,
    threads: usize,
    summary: Summary,
    (inspectors, items, conflicts, history): (&[Inspector], &[Item], &[Conflict], &[HistoryRecord]),
    (members, excluded, general_cap, keep): (
        ByStratum,
        BTreeMap<Exclusion, u64>,
        Option<u32>,
        Option<Keep<'_>>,
    ),
) -> (
    RosterSummary,
    Result<(DrawResult, Vec<Entity>), PipelineError>,
    Option<(ByStratum, Vec<Member>)>,
) {
    let name = file_name(&files.entities);
    let layout = summary.layout();
    let digest_of = move || match summary {
        Summary::Read(s) => s,
        Summary::Scanned(u, _) => u.digest(),
    };
    std::thread::scope(|scope| {
        let strata = draw_strata(plan, &members, general_cap, seed, threads);
        // The member lists are freed before the digest's buffers are made, but for the strata
        // amendments need: they are the largest part of the draw's memory.
        let members = keep.map(|keep| keep_of(members, keep));
        // Beside the draw on a thread of its own, or after it on one thread.
        let digest = if threads > 1 {
            Ok(scope.spawn(digest_of))
        } else {
            Err(digest_of)
        };
        let drawn = strata.and_then(|(strata, drawn_at)| {
            let entity_draw = EntityDraw { strata, excluded };
            let drawn = read_drawn(&files.entities, &name, layout, &drawn_at, threads)?;
            let inputs = DrawInputs {
                plan,
                entities: &drawn,
                inspectors,
                items,
                conflicts,
                history,
            };
            let result = draw::assign_teams(&inputs, entity_draw, seed)?;
            Ok((result, drawn))
        });
        let summary = match digest {
            Ok(d) => d.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
            Err(digest_of) => digest_of(),
        };
        (summary, drawn, members)
    })
}

/// The population of a draw read from roster files, for amendments (SPEC §11): the small
/// tables, the history rows that bar inspectors, every member's packed id and where its row
/// lies, by stratum, and the digests of every input. Rows are read back when asked for.
#[derive(Debug)]
pub(crate) struct Population {
    /// The digests of every input, as [`InputDigests::of`] gives them.
    pub(crate) digests: InputDigests,
    plan: Plan,
    inspectors: Vec<Inspector>,
    items: Vec<Item>,
    conflicts: Vec<Conflict>,
    history: Vec<HistoryRecord>,
    /// Members by stratum, sorted by id: of the strata [`Keep`] names.
    strata: BTreeMap<Stratum, Vec<Member>>,
    /// The members of the other strata whose rows [`Keep`] names, sorted by id.
    extra: Vec<Member>,
    entities: PathBuf,
    layout: (Option<u64>, Encoding),
    /// The rows read back so far.
    rows: std::cell::RefCell<BTreeMap<String, Entity>>,
    /// Whether a row was asked for that is not a member's or could not be read back.
    missed: std::cell::Cell<bool>,
}

/// Reads the population of `files` under `plan` for amendments (see [`Population`]), as much
/// of it as `keep` names: one pass over every file, as a draw makes, without drawing.
pub(crate) fn population(
    files: &RosterFiles,
    plan: &Plan,
    keep: Keep<'_>,
) -> Result<Population, PipelineError> {
    let threads = crate::threads();
    let ReadInputs {
        small,
        history,
        summary,
        mut kept,
    } = read_inputs(files, plan, threads, false)?;
    let pending = kept.pending.take();
    let (members, _) = sorted_population(files, kept, None)?;
    if let Some((_, e)) = pending {
        return Err(e);
    }
    let layout = summary.layout();
    let (summary, strata) = std::thread::scope(|scope| {
        let digest = scope.spawn(move || match summary {
            Summary::Read(s) => s,
            Summary::Scanned(u, _) => u.digest(),
        });
        let (strata, extra) = keep_of(members, keep);
        let strata = (merged(strata), extra);
        let summary = digest
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (summary, strata)
    });
    Ok(Population {
        digests: InputDigests {
            entities: InputRef {
                digest: summary.digest,
                rows: summary.rows,
            },
            inspectors: small.inspectors.at,
            items: small.items.at,
            conflicts: small.conflicts.at,
            history: history.at,
            plan: plan_digest(plan)?,
        },
        plan: plan.clone(),
        inspectors: small.inspectors.rows,
        items: small.items.rows,
        conflicts: small.conflicts.rows,
        history: history.kept.rows,
        strata: strata.0,
        extra: strata.1,
        entities: files.entities.clone(),
        layout,
        rows: std::cell::RefCell::new(BTreeMap::new()),
        missed: std::cell::Cell::new(false),
    })
}

/// What `keep` keeps of `members` (each list sorted by id): the strata it names whole, and
/// the members of the others whose rows it names, sorted by id. The rest is freed.
fn keep_of(members: ByStratum, keep: Keep<'_>) -> (ByStratum, Vec<Member>) {
    let Keep::Named { strata_of, rows_of } = keep else {
        return (members, vec![]);
    };
    let keys = |ids: &[String]| {
        let mut k: Vec<u128> = ids
            .iter()
            .filter_map(|id| pack_id(id).ok().map(as_u128))
            .collect();
        k.sort_unstable();
        k.dedup();
        k
    };
    let (whole, rows) = (keys(strata_of), keys(rows_of));
    let mut strata = ByStratum::new();
    let mut extra = vec![];
    for (s, lists) in members {
        if lists
            .iter()
            .any(|l| whole.iter().any(|&k| Keys::Members(l).contains(k)))
        {
            strata.insert(s, lists);
            continue;
        }
        // Both sorted: one walk through each list, ending once no asked row can follow (at
        // once when none is asked for).
        for l in &lists {
            let mut want = rows.iter().peekable();
            for m in l {
                let key = as_u128(m.key);
                while want.next_if(|&&k| k < key).is_some() {}
                match want.peek() {
                    None => break,
                    Some(&&k) if k == key => extra.push(*m),
                    Some(_) => {}
                }
            }
        }
    }
    extra.sort_unstable_by_key(|m| as_u128(m.key));
    (strata, extra)
}

/// Each stratum's lists (each sorted by id, no id twice) merged into one, sorted by id.
fn merged(members: ByStratum) -> BTreeMap<Stratum, Vec<Member>> {
    members
        .into_iter()
        .map(|(s, lists)| {
            let mut all = Vec::with_capacity(lists.iter().map(Vec::len).sum());
            let keys: Vec<Keys<'_>> = lists.iter().map(|l| Keys::Members(l)).collect();
            // No key repeats: the draw checked it before keeping them.
            let _ = merge(&keys, |(i, j)| all.push(lists[i][j]));
            (s, all)
        })
        .collect()
}

impl Population {
    /// Whether a row was asked for that is not a member's, or could not be read back: what
    /// was computed from this population is then not to be trusted (read the files whole).
    pub(crate) fn missed(&self) -> bool {
        self.missed.get()
    }

    /// The rows of the members among `ids`, in ascending id order (other ids are skipped).
    pub(crate) fn rows_of<'i>(
        &self,
        ids: impl IntoIterator<Item = &'i str>,
    ) -> Result<Vec<Entity>, PipelineError> {
        let mut at: Vec<Member> = ids
            .into_iter()
            .filter_map(|id| self.member(id))
            .copied()
            .collect();
        at.sort_unstable();
        at.dedup();
        let name = file_name(&self.entities);
        read_drawn(&self.entities, &name, self.layout, &at, crate::threads())
    }

    /// The member with id `id`, in a stratum kept or among the rows kept.
    fn member(&self, id: &str) -> Option<&Member> {
        fn find(v: &[Member], key: u128) -> Option<&Member> {
            v.binary_search_by_key(&key, |m| as_u128(m.key))
                .ok()
                .map(|i| &v[i])
        }
        let key = as_u128(pack_id(id).ok()?);
        self.strata
            .values()
            .find_map(|v| find(v, key))
            .or_else(|| find(&self.extra, key))
    }
}

impl crate::ceremony::source::AmendSource for Population {
    fn tables(&self) -> DrawInputs<'_> {
        DrawInputs {
            plan: &self.plan,
            entities: &[],
            inspectors: &self.inspectors,
            items: &self.items,
            conflicts: &self.conflicts,
            history: &self.history,
        }
    }

    fn stratum_of(&self, id: &str) -> Option<Stratum> {
        let key = as_u128(pack_id(id).ok()?);
        self.strata.iter().find_map(|(s, v)| {
            v.binary_search_by_key(&key, |m| as_u128(m.key))
                .is_ok()
                .then_some(*s)
        })
    }

    fn stratum_len(&self, stratum: Stratum) -> u64 {
        self.strata.get(&stratum).map_or(0, |v| v.len() as u64)
    }

    fn member(&self, stratum: Stratum, index: u64) -> Option<String> {
        let i = usize::try_from(index).ok()?;
        self.strata.get(&stratum)?.get(i).map(Member::id)
    }

    fn entity(&self, id: &str) -> Option<Entity> {
        if let Some(e) = self.rows.borrow().get(id) {
            return Some(e.clone());
        }
        let read = self.member(id).and_then(|m| {
            let name = file_name(&self.entities);
            read_drawn(&self.entities, &name, self.layout, &[*m], 1)
                .ok()?
                .pop()
        });
        match read {
            Some(e) => {
                self.rows.borrow_mut().insert(e.id.clone(), e.clone());
                Some(e)
            }
            None => {
                self.missed.set(true);
                None
            }
        }
    }
}

/// Reads back the drawn rows at `drawn_at` of an entity file read as `encoding`, in id order:
/// after the parallel reader (which took the file's first `header_end` bytes as its header),
/// gathered behind the header and read again by it; otherwise (or if it declines) each parsed
/// by the sequential reader. Rows whose ids are not the drawn ones mean the file changed.
fn read_drawn(
    path: &Path,
    name: &str,
    (header_end, encoding): (Option<u64>, Encoding),
    drawn_at: &[Member],
    threads: usize,
) -> Result<Vec<Entity>, PipelineError> {
    let mut at: Vec<RowPos> = drawn_at.iter().map(Member::pos).collect();
    at.sort_unstable_by_key(|p| p.offset);
    let bom = encoding == Encoding::Utf8Bom;
    let gathered = header_end.and_then(|end| read_back_plain(path, name, (end, bom), &at, threads));
    let mut drawn = match gathered {
        Some(rows) => rows,
        None => read_back(path, name, encoding, &at, threads)?,
    };
    // Put in id order by packed id, in place, and compared with the drawn ids (a row whose id
    // does not pack is not a drawn one).
    drawn.sort_by_cached_key(|e| pack_id(&e.id).ok().map(as_u128));
    let mut want: Vec<u128> = drawn_at.iter().map(|m| as_u128(m.key)).collect();
    want.sort_unstable();
    let got: Option<Vec<u128>> = drawn
        .iter()
        .map(|e| pack_id(&e.id).ok().map(as_u128))
        .collect();
    if got != Some(want) {
        return Err(changed(name).into());
    }
    Ok(drawn)
}

/// The rows at `at` (in file order) of an entity file the parallel reader read, read again by
/// it: the file's first `header_end` bytes (`bom` if they start with a byte order mark) and
/// then the rows, gathered a share per core with one positioned read per row into one buffer.
/// `None` if a read fails or the reader declines.
fn read_back_plain(
    path: &Path,
    name: &str,
    (header_end, bom): (u64, bool),
    at: &[RowPos],
    threads: usize,
) -> Option<Vec<Entity>> {
    if at.is_empty() {
        return Some(Vec::new());
    }
    let base = if bom { 3 } else { 0 };
    let header_len = usize::try_from(header_end).ok()?;
    // Each share gets its own stretch of the buffer, with room for a line end after each row.
    let shares: Vec<&[RowPos]> = at.chunks(at.len().div_ceil(threads).max(1)).collect();
    let sizes: Vec<usize> = shares
        .iter()
        .map(|s| s.iter().map(|p| p.len + 1).sum())
        .collect();
    let mut text = vec![0; header_len + sizes.iter().sum::<usize>()];
    let (head, mut rest) = text.split_at_mut(header_len);
    roster_csv::read_exact_at(&File::open(path).ok()?, head, 0).ok()?;
    let mut stretches = Vec::with_capacity(sizes.len());
    for &size in &sizes {
        let (stretch, tail) = std::mem::take(&mut rest).split_at_mut(size);
        stretches.push(stretch);
        rest = tail;
    }
    let used: Vec<Option<usize>> = std::thread::scope(|scope| {
        let handles: Vec<_> = shares
            .iter()
            .zip(stretches)
            .map(|(share, stretch)| {
                scope.spawn(move || {
                    let file = File::open(path).ok()?;
                    let mut n = 0;
                    for p in *share {
                        let row = stretch.get_mut(n..n + p.len)?;
                        roster_csv::read_exact_at(&file, row, base + p.offset).ok()?;
                        n += p.len;
                        // The file's last row may have no line end.
                        if stretch[..n].last() != Some(&b'\n') {
                            *stretch.get_mut(n)? = b'\n';
                            n += 1;
                        }
                    }
                    Some(n)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    // Close the gaps the unused room left.
    let (mut from, mut to) = (header_len, header_len);
    for (size, n) in sizes.into_iter().zip(used) {
        let n = n?;
        text.copy_within(from..from + n, to);
        (from, to) = (from + size, to + n);
    }
    text.truncate(to);
    let rows = entity_scan::scan_rows(name, &text[..], threads, Owned::default).ok()?;
    Some(rows.0)
}

/// The rows at `at` (in file order) of an entity file read as `encoding`, each parsed by the
/// sequential reader, a share per core.
fn read_back(
    path: &Path,
    name: &str,
    encoding: Encoding,
    at: &[RowPos],
    threads: usize,
) -> Result<Vec<Entity>, InputErrors> {
    // Unbuffered: each row is one read at its offset, where a buffer would be refilled in full.
    // A share of the rows per core, each with its own handle on the file.
    let parts = in_shares(at, threads, |part| {
        let file = File::open(path).map_err(|e| InputErrors::io(name, &e))?;
        roster_csv::read_entities_at(name, &file, encoding, part)
    });
    let mut drawn = Vec::with_capacity(at.len());
    for part in parts {
        drawn.extend(part?);
    }
    Ok(drawn)
}

/// Rows read back, owned. Their ids are not checked here: the caller compares them with the
/// drawn ids.
#[derive(Default)]
struct Owned(Vec<Entity>);

impl Collector for Owned {
    fn add<T: AsRef<str>>(&mut self, e: &EntityFields<'_, T>, _: u64, _: usize) {
        self.0.push(e.to_entity());
    }

    fn merge(&mut self, other: Self) {
        self.0.extend(other.0);
    }
}

/// The entity file's summary: from the sequential reader, or from the parallel reader before
/// its digest, with the bytes before the file's first data row.
enum Summary {
    Read(RosterSummary),
    Scanned(entity_scan::Undigested, u64),
}

impl Summary {
    /// What reading rows back needs: the bytes before the first data row if the parallel
    /// reader read the file, and how the file was encoded.
    fn layout(&self) -> (Option<u64>, Encoding) {
        match self {
            Summary::Read(s) => (None, s.encoding),
            Summary::Scanned(u, header_end) => (Some(*header_end), u.encoding()),
        }
    }
}

/// The small tables, with their digests and row counts.
struct Small {
    inspectors: SmallTable<Inspector>,
    items: SmallTable<Item>,
    conflicts: SmallTable<Conflict>,
}

/// What the draw keeps of the entity roster: the population by stratum, counts of rows left
/// out, and the first row (by place in the file) that makes the draw fail.
struct Collect<'p> {
    plan: &'p Plan,
    repeat: &'p RepeatIndex,
    /// The plan's strata, in order.
    strata: Vec<Stratum>,
    /// The place in `strata` of the stratum of each risk class (by its place in
    /// [`RiskClass::ALL`]) and, last, of rows without one; `None` where the plan has none.
    stratum_at: [Option<u8>; RISK_SLOTS],
    /// This collector's members, one list per stratum of `strata`.
    own: Vec<Vec<Member>>,
    /// Per stratum, the lists of the collectors merged in (each sorted later, in place).
    members: ByStratum,
    /// The packed ids of every other row, for the check that no id repeats.
    others: Vec<Vec<[u64; 2]>>,
    excluded: BTreeMap<Exclusion, u64>,
    pending: Option<(u64, PipelineError)>,
}

/// Risk classes, and one more slot for rows without a class ([`Collect::stratum_at`]).
const RISK_SLOTS: usize = RiskClass::ALL.len() + 1;

impl<'p> Collect<'p> {
    fn new(plan: &'p Plan, repeat: &'p RepeatIndex) -> Self {
        let strata = plan.strata_labels();
        let at = |risk| {
            let s = plan.stratum_of_risk(risk)?;
            strata.iter().position(|&x| x == s).map(|i| i as u8)
        };
        let mut stratum_at = [None; RISK_SLOTS];
        for (slot, &r) in stratum_at.iter_mut().zip(RiskClass::ALL) {
            *slot = at(Some(r));
        }
        stratum_at[RISK_SLOTS - 1] = at(None);
        Collect {
            plan,
            repeat,
            own: vec![Vec::new(); strata.len()],
            members: strata.iter().map(|&s| (s, Vec::new())).collect(),
            strata,
            stratum_at,
            others: vec![Vec::new()],
            excluded: BTreeMap::new(),
            pending: None,
        }
    }

    /// The place in `strata` of the stratum of rows of class `risk`.
    fn stratum_of(&self, risk: Option<RiskClass>) -> Option<usize> {
        let slot = risk.map_or(RISK_SLOTS - 1, |r| r as usize);
        self.stratum_at[slot].map(usize::from)
    }

    /// Keeps the failure of the row at `offset` if no earlier row failed.
    fn fail(&mut self, offset: u64, e: PipelineError) {
        if self.pending.as_ref().is_none_or(|(at, _)| offset < *at) {
            self.pending = Some((offset, e));
        }
    }

    /// Moves this collector's own lists into `members`.
    fn keep_own(&mut self) {
        for (s, list) in self.strata.iter().zip(&mut self.own) {
            if !list.is_empty() {
                self.members
                    .entry(*s)
                    .or_default()
                    .push(std::mem::take(list));
            }
        }
    }

    /// Keeps the id of a row outside the population.
    fn other(&mut self, id: &str, offset: u64) {
        match pack_id(id) {
            Ok(k) => push_last(&mut self.others, k),
            Err(err) => self.fail(offset, err),
        }
    }

    /// What is kept of the rows, without the borrows.
    fn kept(mut self) -> Kept {
        self.keep_own();
        Kept {
            members: self.members,
            others: self.others,
            excluded: self.excluded,
            pending: self.pending,
        }
    }
}

/// What the draw keeps of the entity roster once read (see [`Collect`]).
struct Kept {
    members: ByStratum,
    others: Vec<Vec<[u64; 2]>>,
    excluded: BTreeMap<Exclusion, u64>,
    pending: Option<(u64, PipelineError)>,
}

/// The population by stratum, each list sorted by id (in place, on every core); `None` if some
/// id occurs twice among all the rows, members (`members`) or not (`others`).
fn sorted(
    mut members: ByStratum,
    mut others: Vec<Vec<[u64; 2]>>,
) -> Option<(ByStratum, Vec<Vec<[u64; 2]>>)> {
    std::thread::scope(|scope| {
        for l in members.values_mut().flatten() {
            scope.spawn(|| l.sort_unstable_by_key(|m| as_u128(m.key)));
        }
        for l in &mut others {
            scope.spawn(|| l.sort_unstable_by_key(|k| as_u128(*k)));
        }
    });
    let mut keys: Vec<Keys<'_>> = members
        .values()
        .flatten()
        .map(|v| Keys::Members(v))
        .collect();
    keys.extend(others.iter().map(|v| Keys::Others(v)));
    let repeated = repeats(&keys);
    drop(keys);
    (!repeated).then_some((members, others))
}

/// A packed id as one number, which compares as the id does and faster than the pair of words.
/// (Rows with the same id are put in any order: the repeat check that follows rejects them.)
fn as_u128(key: [u64; 2]) -> u128 {
    u128::from(key[0]) << 64 | u128::from(key[1])
}

/// Pushes onto the last list of `lists` (each collector has one).
fn push_last<T>(lists: &mut Vec<Vec<T>>, x: T) {
    match lists.last_mut() {
        Some(l) => l.push(x),
        None => lists.push(vec![x]),
    }
}

/// A sorted list of packed ids: members, or the other rows.
#[derive(Clone, Copy)]
enum Keys<'a> {
    Members(&'a [Member]),
    Others(&'a [[u64; 2]]),
}

/// Above every packed id (those take 90 bits): marks the end of a list in [`merge`].
const END: [u64; 2] = [u64::MAX; 2];

impl<'a> Keys<'a> {
    /// How many keys.
    fn len(&self) -> usize {
        match self {
            Keys::Members(l) => l.len(),
            Keys::Others(l) => l.len(),
        }
    }

    /// The keys below `split`, and the others.
    fn split_below(&self, split: [u64; 2]) -> (Keys<'a>, Keys<'a>) {
        match *self {
            Keys::Members(l) => {
                let (a, b) = l.split_at(l.partition_point(|m| m.key < split));
                (Keys::Members(a), Keys::Members(b))
            }
            Keys::Others(l) => {
                let (a, b) = l.split_at(l.partition_point(|k| *k < split));
                (Keys::Others(a), Keys::Others(b))
            }
        }
    }

    /// Whether `key` is in the list.
    fn contains(&self, key: u128) -> bool {
        match self {
            Keys::Members(l) => l.binary_search_by_key(&key, |m| as_u128(m.key)).is_ok(),
            Keys::Others(l) => l.binary_search_by_key(&key, |k| as_u128(*k)).is_ok(),
        }
    }

    /// The `i`th key, or [`END`].
    fn key(&self, i: usize) -> [u64; 2] {
        match self {
            Keys::Members(l) => l.get(i).map_or(END, |m| m.key),
            Keys::Others(l) => l.get(i).copied().unwrap_or(END),
        }
    }
}

/// Whether a key occurs twice across `lists` (each sorted), on two threads: one takes the keys
/// below the middle key of the longest list, the other the rest, and a key repeats within one
/// half or not at all.
fn repeats(lists: &[Keys<'_>]) -> bool {
    let split = lists
        .iter()
        .max_by_key(|k| k.len())
        .map_or(END, |k| k.key(k.len() / 2));
    let (low, high): (Vec<Keys<'_>>, Vec<Keys<'_>>) =
        lists.iter().map(|k| k.split_below(split)).unzip();
    std::thread::scope(|scope| {
        let h = scope.spawn(|| merge(&high, |_| ()).is_err());
        let l = merge(&low, |_| ()).is_err();
        l | h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
    })
}

/// Merges sorted `lists`, calling `each(list, index)` on their entries in ascending order of
/// key; `Err` as soon as a key comes twice.
///
/// The heads are kept as single numbers ([`as_u128`]), so finding the least is one comparison
/// per list.
fn merge(lists: &[Keys<'_>], mut each: impl FnMut((usize, usize))) -> Result<(), ()> {
    let end = as_u128(END);
    let mut at = vec![0usize; lists.len()];
    let mut heads: Vec<u128> = lists.iter().map(|l| as_u128(l.key(0))).collect();
    let mut last = end;
    loop {
        let (mut i, mut k) = (0, end);
        for (j, &h) in heads.iter().enumerate() {
            if h < k {
                (i, k) = (j, h);
            }
        }
        if k == end {
            return Ok(());
        }
        if k == last {
            return Err(());
        }
        last = k;
        each((i, at[i]));
        at[i] += 1;
        heads[i] = as_u128(lists[i].key(at[i]));
    }
}

impl Collector for Collect<'_> {
    fn add<T: AsRef<str>>(&mut self, e: &EntityFields<'_, T>, offset: u64, len: usize) {
        if !self.plan.filters.admits_fields(e) {
            *self.excluded.entry(Exclusion::Filtered).or_default() += 1;
            return self.other(e.id, offset);
        }
        if let Some(why) = self.repeat.excludes(e.id) {
            *self.excluded.entry(why).or_default() += 1;
            return self.other(e.id, offset);
        }
        match self.stratum_of(e.risk) {
            Some(s) => match Member::new(e.id, offset, len) {
                Ok(m) => self.own[s].push(m),
                Err(err) => self.fail(offset, err),
            },
            None => {
                self.fail(
                    offset,
                    DrawError::NoStratum {
                        entity: e.id.to_owned(),
                        risk: e.risk.map(|r| r.as_str().to_string()),
                    }
                    .into(),
                );
                self.other(e.id, offset);
            }
        }
    }

    fn merge(&mut self, mut other: Self) {
        other.keep_own();
        for (s, ms) in other.members {
            self.members.entry(s).or_default().extend(ms);
        }
        self.others.extend(other.others);
        for (why, n) in other.excluded {
            *self.excluded.entry(why).or_default() += n;
        }
        if let Some((at, e)) = other.pending {
            self.fail(at, e);
        }
    }
}

/// Checks and draws every stratum (members sorted by id) as
/// [`Population::draw`](crate::draw::entities::Population::draw) does; returns the strata and
/// the drawn members.
///
/// The counts are checked first, stratum by stratum, so the first stratum in order that fails
/// gives the error; then the strata are drawn at the same time, on every core.
fn draw_strata(
    plan: &Plan,
    members: &ByStratum,
    general_cap: Option<u32>,
    seed: &Digest32,
    threads: usize,
) -> Result<(Vec<StratumDraw>, Vec<Member>), PipelineError> {
    let mut work = Vec::with_capacity(members.len());
    for (&stratum, lists) in members {
        let n = lists.iter().map(Vec::len).sum::<usize>() as u64;
        let k = stratum_count(plan, stratum, n, general_cap)?;
        work.push((stratum, lists, n, k));
    }
    // The largest strata first, each taken by the next free thread.
    let mut order: Vec<usize> = (0..work.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(work[i].2));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, StratumDraw, Vec<Member>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads.min(work.len()))
            .map(|_| {
                let (work, order, next) = (&work, &order, &next);
                scope.spawn(move || {
                    let mut mine = Vec::new();
                    while let Some(&i) =
                        order.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                    {
                        let (stratum, lists, n, k) = &work[i];
                        let (draw, picked) = draw_stratum(*stratum, lists, *n, *k, seed);
                        mine.push((i, draw, picked));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    done.sort_unstable_by_key(|(i, _, _)| *i);
    let mut strata = Vec::with_capacity(done.len());
    let mut drawn = Vec::new();
    for (_, draw, picked) in done {
        strata.push(draw);
        drawn.extend(picked);
    }
    Ok((strata, drawn))
}

/// Draws `k` of the `n` members of one stratum (in `lists`, each sorted by id) with
/// [`entities::draw_stratum`], walking the lists merged in id order. Returns the stratum's draw
/// and its picks in pick order.
fn draw_stratum(
    stratum: Stratum,
    lists: &[Vec<Member>],
    n: u64,
    k: u64,
    seed: &Digest32,
) -> (StratumDraw, Vec<Member>) {
    let keys: Vec<Keys<'_>> = lists.iter().map(|l| Keys::Members(l)).collect();
    let (members_digest, picked) = entities::draw_stratum(seed, stratum, n, k, |each| {
        // Ids are unique: the merge cannot fail.
        let _ = merge(&keys, |(l, i)| {
            let m = &lists[l][i];
            let (b, len) = m.id_bytes();
            each(&b[..len], m);
        });
    });
    let draw = StratumDraw {
        stratum,
        n,
        k,
        members_digest,
        picks: picked.iter().map(Member::id).collect(),
    };
    (draw, picked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::plan_toml::read_plan;

    /// What the in-memory path gives for the same files.
    fn reference(
        files: &RosterFiles,
        plan: &Plan,
        seed: &Digest32,
    ) -> (InputDigests, DrawResult, Vec<Entity>) {
        let rd = |p: &PathBuf| std::fs::read(p).unwrap();
        let e = roster_csv::read_entities("e", &rd(&files.entities)[..]).unwrap();
        let i = roster_csv::read_inspectors("i", &rd(&files.inspectors)[..]).unwrap();
        let it = roster_csv::read_items("t", &rd(&files.items)[..]).unwrap();
        let c = roster_csv::read_conflicts("c", &rd(&files.conflicts)[..]).unwrap();
        let h = roster_csv::read_history("h", &rd(&files.history)[..]).unwrap();
        let inputs = DrawInputs {
            plan,
            entities: &e.rows,
            inspectors: &i.rows,
            items: &it.rows,
            conflicts: &c.rows,
            history: &h.rows,
        };
        (
            InputDigests::of(&inputs).unwrap(),
            draw::run(&inputs, seed).unwrap(),
            e.rows.clone(),
        )
    }

    fn check_dir(dir: &Path, plan_file: &Path, seed: &Digest32) {
        let files = RosterFiles::in_dir(dir);
        let plan = read_plan("plan.toml", &std::fs::read_to_string(plan_file).unwrap()).unwrap();
        let (digests, result, entities) = reference(&files, &plan, seed);
        let out = draw(&files, &plan, seed).unwrap();
        // The rows read back are the rows of the roster, field for field.
        for e in &out.drawn {
            assert!(entities.contains(e), "{}: {e:?}", dir.display());
        }
        assert_eq!(out.digests, digests, "{}", dir.display());
        assert_eq!(out.result, result, "{}", dir.display());
        let again = replay(&files, &plan, seed, &digests).unwrap();
        assert_eq!(again, out);
        let ids: Vec<&str> = out.drawn.iter().map(|e| e.id.as_str()).collect();
        let mut want: Vec<&str> = result
            .assignments
            .iter()
            .map(|a| a.entity.as_str())
            .collect();
        want.sort_unstable();
        assert_eq!(ids, want);
    }

    #[test]
    fn equals_the_in_memory_draw_on_every_vector() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
        let mut seen = 0;
        for entry in std::fs::read_dir(&root).unwrap() {
            let dir = entry.unwrap().path();
            if !dir.join("seed.hex").is_file() {
                // Not a draw vector (e.g. a ceremony vector, which has no bare seed).
                continue;
            }
            if !dir.join("entities.csv").is_file() {
                // Rosters as workbooks (vector 08): this reader takes CSV only.
                continue;
            }
            let seed_text = std::fs::read_to_string(dir.join("seed.hex")).unwrap();
            let seed = Digest32::from_hex(seed_text.trim()).unwrap();
            check_dir(&dir, &dir.join("plan.toml"), &seed);
            seen += 1;
        }
        assert!(seen >= 7);
    }

    #[test]
    fn equals_the_in_memory_draw_on_the_sample_data() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data");
        for plan in ["plan.toml", "plan-joint.toml"] {
            for s in 0..3u8 {
                check_dir(&root, &root.join(plan), &Digest32([s; 32]));
            }
        }
    }

    #[test]
    fn equals_the_in_memory_draw_whichever_reader_takes_history() {
        // History decides who is left out and which inspectors may not go. Without the
        // sample plan's entity window, its yearly cap of two counts every inspection this year,
        // so a row lost or counted twice would show.
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data");
        let dir = tempfile::tempdir().unwrap();
        let plan = std::fs::read_to_string(src.join("plan.toml")).unwrap();
        let capped = plan.replace("entity_window_days = 180\n", "");
        assert_ne!(capped, plan);
        let plans = dir.path().join("plans");
        std::fs::create_dir(&plans).unwrap();
        std::fs::write(plans.join("plan.toml"), &plan).unwrap();
        std::fs::write(plans.join("capped.toml"), &capped).unwrap();
        for entry in std::fs::read_dir(&src).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "csv") {
                std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
            }
        }
        let history = std::fs::read_to_string(src.join("history.csv")).unwrap();
        let last = history.trim_end().lines().last().unwrap().to_string();
        let mut long = last.split(',').map(str::to_string).collect::<Vec<_>>();
        // A valid row too long for the plain reader (a line of 64 KiB or more): declined there,
        // after every row before it was handed over.
        long[3] = "P".repeat(65_500);
        let variants: [Vec<u8>; 5] = [
            // Plain: read by the plain history reader.
            history.clone().into_bytes(),
            // Rows off the plain path (lower case, spaces, another separator), with CRLF.
            history
                .replace("GZ-SC-001", " gz-sc-001")
                .replace(';', "、")
                .replace('\n', "\r\n")
                .into_bytes(),
            format!("{history}{}\n", long.join(",")).into_bytes(),
            // A quoted field: declined with its block, before any row of it.
            format!(
                "{history}{}\n",
                last.replacen("GZ-SC-001", "\"GZ-SC-001\"", 1)
            )
            .into_bytes(),
            // GBK: declined at once.
            encoding_rs::GBK
                .encode(history.trim_start_matches('\u{feff}'))
                .0
                .into_owned(),
        ];
        for bytes in variants {
            std::fs::write(dir.path().join("history.csv"), &bytes).unwrap();
            for plan in ["plan.toml", "capped.toml"] {
                check_dir(dir.path(), &plans.join(plan), &Digest32([1; 32]));
            }
        }
    }

    /// A valid USCC of a 贵阳市南明区 enterprise, the `i`-th of its kind.
    fn uscc(i: u32) -> String {
        use crate::codes::{org_code_check, uscc_check_char};
        let subject = format!("MA{i:06}");
        let org = USCC_CHARSET
            .chars()
            .map(|c| format!("{subject}{c}"))
            .find(|o| org_code_check(o))
            .unwrap();
        let first17 = format!("91520102{org}");
        let check = uscc_check_char(&first17).unwrap();
        format!("{first17}{check}")
    }

    #[test]
    fn the_same_on_one_thread_as_on_several() {
        // A roster of several blocks of the parallel reader, so several workers share it.
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data");
        let dir = tempfile::tempdir().unwrap();
        for t in ["inspectors", "items", "conflicts", "history"] {
            let name = format!("{t}.csv");
            std::fs::copy(src.join(&name), dir.path().join(&name)).unwrap();
        }
        let sample = std::fs::read_to_string(src.join("entities.csv")).unwrap();
        let mut lines = sample.lines();
        let mut csv = format!("{}\n", lines.next().unwrap());
        let row: Vec<&str> = lines.next().unwrap().split(',').collect();
        let rows = 16_000;
        for i in 0..rows {
            let mut r = row.clone();
            let id = uscc(i);
            r[0] = &id;
            // One row in 60 in the population (a draw the sample inspectors can staff).
            r[4] = if i % 60 == 0 { "520102" } else { "110101" };
            r[8] = ["A", "B", "C", "D"][(i / 60 % 4) as usize];
            csv.push_str(&r.join(","));
            csv.push('\n');
        }
        assert!(csv.len() > 2 << 20);
        std::fs::write(dir.path().join("entities.csv"), &csv).unwrap();
        let files = RosterFiles::in_dir(dir.path());
        let text = std::fs::read_to_string(src.join("plan.toml")).unwrap();
        // Without entity repeat rules the small tables are read beside the entities.
        let free = text
            .replace("entity_window_days = 180\n", "")
            .replace("entity_yearly_cap = 2\n", "");
        assert_ne!(free, text);
        for text in [text, free] {
            let plan = read_plan("plan.toml", &text).unwrap();
            let seed = Digest32([3; 32]);
            let one = run_on(&files, &plan, &seed, None, 1, (false, None))
                .unwrap()
                .outcome;
            assert_eq!(one.digests.entities.rows, u64::from(rows));
            let (digests, result, _) = reference(&files, &plan, &seed);
            assert_eq!((&one.digests, &one.result), (&digests, &result));
            for threads in [2, 8] {
                let many = run_on(&files, &plan, &seed, None, threads, (false, None))
                    .unwrap()
                    .outcome;
                assert_eq!(many, one, "{threads} threads");
            }
        }
    }

    #[test]
    fn history_problems_come_before_entity_problems_whether_or_not_read_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data");
        for f in ["inspectors.csv", "items.csv", "conflicts.csv"] {
            std::fs::copy(src.join(f), dir.path().join(f)).unwrap();
        }
        let history = "entity,date,item,inspectors,kind\nbad,2026-01-01,X,,random\n";
        std::fs::write(dir.path().join("history.csv"), history).unwrap();
        let entities = "id,name,kind,region,status,risk\nbad,乙,enterprise,520100,active,A\n";
        std::fs::write(dir.path().join("entities.csv"), entities).unwrap();
        let want = roster_csv::read_history("history.csv", history.as_bytes()).unwrap_err();
        let files = RosterFiles::in_dir(dir.path());
        let text = std::fs::read_to_string(src.join("plan.toml")).unwrap();
        let with_rules = read_plan("plan.toml", &text).unwrap();
        let mut without = with_rules.clone();
        without.repeat.entity_window_days = None;
        without.repeat.entity_yearly_cap = None;
        for plan in [with_rules, without] {
            let err = draw(&files, &plan, &Digest32([0; 32])).unwrap_err();
            assert!(
                matches!(&err, PipelineError::Input(e) if *e == want),
                "{err}"
            );
        }
    }

    /// A directory with the sample data's `tables`, and the sample plan.
    fn sample(tables: &[&str]) -> (tempfile::TempDir, Plan) {
        let dir = tempfile::tempdir().unwrap();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data");
        for f in tables {
            std::fs::copy(src.join(f), dir.path().join(f)).unwrap();
        }
        let plan_text = std::fs::read_to_string(src.join("plan.toml")).unwrap();
        (dir, read_plan("plan.toml", &plan_text).unwrap())
    }

    const SMALL_TABLES: [&str; 4] = [
        "inspectors.csv",
        "items.csv",
        "conflicts.csv",
        "history.csv",
    ];

    #[test]
    fn reports_problems_like_the_reader_and_draw_errors_after_them() {
        let (dir, plan) = sample(&SMALL_TABLES);
        let header = "id,name,kind,region,status,risk\n";
        // A risk class without a quota (a draw error) before a bad row (an input error).
        let bad = format!(
            "{header}91520102MADHW23M5C,甲,enterprise,520100,active,E\nbad,乙,enterprise,520100,active,A\n"
        );
        std::fs::write(dir.path().join("entities.csv"), &bad).unwrap();
        let files = RosterFiles::in_dir(dir.path());
        let err = draw(&files, &plan, &Digest32([0; 32])).unwrap_err();
        let want = roster_csv::read_entities("entities.csv", bad.as_bytes()).unwrap_err();
        assert!(
            matches!(&err, PipelineError::Input(e) if *e == want),
            "{err}"
        );
        // A repeated id in an otherwise plain file (read in parallel, checked afterwards).
        let repeated = format!(
            "{header}91520102MADHW23M5C,甲,enterprise,520100,active,A\n\
             110108000000016,乙,enterprise,520100,active,A\n\
             91520102MADHW23M5C,丙,enterprise,520100,active,B\n"
        );
        std::fs::write(dir.path().join("entities.csv"), &repeated).unwrap();
        let err = draw(&files, &plan, &Digest32([0; 32])).unwrap_err();
        let want = roster_csv::read_entities("entities.csv", repeated.as_bytes()).unwrap_err();
        assert!(
            matches!(&err, PipelineError::Input(e) if *e == want),
            "{err}"
        );
        let only_draw_error = format!("{header}91520102MADHW23M5C,甲,enterprise,520100,active,E\n");
        std::fs::write(dir.path().join("entities.csv"), only_draw_error).unwrap();
        let err = draw(&files, &plan, &Digest32([0; 32])).unwrap_err();
        assert!(
            matches!(err, PipelineError::Draw(DrawError::NoStratum { .. })),
            "{err}"
        );
    }

    #[test]
    fn a_changed_input_comes_before_a_problem_of_the_draw() {
        let (dir, plan) = sample(&SMALL_TABLES);
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data");
        std::fs::copy(src.join("entities.csv"), dir.path().join("entities.csv")).unwrap();
        let files = RosterFiles::in_dir(dir.path());
        let seed = Digest32([3; 32]);
        let announced = draw(&files, &plan, &seed).unwrap().digests;
        // More officers per entity than there are: team assignment fails.
        let mut crowded = plan.clone();
        crowded.team.officers = 10_000;
        let err = replay(&files, &crowded, &seed, &announced).unwrap_err();
        assert!(
            matches!(err, PipelineError::InputChanged { input: "plan", .. }),
            "{err}"
        );
        let err = draw(&files, &crowded, &seed).unwrap_err();
        assert!(matches!(err, PipelineError::Draw(_)), "{err}");
        // Strata over the general items' cap: the strata fail before the entity digest starts.
        let mut capped = plan.clone();
        capped.items = vec!["GZ-SC-001".into()];
        capped.general_ratio_cap_bp = Some(1);
        let err = draw(&files, &capped, &seed).unwrap_err();
        assert!(
            matches!(
                err,
                PipelineError::Draw(DrawError::GeneralCapExceeded { .. })
            ),
            "{err}"
        );
        // An edited row: the entity digest, computed beside the draw, is reported first.
        let path = dir.path().join("entities.csv");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replacen("筑城汽车租赁", "筑城汽车出租", 1)).unwrap();
        for plan in [&crowded, &capped] {
            let err = replay(&files, plan, &seed, &announced).unwrap_err();
            assert!(
                matches!(
                    err,
                    PipelineError::InputChanged {
                        input: "entities",
                        ..
                    }
                ),
                "{err}"
            );
        }
    }

    #[test]
    fn rows_read_back_are_the_drawn_ones_or_the_file_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("entities.csv");
        let header = "id,name,kind,region,status,risk\n";
        let rows = [
            "91520102MADHW23M5C,甲,enterprise,520100,active,A\n",
            "110108000000016,乙,enterprise,520100,active,A\n",
        ];
        std::fs::write(&path, format!("{header}{}{}", rows[0], rows[1])).unwrap();
        let at = |i: usize| {
            let offset = (header.len() + rows[..i].iter().map(|r| r.len()).sum::<usize>()) as u64;
            let id = rows[i].split(',').next().unwrap();
            Member::new(id, offset, rows[i].len()).unwrap()
        };
        let drawn = [at(0), at(1)];
        let end = Some(header.len() as u64);
        for (header_end, encoding) in [(end, Encoding::Utf8), (None, Encoding::Utf8)] {
            let got = read_drawn(&path, "entities.csv", (header_end, encoding), &drawn, 2).unwrap();
            let ids: Vec<&str> = got.iter().map(|e| e.id.as_str()).collect();
            assert_eq!(ids, ["110108000000016", "91520102MADHW23M5C"]);
        }
        // With a byte order mark (offsets count from after it) and no line end at the end.
        let last = rows[1].trim_end();
        std::fs::write(&path, format!("\u{feff}{header}{}{last}", rows[0])).unwrap();
        let bom_end = Some(header.len() as u64 + 3);
        let short = [
            at(0),
            Member::new("110108000000016", at(1).pos().offset, last.len()).unwrap(),
        ];
        for (header_end, encoding) in [(bom_end, Encoding::Utf8Bom), (None, Encoding::Utf8Bom)] {
            let got = read_drawn(&path, "entities.csv", (header_end, encoding), &short, 2).unwrap();
            assert_eq!(got.len(), 2);
            assert_eq!(got[0].name, "乙");
        }
        // The same bytes but another valid id in the first row.
        let other = rows[0].replace("91520102MADHW23M5C", "91520102MAR8M6FL7F");
        std::fs::write(&path, format!("{header}{other}{}", rows[1])).unwrap();
        for (header_end, encoding) in [(end, Encoding::Utf8), (None, Encoding::Utf8)] {
            let err = read_drawn(&path, "entities.csv", (header_end, encoding), &drawn, 2);
            assert!(matches!(err, Err(PipelineError::Input(e)) if e == changed("entities.csv")));
        }
    }

    proptest::proptest! {
        #[test]
        fn merge_gives_keys_in_order_and_finds_one_in_two_lists_or_twice_in_one(
            lists in proptest::collection::vec(proptest::collection::vec(0u64..40, 0..20), 1..5),
        ) {
            let sorted: Vec<Vec<[u64; 2]>> = lists.iter().map(|l| {
                let mut v: Vec<[u64; 2]> = l.iter().map(|&x| [x % 3, x]).collect();
                v.sort_unstable();
                v
            }).collect();
            let mut all: Vec<[u64; 2]> = sorted.concat();
            all.sort_unstable();
            let want = all.windows(2).any(|w| w[0] == w[1]);
            let keys: Vec<Keys<'_>> = sorted.iter().map(|v| Keys::Others(v)).collect();
            let mut seen = Vec::new();
            let got = merge(&keys, |(l, i)| seen.push(sorted[l][i]));
            proptest::prop_assert_eq!(got.is_err(), want);
            proptest::prop_assert_eq!(repeats(&keys), want);
            if !want {
                proptest::prop_assert_eq!(seen, all);
            }
        }

        #[test]
        fn referenced_ids_are_all_in_the_lists_when_a_search_of_each_list_finds_them(
            lists in proptest::collection::vec(proptest::collection::vec(0u64..60, 0..20), 0..6),
            ids in proptest::collection::vec(0u64..60, 0..20),
            unknown in proptest::bool::weighted(0.1),
        ) {
            let sorted: Vec<Vec<[u64; 2]>> = lists.iter().map(|l| {
                let mut v: Vec<[u64; 2]> = l.iter().map(|&x| [x % 3, x]).collect();
                v.sort_unstable();
                v
            }).collect();
            let keys: Vec<Keys<'_>> = sorted.iter().map(|v| Keys::Others(v)).collect();
            let ids: Vec<u128> = ids.iter().map(|&x| as_u128([x % 3, x])).collect();
            let want = !unknown && ids.iter().all(|&k| keys.iter().any(|l| l.contains(k)));
            proptest::prop_assert_eq!(Refs { ids, unknown }.all_in(&keys), want);
        }

        #[test]
        fn member_order_is_id_order(a in "[0-9A-HJ-NP-RTUWXY]{0,18}", b in "[0-9A-HJ-NP-RTUWXY]{0,18}") {
            let (ma, mb) = (Member::new(&a, 1, 2).unwrap(), Member::new(&b, 1, 2).unwrap());
            proptest::prop_assert_eq!(ma.key.cmp(&mb.key), a.cmp(&b));
            proptest::prop_assert_eq!(ma.id(), a);
        }

        #[test]
        fn an_id_packs_if_and_only_if_it_is_short_and_of_the_charset(id in "[\\x00-\\x{FF}0-9A-Z]{0,20}") {
            let fits = id.len() <= ID_CHARS && id.bytes().all(|c| USCC_CHARSET.as_bytes().contains(&c));
            proptest::prop_assert_eq!(pack_id(&id).is_ok(), fits);
        }
    }

    #[test]
    fn members_keep_string_order_and_positions() {
        let pos = RowPos {
            line: 0,
            offset: (1 << 40) + 5,
            len: (1 << 20) + 3,
        };
        let a = Member::new("110108000000016", pos.offset, pos.len).unwrap();
        let b = Member::new("110108000000016X12", pos.offset, pos.len).unwrap();
        let c = Member::new("91520102MA6DKQ1U8B", pos.offset, pos.len).unwrap();
        assert!(b < c && c.id() == "91520102MA6DKQ1U8B");
        assert!(Member::new("1101080000000I6", 0, 0).is_err());
        assert!(a < b && "110108000000016" < "110108000000016X12");
        assert_eq!(a.id(), "110108000000016");
        assert_eq!(b.pos(), pos);
        assert!(Member::new("1234567890123456789", pos.offset, pos.len).is_err());
    }
}
