//! User administration (admin only): accounts, roles and the locations they are scoped to.
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi, Tags};
use sea_orm::prelude::DateTimeUtc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use super::entity::{user, user_location};
use super::password::{self, MIN_PASSWORD_LEN};
use super::policy::{Permission, Role};
use super::scheme::Auth;
use super::session;
use crate::http::page::{fetch_page, find_or_404};
use crate::http::{ApiError, ApiResult, Page, PageParams};
use crate::organisation::entity::location;
use crate::startup::AppState;
use crate::validation::Violations;

#[derive(Tags)]
enum ApiTags {
    /// User accounts and roles (admin)
    Users,
}

#[derive(Debug, Object)]
pub struct UserInput {
    #[oai(validator(max_length = 200))]
    pub email: String,
    #[oai(validator(max_length = 200))]
    pub display_name: String,
    pub role: Role,
    /// Required when creating; when updating, leave out to keep the current password.
    #[oai(validator(max_length = 200))]
    pub password: Option<String>,
    #[oai(default = "default_true")]
    pub active: bool,
    /// Locations this user works at (ignored for admin and finance, who see all).
    #[oai(default)]
    pub location_ids: Vec<i32>,
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Object)]
pub struct UserView {
    pub id: i32,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    pub location_ids: Vec<i32>,
    pub created_at: DateTimeUtc,
}

pub struct UsersApi;

#[OpenApi(tag = "ApiTags::Users")]
impl UsersApi {
    /// List users.
    #[oai(path = "/users", method = "get")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        role: Query<Option<Role>>,
        limit: Query<Option<u64>>,
        offset: Query<Option<u64>>,
    ) -> ApiResult<Json<Page<UserView>>> {
        auth.require(Permission::UsersRead)?;
        let mut select = user::Entity::find().order_by_asc(user::Column::Email);
        if let Some(role) = role.0 {
            select = select.filter(user::Column::Role.eq(role.as_str()));
        }
        let params = PageParams::new(limit.0, offset.0);
        let (users, total) = fetch_page(select, &state.db, params).await?;
        let mut items = Vec::with_capacity(users.len());
        for user in users {
            items.push(view(&state.db, user).await?);
        }
        Ok(Json(Page::new(items, total, params)))
    }

    /// Create a user.
    #[oai(path = "/users", method = "post")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<UserInput>,
    ) -> ApiResult<Json<UserView>> {
        auth.require(Permission::UsersWrite)?;
        let password = body.password.as_deref().unwrap_or_default();
        validate(&state.db, &body, true).await?;
        let hash = hash_password(password).await?;
        let txn = state.db.begin().await?;
        let created = user::ActiveModel {
            email: Set(normalise_email(&body.email)),
            display_name: Set(body.display_name.trim().to_owned()),
            role: Set(body.role.as_str().to_owned()),
            password_hash: Set(hash),
            active: Set(body.active),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        replace_locations(&txn, created.id, &body.location_ids).await?;
        txn.commit().await?;
        Ok(Json(view(&state.db, created).await?))
    }

    /// One user.
    #[oai(path = "/users/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> ApiResult<Json<UserView>> {
        auth.require(Permission::UsersRead)?;
        let found = find_or_404::<user::Entity>(&state.db, id.0, "user").await?;
        Ok(Json(view(&state.db, found).await?))
    }

    /// Replace a user's details; a new password or deactivation logs them out everywhere.
    #[oai(path = "/users/:id", method = "put")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
        body: Json<UserInput>,
    ) -> ApiResult<Json<UserView>> {
        let me = auth.require(Permission::UsersWrite)?;
        let existing = find_or_404::<user::Entity>(&state.db, id.0, "user").await?;
        if existing.id == me.user_id && (!body.active || body.role != Role::Admin) {
            return Err(ApiError::Conflict(
                "you cannot remove your own admin role or deactivate yourself".into(),
            ));
        }
        validate(&state.db, &body, false).await?;
        let new_hash = match body.password.as_deref() {
            Some(password) => Some(hash_password(password).await?),
            None => None,
        };
        let revoke = new_hash.is_some() || !body.active;
        let txn = state.db.begin().await?;
        let mut active: user::ActiveModel = existing.into();
        active.email = Set(normalise_email(&body.email));
        active.display_name = Set(body.display_name.trim().to_owned());
        active.role = Set(body.role.as_str().to_owned());
        active.active = Set(body.active);
        if let Some(hash) = new_hash {
            active.password_hash = Set(hash);
        }
        let updated = active.update(&txn).await?;
        replace_locations(&txn, updated.id, &body.location_ids).await?;
        if revoke {
            session::revoke_all_for_user(&txn, updated.id).await?;
        }
        txn.commit().await?;
        Ok(Json(view(&state.db, updated).await?))
    }

    /// Delete a user (their sessions end at once).
    #[oai(path = "/users/:id", method = "delete")]
    async fn delete(&self, state: Data<&AppState>, auth: Auth, id: Path<i32>) -> ApiResult<()> {
        let me = auth.require(Permission::UsersWrite)?;
        find_or_404::<user::Entity>(&state.db, id.0, "user").await?;
        if id.0 == me.user_id {
            return Err(ApiError::Conflict("you cannot delete yourself".into()));
        }
        user::Entity::delete_by_id(id.0).exec(&state.db).await?;
        Ok(())
    }
}

pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

async fn hash_password(password: &str) -> ApiResult<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || password::hash(&password))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(|e| ApiError::Internal(e.to_string()))
}

async fn validate(db: &impl ConnectionTrait, input: &UserInput, creating: bool) -> ApiResult<()> {
    let mut v = Violations::new();
    let email = normalise_email(&input.email);
    v.check(
        email.len() >= 3 && email.contains('@') && !email.contains(char::is_whitespace),
        "email",
        "must be an email address",
    );
    v.check_not_blank(&input.display_name, "display_name");
    match input.password.as_deref() {
        None if creating => v.add("password", "is required for a new user"),
        Some(p) if p.chars().count() < MIN_PASSWORD_LEN => v.add(
            "password",
            format!("must be at least {MIN_PASSWORD_LEN} characters"),
        ),
        _ => {}
    }
    if !input.location_ids.is_empty() {
        let known = location::Entity::find()
            .filter(location::Column::Id.is_in(input.location_ids.iter().copied()))
            .all(db)
            .await?
            .len();
        let mut unique = input.location_ids.clone();
        unique.sort_unstable();
        unique.dedup();
        v.check(
            known == unique.len(),
            "location_ids",
            "contains an unknown location",
        );
    }
    v.check(
        input.role.is_organisation_wide() || !input.location_ids.is_empty(),
        "location_ids",
        "a coordinator, coach or driver needs at least one location",
    );
    Ok(v.into_result()?)
}

async fn replace_locations(
    db: &impl ConnectionTrait,
    user_id: i32,
    location_ids: &[i32],
) -> ApiResult<()> {
    user_location::Entity::delete_many()
        .filter(user_location::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    let mut ids = location_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    user_location::Entity::insert_many(ids.into_iter().map(|location_id| {
        user_location::ActiveModel {
            user_id: Set(user_id),
            location_id: Set(location_id),
        }
    }))
    .exec(db)
    .await?;
    Ok(())
}

async fn view(db: &impl ConnectionTrait, user: user::Model) -> ApiResult<UserView> {
    let location_ids = session::location_ids(db, user.id).await?;
    let role = user.role.parse::<Role>().map_err(ApiError::Internal)?;
    Ok(UserView {
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        role,
        active: user.active,
        location_ids,
        created_at: user.created_at,
    })
}
