//! Loading a month's billing inputs and storing declarations.
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use futures_util::TryStreamExt;
use sea_orm::sea_query::Query as SqlQuery;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, StreamTrait,
};

use super::compute::MonthData;
use super::declaration::{LineStatus, SentLine};
use super::engine::{Allocation, AttendanceRow, Contract, Rides, RowStatus, Tariff};
use super::entity::declaration_line;
use super::month::Month;
use super::rules::ContractRules;
use crate::allocations::domain::Frequency;
use crate::allocations::entity::allocation;
use crate::attendance::entity::attendance;
use crate::contracts::domain::{ProductCategory, Unit};
use crate::contracts::entity::{contract, tariff};
use crate::http::{ApiError, ApiResult};

fn corrupt(what: &str, value: &str) -> ApiError {
    ApiError::Internal(format!("stored {what} '{value}'"))
}

pub fn to_allocation(a: allocation::Model) -> ApiResult<Allocation> {
    Ok(Allocation {
        id: a.id,
        client_id: a.client_id,
        allocation_number: a.allocation_number,
        category: ProductCategory::from_code(&a.product_category)
            .ok_or_else(|| corrupt("category", &a.product_category))?,
        unit: Unit::from_code(&a.unit_code).ok_or_else(|| corrupt("unit", &a.unit_code))?,
        frequency: Frequency::from_code(&a.frequency)
            .ok_or_else(|| corrupt("frequency", &a.frequency))?,
        product_code: a.product_code,
        volume: i64::from(a.volume),
        budget_cents: a.budget_cents,
        valid_from: a.valid_from,
        valid_to: a.valid_to,
    })
}

/// The projection columns billing reads, in this order.
type RowColumns = (
    NaiveDate,
    i32,
    String,
    String,
    i16,
    Option<String>,
    Option<String>,
    bool,
);

/// Attendance of the given clients in the month, per client. Streamed and reduced to the columns
/// billing needs: a month of 100k rows otherwise holds every column of every row twice in memory.
async fn attendance_rows(
    db: &(impl ConnectionTrait + StreamTrait),
    month: Month,
    clients: sea_orm::sea_query::SelectStatement,
) -> ApiResult<HashMap<i32, Vec<AttendanceRow>>> {
    use attendance::Column as C;
    let mut stream = attendance::Entity::find()
        .select_only()
        .columns([
            C::Date,
            C::ClientId,
            C::Dagdeel,
            C::Status,
            C::MinutesPresent,
            C::NoShowReason,
            C::NoShowNote,
            C::Conflict,
        ])
        .filter(C::Date.between(month.first(), month.last()))
        .filter(C::ClientId.in_subquery(clients))
        .order_by_asc(C::Date)
        .into_tuple::<RowColumns>()
        .stream(db)
        .await?;
    let mut rows: HashMap<i32, Vec<AttendanceRow>> = HashMap::new();
    while let Some((date, client_id, dagdeel, status, minutes, reason, note, conflict)) =
        stream.try_next().await?
    {
        rows.entry(client_id).or_default().push(AttendanceRow {
            date,
            status: RowStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
            minutes_present: u16::try_from(minutes).unwrap_or(0),
            no_show_reason: reason
                .as_deref()
                .and_then(sync::dagstaat::NoShowReason::parse),
            effort_noted: note.is_some_and(|n| !n.trim().is_empty()),
            conflict,
            dagdeel,
        });
    }
    Ok(rows)
}

pub fn to_sent(l: &declaration_line::Model) -> ApiResult<SentLine> {
    Ok(SentLine {
        id: l.id,
        allocation_id: l.allocation_id,
        reference: l.reference.clone(),
        debit: l.debit,
        corrects: l.corrects_line_id,
        period_start: l.period_start,
        volume: l.volume,
        amount_cents: l.amount_cents,
        status: LineStatus::parse(&l.status).ok_or_else(|| corrupt("line status", &l.status))?,
    })
}

/// The municipality's contracts with their rules and tariffs.
pub async fn contracts_of(
    db: &impl ConnectionTrait,
    municipality_id: i32,
) -> ApiResult<Vec<Contract>> {
    let rows = contract::Entity::find()
        .filter(contract::Column::MunicipalityId.eq(municipality_id))
        .order_by_asc(contract::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = rows.iter().map(|c| c.id).collect();
    let mut tariffs: HashMap<i32, Vec<Tariff>> = HashMap::new();
    for t in tariff::Entity::find()
        .filter(tariff::Column::ContractId.is_in(ids))
        .all(db)
        .await?
    {
        tariffs.entry(t.contract_id).or_default().push(Tariff {
            unit: Unit::from_code(&t.unit_code).ok_or_else(|| corrupt("unit", &t.unit_code))?,
            product_code: t.product_code,
            cents: t.tariff_cents,
        });
    }
    rows.into_iter()
        .map(|c| {
            Ok(Contract {
                id: c.id,
                valid_from: c.valid_from,
                valid_to: c.valid_to,
                rules: ContractRules::from_json(&c.rules)
                    .map_err(|e| corrupt("contract rules", &e.to_string()))?,
                tariffs: tariffs.remove(&c.id).unwrap_or_default(),
            })
        })
        .collect()
}

/// Loads everything needed to bill `month` for one municipality.
pub async fn load_month(
    db: &(impl ConnectionTrait + StreamTrait),
    municipality_id: i32,
    month: Month,
) -> ApiResult<MonthData> {
    let billable: Vec<Allocation> = allocation::Entity::find()
        .filter(allocation::Column::MunicipalityId.eq(municipality_id))
        .filter(allocation::Column::ValidFrom.lte(month.last()))
        .order_by_asc(allocation::Column::ClientId)
        .order_by_asc(allocation::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_allocation)
        .collect::<ApiResult<_>>()?;
    let clients_of_municipality = SqlQuery::select()
        .column(allocation::Column::ClientId)
        .from(allocation::Entity)
        .and_where(allocation::Column::MunicipalityId.eq(municipality_id))
        .to_owned();
    let all_of_clients = allocation::Entity::find()
        .filter(allocation::Column::ClientId.in_subquery(clients_of_municipality.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(to_allocation)
        .collect::<ApiResult<Vec<_>>>()?;
    let rows = attendance_rows(db, month, clients_of_municipality.clone()).await?;
    let rides = realised_rides(db, month, clients_of_municipality).await?;
    let billable_ids: HashSet<i32> = billable.iter().map(|a| a.id).collect();
    let sent = declared_lines(db, &billable_ids).await?;
    Ok(MonthData {
        billable,
        all_of_clients,
        rows,
        contracts: contracts_of(db, municipality_id).await?,
        sent,
        rides,
    })
}

/// Per client and day: the rides in published route runs and how many the driver dropped off.
async fn realised_rides(
    db: &impl ConnectionTrait,
    month: Month,
    clients: sea_orm::sea_query::SelectStatement,
) -> ApiResult<HashMap<i32, BTreeMap<NaiveDate, Rides>>> {
    use crate::transport::entity::ride_stop;
    let stops = ride_stop::Entity::find()
        .filter(ride_stop::Column::Date.between(month.first(), month.last()))
        .filter(ride_stop::Column::Kind.eq("dropoff"))
        .filter(ride_stop::Column::ClientId.in_subquery(clients))
        .all(db)
        .await?;
    let mut rides: HashMap<i32, BTreeMap<NaiveDate, Rides>> = HashMap::new();
    for stop in stops {
        let day = rides
            .entry(stop.client_id)
            .or_default()
            .entry(stop.date)
            .or_default();
        day.planned += 1;
        day.delivered += u32::from(stop.status == "delivered");
    }
    Ok(rides)
}

async fn declared_lines(
    db: &impl ConnectionTrait,
    allocation_ids: &HashSet<i32>,
) -> ApiResult<Vec<SentLine>> {
    let mut sent = Vec::new();
    let ids: Vec<i32> = allocation_ids.iter().copied().collect();
    // Bounded IN lists keep PostgreSQL and SQLite parameter limits far away.
    for chunk in ids.chunks(5_000) {
        for line in declaration_line::Entity::find()
            .filter(declaration_line::Column::AllocationId.is_in(chunk.to_vec()))
            .order_by_asc(declaration_line::Column::Id)
            .all(db)
            .await?
        {
            sent.push(to_sent(&line)?);
        }
    }
    Ok(sent)
}

/// Takes an exclusive lock on the municipality row for the rest of the transaction, so two
/// closes of the same municipality cannot declare the same units twice (PostgreSQL; SQLite
/// serialises writers anyway).
pub async fn lock_municipality(db: &impl ConnectionTrait, municipality_id: i32) -> ApiResult<()> {
    use crate::contracts::entity::municipality;
    municipality::Entity::find_by_id(municipality_id)
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("municipality"))?;
    Ok(())
}
