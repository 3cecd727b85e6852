//! The dagstaat server: REST API, sync hub (later) and the PWA, one binary.
//!
//! One folder per capability, each with its API (`api.rs`), pure domain logic (`domain.rs`)
//! and storage (`entity/`). Shared plumbing lives in `http/`, `db.rs`, `config.rs`.
pub mod allocations;
pub mod attendance;
pub mod auth;
pub mod billing;
pub mod clients;
pub mod config;
pub mod contracts;
pub mod db;
pub mod demo;
pub mod http;
pub mod occupancy;
pub mod organisation;
pub mod push;
pub mod schedules;
pub mod startup;
pub mod transport;
pub mod validation;

pub use config::Config;
pub use startup::{AppState, Server};
