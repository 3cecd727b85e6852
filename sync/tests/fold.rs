//! The fold of attendance events: cases from the field, and order independence.
use std::collections::BTreeSet;

use dagstaat_sync::dagstaat::{DagdeelStatus, DayState, Event, EventKind, NoShowReason, fold};
use dagstaat_sync::{Dagdeel, TimeWindow};
use proptest::prelude::*;

fn windows() -> Vec<(Dagdeel, TimeWindow)> {
    vec![
        (
            Dagdeel::Ochtend,
            TimeWindow::parse("09:00", "13:00").unwrap(),
        ),
        (
            Dagdeel::Middag,
            TimeWindow::parse("13:00", "17:00").unwrap(),
        ),
    ]
}

fn hm(s: &str) -> u16 {
    dagstaat_sync::dagdeel::parse_hhmm(s).unwrap()
}

fn event(id: &str, kind: EventKind) -> Event {
    Event {
        id: id.into(),
        kind,
        author: 7,
        recorded_at: "2026-11-24T09:00:00+01:00".into(),
    }
}

fn check_in(id: &str, client_id: i64, time: &str) -> Event {
    event(
        id,
        EventKind::CheckIn {
            client_id,
            minute: hm(time),
        },
    )
}

fn check_out(id: &str, client_id: i64, time: &str) -> Event {
    event(
        id,
        EventKind::CheckOut {
            client_id,
            minute: hm(time),
        },
    )
}

fn no_show(id: &str, client_id: i64, dagdeel: Dagdeel, reason: NoShowReason) -> Event {
    event(
        id,
        EventKind::NoShow {
            client_id,
            dagdeel,
            reason,
            note: String::new(),
        },
    )
}

fn undo(id: &str, target: &str) -> Event {
    event(
        id,
        EventKind::Undo {
            target: target.into(),
        },
    )
}

fn whole_day(client_id: i64) -> BTreeSet<(i64, Dagdeel)> {
    [(client_id, Dagdeel::Ochtend), (client_id, Dagdeel::Middag)].into()
}

fn run(events: &[Event], expected: &BTreeSet<(i64, Dagdeel)>) -> DayState {
    fold(events, expected, &windows())
}

fn part(
    state: &DayState,
    client_id: i64,
    dagdeel: Dagdeel,
) -> &dagstaat_sync::dagstaat::ClientDagdeel {
    state
        .dagdelen
        .iter()
        .find(|c| c.client_id == client_id && c.dagdeel == dagdeel)
        .unwrap_or_else(|| panic!("no entry for {client_id} {dagdeel}"))
}

#[test]
fn a_morning_visit_counts_its_minutes_in_the_morning_only() {
    let state = run(
        &[check_in("a", 1, "09:05"), check_out("b", 1, "12:40")],
        &whole_day(1),
    );
    let morning = part(&state, 1, Dagdeel::Ochtend);
    assert_eq!(morning.status, DagdeelStatus::Present);
    assert_eq!(
        (morning.present_from, morning.present_to),
        (Some(hm("09:05")), Some(hm("12:40")))
    );
    assert_eq!(morning.minutes_present, 215);
    assert_eq!(morning.recorded_by, Some(7));
    assert_eq!(
        part(&state, 1, Dagdeel::Middag).status,
        DagdeelStatus::Expected
    );
}

#[test]
fn eleven_to_two_touches_both_windows_with_its_real_minutes() {
    // Billing decides "one dagdeel" from presence time; the fold reports where the time fell.
    let state = run(
        &[check_in("a", 1, "11:00"), check_out("b", 1, "14:00")],
        &whole_day(1),
    );
    assert_eq!(part(&state, 1, Dagdeel::Ochtend).minutes_present, 120);
    assert_eq!(part(&state, 1, Dagdeel::Middag).minutes_present, 60);
    assert_eq!(state.visits[&1].len(), 1);
}

#[test]
fn a_whole_day_fills_both_dagdelen() {
    let state = run(
        &[check_in("a", 1, "09:00"), check_out("b", 1, "17:00")],
        &whole_day(1),
    );
    assert_eq!(part(&state, 1, Dagdeel::Ochtend).minutes_present, 240);
    assert_eq!(part(&state, 1, Dagdeel::Middag).minutes_present, 240);
}

#[test]
fn two_coaches_checking_in_the_same_client_make_one_visit_from_the_first_tap() {
    let state = run(
        &[check_in("x", 1, "09:10"), check_in("y", 1, "09:00")],
        &whole_day(1),
    );
    assert_eq!(state.visits[&1].len(), 1);
    let morning = part(&state, 1, Dagdeel::Ochtend);
    assert_eq!(morning.present_from, Some(hm("09:00")));
    assert_eq!(morning.present_to, None, "still there");
    assert_eq!(
        morning.minutes_present, 240,
        "an open visit counts to the window's end"
    );
}

#[test]
fn undo_takes_an_event_back() {
    let state = run(&[check_in("a", 1, "09:00"), undo("u", "a")], &whole_day(1));
    assert_eq!(
        part(&state, 1, Dagdeel::Ochtend).status,
        DagdeelStatus::Expected
    );
    assert!(!state.visits.contains_key(&1));
}

#[test]
fn no_show_in_the_morning_and_present_in_the_afternoon() {
    let events = [
        no_show("n", 1, Dagdeel::Ochtend, NoShowReason::Ziek),
        check_in("a", 1, "13:15"),
    ];
    let state = run(&events, &whole_day(1));
    let morning = part(&state, 1, Dagdeel::Ochtend);
    assert_eq!(morning.status, DagdeelStatus::NoShow);
    assert_eq!(morning.no_show_reason, Some(NoShowReason::Ziek));
    assert!(!morning.conflict);
    assert_eq!(
        part(&state, 1, Dagdeel::Middag).status,
        DagdeelStatus::Present
    );
}

#[test]
fn presence_wins_over_a_no_show_but_is_flagged() {
    let events = [
        no_show("n", 1, Dagdeel::Ochtend, NoShowReason::Onaangekondigd),
        check_in("a", 1, "09:30"),
    ];
    let morning = run(&events, &whole_day(1))
        .dagdelen
        .into_iter()
        .find(|d| d.dagdeel == Dagdeel::Ochtend)
        .unwrap();
    assert_eq!(morning.status, DagdeelStatus::Present);
    assert!(morning.conflict);
    assert_eq!(morning.no_show_reason, None);
}

#[test]
fn a_walk_in_is_unexpected_and_a_lone_check_out_is_ignored() {
    let state = run(
        &[check_in("a", 2, "13:30"), check_out("b", 3, "10:00")],
        &BTreeSet::new(),
    );
    assert_eq!(
        part(&state, 2, Dagdeel::Middag).status,
        DagdeelStatus::Unexpected
    );
    assert!(state.dagdelen.iter().all(|d| d.client_id != 3));
}

#[test]
fn checking_out_and_in_again_makes_two_visits() {
    let events = [
        check_in("a", 1, "09:00"),
        check_out("b", 1, "10:00"),
        check_in("c", 1, "11:00"),
        check_out("d", 1, "12:00"),
    ];
    let state = run(&events, &whole_day(1));
    assert_eq!(state.visits[&1].len(), 2);
    assert_eq!(part(&state, 1, Dagdeel::Ochtend).minutes_present, 120);
}

fn arb_event() -> impl Strategy<Value = Event> {
    let client = 1i64..5;
    let minute = (8u16 * 60)..(18 * 60);
    let id = "[a-f]{1,3}";
    prop_oneof![
        (id, client.clone(), minute.clone()).prop_map(|(id, c, m)| event(
            &id,
            EventKind::CheckIn {
                client_id: c,
                minute: m
            }
        )),
        (id, client.clone(), minute).prop_map(|(id, c, m)| event(
            &id,
            EventKind::CheckOut {
                client_id: c,
                minute: m
            }
        )),
        (
            id,
            client,
            prop::sample::select(vec![Dagdeel::Ochtend, Dagdeel::Middag]),
            prop::sample::select(NoShowReason::ALL.to_vec())
        )
            .prop_map(|(id, c, d, r)| no_show(&id, c, d, r)),
        (id, "[a-f]{1,3}").prop_map(|(id, target)| undo(&id, &target)),
    ]
}

proptest! {
    /// Replicas see the same events in different list orders; they must agree on the state.
    #[test]
    fn state_does_not_depend_on_event_order(events in prop::collection::vec(arb_event(), 0..40), seed in any::<u64>()) {
        let expected: BTreeSet<(i64, Dagdeel)> = (1..5).flat_map(whole_day).collect();
        let mut shuffled = events.clone();
        // A deterministic shuffle from the seed.
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(run(&events, &expected), run(&shuffled, &expected));
    }
}

#[test]
fn a_no_show_where_the_client_is_not_expected_says_nothing() {
    // Expected in the ochtend only; a no-show for the middag, another for the ochtend.
    let expected: BTreeSet<(i64, Dagdeel)> = [(1, Dagdeel::Ochtend)].into();
    let state = run(
        &[
            no_show("n1", 1, Dagdeel::Middag, NoShowReason::Onaangekondigd),
            no_show("n2", 1, Dagdeel::Ochtend, NoShowReason::Ziek),
        ],
        &expected,
    );
    assert_eq!(state.dagdelen.len(), 1, "{:?}", state.dagdelen);
    assert_eq!(state.dagdelen[0].dagdeel, Dagdeel::Ochtend);
    assert_eq!(state.dagdelen[0].status, DagdeelStatus::NoShow);
    // Present in the middag without being expected: unexpected, no conflict with a no-show.
    let state = run(
        &[
            no_show("n1", 1, Dagdeel::Middag, NoShowReason::Onaangekondigd),
            check_in("i1", 1, "14:00"),
        ],
        &expected,
    );
    let middag = state
        .dagdelen
        .iter()
        .find(|d| d.dagdeel == Dagdeel::Middag)
        .unwrap();
    assert_eq!(middag.status, DagdeelStatus::Unexpected);
    assert!(!middag.conflict);
    assert_eq!(middag.no_show_reason, None);
}
