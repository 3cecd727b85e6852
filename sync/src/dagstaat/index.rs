//! The parsed events of one dagstaat, kept beside the document by the server so that accepting a
//! change costs what the change adds, not what the day already holds.
use std::collections::{BTreeMap, HashMap};

use automerge::ObjId;

use super::doc::{DagstaatDoc, DocError, obj_at, parse_event, string_at};
use super::event::{Event, EventKind};

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
}

impl EventIndex {
    /// Reads every event of the document (when it is opened, and after a server edit).
    pub fn build(doc: &DagstaatDoc) -> Result<EventIndex, DocError> {
        let read = doc.read();
        let list = obj_at(read, &automerge::ROOT, "events").ok_or(DocError::Missing("events"))?;
        let mut index = EventIndex {
            rejected: doc.rejected()?,
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
    pub fn accepted(&self) -> Vec<Event> {
        self.events
            .iter()
            .filter(|(object, _)| !self.rejected.contains_key(object))
            .map(|(_, e)| e.clone())
            .collect()
    }
}

/// Reads one event object: its id and kind even when the rest does not parse.
pub(crate) fn new_event(doc: &DagstaatDoc, object: &ObjId) -> NewEvent {
    let read = doc.read();
    let event = parse_event(read, object).ok();
    NewEvent {
        object: object.to_string(),
        id: string_at(read, object, "id"),
        is_undo: event
            .as_ref()
            .map(|e| matches!(e.kind, EventKind::Undo { .. }))
            .unwrap_or_else(|| string_at(read, object, "kind").is_some_and(|k| k == "undo")),
        event,
    }
}
