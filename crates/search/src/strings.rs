//! String removal after SISR (Christiaens & Vanden Berghe 2020), the ruin step the VRP crate's
//! search and this engine share: from a seed item, walk its nearest items and cut one string (a
//! run of consecutive items, sometimes with a middle part kept: a "split string") out of each
//! route met, until a random number of routes is cut; now and then the shortest route goes whole.
//! A seed that no route holds (a place an orienteering solution left out) still leads the walk,
//! so the ruin makes room near it.

use tripsmith_model::SeededRng;

/// SISR's sizes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StringRemoval {
    /// Average items removed per ruin (SISR's c̄).
    pub mean_removed: f64,
    /// Longest string cut out of one route (SISR's L^max).
    pub longest_string: f64,
    /// One ruin in this many also removes the shortest route whole (0: never).
    pub route_removal_odds: usize,
}

/// One cut of a planned ruin: positions taken out of one route, ascending, counted in the route
/// as the cuts before this one left it (a route may be cut twice: a string, then whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    /// The route.
    pub route: usize,
    /// The positions removed.
    pub positions: Vec<usize>,
}

impl Cut {
    /// Takes this cut's positions out of `items`, appending what goes to `removed` in route order.
    pub fn apply(&self, items: &mut Vec<usize>, removed: &mut Vec<usize>) {
        let mut next = self.positions.iter().peekable();
        let mut index = 0;
        items.retain(|&x| {
            let gone = next.next_if_eq(&&index).is_some();
            index += 1;
            if gone {
                removed.push(x);
            }
            !gone
        });
    }
}

/// For each item `0..count`, up to `keep` of `candidates` (never itself) nearest by `distance`,
/// nearest first, ties by index.
pub fn nearest(
    count: usize,
    candidates: &[usize],
    keep: usize,
    distance: impl Fn(usize, usize) -> f64,
) -> Vec<Vec<usize>> {
    (0..count)
        .map(|c| {
            let mut others: Vec<(f64, usize)> =
                candidates.iter().filter(|&&o| o != c).map(|&o| (distance(c, o), o)).collect();
            let order = |a: &(f64, usize), b: &(f64, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
            if others.len() > keep && keep > 0 {
                others.select_nth_unstable_by(keep - 1, order);
            }
            others.truncate(keep);
            others.sort_by(order);
            // From a borrowed slice: collecting `into_iter()` would keep the whole buffer.
            others.iter().map(|&(_, o)| o).collect()
        })
        .collect()
}

impl StringRemoval {
    /// Plans a ruin of `routes` (lists of items below `items`): `seed` draws the seed item, whose
    /// walk follows `near` (from [`nearest`]). Nothing is drawn when every route is empty.
    pub fn plan(
        &self,
        routes: &[&[usize]],
        items: usize,
        near: &[Vec<usize>],
        rng: &mut SeededRng,
        seed: impl FnOnce(&mut SeededRng) -> usize,
    ) -> Vec<Cut> {
        let mut route_of = vec![usize::MAX; items];
        let mut held = 0usize;
        for (k, r) in routes.iter().enumerate() {
            held += r.len();
            for &c in r.iter() {
                route_of[c] = k;
            }
        }
        let used = routes.iter().filter(|r| !r.is_empty()).count();
        let mut cuts = Vec::new();
        if used == 0 {
            return cuts;
        }
        let mean_route = held as f64 / used as f64;
        let longest = self.longest_string.min(mean_route).max(1.0);
        let most_routes = (4.0 * self.mean_removed / (1.0 + longest) - 1.0).max(1.0);
        let strings = 1 + rng.below(most_routes as usize);
        let seed = seed(rng);
        let walk = near.get(seed).map_or(&[][..], Vec::as_slice);
        for &c in std::iter::once(&seed).chain(walk) {
            if cuts.len() >= strings {
                break;
            }
            let Some(&k) = route_of.get(c).filter(|&&k| k != usize::MAX) else { continue };
            if cuts.iter().any(|cut: &Cut| cut.route == k) {
                continue;
            }
            let route = routes[k];
            let len = route.len();
            let at = route.iter().position(|&x| x == c).unwrap_or(0);
            let string = 1 + rng.below((longest as usize).min(len));
            // Split string half the time: a run of string + kept items; a block of the kept
            // ones, placed at random inside the run, stays.
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
            let positions = (first..first + span).filter(|&p| kept == 0 || p < keep_from || p >= keep_from + kept);
            cuts.push(Cut { route: k, positions: positions.collect() });
        }
        // Strings alone seldom empty a long route, and instances with few long routes (wide
        // windows) need a route fewer to reach good costs.
        if self.route_removal_odds > 0 && rng.below(self.route_removal_odds) == 0 {
            let left = |k: usize| {
                routes[k].len() - cuts.iter().find(|cut| cut.route == k).map_or(0, |cut| cut.positions.len())
            };
            let shortest = (0..routes.len()).filter(|&k| left(k) > 0).min_by_key(|&k| left(k));
            if let Some(k) = shortest {
                cuts.push(Cut { route: k, positions: (0..left(k)).collect() });
            }
        }
        cuts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_takes_its_positions_in_route_order() {
        let mut items = vec![5, 6, 7, 8, 9];
        let mut removed = vec![1];
        Cut { route: 0, positions: vec![1, 2, 4] }.apply(&mut items, &mut removed);
        assert_eq!(items, vec![5, 8]);
        assert_eq!(removed, vec![1, 6, 7, 9]);
    }

    #[test]
    fn nearest_keeps_the_closest_others_in_order() {
        let at = [0.0, 5.0, 1.0, 3.0, 1.0];
        let near = nearest(5, &[1, 2, 3, 4], 2, |a, b| (at[a] - at[b]) * (at[a] - at[b]));
        assert_eq!(near[0], vec![2, 4]);
        assert_eq!(near[2], vec![4, 3]);
        assert_eq!(near[1], vec![3, 2]);
    }

    #[test]
    fn a_plan_cuts_existing_positions_of_distinct_routes_and_removes_whole_routes() {
        let routes: Vec<Vec<usize>> = vec![(1..8).collect(), (8..12).collect(), vec![], (12..20).collect()];
        let lists: Vec<&[usize]> = routes.iter().map(Vec::as_slice).collect();
        let near = nearest(20, &(1..20).collect::<Vec<_>>(), 10, |a, b| (a as f64 - b as f64).abs());
        let sisr = StringRemoval { mean_removed: 6.0, longest_string: 5.0, route_removal_odds: 3 };
        let mut whole = 0;
        for seed in 0..300 {
            let mut rng = SeededRng::new(seed);
            let cuts = sisr.plan(&lists, 20, &near, &mut rng, |rng| 1 + rng.below(19));
            assert!(!cuts.is_empty());
            let mut left: Vec<Vec<usize>> = routes.clone();
            let mut gone = Vec::new();
            for cut in &cuts {
                assert!(cut.positions.windows(2).all(|w| w[0] < w[1]));
                assert!(cut.positions.iter().all(|&p| p < left[cut.route].len()), "{cut:?} of {left:?}");
                cut.apply(&mut left[cut.route], &mut gone);
            }
            // Strings are at most 5 long: a longer route emptied went whole.
            whole += (0..routes.len()).filter(|&k| routes[k].len() > 5 && left[k].is_empty()).count();
            let mut all: Vec<usize> = left.concat();
            all.extend(&gone);
            all.sort_unstable();
            assert_eq!(all, (1..20).collect::<Vec<_>>());
            let same = sisr.plan(&lists, 20, &near, &mut SeededRng::new(seed), |rng| 1 + rng.below(19));
            assert_eq!(cuts, same);
        }
        assert!(whole > 0, "no ruin removed a whole route");
    }
}
