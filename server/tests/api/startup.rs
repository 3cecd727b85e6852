use dagstaat::auth::Role;
use dagstaat::{Server, db, demo};

use crate::helpers::{PASSWORD, TestApp, fresh_database, test_config};

#[tokio::test]
async fn demo_has_the_promised_shape() {
    let app = TestApp::spawn().await;
    let admin = app.login(Role::Admin).await;
    assert_eq!(admin.get_ok("/api/locations").await["total"], 2);
    assert_eq!(admin.get_ok("/api/clients").await["total"], 60);
    assert_eq!(admin.get_ok("/api/municipalities").await["total"], 2);
    assert_eq!(admin.get_ok("/api/vehicles").await["total"], 4);
    assert_eq!(admin.get_ok("/api/users").await["total"], 5);
    assert_eq!(
        admin.get_ok("/api/allocations?product_category=07").await["total"],
        60
    );
    assert_eq!(
        admin.get_ok("/api/allocations?product_category=08").await["total"],
        25
    );
    for role in Role::ALL {
        app.login(role).await;
    }
}

#[tokio::test]
async fn first_start_loads_the_demo_once_and_a_restart_keeps_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(dir.path()).await;
    let mut config = test_config(dir.path(), &url);
    config.demo_on_empty = true;
    config.demo_password = Some(PASSWORD.into());
    let server = Server::start(config.clone()).await.unwrap();
    let credentials = std::fs::read_to_string(dir.path().join("demo-credentials.txt")).unwrap();
    assert!(credentials.contains("coach@demo.dagstaat.nl"));
    server.stop().await.unwrap();

    let server = Server::start(config).await.unwrap();
    let database = db::connect(&url).await.unwrap();
    let app_url = server.url();
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let login = client
        .post(format!("{app_url}/api/auth/login"))
        .json(&serde_json::json!({"email": "admin@demo.dagstaat.nl", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(login.status().is_success());
    let clients: serde_json::Value = client
        .get(format!("{app_url}/api/clients"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        clients["total"], 60,
        "the restart must not load the demo a second time"
    );
    assert!(!demo::is_empty(&database).await.unwrap());
    server.stop().await.unwrap();
}

#[tokio::test]
async fn demo_refuses_a_database_that_is_in_use() {
    let app = TestApp::spawn().await;
    let err = demo::load(app.db(), None).await.unwrap_err();
    assert!(matches!(err, demo::DemoError::NotEmpty));
}

#[tokio::test]
async fn migrations_are_idempotent() {
    let app = TestApp::spawn().await;
    db::migrate(app.db()).await.unwrap();
    db::migrate(app.db()).await.unwrap();
}
