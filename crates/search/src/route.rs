//! A route with what makes an insertion test O(1) per position: the earliest start of every
//! stop (forward) and the latest start that keeps the rest of the route feasible (backward).
//! With several windows a stop starts in the first one it can reach; leaving a stop earlier
//! never hurts (the route may wait), so a later stop is reachable exactly when its arrival is
//! no later than its latest start.

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
}

/// Where and when an insertion would put a stop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Insertion {
    /// Position in the route (before the stop now there).
    pub position: usize,
    /// Added travel minutes.
    pub added_minutes: i64,
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
            latest: Vec::new(),
            at: Vec::new(),
            travel: 0,
            metres: 0,
            value: 0,
            cost: 0,
            visits: 0,
        };
        r.update(problem);
        r
    }

    /// Recomputes times and totals; `false` when the route is infeasible.
    pub fn update(&mut self, problem: &Problem) -> bool {
        let spec = &problem.routes[self.index];
        let n = self.stops.len();
        self.earliest.clear();
        self.latest.clear();
        self.at.clear();
        self.travel = 0;
        self.metres = 0;
        self.value = 0;
        self.cost = 0;
        self.visits = 0;
        let mut feasible = true;
        let mut here = spec.start;
        let mut free = spec.open;
        for &s in &self.stops {
            let stop = &problem.stops[s];
            let at = stop.location.or(here);
            self.at.push(at);
            let (minutes, metres) = match stop.location {
                Some(_) => (problem.minutes(here, at), problem.metres(here, at)),
                None => (0, 0),
            };
            self.travel += minutes;
            self.metres += metres;
            let start = first_start(&stop.windows[self.index], free + minutes);
            feasible &= start.is_some();
            let start = start.unwrap_or(UNREACHABLE);
            self.earliest.push(start);
            free = start.saturating_add(stop.duration);
            here = at;
            self.value += stop.value;
            self.cost += stop.cost;
            if stop.slot.is_none() {
                self.visits += 1;
            }
        }
        let (minutes, metres) = (problem.minutes(here, spec.end), problem.metres(here, spec.end));
        self.travel += minutes;
        self.metres += metres;
        feasible &= free.saturating_add(minutes) <= spec.close;
        // Backward: the latest start of each stop that leaves the rest reachable.
        self.latest.resize(n, 0);
        let mut deadline = spec.close;
        let mut next = spec.end;
        for k in (0..n).rev() {
            let stop = &problem.stops[self.stops[k]];
            let limit = deadline.saturating_sub(problem.minutes(self.at[k], next)).saturating_sub(stop.duration);
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

    /// Whether `stop` fits at `position`, and what it adds: O(windows of the stop), except in
    /// front of a stop without a location (a break), whose legs the insertion changes: O(stops).
    pub fn insertion(&self, problem: &Problem, stop: usize, position: usize) -> Option<Insertion> {
        let spec = &problem.routes[self.index];
        let s = &problem.stops[stop];
        let windows = &s.windows[self.index];
        if windows.is_empty() {
            return None;
        }
        if s.location.is_some() && self.stops.get(position).is_some_and(|&o| problem.stops[o].location.is_none()) {
            return self.insertion_by_trial(problem, stop, position);
        }
        let (prev, free) = match position.checked_sub(1) {
            None => (spec.start, spec.open),
            Some(p) => (self.at[p], self.earliest[p] + problem.stops[self.stops[p]].duration),
        };
        let next = if position < self.stops.len() { self.at[position] } else { spec.end };
        let here = s.location.or(prev);
        let (to, from, direct) =
            (problem.minutes(prev, here), problem.minutes(here, next), problem.minutes(prev, next));
        let (to, from) = if s.location.is_none() { (0, direct) } else { (to, from) };
        if to >= UNREACHABLE || from >= UNREACHABLE {
            return None;
        }
        let (m_to, m_from, m_direct) =
            (problem.metres(prev, here), problem.metres(here, next), problem.metres(prev, next));
        let (m_to, m_from) = if s.location.is_none() { (0, m_direct) } else { (m_to, m_from) };
        if s.location.is_some() && !self.legs_allowed(problem, prev, here, next, m_to, m_from) {
            return None;
        }
        let added_metres = m_to + m_from - m_direct;
        if spec.max_metres.is_some_and(|m| self.metres + added_metres > m) {
            return None;
        }
        let start = first_start(windows, free + to)?;
        let arrival_next = start + s.duration + from;
        let deadline = if position < self.stops.len() { self.latest[position] } else { spec.close };
        (arrival_next <= deadline).then_some(Insertion { position, added_minutes: to + from - direct })
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
        let (m_to, m_from) = (problem.metres(prev, here), problem.metres(here, next));
        self.legs_allowed(problem, prev, here, next, m_to, m_from)
            .then_some(Insertion { position, added_minutes: copy.travel - self.travel })
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
