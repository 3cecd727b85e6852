pub mod push_log;
pub mod push_subscription;
pub mod vapid_key;
