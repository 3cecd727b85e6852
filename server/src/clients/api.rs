//! Clients API. The BSN is only ever returned to roles allowed to read it.
use chrono::NaiveDate;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi, Tags};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use super::domain::{is_bsn, is_plausible_birth_date};
use super::entity::client;
use crate::auth::{Auth, Permission, Principal};
use crate::http::page::{fetch_page, find_or_404};
use crate::http::{ApiResult, Page, PageParams};
use crate::organisation::domain::{AddressFields, check_address, normalise_postcode};
use crate::organisation::entity::location;
use crate::startup::AppState;
use crate::validation::{Violations, is_phone};

#[derive(Tags)]
enum ApiTags {
    /// Clients and their needs
    Clients,
}

#[derive(Debug, Object)]
pub struct ClientInput {
    pub location_id: i32,
    #[oai(validator(max_length = 100))]
    pub first_name: String,
    #[oai(validator(max_length = 100))]
    pub last_name: String,
    /// Citizen service number (9 digits, elfproef).
    #[oai(validator(max_length = 9))]
    pub bsn: String,
    pub birth_date: NaiveDate,
    #[oai(validator(max_length = 200))]
    pub street: String,
    #[oai(validator(max_length = 20))]
    pub house_number: String,
    #[oai(validator(max_length = 7))]
    pub postcode: String,
    #[oai(validator(max_length = 100))]
    pub city: String,
    pub lat: f64,
    pub lon: f64,
    #[oai(validator(max_length = 30))]
    pub phone: String,
    #[oai(default)]
    pub wheelchair: bool,
    #[oai(default)]
    pub walker: bool,
    /// Needs an escort (begeleider) during transport.
    #[oai(default)]
    pub escort: bool,
    #[oai(validator(max_length = 200))]
    pub emergency_contact_name: String,
    #[oai(validator(max_length = 30))]
    pub emergency_contact_phone: String,
    #[oai(default = "default_true")]
    pub active: bool,
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Object)]
pub struct ClientView {
    pub id: i32,
    pub location_id: i32,
    pub first_name: String,
    pub last_name: String,
    /// Only present for finance and admin.
    pub bsn: Option<String>,
    pub birth_date: NaiveDate,
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
    pub lat: f64,
    pub lon: f64,
    pub phone: String,
    pub wheelchair: bool,
    pub walker: bool,
    pub escort: bool,
    pub emergency_contact_name: String,
    pub emergency_contact_phone: String,
    pub active: bool,
}

fn view(c: client::Model, viewer: &Principal) -> ClientView {
    ClientView {
        id: c.id,
        location_id: c.location_id,
        first_name: c.first_name,
        last_name: c.last_name,
        bsn: viewer.may(Permission::BsnRead).then_some(c.bsn),
        birth_date: c.birth_date,
        street: c.street,
        house_number: c.house_number,
        postcode: c.postcode,
        city: c.city,
        lat: c.lat,
        lon: c.lon,
        phone: c.phone,
        wheelchair: c.wheelchair,
        walker: c.walker,
        escort: c.escort,
        emergency_contact_name: c.emergency_contact_name,
        emergency_contact_phone: c.emergency_contact_phone,
        active: c.active,
    }
}

pub struct ClientsApi;

#[OpenApi(tag = "ApiTags::Clients")]
impl ClientsApi {
    /// List clients of the user's locations; search by name with `q`.
    #[allow(clippy::too_many_arguments)]
    #[oai(path = "/clients", method = "get")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        location_id: Query<Option<i32>>,
        q: Query<Option<String>>,
        active: Query<Option<bool>>,
        limit: Query<Option<u64>>,
        offset: Query<Option<u64>>,
    ) -> ApiResult<Json<Page<ClientView>>> {
        let me = auth.require(Permission::ClientsRead)?;
        let mut select = client::Entity::find()
            .filter(me.scope_condition(client::Column::LocationId))
            .order_by_asc(client::Column::LastName)
            .order_by_asc(client::Column::FirstName);
        if let Some(location_id) = location_id.0 {
            me.require_location(location_id)?;
            select = select.filter(client::Column::LocationId.eq(location_id));
        }
        if let Some(active) = active.0 {
            select = select.filter(client::Column::Active.eq(active));
        }
        if let Some(q) = q.0.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let pattern = format!("%{}%", q.to_lowercase().replace(['%', '_'], ""));
            select = select.filter(
                Condition::any()
                    .add(
                        Expr::expr(Func::lower(Expr::col(client::Column::FirstName)))
                            .like(&pattern),
                    )
                    .add(
                        Expr::expr(Func::lower(Expr::col(client::Column::LastName))).like(&pattern),
                    ),
            );
        }
        let params = PageParams::new(limit.0, offset.0);
        let (rows, total) = fetch_page(select, &state.db, params).await?;
        let items = rows.into_iter().map(|c| view(c, me)).collect();
        Ok(Json(Page::new(items, total, params)))
    }

    /// Register a client.
    #[oai(path = "/clients", method = "post")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<ClientInput>,
    ) -> ApiResult<Json<ClientView>> {
        let me = auth.require(Permission::ClientsWrite)?;
        me.require_location(body.location_id)?;
        validate(&state.db, &body).await?;
        let now = chrono::Utc::now();
        let mut active = client::ActiveModel {
            created_at: Set(now),
            ..Default::default()
        };
        fill(&mut active, &body, now);
        let created = active.insert(&state.db).await?;
        tracing::info!(
            client_id = created.id,
            user_id = me.user_id,
            "client created"
        );
        state.hub.refresh_location_logged(created.location_id).await;
        Ok(Json(view(created, me)))
    }

    /// One client.
    #[oai(path = "/clients/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> ApiResult<Json<ClientView>> {
        let me = auth.require(Permission::ClientsRead)?;
        let found = find_visible(&state.db, me, id.0).await?;
        Ok(Json(view(found, me)))
    }

    /// Replace a client's details.
    #[oai(path = "/clients/:id", method = "put")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
        body: Json<ClientInput>,
    ) -> ApiResult<Json<ClientView>> {
        let me = auth.require(Permission::ClientsWrite)?;
        let existing = find_visible(&state.db, me, id.0).await?;
        me.require_location(body.location_id)?;
        validate(&state.db, &body).await?;
        let old_location = existing.location_id;
        let mut active: client::ActiveModel = existing.into();
        fill(&mut active, &body, chrono::Utc::now());
        let updated = active.update(&state.db).await?;
        tracing::info!(
            client_id = updated.id,
            user_id = me.user_id,
            "client updated"
        );
        state.hub.refresh_location_logged(updated.location_id).await;
        if old_location != updated.location_id {
            state.hub.refresh_location_logged(old_location).await;
        }
        Ok(Json(view(updated, me)))
    }

    /// Delete a client with their allocations and schedules (right to erasure).
    #[oai(path = "/clients/:id", method = "delete")]
    async fn delete(&self, state: Data<&AppState>, auth: Auth, id: Path<i32>) -> ApiResult<()> {
        let me = auth.require(Permission::ClientsWrite)?;
        let found = find_visible(&state.db, me, id.0).await?;
        client::Entity::delete_by_id(id.0).exec(&state.db).await?;
        tracing::info!(client_id = id.0, user_id = me.user_id, "client deleted");
        state.hub.refresh_location_logged(found.location_id).await;
        Ok(())
    }
}

/// A client the user may see, or 404.
pub async fn find_visible(
    db: &impl ConnectionTrait,
    me: &Principal,
    id: i32,
) -> ApiResult<client::Model> {
    let found = find_or_404::<client::Entity>(db, id, "client").await?;
    me.visible(found.location_id, found, "client")
}

async fn validate(db: &impl ConnectionTrait, input: &ClientInput) -> ApiResult<()> {
    let mut v = Violations::new();
    v.check_not_blank(&input.first_name, "first_name");
    v.check_not_blank(&input.last_name, "last_name");
    v.check(
        is_bsn(&input.bsn),
        "bsn",
        "is not a valid BSN (9 digits, elfproef)",
    );
    let today = sync::amsterdam_date(chrono::Utc::now());
    v.check(
        is_plausible_birth_date(input.birth_date, today),
        "birth_date",
        "must be in the past and after 1900",
    );
    check_address(
        &mut v,
        &AddressFields {
            street: &input.street,
            house_number: &input.house_number,
            postcode: &input.postcode,
            city: &input.city,
            lat: input.lat,
            lon: input.lon,
        },
    );
    v.check(is_phone(&input.phone), "phone", "must be a phone number");
    v.check_not_blank(&input.emergency_contact_name, "emergency_contact_name");
    v.check(
        is_phone(&input.emergency_contact_phone),
        "emergency_contact_phone",
        "must be a phone number",
    );
    let location_exists = location::Entity::find_by_id(input.location_id)
        .one(db)
        .await?
        .is_some();
    v.check(location_exists, "location_id", "unknown location");
    Ok(v.into_result()?)
}

fn fill(active: &mut client::ActiveModel, input: &ClientInput, now: chrono::DateTime<chrono::Utc>) {
    active.location_id = Set(input.location_id);
    active.first_name = Set(input.first_name.trim().to_owned());
    active.last_name = Set(input.last_name.trim().to_owned());
    active.bsn = Set(input.bsn.clone());
    active.birth_date = Set(input.birth_date);
    active.street = Set(input.street.trim().to_owned());
    active.house_number = Set(input.house_number.trim().to_owned());
    active.postcode = Set(normalise_postcode(&input.postcode));
    active.city = Set(input.city.trim().to_owned());
    active.lat = Set(input.lat);
    active.lon = Set(input.lon);
    active.phone = Set(input.phone.trim().to_owned());
    active.wheelchair = Set(input.wheelchair);
    active.walker = Set(input.walker);
    active.escort = Set(input.escort);
    active.emergency_contact_name = Set(input.emergency_contact_name.trim().to_owned());
    active.emergency_contact_phone = Set(input.emergency_contact_phone.trim().to_owned());
    active.active = Set(input.active);
    active.updated_at = Set(now);
}
