//! The provider itself and its locations (with dagdeel windows and capacity).
pub mod api;
pub mod domain;
pub mod entity;
