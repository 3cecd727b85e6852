//! Sessions: random tokens handed out once, stored only as their SHA-256.
use base64::Engine;
use chrono::{Duration, Utc};
use rand::RngCore;
use sea_orm::prelude::DateTimeUtc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use sha2::{Digest, Sha256};

use super::entity::{session, user, user_location};
use super::policy::{LocationScope, Principal, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// The PWA's HttpOnly cookie.
    Cookie,
    /// An API client's `Authorization: Bearer` token.
    Bearer,
}

impl SessionKind {
    fn as_str(self) -> &'static str {
        match self {
            SessionKind::Cookie => "cookie",
            SessionKind::Bearer => "bearer",
        }
    }
}

pub struct NewSession {
    pub token: String,
    pub expires_at: DateTimeUtc,
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub async fn create(
    db: &impl ConnectionTrait,
    user_id: i32,
    kind: SessionKind,
    ttl: Duration,
) -> Result<NewSession, DbErr> {
    let now = Utc::now();
    session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    let token = new_token();
    let expires_at = now + ttl;
    session::ActiveModel {
        token_hash: Set(token_hash(&token)),
        user_id: Set(user_id),
        kind: Set(kind.as_str().to_owned()),
        created_at: Set(now),
        expires_at: Set(expires_at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(NewSession { token, expires_at })
}

/// The user behind a token, if the session is live and the user active.
pub async fn principal_for_token(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Option<(Principal, i32)>, DbErr> {
    let Some(session) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(token_hash(token)))
        .filter(session::Column::ExpiresAt.gt(Utc::now()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(user) = user::Entity::find_by_id(session.user_id).one(db).await? else {
        return Ok(None);
    };
    if !user.active {
        return Ok(None);
    }
    Ok(principal_for_user(db, user).await?.map(|p| (p, session.id)))
}

pub async fn principal_for_user(
    db: &impl ConnectionTrait,
    user: user::Model,
) -> Result<Option<Principal>, DbErr> {
    let Ok(role) = user.role.parse::<Role>() else {
        tracing::warn!(user_id = user.id, "user has an unknown role; access denied");
        return Ok(None);
    };
    let scope = if role.is_organisation_wide() {
        LocationScope::All
    } else {
        LocationScope::Only(location_ids(db, user.id).await?)
    };
    Ok(Some(Principal {
        user_id: user.id,
        email: user.email,
        display_name: user.display_name,
        role,
        scope,
    }))
}

pub async fn location_ids(db: &impl ConnectionTrait, user_id: i32) -> Result<Vec<i32>, DbErr> {
    Ok(user_location::Entity::find()
        .filter(user_location::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|ul| ul.location_id)
        .collect())
}

pub async fn revoke(db: &impl ConnectionTrait, session_id: i32) -> Result<(), DbErr> {
    session::Entity::delete_by_id(session_id).exec(db).await?;
    Ok(())
}

pub async fn revoke_all_for_user(db: &impl ConnectionTrait, user_id: i32) -> Result<(), DbErr> {
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_eq!(token_hash(&a).len(), 64);
    }
}
