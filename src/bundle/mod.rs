//! Draw folders on disk: the file layer shared by the command line and by embedders.
//!
//! The ceremony modules work on bytes and values; this module decides where those bytes live.
//! A **draw folder** is what an office publishes (or hands to a discipline inspector) for one
//! draw; a **private folder** holds what must never be published; the **office log** chains
//! every draw of the office.
//!
//! | file | where | written by |
//! |---|---|---|
//! | `announcement.json` + `.minisig` | draw folder | [`announce`] |
//! | `sheet.json` + `.minisig` | draw folder | [`draw()`] |
//! | `amendment-<n>.json` + `.minisig` | draw folder | [`amend()`] |
//! | `organizer.pub` | draw folder (copied at announcement) | [`announce`] |
//! | `entities.csv` (or `.xlsx`), `inspectors.csv` (or `.xlsx`), `items.csv`, `conflicts.csv`, `history.csv`, `plan.toml` | draw folder (copied at announcement) | [`announce`] |
//! | `organizer.key` | private folder, mode 0600 | [`PrivateDir::write_key`] |
//! | `secrets/<draw id>/<party>.secret` | private folder, mode 0600 | [`PrivateDir::write_secret`] |
//! | `office.log` | the office folder | every step, through [`append_with`] |
//!
//! Records are written with [`files::write_new`]: an announcement, a sheet, an amendment or a
//! log entry is never overwritten. Secrets are written with [`files::write_secret_new`] and
//! wiped from memory after use. Every error names the file, and for inputs the line and field.
//!
//! The auditor's single call is [`verify_dir`]: it loads whatever the folder holds and checks as
//! deep as that allows (a full replay when every input is there).
//!
//! [`summarize_input_files`] (the check before announcing; [`summarize_input_files_into`] also
//! copies the inputs into the draw folder meanwhile), [`draw()`], [`amend()`] and the
//! replay of a sheet and its amendments in [`verify_dir`] stream plain CSV inputs (the rosters
//! are never held in memory: see `pipeline`); a workbook, an absent optional file or anything
//! met on the way that only reading every row reports in full (a problem, a reference to an
//! unknown id) reads every row, so that problems and notes are reported with their places
//! alike.
//!
//! ```
//! use double_random::bundle::{self, PrivateDir};
//! use double_random::sign::SecretKey;
//!
//! let office = tempfile::tempdir()?;
//! let private = PrivateDir::new(office.path().join("private"));
//! let key = SecretKey::generate()?;
//! private.write_key(&key)?;
//! assert_eq!(private.read_key()?.key_id(), key.key_id());
//! // A second key would replace the first: refused.
//! assert!(private.write_key(&SecretKey::generate()?).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::ceremony::amend::{Action, Amendment, Reason};
use crate::ceremony::announce::{Announcement, InputDigests};
use crate::ceremony::beacon::{BeaconSpec, BeaconValue};
use crate::ceremony::commit::{Role, Secret, SecretError};
use crate::ceremony::log::{self, AppendError, Entry, EntryKind, LogReport};
use crate::ceremony::sheet::Sheet;
use crate::ceremony::steps::{self, Signed, StepError, Stored};
use crate::ceremony::verify::{self, Finding, Published, Report, SignedDocument};
use crate::ceremony::void::{Void, VoidReason};
use crate::ceremony::{CeremonyError, Timestamp};
use crate::digest::Digest32;
use crate::draw::{self, DrawError, DrawInputs};
use crate::formats::error::{InputErrors, InputWarning};
use crate::formats::files::{self, FileError, FileSource, StagedCopy};
use crate::formats::plan_toml;
use crate::formats::roster::{Columns, Roster, Table, needed_fields};
use crate::formats::{entity_scan, roster_csv};
use crate::model::{Conflict, Entity, HistoryRecord, Inspector, Item, Plan};
use crate::names::{NameError, NameKind};
use crate::sign::{self, PublicKey, SecretKey, SignError, Signature};
use std::io::Read;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

pub use crate::ceremony::steps::{
    ANNOUNCEMENT_FILE, SHEET_FILE, SIGNATURE_EXTENSION, TIMESTAMP_FILE, VOID_FILE, amendment_file,
    sign_document, signature_file,
};
/// Folder of the log's signed checkpoints, beside the log (SPEC §12.3).
pub const CHECKPOINT_DIR: &str = "checkpoints";
/// `organizer.pub`: the organizer's public key, minisign format.
pub const PUBLIC_KEY_FILE: &str = "organizer.pub";
/// `organizer.key`: the organizer's secret key (private folder only).
pub const SECRET_KEY_FILE: &str = "organizer.key";
/// `plan.toml`.
pub const PLAN_FILE: &str = "plan.toml";
/// `office.log`: the office's hash-chained log.
pub const LOG_FILE: &str = "office.log";
/// The folder of seed secrets inside the private folder.
pub const SECRETS_DIR: &str = "secrets";

/// The largest announcement, sheet or amendment read (256 MiB).
pub const MAX_DOCUMENT_BYTES: u64 = 256 << 20;
/// The largest input file copied into a draw folder (64 GiB): rosters are copied and read a
/// block at a time, never held whole, so the limit only refuses what no roster can be (a
/// roster of every market entity in China, some 190 million rows, is under 30 GB).
pub const MAX_ROSTER_BYTES: u64 = 64 << 30;
pub use crate::formats::InputProblem;
pub use crate::formats::files::MAX_SMALL_FILE_BYTES;

mod draw_dir;
mod error;
mod folder_source;
mod input_summary;
mod inputs;
mod office_log;
mod private_dir;
mod publishable;
mod step_adapter;
#[cfg(test)]
mod tests;
mod verify_folder;

pub use draw_dir::*;
pub use error::*;
pub use folder_source::*;
pub use input_summary::*;
pub use inputs::*;
pub use office_log::*;
pub use private_dir::*;
pub use publishable::*;
pub use step_adapter::*;
pub use verify_folder::*;
