//! File formats: canonical JSON, roster CSV and xlsx, plan TOML, safe file writes.

pub(crate) mod entity_scan;
pub mod error;
pub mod files;
pub(crate) mod history_scan;
pub mod jcs;
pub mod plan_toml;
mod problem;
pub mod roster;
pub mod roster_csv;
#[cfg(feature = "xlsx")]
pub mod xlsx;

pub use problem::InputProblem;
