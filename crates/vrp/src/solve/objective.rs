//! What the search minimises: the objective with its tie break, and how an insertion ranks
//! under it.

use super::route::Route;
use crate::instance::{Instance, Objective};
use std::rc::Rc;

/// Weight of total cost beside the costliest route or longest leg: it breaks their ties (many
/// solutions share the same longest route) without trading against them.
pub(super) const TIE_WEIGHT: f64 = 1e-4;

/// The objective of routes, and the score the search minimises (the objective, plus the tie
/// break for the min-max and bottleneck objectives).
pub(super) fn objective(instance: &Instance, routes: &[Rc<Route>]) -> (f64, f64) {
    let total: f64 = routes.iter().map(|r| r.cost).sum();
    let primary = match instance.objective {
        Objective::TotalCost => return (total, total),
        Objective::LongestRoute => routes.iter().map(|r| r.cost).fold(0.0, f64::max),
        Objective::LongestLeg => routes.iter().map(|r| r.longest_leg).fold(0.0, f64::max),
    };
    (primary, primary + TIE_WEIGHT * total)
}

/// How good inserting client `c` between `a` and `b` of `route` (adding `added`) is under the
/// objective, lower being better; `worst` is the costliest route or longest leg of the
/// solution so far.
pub(super) fn insertion_key(
    instance: &Instance,
    route: &Route,
    (a, c, b): (usize, usize, usize),
    added: f64,
    worst: f64,
) -> f64 {
    match instance.objective {
        Objective::TotalCost => added,
        Objective::LongestRoute => (route.cost + added).max(worst) + TIE_WEIGHT * added,
        Objective::LongestLeg => instance.d(a, c).max(instance.d(c, b)).max(worst) + TIE_WEIGHT * added,
    }
}

/// The costliest route or longest leg of a solution, as [`insertion_key`] compares against it.
pub(super) fn worst(instance: &Instance, routes: &[Rc<Route>]) -> f64 {
    match instance.objective {
        Objective::TotalCost => 0.0,
        Objective::LongestRoute => routes.iter().map(|r| r.cost).fold(0.0, f64::max),
        Objective::LongestLeg => routes.iter().map(|r| r.longest_leg).fold(0.0, f64::max),
    }
}
