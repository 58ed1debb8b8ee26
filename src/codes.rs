//! Identifiers and classification codes: parse, normalise and check them.
//!
//! * 统一社会信用代码 (unified social credit code, USCC), GB 32100-2015: 18 characters from
//!   [`USCC_CHARSET`], the last one a check character ([`uscc_check_char`]).
//! * 注册号 (the legacy 15-digit business registration number): the last digit is an ISO 7064
//!   MOD 11,10 check digit ([`regno_check_digit`]).
//! * The GB 11714 organisation code carried in positions 9–17 of a USCC ([`org_code_check`]).
//! * 行政区划代码 (administrative division code), GB/T 2260 ([`parse_region`]).
//! * 行业代码 (industry code), GB/T 4754-2017 ([`parse_industry`], [`industry_section`]).
//!
//! Every `parse_*` function first applies [`normalize::code`] (full width to ASCII, spaces removed,
//! ASCII upper case), then either returns the canonical form or a [`CodeError`] that says what is
//! wrong in words a roster clerk understands, including the typical ways Excel damages codes. The
//! functions are pure: no I/O, and no panic on any input. They do not know the file or line a value
//! came from; the roster readers add that.
//!
//! ```
//! use double_random::codes::{parse_entity_id, parse_industry, parse_region, EntityId};
//!
//! let (id, warnings) = parse_entity_id(" ９１３５０１００ｍ０００１００ｙ４３ ").unwrap();
//! assert_eq!(id, EntityId::Uscc("91350100M000100Y43".to_owned()));
//! assert!(warnings.is_empty());
//!
//! assert_eq!(parse_region("520102").unwrap(), "520102");
//! assert_eq!(parse_industry("1311").unwrap(), "C1311");
//!
//! let err = parse_entity_id("9.13501E+17").unwrap_err();
//! assert!(err.to_string().contains("format the column as Text"));
//! ```

use std::fmt;

use crate::normalize;

/// The 31 characters a USCC may contain, in value order: `'0'` is worth 0, `'A'` 10, `'Y'` 30.
///
/// GB 32100-2015 leaves out I, O, S, V and Z so that they cannot be confused with 1, 0, 5, U and 2.
///
/// ```
/// use double_random::codes::USCC_CHARSET;
///
/// assert_eq!(USCC_CHARSET.len(), 31);
/// assert_eq!(USCC_CHARSET.find('A'), Some(10));
/// assert!(!USCC_CHARSET.contains(['I', 'O', 'S', 'V', 'Z']));
/// ```
pub const USCC_CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// [`USCC_CHARSET`] as bytes, indexed by value.
const USCC_BYTES: [u8; 31] = *b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// USCC weights for positions 1..=17: 3^(i-1) mod 31.
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// GB 11714 weights for the 8 body characters of an organisation code.
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// Which kind of code a [`CodeError`] is about; its `Display` names it for a reader.
///
/// Errors carry it so that one message template reads right for every code.
///
/// ```
/// use double_random::codes::CodeKind;
///
/// assert_eq!(CodeKind::Region.to_string(), "administrative division code (行政区划代码)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CodeKind {
    /// An entity identifier whose kind is not known yet (USCC or 注册号, told apart by length).
    EntityId,
    /// A 统一社会信用代码 (GB 32100-2015).
    Uscc,
    /// A legacy 15-digit 注册号.
    RegNo,
    /// A 行政区划代码 (GB/T 2260).
    Region,
    /// A 行业代码 (GB/T 4754-2017).
    Industry,
}

impl fmt::Display for CodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CodeKind::EntityId => "entity code (统一社会信用代码 or 注册号)",
            CodeKind::Uscc => "unified social credit code (统一社会信用代码)",
            CodeKind::RegNo => "registration number (注册号)",
            CodeKind::Region => "administrative division code (行政区划代码)",
            CodeKind::Industry => "industry code (行业代码)",
        })
    }
}

/// Why a code was rejected.
///
/// Every variant carries the offending value *after* [`normalize::code`] (so a position counts
/// characters of that value, from 1) and nothing about where it came from: the roster readers wrap
/// it with the file, line and field. The messages are meant for the person who maintains the roster.
///
/// ```
/// use double_random::codes::{parse_entity_id, CodeError, CodeKind};
///
/// let err = parse_entity_id("91350100M000100Y4O").unwrap_err();
/// assert_eq!(
///     err,
///     CodeError::BadCharacter {
///         kind: CodeKind::Uscc,
///         value: "91350100M000100Y4O".to_owned(),
///         position: 18,
///         ch: 'O',
///     }
/// );
/// assert!(err.to_string().contains("I, O, S, V and Z are never used"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CodeError {
    /// Nothing is left after removing spaces.
    #[error("the {kind} is empty")]
    Empty {
        /// The code that was expected.
        kind: CodeKind,
    },

    /// The value looks like `9.13501E+17`: a spreadsheet stored the code as a number and the digits
    /// are gone.
    #[error(
        "the {kind} {value:?} looks like a number that Excel turned into scientific notation, \
         so the real code is lost; in Excel, format the column as Text, enter or paste the codes \
         again, and export the file again"
    )]
    ScientificNotation {
        /// The code that was expected.
        kind: CodeKind,
        /// The value as read.
        value: String,
    },

    /// 18 digits ending in `000` that fail the check: a spreadsheet kept only the first 15 digits.
    #[error(
        "the unified social credit code (统一社会信用代码) {value:?} ends in 000 and its check \
         character is wrong: Excel probably stored the code as a number, which keeps only the \
         first 15 digits; in Excel, format the column as Text, enter or paste the codes again, and \
         export the file again"
    )]
    PrecisionLost {
        /// The value as read.
        value: String,
    },

    /// The value has the wrong number of characters.
    #[error(
        "the {kind} {value:?} has {len} characters, but it should have {}",
        alternatives(expected)
    )]
    BadLength {
        /// The code that was expected.
        kind: CodeKind,
        /// The value as read.
        value: String,
        /// Its length in characters.
        len: usize,
        /// The lengths that would be accepted.
        expected: &'static [usize],
    },

    /// A character that this kind of code never contains.
    #[error(
        "character {position} of the {kind} {value:?} is {ch:?}, {}",
        bad_character_reason(*kind, *ch)
    )]
    BadCharacter {
        /// The code being read.
        kind: CodeKind,
        /// The value as read.
        value: String,
        /// Where the character stands, counting characters from 1.
        position: usize,
        /// The character.
        ch: char,
    },

    /// The check character does not match the other characters: a typing or reading mistake.
    #[error(
        "the {kind} {value:?} is not valid: its last character is {found:?}, but the characters \
         before it require {expected:?}; one of the characters is probably mistyped"
    )]
    BadCheck {
        /// The code being read.
        kind: CodeKind,
        /// The value as read.
        value: String,
        /// The check character computed from the other characters.
        expected: char,
        /// The check character found.
        found: char,
    },

    /// Five digits where a 行政区划代码 has six.
    #[error(
        "the administrative division code (行政区划代码) {value:?} has 5 digits, but it should \
         have 6: a digit was dropped, as happens when a spreadsheet stores the column as a number \
         (which drops leading zeros); format the column as Text, correct the codes, and export the \
         file again"
    )]
    RegionDigitMissing {
        /// The value as read.
        value: String,
    },

    /// A 行政区划代码 whose first digit is 0 or 9.
    #[error(
        "the administrative division code (行政区划代码) {value:?} starts with {first:?}, but \
         these codes start with a digit from 1 to 8"
    )]
    RegionBadFirstDigit {
        /// The value as read.
        value: String,
        /// Its first digit.
        first: char,
    },

    /// A 行业代码 of a single digit: the leading zero of `01`..`09` was dropped.
    #[error(
        "the industry code (行业代码) {value:?} has a single digit, but industry codes have 2 to 4; \
         a spreadsheet probably dropped a leading zero (01 becomes 1); format the column as Text, \
         correct the codes, and export the file again"
    )]
    IndustryLeadingZeroLost {
        /// The value as read.
        value: String,
    },

    /// A 行业代码 that is neither a section letter nor 2 to 4 digits, with or without the letter.
    #[error(
        "the industry code (行业代码) {value:?} is not written as one: use a section letter, 2 to 4 \
         digits, or a section letter followed by 2 to 4 digits (for example C, 1311 or C1311)"
    )]
    BadIndustryFormat {
        /// The value as read.
        value: String,
    },

    /// A section letter after T.
    #[error(
        "the industry code (行业代码) {value:?} names section {section:?}, but GB/T 4754-2017 has \
         only sections A to T"
    )]
    UnknownIndustrySection {
        /// The value as read.
        value: String,
        /// The letter.
        section: char,
    },

    /// Digits whose first two (the division, 大类) are not a GB/T 4754-2017 division.
    #[error(
        "the industry code (行业代码) {value:?} starts with division {division:02}, which \
         GB/T 4754-2017 does not have"
    )]
    UnknownIndustryDivision {
        /// The value as read.
        value: String,
        /// The first two digits.
        division: u8,
    },

    /// A section letter that contradicts the division, as in `A1311`.
    #[error(
        "the industry code (行业代码) {value:?} puts division {division:02} in section \
         {section:?}, but division {division:02} belongs to section {expected:?}"
    )]
    IndustrySectionMismatch {
        /// The value as read.
        value: String,
        /// The letter written.
        section: char,
        /// The first two digits.
        division: u8,
        /// The section that the division belongs to.
        expected: char,
    },
}

impl CodeError {
    /// A stable code for this kind of problem, without its values (`code.…`): what the
    /// command line groups repeated problems by, and what a program may match on.
    ///
    /// ```
    /// use double_random::codes::{uscc_check_char, CodeError};
    /// let e = CodeError::Empty { kind: double_random::codes::CodeKind::Uscc };
    /// assert_eq!(e.code(), "code.empty");
    /// # let _ = uscc_check_char;
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            CodeError::Empty { .. } => "code.empty",
            CodeError::ScientificNotation { .. } => "code.scientific_notation",
            CodeError::PrecisionLost { .. } => "code.precision_lost",
            CodeError::BadLength { .. } => "code.bad_length",
            CodeError::BadCharacter { .. } => "code.bad_character",
            CodeError::BadCheck { .. } => "code.bad_check",
            CodeError::RegionDigitMissing { .. } => "code.region_digit_missing",
            CodeError::RegionBadFirstDigit { .. } => "code.region_bad_first_digit",
            CodeError::IndustryLeadingZeroLost { .. } => "code.industry_leading_zero_lost",
            CodeError::BadIndustryFormat { .. } => "code.bad_industry_format",
            CodeError::UnknownIndustrySection { .. } => "code.unknown_industry_section",
            CodeError::UnknownIndustryDivision { .. } => "code.unknown_industry_division",
            CodeError::IndustrySectionMismatch { .. } => "code.industry_section_mismatch",
        }
    }
}

/// "18 or 15", "6".
fn alternatives(lengths: &[usize]) -> String {
    let words: Vec<String> = lengths.iter().map(usize::to_string).collect();
    words.join(" or ")
}

fn bad_character_reason(kind: CodeKind, ch: char) -> &'static str {
    match kind {
        CodeKind::Uscc if matches!(ch, 'I' | 'O' | 'S' | 'V' | 'Z') => {
            "but the letters I, O, S, V and Z are never used in this code (perhaps 1, 0, 5, U or 2 \
             was meant)"
        }
        CodeKind::Uscc => {
            "which this code never contains: it uses only the digits 0 to 9 and the letters A to Y \
             other than I, O, S, V and Z"
        }
        CodeKind::RegNo | CodeKind::Region => "but this code has only digits",
        CodeKind::EntityId | CodeKind::Industry => "which is not allowed here",
    }
}

/// A warning about a code that was accepted.
///
/// Some checks are not honoured by every issuer; their failure is reported, not fatal. Like
/// [`CodeError`], a warning carries the normalised value and no file or line.
///
/// ```
/// use double_random::codes::{parse_entity_id, CodeWarning};
///
/// // A valid USCC whose organisation-code part fails its own check.
/// let (_, warnings) = parse_entity_id("91350100M000100Y56").unwrap();
/// assert_eq!(warnings, [CodeWarning::OrgCodeCheck { uscc: "91350100M000100Y56".to_owned() }]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CodeWarning {
    /// Positions 9–17 of a USCC fail the GB 11714 organisation-code check.
    #[error(
        "the organisation code inside the unified social credit code (统一社会信用代码) {uscc:?} \
         (characters 9 to 17) fails its GB 11714 check; some registration offices issue such \
         codes, so it is accepted, but it is worth comparing with the business licence"
    )]
    OrgCodeCheck {
        /// The whole USCC.
        uscc: String,
    },
}

impl CodeWarning {
    /// A stable code for this kind of problem, without its values (`code.…`): what the
    /// command line groups repeated problems by, and what a program may match on.
    pub fn code(&self) -> &'static str {
        match self {
            CodeWarning::OrgCodeCheck { .. } => "code.org_code_check",
        }
    }
}

/// A checked entity identifier in canonical form.
///
/// Rosters identify an entity by its 统一社会信用代码 or, for records that predate it, by its
/// 15-digit 注册号. [`parse_entity_id`] is the way to obtain one from roster text; the variants are
/// public for matching.
///
/// ```
/// use double_random::codes::{parse_entity_id, EntityId};
///
/// let (id, _) = parse_entity_id("110108000000016").unwrap();
/// assert!(matches!(id, EntityId::RegNo(_)));
/// assert_eq!(id.as_str(), "110108000000016");
/// assert_eq!(id.to_string(), "110108000000016");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityId {
    /// An 18-character 统一社会信用代码 with a correct check character.
    Uscc(String),
    /// A 15-digit 注册号 with a correct check digit.
    RegNo(String),
}

impl EntityId {
    /// The identifier's text.
    ///
    /// Use it to print, compare or fingerprint the identifier without caring about its kind.
    ///
    /// ```
    /// use double_random::codes::parse_entity_id;
    ///
    /// let (id, _) = parse_entity_id("91350100m000100y43").unwrap();
    /// assert_eq!(id.as_str(), "91350100M000100Y43");
    /// ```
    pub fn as_str(&self) -> &str {
        match self {
            EntityId::Uscc(s) | EntityId::RegNo(s) => s,
        }
    }

    /// Which kind of identifier this is: [`CodeKind::Uscc`] or [`CodeKind::RegNo`].
    ///
    /// Useful where a message or a report names the kind.
    ///
    /// ```
    /// use double_random::codes::{parse_entity_id, CodeKind};
    ///
    /// let (id, _) = parse_entity_id("91350100M000100Y43").unwrap();
    /// assert_eq!(id.kind(), CodeKind::Uscc);
    /// ```
    pub fn kind(&self) -> CodeKind {
        match self {
            EntityId::Uscc(_) => CodeKind::Uscc,
            EntityId::RegNo(_) => CodeKind::RegNo,
        }
    }
}

impl fmt::Display for EntityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The value of a USCC character, if it is one.
fn uscc_value(c: char) -> Option<u32> {
    let b = u8::try_from(c).ok()?;
    match USCC_VALUE[usize::from(b)] {
        NOT_USCC => None,
        v => Some(u32::from(v)),
    }
}

/// Marks bytes outside [`USCC_CHARSET`] in [`USCC_VALUE`].
pub(crate) const NOT_USCC: u8 = 0xFF;

/// The value (position in [`USCC_CHARSET`]) of each byte, [`NOT_USCC`] for the others.
pub(crate) const USCC_VALUE: [u8; 256] = {
    let mut t = [NOT_USCC; 256];
    let mut i = 0;
    while i < USCC_BYTES.len() {
        t[USCC_BYTES[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// The USCC check character for a 17-character prefix, or the first character (1-based position)
/// that is not in the charset.
fn uscc_check(first17: &str) -> Result<char, (usize, char)> {
    let mut sum = 0u32;
    for (i, (c, w)) in first17.chars().zip(USCC_WEIGHTS).enumerate() {
        sum += uscc_value(c).ok_or((i + 1, c))? * w;
    }
    Ok(char::from(USCC_BYTES[((31 - sum % 31) % 31) as usize]))
}

/// Computes the GB 32100-2015 check character (the 18th) of a 统一社会信用代码 from its first 17.
///
/// Each character has its value in [`USCC_CHARSET`] (0..=30); position i (from 1) is weighted
/// 3^(i-1) mod 31; the check value is (31 − Σ value·weight mod 31) mod 31, written back through the
/// same charset. Because 31 is prime and no weight is 0 mod 31, every single-character change is
/// detected. `first17` must already be in canonical form (see [`normalize::code`]); lower-case
/// letters are rejected.
///
/// # Errors
///
/// [`CodeError::BadLength`] unless `first17` has exactly 17 characters, and
/// [`CodeError::BadCharacter`] for a character outside [`USCC_CHARSET`].
///
/// ```
/// use double_random::codes::uscc_check_char;
///
/// // The example of GB 32100-2015: Σ = 1640, 1640 mod 31 = 28, check value 31 − 28 = 3.
/// assert_eq!(uscc_check_char("91350100M000100Y4").unwrap(), '3');
/// assert!(uscc_check_char("91350100M000100Y").is_err());
/// ```
pub fn uscc_check_char(first17: &str) -> Result<char, CodeError> {
    let len = first17.chars().count();
    if len != 17 {
        return Err(CodeError::BadLength {
            kind: CodeKind::Uscc,
            value: first17.to_owned(),
            len,
            expected: &[17],
        });
    }
    uscc_check(first17).map_err(|(position, ch)| CodeError::BadCharacter {
        kind: CodeKind::Uscc,
        value: first17.to_owned(),
        position,
        ch,
    })
}

/// ISO 7064 MOD 11,10 check digit of a string of ASCII digits (no other characters expected).
fn mod11_10(digits: &str) -> char {
    let mut p = 10u32;
    for d in digits.bytes() {
        let mut s = (p + u32::from(d.wrapping_sub(b'0'))) % 10;
        if s == 0 {
            s = 10;
        }
        p = (2 * s) % 11;
    }
    // p is in 1..=10 here, so 11 - p does not underflow.
    char::from(b'0' + ((11 - p) % 10) as u8)
}

/// The first character (1-based position) of `s` that is not an ASCII digit.
fn first_non_digit(s: &str) -> Option<(usize, char)> {
    s.chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii_digit())
        .map(|(i, c)| (i + 1, c))
}

/// Computes the check digit (the 15th) of a legacy 注册号 from its first 14 digits.
///
/// The 15-digit business registration number used before the USCC ends in an ISO 7064 MOD 11,10
/// check digit: P = 10; for each digit d, S = (P + d) mod 10 with 0 read as 10, then P = 2S mod 11;
/// the check digit is (11 − P) mod 10. Rosters still list entities under these numbers.
///
/// # Errors
///
/// [`CodeError::BadLength`] unless `first14` has exactly 14 characters, and
/// [`CodeError::BadCharacter`] for a character that is not an ASCII digit.
///
/// ```
/// use double_random::codes::regno_check_digit;
///
/// assert_eq!(regno_check_digit("11010800000001").unwrap(), '6');
/// assert!(regno_check_digit("1101080000000A").is_err());
/// ```
pub fn regno_check_digit(first14: &str) -> Result<char, CodeError> {
    let len = first14.chars().count();
    if len != 14 {
        return Err(CodeError::BadLength {
            kind: CodeKind::RegNo,
            value: first14.to_owned(),
            len,
            expected: &[14],
        });
    }
    if let Some((position, ch)) = first_non_digit(first14) {
        return Err(CodeError::BadCharacter {
            kind: CodeKind::RegNo,
            value: first14.to_owned(),
            position,
            ch,
        });
    }
    Ok(mod11_10(first14))
}

/// Whether a 9-character GB 11714 organisation code (such as positions 9–17 of a USCC) carries a
/// correct check character.
///
/// The first 8 characters are valued 0–9 for digits and A = 10 … Z = 35 for capital letters,
/// weighted 3, 7, 9, 10, 5, 8, 4, 2; the check is 11 − (Σ mod 11), written `X` for 10 and `0` for 11.
/// Not every issuer honours this check inside a USCC, so [`parse_entity_id`] only warns about it.
/// Any other length or character gives `false`.
///
/// ```
/// use double_random::codes::org_code_check;
///
/// assert!(org_code_check("M000100Y4")); // from the GB 32100-2015 example USCC
/// assert!(org_code_check("D2143569X"));
/// assert!(!org_code_check("D21435690"));
/// assert!(!org_code_check("d2143569X"));
/// ```
pub fn org_code_check(subject9: &str) -> bool {
    // Every character accepted is ASCII, so the bytes are read (a roster checks every row).
    let b = subject9.as_bytes();
    if b.len() != 9 {
        return false;
    }
    // Summed without a branch per character; a byte outside the charset sets the high bit.
    let mut sum = 0u32;
    let mut seen = 0u8;
    for (&c, w) in b[..8].iter().zip(ORG_WEIGHTS) {
        let value = ORG_VALUE[usize::from(c)];
        seen |= value;
        sum += u32::from(value) * w;
    }
    if seen & OUTSIDE != 0 {
        return false;
    }
    let expected = match 11 - sum % 11 {
        10 => b'X',
        11 => b'0',
        d => b'0' + d as u8,
    };
    b[8] == expected
}

/// Whether a normalised value looks like a number in scientific notation, as spreadsheets write
/// long numbers: digits, a decimal point or comma, digits, `E`, a sign, digits (`9.13501E+17`,
/// `9,13501E+17`, `9.13501E17`, `9E+17`). Without either the separator or the sign (`12E34`) it is
/// not taken for one, since a USCC may hold a single `E` among digits.
fn looks_scientific(value: &str) -> bool {
    let Some((mantissa, exponent)) = value.split_once('E') else {
        return false;
    };
    let (int, frac) = match mantissa.split_once(['.', ',']) {
        Some((int, frac)) => (int, Some(frac)),
        None => (mantissa, None),
    };
    let (sign, exp_digits) = match exponent.strip_prefix(['+', '-']) {
        Some(rest) => (true, rest),
        None => (false, exponent),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    !int.is_empty()
        && all_digits(int)
        && frac.is_none_or(all_digits)
        && !exp_digits.is_empty()
        && all_digits(exp_digits)
        && (frac.is_some() || sign)
}

/// Whether `value` is already an entity id in canonical form that [`parse_entity_id`] accepts
/// unchanged and without a warning.
///
/// A reader of millions of rows checks each id with this first and goes through
/// [`parse_entity_id`] (which allocates and explains) only when it says no.
pub(crate) fn is_clean_entity_id(value: &str) -> bool {
    // `looks_scientific` needs a `.`, `,`, `+` or `-`, which neither form below holds.
    let b = value.as_bytes();
    match b.len() {
        18 => is_checked_uscc(b) && org_code_check(&value[8..17]),
        15 => b.iter().all(u8::is_ascii_digit) && char::from(b[14]) == mod11_10(&value[..14]),
        _ => false,
    }
}

/// Whether `value` is a USCC in canonical form whose check character is right but whose
/// organisation code (characters 9–17) fails the GB 11714 check: [`parse_entity_id`] accepts it
/// unchanged with the one warning [`CodeWarning::OrgCodeCheck`].
///
/// Such ids are common enough in real rosters that a reader of millions of rows gives the
/// warning itself rather than send each such row through [`parse_entity_id`].
pub(crate) fn is_checked_uscc_with_org_warning(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 18 && is_checked_uscc(b) && !org_code_check(&value[8..17])
}

/// The value of each byte in a GB 11714 organisation code (`0`–`9`, then `A`–`Z` from 10), or
/// one with [`OUTSIDE`] set.
const ORG_VALUE: [u8; 256] = {
    let mut t = [NOT_USCC; 256];
    let mut c = 0;
    while c < 10 {
        t[b'0' as usize + c] = c as u8;
        c += 1;
    }
    c = 0;
    while c < 26 {
        t[b'A' as usize + c] = 10 + c as u8;
        c += 1;
    }
    t
};

/// The bit no value of a code character has and [`NOT_USCC`] has.
const OUTSIDE: u8 = 0x80;

/// 18 bytes of the USCC charset whose last is the check character of the other 17.
fn is_checked_uscc(b: &[u8]) -> bool {
    // Summed without a branch per character; a byte outside the charset sets the high bit.
    let mut sum = 0u32;
    let mut seen = 0u8;
    for (&c, w) in b[..17].iter().zip(USCC_WEIGHTS) {
        let v = USCC_VALUE[usize::from(c)];
        seen |= v;
        sum += u32::from(v) * w;
    }
    if seen & OUTSIDE != 0 {
        return false;
    }
    b[17] == USCC_BYTES[((31 - sum % 31) % 31) as usize]
}

/// Whether `value` is a region code that [`parse_region`] returns unchanged.
pub(crate) fn is_clean_region(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 6 && b.iter().all(u8::is_ascii_digit) && (b'1'..=b'8').contains(&b[0])
}

/// Whether `value` is an industry code that [`parse_industry`] returns unchanged.
pub(crate) fn is_clean_industry(value: &str) -> bool {
    let b = value.as_bytes();
    let Some((&letter, digits)) = b.split_first() else {
        return false;
    };
    if !(b'A'..=b'T').contains(&letter) || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    match digits.len() {
        0 => !looks_scientific(value),
        2..=4 => {
            let division = (digits[0] - b'0') * 10 + (digits[1] - b'0');
            industry_section(division) == Some(char::from(letter))
        }
        _ => false,
    }
}

/// Normalises and checks an entity identifier: a 统一社会信用代码 or a legacy 注册号.
///
/// Applies [`normalize::code`], then tells the kind by length. 18 characters: a USCC, every
/// character in [`USCC_CHARSET`] and a correct check character ([`uscc_check_char`]); a failed
/// GB 11714 check on positions 9–17 is returned as a [`CodeWarning`], not an error. 15 characters:
/// a 注册号, all digits with a correct check digit ([`regno_check_digit`]). Use it on every
/// identifier read from a roster, so that the same entity typed in full width, lower case or with
/// spaces becomes one canonical string.
///
/// # Errors
///
/// [`CodeError::Empty`]; [`CodeError::ScientificNotation`] for values such as `9.13501E+17`;
/// [`CodeError::BadLength`] for any length but 18 and 15; [`CodeError::BadCharacter`];
/// [`CodeError::BadCheck`]; [`CodeError::PrecisionLost`] for 18 digits ending in `000` that fail
/// the check (a spreadsheet kept 15 significant digits).
///
/// ```
/// use double_random::codes::{parse_entity_id, CodeError, EntityId};
///
/// let (id, warnings) = parse_entity_id("91350100M000100Y43").unwrap();
/// assert_eq!(id, EntityId::Uscc("91350100M000100Y43".to_owned()));
/// assert!(warnings.is_empty());
///
/// assert!(matches!(
///     parse_entity_id("91350100M000100Y44"),
///     Err(CodeError::BadCheck { expected: '3', found: '4', .. })
/// ));
/// assert!(matches!(parse_entity_id("9,13501E+17"), Err(CodeError::ScientificNotation { .. })));
/// ```
pub fn parse_entity_id(raw: &str) -> Result<(EntityId, Vec<CodeWarning>), CodeError> {
    let value = normalize::code(raw);
    if value.is_empty() {
        return Err(CodeError::Empty {
            kind: CodeKind::EntityId,
        });
    }
    if looks_scientific(&value) {
        return Err(CodeError::ScientificNotation {
            kind: CodeKind::EntityId,
            value,
        });
    }
    match value.chars().count() {
        18 => parse_uscc(value),
        15 => parse_regno(value).map(|id| (id, Vec::new())),
        len => Err(CodeError::BadLength {
            kind: CodeKind::EntityId,
            value,
            len,
            expected: &[18, 15],
        }),
    }
}

/// Checks an 18-character normalised value as a USCC.
fn parse_uscc(value: String) -> Result<(EntityId, Vec<CodeWarning>), CodeError> {
    let mut prefix = value.chars();
    let found = prefix.next_back().unwrap_or_default();
    let checked = uscc_check(prefix.as_str()).and_then(|expected| match uscc_value(found) {
        Some(_) => Ok(expected),
        None => Err((18, found)),
    });
    let expected = match checked {
        Ok(expected) => expected,
        Err((position, ch)) => {
            return Err(CodeError::BadCharacter {
                kind: CodeKind::Uscc,
                value,
                position,
                ch,
            });
        }
    };
    if found != expected {
        if value.ends_with("000") && value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CodeError::PrecisionLost { value });
        }
        return Err(CodeError::BadCheck {
            kind: CodeKind::Uscc,
            value,
            expected,
            found,
        });
    }
    let mut warnings = Vec::new();
    // Every character is in the charset, so ASCII: byte offsets are character offsets.
    if !value.get(8..17).is_some_and(org_code_check) {
        warnings.push(CodeWarning::OrgCodeCheck {
            uscc: value.clone(),
        });
    }
    Ok((EntityId::Uscc(value), warnings))
}

/// Checks a 15-character normalised value as a 注册号.
fn parse_regno(value: String) -> Result<EntityId, CodeError> {
    if let Some((position, ch)) = first_non_digit(&value) {
        return Err(CodeError::BadCharacter {
            kind: CodeKind::RegNo,
            value,
            position,
            ch,
        });
    }
    // All ASCII digits: byte offsets are character offsets.
    let (first14, found) = value.split_at(14);
    let expected = mod11_10(first14);
    if !found.starts_with(expected) {
        let found = found.chars().next().unwrap_or(' ');
        return Err(CodeError::BadCheck {
            kind: CodeKind::RegNo,
            value,
            expected,
            found,
        });
    }
    Ok(EntityId::RegNo(value))
}

/// Normalises and checks a 行政区划代码 (GB/T 2260 administrative division code).
///
/// After [`normalize::code`] the code must be exactly 6 ASCII digits, the first from 1 to 8. Only
/// the form is checked, not whether the division exists (divisions change every year). Use it on
/// the region column of both rosters.
///
/// # Errors
///
/// [`CodeError::Empty`]; [`CodeError::ScientificNotation`]; [`CodeError::RegionDigitMissing`] for
/// 5 digits (a spreadsheet dropped one); [`CodeError::BadLength`]; [`CodeError::BadCharacter`] for
/// a non-digit; [`CodeError::RegionBadFirstDigit`] for a first digit 0 or 9.
///
/// ```
/// use double_random::codes::{parse_region, CodeError};
///
/// assert_eq!(parse_region(" ５２０１０２ ").unwrap(), "520102");
/// assert!(matches!(parse_region("52010"), Err(CodeError::RegionDigitMissing { .. })));
/// assert!(matches!(parse_region("020102"), Err(CodeError::RegionBadFirstDigit { first: '0', .. })));
/// ```
pub fn parse_region(raw: &str) -> Result<String, CodeError> {
    let value = normalize::code(raw);
    if value.is_empty() {
        return Err(CodeError::Empty {
            kind: CodeKind::Region,
        });
    }
    if looks_scientific(&value) {
        return Err(CodeError::ScientificNotation {
            kind: CodeKind::Region,
            value,
        });
    }
    let len = value.chars().count();
    if len == 5 && first_non_digit(&value).is_none() {
        return Err(CodeError::RegionDigitMissing { value });
    }
    if len != 6 {
        return Err(CodeError::BadLength {
            kind: CodeKind::Region,
            value,
            len,
            expected: &[6],
        });
    }
    if let Some((position, ch)) = first_non_digit(&value) {
        return Err(CodeError::BadCharacter {
            kind: CodeKind::Region,
            value,
            position,
            ch,
        });
    }
    match value.chars().next() {
        Some('1'..='8') => Ok(value),
        first => {
            let first = first.unwrap_or('0');
            Err(CodeError::RegionBadFirstDigit { value, first })
        }
    }
}

/// The GB/T 4754-2017 section (门类, `A`..=`T`) of a division (大类, the first two digits of an
/// industry code), or `None` if there is no such division.
///
/// Divisions are numbered 01–97 across the sections: A 01–05, B 06–12, C 13–43, D 44–46, E 47–50,
/// F 51–52, G 53–60, H 61–62, I 63–65, J 66–69, K 70, L 71–72, M 73–75, N 76–79, O 80–82, P 83,
/// Q 84–85, R 86–90, S 91–96, T 97. [`parse_industry`] uses it to add or check the section letter.
///
/// ```
/// use double_random::codes::industry_section;
///
/// assert_eq!(industry_section(13), Some('C'));
/// assert_eq!(industry_section(97), Some('T'));
/// assert_eq!(industry_section(0), None);
/// assert_eq!(industry_section(98), None);
/// ```
pub fn industry_section(division: u8) -> Option<char> {
    Some(match division {
        1..=5 => 'A',
        6..=12 => 'B',
        13..=43 => 'C',
        44..=46 => 'D',
        47..=50 => 'E',
        51..=52 => 'F',
        53..=60 => 'G',
        61..=62 => 'H',
        63..=65 => 'I',
        66..=69 => 'J',
        70 => 'K',
        71..=72 => 'L',
        73..=75 => 'M',
        76..=79 => 'N',
        80..=82 => 'O',
        83 => 'P',
        84..=85 => 'Q',
        86..=90 => 'R',
        91..=96 => 'S',
        97 => 'T',
        _ => return None,
    })
}

/// Normalises and checks a 行业代码 (GB/T 4754-2017 industry code) into its canonical form: the
/// section letter followed by the digits, if any.
///
/// Accepted after [`normalize::code`]: a section letter alone (`A`..=`T`), 2 to 4 digits (division
/// 大类, group 中类 or class 小类), or a section letter followed by 2 to 4 digits. Bare digits get
/// their section letter from [`industry_section`]; a letter given with digits must agree with it.
/// The canonical form makes plan filters on a code prefix work the same whichever way the roster
/// wrote the code: `1311`, `c1311` and `C1311` all become `C1311`, and `C13` is a prefix of it.
/// Groups and classes are not looked up in a table; only the division is.
///
/// # Errors
///
/// [`CodeError::Empty`]; [`CodeError::ScientificNotation`]; [`CodeError::IndustryLeadingZeroLost`]
/// for a single digit; [`CodeError::BadIndustryFormat`]; [`CodeError::UnknownIndustrySection`] for a
/// letter after `T`; [`CodeError::UnknownIndustryDivision`]; [`CodeError::IndustrySectionMismatch`]
/// for a letter that contradicts the digits, as in `A1311`.
///
/// ```
/// use double_random::codes::{parse_industry, CodeError};
///
/// assert_eq!(parse_industry("1311").unwrap(), "C1311");
/// assert_eq!(parse_industry("c13").unwrap(), "C13");
/// assert_eq!(parse_industry("Ｃ").unwrap(), "C");
/// assert_eq!(parse_industry("0111").unwrap(), "A0111");
/// assert!(matches!(
///     parse_industry("A1311"),
///     Err(CodeError::IndustrySectionMismatch { expected: 'C', .. })
/// ));
/// ```
pub fn parse_industry(raw: &str) -> Result<String, CodeError> {
    let value = normalize::code(raw);
    if value.is_empty() {
        return Err(CodeError::Empty {
            kind: CodeKind::Industry,
        });
    }
    if looks_scientific(&value) {
        return Err(CodeError::ScientificNotation {
            kind: CodeKind::Industry,
            value,
        });
    }
    let letter = value.chars().next().filter(char::is_ascii_uppercase);
    // The letter, if any, is one ASCII byte, so this slice starts on a character boundary.
    let digits = match letter {
        Some(_) => value.get(1..).unwrap_or_default(),
        None => value.as_str(),
    };
    if first_non_digit(digits).is_some() {
        return Err(CodeError::BadIndustryFormat { value });
    }
    let section_known = |c: char| c <= 'T';
    match (letter, digits.len()) {
        (Some(section), 0) if section_known(section) => Ok(value),
        (Some(section), 0) => Err(CodeError::UnknownIndustrySection { value, section }),
        (None, 1) if digits != "0" => Err(CodeError::IndustryLeadingZeroLost { value }),
        (_, 2..=4) => {
            let division = digits
                .bytes()
                .take(2)
                .fold(0u8, |acc, b| acc * 10 + (b - b'0'));
            let Some(expected) = industry_section(division) else {
                return Err(CodeError::UnknownIndustryDivision { value, division });
            };
            match letter {
                Some(section) if !section_known(section) => {
                    Err(CodeError::UnknownIndustrySection { value, section })
                }
                Some(section) if section != expected => Err(CodeError::IndustrySectionMismatch {
                    value,
                    section,
                    division,
                    expected,
                }),
                _ => Ok(format!("{expected}{digits}")),
            }
        }
        _ => Err(CodeError::BadIndustryFormat { value }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The standard's example, completed with its check character.
    const EXAMPLE: &str = "91350100M000100Y43";

    fn uscc(id: &str) -> Result<EntityId, CodeError> {
        parse_entity_id(id).map(|(id, _)| id)
    }

    /// GB 11714's check as the standard states it, on characters: what [`org_code_check`]
    /// computes on bytes.
    fn org_code_check_on_chars(subject9: &str) -> bool {
        let mut chars = subject9.chars();
        let mut sum = 0u32;
        for w in ORG_WEIGHTS {
            let value = match chars.next() {
                Some(c @ '0'..='9') => u32::from(c) - u32::from('0'),
                Some(c @ 'A'..='Z') => u32::from(c) - u32::from('A') + 10,
                _ => return false,
            };
            sum += value * w;
        }
        let expected = match 11 - sum % 11 {
            10 => 'X',
            11 => '0',
            d => char::from_digit(d, 10).unwrap_or('?'),
        };
        chars.next() == Some(expected) && chars.next().is_none()
    }

    proptest! {
        #[test]
        fn org_code_check_on_bytes_is_the_check_on_characters(
            s in prop_oneof!["[0-9A-Z]{8}[0-9X]", "[0-9A-Za-z]{7,10}", ".{0,10}", "[0-9]{8}[０-９é]"],
        ) {
            prop_assert_eq!(org_code_check(&s), org_code_check_on_chars(&s));
        }

        #[test]
        fn clean_checks_agree_with_the_parsers(
            raw in prop_oneof![
                "[0-9A-Z]{18}",
                "[0-9A-HJ-NP-RTUWXY]{10}[\\x00-\\x7f][0-9A-HJ-NP-RTUWXY]{7}",
                "[0-9]{15}",
                "[0-9A-Za-z ]{0,20}",
                "[1-9][0-9]{5}",
                "[0-9]{5,7}",
                "[A-Z]?[0-9]{0,5}",
                "[0-9]E[0-9]{1,3}",
                Just("E".to_string()),
            ],
            fix_check in any::<bool>(),
        ) {
            let mut raw = raw;
            // Half the 18- and 15-character candidates get their correct check character.
            if fix_check && raw.len() == 18 && raw.bytes().all(|c| uscc_value(char::from(c)).is_some()) {
                let c = uscc_check(&raw[..17]).unwrap();
                raw.replace_range(17.., &c.to_string());
            }
            if fix_check && raw.len() == 15 && raw.bytes().all(|c| c.is_ascii_digit()) {
                let c = mod11_10(&raw[..14]);
                raw.replace_range(14.., &c.to_string());
            }
            let id_ok = matches!(parse_entity_id(&raw), Ok((id, w)) if id.as_str() == raw && w.is_empty());
            prop_assert_eq!(is_clean_entity_id(&raw), id_ok, "{}", raw);
            let warned = matches!(parse_entity_id(&raw), Ok((id, w))
                if id.as_str() == raw && w == [CodeWarning::OrgCodeCheck { uscc: raw.clone() }]);
            prop_assert_eq!(is_checked_uscc_with_org_warning(&raw), warned, "{}", raw);
            let region_ok = parse_region(&raw).is_ok_and(|v| v == raw);
            prop_assert_eq!(is_clean_region(&raw), region_ok, "{}", raw);
            let industry_ok = parse_industry(&raw).is_ok_and(|v| v == raw);
            prop_assert_eq!(is_clean_industry(&raw), industry_ok, "{}", raw);
        }
    }

    #[test]
    fn clean_checks_accept_canonical_codes() {
        assert!(is_clean_entity_id(EXAMPLE));
        assert!(is_clean_entity_id("110108000000016"));
        assert!(!is_clean_entity_id("91350100m000100Y43"));
        assert!(is_clean_region("520102"));
        assert!(!is_clean_region("020102"));
        assert!(is_clean_industry("C1311") && is_clean_industry("T") && !is_clean_industry("1311"));
    }

    #[test]
    fn charset_and_weights_are_as_specified() {
        assert_eq!(USCC_CHARSET.as_bytes(), &USCC_BYTES);
        for (i, w) in USCC_WEIGHTS.iter().enumerate() {
            let mut p = 1u32;
            for _ in 0..i {
                p = p * 3 % 31;
            }
            assert_eq!(*w, p, "weight of position {}", i + 1);
        }
        // Every letter but I, O, S, V, Z, in order after the digits.
        let expected: String = ('0'..='9')
            .chain(('A'..='Z').filter(|c| !"IOSVZ".contains(*c)))
            .collect();
        assert_eq!(USCC_CHARSET, expected);
    }

    #[test]
    fn standard_example_check_char() {
        assert_eq!(uscc_check_char("91350100M000100Y4"), Ok('3'));
        let (id, warnings) = parse_entity_id(EXAMPLE).unwrap();
        assert_eq!(id, EntityId::Uscc(EXAMPLE.to_owned()));
        assert_eq!(id.kind(), CodeKind::Uscc);
        assert!(warnings.is_empty());
    }

    #[test]
    fn uscc_check_char_rejects_wrong_input() {
        assert_eq!(
            uscc_check_char(""),
            Err(CodeError::BadLength {
                kind: CodeKind::Uscc,
                value: String::new(),
                len: 0,
                expected: &[17],
            })
        );
        assert_eq!(
            uscc_check_char("91350100m000100Y4"),
            Err(CodeError::BadCharacter {
                kind: CodeKind::Uscc,
                value: "91350100m000100Y4".to_owned(),
                position: 9,
                ch: 'm',
            })
        );
        // 17 characters, one of them multi-byte.
        assert!(matches!(
            uscc_check_char("91350100中000100Y4"),
            Err(CodeError::BadCharacter {
                position: 9,
                ch: '中',
                ..
            })
        ));
    }

    #[test]
    fn check_values_cover_the_whole_charset() {
        // Changing the last prefix character (weight 28, invertible mod 31) walks every check value.
        let mut seen = std::collections::BTreeSet::new();
        for c in USCC_CHARSET.chars() {
            seen.insert(uscc_check_char(&format!("91350100M000100Y{c}")).unwrap());
        }
        assert_eq!(seen.len(), 31);
    }

    #[test]
    fn messy_input_normalises_to_the_same_uscc() {
        for raw in [
            "91350100M000100Y43",
            "91350100m000100y43",
            " 91350100M000100Y43\u{a0}",
            "\u{feff}９１３５０１００Ｍ０００１００Ｙ４３",
            "9135 0100 M000 100Y 43",
            "\t91350100M000100Y43\r\n",
        ] {
            assert_eq!(uscc(raw), Ok(EntityId::Uscc(EXAMPLE.to_owned())), "{raw:?}");
        }
    }

    #[test]
    fn uscc_bad_characters() {
        for (raw, position, ch) in [
            ("91350100M000100Y4O", 18, 'O'),
            ("I1350100M000100Y43", 1, 'I'),
            ("91350100S000100Y43", 9, 'S'),
            ("91350100M000100V43", 16, 'V'),
            ("9135010ZM000100Y43", 8, 'Z'),
            ("91350100M000-00Y43", 13, '-'),
            ("91350100M中00100Y43", 10, '中'),
        ] {
            let err = parse_entity_id(raw).unwrap_err();
            assert_eq!(
                err,
                CodeError::BadCharacter {
                    kind: CodeKind::Uscc,
                    value: raw.to_owned(),
                    position,
                    ch,
                },
                "{raw}"
            );
        }
        let msg = parse_entity_id("91350100M000100Y4O")
            .unwrap_err()
            .to_string();
        assert!(msg.contains("character 18"), "{msg}");
        assert!(msg.contains("I, O, S, V and Z are never used"), "{msg}");
        let msg = parse_entity_id("91350100M000-00Y43")
            .unwrap_err()
            .to_string();
        assert!(msg.contains("only the digits 0 to 9"), "{msg}");
    }

    #[test]
    fn uscc_bad_check() {
        let err = parse_entity_id("91350100M000100Y4A").unwrap_err();
        assert_eq!(
            err,
            CodeError::BadCheck {
                kind: CodeKind::Uscc,
                value: "91350100M000100Y4A".to_owned(),
                expected: '3',
                found: 'A',
            }
        );
        let msg = err.to_string();
        assert!(msg.contains("'A'") && msg.contains("'3'"), "{msg}");
    }

    #[test]
    fn org_code_check_failure_is_a_warning() {
        // Change the organisation code's check character (position 17) and recompute the USCC's.
        let first17 = "91350100M000100Y5";
        let check = uscc_check_char(first17).unwrap();
        let id = format!("{first17}{check}");
        let (parsed, warnings) = parse_entity_id(&id).unwrap();
        assert_eq!(parsed, EntityId::Uscc(id.clone()));
        assert_eq!(warnings, [CodeWarning::OrgCodeCheck { uscc: id.clone() }]);
        assert!(warnings[0].to_string().contains("GB 11714"));
    }

    #[test]
    fn org_code_check_examples_and_edge_cases() {
        assert!(org_code_check("M000100Y4"));
        // D2143569: 39+14+9+40+15+40+24+18 = 199, 199 mod 11 = 1, 11 - 1 = 10 -> X.
        assert!(org_code_check("D2143569X"));
        for c in "0123456789ABY".chars() {
            assert!(!org_code_check(&format!("D2143569{c}")));
        }
        // Σ mod 11 = 0 gives 11, written '0': find a body with that sum.
        let zero_case = (0..100_000_000u32)
            .step_by(7919)
            .map(|n| format!("{n:08}"))
            .find(|body| {
                let sum: u32 = body
                    .bytes()
                    .zip(ORG_WEIGHTS)
                    .map(|(b, w)| u32::from(b - b'0') * w)
                    .sum();
                sum.is_multiple_of(11)
            })
            .expect("some body has Σ ≡ 0 mod 11");
        assert!(org_code_check(&format!("{zero_case}0")));
        assert!(!org_code_check(&format!("{zero_case}X")));
        assert!(!org_code_check(""));
        assert!(!org_code_check("M000100Y"));
        assert!(!org_code_check("M000100Y44"));
        assert!(!org_code_check("M000100中4"));
    }

    #[test]
    fn regno_iso7064_examples() {
        // ISO/IEC 7064's own MOD 11,10 example: 0794 -> 5.
        assert_eq!(mod11_10("0794"), '5');
        // A 注册号 of the Beijing Haidian form, worked by hand (digit: S, P):
        // start P = 10; 1: 1, 2; 1: 3, 6; 0: 6, 1; 1: 2, 4; 0: 4, 8; 8: 6, 1; 0: 1, 2; 0: 2, 4;
        // 0: 4, 8; 0: 8, 5; 0: 5, 10; 0: 0 -> 10, 9; 0: 9, 7; 1: 8, 5; check (11 - 5) mod 10 = 6.
        assert_eq!(regno_check_digit("11010800000001"), Ok('6'));
        assert_eq!(
            uscc("110108000000016"),
            Ok(EntityId::RegNo("110108000000016".to_owned()))
        );
        // A case where P = 1 at the end, so the check digit is 0.
        assert_eq!(regno_check_digit("32050000000001"), Ok('0'));
        assert_eq!(regno_check_digit("52010000000001"), Ok('2'));
        assert_eq!(regno_check_digit("44030100000123"), Ok('3'));
    }

    #[test]
    fn regno_errors() {
        assert_eq!(
            parse_entity_id("110108000000017"),
            Err(CodeError::BadCheck {
                kind: CodeKind::RegNo,
                value: "110108000000017".to_owned(),
                expected: '6',
                found: '7',
            })
        );
        assert_eq!(
            parse_entity_id("11010800000A016"),
            Err(CodeError::BadCharacter {
                kind: CodeKind::RegNo,
                value: "11010800000A016".to_owned(),
                position: 12,
                ch: 'A',
            })
        );
        assert!(matches!(
            regno_check_digit("1101080000000"),
            Err(CodeError::BadLength {
                len: 13,
                expected: &[14],
                ..
            })
        ));
        assert!(matches!(
            regno_check_digit("1101080000000１"),
            Err(CodeError::BadCharacter {
                position: 14,
                ch: '１',
                ..
            })
        ));
        // Full-width digits are fine through the parser, which normalises first.
        assert_eq!(
            uscc("１１０１０８０００００００１６"),
            Ok(EntityId::RegNo("110108000000016".to_owned()))
        );
    }

    #[test]
    fn regno_detects_every_single_substitution() {
        for prefix in ["11010800000001", "32050000000001", "44030100000123"] {
            let id = format!("{prefix}{}", regno_check_digit(prefix).unwrap());
            assert!(uscc(&id).is_ok());
            for pos in 0..15 {
                for d in '0'..='9' {
                    let mut changed: Vec<char> = id.chars().collect();
                    if changed[pos] == d {
                        continue;
                    }
                    changed[pos] = d;
                    let changed: String = changed.into_iter().collect();
                    assert!(uscc(&changed).is_err(), "{changed} passed");
                }
            }
        }
    }

    #[test]
    fn entity_id_lengths() {
        assert_eq!(
            parse_entity_id(" \u{3000} "),
            Err(CodeError::Empty {
                kind: CodeKind::EntityId
            })
        );
        let err = parse_entity_id("91350100M000100Y4").unwrap_err();
        assert_eq!(
            err,
            CodeError::BadLength {
                kind: CodeKind::EntityId,
                value: "91350100M000100Y4".to_owned(),
                len: 17,
                expected: &[18, 15],
            }
        );
        assert!(err.to_string().contains("has 17 characters"));
        assert!(err.to_string().contains("18 or 15"));
        // Length counts characters, not bytes.
        assert!(matches!(
            parse_entity_id("统一社会信用代码"),
            Err(CodeError::BadLength { len: 8, .. })
        ));
    }

    #[test]
    fn scientific_notation_is_recognised() {
        for raw in [
            "9.13501E+17",
            "9.13501e17",
            "9,13501E+17",
            "9.13501E+017",
            "9E+17",
            "9.1350100000E+17",
            " 9.13501E+17 ",
            "９．１３５０１Ｅ＋１７",
            "1.10108E-05",
        ] {
            let err = parse_entity_id(raw).unwrap_err();
            assert!(
                matches!(
                    err,
                    CodeError::ScientificNotation {
                        kind: CodeKind::EntityId,
                        ..
                    }
                ),
                "{raw}: {err:?}"
            );
            let msg = err.to_string();
            assert!(msg.contains("format the column as Text"), "{msg}");
            assert!(msg.contains("export the file again"), "{msg}");
        }
        assert!(matches!(
            parse_region("5.20102E+05"),
            Err(CodeError::ScientificNotation {
                kind: CodeKind::Region,
                ..
            })
        ));
        assert!(matches!(
            parse_industry("1.311E+03"),
            Err(CodeError::ScientificNotation {
                kind: CodeKind::Industry,
                ..
            })
        ));
        // Not scientific notation: no separator and no sign, or missing parts.
        for value in [
            "12E34", "E+17", "9.1E", "9.1E+", "9.1X+17", ".5E+1", "9..1E+1", "E",
        ] {
            assert!(!looks_scientific(value), "{value}");
        }
    }

    #[test]
    fn a_valid_uscc_with_one_e_is_not_taken_for_scientific_notation() {
        // Digits around a single E, with a digit check character: a real USCC can look like this.
        let first17 = (0..31u32)
            .map(|n| format!("9135010{n:02}E0001000"))
            .find(|p| uscc_check_char(p).is_ok_and(|c| c.is_ascii_digit()))
            .unwrap();
        let id = format!("{first17}{}", uscc_check_char(&first17).unwrap());
        assert!(matches!(uscc(&id), Ok(EntityId::Uscc(_))), "{id}");
    }

    #[test]
    fn truncated_digits_are_reported_as_precision_loss() {
        // 913501001234567890 stored as a spreadsheet number reads back as 913501001234567000.
        let err = parse_entity_id("913501001234567000").unwrap_err();
        assert_eq!(
            err,
            CodeError::PrecisionLost {
                value: "913501001234567000".to_owned()
            }
        );
        assert!(err.to_string().contains("first 15 digits"));
        // An all-digit USCC ending in 000 whose check is right is accepted.
        let first17 = (0..100u32)
            .map(|n| format!("9135010012345{n:02}00"))
            .find(|p| uscc_check_char(p) == Ok('0'))
            .unwrap();
        assert!(uscc(&format!("{first17}0")).is_ok());
    }

    #[test]
    fn regions() {
        assert_eq!(parse_region("110000"), Ok("110000".to_owned()));
        assert_eq!(parse_region("８２００００"), Ok("820000".to_owned()));
        assert_eq!(parse_region(" 520102\u{a0}"), Ok("520102".to_owned()));
        assert_eq!(
            parse_region("52010"),
            Err(CodeError::RegionDigitMissing {
                value: "52010".to_owned()
            })
        );
        assert!(
            parse_region("52010")
                .unwrap_err()
                .to_string()
                .contains("format the column as Text")
        );
        assert_eq!(
            parse_region(""),
            Err(CodeError::Empty {
                kind: CodeKind::Region
            })
        );
        assert_eq!(
            parse_region("5201020"),
            Err(CodeError::BadLength {
                kind: CodeKind::Region,
                value: "5201020".to_owned(),
                len: 7,
                expected: &[6],
            })
        );
        assert!(matches!(
            parse_region("5201O2"),
            Err(CodeError::BadCharacter {
                position: 5,
                ch: 'O',
                ..
            })
        ));
        assert!(matches!(
            parse_region("5201"),
            Err(CodeError::BadLength { len: 4, .. })
        ));
        assert!(matches!(
            parse_region("5201A"),
            Err(CodeError::BadLength { len: 5, .. })
        ));
        assert!(matches!(
            parse_region("52010二"),
            Err(CodeError::BadCharacter {
                position: 6,
                ch: '二',
                ..
            })
        ));
        assert!(matches!(
            parse_region("52010²"),
            Err(CodeError::BadCharacter {
                position: 6,
                ch: '²',
                ..
            })
        ));
        assert_eq!(
            parse_region("910000"),
            Err(CodeError::RegionBadFirstDigit {
                value: "910000".to_owned(),
                first: '9'
            })
        );
        assert!(matches!(
            parse_region("000000"),
            Err(CodeError::RegionBadFirstDigit { first: '0', .. })
        ));
    }

    #[test]
    fn industry_section_table() {
        let expected = [
            ('A', 1, 5),
            ('B', 6, 12),
            ('C', 13, 43),
            ('D', 44, 46),
            ('E', 47, 50),
            ('F', 51, 52),
            ('G', 53, 60),
            ('H', 61, 62),
            ('I', 63, 65),
            ('J', 66, 69),
            ('K', 70, 70),
            ('L', 71, 72),
            ('M', 73, 75),
            ('N', 76, 79),
            ('O', 80, 82),
            ('P', 83, 83),
            ('Q', 84, 85),
            ('R', 86, 90),
            ('S', 91, 96),
            ('T', 97, 97),
        ];
        for division in 0..=u8::MAX {
            let want = expected
                .iter()
                .find(|(_, lo, hi)| (*lo..=*hi).contains(&division))
                .map(|(s, _, _)| *s);
            assert_eq!(industry_section(division), want, "division {division}");
        }
        // The sections follow each other without gaps from 01 to 97.
        assert!(expected.windows(2).all(|w| w[0].2 + 1 == w[1].1));
    }

    #[test]
    fn industries() {
        for (raw, want) in [
            ("1311", "C1311"),
            ("C1311", "C1311"),
            ("c13", "C13"),
            ("C", "C"),
            ("t", "T"),
            ("131", "C131"),
            ("01", "A01"),
            ("a0111", "A0111"),
            ("97", "T97"),
            ("７０", "K70"),
            (" Ｆ５１ ", "F51"),
        ] {
            assert_eq!(parse_industry(raw), Ok(want.to_owned()), "{raw}");
        }
        assert_eq!(
            parse_industry("A1311"),
            Err(CodeError::IndustrySectionMismatch {
                value: "A1311".to_owned(),
                section: 'A',
                division: 13,
                expected: 'C',
            })
        );
        assert_eq!(parse_industry("A0511"), Ok("A0511".to_owned()));
        assert_eq!(
            parse_industry("98"),
            Err(CodeError::UnknownIndustryDivision {
                value: "98".to_owned(),
                division: 98
            })
        );
        assert!(
            parse_industry("00")
                .unwrap_err()
                .to_string()
                .contains("division 00")
        );
        assert_eq!(
            parse_industry("U"),
            Err(CodeError::UnknownIndustrySection {
                value: "U".to_owned(),
                section: 'U'
            })
        );
        assert!(matches!(
            parse_industry("Z13"),
            Err(CodeError::UnknownIndustrySection { section: 'Z', .. })
        ));
        assert_eq!(
            parse_industry("5"),
            Err(CodeError::IndustryLeadingZeroLost {
                value: "5".to_owned()
            })
        );
        for bad in [
            "0", "13111", "C13111", "CC13", "C1", "13C", "1-3", "中13", "C１３X", "²³",
        ] {
            assert!(
                matches!(
                    parse_industry(bad),
                    Err(CodeError::BadIndustryFormat { .. })
                ),
                "{bad}: {:?}",
                parse_industry(bad)
            );
        }
        assert_eq!(
            parse_industry("\u{3000}"),
            Err(CodeError::Empty {
                kind: CodeKind::Industry
            })
        );
    }

    /// The check detects every single-character substitution: weights are non-zero mod 31 and 31 is
    /// prime, so a change of value δ ≠ 0 changes the sum by δ·w ≢ 0. Verified here exhaustively for
    /// several codes, every position and every replacement.
    #[test]
    fn uscc_detects_every_single_substitution_exhaustively() {
        for first17 in [
            "91350100M000100Y4",
            "12100000400000624",
            "Y1000000000000000",
            "00000000000000000",
        ] {
            let id = format!("{first17}{}", uscc_check_char(first17).unwrap());
            assert!(uscc(&id).is_ok(), "{id}");
            for pos in 0..18 {
                for c in USCC_CHARSET.chars() {
                    let mut changed: Vec<char> = id.chars().collect();
                    if changed[pos] == c {
                        continue;
                    }
                    changed[pos] = c;
                    let changed: String = changed.into_iter().collect();
                    assert!(uscc(&changed).is_err(), "{changed} passed");
                }
            }
        }
    }

    /// Adjacent transpositions are caught too: swapping values a ≠ b at positions i, i+1 changes the
    /// sum by (a − b)(wᵢ − wᵢ₊₁) = (a − b)·wᵢ·(1 − 3) ≢ 0 mod 31, and the check character acts as
    /// weight 1 after w₁₇ = 28.
    #[test]
    fn uscc_detects_every_adjacent_transposition() {
        let first17 = "91350100M000100Y4";
        for a in USCC_CHARSET.chars() {
            for b in USCC_CHARSET.chars().filter(|&b| b != a) {
                for pos in 0..17 {
                    let mut chars: Vec<char> = first17.chars().collect();
                    chars[pos] = a;
                    if pos + 1 < 17 {
                        chars[pos + 1] = b;
                    }
                    let p: String = chars.iter().collect();
                    let id = format!("{p}{}", uscc_check_char(&p).unwrap());
                    let mut swapped: Vec<char> = id.chars().collect();
                    swapped.swap(pos, pos + 1);
                    if swapped[pos] == swapped[pos + 1] {
                        continue;
                    }
                    let swapped: String = swapped.into_iter().collect();
                    assert!(uscc(&swapped).is_err(), "{id} -> {swapped} passed");
                }
            }
        }
    }

    fn uscc_prefix() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(USCC_BYTES.to_vec()), 17)
            .prop_map(|bytes| bytes.into_iter().map(char::from).collect())
    }

    /// Strings near the codes' alphabet, to reach past the first checks.
    fn codeish() -> impl Strategy<Value = String> {
        "[0-9A-Za-z０-９Ａ-Ｚａ-ｚ .,+Ee\u{3000}\u{a0}\u{feff}中-]{0,22}"
    }

    proptest! {
        #[test]
        fn parsers_never_panic(s in any::<String>()) {
            let _ = parse_entity_id(&s);
            let _ = parse_region(&s);
            let _ = parse_industry(&s);
            let _ = uscc_check_char(&s);
            let _ = regno_check_digit(&s);
            let _ = org_code_check(&s);
        }

        #[test]
        fn parsers_never_panic_near_the_alphabet(s in codeish()) {
            if let Ok((id, _)) = parse_entity_id(&s) {
                // A valid id re-parses to itself.
                prop_assert_eq!(parse_entity_id(id.as_str()).map(|(i, _)| i), Ok(id.clone()));
            }
            if let Ok(region) = parse_region(&s) {
                prop_assert_eq!(parse_region(&region), Ok(region.clone()));
            }
            if let Ok(industry) = parse_industry(&s) {
                prop_assert_eq!(parse_industry(&industry), Ok(industry.clone()));
            }
            let _ = uscc_check_char(&s);
            let _ = regno_check_digit(&s);
            let _ = org_code_check(&s);
            // Errors render without panicking.
            for e in [parse_entity_id(&s).err(), parse_region(&s).err(), parse_industry(&s).err()].into_iter().flatten() {
                prop_assert!(!e.to_string().is_empty());
            }
        }

        #[test]
        fn computed_check_char_validates(p in uscc_prefix()) {
            let check = uscc_check_char(&p).unwrap();
            let id = format!("{p}{check}");
            let (parsed, _) = parse_entity_id(&id.to_lowercase()).unwrap();
            prop_assert_eq!(parsed, EntityId::Uscc(id));
        }

        #[test]
        fn any_single_substitution_is_detected(
            p in uscc_prefix(),
            pos in 0usize..18,
            replacement in proptest::sample::select(USCC_BYTES.to_vec()),
        ) {
            let check = uscc_check_char(&p).unwrap();
            let mut bytes = format!("{p}{check}").into_bytes();
            prop_assume!(bytes[pos] != replacement);
            bytes[pos] = replacement;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(parse_entity_id(&changed).is_err(), "{} passed", changed);
        }

        #[test]
        fn regno_round_trip(p in "[0-9]{14}") {
            let id = format!("{p}{}", regno_check_digit(&p).unwrap());
            prop_assert_eq!(parse_entity_id(&id), Ok((EntityId::RegNo(id.clone()), Vec::new())));
        }

        #[test]
        fn industry_digits_get_their_section(division in 1u8..=97, rest in "[0-9]{0,2}") {
            let digits = format!("{division:02}{rest}");
            let section = industry_section(division).unwrap();
            let want = format!("{section}{digits}");
            prop_assert_eq!(parse_industry(&digits), Ok(want.clone()));
            prop_assert_eq!(parse_industry(&want.to_lowercase()), Ok(want.clone()));
        }
    }
}
