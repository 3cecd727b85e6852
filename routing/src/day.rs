//! A day of day-care transport as a routing problem: each client rides once to the location
//! (arriving before their first dagdeel starts) and once home (leaving after their last one
//! ends). Inbound and outbound rides are planned as separate runs.
use serde::{Deserialize, Serialize};

use crate::model::{Load, Problem, Request, RequestKind, Time, Vehicle, Visit, Window};
use crate::travel::{Coordinate, Matrix, RoadModel};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Home to the location, in the morning (or before an afternoon dagdeel).
    Inbound,
    /// Location to home, after the last dagdeel.
    Outbound,
}

/// The organisation's transport settings (minutes unless named otherwise).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub max_ride_minutes: f64,
    /// Arrive at the location at least this long before the dagdeel starts...
    pub arrival_margin_minutes: f64,
    /// ...and at most this long before it.
    pub arrival_window_minutes: f64,
    /// Leave the location within this long after the dagdeel ends.
    pub departure_window_minutes: f64,
    pub boarding_minutes: f64,
    pub wheelchair_boarding_minutes: f64,
    /// Longest run of one driver, from leaving the garage to returning.
    pub shift_minutes: f64,
    pub road: RoadModel,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_ride_minutes: 60.0,
            arrival_margin_minutes: 5.0,
            arrival_window_minutes: 30.0,
            departure_window_minutes: 30.0,
            boarding_minutes: 2.0,
            wheelchair_boarding_minutes: 5.0,
            shift_minutes: 180.0,
            road: RoadModel {
                detour_factor: 1.3,
                speed_kmh: 40.0,
            },
        }
    }
}

/// A day-care location (and the garage of its vehicles).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Site {
    pub id: i32,
    pub at: Coordinate,
}

/// A client who rides today.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Passenger {
    pub client_id: i32,
    pub home: Coordinate,
    pub wheelchair: bool,
    /// Index into the sites.
    pub site: usize,
    /// Minute the first dagdeel starts (inbound) or the last one ends (outbound).
    pub minute: Time,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bus {
    pub vehicle_id: i32,
    /// Index into the sites: where the bus starts and ends.
    pub site: usize,
    pub seats: i32,
    pub wheelchair_places: i32,
}

/// The places of the problem in matrix order: the sites, then each passenger's home.
pub fn points(sites: &[Site], passengers: &[Passenger]) -> Vec<Coordinate> {
    sites
        .iter()
        .map(|s| s.at)
        .chain(passengers.iter().map(|p| p.home))
        .collect()
}

/// The problem with travel estimated from coordinates (the settings' road model).
pub fn build(
    direction: Direction,
    sites: &[Site],
    passengers: &[Passenger],
    buses: &[Bus],
    settings: &Settings,
) -> Problem {
    let travel = Matrix::from_coordinates(&points(sites, passengers), &settings.road);
    build_on(travel, direction, sites, passengers, buses, settings)
}

/// The problem on a given travel matrix (in [`points`] order), with request `i` being
/// `passengers[i]`'s ride and vehicle `j` being `buses[j]`.
pub fn build_on(
    travel: Matrix,
    direction: Direction,
    sites: &[Site],
    passengers: &[Passenger],
    buses: &[Bus],
    settings: &Settings,
) -> Problem {
    let s = settings;
    let requests = passengers
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let home = sites.len() + i;
            let direct = travel
                .duration(home, p.site)
                .max(travel.duration(p.site, home));
            let service = if p.wheelchair {
                s.wheelchair_boarding_minutes
            } else {
                s.boarding_minutes
            };
            let (pickup, dropoff) = match direction {
                Direction::Inbound => {
                    let arrive = Window::new(
                        p.minute - s.arrival_window_minutes,
                        p.minute - s.arrival_margin_minutes,
                    );
                    let leave = Window::new(
                        arrive.start - s.max_ride_minutes - service,
                        arrive.end - direct - service,
                    );
                    (
                        Visit {
                            location: home,
                            window: leave,
                            service,
                        },
                        Visit {
                            location: p.site,
                            window: arrive,
                            service,
                        },
                    )
                }
                Direction::Outbound => {
                    let leave = Window::new(p.minute, p.minute + s.departure_window_minutes);
                    let arrive = Window::new(
                        leave.start + service + direct,
                        leave.end + service + s.max_ride_minutes,
                    );
                    (
                        Visit {
                            location: p.site,
                            window: leave,
                            service,
                        },
                        Visit {
                            location: home,
                            window: arrive,
                            service,
                        },
                    )
                }
            };
            Request {
                id: format!("client-{}", p.client_id),
                load: if p.wheelchair {
                    Load {
                        seats: 0,
                        wheelchairs: 1,
                    }
                } else {
                    Load::seats(1)
                },
                kind: RequestKind::Ride {
                    pickup,
                    dropoff,
                    max_ride: Some(s.max_ride_minutes.max(direct)),
                },
            }
        })
        .collect();
    let horizon = hours(passengers, direction, s);
    let vehicles = buses
        .iter()
        .map(|b| Vehicle {
            id: format!("vehicle-{}", b.vehicle_id),
            start: b.site,
            end: b.site,
            window: horizon,
            max_duration: Some(s.shift_minutes),
            capacity: Load {
                seats: b.seats,
                wheelchairs: b.wheelchair_places,
            },
        })
        .collect();
    Problem {
        travel,
        vehicles,
        requests,
    }
}

/// When buses may be on the road for this run: from well before the first ride to well after
/// the last.
fn hours(passengers: &[Passenger], direction: Direction, s: &Settings) -> Window {
    let first = passengers
        .iter()
        .map(|p| p.minute)
        .fold(f64::INFINITY, f64::min);
    let last = passengers
        .iter()
        .map(|p| p.minute)
        .fold(f64::NEG_INFINITY, f64::max);
    if !first.is_finite() {
        return Window::new(0.0, 24.0 * 60.0);
    }
    let reach = s.max_ride_minutes * 2.0 + s.arrival_window_minutes + s.departure_window_minutes;
    match direction {
        Direction::Inbound => Window::new((first - reach).max(0.0), last + reach),
        Direction::Outbound => Window::new(
            (first - reach).max(0.0),
            (last + reach).min(24.0 * 60.0 + reach),
        ),
    }
}
