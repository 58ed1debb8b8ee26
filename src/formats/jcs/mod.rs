//! Canonical JSON (RFC 8785, JCS) for the values this crate hashes and signs.
//!
//! Announcements, sheets, amendments, log entries, the plan and every roster row are
//! hashed as canonical JSON so that any language can reproduce the exact bytes. Our
//! documents never contain floating-point numbers (ratios are integer basis points), which
//! reduces RFC 8785 to: no insignificant white space, object members sorted by the UTF-16
//! code units of their names, strings escaped as ECMAScript's `JSON.stringify` does, and
//! integers written in plain decimal. Integers beyond ±(2^53 − 1) and non-integers are
//! refused, because RFC 8785 would write them as IEEE doubles.

mod ser;

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
    match ser::to_vec(value, 256) {
        Some(bytes) => Ok(bytes),
        // The direct writer declines every value the tree path refuses, and a few unusual ones
        // it accepts: the tree path gives the result, or the error it always gave.
        None => to_canonical_via_value(value),
    }
}

/// [`to_canonical`] through a `serde_json::Value` tree: the reference the direct writer is
/// tested against, and the path that reports why a value is refused.
pub(crate) fn to_canonical_via_value<T: Serialize + ?Sized>(
    value: &T,
) -> Result<Vec<u8>, JcsError> {
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
    // The fast path reads the typed value straight from the bytes and accepts it only if the direct
    // writer gives back exactly `bytes`. It accepts nothing the full path refuses: `bytes` is then
    // the canonical encoding of a value the tree path writes to the same bytes (see `ser`), so it
    // is JSON (the typed parse read all of it, with the same nesting limit as a `Value` parse), its
    // `Value` writes back to itself (no white space, no escapes beyond the canonical ones, sorted
    // names without repeats, integers within ±(2^53−1), so parsing and writing again is the
    // identity), and reading `T` from that `Value` reads what reading it from the same canonical
    // text read (serde_json's tree and text readers agree for owned values without floats; the
    // crate's own types read strings as `Cow<str>`, which takes the text reader's borrowed strings
    // and the tree's owned ones alike), whose canonical bytes are `bytes`. Anything else (a
    // repeated name, an unknown field the type ignores, white space, `\u0041`, `1.0`, `-0`, names
    // out of order, integers beyond 2^53, a type that reads more spellings than it writes) makes
    // the typed bytes differ from `bytes` or fails to read, and the full path below runs and
    // reports exactly what it always reported.
    if let Ok(typed) = serde_json::from_slice::<T>(bytes)
        && ser::to_vec(&typed, bytes.len()).is_some_and(|again| again == bytes)
    {
        return Ok(typed);
    }
    parse_canonical_via_value(bytes)
}

/// [`parse_canonical`] through a `serde_json::Value` tree: checks the tree's canonical bytes,
/// reads the typed value from the tree, and checks the typed value's canonical bytes.
pub(crate) fn parse_canonical_via_value<T: serde::de::DeserializeOwned + Serialize>(
    bytes: &[u8],
) -> Result<T, JcsError> {
    let v: Value = serde_json::from_slice(bytes)?;
    let mut again = Vec::with_capacity(bytes.len());
    write_value(&v, &mut again, &mut String::from("$"))?;
    check_same(&again, bytes)?;
    let typed: T = serde_json::from_value(v)?;
    check_same(&to_canonical_via_value(&typed)?, bytes)?;
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

/// What each byte becomes in a string: 0 for itself, `u` for `\u00XX`, or the letter after
/// the backslash of its short escape.
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b'u';
        b += 1;
    }
    t[0x08] = b'b';
    t[0x0c] = b'f';
    t[b'\n' as usize] = b'n';
    t[b'\r' as usize] = b'r';
    t[b'\t' as usize] = b't';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// Whether any byte of `bytes` needs an escape (a control character, `"` or `\\`), eight
/// bytes at a time.
///
/// For a word `v`, `(v - 0x0101…01 * n) & !v & 0x8080…80` is non-zero exactly when some byte
/// of `v` is below `n` (for `n` ≤ 0x80): a borrow into a byte's top bit can only start at a
/// byte that is itself below `n`. A byte equal to `c` is a zero byte of `v ^ (0x0101…01 * c)`.
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const TOPS: u64 = 0x8080_8080_8080_8080;
    fn below(v: u64, n: u8) -> u64 {
        v.wrapping_sub(ONES * u64::from(n)) & !v & TOPS
    }
    fn any(word: [u8; 8]) -> u64 {
        let v = u64::from_le_bytes(word);
        below(v, 0x20)
            | below(v ^ (ONES * u64::from(b'"')), 1)
            | below(v ^ (ONES * u64::from(b'\\')), 1)
    }
    let (words, _) = bytes.as_chunks::<8>();
    // The last eight bytes (which may overlap the last whole word), or the whole string
    // padded with spaces; built in a register, as a copy into a stack buffer read back as one
    // word would stall.
    let last = match bytes.last_chunk::<8>() {
        Some(w) => *w,
        None => {
            let v = bytes.iter().enumerate().fold(ONES * 0x20, |v, (i, &b)| {
                v ^ (u64::from(b ^ 0x20) << (8 * i))
            });
            v.to_le_bytes()
        }
    };
    words.iter().fold(any(last), |found, &w| found | any(w)) != 0
}

/// ECMAScript `JSON.stringify` string escaping, as RFC 8785 §3.2.2.2 requires.
///
/// Only ASCII bytes are ever escaped, and in UTF-8 an ASCII byte is always a whole character,
/// so the string is copied in runs between the bytes that need an escape; most strings have
/// none and are copied whole.
fn write_string(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    if !needs_escape(bytes) {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let e = ESCAPE[usize::from(b)];
        if e == 0 {
            continue;
        }
        out.extend_from_slice(&bytes[run..i]);
        run = i + 1;
        if e == b'u' {
            let hex = [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]];
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hex[0], hex[1]]);
        } else {
            out.extend_from_slice(&[b'\\', e]);
        }
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests;
