//! The parsed events of one dagstaat, kept beside the document by the server so that accepting a
//! change costs what the change adds, not what the day already holds.
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use automerge::ObjId;

use super::doc::{DagstaatDoc, DocError, Fields, obj_at, parse_fields};
use super::event::{Event, EventKind};
use super::fold::{DayState, fold_refs};
use crate::{Dagdeel, TimeWindow};

/// One event object a change added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    /// The automerge object id (the key of a rejection).
    pub object: String,
    /// The `id` field as written, also when the event does not parse.
    pub id: Option<String>,
    pub is_undo: bool,
    pub event: Option<Event>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventIndex {
    /// Events that parse, by object id, in list order.
    events: Vec<(String, Event)>,
    /// Every written event id (also of events that do not parse or were rejected): is it an undo?
    ids: HashMap<String, bool>,
    rejected: BTreeMap<String, String>,
    /// The day's list and dagdelen as the server wrote them; a phone cannot change them (such a
    /// change is neutralized and the index rebuilt), so they are read once.
    clients: HashSet<i64>,
    expected: BTreeSet<(i64, Dagdeel)>,
    windows: Vec<(Dagdeel, TimeWindow)>,
}

impl EventIndex {
    /// Reads every event of the document (when it is opened, and after a server edit).
    pub fn build(doc: &DagstaatDoc) -> Result<EventIndex, DocError> {
        let read = doc.read();
        let list = obj_at(read, &automerge::ROOT, "events").ok_or(DocError::Missing("events"))?;
        let clients = doc.clients()?;
        let mut index = EventIndex {
            rejected: doc.rejected()?,
            clients: clients.iter().map(|c| c.client_id).collect(),
            expected: clients
                .iter()
                .flat_map(|c| c.dagdelen.iter().map(move |d| (c.client_id, *d)))
                .collect(),
            windows: doc
                .header()?
                .dagdelen
                .iter()
                .map(|(d, w, _)| (*d, *w))
                .collect(),
            ..EventIndex::default()
        };
        for i in 0..automerge::ReadDoc::length(read, &list) {
            if let Some(object) = obj_at(read, &list, i) {
                index.add(new_event(doc, &object));
            }
        }
        Ok(index)
    }

    pub fn add(&mut self, new: NewEvent) {
        if let Some(id) = new.id {
            self.ids.entry(id).or_insert(new.is_undo);
        }
        if let Some(event) = new.event {
            self.events.push((new.object, event));
        }
    }

    /// Ids written so far, and whether each is an undo.
    pub fn ids(&self) -> &HashMap<String, bool> {
        &self.ids
    }

    /// The events that count: parsed and not rejected.
    pub fn accepted(&self) -> impl Iterator<Item = &Event> {
        self.events
            .iter()
            .filter(|(object, _)| !self.rejected.contains_key(object))
            .map(|(_, e)| e)
    }

    /// Whether `client_id` is on the day's list.
    pub fn lists_client(&self, client_id: i64) -> bool {
        self.clients.contains(&client_id)
    }

    /// Whether the schedule expects `client_id` in `dagdeel` that day.
    pub fn expects(&self, client_id: i64, dagdeel: Dagdeel) -> bool {
        self.expected.contains(&(client_id, dagdeel))
    }

    /// Whether the location offers `dagdeel` that day.
    pub fn offers(&self, dagdeel: Dagdeel) -> bool {
        self.windows.iter().any(|(d, _)| *d == dagdeel)
    }

    /// The folded state of the day.
    pub fn state(&self) -> DayState {
        self.state_with_added(&[])
    }

    /// The state of the day if `added` (events of a change, accepted) joined the index.
    pub fn state_with_added(&self, added: &[NewEvent]) -> DayState {
        let events = self
            .accepted()
            .chain(added.iter().filter_map(|n| n.event.as_ref()))
            .collect();
        fold_refs(events, &self.expected, &self.windows)
    }
}

/// Reads one event object: its id and kind even when the rest does not parse.
pub(crate) fn new_event(doc: &DagstaatDoc, object: &ObjId) -> NewEvent {
    let fields = Fields::read(doc.read(), object);
    let event = parse_fields(&fields).ok();
    NewEvent {
        object: object.to_string(),
        id: fields.text("id").map(str::to_owned),
        is_undo: event
            .as_ref()
            .map(|e| matches!(e.kind, EventKind::Undo { .. }))
            .unwrap_or_else(|| fields.text("kind") == Some("undo")),
        event,
    }
}
