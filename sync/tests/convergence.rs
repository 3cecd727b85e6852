//! Phones append events offline; merged in any order, every replica reaches the same document and state.
mod common;

use common::{clients, header};
use dagstaat_sync::Dagdeel;
use dagstaat_sync::dagstaat::{DagstaatDoc, Event, EventKind, ExpectedClient, NoShowReason};
use proptest::prelude::*;

fn arb_kind() -> impl Strategy<Value = EventKind> {
    let client = 1i64..=6;
    let minute = (8u16 * 60)..(18 * 60);
    prop_oneof![
        (client.clone(), minute.clone()).prop_map(|(c, m)| EventKind::CheckIn {
            client_id: c,
            minute: m
        }),
        (client.clone(), minute).prop_map(|(c, m)| EventKind::CheckOut {
            client_id: c,
            minute: m
        }),
        (client, prop::sample::select(NoShowReason::ALL.to_vec())).prop_map(|(c, r)| {
            EventKind::NoShow {
                client_id: c,
                dagdeel: Dagdeel::Ochtend,
                reason: r,
                note: "belde om 8 uur".into(),
            }
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// N phones, each with an offline burst of edits (some undo their own earlier event),
    /// then merge in a random pairwise order: same heads, same events, same state everywhere.
    #[test]
    fn replicas_converge_whatever_the_merge_order(
        bursts in prop::collection::vec(prop::collection::vec((arb_kind(), any::<bool>()), 0..12), 2..5),
        order in prop::collection::vec((0usize..5, 0usize..5), 0..30),
    ) {
        let mut base = DagstaatDoc::create(&header(), &clients()).unwrap();
        let mut replicas: Vec<DagstaatDoc> = (0..bursts.len()).map(|_| base.fork()).collect();
        let mut all_ids = std::collections::BTreeSet::new();
        for (phone, burst) in bursts.iter().enumerate() {
            let mut last: Option<String> = None;
            for (n, (kind, undo_previous)) in burst.iter().enumerate() {
                let id = format!("p{phone}-{n}");
                let kind = match (&last, undo_previous) {
                    (Some(target), true) => EventKind::Undo { target: target.clone() },
                    _ => kind.clone(),
                };
                let event = Event { id: id.clone(), kind, author: phone as i64 + 1, recorded_at: "2026-11-24T10:00:00+01:00".into() };
                replicas[phone].append(&event).unwrap();
                all_ids.insert(id.clone());
                last = Some(id);
            }
        }
        // Partial merges in a random order, then everyone merges everyone so all have all changes.
        let n = replicas.len();
        for (a, b) in order {
            let (a, b) = (a % n, b % n);
            if a != b {
                let mut other = replicas[b].fork();
                replicas[a].automerge().merge(other.automerge()).unwrap();
            }
        }
        for a in 0..n {
            for b in 0..n {
                if a != b {
                    let mut other = replicas[b].fork();
                    replicas[a].automerge().merge(other.automerge()).unwrap();
                }
            }
        }
        let mut heads: Vec<_> = replicas.iter_mut().map(|r| { let mut h = r.automerge().get_heads(); h.sort(); h }).collect();
        heads.dedup();
        prop_assert_eq!(heads.len(), 1, "all replicas have the same heads");
        let states: Vec<_> = replicas.iter().map(|r| r.state().unwrap()).collect();
        for state in &states[1..] {
            prop_assert_eq!(state, &states[0]);
        }
        let ids: std::collections::BTreeSet<String> = replicas[0].events().unwrap().into_iter().map(|e| e.id).collect();
        prop_assert_eq!(ids, all_ids, "no event was lost");
    }
}

#[test]
fn a_document_survives_save_and_load() {
    let mut doc = DagstaatDoc::create(&header(), &clients()).unwrap();
    doc.append(&Event {
        id: "e1".into(),
        kind: EventKind::CheckIn {
            client_id: 2,
            minute: 9 * 60,
        },
        author: 1,
        recorded_at: "2026-11-24T09:00:00+01:00".into(),
    })
    .unwrap();
    let bytes = doc.save();
    let loaded = DagstaatDoc::load(&bytes).unwrap();
    assert_eq!(loaded.header().unwrap(), header());
    let mut expected = clients();
    let mut got = loaded.clients().unwrap();
    expected.sort_by_key(|c| c.client_id);
    got.sort_by_key(|c| c.client_id);
    assert_eq!(got, expected);
    assert_eq!(loaded.events().unwrap(), doc.events().unwrap());
    assert_eq!(loaded.state().unwrap(), doc.state().unwrap());
}

#[test]
fn a_schedule_change_keeps_clients_with_events() {
    let mut doc = DagstaatDoc::create(&header(), &clients()).unwrap();
    doc.append(&Event {
        id: "e1".into(),
        kind: EventKind::CheckIn {
            client_id: 5,
            minute: 9 * 60,
        },
        author: 1,
        recorded_at: "t".into(),
    })
    .unwrap();
    let fewer: Vec<ExpectedClient> = clients().into_iter().filter(|c| c.client_id <= 2).collect();
    doc.set_clients(&fewer).unwrap();
    let ids: Vec<i64> = {
        let mut ids: Vec<i64> = doc.clients().unwrap().iter().map(|c| c.client_id).collect();
        ids.sort();
        ids
    };
    assert_eq!(
        ids,
        vec![1, 2, 5],
        "client 5 has an event and stays on the list"
    );
}
