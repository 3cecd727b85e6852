use dagstaat::auth::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, coach_location, first_id};

#[tokio::test]
async fn login_sets_a_strict_http_only_cookie_and_me_answers() {
    let app = TestApp::spawn().await;
    let response = app
        .anonymous()
        .post(
            "/api/auth/login",
            &json!({"email": " Coach@Demo.Dagstaat.nl ", "password": PASSWORD}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("dagstaat_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/")
    );

    let me = app.login(Role::Coach).await.get_ok("/api/me").await;
    assert_eq!(me["role"], "coach");
    assert_eq!(me["may_read_bsn"], false);
    assert_eq!(
        me["locations"].as_array().unwrap().len(),
        1,
        "the demo coach works at one location"
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_user_look_the_same() {
    let app = TestApp::spawn().await;
    let anonymous = app.anonymous();
    let wrong = anonymous
        .expect(
            Method::POST,
            "/api/auth/login",
            Some(&json!({"email": "admin@demo.dagstaat.nl", "password": "nope"})),
            StatusCode::UNAUTHORIZED,
        )
        .await;
    let unknown = anonymous
        .expect(
            Method::POST,
            "/api/auth/login",
            Some(&json!({"email": "nobody@demo.dagstaat.nl", "password": "nope"})),
            StatusCode::UNAUTHORIZED,
        )
        .await;
    assert_eq!(wrong["code"], "login_failed");
    assert_eq!(wrong, unknown);
}

#[tokio::test]
async fn repeated_failures_are_rate_limited_even_with_the_right_password() {
    let app = TestApp::spawn().await;
    let anonymous = app.anonymous();
    let bad = json!({"email": "finance@demo.dagstaat.nl", "password": "guess"});
    for _ in 0..5 {
        anonymous
            .expect(
                Method::POST,
                "/api/auth/login",
                Some(&bad),
                StatusCode::UNAUTHORIZED,
            )
            .await;
    }
    let good = json!({"email": "finance@demo.dagstaat.nl", "password": PASSWORD});
    let response = anonymous.post("/api/auth/login", &good).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after > 0);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["code"], "rate_limited");
    // Other accounts are not locked out by it.
    app.login(Role::Coach).await;
}

#[tokio::test]
async fn logout_revokes_the_session() {
    let app = TestApp::spawn().await;
    let api = app.login(Role::Coordinator).await;
    api.get_ok("/api/me").await;
    let response = api.post("/api/auth/logout", &json!({})).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(
        response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(api.get("/api/me").await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bearer_tokens_work_and_bad_tokens_do_not() {
    let app = TestApp::spawn().await;
    let api = app.token(Role::Driver).await;
    assert_eq!(api.get_ok("/api/me").await["role"], "driver");
    let mut forged = app.anonymous();
    forged.bearer = Some("not-a-token".into());
    let problem = forged
        .expect(Method::GET, "/api/me", None, StatusCode::UNAUTHORIZED)
        .await;
    assert_eq!(problem["code"], "unauthenticated");
}

#[tokio::test]
async fn deactivating_a_user_ends_their_sessions() {
    let app = TestApp::spawn().await;
    let admin = app.login(Role::Admin).await;
    let coach = app.login(Role::Coach).await;
    let coach_id = coach.get_ok("/api/me").await["id"].as_i64().unwrap();
    let mut user = admin.get_ok(&format!("/api/users/{coach_id}")).await;
    user["active"] = json!(false);
    admin
        .expect(
            Method::PUT,
            &format!("/api/users/{coach_id}"),
            Some(&user),
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        coach.get("/api/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let response = app
        .anonymous()
        .post(
            "/api/auth/login",
            &json!({"email": "coach@demo.dagstaat.nl", "password": PASSWORD}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn admin_cannot_lock_themselves_out() {
    let app = TestApp::spawn().await;
    let admin = app.login(Role::Admin).await;
    let id = admin.get_ok("/api/me").await["id"].as_i64().unwrap();
    let mut me = admin.get_ok(&format!("/api/users/{id}")).await;
    me["role"] = json!("coach");
    admin
        .expect(
            Method::PUT,
            &format!("/api/users/{id}"),
            Some(&me),
            StatusCode::CONFLICT,
        )
        .await;
    admin
        .expect(
            Method::DELETE,
            &format!("/api/users/{id}"),
            None,
            StatusCode::CONFLICT,
        )
        .await;
}

#[tokio::test]
async fn bsn_only_reaches_finance_and_admin() {
    let app = TestApp::spawn().await;
    let admin = app.login(Role::Admin).await;
    let location = coach_location(&app).await;
    let client = first_id(&admin, &format!("/api/clients?location_id={location}")).await;
    for role in [Role::Admin, Role::Finance, Role::Coordinator, Role::Coach] {
        let api = app.login(role).await;
        let one = api.get_ok(&format!("/api/clients/{client}")).await;
        let list = api
            .get_ok(&format!("/api/clients?location_id={location}"))
            .await;
        let may = matches!(role, Role::Admin | Role::Finance);
        assert_eq!(one["bsn"].is_string(), may, "{role:?} single");
        assert!(
            list["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["bsn"].is_string() == may),
            "{role:?} list"
        );
    }
}
