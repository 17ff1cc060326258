//! Property tests of the planner on the demo town: random requests (seeded), every plan passes
//! the independent checker, every core is minimal, every repair really repairs.

use std::time::Duration;
use tripsmith_model::{Category, NoProgress, SeededRng};
use tripsmith_planner::repair::repairs;
use tripsmith_planner::smt::{asserted_labels, is_feasible, solve, SmtOutcome};
use tripsmith_planner::{check, TripRequest};
use tripsmith_region::planning::{build_problem, CandidateLimits};
use tripsmith_region::Region;

/// A random request on the demo town, written as TOML like a traveller would.
fn random_request(rng: &mut SeededRng, region: &Region) -> TripRequest {
    let named: Vec<&str> = region
        .catalog()
        .iter()
        .filter(|p| !p.category.is_food() && p.category != Category::Lodging)
        .filter_map(|p| p.name.as_deref())
        .collect();
    let start = 8 * 60 + 30 * rng.below(18) as u32; // 08:00 .. 16:30
    let end = (start + 150 + 30 * rng.below(18) as u32).min(23 * 60);
    let mut toml = format!(
        "days = {}\nstart_date = \"2026-06-{:02}\"\nday_start = \"{:02}:{:02}\"\nday_end = \"{:02}:{:02}\"\nparty_size = {}\n",
        1 + rng.below(2),
        1 + rng.below(28),
        start / 60,
        start % 60,
        end / 60,
        end % 60,
        1 + rng.below(3)
    );
    if rng.below(2) == 0 {
        toml += &format!("budget = {}\n", 50 + 50 * rng.below(8));
    }
    if rng.below(3) > 0 {
        toml += &format!("max_places_per_day = {}\n", 1 + rng.below(4));
    }
    let visits: Vec<String> = (0..rng.below(3)).map(|_| format!("{:?}", named[rng.below(named.len())])).collect();
    let mut unique = visits.clone();
    unique.sort();
    unique.dedup();
    toml += &format!("must_visit = [{}]\n", unique.join(", "));
    toml += "[lodging]\nplace = \"Hôtel de la Gare\"\n";
    if rng.below(2) == 0 {
        toml += "[meals.lunch]\nwindow = [\"12:00\", \"14:00\"]\n";
    }
    toml += "[interests]\nmuseum = 3\npark = 2\nhistoric = 2\nviewpoint = 1\nart = 1\n";
    TripRequest::from_toml(&toml).unwrap_or_else(|e| panic!("generated a bad request: {e}\n{toml}"))
}

#[test]
fn random_requests_give_checked_plans_minimal_cores_and_real_repairs() {
    let region = Region::demo(&NoProgress).unwrap();
    let limits = CandidateLimits { max_visits: 8, max_food: 5, max_lodgings: 2 };
    let mut rng = SeededRng::new(2026);
    let (mut feasible, mut infeasible) = (0, 0);
    for _ in 0..8 {
        let request = random_request(&mut rng, &region);
        let (problem, _) = build_problem(&region, &request, limits).unwrap();
        // Feasibility first (returns as soon as decided), then the plan or the core.
        let possible = is_feasible(&problem, Duration::from_secs(60), &[]).unwrap();
        let limit = Duration::from_secs(if possible == Some(true) { 8 } else { 60 });
        match solve(&problem, limit).unwrap() {
            SmtOutcome::Feasible { plan, .. } | SmtOutcome::Timeout { plan: Some(plan) } => {
                assert_eq!(check(&problem, &plan), vec![], "{request:?}\n{plan:#?}");
                feasible += 1;
            }
            SmtOutcome::Timeout { plan: None } => panic!("no answer within the time limit: {request:?}"),
            SmtOutcome::Infeasible { core } => {
                infeasible += 1;
                assert!(!core.is_empty());
                // Minimal: the core without any one member is satisfiable (everything outside
                // the core relaxed too).
                let all = asserted_labels(&problem).unwrap();
                for member in &core {
                    let relaxed: Vec<String> =
                        all.iter().filter(|l| *l == member || !core.contains(l)).cloned().collect();
                    assert_eq!(
                        is_feasible(&problem, Duration::from_secs(60), &relaxed).unwrap(),
                        Some(true),
                        "{member} in {core:?} is not needed"
                    );
                }
                // Repairs repair: the changed request solves, and its plan passes the checker.
                let rebuild = |r: &TripRequest| build_problem(&region, r, limits).ok().map(|(p, _)| p);
                for fix in repairs(&problem, &core, &rebuild, Duration::from_secs(5), Duration::from_secs(40)) {
                    let (fixed, _) = build_problem(&region, &fix.request, limits).unwrap();
                    match solve(&fixed, Duration::from_secs(8)).unwrap() {
                        SmtOutcome::Feasible { plan, .. } | SmtOutcome::Timeout { plan: Some(plan) } => {
                            assert_eq!(check(&fixed, &plan), vec![], "repair {}", fix.change);
                        }
                        other => panic!("repair {:?} does not repair: {other:?}", fix.change),
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
