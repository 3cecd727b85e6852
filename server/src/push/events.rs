//! What the server notifies about on its own: tomorrow over capacity and allocations ending soon
//! (to the coordinators of the location). Checked hourly; each event is sent once (push_log).
use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::domain::{Kind, Notification};
use super::entity::push_log;
use super::sender::{PushError, PushService, Report};
use crate::allocations::entity::allocation;
use crate::auth::entity::{user, user_location};
use crate::clients::entity::client;
use crate::organisation::entity::location;

/// Allocations ending within this many days are announced.
pub const EXPIRY_NOTICE_DAYS: i64 = 28;

/// Runs every check for `today`; returns what was sent.
pub async fn run_checks(
    db: &DatabaseConnection,
    push: &PushService,
    today: NaiveDate,
) -> Result<Report, PushError> {
    let mut total = capacity_tomorrow(db, push, today).await?;
    total += allocations_expiring(db, push, today).await?;
    Ok(total)
}

/// Active coordinators who work at a location.
pub async fn coordinators_of(
    db: &DatabaseConnection,
    location_id: i32,
) -> Result<Vec<i32>, PushError> {
    staff_of(db, location_id, "coordinator").await
}

/// Active users of a role who work at a location.
pub async fn staff_of(
    db: &DatabaseConnection,
    location_id: i32,
    role: &str,
) -> Result<Vec<i32>, PushError> {
    let at_location: Vec<i32> = user_location::Entity::find()
        .filter(user_location::Column::LocationId.eq(location_id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.user_id)
        .collect();
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(at_location))
        .filter(user::Column::Role.eq(role))
        .filter(user::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect())
}

/// Records the event; false when it was already sent.
async fn first_time(db: &DatabaseConnection, key: &str) -> Result<bool, PushError> {
    let inserted = push_log::ActiveModel {
        event_key: Set(key.to_owned()),
        sent_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(_) => Ok(true),
        Err(e)
            if matches!(
                e.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) =>
        {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

async fn capacity_tomorrow(
    db: &DatabaseConnection,
    push: &PushService,
    today: NaiveDate,
) -> Result<Report, PushError> {
    let tomorrow = today + Duration::days(1);
    let locations = location::Entity::find()
        .filter(location::Column::Active.eq(true))
        .all(db)
        .await?;
    let ids: Vec<i32> = locations.iter().map(|l| l.id).collect();
    let cells = crate::occupancy::storage::cells(db, &ids, tomorrow, tomorrow)
        .await
        .map_err(|e| PushError::Other(e.to_string()))?;
    let mut total = Report::default();
    for ((location_id, date, dagdeel), cell) in cells {
        if cell.capacity == 0 || cell.free() >= 0 {
            continue;
        }
        if !first_time(db, &format!("capacity:{location_id}:{date}:{dagdeel}")).await? {
            continue;
        }
        let name = locations
            .iter()
            .find(|l| l.id == location_id)
            .map_or("", |l| l.name.as_str());
        let notification = Notification {
            kind: Kind::CapacityExceeded,
            title: format!("Morgen vol: {name}"),
            body: format!(
                "{dagdeel} {}: {} gepland voor {} plaatsen.",
                date.format("%d-%m"),
                cell.planned + cell.unexpected,
                cell.capacity
            ),
            url: "#/occupancy".into(),
            tag: format!("capacity-{location_id}-{date}-{dagdeel}"),
        };
        total += push
            .notify_users(&coordinators_of(db, location_id).await?, &notification)
            .await?;
    }
    Ok(total)
}

async fn allocations_expiring(
    db: &DatabaseConnection,
    push: &PushService,
    today: NaiveDate,
) -> Result<Report, PushError> {
    let ending = allocation::Entity::find()
        .filter(
            allocation::Column::ValidTo.between(today, today + Duration::days(EXPIRY_NOTICE_DAYS)),
        )
        .all(db)
        .await?;
    let mut total = Report::default();
    for a in ending {
        let Some(valid_to) = a.valid_to else { continue };
        if !first_time(db, &format!("expiring:{}:{valid_to}", a.id)).await? {
            continue;
        }
        let Some(c) = client::Entity::find_by_id(a.client_id).one(db).await? else {
            continue;
        };
        let notification = Notification {
            kind: Kind::AllocationExpiring,
            title: "Toewijzing loopt af".into(),
            body: format!(
                "{} {}: de toewijzing loopt af op {}. Vraag op tijd een herindicatie aan.",
                c.first_name,
                c.last_name,
                valid_to.format("%d-%m-%Y")
            ),
            url: "#/occupancy".into(),
            tag: format!("expiring-{}", a.id),
        };
        total += push
            .notify_users(&coordinators_of(db, c.location_id).await?, &notification)
            .await?;
    }
    Ok(total)
}
