//! The API's security schemes: the PWA's session cookie or an API client's bearer token.
use poem::Request;
use poem_openapi::SecurityScheme;
use poem_openapi::auth::{ApiKey, Bearer};

use super::policy::{Permission, Principal};
use super::session;
use crate::http::ApiError;
use crate::startup::AppState;

pub const SESSION_COOKIE: &str = "dagstaat_session";

/// An authenticated request: who, and through which session.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub principal: Principal,
    pub session_id: i32,
}

#[derive(SecurityScheme)]
#[oai(
    ty = "api_key",
    key_name = "dagstaat_session",
    key_in = "cookie",
    checker = "check_cookie"
)]
pub struct CookieAuth(Authenticated);

#[derive(SecurityScheme)]
#[oai(ty = "bearer", checker = "check_bearer")]
pub struct BearerAuth(Authenticated);

#[derive(SecurityScheme)]
pub enum Auth {
    Bearer(BearerAuth),
    Cookie(CookieAuth),
}

impl Auth {
    pub fn authenticated(&self) -> &Authenticated {
        match self {
            Auth::Bearer(BearerAuth(a)) | Auth::Cookie(CookieAuth(a)) => a,
        }
    }

    pub fn principal(&self) -> &Principal {
        &self.authenticated().principal
    }

    /// The one check every endpoint starts with.
    pub fn require(&self, permission: Permission) -> Result<&Principal, ApiError> {
        self.principal().require(permission)
    }
}

async fn check_cookie(req: &Request, key: ApiKey) -> poem::Result<Authenticated> {
    authenticate(req, &key.key).await
}

async fn check_bearer(req: &Request, bearer: Bearer) -> poem::Result<Authenticated> {
    authenticate(req, &bearer.token).await
}

async fn authenticate(req: &Request, token: &str) -> poem::Result<Authenticated> {
    let state = req
        .data::<AppState>()
        .ok_or_else(|| ApiError::Internal("application state missing".into()))?;
    match session::principal_for_token(&state.db, token)
        .await
        .map_err(ApiError::from)?
    {
        Some((principal, session_id)) => Ok(Authenticated {
            principal,
            session_id,
        }),
        None => Err(ApiError::Unauthenticated.into()),
    }
}
