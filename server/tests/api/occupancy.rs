//! Coordinator dashboard: occupancy, no-show rates, CSV and allocation usage against real data.
use chrono::{Datelike, Duration, Utc};
use dagstaat::auth::Role::*;
use dagstaat::demo::history;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, client_body, coach_location, invalid_fields};

fn sum(rows: &[Value], field: &str) -> i64 {
    rows.iter().map(|r| r[field].as_i64().unwrap()).sum()
}

#[tokio::test]
async fn occupancy_matches_the_recorded_attendance() {
    let app = TestApp::spawn().await;
    let today = sync::amsterdam_date(Utc::now());
    let from = today - Duration::days(14);
    let to = today - Duration::days(1);
    history::record(&app.server.state.hub, app.db(), from, to, 3)
        .await
        .unwrap();
    let coordinator = app.login(Coordinator).await;
    let query = format!("from={from}&to={to}");
    let days = coordinator
        .get_ok(&format!("/api/occupancy?{query}&group=day"))
        .await;
    let weeks = coordinator
        .get_ok(&format!("/api/occupancy?{query}&group=week"))
        .await;
    let (days, weeks) = (
        days["rows"].as_array().unwrap(),
        weeks["rows"].as_array().unwrap(),
    );
    assert!(!days.is_empty());
    for field in ["capacity", "planned", "present", "no_show_total", "free"] {
        assert_eq!(
            sum(days, field),
            sum(weeks, field),
            "{field} is the same per day and per week"
        );
    }

    // The same numbers as the attendance projection.
    let mut present = 0;
    let mut no_shows = 0;
    let mut offset = 0;
    loop {
        let page = coordinator
            .get_ok(&format!(
                "/api/attendance?from={from}&to={to}&limit=500&offset={offset}"
            ))
            .await;
        let items = page["items"].as_array().unwrap();
        present += items
            .iter()
            .filter(|r| r["status"] == "present" || r["status"] == "unexpected")
            .count() as i64;
        no_shows += items.iter().filter(|r| r["status"] == "no_show").count() as i64;
        offset += 500;
        if offset >= page["total"].as_u64().unwrap() {
            break;
        }
    }
    assert_eq!(sum(days, "present"), present);
    assert_eq!(sum(days, "no_show_total"), no_shows);
    assert!(no_shows > 0, "the history has no-shows");

    let rates = coordinator
        .get_ok(&format!("/api/occupancy/no-shows?{query}"))
        .await;
    let rates: Vec<f64> = rates
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["no_show_percent"].as_f64().unwrap())
        .collect();
    assert!(rates.windows(2).all(|w| w[0] >= w[1]), "highest rate first");

    let csv = coordinator
        .get(&format!("/api/occupancy/csv?{query}&group=month"))
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("locatie;periode;dagdeel;capaciteit"));
    assert!(csv.lines().count() > 1);
}

#[tokio::test]
async fn occupancy_refuses_bad_ranges_and_other_locations() {
    let app = TestApp::spawn().await;
    let coordinator = app.login(Coordinator).await;
    let body = coordinator
        .expect(
            Method::GET,
            "/api/occupancy?from=2026-02-01&to=2026-01-01",
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(invalid_fields(&body), ["to"]);
    let body = coordinator
        .expect(
            Method::GET,
            "/api/occupancy?from=2025-01-01&to=2026-12-31",
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(invalid_fields(&body), ["to"]);
    coordinator
        .expect(
            Method::GET,
            "/api/occupancy?from=2026-01-01&to=2026-01-31&location_id=9999",
            None,
            StatusCode::FORBIDDEN,
        )
        .await;
}

#[tokio::test]
async fn allocation_usage_lists_what_needs_action() {
    let app = TestApp::spawn().await;
    let admin = app.login(Admin).await;
    let location = coach_location(&app).await;
    let today = sync::amsterdam_date(Utc::now());
    let municipality = admin.get_ok("/api/municipalities").await["items"][0]["id"].clone();

    // A client with an allocation ending in two weeks, and one with a schedule but no allocation.
    let expiring = admin
        .expect(
            Method::POST,
            "/api/clients",
            Some(&client_body(location, 41)),
            StatusCode::OK,
        )
        .await["id"]
        .clone();
    let allocation = admin
        .expect(
            Method::POST,
            "/api/allocations",
            Some(&json!({
                "client_id": expiring, "municipality_id": municipality, "allocation_number": 77_000_001,
                "product_category": "07", "product_code": "07A08", "unit": "16", "volume": 2,
                "frequency": "per_week", "valid_from": (today - Duration::days(100)).to_string(),
                "valid_to": (today + Duration::days(14)).to_string()
            })),
            StatusCode::OK,
        )
        .await["id"]
        .clone();
    let unallocated = admin
        .expect(
            Method::POST,
            "/api/clients",
            Some(&client_body(location, 42)),
            StatusCode::OK,
        )
        .await["id"]
        .clone();
    let weekday = today.weekday().number_from_monday();
    admin
        .expect(
            Method::POST,
            "/api/schedules",
            Some(&json!({"client_id": unallocated, "location_id": location, "weekday": weekday,
                         "dagdeel": "ochtend", "valid_from": (today - Duration::days(7)).to_string()})),
            StatusCode::OK,
        )
        .await;

    let coordinator = app.login(Coordinator).await;
    let report = coordinator
        .get_ok("/api/occupancy/allocations?weeks=4")
        .await;
    let row = report["allocations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["allocation_id"] == allocation)
        .expect("the new allocation");
    assert_eq!(row["attention"], json!(["expiring"]));
    assert_eq!(row["expires_in_days"], 14);
    // 2 per week, for each calendar week of this month the allocation covers: it ends in 14 days,
    // so early in a month it covers only some of the month's weeks.
    let month_first = today.with_day(1).unwrap();
    let month_last = (month_first + chrono::Months::new(1)).pred_opt().unwrap();
    let to = (today + Duration::days(14)).min(month_last);
    let weeks: std::collections::BTreeSet<_> = month_first
        .iter_days()
        .take_while(|d| *d <= to)
        .map(|d| d.iso_week())
        .collect();
    assert_eq!(row["allocated_this_month"], json!(2 * weeks.len()));
    assert!(
        report["without_allocation"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["client_id"] == unallocated),
        "{report}"
    );
    let first_without_attention = report["allocations"]
        .as_array()
        .unwrap()
        .iter()
        .position(|a| a["attention"].as_array().unwrap().is_empty());
    let last_with = report["allocations"]
        .as_array()
        .unwrap()
        .iter()
        .rposition(|a| !a["attention"].as_array().unwrap().is_empty());
    if let (Some(first), Some(last)) = (first_without_attention, last_with) {
        assert!(last < first, "what needs action comes first");
    }
}
