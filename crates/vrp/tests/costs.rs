//! Travel times apart from distances, and what vehicles cost: VROOM's `distances` beside its
//! `durations`, vehicle `costs` (`fixed`, `per_hour`, `per_km`) and `max_distance`. The search
//! minimises what the vehicles cost, windows and travel limits follow travel times, distance
//! limits follow distances, and the checker recomputes all of it.

use serde_json::json;
use tripsmith_vrp::check::{check, Violation};
use tripsmith_vrp::solve::{solve, Settings};
use tripsmith_vrp::vroom;

fn no_roads(_: &[(f64, f64)]) -> Result<vroom::RoadMatrices, String> {
    Err("no roads here".into())
}

fn settings() -> Settings {
    Settings { time_limit: std::time::Duration::from_secs(60), seed: 3, max_iterations: 2_000 }
}

/// Place 0 the depot; jobs 1 and 2 at places 1 and 2. The direct road between the jobs is
/// short but slow (25 m, 500 s); via the depot each leg is 100 m and 60 s.
fn two_roads(vehicles: serde_json::Value) -> tripsmith_vrp::instance::Instance {
    let durations = json!([[0, 60, 60], [60, 0, 500], [60, 500, 0]]);
    let distances = json!([[0, 100, 100], [100, 0, 25], [100, 25, 0]]);
    let text = json!({
        "vehicles": vehicles,
        "jobs": [{"id": 1, "location_index": 1}, {"id": 2, "location_index": 2}],
        "matrices": {"car": {"durations": durations, "distances": distances}},
    });
    vroom::parse(&text.to_string(), &mut no_roads).unwrap().instance
}

fn solved_routes(instance: &tripsmith_vrp::instance::Instance) -> Vec<Vec<usize>> {
    let found = solve(instance, settings(), None, &mut |_, _| {});
    let report = check(instance, &found.routes);
    assert!(report.feasible(), "{:?}", report.violations);
    assert!((report.cost - found.cost).abs() < 1e-6, "{} vs {}", report.cost, found.cost);
    found.routes
}

#[test]
fn time_priced_vehicles_take_the_fast_roads_and_distance_priced_ones_the_short_road() {
    // VROOM's default cost is travel time: two trips out and back (240 s) beat the slow road
    // (620 s), so the second vehicle goes too.
    let vehicle =
        |id: u64, costs: serde_json::Value| json!({"id": id, "start_index": 0, "end_index": 0, "costs": costs});
    let by_time = two_roads(json!([vehicle(1, json!(null)), vehicle(2, json!(null))]));
    let routes = solved_routes(&by_time);
    let report = check(&by_time, &routes);
    assert_eq!((report.routes, report.cost, report.travel_time, report.distance), (2, 240.0, 240.0, 400.0));
    // Priced by distance (1 per km): one vehicle over the short road, 225 m.
    let per_km = json!({"per_hour": 0, "per_km": 1000});
    let by_distance = two_roads(json!([vehicle(1, per_km.clone()), vehicle(2, per_km)]));
    let report = check(&by_distance, &solved_routes(&by_distance));
    assert_eq!((report.routes, report.cost, report.distance, report.travel_time), (1, 225.0, 225.0, 620.0));
}

#[test]
fn a_fixed_cost_keeps_a_second_vehicle_home_while_it_costs_more_than_it_saves() {
    // Two vehicles cost 240 s of driving, one 620 s: the second is worth a fixed cost below 380.
    for (fixed, routes, cost) in [(300.0, 2, 840.0), (400.0, 1, 1020.0)] {
        let vehicle = |id: u64| json!({"id": id, "start_index": 0, "end_index": 0, "costs": {"fixed": fixed}});
        let instance = two_roads(json!([vehicle(1), vehicle(2)]));
        let report = check(&instance, &solved_routes(&instance));
        assert_eq!((report.routes, report.cost), (routes, cost), "fixed {fixed}");
    }
}

#[test]
fn the_cheaper_vehicle_drives_when_both_could() {
    let instance = two_roads(json!([
        {"id": 1, "start_index": 0, "end_index": 0, "costs": {"per_hour": 7200}, "max_tasks": 1},
        {"id": 2, "start_index": 0, "end_index": 0, "max_tasks": 1},
    ]));
    // Each vehicle takes one job (120 s each); vehicle 1 costs twice as much per second.
    let report = check(&instance, &solved_routes(&instance));
    assert_eq!(report.cost, 360.0);
    let expensive_alone = check(&instance, &[vec![1], vec![]]);
    assert_eq!((expensive_alone.cost, expensive_alone.violations), (240.0, vec![Violation::Unserved(2)]));
}

#[test]
fn windows_follow_travel_times_and_limits_follow_their_own_measure() {
    // Job 2 closes at 70 s: reachable on the fast road out (60 s), never after job 1 by the
    // slow road. A distance limit of 300 m allows a trip via the depot (400 m) only apart.
    let jobs = json!([{"id": 1, "location_index": 1}, {"id": 2, "location_index": 2, "time_windows": [[0, 70]]}]);
    let text = json!({
        "vehicles": [{"id": 1, "start_index": 0, "end_index": 0, "costs": {"per_hour": 0, "per_km": 1000}}],
        "jobs": jobs,
        "matrices": {"car": {"durations": [[0, 60, 60], [60, 0, 500], [60, 500, 0]],
                             "distances": [[0, 100, 100], [100, 0, 25], [100, 25, 0]]}},
    });
    let instance = vroom::parse(&text.to_string(), &mut no_roads).unwrap().instance;
    // Distance alone would go 1 → 2; the window makes it 2 → 1 (the same 225 m).
    assert_eq!(solved_routes(&instance), vec![vec![2, 1]]);
    assert!(matches!(check(&instance, &[vec![1, 2]]).violations[..], [Violation::Late { client: 2, .. }]));
    // A 200 m limit: one job only, the other left out with the distance limit as its reason.
    let mut limited = text.clone();
    limited["vehicles"][0]["max_distance"] = json!(200);
    let instance = vroom::parse(&limited.to_string(), &mut no_roads).unwrap().instance;
    let found = solve(&instance, settings(), None, &mut |_, _| {});
    assert_eq!(found.routes.iter().map(Vec::len).sum::<usize>(), 1);
    assert!(found.unassigned[0].reason.contains("no vehicle has room or time left"), "{:?}", found.unassigned);
    assert!(
        matches!(check(&instance, &[vec![2, 1]]).violations[..], [Violation::TooFar { distance, .. }] if distance == 225.0)
    );
    // A travel-time limit of 100 s: a job alone takes 120 s, so nothing fits, and both say why.
    let mut timed = text;
    timed["vehicles"][0]["max_travel_time"] = json!(100);
    let instance = vroom::parse(&timed.to_string(), &mut no_roads).unwrap().instance;
    let found = solve(&instance, settings(), None, &mut |_, _| {});
    assert_eq!(found.unassigned.len(), 2);
    assert!(found.unassigned[0].reason.contains("drives for 120, over the vehicle's travel-time limit 100"));
}
