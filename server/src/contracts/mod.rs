//! Municipalities (gemeenten) and their contracts: tariffs per product code and billing rules.
pub mod api;
pub mod domain;
pub mod entity;
