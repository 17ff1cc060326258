//! A ruin-and-recreate heuristic (after SISR, Christiaens & Vanden Berghe 2020): start from a
//! greedy insertion of every client; then repeatedly cut strings of consecutive clients out of
//! the routes near a random client, reinsert them one by one at their cheapest feasible
//! position (skipping positions at a small "blink" rate), and accept the result by simulated
//! annealing. Capacity, time windows (one or several per client) and route length are kept
//! feasible throughout; insertion feasibility takes one window lookup per position from each
//! route's earliest and latest service starts. Seeded and time-limited.

use crate::check::{check, Violation};
use crate::instance::{Instance, WINDOW_EPSILON};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tripsmith_model::SeededRng;

/// Settings of a solve.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Wall-clock limit.
    pub time_limit: Duration,
    /// Seed: the same seed and iteration count give the same answer.
    pub seed: u64,
    /// Stop after this many ruin-and-recreate iterations even before the time limit.
    pub max_iterations: u64,
}

/// A client that no route can serve, and why (verified: alone on a vehicle it breaks that rule).
#[derive(Debug, Clone, PartialEq)]
pub struct Unassigned {
    /// The client's node number.
    pub client: usize,
    /// Why.
    pub reason: String,
}

/// The best solution found.
#[derive(Debug, Clone, PartialEq)]
pub struct Solved {
    /// Routes of client node numbers.
    pub routes: Vec<Vec<usize>>,
    /// Total distance.
    pub cost: f64,
    /// Clients left out.
    pub unassigned: Vec<Unassigned>,
    /// Ruin-and-recreate iterations run.
    pub iterations: u64,
}

/// The instance with each single-window node's window at hand: the insertion test looks
/// windows up on its hot path, and most nodes have exactly one.
struct Timed<'a> {
    instance: &'a Instance,
    single: Vec<Option<(f64, f64)>>,
}

impl<'a> Timed<'a> {
    fn new(instance: &'a Instance) -> Self {
        let single = instance.windows.iter().map(|w| if w.len() == 1 { Some(w[0]) } else { None }).collect();
        Timed { instance, single }
    }

    /// [`Instance::start`], without the indirection for a single window.
    fn start(&self, i: usize, arrival: f64) -> Option<f64> {
        match self.single[i] {
            Some((open, close)) => (arrival <= close + WINDOW_EPSILON).then(|| arrival.max(open)),
            None => self.instance.start(i, arrival),
        }
    }
}

impl std::ops::Deref for Timed<'_> {
    type Target = Instance;

    fn deref(&self) -> &Instance {
        self.instance
    }
}

/// A route with the times that make insertion checks O(1).
#[derive(Debug, Clone)]
struct Route {
    clients: Vec<usize>,
    load: i64,
    /// Distance plus service (for the route-length limit).
    length: f64,
    distance: f64,
    /// Service start at each position of depot, clients..., depot.
    earliest: Vec<f64>,
    /// Latest service start at each position that keeps the rest of the route feasible.
    latest: Vec<f64>,
}

impl Route {
    fn new(instance: &Timed, clients: Vec<usize>) -> Self {
        let mut r = Route { clients, load: 0, length: 0.0, distance: 0.0, earliest: Vec::new(), latest: Vec::new() };
        r.update(instance);
        r
    }

    fn node(&self, position: usize) -> usize {
        if position == 0 || position > self.clients.len() {
            0
        } else {
            self.clients[position - 1]
        }
    }

    fn update(&mut self, instance: &Timed) {
        let k = self.clients.len();
        self.load = self.clients.iter().map(|&c| instance.demand[c]).sum();
        self.earliest = vec![0.0; k + 2];
        self.latest = vec![0.0; k + 2];
        self.earliest[0] = instance.opens(0);
        self.distance = 0.0;
        self.length = 0.0;
        for p in 1..=k + 1 {
            let (a, b) = (self.node(p - 1), self.node(p));
            let leg = instance.d(a, b);
            self.distance += leg;
            self.length += leg + if p <= k { instance.service[b] } else { 0.0 };
            let leave = self.earliest[p - 1] + if p == 1 { 0.0 } else { instance.service[a] };
            self.earliest[p] = instance.start(b, leave + leg).unwrap_or(f64::INFINITY);
        }
        self.latest[k + 1] = instance.closes(0);
        for p in (0..=k).rev() {
            let (a, b) = (self.node(p), self.node(p + 1));
            let service = if p == 0 { 0.0 } else { instance.service[a] };
            let bound = self.latest[p + 1] - instance.d(a, b) - service;
            self.latest[p] = instance.latest_start(a, bound).unwrap_or(f64::NEG_INFINITY);
        }
    }

    /// Extra distance of inserting `c` before position `p` (1..=len+1), if feasible.
    fn insertion(&self, instance: &Timed, c: usize, p: usize) -> Option<f64> {
        let (a, b) = (self.node(p - 1), self.node(p));
        let added = instance.d(a, c) + instance.d(c, b) - instance.d(a, b);
        if instance.max_route_length.is_some_and(|limit| self.length + added + instance.service[c] > limit + 1e-9) {
            return None;
        }
        let leave_a = self.earliest[p - 1] + if p == 1 { 0.0 } else { instance.service[a] };
        let start_c = instance.start(c, leave_a + instance.d(a, c))?;
        let arrive_b = start_c + instance.service[c] + instance.d(c, b);
        if instance.start(b, arrive_b)? > self.latest[p] + WINDOW_EPSILON {
            return None;
        }
        Some(added)
    }
}

fn total(routes: &[Route]) -> f64 {
    routes.iter().map(|r| r.distance).sum()
}

/// The clients nearest each client (for the ruin step).
fn neighbours(instance: &Instance) -> Vec<Vec<usize>> {
    let n = instance.nodes();
    (0..n)
        .map(|c| {
            let mut others: Vec<usize> = (1..n).filter(|&o| o != c).collect();
            others.sort_by(|&a, &b| instance.d(c, a).total_cmp(&instance.d(c, b)).then(a.cmp(&b)));
            others.truncate(60);
            others
        })
        .collect()
}

/// Inserts each client at its cheapest feasible position (new routes while vehicles last);
/// returns those that fit nowhere.
fn recreate(instance: &Timed, routes: &mut Vec<Route>, clients: &[usize], rng: &mut SeededRng) -> Vec<usize> {
    let mut left = Vec::new();
    for &c in clients {
        let mut best: Option<(f64, usize, usize)> = None;
        for (k, r) in routes.iter().enumerate() {
            if r.load + instance.demand[c] > instance.capacity {
                continue;
            }
            for p in 1..=r.clients.len() + 1 {
                if rng.next_f64() < 0.01 {
                    continue;
                }
                if let Some(added) = r.insertion(instance, c, p) {
                    if best.is_none_or(|b| added < b.0) {
                        best = Some((added, k, p));
                    }
                }
            }
        }
        match best {
            Some((_, k, p)) => {
                routes[k].clients.insert(p - 1, c);
                routes[k].update(instance);
            }
            None if instance.vehicles.is_none_or(|v| routes.len() < v) => {
                // The same O(1) test as any insertion, into an empty route.
                let empty = Route::new(instance, Vec::new());
                if instance.demand[c] <= instance.capacity && empty.insertion(instance, c, 1).is_some() {
                    routes.push(Route::new(instance, vec![c]));
                } else {
                    left.push(c);
                }
            }
            None => left.push(c),
        }
    }
    left
}

/// Why a client cannot be served, verified on a route of its own.
fn reason(instance: &Instance, c: usize) -> String {
    let alone = check(instance, &[vec![c]]);
    for v in alone.violations {
        match v {
            Violation::Capacity { load, .. } => {
                return format!("demand {load} exceeds the capacity {}", instance.capacity)
            }
            Violation::Late { arrival, .. } => {
                return format!(
                    "its last time window closes at {} but the earliest arrival is {arrival}",
                    instance.closes(c)
                )
            }
            Violation::LateReturn { arrival, .. } => {
                return format!(
                    "a vehicle serving it returns at {arrival}, after the depot closes at {}",
                    instance.closes(0)
                )
            }
            Violation::TooLong { length, .. } => {
                return format!("its route alone is {length} long, over the limit {:?}", instance.max_route_length)
            }
            _ => {}
        }
    }
    "no vehicle is left to serve it".into()
}

/// Average clients removed per ruin (SISR's c̄) and the longest string removed from one route.
const MEAN_REMOVED: f64 = 10.0;
const LONGEST_STRING: f64 = 10.0;

/// SISR's ruin: from a random seed client, walk its nearest clients and cut one string (a run
/// of consecutive clients, sometimes with a middle part kept: a "split string") out of each
/// route met, until a random number of routes is cut. Returns the removed clients and the cut
/// routes (which still need `update`).
fn ruin(routes: &mut [Route], near: &[Vec<usize>], n: usize, rng: &mut SeededRng) -> (Vec<usize>, Vec<usize>) {
    let mut route_of = vec![usize::MAX; n + 1];
    let mut served = 0usize;
    for (k, r) in routes.iter().enumerate() {
        served += r.clients.len();
        for &c in &r.clients {
            route_of[c] = k;
        }
    }
    let mut removed = Vec::new();
    if routes.is_empty() {
        return (removed, Vec::new());
    }
    let mean_route = served as f64 / routes.len() as f64;
    let longest = LONGEST_STRING.min(mean_route).max(1.0);
    let most_routes = (4.0 * MEAN_REMOVED / (1.0 + longest) - 1.0).max(1.0);
    let strings = 1 + rng.below(most_routes as usize);
    let seed = 1 + rng.below(n);
    let mut cut = Vec::with_capacity(strings);
    for c in std::iter::once(seed).chain(near[seed].iter().copied()) {
        if cut.len() >= strings {
            break;
        }
        let k = route_of[c];
        if k == usize::MAX || cut.contains(&k) {
            continue;
        }
        cut.push(k);
        let clients = &mut routes[k].clients;
        let len = clients.len();
        let at = clients.iter().position(|&x| x == c).unwrap_or(0);
        let string = 1 + rng.below((longest as usize).min(len));
        // Split string half the time: a run of string + kept clients; a block of the kept ones,
        // placed at random inside the run, stays.
        let mut kept = 0;
        if rng.below(2) == 0 && string < len {
            kept = 1;
            while string + kept < len && rng.next_f64() < 0.5 {
                kept += 1;
            }
        }
        let span = string + kept;
        // A window of `span` positions containing `at`, placed at random.
        let lowest = (at + 1).saturating_sub(span);
        let highest = at.min(len - span);
        let first = lowest + rng.below(highest - lowest + 1);
        let keep_from = first + rng.below(string.max(1));
        let mut index = 0;
        clients.retain(|&x| {
            let p = index;
            index += 1;
            let inside = p >= first && p < first + span;
            let spared = kept > 0 && p >= keep_from && p < keep_from + kept;
            if inside && !spared {
                removed.push(x);
                false
            } else {
                true
            }
        });
    }
    (removed, cut)
}

/// Solves an instance; stops early when `stop` is set. `progress` hears the fraction of the
/// run done and the best cost at each improvement.
pub fn solve(
    instance: &Instance,
    settings: Settings,
    stop: Option<&AtomicBool>,
    progress: &mut dyn FnMut(f64, f64),
) -> Solved {
    let start = Instant::now();
    let instance = &Timed::new(instance);
    let mut rng = SeededRng::new(settings.seed);
    let near = neighbours(instance);
    let mut order: Vec<usize> = (1..instance.nodes()).collect();
    order.sort_by(|&a, &b| instance.d(0, b).total_cmp(&instance.d(0, a)).then(a.cmp(&b)));
    let mut current: Vec<Route> = Vec::new();
    let mut never = recreate(instance, &mut current, &order, &mut rng);
    never.sort_unstable();
    let mut best = current.clone();
    let (mut best_cost, mut current_cost) = (total(&best), total(&current));
    let n = instance.clients().max(1);
    // Annealing from half the first solution's cost per client down to 1/30 of that.
    let temperature0 = 0.5 * current_cost / n as f64;
    let temperature1 = temperature0 / 30.0;
    let mut iterations = 0;
    let stopped = || stop.is_some_and(|s| s.load(Ordering::Relaxed));
    while iterations < settings.max_iterations && start.elapsed() < settings.time_limit && !stopped() {
        iterations += 1;
        let mut next = current.clone();
        let (mut removed, cut) = ruin(&mut next, &near, n, &mut rng);
        for &k in &cut {
            next[k].update(instance);
        }
        next.retain(|r| !r.clients.is_empty());
        // Recreate in a random order of four.
        match rng.below(4) {
            0 => removed.sort_by(|&a, &b| instance.demand[b].cmp(&instance.demand[a])),
            1 => removed.sort_by(|&a, &b| instance.d(0, b).total_cmp(&instance.d(0, a))),
            2 => removed.sort_by(|&a, &b| instance.d(0, a).total_cmp(&instance.d(0, b))),
            _ => {
                for i in (1..removed.len()).rev() {
                    removed.swap(i, rng.below(i + 1));
                }
            }
        }
        if !recreate(instance, &mut next, &removed, &mut rng).is_empty() {
            continue;
        }
        let cost = total(&next);
        // Progress through the run: by iterations when they are bounded (so a seed repeats
        // exactly), else by the clock.
        let fraction = if settings.max_iterations < u64::MAX {
            iterations as f64 / settings.max_iterations as f64
        } else {
            (start.elapsed().as_secs_f64() / settings.time_limit.as_secs_f64().max(1e-9)).min(1.0)
        };
        let temperature = temperature0 * (temperature1 / temperature0).powf(fraction);
        if cost < current_cost - temperature * rng.next_f64().max(1e-12).ln() {
            current = next;
            current_cost = cost;
            if cost < best_cost - 1e-9 {
                best = current.clone();
                best_cost = cost;
                progress(fraction, best_cost);
            }
        }
    }
    let unassigned = never.iter().map(|&c| Unassigned { client: c, reason: reason(instance, c) }).collect();
    Solved { routes: best.into_iter().map(|r| r.clients).collect(), cost: best_cost, unassigned, iterations }
}
