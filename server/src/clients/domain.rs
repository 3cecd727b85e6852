//! Client validation (pure).
use chrono::NaiveDate;

use crate::validation::is_digits;

/// A valid BSN: 9 digits passing the "elfproef" (weights 9..2 and -1, sum divisible by 11).
pub fn is_bsn(bsn: &str) -> bool {
    if !is_digits(bsn, 9) {
        return false;
    }
    let digits: Vec<i32> = bsn.bytes().map(|b| i32::from(b - b'0')).collect();
    let sum: i32 = digits[..8]
        .iter()
        .zip((2..=9).rev())
        .map(|(d, w)| d * w)
        .sum::<i32>()
        - digits[8];
    sum != 0 && sum % 11 == 0
}

/// A birth date a real client can have on `today`.
pub fn is_plausible_birth_date(birth_date: NaiveDate, today: NaiveDate) -> bool {
    birth_date <= today && birth_date >= NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(birth_date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elfproef() {
        // 999900006 is the test BSN in the iWmo example messages.
        assert!(is_bsn("999900006"));
        assert!(is_bsn("111222333"));
        assert!(!is_bsn("111222334"));
        assert!(!is_bsn("000000000"));
        assert!(!is_bsn("12345678"));
        assert!(!is_bsn("12345678a"));
    }

    #[test]
    fn birth_dates() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert!(is_plausible_birth_date(
            NaiveDate::from_ymd_opt(1950, 5, 1).unwrap(),
            today
        ));
        assert!(!is_plausible_birth_date(
            NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            today
        ));
        assert!(!is_plausible_birth_date(
            NaiveDate::from_ymd_opt(1899, 12, 31).unwrap(),
            today
        ));
    }
}
