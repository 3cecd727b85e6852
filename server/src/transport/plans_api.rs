//! Transport planning API: settings, plans (made in the background), planner edits.
use chrono::{DateTime, NaiveDate, Utc};
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi, Tags};
use routing::{Plan, Problem, Report, StopKind, Stopped, Violation, check};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::entity::transport_plan;
use super::plans::{self, NewPlan, PlanData, data_of, parse_direction};
use super::riders::gather;
use super::settings::{self, TransportSettingsView};
use crate::auth::{Auth, Permission, Principal};
use crate::http::page::find_or_404;
use crate::http::{ApiError, ApiResult};
use crate::startup::AppState;
use crate::validation::Violations;

#[derive(Tags)]
enum ApiTags {
    /// Transport planning
    Transport,
}

#[derive(Debug, Object)]
pub struct PlanRequest {
    pub date: NaiveDate,
    /// `inbound` (home to location) or `outbound` (location to home).
    pub direction: String,
    #[oai(validator(min_items = 1, max_items = 20))]
    pub location_ids: Vec<i32>,
    pub seed: Option<u64>,
    #[oai(validator(minimum(value = "1"), maximum(value = "300")))]
    pub time_budget_seconds: Option<u32>,
}

#[derive(Debug, Object)]
pub struct ReplanRequest {
    pub seed: Option<u64>,
    #[oai(validator(minimum(value = "1"), maximum(value = "300")))]
    pub time_budget_seconds: Option<u32>,
}

#[derive(Debug, Object)]
pub struct MoveRequest {
    pub client_id: i32,
    /// The vehicle whose route takes the rider; absent to take the rider off all routes.
    pub vehicle_id: Option<i32>,
}

#[derive(Debug, Object)]
pub struct LockRequest {
    pub vehicle_id: i32,
    pub locked: bool,
}

#[derive(Debug, Object)]
pub struct SiteView {
    pub location_id: i32,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Object)]
pub struct StopView {
    pub client_id: i32,
    pub name: String,
    /// `pickup` or `dropoff`.
    pub kind: String,
    pub location_id: i32,
    /// The home address, or the location's name.
    pub place: String,
    pub phone: String,
    pub lat: f64,
    pub lon: f64,
    /// Planned begin of the stop, HH:MM.
    pub time: String,
    pub minute: f64,
    /// Passengers on board after this stop (seats + wheelchair places).
    pub on_board: i32,
    pub wheelchair: bool,
    pub walker: bool,
    pub escort: bool,
}

#[derive(Debug, Object)]
pub struct RouteView {
    pub vehicle_id: i32,
    pub vehicle_name: String,
    pub locked: bool,
    pub departure: String,
    pub arrival: String,
    pub distance_km: f64,
    pub stops: Vec<StopView>,
}

#[derive(Debug, Object)]
pub struct RiderView {
    pub client_id: i32,
    pub name: String,
    pub location_id: i32,
    pub wheelchair: bool,
}

#[derive(Debug, Object)]
pub struct ViolationView {
    /// Stable kind (`ride_too_long`, `window_missed`, ...), translated by the PWA.
    pub kind: String,
    pub message: String,
    pub client_id: Option<i32>,
    pub vehicle_id: Option<i32>,
}

/// The independent checker's verdict on the plan as it stands.
#[derive(Debug, Object)]
pub struct ReportView {
    pub feasible: bool,
    pub riders: u32,
    pub served: u32,
    pub unassigned: u32,
    pub vehicles_used: u32,
    pub distance_km: f64,
    pub longest_ride_minutes: Option<f64>,
    pub violations: Vec<ViolationView>,
}

#[derive(Debug, Object)]
pub struct PlanView {
    pub id: i32,
    pub date: NaiveDate,
    pub direction: String,
    /// running | done | failed | published
    pub status: String,
    /// 0..1 while running.
    pub progress: f64,
    pub seed: i64,
    pub time_budget_seconds: i32,
    /// Generations the search ran, and what stopped it: `generations` (the plan's limit; the
    /// same seed then gives the same plan again), `time_budget` or `cancelled` (not repeatable).
    pub generations: Option<i64>,
    pub stopped_by: Option<String>,
    pub error: Option<String>,
    /// `osrm` (road network) or `estimate` (coordinates x detour factor at an average speed).
    pub travel_source: String,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub locations: Vec<SiteView>,
    pub report: Option<ReportView>,
    pub routes: Vec<RouteView>,
    pub unassigned: Vec<RiderView>,
}

pub struct TransportApi;

#[OpenApi(tag = "ApiTags::Transport")]
impl TransportApi {
    /// The organisation's transport settings.
    #[oai(path = "/transport/settings", method = "get")]
    async fn get_settings(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> ApiResult<Json<TransportSettingsView>> {
        auth.require(Permission::TransportPlan)?;
        Ok(Json(settings::load(&state.db).await?.into()))
    }

    /// Change the transport settings (used by the next plan).
    #[oai(path = "/transport/settings", method = "put")]
    async fn put_settings(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<TransportSettingsView>,
    ) -> ApiResult<Json<TransportSettingsView>> {
        auth.require(Permission::TransportPlan)?;
        settings::save(&state.db, &(&body.0).into()).await?;
        Ok(Json(body.0))
    }

    /// Plan a date's rides in one direction for some locations. Answers at once with a
    /// running plan; poll it for progress and the result.
    #[oai(path = "/transport/plans", method = "post")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<PlanRequest>,
    ) -> ApiResult<Json<PlanView>> {
        let me = auth.require(Permission::TransportPlan)?;
        let mut v = Violations::new();
        let direction = parse_direction(&body.direction);
        v.check(direction.is_some(), "direction", "inbound or outbound");
        v.into_result()?;
        let direction = direction.ok_or_else(|| ApiError::BadRequest("direction".into()))?;
        let mut location_ids = body.location_ids.clone();
        location_ids.sort_unstable();
        location_ids.dedup();
        for id in &location_ids {
            me.require_location(*id)?;
        }
        let input = gather(&state.db, body.date, &location_ids, direction).await?;
        if input.sites.len() != location_ids.len() {
            return Err(ApiError::NotFound("location"));
        }
        let settings = settings::load(&state.db).await?;
        let travel = state
            .travel
            .road_matrix(&routing::day::points(&input.sites, &input.passengers))
            .await;
        let row = plans::start(
            &state.db,
            NewPlan {
                date: body.date,
                location_ids,
                seed: body.seed.unwrap_or(1),
                time_budget_seconds: body.time_budget_seconds.unwrap_or(10),
                created_by: me.user_id,
            },
            input,
            settings,
            travel,
        )
        .await?;
        Ok(Json(view(&row)?))
    }

    /// The plans of a date.
    #[oai(path = "/transport/plans", method = "get")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        date: Query<NaiveDate>,
    ) -> ApiResult<Json<Vec<PlanView>>> {
        let me = auth.require(Permission::TransportPlan)?;
        let rows = transport_plan::Entity::find()
            .filter(transport_plan::Column::Date.eq(date.0))
            .order_by_desc(transport_plan::Column::Id)
            .all(&state.db)
            .await?;
        let visible = rows.iter().filter(|r| sees_plan(me, r));
        Ok(Json(visible.map(view).collect::<ApiResult<Vec<_>>>()?))
    }

    /// One plan with its routes and the checker's report.
    #[oai(path = "/transport/plans/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> ApiResult<Json<PlanView>> {
        let me = auth.require(Permission::TransportPlan)?;
        Ok(Json(view(&visible_plan(&state, me, id.0).await?)?))
    }

    /// Move a rider to another vehicle's route (best position), or off all routes.
    #[oai(path = "/transport/plans/:id/move", method = "post")]
    async fn move_rider(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
        body: Json<MoveRequest>,
    ) -> ApiResult<Json<PlanView>> {
        let me = auth.require(Permission::TransportPlan)?;
        let row = visible_plan(&state, me, id.0).await?;
        Ok(Json(view(
            &plans::move_rider(&state.db, row, body.client_id, body.vehicle_id).await?,
        )?))
    }

    /// Lock a route so a re-plan keeps it, or unlock it.
    #[oai(path = "/transport/plans/:id/lock", method = "post")]
    async fn lock(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
        body: Json<LockRequest>,
    ) -> ApiResult<Json<PlanView>> {
        let me = auth.require(Permission::TransportPlan)?;
        let row = visible_plan(&state, me, id.0).await?;
        Ok(Json(view(
            &plans::set_locked(&state.db, row, body.vehicle_id, body.locked).await?,
        )?))
    }

    /// Plan everything again except the locked routes (runs in the background like a new plan).
    #[oai(path = "/transport/plans/:id/replan", method = "post")]
    async fn replan(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
        body: Json<ReplanRequest>,
    ) -> ApiResult<Json<PlanView>> {
        let me = auth.require(Permission::TransportPlan)?;
        let row = visible_plan(&state, me, id.0).await?;
        let seed = body.seed.unwrap_or(row.seed as u64 + 1);
        let budget = body
            .time_budget_seconds
            .unwrap_or(row.time_budget_seconds as u32);
        Ok(Json(view(
            &plans::replan(&state.db, row, seed, budget).await?,
        )?))
    }

    /// Publish the plan to the drivers: each route becomes a route run on its driver's phone.
    #[oai(path = "/transport/plans/:id/publish", method = "post")]
    async fn publish(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
        body: Json<PublishRequest>,
    ) -> ApiResult<Json<PlanView>> {
        let me = auth.require(Permission::TransportPlan)?;
        let row = visible_plan(&state, me, id.0).await?;
        let drivers: Vec<(i32, i32)> = body
            .drivers
            .iter()
            .map(|d| (d.vehicle_id, d.driver_user_id))
            .collect();
        Ok(Json(view(
            &super::publish::publish(&state.db, row, &drivers).await?,
        )?))
    }

    /// Active drivers working at the planner's locations (to assign routes to).
    #[oai(path = "/transport/drivers", method = "get")]
    async fn drivers(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> ApiResult<Json<Vec<DriverView>>> {
        use crate::auth::entity::{user, user_location};
        let me = auth.require(Permission::TransportPlan)?;
        let at_my_locations: Vec<i32> = user_location::Entity::find()
            .filter(me.scope_condition(user_location::Column::LocationId))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|l| l.user_id)
            .collect();
        let drivers = user::Entity::find()
            .filter(user::Column::Role.eq("driver"))
            .filter(user::Column::Active.eq(true))
            .filter(user::Column::Id.is_in(at_my_locations))
            .order_by_asc(user::Column::DisplayName)
            .all(&state.db)
            .await?;
        Ok(Json(
            drivers
                .into_iter()
                .map(|u| DriverView {
                    id: u.id,
                    display_name: u.display_name,
                })
                .collect(),
        ))
    }

    /// Route runs of a date: a driver's own, or all of them for planners.
    #[oai(path = "/transport/runs", method = "get")]
    async fn runs(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        date: Query<NaiveDate>,
    ) -> ApiResult<Json<Vec<super::publish::RunView>>> {
        let me = auth.principal();
        let driver_only = if me.may(Permission::TransportPlan) {
            None
        } else if me.may(Permission::RouteDrive) {
            Some(me.user_id)
        } else {
            return Err(ApiError::Forbidden);
        };
        Ok(Json(
            super::publish::runs_of(&state.db, date.0, driver_only).await?,
        ))
    }
}

#[derive(Debug, Object)]
pub struct DriverView {
    pub id: i32,
    pub display_name: String,
}

#[derive(Debug, Object)]
pub struct DriverAssignment {
    pub vehicle_id: i32,
    pub driver_user_id: i32,
}

#[derive(Debug, Object)]
pub struct PublishRequest {
    /// Who drives which vehicle's route; routes without a driver are published unassigned.
    pub drivers: Vec<DriverAssignment>,
}

pub(crate) fn plan_locations(row: &transport_plan::Model) -> Vec<i32> {
    serde_json::from_str(&row.location_ids).unwrap_or_default()
}

fn sees_plan(me: &Principal, row: &transport_plan::Model) -> bool {
    plan_locations(row).iter().all(|l| me.sees_location(*l))
}

pub(crate) async fn visible_plan(
    state: &AppState,
    me: &Principal,
    id: i32,
) -> ApiResult<transport_plan::Model> {
    let row = find_or_404::<transport_plan::Entity>(&state.db, id, "plan").await?;
    if sees_plan(me, &row) {
        Ok(row)
    } else {
        Err(ApiError::NotFound("plan"))
    }
}

/// A planned time (fractional minutes since midnight) as HH:MM.
pub fn hhmm(minute: f64) -> String {
    sync::dagdeel::format_hhmm(minute.round().clamp(0.0, f64::from(u16::MAX)) as u16)
}

fn view(row: &transport_plan::Model) -> ApiResult<PlanView> {
    let data = data_of(row)?;
    let problem = data.problem();
    let (report, routes, unassigned) = match &data.plan {
        Some(plan) => (
            Some(report_view(&data, &check(&problem, plan))),
            routes_view(&data, &problem, plan),
            plan.unassigned
                .iter()
                .map(|r| rider_view(&data, *r))
                .collect(),
        ),
        None => (None, Vec::new(), Vec::new()),
    };
    Ok(PlanView {
        id: row.id,
        date: row.date,
        direction: row.direction.clone(),
        status: row.status.clone(),
        progress: row.progress,
        seed: row.seed,
        time_budget_seconds: row.time_budget_seconds,
        generations: data.search.map(|s| s.generations as i64),
        stopped_by: data.search.and_then(|s| s.stopped).map(|s| {
            match s {
                Stopped::Generations => "generations",
                Stopped::TimeBudget => "time_budget",
                Stopped::Cancelled => "cancelled",
            }
            .to_owned()
        }),
        error: row.error.clone(),
        travel_source: if data.travel.is_some() {
            "osrm"
        } else {
            "estimate"
        }
        .into(),
        created_at: row.created_at,
        published_at: row.published_at,
        locations: data
            .input
            .sites
            .iter()
            .zip(&data.input.site_names)
            .map(|(s, name)| SiteView {
                location_id: s.id,
                name: name.clone(),
                lat: s.at.0,
                lon: s.at.1,
            })
            .collect(),
        report,
        routes,
        unassigned,
    })
}

fn rider_view(data: &PlanData, request: usize) -> RiderView {
    let r = &data.input.riders[request];
    RiderView {
        client_id: r.client_id,
        name: r.name.clone(),
        location_id: r.location_id,
        wheelchair: r.wheelchair,
    }
}

pub(crate) fn routes_view(data: &PlanData, problem: &Problem, plan: &Plan) -> Vec<RouteView> {
    plan.routes
        .iter()
        .map(|route| {
            let vehicle = &data.input.vehicles[route.vehicle];
            let mut on_board = 0;
            let stops = route
                .stops
                .iter()
                .map(|stop| {
                    let rider = &data.input.riders[stop.request];
                    let passenger = &data.input.passengers[stop.request];
                    let at_home = matches!(
                        (data.input.direction, stop.kind),
                        (routing::day::Direction::Inbound, StopKind::Pickup)
                            | (routing::day::Direction::Outbound, StopKind::Dropoff)
                    );
                    on_board += if stop.kind == StopKind::Pickup { 1 } else { -1 };
                    let site = &data.input.sites[passenger.site];
                    StopView {
                        client_id: rider.client_id,
                        name: rider.name.clone(),
                        kind: if stop.kind == StopKind::Pickup {
                            "pickup"
                        } else {
                            "dropoff"
                        }
                        .into(),
                        location_id: rider.location_id,
                        place: if at_home {
                            rider.address.clone()
                        } else {
                            data.input.site_names[passenger.site].clone()
                        },
                        phone: rider.phone.clone(),
                        lat: if at_home { rider.lat } else { site.at.0 },
                        lon: if at_home { rider.lon } else { site.at.1 },
                        time: hhmm(stop.start),
                        minute: stop.start,
                        on_board,
                        wheelchair: rider.wheelchair,
                        walker: rider.walker,
                        escort: rider.escort,
                    }
                })
                .collect();
            RouteView {
                vehicle_id: vehicle.vehicle_id,
                vehicle_name: vehicle.name.clone(),
                locked: data.locked.contains(&vehicle.vehicle_id),
                departure: hhmm(route.departure),
                arrival: hhmm(route.arrival),
                distance_km: round1(routing::model::route_distance(problem, route)),
                stops,
            }
        })
        .collect()
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn report_view(data: &PlanData, report: &Report) -> ReportView {
    ReportView {
        feasible: report.is_feasible() && report.unassigned == 0,
        riders: report.requests as u32,
        served: report.served as u32,
        unassigned: report.unassigned as u32,
        vehicles_used: report.vehicles_used as u32,
        distance_km: round1(report.distance),
        longest_ride_minutes: report.longest_ride.map(|(_, t)| round1(t)),
        violations: report
            .violations
            .iter()
            .map(|v| violation_view(data, v))
            .collect(),
    }
}

fn violation_view(data: &PlanData, v: &Violation) -> ViolationView {
    let kind = serde_json::to_value(v)
        .ok()
        .and_then(|j| j.get("kind").and_then(|k| k.as_str()).map(str::to_owned))
        .unwrap_or_default();
    let client = |r: usize| data.input.riders.get(r).map(|r| r.client_id);
    let vehicle = |v: usize| data.input.vehicles.get(v).map(|v| v.vehicle_id);
    let (client_id, vehicle_id) = match v {
        Violation::Missing { request }
        | Violation::ServedTwice { request }
        | Violation::BrokenRide { request }
        | Violation::RideTooLong { request, .. } => (client(*request), None),
        Violation::WindowMissed { request, .. } => (client(*request), None),
        Violation::VehicleUsedTwice { vehicle: v } => (None, vehicle(*v)),
        _ => (None, None),
    };
    let message = match v {
        Violation::RideTooLong { ride, max, .. } => {
            format!("ride of {ride:.0} min exceeds {max:.0} min")
        }
        Violation::WindowMissed {
            start,
            window_start,
            window_end,
            ..
        } => format!(
            "planned at {}, allowed {}-{}",
            hhmm(*start),
            hhmm(*window_start),
            hhmm(*window_end)
        ),
        Violation::OverCapacity { load, capacity, .. } => format!(
            "{} seats and {} wheelchair places needed, {} and {} available",
            load.seats, load.wheelchairs, capacity.seats, capacity.wheelchairs
        ),
        Violation::ShiftTooLong { duration, max, .. } => {
            format!("run of {duration:.0} min exceeds the {max:.0} min shift")
        }
        other => format!("{other:?}"),
    };
    ViolationView {
        kind,
        message,
        client_id,
        vehicle_id,
    }
}
