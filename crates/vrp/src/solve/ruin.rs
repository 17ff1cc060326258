//! Ruin after SISR: cut strings of consecutive clients out of the routes near a random client.

use super::route::Route;
use crate::instance::Instance;
use std::rc::Rc;
use tripsmith_model::SeededRng;

/// The clients nearest each client (for the ruin step).
pub(super) fn neighbours(instance: &Instance) -> Vec<Vec<usize>> {
    let n = instance.clients;
    (0..=n)
        .map(|c| {
            let mut others: Vec<usize> = (1..=n).filter(|&o| o != c).collect();
            others.sort_by(|&a, &b| instance.d(c, a).total_cmp(&instance.d(c, b)).then(a.cmp(&b)));
            others.truncate(60);
            others
        })
        .collect()
}

/// Average clients removed per ruin (SISR's c̄) and the longest string removed from one route.
pub(super) const MEAN_REMOVED: f64 = 10.0;
pub(super) const LONGEST_STRING: f64 = 10.0;

/// SISR's ruin: from a random seed client, walk its nearest clients and cut one string (a run
/// of consecutive clients, sometimes with a middle part kept: a "split string") out of each
/// route met, until a random number of routes is cut. Returns the removed clients and the cut
/// routes (which still need `update`).
pub(super) fn ruin(
    routes: &mut [Rc<Route>],
    near: &[Vec<usize>],
    n: usize,
    rng: &mut SeededRng,
) -> (Vec<usize>, Vec<usize>) {
    let mut route_of = vec![usize::MAX; n + 1];
    let mut served = 0usize;
    for (k, r) in routes.iter().enumerate() {
        served += r.clients.len();
        for &c in &r.clients {
            route_of[c] = k;
        }
    }
    let mut removed = Vec::new();
    let used = routes.iter().filter(|r| !r.clients.is_empty()).count();
    if used == 0 {
        return (removed, Vec::new());
    }
    let mean_route = served as f64 / used as f64;
    let longest = LONGEST_STRING.min(mean_route).max(1.0);
    let most_routes = (4.0 * MEAN_REMOVED / (1.0 + longest) - 1.0).max(1.0);
    let strings = 1 + rng.below(most_routes as usize);
    let seed = 1 + rng.below(n);
    let mut cut = Vec::with_capacity(strings);
    for c in std::iter::once(seed).chain(near[seed].iter().copied()) {
        if cut.len() >= strings {
            break;
        }
        let k = route_of[c];
        if k == usize::MAX || cut.contains(&k) {
            continue;
        }
        cut.push(k);
        let clients = &mut Rc::make_mut(&mut routes[k]).clients;
        let len = clients.len();
        let at = clients.iter().position(|&x| x == c).unwrap_or(0);
        let string = 1 + rng.below((longest as usize).min(len));
        // Split string half the time: a run of string + kept clients; a block of the kept ones,
        // placed at random inside the run, stays.
        let mut kept = 0;
        if rng.below(2) == 0 && string < len {
            kept = 1;
            while string + kept < len && rng.next_f64() < 0.5 {
                kept += 1;
            }
        }
        let span = string + kept;
        // A window of `span` positions containing `at`, placed at random.
        let lowest = (at + 1).saturating_sub(span);
        let highest = at.min(len - span);
        let first = lowest + rng.below(highest - lowest + 1);
        let keep_from = first + rng.below(string.max(1));
        let mut index = 0;
        clients.retain(|&x| {
            let p = index;
            index += 1;
            let inside = p >= first && p < first + span;
            let spared = kept > 0 && p >= keep_from && p < keep_from + kept;
            if inside && !spared {
                removed.push(x);
                false
            } else {
                true
            }
        });
    }
    // Now and then the shortest route goes whole: strings alone seldom empty a long route, and
    // instances with few long routes (wide windows) need a route fewer to reach good costs.
    if rng.below(ROUTE_REMOVAL_ODDS) == 0 {
        let shortest =
            (0..routes.len()).filter(|&k| !routes[k].clients.is_empty()).min_by_key(|&k| routes[k].clients.len());
        if let Some(k) = shortest {
            removed.append(&mut Rc::make_mut(&mut routes[k]).clients);
            if !cut.contains(&k) {
                cut.push(k);
            }
        }
    }
    (removed, cut)
}

/// One ruin in this many also removes the shortest route whole.
const ROUTE_REMOVAL_ODDS: usize = 50;
