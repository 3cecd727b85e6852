//! Allocation rules (pure).
use chrono::NaiveDate;
use poem_openapi::Enum;

use crate::contracts::domain::{MAX_AMOUNT_CENTS, ProductCategory, Unit, check_product_code};
use crate::validation::Violations;

/// iWmo LDT_Frequentie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
#[oai(rename_all = "snake_case")]
pub enum Frequency {
    PerDag,
    PerWeek,
    PerMaand,
    /// Total within the allocation's validity.
    Totaal,
}

impl Frequency {
    pub const ALL: [Frequency; 4] = [
        Frequency::PerDag,
        Frequency::PerWeek,
        Frequency::PerMaand,
        Frequency::Totaal,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Frequency::PerDag => "1",
            Frequency::PerWeek => "2",
            Frequency::PerMaand => "4",
            Frequency::Totaal => "6",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Frequency::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// iWmo LDT_Nummer: ToewijzingNummer is 1..=999,999,999.
pub const MAX_ALLOCATION_NUMBER: i64 = 999_999_999;

pub struct AllocationFields<'a> {
    pub allocation_number: i64,
    pub product_category: ProductCategory,
    pub product_code: &'a str,
    pub unit: Unit,
    pub volume: i32,
    pub budget_cents: Option<i64>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

pub fn check_allocation(v: &mut Violations, a: &AllocationFields<'_>) {
    v.check(
        (1..=MAX_ALLOCATION_NUMBER).contains(&a.allocation_number),
        "allocation_number",
        format!("must be between 1 and {MAX_ALLOCATION_NUMBER}"),
    );
    check_product_code(v, "product_code", a.product_code);
    v.check(a.volume > 0, "volume", "must be at least 1");
    if let Some(budget) = a.budget_cents {
        v.check(
            (0..=MAX_AMOUNT_CENTS).contains(&budget),
            "budget_cents",
            format!("must be between 0 and {MAX_AMOUNT_CENTS}"),
        );
    }
    if let Some(to) = a.valid_to {
        v.check(
            to >= a.valid_from,
            "valid_to",
            "must not be before valid_from",
        );
    }
    if a.product_category == ProductCategory::Dagbesteding {
        v.check(
            matches!(
                a.unit,
                Unit::Dagdeel | Unit::Uur | Unit::Minuut | Unit::Euros
            ),
            "unit",
            "dagbesteding is allocated in dagdelen, hours, minutes or euros",
        );
    }
}

/// Whether an allocation valid from `from` to `to` (inclusive, open-ended if None) covers `date`.
pub fn is_valid_on(from: NaiveDate, to: Option<NaiveDate>, date: NaiveDate) -> bool {
    from <= date && to.is_none_or(|to| date <= to)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn fields() -> AllocationFields<'static> {
        AllocationFields {
            allocation_number: 12345,
            product_category: ProductCategory::Dagbesteding,
            product_code: "07A08",
            unit: Unit::Dagdeel,
            volume: 3,
            budget_cents: None,
            valid_from: d(2026, 1, 1),
            valid_to: Some(d(2026, 12, 31)),
        }
    }

    #[test]
    fn a_normal_allocation_passes() {
        let mut v = Violations::new();
        check_allocation(&mut v, &fields());
        assert!(v.into_result().is_ok());
    }

    #[test]
    fn reports_every_problem() {
        let mut v = Violations::new();
        check_allocation(
            &mut v,
            &AllocationFields {
                allocation_number: 1_000_000_000,
                volume: 0,
                valid_to: Some(d(2025, 12, 31)),
                unit: Unit::StuksOutput,
                ..fields()
            },
        );
        let fields: Vec<String> = v
            .into_result()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["allocation_number", "volume", "valid_to", "unit"]);
    }

    #[test]
    fn validity_is_inclusive_and_may_be_open() {
        assert!(is_valid_on(
            d(2026, 1, 1),
            Some(d(2026, 1, 31)),
            d(2026, 1, 31)
        ));
        assert!(!is_valid_on(
            d(2026, 1, 1),
            Some(d(2026, 1, 31)),
            d(2026, 2, 1)
        ));
        assert!(is_valid_on(d(2026, 1, 1), None, d(2030, 2, 1)));
        assert!(!is_valid_on(d(2026, 1, 1), None, d(2025, 12, 31)));
    }

    #[test]
    fn frequency_codes_round_trip() {
        for f in Frequency::ALL {
            assert_eq!(Frequency::from_code(f.code()), Some(f));
        }
    }
}
