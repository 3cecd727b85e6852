//! Seeded runs of one search step, the best plan kept: a step that is single-threaded can then
//! use the other cores. The number of runs and the work of each are fixed, not the number of
//! threads, so one seed gives one plan on any number of threads (more threads only finish it
//! sooner). The first run has the solve's seed and a tie goes to the earlier run.
use crate::model::{Plan, Problem};
use crate::rng::SplitMix;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};

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
    let seeds: Vec<u64> = std::iter::once(seed)
        .chain(std::iter::repeat_with(|| draw.next()))
        .take(runs.max(1))
        .collect();
    // Each thread takes the next run as soon as it is free: runs take unequal time (a search
    // gives up early, another spends all its work), and a thread that waited for its partner
    // would leave a core idle.
    let next = AtomicUsize::new(0);
    let (run, next, seeds) = (&run, &next, &seeds);
    let mut done: Vec<(usize, T)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.clamp(1, seeds.len()))
            .map(|_| {
                scope.spawn(move || {
                    let mut mine = Vec::new();
                    loop {
                        let position = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&seed) = seeds.get(position) else {
                            break;
                        };
                        // A run that panics is left out; the thread goes on with the next.
                        if let Ok(result) = catch_unwind(AssertUnwindSafe(|| run(position, seed))) {
                            mine.push((position, result));
                        }
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .filter_map(|worker| worker.join().ok())
            .flatten()
            .collect()
    });
    done.sort_by_key(|(position, _)| *position);
    done.into_iter().map(|(_, result)| result).collect()
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

/// The run whose plan (`plan_of`) is best by `best_plan`, taken out of `runs`; None if there are
/// no runs (each one panicked).
pub(crate) fn take_best<T>(
    problem: &Problem,
    mut runs: Vec<T>,
    plan_of: impl Fn(&T) -> &Plan,
) -> Option<T> {
    let best = best_plan(problem, runs.iter().map(plan_of))?;
    Some(runs.swap_remove(best))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::polish::polished_c101;

    #[test]
    fn a_run_that_panics_is_left_out_and_the_others_still_run() {
        for threads in [1, 2, 4] {
            let runs = seeded_runs(42, 4, threads, |position, _| {
                assert_ne!(position, 1, "a run that fails");
                position
            });
            assert_eq!(runs, [0, 2, 3], "{threads} threads");
        }
    }

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

        let runs = vec![("unplanned", unplanned), ("complete", plan)];
        let best = take_best(&problem, runs, |(_, plan)| plan).map(|(name, _)| name);
        assert_eq!(best, Some("complete"));
        let none: Vec<Plan> = Vec::new();
        assert!(take_best(&problem, none, |plan| plan).is_none());
    }
}
