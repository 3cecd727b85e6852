//! Every role against every endpoint: allowed gives 2xx, denied gives 403 problem JSON.
use std::collections::{BTreeSet, HashMap};

use dagstaat::auth::Role;
use dagstaat::auth::Role::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Api, TestApp, client_body, coach_location, first_id, location_body};

/// Ids of the fixture records, by name.
type Ids = HashMap<&'static str, i64>;
/// Builds a request body from the fixture ids.
type MakeBody = fn(&Ids) -> Value;

struct Case {
    method: Method,
    /// As in the OpenAPI document; `{id}` is filled from `ids` by the case's `target`.
    path: &'static str,
    target: Option<&'static str>,
    allowed: &'static [Role],
    body: Option<MakeBody>,
}

const ALL: &[Role] = &[Admin, Coordinator, Coach, Driver, Finance];
const ADMIN: &[Role] = &[Admin];
const OFFICE_READ: &[Role] = &[Admin, Coordinator, Finance];
const CARE_READ: &[Role] = &[Admin, Coordinator, Coach, Finance];
const PLANNERS: &[Role] = &[Admin, Coordinator];
const FLEET_READ: &[Role] = &[Admin, Coordinator, Driver];
const RECORDERS: &[Role] = &[Admin, Coordinator, Coach];
const BILLING_READ: &[Role] = &[Admin, Finance];
const FINANCE: &[Role] = &[Finance];
const DASHBOARD: &[Role] = &[Admin, Coordinator];

/// The month the fixture recorded attendance in (last month), as YYYY-MM.
fn ids_month(ids: &Ids) -> String {
    let first = chrono::NaiveDate::from_num_days_from_ce_opt(ids["month_first_day"] as i32)
        .expect("fixture month");
    first.format("%Y-%m").to_string()
}

fn case(
    method: Method,
    path: &'static str,
    target: Option<&'static str>,
    allowed: &'static [Role],
    body: Option<MakeBody>,
) -> Case {
    Case {
        method,
        path,
        target,
        allowed,
        body,
    }
}

fn cases() -> Vec<Case> {
    use Method as M;
    vec![
        case(M::GET, "/me", None, ALL, None),
        case(M::GET, "/organisation", None, ALL, None),
        case(
            M::PUT,
            "/organisation",
            None,
            ADMIN,
            Some(|_| json!({"name": "Demo", "agb_code": "12345678", "contact_email": "a@b.nl"})),
        ),
        case(M::GET, "/locations", None, ALL, None),
        case(
            M::POST,
            "/locations",
            None,
            ADMIN,
            Some(|_| location_body("Nieuwe locatie")),
        ),
        case(M::GET, "/locations/{id}", Some("location"), ALL, None),
        case(
            M::PUT,
            "/locations/{id}",
            Some("location"),
            ADMIN,
            Some(|_| location_body("De Hooiberg")),
        ),
        case(
            M::DELETE,
            "/locations/{id}",
            Some("spare_location"),
            ADMIN,
            None,
        ),
        case(
            M::GET,
            "/locations/{id}/expected",
            Some("location"),
            CARE_READ,
            None,
        ),
        case(M::GET, "/municipalities", None, OFFICE_READ, None),
        case(
            M::POST,
            "/municipalities",
            None,
            ADMIN,
            Some(|_| json!({"name": "Renkum", "code": "0274"})),
        ),
        case(
            M::GET,
            "/municipalities/{id}",
            Some("municipality"),
            OFFICE_READ,
            None,
        ),
        case(
            M::PUT,
            "/municipalities/{id}",
            Some("municipality"),
            ADMIN,
            Some(|_| json!({"name": "Ede", "code": "0228"})),
        ),
        case(
            M::DELETE,
            "/municipalities/{id}",
            Some("spare_municipality"),
            ADMIN,
            None,
        ),
        case(M::GET, "/contracts", None, OFFICE_READ, None),
        case(M::POST, "/contracts", None, ADMIN, Some(contract_body)),
        case(
            M::GET,
            "/contracts/{id}",
            Some("contract"),
            OFFICE_READ,
            None,
        ),
        case(
            M::PUT,
            "/contracts/{id}",
            Some("contract"),
            ADMIN,
            Some(contract_body),
        ),
        case(
            M::DELETE,
            "/contracts/{id}",
            Some("spare_contract"),
            ADMIN,
            None,
        ),
        case(M::GET, "/clients", None, CARE_READ, None),
        case(
            M::POST,
            "/clients",
            None,
            PLANNERS,
            Some(|ids| client_body(ids["location"], 1)),
        ),
        case(M::GET, "/clients/{id}", Some("client"), CARE_READ, None),
        case(
            M::PUT,
            "/clients/{id}",
            Some("client"),
            PLANNERS,
            Some(|ids| client_body(ids["location"], 2)),
        ),
        case(
            M::DELETE,
            "/clients/{id}",
            Some("spare_client"),
            PLANNERS,
            None,
        ),
        case(M::GET, "/allocations", None, OFFICE_READ, None),
        case(
            M::POST,
            "/allocations",
            None,
            PLANNERS,
            Some(|ids| allocation_body(ids, 99_000_001)),
        ),
        case(
            M::GET,
            "/allocations/{id}",
            Some("allocation"),
            OFFICE_READ,
            None,
        ),
        case(
            M::PUT,
            "/allocations/{id}",
            Some("allocation"),
            PLANNERS,
            Some(|ids| allocation_body(ids, 99_000_002)),
        ),
        case(
            M::DELETE,
            "/allocations/{id}",
            Some("spare_allocation"),
            PLANNERS,
            None,
        ),
        case(M::GET, "/schedules", None, CARE_READ, None),
        case(
            M::POST,
            "/schedules",
            None,
            PLANNERS,
            Some(|ids| schedule_body(ids, 6, "ochtend")),
        ),
        case(M::GET, "/schedules/{id}", Some("schedule"), CARE_READ, None),
        case(
            M::PUT,
            "/schedules/{id}",
            Some("schedule"),
            PLANNERS,
            Some(|ids| schedule_body(ids, 7, "ochtend")),
        ),
        case(
            M::DELETE,
            "/schedules/{id}",
            Some("spare_schedule"),
            PLANNERS,
            None,
        ),
        case(M::GET, "/vehicles", None, FLEET_READ, None),
        case(M::POST, "/vehicles", None, PLANNERS, Some(vehicle_body)),
        case(M::GET, "/vehicles/{id}", Some("vehicle"), FLEET_READ, None),
        case(
            M::PUT,
            "/vehicles/{id}",
            Some("vehicle"),
            PLANNERS,
            Some(vehicle_body),
        ),
        case(
            M::DELETE,
            "/vehicles/{id}",
            Some("spare_vehicle"),
            PLANNERS,
            None,
        ),
        case(M::GET, "/users", None, ADMIN, None),
        case(
            M::POST,
            "/users",
            None,
            ADMIN,
            Some(|ids| user_body(ids, "nieuw@demo.dagstaat.nl")),
        ),
        case(M::GET, "/users/{id}", Some("spare_user"), ADMIN, None),
        case(
            M::PUT,
            "/users/{id}",
            Some("spare_user"),
            ADMIN,
            Some(|ids| user_body(ids, "ander@demo.dagstaat.nl")),
        ),
        case(M::DELETE, "/users/{id}", Some("spare_user"), ADMIN, None),
        case(
            M::GET,
            "/locations/{id}/dagstaat",
            Some("location"),
            RECORDERS,
            None,
        ),
        case(M::GET, "/attendance", None, CARE_READ, None),
        case(
            M::GET,
            "/billing/preview?municipality_id={id}&month=2026-01",
            Some("municipality"),
            BILLING_READ,
            None,
        ),
        case(M::GET, "/billing/declarations", None, BILLING_READ, None),
        case(
            M::GET,
            "/occupancy?from=2026-01-01&to=2026-01-31",
            None,
            DASHBOARD,
            None,
        ),
        case(
            M::GET,
            "/occupancy/csv?from=2026-01-01&to=2026-01-31",
            None,
            DASHBOARD,
            None,
        ),
        case(
            M::GET,
            "/occupancy/no-shows?from=2026-01-01&to=2026-01-31",
            None,
            DASHBOARD,
            None,
        ),
        case(M::GET, "/occupancy/allocations", None, DASHBOARD, None),
        case(M::GET, "/push/key", None, ALL, None),
        case(
            M::POST,
            "/push/subscriptions",
            None,
            ALL,
            Some(|_| push_subscription()),
        ),
        case(M::GET, "/push/subscriptions", None, ALL, None),
        case(
            M::DELETE,
            "/push/subscriptions?endpoint=http%3A%2F%2F127.0.0.1%3A9%2Fpush",
            None,
            ALL,
            None,
        ),
        case(M::POST, "/push/test", None, ALL, None),
        case(
            M::GET,
            "/billing/declarations/{id}",
            Some("declaration"),
            BILLING_READ,
            None,
        ),
        case(
            M::GET,
            "/billing/declarations/{id}/wmo323",
            Some("declaration"),
            BILLING_READ,
            None,
        ),
        case(
            M::GET,
            "/billing/declarations/{id}/csv",
            Some("declaration"),
            BILLING_READ,
            None,
        ),
        case(
            M::POST,
            "/billing/declarations",
            None,
            FINANCE,
            Some(
                |ids| json!({"municipality_id": ids["other_municipality"], "month": ids_month(ids)}),
            ),
        ),
        case(
            M::POST,
            "/billing/declarations/{id}/answer",
            Some("declaration"),
            FINANCE,
            Some(|_| json!({"rejected": []})),
        ),
        case(M::GET, "/transport/settings", None, PLANNERS, None),
        case(
            M::PUT,
            "/transport/settings",
            None,
            PLANNERS,
            Some(|_| {
                json!({"max_ride_minutes": 60, "arrival_margin_minutes": 5, "arrival_window_minutes": 30,
                    "departure_window_minutes": 30, "boarding_minutes": 2, "wheelchair_boarding_minutes": 5,
                    "shift_minutes": 180, "detour_factor": 1.3, "speed_kmh": 40})
            }),
        ),
        case(
            M::POST,
            "/transport/plans",
            None,
            PLANNERS,
            Some(
                |ids| json!({"date": "2030-01-08", "direction": "inbound", "location_ids": [ids["location"]], "time_budget_seconds": 1}),
            ),
        ),
        case(
            M::GET,
            "/transport/plans?date=2030-01-08",
            None,
            PLANNERS,
            None,
        ),
        case(
            M::GET,
            "/transport/plans/{id}",
            Some("plan"),
            PLANNERS,
            None,
        ),
        case(
            M::POST,
            "/transport/plans/{id}/move",
            Some("plan"),
            PLANNERS,
            Some(|ids| json!({"client_id": ids["plan_rider"], "vehicle_id": ids["plan_vehicle"]})),
        ),
        case(
            M::POST,
            "/transport/plans/{id}/lock",
            Some("plan"),
            PLANNERS,
            Some(|ids| json!({"vehicle_id": ids["plan_vehicle"], "locked": true})),
        ),
        case(
            M::POST,
            "/transport/plans/{id}/publish",
            Some("publishable_plan"),
            PLANNERS,
            Some(|_| json!({"drivers": []})),
        ),
        case(
            M::GET,
            "/transport/runs?date=2030-01-08",
            None,
            FLEET_READ,
            None,
        ),
        case(M::GET, "/transport/drivers", None, PLANNERS, None),
        // After the other plan rows: it sets the plan running again.
        case(
            M::POST,
            "/transport/plans/{id}/replan",
            Some("plan"),
            PLANNERS,
            Some(|_| json!({"time_budget_seconds": 1})),
        ),
        // Last: it ends the session.
        case(M::POST, "/auth/logout", None, ALL, None),
    ]
}

/// Endpoints anyone may call.
const PUBLIC: &[(&str, &str)] = &[("POST", "/auth/login"), ("POST", "/auth/token")];

/// A subscription of this role's browser (the P-256 generator as its key; nothing is sent to it
/// here: the test notification goes out after it was removed).
fn push_subscription() -> Value {
    json!({
        "endpoint": "http://127.0.0.1:9/push",
        "keys": {
            "p256dh": "BGsX0fLhLEJH-Lzm5WOkQPJ3A32BLeszoPShOUXYmMKWT-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU",
            "auth": "AAECAwQFBgcICQoLDA0ODw"
        }
    })
}

fn contract_body(ids: &Ids) -> Value {
    json!({
        "municipality_id": ids["municipality"],
        "name": "Contract test",
        "valid_from": "2026-01-01",
        "tariffs": [{"product_category": "07", "product_code": "07X01", "unit": "16", "tariff_cents": 5000}],
        "rules": {"dagdeel_minimum_minutes": 180}
    })
}

fn allocation_body(ids: &Ids, number: i64) -> Value {
    json!({
        "client_id": ids["client"],
        "municipality_id": ids["municipality"],
        "allocation_number": number,
        "product_category": "07",
        "product_code": "07A08",
        "unit": "16",
        "volume": 2,
        "frequency": "per_week",
        "valid_from": "2026-01-01",
        "valid_to": "2026-12-31"
    })
}

fn schedule_body(ids: &Ids, weekday: i64, dagdeel: &str) -> Value {
    json!({
        "client_id": ids["client"],
        "location_id": ids["location"],
        "weekday": weekday,
        "dagdeel": dagdeel,
        "valid_from": "2026-01-01"
    })
}

fn vehicle_body(ids: &Ids) -> Value {
    json!({"location_id": ids["location"], "name": "Bus X", "license_plate": "ab-123-c", "seats": 5, "wheelchair_places": 1})
}

fn user_body(ids: &Ids, email: &str) -> Value {
    json!({
        "email": email,
        "display_name": "Nieuwe collega",
        "role": "coach",
        "password": "lang-genoeg-wachtwoord",
        "location_ids": [ids["location"]]
    })
}

/// Ids of the demo's first location and its records, plus spare records each role may delete.
async fn fixture(app: &TestApp) -> HashMap<&'static str, i64> {
    let admin = app.login(Admin).await;
    let mut ids = HashMap::new();
    let location = coach_location(app).await;
    ids.insert("location", location);
    // Before the spare vehicle and client exist, which the matrix deletes.
    let (plan, rider, vehicle) = finished_plan(&admin, location).await;
    ids.insert("plan", plan);
    ids.insert("plan_rider", rider);
    ids.insert("plan_vehicle", vehicle);
    ids.insert("publishable_plan", finished_plan(&admin, location).await.0);
    ids.insert(
        "client",
        first_id(&admin, &format!("/api/clients?location_id={location}")).await,
    );
    ids.insert(
        "allocation",
        first_id(&admin, &format!("/api/allocations?location_id={location}")).await,
    );
    ids.insert(
        "schedule",
        first_id(&admin, &format!("/api/schedules?location_id={location}")).await,
    );
    ids.insert(
        "vehicle",
        first_id(&admin, &format!("/api/vehicles?location_id={location}")).await,
    );
    ids.insert(
        "municipality",
        first_id(&admin, "/api/municipalities").await,
    );
    ids.insert(
        "other_municipality",
        admin.get_ok("/api/municipalities").await["items"][1]["id"]
            .as_i64()
            .expect("a second municipality"),
    );
    ids.insert("contract", first_id(&admin, "/api/contracts").await);
    let (declaration, month_first_day) = closed_declaration(app, ids["municipality"]).await;
    ids.insert("declaration", declaration);
    ids.insert("month_first_day", month_first_day);
    let created = |v: Value| v["id"].as_i64().expect("created id");
    ids.insert(
        "spare_location",
        created(
            admin
                .expect(
                    Method::POST,
                    "/api/locations",
                    Some(&location_body("Reserve")),
                    StatusCode::OK,
                )
                .await,
        ),
    );
    ids.insert(
        "spare_municipality",
        created(
            admin
                .expect(
                    Method::POST,
                    "/api/municipalities",
                    Some(&json!({"name": "Barneveld", "code": "0203"})),
                    StatusCode::OK,
                )
                .await,
        ),
    );
    ids.insert(
        "spare_contract",
        created(
            admin
                .expect(
                    Method::POST,
                    "/api/contracts",
                    Some(&contract_body(&ids)),
                    StatusCode::OK,
                )
                .await,
        ),
    );
    ids.insert(
        "spare_client",
        created(
            admin
                .expect(
                    Method::POST,
                    "/api/clients",
                    Some(&client_body(location, 3)),
                    StatusCode::OK,
                )
                .await,
        ),
    );
    ids.insert(
        "spare_allocation",
        created(
            admin
                .expect(
                    Method::POST,
                    "/api/allocations",
                    Some(&allocation_body(&ids, 99_000_003)),
                    StatusCode::OK,
                )
                .await,
        ),
    );
    ids.insert(
        "spare_schedule",
        created(
            admin
                .expect(
                    Method::POST,
                    "/api/schedules",
                    Some(&schedule_body(&ids, 6, "middag")),
                    StatusCode::OK,
                )
                .await,
        ),
    );
    ids.insert(
        "spare_vehicle",
        created(
            admin
                .expect(
                    Method::POST,
                    "/api/vehicles",
                    Some(&vehicle_body(&ids)),
                    StatusCode::OK,
                )
                .await,
        ),
    );
    ids.insert(
        "spare_user",
        created(
            admin
                .expect(
                    Method::POST,
                    "/api/users",
                    Some(&user_body(&ids, "reserve@demo.dagstaat.nl")),
                    StatusCode::OK,
                )
                .await,
        ),
    );
    ids
}

/// A finished inbound plan of the fixture location; its id, a rider and a vehicle of it.
async fn finished_plan(admin: &Api, location: i64) -> (i64, i64, i64) {
    let body = json!({"date": crate::transport::planning_date(), "direction": "inbound",
        "location_ids": [location], "time_budget_seconds": 1});
    let plan = crate::transport::plan(admin, &body).await;
    let route = &plan["routes"][0];
    (
        plan["id"].as_i64().expect("plan id"),
        route["stops"][0]["client_id"].as_i64().expect("a rider"),
        route["vehicle_id"].as_i64().expect("a vehicle"),
    )
}

/// Records two days of last month and closes it for one municipality; returns the declaration id
/// and the month's first day (days from the common era).
async fn closed_declaration(app: &TestApp, municipality: i64) -> (i64, i64) {
    use chrono::{Datelike, Duration, Weekday};
    let today = sync::amsterdam_date(chrono::Utc::now());
    let first = (today.with_day(1).unwrap() - Duration::days(1))
        .with_day(1)
        .unwrap();
    let weekday = first
        .iter_days()
        .find(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .unwrap();
    dagstaat::demo::history::record(
        &app.server.state.hub,
        app.db(),
        weekday,
        weekday + Duration::days(1),
        1,
    )
    .await
    .expect("history");
    let finance = app.login(Finance).await;
    let body = json!({"municipality_id": municipality, "month": first.format("%Y-%m").to_string()});
    let declaration = finance
        .expect(
            Method::POST,
            "/api/billing/declarations",
            Some(&body),
            StatusCode::OK,
        )
        .await;
    (
        declaration["id"].as_i64().expect("declaration id"),
        i64::from(first.num_days_from_ce()),
    )
}

async fn run_role(role: Role) {
    let app = TestApp::spawn().await;
    let ids = fixture(&app).await;
    // Half the roles use the cookie, half a bearer token: both paths must enforce the same rules.
    let api: Api = if matches!(role, Coach | Finance) {
        app.login(role).await
    } else {
        app.token(role).await
    };
    for case in cases() {
        let path = match case.target {
            Some(target) => case.path.replace("{id}", &ids[target].to_string()),
            None => case.path.to_owned(),
        };
        let body = case.body.map(|make| make(&ids));
        let response = api
            .request(case.method.clone(), &format!("/api{path}"), body.as_ref())
            .await;
        let status = response.status();
        let text = response.text().await.unwrap();
        if case.allowed.contains(&role) {
            assert!(
                status.is_success(),
                "{role:?} {} {path} should be allowed, got {status}: {text}",
                case.method
            );
        } else {
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "{role:?} {} {path} should be denied: {text}",
                case.method
            );
            let problem: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(problem["code"], "forbidden");
        }
    }
}

#[tokio::test]
async fn admin_matrix() {
    run_role(Admin).await;
}

#[tokio::test]
async fn coordinator_matrix() {
    run_role(Coordinator).await;
}

#[tokio::test]
async fn coach_matrix() {
    run_role(Coach).await;
}

#[tokio::test]
async fn driver_matrix() {
    run_role(Driver).await;
}

#[tokio::test]
async fn finance_matrix() {
    run_role(Finance).await;
}

#[tokio::test]
async fn matrix_covers_every_endpoint_and_all_need_login() {
    let app = TestApp::spawn().await;
    let spec: Value = reqwest::get(format!("{}/api/openapi.json", app.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut documented = BTreeSet::new();
    for (path, operations) in spec["paths"].as_object().unwrap() {
        for method in operations.as_object().unwrap().keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let mut tested: BTreeSet<(String, String)> = cases()
        .iter()
        .map(|c| {
            let path = c.path.split('?').next().unwrap_or(c.path);
            (c.method.to_string(), path.to_owned())
        })
        .collect();
    tested.extend(PUBLIC.iter().map(|(m, p)| (m.to_string(), p.to_string())));
    assert_eq!(
        documented, tested,
        "every endpoint needs a row in the authorization matrix"
    );

    let anonymous = app.anonymous();
    for case in cases() {
        let path = format!("/api{}", case.path.replace("{id}", "1"));
        let body = json!({});
        let response = anonymous
            .request(case.method.clone(), &path, Some(&body))
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{} {path} without login",
            case.method
        );
    }
}
