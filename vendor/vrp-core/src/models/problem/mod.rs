//! Problem domain models.

mod builders;
pub use self::builders::*;

mod costs;
pub use self::costs::*;

mod fleet;
pub use self::fleet::*;

mod jobs;
pub use self::jobs::*;
