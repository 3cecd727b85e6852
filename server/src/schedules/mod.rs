//! Weekly schedules: which client comes to which location on which weekday and dagdeel.
pub mod api;
pub mod domain;
pub mod entity;
