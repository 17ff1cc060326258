//! Distinct vehicles: each with its own depots, capacity in several demand dimensions, shift
//! and skills, read from VROOM JSON; the search keeps every rule, the checker catches each one
//! broken, and clients nothing can serve are reported with each vehicle's reason.

use tripsmith_vrp::check::{check, schedule, Violation};
use tripsmith_vrp::solve::{solve, Settings};
use tripsmith_vrp::{solution, vroom};

fn no_roads(_: &[(f64, f64)]) -> Result<vroom::RoadMatrices, String> {
    Err("no roads here".into())
}

/// Places on a line at these positions; travel time = distance.
fn line_matrix(positions: &[f64]) -> serde_json::Value {
    positions.iter().map(|a| positions.iter().map(|b| (a - b).abs()).collect::<Vec<_>>()).collect()
}

/// Depot A at 0 (place 0), depot B at 100 (place 1), jobs 10..=15 at 10, 20, 30, 70, 80, 90
/// (places 2..=7). Vehicle 1 runs from A with capacity [10, 2] and skill 1; vehicle 2 from B
/// with [10, 6] and skills 1 and 2. Job 12 (at 30) needs skill 2; job 14 (at 80) has demand [1, 3].
fn two_depots(extra_jobs: &[serde_json::Value]) -> String {
    let positions = [0.0, 100.0, 10.0, 20.0, 30.0, 70.0, 80.0, 90.0];
    let mut jobs: Vec<serde_json::Value> =
        (0..6).map(|k| serde_json::json!({"id": 10 + k, "location_index": 2 + k, "delivery": [1, 1]})).collect();
    jobs[2]["skills"] = serde_json::json!([2]);
    jobs[4]["delivery"] = serde_json::json!([1, 3]);
    jobs.extend(extra_jobs.iter().cloned());
    serde_json::json!({
        "vehicles": [
            {"id": 1, "start_index": 0, "end_index": 0, "capacity": [10, 2], "skills": [1]},
            {"id": 2, "start_index": 1, "end_index": 1, "capacity": [10, 6], "skills": [2, 1]},
        ],
        "jobs": jobs,
        "matrices": {"car": {"durations": line_matrix(&positions)}},
    })
    .to_string()
}

fn settings() -> Settings {
    Settings { time_limit: std::time::Duration::from_secs(60), seed: 5, max_iterations: 3_000 }
}

#[test]
fn each_vehicle_keeps_to_its_depot_capacity_and_skills() {
    let p = vroom::parse(&two_depots(&[]), &mut no_roads).unwrap();
    let i = &p.instance;
    let node = |job: u64| p.names.job_ids.iter().position(|&j| j == job).unwrap();
    // Depot B is a node after the six jobs; demand has two dimensions.
    assert_eq!((i.clients, i.nodes(), i.dimensions), (6, 8, 2));
    assert_eq!((i.fleet.kinds()[1].start, i.fleet.kinds()[1].end, i.demand(node(14))), (7, 7, &[1, 3][..]));
    let found = solve(i, settings(), None, &mut |_, _| {});
    assert!(found.unassigned.is_empty(), "{:?}", found.unassigned);
    let report = check(i, &found.routes);
    assert!(report.feasible(), "{:?}", report.violations);
    // Vehicle 1 serves the two jobs near A (40 there and back); vehicle 2 the rest from B,
    // out to job 12 at 30, which only it may serve (140).
    let mut first = found.routes[0].clone();
    first.sort_unstable();
    assert_eq!(first, vec![node(10), node(11)]);
    assert_eq!(report.cost, 180.0);
    // Its stops begin and end at B.
    let stops = schedule(i, &i.fleet.kinds()[1], &found.routes[1]);
    assert_eq!((stops[0].node, stops.last().unwrap().node), (7, 7));
}

#[test]
fn the_checker_catches_skills_capacity_per_dimension_shift_and_fleet_size() {
    let p = vroom::parse(&two_depots(&[]), &mut no_roads).unwrap();
    let i = &p.instance;
    // Everything on vehicle 1: job 12's skill is missing and dimension 2 carries 8 > 2.
    let report = check(i, &[vec![1, 2, 3, 4, 5, 6], vec![]]);
    assert!(report.violations.contains(&Violation::Skills { route: 0, client: 3 }), "{:?}", report.violations);
    assert!(report.violations.contains(&Violation::Capacity { route: 0, dimension: 1, load: 8, capacity: 2 }));
    // A third route has no vehicle.
    let report = check(i, &[vec![1], vec![2], vec![3, 4, 5, 6]]);
    assert!(report.violations.contains(&Violation::TooManyRoutes(3)), "{:?}", report.violations);
    // A shift ending at 30 is over before a trip out to 20 and back.
    let short = two_depots(&[]).replacen(r#""skills":[1]"#, r#""skills":[1],"time_window":[0,30]"#, 1);
    let p = vroom::parse(&short, &mut no_roads).unwrap();
    let report = check(&p.instance, &[vec![1, 2], vec![3, 4, 5, 6]]);
    assert_eq!(report.violations, vec![Violation::LateReturn { route: 0, arrival: 40.0 }]);
}

#[test]
fn a_vehicle_may_end_at_another_depot() {
    let positions = [0.0, 100.0, 10.0, 50.0, 90.0];
    let text = serde_json::json!({
        "vehicles": [{"id": 7, "start_index": 0, "end_index": 1}],
        "jobs": (0..3).map(|k| serde_json::json!({"id": k + 1, "location_index": k + 2})).collect::<Vec<_>>(),
        "matrices": {"car": {"durations": line_matrix(&positions)}},
    });
    let p = vroom::parse(&text.to_string(), &mut no_roads).unwrap();
    let found = solve(&p.instance, settings(), None, &mut |_, _| {});
    let report = check(&p.instance, &found.routes);
    // A to B in one sweep: 100, not the 200 of a round trip.
    assert!(report.feasible(), "{:?}", report.violations);
    assert_eq!((found.routes[0].clone(), report.cost), (vec![1, 2, 3], 100.0));
}

#[test]
fn clients_no_vehicle_can_serve_are_reported_with_each_vehicles_reason() {
    let extra = [
        serde_json::json!({"id": 90, "location_index": 2, "skills": [9]}),
        serde_json::json!({"id": 91, "location_index": 3, "delivery": [1, 7]}),
    ];
    let p = vroom::parse(&two_depots(&extra), &mut no_roads).unwrap();
    let found = solve(&p.instance, settings(), None, &mut |_, _| {});
    let reasons: Vec<(u64, String)> =
        found.unassigned.iter().map(|u| (p.names.job_ids[u.client], u.reason.clone())).collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert_eq!(reasons[0].0, 90);
    assert!(reasons[0].1.starts_with("vehicle 1: it needs skills [9], the vehicle has [1]"), "{reasons:?}");
    assert_eq!(reasons[1].0, 91);
    assert_eq!(
        reasons[1].1,
        "vehicle 1: demand 7 in dimension 2 exceeds the capacity 2; \
         vehicle 2: demand 7 in dimension 2 exceeds the capacity 6"
    );
    // Everything else is served, and the checker agrees (the two left out aside).
    let report = check(&p.instance, &found.routes);
    let unserved: Vec<_> = report.violations.iter().filter(|v| !matches!(v, Violation::Unserved(_))).collect();
    assert!(unserved.is_empty(), "{unserved:?}");
}

#[test]
fn solution_files_keep_route_numbers_so_each_route_stays_with_its_vehicle() {
    let text = solution::write(&[vec![], vec![3, 1]], 12.0);
    assert_eq!(text, "Route #2: 3 1\nCost 12\n");
    assert_eq!(solution::parse(&text).unwrap().routes, vec![vec![], vec![3, 1]]);
    assert!(solution::parse("Route #2: 1\nRoute #2: 3\n").unwrap_err().to_string().contains("given twice"));
    assert!(solution::parse("Route #0: 1\n").is_err());
    assert!(solution::parse("Route: 1\n").is_err());
}

#[test]
fn a_client_the_first_packing_leaves_out_is_fitted_in_by_the_search() {
    // Two vans of 10 from 0: clients at 10 (7), 11 (6), 50 (4), 51 (3). Inserting the far ones
    // first fills one van with 4 + 3, the other with 6, and 7 fits nowhere; 7 + 3 and 6 + 4 fit.
    let positions = [0.0, 10.0, 11.0, 50.0, 51.0];
    let vans = [1, 2].map(|id| serde_json::json!({"id": id, "start_index": 0, "end_index": 0, "capacity": [10]}));
    let jobs: Vec<_> = [7, 6, 4, 3]
        .iter()
        .enumerate()
        .map(|(k, q)| serde_json::json!({"id": k + 1, "location_index": k + 1, "delivery": [q]}))
        .collect();
    let text = serde_json::json!({"vehicles": vans, "jobs": jobs, "matrices": {"car": {"durations": line_matrix(&positions)}}});
    let p = vroom::parse(&text.to_string(), &mut no_roads).unwrap();
    let first = solve(&p.instance, Settings { max_iterations: 0, ..settings() }, None, &mut |_, _| {});
    assert_eq!(first.unassigned.len(), 1, "{:?}", first.routes);
    assert_eq!(first.unassigned[0].reason, "no vehicle has room or time left for it");
    let found = solve(&p.instance, settings(), None, &mut |_, _| {});
    assert!(found.unassigned.is_empty(), "{:?}", found.unassigned);
    assert!(check(&p.instance, &found.routes).feasible());
}

#[test]
fn open_trips_end_or_start_at_a_job_and_travel_limits_hold() {
    // Jobs at 10, 20, 30 from a depot at 0: a van that need not come back drives 30.
    let positions = [0.0, 10.0, 20.0, 30.0];
    let jobs: Vec<_> = (1..=3).map(|k| serde_json::json!({"id": k, "location_index": k})).collect();
    let solve_with = |vehicles: serde_json::Value| {
        let text = serde_json::json!({"vehicles": vehicles, "jobs": jobs, "matrix": line_matrix(&positions)});
        let p = vroom::parse(&text.to_string(), &mut no_roads).unwrap();
        let found = solve(&p.instance, settings(), None, &mut |_, _| {});
        let report = check(&p.instance, &found.routes);
        assert!(report.feasible(), "{:?}", report.violations);
        (p, found, report)
    };
    let (_, found, report) = solve_with(serde_json::json!([{"id": 1, "start_index": 0}]));
    assert_eq!((found.routes[0].clone(), report.cost), (vec![1, 2, 3], 30.0));
    let (_, found, report) = solve_with(serde_json::json!([{"id": 1, "end_index": 0}]));
    assert_eq!((found.routes[0].clone(), report.cost), (vec![3, 2, 1], 30.0));
    // Vans that may drive 25 and 45: neither can reach the job at 30 and back (60); the second
    // serves 10 and 20 (40).
    let text = serde_json::json!({
        "vehicles": [
            {"id": 1, "start_index": 0, "end_index": 0, "max_travel_time": 25},
            {"id": 2, "start_index": 0, "end_index": 0, "max_travel_time": 45},
        ],
        "jobs": jobs,
        "matrix": line_matrix(&positions),
    });
    let p = vroom::parse(&text.to_string(), &mut no_roads).unwrap();
    let found = solve(&p.instance, settings(), None, &mut |_, _| {});
    assert_eq!((found.routes.concat().len(), found.cost), (2, 40.0), "{:?}", found.routes);
    assert_eq!(found.unassigned.len(), 1);
    assert_eq!(
        found.unassigned[0].reason,
        "vehicle 1: its route alone drives for 60, over the vehicle's travel-time limit 25; \
         vehicle 2: its route alone drives for 60, over the vehicle's travel-time limit 45"
    );
    let over = check(&p.instance, &[vec![1, 2], vec![3]]);
    assert!(over.violations.contains(&Violation::TooMuchTravel { route: 0, travel: 40.0 }), "{:?}", over.violations);
    let e = vroom::parse(
        &serde_json::json!({"vehicles": [{"id": 1}], "jobs": jobs, "matrix": line_matrix(&positions)}).to_string(),
        &mut no_roads,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("vehicles[0]: needs a start or an end"), "{e}");
}
