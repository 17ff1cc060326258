//! A travelling purchaser (`PURCHASE_SECTION`, `QUOTA`): markets are optional clients selling
//! units at a price, all bought at a visit; the vehicles together buy at least the quota,
//! minimising travel plus purchases; the checker prices the purchases and finds a shortfall.

use tripsmith_model::SeededRng;
use tripsmith_vrp::check::{check, Violation};
use tripsmith_vrp::export::vroom_json;
use tripsmith_vrp::instance::Rounding;
use tripsmith_vrp::solve::{solve, Settings};
use tripsmith_vrp::{vrplib, FormatError};

fn settings(seed: u64) -> Settings {
    Settings { time_limit: std::time::Duration::from_secs(60), seed, max_iterations: 3_000 }
}

/// A TSP from node 1 at the origin through `markets` (x, y, units, price), with `extra` header
/// lines.
fn purchaser(markets: &[(i64, i64, i64, i64)], extra: &str) -> String {
    let mut text = format!(
        "NAME : market\nTYPE : TSP\nDIMENSION : {}\nEDGE_WEIGHT_TYPE : EUC_2D\n{extra}NODE_COORD_SECTION\n1 0 0\n",
        markets.len() + 1
    );
    for (k, m) in markets.iter().enumerate() {
        text += &format!("{} {} {}\n", k + 2, m.0, m.1);
    }
    text += "PURCHASE_SECTION\n";
    for (k, m) in markets.iter().enumerate() {
        text += &format!("{} {} {}\n", k + 2, m.2, m.3);
    }
    text + "EOF\n"
}

/// The cheapest way to buy `quota` units, by trying every set of markets in every order;
/// written apart from the solver and the checker (rounded Euclidean travel, as `EUC_2D`).
fn cheapest_purchase(markets: &[(i64, i64, i64, i64)], quota: i64) -> f64 {
    let mut points = vec![(0.0, 0.0)];
    points.extend(markets.iter().map(|m| (m.0 as f64, m.1 as f64)));
    let d = |a: usize, b: usize| {
        let (p, q) = (points[a], points[b]);
        (((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt() + 0.5).floor()
    };
    let n = markets.len();
    let mut best = f64::INFINITY;
    for set in 1..1usize << n {
        let chosen: Vec<usize> = (0..n).filter(|i| set & (1 << i) != 0).collect();
        if chosen.iter().map(|&i| markets[i].2).sum::<i64>() < quota {
            continue;
        }
        let bought: f64 = chosen.iter().map(|&i| (markets[i].2 * markets[i].3) as f64).sum();
        // The shortest tour through the chosen markets (Held–Karp over them).
        let k = chosen.len();
        let mut path = vec![vec![f64::INFINITY; k]; 1 << k];
        for j in 0..k {
            path[1 << j][j] = d(0, chosen[j] + 1);
        }
        for s in 1..1usize << k {
            for j in (0..k).filter(|j| s & (1 << j) != 0) {
                for i in (0..k).filter(|i| (s & !(1 << j)) & (1 << i) != 0) {
                    let via = path[s & !(1 << j)][i] + d(chosen[i] + 1, chosen[j] + 1);
                    path[s][j] = path[s][j].min(via);
                }
            }
        }
        let tour = (0..k).map(|j| path[(1 << k) - 1][j] + d(chosen[j] + 1, 0)).fold(f64::INFINITY, f64::min);
        best = best.min(tour + bought);
    }
    best
}

#[test]
fn the_purchaser_buys_the_quota_at_the_least_cost_of_travel_and_purchases() {
    for seed in 1..=3u64 {
        // Nine markets at random within 100 of the start, 5 to 20 units at 1 to 20 each.
        let mut rng = SeededRng::new(seed);
        let markets: Vec<(i64, i64, i64, i64)> = (0..9)
            .map(|_| {
                let (x, y) = (rng.below(201) as i64 - 100, rng.below(201) as i64 - 100);
                (x, y, 5 + rng.below(16) as i64, 1 + rng.below(20) as i64)
            })
            .collect();
        let instance = vrplib::parse(&purchaser(&markets, "QUOTA : 40\n"), Rounding::Nearest).unwrap();
        assert_eq!(instance.quota, vec![40]);
        let found = solve(&instance, settings(seed), None, &mut |_, _| {});
        let report = check(&instance, &found.routes);
        assert!(report.feasible(), "seed {seed}: {:?}", report.violations);
        let optimum = cheapest_purchase(&markets, 40);
        assert_eq!((found.cost, report.cost), (optimum, optimum), "seed {seed}: {:?}", found.routes);
        // The cost is travel plus purchases, each market left out said to be unneeded.
        assert_eq!(report.cost, report.distance + report.visit_costs);
        assert!(found.unassigned.iter().all(|u| u.reason.starts_with("not needed")), "{:?}", found.unassigned);
        // The VROOM-shaped output prices the purchases in the same way.
        let out = vroom_json(&instance, &found.routes, &found.unassigned, None);
        assert_eq!(out["summary"]["cost"].as_f64(), Some(optimum));
    }
}

#[test]
fn a_quota_beyond_what_the_vehicle_carries_is_reported_short() {
    // Two markets of 10 units each; the vehicle carries 15, the quota is 20.
    let text = purchaser(&[(10, 0, 10, 1), (0, 10, 10, 1)], "CAPACITY : 15\nQUOTA : 20\n");
    let instance = vrplib::parse(&text, Rounding::Nearest).unwrap();
    let found = solve(&instance, settings(1), None, &mut |_, _| {});
    let report = check(&instance, &found.routes);
    assert_eq!(report.violations, vec![Violation::Quota { dimension: 0, collected: 10, quota: 20 }]);
    assert!(report.violations[0].to_string().contains("short of the quota 20"));
    // Buying both breaks the capacity instead.
    let both = check(&instance, &[vec![1, 2]]);
    assert!(matches!(both.violations[..], [Violation::Capacity { load: 20, capacity: 15, .. }]), "{both:?}");
    assert_eq!(both.visit_costs, 20.0);
}

#[test]
fn four_vehicles_of_their_own_capacities_share_the_purchases() {
    // Capacities 5, 10, 10, 20 (VEHICLE_CAPACITY_SECTION); markets of 10 units: the first
    // vehicle can buy at none of them.
    let markets: Vec<(i64, i64, i64, i64)> = (0..6).map(|k| (30 * (k % 3) - 30, 40 * (k / 3) - 20, 10, 2)).collect();
    let header = "SALESMEN : 4\nQUOTA : 40\nVEHICLE_CAPACITY_SECTION\n1 5\n2 10\n3 10\n4 20\n";
    let instance = vrplib::parse(&purchaser(&markets, header), Rounding::Nearest).unwrap();
    let capacities: Vec<i64> = instance.fleet.kinds().iter().map(|v| v.capacity[0]).collect();
    assert_eq!(capacities, vec![5, 10, 10, 20]);
    let found = solve(&instance, settings(2), None, &mut |_, _| {});
    let report = check(&instance, &found.routes);
    assert!(report.feasible(), "{:?}", report.violations);
    assert!(found.routes[0].is_empty() && found.routes.concat().len() == 4, "{:?}", found.routes);
}

#[test]
fn purchase_errors_name_the_line() {
    let markets = [(10, 0, 10, 1), (0, 10, 10, 1)];
    let base = purchaser(&markets, "QUOTA : 20\n");
    for (text, words) in [
        (purchaser(&markets, "QUOTA : 21\n"), "sell 20 units in all"),
        (purchaser(&markets, "QUOTA : -1\n"), "negative"),
        (base.replace("2 10 1\n", "2 0 1\n"), "1 to 1000000000 units"),
        (base.replace("2 10 1\n", "1 10 1\n"), "other than the depot"),
        (base.replace("3 10 1\n", "2 10 1\n"), "sells twice"),
        (base.replace("3 10 1\n", "3 10\n"), "id units price"),
        (base.replace("EOF", "PRIZE_SECTION\n2 5\nEOF"), "cannot be in a set or have a prize"),
        (purchaser(&markets, "SALESMEN : 2\nVEHICLE_CAPACITY_SECTION\n1 5\n3 5\n"), "outside 1..=2"),
        (purchaser(&markets, "SALESMEN : 2\nVEHICLE_CAPACITY_SECTION\n1 5\n1 6\n"), "two capacities"),
    ] {
        match vrplib::parse(&text, Rounding::Nearest) {
            Err(FormatError::Line { reason, .. }) => assert!(reason.contains(words), "{words}: {reason}"),
            other => panic!("{words}: {other:?}"),
        }
    }
    let missing = purchaser(&markets, "SALESMEN : 2\nVEHICLE_CAPACITY_SECTION\n1 5\n");
    let e = vrplib::parse(&missing, Rounding::Nearest).unwrap_err().to_string();
    assert!(e.contains("vehicle 2 has no capacity"), "{e}");
    let no_markets = "NAME : q\nTYPE : TSP\nDIMENSION : 2\nQUOTA : 5\nNODE_COORD_SECTION\n1 0 0\n2 1 1\nEOF\n";
    let e = vrplib::parse(no_markets, Rounding::Nearest).unwrap_err().to_string();
    assert!(e.contains("QUOTA needs a PURCHASE_SECTION"), "{e}");
}
