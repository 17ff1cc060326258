//! Client groups (visit exactly one client of each) and visiting orders (the clients of a list
//! that one route visits come in the list's order): read from TSPLIB sections, kept by the
//! search, caught by the checker when broken.

use tripsmith_vrp::check::{check, Violation};
use tripsmith_vrp::instance::Rounding;
use tripsmith_vrp::solve::{solve, Settings};
use tripsmith_vrp::vrplib;

/// Depot at 0 and clients on a line at 1..=6 (nodes 2..=7 of the file), with extra sections.
fn line(extra_header: &str, sections: &str) -> String {
    let points: String = (0..7).map(|k| format!("{} {} 0\n", k + 1, 10 * k)).collect();
    format!("NAME : line\nTYPE : TSP\nDIMENSION : 7\n{extra_header}EDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n{points}{sections}EOF\n")
}

fn settings() -> Settings {
    Settings { time_limit: std::time::Duration::from_secs(60), seed: 2, max_iterations: 2_000 }
}

#[test]
fn one_client_of_each_group_is_visited_the_nearest_way() {
    // Sets {2, 7} and {3, 6} (file numbering), 4 and 5 on their own: visiting 2 and 3 (at 10
    // and 20) with 4 and 5 (30, 40) is a round trip of 80.
    let text = line("", "GTSP_SET_SECTION\n1 1 -1\n2 2 7 -1\n3 3 6 -1\n4 4 -1\n5 5 -1\n");
    let instance = vrplib::parse(&text, Rounding::Nearest).unwrap();
    assert_eq!(instance.groups, vec![vec![1, 6], vec![2, 5], vec![3], vec![4]]);
    let found = solve(&instance, settings(), None, &mut |_, _| {});
    let report = check(&instance, &found.routes);
    assert!(report.feasible(), "{:?}", report.violations);
    let mut visited = found.routes.concat();
    visited.sort_unstable();
    assert_eq!((visited, report.cost), (vec![1, 2, 3, 4], 80.0));
    // The checker counts each group's visits.
    let report = check(&instance, &[vec![1, 6, 3, 4]]);
    assert_eq!(
        report.violations,
        vec![Violation::Group { group: 0, visited: 2 }, Violation::Group { group: 1, visited: 0 }]
    );
}

#[test]
fn visiting_orders_hold_on_every_route() {
    // Without an order the tour runs out and back along the line (120); the order 7, 2 (file
    // numbering) makes the robot reach the far end first, in the same 120.
    let text = line("", "ORDER_SECTION\n7 2 -1\n");
    let instance = vrplib::parse(&text, Rounding::Nearest).unwrap();
    assert_eq!(instance.orders, vec![vec![6, 1]]);
    let found = solve(&instance, settings(), None, &mut |_, _| {});
    let report = check(&instance, &found.routes);
    assert!(report.feasible(), "{:?}", report.violations);
    let route = &found.routes[0];
    let at = |c: usize| route.iter().position(|&x| x == c).unwrap();
    assert!(at(6) < at(1), "{route:?}");
    assert_eq!(report.cost, 120.0);
    let report = check(&instance, &[vec![1, 2, 3, 4, 5, 6]]);
    assert_eq!(report.violations, vec![Violation::OutOfOrder { route: 0, first: 6, then: 1 }]);
    // With two robots, an order binds only clients on the same route.
    let two = vrplib::parse(&line("SALESMEN : 2\n", "ORDER_SECTION\n7 2 -1\n"), Rounding::Nearest).unwrap();
    assert!(check(&two, &[vec![1], vec![2, 3, 4, 5, 6]]).feasible());
}

#[test]
fn malformed_sets_and_orders_name_their_line() {
    for (sections, message) in [
        ("GTSP_SET_SECTION\n1 2 3 -1\n2 3 4 -1\n", "line 15: node 3 is in two sets"),
        ("GTSP_SET_SECTION\n1 1 2 -1\n", "line 14: node 1 is the depot"),
        ("ORDER_SECTION\n2 3\n", "line 14: a list ends with -1"),
        ("ORDER_SECTION\n2 9 -1\n", "line 14: node 9 is outside 1..=7"),
        ("ORDER_SECTION\n2 3 2 -1\n", "line 14: node 2 is listed twice"),
    ] {
        let e = vrplib::parse(&line("", sections), Rounding::Nearest).unwrap_err().to_string();
        assert!(e.contains(message), "{sections:?}: {e}");
    }
}
