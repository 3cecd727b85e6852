//! Which lines a declaration sends (pure): new debits, and for changed months a credit of the
//! accepted original plus a new debit (iWmo corrections).
use std::collections::BTreeMap;

use chrono::NaiveDate;
use poem_openapi::Enum;

use super::engine::Line;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum LineStatus {
    /// Sent, no answer (WMO325) yet.
    Pending,
    Accepted,
    Rejected,
}

impl LineStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LineStatus::Pending => "pending",
            LineStatus::Accepted => "accepted",
            LineStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<LineStatus> {
        [
            LineStatus::Pending,
            LineStatus::Accepted,
            LineStatus::Rejected,
        ]
        .into_iter()
        .find(|l| l.as_str() == s)
    }
}

/// A line sent earlier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentLine {
    pub id: i64,
    pub allocation_id: i32,
    pub reference: String,
    pub debit: bool,
    /// For a credit: the line it takes back.
    pub corrects: Option<i64>,
    pub period_start: NaiveDate,
    pub volume: i64,
    pub amount_cents: i64,
    pub status: LineStatus,
}

/// A line to send now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outgoing<'a> {
    Debit(&'a Line),
    /// Takes back an accepted earlier line (same volume and amount, `C`).
    Credit(&'a SentLine),
}

/// What happens to one allocation in this declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum Disposition {
    /// First declaration of these units.
    New,
    /// Already declared with the same volume and amount.
    Unchanged,
    /// Attendance changed after an accepted declaration: credit and new debit.
    Correction,
    /// Attendance changed, but the earlier line has no answer yet; corrections wait for it.
    AwaitingAnswer,
    /// Nothing billable.
    Nothing,
}

/// The debit lines currently in force: sent, not rejected, not credited.
pub fn effective_debits(sent: &[SentLine]) -> BTreeMap<i32, &SentLine> {
    let credited: Vec<i64> = sent
        .iter()
        .filter(|l| !l.debit && l.status != LineStatus::Rejected)
        .filter_map(|l| l.corrects)
        .collect();
    sent.iter()
        .filter(|l| l.debit && l.status != LineStatus::Rejected && !credited.contains(&l.id))
        .map(|l| (l.allocation_id, l))
        .collect()
}

/// Net volume and amount declared for an allocation (debits minus credits, rejected lines excluded).
pub fn net_declared<'a>(lines: impl IntoIterator<Item = &'a SentLine>) -> (i64, i64) {
    lines
        .into_iter()
        .filter(|l| l.status != LineStatus::Rejected)
        .fold((0, 0), |(v, a), l| {
            let sign = if l.debit { 1 } else { -1 };
            (v + sign * l.volume, a + sign * l.amount_cents)
        })
}

/// Decides, per computed line, what to send given what this month already declared.
pub fn plan<'a>(
    computed: &'a [Line],
    sent_this_month: &'a [SentLine],
) -> (Vec<Outgoing<'a>>, Vec<(i32, Disposition)>) {
    let effective = effective_debits(sent_this_month);
    let mut outgoing = Vec::new();
    let mut dispositions = Vec::new();
    for line in computed {
        let disposition = match effective.get(&line.allocation_id) {
            None if line.volume > 0 => {
                outgoing.push(Outgoing::Debit(line));
                Disposition::New
            }
            None => Disposition::Nothing,
            Some(original)
                if original.volume == line.volume && original.amount_cents == line.amount_cents =>
            {
                Disposition::Unchanged
            }
            Some(original) if original.status == LineStatus::Accepted => {
                outgoing.push(Outgoing::Credit(original));
                if line.volume > 0 {
                    outgoing.push(Outgoing::Debit(line));
                }
                Disposition::Correction
            }
            Some(_) => Disposition::AwaitingAnswer,
        };
        dispositions.push((line.allocation_id, disposition));
    }
    (outgoing, dispositions)
}

/// Declaration number: at most 12 alphanumerics, unique per provider (TR333).
pub fn declaration_number(id: i64) -> String {
    format!("DS{id:010}")
}

/// Line reference: at most 20 characters, unique per provider (TR314).
pub fn line_reference(declaration_number: &str, index: usize) -> String {
    format!("{declaration_number}L{:05}", index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::engine::Line;

    fn line(allocation_id: i32, volume: i64) -> Line {
        let date = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        Line {
            allocation_id,
            client_id: 1,
            period_start: date,
            period_end: date,
            volume,
            tariff_cents: Some(100),
            amount_cents: volume * 100,
            days: vec![],
            held_back: vec![],
            warnings: vec![],
        }
    }

    fn sent(id: i64, allocation_id: i32, volume: i64, status: LineStatus) -> SentLine {
        SentLine {
            id,
            allocation_id,
            reference: format!("R{id}"),
            debit: true,
            corrects: None,
            period_start: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            volume,
            amount_cents: volume * 100,
            status,
        }
    }

    #[test]
    fn first_close_sends_every_billable_line() {
        let computed = [line(1, 4), line(2, 0)];
        let (out, disp) = plan(&computed, &[]);
        assert_eq!(out, [Outgoing::Debit(&computed[0])]);
        assert_eq!(disp, [(1, Disposition::New), (2, Disposition::Nothing)]);
    }

    #[test]
    fn a_change_after_acceptance_is_a_credit_and_a_new_debit() {
        let earlier = [
            sent(10, 1, 4, LineStatus::Accepted),
            sent(11, 2, 3, LineStatus::Pending),
            sent(12, 3, 2, LineStatus::Accepted),
        ];
        let computed = [line(1, 5), line(2, 4), line(3, 2)];
        let (out, disp) = plan(&computed, &earlier);
        assert_eq!(
            out,
            [Outgoing::Credit(&earlier[0]), Outgoing::Debit(&computed[0])]
        );
        assert_eq!(
            disp,
            [
                (1, Disposition::Correction),
                (2, Disposition::AwaitingAnswer),
                (3, Disposition::Unchanged)
            ]
        );
    }

    #[test]
    fn rejected_lines_do_not_count_and_may_be_sent_again() {
        let earlier = [sent(10, 1, 4, LineStatus::Rejected)];
        let computed = [line(1, 4)];
        let (out, _) = plan(&computed, &earlier);
        assert_eq!(out, [Outgoing::Debit(&computed[0])]);
        assert_eq!(net_declared(&earlier), (0, 0));
    }

    #[test]
    fn a_credited_line_is_no_longer_in_force() {
        let mut credit = sent(11, 1, 4, LineStatus::Pending);
        credit.debit = false;
        credit.corrects = Some(10);
        let earlier = [
            sent(10, 1, 4, LineStatus::Accepted),
            credit,
            sent(12, 1, 5, LineStatus::Pending),
        ];
        let effective = effective_debits(&earlier);
        assert_eq!(effective[&1].id, 12);
        assert_eq!(net_declared(&earlier), (5, 500));
    }

    #[test]
    fn numbers_fit_the_iwmo_lengths() {
        let number = declaration_number(9_999_999_999);
        assert!(number.len() <= 12 && number.chars().all(|c| c.is_ascii_alphanumeric()));
        assert!(line_reference(&number, 99_998).len() <= 20);
    }
}
