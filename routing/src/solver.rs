//! What any route solver offers the rest of dagstaat.
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use crate::model::{Plan, Problem};

#[derive(Clone, Debug)]
pub struct SolveOptions {
    /// Seeds the search's random choices. The same problem, seed and generation limit give the
    /// same plan, as long as the time budget does not stop the search first.
    pub seed: u64,
    /// Wall-clock limit. A plan stopped by it depends on the machine's speed: not repeatable.
    pub time_budget: Duration,
    /// Stop after this many search generations (the repeatable limit).
    pub max_generations: Option<usize>,
    /// Sizes the work of our own steps (their repeatable limit, like the generations) as for this
    /// time budget; None: as for `time_budget`. With a time budget well above it and a generation
    /// limit, the clock ends no search and the plan is the same on a slow or busy machine.
    pub work_budget: Option<Duration>,
    /// Worker threads of the search. They only make it faster: the plan for a seed is the same
    /// on any number of threads.
    pub threads: usize,
    /// Set from outside to stop early and return the best plan so far.
    pub cancel: Arc<AtomicBool>,
    /// Improve on vrp-core's search with our own steps: empty routes (`reduce`), search again
    /// from there, and ruin and recreate at the end (`shorten`). Off: vrp-core alone, with the whole
    /// budget (to compare).
    pub improve: bool,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            seed: 1,
            time_budget: Duration::from_secs(10),
            max_generations: None,
            work_budget: None,
            threads: 1,
            cancel: Arc::new(AtomicBool::new(false)),
            improve: true,
        }
    }
}

/// How far a running solve is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    /// 0.0 ..= 1.0 of the time budget (or of the generations, whichever is further).
    pub fraction: f64,
    pub generation: usize,
    /// What ended the search; set in the last report only.
    pub stopped: Option<Stopped>,
}

/// What ended a search.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stopped {
    /// The generation limit: the plan is repeatable with the same seed.
    Generations,
    /// The time budget ran out first: the plan depends on the machine's speed.
    TimeBudget,
    Cancelled,
}

#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    #[error("the problem is not valid: {0}")]
    InvalidProblem(String),
    #[error("the solver failed: {0}")]
    Solver(String),
}

pub trait Solver: Send + Sync {
    fn solve(
        &self,
        problem: &Problem,
        options: &SolveOptions,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<Plan, SolveError>;
}

/// Structural problems that would make any solver misbehave; found before solving.
pub fn validate(problem: &Problem) -> Result<(), SolveError> {
    let size = problem.travel.size();
    let bad = |msg: String| Err(SolveError::InvalidProblem(msg));
    for vehicle in &problem.vehicles {
        if vehicle.start >= size || vehicle.end >= size {
            return bad(format!(
                "vehicle {} has a location outside the matrix",
                vehicle.id
            ));
        }
        if vehicle.window.start > vehicle.window.end {
            return bad(format!("vehicle {} has an empty time window", vehicle.id));
        }
    }
    for request in &problem.requests {
        for kind in request.stop_kinds() {
            let Some(visit) = request.visit(*kind) else {
                continue;
            };
            if visit.location >= size {
                return bad(format!(
                    "request {} has a location outside the matrix",
                    request.id
                ));
            }
            if visit.window.start > visit.window.end || visit.service < 0.0 {
                return bad(format!(
                    "request {} has an empty window or negative service",
                    request.id
                ));
            }
        }
        if request.load.seats < 0 || request.load.wheelchairs < 0 {
            return bad(format!("request {} has a negative load", request.id));
        }
    }
    Ok(())
}
