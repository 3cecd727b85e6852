//! Dagstaat documents and the domain types they share with the server.
//!
//! This crate does no I/O: it is pure logic that the server and tests can call directly.
pub mod dagdeel;
pub mod dagstaat;
pub mod local_time;
pub mod protocol;
pub mod routerun;

pub use dagdeel::{Dagdeel, TimeWindow, TimeWindowError};
pub use local_time::{AMSTERDAM, amsterdam_date};
