//! Month-close benchmark (issue 5): 5,000 clients with ~100,000 attendance rows in one month,
//! closed into a WMO323 declaration through the same code the API uses.
//!
//! `month_close seed <database-url>` loads the data; `month_close close <database-url>` closes
//! October 2026 for the first municipality and prints the time and the process's peak memory.
//! `tests/bench/billing/run.sh` runs both on SQLite and PostgreSQL.
use std::time::Instant;

use chrono::{Datelike, NaiveDate, Utc, Weekday};
use dagstaat::allocations::entity::allocation;
use dagstaat::attendance::entity::attendance;
use dagstaat::billing::close::close_month;
use dagstaat::billing::month::Month;
use dagstaat::clients::entity::client;
use dagstaat::{db, demo};
use sea_orm::{ActiveModelTrait, EntityTrait, Set, TransactionTrait};

const CLIENTS: usize = 5_000;
const MUNICIPALITY: i32 = 1;

fn month() -> Month {
    Month::new(2026, 10).expect("a valid month")
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(command), Some(url)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: month_close seed|close <database-url>");
        std::process::exit(2);
    };
    let database = db::connect(url).await?;
    match command.as_str() {
        "seed" => seed(&database).await,
        "close" => close(&database).await,
        other => Err(format!("unknown command {other}").into()),
    }
}

async fn seed(database: &sea_orm::DatabaseConnection) -> Result<(), Box<dyn std::error::Error>> {
    db::migrate(database).await?;
    demo::load(database, Some("bench-password".into())).await?;
    let started = Instant::now();
    let location_id = 1;
    let now = Utc::now();
    let txn = database.begin().await?;
    let mut rows = 0usize;
    for n in 0..CLIENTS {
        let created = client::ActiveModel {
            location_id: Set(location_id),
            first_name: Set("Bench".into()),
            last_name: Set(format!("Client {n}")),
            bsn: Set(format!("8{n:08}")),
            birth_date: Set(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()),
            street: Set("Benchstraat".into()),
            house_number: Set("1".into()),
            postcode: Set("6711AB".into()),
            city: Set("Ede".into()),
            lat: Set(52.04),
            lon: Set(5.66),
            phone: Set("0318-000000".into()),
            wheelchair: Set(false),
            walker: Set(false),
            escort: Set(false),
            emergency_contact_name: Set("Contact".into()),
            emergency_contact_phone: Set("0318-000001".into()),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        allocation::ActiveModel {
            client_id: Set(created.id),
            municipality_id: Set(MUNICIPALITY),
            allocation_number: Set(500_000_000 + n as i64),
            product_category: Set("07".into()),
            product_code: Set("07A08".into()),
            unit_code: Set("16".into()),
            volume: Set(4),
            frequency: Set("2".into()),
            budget_cents: Set(None),
            valid_from: Set(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default()),
            valid_to: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let batch = attendance_of(created.id, location_id, n, now);
        rows += batch.len();
        attendance::Entity::insert_many(batch).exec(&txn).await?;
    }
    txn.commit().await?;
    println!(
        "seeded {CLIENTS} clients, {rows} attendance rows in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Ten weekdays in the month, a whole day each (morning and afternoon); one day in ten a no-show.
fn attendance_of(
    client_id: i32,
    location_id: i32,
    n: usize,
    now: chrono::DateTime<Utc>,
) -> Vec<attendance::ActiveModel> {
    let weekdays: Vec<NaiveDate> = month()
        .days()
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .collect();
    let mut rows = Vec::new();
    for (i, date) in weekdays.iter().skip(n % 2).step_by(2).take(10).enumerate() {
        let no_show = (n + i).is_multiple_of(10);
        for (dagdeel, minutes) in [("ochtend", 240i16), ("middag", 180)] {
            rows.push(attendance::ActiveModel {
                location_id: Set(location_id),
                date: Set(*date),
                client_id: Set(client_id),
                dagdeel: Set(dagdeel.into()),
                status: Set(if no_show { "no_show" } else { "present" }.into()),
                expected: Set(true),
                present_from: Set((!no_show).then_some(540)),
                present_to: Set((!no_show).then_some(540 + minutes)),
                minutes_present: Set(if no_show { 0 } else { minutes }),
                no_show_reason: Set(no_show.then(|| "onaangekondigd".into())),
                no_show_note: Set(no_show.then(|| "gebeld, geen gehoor".into())),
                recorded_by: Set(None),
                conflict: Set(false),
                updated_at: Set(now),
                ..Default::default()
            });
        }
    }
    rows
}

async fn close(database: &sea_orm::DatabaseConnection) -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let txn = database.begin().await?;
    let today = sync::amsterdam_date(Utc::now());
    let id = close_month(&txn, 1, MUNICIPALITY, month(), today)
        .await
        .map_err(|e| e.to_string())?;
    txn.commit().await?;
    let elapsed = started.elapsed();
    let declaration = dagstaat::billing::entity::declaration::Entity::find_by_id(id)
        .one(database)
        .await?
        .ok_or("declaration not stored")?;
    println!(
        "closed {} into {} ({} bytes of XML, total {} cents) in {:.0} ms; peak RSS {}",
        month(),
        declaration.number,
        declaration.xml.len(),
        declaration.total_cents,
        elapsed.as_secs_f64() * 1000.0,
        peak_rss()
    );
    Ok(())
}

fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into())
}
