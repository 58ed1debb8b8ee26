//! Draw ids and party names: the characters they may hold (SPEC §3.6).
//!
//! A draw id becomes a folder and file names; a party name is shown to people in the
//! announcement, the result sheet and the office log. Two names that look the same must be the
//! same name, so invisible, direction-changing and look-alike characters are refused rather
//! than kept: `GY-2026-01` followed by U+200B ZERO WIDTH SPACE, or written with U+2010 HYPHEN,
//! would otherwise be a second draw that reads exactly like the first. Letters and digits of
//! every script are accepted, so Chinese, Uyghur or Tibetan names need no transcription.
//!
//! ```
//! use double_random::{internals::check_name as check, CharProblem, NameKind, NameProblem};
//!
//! assert!(check(NameKind::DrawId, "GY-2026-01").is_ok());
//! assert!(check(NameKind::PartyName, "阿卜杜拉·艾则孜").is_ok());
//! let e = check(NameKind::DrawId, "GY-2026-01\u{200b}").unwrap_err();
//! assert_eq!(
//!     e.problem,
//!     NameProblem::Character { ch: '\u{200b}', position: 11, why: CharProblem::Format }
//! );
//! ```

use unicode_normalization::is_nfc;
use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

/// Longest name accepted, in characters (Unicode scalar values).
pub const MAX_CHARS: usize = 100;

/// What a name names; party names may also hold inner spaces and `·`.
///
/// ```
/// use double_random::NameKind;
/// assert_eq!(NameKind::DrawId.to_string(), "draw id");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameKind {
    /// The id of a draw: becomes a folder name and part of file names.
    DrawId,
    /// The name of a party (the organiser, a witness): shown to people and used in file names.
    PartyName,
}

impl std::fmt::Display for NameKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            NameKind::DrawId => "draw id",
            NameKind::PartyName => "party name",
        })
    }
}

/// Why one character is refused.
///
/// ```
/// use double_random::CharProblem;
/// assert_eq!(CharProblem::Bidi.to_string(), "it changes the direction of the text around it");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CharProblem {
    /// An invisible format character (general category Cf), such as U+200B or U+FEFF.
    #[error("it is an invisible format character")]
    Format,
    /// A bidirectional control (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069).
    #[error("it changes the direction of the text around it")]
    Bidi,
    /// A control character (Cc).
    #[error("it is a control character")]
    Control,
    /// A dash other than ASCII `-` (Pd), such as U+2010 HYPHEN or U+2014 EM DASH.
    #[error("it is a dash that looks like - but is not; use the ASCII -")]
    Dash,
    /// A code point with no character assigned (Cn).
    #[error("no character is assigned to it")]
    Unassigned,
    /// A private-use character or a surrogate (Co, Cs).
    #[error("it is a private-use character")]
    PrivateUse,
    /// A space or separator that is not an inner ASCII space of a party name.
    #[error("it is a space or separator not allowed here")]
    Space,
    /// A combining mark that does not follow a letter.
    #[error("it is a combining mark that does not follow a letter")]
    LoneMark,
    /// Any other punctuation or symbol.
    #[error("it is punctuation or a symbol not allowed in names")]
    NotAllowed,
}

/// Why a name is refused.
///
/// ```
/// use double_random::NameProblem;
/// assert_eq!(NameProblem::Empty.to_string(), "it is empty");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameProblem {
    /// No characters.
    #[error("it is empty")]
    Empty,
    /// More than 100 characters (SPEC §3.6).
    #[error("it has {chars} characters, more than {max}")]
    TooLong {
        /// Its length in characters.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// Not in Unicode normalisation form C.
    #[error("it is not in Unicode normal form C (NFC)")]
    NotNfc,
    /// One character cannot be used.
    #[error("character {position} (U+{:04X}) cannot be used: {why}", u32::from(*.ch))]
    Character {
        /// The character.
        ch: char,
        /// Its position, from 1, in characters.
        position: usize,
        /// Why.
        why: CharProblem,
    },
    /// Starts with a dot (a hidden file on Unix; `.` and `..` name folders).
    #[error("it starts with a dot")]
    LeadingDot,
    /// Ends with a dot or a space, which Windows drops from file names.
    #[error("it ends with a dot or a space, which Windows drops from file names")]
    TrailingDotOrSpace,
    /// Two spaces in a row, which look like one.
    #[error("it has two spaces in a row")]
    DoubleSpace,
    /// A name Windows reserves for a device (`CON`, `NUL.txt`, `com1`, …).
    #[error("{reserved} is a device name on Windows and cannot be a file name")]
    WindowsReserved {
        /// The reserved name, in upper case.
        reserved: String,
    },
}

/// A refused name: which kind, the value, and why.
///
/// ```
/// use double_random::{internals::check_name as check, NameKind};
/// let e = check(NameKind::DrawId, "CON").unwrap_err();
/// assert_eq!(e.to_string(), "draw id \"CON\" cannot be used: CON is a device name on Windows and cannot be a file name");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} {value:?} cannot be used: {problem}")]
#[non_exhaustive]
pub struct NameError {
    /// What the name names.
    pub kind: NameKind,
    /// The name as given.
    pub value: String,
    /// Why it is refused.
    pub problem: NameProblem,
}

/// The bidirectional controls (Unicode property Bidi_Control).
const BIDI_CONTROLS: &[char] = &[
    '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}',
    '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
];

/// The device names Windows reserves, with or without an extension, in any letter case.
const WINDOWS_RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
    "COM8", "COM9", "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Checks a draw id or party name against SPEC §3.6.
///
/// Call it wherever a name enters: on the command line, when an announcement is read, before a
/// folder is made. It is pure and cheap.
///
/// # Errors
///
/// The first rule the name breaks, in the order of SPEC §3.6 (see [`NameProblem`]).
///
/// ```
/// use double_random::{internals::check_name as check, CharProblem, NameKind, NameProblem};
///
/// assert!(check(NameKind::PartyName, "纪检监督员 王芳").is_ok());
/// assert_eq!(check(NameKind::DrawId, "a b").unwrap_err().problem,
///            NameProblem::Character { ch: ' ', position: 2, why: CharProblem::Space });
/// assert_eq!(check(NameKind::DrawId, "GY\u{2010}1").unwrap_err().problem,
///            NameProblem::Character { ch: '\u{2010}', position: 3, why: CharProblem::Dash });
/// ```
pub fn check(kind: NameKind, value: &str) -> Result<(), NameError> {
    problem(kind, value).map_or(Ok(()), |problem| {
        Err(NameError {
            kind,
            value: value.to_owned(),
            problem,
        })
    })
}

fn problem(kind: NameKind, value: &str) -> Option<NameProblem> {
    if value.is_empty() {
        return Some(NameProblem::Empty);
    }
    let chars = value.chars().count();
    if chars > MAX_CHARS {
        return Some(NameProblem::TooLong {
            chars,
            max: MAX_CHARS,
        });
    }
    let mut after_letter = false;
    for (i, ch) in value.chars().enumerate() {
        let why = char_problem(kind, ch, after_letter);
        if let Some(why) = why {
            return Some(NameProblem::Character {
                ch,
                position: i + 1,
                why,
            });
        }
        let group = ch.general_category_group();
        after_letter = group == GeneralCategoryGroup::Letter
            || (after_letter && group == GeneralCategoryGroup::Mark);
    }
    if !is_nfc(value) {
        return Some(NameProblem::NotNfc);
    }
    if value.starts_with('.') {
        return Some(NameProblem::LeadingDot);
    }
    if value.ends_with(['.', ' ']) {
        return Some(NameProblem::TrailingDotOrSpace);
    }
    if value.starts_with(' ') {
        return Some(NameProblem::Character {
            ch: ' ',
            position: 1,
            why: CharProblem::Space,
        });
    }
    if value.contains("  ") {
        return Some(NameProblem::DoubleSpace);
    }
    let base = value
        .split('.')
        .next()
        .unwrap_or(value)
        .trim_end_matches(' ');
    let upper = base.to_ascii_uppercase();
    if WINDOWS_RESERVED.contains(&upper.as_str()) {
        return Some(NameProblem::WindowsReserved { reserved: upper });
    }
    None
}

fn char_problem(kind: NameKind, ch: char, after_letter: bool) -> Option<CharProblem> {
    if matches!(ch, '-' | '_' | '.') {
        return None;
    }
    if kind == NameKind::PartyName && matches!(ch, ' ' | '\u{00B7}') {
        return None;
    }
    if BIDI_CONTROLS.contains(&ch) {
        return Some(CharProblem::Bidi);
    }
    use GeneralCategory as G;
    match ch.general_category() {
        G::DecimalNumber => None,
        _ if ch.general_category_group() == GeneralCategoryGroup::Letter => None,
        G::NonspacingMark | G::SpacingMark | G::EnclosingMark => {
            (!after_letter).then_some(CharProblem::LoneMark)
        }
        G::Format => Some(CharProblem::Format),
        G::Control => Some(CharProblem::Control),
        G::Unassigned => Some(CharProblem::Unassigned),
        G::PrivateUse | G::Surrogate => Some(CharProblem::PrivateUse),
        G::DashPunctuation => Some(CharProblem::Dash),
        G::SpaceSeparator | G::LineSeparator | G::ParagraphSeparator => Some(CharProblem::Space),
        _ => Some(CharProblem::NotAllowed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn why(kind: NameKind, value: &str) -> Option<NameProblem> {
        check(kind, value).err().map(|e| e.problem)
    }

    fn char_at(ch: char, position: usize, why: CharProblem) -> Option<NameProblem> {
        Some(NameProblem::Character { ch, position, why })
    }

    #[test]
    fn look_alike_draw_ids_are_refused() {
        use NameKind::DrawId;
        assert_eq!(why(DrawId, "GY-2026-01"), None);
        for (ch, problem) in [
            ('\u{200B}', CharProblem::Format),
            ('\u{2060}', CharProblem::Format),
            ('\u{FEFF}', CharProblem::Format),
            ('\u{00AD}', CharProblem::Format),
            ('\u{202E}', CharProblem::Bidi),
            ('\u{200F}', CharProblem::Bidi),
            ('\u{2066}', CharProblem::Bidi),
            ('\u{0007}', CharProblem::Control),
            ('\u{E000}', CharProblem::PrivateUse),
            ('\u{0378}', CharProblem::Unassigned),
            ('\u{00A0}', CharProblem::Space),
            ('\u{3000}', CharProblem::Space),
            ('\u{2028}', CharProblem::Space),
            ('\u{2013}', CharProblem::Dash),
            ('/', CharProblem::NotAllowed),
            ('\\', CharProblem::NotAllowed),
            (':', CharProblem::NotAllowed),
            ('\u{00B7}', CharProblem::NotAllowed),
        ] {
            assert_eq!(
                why(DrawId, &format!("GY-2026-01{ch}1")),
                char_at(ch, 11, problem),
                "U+{:04X}",
                u32::from(ch)
            );
        }
        for dash in [
            '\u{2010}', '\u{2011}', '\u{2012}', '\u{2014}', '\u{2015}', '\u{FE63}',
        ] {
            assert_eq!(
                why(DrawId, &format!("GY{dash}2026")),
                char_at(dash, 3, CharProblem::Dash)
            );
        }
    }

    #[test]
    fn letters_digits_and_marks_of_any_script() {
        use NameKind::{DrawId, PartyName};
        for ok in [
            "抽查-2026_01.1",
            "ئۇيغۇر",
            "བོད",
            "Ñandú",
            "\u{e9}x",
            "कि",
            "١٢٣",
        ] {
            assert_eq!(why(DrawId, ok), None, "{ok}");
        }
        // A mark after a letter is fine; after a digit, a dash or at the start it is not.
        assert_eq!(why(DrawId, "ab\u{0308}"), None);
        assert_eq!(why(DrawId, "a\u{0308}"), Some(NameProblem::NotNfc));
        assert_eq!(why(DrawId, "q\u{0308}\u{0323}"), Some(NameProblem::NotNfc));
        assert_eq!(why(DrawId, "q\u{0323}\u{0308}"), None);
        assert_eq!(
            why(DrawId, "1\u{0301}"),
            char_at('\u{0301}', 2, CharProblem::LoneMark)
        );
        assert_eq!(
            why(DrawId, "\u{0301}a"),
            char_at('\u{0301}', 1, CharProblem::LoneMark)
        );
        // Party names: inner spaces and the middle dot.
        assert_eq!(why(PartyName, "阿卜杜拉·艾则孜"), None);
        assert_eq!(why(PartyName, "Witness A"), None);
        assert_eq!(why(PartyName, "Witness  A"), Some(NameProblem::DoubleSpace));
        assert_eq!(why(PartyName, " A"), char_at(' ', 1, CharProblem::Space));
        assert_eq!(why(PartyName, "A "), Some(NameProblem::TrailingDotOrSpace));
        assert_eq!(
            why(PartyName, "A\u{3000}B"),
            char_at('\u{3000}', 2, CharProblem::Space)
        );
    }

    #[test]
    fn file_name_rules() {
        use NameKind::{DrawId, PartyName};
        assert_eq!(why(DrawId, ""), Some(NameProblem::Empty));
        assert_eq!(why(DrawId, &"x".repeat(100)), None);
        assert_eq!(
            why(DrawId, &"抽".repeat(101)),
            Some(NameProblem::TooLong {
                chars: 101,
                max: 100
            })
        );
        assert_eq!(why(DrawId, "."), Some(NameProblem::LeadingDot));
        assert_eq!(why(DrawId, ".."), Some(NameProblem::LeadingDot));
        assert_eq!(why(DrawId, ".hidden"), Some(NameProblem::LeadingDot));
        assert_eq!(why(DrawId, "a."), Some(NameProblem::TrailingDotOrSpace));
        for (name, reserved) in [
            ("CON", "CON"),
            ("nul", "NUL"),
            ("NUL.txt", "NUL"),
            ("com1", "COM1"),
            ("Lpt9.a.b", "LPT9"),
            ("aux", "AUX"),
        ] {
            assert_eq!(
                why(DrawId, name),
                Some(NameProblem::WindowsReserved {
                    reserved: reserved.to_owned()
                }),
                "{name}"
            );
        }
        assert_eq!(
            why(PartyName, "PRN .x"),
            Some(NameProblem::WindowsReserved {
                reserved: "PRN".to_owned()
            })
        );
        for ok in ["CONSOLE", "COM10", "NULL", "x.CON", "LPT"] {
            assert_eq!(why(DrawId, ok), None, "{ok}");
        }
    }
}
