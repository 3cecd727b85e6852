//! Allocation usage (pure): used versus allocated volume, projected run-out and expiry, so the
//! coordinator requests re-indication in time.
use chrono::{Duration, NaiveDate};
use poem_openapi::Enum;

use crate::allocations::domain::Frequency;
use crate::billing::month::{Month, calendar_weeks_touching};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum Attention {
    /// Ends within the look-ahead: request re-indication.
    Expiring,
    /// At this pace the month uses more than the allocation allows.
    OverAllocation,
    /// A total allocation runs out before its end date.
    RunsOutEarly,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UsageInput {
    pub frequency: Frequency,
    pub volume: i64,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// Units used this month up to and including `today`.
    pub used_this_month: i64,
    /// Units declared before this month (for total allocations).
    pub used_before: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Usage {
    pub allocated_this_month: i64,
    /// What this month ends at, at the pace so far.
    pub projected_this_month: i64,
    /// For total allocations: what is left.
    pub remaining_total: Option<i64>,
    pub projected_run_out: Option<NaiveDate>,
    pub expires_in_days: Option<i64>,
    pub attention: Vec<Attention>,
}

pub fn usage(input: &UsageInput, today: NaiveDate, look_ahead_weeks: i64) -> Usage {
    let month = Month::containing(today);
    let from = input.valid_from.max(month.first());
    let to = input.valid_to.map_or(month.last(), |t| t.min(month.last()));
    let days_in_period = (to - from).num_days().max(0) + 1;
    let allocated_this_month = match input.frequency {
        Frequency::PerDag => input.volume * days_in_period,
        Frequency::PerWeek => i64::from(calendar_weeks_touching(from, to)) * input.volume,
        Frequency::PerMaand => input.volume,
        Frequency::Totaal => (input.volume - input.used_before).max(0),
    };
    let elapsed = (today.min(to) - from).num_days().max(0) + 1;
    let projected_this_month = if elapsed > 0 {
        (input.used_this_month * days_in_period + elapsed - 1) / elapsed
    } else {
        input.used_this_month
    };
    let mut attention = Vec::new();
    let expires_in_days = input.valid_to.map(|t| (t - today).num_days());
    if expires_in_days.is_some_and(|d| (0..=look_ahead_weeks * 7).contains(&d)) {
        attention.push(Attention::Expiring);
    }
    let (remaining_total, projected_run_out) = if input.frequency == Frequency::Totaal {
        let remaining = input.volume - input.used_before - input.used_this_month;
        let per_day = input.used_this_month as f64 / elapsed.max(1) as f64;
        let run_out = (per_day > 0.0 && remaining >= 0)
            .then(|| today + Duration::days((remaining as f64 / per_day).floor() as i64));
        if let (Some(run_out), Some(end)) = (run_out, input.valid_to)
            && run_out < end
        {
            attention.push(Attention::RunsOutEarly);
        }
        (Some(remaining), run_out)
    } else {
        if projected_this_month > allocated_this_month {
            attention.push(Attention::OverAllocation);
        }
        (None, None)
    };
    Usage {
        allocated_this_month,
        projected_this_month,
        remaining_total,
        projected_run_out,
        expires_in_days,
        attention,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn input(frequency: Frequency, volume: i64, used: i64) -> UsageInput {
        UsageInput {
            frequency,
            volume,
            valid_from: d(1, 1),
            valid_to: NaiveDate::from_ymd_opt(2027, 6, 30),
            used_this_month: used,
            used_before: 0,
        }
    }

    #[test]
    fn weekly_allocation_projects_the_month() {
        // November 2026 touches 6 weeks: 2 per week allows 12. 10 used by the 15th -> 20 projected.
        let u = usage(&input(Frequency::PerWeek, 2, 10), d(11, 15), 8);
        assert_eq!(u.allocated_this_month, 12);
        assert_eq!(u.projected_this_month, 20);
        assert_eq!(u.attention, [Attention::OverAllocation]);
    }

    #[test]
    fn expiry_within_the_look_ahead() {
        let mut i = input(Frequency::PerMaand, 8, 2);
        i.valid_to = Some(d(12, 20));
        let u = usage(&i, d(11, 23), 4);
        assert_eq!(u.expires_in_days, Some(27));
        assert_eq!(u.attention, [Attention::Expiring]);
        assert!(
            usage(&i, d(11, 23), 3).attention.is_empty(),
            "27 days is beyond 3 weeks"
        );
    }

    #[test]
    fn total_allocation_runs_out_early() {
        let mut i = input(Frequency::Totaal, 100, 10);
        i.used_before = 80;
        // 10 used in 10 days: 1 a day; 10 left on the 10th -> runs out on the 20th, long before June.
        let u = usage(&i, d(11, 10), 8);
        assert_eq!(u.remaining_total, Some(10));
        assert_eq!(u.projected_run_out, Some(d(11, 20)));
        assert_eq!(u.attention, [Attention::RunsOutEarly]);
    }
}
