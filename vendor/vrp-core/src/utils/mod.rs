//! A collection of various utility helpers.

// Reimport rosomaxa utils
pub use rosomaxa::utils::*;

mod types;
pub use self::types::Either;
