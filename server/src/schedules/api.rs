//! Schedules API, and the expected clients of a location on a date derived from them.
use chrono::NaiveDate;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi, Tags};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use sync::Dagdeel;

use super::domain::{iso_weekday, periods_overlap};
use super::entity::schedule;
use crate::auth::{Auth, Permission, Principal};
use crate::clients::api::find_visible;
use crate::clients::entity::client;
use crate::http::page::{fetch_page, find_or_404};
use crate::http::{ApiError, ApiResult, Page, PageParams};
use crate::organisation::api::{DagdeelSettingView, dagdeel_view, dagdelen_of};
use crate::organisation::domain::DagdeelName;
use crate::organisation::entity::location;
use crate::startup::AppState;
use crate::validation::Violations;

#[derive(Tags)]
enum ApiTags {
    /// Weekly schedules and expected clients
    Schedules,
}

#[derive(Debug, Object)]
pub struct ScheduleInput {
    pub client_id: i32,
    pub location_id: i32,
    /// ISO weekday: 1 = Monday ... 7 = Sunday.
    #[oai(validator(minimum(value = "1"), maximum(value = "7")))]
    pub weekday: i16,
    pub dagdeel: DagdeelName,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

#[derive(Debug, Object)]
pub struct ScheduleView {
    pub id: i32,
    pub client_id: i32,
    pub location_id: i32,
    pub weekday: i16,
    pub dagdeel: DagdeelName,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

fn view(s: schedule::Model) -> ApiResult<ScheduleView> {
    let dagdeel: Dagdeel = s
        .dagdeel
        .parse()
        .map_err(|e: sync::TimeWindowError| ApiError::Internal(e.to_string()))?;
    Ok(ScheduleView {
        id: s.id,
        client_id: s.client_id,
        location_id: s.location_id,
        weekday: s.weekday,
        dagdeel: dagdeel.into(),
        valid_from: s.valid_from,
        valid_to: s.valid_to,
    })
}

/// A client expected at a location, as a coach needs to see them.
#[derive(Debug, Object)]
pub struct ExpectedClient {
    pub client_id: i32,
    pub first_name: String,
    pub last_name: String,
    pub wheelchair: bool,
    pub walker: bool,
    pub escort: bool,
}

#[derive(Debug, Object)]
pub struct ExpectedDagdeel {
    #[oai(flatten)]
    pub setting: DagdeelSettingView,
    pub clients: Vec<ExpectedClient>,
}

#[derive(Debug, Object)]
pub struct ExpectedDay {
    pub location_id: i32,
    pub date: NaiveDate,
    pub dagdelen: Vec<ExpectedDagdeel>,
}

pub struct SchedulesApi;

#[OpenApi(tag = "ApiTags::Schedules")]
impl SchedulesApi {
    /// List schedules; filter by client, location, weekday or a date they are valid on.
    #[allow(clippy::too_many_arguments)]
    #[oai(path = "/schedules", method = "get")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        client_id: Query<Option<i32>>,
        location_id: Query<Option<i32>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "7")))] weekday: Query<Option<i16>>,
        date: Query<Option<NaiveDate>>,
        limit: Query<Option<u64>>,
        offset: Query<Option<u64>>,
    ) -> ApiResult<Json<Page<ScheduleView>>> {
        let me = auth.require(Permission::SchedulesRead)?;
        let mut select = schedule::Entity::find()
            .filter(me.scope_condition(schedule::Column::LocationId))
            .order_by_asc(schedule::Column::ClientId)
            .order_by_asc(schedule::Column::Weekday)
            .order_by_asc(schedule::Column::Id);
        if let Some(location_id) = location_id.0 {
            me.require_location(location_id)?;
            select = select.filter(schedule::Column::LocationId.eq(location_id));
        }
        if let Some(id) = client_id.0 {
            select = select.filter(schedule::Column::ClientId.eq(id));
        }
        if let Some(weekday) = weekday.0 {
            select = select.filter(schedule::Column::Weekday.eq(weekday));
        }
        if let Some(date) = date.0 {
            select = select.filter(valid_on(date));
        }
        let params = PageParams::new(limit.0, offset.0);
        let (rows, total) = fetch_page(select, &state.db, params).await?;
        let items = rows.into_iter().map(view).collect::<ApiResult<Vec<_>>>()?;
        Ok(Json(Page::new(items, total, params)))
    }

    /// Add a schedule entry.
    #[oai(path = "/schedules", method = "post")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<ScheduleInput>,
    ) -> ApiResult<Json<ScheduleView>> {
        let me = auth.require(Permission::SchedulesWrite)?;
        me.require_location(body.location_id)?;
        validate(&state.db, me, &body, None).await?;
        let mut active = <schedule::ActiveModel as Default>::default();
        fill(&mut active, &body);
        let created = active.insert(&state.db).await?;
        state.hub.refresh_location_logged(created.location_id).await;
        Ok(Json(view(created)?))
    }

    /// One schedule entry.
    #[oai(path = "/schedules/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> ApiResult<Json<ScheduleView>> {
        let me = auth.require(Permission::SchedulesRead)?;
        let found = find_or_404::<schedule::Entity>(&state.db, id.0, "schedule").await?;
        Ok(Json(view(me.visible(
            found.location_id,
            found,
            "schedule",
        )?)?))
    }

    /// Replace a schedule entry.
    #[oai(path = "/schedules/:id", method = "put")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
        body: Json<ScheduleInput>,
    ) -> ApiResult<Json<ScheduleView>> {
        let me = auth.require(Permission::SchedulesWrite)?;
        let found = find_or_404::<schedule::Entity>(&state.db, id.0, "schedule").await?;
        let existing = me.visible(found.location_id, found, "schedule")?;
        me.require_location(body.location_id)?;
        validate(&state.db, me, &body, Some(existing.id)).await?;
        let old_location = existing.location_id;
        let mut active: schedule::ActiveModel = existing.into();
        fill(&mut active, &body);
        let updated = active.update(&state.db).await?;
        state.hub.refresh_location_logged(updated.location_id).await;
        if old_location != updated.location_id {
            state.hub.refresh_location_logged(old_location).await;
        }
        Ok(Json(view(updated)?))
    }

    /// Delete a schedule entry.
    #[oai(path = "/schedules/:id", method = "delete")]
    async fn delete(&self, state: Data<&AppState>, auth: Auth, id: Path<i32>) -> ApiResult<()> {
        let me = auth.require(Permission::SchedulesWrite)?;
        let found = find_or_404::<schedule::Entity>(&state.db, id.0, "schedule").await?;
        let found = me.visible(found.location_id, found, "schedule")?;
        schedule::Entity::delete_by_id(id.0).exec(&state.db).await?;
        state.hub.refresh_location_logged(found.location_id).await;
        Ok(())
    }

    /// The clients expected at a location on a date (default: today in the Netherlands), per dagdeel.
    #[oai(path = "/locations/:id/expected", method = "get")]
    async fn expected(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
        date: Query<Option<NaiveDate>>,
    ) -> ApiResult<Json<ExpectedDay>> {
        let me = auth.require(Permission::SchedulesRead)?;
        let found = find_or_404::<location::Entity>(&state.db, id.0, "location").await?;
        let location = me.visible(found.id, found, "location")?;
        let date = date
            .0
            .unwrap_or_else(|| sync::amsterdam_date(chrono::Utc::now()));
        Ok(Json(expected_day(&state.db, location.id, date).await?))
    }
}

pub(crate) fn valid_on(date: NaiveDate) -> Condition {
    Condition::all()
        .add(schedule::Column::ValidFrom.lte(date))
        .add(
            Condition::any()
                .add(schedule::Column::ValidTo.is_null())
                .add(schedule::Column::ValidTo.gte(date)),
        )
}

/// Expected clients per dagdeel, from the schedules valid on `date`.
pub async fn expected_day(
    db: &impl ConnectionTrait,
    location_id: i32,
    date: NaiveDate,
) -> ApiResult<ExpectedDay> {
    let schedules = schedule::Entity::find()
        .filter(schedule::Column::LocationId.eq(location_id))
        .filter(schedule::Column::Weekday.eq(iso_weekday(date)))
        .filter(valid_on(date))
        .all(db)
        .await?;
    let client_ids: Vec<i32> = schedules.iter().map(|s| s.client_id).collect();
    let clients = client::Entity::find()
        .filter(client::Column::Id.is_in(client_ids))
        .filter(client::Column::Active.eq(true))
        .order_by_asc(client::Column::LastName)
        .order_by_asc(client::Column::FirstName)
        .all(db)
        .await?;
    let settings = dagdelen_of(db, &[location_id])
        .await?
        .remove(&location_id)
        .unwrap_or_default();
    let dagdelen = settings
        .iter()
        .filter_map(|row| {
            let setting = dagdeel_view(row)?;
            let clients = clients
                .iter()
                .filter(|c| {
                    schedules
                        .iter()
                        .any(|s| s.client_id == c.id && s.dagdeel == row.dagdeel)
                })
                .map(|c| ExpectedClient {
                    client_id: c.id,
                    first_name: c.first_name.clone(),
                    last_name: c.last_name.clone(),
                    wheelchair: c.wheelchair,
                    walker: c.walker,
                    escort: c.escort,
                })
                .collect();
            Some(ExpectedDagdeel { setting, clients })
        })
        .collect();
    Ok(ExpectedDay {
        location_id,
        date,
        dagdelen,
    })
}

async fn validate(
    db: &impl ConnectionTrait,
    me: &Principal,
    input: &ScheduleInput,
    replacing: Option<i32>,
) -> ApiResult<()> {
    let mut v = Violations::new();
    if let Some(to) = input.valid_to {
        v.check(
            to >= input.valid_from,
            "valid_to",
            "must not be before valid_from",
        );
    }
    let client_visible = find_visible(db, me, input.client_id).await.is_ok();
    v.check(client_visible, "client_id", "unknown client");
    let dagdeel = Dagdeel::from(input.dagdeel);
    let offered = dagdelen_of(db, &[input.location_id])
        .await?
        .remove(&input.location_id)
        .unwrap_or_default();
    v.check(
        offered.iter().any(|d| d.dagdeel == dagdeel.as_str()),
        "dagdeel",
        format!("this location does not offer the {dagdeel}"),
    );
    let mut same_slot = schedule::Entity::find()
        .filter(schedule::Column::ClientId.eq(input.client_id))
        .filter(schedule::Column::Weekday.eq(input.weekday))
        .filter(schedule::Column::Dagdeel.eq(dagdeel.as_str()));
    if let Some(id) = replacing {
        same_slot = same_slot.filter(schedule::Column::Id.ne(id));
    }
    let clash = same_slot
        .all(db)
        .await?
        .into_iter()
        .any(|s| periods_overlap(s.valid_from, s.valid_to, input.valid_from, input.valid_to));
    v.check(
        !clash,
        "valid_from",
        "the client is already scheduled for this weekday and dagdeel in this period",
    );
    Ok(v.into_result()?)
}

fn fill(active: &mut schedule::ActiveModel, input: &ScheduleInput) {
    active.client_id = Set(input.client_id);
    active.location_id = Set(input.location_id);
    active.weekday = Set(input.weekday);
    active.dagdeel = Set(Dagdeel::from(input.dagdeel).as_str().to_owned());
    active.valid_from = Set(input.valid_from);
    active.valid_to = Set(input.valid_to);
}
