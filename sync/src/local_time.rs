//! All dagdeel logic runs in Europe/Amsterdam local time.
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

pub const AMSTERDAM: Tz = chrono_tz::Europe::Amsterdam;

/// The local calendar date in the Netherlands at instant `at`.
pub fn amsterdam_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&AMSTERDAM).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn late_evening_utc_is_already_tomorrow_in_amsterdam() {
        // 23:30 UTC in summer is 01:30 CEST on the next day.
        let at = Utc.with_ymd_and_hms(2026, 7, 1, 23, 30, 0).unwrap();
        assert_eq!(
            amsterdam_date(at),
            NaiveDate::from_ymd_opt(2026, 7, 2).unwrap()
        );
        // 22:30 UTC in winter is 23:30 CET, still the same day.
        let at = Utc.with_ymd_and_hms(2026, 12, 1, 22, 30, 0).unwrap();
        assert_eq!(
            amsterdam_date(at),
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
        );
    }
}
