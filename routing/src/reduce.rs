//! Fewer buses: empties a route by placing its requests on the others, ejecting the requests
//! that stand in the way and placing those in turn (the ejection pool of Nagata and Bräysy's route
//! minimisation, without its squeeze step). A request that keeps getting in the way gains a
//! penalty, so the ejections go round instead of back and forth. vrp-core's search trades buses
//! for distance slowly: on the Solomon R1 and RC1 instances it ends a bus or more above the best
//! known. Seeded and bounded by work (stops timed), not by the clock: one seed, one plan.
use std::ops::RangeInclusive;

use crate::model::{Plan, Problem};
use crate::parallel::{seeded_runs, take_best};
use crate::polish::{
    Judge, Route, distance_or_empty, place_where_cheapest, requests_of, routes_of, unless_faulted,
    without,
};
use crate::rng::SplitMix;

/// Requests ejected at once from the route that takes a blocked one, and at most when that many
/// free no room (rare, and costly: a route of 10 has 55 ways to eject two and 120 to eject three).
const MAX_EJECTED: usize = 2;
const MAX_EJECTED_AT_MOST: usize = 3;
/// Random relocations after each ejection: they change which requests block which.
const SHAKES: usize = 50;

/// Runs of `fewer_routes` from one plan, each with its own seed and all of the work, side by side
/// on two threads: one run left the other core idle, and whether a route can be emptied within
/// the work depends much on the seed (Solomon R110 went from 12 buses to 10 or 11, RC102 from 14
/// to 12 or 13). On one thread `reduce` takes twice its share of the time budget.
const SEARCHES: usize = 2;

/// The best of `SEARCHES` runs of `fewer_routes` (see `parallel`), each with `max_stops_timed`.
pub fn best_of_fewer_routes(
    problem: &Problem,
    plan: Plan,
    seed: u64,
    max_stops_timed: u64,
    threads: usize,
) -> Plan {
    let runs = seeded_runs(seed, SEARCHES, threads, |_, seed| {
        fewer_routes(problem, plan.clone(), seed, max_stops_timed)
    });
    // Every run panicked: the plan as it came.
    take_best(problem, runs, |run| run).unwrap_or(plan)
}

/// `plan` with as many routes emptied as `max_stops_timed` allows; a plan with unplanned
/// requests is left as it is (planning them comes first).
pub fn fewer_routes(problem: &Problem, plan: Plan, seed: u64, max_stops_timed: u64) -> Plan {
    if !plan.unassigned.is_empty() {
        return plan;
    }
    let mut judge = Judge::with_limit(problem, max_stops_timed);
    let Some(mut routes) = routes_of(&mut judge, &plan) else {
        return plan;
    };
    let mut rng = SplitMix(seed);
    let mut penalties = vec![1u32; problem.requests.len()];
    let before = routes.len();
    let mut failures = 0;
    while routes.len() > 1 && failures < 2 * routes.len() && !judge.exhausted() {
        let victim = rng.below(routes.len());
        match empty_route(&mut judge, &routes, victim, &mut rng, &mut penalties) {
            Some(fewer) => {
                routes = fewer;
                failures = 0;
            }
            None => failures += 1,
        }
    }
    if routes.len() == before {
        return plan;
    }
    unless_faulted(problem, plan, &routes, Vec::new())
}

/// `routes` without the route `victim`, its requests placed on the others; None if a request fits
/// nowhere even with others ejected, or the work is spent. As in Nagata and Bräysy's, an attempt
/// has no limit of its own on the ejections: with one of 1,000, every attempt to take a second bus
/// off Solomon R110 and RC102 ended at the limit with 3-12 requests in the pool; without it,
/// `reduce` took both buses off (BENCHMARKS.md, seventeenth session).
fn empty_route(
    judge: &mut Judge,
    routes: &[Route],
    victim: usize,
    rng: &mut SplitMix,
    penalties: &mut [u32],
) -> Option<Vec<Route>> {
    let mut trial = routes.to_vec();
    let mut pool = requests_of(&trial.remove(victim).order);
    while let Some(request) = pool.pop() {
        if place_where_cheapest(judge, &mut trial, request, None) {
            continue;
        }
        penalties[request] += 1;
        // Three only when none of one or two did: those need not be tried again.
        let ejection = [1..=MAX_EJECTED, MAX_EJECTED + 1..=MAX_EJECTED_AT_MOST]
            .into_iter()
            .find_map(|sizes| least_penalised_ejection(judge, &trial, request, penalties, sizes))?;
        trial[ejection.index] = ejection.route;
        pool.extend(ejection.ejected);
        shake(judge, &mut trial, rng);
        if judge.exhausted() {
            return None;
        }
    }
    Some(trial)
}

/// A route that takes a blocked request once it has ejected others.
struct Ejection {
    /// The ejected requests' penalties, summed.
    penalty: u32,
    /// Which route of the plan, and how it runs afterwards.
    index: usize,
    route: Route,
    ejected: Vec<usize>,
}

/// The route that takes `request` after ejecting some of its requests (as many as one of `sizes`)
/// with the least penalty between them (then the shortest route). The ways to eject are tried by
/// penalty, so that once one frees room only those with the same penalty are still tried.
fn least_penalised_ejection(
    judge: &mut Judge,
    routes: &[Route],
    request: usize,
    penalties: &[u32],
    sizes: RangeInclusive<usize>,
) -> Option<Ejection> {
    let mut ways: Vec<(u32, usize, Vec<usize>)> = routes
        .iter()
        .enumerate()
        .flat_map(|(index, route)| {
            let members = requests_of(&route.order);
            subsets(&members, sizes.clone())
                .into_iter()
                .map(move |ejected| {
                    let penalty = ejected.iter().map(|r| penalties[*r]).sum();
                    (penalty, index, ejected)
                })
        })
        .collect();
    ways.sort_by_key(|(penalty, ..)| *penalty);
    let mut best: Option<Ejection> = None;
    for (penalty, index, ejected) in ways {
        if best.as_ref().is_some_and(|b| penalty > b.penalty) {
            break;
        }
        // Three of 50 requests (Solomon R208) are 19,600 ways per route: the work bounds those too.
        if judge.exhausted() {
            return None;
        }
        let route = &routes[index];
        let rest = without(&route.order, &ejected);
        let Some((order, distance)) = judge.best_insertion(route.vehicle, &rest, request) else {
            continue;
        };
        if best.as_ref().is_none_or(|b| distance < b.route.distance) {
            best = Some(Ejection {
                penalty,
                index,
                route: Route {
                    vehicle: route.vehicle,
                    order,
                    distance,
                },
                ejected,
            });
        }
    }
    best
}

/// Every subset of `members` whose number of elements is in `sizes`.
fn subsets(members: &[usize], sizes: RangeInclusive<usize>) -> Vec<Vec<usize>> {
    let mut all: Vec<Vec<usize>> = vec![Vec::new()];
    for &member in members {
        let grown: Vec<Vec<usize>> = all
            .iter()
            .filter(|s| s.len() < *sizes.end())
            .map(|s| {
                let mut s = s.clone();
                s.push(member);
                s
            })
            .collect();
        all.extend(grown);
    }
    all.retain(|s| sizes.contains(&s.len()));
    all
}

/// Moves random requests to their best place on another random route, whatever the distance.
fn shake(judge: &mut Judge, routes: &mut Vec<Route>, rng: &mut SplitMix) {
    if routes.len() < 2 {
        return;
    }
    for _ in 0..SHAKES {
        let from = rng.below(routes.len());
        let to = (from + 1 + rng.below(routes.len() - 1)) % routes.len();
        let members = requests_of(&routes[from].order);
        let request = members[rng.below(members.len())];
        let rest = without(&routes[from].order, &[request]);
        let Some(rest_distance) = distance_or_empty(judge, routes[from].vehicle, &rest) else {
            continue;
        };
        let Some((order, distance)) =
            judge.best_insertion(routes[to].vehicle, &routes[to].order, request)
        else {
            continue;
        };
        routes[to].order = order;
        routes[to].distance = distance;
        routes[from].order = rest;
        routes[from].distance = rest_distance;
        if routes[from].order.is_empty() {
            routes.remove(from);
            if routes.len() < 2 {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checker::check;
    use crate::polish::polished_c101;

    const WORK: u64 = 200_000_000;

    #[test]
    fn ejections_empty_routes_the_polish_could_not() {
        let (problem, polished) = polished_c101();
        let fewer = fewer_routes(&problem, polished.clone(), 1, WORK);
        assert_eq!(check(&problem, &fewer).violations, vec![]);
        assert_eq!(fewer.unassigned, Vec::<usize>::new());
        assert!(
            fewer.vehicles_used() < polished.vehicles_used(),
            "{} routes, polished {}",
            fewer.vehicles_used(),
            polished.vehicles_used()
        );
        // The best known plan of C101 has 10 routes; fewer cannot exist for its capacity.
        assert!(fewer.vehicles_used() >= 10);
    }

    #[test]
    fn the_best_of_the_runs_is_one_plan_on_any_number_of_threads() {
        let (problem, polished) = polished_c101();
        let work = WORK / 4;
        let best = best_of_fewer_routes(&problem, polished.clone(), 7, work, 2);
        assert_eq!(check(&problem, &best).violations, vec![]);
        assert_eq!(best.unassigned, Vec::<usize>::new());
        // The first run has the solve's seed: the best is never worse than it.
        let first = fewer_routes(&problem, polished.clone(), 7, work);
        let rank = |p: &Plan| (p.vehicles_used(), p.distance(&problem));
        assert!(rank(&best) <= rank(&first));
        assert_eq!(best_of_fewer_routes(&problem, polished, 7, work, 1), best);
    }

    #[test]
    fn the_least_penalised_ejection_is_the_least_of_all_ways_to_eject() {
        let (problem, plan) = polished_c101();
        let mut judge = Judge::new(&problem);
        let routes = routes_of(&mut judge, &plan).expect("feasible");
        let mut rng = SplitMix(11);
        let penalties: Vec<u32> = (0..problem.requests.len())
            .map(|_| 1 + rng.below(4) as u32)
            .collect();
        for (from, route) in routes.iter().enumerate().step_by(3) {
            let request = route.order[route.order.len() / 2].0;
            let mut others = routes.clone();
            others[from].order = without(&route.order, &[request]);
            others[from].distance =
                distance_or_empty(&mut judge, route.vehicle, &others[from].order)
                    .expect("feasible without a stop");
            for sizes in [1..=MAX_EJECTED, MAX_EJECTED + 1..=MAX_EJECTED_AT_MOST] {
                let mut every_way = Vec::new();
                for (index, other) in others.iter().enumerate() {
                    for ejected in subsets(&requests_of(&other.order), sizes.clone()) {
                        let rest = without(&other.order, &ejected);
                        if let Some((_, distance)) =
                            judge.best_insertion(other.vehicle, &rest, request)
                        {
                            let penalty: u32 = ejected.iter().map(|r| penalties[*r]).sum();
                            every_way.push((penalty, distance, index));
                        }
                    }
                }
                let least = every_way
                    .into_iter()
                    .min_by(|a, b| (a.0, a.1).partial_cmp(&(b.0, b.1)).expect("numbers"))
                    .expect("some way");
                let found = least_penalised_ejection(
                    &mut judge,
                    &others,
                    request,
                    &penalties,
                    sizes.clone(),
                )
                .expect("found");
                assert_eq!((found.penalty, found.route.distance, found.index), least);
                assert!(sizes.contains(&found.ejected.len()));
                assert!(!found.ejected.contains(&request));
                let members = requests_of(&found.route.order);
                assert!(members.contains(&request));
                assert!(found.ejected.iter().all(|r| !members.contains(r)));
            }
        }
    }

    #[test]
    fn one_seed_gives_one_plan() {
        let (problem, polished) = polished_c101();
        let first = fewer_routes(&problem, polished.clone(), 7, WORK);
        assert_eq!(fewer_routes(&problem, polished, 7, WORK), first);
    }

    #[test]
    fn a_plan_with_unplanned_requests_is_left_to_the_polish() {
        let (problem, mut plan) = polished_c101();
        let dropped = plan.routes.pop().expect("a route");
        plan.unassigned = dropped.stops.iter().map(|s| s.request).collect();
        assert_eq!(fewer_routes(&problem, plan.clone(), 1, WORK), plan);
    }
}
