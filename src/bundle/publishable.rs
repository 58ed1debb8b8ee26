//! The publishable copy of an office: what may leave it.

use super::*;

/// The office's publishable folder, inside the office folder: `<office>/public`.
pub const PUBLIC_DIR: &str = "public";

/// The files of a draw folder that may be published, besides the amendments (see
/// [`publish_office`]): the signed documents with their signatures, the timestamp token, the
/// plan, the items, the public key and the views. Never the rosters, never a secret.
pub const PUBLISHABLE_FILES: [&str; 13] = [
    ANNOUNCEMENT_FILE,
    "announcement.json.minisig",
    TIMESTAMP_FILE,
    SHEET_FILE,
    "sheet.json.minisig",
    VOID_FILE,
    "void.json.minisig",
    PLAN_FILE,
    "items.csv",
    PUBLIC_KEY_FILE,
    crate::publish::CSV_FILE,
    crate::publish::NOTICE_FILE,
    crate::publish::VERIFY_PAGE_FILE,
];

/// How a file of the publishable folder may change.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A record or a key: written once, never replaced.
    Record,
    /// The office log: it only grows, so the copy may be replaced by a longer log it begins.
    Log,
    /// A view, rebuilt from the documents after each amendment: replaced.
    View,
}

/// Copies what the office may publish into `public` (normally `<office>/`[`PUBLIC_DIR`]):
/// `office.log`, `checkpoints/`, `organizer.pub`, and for each draw of the log whose folder is
/// `<office>/<draw id>`, the folder `public/<draw id>/` with only [`PUBLISHABLE_FILES`], the
/// amendments and outcome records with their signatures, and the results views. Returns the files written (identical ones are skipped).
///
/// The draw folder stays the office's working folder: it also holds the rosters (the entity
/// roster with its internal risk classes, the inspectors' personal data, conflicts and history),
/// which allow a full replay to those entitled to it and are never copied here. The public copy
/// verifies at plan depth: `double-random verify <draw id> --public-key organizer.pub --log
/// office.log`, run inside `public`.
///
/// Every write is atomic. A record already in `public` that differs is refused, naming it
/// ([`BundleError::Exists`]), never overwritten; the log is replaced only by a longer log that
/// begins with the published one; the views (`sheet.csv`, `sheet.xlsx`, `notice.html`), which
/// are rebuilt after each amendment and checked against the documents by every verifier, are
/// replaced.
///
/// ```
/// # use double_random::bundle::*;
/// # use double_random::ceremony::commit::Secret;
/// # use double_random::sign::SecretKey;
/// let office = tempfile::tempdir()?;
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
/// // After the announcement of D1:
/// let public = office.path().join(PUBLIC_DIR);
/// let written = publish_office(office.path(), &public)?;
/// assert!(written.contains(&public.join("D1").join(ANNOUNCEMENT_FILE)));
/// assert!(public.join(LOG_FILE).is_file());
/// assert!(!public.join("D1").join("inspectors.csv").exists());
/// // Nothing new: nothing written.
/// assert!(publish_office(office.path(), &public)?.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn publish_office(office: &Path, public: &Path) -> Result<Vec<PathBuf>, BundleError> {
    let log_path = office.join(LOG_FILE);
    let mut written = vec![];
    if !log_path.is_file() {
        return Ok(written);
    }
    create_dir(public)?;
    let report = read_log(&log_path).map_err(|e| log_error(&log_path, e))?;
    publish_file(&log_path, &public.join(LOG_FILE), Kind::Log, &mut written)?;
    let checkpoints = office.join(CHECKPOINT_DIR);
    if checkpoints.is_dir() {
        let mut names: Vec<String> = std::fs::read_dir(&checkpoints)
            .map_err(|e| io_error(&checkpoints, e))?
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| !n.starts_with('.'))
            .collect();
        names.sort();
        if !names.is_empty() {
            create_dir(&public.join(CHECKPOINT_DIR))?;
        }
        for n in names {
            publish_file(
                &checkpoints.join(&n),
                &public.join(CHECKPOINT_DIR).join(&n),
                Kind::Record,
                &mut written,
            )?;
        }
    }
    let key = office.join(PUBLIC_KEY_FILE);
    if key.is_file() {
        publish_file(
            &key,
            &public.join(PUBLIC_KEY_FILE),
            Kind::Record,
            &mut written,
        )?;
    }
    for id in report.draws().into_iter().map(|r| r.draw_id) {
        // Draw ids follow SPEC §3.6, so each is one plain folder name.
        if check_name("draw id", &id).is_err() {
            continue;
        }
        let from = DrawDir::new(office.join(&id));
        if !from.root().is_dir() {
            continue;
        }
        let to = public.join(&id);
        let mut names: Vec<(String, Kind)> = PUBLISHABLE_FILES
            .iter()
            .map(|n| {
                let view = [
                    crate::publish::CSV_FILE,
                    crate::publish::NOTICE_FILE,
                    crate::publish::VERIFY_PAGE_FILE,
                ]
                .contains(n);
                (n.to_string(), if view { Kind::View } else { Kind::Record })
            })
            .collect();
        names.push((crate::publish::XLSX_FILE.to_string(), Kind::View));
        for seq in 1u32.. {
            let name = amendment_file(seq);
            if !from.has(&name) {
                break;
            }
            names.push((signature_file(&name), Kind::Record));
            names.push((name, Kind::Record));
        }
        // The outcome records (SPEC §18) and the results views made from them.
        for seq in 1u32.. {
            let name = format!("outcomes-{seq}.json");
            if !from.has(&name) {
                break;
            }
            names.push((signature_file(&name), Kind::Record));
            names.push((name, Kind::Record));
        }
        for view in [
            crate::publish::results::RESULTS_CSV_FILE,
            crate::publish::results::RESULTS_XLSX_FILE,
            crate::publish::results::RESULTS_NOTICE_FILE,
        ] {
            names.push((view.to_string(), Kind::View));
        }
        for (name, kind) in names {
            let src = from.path(&name);
            if src.is_file() {
                create_dir(&to)?;
                publish_file(&src, &to.join(&name), kind, &mut written)?;
            }
        }
    }
    Ok(written)
}

pub(super) fn io_error(path: &Path, e: std::io::Error) -> BundleError {
    BundleError::File(FileError::Io {
        path: path.to_path_buf(),
        op: files::FileOp::Read,
        kind: e.kind(),
        source: e,
    })
}

/// Copies `from` to `to` as [`publish_office`] describes, pushing `to` when written.
pub(super) fn publish_file(
    from: &Path,
    to: &Path,
    kind: Kind,
    written: &mut Vec<PathBuf>,
) -> Result<(), BundleError> {
    let bytes = files::read_limited(from, MAX_DOCUMENT_BYTES)?;
    if to.exists() {
        let existing = files::read_limited(to, MAX_DOCUMENT_BYTES)?;
        if existing == bytes {
            return Ok(());
        }
        let replace = match kind {
            Kind::Record => false,
            Kind::Log => bytes.starts_with(&existing),
            Kind::View => true,
        };
        if !replace {
            return Err(BundleError::Exists {
                path: to.to_path_buf(),
            });
        }
        files::write_replace(to, &bytes)?;
    } else {
        files::write_new(to, &bytes)?;
    }
    written.push(to.to_path_buf());
    Ok(())
}
