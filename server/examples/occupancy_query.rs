//! Occupancy benchmark (issue 6): 10 locations x 1 year of attendance, queried end to end over
//! HTTP (`GET /api/occupancy` per day and per week, `GET /api/occupancy/no-shows`) on a running
//! server. Prints p50/p99 over repeated requests.
//!
//! `occupancy_query <database-url>`; `tests/bench/occupancy/run.sh` runs it on SQLite and PostgreSQL.
use std::time::Instant;

use chrono::{Datelike, Duration, NaiveDate, Utc, Weekday};
use dagstaat::attendance::entity::attendance;
use dagstaat::organisation::entity::{location, location_dagdeel};
use dagstaat::{Config, Server, db, demo};
use sea_orm::{ActiveModelTrait, EntityTrait, Set, TransactionTrait};

const LOCATIONS: usize = 10;
const CLIENTS_PER_DAGDEEL: i32 = 30;
const REQUESTS: usize = 50;
const PASSWORD: &str = "bench-password";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(url) = std::env::args().nth(1) else {
        eprintln!("usage: occupancy_query <database-url>");
        std::process::exit(2);
    };
    let database = db::connect(&url).await?;
    db::migrate(&database).await?;
    demo::load(&database, Some(PASSWORD.into())).await?;
    let (from, to) = year();
    let rows = seed(&database, from, to).await?;
    // The bulk load bypasses the projection; build the cells the way the migration does.
    dagstaat::occupancy::storage::rebuild(&database).await?;
    println!("seeded {LOCATIONS} locations, {rows} attendance rows ({from} to {to})");

    let data_dir = tempfile::tempdir()?;
    let server = Server::start(Config {
        database_url: Some(url),
        bind: "127.0.0.1:0".parse()?,
        data_dir: data_dir.path().to_owned(),
        demo_on_empty: false,
        ..Config::default()
    })
    .await?;
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    client
        .post(format!("{}/api/auth/login", server.url()))
        .json(&serde_json::json!({"email": "admin@demo.dagstaat.nl", "password": PASSWORD}))
        .send()
        .await?
        .error_for_status()?;
    for (name, path) in [
        (
            "per day",
            format!("/api/occupancy?from={from}&to={to}&group=day"),
        ),
        (
            "per week",
            format!("/api/occupancy?from={from}&to={to}&group=week"),
        ),
        (
            "per month",
            format!("/api/occupancy?from={from}&to={to}&group=month"),
        ),
        (
            "no-shows per client",
            format!("/api/occupancy/no-shows?from={from}&to={to}"),
        ),
    ] {
        let url = format!("{}{path}", server.url());
        let mut times = Vec::with_capacity(REQUESTS);
        let mut bytes = 0;
        for _ in 0..REQUESTS {
            let started = Instant::now();
            let body = client
                .get(&url)
                .send()
                .await?
                .error_for_status()?
                .bytes()
                .await?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            bytes = body.len();
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{name:>20}: p50 {:.1} ms, p99 {:.1} ms ({} requests, {} KiB)",
            times[REQUESTS / 2],
            times[(REQUESTS * 99).div_ceil(100) - 1],
            REQUESTS,
            bytes / 1024
        );
    }
    Ok(())
}

fn year() -> (NaiveDate, NaiveDate) {
    let to = sync::amsterdam_date(Utc::now()) - Duration::days(1);
    (to - Duration::days(364), to)
}

/// Eight more locations beside the demo's two, and every weekday of the year: 30 clients per
/// dagdeel, one in ten a no-show.
async fn seed(
    database: &sea_orm::DatabaseConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<usize, Box<dyn std::error::Error>> {
    let now = Utc::now();
    let txn = database.begin().await?;
    let mut ids: Vec<i32> = location::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|l| l.id)
        .collect();
    while ids.len() < LOCATIONS {
        let created = location::ActiveModel {
            name: Set(format!("Benchlocatie {}", ids.len() + 1)),
            street: Set("Benchweg".into()),
            house_number: Set("1".into()),
            postcode: Set("6711AB".into()),
            city: Set("Ede".into()),
            lat: Set(52.04),
            lon: Set(5.66),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for (dagdeel, start, end) in [("ochtend", 540, 780), ("middag", 780, 1020)] {
            location_dagdeel::ActiveModel {
                location_id: Set(created.id),
                dagdeel: Set(dagdeel.into()),
                start_minute: Set(start),
                end_minute: Set(end),
                capacity: Set(32),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        ids.push(created.id);
    }
    let mut rows = 0;
    for date in from.iter_days().take_while(|d| *d <= to) {
        if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            continue;
        }
        let mut batch = Vec::new();
        for (l, &location_id) in ids.iter().enumerate() {
            for (d, dagdeel) in ["ochtend", "middag"].into_iter().enumerate() {
                for c in 0..CLIENTS_PER_DAGDEEL {
                    let client_id = 100_000 + (l as i32) * 1000 + c;
                    let no_show = (date.ordinal() as i32 + c + d as i32) % 10 == 0;
                    batch.push(attendance::ActiveModel {
                        location_id: Set(location_id),
                        date: Set(date),
                        client_id: Set(client_id),
                        dagdeel: Set(dagdeel.into()),
                        status: Set(if no_show { "no_show" } else { "present" }.into()),
                        expected: Set(true),
                        present_from: Set((!no_show).then_some(540)),
                        present_to: Set((!no_show).then_some(780)),
                        minutes_present: Set(if no_show { 0 } else { 240 }),
                        no_show_reason: Set(no_show.then(|| "ziek".into())),
                        no_show_note: Set(None),
                        recorded_by: Set(None),
                        conflict: Set(false),
                        updated_at: Set(now),
                        ..Default::default()
                    });
                }
            }
        }
        rows += batch.len();
        attendance::Entity::insert_many(batch).exec(&txn).await?;
    }
    txn.commit().await?;
    Ok(rows)
}
