//! Recreate: insert jobs at their best feasible positions (a client, a group through any of
//! its clients, a shipment's two stops together), opening routes while vehicles last.

use super::objective::{insertion_key, worst};
use super::route::Route;
use super::timed::Timed;
use crate::instance::{Fleet, Objective};
use std::rc::Rc;
use tripsmith_model::SeededRng;

/// The routes a search starts from: none for identical vehicles (routes open as needed), one
/// empty route per vehicle for distinct ones.
pub(super) fn empty_routes(instance: &Timed) -> Vec<Rc<Route>> {
    match &instance.fleet {
        Fleet::Identical { .. } => Vec::new(),
        Fleet::Each(list) => (0..list.len()).map(|k| Rc::new(Route::new(instance, k, Vec::new()))).collect(),
    }
}

/// Inserts each client at its best feasible position under the objective; returns those that
/// fit nowhere. Identical vehicles open a new route while vehicles last: when nothing else fits
/// under total distance, and whenever it is better under the min-max and bottleneck
/// objectives.
pub(super) fn recreate(
    instance: &Timed,
    routes: &mut Vec<Rc<Route>>,
    jobs: &[usize],
    rng: &mut SeededRng,
) -> Vec<usize> {
    let mut left = Vec::new();
    let total_cost = instance.objective == Objective::TotalCost;
    // What the quota still lacks: an optional client collecting some of it is visited
    // whatever it costs.
    let mut short = shortfall(instance, routes);
    for &job in jobs {
        if let Some(delivery) = instance.partner[job] {
            if !insert_pair(instance, routes, (job, delivery), rng) {
                left.push(job);
            }
            continue;
        }
        let worst = worst(instance, routes);
        let single = [job];
        let candidates = instance.candidates(job, &single);
        let mut best: Option<(f64, usize, usize, usize, f64)> = None;
        for &c in candidates {
            for (k, r) in routes.iter().enumerate() {
                if !instance.fits(r.kind, &r.load, c) || r.clients.len() >= r.max_tasks {
                    continue;
                }
                for p in instance.allowed_positions(r, c) {
                    if rng.next_f64() < 0.01 {
                        continue;
                    }
                    if let Some(added) = r.insertion(instance, c, p) {
                        let key = if total_cost {
                            added
                        } else {
                            insertion_key(instance, r, (r.node(p - 1), c, r.node(p)), added, worst)
                        };
                        if best.is_none_or(|b| key < b.0) {
                            best = Some((key, k, p, c, added));
                        }
                    }
                }
            }
            // A new route, when the fleet has room and it is worth trying; the same tests as
            // any insertion, into an empty route.
            if has_room(instance, routes) && (best.is_none() || !total_cost) {
                let empty = Route::new(instance, 0, Vec::new());
                let fits = instance.fits(0, &empty.load, c) && empty.max_tasks >= 1;
                if let Some(added) = empty.insertion(instance, c, 1).filter(|_| fits) {
                    let key = if total_cost {
                        added
                    } else {
                        insertion_key(instance, &empty, (empty.node(0), c, empty.node(1)), added, worst)
                    };
                    if best.is_none_or(|b| key < b.0) {
                        routes.push(Rc::new(empty));
                        best = Some((key, routes.len() - 1, 1, c, added));
                    }
                }
            }
        }
        // An optional client is visited only when that costs less than its prize, or when the
        // quota needs what it collects.
        let needed = |c: usize| short.iter().zip(instance.collected(c)).any(|(s, g)| *s > 0 && *g > 0);
        match best {
            Some((_, k, p, c, added)) if instance.optional(c).is_none_or(|prize| added < prize) || needed(c) => {
                short.iter_mut().zip(instance.collected(c)).for_each(|(s, g)| *s -= g);
                let route = Rc::make_mut(&mut routes[k]);
                route.clients.insert(p - 1, c);
                route.update(instance);
            }
            _ => left.push(job),
        }
    }
    // A new route opened for a candidate that another then beat stays empty; drop it.
    if matches!(instance.fleet, Fleet::Identical { .. }) {
        routes.retain(|r| !r.clients.is_empty());
    }
    left
}

/// Inserts shipment `(pickup, delivery)` where it is best under the objective (for identical
/// vehicles, in a new route when nothing else fits or, under the min-max and bottleneck
/// objectives, when that is better); false when it fits nowhere.
#[inline(never)] // Off the hot path of instances without shipments.
pub(super) fn insert_pair(
    instance: &Timed,
    routes: &mut Vec<Rc<Route>>,
    pair: (usize, usize),
    rng: &mut SeededRng,
) -> bool {
    let total_cost = instance.objective == Objective::TotalCost;
    let worst = worst(instance, routes);
    let mut best: Option<(f64, usize, usize, usize)> = None;
    let consider = |r: &Route, k: usize, best: &mut Option<(f64, usize, usize, usize)>, rng: &mut SeededRng| {
        if !instance.fits(r.kind, &r.load, pair.0)
            || !instance.fits(r.kind, &r.load, pair.1)
            || r.clients.len() + 2 > r.max_tasks
        {
            return;
        }
        r.pair_insertions(instance, pair, &mut |added, i, j| {
            if rng.next_f64() < 0.01 {
                return;
            }
            let key = if total_cost {
                added
            } else {
                insertion_key(instance, r, (r.node(i - 1), pair.0, r.node(i)), added, worst)
            };
            if best.is_none_or(|b| key < b.0) {
                *best = Some((key, k, i, j));
            }
        });
    };
    for (k, r) in routes.iter().enumerate() {
        consider(r, k, &mut best, rng);
    }
    let room = has_room(instance, routes);
    if room && (best.is_none() || !total_cost) {
        let empty = Route::new(instance, 0, Vec::new());
        let before = best;
        consider(&empty, routes.len(), &mut best, rng);
        if best != before {
            routes.push(Rc::new(empty));
        }
    }
    let Some((_, k, i, j)) = best else { return false };
    let route = Rc::make_mut(&mut routes[k]);
    route.clients.insert(j - 1, pair.1);
    route.clients.insert(i - 1, pair.0);
    route.update(instance);
    true
}

/// Whether some vehicle could serve job `job` (a client, or any client of its group) on a
/// route of its own.
pub(super) fn servable_alone(instance: &Timed, job: usize) -> bool {
    // Out of range alone, a job may still be reached by way of chargers.
    let empty = |kind: usize| {
        let mut route = Route::new(instance, kind, Vec::new());
        if !instance.chargers.is_empty() {
            route.range = None;
        }
        route
    };
    if let Some(delivery) = instance.partner[job] {
        return (0..instance.fleet.kinds().len()).any(|kind| {
            let empty = empty(kind);
            let mut found = false;
            if instance.fits(kind, &empty.load, job)
                && instance.fits(kind, &empty.load, delivery)
                && empty.max_tasks >= 2
            {
                empty.pair_insertions(instance, (job, delivery), &mut |_, _, _| found = true);
            }
            found
        });
    }
    let single = [job];
    instance.candidates(job, &single).iter().any(|&c| {
        (0..instance.fleet.kinds().len()).any(|kind| {
            let empty = empty(kind);
            instance.fits(kind, &empty.load, c) && empty.max_tasks >= 1 && empty.insertion(instance, c, 1).is_some()
        })
    })
}

/// What the routes collect short of the instance's quota, per dimension (negative: more than
/// it asks; empty without a quota).
pub(super) fn shortfall(instance: &Timed, routes: &[Rc<Route>]) -> Vec<i64> {
    let mut short = instance.quota.clone();
    if !short.is_empty() {
        for &c in routes.iter().flat_map(|r| &r.clients) {
            short.iter_mut().zip(instance.collected(c)).for_each(|(s, g)| *s -= g);
        }
    }
    short
}

/// How many units the routes fall short of the quota, over all dimensions (0: met).
pub(super) fn unmet(instance: &Timed, routes: &[Rc<Route>]) -> usize {
    shortfall(instance, routes).iter().map(|&s| s.max(0) as usize).sum()
}

/// Whether identical vehicles have one left for a new route (distinct vehicles each hold one
/// route from the start).
fn has_room(instance: &Timed, routes: &[Rc<Route>]) -> bool {
    match instance.fleet {
        Fleet::Identical { count, .. } => count.is_none_or(|v| routes.len() < v),
        Fleet::Each(_) => false,
    }
}
