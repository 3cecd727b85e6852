//! Notification events end to end: a fake push service on 127.0.0.1 receives what the hourly
//! checks send (decryption is verified independently in tests/interop/push.test.js).
use std::sync::{Arc, Mutex};

use chrono::{Datelike, Duration, Utc};
use dagstaat::auth::Role::*;
use dagstaat::push::events::run_checks;
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::{EndpointExt, Route, handler, web::Data};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{TestApp, client_body, coach_location};

/// The POSTs a fake push service received: path and body size.
#[derive(Clone, Default)]
pub struct Received(pub Arc<Mutex<Vec<(String, usize)>>>);

impl Received {
    /// Waits up to five seconds for a delivery to `path`.
    pub async fn wait_for(&self, path: &str) -> bool {
        for _ in 0..50 {
            if self.0.lock().unwrap().iter().any(|(p, _)| p == path) {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        false
    }
}

#[handler]
fn accept(req: &poem::Request, body: Vec<u8>, received: Data<&Received>) -> StatusCode {
    if let Ok(mut r) = received.0.0.lock() {
        r.push((req.uri().path().to_owned(), body.len()));
    }
    StatusCode::CREATED
}

pub async fn fake_push_service() -> (String, Received) {
    let received = Received::default();
    let acceptor = TcpListener::bind("127.0.0.1:0")
        .into_acceptor()
        .await
        .unwrap();
    let addr = acceptor.local_addr()[0].as_socket_addr().copied().unwrap();
    let app = Route::new()
        .at("/*path", poem::post(accept))
        .data(received.clone());
    tokio::spawn(async move { poem::Server::new_with_acceptor(acceptor).run(app).await });
    (format!("http://{addr}"), received)
}

pub fn subscription(endpoint: &str) -> serde_json::Value {
    json!({
        "endpoint": endpoint,
        "keys": {
            "p256dh": "BGsX0fLhLEJH-Lzm5WOkQPJ3A32BLeszoPShOUXYmMKWT-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU",
            "auth": "AAECAwQFBgcICQoLDA0ODw"
        }
    })
}

#[tokio::test]
async fn coordinators_hear_of_tomorrows_overbooking_and_expiring_allocations_once() {
    let app = TestApp::spawn().await;
    let (base, received) = fake_push_service().await;
    let coordinator = app.login(Coordinator).await;
    coordinator
        .expect(
            Method::POST,
            "/api/push/subscriptions",
            Some(&subscription(&format!("{base}/coordinator"))),
            StatusCode::OK,
        )
        .await;
    let today = sync::amsterdam_date(Utc::now());

    // Nothing to report yet beyond what the demo holds: record that baseline and check it is sent once.
    let first = run_checks(app.db(), &app.server.state.push, today)
        .await
        .unwrap();
    let again = run_checks(app.db(), &app.server.state.push, today)
        .await
        .unwrap();
    assert_eq!(again.delivered, 0, "every event is sent once");
    let baseline = received.0.lock().unwrap().len();
    assert_eq!(baseline as u32, first.delivered);

    // Overbook tomorrow's morning at the coach's location, and let an allocation end in 10 days.
    let admin = app.login(Admin).await;
    let location = coach_location(&app).await;
    let tomorrow = today + Duration::days(1);
    let weekday = tomorrow.weekday().number_from_monday();
    let municipality = admin.get_ok("/api/municipalities").await["items"][0]["id"].clone();
    // One place in the morning, two clients scheduled for it.
    let mut loc = admin.get_ok(&format!("/api/locations/{location}")).await;
    for dagdeel in loc["dagdelen"].as_array_mut().unwrap() {
        dagdeel["capacity"] = json!(1);
    }
    admin
        .expect(
            Method::PUT,
            &format!("/api/locations/{location}"),
            Some(&loc),
            StatusCode::OK,
        )
        .await;
    for n in 0..2 {
        let client = admin
            .expect(
                Method::POST,
                "/api/clients",
                Some(&client_body(location, 500 + n)),
                StatusCode::OK,
            )
            .await["id"]
            .clone();
        admin
            .expect(
                Method::POST,
                "/api/schedules",
                Some(
                    &json!({"client_id": client, "location_id": location, "weekday": weekday,
                             "dagdeel": "ochtend", "valid_from": today.to_string()}),
                ),
                StatusCode::OK,
            )
            .await;
        if n == 0 {
            admin
                .expect(
                    Method::POST,
                    "/api/allocations",
                    Some(&json!({
                        "client_id": client, "municipality_id": municipality, "allocation_number": 88_000_001,
                        "product_category": "07", "product_code": "07A08", "unit": "16", "volume": 2,
                        "frequency": "per_week", "valid_from": (today - Duration::days(300)).to_string(),
                        "valid_to": (today + Duration::days(10)).to_string()
                    })),
                    StatusCode::OK,
                )
                .await;
        }
    }
    let report = run_checks(app.db(), &app.server.state.push, today)
        .await
        .unwrap();
    // Every dagdeel of tomorrow the dashboard shows over capacity, plus the expiring allocation.
    let tomorrow_rows = coordinator
        .get_ok(&format!(
            "/api/occupancy?from={tomorrow}&to={tomorrow}&location_id={location}"
        ))
        .await;
    let over = tomorrow_rows["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["free"].as_i64().unwrap() < 0)
        .count();
    assert!(over >= 1, "the morning is over capacity: {tomorrow_rows}");
    assert_eq!(report.delivered as usize, over + 1, "{report:?}");
    assert_eq!(
        received.0.lock().unwrap().len(),
        baseline + report.delivered as usize
    );
    assert!(
        received
            .0
            .lock()
            .unwrap()
            .iter()
            .all(|(_, len)| *len <= 4096)
    );
    let repeat = run_checks(app.db(), &app.server.state.push, today)
        .await
        .unwrap();
    assert_eq!(repeat.delivered, 0);
}
