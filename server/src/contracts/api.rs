//! Municipalities and contracts API.
use chrono::NaiveDate;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi, Tags};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use super::domain::{
    MAX_AMOUNT_CENTS, ProductCategory, Unit, check_municipality_code, check_product_code,
};
use super::entity::{contract, municipality, tariff};
use crate::auth::{Auth, Permission};
use crate::billing::rules::ContractRules;
use crate::http::page::{fetch_page, find_or_404};
use crate::http::{ApiError, ApiResult, Page, PageParams};
use crate::startup::AppState;
use crate::validation::Violations;

#[derive(Tags)]
enum ApiTags {
    /// Municipalities and their contracts
    Contracts,
}

#[derive(Debug, Object)]
pub struct MunicipalityInput {
    #[oai(validator(max_length = 100))]
    pub name: String,
    /// CBS gemeentecode (4 digits).
    #[oai(validator(max_length = 4))]
    pub code: String,
}

#[derive(Debug, Object)]
pub struct MunicipalityView {
    pub id: i32,
    pub name: String,
    pub code: String,
}

impl From<municipality::Model> for MunicipalityView {
    fn from(m: municipality::Model) -> Self {
        MunicipalityView {
            id: m.id,
            name: m.name,
            code: m.code,
        }
    }
}

#[derive(Debug, Clone, Object)]
pub struct TariffView {
    pub product_category: ProductCategory,
    #[oai(validator(max_length = 5))]
    pub product_code: String,
    pub unit: Unit,
    /// Price per unit in euro cents.
    pub tariff_cents: i64,
}

#[derive(Debug, Object)]
pub struct ContractInput {
    pub municipality_id: i32,
    #[oai(validator(max_length = 200))]
    pub name: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    #[oai(validator(max_items = 200))]
    pub tariffs: Vec<TariffView>,
    /// Billing rules (dagdeel definition, counting, no-show policy, ...); omitted fields take the defaults.
    #[oai(default)]
    pub rules: ContractRules,
}

#[derive(Debug, Object)]
pub struct ContractView {
    pub id: i32,
    pub municipality_id: i32,
    pub name: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub tariffs: Vec<TariffView>,
    pub rules: ContractRules,
}

pub struct ContractsApi;

#[OpenApi(tag = "ApiTags::Contracts")]
impl ContractsApi {
    /// List municipalities.
    #[oai(path = "/municipalities", method = "get")]
    async fn list_municipalities(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        limit: Query<Option<u64>>,
        offset: Query<Option<u64>>,
    ) -> ApiResult<Json<Page<MunicipalityView>>> {
        auth.require(Permission::ContractsRead)?;
        let params = PageParams::new(limit.0, offset.0);
        let select = municipality::Entity::find().order_by_asc(municipality::Column::Name);
        let (rows, total) = fetch_page(select, &state.db, params).await?;
        Ok(Json(Page::new(
            rows.into_iter().map(Into::into).collect(),
            total,
            params,
        )))
    }

    /// Add a municipality.
    #[oai(path = "/municipalities", method = "post")]
    async fn create_municipality(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<MunicipalityInput>,
    ) -> ApiResult<Json<MunicipalityView>> {
        auth.require(Permission::ContractsWrite)?;
        validate_municipality(&body)?;
        let created = municipality::ActiveModel {
            name: Set(body.name.trim().to_owned()),
            code: Set(body.code.clone()),
            ..Default::default()
        }
        .insert(&state.db)
        .await?;
        Ok(Json(created.into()))
    }

    /// One municipality.
    #[oai(path = "/municipalities/:id", method = "get")]
    async fn get_municipality(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> ApiResult<Json<MunicipalityView>> {
        auth.require(Permission::ContractsRead)?;
        let found = find_or_404::<municipality::Entity>(&state.db, id.0, "municipality").await?;
        Ok(Json(found.into()))
    }

    /// Change a municipality.
    #[oai(path = "/municipalities/:id", method = "put")]
    async fn update_municipality(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
        body: Json<MunicipalityInput>,
    ) -> ApiResult<Json<MunicipalityView>> {
        auth.require(Permission::ContractsWrite)?;
        let existing = find_or_404::<municipality::Entity>(&state.db, id.0, "municipality").await?;
        validate_municipality(&body)?;
        let mut active: municipality::ActiveModel = existing.into();
        active.name = Set(body.name.trim().to_owned());
        active.code = Set(body.code.clone());
        Ok(Json(active.update(&state.db).await?.into()))
    }

    /// Delete a municipality without contracts or allocations.
    #[oai(path = "/municipalities/:id", method = "delete")]
    async fn delete_municipality(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> ApiResult<()> {
        auth.require(Permission::ContractsWrite)?;
        find_or_404::<municipality::Entity>(&state.db, id.0, "municipality").await?;
        municipality::Entity::delete_by_id(id.0)
            .exec(&state.db)
            .await?;
        Ok(())
    }

    /// List contracts, optionally of one municipality or valid on a date.
    #[oai(path = "/contracts", method = "get")]
    async fn list_contracts(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        municipality_id: Query<Option<i32>>,
        date: Query<Option<NaiveDate>>,
        limit: Query<Option<u64>>,
        offset: Query<Option<u64>>,
    ) -> ApiResult<Json<Page<ContractView>>> {
        auth.require(Permission::ContractsRead)?;
        let mut select = contract::Entity::find().order_by_asc(contract::Column::Id);
        if let Some(id) = municipality_id.0 {
            select = select.filter(contract::Column::MunicipalityId.eq(id));
        }
        if let Some(date) = date.0 {
            select = select.filter(contract::Column::ValidFrom.lte(date)).filter(
                sea_orm::Condition::any()
                    .add(contract::Column::ValidTo.is_null())
                    .add(contract::Column::ValidTo.gte(date)),
            );
        }
        let params = PageParams::new(limit.0, offset.0);
        let (rows, total) = fetch_page(select, &state.db, params).await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            items.push(contract_view(&state.db, row).await?);
        }
        Ok(Json(Page::new(items, total, params)))
    }

    /// Add a contract with its tariffs.
    #[oai(path = "/contracts", method = "post")]
    async fn create_contract(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<ContractInput>,
    ) -> ApiResult<Json<ContractView>> {
        auth.require(Permission::ContractsWrite)?;
        validate_contract(&state.db, &body).await?;
        let txn = state.db.begin().await?;
        let mut active = <contract::ActiveModel as Default>::default();
        fill_contract(&mut active, &body);
        let created = active.insert(&txn).await?;
        replace_tariffs(&txn, created.id, &body.tariffs).await?;
        txn.commit().await?;
        Ok(Json(contract_view(&state.db, created).await?))
    }

    /// One contract with its tariffs.
    #[oai(path = "/contracts/:id", method = "get")]
    async fn get_contract(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> ApiResult<Json<ContractView>> {
        auth.require(Permission::ContractsRead)?;
        let found = find_or_404::<contract::Entity>(&state.db, id.0, "contract").await?;
        Ok(Json(contract_view(&state.db, found).await?))
    }

    /// Replace a contract and its tariffs.
    #[oai(path = "/contracts/:id", method = "put")]
    async fn update_contract(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
        body: Json<ContractInput>,
    ) -> ApiResult<Json<ContractView>> {
        auth.require(Permission::ContractsWrite)?;
        let existing = find_or_404::<contract::Entity>(&state.db, id.0, "contract").await?;
        validate_contract(&state.db, &body).await?;
        let txn = state.db.begin().await?;
        let mut active: contract::ActiveModel = existing.into();
        fill_contract(&mut active, &body);
        let updated = active.update(&txn).await?;
        replace_tariffs(&txn, updated.id, &body.tariffs).await?;
        txn.commit().await?;
        Ok(Json(contract_view(&state.db, updated).await?))
    }

    /// Delete a contract and its tariffs.
    #[oai(path = "/contracts/:id", method = "delete")]
    async fn delete_contract(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> ApiResult<()> {
        auth.require(Permission::ContractsWrite)?;
        find_or_404::<contract::Entity>(&state.db, id.0, "contract").await?;
        contract::Entity::delete_by_id(id.0).exec(&state.db).await?;
        Ok(())
    }
}

fn validate_municipality(input: &MunicipalityInput) -> ApiResult<()> {
    let mut v = Violations::new();
    v.check_not_blank(&input.name, "name");
    check_municipality_code(&mut v, &input.code);
    Ok(v.into_result()?)
}

async fn validate_contract(db: &impl ConnectionTrait, input: &ContractInput) -> ApiResult<()> {
    let mut v = Violations::new();
    v.check_not_blank(&input.name, "name");
    if let Some(to) = input.valid_to {
        v.check(
            to >= input.valid_from,
            "valid_to",
            "must not be before valid_from",
        );
    }
    input.rules.check(&mut v);
    let mut codes: Vec<&str> = Vec::new();
    for (i, t) in input.tariffs.iter().enumerate() {
        let field = format!("tariffs[{i}]");
        check_product_code(&mut v, &format!("{field}.product_code"), &t.product_code);
        v.check(
            (0..=MAX_AMOUNT_CENTS).contains(&t.tariff_cents),
            &format!("{field}.tariff_cents"),
            format!("must be between 0 and {MAX_AMOUNT_CENTS}"),
        );
        v.check(
            !codes.contains(&t.product_code.as_str()),
            &format!("{field}.product_code"),
            "is listed twice",
        );
        codes.push(&t.product_code);
    }
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

fn fill_contract(active: &mut contract::ActiveModel, input: &ContractInput) {
    active.municipality_id = Set(input.municipality_id);
    active.name = Set(input.name.trim().to_owned());
    active.valid_from = Set(input.valid_from);
    active.valid_to = Set(input.valid_to);
    active.rules = Set(input.rules.to_json());
}

async fn replace_tariffs(
    db: &impl ConnectionTrait,
    contract_id: i32,
    tariffs: &[TariffView],
) -> ApiResult<()> {
    tariff::Entity::delete_many()
        .filter(tariff::Column::ContractId.eq(contract_id))
        .exec(db)
        .await?;
    if tariffs.is_empty() {
        return Ok(());
    }
    tariff::Entity::insert_many(tariffs.iter().map(|t| tariff::ActiveModel {
        contract_id: Set(contract_id),
        product_category: Set(t.product_category.code().to_owned()),
        product_code: Set(t.product_code.clone()),
        unit_code: Set(t.unit.code().to_owned()),
        tariff_cents: Set(t.tariff_cents),
        ..Default::default()
    }))
    .exec(db)
    .await?;
    Ok(())
}

async fn contract_view(db: &impl ConnectionTrait, c: contract::Model) -> ApiResult<ContractView> {
    let tariffs = tariff::Entity::find()
        .filter(tariff::Column::ContractId.eq(c.id))
        .order_by_asc(tariff::Column::ProductCode)
        .all(db)
        .await?
        .into_iter()
        .map(|t| {
            Ok(TariffView {
                product_category: ProductCategory::from_code(&t.product_category).ok_or_else(
                    || ApiError::Internal(format!("stored category {}", t.product_category)),
                )?,
                product_code: t.product_code,
                unit: Unit::from_code(&t.unit_code)
                    .ok_or_else(|| ApiError::Internal(format!("stored unit {}", t.unit_code)))?,
                tariff_cents: t.tariff_cents,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let rules =
        ContractRules::from_json(&c.rules).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(ContractView {
        id: c.id,
        municipality_id: c.municipality_id,
        name: c.name,
        valid_from: c.valid_from,
        valid_to: c.valid_to,
        tariffs,
        rules,
    })
}
