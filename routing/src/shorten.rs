//! Fewer buses and shorter routes by ruin and recreate, between two polishes. Each round takes a
//! few requests out of the plan and puts them back one by one, in random order, where each adds
//! least, together with any unplanned requests (an idle bus takes one that fits nowhere else);
//! on short routes, when that leaves one out, again by regret, the hardest to place first.
//! What it takes out: runs of consecutive stops on the routes around a random request (SISR's
//! strings), or that request's nearest neighbours wherever they ride, or now and then a whole
//! route.
//! First, with part of the work, rounds try to do without the smallest route (`fewer_buses`).
//! Then they shorten: a round that leaves fewer riders unplanned, or uses fewer buses, or ends
//! shorter is kept, and so is one that ends slightly longer while the work is young and the last
//! best recent (a threshold that shrinks to nothing), so the search can leave a local optimum;
//! the best plan seen is polished and returned. Rounds are cheap (no local search inside them,
//! and insertions priced and checked against the windows before they are timed): on Solomon
//! 30,000-50,000 run per second on one thread, where a polish per round allowed a few hundred,
//! and those plans were longer.
//! vrp-core's search stalls on long routes: on Solomon R201 its second search ran 2,000
//! generations without a shorter plan, where one polish still found 1.4%.
//! Never more buses than it was given, unless riders were unplanned. Seeded and bounded by work
//! (stops timed), not by the clock: one seed, one plan (unless `stop` interrupts it).
use crate::model::{Plan, Problem, requests_per_route};
use crate::parallel::{seeded_runs, take_best};
use crate::polish::{
    Judge, Route, distance_or_empty, local_search, place_on_an_idle_bus, place_where_cheapest,
    requests_of, routes_of, unless_faulted, without,
};
use crate::rng::SplitMix;

/// Requests taken out per round, at least and at most (see `ruin_limits` for long routes).
const RUIN: (usize, usize) = (4, 14);
/// On long routes a round may take out as many requests as ride on an average route, up to this
/// many, and strings of up to two thirds of that, up to `LONG_STRING`. With 14 and 10, rounds on
/// Solomon's R2 and RC2 (3-4 routes of 25-35 stops) hardly ever changed a route's shape: on 12 of
/// those instances, two runs each, 30 and 20 took the gap from +2.3% to +1.1% (R202 from +6% to
/// 0%; BENCHMARKS.md, fourteenth session).
const LONG_RUIN: usize = 30;
const LONG_STRING: usize = 20;
/// The share of rounds that take out a whole route: those give a bus back when the others can
/// take its riders.
const WHOLE_ROUTE_SHARE: f64 = 0.1;
/// The share of rounds that take out strings; the rest take out nearest neighbours. On 16 hard
/// Solomon instances half the rounds on strings brought the gap to the best known from +2.5% to
/// +1.2% (BENCHMARKS.md, thirteenth session).
const STRINGS_SHARE: f64 = 0.5;
/// How much longer than the current plan a round may end and still be kept, at the start (a
/// share of the distance); it shrinks linearly to 0 as the work is spent or the rounds without a
/// new best reach the idle limit (`IDLE_ROUNDS_PER_REQUEST`).
const THRESHOLD: f64 = 0.03;
/// String removal: at most this many routes cut, and this many stops from each (more on long
/// routes: `ruin_limits`).
const MAX_STRINGS: usize = 4;
const MAX_STRING: usize = 10;
/// Rounds in a row without a new best plan after which the search gives up, per request: a small
/// day is done long before its share of the work is spent (13 riders: 6,500 rounds; Solomon's
/// 100 customers: 50,000).
const IDLE_ROUNDS_PER_REQUEST: usize = 500;
/// The share of the work that goes to taking buses off (`fewer_buses`) before the rounds
/// shorten the routes.
const FLEET_SHARE: f64 = 0.3;
/// Rounds in a row without fewer requests unplanned after which `fewer_buses` gives the rest of
/// its work to the shortening (the route's riders do not fit on the others), per request.
const FLEET_IDLE_ROUNDS_PER_REQUEST: usize = 200;
/// Requests per route up to which a round whose requests, placed in random order, left one out
/// tries again by regret (`place_by_regret`). At the best-known bus count on Solomon R1 and RC1
/// (about 10 requests a route) three rounds in four left a rider out and were lost, and a search
/// often ended where it began. With regret, on the same starts (a generation limit), the gap went
/// from +1.41% to +1.03% and from +1.50% to +1.04% over two seeds, and R112 and RC106 reached
/// the best-known count once each. On R2 and RC2 (25-50 a route) it cost more than it found
/// (+0.98% to +1.19%; BENCHMARKS.md, eighteenth session). With rounds 1.7 times faster there
/// (nineteenth) it paid only with more work: on the same starts regret on every route took R2 and
/// RC2 from +1.57% to +1.48% and from +1.00% to +0.89% with 2.9 times the work of a 10 s solve,
/// but from +1.80% to +2.13% with that of 10 s.
const REGRET_UP_TO: usize = 20;
/// Shorter by less than this is rounding, not progress.
const GAIN: f64 = 1e-7;
/// Searches from one plan, each with its own seed and an equal share of the work. On two threads
/// they take half the time of one search with all the work; on ten Solomon instances the better
/// of the two was shorter than that one search on five, equal on two and longer on three, 0.2%
/// shorter in all (BENCHMARKS.md, eleventh session).
const SEARCHES: usize = 2;
/// With another start (on long routes, where `reduce` took a bus off), four searches, two from
/// each, with a quarter of the work each: there the outcome depends most on where a search starts
/// and which rounds it is dealt. On Solomon R2 and RC2, paired runs over four seeds, four came out
/// 0.35 points shorter than two (-0.24 to -0.45 per seed). Without another start a search's fleet
/// step has to take the bus off that `reduce` could not, and a quarter of the work was too
/// little: four searches left R207 at 3 buses in 3 of 6 runs, two in 1 of 6. On short routes four
/// were no better (BENCHMARKS.md, twentieth and twenty-first sessions).
const SEARCHES_WITH_ANOTHER_START: usize = 4;

/// What `shorter_routes` made.
#[derive(Debug, PartialEq)]
pub struct Shortened {
    pub plan: Plan,
    /// `stop` ended the rounds before their work was done: the plan depends on when.
    pub interrupted: bool,
}

/// The best of `SEARCHES` runs of `shorter_routes`, each with its share of `max_stops_timed`, up
/// to `threads` of them side by side (see `parallel`). They start from `plan`; with `other_start`
/// there are `SEARCHES_WITH_ANOTHER_START`, every other one from there, and such a search goes on
/// from `plan` when its fleet step leaves more buses than `plan` has.
pub fn best_of_shorter_routes(
    problem: &Problem,
    plan: Plan,
    other_start: Option<&Plan>,
    seed: u64,
    max_stops_timed: u64,
    threads: usize,
    stop: &(dyn Fn() -> bool + Sync),
) -> Shortened {
    let searches = match other_start {
        Some(_) => SEARCHES_WITH_ANOTHER_START,
        None => SEARCHES,
    };
    let work = max_stops_timed / searches as u64;
    let runs = seeded_runs(
        seed,
        searches,
        threads,
        |position, seed| match other_start {
            Some(other) if position % 2 == 1 => {
                shorten(problem, other.clone(), Some(&plan), seed, work, stop)
            }
            _ => shorten(problem, plan.clone(), None, seed, work, stop),
        },
    );
    let interrupted = runs.iter().any(|r| r.interrupted);
    // Every search panicked: the plan as it came.
    let plan = take_best(problem, runs, |run| &run.plan).map_or(plan, |best| best.plan);
    Shortened { plan, interrupted }
}

/// `plan` with fewer buses and shorter routes, and its unplanned requests planned where they fit,
/// as far as `max_stops_timed` allows, or until `stop` says so (the time budget, a cancel).
pub fn shorter_routes(
    problem: &Problem,
    plan: Plan,
    seed: u64,
    max_stops_timed: u64,
    stop: &(dyn Fn() -> bool + Sync),
) -> Shortened {
    shorten(problem, plan, None, seed, max_stops_timed, stop)
}

/// `shorter_routes`, going on from `fewer` instead when the fleet step leaves more buses than it
/// has.
fn shorten(
    problem: &Problem,
    plan: Plan,
    fewer: Option<&Plan>,
    seed: u64,
    max_stops_timed: u64,
    stop: &(dyn Fn() -> bool + Sync),
) -> Shortened {
    let done = |plan| Shortened {
        plan,
        interrupted: false,
    };
    let mut judge = Judge::with_limit(problem, max_stops_timed);
    let Some(mut current) = polished_state(&mut judge, &plan) else {
        return done(plan);
    };
    let neighbours = nearest_first(problem);
    let mut rng = SplitMix(seed);
    if current.unplanned.is_empty() {
        let work = (max_stops_timed as f64 * FLEET_SHARE) as u64;
        let mut judge = Judge::with_limit(problem, work);
        current = fewer_buses(&mut judge, current, &neighbours, &mut rng, stop);
    }
    // The fleet step of a search from the plan before `reduce` failed: its search would shorten a
    // plan that cannot win.
    if let Some(fewer) = fewer
        && fewer.unassigned.is_empty()
        && current.unplanned.is_empty()
        && current.routes.len() > fewer.vehicles_used()
        && let Some(state) = polished_state(&mut judge, fewer)
    {
        current = state;
    }
    let mut best = current.clone();
    let mut interrupted = false;
    let mut idle = 0;
    let idle_limit = IDLE_ROUNDS_PER_REQUEST * problem.requests.len();
    while !judge.exhausted() && !current.routes.is_empty() && idle < idle_limit {
        if stop() {
            interrupted = true;
            break;
        }
        idle += 1;
        let mut trial = current.clone();
        if !ruin_and_recreate(&mut judge, &mut trial, &neighbours, &mut rng, true) {
            continue;
        }
        // Tightens as the work is spent, and as the rounds since the last best add up: a search
        // that gives up has been descending, not wandering, before it does.
        let age = judge.spent().max(idle as f64 / idle_limit as f64);
        let allowed = current.distance() * (1.0 + THRESHOLD * (1.0 - age));
        let keep = trial.size() < current.size()
            || (trial.size() == current.size() && trial.distance() < allowed);
        if !keep {
            continue;
        }
        current = trial;
        if (current.size(), current.distance()) < (best.size(), best.distance() - GAIN) {
            best = current.clone();
            idle = 0;
        }
    }
    // With work of its own: the rounds may have spent theirs.
    local_search(
        &mut Judge::new(problem),
        &mut best.routes,
        &mut best.unplanned,
    );
    Shortened {
        plan: unless_faulted(problem, plan, &best.routes, best.unplanned),
        interrupted,
    }
}

/// `plan` as routes, after a local search; none if a route breaks a constraint.
fn polished_state(judge: &mut Judge, plan: &Plan) -> Option<State> {
    let mut state = State {
        routes: routes_of(judge, plan)?,
        unplanned: plan.unassigned.clone(),
    };
    local_search(
        &mut Judge::new(judge.problem()),
        &mut state.routes,
        &mut state.unplanned,
    );
    Some(state)
}

/// SISR's fleet minimisation: takes the route with the fewest stops off, its requests unplanned,
/// and runs rounds that keep a plan with fewer requests unplanned, or as many that were unplanned
/// in fewer rounds before (their absences); no idle bus may take them. When every request is
/// planned again, the next route goes. Returns the last plan that planned every request.
fn fewer_buses(
    judge: &mut Judge,
    complete: State,
    neighbours: &[Vec<usize>],
    rng: &mut SplitMix,
    stop: &(dyn Fn() -> bool + Sync),
) -> State {
    let mut best = complete;
    let mut absences = vec![0u64; neighbours.len()];
    while best.routes.len() > 1 {
        let mut current = best.clone();
        let Some(smallest) =
            (0..current.routes.len()).min_by_key(|i| current.routes[*i].order.len())
        else {
            return best;
        };
        current.unplanned = requests_of(&current.routes.remove(smallest).order);
        let mut idle = 0;
        while !current.unplanned.is_empty() {
            if judge.exhausted()
                || stop()
                || idle >= FLEET_IDLE_ROUNDS_PER_REQUEST * neighbours.len()
            {
                return best;
            }
            idle += 1;
            for request in &current.unplanned {
                absences[*request] += 1;
            }
            let mut trial = current.clone();
            if !ruin_and_recreate(judge, &mut trial, neighbours, rng, false) {
                continue;
            }
            let absent = |s: &State| s.unplanned.iter().map(|r| absences[*r]).sum::<u64>();
            if trial.unplanned.len() < current.unplanned.len() {
                idle = 0;
            }
            if (trial.unplanned.len(), absent(&trial)) < (current.unplanned.len(), absent(&current))
            {
                current = trial;
            }
        }
        best = current;
    }
    best
}

/// Routes and the requests on none of them.
#[derive(Clone)]
struct State {
    routes: Vec<Route>,
    unplanned: Vec<usize>,
}

impl State {
    /// What counts before distance: riders left out, then buses.
    fn size(&self) -> (usize, usize) {
        (self.unplanned.len(), self.routes.len())
    }

    fn distance(&self) -> f64 {
        self.routes.iter().map(|r| r.distance).sum()
    }
}

/// Takes some requests out of `state` (see the module) and puts them back, with the requests
/// that were unplanned, each where it adds least; one that fits on no route takes an idle bus if
/// it was unplanned before, and stays unplanned otherwise. False if a route broke a constraint
/// when its stops were taken out (then `state` is spoilt).
fn ruin_and_recreate(
    judge: &mut Judge,
    state: &mut State,
    neighbours: &[Vec<usize>],
    rng: &mut SplitMix,
    idle_buses: bool,
) -> bool {
    let routes = &mut state.routes;
    let per_route = average_route(routes);
    let (most, longest) = ruin_limits(per_route);
    let count = RUIN.0 + rng.below(most - RUIN.0 + 1);
    let pick = rng.unit();
    let mut removed: Vec<usize> = if routes.len() > 1 && pick < WHOLE_ROUTE_SHARE {
        requests_of(&routes[rng.below(routes.len())].order)
    } else if pick < WHOLE_ROUTE_SHARE + STRINGS_SHARE {
        strings_near(routes, neighbours, count, longest, rng)
    } else {
        let seed = rng.below(neighbours.len());
        neighbours[seed]
            .iter()
            .copied()
            .filter(|r| !state.unplanned.contains(r))
            .take(count)
            .collect()
    };
    for route in routes.iter_mut() {
        if !route.order.iter().any(|(r, _)| removed.contains(r)) {
            continue;
        }
        route.order = without(&route.order, &removed);
        match distance_or_empty(judge, route.vehicle, &route.order) {
            Some(d) => route.distance = d,
            None => return false,
        }
    }
    routes.retain(|r| !r.order.is_empty());
    rng.shuffle(&mut removed);
    let unplanned = std::mem::take(&mut state.unplanned);
    let ruined = (per_route <= REGRET_UP_TO).then(|| state.routes.clone());
    let pending: Vec<usize> = unplanned.iter().copied().chain(removed).collect();
    let mut left = Vec::new();
    for &request in &pending {
        if !place_where_cheapest(judge, &mut state.routes, request, None) {
            left.push(request);
        }
    }
    // Placed one by one in a random order, the requests of a full plan often leave one out
    // where the order that places the hardest first would not.
    if let Some(mut by_regret) = ruined
        && left.len() > unplanned.len()
    {
        let left_by_regret = place_by_regret(judge, &mut by_regret, &pending);
        if left_by_regret.len() < left.len() {
            state.routes = by_regret;
            left = left_by_regret;
        }
    }
    for request in left {
        let placed = idle_buses
            && unplanned.contains(&request)
            && place_on_an_idle_bus(judge, &mut state.routes, request);
        if !placed {
            state.unplanned.push(request);
        }
    }
    true
}

/// Puts `requests` on `routes` by regret: each time, the request that loses most if it does
/// not get its cheapest place (the second cheapest route minus the cheapest; a request with a
/// single route first) goes there. Returns the requests that fit nowhere.
fn place_by_regret(judge: &mut Judge, routes: &mut [Route], requests: &[usize]) -> Vec<usize> {
    let added = |judge: &mut Judge, route: &Route, request: usize| {
        judge
            .best_insertion(route.vehicle, &route.order, request)
            .map(|(_, distance)| distance - route.distance)
    };
    let mut pending: Vec<(usize, Vec<Option<f64>>)> = requests
        .iter()
        .map(|&request| {
            let costs = routes.iter().map(|r| added(judge, r, request)).collect();
            (request, costs)
        })
        .collect();
    let mut left = Vec::new();
    while !pending.is_empty() {
        let mut chosen: Option<(usize, usize, f64, f64)> = None;
        let mut at = 0;
        while at < pending.len() {
            let (cheapest, second) = two_cheapest(&pending[at].1);
            let Some((route, cost)) = cheapest else {
                left.push(pending.swap_remove(at).0);
                continue;
            };
            let regret = second.map_or(f64::INFINITY, |s| s - cost);
            let better = chosen.is_none_or(|(_, _, r, c)| regret > r || (regret == r && cost < c));
            if better {
                chosen = Some((at, route, regret, cost));
            }
            at += 1;
        }
        let Some((at, route, _, _)) = chosen else {
            break;
        };
        let (request, _) = pending.swap_remove(at);
        let Some((order, distance)) =
            judge.best_insertion(routes[route].vehicle, &routes[route].order, request)
        else {
            left.push(request);
            continue;
        };
        routes[route].order = order;
        routes[route].distance = distance;
        for (other, costs) in pending.iter_mut() {
            if costs[route].is_some() {
                costs[route] = added(judge, &routes[route], *other);
            }
        }
    }
    left
}

/// The cheapest (route, cost) and the second cheapest cost among `costs`.
fn two_cheapest(costs: &[Option<f64>]) -> (Option<(usize, f64)>, Option<f64>) {
    let mut cheapest: Option<(usize, f64)> = None;
    let mut second: Option<f64> = None;
    for (route, cost) in costs.iter().enumerate() {
        let Some(cost) = *cost else { continue };
        match cheapest {
            Some((_, c)) if cost >= c => {
                if second.is_none_or(|s| cost < s) {
                    second = Some(cost);
                }
            }
            _ => {
                second = cheapest.map(|(_, c)| c);
                cheapest = Some((route, cost));
            }
        }
    }
    (cheapest, second)
}

/// The most requests a round takes out, and the longest string: `RUIN.1` and `MAX_STRING`, or
/// more on long routes (see `LONG_RUIN`).
fn ruin_limits(average: usize) -> (usize, usize) {
    (
        average.clamp(RUIN.1, LONG_RUIN),
        (average * 2 / 3).clamp(MAX_STRING, LONG_STRING),
    )
}

/// Requests per route, on average.
fn average_route(routes: &[Route]) -> usize {
    let kinds = routes.iter().flat_map(|r| &r.order).map(|(_, kind)| *kind);
    requests_per_route(kinds, routes.len())
}

/// Requests on runs of consecutive stops, one run on each of the routes that serve a random
/// request's nearest neighbours (SISR's string removal, Christiaens and Vanden Berghe 2020):
/// unlike the neighbours alone, it frees room in the routes around them, where the neighbours
/// can then go.
fn strings_near(
    routes: &[Route],
    neighbours: &[Vec<usize>],
    count: usize,
    longest: usize,
    rng: &mut SplitMix,
) -> Vec<usize> {
    let seed = rng.below(neighbours.len());
    let max_routes = 1 + rng.below(MAX_STRINGS);
    let mut removed: Vec<usize> = Vec::new();
    let mut cut: Vec<usize> = Vec::new();
    for &near in &neighbours[seed] {
        if removed.len() >= count || cut.len() >= max_routes {
            break;
        }
        let found = routes.iter().enumerate().find_map(|(index, route)| {
            let at = route.order.iter().position(|(r, _)| *r == near)?;
            Some((index, at))
        });
        let Some((index, at)) = found else { continue };
        if cut.contains(&index) {
            continue;
        }
        cut.push(index);
        let order = &routes[index].order;
        let length = 1 + rng.below(longest.min(order.len()));
        let earliest = at.saturating_sub(length - 1);
        let latest = at.min(order.len() - length);
        let start = earliest + rng.below(latest - earliest + 1);
        for (request, _) in &order[start..start + length] {
            if !removed.contains(request) {
                removed.push(*request);
            }
        }
    }
    removed
}

/// Per request: every request, itself first, then the others by the distance between their
/// first stops.
fn nearest_first(problem: &Problem) -> Vec<Vec<usize>> {
    let first_stop = |r: usize| {
        let request = &problem.requests[r];
        request
            .stop_kinds()
            .first()
            .and_then(|kind| request.visit(*kind))
            .map(|v| v.location)
    };
    let locations: Vec<Option<usize>> = (0..problem.requests.len()).map(first_stop).collect();
    (0..problem.requests.len())
        .map(|from| {
            let mut others: Vec<usize> = (0..problem.requests.len()).collect();
            let away = |to: usize| match (locations[from], locations[to]) {
                _ if to == from => f64::NEG_INFINITY,
                (Some(a), Some(b)) => problem.travel.distance(a, b),
                _ => f64::INFINITY,
            };
            others.sort_by(|a, b| away(*a).total_cmp(&away(*b)));
            others
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checker::check;
    use crate::instances::cordeau;
    use crate::model::{Plan, StopKind};
    use crate::polish::{polish, polished_c101};
    use crate::{SolveOptions, Solver, VrpCoreSolver};

    const WORK: u64 = 3_000_000;

    #[test]
    fn rounds_shorten_what_the_polish_left() {
        let (problem, polished) = polished_c101();
        let shorter = shorter_routes(&problem, polished.clone(), 1, WORK, &|| false).plan;
        assert_eq!(check(&problem, &shorter).violations, vec![]);
        assert_eq!(shorter.unassigned, Vec::<usize>::new());
        assert!(shorter.vehicles_used() <= polished.vehicles_used());
        assert!(
            shorter.distance(&problem) < polished.distance(&problem) - 1.0,
            "{} against {}",
            shorter.distance(&problem),
            polished.distance(&problem)
        );
    }

    #[test]
    fn strings_are_runs_of_stops_on_a_few_routes() {
        let (problem, plan) = polished_c101();
        let mut judge = Judge::new(&problem);
        let routes = routes_of(&mut judge, &plan).expect("feasible");
        let neighbours = nearest_first(&problem);
        let mut rng = SplitMix(5);
        for _ in 0..200 {
            let count = RUIN.0 + rng.below(RUIN.1 - RUIN.0 + 1);
            let removed = strings_near(&routes, &neighbours, count, MAX_STRING, &mut rng);
            assert!(!removed.is_empty());
            let cut: Vec<Vec<usize>> = routes
                .iter()
                .map(|r| {
                    let at = |(request, _): &(usize, _)| removed.contains(request);
                    (0..r.order.len()).filter(|i| at(&r.order[*i])).collect()
                })
                .filter(|positions: &Vec<usize>| !positions.is_empty())
                .collect();
            assert!(cut.len() <= MAX_STRINGS, "{} routes cut", cut.len());
            for positions in cut {
                assert!(positions.len() <= MAX_STRING);
                assert!(
                    positions.windows(2).all(|w| w[1] == w[0] + 1),
                    "{positions:?}"
                );
            }
        }
    }

    #[test]
    fn the_two_cheapest_are_the_least_cost_and_the_next() {
        assert_eq!(
            two_cheapest(&[None, Some(5.0), Some(3.0), Some(4.0)]),
            (Some((2, 3.0)), Some(4.0))
        );
        assert_eq!(
            two_cheapest(&[Some(3.0), Some(3.0)]),
            (Some((0, 3.0)), Some(3.0))
        );
        assert_eq!(two_cheapest(&[None, Some(7.0)]), (Some((1, 7.0)), None));
        assert_eq!(two_cheapest(&[None, None]), (None, None));
    }

    #[test]
    fn regret_places_the_requests_taken_out_each_once_within_the_constraints() {
        let (problem, plan) = polished_c101();
        let mut judge = Judge::new(&problem);
        let mut routes = routes_of(&mut judge, &plan).expect("feasible");
        let neighbours = nearest_first(&problem);
        let taken = strings_near(&routes, &neighbours, 12, MAX_STRING, &mut SplitMix(3));
        assert!(taken.len() >= 4, "{taken:?}");
        for route in routes.iter_mut() {
            route.order = without(&route.order, &taken);
            route.distance =
                distance_or_empty(&mut judge, route.vehicle, &route.order).expect("feasible");
        }
        routes.retain(|r| !r.order.is_empty());
        let left = place_by_regret(&mut judge, &mut routes, &taken);
        assert_eq!(left, Vec::<usize>::new());
        let placed = unless_faulted(&problem, Plan::default(), &routes, left);
        assert_eq!(check(&problem, &placed).violations, vec![]);
        let mut served: Vec<usize> = placed
            .routes
            .iter()
            .flat_map(|r| r.stops.iter().map(|s| s.request))
            .collect();
        served.sort_unstable();
        assert_eq!(served, (0..problem.requests.len()).collect::<Vec<_>>());
        // Each route's distance is what it drives.
        for route in &routes {
            let driven = judge
                .distance(route.vehicle, &route.order)
                .expect("feasible");
            assert!((driven - route.distance).abs() < 1e-6);
        }
    }

    #[test]
    fn regret_leaves_out_what_fits_nowhere() {
        let (problem, plan) = polished_c101();
        let mut judge = Judge::new(&problem);
        let mut routes = routes_of(&mut judge, &plan).expect("feasible");
        // A route's requests, with that route gone and the others full: C101's ten routes are
        // full to their capacity or their windows, so most stay out.
        let gone = routes.remove(0);
        let taken = requests_of(&gone.order);
        let left = place_by_regret(&mut judge, &mut routes, &taken);
        assert!(!left.is_empty());
        for request in &left {
            assert!(taken.contains(request));
            for route in &routes {
                assert!(
                    judge
                        .best_insertion(route.vehicle, &route.order, *request)
                        .is_none()
                );
            }
        }
    }

    #[test]
    fn long_routes_are_ruined_in_larger_pieces() {
        let route = |requests: usize, kinds: &[StopKind]| Route {
            vehicle: 0,
            order: (0..requests)
                .flat_map(|r| kinds.iter().map(move |k| (r, *k)))
                .collect(),
            distance: 0.0,
        };
        let deliveries = [StopKind::Delivery];
        let rides = [StopKind::Pickup, StopKind::Dropoff];
        // Solomon R1: 10 routes of about 10 stops.
        let short: Vec<Route> = (0..10).map(|_| route(10, &deliveries)).collect();
        assert_eq!(ruin_limits(average_route(&short)), (RUIN.1, MAX_STRING));
        // Solomon R2: 3 routes of about 33 stops.
        let long: Vec<Route> = (0..3).map(|_| route(33, &deliveries)).collect();
        assert_eq!(ruin_limits(average_route(&long)), (LONG_RUIN, LONG_STRING));
        // 24 rides a bus are 24 requests (48 stops), not 48.
        let rides: Vec<Route> = (0..2).map(|_| route(24, &rides)).collect();
        assert_eq!(ruin_limits(average_route(&rides)), (24, 16));
        assert_eq!(ruin_limits(average_route(&[])), (RUIN.1, MAX_STRING));
    }

    #[test]
    fn fewer_buses_plans_every_request_on_fewer_routes() {
        let (problem, polished) = polished_c101();
        let mut judge = Judge::new(&problem);
        let routes = routes_of(&mut judge, &polished).expect("feasible");
        let before = routes.len();
        // C101's best known plan has 10 routes; the polish leaves more.
        assert!(before > 10, "{before} routes");
        let state = State {
            routes,
            unplanned: Vec::new(),
        };
        let mut judge = Judge::with_limit(&problem, WORK);
        let neighbours = nearest_first(&problem);
        let fewer = fewer_buses(&mut judge, state, &neighbours, &mut SplitMix(3), &|| false);
        assert!(fewer.routes.len() < before, "{} routes", fewer.routes.len());
        assert_eq!(fewer.unplanned, Vec::<usize>::new());
        let plan = unless_faulted(&problem, polished, &fewer.routes, Vec::new());
        assert_eq!(check(&problem, &plan).violations, vec![]);
        assert_eq!(plan.vehicles_used(), fewer.routes.len());
        let served: usize = plan.routes.iter().map(|r| r.stops.len()).sum();
        assert_eq!(served, problem.requests.len());
    }

    #[test]
    fn one_seed_gives_one_plan() {
        let (problem, polished) = polished_c101();
        let first = shorter_routes(&problem, polished.clone(), 7, WORK, &|| false).plan;
        assert_eq!(
            shorter_routes(&problem, polished, 7, WORK, &|| false).plan,
            first
        );
    }

    #[test]
    fn the_best_of_the_searches_is_one_plan_on_any_number_of_threads() {
        let (problem, polished) = polished_c101();
        let never = || false;
        let best = best_of_shorter_routes(&problem, polished.clone(), None, 7, WORK, 2, &never);
        assert!(!best.interrupted);
        assert_eq!(check(&problem, &best.plan).violations, vec![]);
        let first = shorter_routes(&problem, polished.clone(), 7, WORK / 2, &|| false).plan;
        assert!(
            (best.plan.vehicles_used(), best.plan.distance(&problem))
                <= (first.vehicles_used(), first.distance(&problem))
        );
        for threads in [1, 3] {
            let again =
                best_of_shorter_routes(&problem, polished.clone(), None, 7, WORK, threads, &never);
            assert_eq!(again.plan, best.plan, "{threads} threads");
        }
    }

    /// C101 without its windows and capacities, on three routes of 33 or 34 requests in the
    /// order of their numbers: a plan far from its optimum, so that the plans of searches with
    /// different work differ.
    fn c101_on_three_long_routes() -> (Problem, Plan) {
        let (mut problem, _) = polished_c101();
        for request in &mut problem.requests {
            if let crate::model::RequestKind::Delivery { visit } = &mut request.kind {
                visit.window = crate::model::Window::new(0.0, 1e6);
            }
        }
        for vehicle in &mut problem.vehicles {
            vehicle.window = crate::model::Window::new(0.0, 1e6);
            vehicle.capacity.seats = 10_000;
        }
        let requests: Vec<usize> = (0..problem.requests.len()).collect();
        let routes = requests
            .chunks(34)
            .enumerate()
            .filter_map(|(vehicle, chunk)| {
                let order: Vec<_> = chunk.iter().map(|r| (*r, StopKind::Delivery)).collect();
                crate::schedule::plan_route(&problem, vehicle, &order)
            })
            .collect();
        let plan = Plan {
            routes,
            unassigned: Vec::new(),
        };
        assert_eq!(check(&problem, &plan).violations, vec![]);
        (problem, plan)
    }

    /// The position and plan of the best of `searches` searches with `work` between them, every
    /// other one from `other`, as `best_of_shorter_routes` should run them.
    fn best_from_both(
        problem: &Problem,
        start: &Plan,
        other: &Plan,
        searches: usize,
        work: u64,
    ) -> (usize, Plan) {
        let share = work / searches as u64;
        let runs = seeded_runs(7, searches, 1, |position, seed| {
            let plan = match position % 2 {
                1 => shorten(problem, other.clone(), Some(start), seed, share, &|| false),
                _ => shorten(problem, start.clone(), None, seed, share, &|| false),
            };
            (position, plan.plan)
        });
        take_best(problem, runs, |(_, plan)| plan).expect("plans")
    }

    #[test]
    fn with_another_start_every_other_search_starts_from_there() {
        let (problem, polished) = polished_c101();
        let never = || false;
        let good = shorter_routes(&problem, polished.clone(), 7, WORK, &never).plan;
        // So little work that each search's plan shows where it started.
        let work = WORK / 1000;
        let (position, best) = best_from_both(
            &problem,
            &polished,
            &good,
            SEARCHES_WITH_ANOTHER_START,
            work,
        );
        assert_eq!(position % 2, 1, "a search from the better start wins");
        let both =
            best_of_shorter_routes(&problem, polished.clone(), Some(&good), 7, work, 2, &never);
        assert_eq!(both.plan, best);
        let one = best_of_shorter_routes(&problem, polished, None, 7, work, 2, &never);
        assert_ne!(one.plan, both.plan);
    }

    #[test]
    fn with_another_start_four_searches_share_the_work() {
        let (problem, start) = c101_on_three_long_routes();
        let never = || false;
        let other = shorter_routes(&problem, start.clone(), 7, WORK / 1000, &never).plan;
        let work = WORK / 100;
        let both =
            best_of_shorter_routes(&problem, start.clone(), Some(&other), 7, work, 2, &never);
        let four = best_from_both(&problem, &start, &other, SEARCHES_WITH_ANOTHER_START, work);
        assert_eq!(both.plan, four.1);
        // Two searches with half the work each make another plan.
        let two = best_from_both(&problem, &start, &other, SEARCHES, work);
        assert_ne!(both.plan, two.1);
    }

    #[test]
    fn a_search_whose_fleet_step_fails_goes_on_from_the_plan_with_fewer_buses() {
        let (problem, polished) = polished_c101();
        let fewer = shorter_routes(&problem, polished.clone(), 7, WORK, &|| false).plan;
        assert!(fewer.vehicles_used() < polished.vehicles_used());
        // No work: the fleet step fails at once, and no rounds run; only the polishes.
        let alone = shorten(&problem, polished.clone(), None, 7, 0, &|| false).plan;
        assert_eq!(alone.vehicles_used(), polished.vehicles_used());
        let fell_back = shorten(&problem, polished, Some(&fewer), 7, 0, &|| false).plan;
        assert_eq!(check(&problem, &fell_back).violations, vec![]);
        assert_eq!(fell_back.vehicles_used(), fewer.vehicles_used());
        assert!(fell_back.distance(&problem) <= fewer.distance(&problem) + GAIN);
    }

    #[test]
    fn rides_stay_whole_and_within_their_limits() {
        let problem =
            cordeau(include_str!("../../tests/fixtures/routing/a2-16.txt")).expect("reads");
        // vrp-core's plan after a few generations: complete, and not the shortest.
        let options = SolveOptions {
            max_generations: Some(20),
            improve: false,
            ..SolveOptions::default()
        };
        let plan = VrpCoreSolver
            .solve(&problem, &options, &|_| {})
            .expect("solves");
        assert_eq!(plan.unassigned, Vec::<usize>::new());
        let shorter = shorter_routes(&problem, plan.clone(), 3, WORK, &|| false).plan;
        assert_eq!(check(&problem, &shorter).violations, vec![]);
        assert_eq!(shorter.unassigned, Vec::<usize>::new());
        assert!(shorter.vehicles_used() <= plan.vehicles_used());
        assert!(shorter.distance(&problem) <= plan.distance(&problem) + 1e-6);
    }

    #[test]
    fn unplanned_requests_are_planned_and_no_worse_than_by_the_polish() {
        let (problem, mut plan) = polished_c101();
        let dropped = plan.routes.pop().expect("a route");
        plan.unassigned = dropped.stops.iter().map(|s| s.request).collect();
        let shortened = shorter_routes(&problem, plan.clone(), 1, WORK, &|| false);
        assert!(!shortened.interrupted);
        assert_eq!(check(&problem, &shortened.plan).violations, vec![]);
        assert_eq!(shortened.plan.unassigned, Vec::<usize>::new());
        let polished = polish(&problem, plan);
        let rank = |p: &Plan| (p.unassigned.len(), p.vehicles_used(), p.distance(&problem));
        assert!(rank(&shortened.plan) <= rank(&polished));
    }

    #[test]
    fn a_stop_ends_the_rounds_at_once() {
        let (problem, polished) = polished_c101();
        let shortened = shorter_routes(&problem, polished.clone(), 1, WORK, &|| true);
        assert!(shortened.interrupted);
        assert_eq!(check(&problem, &shortened.plan).violations, vec![]);
        assert!(shortened.plan.distance(&problem) <= polished.distance(&problem) + 1e-6);
    }
}
