//! The contraction hierarchy must give exactly the durations of plain Dijkstra, on generated
//! grids and on the real Monaco and Andorra extracts (≥ 1,000 random pairs each).

use std::path::PathBuf;
use tripsmith_model::{EdgeInput, LatLon, NoProgress, Profile, RoadGraph, SeededRng};
use tripsmith_routing::{dijkstra, ContractionHierarchy, Cost, Router, Scratch, Seed};

fn shared_osm(name: &str) -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("../../../shared/data/osm")
        .join(name)
}

/// A grid with random one-way streets and random speeds.
fn random_grid(side: u32, seed: u64) -> RoadGraph {
    let mut rng = SeededRng::new(seed);
    let id = |x: u32, y: u32| y * side + x;
    let coords = (0..side * side)
        .map(|i| LatLon { lat: 45.0 + f64::from(i / side) * 0.001, lon: 5.0 + f64::from(i % side) * 0.001 })
        .collect();
    let mut edges = Vec::new();
    for y in 0..side {
        for x in 0..side {
            for (nx, ny) in [(x + 1, y), (x, y + 1)] {
                if nx < side && ny < side {
                    let t = 1000 + rng.below(20_000) as u32;
                    let (a, b) = (id(x, y), id(nx, ny));
                    match rng.below(5) {
                        0 => edges.push(EdgeInput { from: a, to: b, duration_ms: t, length_dm: t / 10, street: 0 }),
                        1 => edges.push(EdgeInput { from: b, to: a, duration_ms: t, length_dm: t / 10, street: 0 }),
                        _ => {
                            edges.push(EdgeInput { from: a, to: b, duration_ms: t, length_dm: t / 10, street: 0 });
                            edges.push(EdgeInput { from: b, to: a, duration_ms: t, length_dm: t / 10, street: 0 });
                        }
                    }
                }
            }
        }
    }
    RoadGraph::from_edges(Profile::Car, coords, (0..i64::from(side * side)).collect(), edges).unwrap()
}

fn node_seed(node: u32) -> Vec<Seed> {
    vec![Seed { node, cost: Cost::ZERO }]
}

/// Compares hierarchy routes, hierarchy tables and Dijkstra on `pairs` random node pairs.
fn check_node_pairs(graph: &RoadGraph, pairs: usize, seed: u64) {
    let ch = ContractionHierarchy::build(graph, &NoProgress);
    let mut rng = SeededRng::new(seed);
    let mut scratch = Scratch::new(graph.num_nodes());
    let n = graph.num_nodes();
    let mut checked_paths = 0;
    for _ in 0..pairs {
        let (s, t) = (rng.below(n) as u32, rng.below(n) as u32);
        let reference = dijkstra::shortest_cost(graph, &mut scratch, &node_seed(s), &node_seed(t));
        let routed = ch.route(&node_seed(s), &node_seed(t));
        assert_eq!(routed.as_ref().map(|r| r.0.time), reference.map(|c| c.time), "pair {s} → {t}");
        if let Some((cost, nodes)) = routed {
            // The unpacked path is a real path in the road graph with exactly that cost.
            assert_eq!(nodes.first(), Some(&s));
            assert_eq!(nodes.last(), Some(&t));
            let mut total = Cost::ZERO;
            for w in nodes.windows(2) {
                let e = graph.find_edge(w[0], w[1]).unwrap_or_else(|| panic!("no edge {} → {}", w[0], w[1]));
                total = total.plus(Cost { time: graph.duration_ms[e], dist: graph.length_dm[e] });
            }
            assert_eq!(total, cost, "path cost of {s} → {t}");
            checked_paths += 1;
        }
    }
    assert!(checked_paths > pairs / 2, "too few reachable pairs: {checked_paths}");
    // Many-to-many over 40 × 40 random nodes.
    let src: Vec<u32> = (0..40).map(|_| rng.below(n) as u32).collect();
    let dst: Vec<u32> = (0..40).map(|_| rng.below(n) as u32).collect();
    let table = ch.table(
        &src.iter().map(|&s| node_seed(s)).collect::<Vec<_>>(),
        &dst.iter().map(|&t| node_seed(t)).collect::<Vec<_>>(),
    );
    for (i, &s) in src.iter().enumerate() {
        dijkstra::search_from(graph, &mut scratch, &node_seed(s), |_| false);
        for (j, &t) in dst.iter().enumerate() {
            let reference = dijkstra::best_at_targets(&scratch, &node_seed(t));
            assert_eq!(table[i * dst.len() + j].map(|c| c.time), reference.map(|c| c.time), "table {s} → {t}");
        }
    }
}

#[test]
fn hierarchy_matches_dijkstra_on_random_grids() {
    for seed in 0..4 {
        check_node_pairs(&random_grid(25, seed), 300, seed);
    }
}

fn check_extract(file: &str) {
    let extract = tripsmith_osm::read_pbf_file(&shared_osm(file), &NoProgress).unwrap();
    for graph in &extract.graphs {
        check_node_pairs(graph, 1000, 42);
    }
    // Coordinates: hierarchy tables equal the Dijkstra tables, snapping included.
    for graph in extract.graphs {
        let profile = graph.profile;
        let router = Router::new(graph, &NoProgress);
        let points = router.random_points(64, 7);
        assert_eq!(points.len(), 64, "{file} {profile}: too few random points near roads");
        let (src, dst) = points.split_at(32);
        let fast = router.table(src, dst).unwrap();
        let slow = router.table_by_dijkstra(src, dst).unwrap();
        assert_eq!(fast.durations_s, slow.durations_s, "{file} {profile}");
        // Routes agree with the table and their geometry measures what they report.
        let (mut named, mut total) = (0.0, 0.0);
        for (i, a) in src.iter().take(8).enumerate() {
            for (j, b) in dst.iter().take(8).enumerate() {
                let route = router.route(*a, *b).unwrap();
                assert_eq!(Some(route.duration_s), fast.durations_s[i][j], "{file} {profile} route {i} → {j}");
                let measured = route.geometry_length_m();
                assert!(
                    (measured - route.distance_m).abs() <= 1.0 + 0.002 * route.distance_m,
                    "{file} {profile}: geometry {measured} m vs reported {} m",
                    route.distance_m
                );
                // One segment per piece of the geometry, adding up to the route (to the
                // millisecond and decimetre), each about as long as its piece.
                assert_eq!(route.segments.len() + 1, route.geometry.len(), "{file} {profile} route {i} → {j}");
                let time: f64 = route.segments.iter().map(|s| s.duration_s).sum();
                let length: f64 = route.segments.iter().map(|s| s.distance_m).sum();
                assert!((time - route.duration_s).abs() < 1e-6, "{file} {profile}: {time} s vs {}", route.duration_s);
                assert!(
                    (length - route.distance_m).abs() < 1e-6,
                    "{file} {profile}: {length} m vs {}",
                    route.distance_m
                );
                let last = route.segments.len() - 1;
                for (k, (s, w)) in route.segments.iter().zip(route.geometry.windows(2)).enumerate() {
                    let piece = w[0].haversine_m(w[1]);
                    assert!(
                        (piece - s.distance_m).abs() <= 1.0 + 0.01 * piece,
                        "{file} {profile}: {s:?} for {piece} m"
                    );
                    // Each piece knows its edge; every piece but the last ends at its edge's head.
                    let edge = s.edge.unwrap_or_else(|| panic!("{file} {profile}: piece {k} without an edge"));
                    if k < last {
                        assert_eq!(router.graph().coords[router.graph().head[edge as usize] as usize], w[1]);
                    }
                }
                check_steps(&route, router.graph(), &mut named);
                total += route.distance_m;
            }
        }
        // Much of a route runs on named streets (footpaths, mountain paths and service roads are
        // unnamed: Andorra's walks are 44 % named, Monaco's drives 96 %).
        eprintln!("{file} {profile}: {:.0} % of the route length named", 100.0 * named / total);
        assert!(named > 0.3 * total, "{file} {profile}: {named:.0} m of {total:.0} m named");
    }
}

/// A route's steps: a depart first and an arrive (of no length) last, stretches that add up to
/// the route and join into its line, each starting at its maneuver; `named` adds the metres on
/// named streets.
fn check_steps(route: &tripsmith_routing::Route, graph: &RoadGraph, named: &mut f64) {
    use tripsmith_routing::steps::ManeuverKind;
    let steps = tripsmith_routing::steps(route, graph);
    assert_eq!(steps.first().map(|s| s.maneuver.kind), Some(ManeuverKind::Depart));
    assert_eq!(steps.last().map(|s| (s.maneuver.kind, s.distance_m)), Some((ManeuverKind::Arrive, 0.0)));
    let time: f64 = steps.iter().map(|s| s.duration_s).sum();
    assert!((time - route.duration_s).abs() < 1e-6, "{time} s vs {}", route.duration_s);
    let mut line = Vec::new();
    for step in &steps[..steps.len() - 1] {
        assert_eq!(step.geometry.first(), Some(&step.maneuver.location));
        if !line.is_empty() {
            line.pop();
        }
        line.extend_from_slice(&step.geometry);
        if !step.name.is_empty() {
            *named += step.distance_m;
        }
    }
    assert_eq!(line, route.geometry);
    for step in &steps[1..steps.len() - 1] {
        assert!(step.maneuver.modifier.is_some(), "{step:?}");
        let x = &step.intersection;
        let out = x.leave_by.unwrap_or_else(|| panic!("no way out: {step:?}"));
        assert_eq!((x.bearings[out], x.entry[out]), (step.maneuver.bearing_after, true), "{step:?}");
        assert!(x.arrive_by.is_some(), "{step:?}");
    }
}

#[test]
fn hierarchy_matches_dijkstra_on_monaco() {
    check_extract("monaco-latest-2026.osm.pbf");
}

#[test]
fn hierarchy_matches_dijkstra_on_andorra() {
    check_extract("andorra.osm.pbf");
}
