//! The state of a day: a deterministic function of the *set* of events.
use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::Serialize;

use super::event::{Event, EventKind, NoShowReason};
use crate::{Dagdeel, TimeWindow};

/// A stay at the location: from arrival to departure (open while the client is still there).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Visit {
    pub from: u16,
    pub to: Option<u16>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DagdeelStatus {
    /// Expected and nothing recorded yet.
    Expected,
    Present,
    NoShow,
    /// Present without being expected (a walk-in or an extra dagdeel).
    Unexpected,
}

/// One client in one dagdeel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClientDagdeel {
    pub client_id: i64,
    pub dagdeel: Dagdeel,
    pub status: DagdeelStatus,
    pub expected: bool,
    /// Presence within this dagdeel's window.
    pub present_from: Option<u16>,
    pub present_to: Option<u16>,
    /// Minutes of presence inside the window; an open visit counts up to the window's end.
    pub minutes_present: u16,
    pub no_show_reason: Option<NoShowReason>,
    pub no_show_note: Option<String>,
    /// Who recorded the deciding event (check-in or no-show).
    pub recorded_by: Option<i64>,
    /// Recorded as present and as no-show: presence wins, but a coordinator should look.
    pub conflict: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayState {
    /// Per client, their visits in time order.
    pub visits: BTreeMap<i64, Vec<Visit>>,
    /// Per client and dagdeel offered that day, for everyone expected or present.
    pub dagdelen: Vec<ClientDagdeel>,
}

/// Folds events into the state of the day.
///
/// `events` are the accepted ones (the caller leaves out what the server rejected); `expected` lists
/// (client, dagdeel) pairs from the schedule; `windows` the location's dagdelen. Events an undo
/// takes back do not count. The result depends only on the set of events: they are sorted first.
pub fn fold(
    events: &[Event],
    expected: &BTreeSet<(i64, Dagdeel)>,
    windows: &[(Dagdeel, TimeWindow)],
) -> DayState {
    fold_refs(events.iter().collect(), expected, windows)
}

/// [`fold`] over borrowed events (the server's index folds without copying the day).
pub fn fold_refs(
    accepted: Vec<&Event>,
    expected: &BTreeSet<(i64, Dagdeel)>,
    windows: &[(Dagdeel, TimeWindow)],
) -> DayState {
    let undone: HashSet<&str> = accepted
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Undo { target } => Some(target.as_str()),
            _ => None,
        })
        .collect();
    let mut live: Vec<&Event> = accepted
        .into_iter()
        .filter(|e| !undone.contains(e.id.as_str()) && !matches!(e.kind, EventKind::Undo { .. }))
        .collect();
    // A total order that does not depend on how the list merged: time, then kind, then id.
    live.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)).then_with(|| a.cmp(b)));

    let visits = visits_per_client(&live);
    let mut clients: BTreeSet<i64> = expected.iter().map(|(c, _)| *c).collect();
    clients.extend(visits.keys().copied());
    let mut dagdelen = Vec::new();
    for client_id in clients {
        let client_visits = visits.get(&client_id).map(Vec::as_slice).unwrap_or(&[]);
        for (dagdeel, window) in windows {
            let is_expected = expected.contains(&(client_id, *dagdeel));
            let entry = client_dagdeel(
                client_id,
                *dagdeel,
                *window,
                is_expected,
                client_visits,
                &live,
            );
            if is_expected || entry.status != DagdeelStatus::Expected {
                dagdelen.push(entry);
            }
        }
    }
    DayState { visits, dagdelen }
}

fn sort_key(e: &Event) -> (u16, u8, &str) {
    let (minute, rank) = match &e.kind {
        EventKind::CheckIn { minute, .. } => (*minute, 0),
        EventKind::CheckOut { minute, .. } => (*minute, 1),
        EventKind::NoShow { .. } => (0, 2),
        EventKind::Undo { .. } => (0, 3),
    };
    (minute, rank, e.id.as_str())
}

/// Pairs check-ins and check-outs in time order. A second check-in while present (two coaches
/// tapping the same client) does not start a new visit; a check-out without check-in is ignored.
fn visits_per_client(sorted: &[&Event]) -> BTreeMap<i64, Vec<Visit>> {
    let mut visits: BTreeMap<i64, Vec<Visit>> = BTreeMap::new();
    for event in sorted {
        match event.kind {
            EventKind::CheckIn { client_id, minute } => {
                let list = visits.entry(client_id).or_default();
                if list.last().is_none_or(|v| v.to.is_some()) {
                    list.push(Visit {
                        from: minute,
                        to: None,
                    });
                }
            }
            EventKind::CheckOut { client_id, minute } => {
                if let Some(open) = visits
                    .get_mut(&client_id)
                    .and_then(|l| l.last_mut())
                    .filter(|v| v.to.is_none())
                {
                    open.to = Some(minute);
                }
            }
            _ => {}
        }
    }
    visits
}

fn client_dagdeel(
    client_id: i64,
    dagdeel: Dagdeel,
    window: TimeWindow,
    expected: bool,
    visits: &[Visit],
    sorted: &[&Event],
) -> ClientDagdeel {
    let (start, end) = (window.start_minute(), window.end_minute());
    let mut present_from: Option<u16> = None;
    let mut present_to: Option<u16> = None;
    let mut still_there = false;
    let mut minutes: u16 = 0;
    // Visits end at or after they start (check-outs fold in time order), so this is overlap.
    let overlapping = visits
        .iter()
        .filter(|v| v.from < end && (v.from >= start || v.to.is_none_or(|to| to > start)));
    for visit in overlapping {
        let from = visit.from.max(start);
        let to = visit.to.unwrap_or(end).min(end);
        minutes += to.saturating_sub(from);
        present_from = Some(present_from.map_or(from, |f| f.min(from)));
        present_to = Some(present_to.map_or(to, |t| t.max(to)));
        still_there |= visit.to.is_none();
    }
    if still_there {
        present_to = None;
    }
    // A no-show is an expected client not coming: elsewhere it says nothing (and bills nothing).
    let no_show = sorted
        .iter()
        .rev()
        .find_map(|e| match &e.kind {
            EventKind::NoShow {
                client_id: c,
                dagdeel: d,
                reason,
                note,
            } if *c == client_id && *d == dagdeel => Some((*reason, note.clone(), e.author)),
            _ => None,
        })
        .filter(|_| expected);
    let check_in_by = sorted.iter().find_map(|e| match e.kind {
        EventKind::CheckIn {
            client_id: c,
            minute,
        } if c == client_id && minute < end => Some(e.author),
        _ => None,
    });
    let present = present_from.is_some();
    let status = match (present, &no_show, expected) {
        (true, _, true) => DagdeelStatus::Present,
        (true, _, false) => DagdeelStatus::Unexpected,
        (false, Some(_), _) => DagdeelStatus::NoShow,
        (false, None, _) => DagdeelStatus::Expected,
    };
    let recorded_by = match status {
        DagdeelStatus::Present | DagdeelStatus::Unexpected => check_in_by,
        DagdeelStatus::NoShow => no_show.as_ref().map(|n| n.2),
        DagdeelStatus::Expected => None,
    };
    ClientDagdeel {
        client_id,
        dagdeel,
        status,
        expected,
        present_from,
        present_to,
        minutes_present: minutes,
        no_show_reason: (status == DagdeelStatus::NoShow)
            .then(|| no_show.as_ref().map(|n| n.0))
            .flatten(),
        no_show_note: (status == DagdeelStatus::NoShow)
            .then(|| no_show.as_ref().map(|n| n.1.clone()))
            .flatten(),
        recorded_by,
        conflict: present && no_show.is_some(),
    }
}
