//! An energy range with recharging (`RANGE`, `CHARGER_SECTION`): a vehicle drives at most its
//! range between charges, leaving its start charged and recharging at every charger it
//! serves; the search keeps every route in range, and the checker finds where one runs out.

use tripsmith_vrp::check::{check, Violation};
use tripsmith_vrp::instance::{Instance, Rounding};
use tripsmith_vrp::solve::{solve, Settings};
use tripsmith_vrp::{vrplib, FormatError};

fn settings(seed: u64) -> Settings {
    Settings { time_limit: std::time::Duration::from_secs(60), seed, max_iterations: 3_000 }
}

/// A TSP over `points` (node 1 first, the start) with `extra` lines before `EOF`.
fn tsp(points: &[(i32, i32)], extra: &str) -> String {
    let coordinates: String = points.iter().enumerate().map(|(i, p)| format!("{} {} {}\n", i + 1, p.0, p.1)).collect();
    format!(
        "NAME : range\nTYPE : TSP\nDIMENSION : {}\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n{coordinates}{extra}EOF\n",
        points.len()
    )
}

/// Every order of `items`.
fn permutations(items: &[usize]) -> Vec<Vec<usize>> {
    if items.is_empty() {
        return vec![Vec::new()];
    }
    (0..items.len())
        .flat_map(|i| {
            let mut rest = items.to_vec();
            let first = rest.remove(i);
            permutations(&rest).into_iter().map(move |mut p| {
                p.insert(0, first);
                p
            })
        })
        .collect()
}

/// The shortest tour from node 0 through every client and back that never drives more than
/// `range` between charges (node 0 and `chargers`), by trying every order; written apart from
/// the solver and the checker.
fn shortest_in_range(instance: &Instance, chargers: &[usize], range: f64) -> f64 {
    let clients: Vec<usize> = (1..=instance.clients).collect();
    permutations(&clients)
        .iter()
        .filter_map(|order| {
            let (mut total, mut since, mut at) = (0.0, 0.0, 0);
            for &next in order.iter().chain(std::iter::once(&0)) {
                let leg = instance.d(at, next);
                (total, since) = (total + leg, since + leg);
                if since > range {
                    return None;
                }
                if chargers.contains(&next) {
                    since = 0.0;
                }
                at = next;
            }
            Some(total)
        })
        .fold(None, |best: Option<f64>, t| Some(best.map_or(t, |b| b.min(t))))
        .unwrap_or(f64::INFINITY)
}

/// Start at the origin, chargers at nodes 3 and 6, four more clients around.
const POINTS: [(i32, i32); 7] = [(0, 0), (40, 10), (80, 0), (50, 40), (90, 60), (10, 70), (-20, 40)];

#[test]
fn the_search_finds_the_shortest_tour_that_stays_in_range() {
    let free = vrplib::parse(&tsp(&POINTS, ""), Rounding::Nearest).unwrap();
    let ranged = vrplib::parse(&tsp(&POINTS, "RANGE : 170\nCHARGER_SECTION\n1 4 7 -1\n"), Rounding::Nearest).unwrap();
    assert_eq!((ranged.chargers.clone(), ranged.fleet.kinds()[0].range), (vec![0, 3, 6], Some(170.0)));
    let unlimited = shortest_in_range(&free, &[], f64::INFINITY);
    let optimum = shortest_in_range(&ranged, &[3, 6], 170.0);
    // The range binds: the shortest tour overall drives too far between charges.
    assert!(optimum.is_finite() && optimum > unlimited, "{optimum} vs {unlimited}");
    for seed in 1..=3 {
        let found = solve(&ranged, settings(seed), None, &mut |_, _| {});
        let report = check(&ranged, &found.routes);
        assert!(report.feasible() && found.unassigned.is_empty(), "seed {seed}: {:?}", report.violations);
        assert_eq!((found.cost, report.cost), (optimum, optimum), "seed {seed}: {:?}", found.routes);
    }
}

#[test]
fn the_checker_finds_where_a_route_runs_out_of_range() {
    // A line: the start at 0, clients at 60, 120 (a charger) and 180.
    let points = [(0, 0), (60, 0), (120, 0), (180, 0)];
    let line = |range: u32| {
        vrplib::parse(&tsp(&points, &format!("RANGE : {range}\nCHARGER_SECTION\n3 -1\n")), Rounding::Nearest).unwrap()
    };
    // Range 70: the charger at 120 is reached 120 after the start.
    let report = check(&line(70), &[vec![1, 2, 3]]);
    assert_eq!(report.violations, vec![Violation::OutOfRange { route: 0, node: 2, driven: 120.0 }]);
    assert!(report.violations[0].to_string().contains("beyond its vehicle's range"));
    // Range 130: the charge at 120 holds until 180, but not back to the start (240 after it).
    let report = check(&line(130), &[vec![1, 2, 3]]);
    assert_eq!(report.violations, vec![Violation::OutOfRange { route: 0, node: 0, driven: 240.0 }]);
    // Range 240: in range all the way.
    assert!(check(&line(240), &[vec![1, 2, 3]]).feasible());
}

#[test]
fn a_client_beyond_reach_is_left_out_with_the_range_as_its_reason() {
    // Node 4 lies 100 out: 200 there and back, with no charger past the start.
    let points = [(0, 0), (10, 0), (0, 10), (100, 0)];
    let instance = vrplib::parse(&tsp(&points, "RANGE : 150\nCHARGER_SECTION\n1 -1\n"), Rounding::Nearest).unwrap();
    let found = solve(&instance, settings(1), None, &mut |_, _| {});
    assert_eq!(found.unassigned.len(), 1);
    assert_eq!(found.unassigned[0].client, 3);
    assert!(found.unassigned[0].reason.contains("beyond the vehicle's range 150"), "{:?}", found.unassigned);
    assert!(check(&instance, &found.routes).violations == vec![Violation::Unserved(3)]);
}

#[test]
fn many_chargers_and_shipments_keep_every_route_in_range() {
    // A 6 × 6 grid 20 apart, chargers on every third point, four vehicles of range 120;
    // eight shipments between neighbouring grid points, inserted two stops at a time.
    let points: Vec<(i32, i32)> = (0..36).map(|i| ((i % 6) * 20, (i / 6) * 20)).collect();
    let chargers: String = (1..=36).filter(|i| i % 3 == 1).map(|i| format!("{i} ")).collect();
    let text = tsp(&points, &format!("SALESMEN : 4\nRANGE : 120\nCHARGER_SECTION\n{chargers}-1\n"));
    let mut instance = vrplib::parse(&text, Rounding::Nearest).unwrap();
    instance.pairs = (0..8).map(|k| (2 + 4 * k, 3 + 4 * k)).collect();
    for &(pickup, delivery) in &instance.pairs.clone() {
        (instance.collected[pickup], instance.collected[delivery]) = (1, -1);
    }
    for seed in 1..=4 {
        let found = solve(&instance, settings(seed), None, &mut |_, _| {});
        let report = check(&instance, &found.routes);
        assert!(report.feasible(), "seed {seed}: {:?}", report.violations);
        assert!(found.unassigned.is_empty(), "seed {seed}: {:?}", found.unassigned);
    }
}

#[test]
fn range_errors_name_the_line() {
    let points = [(0, 0), (10, 0), (0, 10)];
    for (extra, words) in [
        ("RANGE : 0\n", "positive distance"),
        ("RANGE : 50\nCHARGER_SECTION\n2 -1\n3 -1\n", "one line"),
        ("RANGE : 50\nCHARGER_SECTION\n2 9 -1\n", "outside 1..=3"),
    ] {
        match vrplib::parse(&tsp(&points, extra), Rounding::Nearest) {
            Err(FormatError::Line { reason, .. }) => assert!(reason.contains(words), "{extra:?}: {reason}"),
            other => panic!("{extra:?}: {other:?}"),
        }
    }
    let e = vrplib::parse(&tsp(&points, "CHARGER_SECTION\n2 -1\n"), Rounding::Nearest).unwrap_err();
    assert!(e.to_string().contains("needs a RANGE"), "{e}");
}
