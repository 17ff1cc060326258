//! The ruin-and-recreate search: its answers pass the independent checker, the same seed and
//! iteration count give the same answer, and clients no vehicle can serve come back with a
//! verified reason.

use std::path::PathBuf;
use std::time::Duration;
use tripsmith_vrp::check::check;
use tripsmith_vrp::instance::Rounding;
use tripsmith_vrp::solve::{solve, Settings};
use tripsmith_vrp::{solomon, vrplib};

fn data(file: &str) -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("../../../shared/data/vrp")
        .join(file)
}

fn settings(iterations: u64) -> Settings {
    Settings { time_limit: Duration::from_secs(600), seed: 7, max_iterations: iterations }
}

#[test]
fn small_cvrps_reach_their_optima_and_pass_the_checker() {
    for (file, optimum) in
        [("cvrp/E/E-n13-k4.vrp", 247.0), ("cvrp/other/P-n16-k8.vrp", 450.0), ("cvrp/A/A-n32-k5.vrp", 784.0)]
    {
        let instance = vrplib::read(&data(file), Rounding::Nearest).unwrap();
        let found = solve(&instance, settings(20_000), None, &mut |_, _| {});
        let report = check(&instance, &found.routes);
        assert!(report.feasible(), "{file}: {:?}", report.violations);
        assert_eq!(report.cost, found.cost, "{file}");
        assert!(found.unassigned.is_empty());
        assert!(found.cost <= optimum * 1.01, "{file}: {} against the optimum {optimum}", found.cost);
        assert!(found.cost >= optimum, "{file}: {} below the proven optimum {optimum}", found.cost);
    }
}

#[test]
fn time_windows_are_kept_and_the_same_seed_gives_the_same_routes() {
    let instance = solomon::read(&data("vrptw/solomon/R101.txt"), Rounding::TruncateOneDecimal).unwrap();
    let a = solve(&instance, settings(3_000), None, &mut |_, _| {});
    let b = solve(&instance, settings(3_000), None, &mut |_, _| {});
    assert_eq!(a, b);
    let report = check(&instance, &a.routes);
    assert!(report.feasible(), "{:?}", report.violations);
    assert!(report.routes <= 25);
    // Within 5 % of the best known 1637.7 after 3,000 iterations.
    assert!(a.cost < 1637.7 * 1.05, "{}", a.cost);
}

#[test]
fn clients_no_vehicle_can_serve_are_reported_with_their_reason() {
    let text = "NAME : t\nDIMENSION : 4\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 10\nDISTANCE : 50\n\
NODE_COORD_SECTION\n1 0 0\n2 3 4\n3 6 8\n4 40 0\nDEMAND_SECTION\n1 0\n2 4\n3 11\n4 1\nEOF\n";
    let instance = vrplib::parse(text, Rounding::Nearest).unwrap();
    let found = solve(&instance, settings(100), None, &mut |_, _| {});
    let reasons: Vec<(usize, &str)> = found.unassigned.iter().map(|u| (u.client, u.reason.as_str())).collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(reasons[0].0 == 2 && reasons[0].1.contains("capacity"), "{reasons:?}");
    assert!(reasons[1].0 == 3 && reasons[1].1.contains("limit"), "{reasons:?}");
    assert_eq!(found.routes, vec![vec![1]]);
    assert!(check(&instance, &found.routes)
        .violations
        .iter()
        .all(|v| matches!(v, tripsmith_vrp::check::Violation::Unserved(_))));
}
