//! Coordinator dashboard API: occupancy per location x period x dagdeel, no-show rates, CSV.
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;
use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::payload::{Attachment, Json};
use poem_openapi::{Object, OpenApi, Tags};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::domain::{Cell, Grouping, group, rate_percent};
use super::storage;
use super::usage::{Attention, UsageInput, usage};
use crate::allocations::domain::Frequency;
use crate::allocations::entity::allocation;
use crate::auth::{Auth, Permission, Principal};
use crate::billing::compute::compute;
use crate::billing::declaration::net_declared;
use crate::billing::engine::Allocation;
use crate::billing::month::Month;
use crate::billing::storage::{load_month, to_allocation};
use crate::billing::wmo323::csv_field;
use crate::clients::entity::client;
use crate::contracts::domain::ProductCategory;
use crate::http::{ApiError, ApiResult};
use crate::organisation::api::locations_in_scope;
use crate::schedules::domain::iso_weekday;
use crate::schedules::entity::schedule;
use crate::startup::AppState;

/// A year and a bit: enough for trends, bounded so one request cannot scan everything.
const MAX_DAYS: i64 = 400;

#[derive(Tags)]
enum ApiTags {
    /// Occupancy and no-show rates for coordinators
    Occupancy,
}

#[derive(Debug, Object)]
pub struct ReasonCount {
    pub reason: String,
    pub count: i64,
}

#[derive(Debug, Object)]
pub struct OccupancyRow {
    pub location_id: i32,
    pub location_name: String,
    /// `2026-11-23`, `2026-W48` or `2026-11`.
    pub period: String,
    pub dagdeel: String,
    /// Places (summed over the days of the period).
    pub capacity: i64,
    /// Expected by the schedules.
    pub planned: i64,
    pub present: i64,
    /// Present without being planned.
    pub unexpected: i64,
    pub no_shows: Vec<ReasonCount>,
    pub no_show_total: i64,
    /// Planned, but nothing recorded (yet).
    pub not_recorded: i64,
    /// Capacity minus planned and walk-ins; negative means over capacity.
    pub free: i64,
    pub occupancy_percent: f64,
    pub no_show_percent: f64,
}

#[derive(Debug, Object)]
pub struct LocationRate {
    pub location_id: i32,
    pub location_name: String,
    pub planned: i64,
    pub no_shows: i64,
    pub no_show_percent: f64,
}

#[derive(Debug, Object)]
pub struct OccupancyReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub group: Grouping,
    pub rows: Vec<OccupancyRow>,
    pub locations: Vec<LocationRate>,
}

#[derive(Debug, Object)]
pub struct ClientRate {
    pub client_id: i32,
    pub name: String,
    pub expected: i64,
    pub no_shows: i64,
    pub no_show_percent: f64,
    pub by_reason: Vec<ReasonCount>,
}

#[derive(Debug, Object)]
pub struct AllocationUsage {
    pub allocation_id: i32,
    pub client_id: i32,
    pub client_name: String,
    pub location_id: i32,
    pub allocation_number: i64,
    pub product_category: ProductCategory,
    pub product_code: String,
    pub frequency: Frequency,
    pub volume: i64,
    pub valid_to: Option<NaiveDate>,
    /// Units attendance gave this month so far (before caps).
    pub used_this_month: i64,
    /// What the allocation allows this month (IV077 for weekly allocations).
    pub allocated_this_month: i64,
    /// Where this month ends at the pace so far.
    pub projected_this_month: i64,
    pub remaining_total: Option<i64>,
    pub projected_run_out: Option<NaiveDate>,
    pub expires_in_days: Option<i64>,
    pub attention: Vec<Attention>,
}

#[derive(Debug, Object)]
pub struct ClientWithoutAllocation {
    pub client_id: i32,
    pub name: String,
    pub location_id: i32,
}

#[derive(Debug, Object)]
pub struct AllocationReport {
    pub date: NaiveDate,
    /// Allocations valid on the date; those that need action first.
    pub allocations: Vec<AllocationUsage>,
    /// Clients with a schedule on the date but no valid dagbesteding allocation.
    pub without_allocation: Vec<ClientWithoutAllocation>,
}

pub struct OccupancyApi;

#[OpenApi(tag = "ApiTags::Occupancy")]
impl OccupancyApi {
    /// Occupancy per location x day/week/month x dagdeel, with no-show rates per location.
    #[oai(path = "/occupancy", method = "get")]
    async fn occupancy(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        from: Query<NaiveDate>,
        to: Query<NaiveDate>,
        location_id: Query<Option<i32>>,
        group: Query<Option<Grouping>>,
    ) -> ApiResult<Json<OccupancyReport>> {
        let me = auth.require(Permission::OccupancyRead)?;
        Ok(Json(
            report(
                &state,
                me,
                from.0,
                to.0,
                location_id.0,
                group.0.unwrap_or_default(),
            )
            .await?,
        ))
    }

    /// The same report as CSV (semicolon-separated, for spreadsheets).
    #[oai(path = "/occupancy/csv", method = "get")]
    async fn occupancy_csv(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        from: Query<NaiveDate>,
        to: Query<NaiveDate>,
        location_id: Query<Option<i32>>,
        group: Query<Option<Grouping>>,
    ) -> ApiResult<Attachment<Vec<u8>>> {
        let me = auth.require(Permission::OccupancyRead)?;
        let report = report(
            &state,
            me,
            from.0,
            to.0,
            location_id.0,
            group.0.unwrap_or_default(),
        )
        .await?;
        Ok(Attachment::new(to_csv(&report).into_bytes())
            .filename(format!("bezetting-{}-{}.csv", report.from, report.to)))
    }

    /// No-show rate per client (highest first) over the planned dagdelen in the range.
    #[oai(path = "/occupancy/no-shows", method = "get")]
    async fn no_shows(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        from: Query<NaiveDate>,
        to: Query<NaiveDate>,
        location_id: Query<Option<i32>>,
    ) -> ApiResult<Json<Vec<ClientRate>>> {
        let me = auth.require(Permission::OccupancyRead)?;
        check_range(from.0, to.0)?;
        let locations = scoped_locations(&state, me, location_id.0).await?;
        let ids: Vec<i32> = locations.keys().copied().collect();
        let counts = storage::client_no_shows(&state.db, &ids, from.0, to.0).await?;
        let names: HashMap<i32, String> = client::Entity::find()
            .filter(client::Column::Id.is_in(counts.keys().copied().collect::<Vec<_>>()))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|c| (c.id, format!("{} {}", c.first_name, c.last_name)))
            .collect();
        let mut rates: Vec<ClientRate> = counts
            .into_iter()
            .map(|(client_id, (expected, reasons))| {
                let no_shows = reasons.values().sum();
                ClientRate {
                    client_id,
                    name: names.get(&client_id).cloned().unwrap_or_default(),
                    expected,
                    no_shows,
                    no_show_percent: rate_percent(no_shows, expected),
                    by_reason: reason_counts(&reasons),
                }
            })
            .collect();
        rates.sort_by(|a, b| {
            b.no_show_percent
                .total_cmp(&a.no_show_percent)
                .then(b.no_shows.cmp(&a.no_shows))
                .then(a.client_id.cmp(&b.client_id))
        });
        Ok(Json(rates))
    }

    /// Allocation usage on a date (default today): used versus allocated this month, projected
    /// run-out, expiry within `weeks` (default 8), and scheduled clients without a valid allocation.
    #[oai(path = "/occupancy/allocations", method = "get")]
    async fn allocations(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        date: Query<Option<NaiveDate>>,
        weeks: Query<Option<i64>>,
        location_id: Query<Option<i32>>,
    ) -> ApiResult<Json<AllocationReport>> {
        let me = auth.require(Permission::OccupancyRead)?;
        let today = date
            .0
            .unwrap_or_else(|| sync::amsterdam_date(chrono::Utc::now()));
        let weeks = weeks.0.unwrap_or(8);
        if !(0..=52).contains(&weeks) {
            return Err(ApiError::invalid("weeks", "must be between 0 and 52"));
        }
        let locations = scoped_locations(&state, me, location_id.0).await?;
        Ok(Json(
            allocation_report(&state, &locations, today, weeks).await?,
        ))
    }
}

fn check_range(from: NaiveDate, to: NaiveDate) -> ApiResult<()> {
    if to < from {
        return Err(ApiError::invalid("to", "must not be before from"));
    }
    if (to - from).num_days() >= MAX_DAYS {
        return Err(ApiError::invalid(
            "to",
            format!("the range may be at most {MAX_DAYS} days"),
        ));
    }
    Ok(())
}

/// The caller's locations (id -> name), or the one asked for if the caller may see it.
async fn scoped_locations(
    state: &AppState,
    me: &Principal,
    location_id: Option<i32>,
) -> ApiResult<BTreeMap<i32, String>> {
    if let Some(id) = location_id {
        me.require_location(id)?;
    }
    Ok(locations_in_scope(&state.db, me)
        .await?
        .into_iter()
        .filter(|l| location_id.is_none_or(|id| id == l.id))
        .map(|l| (l.id, l.name))
        .collect())
}

fn reason_counts(reasons: &BTreeMap<String, i64>) -> Vec<ReasonCount> {
    reasons
        .iter()
        .map(|(reason, count)| ReasonCount {
            reason: reason.clone(),
            count: *count,
        })
        .collect()
}

async fn report(
    state: &AppState,
    me: &Principal,
    from: NaiveDate,
    to: NaiveDate,
    location_id: Option<i32>,
    grouping: Grouping,
) -> ApiResult<OccupancyReport> {
    check_range(from, to)?;
    let locations = scoped_locations(state, me, location_id).await?;
    let ids: Vec<i32> = locations.keys().copied().collect();
    let cells = storage::cells(&state.db, &ids, from, to).await?;
    let name = |id: i32| locations.get(&id).cloned().unwrap_or_default();
    let rows = group(&cells, grouping)
        .into_iter()
        .map(|((location_id, period, dagdeel), cell)| {
            row(location_id, name(location_id), period, dagdeel, &cell)
        })
        .collect();
    let mut per_location: BTreeMap<i32, Cell> = BTreeMap::new();
    for ((location, _, _), cell) in &cells {
        per_location.entry(*location).or_default().add(cell);
    }
    let locations = per_location
        .into_iter()
        .map(|(location_id, cell)| LocationRate {
            location_id,
            location_name: name(location_id),
            planned: cell.planned,
            no_shows: cell.no_show_total(),
            no_show_percent: rate_percent(cell.no_show_total(), cell.planned),
        })
        .collect();
    Ok(OccupancyReport {
        from,
        to,
        group: grouping,
        rows,
        locations,
    })
}

fn row(
    location_id: i32,
    location_name: String,
    period: String,
    dagdeel: String,
    cell: &Cell,
) -> OccupancyRow {
    OccupancyRow {
        location_id,
        location_name,
        period,
        dagdeel,
        capacity: cell.capacity,
        planned: cell.planned,
        present: cell.present,
        unexpected: cell.unexpected,
        no_shows: reason_counts(&cell.no_shows),
        no_show_total: cell.no_show_total(),
        not_recorded: cell.not_recorded,
        free: cell.free(),
        occupancy_percent: rate_percent(cell.present, cell.capacity),
        no_show_percent: rate_percent(cell.no_show_total(), cell.planned),
    }
}

const CSV_HEADER: &str = "locatie;periode;dagdeel;capaciteit;gepland;aanwezig;onverwacht;no_show;ziek;afgemeld;onaangekondigd;niet_thuis;overig;niet_geregistreerd;vrij;bezetting_pct;no_show_pct";

fn to_csv(report: &OccupancyReport) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    for r in &report.rows {
        let reason = |name: &str| {
            r.no_shows
                .iter()
                .find(|c| c.reason == name)
                .map_or(0, |c| c.count)
                .to_string()
        };
        let fields = [
            csv_field(&r.location_name),
            r.period.clone(),
            r.dagdeel.clone(),
            r.capacity.to_string(),
            r.planned.to_string(),
            r.present.to_string(),
            r.unexpected.to_string(),
            r.no_show_total.to_string(),
            reason("ziek"),
            reason("afgemeld"),
            reason("onaangekondigd"),
            reason("niet_thuis"),
            reason("overig"),
            r.not_recorded.to_string(),
            r.free.to_string(),
            format!("{:.1}", r.occupancy_percent).replace('.', ","),
            format!("{:.1}", r.no_show_percent).replace('.', ","),
        ];
        out.push_str(&fields.join(";"));
        out.push_str("\r\n");
    }
    out
}

async fn allocation_report(
    state: &AppState,
    locations: &BTreeMap<i32, String>,
    today: NaiveDate,
    weeks: i64,
) -> ApiResult<AllocationReport> {
    let clients: HashMap<i32, client::Model> = client::Entity::find()
        .filter(client::Column::LocationId.is_in(locations.keys().copied().collect::<Vec<_>>()))
        .filter(client::Column::Active.eq(true))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let valid: Vec<Allocation> = allocation::Entity::find()
        .filter(allocation::Column::ClientId.is_in(clients.keys().copied().collect::<Vec<_>>()))
        .filter(allocation::Column::ValidFrom.lte(today))
        .filter(
            sea_orm::Condition::any()
                .add(allocation::Column::ValidTo.is_null())
                .add(allocation::Column::ValidTo.gte(today)),
        )
        .all(&state.db)
        .await?
        .into_iter()
        .map(to_allocation)
        .collect::<ApiResult<_>>()?;
    let used = used_this_month(state, &valid, today).await?;
    let mut allocations: Vec<AllocationUsage> = valid
        .iter()
        .filter_map(|a| {
            let c = clients.get(&a.client_id)?;
            let (used_this_month, used_before) = used.get(&a.id).copied().unwrap_or((0, 0));
            let u = usage(
                &UsageInput {
                    frequency: a.frequency,
                    volume: a.volume,
                    valid_from: a.valid_from,
                    valid_to: a.valid_to,
                    used_this_month,
                    used_before,
                },
                today,
                weeks,
            );
            Some(AllocationUsage {
                allocation_id: a.id,
                client_id: a.client_id,
                client_name: format!("{} {}", c.first_name, c.last_name),
                location_id: c.location_id,
                allocation_number: a.allocation_number,
                product_category: a.category,
                product_code: a.product_code.clone(),
                frequency: a.frequency,
                volume: a.volume,
                valid_to: a.valid_to,
                used_this_month,
                allocated_this_month: u.allocated_this_month,
                projected_this_month: u.projected_this_month,
                remaining_total: u.remaining_total,
                projected_run_out: u.projected_run_out,
                expires_in_days: u.expires_in_days,
                attention: u.attention,
            })
        })
        .collect();
    allocations.sort_by_key(|a| {
        (
            a.attention.is_empty(),
            a.expires_in_days.unwrap_or(i64::MAX),
            a.client_id,
        )
    });
    let with_day_care: HashSet<i32> = valid
        .iter()
        .filter(|a| a.category == ProductCategory::Dagbesteding)
        .map(|a| a.client_id)
        .collect();
    let weekday = iso_weekday(today);
    let mut without: BTreeMap<i32, ClientWithoutAllocation> = BTreeMap::new();
    for s in schedule::Entity::find()
        .filter(schedule::Column::LocationId.is_in(locations.keys().copied().collect::<Vec<_>>()))
        .filter(schedule::Column::ValidFrom.lte(today))
        .all(&state.db)
        .await?
        .into_iter()
        .filter(|s| s.valid_to.is_none_or(|t| today <= t) && s.weekday == weekday)
    {
        if with_day_care.contains(&s.client_id) {
            continue;
        }
        if let Some(c) = clients.get(&s.client_id) {
            without.insert(
                c.id,
                ClientWithoutAllocation {
                    client_id: c.id,
                    name: format!("{} {}", c.first_name, c.last_name),
                    location_id: c.location_id,
                },
            );
        }
    }
    Ok(AllocationReport {
        date: today,
        allocations,
        without_allocation: without.into_values().collect(),
    })
}

/// Per allocation: units attendance gave this month (declared or held back, so caps do not hide
/// use) and, for total allocations, what was declared before this month.
async fn used_this_month(
    state: &AppState,
    allocations: &[Allocation],
    today: NaiveDate,
) -> ApiResult<HashMap<i32, (i64, i64)>> {
    let month = Month::containing(today);
    let wanted: HashSet<i32> = allocations.iter().map(|a| a.id).collect();
    let municipalities: BTreeSet<i32> = allocation::Entity::find()
        .filter(allocation::Column::Id.is_in(wanted.iter().copied().collect::<Vec<_>>()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|a| a.municipality_id)
        .collect();
    let mut out = HashMap::new();
    for municipality in municipalities {
        let data = load_month(&state.db, municipality, month).await?;
        for line in compute(month, &data) {
            if !wanted.contains(&line.allocation_id) {
                continue;
            }
            let held: i64 = line.held_back.iter().map(|h| h.quantity).sum();
            let before = net_declared(data.sent.iter().filter(|l| {
                l.allocation_id == line.allocation_id && !month.contains(l.period_start)
            }))
            .0;
            out.insert(line.allocation_id, (line.volume + held, before));
        }
    }
    Ok(out)
}
