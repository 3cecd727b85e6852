//! Coordinator dashboard: occupancy per location x date x dagdeel, no-show rates and allocation usage.
pub mod api;
pub mod domain;
pub mod entity;
pub mod storage;
pub mod usage;
