//! Text normalisation for roster fields, exactly as the specification states it.
//!
//! Rosters come out of Excel and older databases, typed with Chinese input methods: codes arrive in
//! full-width characters, with lower-case letters, with (non-breaking) spaces around them, names
//! with a byte order mark in front. The fingerprint of a roster covers every field *after*
//! normalisation, so these rules are part of the specification and a second implementation must
//! reproduce them character for character. They are therefore written out here as explicit
//! character lists and never delegated to a library's idea of "whitespace" (Rust's
//! [`char::is_whitespace`], Python's `str.isspace` and `str.strip` all disagree with each other and
//! with this set).
//!
//! Two entry points cover every field:
//!
//! * [`text`] for names and free text: [`trim`], then Unicode NFC. No width folding, since Chinese
//!   names legitimately hold full-width brackets such as `（` and `）`.
//! * [`code`] for identifiers and codes: [`fold_width`], then remove every [`TRIM_CHARS`] character
//!   anywhere, then ASCII upper case.
//!
//! ```
//! use double_random::normalize;
//!
//! assert_eq!(normalize::text("\u{feff} 贵州茅台（集团）有限公司\u{3000}"), "贵州茅台（集团）有限公司");
//! assert_eq!(normalize::code(" ９１３５ ０１００ｍ０００１００Ｙ４３\u{a0}"), "91350100M000100Y43");
//! ```

use unicode_normalization::UnicodeNormalization;

/// The characters that [`trim`] strips and [`code`] removes: 27 code points, listed one by one.
///
/// They are the Unicode `White_Space` characters (U+0009–U+000D, U+0020, U+0085, U+00A0, U+1680,
/// U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000) plus ZERO WIDTH SPACE (U+200B) and the
/// ZERO WIDTH NO-BREAK SPACE / byte order mark (U+FEFF), which spreadsheets and editors leave in
/// cells. The list is fixed by the specification and does not follow later Unicode versions, so a
/// second implementation can copy it verbatim. A Python rendering:
///
/// ```text
/// TRIM_CHARS = set(map(chr, [*range(0x09, 0x0E), 0x20, 0x85, 0xA0, 0x1680,
///                            *range(0x2000, 0x200B), 0x200B, 0x2028, 0x2029,
///                            0x202F, 0x205F, 0x3000, 0xFEFF]))
/// ```
///
/// ```
/// use double_random::normalize::{is_trim_char, TRIM_CHARS};
///
/// assert_eq!(TRIM_CHARS.len(), 27);
/// assert!(TRIM_CHARS.contains(&'\u{3000}'));
/// assert!(TRIM_CHARS.iter().all(|&c| is_trim_char(c)));
/// ```
#[rustfmt::skip]
pub const TRIM_CHARS: &[char] = &[
    '\u{0009}', '\u{000A}', '\u{000B}', '\u{000C}', '\u{000D}', // tab, LF, VT, FF, CR
    '\u{0020}', // space
    '\u{0085}', // next line
    '\u{00A0}', // no-break space
    '\u{1680}', // ogham space mark
    '\u{2000}', '\u{2001}', '\u{2002}', '\u{2003}', '\u{2004}', '\u{2005}', // en quad ..
    '\u{2006}', '\u{2007}', '\u{2008}', '\u{2009}', '\u{200A}', // .. hair space
    '\u{200B}', // zero width space
    '\u{2028}', // line separator
    '\u{2029}', // paragraph separator
    '\u{202F}', // narrow no-break space
    '\u{205F}', // medium mathematical space
    '\u{3000}', // ideographic space
    '\u{FEFF}', // zero width no-break space, byte order mark
];

/// Whether `c` is one of the [`TRIM_CHARS`].
///
/// Use it wherever the specification says "trim characters"; it answers exactly as a lookup in
/// [`TRIM_CHARS`] does, without scanning the list.
///
/// ```
/// use double_random::normalize::is_trim_char;
///
/// assert!(is_trim_char('\u{a0}'));
/// assert!(is_trim_char('\u{feff}'));
/// assert!(!is_trim_char('x'));
/// assert!(!is_trim_char('\u{180e}')); // MONGOLIAN VOWEL SEPARATOR is not in the set
/// ```
pub fn is_trim_char(c: char) -> bool {
    matches!(
        c,
        '\u{0009}'..='\u{000D}'
            | '\u{0020}'
            | '\u{0085}'
            | '\u{00A0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200B}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{3000}'
            | '\u{FEFF}'
    )
}

/// Strips [`TRIM_CHARS`] from both ends of `s`.
///
/// Spreadsheet cells often carry spaces, non-breaking spaces, ideographic spaces or a byte order
/// mark around the value; inner characters are left alone.
///
/// ```
/// use double_random::normalize::trim;
///
/// assert_eq!(trim("\u{feff}\u{3000} 张 三\t\r\n"), "张 三");
/// assert_eq!(trim("\u{200b}"), "");
/// ```
pub fn trim(s: &str) -> &str {
    s.trim_matches(is_trim_char)
}

/// Folds full-width ASCII to ASCII: U+FF01..=U+FF5E become U+0021..=U+007E and U+3000 (ideographic
/// space) becomes U+0020; every other character is unchanged.
///
/// Codes typed with a Chinese input method in full-width mode look right on screen but compare
/// unequal to their ASCII form. This is a narrow, explicit mapping, not Unicode NFKC: it touches no
/// other character (for instance the half-width katakana block U+FF61.. stays as it is).
///
/// ```
/// use double_random::normalize::fold_width;
///
/// assert_eq!(fold_width("９１３５ｍ\u{3000}（Ａ）"), "9135m (A)");
/// assert_eq!(fold_width("中文"), "中文");
/// ```
pub fn fold_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// Normalises a name or other free text: [`trim`], then Unicode NFC.
///
/// Use it for entity and inspector names, departments and other published text. Names are
/// fingerprinted and published, so the same name typed on two systems (precomposed or decomposed
/// accents, a stray byte order mark) must come out identical. Width is deliberately *not* folded:
/// `（集团）` with full-width brackets is how many registered names are written.
///
/// ```
/// use double_random::normalize::text;
///
/// assert_eq!(text("  Cafe\u{301} 有限公司\u{a0}"), "Caf\u{e9} 有限公司");
/// assert_eq!(text("（集团）"), "（集团）");
/// ```
pub fn text(s: &str) -> String {
    text_cow(s).into_owned()
}

/// [`text`], borrowing `s` when that is already normalised (as most roster text is).
pub(crate) fn text_cow(s: &str) -> std::borrow::Cow<'_, str> {
    let t = trim(s);
    // Most roster text is already NFC: ASCII and common Chinese characters are proved so by a
    // range test, anything else by the quick check, without rebuilding the string.
    if t.chars().all(is_plain_nfc)
        || unicode_normalization::is_nfc_quick(t.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        return std::borrow::Cow::Borrowed(t);
    }
    std::borrow::Cow::Owned(t.nfc().collect())
}

/// Whether [`code`] makes `s` empty, without building the code: every character is a trim
/// character (U+3000, which [`fold_width`] makes a space, is one already).
pub(crate) fn is_blank(s: &str) -> bool {
    s.chars().all(is_trim_char)
}

/// Characters that are NFC on their own, never combine with a neighbour and have canonical
/// combining class 0: ASCII, CJK punctuation (U+3000–U+3029), CJK Unified Ideographs (with
/// extension A) and full-width ASCII forms. A string of only these is NFC (UAX #15 quick check).
pub(crate) fn is_plain_nfc(c: char) -> bool {
    matches!(
        c,
        '\0'..='\u{7f}'
            | '\u{3000}'..='\u{3029}'
            | '\u{3400}'..='\u{4dbf}'
            | '\u{4e00}'..='\u{9fff}'
            | '\u{ff01}'..='\u{ff5e}'
    )
}

/// Normalises an identifier or code: [`fold_width`], then remove every [`TRIM_CHARS`] character
/// wherever it stands, then ASCII upper case.
///
/// Use it for 统一社会信用代码, 注册号, 行政区划代码, 行业代码, certificate numbers and other ids,
/// where full-width digits, lower-case letters and spaces (leading, trailing or inside, as in
/// `9135 0100 …`) carry no meaning. Non-ASCII letters are not case-folded.
///
/// ```
/// use double_random::normalize::code;
///
/// assert_eq!(code("\u{feff}９１３５ ０１００\u{a0}m000100y43 "), "91350100M000100Y43");
/// assert_eq!(code("ｃ１３"), "C13");
/// ```
pub fn code(s: &str) -> String {
    if s.is_ascii() {
        // ASCII has nothing to fold, and its only `TRIM` characters are U+0009–U+000D and U+0020.
        if !s
            .bytes()
            .any(|b| matches!(b, b'\t'..=b'\r' | b' ' | b'a'..=b'z'))
        {
            // Already a code: most ids and numbers in a roster.
            return s.to_owned();
        }
        let mut out = String::with_capacity(s.len());
        for b in s.bytes() {
            if !matches!(b, b'\t'..=b'\r' | b' ') {
                out.push(char::from(b.to_ascii_uppercase()));
            }
        }
        return out;
    }
    let mut out = fold_width(s);
    out.retain(|c| !is_trim_char(c));
    out.make_ascii_uppercase();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn is_blank_is_an_empty_code(s in proptest::collection::vec(prop_oneof![
            proptest::char::any(),
            proptest::sample::select(TRIM_CHARS.to_vec()),
            Just('\u{ff01}'), Just('\u{ff10}'),
        ], 0..6).prop_map(|v| v.into_iter().collect::<String>())) {
            prop_assert_eq!(is_blank(&s), code(&s).is_empty());
            prop_assert_eq!(text_cow(&s).into_owned(), text(&s));
        }
    }

    /// Every Unicode scalar value.
    fn all_chars() -> impl Iterator<Item = char> {
        (0..=0x10FFFF_u32).filter_map(char::from_u32)
    }

    #[test]
    fn plain_nfc_characters_pass_the_quick_check_and_do_not_combine() {
        use unicode_normalization::char::canonical_combining_class;
        for c in all_chars().filter(|&c| is_plain_nfc(c)) {
            assert_eq!(canonical_combining_class(c), 0, "{:#06X}", u32::from(c));
            assert_eq!(
                unicode_normalization::is_nfc_quick(std::iter::once(c)),
                unicode_normalization::IsNormalized::Yes,
                "{:#06X}",
                u32::from(c)
            );
            // Nothing composes with a neighbouring plain character either.
            for d in ['a', '\u{4e00}', '\u{ff08}', '\u{3001}'] {
                let s: String = [c, d].into_iter().collect();
                assert_eq!(s.nfc().collect::<String>(), s);
                let s: String = [d, c].into_iter().collect();
                assert_eq!(s.nfc().collect::<String>(), s);
            }
        }
    }

    proptest! {
        #[test]
        fn fast_paths_match_the_definitions(s in "[ -~\t\n\r\u{3000}-\u{3030}\u{4e00}-\u{4e10}\u{ff01}-\u{ff10}\u{e9}\u{301}\u{a0}]{0,16}") {
            prop_assert_eq!(text(&s), trim(&s).nfc().collect::<String>());
            let mut slow = fold_width(&s);
            slow.retain(|c| !is_trim_char(c));
            slow.make_ascii_uppercase();
            prop_assert_eq!(code(&s), slow);
        }
    }

    #[test]
    fn trim_chars_list_and_predicate_agree_on_every_char() {
        for c in all_chars() {
            assert_eq!(
                TRIM_CHARS.contains(&c),
                is_trim_char(c),
                "{:#06X}",
                u32::from(c)
            );
        }
    }

    #[test]
    fn trim_chars_are_exactly_the_specified_set() {
        let mut expected: Vec<u32> = (0x09..=0x0D).collect();
        expected.extend([0x20, 0x85, 0xA0, 0x1680]);
        expected.extend(0x2000..=0x200A);
        expected.extend([0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF]);
        let listed: Vec<u32> = TRIM_CHARS.iter().map(|&c| u32::from(c)).collect();
        assert_eq!(listed, expected);
    }

    /// Documents how the set relates to the Unicode property (as Rust 1.95 knows it): `White_Space`
    /// plus U+200B and U+FEFF. If a future Unicode changes `White_Space`, this test fails and the
    /// set stays as specified.
    #[test]
    fn trim_chars_are_white_space_plus_zwsp_and_bom() {
        for c in all_chars() {
            let expected = c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}';
            assert_eq!(is_trim_char(c), expected, "{:#06X}", u32::from(c));
        }
    }

    #[test]
    fn trim_strips_only_the_ends() {
        assert_eq!(trim(""), "");
        assert_eq!(trim(" \u{2009}a \u{3000} b\u{85}\u{2029}"), "a \u{3000} b");
        // Not in the set: MONGOLIAN VOWEL SEPARATOR, ZERO WIDTH JOINER, NUL.
        assert_eq!(trim("\u{180E}a\u{200D}"), "\u{180E}a\u{200D}");
        assert_eq!(trim("\0a\0"), "\0a\0");
    }

    #[test]
    fn fold_width_maps_the_whole_block_and_nothing_else() {
        for c in all_chars() {
            let folded = fold_width(c.encode_utf8(&mut [0; 4]));
            let mut it = folded.chars();
            let f = it.next().expect("one char in, one char out");
            assert_eq!(it.next(), None);
            let cp = u32::from(c);
            let expected = match cp {
                0xFF01..=0xFF5E => cp - 0xFEE0,
                0x3000 => 0x20,
                _ => cp,
            };
            assert_eq!(u32::from(f), expected, "{cp:#06X}");
        }
        assert_eq!(fold_width("！～"), "!~");
        assert_eq!(fold_width("\u{FF00}\u{FF5F}"), "\u{FF00}\u{FF5F}");
    }

    #[test]
    fn text_trims_then_composes_but_keeps_width() {
        assert_eq!(text("\u{FEFF}e\u{301}\u{3000}"), "\u{E9}");
        assert_eq!(text("ＡＢＣ（有限）"), "ＡＢＣ（有限）");
        // Inner spaces survive.
        assert_eq!(text(" 张\u{3000}三 "), "张\u{3000}三");
        // Hangul jamo compose under NFC.
        assert_eq!(text("\u{1100}\u{1161}"), "\u{AC00}");
    }

    #[test]
    fn code_removes_spaces_everywhere_and_upper_cases_ascii_only() {
        assert_eq!(code(""), "");
        assert_eq!(code(" \u{3000}\u{200B} "), "");
        assert_eq!(code("9 1\t3\u{2028}5"), "9135");
        assert_eq!(code("ｍ０ｙ"), "M0Y");
        // Non-ASCII letters keep their case; no other normalisation happens.
        assert_eq!(code("é中"), "é中");
        assert_eq!(code("e\u{301}"), "E\u{301}");
    }

    proptest! {
        #[test]
        fn trim_leaves_no_trim_char_at_either_end(s in any::<String>()) {
            let t = trim(&s);
            prop_assert!(!t.starts_with(is_trim_char));
            prop_assert!(!t.ends_with(is_trim_char));
            prop_assert!(s.contains(t));
        }

        #[test]
        fn text_is_idempotent(s in any::<String>()) {
            let once = text(&s);
            prop_assert_eq!(text(&once), once.clone());
            prop_assert_eq!(trim(&once), once.as_str());
        }

        #[test]
        fn code_is_idempotent_and_clean(s in any::<String>()) {
            let once = code(&s);
            prop_assert_eq!(code(&once), once.clone());
            prop_assert!(!once.contains(is_trim_char));
            prop_assert!(!once.contains(|c: char| c.is_ascii_lowercase()));
            let full_width = '\u{FF01}'..='\u{FF5E}';
            prop_assert!(!once.contains(|c| full_width.contains(&c)));
        }

        #[test]
        fn code_of_ascii_drops_white_space_and_upper_cases(s in "[ -~\t\n\r]{0,24}") {
            let want: String = s
                .chars()
                .filter(|c| !c.is_ascii_whitespace() && *c != '\u{b}')
                .map(|c| c.to_ascii_uppercase())
                .collect();
            prop_assert_eq!(code(&s), want);
        }

        #[test]
        fn code_of_spaced_full_width_equals_code_of_ascii(s in "[0-9A-Za-z]{0,20}", pad in "[ \u{3000}\u{A0}\u{FEFF}]{0,3}") {
            let wide: String = s
                .chars()
                .map(|c| char::from_u32(u32::from(c) + 0xFEE0).unwrap_or(c))
                .collect();
            let spaced = format!("{pad}{wide}{pad}");
            prop_assert_eq!(code(&spaced), s.to_ascii_uppercase());
        }
    }
}
