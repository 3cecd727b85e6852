//! Web push API: the server's public key, and each user's subscriptions (after consent in the PWA).
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi, Tags};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TryIntoModel};

use super::domain::{Kind, Notification};
use super::entity::push_subscription;
use super::sender::{PushError, Report};
use crate::auth::{Auth, Permission};
use crate::http::{ApiError, ApiResult};
use crate::startup::AppState;
use crate::validation::Violations;

#[derive(Tags)]
enum ApiTags {
    /// Web push notifications
    Push,
}

#[derive(Debug, Object)]
pub struct PushKey {
    /// VAPID public key (base64url), the `applicationServerKey` for `pushManager.subscribe`.
    pub public_key: String,
}

#[derive(Debug, Object)]
pub struct SubscriptionKeys {
    #[oai(validator(max_length = 200))]
    pub p256dh: String,
    #[oai(validator(max_length = 100))]
    pub auth: String,
}

/// A browser PushSubscription as `subscription.toJSON()` gives it.
#[derive(Debug, Object)]
pub struct SubscriptionInput {
    #[oai(validator(max_length = 1000))]
    pub endpoint: String,
    pub keys: SubscriptionKeys,
}

#[derive(Debug, Object)]
pub struct SubscriptionView {
    pub id: i32,
    pub endpoint: String,
    pub created_at: DateTime<Utc>,
}

impl From<push_subscription::Model> for SubscriptionView {
    fn from(s: push_subscription::Model) -> Self {
        SubscriptionView {
            id: s.id,
            endpoint: s.endpoint,
            created_at: s.created_at,
        }
    }
}

impl From<PushError> for ApiError {
    fn from(e: PushError) -> Self {
        match e {
            PushError::Database(e) => e.into(),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

pub struct PushApi;

#[OpenApi(tag = "ApiTags::Push")]
impl PushApi {
    /// The server's VAPID public key.
    #[oai(path = "/push/key", method = "get")]
    async fn key(&self, state: Data<&AppState>, auth: Auth) -> ApiResult<Json<PushKey>> {
        auth.require(Permission::PushSubscribe)?;
        Ok(Json(PushKey {
            public_key: state.push.public_key().to_owned(),
        }))
    }

    /// This user's subscriptions (one per browser that allowed notifications).
    #[oai(path = "/push/subscriptions", method = "get")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> ApiResult<Json<Vec<SubscriptionView>>> {
        let me = auth.require(Permission::PushSubscribe)?;
        Ok(Json(
            push_subscription::Entity::find()
                .filter(push_subscription::Column::UserId.eq(me.user_id))
                .all(&state.db)
                .await?
                .into_iter()
                .map(Into::into)
                .collect(),
        ))
    }

    /// Stores a browser's subscription for this user (replacing an earlier one of the same browser).
    #[oai(path = "/push/subscriptions", method = "post")]
    async fn subscribe(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<SubscriptionInput>,
    ) -> ApiResult<Json<SubscriptionView>> {
        let me = auth.require(Permission::PushSubscribe)?;
        validate(&body)?;
        let existing = push_subscription::Entity::find()
            .filter(push_subscription::Column::Endpoint.eq(&body.endpoint))
            .one(&state.db)
            .await?;
        let mut active =
            existing
                .map(Into::into)
                .unwrap_or_else(|| push_subscription::ActiveModel {
                    endpoint: Set(body.endpoint.clone()),
                    ..Default::default()
                });
        active.user_id = Set(me.user_id);
        active.p256dh = Set(body.keys.p256dh.clone());
        active.auth = Set(body.keys.auth.clone());
        active.created_at = Set(Utc::now());
        Ok(Json(active.save(&state.db).await?.try_into_model()?.into()))
    }

    /// Removes this user's subscription of a browser (notifications switched off).
    #[oai(path = "/push/subscriptions", method = "delete")]
    async fn unsubscribe(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        endpoint: Query<String>,
    ) -> ApiResult<()> {
        let me = auth.require(Permission::PushSubscribe)?;
        let deleted = push_subscription::Entity::delete_many()
            .filter(push_subscription::Column::UserId.eq(me.user_id))
            .filter(push_subscription::Column::Endpoint.eq(&endpoint.0))
            .exec(&state.db)
            .await?;
        if deleted.rows_affected == 0 {
            return Err(ApiError::NotFound("subscription"));
        }
        Ok(())
    }

    /// Sends a test notification to this user's browsers.
    #[oai(path = "/push/test", method = "post")]
    async fn test(&self, state: Data<&AppState>, auth: Auth) -> ApiResult<Json<Report>> {
        let me = auth.require(Permission::PushSubscribe)?;
        let notification = Notification {
            kind: Kind::Test,
            title: "Dagstaat".into(),
            body: "Meldingen staan aan op dit toestel.".into(),
            url: "#/".into(),
            tag: "test".into(),
        };
        Ok(Json(
            state
                .push
                .notify_users(&[me.user_id], &notification)
                .await?,
        ))
    }
}

/// Push services are https; plain http only on this machine (a local test service).
fn endpoint_allowed(endpoint: &str) -> bool {
    let Some(rest) = endpoint
        .strip_prefix("https://")
        .or_else(|| endpoint.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split(['/', ':']).next().unwrap_or("");
    endpoint.starts_with("https://") && !host.is_empty()
        || matches!(host, "127.0.0.1" | "localhost")
}

fn decoded_len(value: &str) -> Option<(usize, u8)> {
    let bytes = URL_SAFE_NO_PAD.decode(value.trim_end_matches('=')).ok()?;
    Some((bytes.len(), *bytes.first()?))
}

fn validate(input: &SubscriptionInput) -> ApiResult<()> {
    let mut v = Violations::new();
    v.check(
        endpoint_allowed(&input.endpoint),
        "endpoint",
        "must be an https URL of a push service",
    );
    v.check(
        matches!(decoded_len(&input.keys.p256dh), Some((65, 4))),
        "keys.p256dh",
        "must be an uncompressed P-256 public key (base64url)",
    );
    v.check(
        matches!(decoded_len(&input.keys.auth), Some((16, _))),
        "keys.auth",
        "must be a 16-byte secret (base64url)",
    );
    Ok(v.into_result()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_this_machine() {
        assert!(endpoint_allowed("https://fcm.googleapis.com/fcm/send/abc"));
        assert!(endpoint_allowed("http://127.0.0.1:8080/push/1"));
        assert!(endpoint_allowed("http://localhost/push"));
        assert!(!endpoint_allowed("http://10.0.0.5/push"));
        assert!(!endpoint_allowed("ftp://example.org"));
        assert!(!endpoint_allowed("https://"));
    }
}
