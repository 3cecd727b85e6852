//! Past attendance for the demo, recorded the way phones do it: events appended to each day's
//! dagstaat document through the hub, so the projection, audit trail and billing are all real.
use chrono::{Datelike, NaiveDate, Weekday};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use sync::Dagdeel;
use sync::dagstaat::{Event, EventKind, ExpectedClient, NoShowReason};

use crate::attendance::documents;
use crate::attendance::hub::Hub;
use crate::auth::entity::user;
use crate::http::ApiResult;
use crate::organisation::entity::location;

/// Records attendance on every weekday from `from` to `to` (inclusive) at every active location.
/// Returns the number of events recorded.
pub async fn record(
    hub: &Hub,
    db: &DatabaseConnection,
    from: NaiveDate,
    to: NaiveDate,
    seed: u64,
) -> ApiResult<usize> {
    let mut rng = StdRng::seed_from_u64(seed);
    let author = user::Entity::find()
        .filter(user::Column::Role.eq("coach"))
        .one(db)
        .await?
        .map_or(1, |u| i64::from(u.id));
    let locations = location::Entity::find()
        .filter(location::Column::Active.eq(true))
        .all(db)
        .await?;
    let mut recorded = 0;
    for date in from.iter_days().take_while(|d| *d <= to) {
        if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            continue;
        }
        for loc in &locations {
            let document_id = documents::find_or_create(db, loc.id, date).await?;
            let mut day_rng = StdRng::seed_from_u64(rng.random());
            hub.edit(&document_id, |doc| {
                let clients = doc.clients()?;
                for event in day_events(&clients, date, author, &mut day_rng) {
                    doc.append(&event)?;
                    recorded += 1;
                }
                Ok(())
            })
            .await?;
        }
    }
    Ok(recorded)
}

/// What the coaches of one day recorded: most expected clients come, some are ill or cancel,
/// a few do not show up unannounced (with the effort noted, mostly).
fn day_events(
    clients: &[ExpectedClient],
    date: NaiveDate,
    author: i64,
    rng: &mut StdRng,
) -> Vec<Event> {
    let mut events = Vec::new();
    let recorded_at = format!("{date}T17:30:00+01:00");
    let mut push = |kind: EventKind, rng: &mut StdRng| {
        events.push(Event {
            id: format!("demo-{date}-{:016x}", rng.random::<u64>()),
            kind,
            author,
            recorded_at: recorded_at.clone(),
        });
    };
    for client in clients.iter().filter(|c| !c.dagdelen.is_empty()) {
        let roll: f64 = rng.random();
        if roll < 0.84 {
            let (from, to) = visit_times(&client.dagdelen, rng);
            push(
                EventKind::CheckIn {
                    client_id: client.client_id,
                    minute: from,
                },
                rng,
            );
            push(
                EventKind::CheckOut {
                    client_id: client.client_id,
                    minute: to,
                },
                rng,
            );
        } else {
            let (reason, note) = match roll {
                r if r < 0.91 => (NoShowReason::Ziek, "Belde om 8:05 af"),
                r if r < 0.95 => (NoShowReason::Afgemeld, "Vorige week afgemeld"),
                r if r < 0.98 => (
                    NoShowReason::Onaangekondigd,
                    "Om 9:15 gebeld, geen gehoor; voicemail ingesproken",
                ),
                _ => (NoShowReason::Onaangekondigd, ""),
            };
            for dagdeel in &client.dagdelen {
                push(
                    EventKind::NoShow {
                        client_id: client.client_id,
                        dagdeel: *dagdeel,
                        reason,
                        note: note.to_owned(),
                    },
                    rng,
                );
            }
        }
    }
    events
}

/// Arrival and departure in minutes: whole days 9:00-16:00, mornings 9:00-12:30, afternoons
/// 13:00-16:30, with a little spread; now and then someone goes home early.
fn visit_times(dagdelen: &[Dagdeel], rng: &mut StdRng) -> (u16, u16) {
    let spread = rng.random_range(0..=20);
    let (from, to) = match (
        dagdelen.contains(&Dagdeel::Ochtend),
        dagdelen.contains(&Dagdeel::Middag),
    ) {
        (true, true) => (9 * 60, 16 * 60),
        (true, false) => (9 * 60, 12 * 60 + 30),
        _ => (13 * 60, 16 * 60 + 30),
    };
    let early = if rng.random_bool(0.05) { 90 } else { 0 };
    (from + spread, to - early)
}
