//! Common models.

mod dimens;
pub use self::dimens::*;

mod domain;
pub use self::domain::*;

mod load;
pub use self::load::*;

mod primitives;
pub use self::primitives::*;
