//! Finance: preview, month close into WMO323 (validated against the iWmo XSD), answers and corrections.
use std::process::Command;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use dagstaat::attendance::documents;
use dagstaat::auth::Role::*;
use dagstaat::demo::history;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sync::dagstaat::EventKind;

use crate::helpers::{Api, TestApp, first_id, invalid_fields};

fn last_month() -> (NaiveDate, String) {
    let today = sync::amsterdam_date(Utc::now());
    let first = (today.with_day(1).unwrap() - Duration::days(1))
        .with_day(1)
        .unwrap();
    (first, first.format("%Y-%m").to_string())
}

/// The demo with the first week of last month recorded through the sync hub.
async fn app_with_history() -> (TestApp, NaiveDate, String) {
    let app = TestApp::spawn().await;
    let (first, month) = last_month();
    let recorded = history::record(
        &app.server.state.hub,
        app.db(),
        first,
        first + Duration::days(6),
        7,
    )
    .await
    .expect("history");
    assert!(recorded > 50, "recorded {recorded} events");
    (app, first, month)
}

fn xsd_validate(xml: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wmo323.xml");
    std::fs::write(&file, xml).unwrap();
    let schema = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/iwmo-3.2/WMO323.xsd"
    );
    let output = Command::new("xmllint")
        .args(["--noout", "--schema", schema])
        .arg(&file)
        .output()
        .expect("xmllint (libxml2-utils) is installed by tests/run.sh");
    assert!(
        output.status.success(),
        "WMO323 does not validate: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

async fn download(api: &Api, path: &str) -> Vec<u8> {
    let response = api.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.bytes().await.unwrap().to_vec()
}

async fn close(api: &Api, municipality: i64, month: &str, status: StatusCode) -> Value {
    api.expect(
        Method::POST,
        "/api/billing/declarations",
        Some(&json!({"municipality_id": municipality, "month": month})),
        status,
    )
    .await
}

#[tokio::test]
async fn closing_a_month_declares_what_the_preview_showed() {
    let (app, _, month) = app_with_history().await;
    let finance = app.login(Finance).await;
    let municipality = first_id(&finance, "/api/municipalities").await;
    let preview = finance
        .get_ok(&format!(
            "/api/billing/preview?municipality_id={municipality}&month={month}"
        ))
        .await;
    let billable: Vec<&Value> = preview["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["volume"].as_i64().unwrap() > 0)
        .collect();
    assert!(!billable.is_empty(), "{preview}");
    assert!(billable.iter().all(|l| l["disposition"] == "new"));
    let line = billable[0];
    let explained: i64 = line["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["declared"].as_i64().unwrap())
        .sum();
    assert_eq!(
        explained,
        line["volume"].as_i64().unwrap(),
        "every unit is explained by a day"
    );

    let declaration = close(&finance, municipality, &month, StatusCode::OK).await;
    assert_eq!(
        declaration["line_count"].as_u64().unwrap() as usize,
        billable.len()
    );
    assert_eq!(declaration["total_cents"], preview["total_cents"]);
    let number = declaration["number"].as_str().unwrap();
    assert!(number.len() <= 12 && number.chars().all(|c| c.is_ascii_alphanumeric()));

    let id = declaration["id"].as_i64().unwrap();
    let xml = download(&finance, &format!("/api/billing/declarations/{id}/wmo323")).await;
    assert!(!xml.starts_with(&[0xEF, 0xBB, 0xBF]), "no BOM");
    assert!(
        !String::from_utf8(xml.clone())
            .unwrap()
            .replace("\r\n", "")
            .contains('\n'),
        "CRLF"
    );
    xsd_validate(&xml);
    let csv =
        String::from_utf8(download(&finance, &format!("/api/billing/declarations/{id}/csv")).await)
            .unwrap();
    assert_eq!(csv.lines().count(), billable.len() + 1);

    // Closing again without changes declares nothing twice.
    let again = close(&finance, municipality, &month, StatusCode::CONFLICT).await;
    assert_eq!(again["code"], "conflict");
    let history = finance
        .get_ok(&format!(
            "/api/billing/declarations?municipality_id={municipality}"
        ))
        .await;
    assert_eq!(history["total"], 1);
}

#[tokio::test]
async fn a_change_after_acceptance_becomes_a_credit_and_a_new_debit() {
    let (app, _, month) = app_with_history().await;
    let finance = app.login(Finance).await;
    let admin = app.login(Admin).await;
    let municipality = first_id(&finance, "/api/municipalities").await;
    let first = close(&finance, municipality, &month, StatusCode::OK).await;
    let lines = first["lines"].as_array().unwrap();
    // Two lines of different clients: undoing a check-in changes every allocation of its client.
    let rejected = &lines[0];
    let changed = lines
        .iter()
        .find(|l| l["client_id"] != rejected["client_id"])
        .expect("lines of two clients");

    // The municipality rejects one line and accepts the rest.
    let id = first["id"].as_i64().unwrap();
    let answer = json!({"rejected": [{"reference": rejected["reference"], "code": "0200"}]});
    let answered = finance
        .expect(
            Method::POST,
            &format!("/api/billing/declarations/{id}/answer"),
            Some(&answer),
            StatusCode::OK,
        )
        .await;
    assert_eq!(answered["rejected"], 1);
    assert_eq!(answered["pending"], 0);
    finance
        .expect(
            Method::POST,
            &format!("/api/billing/declarations/{id}/answer"),
            Some(&answer),
            StatusCode::CONFLICT,
        )
        .await;

    // A coach corrects one day of the changed line's client: the check-in is undone.
    let client_id = changed["client_id"].as_i64().unwrap();
    let client = admin.get_ok(&format!("/api/clients/{client_id}")).await;
    let location = client["location_id"].as_i64().unwrap() as i32;
    let preview = finance
        .get_ok(&format!(
            "/api/billing/preview?municipality_id={municipality}&month={month}"
        ))
        .await;
    let day = preview["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["allocation_id"] == changed["allocation_id"])
        .and_then(|l| {
            l["days"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["declared"].as_i64() > Some(0))
        })
        .map(|d| d["date"].as_str().unwrap().parse::<NaiveDate>().unwrap())
        .expect("a declared day");
    let document = documents::find_or_create(app.db(), location, day)
        .await
        .unwrap();
    app.server
        .state
        .hub
        .edit(&document, |doc| {
            let check_in = doc
                .accepted_events()?
                .into_iter()
                .find(
                    |e| matches!(e.kind, EventKind::CheckIn { client_id: c, .. } if c == client_id),
                )
                .expect("the client's check-in");
            doc.append(&sync::dagstaat::Event {
                id: "correction-1".into(),
                kind: EventKind::Undo {
                    target: check_in.id,
                },
                author: 1,
                recorded_at: "2026-11-01T10:00:00+01:00".into(),
            })
        })
        .await
        .unwrap();

    let preview = finance
        .get_ok(&format!(
            "/api/billing/preview?municipality_id={municipality}&month={month}"
        ))
        .await;
    let disposition = |allocation: &Value| {
        preview["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["allocation_id"] == *allocation)
            .map(|l| l["disposition"].as_str().unwrap().to_owned())
    };
    assert_eq!(
        disposition(&changed["allocation_id"]).as_deref(),
        Some("correction")
    );
    assert_eq!(
        disposition(&rejected["allocation_id"]).as_deref(),
        Some("new"),
        "rejected units may be sent again"
    );

    let second = close(&finance, municipality, &month, StatusCode::OK).await;
    let sent = second["lines"].as_array().unwrap();
    let credit = sent
        .iter()
        .find(|l| l["debit"] == false)
        .expect("a credit line");
    assert_eq!(credit["previous_reference"], changed["reference"]);
    assert_eq!(credit["amount_cents"], changed["amount_cents"]);
    let new_debit = sent
        .iter()
        .find(|l| l["debit"] == true && l["allocation_id"] == changed["allocation_id"]);
    if let Some(debit) = new_debit {
        assert!(debit["volume"].as_i64() < changed["volume"].as_i64());
    }
    assert!(
        sent.iter()
            .any(|l| l["allocation_id"] == rejected["allocation_id"] && l["debit"] == true)
    );
    let id = second["id"].as_i64().unwrap();
    xsd_validate(&download(&finance, &format!("/api/billing/declarations/{id}/wmo323")).await);
}

#[tokio::test]
async fn bad_input_is_refused_clearly() {
    let app = TestApp::spawn().await;
    let finance = app.login(Finance).await;
    let admin = app.login(Admin).await;
    let municipality = first_id(&finance, "/api/municipalities").await;
    let this_month = sync::amsterdam_date(Utc::now()).format("%Y-%m").to_string();
    let body = close(
        &finance,
        municipality,
        &this_month,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(invalid_fields(&body), ["month"]);
    let body = close(
        &finance,
        municipality,
        "2026-13",
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(invalid_fields(&body), ["month"]);
    finance
        .expect(
            Method::GET,
            "/api/billing/preview?municipality_id=999&month=2026-01",
            None,
            StatusCode::NOT_FOUND,
        )
        .await;
    let answer = json!({"rejected": [{"reference": "NOPE", "code": "0200"}]});
    finance
        .expect(
            Method::POST,
            "/api/billing/declarations/999/answer",
            Some(&answer),
            StatusCode::NOT_FOUND,
        )
        .await;

    // Contract rules are checked field by field; unknown fields are refused, not ignored.
    let mut contract = admin
        .get_ok(&format!(
            "/api/contracts/{}",
            first_id(&admin, "/api/contracts").await
        ))
        .await;
    let id = contract["id"].as_i64().unwrap();
    contract["rules"]["second_dagdeel_minutes"] = json!(60);
    contract["rules"]["no_show"] = json!("capped");
    let body = admin
        .expect(
            Method::PUT,
            &format!("/api/contracts/{id}"),
            Some(&contract),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(
        invalid_fields(&body),
        [
            "rules.second_dagdeel_minutes",
            "rules.no_show_max_per_month"
        ]
    );
    contract["rules"] = json!({"minimum": 3});
    admin
        .expect(
            Method::PUT,
            &format!("/api/contracts/{id}"),
            Some(&contract),
            StatusCode::BAD_REQUEST,
        )
        .await;
    contract["rules"] =
        json!({"no_show": "unannounced_with_effort", "dagdeel_minimum_minutes": 210});
    let saved = admin
        .expect(
            Method::PUT,
            &format!("/api/contracts/{id}"),
            Some(&contract),
            StatusCode::OK,
        )
        .await;
    assert_eq!(saved["rules"]["dagdeel_minimum_minutes"], 210);
    assert_eq!(
        saved["rules"]["max_dagdelen_per_day"], 2,
        "omitted fields take the defaults"
    );
}
