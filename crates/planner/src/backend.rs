//! Which solver plans a problem: the route search (default), the MILP backend or the z3
//! backend, behind one interface. Feasibility questions (cores, repairs) go to an exact one.

use crate::catalog::Problem;
use crate::label::Label;
use crate::outcome::{Outcome, PlanError};
use crate::{milp, modes, search, smt};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// A planning backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Backend {
    /// The route-search engine (ruin and recreate): fast on a whole city, never called optimal;
    /// the MILP decides requests it cannot plan (infeasible ones, with their cores).
    #[default]
    Search,
    /// z3: tracked assertions, native unsat cores, optimisation by bounded search.
    Smt,
    /// HiGHS via good_lp: orienteering with time windows, proven optimal on small candidate sets.
    Milp,
}

impl Backend {
    /// The two exact backends (they prove optimality and infeasibility).
    pub const ALL: [Backend; 2] = [Backend::Smt, Backend::Milp];

    /// Lower-case name (`search`, `smt`, `milp`).
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Search => "search",
            Backend::Smt => "smt",
            Backend::Milp => "milp",
        }
    }

    /// The backend as a reader knows it (`the route search`, `the MILP (HiGHS)`, `z3`).
    pub fn in_words(self) -> &'static str {
        match self {
            Backend::Search => "the route search",
            Backend::Milp => "the MILP (HiGHS)",
            Backend::Smt => "z3",
        }
    }

    /// Solves `problem` within `time_limit` (an exact backend planning again with a mode per
    /// day when its plan leaves the car behind: [`modes`]).
    pub fn solve(self, problem: &Problem, time_limit: Duration) -> Result<Outcome, PlanError> {
        match self {
            Backend::Search => search::solve(problem, time_limit),
            Backend::Smt => modes::solve_one_mode_per_day(problem, time_limit, smt::solve),
            Backend::Milp => modes::solve_one_mode_per_day(problem, time_limit, milp::solve),
        }
    }

    /// Whether the constraints not in `relaxed` can all hold (`None`: no answer in time); the
    /// route search asks the MILP.
    pub fn is_feasible(
        self,
        problem: &Problem,
        time_limit: Duration,
        relaxed: &[Label],
    ) -> Result<Option<bool>, PlanError> {
        match self {
            Backend::Smt => smt::is_feasible(problem, time_limit, relaxed),
            Backend::Milp | Backend::Search => milp::is_feasible(problem, time_limit, relaxed),
        }
    }
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Backend {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "search" => Ok(Backend::Search),
            "smt" | "z3" => Ok(Backend::Smt),
            "milp" | "highs" => Ok(Backend::Milp),
            other => Err(format!("unknown backend {other:?}: expected search, milp or smt")),
        }
    }
}
