//! The planning problem and its plan, in our own terms: the solver and the checker both speak
//! these types, so neither depends on the other's internals.
use serde::{Deserialize, Serialize};

use crate::travel::Matrix;

/// Minutes (or the instance's own time unit for benchmark instances).
pub type Time = f64;

/// When a visit may start: `start <= begin of service <= end`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Window {
    pub start: Time,
    pub end: Time,
}

impl Window {
    pub fn new(start: Time, end: Time) -> Window {
        Window { start, end }
    }

    pub fn contains(&self, t: Time) -> bool {
        t >= self.start - EPSILON && t <= self.end + EPSILON
    }
}

/// Rounding slack when comparing times and distances computed along different paths.
pub const EPSILON: f64 = 1e-6;

/// Places a passenger takes: a seat, or a wheelchair place.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Load {
    pub seats: i32,
    pub wheelchairs: i32,
}

impl Load {
    pub fn seats(n: i32) -> Load {
        Load {
            seats: n,
            wheelchairs: 0,
        }
    }

    pub fn fits_in(&self, capacity: &Load) -> bool {
        self.seats <= capacity.seats && self.wheelchairs <= capacity.wheelchairs
    }

    pub fn plus(self, other: Load) -> Load {
        Load {
            seats: self.seats + other.seats,
            wheelchairs: self.wheelchairs + other.wheelchairs,
        }
    }

    pub fn minus(self, other: Load) -> Load {
        Load {
            seats: self.seats - other.seats,
            wheelchairs: self.wheelchairs - other.wheelchairs,
        }
    }
}

/// A place to be at, when, and for how long (boarding, alighting, unloading).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    /// Index into the travel matrix.
    pub location: usize,
    pub window: Window,
    pub service: Time,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum RequestKind {
    /// Goods loaded at the vehicle's start and dropped at one visit (the Solomon benchmark).
    Delivery { visit: Visit },
    /// A passenger picked up at one place and dropped at another by the same vehicle, within
    /// `max_ride` between leaving the pickup and arriving at the dropoff.
    Ride {
        pickup: Visit,
        dropoff: Visit,
        max_ride: Option<Time>,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub id: String,
    pub load: Load,
    pub kind: RequestKind,
}

impl Request {
    /// The visit of one of this request's stops.
    pub fn visit(&self, kind: StopKind) -> Option<&Visit> {
        match (&self.kind, kind) {
            (RequestKind::Delivery { visit }, StopKind::Delivery) => Some(visit),
            (RequestKind::Ride { pickup, .. }, StopKind::Pickup) => Some(pickup),
            (RequestKind::Ride { dropoff, .. }, StopKind::Dropoff) => Some(dropoff),
            _ => None,
        }
    }

    pub fn stop_kinds(&self) -> &'static [StopKind] {
        match self.kind {
            RequestKind::Delivery { .. } => &[StopKind::Delivery],
            RequestKind::Ride { .. } => &[StopKind::Pickup, StopKind::Dropoff],
        }
    }

    pub fn max_ride(&self) -> Option<Time> {
        match self.kind {
            RequestKind::Ride { max_ride, .. } => max_ride,
            RequestKind::Delivery { .. } => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Vehicle {
    pub id: String,
    /// Where the run starts and ends (matrix indices).
    pub start: usize,
    pub end: usize,
    /// Earliest departure from `start` and latest arrival back at `end`.
    pub window: Window,
    /// The driver's shift: at most this long from departure to return.
    pub max_duration: Option<Time>,
    pub capacity: Load,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Problem {
    pub travel: Matrix,
    pub vehicles: Vec<Vehicle>,
    pub requests: Vec<Request>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopKind {
    Pickup,
    Dropoff,
    Delivery,
}

/// One stop of a planned route: which request, and the times the plan promises.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlannedStop {
    pub request: usize,
    pub kind: StopKind,
    pub arrival: Time,
    /// Begin of service (after waiting for the window to open).
    pub start: Time,
    pub departure: Time,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlannedRoute {
    pub vehicle: usize,
    /// Leaves the vehicle's start.
    pub departure: Time,
    /// Back at the vehicle's end.
    pub arrival: Time,
    pub stops: Vec<PlannedStop>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub routes: Vec<PlannedRoute>,
    /// Requests no vehicle could take within the constraints.
    pub unassigned: Vec<usize>,
}

impl Plan {
    /// Total travel distance of all routes, start and end included.
    pub fn distance(&self, problem: &Problem) -> f64 {
        self.routes
            .iter()
            .map(|route| route_distance(problem, route))
            .sum()
    }

    pub fn vehicles_used(&self) -> usize {
        self.routes.iter().filter(|r| !r.stops.is_empty()).count()
    }

    /// Requests per bus in use, rounded down (a ride's pickup and dropoff count once).
    pub fn requests_per_route(&self) -> usize {
        let kinds = self.routes.iter().flat_map(|r| &r.stops).map(|s| s.kind);
        requests_per_route(kinds, self.vehicles_used())
    }
}

/// Requests per route, rounded down, from the kinds of the routes' stops: a ride's pickup and
/// dropoff count once.
pub(crate) fn requests_per_route(
    kinds: impl IntoIterator<Item = StopKind>,
    routes: usize,
) -> usize {
    let requests = kinds
        .into_iter()
        .filter(|kind| *kind != StopKind::Dropoff)
        .count();
    requests / routes.max(1)
}

pub fn route_distance(problem: &Problem, route: &PlannedRoute) -> f64 {
    let vehicle = &problem.vehicles[route.vehicle];
    let mut at = vehicle.start;
    let mut total = 0.0;
    for to in route.stops.iter().filter_map(|s| stop_location(problem, s)) {
        total += problem.travel.distance(at, to);
        at = to;
    }
    total + problem.travel.distance(at, vehicle.end)
}

/// The matrix index of a stop; None when the stop names no visit of the problem.
pub fn stop_location(problem: &Problem, stop: &PlannedStop) -> Option<usize> {
    problem
        .requests
        .get(stop.request)?
        .visit(stop.kind)
        .map(|v| v.location)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(stops: &[(usize, StopKind)]) -> PlannedRoute {
        let stop = |&(request, kind): &(usize, StopKind)| PlannedStop {
            request,
            kind,
            arrival: 0.0,
            start: 0.0,
            departure: 0.0,
        };
        PlannedRoute {
            vehicle: 0,
            departure: 0.0,
            arrival: 0.0,
            stops: stops.iter().map(stop).collect(),
        }
    }

    #[test]
    fn a_ride_counts_once_among_the_requests_per_route_and_an_idle_bus_not_at_all() {
        use StopKind::*;
        let plan = Plan {
            routes: vec![
                route(&[(0, Pickup), (1, Pickup), (0, Dropoff), (1, Dropoff)]),
                route(&[(2, Delivery), (3, Delivery), (4, Delivery), (5, Delivery)]),
                route(&[]),
            ],
            unassigned: vec![6],
        };
        assert_eq!(plan.requests_per_route(), 3);
        assert_eq!(Plan::default().requests_per_route(), 0);
    }
}
