//! The SMT and MILP backends cross-checked on every scenario in `constraints/` (demo town and the
//! real Monaco extract) and on seeded random requests: the same feasibility verdict, plans that
//! pass the independent checker, a MILP optimum at least as good as the SMT plan and at most the
//! relaxation's upper bound, and MILP cores that the SMT backend confirms are minimal.

use std::path::{Path, PathBuf};
use std::time::Duration;
use tripsmith_model::{NoProgress, SeededRng};
use tripsmith_planner::{check, Backend, Label, Outcome, Problem, TripRequest};
use tripsmith_region::planning::{build_problem, CandidateLimits};
use tripsmith_region::Region;

mod common;
use common::random_request;

fn workspace() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("../..")
}

fn read_request(path: &Path) -> TripRequest {
    let text = std::fs::read_to_string(path).unwrap();
    let parsed = if path.extension().is_some_and(|e| e == "json") {
        TripRequest::from_json(&text)
    } else {
        TripRequest::from_toml(&text)
    };
    parsed.unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Whether `label` is needed in `core` according to `backend`: relaxing it and everything
/// outside the core makes the request feasible.
fn needed(problem: &Problem, core: &[Label], label: &Label, backend: Backend) -> Option<bool> {
    let relaxed: Vec<Label> =
        problem.request.labels().into_iter().filter(|l| l == label || !core.contains(l)).collect();
    backend.is_feasible(problem, Duration::from_secs(120), &relaxed).unwrap()
}

/// Solves with both backends and checks that they agree; returns the verdict.
fn agree(name: &str, problem: &Problem) -> &'static str {
    // The z3 backend may spend its whole limit proving least travel; its plan is compared anyway.
    let smt = Backend::Smt.solve(problem, Duration::from_secs(30)).unwrap();
    let milp = Backend::Milp.solve(problem, Duration::from_secs(300)).unwrap();
    for (backend, outcome) in [(Backend::Smt, &smt), (Backend::Milp, &milp)] {
        if let Some(plan) = outcome.plan() {
            assert_eq!(check(problem, plan), vec![], "{name}: {backend} plan fails the checker");
        }
    }
    match (&smt, &milp) {
        (Outcome::Infeasible { core: smt_core }, Outcome::Infeasible { core: milp_core }) => {
            for core in [smt_core, milp_core] {
                assert!(!core.is_empty(), "{name}");
                // Minimal by the other backend's judgement as well as its own.
                for label in core {
                    for backend in Backend::ALL {
                        assert_eq!(needed(problem, core, label, backend), Some(true), "{name}: {label} in {core:?}");
                    }
                }
            }
            "infeasible"
        }
        (Outcome::Infeasible { .. }, _) | (_, Outcome::Infeasible { .. }) => {
            panic!("{name}: the backends disagree: smt {smt:?}, milp {milp:?}")
        }
        _ => {
            let milp_plan = milp.plan().unwrap_or_else(|| panic!("{name}: MILP found no plan: {milp:?}"));
            assert!(matches!(milp, Outcome::Feasible { optimal: true, .. }), "{name}: MILP optimum not proven");
            // The relaxation's bound holds above the proven optimum.
            let bound = tripsmith_planner::bound::value_bound(problem).expect("a bound for a feasible request");
            assert!(bound + 1e-6 >= milp_plan.value(), "{name}: bound {bound} below the optimum {}", milp_plan.value());
            if let Some(smt_plan) = smt.plan() {
                assert!(
                    milp_plan.value() + 1e-9 >= smt_plan.value(),
                    "{name}: MILP optimum {} below the SMT plan's {}",
                    milp_plan.value(),
                    smt_plan.value()
                );
                if matches!(smt, Outcome::Feasible { optimal: true, .. }) {
                    assert!((milp_plan.value() - smt_plan.value()).abs() < 1e-9, "{name}: both proven, scores differ");
                }
            }
            "feasible"
        }
    }
}

#[test]
fn backends_agree_on_every_scenario() {
    let demo = Region::demo(&NoProgress).unwrap();
    let monaco_pbf = workspace().join("../shared/data/osm/monaco-latest-2026.osm.pbf");
    let monaco = Region::from_pbf_file(&monaco_pbf, &NoProgress).unwrap();
    let mut verdicts = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(workspace().join("constraints"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "toml")
                || p.file_name()
                    .is_some_and(|n| n != "trip-request.schema.json" && n.to_string_lossy().ends_with(".json"))
        })
        .collect();
    files.sort();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let region = if name.starts_with("monaco") { &monaco } else { &demo };
        let request = read_request(path);
        let (problem, _) = build_problem(region, &request, CandidateLimits::default()).unwrap();
        verdicts.push((name.clone(), agree(&name, &problem)));
    }
    assert!(verdicts.len() >= 4, "{verdicts:?}");
    assert!(verdicts.iter().any(|v| v.1 == "feasible") && verdicts.iter().any(|v| v.1 == "infeasible"), "{verdicts:?}");
}

#[test]
fn backends_agree_on_random_requests() {
    let region = Region::demo(&NoProgress).unwrap();
    let limits = CandidateLimits { max_visits: 8, max_food: 5, ..CandidateLimits::default() };
    let mut rng = SeededRng::new(7);
    let mut seen = Vec::new();
    for k in 0..10 {
        let request = random_request(&mut rng, &region);
        let (problem, _) = build_problem(&region, &request, limits).unwrap();
        seen.push(agree(&format!("random request {k}: {request:?}"), &problem));
    }
    assert!(seen.contains(&"feasible") && seen.contains(&"infeasible"), "{seen:?}");
}
