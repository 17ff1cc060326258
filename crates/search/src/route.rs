//! A route with what makes an insertion test O(1) per position: the earliest start of every
//! stop (forward) and the latest start that keeps the rest of the route feasible (backward).
//! With several windows a stop starts in the first one it can reach; leaving a stop earlier
//! never hurts (the route may wait), so a later stop is reachable exactly when its arrival is
//! no later than its latest start. The route is free ever later along its stops, and its
//! latest starts never decrease, so the search for a stop's cheapest position tries only the
//! positions between the first whose next stop may start late enough to follow a visit in the
//! stop's first window and the last before the route is busy past its last window.

use crate::problem::{Problem, UNREACHABLE};

/// One route of a solution.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Route {
    /// Its index among the problem's routes.
    pub index: usize,
    /// Stops in visiting order.
    pub stops: Vec<usize>,
    /// Earliest start of each stop.
    pub earliest: Vec<i64>,
    /// When the route is free to go on before each position: the opening, then the earliest
    /// end of each stop (never decreasing).
    free: Vec<i64>,
    /// Minutes of the leg into each position: from the stop before (or the start) to the stop
    /// there (or the end), the leg an insertion there replaces.
    direct: Vec<i64>,
    /// Latest start of each stop that keeps the rest feasible.
    pub latest: Vec<i64>,
    /// Where each stop is taken: its location, or for a stop without one the place the route
    /// is at (the stop before, or the start).
    at: Vec<Option<usize>>,
    /// Travel minutes, start and end legs included.
    pub travel: i64,
    /// Travel metres.
    pub metres: i64,
    /// Summed value of its stops.
    pub value: i64,
    /// Summed cost of its stops.
    pub cost: i64,
    /// Visits (stops without a slot).
    pub visits: usize,
    /// Stops without a location (breaks), whose legs an insertion in front of them changes.
    breaks: usize,
}

/// Where and when an insertion would put a stop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Insertion {
    /// Position in the route (before the stop now there).
    pub position: usize,
    /// Added travel minutes.
    pub added_minutes: i64,
    /// How much later the route reaches the stop after the position (or its end): the added
    /// travel, any wait for the new stop's window and its duration (in front of a break: the
    /// added travel and the duration).
    pub shift: i64,
}

/// The first start at or after `arrival` inside `windows`, if any.
pub(crate) fn first_start(windows: &[(i64, i64)], arrival: i64) -> Option<i64> {
    windows.iter().find(|w| w.1 >= arrival).map(|w| w.0.max(arrival))
}

impl Route {
    pub fn new(problem: &Problem, index: usize) -> Self {
        let mut r = Route {
            index,
            stops: Vec::new(),
            earliest: Vec::new(),
            free: Vec::new(),
            direct: Vec::new(),
            latest: Vec::new(),
            at: Vec::new(),
            travel: 0,
            metres: 0,
            value: 0,
            cost: 0,
            visits: 0,
            breaks: 0,
        };
        r.update(problem);
        r
    }

    /// Recomputes times and totals; `false` when the route is infeasible.
    pub fn update(&mut self, problem: &Problem) -> bool {
        let spec = &problem.routes[self.index];
        let n = self.stops.len();
        self.earliest.clear();
        self.free.clear();
        self.direct.clear();
        self.latest.clear();
        self.at.clear();
        self.travel = 0;
        self.metres = 0;
        self.value = 0;
        self.cost = 0;
        self.visits = 0;
        self.breaks = 0;
        let mut feasible = true;
        let mut here = spec.start;
        let mut free = spec.open;
        self.free.push(free);
        for &s in &self.stops {
            let stop = &problem.stops[s];
            let at = stop.location.or(here);
            self.at.push(at);
            self.direct.push(problem.minutes(spec.layer, here, at));
            let (minutes, metres) = match stop.location {
                Some(_) => (problem.minutes(spec.layer, here, at), problem.metres(spec.layer, here, at)),
                None => (0, 0),
            };
            self.travel += minutes;
            self.metres += metres;
            let start = first_start(&stop.windows[self.index], free + minutes);
            feasible &= start.is_some();
            let start = start.unwrap_or(UNREACHABLE);
            self.earliest.push(start);
            free = start.saturating_add(stop.duration);
            self.free.push(free);
            here = at;
            self.value += stop.value;
            self.cost += stop.cost;
            if stop.slot.is_none() {
                self.visits += 1;
            }
            if stop.location.is_none() {
                self.breaks += 1;
            }
        }
        let (minutes, metres) =
            (problem.minutes(spec.layer, here, spec.end), problem.metres(spec.layer, here, spec.end));
        self.direct.push(minutes);
        self.travel += minutes;
        self.metres += metres;
        feasible &= free.saturating_add(minutes) <= spec.close;
        // Backward: the latest start of each stop that leaves the rest reachable.
        self.latest.resize(n, 0);
        let mut deadline = spec.close;
        let mut next = spec.end;
        for k in (0..n).rev() {
            let stop = &problem.stops[self.stops[k]];
            let limit =
                deadline.saturating_sub(problem.minutes(spec.layer, self.at[k], next)).saturating_sub(stop.duration);
            let latest = stop.windows[self.index].iter().rev().find(|w| w.0 <= limit).map(|w| w.1.min(limit));
            feasible &= latest.is_some();
            self.latest[k] = latest.unwrap_or(-UNREACHABLE);
            deadline = self.latest[k];
            next = self.at[k];
        }
        feasible &= self.earliest.iter().zip(&self.latest).all(|(e, l)| e <= l);
        feasible &= spec.max_metres.is_none_or(|m| self.metres <= m);
        feasible
    }

    /// The cheapest position for `stop` (least added travel, then the first such position), if
    /// any. Only positions between two bounds are tried: none before the first whose next stop
    /// may start late enough to follow a visit in the stop's first window (latest starts never
    /// decrease along the route; a break in the route moves its legs, so then every position
    /// from the start), and none once the route is busy past the stop's last window (a visit
    /// there would start later still).
    pub fn best_insertion(&self, problem: &Problem, stop: usize) -> Option<Insertion> {
        let s = &problem.stops[stop];
        let windows = &s.windows[self.index];
        let first_open = windows.iter().map(|w| w.0).min()?;
        let last_start = windows.iter().map(|w| w.1).max()?;
        let first = if self.breaks == 0 { self.latest.partition_point(|&l| l < first_open + s.duration) } else { 0 };
        let end = self.free.partition_point(|&f| f <= last_start);
        let mut best: Option<Insertion> = None;
        for position in first..end {
            if let Some(ins) = self.insertion(problem, stop, position) {
                if best.is_none_or(|b| ins.added_minutes < b.added_minutes) {
                    best = Some(ins);
                }
            }
        }
        best
    }

    /// [`Route::best_insertion`] for `stop` after this route gained a stop at `inserted`, from
    /// `before`, the stop's cheapest insertion into the route as it was (`None`: it fitted
    /// nowhere); `None` when that does not tell (the old best was at `inserted` or no longer
    /// fits, or the route has a break). Exact: the old positions keep their legs and only lose
    /// room (the route is free later and must leave earlier), so the old best, while it fits,
    /// can be beaten only at the two new positions beside the inserted stop (ties: the first).
    pub fn best_insertion_after(
        &self,
        problem: &Problem,
        stop: usize,
        before: Option<Insertion>,
        inserted: usize,
    ) -> Option<Option<Insertion>> {
        if self.breaks > 0 {
            return None;
        }
        let kept = match before {
            None => None,
            Some(old) if old.position == inserted => return None,
            Some(old) => Some(self.insertion(problem, stop, old.position + usize::from(old.position > inserted))?),
        };
        let beside = [inserted, inserted + 1].into_iter().filter_map(|q| self.insertion(problem, stop, q));
        Some(beside.chain(kept).min_by_key(|i| (i.added_minutes, i.position)))
    }

    /// Whether `stop` fits at `position`, and what it adds: O(windows of the stop), except in
    /// front of a stop without a location (a break), whose legs the insertion changes: O(stops).
    pub fn insertion(&self, problem: &Problem, stop: usize, position: usize) -> Option<Insertion> {
        let spec = &problem.routes[self.index];
        let s = &problem.stops[stop];
        let windows = &s.windows[self.index];
        if windows.is_empty() {
            return None;
        }
        if self.breaks > 0
            && s.location.is_some()
            && self.stops.get(position).is_some_and(|&o| problem.stops[o].location.is_none())
        {
            return self.insertion_by_trial(problem, stop, position);
        }
        let prev = position.checked_sub(1).map_or(spec.start, |p| self.at[p]);
        let free = self.free[position];
        let next = if position < self.stops.len() { self.at[position] } else { spec.end };
        let here = s.location.or(prev);
        let (to, from, direct) =
            (problem.minutes(spec.layer, prev, here), problem.minutes(spec.layer, here, next), self.direct[position]);
        let (to, from) = if s.location.is_none() { (0, direct) } else { (to, from) };
        if to >= UNREACHABLE || from >= UNREACHABLE {
            return None;
        }
        if spec.max_metres.is_some() || spec.max_leg_metres.is_some() {
            let (m_to, m_from, m_direct) = (
                problem.metres(spec.layer, prev, here),
                problem.metres(spec.layer, here, next),
                problem.metres(spec.layer, prev, next),
            );
            let (m_to, m_from) = if s.location.is_none() { (0, m_direct) } else { (m_to, m_from) };
            if s.location.is_some() && !self.legs_allowed(problem, prev, here, next, m_to, m_from) {
                return None;
            }
            let added_metres = m_to + m_from - m_direct;
            if spec.max_metres.is_some_and(|m| self.metres + added_metres > m) {
                return None;
            }
        }
        let start = first_start(windows, free + to)?;
        let arrival_next = start + s.duration + from;
        let deadline = if position < self.stops.len() { self.latest[position] } else { spec.close };
        let (added_minutes, shift) = (to + from - direct, arrival_next - (free + direct));
        (arrival_next <= deadline).then_some(Insertion { position, added_minutes, shift })
    }

    /// Whether the legs `prev → here` (`m_to` metres) and `here → next` (`m_from`) keep the
    /// route's limit on one leg.
    fn legs_allowed(
        &self,
        problem: &Problem,
        prev: Option<usize>,
        here: Option<usize>,
        next: Option<usize>,
        m_to: i64,
        m_from: i64,
    ) -> bool {
        let Some(limit) = problem.routes[self.index].max_leg_metres else { return true };
        let leg_ok = |m: i64, a: Option<usize>, b: Option<usize>| a.is_none() || b.is_none() || m <= limit;
        leg_ok(m_to, prev, here) && leg_ok(m_from, here, next)
    }

    /// [`Route::insertion`] by inserting into a copy and recomputing it.
    fn insertion_by_trial(&self, problem: &Problem, stop: usize, position: usize) -> Option<Insertion> {
        let mut copy = self.clone();
        copy.stops.insert(position, stop);
        if !copy.update(problem) {
            return None;
        }
        let spec = &problem.routes[self.index];
        let prev = position.checked_sub(1).map_or(spec.start, |p| copy.at[p]);
        let here = copy.at[position];
        let next = copy.at[position + 1..]
            .iter()
            .zip(&copy.stops[position + 1..])
            .find(|(_, &o)| problem.stops[o].location.is_some())
            .map_or(spec.end, |(at, _)| *at);
        let (m_to, m_from) = (problem.metres(spec.layer, prev, here), problem.metres(spec.layer, here, next));
        let added_minutes = copy.travel - self.travel;
        self.legs_allowed(problem, prev, here, next, m_to, m_from).then_some(Insertion {
            position,
            added_minutes,
            shift: added_minutes + problem.stops[stop].duration,
        })
    }

    /// Inserts `stop` at `position` and recomputes the route.
    pub fn insert(&mut self, problem: &Problem, stop: usize, position: usize) {
        self.stops.insert(position, stop);
        self.update(problem);
    }

    /// Removes the stop at `position` and recomputes the route.
    pub fn remove(&mut self, problem: &Problem, position: usize) -> usize {
        let s = self.stops.remove(position);
        self.update(problem);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::{RouteSpec, Stop};
    use tripsmith_model::SeededRng;

    /// Stops on a line with narrow windows (and one break without a location), so that many
    /// positions come after a stop's last window.
    fn problem(seed: u64) -> Problem {
        let mut rng = SeededRng::new(seed);
        let n = 14;
        let xs: Vec<i64> = (0..=n).map(|_| rng.below(40) as i64).collect();
        let minutes: Vec<i64> = (0..(n + 1) * (n + 1)).map(|k| (xs[k / (n + 1)] - xs[k % (n + 1)]).abs()).collect();
        let mut stops: Vec<Stop> = (0..n)
            .map(|i| {
                let a = rng.below(200) as i64;
                let windows = if rng.below(3) == 0 { vec![(a, a + 15), (a + 40, a + 60)] } else { vec![(a, a + 25)] };
                Stop {
                    location: Some(i + 1),
                    place: i,
                    duration: 5 + rng.below(20) as i64,
                    value: 1,
                    cost: 0,
                    group: 0,
                    slot: None,
                    windows: vec![windows],
                }
            })
            .collect();
        stops.push(Stop {
            location: None,
            place: n,
            duration: 15,
            value: 0,
            cost: 0,
            group: 0,
            slot: None,
            windows: vec![vec![(80, 120)]],
        });
        let route = RouteSpec::between(Some(0), Some(0), 0, 300);
        Problem {
            locations: n + 1,
            metres: minutes.clone(),
            minutes,
            stops,
            routes: vec![route],
            requirements: Vec::new(),
            budget: None,
            repeat_penalty: Vec::new(),
        }
    }

    #[test]
    fn the_best_insertion_is_the_cheapest_of_every_position() {
        let (mut found, mut none) = (0, 0);
        // Routes with a break try every position from the start; routes without one skip those
        // before the first late enough: both kinds are compared.
        let (mut with_break, mut without) = (0, 0);
        for seed in 0..300 {
            let p = problem(seed);
            let route = random_route(&p, &mut SeededRng::new(seed + 1));
            for s in (0..p.stops.len()).filter(|s| !route.stops.contains(s)) {
                let every = (0..=route.stops.len())
                    .filter_map(|q| route.insertion(&p, s, q))
                    .min_by_key(|i| (i.added_minutes, i.position));
                assert_eq!(route.best_insertion(&p, s), every, "seed {seed}, stop {s}, route {:?}", route.stops);
                if every.is_some() {
                    found += 1;
                } else {
                    none += 1;
                }
                if route.breaks > 0 {
                    with_break += 1;
                } else {
                    without += 1;
                }
            }
        }
        assert!(found > 100 && none > 100, "{found} fit, {none} do not");
        assert!(with_break > 100 && without > 100, "{with_break} with a break, {without} without");
    }

    /// A route of `problem(seed)` built by random feasible insertions.
    fn random_route(p: &Problem, rng: &mut SeededRng) -> Route {
        let mut route = Route::new(p, 0);
        for _ in 0..p.stops.len() {
            let s = rng.below(p.stops.len());
            if route.stops.contains(&s) {
                continue;
            }
            let fits: Vec<usize> = (0..=route.stops.len()).filter(|&q| route.insertion(p, s, q).is_some()).collect();
            if let Some(&q) = fits.get(rng.below(fits.len().max(1))) {
                route.insert(p, s, q);
            }
        }
        route
    }

    #[test]
    fn the_best_insertion_after_a_new_stop_matches_a_full_search_and_the_shift_the_route() {
        let (mut kept, mut fits_nowhere, mut untold) = (0, 0, 0);
        for seed in 0..400 {
            let mut p = problem(seed);
            if seed % 4 != 0 {
                p.stops.pop(); // most routes without the break, which the update does not tell
            }
            let mut rng = SeededRng::new(seed + 7);
            let route = random_route(&p, &mut rng);
            let free: Vec<usize> = (0..p.stops.len()).filter(|s| !route.stops.contains(s)).collect();
            let Some(&new) = free.get(rng.below(free.len().max(1))) else { continue };
            let Some(ins) = route.best_insertion(&p, new) else { continue };
            let mut grown = route.clone();
            grown.insert(&p, new, ins.position);
            if route.breaks == 0 {
                // The shift is how much later the route now reaches the stop after the new one.
                let reach = |r: &Route, q: usize| r.free[q] + r.direct[q];
                assert_eq!(reach(&grown, ins.position + 1) - reach(&route, ins.position), ins.shift, "seed {seed}");
            }
            for &s in free.iter().filter(|&&s| s != new) {
                let before = route.best_insertion(&p, s);
                match grown.best_insertion_after(&p, s, before, ins.position) {
                    Some(after) => {
                        assert_eq!(
                            after,
                            grown.best_insertion(&p, s),
                            "seed {seed}, stop {s}, route {:?}",
                            grown.stops
                        );
                        if before.is_some() {
                            kept += 1;
                        } else {
                            fits_nowhere += 1;
                        }
                    }
                    None => untold += 1,
                }
            }
        }
        assert!(
            kept > 100 && fits_nowhere > 100 && untold > 50,
            "{kept} kept, {fits_nowhere} nowhere, {untold} untold"
        );
    }
}
