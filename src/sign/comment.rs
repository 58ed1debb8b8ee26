//! The `key:value` convention for trusted comments, and the comment a verification returns.

use std::fmt;
use std::str::FromStr;

use super::{KeyId, SignError, SignatureAlgorithm};

/// A trusted comment in the tab-separated `key:value` convention.
///
/// minisign signs one line of free text next to the file (the "trusted comment"). By convention
/// it is a list of `key:value` fields separated by tabs, e.g.
/// `draw:2025-017\tfile:sheet.json\tsha256:<hex>`; this type builds and reads such lines so that
/// the draw id and digests are bound to the signature and shown by `minisign -V`.
///
/// Keys are non-empty and hold no `:`; neither keys nor values hold tabs, line breaks or NUL;
/// a key appears at most once. Values may hold `:` (the first `:` of a field ends the key).
///
/// ```
/// use double_random::sign::TrustedComment;
///
/// let tc = TrustedComment::new()
///     .with("draw", "2025-017")?
///     .with("file", "sheet.json")?;
/// assert_eq!(tc.to_string(), "draw:2025-017\tfile:sheet.json");
/// let back: TrustedComment = "draw:2025-017\tfile:sheet.json".parse()?;
/// assert_eq!(back.get("file"), Some("sheet.json"));
/// # Ok::<(), double_random::sign::SignError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct TrustedComment {
    fields: Vec<(String, String)>,
}

impl TrustedComment {
    /// An empty comment, to add fields to.
    ///
    /// ```
    /// use double_random::sign::TrustedComment;
    ///
    /// assert!(TrustedComment::new().is_empty());
    /// assert_eq!(TrustedComment::new().to_string(), "");
    /// ```
    #[must_use]
    pub fn new() -> TrustedComment {
        TrustedComment::default()
    }

    /// Appends a field, checking the key and the value.
    ///
    /// Use it to build a comment step by step; fields keep the order they were added in.
    ///
    /// ```
    /// use double_random::sign::{SignError, TrustedComment};
    ///
    /// let mut tc = TrustedComment::new();
    /// tc.push("time", "2025-03-01T09:00:00+08:00")?;
    /// assert!(matches!(tc.push("time", "again"), Err(SignError::DuplicateField { .. })));
    /// assert!(matches!(tc.push("note", "a\tb"), Err(SignError::InvalidFieldValue { found: '\t', .. })));
    /// # Ok::<(), SignError>(())
    /// ```
    pub fn push(&mut self, key: &str, value: &str) -> Result<&mut TrustedComment, SignError> {
        check_key(key)?;
        if let Some(found) = value
            .chars()
            .find(|c| matches!(c, '\t' | '\n' | '\r' | '\0'))
        {
            return Err(SignError::InvalidFieldValue {
                key: key.to_owned(),
                found,
            });
        }
        if self.get(key).is_some() {
            return Err(SignError::DuplicateField {
                key: key.to_owned(),
            });
        }
        self.fields.push((key.to_owned(), value.to_owned()));
        Ok(self)
    }

    /// Like [`TrustedComment::push`], for building a comment in one expression.
    ///
    /// ```
    /// use double_random::sign::TrustedComment;
    ///
    /// let tc = TrustedComment::new().with("draw", "7")?.with("file", "sheet.json")?;
    /// assert_eq!(tc.len(), 2);
    /// # Ok::<(), double_random::sign::SignError>(())
    /// ```
    pub fn with(mut self, key: &str, value: &str) -> Result<TrustedComment, SignError> {
        self.push(key, value)?;
        Ok(self)
    }

    /// The value of `key`, if present.
    ///
    /// ```
    /// use double_random::sign::TrustedComment;
    ///
    /// let tc: TrustedComment = "draw:7\turl:https://example.org/x".parse()?;
    /// assert_eq!(tc.get("url"), Some("https://example.org/x"));
    /// assert_eq!(tc.get("file"), None);
    /// # Ok::<(), double_random::sign::SignError>(())
    /// ```
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The fields in order, as `(key, value)` pairs.
    ///
    /// ```
    /// use double_random::sign::TrustedComment;
    ///
    /// let tc: TrustedComment = "a:1\tb:2".parse()?;
    /// let keys: Vec<&str> = tc.iter().map(|(k, _)| k).collect();
    /// assert_eq!(keys, ["a", "b"]);
    /// # Ok::<(), double_random::sign::SignError>(())
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fields.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The number of fields.
    ///
    /// ```
    /// use double_random::sign::TrustedComment;
    ///
    /// assert_eq!("a:1\tb:2".parse::<TrustedComment>()?.len(), 2);
    /// # Ok::<(), double_random::sign::SignError>(())
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether the comment has no fields.
    ///
    /// ```
    /// use double_random::sign::TrustedComment;
    ///
    /// assert!("".parse::<TrustedComment>()?.is_empty());
    /// # Ok::<(), double_random::sign::SignError>(())
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Reads a comment line written in the convention.
    ///
    /// The empty line is the empty comment. Fails on a part without `:`, an invalid key, a
    /// repeated key or a forbidden character. (The stock tool's default comment ends in a bare
    /// `hashed` word in some versions; such comments are not in this convention and fail with
    /// [`SignError::FieldWithoutColon`].)
    ///
    /// ```
    /// use double_random::sign::{SignError, TrustedComment};
    ///
    /// let tc = TrustedComment::parse("draw:7\ttime:09:00")?;
    /// assert_eq!(tc.get("time"), Some("09:00"));
    /// assert!(matches!(TrustedComment::parse("draw:7\thashed"), Err(SignError::FieldWithoutColon { .. })));
    /// # Ok::<(), SignError>(())
    /// ```
    pub fn parse(text: &str) -> Result<TrustedComment, SignError> {
        let mut comment = TrustedComment::new();
        if text.is_empty() {
            return Ok(comment);
        }
        for part in text.split('\t') {
            let (key, value) =
                part.split_once(':')
                    .ok_or_else(|| SignError::FieldWithoutColon {
                        field: part.to_owned(),
                    })?;
            comment.push(key, value)?;
        }
        Ok(comment)
    }
}

fn check_key(key: &str) -> Result<(), SignError> {
    if key.is_empty() || key.contains([':', '\t', '\n', '\r', '\0']) {
        return Err(SignError::InvalidFieldKey {
            key: key.to_owned(),
        });
    }
    Ok(())
}

impl fmt::Display for TrustedComment {
    /// Writes the fields as `key:value` joined by tabs: the text to sign.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (key, value)) in self.fields.iter().enumerate() {
            if i > 0 {
                f.write_str("\t")?;
            }
            write!(f, "{key}:{value}")?;
        }
        Ok(())
    }
}

impl FromStr for TrustedComment {
    type Err = SignError;

    fn from_str(s: &str) -> Result<TrustedComment, SignError> {
        TrustedComment::parse(s)
    }
}

/// What a successful verification vouches for: the signer's key id and the trusted comment.
///
/// Only the content of this value is authenticated; read the draw id and digests from here, never
/// from the signature file directly.
///
/// ```
/// use double_random::sign::{sign, verify, SecretKey};
///
/// let sk = SecretKey::generate()?;
/// let sig = sign(&sk, b"sheet", "draw:7", "")?;
/// let ok = verify(&sk.public_key(), b"sheet", &sig)?;
/// assert_eq!(ok.trusted_comment(), "draw:7");
/// assert_eq!(ok.fields()?.get("draw"), Some("7"));
/// # Ok::<(), double_random::sign::SignError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct VerifiedComment {
    key_id: KeyId,
    algorithm: SignatureAlgorithm,
    trusted_comment: String,
}

impl VerifiedComment {
    pub(crate) fn new(
        key_id: KeyId,
        algorithm: SignatureAlgorithm,
        trusted_comment: String,
    ) -> VerifiedComment {
        VerifiedComment {
            key_id,
            algorithm,
            trusted_comment,
        }
    }

    /// The key id of the key that made the signature.
    ///
    /// ```
    /// use double_random::sign::{sign, verify, SecretKey};
    ///
    /// let sk = SecretKey::generate()?;
    /// let sig = sign(&sk, b"m", "", "")?;
    /// assert_eq!(verify(&sk.public_key(), b"m", &sig)?.key_id(), sk.key_id());
    /// # Ok::<(), double_random::sign::SignError>(())
    /// ```
    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    /// How the message was signed; a caller that accepts only prehashed signatures checks this.
    ///
    /// ```
    /// use double_random::sign::{sign, verify, SecretKey, SignatureAlgorithm};
    ///
    /// let sk = SecretKey::generate()?;
    /// let sig = sign(&sk, b"m", "", "")?;
    /// let ok = verify(&sk.public_key(), b"m", &sig)?;
    /// assert_eq!(ok.algorithm(), SignatureAlgorithm::Ed25519Prehashed);
    /// # Ok::<(), double_random::sign::SignError>(())
    /// ```
    pub fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    /// The trusted comment exactly as signed.
    ///
    /// ```
    /// use double_random::sign::{sign, verify, SecretKey};
    ///
    /// let sk = SecretKey::generate()?;
    /// let sig = sign(&sk, b"m", "free text", "")?;
    /// assert_eq!(verify(&sk.public_key(), b"m", &sig)?.trusted_comment(), "free text");
    /// # Ok::<(), double_random::sign::SignError>(())
    /// ```
    #[must_use]
    pub fn trusted_comment(&self) -> &str {
        &self.trusted_comment
    }

    /// The trusted comment read in the `key:value` convention.
    ///
    /// ```
    /// use double_random::sign::{sign, verify, SecretKey};
    ///
    /// let sk = SecretKey::generate()?;
    /// let sig = sign(&sk, b"m", "draw:7\tfile:sheet.json", "")?;
    /// let fields = verify(&sk.public_key(), b"m", &sig)?.fields()?;
    /// assert_eq!(fields.get("file"), Some("sheet.json"));
    /// # Ok::<(), double_random::sign::SignError>(())
    /// ```
    pub fn fields(&self) -> Result<TrustedComment, SignError> {
        TrustedComment::parse(&self.trusted_comment)
    }

    /// Takes the trusted comment out.
    ///
    /// ```
    /// use double_random::sign::{sign, verify, SecretKey};
    ///
    /// let sk = SecretKey::generate()?;
    /// let sig = sign(&sk, b"m", "x:1", "")?;
    /// let text: String = verify(&sk.public_key(), b"m", &sig)?.into_trusted_comment();
    /// assert_eq!(text, "x:1");
    /// # Ok::<(), double_random::sign::SignError>(())
    /// ```
    #[must_use]
    pub fn into_trusted_comment(self) -> String {
        self.trusted_comment
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_reads_the_convention() {
        let tc = TrustedComment::new()
            .with("draw", "2025-017")
            .unwrap()
            .with("file", "sheet.json")
            .unwrap()
            .with("sha256", "ab:cd")
            .unwrap()
            .with("empty", "")
            .unwrap();
        let line = tc.to_string();
        assert_eq!(line, "draw:2025-017\tfile:sheet.json\tsha256:ab:cd\tempty:");
        assert_eq!(TrustedComment::parse(&line).unwrap(), tc);
        assert_eq!(tc.get("empty"), Some(""));
    }

    #[test]
    fn rejects_bad_keys_and_values() {
        for key in ["", "a:b", "a\tb", "a\nb", "a\rb", "a\0b"] {
            assert_eq!(
                TrustedComment::new().with(key, "v").unwrap_err(),
                SignError::InvalidFieldKey { key: key.into() }
            );
        }
        for (value, found) in [("a\tb", '\t'), ("a\nb", '\n'), ("\r", '\r'), ("\0", '\0')] {
            assert_eq!(
                TrustedComment::new().with("k", value).unwrap_err(),
                SignError::InvalidFieldValue {
                    key: "k".into(),
                    found
                }
            );
        }
    }

    #[test]
    fn parse_errors() {
        assert_eq!(
            TrustedComment::parse("a:1\tb").unwrap_err(),
            SignError::FieldWithoutColon { field: "b".into() }
        );
        assert_eq!(
            TrustedComment::parse("a:1\t").unwrap_err(),
            SignError::FieldWithoutColon { field: "".into() }
        );
        assert_eq!(
            TrustedComment::parse("a:1\ta:2").unwrap_err(),
            SignError::DuplicateField { key: "a".into() }
        );
        assert_eq!(
            TrustedComment::parse(":1").unwrap_err(),
            SignError::InvalidFieldKey { key: "".into() }
        );
        assert!(matches!(
            TrustedComment::parse("a:1\nb:2"),
            Err(SignError::InvalidFieldValue { found: '\n', .. })
        ));
    }
}
