//! Key ids, secret keys and public keys in minisign's formats.

use std::fmt;
use std::str::FromStr;

use blake2::{Blake2b256, Digest as _};
use ed25519_dalek::{SigningKey, VerifyingKey};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::kdf::KdfLimits;
use super::text::{
    UNTRUSTED_PREFIX, decode, decode_exact, encode_into, encoded_len, line, no_extra_lines,
    split_lines, strip_prefix,
};
use super::{Field, SignError};

/// minisign's tag for Ed25519 keys (and for legacy, non-prehashed signatures).
pub(crate) const ALG_ED25519: [u8; 2] = *b"Ed";
/// minisign's tag for "no key derivation": the secret key is stored in the clear.
const KDF_NONE: [u8; 2] = [0, 0];
/// minisign's tag for scrypt-encrypted secret keys.
const KDF_SCRYPT: [u8; 2] = *b"Sc";
/// minisign's tag for the BLAKE2b-256 secret-key checksum.
const CHK_BLAKE2B: [u8; 2] = *b"B2";

/// Length of the decoded public key: algorithm, key id, key.
const PUBLIC_KEY_LEN: usize = 2 + 8 + 32;
/// Length of the decoded secret key: three tags, salt, opslimit, memlimit, key id, key, checksum.
const SECRET_KEY_LEN: usize = 2 + 2 + 2 + 32 + 8 + 8 + 8 + 64 + 32;
/// Offsets inside the decoded secret key.
const SK_KDF: usize = 2;
const SK_CHK_ALG: usize = 4;
const SK_SALT: usize = 6;
const SK_OPSLIMIT: usize = 38;
const SK_MEMLIMIT: usize = 46;
const SK_KEY_ID: usize = 54;
const SK_KEY: usize = 62;
const SK_CHECKSUM: usize = 126;

/// The untrusted comment this library writes on unencrypted secret key files.
const SECRET_KEY_COMMENT: &str = "minisign secret key (unencrypted)";
/// The untrusted comment on encrypted secret key files (the stock tool's own).
#[cfg(feature = "os-random")]
const ENCRYPTED_KEY_COMMENT: &str = "minisign encrypted secret key";
/// The longest password the stock tool reads (its buffer is 1024 bytes with the final NUL).
pub const MAX_PASSWORD_BYTES: usize = 1023;

/// The 8-byte id that minisign stores in keys and signatures to tell keys apart.
///
/// It is random, not derived from the key. minisign shows it as the 16 upper-case hexadecimal
/// digits of the bytes read as a little-endian `u64` (so the bytes appear reversed); `Display`
/// and `FromStr` use the same form, so ids printed here match those the stock tool prints.
///
/// ```
/// use double_random::sign::KeyId;
///
/// let id = KeyId([0xec, 0x3b, 0x17, 0xe9, 0x15, 0xf3, 0xb4, 0x6c]);
/// assert_eq!(id.to_string(), "6CB4F315E9173BEC");
/// assert_eq!("6cb4f315e9173bec".parse::<KeyId>().unwrap(), id);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(
    /// The bytes as stored in minisign files.
    pub [u8; 8],
);

impl KeyId {
    /// Draws a fresh key id from the operating system's random generator.
    ///
    /// Used when a key is generated; exposed so that a scheme added later can draw ids the same
    /// way.
    ///
    /// ```
    /// use double_random::sign::KeyId;
    ///
    /// let a = KeyId::random().unwrap();
    /// let b = KeyId::random().unwrap();
    /// assert_ne!(a, b);
    /// ```
    #[cfg(feature = "os-random")]
    pub fn random() -> Result<KeyId, SignError> {
        let mut bytes = [0u8; 8];
        crate::os_random::fill(&mut bytes).map_err(SignError::Random)?;
        Ok(KeyId(bytes))
    }

    /// The id as minisign prints it: the bytes read as a little-endian `u64`.
    ///
    /// ```
    /// use double_random::sign::KeyId;
    ///
    /// assert_eq!(KeyId([1, 0, 0, 0, 0, 0, 0, 0]).to_u64(), 1);
    /// ```
    #[must_use]
    pub fn to_u64(self) -> u64 {
        u64::from_le_bytes(self.0)
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016X}", self.to_u64())
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

impl FromStr for KeyId {
    type Err = SignError;

    /// Reads 16 hexadecimal digits (either case), as printed by `Display` and by minisign.
    fn from_str(s: &str) -> Result<KeyId, SignError> {
        let invalid = || SignError::InvalidKeyId {
            found: s.chars().take(32).collect(),
        };
        if s.len() != 16 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(invalid());
        }
        let value = u64::from_str_radix(s, 16).map_err(|_| invalid())?;
        Ok(KeyId(value.to_le_bytes()))
    }
}

/// An Ed25519 secret key with its minisign key id.
///
/// Create one with [`SecretKey::generate`], store it with [`SecretKey::to_encrypted_key_file`]
/// (protected by a password, what `minisign -G` writes) or [`SecretKey::to_key_file`]
/// (unencrypted, what `minisign -G -W` writes), and load it with
/// [`SecretKey::parse_with_password`] or [`SecretKey::parse`]. The key file is minisign's own
/// secret-key format, so the stock tool can sign with a key made here and this library can sign
/// with a key made by the stock tool.
///
/// The key is wiped from memory when dropped; `Debug` shows only the key id.
///
/// ```
/// use double_random::sign::SecretKey;
///
/// let sk = SecretKey::generate().unwrap();
/// assert!(format!("{sk:?}").contains("<redacted>"));
/// let again = SecretKey::parse(&sk.to_key_file()).unwrap();
/// assert_eq!(again.public_key(), sk.public_key());
/// ```
pub struct SecretKey {
    key_id: KeyId,
    signing: SigningKey,
}

impl SecretKey {
    /// Generates a new key and a new key id from the operating system's random generator.
    ///
    /// Use this once per office or signer; keep the key file secret and publish the public key.
    ///
    /// ```
    /// use double_random::sign::SecretKey;
    ///
    /// let sk = SecretKey::generate().unwrap();
    /// assert_eq!(sk.public_key().key_id(), sk.key_id());
    /// ```
    #[cfg(feature = "os-random")]
    pub fn generate() -> Result<SecretKey, SignError> {
        let mut seed = Zeroizing::new([0u8; 32]);
        crate::os_random::fill(seed.as_mut()).map_err(SignError::Random)?;
        let key_id = KeyId::random()?;
        Ok(SecretKey::from_seed(key_id, &seed))
    }

    /// Builds a key from a 32-byte Ed25519 seed and a key id.
    ///
    /// For test vectors and for importing a key held elsewhere. Never use a predictable seed for
    /// a real key.
    ///
    /// ```
    /// use double_random::sign::{KeyId, SecretKey};
    ///
    /// let sk = SecretKey::from_seed(KeyId([1; 8]), &[7; 32]);
    /// assert_eq!(sk.key_id(), KeyId([1; 8]));
    /// ```
    #[must_use]
    pub fn from_seed(key_id: KeyId, seed: &[u8; 32]) -> SecretKey {
        SecretKey {
            key_id,
            signing: SigningKey::from_bytes(seed),
        }
    }

    /// The key id written into every signature this key makes.
    ///
    /// ```
    /// use double_random::sign::{KeyId, SecretKey};
    ///
    /// let sk = SecretKey::from_seed(KeyId([2; 8]), &[7; 32]);
    /// assert_eq!(sk.key_id().to_string(), "0202020202020202");
    /// ```
    #[must_use]
    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    /// The matching public key, to publish so that anyone can verify.
    ///
    /// ```
    /// use double_random::sign::SecretKey;
    ///
    /// let sk = SecretKey::generate().unwrap();
    /// let pk = sk.public_key();
    /// assert!(pk.to_minisign().starts_with("untrusted comment: minisign public key "));
    /// ```
    #[must_use]
    pub fn public_key(&self) -> PublicKey {
        PublicKey {
            key_id: self.key_id,
            verifying: self.signing.verifying_key(),
        }
    }

    /// The dalek signing key, for the signing code of this module.
    pub(crate) fn signing_key(&self) -> &SigningKey {
        &self.signing
    }

    /// Writes the key as an unencrypted minisign secret-key file.
    ///
    /// The layout is minisign's: `Ed`, KDF `0x0000` (none), `B2`, 32 bytes of salt and 8 + 8 bytes
    /// of KDF limits (all zero, as `minisign -G -W` writes them), the key id, the 64-byte Ed25519
    /// secret key (seed then public key) and the BLAKE2b-256 checksum of `Ed`, key id and secret
    /// key. (`minisign -G -W` leaves the checksum zero; the stock tool does not check it for
    /// unencrypted keys, so filling it in costs nothing and lets [`SecretKey::parse`] catch
    /// damage.) The returned text is wiped from memory when dropped.
    ///
    /// ```
    /// use double_random::sign::SecretKey;
    ///
    /// let sk = SecretKey::generate().unwrap();
    /// let text = sk.to_key_file();
    /// assert!(text.starts_with("untrusted comment: "));
    /// assert_eq!(text.lines().count(), 2);
    /// ```
    #[must_use]
    pub fn to_key_file(&self) -> Zeroizing<String> {
        key_file_text(SECRET_KEY_COMMENT, self.raw_unencrypted().as_ref())
    }

    /// Writes the key as a password-protected minisign secret-key file, as `minisign -G` does.
    ///
    /// A fresh 32-byte salt is drawn; scrypt at `limits` (use [`KdfLimits::MINISIGN`], as the
    /// stock tool does, for a real key) derives 104 bytes from the password and the salt, and
    /// they are XORed onto the key id, the 64-byte secret key and the checksum. The KDF tag is
    /// `Sc` and the limits are stored as little-endian `u64`s. The stock `minisign -S` signs
    /// with the file given the same password.
    ///
    /// The password must not be empty, and must be a line the stock tool can read: at most
    /// [`MAX_PASSWORD_BYTES`] bytes, no CR, LF or NUL ([`SignError::InvalidPassword`]). Limits
    /// beyond what [`KdfLimits::scrypt_cost`] accepts are refused. The derived bytes and the
    /// returned text are wiped from memory when dropped.
    ///
    /// ```
    /// use double_random::sign::{KdfLimits, SecretKey};
    ///
    /// let sk = SecretKey::generate().unwrap();
    /// // Small limits keep the example fast; a real key uses KdfLimits::MINISIGN.
    /// let cheap = KdfLimits { opslimit: 32768, memlimit: 1 << 20 };
    /// let text = sk.to_encrypted_key_file(b"correct horse", cheap).unwrap();
    /// let again = SecretKey::parse_with_password(&text, b"correct horse").unwrap();
    /// assert_eq!(again.public_key(), sk.public_key());
    /// ```
    #[cfg(feature = "os-random")]
    pub fn to_encrypted_key_file(
        &self,
        password: &[u8],
        limits: KdfLimits,
    ) -> Result<Zeroizing<String>, SignError> {
        check_password(password)?;
        let mut salt = [0u8; 32];
        crate::os_random::fill(&mut salt).map_err(SignError::Random)?;
        let stream = limits.derive::<{ SECRET_KEY_LEN - SK_KEY_ID }>(password, &salt)?;
        let mut raw = self.raw_unencrypted();
        raw[SK_KDF..SK_KDF + 2].copy_from_slice(&KDF_SCRYPT);
        raw[SK_SALT..SK_OPSLIMIT].copy_from_slice(&salt);
        raw[SK_OPSLIMIT..SK_MEMLIMIT].copy_from_slice(&limits.opslimit.to_le_bytes());
        raw[SK_MEMLIMIT..SK_KEY_ID].copy_from_slice(&limits.memlimit.to_le_bytes());
        xor_into(&mut raw[SK_KEY_ID..], stream.as_ref());
        Ok(key_file_text(ENCRYPTED_KEY_COMMENT, raw.as_ref()))
    }

    /// The decoded unencrypted key: tags, zero salt and limits, key id, key, checksum.
    fn raw_unencrypted(&self) -> Zeroizing<[u8; SECRET_KEY_LEN]> {
        let mut raw = Zeroizing::new([0u8; SECRET_KEY_LEN]);
        raw[..2].copy_from_slice(&ALG_ED25519);
        raw[SK_KDF..SK_KDF + 2].copy_from_slice(&KDF_NONE);
        raw[SK_CHK_ALG..SK_CHK_ALG + 2].copy_from_slice(&CHK_BLAKE2B);
        raw[SK_KEY_ID..SK_KEY].copy_from_slice(&self.key_id.0);
        raw[SK_KEY..SK_KEY + 32].copy_from_slice(self.signing.as_bytes());
        raw[SK_KEY + 32..SK_CHECKSUM].copy_from_slice(self.signing.verifying_key().as_bytes());
        let checksum = secret_key_checksum(&self.key_id, &raw[SK_KEY..SK_CHECKSUM]);
        raw[SK_CHECKSUM..].copy_from_slice(checksum.as_ref());
        raw
    }

    /// Reads an unencrypted minisign secret-key file.
    ///
    /// Accepts files written by [`SecretKey::to_key_file`], by `minisign -G -W` and by
    /// `minisign -C -W`. The checksum is checked when present (the stock tool leaves it zero for
    /// `-G -W`), and in every case the public half stored in the key must match its private half.
    /// Encrypted keys fail with [`SignError::EncryptedSecretKey`]: that error tells a caller to
    /// ask for the password and call [`SecretKey::parse_with_password`].
    ///
    /// ```
    /// use double_random::sign::{SecretKey, SignError};
    ///
    /// let sk = SecretKey::generate().unwrap();
    /// assert_eq!(SecretKey::parse(&sk.to_key_file()).unwrap().key_id(), sk.key_id());
    /// assert!(matches!(SecretKey::parse("untrusted comment: x\n"), Err(SignError::MissingLine { line: 2, .. })));
    /// ```
    pub fn parse(text: &str) -> Result<SecretKey, SignError> {
        SecretKey::parse_inner(text, None)
    }

    /// Reads a minisign secret-key file, encrypted or not, opening an encrypted one with
    /// `password`.
    ///
    /// For an encrypted key (KDF `Sc`) the scrypt limits stored in the file are checked first
    /// (at most 1 GiB of memory, see [`KdfLimits::scrypt_cost`]), then the key is decrypted and
    /// its BLAKE2b-256 checksum must match, or the password is wrong
    /// ([`SignError::WrongPassword`]): a wrong password never yields a key. An unencrypted key is
    /// read as [`SecretKey::parse`] reads it and the password is not used. Deriving the key
    /// from a password at the stock tool's limits takes 1 GiB of memory and a few seconds.
    ///
    /// ```
    /// use double_random::sign::{KdfLimits, SecretKey, SignError};
    ///
    /// let sk = SecretKey::generate().unwrap();
    /// let cheap = KdfLimits { opslimit: 32768, memlimit: 1 << 20 };
    /// let text = sk.to_encrypted_key_file(b"secret", cheap).unwrap();
    /// assert_eq!(SecretKey::parse(&text).unwrap_err(), SignError::EncryptedSecretKey);
    /// assert_eq!(SecretKey::parse_with_password(&text, b"wrong").unwrap_err(), SignError::WrongPassword);
    /// assert_eq!(SecretKey::parse_with_password(&text, b"secret").unwrap().key_id(), sk.key_id());
    /// ```
    pub fn parse_with_password(text: &str, password: &[u8]) -> Result<SecretKey, SignError> {
        SecretKey::parse_inner(text, Some(password))
    }

    /// Whether a secret-key file is encrypted (KDF `Sc`), so that a password must be asked for.
    ///
    /// Reads no more than the tags; any other problem is left to the parse functions.
    ///
    /// ```
    /// use double_random::sign::SecretKey;
    ///
    /// let sk = SecretKey::generate().unwrap();
    /// assert!(!SecretKey::is_encrypted(&sk.to_key_file()));
    /// ```
    #[must_use]
    pub fn is_encrypted(text: &str) -> bool {
        matches!(
            SecretKey::parse_inner(text, None),
            Err(SignError::EncryptedSecretKey)
        )
    }

    fn parse_inner(text: &str, password: Option<&[u8]>) -> Result<SecretKey, SignError> {
        let lines = split_lines(text);
        let first = line(&lines, 0, Field::UntrustedComment)?;
        strip_prefix(first, UNTRUSTED_PREFIX, 0, Field::UntrustedComment)?;
        let encoded = line(&lines, 1, Field::SecretKey)?;
        no_extra_lines(&lines, 2, Field::SecretKey)?;

        let mut raw = decode(encoded, 1, Field::SecretKey)?;
        if raw.len() != SECRET_KEY_LEN {
            return Err(SignError::WrongLength {
                field: Field::SecretKey,
                expected: SECRET_KEY_LEN,
                found: raw.len(),
            });
        }
        let tag = |at: usize| [raw[at], raw[at + 1]];
        if tag(0) != ALG_ED25519 {
            return Err(SignError::UnknownAlgorithm {
                field: Field::SecretKey,
                found: tag(0),
            });
        }
        let encrypted = match tag(SK_KDF) {
            KDF_NONE => false,
            KDF_SCRYPT => true,
            found => return Err(SignError::UnknownKdf { found }),
        };
        if tag(SK_CHK_ALG) != CHK_BLAKE2B {
            return Err(SignError::UnknownChecksum {
                found: tag(SK_CHK_ALG),
            });
        }
        if encrypted {
            let Some(password) = password else {
                return Err(SignError::EncryptedSecretKey);
            };
            let limit = |at: usize| {
                let mut le = [0u8; 8];
                le.copy_from_slice(&raw[at..at + 8]);
                u64::from_le_bytes(le)
            };
            let limits = KdfLimits {
                opslimit: limit(SK_OPSLIMIT),
                memlimit: limit(SK_MEMLIMIT),
            };
            let stream = limits
                .derive::<{ SECRET_KEY_LEN - SK_KEY_ID }>(password, &raw[SK_SALT..SK_OPSLIMIT])?;
            xor_into(&mut raw[SK_KEY_ID..], stream.as_ref());
        }
        let mut id = [0u8; 8];
        id.copy_from_slice(&raw[SK_KEY_ID..SK_KEY]);
        let key_id = KeyId(id);

        // The stock tool leaves the checksum zero in keys it writes unencrypted; an encrypted key
        // always carries it, and a wrong password shows as a mismatch.
        let stored = &raw[SK_CHECKSUM..];
        if encrypted || stored.iter().any(|&b| b != 0) {
            let computed = secret_key_checksum(&key_id, &raw[SK_KEY..SK_CHECKSUM]);
            if computed.as_slice() != stored {
                return Err(if encrypted {
                    SignError::WrongPassword
                } else {
                    SignError::BadChecksum { key_id }
                });
            }
        }

        let mut seed = Zeroizing::new([0u8; 32]);
        seed.copy_from_slice(&raw[SK_KEY..SK_KEY + 32]);
        let key = SecretKey::from_seed(key_id, &seed);
        if key.signing.verifying_key().as_bytes()[..] != raw[SK_KEY + 32..SK_CHECKSUM] {
            return Err(SignError::InconsistentSecretKey { key_id });
        }
        Ok(key)
    }
}

/// The text of a secret-key file: the untrusted comment, then the base64 of `raw`.
fn key_file_text(comment: &str, raw: &[u8]) -> Zeroizing<String> {
    let capacity = UNTRUSTED_PREFIX.len() + comment.len() + 1 + encoded_len(raw.len()) + 1;
    let mut text = Zeroizing::new(String::with_capacity(capacity));
    text.push_str(UNTRUSTED_PREFIX);
    text.push_str(comment);
    text.push('\n');
    encode_into(raw, &mut text);
    text.push('\n');
    text
}

/// XORs `stream` onto `data` (equal lengths), minisign's encryption of the key.
fn xor_into(data: &mut [u8], stream: &[u8]) {
    for (d, s) in data.iter_mut().zip(stream) {
        *d ^= s;
    }
}

/// Refuses passwords that protect nothing or that the stock tool could not read back.
#[cfg(feature = "os-random")]
fn check_password(password: &[u8]) -> Result<(), SignError> {
    use super::PasswordProblem;
    let problem = if password.is_empty() {
        PasswordProblem::Empty
    } else if password.len() > MAX_PASSWORD_BYTES {
        PasswordProblem::TooLong {
            length: password.len(),
            max: MAX_PASSWORD_BYTES,
        }
    } else if password.iter().any(|b| matches!(b, b'\n' | b'\r' | 0)) {
        PasswordProblem::ControlCharacter
    } else {
        return Ok(());
    };
    Err(SignError::InvalidPassword { problem })
}

/// BLAKE2b-256 of `Ed`, the key id and the 64-byte secret key, as minisign computes it.
fn secret_key_checksum(key_id: &KeyId, secret_and_public: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut hasher = Blake2b256::new();
    hasher.update(ALG_ED25519);
    hasher.update(key_id.0);
    hasher.update(secret_and_public);
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(&hasher.finalize());
    out
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretKey")
            .field("key_id", &self.key_id)
            .field("key", &format_args!("<redacted>"))
            .finish()
    }
}

impl Zeroize for SecretKey {
    /// Replaces the key with the all-zero seed; the old `SigningKey` wipes itself as it drops.
    fn zeroize(&mut self) {
        self.signing = SigningKey::from_bytes(&[0u8; 32]);
        self.key_id = KeyId([0; 8]);
    }
}

/// The only secret field, `SigningKey`, wipes itself when dropped.
impl ZeroizeOnDrop for SecretKey {}

/// An Ed25519 public key with its minisign key id.
///
/// Publish it with [`PublicKey::to_minisign`] (the `minisign.pub` file) or
/// [`PublicKey::to_base64`] (the string `minisign -P` takes); read either with
/// [`PublicKey::parse`].
///
/// ```
/// use double_random::sign::{PublicKey, SecretKey};
///
/// let pk = SecretKey::generate().unwrap().public_key();
/// assert_eq!(PublicKey::parse(&pk.to_minisign()).unwrap(), pk);
/// assert_eq!(PublicKey::parse(&pk.to_base64()).unwrap(), pk);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey {
    key_id: KeyId,
    verifying: VerifyingKey,
}

impl PublicKey {
    /// The key id, which signatures made by the matching secret key carry.
    ///
    /// ```
    /// use double_random::sign::{KeyId, SecretKey};
    ///
    /// let pk = SecretKey::from_seed(KeyId([3; 8]), &[7; 32]).public_key();
    /// assert_eq!(pk.key_id(), KeyId([3; 8]));
    /// ```
    #[must_use]
    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    /// The 32 bytes of the Ed25519 public key.
    ///
    /// For fingerprints and for recording the key in other documents.
    ///
    /// ```
    /// use double_random::sign::SecretKey;
    ///
    /// let pk = SecretKey::generate().unwrap().public_key();
    /// assert_eq!(pk.as_bytes().len(), 32);
    /// ```
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 32] {
        self.verifying.as_bytes()
    }

    /// The dalek verifying key, for the verification code of this module.
    pub(crate) fn verifying_key(&self) -> &VerifyingKey {
        &self.verifying
    }

    /// The single base64 line: `Ed`, key id, key. This is what `minisign -P` takes.
    ///
    /// ```
    /// use double_random::sign::{KeyId, SecretKey};
    ///
    /// let pk = SecretKey::from_seed(KeyId([0; 8]), &[0; 32]).public_key();
    /// assert!(pk.to_base64().starts_with("RWQAAAAAAAAA"));
    /// assert_eq!(pk.to_base64().len(), 56);
    /// ```
    #[must_use]
    pub fn to_base64(&self) -> String {
        let mut raw = [0u8; PUBLIC_KEY_LEN];
        raw[..2].copy_from_slice(&ALG_ED25519);
        raw[2..10].copy_from_slice(&self.key_id.0);
        raw[10..].copy_from_slice(self.verifying.as_bytes());
        let mut out = String::with_capacity(encoded_len(PUBLIC_KEY_LEN));
        encode_into(&raw, &mut out);
        out
    }

    /// The public-key file as `minisign -G` writes it (`minisign.pub`).
    ///
    /// ```
    /// use double_random::sign::{KeyId, SecretKey};
    ///
    /// let pk = SecretKey::from_seed(KeyId([0xec, 0x3b, 0x17, 0xe9, 0x15, 0xf3, 0xb4, 0x6c]), &[0; 32]).public_key();
    /// let text = pk.to_minisign();
    /// assert!(text.starts_with("untrusted comment: minisign public key 6CB4F315E9173BEC\nRWTsOxfp"));
    /// assert!(text.ends_with('\n'));
    /// ```
    #[must_use]
    pub fn to_minisign(&self) -> String {
        // The stock tool writes this comment with `%" PRIX64`: no zero padding.
        format!(
            "{UNTRUSTED_PREFIX}minisign public key {:X}\n{}\n",
            self.key_id.to_u64(),
            self.to_base64()
        )
    }

    /// Reads a public key: either the two-line `minisign.pub` file or the bare base64 line.
    ///
    /// The bare line may be surrounded by white space (as when pasted); the file form is read as
    /// strictly as the stock tool reads it, and blank lines after it are ignored.
    ///
    /// ```
    /// use double_random::sign::{PublicKey, SignError};
    ///
    /// let pk = PublicKey::parse("RWTsOxfpFfO0bDR15+M6lH46xYlxydE8gdflxr/IbfIc3vDVhAAAPWQS").unwrap();
    /// assert_eq!(pk.key_id().to_string(), "6CB4F315E9173BEC");
    /// assert!(matches!(PublicKey::parse("RWTs"), Err(SignError::WrongLength { .. })));
    /// ```
    pub fn parse(text: &str) -> Result<PublicKey, SignError> {
        let lines = split_lines(text);
        let (encoded, index) = match lines.first() {
            Some(first) if first.starts_with(UNTRUSTED_PREFIX) => {
                let encoded = line(&lines, 1, Field::PublicKey)?;
                no_extra_lines(&lines, 2, Field::PublicKey)?;
                (encoded, 1)
            }
            _ => {
                let trimmed = text.trim();
                if trimmed.is_empty() {
                    return Err(SignError::MissingLine {
                        line: 1,
                        field: Field::PublicKey,
                    });
                }
                if trimmed.contains('\n') {
                    return Err(SignError::MissingPrefix {
                        line: 1,
                        field: Field::UntrustedComment,
                        prefix: UNTRUSTED_PREFIX,
                    });
                }
                let leading = text.len() - text.trim_start().len();
                let index = text[..leading].matches('\n').count();
                (trimmed, index)
            }
        };
        let raw: [u8; PUBLIC_KEY_LEN] = decode_exact(encoded, index, Field::PublicKey)?;
        let alg = [raw[0], raw[1]];
        if alg != ALG_ED25519 {
            return Err(SignError::UnknownAlgorithm {
                field: Field::PublicKey,
                found: alg,
            });
        }
        let mut id = [0u8; 8];
        id.copy_from_slice(&raw[2..10]);
        let key_id = KeyId(id);
        let mut key = [0u8; 32];
        key.copy_from_slice(&raw[10..]);
        let verifying =
            VerifyingKey::from_bytes(&key).map_err(|_| SignError::InvalidPublicKey { key_id })?;
        Ok(PublicKey { key_id, verifying })
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("key_id", &self.key_id)
            .field("key", &format_args!("{}", hex::encode(self.as_bytes())))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::PasswordProblem;

    /// Made by the stock `minisign -G -W` (0.11): zero salt, limits and checksum.
    const STOCK_SK: &str = "untrusted comment: minisign encrypted secret key\nRWQAAEIyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA7DsX6RXztGydWmwG/UtFjoFPgVa+zxbAi8jZ+Kg/0mlIHeCWtTe8KzR15+M6lH46xYlxydE8gdflxr/IbfIc3vDVhAAAPWQSAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    const STOCK_PK: &str = "untrusted comment: minisign public key 6CB4F315E9173BEC\nRWTsOxfpFfO0bDR15+M6lH46xYlxydE8gdflxr/IbfIc3vDVhAAAPWQS\n";
    /// Made by the stock `minisign -G` with a password, then `minisign -C -W`: the salt, limits
    /// and the real checksum stay in the file.
    const STOCK_SK_CONVERTED: &str = "untrusted comment: minisign encrypted secret key\nRWQAAEIynfdC/y8vCtXBvG4lLoIxhdR/hGvndgUqVqBlcXlp48oAAAACAAAAAAAAAEAAAAAAuB6THd6sSdpjFhbIFWRLTHLdk9z7TQeSNjykvvTDxD13NJ/JYjJtTkxWS7yWPdfWkMXqMbm/9CdNX1kLyC3frQ1ZoHdStozKJi3nWNX5GkVI4lUy4SbCPh1BhDFNdOUsOT8XDBngkHU=\n";
    const STOCK_PK_CONVERTED: &str = "RWS4HpMd3qxJ2kxWS7yWPdfWkMXqMbm/9CdNX1kLyC3frQ1ZoHdStozK";

    fn raw_secret(text: &str) -> Vec<u8> {
        decode(split_lines(text)[1], 1, Field::SecretKey)
            .unwrap()
            .to_vec()
    }

    fn secret_text(raw: &[u8]) -> String {
        let mut s = String::from("untrusted comment: test\n");
        encode_into(raw, &mut s);
        s
    }

    #[test]
    fn key_id_display_matches_the_stock_tool() {
        let pk = PublicKey::parse(STOCK_PK).unwrap();
        assert_eq!(pk.key_id().to_string(), "6CB4F315E9173BEC");
        assert_eq!(pk.to_minisign(), STOCK_PK);
        assert_eq!(format!("{:?}", pk.key_id()), "KeyId(6CB4F315E9173BEC)");
        // Leading zeros are kept, as minisign 0.11 prints them.
        assert_eq!(
            KeyId([1, 0, 0, 0, 0, 0, 0, 0]).to_string(),
            "0000000000000001"
        );
    }

    #[test]
    fn key_id_from_str_rejects_everything_but_16_hex_digits() {
        for bad in [
            "",
            "+CB4F315E9173BEC",
            "6CB4F315E9173BE",
            "6CB4F315E9173BECA",
            "6CB4F315E9173BEG",
            "６CB4F315E9173BE",
        ] {
            assert!(
                matches!(bad.parse::<KeyId>(), Err(SignError::InvalidKeyId { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn loads_a_stock_unencrypted_key_without_checksum() {
        let sk = SecretKey::parse(STOCK_SK).unwrap();
        assert_eq!(sk.public_key(), PublicKey::parse(STOCK_PK).unwrap());
    }

    #[test]
    fn loads_a_stock_key_whose_password_was_removed_and_checks_its_checksum() {
        let sk = SecretKey::parse(STOCK_SK_CONVERTED).unwrap();
        assert_eq!(
            sk.public_key(),
            PublicKey::parse(STOCK_PK_CONVERTED).unwrap()
        );
        let mut raw = raw_secret(STOCK_SK_CONVERTED);
        raw[SK_CHECKSUM + 5] ^= 1;
        assert_eq!(
            SecretKey::parse(&secret_text(&raw)).unwrap_err(),
            SignError::BadChecksum {
                key_id: sk.key_id()
            }
        );
    }

    #[test]
    fn our_checksum_is_the_stock_one() {
        let sk = SecretKey::parse(STOCK_SK_CONVERTED).unwrap();
        let ours = raw_secret(&sk.to_key_file());
        let theirs = raw_secret(STOCK_SK_CONVERTED);
        assert_eq!(ours[SK_KEY_ID..], theirs[SK_KEY_ID..]);
    }

    /// Made by the stock `minisign -G` (0.11) with the password `pw123`: minisign's own limits
    /// (opslimit 33554432, memlimit 1073741824), so N = 2^20, r = 8, p = 1 and 1 GiB.
    const STOCK_ENCRYPTED: &str = "untrusted comment: minisign encrypted secret key\nRWRTY0Iyal0wo2MdFEh7YPXpukeJU4u4S06QX0ytKdgs+oaD18wAAAACAAAAAAAAAEAAAAAAELo8rv6waECTd9An1s1TAagxaj82iI/BAxiRg1uym4jPMyuET8m8o2nie7m5WP7Xpr/AX5J4yQopa+81bC7yvcgnWyJY446KJDuyoNjWSmrc7t9RvdQz4L6GX1CeVZe4VXuwqDuRWDo=\n";
    const STOCK_ENCRYPTED_PK: &str = "RWSY4qYcSK6Ht9YW59xfNUv3z/RFvOAR2/dAOsRBll3iK1qElHl47awk";
    /// A stock `minisign -G -W` key encrypted with the password `pw123` by Python's
    /// `hashlib.scrypt` at opslimit 32768, memlimit 1048576 (N = 2^10, r = 8, p = 1); the stock
    /// `minisign -S` signs with it.
    const SMALL_ENCRYPTED: &str = "untrusted comment: test\nRWRTY0Iygzo6ZaH+1FQdBhkILljV9VFLm8oq2rJSJ7/GrF4tdq0AgAAAAAAAAAAAEAAAAAAAdgApA9Ndu48LLWDV62MdtC4alY1z2ErVmh35JhxMCIWJcTaNG6N3rdNrmLSngjCppSRe4gkqZHuF6o2rIZegFpo5nphpeXUwiEWARBpr7rmXvqLp2aZa1mZdHG2raMTXIuheuvQz3VE=\n";
    /// The same key at opslimit 1048576, memlimit 1048576: libsodium's mapping gives p = 32 (the
    /// stock tool refuses the password if p = 1 is used instead).
    const SMALL_ENCRYPTED_P32: &str = "untrusted comment: test\nRWRTY0IyBO+VIFYuh5ehy/y3gaAFfPoO3vwtbZvxgNPv3KBF+PwAABAAAAAAAAAAEAAAAAAAK1/lV97hrq3q+LkUGjaqbkoOXS4voKyc8Zi48hUkq0NkrTr5+YvuM4K6kvnPXOZWIt0jQE5QxzAVbIwf00otIVZV/W6rjiInIuf9MmvCvqms6wHBp/5/87Qn3aLFkEjKmCzeMwnCAeA=\n";
    const SMALL_PK: &str = "RWQ92gQP5zeye6XyMvCjVA9+knI9rQyQIEnWXRTkVX2MQ5IVNPthKSSA";
    const CHEAP: KdfLimits = KdfLimits {
        opslimit: 32768,
        memlimit: 1 << 20,
    };

    #[test]
    fn opens_small_stock_format_keys() {
        let pk = PublicKey::parse(SMALL_PK).unwrap();
        for text in [SMALL_ENCRYPTED, SMALL_ENCRYPTED_P32] {
            assert_eq!(
                SecretKey::parse_with_password(text, b"pw123")
                    .unwrap()
                    .public_key(),
                pk
            );
            assert_eq!(
                SecretKey::parse_with_password(text, b"pw124").unwrap_err(),
                SignError::WrongPassword
            );
            assert_eq!(
                SecretKey::parse(text).unwrap_err(),
                SignError::EncryptedSecretKey
            );
            assert!(SecretKey::is_encrypted(text));
        }
    }

    #[test]
    fn opens_a_key_made_by_stock_minisign_g() {
        // One derivation at the stock tool's limits: 1 GiB and a few seconds.
        let sk = SecretKey::parse_with_password(STOCK_ENCRYPTED, b"pw123").unwrap();
        assert_eq!(
            sk.public_key(),
            PublicKey::parse(STOCK_ENCRYPTED_PK).unwrap()
        );
    }

    #[test]
    fn encrypted_round_trip_and_layout() {
        let sk = SecretKey::from_seed(KeyId([5; 8]), &[6; 32]);
        let text = sk.to_encrypted_key_file(b"pass word", CHEAP).unwrap();
        assert!(text.starts_with("untrusted comment: minisign encrypted secret key\n"));
        let raw = raw_secret(&text);
        assert_eq!(&raw[..6], b"EdScB2");
        assert_eq!(raw[SK_OPSLIMIT..SK_MEMLIMIT], 32768u64.to_le_bytes());
        assert_eq!(raw[SK_MEMLIMIT..SK_KEY_ID], (1u64 << 20).to_le_bytes());
        // Neither the key id nor the seed appears in the clear.
        assert_ne!(raw[SK_KEY_ID..SK_KEY], [5; 8]);
        assert_ne!(raw[SK_KEY..SK_KEY + 32], [6; 32]);
        let again = SecretKey::parse_with_password(&text, b"pass word").unwrap();
        assert_eq!(again.public_key(), sk.public_key());
        assert_eq!(
            SecretKey::parse_with_password(&text, b"pass Word").unwrap_err(),
            SignError::WrongPassword
        );
        // Two files of the same key differ: a fresh salt each time.
        let other = sk.to_encrypted_key_file(b"pass word", CHEAP).unwrap();
        assert_ne!(
            raw_secret(&other)[SK_SALT..SK_OPSLIMIT],
            raw[SK_SALT..SK_OPSLIMIT]
        );
        // An unencrypted key is read whatever password is given.
        assert_eq!(
            SecretKey::parse_with_password(&sk.to_key_file(), b"anything")
                .unwrap()
                .key_id(),
            sk.key_id()
        );
    }

    #[test]
    fn a_damaged_encrypted_key_is_refused() {
        let sk = SecretKey::generate().unwrap();
        let text = sk.to_encrypted_key_file(b"pw", CHEAP).unwrap();
        let mut raw = raw_secret(&text);
        raw[SK_KEY + 3] ^= 1;
        assert_eq!(
            SecretKey::parse_with_password(&secret_text(&raw), b"pw").unwrap_err(),
            SignError::WrongPassword
        );
        raw[SK_KEY + 3] ^= 1;
        raw[SK_SALT] ^= 1;
        assert_eq!(
            SecretKey::parse_with_password(&secret_text(&raw), b"pw").unwrap_err(),
            SignError::WrongPassword
        );
    }

    #[test]
    fn greedy_limits_in_a_file_are_refused_before_any_work() {
        let mut raw = raw_secret(SMALL_ENCRYPTED);
        raw[SK_MEMLIMIT..SK_KEY_ID].copy_from_slice(&u64::MAX.to_le_bytes());
        raw[SK_OPSLIMIT..SK_MEMLIMIT].copy_from_slice(&u64::MAX.to_le_bytes());
        assert_eq!(
            SecretKey::parse_with_password(&secret_text(&raw), b"pw123").unwrap_err(),
            SignError::KdfLimits {
                opslimit: u64::MAX,
                memlimit: u64::MAX,
                max_memory: 1 << 30
            }
        );
        let sk = SecretKey::generate().unwrap();
        let greedy = KdfLimits {
            opslimit: 1 << 40,
            memlimit: 1 << 40,
        };
        assert!(matches!(
            sk.to_encrypted_key_file(b"pw", greedy),
            Err(SignError::KdfLimits { .. })
        ));
    }

    #[test]
    fn passwords_the_stock_tool_cannot_read_are_refused() {
        let sk = SecretKey::generate().unwrap();
        let refused = |pw: &[u8]| match sk.to_encrypted_key_file(pw, CHEAP) {
            Err(SignError::InvalidPassword { problem }) => problem,
            other => panic!("{other:?}"),
        };
        assert_eq!(refused(b""), PasswordProblem::Empty);
        assert_eq!(refused(b"a\nb"), PasswordProblem::ControlCharacter);
        assert_eq!(refused(b"a\r"), PasswordProblem::ControlCharacter);
        assert_eq!(refused(b"a\0"), PasswordProblem::ControlCharacter);
        assert_eq!(
            refused(&[b'x'; 1024]),
            PasswordProblem::TooLong {
                length: 1024,
                max: 1023
            }
        );
        assert!(sk.to_encrypted_key_file(&[b'x'; 1023], CHEAP).is_ok());
        assert!(
            sk.to_encrypted_key_file("密码 with spaces".as_bytes(), CHEAP)
                .is_ok()
        );
    }

    #[test]
    fn rejects_an_inconsistent_key() {
        let mut raw = raw_secret(STOCK_SK);
        raw[SK_KEY + 40] ^= 1;
        assert!(matches!(
            SecretKey::parse(&secret_text(&raw)),
            Err(SignError::InconsistentSecretKey { .. })
        ));
        raw[SK_KEY + 40] ^= 1;
        raw[SK_KEY] ^= 1;
        assert!(matches!(
            SecretKey::parse(&secret_text(&raw)),
            Err(SignError::InconsistentSecretKey { .. })
        ));
    }

    #[test]
    fn rejects_encrypted_and_unknown_tags() {
        let mut raw = raw_secret(STOCK_SK);
        raw[SK_KDF..SK_KDF + 2].copy_from_slice(b"Sc");
        assert_eq!(
            SecretKey::parse(&secret_text(&raw)).unwrap_err(),
            SignError::EncryptedSecretKey
        );
        raw[SK_KDF..SK_KDF + 2].copy_from_slice(b"Ar");
        assert_eq!(
            SecretKey::parse(&secret_text(&raw)).unwrap_err(),
            SignError::UnknownKdf { found: *b"Ar" }
        );
        raw[SK_KDF..SK_KDF + 2].copy_from_slice(&[0, 0]);
        raw[SK_CHK_ALG] = b'S';
        assert_eq!(
            SecretKey::parse(&secret_text(&raw)).unwrap_err(),
            SignError::UnknownChecksum { found: *b"S2" }
        );
        raw[SK_CHK_ALG] = b'B';
        raw[1] = b'D';
        assert_eq!(
            SecretKey::parse(&secret_text(&raw)).unwrap_err(),
            SignError::UnknownAlgorithm {
                field: Field::SecretKey,
                found: *b"ED"
            }
        );
        assert_eq!(
            SecretKey::parse(&secret_text(&raw[..100])).unwrap_err(),
            SignError::WrongLength {
                field: Field::SecretKey,
                expected: SECRET_KEY_LEN,
                found: 100
            }
        );
    }

    #[test]
    fn secret_key_file_structure_errors() {
        assert_eq!(
            SecretKey::parse("").unwrap_err(),
            SignError::MissingLine {
                line: 1,
                field: Field::UntrustedComment
            }
        );
        assert!(matches!(
            SecretKey::parse("comment\nAAAA\n"),
            Err(SignError::MissingPrefix { line: 1, .. })
        ));
        let mut text = SecretKey::generate().unwrap().to_key_file().to_string();
        text.push_str("\nmore\n");
        assert_eq!(
            SecretKey::parse(&text).unwrap_err(),
            SignError::ExtraLine {
                line: 4,
                file: Field::SecretKey
            }
        );
    }

    #[test]
    fn debug_hides_the_secret() {
        let sk = SecretKey::from_seed(KeyId([9; 8]), &[0x42; 32]);
        let shown = format!("{sk:?}");
        assert_eq!(
            shown,
            "SecretKey { key_id: KeyId(0909090909090909), key: <redacted> }"
        );
        assert!(!shown.contains("42"));
    }

    #[test]
    fn zeroize_clears_the_key() {
        let mut sk = SecretKey::from_seed(KeyId([9; 8]), &[0x42; 32]);
        sk.zeroize();
        assert_eq!(sk.signing.as_bytes(), &[0u8; 32]);
        assert_eq!(sk.key_id(), KeyId([0; 8]));
    }

    #[test]
    fn public_key_forms() {
        let pk = PublicKey::parse(STOCK_PK).unwrap();
        let bare = pk.to_base64();
        assert_eq!(PublicKey::parse(&format!("  {bare}\n\n")).unwrap(), pk);
        assert_eq!(PublicKey::parse(&format!("{STOCK_PK}\n  \n")).unwrap(), pk);
        assert_eq!(
            PublicKey::parse(&format!("{STOCK_PK}x\n")).unwrap_err(),
            SignError::ExtraLine {
                line: 3,
                file: Field::PublicKey
            }
        );
        assert!(matches!(
            PublicKey::parse(&format!("comment\n{bare}\n")),
            Err(SignError::MissingPrefix { line: 1, .. })
        ));
        assert_eq!(
            PublicKey::parse("untrusted comment: x\n").unwrap_err(),
            SignError::MissingLine {
                line: 2,
                field: Field::PublicKey
            }
        );
        assert_eq!(
            PublicKey::parse(" \n").unwrap_err(),
            SignError::MissingLine {
                line: 1,
                field: Field::PublicKey
            }
        );
        assert!(matches!(
            PublicKey::parse("\n\n!!!!\n"),
            Err(SignError::Base64 { line: 3, .. })
        ));
    }

    #[test]
    fn public_key_rejects_other_algorithms_and_bad_points() {
        let pk = PublicKey::parse(STOCK_PK).unwrap();
        let mut raw = [0u8; PUBLIC_KEY_LEN];
        raw[..2].copy_from_slice(b"ED");
        raw[2..10].copy_from_slice(&pk.key_id().0);
        raw[10..].copy_from_slice(pk.as_bytes());
        let mut text = String::new();
        encode_into(&raw, &mut text);
        assert_eq!(
            PublicKey::parse(&text).unwrap_err(),
            SignError::UnknownAlgorithm {
                field: Field::PublicKey,
                found: *b"ED"
            }
        );
        // y = 2 is not on the curve.
        raw[..2].copy_from_slice(b"Ed");
        raw[10..].fill(0);
        raw[10] = 2;
        let mut text = String::new();
        encode_into(&raw, &mut text);
        assert_eq!(
            PublicKey::parse(&text).unwrap_err(),
            SignError::InvalidPublicKey {
                key_id: pk.key_id()
            }
        );
    }
}
