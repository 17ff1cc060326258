//! The ruin step: SISR's string removal (`tripsmith_search::StringRemoval`, shared with the
//! route-search engine) over the clients of the routes.

use super::route::Route;
use crate::instance::Instance;
use std::rc::Rc;
use tripsmith_model::SeededRng;
use tripsmith_search::StringRemoval;

/// The clients nearest each client (for the ruin step).
pub(super) fn neighbours(instance: &Instance) -> Vec<Vec<usize>> {
    let n = instance.clients;
    let clients: Vec<usize> = (1..=n).collect();
    tripsmith_search::nearest(n + 1, &clients, 60, |c, o| instance.d(c, o))
}

/// SISR's sizes here: about 10 clients per ruin, strings of at most 10, and one ruin in 50 also
/// removes the shortest route whole (instances with few long routes, wide windows, need a route
/// fewer to reach good costs).
const STRINGS: StringRemoval = StringRemoval { mean_removed: 10.0, longest_string: 10.0, route_removal_odds: 50 };

/// Cuts strings out of the routes near a random client. Returns the removed clients and the cut
/// routes (which still need `update`).
pub(super) fn ruin(
    routes: &mut [Rc<Route>],
    near: &[Vec<usize>],
    n: usize,
    rng: &mut SeededRng,
) -> (Vec<usize>, Vec<usize>) {
    let lists: Vec<&[usize]> = routes.iter().map(|r| r.clients.as_slice()).collect();
    let cuts = STRINGS.plan(&lists, n + 1, near, rng, |rng| 1 + rng.below(n));
    let mut removed = Vec::new();
    let mut cut = Vec::with_capacity(cuts.len());
    for c in &cuts {
        c.apply(&mut Rc::make_mut(&mut routes[c.route]).clients, &mut removed);
        if !cut.contains(&c.route) {
            cut.push(c.route);
        }
    }
    (removed, cut)
}
