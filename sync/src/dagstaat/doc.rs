//! The dagstaat as an automerge document: reading and writing its parts.
//!
//! Layout (what the PWA sees):
//! ```text
//! { schema: 1, kind: "dagstaat", location_id, date: "YYYY-MM-DD",
//!   dagdelen: [{dagdeel, start: "HH:MM", end: "HH:MM", capacity}],
//!   clients: {"<id>": {name, dagdelen: ["ochtend", ...], wheelchair, walker, escort}},
//!   events: [{id, kind, client_id, time, dagdeel, reason, note, target, author, recorded_at}],
//!   rejected: {"<event object id>": reason} }
//! ```
//! The server writes everything but `events`; phones only append to `events`.
use std::collections::{BTreeMap, HashSet};

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value, hydrate};
use chrono::NaiveDate;

use super::event::{Event, EventKind, NoShowReason};
use super::fold::DayState;
use crate::dagdeel::{format_hhmm, parse_hhmm};
use crate::{Dagdeel, TimeWindow};

pub const SCHEMA_VERSION: i64 = 1;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DocError {
    #[error("automerge: {0}")]
    Automerge(String),
    #[error("the document has no valid {0}")]
    Missing(&'static str),
    #[error("event {index}: {reason}")]
    BadEvent { index: usize, reason: String },
}

impl From<automerge::AutomergeError> for DocError {
    fn from(e: automerge::AutomergeError) -> Self {
        DocError::Automerge(e.to_string())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DagstaatHeader {
    pub location_id: i64,
    pub date: NaiveDate,
    pub dagdelen: Vec<(Dagdeel, TimeWindow, u32)>,
}

/// A client on the day's list, with the dagdelen the schedule expects them (possibly none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedClient {
    pub client_id: i64,
    pub name: String,
    pub dagdelen: Vec<Dagdeel>,
    pub wheelchair: bool,
    pub walker: bool,
    pub escort: bool,
}

pub struct DagstaatDoc {
    doc: AutoCommit,
}

impl DagstaatDoc {
    /// A new dagstaat as the server creates it from the schedules.
    pub fn create(
        header: &DagstaatHeader,
        clients: &[ExpectedClient],
    ) -> Result<DagstaatDoc, DocError> {
        let mut doc = AutoCommit::new();
        doc.put_object(ROOT, "clients", ObjType::Map)?;
        doc.put_object(ROOT, "events", ObjType::List)?;
        doc.put_object(ROOT, "rejected", ObjType::Map)?;
        let mut dagstaat = DagstaatDoc { doc };
        dagstaat.set_header(header)?;
        dagstaat.set_clients(clients)?;
        Ok(dagstaat)
    }

    pub fn load(bytes: &[u8]) -> Result<DagstaatDoc, DocError> {
        Ok(DagstaatDoc {
            doc: AutoCommit::load(bytes).map_err(|e| DocError::Automerge(e.to_string()))?,
        })
    }

    pub fn save(&mut self) -> Vec<u8> {
        self.doc.save()
    }

    pub fn automerge(&mut self) -> &mut AutoCommit {
        &mut self.doc
    }

    pub fn read(&self) -> &AutoCommit {
        &self.doc
    }

    /// A copy that can take changes without touching this one (for validating incoming changes).
    pub fn fork(&mut self) -> DagstaatDoc {
        DagstaatDoc {
            doc: self.doc.fork(),
        }
    }

    /// Replaces the client list (on a schedule change); clients with events stay on it.
    pub fn set_clients(&mut self, clients: &[ExpectedClient]) -> Result<(), DocError> {
        let map = self.obj(&ROOT, "clients")?;
        let keep: HashSet<i64> = self
            .events()?
            .iter()
            .filter_map(|e| e.kind.client_id())
            .collect();
        let wanted: HashSet<String> = clients.iter().map(|c| c.client_id.to_string()).collect();
        let existing: Vec<String> = self.doc.keys(&map).collect();
        for key in existing {
            let has_events = key.parse::<i64>().is_ok_and(|id| keep.contains(&id));
            if !wanted.contains(&key) && !has_events {
                self.doc.delete(&map, key.as_str())?;
            }
        }
        for client in clients {
            let c = self
                .doc
                .put_object(&map, client.client_id.to_string(), ObjType::Map)?;
            self.doc.put(&c, "name", client.name.as_str())?;
            let list = self.doc.put_object(&c, "dagdelen", ObjType::List)?;
            for (i, d) in client.dagdelen.iter().enumerate() {
                self.doc.insert(&list, i, d.as_str())?;
            }
            self.doc.put(&c, "wheelchair", client.wheelchair)?;
            self.doc.put(&c, "walker", client.walker)?;
            self.doc.put(&c, "escort", client.escort)?;
        }
        Ok(())
    }

    /// Appends an event (as a phone does).
    pub fn append(&mut self, event: &Event) -> Result<(), DocError> {
        let events = self.obj(&ROOT, "events")?;
        let index = self.doc.length(&events);
        // The event object and its fields in one batch: a phone's burst of taps is cheap to
        // write (as automerge-js writes an object literal), where a put per field splices
        // the op set once each.
        let fields: std::collections::HashMap<&str, hydrate::Value> = event_fields(event)
            .into_iter()
            .map(|(key, value)| (key, hydrate::Value::Scalar(value)))
            .collect();
        self.doc
            .batch_create_object(&events, index, &fields.into(), true)?;
        Ok(())
    }

    /// Puts a fresh events list in place holding `events` (after the list itself was replaced).
    pub fn restore_events(&mut self, events: &[Event]) -> Result<(), DocError> {
        self.doc.put_object(ROOT, "events", ObjType::List)?;
        for event in events {
            self.append(event)?;
        }
        Ok(())
    }

    /// Marks an event (by its automerge object id) as rejected by the server; it stays in the
    /// history but no longer counts.
    pub fn reject(&mut self, object: &str, reason: &str) -> Result<(), DocError> {
        let rejected = self.obj(&ROOT, "rejected")?;
        self.doc.put(&rejected, object, reason)?;
        Ok(())
    }

    pub fn rejected(&self) -> Result<BTreeMap<String, String>, DocError> {
        let rejected = self.obj(&ROOT, "rejected")?;
        Ok(self
            .doc
            .keys(&rejected)
            .map(|key| {
                let reason = string_at(&self.doc, &rejected, key.as_str()).unwrap_or_default();
                (key, reason)
            })
            .collect())
    }

    pub fn header(&self) -> Result<DagstaatHeader, DocError> {
        let location_id =
            int_at(&self.doc, &ROOT, "location_id").ok_or(DocError::Missing("location_id"))?;
        let date = string_at(&self.doc, &ROOT, "date")
            .and_then(|d| d.parse().ok())
            .ok_or(DocError::Missing("date"))?;
        let list = self.obj(&ROOT, "dagdelen")?;
        let mut dagdelen = Vec::new();
        for i in 0..self.doc.length(&list) {
            let d = obj_at(&self.doc, &list, i).ok_or(DocError::Missing("dagdelen"))?;
            let dagdeel: Dagdeel = string_at(&self.doc, &d, "dagdeel")
                .and_then(|s| s.parse().ok())
                .ok_or(DocError::Missing("dagdelen"))?;
            let window = match (
                string_at(&self.doc, &d, "start"),
                string_at(&self.doc, &d, "end"),
            ) {
                (Some(start), Some(end)) => {
                    TimeWindow::parse(&start, &end).map_err(|_| DocError::Missing("dagdelen"))?
                }
                _ => return Err(DocError::Missing("dagdelen")),
            };
            let capacity = int_at(&self.doc, &d, "capacity")
                .and_then(|c| u32::try_from(c).ok())
                .unwrap_or(0);
            dagdelen.push((dagdeel, window, capacity));
        }
        Ok(DagstaatHeader {
            location_id,
            date,
            dagdelen,
        })
    }

    pub fn clients(&self) -> Result<Vec<ExpectedClient>, DocError> {
        let map = self.obj(&ROOT, "clients")?;
        let mut clients = Vec::new();
        for key in self.doc.keys(&map) {
            let Ok(client_id) = key.parse::<i64>() else {
                continue;
            };
            let Some(c) = obj_at(&self.doc, &map, key.as_str()) else {
                continue;
            };
            let dagdelen = match obj_at(&self.doc, &c, "dagdelen") {
                Some(list) => (0..self.doc.length(&list))
                    .filter_map(|i| string_at(&self.doc, &list, i).and_then(|s| s.parse().ok()))
                    .collect(),
                None => Vec::new(),
            };
            clients.push(ExpectedClient {
                client_id,
                name: string_at(&self.doc, &c, "name").unwrap_or_default(),
                dagdelen,
                wheelchair: bool_at(&self.doc, &c, "wheelchair"),
                walker: bool_at(&self.doc, &c, "walker"),
                escort: bool_at(&self.doc, &c, "escort"),
            });
        }
        Ok(clients)
    }

    /// The events that parse, in list order. Malformed ones never count (the server rejects them).
    pub fn events(&self) -> Result<Vec<Event>, DocError> {
        Ok(self
            .events_by_object()?
            .into_iter()
            .map(|(_, e)| e)
            .collect())
    }

    /// The events that parse, each with its automerge object id (the key of a rejection).
    pub fn events_by_object(&self) -> Result<Vec<(String, Event)>, DocError> {
        let list = self.obj(&ROOT, "events")?;
        Ok((0..self.doc.length(&list))
            .filter_map(|index| obj_at(&self.doc, &list, index))
            .filter_map(|e| {
                parse_event(&self.doc, &e)
                    .ok()
                    .map(|event| (e.to_string(), event))
            })
            .collect())
    }

    /// The events that count: parsed and not rejected by the server.
    pub fn accepted_events(&self) -> Result<Vec<Event>, DocError> {
        let rejected = self.rejected()?;
        Ok(self
            .events_by_object()?
            .into_iter()
            .filter(|(object, _)| !rejected.contains_key(object))
            .map(|(_, e)| e)
            .collect())
    }

    /// Puts the header back as the server wrote it.
    pub fn set_header(&mut self, header: &DagstaatHeader) -> Result<(), DocError> {
        self.doc.put(ROOT, "schema", SCHEMA_VERSION)?;
        self.doc.put(ROOT, "kind", "dagstaat")?;
        self.doc.put(ROOT, "location_id", header.location_id)?;
        self.doc.put(ROOT, "date", header.date.to_string())?;
        let dagdelen = self.doc.put_object(ROOT, "dagdelen", ObjType::List)?;
        for (i, (dagdeel, window, capacity)) in header.dagdelen.iter().enumerate() {
            let d = self.doc.insert_object(&dagdelen, i, ObjType::Map)?;
            self.doc.put(&d, "dagdeel", dagdeel.as_str())?;
            self.doc
                .put(&d, "start", format_hhmm(window.start_minute()))?;
            self.doc.put(&d, "end", format_hhmm(window.end_minute()))?;
            self.doc.put(&d, "capacity", i64::from(*capacity))?;
        }
        Ok(())
    }

    /// Replaces the client list with exactly `clients` (restoring it after tampering).
    pub fn set_clients_exactly(&mut self, clients: &[ExpectedClient]) -> Result<(), DocError> {
        self.doc.put_object(ROOT, "clients", ObjType::Map)?;
        self.set_clients(clients)
    }

    /// Replaces the rejections with exactly `rejected`.
    pub fn set_rejected_exactly(
        &mut self,
        rejected: &BTreeMap<String, String>,
    ) -> Result<(), DocError> {
        let map = self.doc.put_object(ROOT, "rejected", ObjType::Map)?;
        for (key, reason) in rejected {
            self.doc.put(&map, key.as_str(), reason.as_str())?;
        }
        Ok(())
    }

    /// Writes an event's original fields back onto its object (after a phone changed them).
    pub fn restore_event(&mut self, object: &str, event: &Event) -> Result<(), DocError> {
        let list = self.obj(&ROOT, "events")?;
        let Some(target) = (0..self.doc.length(&list))
            .filter_map(|i| obj_at(&self.doc, &list, i))
            .find(|id| id.to_string() == object)
        else {
            return self.append(event);
        };
        let keys: Vec<String> = self.doc.keys(&target).collect();
        for key in keys {
            self.doc.delete(&target, key.as_str())?;
        }
        write_event_fields(&mut self.doc, &target, event)
    }

    /// The folded state of the day.
    pub fn state(&self) -> Result<DayState, DocError> {
        Ok(super::index::EventIndex::build(self)?.state())
    }

    fn obj(&self, parent: &ObjId, key: &str) -> Result<ObjId, DocError> {
        obj_at(&self.doc, parent, key).ok_or(match key {
            "clients" => DocError::Missing("clients"),
            "events" => DocError::Missing("events"),
            "rejected" => DocError::Missing("rejected"),
            _ => DocError::Missing("dagdelen"),
        })
    }
}

fn write_event_fields(doc: &mut AutoCommit, e: &ObjId, event: &Event) -> Result<(), DocError> {
    for (key, value) in event_fields(event) {
        doc.put(e, key, value)?;
    }
    Ok(())
}

/// An event's fields as its map holds them.
fn event_fields(event: &Event) -> Vec<(&'static str, ScalarValue)> {
    let text = |s: &str| ScalarValue::Str(s.into());
    let mut fields = vec![("id", text(&event.id)), ("kind", text(event.kind.name()))];
    match &event.kind {
        EventKind::CheckIn { client_id, minute } | EventKind::CheckOut { client_id, minute } => {
            fields.push(("client_id", ScalarValue::Int(*client_id)));
            fields.push(("time", text(&format_hhmm(*minute))));
        }
        EventKind::NoShow {
            client_id,
            dagdeel,
            reason,
            note,
        } => {
            fields.push(("client_id", ScalarValue::Int(*client_id)));
            fields.push(("dagdeel", text(dagdeel.as_str())));
            fields.push(("reason", text(reason.as_str())));
            fields.push(("note", text(note)));
        }
        EventKind::Undo { target } => fields.push(("target", text(target))),
    }
    fields.push(("author", ScalarValue::Int(event.author)));
    fields.push(("recorded_at", text(&event.recorded_at)));
    fields
}

/// Reads one event map; the error says which field is wrong.
pub(crate) fn parse_event(doc: &AutoCommit, e: &ObjId) -> Result<Event, String> {
    parse_fields(&Fields::read(doc, e))
}

/// An event from its object's fields.
pub(crate) fn parse_fields(fields: &Fields) -> Result<Event, String> {
    let field = |name: &str| {
        fields
            .text(name)
            .map(str::to_owned)
            .ok_or_else(|| format!("{name} is missing or not text"))
    };
    let id = field("id")?;
    let client_id = || {
        fields
            .int("client_id")
            .ok_or_else(|| "client_id is missing or not a number".to_owned())
    };
    let minute = || parse_hhmm(&field("time")?).map_err(|err| err.to_string());
    let kind = match field("kind")?.as_str() {
        "check_in" => EventKind::CheckIn {
            client_id: client_id()?,
            minute: minute()?,
        },
        "check_out" => EventKind::CheckOut {
            client_id: client_id()?,
            minute: minute()?,
        },
        "no_show" => EventKind::NoShow {
            client_id: client_id()?,
            dagdeel: field("dagdeel")?
                .parse()
                .map_err(|err: crate::TimeWindowError| err.to_string())?,
            reason: NoShowReason::parse(&field("reason")?)
                .ok_or("reason is not a known no-show reason")?,
            note: fields.text("note").unwrap_or_default().to_owned(),
        },
        "undo" => EventKind::Undo {
            target: field("target")?,
        },
        other => return Err(format!("'{other}' is not an event kind")),
    };
    Ok(Event {
        id,
        kind,
        author: fields
            .int("author")
            .ok_or("author is missing or not a number")?,
        recorded_at: field("recorded_at")?,
    })
}

/// A map object's fields, read in one pass (a lookup per field costs a seek each).
pub(crate) struct Fields(Vec<(String, Field)>);

enum Field {
    Text(String),
    Int(i64),
    Other,
}

impl Fields {
    pub(crate) fn read(doc: &AutoCommit, object: &ObjId) -> Fields {
        use automerge::{ScalarValueRef, ValueRef};
        Fields(
            doc.map_range(object, ..)
                .map(|item| {
                    let value = match &item.value {
                        ValueRef::Scalar(ScalarValueRef::Str(s)) => Field::Text(s.to_string()),
                        ValueRef::Scalar(scalar) => {
                            integer(scalar).map(Field::Int).unwrap_or(Field::Other)
                        }
                        ValueRef::Object(ObjType::Text) => {
                            doc.text(item.id()).map(Field::Text).unwrap_or(Field::Other)
                        }
                        ValueRef::Object(_) => Field::Other,
                    };
                    (item.key.into_owned(), value)
                })
                .collect(),
        )
    }

    /// A text field as JS writes it: an ImmutableString scalar, or a text object.
    pub(crate) fn text(&self, name: &str) -> Option<&str> {
        match self.get(name)? {
            Field::Text(s) => Some(s),
            _ => None,
        }
    }

    /// An integer field as JS writes it: int, uint, or a float with no fraction.
    pub(crate) fn int(&self, name: &str) -> Option<i64> {
        match self.get(name)? {
            Field::Int(i) => Some(*i),
            _ => None,
        }
    }

    fn get(&self, name: &str) -> Option<&Field> {
        self.0.iter().find(|(key, _)| key == name).map(|(_, v)| v)
    }
}

fn integer(scalar: &automerge::ScalarValueRef) -> Option<i64> {
    use automerge::ScalarValueRef;
    match scalar {
        ScalarValueRef::Int(i) => Some(*i),
        ScalarValueRef::Uint(u) => i64::try_from(*u).ok(),
        ScalarValueRef::F64(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
        _ => None,
    }
}

pub(crate) fn obj_at(
    doc: &AutoCommit,
    parent: &ObjId,
    prop: impl Into<automerge::Prop>,
) -> Option<ObjId> {
    match doc.get(parent, prop).ok()?? {
        (Value::Object(_), id) => Some(id),
        _ => None,
    }
}

/// A string as JS writes it: an ImmutableString scalar, or a text object.
pub(crate) fn string_at(
    doc: &AutoCommit,
    parent: &ObjId,
    prop: impl Into<automerge::Prop>,
) -> Option<String> {
    match doc.get(parent, prop).ok()?? {
        (Value::Scalar(s), _) => match s.as_ref() {
            ScalarValue::Str(s) => Some(s.to_string()),
            _ => None,
        },
        (Value::Object(ObjType::Text), id) => doc.text(&id).ok(),
        _ => None,
    }
}

/// An integer as JS writes it: int, uint, or a float with no fraction.
pub(crate) fn int_at(
    doc: &AutoCommit,
    parent: &ObjId,
    prop: impl Into<automerge::Prop>,
) -> Option<i64> {
    match doc.get(parent, prop).ok()?? {
        (Value::Scalar(s), _) => match s.as_ref() {
            ScalarValue::Int(i) => Some(*i),
            ScalarValue::Uint(u) => i64::try_from(*u).ok(),
            ScalarValue::F64(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
            _ => None,
        },
        _ => None,
    }
}

fn bool_at(doc: &AutoCommit, parent: &ObjId, prop: &str) -> bool {
    matches!(doc.get(parent, prop), Ok(Some((Value::Scalar(s), _))) if matches!(s.as_ref(), ScalarValue::Boolean(true)))
}
