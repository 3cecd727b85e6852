//! Publishing a plan: each route becomes a route-run document for its driver, with its stops
//! projected into `ride_stops` (planned), which the drivers' events then keep up to date.
use chrono::{NaiveDate, Utc};
use poem_openapi::Object;
use routing::check;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use sync::routerun::{RouteRunDoc, RunHeader, Stop};

use super::entity::{ride_stop, route_run, transport_plan};
use super::plans::{DONE, PUBLISHED, data_of, require_editable};
use super::plans_api::{plan_locations, routes_view};
use crate::attendance::documents::new_document_id;
use crate::auth::entity::user;
use crate::http::{ApiError, ApiResult};
use crate::validation::Violations;

#[derive(Debug, Object)]
pub struct RunStopView {
    pub id: String,
    pub client_id: i32,
    pub kind: String,
    pub planned: String,
    /// planned | picked_up | not_home | delivered | cancelled
    pub status: String,
}

#[derive(Debug, Object)]
pub struct RunView {
    pub id: i32,
    /// The automerge document the driver's phone syncs.
    pub document_id: String,
    pub plan_id: i32,
    pub date: NaiveDate,
    pub direction: String,
    pub vehicle_id: i32,
    pub driver_user_id: Option<i32>,
    pub stops: Vec<RunStopView>,
}

pub async fn publish(
    db: &DatabaseConnection,
    row: transport_plan::Model,
    drivers: &[(i32, i32)],
) -> ApiResult<transport_plan::Model> {
    require_editable(&row)?;
    if row.status != DONE {
        return Err(ApiError::Conflict(
            "only a finished plan can be published".into(),
        ));
    }
    let data = data_of(&row)?;
    let plan = data
        .plan
        .clone()
        .ok_or_else(|| ApiError::Conflict("the plan has no routes".into()))?;
    let problem = data.problem();
    let report = check(&problem, &plan);
    if !report.is_feasible() {
        return Err(ApiError::Conflict(format!(
            "the plan breaks {} constraint(s); fix them before publishing",
            report.violations.len()
        )));
    }
    let mut v = Violations::new();
    for (vehicle_id, driver) in drivers {
        let is_driver = user::Entity::find_by_id(*driver)
            .one(db)
            .await?
            .is_some_and(|u| u.active && u.role == "driver");
        v.check(
            is_driver,
            "drivers",
            format!("user {driver} is not an active driver"),
        );
        v.check(
            data.vehicle_index(*vehicle_id).is_some(),
            "drivers",
            format!("vehicle {vehicle_id} is not in this plan"),
        );
    }
    v.into_result()?;
    require_still_there(db, &data).await?;
    let mine = plan_locations(&row);
    let already = transport_plan::Entity::find()
        .filter(transport_plan::Column::Date.eq(row.date))
        .filter(transport_plan::Column::Direction.eq(row.direction.clone()))
        .filter(transport_plan::Column::Status.eq(PUBLISHED))
        .all(db)
        .await?
        .into_iter()
        .any(|other| plan_locations(&other).iter().any(|l| mine.contains(l)));
    if already {
        return Err(ApiError::Conflict(
            "another plan for this day and direction is already published".into(),
        ));
    }

    let now = Utc::now();
    let txn = db.begin().await?;
    for route in routes_view(&data, &problem, &plan)
        .into_iter()
        .filter(|r| !r.stops.is_empty())
    {
        let driver = drivers
            .iter()
            .find(|(v, _)| *v == route.vehicle_id)
            .map(|(_, d)| *d);
        let run = route_run::ActiveModel {
            plan_id: Set(row.id),
            vehicle_id: Set(route.vehicle_id),
            driver_user_id: Set(driver),
            date: Set(row.date),
            direction: Set(row.direction.clone()),
            document_id: Set(new_document_id().to_string()),
            snapshot: Set(Vec::new()),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let stops: Vec<Stop> = route
            .stops
            .iter()
            .enumerate()
            .map(|(i, s)| Stop {
                id: format!("s{}", i + 1),
                client_id: i64::from(s.client_id),
                location_id: i64::from(s.location_id),
                name: s.name.clone(),
                kind: s.kind.clone(),
                place: s.place.clone(),
                phone: s.phone.clone(),
                lat: s.lat,
                lon: s.lon,
                minute: s.minute.round().clamp(0.0, 1439.0) as u16,
                wheelchair: s.wheelchair,
                walker: s.walker,
                escort: s.escort,
            })
            .collect();
        let header = RunHeader {
            run_id: i64::from(run.id),
            date: row.date.to_string(),
            direction: row.direction.clone(),
            vehicle: route.vehicle_name.clone(),
        };
        let mut doc =
            RouteRunDoc::create(&header, &stops).map_err(|e| ApiError::Internal(e.to_string()))?;
        for stop in &stops {
            ride_stop::ActiveModel {
                route_run_id: Set(run.id),
                date: Set(row.date),
                client_id: Set(stop.client_id as i32),
                location_id: Set(stop.location_id as i32),
                kind: Set(stop.kind.clone()),
                planned_minute: Set(i32::from(stop.minute)),
                status: Set("planned".into()),
                status_minute: Set(None),
                recorded_by: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        let mut active: route_run::ActiveModel = run.into();
        active.snapshot = Set(doc.save());
        active.update(&txn).await?;
    }
    let mut active: transport_plan::ActiveModel = row.into();
    active.status = Set(PUBLISHED.into());
    active.published_at = Set(Some(now));
    active.updated_at = Set(now);
    let row = active.update(&txn).await?;
    txn.commit().await?;
    Ok(row)
}

/// Clients and vehicles removed since planning would break the runs: say so plainly.
async fn require_still_there(
    db: &DatabaseConnection,
    data: &super::plans::PlanData,
) -> ApiResult<()> {
    use super::entity::vehicle;
    use crate::clients::entity::client;
    let clients: Vec<i32> = data.input.riders.iter().map(|r| r.client_id).collect();
    let vehicles: Vec<i32> = data.input.vehicles.iter().map(|v| v.vehicle_id).collect();
    let found_clients = client::Entity::find()
        .filter(client::Column::Id.is_in(clients.clone()))
        .all(db)
        .await?
        .len();
    let found_vehicles = vehicle::Entity::find()
        .filter(vehicle::Column::Id.is_in(vehicles.clone()))
        .all(db)
        .await?
        .len();
    if found_clients < clients.len() || found_vehicles < vehicles.len() {
        return Err(ApiError::Conflict(
            "a client or vehicle of this plan was removed since planning; plan the day again"
                .into(),
        ));
    }
    Ok(())
}

pub async fn runs_of(
    db: &DatabaseConnection,
    date: NaiveDate,
    driver: Option<i32>,
) -> ApiResult<Vec<RunView>> {
    let mut select = route_run::Entity::find()
        .filter(route_run::Column::Date.eq(date))
        .order_by_asc(route_run::Column::Id);
    if let Some(driver) = driver {
        select = select.filter(route_run::Column::DriverUserId.eq(driver));
    }
    let runs = select.all(db).await?;
    let stops = ride_stop::Entity::find()
        .filter(ride_stop::Column::RouteRunId.is_in(runs.iter().map(|r| r.id)))
        .order_by_asc(ride_stop::Column::Id)
        .all(db)
        .await?;
    Ok(runs
        .into_iter()
        .map(|run| RunView {
            stops: stops
                .iter()
                .filter(|s| s.route_run_id == run.id)
                .enumerate()
                .map(|(i, s)| RunStopView {
                    id: format!("s{}", i + 1),
                    client_id: s.client_id,
                    kind: s.kind.clone(),
                    planned: super::plans_api::hhmm(f64::from(s.planned_minute)),
                    status: s.status.clone(),
                })
                .collect(),
            id: run.id,
            document_id: run.document_id,
            plan_id: run.plan_id,
            date: run.date,
            direction: run.direction,
            vehicle_id: run.vehicle_id,
            driver_user_id: run.driver_user_id,
        })
        .collect())
}
