//! The exact MILP solver: it proves the published optima of small CVRP and TSPLIB instances
//! starting from a poor solution (so the proof is the MILP's work, not the heuristic's), its
//! routes pass the independent checker at the proven cost, a short time limit returns the
//! starting solution unproven, and instances outside the formulation are refused.

use std::path::PathBuf;
use std::time::Duration;
use tripsmith_vrp::check::check;
use tripsmith_vrp::exact::{solve_exact, ExactError};
use tripsmith_vrp::instance::{Instance, Rounding};
use tripsmith_vrp::{solomon, vrplib};

fn data(file: &str) -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("../../../shared/data/vrp")
        .join(file)
}

/// A feasible but poor start: clients in number order, a new route whenever the load is full.
fn poor_start(instance: &Instance) -> Vec<Vec<usize>> {
    let mut routes: Vec<Vec<usize>> = vec![Vec::new()];
    let mut load = 0;
    for c in 1..instance.nodes() {
        if load + instance.demand[c] > instance.fleet.kinds()[0].capacity[0] {
            routes.push(Vec::new());
            load = 0;
        }
        load += instance.demand[c];
        if let Some(r) = routes.last_mut() {
            r.push(c);
        }
    }
    routes
}

fn proves(file: &str, optimum: f64) {
    let instance = vrplib::read(&data(file), Rounding::Nearest).unwrap();
    let mut start = poor_start(&instance);
    if !check(&instance, &start).feasible() {
        // More routes than vehicles: take the heuristic's answer instead.
        let settings =
            tripsmith_vrp::solve::Settings { time_limit: Duration::from_secs(60), seed: 1, max_iterations: 2_000 };
        start = tripsmith_vrp::solve::solve(&instance, settings, None, &mut |_, _| {}).routes;
    }
    let outcome = solve_exact(&instance, &start, Duration::from_secs(120)).unwrap();
    assert!(outcome.proven_optimal, "{file}: not proven ({outcome:?})");
    let report = check(&instance, &outcome.routes);
    assert!(report.feasible(), "{file}: {:?}", report.violations);
    assert_eq!(report.cost, optimum, "{file}");
    assert_eq!(outcome.cost, optimum, "{file}");
    assert!((outcome.lower_bound - optimum).abs() < 1e-6, "{file}: bound {}", outcome.lower_bound);
}

#[test]
fn proves_the_small_cvrp_optima() {
    proves("cvrp/E/E-n13-k4.vrp", 247.0);
    proves("cvrp/other/P-n16-k8.vrp", 450.0);
}

#[test]
fn proves_small_tsplib_optima_in_each_distance_type() {
    // GEO, EXPLICIT (LOWER_DIAG_ROW, UPPER_ROW, FULL_MATRIX), ATT, EUC_2D.
    for (file, optimum) in [
        ("tsp/burma14.tsp", 3323.0),
        ("tsp/ulysses16.tsp", 6859.0),
        ("tsp/gr17.tsp", 2085.0),
        ("tsp/gr21.tsp", 2707.0),
        ("tsp/ulysses22.tsp", 7013.0),
        ("tsp/bayg29.tsp", 1610.0),
        ("tsp/bays29.tsp", 2020.0),
        ("tsp/att48.tsp", 10628.0),
        ("tsp/eil51.tsp", 426.0),
    ] {
        proves(file, optimum);
    }
}

#[test]
fn a_short_time_limit_returns_the_start_unproven() {
    let instance = vrplib::read(&data("cvrp/A/A-n32-k5.vrp"), Rounding::Nearest).unwrap();
    let start = poor_start(&instance);
    let outcome = solve_exact(&instance, &start, Duration::from_millis(1)).unwrap();
    assert!(!outcome.proven_optimal);
    assert!(check(&instance, &outcome.routes).feasible());
    assert!(outcome.cost <= check(&instance, &start).cost);
    assert!(outcome.lower_bound <= 784.0);
}

#[test]
fn instances_outside_the_formulation_are_refused() {
    let c101 = solomon::read(&data("vrptw/solomon/C101.txt"), Rounding::TruncateOneDecimal).unwrap();
    let e = solve_exact(&c101, &[], Duration::from_secs(1)).unwrap_err();
    assert!(matches!(&e, ExactError::Unsupported(why) if why.contains("time windows")), "{e}");
    let cmt6 = vrplib::read(&data("cvrp/other/CMT6.vrp"), Rounding::Exact).unwrap();
    let e = solve_exact(&cmt6, &[], Duration::from_secs(1)).unwrap_err();
    assert!(e.to_string().contains("route length"), "{e}");
    let mut skewed = vrplib::read(&data("cvrp/E/E-n13-k4.vrp"), Rounding::Nearest).unwrap();
    let n = skewed.nodes();
    skewed.distance[n + 2] += 1.0;
    let e = solve_exact(&skewed, &poor_start(&skewed), Duration::from_secs(1)).unwrap_err();
    assert!(e.to_string().contains("symmetric"), "{e}");
    let e13 = vrplib::read(&data("cvrp/E/E-n13-k4.vrp"), Rounding::Nearest).unwrap();
    let e = solve_exact(&e13, &[vec![1]], Duration::from_secs(1)).unwrap_err();
    assert!(e.to_string().contains("feasible solution"), "{e}");
}
