//! The demo provider: two locations, two municipalities, ~60 clients, 4 vehicles, a user per role.
//!
//! Loaded by `dagstaat demo`, and by the first start of `serve` on an empty database.
pub mod history;
mod names;

use std::collections::HashSet;
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, Set,
    TransactionTrait,
};

use crate::allocations::domain::Frequency;
use crate::allocations::entity::allocation;
use crate::auth::entity::{user, user_location};
use crate::auth::{Role, password};
use crate::clients::entity::client;
use crate::contracts::domain::{ProductCategory, Unit};
use crate::contracts::entity::{contract, municipality, tariff};
use crate::organisation::entity::{location, location_dagdeel, organisation};
use crate::schedules::entity::schedule;
use crate::transport::entity::vehicle;
use sync::Dagdeel;

const CREDENTIALS_FILE: &str = "demo-credentials.txt";
pub const CLIENTS_PER_LOCATION: [usize; 2] = [32, 28];
pub const TRANSPORT_CLIENTS: usize = 25;

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Database(#[from] DbErr),
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("demo attendance history: {0}")]
    History(String),
    #[error("the database already holds an organisation; the demo loads only into an empty one")]
    NotEmpty,
}

#[derive(Debug, Clone)]
pub struct Credential {
    pub role: Role,
    pub email: String,
    pub password: String,
}

pub async fn is_empty(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    Ok(organisation::Entity::find().count(db).await? == 0)
}

struct DemoLocation {
    name: &'static str,
    street: &'static str,
    house_number: &'static str,
    postcode: &'static str,
    city: &'static str,
    nearby_cities: &'static [&'static str],
    lat: f64,
    lon: f64,
    /// (dagdeel, start minute, end minute, capacity)
    dagdelen: [(Dagdeel, i32, i32, i32); 2],
}

const LOCATIONS: [DemoLocation; 2] = [
    DemoLocation {
        name: "Zorgboerderij De Hooiberg",
        street: "Bosrand",
        house_number: "12",
        postcode: "6718 ZA",
        city: "Ede",
        nearby_cities: &["Ede", "Bennekom", "Lunteren", "Otterlo"],
        lat: 52.0437,
        lon: 5.6497,
        dagdelen: [
            (Dagdeel::Ochtend, 540, 780, 16),
            (Dagdeel::Middag, 780, 1020, 16),
        ],
    },
    DemoLocation {
        name: "Atelier De Linde",
        street: "Lindelaan",
        house_number: "3",
        postcode: "6701 AB",
        city: "Wageningen",
        nearby_cities: &["Wageningen", "Renkum", "Heelsum", "Bennekom"],
        lat: 51.9692,
        lon: 5.6654,
        dagdelen: [
            (Dagdeel::Ochtend, 510, 750, 14),
            (Dagdeel::Middag, 780, 1020, 14),
        ],
    },
];

/// (name, gemeentecode, dagbesteding product, tariff, transport product, tariff)
const MUNICIPALITIES: [(&str, &str, &str, i64, &str, i64); 2] = [
    ("Ede", "0228", "07A08", 5840, "08V01", 1275),
    ("Wageningen", "0289", "07D01", 5610, "08V02", 1190),
];

/// Records attendance from the first day of last month up to yesterday, so the dashboards have
/// history and finance has a month to close.
pub async fn record_recent_history(db: &DatabaseConnection) -> Result<usize, DemoError> {
    let today = sync::amsterdam_date(Utc::now());
    let this_month = today.with_day(1).unwrap_or(today);
    let last_month = (this_month - Duration::days(1))
        .with_day(1)
        .unwrap_or(this_month);
    let hub = crate::attendance::hub::Hub::new(db.clone());
    history::record(&hub, db, last_month, today - Duration::days(1), 2026)
        .await
        .map_err(|e| DemoError::History(e.to_string()))
}

/// Loads the demo into an empty database, in one transaction; returns the login details.
pub async fn load(
    db: &DatabaseConnection,
    fixed_password: Option<String>,
) -> Result<Vec<Credential>, DemoError> {
    if !is_empty(db).await? {
        return Err(DemoError::NotEmpty);
    }
    let today = sync::amsterdam_date(Utc::now());
    let mut rng = StdRng::seed_from_u64(2026);
    let credentials = demo_credentials(fixed_password);
    let hashes = hash_all(&credentials).await?;

    let txn = db.begin().await?;
    let now = Utc::now();
    organisation::ActiveModel {
        name: Set("Stichting Dagstaat Demo".into()),
        agb_code: Set("98765432".into()),
        contact_email: Set("privacy@demo.dagstaat.nl".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;

    let mut location_ids = Vec::new();
    for l in &LOCATIONS {
        let created = location::ActiveModel {
            name: Set(l.name.into()),
            street: Set(l.street.into()),
            house_number: Set(l.house_number.into()),
            postcode: Set(l.postcode.into()),
            city: Set(l.city.into()),
            lat: Set(l.lat),
            lon: Set(l.lon),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for (dagdeel, start, end, capacity) in l.dagdelen {
            location_dagdeel::ActiveModel {
                location_id: Set(created.id),
                dagdeel: Set(dagdeel.as_str().into()),
                start_minute: Set(start),
                end_minute: Set(end),
                capacity: Set(capacity),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        location_ids.push(created.id);
    }

    let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let mut municipality_ids = Vec::new();
    for (name, code, day_product, day_tariff, ride_product, ride_tariff) in MUNICIPALITIES {
        let m = municipality::ActiveModel {
            name: Set(name.into()),
            code: Set(code.into()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let c = contract::ActiveModel {
            municipality_id: Set(m.id),
            name: Set(format!("Raamovereenkomst Wmo {name} {}", today.year())),
            valid_from: Set(year_start),
            valid_to: Set(None),
            rules: Set(serde_json::json!({
                "dagdeel_minimum_minutes": 180,
                "counting": "presence_time",
                "transport_included": false,
                "no_show": "never"
            })
            .to_string()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for (category, product, unit, cents) in [
            (
                ProductCategory::Dagbesteding,
                day_product,
                Unit::Dagdeel,
                day_tariff,
            ),
            (
                ProductCategory::Vervoer,
                ride_product,
                Unit::StuksOutput,
                ride_tariff,
            ),
        ] {
            tariff::ActiveModel {
                contract_id: Set(c.id),
                product_category: Set(category.code().into()),
                product_code: Set(product.into()),
                unit_code: Set(unit.code().into()),
                tariff_cents: Set(cents),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        municipality_ids.push(m.id);
    }

    load_clients(&txn, &mut rng, &location_ids, &municipality_ids, today).await?;
    load_vehicles(&txn, &location_ids).await?;
    load_users(&txn, &credentials, &hashes, &location_ids).await?;
    txn.commit().await?;
    tracing::info!("demo organisation loaded");
    Ok(credentials)
}

async fn load_clients(
    db: &impl ConnectionTrait,
    rng: &mut StdRng,
    location_ids: &[i32],
    municipality_ids: &[i32],
    today: NaiveDate,
) -> Result<(), DbErr> {
    let total: usize = CLIENTS_PER_LOCATION.iter().sum();
    let mut transport: HashSet<usize> = HashSet::new();
    while transport.len() < TRANSPORT_CLIENTS {
        transport.insert(rng.random_range(0..total));
    }
    let mut bsns = HashSet::new();
    let mut index = 0usize;
    let now = Utc::now();
    for (loc_index, (&location_id, &count)) in
        location_ids.iter().zip(&CLIENTS_PER_LOCATION).enumerate()
    {
        let place = &LOCATIONS[loc_index];
        for _ in 0..count {
            let bsn = loop {
                let candidate = random_bsn(rng);
                if bsns.insert(candidate.clone()) {
                    break candidate;
                }
            };
            let wheelchair = rng.random_bool(0.12);
            let first_name = names::FIRST_NAMES.choose(rng).copied().unwrap_or("Anna");
            let last_name = names::LAST_NAMES.choose(rng).copied().unwrap_or("Jansen");
            let city = place
                .nearby_cities
                .choose(rng)
                .copied()
                .unwrap_or(place.city);
            let birth_date = NaiveDate::from_ymd_opt(
                rng.random_range(1948..2004),
                rng.random_range(1..=12),
                rng.random_range(1..=28),
            )
            .unwrap_or(today);
            let created = client::ActiveModel {
                location_id: Set(location_id),
                first_name: Set(first_name.into()),
                last_name: Set(last_name.into()),
                bsn: Set(bsn),
                birth_date: Set(birth_date),
                street: Set(names::STREETS
                    .choose(rng)
                    .copied()
                    .unwrap_or("Dorpsstraat")
                    .into()),
                house_number: Set(rng.random_range(1..180).to_string()),
                postcode: Set(format!(
                    "{} {}{}",
                    &place.postcode[..2].parse::<u32>().unwrap_or(67) * 100
                        + rng.random_range(0..100),
                    char::from(b'A' + rng.random_range(0..26u8)),
                    char::from(b'A' + rng.random_range(0..26u8)),
                )),
                city: Set(city.into()),
                lat: Set(place.lat + rng.random_range(-0.09..0.09)),
                lon: Set(place.lon + rng.random_range(-0.14..0.14)),
                phone: Set(format!(
                    "06-{:08}",
                    rng.random_range(10_000_000..99_999_999)
                )),
                wheelchair: Set(wheelchair),
                walker: Set(!wheelchair && rng.random_bool(0.15)),
                escort: Set(rng.random_bool(0.05)),
                emergency_contact_name: Set(format!(
                    "{} {}",
                    names::FIRST_NAMES.choose(rng).copied().unwrap_or("Kees"),
                    last_name
                )),
                emergency_contact_phone: Set(format!(
                    "0318-{:06}",
                    rng.random_range(100_000..999_999)
                )),
                active: Set(true),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
            let dagdelen_per_week = load_schedule(db, rng, created.id, location_id, today).await?;
            // Mostly the municipality of the location, sometimes the neighbouring one.
            let municipality_index = if rng.random_bool(0.85) {
                loc_index
            } else {
                1 - loc_index
            };
            let (_, _, day_product, _, ride_product, _) = MUNICIPALITIES[municipality_index];
            let municipality_id = municipality_ids[municipality_index];
            let (valid_from, valid_to) = allocation_period(rng, today);
            insert_allocation(
                db,
                created.id,
                municipality_id,
                20_260_000 + index as i64 * 2,
                ProductCategory::Dagbesteding,
                day_product,
                Unit::Dagdeel,
                dagdelen_per_week.max(1),
                (valid_from, valid_to),
            )
            .await?;
            if transport.contains(&index) {
                let days = ((dagdelen_per_week + 1) / 2).max(1);
                insert_allocation(
                    db,
                    created.id,
                    municipality_id,
                    20_260_001 + index as i64 * 2,
                    ProductCategory::Vervoer,
                    ride_product,
                    Unit::StuksOutput,
                    days * 2,
                    (valid_from, valid_to),
                )
                .await?;
            }
            index += 1;
        }
    }
    Ok(())
}

/// Most allocations run well into next year; some expire within weeks, so renewals show up.
fn allocation_period(rng: &mut StdRng, today: NaiveDate) -> (NaiveDate, Option<NaiveDate>) {
    let valid_from = today - Duration::days(rng.random_range(60..330));
    let days_left = if rng.random_bool(0.15) {
        rng.random_range(7..42)
    } else {
        rng.random_range(120..500)
    };
    (valid_from, Some(today + Duration::days(days_left)))
}

#[allow(clippy::too_many_arguments)]
async fn insert_allocation(
    db: &impl ConnectionTrait,
    client_id: i32,
    municipality_id: i32,
    number: i64,
    category: ProductCategory,
    product: &str,
    unit: Unit,
    volume: i32,
    (valid_from, valid_to): (NaiveDate, Option<NaiveDate>),
) -> Result<(), DbErr> {
    allocation::ActiveModel {
        client_id: Set(client_id),
        municipality_id: Set(municipality_id),
        allocation_number: Set(number),
        product_category: Set(category.code().into()),
        product_code: Set(product.into()),
        unit_code: Set(unit.code().into()),
        volume: Set(volume),
        frequency: Set(Frequency::PerWeek.code().into()),
        budget_cents: Set(None),
        valid_from: Set(valid_from),
        valid_to: Set(valid_to),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// 1 to 4 weekdays; each a morning, an afternoon or a whole day. Returns dagdelen per week.
async fn load_schedule(
    db: &impl ConnectionTrait,
    rng: &mut StdRng,
    client_id: i32,
    location_id: i32,
    today: NaiveDate,
) -> Result<i32, DbErr> {
    let days = rng.random_range(1..=4);
    let mut weekdays: Vec<i16> = (1..=5).collect();
    let mut dagdelen_per_week = 0;
    let valid_from = today - Duration::days(rng.random_range(30..300));
    for _ in 0..days {
        let weekday = weekdays.remove(rng.random_range(0..weekdays.len()));
        let parts: &[Dagdeel] = match rng.random_range(0..3) {
            0 => &[Dagdeel::Ochtend],
            1 => &[Dagdeel::Middag],
            _ => &[Dagdeel::Ochtend, Dagdeel::Middag],
        };
        for dagdeel in parts {
            schedule::ActiveModel {
                client_id: Set(client_id),
                location_id: Set(location_id),
                weekday: Set(weekday),
                dagdeel: Set(dagdeel.as_str().into()),
                valid_from: Set(valid_from),
                valid_to: Set(None),
                ..Default::default()
            }
            .insert(db)
            .await?;
            dagdelen_per_week += 1;
        }
    }
    Ok(dagdelen_per_week)
}

async fn load_vehicles(db: &impl ConnectionTrait, location_ids: &[i32]) -> Result<(), DbErr> {
    let vehicles = [
        (0, "Bus 1 (Crafter)", "VX-123-B", 8, 1),
        (0, "Bus 2 (rolstoelbus)", "VZ-456-K", 6, 2),
        (1, "Bus 3 (Transit)", "VR-789-L", 8, 0),
        (1, "Bus 4 (Sprinter)", "VT-012-N", 7, 1),
    ];
    for (loc, name, plate, seats, wheelchairs) in vehicles {
        vehicle::ActiveModel {
            location_id: Set(location_ids[loc]),
            name: Set(name.into()),
            license_plate: Set(plate.into()),
            seats: Set(seats),
            wheelchair_places: Set(wheelchairs),
            active: Set(true),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

fn demo_credentials(fixed_password: Option<String>) -> Vec<Credential> {
    Role::ALL
        .into_iter()
        .map(|role| Credential {
            role,
            email: format!("{}@demo.dagstaat.nl", role.as_str()),
            password: fixed_password.clone().unwrap_or_else(random_password),
        })
        .collect()
}

fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..16)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

async fn hash_all(credentials: &[Credential]) -> Result<Vec<String>, DemoError> {
    let passwords: Vec<String> = credentials.iter().map(|c| c.password.clone()).collect();
    tokio::task::spawn_blocking(move || {
        passwords
            .iter()
            .map(|p| password::hash(p).map_err(|e| DemoError::Hash(e.to_string())))
            .collect()
    })
    .await
    .map_err(|e| DemoError::Hash(e.to_string()))?
}

/// Coach and driver work at the farm; the coordinator at both; admin and finance see everything.
async fn load_users(
    db: &impl ConnectionTrait,
    credentials: &[Credential],
    hashes: &[String],
    location_ids: &[i32],
) -> Result<(), DbErr> {
    for (credential, hash) in credentials.iter().zip(hashes) {
        let created = user::ActiveModel {
            email: Set(credential.email.clone()),
            display_name: Set(display_name(credential.role).into()),
            role: Set(credential.role.as_str().into()),
            password_hash: Set(hash.clone()),
            active: Set(true),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
        let locations: &[i32] = match credential.role {
            Role::Coach | Role::Driver => &location_ids[..1],
            Role::Coordinator => location_ids,
            Role::Admin | Role::Finance => &[],
        };
        for &location_id in locations {
            user_location::ActiveModel {
                user_id: Set(created.id),
                location_id: Set(location_id),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

fn display_name(role: Role) -> &'static str {
    match role {
        Role::Admin => "Beheerder Demo",
        Role::Coordinator => "Coördinator Demo",
        Role::Coach => "Begeleider Demo",
        Role::Driver => "Chauffeur Demo",
        Role::Finance => "Financiën Demo",
    }
}

/// A random BSN that passes the elfproef.
fn random_bsn(rng: &mut StdRng) -> String {
    loop {
        let digits: Vec<u32> = (0..8)
            .map(|i| {
                if i == 0 {
                    rng.random_range(1..10)
                } else {
                    rng.random_range(0..10)
                }
            })
            .collect();
        let sum: u32 = digits.iter().zip((2..=9).rev()).map(|(d, w)| d * w).sum();
        let check = sum % 11;
        if check < 10 {
            return digits
                .iter()
                .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
                .collect::<String>()
                + &check.to_string();
        }
    }
}

fn format_credentials(credentials: &[Credential]) -> String {
    let mut text = String::from("Demo organisation logins (role, email, password):\n");
    for c in credentials {
        text.push_str(&format!(
            "  {:<12} {:<32} {}\n",
            c.role.as_str(),
            c.email,
            c.password
        ));
    }
    text
}

/// Prints the logins and keeps them (owner-readable only) so later starts can print them again.
pub fn save_and_print_credentials(data_dir: &Path, credentials: &[Credential]) {
    let text = format_credentials(credentials);
    println!("\n{text}");
    let path = data_dir.join(CREDENTIALS_FILE);
    if let Err(e) = std::fs::create_dir_all(data_dir).and_then(|_| write_private(&path, &text)) {
        tracing::warn!(error = %e, "could not save demo logins");
    }
}

pub fn print_saved_credentials(data_dir: &Path) {
    if let Ok(text) = std::fs::read_to_string(data_dir.join(CREDENTIALS_FILE)) {
        println!("\n{text}");
    }
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::domain::is_bsn;

    #[test]
    fn random_bsns_pass_the_elfproef() {
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..500 {
            let bsn = random_bsn(&mut rng);
            assert!(is_bsn(&bsn), "{bsn}");
        }
    }

    #[test]
    fn one_login_per_role() {
        let credentials = demo_credentials(Some("fixed-password".into()));
        assert_eq!(credentials.len(), Role::ALL.len());
        assert!(credentials.iter().all(|c| c.password == "fixed-password"));
        assert_eq!(random_password().len(), 16);
    }
}
