//! The operating system's generator: where seed secrets, signing keys and key-file salts
//! come from. The draw itself never uses it (its randomness is the seeded stream of
//! [`crate::rng`]).
//!
//! Without the `os-random` feature (a verifier built for WebAssembly) the generator is not
//! compiled in, and neither is anything that makes a secret, a key or a salt; the error type
//! stays, since the errors of the verify path name it.

/// The operating system's random generator failed.
///
/// Rare, and not something a caller can repair: on Linux it means `getrandom(2)` failed.
///
/// ```
/// use double_random::OsRandomError;
/// fn explain(e: &OsRandomError) -> String {
///     format!("{e} (os error {:?})", e.os_error())
/// }
/// # let _ = explain;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the operating system's random generator failed")]
pub struct OsRandomError {
    os_error: Option<i32>,
}

impl OsRandomError {
    /// The operating system's error number, when there is one.
    pub fn os_error(&self) -> Option<i32> {
        self.os_error
    }
}

/// Fills `buf` from the operating system's generator.
#[cfg(feature = "os-random")]
pub(crate) fn fill(buf: &mut [u8]) -> Result<(), OsRandomError> {
    getrandom::fill(buf).map_err(|e| OsRandomError {
        os_error: e.raw_os_error(),
    })
}
