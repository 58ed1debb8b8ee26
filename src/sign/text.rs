//! Line splitting, prefixes, comments and base64 as the minisign text files use them.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use super::{CommentKind, Field, SignError};

/// The prefix of the first line of every minisign file.
pub(crate) const UNTRUSTED_PREFIX: &str = "untrusted comment: ";
/// The prefix of the third line of a signature file.
pub(crate) const TRUSTED_PREFIX: &str = "trusted comment: ";

/// Splits text into lines the way the stock tool reads them: on `\n`, with one trailing `\r` of
/// each line removed, and without the empty piece after a final newline.
pub(crate) fn split_lines(text: &str) -> Vec<&str> {
    if text.is_empty() {
        return Vec::new();
    }
    let mut lines: Vec<&str> = text
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .collect();
    if text.ends_with('\n') {
        lines.pop();
    }
    lines
}

/// The line at 0-based `index`, or the error naming what it should have held.
pub(crate) fn line<'a>(
    lines: &[&'a str],
    index: usize,
    field: Field,
) -> Result<&'a str, SignError> {
    lines.get(index).copied().ok_or(SignError::MissingLine {
        line: index + 1,
        field,
    })
}

/// Fails on the first non-blank line from 0-based `from` on.
pub(crate) fn no_extra_lines(lines: &[&str], from: usize, file: Field) -> Result<(), SignError> {
    match lines
        .iter()
        .enumerate()
        .skip(from)
        .find(|(_, l)| !l.trim().is_empty())
    {
        Some((index, _)) => Err(SignError::ExtraLine {
            line: index + 1,
            file,
        }),
        None => Ok(()),
    }
}

/// The text after `prefix`, or the error for line `index` (0-based).
pub(crate) fn strip_prefix<'a>(
    line: &'a str,
    prefix: &'static str,
    index: usize,
    field: Field,
) -> Result<&'a str, SignError> {
    line.strip_prefix(prefix).ok_or(SignError::MissingPrefix {
        line: index + 1,
        field,
        prefix,
    })
}

/// Checks a comment against what the stock tool can write and read back.
pub(crate) fn check_comment(text: &str, kind: CommentKind, max: usize) -> Result<(), SignError> {
    if text.contains(['\n', '\r']) {
        return Err(SignError::CommentLineBreak { comment: kind });
    }
    if text.contains('\0') {
        return Err(SignError::CommentNul { comment: kind });
    }
    if text.len() > max {
        return Err(SignError::CommentTooLong {
            comment: kind,
            length: text.len(),
            max,
        });
    }
    Ok(())
}

/// Decodes standard padded base64 that must hold exactly `N` bytes.
pub(crate) fn decode_exact<const N: usize>(
    text: &str,
    index: usize,
    field: Field,
) -> Result<[u8; N], SignError> {
    let bytes = decode(text, index, field)?;
    <[u8; N]>::try_from(bytes.as_slice()).map_err(|_| SignError::WrongLength {
        field,
        expected: N,
        found: bytes.len(),
    })
}

/// Decodes standard padded base64 into a buffer that is wiped when dropped.
pub(crate) fn decode(
    text: &str,
    index: usize,
    field: Field,
) -> Result<Zeroizing<Vec<u8>>, SignError> {
    let mut out = Zeroizing::new(Vec::new());
    STANDARD
        .decode_vec(text, &mut out)
        .map_err(|_| SignError::Base64 {
            line: index + 1,
            field,
        })?;
    Ok(out)
}

/// Appends the standard padded base64 of `bytes` to `out`.
pub(crate) fn encode_into(bytes: &[u8], out: &mut String) {
    STANDARD.encode_string(bytes, out);
}

/// The length of the standard padded base64 of `n` bytes.
pub(crate) const fn encoded_len(n: usize) -> usize {
    n.div_ceil(3) * 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_follow_the_stock_reader() {
        assert_eq!(split_lines("a\r\nb\n"), vec!["a", "b"]);
        assert_eq!(split_lines("a\nb"), vec!["a", "b"]);
        assert_eq!(split_lines(""), Vec::<&str>::new());
        assert_eq!(split_lines("\n"), vec![""]);
        assert_eq!(split_lines("a\r\r\n"), vec!["a\r"]);
    }

    #[test]
    fn extra_lines_may_be_blank_only() {
        assert!(no_extra_lines(&["a", "", " "], 1, Field::Signature).is_ok());
        assert_eq!(
            no_extra_lines(&["a", "", "x"], 1, Field::Signature),
            Err(SignError::ExtraLine {
                line: 3,
                file: Field::Signature
            })
        );
    }

    #[test]
    fn comments_are_single_lines_without_nul() {
        let t = CommentKind::Trusted;
        assert!(check_comment("a\tb:c", t, 10).is_ok());
        assert_eq!(
            check_comment("a\rb", t, 10),
            Err(SignError::CommentLineBreak { comment: t })
        );
        assert_eq!(
            check_comment("a\0", t, 10),
            Err(SignError::CommentNul { comment: t })
        );
        assert_eq!(
            check_comment("abc", t, 2),
            Err(SignError::CommentTooLong {
                comment: t,
                length: 3,
                max: 2
            })
        );
    }

    #[test]
    fn base64_lengths() {
        for n in 0..200 {
            let mut s = String::new();
            encode_into(&vec![7u8; n], &mut s);
            assert_eq!(s.len(), encoded_len(n));
        }
        assert_eq!(
            decode_exact::<3>("AAAA", 0, Field::PublicKey),
            Ok([0, 0, 0])
        );
        assert_eq!(
            decode_exact::<4>("AAAA", 0, Field::PublicKey),
            Err(SignError::WrongLength {
                field: Field::PublicKey,
                expected: 4,
                found: 3
            })
        );
        assert!(matches!(
            decode_exact::<3>("AAA", 4, Field::PublicKey),
            Err(SignError::Base64 { line: 5, .. })
        ));
    }
}
