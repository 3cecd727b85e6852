//! Attendance events as coaches record them.
use serde::{Deserialize, Serialize};

/// Why an expected client did not come (see DESIGN.md, glossary "no-show").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoShowReason {
    Ziek,
    Afgemeld,
    Onaangekondigd,
    NietThuis,
    Overig,
}

impl NoShowReason {
    pub const ALL: [NoShowReason; 5] = [
        NoShowReason::Ziek,
        NoShowReason::Afgemeld,
        NoShowReason::Onaangekondigd,
        NoShowReason::NietThuis,
        NoShowReason::Overig,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoShowReason::Ziek => "ziek",
            NoShowReason::Afgemeld => "afgemeld",
            NoShowReason::Onaangekondigd => "onaangekondigd",
            NoShowReason::NietThuis => "niet_thuis",
            NoShowReason::Overig => "overig",
        }
    }

    pub fn parse(s: &str) -> Option<NoShowReason> {
        NoShowReason::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// What happened; the variant names are the `kind` strings stored in the document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EventKind {
    /// The client arrived at `minute` (local time, minutes since midnight).
    CheckIn { client_id: i64, minute: u16 },
    /// The client left at `minute`.
    CheckOut { client_id: i64, minute: u16 },
    /// The client did not come for this dagdeel.
    NoShow {
        client_id: i64,
        dagdeel: crate::Dagdeel,
        reason: NoShowReason,
        note: String,
    },
    /// Takes back an earlier event (by its id); the earlier event stays in the history.
    Undo { target: String },
}

impl EventKind {
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::CheckIn { .. } => "check_in",
            EventKind::CheckOut { .. } => "check_out",
            EventKind::NoShow { .. } => "no_show",
            EventKind::Undo { .. } => "undo",
        }
    }

    pub fn client_id(&self) -> Option<i64> {
        match self {
            EventKind::CheckIn { client_id, .. }
            | EventKind::CheckOut { client_id, .. }
            | EventKind::NoShow { client_id, .. } => Some(*client_id),
            EventKind::Undo { .. } => None,
        }
    }
}

/// One recorded event: what, plus who recorded it and when (as the device claims).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Event {
    /// Unique, chosen by the device (a UUID).
    pub id: String,
    pub kind: EventKind,
    /// The user id the device says recorded it; the server's audit table has the authenticated one.
    pub author: i64,
    /// Device time of recording, RFC 3339.
    pub recorded_at: String,
}
