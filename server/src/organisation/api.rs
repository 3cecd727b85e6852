//! Organisation and locations API.
use std::collections::HashMap;

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi, Tags};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use sync::Dagdeel;
use sync::dagdeel::format_hhmm;

use super::domain::{
    AddressFields, DagdeelName, DagdeelSetting, check_address, check_agb_code, check_dagdelen,
    normalise_postcode,
};
use super::entity::{location, location_dagdeel, organisation};
use crate::auth::{Auth, Permission, Principal};
use crate::http::page::{fetch_page, find_or_404};
use crate::http::{ApiError, ApiResult, Page, PageParams};
use crate::startup::AppState;
use crate::validation::Violations;

#[derive(Tags)]
enum ApiTags {
    /// The provider (AGB code) and its locations
    Organisation,
}

#[derive(Debug, Object)]
pub struct OrganisationView {
    pub name: String,
    /// The provider's AGB code (8 digits), used in iWmo declarations.
    pub agb_code: String,
    /// Contact address, also used as the web push contact.
    pub contact_email: String,
}

#[derive(Debug, Object)]
pub struct OrganisationInput {
    #[oai(validator(max_length = 200))]
    pub name: String,
    #[oai(validator(max_length = 8))]
    pub agb_code: String,
    #[oai(validator(max_length = 200))]
    pub contact_email: String,
}

#[derive(Debug, Clone, Object)]
pub struct LocationRef {
    pub id: i32,
    pub name: String,
}

#[derive(Debug, Clone, Object)]
pub struct DagdeelSettingView {
    pub dagdeel: DagdeelName,
    /// Local time, HH:MM.
    #[oai(validator(max_length = 5))]
    pub start: String,
    #[oai(validator(max_length = 5))]
    pub end: String,
    /// Places for clients in this dagdeel.
    pub capacity: u32,
}

#[derive(Debug, Object)]
pub struct LocationInput {
    #[oai(validator(max_length = 200))]
    pub name: String,
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
    #[oai(default = "default_true")]
    pub active: bool,
    #[oai(validator(max_items = 3))]
    pub dagdelen: Vec<DagdeelSettingView>,
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Object)]
pub struct LocationView {
    pub id: i32,
    pub name: String,
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
    pub lat: f64,
    pub lon: f64,
    pub active: bool,
    pub dagdelen: Vec<DagdeelSettingView>,
}

pub struct OrganisationApi;

#[OpenApi(tag = "ApiTags::Organisation")]
impl OrganisationApi {
    /// The provider's details.
    #[oai(path = "/organisation", method = "get")]
    async fn get_organisation(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> ApiResult<Json<OrganisationView>> {
        auth.require(Permission::OrganisationRead)?;
        let org = organisation::Entity::find()
            .one(&state.db)
            .await?
            .ok_or(ApiError::NotFound("organisation"))?;
        Ok(Json(OrganisationView {
            name: org.name,
            agb_code: org.agb_code,
            contact_email: org.contact_email,
        }))
    }

    /// Change the provider's details.
    #[oai(path = "/organisation", method = "put")]
    async fn put_organisation(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<OrganisationInput>,
    ) -> ApiResult<Json<OrganisationView>> {
        auth.require(Permission::OrganisationWrite)?;
        let mut v = Violations::new();
        v.check_not_blank(&body.name, "name");
        check_agb_code(&mut v, &body.agb_code);
        v.check(
            body.contact_email.contains('@'),
            "contact_email",
            "must be an email address",
        );
        v.into_result()?;
        let org = organisation::Entity::find()
            .one(&state.db)
            .await?
            .ok_or(ApiError::NotFound("organisation"))?;
        let mut active: organisation::ActiveModel = org.into();
        active.name = Set(body.name.trim().to_owned());
        active.agb_code = Set(body.agb_code.clone());
        active.contact_email = Set(body.contact_email.trim().to_owned());
        let org = active.update(&state.db).await?;
        Ok(Json(OrganisationView {
            name: org.name,
            agb_code: org.agb_code,
            contact_email: org.contact_email,
        }))
    }

    /// Locations the current user works at (all for admin and finance).
    #[oai(path = "/locations", method = "get")]
    async fn list_locations(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        active: Query<Option<bool>>,
        limit: Query<Option<u64>>,
        offset: Query<Option<u64>>,
    ) -> ApiResult<Json<Page<LocationView>>> {
        let me = auth.require(Permission::LocationsRead)?;
        let mut select = location::Entity::find()
            .filter(me.scope_condition(location::Column::Id))
            .order_by_asc(location::Column::Name);
        if let Some(active) = active.0 {
            select = select.filter(location::Column::Active.eq(active));
        }
        let params = PageParams::new(limit.0, offset.0);
        let (locations, total) = fetch_page(select, &state.db, params).await?;
        let items = with_dagdelen(&state.db, locations).await?;
        Ok(Json(Page::new(items, total, params)))
    }

    /// Add a location.
    #[oai(path = "/locations", method = "post")]
    async fn create_location(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<LocationInput>,
    ) -> ApiResult<Json<LocationView>> {
        auth.require(Permission::LocationsWrite)?;
        let dagdelen = validate_location(&body)?;
        let now = chrono::Utc::now();
        let txn = state.db.begin().await?;
        let mut active = location::ActiveModel {
            created_at: Set(now),
            ..Default::default()
        };
        fill(&mut active, &body, now);
        let created = active.insert(&txn).await?;
        replace_dagdelen(&txn, created.id, &dagdelen).await?;
        txn.commit().await?;
        Ok(Json(one_view(&state.db, created).await?))
    }

    /// One location.
    #[oai(path = "/locations/:id", method = "get")]
    async fn get_location(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> ApiResult<Json<LocationView>> {
        let me = auth.require(Permission::LocationsRead)?;
        let found = find_or_404::<location::Entity>(&state.db, id.0, "location").await?;
        let found = me.visible(found.id, found, "location")?;
        Ok(Json(one_view(&state.db, found).await?))
    }

    /// Replace a location and its dagdelen.
    #[oai(path = "/locations/:id", method = "put")]
    async fn update_location(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
        body: Json<LocationInput>,
    ) -> ApiResult<Json<LocationView>> {
        auth.require(Permission::LocationsWrite)?;
        let existing = find_or_404::<location::Entity>(&state.db, id.0, "location").await?;
        let dagdelen = validate_location(&body)?;
        let txn = state.db.begin().await?;
        let mut active: location::ActiveModel = existing.into();
        fill(&mut active, &body, chrono::Utc::now());
        let updated = active.update(&txn).await?;
        replace_dagdelen(&txn, updated.id, &dagdelen).await?;
        txn.commit().await?;
        Ok(Json(one_view(&state.db, updated).await?))
    }

    /// Delete a location that no client, schedule or vehicle refers to; otherwise deactivate it.
    #[oai(path = "/locations/:id", method = "delete")]
    async fn delete_location(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> ApiResult<()> {
        auth.require(Permission::LocationsWrite)?;
        find_or_404::<location::Entity>(&state.db, id.0, "location").await?;
        let txn = state.db.begin().await?;
        location_dagdeel::Entity::delete_many()
            .filter(location_dagdeel::Column::LocationId.eq(id.0))
            .exec(&txn)
            .await?;
        location::Entity::delete_by_id(id.0)
            .exec(&txn)
            .await
            .map_err(|e| match ApiError::from(e) {
                ApiError::Conflict(_) => ApiError::Conflict(
                    "this location still has clients, schedules or vehicles; deactivate it instead"
                        .into(),
                ),
                other => other,
            })?;
        txn.commit().await?;
        Ok(())
    }
}

fn validate_location(input: &LocationInput) -> ApiResult<Vec<(Dagdeel, sync::TimeWindow, u32)>> {
    let mut v = Violations::new();
    v.check_not_blank(&input.name, "name");
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
    let settings: Vec<DagdeelSetting<'_>> = input
        .dagdelen
        .iter()
        .map(|d| DagdeelSetting {
            dagdeel: d.dagdeel,
            start: &d.start,
            end: &d.end,
            capacity: d.capacity,
        })
        .collect();
    let parsed = check_dagdelen(&mut v, &settings);
    v.into_result()?;
    Ok(parsed)
}

fn fill(
    active: &mut location::ActiveModel,
    input: &LocationInput,
    now: chrono::DateTime<chrono::Utc>,
) {
    active.name = Set(input.name.trim().to_owned());
    active.street = Set(input.street.trim().to_owned());
    active.house_number = Set(input.house_number.trim().to_owned());
    active.postcode = Set(normalise_postcode(&input.postcode));
    active.city = Set(input.city.trim().to_owned());
    active.lat = Set(input.lat);
    active.lon = Set(input.lon);
    active.active = Set(input.active);
    active.updated_at = Set(now);
}

async fn replace_dagdelen(
    db: &impl ConnectionTrait,
    location_id: i32,
    dagdelen: &[(Dagdeel, sync::TimeWindow, u32)],
) -> ApiResult<()> {
    location_dagdeel::Entity::delete_many()
        .filter(location_dagdeel::Column::LocationId.eq(location_id))
        .exec(db)
        .await?;
    location_dagdeel::Entity::insert_many(dagdelen.iter().map(|(dagdeel, window, capacity)| {
        location_dagdeel::ActiveModel {
            location_id: Set(location_id),
            dagdeel: Set(dagdeel.as_str().to_owned()),
            start_minute: Set(i32::from(window.start_minute())),
            end_minute: Set(i32::from(window.end_minute())),
            capacity: Set(*capacity as i32),
            ..Default::default()
        }
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// A location's dagdelen, ordered by start time.
pub async fn dagdelen_of(
    db: &impl ConnectionTrait,
    location_ids: &[i32],
) -> ApiResult<HashMap<i32, Vec<location_dagdeel::Model>>> {
    let rows = location_dagdeel::Entity::find()
        .filter(location_dagdeel::Column::LocationId.is_in(location_ids.iter().copied()))
        .order_by_asc(location_dagdeel::Column::StartMinute)
        .all(db)
        .await?;
    let mut by_location: HashMap<i32, Vec<location_dagdeel::Model>> = HashMap::new();
    for row in rows {
        by_location.entry(row.location_id).or_default().push(row);
    }
    Ok(by_location)
}

/// A stored dagdeel row as domain values; None if the row is not valid.
pub fn dagdeel_setting(row: &location_dagdeel::Model) -> Option<(Dagdeel, sync::TimeWindow, u32)> {
    let dagdeel: Dagdeel = row.dagdeel.parse().ok()?;
    let window = sync::TimeWindow::new(
        u16::try_from(row.start_minute).ok()?,
        u16::try_from(row.end_minute).ok()?,
    )
    .ok()?;
    Some((dagdeel, window, u32::try_from(row.capacity).ok()?))
}

pub fn dagdeel_view(row: &location_dagdeel::Model) -> Option<DagdeelSettingView> {
    let (dagdeel, window, capacity) = dagdeel_setting(row)?;
    Some(DagdeelSettingView {
        dagdeel: dagdeel.into(),
        start: format_hhmm(window.start_minute()),
        end: format_hhmm(window.end_minute()),
        capacity,
    })
}

async fn with_dagdelen(
    db: &impl ConnectionTrait,
    locations: Vec<location::Model>,
) -> ApiResult<Vec<LocationView>> {
    let ids: Vec<i32> = locations.iter().map(|l| l.id).collect();
    let mut dagdelen = dagdelen_of(db, &ids).await?;
    Ok(locations
        .into_iter()
        .map(|l| {
            let settings = dagdelen.remove(&l.id).unwrap_or_default();
            LocationView {
                id: l.id,
                name: l.name,
                street: l.street,
                house_number: l.house_number,
                postcode: l.postcode,
                city: l.city,
                lat: l.lat,
                lon: l.lon,
                active: l.active,
                dagdelen: settings.iter().filter_map(dagdeel_view).collect(),
            }
        })
        .collect())
}

async fn one_view(db: &impl ConnectionTrait, location: location::Model) -> ApiResult<LocationView> {
    with_dagdelen(db, vec![location])
        .await?
        .pop()
        .ok_or(ApiError::NotFound("location"))
}

/// The locations a user may see, for their home screen.
pub async fn locations_in_scope(
    db: &impl ConnectionTrait,
    principal: &Principal,
) -> ApiResult<Vec<LocationRef>> {
    Ok(location::Entity::find()
        .filter(principal.scope_condition(location::Column::Id))
        .filter(location::Column::Active.eq(true))
        .order_by_asc(location::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|l| LocationRef {
            id: l.id,
            name: l.name,
        })
        .collect())
}
