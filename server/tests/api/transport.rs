//! Transport planning over HTTP on the demo organisation: who is planned, the plan and its
//! checker report, planner edits, validation.
use std::time::Duration;

use chrono::{Datelike, NaiveDate, Utc, Weekday};
use dagstaat::auth::Role::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Api, TestApp, invalid_fields};

/// The next Tuesday: a weekday the demo schedules clients on.
pub fn planning_date() -> NaiveDate {
    let mut date = sync::amsterdam_date(Utc::now()) + chrono::Duration::days(1);
    while date.weekday() != Weekday::Tue {
        date += chrono::Duration::days(1);
    }
    date
}

pub async fn location_ids(api: &Api) -> Vec<i64> {
    let locations = api.get_ok("/api/locations").await;
    let items = locations["items"]
        .as_array()
        .or(locations.as_array())
        .unwrap()
        .clone();
    items.iter().map(|l| l["id"].as_i64().unwrap()).collect()
}

/// Starts a plan and waits until it is no longer running.
pub async fn plan(api: &Api, body: &Value) -> Value {
    let started = api
        .expect(
            Method::POST,
            "/api/transport/plans",
            Some(body),
            StatusCode::OK,
        )
        .await;
    wait_done(api, started["id"].as_i64().unwrap()).await
}

pub async fn wait_done(api: &Api, id: i64) -> Value {
    for _ in 0..240 {
        let plan = api.get_ok(&format!("/api/transport/plans/{id}")).await;
        if plan["status"] != "running" {
            return plan;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("plan {id} still running after a minute");
}

fn riders(plan: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r["stops"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["client_id"].as_i64().unwrap())
        })
        .chain(
            plan["unassigned"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["client_id"].as_i64().unwrap()),
        )
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[tokio::test]
async fn the_demo_day_is_planned_feasibly_in_both_directions() {
    let app = TestApp::spawn().await;
    let planner = app.login(Coordinator).await;
    let locations = location_ids(&planner).await;
    for direction in ["inbound", "outbound"] {
        // The demo day ends by its round limits; an unoptimised build needs about 3 s a direction.
        let body = json!({"date": planning_date(), "direction": direction, "location_ids": locations, "time_budget_seconds": 6});
        let started = planner
            .expect(
                Method::POST,
                "/api/transport/plans",
                Some(&body),
                StatusCode::OK,
            )
            .await;
        // Progress shows while the plan is being made.
        let mut seen_running = Vec::new();
        let plan = loop {
            let now = planner
                .get_ok(&format!("/api/transport/plans/{}", started["id"]))
                .await;
            if now["status"] != "running" {
                break now;
            }
            seen_running.push(now["progress"].as_f64().unwrap());
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        // The demo day usually reaches its generation limit before the row's progress is first
        // written (every 500 ms); a run that lasts longer must show it.
        if seen_running.len() >= 4 {
            assert!(
                seen_running.iter().any(|p| *p > 0.0 && *p < 1.0),
                "{direction}: {seen_running:?}"
            );
        }
        assert!(
            seen_running.windows(2).all(|w| w[0] <= w[1]),
            "{direction}: {seen_running:?}"
        );
        assert_eq!(plan["stopped_by"], "generations", "{direction}: {plan}");
        assert_eq!(plan["status"], "done", "{plan}");
        assert_eq!(plan["progress"], 1.0);
        let report = &plan["report"];
        assert_eq!(report["violations"], json!([]), "{direction}: {report}");
        assert_eq!(report["feasible"], true, "{direction}: {report}");
        assert!(report["riders"].as_u64().unwrap() > 0);
        assert_eq!(report["served"], report["riders"]);
        for route in plan["routes"].as_array().unwrap() {
            let stops = route["stops"].as_array().unwrap();
            // Every rider is picked up before they are dropped, by the same vehicle.
            for (i, stop) in stops
                .iter()
                .enumerate()
                .filter(|(_, s)| s["kind"] == "dropoff")
            {
                assert!(
                    stops[..i]
                        .iter()
                        .any(|s| s["kind"] == "pickup" && s["client_id"] == stop["client_id"]),
                    "{route}"
                );
            }
            let first = &stops[0];
            if direction == "inbound" {
                assert_eq!(first["kind"], "pickup");
                assert!(
                    first["place"].as_str().unwrap().contains(' '),
                    "an address: {first}"
                );
            }
            assert!(stops.iter().all(|s| s["on_board"].as_i64().unwrap() >= 0));
        }
    }
}

#[tokio::test]
async fn the_same_seed_plans_the_same_day_again() {
    let app = TestApp::spawn().await;
    let planner = app.login(Coordinator).await;
    let body = json!({"date": planning_date(), "direction": "outbound", "location_ids": location_ids(&planner).await, "seed": 42, "time_budget_seconds": 120});
    let mut plans = Vec::new();
    for _ in 0..2 {
        let started = plan(&planner, &body).await;
        let done = wait_done(&planner, started["id"].as_i64().unwrap()).await;
        assert_eq!(done["stopped_by"], "generations", "{done}");
        assert!(done["generations"].as_i64().unwrap() > 0);
        plans.push(done);
    }
    assert_eq!(plans[0]["routes"], plans[1]["routes"]);
    assert_eq!(plans[0]["report"], plans[1]["report"]);
}

#[tokio::test]
async fn only_riders_with_a_valid_transport_allocation_are_planned() {
    let app = TestApp::spawn().await;
    let planner = app.login(Coordinator).await;
    let date = planning_date();
    let body = json!({"date": date, "direction": "inbound", "location_ids": location_ids(&planner).await, "time_budget_seconds": 1});
    let before = riders(&plan(&planner, &body).await);
    let client = before[0];

    // End that client's transport allocation the day before.
    let allocations = planner
        .get_ok(&format!("/api/allocations?client_id={client}"))
        .await;
    let transport = allocations["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["product_category"] == "08")
        .unwrap()
        .clone();
    let mut ended = transport.clone();
    ended["valid_to"] = json!(date - chrono::Duration::days(1));
    ended["valid_from"] = json!(
        transport["valid_from"]
            .as_str()
            .unwrap()
            .min(&(date - chrono::Duration::days(1)).to_string())
    );
    planner
        .expect(
            Method::PUT,
            &format!("/api/allocations/{}", transport["id"]),
            Some(&ended),
            StatusCode::OK,
        )
        .await;

    let after = riders(&plan(&planner, &body).await);
    assert!(!after.contains(&client));
    assert_eq!(after.len(), before.len() - 1);
}

#[tokio::test]
async fn the_planner_moves_riders_locks_routes_and_replans_the_rest() {
    let app = TestApp::spawn().await;
    let planner = app.login(Coordinator).await;
    let body = json!({"date": planning_date(), "direction": "inbound", "location_ids": location_ids(&planner).await, "time_budget_seconds": 1});
    let plan = plan(&planner, &body).await;
    let id = plan["id"].as_i64().unwrap();
    let routes = plan["routes"].as_array().unwrap();
    assert!(
        routes.len() >= 2,
        "the demo day needs two buses at least: {plan}"
    );
    let (first, second) = (&routes[0], &routes[1]);
    let rider = first["stops"][0]["client_id"].as_i64().unwrap();

    // Move a rider to the second bus: it is there now, and the report is recomputed.
    let moved = planner
        .expect(
            Method::POST,
            &format!("/api/transport/plans/{id}/move"),
            Some(&json!({"client_id": rider, "vehicle_id": second["vehicle_id"]})),
            StatusCode::OK,
        )
        .await;
    let on_second = moved["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["vehicle_id"] == second["vehicle_id"])
        .unwrap();
    assert!(
        on_second["stops"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["client_id"] == rider)
    );
    assert_eq!(moved["report"]["served"], plan["report"]["served"]);

    // Off all routes: unassigned and the plan is no longer feasible.
    let off = planner
        .expect(
            Method::POST,
            &format!("/api/transport/plans/{id}/move"),
            Some(&json!({"client_id": rider})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(off["unassigned"][0]["client_id"], rider);
    assert_eq!(off["report"]["feasible"], false);

    // Lock the second route and re-plan: it stays exactly as it was; the rider is planned again.
    let locked = planner
        .expect(
            Method::POST,
            &format!("/api/transport/plans/{id}/lock"),
            Some(&json!({"vehicle_id": second["vehicle_id"], "locked": true})),
            StatusCode::OK,
        )
        .await;
    let locked_route = locked["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["vehicle_id"] == second["vehicle_id"])
        .unwrap()
        .clone();
    assert_eq!(locked_route["locked"], true);
    planner
        .expect(
            Method::POST,
            &format!("/api/transport/plans/{id}/replan"),
            Some(&json!({})),
            StatusCode::OK,
        )
        .await;
    let replanned = wait_done(&planner, id).await;
    assert_eq!(replanned["status"], "done");
    let kept = replanned["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["vehicle_id"] == second["vehicle_id"])
        .unwrap();
    assert_eq!(kept, &locked_route);
    assert_eq!(replanned["unassigned"], json!([]));
    assert_eq!(
        replanned["report"]["feasible"], true,
        "{}",
        replanned["report"]
    );
}

#[tokio::test]
async fn bad_plan_requests_get_a_clear_problem() {
    let app = TestApp::spawn().await;
    let planner = app.login(Coordinator).await;
    let problem = planner
        .expect(
            Method::POST,
            "/api/transport/plans",
            Some(&json!({"date": planning_date(), "direction": "sideways", "location_ids": [1]})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(invalid_fields(&problem), vec!["direction"]);
    let problem = planner
        .expect(
            Method::POST,
            "/api/transport/plans",
            Some(&json!({"date": planning_date(), "direction": "inbound", "location_ids": [1], "time_budget_seconds": 0})),
            StatusCode::BAD_REQUEST,
        )
        .await;
    assert_eq!(problem["code"], "bad_request", "{problem}");
    // An unknown location: outside a coordinator's locations, and not found for the admin.
    let unknown = json!({"date": planning_date(), "direction": "inbound", "location_ids": [999]});
    planner
        .expect(
            Method::POST,
            "/api/transport/plans",
            Some(&unknown),
            StatusCode::FORBIDDEN,
        )
        .await;
    app.login(Admin)
        .await
        .expect(
            Method::POST,
            "/api/transport/plans",
            Some(&unknown),
            StatusCode::NOT_FOUND,
        )
        .await;
    // Moving on a running plan is refused, not lost.
    let started = planner
        .expect(
            Method::POST,
            "/api/transport/plans",
            Some(&json!({"date": planning_date(), "direction": "inbound", "location_ids": location_ids(&planner).await, "time_budget_seconds": 3})),
            StatusCode::OK,
        )
        .await;
    let conflict = planner
        .expect(
            Method::POST,
            &format!("/api/transport/plans/{}/move", started["id"]),
            Some(&json!({"client_id": 1})),
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(conflict["code"], "conflict");
    // Settings are validated too.
    let mut settings = planner.get_ok("/api/transport/settings").await;
    settings["max_ride_minutes"] = json!(5);
    planner
        .expect(
            Method::PUT,
            "/api/transport/settings",
            Some(&settings),
            StatusCode::BAD_REQUEST,
        )
        .await;
}

/// A fake OSRM: every trip between two different places takes 5 minutes over 2 km.
async fn fake_osrm() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use poem::listener::{Acceptor, Listener, TcpListener};
    use poem::web::{Data, Path};
    use poem::{EndpointExt, Route, handler};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[handler]
    fn table(
        Path(coordinates): Path<String>,
        calls: Data<&Arc<AtomicUsize>>,
    ) -> poem::web::Json<Value> {
        calls.fetch_add(1, Ordering::SeqCst);
        let n = coordinates.split(';').count();
        let grid = |value: f64| -> Vec<Vec<f64>> {
            (0..n)
                .map(|i| (0..n).map(|j| if i == j { 0.0 } else { value }).collect())
                .collect()
        };
        poem::web::Json(json!({"code": "Ok", "durations": grid(300.0), "distances": grid(2000.0)}))
    }

    let calls = Arc::new(AtomicUsize::new(0));
    let acceptor = TcpListener::bind("127.0.0.1:0")
        .into_acceptor()
        .await
        .unwrap();
    let addr = acceptor.local_addr()[0].as_socket_addr().copied().unwrap();
    let app = Route::new()
        .at("/table/v1/driving/:coordinates", poem::get(table))
        .data(calls.clone());
    tokio::spawn(async move { poem::Server::new_with_acceptor(acceptor).run(app).await });
    (format!("http://{addr}"), calls)
}

#[tokio::test]
async fn with_osrm_configured_plans_use_its_road_times_and_cache_them() {
    let (osrm, calls) = fake_osrm().await;
    let app = TestApp::spawn_with(|config| config.osrm_url = Some(osrm)).await;
    let planner = app.login(Coordinator).await;
    let body = json!({"date": planning_date(), "direction": "inbound", "location_ids": location_ids(&planner).await, "time_budget_seconds": 1});
    let first = plan(&planner, &body).await;
    assert_eq!(first["travel_source"], "osrm");
    assert_eq!(first["report"]["feasible"], true, "{}", first["report"]);
    for route in first["routes"].as_array().unwrap() {
        // Every leg is 2 km or (between stops at one place) nothing.
        let km = route["distance_km"].as_f64().unwrap();
        assert!(
            (km / 2.0 - (km / 2.0).round()).abs() < 1e-6,
            "{km}: {route}"
        );
    }
    let again = plan(&planner, &body).await;
    assert_eq!(again["travel_source"], "osrm");
    assert_eq!(
        calls.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "the second plan used the cache"
    );
}

#[tokio::test]
async fn without_an_answer_from_osrm_plans_fall_back_to_the_estimate() {
    // Nothing listens on port 9 of the loopback.
    let app =
        TestApp::spawn_with(|config| config.osrm_url = Some("http://127.0.0.1:9".into())).await;
    let planner = app.login(Coordinator).await;
    let body = json!({"date": planning_date(), "direction": "outbound", "location_ids": location_ids(&planner).await, "time_budget_seconds": 1});
    let plan = plan(&planner, &body).await;
    assert_eq!(plan["travel_source"], "estimate");
    assert_eq!(plan["status"], "done");
}

#[tokio::test]
async fn a_plan_whose_vehicle_was_removed_is_not_published() {
    let app = TestApp::spawn().await;
    let planner = app.login(Coordinator).await;
    let body = json!({"date": planning_date(), "direction": "inbound", "location_ids": location_ids(&planner).await, "time_budget_seconds": 1});
    let plan = plan(&planner, &body).await;
    // A bus the plan uses is taken out of the fleet before publishing.
    let used = plan["routes"][0]["vehicle_id"].as_i64().unwrap();
    planner
        .expect(
            Method::DELETE,
            &format!("/api/vehicles/{used}"),
            None,
            StatusCode::OK,
        )
        .await;
    let problem = planner
        .expect(
            Method::POST,
            &format!("/api/transport/plans/{}/publish", plan["id"]),
            Some(&json!({"drivers": []})),
            StatusCode::CONFLICT,
        )
        .await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("removed since planning"),
        "{problem}"
    );
}
