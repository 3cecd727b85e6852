//! Validation of incoming changes: compare the document before and after, by automerge object id.
//!
//! Phones may only append well-formed events. Anything else is a violation that the server
//! neutralizes with a change of its own (see [`neutralize`]): the history keeps both, and every
//! replica converges on the corrected state. Nothing is dropped, so later changes still apply.
use std::collections::{BTreeMap, HashMap, HashSet};

use automerge::{ObjId, ObjType, PatchAction, Prop, ROOT, ReadDoc, Value};

use super::doc::{DagstaatDoc, DocError, obj_at, parse_event};
use super::event::{Event, EventKind};
use super::index::{EventIndex, NewEvent, new_event};

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
///
/// Works from automerge's diff between the two documents' heads, so the cost follows the size of
/// the change, not of the day: only new events are read. Only when recorded events were removed or
/// edited (a misbehaving client) is the whole event list compared to find what to restore.
pub fn validate_change(
    before: &mut DagstaatDoc,
    after: &mut DagstaatDoc,
    ctx: &ChangeContext,
) -> Vec<Violation> {
    match EventIndex::build(before) {
        Ok(index) => check_change(before, after, ctx, &index).0,
        Err(_) => vec![Violation::ServerDataChanged("events")],
    }
}

/// [`validate_change`] with the index of `before`'s events kept by the caller; also returns the
/// event objects the change added, to extend that index when the change is accepted.
///
/// For the diff to cost what the change adds, `after` should be a fork of `before` on which
/// `update_diff_cursor` was called before the change was applied.
pub fn check_change(
    before: &mut DagstaatDoc,
    after: &mut DagstaatDoc,
    ctx: &ChangeContext,
    index: &EventIndex,
) -> (Vec<Violation>, Vec<NewEvent>) {
    let before_heads = before.automerge().get_heads();
    let after_heads = after.automerge().get_heads();
    let patches = after.automerge().diff(&before_heads, &after_heads);
    let doc = after.read();
    let Some(events_list) = obj_at(doc, &ROOT, "events") else {
        return (vec![Violation::ServerDataChanged("events")], Vec::new());
    };

    let mut violations: Vec<Violation> = Vec::new();
    // First the new event objects, then every other patch is judged against them.
    let mut new_events: Vec<ObjId> = Vec::new();
    for patch in &patches {
        if patch.obj == events_list
            && let PatchAction::Insert { values, .. } = &patch.action
        {
            new_events.extend(values.iter().map(|(_, id, _)| id.clone()));
        }
    }
    let new_set: HashSet<&ObjId> = new_events.iter().collect();
    let mut events_lost_or_edited = false;
    for patch in &patches {
        match section_of(patch) {
            Some(Section::Events) if patch.obj == events_list => match &patch.action {
                PatchAction::Insert { .. } => {}
                _ => events_lost_or_edited = true,
            },
            Some(Section::Events) => {
                let event = if patch.path.len() <= 2 {
                    &patch.obj
                } else {
                    &patch.path[2].0
                };
                if !new_set.contains(event) {
                    events_lost_or_edited = true;
                }
            }
            Some(Section::EventsReplaced) => {
                push_unique(Violation::ServerDataChanged("events"), &mut violations)
            }
            Some(Section::Clients) => {
                push_unique(Violation::ServerDataChanged("clients"), &mut violations)
            }
            Some(Section::Rejected) => {
                push_unique(Violation::ServerDataChanged("rejected"), &mut violations)
            }
            Some(Section::Header) | None => push_unique(
                Violation::ServerDataChanged("the day's header"),
                &mut violations,
            ),
        }
    }
    if events_lost_or_edited {
        violations.extend(removed_or_edited(before, after));
    }

    let list_len = doc.length(&events_list);
    if list_len > MAX_EVENTS {
        violations.push(Violation::TooManyEvents);
    }
    if new_events.is_empty() {
        return (violations, Vec::new());
    }
    let added: Vec<NewEvent> = new_events.iter().map(|id| new_event(after, id)).collect();
    // Ids of the events before this change (from the caller's index) and of those this change
    // adds (an undo may target an event of the same change): id -> is an undo.
    let mut added_ids: HashMap<&str, bool> = HashMap::new();
    for e in added.iter().filter_map(|n| n.event.as_ref()) {
        added_ids
            .entry(e.id.as_str())
            .or_insert(matches!(e.kind, EventKind::Undo { .. }));
    }
    let mut known = KnownIds {
        index,
        added: &added_ids,
        earlier_in_change: HashSet::new(),
    };
    for (object, new) in new_events.iter().zip(&added) {
        let reason = match &new.event {
            None => parse_event(doc, object).err(),
            Some(e) => check_event(e, ctx, index, &known),
        };
        if let Some(e) = &new.event {
            known.earlier_in_change.insert(e.id.as_str());
        }
        if let Some(reason) = reason {
            violations.push(Violation::InvalidEvent {
                object: new.object.clone(),
                reason,
            });
        }
    }
    (violations, added)
}

fn push_unique(violation: Violation, violations: &mut Vec<Violation>) {
    if !violations.contains(&violation) {
        violations.push(violation);
    }
}

enum Section {
    Header,
    Clients,
    Rejected,
    Events,
    /// The `events` list itself was replaced or deleted.
    EventsReplaced,
}

/// Which part of the document a patch touches, by the root key above it.
fn section_of(patch: &automerge::Patch) -> Option<Section> {
    let key = match patch.path.first() {
        Some((_, Prop::Map(key))) => key.as_str(),
        Some(_) => return None,
        None => {
            return Some(match &patch.action {
                PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key }
                    if key == "events" =>
                {
                    Section::EventsReplaced
                }
                PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key }
                    if key == "clients" =>
                {
                    Section::Clients
                }
                PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key }
                    if key == "rejected" =>
                {
                    Section::Rejected
                }
                _ => Section::Header,
            });
        }
    };
    Some(match key {
        "events" => Section::Events,
        "clients" => Section::Clients,
        "rejected" => Section::Rejected,
        _ => Section::Header,
    })
}

/// The slow, exact comparison for the rare change that removed or edited recorded events.
fn removed_or_edited(before: &DagstaatDoc, after: &DagstaatDoc) -> Vec<Violation> {
    let old: HashMap<ObjId, RawEvent> = raw_events(before).into_iter().collect();
    let new: HashMap<ObjId, RawEvent> = raw_events(after).into_iter().collect();
    let mut violations = Vec::new();
    for (id, raw) in &old {
        match new.get(id) {
            None => violations.push(Violation::EventRemoved {
                object: id.to_string(),
            }),
            Some(now) if now != raw => violations.push(Violation::EventChanged {
                object: id.to_string(),
            }),
            Some(_) => {}
        }
    }
    violations
}

fn usable_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_LEN
}

/// Why a well-formed new event may not count, if it may not.
/// The event ids a new event is judged against.
struct KnownIds<'a> {
    index: &'a EventIndex,
    /// Every event the change adds (id -> is an undo).
    added: &'a HashMap<&'a str, bool>,
    /// The change's events before the one being checked.
    earlier_in_change: HashSet<&'a str>,
}

impl KnownIds<'_> {
    /// Whether `id` names an event: Some(is an undo).
    fn get(&self, id: &str) -> Option<bool> {
        self.index
            .ids()
            .get(id)
            .or_else(|| self.added.get(id))
            .copied()
    }

    fn used_before(&self, id: &str) -> bool {
        self.index.ids().contains_key(id) || self.earlier_in_change.contains(id)
    }
}

fn check_event(
    event: &Event,
    ctx: &ChangeContext,
    day: &EventIndex,
    known: &KnownIds,
) -> Option<String> {
    if !usable_id(&event.id) {
        return Some(format!("the event id must be 1 to {MAX_ID_LEN} characters"));
    }
    if known.used_before(&event.id) {
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
        && !day.lists_client(client_id)
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
        EventKind::NoShow {
            client_id,
            dagdeel,
            note,
            ..
        } => {
            if !day.offers(*dagdeel) {
                Some(format!("the location has no {dagdeel} on this day"))
            } else if !day.expects(*client_id, *dagdeel) {
                Some(format!(
                    "client {client_id} is not expected in the {dagdeel}: only an expected client can be a no-show"
                ))
            } else if note.chars().count() > MAX_NOTE_LEN {
                Some(format!("the note is longer than {MAX_NOTE_LEN} characters"))
            } else {
                None
            }
        }
        EventKind::Undo { target } => match known.get(target) {
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
            // Only the events that counted: rejected ones would escape their rejection as new objects.
            Violation::ServerDataChanged("events") => {
                after.restore_events(&before.accepted_events()?)?
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
