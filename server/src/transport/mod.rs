//! Transport: vehicles now; route planning and route runs build on this.
pub mod api;
pub mod entity;
