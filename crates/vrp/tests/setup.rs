//! VROOM's setup times: spent after a job's start, before its service, unless the vehicle comes
//! from the same place; the search keeps jobs at one place together when setups make the shift
//! too short otherwise, and the checker and VROOM-shaped output count each setup.

use serde_json::json;
use tripsmith_model::SeededRng;
use tripsmith_vrp::check::{check, schedule, Violation};
use tripsmith_vrp::export::vroom_json;
use tripsmith_vrp::solve::{solve, Settings};
use tripsmith_vrp::vroom;

fn no_roads(_: &[(f64, f64)]) -> Result<vroom::RoadMatrices, String> {
    Err("no roads here".into())
}

/// The depot at place 0, jobs 1 and 2 at place 1, job 3 at place 2; 10 s between places;
/// each job has a setup of 100 s and a service of 10 s; the van's shift ends at 300.
fn three_jobs() -> vroom::VroomProblem {
    let text = json!({
        "vehicles": [{"id": 1, "start_index": 0, "end_index": 0, "time_window": [0, 300]}],
        "jobs": [
            {"id": 1, "location_index": 1, "setup": 100, "service": 10},
            {"id": 2, "location_index": 1, "setup": 100, "service": 10},
            {"id": 3, "location_index": 2, "setup": 100, "service": 10},
        ],
        "matrix": [[0, 10, 10], [10, 0, 10], [10, 10, 0]],
    });
    vroom::parse(&text.to_string(), &mut no_roads).unwrap()
}

#[test]
fn setups_are_skipped_at_the_same_place_and_counted_elsewhere() {
    let p = three_jobs();
    let i = &p.instance;
    let van = &i.fleet.kinds()[0];
    // 1 then 2 at one place: one setup; then 3: another. Back at 260.
    let visits = schedule(i, van, &[1, 2, 3]);
    let setups: Vec<f64> = visits.iter().map(|v| v.setup).collect();
    assert_eq!((setups, visits.last().unwrap().arrival), (vec![0.0, 100.0, 0.0, 100.0, 0.0], 260.0));
    // 1, 3, 2: three setups, back at 370, after the shift.
    let split = check(i, &[vec![1, 3, 2]]);
    assert!(matches!(split.violations[..], [Violation::LateReturn { arrival, .. }] if arrival == 370.0), "{split:?}");
    // The search serves all three in the shift, so it keeps 1 and 2 together.
    let found = solve(
        i,
        Settings { time_limit: std::time::Duration::from_secs(9), seed: 2, max_iterations: 300 },
        None,
        &mut |_, _| {},
    );
    let report = check(i, &found.routes);
    assert!(report.feasible() && found.unassigned.is_empty(), "{:?} {:?}", found.routes, report.violations);
    let route = &found.routes[0];
    let at = |c: usize| route.iter().position(|&x| x == c).unwrap();
    assert_eq!(at(1).abs_diff(at(2)), 1, "{route:?}");
    // VROOM-shaped output: each step's setup, and the total.
    let out = vroom_json(i, &found.routes, &found.unassigned, Some(p.names.ids()));
    assert_eq!(out["summary"]["setup"], 200.0, "{out}");
    // A shift to 230: all three need 260, so job 3 (whose setup comes on top of 1 and 2's one)
    // is left out; without the setups everything would seem to fit in 70.
    let mut short = three_jobs();
    if let tripsmith_vrp::instance::Fleet::Each(list) = &mut short.instance.fleet {
        list[0].shift.1 = 230.0;
    }
    let found = solve(
        &short.instance,
        Settings { time_limit: std::time::Duration::from_secs(9), seed: 2, max_iterations: 300 },
        None,
        &mut |_, _| {},
    );
    let r = check(&short.instance, &found.routes);
    assert_eq!(r.violations, vec![Violation::Unserved(3)], "{:?}", found.routes);
    assert_eq!(found.unassigned.iter().map(|u| u.client).collect::<Vec<_>>(), vec![3], "{:?}", found.unassigned);
}

#[test]
fn a_setup_too_long_for_any_shift_is_the_stated_reason() {
    let mut text = json!({
        "vehicles": [{"id": 1, "start_index": 0, "end_index": 0, "time_window": [0, 100]}],
        "jobs": [{"id": 7, "location_index": 1, "setup": 90, "service": 5}],
        "matrix": [[0, 10], [10, 0]],
    });
    let p = vroom::parse(&text.to_string(), &mut no_roads).unwrap();
    let found = solve(
        &p.instance,
        Settings { time_limit: std::time::Duration::from_secs(9), seed: 1, max_iterations: 50 },
        None,
        &mut |_, _| {},
    );
    assert!(found.unassigned[0].reason.contains("returns at 115"), "{:?}", found.unassigned);
    // Without the setup it fits.
    text["jobs"][0]["setup"] = json!(0);
    let p = vroom::parse(&text.to_string(), &mut no_roads).unwrap();
    assert!(solve(
        &p.instance,
        Settings { time_limit: std::time::Duration::from_secs(9), seed: 1, max_iterations: 50 },
        None,
        &mut |_, _| {}
    )
    .unassigned
    .is_empty());
}

/// A stop at place 3, 7 or a random one, with a random setup and window.
fn stop(rng: &mut SeededRng, id: u64) -> serde_json::Value {
    let place = [3, 7, 1 + rng.below(9)][rng.below(3)];
    let (setup, open, width) = (20 + rng.below(60), rng.below(600), 150 + rng.below(300));
    json!({"id": id, "location_index": place, "setup": setup, "service": 10, "time_windows": [[open, open + width]]})
}

#[test]
fn shipments_and_jobs_with_setups_at_shared_places_stay_within_every_window_and_shift() {
    // Ten places on a line, 40 s apart; places 3 and 7 hold several stops.
    let mut rng = SeededRng::new(12_345);
    let matrix: Vec<Vec<usize>> = (0..10usize).map(|a| (0..10usize).map(|b| 40 * a.abs_diff(b)).collect()).collect();
    let jobs: Vec<_> = (1..=8).map(|k| stop(&mut rng, k)).collect();
    let shipments: Vec<_> = (1..=6)
        .map(|k| {
            let (pickup, delivery) = (stop(&mut rng, 100 + k), stop(&mut rng, 200 + k));
            json!({"amount": [1 + rng.below(3)], "pickup": pickup, "delivery": delivery})
        })
        .collect();
    let vehicles: Vec<_> = (1..=3)
        .map(|k| json!({"id": k, "start_index": 0, "end_index": 0, "capacity": [4], "time_window": [0, 900]}))
        .collect();
    let text = json!({"vehicles": vehicles, "jobs": jobs, "shipments": shipments, "matrix": matrix});
    let p = vroom::parse(&text.to_string(), &mut no_roads).unwrap();
    for seed in 1..=4 {
        let settings = Settings { time_limit: std::time::Duration::from_secs(30), seed, max_iterations: 400 };
        let found = solve(&p.instance, settings, None, &mut |_, _| {});
        let left: Vec<usize> = found.unassigned.iter().map(|u| u.client).collect();
        let report = check(&p.instance, &found.routes);
        // Only the clients the search reports as left out may be missing; nothing else broken.
        assert!(
            report.violations.iter().all(|v| matches!(v, Violation::Unserved(c) if left.contains(c))),
            "seed {seed}: {:?} {:?}",
            report.violations,
            found.routes
        );
        assert!(left.len() < p.instance.clients, "seed {seed}: nothing served");
    }
}
