//! Clients: who comes to dagbesteding, where they live, what they need.
pub mod api;
pub mod domain;
pub mod entity;
