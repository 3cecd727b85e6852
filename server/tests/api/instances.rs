//! Several server instances on one database (PostgreSQL when a provider outgrows one machine):
//! a change through one instance is never lost or mis-projected by another that had the
//! document open, and on PostgreSQL the phones on either instance see it within moments.
use std::time::Duration;

use dagstaat::attendance::documents;
use dagstaat::attendance::entity::attendance;
use dagstaat::auth::Role;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use sync::dagstaat::{DagstaatDoc, Event, EventKind};

use crate::helpers::{TestApp, coach_location, next_tuesday};
use crate::phone::Phone;

fn check_in(doc: &mut automerge::AutoCommit, client_id: i64, author: i64) {
    let mut day = DagstaatDoc::load(&doc.save()).unwrap();
    day.append(&Event {
        id: format!("in-{client_id}"),
        kind: EventKind::CheckIn {
            client_id,
            minute: 9 * 60,
        },
        author,
        recorded_at: "2026-11-24T09:00:00Z".into(),
    })
    .unwrap();
    doc.merge(day.automerge()).unwrap();
}

fn checked_in(phone: &mut Phone) -> Vec<String> {
    let day = DagstaatDoc::load(&phone.doc.save()).unwrap();
    let mut ids: Vec<String> = day.events().unwrap().into_iter().map(|e| e.id).collect();
    ids.sort();
    ids
}

/// Waits (up to a few seconds) until `phone` holds `expected`, taking in what the server sends.
async fn until_holds(phone: &mut Phone, expected: &[String]) -> Vec<String> {
    for _ in 0..10 {
        if checked_in(phone) == expected {
            break;
        }
        phone
            .listen_without_answering(Duration::from_millis(500))
            .await;
    }
    checked_in(phone)
}

#[tokio::test]
async fn a_change_through_one_instance_reaches_the_other_and_both_are_projected() {
    let first = TestApp::spawn().await;
    let second = first.another_instance().await;
    let coach = first.token(Role::Coach).await;
    let token = coach.bearer.clone().unwrap();
    let author = coach.get_ok("/api/me").await["id"].as_i64().unwrap();
    let location = coach_location(&first).await;
    let date = next_tuesday();
    let document_id = documents::find_or_create(first.db(), location as i32, date)
        .await
        .unwrap();
    // Both instances have the document open before anything is recorded.
    let mut on_second = Phone::open(&second.url, &token, document_id).await;
    let mut on_first = Phone::open(&first.url, &token, document_id).await;
    let clients: Vec<i64> = DagstaatDoc::load(&on_first.doc.save())
        .unwrap()
        .clients()
        .unwrap()
        .iter()
        .filter(|c| !c.dagdelen.is_empty())
        .map(|c| c.client_id)
        .take(2)
        .collect();
    let (a, b) = (clients[0], clients[1]);

    on_first.change(|doc| check_in(doc, a, author)).await;
    let postgres = first.db().get_database_backend() == sea_orm::DbBackend::Postgres;
    if postgres {
        assert_eq!(
            until_holds(&mut on_second, &[format!("in-{a}")]).await,
            [format!("in-{a}")],
            "the other instance told its phone"
        );
    }
    // The second instance's copy may be behind; its commit merges what the first stored.
    on_second.change(|doc| check_in(doc, b, author)).await;
    let both = [format!("in-{a}"), format!("in-{b}")];
    assert_eq!(until_holds(&mut on_second, &both).await, both);
    if postgres {
        assert_eq!(until_holds(&mut on_first, &both).await, both);
    }

    let present: Vec<i32> = attendance::Entity::find()
        .filter(attendance::Column::LocationId.eq(location as i32))
        .filter(attendance::Column::Date.eq(date))
        .filter(attendance::Column::Status.eq("present"))
        .all(first.db())
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.client_id)
        .collect();
    assert!(
        present.contains(&(a as i32)) && present.contains(&(b as i32)),
        "both check-ins projected, got {present:?}"
    );
    let stored = documents::load(first.db(), &document_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.version, 2, "one commit per change");
    assert_eq!(stored.doc.events().unwrap().len(), 2);
}

/// A run open on the driver's instance, a client reported ill through the other: the
/// cancellation and the driver's next pickup are both stored and projected.
#[tokio::test]
async fn a_run_cancelled_through_one_instance_keeps_the_drivers_pickup_through_the_other() {
    use dagstaat::auth::Role::{Coordinator, Driver};
    use sync::protocol::DocumentId;
    use sync::routerun::{RouteRunDoc, RunEvent, RunEventKind, StopStatus};

    let first = TestApp::spawn().await;
    let second = first.another_instance().await;
    let planner = first.login(Coordinator).await;
    let date = crate::transport::planning_date();
    let plan = crate::route_runs::plan_morning(&first, &planner, date).await;
    let driver = first.token(Driver).await;
    let driver_id = driver.get_ok("/api/me").await["id"].as_i64().unwrap();
    crate::route_runs::publish_first_route(&planner, &plan, &driver_id.into()).await;
    let runs = driver
        .get_ok(&format!("/api/transport/runs?date={date}"))
        .await;
    let run_id: DocumentId = runs[0]["document_id"].as_str().unwrap().parse().unwrap();
    let mut driver_phone = Phone::open(&first.url, driver.bearer.as_deref().unwrap(), run_id).await;
    let pickups: Vec<sync::routerun::Stop> = RouteRunDoc::load(&driver_phone.doc.save())
        .unwrap()
        .stops()
        .unwrap()
        .into_iter()
        .filter(|s| s.kind == "pickup")
        .collect();
    let (ill, next) = (pickups[0].clone(), pickups[1].clone());
    assert_ne!(ill.client_id, next.client_id);

    // A coordinator on the other instance reports the first client ill.
    crate::route_runs::report_ill(&first, &second, ill.client_id, ill.location_id, date).await;

    // The driver's instance had the run open from before; the pickup goes through it.
    driver_phone
        .change(|doc| {
            let mut run = RouteRunDoc::load(&doc.save()).unwrap();
            run.append(&RunEvent {
                id: "up-1".into(),
                kind: RunEventKind::PickedUp {
                    stop: next.id.clone(),
                    minute: next.minute,
                },
                author: driver_id,
                recorded_at: "2026-11-24T07:40:00Z".into(),
            })
            .unwrap();
            doc.merge(run.automerge()).unwrap();
        })
        .await;
    driver_phone.settle().await;
    let on_phone = RouteRunDoc::load(&driver_phone.doc.save())
        .unwrap()
        .state()
        .unwrap();
    let status_of = |client_id: i64| {
        on_phone
            .iter()
            .find(|(s, _)| s.client_id == client_id && s.kind == "pickup")
            .map(|(_, st)| st.status)
    };
    assert_eq!(status_of(ill.client_id), Some(StopStatus::Cancelled));
    assert_eq!(status_of(next.client_id), Some(StopStatus::PickedUp));

    let runs = planner
        .get_ok(&format!("/api/transport/runs?date={date}"))
        .await;
    let projected: Vec<(i64, String)> = runs
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|run| run["stops"].as_array().unwrap().clone())
        .filter(|s| s["kind"] == "pickup")
        .map(|s| {
            (
                s["client_id"].as_i64().unwrap(),
                s["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        projected.contains(&(ill.client_id, "cancelled".into())),
        "{projected:?}"
    );
    assert!(
        projected.contains(&(next.client_id, "picked_up".into())),
        "{projected:?}"
    );
}

/// PostgreSQL only (SQLite has no notices): an instance that lost its connection for commit
/// notices listens anew and catches up on what it missed meanwhile.
#[tokio::test]
async fn an_instance_that_lost_its_notices_catches_up_when_it_listens_again() {
    use sea_orm::ConnectionTrait;

    let first = TestApp::spawn().await;
    if first.db().get_database_backend() != sea_orm::DbBackend::Postgres {
        return;
    }
    let second = first.another_instance().await;
    let coach = first.token(Role::Coach).await;
    let token = coach.bearer.clone().unwrap();
    let author = coach.get_ok("/api/me").await["id"].as_i64().unwrap();
    let location = coach_location(&first).await;
    let document_id = documents::find_or_create(first.db(), location as i32, next_tuesday())
        .await
        .unwrap();
    let mut on_first = Phone::open(&first.url, &token, document_id).await;
    let mut on_second = Phone::open(&second.url, &token, document_id).await;
    let client = DagstaatDoc::load(&on_first.doc.save())
        .unwrap()
        .clients()
        .unwrap()
        .into_iter()
        .find(|c| !c.dagdelen.is_empty())
        .unwrap()
        .client_id;

    // Both instances' listening connections are cut; the commit's notice reaches nobody.
    let cut = first
        .db()
        .execute_unprepared(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND query LIKE 'LISTEN%'",
        )
        .await
        .unwrap();
    assert!(cut.rows_affected() >= 1, "the listeners were found");
    on_second.change(|doc| check_in(doc, client, author)).await;

    let expected = [format!("in-{client}")];
    assert_eq!(until_holds(&mut on_first, &expected).await, expected);
}
