//! Transport planning for dagstaat: the dial-a-ride model (rides from home to the location and
//! back, seats and wheelchair places, time windows, maximum ride time, shift length), travel
//! times, a solver behind our own trait, and an independent checker of every plan. No I/O.
pub mod checker;
pub mod day;
pub mod edit;
pub mod instances;
pub mod model;
mod parallel;
pub mod polish;
pub mod reduce;
mod rng;
pub mod schedule;
pub mod shorten;
pub mod solver;
pub mod travel;
pub mod vrp;

pub use checker::{Report, Violation, check};
pub use model::{
    Load, Plan, PlannedRoute, PlannedStop, Problem, Request, RequestKind, StopKind, Time, Vehicle,
    Visit, Window,
};
pub use solver::{Progress, SolveError, SolveOptions, Solver, Stopped};
pub use travel::{Matrix, RoadModel};
pub use vrp::VrpCoreSolver;
