//! One solve as the CLI and the API run it: the heuristic, then (when asked) the exact solver
//! started from its answer, then the independent checker on whatever is returned.

use crate::check::{check, Violation};
use crate::exact::{solve_exact, supports, ExactError};
use crate::hgs::Unsupported;
use crate::instance::Instance;
use crate::solve::{solve, Settings, Unassigned};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// Which heuristic searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Algorithm {
    /// Ruin and recreate ([`crate::solve`]): every instance.
    #[default]
    Sisr,
    /// Hybrid genetic search ([`crate::hgs`]): capacity-only instances.
    Hgs,
}

/// Why a solve could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnswerError {
    /// The exact solver does not take the instance, or failed.
    #[error(transparent)]
    Exact(#[from] ExactError),
    /// The genetic search does not take the instance.
    #[error(transparent)]
    Genetic(#[from] Unsupported),
}

/// What to run.
#[derive(Debug, Clone, Copy)]
pub struct Request {
    /// Wall-clock limit for the whole solve.
    pub time_limit: Duration,
    /// Seed of the heuristic.
    pub seed: u64,
    /// Prove optimality with the MILP: the heuristic gets a tenth of the time (at most 2 s), the
    /// MILP the rest.
    pub exact: bool,
    /// The heuristic.
    pub algorithm: Algorithm,
}

/// The exact solver's part of an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Proof {
    /// Whether the routes are proven optimal.
    pub proven_optimal: bool,
    /// A proven lower bound on the optimal cost.
    pub lower_bound: f64,
    /// Rounds of cuts.
    pub rounds: usize,
    /// Cuts added.
    pub cuts: usize,
}

/// A checked answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// Routes of client node numbers.
    pub routes: Vec<Vec<usize>>,
    /// Their objective value (total cost unless the instance asks otherwise) as the checker
    /// recomputes it.
    pub cost: f64,
    /// Their total distance, as the checker recomputes it.
    pub distance: f64,
    /// Their total travel time (driving alone), as the checker recomputes it.
    pub travel_time: f64,
    /// What serving the clients costs beyond driving (a purchaser's purchases), part of
    /// `cost`, as the checker recomputes it.
    pub visit_costs: f64,
    /// Rules the checker finds broken (empty: feasible).
    pub violations: Vec<Violation>,
    /// Clients left out, each with its verified reason.
    pub unassigned: Vec<Unassigned>,
    /// Heuristic iterations.
    pub iterations: u64,
    /// The exact solver's result, when it ran.
    pub proof: Option<Proof>,
    /// Seconds taken.
    pub seconds: f64,
}

/// Solves `instance` as asked; `stop` ends the heuristic early; `progress` hears a stage name
/// and the fraction of the time limit used.
pub fn answer(
    instance: &Instance,
    request: Request,
    stop: Option<&AtomicBool>,
    progress: &mut dyn FnMut(&str, f64),
) -> Result<Answer, AnswerError> {
    if request.exact {
        supports(instance)?;
    }
    if request.algorithm == Algorithm::Hgs {
        crate::hgs::supports(instance)?;
    }
    let started = Instant::now();
    let heuristic_time =
        if request.exact { (request.time_limit / 10).min(Duration::from_secs(2)) } else { request.time_limit };
    let settings = Settings { time_limit: heuristic_time, seed: request.seed, max_iterations: u64::MAX };
    let share = heuristic_time.as_secs_f64() / request.time_limit.as_secs_f64().max(1e-9);
    let mut heard = |fraction: f64, _: f64| progress("searching", fraction * share);
    let found = match request.algorithm {
        Algorithm::Sisr => solve(instance, settings, stop, &mut heard),
        Algorithm::Hgs => crate::hgs::solve(instance, settings, stop, &mut heard)?,
    };
    let mut routes = found.routes;
    let mut proof = None;
    if request.exact && found.unassigned.is_empty() {
        progress("proving optimality (MILP)", share);
        let outcome = solve_exact(instance, &routes, request.time_limit.saturating_sub(started.elapsed()))?;
        proof = Some(Proof {
            proven_optimal: outcome.proven_optimal,
            lower_bound: outcome.lower_bound,
            rounds: outcome.rounds,
            cuts: outcome.cuts,
        });
        routes = outcome.routes;
    }
    let report = check(instance, &routes);
    Ok(Answer {
        routes,
        cost: report.cost,
        distance: report.distance,
        travel_time: report.travel_time,
        visit_costs: report.visit_costs,
        violations: report.violations,
        unassigned: found.unassigned,
        iterations: found.iterations,
        proof,
        seconds: started.elapsed().as_secs_f64(),
    })
}
