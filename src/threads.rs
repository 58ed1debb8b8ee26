//! How many threads the library's parallel parts use: one setting for the whole library.
//!
//! Reading a large entity roster, fingerprinting a table and drawing the strata each run on
//! several threads. They all ask [`threads`], so a server that shares its cores with other
//! work limits every one of them with one call to [`set_threads`]. The number changes only
//! how fast a draw runs, never what it gives: rows are split and merged back in file order,
//! and leaves are sorted before they are hashed.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The most threads used when none was set: beyond this, reading a roster is bound by the disk
/// and the merge, not by parsing.
pub const DEFAULT_MAX_THREADS: usize = 8;

/// The setting; 0 means "not set" (the default applies).
static THREADS: AtomicUsize = AtomicUsize::new(0);

/// Sets how many threads every parallel part of the library uses from now on; `0` restores
/// the default (the machine's available parallelism, at most [`DEFAULT_MAX_THREADS`]).
///
/// Call it once at start-up (the command line does for `--threads`); a call while a draw
/// runs affects only the parts that start afterwards. Results are the same at any number.
///
/// ```
/// double_random::set_threads(1);
/// assert_eq!(double_random::threads(), 1);
/// double_random::set_threads(0);
/// assert!(double_random::threads() >= 1);
/// ```
pub fn set_threads(n: usize) {
    THREADS.store(n, Ordering::Relaxed);
}

/// How many threads the library's parallel parts use: the number given to [`set_threads`], or
/// by default the machine's available parallelism capped at [`DEFAULT_MAX_THREADS`]. Always at
/// least 1. On WebAssembly always 1: `std::thread` compiles there but cannot start a thread.
///
/// ```
/// let n = double_random::threads();
/// assert!(n >= 1);
/// ```
pub fn threads() -> usize {
    if cfg!(target_family = "wasm") {
        return 1;
    }
    match THREADS.load(Ordering::Relaxed) {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get().min(DEFAULT_MAX_THREADS)),
        n => n,
    }
}
