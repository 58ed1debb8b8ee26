//! External beacons as integer groups: one value, one encoding (SPEC §8.4.2).
//!
//! A lottery result typed by a person has many spellings (`03 09 14`, `3,9,14`, `０３、０９、１４。`).
//! If the typed text entered the seed, whoever types it could try spellings until the seed
//! suited them. So the announcement fixes the value's *shape* (how many integers, in which range,
//! distinct or not, ordered or a set), every spelling of the same integers reads to the same
//! canonical groups, anything else is refused, and only the canonical groups enter the seed.
//!
//! ```
//! use double_random::ceremony::groups::{read_typed, GroupSpec};
//!
//! let ssq = GroupSpec::shuangseqiu();
//! let a = read_typed(&ssq, "03 09 14 21 26 31 + 07")?;
//! let b = read_typed(&ssq, "３，９，１４，２１，２６，３１，７。")?;
//! let c = read_typed(&ssq, "31 26 21 14 09 03 | 07")?; // red balls are a set: order does not count
//! assert_eq!(a, b);
//! assert_eq!(a, c);
//! assert_eq!(a, vec![vec![3, 9, 14, 21, 26, 31], vec![7]]);
//! assert!(read_typed(&ssq, "03 09 14 21 26 31 07 红").is_err());
//! # Ok::<(), double_random::ceremony::groups::GroupError>(())
//! ```

use serde::{Deserialize, Serialize};

/// The largest integer a group may hold.
pub const MAX_VALUE: u64 = 999_999_999;
/// The most groups a beacon may have.
pub const MAX_GROUPS: usize = 16;
/// The most integers in one group.
pub const MAX_COUNT: u64 = 64;

/// The shape of one group of integers, fixed in the announcement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    /// How many integers the group holds.
    pub count: u64,
    /// Smallest allowed integer.
    pub min: u64,
    /// Largest allowed integer.
    pub max: u64,
    /// No integer appears twice.
    pub distinct: bool,
    /// The order written counts; otherwise the group is a set and is sorted ascending.
    pub ordered: bool,
}

/// Why a shape or a value was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GroupError {
    /// No group, or more than [`MAX_GROUPS`].
    #[error("a beacon has 1 to {MAX_GROUPS} groups, this one has {found}")]
    GroupCount {
        /// Groups given.
        found: usize,
    },
    /// A group's shape is impossible or out of bounds.
    #[error(
        "group {group}: count {count}, range {min}–{max}, distinct {distinct} is not a valid shape"
    )]
    BadShape {
        /// 1-based group number.
        group: usize,
        /// Its count.
        count: u64,
        /// Its minimum.
        min: u64,
        /// Its maximum.
        max: u64,
        /// Whether distinct.
        distinct: bool,
    },
    /// A character that is neither a digit nor a separator.
    #[error(
        "character {ch:?} (U+{code:04X}) at position {position} is neither a digit nor a separator"
    )]
    BadCharacter {
        /// The character (after width folding).
        ch: char,
        /// Its code point.
        code: u32,
        /// 1-based position in the typed text, in characters.
        position: usize,
    },
    /// A number with too many digits.
    #[error("the number starting at position {position} has more than 9 digits")]
    TooLong {
        /// 1-based position of its first digit.
        position: usize,
    },
    /// Not as many integers as the shape needs.
    #[error("the beacon needs {expected} integers, {found} were given")]
    WrongCount {
        /// Integers expected.
        expected: u64,
        /// Integers found.
        found: usize,
    },
    /// An integer outside its group's range.
    #[error("group {group}: {value} is outside {min}–{max}")]
    OutOfRange {
        /// 1-based group number.
        group: usize,
        /// The integer.
        value: u64,
        /// Minimum.
        min: u64,
        /// Maximum.
        max: u64,
    },
    /// An integer repeated in a distinct group.
    #[error("group {group}: {value} appears twice, but the group's integers are distinct")]
    Repeated {
        /// 1-based group number.
        group: usize,
        /// The integer.
        value: u64,
    },
    /// A recorded value whose group of a set is not in ascending order (not canonical).
    #[error("group {group} is a set and must be recorded in ascending order")]
    NotSorted {
        /// 1-based group number.
        group: usize,
    },
    /// A recorded value with another number of groups or integers than the shape.
    #[error(
        "the recorded value has {found} groups or a group of the wrong size; the shape has {expected} groups"
    )]
    WrongShape {
        /// Groups in the shape.
        expected: usize,
        /// Groups recorded.
        found: usize,
    },
}

impl GroupSpec {
    /// The shape of 福利彩票双色球: 6 distinct red balls of 1–33, then 1 blue ball of 1–16,
    /// the drawing order not used.
    pub fn shuangseqiu() -> Vec<GroupSpec> {
        vec![
            GroupSpec {
                count: 6,
                min: 1,
                max: 33,
                distinct: true,
                ordered: false,
            },
            GroupSpec {
                count: 1,
                min: 1,
                max: 16,
                distinct: true,
                ordered: false,
            },
        ]
    }

    /// The shape of 体育彩票超级大乐透: 5 distinct of 1–35, then 2 distinct of 1–12.
    pub fn daletou() -> Vec<GroupSpec> {
        vec![
            GroupSpec {
                count: 5,
                min: 1,
                max: 35,
                distinct: true,
                ordered: false,
            },
            GroupSpec {
                count: 2,
                min: 1,
                max: 12,
                distinct: true,
                ordered: false,
            },
        ]
    }
}

/// Checks a list of group shapes (SPEC §8.4.2).
///
/// ```
/// use double_random::ceremony::groups::{check_shape, GroupSpec};
/// assert!(check_shape(&GroupSpec::shuangseqiu()).is_ok());
/// let mut bad = GroupSpec::shuangseqiu();
/// bad[0].max = 5; // 6 distinct integers cannot fit in 1–5
/// assert!(check_shape(&bad).is_err());
/// assert!(check_shape(&[]).is_err());
/// ```
pub fn check_shape(groups: &[GroupSpec]) -> Result<(), GroupError> {
    if groups.is_empty() || groups.len() > MAX_GROUPS {
        return Err(GroupError::GroupCount {
            found: groups.len(),
        });
    }
    for (i, g) in groups.iter().enumerate() {
        let fits = !g.distinct || g.count <= g.max.saturating_sub(g.min).saturating_add(1);
        if g.count == 0 || g.count > MAX_COUNT || g.min > g.max || g.max > MAX_VALUE || !fits {
            return Err(GroupError::BadShape {
                group: i + 1,
                count: g.count,
                min: g.min,
                max: g.max,
                distinct: g.distinct,
            });
        }
    }
    Ok(())
}

/// Whether `c` (after width folding) separates integers in a typed value.
fn is_separator(c: char) -> bool {
    crate::normalize::is_trim_char(c)
        || matches!(c, ',' | ';' | '|' | '+' | '/' | '-' | '、' | '。')
}

/// Reads a typed value: every spelling of the same integers gives the same canonical groups.
///
/// Steps (SPEC §8.4.2): fold full-width characters; each run of ASCII digits is an integer;
/// every other character must be a separator; the integers fill the groups in order; ranges
/// and distinctness are checked; groups that are sets are sorted.
pub fn read_typed(groups: &[GroupSpec], text: &str) -> Result<Vec<Vec<u64>>, GroupError> {
    check_shape(groups)?;
    let folded = crate::normalize::fold_width(text);
    let mut numbers: Vec<u64> = Vec::new();
    let mut current: Option<(u64, usize, usize)> = None; // value, digits, start position
    for (i, c) in folded.chars().enumerate() {
        let position = i + 1;
        if let Some(d) = c.to_digit(10).filter(|_| c.is_ascii_digit()) {
            let (value, digits, start) = current.unwrap_or((0, 0, position));
            if digits == 9 {
                return Err(GroupError::TooLong { position: start });
            }
            current = Some((value * 10 + u64::from(d), digits + 1, start));
            continue;
        }
        if let Some((value, _, _)) = current.take() {
            numbers.push(value);
        }
        if !is_separator(c) {
            return Err(GroupError::BadCharacter {
                ch: c,
                code: c as u32,
                position,
            });
        }
    }
    if let Some((value, _, _)) = current {
        numbers.push(value);
    }
    let expected: u64 = groups.iter().map(|g| g.count).sum();
    if numbers.len() as u64 != expected {
        return Err(GroupError::WrongCount {
            expected,
            found: numbers.len(),
        });
    }
    let mut out = Vec::with_capacity(groups.len());
    let mut rest = numbers.as_slice();
    for g in groups {
        let (head, tail) = rest.split_at(g.count as usize);
        rest = tail;
        let mut values = head.to_vec();
        if !g.ordered {
            values.sort_unstable();
        }
        out.push(values);
    }
    check_value(groups, &out)?;
    Ok(out)
}

/// Checks a recorded (canonical) value against the shapes: sizes, ranges, distinctness, and
/// ascending order for groups that are sets.
///
/// ```
/// use double_random::ceremony::groups::{check_value, GroupSpec};
/// let ssq = GroupSpec::shuangseqiu();
/// assert!(check_value(&ssq, &[vec![3, 9, 14, 21, 26, 31], vec![7]]).is_ok());
/// assert!(check_value(&ssq, &[vec![9, 3, 14, 21, 26, 31], vec![7]]).is_err()); // not canonical
/// ```
pub fn check_value(groups: &[GroupSpec], value: &[Vec<u64>]) -> Result<(), GroupError> {
    check_shape(groups)?;
    if value.len() != groups.len()
        || groups
            .iter()
            .zip(value)
            .any(|(g, v)| v.len() as u64 != g.count)
    {
        return Err(GroupError::WrongShape {
            expected: groups.len(),
            found: value.len(),
        });
    }
    for (i, (g, v)) in groups.iter().zip(value).enumerate() {
        let group = i + 1;
        for &x in v {
            if x < g.min || x > g.max {
                return Err(GroupError::OutOfRange {
                    group,
                    value: x,
                    min: g.min,
                    max: g.max,
                });
            }
        }
        if g.distinct {
            let mut seen: Vec<u64> = v.clone();
            seen.sort_unstable();
            if let Some(w) = seen.windows(2).find(|w| w[0] == w[1]) {
                return Err(GroupError::Repeated { group, value: w[0] });
            }
        }
        if !g.ordered && v.windows(2).any(|w| w[0] > w[1]) {
            return Err(GroupError::NotSorted { group });
        }
    }
    Ok(())
}

/// The bytes that enter the seed: `utf8(JCS(groups))`, e.g. `[[3,9,14,21,26,31],[7]]`.
///
/// ```
/// use double_random::ceremony::groups::seed_bytes;
/// assert_eq!(seed_bytes(&[vec![3, 9, 14, 21, 26, 31], vec![7]]), b"[[3,9,14,21,26,31],[7]]");
/// ```
pub fn seed_bytes(value: &[Vec<u64>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + 4 * value.len());
    out.push(b'[');
    for (i, g) in value.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'[');
        for (j, x) in g.iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            out.extend_from_slice(x.to_string().as_bytes());
        }
        out.push(b']');
    }
    out.push(b']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_one_result_is_one_value() {
        let ssq = GroupSpec::shuangseqiu();
        let spellings = [
            "03 09 14 21 26 31 07",
            "3 9 14 21 26 31 7",
            "03、09、14、21、26、31、07",
            "03 09 14 21 26 31 07。",
            "\u{3000}03,09,14,21,26,31+07\n",
            "０３ ０９ １４ ２１ ２６ ３１ ０７",
            "03-09-14-21-26-31/07",
            "00000003;9;14;21;26;31|7",
            "31 26 21 14 9 3 7",
        ];
        let want = vec![vec![3, 9, 14, 21, 26, 31], vec![7]];
        for s in spellings {
            assert_eq!(read_typed(&ssq, s).unwrap(), want, "{s:?}");
        }
    }

    #[test]
    fn anything_else_is_refused() {
        let ssq = GroupSpec::shuangseqiu();
        for (s, why) in [
            ("03 09 14 21 26 31", "too few"),
            ("03 09 14 21 26 31 07 08", "too many"),
            ("03 09 14 21 26 34 07", "out of range"),
            ("03 09 14 21 26 26 07", "repeated"),
            ("03 09 14 21 26 31 17", "blue out of range"),
            ("03 09 14 21 26 31 0.7", "a dot"),
            ("红03 09 14 21 26 31 07", "a letter"),
            ("03 09 14 21 26 31 ٧", "another script's digit"),
            ("03 09 14 21 26 31 0000000007", "ten digits"),
            ("", "empty"),
        ] {
            assert!(read_typed(&ssq, s).is_err(), "{why}: {s:?}");
        }
        assert_eq!(
            read_typed(&ssq, "03 09 x"),
            Err(GroupError::BadCharacter {
                ch: 'x',
                code: 'x' as u32,
                position: 7
            })
        );
    }

    #[test]
    fn ordered_groups_keep_their_order() {
        let three_d = vec![GroupSpec {
            count: 3,
            min: 0,
            max: 9,
            distinct: false,
            ordered: true,
        }];
        assert_eq!(read_typed(&three_d, "5 0 5").unwrap(), vec![vec![5, 0, 5]]);
        assert_eq!(
            read_typed(&three_d, "505").unwrap_err(),
            GroupError::WrongCount {
                expected: 3,
                found: 1
            }
        );
    }
}
