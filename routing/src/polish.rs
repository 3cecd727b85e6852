//! A local search over a finished plan: move one request to its best place on any route, swap
//! the tails of two routes (2-opt*), and empty a route by placing its requests on the others.
//! vrp-core's ruin-and-recreate search leaves plans that such plain moves still improve (on the
//! Solomon instances 1-3% of distance on long routes, more where the search got stuck). Each move
//! keeps every route feasible and makes the plan better: fewer unplanned requests, then fewer
//! vehicles, then less distance.
//! No randomness and no clock: the same plan in gives the same plan out.
use crate::checker::check;
use crate::model::{EPSILON, Load, Plan, Problem, RequestKind, StopKind, Visit};
use crate::schedule::{insertion_into, plan_route, ride_times, timeline_into};

type Stop = (usize, StopKind);

/// Stops timed per polish, at most: a bound that keeps a very large day within seconds without
/// a clock (which would make the result depend on the machine).
const MAX_STOPS_TIMED: u64 = 40_000_000;

/// Improvements smaller than this are rounding, not progress.
const GAIN: f64 = 1e-7;

#[derive(Clone)]
pub(crate) struct Route {
    pub vehicle: usize,
    pub order: Vec<Stop>,
    pub distance: f64,
}

/// Weighs route orders: feasibility and distance, in reused buffers.
pub(crate) struct Judge<'a> {
    problem: &'a Problem,
    visits: Vec<Visit>,
    times: Vec<(f64, f64, f64)>,
    /// The locations of a route being added to: its start, its stops, its end.
    places: Vec<usize>,
    /// Ways to add a request: (distance added, position of its first stop, of its second).
    insertions: Vec<(f64, usize, usize)>,
    /// Per place of that route: the earliest departure, and the latest begin that keeps the rest
    /// of the route in its windows (see `room_for`).
    departures: Vec<f64>,
    latest: Vec<f64>,
    stops_timed: u64,
    max_stops_timed: u64,
}

impl<'a> Judge<'a> {
    pub fn new(problem: &'a Problem) -> Judge<'a> {
        Judge::with_limit(problem, MAX_STOPS_TIMED)
    }

    /// A judge that is exhausted after timing `max_stops_timed` stops.
    pub fn with_limit(problem: &'a Problem, max_stops_timed: u64) -> Judge<'a> {
        Judge {
            problem,
            visits: Vec::new(),
            times: Vec::new(),
            places: Vec::new(),
            insertions: Vec::new(),
            departures: Vec::new(),
            latest: Vec::new(),
            stops_timed: 0,
            max_stops_timed,
        }
    }

    pub fn exhausted(&self) -> bool {
        self.stops_timed > self.max_stops_timed
    }

    pub fn problem(&self) -> &'a Problem {
        self.problem
    }

    /// The share of the work spent, 0 to 1.
    pub fn spent(&self) -> f64 {
        (self.stops_timed as f64 / self.max_stops_timed.max(1) as f64).min(1.0)
    }

    /// The distance of `vehicle` driving `order`, if every constraint holds.
    pub fn distance(&mut self, vehicle: usize, order: &[Stop]) -> Option<f64> {
        let problem = self.problem;
        let bus = &problem.vehicles[vehicle];
        self.stops_timed += order.len() as u64;
        if !self.load_fits(&bus.capacity, order) {
            return None;
        }
        self.visits.clear();
        for (request, kind) in order {
            self.visits
                .push(*problem.requests.get(*request)?.visit(*kind)?);
        }
        let (departure, arrival) =
            timeline_into(&problem.travel, bus, &self.visits, &mut self.times);
        let late = self
            .visits
            .iter()
            .zip(&self.times)
            .any(|(visit, (_, begin, _))| *begin > visit.window.end + EPSILON);
        let too_long = bus
            .max_duration
            .is_some_and(|max| arrival - departure > max + EPSILON);
        if late || too_long || arrival > bus.window.end + EPSILON {
            return None;
        }
        let ride_too_long = ride_times(order, &self.times).any(|(request, ride)| {
            problem.requests[request]
                .max_ride()
                .is_some_and(|max| ride > max + EPSILON)
        });
        if ride_too_long {
            return None;
        }
        let mut at = bus.start;
        let mut total = 0.0;
        for visit in &self.visits {
            total += problem.travel.distance(at, visit.location);
            at = visit.location;
        }
        Some(total + problem.travel.distance(at, bus.end))
    }

    /// The distance of `vehicle` driving `order`, feasible or not: the matrix alone, a fraction
    /// of the cost of [`Judge::distance`], so a move that saves nothing is never timed.
    pub fn length(&mut self, vehicle: usize, order: &[Stop]) -> f64 {
        let problem = self.problem;
        let bus = &problem.vehicles[vehicle];
        self.stops_timed += order.len() as u64 / 4;
        let mut at = bus.start;
        let mut total = 0.0;
        for (request, kind) in order {
            if let Some(visit) = problem.requests[*request].visit(*kind) {
                total += problem.travel.distance(at, visit.location);
                at = visit.location;
            }
        }
        total + problem.travel.distance(at, bus.end)
    }

    /// How much the distance of routes `a` and `b` changes when stop `i` of `a` and stop `j` of
    /// `b` trade places (the matrix alone).
    fn swap_change(&mut self, a: &Route, i: usize, b: &Route, j: usize) -> f64 {
        self.stops_timed += 1;
        let problem = self.problem;
        let place = |route: &Route, at: Option<usize>, end: bool| {
            let bus = &problem.vehicles[route.vehicle];
            match at.and_then(|k| route.order.get(k)) {
                Some((request, kind)) => problem.requests[*request]
                    .visit(*kind)
                    .map_or(bus.start, |v| v.location),
                None if end => bus.end,
                None => bus.start,
            }
        };
        let arc = |from: usize, to: usize| problem.travel.distance(from, to);
        let replaced = |route: &Route, k: usize, old: usize, new: usize| {
            let before = place(route, k.checked_sub(1), false);
            let after = place(route, Some(k + 1), true);
            arc(before, new) + arc(new, after) - arc(before, old) - arc(old, after)
        };
        let (u, v) = (place(a, Some(i), true), place(b, Some(j), true));
        replaced(a, i, u, v) + replaced(b, j, v, u)
    }

    /// Deliveries ride from the start; passengers from their pickup to their dropoff.
    fn load_fits(&self, capacity: &Load, order: &[Stop]) -> bool {
        let requests = &self.problem.requests;
        let mut load = order
            .iter()
            .filter(|(_, kind)| *kind == StopKind::Delivery)
            .fold(Load::default(), |sum, (r, _)| sum.plus(requests[*r].load));
        if !load.fits_in(capacity) {
            return false;
        }
        for (request, kind) in order {
            let amount = requests[*request].load;
            load = match kind {
                StopKind::Pickup => load.plus(amount),
                StopKind::Dropoff | StopKind::Delivery => load.minus(amount),
            };
            if !load.fits_in(capacity) {
                return false;
            }
        }
        true
    }

    /// The cheapest feasible way to add `request` to `order`: (new order, its distance).
    pub fn best_insertion(
        &mut self,
        vehicle: usize,
        order: &[Stop],
        request: usize,
    ) -> Option<(Vec<Stop>, f64)> {
        self.best_insertion_below(vehicle, order, request, f64::INFINITY)
    }

    /// The cheapest feasible way to add `request` to `order` that adds less than `max_added` to
    /// its distance: (new order, its distance).
    ///
    /// The distance an insertion adds needs only the matrix; its feasibility needs the whole
    /// route timed. So every insertion is priced first, and only the cheapest are timed, cheapest
    /// first, until one is feasible: on Solomon's routes that times a handful instead of all.
    pub fn best_insertion_below(
        &mut self,
        vehicle: usize,
        order: &[Stop],
        request: usize,
        max_added: f64,
    ) -> Option<(Vec<Stop>, f64)> {
        let problem = self.problem;
        let kinds = problem.requests.get(request)?.stop_kinds();
        // One or two stops: no allocation on this hot path.
        let mut new_places = [0; 2];
        for (place, kind) in new_places.iter_mut().zip(kinds) {
            *place = problem.requests[request].visit(*kind)?.location;
        }
        self.price_insertions(vehicle, order, &new_places[..kinds.len()], max_added);
        let base: f64 = self
            .places
            .windows(2)
            .map(|w| problem.travel.distance(w[0], w[1]))
            .sum();
        // One stop: most insertions a window rules out are ruled out here without timing.
        let single = match problem.requests[request].kind {
            RequestKind::Delivery { visit } if !self.insertions.is_empty() => {
                if !self.room_for(vehicle, order, request) {
                    return None;
                }
                Some(visit)
            }
            _ => None,
        };
        let mut insertions = std::mem::take(&mut self.insertions);
        let mut candidate = Vec::with_capacity(order.len() + kinds.len());
        let mut found = None;
        if single.is_none() {
            insertions.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
        let mut tried = 0;
        loop {
            let next = match single {
                Some(visit) => self.cheapest_in_windows(&mut insertions, &visit),
                None => insertions
                    .get(tried)
                    .map(|&(_, first, second)| (first, second)),
            };
            let Some(positions) = next else { break };
            tried += 1;
            insertion_into(&mut candidate, order, request, kinds, positions);
            if let Some(distance) = self.distance(vehicle, &candidate) {
                found = (distance - base < max_added).then_some((candidate, distance));
                break;
            }
        }
        self.insertions = insertions;
        found
    }

    /// Whether `vehicle` has seats for delivery `request` on top of `order`'s deliveries (which
    /// all ride from the start), and if so, fills `departures` and `latest` for `fits_windows`.
    fn room_for(&mut self, vehicle: usize, order: &[Stop], request: usize) -> bool {
        let problem = self.problem;
        let bus = &problem.vehicles[vehicle];
        let travel = &problem.travel;
        self.stops_timed += order.len() as u64;
        let mut load = problem.requests[request].load;
        self.visits.clear();
        for (r, kind) in order {
            if *kind == StopKind::Delivery {
                load = load.plus(problem.requests[*r].load);
            }
            match problem.requests[*r].visit(*kind) {
                Some(visit) => self.visits.push(*visit),
                None => return false,
            }
        }
        if !load.fits_in(&bus.capacity) {
            return false;
        }
        // The earliest schedule keeps every window the route's real one does: delaying the
        // departure (see `timeline_into`) never takes a stop past its window.
        self.departures.clear();
        let (mut at, mut t) = (bus.start, bus.window.start);
        self.departures.push(t);
        for visit in &self.visits {
            t = (t + travel.duration(at, visit.location)).max(visit.window.start) + visit.service;
            at = visit.location;
            self.departures.push(t);
        }
        // latest[i]: the latest begin at place i + 1 (stop i, or the end for the last).
        self.latest.clear();
        self.latest.resize(self.visits.len() + 1, 0.0);
        let (mut latest, mut next) = (bus.window.end + EPSILON, bus.end);
        self.latest[self.visits.len()] = latest;
        for (i, visit) in self.visits.iter().enumerate().rev() {
            latest = (visit.window.end + EPSILON)
                .min(latest - visit.service - travel.duration(visit.location, next));
            self.latest[i] = latest;
            next = visit.location;
        }
        true
    }

    /// The positions of the cheapest of `insertions` (of one stop, at `visit`) that keeps every
    /// window (ties: the first), taken out of the running (its cost made infinite). One pass, no
    /// sort: sorts were a fifth of the profile of a Solomon R204 solve, for the few cheapest used.
    fn cheapest_in_windows(
        &mut self,
        insertions: &mut [(f64, usize, usize)],
        visit: &Visit,
    ) -> Option<(usize, usize)> {
        let mut best: Option<usize> = None;
        for at in 0..insertions.len() {
            let (added, first, _) = insertions[at];
            let cheaper = best.map_or(added < f64::INFINITY, |b| added < insertions[b].0);
            if cheaper && self.fits_windows(first, visit) {
                best = Some(at);
            }
        }
        let at = best?;
        insertions[at].0 = f64::INFINITY;
        Some((insertions[at].1, insertions[at].2))
    }

    /// Whether a stop at `visit` between places `at` and `at + 1` of the route `room_for` saw
    /// keeps every window. Off by rounding at most, towards yes: the stop is timed after.
    fn fits_windows(&mut self, at: usize, visit: &Visit) -> bool {
        const ROUNDING: f64 = 1e-9;
        self.stops_timed += 1;
        let travel = &self.problem.travel;
        let begin = (self.departures[at] + travel.duration(self.places[at], visit.location))
            .max(visit.window.start);
        let leave = begin + visit.service + travel.duration(visit.location, self.places[at + 1]);
        begin <= visit.window.end + EPSILON + ROUNDING && leave <= self.latest[at] + ROUNDING
    }

    /// Fills `insertions` with every way to add stops at `new_places` (one, or a pickup and its
    /// dropoff) to `order` that adds less than `max_added` (give or take rounding), in the order of
    /// the positions; `places` is left holding the route's locations.
    fn price_insertions(
        &mut self,
        vehicle: usize,
        order: &[Stop],
        new_places: &[usize],
        max_added: f64,
    ) {
        let problem = self.problem;
        let bus = &problem.vehicles[vehicle];
        self.places.clear();
        self.places.push(bus.start);
        for (request, kind) in order {
            let visit = problem.requests[*request].visit(*kind);
            self.places.push(visit.map_or(bus.start, |v| v.location));
        }
        self.places.push(bus.end);
        let places = &self.places;
        let arc = |from: usize, to: usize| problem.travel.distance(from, to);
        // Between places[at] and places[at + 1].
        let detour = |at: usize, new: usize| {
            arc(places[at], new) + arc(new, places[at + 1]) - arc(places[at], places[at + 1])
        };
        let limit = max_added + EPSILON;
        self.insertions.clear();
        for first in 0..=order.len() {
            let to_first = detour(first, new_places[0]);
            let Some(&second_place) = new_places.get(1) else {
                if to_first < limit {
                    self.insertions.push((to_first, first, first));
                }
                continue;
            };
            let (before, after) = (places[first], places[first + 1]);
            let together = arc(before, new_places[0])
                + arc(new_places[0], second_place)
                + arc(second_place, after)
                - arc(before, after);
            if together < limit {
                self.insertions.push((together, first, first));
            }
            for second in first + 1..=order.len() {
                let added = to_first + detour(second, second_place);
                if added < limit {
                    self.insertions.push((added, first, second));
                }
            }
        }
        let positions = order.len() as u64 + 1;
        self.stops_timed += if new_places.len() == 2 {
            positions * (positions + 1) / 2
        } else {
            positions
        };
    }
}

/// The plan after local search, or the plan as it came when the search found nothing better.
pub fn polish(problem: &Problem, plan: Plan) -> Plan {
    let mut judge = Judge::new(problem);
    let Some(mut routes) = routes_of(&mut judge, &plan) else {
        // A route that breaks a constraint already: leave the plan to the checker's report.
        return plan;
    };
    let mut unassigned = plan.unassigned.clone();
    local_search(&mut judge, &mut routes, &mut unassigned);
    unless_faulted(problem, plan, &routes, unassigned)
}

/// Applies improving moves until none is left (or the judge's work is spent).
pub(crate) fn local_search(
    judge: &mut Judge,
    routes: &mut Vec<Route>,
    unassigned: &mut Vec<usize>,
) {
    loop {
        // The cheap moves first; emptying a route is tried at their local optimum.
        let improved = place_unassigned(judge, routes, unassigned)
            || relocate(judge, routes)
            || reverse_a_stretch(judge, routes)
            || swap_deliveries(judge, routes)
            || exchange_tails(judge, routes)
            || empty_a_route(judge, routes);
        if !improved || judge.exhausted() {
            break;
        }
    }
}

/// The routes of `plan` with their distances; None if one of them breaks a constraint.
pub(crate) fn routes_of(judge: &mut Judge, plan: &Plan) -> Option<Vec<Route>> {
    plan.routes
        .iter()
        .filter(|r| !r.stops.is_empty())
        .map(|r| {
            let order: Vec<Stop> = r.stops.iter().map(|s| (s.request, s.kind)).collect();
            let distance = judge.distance(r.vehicle, &order)?;
            Some(Route {
                vehicle: r.vehicle,
                order,
                distance,
            })
        })
        .collect()
}

/// The plan of `routes`, or `before` if the checker faults it more (it should not: every move
/// keeps its routes feasible, and the checker has the last word).
pub(crate) fn unless_faulted(
    problem: &Problem,
    before: Plan,
    routes: &[Route],
    unassigned: Vec<usize>,
) -> Plan {
    let mut after = Plan {
        routes: routes
            .iter()
            .filter_map(|r| plan_route(problem, r.vehicle, &r.order))
            .collect(),
        unassigned,
    };
    after.routes.sort_by_key(|r| r.vehicle);
    if check(problem, &after).violations.len() > check(problem, &before).violations.len() {
        return before;
    }
    after
}

/// Puts an unplanned request on the route where it adds the least distance, or else on a bus
/// of its own (a rider planned counts for more than a bus saved).
fn place_unassigned(
    judge: &mut Judge,
    routes: &mut Vec<Route>,
    unassigned: &mut Vec<usize>,
) -> bool {
    for at in 0..unassigned.len() {
        let request = unassigned[at];
        if place_where_cheapest(judge, routes, request, None) {
            unassigned.remove(at);
            return true;
        }
        if place_on_an_idle_bus(judge, routes, request) {
            unassigned.remove(at);
            return true;
        }
    }
    false
}

/// Puts `request` alone on the first bus without a route that can take it.
pub(crate) fn place_on_an_idle_bus(
    judge: &mut Judge,
    routes: &mut Vec<Route>,
    request: usize,
) -> bool {
    let idle = (0..judge.problem.vehicles.len()).filter(|v| routes.iter().all(|r| r.vehicle != *v));
    for vehicle in idle.collect::<Vec<_>>() {
        if let Some((order, distance)) = judge.best_insertion(vehicle, &[], request) {
            routes.push(Route {
                vehicle,
                order,
                distance,
            });
            return true;
        }
    }
    false
}

/// Puts `request` on the route (other than `skip`) where it adds the least distance; false if
/// it fits on none.
pub(crate) fn place_where_cheapest(
    judge: &mut Judge,
    routes: &mut [Route],
    request: usize,
    skip: Option<usize>,
) -> bool {
    let mut best: Option<(usize, Vec<Stop>, f64, f64)> = None;
    for (index, route) in routes.iter().enumerate() {
        if Some(index) == skip {
            continue;
        }
        let below = best.as_ref().map_or(f64::INFINITY, |b| b.3);
        if let Some((order, distance)) =
            judge.best_insertion_below(route.vehicle, &route.order, request, below)
        {
            let added = distance - route.distance;
            if best.as_ref().is_none_or(|b| added < b.3) {
                best = Some((index, order, distance, added));
            }
        }
    }
    let Some((index, order, distance, _)) = best else {
        return false;
    };
    routes[index].order = order;
    routes[index].distance = distance;
    true
}

/// Empties the shortest route it can: each of its requests goes where it adds least.
fn empty_a_route(judge: &mut Judge, routes: &mut Vec<Route>) -> bool {
    let mut by_size: Vec<usize> = (0..routes.len()).collect();
    by_size.sort_by_key(|i| (routes[*i].order.len(), *i));
    for victim in by_size {
        let requests = requests_of(&routes[victim].order);
        let mut trial = routes.clone();
        let all_placed = requests
            .iter()
            .all(|request| place_where_cheapest(judge, &mut trial, *request, Some(victim)));
        if all_placed {
            trial.remove(victim);
            *routes = trial;
            return true;
        }
        if judge.exhausted() {
            return false;
        }
    }
    false
}

/// Moves one request to where it adds least (its own route included), if that saves distance
/// or empties its route.
fn relocate(judge: &mut Judge, routes: &mut Vec<Route>) -> bool {
    for from in 0..routes.len() {
        for request in requests_of(&routes[from].order) {
            let rest = without(&routes[from].order, &[request]);
            let Some(rest_distance) = distance_or_empty(judge, routes[from].vehicle, &rest) else {
                continue;
            };
            let saved = routes[from].distance - rest_distance;
            // Emptying a route is worth any distance; otherwise the move must save some.
            let worth_it = if rest.is_empty() {
                f64::INFINITY
            } else {
                saved - GAIN
            };
            let mut best: Option<(usize, Vec<Stop>, f64, f64)> = None;
            for (to, route) in routes.iter().enumerate() {
                let (base, base_distance) = if to == from {
                    (&rest, rest_distance)
                } else {
                    (&route.order, route.distance)
                };
                let below = best.as_ref().map_or(worth_it, |b| b.3);
                if let Some((order, distance)) =
                    judge.best_insertion_below(route.vehicle, base, request, below)
                {
                    let added = distance - base_distance;
                    if best.as_ref().is_none_or(|b| added < b.3) {
                        best = Some((to, order, distance, added));
                    }
                }
            }
            let Some((to, order, distance, added)) = best else {
                continue;
            };
            let empties = rest.is_empty() && to != from;
            if !(empties || added < saved - GAIN) {
                continue;
            }
            routes[to].order = order;
            routes[to].distance = distance;
            if to != from {
                routes[from].order = rest;
                routes[from].distance = rest_distance;
            }
            if empties {
                routes.remove(from);
            }
            return true;
        }
        if judge.exhausted() {
            return false;
        }
    }
    false
}

/// Swaps the tails of two routes where that saves distance (or empties one of them). A route
/// is cut only where no passenger is on board, so every ride stays on one route.
fn exchange_tails(judge: &mut Judge, routes: &mut Vec<Route>) -> bool {
    let cuts: Vec<Vec<usize>> = routes.iter().map(|r| free_cuts(&r.order)).collect();
    let mut joined = Vec::new();
    let mut other = Vec::new();
    for a in 0..routes.len() {
        for b in a + 1..routes.len() {
            let before = routes[a].distance + routes[b].distance;
            for &i in &cuts[a] {
                for &j in &cuts[b] {
                    if (i == 0 && j == 0)
                        || (i == routes[a].order.len() && j == routes[b].order.len())
                    {
                        continue;
                    }
                    joined.clear();
                    joined.extend_from_slice(&routes[a].order[..i]);
                    joined.extend_from_slice(&routes[b].order[j..]);
                    other.clear();
                    other.extend_from_slice(&routes[b].order[..j]);
                    other.extend_from_slice(&routes[a].order[i..]);
                    let empties = joined.is_empty() || other.is_empty();
                    let length = judge.length(routes[a].vehicle, &joined)
                        + judge.length(routes[b].vehicle, &other);
                    if !(empties || length < before - GAIN) {
                        continue;
                    }
                    let Some(first) = distance_or_empty(judge, routes[a].vehicle, &joined) else {
                        continue;
                    };
                    let Some(second) = distance_or_empty(judge, routes[b].vehicle, &other) else {
                        continue;
                    };
                    if !(empties || first + second < before - GAIN) {
                        continue;
                    }
                    routes[a].order = joined.clone();
                    routes[a].distance = first;
                    routes[b].order = other.clone();
                    routes[b].distance = second;
                    routes.retain(|r| !r.order.is_empty());
                    return true;
                }
            }
            if judge.exhausted() {
                return false;
            }
        }
    }
    false
}

/// Drives a stretch of a route backwards (2-opt) where that saves distance; only stretches of
/// deliveries, so no passenger is dropped before being picked up.
fn reverse_a_stretch(judge: &mut Judge, routes: &mut [Route]) -> bool {
    let mut candidate = Vec::new();
    for route in routes.iter_mut() {
        let n = route.order.len();
        for from in 0..n {
            if route.order[from].1 != StopKind::Delivery {
                continue;
            }
            for to in from + 1..n {
                if route.order[to].1 != StopKind::Delivery {
                    break;
                }
                candidate.clear();
                candidate.extend_from_slice(&route.order);
                candidate[from..=to].reverse();
                if judge.length(route.vehicle, &candidate) >= route.distance - GAIN {
                    continue;
                }
                if let Some(distance) = judge.distance(route.vehicle, &candidate)
                    && distance < route.distance - GAIN
                {
                    route.order.clone_from(&candidate);
                    route.distance = distance;
                    return true;
                }
            }
        }
        if judge.exhausted() {
            return false;
        }
    }
    false
}

/// Exchanges two deliveries of different routes, each taking the other's place, where that
/// saves distance.
fn swap_deliveries(judge: &mut Judge, routes: &mut [Route]) -> bool {
    let (mut first, mut second) = (Vec::new(), Vec::new());
    for a in 0..routes.len() {
        for b in a + 1..routes.len() {
            let before = routes[a].distance + routes[b].distance;
            for i in 0..routes[a].order.len() {
                if routes[a].order[i].1 != StopKind::Delivery {
                    continue;
                }
                for j in 0..routes[b].order.len() {
                    if routes[b].order[j].1 != StopKind::Delivery {
                        continue;
                    }
                    let change = judge.swap_change(&routes[a], i, &routes[b], j);
                    if change >= -GAIN {
                        continue;
                    }
                    first.clone_from(&routes[a].order);
                    second.clone_from(&routes[b].order);
                    std::mem::swap(&mut first[i], &mut second[j]);
                    let Some(d1) = judge.distance(routes[a].vehicle, &first) else {
                        continue;
                    };
                    let Some(d2) = judge.distance(routes[b].vehicle, &second) else {
                        continue;
                    };
                    if d1 + d2 < before - GAIN {
                        routes[a].order.clone_from(&first);
                        routes[a].distance = d1;
                        routes[b].order.clone_from(&second);
                        routes[b].distance = d2;
                        return true;
                    }
                }
            }
            if judge.exhausted() {
                return false;
            }
        }
    }
    false
}

pub(crate) fn distance_or_empty(judge: &mut Judge, vehicle: usize, order: &[Stop]) -> Option<f64> {
    if order.is_empty() {
        Some(0.0)
    } else {
        judge.distance(vehicle, order)
    }
}

/// `order` without the stops of `requests`.
pub(crate) fn without(order: &[Stop], requests: &[usize]) -> Vec<Stop> {
    order
        .iter()
        .copied()
        .filter(|(r, _)| !requests.contains(r))
        .collect()
}

/// Positions where a route can be cut with nobody on board (0 and the end included).
fn free_cuts(order: &[Stop]) -> Vec<usize> {
    let mut on_board = 0i32;
    let mut cuts = vec![0];
    for (at, (_, kind)) in order.iter().enumerate() {
        match kind {
            StopKind::Pickup => on_board += 1,
            StopKind::Dropoff => on_board -= 1,
            StopKind::Delivery => {}
        }
        if on_board == 0 {
            cuts.push(at + 1);
        }
    }
    cuts
}

/// The requests of a route, each once, in the order of their first stop.
pub(crate) fn requests_of(order: &[Stop]) -> Vec<usize> {
    let mut seen = Vec::new();
    for (request, _) in order {
        if !seen.contains(request) {
            seen.push(*request);
        }
    }
    seen
}

/// C101 with a bus per customer for the first 25 and the rest unplanned, polished to its local
/// optimum: every route there survives the polish's own attempt to empty it. A start for the
/// steps that improve on the polish.
#[cfg(test)]
pub(crate) fn polished_c101() -> (Problem, Plan) {
    let problem = crate::instances::solomon(include_str!("../../tests/fixtures/routing/C101.txt"))
        .expect("reads");
    let buses = problem.vehicles.len();
    let plan = Plan {
        routes: (0..buses)
            .filter_map(|r| plan_route(&problem, r, &[(r, StopKind::Delivery)]))
            .collect(),
        unassigned: (buses..problem.requests.len()).collect(),
    };
    let polished = polish(&problem, plan);
    assert_eq!(polished.unassigned, Vec::<usize>::new());
    (problem, polished)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instances::solomon;
    use crate::model::{Request, RequestKind, Vehicle, Window};
    use crate::travel::Matrix;

    fn delivery(location: usize, start: f64, end: f64) -> Request {
        Request {
            id: format!("c{location}"),
            load: Load::seats(1),
            kind: RequestKind::Delivery {
                visit: Visit {
                    location,
                    window: Window::new(start, end),
                    service: 0.0,
                },
            },
        }
    }

    fn line_problem(vehicles: usize) -> Problem {
        // A depot at 0 and customers at 10, 20, 30 on a line.
        let points = [(0.0, 0.0), (10.0, 0.0), (20.0, 0.0), (30.0, 0.0)];
        Problem {
            travel: Matrix::euclidean(&points),
            vehicles: (0..vehicles)
                .map(|i| Vehicle {
                    id: format!("v{i}"),
                    start: 0,
                    end: 0,
                    window: Window::new(0.0, 1000.0),
                    max_duration: None,
                    capacity: Load::seats(3),
                })
                .collect(),
            requests: vec![
                delivery(1, 0.0, 1000.0),
                delivery(2, 0.0, 1000.0),
                delivery(3, 0.0, 1000.0),
            ],
        }
    }

    fn plan_of(problem: &Problem, routes: &[(usize, &[usize])]) -> Plan {
        Plan {
            routes: routes
                .iter()
                .filter_map(|(vehicle, requests)| {
                    let order: Vec<Stop> =
                        requests.iter().map(|r| (*r, StopKind::Delivery)).collect();
                    plan_route(problem, *vehicle, &order)
                })
                .collect(),
            unassigned: Vec::new(),
        }
    }

    /// The cheapest feasible way to add `request` to `order`, every way timed: what pricing
    /// first must find.
    fn cheapest_by_timing_all(
        judge: &mut Judge,
        vehicle: usize,
        order: &[Stop],
        request: usize,
    ) -> Option<f64> {
        let kinds = judge.problem.requests[request].stop_kinds();
        let mut best: Option<f64> = None;
        crate::schedule::for_each_insertion(order, request, kinds, |candidate| {
            if let Some(d) = judge.distance(vehicle, candidate) {
                best = Some(best.map_or(d, |b: f64| b.min(d)));
            }
        });
        best
    }

    /// Takes every request off its route and compares the best way back onto every route with
    /// timing every way; and the bound just below and just above what it adds.
    fn assert_pricing_first_agrees(problem: &Problem, plan: &Plan) -> usize {
        let mut judge = Judge::new(problem);
        let routes = routes_of(&mut judge, plan).expect("a feasible plan");
        let mut compared = 0;
        for (from, route) in routes.iter().enumerate() {
            for request in requests_of(&route.order) {
                let rest = without(&route.order, &[request]);
                for (to, target) in routes.iter().enumerate() {
                    let base = if to == from { &rest } else { &target.order };
                    let expected =
                        cheapest_by_timing_all(&mut judge, target.vehicle, base, request);
                    let found = judge.best_insertion(target.vehicle, base, request);
                    assert_eq!(found.is_some(), expected.is_some(), "request {request}");
                    let (Some((order, distance)), Some(expected)) = (found, expected) else {
                        continue;
                    };
                    compared += 1;
                    assert!(
                        (distance - expected).abs() < 1e-9,
                        "{distance} against {expected}"
                    );
                    assert_eq!(judge.distance(target.vehicle, &order), Some(distance));
                    let added = expected - judge.length(target.vehicle, base);
                    let below = |judge: &mut Judge, max| {
                        judge.best_insertion_below(target.vehicle, base, request, max)
                    };
                    assert!(below(&mut judge, added - 1e-3).is_none());
                    assert!(below(&mut judge, added + 1e-3).is_some());
                }
            }
        }
        compared
    }

    #[test]
    fn pricing_first_finds_the_cheapest_feasible_insertion() {
        let (problem, plan) = polished_c101();
        let compared = assert_pricing_first_agrees(&problem, &plan);
        assert!(compared >= 100, "{compared}");
        // Rides: a pickup and its dropoff, with ride limits, from vrp-core's plan.
        let problem =
            crate::instances::cordeau(include_str!("../../tests/fixtures/routing/a2-16.txt"))
                .expect("reads");
        let options = crate::SolveOptions {
            max_generations: Some(20),
            improve: false,
            ..crate::SolveOptions::default()
        };
        let plan = crate::Solver::solve(&crate::VrpCoreSolver, &problem, &options, &|_| {})
            .expect("solves");
        assert!(assert_pricing_first_agrees(&problem, &plan) > 10);
    }

    #[test]
    fn a_zigzag_route_is_straightened() {
        let problem = line_problem(1);
        let plan = plan_of(&problem, &[(0, &[2, 0, 1])]);
        assert_eq!(plan.distance(&problem), 80.0);
        let polished = polish(&problem, plan);
        assert_eq!(polished.distance(&problem), 60.0);
        assert!(check(&problem, &polished).is_feasible());
    }

    #[test]
    fn a_route_is_emptied_when_the_others_can_take_its_requests() {
        let problem = line_problem(2);
        let plan = plan_of(&problem, &[(0, &[0, 1]), (1, &[2])]);
        let polished = polish(&problem, plan);
        assert_eq!(polished.vehicles_used(), 1);
        assert_eq!(polished.distance(&problem), 60.0);
    }

    #[test]
    fn an_unplanned_request_takes_an_idle_bus_when_no_route_has_room() {
        let mut problem = line_problem(2);
        problem
            .vehicles
            .iter_mut()
            .for_each(|v| v.capacity = Load::seats(2));
        let mut plan = plan_of(&problem, &[(0, &[0, 1])]);
        plan.unassigned = vec![2];
        let polished = polish(&problem, plan);
        assert_eq!(polished.unassigned, Vec::<usize>::new());
        assert_eq!(polished.vehicles_used(), 2);
    }

    #[test]
    fn windows_and_capacity_bind_the_moves() {
        // A seat per bus: no two customers share a route, and customer 3 (reached at 30, its
        // window's end) can go nowhere later in a route either.
        let mut problem = line_problem(3);
        problem.requests[2] = delivery(3, 0.0, 30.0);
        problem
            .vehicles
            .iter_mut()
            .for_each(|v| v.capacity = Load::seats(1));
        let plan = plan_of(&problem, &[(0, &[0]), (1, &[1]), (2, &[2])]);
        let polished = polish(&problem, plan.clone());
        assert_eq!(polished, plan);
    }

    #[test]
    fn an_unplanned_request_is_placed_where_it_fits() {
        let problem = line_problem(1);
        let mut plan = plan_of(&problem, &[(0, &[0, 1])]);
        plan.unassigned = vec![2];
        let polished = polish(&problem, plan);
        assert_eq!(polished.unassigned, Vec::<usize>::new());
        assert_eq!(polished.distance(&problem), 60.0);
    }

    #[test]
    fn a_solomon_plan_is_completed_and_stays_feasible() {
        let problem =
            solomon(include_str!("../../tests/fixtures/routing/C101.txt")).expect("reads");
        // A customer per bus, the rest unplanned: feasible, and as bad as a plan gets.
        let buses = problem.vehicles.len();
        let singles: Vec<(usize, [usize; 1])> = (0..buses).map(|r| (r, [r])).collect();
        let refs: Vec<(usize, &[usize])> = singles.iter().map(|(v, r)| (*v, &r[..])).collect();
        let mut plan = plan_of(&problem, &refs);
        plan.unassigned = (buses..problem.requests.len()).collect();
        assert!(check(&problem, &plan).is_feasible());
        let polished = polish(&problem, plan.clone());
        assert!(check(&problem, &polished).is_feasible());
        assert_eq!(polished.unassigned, Vec::<usize>::new());
        assert!(
            polished.vehicles_used() < buses,
            "{}",
            polished.vehicles_used()
        );
        assert_eq!(
            polish(&problem, polished.clone()),
            polished,
            "a local optimum"
        );
    }
}
