//! The password-based key derivation of minisign's encrypted secret keys: scrypt, with the cost
//! stored as libsodium's `opslimit` and `memlimit`.

use zeroize::Zeroizing;

use super::SignError;

/// The cost of deriving a key from a password, as minisign stores it in a secret key.
///
/// minisign (through libsodium's `crypto_pwhash_scryptsalsa208sha256`) does not store scrypt's
/// `N`, `r` and `p` but two budgets, a number of operations and a number of bytes of memory;
/// [`KdfLimits::scrypt_cost`] turns them into `N`, `r` and `p` exactly as libsodium does. Keys
/// written by the stock tool carry [`KdfLimits::MINISIGN`]; smaller limits make cheaper (and
/// weaker) keys, for tests.
///
/// ```
/// use double_random::sign::KdfLimits;
///
/// let cost = KdfLimits::MINISIGN.scrypt_cost().unwrap();
/// assert_eq!((cost.log_n, cost.r, cost.p), (20, 8, 1));
/// assert_eq!(cost.memory_bytes(), 1 << 30);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KdfLimits {
    /// libsodium's `opslimit`: the operations budget.
    pub opslimit: u64,
    /// libsodium's `memlimit`: the memory budget in bytes.
    pub memlimit: u64,
}

/// The scrypt parameters that a [`KdfLimits`] stands for.
///
/// ```
/// use double_random::sign::KdfLimits;
///
/// let cost = KdfLimits { opslimit: 32768, memlimit: 1 << 20 }.scrypt_cost().unwrap();
/// assert_eq!(cost.memory_bytes(), 1 << 20);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ScryptCost {
    /// log₂ of scrypt's `N`.
    pub log_n: u8,
    /// scrypt's block size `r`.
    pub r: u32,
    /// scrypt's parallelism `p`.
    pub p: u32,
}

impl ScryptCost {
    /// The memory scrypt needs: 128 · r · N bytes.
    ///
    /// ```
    /// use double_random::sign::ScryptCost;
    ///
    /// assert_eq!(ScryptCost { log_n: 10, r: 8, p: 1 }.memory_bytes(), 1 << 20);
    /// ```
    #[must_use]
    pub fn memory_bytes(&self) -> u64 {
        (128 * u64::from(self.r)) << self.log_n
    }
}

/// The most memory this library lets a secret key ask for: what the stock tool uses (1 GiB).
///
/// A key file is input like any other; without a limit, a crafted file could ask for more memory
/// than the machine has.
pub const MAX_KDF_MEMORY: u64 = 1 << 30;

/// The most work (r · p · N) a secret key may ask for: eight times the stock tool's.
const MAX_KDF_WORK: u64 = 8 << 23;

/// libsodium's lowest operations budget; smaller values are raised to it.
const MIN_OPSLIMIT: u64 = 32768;

impl KdfLimits {
    /// The limits `minisign -G` writes: libsodium's "sensitive" scrypt limits
    /// (`opslimit` 33554432, `memlimit` 1073741824), that is N = 2²⁰, r = 8, p = 1 and 1 GiB of
    /// memory for a few seconds.
    pub const MINISIGN: KdfLimits = KdfLimits {
        opslimit: 33_554_432,
        memlimit: 1_073_741_824,
    };

    /// scrypt's `N`, `r` and `p` for these limits, as libsodium derives them.
    ///
    /// `r` is 8. Write `pow2(m)` for the smallest power of two, at least 2, that is greater than
    /// `m / 2` (integer division). If the operations budget (raised to at least 32768) is below
    /// `memlimit / 32`, then `p = 1` and `N = pow2(opslimit / (4 r))`; otherwise
    /// `N = pow2(memlimit / (128 r))` and `p = min(opslimit / 4 / N, 2³⁰ − 1) / r`.
    /// Limits that ask for more than [`MAX_KDF_MEMORY`] or for more than eight times the
    /// stock tool's work, or that scrypt cannot run (`p` = 0), are refused with
    /// [`SignError::KdfLimits`].
    ///
    /// ```
    /// use double_random::sign::{KdfLimits, SignError};
    ///
    /// let cost = KdfLimits { opslimit: 1 << 20, memlimit: 1 << 20 }.scrypt_cost().unwrap();
    /// assert_eq!((cost.log_n, cost.r, cost.p), (10, 8, 32));
    /// let greedy = KdfLimits { opslimit: 1 << 40, memlimit: 1 << 40 };
    /// assert!(matches!(greedy.scrypt_cost(), Err(SignError::KdfLimits { .. })));
    /// ```
    pub fn scrypt_cost(self) -> Result<ScryptCost, SignError> {
        let refused = || SignError::KdfLimits {
            opslimit: self.opslimit,
            memlimit: self.memlimit,
            max_memory: MAX_KDF_MEMORY,
        };
        let opslimit = self.opslimit.max(MIN_OPSLIMIT);
        let r: u64 = 8;
        // The smallest log₂ N in 1..63 with 2^log_n > max_n / 2.
        let log_n_for = |max_n: u64| (1..63u8).find(|&n| (1u64 << n) > max_n / 2).unwrap_or(63);
        let (log_n, p) = if opslimit < self.memlimit / 32 {
            (log_n_for(opslimit / (r * 4)), 1)
        } else {
            let log_n = log_n_for(self.memlimit / (r * 128));
            let max_rp = ((opslimit / 4) >> log_n).min(0x3fff_ffff);
            (log_n, max_rp / r)
        };
        if p == 0 || log_n > 40 {
            return Err(refused());
        }
        let cost = ScryptCost {
            log_n,
            r: 8,
            p: u32::try_from(p).map_err(|_| refused())?,
        };
        let work = (r * p).checked_shl(u32::from(log_n)).ok_or_else(refused)?;
        if cost.memory_bytes() > MAX_KDF_MEMORY || work > MAX_KDF_WORK {
            return Err(refused());
        }
        Ok(cost)
    }

    /// Derives `N` bytes from a password and a salt with scrypt at these limits.
    pub(crate) fn derive<const N: usize>(
        self,
        password: &[u8],
        salt: &[u8],
    ) -> Result<Zeroizing<[u8; N]>, SignError> {
        let cost = self.scrypt_cost()?;
        let refused = || SignError::KdfLimits {
            opslimit: self.opslimit,
            memlimit: self.memlimit,
            max_memory: MAX_KDF_MEMORY,
        };
        let params = scrypt::Params::new(cost.log_n, cost.r, cost.p).map_err(|_| refused())?;
        let mut out = Zeroizing::new([0u8; N]);
        scrypt::scrypt(password, salt, &params, out.as_mut()).map_err(|_| refused())?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost(opslimit: u64, memlimit: u64) -> (u8, u32, u32) {
        let c = KdfLimits { opslimit, memlimit }.scrypt_cost().unwrap();
        (c.log_n, c.r, c.p)
    }

    #[test]
    fn libsodium_parameter_mapping() {
        // minisign's own limits.
        assert_eq!(cost(33_554_432, 1_073_741_824), (20, 8, 1));
        // libsodium's "interactive" limits.
        assert_eq!(cost(524_288, 16_777_216), (14, 8, 1));
        // The operations budget decides (opslimit < memlimit / 32).
        assert_eq!(cost(32768, 1 << 30), (10, 8, 1));
        assert_eq!(cost(65536, 1 << 30), (11, 8, 1));
        // Too small an operations budget is raised to 32768.
        assert_eq!(cost(1000, 1 << 20), (10, 8, 1));
        assert_eq!(cost(0, 0), (1, 8, 512));
        // The memory budget decides; the rest of the operations go to p.
        assert_eq!(cost(1 << 20, 1 << 20), (10, 8, 32));
        assert_eq!(cost(32768, 1 << 20), (10, 8, 1));
        // Not a power of two: N is rounded down.
        assert_eq!(cost(3 << 20, 3 << 20), (11, 8, 48));
    }

    #[test]
    fn greedy_limits_are_refused() {
        for (opslimit, memlimit) in [
            (1 << 26, 1 << 31),
            (u64::MAX, u64::MAX),
            (u64::MAX, 1 << 20),
            (1 << 40, 0),
        ] {
            assert_eq!(
                KdfLimits { opslimit, memlimit }.scrypt_cost(),
                Err(SignError::KdfLimits {
                    opslimit,
                    memlimit,
                    max_memory: MAX_KDF_MEMORY
                }),
                "{opslimit} {memlimit}"
            );
        }
    }

    #[test]
    fn scrypt_matches_rfc_7914() {
        // RFC 7914 §12, second vector: N = 1024, r = 8, p = 16. opslimit = 4 · p · r · N with a
        // memory budget of exactly 128 · r · N gives those parameters.
        let limits = KdfLimits {
            opslimit: 4 * 16 * 8 * 1024,
            memlimit: 128 * 8 * 1024,
        };
        assert_eq!(
            limits.scrypt_cost().unwrap(),
            ScryptCost {
                log_n: 10,
                r: 8,
                p: 16
            }
        );
        let out = limits.derive::<64>(b"password", b"NaCl").unwrap();
        assert_eq!(
            hex::encode(out.as_ref()),
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"
        );
    }
}
