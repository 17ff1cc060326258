//! Ruin and recreate with simulated annealing.
//!
//! A solution first gets every slot of every route (cheapest insertion), then every
//! requirement, then visits greedily by value per minute of shift. Each iteration ruins a copy —
//! a few random visits, strings of consecutive stops cut from the routes near a random place
//! ([`crate::StringRemoval`], shared with the VRP crate), or (rarely) a whole route — and
//! recreates it: slots and requirements first, then, half the time, the visits in a random
//! order each at its cheapest feasible place, else the visit with the best value / shift^e (the
//! shift: how much later the route reaches the stop after it, its duration, wait and added
//! travel) with a random exponent e, again and again, skipping candidates at a small "blink"
//! rate (each visit's cheapest insertion into each route is kept while that route is unchanged
//! and brought up to date from the two positions beside a new stop, so a round prices one route
//! again, not all); the copy is
//! accepted by simulated annealing on value × weight − travel minutes (value less the repeat
//! penalties of groups visited more than once on a route; the weight exceeds any
//! route's travel, so value comes first), from a temperature of a share of the first
//! solution's mean value per stop ([`Settings::start_temperature`]) down to a hundredth of it
//! over the run; after [`Settings::return_to_best`] iterations without a new best the search
//! goes on from the best. A solution that leaves a slot or a requirement unmet
//! is never accepted over one that meets more of them. Seeded; anytime (the best solution so
//! far is kept).

use crate::anneal::Annealing;
use crate::problem::{Problem, UNREACHABLE};
use crate::route::{Insertion, Route};
use crate::strings::{nearest, StringRemoval};
use std::borrow::Cow;
use std::time::{Duration, Instant};
use tripsmith_model::SeededRng;

/// Nearest stops kept per stop for string removal.
const NEIGHBOURS: usize = 40;

/// Settings of a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Wall-clock limit.
    pub time_limit: Duration,
    /// Seed: the same seed and iteration count give the same answer.
    pub seed: u64,
    /// Stop after this many iterations even before the time limit.
    pub max_iterations: u64,
    /// Stop after this many iterations without a better solution (`u64::MAX`: never), so that
    /// easy problems answer at once.
    pub patience: u64,
    /// The sizes of the string-removal ruin. Small ruins (the default: about 3 stops in strings
    /// of up to 3) suit short runs over many candidates: a second over 1,000 generated itinerary
    /// candidates plans about 1 % more value with them than with 15 and 10. Long runs over a
    /// hundred places gain from large ones (see the VRP crate's TOPTW settings). Routes are not
    /// removed whole by it: the ruin's own whole-route case does that.
    pub strings: StringRemoval,
    /// The annealing's starting temperature as a share of the first solution's value per stop
    /// (it falls to a hundredth of that over the run). The default, 0.1, suits itineraries;
    /// TOPTW runs reach more optima with 1.0 (r110, rc102 and rc103 with one path at 5 s).
    pub start_temperature: f64,
    /// After this many iterations without a new best solution the search goes on from the
    /// best one (`u64::MAX`, the default: never). TOPTW runs reach their one-path optima more
    /// often with 2,000.
    pub return_to_best: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            time_limit: Duration::from_secs(1),
            seed: 1,
            max_iterations: u64::MAX,
            patience: u64::MAX,
            strings: StringRemoval { mean_removed: 3.0, longest_string: 3.0, route_removal_odds: 0 },
            start_temperature: 0.1,
            return_to_best: u64::MAX,
        }
    }
}

/// The best solution found.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// Stops of each route in visiting order.
    pub routes: Vec<Vec<usize>>,
    /// Earliest start of each stop of each route.
    pub starts: Vec<Vec<i64>>,
    /// Summed value of the stops used, less the repeat penalties.
    pub value: i64,
    /// Travel minutes of all routes.
    pub travel: i64,
    /// Slots and requirements left unmet (0: the solution meets every one).
    pub unmet: usize,
    /// Iterations run.
    pub iterations: u64,
}

#[derive(Debug, Clone)]
struct State {
    routes: Vec<Route>,
    /// Which places are used.
    used: Vec<bool>,
    /// Per route, visits of each group.
    groups: Vec<Vec<u16>>,
    cost: i64,
}

struct Search<'a> {
    problem: &'a Problem,
    weight: i64,
    places: usize,
    groups: usize,
    /// Visits (stops without a slot) and, per slot, its stops.
    visits: Vec<usize>,
    slotted: Vec<Vec<usize>>,
    neighbours: Cow<'a, Neighbours>,
    strings: StringRemoval,
}

/// Each stop's nearest stops by travel minutes (in the fastest layer) and the stops with a location (the seeds of
/// string removal): they depend on the stops and the travel matrix alone, so runs over problems
/// that differ only in their routes or budget (the planner's one run per lodging) share them.
#[derive(Debug, Clone, PartialEq)]
pub struct Neighbours {
    near: Vec<Vec<usize>>,
    located: Vec<usize>,
}

impl Neighbours {
    /// The neighbour lists of `problem`'s stops.
    pub fn of(problem: &Problem) -> Self {
        let located: Vec<usize> = (0..problem.stops.len()).filter(|&i| problem.stops[i].location.is_some()).collect();
        let near = nearest(problem.stops.len(), &located, NEIGHBOURS, |a, b| {
            let (a, b) = (problem.stops[a].location, problem.stops[b].location);
            (0..problem.layers()).map(|layer| problem.minutes(layer, a, b)).min().unwrap_or(UNREACHABLE) as f64
        });
        Neighbours { near, located }
    }
}

impl<'a> Search<'a> {
    fn new(problem: &'a Problem, neighbours: &'a Neighbours, strings: StringRemoval) -> Self {
        let places = problem.stops.iter().map(|s| s.place + 1).max().unwrap_or(0);
        let groups = problem.stops.iter().map(|s| s.group + 1).max().unwrap_or(0);
        let slots = problem.stops.iter().filter_map(|s| s.slot).map(|k| k + 1).max().unwrap_or(0);
        let mut slotted = vec![Vec::new(); slots];
        let mut visits = Vec::new();
        for (i, s) in problem.stops.iter().enumerate() {
            match s.slot {
                Some(k) => slotted[k].push(i),
                None => visits.push(i),
            }
        }
        let longest = problem.routes.iter().map(|r| (r.close - r.open).max(0)).sum::<i64>();
        // Lists for another number of stops would point past this problem's: make its own.
        // Lists of the same length are used as given; they only steer the ruin, so lists of
        // another problem would cost search quality, never a plan's validity.
        let neighbours = if neighbours.near.len() == problem.stops.len() {
            Cow::Borrowed(neighbours)
        } else {
            Cow::Owned(Neighbours::of(problem))
        };
        Search { problem, weight: longest.max(1) * 4 + 1, places, groups, visits, slotted, neighbours, strings }
    }

    fn empty(&self) -> State {
        State {
            routes: (0..self.problem.routes.len()).map(|k| Route::new(self.problem, k)).collect(),
            used: vec![false; self.places],
            groups: vec![vec![0; self.groups]; self.problem.routes.len()],
            cost: 0,
        }
    }

    /// Whether `stop` may join route `k` of `state` at all (place free, caps, slot, budget).
    fn allowed(&self, state: &State, k: usize, stop: usize) -> bool {
        let s = &self.problem.stops[stop];
        let spec = &self.problem.routes[k];
        if state.used[s.place] || s.windows[k].is_empty() {
            return false;
        }
        if self.problem.budget.is_some_and(|b| state.cost + s.cost > b) {
            return false;
        }
        match s.slot {
            Some(slot) => {
                (spec.slots.contains(&slot) || spec.optional_slots.contains(&slot))
                    && !state.routes[k].stops.iter().any(|&o| self.problem.stops[o].slot == Some(slot))
            }
            None => state.routes[k].visits < spec.max_visits && usize::from(state.groups[k][s.group]) < spec.group_cap,
        }
    }

    fn insert(&self, state: &mut State, k: usize, stop: usize, position: usize) {
        let s = &self.problem.stops[stop];
        state.used[s.place] = true;
        state.cost += s.cost;
        if s.slot.is_none() {
            state.groups[k][s.group] += 1;
        }
        state.routes[k].insert(self.problem, stop, position);
    }

    fn remove(&self, state: &mut State, k: usize, position: usize) -> usize {
        let stop = state.routes[k].remove(self.problem, position);
        let s = &self.problem.stops[stop];
        state.used[s.place] = false;
        state.cost -= s.cost;
        if s.slot.is_none() {
            state.groups[k][s.group] -= 1;
        }
        stop
    }

    /// What `stop` adds to route `k`'s value: its own, less its group's repeat penalty when the
    /// route already visits that group.
    fn gain(&self, state: &State, k: usize, stop: usize) -> i64 {
        let s = &self.problem.stops[stop];
        if s.slot.is_none() && state.groups[k][s.group] > 0 {
            s.value - self.problem.repeat_penalty(s.group)
        } else {
            s.value
        }
    }

    /// Net value of a state's routes (values less repeat penalties).
    fn value(&self, state: &State) -> i64 {
        let penalties: i64 = state
            .groups
            .iter()
            .flat_map(|g| g.iter().enumerate())
            .map(|(group, &n)| i64::from(n.saturating_sub(1)) * self.problem.repeat_penalty(group))
            .sum();
        state.routes.iter().map(|r| r.value).sum::<i64>() - penalties
    }

    /// Cheapest insertion of one of `stops` into route `k` (or any route), with blinks.
    fn cheapest(
        &self,
        state: &State,
        routes: &[usize],
        stops: &[usize],
        rng: &mut SeededRng,
    ) -> Option<(usize, usize, Insertion)> {
        let mut best: Option<(usize, usize, Insertion)> = None;
        for &k in routes {
            for &stop in stops {
                if !self.allowed(state, k, stop) || rng.next_f64() < 0.02 {
                    continue;
                }
                if let Some(ins) = state.routes[k].best_insertion(self.problem, stop) {
                    if best.is_none_or(|b| ins.added_minutes < b.2.added_minutes) {
                        best = Some((k, stop, ins));
                    }
                }
            }
        }
        best
    }

    /// Fills each route's empty slots among `slots_of(route)` at their cheapest places.
    fn fill_slots(&self, state: &mut State, rng: &mut SeededRng, slots_of: impl Fn(usize) -> Vec<usize>) {
        for k in 0..state.routes.len() {
            for slot in slots_of(k) {
                let filled = state.routes[k].stops.iter().any(|&o| self.problem.stops[o].slot == Some(slot));
                if filled {
                    continue;
                }
                if let Some((k, stop, ins)) = self.cheapest(state, &[k], &self.slotted[slot], rng) {
                    self.insert(state, k, stop, ins.position);
                }
            }
        }
    }

    /// Fills the slots and requirements, then adds visits greedily; the optional slots come
    /// before the visits half the time (room kept for them) and after them otherwise (in the
    /// room the visits leave).
    fn recreate(&self, state: &mut State, rng: &mut SeededRng) {
        let optional = self.problem.routes.iter().any(|r| !r.optional_slots.is_empty());
        let optional_first = optional && rng.below(2) == 0;
        self.recreate_visits(state, rng, optional_first);
        if optional && !optional_first {
            self.fill_slots(state, rng, |k| self.problem.routes[k].optional_slots.clone());
        }
    }

    /// Fills the slots and requirements, the optional slots too when `optional_first`, then
    /// adds visits greedily.
    fn recreate_visits(&self, state: &mut State, rng: &mut SeededRng, optional_first: bool) {
        let all: Vec<usize> = (0..state.routes.len()).collect();
        self.fill_slots(state, rng, |k| self.problem.routes[k].slots.clone());
        for list in &self.problem.requirements {
            if list.iter().any(|&s| state.routes.iter().any(|r| r.stops.contains(&s))) {
                continue;
            }
            if let Some((k, stop, ins)) = self.cheapest(state, &all, list, rng) {
                self.insert(state, k, stop, ins.position);
            }
        }
        if optional_first {
            self.fill_slots(state, rng, |k| self.problem.routes[k].optional_slots.clone());
        }
        // Half the time the visits come in a random order, each at its cheapest place (a budget
        // or a cap may make the greediest choice a trap); else the best value per minute of shift first.
        if rng.below(2) == 0 {
            let mut order: Vec<usize> = self.visits.clone();
            for i in (1..order.len()).rev() {
                order.swap(i, rng.below(i + 1));
            }
            for stop in order {
                if self.problem.stops[stop].value <= 0 || state.used[self.problem.stops[stop].place] {
                    continue;
                }
                let routes: Vec<usize> = (0..state.routes.len()).filter(|&k| self.gain(state, k, stop) > 0).collect();
                if let Some((k, stop, ins)) = self.cheapest(state, &routes, &[stop], rng) {
                    self.insert(state, k, stop, ins.position);
                }
            }
            return;
        }
        let exponent = 0.5 + rng.next_f64();
        // Each visit's cheapest insertion into each route and its priority, kept while that
        // route is unchanged and brought up to date cheaply when it gains a stop
        // ([`Route::best_insertion_after`]): each round prices one route again, not all.
        let routes = state.routes.len();
        let mut cheapest: Vec<Option<Option<(Insertion, f64)>>> = vec![None; self.visits.len() * routes];
        let priced = |state: &State, k: usize, stop: usize, ins: Option<Insertion>| {
            ins.map(|ins| {
                let gain = self.gain(state, k, stop) as f64;
                (ins, gain / (ins.shift.max(1) as f64).powf(exponent))
            })
        };
        loop {
            let mut best: Option<(f64, usize, usize, usize)> = None;
            for (v, &stop) in self.visits.iter().enumerate() {
                let s = &self.problem.stops[stop];
                if s.value <= 0 || state.used[s.place] {
                    continue;
                }
                for k in 0..routes {
                    if self.gain(state, k, stop) <= 0 || !self.allowed(state, k, stop) || rng.next_f64() < 0.03 {
                        continue;
                    }
                    let cached = cheapest[v * routes + k].get_or_insert_with(|| {
                        priced(state, k, stop, state.routes[k].best_insertion(self.problem, stop))
                    });
                    let Some((ins, key)) = *cached else { continue };
                    if best.is_none_or(|b| key > b.0) {
                        best = Some((key, k, stop, ins.position));
                    }
                }
            }
            let Some((_, k, stop, position)) = best else { break };
            self.insert(state, k, stop, position);
            for (v, &other) in self.visits.iter().enumerate() {
                let entry = &mut cheapest[v * routes + k];
                let Some(before) = *entry else { continue };
                if state.used[self.problem.stops[other].place] {
                    continue;
                }
                let after = state.routes[k].best_insertion_after(self.problem, other, before.map(|b| b.0), position);
                *entry = after.map(|ins| priced(state, k, other, ins));
            }
        }
    }

    /// Slots and requirements a state leaves unmet.
    fn unmet(&self, state: &State) -> usize {
        let slots: usize = state
            .routes
            .iter()
            .map(|r| {
                let spec = &self.problem.routes[r.index];
                spec.slots
                    .iter()
                    .filter(|&&slot| !r.stops.iter().any(|&o| self.problem.stops[o].slot == Some(slot)))
                    .count()
            })
            .sum();
        let requirements = self
            .problem
            .requirements
            .iter()
            .filter(|list| !list.iter().any(|s| state.routes.iter().any(|r| r.stops.contains(s))))
            .count();
        slots + requirements
    }

    fn score(&self, state: &State) -> (usize, i64) {
        let value = self.value(state);
        let travel: i64 = state.routes.iter().map(|r| r.travel).sum();
        (self.unmet(state), value * self.weight - travel)
    }

    /// Takes stops out of a copy: a few random visits, strings near a random place, or a whole route.
    fn ruin(&self, state: &mut State, rng: &mut SeededRng) {
        let routes = state.routes.len();
        match rng.below(10) {
            0 => {
                let k = rng.below(routes);
                while !state.routes[k].stops.is_empty() {
                    let last = state.routes[k].stops.len() - 1;
                    self.remove(state, k, last);
                }
            }
            1..=4 => {
                let lists: Vec<&[usize]> = state.routes.iter().map(|r| r.stops.as_slice()).collect();
                let located = &self.neighbours.located;
                let cuts = self.strings.plan(&lists, self.problem.stops.len(), &self.neighbours.near, rng, |rng| {
                    located.get(rng.below(located.len().max(1))).copied().unwrap_or(0)
                });
                for cut in cuts {
                    for &p in cut.positions.iter().rev() {
                        self.remove(state, cut.route, p);
                    }
                }
            }
            _ => {
                for _ in 0..1 + rng.below(3) {
                    let k = rng.below(routes);
                    let visits: Vec<usize> = (0..state.routes[k].stops.len())
                        .filter(|&p| self.problem.stops[state.routes[k].stops[p]].slot.is_none())
                        .collect();
                    if let Some(&p) = visits.get(rng.below(visits.len().max(1))) {
                        self.remove(state, k, p);
                    }
                }
            }
        }
    }
}

/// Solves `problem` (which must pass [`Problem::validate`]).
pub fn solve(problem: &Problem, settings: Settings) -> Solution {
    solve_reporting(problem, settings, &mut |_| {})
}

/// Solves `problem` like [`solve`], telling `progress` the share of the run done (0 to 1) every
/// 256 iterations.
pub fn solve_reporting(problem: &Problem, settings: Settings, progress: &mut dyn FnMut(f64)) -> Solution {
    solve_with(problem, &Neighbours::of(problem), settings, progress)
}

/// Solves `problem` like [`solve_reporting`] with `neighbours` made once for its stops and
/// shared by runs over the same stops (lists for another number of stops are replaced by this
/// problem's own; the caller keeps lists and problems matched otherwise).
pub fn solve_with(
    problem: &Problem,
    neighbours: &Neighbours,
    settings: Settings,
    progress: &mut dyn FnMut(f64),
) -> Solution {
    let started = Instant::now();
    let search = Search::new(problem, neighbours, settings.strings);
    let mut rng = SeededRng::new(settings.seed);
    let mut current = search.empty();
    search.recreate(&mut current, &mut rng);
    let mut current_score = search.score(&current);
    let mut best = current.clone();
    let mut best_score = current_score;
    let stops_used = best.routes.iter().map(|r| r.stops.len()).sum::<usize>().max(1);
    let t0 = (search.value(&best).max(0) * search.weight) as f64 / stops_used as f64 * settings.start_temperature;
    let t0 = t0.max(1.0);
    let annealing = Annealing {
        t0,
        t1: t0 / 100.0,
        max_iterations: settings.max_iterations,
        time_limit: settings.time_limit,
        started,
    };
    let mut iterations = 0u64;
    let mut last_improvement = 0u64;
    let mut last_return = 0u64;
    while iterations < settings.max_iterations
        && started.elapsed() < settings.time_limit
        && iterations - last_improvement < settings.patience
    {
        iterations += 1;
        let mut next = current.clone();
        search.ruin(&mut next, &mut rng);
        search.recreate(&mut next, &mut rng);
        let score = search.score(&next);
        let fraction = annealing.fraction(iterations);
        if iterations.is_multiple_of(256) {
            progress(fraction);
        }
        let accept = score.0 < current_score.0
            || (score.0 == current_score.0
                && (score.1 as f64) > current_score.1 as f64 - annealing.allowance(fraction, &mut rng));
        if accept {
            current = next;
            current_score = score;
            if score.0 < best_score.0 || (score.0 == best_score.0 && score.1 > best_score.1) {
                best = current.clone();
                best_score = score;
                last_improvement = iterations;
                last_return = iterations;
            }
        }
        if iterations - last_return >= settings.return_to_best {
            current = best.clone();
            current_score = best_score;
            last_return = iterations;
        }
    }
    Solution {
        routes: best.routes.iter().map(|r| r.stops.clone()).collect(),
        starts: best.routes.iter().map(|r| r.earliest.clone()).collect(),
        value: search.value(&best),
        travel: best.routes.iter().map(|r| r.travel).sum(),
        unmet: best_score.0,
        iterations,
    }
}
