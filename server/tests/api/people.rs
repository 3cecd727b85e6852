//! Clients, allocations, schedules, vehicles and users: validation, pagination, filters, scope.
use dagstaat::auth::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, client_body, first_id, invalid_fields};

#[tokio::test]
async fn invalid_client_lists_every_problem_and_saves_nothing() {
    let app = TestApp::spawn().await;
    let coordinator = app.login(Role::Coordinator).await;
    let before = coordinator.get_ok("/api/clients").await["total"].clone();
    let location = first_id(&coordinator, "/api/locations").await;
    let mut body = client_body(location, 10);
    body["bsn"] = json!("123456789");
    body["birth_date"] = json!("2099-01-01");
    body["lat"] = json!(123.0);
    body["phone"] = json!("bel me");
    let problem = coordinator
        .expect(
            Method::POST,
            "/api/clients",
            Some(&body),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let fields = invalid_fields(&problem);
    assert_eq!(fields, ["bsn", "birth_date", "lat", "phone"]);
    assert_eq!(problem["code"], "validation");
    assert_eq!(coordinator.get_ok("/api/clients").await["total"], before);
}

#[tokio::test]
async fn duplicate_bsn_is_a_conflict() {
    let app = TestApp::spawn().await;
    let admin = app.login(Role::Admin).await;
    let location = first_id(&admin, "/api/locations").await;
    admin
        .expect(
            Method::POST,
            "/api/clients",
            Some(&client_body(location, 11)),
            StatusCode::OK,
        )
        .await;
    let problem = admin
        .expect(
            Method::POST,
            "/api/clients",
            Some(&client_body(location, 11)),
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(problem["code"], "conflict");
}

#[tokio::test]
async fn clients_paginate_search_and_stay_in_scope() {
    let app = TestApp::spawn().await;
    let admin = app.login(Role::Admin).await;
    let first = admin.get_ok("/api/clients?limit=10").await;
    let second = admin.get_ok("/api/clients?limit=10&offset=10").await;
    assert_eq!(first["total"], 60);
    assert_eq!(first["items"].as_array().unwrap().len(), 10);
    assert_ne!(first["items"][0]["id"], second["items"][0]["id"]);
    let huge = admin.get_ok("/api/clients?limit=100000").await;
    assert_eq!(huge["limit"], 500, "the page size is capped");

    let name = first["items"][0]["last_name"].as_str().unwrap().to_owned();
    let found = admin
        .get_ok(&format!(
            "/api/clients?q={}",
            name.to_uppercase().replace(' ', "%20")
        ))
        .await;
    assert!(found["total"].as_i64().unwrap() >= 1);
    assert!(
        found["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["last_name"].as_str().unwrap().contains(&name)
                || c["first_name"].as_str().unwrap().contains(&name))
    );

    let coach = app.login(Role::Coach).await;
    let coach_location = coach.get_ok("/api/me").await["locations"][0]["id"]
        .as_i64()
        .unwrap();
    let mine = coach.get_ok("/api/clients?limit=500").await;
    assert!(
        mine["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["location_id"] == coach_location)
    );
    assert_eq!(mine["total"], 32);
    let other = admin.get_ok("/api/clients?limit=500").await["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["location_id"] != coach_location)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    coach
        .expect(
            Method::GET,
            &format!("/api/clients/{other}"),
            None,
            StatusCode::NOT_FOUND,
        )
        .await;
}

#[tokio::test]
async fn coordinator_cannot_register_clients_outside_their_locations() {
    let app = TestApp::spawn().await;
    let admin = app.login(Role::Admin).await;
    let locations = admin.get_ok("/api/locations").await;
    let [a, b] = [0, 1].map(|i| locations["items"][i]["id"].as_i64().unwrap());
    admin
        .expect(
            Method::POST,
            "/api/users",
            Some(&json!({"email": "planner@x.nl", "display_name": "P", "role": "coordinator", "password": "lang-wachtwoord", "location_ids": [a]})),
            StatusCode::OK,
        )
        .await;
    let planner = app.login_as("planner@x.nl", "lang-wachtwoord").await;
    planner
        .expect(
            Method::POST,
            "/api/clients",
            Some(&client_body(b, 12)),
            StatusCode::FORBIDDEN,
        )
        .await;
    planner
        .expect(
            Method::GET,
            &format!("/api/clients?location_id={b}"),
            None,
            StatusCode::FORBIDDEN,
        )
        .await;
    planner
        .expect(
            Method::POST,
            "/api/clients",
            Some(&client_body(a, 12)),
            StatusCode::OK,
        )
        .await;
}

#[tokio::test]
async fn demo_allocations_filter_by_category_date_and_location() {
    let app = TestApp::spawn().await;
    let finance = app.login(Role::Finance).await;
    let transport = finance
        .get_ok("/api/allocations?product_category=08&limit=500")
        .await;
    assert_eq!(transport["total"], 25);
    let items = transport["items"].as_array().unwrap();
    assert!(
        items
            .iter()
            .all(|a| a["product_category"] == "08" && a["unit"] == "82")
    );
    let today = chrono::Utc::now().date_naive();
    let valid_today = finance
        .get_ok(&format!("/api/allocations?date={today}&limit=500"))
        .await;
    assert_eq!(valid_today["total"], 85, "every demo allocation runs today");
    let far = finance.get_ok("/api/allocations?date=2099-01-01").await;
    assert_eq!(far["total"], 0);
    let location = first_id(&finance, "/api/locations").await;
    let at_location = finance
        .get_ok(&format!(
            "/api/allocations?location_id={location}&limit=500"
        ))
        .await;
    assert!(at_location["total"].as_i64().unwrap() < 85);
}

#[tokio::test]
async fn allocation_rules_are_enforced() {
    let app = TestApp::spawn().await;
    let admin = app.login(Role::Admin).await;
    let client = first_id(&admin, "/api/clients").await;
    let municipality = first_id(&admin, "/api/municipalities").await;
    let mut body = json!({
        "client_id": client,
        "municipality_id": municipality,
        "allocation_number": 0,
        "product_category": "07",
        "product_code": "07A08",
        "unit": "82",
        "volume": 0,
        "frequency": "per_week",
        "valid_from": "2026-06-01",
        "valid_to": "2026-05-31"
    });
    let problem = admin
        .expect(
            Method::POST,
            "/api/allocations",
            Some(&body),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(problem["errors"].as_array().unwrap().len(), 4, "{problem}");
    body["frequency"] = json!("per_jaar");
    admin
        .expect(
            Method::POST,
            "/api/allocations",
            Some(&body),
            StatusCode::BAD_REQUEST,
        )
        .await;
}

#[tokio::test]
async fn schedules_cannot_double_book_a_slot_or_use_a_missing_dagdeel() {
    let app = TestApp::spawn().await;
    let admin = app.login(Role::Admin).await;
    let location = first_id(&admin, "/api/locations").await;
    let client = first_id(&admin, &format!("/api/clients?location_id={location}")).await;
    let slot = json!({"client_id": client, "location_id": location, "weekday": 6, "dagdeel": "ochtend", "valid_from": "2026-01-01", "valid_to": "2026-06-30"});
    admin
        .expect(Method::POST, "/api/schedules", Some(&slot), StatusCode::OK)
        .await;
    let mut overlapping = slot.clone();
    overlapping["valid_from"] = json!("2026-06-01");
    overlapping["valid_to"] = Value::Null;
    admin
        .expect(
            Method::POST,
            "/api/schedules",
            Some(&overlapping),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let mut later = slot.clone();
    later["valid_from"] = json!("2026-07-01");
    later["valid_to"] = Value::Null;
    admin
        .expect(Method::POST, "/api/schedules", Some(&later), StatusCode::OK)
        .await;
    let mut evening = slot.clone();
    evening["dagdeel"] = json!("avond");
    let problem = admin
        .expect(
            Method::POST,
            "/api/schedules",
            Some(&evening),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(problem["errors"][0]["field"], "dagdeel");
    let mut weekday = slot.clone();
    weekday["weekday"] = json!(8);
    admin
        .expect(
            Method::POST,
            "/api/schedules",
            Some(&weekday),
            StatusCode::BAD_REQUEST,
        )
        .await;
}

#[tokio::test]
async fn expected_clients_follow_the_schedule_of_the_day() {
    let app = TestApp::spawn().await;
    let coach = app.login(Role::Coach).await;
    let location = coach.get_ok("/api/me").await["locations"][0]["id"]
        .as_i64()
        .unwrap();
    // Find the next Tuesday and the Saturday after it.
    let today = chrono::Utc::now().date_naive();
    let tuesday = (0..7)
        .map(|d| today + chrono::Duration::days(d))
        .find(|d| chrono::Datelike::weekday(d) == chrono::Weekday::Tue)
        .unwrap();
    let saturday = tuesday + chrono::Duration::days(4);
    let day = coach
        .get_ok(&format!(
            "/api/locations/{location}/expected?date={tuesday}"
        ))
        .await;
    let dagdelen = day["dagdelen"].as_array().unwrap();
    assert_eq!(dagdelen.len(), 2);
    assert_eq!(dagdelen[0]["dagdeel"], "ochtend");
    let expected: usize = dagdelen
        .iter()
        .map(|d| d["clients"].as_array().unwrap().len())
        .sum();
    let admin = app.login(Role::Admin).await;
    let schedules = admin
        .get_ok(&format!(
            "/api/schedules?location_id={location}&weekday=2&date={tuesday}&limit=500"
        ))
        .await;
    assert_eq!(expected as i64, schedules["total"].as_i64().unwrap());
    assert!(expected > 0);
    let weekend = coach
        .get_ok(&format!(
            "/api/locations/{location}/expected?date={saturday}"
        ))
        .await;
    assert!(
        weekend["dagdelen"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["clients"].as_array().unwrap().is_empty())
    );
}

#[tokio::test]
async fn vehicles_and_users_validate_their_input() {
    let app = TestApp::spawn().await;
    let admin = app.login(Role::Admin).await;
    let location = first_id(&admin, "/api/locations").await;
    let problem = admin
        .expect(
            Method::POST,
            "/api/vehicles",
            Some(&json!({"location_id": location, "name": " ", "license_plate": "AB-12-CD", "seats": 0, "wheelchair_places": 0})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(problem["errors"].as_array().unwrap().len(), 2);
    let problem = admin
        .expect(
            Method::POST,
            "/api/users",
            Some(&json!({"email": "geen-email", "display_name": "X", "role": "driver", "password": "kort", "location_ids": [9999]})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let fields = invalid_fields(&problem);
    assert_eq!(fields, ["email", "password", "location_ids"]);
    let problem = admin
        .expect(
            Method::POST,
            "/api/users",
            Some(&json!({"email": "coach@demo.dagstaat.nl", "display_name": "X", "role": "finance", "password": PASSWORD})),
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(problem["code"], "conflict");
}
