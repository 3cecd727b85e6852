//! Billing: contract rules, the rules engine, month close and iWmo WMO323 declarations.
pub mod api;
pub mod close;
pub mod compute;
pub mod declaration;
pub mod engine;
pub mod entity;
pub mod month;
pub mod rules;
pub mod storage;
pub mod wmo323;
