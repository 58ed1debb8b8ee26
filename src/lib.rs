//! double-random: a verifiable 双随机 (double random, one public) inspection lottery.
//!
//! The engine draws inspected entities and inspector teams from two rosters with a seeded
//! ChaCha20 generator. Everything that enters the draw is fingerprinted and committed
//! before the seed exists, and everything that comes out can be replayed bit for bit by
//! anyone holding the published files. `docs/SPEC.md` states every byte.
//!
//! Layers, from the bottom: [`rng`] (the only source of randomness), [`digest`],
//! [`normalize`], [`codes`] and [`model`] (pure data), [`draw`] (the pure draw),
//! [`formats`] (files), [`pipeline`] (the draw streamed from files), [`sign`] (signatures) and [`ceremony`] (announce, draw, verify,
//! amend, log); [`publish`] renders and checks the views people read.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod bundle;
pub mod ceremony;
pub mod codes;
pub mod digest;
pub mod draw;
pub mod formats;
pub mod fuzzing;
#[doc(hidden)]
pub mod internals;
pub mod model;
pub mod names;
pub mod normalize;
pub mod pipeline;
pub mod publish;
pub mod rng;
mod shares;
pub mod sign;
mod threads;

pub use threads::{DEFAULT_MAX_THREADS, set_threads, threads};

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
