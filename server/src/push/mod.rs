//! Web push: VAPID keys, subscriptions, sending with retries, and the events that notify.
pub mod api;
pub mod domain;
pub mod entity;
pub mod events;
pub mod sender;
