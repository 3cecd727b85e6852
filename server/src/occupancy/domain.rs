//! Occupancy arithmetic (pure): cells per location x date x dagdeel, grouped by day, week or month.
use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use poem_openapi::Enum;
use sync::dagstaat::{ClientDagdeel, DagdeelStatus, NoShowReason};

/// One location, date and dagdeel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    pub capacity: i64,
    /// Clients the schedule expected.
    pub planned: i64,
    /// Present (expected or not).
    pub present: i64,
    /// Present without being expected (walk-ins, extra days).
    pub unexpected: i64,
    /// No-shows by reason.
    pub no_shows: BTreeMap<String, i64>,
    /// Expected, and nothing recorded.
    pub not_recorded: i64,
}

impl Cell {
    pub fn no_show_total(&self) -> i64 {
        self.no_shows.values().sum()
    }

    /// Places left after everyone planned and every walk-in; negative when over capacity.
    pub fn free(&self) -> i64 {
        self.capacity - self.planned - self.unexpected
    }

    pub fn add(&mut self, other: &Cell) {
        self.capacity += other.capacity;
        self.planned += other.planned;
        self.present += other.present;
        self.unexpected += other.unexpected;
        self.not_recorded += other.not_recorded;
        for (reason, n) in &other.no_shows {
            *self.no_shows.entry(reason.clone()).or_default() += n;
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Enum)]
#[oai(rename_all = "lowercase")]
pub enum Grouping {
    #[default]
    Day,
    Week,
    Month,
}

/// The period a date falls in: `2026-11-23`, `2026-W48` (ISO week) or `2026-11`.
pub fn period_of(date: NaiveDate, grouping: Grouping) -> String {
    match grouping {
        Grouping::Day => date.format("%Y-%m-%d").to_string(),
        Grouping::Week => {
            let week = date.iso_week();
            format!("{}-W{:02}", week.year(), week.week())
        }
        Grouping::Month => date.format("%Y-%m").to_string(),
    }
}

/// Key of a cell: location, date, dagdeel.
pub type CellKey = (i32, NaiveDate, String);

/// Sums cells per location x period x dagdeel (capacity becomes place-days).
pub fn group(
    cells: &BTreeMap<CellKey, Cell>,
    grouping: Grouping,
) -> BTreeMap<(i32, String, String), Cell> {
    let mut out: BTreeMap<(i32, String, String), Cell> = BTreeMap::new();
    for ((location, date, dagdeel), cell) in cells {
        out.entry((*location, period_of(*date, grouping), dagdeel.clone()))
            .or_default()
            .add(cell);
    }
    out
}

/// The cells of one day from its folded state, per dagdeel (without capacity).
pub fn day_cells(entries: &[ClientDagdeel]) -> BTreeMap<String, Cell> {
    let mut cells: BTreeMap<String, Cell> = BTreeMap::new();
    for entry in entries {
        let cell = cells.entry(entry.dagdeel.as_str().to_owned()).or_default();
        if entry.expected {
            cell.planned += 1;
        }
        match entry.status {
            DagdeelStatus::Expected => cell.not_recorded += 1,
            DagdeelStatus::Present => cell.present += 1,
            DagdeelStatus::Unexpected => {
                cell.present += 1;
                cell.unexpected += 1;
            }
            DagdeelStatus::NoShow => {
                let reason = entry.no_show_reason.map_or("overig", NoShowReason::as_str);
                *cell.no_shows.entry(reason.to_owned()).or_default() += 1;
            }
        }
    }
    cells
}

/// Share of expected attendances that became a no-show, in percent with one decimal.
pub fn rate_percent(part: i64, whole: i64) -> f64 {
    if whole <= 0 {
        return 0.0;
    }
    (part as f64 * 1000.0 / whole as f64).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn cell(capacity: i64, planned: i64, present: i64, ill: i64) -> Cell {
        Cell {
            capacity,
            planned,
            present,
            unexpected: 0,
            no_shows: BTreeMap::from([("ziek".to_owned(), ill)]),
            not_recorded: planned - present - ill,
        }
    }

    #[test]
    fn periods() {
        assert_eq!(period_of(d(11, 23), Grouping::Day), "2026-11-23");
        assert_eq!(period_of(d(11, 23), Grouping::Week), "2026-W48");
        assert_eq!(period_of(d(11, 23), Grouping::Month), "2026-11");
        // 2027-01-01 is a Friday in ISO week 53 of 2026.
        assert_eq!(
            period_of(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), Grouping::Week),
            "2026-W53"
        );
    }

    #[test]
    fn grouping_sums_place_days_and_reasons() {
        let cells = BTreeMap::from([
            ((1, d(11, 23), "ochtend".to_owned()), cell(10, 8, 6, 2)),
            ((1, d(11, 24), "ochtend".to_owned()), cell(10, 12, 9, 1)),
            ((1, d(11, 24), "middag".to_owned()), cell(8, 4, 4, 0)),
            ((2, d(11, 24), "ochtend".to_owned()), cell(5, 5, 5, 0)),
        ]);
        let weeks = group(&cells, Grouping::Week);
        let farm_mornings = &weeks[&(1, "2026-W48".to_owned(), "ochtend".to_owned())];
        assert_eq!(
            (
                farm_mornings.capacity,
                farm_mornings.planned,
                farm_mornings.present
            ),
            (20, 20, 15)
        );
        assert_eq!(farm_mornings.no_show_total(), 3);
        assert_eq!(weeks.len(), 3);
        let over = &cells[&(1, d(11, 24), "ochtend".to_owned())];
        assert_eq!(
            over.free(),
            -2,
            "over capacity shows as negative free places"
        );
    }

    #[test]
    fn rates() {
        assert_eq!(rate_percent(1, 3), 33.3);
        assert_eq!(rate_percent(0, 0), 0.0);
        assert_eq!(rate_percent(5, 5), 100.0);
    }
}
