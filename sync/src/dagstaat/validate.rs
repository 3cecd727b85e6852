//! Validation of incoming changes: compare the document before and after, by automerge object id.
//!
//! Phones may only append well-formed events. Anything else is a violation that the server
//! neutralizes with a change of its own (see [`neutralize`]): the history keeps both, and every
//! replica converges on the corrected state. Nothing is dropped, so later changes still apply.
use std::collections::{BTreeMap, HashMap, HashSet};

use automerge::{ObjId, ObjType, ROOT, ReadDoc, Value};

use super::doc::{DagstaatDoc, DocError, obj_at, parse_event};
use super::event::{Event, EventKind};

/// Limits that keep one day's document small enough for a phone.
pub const MAX_EVENTS: usize = 5_000;
pub const MAX_ID_LEN: usize = 64;
pub const MAX_NOTE_LEN: usize = 500;
pub const MAX_TEXT_LEN: usize = 64;
/// A phone clock may run a little ahead; more than this in the future is not a real check-in.
pub const FUTURE_SLACK_MINUTES: u16 = 15;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Violation {
    /// A part only the server writes was changed (`dagdelen`, `clients`, `rejected`, the header).
    ServerDataChanged(&'static str),
    EventRemoved {
        object: String,
    },
    EventChanged {
        object: String,
    },
    /// A new event that may not count; `object` is its automerge object id.
    InvalidEvent {
        object: String,
        reason: String,
    },
    TooManyEvents,
}

impl Violation {
    pub fn reason(&self) -> String {
        match self {
            Violation::ServerDataChanged(part) => format!("{part} is maintained by the server"),
            Violation::EventRemoved { .. } => "recorded events cannot be removed; use undo".into(),
            Violation::EventChanged { .. } => "recorded events cannot be changed; use undo".into(),
            Violation::InvalidEvent { reason, .. } => reason.clone(),
            Violation::TooManyEvents => format!("a day holds at most {MAX_EVENTS} events"),
        }
    }
}

/// Who sent the change and when it arrived, as the server knows it.
#[derive(Debug, Clone, Copy)]
pub struct ChangeContext {
    /// The authenticated user; events must name them as author.
    pub author: i64,
    /// Minutes since local midnight when the document's date is today; `None` for other days.
    pub now_minute: Option<u16>,
}

type RawEvent = BTreeMap<String, String>;

/// Every event object by id, with its fields rendered for comparison.
fn raw_events(doc: &DagstaatDoc) -> Vec<(ObjId, RawEvent)> {
    let doc = doc.read();
    let Some(list) = obj_at(doc, &ROOT, "events") else {
        return Vec::new();
    };
    (0..doc.length(&list))
        .filter_map(|i| match doc.get(&list, i).ok()?? {
            (Value::Object(ObjType::Map), id) => Some(id),
            (_, id) => Some(id),
        })
        .map(|id| {
            let fields = doc
                .keys(&id)
                .map(|key| {
                    let rendered = match doc.get(&id, key.as_str()) {
                        Ok(Some((Value::Scalar(s), _))) => format!("{s:?}"),
                        Ok(Some((Value::Object(ObjType::Text), text))) => {
                            format!("text:{}", doc.text(&text).unwrap_or_default())
                        }
                        Ok(Some((Value::Object(t), child))) => format!("object:{t:?}:{child}"),
                        _ => String::new(),
                    };
                    (key, rendered)
                })
                .collect();
            (id, fields)
        })
        .collect()
}

/// Every violation in `after` compared with `before` (the server's accepted state).
pub fn validate_change(
    before: &DagstaatDoc,
    after: &DagstaatDoc,
    ctx: &ChangeContext,
) -> Vec<Violation> {
    let mut violations = Vec::new();
    if before.header().ok() != after.header().ok() {
        violations.push(Violation::ServerDataChanged("the day's header"));
    }
    if sorted_clients(before) != sorted_clients(after) {
        violations.push(Violation::ServerDataChanged("clients"));
    }
    if before.rejected().ok() != after.rejected().ok() {
        violations.push(Violation::ServerDataChanged("rejected"));
    }

    let old: HashMap<ObjId, RawEvent> = raw_events(before).into_iter().collect();
    let new = raw_events(after);
    let new_ids: HashSet<&ObjId> = new.iter().map(|(id, _)| id).collect();
    for id in old.keys().filter(|id| !new_ids.contains(id)) {
        violations.push(Violation::EventRemoved {
            object: id.to_string(),
        });
    }
    if new.len() > MAX_EVENTS {
        violations.push(Violation::TooManyEvents);
    }

    let clients: HashSet<i64> = after
        .clients()
        .map(|c| c.iter().map(|c| c.client_id).collect())
        .unwrap_or_default();
    let offered: Vec<crate::Dagdeel> = after
        .header()
        .map(|h| h.dagdelen.iter().map(|(d, _, _)| *d).collect())
        .unwrap_or_default();
    let mut ids_seen: HashSet<String> = HashSet::new();
    let mut all_ids: HashMap<String, bool> = HashMap::new(); // id -> is an undo
    let parsed: Vec<(ObjId, Option<Event>)> = new
        .iter()
        .map(|(id, _)| (id.clone(), parse_event(after.read(), id).ok()))
        .collect();
    for (_, event) in &parsed {
        if let Some(e) = event {
            all_ids
                .entry(e.id.clone())
                .or_insert(matches!(e.kind, EventKind::Undo { .. }));
        }
    }
    for ((object, raw), (_, event)) in new.iter().zip(&parsed) {
        if let Some(old_raw) = old.get(object) {
            if old_raw != raw {
                violations.push(Violation::EventChanged {
                    object: object.to_string(),
                });
            }
            if let Some(e) = event {
                ids_seen.insert(e.id.clone());
            }
            continue;
        }
        let reason = match event {
            None => parse_event(after.read(), object).err(),
            Some(e) => check_event(e, ctx, &clients, &offered, &all_ids, &ids_seen),
        };
        if let Some(e) = event {
            ids_seen.insert(e.id.clone());
        }
        if let Some(reason) = reason {
            violations.push(Violation::InvalidEvent {
                object: object.to_string(),
                reason,
            });
        }
    }
    violations
}

fn usable_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_LEN
}

fn sorted_clients(doc: &DagstaatDoc) -> Option<Vec<super::doc::ExpectedClient>> {
    let mut clients = doc.clients().ok()?;
    clients.sort_by_key(|c| c.client_id);
    Some(clients)
}

/// Why a well-formed new event may not count, if it may not.
fn check_event(
    event: &Event,
    ctx: &ChangeContext,
    clients: &HashSet<i64>,
    offered: &[crate::Dagdeel],
    all_ids: &HashMap<String, bool>,
    earlier_ids: &HashSet<String>,
) -> Option<String> {
    if !usable_id(&event.id) {
        return Some(format!("the event id must be 1 to {MAX_ID_LEN} characters"));
    }
    if earlier_ids.contains(&event.id) {
        return Some(format!("event id {} is used twice", event.id));
    }
    if event.author != ctx.author {
        return Some(format!(
            "author {} is not the user who sent the change",
            event.author
        ));
    }
    if event.recorded_at.len() > MAX_TEXT_LEN {
        return Some("recorded_at is too long".into());
    }
    if let Some(client_id) = event.kind.client_id()
        && !clients.contains(&client_id)
    {
        return Some(format!("client {client_id} is not on this day's list"));
    }
    match &event.kind {
        EventKind::CheckIn { minute, .. } | EventKind::CheckOut { minute, .. } => {
            match ctx.now_minute {
                Some(now) if *minute > now.saturating_add(FUTURE_SLACK_MINUTES) => Some(format!(
                    "{} is in the future",
                    crate::dagdeel::format_hhmm(*minute)
                )),
                _ => None,
            }
        }
        EventKind::NoShow { dagdeel, note, .. } => {
            if !offered.contains(dagdeel) {
                Some(format!("the location has no {dagdeel} on this day"))
            } else if note.chars().count() > MAX_NOTE_LEN {
                Some(format!("the note is longer than {MAX_NOTE_LEN} characters"))
            } else {
                None
            }
        }
        EventKind::Undo { target } => match all_ids.get(target) {
            None => Some(format!("undo of unknown event {target}")),
            Some(true) => Some("an undo cannot be undone; record the event again".into()),
            Some(false) if target == &event.id => Some("an event cannot undo itself".into()),
            Some(false) => None,
        },
    }
}

/// Writes the server's correction for `violations` into `after`, restoring from `before`.
pub fn neutralize(
    before: &DagstaatDoc,
    after: &mut DagstaatDoc,
    violations: &[Violation],
) -> Result<(), DocError> {
    for violation in violations {
        match violation {
            Violation::ServerDataChanged("clients") => {
                after.set_clients_exactly(&before.clients()?)?
            }
            Violation::ServerDataChanged("rejected") => {
                after.set_rejected_exactly(&before.rejected()?)?
            }
            Violation::ServerDataChanged(_) => after.set_header(&before.header()?)?,
            Violation::EventRemoved { object } => {
                if let Some(event) = event_by_object(before, object) {
                    after.append(&event)?;
                }
            }
            Violation::EventChanged { object } => {
                if let Some(event) = event_by_object(before, object) {
                    after.restore_event(object, &event)?;
                }
            }
            Violation::InvalidEvent { object, reason } => after.reject(object, reason)?,
            Violation::TooManyEvents => {}
        }
    }
    // Rejections recorded before must survive any tampering with the map.
    for (key, reason) in before.rejected()? {
        after.reject(&key, &reason)?;
    }
    Ok(())
}

fn event_by_object(doc: &DagstaatDoc, object: &str) -> Option<Event> {
    raw_events(doc)
        .into_iter()
        .find(|(id, _)| id.to_string() == object)
        .and_then(|(id, _)| parse_event(doc.read(), &id).ok())
}
