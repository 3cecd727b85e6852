//! Login rate limiting: failed attempts per account and per client address in a sliding window.
//!
//! Kept in memory per server instance; with several instances behind a balancer an attacker gets
//! at most (instances x limit) attempts per window, still far too few to guess a password.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct LoginLimiter {
    window: Duration,
    per_account: usize,
    per_address: usize,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter::new(Duration::from_secs(15 * 60), 5, 50)
    }
}

impl LoginLimiter {
    pub fn new(window: Duration, per_account: usize, per_address: usize) -> Self {
        LoginLimiter {
            window,
            per_account,
            per_address,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(seconds)` to wait when this account or address has failed too often.
    pub fn check(&self, account: &str, address: &str, now: Instant) -> Result<(), u64> {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let mut wait = None;
        for (key, limit) in [
            (account_key(account), self.per_account),
            (address_key(address), self.per_address),
        ] {
            if let Some(times) = failures.get_mut(&key) {
                times.retain(|t| now.duration_since(*t) < self.window);
                if times.len() >= limit {
                    let oldest = times[0];
                    let seconds = (self.window - now.duration_since(oldest)).as_secs().max(1);
                    wait = Some(wait.map_or(seconds, |w: u64| w.max(seconds)));
                }
            }
        }
        wait.map_or(Ok(()), Err)
    }

    pub fn record_failure(&self, account: &str, address: &str, now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for key in [account_key(account), address_key(address)] {
            failures.entry(key).or_default().push(now);
        }
        if failures.len() > 100_000 {
            failures.retain(|_, times| times.iter().any(|t| now.duration_since(*t) < self.window));
        }
    }

    pub fn record_success(&self, account: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.remove(&account_key(account));
    }
}

fn account_key(account: &str) -> String {
    format!("account:{}", account.trim().to_lowercase())
}

fn address_key(address: &str) -> String {
    format!("address:{address}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_limit_and_recovers_after_window() {
        let limiter = LoginLimiter::new(Duration::from_secs(60), 3, 100);
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check("a@x.nl", "1.2.3.4", start).is_ok());
            limiter.record_failure("A@x.nl", "1.2.3.4", start);
        }
        let wait = limiter.check("a@x.nl", "5.6.7.8", start).unwrap_err();
        assert!((1..=60).contains(&wait));
        assert!(limiter.check("b@x.nl", "1.2.3.4", start).is_ok());
        assert!(
            limiter
                .check("a@x.nl", "1.2.3.4", start + Duration::from_secs(61))
                .is_ok()
        );
    }

    #[test]
    fn address_limit_catches_spraying_many_accounts() {
        let limiter = LoginLimiter::new(Duration::from_secs(60), 3, 4);
        let now = Instant::now();
        for i in 0..4 {
            limiter.record_failure(&format!("user{i}@x.nl"), "9.9.9.9", now);
        }
        assert!(limiter.check("new@x.nl", "9.9.9.9", now).is_err());
        assert!(limiter.check("new@x.nl", "1.1.1.1", now).is_ok());
    }

    #[test]
    fn success_clears_the_account() {
        let limiter = LoginLimiter::new(Duration::from_secs(60), 1, 100);
        let now = Instant::now();
        limiter.record_failure("a@x.nl", "1.1.1.1", now);
        assert!(limiter.check("a@x.nl", "2.2.2.2", now).is_err());
        limiter.record_success("a@x.nl");
        assert!(limiter.check("a@x.nl", "2.2.2.2", now).is_ok());
    }
}
