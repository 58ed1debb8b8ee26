//! Detached signatures in minisign's `.minisig` format.

use std::fmt;
use std::str::FromStr;

use super::keys::ALG_ED25519;
use super::text::{
    TRUSTED_PREFIX, UNTRUSTED_PREFIX, check_comment, decode_exact, encode_into, encoded_len, line,
    no_extra_lines, split_lines, strip_prefix,
};
use super::{
    CommentKind, Field, KeyId, SignError, TRUSTED_COMMENT_MAX_BYTES, UNTRUSTED_COMMENT_MAX_BYTES,
};

/// minisign's tag for prehashed signatures: Ed25519 over BLAKE2b-512 of the file.
const ALG_PREHASHED: [u8; 2] = *b"ED";
/// Length of the decoded signature line: algorithm, key id, Ed25519 signature.
const SIG_LEN: usize = 2 + 8 + 64;

/// How the message signature of a minisign signature was computed.
///
/// This library writes only [`SignatureAlgorithm::Ed25519Prehashed`], what current minisign
/// writes by default; it verifies [`SignatureAlgorithm::Ed25519Legacy`] as well because older minisign
/// versions (and `minisign -S -l`) write it.
///
/// ```
/// use double_random::sign::{sign, SecretKey, SignatureAlgorithm};
///
/// let sk = SecretKey::generate()?;
/// assert_eq!(sign(&sk, b"m", "", "")?.algorithm(), SignatureAlgorithm::Ed25519Prehashed);
/// # Ok::<(), double_random::sign::SignError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// `ED`: Ed25519 over the BLAKE2b-512 hash of the message.
    Ed25519Prehashed,
    /// `Ed`: Ed25519 over the message itself (legacy minisign).
    Ed25519Legacy,
}

impl SignatureAlgorithm {
    fn tag(self) -> [u8; 2] {
        match self {
            SignatureAlgorithm::Ed25519Prehashed => ALG_PREHASHED,
            SignatureAlgorithm::Ed25519Legacy => ALG_ED25519,
        }
    }
}

/// A detached signature in minisign's format (the `.minisig` file).
///
/// Four lines: the untrusted comment, the base64 of algorithm, key id and the Ed25519 signature
/// of the message, the trusted comment, and the base64 of the global signature (Ed25519 over the
/// message signature followed by the trusted comment). Make one with [`sign`](super::sign()),
/// check it with [`verify`](super::verify()); `to_minisig` and `parse` convert to and from the
/// file text, which the stock `minisign -V` accepts.
///
/// ```
/// use double_random::sign::{sign, verify, SecretKey, Signature};
///
/// let sk = SecretKey::generate()?;
/// let text = sign(&sk, b"sheet", "draw:7", "signed by the office")?.to_minisig();
/// let sig = Signature::parse(&text)?;
/// assert_eq!(sig.untrusted_comment(), "signed by the office");
/// verify(&sk.public_key(), b"sheet", &sig)?;
/// # Ok::<(), double_random::sign::SignError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Signature {
    algorithm: SignatureAlgorithm,
    key_id: KeyId,
    signature: [u8; 64],
    untrusted_comment: String,
    trusted_comment: String,
    global_signature: [u8; 64],
}

impl Signature {
    /// Assembles a signature; the comments must already have been checked.
    pub(crate) fn from_parts(
        algorithm: SignatureAlgorithm,
        key_id: KeyId,
        signature: [u8; 64],
        untrusted_comment: String,
        trusted_comment: String,
        global_signature: [u8; 64],
    ) -> Signature {
        Signature {
            algorithm,
            key_id,
            signature,
            untrusted_comment,
            trusted_comment,
            global_signature,
        }
    }

    /// The raw Ed25519 signature of the message (or of its hash).
    pub(crate) fn message_signature(&self) -> &[u8; 64] {
        &self.signature
    }

    /// The raw Ed25519 signature of the message signature and the trusted comment.
    pub(crate) fn global_signature(&self) -> &[u8; 64] {
        &self.global_signature
    }

    /// How the message was signed.
    ///
    /// ```
    /// use double_random::sign::{sign, SecretKey, SignatureAlgorithm};
    ///
    /// let sig = sign(&SecretKey::generate()?, b"m", "", "")?;
    /// assert_eq!(sig.algorithm(), SignatureAlgorithm::Ed25519Prehashed);
    /// # Ok::<(), double_random::sign::SignError>(())
    /// ```
    #[must_use]
    pub fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    /// The key id the signature claims; pick the public key by it.
    ///
    /// ```
    /// use double_random::sign::{sign, SecretKey};
    ///
    /// let sk = SecretKey::generate()?;
    /// assert_eq!(sign(&sk, b"m", "", "")?.key_id(), sk.key_id());
    /// # Ok::<(), double_random::sign::SignError>(())
    /// ```
    #[must_use]
    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    /// The untrusted comment: free text that anyone can change without breaking the signature.
    ///
    /// ```
    /// use double_random::sign::{sign, SecretKey};
    ///
    /// let sig = sign(&SecretKey::generate()?, b"m", "", "hello")?;
    /// assert_eq!(sig.untrusted_comment(), "hello");
    /// # Ok::<(), double_random::sign::SignError>(())
    /// ```
    #[must_use]
    pub fn untrusted_comment(&self) -> &str {
        &self.untrusted_comment
    }

    /// The trusted comment as written in the file. It is authenticated only once
    /// [`verify`](super::verify()) succeeds; use the comment it returns.
    ///
    /// ```
    /// use double_random::sign::{sign, SecretKey};
    ///
    /// let sig = sign(&SecretKey::generate()?, b"m", "draw:7", "")?;
    /// assert_eq!(sig.trusted_comment(), "draw:7");
    /// # Ok::<(), double_random::sign::SignError>(())
    /// ```
    #[must_use]
    pub fn trusted_comment(&self) -> &str {
        &self.trusted_comment
    }

    /// The text of the `.minisig` file, ending in a newline.
    ///
    /// ```
    /// use double_random::sign::{sign, KeyId, SecretKey};
    ///
    /// let sk = SecretKey::from_seed(KeyId([0; 8]), &[1; 32]);
    /// let text = sign(&sk, b"m", "draw:7", "note")?.to_minisig();
    /// let lines: Vec<&str> = text.lines().collect();
    /// assert_eq!(lines[0], "untrusted comment: note");
    /// assert!(lines[1].starts_with("RUQAAAAAAAAA")); // base64 of "ED" and the key id
    /// assert_eq!(lines[2], "trusted comment: draw:7");
    /// assert_eq!(lines.len(), 4);
    /// # Ok::<(), double_random::sign::SignError>(())
    /// ```
    #[must_use]
    pub fn to_minisig(&self) -> String {
        let mut raw = [0u8; SIG_LEN];
        raw[..2].copy_from_slice(&self.algorithm.tag());
        raw[2..10].copy_from_slice(&self.key_id.0);
        raw[10..].copy_from_slice(&self.signature);
        let mut out = String::with_capacity(
            UNTRUSTED_PREFIX.len()
                + self.untrusted_comment.len()
                + TRUSTED_PREFIX.len()
                + self.trusted_comment.len()
                + encoded_len(SIG_LEN)
                + encoded_len(64)
                + 4,
        );
        out.push_str(UNTRUSTED_PREFIX);
        out.push_str(&self.untrusted_comment);
        out.push('\n');
        encode_into(&raw, &mut out);
        out.push('\n');
        out.push_str(TRUSTED_PREFIX);
        out.push_str(&self.trusted_comment);
        out.push('\n');
        encode_into(&self.global_signature, &mut out);
        out.push('\n');
        out
    }

    /// Reads a `.minisig` file.
    ///
    /// Reads what the stock tool reads: `\n` or `\r\n` line ends, standard padded base64, the
    /// `ED` and `Ed` algorithms, comments within the tool's length limits. Blank lines after the
    /// fourth line are ignored; any other text there is an error. Parsing checks the form only:
    /// call [`verify`](super::verify()) to check the signatures.
    ///
    /// ```
    /// use double_random::sign::{Field, Signature, SignError};
    ///
    /// let err = Signature::parse("untrusted comment: x\n").unwrap_err();
    /// assert_eq!(err, SignError::MissingLine { line: 2, field: Field::Signature });
    /// ```
    pub fn parse(text: &str) -> Result<Signature, SignError> {
        let lines = split_lines(text);

        let first = line(&lines, 0, Field::UntrustedComment)?;
        let untrusted = strip_prefix(first, UNTRUSTED_PREFIX, 0, Field::UntrustedComment)?;
        check_comment(
            untrusted,
            CommentKind::Untrusted,
            UNTRUSTED_COMMENT_MAX_BYTES,
        )?;

        let raw: [u8; SIG_LEN] =
            decode_exact(line(&lines, 1, Field::Signature)?, 1, Field::Signature)?;
        let algorithm = match [raw[0], raw[1]] {
            ALG_PREHASHED => SignatureAlgorithm::Ed25519Prehashed,
            ALG_ED25519 => SignatureAlgorithm::Ed25519Legacy,
            found => {
                return Err(SignError::UnknownAlgorithm {
                    field: Field::Signature,
                    found,
                });
            }
        };
        let mut key_id = [0u8; 8];
        key_id.copy_from_slice(&raw[2..10]);
        let mut signature = [0u8; 64];
        signature.copy_from_slice(&raw[10..]);

        let third = line(&lines, 2, Field::TrustedComment)?;
        let trusted = strip_prefix(third, TRUSTED_PREFIX, 2, Field::TrustedComment)?;
        check_comment(trusted, CommentKind::Trusted, TRUSTED_COMMENT_MAX_BYTES)?;

        let global_signature: [u8; 64] = decode_exact(
            line(&lines, 3, Field::GlobalSignature)?,
            3,
            Field::GlobalSignature,
        )?;
        no_extra_lines(&lines, 4, Field::Signature)?;

        Ok(Signature::from_parts(
            algorithm,
            KeyId(key_id),
            signature,
            untrusted.to_owned(),
            trusted.to_owned(),
            global_signature,
        ))
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signature")
            .field("algorithm", &self.algorithm)
            .field("key_id", &self.key_id)
            .field(
                "signature",
                &format_args!("{}", hex::encode(self.signature)),
            )
            .field("untrusted_comment", &self.untrusted_comment)
            .field("trusted_comment", &self.trusted_comment)
            .field(
                "global_signature",
                &format_args!("{}", hex::encode(self.global_signature)),
            )
            .finish()
    }
}

impl FromStr for Signature {
    type Err = SignError;

    fn from_str(s: &str) -> Result<Signature, SignError> {
        Signature::parse(s)
    }
}
