//! Who rides on a date: clients scheduled at the planned locations that day who hold a valid
//! transport allocation (category 08), with the times their first dagdeel starts and their
//! last one ends; and the vehicles that can take them.
use std::collections::HashMap;

use chrono::NaiveDate;
use routing::day::{Bus, Direction, Passenger, Site};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

use super::entity::vehicle;
use crate::allocations::entity::allocation;
use crate::clients::entity::client;
use crate::contracts::domain::ProductCategory;
use crate::http::ApiResult;
use crate::organisation::api::dagdelen_of;
use crate::organisation::entity::location;
use crate::schedules::api::valid_on;
use crate::schedules::domain::iso_weekday;
use crate::schedules::entity::schedule;

/// What a driver and the planner see of a passenger: no BSN, no care details.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rider {
    pub client_id: i32,
    pub location_id: i32,
    pub name: String,
    pub address: String,
    pub phone: String,
    pub lat: f64,
    pub lon: f64,
    pub wheelchair: bool,
    pub walker: bool,
    pub escort: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VehicleInfo {
    pub vehicle_id: i32,
    pub name: String,
    pub location_id: i32,
}

/// Everything a plan is built from, kept with the plan so it can be re-timed and re-planned
/// exactly as it was, even after clients or vehicles change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanningInput {
    pub direction: Direction,
    pub sites: Vec<Site>,
    pub site_names: Vec<String>,
    /// `passengers[i]` is `riders[i]`.
    pub passengers: Vec<Passenger>,
    pub riders: Vec<Rider>,
    /// `buses[j]` is `vehicles[j]`.
    pub buses: Vec<Bus>,
    pub vehicles: Vec<VehicleInfo>,
}

pub async fn gather(
    db: &impl ConnectionTrait,
    date: NaiveDate,
    location_ids: &[i32],
    direction: Direction,
) -> ApiResult<PlanningInput> {
    let locations = location::Entity::find()
        .filter(location::Column::Id.is_in(location_ids.iter().copied()))
        .order_by_asc(location::Column::Id)
        .all(db)
        .await?;
    let site_index: HashMap<i32, usize> = locations
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id, i))
        .collect();
    let dagdelen = dagdelen_of(db, location_ids).await?;
    let schedules = schedule::Entity::find()
        .filter(schedule::Column::LocationId.is_in(location_ids.iter().copied()))
        .filter(schedule::Column::Weekday.eq(iso_weekday(date)))
        .filter(valid_on(date))
        .all(db)
        .await?;
    let with_transport: Vec<i32> = allocation::Entity::find()
        .filter(allocation::Column::ProductCategory.eq(ProductCategory::Vervoer.code()))
        .filter(allocation::Column::ValidFrom.lte(date))
        .filter(
            Condition::any()
                .add(allocation::Column::ValidTo.is_null())
                .add(allocation::Column::ValidTo.gte(date)),
        )
        .filter(allocation::Column::ClientId.is_in(schedules.iter().map(|s| s.client_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.client_id)
        .collect();
    let clients = client::Entity::find()
        .filter(client::Column::Id.is_in(with_transport.iter().copied()))
        .filter(client::Column::Active.eq(true))
        .order_by_asc(client::Column::Id)
        .all(db)
        .await?;

    let mut passengers = Vec::new();
    let mut riders = Vec::new();
    for c in clients {
        // A client rides to (and from) one location a day: the first scheduled one.
        let Some(location_id) = schedules
            .iter()
            .filter(|s| s.client_id == c.id)
            .map(|s| s.location_id)
            .min()
        else {
            continue;
        };
        let windows: Vec<(i32, i32)> = schedules
            .iter()
            .filter(|s| s.client_id == c.id && s.location_id == location_id)
            .filter_map(|s| {
                dagdelen
                    .get(&location_id)?
                    .iter()
                    .find(|d| d.dagdeel == s.dagdeel)
                    .map(|d| (d.start_minute, d.end_minute))
            })
            .collect();
        let minute = match direction {
            Direction::Inbound => windows.iter().map(|w| w.0).min(),
            Direction::Outbound => windows.iter().map(|w| w.1).max(),
        };
        let (Some(minute), Some(&site)) = (minute, site_index.get(&location_id)) else {
            continue;
        };
        passengers.push(Passenger {
            client_id: c.id,
            home: (c.lat, c.lon),
            wheelchair: c.wheelchair,
            site,
            minute: f64::from(minute),
        });
        riders.push(Rider {
            client_id: c.id,
            location_id,
            name: format!("{} {}", c.first_name, c.last_name),
            address: format!("{} {}, {} {}", c.street, c.house_number, c.postcode, c.city),
            phone: c.phone,
            lat: c.lat,
            lon: c.lon,
            wheelchair: c.wheelchair,
            walker: c.walker,
            escort: c.escort,
        });
    }

    let vehicles = vehicle::Entity::find()
        .filter(vehicle::Column::LocationId.is_in(location_ids.iter().copied()))
        .filter(vehicle::Column::Active.eq(true))
        .order_by_asc(vehicle::Column::Id)
        .all(db)
        .await?;
    let buses = vehicles
        .iter()
        .filter_map(|v| {
            Some(Bus {
                vehicle_id: v.id,
                site: *site_index.get(&v.location_id)?,
                seats: v.seats,
                wheelchair_places: v.wheelchair_places,
            })
        })
        .collect();
    Ok(PlanningInput {
        direction,
        sites: locations
            .iter()
            .map(|l| Site {
                id: l.id,
                at: (l.lat, l.lon),
            })
            .collect(),
        site_names: locations.iter().map(|l| l.name.clone()).collect(),
        passengers,
        riders,
        buses,
        vehicles: vehicles
            .into_iter()
            .map(|v| VehicleInfo {
                vehicle_id: v.id,
                name: v.name,
                location_id: v.location_id,
            })
            .collect(),
    })
}
