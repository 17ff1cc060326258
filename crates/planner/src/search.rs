//! The route-search backend (the default): the request as a rich orienteering problem for the
//! engine of `tripsmith-search`. Days are routes from and back to the lodging (or with free ends);
//! sights are stops worth their value (score × 100) with their opening intervals on each date as
//! start windows; each planned meal is a slot every day must fill from the venues that serve it;
//! must-visit places and required cuisines are requirements; the pace and the daily limits are
//! route caps; the budget, less the lodging's nights, caps the stops' cost. The engine runs once
//! per allowed lodging (sharing [`SEARCH_SECONDS`]); the best plan that meets every slot and
//! requirement is the answer, never called optimal. When the search meets them on no lodging,
//! the MILP decides with the time left: it proves the request infeasible (with a minimal core)
//! or finds the plan.

use crate::catalog::Problem;
use crate::itinerary::{assemble, nights, Activity, Chosen};
use crate::milp;
use crate::outcome::{Outcome, PlanError};
use crate::request::MealKind;
use std::time::{Duration, Instant};
use tripsmith_model::Category;
use tripsmith_search::{RouteSpec, Settings, Stop, UNREACHABLE};

/// Seconds the engine searches at most (an interactive answer); less when the time limit is shorter.
pub const SEARCH_SECONDS: f64 = 1.0;

/// Iterations without a better plan after which the engine stops early (a small town's trip is
/// answered in milliseconds, not in [`SEARCH_SECONDS`]).
pub const PATIENCE: u64 = 20_000;

/// What each engine stop stands for.
struct Meaning {
    candidate: usize,
    activity: Activity,
}

/// The engine's problem for `p` with lodging `lodging`, and what its stops mean.
fn engine_problem(p: &Problem, lodging: Option<usize>) -> (tripsmith_search::Problem, Vec<Meaning>) {
    let r = &p.request;
    let n = p.candidates.len();
    let cell = |v: Option<u32>| v.map_or(UNREACHABLE, i64::from);
    let minutes = (0..n * n).map(|k| cell(p.travel.minutes(k / n, k % n))).collect();
    let metres = (0..n * n).map(|k| cell(p.travel.metres(k / n, k % n))).collect();
    let meals: Vec<MealKind> = MealKind::ALL.into_iter().filter(|k| r.meal(*k).is_some()).collect();
    let depot = lodging.filter(|_| r.return_to_base);
    let routes = (0..r.days)
        .map(|d| {
            let (open, close) = r.day_window(d + 1);
            RouteSpec {
                start: depot,
                end: depot,
                open: i64::from(open.minutes()),
                close: i64::from(close.minutes()),
                max_visits: r.sights_per_day() as usize,
                group_cap: r.pace.per_category_per_day() as usize,
                max_metres: r.travel.max_per_day_m.map(|m| m.floor() as i64),
                max_leg_metres: r.travel.max_per_leg_m.map(|m| m.floor() as i64),
                slots: meals.iter().map(|k| *k as usize).collect(),
            }
        })
        .collect();
    let keep = milp::Labels::none();
    let mut stops = Vec::new();
    let mut meaning = Vec::new();
    let group = |c: Category| Category::ALL.iter().position(|x| *x == c).unwrap_or(0);
    for (i, c) in p.candidates.iter().enumerate() {
        if c.is_lodging() || milp::barred(p, &keep, i) {
            continue;
        }
        // Start windows on day d: inside an opening interval (ending before it closes) and the
        // meal's window for a meal.
        let windows = |length: i64, within: Option<(i64, i64)>| -> Vec<Vec<(i64, i64)>> {
            (0..r.days as usize)
                .map(|d| {
                    let (open, close) = r.day_window(d as u32 + 1);
                    let intervals: Vec<(i64, i64)> = match &c.hours {
                        None => vec![(i64::from(open.minutes()), i64::from(close.minutes()))],
                        Some(h) => h.on(d).iter().map(|w| (i64::from(w.start), i64::from(w.end))).collect(),
                    };
                    intervals
                        .into_iter()
                        .filter_map(|(a, b)| {
                            let (mut lo, mut hi) = (a.max(i64::from(open.minutes())), b - length);
                            if let Some((w0, w1)) = within {
                                (lo, hi) = (lo.max(w0), hi.min(w1));
                            }
                            (lo <= hi).then_some((lo, hi))
                        })
                        .collect()
                })
                .collect()
        };
        let cost = c.price.cents() * i64::from(r.party_size);
        if !c.is_food() {
            let wanted = r.must_visit.iter().any(|place| c.matches(place));
            if c.score <= 0.0 && !wanted {
                continue;
            }
            stops.push(Stop {
                location: i,
                place: i,
                duration: i64::from(c.visit_minutes),
                value: (c.score * 100.0).round() as i64,
                cost,
                group: group(c.category),
                slot: None,
                windows: windows(i64::from(c.visit_minutes), None),
            });
            meaning.push(Meaning { candidate: i, activity: Activity::Visit });
            continue;
        }
        for &kind in &meals {
            let Some(spec) = r.meal(kind) else { continue };
            if !c.serves(r, kind) || spec.max_price.is_some_and(|max| c.price > max) {
                continue;
            }
            let within = (i64::from(spec.window[0].minutes()), i64::from(spec.window[1].minutes()));
            stops.push(Stop {
                location: i,
                place: i,
                duration: i64::from(spec.minutes),
                value: 0,
                cost,
                group: group(c.category),
                slot: Some(kind as usize),
                windows: windows(i64::from(spec.minutes), Some(within)),
            });
            meaning.push(Meaning { candidate: i, activity: Activity::Meal(kind) });
        }
    }
    let mut requirements: Vec<Vec<usize>> = r
        .must_visit
        .iter()
        .map(|place| {
            (0..stops.len())
                .filter(|&s| {
                    meaning[s].activity == Activity::Visit && p.candidates[meaning[s].candidate].matches(place)
                })
                .collect()
        })
        .collect();
    for cuisine in &r.meals.cuisines {
        let wanted = cuisine.to_lowercase();
        requirements.push(
            (0..stops.len())
                .filter(|&s| {
                    meaning[s].activity != Activity::Visit
                        && p.candidates[meaning[s].candidate].cuisines.contains(&wanted)
                })
                .collect(),
        );
    }
    let lodging_cost = lodging
        .and_then(|l| p.candidates[l].lodging.as_ref())
        .map_or(0, |o| o.price_per_night.cents() * i64::from(nights(r.days)));
    let budget = r.budget.map(|b| b.cents() - lodging_cost);
    let problem = tripsmith_search::Problem { locations: n, minutes, metres, stops, routes, requirements, budget };
    (problem, meaning)
}

/// Plans `p` within `time_limit` (see the module doc).
pub fn solve(p: &Problem, time_limit: Duration) -> Result<Outcome, PlanError> {
    let started = Instant::now();
    match plan(p, time_limit, &|_| {}) {
        Some(plan) => Ok(Outcome::Feasible { plan, optimal: false }),
        // Nothing met every slot and requirement: the MILP decides.
        None => milp::solve(p, time_limit.saturating_sub(started.elapsed()).max(Duration::from_millis(1))),
    }
}

/// The best itinerary the engine finds within at most half of `time_limit` and
/// [`SEARCH_SECONDS`] that meets every slot and requirement, if it finds one; `progress` hears
/// the share of the search done (0 to 1) as it goes.
pub fn plan(p: &Problem, time_limit: Duration, progress: &dyn Fn(f64)) -> Option<crate::Itinerary> {
    let r = &p.request;
    let keep = milp::Labels::none();
    let needs_lodging = r.return_to_base || r.lodging.is_some();
    let lodgings: Vec<Option<usize>> = if needs_lodging {
        (0..p.candidates.len())
            .filter(|&l| {
                p.candidates[l].is_lodging() && !milp::barred(p, &keep, l) && milp::lodging_allowed(p, l, &keep)
            })
            .map(Some)
            .collect()
    } else {
        vec![None]
    };
    let search_time = time_limit.mul_f64(0.5).min(Duration::from_secs_f64(SEARCH_SECONDS));
    let mut best: Option<Found> = None;
    for (tried, &lodging) in lodgings.iter().enumerate() {
        let (problem, meaning) = engine_problem(p, lodging);
        if problem.validate().is_err() {
            continue;
        }
        let settings = Settings {
            time_limit: search_time.div_f64(lodgings.len() as f64),
            seed: 1,
            max_iterations: u64::MAX,
            patience: PATIENCE,
        };
        let share = |f: f64| progress((tried as f64 + f) / lodgings.len() as f64);
        let found = tripsmith_search::solve_reporting(&problem, settings, &mut |f| share(f));
        if found.unmet > 0 {
            continue;
        }
        let better = best.as_ref().is_none_or(|b| (found.value, -found.travel) > (b.value, -b.travel));
        if better {
            let chosen = found
                .routes
                .iter()
                .zip(&found.starts)
                .map(|(route, starts)| {
                    route
                        .iter()
                        .zip(starts)
                        .map(|(&s, &start)| Chosen {
                            candidate: meaning[s].candidate,
                            activity: meaning[s].activity,
                            start,
                            end: start + problem.stops[s].duration,
                        })
                        .collect()
                })
                .collect();
            best = Some(Found { value: found.value, travel: found.travel, lodging, chosen });
        }
    }
    best.map(|b| assemble(p, b.lodging, b.chosen))
}

/// The best plan over the lodgings tried so far.
struct Found {
    value: i64,
    travel: i64,
    lodging: Option<usize>,
    chosen: Vec<Vec<Chosen>>,
}
