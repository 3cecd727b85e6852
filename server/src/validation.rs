//! Input validation shared by every capability: collect all problems, report them together.
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, poem_openapi::Object)]
pub struct Invalid {
    /// The input field, as named in the request body or query.
    pub field: String,
    pub message: String,
}

/// Collects every problem with an input so the user can fix them all at once.
#[derive(Debug, Default)]
pub struct Violations(Vec<Invalid>);

impl Violations {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(Invalid {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// Adds a violation when `ok` is false.
    pub fn check(&mut self, ok: bool, field: &str, message: impl Into<String>) {
        if !ok {
            self.add(field, message);
        }
    }

    pub fn check_not_blank(&mut self, value: &str, field: &str) {
        self.check(!value.trim().is_empty(), field, "must not be empty");
    }

    pub fn into_result(self) -> Result<(), Vec<Invalid>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

/// Dutch postcode: four digits (not starting with 0), optional space, two letters.
pub fn is_postcode(value: &str) -> bool {
    let compact: Vec<char> = value.chars().filter(|c| *c != ' ').collect();
    compact.len() == 6
        && compact[0] != '0'
        && compact[..4].iter().all(char::is_ascii_digit)
        && compact[4..].iter().all(char::is_ascii_alphabetic)
        && value.len() <= 7
}

pub fn is_latitude(value: f64) -> bool {
    value.is_finite() && (-90.0..=90.0).contains(&value)
}

pub fn is_longitude(value: f64) -> bool {
    value.is_finite() && (-180.0..=180.0).contains(&value)
}

pub fn is_digits(value: &str, len: usize) -> bool {
    value.len() == len && value.chars().all(|c| c.is_ascii_digit())
}

/// A phone number as people type it: digits with spaces, dashes, parentheses, an optional leading +.
pub fn is_phone(value: &str) -> bool {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    (8..=15).contains(&digits)
        && value
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || " -()".contains(c) || (c == '+' && i == 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes() {
        for ok in ["6711 AB", "6711AB", "1012 jx"] {
            assert!(is_postcode(ok), "{ok}");
        }
        for bad in ["0711 AB", "671 AB", "6711 A1", "6711  AB", "", "67111AB"] {
            assert!(!is_postcode(bad), "{bad}");
        }
    }

    #[test]
    fn phones() {
        assert!(is_phone("0318-123456"));
        assert!(is_phone("+31 6 12345678"));
        assert!(!is_phone("12345"));
        assert!(!is_phone("06 1234 567a"));
        assert!(!is_phone("06+12345678"));
    }

    #[test]
    fn violations_collect_all_problems() {
        let mut v = Violations::new();
        v.check_not_blank(" ", "name");
        v.check(is_latitude(95.0), "lat", "out of range");
        let errors = v.into_result().unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[1].field, "lat");
    }
}
