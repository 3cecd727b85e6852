//! The rules engine (pure): attendance + allocation + contract -> billable units for one
//! allocation in one month, with an explanation per day and every unit it held back.
use std::collections::BTreeMap;

use chrono::NaiveDate;
use poem_openapi::{Enum, Object};
use sync::dagstaat::NoShowReason;

use super::month::{Month, calendar_weeks_touching};
use super::rules::{ContractRules, Counting, NoShowPolicy, TransportBilling, round_to};
use crate::allocations::domain::{Frequency, is_valid_on};
use crate::contracts::domain::{ProductCategory, Unit};

/// One attendance row of the projection (one client, one dagdeel, one day).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceRow {
    pub date: NaiveDate,
    pub dagdeel: String,
    pub status: RowStatus,
    pub minutes_present: u16,
    pub no_show_reason: Option<NoShowReason>,
    /// Whether the coach wrote down what was done to reach the client.
    pub effort_noted: bool,
    pub conflict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowStatus {
    Expected,
    Present,
    NoShow,
    Unexpected,
}

impl RowStatus {
    pub fn parse(s: &str) -> Option<RowStatus> {
        Some(match s {
            "expected" => RowStatus::Expected,
            "present" => RowStatus::Present,
            "no_show" => RowStatus::NoShow,
            "unexpected" => RowStatus::Unexpected,
            _ => return None,
        })
    }

    fn is_presence(self) -> bool {
        matches!(self, RowStatus::Present | RowStatus::Unexpected)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub id: i32,
    pub client_id: i32,
    pub allocation_number: i64,
    pub category: ProductCategory,
    pub product_code: String,
    pub unit: Unit,
    pub volume: i64,
    pub frequency: Frequency,
    pub budget_cents: Option<i64>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

impl Allocation {
    pub fn is_valid_on(&self, date: NaiveDate) -> bool {
        is_valid_on(self.valid_from, self.valid_to, date)
    }

    /// The part of `month` this allocation covers (TR307/TR308), if any.
    pub fn period_in(&self, month: Month) -> Option<(NaiveDate, NaiveDate)> {
        let from = self.valid_from.max(month.first());
        let to = self
            .valid_to
            .map_or(month.last(), |to| to.min(month.last()));
        (from <= to).then_some((from, to))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tariff {
    pub product_code: String,
    pub unit: Unit,
    pub cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    pub id: i32,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub rules: ContractRules,
    pub tariffs: Vec<Tariff>,
}

/// What was declared (net of credits, rejected lines excluded) for the allocation outside this month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prior {
    pub volume: i64,
    pub amount_cents: i64,
}

/// Everything the engine needs for one allocation in one month.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    pub month: Month,
    pub allocation: &'a Allocation,
    /// The client's attendance rows on the days attributed to this allocation.
    pub rows: &'a [AttendanceRow],
    /// Days on which the client had a valid transport allocation.
    pub transport_days: &'a [NaiveDate],
    /// Rides of published route runs per day, as the drivers recorded them.
    pub rides: &'a BTreeMap<NaiveDate, Rides>,
    /// The municipality's contracts.
    pub contracts: &'a [Contract],
    pub prior: Prior,
}

/// A client's rides on one day in published route runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rides {
    pub planned: u32,
    /// Dropped off, as the driver recorded it.
    pub delivered: u32,
}

/// Why a day produced the units it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum DayRule {
    /// Dagdelen from the time present.
    PresenceTime,
    /// Present, but less than the contract's minimum.
    BelowMinimum,
    /// Dagdelen from the windows reached.
    WindowReached,
    /// Minutes present, rounded per the contract.
    TimePresent,
    /// Rides or days of transport, from the days the client was present.
    Transport,
    /// Rides or days of transport the drivers recorded as dropped off.
    RidesDriven,
    NoShowBillable,
    /// The contract does not bill this no-show.
    NoShowNotBillable,
    /// Unannounced, but no effort was recorded.
    NoShowWithoutEffort,
    /// The contract's monthly number of billable no-shows was reached.
    NoShowCapReached,
    /// Expected, but nothing was recorded.
    NotRecorded,
    /// The allocation's unit cannot be derived from attendance.
    UnsupportedUnit,
}

/// Why units were held back instead of declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum HoldReason {
    OutsideValidity,
    NoContract,
    NoTariff,
    /// Per-day volume of the allocation.
    CapDay,
    /// Weekly (IV077: weeks touching the period x volume) or monthly volume.
    CapPeriod,
    /// Total volume over the allocation (TR322).
    CapTotal,
    /// Budget of the allocation (TR369).
    CapBudget,
}

#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct DayLine {
    pub date: NaiveDate,
    pub rule: DayRule,
    /// Minutes present that counted (transport included where the contract says so).
    pub minutes_present: u32,
    /// Units this day produced, in the allocation's unit (minutes for hour units).
    pub quantity: i64,
    /// Of which declared.
    pub declared: i64,
    pub held_reason: Option<HoldReason>,
    /// Dagdeel rows behind this day (e.g. "ochtend:present").
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct HeldBack {
    pub date: NaiveDate,
    pub quantity: i64,
    pub reason: HoldReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum WarningKind {
    /// Recorded both present and no-show on one dagdeel.
    Conflict,
    /// Expected, nothing recorded.
    NotRecorded,
    /// The tariff changed within the month; the line has no single tariff.
    TariffChanged,
    UnsupportedUnit,
}

#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct Warning {
    pub kind: WarningKind,
    pub date: Option<NaiveDate>,
}

/// The billable result for one allocation x product x month (TR389).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub allocation_id: i32,
    pub client_id: i32,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub volume: i64,
    /// None when the tariff changed within the month (the amount is then the sum per tariff).
    pub tariff_cents: Option<i64>,
    pub amount_cents: i64,
    pub days: Vec<DayLine>,
    pub held_back: Vec<HeldBack>,
    pub warnings: Vec<Warning>,
}

/// Bills one allocation for one month.
pub fn bill(input: &Input<'_>) -> Line {
    let allocation = input.allocation;
    let (period_start, period_end) = allocation
        .period_in(input.month)
        .unwrap_or((input.month.first(), input.month.last()));
    let mut warnings = Vec::new();
    let mut days = count_days(input, &mut warnings);
    let tariffs = apply_caps(input, (period_start, period_end), &mut days);

    let mut by_tariff: BTreeMap<i64, i64> = BTreeMap::new();
    for (day, tariff) in days.iter().zip(&tariffs) {
        if let Some(cents) = tariff.filter(|_| day.declared > 0) {
            *by_tariff.entry(cents).or_default() += day.declared;
        }
    }
    let rounding = input
        .contracts
        .iter()
        .find(|c| is_valid_on(c.valid_from, c.valid_to, period_start))
        .map(|c| c.rules.rounding)
        .unwrap_or_default();
    let mut volume = 0;
    let mut amount_cents = 0;
    for (cents, quantity) in &by_tariff {
        let v = to_volume(allocation.unit, *quantity, rounding);
        volume += v;
        amount_cents += v * cents;
    }
    if by_tariff.len() > 1 {
        warnings.push(Warning {
            kind: WarningKind::TariffChanged,
            date: None,
        });
    }
    let held_back = days
        .iter()
        .filter_map(|d| {
            d.held_reason.map(|reason| HeldBack {
                date: d.date,
                quantity: d.quantity - d.declared,
                reason,
            })
        })
        .collect();
    Line {
        allocation_id: allocation.id,
        client_id: allocation.client_id,
        period_start,
        period_end,
        volume,
        tariff_cents: (by_tariff.len() == 1)
            .then(|| by_tariff.keys().next().copied())
            .flatten(),
        amount_cents,
        days,
        held_back,
        warnings,
    }
}

/// Minutes for hour units are converted to whole hours once per month, rounded per the contract.
fn to_volume(unit: Unit, quantity: i64, rounding: super::rules::RoundingMode) -> i64 {
    match unit {
        Unit::Uur => i64::from(round_to(quantity.max(0) as u32, 60, rounding) / 60),
        _ => quantity,
    }
}

/// Per day: how many units attendance gives, before caps.
fn count_days(input: &Input<'_>, warnings: &mut Vec<Warning>) -> Vec<DayLine> {
    let mut per_day: BTreeMap<NaiveDate, Vec<&AttendanceRow>> = BTreeMap::new();
    for row in input.rows.iter().filter(|r| input.month.contains(r.date)) {
        per_day.entry(row.date).or_default().push(row);
    }
    let mut billable_no_shows = 0u16;
    let mut lines = Vec::new();
    for (date, rows) in per_day {
        for row in &rows {
            if row.conflict {
                warnings.push(Warning {
                    kind: WarningKind::Conflict,
                    date: Some(date),
                });
            }
        }
        let contract = contract_on(input.contracts, date);
        let default_rules = ContractRules::default();
        let rules = contract.map_or(&default_rules, |c| &c.rules);
        let transport = input.transport_days.contains(&date);
        let mut line = match input.allocation.category {
            ProductCategory::Vervoer => transport_day(date, &rows, rules, input.rides.get(&date)),
            ProductCategory::Dagbesteding => {
                dagbesteding_day(input, date, &rows, rules, transport, &mut billable_no_shows)
            }
        };
        if contract.is_none() && line.quantity > 0 {
            hold(&mut line, 0, HoldReason::NoContract);
        }
        if line.rule == DayRule::NotRecorded {
            warnings.push(Warning {
                kind: WarningKind::NotRecorded,
                date: Some(date),
            });
        }
        if line.rule == DayRule::UnsupportedUnit
            && warnings
                .iter()
                .all(|w| w.kind != WarningKind::UnsupportedUnit)
        {
            warnings.push(Warning {
                kind: WarningKind::UnsupportedUnit,
                date: None,
            });
        }
        lines.push(line);
    }
    lines
}

fn contract_on(contracts: &[Contract], date: NaiveDate) -> Option<&Contract> {
    contracts
        .iter()
        .filter(|c| is_valid_on(c.valid_from, c.valid_to, date))
        .max_by_key(|c| (c.valid_from, c.id))
}

fn sources(rows: &[&AttendanceRow]) -> Vec<String> {
    rows.iter()
        .map(|r| {
            let status = match r.status {
                RowStatus::Expected => "expected".to_owned(),
                RowStatus::Present => format!("present {} min", r.minutes_present),
                RowStatus::Unexpected => format!("unexpected {} min", r.minutes_present),
                RowStatus::NoShow => format!(
                    "no_show {}",
                    r.no_show_reason.map_or("?", NoShowReason::as_str)
                ),
            };
            format!("{}: {status}", r.dagdeel)
        })
        .collect()
}

fn day_line(
    date: NaiveDate,
    rule: DayRule,
    minutes: u32,
    quantity: i64,
    rows: &[&AttendanceRow],
) -> DayLine {
    DayLine {
        date,
        rule,
        minutes_present: minutes,
        quantity,
        declared: quantity,
        held_reason: None,
        sources: sources(rows),
    }
}

fn presence_minutes(rows: &[&AttendanceRow]) -> u32 {
    rows.iter()
        .filter(|r| r.status.is_presence())
        .map(|r| u32::from(r.minutes_present))
        .sum()
}

fn transport_day(
    date: NaiveDate,
    rows: &[&AttendanceRow],
    rules: &ContractRules,
    rides: Option<&Rides>,
) -> DayLine {
    let minutes = presence_minutes(rows);
    // Where the day's rides ran in published route runs, what the driver recorded decides.
    if let Some(rides) = rides.filter(|r| r.planned > 0) {
        let units = match rules.transport_billing {
            TransportBilling::PerRide => i64::from(rides.delivered),
            TransportBilling::PerDay => i64::from(rides.delivered > 0),
        };
        return day_line(date, DayRule::RidesDriven, minutes, units, rows);
    }
    let rides = match (minutes > 0, rules.transport_billing) {
        (false, _) => 0,
        // The bus runs once each way, also for whole-day clients.
        (true, TransportBilling::PerRide) => 2,
        (true, TransportBilling::PerDay) => 1,
    };
    day_line(date, DayRule::Transport, minutes, rides, rows)
}

fn dagbesteding_day(
    input: &Input<'_>,
    date: NaiveDate,
    rows: &[&AttendanceRow],
    rules: &ContractRules,
    transport: bool,
    billable_no_shows: &mut u16,
) -> DayLine {
    let unit = input.allocation.unit;
    let mut minutes = presence_minutes(rows);
    if minutes > 0 {
        if rules.transport_included && transport {
            minutes += u32::from(rules.transport_included_minutes);
        }
        return match unit {
            Unit::Dagdeel => {
                let (rule, count) = count_dagdelen(rows, minutes, rules);
                day_line(date, rule, minutes, count, rows)
            }
            Unit::Uur | Unit::Minuut => {
                let rounded = rules.round_minutes(minutes);
                day_line(
                    date,
                    DayRule::TimePresent,
                    minutes,
                    i64::from(rounded),
                    rows,
                )
            }
            _ => day_line(date, DayRule::UnsupportedUnit, minutes, 0, rows),
        };
    }
    let no_shows: Vec<&&AttendanceRow> = rows
        .iter()
        .filter(|r| r.status == RowStatus::NoShow)
        .collect();
    if no_shows.is_empty() {
        return day_line(date, DayRule::NotRecorded, 0, 0, rows);
    }
    let mut rule = DayRule::NoShowNotBillable;
    let mut quantity = 0;
    for row in no_shows {
        let verdict = no_show_verdict(row, rules, *billable_no_shows);
        if verdict == DayRule::NoShowBillable {
            *billable_no_shows += 1;
            quantity += match unit {
                Unit::Dagdeel => 1,
                Unit::Uur | Unit::Minuut => i64::from(rules.dagdeel_nominal_minutes),
                _ => 0,
            };
        }
        // The most favourable verdict of the day explains it.
        if rule != DayRule::NoShowBillable {
            rule = verdict;
        }
    }
    day_line(date, rule, 0, quantity, rows)
}

/// Dagdelen for a day with presence, by the contract's counting method.
pub fn count_dagdelen(
    rows: &[&AttendanceRow],
    minutes: u32,
    rules: &ContractRules,
) -> (DayRule, i64) {
    let max = i64::from(rules.max_dagdelen_per_day);
    match rules.counting {
        Counting::PresenceTime => {
            let minimum = u32::from(rules.dagdeel_minimum_minutes);
            if minutes < minimum {
                return (DayRule::BelowMinimum, 0);
            }
            let second = u32::from(rules.second_dagdeel_minutes);
            let count = if minutes < second {
                1
            } else {
                2 + i64::from((minutes - second) / u32::from(rules.dagdeel_nominal_minutes.max(1)))
            };
            (DayRule::PresenceTime, count.min(max))
        }
        Counting::WindowReached => {
            let reached = rows
                .iter()
                .filter(|r| r.status.is_presence())
                .filter(|r| r.minutes_present >= rules.window_minimum_minutes)
                .count() as i64;
            let rule = if reached == 0 {
                DayRule::BelowMinimum
            } else {
                DayRule::WindowReached
            };
            (rule, reached.min(max))
        }
    }
}

fn no_show_verdict(row: &AttendanceRow, rules: &ContractRules, billed_so_far: u16) -> DayRule {
    let unannounced = matches!(
        row.no_show_reason,
        Some(NoShowReason::Onaangekondigd | NoShowReason::NietThuis)
    );
    match rules.no_show {
        NoShowPolicy::Never => DayRule::NoShowNotBillable,
        _ if !unannounced => DayRule::NoShowNotBillable,
        NoShowPolicy::UnannouncedWithEffort if !row.effort_noted => DayRule::NoShowWithoutEffort,
        NoShowPolicy::UnannouncedWithEffort => DayRule::NoShowBillable,
        NoShowPolicy::Capped if billed_so_far >= rules.no_show_max_per_month => {
            DayRule::NoShowCapReached
        }
        NoShowPolicy::Capped => DayRule::NoShowBillable,
    }
}

/// Caps in date order: what does not fit is held back with the first cap it hit.
/// Returns the tariff (cents per unit) of each day.
fn apply_caps(
    input: &Input<'_>,
    period: (NaiveDate, NaiveDate),
    days: &mut [DayLine],
) -> Vec<Option<i64>> {
    let allocation = input.allocation;
    // Hour units are counted in minutes until the end.
    let scale = if allocation.unit == Unit::Uur { 60 } else { 1 };
    let volume = allocation.volume * scale;
    let mut period_left = match allocation.frequency {
        Frequency::PerWeek => i64::from(calendar_weeks_touching(period.0, period.1)) * volume,
        Frequency::PerMaand => volume,
        Frequency::PerDag | Frequency::Totaal => i64::MAX,
    };
    let mut total_left = match allocation.frequency {
        Frequency::Totaal => (volume - input.prior.volume * scale).max(0),
        _ => i64::MAX,
    };
    let mut budget_left = allocation
        .budget_cents
        .map_or(i64::MAX, |b| (b - input.prior.amount_cents).max(0));
    let mut tariffs = Vec::with_capacity(days.len());
    for day in days.iter_mut() {
        let tariff = tariff_on(input.contracts, allocation, day.date);
        tariffs.push(tariff);
        if day.quantity == 0 || day.held_reason.is_some() {
            day.declared = 0;
            continue;
        }
        if !allocation.is_valid_on(day.date) {
            hold(day, 0, HoldReason::OutsideValidity);
            continue;
        }
        let Some(cents) = tariff else {
            hold(day, 0, HoldReason::NoTariff);
            continue;
        };
        let day_cap = if allocation.frequency == Frequency::PerDag {
            volume
        } else {
            i64::MAX
        };
        // Cents per quantity unit; for hours the quantity is minutes.
        let affordable = if cents == 0 {
            i64::MAX
        } else {
            budget_left.saturating_mul(scale) / cents
        };
        let caps = [
            (day_cap, HoldReason::CapDay),
            (period_left, HoldReason::CapPeriod),
            (total_left, HoldReason::CapTotal),
            (affordable, HoldReason::CapBudget),
        ];
        let (allowed, binding) =
            caps.iter()
                .fold((day.quantity, None), |(allowed, binding), (cap, reason)| {
                    if *cap < allowed {
                        (*cap, binding.or(Some(*reason)))
                    } else {
                        (allowed, binding)
                    }
                });
        let allowed = allowed.max(0);
        if let Some(reason) = binding {
            hold(day, allowed, reason);
        }
        period_left = period_left.saturating_sub(allowed);
        total_left = total_left.saturating_sub(allowed);
        budget_left = budget_left.saturating_sub(allowed * cents / scale);
    }
    tariffs
}

fn hold(day: &mut DayLine, declared: i64, reason: HoldReason) {
    day.declared = declared;
    day.held_reason = Some(reason);
}

fn tariff_on(contracts: &[Contract], allocation: &Allocation, date: NaiveDate) -> Option<i64> {
    contract_on(contracts, date)?
        .tariffs
        .iter()
        .find(|t| t.product_code == allocation.product_code && t.unit == allocation.unit)
        .map(|t| t.cents)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::rules::RoundingMode;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }

    fn allocation(unit: Unit, volume: i64, frequency: Frequency) -> Allocation {
        Allocation {
            id: 1,
            client_id: 7,
            allocation_number: 4711,
            category: ProductCategory::Dagbesteding,
            product_code: "07A08".into(),
            unit,
            volume,
            frequency,
            budget_cents: None,
            valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            valid_to: None,
        }
    }

    fn contract(rules: ContractRules, unit: Unit, cents: i64) -> Contract {
        Contract {
            id: 1,
            valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            valid_to: None,
            rules,
            tariffs: vec![Tariff {
                product_code: "07A08".into(),
                unit,
                cents,
            }],
        }
    }

    fn present(day: u32, dagdeel: &str, minutes: u16) -> AttendanceRow {
        AttendanceRow {
            date: d(day),
            dagdeel: dagdeel.into(),
            status: RowStatus::Present,
            minutes_present: minutes,
            no_show_reason: None,
            effort_noted: false,
            conflict: false,
        }
    }

    fn no_show(day: u32, reason: NoShowReason, effort: bool) -> AttendanceRow {
        AttendanceRow {
            status: RowStatus::NoShow,
            minutes_present: 0,
            no_show_reason: Some(reason),
            effort_noted: effort,
            ..present(day, "ochtend", 0)
        }
    }

    /// A visit from `from` to `to` (hours) split over the 08-13 / 13-18 windows, as the fold does.
    fn visit(day: u32, from: f32, to: f32) -> Vec<AttendanceRow> {
        let minutes = |a: f32, b: f32| ((b.min(to) - a.max(from)).max(0.0) * 60.0) as u16;
        [("ochtend", 8.0, 13.0), ("middag", 13.0, 18.0)]
            .into_iter()
            .filter(|(_, a, b)| minutes(*a, *b) > 0)
            .map(|(name, a, b)| present(day, name, minutes(a, b)))
            .collect()
    }

    fn run(
        allocation: &Allocation,
        contract: &Contract,
        rows: &[AttendanceRow],
        prior: Prior,
    ) -> Line {
        bill(&Input {
            month: Month::new(2026, 11).unwrap(),
            allocation,
            rows,
            transport_days: &[],
            rides: &BTreeMap::new(),
            contracts: std::slice::from_ref(contract),
            prior,
        })
    }

    fn dagdelen(rows: &[AttendanceRow], rules: ContractRules) -> i64 {
        let a = allocation(Unit::Dagdeel, 100, Frequency::PerMaand);
        run(
            &a,
            &contract(rules, Unit::Dagdeel, 5000),
            rows,
            Prior::default(),
        )
        .volume
    }

    #[test]
    fn seed_cases_by_presence_time() {
        let minimum_3h = ContractRules::default();
        for (what, rows, expected) in [
            (
                "11:00-14:00 is one dagdeel, not two",
                visit(2, 11.0, 14.0),
                1,
            ),
            ("4 hours is one dagdeel", visit(2, 9.0, 13.0), 1),
            ("8 hours, a full day, is two", visit(2, 9.0, 17.0), 2),
            (
                "2.5 hours is below the 3 hour minimum",
                visit(2, 9.0, 11.5),
                0,
            ),
            ("exactly the minimum counts", visit(2, 9.0, 12.0), 1),
        ] {
            assert_eq!(dagdelen(&rows, minimum_3h.clone()), expected, "{what}");
        }
    }

    #[test]
    fn window_reached_counting_counts_every_window_touched_long_enough() {
        let rules = ContractRules {
            counting: Counting::WindowReached,
            ..ContractRules::default()
        };
        assert_eq!(dagdelen(&visit(2, 11.0, 14.0), rules.clone()), 2);
        assert_eq!(
            dagdelen(&visit(2, 11.0, 13.5), rules),
            1,
            "30 min in the afternoon is too short"
        );
    }

    #[test]
    fn a_higher_minimum_and_included_transport() {
        let rules = ContractRules {
            dagdeel_minimum_minutes: 210,
            ..ContractRules::default()
        };
        let rows = visit(2, 9.0, 12.0);
        assert_eq!(dagdelen(&rows, rules.clone()), 0, "3 h is below 3.5 h");
        let with_transport = ContractRules {
            transport_included: true,
            ..rules
        };
        let a = allocation(Unit::Dagdeel, 100, Frequency::PerMaand);
        let c = contract(with_transport, Unit::Dagdeel, 5000);
        let line = bill(&Input {
            month: Month::new(2026, 11).unwrap(),
            allocation: &a,
            rows: &rows,
            transport_days: &[d(2)],
            rides: &BTreeMap::new(),
            contracts: std::slice::from_ref(&c),
            prior: Prior::default(),
        });
        assert_eq!(line.volume, 1, "3 h + 30 min transport reaches 3.5 h");
        assert_eq!(line.days[0].minutes_present, 210);
    }

    #[test]
    fn no_show_policies() {
        use NoShowReason::*;
        let rows = vec![
            no_show(2, Ziek, true),
            no_show(3, Onaangekondigd, false),
            no_show(4, Onaangekondigd, true),
            no_show(5, NietThuis, true),
            no_show(6, Afgemeld, true),
        ];
        let policy = |no_show, max| ContractRules {
            no_show,
            no_show_max_per_month: max,
            ..ContractRules::default()
        };
        assert_eq!(dagdelen(&rows, policy(NoShowPolicy::Never, 0)), 0);
        assert_eq!(
            dagdelen(&rows, policy(NoShowPolicy::UnannouncedWithEffort, 0)),
            2
        );
        assert_eq!(dagdelen(&rows, policy(NoShowPolicy::Capped, 1)), 1);
        assert_eq!(dagdelen(&rows, policy(NoShowPolicy::Capped, 5)), 3);

        let a = allocation(Unit::Dagdeel, 100, Frequency::PerMaand);
        let line = run(
            &a,
            &contract(
                policy(NoShowPolicy::UnannouncedWithEffort, 0),
                Unit::Dagdeel,
                100,
            ),
            &rows,
            Prior::default(),
        );
        let rules: Vec<DayRule> = line.days.iter().map(|d| d.rule).collect();
        assert_eq!(
            rules,
            [
                DayRule::NoShowNotBillable,
                DayRule::NoShowWithoutEffort,
                DayRule::NoShowBillable,
                DayRule::NoShowBillable,
                DayRule::NoShowNotBillable
            ]
        );
    }

    #[test]
    fn weekly_allocation_is_capped_at_weeks_touching_the_month() {
        // 2 per week; November 2026 touches 6 calendar weeks: at most 12.
        let a = allocation(Unit::Dagdeel, 2, Frequency::PerWeek);
        let rows: Vec<AttendanceRow> = (2..=30).flat_map(|day| visit(day, 9.0, 13.0)).collect();
        let line = run(
            &a,
            &contract(ContractRules::default(), Unit::Dagdeel, 5000),
            &rows,
            Prior::default(),
        );
        assert_eq!(line.volume, 12);
        assert_eq!(line.amount_cents, 60_000);
        let held: i64 = line.held_back.iter().map(|h| h.quantity).sum();
        assert_eq!(held, 29 - 12, "nothing silently dropped");
        assert!(
            line.held_back
                .iter()
                .all(|h| h.reason == HoldReason::CapPeriod)
        );
        assert_eq!(
            line.held_back[0].date,
            d(14),
            "the earliest days are declared first"
        );
    }

    #[test]
    fn total_and_budget_caps_count_what_was_declared_before() {
        let rows: Vec<AttendanceRow> = (2..=6).flat_map(|day| visit(day, 9.0, 13.0)).collect();
        let total = allocation(Unit::Dagdeel, 20, Frequency::Totaal);
        let c = contract(ContractRules::default(), Unit::Dagdeel, 5000);
        let line = run(
            &total,
            &c,
            &rows,
            Prior {
                volume: 18,
                amount_cents: 90_000,
            },
        );
        assert_eq!(line.volume, 2);
        assert_eq!(line.held_back.iter().map(|h| h.quantity).sum::<i64>(), 3);
        assert!(
            line.held_back
                .iter()
                .all(|h| h.reason == HoldReason::CapTotal)
        );

        let budget = Allocation {
            budget_cents: Some(100_000),
            ..allocation(Unit::Dagdeel, 100, Frequency::PerMaand)
        };
        let line = run(
            &budget,
            &c,
            &rows,
            Prior {
                volume: 17,
                amount_cents: 85_000,
            },
        );
        assert_eq!(line.volume, 3, "15,000 cents left buys 3 dagdelen of 5,000");
        assert!(
            line.held_back
                .iter()
                .all(|h| h.reason == HoldReason::CapBudget)
        );
    }

    #[test]
    fn validity_and_missing_tariffs_hold_back() {
        let rows: Vec<AttendanceRow> = (2..=6).flat_map(|day| visit(day, 9.0, 13.0)).collect();
        let ended = Allocation {
            valid_to: Some(d(4)),
            ..allocation(Unit::Dagdeel, 100, Frequency::PerMaand)
        };
        let c = contract(ContractRules::default(), Unit::Dagdeel, 5000);
        let line = run(&ended, &c, &rows, Prior::default());
        assert_eq!(line.volume, 3);
        assert_eq!((line.period_start, line.period_end), (d(1), d(4)));
        assert_eq!(line.held_back.len(), 2);
        assert!(
            line.held_back
                .iter()
                .all(|h| h.reason == HoldReason::OutsideValidity)
        );

        let hours_tariff = contract(ContractRules::default(), Unit::Uur, 1500);
        let line = run(
            &allocation(Unit::Dagdeel, 100, Frequency::PerMaand),
            &hours_tariff,
            &rows,
            Prior::default(),
        );
        assert_eq!(line.volume, 0);
        assert!(
            line.held_back
                .iter()
                .all(|h| h.reason == HoldReason::NoTariff)
        );
    }

    #[test]
    fn hours_are_rounded_per_day_then_per_month() {
        let a = allocation(Unit::Uur, 100, Frequency::PerMaand);
        let rules = ContractRules {
            rounding_step_minutes: 15,
            rounding: RoundingMode::Down,
            ..ContractRules::default()
        };
        // 3h10 -> 3h00, 2h50 -> 2h45: 5h45 in the month -> 5 hours.
        let rows: Vec<AttendanceRow> = [
            visit(2, 9.0, 12.0 + 10.0 / 60.0),
            visit(3, 9.0, 11.0 + 50.0 / 60.0),
        ]
        .concat();
        let line = run(
            &a,
            &contract(rules, Unit::Uur, 1250),
            &rows,
            Prior::default(),
        );
        assert_eq!(
            line.days.iter().map(|d| d.quantity).collect::<Vec<_>>(),
            [180, 165]
        );
        assert_eq!(line.volume, 5);
        assert_eq!(line.amount_cents, 6250);
    }

    #[test]
    fn transport_per_ride_and_per_day() {
        let mut a = allocation(Unit::StuksOutput, 100, Frequency::PerMaand);
        a.category = ProductCategory::Vervoer;
        let rows: Vec<AttendanceRow> = [
            visit(2, 9.0, 17.0),
            visit(3, 9.0, 12.0),
            vec![no_show(4, NoShowReason::NietThuis, true)],
        ]
        .concat();
        let per_ride = contract(ContractRules::default(), Unit::StuksOutput, 1800);
        assert_eq!(
            run(&a, &per_ride, &rows, Prior::default()).volume,
            4,
            "whole day clients ride once each way"
        );
        let per_day = contract(
            ContractRules {
                transport_billing: TransportBilling::PerDay,
                ..ContractRules::default()
            },
            Unit::StuksOutput,
            3000,
        );
        assert_eq!(run(&a, &per_day, &rows, Prior::default()).volume, 2);
    }

    #[test]
    fn realised_rides_decide_where_route_runs_ran() {
        let mut a = allocation(Unit::StuksOutput, 100, Frequency::PerMaand);
        a.category = ProductCategory::Vervoer;
        // Present on the 2nd and 3rd; on the 3rd only the inbound ride was dropped off (the
        // client went home otherwise); the 4th had no route run.
        let rows: Vec<AttendanceRow> = [
            visit(2, 9.0, 17.0),
            visit(3, 9.0, 17.0),
            visit(4, 9.0, 17.0),
        ]
        .concat();
        let rides = BTreeMap::from([
            (
                d(2),
                Rides {
                    planned: 2,
                    delivered: 2,
                },
            ),
            (
                d(3),
                Rides {
                    planned: 2,
                    delivered: 1,
                },
            ),
        ]);
        let bill_with = |rules: ContractRules| {
            bill(&Input {
                month: Month::new(2026, 11).unwrap(),
                allocation: &a,
                rows: &rows,
                transport_days: &[],
                rides: &rides,
                contracts: std::slice::from_ref(&contract(rules, Unit::StuksOutput, 1800)),
                prior: Prior::default(),
            })
        };
        let per_ride = bill_with(ContractRules::default());
        assert_eq!(
            per_ride.volume,
            2 + 1 + 2,
            "driven rides, then the presence estimate"
        );
        let rules: Vec<DayRule> = per_ride.days.iter().map(|d| d.rule).collect();
        assert_eq!(
            rules,
            [
                DayRule::RidesDriven,
                DayRule::RidesDriven,
                DayRule::Transport
            ]
        );
        let per_day = bill_with(ContractRules {
            transport_billing: TransportBilling::PerDay,
            ..ContractRules::default()
        });
        assert_eq!(per_day.volume, 3);
    }

    #[test]
    fn conflicts_and_unrecorded_days_are_warned_about() {
        let mut rows = visit(2, 9.0, 13.0);
        rows[0].conflict = true;
        rows.push(AttendanceRow {
            status: RowStatus::Expected,
            ..present(3, "ochtend", 0)
        });
        let a = allocation(Unit::Dagdeel, 100, Frequency::PerMaand);
        let line = run(
            &a,
            &contract(ContractRules::default(), Unit::Dagdeel, 100),
            &rows,
            Prior::default(),
        );
        let kinds: Vec<WarningKind> = line.warnings.iter().map(|w| w.kind).collect();
        assert_eq!(kinds, [WarningKind::Conflict, WarningKind::NotRecorded]);
        assert_eq!(line.volume, 1);
    }

    #[test]
    fn a_tariff_change_within_the_month_sums_per_tariff() {
        let a = allocation(Unit::Dagdeel, 100, Frequency::PerMaand);
        let mut old = contract(ContractRules::default(), Unit::Dagdeel, 5000);
        old.valid_to = Some(d(15));
        let mut new = contract(ContractRules::default(), Unit::Dagdeel, 5500);
        new.id = 2;
        new.valid_from = d(16);
        let rows: Vec<AttendanceRow> = [visit(10, 9.0, 13.0), visit(20, 9.0, 13.0)].concat();
        let line = bill(&Input {
            month: Month::new(2026, 11).unwrap(),
            allocation: &a,
            rows: &rows,
            transport_days: &[],
            rides: &BTreeMap::new(),
            contracts: &[old, new],
            prior: Prior::default(),
        });
        assert_eq!(
            (line.volume, line.amount_cents, line.tariff_cents),
            (2, 10_500, None)
        );
        assert_eq!(line.warnings[0].kind, WarningKind::TariffChanged);
    }

    #[test]
    fn a_month_with_the_dst_change_counts_wall_clock_days_and_weeks() {
        // October 2026: clocks go back on Sunday the 25th. Days are local dates and presence is
        // wall-clock minutes, so the long night changes nothing; the month touches 5 ISO weeks.
        let month = Month::new(2026, 10).unwrap();
        let oct = |day| NaiveDate::from_ymd_opt(2026, 10, day).unwrap();
        let a = allocation(Unit::Dagdeel, 1, Frequency::PerWeek);
        let rows: Vec<AttendanceRow> = (1..=31)
            .map(|day| AttendanceRow {
                date: oct(day),
                ..present(1, "ochtend", 240)
            })
            .collect();
        let c = contract(ContractRules::default(), Unit::Dagdeel, 100);
        let line = bill(&Input {
            month,
            allocation: &a,
            rows: &rows,
            transport_days: &[],
            rides: &BTreeMap::new(),
            contracts: std::slice::from_ref(&c),
            prior: Prior::default(),
        });
        assert_eq!(line.days.len(), 31);
        assert_eq!(
            line.volume, 5,
            "1 per week x 5 calendar weeks touching October"
        );
        assert_eq!(
            line.days
                .iter()
                .find(|d| d.date == oct(25))
                .unwrap()
                .minutes_present,
            240
        );
        assert_eq!(line.period_end, oct(31));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn frequency() -> impl Strategy<Value = Frequency> {
            prop::sample::select(Frequency::ALL.to_vec())
        }

        fn rows() -> impl Strategy<Value = Vec<AttendanceRow>> {
            prop::collection::vec((1u32..=30, 0u16..=300, 0usize..4), 0..60).prop_map(|raw| {
                raw.into_iter()
                    .map(|(day, minutes, kind)| {
                        let mut row = present(
                            day,
                            if kind % 2 == 0 { "ochtend" } else { "middag" },
                            minutes,
                        );
                        if kind == 3 {
                            row.status = RowStatus::NoShow;
                            row.minutes_present = 0;
                            row.no_show_reason = Some(NoShowReason::Onaangekondigd);
                            row.effort_noted = true;
                        }
                        row
                    })
                    .collect()
            })
        }

        proptest! {
            /// Declared volume never exceeds the allocation's caps, and every unit attendance
            /// gives is either declared or held back with a reason.
            #[test]
            fn declared_volume_never_exceeds_caps(
                rows in rows(),
                frequency in frequency(),
                volume in 1i64..12,
                budget in prop::option::of(0i64..200_000),
                prior_volume in 0i64..15,
                tariff in 0i64..9_000,
                capped_no_shows in 0u16..3,
            ) {
                let a = Allocation {
                    budget_cents: budget,
                    ..allocation(Unit::Dagdeel, volume, frequency)
                };
                let rules = ContractRules {
                    no_show: NoShowPolicy::Capped,
                    no_show_max_per_month: capped_no_shows.max(1),
                    ..ContractRules::default()
                };
                let prior = Prior { volume: prior_volume, amount_cents: prior_volume * tariff };
                let line = run(&a, &contract(rules, Unit::Dagdeel, tariff), &rows, prior);

                let cap = match frequency {
                    Frequency::PerWeek => i64::from(calendar_weeks_touching(line.period_start, line.period_end)) * volume,
                    Frequency::PerMaand => volume,
                    Frequency::PerDag => volume * 30,
                    Frequency::Totaal => (volume - prior_volume).max(0),
                };
                prop_assert!(line.volume <= cap, "volume {} over cap {}", line.volume, cap);
                if frequency == Frequency::PerDag {
                    prop_assert!(line.days.iter().all(|d| d.declared <= volume));
                }
                if let Some(budget) = budget {
                    prop_assert!(line.amount_cents <= (budget - prior.amount_cents).max(0));
                }
                prop_assert_eq!(line.amount_cents, line.volume * tariff);
                let produced: i64 = line.days.iter().map(|d| d.quantity).sum();
                let held: i64 = line.held_back.iter().map(|h| h.quantity).sum();
                prop_assert_eq!(produced, line.volume + held, "nothing silently dropped");
                prop_assert!(line.held_back.iter().all(|h| h.quantity > 0));
            }
        }
    }
}
