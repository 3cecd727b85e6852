//! Occupancy storage: cells per location x date x dagdeel, kept by the attendance projection, with
//! the schedules filling in days that have no dagstaat yet.
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, Set};
use sync::dagstaat::DayState;

use super::domain::{Cell, CellKey, day_cells};
use super::entity::occupancy_cell;
use crate::attendance::entity::attendance;
use crate::http::ApiResult;
use crate::organisation::entity::location_dagdeel;
use crate::schedules::domain::iso_weekday;
use crate::schedules::entity::schedule;

/// Occupancy cells of `locations` from `from` to `to` (inclusive), for days with anyone planned or present.
pub async fn cells(
    db: &impl ConnectionTrait,
    locations: &[i32],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<BTreeMap<CellKey, Cell>> {
    use occupancy_cell::Column as C;
    let capacities: HashMap<(i32, String), i64> = location_dagdeel::Entity::find()
        .filter(location_dagdeel::Column::LocationId.is_in(locations.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|d| ((d.location_id, d.dagdeel), i64::from(d.capacity)))
        .collect();
    let mut cells: BTreeMap<CellKey, Cell> = BTreeMap::new();
    let mut recorded_days: HashSet<(i32, NaiveDate)> = HashSet::new();
    for row in occupancy_cell::Entity::find()
        .filter(C::LocationId.is_in(locations.to_vec()))
        .filter(C::Date.between(from, to))
        .all(db)
        .await?
    {
        recorded_days.insert((row.location_id, row.date));
        let capacity = capacities
            .get(&(row.location_id, row.dagdeel.clone()))
            .copied()
            .unwrap_or(0);
        let no_shows = [
            ("ziek", row.ziek),
            ("afgemeld", row.afgemeld),
            ("onaangekondigd", row.onaangekondigd),
            ("niet_thuis", row.niet_thuis),
            ("overig", row.overig),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(reason, n)| (reason.to_owned(), i64::from(n)))
        .collect();
        cells.insert(
            (row.location_id, row.date, row.dagdeel),
            Cell {
                capacity,
                planned: i64::from(row.planned),
                present: i64::from(row.present),
                unexpected: i64::from(row.unexpected),
                no_shows,
                not_recorded: i64::from(row.not_recorded),
            },
        );
    }
    add_scheduled_days(
        db,
        locations,
        from,
        to,
        &recorded_days,
        &capacities,
        &mut cells,
    )
    .await?;
    Ok(cells)
}

/// Replaces the cells of one location-day (inside the projection's transaction).
pub async fn replace_day(
    db: &impl ConnectionTrait,
    location_id: i32,
    date: NaiveDate,
    state: &DayState,
) -> Result<(), DbErr> {
    use occupancy_cell::Column as C;
    occupancy_cell::Entity::delete_many()
        .filter(C::LocationId.eq(location_id))
        .filter(C::Date.eq(date))
        .exec(db)
        .await?;
    upsert_cells(db, location_id, date, day_cells(&state.dagdelen).iter()).await
}

/// Brings the cells of one location-day from `before` (what the table holds) to `after`,
/// writing only the cells that changed (inside the projection's transaction).
pub async fn update_day(
    db: &impl ConnectionTrait,
    location_id: i32,
    date: NaiveDate,
    before: &BTreeMap<String, Cell>,
    after: &BTreeMap<String, Cell>,
) -> Result<(), DbErr> {
    use occupancy_cell::Column as C;
    let gone: Vec<&String> = before.keys().filter(|d| !after.contains_key(*d)).collect();
    if !gone.is_empty() {
        occupancy_cell::Entity::delete_many()
            .filter(C::LocationId.eq(location_id))
            .filter(C::Date.eq(date))
            .filter(C::Dagdeel.is_in(gone))
            .exec(db)
            .await?;
    }
    let changed = after
        .iter()
        .filter(|(dagdeel, cell)| before.get(*dagdeel) != Some(*cell));
    upsert_cells(db, location_id, date, changed).await
}

async fn upsert_cells<'a>(
    db: &impl ConnectionTrait,
    location_id: i32,
    date: NaiveDate,
    cells: impl Iterator<Item = (&'a String, &'a Cell)>,
) -> Result<(), DbErr> {
    use occupancy_cell::Column as C;
    let count = |n: i64| i32::try_from(n).unwrap_or(i32::MAX);
    let rows: Vec<occupancy_cell::ActiveModel> = cells
        .map(|(dagdeel, cell)| {
            let reason = |name: &str| count(cell.no_shows.get(name).copied().unwrap_or(0));
            occupancy_cell::ActiveModel {
                location_id: Set(location_id),
                date: Set(date),
                planned: Set(count(cell.planned)),
                present: Set(count(cell.present)),
                unexpected: Set(count(cell.unexpected)),
                not_recorded: Set(count(cell.not_recorded)),
                ziek: Set(reason("ziek")),
                afgemeld: Set(reason("afgemeld")),
                onaangekondigd: Set(reason("onaangekondigd")),
                niet_thuis: Set(reason("niet_thuis")),
                overig: Set(reason("overig")),
                dagdeel: Set(dagdeel.clone()),
                ..Default::default()
            }
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    occupancy_cell::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([C::LocationId, C::Date, C::Dagdeel])
                .update_columns([
                    C::Planned,
                    C::Present,
                    C::Unexpected,
                    C::NotRecorded,
                    C::Ziek,
                    C::Afgemeld,
                    C::Onaangekondigd,
                    C::NietThuis,
                    C::Overig,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Rebuilds every cell from the attendance rows (after a bulk load or to repair).
pub async fn rebuild(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    occupancy_cell::Entity::delete_many().exec(db).await?;
    db.execute_unprepared(migrations::REBUILD_OCCUPANCY_SQL)
        .await?;
    Ok(())
}

/// Days without a dagstaat (further ahead than the prepared week, or never opened): planned from
/// the schedules.
async fn add_scheduled_days(
    db: &impl ConnectionTrait,
    locations: &[i32],
    from: NaiveDate,
    to: NaiveDate,
    recorded_days: &HashSet<(i32, NaiveDate)>,
    capacities: &HashMap<(i32, String), i64>,
    cells: &mut BTreeMap<CellKey, Cell>,
) -> ApiResult<()> {
    let schedules = schedule::Entity::find()
        .filter(schedule::Column::LocationId.is_in(locations.to_vec()))
        .filter(schedule::Column::ValidFrom.lte(to))
        .filter(
            sea_orm::Condition::any()
                .add(schedule::Column::ValidTo.is_null())
                .add(schedule::Column::ValidTo.gte(from)),
        )
        .all(db)
        .await?;
    for date in from.iter_days().take_while(|d| *d <= to) {
        let weekday = iso_weekday(date);
        for s in schedules.iter().filter(|s| {
            s.weekday == weekday
                && s.valid_from <= date
                && s.valid_to.is_none_or(|t| date <= t)
                && !recorded_days.contains(&(s.location_id, date))
        }) {
            let capacity = capacities
                .get(&(s.location_id, s.dagdeel.clone()))
                .copied()
                .unwrap_or(0);
            let cell = cells
                .entry((s.location_id, date, s.dagdeel.clone()))
                .or_insert_with(|| Cell {
                    capacity,
                    ..Cell::default()
                });
            cell.planned += 1;
            cell.not_recorded += 1;
        }
    }
    Ok(())
}

/// Per client: expected dagdelen and no-shows (by reason) in the range.
pub async fn client_no_shows(
    db: &impl ConnectionTrait,
    locations: &[i32],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<BTreeMap<i32, (i64, BTreeMap<String, i64>)>> {
    use attendance::Column as C;
    let groups: Vec<(i32, String, Option<String>, i64)> = attendance::Entity::find()
        .select_only()
        .columns([C::ClientId, C::Status, C::NoShowReason])
        .column_as(Expr::col(C::Id).count(), "n")
        .filter(C::LocationId.is_in(locations.to_vec()))
        .filter(C::Date.between(from, to))
        .filter(C::Expected.eq(true))
        .group_by(C::ClientId)
        .group_by(C::Status)
        .group_by(C::NoShowReason)
        .into_tuple()
        .all(db)
        .await?;
    let mut out: BTreeMap<i32, (i64, BTreeMap<String, i64>)> = BTreeMap::new();
    for (client, status, reason, n) in groups {
        let entry = out.entry(client).or_default();
        entry.0 += n;
        if status == "no_show" {
            *entry
                .1
                .entry(reason.unwrap_or_else(|| "overig".into()))
                .or_default() += n;
        }
    }
    Ok(out)
}
