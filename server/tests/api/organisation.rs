use dagstaat::auth::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{TestApp, first_id, invalid_fields, location_body};

#[tokio::test]
async fn location_with_bad_dagdelen_is_rejected_whole_and_nothing_is_saved() {
    let app = TestApp::spawn().await;
    let admin = app.login(Role::Admin).await;
    let before = admin.get_ok("/api/locations").await["total"]
        .as_i64()
        .unwrap();
    let mut body = location_body("Overlap");
    body["dagdelen"] = json!([
        {"dagdeel": "ochtend", "start": "08:00", "end": "13:30", "capacity": 10},
        {"dagdeel": "middag", "start": "13:00", "end": "17:00", "capacity": 10},
        {"dagdeel": "avond", "start": "25:00", "end": "26:00", "capacity": 10}
    ]);
    body["postcode"] = json!("12345");
    let problem = admin
        .expect(
            Method::POST,
            "/api/locations",
            Some(&body),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let fields = invalid_fields(&problem);
    assert_eq!(
        fields,
        ["postcode", "dagdelen[1]", "dagdelen[2]"],
        "{problem}"
    );
    assert_eq!(
        admin.get_ok("/api/locations").await["total"]
            .as_i64()
            .unwrap(),
        before
    );
}

#[tokio::test]
async fn location_round_trips_with_normalised_postcode_and_sorted_dagdelen() {
    let app = TestApp::spawn().await;
    let admin = app.login(Role::Admin).await;
    let mut body = location_body("Werkplaats");
    body["postcode"] = json!("6721aa");
    body["dagdelen"] = json!([
        {"dagdeel": "middag", "start": "13:30", "end": "17:00", "capacity": 8},
        {"dagdeel": "ochtend", "start": "08:30", "end": "12:30", "capacity": 9}
    ]);
    let created = admin
        .expect(Method::POST, "/api/locations", Some(&body), StatusCode::OK)
        .await;
    let id = created["id"].as_i64().unwrap();
    let fetched = admin.get_ok(&format!("/api/locations/{id}")).await;
    assert_eq!(fetched["postcode"], "6721 AA");
    assert_eq!(fetched["dagdelen"][0]["dagdeel"], "ochtend");
    assert_eq!(fetched["dagdelen"][0]["start"], "08:30");
    assert_eq!(fetched["dagdelen"][1]["capacity"], 8);
}

#[tokio::test]
async fn a_location_in_use_cannot_be_deleted() {
    let app = TestApp::spawn().await;
    let admin = app.login(Role::Admin).await;
    let id = first_id(&admin, "/api/locations").await;
    let problem = admin
        .expect(
            Method::DELETE,
            &format!("/api/locations/{id}"),
            None,
            StatusCode::CONFLICT,
        )
        .await;
    assert!(problem["detail"].as_str().unwrap().contains("deactivate"));
    // Its dagdelen were not deleted by the failed attempt.
    let location = admin.get_ok(&format!("/api/locations/{id}")).await;
    assert_eq!(location["dagdelen"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn coach_sees_only_their_locations() {
    let app = TestApp::spawn().await;
    let coach = app.login(Role::Coach).await;
    let admin = app.login(Role::Admin).await;
    let all = admin.get_ok("/api/locations").await;
    assert_eq!(all["total"], 2);
    let mine = coach.get_ok("/api/locations").await;
    assert_eq!(mine["total"], 1);
    let other = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] != mine["items"][0]["id"])
        .unwrap();
    let other_id = other["id"].as_i64().unwrap();
    coach
        .expect(
            Method::GET,
            &format!("/api/locations/{other_id}"),
            None,
            StatusCode::NOT_FOUND,
        )
        .await;
    coach
        .expect(
            Method::GET,
            &format!("/api/locations/{other_id}/expected"),
            None,
            StatusCode::NOT_FOUND,
        )
        .await;
}

#[tokio::test]
async fn organisation_agb_code_is_checked() {
    let app = TestApp::spawn().await;
    let admin = app.login(Role::Admin).await;
    let problem = admin
        .expect(
            Method::PUT,
            "/api/organisation",
            Some(&json!({"name": "X", "agb_code": "1234", "contact_email": "a@b.nl"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(problem["errors"][0]["field"], "agb_code");
    assert_eq!(
        admin.get_ok("/api/organisation").await["agb_code"],
        "98765432"
    );
}

#[tokio::test]
async fn contract_tariffs_are_validated_and_replaced_together() {
    let app = TestApp::spawn().await;
    let admin = app.login(Role::Admin).await;
    let contract_id = first_id(&admin, "/api/contracts").await;
    let mut contract = admin.get_ok(&format!("/api/contracts/{contract_id}")).await;
    let original_tariffs = contract["tariffs"].clone();
    contract["tariffs"] = json!([
        {"product_category": "07", "product_code": "07A08", "unit": "16", "tariff_cents": 6000},
        {"product_category": "07", "product_code": "07A08", "unit": "16", "tariff_cents": -1}
    ]);
    let problem = admin
        .expect(
            Method::PUT,
            &format!("/api/contracts/{contract_id}"),
            Some(&contract),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(problem["errors"].as_array().unwrap().len(), 2, "{problem}");
    assert_eq!(
        admin.get_ok(&format!("/api/contracts/{contract_id}")).await["tariffs"],
        original_tariffs
    );

    contract["tariffs"] = json!([{"product_category": "07", "product_code": "07A09", "unit": "16", "tariff_cents": 7290}]);
    let updated = admin
        .expect(
            Method::PUT,
            &format!("/api/contracts/{contract_id}"),
            Some(&contract),
            StatusCode::OK,
        )
        .await;
    assert_eq!(updated["tariffs"].as_array().unwrap().len(), 1);
    assert_eq!(updated["tariffs"][0]["product_code"], "07A09");
}

#[tokio::test]
async fn unknown_enum_values_and_malformed_json_are_problems() {
    let app = TestApp::spawn().await;
    let admin = app.login(Role::Admin).await;
    let problem = admin
        .expect(
            Method::POST,
            "/api/municipalities",
            Some(&json!({"name": "X"})),
            StatusCode::BAD_REQUEST,
        )
        .await;
    assert_eq!(problem["code"], "bad_request");
    assert_eq!(problem["status"], 400);
    let response = admin
        .client
        .post(format!("{}/api/municipalities", app.url))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
}
