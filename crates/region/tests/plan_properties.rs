//! Property tests of the planner on the demo town: random requests (seeded), every plan passes
//! the independent checker, every core is minimal, every repair really repairs.

use std::time::Duration;
use tripsmith_model::{NoProgress, SeededRng};
use tripsmith_planner::repair::repairs;
use tripsmith_planner::smt::{asserted_labels, is_feasible, solve};
use tripsmith_planner::Outcome;
use tripsmith_planner::{check, Backend, Label, TripRequest};
use tripsmith_region::planning::{build_problem, CandidateLimits};
use tripsmith_region::Region;

mod common;
use common::random_request;

#[test]
fn random_requests_give_checked_plans_minimal_cores_and_real_repairs() {
    let region = Region::demo(&NoProgress).unwrap();
    let limits = CandidateLimits { max_visits: 8, max_food: 5, ..CandidateLimits::default() };
    let mut rng = SeededRng::new(2026);
    let (mut feasible, mut infeasible) = (0, 0);
    for _ in 0..8 {
        let request = random_request(&mut rng, &region);
        let (problem, _) = build_problem(&region, &request, limits).unwrap();
        // Feasibility first (returns as soon as decided), then the plan or the core.
        let possible = is_feasible(&problem, Duration::from_secs(60), &[]).unwrap();
        let limit = Duration::from_secs(if possible == Some(true) { 8 } else { 60 });
        match solve(&problem, limit).unwrap() {
            Outcome::Feasible { plan, .. } | Outcome::Timeout { plan: Some(plan) } => {
                assert_eq!(check(&problem, &plan), vec![], "{request:?}\n{plan:#?}");
                feasible += 1;
            }
            Outcome::Timeout { plan: None } => panic!("no answer within the time limit: {request:?}"),
            Outcome::Infeasible { core } => {
                infeasible += 1;
                assert!(!core.is_empty());
                // Minimal: the core without any one member is satisfiable (everything outside
                // the core relaxed too).
                let all = asserted_labels(&problem).unwrap();
                for member in &core {
                    let relaxed: Vec<Label> =
                        all.iter().filter(|l| *l == member || !core.contains(l)).cloned().collect();
                    assert_eq!(
                        is_feasible(&problem, Duration::from_secs(60), &relaxed).unwrap(),
                        Some(true),
                        "{member} in {core:?} is not needed"
                    );
                }
                // Repairs repair: the changed request solves, and its plan passes the checker.
                let rebuild = |r: &TripRequest| build_problem(&region, r, limits).ok().map(|(p, _)| p);
                for fix in
                    repairs(&problem, &core, &rebuild, Backend::Smt, Duration::from_secs(5), Duration::from_secs(40))
                {
                    let (fixed, _) = build_problem(&region, &fix.request, limits).unwrap();
                    match solve(&fixed, Duration::from_secs(8)).unwrap() {
                        Outcome::Feasible { plan, .. } | Outcome::Timeout { plan: Some(plan) } => {
                            assert_eq!(check(&fixed, &plan), vec![], "repair {}", fix.in_words());
                        }
                        other => panic!("repair {:?} does not repair: {other:?}", fix.in_words()),
                    }
                }
            }
        }
    }
    assert!(
        feasible >= 2 && infeasible >= 1,
        "feasible {feasible}, infeasible {infeasible}: the generator should give both"
    );
}
