//! The route run: one automerge document per published route (one vehicle, one direction, one
//! date). The server writes the header and the stops; the driver's phone only appends events
//! (picked_up, not_home, delivered, undo); the server appends `cancelled` when a client is
//! reported ill before pickup. A stop's status is a deterministic fold of the events.
//!
//! Layout (what the PWA sees):
//! ```text
//! { schema: 1, kind: "route_run", run_id, date, direction, vehicle,
//!   stops: [{id, client_id, location_id, name, kind: "pickup"|"dropoff", place, phone,
//!            lat, lon, time: "HH:MM", wheelchair, walker, escort}],
//!   events: [{id, kind, stop, time: "HH:MM", target, author, recorded_at}],
//!   rejected: {"<event object id>": reason} }
//! ```
use std::collections::{BTreeMap, HashMap, HashSet};

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc};

use crate::dagdeel::{format_hhmm, parse_hhmm};
use crate::dagstaat::doc::{DocError, int_at, obj_at, string_at};

pub const SCHEMA_VERSION: i64 = 1;
/// A run has a few dozen stops; this bounds a misbehaving phone.
pub const MAX_EVENTS: usize = 2_000;
const MAX_ID_LEN: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub struct RunHeader {
    pub run_id: i64,
    pub date: String,
    pub direction: String,
    pub vehicle: String,
}

/// What the driver needs at a stop, and nothing more (no BSN, no care details).
#[derive(Debug, Clone, PartialEq)]
pub struct Stop {
    pub id: String,
    pub client_id: i64,
    pub location_id: i64,
    pub name: String,
    /// `pickup` or `dropoff`.
    pub kind: String,
    pub place: String,
    pub phone: String,
    pub lat: f64,
    pub lon: f64,
    pub minute: u16,
    pub wheelchair: bool,
    pub walker: bool,
    pub escort: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StopStatus {
    Planned,
    PickedUp,
    NotHome,
    Delivered,
    Cancelled,
}

impl StopStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StopStatus::Planned => "planned",
            StopStatus::PickedUp => "picked_up",
            StopStatus::NotHome => "not_home",
            StopStatus::Delivered => "delivered",
            StopStatus::Cancelled => "cancelled",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunEventKind {
    PickedUp {
        stop: String,
        minute: u16,
    },
    NotHome {
        stop: String,
        minute: u16,
    },
    Delivered {
        stop: String,
        minute: u16,
    },
    /// Written by the server only: the client will not come (ill, cancelled).
    Cancelled {
        stop: String,
        minute: u16,
    },
    Undo {
        target: String,
    },
}

impl RunEventKind {
    pub fn name(&self) -> &'static str {
        match self {
            RunEventKind::PickedUp { .. } => "picked_up",
            RunEventKind::NotHome { .. } => "not_home",
            RunEventKind::Delivered { .. } => "delivered",
            RunEventKind::Cancelled { .. } => "cancelled",
            RunEventKind::Undo { .. } => "undo",
        }
    }

    fn stop_and_minute(&self) -> Option<(&str, u16)> {
        match self {
            RunEventKind::PickedUp { stop, minute }
            | RunEventKind::NotHome { stop, minute }
            | RunEventKind::Delivered { stop, minute }
            | RunEventKind::Cancelled { stop, minute } => Some((stop, *minute)),
            RunEventKind::Undo { .. } => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunEvent {
    pub id: String,
    pub kind: RunEventKind,
    pub author: i64,
    pub recorded_at: String,
}

/// A stop's state after folding the events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopState {
    pub status: StopStatus,
    pub minute: Option<u16>,
    pub author: Option<i64>,
}

/// Per stop id: the last event (in list order) that was not undone decides the status.
pub fn fold(events: &[RunEvent]) -> HashMap<String, StopState> {
    let undone: HashSet<&str> = events
        .iter()
        .filter_map(|e| match &e.kind {
            RunEventKind::Undo { target } => Some(target.as_str()),
            _ => None,
        })
        .collect();
    let mut states = HashMap::new();
    for event in events.iter().filter(|e| !undone.contains(e.id.as_str())) {
        let Some((stop, minute)) = event.kind.stop_and_minute() else {
            continue;
        };
        let status = match event.kind {
            RunEventKind::PickedUp { .. } => StopStatus::PickedUp,
            RunEventKind::NotHome { .. } => StopStatus::NotHome,
            RunEventKind::Delivered { .. } => StopStatus::Delivered,
            _ => StopStatus::Cancelled,
        };
        states.insert(
            stop.to_owned(),
            StopState {
                status,
                minute: Some(minute),
                author: Some(event.author),
            },
        );
    }
    states
}

pub struct RouteRunDoc {
    doc: AutoCommit,
}

impl RouteRunDoc {
    pub fn create(header: &RunHeader, stops: &[Stop]) -> Result<RouteRunDoc, DocError> {
        let mut doc = AutoCommit::new();
        doc.put_object(ROOT, "events", ObjType::List)?;
        doc.put_object(ROOT, "rejected", ObjType::Map)?;
        let mut run = RouteRunDoc { doc };
        run.set_header(header)?;
        run.set_stops(stops)?;
        Ok(run)
    }

    pub fn load(bytes: &[u8]) -> Result<RouteRunDoc, DocError> {
        Ok(RouteRunDoc {
            doc: AutoCommit::load(bytes).map_err(|e| DocError::Automerge(e.to_string()))?,
        })
    }

    pub fn save(&mut self) -> Vec<u8> {
        self.doc.save()
    }

    pub fn automerge(&mut self) -> &mut AutoCommit {
        &mut self.doc
    }

    pub fn fork(&mut self) -> RouteRunDoc {
        RouteRunDoc {
            doc: self.doc.fork(),
        }
    }

    fn set_header(&mut self, h: &RunHeader) -> Result<(), DocError> {
        self.doc.put(ROOT, "schema", SCHEMA_VERSION)?;
        self.doc.put(ROOT, "kind", "route_run")?;
        self.doc.put(ROOT, "run_id", h.run_id)?;
        self.doc.put(ROOT, "date", h.date.as_str())?;
        self.doc.put(ROOT, "direction", h.direction.as_str())?;
        self.doc.put(ROOT, "vehicle", h.vehicle.as_str())?;
        Ok(())
    }

    fn set_stops(&mut self, stops: &[Stop]) -> Result<(), DocError> {
        let list = self.doc.put_object(ROOT, "stops", ObjType::List)?;
        for (i, s) in stops.iter().enumerate() {
            let o = self.doc.insert_object(&list, i, ObjType::Map)?;
            self.doc.put(&o, "id", s.id.as_str())?;
            self.doc.put(&o, "client_id", s.client_id)?;
            self.doc.put(&o, "location_id", s.location_id)?;
            self.doc.put(&o, "name", s.name.as_str())?;
            self.doc.put(&o, "kind", s.kind.as_str())?;
            self.doc.put(&o, "place", s.place.as_str())?;
            self.doc.put(&o, "phone", s.phone.as_str())?;
            self.doc.put(&o, "lat", s.lat)?;
            self.doc.put(&o, "lon", s.lon)?;
            self.doc.put(&o, "time", format_hhmm(s.minute))?;
            self.doc.put(&o, "wheelchair", s.wheelchair)?;
            self.doc.put(&o, "walker", s.walker)?;
            self.doc.put(&o, "escort", s.escort)?;
        }
        Ok(())
    }

    pub fn header(&self) -> Result<RunHeader, DocError> {
        let text =
            |key: &'static str| string_at(&self.doc, &ROOT, key).ok_or(DocError::Missing(key));
        Ok(RunHeader {
            run_id: int_at(&self.doc, &ROOT, "run_id").ok_or(DocError::Missing("run_id"))?,
            date: text("date")?,
            direction: text("direction")?,
            vehicle: text("vehicle")?,
        })
    }

    pub fn stops(&self) -> Result<Vec<Stop>, DocError> {
        let list = obj_at(&self.doc, &ROOT, "stops").ok_or(DocError::Missing("stops"))?;
        let d = &self.doc;
        (0..d.length(&list))
            .map(|i| {
                let o = obj_at(d, &list, i).ok_or(DocError::Missing("stops"))?;
                let text = |k: &str| string_at(d, &o, k).unwrap_or_default();
                let float = |k: &str| match d.get(&o, k) {
                    Ok(Some((automerge::Value::Scalar(s), _))) => match s.as_ref() {
                        automerge::ScalarValue::F64(f) => *f,
                        _ => 0.0,
                    },
                    _ => 0.0,
                };
                let flag = |k: &str| {
                    matches!(d.get(&o, k), Ok(Some((automerge::Value::Scalar(s), _)))
                        if matches!(s.as_ref(), automerge::ScalarValue::Boolean(true)))
                };
                Ok(Stop {
                    id: text("id"),
                    client_id: int_at(d, &o, "client_id").unwrap_or_default(),
                    location_id: int_at(d, &o, "location_id").unwrap_or_default(),
                    name: text("name"),
                    kind: text("kind"),
                    place: text("place"),
                    phone: text("phone"),
                    lat: float("lat"),
                    lon: float("lon"),
                    minute: parse_hhmm(&text("time")).unwrap_or(0),
                    wheelchair: flag("wheelchair"),
                    walker: flag("walker"),
                    escort: flag("escort"),
                })
            })
            .collect()
    }

    /// Appends an event (the driver's phone does this; the server only for `cancelled`).
    pub fn append(&mut self, event: &RunEvent) -> Result<(), DocError> {
        let list = obj_at(&self.doc, &ROOT, "events").ok_or(DocError::Missing("events"))?;
        let index = self.doc.length(&list);
        let o = self.doc.insert_object(&list, index, ObjType::Map)?;
        write_event(&mut self.doc, &o, event)
    }

    /// Every event object with its parse result, in list order.
    fn raw_events(&self) -> Vec<(ObjId, Result<RunEvent, String>)> {
        let Some(list) = obj_at(&self.doc, &ROOT, "events") else {
            return Vec::new();
        };
        (0..self.doc.length(&list))
            .filter_map(|i| obj_at(&self.doc, &list, i))
            .map(|o| {
                let parsed = parse_event(&self.doc, &o);
                (o, parsed)
            })
            .collect()
    }

    pub fn rejected(&self) -> BTreeMap<String, String> {
        let Some(map) = obj_at(&self.doc, &ROOT, "rejected") else {
            return BTreeMap::new();
        };
        self.doc
            .keys(&map)
            .map(|k| {
                let reason = string_at(&self.doc, &map, k.as_str()).unwrap_or_default();
                (k, reason)
            })
            .collect()
    }

    /// The events that count: parsed and not rejected.
    pub fn accepted_events(&self) -> Vec<RunEvent> {
        let rejected = self.rejected();
        self.raw_events()
            .into_iter()
            .filter(|(o, _)| !rejected.contains_key(&o.to_string()))
            .filter_map(|(_, e)| e.ok())
            .collect()
    }

    /// Each stop with its folded state, in route order.
    pub fn state(&self) -> Result<Vec<(Stop, StopState)>, DocError> {
        let states = fold(&self.accepted_events());
        Ok(self
            .stops()?
            .into_iter()
            .map(|stop| {
                let state = states.get(&stop.id).cloned().unwrap_or(StopState {
                    status: StopStatus::Planned,
                    minute: None,
                    author: None,
                });
                (stop, state)
            })
            .collect())
    }

    fn reject(&mut self, object: &str, reason: &str) -> Result<(), DocError> {
        let map = match obj_at(&self.doc, &ROOT, "rejected") {
            Some(map) => map,
            None => self.doc.put_object(ROOT, "rejected", ObjType::Map)?,
        };
        self.doc.put(&map, object, reason)?;
        Ok(())
    }
}

fn write_event(doc: &mut AutoCommit, o: &ObjId, event: &RunEvent) -> Result<(), DocError> {
    doc.put(o, "id", event.id.as_str())?;
    doc.put(o, "kind", event.kind.name())?;
    match &event.kind {
        RunEventKind::Undo { target } => doc.put(o, "target", target.as_str())?,
        other => {
            if let Some((stop, minute)) = other.stop_and_minute() {
                doc.put(o, "stop", stop)?;
                doc.put(o, "time", format_hhmm(minute))?;
            }
        }
    }
    doc.put(o, "author", event.author)?;
    doc.put(o, "recorded_at", event.recorded_at.as_str())?;
    Ok(())
}

fn parse_event(doc: &AutoCommit, o: &ObjId) -> Result<RunEvent, String> {
    let field = |name: &str| {
        string_at(doc, o, name).ok_or_else(|| format!("{name} is missing or not text"))
    };
    let stop_minute = || -> Result<(String, u16), String> {
        Ok((
            field("stop")?,
            parse_hhmm(&field("time")?).map_err(|e| e.to_string())?,
        ))
    };
    let kind = match field("kind")?.as_str() {
        "picked_up" => {
            stop_minute().map(|(stop, minute)| RunEventKind::PickedUp { stop, minute })?
        }
        "not_home" => stop_minute().map(|(stop, minute)| RunEventKind::NotHome { stop, minute })?,
        "delivered" => {
            stop_minute().map(|(stop, minute)| RunEventKind::Delivered { stop, minute })?
        }
        "cancelled" => {
            stop_minute().map(|(stop, minute)| RunEventKind::Cancelled { stop, minute })?
        }
        "undo" => RunEventKind::Undo {
            target: field("target")?,
        },
        other => return Err(format!("'{other}' is not a route event kind")),
    };
    Ok(RunEvent {
        id: field("id")?,
        kind,
        author: int_at(doc, o, "author").ok_or("author is missing or not a number")?,
        recorded_at: field("recorded_at")?,
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunViolation {
    /// The header, the stops or the rejections were changed: only the server writes them.
    ServerDataChanged,
    /// Recorded events were removed or edited.
    EventsChanged,
    InvalidEvent {
        object: String,
        reason: String,
    },
    TooManyEvents,
}

/// Who sent a change: the authenticated user (`None` for the server's own edits).
#[derive(Debug, Clone, Copy)]
pub struct RunContext {
    pub author: Option<i64>,
}

/// What a change from a phone did wrong, comparing the document before and after it.
/// Route runs are small, so this compares them whole.
pub fn validate(before: &RouteRunDoc, after: &RouteRunDoc, ctx: &RunContext) -> Vec<RunViolation> {
    let mut violations = Vec::new();
    if before.header().ok() != after.header().ok()
        || before.stops().ok() != after.stops().ok()
        || before.rejected() != after.rejected()
    {
        violations.push(RunViolation::ServerDataChanged);
    }
    let old: HashMap<String, Result<RunEvent, String>> = before
        .raw_events()
        .into_iter()
        .map(|(o, e)| (o.to_string(), e))
        .collect();
    let now: Vec<(ObjId, Result<RunEvent, String>)> = after.raw_events();
    if now.len() > MAX_EVENTS {
        violations.push(RunViolation::TooManyEvents);
    }
    let now_objects: HashSet<String> = now.iter().map(|(o, _)| o.to_string()).collect();
    let changed = old.iter().any(|(object, event)| {
        !now_objects.contains(object)
            || now
                .iter()
                .find(|(o, _)| &o.to_string() == object)
                .map(|(_, e)| e)
                != Some(event)
    });
    if changed {
        violations.push(RunViolation::EventsChanged);
    }
    let stops: HashSet<String> = after
        .stops()
        .unwrap_or_default()
        .into_iter()
        .map(|s| s.id)
        .collect();
    let mut known: HashMap<String, bool> = old
        .values()
        .filter_map(|e| e.as_ref().ok())
        .map(|e| (e.id.clone(), matches!(e.kind, RunEventKind::Undo { .. })))
        .collect();
    for (object, event) in now
        .iter()
        .filter(|(o, _)| !old.contains_key(&o.to_string()))
    {
        let reason = match event {
            Err(reason) => Some(reason.clone()),
            Ok(event) => event_problem(event, ctx, &stops, &known),
        };
        match reason {
            Some(reason) => violations.push(RunViolation::InvalidEvent {
                object: object.to_string(),
                reason,
            }),
            None => {
                if let Ok(event) = event {
                    known.insert(
                        event.id.clone(),
                        matches!(event.kind, RunEventKind::Undo { .. }),
                    );
                }
            }
        }
    }
    violations
}

fn event_problem(
    event: &RunEvent,
    ctx: &RunContext,
    stops: &HashSet<String>,
    known: &HashMap<String, bool>,
) -> Option<String> {
    if event.id.is_empty() || event.id.len() > MAX_ID_LEN || event.recorded_at.len() > MAX_ID_LEN {
        return Some("the event id or time stamp is empty or too long".into());
    }
    if known.contains_key(&event.id) {
        return Some(format!("event id {} is used twice", event.id));
    }
    if let Some(author) = ctx.author {
        if event.author != author {
            return Some("the author must be the signed-in driver".into());
        }
        if matches!(event.kind, RunEventKind::Cancelled { .. }) {
            return Some("only the office cancels a stop".into());
        }
    }
    match &event.kind {
        RunEventKind::Undo { target } => match known.get(target) {
            None => Some(format!("undo of unknown event {target}")),
            Some(true) => Some("an undo cannot be undone; record the event again".into()),
            Some(false) => None,
        },
        other => match other.stop_and_minute() {
            Some((stop, _)) if !stops.contains(stop) => {
                Some(format!("stop {stop} is not on this run"))
            }
            _ => None,
        },
    }
}

/// Writes the server's correction into `after`: server data and recorded events restored from
/// `before`, invalid new events marked rejected (they stay in the history).
pub fn neutralize(
    before: &RouteRunDoc,
    after: &mut RouteRunDoc,
    violations: &[RunViolation],
) -> Result<(), DocError> {
    for violation in violations {
        match violation {
            RunViolation::ServerDataChanged => {
                after.set_header(&before.header()?)?;
                after.set_stops(&before.stops()?)?;
                let map = after.doc.put_object(ROOT, "rejected", ObjType::Map)?;
                for (key, reason) in before.rejected() {
                    after.doc.put(&map, key.as_str(), reason.as_str())?;
                }
            }
            RunViolation::EventsChanged => {
                // A fresh list: the events that counted before, then this change's valid new ones.
                let invalid: HashSet<&str> = violations
                    .iter()
                    .filter_map(|v| match v {
                        RunViolation::InvalidEvent { object, .. } => Some(object.as_str()),
                        _ => None,
                    })
                    .collect();
                let old: HashSet<String> = before
                    .raw_events()
                    .into_iter()
                    .map(|(o, _)| o.to_string())
                    .collect();
                let added: Vec<RunEvent> = after
                    .raw_events()
                    .into_iter()
                    .filter(|(o, _)| {
                        !old.contains(&o.to_string()) && !invalid.contains(o.to_string().as_str())
                    })
                    .filter_map(|(_, e)| e.ok())
                    .collect();
                after.doc.put_object(ROOT, "events", ObjType::List)?;
                for event in before.accepted_events().iter().chain(&added) {
                    after.append(event)?;
                }
            }
            RunViolation::InvalidEvent { object, reason } => after.reject(object, reason)?,
            RunViolation::TooManyEvents => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stop(id: &str, client_id: i64) -> Stop {
        Stop {
            id: id.into(),
            client_id,
            location_id: 1,
            name: format!("Client {client_id}"),
            kind: "pickup".into(),
            place: "Dorpsstraat 1, 6701 AA Wageningen".into(),
            phone: "0612345678".into(),
            lat: 51.97,
            lon: 5.66,
            minute: 8 * 60,
            wheelchair: client_id == 2,
            walker: false,
            escort: false,
        }
    }

    fn run() -> RouteRunDoc {
        let header = RunHeader {
            run_id: 7,
            date: "2026-11-24".into(),
            direction: "inbound".into(),
            vehicle: "Bus 1".into(),
        };
        RouteRunDoc::create(&header, &[stop("s1", 1), stop("s2", 2)]).expect("created")
    }

    fn event(id: &str, kind: RunEventKind, author: i64) -> RunEvent {
        RunEvent {
            id: id.into(),
            kind,
            author,
            recorded_at: "2026-11-24T08:01:00Z".into(),
        }
    }

    const DRIVER: RunContext = RunContext { author: Some(5) };

    #[test]
    fn the_document_reads_back_what_the_server_wrote() {
        let mut doc = run();
        let loaded = RouteRunDoc::load(&doc.save()).expect("loads");
        assert_eq!(loaded.header().expect("header").vehicle, "Bus 1");
        assert_eq!(
            loaded.stops().expect("stops"),
            vec![stop("s1", 1), stop("s2", 2)]
        );
    }

    #[test]
    fn a_drivers_events_fold_into_stop_statuses_and_undo_takes_one_back() {
        let mut doc = run();
        let mut phone = doc.fork();
        phone
            .append(&event(
                "e1",
                RunEventKind::PickedUp {
                    stop: "s1".into(),
                    minute: 481,
                },
                5,
            ))
            .expect("append");
        phone
            .append(&event(
                "e2",
                RunEventKind::NotHome {
                    stop: "s2".into(),
                    minute: 490,
                },
                5,
            ))
            .expect("append");
        phone
            .append(&event(
                "e3",
                RunEventKind::Undo {
                    target: "e1".into(),
                },
                5,
            ))
            .expect("append");
        assert_eq!(validate(&doc, &phone, &DRIVER), vec![]);
        let state = phone.state().expect("state");
        assert_eq!(state[0].1.status, StopStatus::Planned);
        assert_eq!(
            state[1].1,
            StopState {
                status: StopStatus::NotHome,
                minute: Some(490),
                author: Some(5)
            }
        );
        let _ = doc.automerge().merge(phone.automerge());
        assert_eq!(doc.state().expect("state")[1].1.status, StopStatus::NotHome);
    }

    #[test]
    fn two_phones_merge_to_the_same_state_in_either_order() {
        let base = run();
        let mut a = RouteRunDoc::load(&base.doc.clone().save()).expect("a");
        let mut b = RouteRunDoc::load(&base.doc.clone().save()).expect("b");
        a.append(&event(
            "a1",
            RunEventKind::PickedUp {
                stop: "s1".into(),
                minute: 481,
            },
            5,
        ))
        .expect("a1");
        b.append(&event(
            "b1",
            RunEventKind::PickedUp {
                stop: "s2".into(),
                minute: 485,
            },
            5,
        ))
        .expect("b1");
        let mut ab = a.fork();
        ab.automerge().merge(b.automerge()).expect("merge");
        let mut ba = b.fork();
        ba.automerge().merge(a.automerge()).expect("merge");
        assert_eq!(ab.state().expect("ab"), ba.state().expect("ba"));
        assert!(
            ab.state()
                .expect("ab")
                .iter()
                .all(|(_, s)| s.status == StopStatus::PickedUp)
        );
    }

    #[test]
    fn bad_events_are_rejected_and_tampering_is_restored() {
        let mut doc = run();
        let mut phone = doc.fork();
        phone
            .append(&event(
                "x1",
                RunEventKind::PickedUp {
                    stop: "nope".into(),
                    minute: 481,
                },
                5,
            ))
            .expect("append");
        phone
            .append(&event(
                "x2",
                RunEventKind::PickedUp {
                    stop: "s1".into(),
                    minute: 481,
                },
                6,
            ))
            .expect("append");
        phone
            .append(&event(
                "x3",
                RunEventKind::Cancelled {
                    stop: "s1".into(),
                    minute: 481,
                },
                5,
            ))
            .expect("append");
        phone
            .append(&event(
                "ok",
                RunEventKind::Delivered {
                    stop: "s2".into(),
                    minute: 500,
                },
                5,
            ))
            .expect("append");
        phone
            .automerge()
            .put(ROOT, "vehicle", "Stolen bus")
            .expect("tamper");
        let violations = validate(&doc, &phone, &DRIVER);
        assert_eq!(violations.len(), 4, "{violations:?}");
        assert!(violations.contains(&RunViolation::ServerDataChanged));
        neutralize(&doc, &mut phone, &violations).expect("neutralize");
        assert_eq!(phone.header().expect("header").vehicle, "Bus 1");
        let state = phone.state().expect("state");
        assert_eq!(
            state[0].1.status,
            StopStatus::Planned,
            "all three bad events rejected"
        );
        assert_eq!(
            state[1].1.status,
            StopStatus::Delivered,
            "the good one counts"
        );
        // The corrected document is accepted as the new base.
        let _ = doc.automerge().merge(phone.automerge());
        assert_eq!(doc.rejected().len(), 3);
    }

    #[test]
    fn removing_a_recorded_event_is_undone_by_the_server() {
        let mut doc = run();
        doc.append(&event(
            "e1",
            RunEventKind::PickedUp {
                stop: "s1".into(),
                minute: 481,
            },
            5,
        ))
        .expect("append");
        let mut phone = doc.fork();
        let list = obj_at(&phone.doc, &ROOT, "events").expect("events");
        phone.automerge().delete(&list, 0).expect("delete");
        let violations = validate(&doc, &phone, &DRIVER);
        assert_eq!(violations, vec![RunViolation::EventsChanged]);
        neutralize(&doc, &mut phone, &violations).expect("neutralize");
        assert_eq!(
            phone.state().expect("state")[0].1.status,
            StopStatus::PickedUp
        );
    }

    #[test]
    fn the_server_may_cancel_a_stop() {
        let mut doc = run();
        let mut server = doc.fork();
        server
            .append(&event(
                "c1",
                RunEventKind::Cancelled {
                    stop: "s1".into(),
                    minute: 470,
                },
                0,
            ))
            .expect("append");
        assert_eq!(
            validate(&doc, &server, &RunContext { author: None }),
            vec![]
        );
        assert_eq!(
            server.state().expect("state")[0].1.status,
            StopStatus::Cancelled
        );
    }
}
