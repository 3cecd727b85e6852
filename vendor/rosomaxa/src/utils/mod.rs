//! This module contains helper functionality.

mod collections;
pub use self::collections::*;

mod environment;
pub use self::environment::*;

mod error;
pub use self::error::*;

mod iterators;
pub use self::iterators::*;

mod noise;
pub use self::noise::*;

mod parallel;
pub use self::parallel::*;

mod random;
pub use self::random::*;

mod timing;
pub use self::timing::*;

mod types;
pub use self::types::*;
