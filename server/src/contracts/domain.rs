//! iWmo code lists used by contracts and allocations (see ../shared/spec/iwmo-3.2/xsd/Basisschema.xsd).
use poem_openapi::Enum;

use crate::validation::{Violations, is_digits};

/// Product categories this system delivers: 07 dagbesteding, 08 vervoerdiensten.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
pub enum ProductCategory {
    #[oai(rename = "07")]
    Dagbesteding,
    #[oai(rename = "08")]
    Vervoer,
}

impl ProductCategory {
    pub fn code(self) -> &'static str {
        match self {
            ProductCategory::Dagbesteding => "07",
            ProductCategory::Vervoer => "08",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [ProductCategory::Dagbesteding, ProductCategory::Vervoer]
            .into_iter()
            .find(|c| c.code() == code)
    }
}

/// iWmo LDT_Eenheid: the unit a product's volume is expressed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
pub enum Unit {
    #[oai(rename = "01")]
    Minuut,
    #[oai(rename = "04")]
    Uur,
    #[oai(rename = "14")]
    Etmaal,
    /// Dagdeel (4 uur).
    #[oai(rename = "16")]
    Dagdeel,
    #[oai(rename = "82")]
    StuksOutput,
    #[oai(rename = "83")]
    Euros,
    #[oai(rename = "84")]
    StuksInspanning,
}

impl Unit {
    pub const ALL: [Unit; 7] = [
        Unit::Minuut,
        Unit::Uur,
        Unit::Etmaal,
        Unit::Dagdeel,
        Unit::StuksOutput,
        Unit::Euros,
        Unit::StuksInspanning,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Unit::Minuut => "01",
            Unit::Uur => "04",
            Unit::Etmaal => "14",
            Unit::Dagdeel => "16",
            Unit::StuksOutput => "82",
            Unit::Euros => "83",
            Unit::StuksInspanning => "84",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Unit::ALL.into_iter().find(|u| u.code() == code)
    }
}

/// iWmo LDT_Bedrag: amounts in cents, at most 99,999,999.
pub const MAX_AMOUNT_CENTS: i64 = 99_999_999;

/// iWmo LDT_ProductCode: 1 to 5 characters, not only whitespace.
pub fn check_product_code(v: &mut Violations, field: &str, code: &str) {
    v.check(
        !code.trim().is_empty() && code.chars().count() <= 5 && code.trim() == code,
        field,
        "must be 1 to 5 characters without surrounding spaces",
    );
}

pub fn check_municipality_code(v: &mut Violations, code: &str) {
    v.check(
        is_digits(code, 4),
        "code",
        "must be the 4-digit gemeentecode",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for unit in Unit::ALL {
            assert_eq!(Unit::from_code(unit.code()), Some(unit));
        }
        assert_eq!(
            ProductCategory::from_code("08"),
            Some(ProductCategory::Vervoer)
        );
        assert_eq!(ProductCategory::from_code("02"), None);
    }

    #[test]
    fn product_codes() {
        let mut v = Violations::new();
        check_product_code(&mut v, "a", "07A08");
        assert!(v.into_result().is_ok());
        for bad in ["", "   ", "07A081", " 07A0"] {
            let mut v = Violations::new();
            check_product_code(&mut v, "a", bad);
            assert!(v.into_result().is_err(), "{bad:?}");
        }
    }
}
