//! The ceremony's steps without storage: announce, draw, amend and void as pure functions.
//!
//! Each step takes the office log as it stands (its checked [`LogReport`]), the documents
//! published before through [`Records`], and its own values: the inputs, the organizer's key,
//! the time, the secrets. It returns what to publish ([`Made`]): the signed document and the
//! log entry to append. Nothing here reads a file, the clock or the operating system's random
//! generator; times, secrets and keys are values the caller passes in. A folder
//! ([`crate::bundle`]) is one storage; a database is another.
//!
//! The rules live here: the draw's state in the log (pending, drawn, void), one live draw per
//! task ([`log::may_announce`]), the scheduled time, commitments and secrets never reused, the
//! organizer's own signature on what a later step builds on. The caller stores the document,
//! then appends the entry ([`Made::append_to`]); a storage with concurrent writers runs the
//! step again on the log it holds locked, so that the rules are checked on the log the entry
//! joins.
//!
//! A whole ceremony in memory:
//!
//! ```
//! use double_random::ceremony::steps::{self, AnnounceStep, DrawStep, NoRecords};
//! use double_random::ceremony::{commit::{commitment, Secret}, log, announce::InputDigests};
//! use double_random::draw::example_inputs;
//! use double_random::sign::{KeyId, SecretKey};
//!
//! let key = SecretKey::from_seed(KeyId([1; 8]), &[2; 32]);
//! let owned = example_inputs();
//! let inputs = owned.as_inputs();
//! let (mine, witness) = (Secret::from_bytes([3; 32]), Secret::from_bytes([4; 32]));
//! let t = |s: &str| s.parse().unwrap();
//! let mut office_log = vec![];
//!
//! let ann = steps::announce(&log::check(&office_log, false), &NoRecords, &AnnounceStep {
//!     draw_id: "D1", plan: inputs.plan, inputs: InputDigests::of(&inputs)?, key: &key,
//!     organizer: "organizer", organizer_secret: &mine,
//!     witnesses: &[("witness".into(), commitment("D1", "witness", &witness))],
//!     beacon: None, announced_at: t("2026-03-01T01:00:00Z"),
//!     scheduled_at: t("2026-03-01T02:00:00Z"), drill: false,
//! })?;
//! ann.append_to(&mut office_log)?;
//!
//! let sheet = steps::draw(&log::check(&office_log, false), &NoRecords, &DrawStep {
//!     announcement: ann.document.stored(), key: &key,
//!     reveals: &[("organizer".into(), mine), ("witness".into(), witness)],
//!     beacon: None, drawn_at: t("2026-03-01T02:00:00Z"),
//! }, &inputs)?;
//! sheet.append_to(&mut office_log)?;
//! assert_eq!(sheet.value.announcement, ann.value.digest()?);
//! assert_eq!(log::check(&office_log, false).state("D1"), log::DrawState::Drawn);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::amend::{self, Action, Amendment, Reason};
use super::announce::{ANNOUNCEMENT_FORMAT, Announcement, InputDigests, PlanRef, VERSION};
use super::beacon::{BeaconSpec, BeaconValue};
use super::commit::{Party, Reveal, Role, Secret, commitment};
use super::log::{self, DrawState, Entry, EntryKind, LogFinding, LogReport};
use super::sheet::{self, Sheet};
use super::source::{DrawSource, SourceError};
use super::verify::{self, SignedDocument};
use super::void::{Void, VoidReason};
use super::{CeremonyError, Timestamp};
use crate::digest::Digest32;
use crate::draw::DrawInputs;
use crate::formats::jcs::JcsError;
use crate::model::Plan;
use crate::names::{NameError, NameKind};
use crate::sign::{self, SecretKey, SignError, Signature};

/// `announcement.json`.
pub const ANNOUNCEMENT_FILE: &str = "announcement.json";
/// `sheet.json`.
pub const SHEET_FILE: &str = "sheet.json";
/// File name of a void.
pub const VOID_FILE: &str = "void.json";
/// The extension of detached signatures (appended to the document's name).
pub const SIGNATURE_EXTENSION: &str = ".minisig";
/// File name of the timestamp token over the announcement (SPEC §8.5).
pub const TIMESTAMP_FILE: &str = "announcement.json.tsr";

/// The file name of amendment `seq`: `amendment-<seq>.json`.
///
/// The name is signed with the document (SPEC §14), so every storage uses these names.
///
/// ```
/// assert_eq!(double_random::ceremony::steps::amendment_file(2), "amendment-2.json");
/// ```
pub fn amendment_file(seq: u32) -> String {
    format!("amendment-{seq}.json")
}

/// The file name of the detached signature of `document`: `<document>.minisig`.
///
/// ```
/// assert_eq!(double_random::ceremony::steps::signature_file("sheet.json"), "sheet.json.minisig");
/// ```
pub fn signature_file(document: &str) -> String {
    format!("{document}{SIGNATURE_EXTENSION}")
}

/// Signs a document as the ceremony does: the trusted comment names the draw, the file and the
/// document's SHA-256 (SPEC §14). Returns the `.minisig` text.
///
/// Ed25519 signatures are deterministic: one key, draw, name and document give one signature.
///
/// ```
/// use double_random::ceremony::steps::sign_document;
/// use double_random::sign::{self, KeyId, SecretKey, Signature};
/// let key = SecretKey::from_seed(KeyId([1; 8]), &[2; 32]);
/// let minisig = sign_document(&key, "D1", "sheet.json", b"{}")?;
/// assert_eq!(minisig, sign_document(&key, "D1", "sheet.json", b"{}")?);
/// let ok = sign::verify(&key.public_key(), b"{}", &Signature::parse(&minisig)?)?;
/// assert_eq!(ok.fields()?.get("file"), Some("sheet.json"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sign_document(
    key: &SecretKey,
    draw_id: &str,
    file: &str,
    bytes: &[u8],
) -> Result<String, SignError> {
    let comment = verify::trusted_comment(draw_id, file, &Digest32::of(bytes))?;
    Ok(sign::sign(key, bytes, &comment.to_string(), "double-random signature")?.to_minisig())
}

/// The signed checkpoint of the log after a step (SPEC §12.3): `checkpoint-<size>.json` and its
/// signature, which a storage publishes beside the log, at most once per log size.
///
/// Every storage makes the same bytes: Ed25519 signatures are deterministic, and the checkpoint
/// holds only the log's size, head and the given time.
///
/// ```
/// use double_random::ceremony::{log, steps};
/// use double_random::sign::{KeyId, SecretKey};
/// let key = SecretKey::from_seed(KeyId([1; 8]), &[2; 32]);
/// let at = "2026-03-01T01:00:00Z".parse()?;
/// let cp = steps::checkpoint(&log::check(b"", false), &key, at)?;
/// assert_eq!(cp.name, "checkpoint-0.json");
/// assert_eq!(cp, steps::checkpoint(&log::check(b"", false), &key, at)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn checkpoint(
    report: &LogReport,
    key: &SecretKey,
    time: Timestamp,
) -> Result<Signed, StepError> {
    let cp = log::Checkpoint::of(report, &key.key_id().to_string(), time);
    let name = cp.file_name();
    let bytes = cp.to_canonical()?;
    let fail = |source| StepError::Sign {
        name: signature_file(&name),
        source,
    };
    let comment = sign::TrustedComment::new()
        .with("log", &cp.size.to_string())
        .and_then(|c| c.with("file", &name))
        .and_then(|c| c.with("sha256", &Digest32::of(&bytes).to_hex()))
        .map_err(fail)?;
    let signature = sign::sign(
        key,
        &bytes,
        &comment.to_string(),
        "double-random checkpoint",
    )
    .map_err(fail)?
    .to_minisig();
    Ok(Signed {
        name,
        bytes,
        signature,
    })
}

/// The documents a storage has published, read by the steps (never written).
///
/// A step looks up the documents of earlier draws that the log lists (to refuse a reused
/// commitment or secret) and whether the draw at hand already has a sheet. A document the store
/// lacks, or whose digest is not the one the log records, is passed over here; verification
/// reports it.
///
/// ```
/// use double_random::ceremony::steps::Records;
/// use std::collections::HashMap;
/// struct Memory(HashMap<(String, String), Vec<u8>>);
/// impl Records for Memory {
///     fn document(&self, draw_id: &str, name: &str) -> Option<Vec<u8>> {
///         self.0.get(&(draw_id.to_string(), name.to_string())).cloned()
///     }
/// }
/// let m = Memory(HashMap::from([(("D1".into(), "sheet.json".into()), b"{}".to_vec())]));
/// assert!(m.has("D1", "sheet.json"));
/// assert!(!m.has("D2", "sheet.json"));
/// ```
pub trait Records {
    /// The bytes of document `name` (e.g. [`SHEET_FILE`]) of draw `draw_id`, if the store
    /// holds them.
    fn document(&self, draw_id: &str, name: &str) -> Option<Vec<u8>>;

    /// Whether the store holds document `name` of draw `draw_id`. Override it when reading a
    /// document costs more than asking whether it is there.
    fn has(&self, draw_id: &str, name: &str) -> bool {
        self.document(draw_id, name).is_some()
    }
}

/// A store with no documents: an office's first draw.
///
/// ```
/// use double_random::ceremony::steps::{NoRecords, Records};
/// assert!(NoRecords.document("D1", "announcement.json").is_none());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct NoRecords;

impl Records for NoRecords {
    fn document(&self, _draw_id: &str, _name: &str) -> Option<Vec<u8>> {
        None
    }
}

/// A document as a store holds it: its bytes and, when present, its signature's text.
///
/// ```
/// use double_random::ceremony::steps::Stored;
/// let s = Stored { bytes: b"{}", signature: None };
/// assert!(s.signature.is_none());
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Stored<'a> {
    /// The document's bytes (canonical JSON).
    pub bytes: &'a [u8],
    /// The `.minisig` text, if the store has it.
    pub signature: Option<&'a str>,
}

/// A document to publish: its name, its bytes and its signature.
///
/// ```
/// use double_random::ceremony::steps::{sign_document, Signed};
/// use double_random::sign::{KeyId, SecretKey};
/// let key = SecretKey::from_seed(KeyId([1; 8]), &[2; 32]);
/// let doc = Signed {
///     name: "void.json".into(), bytes: b"{}".to_vec(),
///     signature: sign_document(&key, "D1", "void.json", b"{}")?,
/// };
/// assert_eq!(doc.stored().bytes, b"{}");
/// assert_eq!(doc.signed_document().name, "void.json");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// Its name (e.g. [`SHEET_FILE`]), which the signature names too.
    pub name: String,
    /// Its bytes (canonical JSON).
    pub bytes: Vec<u8>,
    /// The `.minisig` text, stored as `<name>.minisig` ([`signature_file`]).
    pub signature: String,
}

impl Signed {
    /// The document as a later step takes it.
    pub fn stored(&self) -> Stored<'_> {
        Stored {
            bytes: &self.bytes,
            signature: Some(&self.signature),
        }
    }

    /// The document as the verifier takes it ([`verify::verify`]).
    pub fn signed_document(&self) -> SignedDocument<'_> {
        SignedDocument {
            name: &self.name,
            bytes: &self.bytes,
            signature: &self.signature,
        }
    }
}

/// What a step made: the document's value, the signed document to publish and the log entry to
/// append after it.
///
/// See the [module](self) for a whole ceremony.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Made<T> {
    /// The document.
    pub value: T,
    /// The document to publish, signed.
    pub document: Signed,
    /// The entry to append to the log the step was given (its position is the document's).
    pub entry: Entry,
}

impl<T> Made<T> {
    /// What the entry records, for a storage that builds the entry itself under its lock
    /// (`bundle::append_with`); on the log the step was given it builds [`Made::entry`].
    pub fn record(&self) -> log::Record {
        log::Record {
            kind: self.entry.kind,
            draw_id: self.entry.draw_id.clone(),
            document: self.entry.document,
            task: self.entry.task.clone(),
            time: self.entry.time,
        }
    }

    /// Appends the entry to `log`, the bytes of the log the step was given, after checking that
    /// the longer log is sound (SPEC §12.2). On a refusal `log` is unchanged.
    pub fn append_to(&self, log: &mut Vec<u8>) -> Result<(), StepError> {
        let mut all = log.clone();
        all.extend_from_slice(&self.entry.to_line()?);
        all.push(b'\n');
        let report = log::check(&all, false);
        if let Some(f) = report.findings.first() {
            return Err(StepError::Log(f.clone()));
        }
        *log = all;
        Ok(())
    }
}

/// Why a step was refused. Documents are named by their file names ([`ANNOUNCEMENT_FILE`], …);
/// a storage maps them to its own places.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StepError {
    /// A document is invalid or refused by the ceremony's rules.
    #[error("{}: {source}", name.as_deref().unwrap_or("the draw"))]
    Document {
        /// The document (a signature file for a signature's comment), or `None` when the step
        /// is refused as a whole.
        name: Option<String>,
        /// Why.
        source: CeremonyError,
    },
    /// The log is damaged: nothing is appended to a broken log.
    #[error("the log is damaged: {0}")]
    Damaged(LogFinding),
    /// The log refuses the entry (a second announcement of a draw, a task still live).
    #[error("refused by the log: {0}")]
    Log(LogFinding),
    /// The log does not allow this step for this draw (already drawn, voided, never announced).
    #[error("draw {draw_id}: {state}")]
    State {
        /// The draw.
        draw_id: String,
        /// What the log says.
        state: DrawState,
    },
    /// The draw is not due yet.
    #[error("the draw is scheduled for {scheduled_at}; it is now {now}")]
    NotYetDue {
        /// Scheduled time.
        scheduled_at: Timestamp,
        /// The time given for the draw.
        now: Timestamp,
    },
    /// A secret was given for a name the announcement does not list.
    #[error("a secret was given for {party:?}, which the announcement does not list")]
    UnknownParty {
        /// The name given.
        party: String,
    },
    /// A party of the announcement has revealed no secret.
    #[error("no secret for party {party:?}")]
    MissingReveal {
        /// The party.
        party: String,
        /// Its role.
        role: Role,
    },
    /// A document the step builds on has no signature.
    #[error("{name}: missing")]
    Unsigned {
        /// The signature's name (`<document>.minisig`).
        name: String,
    },
    /// A signature is invalid, does not verify, or could not be made.
    #[error("{name}: {source}")]
    Sign {
        /// The signature's name (`<document>.minisig`).
        name: String,
        /// Why.
        source: SignError,
    },
    /// The draw already has its sheet.
    #[error("{name}: already exists; records are never overwritten")]
    Exists {
        /// The document.
        name: String,
    },
    /// A drawn draw cannot be voided: amendments are the way.
    #[error("{name}: the draw has its sheet; a drawn draw cannot be voided")]
    AlreadyDrawn {
        /// The sheet.
        name: String,
    },
    /// A draw id or party name breaks the rules of SPEC §3.6.
    #[error(transparent)]
    BadName(#[from] NameError),
    /// Canonical JSON failed (not expected for the documents of this crate).
    #[error(transparent)]
    Jcs(#[from] JcsError),
    /// The store of the draw's inputs could not give them ([`SourceError::Store`]: a file's
    /// problems, a database's failure); a caller that knows the store may downcast it.
    #[error(transparent)]
    Store(Box<dyn std::error::Error + Send + Sync>),
}

fn refused(name: Option<&str>, source: CeremonyError) -> StepError {
    StepError::Document {
        name: name.map(str::to_string),
        source,
    }
}

fn sound(log: &LogReport) -> Result<(), StepError> {
    match log.findings.first() {
        Some(f) => Err(StepError::Damaged(f.clone())),
        None => Ok(()),
    }
}

fn require_state(log: &LogReport, draw_id: &str, want: DrawState) -> Result<(), StepError> {
    let state = log.state(draw_id);
    if state != want {
        return Err(StepError::State {
            draw_id: draw_id.to_string(),
            state,
        });
    }
    Ok(())
}

/// The documents `file` of the draws whose `kind` entry is in the log, as the store holds them,
/// with their draw ids; missing, unreadable or altered ones (whose digest is not the one the
/// log records) are passed over: verification reports them.
///
/// ```
/// use double_random::ceremony::steps::{earlier_documents, NoRecords, SHEET_FILE};
/// use double_random::ceremony::{log, sheet::Sheet};
/// let found = earlier_documents(&log::check(b"", false), &NoRecords, log::EntryKind::Sheet,
///     SHEET_FILE, Sheet::parse);
/// assert!(found.is_empty());
/// ```
pub fn earlier_documents<T>(
    log: &LogReport,
    records: &dyn Records,
    kind: EntryKind,
    file: &str,
    parse: fn(&[u8]) -> Result<T, CeremonyError>,
) -> Vec<(String, T)> {
    log.entries
        .iter()
        .filter(|e| e.kind == kind)
        .filter_map(|e| {
            let bytes = records.document(&e.draw_id, file)?;
            (Digest32::of(&bytes) == e.document)
                .then(|| parse(&bytes).ok())
                .flatten()
                .map(|d| (e.draw_id.clone(), d))
        })
        .collect()
}

/// Signs the document and places its entry after `log`.
fn publish<T>(
    log: &LogReport,
    key: &SecretKey,
    record: log::Record,
    value: T,
    name: String,
    bytes: Vec<u8>,
) -> Result<Made<T>, StepError> {
    let signature =
        sign_document(key, &record.draw_id, &name, &bytes).map_err(|source| StepError::Sign {
            name: signature_file(&name),
            source,
        })?;
    let entry = log::next_entry(
        log,
        record.kind,
        &record.draw_id,
        record.document,
        &record.task,
        record.time,
    );
    Ok(Made {
        value,
        document: Signed {
            name,
            bytes,
            signature,
        },
        entry,
    })
}

/// Checks that `doc`, published as `name` for `draw_id`, carries the signature of `key` with the
/// draw and the document's digest in its trusted comment: a later step builds only on the
/// office's own documents.
///
/// ```
/// use double_random::ceremony::steps::{check_signature, sign_document, Stored, StepError};
/// use double_random::sign::{KeyId, SecretKey};
/// let key = SecretKey::from_seed(KeyId([1; 8]), &[2; 32]);
/// let sig = sign_document(&key, "D1", "void.json", b"{}")?;
/// let doc = Stored { bytes: b"{}", signature: Some(&sig) };
/// assert!(check_signature(doc, "void.json", &key, "D1").is_ok());
/// assert!(check_signature(doc, "void.json", &key, "D2").is_err());
/// let unsigned = Stored { bytes: b"{}", signature: None };
/// assert!(matches!(check_signature(unsigned, "void.json", &key, "D1"), Err(StepError::Unsigned { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_signature(
    doc: Stored<'_>,
    name: &str,
    key: &SecretKey,
    draw_id: &str,
) -> Result<(), StepError> {
    let sig_name = signature_file(name);
    let Some(text) = doc.signature else {
        return Err(StepError::Unsigned { name: sig_name });
    };
    let fail = |source| StepError::Sign {
        name: sig_name.clone(),
        source,
    };
    let sig = Signature::parse(text).map_err(fail)?;
    let ok = sign::verify(&key.public_key(), doc.bytes, &sig).map_err(fail)?;
    let fields = ok.fields().map_err(fail)?;
    let digest = Digest32::of(doc.bytes).to_hex();
    for (field, want) in [("draw", draw_id), ("sha256", digest.as_str())] {
        let found = fields.get(field).unwrap_or("");
        if found != want {
            return Err(refused(
                Some(&sig_name),
                CeremonyError::Mismatch {
                    document: "signature",
                    field,
                    expected: want.to_string(),
                    found: found.to_string(),
                },
            ));
        }
    }
    Ok(())
}

fn signed_announcement(doc: Stored<'_>, key: &SecretKey) -> Result<Announcement, StepError> {
    let ann = Announcement::parse(doc.bytes).map_err(|e| refused(Some(ANNOUNCEMENT_FILE), e))?;
    check_signature(doc, ANNOUNCEMENT_FILE, key, &ann.draw_id)?;
    Ok(ann)
}

// ---------------------------------------------------------------------------------------------
// Announce
// ---------------------------------------------------------------------------------------------

/// What an announcement needs.
///
/// See the [module](self) for a whole ceremony.
#[derive(Debug, Clone, Copy)]
pub struct AnnounceStep<'a> {
    /// The draw's id, unique in the office log.
    pub draw_id: &'a str,
    /// The plan.
    pub plan: &'a Plan,
    /// The digests of every input ([`InputDigests::of`]).
    pub inputs: InputDigests,
    /// The organizer's signing key.
    pub key: &'a SecretKey,
    /// The organizer's party name.
    pub organizer: &'a str,
    /// The organizer's fresh seed secret, which the caller keeps (privately) until the draw.
    pub organizer_secret: &'a Secret,
    /// Witnesses and their commitments, in the order given.
    pub witnesses: &'a [(String, Digest32)],
    /// The beacon named in advance, if any.
    pub beacon: Option<&'a BeaconSpec>,
    /// When the announcement is made.
    pub announced_at: Timestamp,
    /// When the draw is scheduled.
    pub scheduled_at: Timestamp,
    /// A drill without witness or beacon: the office alone chooses the seed (SPEC §9).
    pub drill: bool,
}

impl AnnounceStep<'_> {
    /// The checks that need no log: names (SPEC §3.6) and randomness the office cannot know (a
    /// witness or a beacon, unless this is a drill). [`announce`] makes them too; a storage
    /// calls this first to refuse before it touches anything.
    ///
    /// ```
    /// use double_random::ceremony::steps::{AnnounceStep, StepError};
    /// use double_random::ceremony::{announce::InputDigests, commit::Secret};
    /// use double_random::sign::{KeyId, SecretKey};
    /// let inputs = double_random::draw::example_inputs();
    /// let key = SecretKey::from_seed(KeyId([1; 8]), &[2; 32]);
    /// let step = AnnounceStep {
    ///     draw_id: "D1", plan: &inputs.plan, inputs: InputDigests::of(&inputs.as_inputs())?,
    ///     key: &key, organizer: "organizer", organizer_secret: &Secret::from_bytes([3; 32]),
    ///     witnesses: &[], beacon: None, announced_at: "2026-03-01T01:00:00Z".parse()?,
    ///     scheduled_at: "2026-03-01T02:00:00Z".parse()?, drill: false,
    /// };
    /// assert!(matches!(step.check(), Err(StepError::Document { .. }))); // no witness, no beacon
    /// assert!(AnnounceStep { drill: true, ..step }.check().is_ok());
    /// assert!(AnnounceStep { draw_id: "../x", drill: true, ..step }.check().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check(&self) -> Result<(), StepError> {
        crate::names::check(NameKind::DrawId, self.draw_id)?;
        crate::names::check(NameKind::PartyName, self.organizer)?;
        for (name, _) in self.witnesses {
            crate::names::check(NameKind::PartyName, name)?;
        }
        if self.witnesses.is_empty() && self.beacon.is_none() && !self.drill {
            return Err(refused(
                Some(ANNOUNCEMENT_FILE),
                CeremonyError::NoIndependentRandomness,
            ));
        }
        Ok(())
    }
}

/// Announces a draw (SPEC §9, §12.2): refuses unless a witness or a beacon brings randomness
/// the office cannot know (or this is a drill), unless the task is free (no draw of it pending
/// or drawn, [`log::may_announce`]), and when a witness's commitment is in an earlier
/// announcement of the log; cites the task's last void; builds and signs `announcement.json` at
/// its log position.
///
/// The caller keeps the organizer's secret it passed in, publishes the document with the inputs
/// and the public key, and appends the entry. See the [module](self) for a whole ceremony.
pub fn announce(
    log: &LogReport,
    records: &dyn Records,
    req: &AnnounceStep<'_>,
) -> Result<Made<Announcement>, StepError> {
    req.check()?;
    sound(log)?;
    let plan = PlanRef::of(req.plan);
    let task = log::Task::of(&plan);
    let supersedes = log::may_announce(log, req.draw_id, &task).map_err(StepError::Log)?;
    let earlier = earlier_documents(
        log,
        records,
        EntryKind::Announcement,
        ANNOUNCEMENT_FILE,
        Announcement::parse,
    );
    for (name, c) in req.witnesses {
        if let Some((other, _)) = earlier
            .iter()
            .find(|(_, a)| a.parties.iter().any(|p| p.commitment == *c))
        {
            return Err(refused(
                Some(ANNOUNCEMENT_FILE),
                CeremonyError::Reused {
                    what: verify::Reuse::Commitment,
                    party: name.clone(),
                    other: other.clone(),
                },
            ));
        }
    }
    let mut parties = vec![Party {
        name: req.organizer.to_string(),
        role: Role::Organizer,
        commitment: commitment(req.draw_id, req.organizer, req.organizer_secret),
    }];
    parties.extend(req.witnesses.iter().map(|(name, c)| Party {
        name: name.clone(),
        role: Role::Witness,
        commitment: *c,
    }));
    let ann = Announcement {
        format: ANNOUNCEMENT_FORMAT.into(),
        version: VERSION.into(),
        draw_id: req.draw_id.to_string(),
        plan,
        inputs: req.inputs,
        parties,
        beacon: req.beacon.cloned(),
        announced_at: req.announced_at,
        scheduled_at: req.scheduled_at,
        key_id: req.key.key_id().to_string(),
        log: log.next_position(),
        supersedes,
    };
    ann.check()
        .map_err(|e| refused(Some(ANNOUNCEMENT_FILE), e))?;
    let bytes = ann.to_canonical()?;
    publish(
        log,
        req.key,
        log::Record {
            kind: EntryKind::Announcement,
            draw_id: req.draw_id.to_string(),
            document: Digest32::of(&bytes),
            task,
            time: req.announced_at,
        },
        ann,
        ANNOUNCEMENT_FILE.to_string(),
        bytes,
    )
}

// ---------------------------------------------------------------------------------------------
// Draw
// ---------------------------------------------------------------------------------------------

/// What a draw needs besides its inputs.
///
/// See the [module](self) for a whole ceremony.
#[derive(Debug, Clone, Copy)]
pub struct DrawStep<'a> {
    /// The announcement as published, with its signature.
    pub announcement: Stored<'a>,
    /// The organizer's signing key (the announcement must carry its signature).
    pub key: &'a SecretKey,
    /// The secrets revealed, by party name: the witnesses' and the organizer's.
    pub reveals: &'a [(String, Secret)],
    /// The beacon value, when the announcement names a beacon.
    pub beacon: Option<&'a BeaconValue>,
    /// When the draw is made (no earlier than the scheduled time).
    pub drawn_at: Timestamp,
}

/// Whether the draw may be made, before its inputs are read: the announcement is the office's
/// own, the draw has no sheet, it is due, the log shows it pending, every secret given belongs
/// to a party and every witness has revealed. Returns the announcement. The organizer's own
/// secret may still be missing from `req.reveals` here ([`draw`] requires it).
///
/// ```
/// use double_random::ceremony::steps::{self, AnnounceStep, DrawStep, NoRecords, StepError};
/// use double_random::ceremony::{commit::Secret, log, announce::InputDigests};
/// use double_random::sign::{KeyId, SecretKey};
/// let key = SecretKey::from_seed(KeyId([1; 8]), &[2; 32]);
/// let owned = double_random::draw::example_inputs();
/// let mut office_log = vec![];
/// let ann = steps::announce(&log::check(&office_log, false), &NoRecords, &AnnounceStep {
///     draw_id: "D1", plan: &owned.plan, inputs: InputDigests::of(&owned.as_inputs())?,
///     key: &key, organizer: "organizer", organizer_secret: &Secret::from_bytes([3; 32]),
///     witnesses: &[], beacon: None, announced_at: "2026-03-01T01:00:00Z".parse()?,
///     scheduled_at: "2026-03-01T02:00:00Z".parse()?, drill: true,
/// })?;
/// ann.append_to(&mut office_log)?;
/// let early = DrawStep { announcement: ann.document.stored(), key: &key, reveals: &[],
///     beacon: None, drawn_at: "2026-03-01T01:30:00Z".parse()? };
/// let refusal = steps::may_draw(&log::check(&office_log, false), &NoRecords, &early);
/// assert!(matches!(refusal, Err(StepError::NotYetDue { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn may_draw(
    log: &LogReport,
    records: &dyn Records,
    req: &DrawStep<'_>,
) -> Result<Announcement, StepError> {
    let ann = signed_announcement(req.announcement, req.key)?;
    if records.has(&ann.draw_id, SHEET_FILE) {
        return Err(StepError::Exists {
            name: SHEET_FILE.to_string(),
        });
    }
    if req.drawn_at < ann.scheduled_at {
        return Err(StepError::NotYetDue {
            scheduled_at: ann.scheduled_at,
            now: req.drawn_at,
        });
    }
    sound(log)?;
    require_state(log, &ann.draw_id, DrawState::Pending)?;
    for (name, _) in req.reveals {
        if !ann.parties.iter().any(|p| &p.name == name) {
            return Err(StepError::UnknownParty {
                party: name.clone(),
            });
        }
    }
    if let Some(p) = ann
        .parties
        .iter()
        .find(|p| p.role == Role::Witness && !req.reveals.iter().any(|(n, _)| n == &p.name))
    {
        return Err(StepError::MissingReveal {
            party: p.name.clone(),
            role: p.role,
        });
    }
    Ok(ann)
}

/// Makes the draw of an announced ceremony (SPEC §10): checks what [`may_draw`] checks, that
/// every party revealed, that no secret was revealed in an earlier sheet of the log, runs the
/// draw on `inputs` (which must be the announced ones: rows in memory, [`DrawInputs`], or any
/// other [`DrawSource`], such as a store that streams its rosters) and builds and signs
/// `sheet.json` at its log position. See the [module](self) for a whole ceremony.
pub fn draw(
    log: &LogReport,
    records: &dyn Records,
    req: &DrawStep<'_>,
    inputs: &dyn DrawSource,
) -> Result<Made<Sheet>, StepError> {
    let ann = may_draw(log, records, req)?;
    let mut reveals = Vec::with_capacity(ann.parties.len());
    for p in &ann.parties {
        let Some((_, secret)) = req.reveals.iter().find(|(n, _)| n == &p.name) else {
            return Err(StepError::MissingReveal {
                party: p.name.clone(),
                role: p.role,
            });
        };
        reveals.push(Reveal {
            name: p.name.clone(),
            secret: Digest32(*secret.as_bytes()),
        });
    }
    let made = draw_with(log, records, req, &ann, &reveals, inputs);
    for r in &mut reveals {
        zeroize::Zeroize::zeroize(&mut r.secret.0);
    }
    made
}

fn draw_with(
    log: &LogReport,
    records: &dyn Records,
    req: &DrawStep<'_>,
    ann: &Announcement,
    reveals: &[Reveal],
    inputs: &dyn DrawSource,
) -> Result<Made<Sheet>, StepError> {
    let earlier = earlier_documents(log, records, EntryKind::Sheet, SHEET_FILE, Sheet::parse);
    for r in reveals {
        if let Some((other, _)) = earlier
            .iter()
            .find(|(_, s)| s.reveals.iter().any(|x| x.secret == r.secret))
        {
            return Err(refused(
                Some(SHEET_FILE),
                CeremonyError::Reused {
                    what: verify::Reuse::Secret,
                    party: r.name.clone(),
                    other: other.clone(),
                },
            ));
        }
    }
    let sheet = sheet::run_from(
        ann,
        reveals,
        req.beacon,
        inputs,
        req.drawn_at,
        log.next_position(),
    )
    .map_err(|e| match e {
        SourceError::Ceremony(e) => refused(None, e),
        SourceError::Store(e) => StepError::Store(e),
    })?;
    let bytes = sheet.to_canonical()?;
    publish(
        log,
        req.key,
        log::Record {
            kind: EntryKind::Sheet,
            draw_id: ann.draw_id.clone(),
            document: Digest32::of(&bytes),
            task: log::Task::of(&ann.plan),
            time: req.drawn_at,
        },
        sheet,
        SHEET_FILE.to_string(),
        bytes,
    )
}

// ---------------------------------------------------------------------------------------------
// Amend
// ---------------------------------------------------------------------------------------------

/// What an amendment needs besides the inputs.
#[derive(Debug, Clone, Copy)]
pub struct AmendStep<'a> {
    /// The announcement as published, with its signature.
    pub announcement: Stored<'a>,
    /// The sheet as published, with its signature.
    pub sheet: Stored<'a>,
    /// The draw's amendments so far, in order.
    pub previous: &'a [Amendment],
    /// The organizer's signing key.
    pub key: &'a SecretKey,
    /// What the amendment changes.
    pub action: &'a Action,
    /// Why.
    pub reason: &'a Reason,
    /// When it is made.
    pub amended_at: Timestamp,
}

/// Records an amendment (补抽 / 回避) of a drawn sheet (SPEC §11): checks that the announcement
/// and the sheet are the office's own, that `inputs` (whose digests are `digests`, as
/// [`InputDigests::of`] gives them) are the announced ones and that the log shows the draw
/// drawn; computes the amendment from the rankings fixed by the seed and builds and signs
/// `amendment-<n>.json` at its log position.
///
/// ```
/// use double_random::ceremony::steps::{self, AmendStep, AnnounceStep, DrawStep, NoRecords};
/// use double_random::ceremony::{amend::{Action, Reason, ReasonCode}, commit::Secret, log};
/// use double_random::ceremony::announce::InputDigests;
/// use double_random::sign::{KeyId, SecretKey};
/// let key = SecretKey::from_seed(KeyId([1; 8]), &[2; 32]);
/// let owned = double_random::draw::example_inputs();
/// let (inputs, digests) = (owned.as_inputs(), InputDigests::of(&owned.as_inputs())?);
/// let secret = Secret::from_bytes([3; 32]);
/// let t = |s: &str| s.parse().unwrap();
/// let mut office_log = vec![];
/// let ann = steps::announce(&log::check(&office_log, false), &NoRecords, &AnnounceStep {
///     draw_id: "D1", plan: &owned.plan, inputs: digests, key: &key,
///     organizer: "organizer", organizer_secret: &secret, witnesses: &[], beacon: None,
///     announced_at: t("2026-03-01T01:00:00Z"), scheduled_at: t("2026-03-01T02:00:00Z"),
///     drill: true,
/// })?;
/// ann.append_to(&mut office_log)?;
/// let sheet = steps::draw(&log::check(&office_log, false), &NoRecords, &DrawStep {
///     announcement: ann.document.stored(), key: &key,
///     reveals: &[("organizer".into(), secret)], beacon: None,
///     drawn_at: t("2026-03-01T02:00:00Z"),
/// }, &inputs)?;
/// sheet.append_to(&mut office_log)?;
/// let entity = sheet.value.entities[0].id.clone();
/// let a = steps::amend(&log::check(&office_log, false), &AmendStep {
///     announcement: ann.document.stored(), sheet: sheet.document.stored(), previous: &[],
///     key: &key, action: &Action::ReplaceEntity { entity },
///     reason: &Reason { code: ReasonCode::EntityClosed, text: String::new() },
///     amended_at: t("2026-03-02T09:00:00Z"),
/// }, &inputs, &digests)?;
/// assert_eq!(a.document.name, "amendment-1.json");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn amend(
    log: &LogReport,
    req: &AmendStep<'_>,
    inputs: &DrawInputs<'_>,
    digests: &InputDigests,
) -> Result<Made<Amendment>, StepError> {
    amend_by(log, req, digests, |sheet, position| {
        amend::amend(
            sheet,
            req.previous,
            req.action.clone(),
            req.reason.clone(),
            inputs,
            req.amended_at,
            position,
        )
    })
}

/// [`amend()`] with the rows given by an [`AmendSource`](super::source::AmendSource) (whose
/// inputs have the digests `digests`), which need not hold the entity roster in memory.
///
/// ```
/// use double_random::ceremony::steps::{self, AmendStep, AnnounceStep, DrawStep, NoRecords};
/// use double_random::ceremony::{amend::{Action, Reason, ReasonCode, RowsInMemory}, commit::Secret, log};
/// use double_random::ceremony::announce::InputDigests;
/// use double_random::sign::{KeyId, SecretKey};
/// let key = SecretKey::from_seed(KeyId([1; 8]), &[2; 32]);
/// let owned = double_random::draw::example_inputs();
/// let (inputs, digests) = (owned.as_inputs(), InputDigests::of(&owned.as_inputs())?);
/// let secret = Secret::from_bytes([3; 32]);
/// let t = |s: &str| s.parse().unwrap();
/// let mut office_log = vec![];
/// let ann = steps::announce(&log::check(&office_log, false), &NoRecords, &AnnounceStep {
///     draw_id: "D1", plan: &owned.plan, inputs: digests, key: &key,
///     organizer: "organizer", organizer_secret: &secret, witnesses: &[], beacon: None,
///     announced_at: t("2026-03-01T01:00:00Z"), scheduled_at: t("2026-03-01T02:00:00Z"),
///     drill: true,
/// })?;
/// ann.append_to(&mut office_log)?;
/// let sheet = steps::draw(&log::check(&office_log, false), &NoRecords, &DrawStep {
///     announcement: ann.document.stored(), key: &key,
///     reveals: &[("organizer".into(), secret)], beacon: None,
///     drawn_at: t("2026-03-01T02:00:00Z"),
/// }, &inputs)?;
/// sheet.append_to(&mut office_log)?;
/// let step = AmendStep {
///     announcement: ann.document.stored(), sheet: sheet.document.stored(), previous: &[],
///     key: &key, action: &Action::ReplaceEntity { entity: sheet.value.entities[0].id.clone() },
///     reason: &Reason { code: ReasonCode::EntityClosed, text: String::new() },
///     amended_at: t("2026-03-02T09:00:00Z"),
/// };
/// let report = log::check(&office_log, false);
/// let a = steps::amend_from(&report, &step, &RowsInMemory::new(&inputs)?, &digests)?;
/// let b = steps::amend(&report, &step, &inputs, &digests)?;
/// assert_eq!(a.value, b.value);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn amend_from(
    log: &LogReport,
    req: &AmendStep<'_>,
    rows: &dyn super::source::AmendSource,
    digests: &InputDigests,
) -> Result<Made<Amendment>, StepError> {
    amend_by(log, req, digests, |sheet, position| {
        amend::amend_from(
            sheet,
            req.previous,
            req.action.clone(),
            req.reason.clone(),
            rows,
            req.amended_at,
            position,
        )
    })
}

/// The checks of [`amend()`], then the amendment `compute` makes of the sheet at the log's
/// next position, built and signed.
fn amend_by(
    log: &LogReport,
    req: &AmendStep<'_>,
    digests: &InputDigests,
    compute: impl FnOnce(&Sheet, log::Position) -> Result<Amendment, CeremonyError>,
) -> Result<Made<Amendment>, StepError> {
    let ann = signed_announcement(req.announcement, req.key)?;
    let sheet = Sheet::parse(req.sheet.bytes).map_err(|e| refused(Some(SHEET_FILE), e))?;
    check_signature(req.sheet, SHEET_FILE, req.key, &ann.draw_id)?;
    if let Some((name, announced, found)) = ann.inputs.differences(digests).first() {
        return Err(refused(
            None,
            CeremonyError::InputChanged {
                input: name,
                announced: *announced,
                found: *found,
            },
        ));
    }
    sound(log)?;
    require_state(log, &ann.draw_id, DrawState::Drawn)?;
    let a = compute(&sheet, log.next_position()).map_err(|e| refused(None, e))?;
    let bytes = a.to_canonical()?;
    let name = amendment_file(a.seq);
    publish(
        log,
        req.key,
        log::Record {
            kind: EntryKind::Amendment,
            draw_id: ann.draw_id.clone(),
            document: Digest32::of(&bytes),
            task: log::Task::of(&ann.plan),
            time: req.amended_at,
        },
        a,
        name,
        bytes,
    )
}

// ---------------------------------------------------------------------------------------------
// Void
// ---------------------------------------------------------------------------------------------

/// What a void needs.
#[derive(Debug, Clone, Copy)]
pub struct VoidStep<'a> {
    /// The announcement as published, with its signature.
    pub announcement: Stored<'a>,
    /// The organizer's signing key.
    pub key: &'a SecretKey,
    /// Why the draw will not be drawn.
    pub reason: &'a VoidReason,
    /// When it is voided (no earlier than the announcement).
    pub time: Timestamp,
}

/// Voids an announced draw that will not be drawn (SPEC §11.5): builds and signs `void.json` at
/// its log position. A void draw can never be drawn, and the next announcement of its task
/// cites the void.
///
/// Refuses a draw that already has a sheet (amendments are the way after a draw) and a draw the
/// log does not show pending.
///
/// ```
/// use double_random::ceremony::steps::{self, AnnounceStep, VoidStep, NoRecords};
/// use double_random::ceremony::{commit::Secret, log, announce::InputDigests, void::*};
/// use double_random::sign::{KeyId, SecretKey};
/// let key = SecretKey::from_seed(KeyId([1; 8]), &[2; 32]);
/// let owned = double_random::draw::example_inputs();
/// let t = |s: &str| s.parse().unwrap();
/// let mut office_log = vec![];
/// let ann = steps::announce(&log::check(&office_log, false), &NoRecords, &AnnounceStep {
///     draw_id: "D1", plan: &owned.plan, inputs: InputDigests::of(&owned.as_inputs())?,
///     key: &key, organizer: "organizer", organizer_secret: &Secret::from_bytes([3; 32]),
///     witnesses: &[], beacon: None, announced_at: t("2026-03-01T01:00:00Z"),
///     scheduled_at: t("2026-03-01T02:00:00Z"), drill: true,
/// })?;
/// ann.append_to(&mut office_log)?;
/// let reason = VoidReason { code: VoidCode::PlanChanged, text: String::new() };
/// let v = steps::void(&log::check(&office_log, false), &NoRecords, &VoidStep {
///     announcement: ann.document.stored(), key: &key, reason: &reason,
///     time: t("2026-03-01T01:30:00Z"),
/// })?;
/// v.append_to(&mut office_log)?;
/// assert_eq!(log::check(&office_log, false).state("D1"), log::DrawState::Void);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn void(
    log: &LogReport,
    records: &dyn Records,
    req: &VoidStep<'_>,
) -> Result<Made<Void>, StepError> {
    let ann = signed_announcement(req.announcement, req.key)?;
    if records.has(&ann.draw_id, SHEET_FILE) {
        return Err(StepError::AlreadyDrawn {
            name: SHEET_FILE.to_string(),
        });
    }
    sound(log)?;
    require_state(log, &ann.draw_id, DrawState::Pending)?;
    let v = Void::new(
        &ann.draw_id,
        Digest32::of(req.announcement.bytes),
        req.reason.clone(),
        req.time,
        log.next_position(),
    );
    if v.voided_at < ann.announced_at {
        return Err(refused(
            Some(VOID_FILE),
            CeremonyError::Mismatch {
                document: "void",
                field: "voided_at",
                expected: format!("no earlier than {}", ann.announced_at),
                found: v.voided_at.to_string(),
            },
        ));
    }
    let bytes = v.to_canonical()?;
    publish(
        log,
        req.key,
        log::Record {
            kind: EntryKind::Void,
            draw_id: ann.draw_id.clone(),
            document: Digest32::of(&bytes),
            task: log::Task::of(&ann.plan),
            time: req.time,
        },
        v,
        VOID_FILE.to_string(),
        bytes,
    )
}
