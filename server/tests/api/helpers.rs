use dagstaat::auth::Role;
use dagstaat::config::Config;
use dagstaat::{Server, db, demo};
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

pub const PASSWORD: &str = "test-password-123";

/// A running app with its own database, loaded with the demo organisation.
pub struct TestApp {
    pub url: String,
    pub server: Server,
    /// Holds the SQLite file and demo logins until the test ends.
    _data_dir: tempfile::TempDir,
}

/// A database URL of its own for one test.
pub async fn fresh_database(data_dir: &std::path::Path) -> String {
    match std::env::var("DAGSTAAT_TEST_POSTGRES_URL") {
        Ok(admin_url) => {
            let name = format!("test_{}", uuid_like());
            let admin = db::connect(&admin_url)
                .await
                .expect("connect to PostgreSQL");
            sea_orm::ConnectionTrait::execute_unprepared(
                &admin,
                &format!("CREATE DATABASE \"{name}\""),
            )
            .await
            .expect("create test database");
            let base = admin_url
                .rsplit_once('/')
                .map(|(base, _)| base)
                .unwrap_or(&admin_url);
            format!("{base}/{name}")
        }
        Err(_) => format!(
            "sqlite://{}?mode=rwc",
            data_dir.join("test.sqlite").display()
        ),
    }
}

fn uuid_like() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..16)
        .map(|_| char::from(b'a' + rng.random_range(0..26u8)))
        .collect()
}

/// The first Tuesday after today (a day with clients expected in the demo).
pub fn next_tuesday() -> chrono::NaiveDate {
    use chrono::Datelike;
    let mut day = sync::amsterdam_date(chrono::Utc::now()) + chrono::Duration::days(1);
    while day.weekday() != chrono::Weekday::Tue {
        day += chrono::Duration::days(1);
    }
    day
}

pub fn test_config(data_dir: &std::path::Path, database_url: &str) -> Config {
    Config {
        database_url: Some(database_url.to_owned()),
        bind: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir.to_owned(),
        demo_on_empty: false,
        notification_checks: false,
        session_recheck_seconds: 1,
        ..Config::default()
    }
}

impl TestApp {
    /// An app with the demo organisation (every demo user's password is PASSWORD).
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(|_| {}).await
    }

    /// As `spawn`, with some configuration changed.
    pub async fn spawn_with(configure: impl FnOnce(&mut Config)) -> TestApp {
        init_logging();
        let data_dir = tempfile::tempdir().expect("tempdir");
        let database_url = fresh_database(data_dir.path()).await;
        let database = db::connect(&database_url).await.expect("connect");
        db::migrate(&database).await.expect("migrate");
        demo::load(&database, Some(PASSWORD.into()))
            .await
            .expect("demo");
        let mut config = test_config(data_dir.path(), &database_url);
        configure(&mut config);
        let server = Server::start(config).await.expect("start server");
        TestApp {
            url: server.url(),
            server,
            _data_dir: data_dir,
        }
    }

    /// A second server instance on this app's database (as when several share PostgreSQL).
    pub async fn another_instance(&self) -> TestApp {
        let data_dir = tempfile::tempdir().expect("tempdir");
        let database_url = self.server.state.config.database_url();
        let server = Server::start(test_config(data_dir.path(), &database_url))
            .await
            .expect("start second instance");
        TestApp {
            url: server.url(),
            server,
            _data_dir: data_dir,
        }
    }

    pub fn db(&self) -> &sea_orm::DatabaseConnection {
        &self.server.state.db
    }

    pub fn email(role: Role) -> String {
        format!("{}@demo.dagstaat.nl", role.as_str())
    }

    /// A client logged in with the session cookie, as the PWA is.
    pub async fn login(&self, role: Role) -> Api {
        self.login_as(&TestApp::email(role), PASSWORD).await
    }

    pub async fn login_as(&self, email: &str, password: &str) -> Api {
        let client = Client::builder().cookie_store(true).build().unwrap();
        let response = client
            .post(format!("{}/api/auth/login", self.url))
            .json(&serde_json::json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "login as {email}");
        Api {
            client,
            url: self.url.clone(),
            bearer: None,
        }
    }

    /// A client with a bearer token, as an API integration is.
    pub async fn token(&self, role: Role) -> Api {
        let client = Client::new();
        let body: Value = client
            .post(format!("{}/api/auth/token", self.url))
            .json(&serde_json::json!({"email": TestApp::email(role), "password": PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Api {
            client,
            url: self.url.clone(),
            bearer: Some(body["token"].as_str().expect("token").to_owned()),
        }
    }

    pub fn anonymous(&self) -> Api {
        Api {
            client: Client::new(),
            url: self.url.clone(),
            bearer: None,
        }
    }
}

/// A logged-in (or anonymous) HTTP client for the API.
pub struct Api {
    pub client: Client,
    pub url: String,
    pub bearer: Option<String>,
}

impl Api {
    pub async fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Response {
        let mut request = self.client.request(method, format!("{}{}", self.url, path));
        if let Some(token) = &self.bearer {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("request")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.request(reqwest::Method::POST, path, Some(body)).await
    }

    /// GET that must succeed; returns the JSON body.
    pub async fn get_ok(&self, path: &str) -> Value {
        let response = self.get(path).await;
        let status = response.status();
        let body = response.text().await.unwrap();
        assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
        serde_json::from_str(&body).unwrap()
    }

    /// Sends and expects `status`; returns the JSON body (Null when empty).
    pub async fn expect(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
        status: StatusCode,
    ) -> Value {
        let response = self.request(method.clone(), path, body).await;
        let actual = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(actual, status, "{method} {path}: {text}");
        if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        }
    }
}

/// A valid client body at `location_id`, with a BSN derived from `n`.
pub fn client_body(location_id: i64, n: u32) -> Value {
    serde_json::json!({
        "location_id": location_id,
        "first_name": "Test",
        "last_name": format!("Cliënt {n}"),
        "bsn": bsn(n),
        "birth_date": "1980-05-17",
        "street": "Teststraat",
        "house_number": "1a",
        "postcode": "6711ab",
        "city": "Ede",
        "lat": 52.03,
        "lon": 5.66,
        "phone": "06-12345678",
        "wheelchair": true,
        "emergency_contact_name": "Moeder Test",
        "emergency_contact_phone": "0318 123456"
    })
}

/// A valid BSN (elfproef) built from `n`, outside the demo's random range by construction of the prefix.
pub fn bsn(n: u32) -> String {
    for check_base in 0..100u32 {
        let body = format!("9{:07}", (n * 100 + check_base) % 10_000_000);
        let digits: Vec<u32> = body.chars().map(|c| c.to_digit(10).unwrap()).collect();
        let sum: u32 = digits.iter().zip((2..=9).rev()).map(|(d, w)| d * w).sum();
        if sum % 11 < 10 {
            return format!("{body}{}", sum % 11);
        }
    }
    unreachable!("some prefix always has a valid check digit")
}

pub fn location_body(name: &str) -> Value {
    serde_json::json!({
        "name": name,
        "street": "Hoofdweg",
        "house_number": "7",
        "postcode": "6721 AA",
        "city": "Bennekom",
        "lat": 52.0,
        "lon": 5.67,
        "dagdelen": [
            {"dagdeel": "ochtend", "start": "09:00", "end": "13:00", "capacity": 10},
            {"dagdeel": "middag", "start": "13:00", "end": "17:00", "capacity": 10}
        ]
    })
}

/// The id of the first item of a list endpoint.
pub async fn first_id(api: &Api, path: &str) -> i64 {
    api.get_ok(path).await["items"][0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no items at {path}"))
}

/// The location the demo coach and driver work at (the farm).
pub async fn coach_location(app: &TestApp) -> i64 {
    let coach = app.login(dagstaat::auth::Role::Coach).await;
    coach.get_ok("/api/me").await["locations"][0]["id"]
        .as_i64()
        .expect("coach location")
}

/// Server logs in the test output (shown for failing tests only).
fn init_logging() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("warn"))
        .with_test_writer()
        .try_init();
}

/// The fields named in a validation problem, in order.
pub fn invalid_fields(problem: &Value) -> Vec<&str> {
    problem["errors"]
        .as_array()
        .expect("a validation problem lists its errors")
        .iter()
        .map(|e| e["field"].as_str().expect("field name"))
        .collect()
}
