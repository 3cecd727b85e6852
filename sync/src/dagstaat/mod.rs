//! The dagstaat: one automerge document per location per date.
//!
//! Expected clients per dagdeel (written by the server from the schedules) and an append-only list of
//! attendance events (written by coaches' phones). The state of the day is a deterministic fold of the
//! set of events, so any merge order of the same events gives the same state.
pub mod doc;
pub mod event;
pub mod fold;
pub mod index;
pub mod validate;

pub use doc::{DagstaatDoc, DagstaatHeader, DocError, ExpectedClient};
pub use event::{Event, EventKind, NoShowReason};
pub use fold::{ClientDagdeel, DagdeelStatus, DayState, Visit, fold, fold_refs};
pub use index::{EventIndex, NewEvent};
pub use validate::{Violation, check_change, validate_change};
