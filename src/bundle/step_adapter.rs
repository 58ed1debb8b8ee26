//! The ceremony steps on disk: announce, draw, amend and void in folders.

use super::*;

/// What an announcement needs.
#[derive(Debug)]
pub struct AnnounceRequest<'a> {
    /// The draw's id, unique in the office log.
    pub draw_id: &'a str,
    /// The inputs, as loaded ([`Inputs`]) or summarised ([`InputSummary`]).
    pub inputs: &'a dyn AnnouncedInputs,
    /// The organizer's signing key.
    pub key: &'a SecretKey,
    /// The organizer's party name.
    pub organizer: &'a str,
    /// The organizer's fresh seed secret.
    pub organizer_secret: &'a Secret,
    /// Witnesses and their commitments, in the order given.
    pub witnesses: &'a [(String, Digest32)],
    /// The beacon named in advance, if any.
    pub beacon: Option<BeaconSpec>,
    /// When the announcement is made.
    pub announced_at: Timestamp,
    /// When the draw is scheduled.
    pub scheduled_at: Timestamp,
    /// A drill without witness or beacon: the office alone chooses the seed (SPEC §9).
    pub drill: bool,
}

/// Announces a draw (SPEC §9, §12.2): refuses unless a witness or a beacon brings randomness
/// the office cannot know (or `drill` says this is a drill), unless the task is free (no draw
/// of it pending or drawn), and when a witness's commitment was seen before; cites the task's
/// last void; writes the organizer's secret into the private folder, copies the inputs and the
/// public key into the draw folder, writes `announcement.json` and its signature at its log
/// position, appends it to the log and writes the new checkpoint.
///
/// Refuses when the draw folder already holds an announcement, when the log already knows the
/// draw id, or when the private folder lies inside the draw folder.
///
/// A whole ceremony on disk:
///
/// ```
/// use double_random::bundle::*;
/// use double_random::ceremony::commit::{commitment, Secret};
/// use double_random::sign::SecretKey;
///
/// let office = tempfile::tempdir()?;
/// let rosters = office.path().join("rosters");
/// example_input_files(&rosters)?;
/// let private = PrivateDir::new(office.path().join("private"));
/// let log = office.path().join(LOG_FILE);
/// let key = SecretKey::generate()?;
/// let folder = DrawDir::new(office.path().join("D1"));
/// let witness = Secret::generate()?;
///
/// let inputs = load_inputs(&rosters, None)?;
/// let t = |s: &str| s.parse().unwrap();
/// let ann = announce(&folder, &private, &log, &AnnounceRequest {
///     draw_id: "D1", inputs: &inputs, key: &key, organizer: "organizer",
///     organizer_secret: &Secret::generate()?,
///     witnesses: &[("witness".into(), commitment("D1", "witness", &witness))], beacon: None,
///     announced_at: t("2026-03-01T01:00:00Z"), scheduled_at: t("2026-03-01T02:00:00Z"),
///     drill: false,
/// })?;
/// assert_eq!(draw_state(&log, "D1")?, DrawState::Pending);
///
/// let drawn = draw(&folder, &private, &log, &DrawRequest {
///     key: &key, reveals: &[("witness".into(), witness)], beacon: None,
///     drawn_at: t("2026-03-01T02:00:00Z"),
/// }, &mut NoProgress)?;
/// assert_eq!(drawn.sheet.entities.len(), 3);
/// assert_eq!(drawn.sheet.announcement, ann.digest()?);
///
/// // The auditor's call.
/// let report = verify_dir(folder.root(), Some(&key.public_key()))?;
/// assert!(report.passed(), "{:?}", report.findings);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn announce(
    draw_dir: &DrawDir,
    private: &PrivateDir,
    log_path: &Path,
    req: &AnnounceRequest<'_>,
) -> Result<Announcement, BundleError> {
    let step = steps::AnnounceStep {
        draw_id: req.draw_id,
        plan: req.inputs.plan(),
        inputs: *req.inputs.digests(),
        key: req.key,
        organizer: req.organizer,
        organizer_secret: req.organizer_secret,
        witnesses: req.witnesses,
        beacon: req.beacon.as_ref(),
        announced_at: req.announced_at,
        scheduled_at: req.scheduled_at,
        drill: req.drill,
    };
    step.check()
        .map_err(|e| step_error(e, draw_dir.root(), log_path))?;
    check_private_outside(private.root(), draw_dir.root())?;
    for n in [ANNOUNCEMENT_FILE, SHEET_FILE, VOID_FILE] {
        if draw_dir.has(n) {
            return Err(BundleError::Exists {
                path: draw_dir.path(n),
            });
        }
    }
    let secret_path = private.secret_path(req.draw_id, req.organizer)?;
    if secret_path.exists() {
        return Err(BundleError::Exists { path: secret_path });
    }
    let records = OnDisk::new(log_path, None);
    let mut made = None;
    append_step(log_path, req.key, req.announced_at, |report| {
        let m = steps::announce(report, &records, &step)
            .map_err(|e| step_error(e, draw_dir.root(), log_path))?;
        create_dir(draw_dir.root())?;
        private.write_secret(req.draw_id, req.organizer, req.organizer_secret)?;
        for (from, name) in req.inputs.paths().standard_names() {
            let staged = req.inputs.staged_copy(from, &draw_dir.path(&name));
            draw_dir.copy_in(from, &name, staged)?;
        }
        let pub_path = draw_dir.path(PUBLIC_KEY_FILE);
        if pub_path.exists() {
            let same = read_public_key_file(&pub_path).is_ok_and(|k| k == req.key.public_key());
            if !same {
                return Err(BundleError::Exists { path: pub_path });
            }
        } else {
            files::write_new(&pub_path, req.key.public_key().to_minisign().as_bytes())?;
        }
        draw_dir.write_signed(&m.document)?;
        let record = m.record();
        made = Some(m.value);
        Ok(record)
    })?;
    made.ok_or(BundleError::Missing {
        path: draw_dir.path(ANNOUNCEMENT_FILE),
        what: Needed::Announcement,
    })
}

/// What a draw needs besides the draw folder.
#[derive(Debug)]
pub struct DrawRequest<'a> {
    /// The organizer's signing key (the announcement must carry its key id).
    pub key: &'a SecretKey,
    /// Secrets revealed by parties (witnesses; an organizer's secret may be given here too,
    /// otherwise it is read from the private folder).
    pub reveals: &'a [(String, Secret)],
    /// The beacon value, when the announcement names a beacon.
    pub beacon: Option<BeaconValue>,
    /// When the draw is made (no earlier than the scheduled time).
    pub drawn_at: Timestamp,
}

/// A draw made: the announcement, the sheet and what the outputs need of its inputs.
#[derive(Debug)]
pub struct Drawn {
    /// The announcement.
    pub announcement: Announcement,
    /// The sheet written.
    pub sheet: Sheet,
    /// The plan, the small tables and the rows of the entities the sheet names.
    pub inputs: DrawnInputs,
}

/// Makes the draw of an announced ceremony: checks the reveals against the commitments and
/// against every secret revealed before in the log, runs the draw on the inputs in the draw
/// folder, writes `sheet.json` and its signature at its log position, and appends it.
///
/// Plain CSV inputs are streamed (memory grows with the rows drawn, not with the roster);
/// a workbook is read whole. Either way a problem of the files is reported with its place.
///
/// Refuses when the sheet exists, when the log shows the draw as drawn or void, or before the
/// scheduled time. (See [`announce`] for a whole ceremony.)
pub fn draw(
    draw_dir: &DrawDir,
    private: &PrivateDir,
    log_path: &Path,
    req: &DrawRequest<'_>,
    progress: &mut dyn Progress,
) -> Result<Drawn, BundleError> {
    let ann_doc = draw_dir.read_announcement()?;
    let records = OnDisk::new(log_path, Some((&ann_doc.value.draw_id, draw_dir)));
    let fail = |e| step_error(e, draw_dir.root(), log_path);
    let given = steps::DrawStep {
        announcement: stored(&ann_doc),
        key: req.key,
        reveals: req.reveals,
        beacon: req.beacon.as_ref(),
        drawn_at: req.drawn_at,
    };
    // The log is checked again under its lock; this first look refuses early, before any
    // secret is read.
    let before = read_log(log_path).map_err(|e| log_error(log_path, e))?;
    let ann = steps::may_draw(&before, &records, &given).map_err(fail)?;
    let mut reveals = req.reveals.to_vec();
    for p in &ann.parties {
        if p.role == Role::Organizer && !reveals.iter().any(|(n, _)| n == &p.name) {
            reveals.push((p.name.clone(), private.read_secret(&ann.draw_id, &p.name)?));
        }
    }
    let source = FolderSource::open(draw_dir, progress)?;
    let step = steps::DrawStep {
        reveals: &reveals,
        ..given
    };
    let mut made = None;
    append_step(log_path, req.key, req.drawn_at, |report| {
        let m = steps::draw(report, &records, &step, &source).map_err(fail)?;
        draw_dir.write_signed(&m.document)?;
        let record = m.record();
        made = Some(m.value);
        Ok(record)
    })?;
    let sheet = made.ok_or(BundleError::Missing {
        path: draw_dir.path(SHEET_FILE),
        what: Needed::Sheet,
    })?;
    let inputs = source.drawn().ok_or(BundleError::Missing {
        path: draw_dir.path(SHEET_FILE),
        what: Needed::Sheet,
    })?;
    Ok(Drawn {
        announcement: ann,
        sheet,
        inputs,
    })
}

/// Checks that a document read from `draw_dir` carries the organizer's own signature.
pub(super) fn check_own_signature<T>(
    draw_dir: &DrawDir,
    log_path: &Path,
    doc: &ReadDocument<T>,
    key: &SecretKey,
    draw_id: &str,
) -> Result<(), BundleError> {
    steps::check_signature(stored(doc), &doc.name, key, draw_id)
        .map_err(|e| step_error(e, draw_dir.root(), log_path))
}

/// Loads the inputs from a draw folder (by standard names) and checks them against the
/// announcement's digests.
pub(super) fn load_draw_inputs(
    draw_dir: &DrawDir,
    progress: &mut dyn Progress,
) -> Result<Inputs, BundleError> {
    let paths = draw_dir.input_paths().map_err(BundleError::Inputs)?;
    // The announcement fixed these inputs; the needed-column guard was announce's to apply.
    load_input_files_with(&paths, progress, true, Guard::Replay)
}

/// Records an amendment (补抽 / 回避) of a drawn sheet: computes it from the rankings fixed by
/// the seed (SPEC §11), writes `amendment-<n>.json` and its signature at its log position, and
/// appends it to the log.
///
/// The inputs are read from the draw folder and must be the announced ones. Plain CSV inputs
/// are streamed: only the population by stratum and the rows the amendment names are kept.
pub fn amend(
    draw_dir: &DrawDir,
    log_path: &Path,
    key: &SecretKey,
    action: Action,
    reason: Reason,
    amended_at: Timestamp,
    progress: &mut dyn Progress,
) -> Result<(Amendment, Drawn), BundleError> {
    let ann_doc = draw_dir.read_announcement()?;
    let ann = ann_doc.value.clone();
    check_own_signature(draw_dir, log_path, &ann_doc, key, &ann.draw_id)?;
    let Some(sheet_doc) = draw_dir.read_sheet()? else {
        return Err(BundleError::Missing {
            path: draw_dir.path(SHEET_FILE),
            what: Needed::SheetBeforeAmendment,
        });
    };
    check_own_signature(draw_dir, log_path, &sheet_doc, key, &ann.draw_id)?;
    let previous: Vec<Amendment> = draw_dir
        .read_amendments()?
        .into_iter()
        .map(|d| d.value)
        .collect();
    let step = steps::AmendStep {
        announcement: stored(&ann_doc),
        sheet: stored(&sheet_doc),
        previous: &previous,
        key,
        action: &action,
        reason: &reason,
        amended_at,
    };
    let sheet = sheet_doc.value.clone();
    // Plain CSV inputs are streamed: the population by stratum and the few rows the amendment
    // names. A row the stream cannot give (found by computing the amendment once beforehand)
    // or any problem reads every file whole, which reports problems with their places.
    let (strata_of, _) = amended_ids(previous.iter().map(|a| &a.action).chain([&action]));
    let rows_of: Vec<String> = sheet.entities.iter().map(|e| e.id.clone()).collect();
    let keep = crate::pipeline::Keep::Named {
        strata_of: &strata_of,
        rows_of: &rows_of,
    };
    let streamed = streamed_population(draw_dir, keep).filter(|rows| {
        let _ = crate::ceremony::amend::outcome_from(&sheet, &previous, &action, &reason, rows);
        !rows.missed()
    });
    let inputs = match streamed {
        Some(rows) => Err(rows),
        None => Ok(load_draw_inputs(draw_dir, progress)?),
    };
    let mut made = None;
    append_step(log_path, key, amended_at, |report| {
        let m = match &inputs {
            Ok(inputs) => steps::amend(report, &step, &inputs.as_draw_inputs(), &inputs.digests),
            Err(rows) => steps::amend_from(report, &step, rows, &rows.digests),
        }
        .map_err(|e| step_error(e, draw_dir.root(), log_path))?;
        draw_dir.write_signed(&m.document)?;
        let record = m.record();
        made = Some(m.value);
        Ok(record)
    })?;
    let a = made.ok_or(BundleError::Missing {
        path: draw_dir.root().to_path_buf(),
        what: Needed::Amendment,
    })?;
    let named: std::collections::HashSet<&str> = sheet
        .entities
        .iter()
        .map(|e| e.id.as_str())
        .chain(
            previous
                .iter()
                .chain([&a])
                .filter_map(|x| match &x.outcome {
                    crate::ceremony::amend::Outcome::ReplaceEntity { entity } => {
                        Some(entity.id.as_str())
                    }
                    crate::ceremony::amend::Outcome::ReplaceInspector { .. } => None,
                }),
        )
        .collect();
    let inputs = match inputs {
        Ok(inputs) => DrawnInputs::of(inputs, |id| named.contains(id)),
        Err(rows) => {
            let entities = match rows.rows_of(named.iter().copied()) {
                Ok(e) => e,
                // The amendment is recorded; its views name the rows read whole.
                Err(_) => load_draw_inputs(draw_dir, progress)?
                    .entities
                    .into_iter()
                    .filter(|e| named.contains(e.id.as_str()))
                    .collect(),
            };
            let tables = crate::ceremony::source::AmendSource::tables(&rows);
            DrawnInputs {
                plan: tables.plan.clone(),
                items: tables.items.to_vec(),
                inspectors: tables.inspectors.to_vec(),
                entities,
                digests: rows.digests,
            }
        }
    };
    Ok((
        a,
        Drawn {
            announcement: ann,
            sheet,
            inputs,
        },
    ))
}

/// The population of the inputs in `draw_dir` (what `keep` names of it), streamed, when they
/// are plain CSV files that hold no problem; `None` otherwise.
pub(super) fn streamed_population(
    draw_dir: &DrawDir,
    keep: crate::pipeline::Keep<'_>,
) -> Option<crate::pipeline::Population> {
    let paths = draw_dir.input_paths().ok()?;
    let files = roster_files(&paths)?;
    let plan = read_plan_file(&paths.plan, &mut InputProblems::default())?;
    crate::pipeline::population(&files, &plan, keep).ok()
}

/// The entity ids `actions` name: those they replace (whose strata the replay of amendments
/// needs whole), and those whose teams they change (whose rows alone it needs).
pub(super) fn amended_ids<'a>(
    actions: impl IntoIterator<Item = &'a Action>,
) -> (Vec<String>, Vec<String>) {
    let (mut replaced, mut recused) = (vec![], vec![]);
    for a in actions {
        match a {
            Action::ReplaceEntity { entity } => replaced.push(entity.clone()),
            Action::ReplaceInspector { entity, .. } => recused.push(entity.clone()),
        }
    }
    (replaced, recused)
}

/// Voids an announced draw that will not be drawn (SPEC §11.5): writes the signed `void.json`
/// at its log position and appends it. A void draw can never be drawn, and the next
/// announcement of its task cites the void.
///
/// Refuses a draw that already has a sheet: amendments are the way after a draw.
pub fn void(
    draw_dir: &DrawDir,
    log_path: &Path,
    key: &SecretKey,
    reason: VoidReason,
    time: Timestamp,
) -> Result<Void, BundleError> {
    let ann_doc = draw_dir.read_announcement()?;
    let records = OnDisk::new(log_path, Some((&ann_doc.value.draw_id, draw_dir)));
    let step = steps::VoidStep {
        announcement: stored(&ann_doc),
        key,
        reason: &reason,
        time,
    };
    let fail = |e| step_error(e, draw_dir.root(), log_path);
    // Refuses a drawn draw before the log is locked.
    check_own_signature(draw_dir, log_path, &ann_doc, key, &ann_doc.value.draw_id)?;
    if draw_dir.has(SHEET_FILE) {
        return Err(BundleError::AlreadyDrawn {
            path: draw_dir.path(SHEET_FILE),
        });
    }
    let mut made = None;
    append_step(log_path, key, time, |report| {
        let m = steps::void(report, &records, &step).map_err(fail)?;
        draw_dir.write_signed(&m.document)?;
        let record = m.record();
        made = Some(m.value);
        Ok(record)
    })?;
    made.ok_or(BundleError::Missing {
        path: draw_dir.path(VOID_FILE),
        what: Needed::Void,
    })
}
