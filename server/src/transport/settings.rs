//! The organisation's transport settings: one row, defaults until an admin changes them.
use chrono::Utc;
use routing::RoadModel;
use routing::day::Settings;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use super::entity::transport_setting;
use crate::http::{ApiError, ApiResult};

const ROW: i32 = 1;

pub async fn load(db: &impl ConnectionTrait) -> ApiResult<Settings> {
    match transport_setting::Entity::find_by_id(ROW).one(db).await? {
        Some(row) => serde_json::from_str(&row.settings)
            .map_err(|e| ApiError::Internal(format!("stored transport settings: {e}"))),
        None => Ok(Settings::default()),
    }
}

pub async fn save(db: &impl ConnectionTrait, settings: &Settings) -> ApiResult<()> {
    let json = serde_json::to_string(settings).map_err(|e| ApiError::Internal(e.to_string()))?;
    let row = transport_setting::ActiveModel {
        id: Set(ROW),
        settings: Set(json),
        updated_at: Set(Utc::now()),
    };
    if transport_setting::Entity::find_by_id(ROW)
        .one(db)
        .await?
        .is_some()
    {
        row.update(db).await?;
    } else {
        row.insert(db).await?;
    }
    Ok(())
}

/// Settings as the API shows and takes them (flat, with units in the names).
#[derive(Clone, Debug, poem_openapi::Object)]
pub struct TransportSettingsView {
    /// Longest a passenger may sit in the bus.
    #[oai(validator(minimum(value = "10"), maximum(value = "180")))]
    pub max_ride_minutes: f64,
    /// Arrive at least this long before the dagdeel starts.
    #[oai(validator(minimum(value = "0"), maximum(value = "60")))]
    pub arrival_margin_minutes: f64,
    /// ...and at most this long before it.
    #[oai(validator(minimum(value = "5"), maximum(value = "120")))]
    pub arrival_window_minutes: f64,
    /// Leave the location within this long after the dagdeel ends.
    #[oai(validator(minimum(value = "5"), maximum(value = "120")))]
    pub departure_window_minutes: f64,
    #[oai(validator(minimum(value = "0"), maximum(value = "30")))]
    pub boarding_minutes: f64,
    #[oai(validator(minimum(value = "0"), maximum(value = "30")))]
    pub wheelchair_boarding_minutes: f64,
    /// Longest run of one driver, garage to garage.
    #[oai(validator(minimum(value = "30"), maximum(value = "720")))]
    pub shift_minutes: f64,
    /// Road distance over straight-line distance.
    #[oai(validator(minimum(value = "1"), maximum(value = "3")))]
    pub detour_factor: f64,
    #[oai(validator(minimum(value = "5"), maximum(value = "120")))]
    pub speed_kmh: f64,
}

impl From<Settings> for TransportSettingsView {
    fn from(s: Settings) -> Self {
        TransportSettingsView {
            max_ride_minutes: s.max_ride_minutes,
            arrival_margin_minutes: s.arrival_margin_minutes,
            arrival_window_minutes: s.arrival_window_minutes,
            departure_window_minutes: s.departure_window_minutes,
            boarding_minutes: s.boarding_minutes,
            wheelchair_boarding_minutes: s.wheelchair_boarding_minutes,
            shift_minutes: s.shift_minutes,
            detour_factor: s.road.detour_factor,
            speed_kmh: s.road.speed_kmh,
        }
    }
}

impl From<&TransportSettingsView> for Settings {
    fn from(v: &TransportSettingsView) -> Self {
        Settings {
            max_ride_minutes: v.max_ride_minutes,
            arrival_margin_minutes: v.arrival_margin_minutes,
            arrival_window_minutes: v.arrival_window_minutes,
            departure_window_minutes: v.departure_window_minutes,
            boarding_minutes: v.boarding_minutes,
            wheelchair_boarding_minutes: v.wheelchair_boarding_minutes,
            shift_minutes: v.shift_minutes,
            road: RoadModel {
                detour_factor: v.detour_factor,
                speed_kmh: v.speed_kmh,
            },
        }
    }
}
