//! Plain Dijkstra on the road graph: the reference the contraction hierarchy is checked against.

use crate::search::{Cost, Scratch, Seed, INF};
use tripsmith_model::RoadGraph;

/// The cheapest cost from any source seed to any target seed (source cost + path + target cost),
/// or `None` when no target is reachable.
pub fn shortest_cost(graph: &RoadGraph, scratch: &mut Scratch, sources: &[Seed], targets: &[Seed]) -> Option<Cost> {
    search_from(graph, scratch, sources, |_| false);
    best_at_targets(scratch, targets)
}

/// Costs from the sources to every node (a one-to-all search); read them with
/// [`Scratch::cost_of`]. `stop` may end the search early once it returns `true` for a settled node.
pub fn search_from(graph: &RoadGraph, scratch: &mut Scratch, sources: &[Seed], mut stop: impl FnMut(u32) -> bool) {
    scratch.reset();
    for s in sources {
        scratch.relax(s.node, s.cost, INF);
    }
    while let Some((u, c)) = scratch.pop() {
        if stop(u) {
            break;
        }
        for e in graph.out_edges(u) {
            let step = Cost { time: graph.duration_ms[e], dist: graph.length_dm[e] };
            scratch.relax(graph.head[e], c.plus(step), e as u32);
        }
    }
}

/// The best source-to-target cost after a search that reached the targets' nodes.
pub fn best_at_targets(scratch: &Scratch, targets: &[Seed]) -> Option<Cost> {
    targets
        .iter()
        .filter(|t| scratch.cost_of(t.node).time != INF)
        .map(|t| scratch.cost_of(t.node).plus(t.cost))
        .min_by_key(|c| c.time)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tripsmith_model::{EdgeInput, LatLon, Profile};

    #[test]
    fn finds_cheapest_path_with_seed_costs() {
        // 0 → 1 → 2 costs 2 + 2; 0 → 2 directly costs 5.
        let e = |from, to, t| EdgeInput { from, to, duration_ms: t, length_dm: t * 10, street: 0 };
        let g = RoadGraph::from_edges(
            Profile::Car,
            vec![LatLon { lat: 0.0, lon: 0.0 }; 3],
            vec![1, 2, 3],
            vec![e(0, 1, 2), e(1, 2, 2), e(0, 2, 5)],
        )
        .unwrap();
        let mut s = Scratch::new(3);
        let seed = |node, time| Seed { node, cost: Cost { time, dist: 0 } };
        assert_eq!(shortest_cost(&g, &mut s, &[seed(0, 0)], &[seed(2, 0)]).unwrap().time, 4);
        assert_eq!(shortest_cost(&g, &mut s, &[seed(0, 0)], &[seed(2, 0)]).unwrap().dist, 40);
        // A target seed with its own cost: reaching node 1 and paying 1 more beats node 2.
        assert_eq!(shortest_cost(&g, &mut s, &[seed(0, 0)], &[seed(2, 0), seed(1, 1)]).unwrap().time, 3);
        assert_eq!(shortest_cost(&g, &mut s, &[seed(2, 0)], &[seed(0, 0)]), None);
    }
}
