//! An independent check of a plan against its problem: it reads only the problem and the plan's
//! promised times, shares no code with the solver or the scheduler, and reports every violation.
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::model::{EPSILON, Load, Plan, Problem, RequestKind, StopKind, Time};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Violation {
    UnknownVehicle {
        route: usize,
    },
    VehicleUsedTwice {
        vehicle: usize,
    },
    UnknownStop {
        route: usize,
        position: usize,
    },
    /// The request is in no route and not listed as unassigned.
    Missing {
        request: usize,
    },
    ServedTwice {
        request: usize,
    },
    /// Pickup and dropoff not both on the same route, pickup first.
    BrokenRide {
        request: usize,
    },
    /// Arrives before it could have driven there from the previous stop.
    TravelTooShort {
        route: usize,
        position: usize,
    },
    /// Service begins before arrival or ends before its duration is over.
    ServiceTooShort {
        route: usize,
        position: usize,
    },
    WindowMissed {
        route: usize,
        position: usize,
        request: usize,
        start: Time,
        window_start: Time,
        window_end: Time,
    },
    OverCapacity {
        route: usize,
        position: usize,
        load: Load,
        capacity: Load,
    },
    RideTooLong {
        request: usize,
        ride: Time,
        max: Time,
    },
    ShiftTooLong {
        route: usize,
        duration: Time,
        max: Time,
    },
    /// Leaves before the vehicle is available or returns after it must be back.
    OutsideVehicleHours {
        route: usize,
    },
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub violations: Vec<Violation>,
    pub requests: usize,
    pub served: usize,
    pub unassigned: usize,
    pub vehicles_used: usize,
    pub distance: f64,
    /// Longest ride of any passenger (minutes) and the request it belongs to.
    pub longest_ride: Option<(usize, Time)>,
}

impl Report {
    pub fn is_feasible(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Where a request's stop was found: route, position, kind, and the time that matters for its
/// ride (leaving a pickup, arriving at a dropoff).
type Found = (usize, usize, StopKind, Time);

pub fn check(problem: &Problem, plan: &Plan) -> Report {
    let mut report = Report {
        requests: problem.requests.len(),
        unassigned: plan.unassigned.len(),
        ..Report::default()
    };
    let mut used_vehicles: HashMap<usize, usize> = HashMap::new();
    let mut found: HashMap<usize, Vec<Found>> = HashMap::new();
    let v = &mut report.violations;

    for (r, route) in plan.routes.iter().enumerate() {
        let Some(vehicle) = problem.vehicles.get(route.vehicle) else {
            v.push(Violation::UnknownVehicle { route: r });
            continue;
        };
        if route.stops.is_empty() {
            continue;
        }
        *used_vehicles.entry(route.vehicle).or_default() += 1;
        if route.departure < vehicle.window.start - EPSILON
            || route.arrival > vehicle.window.end + EPSILON
        {
            v.push(Violation::OutsideVehicleHours { route: r });
        }
        if let Some(max) = vehicle.max_duration
            && route.arrival - route.departure > max + EPSILON
        {
            v.push(Violation::ShiftTooLong {
                route: r,
                duration: route.arrival - route.departure,
                max,
            });
        }
        let mut at = vehicle.start;
        let mut free_at = route.departure;
        let mut distance = 0.0;
        let mut load = route
            .stops
            .iter()
            .filter(|s| s.kind == StopKind::Delivery)
            .filter_map(|s| problem.requests.get(s.request))
            .fold(Load::default(), |sum, req| sum.plus(req.load));
        if !load.fits_in(&vehicle.capacity) {
            v.push(Violation::OverCapacity {
                route: r,
                position: 0,
                load,
                capacity: vehicle.capacity,
            });
        }
        for (p, stop) in route.stops.iter().enumerate() {
            let Some(request) = problem.requests.get(stop.request) else {
                v.push(Violation::UnknownStop {
                    route: r,
                    position: p,
                });
                continue;
            };
            let visit = match (&request.kind, stop.kind) {
                (RequestKind::Delivery { visit }, StopKind::Delivery) => visit,
                (RequestKind::Ride { pickup, .. }, StopKind::Pickup) => pickup,
                (RequestKind::Ride { dropoff, .. }, StopKind::Dropoff) => dropoff,
                _ => {
                    v.push(Violation::UnknownStop {
                        route: r,
                        position: p,
                    });
                    continue;
                }
            };
            distance += problem.travel.distance(at, visit.location);
            if stop.arrival + EPSILON < free_at + problem.travel.duration(at, visit.location) {
                v.push(Violation::TravelTooShort {
                    route: r,
                    position: p,
                });
            }
            if stop.start + EPSILON < stop.arrival
                || stop.departure + EPSILON < stop.start + visit.service
            {
                v.push(Violation::ServiceTooShort {
                    route: r,
                    position: p,
                });
            }
            if !visit.window.contains(stop.start) {
                v.push(Violation::WindowMissed {
                    route: r,
                    position: p,
                    request: stop.request,
                    start: stop.start,
                    window_start: visit.window.start,
                    window_end: visit.window.end,
                });
            }
            load = match stop.kind {
                StopKind::Pickup => load.plus(request.load),
                StopKind::Dropoff | StopKind::Delivery => load.minus(request.load),
            };
            if !load.fits_in(&vehicle.capacity) {
                v.push(Violation::OverCapacity {
                    route: r,
                    position: p,
                    load,
                    capacity: vehicle.capacity,
                });
            }
            let ride_time = match stop.kind {
                StopKind::Pickup => stop.departure,
                _ => stop.arrival,
            };
            found
                .entry(stop.request)
                .or_default()
                .push((r, p, stop.kind, ride_time));
            at = visit.location;
            free_at = stop.departure;
        }
        distance += problem.travel.distance(at, vehicle.end);
        if route.arrival + EPSILON < free_at + problem.travel.duration(at, vehicle.end) {
            v.push(Violation::TravelTooShort {
                route: r,
                position: route.stops.len(),
            });
        }
        report.distance += distance;
    }
    let mut twice: Vec<usize> = used_vehicles
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(vehicle, _)| *vehicle)
        .collect();
    twice.sort_unstable();
    v.extend(
        twice
            .into_iter()
            .map(|vehicle| Violation::VehicleUsedTwice { vehicle }),
    );
    report.vehicles_used = used_vehicles.len();

    for (index, request) in problem.requests.iter().enumerate() {
        let unassigned = plan.unassigned.contains(&index);
        let stops = found.get(&index).map(Vec::as_slice).unwrap_or_default();
        if stops.is_empty() {
            if !unassigned {
                v.push(Violation::Missing { request: index });
            }
            continue;
        }
        if unassigned || stops.len() > request.stop_kinds().len() {
            v.push(Violation::ServedTwice { request: index });
            continue;
        }
        report.served += 1;
        if let RequestKind::Ride { max_ride, .. } = request.kind {
            match stops {
                [
                    (r1, p, StopKind::Pickup, left),
                    (r2, d, StopKind::Dropoff, arrived),
                ] if r1 == r2 && p < d => {
                    let ride = arrived - left;
                    if report
                        .longest_ride
                        .is_none_or(|(_, longest)| ride > longest)
                    {
                        report.longest_ride = Some((index, ride));
                    }
                    if let Some(max) = max_ride
                        && ride > max + EPSILON
                    {
                        v.push(Violation::RideTooLong {
                            request: index,
                            ride,
                            max,
                        });
                    }
                }
                _ => v.push(Violation::BrokenRide { request: index }),
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PlannedRoute, Request, Vehicle, Visit, Window};
    use crate::schedule::plan_route;
    use crate::travel::Matrix;

    /// Depot at 0, homes at 10 and 20, the location at 30 (on a line; travel time = distance).
    fn problem() -> Problem {
        let ride = |id: &str, home: usize, load: Load| Request {
            id: id.into(),
            load,
            kind: RequestKind::Ride {
                pickup: Visit {
                    location: home,
                    window: Window::new(0.0, 100.0),
                    service: 1.0,
                },
                dropoff: Visit {
                    location: 3,
                    window: Window::new(0.0, 100.0),
                    service: 1.0,
                },
                max_ride: Some(40.0),
            },
        };
        Problem {
            travel: Matrix::euclidean(&[(0.0, 0.0), (10.0, 0.0), (20.0, 0.0), (30.0, 0.0)]),
            vehicles: vec![Vehicle {
                id: "bus".into(),
                start: 0,
                end: 0,
                window: Window::new(0.0, 200.0),
                max_duration: Some(120.0),
                capacity: Load {
                    seats: 1,
                    wheelchairs: 1,
                },
            }],
            requests: vec![
                ride("a", 1, Load::seats(1)),
                ride(
                    "b",
                    2,
                    Load {
                        seats: 0,
                        wheelchairs: 1,
                    },
                ),
            ],
        }
    }

    fn good_route(p: &Problem) -> PlannedRoute {
        let order = [
            (0, StopKind::Pickup),
            (1, StopKind::Pickup),
            (0, StopKind::Dropoff),
            (1, StopKind::Dropoff),
        ];
        plan_route(p, 0, &order).expect("known stops")
    }

    fn plan(routes: Vec<PlannedRoute>, unassigned: Vec<usize>) -> Plan {
        Plan { routes, unassigned }
    }

    #[test]
    fn a_feasible_plan_has_no_violations_and_its_numbers() {
        let p = problem();
        let report = check(&p, &plan(vec![good_route(&p)], vec![]));
        assert_eq!(report.violations, vec![]);
        assert_eq!((report.served, report.vehicles_used), (2, 1));
        assert!((report.distance - 60.0).abs() < 1e-9);
        // a: leaves 10 at 11, arrives 30 at 32 (after picking up b at 20..21).
        assert_eq!(report.longest_ride, Some((0, 21.0)));
    }

    #[test]
    fn a_second_seated_passenger_is_over_capacity() {
        let mut p = problem();
        p.requests[1].load = Load::seats(1);
        let report = check(&p, &plan(vec![good_route(&p)], vec![]));
        assert!(matches!(
            report.violations[..],
            [Violation::OverCapacity {
                route: 0,
                position: 1,
                ..
            }]
        ));
    }

    #[test]
    fn a_missed_window_is_reported_with_its_times() {
        let mut p = problem();
        if let RequestKind::Ride { dropoff, .. } = &mut p.requests[1].kind {
            dropoff.window = Window::new(0.0, 20.0);
        }
        let report = check(&p, &plan(vec![good_route(&p)], vec![]));
        assert!(report.violations.iter().any(|v| matches!(
            v,
            Violation::WindowMissed { request: 1, window_end, .. } if *window_end == 20.0
        )));
    }

    #[test]
    fn rides_and_shifts_over_their_maximum_are_reported() {
        let mut p = problem();
        for r in &mut p.requests {
            if let RequestKind::Ride { max_ride, .. } = &mut r.kind {
                *max_ride = Some(15.0);
            }
        }
        p.vehicles[0].max_duration = Some(30.0);
        let report = check(&p, &plan(vec![good_route(&p)], vec![]));
        assert!(report.violations.contains(&Violation::RideTooLong {
            request: 0,
            ride: 21.0,
            max: 15.0
        }));
        assert!(
            report
                .violations
                .iter()
                .any(|v| matches!(v, Violation::ShiftTooLong { .. }))
        );
    }

    #[test]
    fn promised_times_faster_than_the_road_are_caught() {
        let p = problem();
        let mut route = good_route(&p);
        route.stops[2].arrival -= 5.0;
        route.stops[2].start -= 5.0;
        route.stops[2].departure -= 5.0;
        let report = check(&p, &plan(vec![route], vec![]));
        assert!(report.violations.contains(&Violation::TravelTooShort {
            route: 0,
            position: 2
        }));
    }

    #[test]
    fn missing_doubled_and_broken_rides_are_caught() {
        let p = problem();
        let report = check(&p, &plan(vec![], vec![0]));
        assert_eq!(report.violations, vec![Violation::Missing { request: 1 }]);

        let report = check(&p, &plan(vec![good_route(&p)], vec![1]));
        assert!(
            report
                .violations
                .contains(&Violation::ServedTwice { request: 1 })
        );

        let backwards =
            plan_route(&p, 0, &[(0, StopKind::Dropoff), (0, StopKind::Pickup)]).expect("stops");
        let report = check(&p, &plan(vec![backwards], vec![1]));
        assert_eq!(
            report.violations,
            vec![Violation::BrokenRide { request: 0 }]
        );
    }

    #[test]
    fn a_vehicle_used_twice_or_unknown_is_caught() {
        let p = problem();
        let first =
            plan_route(&p, 0, &[(0, StopKind::Pickup), (0, StopKind::Dropoff)]).expect("stops");
        let second =
            plan_route(&p, 0, &[(1, StopKind::Pickup), (1, StopKind::Dropoff)]).expect("stops");
        let mut unknown = first.clone();
        unknown.vehicle = 9;
        let report = check(&p, &plan(vec![first, second, unknown], vec![]));
        assert!(
            report
                .violations
                .contains(&Violation::VehicleUsedTwice { vehicle: 0 })
        );
        assert!(
            report
                .violations
                .contains(&Violation::UnknownVehicle { route: 2 })
        );
    }
}
