//! The engine against brute force on small random instances: every answer is feasible by a
//! separate simulation of its routes, and reaches the best value enumeration finds.

use proptest::prelude::*;
use std::time::Duration;
use tripsmith_model::SeededRng;
use tripsmith_search::{
    solve, solve_reporting, solve_with, Neighbours, Problem, RouteSpec, Settings, Stop, UNREACHABLE,
};

/// A random instance: `stops` stops (each its own place) on a line of locations, `routes` routes
/// from location 0, some stops with two windows, one meal slot when `meal`, and per route an
/// optional break slot with a stop taken wherever the route is when `rest`. Travel has two
/// layers, the second twice as slow: every other route travels by it, and so does a single route
/// for an odd seed.
fn instance(seed: u64, stops: usize, routes: usize, meal: bool, rest: bool) -> Problem {
    let mut rng = SeededRng::new(seed);
    let locations = stops + 1;
    let xs: Vec<i64> = (0..locations).map(|i| if i == 0 { 0 } else { rng.below(60) as i64 }).collect();
    let fast: Vec<i64> = (0..locations * locations).map(|k| (xs[k / locations] - xs[k % locations]).abs()).collect();
    let minutes: Vec<i64> = fast.iter().copied().chain(fast.iter().map(|m| 2 * m)).collect();
    let metres = fast.iter().chain(&fast).map(|m| m * 80).collect();
    let layer = |k: usize| if routes == 1 { (seed % 2) as usize } else { k % 2 };
    let stops: Vec<Stop> = (0..stops)
        .map(|i| {
            let is_meal = meal && i < 2;
            let windows = (0..routes)
                .map(|_| {
                    if is_meal {
                        vec![(60, 120)]
                    } else if rng.below(3) == 0 {
                        let a = rng.below(100) as i64;
                        vec![(a, a + 20), (a + 60, a + 90)]
                    } else {
                        vec![(0, 240)]
                    }
                })
                .collect();
            Stop {
                location: Some(i + 1),
                place: i,
                duration: 10 + rng.below(30) as i64,
                value: if is_meal { 0 } else { 1 + rng.below(9) as i64 },
                cost: rng.below(5) as i64,
                group: rng.below(3),
                slot: is_meal.then_some(0),
                windows,
            }
        })
        .collect();
    let mut stops = stops;
    if rest {
        let place = stops.len();
        for k in 0..routes {
            let windows = (0..routes).map(|j| if j == k { vec![(40, 100)] } else { Vec::new() }).collect();
            let value = 1 + rng.below(4) as i64;
            stops.push(Stop {
                location: None,
                place: place + k,
                duration: 20,
                value,
                cost: 0,
                group: 0,
                slot: Some(1),
                windows,
            });
        }
    }
    let routes = (0..routes)
        .map(|k| RouteSpec {
            layer: layer(k),
            max_visits: 3,
            group_cap: 2,
            slots: if meal { vec![0] } else { Vec::new() },
            optional_slots: if rest { vec![1] } else { Vec::new() },
            ..RouteSpec::between(Some(0), Some(0), 0, 150)
        })
        .collect();
    // Variety: a repeat of group 0 or 1 on a route is worth 2 or 4 less; group 2 repeats freely.
    let repeat_penalty = vec![2, 4];
    Problem { locations, minutes, metres, stops, routes, requirements: Vec::new(), budget: Some(8), repeat_penalty }
}

/// Simulates a route: its travel minutes, or `None` when it breaks a window, the close, a cap.
fn simulate(p: &Problem, k: usize, route: &[usize]) -> Option<i64> {
    let spec = &p.routes[k];
    let (mut here, mut clock, mut travel) = (spec.start, spec.open, 0);
    let mut groups = [0; 8];
    for &s in route {
        let stop = &p.stops[s];
        let leg = if stop.location.is_some() { p.minutes(spec.layer, here, stop.location) } else { 0 };
        if leg >= UNREACHABLE {
            return None;
        }
        travel += leg;
        let arrive = clock + leg;
        let start = stop.windows[k].iter().find(|w| w.1 >= arrive).map(|w| w.0.max(arrive))?;
        clock = start + stop.duration;
        here = stop.location.or(here);
        if stop.slot.is_none() {
            groups[stop.group] += 1;
        }
    }
    travel += p.minutes(spec.layer, here, spec.end);
    let visits = route.iter().filter(|&&s| p.stops[s].slot.is_none()).count();
    let taken = |slot: usize| route.iter().filter(|&&s| p.stops[s].slot == Some(slot)).count();
    let slots_ok = spec.slots.iter().all(|&slot| taken(slot) == 1)
        && spec.optional_slots.iter().all(|&slot| taken(slot) <= 1)
        && route.iter().all(|&s| {
            p.stops[s].slot.is_none_or(|slot| spec.slots.contains(&slot) || spec.optional_slots.contains(&slot))
        });
    let ok = clock + p.minutes(spec.layer, here, spec.end) <= spec.close
        && visits <= spec.max_visits
        && groups.iter().all(|&g| g <= spec.group_cap)
        && slots_ok;
    ok.then_some(travel)
}

/// A route's value computed apart from the engine: each visit's value, less the group's
/// penalty for every visit of a group after its first, plus the value of slotted stops.
fn route_value(p: &Problem, route: &[usize]) -> i64 {
    let mut count = [0i64; 8];
    let mut value: i64 = route.iter().map(|&s| &p.stops[s]).filter(|s| s.slot.is_some()).map(|s| s.value).sum();
    for stop in route.iter().map(|&s| &p.stops[s]).filter(|s| s.slot.is_none()) {
        value +=
            stop.value - if count[stop.group] > 0 { p.repeat_penalty.get(stop.group).copied().unwrap_or(0) } else { 0 };
        count[stop.group] += 1;
    }
    value
}

/// The best value of one route by enumerating every ordered subset of the stops.
fn brute_force(p: &Problem) -> Option<i64> {
    fn extend(p: &Problem, route: &mut Vec<usize>, best: &mut Option<i64>) {
        let cost: i64 = route.iter().map(|&s| p.stops[s].cost).sum();
        if p.budget.is_some_and(|b| cost > b) {
            return;
        }
        if simulate(p, 0, route).is_some() {
            let value = route_value(p, route);
            if best.is_none_or(|b| value > b) {
                *best = Some(value);
            }
        }
        if route.len() >= 6 {
            return;
        }
        for s in 0..p.stops.len() {
            if !route.contains(&s) {
                route.push(s);
                extend(p, route, best);
                route.pop();
            }
        }
    }
    let mut best = None;
    extend(p, &mut Vec::new(), &mut best);
    best
}

/// Settings of a run bounded by iterations (so a seed repeats exactly).
fn bounded(seed: u64, max_iterations: u64) -> Settings {
    Settings { time_limit: Duration::from_secs(30), seed, max_iterations, ..Settings::default() }
}

/// One route's answer against enumeration (`back`: the search goes back to its best solution
/// after 50 iterations without a better one).
fn reaches_the_optimum(seed: u64, meal: bool, rest: bool, back: bool) -> Result<(), String> {
    let p = instance(seed, 6, 1, meal, rest);
    p.validate().map_err(|e| e.to_string())?;
    let settings = Settings { return_to_best: if back { 50 } else { u64::MAX }, ..bounded(1, 3000) };
    let found = solve(&p, settings);
    match brute_force(&p) {
        None if found.unmet > 0 => Ok(()),
        None => Err(format!("no plan exists, the engine says {found:?}")),
        Some(best) if found.unmet == 0 && simulate(&p, 0, &found.routes[0]).is_some() && found.value == best => Ok(()),
        Some(best) => Err(format!("best {best}, the engine {found:?}")),
    }
}

#[test]
fn progress_moves_from_start_to_end() {
    let p = instance(3, 9, 2, true, false);
    let mut seen = Vec::new();
    let settings = bounded(1, 2048);
    let found = solve_reporting(&p, settings, &mut |f| seen.push(f));
    assert_eq!(seen.len(), 8, "every 256 iterations");
    assert!(seen.windows(2).all(|w| w[0] < w[1]) && seen[seen.len() - 1] == 1.0, "{seen:?}");
    assert_eq!(found, solve(&p, settings), "reporting changes nothing");
}

#[test]
fn patience_ends_a_run_that_stopped_improving() {
    let p = instance(11, 9, 2, true, false);
    let settings = Settings { patience: 300, ..bounded(1, 100_000) };
    let found = solve(&p, settings);
    assert!(found.iterations < 100_000, "{}", found.iterations);
    assert_eq!(found, solve(&p, settings), "the same seed repeats, stop included");
}

#[test]
fn a_budget_trap_for_greedy_insertion_is_escaped() {
    // Found by the property below before the recreate took random orders: value 13 against 16.
    reaches_the_optimum(899_471, true, false, false).unwrap();
}

proptest! {
    // A fixed seed: the same cases every run (and no regression files to keep).
    #![proptest_config(ProptestConfig {
        cases: 200,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20261205),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn one_route_reaches_the_brute_force_optimum(
        seed in 0u64..1_000_000,
        meal in any::<bool>(),
        rest in any::<bool>(),
        back in any::<bool>(),
    ) {
        prop_assert_eq!(reaches_the_optimum(seed, meal, rest, back), Ok(()));
    }

    #[test]
    fn every_answer_is_feasible_and_the_same_seed_repeats(
        seed in 0u64..1_000_000,
        rest in any::<bool>(),
        back in any::<bool>(),
    ) {
        let p = instance(seed, 9, 3, true, rest);
        let settings = Settings { return_to_best: if back { 20 } else { u64::MAX }, ..bounded(7, 500) };
        let found = solve(&p, settings);
        let mut places = std::collections::BTreeSet::new();
        for (k, route) in found.routes.iter().enumerate() {
            if found.unmet == 0 {
                prop_assert!(simulate(&p, k, route).is_some(), "route {} {:?}", k, route);
            }
            for &s in route {
                prop_assert!(places.insert(p.stops[s].place), "a place twice");
            }
        }
        let cost: i64 = found.routes.iter().flatten().map(|&s| p.stops[s].cost).sum();
        prop_assert!(cost <= 8);
        prop_assert_eq!(solve(&p, settings), found);
    }
}

#[test]
fn shared_neighbour_lists_give_the_same_run_and_foreign_ones_are_replaced() {
    let p = instance(11, 6, 2, true, false);
    let q = instance(12, 5, 2, false, false);
    let alone = solve(&p, bounded(3, 2000));
    let shared = solve_with(&p, &Neighbours::of(&p), bounded(3, 2000), &mut |_| {});
    let foreign = solve_with(&p, &Neighbours::of(&q), bounded(3, 2000), &mut |_| {});
    assert_eq!((&alone.routes, alone.value), (&shared.routes, shared.value));
    assert_eq!((&alone.routes, alone.value), (&foreign.routes, foreign.value));
}
