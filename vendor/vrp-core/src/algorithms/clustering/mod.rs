//! This module contains implementation of various clustering algorithms.

pub mod dbscan;
