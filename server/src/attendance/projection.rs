//! The relational projection of a dagstaat: one attendance row per client x dagdeel.
use chrono::{NaiveDate, Utc};
use std::collections::{HashMap, HashSet};

use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use sync::Dagdeel;
use sync::dagstaat::{ClientDagdeel, DagdeelStatus, DayState};

use super::entity::attendance;
use crate::occupancy::{self, domain::day_cells};

pub fn status_name(status: DagdeelStatus) -> &'static str {
    match status {
        DagdeelStatus::Expected => "expected",
        DagdeelStatus::Present => "present",
        DagdeelStatus::NoShow => "no_show",
        DagdeelStatus::Unexpected => "unexpected",
    }
}

/// Replaces the rows of one location-day with the folded state (inside the caller's transaction).
pub async fn replace(
    db: &impl ConnectionTrait,
    location_id: i32,
    date: NaiveDate,
    state: &DayState,
) -> Result<(), DbErr> {
    attendance::Entity::delete_many()
        .filter(attendance::Column::LocationId.eq(location_id))
        .filter(attendance::Column::Date.eq(date))
        .exec(db)
        .await?;
    upsert_rows(db, location_id, date, state.dagdelen.iter()).await?;
    occupancy::storage::replace_day(db, location_id, date, state).await
}

/// Brings the rows from `before` (what the database holds) to `after`, touching only the
/// client x dagdelen that changed: a phone's change concerns a few clients, the day holds many.
pub async fn update(
    db: &impl ConnectionTrait,
    location_id: i32,
    date: NaiveDate,
    before: &DayState,
    after: &DayState,
) -> Result<(), DbErr> {
    let key = |e: &ClientDagdeel| (e.client_id, e.dagdeel);
    let old: HashMap<(i64, Dagdeel), &ClientDagdeel> =
        before.dagdelen.iter().map(|e| (key(e), e)).collect();
    let new: HashMap<(i64, Dagdeel), &ClientDagdeel> =
        after.dagdelen.iter().map(|e| (key(e), e)).collect();
    let changed: Vec<(i64, Dagdeel)> = old
        .keys()
        .chain(new.keys())
        .filter(|k| old.get(k) != new.get(k))
        .copied()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    // Rows go only when a client left the day's list; changed rows are written in place.
    let gone: Vec<&(i64, Dagdeel)> = changed.iter().filter(|k| !new.contains_key(k)).collect();
    if !gone.is_empty() {
        let mut which = Condition::any();
        for (client_id, dagdeel) in gone {
            which = which.add(
                Condition::all()
                    .add(attendance::Column::ClientId.eq(i32::try_from(*client_id).unwrap_or(-1)))
                    .add(attendance::Column::Dagdeel.eq(dagdeel.as_str())),
            );
        }
        attendance::Entity::delete_many()
            .filter(attendance::Column::LocationId.eq(location_id))
            .filter(attendance::Column::Date.eq(date))
            .filter(which)
            .exec(db)
            .await?;
    }
    upsert_rows(
        db,
        location_id,
        date,
        changed.iter().filter_map(|k| new.get(k).copied()),
    )
    .await?;
    let (cells_before, cells_after) = (day_cells(&before.dagdelen), day_cells(&after.dagdelen));
    occupancy::storage::update_day(db, location_id, date, &cells_before, &cells_after).await?;
    Ok(())
}

/// Writes the rows of `entries`, in place where they exist.
async fn upsert_rows<'a>(
    db: &impl ConnectionTrait,
    location_id: i32,
    date: NaiveDate,
    entries: impl Iterator<Item = &'a ClientDagdeel>,
) -> Result<(), DbErr> {
    let now = Utc::now();
    let rows: Vec<attendance::ActiveModel> = entries
        .filter_map(|entry| {
            Some(attendance::ActiveModel {
                location_id: Set(location_id),
                date: Set(date),
                client_id: Set(i32::try_from(entry.client_id).ok()?),
                dagdeel: Set(entry.dagdeel.as_str().to_owned()),
                status: Set(status_name(entry.status).to_owned()),
                expected: Set(entry.expected),
                present_from: Set(entry.present_from.map(|m| m as i16)),
                present_to: Set(entry.present_to.map(|m| m as i16)),
                minutes_present: Set(entry.minutes_present as i16),
                no_show_reason: Set(entry.no_show_reason.map(|r| r.as_str().to_owned())),
                no_show_note: Set(entry.no_show_note.clone()),
                recorded_by: Set(entry.recorded_by.and_then(|id| i32::try_from(id).ok())),
                conflict: Set(entry.conflict),
                updated_at: Set(now),
                ..Default::default()
            })
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    use attendance::Column as C;
    attendance::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([C::LocationId, C::Date, C::ClientId, C::Dagdeel])
                .update_columns([
                    C::Status,
                    C::Expected,
                    C::PresentFrom,
                    C::PresentTo,
                    C::MinutesPresent,
                    C::NoShowReason,
                    C::NoShowNote,
                    C::RecordedBy,
                    C::Conflict,
                    C::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}
