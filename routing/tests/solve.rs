//! The vrp-core solver behind our trait, on small problems: every plan passes the checker, the
//! custom ride-time constraint binds, and progress is reported.
use std::sync::Mutex;
use std::time::Duration;

use dagstaat_routing::day::{self, Bus, Direction, Passenger, Site};
use dagstaat_routing::instances::{cordeau, solomon};
use dagstaat_routing::{Plan, Problem, SolveOptions, Solver, Stopped, VrpCoreSolver, check};

fn options(generations: usize) -> SolveOptions {
    SolveOptions {
        seed: 7,
        time_budget: Duration::from_secs(20),
        max_generations: Some(generations),
        threads: 1,
        ..SolveOptions::default()
    }
}

/// `options(generations)` with the work of a 20 s budget and a clock that never ends a search
/// first: the plan must not depend on how busy the machine is (other tests run beside these).
fn repeatable(generations: usize) -> SolveOptions {
    SolveOptions {
        time_budget: Duration::from_secs(180),
        work_budget: Some(Duration::from_secs(20)),
        ..options(generations)
    }
}

fn small_day() -> (Vec<Site>, Vec<Passenger>, Vec<Bus>) {
    let sites = vec![
        Site {
            id: 1,
            at: (52.09, 5.12),
        },
        Site {
            id: 2,
            at: (52.15, 5.04),
        },
    ];
    let passengers = (0..24)
        .map(|i| Passenger {
            client_id: i,
            home: (52.05 + 0.01 * (i % 8) as f64, 5.0 + 0.02 * (i / 3) as f64),
            wheelchair: i % 6 == 0,
            site: (i % 2) as usize,
            minute: 540.0,
        })
        .collect();
    let buses = (1..=6)
        .map(|vehicle_id| Bus {
            vehicle_id,
            site: 0,
            seats: 6,
            wheelchair_places: 1,
        })
        .collect();
    (sites, passengers, buses)
}

/// The inbound runs of a day with the default settings.
fn inbound(sites: &[Site], passengers: &[Passenger], buses: &[Bus]) -> Problem {
    day::build(
        Direction::Inbound,
        sites,
        passengers,
        buses,
        &day::Settings::default(),
    )
}

#[test]
fn a_day_is_planned_without_violations_and_within_the_maximum_ride() {
    let (sites, passengers, buses) = small_day();
    let settings = day::Settings {
        max_ride_minutes: 45.0,
        ..day::Settings::default()
    };
    let problem = day::build(Direction::Inbound, &sites, &passengers, &buses, &settings);
    let plan = VrpCoreSolver
        .solve(&problem, &options(600), &|_| {})
        .expect("solves");
    let report = check(&problem, &plan);
    assert_eq!(report.violations, vec![]);
    assert_eq!(report.served, 24, "unassigned: {:?}", plan.unassigned);
    let (_, longest) = report.longest_ride.expect("rides");
    assert!(longest <= 45.0 + 1e-6, "{longest}");
}

#[test]
fn without_our_constraint_rides_would_run_longer() {
    // The same day with a generous maximum: the solver then pools more and rides get longer,
    // which shows the tight maximum above is what kept them short.
    let (sites, passengers, buses) = small_day();
    let tight = day::Settings {
        max_ride_minutes: 30.0,
        ..day::Settings::default()
    };
    let loose = day::Settings {
        max_ride_minutes: 180.0,
        shift_minutes: 600.0,
        ..day::Settings::default()
    };
    let longest = |settings: &day::Settings| {
        let problem = day::build(Direction::Inbound, &sites, &passengers, &buses, settings);
        let plan = VrpCoreSolver
            .solve(&problem, &options(300), &|_| {})
            .expect("solves");
        let report = check(&problem, &plan);
        assert_eq!(report.violations, vec![]);
        report.longest_ride.expect("rides").1
    };
    let (tight_longest, loose_longest) = (longest(&tight), longest(&loose));
    assert!(tight_longest <= 30.0 + 1e-6, "{tight_longest}");
    assert!(loose_longest > 30.0, "{loose_longest}");
}

#[test]
fn progress_is_reported_while_the_search_runs_and_at_the_end() {
    let (sites, passengers, buses) = small_day();
    let problem = inbound(&sites, &passengers, &buses);
    let seen = Mutex::new(Vec::new());
    let budget = SolveOptions {
        max_generations: None,
        time_budget: Duration::from_secs(1),
        ..options(0)
    };
    VrpCoreSolver
        .solve(&problem, &budget, &|p| {
            seen.lock().expect("lock").push(p.fraction)
        })
        .expect("solves");
    let seen = seen.into_inner().expect("lock");
    assert!(
        seen.iter().any(|f| *f > 0.0 && *f < 1.0),
        "reports along the way: {seen:?}"
    );
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "never goes back: {seen:?}"
    );
    assert_eq!(seen.last(), Some(&1.0));
}

/// The generation and the reason of a search's last progress report, and its plan.
fn last_report(problem: &Problem, options: &SolveOptions) -> (usize, Option<Stopped>, Plan) {
    let last = Mutex::new(None);
    let plan = VrpCoreSolver
        .solve(problem, options, &|p| *last.lock().expect("lock") = Some(p))
        .expect("solves");
    let last = last.into_inner().expect("lock").expect("a report");
    (last.generation, last.stopped, plan)
}

#[test]
fn the_search_goes_on_past_its_generation_limit_while_riders_are_unplanned() {
    let (sites, passengers, mut buses) = small_day();
    let problem = inbound(&sites, &passengers, &buses);
    let (generation, stopped, plan) = last_report(&problem, &repeatable(20));
    assert!(plan.unassigned.is_empty(), "{:?}", plan.unassigned);
    assert_eq!((generation, stopped), (20, Some(Stopped::Generations)));

    // No bus takes a wheelchair: those riders can never be planned, and the search gives up
    // at three times its limit, still by generations (so the plan is repeatable).
    buses.iter_mut().for_each(|b| b.wheelchair_places = 0);
    let problem = inbound(&sites, &passengers, &buses);
    let (generation, stopped, plan) = last_report(&problem, &repeatable(20));
    let in_wheelchair: Vec<usize> = (0..passengers.len())
        .filter(|i| passengers[*i].wheelchair)
        .collect();
    assert_eq!(plan.unassigned, in_wheelchair);
    assert_eq!((generation, stopped), (60, Some(Stopped::Generations)));
}

#[test]
fn benchmark_instances_are_read_and_solved_feasibly() {
    let c101 = solomon(include_str!("../../tests/fixtures/routing/C101.txt")).expect("reads");
    assert_eq!((c101.vehicles.len(), c101.requests.len()), (25, 100));
    let plan = VrpCoreSolver
        .solve(&c101, &options(100), &|_| {})
        .expect("solves");
    assert_eq!(check(&c101, &plan).violations, vec![]);

    let a2 = cordeau(include_str!("../../tests/fixtures/routing/a2-16.txt")).expect("reads");
    assert_eq!((a2.vehicles.len(), a2.requests.len()), (2, 16));
    let plan = VrpCoreSolver
        .solve(&a2, &options(1500), &|_| {})
        .expect("solves");
    let report = check(&a2, &plan);
    assert_eq!(report.violations, vec![]);
    assert_eq!(report.served, 16);
}

#[test]
fn malformed_instances_are_refused_with_the_line() {
    assert!(solomon("C1\nVEHICLE\nNUMBER CAPACITY\n 25 x\n").is_err());
    let err = cordeau("2 4 480 3 30\n0 0 0 0 0 0 1440\n1 1 1 3 1 0 nope\n").unwrap_err();
    assert!(err.to_string().contains("line 3"), "{err}");
}

#[test]
fn one_seed_gives_one_plan_on_any_number_of_threads() {
    let c101 = solomon(include_str!("../../tests/fixtures/routing/C101.txt")).expect("reads");
    let (sites, passengers, buses) = small_day();
    let day = inbound(&sites, &passengers, &buses);
    for problem in [&c101, &day] {
        let solve = |threads: usize| {
            let options = SolveOptions {
                threads,
                ..repeatable(150)
            };
            VrpCoreSolver
                .solve(problem, &options, &|_| {})
                .expect("solves")
        };
        let first = solve(1);
        assert_eq!(check(problem, &first).violations, vec![]);
        for threads in [1, 2, 2, 3] {
            // Compared whole; on a difference only the headline is printed.
            let again = solve(threads);
            assert!(
                again == first,
                "{threads} threads: {} vs {} routes, vehicles {:?} vs {:?}",
                again.routes.len(),
                first.routes.len(),
                again.routes.iter().map(|r| r.vehicle).collect::<Vec<_>>(),
                first.routes.iter().map(|r| r.vehicle).collect::<Vec<_>>()
            );
        }
    }
}

#[test]
fn a_large_day_is_built_in_chunks_and_planned_whole_and_repeatably() {
    // Over 150 riders the search starts from the chunked construction instead of vrp-core's
    // usual four starting solutions.
    let (sites, _, _) = small_day();
    let passengers: Vec<Passenger> = (0..180)
        .map(|i| Passenger {
            client_id: i,
            home: (
                52.0 + 0.008 * (i % 20) as f64,
                4.95 + 0.02 * (i / 20) as f64,
            ),
            wheelchair: i % 10 == 0,
            site: (i % 2) as usize,
            minute: 540.0 + 30.0 * (i % 3) as f64,
        })
        .collect();
    let buses: Vec<Bus> = (1..=40)
        .map(|vehicle_id| Bus {
            vehicle_id,
            site: (vehicle_id % 2) as usize,
            seats: 8,
            wheelchair_places: 2,
        })
        .collect();
    let problem = inbound(&sites, &passengers, &buses);
    let solve = |threads: usize| {
        let options = SolveOptions {
            threads,
            ..repeatable(20)
        };
        let (_, stopped, plan) = last_report(&problem, &options);
        assert_eq!(stopped, Some(Stopped::Generations), "{threads} threads");
        plan
    };
    let plan = solve(1);
    let report = check(&problem, &plan);
    assert_eq!(report.violations, vec![]);
    assert_eq!(report.served, 180, "unassigned: {:?}", plan.unassigned);
    assert!(solve(2) == plan, "the same seed plans the same day");
}
