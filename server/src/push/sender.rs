//! Sending web push: VAPID-signed, aes128gcm-encrypted (web-push crate), delivered with our own
//! HTTP client, concurrently, with retries and removal of expired subscriptions.
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use futures_util::StreamExt;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set,
};
use web_push::{
    ContentEncoding, PartialVapidSignatureBuilder, SubscriptionInfo, VapidSignatureBuilder,
    WebPushMessageBuilder, request_builder,
};

use super::domain::{Notification, Outcome, backoff, outcome};
use super::entity::{push_subscription, vapid_key};
use crate::organisation::entity::organisation;

/// Attempts per subscription before giving up on a service that keeps failing.
const MAX_ATTEMPTS: u32 = 4;
/// Deliveries in flight at once.
const CONCURRENCY: usize = 64;
/// How long a push service keeps an undelivered notification (the phone may be off).
const TTL_SECONDS: u32 = 24 * 3600;

#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error(transparent)]
    Database(#[from] DbErr),
    #[error("VAPID key: {0}")]
    Key(String),
    #[error("{0}")]
    Other(String),
}

/// What a fan-out achieved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, poem_openapi::Object)]
pub struct Report {
    pub delivered: u32,
    /// Subscriptions the push service no longer knows; they were removed.
    pub expired: u32,
    pub failed: u32,
}

impl std::ops::AddAssign for Report {
    fn add_assign(&mut self, other: Report) {
        self.delivered += other.delivered;
        self.expired += other.expired;
        self.failed += other.failed;
    }
}

pub struct PushService {
    db: DatabaseConnection,
    http: reqwest::Client,
    vapid: PartialVapidSignatureBuilder,
    public_key: String,
}

impl PushService {
    /// Loads the VAPID key pair, generating and storing one on first start.
    pub async fn load_or_create(db: DatabaseConnection) -> Result<PushService, PushError> {
        let key = match vapid_key::Entity::find().one(&db).await? {
            Some(key) => key,
            None => {
                let private_key = generate_private_key()?;
                let public_key = public_key_of(&private_key)?;
                vapid_key::ActiveModel {
                    private_key: Set(private_key),
                    public_key: Set(public_key),
                    created_at: Set(Utc::now()),
                    ..Default::default()
                }
                .insert(&db)
                .await?;
                // Two instances starting together: the first stored key wins for both.
                vapid_key::Entity::find()
                    .one(&db)
                    .await?
                    .ok_or_else(|| PushError::Key("not stored".into()))?
            }
        };
        let vapid = VapidSignatureBuilder::from_base64_no_sub(&key.private_key)
            .map_err(|e| PushError::Key(e.to_string()))?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| PushError::Key(e.to_string()))?;
        Ok(PushService {
            db,
            http,
            vapid,
            public_key: key.public_key,
        })
    }

    /// The applicationServerKey browsers subscribe with (base64url, uncompressed P-256 point).
    pub fn public_key(&self) -> &str {
        &self.public_key
    }

    /// Sends one notification to every subscription of the given users.
    pub async fn notify_users(
        &self,
        user_ids: &[i32],
        notification: &Notification,
    ) -> Result<Report, PushError> {
        let subscriptions = push_subscription::Entity::find()
            .filter(push_subscription::Column::UserId.is_in(user_ids.to_vec()))
            .all(&self.db)
            .await?;
        self.deliver(subscriptions, notification).await
    }

    /// Delivers to the given subscriptions concurrently; removes those that expired.
    pub async fn deliver(
        &self,
        subscriptions: Vec<push_subscription::Model>,
        notification: &Notification,
    ) -> Result<Report, PushError> {
        let contact = self.contact().await?;
        let payload = notification.payload();
        let outcomes: Vec<(i32, Outcome)> = futures_util::stream::iter(subscriptions)
            .map(|s| {
                let (contact, payload) = (&contact, &payload);
                async move { (s.id, self.send_with_retries(&s, payload, contact).await) }
            })
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        let mut report = Report::default();
        let mut expired = Vec::new();
        for (id, result) in outcomes {
            match result {
                Outcome::Delivered => report.delivered += 1,
                Outcome::Expired => {
                    report.expired += 1;
                    expired.push(id);
                }
                Outcome::Retry | Outcome::Failed => report.failed += 1,
            }
        }
        if !expired.is_empty() {
            push_subscription::Entity::delete_many()
                .filter(push_subscription::Column::Id.is_in(expired))
                .exec(&self.db)
                .await?;
        }
        Ok(report)
    }

    /// The VAPID `sub` claim: the provider's real contact address.
    async fn contact(&self) -> Result<String, PushError> {
        let email = organisation::Entity::find()
            .one(&self.db)
            .await?
            .map(|o| o.contact_email)
            .filter(|e| e.contains('@'))
            .unwrap_or_else(|| "beheer@dagstaat.nl".to_owned());
        Ok(format!("mailto:{email}"))
    }

    async fn send_with_retries(
        &self,
        s: &push_subscription::Model,
        payload: &[u8],
        contact: &str,
    ) -> Outcome {
        for attempt in 0..MAX_ATTEMPTS {
            let (result, retry_after) = self.send_once(s, payload, contact).await;
            if result != Outcome::Retry || attempt + 1 == MAX_ATTEMPTS {
                if result == Outcome::Failed || result == Outcome::Retry {
                    tracing::warn!(subscription = s.id, ?result, "push not delivered");
                }
                return result;
            }
            tokio::time::sleep(backoff(attempt, retry_after)).await;
        }
        Outcome::Retry
    }

    async fn send_once(
        &self,
        s: &push_subscription::Model,
        payload: &[u8],
        contact: &str,
    ) -> (Outcome, Option<Duration>) {
        let info = SubscriptionInfo::new(s.endpoint.as_str(), s.p256dh.as_str(), s.auth.as_str());
        let mut signature = self.vapid.clone().add_sub_info(&info);
        signature.add_claim("sub", contact);
        // RFC 8292: the audience is the push service's origin, port included; web-push's default
        // drops a non-default port.
        if let Ok(url) = reqwest::Url::parse(&s.endpoint) {
            signature.add_claim("aud", url.origin().ascii_serialization());
        }
        let message = signature.build().and_then(|signature| {
            let mut builder = WebPushMessageBuilder::new(&info);
            builder.set_payload(ContentEncoding::Aes128Gcm, payload);
            builder.set_vapid_signature(signature);
            builder.set_ttl(TTL_SECONDS);
            builder.build()
        });
        let message = match message {
            Ok(message) => message,
            Err(e) => {
                tracing::warn!(subscription = s.id, error = %e, "push message not built");
                return (Outcome::Failed, None);
            }
        };
        let request = request_builder::build_request::<Vec<u8>>(message);
        let mut outgoing = self.http.post(request.uri().to_string());
        for (name, value) in request.headers() {
            outgoing = outgoing.header(name.as_str(), value.as_bytes());
        }
        match outgoing.body(request.into_body()).send().await {
            Ok(response) => {
                let retry_after = response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<u64>().ok())
                    .map(Duration::from_secs);
                (outcome(Some(response.status().as_u16())), retry_after)
            }
            Err(_) => (outcome(None), None),
        }
    }
}

/// A random P-256 private key, base64url (the form web-push reads).
fn generate_private_key() -> Result<String, PushError> {
    use rand::RngCore;
    // Almost every 32-byte string is a valid scalar; retry the rare one that is not.
    for _ in 0..16 {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let candidate = URL_SAFE_NO_PAD.encode(bytes);
        if VapidSignatureBuilder::from_base64_no_sub(&candidate).is_ok() {
            return Ok(candidate);
        }
    }
    Err(PushError::Key("no valid key generated".into()))
}

fn public_key_of(private_key: &str) -> Result<String, PushError> {
    let builder = VapidSignatureBuilder::from_base64_no_sub(private_key)
        .map_err(|e| PushError::Key(e.to_string()))?;
    Ok(URL_SAFE_NO_PAD.encode(builder.get_public_key()))
}
