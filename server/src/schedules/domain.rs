//! Schedule rules (pure).
use chrono::{Datelike, NaiveDate};

/// ISO weekday number of a date: 1 = Monday ... 7 = Sunday.
pub fn iso_weekday(date: NaiveDate) -> i16 {
    date.weekday().number_from_monday() as i16
}

/// Two validity periods (inclusive, open-ended when `None`) share at least one day.
pub fn periods_overlap(
    a_from: NaiveDate,
    a_to: Option<NaiveDate>,
    b_from: NaiveDate,
    b_to: Option<NaiveDate>,
) -> bool {
    a_to.is_none_or(|a_to| b_from <= a_to) && b_to.is_none_or(|b_to| a_from <= b_to)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn weekday_numbers() {
        assert_eq!(iso_weekday(d(2026, 11, 23)), 1, "a Monday");
        assert_eq!(iso_weekday(d(2026, 11, 29)), 7, "a Sunday");
    }

    #[test]
    fn overlapping_periods() {
        assert!(periods_overlap(d(2026, 1, 1), None, d(2027, 1, 1), None));
        assert!(periods_overlap(
            d(2026, 1, 1),
            Some(d(2026, 6, 30)),
            d(2026, 6, 30),
            None
        ));
        assert!(!periods_overlap(
            d(2026, 1, 1),
            Some(d(2026, 6, 30)),
            d(2026, 7, 1),
            None
        ));
        assert!(!periods_overlap(
            d(2026, 7, 1),
            None,
            d(2026, 1, 1),
            Some(d(2026, 6, 30))
        ));
    }
}
