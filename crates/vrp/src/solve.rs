//! A ruin-and-recreate heuristic (after SISR, Christiaens & Vanden Berghe 2020): start from a
//! greedy insertion of every job; then repeatedly cut strings of consecutive clients out of the
//! routes near a random client (`ruin`), reinsert them at their best feasible positions,
//! skipping positions at a small "blink" rate (`recreate`), and accept the result by
//! simulated annealing on the objective (`objective`). Capacity in every demand dimension
//! (at every point when goods are collected), skills, time windows (one or several per
//! client), shifts, route length and travel, task limits, groups, orders and shipments are kept
//! feasible throughout; a single insertion's feasibility takes O(1) per position from each
//! route's earliest and latest service starts and load profile (`route`). Jobs left out get
//! a reason verified by the checker (`reasons`). Seeded and time-limited.

mod objective;
mod reasons;
mod recreate;
mod route;
mod ruin;
mod timed;

use crate::instance::{Fleet, Instance};
use objective::objective;
use reasons::{cheapest_insertion, job_reason};
use recreate::{empty_routes, recreate, servable_alone, unmet};
use route::Route;
use ruin::{neighbours, ruin};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use timed::Timed;
use tripsmith_model::SeededRng;
use tripsmith_search::Annealing;

/// Settings of a solve.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Wall-clock limit.
    pub time_limit: Duration,
    /// Seed: the same seed and iteration count give the same answer.
    pub seed: u64,
    /// Stop after this many ruin-and-recreate iterations even before the time limit.
    pub max_iterations: u64,
}

/// A client that no route can serve, and why (verified: alone on a vehicle it breaks that rule).
#[derive(Debug, Clone, PartialEq)]
pub struct Unassigned {
    /// The client's node number.
    pub client: usize,
    /// Why.
    pub reason: String,
}

/// The best solution found.
#[derive(Debug, Clone, PartialEq)]
pub struct Solved {
    /// Routes of client node numbers (with distinct vehicles, route `k` is vehicle `k`'s).
    pub routes: Vec<Vec<usize>>,
    /// The objective's value (total cost unless the instance asks otherwise).
    pub cost: f64,
    /// Clients left out.
    pub unassigned: Vec<Unassigned>,
    /// Ruin-and-recreate iterations run.
    pub iterations: u64,
}

/// Solves an instance; stops early when `stop` is set. `progress` hears the fraction of the
/// run done and the best cost at each improvement.
pub fn solve(
    instance: &Instance,
    settings: Settings,
    stop: Option<&AtomicBool>,
    progress: &mut dyn FnMut(f64, f64),
) -> Solved {
    let start = Instant::now();
    let instance = &Timed::new(instance);
    let mut rng = SeededRng::new(settings.seed);
    let near = neighbours(instance);
    let mut order = instance.jobs();
    order.sort_by(|&a, &b| instance.d(0, b).total_cmp(&instance.d(0, a)).then(a.cmp(&b)));
    let mut current = empty_routes(instance);
    // Clients no vehicle could serve even alone are left out from the start; the others that a
    // search leaves out are retried every iteration, and fewer left out beats any distance.
    let (order, hopeless): (Vec<usize>, Vec<usize>) = order.into_iter().partition(|&c| servable_alone(instance, c));
    let mut missing = recreate(instance, &mut current, &order, &mut rng);
    let mut best = current.clone();
    let mut best_missing = missing.clone();
    // The search's score: fewer required clients left out (and less of the quota unmet)
    // first, then the objective plus the prizes of optional clients left out.
    let (mut required, prizes) = instance.left_out(&missing);
    required += unmet(instance, &current);
    let mut best_required = required;
    let (mut best_cost, mut current_cost) =
        (objective(instance, &best).1 + prizes, objective(instance, &current).1 + prizes);
    let n = instance.clients.max(1);
    // Annealing from half the first solution's cost per client down to 1/30 of that.
    let t0 = 0.5 * current_cost.max(1e-9) / n as f64;
    let annealing = Annealing {
        t0,
        t1: t0 / 30.0,
        max_iterations: settings.max_iterations,
        time_limit: settings.time_limit,
        started: start,
    };
    let mut iterations = 0;
    let stopped = || stop.is_some_and(|s| s.load(Ordering::Relaxed));
    while iterations < settings.max_iterations && start.elapsed() < settings.time_limit && !stopped() {
        iterations += 1;
        // Routes are shared until changed (`Rc::make_mut`): an iteration copies only the routes
        // it cuts or inserts into.
        let mut next = current.clone();
        let (mut removed, cut) = ruin(&mut next, &near, n, &mut rng);
        // Whatever a cut route can no longer reach in range goes too, and a shipment leaves its
        // route whole: the partners of what went go, until neither rule takes anything more.
        loop {
            let before = removed.len();
            if !instance.chargers.is_empty() {
                recharge(instance, &mut next, &cut, &mut removed);
            }
            if !instance.pairs.is_empty() {
                let mut gone = vec![false; instance.nodes()];
                removed.iter().for_each(|&c| gone[c] = true);
                for &k in &cut {
                    Rc::make_mut(&mut next[k]).clients.retain(|&x| {
                        let keep = instance.partner[x].is_none_or(|q| !gone[q]);
                        if !keep {
                            removed.push(x);
                        }
                        keep
                    });
                }
            }
            if removed.len() == before || instance.chargers.is_empty() || instance.pairs.is_empty() {
                break;
            }
        }
        if !instance.groups.is_empty() || !instance.pairs.is_empty() {
            removed.iter_mut().for_each(|c| *c = instance.job_of(*c));
            removed.sort_unstable();
            removed.dedup();
        }
        for &k in &cut {
            Rc::make_mut(&mut next[k]).update(instance);
        }
        if matches!(instance.fleet, Fleet::Identical { .. }) {
            next.retain(|r| !r.clients.is_empty());
        }
        removed.extend_from_slice(&missing);
        // Recreate in a random order of four.
        match rng.below(4) {
            0 => removed.sort_by(|&a, &b| instance.demand(b).cmp(instance.demand(a))),
            1 => removed.sort_by(|&a, &b| instance.d(0, b).total_cmp(&instance.d(0, a))),
            2 => removed.sort_by(|&a, &b| instance.d(0, a).total_cmp(&instance.d(0, b))),
            _ => {
                for i in (1..removed.len()).rev() {
                    removed.swap(i, rng.below(i + 1));
                }
            }
        }
        let left = recreate(instance, &mut next, &removed, &mut rng);
        let (mut left_required, left_prizes) = instance.left_out(&left);
        left_required += unmet(instance, &next);
        if left_required > required {
            continue;
        }
        let cost = objective(instance, &next).1 + left_prizes;
        let fraction = annealing.fraction(iterations);
        if left_required < required || cost < current_cost + annealing.allowance(fraction, &mut rng) {
            current = next;
            current_cost = cost;
            (missing, required) = (left, left_required);
            if required < best_required || (required == best_required && cost < best_cost - 1e-9) {
                best = current.clone();
                best_cost = cost;
                best_missing = missing.clone();
                best_required = required;
                progress(fraction, objective(instance, &best).0 + instance.left_out(&best_missing).1);
            }
        }
    }
    let missed_prizes = instance.left_out(&best_missing).1 + instance.left_out(&hopeless).1;
    let quota_met = !instance.quota.is_empty() && unmet(instance, &best) == 0;
    let mut unassigned: Vec<(usize, bool)> =
        hopeless.into_iter().map(|j| (j, true)).chain(best_missing.into_iter().map(|j| (j, false))).collect();
    unassigned.sort_unstable();
    let unassigned = unassigned
        .iter()
        .flat_map(|&(job, hopeless)| {
            let market = quota_met && instance.collected(job).iter().any(|&g| g > 0);
            let why = match instance.optional(job) {
                Some(_) if market && !hopeless => match cheapest_insertion(instance, &best, job) {
                    Some(added) => format!("not needed: the quota is met without it (it would add {added})"),
                    None => "not needed, and no vehicle has room left for it".into(),
                },
                Some(prize) if !hopeless => match cheapest_insertion(instance, &best, job) {
                    Some(added) => format!("optional: visiting it would add {added}, more than its prize {prize}"),
                    None => "optional, and no vehicle has room or time left for it".into(),
                },
                _ => job_reason(instance, job),
            };
            let clients = if instance.partner[job].is_some() { instance.job_clients(job) } else { vec![job] };
            clients.into_iter().map(move |c| Unassigned { client: c, reason: why.clone() })
        })
        .collect();
    let cost = objective(instance, &best).0 + missed_prizes;
    Solved { routes: best.into_iter().map(|r| r.clients.clone()).collect(), cost, unassigned, iterations }
}

/// Takes out of the routes a ruin cut whatever no longer reaches a charger in range (a charger
/// the ruin took away left a stretch too long): the clients of the first such stretch,
/// with the charger ending it, until each route is within range; they join `removed`.
fn recharge(instance: &Timed, routes: &mut [Rc<Route>], cut: &[usize], removed: &mut Vec<usize>) {
    for &k in cut {
        let route = Rc::make_mut(&mut routes[k]);
        while let Some((from, to)) = route.overrun(instance) {
            // Positions from+1..=to are clients from..to (the end depot is not one); with none
            // between, the charger at `from` goes (the start cannot).
            let end = to.min(route.clients.len());
            let first = if end > from {
                from
            } else if from > 0 {
                from - 1
            } else {
                break;
            };
            removed.extend(route.clients.drain(first..end.max(from)));
        }
    }
}
