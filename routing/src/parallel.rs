//! Seeded runs of one search step, the best plan kept: a step that is single-threaded can then
//! use the other cores. The number of runs and the work of each are fixed, not the number of
//! threads, so one seed gives one plan on any number of threads (more threads only finish it
//! sooner). The first run has the solve's seed and a tie goes to the earlier run.
use crate::model::{Plan, Problem};
use crate::rng::SplitMix;

/// `run` once per seed, up to `threads` of them side by side, each given its position and its
/// seed; the results in the order of their seeds. The first run has `seed`, the others seeds drawn
/// from it. A run that panics is left out.
pub(crate) fn seeded_runs<T: Send>(
    seed: u64,
    runs: usize,
    threads: usize,
    run: impl Fn(usize, u64) -> T + Sync,
) -> Vec<T> {
    let mut draw = SplitMix(seed);
    let seeds: Vec<(usize, u64)> = std::iter::once(seed)
        .chain(std::iter::repeat_with(|| draw.next()))
        .take(runs.max(1))
        .enumerate()
        .collect();
    let run = &run;
    seeds
        .chunks(threads.max(1))
        .flat_map(|side_by_side| {
            std::thread::scope(|scope| {
                let handles: Vec<_> = side_by_side
                    .iter()
                    .map(|&(position, seed)| scope.spawn(move || run(position, seed)))
                    .collect();
                handles
                    .into_iter()
                    .filter_map(|handle| handle.join().ok())
                    .collect::<Vec<_>>()
            })
        })
        .collect()
}

/// The position of the best of `plans`: the fewest unplanned requests, then vehicles, then
/// distance; the earliest of equals.
pub(crate) fn best_plan<'a>(
    problem: &Problem,
    plans: impl IntoIterator<Item = &'a Plan>,
) -> Option<usize> {
    let rank = |plan: &Plan| {
        (
            plan.unassigned.len(),
            plan.vehicles_used(),
            plan.distance(problem),
        )
    };
    plans
        .into_iter()
        .map(rank)
        .enumerate()
        .reduce(|best, next| if next.1 < best.1 { next } else { best })
        .map(|(position, _)| position)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::polish::polished_c101;

    #[test]
    fn each_run_has_its_own_seed_the_first_the_given_one_on_any_number_of_threads() {
        let seeds = seeded_runs(42, 3, 3, |_, seed| seed);
        assert_eq!(seeds.len(), 3);
        assert_eq!(seeds[0], 42);
        assert_ne!(seeds[1], seeds[2]);
        for threads in [0, 1, 2, 4] {
            assert_eq!(seeded_runs(42, 3, threads, |_, seed| seed), seeds);
        }
        assert_eq!(seeded_runs(42, 0, 2, |_, seed| seed), vec![42]);
        assert_eq!(seeded_runs(42, 3, 2, |position, _| position), [0, 1, 2]);
    }

    #[test]
    fn the_best_plan_has_fewer_unplanned_then_fewer_vehicles_then_less_distance() {
        let (problem, plan) = polished_c101();
        let mut fewer_routes = plan.clone();
        let dropped = fewer_routes.routes.pop().expect("a route");
        let mut unplanned = fewer_routes.clone();
        unplanned.unassigned = dropped.stops.iter().map(|s| s.request).collect();
        // Fewer vehicles, and a request unplanned: the complete plan wins.
        assert_eq!(best_plan(&problem, [&unplanned, &plan]), Some(1));
        assert_eq!(best_plan(&problem, [&plan, &plan]), Some(0));
        assert_eq!(best_plan(&problem, []), None);
    }
}
