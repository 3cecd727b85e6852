//! Vehicles API.
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi, Tags};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::entity::vehicle;
use crate::auth::{Auth, Permission, Principal};
use crate::http::page::{fetch_page, find_or_404};
use crate::http::{ApiResult, Page, PageParams};
use crate::organisation::entity::location;
use crate::startup::AppState;
use crate::validation::Violations;

#[derive(Tags)]
enum ApiTags {
    /// Vehicles for transport
    Vehicles,
}

#[derive(Debug, Object)]
pub struct VehicleInput {
    pub location_id: i32,
    #[oai(validator(max_length = 100))]
    pub name: String,
    #[oai(validator(max_length = 12))]
    pub license_plate: String,
    /// Seated passengers, excluding the driver.
    #[oai(validator(minimum(value = "0"), maximum(value = "60")))]
    pub seats: i32,
    #[oai(validator(minimum(value = "0"), maximum(value = "10")))]
    pub wheelchair_places: i32,
    #[oai(default = "default_true")]
    pub active: bool,
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Object)]
pub struct VehicleView {
    pub id: i32,
    pub location_id: i32,
    pub name: String,
    pub license_plate: String,
    pub seats: i32,
    pub wheelchair_places: i32,
    pub active: bool,
}

impl From<vehicle::Model> for VehicleView {
    fn from(v: vehicle::Model) -> Self {
        VehicleView {
            id: v.id,
            location_id: v.location_id,
            name: v.name,
            license_plate: v.license_plate,
            seats: v.seats,
            wheelchair_places: v.wheelchair_places,
            active: v.active,
        }
    }
}

pub struct VehiclesApi;

#[OpenApi(tag = "ApiTags::Vehicles")]
impl VehiclesApi {
    /// List vehicles of the user's locations.
    #[oai(path = "/vehicles", method = "get")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        location_id: Query<Option<i32>>,
        limit: Query<Option<u64>>,
        offset: Query<Option<u64>>,
    ) -> ApiResult<Json<Page<VehicleView>>> {
        let me = auth.require(Permission::VehiclesRead)?;
        let mut select = vehicle::Entity::find()
            .filter(me.scope_condition(vehicle::Column::LocationId))
            .order_by_asc(vehicle::Column::Name);
        if let Some(location_id) = location_id.0 {
            me.require_location(location_id)?;
            select = select.filter(vehicle::Column::LocationId.eq(location_id));
        }
        let params = PageParams::new(limit.0, offset.0);
        let (rows, total) = fetch_page(select, &state.db, params).await?;
        Ok(Json(Page::new(
            rows.into_iter().map(Into::into).collect(),
            total,
            params,
        )))
    }

    /// Add a vehicle.
    #[oai(path = "/vehicles", method = "post")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<VehicleInput>,
    ) -> ApiResult<Json<VehicleView>> {
        let me = auth.require(Permission::VehiclesWrite)?;
        validate(&state.db, me, &body).await?;
        let mut active = <vehicle::ActiveModel as Default>::default();
        fill(&mut active, &body);
        Ok(Json(active.insert(&state.db).await?.into()))
    }

    /// One vehicle.
    #[oai(path = "/vehicles/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> ApiResult<Json<VehicleView>> {
        let me = auth.require(Permission::VehiclesRead)?;
        let found = find_or_404::<vehicle::Entity>(&state.db, id.0, "vehicle").await?;
        Ok(Json(
            me.visible(found.location_id, found, "vehicle")?.into(),
        ))
    }

    /// Replace a vehicle.
    #[oai(path = "/vehicles/:id", method = "put")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
        body: Json<VehicleInput>,
    ) -> ApiResult<Json<VehicleView>> {
        let me = auth.require(Permission::VehiclesWrite)?;
        let found = find_or_404::<vehicle::Entity>(&state.db, id.0, "vehicle").await?;
        let existing = me.visible(found.location_id, found, "vehicle")?;
        validate(&state.db, me, &body).await?;
        let mut active: vehicle::ActiveModel = existing.into();
        fill(&mut active, &body);
        Ok(Json(active.update(&state.db).await?.into()))
    }

    /// Delete a vehicle.
    #[oai(path = "/vehicles/:id", method = "delete")]
    async fn delete(&self, state: Data<&AppState>, auth: Auth, id: Path<i32>) -> ApiResult<()> {
        let me = auth.require(Permission::VehiclesWrite)?;
        let found = find_or_404::<vehicle::Entity>(&state.db, id.0, "vehicle").await?;
        me.visible(found.location_id, found, "vehicle")?;
        vehicle::Entity::delete_by_id(id.0).exec(&state.db).await?;
        Ok(())
    }
}

async fn validate(
    db: &impl ConnectionTrait,
    me: &Principal,
    input: &VehicleInput,
) -> ApiResult<()> {
    me.require_location(input.location_id)?;
    let mut v = Violations::new();
    v.check_not_blank(&input.name, "name");
    v.check_not_blank(&input.license_plate, "license_plate");
    v.check(
        input.seats + input.wheelchair_places > 0,
        "seats",
        "a vehicle carries at least one passenger",
    );
    let location_exists = location::Entity::find_by_id(input.location_id)
        .one(db)
        .await?
        .is_some();
    v.check(location_exists, "location_id", "unknown location");
    Ok(v.into_result()?)
}

fn fill(active: &mut vehicle::ActiveModel, input: &VehicleInput) {
    active.location_id = Set(input.location_id);
    active.name = Set(input.name.trim().to_owned());
    active.license_plate = Set(input.license_plate.trim().to_uppercase());
    active.seats = Set(input.seats);
    active.wheelchair_places = Set(input.wheelchair_places);
    active.active = Set(input.active);
}
