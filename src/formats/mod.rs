//! File formats: canonical JSON, roster CSV, plan TOML, safe file writes.

pub mod files;
pub mod jcs;
