//! Toewijzingen: a municipality's allocation of one product (dagbesteding 07 or vervoer 08) to a client.
pub mod api;
pub mod domain;
pub mod entity;
