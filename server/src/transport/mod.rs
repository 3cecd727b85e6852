//! Transport: vehicles, the organisation's transport settings, route planning (plans made in the
//! background with vrp-core behind `routing::Solver`, checked by `routing::check`), planner edits.
pub mod api;
pub mod entity;
pub mod plans;
pub mod plans_api;
pub mod publish;
pub mod riders;
pub mod runs;
pub mod settings;
pub mod travel;
