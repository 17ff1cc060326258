//! Pickups and shipments: loads vary along a route (deliveries leave, pickups come on, a
//! shipment rides from its pickup to its delivery), so capacity holds at every point; a
//! shipment's two stops share a route, pickup first. Read from VROOM JSON.

use serde_json::json;
use tripsmith_vrp::check::{check, Violation};
use tripsmith_vrp::export::vroom_json;
use tripsmith_vrp::solve::{solve, Settings};
use tripsmith_vrp::vroom;

fn no_roads(_: &[(f64, f64)]) -> Result<vroom::RoadMatrices, String> {
    Err("no roads here".into())
}

/// Places on a line at these positions; travel time = distance.
fn line_matrix(positions: &[f64]) -> serde_json::Value {
    positions.iter().map(|a| positions.iter().map(|b| (a - b).abs()).collect::<Vec<_>>()).collect()
}

fn settings() -> Settings {
    Settings { time_limit: std::time::Duration::from_secs(60), seed: 4, max_iterations: 3_000 }
}

/// One van of capacity 1 at place 0; places 1..=4 at 10, 20, 30, 40.
fn van(shipments: serde_json::Value, jobs: serde_json::Value) -> vroom::VroomProblem {
    let text = json!({
        "vehicles": [{"id": 1, "start_index": 0, "end_index": 0, "capacity": [1]}],
        "jobs": jobs,
        "shipments": shipments,
        "matrices": {"car": {"durations": line_matrix(&[0.0, 10.0, 20.0, 30.0, 40.0])}},
    });
    vroom::parse(&text.to_string(), &mut no_roads).unwrap()
}

#[test]
fn a_van_that_holds_one_parcel_delivers_each_before_the_next_pickup() {
    // Parcels 10 → 30 and 20 → 40: with room for one, the van cannot hold both at once, so the
    // run 10, 30, 20, 40 and back (100) replaces the shorter 10, 20, 30, 40 (80).
    let shipments = json!([
        {"amount": [1], "pickup": {"id": 1, "location_index": 1}, "delivery": {"id": 1, "location_index": 3}},
        {"amount": [1], "pickup": {"id": 2, "location_index": 2}, "delivery": {"id": 2, "location_index": 4}},
    ]);
    let p = van(shipments, json!([]));
    assert_eq!(p.instance.pairs, vec![(1, 2), (3, 4)]);
    let found = solve(&p.instance, settings(), None, &mut |_, _| {});
    let report = check(&p.instance, &found.routes);
    assert!(report.feasible(), "{:?} {:?}", found.routes, report.violations);
    assert_eq!((found.routes.concat(), report.cost), (vec![1, 2, 3, 4], 100.0));
    // Both aboard at once is over capacity; a delivery before its pickup, or on another route,
    // breaks the pair.
    let both = check(&p.instance, &[vec![1, 3, 2, 4]]);
    assert!(both.violations.contains(&Violation::Capacity { route: 0, dimension: 0, load: 2, capacity: 1 }));
    let backwards = check(&p.instance, &[vec![2, 1, 3, 4]]);
    assert!(backwards.violations.contains(&Violation::Pair { pickup: 1, delivery: 2 }), "{:?}", backwards.violations);
    // VROOM-shaped output names the steps' types and the load on board after each.
    let out = vroom_json(&p.instance, &found.routes, &found.unassigned, Some(p.names.ids()));
    let steps = out["routes"][0]["steps"].as_array().unwrap();
    let types: Vec<&str> = steps.iter().map(|s| s["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["start", "pickup", "delivery", "pickup", "delivery", "end"]);
    let loads: Vec<i64> = steps.iter().map(|s| s["load"][0].as_i64().unwrap()).collect();
    assert_eq!(loads, [0, 1, 0, 1, 0, 0]);
}

#[test]
fn deliveries_leave_before_pickups_come_on() {
    // A van of 1 delivers a parcel to 40 and picks one up at 10 for the depot: it must go out
    // to 40 first (80 either way round, but only this order fits).
    let jobs = json!([
        {"id": 7, "location_index": 1, "pickup": [1]},
        {"id": 8, "location_index": 4, "delivery": [1]},
    ]);
    let p = van(json!([]), jobs);
    let found = solve(&p.instance, settings(), None, &mut |_, _| {});
    let report = check(&p.instance, &found.routes);
    assert!(report.feasible(), "{:?} {:?}", found.routes, report.violations);
    assert_eq!(found.routes, vec![vec![2, 1]]);
    assert!(!check(&p.instance, &[vec![1, 2]]).feasible());
}

#[test]
fn a_shipment_too_big_for_every_vehicle_is_left_out_whole_with_the_reason() {
    let shipments = json!([
        {"amount": [1], "pickup": {"id": 1, "location_index": 1}, "delivery": {"id": 1, "location_index": 2}},
        {"amount": [3], "pickup": {"id": 2, "location_index": 3}, "delivery": {"id": 2, "location_index": 4}},
    ]);
    let p = van(shipments, json!([]));
    let found = solve(&p.instance, settings(), None, &mut |_, _| {});
    let left: Vec<(usize, &str)> = found.unassigned.iter().map(|u| (u.client, u.reason.as_str())).collect();
    assert_eq!(left, vec![(3, "demand 3 exceeds the capacity 1"), (4, "demand 3 exceeds the capacity 1")]);
    assert_eq!(found.routes, vec![vec![1, 2]]);
    let out = vroom_json(&p.instance, &found.routes, &found.unassigned, Some(p.names.ids()));
    assert_eq!(out["unassigned"][0]["type"], "pickup");
    assert_eq!(out["unassigned"][1]["type"], "delivery");
}

#[test]
fn shipment_steps_are_read_with_their_own_ids_and_errors_name_the_step() {
    let refused = |shipments: serde_json::Value| {
        let text = json!({
            "vehicles": [{"id": 1, "start_index": 0, "end_index": 0}],
            "shipments": shipments,
            "matrix": [[0, 1], [1, 0]],
        });
        vroom::parse(&text.to_string(), &mut no_roads).unwrap_err().to_string()
    };
    let e = refused(json!([{"amount": [1], "pickup": {"id": 1, "location_index": 1}}]));
    assert!(e.contains("shipments[0]: needs a delivery step"), "{e}");
    let e = refused(json!([{"pickup": {"id": 1, "location_index": 1}, "delivery": {"id": 1, "location_index": 9}}]));
    assert!(e.contains("shipments[0].delivery") && e.contains("outside"), "{e}");
    let e = refused(
        json!([{"priority": 300, "pickup": {"id": 1, "location_index": 1}, "delivery": {"id": 1, "location_index": 0}}]),
    );
    assert!(e.contains("shipments[0].priority"), "{e}");
}
