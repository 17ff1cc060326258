//! The readers and the checker on the shared benchmark files: every best-known solution shipped
//! with an instance is feasible by the checker and costs what its file says, under the
//! instance set's rounding convention.

use std::path::PathBuf;
use tripsmith_vrp::check::{check, Violation};
use tripsmith_vrp::instance::Rounding;
use tripsmith_vrp::{solomon, solution, vrplib};

fn data(dir: &str) -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("../../../shared/data/vrp")
        .join(dir)
}

fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(data(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    out.sort();
    out
}

/// Checks the solution file against `instance`: feasible, and its cost within `tolerance` of
/// the stated one; returns the recomputed cost.
fn verify(instance: &tripsmith_vrp::instance::Instance, sol: &std::path::Path, tolerance: f64) -> f64 {
    let s = solution::read(sol).unwrap();
    let report = check(instance, &s.routes);
    assert!(report.feasible(), "{}: {:?}", sol.display(), report.violations);
    let stated = s.cost.unwrap();
    assert!((report.cost - stated).abs() <= tolerance, "{}: {} vs {stated}", sol.display(), report.cost);
    report.cost
}

#[test]
fn every_x_solution_is_feasible_at_its_stated_cost() {
    let instances = files("cvrp/X", "vrp");
    assert_eq!(instances.len(), 100);
    for file in instances {
        let instance = vrplib::read(&file, Rounding::Nearest).unwrap();
        verify(&instance, &file.with_extension("sol"), 1e-9);
    }
}

#[test]
fn other_cvrp_sets_and_explicit_matrices() {
    for (file, rounding, cost) in [
        ("cvrp/A/A-n32-k5", Rounding::Nearest, 784.0),
        ("cvrp/E/E-n13-k4", Rounding::Nearest, 247.0),
        ("cvrp/other/P-n16-k8", Rounding::Nearest, 450.0),
        ("cvrp/other/B-n31-k5", Rounding::Nearest, 672.0),
        ("cvrp/other/F-n72-k4", Rounding::Nearest, 237.0),
        ("cvrp/other/M-n101-k10", Rounding::Nearest, 820.0),
        ("cvrp/other/ORTEC-n242-k12", Rounding::Nearest, 123750.0),
        ("cvrp/other/CMT6", Rounding::Exact, 555.43),
    ] {
        let path = data(file).with_extension("vrp");
        let instance = vrplib::read(&path, rounding).unwrap();
        // Integer costs exactly; CMT6 states its cost to two decimals.
        let measured = verify(&instance, &path.with_extension("sol"), 0.005);
        assert!((measured - cost).abs() < 0.01, "{file}: {measured}");
    }
}

#[test]
fn every_solomon_solution_is_feasible_at_its_stated_cost() {
    let instances = files("vrptw/solomon", "txt");
    assert_eq!(instances.len(), 56);
    for file in instances {
        let instance = solomon::read(&file, Rounding::TruncateOneDecimal).unwrap();
        assert_eq!(instance.clients, 100);
        assert!(instance.has_time_windows());
        verify(&instance, &file.with_extension("sol"), 0.005);
    }
}

#[test]
fn the_checker_catches_each_broken_rule() {
    let path = data("vrptw/solomon/C101.txt");
    let instance = solomon::read(&path, Rounding::TruncateOneDecimal).unwrap();
    let good = solution::read(&path.with_extension("sol")).unwrap().routes;
    // A client dropped, a client twice.
    let mut routes = good.clone();
    let dropped = routes[0].pop().unwrap();
    assert!(check(&instance, &routes).violations.contains(&Violation::Unserved(dropped)));
    routes[1].push(dropped);
    routes[2].push(dropped);
    assert!(check(&instance, &routes).violations.contains(&Violation::ServedTwice(dropped)));
    // Two routes merged: over capacity and late.
    let mut merged = good.clone();
    let second = merged.remove(1);
    merged[0].extend(second);
    let v = check(&instance, &merged).violations;
    assert!(v.iter().any(|x| matches!(x, Violation::Capacity { route: 0, .. })), "{v:?}");
    assert!(v.iter().any(|x| matches!(x, Violation::Late { route: 0, .. })), "{v:?}");
    // One client per route: more routes than the 25 vehicles.
    let singles: Vec<Vec<usize>> = (1..=100).map(|c| vec![c]).collect();
    assert!(check(&instance, &singles).violations.contains(&Violation::TooManyRoutes(100)));
    // Unknown nodes.
    assert!(check(&instance, &[vec![101]]).violations.contains(&Violation::UnknownNode(101)));
    // A route-length limit (CMT6: 200).
    let cmt = vrplib::read(&data("cvrp/other/CMT6.vrp"), Rounding::Exact).unwrap();
    let all: Vec<usize> = (1..cmt.nodes()).collect();
    let v = check(&cmt, &[all]).violations;
    assert!(v.iter().any(|x| matches!(x, Violation::TooLong { .. })), "{v:?}");
}
