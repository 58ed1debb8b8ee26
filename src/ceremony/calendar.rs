//! Working days: the State Council's holiday schedule, with 调休 working weekends (SPEC §18.3).
//!
//! Results must reach the publicity system within 20 working days of being formed
//! (企业信息公示暂行条例 第6条). Which days are working days is fixed each year by the
//! 国务院办公厅关于部分节假日安排的通知: a holiday break may swallow weekdays, and a Saturday
//! or Sunday may become a working day (调休). The office supplies one calendar file per year;
//! a count that reaches a year without a file is *unknown*, never guessed.
//!
//! ```
//! use double_random::ceremony::calendar::Calendars;
//! let text = r#"
//! year = 2026
//! source = "国务院办公厅关于2026年部分节假日安排的通知"
//! [[holiday]]
//! name = "国庆节、中秋节"
//! off = ["2026-09-25", "2026-09-26", "2026-09-27", "2026-10-01", "2026-10-02", "2026-10-03",
//!        "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"]
//! work = ["2026-09-20", "2026-10-10"]
//! "#;
//! let mut cals = Calendars::default();
//! cals.add_toml("holidays-2026.toml", text)?;
//! let formed = "2026-09-11".parse()?;
//! assert_eq!(cals.deadline(&formed, 20).unwrap().to_string(), "2026-10-15");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::model::Date;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use toml::Spanned;

/// Working days allowed between formation and publication (企业信息公示暂行条例 第6条).
///
/// The `n` of [`Calendars::deadline`] for a result's publication.
///
/// ```
/// assert_eq!(double_random::ceremony::calendar::PUBLICATION_WORKING_DAYS, 20);
/// ```
pub const PUBLICATION_WORKING_DAYS: u32 = 20;

/// One year's schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearCalendar {
    /// The year.
    pub year: i32,
    /// Where the dates come from (the notice's title and date).
    pub source: String,
    /// True when the file is not the published schedule.
    pub provisional: bool,
    /// 放假调休 days.
    pub off: BTreeSet<Date>,
    /// 调休 weekend working days.
    pub work: BTreeSet<Date>,
}

/// Why a calendar file was refused: the file, the line and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {problem}")]
#[non_exhaustive]
pub struct CalendarError {
    /// The file.
    pub file: String,
    /// The line, from 1 (0 when unknown).
    pub line: u64,
    /// What is wrong.
    pub problem: CalendarProblem,
}

/// What is wrong in a calendar file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarProblem {
    /// Not TOML of the expected shape (an unknown key, a wrong type, a bad date).
    #[error("{message}")]
    Syntax {
        /// The TOML reader's message.
        message: String,
    },
    /// A date outside the file's year.
    #[error("{date} is not in {year}")]
    OtherYear {
        /// The date.
        date: Date,
        /// The file's year.
        year: i32,
    },
    /// A date listed both as a day off and as a working day.
    #[error("{date} is listed both as a day off and as a working day")]
    OffAndWork {
        /// The date.
        date: Date,
    },
    /// A second calendar for a year already loaded.
    #[error("a calendar for {year} is already loaded")]
    YearTwice {
        /// The year.
        year: i32,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    year: Spanned<i32>,
    source: String,
    #[serde(default)]
    provisional: bool,
    #[serde(default)]
    holiday: Vec<HolidayDoc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayDoc {
    #[allow(dead_code)]
    name: String,
    #[serde(default)]
    off: Vec<Spanned<Date>>,
    #[serde(default)]
    work: Vec<Spanned<Date>>,
}

fn line_of(text: &str, offset: usize) -> u64 {
    1 + text
        .as_bytes()
        .iter()
        .take(offset)
        .filter(|b| **b == b'\n')
        .count() as u64
}

impl YearCalendar {
    /// Reads one calendar file (SPEC §18.3); `file` names it in errors.
    ///
    /// Every date must lie in the file's year and none be both off and working.
    ///
    /// ```
    /// use double_random::ceremony::calendar::{CalendarProblem, YearCalendar};
    /// let cal = YearCalendar::from_toml("h.toml", "year = 2026\nsource = \"通知\"\n")?;
    /// assert_eq!((cal.year, cal.off.len()), (2026, 0));
    /// let e = YearCalendar::from_toml("h.toml", "year = 2026\nsource = \"x\"\n[[holiday]]\nname = \"元旦\"\noff = [\"2025-01-01\"]\n").unwrap_err();
    /// assert_eq!(e.line, 5);
    /// assert!(matches!(e.problem, CalendarProblem::OtherYear { year: 2026, .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_toml(file: &str, text: &str) -> Result<Self, CalendarError> {
        let err = |line, problem| CalendarError {
            file: file.to_string(),
            line,
            problem,
        };
        let doc: FileDoc = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(0, |s| line_of(text, s.start));
            err(
                line,
                CalendarProblem::Syntax {
                    message: e.message().to_string(),
                },
            )
        })?;
        let year = *doc.year.get_ref();
        let mut off = BTreeSet::new();
        let mut work = BTreeSet::new();
        for h in &doc.holiday {
            for (list, set) in [(&h.off, &mut off), (&h.work, &mut work)] {
                for d in list {
                    let date = *d.get_ref();
                    if date.year() != year {
                        return Err(err(
                            line_of(text, d.span().start),
                            CalendarProblem::OtherYear { date, year },
                        ));
                    }
                    set.insert(date);
                }
            }
        }
        if let Some(date) = off.intersection(&work).next() {
            let line = doc
                .holiday
                .iter()
                .flat_map(|h| h.work.iter())
                .find(|d| d.get_ref() == date)
                .map_or(0, |d| line_of(text, d.span().start));
            return Err(err(line, CalendarProblem::OffAndWork { date: *date }));
        }
        Ok(YearCalendar {
            year,
            source: doc.source,
            provisional: doc.provisional,
            off,
            work,
        })
    }
}

/// Day of the week, 0 = Monday … 6 = Sunday.
pub(crate) fn weekday(d: &Date) -> u8 {
    // 1970-01-05 was a Monday.
    let monday = Date::from_ymd(1970, 1, 5).expect("1970-01-05 exists");
    d.days_since(&monday).rem_euclid(7) as u8
}

/// The calendars loaded, one per year.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendars {
    years: BTreeMap<i32, YearCalendar>,
}

impl Calendars {
    /// Adds a year; a second calendar for the same year is refused.
    pub fn add(&mut self, file: &str, cal: YearCalendar) -> Result<(), CalendarError> {
        if self.years.contains_key(&cal.year) {
            return Err(CalendarError {
                file: file.to_string(),
                line: 0,
                problem: CalendarProblem::YearTwice { year: cal.year },
            });
        }
        self.years.insert(cal.year, cal);
        Ok(())
    }

    /// Reads and adds one calendar file.
    pub fn add_toml(&mut self, file: &str, text: &str) -> Result<(), CalendarError> {
        let cal = YearCalendar::from_toml(file, text)?;
        self.add(file, cal)
    }

    /// The years loaded.
    pub fn years(&self) -> impl Iterator<Item = &YearCalendar> {
        self.years.values()
    }

    /// Whether `d` is a working day; `None` when no calendar covers its year.
    pub fn is_working_day(&self, d: &Date) -> Option<bool> {
        let cal = self.years.get(&d.year())?;
        Some(cal.work.contains(d) || (weekday(d) < 5 && !cal.off.contains(d)))
    }

    /// The `n`-th working day after `formed` (the day of formation not counted, SPEC §18.3).
    ///
    /// `Err(year)` names the first year the count reaches without a calendar: a deadline is
    /// never guessed. See the [module](self) for a count across a holiday.
    ///
    /// ```
    /// use double_random::ceremony::calendar::Calendars;
    /// let none = Calendars::default();
    /// assert_eq!(none.deadline(&"2026-09-11".parse()?, 20), Err(2026));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn deadline(&self, formed: &Date, n: u32) -> Result<Date, i32> {
        let mut d = *formed;
        let mut counted = 0;
        while counted < n {
            d = d.add_days(1).ok_or(d.year())?;
            match self.is_working_day(&d) {
                Some(true) => counted += 1,
                Some(false) => {}
                None => return Err(d.year()),
            }
        }
        Ok(d)
    }

    /// Whether any year used from `from` to `to` (inclusive) is provisional.
    pub fn provisional_between(&self, from: &Date, to: &Date) -> bool {
        self.years
            .range(from.year()..=to.year())
            .any(|(_, c)| c.provisional)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn the_shipped_calendars_read_and_say_what_they_are() {
        let mut c = Calendars::default();
        c.add_toml(
            "holidays-2026.toml",
            include_str!("../../examples/data/calendars/holidays-2026.toml"),
        )
        .unwrap();
        c.add_toml(
            "holidays-2027.toml",
            include_str!("../../examples/data/calendars/holidays-2027.toml"),
        )
        .unwrap();
        let years: Vec<(i32, bool)> = c.years().map(|y| (y.year, y.provisional)).collect();
        assert_eq!(years, vec![(2026, false), (2027, true)]);
        // 2026: 33 days off (3 + 9 + 3 + 5 + 3 + 3 + 7) and 6 调休 working weekend days.
        let y = c.years().next().unwrap();
        assert_eq!((y.off.len(), y.work.len()), (33, 6));
        // Spring festival: Saturday 2026-02-14 works, Monday 2026-02-23 is off.
        assert_eq!(c.is_working_day(&d("2026-02-14")), Some(true));
        assert_eq!(c.is_working_day(&d("2026-02-23")), Some(false));
        assert_eq!(c.is_working_day(&d("2026-02-24")), Some(true));
        assert!(c.provisional_between(&d("2026-12-20"), &d("2027-01-20")));
        assert!(!c.provisional_between(&d("2026-01-20"), &d("2026-02-20")));
        assert!(
            c.add_toml("again.toml", "year = 2026\nsource = \"x\"\n")
                .is_err()
        );
    }

    #[test]
    fn bad_calendar_files_name_the_line() {
        let e = YearCalendar::from_toml("h.toml", "year = 2026\nsource = \"x\"\nholidays = []\n")
            .unwrap_err();
        assert_eq!(e.line, 3);
        let e = YearCalendar::from_toml(
            "h.toml",
            "year = 2026\nsource = \"x\"\n[[holiday]]\nname = \"a\"\noff = [\"2027-01-01\"]\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 5);
        assert!(matches!(
            e.problem,
            CalendarProblem::OtherYear { year: 2026, .. }
        ));
        let e = YearCalendar::from_toml(
            "h.toml",
            "year = 2026\nsource = \"x\"\n[[holiday]]\nname = \"a\"\noff = [\"2026-01-03\"]\nwork = [\"2026-01-03\"]\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 6);
        assert_eq!(
            e.to_string(),
            "h.toml:6: 2026-01-03 is listed both as a day off and as a working day"
        );
        let e = YearCalendar::from_toml(
            "h.toml",
            "year = 2026\nsource = \"x\"\n[[holiday]]\nname = \"a\"\noff = [\"2026-13-01\"]\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 5);
    }

    #[test]
    fn weekdays() {
        assert_eq!(weekday(&d("2026-10-10")), 5);
        assert_eq!(weekday(&d("2026-09-20")), 6);
        assert_eq!(weekday(&d("2026-09-11")), 4);
        assert_eq!(weekday(&d("1970-01-01")), 3);
    }
}
