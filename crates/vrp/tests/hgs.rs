//! The hybrid genetic search on real CVRPLIB instances: it reaches the proven optima of small
//! ones, stays near the best-known cost of a larger one, repeats itself for a seed, and refuses
//! what it does not model, saying why. Every answer goes through the independent checker.

use std::path::PathBuf;
use std::time::Duration;
use tripsmith_vrp::check::check;
use tripsmith_vrp::hgs::{solve, supports};
use tripsmith_vrp::instance::{Instance, Rounding};
use tripsmith_vrp::solve::Settings;
use tripsmith_vrp::{solomon, vrplib};

fn data(file: &str) -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("../../../shared/data/vrp")
        .join(file)
}

fn run(instance: &Instance, seed: u64, iterations: u64) -> (f64, Vec<Vec<usize>>) {
    let settings = Settings { time_limit: Duration::from_secs(600), seed, max_iterations: iterations };
    let found = solve(instance, settings, None, &mut |_, _| {}).unwrap();
    let report = check(instance, &found.routes);
    assert!(report.feasible(), "{}: {:?}", instance.name, report.violations);
    assert!((report.cost - found.cost).abs() < 1e-6, "{} vs {}", report.cost, found.cost);
    (found.cost, found.routes)
}

#[test]
fn small_instances_reach_their_proven_optima() {
    for (file, optimum) in
        [("cvrp/E/E-n13-k4.vrp", 247.0), ("cvrp/other/P-n16-k8.vrp", 450.0), ("cvrp/A/A-n32-k5.vrp", 784.0)]
    {
        let instance = vrplib::read(&data(file), Rounding::Nearest).unwrap();
        assert_eq!(run(&instance, 1, 300).0, optimum, "{file}");
    }
}

#[test]
fn a_hundred_clients_come_within_one_percent_of_the_best_known_cost_and_a_seed_repeats() {
    let instance = vrplib::read(&data("cvrp/X/X-n101-k25.vrp"), Rounding::Nearest).unwrap();
    let (cost, routes) = run(&instance, 3, 3_000);
    assert!(cost <= 27_591.0 * 1.01, "{cost}");
    assert_eq!(run(&instance, 3, 3_000), (cost, routes));
}

#[test]
fn instances_beyond_capacity_alone_are_refused_with_the_reason() {
    let mut c101 = solomon::read(&data("vrptw/solomon/C101.txt"), Rounding::TruncateOneDecimal).unwrap();
    assert!(supports(&c101).is_err());
    if let tripsmith_vrp::instance::Fleet::Identical { count, .. } = &mut c101.fleet {
        *count = None;
    }
    assert!(supports(&c101).unwrap_err().to_string().contains("time windows"));
    let mut limited = vrplib::read(&data("cvrp/E/E-n13-k4.vrp"), Rounding::Nearest).unwrap();
    if let tripsmith_vrp::instance::Fleet::Identical { count, .. } = &mut limited.fleet {
        *count = Some(4);
    }
    assert!(supports(&limited).unwrap_err().to_string().contains("number of vehicles"));
}
