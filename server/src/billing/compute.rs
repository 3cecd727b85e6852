//! A month for one municipality (pure): attribute each client's days to an allocation, then bill
//! every allocation with the engine.
use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::declaration::{SentLine, net_declared};
use super::engine::{Allocation, AttendanceRow, Contract, Input, Line, Prior, Rides, bill};
use super::month::Month;
use crate::contracts::domain::ProductCategory;

/// Everything one month's computation reads, loaded by the storage layer.
#[derive(Debug, Default)]
pub struct MonthData {
    /// The municipality's allocations to bill.
    pub billable: Vec<Allocation>,
    /// Every allocation of the same clients (any municipality): a day belongs to the one valid then.
    pub all_of_clients: Vec<Allocation>,
    /// Attendance rows of those clients in the month.
    pub rows: HashMap<i32, Vec<AttendanceRow>>,
    /// The municipality's contracts.
    pub contracts: Vec<Contract>,
    /// Every line declared before for the billable allocations.
    pub sent: Vec<SentLine>,
    /// Rides of published route runs per client and day.
    pub rides: HashMap<i32, BTreeMap<NaiveDate, Rides>>,
}

impl MonthData {
    /// The lines sent before for `month` (what a new close is compared with).
    pub fn sent_in(&self, month: Month) -> Vec<SentLine> {
        self.sent
            .iter()
            .filter(|l| month.contains(l.period_start))
            .cloned()
            .collect()
    }
}

/// Bills every allocation of the municipality that covers the month or was attributed days.
pub fn compute(month: Month, data: &MonthData) -> Vec<Line> {
    let mut by_client: HashMap<i32, Vec<&Allocation>> = HashMap::new();
    for a in &data.all_of_clients {
        by_client.entry(a.client_id).or_default().push(a);
    }
    for list in by_client.values_mut() {
        list.sort_by_key(|a| (a.valid_from, a.id));
    }
    let mut sent_by_allocation: HashMap<i32, Vec<&SentLine>> = HashMap::new();
    for line in &data.sent {
        sent_by_allocation
            .entry(line.allocation_id)
            .or_default()
            .push(line);
    }
    let empty = Vec::new();
    let mut attributed: HashMap<i32, Vec<AttendanceRow>> = HashMap::new();
    let mut transport_days: HashMap<i32, Vec<NaiveDate>> = HashMap::new();
    for (client_id, rows) in &data.rows {
        let allocations = by_client.get(client_id).unwrap_or(&empty);
        let (days, transport) = attribute(rows, allocations);
        for (allocation_id, rows) in days {
            attributed.entry(allocation_id).or_default().extend(rows);
        }
        transport_days.insert(*client_id, transport);
    }
    let no_rows = Vec::new();
    let no_days = Vec::new();
    let no_rides = BTreeMap::new();
    data.billable
        .iter()
        .filter(|a| a.period_in(month).is_some() || attributed.contains_key(&a.id))
        .map(|allocation| {
            let prior = sent_by_allocation
                .get(&allocation.id)
                .map_or((0, 0), |lines| {
                    net_declared(
                        lines
                            .iter()
                            .copied()
                            .filter(|l| !month.contains(l.period_start)),
                    )
                });
            bill(&Input {
                month,
                allocation,
                rows: attributed.get(&allocation.id).unwrap_or(&no_rows),
                transport_days: transport_days
                    .get(&allocation.client_id)
                    .unwrap_or(&no_days),
                rides: data.rides.get(&allocation.client_id).unwrap_or(&no_rides),
                contracts: &data.contracts,
                prior: Prior {
                    volume: prior.0,
                    amount_cents: prior.1,
                },
            })
        })
        .collect()
}

/// Gives each day's rows to the dagbesteding allocation valid that day (or, when none is, the
/// nearest one, which holds them back as outside its validity) and, for presence, to the
/// transport allocation valid that day. Also returns the days with a valid transport allocation.
fn attribute(
    rows: &[AttendanceRow],
    allocations: &[&Allocation],
) -> (BTreeMap<i32, Vec<AttendanceRow>>, Vec<NaiveDate>) {
    let of = |category| -> Vec<&Allocation> {
        allocations
            .iter()
            .copied()
            .filter(|a| a.category == category)
            .collect()
    };
    let (day_care, transport) = (
        of(ProductCategory::Dagbesteding),
        of(ProductCategory::Vervoer),
    );
    let mut out: BTreeMap<i32, Vec<AttendanceRow>> = BTreeMap::new();
    let mut transport_days = Vec::new();
    for row in rows {
        let owner = day_care
            .iter()
            .find(|a| a.is_valid_on(row.date))
            .or_else(|| day_care.iter().min_by_key(|a| distance(a, row.date)));
        if let Some(owner) = owner {
            out.entry(owner.id).or_default().push(row.clone());
        }
        if let Some(ride) = transport.iter().find(|a| a.is_valid_on(row.date)) {
            out.entry(ride.id).or_default().push(row.clone());
            if transport_days.last() != Some(&row.date) {
                transport_days.push(row.date);
            }
        }
    }
    (out, transport_days)
}

/// Days between a date and an allocation's validity.
fn distance(a: &Allocation, date: NaiveDate) -> i64 {
    if date < a.valid_from {
        (a.valid_from - date).num_days()
    } else {
        a.valid_to.map_or(0, |to| (date - to).num_days().max(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocations::domain::Frequency;
    use crate::billing::engine::{HoldReason, RowStatus, Tariff};
    use crate::billing::rules::ContractRules;
    use crate::contracts::domain::Unit;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn allocation(
        id: i32,
        category: ProductCategory,
        from: NaiveDate,
        to: Option<NaiveDate>,
    ) -> Allocation {
        Allocation {
            id,
            client_id: 1,
            allocation_number: 1000 + i64::from(id),
            category,
            product_code: if category == ProductCategory::Vervoer {
                "08V01"
            } else {
                "07A08"
            }
            .into(),
            unit: if category == ProductCategory::Vervoer {
                Unit::StuksOutput
            } else {
                Unit::Dagdeel
            },
            volume: 100,
            frequency: Frequency::PerMaand,
            budget_cents: None,
            valid_from: from,
            valid_to: to,
        }
    }

    fn present(day: u32) -> AttendanceRow {
        AttendanceRow {
            date: d(11, day),
            dagdeel: "ochtend".into(),
            status: RowStatus::Present,
            minutes_present: 240,
            no_show_reason: None,
            effort_noted: false,
            conflict: false,
        }
    }

    fn contract() -> Contract {
        let tariff = |code: &str, unit, cents| Tariff {
            product_code: code.into(),
            unit,
            cents,
        };
        Contract {
            id: 1,
            valid_from: d(1, 1),
            valid_to: None,
            rules: ContractRules::default(),
            tariffs: vec![
                tariff("07A08", Unit::Dagdeel, 5000),
                tariff("08V01", Unit::StuksOutput, 1500),
            ],
        }
    }

    #[test]
    fn days_go_to_the_allocation_valid_that_day() {
        let first = allocation(1, ProductCategory::Dagbesteding, d(1, 1), Some(d(11, 10)));
        let second = allocation(2, ProductCategory::Dagbesteding, d(11, 11), None);
        let ride = allocation(3, ProductCategory::Vervoer, d(11, 15), None);
        let data = MonthData {
            billable: vec![first.clone(), second.clone(), ride.clone()],
            all_of_clients: vec![second, ride, first],
            rows: HashMap::from([(1, vec![present(2), present(3), present(12), present(16)])]),
            contracts: vec![contract()],
            sent: vec![],
            rides: HashMap::new(),
        };
        let lines = compute(Month::new(2026, 11).unwrap(), &data);
        let volumes: Vec<(i32, i64)> = lines.iter().map(|l| (l.allocation_id, l.volume)).collect();
        assert_eq!(
            volumes,
            [(1, 2), (2, 2), (3, 2)],
            "rides only on days the transport allocation is valid"
        );
        assert_eq!(
            (lines[0].period_start, lines[0].period_end),
            (d(11, 1), d(11, 10))
        );
    }

    #[test]
    fn days_after_an_allocation_ended_are_held_back_on_it() {
        let ended = allocation(1, ProductCategory::Dagbesteding, d(1, 1), Some(d(10, 31)));
        let data = MonthData {
            billable: vec![ended.clone()],
            all_of_clients: vec![ended],
            rows: HashMap::from([(1, vec![present(2)])]),
            contracts: vec![contract()],
            sent: vec![],
            rides: HashMap::new(),
        };
        let lines = compute(Month::new(2026, 11).unwrap(), &data);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].volume, 0);
        assert_eq!(lines[0].held_back[0].reason, HoldReason::OutsideValidity);
    }
}
