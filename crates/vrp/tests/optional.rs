//! Optional clients with prizes (prize-collecting: a client is visited only when that costs
//! less than its prize, and a prize left out counts in the cost) and vehicles that may visit
//! only so many clients (VROOM's `max_tasks`).

use serde_json::json;
use tripsmith_vrp::check::{check, Violation};
use tripsmith_vrp::instance::Rounding;
use tripsmith_vrp::solve::{solve, Settings};
use tripsmith_vrp::{vroom, vrplib};

fn settings() -> Settings {
    Settings { time_limit: std::time::Duration::from_secs(60), seed: 6, max_iterations: 2_000 }
}

#[test]
fn an_optional_client_is_visited_only_when_its_prize_beats_the_detour() {
    // Depot at 0; required clients at 10 and 20; optional ones at 50 (prize 30: the detour
    // from 20 is 60, not worth it) and at -40 (prize 100: a detour of 80, worth it).
    let text = "NAME : prizes\nTYPE : TSP\nDIMENSION : 5\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n\
                1 0 0\n2 10 0\n3 20 0\n4 50 0\n5 -40 0\nPRIZE_SECTION\n4 30\n5 100\nEOF\n";
    let instance = vrplib::parse(text, Rounding::Nearest).unwrap();
    assert_eq!(instance.prize, vec![None, None, None, Some(30.0), Some(100.0)]);
    let found = solve(&instance, settings(), None, &mut |_, _| {});
    let report = check(&instance, &found.routes);
    assert!(report.feasible(), "{:?}", report.violations);
    let mut visited = found.routes.concat();
    visited.sort_unstable();
    assert_eq!(visited, vec![1, 2, 4]);
    assert_eq!((report.distance, report.missed_prizes, report.cost, found.cost), (120.0, 30.0, 150.0, 150.0));
    assert_eq!(found.unassigned.len(), 1);
    assert!(found.unassigned[0].reason.starts_with("optional"), "{:?}", found.unassigned);
    // A required client left out is still a broken rule; an optional one only costs its prize.
    let report = check(&instance, &[vec![1, 4]]);
    assert_eq!(report.violations, vec![Violation::Unserved(2)]);
    assert_eq!(report.missed_prizes, 30.0);
    let e = vrplib::parse(&text.replace("4 30", "1 30"), Rounding::Nearest).unwrap_err().to_string();
    assert!(e.contains("other than the depot"), "{e}");
}

#[test]
fn a_vehicle_visits_no_more_clients_than_it_may() {
    let text = |most: usize| {
        json!({
            "vehicles": [{"id": 1, "start_index": 0, "end_index": 0, "max_tasks": most}],
            "jobs": (1..=3).map(|k| json!({"id": k, "location_index": k})).collect::<Vec<_>>(),
            "matrix": [[0, 1, 2, 9], [1, 0, 1, 9], [2, 1, 0, 9], [9, 9, 9, 0]],
        })
        .to_string()
    };
    let p = vroom::parse(&text(2), &mut |_| Err("no roads".into())).unwrap();
    let found = solve(&p.instance, settings(), None, &mut |_, _| {});
    // The far job is the one left out, for want of room.
    assert_eq!(found.routes.iter().map(Vec::len).sum::<usize>(), 2);
    let left: Vec<(usize, &str)> = found.unassigned.iter().map(|u| (u.client, u.reason.as_str())).collect();
    assert_eq!(left, vec![(3, "no vehicle has room or time left for it")]);
    assert!(check(&p.instance, &[vec![1, 2, 3]]).violations.contains(&Violation::TooManyTasks { route: 0, tasks: 3 }));
    let none = vroom::parse(&text(0), &mut |_| Err("no roads".into())).unwrap();
    let found = solve(&none.instance, settings(), None, &mut |_, _| {});
    assert_eq!(found.unassigned.len(), 3);
    assert_eq!(found.unassigned[0].reason, "the vehicle may visit at most 0 clients");
}

#[test]
fn when_not_every_job_fits_the_higher_priority_one_is_served() {
    // One visit allowed: the near job (priority 0) or the far one (priority 50).
    let text = json!({
        "vehicles": [{"id": 1, "start_index": 0, "end_index": 0, "max_tasks": 1}],
        "jobs": [{"id": 1, "location_index": 1}, {"id": 2, "location_index": 2, "priority": 50}],
        "matrix": [[0, 1, 9], [1, 0, 9], [9, 9, 0]],
    });
    let p = vroom::parse(&text.to_string(), &mut |_| Err("no roads".into())).unwrap();
    let found = solve(&p.instance, settings(), None, &mut |_, _| {});
    assert_eq!(found.routes, vec![vec![2]]);
    assert_eq!(found.unassigned.iter().map(|u| u.client).collect::<Vec<_>>(), vec![1]);
    let bad = text.to_string().replace("\"priority\":50", "\"priority\":500");
    let e = vroom::parse(&bad, &mut |_| Err("no roads".into())).unwrap_err().to_string();
    assert!(e.contains("jobs[1].priority: must be a whole number from 0 to 100"), "{e}");
}
