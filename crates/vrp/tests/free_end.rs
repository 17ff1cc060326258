//! A free choice of end depot (`END_SECTION`): each route ends at whichever listed node is
//! nearest its last stop; the search, the checker, the schedule and the GeoJSON agree on it.

use tripsmith_vrp::check::{check, schedule};
use tripsmith_vrp::export::geojson;
use tripsmith_vrp::instance::Rounding;
use tripsmith_vrp::solve::{solve, Settings};
use tripsmith_vrp::{vrplib, FormatError};

/// Points on a line at 0 (node 1, the start), 10, 20, 30 and 100; depots at 0, 30 and 100.
fn line(extra: &str) -> String {
    format!(
        "NAME : line\nTYPE : TSP\nDIMENSION : 5\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n\
         1 0 0\n2 10 0\n3 20 0\n4 30 0\n5 100 0\n{extra}EOF\n"
    )
}

#[test]
fn a_route_ends_at_the_depot_nearest_its_last_stop() {
    let instance = vrplib::parse(&line("END_SECTION\n1 4 5 -1\n"), Rounding::Nearest).unwrap();
    let vehicle = &instance.fleet.kinds()[0];
    assert_eq!((vehicle.ends.clone(), vehicle.end, instance.nodes()), (vec![0, 3, 4], 5, 6));
    // Out to 100, a depot itself, where the route ends: 100, where a return to the start would
    // be 200.
    let found = solve(
        &instance,
        Settings { time_limit: std::time::Duration::from_secs(9), seed: 1, max_iterations: 500 },
        None,
        &mut |_, _| {},
    );
    let report = check(&instance, &found.routes);
    assert!(report.feasible(), "{:?}", report.violations);
    assert_eq!((found.cost, report.cost), (100.0, 100.0), "{:?}", found.routes);
    // The checker and the schedule end each route at the depot nearest its last stop: 0 → 10 →
    // 20 → 100 → 30 ends at 30 (170 in all), 0 → ... → 100 at 100.
    let visits = schedule(&instance, vehicle, &[1, 2, 4, 3]);
    assert_eq!((visits.last().unwrap().node, check(&instance, &[vec![1, 2, 4, 3]]).distance), (3, 100.0 + 70.0));
    assert_eq!(schedule(&instance, vehicle, &[1, 2, 3, 4]).last().unwrap().node, 4);
    // GeoJSON draws the route to the chosen depot and no point for the node standing for the choice.
    let drawn = geojson(&instance, &[vec![1, 2, 3, 4]]).unwrap();
    let features = drawn["features"].as_array().unwrap();
    assert_eq!(
        features[0]["geometry"]["coordinates"].as_array().unwrap().last().unwrap(),
        &serde_json::json!([100.0, 0.0])
    );
    assert_eq!(features.len(), 1 + 5);
}

#[test]
fn end_section_errors_name_the_line() {
    for (extra, line_number, words) in [
        ("END_SECTION\n1 4 -1\n2 -1\n", 13, "one line"),
        ("END_SECTION\n1 9 -1\n", 12, "outside 1..=5"),
        ("END_SECTION\n1 4\n", 12, "ends with -1"),
    ] {
        match vrplib::parse(&line(extra), Rounding::Nearest) {
            Err(FormatError::Line { line, reason }) => {
                assert!(line == line_number && reason.contains(words), "{line}: {reason}")
            }
            other => panic!("{extra:?}: {other:?}"),
        }
    }
}
