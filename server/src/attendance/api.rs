//! Attendance API: finding a day's dagstaat document, and reading the attendance projection.
use chrono::NaiveDate;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi, Tags};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::documents;
use super::entity::attendance;
use crate::auth::{Auth, Permission};
use crate::http::page::{fetch_page, find_or_404};
use crate::http::{ApiResult, Page, PageParams};
use crate::organisation::entity::location;
use crate::startup::AppState;

#[derive(Tags)]
enum ApiTags {
    /// Attendance: dagstaat documents and the attendance they record
    Attendance,
}

/// Where a phone finds the dagstaat of a location-day (open it with automerge-repo over /sync).
#[derive(Debug, Object)]
pub struct DagstaatRef {
    pub document_id: String,
    /// `automerge:<document_id>`, for `repo.find`.
    pub url: String,
    pub location_id: i32,
    pub date: NaiveDate,
}

#[derive(Debug, Object)]
pub struct AttendanceRow {
    pub location_id: i32,
    pub date: NaiveDate,
    pub client_id: i32,
    pub dagdeel: String,
    /// expected, present, no_show or unexpected.
    pub status: String,
    pub expected: bool,
    /// Minutes since local midnight.
    pub present_from: Option<i16>,
    pub present_to: Option<i16>,
    pub minutes_present: i16,
    pub no_show_reason: Option<String>,
    pub no_show_note: Option<String>,
    pub recorded_by: Option<i32>,
    /// Recorded both present and no-show.
    pub conflict: bool,
}

impl From<attendance::Model> for AttendanceRow {
    fn from(a: attendance::Model) -> Self {
        AttendanceRow {
            location_id: a.location_id,
            date: a.date,
            client_id: a.client_id,
            dagdeel: a.dagdeel,
            status: a.status,
            expected: a.expected,
            present_from: a.present_from,
            present_to: a.present_to,
            minutes_present: a.minutes_present,
            no_show_reason: a.no_show_reason,
            no_show_note: a.no_show_note,
            recorded_by: a.recorded_by,
            conflict: a.conflict,
        }
    }
}

pub struct AttendanceApi;

#[OpenApi(tag = "ApiTags::Attendance")]
impl AttendanceApi {
    /// The dagstaat document of a location on a date (default today), created from the schedules if new.
    #[oai(path = "/locations/:id/dagstaat", method = "get")]
    async fn dagstaat(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
        date: Query<Option<NaiveDate>>,
    ) -> ApiResult<Json<DagstaatRef>> {
        let me = auth.require(Permission::AttendanceRecord)?;
        let found = find_or_404::<location::Entity>(&state.db, id.0, "location").await?;
        let location = me.visible(found.id, found, "location")?;
        let date = date
            .0
            .unwrap_or_else(|| sync::amsterdam_date(chrono::Utc::now()));
        let document_id = documents::find_or_create(&state.db, location.id, date).await?;
        Ok(Json(DagstaatRef {
            url: document_id.url(),
            document_id: document_id.to_string(),
            location_id: location.id,
            date,
        }))
    }

    /// Recorded attendance per client and dagdeel; filter by location, client and date or date range.
    #[allow(clippy::too_many_arguments)]
    #[oai(path = "/attendance", method = "get")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        location_id: Query<Option<i32>>,
        client_id: Query<Option<i32>>,
        date: Query<Option<NaiveDate>>,
        from: Query<Option<NaiveDate>>,
        to: Query<Option<NaiveDate>>,
        limit: Query<Option<u64>>,
        offset: Query<Option<u64>>,
    ) -> ApiResult<Json<Page<AttendanceRow>>> {
        let me = auth.require(Permission::AttendanceRead)?;
        let mut select = attendance::Entity::find()
            .filter(me.scope_condition(attendance::Column::LocationId))
            .order_by_asc(attendance::Column::Date)
            .order_by_asc(attendance::Column::LocationId)
            .order_by_asc(attendance::Column::ClientId)
            .order_by_asc(attendance::Column::Dagdeel);
        if let Some(location_id) = location_id.0 {
            me.require_location(location_id)?;
            select = select.filter(attendance::Column::LocationId.eq(location_id));
        }
        if let Some(client_id) = client_id.0 {
            select = select.filter(attendance::Column::ClientId.eq(client_id));
        }
        if let Some(date) = date.0 {
            select = select.filter(attendance::Column::Date.eq(date));
        }
        if let Some(from) = from.0 {
            select = select.filter(attendance::Column::Date.gte(from));
        }
        if let Some(to) = to.0 {
            select = select.filter(attendance::Column::Date.lte(to));
        }
        let params = PageParams::new(limit.0, offset.0);
        let (rows, total) = fetch_page(select, &state.db, params).await?;
        Ok(Json(Page::new(
            rows.into_iter().map(Into::into).collect(),
            total,
            params,
        )))
    }
}
