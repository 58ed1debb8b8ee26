//! Canonical JSON (RFC 8785, JCS) for the values this crate hashes and signs.
//!
//! Announcements, sheets, amendments, log entries, the plan and every roster row are
//! hashed as canonical JSON so that any language can reproduce the exact bytes. Our
//! documents never contain floating-point numbers (ratios are integer basis points), which
//! reduces RFC 8785 to: no insignificant white space, object members sorted by the UTF-16
//! code units of their names, strings escaped as ECMAScript's `JSON.stringify` does, and
//! integers written in plain decimal. Integers beyond ±(2^53 − 1) and non-integers are
//! refused, because RFC 8785 would write them as IEEE doubles.

use serde::Serialize;
use serde_json::Value;
use std::io::Write as _;

/// Why a value could not be written, or a byte string is not canonical JSON.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JcsError {
    /// The value holds a number JCS would write as a double.
    #[error(
        "number {number} at {path} is not an integer in ±(2^53−1); documents hold integers only"
    )]
    Number {
        /// The JSON path of the number (`$.a[2].b`).
        path: String,
        /// The number as written.
        number: String,
    },
    /// The bytes are not JSON at all.
    #[error("not valid JSON: {detail}")]
    Syntax {
        /// 1-based line of the error (0 when the text is valid JSON of the wrong shape).
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// The parser's description.
        detail: String,
    },
    /// The bytes are JSON but differ from their canonical form.
    #[error("JSON is not in canonical form (RFC 8785): first difference at byte {offset}")]
    NotCanonical {
        /// Offset of the first byte that differs from the canonical re-encoding.
        offset: usize,
    },
}

impl From<serde_json::Error> for JcsError {
    fn from(e: serde_json::Error) -> Self {
        JcsError::Syntax {
            line: e.line(),
            column: e.column(),
            detail: e.to_string(),
        }
    }
}

/// The leaf hash of one row: SHA-256 of its canonical JSON.
///
/// ```
/// use double_random::{Digest32, internals::row_leaf};
/// let leaf = row_leaf(&serde_json::json!({"b": 1, "a": "x"})).unwrap();
/// assert_eq!(leaf, Digest32::of(br#"{"a":"x","b":1}"#));
/// ```
pub fn row_leaf<T: serde::Serialize + ?Sized>(row: &T) -> Result<crate::Digest32, JcsError> {
    Ok(crate::Digest32::of(&to_canonical(row)?))
}

/// The table digest of `rows` (the sort-then-hash table digest of SPEC §3.4).
///
/// ```
/// use double_random::internals::table_digest_of;
/// let a = table_digest_of("t", &[1, 2, 3]).unwrap();
/// assert_eq!(a, table_digest_of("t", &[3, 1, 2]).unwrap());
/// ```
pub fn table_digest_of<T: serde::Serialize>(
    kind: &str,
    rows: &[T],
) -> Result<crate::Digest32, JcsError> {
    let leaves = rows.iter().map(row_leaf).collect::<Result<Vec<_>, _>>()?;
    Ok(crate::digest::table_digest(kind, leaves))
}

/// Serialises `value` as RFC 8785 canonical JSON bytes.
///
/// ```
/// use double_random::formats::jcs::to_canonical;
/// let v = serde_json::json!({"b": [1, "两"], "a": {"y": null, "x": true}});
/// assert_eq!(
///     String::from_utf8(to_canonical(&v).unwrap()).unwrap(),
///     r#"{"a":{"x":true,"y":null},"b":[1,"两"]}"#
/// );
/// ```
pub fn to_canonical<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, JcsError> {
    let v = serde_json::to_value(value)?;
    let mut out = Vec::with_capacity(256);
    write_value(&v, &mut out, &mut String::from("$"))?;
    Ok(out)
}

/// Parses canonical JSON, refusing any byte string that is not exactly the canonical form.
///
/// Verification uses this for published documents: a document that is not canonical could
/// hash differently in another implementation, so it is rejected rather than normalised.
///
/// ```
/// use double_random::formats::jcs::parse_canonical;
/// let v: serde_json::Value = parse_canonical(br#"{"a":1,"b":2}"#).unwrap();
/// assert_eq!(v["b"], 2);
/// assert!(parse_canonical::<serde_json::Value>(br#"{"b":2,"a":1}"#).is_err());
/// assert!(parse_canonical::<serde_json::Value>(b"{\"a\": 1}").is_err());
/// ```
///
/// The typed value must also write back to the same bytes, so that a field type that reads
/// more spellings than it writes (a `+` before a year, upper-case hex) cannot give one document
/// two encodings.
pub fn parse_canonical<T: serde::de::DeserializeOwned + Serialize>(
    bytes: &[u8],
) -> Result<T, JcsError> {
    let v: Value = serde_json::from_slice(bytes)?;
    let mut again = Vec::with_capacity(bytes.len());
    write_value(&v, &mut again, &mut String::from("$"))?;
    check_same(&again, bytes)?;
    let typed: T = serde_json::from_value(v)?;
    check_same(&to_canonical(&typed)?, bytes)?;
    Ok(typed)
}

fn check_same(again: &[u8], bytes: &[u8]) -> Result<(), JcsError> {
    if again != bytes {
        let offset = again
            .iter()
            .zip(bytes)
            .position(|(a, b)| a != b)
            .unwrap_or(again.len().min(bytes.len()));
        return Err(JcsError::NotCanonical { offset });
    }
    Ok(())
}

const MAX_SAFE: i128 = (1i128 << 53) - 1;

fn write_value(v: &Value, out: &mut Vec<u8>, path: &mut String) -> Result<(), JcsError> {
    match v {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Number(n) => {
            let i = n
                .as_i64()
                .map(i128::from)
                .or_else(|| n.as_u64().map(i128::from))
                .filter(|i| i.abs() <= MAX_SAFE);
            match i {
                Some(i) => {
                    let _ = write!(out, "{i}");
                }
                None => {
                    return Err(JcsError::Number {
                        path: path.clone(),
                        number: n.to_string(),
                    });
                }
            }
        }
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                let len = path.len();
                let _ = std::fmt::Write::write_fmt(path, format_args!("[{i}]"));
                write_value(item, out, path)?;
                path.truncate(len);
            }
            out.push(b']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push(b'{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_string(k, out);
                out.push(b':');
                let len = path.len();
                path.push('.');
                path.push_str(k);
                write_value(&map[k], out, path)?;
                path.truncate(len);
            }
            out.push(b'}');
        }
    }
    Ok(())
}

/// ECMAScript `JSON.stringify` string escaping, as RFC 8785 §3.2.2.2 requires.
fn write_string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_like_json_stringify() {
        let v = json!({"s": "a\"\\\u{8}\u{c}\n\r\t\u{1}\u{7f}/€\u{2028}"});
        let got = String::from_utf8(to_canonical(&v).unwrap()).unwrap();
        assert_eq!(
            got,
            "{\"s\":\"a\\\"\\\\\\b\\f\\n\\r\\t\\u0001\u{7f}/€\u{2028}\"}"
        );
    }

    #[test]
    fn sorts_by_utf16_code_units() {
        // In UTF-8, U+E000 sorts before U+1F600; in UTF-16 the surrogate pair of
        // U+1F600 (D83D DE00) sorts before E000, and JCS follows UTF-16.
        let v = json!({"\u{e000}": 1, "\u{1f600}": 2, "a": 3});
        let got = String::from_utf8(to_canonical(&v).unwrap()).unwrap();
        assert_eq!(got, "{\"a\":3,\"\u{1f600}\":2,\"\u{e000}\":1}");
    }

    #[test]
    fn refuses_floats_and_big_integers() {
        assert!(matches!(
            to_canonical(&json!({"a": [1.5]})),
            Err(JcsError::Number { path, .. }) if path == "$.a[0]"
        ));
        assert!(to_canonical(&json!(9007199254740992u64)).is_err());
        assert!(to_canonical(&json!(-9007199254740991i64)).is_ok());
    }

    #[test]
    fn rejects_non_canonical_inputs() {
        assert!(parse_canonical::<Value>(b"{\"a\":1} ").is_err());
        assert!(parse_canonical::<Value>(b"{\"a\":1,\"a\":1}").is_err());
        assert!(parse_canonical::<Value>(b"{\"a\":\"\\u0041\"}").is_err());
        assert!(parse_canonical::<Value>(b"{\"a\":1.0}").is_err());
        assert!(parse_canonical::<Value>("{\"a\":\"两\"}".as_bytes()).is_ok());
    }
}
