//! Login, logout, bearer tokens and "who am I".
use std::time::Instant;

use chrono::Duration;
use poem::Request;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi, Tags};
use sea_orm::prelude::DateTimeUtc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::entity::user;
use super::password;
use super::policy::{Permission, Principal, Role};
use super::scheme::{Auth, SESSION_COOKIE};
use super::session::{self, SessionKind};
use crate::http::{ApiError, ApiResult};
use crate::organisation::api::{LocationRef, locations_in_scope};
use crate::startup::AppState;

#[derive(Tags)]
enum ApiTags {
    /// Login, logout and the current user
    Auth,
}

#[derive(Debug, Object)]
pub struct LoginRequest {
    #[oai(validator(max_length = 200))]
    pub email: String,
    #[oai(validator(max_length = 200))]
    pub password: String,
}

/// The logged-in user, their role and the locations they work at.
#[derive(Debug, Object)]
pub struct Me {
    pub id: i32,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub locations: Vec<LocationRef>,
    /// Whether this user may see citizen service numbers (BSN).
    pub may_read_bsn: bool,
}

#[derive(Debug, Object)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub expires_at: DateTimeUtc,
    pub user: Me,
}

#[derive(ApiResponse)]
pub enum LoginResponse {
    /// Logged in; the session cookie is set.
    #[oai(status = 200)]
    Ok(Json<Me>, #[oai(header = "Set-Cookie")] String),
}

#[derive(ApiResponse)]
pub enum LogoutResponse {
    /// Logged out; the session is revoked and the cookie cleared.
    #[oai(status = 204)]
    Done(#[oai(header = "Set-Cookie")] String),
}

pub struct AuthApi;

#[OpenApi(tag = "ApiTags::Auth")]
impl AuthApi {
    /// Log in with email and password; sets an HttpOnly session cookie (for the PWA).
    #[oai(path = "/auth/login", method = "post")]
    async fn login(&self, req: &Request, body: Json<LoginRequest>) -> ApiResult<LoginResponse> {
        let state = AppState::of(req)?;
        let principal = check_credentials(state, req, &body).await?;
        let ttl = Duration::days(state.config.session_days);
        let new = session::create(&state.db, principal.user_id, SessionKind::Cookie, ttl).await?;
        let cookie = session_cookie(&new.token, ttl.num_seconds(), state.config.cookie_secure);
        Ok(LoginResponse::Ok(
            Json(me(state, &principal).await?),
            cookie,
        ))
    }

    /// Log in with email and password and receive a bearer token (for API clients).
    #[oai(path = "/auth/token", method = "post")]
    async fn token(
        &self,
        req: &Request,
        body: Json<LoginRequest>,
    ) -> ApiResult<Json<TokenResponse>> {
        let state = AppState::of(req)?;
        let principal = check_credentials(state, req, &body).await?;
        let ttl = Duration::days(state.config.session_days);
        let new = session::create(&state.db, principal.user_id, SessionKind::Bearer, ttl).await?;
        Ok(Json(TokenResponse {
            token: new.token,
            expires_at: new.expires_at,
            user: me(state, &principal).await?,
        }))
    }

    /// Revoke the current session (cookie or bearer token).
    #[oai(path = "/auth/logout", method = "post")]
    async fn logout(&self, req: &Request, auth: Auth) -> ApiResult<LogoutResponse> {
        let state = AppState::of(req)?;
        session::revoke(&state.db, auth.authenticated().session_id).await?;
        Ok(LogoutResponse::Done(session_cookie(
            "",
            0,
            state.config.cookie_secure,
        )))
    }

    /// The current user, role and locations.
    #[oai(path = "/me", method = "get")]
    async fn me(&self, req: &Request, auth: Auth) -> ApiResult<Json<Me>> {
        Ok(Json(me(AppState::of(req)?, auth.principal()).await?))
    }
}

fn session_cookie(token: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    )
}

fn client_address(req: &Request) -> String {
    req.remote_addr()
        .as_socket_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

async fn check_credentials(
    state: &AppState,
    req: &Request,
    body: &LoginRequest,
) -> ApiResult<Principal> {
    let email = body.email.trim().to_lowercase();
    let address = client_address(req);
    state
        .limiter
        .check(&email, &address, Instant::now())
        .map_err(ApiError::RateLimited)?;
    let found = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .filter(user::Column::Active.eq(true))
        .one(&state.db)
        .await?;
    let password = body.password.clone();
    let stored_hash = found.as_ref().map(|u| u.password_hash.clone());
    // Argon2 takes tens of milliseconds of CPU: keep it off the async workers.
    let verified = tokio::task::spawn_blocking(move || match stored_hash {
        Some(hash) => password::verify(&password, &hash),
        None => {
            password::verify_against_dummy(&password);
            false
        }
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    let principal = match (verified, found) {
        (true, Some(user)) => session::principal_for_user(&state.db, user).await?,
        _ => None,
    };
    match principal {
        Some(principal) => {
            state.limiter.record_success(&email);
            tracing::info!(user_id = principal.user_id, "login");
            Ok(principal)
        }
        None => {
            state
                .limiter
                .record_failure(&email, &address, Instant::now());
            Err(ApiError::LoginFailed)
        }
    }
}

async fn me(state: &AppState, principal: &Principal) -> ApiResult<Me> {
    Ok(Me {
        id: principal.user_id,
        email: principal.email.clone(),
        display_name: principal.display_name.clone(),
        role: principal.role,
        locations: locations_in_scope(&state.db, principal).await?,
        may_read_bsn: principal.may(Permission::BsnRead),
    })
}
