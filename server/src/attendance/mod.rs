//! Attendance: the dagstaat documents coaches edit offline, their sync hub, and the projection
//! into relational rows that occupancy and billing read.
pub mod api;
pub mod documents;
pub mod entity;
pub mod hub;
pub mod listener;
pub mod projection;
pub mod socket;
