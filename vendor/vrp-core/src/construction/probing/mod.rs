//! This module responsible for functionality needed to restore feasible solution from infeasible one.

mod repair_solution;
pub use self::repair_solution::*;
