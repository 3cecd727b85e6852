//! Allocations (toewijzingen) API.
use chrono::NaiveDate;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi, Tags};
use sea_orm::sea_query::Query as SqlQuery;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use super::domain::{AllocationFields, Frequency, check_allocation};
use super::entity::allocation;
use crate::auth::{Auth, Permission, Principal};
use crate::clients::api::find_visible;
use crate::clients::entity::client;
use crate::contracts::domain::{ProductCategory, Unit};
use crate::contracts::entity::municipality;
use crate::http::page::{fetch_page, find_or_404};
use crate::http::{ApiError, ApiResult, Page, PageParams};
use crate::startup::AppState;
use crate::validation::Violations;

#[derive(Tags)]
enum ApiTags {
    /// Toewijzingen: allocations per client from municipalities
    Allocations,
}

#[derive(Debug, Object)]
pub struct AllocationInput {
    pub client_id: i32,
    pub municipality_id: i32,
    /// ToewijzingNummer from the municipality.
    pub allocation_number: i64,
    pub product_category: ProductCategory,
    #[oai(validator(max_length = 5))]
    pub product_code: String,
    pub unit: Unit,
    pub volume: i32,
    pub frequency: Frequency,
    pub budget_cents: Option<i64>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

#[derive(Debug, Object)]
pub struct AllocationView {
    pub id: i32,
    pub client_id: i32,
    pub municipality_id: i32,
    pub allocation_number: i64,
    pub product_category: ProductCategory,
    pub product_code: String,
    pub unit: Unit,
    pub volume: i32,
    pub frequency: Frequency,
    pub budget_cents: Option<i64>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

fn view(a: allocation::Model) -> ApiResult<AllocationView> {
    let corrupt = |what: &str, value: &str| ApiError::Internal(format!("stored {what} {value}"));
    Ok(AllocationView {
        id: a.id,
        client_id: a.client_id,
        municipality_id: a.municipality_id,
        allocation_number: a.allocation_number,
        product_category: ProductCategory::from_code(&a.product_category)
            .ok_or_else(|| corrupt("category", &a.product_category))?,
        product_code: a.product_code,
        unit: Unit::from_code(&a.unit_code).ok_or_else(|| corrupt("unit", &a.unit_code))?,
        volume: a.volume,
        frequency: Frequency::from_code(&a.frequency)
            .ok_or_else(|| corrupt("frequency", &a.frequency))?,
        budget_cents: a.budget_cents,
        valid_from: a.valid_from,
        valid_to: a.valid_to,
    })
}

pub struct AllocationsApi;

#[OpenApi(tag = "ApiTags::Allocations")]
impl AllocationsApi {
    /// List allocations; filter by client, location, municipality, category or a date they are valid on.
    #[allow(clippy::too_many_arguments)]
    #[oai(path = "/allocations", method = "get")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        client_id: Query<Option<i32>>,
        location_id: Query<Option<i32>>,
        municipality_id: Query<Option<i32>>,
        product_category: Query<Option<ProductCategory>>,
        date: Query<Option<NaiveDate>>,
        limit: Query<Option<u64>>,
        offset: Query<Option<u64>>,
    ) -> ApiResult<Json<Page<AllocationView>>> {
        let me = auth.require(Permission::AllocationsRead)?;
        let mut clients = me.scope_condition(client::Column::LocationId);
        if let Some(location_id) = location_id.0 {
            me.require_location(location_id)?;
            clients = clients.add(client::Column::LocationId.eq(location_id));
        }
        let mut select = allocation::Entity::find()
            .filter(
                allocation::Column::ClientId.in_subquery(
                    SqlQuery::select()
                        .column(client::Column::Id)
                        .from(client::Entity)
                        .cond_where(clients)
                        .to_owned(),
                ),
            )
            .order_by_asc(allocation::Column::ValidFrom)
            .order_by_asc(allocation::Column::Id);
        if let Some(id) = client_id.0 {
            select = select.filter(allocation::Column::ClientId.eq(id));
        }
        if let Some(id) = municipality_id.0 {
            select = select.filter(allocation::Column::MunicipalityId.eq(id));
        }
        if let Some(category) = product_category.0 {
            select = select.filter(allocation::Column::ProductCategory.eq(category.code()));
        }
        if let Some(date) = date.0 {
            select = select
                .filter(allocation::Column::ValidFrom.lte(date))
                .filter(
                    Condition::any()
                        .add(allocation::Column::ValidTo.is_null())
                        .add(allocation::Column::ValidTo.gte(date)),
                );
        }
        let params = PageParams::new(limit.0, offset.0);
        let (rows, total) = fetch_page(select, &state.db, params).await?;
        let items = rows.into_iter().map(view).collect::<ApiResult<Vec<_>>>()?;
        Ok(Json(Page::new(items, total, params)))
    }

    /// Register an allocation.
    #[oai(path = "/allocations", method = "post")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<AllocationInput>,
    ) -> ApiResult<Json<AllocationView>> {
        let me = auth.require(Permission::AllocationsWrite)?;
        validate(&state.db, me, &body).await?;
        let mut active = <allocation::ActiveModel as Default>::default();
        fill(&mut active, &body);
        Ok(Json(view(active.insert(&state.db).await?)?))
    }

    /// One allocation.
    #[oai(path = "/allocations/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> ApiResult<Json<AllocationView>> {
        let me = auth.require(Permission::AllocationsRead)?;
        Ok(Json(view(
            find_visible_allocation(&state.db, me, id.0).await?,
        )?))
    }

    /// Replace an allocation.
    #[oai(path = "/allocations/:id", method = "put")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
        body: Json<AllocationInput>,
    ) -> ApiResult<Json<AllocationView>> {
        let me = auth.require(Permission::AllocationsWrite)?;
        let existing = find_visible_allocation(&state.db, me, id.0).await?;
        validate(&state.db, me, &body).await?;
        let mut active: allocation::ActiveModel = existing.into();
        fill(&mut active, &body);
        Ok(Json(view(active.update(&state.db).await?)?))
    }

    /// Delete an allocation.
    #[oai(path = "/allocations/:id", method = "delete")]
    async fn delete(&self, state: Data<&AppState>, auth: Auth, id: Path<i32>) -> ApiResult<()> {
        let me = auth.require(Permission::AllocationsWrite)?;
        find_visible_allocation(&state.db, me, id.0).await?;
        allocation::Entity::delete_by_id(id.0)
            .exec(&state.db)
            .await?;
        Ok(())
    }
}

async fn find_visible_allocation(
    db: &impl ConnectionTrait,
    me: &Principal,
    id: i32,
) -> ApiResult<allocation::Model> {
    let found = find_or_404::<allocation::Entity>(db, id, "allocation").await?;
    find_visible(db, me, found.client_id)
        .await
        .map_err(|_| ApiError::NotFound("allocation"))?;
    Ok(found)
}

async fn validate(
    db: &impl ConnectionTrait,
    me: &Principal,
    input: &AllocationInput,
) -> ApiResult<()> {
    let mut v = Violations::new();
    check_allocation(
        &mut v,
        &AllocationFields {
            allocation_number: input.allocation_number,
            product_category: input.product_category,
            product_code: &input.product_code,
            unit: input.unit,
            volume: input.volume,
            budget_cents: input.budget_cents,
            valid_from: input.valid_from,
            valid_to: input.valid_to,
        },
    );
    let client_visible = find_visible(db, me, input.client_id).await.is_ok();
    v.check(client_visible, "client_id", "unknown client");
    let municipality_exists = municipality::Entity::find_by_id(input.municipality_id)
        .one(db)
        .await?
        .is_some();
    v.check(
        municipality_exists,
        "municipality_id",
        "unknown municipality",
    );
    Ok(v.into_result()?)
}

fn fill(active: &mut allocation::ActiveModel, input: &AllocationInput) {
    active.client_id = Set(input.client_id);
    active.municipality_id = Set(input.municipality_id);
    active.allocation_number = Set(input.allocation_number);
    active.product_category = Set(input.product_category.code().to_owned());
    active.product_code = Set(input.product_code.clone());
    active.unit_code = Set(input.unit.code().to_owned());
    active.volume = Set(input.volume);
    active.frequency = Set(input.frequency.code().to_owned());
    active.budget_cents = Set(input.budget_cents);
    active.valid_from = Set(input.valid_from);
    active.valid_to = Set(input.valid_to);
}
