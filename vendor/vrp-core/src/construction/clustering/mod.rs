//! Contains implementation of job clustering algorithms.

pub mod dbscan;
pub mod vicinity;
