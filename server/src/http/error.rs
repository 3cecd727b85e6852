//! The one error type of the HTTP layer, mapped once to RFC 9457 problem JSON.
use poem::http::{StatusCode, header};
use poem::{IntoResponse, Response};
use poem_openapi::registry::{MetaMediaType, MetaResponse, MetaResponses, Registry};
use poem_openapi::types::Type;
use poem_openapi::{ApiResponse, Object};
use sea_orm::{DbErr, SqlErr};
use serde::Serialize;

use crate::validation::Invalid;

pub type ApiResult<T> = Result<T, ApiError>;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the input is invalid")]
    Validation(Vec<Invalid>),
    #[error("{0}")]
    BadRequest(String),
    #[error("log in first")]
    Unauthenticated,
    #[error("unknown email address or wrong password")]
    LoginFailed,
    #[error("your role or locations do not allow this")]
    Forbidden,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    #[error("too many failed logins; try again in {0} seconds")]
    RateLimited(u64),
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    /// An internal failure from a lower layer (automerge, a stored document that does not load).
    pub fn internal(error: impl std::fmt::Display) -> ApiError {
        ApiError::Internal(error.to_string())
    }

    /// A stable machine-readable code; the PWA's message catalogue translates it.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Validation(_) => "validation",
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::LoginFailed => "login_failed",
            ApiError::Forbidden => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::Conflict(_) => "conflict",
            ApiError::RateLimited(_) => "rate_limited",
            ApiError::Internal(_) => "internal",
        }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::Validation(vec![Invalid {
            field: field.to_owned(),
            message: message.into(),
        }])
    }
}

impl From<Vec<Invalid>> for ApiError {
    fn from(errors: Vec<Invalid>) -> Self {
        ApiError::Validation(errors)
    }
}

/// SQLite reports an ON DELETE RESTRICT violation as extended code 1811, which sea-orm does not map.
fn is_sqlite_restrict_violation(err: &DbErr) -> bool {
    err.to_string()
        .contains("(code: 1811) FOREIGN KEY constraint failed")
}

impl From<DbErr> for ApiError {
    fn from(err: DbErr) -> Self {
        let kind = err.sql_err().or_else(|| {
            is_sqlite_restrict_violation(&err)
                .then(|| SqlErr::ForeignKeyConstraintViolation(String::new()))
        });
        match kind {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                ApiError::Conflict("this already exists (a unique value is taken)".into())
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => ApiError::Conflict(
                "this refers to something that does not exist, or is still in use".into(),
            ),
            _ => {
                tracing::error!(error = %err, "database error");
                ApiError::Internal(err.to_string())
            }
        }
    }
}

/// RFC 9457 problem details, as every error is answered.
#[derive(Debug, Serialize, Object)]
pub struct Problem {
    #[serde(rename = "type")]
    #[oai(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// What went wrong, in English; the PWA shows a Dutch text chosen by `code`.
    pub detail: String,
    /// Stable machine-readable code: validation, bad_request, unauthenticated, login_failed,
    /// forbidden, not_found, conflict, rate_limited, internal.
    pub code: String,
    /// For `validation`: every invalid field with its problem.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<Invalid>,
}

fn title(status: StatusCode) -> &'static str {
    status.canonical_reason().unwrap_or("Error")
}

pub fn problem_response(
    status: StatusCode,
    code: &str,
    detail: String,
    errors: &[Invalid],
) -> Response {
    let problem = Problem {
        kind: format!("/problems/{code}"),
        title: title(status).to_owned(),
        status: status.as_u16(),
        detail,
        code: code.to_owned(),
        errors: errors.to_vec(),
    };
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    Response::builder()
        .status(status)
        .content_type("application/problem+json")
        .body(body)
}

impl poem::error::ResponseError for ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated | ApiError::LoginFailed => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn as_response(&self) -> Response {
        let errors: &[Invalid] = match self {
            ApiError::Validation(errors) => errors,
            _ => &[],
        };
        let mut response = problem_response(self.status(), self.code(), self.to_string(), errors);
        if let ApiError::RateLimited(seconds) = self
            && let Ok(value) = seconds.to_string().parse()
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

/// Documents the problem responses every endpoint can give.
impl ApiResponse for ApiError {
    fn meta() -> MetaResponses {
        let problem = |status: u16, description: &'static str| MetaResponse {
            description,
            status: Some(status),
            status_range: None,
            content: vec![MetaMediaType {
                content_type: "application/problem+json",
                schema: Problem::schema_ref(),
            }],
            headers: vec![],
        };
        MetaResponses {
            responses: vec![
                problem(400, "Malformed request"),
                problem(401, "Not logged in, or wrong credentials"),
                problem(403, "Role or locations do not allow this"),
                problem(404, "Not found, or outside the user's locations"),
                problem(409, "Conflicts with existing data"),
                problem(422, "Invalid input; `errors` lists every invalid field"),
                problem(429, "Too many failed logins; see Retry-After"),
            ],
        }
    }

    fn register(registry: &mut Registry) {
        Problem::register(registry);
    }
}

/// Turns every error that leaves the app (ours, poem's, poem-openapi's parse errors) into problem JSON.
pub async fn render_error(err: poem::Error) -> Response {
    if let Some(api_error) = err.downcast_ref::<ApiError>() {
        return poem::error::ResponseError::as_response(api_error);
    }
    let status = err.status();
    let (code, detail) = match status {
        StatusCode::UNAUTHORIZED => ("unauthenticated", "log in first".to_owned()),
        StatusCode::NOT_FOUND => ("not_found", "not found".to_owned()),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", err.to_string()),
        s if s.is_server_error() => {
            tracing::error!(error = %err, "unhandled error");
            ("internal", "internal error".to_owned())
        }
        _ => ("bad_request", err.to_string()),
    };
    problem_response(status, code, detail, &[]).into_response()
}
