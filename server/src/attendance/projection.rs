//! The relational projection of a dagstaat: one attendance row per client x dagdeel.
use chrono::{NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use sync::dagstaat::{DagdeelStatus, DayState};

use super::entity::attendance;

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
    let now = Utc::now();
    let rows: Vec<attendance::ActiveModel> = state
        .dagdelen
        .iter()
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
    if !rows.is_empty() {
        attendance::Entity::insert_many(rows).exec(db).await?;
    }
    crate::occupancy::storage::replace_day(db, location_id, date, state).await
}
