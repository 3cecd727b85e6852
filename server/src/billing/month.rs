//! A calendar month: the declaration period (iWmo CS340).
use chrono::{Datelike, Days, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month {
    first: NaiveDate,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        NaiveDate::from_ymd_opt(year, month, 1).map(|first| Month { first })
    }

    pub fn containing(date: NaiveDate) -> Month {
        Month {
            first: date.with_day(1).unwrap_or(date),
        }
    }

    /// Parses `YYYY-MM`.
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        Month::new(y.parse().ok()?, m.parse().ok()?)
    }

    pub fn first(self) -> NaiveDate {
        self.first
    }

    pub fn last(self) -> NaiveDate {
        self.next().first - Days::new(1)
    }

    pub fn next(self) -> Month {
        let (y, m) = if self.first.month() == 12 {
            (self.first.year() + 1, 1)
        } else {
            (self.first.year(), self.first.month() + 1)
        };
        Month::new(y, m).unwrap_or(self)
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        self.first <= date && date <= self.last()
    }

    pub fn days(self) -> impl Iterator<Item = NaiveDate> {
        let last = self.last();
        self.first.iter_days().take_while(move |d| *d <= last)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.first.format("%Y-%m"))
    }
}

/// Calendar (ISO) weeks that have at least one day in `from..=to` (IV077 counts these).
pub fn calendar_weeks_touching(from: NaiveDate, to: NaiveDate) -> u32 {
    if to < from {
        return 0;
    }
    let mut weeks: Vec<(i32, u32)> = from
        .iter_days()
        .take_while(|d| *d <= to)
        .map(|d| (d.iso_week().year(), d.iso_week().week()))
        .collect();
    weeks.dedup();
    weeks.len() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn month_bounds() {
        let feb = Month::parse("2028-02").unwrap();
        assert_eq!(feb.last(), d(2028, 2, 29), "leap year");
        assert_eq!(
            Month::parse("2026-12").unwrap().next().to_string(),
            "2027-01"
        );
        assert_eq!(feb.days().count(), 29);
        assert!(Month::parse("2026-13").is_none());
        assert!(Month::parse("2026-1").is_none());
        assert_eq!(Month::containing(d(2026, 10, 25)).to_string(), "2026-10");
    }

    #[test]
    fn weeks_touching_a_month() {
        // November 2026 starts on a Sunday and ends on a Monday: weeks 44 to 49.
        assert_eq!(calendar_weeks_touching(d(2026, 11, 1), d(2026, 11, 30)), 6);
        // February 2027 runs Monday 1 to Sunday 28: exactly four weeks.
        assert_eq!(calendar_weeks_touching(d(2027, 2, 1), d(2027, 2, 28)), 4);
        // A year boundary: 2026-12-28 .. 2027-01-03 is ISO week 53 of 2026.
        assert_eq!(calendar_weeks_touching(d(2026, 12, 28), d(2027, 1, 3)), 1);
        assert_eq!(calendar_weeks_touching(d(2026, 11, 2), d(2026, 11, 1)), 0);
    }
}
