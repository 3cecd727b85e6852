//! The solver behind our `Solver` trait: vrp-core's evolutionary search, with our own feature
//! for what vrp-core does not know (maximum ride time per passenger, driver shift length).
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use vrp_core::construction::features::create_minimize_tours_feature;
use vrp_core::construction::heuristics::{
    ActivityContext, AllRouteSelector, BestResultSelector, InsertionHeuristic, JobSelector,
    LegSelection, ResultSelection,
};
use vrp_core::models::common::{MultiDimLoad, TimeWindow};
use vrp_core::models::problem::Single;
use vrp_core::models::solution::Activity;
use vrp_core::prelude::*;
use vrp_core::rosomaxa::HeuristicContext;
use vrp_core::rosomaxa::evolution::InitialOperators;
use vrp_core::rosomaxa::termination::Termination;
use vrp_core::rosomaxa::utils::{Parallelism, RandomGen, random_stream_next, with_random_stream};
use vrp_core::solver::search::ConfigurableRecreate;
use vrp_core::solver::{RecreateInitialOperator, RefinementContext};

use crate::model::{Load, Plan, Problem, RequestKind, StopKind, Time, Visit, Window};
use crate::schedule::{plan_route, ride_times, timeline_into};
use crate::solver::{Progress, SolveError, SolveOptions, Solver, Stopped, validate};

/// How many solutions vrp-core improves side by side in each generation. Fixed, so that the
/// plan for a seed does not depend on how many threads the machine gives the search (those only
/// make it faster).
const SEARCH_WIDTH: usize = 2;

/// How often a running solve reports its progress.
const PROGRESS_INTERVAL: std::time::Duration = std::time::Duration::from_millis(200);

custom_dimension!(StopTag typeof (usize, StopKind));
custom_dimension!(VehicleIndex typeof usize);

/// vrp-core with a minimise-unassigned, minimise-vehicles, minimise-distance goal.
#[derive(Default)]
pub struct VrpCoreSolver;

impl Solver for VrpCoreSolver {
    fn solve(
        &self,
        problem: &Problem,
        options: &SolveOptions,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<Plan, SolveError> {
        validate(problem)?;
        if problem.requests.is_empty() || problem.vehicles.is_empty() {
            return Ok(Plan {
                routes: Vec::new(),
                unassigned: (0..problem.requests.len()).collect(),
            });
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(options.threads.max(1))
            .build()
            .map_err(|e| SolveError::Solver(e.to_string()))?;
        // vrp-core records progress in a slot; a watcher hands it to `progress` while the search
        // runs (the callback is borrowed, so it cannot live inside the search itself).
        let latest: Arc<Mutex<Option<Progress>>> = Arc::new(Mutex::new(None));
        let done = AtomicBool::new(false);
        let last_seen = || latest.lock().ok().and_then(|g| *g);
        let result = std::thread::scope(|scope| {
            scope.spawn(|| {
                while !done.load(Ordering::Relaxed) {
                    if let Some(p) = last_seen() {
                        progress(p);
                    }
                    std::thread::sleep(PROGRESS_INTERVAL);
                }
            });
            // The seed starts the random stream of the thread the search runs on; its parallel
            // steps derive their items' streams from it (our fork of rosomaxa).
            // Set also when the search panics: the scope waits for the watcher before unwinding.
            let _done = SetOnDrop(&done);
            pool.install(|| {
                with_random_stream(options.seed, || run(problem, options, latest.clone()))
            })
        });
        progress(Progress {
            fraction: 1.0,
            ..last_seen().unwrap_or(Progress {
                fraction: 1.0,
                generation: 0,
                stopped: None,
            })
        });
        result
    }
}

/// Sets its flag when dropped.
struct SetOnDrop<'a>(&'a AtomicBool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

fn run(
    problem: &Problem,
    options: &SolveOptions,
    latest: Arc<Mutex<Option<Progress>>>,
) -> Result<Plan, SolveError> {
    let started = Instant::now();
    let vrp = vrp_problem(problem)?;
    let environment = environment();
    let phases = Phases::of(options);
    let limits = |phase: Phase| Limits {
        started,
        options: options.clone(),
        phase,
        latest: latest.clone(),
    };
    let first = search(&vrp, &environment, problem, None, limits(phases.first))?;
    // Our constraint guards insertions; other moves of the search may still break a ride.
    let first = crate::edit::repair(problem, plan_from(problem, &first)?);
    let Some(second) = phases.second else {
        return Ok(first);
    };
    let unreduced = first.clone();
    let fewer = crate::reduce::best_of_fewer_routes(
        problem,
        first,
        options.seed,
        work(options, REDUCE_SHARE),
        options.threads,
    );
    // When `reduce` took no bus off, the second search's plan is the better start for both.
    let unreduced = (unreduced.requests_per_route() > LONG_ROUTE
        && unreduced.vehicles_used() > fewer.vehicles_used())
    .then_some(unreduced);
    let start = insertion_context(&vrp, &fewer, environment.clone())?;
    // The first search may have gone past its generation limit (riders unplanned).
    let second = Phase {
        generations_before: latest
            .lock()
            .ok()
            .and_then(|p| *p)
            .map_or(0, |p| p.generation),
        ..second
    };
    let second = search(&vrp, &environment, problem, Some(start), limits(second))?;
    let second = crate::edit::repair(problem, plan_from(problem, &second)?);
    let stop = || {
        options.cancel.load(Ordering::Relaxed)
            || started.elapsed() >= options.time_budget.mul_f64(SHORTEN_END)
    };
    let shortened = crate::shorten::best_of_shorter_routes(
        problem,
        second,
        unreduced.as_ref(),
        options.seed,
        work(options, SHORTEN_SHARE),
        options.threads,
        &stop,
    );
    if shortened.interrupted
        && let Ok(mut slot) = latest.lock()
        && let Some(progress) = slot.as_mut()
    {
        progress.stopped = Some(if options.cancel.load(Ordering::Relaxed) {
            Stopped::Cancelled
        } else {
            Stopped::TimeBudget
        });
    }
    Ok(shortened.plan)
}

/// `problem` as vrp-core's: our requests and vehicles, our goal and our constraints.
fn vrp_problem(problem: &Problem) -> Result<Arc<vrp_core::models::Problem>, SolveError> {
    let err = |e: GenericError| SolveError::Solver(e.to_string());
    let transport: Arc<dyn TransportCost> = Arc::new(
        SimpleTransportCost::new(
            problem.travel.durations().to_vec(),
            problem.travel.distances().to_vec(),
        )
        .map_err(err)?,
    );
    let shared = Arc::new(problem.clone());
    let goal = goal(transport.clone(), &shared).map_err(err)?;
    Ok(Arc::new(
        ProblemBuilder::default()
            .add_jobs(jobs(problem).map_err(err)?.into_iter())
            .add_vehicles(vehicles(problem).map_err(err)?.into_iter())
            .with_goal(goal)
            .with_transport_cost(transport)
            .build()
            .map_err(err)?,
    ))
}

/// No quota: vrp-core would consult it inside its moves, and a move cut short by the clock is a
/// different move on every run. The limits are checked between generations instead.
fn environment() -> Arc<Environment> {
    Arc::new(Environment::new(
        Arc::new(StreamRandom),
        None,
        Parallelism::new_with_cpus(SEARCH_WIDTH),
        Arc::new(|_: &str| {}),
        false,
    ))
}

/// One run of vrp-core's search on `vrp`, from `start` or from solutions it builds itself.
fn search(
    vrp: &Arc<vrp_core::models::Problem>,
    environment: &Arc<Environment>,
    problem: &Problem,
    start: Option<InsertionContext>,
    limits: Limits,
) -> Result<Solution, SolveError> {
    let err = |e: GenericError| SolveError::Solver(e.to_string());
    let builder = VrpConfigBuilder::new(vrp.clone())
        .set_environment(environment.clone())
        .prebuild()
        .map_err(err)?;
    let builder = match start {
        Some(start) => builder.with_init_solutions(vec![start], Some(1)),
        None if is_large(problem) => {
            builder.with_initial(1, INITIAL_QUOTA, chunked_construction(problem))
        }
        None => builder.with_init_solutions(Vec::new(), Some(SMALL_INITIAL_SOLUTIONS)),
    };
    let config = builder
        .with_termination(Box::new(limits))
        .build()
        .map_err(err)?;
    vrp_core::solver::Solver::new(vrp.clone(), config)
        .solve()
        .map_err(err)
}

/// vrp-core's solution context holding `plan`, so that a search can start from it.
fn insertion_context(
    vrp: &Arc<vrp_core::models::Problem>,
    plan: &Plan,
    environment: Arc<Environment>,
) -> Result<InsertionContext, SolveError> {
    let mut singles: std::collections::HashMap<Tag, Arc<Single>> = Default::default();
    for job in vrp.jobs.all().iter() {
        let parts = match job {
            Job::Single(single) => vec![single.clone()],
            Job::Multi(multi) => multi.jobs.clone(),
        };
        for single in parts {
            if let Some(tag) = single.dimens.get_stop_tag() {
                singles.insert(*tag, single.clone());
            }
        }
    }
    let unknown = || SolveError::Solver("a plan the search does not know".into());
    let mut routes = Vec::new();
    for route in &plan.routes {
        let actor = vrp
            .fleet
            .actors
            .iter()
            .find(|a| a.vehicle.dimens.get_vehicle_index() == Some(&route.vehicle))
            .ok_or_else(unknown)?
            .clone();
        let mut tour = vrp_core::models::solution::Tour::new(&actor);
        for stop in &route.stops {
            let single = singles
                .get(&(stop.request, stop.kind))
                .ok_or_else(unknown)?;
            let place = single.places.first().ok_or_else(unknown)?;
            tour.insert_last(Activity {
                place: vrp_core::models::solution::Place {
                    idx: 0,
                    location: place.location.ok_or_else(unknown)?,
                    duration: place.duration,
                    time: place
                        .times
                        .first()
                        .map(|t| t.to_time_window(0.0))
                        .ok_or_else(unknown)?,
                },
                schedule: vrp_core::models::common::Schedule::new(0.0, 0.0),
                job: Some(single.clone()),
                commute: None,
            });
        }
        routes.push(vrp_core::models::solution::Route { actor, tour });
    }
    let unassigned: std::collections::HashSet<usize> = plan.unassigned.iter().copied().collect();
    let solution = Solution {
        cost: Default::default(),
        registry: vrp_core::models::solution::Registry::new(&vrp.fleet, environment.random.clone()),
        routes,
        unassigned: vrp
            .jobs
            .all()
            .iter()
            .filter(|job| job_request(job).is_some_and(|r| unassigned.contains(&r)))
            .map(|job| {
                (
                    job.clone(),
                    vrp_core::construction::heuristics::UnassignmentInfo::Unknown,
                )
            })
            .collect(),
        telemetry: None,
    };
    Ok(InsertionContext::new_from_solution(
        vrp.clone(),
        (solution, None),
        environment,
    ))
}

fn plan_from(problem: &Problem, solution: &Solution) -> Result<Plan, SolveError> {
    let mut routes = Vec::new();
    for route in &solution.routes {
        let vehicle = *route
            .actor
            .vehicle
            .dimens
            .get_vehicle_index()
            .ok_or_else(|| SolveError::Solver("route without our vehicle".into()))?;
        let order: Vec<(usize, StopKind)> = route
            .tour
            .all_activities()
            .filter_map(|a| {
                a.job
                    .as_ref()
                    .and_then(|j| j.dimens.get_stop_tag().copied())
            })
            .collect();
        if order.is_empty() {
            continue;
        }
        routes.push(
            plan_route(problem, vehicle, &order)
                .ok_or_else(|| SolveError::Solver("route with an unknown stop".into()))?,
        );
    }
    routes.sort_by_key(|r| r.vehicle);
    let mut unassigned: Vec<usize> = solution
        .unassigned
        .iter()
        .filter_map(|(job, _)| job_request(job))
        .collect();
    unassigned.sort_unstable();
    Ok(Plan { routes, unassigned })
}

fn job_request(job: &Job) -> Option<usize> {
    let single = match job {
        Job::Single(single) => single.clone(),
        Job::Multi(multi) => multi.jobs.first()?.clone(),
    };
    single.dimens.get_stop_tag().map(|(request, _)| *request)
}

fn goal(transport: Arc<dyn TransportCost>, problem: &Arc<Problem>) -> GenericResult<GoalContext> {
    let mut features = vec![
        MinimizeUnassignedBuilder::new("min-unassigned").build()?,
        create_minimize_tours_feature("min-tours")?,
        TransportFeatureBuilder::new("min-distance")
            .set_transport_cost(transport)
            .set_time_constrained(true)
            .build_minimize_distance()?,
        CapacityFeatureBuilder::<MultiDimLoad>::new("capacity").build()?,
    ];
    let needs_ride_feature = problem.vehicles.iter().any(|v| v.max_duration.is_some())
        || problem.requests.iter().any(|r| r.max_ride().is_some());
    if needs_ride_feature {
        features.push(
            FeatureBuilder::default()
                .with_name("ride-and-shift")
                .with_constraint(RideAndShift {
                    problem: problem.clone(),
                    code: ViolationCode(1001),
                })
                .with_state(StopTags)
                .build()?,
        );
    }
    GoalContextBuilder::with_features(&features)?.build()
}

fn load(l: Load) -> MultiDimLoad {
    MultiDimLoad::new(vec![l.seats, l.wheelchairs])
}

fn single(
    id: &str,
    visit: &Visit,
    tag: (usize, StopKind),
    demand: Demand<MultiDimLoad>,
) -> GenericResult<Single> {
    SingleBuilder::default()
        .id(id)
        .demand(demand)
        .location(visit.location)?
        .duration(visit.service)?
        .times(vec![TimeWindow::new(visit.window.start, visit.window.end)])?
        .dimension(|d| {
            d.set_stop_tag(tag);
        })
        .build()
}

fn jobs(problem: &Problem) -> GenericResult<Vec<Job>> {
    let none = MultiDimLoad::default();
    problem
        .requests
        .iter()
        .enumerate()
        .map(|(index, request)| {
            let amount = load(request.load);
            match &request.kind {
                RequestKind::Delivery { visit } => {
                    let demand = Demand {
                        pickup: (none, none),
                        delivery: (amount, none),
                    };
                    let job = single(&request.id, visit, (index, StopKind::Delivery), demand)?;
                    Ok(Job::Single(Arc::new(job)))
                }
                RequestKind::Ride {
                    pickup, dropoff, ..
                } => MultiBuilder::default()
                    .id(&request.id)
                    .add_job(single(
                        &format!("{}:pickup", request.id),
                        pickup,
                        (index, StopKind::Pickup),
                        Demand {
                            pickup: (none, amount),
                            delivery: (none, none),
                        },
                    )?)
                    .add_job(single(
                        &format!("{}:dropoff", request.id),
                        dropoff,
                        (index, StopKind::Dropoff),
                        Demand {
                            pickup: (none, none),
                            delivery: (none, amount),
                        },
                    )?)
                    .build_as_job(),
            }
        })
        .collect()
}

fn vehicles(problem: &Problem) -> GenericResult<Vec<vrp_core::models::problem::Vehicle>> {
    problem
        .vehicles
        .iter()
        .enumerate()
        .map(|(index, v)| {
            VehicleBuilder::default()
                .id(&v.id)
                .add_detail(
                    VehicleDetailBuilder::default()
                        .set_start_location(v.start)
                        .set_start_time(v.window.start)
                        .set_end_location(v.end)
                        .set_end_time(v.window.end)
                        .build()?,
                )
                .capacity(load(v.capacity))
                .dimension(|d| {
                    d.set_vehicle_index(index);
                })
                .build()
        })
        .collect()
}

/// Maximum ride time and shift length, judged on the same timeline the plan will carry.
struct RideAndShift {
    problem: Arc<Problem>,
    code: ViolationCode,
}

/// Which of our stops each activity of a route is (`None` for its start and end), kept with the
/// route so that weighing a move reads a slice instead of every activity's dimensions.
struct StopTags;

type Tag = (usize, StopKind);

fn tag_of(activity: &Activity) -> Option<Tag> {
    activity
        .job
        .as_ref()
        .and_then(|j| j.dimens.get_stop_tag().copied())
}

/// Buffers for weighing moves, reused across the many a search weighs on one thread.
#[derive(Default)]
struct Scratch {
    order: Vec<Tag>,
    visits: Vec<Visit>,
    times: Vec<(Time, Time, Time)>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

impl FeatureState for StopTags {
    // vrp-core leaves each feature to refresh its own state of the route a job went into.
    fn accept_insertion(&self, solution_ctx: &mut SolutionContext, route_index: usize, _: &Job) {
        if let Some(route_ctx) = solution_ctx.routes.get_mut(route_index) {
            self.accept_route_state(route_ctx);
        }
    }

    fn accept_route_state(&self, route_ctx: &mut RouteContext) {
        let tags: Vec<Option<Tag>> = route_ctx
            .route()
            .tour
            .all_activities()
            .map(tag_of)
            .collect();
        route_ctx.state_mut().set_tour_state::<StopTags, _>(tags);
    }

    // ... and the routes its moves changed (marked stale) before the next insertions.
    fn accept_solution_state(&self, solution_ctx: &mut SolutionContext) {
        for route_ctx in solution_ctx.routes.iter_mut().filter(|r| r.is_stale()) {
            self.accept_route_state(route_ctx);
        }
    }
}

/// The route's stops in order with the move's target among them, into `scratch`.
fn stops_with_move(
    route_ctx: &RouteContext,
    activity_ctx: &ActivityContext,
    scratch: &mut Scratch,
) {
    let tour = &route_ctx.route().tour;
    // A route changed since its state was kept (none known to reach here) reads each stop.
    let cached = route_ctx
        .state()
        .get_tour_state::<StopTags, Vec<Option<Tag>>>()
        .filter(|tags| tags.len() == tour.total());
    scratch.order.clear();
    scratch.visits.clear();
    let mut push = |tag: Option<Tag>, activity: &Activity| {
        if let Some(tag) = tag {
            scratch.order.push(tag);
            scratch.visits.push(Visit {
                location: activity.place.location,
                window: Window::new(activity.place.time.start, activity.place.time.end),
                service: activity.place.duration,
            });
        }
    };
    for (index, activity) in tour.all_activities().enumerate() {
        let tag = match cached {
            Some(tags) => tags[index],
            None => tag_of(activity),
        };
        push(tag, activity);
        if std::ptr::eq(activity, activity_ctx.prev) {
            push(tag_of(activity_ctx.target), activity_ctx.target);
        }
    }
}

impl FeatureConstraint for RideAndShift {
    fn evaluate(&self, move_ctx: &MoveContext<'_>) -> Option<ConstraintViolation> {
        let MoveContext::Activity {
            route_ctx,
            activity_ctx,
        } = move_ctx
        else {
            return None;
        };
        let vehicle =
            &self.problem.vehicles[*route_ctx.route().actor.vehicle.dimens.get_vehicle_index()?];
        let fits = SCRATCH.with_borrow_mut(|scratch| {
            stops_with_move(route_ctx, activity_ctx, scratch);
            let (departure, arrival) = timeline_into(
                &self.problem.travel,
                vehicle,
                &scratch.visits,
                &mut scratch.times,
            );
            let shift_ok = vehicle
                .max_duration
                .is_none_or(|max| arrival - departure <= max + crate::model::EPSILON);
            shift_ok
                && ride_times(&scratch.order, &scratch.times).all(|(request, ride)| {
                    self.problem.requests[request]
                        .max_ride()
                        .is_none_or(|max| ride <= max + crate::model::EPSILON)
                })
        });
        if fits {
            None
        } else {
            // Another position in this route may still fit: do not stop the search here.
            ConstraintViolation::skip(self.code)
        }
    }
}

/// How many starting solutions the search builds for a small problem (the Solomon and Cordeau
/// instances) before it evolves them: vrp-core's usual four, from its usual construction
/// heuristics. vrp-core stops building them after a share of the time budget, which is not
/// repeatable; a count is.
const SMALL_INITIAL_SOLUTIONS: usize = 4;

/// vrp-core's share of the budget for building starting solutions, checked before each one. With
/// a generation limit our `Limits` estimate follows the generations (none have run yet), so a
/// repeatable plan always gets all its starts; under a time budget alone the clock decides.
const INITIAL_QUOTA: f64 = 0.05;

/// How many requests the chunked construction weighs against each other for each insertion.
const CONSTRUCTION_CHUNK: usize = 8;

/// A large day (many requests) starts from one solution built by chunked construction.
fn is_large(problem: &Problem) -> bool {
    problem.requests.len() > 150
}

/// One starting solution, built by inserting the cheapest of a few requests at a time.
/// vrp-core's cheapest insertion weighs every open request at every step, quadratic in the
/// requests: on the 300-rider day it took 29 s of a 30 s budget (upstream cut it short by the
/// clock, which is not repeatable). Weighing a chunk at a time is linear in the requests.
fn chunked_construction(
    problem: &Problem,
) -> InitialOperators<RefinementContext, GoalContext, InsertionContext> {
    let recreate = ConfigurableRecreate::new(
        Box::new(HardestFirst {
            difficulty: problem
                .requests
                .iter()
                .map(|r| difficulty(problem, r))
                .collect(),
            chunk: CONSTRUCTION_CHUNK,
        }),
        Box::<AllRouteSelector>::default(),
        LegSelection::Exhaustive,
        ResultSelection::Concrete(Box::<BestResultSelector>::default()),
        InsertionHeuristic::default(),
    );
    vec![(
        Box::new(RecreateInitialOperator::new(Arc::new(recreate))),
        1,
    )]
}

/// Selects the few open jobs that are hardest to place.
struct HardestFirst {
    /// Per request: higher is harder.
    difficulty: Vec<(i32, u64)>,
    chunk: usize,
}

impl HardestFirst {
    fn key(&self, job: &Job) -> std::cmp::Reverse<(i32, u64)> {
        std::cmp::Reverse(
            job_request(job)
                .and_then(|request| self.difficulty.get(request).copied())
                .unwrap_or_default(),
        )
    }
}

impl JobSelector for HardestFirst {
    fn prepare(&self, insertion_ctx: &mut InsertionContext) {
        let required = &mut insertion_ctx.solution.required;
        // Insertions keep the order of the rest, so this sorts once per construction.
        if !required.is_sorted_by_key(|job| self.key(job)) {
            required.sort_by_cached_key(|job| self.key(job));
        }
    }

    fn select<'a>(
        &'a self,
        insertion_ctx: &'a InsertionContext,
    ) -> Box<dyn Iterator<Item = &'a Job> + 'a> {
        Box::new(insertion_ctx.solution.required.iter().take(self.chunk))
    }
}

/// Wheelchair riders first (their places are scarce), then the longest direct rides (the
/// fewest detours fit their maximum ride time).
fn difficulty(problem: &Problem, request: &crate::model::Request) -> (i32, u64) {
    let direct = match &request.kind {
        RequestKind::Ride {
            pickup, dropoff, ..
        } => problem.travel.duration(pickup.location, dropoff.location),
        RequestKind::Delivery { .. } => 0.0,
    };
    // The bits of a non-negative float order as the float does.
    (request.load.wheelchairs, direct.max(0.0).to_bits())
}

/// How a solve spends its time budget, in shares of it: the first search ends at `FIRST_END`;
/// emptying routes (`reduce`, bounded by work) takes about `REDUCE_SHARE`; a short second search
/// settles the plan with fewer routes until `SECOND_END` (on to `UNPLANNED_END` while riders are
/// unplanned); then ruin and recreate (`shorten`, bounded by work: `SHORTEN_SHARE`, shared by two
/// searches, four when long routes give it two starts, two at a time side by side on two threads)
/// plans the riders left out, takes buses off and shortens the routes until `SHORTEN_END` at the
/// latest, and its polish takes the rest. vrp-core alone trades buses for distance slowly, and
/// stalls on long routes where plain ruin and recreate still finds shorter ones. With a generation
/// limit the two vrp-core searches share it as they share the time, so the first has almost all
/// of it.
/// The first search had 0.6 until the fourteenth session. `shorten` shortens faster than vrp-core
/// by far, and with its fleet step and `reduce` the buses held: on all 56 Solomon instances, 0.4
/// (and `shorten` with the time given up) took the instances within 1% of the best known from 29
/// to 37, with 2 fewer extra buses (BENCHMARKS.md). 0.25 lost a bus on R111 then. 0.3 since the
/// seventeenth session, when `reduce` took the buses off that vrp-core's search had left: with
/// `shorten` given the second freed (`SHORTEN_SHARE`), two runs of the 20 Solomon R1 and RC1
/// instances came to +1.13% and +1.45% at the best-known count (2 and 3 buses over), against
/// +1.38% and +1.47% (3 and 2 over) with 0.4; two full runs came to 54 and 52 of 56 at the
/// best-known count, +0.94% and +0.63% there.
const FIRST_END: f64 = 0.3;
const REDUCE_SHARE: f64 = 0.1;
const SECOND_END: f64 = 0.42;
/// Raised from 0.45 when its rounds got over ten times cheaper (insertions priced before they are
/// timed, thirteenth session), to 1.0 when the first search was shortened (fourteenth) and to 1.3
/// when it was shortened again (seventeenth): the work for the time `shorten` had until
/// `SHORTEN_END` on this machine. Since one-stop insertions are no longer sorted (nineteenth
/// session) Solomon solves end at 6.4-8.2 s of 10, R2 and RC2 by their work too. 1.9 would fill the
/// time again (8.0-9.4 s; one run of all 56: +0.82% against +0.98% with 1.3, within the spread),
/// and gave nothing clear on long routes only (twenty-first session); more work there only pays
/// when the vrp-core searches leave it the time (twenty-second).
const SHORTEN_SHARE: f64 = 1.3;
/// Where the second search ends at the latest while riders are unplanned. `shorten` plans riders
/// too (since the thirteenth session): on 12 Cordeau instances, ending here left 1 rider unplanned,
/// where going on until `SHORTEN_END` left 9.
const UNPLANNED_END: f64 = 0.8;
/// Where `shorten` stops at the latest, whatever work it has left (its final polish follows).
const SHORTEN_END: f64 = 0.93;
/// Requests per bus above which, when `reduce` took a bus off, every other `shorten` search starts
/// from the plan before `reduce`. On long routes `reduce` takes the bus off by force and leaves the
/// others much longer (Solomon RC202: from about 1,300 to 1,800 km), and `shorten`, which ends by
/// the clock there, does not make up for it (1,434-1,477 km against the best known 1,367). From
/// the plan before `reduce`, its own fleet step takes the bus off with shorter routes. On the 19
/// Solomon R2 and RC2 instances (25-50 requests a bus) the gap to the best known went from
/// +1.56-1.91% in five runs (mean +1.65%) to +0.99-1.91% in six (mean +1.31%): a modest gain
/// within a large spread. On short routes (Solomon R1 and RC1, 8-12 requests a bus) the reduced
/// plan needs both searches to keep its bus count (BENCHMARKS.md, fifteenth and sixteenth
/// sessions). A search from the plan before `reduce` whose fleet step fails goes on from the plan
/// after it (twentieth session). With the two starts `shorten` runs four searches instead of two
/// (`shorten::SEARCHES_WITH_ANOTHER_START`, twenty-first session).
const LONG_ROUTE: usize = 20;
/// Our steps are bounded by work (stops timed and insertions priced), converted from their share
/// of the budget at a fixed rate, so that the plan does not depend on the machine's speed. This
/// machine (see BENCHMARKS.md) does about 85 million a second, so `shorten`'s searches on two
/// threads take at most about a third of the budget there (less when they give up first).
const STOPS_TIMED_PER_SECOND: f64 = 50_000_000.0;

/// The work (stops timed) of a step that has `share` of the budget.
fn work(options: &SolveOptions, share: f64) -> u64 {
    let budget = options.work_budget.unwrap_or(options.time_budget);
    (budget.as_secs_f64() * share * STOPS_TIMED_PER_SECOND) as u64
}

/// One search of a solve: it ends at `until` (a share of the time budget) or after `generations`.
#[derive(Clone, Copy)]
struct Phase {
    from: f64,
    until: f64,
    /// Where it may go on to while requests are unplanned (a rider left out is worse than a
    /// longer route, and only the search plans riders that fit nowhere yet).
    until_unplanned: f64,
    generations: Option<usize>,
    /// Generations the phases before this one ran (for the progress).
    generations_before: usize,
}

struct Phases {
    first: Phase,
    /// None: the search has the whole budget and its plan is returned as it is (`improve` off).
    second: Option<Phase>,
}

impl Phases {
    fn of(options: &SolveOptions) -> Phases {
        if !options.improve {
            return Phases {
                first: Phase {
                    from: 0.0,
                    until: 1.0,
                    until_unplanned: 1.0,
                    generations: options.max_generations,
                    generations_before: 0,
                },
                second: None,
            };
        }
        let second_from = FIRST_END + REDUCE_SHARE;
        let first_generations = options.max_generations.map(|max| {
            let share = FIRST_END / (FIRST_END + SECOND_END - second_from);
            ((max as f64 * share).round() as usize).max(1)
        });
        Phases {
            first: Phase {
                from: 0.0,
                until: FIRST_END,
                until_unplanned: FIRST_END,
                generations: first_generations,
                generations_before: 0,
            },
            second: Some(Phase {
                from: second_from,
                until: SECOND_END,
                until_unplanned: UNPLANNED_END,
                generations: options
                    .max_generations
                    .zip(first_generations)
                    .map(|(max, first)| max.saturating_sub(first).max(1)),
                generations_before: 0,
            }),
        }
    }
}

/// A search that reaches its generation limit with requests still unplanned goes on, up to this
/// many times the limit (and within the time budget): a rider left out is worse than a longer
/// wait, and since the stop depends only on the search itself, a seed still gives one plan.
const UNPLANNED_EXTENSION: usize = 3;

/// Ends a search between two generations: at its phase's generation limit (extended while requests
/// are unplanned), at the end of its phase of the time budget, or on cancel; records the progress
/// as it goes. Its estimate, which steers vrp-core's search phases, follows the generations when
/// there is a generation limit, so that the clock never changes the path of a repeatable search.
struct Limits {
    /// When the solve started.
    started: Instant,
    options: SolveOptions,
    phase: Phase,
    latest: Arc<Mutex<Option<Progress>>>,
}

impl Limits {
    /// The share of the whole time budget used so far.
    fn budget_used(&self) -> f64 {
        self.started.elapsed().as_secs_f64() / self.options.time_budget.as_secs_f64().max(1e-3)
    }

    /// How far this search is through its phase of the time budget.
    fn time_fraction(&self) -> f64 {
        let Phase { from, until, .. } = self.phase;
        // Below 0 while the phase starts early (the reduction took less than its share).
        (self.budget_used() - from) / (until - from).max(1e-3)
    }

    fn generation_fraction(&self, generation: usize) -> Option<f64> {
        self.phase
            .generations
            .map(|max| generation as f64 / max.max(1) as f64)
    }

    /// How far the whole solve is, for the progress report.
    fn overall(&self, generation: usize) -> f64 {
        let by_generation = self.options.max_generations.map_or(0.0, |max| {
            (self.phase.generations_before + generation) as f64 / max.max(1) as f64
        });
        self.budget_used().max(by_generation).min(1.0)
    }
}

impl Termination for Limits {
    type Context = RefinementContext;
    type Objective = GoalContext;

    fn is_termination(&self, context: &mut RefinementContext) -> bool {
        let generation = context.statistics().generation;
        let by_generation = self.generation_fraction(generation).unwrap_or(0.0);
        let by_time = self.time_fraction();
        let nothing_unplanned = || {
            context
                .ranked()
                .next()
                .is_none_or(|best| best.solution.unassigned.is_empty())
        };
        let limit_reached = by_generation >= 1.0
            && (by_generation >= UNPLANNED_EXTENSION as f64 || nothing_unplanned());
        let stopped = if self.options.cancel.load(Ordering::Relaxed) {
            Some(Stopped::Cancelled)
        } else if limit_reached {
            Some(Stopped::Generations)
        } else if by_time >= 1.0
            && (self.budget_used() >= self.phase.until_unplanned || nothing_unplanned())
        {
            Some(Stopped::TimeBudget)
        } else {
            None
        };
        if let Ok(mut slot) = self.latest.lock() {
            *slot = Some(Progress {
                fraction: self.overall(generation),
                generation: self.phase.generations_before + generation,
                stopped,
            });
        }
        stopped.is_some()
    }

    fn estimate(&self, context: &RefinementContext) -> Float {
        let generation = context.statistics().generation;
        // Without a generation limit the run is not repeatable anyway: follow the clock.
        self.generation_fraction(generation)
            .unwrap_or_else(|| self.time_fraction())
            .clamp(0.0, 1.0)
    }
}

/// vrp-core's random choices, drawn from the repeatable stream of the thread that makes them
/// (seeded per search and per parallel item by our fork of rosomaxa), so one seed gives one search.
struct StreamRandom;

impl StreamRandom {
    /// Uniform in [0, 1).
    fn unit(&self) -> f64 {
        (random_stream_next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

impl Random for StreamRandom {
    fn uniform_int(&self, min: i32, max: i32) -> i32 {
        if min >= max {
            return min;
        }
        let span = (max as i64 - min as i64 + 1) as u64;
        (min as i64 + (random_stream_next() % span) as i64) as i32
    }

    fn uniform_real(&self, min: Float, max: Float) -> Float {
        if (max - min).abs() < Float::EPSILON {
            return min;
        }
        min + self.unit() * (max - min)
    }

    fn is_head_not_tails(&self) -> bool {
        random_stream_next() & 1 == 1
    }

    fn is_hit(&self, probability: Float) -> bool {
        self.unit() < probability.clamp(0.0, 1.0)
    }

    fn weighted(&self, weights: &[usize]) -> usize {
        weights
            .iter()
            .enumerate()
            .map(|(index, &weight)| (-(1.0 - self.unit()).ln() / weight.max(1) as Float, index))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map_or(0, |(_, index)| index)
    }

    fn get_rng(&self) -> RandomGen {
        RandomGen::new_repeatable()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instances::solomon;
    use crate::model::PlannedRoute;

    #[test]
    fn a_plan_handed_to_the_search_is_the_plan_it_starts_from() {
        let problem =
            solomon(include_str!("../../tests/fixtures/routing/C101.txt")).expect("reads");
        // Two buses with a few customers each, in an order no construction would pick; the
        // rest unplanned.
        let routes: Vec<PlannedRoute> = [(3, vec![5, 2, 7]), (0, vec![40, 41])]
            .into_iter()
            .map(|(vehicle, requests): (usize, Vec<usize>)| {
                let order: Vec<Tag> = requests.iter().map(|r| (*r, StopKind::Delivery)).collect();
                plan_route(&problem, vehicle, &order).expect("a route")
            })
            .collect();
        let planned = [5, 2, 7, 40, 41];
        let plan = Plan {
            routes,
            unassigned: (0..problem.requests.len())
                .filter(|r| !planned.contains(r))
                .collect(),
        };
        let vrp = vrp_problem(&problem).expect("builds");
        let context = insertion_context(&vrp, &plan, environment()).expect("converts");
        let back = plan_from(&problem, &Solution::from(context)).expect("reads back");
        let mut expected = plan;
        expected.routes.sort_by_key(|r| r.vehicle);
        assert_eq!(back, expected);
    }
}
