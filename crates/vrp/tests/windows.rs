//! Several time windows per client: the checker waits for the next window and flags arrivals
//! after the last one; the search keeps every route within some window of each client.

use tripsmith_vrp::check::{check, schedule, Violation};
use tripsmith_vrp::instance::{tidy_windows, Fleet, Instance, Vehicle};
use tripsmith_vrp::solve::{solve, Settings};

/// Clients on a line at 10, 20, ... from a depot open until `horizon`, with the given windows.
fn line(horizon: f64, windows: Vec<Vec<(f64, f64)>>) -> Instance {
    let n = windows.len() + 1;
    let position = |i: usize| 10.0 * i as f64;
    let distance = (0..n).flat_map(|i| (0..n).map(move |j| (position(i) - position(j)).abs())).collect();
    let vehicle = Vehicle::from_depot(10, (0.0, horizon), None);
    Instance::single_depot(
        "line".into(),
        None,
        vec![0; n],
        vec![0.0; n],
        std::iter::once(vec![(0.0, horizon)]).chain(windows).collect(),
        Fleet::Identical { vehicle, count: Some(1) },
        distance,
    )
}

#[test]
fn the_checker_waits_for_the_next_window_and_flags_arrivals_after_the_last() {
    let instance = line(1000.0, vec![vec![(0.0, 5.0), (50.0, 60.0)], vec![(0.0, 1000.0)]]);
    // Client 1 is reached at 10: past its first window, so service waits for 50.
    let stops = schedule(&instance, &instance.fleet.kinds()[0], &[1, 2]);
    assert_eq!((stops[1].arrival, stops[1].waiting), (10.0, 40.0));
    assert_eq!(stops[2].arrival, 60.0);
    assert!(check(&instance, &[vec![1, 2]]).feasible());
    // A client whose windows have all closed by the arrival is late.
    let closed = line(1000.0, vec![vec![(0.0, 5.0), (6.0, 8.0)], vec![(0.0, 1000.0)]]);
    let report = check(&closed, &[vec![1, 2]]);
    assert_eq!(report.violations, vec![Violation::Late { route: 0, client: 1, arrival: 10.0 }]);
}

#[test]
fn the_search_serves_clients_within_one_of_their_windows() {
    // Client 2 (at 20) only opens late; client 3 (at 30) must be served early or very late, and
    // the depot closes at 300: only the tour out to 3 first keeps every rule.
    let instance =
        line(300.0, vec![vec![(0.0, 1000.0)], vec![(100.0, 120.0), (300.0, 320.0)], vec![(0.0, 40.0), (500.0, 520.0)]]);
    let settings = Settings { time_limit: std::time::Duration::from_secs(60), seed: 3, max_iterations: 2_000 };
    let found = solve(&instance, settings, None, &mut |_, _| {});
    assert!(found.unassigned.is_empty(), "{:?}", found.unassigned);
    let report = check(&instance, &found.routes);
    assert!(report.feasible(), "{:?} {:?}", found.routes, report.violations);
    // Client 3 must come before 2 (its first window closes at 40, 2 opens at 100; waiting at 3
    // for its second window ends after the depot closes); 60 is the shortest such tour.
    let route = &found.routes[0];
    let at = |c: usize| route.iter().position(|&x| x == c);
    assert!(at(3) < at(2), "{route:?}");
    assert_eq!(report.cost, 60.0);
    // A client whose every window closes before any vehicle can arrive is reported, with why.
    let hopeless = line(1000.0, vec![vec![(0.0, 1000.0)], vec![(0.0, 5.0), (8.0, 9.0)]]);
    let found = solve(&hopeless, settings, None, &mut |_, _| {});
    assert_eq!(found.unassigned.len(), 1);
    assert!(found.unassigned[0].reason.contains("last time window closes at 9"), "{:?}", found.unassigned);
}

#[test]
fn windows_are_sorted_and_overlaps_refused() {
    assert_eq!(tidy_windows(vec![(50.0, 60.0), (0.0, 5.0)]), Ok(vec![(0.0, 5.0), (50.0, 60.0)]));
    assert!(tidy_windows(vec![(0.0, 10.0), (10.0, 20.0)]).unwrap_err().contains("overlap"));
    assert!(tidy_windows(vec![(5.0, 1.0)]).unwrap_err().contains("ends before"));
    assert!(tidy_windows(vec![]).is_err());
}
