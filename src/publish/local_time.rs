//! Times for people: read with an offset or in the display zone, shown in the display zone.
//!
//! The signed documents always hold UTC (`2026-12-06T13:30:00Z`, [`Timestamp`]); an office in
//! China reads and writes Beijing time. A [`Zone`] is a fixed offset from UTC (China has no
//! daylight saving time), 北京时间 (UTC+08:00) by default. It changes only what people see: the
//! console and the notice show `2026-12-06 21:30:00（北京时间 UTC+08:00）`, and the notice
//! records the offset it was written with (and keeps each UTC instant machine-readable in
//! `<time datetime="…Z">`), so that a verifier rebuilds it exactly.
//!
//! A time typed by people ([`parse_time`]) is RFC 3339 with `Z` or an offset
//! (`2026-12-06T21:30:00+08:00`), or a plain local time without one (`2026-12-06 21:30` or
//! `2026-12-06 21:30:00`), which is read in the display zone.
//!
//! ```
//! use double_random::publish::local_time::{Zone, parse_time};
//! use double_random::publish::Lang;
//! let z = Zone::BEIJING;
//! let t = parse_time("2026-12-06T21:30:00+08:00", z)?;
//! assert_eq!(t.to_string(), "2026-12-06T13:30:00Z");
//! assert_eq!(parse_time("2026-12-06 21:30", z)?, t);
//! assert_eq!(z.show(t, Lang::Zh), "2026-12-06 21:30:00（北京时间 UTC+08:00）");
//! assert_eq!(z.show(t, Lang::En), "2026-12-06 21:30:00 (Beijing time, UTC+08:00)");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::Lang;
use crate::ceremony::Timestamp;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

/// A fixed offset from UTC in which times are shown (and plain local times are read).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Zone {
    /// Minutes east of UTC.
    minutes: i16,
}

impl Default for Zone {
    fn default() -> Self {
        Zone::BEIJING
    }
}

/// Why a zone or a time typed by people did not parse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimeInputError {
    /// Not an offset of the form `+08:00`.
    #[error("{value:?} is not a UTC offset such as +08:00, -05:00 or Z")]
    Offset {
        /// The text given.
        value: String,
    },
    /// Not a time in any accepted form.
    #[error(
        "{value:?} is not a time such as 2026-12-06T21:30:00+08:00, 2026-12-06T13:30:00Z or 2026-12-06 21:30"
    )]
    Time {
        /// The text given.
        value: String,
    },
    /// A time with fractions of a second (the documents hold whole seconds).
    #[error("{value:?}: the documents hold whole seconds; leave out the fraction")]
    Fraction {
        /// The text given.
        value: String,
    },
    /// Before 1970 or after 9999.
    #[error("{value:?} is outside the years 1970 to 9999")]
    OutOfRange {
        /// The text given.
        value: String,
    },
}

const LOCAL_SECONDS: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
const LOCAL_MINUTES: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day] [hour]:[minute]");
const LOCAL_T_SECONDS: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
const LOCAL_T_MINUTES: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]");

impl Zone {
    /// 北京时间, UTC+08:00: the default.
    pub const BEIJING: Zone = Zone { minutes: 8 * 60 };
    /// UTC itself.
    pub const UTC: Zone = Zone { minutes: 0 };

    /// The zone `minutes` east of UTC, if within ±23:59.
    ///
    /// ```
    /// use double_random::publish::local_time::Zone;
    /// assert_eq!(Zone::from_minutes(480), Some(Zone::BEIJING));
    /// assert_eq!(Zone::from_minutes(24 * 60), None);
    /// ```
    pub fn from_minutes(minutes: i32) -> Option<Zone> {
        (minutes.abs() < 24 * 60).then(|| Zone {
            minutes: i16::try_from(minutes).unwrap_or_default(),
        })
    }

    /// Minutes east of UTC.
    pub fn minutes(self) -> i32 {
        i32::from(self.minutes)
    }

    fn offset(self) -> time::UtcOffset {
        time::UtcOffset::from_whole_seconds(self.minutes() * 60).unwrap_or(time::UtcOffset::UTC)
    }

    /// The offset as written in RFC 3339: `+08:00`, `-05:00`, `+00:00`.
    ///
    /// ```
    /// use double_random::publish::local_time::Zone;
    /// assert_eq!(Zone::BEIJING.offset_text(), "+08:00");
    /// assert_eq!("-03:30".parse::<Zone>()?.offset_text(), "-03:30");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn offset_text(self) -> String {
        let sign = if self.minutes < 0 { '-' } else { '+' };
        let m = self.minutes.unsigned_abs();
        format!("{sign}{:02}:{:02}", m / 60, m % 60)
    }

    /// The zone's name for people: `北京时间 UTC+08:00` / `Beijing time, UTC+08:00` for
    /// UTC+08:00, `UTC-05:00` for others.
    pub fn label(self, lang: Lang) -> String {
        let utc = format!("UTC{}", self.offset_text());
        match (self == Zone::BEIJING, lang) {
            (true, Lang::Zh) => format!("北京时间 {utc}"),
            (true, Lang::En) => format!("Beijing time, {utc}"),
            (false, _) => utc,
        }
    }

    /// The local date and time of `t` in this zone, without the zone: `2026-12-06 21:30:00`.
    pub fn local(self, t: Timestamp) -> String {
        let secs = i64::try_from(t.unix()).unwrap_or(i64::MAX);
        time::OffsetDateTime::from_unix_timestamp(secs)
            .ok()
            .and_then(|u| u.checked_to_offset(self.offset()))
            .and_then(|l| l.format(LOCAL_SECONDS).ok())
            .unwrap_or_else(|| t.to_string())
    }

    /// `t` for people, with the zone: `2026-12-06 21:30:00（北京时间 UTC+08:00）` or
    /// `2026-12-06 21:30:00 (Beijing time, UTC+08:00)`.
    pub fn show(self, t: Timestamp, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!("{}（{}）", self.local(t), self.label(lang)),
            Lang::En => format!("{} ({})", self.local(t), self.label(lang)),
        }
    }

    /// `t` for a web page: [`Zone::show`] in a `<time>` element whose `datetime` keeps the UTC
    /// instant as the documents write it.
    ///
    /// ```
    /// use double_random::publish::{Lang, local_time::Zone};
    /// let t = "2026-12-05T22:57:10Z".parse()?;
    /// assert_eq!(
    ///     Zone::BEIJING.html(t, Lang::Zh),
    ///     "<time datetime=\"2026-12-05T22:57:10Z\">2026-12-06 06:57:10（北京时间 UTC+08:00）</time>"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn html(self, t: Timestamp, lang: Lang) -> String {
        format!("<time datetime=\"{t}\">{}</time>", self.show(t, lang))
    }
}

impl std::fmt::Display for Zone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.offset_text())
    }
}

impl std::str::FromStr for Zone {
    type Err = TimeInputError;

    /// `+08:00`, `-05:00`, `+0800`, `+08`, `UTC+08:00`, or `Z` / `UTC` for UTC itself.
    fn from_str(s: &str) -> Result<Zone, TimeInputError> {
        let bad = || TimeInputError::Offset {
            value: s.to_string(),
        };
        let t = s.trim();
        if t.is_empty() {
            return Err(bad());
        }
        let t = t
            .strip_prefix("UTC")
            .or_else(|| t.strip_prefix("utc"))
            .unwrap_or(t);
        if t.is_empty() || t == "Z" || t == "z" {
            return Ok(Zone::UTC);
        }
        let (sign, rest) = match t.as_bytes().first() {
            Some(b'+') => (1, &t[1..]),
            Some(b'-') => (-1, &t[1..]),
            _ => return Err(bad()),
        };
        let digits = |x: &str| {
            (x.len() == 2 && x.bytes().all(|b| b.is_ascii_digit()))
                .then(|| x.parse::<i32>().ok())
                .flatten()
        };
        let (h, m) = match (rest.len(), rest.split_once(':')) {
            (_, Some((h, m))) => (digits(h), digits(m)),
            (4, None) => (digits(&rest[..2]), digits(&rest[2..])),
            (2, None) => (digits(rest), Some(0)),
            _ => (None, None),
        };
        match (h, m) {
            (Some(h), Some(m)) if h < 24 && m < 60 => {
                Zone::from_minutes(sign * (h * 60 + m)).ok_or_else(bad)
            }
            _ => Err(bad()),
        }
    }
}

/// A time typed by people: RFC 3339 with `Z` or an offset, or a plain local time
/// (`2026-12-06 21:30`, `2026-12-06 21:30:00`, or with `T`) read in `zone`.
///
/// ```
/// use double_random::publish::local_time::{Zone, parse_time};
/// let utc = parse_time("2026-12-06T13:30:00Z", Zone::BEIJING)?;
/// assert_eq!(parse_time("2026-12-06T08:30:00-05:00", Zone::BEIJING)?, utc);
/// assert_eq!(parse_time("2026-12-06 13:30", Zone::UTC)?, utc);
/// assert!(parse_time("tomorrow", Zone::BEIJING).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_time(s: &str, zone: Zone) -> Result<Timestamp, TimeInputError> {
    let text = s.trim();
    let value = || s.to_string();
    let instant =
        match time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339) {
            Ok(t) => t,
            Err(_) => {
                let local = [
                    LOCAL_SECONDS,
                    LOCAL_MINUTES,
                    LOCAL_T_SECONDS,
                    LOCAL_T_MINUTES,
                ]
                .iter()
                .find_map(|f| time::PrimitiveDateTime::parse(text, f).ok());
                match local {
                    Some(l) => l.assume_offset(zone.offset()),
                    None if looks_fractional(text) => {
                        return Err(TimeInputError::Fraction { value: value() });
                    }
                    None => return Err(TimeInputError::Time { value: value() }),
                }
            }
        };
    if instant.nanosecond() != 0 {
        return Err(TimeInputError::Fraction { value: value() });
    }
    u64::try_from(instant.unix_timestamp())
        .ok()
        .and_then(Timestamp::from_unix)
        .ok_or(TimeInputError::OutOfRange { value: value() })
}

/// A local time with a fraction of a second (`2026-12-06 21:30:00.5`).
fn looks_fractional(text: &str) -> bool {
    text.rsplit_once('.').is_some_and(|(head, frac)| {
        !frac.is_empty()
            && frac.bytes().all(|b| b.is_ascii_digit())
            && [LOCAL_SECONDS, LOCAL_T_SECONDS]
                .iter()
                .any(|f| time::PrimitiveDateTime::parse(head, f).is_ok())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn offsets_z_and_local_times_name_the_same_instant() {
        let want = utc("2026-12-06T13:30:00Z");
        for s in [
            "2026-12-06T13:30:00Z",
            "2026-12-06T13:30:00z",
            "2026-12-06T21:30:00+08:00",
            "2026-12-06T08:30:00-05:00",
            "2026-12-06T13:30:00+00:00",
            "2026-12-06 21:30",
            "2026-12-06 21:30:00",
            "2026-12-06T21:30",
            " 2026-12-06T21:30:00 ",
        ] {
            assert_eq!(parse_time(s, Zone::BEIJING), Ok(want), "{s}");
        }
        // A plain local time is read in the zone given; an explicit offset ignores it.
        assert_eq!(parse_time("2026-12-06 13:30", Zone::UTC), Ok(want));
        assert_eq!(
            parse_time("2026-12-06T21:30:00+08:00", "-05:00".parse().unwrap()),
            Ok(want)
        );
    }

    #[test]
    fn bad_times_are_refused_with_their_reason() {
        let z = Zone::BEIJING;
        for s in [
            "",
            "tomorrow",
            "2026-13-01T00:00:00Z",
            "2026-02-30 10:00",
            "2026-12-06T21:30:00+25:00",
            "2026/12/06 21:30",
            "21:30",
        ] {
            assert!(
                matches!(parse_time(s, z), Err(TimeInputError::Time { .. })),
                "{s}"
            );
        }
        assert!(matches!(
            parse_time("2026-12-06T13:30:00.5Z", z),
            Err(TimeInputError::Fraction { .. })
        ));
        assert!(matches!(
            parse_time("2026-12-06 21:30:00.25", z),
            Err(TimeInputError::Fraction { .. })
        ));
        assert!(matches!(
            parse_time("1969-12-31T23:59:59Z", z),
            Err(TimeInputError::OutOfRange { .. })
        ));
    }

    #[test]
    fn zones_parse_and_print() {
        for (s, m) in [
            ("+08:00", 480),
            ("+0800", 480),
            ("+08", 480),
            ("UTC+08:00", 480),
            ("-05:00", -300),
            ("+05:30", 330),
            ("Z", 0),
            ("UTC", 0),
            ("-00:00", 0),
        ] {
            assert_eq!(s.parse::<Zone>().map(Zone::minutes), Ok(m), "{s}");
        }
        for s in [
            "", " ", "08:00", "+24:00", "+08:60", "+8", "+08:0", "beijing", "+08:00x",
        ] {
            assert!(s.parse::<Zone>().is_err(), "{s}");
        }
        assert_eq!(Zone::UTC.offset_text(), "+00:00");
        assert_eq!("-09:30".parse::<Zone>().unwrap().to_string(), "-09:30");
    }

    #[test]
    fn times_are_shown_in_the_zone_with_its_offset() {
        let t = utc("2026-12-05T22:57:10Z");
        assert_eq!(
            Zone::BEIJING.show(t, Lang::Zh),
            "2026-12-06 06:57:10（北京时间 UTC+08:00）"
        );
        assert_eq!(
            Zone::BEIJING.show(t, Lang::En),
            "2026-12-06 06:57:10 (Beijing time, UTC+08:00)"
        );
        let ny: Zone = "-05:00".parse().unwrap();
        assert_eq!(ny.show(t, Lang::Zh), "2026-12-05 17:57:10（UTC-05:00）");
        assert_eq!(
            Zone::UTC.show(t, Lang::En),
            "2026-12-05 22:57:10 (UTC+00:00)"
        );
        // What is shown reads back as the same instant.
        assert_eq!(parse_time(&ny.local(t), ny), Ok(t));
    }
}
