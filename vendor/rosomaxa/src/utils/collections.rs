//! dagstaat fork: maps and sets that iterate in insertion order.
//!
//! Upstream uses std's `HashMap`/`HashSet`, whose iteration order depends on a per-process random
//! key and, for jobs and actors, on their heap addresses (they hash by `Arc` pointer). The search
//! iterates several of them, so one seed gave different plans. These aliases keep std's hashing
//! for lookups but iterate in the order entries were inserted, which the search makes the same
//! for the same seed.

pub type HashMap<K, V, S = std::collections::hash_map::RandomState> = indexmap::IndexMap<K, V, S>;
pub type HashSet<T, S = std::collections::hash_map::RandomState> = indexmap::IndexSet<T, S>;
