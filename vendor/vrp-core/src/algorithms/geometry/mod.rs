//! A module with geometry primitives.

mod point;
pub use self::point::Point;
