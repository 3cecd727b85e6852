//! Plans: created from the day's riders, solved in the background with progress in the row,
//! edited by the planner (move a rider, lock a route, re-plan the rest), then published.
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{NaiveDate, Utc};
use routing::day::{self, Direction, Settings};
use routing::edit::{move_request, replan_unlocked};
use routing::{Plan, Problem, SolveOptions, Solver, Stopped, VrpCoreSolver};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};

use super::entity::transport_plan;
use super::riders::PlanningInput;
use crate::http::{ApiError, ApiResult};

pub const RUNNING: &str = "running";
pub const DONE: &str = "done";
pub const FAILED: &str = "failed";
pub const PUBLISHED: &str = "published";

/// What a plan row keeps: its input, the settings it was planned with, the plan and its locks.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlanData {
    pub input: PlanningInput,
    pub settings: Settings,
    pub plan: Option<Plan>,
    /// Vehicle ids whose routes a re-plan keeps.
    pub locked: Vec<i32>,
    /// Road travel from OSRM when it answered at planning time; else estimated from coordinates.
    #[serde(default)]
    pub travel: Option<routing::Matrix>,
    /// How the last search ended (absent in plans made before it was recorded).
    #[serde(default)]
    pub search: Option<SearchOutcome>,
}

/// How a plan's search ended: after all its generations (then the same seed gives the same plan
/// again), or earlier at the time budget or on cancel.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct SearchOutcome {
    pub generations: usize,
    pub stopped: Option<Stopped>,
}

/// The generation limit of every plan: what makes a plan repeatable for its seed (the search goes
/// on past it, up to three times, while riders are unplanned). The demo day reaches it in
/// seconds; a day of 300 riders needs 15-25 s on two threads, so a shorter time budget ends that
/// search first, and the plan says so.
pub const PLAN_GENERATIONS: usize = 1000;

impl PlanData {
    pub fn problem(&self) -> Problem {
        let i = &self.input;
        match &self.travel {
            Some(travel) => day::build_on(
                travel.clone(),
                i.direction,
                &i.sites,
                &i.passengers,
                &i.buses,
                &self.settings,
            ),
            None => day::build(
                i.direction,
                &i.sites,
                &i.passengers,
                &i.buses,
                &self.settings,
            ),
        }
    }

    pub fn vehicle_index(&self, vehicle_id: i32) -> Option<usize> {
        self.input
            .vehicles
            .iter()
            .position(|v| v.vehicle_id == vehicle_id)
    }

    pub fn rider_index(&self, client_id: i32) -> Option<usize> {
        self.input
            .riders
            .iter()
            .position(|r| r.client_id == client_id)
    }
}

pub fn parse_direction(s: &str) -> Option<Direction> {
    match s {
        "inbound" => Some(Direction::Inbound),
        "outbound" => Some(Direction::Outbound),
        _ => None,
    }
}

pub fn direction_name(d: Direction) -> &'static str {
    match d {
        Direction::Inbound => "inbound",
        Direction::Outbound => "outbound",
    }
}

pub fn data_of(row: &transport_plan::Model) -> ApiResult<PlanData> {
    let json = row
        .data
        .as_deref()
        .ok_or_else(|| ApiError::Internal("plan without data".into()))?;
    serde_json::from_str(json).map_err(|e| ApiError::Internal(format!("stored plan: {e}")))
}

fn to_json(data: &PlanData) -> ApiResult<String> {
    serde_json::to_string(data).map_err(|e| ApiError::Internal(e.to_string()))
}

pub struct NewPlan {
    pub date: NaiveDate,
    pub location_ids: Vec<i32>,
    pub seed: u64,
    pub time_budget_seconds: u32,
    pub created_by: i32,
}

/// Stores a running plan and starts solving it in the background.
pub async fn start(
    db: &DatabaseConnection,
    new: NewPlan,
    input: PlanningInput,
    settings: Settings,
    travel: Option<routing::Matrix>,
) -> ApiResult<transport_plan::Model> {
    let now = Utc::now();
    let data = PlanData {
        input,
        settings,
        plan: None,
        locked: Vec::new(),
        travel,
        search: None,
    };
    let row = transport_plan::ActiveModel {
        date: Set(new.date),
        direction: Set(direction_name(data.input.direction).into()),
        location_ids: Set(serde_json::to_string(&new.location_ids).unwrap_or_default()),
        status: Set(RUNNING.into()),
        seed: Set(new.seed as i64),
        time_budget_seconds: Set(new.time_budget_seconds as i32),
        progress: Set(0.0),
        data: Set(Some(to_json(&data)?)),
        error: Set(None),
        created_by: Set(new.created_by),
        created_at: Set(now),
        updated_at: Set(now),
        published_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    spawn_solve(db.clone(), row.id, data, options(&row), false);
    Ok(row)
}

/// Plans again, keeping the locked routes.
pub async fn replan(
    db: &DatabaseConnection,
    row: transport_plan::Model,
    seed: u64,
    time_budget_seconds: u32,
) -> ApiResult<transport_plan::Model> {
    require_editable(&row)?;
    let data = data_of(&row)?;
    let mut active: transport_plan::ActiveModel = row.into();
    active.status = Set(RUNNING.into());
    active.progress = Set(0.0);
    active.seed = Set(seed as i64);
    active.time_budget_seconds = Set(time_budget_seconds as i32);
    active.updated_at = Set(Utc::now());
    let row = active.update(db).await?;
    spawn_solve(db.clone(), row.id, data, options(&row), true);
    Ok(row)
}

fn options(row: &transport_plan::Model) -> SolveOptions {
    SolveOptions {
        seed: row.seed as u64,
        time_budget: Duration::from_secs(row.time_budget_seconds.max(1) as u64),
        // One core stays with the sync hub and the API while a plan is being made.
        threads: std::thread::available_parallelism()
            .map_or(1, |n| n.get().saturating_sub(1).max(1)),
        max_generations: Some(PLAN_GENERATIONS),
        ..SolveOptions::default()
    }
}

pub fn require_editable(row: &transport_plan::Model) -> ApiResult<()> {
    match row.status.as_str() {
        RUNNING => Err(ApiError::Conflict("the plan is still being made".into())),
        PUBLISHED => Err(ApiError::Conflict(
            "the plan is published; plan the day again to change it".into(),
        )),
        _ => Ok(()),
    }
}

fn spawn_solve(
    db: DatabaseConnection,
    id: i32,
    data: PlanData,
    options: SolveOptions,
    keep_locked: bool,
) {
    tokio::spawn(async move {
        // The solver's latest report: written to the row while it runs, kept with the plan after.
        let last: LastProgress = Arc::new(Mutex::new(None));
        let reporter = tokio::spawn(report_progress(db.clone(), id, last.clone()));
        let solving = data.clone();
        let last_seen = last.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            let problem = solving.problem();
            let on_progress = |p: routing::Progress| {
                if let Ok(mut last) = last_seen.lock() {
                    *last = Some(p);
                }
            };
            match (&solving.plan, keep_locked) {
                (Some(previous), true) => {
                    let locked: Vec<usize> = solving
                        .locked
                        .iter()
                        .filter_map(|v| solving.vehicle_index(*v))
                        .collect();
                    replan_unlocked(
                        &VrpCoreSolver,
                        &problem,
                        previous,
                        &locked,
                        &options,
                        &on_progress,
                    )
                }
                _ => VrpCoreSolver.solve(&problem, &options, &on_progress),
            }
        })
        .await;
        reporter.abort();
        let result = match outcome {
            Ok(Ok(plan)) => {
                finish(
                    &db,
                    id,
                    PlanData {
                        plan: Some(plan),
                        search: last.lock().ok().and_then(|p| *p).map(|p| SearchOutcome {
                            generations: p.generation,
                            stopped: p.stopped,
                        }),
                        ..data
                    },
                )
                .await
            }
            Ok(Err(e)) => fail(&db, id, e.to_string()).await,
            Err(e) => fail(&db, id, format!("the planner stopped: {e}")).await,
        };
        if let Err(e) = result {
            tracing::error!(plan_id = id, error = %e, "plan result not stored");
        }
    });
}

type LastProgress = Arc<Mutex<Option<routing::Progress>>>;

async fn report_progress(db: DatabaseConnection, id: i32, last: LastProgress) {
    let mut tick = tokio::time::interval(Duration::from_millis(500));
    loop {
        tick.tick().await;
        let fraction = last
            .lock()
            .ok()
            .and_then(|p| p.map(|p| p.fraction))
            .unwrap_or(0.0);
        let _ = transport_plan::Entity::update_many()
            .col_expr(
                transport_plan::Column::Progress,
                sea_orm::sea_query::Expr::value(fraction),
            )
            .filter(transport_plan::Column::Id.eq(id))
            .filter(transport_plan::Column::Status.eq(RUNNING))
            .exec(&db)
            .await;
    }
}

async fn finish(db: &DatabaseConnection, id: i32, data: PlanData) -> ApiResult<()> {
    update(db, id, |row| {
        row.status = Set(DONE.into());
        row.progress = Set(1.0);
        row.data = Set(Some(to_json(&data)?));
        row.error = Set(None);
        Ok(())
    })
    .await
}

async fn fail(db: &DatabaseConnection, id: i32, error: String) -> ApiResult<()> {
    tracing::warn!(plan_id = id, %error, "planning failed");
    update(db, id, |row| {
        row.status = Set(FAILED.into());
        row.error = Set(Some(error));
        Ok(())
    })
    .await
}

async fn update(
    db: &DatabaseConnection,
    id: i32,
    change: impl FnOnce(&mut transport_plan::ActiveModel) -> ApiResult<()>,
) -> ApiResult<()> {
    let row = transport_plan::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("plan"))?;
    let mut active: transport_plan::ActiveModel = row.into();
    change(&mut active)?;
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    Ok(())
}

/// Moves a rider to a vehicle's route (or off all routes); the plan is re-timed and re-checked.
pub async fn move_rider(
    db: &DatabaseConnection,
    row: transport_plan::Model,
    client_id: i32,
    vehicle_id: Option<i32>,
) -> ApiResult<transport_plan::Model> {
    require_editable(&row)?;
    let mut data = data_of(&row)?;
    let request = data
        .rider_index(client_id)
        .ok_or(ApiError::NotFound("rider in this plan"))?;
    let vehicle = match vehicle_id {
        Some(id) => Some(
            data.vehicle_index(id)
                .ok_or(ApiError::NotFound("vehicle in this plan"))?,
        ),
        None => None,
    };
    let plan = data
        .plan
        .take()
        .ok_or_else(|| ApiError::Conflict("the plan has no routes yet".into()))?;
    let moved = move_request(&data.problem(), &plan, request, vehicle)
        .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    data.plan = Some(moved);
    store(db, row, &data).await
}

pub async fn set_locked(
    db: &DatabaseConnection,
    row: transport_plan::Model,
    vehicle_id: i32,
    locked: bool,
) -> ApiResult<transport_plan::Model> {
    require_editable(&row)?;
    let mut data = data_of(&row)?;
    data.vehicle_index(vehicle_id)
        .ok_or(ApiError::NotFound("vehicle in this plan"))?;
    data.locked.retain(|v| *v != vehicle_id);
    if locked {
        data.locked.push(vehicle_id);
        data.locked.sort_unstable();
    }
    store(db, row, &data).await
}

async fn store(
    db: &DatabaseConnection,
    row: transport_plan::Model,
    data: &PlanData,
) -> ApiResult<transport_plan::Model> {
    let mut active: transport_plan::ActiveModel = row.into();
    active.data = Set(Some(to_json(data)?));
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}

/// Plans left running by a stopped server will never finish: say so.
pub async fn fail_interrupted(db: &DatabaseConnection) -> Result<u64, sea_orm::DbErr> {
    let result = transport_plan::Entity::update_many()
        .col_expr(
            transport_plan::Column::Status,
            sea_orm::sea_query::Expr::value(FAILED),
        )
        .col_expr(
            transport_plan::Column::Error,
            sea_orm::sea_query::Expr::value("interrupted by a server restart; plan again"),
        )
        .filter(transport_plan::Column::Status.eq(RUNNING))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
