//! Road graphs per profile: ways → directed edges → largest strongly connected component → CSR.

use crate::profiles::WayAccess;
use crate::read::RoadWay;
use crate::summary::ProfileSummary;
use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex as NodeIdx};
use std::collections::HashMap;
use tripsmith_model::{EdgeInput, LatLon, Profile, RoadGraph, RoadGraphError, Street};

/// Positions of nodes by OSM id (sorted by id for binary search).
pub(crate) struct NodeIndex {
    sorted: Vec<(i64, i32, i32)>,
}

impl NodeIndex {
    /// Builds the index from unsorted `(id, lat, lon)` triples in 1e-7 degrees.
    pub fn new(mut coords: Vec<(i64, i32, i32)>) -> Self {
        use rayon::slice::ParallelSliceMut;
        coords.par_sort_unstable_by_key(|c| c.0);
        coords.dedup_by_key(|c| c.0);
        Self { sorted: coords }
    }

    /// The position of node `id`, if the file has it.
    pub fn get(&self, id: i64) -> Option<LatLon> {
        let i = self.sorted.binary_search_by_key(&id, |c| c.0).ok()?;
        let (_, lat, lon) = self.sorted[i];
        Some(decimicro(lat, lon))
    }
}

/// A position from 1e-7-degree integers.
pub(crate) fn decimicro(lat: i32, lon: i32) -> LatLon {
    LatLon { lat: f64::from(lat) * 1e-7, lon: f64::from(lon) * 1e-7 }
}

/// Builds the graph of `profile` from the ways it may use, keeping its largest SCC.
pub(crate) fn build_graph(
    profile: Profile,
    ways: &[RoadWay],
    nodes: &NodeIndex,
) -> Result<(RoadGraph, ProfileSummary), RoadGraphError> {
    let slot = Profile::ALL.iter().position(|p| *p == profile).unwrap_or(0);
    let mut index: HashMap<i64, u32> = HashMap::new();
    let mut coords: Vec<LatLon> = Vec::new();
    let mut ids: Vec<i64> = Vec::new();
    let mut edges: Vec<EdgeInput> = Vec::new();
    let unnamed = Street::default();
    let mut streets = vec![unnamed.clone()];
    let mut street_index: HashMap<&Street, u32> = HashMap::from([(&unnamed, 0)]);
    let mut used_ways = 0;
    for way in ways {
        let Some(access) = way.access[slot] else { continue };
        used_ways += 1;
        let street = *street_index.entry(&way.street).or_insert_with(|| {
            streets.push(way.street.clone());
            (streets.len() - 1) as u32
        });
        let mut prev: Option<(u32, LatLon)> = None;
        for &id in &way.refs {
            let Some(pos) = nodes.get(id) else {
                prev = None; // a node outside the extract cuts the way
                continue;
            };
            let n = *index.entry(id).or_insert_with(|| {
                coords.push(pos);
                ids.push(id);
                (coords.len() - 1) as u32
            });
            if let Some((p, ppos)) = prev.filter(|(p, _)| *p != n) {
                push_segment(&mut edges, [p, n, street], ppos.haversine_m(pos), access);
            }
            prev = Some((n, pos));
        }
    }
    let total_nodes = coords.len();
    let keep = largest_scc(total_nodes, &edges);
    let mut new_id = vec![u32::MAX; total_nodes];
    let (mut kept_coords, mut kept_ids) = (Vec::new(), Vec::new());
    for (old, _) in keep.iter().enumerate().filter(|(_, k)| **k) {
        new_id[old] = kept_coords.len() as u32;
        kept_coords.push(coords[old]);
        kept_ids.push(ids[old]);
    }
    let kept_edges: Vec<EdgeInput> = edges
        .into_iter()
        .filter(|e| keep[e.from as usize] && keep[e.to as usize])
        .map(|e| EdgeInput { from: new_id[e.from as usize], to: new_id[e.to as usize], ..e })
        .collect();
    let graph = RoadGraph::from_named_edges(profile, kept_coords, kept_ids, kept_edges, streets)?;
    let summary = ProfileSummary {
        nodes: graph.num_nodes(),
        edges: graph.num_edges(),
        dropped_nodes: total_nodes - graph.num_nodes(),
        ways: used_ways,
    };
    Ok((graph, summary))
}

/// The directed edges of the piece of way `[a, b, street]` between nodes `a` and `b`.
fn push_segment(edges: &mut Vec<EdgeInput>, [a, b, street]: [u32; 3], metres: f64, access: WayAccess) {
    let length_dm = (metres * 10.0).round() as u32;
    let duration_ms = (metres / (access.speed_kmh / 3.6) * 1000.0).round() as u32;
    if access.forward {
        edges.push(EdgeInput { from: a, to: b, duration_ms, length_dm, street });
    }
    if access.backward {
        edges.push(EdgeInput { from: b, to: a, duration_ms, length_dm, street });
    }
}

/// Marks the nodes of the largest strongly connected component.
fn largest_scc(n: usize, edges: &[EdgeInput]) -> Vec<bool> {
    let mut g: DiGraph<(), ()> = DiGraph::with_capacity(n, edges.len());
    for _ in 0..n {
        g.add_node(());
    }
    for e in edges {
        g.add_edge(NodeIdx::new(e.from as usize), NodeIdx::new(e.to as usize), ());
    }
    let mut keep = vec![false; n];
    if let Some(largest) = kosaraju_scc(&g).into_iter().max_by_key(Vec::len) {
        for v in largest {
            keep[v.index()] = true;
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    fn way(refs: &[i64], forward: bool, backward: bool) -> RoadWay {
        let a = Some(WayAccess { forward, backward, speed_kmh: 36.0 });
        let street = Street { name: format!("Way {}", refs[0]), ..Street::default() };
        RoadWay { refs: refs.to_vec(), access: [a, a], street }
    }

    #[test]
    fn keeps_largest_strongly_connected_component() {
        // Square 1-2-3-4 (two-way) plus a one-way spur 4 → 5 that cannot come back.
        let nodes = NodeIndex::new(vec![
            (1, 0, 0),
            (2, 0, 10_000),
            (3, 10_000, 10_000),
            (4, 10_000, 0),
            (5, 20_000, 0),
            (6, 0, 0), // shares 1's position, unused
        ]);
        let ways = vec![way(&[1, 2, 3, 4, 1], true, true), way(&[4, 5], true, false), way(&[7, 8], true, true)];
        let (g, s) = build_graph(Profile::Car, &ways, &nodes).unwrap();
        assert_eq!(g.num_nodes(), 4);
        assert_eq!(g.num_edges(), 8);
        assert_eq!(s.dropped_nodes, 1);
        assert_eq!(s.ways, 3);
        // 0.001 degree of latitude is about 111.2 m; at 36 km/h = 10 m/s that is about 11.1 s.
        let e = g.find_edge(0, 1).unwrap();
        assert!((g.length_dm[e] as f64 / 10.0 - 111.2).abs() < 0.5, "{}", g.length_dm[e]);
        assert!((g.duration_ms[e] as f64 / 1000.0 - 11.12).abs() < 0.05, "{}", g.duration_ms[e]);
        assert!(g.osm_node_ids.iter().all(|id| (1..=4).contains(id)));
        assert_eq!(g.street(e).name, "Way 1");
        // Streets of dropped ways stay listed but no kept edge names them.
        assert!((0..g.num_edges()).all(|e| g.street(e).name == "Way 1"));
    }
}
