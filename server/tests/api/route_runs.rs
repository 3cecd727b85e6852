//! Published route runs on a driver's phone: only the assigned driver opens them; not at home
//! becomes a no-show in the dagstaat; a client reported ill has their stops cancelled; the
//! stop statuses are projected for finance.
use dagstaat::attendance::documents;
use dagstaat::auth::Role::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sync::dagstaat::{DagdeelStatus, DagstaatDoc, Event, EventKind, NoShowReason};
use sync::protocol::DocumentId;
use sync::routerun::{RouteRunDoc, RunEvent, RunEventKind, StopStatus};

use crate::helpers::{Api, TestApp, coach_location};
use crate::phone::Phone;
use crate::push::{fake_push_service, subscription};
use crate::transport::{plan, planning_date};

fn stop_statuses(runs: &Value) -> Vec<(i64, String, String)> {
    runs[0]["stops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["client_id"].as_i64().unwrap(),
                s["kind"].as_str().unwrap().to_owned(),
                s["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The inbound plan of `date` for the coach's location.
pub async fn plan_morning(app: &TestApp, planner: &Api, date: chrono::NaiveDate) -> Value {
    let body = json!({"date": date, "direction": "inbound", "location_ids": [coach_location(app).await], "time_budget_seconds": 1});
    plan(planner, &body).await
}

/// Publishes `plan` with its first route driven by `driver_id`.
pub async fn publish_first_route(planner: &Api, plan: &Value, driver_id: &Value) {
    let vehicle = &plan["routes"][0]["vehicle_id"];
    planner
        .expect(
            Method::POST,
            &format!("/api/transport/plans/{}/publish", plan["id"]),
            Some(&json!({"drivers": [{"vehicle_id": vehicle, "driver_user_id": driver_id}]})),
            StatusCode::OK,
        )
        .await;
}

/// A coordinator reports `client_id` ill for their first dagdeel of `date`, from a phone on
/// `through` (an instance of `app`'s database).
pub async fn report_ill(
    app: &TestApp,
    through: &TestApp,
    client_id: i64,
    location_id: i64,
    date: chrono::NaiveDate,
) {
    let recorder = through.token(Coordinator).await;
    let recorder_id = recorder.get_ok("/api/me").await["id"].as_i64().unwrap();
    let dagstaat = documents::find_or_create(app.db(), location_id as i32, date)
        .await
        .unwrap();
    let mut coach_phone =
        Phone::open(&through.url, recorder.bearer.as_deref().unwrap(), dagstaat).await;
    coach_phone
        .change(|doc| {
            let mut day = DagstaatDoc::load(&doc.save()).unwrap();
            let dagdeel = day
                .clients()
                .unwrap()
                .into_iter()
                .find(|c| c.client_id == client_id)
                .unwrap()
                .dagdelen[0];
            day.append(&Event {
                id: "ill-1".into(),
                kind: EventKind::NoShow {
                    client_id,
                    dagdeel,
                    reason: NoShowReason::Ziek,
                    note: String::new(),
                },
                author: recorder_id,
                recorded_at: "2026-11-24T07:00:00Z".into(),
            })
            .unwrap();
            doc.merge(day.automerge()).unwrap();
        })
        .await;
}

#[tokio::test]
async fn a_drivers_run_carries_not_home_to_the_dagstaat_and_illness_to_the_run() {
    let app = TestApp::spawn().await;
    let planner = app.login(Coordinator).await;
    let date = planning_date();
    let plan = plan_morning(&app, &planner, date).await;
    let vehicle = plan["routes"][0]["vehicle_id"].clone();
    let driver = app.token(Driver).await;
    let driver_id = driver.get_ok("/api/me").await["id"].clone();
    publish_first_route(&planner, &plan, &driver_id).await;

    // The driver sees their own run only; the planner sees all.
    let runs = driver
        .get_ok(&format!("/api/transport/runs?date={date}"))
        .await;
    assert_eq!(runs.as_array().unwrap().len(), 1);
    assert_eq!(runs[0]["vehicle_id"], vehicle);
    let all = planner
        .get_ok(&format!("/api/transport/runs?date={date}"))
        .await;
    assert_eq!(
        all.as_array().unwrap().len(),
        plan["routes"].as_array().unwrap().len()
    );
    let document_id: DocumentId = runs[0]["document_id"].as_str().unwrap().parse().unwrap();

    // The coach and the driver have notifications on.
    let (push_base, pushed) = fake_push_service().await;
    let coach = app.token(Coach).await;
    for (api, who) in [(&coach, "coach"), (&driver, "driver")] {
        api.expect(
            Method::POST,
            "/api/push/subscriptions",
            Some(&subscription(&format!("{push_base}/{who}"))),
            StatusCode::OK,
        )
        .await;
    }

    // Only the assigned driver can open it.
    let stranger = Phone::open(&app.url, coach.bearer.as_deref().unwrap(), document_id).await;
    assert!(stranger.unavailable);
    let mut phone = Phone::open(&app.url, driver.bearer.as_deref().unwrap(), document_id).await;
    assert!(!phone.unavailable);
    let run = RouteRunDoc::load(&phone.doc.save()).unwrap();
    let stops = run.stops().unwrap();
    let first = stops.iter().find(|s| s.kind == "pickup").unwrap().clone();
    assert!(!first.place.is_empty() && !first.name.is_empty());

    // Not at home: the stop's status and the no-show in the client's dagstaat.
    let author = driver_id.as_i64().unwrap();
    phone
        .change(|doc| {
            let mut run = RouteRunDoc::load(&doc.save()).unwrap();
            run.append(&RunEvent {
                id: "nh-1".into(),
                kind: RunEventKind::NotHome {
                    stop: first.id.clone(),
                    minute: first.minute,
                },
                author,
                recorded_at: "2026-11-24T07:40:00Z".into(),
            })
            .unwrap();
            doc.merge(run.automerge()).unwrap();
        })
        .await;
    let statuses = stop_statuses(
        &driver
            .get_ok(&format!("/api/transport/runs?date={date}"))
            .await,
    );
    assert!(
        statuses.contains(&(first.client_id, "pickup".into(), "not_home".into())),
        "{statuses:?}"
    );
    let dagstaat_id = documents::find_or_create(app.db(), first.location_id as i32, date)
        .await
        .unwrap();
    let dagstaat = documents::load(app.db(), &dagstaat_id)
        .await
        .unwrap()
        .unwrap()
        .doc;
    let day = dagstaat.state().unwrap();
    let client_days: Vec<_> = day
        .dagdelen
        .iter()
        .filter(|d| d.client_id == first.client_id)
        .collect();
    assert!(!client_days.is_empty());
    for d in client_days {
        assert_eq!(d.status, DagdeelStatus::NoShow, "{d:?}");
        assert_eq!(d.no_show_reason, Some(NoShowReason::NietThuis), "{d:?}");
        assert_eq!(d.recorded_by, Some(author), "the driver is on record");
    }

    assert!(pushed.wait_for("/coach").await, "the coach is told");

    // Another client of the run is reported ill in their dagstaat before pickup.
    let ill = stops
        .iter()
        .find(|s| s.client_id != first.client_id && s.kind == "pickup")
        .unwrap()
        .clone();
    report_ill(&app, &app, ill.client_id, ill.location_id, date).await;
    // The driver's open phone receives the cancellation.
    phone.settle().await;
    let run = RouteRunDoc::load(&phone.doc.save()).unwrap();
    let cancelled: Vec<_> = run
        .state()
        .unwrap()
        .into_iter()
        .filter(|(s, _)| s.client_id == ill.client_id)
        .collect();
    assert!(!cancelled.is_empty());
    assert!(
        cancelled
            .iter()
            .all(|(_, st)| st.status == StopStatus::Cancelled),
        "{cancelled:?}"
    );
    let statuses = stop_statuses(
        &driver
            .get_ok(&format!("/api/transport/runs?date={date}"))
            .await,
    );
    assert!(
        statuses.contains(&(ill.client_id, "pickup".into(), "cancelled".into())),
        "{statuses:?}"
    );

    // A driver may not cancel a stop themselves: the server rejects the event.
    let other = stops
        .iter()
        .find(|s| s.client_id != ill.client_id && s.id != first.id)
        .unwrap()
        .clone();
    phone
        .change(|doc| {
            let mut run = RouteRunDoc::load(&doc.save()).unwrap();
            run.append(&RunEvent {
                id: "self-cancel".into(),
                kind: RunEventKind::Cancelled {
                    stop: other.id.clone(),
                    minute: 400,
                },
                author,
                recorded_at: "2026-11-24T07:41:00Z".into(),
            })
            .unwrap();
            doc.merge(run.automerge()).unwrap();
        })
        .await;
    let run = RouteRunDoc::load(&phone.doc.save()).unwrap();
    assert_eq!(run.rejected().len(), 1);
    let state = run.state().unwrap();
    assert!(
        state
            .iter()
            .filter(|(s, _)| s.id == other.id)
            .all(|(_, st)| st.status == StopStatus::Planned)
    );

    // Published plans are final.
    planner
        .expect(
            Method::POST,
            &format!("/api/transport/plans/{}/move", plan["id"]),
            Some(&json!({"client_id": first.client_id})),
            StatusCode::CONFLICT,
        )
        .await;
}
