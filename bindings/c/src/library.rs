//! Every item of the `double_random` library this crate uses, in one place.

pub(crate) use double_random::Digest32;
pub(crate) use double_random::ceremony::amend::{Action, Amendment, Reason};
pub(crate) use double_random::ceremony::announce::InputDigests;
pub(crate) use double_random::ceremony::beacon::{BeaconSpec, BeaconValue};
pub(crate) use double_random::ceremony::commit::{Secret, commitment};
pub(crate) use double_random::ceremony::log::{self, LogFinding};
pub(crate) use double_random::ceremony::steps::{
    self, AmendStep, AnnounceStep, DrawStep, Made, Records, SHEET_FILE, StepError, Stored,
    VoidStep, amendment_file, signature_file,
};
pub(crate) use double_random::ceremony::verify::{self, Finding, Published, SignedDocument};
pub(crate) use double_random::ceremony::void::VoidReason;
pub(crate) use double_random::ceremony::{CeremonyError, Timestamp, TimestampError};
pub(crate) use double_random::draw::{self, DrawInputs};
pub(crate) use double_random::formats::error::InputErrors;
pub(crate) use double_random::formats::plan_toml::{PlanErrors, read_plan};
pub(crate) use double_random::formats::roster::{Table, needed_fields};
pub(crate) use double_random::formats::roster_csv;
pub(crate) use double_random::model::{Conflict, Entity, HistoryRecord, Inspector, Item, Plan};
pub(crate) use double_random::sign::{KeyId, PublicKey, SecretKey, SignError};
