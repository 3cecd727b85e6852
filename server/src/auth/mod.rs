//! Authentication (password login, sessions, bearer tokens) and authorization (roles, location scope).
pub mod api;
pub mod entity;
pub mod password;
pub mod policy;
pub mod rate_limit;
pub mod scheme;
pub mod session;
pub mod users_api;

pub use policy::{LocationScope, Permission, Principal, Role};
pub use scheme::Auth;
