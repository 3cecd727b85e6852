//! Reading occupancy: aggregated in the database from the attendance projection, with the
//! schedules filling in days that have no dagstaat yet.
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::domain::{Cell, CellKey};
use crate::attendance::entity::attendance;
use crate::http::ApiResult;
use crate::organisation::entity::location_dagdeel;
use crate::schedules::domain::iso_weekday;
use crate::schedules::entity::schedule;

/// (location, date, dagdeel, status, no-show reason, expected, count)
type Group = (i32, NaiveDate, String, String, Option<String>, bool, i64);

/// Occupancy cells of `locations` from `from` to `to` (inclusive), for days with anyone planned or present.
pub async fn cells(
    db: &impl ConnectionTrait,
    locations: &[i32],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<BTreeMap<CellKey, Cell>> {
    use attendance::Column as C;
    let capacities: HashMap<(i32, String), i64> = location_dagdeel::Entity::find()
        .filter(location_dagdeel::Column::LocationId.is_in(locations.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|d| ((d.location_id, d.dagdeel), i64::from(d.capacity)))
        .collect();
    let groups: Vec<Group> = attendance::Entity::find()
        .select_only()
        .columns([
            C::LocationId,
            C::Date,
            C::Dagdeel,
            C::Status,
            C::NoShowReason,
            C::Expected,
        ])
        .column_as(Expr::col(C::Id).count(), "n")
        .filter(C::LocationId.is_in(locations.to_vec()))
        .filter(C::Date.between(from, to))
        .group_by(C::LocationId)
        .group_by(C::Date)
        .group_by(C::Dagdeel)
        .group_by(C::Status)
        .group_by(C::NoShowReason)
        .group_by(C::Expected)
        .into_tuple()
        .all(db)
        .await?;
    let mut cells: BTreeMap<CellKey, Cell> = BTreeMap::new();
    let mut recorded_days: HashSet<(i32, NaiveDate)> = HashSet::new();
    for (location, date, dagdeel, status, reason, expected, n) in groups {
        recorded_days.insert((location, date));
        let capacity = capacities
            .get(&(location, dagdeel.clone()))
            .copied()
            .unwrap_or(0);
        let cell = cells
            .entry((location, date, dagdeel))
            .or_insert_with(|| Cell {
                capacity,
                ..Cell::default()
            });
        if expected {
            cell.planned += n;
        }
        match status.as_str() {
            "expected" => cell.not_recorded += n,
            "present" => cell.present += n,
            "unexpected" => {
                cell.present += n;
                cell.unexpected += n;
            }
            "no_show" => {
                *cell
                    .no_shows
                    .entry(reason.unwrap_or_else(|| "overig".into()))
                    .or_default() += n
            }
            _ => {}
        }
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
