//! Planner edits of a finished plan: move one request to another route (or off all routes), and
//! re-plan everything except the routes the planner locked.
use crate::checker::check;
use crate::model::{Plan, PlannedRoute, Problem, StopKind};
use crate::schedule::{for_each_insertion, plan_route};
use crate::solver::{Progress, SolveError, SolveOptions, Solver};

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum EditError {
    #[error("no request {0} in this problem")]
    UnknownRequest(usize),
    #[error("no vehicle {0} in this problem")]
    UnknownVehicle(usize),
}

/// Moves `request` to `vehicle`'s route at the position with the fewest violations, then the
/// least extra distance; `None` takes it off every route. Other stops keep their order.
pub fn move_request(
    problem: &Problem,
    plan: &Plan,
    request: usize,
    vehicle: Option<usize>,
) -> Result<Plan, EditError> {
    let req = problem
        .requests
        .get(request)
        .ok_or(EditError::UnknownRequest(request))?;
    if let Some(v) = vehicle
        && v >= problem.vehicles.len()
    {
        return Err(EditError::UnknownVehicle(v));
    }
    let mut next = without(problem, plan, request);
    let Some(vehicle) = vehicle else {
        next.unassigned.push(request);
        next.unassigned.sort_unstable();
        return Ok(next);
    };
    let current: Vec<(usize, StopKind)> = next
        .routes
        .iter()
        .find(|r| r.vehicle == vehicle)
        .map(|r| r.stops.iter().map(|s| (s.request, s.kind)).collect())
        .unwrap_or_default();
    let mut best: Option<(usize, f64, PlannedRoute)> = None;
    for_each_insertion(&current, request, req.stop_kinds(), |order| {
        let Some(route) = plan_route(problem, vehicle, order) else {
            return;
        };
        let alone = Plan {
            routes: vec![route.clone()],
            unassigned: Vec::new(),
        };
        let report = check(problem, &alone);
        // Requests on other routes show up as missing here; count only this route's faults.
        let faults = report
            .violations
            .iter()
            .filter(|v| !matches!(v, crate::checker::Violation::Missing { .. }))
            .count();
        let better = best
            .as_ref()
            .is_none_or(|(f, d, _)| (faults, report.distance) < (*f, *d));
        if better {
            best = Some((faults, report.distance, route));
        }
    });
    let (_, _, route) = best.ok_or(EditError::UnknownVehicle(vehicle))?;
    next.routes.retain(|r| r.vehicle != vehicle);
    next.routes.push(route);
    next.routes.sort_by_key(|r| r.vehicle);
    Ok(next)
}

/// The plan without any stop of `request` (routes re-timed, emptied routes dropped).
fn without(problem: &Problem, plan: &Plan, request: usize) -> Plan {
    let routes = plan
        .routes
        .iter()
        .filter_map(|route| {
            if route.stops.iter().all(|s| s.request != request) {
                return Some(route.clone());
            }
            let order: Vec<(usize, StopKind)> = route
                .stops
                .iter()
                .filter(|s| s.request != request)
                .map(|s| (s.request, s.kind))
                .collect();
            if order.is_empty() {
                return None;
            }
            plan_route(problem, route.vehicle, &order)
        })
        .collect();
    Plan {
        routes,
        unassigned: plan
            .unassigned
            .iter()
            .copied()
            .filter(|r| *r != request)
            .collect(),
    }
}

/// Makes a plan pass the checker: requests behind a violation are taken off their route (which
/// is re-timed), then each unassigned request is put back where that adds no violation.
/// The solver's constraints guard its insertions; this catches what its other moves let by.
pub fn repair(problem: &Problem, plan: Plan) -> Plan {
    let mut plan = plan;
    for _ in 0..problem.requests.len() + 1 {
        let report = check(problem, &plan);
        let Some(request) = report.violations.iter().find_map(|v| culprit(&plan, v)) else {
            break;
        };
        match move_request(problem, &plan, request, None) {
            Ok(next) => plan = next,
            Err(_) => break,
        }
    }
    let waiting = plan.unassigned.clone();
    for request in waiting {
        for vehicle in 0..problem.vehicles.len() {
            let Ok(candidate) = move_request(problem, &plan, request, Some(vehicle)) else {
                continue;
            };
            if check(problem, &candidate).is_feasible() {
                plan = candidate;
                break;
            }
        }
    }
    plan
}

/// The request to take off its route for a violation, if one can fix it.
fn culprit(plan: &Plan, violation: &crate::checker::Violation) -> Option<usize> {
    use crate::checker::Violation as V;
    let at = |route: usize, position: usize| {
        plan.routes
            .get(route)?
            .stops
            .get(position)
            .map(|s| s.request)
    };
    match violation {
        V::RideTooLong { request, .. } | V::WindowMissed { request, .. } => Some(*request),
        V::OverCapacity {
            route, position, ..
        } => at(*route, *position),
        V::ShiftTooLong { route, .. } | V::OutsideVehicleHours { route } => {
            plan.routes.get(*route)?.stops.last().map(|s| s.request)
        }
        _ => None,
    }
}

/// Solves again for everything outside the locked vehicles' routes, which stay as they are.
pub fn replan_unlocked(
    solver: &dyn Solver,
    problem: &Problem,
    plan: &Plan,
    locked_vehicles: &[usize],
    options: &SolveOptions,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<Plan, SolveError> {
    let kept: Vec<PlannedRoute> = plan
        .routes
        .iter()
        .filter(|r| locked_vehicles.contains(&r.vehicle))
        .cloned()
        .collect();
    let taken: Vec<usize> = kept
        .iter()
        .flat_map(|r| r.stops.iter().map(|s| s.request))
        .collect();
    let free_requests: Vec<usize> = (0..problem.requests.len())
        .filter(|r| !taken.contains(r))
        .collect();
    let free_vehicles: Vec<usize> = (0..problem.vehicles.len())
        .filter(|v| !locked_vehicles.contains(v))
        .collect();
    let sub = Problem {
        travel: problem.travel.clone(),
        vehicles: free_vehicles
            .iter()
            .map(|v| problem.vehicles[*v].clone())
            .collect(),
        requests: free_requests
            .iter()
            .map(|r| problem.requests[*r].clone())
            .collect(),
    };
    let solved = solver.solve(&sub, options, progress)?;
    let mut routes = kept;
    routes.extend(solved.routes.into_iter().map(|mut route| {
        route.vehicle = free_vehicles[route.vehicle];
        for stop in &mut route.stops {
            stop.request = free_requests[stop.request];
        }
        route
    }));
    routes.sort_by_key(|r| r.vehicle);
    Ok(Plan {
        routes,
        unassigned: solved
            .unassigned
            .into_iter()
            .map(|r| free_requests[r])
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Load, Request, RequestKind, Vehicle, Visit, Window};
    use crate::travel::Matrix;

    fn problem() -> Problem {
        let ride = |id: &str, home: usize| Request {
            id: id.into(),
            load: Load::seats(1),
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
                max_ride: Some(60.0),
            },
        };
        let bus = |id: &str| Vehicle {
            id: id.into(),
            start: 0,
            end: 0,
            window: Window::new(0.0, 200.0),
            max_duration: None,
            capacity: Load::seats(4),
        };
        Problem {
            travel: Matrix::euclidean(&[(0.0, 0.0), (10.0, 0.0), (20.0, 0.0), (30.0, 0.0)]),
            vehicles: vec![bus("a"), bus("b")],
            requests: vec![ride("r0", 1), ride("r1", 2)],
        }
    }

    fn one_route_plan(p: &Problem) -> Plan {
        let order = [
            (0, StopKind::Pickup),
            (1, StopKind::Pickup),
            (0, StopKind::Dropoff),
            (1, StopKind::Dropoff),
        ];
        Plan {
            routes: vec![plan_route(p, 0, &order).expect("stops")],
            unassigned: vec![],
        }
    }

    #[test]
    fn moving_a_request_keeps_the_plan_complete_and_valid() {
        let p = problem();
        let moved = move_request(&p, &one_route_plan(&p), 1, Some(1)).expect("moves");
        assert_eq!(moved.routes.len(), 2);
        assert_eq!(moved.routes[1].vehicle, 1);
        let kinds: Vec<_> = moved.routes[1]
            .stops
            .iter()
            .map(|s| (s.request, s.kind))
            .collect();
        assert_eq!(kinds, vec![(1, StopKind::Pickup), (1, StopKind::Dropoff)]);
        assert!(check(&p, &moved).is_feasible());
    }

    #[test]
    fn unassigning_and_back_again() {
        let p = problem();
        let off = move_request(&p, &one_route_plan(&p), 0, None).expect("moves");
        assert_eq!(off.unassigned, vec![0]);
        assert!(check(&p, &off).is_feasible());
        let back = move_request(&p, &off, 0, Some(0)).expect("moves");
        assert!(back.unassigned.is_empty());
        assert!(check(&p, &back).is_feasible());
        assert_eq!(
            move_request(&p, &off, 5, Some(0)),
            Err(EditError::UnknownRequest(5))
        );
        assert_eq!(
            move_request(&p, &off, 0, Some(9)),
            Err(EditError::UnknownVehicle(9))
        );
    }

    #[test]
    fn repair_takes_a_too_long_ride_off_and_puts_it_where_it_fits() {
        let mut p = problem();
        if let RequestKind::Ride { max_ride, .. } = &mut p.requests[0].kind {
            *max_ride = Some(21.0);
        }
        // r0 leaves home at 11 and, dropped after r1, arrives at 33: a ride of 22.
        let order = [
            (0, StopKind::Pickup),
            (1, StopKind::Pickup),
            (1, StopKind::Dropoff),
            (0, StopKind::Dropoff),
        ];
        let plan = Plan {
            routes: vec![plan_route(&p, 0, &order).expect("stops")],
            unassigned: vec![],
        };
        assert!(
            !check(&p, &plan).is_feasible(),
            "{:?}",
            check(&p, &plan).violations
        );
        let repaired = repair(&p, plan);
        let report = check(&p, &repaired);
        assert!(report.is_feasible(), "{:?}", report.violations);
        assert_eq!(report.served, 2, "both still ride: {repaired:?}");
    }

    #[test]
    fn a_locked_route_survives_a_replan_unchanged() {
        let p = problem();
        let plan = one_route_plan(&p);
        let options = SolveOptions {
            max_generations: Some(20),
            ..SolveOptions::default()
        };
        let replanned = replan_unlocked(&crate::VrpCoreSolver, &p, &plan, &[0], &options, &|_| {})
            .expect("solves");
        assert_eq!(replanned.routes, plan.routes);
        assert!(check(&p, &replanned).is_feasible());

        let free = replan_unlocked(&crate::VrpCoreSolver, &p, &plan, &[], &options, &|_| {})
            .expect("solves");
        assert!(check(&p, &free).is_feasible());
        assert_eq!(check(&p, &free).served, 2);
    }
}
