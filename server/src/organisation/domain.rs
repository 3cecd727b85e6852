//! Validation rules for the organisation and its locations (pure).
use poem_openapi::Enum;
use sync::{Dagdeel, TimeWindow};

use crate::validation::{Violations, is_digits, is_latitude, is_longitude, is_postcode};

/// A dagdeel as named in the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
#[oai(rename_all = "lowercase")]
pub enum DagdeelName {
    Ochtend,
    Middag,
    Avond,
}

impl From<DagdeelName> for Dagdeel {
    fn from(name: DagdeelName) -> Dagdeel {
        match name {
            DagdeelName::Ochtend => Dagdeel::Ochtend,
            DagdeelName::Middag => Dagdeel::Middag,
            DagdeelName::Avond => Dagdeel::Avond,
        }
    }
}

impl From<Dagdeel> for DagdeelName {
    fn from(d: Dagdeel) -> DagdeelName {
        match d {
            Dagdeel::Ochtend => DagdeelName::Ochtend,
            Dagdeel::Middag => DagdeelName::Middag,
            Dagdeel::Avond => DagdeelName::Avond,
        }
    }
}

pub const MAX_CAPACITY: u32 = 1000;

/// The parts of an address every record with an address shares.
pub struct AddressFields<'a> {
    pub street: &'a str,
    pub house_number: &'a str,
    pub postcode: &'a str,
    pub city: &'a str,
    pub lat: f64,
    pub lon: f64,
}

pub fn check_address(v: &mut Violations, a: &AddressFields<'_>) {
    v.check_not_blank(a.street, "street");
    v.check_not_blank(a.house_number, "house_number");
    v.check(
        is_postcode(a.postcode),
        "postcode",
        "must be a Dutch postcode such as 6711 AB",
    );
    v.check_not_blank(a.city, "city");
    v.check(is_latitude(a.lat), "lat", "must be between -90 and 90");
    v.check(is_longitude(a.lon), "lon", "must be between -180 and 180");
}

/// Normalises "6711ab" to "6711 AB".
pub fn normalise_postcode(postcode: &str) -> String {
    let compact: String = postcode.chars().filter(|c| *c != ' ').collect();
    if compact.len() == 6 {
        format!("{} {}", &compact[..4], compact[4..].to_uppercase())
    } else {
        postcode.trim().to_owned()
    }
}

pub fn check_agb_code(v: &mut Violations, agb_code: &str) {
    v.check(is_digits(agb_code, 8), "agb_code", "must be 8 digits");
}

/// A dagdeel as configured, before it is stored.
pub struct DagdeelSetting<'a> {
    pub dagdeel: DagdeelName,
    pub start: &'a str,
    pub end: &'a str,
    pub capacity: u32,
}

/// Parses and checks a location's dagdelen: each named once, valid windows that do not overlap.
pub fn check_dagdelen(
    v: &mut Violations,
    settings: &[DagdeelSetting<'_>],
) -> Vec<(Dagdeel, TimeWindow, u32)> {
    let mut parsed: Vec<(Dagdeel, TimeWindow, u32)> = Vec::new();
    v.check(
        !settings.is_empty(),
        "dagdelen",
        "a location offers at least one dagdeel",
    );
    for (i, s) in settings.iter().enumerate() {
        let field = format!("dagdelen[{i}]");
        let dagdeel = Dagdeel::from(s.dagdeel);
        if parsed.iter().any(|(d, _, _)| *d == dagdeel) {
            v.add(&field, format!("{dagdeel} is listed twice"));
            continue;
        }
        v.check(
            s.capacity <= MAX_CAPACITY,
            &format!("{field}.capacity"),
            format!("must be at most {MAX_CAPACITY}"),
        );
        match TimeWindow::parse(s.start, s.end) {
            Ok(window) => {
                if let Some((other, _, _)) = parsed.iter().find(|(_, w, _)| w.overlaps(window)) {
                    v.add(&field, format!("{dagdeel} overlaps {other}"));
                }
                parsed.push((dagdeel, window, s.capacity));
            }
            Err(e) => v.add(&field, e.to_string()),
        }
    }
    parsed.sort_by_key(|(_, w, _)| w.start_minute());
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setting(
        dagdeel: DagdeelName,
        start: &'static str,
        end: &'static str,
    ) -> DagdeelSetting<'static> {
        DagdeelSetting {
            dagdeel,
            start,
            end,
            capacity: 12,
        }
    }

    #[test]
    fn accepts_the_usual_morning_and_afternoon() {
        let mut v = Violations::new();
        let parsed = check_dagdelen(
            &mut v,
            &[
                setting(DagdeelName::Middag, "13:00", "17:00"),
                setting(DagdeelName::Ochtend, "08:30", "12:30"),
            ],
        );
        assert!(v.into_result().is_ok());
        assert_eq!(parsed[0].0, Dagdeel::Ochtend, "sorted by start time");
    }

    #[test]
    fn rejects_overlap_duplicates_and_bad_times() {
        let mut v = Violations::new();
        check_dagdelen(
            &mut v,
            &[
                setting(DagdeelName::Ochtend, "08:00", "13:30"),
                setting(DagdeelName::Middag, "13:00", "17:00"),
                setting(DagdeelName::Middag, "18:00", "20:00"),
                setting(DagdeelName::Avond, "19:00", "18:00"),
            ],
        );
        let errors = v.into_result().unwrap_err();
        let messages: Vec<String> = errors.iter().map(|e| e.message.clone()).collect();
        assert_eq!(errors.len(), 3, "{messages:?}");
        assert!(messages[0].contains("overlaps"));
        assert!(messages[1].contains("twice"));
        assert!(messages[2].contains("end after"));
    }

    #[test]
    fn requires_at_least_one_dagdeel() {
        let mut v = Violations::new();
        check_dagdelen(&mut v, &[]);
        assert!(v.into_result().is_err());
    }

    #[test]
    fn postcodes_are_normalised() {
        assert_eq!(normalise_postcode("6711ab"), "6711 AB");
        assert_eq!(normalise_postcode("6711 AB"), "6711 AB");
    }

    #[test]
    fn agb_code_is_eight_digits() {
        let mut v = Violations::new();
        check_agb_code(&mut v, "1234567");
        check_agb_code(&mut v, "12345678");
        assert_eq!(v.into_result().unwrap_err().len(), 1);
    }
}
