//! Solving one query end to end: the instance, the z3 search, the plan in submission format.

use crate::export::to_day_records;
use crate::instance::{Instance, InstanceError};
use crate::query::DayRecord;
use crate::solve::{Search, Solution, SolveError};
use std::time::{Duration, Instant};
use z3::{Config, Context};

/// What solving one query gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// A plan meeting every constraint (as the solver sees them).
    Plan {
        /// The solver's plan.
        solution: Solution,
        /// The plan in submission format.
        records: Vec<DayRecord>,
    },
    /// No plan meets every constraint.
    Infeasible,
    /// The time limit passed first.
    Timeout,
}

/// Solves an instance with every constraint on.
pub fn solve_instance(inst: &Instance, time_limit: Duration) -> Answer {
    let ctx = Context::new(&Config::new());
    let mut search = Search::new(&ctx, inst, Instant::now() + time_limit);
    let all = vec![true; inst.constraints.len()];
    match search.find(&all) {
        Ok(Some(solution)) => {
            let records = to_day_records(&solution, inst.days);
            Answer::Plan { solution, records }
        }
        Ok(None) => Answer::Infeasible,
        Err(SolveError::Timeout) => Answer::Timeout,
    }
}

/// An answer and how long it took.
#[derive(Debug, Clone, PartialEq)]
pub struct Timed {
    /// The answer (an error when the query cannot be read as an instance).
    pub answer: Result<Answer, InstanceError>,
    /// Wall-clock seconds, instance building included.
    pub seconds: f64,
}

/// Builds the instance with `build` and solves it, timing both.
pub fn solve_timed(build: impl FnOnce() -> Result<Instance, InstanceError>, time_limit: Duration) -> Timed {
    let start = Instant::now();
    let answer = build().map(|inst| solve_instance(&inst, time_limit));
    Timed { answer, seconds: start.elapsed().as_secs_f64() }
}
