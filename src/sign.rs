//! Signatures on announcements, sheets and amendments: Ed25519 in minisign's format.
//!
//! An office signs what it publishes so that anyone can tell it is genuine and unchanged. The
//! signatures are detached [minisign] signatures, so an auditor can check a sheet with the stock
//! tool alone:
//!
//! ```text
//! minisign -Vm sheet.json -p office.pub
//! ```
//!
//! Each signature carries a one-line *trusted comment* that is signed with the file; this
//! library puts the draw id and the file's digest there in the tab-separated `key:value`
//! convention ([`TrustedComment`]), and `minisign -V` prints it.
//!
//! Everything here is pure: text and bytes in, text and bytes out. Reading and writing files is
//! the job of the layer above.
//!
//! # Formats
//!
//! All three files are those of minisign 0.11 (base64 is standard and padded; key ids are shown
//! as upper-case hexadecimal of the little-endian `u64`, see [`KeyId`]):
//!
//! ```text
//! public key   untrusted comment: minisign public key <KEYID>
//!              base64("Ed" | key_id[8] | public_key[32])
//!
//! secret key   untrusted comment: <text>
//!              base64("Ed" | kdf[2] | "B2" | salt[32] | opslimit[8] | memlimit[8]
//!                     | key_id[8] | seed[32] | public_key[32] | checksum[32])
//!              checksum = BLAKE2b-256("Ed" | key_id | seed | public_key)
//!              encrypted (kdf "Sc", what `minisign -G` writes): the last 104 bytes are XORed
//!               with scrypt(password, salt, N, r, p) where libsodium's mapping turns the
//!               little-endian opslimit and memlimit into N, r, p (see KdfLimits);
//!              unencrypted (kdf 0x0000, `minisign -G -W`): salt and limits unused,
//!               checksum may be all zero
//!
//! signature    untrusted comment: <text, not signed>
//!              base64("ED" | key_id[8] | Ed25519(BLAKE2b-512(message)))
//!              trusted comment: <one line, signed>
//!              base64(Ed25519(message_signature[64] | trusted_comment))
//! ```
//!
//! Signatures are always written prehashed (`ED`); legacy `Ed` signatures, which sign the
//! message itself, are verified too. Ed25519 verification is strict (`verify_strict`: no
//! small-order keys or `R`, canonical `S`), close to what libsodium, and so the stock tool,
//! accepts.
//!
//! # A second scheme
//!
//! The rest of the library signs and verifies through [`SignatureScheme`], implemented here by
//! [`Ed25519Minisign`]. A 国密 scheme (SM2 with SM3) can be added as a second implementation
//! without touching its callers.
//!
//! # Example
//!
//! ```
//! use double_random::sign::{sign, verify, PublicKey, SecretKey, Signature, TrustedComment};
//!
//! let sk = SecretKey::generate()?;
//! let published_key = sk.public_key().to_minisign();
//!
//! let sheet = br#"{"draw":"2025-017"}"#;
//! let comment = TrustedComment::new()
//!     .with("draw", "2025-017")?
//!     .with("file", "sheet.json")?;
//! let minisig = sign(&sk, sheet, &comment.to_string(), "double-random result sheet")?.to_minisig();
//!
//! // An auditor, holding only the published texts:
//! let pk = PublicKey::parse(&published_key)?;
//! let checked = verify(&pk, sheet, &Signature::parse(&minisig)?)?;
//! assert_eq!(checked.fields()?.get("draw"), Some("2025-017"));
//! # Ok::<(), double_random::sign::SignError>(())
//! ```
//!
//! [minisign]: https://jedisct1.github.io/minisign/

use blake2::{Blake2b512, Digest as _};
use ed25519_dalek::Signer as _;
use zeroize::Zeroizing;

mod comment;
mod error;
mod kdf;
mod keys;
mod signature;
mod text;

#[cfg(test)]
mod tests;

pub use comment::{TrustedComment, VerifiedComment};
pub use error::{CommentKind, Field, PasswordProblem, SignError};
pub use kdf::{KdfLimits, MAX_KDF_MEMORY, ScryptCost};
pub use keys::{KeyId, MAX_PASSWORD_BYTES, PublicKey, SecretKey};
pub use signature::{Signature, SignatureAlgorithm};

/// The longest trusted comment, in bytes, that the stock `minisign` tool reads back.
///
/// minisign reads the line into an 8192-byte buffer that also holds `trusted comment: `, the
/// newline and a NUL. (`minisign -S` itself refuses comments above 4077 bytes, but verifies
/// longer ones.)
///
/// ```
/// use double_random::sign::{sign, SecretKey, SignError, TRUSTED_COMMENT_MAX_BYTES};
///
/// let sk = SecretKey::generate()?;
/// let long = "x".repeat(TRUSTED_COMMENT_MAX_BYTES + 1);
/// assert!(matches!(sign(&sk, b"m", &long, ""), Err(SignError::CommentTooLong { .. })));
/// # Ok::<(), SignError>(())
/// ```
pub const TRUSTED_COMMENT_MAX_BYTES: usize = 8192 - "trusted comment: ".len() - 2;

/// The longest untrusted comment, in bytes, that the stock `minisign` tool reads back.
///
/// minisign reads the line into a 1024-byte buffer that also holds `untrusted comment: `, the
/// newline and a NUL.
///
/// ```
/// use double_random::sign::UNTRUSTED_COMMENT_MAX_BYTES;
///
/// assert_eq!(UNTRUSTED_COMMENT_MAX_BYTES, 1003);
/// ```
pub const UNTRUSTED_COMMENT_MAX_BYTES: usize = 1024 - "untrusted comment: ".len() - 2;

/// Signs `message` in minisign's prehashed format.
///
/// `trusted_comment` is signed together with the message (use [`TrustedComment`] to build it);
/// `untrusted_comment` is not signed. Both must be single lines without NUL and within
/// [`TRUSTED_COMMENT_MAX_BYTES`] and [`UNTRUSTED_COMMENT_MAX_BYTES`], so that the stock tool can
/// read the result. Signing is deterministic: the same key, message and comments give the same
/// signature.
///
/// ```
/// use double_random::sign::{sign, SecretKey, SignError, CommentKind};
///
/// let sk = SecretKey::generate()?;
/// let sig = sign(&sk, b"sheet", "draw:7", "")?;
/// assert_eq!(sig, sign(&sk, b"sheet", "draw:7", "")?);
/// assert_eq!(
///     sign(&sk, b"sheet", "draw:7\nforged", ""),
///     Err(SignError::CommentLineBreak { comment: CommentKind::Trusted })
/// );
/// # Ok::<(), SignError>(())
/// ```
pub fn sign(
    secret_key: &SecretKey,
    message: &[u8],
    trusted_comment: &str,
    untrusted_comment: &str,
) -> Result<Signature, SignError> {
    text::check_comment(
        trusted_comment,
        CommentKind::Trusted,
        TRUSTED_COMMENT_MAX_BYTES,
    )?;
    text::check_comment(
        untrusted_comment,
        CommentKind::Untrusted,
        UNTRUSTED_COMMENT_MAX_BYTES,
    )?;
    let key = secret_key.signing_key();
    let signature = key.sign(&prehash(message)).to_bytes();
    let global = key
        .sign(&global_message(&signature, trusted_comment))
        .to_bytes();
    Ok(Signature::from_parts(
        SignatureAlgorithm::Ed25519Prehashed,
        secret_key.key_id(),
        signature,
        untrusted_comment.to_owned(),
        trusted_comment.to_owned(),
        global,
    ))
}

/// Verifies a minisign signature of `message` and returns the authenticated trusted comment.
///
/// Checks, in this order, that the signature's key id is the public key's, that the signature
/// over the message holds (prehashed `ED` or legacy `Ed`), and that the global signature over
/// the message signature and the trusted comment holds. Each failure has its own error.
///
/// ```
/// use double_random::sign::{sign, verify, SecretKey, SignError};
///
/// let sk = SecretKey::generate()?;
/// let sig = sign(&sk, b"sheet", "draw:7", "")?;
/// assert_eq!(verify(&sk.public_key(), b"sheet", &sig)?.trusted_comment(), "draw:7");
/// assert!(matches!(verify(&sk.public_key(), b"sheeT", &sig), Err(SignError::BadSignature { .. })));
/// let other = SecretKey::generate()?.public_key();
/// assert!(matches!(verify(&other, b"sheet", &sig), Err(SignError::KeyIdMismatch { .. })));
/// # Ok::<(), SignError>(())
/// ```
pub fn verify(
    public_key: &PublicKey,
    message: &[u8],
    signature: &Signature,
) -> Result<VerifiedComment, SignError> {
    let key_id = public_key.key_id();
    if signature.key_id() != key_id {
        return Err(SignError::KeyIdMismatch {
            signature: signature.key_id(),
            public_key: key_id,
        });
    }
    let key = public_key.verifying_key();
    let message_signature = ed25519_dalek::Signature::from_bytes(signature.message_signature());
    let checked = match signature.algorithm() {
        SignatureAlgorithm::Ed25519Prehashed => {
            key.verify_strict(&prehash(message), &message_signature)
        }
        SignatureAlgorithm::Ed25519Legacy => key.verify_strict(message, &message_signature),
    };
    checked.map_err(|_| SignError::BadSignature { key_id })?;

    let global = ed25519_dalek::Signature::from_bytes(signature.global_signature());
    key.verify_strict(
        &global_message(signature.message_signature(), signature.trusted_comment()),
        &global,
    )
    .map_err(|_| SignError::BadGlobalSignature { key_id })?;

    Ok(VerifiedComment::new(
        key_id,
        signature.algorithm(),
        signature.trusted_comment().to_owned(),
    ))
}

/// BLAKE2b-512 of the message: what a prehashed (`ED`) signature signs.
fn prehash(message: &[u8]) -> [u8; 64] {
    Blake2b512::digest(message).into()
}

/// The message signature followed by the trusted comment: what the global signature signs.
fn global_message(signature: &[u8; 64], trusted_comment: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + trusted_comment.len());
    out.extend_from_slice(signature);
    out.extend_from_slice(trusted_comment.as_bytes());
    out
}

/// A way of signing published files, so that a second scheme (SM2) can be added beside Ed25519.
///
/// Code that signs or verifies published files goes through this trait: it creates and stores
/// keys, signs a file's bytes with a one-line trusted comment and turns keys and signatures into
/// text, without knowing the algorithm. Each scheme chooses its own key, signature and text formats; all
/// share [`SignError`] and return a [`VerifiedComment`].
///
/// ```
/// use double_random::sign::{Ed25519Minisign, SignatureScheme, SignError};
///
/// fn sign_and_check<S: SignatureScheme>(file: &[u8]) -> Result<String, SignError> {
///     let sk = S::generate()?;
///     let pk_text = S::public_key_to_text(&S::public_key(&sk));
///     let sig_text = S::signature_to_text(&S::sign(&sk, file, "file:sheet.json", "")?);
///     // later, elsewhere:
///     let pk = S::public_key_from_text(&pk_text)?;
///     let sig = S::signature_from_text(&sig_text)?;
///     Ok(S::verify(&pk, file, &sig)?.into_trusted_comment())
/// }
/// assert_eq!(sign_and_check::<Ed25519Minisign>(b"{}")?, "file:sheet.json");
/// # Ok::<(), SignError>(())
/// ```
pub trait SignatureScheme {
    /// A stable name for the scheme, to record next to keys and signatures.
    const NAME: &'static str;
    /// The secret key; it should wipe itself when dropped.
    type SecretKey;
    /// The public key.
    type PublicKey;
    /// A detached signature with its trusted comment.
    type Signature;

    /// Generates a new secret key from the operating system's random generator.
    #[cfg(feature = "os-random")]
    fn generate() -> Result<Self::SecretKey, SignError>;
    /// The public key of a secret key.
    fn public_key(secret_key: &Self::SecretKey) -> Self::PublicKey;
    /// Signs `message` with a one-line trusted (signed) and untrusted (unsigned) comment.
    fn sign(
        secret_key: &Self::SecretKey,
        message: &[u8],
        trusted_comment: &str,
        untrusted_comment: &str,
    ) -> Result<Self::Signature, SignError>;
    /// Verifies a signature of `message`, returning what it authenticates.
    fn verify(
        public_key: &Self::PublicKey,
        message: &[u8],
        signature: &Self::Signature,
    ) -> Result<VerifiedComment, SignError>;

    /// The secret-key file's text, wiped from memory when dropped.
    fn secret_key_to_text(secret_key: &Self::SecretKey) -> Zeroizing<String>;
    /// Reads a secret-key file.
    fn secret_key_from_text(text: &str) -> Result<Self::SecretKey, SignError>;
    /// The public-key file's text.
    fn public_key_to_text(public_key: &Self::PublicKey) -> String;
    /// Reads a public-key file.
    fn public_key_from_text(text: &str) -> Result<Self::PublicKey, SignError>;
    /// The signature file's text.
    fn signature_to_text(signature: &Self::Signature) -> String;
    /// Reads a signature file.
    fn signature_from_text(text: &str) -> Result<Self::Signature, SignError>;
}

/// Ed25519 signatures in minisign's formats: the scheme every office can check with stock tools.
///
/// A zero-sized marker that implements [`SignatureScheme`] with this module's [`SecretKey`],
/// [`PublicKey`] and [`Signature`].
///
/// ```
/// use double_random::sign::{Ed25519Minisign, SignatureScheme};
///
/// assert_eq!(Ed25519Minisign::NAME, "ed25519-minisign");
/// let sk = Ed25519Minisign::generate()?;
/// let text = Ed25519Minisign::public_key_to_text(&Ed25519Minisign::public_key(&sk));
/// assert!(text.starts_with("untrusted comment: minisign public key "));
/// # Ok::<(), double_random::sign::SignError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Ed25519Minisign;

impl SignatureScheme for Ed25519Minisign {
    const NAME: &'static str = "ed25519-minisign";
    type SecretKey = SecretKey;
    type PublicKey = PublicKey;
    type Signature = Signature;

    #[cfg(feature = "os-random")]
    fn generate() -> Result<SecretKey, SignError> {
        SecretKey::generate()
    }

    fn public_key(secret_key: &SecretKey) -> PublicKey {
        secret_key.public_key()
    }

    fn sign(
        secret_key: &SecretKey,
        message: &[u8],
        trusted_comment: &str,
        untrusted_comment: &str,
    ) -> Result<Signature, SignError> {
        sign(secret_key, message, trusted_comment, untrusted_comment)
    }

    fn verify(
        public_key: &PublicKey,
        message: &[u8],
        signature: &Signature,
    ) -> Result<VerifiedComment, SignError> {
        verify(public_key, message, signature)
    }

    fn secret_key_to_text(secret_key: &SecretKey) -> Zeroizing<String> {
        secret_key.to_key_file()
    }

    fn secret_key_from_text(text: &str) -> Result<SecretKey, SignError> {
        SecretKey::parse(text)
    }

    fn public_key_to_text(public_key: &PublicKey) -> String {
        public_key.to_minisign()
    }

    fn public_key_from_text(text: &str) -> Result<PublicKey, SignError> {
        PublicKey::parse(text)
    }

    fn signature_to_text(signature: &Signature) -> String {
        signature.to_minisig()
    }

    fn signature_from_text(text: &str) -> Result<Signature, SignError> {
        Signature::parse(text)
    }
}
