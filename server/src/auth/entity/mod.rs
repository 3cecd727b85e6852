pub mod session;
pub mod user;
pub mod user_location;
