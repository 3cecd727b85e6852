//! The dagdeel: the part of a day that is the unit of dagbesteding (see DESIGN.md, glossary).
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The named parts of a day a location can offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dagdeel {
    Ochtend,
    Middag,
    Avond,
}

impl Dagdeel {
    pub const ALL: [Dagdeel; 3] = [Dagdeel::Ochtend, Dagdeel::Middag, Dagdeel::Avond];

    pub fn as_str(self) -> &'static str {
        match self {
            Dagdeel::Ochtend => "ochtend",
            Dagdeel::Middag => "middag",
            Dagdeel::Avond => "avond",
        }
    }

    /// The window most providers use when a location has not configured its own.
    pub fn default_window(self) -> TimeWindow {
        match self {
            Dagdeel::Ochtend => TimeWindow::new(8 * 60, 13 * 60),
            Dagdeel::Middag => TimeWindow::new(13 * 60, 18 * 60),
            Dagdeel::Avond => TimeWindow::new(18 * 60, 22 * 60),
        }
        .expect("default windows are valid")
    }
}

impl fmt::Display for Dagdeel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeWindowError {
    #[error("'{0}' is not a time of day as HH:MM")]
    BadTime(String),
    #[error("a dagdeel must end after it starts")]
    EndNotAfterStart,
    #[error("'{0}' is not a dagdeel (ochtend, middag, avond)")]
    UnknownDagdeel(String),
}

impl FromStr for Dagdeel {
    type Err = TimeWindowError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Dagdeel::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| TimeWindowError::UnknownDagdeel(s.to_owned()))
    }
}

/// A window within one local day, in minutes since local midnight: `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeWindow {
    start_minute: u16,
    end_minute: u16,
}

const MINUTES_PER_DAY: u16 = 24 * 60;

impl TimeWindow {
    pub fn new(start_minute: u16, end_minute: u16) -> Result<Self, TimeWindowError> {
        if end_minute <= start_minute || end_minute > MINUTES_PER_DAY {
            return Err(TimeWindowError::EndNotAfterStart);
        }
        Ok(TimeWindow {
            start_minute,
            end_minute,
        })
    }

    /// Parses "08:00" and "13:00" style times.
    pub fn parse(start: &str, end: &str) -> Result<Self, TimeWindowError> {
        TimeWindow::new(parse_hhmm(start)?, parse_hhmm(end)?)
    }

    pub fn start_minute(self) -> u16 {
        self.start_minute
    }

    pub fn end_minute(self) -> u16 {
        self.end_minute
    }

    pub fn minutes(self) -> u16 {
        self.end_minute - self.start_minute
    }

    pub fn overlaps(self, other: TimeWindow) -> bool {
        self.start_minute < other.end_minute && other.start_minute < self.end_minute
    }
}

/// Parses "HH:MM" (24-hour clock); "24:00" is allowed as the end of the day.
pub fn parse_hhmm(s: &str) -> Result<u16, TimeWindowError> {
    let bad = || TimeWindowError::BadTime(s.to_owned());
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: u16 = h.parse().map_err(|_| bad())?;
    let m: u16 = m.parse().map_err(|_| bad())?;
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

pub fn format_hhmm(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_times() {
        assert_eq!(parse_hhmm("08:00"), Ok(480));
        assert_eq!(parse_hhmm("24:00"), Ok(1440));
        assert_eq!(format_hhmm(13 * 60 + 5), "13:05");
        for bad in ["8:00", "08:60", "25:00", "24:01", "0800", "ab:cd", ""] {
            assert!(parse_hhmm(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn window_must_end_after_start() {
        assert_eq!(
            TimeWindow::parse("13:00", "08:00"),
            Err(TimeWindowError::EndNotAfterStart)
        );
        assert_eq!(
            TimeWindow::parse("08:00", "08:00"),
            Err(TimeWindowError::EndNotAfterStart)
        );
        assert_eq!(TimeWindow::parse("08:00", "13:00").unwrap().minutes(), 300);
    }

    #[test]
    fn default_windows_touch_but_do_not_overlap() {
        let ochtend = Dagdeel::Ochtend.default_window();
        let middag = Dagdeel::Middag.default_window();
        assert!(!ochtend.overlaps(middag));
        assert!(ochtend.overlaps(TimeWindow::parse("11:00", "14:00").unwrap()));
        assert!(middag.overlaps(TimeWindow::parse("11:00", "14:00").unwrap()));
    }

    #[test]
    fn dagdeel_round_trips_through_its_name() {
        for d in Dagdeel::ALL {
            assert_eq!(d.as_str().parse::<Dagdeel>(), Ok(d));
        }
        assert!("nacht".parse::<Dagdeel>().is_err());
    }
}
