//! What a backend answers, and why it may fail to run: shared by the SMT and MILP backends.

use crate::itinerary::Itinerary;
use crate::label::Label;

/// What a planning backend found.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A plan; `optimal` when the backend proved no better plan exists.
    Feasible {
        /// The plan.
        plan: Itinerary,
        /// Proven optimal.
        optimal: bool,
    },
    /// No plan exists; the labels of a minimal unsatisfiable core.
    Infeasible {
        /// Minimal core: removing any one label makes the request satisfiable.
        core: Vec<Label>,
    },
    /// The time limit passed before an answer (a plan if one was found).
    Timeout {
        /// The best plan found, if any.
        plan: Option<Itinerary>,
    },
}

impl Outcome {
    /// The itinerary, if there is one (feasible, or the best found before a time-out).
    pub fn plan(&self) -> Option<&Itinerary> {
        match self {
            Outcome::Feasible { plan, .. } => Some(plan),
            Outcome::Timeout { plan } => plan.as_ref(),
            Outcome::Infeasible { .. } => None,
        }
    }
}

/// Why a backend could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    /// The request needs a lodging but the catalog has none that qualifies.
    #[error("the request returns to a lodging each day but the catalog has no lodging")]
    NoLodging,
    /// The MILP solver failed for a reason other than infeasibility or the time limit.
    #[error("the MILP solver failed: {0}")]
    Solver(String),
}
