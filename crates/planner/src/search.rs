//! The route-search backend (the default): the request as a rich orienteering problem for the
//! engine of `tripsmith-search`. Days are routes from and back to the lodging (or with free ends);
//! sights are stops worth their value (score × 100) with their opening intervals on each date as
//! start windows; each planned meal is a slot every day must fill from the venues that serve it;
//! must-visit places and required cuisines are requirements; the pace and the daily limits are
//! route caps (and each repeat of a category on a day costs its repeat penalty); the budget,
//! less the lodging's nights, caps the stops' cost; a day's midday break is an optional slot
//! worth less than any sight. The engine runs once
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

/// One layer of travel for the engine: row-major minutes and metres of one way of travelling.
type Layer<'a> = (&'a [Option<u32>], &'a [Option<u32>]);

/// The engine's problem for `p` without a lodging (free ends, the whole budget), and the stop
/// option (the MILP's: each sight worth a visit or named, each venue for each meal it may
/// serve) that each engine stop stands for. [`with_lodging`] sets a lodging.
pub(crate) fn engine_problem(p: &Problem) -> (tripsmith_search::Problem, Vec<milp::StopOption>) {
    let r = &p.request;
    let n = p.candidates.len();
    let cell = |v: Option<u32>| v.map_or(UNREACHABLE, i64::from);
    // A layer per mode the days are held to, and the fastest legs last for days that are not
    // (as `TravelMatrix::leg` reads them).
    let t = &p.travel;
    let held = |d: usize| t.day_modes.get(d).and_then(|m| t.by_mode.iter().position(|l| l.mode == *m));
    let mut layers: Vec<Layer> = Vec::new();
    if (0..r.days as usize).any(|d| held(d).is_some()) {
        layers.extend(t.by_mode.iter().map(|l| (l.minutes.as_slice(), l.metres.as_slice())));
    }
    let fastest = layers.len();
    if (0..r.days as usize).any(|d| held(d).is_none()) {
        layers.push((&t.minutes, &t.metres));
    }
    let layer_of = |d: usize| held(d).unwrap_or(fastest);
    let minutes = layers.iter().flat_map(|l| l.0).map(|&v| cell(v)).collect();
    let metres = layers.iter().flat_map(|l| l.1).map(|&v| cell(v)).collect();
    let meals: Vec<MealKind> = MealKind::ALL.into_iter().filter(|k| r.meal(*k).is_some()).collect();
    let routes = (0..r.days)
        .map(|d| {
            let (open, close) = r.day_window(d + 1);
            RouteSpec {
                start: None,
                end: None,
                open: i64::from(open.minutes()),
                close: i64::from(close.minutes()),
                max_visits: r.sights_per_day() as usize,
                group_cap: r.pace.per_category_per_day() as usize,
                max_metres: r.travel.max_per_day_m.map(|m| m.floor() as i64),
                max_leg_metres: r.travel.max_per_leg_m.map(|m| m.floor() as i64),
                slots: meals.iter().map(|k| *k as usize).collect(),
                optional_slots: Vec::new(),
                layer: layer_of(d as usize),
            }
        })
        .collect();
    let group = |c: Category| Category::ALL.iter().position(|x| *x == c).unwrap_or(0);
    // Sights worth nothing to this request are left out unless named.
    let options: Vec<milp::StopOption> = milp::stop_options(p, &milp::Labels::none())
        .into_iter()
        .filter(|o| o.activity != Activity::Visit || o.score > 0 || o.wanted)
        .collect();
    let stops = options
        .iter()
        .map(|o| Stop {
            location: Some(o.candidate),
            place: o.candidate,
            duration: o.minutes,
            value: if o.activity == Activity::Visit { o.score } else { 0 },
            cost: o.price * i64::from(r.party_size),
            group: group(o.category),
            slot: match o.activity {
                Activity::Visit => None,
                Activity::Meal(kind) => Some(kind as usize),
            },
            windows: (0..r.days as usize)
                .map(|d| {
                    let (open, close) = r.day_window(d as u32 + 1);
                    let bounds = (i64::from(open.minutes()), i64::from(close.minutes()));
                    milp::start_windows(p, o, d, true, bounds)
                })
                .collect(),
        })
        .collect();
    let wanted = |s: usize, place: &str| {
        options[s].activity == Activity::Visit && p.candidates[options[s].candidate].matches(place)
    };
    let mut requirements: Vec<Vec<usize>> =
        r.must_visit.iter().map(|place| (0..options.len()).filter(|&s| wanted(s, place)).collect()).collect();
    for cuisine in &r.meals.cuisines {
        let cuisine = cuisine.to_lowercase();
        let serves = |s: usize| {
            options[s].activity != Activity::Visit && p.candidates[options[s].candidate].cuisines.contains(&cuisine)
        };
        requirements.push((0..options.len()).filter(|&s| serves(s)).collect());
    }
    let budget = r.budget.map(|b| b.cents());
    let repeat_penalty = Category::ALL.iter().map(|&c| r.repeat_penalty(c)).collect();
    let problem = tripsmith_search::Problem {
        locations: n,
        minutes,
        metres,
        stops,
        routes,
        requirements,
        budget,
        repeat_penalty,
    };
    (problem, options)
}

/// The engine's slot of the midday break (after the meals' slots).
const REST_SLOT: usize = MealKind::ALL.len();

/// `problem` with the midday break the request wants on each day as an optional slot, filled by
/// a stop taken wherever the route is. The break must never cost a sight, so every value and
/// penalty is scaled by the days + 1 and a break is worth 1: a plan with more breaks wins only
/// at equal sight value. The engine only makes room; [`crate::rest`] places the break in the
/// assembled itinerary, as for every backend.
fn with_rests(p: &Problem, problem: &mut tripsmith_search::Problem) {
    let r = &p.request;
    let rests: Vec<(usize, (i64, i64, i64))> =
        (0..r.days as usize).filter_map(|d| r.rest_on(d as u32 + 1).map(|rest| (d, rest))).collect();
    if rests.is_empty() {
        return;
    }
    let scale = i64::from(r.days) + 1;
    for stop in &mut problem.stops {
        stop.value *= scale;
    }
    for penalty in &mut problem.repeat_penalty {
        *penalty *= scale;
    }
    let places = problem.stops.iter().map(|s| s.place + 1).max().unwrap_or(0).max(p.candidates.len());
    for (d, (from, to, minutes)) in rests {
        let windows = (0..r.days as usize).map(|k| if k == d { vec![(from, to - minutes)] } else { Vec::new() });
        problem.stops.push(Stop {
            location: None,
            place: places + d,
            duration: minutes,
            value: 1,
            cost: 0,
            group: 0,
            slot: Some(REST_SLOT),
            windows: windows.collect(),
        });
        problem.routes[d].optional_slots.push(REST_SLOT);
    }
}

/// `base` with `lodging`: days from and back to it (when the travellers return to base), and
/// its nights taken from the budget.
fn with_lodging(p: &Problem, base: &tripsmith_search::Problem, lodging: Option<usize>) -> tripsmith_search::Problem {
    let r = &p.request;
    let mut problem = base.clone();
    let depot = lodging.filter(|_| r.return_to_base);
    for route in &mut problem.routes {
        (route.start, route.end) = (depot, depot);
    }
    let nights_cost = lodging
        .and_then(|l| p.candidates[l].lodging.as_ref())
        .map_or(0, |o| o.price_per_night.cents() * i64::from(nights(r.days)));
    problem.budget = base.budget.map(|b| b - nights_cost);
    problem
}

/// Plans `p` within `time_limit` (see the module doc).
pub fn solve(p: &Problem, time_limit: Duration) -> Result<Outcome, PlanError> {
    let started = Instant::now();
    match plan(p, time_limit, &|_| {}) {
        Some(plan) => Ok(Outcome::Feasible { plan, optimal: false }),
        // Nothing met every slot and requirement: the MILP decides.
        None => {
            crate::Backend::Milp.solve(p, time_limit.saturating_sub(started.elapsed()).max(Duration::from_millis(1)))
        }
    }
}

/// The best itinerary the engine finds within at most half of `time_limit` and
/// [`SEARCH_SECONDS`] that meets every slot and requirement, if it finds one; `progress` hears
/// the share of the search done (0 to 1) as it goes. When its plan leaves the car behind, the
/// second half of that time plans again with each day held to one mode ([`crate::modes`]).
pub fn plan(p: &Problem, time_limit: Duration, progress: &dyn Fn(f64)) -> Option<crate::Itinerary> {
    let search_time = time_limit.mul_f64(0.5).min(Duration::from_secs_f64(SEARCH_SECONDS));
    if !crate::modes::may_leave_car_behind(p) {
        return plan_within(p, search_time, progress);
    }
    let half = search_time / 2;
    let first = plan_within(p, half, &|f| progress(f / 2.0))?;
    if !crate::modes::leaves_car_behind(p, &first) {
        return Some(first);
    }
    let held = crate::modes::held_to(p, crate::modes::day_modes_of(&first));
    plan_within(&held, search_time - half, &|f| progress(0.5 + f / 2.0))
}

/// The best itinerary the engine finds within `search_time` (shared by the lodgings).
fn plan_within(p: &Problem, search_time: Duration, progress: &dyn Fn(f64)) -> Option<crate::Itinerary> {
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
    let mut best: Option<Found> = None;
    let (mut base, options) = engine_problem(p);
    with_rests(p, &mut base);
    // Every lodging's problem has the base's stops: their neighbour lists are made once.
    let neighbours = tripsmith_search::Neighbours::of(&base);
    for (tried, &lodging) in lodgings.iter().enumerate() {
        let problem = with_lodging(p, &base, lodging);
        if problem.validate().is_err() {
            continue;
        }
        let settings = Settings {
            time_limit: search_time.div_f64(lodgings.len() as f64),
            seed: 1,
            patience: PATIENCE,
            ..Settings::default()
        };
        let share = |f: f64| progress((tried as f64 + f) / lodgings.len() as f64);
        let found = tripsmith_search::solve_with(&problem, &neighbours, settings, &mut |f| share(f));
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
                        .filter(|(&s, _)| s < options.len())
                        .map(|(&s, &start)| Chosen {
                            candidate: options[s].candidate,
                            activity: options[s].activity,
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
