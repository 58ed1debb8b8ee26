//! double-random: a verifiable 双随机 (double random, one public) inspection lottery.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod sign;
