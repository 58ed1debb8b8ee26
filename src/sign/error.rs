//! The error type of the signature layer and the small enums it uses to say where a problem is.

use std::fmt;

use super::KeyId;

/// Everything that can go wrong while creating, reading or checking keys and signatures.
///
/// Each variant names the part of the file and, where the input is text, the line. The enum is
/// flat (in the style of `minisign-verify`) so that a verifier can report exactly what failed;
/// it is `#[non_exhaustive]` because a second signature scheme will add cases.
///
/// ```
/// use double_random::sign::{Field, PublicKey, SignError};
///
/// let err = PublicKey::parse("untrusted comment: x\nnot base64!\n").unwrap_err();
/// assert!(matches!(err, SignError::Base64 { line: 2, field: Field::PublicKey, .. }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The text ended before a required line.
    #[error("line {line}: the {field} line is missing")]
    MissingLine {
        /// 1-based number of the line that was expected.
        line: usize,
        /// What that line should have held.
        field: Field,
    },
    /// A non-blank line follows the last line of the format.
    #[error("line {line}: unexpected text after the end of the {file}")]
    ExtraLine {
        /// 1-based number of the first unexpected line.
        line: usize,
        /// Which kind of file was being read.
        file: Field,
    },
    /// A comment line does not start with the prefix the format requires.
    #[error("line {line}: the {field} line must start with {prefix:?}")]
    MissingPrefix {
        /// 1-based line number.
        line: usize,
        /// What the line should have held.
        field: Field,
        /// The required prefix, for example `"trusted comment: "`.
        prefix: &'static str,
    },
    /// A line that must be standard, padded base64 is not.
    #[error("line {line}: the {field} is not valid base64")]
    Base64 {
        /// 1-based line number.
        line: usize,
        /// What the line should have held.
        field: Field,
    },
    /// A decoded value has the wrong number of bytes.
    #[error("the {field} has {found} bytes, expected {expected}")]
    WrongLength {
        /// What was decoded.
        field: Field,
        /// The length the format requires.
        expected: usize,
        /// The length found.
        found: usize,
    },
    /// The two-byte algorithm tag is not one this library knows.
    #[error("the {field} uses the unknown algorithm \"{}\"", .found.escape_ascii())]
    UnknownAlgorithm {
        /// Where the tag was found.
        field: Field,
        /// The tag as found (minisign writes `Ed` or `ED`).
        found: [u8; 2],
    },
    /// The secret key is protected by a password (scrypt) and was read without one: read it
    /// with [`SecretKey::parse_with_password`](super::SecretKey::parse_with_password).
    #[error("the secret key is encrypted with a password; a password is needed to use it")]
    EncryptedSecretKey,
    /// The password does not open the encrypted secret key: the checksum of the decrypted key
    /// does not match.
    ///
    /// (A damaged key file looks the same after decryption; the key id is encrypted too, so it
    /// cannot be named.)
    #[error("wrong password for the secret key (or the key file is damaged)")]
    WrongPassword,
    /// The password cannot protect a key: it is empty, or the stock tool could not read it back.
    #[error("the password cannot be used: {problem}")]
    InvalidPassword {
        /// What is wrong with it.
        problem: PasswordProblem,
    },
    /// The scrypt limits stored in an encrypted secret key ask for more memory or work than this
    /// library spends, or for parameters scrypt cannot run.
    #[error(
        "the secret key's scrypt limits (opslimit {opslimit}, memlimit {memlimit}) are refused: at most {max_memory} bytes of memory and eight times the stock tool's work are spent"
    )]
    KdfLimits {
        /// libsodium's operations budget as stored.
        opslimit: u64,
        /// libsodium's memory budget as stored.
        memlimit: u64,
        /// The most memory this library spends, in bytes.
        max_memory: u64,
    },
    /// The secret key names a key derivation function other than none or scrypt.
    #[error("the secret key uses the unknown key derivation function \"{}\"", .found.escape_ascii())]
    UnknownKdf {
        /// The tag as found.
        found: [u8; 2],
    },
    /// The secret key names a checksum function other than BLAKE2b (`B2`).
    #[error("the secret key uses the unknown checksum function \"{}\"", .found.escape_ascii())]
    UnknownChecksum {
        /// The tag as found.
        found: [u8; 2],
    },
    /// The BLAKE2b-256 checksum stored in the secret key does not match its contents.
    #[error("the checksum of secret key {key_id} does not match: the key file is damaged")]
    BadChecksum {
        /// The key id stored in the file.
        key_id: KeyId,
    },
    /// The public half stored inside the secret key does not belong to its private half.
    #[error("secret key {key_id} is inconsistent: its stored public key does not match its seed")]
    InconsistentSecretKey {
        /// The key id stored in the file.
        key_id: KeyId,
    },
    /// The 32 public-key bytes are not a valid Ed25519 point.
    #[error("public key {key_id} is not a valid Ed25519 key")]
    InvalidPublicKey {
        /// The key id stored with the key.
        key_id: KeyId,
    },
    /// The signature was made with another key than the public key offered.
    #[error("the signature was made by key {signature}, but the public key is {public_key}")]
    KeyIdMismatch {
        /// Key id written in the signature.
        signature: KeyId,
        /// Key id of the public key used to verify.
        public_key: KeyId,
    },
    /// The signature over the message does not verify: the file or the signature was changed.
    #[error("the signature by key {key_id} does not match the message")]
    BadSignature {
        /// Key id of the signer.
        key_id: KeyId,
    },
    /// The global signature over the trusted comment does not verify: the comment was changed.
    #[error("the signature by key {key_id} over the trusted comment does not verify")]
    BadGlobalSignature {
        /// Key id of the signer.
        key_id: KeyId,
    },
    /// A comment contains a line break, which would split it over lines.
    #[error("the {comment} contains a line break")]
    CommentLineBreak {
        /// Which comment.
        comment: CommentKind,
    },
    /// A comment contains a NUL byte, which the stock tool would cut the comment at.
    #[error("the {comment} contains a NUL character")]
    CommentNul {
        /// Which comment.
        comment: CommentKind,
    },
    /// A comment is longer than the stock `minisign` tool can read back.
    #[error("the {comment} has {length} bytes; at most {max} are allowed")]
    CommentTooLong {
        /// Which comment.
        comment: CommentKind,
        /// Its length in bytes.
        length: usize,
        /// The limit in bytes.
        max: usize,
    },
    /// A key of the `key:value` trusted-comment convention is empty or holds a separator.
    #[error(
        "{key:?} is not a valid trusted-comment key (non-empty, no ':', tab, line break or NUL)"
    )]
    InvalidFieldKey {
        /// The rejected key.
        key: String,
    },
    /// A value of the `key:value` convention holds a tab, a line break or a NUL.
    #[error(
        "the value of trusted-comment field {key:?} contains the forbidden character {found:?}"
    )]
    InvalidFieldValue {
        /// The field's key.
        key: String,
        /// The forbidden character.
        found: char,
    },
    /// A tab-separated part of a trusted comment has no `:`.
    #[error("the trusted-comment field {field:?} has no ':' between key and value")]
    FieldWithoutColon {
        /// The part as found.
        field: String,
    },
    /// The same key appears twice in a trusted comment.
    #[error("the trusted-comment key {key:?} appears more than once")]
    DuplicateField {
        /// The repeated key.
        key: String,
    },
    /// A key id written as text is not 16 hexadecimal digits.
    #[error("{found:?} is not a key id (16 hexadecimal digits)")]
    InvalidKeyId {
        /// The text as found (cut to 32 characters).
        found: String,
    },
    /// The operating system's random generator failed.
    #[error("{0}")]
    Random(crate::OsRandomError),
}

/// Why a password cannot protect a secret key.
///
/// The stock `minisign` reads a password as one line of at most 1023 bytes, so a password with a
/// line break or a NUL, or a longer one, could never be typed into it.
///
/// ```
/// use double_random::sign::PasswordProblem;
///
/// assert_eq!(PasswordProblem::Empty.to_string(), "it is empty");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PasswordProblem {
    /// The password is empty: an empty password protects nothing.
    Empty,
    /// The password is longer than the stock tool reads.
    TooLong {
        /// Its length in bytes.
        length: usize,
        /// The most bytes allowed.
        max: usize,
    },
    /// The password holds a line break (CR or LF) or a NUL.
    ControlCharacter,
}

impl fmt::Display for PasswordProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PasswordProblem::Empty => f.write_str("it is empty"),
            PasswordProblem::TooLong { length, max } => {
                write!(f, "it has {length} bytes; at most {max} are allowed")
            }
            PasswordProblem::ControlCharacter => {
                f.write_str("it contains a line break or a NUL character")
            }
        }
    }
}

impl SignError {
    /// Every [`SignError::code`] (the password errors, added later, come last).
    pub const CODES: [&'static str; 27] = [
        "sign.missing_line",
        "sign.extra_line",
        "sign.missing_prefix",
        "sign.base64",
        "sign.wrong_length",
        "sign.unknown_algorithm",
        "sign.encrypted_secret_key",
        "sign.unknown_kdf",
        "sign.unknown_checksum",
        "sign.bad_checksum",
        "sign.inconsistent_secret_key",
        "sign.invalid_public_key",
        "sign.key_id_mismatch",
        "sign.bad_signature",
        "sign.bad_global_signature",
        "sign.comment_line_break",
        "sign.comment_nul",
        "sign.comment_too_long",
        "sign.invalid_field_key",
        "sign.invalid_field_value",
        "sign.field_without_colon",
        "sign.duplicate_field",
        "sign.invalid_key_id",
        "sign.random",
        "sign.wrong_password",
        "sign.invalid_password",
        "sign.kdf_limits",
    ];

    /// The stable code of this error (one of [`SignError::CODES`]): programs and translations
    /// key on it, not on the English text.
    ///
    /// ```
    /// use double_random::sign::{KeyId, SignError};
    /// let e = SignError::BadSignature { key_id: KeyId([0; 8]) };
    /// assert_eq!(e.code(), "sign.bad_signature");
    /// ```
    pub fn code(&self) -> &'static str {
        Self::CODES[match self {
            SignError::MissingLine { .. } => 0,
            SignError::ExtraLine { .. } => 1,
            SignError::MissingPrefix { .. } => 2,
            SignError::Base64 { .. } => 3,
            SignError::WrongLength { .. } => 4,
            SignError::UnknownAlgorithm { .. } => 5,
            SignError::EncryptedSecretKey => 6,
            SignError::UnknownKdf { .. } => 7,
            SignError::UnknownChecksum { .. } => 8,
            SignError::BadChecksum { .. } => 9,
            SignError::InconsistentSecretKey { .. } => 10,
            SignError::InvalidPublicKey { .. } => 11,
            SignError::KeyIdMismatch { .. } => 12,
            SignError::BadSignature { .. } => 13,
            SignError::BadGlobalSignature { .. } => 14,
            SignError::CommentLineBreak { .. } => 15,
            SignError::CommentNul { .. } => 16,
            SignError::CommentTooLong { .. } => 17,
            SignError::InvalidFieldKey { .. } => 18,
            SignError::InvalidFieldValue { .. } => 19,
            SignError::FieldWithoutColon { .. } => 20,
            SignError::DuplicateField { .. } => 21,
            SignError::InvalidKeyId { .. } => 22,
            SignError::Random(_) => 23,
            SignError::WrongPassword => 24,
            SignError::InvalidPassword { .. } => 25,
            SignError::KdfLimits { .. } => 26,
        }]
    }
}

/// A part of a key or signature file, used to say where an error is.
///
/// ```
/// use double_random::sign::Field;
///
/// assert_eq!(Field::GlobalSignature.to_string(), "global signature");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// The `untrusted comment: ` line.
    UntrustedComment,
    /// The `trusted comment: ` line of a signature.
    TrustedComment,
    /// The base64 public key (algorithm, key id, 32 bytes).
    PublicKey,
    /// The base64 secret key (algorithm tags, KDF parameters, key id, 64 bytes, checksum).
    SecretKey,
    /// The base64 signature over the message (algorithm, key id, 64 bytes).
    Signature,
    /// The base64 signature over the message signature and the trusted comment.
    GlobalSignature,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::UntrustedComment => "untrusted comment",
            Field::TrustedComment => "trusted comment",
            Field::PublicKey => "public key",
            Field::SecretKey => "secret key",
            Field::Signature => "signature",
            Field::GlobalSignature => "global signature",
        })
    }
}

/// Which of the two comments of a minisign signature an error is about.
///
/// ```
/// use double_random::sign::CommentKind;
///
/// assert_eq!(CommentKind::Trusted.to_string(), "trusted comment");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommentKind {
    /// The signed comment.
    Trusted,
    /// The free comment on the first line, not covered by any signature.
    Untrusted,
}

impl fmt::Display for CommentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CommentKind::Trusted => "trusted comment",
            CommentKind::Untrusted => "untrusted comment",
        })
    }
}
