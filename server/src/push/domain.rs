//! Push rules (pure): what a notification may contain, how big it may be, and what an answer
//! from a push service means.
use std::time::Duration;

use serde::Serialize;

/// The largest payload we send. Push services accept 4096 bytes of encrypted record; with
/// aes128gcm overhead, 3052 bytes of plaintext is the widely used safe limit.
pub const MAX_PAYLOAD_BYTES: usize = 3052;

/// Why someone is notified. The texts carry names and times only: never a BSN or care details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A driver could not pick a client up (to the coaches of the location).
    NotHome,
    /// A stop was cancelled because the client is ill (to the driver).
    StopCancelled,
    /// Tomorrow a dagdeel has more clients than places (to the coordinators).
    CapacityExceeded,
    /// An allocation ends soon: request re-indication (to the coordinators).
    AllocationExpiring,
    /// Sent on request, to check notifications arrive.
    Test,
}

/// What the service worker shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    pub kind: Kind,
    pub title: String,
    pub body: String,
    /// Where a tap leads, inside the PWA (`#/...`).
    pub url: String,
    /// Replaces an earlier notification with the same tag instead of stacking.
    pub tag: String,
}

impl Notification {
    /// The JSON payload, with the body shortened (on a character boundary) to fit the limit.
    pub fn payload(&self) -> Vec<u8> {
        let mut n = self.clone();
        loop {
            let bytes = serde_json::to_vec(&n).unwrap_or_default();
            if bytes.len() <= MAX_PAYLOAD_BYTES || n.body.is_empty() {
                return bytes;
            }
            let excess = bytes.len() - MAX_PAYLOAD_BYTES;
            let mut keep = n.body.len().saturating_sub(excess + 3);
            while !n.body.is_char_boundary(keep) {
                keep -= 1;
            }
            n.body.truncate(keep);
            n.body.push('…');
        }
    }
}

/// What to do after a push service answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    /// 404 or 410: the subscription is gone; forget it.
    Expired,
    /// 429, 5xx or no answer: try again later.
    Retry,
    /// Anything else (400, 401, 413): retrying will not help.
    Failed,
}

pub fn outcome(status: Option<u16>) -> Outcome {
    match status {
        Some(200..=299) => Outcome::Delivered,
        Some(404 | 410) => Outcome::Expired,
        Some(429 | 500..=599) | None => Outcome::Retry,
        Some(_) => Outcome::Failed,
    }
}

/// Waits before the next attempt: 1 s, 2 s, 4 s ..., or what the service asked for (capped).
pub fn backoff(attempt: u32, retry_after: Option<Duration>) -> Duration {
    let exponential = Duration::from_secs(1u64 << attempt.min(6));
    retry_after
        .unwrap_or(exponential)
        .min(Duration::from_secs(60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notification(body: String) -> Notification {
        Notification {
            kind: Kind::Test,
            title: "Test".into(),
            body,
            url: "#/".into(),
            tag: "test".into(),
        }
    }

    #[test]
    fn payload_fits_the_limit_even_with_multibyte_text() {
        let long = "é".repeat(4000);
        let payload = notification(long).payload();
        assert!(payload.len() <= MAX_PAYLOAD_BYTES, "{}", payload.len());
        let parsed: serde_json::Value = serde_json::from_slice(&payload).unwrap();
        assert!(parsed["body"].as_str().unwrap().ends_with('…'));
        let short = notification("Hallo".into()).payload();
        assert!(
            String::from_utf8(short)
                .unwrap()
                .contains("\"body\":\"Hallo\"")
        );
    }

    #[test]
    fn answers_decide_what_happens_next() {
        assert_eq!(outcome(Some(201)), Outcome::Delivered);
        assert_eq!(outcome(Some(410)), Outcome::Expired);
        assert_eq!(outcome(Some(404)), Outcome::Expired);
        assert_eq!(outcome(Some(429)), Outcome::Retry);
        assert_eq!(outcome(Some(503)), Outcome::Retry);
        assert_eq!(outcome(None), Outcome::Retry);
        assert_eq!(outcome(Some(413)), Outcome::Failed);
    }

    #[test]
    fn backoff_doubles_and_respects_retry_after() {
        assert_eq!(backoff(0, None), Duration::from_secs(1));
        assert_eq!(backoff(3, None), Duration::from_secs(8));
        assert_eq!(backoff(20, None), Duration::from_secs(60));
        assert_eq!(
            backoff(0, Some(Duration::from_secs(5))),
            Duration::from_secs(5)
        );
    }
}
