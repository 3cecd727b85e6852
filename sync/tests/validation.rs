//! Incoming changes: valid appends pass; everything else is found and neutralized by a server change.
mod common;

use automerge::transaction::Transactable;
use automerge::{ObjType, ROOT, ReadDoc};
use common::{clients, header};
use dagstaat_sync::Dagdeel;
use dagstaat_sync::dagstaat::validate::{ChangeContext, MAX_NOTE_LEN, neutralize};
use dagstaat_sync::dagstaat::{
    DagdeelStatus, DagstaatDoc, Event, EventKind, NoShowReason, Violation, validate_change,
};

const COACH: i64 = 7;
const CTX: ChangeContext = ChangeContext {
    author: COACH,
    now_minute: Some(10 * 60),
};

fn server_doc() -> DagstaatDoc {
    DagstaatDoc::create(&header(), &clients()).unwrap()
}

fn check_in(id: &str, client_id: i64, minute: u16) -> Event {
    Event {
        id: id.into(),
        kind: EventKind::CheckIn { client_id, minute },
        author: COACH,
        recorded_at: "2026-11-24T09:00:00+01:00".into(),
    }
}

/// A phone's copy of the server document with `edit` applied.
fn phone_edit(server: &mut DagstaatDoc, edit: impl FnOnce(&mut DagstaatDoc)) -> DagstaatDoc {
    let mut phone = server.fork();
    edit(&mut phone);
    phone
}

fn events_list(doc: &mut DagstaatDoc) -> automerge::ObjId {
    let (_, id) = doc.read().get(ROOT, "events").unwrap().unwrap();
    id
}

#[test]
fn a_valid_check_in_passes() {
    let mut server = server_doc();
    let mut after = phone_edit(&mut server, |p| {
        p.append(&check_in("e1", 2, 9 * 60)).unwrap()
    });
    assert_eq!(validate_change(&mut server, &mut after, &CTX), vec![]);
}

#[test]
fn invalid_events_are_found_with_a_reason_each() {
    let mut server = server_doc();
    let note = "x".repeat(MAX_NOTE_LEN + 1);
    let cases: Vec<(Event, &str)> = vec![
        (check_in("u1", 99, 9 * 60), "not on this day's list"),
        (
            Event {
                author: 8,
                ..check_in("u2", 2, 9 * 60)
            },
            "not the user",
        ),
        (check_in("u3", 2, 11 * 60), "in the future"),
        (check_in(&"x".repeat(65), 2, 9 * 60), "event id"),
        (
            Event {
                id: "u5".into(),
                kind: EventKind::NoShow {
                    client_id: 2,
                    dagdeel: Dagdeel::Avond,
                    reason: NoShowReason::Ziek,
                    note: String::new(),
                },
                author: COACH,
                recorded_at: "t".into(),
            },
            "no avond",
        ),
        (
            Event {
                id: "u6".into(),
                kind: EventKind::NoShow {
                    client_id: 2,
                    dagdeel: Dagdeel::Ochtend,
                    reason: NoShowReason::Overig,
                    note,
                },
                author: COACH,
                recorded_at: "t".into(),
            },
            "note is longer",
        ),
        (
            // Client 1 is expected in the ochtend only.
            Event {
                id: "u8".into(),
                kind: EventKind::NoShow {
                    client_id: 1,
                    dagdeel: Dagdeel::Middag,
                    reason: NoShowReason::Afgemeld,
                    note: String::new(),
                },
                author: COACH,
                recorded_at: "t".into(),
            },
            "not expected in the middag",
        ),
        (
            Event {
                id: "u7".into(),
                kind: EventKind::Undo {
                    target: "nope".into(),
                },
                author: COACH,
                recorded_at: "t".into(),
            },
            "unknown event",
        ),
    ];
    for (event, expected) in cases {
        let mut after = phone_edit(&mut server, |p| p.append(&event).unwrap());
        let violations = validate_change(&mut server, &mut after, &CTX);
        assert_eq!(violations.len(), 1, "{event:?}: {violations:?}");
        let reason = violations[0].reason();
        assert!(reason.contains(expected), "{event:?}: {reason}");
    }
}

#[test]
fn a_malformed_event_map_is_rejected_not_dropped() {
    let mut server = server_doc();
    let mut after = phone_edit(&mut server, |p| {
        let list = events_list(p);
        let doc = p.automerge();
        let e = doc.insert_object(&list, 0, ObjType::Map).unwrap();
        doc.put(&e, "kind", "teleport").unwrap();
    });
    let violations = validate_change(&mut server, &mut after, &CTX);
    assert!(
        matches!(&violations[..], [Violation::InvalidEvent { .. }]),
        "{violations:?}"
    );
    neutralize(&server, &mut after, &violations).unwrap();
    assert_eq!(after.rejected().unwrap().len(), 1);
    assert_eq!(after.events().unwrap().len(), 0);
}

#[test]
fn a_duplicate_id_rejects_only_the_copy() {
    let mut server = server_doc();
    server.append(&check_in("same", 2, 9 * 60)).unwrap();
    let mut after = phone_edit(&mut server, |p| {
        p.append(&check_in("same", 4, 9 * 60 + 30)).unwrap()
    });
    let violations = validate_change(&mut server, &mut after, &CTX);
    assert_eq!(violations.len(), 1);
    assert!(violations[0].reason().contains("used twice"));
    neutralize(&server, &mut after, &violations).unwrap();
    let state = after.state().unwrap();
    let status = |client| {
        state
            .dagdelen
            .iter()
            .find(|d| d.client_id == client && d.dagdeel == Dagdeel::Ochtend)
            .unwrap()
            .status
    };
    assert_eq!(
        status(2),
        DagdeelStatus::Present,
        "the original still counts"
    );
    assert_eq!(status(4), DagdeelStatus::Expected, "the copy does not");
}

#[test]
fn removing_or_changing_recorded_events_is_undone_by_the_server() {
    let mut server = server_doc();
    server.append(&check_in("e1", 2, 9 * 60)).unwrap();
    server.append(&check_in("e2", 4, 9 * 60)).unwrap();
    let before_state = server.state().unwrap();
    let mut after = phone_edit(&mut server, |p| {
        let list = events_list(p);
        let doc = p.automerge();
        doc.delete(&list, 0).unwrap();
        let (_, second) = doc.get(&list, 0).unwrap().unwrap();
        doc.put(&second, "time", "08:00").unwrap();
    });
    let mut violations = validate_change(&mut server, &mut after, &CTX);
    violations.sort_by_key(|v| format!("{v:?}"));
    assert!(
        matches!(
            &violations[..],
            [
                Violation::EventChanged { .. },
                Violation::EventRemoved { .. }
            ]
        ),
        "{violations:?}"
    );
    neutralize(&server, &mut after, &violations).unwrap();
    assert_eq!(after.state().unwrap(), before_state);
    let sorted = |doc: &DagstaatDoc| {
        let mut events = doc.accepted_events().unwrap();
        events.sort();
        events
    };
    assert_eq!(
        sorted(&after),
        sorted(&server),
        "the removed event is back, the changed one as it was"
    );
}

#[test]
fn replacing_the_whole_event_list_is_undone_without_reviving_rejected_events() {
    let mut server = server_doc();
    server.append(&check_in("kept", 2, 9 * 60)).unwrap();
    let mut bad = server.fork();
    bad.append(&check_in("refused", 99, 9 * 60)).unwrap();
    let violations = validate_change(&mut server, &mut bad, &CTX);
    neutralize(&server, &mut bad, &violations).unwrap();
    let mut server = bad;
    let before_state = server.state().unwrap();
    let mut after = phone_edit(&mut server, |p| {
        p.automerge()
            .put_object(ROOT, "events", ObjType::List)
            .unwrap();
    });
    let violations = validate_change(&mut server, &mut after, &CTX);
    assert_eq!(violations, vec![Violation::ServerDataChanged("events")]);
    neutralize(&server, &mut after, &violations).unwrap();
    let ids: Vec<String> = after
        .accepted_events()
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(
        ids,
        vec!["kept".to_owned()],
        "the refused event stays refused"
    );
    assert_eq!(after.state().unwrap(), before_state);
}

#[test]
fn tampering_with_server_data_is_restored() {
    let mut server = server_doc();
    let mut after = phone_edit(&mut server, |p| {
        let doc = p.automerge();
        doc.put(ROOT, "date", "2026-12-25").unwrap();
        let (_, clients) = doc.get(ROOT, "clients").unwrap().unwrap();
        doc.delete(&clients, "1").unwrap();
        let (_, rejected) = doc.get(ROOT, "rejected").unwrap().unwrap();
        doc.put(&rejected, "1@abcd", "fake").unwrap();
    });
    let violations = validate_change(&mut server, &mut after, &CTX);
    assert_eq!(violations.len(), 3, "{violations:?}");
    assert!(
        violations
            .iter()
            .all(|v| matches!(v, Violation::ServerDataChanged(_)))
    );
    neutralize(&server, &mut after, &violations).unwrap();
    assert_eq!(after.header().unwrap(), server.header().unwrap());
    let sorted = |doc: &DagstaatDoc| {
        let mut clients = doc.clients().unwrap();
        clients.sort_by_key(|c| c.client_id);
        clients
    };
    assert_eq!(sorted(&after), sorted(&server));
    assert_eq!(after.rejected().unwrap(), server.rejected().unwrap());
}

#[test]
fn the_phone_converges_on_the_servers_correction() {
    let mut server = server_doc();
    let mut phone = server.fork();
    phone.append(&check_in("ok", 2, 9 * 60)).unwrap();
    phone.append(&check_in("bad", 99, 9 * 60)).unwrap();
    // The server applies the phone's changes to a fork, validates, and commits its correction.
    let mut incoming = server.fork();
    incoming
        .automerge()
        .merge(&mut phone.fork().automerge().clone())
        .unwrap();
    let violations = validate_change(&mut server, &mut incoming, &CTX);
    assert_eq!(violations.len(), 1);
    neutralize(&server, &mut incoming, &violations).unwrap();
    let mut server = incoming;
    // The phone receives the server's change: same heads, same state, the rejection visible.
    phone
        .automerge()
        .merge(&mut server.fork().automerge().clone())
        .unwrap();
    assert_eq!(
        phone.automerge().get_heads(),
        server.automerge().get_heads()
    );
    assert_eq!(phone.state().unwrap(), server.state().unwrap());
    let rejected = phone.rejected().unwrap();
    assert_eq!(rejected.len(), 1);
    assert!(
        rejected
            .values()
            .next()
            .unwrap()
            .contains("not on this day's list")
    );
    assert_eq!(phone.accepted_events().unwrap().len(), 1);
}
