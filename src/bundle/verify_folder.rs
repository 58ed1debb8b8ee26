//! Verification of a draw folder, as deep as its files allow.

use super::*;
use crate::pipeline;

/// How deep a folder could be verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Depth {
    /// Only an announcement (the draw has not been made): signature, consistency, and the
    /// inputs' digests when they are present.
    Announcement,
    /// Public checks: signatures, citations, commitments, beacon, seed.
    Public,
    /// Public checks and each stratum's k against the plan.
    Plan,
    /// Everything replayed from the inputs.
    Full,
}

/// The result of [`verify_dir_detailed`].
#[derive(Debug, Clone)]
pub struct DirVerification {
    /// Checks and findings.
    pub report: Report,
    /// How deep the check went.
    pub depth: Depth,
    /// Inputs that were not in the folder (so the replay could not be made).
    pub withheld: Vec<String>,
    /// Whether the public key was taken from the folder itself rather than given.
    pub key_from_folder: bool,
    /// The draw id.
    pub draw_id: String,
    /// The number of amendments found.
    pub amendments: usize,
    /// What stops the office from choosing this result (SPEC §13.3), when the announcement
    /// could be read.
    pub trust: Option<verify::TrustSummary>,
    /// The views present (`sheet.csv`, `sheet.xlsx`, `notice.html`), rebuilt from the
    /// documents and compared; a view that differs is a failure, see [`crate::publish::check`].
    pub views: Vec<crate::publish::check::ViewCheck>,
}

impl DirVerification {
    /// PASS: every check succeeded, every view present matches the documents, and the public
    /// key was named by the verifier.
    pub fn passed(&self) -> bool {
        self.report.passed() && !self.key_from_folder && !self.views.iter().any(|v| v.failed())
    }
}

/// Verifies a draw folder: the auditor's one call.
///
/// Loads what is present and checks as deep as it allows (see [`Depth`]). `public_key` is the
/// organizer's key as obtained independently; without it, `organizer.pub` in the folder is used,
/// which proves only that the files agree with each other.
///
/// ```
/// use double_random::bundle::{verify_dir, BundleError};
/// let dir = tempfile::tempdir()?;
/// // An empty folder holds no announcement: an error, not a FAIL.
/// assert!(matches!(verify_dir(dir.path(), None), Err(BundleError::Missing { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// See [`announce`] for a verification that passes and [`verify_dir_detailed`] for one that
/// fails.
pub fn verify_dir(dir: &Path, public_key: Option<&PublicKey>) -> Result<Report, BundleError> {
    verify_dir_detailed(dir, public_key, &mut NoProgress).map(|v| v.report)
}

/// [`verify_dir`], also saying how deep it went and what was withheld.
///
/// ```
/// # use double_random::bundle::*;
/// # use double_random::ceremony::commit::Secret;
/// # use double_random::sign::SecretKey;
/// # let office = tempfile::tempdir()?;
/// # example_input_files(&office.path().join("r"))?;
/// # let private = PrivateDir::new(office.path().join("private"));
/// # let log = office.path().join(LOG_FILE);
/// # let key = SecretKey::generate()?;
/// # let folder = DrawDir::new(office.path().join("D1"));
/// # let inputs = load_inputs(&office.path().join("r"), None)?;
/// # let t = |s: &str| s.parse().unwrap();
/// # announce(&folder, &private, &log, &AnnounceRequest {
/// #     draw_id: "D1", inputs: &inputs, key: &key, organizer: "organizer",
/// #     organizer_secret: &Secret::generate()?, witnesses: &[], beacon: None,
/// #     announced_at: t("2026-03-01T01:00:00Z"), scheduled_at: t("2026-03-01T01:00:00Z"),
/// #     drill: true,
/// # })?;
/// # draw(&folder, &private, &log, &DrawRequest { key: &key, reveals: &[], beacon: None,
/// #     drawn_at: t("2026-03-01T01:00:00Z") }, &mut NoProgress)?;
/// // The public folder: the inspector roster is withheld, so no full replay.
/// std::fs::remove_file(folder.path("inspectors.csv"))?;
/// let v = verify_dir_detailed(folder.root(), Some(&key.public_key()), &mut NoProgress)?;
/// assert!(v.report.passed());
/// assert_eq!(v.depth, Depth::Plan);
/// assert_eq!(v.withheld, ["inspectors.csv"]);
///
/// // Another office's key: FAIL, naming the documents.
/// let other = SecretKey::generate()?.public_key();
/// let v = verify_dir_detailed(folder.root(), Some(&other), &mut NoProgress)?;
/// assert!(!v.report.passed());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify_dir_detailed(
    dir: &Path,
    public_key: Option<&PublicKey>,
    progress: &mut dyn Progress,
) -> Result<DirVerification, BundleError> {
    let opts = VerifyOptions {
        public_key,
        ..VerifyOptions::default()
    };
    verify_dir_with(dir, &opts, progress)
}

/// How the timestamp token beside the announcement proves its time (SPEC §8.5, §8.6).
pub(super) fn time_proof(
    src: &dyn FileSource,
    ann: &Announcement,
    ann_bytes: &[u8],
    trusted: &[Vec<u8>],
) -> verify::TimeProof {
    use verify::TimeProof;
    let Some(beacon) = &ann.beacon else {
        return TimeProof::NoBeacon;
    };
    let Ok(token) = src.read_file(TIMESTAMP_FILE, MAX_SMALL_FILE_BYTES) else {
        return TimeProof::OfficeClaim;
    };
    if trusted.is_empty() {
        return TimeProof::NotChecked;
    }
    match crate::ceremony::timestamp::verify(&token, &Digest32::of(ann_bytes), trusted) {
        Err(e) => TimeProof::Failed {
            problem: verify::TimeProblem::Token(std::sync::Arc::new(e)),
        },
        Ok(v) => match beacon.time() {
            Ok(bt)
                if v.gen_time
                    .unix()
                    .saturating_add(crate::ceremony::MARGIN_SECONDS)
                    <= bt =>
            {
                TimeProof::Proven {
                    tsa: v.signer,
                    gen_time: v.gen_time,
                }
            }
            _ => TimeProof::Failed {
                problem: verify::TimeProblem::TooLate {
                    gen_time: v.gen_time,
                    margin_seconds: crate::ceremony::MARGIN_SECONDS,
                },
            },
        },
    }
}

/// [`verify_dir`] with every option: the log, strictness and trusted TSA certificates.
pub fn verify_dir_with(
    dir: &Path,
    opts: &VerifyOptions<'_>,
    progress: &mut dyn Progress,
) -> Result<DirVerification, BundleError> {
    let mut load =
        |ann: Option<&Announcement>,
         seed: Option<(Digest32, Option<pipeline::Keep<'_>>)>,
         findings: &mut Vec<Finding>| { folder_inputs(dir, ann, seed, findings, progress) };
    let mut log = || match opts.log {
        Some(log_path) => check_recorded(dir, log_path, opts.strict).map(Some),
        None => Ok(None),
    };
    verify_source(
        &dir,
        opts.public_key,
        opts.tsa_certificates,
        &mut load,
        &mut log,
    )
}

/// Verifies the published files of one draw given in memory, by name (`announcement.json`,
/// `sheet.json`, `amendment-N.json`, their `.minisig`, `void.json`, `timestamp.tsr`,
/// `plan.toml`, the views): what a browser is given when a reader drops the published files.
///
/// The same checks as [`verify_dir_with`] on a folder holding these files: when the rosters and
/// the plan are among them, the draw is replayed from them (read by the loader a folder's are
/// read with); when `office.log` is among them, the draw is checked against it as with
/// [`VerifyOptions::log`] (not strict). The office's other draws' documents, which the log
/// check looks for beside the log, are `<draw id>/<file>` among `files`; those absent are named
/// as unpublished, as they would be in a folder.
///
/// ```
/// use double_random::bundle::{verify_files, BundleError};
/// use double_random::formats::files::MemoryFiles;
///
/// // No announcement: an error, not a FAIL.
/// let files = MemoryFiles::new();
/// assert!(matches!(verify_files(&files, None, &[]), Err(BundleError::Missing { .. })));
/// ```
pub fn verify_files(
    files: &files::MemoryFiles,
    public_key: Option<&PublicKey>,
    tsa_certificates: &[Vec<u8>],
) -> Result<DirVerification, BundleError> {
    let mut load =
        |ann: Option<&Announcement>,
         _: Option<(Digest32, Option<pipeline::Keep<'_>>)>,
         findings: &mut Vec<Finding>| { Ok(memory_inputs(files, ann, findings)) };
    let mut log = || {
        if !files.contains_key(LOG_FILE) {
            return Ok(None);
        }
        let bytes = files.read_file(LOG_FILE, files::LogFile::DEFAULT_MAX_BYTES)?;
        check_recorded_in(files, LOG_FILE, &bytes, &MemoryOffice(files), false).map(Some)
    };
    verify_source(files, public_key, tsa_certificates, &mut load, &mut log)
}

/// The office's other draws among files in memory: `<draw id>/<file>`, as a dropped office
/// folder names them.
struct MemoryOffice<'a>(&'a files::MemoryFiles);

impl steps::Records for MemoryOffice<'_> {
    fn document(&self, draw_id: &str, name: &str) -> Option<Vec<u8>> {
        self.0.get(&format!("{draw_id}/{name}")).cloned()
    }
}

/// The inputs among files in memory, read for a replay when they are all there (by the loader
/// a folder's are read with, from memory): what [`folder_inputs`] does, without streaming.
fn memory_inputs(
    files: &files::MemoryFiles,
    ann: Option<&Announcement>,
    findings: &mut Vec<Finding>,
) -> LoadedInputs {
    let source = InputSource::Memory(files);
    let mut withheld = vec![];
    let mut plan = None;
    let mut inputs = None;
    match InputPaths::find_in(files) {
        Ok(paths) => {
            withheld = announced_but_absent(&paths, ann);
            if withheld.is_empty() {
                // The fast entity reader, on as many threads as there are (one in a browser,
                // where it parses on the calling thread).
                match load_inputs_from(&source, &paths, &mut NoProgress, true, Guard::Replay) {
                    Ok(i) => inputs = Some(i),
                    Err(BundleError::Inputs(p)) => {
                        for problem in p.problems {
                            findings.push(input_finding(&problem));
                        }
                    }
                    // Only the inputs' own problems reach here from memory; anything else is
                    // reported as a problem of the plan.
                    Err(e) => findings.push(input_finding(&InputProblem::Unreadable {
                        path: PLAN_FILE.into(),
                        message: e.to_string(),
                    })),
                }
            } else {
                plan = read_memory_plan(files, findings);
            }
        }
        Err(p) => {
            for problem in &p.problems {
                if let InputProblem::Missing { path, .. } = problem {
                    withheld.push(path.to_string_lossy().into_owned());
                } else {
                    findings.push(input_finding(problem));
                }
            }
            if files.contains_key(PLAN_FILE) {
                plan = read_memory_plan(files, findings);
            }
        }
    }
    LoadedInputs {
        plan,
        inputs,
        streamed: None,
        withheld,
    }
}

/// The plan among files in memory, its problems as findings.
fn read_memory_plan(files: &files::MemoryFiles, findings: &mut Vec<Finding>) -> Option<Plan> {
    let mut problems = InputProblems::default();
    let plan = plan_from_read(
        Path::new(PLAN_FILE),
        files.read_file(PLAN_FILE, MAX_SMALL_FILE_BYTES),
        &mut problems,
    );
    for p in &problems.problems {
        findings.push(input_finding(p));
    }
    plan
}

/// Conflicts or history the announcement counts rows of but that are absent: withheld, so no
/// replay.
fn announced_but_absent(paths: &InputPaths, ann: Option<&Announcement>) -> Vec<String> {
    let mut withheld = vec![];
    if let Some(a) = ann {
        for (file, present, rows) in [
            (
                "conflicts.csv",
                paths.conflicts.is_some(),
                a.inputs.conflicts.rows,
            ),
            (
                "history.csv",
                paths.history.is_some(),
                a.inputs.history.rows,
            ),
        ] {
            if !present && rows > 0 {
                withheld.push(file.to_string());
            }
        }
    }
    withheld
}

/// What was read of the inputs: all of them (a replay), the draw streamed from them, the plan
/// alone, or neither.
pub(super) struct LoadedInputs {
    plan: Option<Plan>,
    inputs: Option<Inputs>,
    streamed: Option<Streamed>,
    withheld: Vec<String>,
}

/// The draw streamed from the inputs with the sheet's seed, and the population kept for
/// replaying amendments.
pub(super) struct Streamed {
    plan: Plan,
    outcome: pipeline::Outcome,
    rows: Option<pipeline::Population>,
}

/// Reads the inputs given the announcement and, when there is a sheet, its seed and, when it
/// has amendments, what their replay needs of the population (a replay may then stream the
/// files, keeping that much); without a seed every row is read.
type LoadInputs<'a> = dyn FnMut(
        Option<&Announcement>,
        Option<(Digest32, Option<pipeline::Keep<'_>>)>,
        &mut Vec<Finding>,
    ) -> Result<LoadedInputs, BundleError>
    + 'a;
type CheckLog<'a> = dyn FnMut() -> LogChecked + Send + 'a;
/// What the check of the office log found and what it says of the draw's trust; `None`
/// without a log.
type LogChecked = Result<Option<(Vec<Finding>, verify::LogTrust)>, BundleError>;

/// The inputs in the folder `dir`, read for a replay when they are all there.
fn folder_inputs(
    dir: &Path,
    ann: Option<&Announcement>,
    seed: Option<(Digest32, Option<pipeline::Keep<'_>>)>,
    findings: &mut Vec<Finding>,
    progress: &mut dyn Progress,
) -> Result<LoadedInputs, BundleError> {
    let d = DrawDir::new(dir);
    let mut withheld = vec![];
    let mut plan: Option<Plan> = None;
    let mut inputs: Option<Inputs> = None;
    let mut streamed: Option<Streamed> = None;
    match InputPaths::find(dir, None) {
        Ok(paths) => {
            // Conflicts or history announced with rows but absent: withheld, no replay.
            withheld = announced_but_absent(&paths, ann);
            let complete = withheld.is_empty();
            // A sheet is replayed from plain CSV files by streaming them (keeping what its
            // amendments need); anything else, or a problem met on the way, reads them whole.
            if complete && let Some((seed, keep)) = seed {
                streamed =
                    FolderSource::replay(&paths, &seed, keep).map(|(plan, outcome, rows)| {
                        Streamed {
                            plan,
                            outcome,
                            rows,
                        }
                    });
            }
            if complete && streamed.is_none() {
                match load_input_files_with(&paths, progress, true, Guard::Replay) {
                    Ok(i) => inputs = Some(i),
                    Err(BundleError::Inputs(p)) => {
                        for problem in p.problems {
                            findings.push(input_finding(&problem));
                        }
                    }
                    Err(e) => return Err(e),
                }
            } else {
                plan = read_plan_quietly(&paths.plan, findings);
            }
        }
        Err(p) => {
            for problem in &p.problems {
                if let InputProblem::Missing { path, .. } = problem {
                    withheld.push(
                        path.file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                    );
                } else {
                    findings.push(input_finding(problem));
                }
            }
            let plan_path = d.path(PLAN_FILE);
            if plan_path.is_file() {
                plan = read_plan_quietly(&plan_path, findings);
            }
        }
    }
    Ok(LoadedInputs {
        plan,
        inputs,
        streamed,
        withheld,
    })
}

/// The verification of one draw's files, wherever they are kept: [`verify_dir_with`] and
/// [`verify_files`] are this, with the inputs and the log read as each can.
fn verify_source(
    src: &(dyn FileSource + Sync),
    public_key: Option<&PublicKey>,
    tsa_certificates: &[Vec<u8>],
    load: &mut LoadInputs<'_>,
    check_log: &mut CheckLog<'_>,
) -> Result<DirVerification, BundleError> {
    let mut findings = vec![];
    let docs = Documents::read(src, public_key, &mut findings)?;
    let ann = Announcement::parse(&docs.announcement).ok();
    let amendment_bytes: Vec<&[u8]> = docs
        .amendments
        .iter()
        .map(|(_, b, _)| b.as_slice())
        .collect();
    // The views are checked from the documents alone, the draw against the office log and
    // the signed documents as far as they can be without the inputs, while the inputs are read.
    let without_inputs = || {
        let views = crate::publish::check::check_views_in(
            src,
            &docs.announcement,
            docs.sheet.as_deref(),
            &amendment_bytes,
        );
        (views, check_log(), docs.check_signed())
    };
    let given = Given {
        src,
        docs: &docs,
        ann: ann.as_ref(),
        tsa_certificates,
    };
    let before = findings.len();
    let ((views, log, signed), loaded) =
        crate::shares::both(without_inputs, || given.load(load, &mut findings));
    let replayed = given.replay(load, loaded?, findings, before, signed)?;
    let (report, depth, withheld, trust) = given.check_after(replayed, log)?;
    Ok(DirVerification {
        report,
        depth,
        withheld,
        key_from_folder: docs.key_from_folder,
        draw_id: ann.map(|a| a.draw_id).unwrap_or_default(),
        amendments: docs.amendments.len(),
        trust,
        views,
    })
}

/// A draw's signed documents as read from its files, each with its signature's text.
struct Documents {
    /// The key the signatures are checked with.
    key: PublicKey,
    /// Whether that key is the folder's own `organizer.pub` rather than one given.
    key_from_folder: bool,
    announcement: Vec<u8>,
    announcement_sig: Option<String>,
    sheet: Option<Vec<u8>>,
    sheet_sig: Option<String>,
    amendments: Vec<ReadAmendment>,
}

impl Documents {
    /// Reads the documents of `src`; a missing signature or amendment is a finding.
    fn read(
        src: &dyn FileSource,
        public_key: Option<&PublicKey>,
        findings: &mut Vec<Finding>,
    ) -> Result<Documents, BundleError> {
        let announcement = read_document_bytes(src, ANNOUNCEMENT_FILE, Needed::Announcement)?;
        let announcement_sig = read_signature_text(src, ANNOUNCEMENT_FILE)?;
        let (key, key_from_folder) = match public_key {
            Some(k) => (*k, false),
            None => (
                public_key_from_read(
                    &src.path_of(PUBLIC_KEY_FILE),
                    src.read_file(PUBLIC_KEY_FILE, MAX_SMALL_FILE_BYTES),
                )?,
                true,
            ),
        };
        missing_sig(ANNOUNCEMENT_FILE, &announcement_sig, findings);
        let sheet = if src.has_file(SHEET_FILE) {
            Some(read_document_bytes(src, SHEET_FILE, Needed::Sheet)?)
        } else {
            None
        };
        let sheet_sig = read_signature_text(src, SHEET_FILE)?;
        let amendments = read_amendments(src, findings)?;
        Ok(Documents {
            key,
            key_from_folder,
            announcement,
            announcement_sig,
            sheet,
            sheet_sig,
            amendments,
        })
    }

    /// The documents as signed documents to check, when there is a sheet.
    fn published(&self) -> Option<Published<'_>> {
        fn signed<'a>(
            name: &'a str,
            bytes: &'a [u8],
            sig: &'a Option<String>,
        ) -> SignedDocument<'a> {
            SignedDocument {
                name,
                bytes,
                signature: sig.as_deref().unwrap_or(""),
            }
        }
        Some(Published {
            public_key: &self.key,
            announcement: signed(
                ANNOUNCEMENT_FILE,
                &self.announcement,
                &self.announcement_sig,
            ),
            sheet: signed(SHEET_FILE, self.sheet.as_deref()?, &self.sheet_sig),
            amendments: self
                .amendments
                .iter()
                .map(|(name, bytes, sig)| signed(name, bytes, sig))
                .collect(),
        })
    }

    /// What can be checked of the announcement and the sheet without the inputs, when there
    /// is a sheet.
    fn check_signed(&self) -> Option<verify::SignedChecked> {
        self.published().map(|p| verify::check_signed(&p))
    }

    /// The documents checked against `loaded`, after `signed` (their [`Documents::check_signed`],
    /// done here when `None`): in full when there is a sheet, the announcement alone otherwise.
    fn replay(
        &self,
        loaded: &LoadedInputs,
        findings: &mut Vec<Finding>,
        signed: Option<verify::SignedChecked>,
    ) -> (Report, Depth) {
        let Some(published) = self.published() else {
            return (
                verify_announcement_only(
                    &self.key,
                    &self.announcement,
                    self.announcement_sig.as_deref(),
                    loaded.inputs.as_ref(),
                ),
                Depth::Announcement,
            );
        };
        missing_sig(SHEET_FILE, &self.sheet_sig, findings);
        for (name, _, sig) in &self.amendments {
            missing_sig(name, sig, findings);
        }
        let signed = signed.unwrap_or_else(|| verify::check_signed(&published));
        verify_published(&published, signed, loaded)
    }
}

/// What the replay and the checks around it are given.
struct Given<'a> {
    src: &'a dyn FileSource,
    docs: &'a Documents,
    ann: Option<&'a Announcement>,
    tsa_certificates: &'a [Vec<u8>],
}

/// What [`Given::check_after`] finds: the report, how deep it went, the inputs withheld
/// and what the draw's trust rests on.
type Checked = (Report, Depth, Vec<String>, Option<verify::TrustSummary>);

/// What [`Given::replay`] gives: the report, how deep it went, the findings met reading the
/// documents and the inputs it was given.
struct Replayed {
    report: Report,
    depth: Depth,
    findings: Vec<Finding>,
    loaded: LoadedInputs,
}

impl Given<'_> {
    /// The inputs `load` gives for the replay: streamed when there is a sheet, keeping of the
    /// population what its amendments' replay needs.
    fn load(
        &self,
        load: &mut LoadInputs<'_>,
        findings: &mut Vec<Finding>,
    ) -> Result<LoadedInputs, BundleError> {
        let docs = self.docs;
        // The sheet may be replayed by streaming the rosters: its seed, and when it has
        // amendments what their replay needs of the population: the strata of the entities
        // they replace, the rows of those whose teams they change (one that does not parse is
        // not replayed).
        let parsed: Vec<Amendment> = docs
            .amendments
            .iter()
            .filter_map(|(_, b, _)| Amendment::parse(b).ok())
            .collect();
        let (strata_of, rows_of) =
            super::step_adapter::amended_ids(parsed.iter().map(|a| &a.action));
        let keep = pipeline::Keep::Named {
            strata_of: &strata_of,
            rows_of: &rows_of,
        };
        let seed = docs
            .sheet
            .as_deref()
            .and_then(seed_of)
            .map(|seed| (seed, (!docs.amendments.is_empty()).then_some(keep)));
        load(self.ann, seed, findings)
    }

    /// Replays the documents on `loaded` (what [`Given::load`] gave, after `before` of the
    /// `findings`), after `signed` (their [`Documents::check_signed`]); `findings` (those met
    /// reading the documents and the inputs) come first in the report.
    fn replay(
        &self,
        load: &mut LoadInputs<'_>,
        mut loaded: LoadedInputs,
        mut findings: Vec<Finding>,
        before: usize,
        signed: Option<verify::SignedChecked>,
    ) -> Result<Replayed, BundleError> {
        let docs = self.docs;
        let (mut report, mut depth) = docs.replay(&loaded, &mut findings, signed);
        // An amendment that asked the stream for a row it could not give is replayed again on
        // every row read whole.
        let missed = loaded
            .streamed
            .as_ref()
            .and_then(|s| s.rows.as_ref())
            .is_some_and(pipeline::Population::missed);
        if missed {
            findings.truncate(before);
            loaded = load(self.ann, None, &mut findings)?;
            (report, depth) = docs.replay(&loaded, &mut findings, None);
        }
        Ok(Replayed {
            report,
            depth,
            findings,
            loaded,
        })
    }

    /// The replay's findings with those of the office `log`, a void and the timestamp.
    fn check_after(&self, replayed: Replayed, log: LogChecked) -> Result<Checked, BundleError> {
        let docs = self.docs;
        let Replayed {
            mut report,
            depth,
            mut findings,
            mut loaded,
        } = replayed;
        let withheld = std::mem::take(&mut loaded.withheld);
        // The replayed draw and the population are freed beside the checks of the void and the
        // trust: a national draw's rows take a fifth of a second to free.
        let ((), checked) = crate::shares::both(
            move || drop(loaded),
            || {
                let mut log_trust = None;
                if let Some((mut f, t)) = log? {
                    report.checked.push(verify::Check::OfficeLog);
                    findings.append(&mut f);
                    log_trust = Some(t);
                }
                check_void(
                    self.src,
                    &docs.key,
                    &docs.announcement,
                    docs.sheet.is_some(),
                    &mut findings,
                )?;
                let trust = self.ann.map(|a| self.trust(a, log_trust, &mut findings));
                findings.append(&mut report.findings);
                report.findings = findings;
                Ok((report, depth, withheld, trust))
            },
        );
        checked
    }

    /// What the draw's trust rests on; a timestamp token that fails is a finding.
    fn trust(
        &self,
        ann: &Announcement,
        log_trust: Option<verify::LogTrust>,
        findings: &mut Vec<Finding>,
    ) -> verify::TrustSummary {
        let proof = time_proof(
            self.src,
            ann,
            &self.docs.announcement,
            self.tsa_certificates,
        );
        if let verify::TimeProof::Failed { problem } = &proof {
            findings.push(Finding::Timestamp {
                document: TIMESTAMP_FILE.into(),
                problem: problem.clone(),
            });
        }
        let parsed: Vec<Amendment> = self
            .docs
            .amendments
            .iter()
            .filter_map(|(_, b, _)| Amendment::parse(b).ok())
            .collect();
        verify::TrustSummary::of(ann, &parsed, proof, log_trust)
    }
}

/// The seed a sheet names, read without the rest of it (the replay parses the sheet in full,
/// and reports it if it is not one).
fn seed_of(sheet: &[u8]) -> Option<Digest32> {
    #[derive(serde::Deserialize)]
    struct Seed {
        seed: Digest32,
    }
    serde_json::from_slice::<Seed>(sheet).ok().map(|s| s.seed)
}

/// A missing signature file, as a finding.
fn missing_sig(name: &str, sig: &Option<String>, findings: &mut Vec<Finding>) {
    if sig.is_none() {
        findings.push(Finding::SignatureMissing {
            document: signature_file(name),
        });
    }
}

/// An amendment as read: its file name, bytes and signature text (if any).
type ReadAmendment = (String, Vec<u8>, Option<String>);

/// The amendments 1, 2, … up to the first missing one, with their signatures; an amendment
/// after a gap is a finding.
fn read_amendments(
    src: &dyn FileSource,
    findings: &mut Vec<Finding>,
) -> Result<Vec<ReadAmendment>, BundleError> {
    let mut amendments = vec![];
    for seq in 1u32.. {
        let name = amendment_file(seq);
        if !src.has_file(&name) {
            break;
        }
        let bytes = read_document_bytes(src, &name, Needed::Amendment)?;
        let sig = read_signature_text(src, &name)?;
        amendments.push((name, bytes, sig));
    }
    for stray in stray_amendments(src, amendments.len()) {
        findings.push(Finding::AmendmentGap { document: stray });
    }
    Ok(amendments)
}

/// Verifies the published documents as deep as the inputs `loaded` allow: a replay from the
/// rows or from the streamed draw, the plan's quotas, or the signatures and citations alone.
fn verify_published(
    published: &Published<'_>,
    signed: verify::SignedChecked,
    loaded: &LoadedInputs,
) -> (Report, Depth) {
    let depth = if loaded.inputs.is_some() || loaded.streamed.is_some() {
        Depth::Full
    } else if loaded.plan.is_some() {
        Depth::Plan
    } else {
        Depth::Public
    };
    let di = loaded.inputs.as_ref().map(Inputs::as_draw_inputs);
    let replay = match (&di, &loaded.streamed) {
        (Some(rows), _) => Some(verify::ReplayInputs::Rows(rows)),
        (None, Some(s)) => Some(verify::ReplayInputs::Drawn(verify::Replayed {
            plan: &s.plan,
            digests: &s.outcome.digests,
            result: &s.outcome.result,
            entities: &s.outcome.drawn,
            inspectors: &s.outcome.inspectors,
            rows: s
                .rows
                .as_ref()
                .map(|r| r as &dyn crate::ceremony::source::AmendSource),
        })),
        (None, None) => None,
    };
    (
        verify::verify_checked(published, signed, loaded.plan.as_ref(), replay),
        depth,
    )
}

/// Checks a void notice, if the folder holds one: readable, no sheet beside it, citing this
/// announcement, signed by `key`.
fn check_void(
    src: &dyn FileSource,
    key: &PublicKey,
    ann_bytes: &[u8],
    has_sheet: bool,
    findings: &mut Vec<Finding>,
) -> Result<(), BundleError> {
    if !src.has_file(VOID_FILE) {
        return Ok(());
    }
    let vb = read_document_bytes(src, VOID_FILE, Needed::Void)?;
    match Void::parse(&vb) {
        Err(e) => findings.push(Finding::Unreadable {
            document: VOID_FILE.into(),
            error: std::sync::Arc::new(e),
        }),
        Ok(v) => {
            if has_sheet {
                findings.push(Finding::VoidWithSheet {
                    document: VOID_FILE.into(),
                });
            }
            if v.announcement != Digest32::of(ann_bytes) {
                findings.push(Finding::Cites {
                    document: VOID_FILE.into(),
                    field: "announcement",
                    expected: Digest32::of(ann_bytes).to_hex(),
                    found: v.announcement.to_hex(),
                });
            }
            match read_signature_text(src, VOID_FILE)? {
                None => findings.push(Finding::SignatureMissing {
                    document: signature_file(VOID_FILE),
                }),
                Some(t) => {
                    if let Err(error) =
                        Signature::parse(&t).and_then(|s| sign::verify(key, &vb, &s))
                    {
                        findings.push(Finding::Signature {
                            document: VOID_FILE.into(),
                            error,
                        });
                    }
                }
            }
        }
    }
    Ok(())
}

/// What [`verify_dir_with`] is given besides the folder.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions<'a> {
    /// The organizer's public key as obtained independently. Without it, `organizer.pub` in
    /// the folder is used, which proves only that the files agree with each other: never PASS.
    pub public_key: Option<&'a PublicKey>,
    /// The office log (SPEC §12.4); its folder holds the other draws' folders.
    pub log: Option<&'a Path>,
    /// Report draws still pending in the log.
    pub strict: bool,
    /// Trusted TSA certificates (DER) for the timestamp token (SPEC §8.6).
    pub tsa_certificates: &'a [Vec<u8>],
}

/// Checks a draw folder against the office log (SPEC §12.2, §12.4): the log is sound; every
/// document of the draw is recorded at the position it carries; every entry's document is
/// published; `supersedes` cites the task's last void; no commitment or secret was used in
/// another draw. Returns the findings and what the log says about the draw's task.
///
/// This is what makes a quiet re-run visible: a second live draw of one task cannot be
/// recorded, a document that is not the recorded one does not match, and a recorded document
/// that was not published is named.
pub fn check_recorded(
    dir: &Path,
    log_path: &Path,
    strict: bool,
) -> Result<(Vec<Finding>, verify::LogTrust), BundleError> {
    let log_name = log_path.file_name().map_or_else(
        || LOG_FILE.to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let bytes = files::LogFile::open(log_path)?.read()?;
    check_recorded_in(
        &dir,
        &log_name,
        &bytes,
        &OnDisk::new(log_path, None),
        strict,
    )
}

/// [`check_recorded`] on one draw's files in `this`, the log's bytes (`log_name` names it in
/// findings), and the office's other draws' documents in `office`.
fn check_recorded_in(
    this: &dyn FileSource,
    log_name: &str,
    bytes: &[u8],
    office: &dyn steps::Records,
    strict: bool,
) -> Result<(Vec<Finding>, verify::LogTrust), BundleError> {
    let report = log::check(bytes, strict);
    let mut findings: Vec<Finding> = report
        .findings
        .iter()
        .map(|f| Finding::Log {
            document: log_name.to_string(),
            finding: f.clone(),
        })
        .collect();
    let mut trust = verify::LogTrust {
        siblings: vec![],
        supersedes: false,
    };
    let ann_bytes = read_document_bytes(this, ANNOUNCEMENT_FILE, Needed::Announcement)?;
    let Ok(ann) = Announcement::parse(&ann_bytes) else {
        return Ok((findings, trust));
    };
    trust.supersedes = ann.supersedes.is_some();
    let (docs, sheet) = draw_documents(this, &ann, ann_bytes)?;
    let recorded = Recorded {
        this,
        office,
        report: &report,
        log_name,
        draw_id: &ann.draw_id,
    };
    recorded.check_positions(&docs, &mut findings);
    recorded.check_published(&mut findings);
    trust.siblings = recorded.task_siblings(&ann, &mut findings);
    recorded.check_commitments_once(&ann, &mut findings);
    recorded.check_secrets_once(sheet.as_ref(), &mut findings);
    Ok((findings, trust))
}

/// One document of the draw being checked against the log: its file, kind, bytes and the
/// log position it carries (`None` when it does not parse).
struct DrawDocument {
    name: String,
    kind: EntryKind,
    bytes: Vec<u8>,
    pos: Option<log::Position>,
}

/// The draw's documents in `this`, in log order: the announcement (`ann`, read as
/// `ann_bytes`), the sheet, the amendments and the void, each that is there; and the sheet
/// parsed, when it parses.
fn draw_documents(
    this: &dyn FileSource,
    ann: &Announcement,
    ann_bytes: Vec<u8>,
) -> Result<(Vec<DrawDocument>, Option<Sheet>), BundleError> {
    let mut docs = vec![DrawDocument {
        name: ANNOUNCEMENT_FILE.into(),
        kind: EntryKind::Announcement,
        bytes: ann_bytes,
        pos: Some(ann.log),
    }];
    let mut sheet = None;
    if this.has_file(SHEET_FILE) {
        let bytes = read_document_bytes(this, SHEET_FILE, Needed::Sheet)?;
        sheet = Sheet::parse(&bytes).ok();
        let pos = sheet.as_ref().map(|s| s.log);
        docs.push(DrawDocument {
            name: SHEET_FILE.into(),
            kind: EntryKind::Sheet,
            bytes,
            pos,
        });
    }
    for seq in 1u32.. {
        let name = amendment_file(seq);
        if !this.has_file(&name) {
            break;
        }
        let bytes = read_document_bytes(this, &name, Needed::Amendment)?;
        let pos = Amendment::parse(&bytes).ok().map(|a| a.log);
        docs.push(DrawDocument {
            name,
            kind: EntryKind::Amendment,
            bytes,
            pos,
        });
    }
    if this.has_file(VOID_FILE) {
        let bytes = read_document_bytes(this, VOID_FILE, Needed::Void)?;
        let pos = Void::parse(&bytes).ok().map(|v| v.log);
        docs.push(DrawDocument {
            name: VOID_FILE.into(),
            kind: EntryKind::Void,
            bytes,
            pos,
        });
    }
    Ok((docs, sheet))
}

/// What the checks of [`check_recorded_in`] share: the draw's files, the office's other
/// draws, the log's report and name, and the draw's id.
struct Recorded<'a> {
    this: &'a dyn FileSource,
    office: &'a dyn steps::Records,
    report: &'a LogReport,
    log_name: &'a str,
    draw_id: &'a str,
}

impl Recorded<'_> {
    /// Each document of this draw is recorded at the position it carries.
    fn check_positions(&self, docs: &[DrawDocument], findings: &mut Vec<Finding>) {
        for doc in docs {
            let Some(pos) = doc.pos else { continue };
            let claims =
                log::document_claims(doc.kind, self.draw_id, Digest32::of(&doc.bytes), pos);
            if let Err(divergence) = log::extends(self.report, &claims) {
                findings.push(Finding::NotInLog {
                    document: doc.name.clone(),
                    line: pos.seq,
                    log: self.log_name.to_string(),
                    divergence,
                });
            }
        }
    }

    /// Every entry's document is published (the draw folders sit beside the log).
    fn check_published(&self, findings: &mut Vec<Finding>) {
        for rec in self.report.draws() {
            let mut amendment = 0u32;
            for e in &rec.entries {
                let file = match e.kind {
                    EntryKind::Announcement => ANNOUNCEMENT_FILE.to_string(),
                    EntryKind::Sheet => SHEET_FILE.to_string(),
                    EntryKind::Void => VOID_FILE.to_string(),
                    EntryKind::Amendment => {
                        amendment += 1;
                        amendment_file(amendment)
                    }
                };
                let found = if rec.draw_id == self.draw_id {
                    self.this.read_file(&file, MAX_DOCUMENT_BYTES).ok()
                } else {
                    self.office.document(&rec.draw_id, &file)
                }
                .map(|b| Digest32::of(&b));
                if found != Some(e.document) {
                    findings.push(Finding::Unpublished {
                        document: format!("{}/{file}", rec.draw_id),
                        line: e.seq,
                    });
                }
            }
        }
    }

    /// The task's other draws, with the reason of each void; finds `supersedes` not citing
    /// the task's last void before this announcement.
    fn task_siblings(
        &self,
        ann: &Announcement,
        findings: &mut Vec<Finding>,
    ) -> Vec<verify::Sibling> {
        let task = log::Task::of(&ann.plan);
        let mut siblings = vec![];
        let mut last_void: Option<Digest32> = None;
        for rec in self
            .report
            .draws()
            .into_iter()
            .filter(|r| r.task == task && r.draw_id != self.draw_id)
        {
            let void_reason = if rec.state == DrawState::Void {
                self.office
                    .document(&rec.draw_id, VOID_FILE)
                    .and_then(|b| Void::parse(&b).ok())
                    .map(|v| v.reason.code)
            } else {
                None
            };
            if let Some(v) = rec.entry(EntryKind::Void)
                && v.seq < ann.log.seq
            {
                last_void = Some(v.document);
            }
            siblings.push(verify::Sibling {
                draw_id: rec.draw_id.clone(),
                state: rec.state,
                void_reason,
            });
        }
        if ann.supersedes != last_void {
            findings.push(Finding::Cites {
                document: ANNOUNCEMENT_FILE.into(),
                field: "supersedes",
                expected: last_void.map_or("null".into(), |d| d.to_hex()),
                found: ann.supersedes.map_or("null".into(), |d| d.to_hex()),
            });
        }
        siblings
    }

    /// No party's commitment in `ann` was used in another draw's announcement.
    fn check_commitments_once(&self, ann: &Announcement, findings: &mut Vec<Finding>) {
        let anns = steps::earlier_documents(
            self.report,
            self.office,
            EntryKind::Announcement,
            ANNOUNCEMENT_FILE,
            Announcement::parse,
        );
        for (other, a) in anns.into_iter().filter(|(id, _)| *id != self.draw_id) {
            for p in &ann.parties {
                if a.parties.iter().any(|q| q.commitment == p.commitment) {
                    findings.push(Finding::Reused {
                        document: ANNOUNCEMENT_FILE.into(),
                        party: p.name.clone(),
                        what: verify::Reuse::Commitment,
                        other: other.clone(),
                    });
                }
            }
        }
    }

    /// No secret revealed on this draw's sheet, if it has a readable one, was revealed on
    /// another draw's sheet.
    fn check_secrets_once(&self, sheet: Option<&Sheet>, findings: &mut Vec<Finding>) {
        let Some(sheet) = sheet else {
            return;
        };
        let sheets = steps::earlier_documents(
            self.report,
            self.office,
            EntryKind::Sheet,
            SHEET_FILE,
            Sheet::parse,
        );
        for (other, s) in sheets.into_iter().filter(|(id, _)| *id != self.draw_id) {
            for r in &sheet.reveals {
                if s.reveals.iter().any(|x| x.secret == r.secret) {
                    findings.push(Finding::Reused {
                        document: SHEET_FILE.into(),
                        party: r.name.clone(),
                        what: verify::Reuse::Secret,
                        other: other.clone(),
                    });
                }
            }
        }
    }
}

pub(super) fn read_plan_quietly(path: &Path, findings: &mut Vec<Finding>) -> Option<Plan> {
    let mut problems = InputProblems::default();
    let plan = read_plan_file(path, &mut problems);
    for p in &problems.problems {
        findings.push(input_finding(p));
    }
    plan
}

pub(super) fn input_finding(problem: &InputProblem) -> Finding {
    let document = match problem {
        InputProblem::Missing { path, .. }
        | InputProblem::UnsupportedType { path, .. }
        | InputProblem::Unreadable { path, .. } => path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        InputProblem::Ambiguous { csv, .. } => csv
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        InputProblem::Roster(e) => e.file.clone(),
        InputProblem::Plan(e) => e.file.clone(),
        InputProblem::Omitted { file, .. }
        | InputProblem::Draw { file, .. }
        | InputProblem::NeededColumn { file, .. } => file.clone(),
    };
    Finding::Input {
        document,
        problem: Box::new(problem.clone()),
    }
}

/// Checks an announcement alone (before the draw): its signature and signed comment, its key id,
/// its own consistency, and the inputs' digests when given.
pub(super) fn verify_announcement_only(
    key: &PublicKey,
    bytes: &[u8],
    signature: Option<&str>,
    inputs: Option<&Inputs>,
) -> Report {
    let mut r = Report::default();
    let ann = match Announcement::parse(bytes) {
        Ok(a) => a,
        Err(e) => {
            r.findings.push(Finding::Unreadable {
                document: ANNOUNCEMENT_FILE.into(),
                error: std::sync::Arc::new(e),
            });
            return r;
        }
    };
    r.checked.push(verify::Check::Signature {
        document: ANNOUNCEMENT_FILE.into(),
    });
    let sig_result = Signature::parse(signature.unwrap_or(""))
        .and_then(|s| sign::verify(key, bytes, &s))
        .and_then(|v| v.fields());
    match sig_result {
        Err(error) => r.findings.push(Finding::Signature {
            document: ANNOUNCEMENT_FILE.into(),
            error,
        }),
        Ok(fields) => {
            let digest = Digest32::of(bytes).to_hex();
            for (field, want) in [("draw", ann.draw_id.as_str()), ("sha256", digest.as_str())] {
                let found = fields.get(field).unwrap_or("");
                if found != want {
                    r.findings.push(Finding::SignedComment {
                        document: ANNOUNCEMENT_FILE.into(),
                        field,
                        expected: want.to_string(),
                        found: found.to_string(),
                    });
                }
            }
        }
    }
    if ann.key_id != key.key_id().to_string() {
        r.findings.push(Finding::Cites {
            document: ANNOUNCEMENT_FILE.into(),
            field: "key_id",
            expected: key.key_id().to_string(),
            found: ann.key_id.clone(),
        });
    }
    if let Err(e) = ann.check() {
        r.findings.push(Finding::Unreadable {
            document: ANNOUNCEMENT_FILE.into(),
            error: std::sync::Arc::new(e),
        });
    }
    if let Some(inputs) = inputs {
        r.checked.push(verify::Check::InputDigests);
        for (name, announced, found) in ann.inputs.differences(&inputs.digests) {
            r.findings.push(Finding::InputChanged {
                input: name.to_string(),
                announced,
                found,
            });
        }
    }
    r
}
