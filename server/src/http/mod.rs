//! HTTP plumbing shared by all capabilities: errors, pagination, the assembled routes.
pub mod error;
pub mod page;
pub mod routes;

pub use error::{ApiError, ApiResult};
pub use page::{Page, PageParams};
