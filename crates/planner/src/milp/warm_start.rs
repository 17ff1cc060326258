//! A greedy first plan for the MILP backend. HiGHS starts from it, so that a search cut short by
//! the time limit still returns a good itinerary, and the branch-and-bound prunes with a real
//! incumbent from the start.
//!
//! The cheapest allowed lodging is taken. Day by day, each required meal is inserted first
//! (places serving a required cuisine first, then the least added travel), then sights by score
//! per added minute (must-visits first), each insertion checked by simulating the day on the
//! model's own arcs: opening and meal windows, the day's end, the visit cap, the travel limit and
//! the budget. What it cannot satisfy is left to HiGHS, which checks the start against every
//! constraint and ignores it if it is not feasible.

use super::{DayModel, Depot, Layout, Node};
use crate::itinerary::Activity;
use good_lp::Variable;
use std::collections::{BTreeSet, HashMap};

/// Arcs of one day by their ends: minutes, metres and the variable.
type Arcs = HashMap<(Node, Node), (i64, i64, Variable)>;

/// Start minute of each stop and the route's travel minutes, when the route works.
struct Simulated {
    starts: Vec<i64>,
    minutes: i64,
}

fn simulate(layout: &Layout, day: &DayModel, arcs: &Arcs, depot: usize, route: &[usize]) -> Option<Simulated> {
    let (mut clock, mut prev) = (day.start, Node::Depot(depot));
    let (mut minutes, mut metres) = (0, 0);
    let mut starts = Vec::with_capacity(route.len());
    for &o in route {
        let &(m, d, _) = arcs.get(&(prev, Node::Option(o)))?;
        let arrive = clock + m;
        let window = day.uses[o].as_ref()?.windows.iter().find(|w| w.1 >= arrive)?;
        let start = window.0.max(arrive);
        starts.push(start);
        clock = start + layout.options[o].minutes;
        minutes += m;
        metres += d;
        prev = Node::Option(o);
    }
    if !route.is_empty() {
        let &(m, d, _) = arcs.get(&(prev, Node::Depot(depot)))?;
        if clock + m > day.end {
            return None;
        }
        minutes += m;
        metres += d;
    }
    if day.max_travel_m.is_some_and(|limit| metres as f64 > limit) {
        return None;
    }
    Some(Simulated { starts, minutes })
}

/// The best feasible insertion of one of `choices` into `route`, as (option, position);
/// `rank(option, added travel minutes)` orders them, higher first.
fn best_insertion(
    layout: &Layout,
    day: &DayModel,
    arcs: &Arcs,
    depot: usize,
    route: &[usize],
    choices: &[usize],
    rank: impl Fn(usize, i64) -> (bool, f64),
) -> Option<(usize, usize)> {
    let base = simulate(layout, day, arcs, depot, route)?.minutes;
    let mut best: Option<((bool, f64), usize, usize)> = None;
    let mut trial = Vec::with_capacity(route.len() + 1);
    for &o in choices {
        for pos in 0..=route.len() {
            trial.clear();
            trial.extend_from_slice(&route[..pos]);
            trial.push(o);
            trial.extend_from_slice(&route[pos..]);
            let Some(sim) = simulate(layout, day, arcs, depot, &trial) else { continue };
            let key = rank(o, sim.minutes - base);
            if best
                .as_ref()
                .is_none_or(|(k, _, _)| (key.0, key.1).partial_cmp(&(k.0, k.1)) == Some(std::cmp::Ordering::Greater))
            {
                best = Some((key, o, pos));
            }
        }
    }
    best.map(|(_, o, pos)| (o, pos))
}

/// How much a sight's length counts against its score when choosing what to insert: score per
/// minute, per square root of a minute, or score alone. Each gives one greedy plan; the best is kept.
const LENGTH_EXPONENTS: [f64; 3] = [1.0, 0.5, 0.0];

/// Values for the model's variables describing the best of the greedy plans, or `None` when no
/// greedy pass can take every required meal.
pub(super) fn warm_start(layout: &Layout) -> Option<Vec<(Variable, f64)>> {
    LENGTH_EXPONENTS
        .iter()
        .filter_map(|&exponent| greedy(layout, exponent))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(values, _)| values)
}

/// One greedy plan as variable values, with its objective (score × weight − travel minutes).
fn greedy(layout: &Layout, exponent: f64) -> Option<(Vec<(Variable, f64)>, f64)> {
    let weight = layout.days.len() as f64 * 1440.0 + 1.0;
    let mut objective = 0.0;
    let mut values = Vec::new();
    let lodging = layout.lodging_vars.iter().zip(&layout.lodging_costs).min_by_key(|(_, cost)| **cost);
    let mut money_left = layout.budget.map(|b| b - lodging.map_or(0, |(_, cost)| *cost));
    if let Some(((_, y), _)) = lodging {
        values.push((*y, 1.0));
    }
    let depot = match lodging {
        Some(((l, _), _)) => layout.depots.iter().position(|d| *d == Depot::Lodging(*l)).unwrap_or(0),
        None => 0,
    };
    if layout.depots.is_empty() {
        return None;
    }
    let mut used: BTreeSet<usize> = BTreeSet::new();
    for day in &layout.days {
        let arcs: Arcs = day.arcs.iter().map(|a| ((a.from, a.to), (a.minutes, a.metres, a.x))).collect();
        let mut route: Vec<usize> = Vec::new();
        let affordable = |o: usize, left: Option<i64>| left.is_none_or(|m| layout.options[o].price * layout.party <= m);
        for &kind in &day.meals {
            let choices: Vec<usize> = (0..layout.options.len())
                .filter(|&o| layout.options[o].activity == Activity::Meal(kind) && day.uses[o].is_some())
                .filter(|&o| !used.contains(&layout.options[o].candidate) && affordable(o, money_left))
                .collect();
            let rank = |o: usize, added: i64| (layout.options[o].wanted, -(added as f64));
            let (o, pos) = best_insertion(layout, day, &arcs, depot, &route, &choices, rank)?;
            route.insert(pos, o);
            used.insert(layout.options[o].candidate);
            money_left = money_left.map(|m| m - layout.options[o].price * layout.party);
        }
        loop {
            let visits = route.iter().filter(|&&o| layout.options[o].activity == Activity::Visit).count();
            if day.visit_cap.is_some_and(|cap| visits >= cap as usize) {
                break;
            }
            let choices: Vec<usize> = (0..layout.options.len())
                .filter(|&o| layout.options[o].activity == Activity::Visit && day.uses[o].is_some())
                .filter(|&o| layout.options[o].score > 0 || layout.options[o].wanted)
                .filter(|&o| {
                    let category = layout.options[o].category;
                    let same = route.iter().filter(|&&k| {
                        layout.options[k].activity == Activity::Visit && layout.options[k].category == category
                    });
                    day.per_category.is_none_or(|cap| same.count() < cap as usize)
                })
                .filter(|&o| !used.contains(&layout.options[o].candidate) && affordable(o, money_left))
                .collect();
            let rank = |o: usize, added: i64| {
                let option = &layout.options[o];
                (option.wanted, option.score as f64 / ((added + option.minutes).max(1) as f64).powf(exponent))
            };
            let Some((o, pos)) = best_insertion(layout, day, &arcs, depot, &route, &choices, rank) else { break };
            route.insert(pos, o);
            used.insert(layout.options[o].candidate);
            money_left = money_left.map(|m| m - layout.options[o].price * layout.party);
        }
        let sim = simulate(layout, day, &arcs, depot, &route)?;
        objective -= sim.minutes as f64;
        objective += route.iter().map(|&o| layout.options[o].score as f64 * weight).sum::<f64>();
        for &(category, y, penalty) in &day.repeats {
            let visits = route
                .iter()
                .filter(|&&o| layout.options[o].activity == Activity::Visit && layout.options[o].category == category);
            let extra = visits.count().saturating_sub(1) as f64;
            values.push((y, extra));
            objective -= extra * penalty as f64 * weight;
        }
        let mut prev = Node::Depot(depot);
        for (k, &o) in route.iter().enumerate() {
            let u = day.uses[o].as_ref()?;
            values.push((u.u, 1.0));
            values.push((u.t, sim.starts[k] as f64));
            if let Some(w) = u.windows.iter().position(|w| w.0 <= sim.starts[k] && sim.starts[k] <= w.1) {
                if let Some(c) = u.choice.get(w) {
                    values.push((*c, 1.0));
                }
            }
            values.push((arcs.get(&(prev, Node::Option(o)))?.2, 1.0));
            prev = Node::Option(o);
        }
        if !route.is_empty() {
            values.push((arcs.get(&(prev, Node::Depot(depot)))?.2, 1.0));
        }
        for (o, u) in day.uses.iter().enumerate() {
            if let (Some(u), false) = (u, route.contains(&o)) {
                values.push((u.t, u.windows[0].0 as f64));
            }
        }
    }
    Some((values, objective))
}
