//! An upper bound on the value (score less the variety penalty) any plan of a problem can
//! collect, from a relaxation solved by HiGHS, so that every answer can say how far from the
//! best possible it may be.
//!
//! The relaxation keeps, per day, which sights are visited (`x[s, d]`, each sight at most once
//! over the trip, only on days it can start), the day's visit cap and cap per category, the
//! repeat penalty (`y[c, d] ≥ visits − 1`), the budget (less the cheapest venue of every meal)
//! and the day's time as a knapsack: each visit takes its minutes plus the shortest leg that can
//! lead to it, each planned meal its cheapest such time, within the day's hours (plus one leg
//! that the first stop of a day without a lodging does not travel). Routes, opening times within
//! the day, travel limits, must-visits and lodgings are left out, so every plan meets the
//! relaxation and its value is at most the bound. It is solved as a MILP (a few hundred
//! binaries per day: usually proven in milliseconds); when that does not finish in time, its LP
//! relaxation, which is a weaker bound, is used.

use crate::catalog::Problem;
use crate::Backend;
use good_lp::{constraint, variable, Expression, ProblemVariables, Solution, SolverModel, Variable};
use std::collections::HashMap;
use std::time::Duration;

/// Time the integral relaxation may take before its LP relaxation is used instead.
pub const INTEGRAL_SECONDS: f64 = 0.25;

/// An upper bound on [`crate::Itinerary::value`] over every plan of `p`'s candidates (`None`
/// when the relaxation has no answer: no day can hold a planned meal, or HiGHS failed).
pub fn value_bound(p: &Problem) -> Option<f64> {
    let (problem, _) = crate::search::engine_problem(p);
    relaxation_bound(&problem).map(|hundredths| hundredths / 100.0)
}

/// How far `value` may be from the best: (bound − value) / bound, 0 when the value is within
/// rounding of the bound (no plan collects more) or the bound is not positive.
pub fn gap(value: f64, bound: f64) -> f64 {
    if bound - value < 0.005 || bound <= 0.0 {
        0.0
    } else {
        (bound - value) / bound
    }
}

/// Which backend found a plan of `value` and what is known of it, in words (the CLI and the
/// reports say the same).
pub fn found_by_in_words(engine: Backend, optimal: bool, value: f64, bound: Option<f64>) -> String {
    let engine = engine.in_words();
    match bound {
        _ if optimal => format!("Found by {engine}, proven optimal."),
        Some(bound) if gap(value, bound) == 0.0 => format!(
            "Found by {engine}; its value reaches the upper bound {bound:.1}: no plan of these candidates collects more."
        ),
        Some(bound) => {
            format!("Found by {engine}; upper bound {bound:.1}, so at most {:.1} % below the best.", 100.0 * gap(value, bound))
        }
        None => format!("Found by {engine}; no upper bound was found in time."),
    }
}

/// The bound for an engine problem, in its value units (see the module doc).
pub fn relaxation_bound(problem: &tripsmith_search::Problem) -> Option<f64> {
    let limit = Duration::from_secs_f64(INTEGRAL_SECONDS);
    match solve(problem, true, limit)? {
        Some(bound) => Some(bound),
        None => solve(problem, false, limit)?,
    }
}

/// Shortest travel minutes into each stop from any other place or from a route's start, by any
/// layer (mode), at most the longest day (a stop no leg reaches can still be a day's first).
fn shortest_leg_in(problem: &tripsmith_search::Problem) -> Vec<i64> {
    let longest_day = problem.routes.iter().map(|r| (r.close - r.open).max(0)).max().unwrap_or(0);
    let mut locations: Vec<usize> = problem.stops.iter().filter_map(|s| s.location).collect();
    locations.extend(problem.routes.iter().filter_map(|r| r.start));
    locations.sort_unstable();
    locations.dedup();
    problem
        .stops
        .iter()
        .map(|s| {
            // A stop taken wherever the route is (a break) needs no leg.
            let Some(at) = s.location else { return 0 };
            locations
                .iter()
                .filter(|&&l| l != at)
                .flat_map(|&l| (0..problem.layers()).map(move |layer| (layer, l)))
                .map(|(layer, l)| problem.minutes(layer, Some(l), Some(at)))
                .min()
                .unwrap_or(0)
                .min(longest_day)
        })
        .collect()
}

/// Solves the relaxation: `Ok(Some(bound))` when HiGHS finished, `Ok(None)` at its time
/// limit; the outer `None` when the relaxation is infeasible or HiGHS failed.
fn solve(problem: &tripsmith_search::Problem, integral: bool, time_limit: Duration) -> Option<Option<f64>> {
    let leg_in = shortest_leg_in(problem);
    let stops = &problem.stops;
    let visits: Vec<usize> = (0..stops.len()).filter(|&s| stops[s].slot.is_none() && stops[s].value > 0).collect();
    let mut vars = ProblemVariables::new();
    let mut constraints = Vec::new();
    let mut objective = Expression::default();
    // Per place, every variable that uses it (a place is used once over the trip).
    let mut uses: HashMap<usize, Vec<Variable>> = HashMap::new();
    let mut spend = Expression::default();
    let mut fixed_cost = 0;
    for (d, route) in problem.routes.iter().enumerate() {
        let day = visits.iter().filter(|&&s| !stops[s].windows[d].is_empty());
        let x: Vec<(usize, Variable)> = day
            .map(|&s| {
                let v = if integral { variable().binary() } else { variable().min(0).max(1) };
                (s, vars.add(v))
            })
            .collect();
        let mut meals_minutes = 0;
        for &slot in &route.slots {
            let serving = stops.iter().enumerate().filter(|(_, t)| t.slot == Some(slot) && !t.windows[d].is_empty());
            let (minutes, cost) = serving.fold((None::<i64>, None::<i64>), |(m, c), (t, stop)| {
                let need = stop.duration + leg_in[t];
                (Some(m.map_or(need, |m| m.min(need))), Some(c.map_or(stop.cost, |c| c.min(stop.cost))))
            });
            // A day that cannot hold one of its meals: no plan exists.
            meals_minutes += minutes?;
            fixed_cost += cost?;
        }
        let first_leg_free = if route.start.is_none() { leg_in.iter().copied().max().unwrap_or(0) } else { 0 };
        let hours = (route.close - route.open) + first_leg_free - meals_minutes;
        let time: Expression = x.iter().map(|&(s, v)| (stops[s].duration + leg_in[s]) as f64 * v).sum();
        constraints.push(constraint::leq(time, hours as f64));
        constraints.push(constraint::leq(x.iter().map(|&(_, v)| v).sum::<Expression>(), route.max_visits as f64));
        let mut groups: Vec<usize> = x.iter().map(|&(s, _)| stops[s].group).collect();
        groups.sort_unstable();
        groups.dedup();
        for g in groups {
            let in_group: Expression = x.iter().filter(|&&(s, _)| stops[s].group == g).map(|&(_, v)| v).sum();
            constraints.push(constraint::leq(in_group.clone(), route.group_cap as f64));
            let penalty = problem.repeat_penalty(g);
            if penalty > 0 {
                let y = vars.add(variable().min(0));
                constraints.push(constraint::geq(y, in_group - 1.0));
                objective -= penalty as f64 * y;
            }
        }
        for &(s, v) in &x {
            objective += stops[s].value as f64 * v;
            spend += stops[s].cost as f64 * v;
            uses.entry(stops[s].place).or_default().push(v);
        }
    }
    for place in uses.into_values().filter(|u| u.len() > 1) {
        constraints.push(constraint::leq(place.into_iter().sum::<Expression>(), 1.0));
    }
    if let Some(budget) = problem.budget {
        constraints.push(constraint::leq(spend, (budget - fixed_cost) as f64));
    }
    // With whole stops the objective is integral (values and penalties are whole numbers).
    let mut model =
        crate::highs_model::maximise(vars, objective.clone(), integral).ok()?.set_time_limit(time_limit.as_secs_f64());
    for c in constraints {
        model.add_constraint(c);
    }
    match model.solve() {
        Ok(solution) if crate::highs_model::proven(solution.status()) => {
            let value = solution.eval(&objective);
            Some(Some(if integral { value.round() } else { value }))
        }
        // An incumbent at the time limit bounds nothing from above.
        Ok(_) | Err(good_lp::ResolutionError::Other("NoSolutionFound")) => Some(None),
        Err(_) => None,
    }
}
