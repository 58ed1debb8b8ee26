//! The integration tests, one binary: each module is one area, tested through the public API
//! (and the command line) as an embedding program sees it.
//!
//! One binary links the library once instead of once per file. Run one area with
//! `cargo test --test all NAME::`, e.g. `cargo test --test all cli::`; the filter matches
//! anywhere in a test's name, so `vectors::` also runs `ceremony_vectors::` and
//! `outcome_vectors::`. Shared data stay beside this folder (`tests/cli/`, `tests/vectors/`,
//! `tests/bad_inputs/`, `tests/data/`).

mod attacks;
mod bad_inputs;
mod ceremony;
mod ceremony_memory;
mod ceremony_vectors;
mod cli;
mod completeness;
mod files_safety;
mod inputs;
mod layers;
mod log;
mod messy_rosters;
mod minisign_interop;
mod outcome_vectors;
mod properties;
mod publish;
mod robustness;
mod sample_data;
mod secrets;
mod tamper;
mod timestamp;
mod vectors;
mod verify_files;
mod views;
mod xlsx;
