//! Errors of the file layer, and the names of what a missing file is.

use super::*;

/// What a missing file is ([`BundleError::Missing`]), so that messages can name it in any
/// language without matching English text.
///
/// ```
/// use double_random::bundle::Needed;
/// assert_eq!(Needed::Sheet.to_string(), "the result sheet");
/// assert_eq!(Needed::Sheet.code(), "missing.sheet");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Needed {
    /// `announcement.json`.
    Announcement,
    /// `sheet.json`.
    Sheet,
    /// `sheet.json`, asked for by an amendment (amendments follow the draw).
    SheetBeforeAmendment,
    /// An `amendment-<n>.json`.
    Amendment,
    /// `void.json`.
    Void,
    /// The organizer's public key.
    PublicKey,
    /// The organizer's secret key (made by `keygen`).
    SecretKey,
    /// A party's seed secret.
    Secret,
    /// A document's signature.
    Signature,
}

impl Needed {
    /// Every [`Needed::code`].
    pub const CODES: [&'static str; 9] = [
        "missing.announcement",
        "missing.sheet",
        "missing.sheet_before_amendment",
        "missing.amendment",
        "missing.void",
        "missing.public_key",
        "missing.secret_key",
        "missing.secret",
        "missing.signature",
    ];

    /// The stable code of this kind of file (one of [`Needed::CODES`]).
    pub fn code(self) -> &'static str {
        Self::CODES[self as usize]
    }
}

impl std::fmt::Display for Needed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Needed::Announcement => "the announcement",
            Needed::Sheet => "the result sheet",
            Needed::SheetBeforeAmendment => "the result sheet (amendments follow the draw)",
            Needed::Amendment => "an amendment",
            Needed::Void => "the void",
            Needed::PublicKey => "the organizer's public key",
            Needed::SecretKey => "the organizer's secret key (made by keygen)",
            Needed::Secret => "a seed secret",
            Needed::Signature => "the signature",
        })
    }
}

/// Why a step on a draw folder could not be done. Every variant names the file concerned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    /// The inputs have problems; every one found is listed.
    #[error("{0}")]
    Inputs(InputProblems),
    /// A file could not be read or written, or already exists.
    #[error(transparent)]
    File(#[from] FileError),
    /// A file that this step needs is absent.
    #[error("{}: missing ({what})", path.display())]
    Missing {
        /// The path looked for.
        path: PathBuf,
        /// What the file is.
        what: Needed,
    },
    /// A record this step would write is already there; nothing was changed.
    #[error("{}: already exists; records are never overwritten", path.display())]
    Exists {
        /// The record.
        path: PathBuf,
    },
    /// A file is not text in UTF-8.
    #[error("{}: not UTF-8 text", path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
    },
    /// A document (announcement, sheet, amendment) is invalid or refused by the ceremony.
    #[error("{}: {source}", path.display())]
    Document {
        /// The document (or the draw folder, for a step refused as a whole).
        path: PathBuf,
        /// Why.
        source: CeremonyError,
    },
    /// A key or signature file is invalid, or a signature does not verify.
    #[error("{}: {source}", path.display())]
    Sign {
        /// The file.
        path: PathBuf,
        /// Why.
        source: SignError,
    },
    /// A secret file does not hold a secret.
    #[error("{}: {source}", path.display())]
    Secret {
        /// The file.
        path: PathBuf,
        /// Why.
        source: SecretError,
    },
    /// The office log refused the entry or is damaged.
    #[error("{}: {source}", path.display())]
    Log {
        /// The log.
        path: PathBuf,
        /// Why.
        source: AppendError,
    },
    /// A draw id or party name breaks the rules of SPEC §3.6.
    #[error(transparent)]
    BadName(#[from] NameError),
    /// The private folder lies inside the draw folder, which is published.
    #[error(
        "the private folder {} lies inside the draw folder {}, which is published; choose a private folder elsewhere",
        private.display(), draw.display()
    )]
    PrivateInsidePublished {
        /// The private folder.
        private: PathBuf,
        /// The draw folder.
        draw: PathBuf,
    },
    /// A step that needs a secret for a party has none.
    #[error("no secret for party {party:?}: {hint}")]
    MissingReveal {
        /// The party.
        party: String,
        /// Where it was looked for.
        hint: String,
    },
    /// A secret was given for a name the announcement does not list.
    #[error("a secret was given for {party:?}, which the announcement does not list")]
    UnknownParty {
        /// The name given.
        party: String,
    },
    /// The draw is not due yet.
    #[error("the draw is scheduled for {scheduled_at}; it is now {now}")]
    NotYetDue {
        /// Scheduled time.
        scheduled_at: Timestamp,
        /// The time given for the draw.
        now: Timestamp,
    },
    /// The log does not allow this step for this draw (already drawn, voided, never announced).
    #[error("{}: draw {draw_id}: {state}", log.display())]
    LogState {
        /// The log.
        log: PathBuf,
        /// The draw.
        draw_id: String,
        /// What the log says.
        state: DrawState,
    },
    /// A drawn draw cannot be voided: amendments are the way.
    #[error("{}: the draw has its sheet; a drawn draw cannot be voided, record an amendment instead", path.display())]
    AlreadyDrawn {
        /// The sheet.
        path: PathBuf,
    },
    /// Canonical JSON failed (not expected for the documents of this crate).
    #[error(transparent)]
    Jcs(#[from] crate::formats::jcs::JcsError),
}

impl BundleError {
    /// Whether the step was refused because a record already exists (or the log already
    /// records the step), as opposed to a failure.
    ///
    /// ```
    /// use double_random::bundle::BundleError;
    /// let e = BundleError::Exists { path: "sheet.json".into() };
    /// assert!(e.is_refusal_to_overwrite());
    /// ```
    pub fn is_refusal_to_overwrite(&self) -> bool {
        match self {
            BundleError::Exists { .. } => true,
            BundleError::File(FileError::AlreadyExists { .. }) => true,
            BundleError::Log {
                source: AppendError::Refused(_),
                ..
            } => true,
            BundleError::LogState { state, .. } => !matches!(state, DrawState::NotAnnounced),
            _ => false,
        }
    }
}

pub(super) fn sign_error(path: &Path, source: SignError) -> BundleError {
    BundleError::Sign {
        path: path.to_path_buf(),
        source,
    }
}

pub(super) fn doc_error(path: &Path, source: CeremonyError) -> BundleError {
    BundleError::Document {
        path: path.to_path_buf(),
        source,
    }
}

pub(super) fn log_error(path: &Path, source: AppendError) -> BundleError {
    BundleError::Log {
        path: path.to_path_buf(),
        source,
    }
}

/// Checks a draw id or party name against SPEC §3.6.
///
/// `what` is `"draw id"` or `"party name"` (anything else is checked as a draw id). Names
/// become folder and file names and are shown to people, so only letters and digits of any
/// script, combining marks after letters, `-` `_` `.` (and in party names inner spaces and `·`)
/// are accepted; invisible, direction-changing and look-alike characters are refused, as are
/// names Windows cannot use (`CON`, `NUL.txt`, a trailing dot).
///
/// ```
/// use double_random::bundle::check_name;
/// assert!(check_name("draw id", "GZ-2026-01-T01-1").is_ok());
/// assert!(check_name("party name", "纪检监督员").is_ok());
/// assert!(check_name("draw id", "../x").is_err());
/// assert!(check_name("draw id", "GZ-2026-01\u{200b}").is_err());
/// ```
pub fn check_name(what: &'static str, value: &str) -> Result<(), BundleError> {
    let kind = if what == "party name" {
        NameKind::PartyName
    } else {
        NameKind::DrawId
    };
    Ok(crate::names::check(kind, value)?)
}
