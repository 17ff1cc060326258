//! Assignment on the TNTP networks of `../shared/data/tntp`: the best-known equilibria are
//! reproduced, every algorithm converges, and the Braess paradox shows.

use std::path::PathBuf;
use tripsmith_traffic::assign::{assign, Algorithm, AssignError, Assignment, StopRule};
use tripsmith_traffic::network::{CostFactors, Network};
use tripsmith_traffic::tntp::{find_files, read_flows};

fn folder(name: &str) -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("../../../shared/data/tntp")
        .join(name)
}

fn load(name: &str) -> Network {
    let (net, trips, _) = find_files(&folder(name)).unwrap();
    Network::load(&net, &trips, CostFactors::default()).unwrap()
}

fn run(net: &Network, algorithm: Algorithm, gap: f64) -> Assignment {
    let r =
        assign(net, algorithm, StopRule { gap, max_iterations: 20_000, deadline: None }, None, &mut |_| {}).unwrap();
    assert!(r.relative_gap <= gap, "{algorithm:?}: gap {} after {} iterations", r.relative_gap, r.iterations);
    r
}

/// Relative L1 distance to the folder's best-known flows.
fn distance_to_best_known(name: &str, net: &Network, flows: &[f64]) -> f64 {
    let (_, _, flow_file) = find_files(&folder(name)).unwrap();
    let rows = read_flows(&flow_file.unwrap()).unwrap();
    assert_eq!(rows.len(), net.links.len());
    let mut l1 = 0.0;
    let mut total = 0.0;
    for ((row, link), x) in rows.iter().zip(&net.links).zip(flows) {
        assert_eq!((row.from, row.to), (link.from, link.to));
        l1 += (row.volume - x).abs();
        total += row.volume;
    }
    l1 / total
}

#[test]
fn sioux_falls_reaches_the_best_known_equilibrium() {
    let net = load("SiouxFalls");
    let r = run(&net, Algorithm::Gp, 1e-10);
    assert!(distance_to_best_known("SiouxFalls", &net, &r.flows) < 1e-6);
    // The repository states the objective 42.31335287107440 (in units of 1e5) and TSTT ≈ 7,480,225.34.
    assert!((r.beckmann / 1e5 - 42.313_352_871_074_4).abs() < 1e-9, "{}", r.beckmann);
    assert!((r.tstt - 7_480_225.34).abs() / 7_480_225.34 < 1e-6, "{}", r.tstt);
    // Every link's flow is conserved: what enters a node leaves it, except at zones.
    let mut balance = vec![0.0; net.nodes];
    for (l, x) in net.links.iter().zip(&r.flows) {
        balance[l.from - 1] -= x;
        balance[l.to - 1] += x;
    }
    for (zone, net_inflow) in balance.iter().enumerate().take(net.zones) {
        let produced: f64 = net.demand[zone * net.zones..(zone + 1) * net.zones].iter().sum();
        let attracted: f64 = (0..net.zones).map(|o| net.demand[o * net.zones + zone]).sum();
        assert!((net_inflow - (attracted - produced)).abs() < 1e-6 * net.total_demand());
    }
}

#[test]
fn every_algorithm_converges_on_sioux_falls() {
    let net = load("SiouxFalls");
    let mut iterations = Vec::new();
    for algorithm in [Algorithm::Fw, Algorithm::Cfw, Algorithm::Bfw, Algorithm::Gp] {
        let r = run(&net, algorithm, 1e-4);
        assert!(distance_to_best_known("SiouxFalls", &net, &r.flows) < 5e-3, "{algorithm:?}");
        assert!(r.history.windows(2).all(|w| w[0].seconds <= w[1].seconds));
        iterations.push(r.iterations);
    }
    // The conjugate directions pay off: fewer iterations than plain Frank-Wolfe.
    assert!(iterations[1] < iterations[0] && iterations[2] < iterations[0], "{iterations:?}");
}

#[test]
fn anaheim_matches_its_best_known_flows() {
    let net = load("Anaheim");
    assert_eq!((net.zones, net.nodes, net.links.len(), net.first_thru_node), (38, 416, 914, 39));
    let r = run(&net, Algorithm::Gp, 1e-6);
    assert!(distance_to_best_known("Anaheim", &net, &r.flows) < 1e-3);
    assert!((r.tstt - 1_419_913.85).abs() / 1_419_913.85 < 1e-4, "{}", r.tstt);
}

#[test]
fn braess_paradox_an_extra_road_makes_everyone_slower() {
    let net = load("Braess-Example");
    let with = run(&net, Algorithm::Gp, 1e-9);
    // 6 travellers: 2 on each of the three paths, each path costs 92.
    assert!((with.tstt / 6.0 - 92.0).abs() < 1e-3, "{}", with.tstt);
    // Without the bypass 3 → 4: 3 on each of two paths, each costs 83.
    let bypass = net.links.iter().position(|l| (l.from, l.to) == (3, 4)).unwrap();
    let mut links = net.links.clone();
    let mut fixed = net.fixed.clone();
    links.remove(bypass);
    fixed.remove(bypass);
    let without = Network::new(net.nodes, net.zones, net.first_thru_node, links, fixed, net.demand.clone());
    let r = run(&without, Algorithm::Gp, 1e-9);
    assert!((r.tstt / 6.0 - 83.0).abs() < 1e-3, "{}", r.tstt);
    assert!(r.tstt < with.tstt);
}

#[test]
fn demand_without_a_path_is_refused_by_every_algorithm() {
    // Braess's network without the roads into node 2: the travellers from 1 to 2 cannot arrive.
    let net = load("Braess-Example");
    let keep: Vec<usize> = (0..net.links.len()).filter(|&a| net.links[a].to != 2).collect();
    let links = keep.iter().map(|&a| net.links[a]).collect();
    let fixed = keep.iter().map(|&a| net.fixed[a]).collect();
    let cut = Network::new(net.nodes, net.zones, net.first_thru_node, links, fixed, net.demand.clone());
    let rule = StopRule { gap: 1e-6, max_iterations: 100, deadline: None };
    for algorithm in [Algorithm::Fw, Algorithm::Cfw, Algorithm::Bfw, Algorithm::Gp] {
        let e = assign(&cut, algorithm, rule, None, &mut |_| {}).unwrap_err();
        assert!(matches!(e, AssignError::Unroutable(lost) if (lost - 6.0).abs() < 1e-9), "{algorithm:?}: {e}");
    }
}

#[test]
fn chicago_sketch_matches_its_best_known_flows() {
    // Its generalised cost adds 0.04 per mile and 0.02 per cent of toll (README of the network).
    let (net, trips, _) = find_files(&folder("Chicago-Sketch")).unwrap();
    let net = Network::load(&net, &trips, CostFactors { toll: Some(0.02), distance: Some(0.04) }).unwrap();
    assert_eq!((net.zones, net.nodes, net.links.len()), (387, 933, 2950));
    let r = run(&net, Algorithm::Gp, 1e-6);
    assert!(distance_to_best_known("Chicago-Sketch", &net, &r.flows) < 1e-3);
    // The repository's objective: 17,313,018.7387477.
    assert!((r.beckmann - 17_313_018.738_747_7).abs() / 17_313_018.74 < 1e-6, "{}", r.beckmann);
}

#[test]
fn a_deadline_or_a_cancel_stops_the_iterations() {
    let net = load("SiouxFalls");
    let past = Some(std::time::Instant::now());
    let r =
        assign(&net, Algorithm::Gp, StopRule { gap: 1e-12, max_iterations: 1000, deadline: past }, None, &mut |_| {})
            .unwrap();
    assert_eq!(r.iterations, 0);
    assert!(r.relative_gap > 1e-12);
    let cancel = std::sync::atomic::AtomicBool::new(true);
    let rule = StopRule { gap: 1e-12, max_iterations: 1000, deadline: None };
    let r = assign(&net, Algorithm::Bfw, rule, Some(&cancel), &mut |_| {}).unwrap();
    assert_eq!(r.iterations, 0);
    assert_eq!(tripsmith_traffic::assign::progress_fraction(1e-2, 1e-4, 1e-6), 0.5);
    assert_eq!(tripsmith_traffic::assign::progress_fraction(1e-2, 1e-8, 1e-6), 1.0);
}

#[test]
fn the_other_networks_and_the_node_files_read() {
    // No best-known flows for these two: they must reach a tight gap.
    for name in ["Eastern-Massachusetts", "Berlin-Friedrichshain"] {
        run(&load(name), Algorithm::Gp, 1e-8);
    }
    for (file, count, first) in [
        ("SiouxFalls/SiouxFalls_node.tntp", 24, (-96.77041974, 43.61282792)),
        ("Chicago-Sketch/ChicagoSketch_node.tntp", 933, (690309.0, 1976022.0)),
        ("Berlin-Friedrichshain/friedrichshain-center_node.tntp", 224, (0.974312, 1.85107)),
    ] {
        let nodes = tripsmith_traffic::tntp::read_nodes(&folder(file)).unwrap();
        assert_eq!(nodes.len(), count, "{file}");
        assert_eq!((nodes[0].node, nodes[0].x, nodes[0].y), (1, first.0, first.1), "{file}");
    }
}

#[test]
fn a_warm_start_reaches_the_same_equilibrium_in_fewer_iterations() {
    use tripsmith_traffic::assign::gradient_projection;
    let net = load("SiouxFalls");
    let rule = StopRule { gap: 1e-9, max_iterations: 10_000, deadline: None };
    let (_, warm) = gradient_projection(&net, rule, None, &mut |_| {}, None).unwrap();
    // One more lane on the busiest link: capacity × 5/4.
    let mut links = net.links.clone();
    let busiest =
        (0..links.len()).max_by(|&a, &b| links[a].free_flow_time.total_cmp(&links[b].free_flow_time)).unwrap();
    links[busiest].capacity *= 1.25;
    let changed = Network::new(net.nodes, net.zones, net.first_thru_node, links, net.fixed.clone(), net.demand.clone());
    let (cold, _) = gradient_projection(&changed, rule, None, &mut |_| {}, None).unwrap();
    let (hot, _) = gradient_projection(&changed, rule, None, &mut |_| {}, Some(&warm)).unwrap();
    assert!(hot.iterations < cold.iterations, "{} vs {}", hot.iterations, cold.iterations);
    assert!((hot.tstt - cold.tstt).abs() / cold.tstt < 1e-7);
}
