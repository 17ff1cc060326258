//! The min-max (longest route) and bottleneck (longest leg) objectives: the search finds the
//! known optima of small instances whose total-cost optimum is a different solution, and
//! the checker recomputes each objective on its own.

use tripsmith_vrp::check::check;
use tripsmith_vrp::instance::{euclidean_matrix, Fleet, Instance, Objective, Rounding, Vehicle};
use tripsmith_vrp::solve::{solve, Settings};

/// Uncapacitated vehicles (at most `count`) from the depot at the first point to the others.
fn instance(points: &[(f64, f64)], count: usize, objective: Objective) -> Instance {
    let n = points.len();
    let vehicle = Vehicle::from_depot(i64::MAX / 4, (0.0, f64::INFINITY), None);
    let mut i = Instance::single_depot(
        "objectives".into(),
        Some(points.to_vec()),
        vec![0; n],
        vec![0.0; n],
        vec![vec![(0.0, f64::INFINITY)]; n],
        Fleet::Identical { vehicle, count: Some(count) },
        euclidean_matrix(points, Rounding::Nearest),
    );
    i.objective = objective;
    i
}

fn settings() -> Settings {
    Settings { time_limit: std::time::Duration::from_secs(60), seed: 11, max_iterations: 3_000 }
}

#[test]
fn four_robots_share_the_work_under_the_min_max_objective() {
    // Two clients out along each axis, at 10 and 20: one robot per axis drives 40, the best
    // longest route; a single robot could do it all in 160.
    let mut points = vec![(0.0, 0.0)];
    for (dx, dy) in [(1.0, 0.0), (-1.0, 0.0), (0.0, 1.0), (0.0, -1.0)] {
        points.push((10.0 * dx, 10.0 * dy));
        points.push((20.0 * dx, 20.0 * dy));
    }
    let balanced = instance(&points, 4, Objective::LongestRoute);
    let found = solve(&balanced, settings(), None, &mut |_, _| {});
    let report = check(&balanced, &found.routes);
    assert!(report.feasible(), "{:?}", report.violations);
    assert_eq!((found.cost, report.cost, report.longest_route), (40.0, 40.0, 40.0), "{:?}", found.routes);
    assert_eq!((report.routes, report.distance), (4, 160.0));
    // Under total distance the same checker reports the total as the cost.
    let total = instance(&points, 4, Objective::TotalCost);
    assert_eq!(check(&total, &found.routes).cost, 160.0);
}

#[test]
fn the_bottleneck_objective_avoids_the_longest_leg() {
    // Depot at 0, clients at 1, 2, 3 and 10 on a line: the shortest tour (20) ends with the leg
    // 10 → 0; joining 10 to 3 and 2 instead keeps every leg within 8, at the same length.
    let points = [(0.0, 0.0), (1.0, 0.0), (2.0, 0.0), (3.0, 0.0), (10.0, 0.0)];
    let shortest = instance(&points, 1, Objective::TotalCost);
    let found = solve(&shortest, settings(), None, &mut |_, _| {});
    let report = check(&shortest, &found.routes);
    assert_eq!((report.cost, report.longest_leg), (20.0, 10.0), "{:?}", found.routes);
    let bottleneck = instance(&points, 1, Objective::LongestLeg);
    let found = solve(&bottleneck, settings(), None, &mut |_, _| {});
    let report = check(&bottleneck, &found.routes);
    assert!(report.feasible(), "{:?}", report.violations);
    assert_eq!((found.cost, report.cost, report.distance), (8.0, 8.0, 20.0), "{:?}", found.routes);
}
