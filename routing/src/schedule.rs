//! The times of a route whose order is known: drive, wait for windows to open, serve; then leave
//! the start as late as the waiting allows, so passengers do not sit in the bus while it waits.
use crate::model::{PlannedRoute, PlannedStop, Problem, StopKind, Time, Vehicle, Visit};
use crate::travel::Matrix;

/// Times of each visit, in order, and of leaving and returning.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    pub departure: Time,
    /// (arrival, begin of service, departure) per visit.
    pub visits: Vec<(Time, Time, Time)>,
    pub arrival: Time,
}

/// Earliest times from `departure` into `times`, waiting where a window has not opened yet;
/// returns the time of returning to the end.
fn forward_into(
    travel: &Matrix,
    vehicle: &Vehicle,
    visits: &[Visit],
    departure: Time,
    times: &mut Vec<(Time, Time, Time)>,
) -> Time {
    times.clear();
    let mut at = vehicle.start;
    let mut t = departure;
    for visit in visits {
        let arrival = t + travel.duration(at, visit.location);
        let begin = arrival.max(visit.window.start);
        t = begin + visit.service;
        at = visit.location;
        times.push((arrival, begin, t));
    }
    t + travel.duration(at, vehicle.end)
}

/// The route's timeline: earliest schedule, then departure delayed by as much of the waiting as
/// every window (and the return) allows. Delaying never lengthens a ride: waiting after a pickup
/// absorbs the delay before the dropoff does.
pub fn timeline(travel: &Matrix, vehicle: &Vehicle, visits: &[Visit]) -> Timeline {
    let mut times = Vec::with_capacity(visits.len());
    let (departure, arrival) = timeline_into(travel, vehicle, visits, &mut times);
    Timeline {
        departure,
        visits: times,
        arrival,
    }
}

/// [`timeline`] into a buffer the caller reuses (the solver asks this for every move it
/// weighs); returns the departure and the return.
pub fn timeline_into(
    travel: &Matrix,
    vehicle: &Vehicle,
    visits: &[Visit],
    times: &mut Vec<(Time, Time, Time)>,
) -> (Time, Time) {
    let earliest = vehicle.window.start;
    let arrival = forward_into(travel, vehicle, visits, earliest, times);
    let mut waited = 0.0;
    let mut slack = f64::INFINITY;
    for (visit, (arrival, begin, _)) in visits.iter().zip(times.iter()) {
        waited += begin - arrival;
        slack = slack.min(waited + (visit.window.end - begin));
    }
    slack = slack.min(waited + (vehicle.window.end - arrival));
    let delay = slack.min(waited);
    if delay <= 0.0 {
        return (earliest, arrival);
    }
    let departure = earliest + delay;
    (
        departure,
        forward_into(travel, vehicle, visits, departure, times),
    )
}

/// The planned route of a vehicle for stops in this order (no feasibility check: see the checker).
pub fn plan_route(
    problem: &Problem,
    vehicle: usize,
    order: &[(usize, StopKind)],
) -> Option<PlannedRoute> {
    let visits = order
        .iter()
        .map(|(request, kind)| problem.requests.get(*request)?.visit(*kind).copied())
        .collect::<Option<Vec<Visit>>>()?;
    let line = timeline(&problem.travel, problem.vehicles.get(vehicle)?, &visits);
    Some(PlannedRoute {
        vehicle,
        departure: line.departure,
        arrival: line.arrival,
        stops: order
            .iter()
            .zip(&line.visits)
            .map(
                |(&(request, kind), &(arrival, start, departure))| PlannedStop {
                    request,
                    kind,
                    arrival,
                    start,
                    departure,
                },
            )
            .collect(),
    })
}

/// Calls `visit` with every order that adds `request`'s stops (`kinds`: one, or pickup then
/// dropoff) to `order`, the other stops keeping theirs; first stop's position outermost.
pub fn for_each_insertion(
    order: &[(usize, StopKind)],
    request: usize,
    kinds: &[StopKind],
    mut visit: impl FnMut(&[(usize, StopKind)]),
) {
    let mut candidate = Vec::with_capacity(order.len() + kinds.len());
    for first in 0..=order.len() {
        let last_second = if kinds.len() == 2 { order.len() } else { first };
        for second in first..=last_second {
            insertion_into(&mut candidate, order, request, kinds, (first, second));
            visit(&candidate);
        }
    }
}

/// `order` with `request`'s first stop (of `kinds`) before position `at.0` and its second, if
/// it has one, before position `at.1` (`at.0 <= at.1`), into `candidate`.
pub fn insertion_into(
    candidate: &mut Vec<(usize, StopKind)>,
    order: &[(usize, StopKind)],
    request: usize,
    kinds: &[StopKind],
    (first, second): (usize, usize),
) {
    candidate.clear();
    candidate.extend_from_slice(&order[..first]);
    candidate.push((request, kinds[0]));
    if let Some(kind) = kinds.get(1) {
        candidate.extend_from_slice(&order[first..second]);
        candidate.push((request, *kind));
        candidate.extend_from_slice(&order[second..]);
    } else {
        candidate.extend_from_slice(&order[first..]);
    }
}

/// Ride time of every passenger whose pickup and dropoff are both in `order`, in minutes
/// between leaving the pickup and arriving at the dropoff; `times` as in [`Timeline::visits`].
pub fn ride_times<'a>(
    order: &'a [(usize, StopKind)],
    times: &'a [(Time, Time, Time)],
) -> impl Iterator<Item = (usize, Time)> + 'a {
    order.iter().zip(times).enumerate().filter_map(
        move |(at, (&(request, kind), &(arrival, _, _)))| {
            if kind != StopKind::Dropoff {
                return None;
            }
            let pickup = order[..at]
                .iter()
                .rposition(|&stop| stop == (request, StopKind::Pickup))?;
            Some((request, arrival - times[pickup].2))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Load, Window};

    fn line_matrix() -> Matrix {
        // Points on a line at 0, 10, 20, 30.
        Matrix::euclidean(&[(0.0, 0.0), (10.0, 0.0), (20.0, 0.0), (30.0, 0.0)])
    }

    fn vehicle() -> Vehicle {
        Vehicle {
            id: "bus".into(),
            start: 0,
            end: 0,
            window: Window::new(0.0, 500.0),
            max_duration: None,
            capacity: Load::seats(8),
        }
    }

    fn visit(location: usize, start: f64, end: f64) -> Visit {
        Visit {
            location,
            window: Window::new(start, end),
            service: 2.0,
        }
    }

    #[test]
    fn departure_is_delayed_by_the_waiting_the_windows_allow() {
        let visits = [visit(1, 100.0, 120.0), visit(2, 130.0, 140.0)];
        let line = timeline(&line_matrix(), &vehicle(), &visits);
        // Earliest: 90 waiting at the first visit, 18 at the second. All of it goes: the bus
        // leaves 108 later and returns at the same time.
        assert_eq!(line.departure, 108.0);
        assert_eq!(line.visits[0], (118.0, 118.0, 120.0));
        assert_eq!(line.visits[1], (130.0, 130.0, 132.0));
        assert_eq!(line.arrival, 152.0);
    }

    #[test]
    fn delay_stops_where_a_later_window_would_close() {
        // The first visit must start by 12: leaving later than 2 would miss it, though the
        // bus then waits 78 at the second.
        let visits = [visit(1, 0.0, 12.0), visit(2, 100.0, 200.0)];
        let line = timeline(&line_matrix(), &vehicle(), &visits);
        assert_eq!(line.departure, 2.0);
        assert_eq!(line.visits[0], (12.0, 12.0, 14.0));
        assert_eq!(line.visits[1], (24.0, 100.0, 102.0));
    }

    #[test]
    fn ride_time_runs_from_leaving_the_pickup_to_arriving_at_the_dropoff() {
        let visits = [visit(1, 0.0, 500.0), visit(3, 0.0, 500.0)];
        let line = timeline(&line_matrix(), &vehicle(), &visits);
        let rides: Vec<_> = ride_times(
            &[(7, StopKind::Pickup), (7, StopKind::Dropoff)],
            &line.visits,
        )
        .collect();
        assert_eq!(rides, vec![(7, 20.0)]);
    }
}
