//! A collection of reusable algorithms without dependencies on any other module in the project.

pub mod gsom;
pub mod math;
pub mod rl;
