//! Contract rules: how a municipality's contract turns attendance into billable units.
//!
//! Stored as JSON on the contract; every field has the default most Dutch Wmo contracts use,
//! so `{}` is a valid (and common) rule set.
use poem_openapi::{Enum, Object};
use serde::{Deserialize, Serialize};

use crate::validation::Violations;

/// How dagdelen are counted on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum Counting {
    /// By the time present that day: 11:00-14:00 is one dagdeel, 8 hours are two.
    #[default]
    PresenceTime,
    /// One dagdeel per window (morning, afternoon, evening) in which the client was present
    /// at least `window_minimum_minutes`.
    WindowReached,
}

/// Which no-shows may be billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum NoShowPolicy {
    #[default]
    Never,
    /// Unannounced (onaangekondigd, niet_thuis) and the coach recorded the effort made in the note.
    UnannouncedWithEffort,
    /// Unannounced no-shows, at most `no_show_max_per_month` per allocation per month.
    Capped,
}

/// How transport (category 08) is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum TransportBilling {
    /// One unit per ride: to the location and back home are two.
    #[default]
    PerRide,
    /// One unit per day with transport.
    PerDay,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum RoundingMode {
    #[default]
    Down,
    Nearest,
    Up,
}

/// The billing rules of one contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Object)]
#[serde(default, deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct ContractRules {
    #[oai(default)]
    pub counting: Counting,
    /// Nominal length of a dagdeel (iWmo unit 16 is 4 hours); used for no-shows billed in hours.
    #[oai(default = "default_nominal")]
    pub dagdeel_nominal_minutes: u16,
    /// Presence needed on a day for the first dagdeel to count.
    #[oai(default = "default_minimum")]
    pub dagdeel_minimum_minutes: u16,
    /// Presence needed for a second dagdeel on a long day; each further dagdeel needs
    /// `dagdeel_nominal_minutes` more.
    #[oai(default = "default_second")]
    pub second_dagdeel_minutes: u16,
    #[oai(default = "default_max_per_day")]
    pub max_dagdelen_per_day: u8,
    /// With `window_reached` counting: presence inside a window needed for it to count.
    #[oai(default = "default_window_minimum")]
    pub window_minimum_minutes: u16,
    /// Whether time in the bus counts as presence ("5 hours including transport").
    #[oai(default)]
    pub transport_included: bool,
    /// Transport time added per day with transport when `transport_included`.
    #[oai(default = "default_transport_minutes")]
    pub transport_included_minutes: u16,
    #[oai(default)]
    pub transport_billing: TransportBilling,
    #[oai(default)]
    pub no_show: NoShowPolicy,
    #[oai(default)]
    pub no_show_max_per_month: u16,
    /// Hours and minutes are rounded per day to this step.
    #[oai(default = "default_rounding_step")]
    pub rounding_step_minutes: u16,
    #[oai(default)]
    pub rounding: RoundingMode,
}

fn default_nominal() -> u16 {
    240
}
fn default_minimum() -> u16 {
    180
}
fn default_second() -> u16 {
    420
}
fn default_max_per_day() -> u8 {
    2
}
fn default_window_minimum() -> u16 {
    60
}
fn default_transport_minutes() -> u16 {
    30
}
fn default_rounding_step() -> u16 {
    15
}

impl Default for ContractRules {
    fn default() -> Self {
        ContractRules {
            counting: Counting::default(),
            dagdeel_nominal_minutes: default_nominal(),
            dagdeel_minimum_minutes: default_minimum(),
            second_dagdeel_minutes: default_second(),
            max_dagdelen_per_day: default_max_per_day(),
            window_minimum_minutes: default_window_minimum(),
            transport_included: false,
            transport_included_minutes: default_transport_minutes(),
            transport_billing: TransportBilling::default(),
            no_show: NoShowPolicy::default(),
            no_show_max_per_month: 0,
            rounding_step_minutes: default_rounding_step(),
            rounding: RoundingMode::default(),
        }
    }
}

const MINUTES_PER_DAY: u16 = 24 * 60;

impl ContractRules {
    /// Reads the rules stored on a contract.
    pub fn from_json(json: &str) -> Result<ContractRules, serde_json::Error> {
        serde_json::from_str(json)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }

    /// Reports every inconsistent field, named as `rules.<field>`.
    pub fn check(&self, v: &mut Violations) {
        let within_day = |m: u16| (1..=MINUTES_PER_DAY).contains(&m);
        v.check(
            within_day(self.dagdeel_nominal_minutes),
            "rules.dagdeel_nominal_minutes",
            "must be between 1 and 1440",
        );
        v.check(
            within_day(self.dagdeel_minimum_minutes),
            "rules.dagdeel_minimum_minutes",
            "must be between 1 and 1440",
        );
        v.check(
            self.second_dagdeel_minutes > self.dagdeel_minimum_minutes
                && self.second_dagdeel_minutes <= MINUTES_PER_DAY,
            "rules.second_dagdeel_minutes",
            "must be more than dagdeel_minimum_minutes and at most 1440",
        );
        v.check(
            (1..=3).contains(&self.max_dagdelen_per_day),
            "rules.max_dagdelen_per_day",
            "must be 1, 2 or 3",
        );
        v.check(
            within_day(self.window_minimum_minutes),
            "rules.window_minimum_minutes",
            "must be between 1 and 1440",
        );
        v.check(
            self.transport_included_minutes <= 240,
            "rules.transport_included_minutes",
            "must be at most 240",
        );
        v.check(
            self.no_show != NoShowPolicy::Capped || self.no_show_max_per_month > 0,
            "rules.no_show_max_per_month",
            "must be at least 1 when no_show is capped",
        );
        v.check(
            (1..=60).contains(&self.rounding_step_minutes),
            "rules.rounding_step_minutes",
            "must be between 1 and 60",
        );
    }

    /// Rounds a number of minutes to the contract's step.
    pub fn round_minutes(&self, minutes: u32) -> u32 {
        round_to(
            minutes,
            u32::from(self.rounding_step_minutes),
            self.rounding,
        )
    }
}

pub fn round_to(value: u32, step: u32, mode: RoundingMode) -> u32 {
    let step = step.max(1);
    let down = value / step * step;
    match mode {
        RoundingMode::Down => down,
        RoundingMode::Up if down < value => down + step,
        RoundingMode::Up => down,
        RoundingMode::Nearest if (value - down) * 2 >= step => down + step,
        RoundingMode::Nearest => down,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_json_gives_the_defaults() {
        let rules = ContractRules::from_json("{}").unwrap();
        assert_eq!(rules, ContractRules::default());
        assert_eq!(rules.dagdeel_minimum_minutes, 180);
        assert_eq!(rules.no_show, NoShowPolicy::Never);
    }

    #[test]
    fn unknown_fields_are_an_error_not_ignored() {
        let err = ContractRules::from_json(r#"{"dagdeel_minimum":200}"#).unwrap_err();
        assert!(err.to_string().contains("dagdeel_minimum"), "{err}");
    }

    #[test]
    fn json_round_trips() {
        let rules = ContractRules {
            counting: Counting::WindowReached,
            no_show: NoShowPolicy::Capped,
            no_show_max_per_month: 2,
            ..ContractRules::default()
        };
        assert_eq!(ContractRules::from_json(&rules.to_json()).unwrap(), rules);
    }

    #[test]
    fn inconsistent_rules_are_reported_per_field() {
        let rules = ContractRules {
            second_dagdeel_minutes: 100,
            no_show: NoShowPolicy::Capped,
            rounding_step_minutes: 0,
            ..ContractRules::default()
        };
        let mut v = Violations::new();
        rules.check(&mut v);
        let fields: Vec<String> = v
            .into_result()
            .unwrap_err()
            .into_iter()
            .map(|i| i.field)
            .collect();
        assert_eq!(
            fields,
            [
                "rules.second_dagdeel_minutes",
                "rules.no_show_max_per_month",
                "rules.rounding_step_minutes"
            ]
        );
    }

    #[test]
    fn rounding_modes() {
        for (value, step, mode, expected) in [
            (67, 15, RoundingMode::Down, 60),
            (67, 15, RoundingMode::Up, 75),
            (67, 15, RoundingMode::Nearest, 60),
            (68, 15, RoundingMode::Nearest, 75),
            (60, 15, RoundingMode::Up, 60),
            (0, 15, RoundingMode::Up, 0),
            (7, 1, RoundingMode::Down, 7),
        ] {
            assert_eq!(
                round_to(value, step, mode),
                expected,
                "{value} {step} {mode:?}"
            );
        }
    }
}
