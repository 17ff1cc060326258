//! Why a query has no plan, and what would give it one.
//!
//! The user's constraints of an infeasible query are explored as a lattice of subsets (the
//! queries set at most a handful) by the planner's core finder
//! ([`tripsmith_planner::cores::every_minimal_core`]), each subset checked by the z3 search.
//! This yields **every** minimal unsatisfiable subset (each a minimal core) and every maximal
//! satisfiable one, whose complements are the minimal sets of constraints to give up. `core` is the union of the minimal cores: every constraint that
//! takes part in some conflict.
//!
//! Repairs: for each minimal set to give up, drop its constraints, except the budget, which is
//! raised to the cost of the cheapest plan without it; and, where the sandbox offers others,
//! replace a destination city. Each repair is a modified query that is solved from scratch and
//! whose plan the sandbox's independent checker accepts; only such verified repairs are
//! reported.

use crate::instance::{Constraint, Instance, InstanceError};
use crate::query::{DayRecord, Query};
use crate::requirement::Requirement;
use crate::run::{solve_instance, Answer};
use crate::solve::{Search, SolveError};
use serde::Serialize;
use std::time::{Duration, Instant};
use tripsmith_planner::cores::{every_minimal_core, MAX_LATTICE};
use tripsmith_planner::repair::{RepairChange, Verifier};
use tripsmith_planner::{Money, Violation};
use z3::{Config, Context};

/// One change to a query (what a repair is made of; answers show it as the planner's
/// [`RepairChange`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Give up a constraint.
    Drop {
        /// The constraint.
        constraint: Constraint,
    },
    /// Raise the budget.
    RaiseBudget {
        /// The query's budget, USD.
        from: Money,
        /// The new budget, USD.
        to: Money,
    },
    /// Visit another city instead of one of the query's.
    ReplaceCity {
        /// The query's city.
        from: String,
        /// The other city.
        to: String,
    },
}

/// The query with a change made.
pub fn apply(q: &Query, change: &Change) -> Query {
    match change {
        Change::Drop { constraint } if Constraint::of_query(q).contains(constraint) => without(q, constraint),
        Change::Drop { .. } => q.clone(),
        Change::RaiseBudget { to, .. } => Query { budget: *to, ..q.clone() },
        Change::ReplaceCity { from, to } => {
            let mut q = q.clone();
            if q.destinations.is_empty() {
                if q.dest == *from {
                    q.dest = to.clone();
                }
            } else {
                for d in q.destinations.iter_mut().filter(|d| *d == from) {
                    *d = to.clone();
                }
                q.dest = q.destinations.join(", ");
            }
            q
        }
    }
}

impl Change {
    /// The change as answers show it: the constraint it relaxes and what it does, in words.
    pub fn described(&self) -> RepairChange {
        let (constraint, change) = match self {
            Change::Drop { constraint } => (constraint.to_string(), format!("give up {constraint}")),
            Change::RaiseBudget { from, to } => (
                Constraint::Budget(*from).to_string(),
                format!("raise the budget from {} to {} USD", from.short(), to.short()),
            ),
            Change::ReplaceCity { from, to } => {
                (format!("destination: {from}"), format!("visit {to} instead of {from}"))
            }
        };
        RepairChange { constraint, change }
    }

    /// Its size for ranking repairs, as the planner measures its own: 1 for a constraint given
    /// up or a city replaced, the relative raise for a budget.
    pub fn size(&self) -> f64 {
        match self {
            Change::RaiseBudget { from, to } if from.cents() > 0 => {
                (to.cents() - from.cents()) as f64 / from.cents() as f64
            }
            _ => 1.0,
        }
    }
}

/// A verified repair of a TravelPlanner query: the planner's repair, with the changed query and
/// the cost of the checked plan found with the changes.
pub type Repair = tripsmith_planner::repair::Repair<Query>;

/// The repair made of `changes`, verified with the plan costing `cost`.
fn repair(changes: &[Change], request: Query, cost: Money) -> Repair {
    Repair {
        changes: changes.iter().map(Change::described).collect(),
        size: changes.iter().map(Change::size).sum(),
        cost: Some(cost),
        request,
    }
}

/// Why a query is infeasible and how to fix it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// Every constraint in some minimal core.
    pub core: Vec<Constraint>,
    /// The minimal cores (minimal sets of constraints that cannot hold together). One empty
    /// core means the trip is impossible even without the user's constraints.
    pub cores: Vec<Vec<Constraint>>,
    /// Verified repairs.
    pub repairs: Vec<Repair>,
}

/// An independent plan checker: `Ok` when the plan meets every constraint of the query, else
/// the first it breaks.
pub type PlanChecker<'a> = dyn Fn(&Query, &[DayRecord]) -> Result<(), Violation<Requirement>> + 'a;

/// What a sandbox offers the explainer: building an instance of a (changed) query, checking
/// a plan independently, and the queries with one destination replaced.
pub struct Sandbox<'a> {
    /// Builds the instance of a query.
    pub build: &'a dyn Fn(&Query) -> Result<Instance, InstanceError>,
    /// The independent checker: `Ok` when the plan meets every constraint of the query.
    pub check: &'a PlanChecker<'a>,
    /// Other cities to visit instead of one of the query's, best first.
    pub alternatives: &'a dyn Fn(&Query) -> Vec<Change>,
}

/// The query without one of its constraints (the budget is changed, not dropped).
pub fn without(q: &Query, c: &Constraint) -> Query {
    let mut q = q.clone();
    let l = &mut q.local;
    match c {
        Constraint::Budget(_) => {}
        Constraint::HouseRule(_) => l.house_rule = None,
        Constraint::RoomType(_) => l.room_type = None,
        Constraint::Cuisine(x) => l.cuisine.retain(|y| y.trim() != x),
        Constraint::NoFlight | Constraint::NoSelfDriving | Constraint::FlightOnly => l.transportation = None,
        Constraint::NonStop => l.flight_rule = None,
        Constraint::Airlines(_) => l.airlines.clear(),
        Constraint::AttractionCategory(x) => l.attraction_category.retain(|y| y.trim() != x),
    }
    q
}

/// Most destination replacements tried.
const MAX_ALTERNATIVES: usize = 50;

/// Explains an infeasible instance within `time_limit`.
pub fn explain(inst: &Instance, sandbox: &Sandbox, time_limit: Duration) -> Result<Explanation, SolveError> {
    let deadline = Instant::now() + time_limit;
    let ctx = Context::new(&Config::new());
    let mut search = Search::new(&ctx, inst, deadline);
    let n = inst.constraints.len().min(MAX_LATTICE);
    // Constraints beyond the lattice's reach always hold.
    let holding = |explored: &[bool]| -> Vec<bool> {
        (0..inst.constraints.len()).map(|i| explored.get(i).copied().unwrap_or(true)).collect()
    };
    let lattice = every_minimal_core(n, |explored| Ok(search.find(&holding(explored))?.is_some()))?;
    let label = |i: &usize| inst.constraints[*i].clone();
    let cores: Vec<Vec<Constraint>> = lattice.cores.iter().map(|c| c.iter().map(label).collect()).collect();
    let mut repairs = Vec::new();
    // Every candidate is solved from scratch and its plan checked, in the time left.
    let check = |q: &Query, left: Duration| verified(q, sandbox, left);
    let verifier = Verifier::new(&check, time_limit, deadline);
    for give_up in lattice.to_give_up(n) {
        let mut changes = Vec::new();
        for &i in &give_up {
            match &inst.constraints[i] {
                Constraint::Budget(_) => {
                    let kept: Vec<bool> = (0..n).map(|j| !give_up.contains(&j)).collect();
                    let Some(cheapest) = search.cheapest(&holding(&kept))? else { break };
                    changes.insert(
                        0,
                        Change::RaiseBudget { from: inst.query.budget, to: cheapest.cost.round_up_to_units() },
                    );
                }
                c => changes.push(Change::Drop { constraint: c.clone() }),
            }
        }
        if changes.len() != give_up.len() {
            continue;
        }
        let q = changes.iter().fold(inst.query.clone(), |q, c| apply(&q, c));
        if let Some(cost) = verifier.verify(&q) {
            repairs.push(repair(&changes, q, cost));
        }
    }
    for change in (sandbox.alternatives)(&inst.query).into_iter().take(MAX_ALTERNATIVES) {
        if verifier.time_left().is_zero() {
            break;
        }
        let q = apply(&inst.query, &change);
        if let Some(cost) = verifier.verify(&q) {
            repairs.push(repair(&[change], q, cost));
            break;
        }
    }
    Ok(Explanation { core: lattice.in_some_core().iter().map(label).collect(), cores, repairs })
}

/// Solves a changed query from scratch; the cost of its plan when the checker accepts it.
fn verified(q: &Query, sandbox: &Sandbox, time_limit: Duration) -> Option<Money> {
    let inst = (sandbox.build)(q).ok()?;
    match solve_instance(&inst, time_limit) {
        Answer::Plan { solution, records } => (sandbox.check)(q, &records).ok().map(|_| solution.cost),
        _ => None,
    }
}

/// Constraints as their text, joined by `separator` (`budget: 1700 USD + house rule: pets`).
pub fn joined(constraints: &[Constraint], separator: &str) -> String {
    constraints.iter().map(ToString::to_string).collect::<Vec<_>>().join(separator)
}

/// The UnsatChristmas reasons (`budget`, `non-stop`, `airlines`, `attraction`) a core covers.
pub fn core_reasons(core: &[Constraint]) -> Vec<String> {
    let mut out: Vec<String> = core.iter().map(Constraint::reason).collect();
    out.sort();
    out.dedup();
    out
}
