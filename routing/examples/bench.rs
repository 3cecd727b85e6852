//! Route planner benchmark: solves instance files with the given budget and prints one CSV row
//! per instance, each plan verified by the independent checker.
//!
//!   cargo run --release -p dagstaat-routing --example bench -- solomon <file>... --seconds 10
//!   cargo run --release -p dagstaat-routing --example bench -- darp <file>... --seconds 10
//!   cargo run --release -p dagstaat-routing --example bench -- day --seconds 30
//!
//! `day` is a realistic synthetic day: 300 transport clients within about 15 km of two locations
//! 9 km apart (one starting at 9:00, the other at 10:00), 30 buses (8 seats, or half of them 6 seats and two
//! wheelchair places), a tenth of the clients in a wheelchair, arrivals in the hour before the start, 4-hour driver shifts;
//! inbound and outbound runs are planned separately. `--clients N` scales it (a bus per ten clients).
use std::time::{Duration, Instant};

use dagstaat_routing::day::{self, Bus, Direction, Passenger, Site};
use dagstaat_routing::instances::{cordeau, solomon};
use dagstaat_routing::{Problem, SolveOptions, Solver, VrpCoreSolver, check};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((format, rest)) = args.split_first() else {
        eprintln!(
            "usage: bench solomon|darp|day <file>... [--seconds S] [--generations G] [--threads N] [--seed N] [--clients N] [--vrp-core-only]"
        );
        std::process::exit(2);
    };
    let mut files = Vec::new();
    let mut options = SolveOptions::default();
    let mut clients = 300;
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
        match arg.as_str() {
            "--seconds" => options.time_budget = Duration::from_secs_f64(value()),
            "--threads" => options.threads = value() as usize,
            "--seed" => options.seed = value() as u64,
            "--generations" => options.max_generations = Some(value() as usize),
            "--clients" => clients = value() as i32,
            "--vrp-core-only" => options.improve = false,
            file => files.push(file.to_owned()),
        }
    }
    println!("instance,vehicles,distance,unassigned,violations,longest_ride,seconds");
    let problems: Vec<(String, Problem)> = if format == "day" {
        let (sites, inbound, outbound, buses) = synthetic_day(clients);
        let settings = day::Settings {
            arrival_window_minutes: 60.0,
            departure_window_minutes: 60.0,
            shift_minutes: 240.0,
            ..day::Settings::default()
        };
        vec![
            (
                "day-inbound".into(),
                day::build(Direction::Inbound, &sites, &inbound, &buses, &settings),
            ),
            (
                "day-outbound".into(),
                day::build(Direction::Outbound, &sites, &outbound, &buses, &settings),
            ),
        ]
    } else {
        files
            .iter()
            .map(|file| (file.clone(), read(format, file)))
            .collect()
    };
    for (file, problem) in problems {
        let started = Instant::now();
        let last = std::sync::Mutex::new(None);
        let plan = VrpCoreSolver
            .solve(&problem, &options, &|p| {
                if let Ok(mut last) = last.lock() {
                    *last = Some(p);
                }
            })
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let last = last.into_inner().ok().flatten();
        let wheelchairs_left = plan
            .unassigned
            .iter()
            .filter(|r| problem.requests[**r].load.wheelchairs > 0)
            .count();
        eprintln!(
            "{file}: {} generations, stopped by {:?}, {wheelchairs_left} of the unassigned in a wheelchair",
            last.map_or(0, |p| p.generation),
            last.and_then(|p| p.stopped)
        );
        let seconds = started.elapsed().as_secs_f64();
        let report = check(&problem, &plan);
        let name = std::path::Path::new(&file)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or(&file);
        println!(
            "{name},{},{:.2},{},{},{:.1},{seconds:.1}",
            report.vehicles_used,
            report.distance,
            report.unassigned,
            report.violations.len(),
            report.longest_ride.map_or(0.0, |(_, t)| t),
        );
        for violation in report.violations.iter().take(3) {
            eprintln!("{name}: {violation:?}");
        }
    }
}

fn read(format: &str, file: &str) -> Problem {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{file}: {e}"));
    match format {
        "solomon" => solomon(&text),
        "darp" => cordeau(&text),
        other => panic!("unknown format {other}"),
    }
    .unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Deterministic pseudo-random numbers in [0, 1) (a linear congruential generator).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `clients` riders (300 unless `--clients`) and a bus for every ten of them.
fn synthetic_day(clients: i32) -> (Vec<Site>, Vec<Passenger>, Vec<Passenger>, Vec<Bus>) {
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
    let mut rng = Lcg(42);
    let (mut inbound, mut outbound) = (Vec::new(), Vec::new());
    for client_id in 1..=clients {
        let site = (client_id % 2) as usize;
        // Within about 15 km of their location.
        let (dlat, dlon) = ((rng.next() - 0.5) * 0.25, (rng.next() - 0.5) * 0.4);
        let home = (sites[site].at.0 + dlat, sites[site].at.1 + dlon);
        let wheelchair = rng.next() < 0.1;
        // 55% whole day, 30% morning, 15% afternoon; the second location starts an hour later.
        let kind = rng.next();
        let offset = 60.0 * site as f64;
        let (start, end) = if kind < 0.55 {
            (540.0, 960.0)
        } else if kind < 0.85 {
            (540.0, 750.0)
        } else {
            (780.0, 960.0)
        };
        let (start, end) = (start + offset, end + offset);
        let passenger = |minute| Passenger {
            client_id,
            home,
            wheelchair,
            site,
            minute,
        };
        inbound.push(passenger(start));
        outbound.push(passenger(end));
    }
    let buses = (1..=(clients / 10).max(1))
        .map(|vehicle_id| Bus {
            vehicle_id,
            site: (vehicle_id % 2) as usize,
            seats: if vehicle_id % 4 < 2 { 6 } else { 8 },
            wheelchair_places: if vehicle_id % 4 < 2 { 2 } else { 0 },
        })
        .collect();
    (sites, inbound, outbound, buses)
}
