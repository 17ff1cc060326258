//! A ruin-and-recreate heuristic (after SISR, Christiaens & Vanden Berghe 2020): start from a
//! greedy insertion of every client; then repeatedly cut strings of consecutive clients out of
//! the routes near a random client, reinsert them one by one at their cheapest feasible
//! position (skipping positions at a small "blink" rate), and accept the result by simulated
//! annealing. Capacity in every demand dimension, skills, time windows (one or several per
//! client), shifts and route length are kept feasible throughout; insertion feasibility takes one window lookup per position from each
//! route's earliest and latest service starts. Seeded and time-limited.

use crate::check::{check, Violation};
use crate::instance::{Fleet, Instance, Objective, Vehicle, WINDOW_EPSILON};
use std::rc::Rc;
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
    /// Routes of client node numbers (with distinct vehicles, route `k` is vehicle `k`'s).
    pub routes: Vec<Vec<usize>>,
    /// The objective's value (total distance unless the instance asks otherwise).
    pub cost: f64,
    /// Clients left out.
    pub unassigned: Vec<Unassigned>,
    /// Ruin-and-recreate iterations run.
    pub iterations: u64,
}

/// The instance with each single-window node's window at hand (the insertion test looks
/// windows up on its hot path, and most nodes have exactly one), each vehicle kind's capacity
/// and which kind may serve which client.
struct Timed<'a> {
    instance: &'a Instance,
    single: Vec<Option<(f64, f64)>>,
    /// Capacity of each vehicle kind, `dimensions` values per kind.
    capacity: Vec<i64>,
    /// `allowed[kind * nodes + c]`: the vehicle kind has the skills client `c` needs (empty
    /// when no client needs any).
    allowed: Vec<bool>,
    /// The group of each node, if any. A group is one job of the search, named by its first
    /// client; any of its clients may serve it.
    group_of: Vec<Option<usize>>,
    /// Each node's visiting order and its rank in it, if any.
    rank: Vec<Option<(usize, usize)>>,
    /// Each node's shipment partner, if any (pickup ↔ delivery).
    partner: Vec<Option<usize>>,
    /// Whether each node is a shipment's delivery.
    delivery: Vec<bool>,
    /// Whether any node collects goods: then loads vary along a route and are checked at
    /// every position, not as one total.
    profiled: bool,
}

impl<'a> Timed<'a> {
    fn new(instance: &'a Instance) -> Self {
        let single = instance.windows.iter().map(|w| if w.len() == 1 { Some(w[0]) } else { None }).collect();
        let kinds = instance.fleet.kinds();
        let capacity = kinds.iter().flat_map(|v| v.capacity.iter().copied()).collect();
        let allowed = if instance.skills.iter().all(Vec::is_empty) {
            Vec::new()
        } else {
            kinds.iter().flat_map(|v| instance.skills.iter().map(|needed| v.has_skills(needed))).collect()
        };
        let mut group_of = vec![None; instance.nodes()];
        for (g, members) in instance.groups.iter().enumerate() {
            members.iter().for_each(|&c| group_of[c] = Some(g));
        }
        let mut rank = vec![None; instance.nodes()];
        for (o, order) in instance.orders.iter().enumerate() {
            order.iter().enumerate().for_each(|(i, &c)| rank[c] = Some((o, i)));
        }
        let (mut partner, mut delivery) = (vec![None; instance.nodes()], vec![false; instance.nodes()]);
        for &(p, d) in &instance.pairs {
            (partner[p], partner[d], delivery[d]) = (Some(d), Some(p), true);
        }
        let profiled = instance.collected.iter().any(|&g| g != 0);
        Timed { instance, single, capacity, allowed, group_of, rank, partner, delivery, profiled }
    }

    /// Whether a load `peak` (one value per dimension) plus `extra` stays within vehicle kind
    /// `kind`'s capacity.
    fn within(&self, kind: usize, peak: &[i64], extra: &[i64]) -> bool {
        let d = self.dimensions;
        peak.iter().zip(extra).zip(&self.capacity[kind * d..(kind + 1) * d]).all(|((l, x), q)| l + x <= *q)
    }

    /// The job client `c` serves: itself, its group's first client, or its shipment's pickup.
    fn job_of(&self, c: usize) -> usize {
        match (self.group_of[c], self.partner[c]) {
            (Some(g), _) => self.groups[g][0],
            (None, Some(p)) if self.delivery[c] => p,
            _ => c,
        }
    }

    /// Client `c`'s prize when it is an optional client (one in no group and no shipment).
    fn optional(&self, c: usize) -> Option<f64> {
        self.prize[c].filter(|_| self.group_of[c].is_none() && self.partner[c].is_none())
    }

    /// Of jobs left out: the weight of those that must be visited (their priority first, then
    /// their number: each weighs 1 + priority × (clients + 1)), and the prizes of the
    /// optional ones.
    fn left_out(&self, jobs: &[usize]) -> (usize, f64) {
        let scale = self.clients + 1;
        jobs.iter().fold((0, 0.0), |(required, prizes), &j| match self.optional(j) {
            Some(prize) => (required, prizes + prize),
            None => (required + 1 + self.priority[j] as usize * scale, prizes),
        })
    }

    /// The clients a job stands for: a client, its group, or a shipment's pickup and delivery.
    fn job_clients(&self, job: usize) -> Vec<usize> {
        match (self.group_of[job], self.partner[job]) {
            (Some(g), _) => self.groups[g].clone(),
            (None, Some(d)) => vec![job, d],
            _ => vec![job],
        }
    }

    /// The jobs of the search: every client in no group, and each group once.
    fn jobs(&self) -> Vec<usize> {
        (1..=self.clients).filter(|&c| self.job_of(c) == c).collect()
    }

    /// The positions (before which to insert, 1..=len+1) at which client `c` keeps its visiting
    /// order among the clients of `route`.
    fn allowed_positions(&self, route: &Route, c: usize) -> std::ops::Range<usize> {
        let (mut lo, mut hi) = (1, route.clients.len() + 1);
        if let Some((order, rank)) = self.rank[c] {
            for (index, &x) in route.clients.iter().enumerate() {
                match self.rank[x] {
                    Some((o, r)) if o == order && r < rank => lo = lo.max(index + 2),
                    Some((o, _)) if o == order => hi = hi.min(index + 1),
                    _ => {}
                }
            }
        }
        // Half-open: an inclusive range iterates slower on this hot path.
        lo..hi + 1
    }

    /// [`Instance::start`], without the indirection for a single window.
    fn start(&self, i: usize, arrival: f64) -> Option<f64> {
        match self.single[i] {
            Some((open, close)) => (arrival <= close + WINDOW_EPSILON).then(|| arrival.max(open)),
            None => self.instance.start(i, arrival),
        }
    }

    /// The vehicle of kind `kind`.
    fn vehicle(&self, kind: usize) -> &Vehicle {
        &self.instance.fleet.kinds()[kind]
    }

    /// Whether vehicle kind `kind` can carry client `c`'s demand on top of `load` and has its
    /// skills.
    fn fits(&self, kind: usize, load: &[i64], c: usize) -> bool {
        if !self.allowed.is_empty() && !self.allowed[kind * self.nodes() + c] {
            return false;
        }
        if self.profiled {
            // Checked position by position in the insertion test.
            return true;
        }
        let d = self.dimensions;
        if d == 1 {
            return load[0] + self.demand[c] <= self.capacity[kind];
        }
        let (demand, capacity) = (&self.demand[c * d..(c + 1) * d], &self.capacity[kind * d..(kind + 1) * d]);
        load.iter().zip(demand).zip(capacity).all(|((l, q), cap)| l + q <= *cap)
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
    /// Its vehicle kind (index into the fleet's kinds).
    kind: usize,
    /// The vehicle's start and end depots.
    ends: (usize, usize),
    /// The vehicle's route-length limit, at hand for the insertion test.
    max_length: Option<f64>,
    /// Most clients the vehicle may visit (`usize::MAX`: no limit).
    max_tasks: usize,
    /// Most the vehicle may drive in all.
    max_travel: Option<f64>,
    clients: Vec<usize>,
    /// Load per demand dimension (all deliveries; the load leaving the start).
    load: Vec<i64>,
    /// With collected goods: the load leaving each position (start, clients, end), `dims`
    /// values each, then its running maximum from the start, then from the end (one vector:
    /// routes are cloned every iteration, and empty here for instances without pickups).
    profile: Vec<i64>,
    /// Distance plus service (for the route-length limit).
    length: f64,
    distance: f64,
    /// Its longest leg.
    longest_leg: f64,
    /// Service start at each position of start depot, clients..., end depot.
    earliest: Vec<f64>,
    /// Latest service start at each position that keeps the rest of the route feasible.
    latest: Vec<f64>,
}

impl Route {
    fn new(instance: &Timed, kind: usize, clients: Vec<usize>) -> Self {
        let vehicle = instance.vehicle(kind);
        let mut r = Route {
            kind,
            ends: (vehicle.start, vehicle.end),
            max_length: vehicle.max_length,
            max_tasks: vehicle.max_tasks.unwrap_or(usize::MAX),
            max_travel: vehicle.max_travel,
            clients,
            load: Vec::new(),
            profile: Vec::new(),
            length: 0.0,
            distance: 0.0,
            longest_leg: 0.0,
            earliest: Vec::new(),
            latest: Vec::new(),
        };
        r.update(instance);
        r
    }

    fn node(&self, position: usize) -> usize {
        if position == 0 {
            self.ends.0
        } else if position > self.clients.len() {
            self.ends.1
        } else {
            self.clients[position - 1]
        }
    }

    fn update(&mut self, instance: &Timed) {
        let k = self.clients.len();
        let shift = instance.vehicle(self.kind).shift;
        let d = instance.dimensions;
        self.load.clear();
        self.load.resize(d, 0);
        if d == 1 {
            self.load[0] = self.clients.iter().map(|&c| instance.demand[c]).sum();
        } else {
            for &c in &self.clients {
                for (l, q) in self.load.iter_mut().zip(&instance.demand[c * d..(c + 1) * d]) {
                    *l += q;
                }
            }
        }
        if instance.profiled {
            self.profile(instance);
        }
        // Reused, not reallocated: this runs for every route an iteration touches.
        self.earliest.clear();
        self.earliest.resize(k + 2, 0.0);
        self.latest.clear();
        self.latest.resize(k + 2, 0.0);
        self.earliest[0] = shift.0;
        self.distance = 0.0;
        self.longest_leg = 0.0;
        self.length = 0.0;
        for p in 1..=k + 1 {
            let (a, b) = (self.node(p - 1), self.node(p));
            let leg = instance.d(a, b);
            self.distance += leg;
            self.longest_leg = self.longest_leg.max(leg);
            self.length += leg + if p <= k { instance.service[b] } else { 0.0 };
            let leave = self.earliest[p - 1] + if p == 1 { 0.0 } else { instance.service[a] };
            self.earliest[p] = instance.start(b, leave + leg).unwrap_or(f64::INFINITY);
        }
        self.latest[k + 1] = shift.1;
        for p in (0..=k).rev() {
            let (a, b) = (self.node(p), self.node(p + 1));
            let service = if p == 0 { 0.0 } else { instance.service[a] };
            let bound = self.latest[p + 1] - instance.d(a, b) - service;
            self.latest[p] = if p == 0 { bound } else { instance.latest_start(a, bound).unwrap_or(f64::NEG_INFINITY) };
        }
    }

    /// The load leaving each position and its running maxima (routes with collected goods).
    #[inline(never)] // Off the hot path of instances without pickups.
    fn profile(&mut self, instance: &Timed) {
        let (k, d) = (self.clients.len(), instance.dimensions);
        let len = (k + 2) * d;
        let mut loads = Vec::with_capacity(3 * len);
        loads.extend_from_slice(&self.load);
        for p in 1..=k + 1 {
            let node = self.node(p);
            for x in 0..d {
                let change = if p <= k { instance.collected(node)[x] - instance.demand(node)[x] } else { 0 };
                loads.push(loads[(p - 1) * d + x] + change);
            }
        }
        let mut prefix = loads.clone();
        for i in d..len {
            prefix[i] = prefix[i].max(prefix[i - d]);
        }
        let mut suffix = loads.clone();
        for i in (0..len - d).rev() {
            suffix[i] = suffix[i].max(suffix[i + d]);
        }
        loads.extend(prefix);
        loads.extend(suffix);
        self.profile = loads;
    }

    /// The load leaving position `p`, one value per dimension (routes with collected goods).
    fn load_at(&self, p: usize, d: usize) -> &[i64] {
        &self.profile[p * d..(p + 1) * d]
    }

    /// The highest load leaving any position up to `p`.
    fn peak_to(&self, p: usize, d: usize) -> &[i64] {
        let len = self.profile.len() / 3;
        &self.profile[len + p * d..len + (p + 1) * d]
    }

    /// The highest load leaving any position from `p` on.
    fn peak_from(&self, p: usize, d: usize) -> &[i64] {
        let len = self.profile.len() / 3;
        &self.profile[2 * len + p * d..2 * len + (p + 1) * d]
    }

    /// Whether client `c` (a delivery from the start or a pickup for the end) fits before
    /// position `p` as loads go: everything before carries its delivery more, everything
    /// after what it collects.
    #[inline(never)] // Off the hot path of instances without pickups.
    fn load_fits(&self, instance: &Timed, c: usize, p: usize) -> bool {
        let d = instance.dimensions;
        let (delivery, collected) = (instance.demand(c), instance.collected(c));
        let (before, leaving, after) = (self.peak_to(p - 1, d), self.load_at(p - 1, d), self.peak_from(p, d));
        instance.within(self.kind, before, delivery)
            && instance.within(self.kind, leaving, collected)
            && instance.within(self.kind, after, collected)
    }

    /// Visits every feasible way to insert shipment `(pickup, delivery)`: the pickup before
    /// position `i`, the delivery before position `j ≥ i` (right after the pickup when
    /// `j == i`), with the distance it adds. Walks `j` forward from each `i`, shifting the
    /// service starts between the two and carrying the shipment's load over them; stops when
    /// a shifted client can no longer be served in time.
    fn pair_insertions(
        &self,
        instance: &Timed,
        (pickup, delivery): (usize, usize),
        visit: &mut dyn FnMut(f64, usize, usize),
    ) {
        let (k, d) = (self.clients.len(), instance.dimensions);
        let amount = instance.collected(pickup);
        let carries = |p: usize| !instance.profiled || instance.within(self.kind, self.load_at(p, d), amount);
        let service = |node: usize, p: usize| if p == 0 || p > k { 0.0 } else { instance.service[node] };
        let extra_service = instance.service[pickup] + instance.service[delivery];
        for i in 1..=k + 1 {
            let (prev, next_i) = (self.node(i - 1), self.node(i));
            let leave = self.earliest[i - 1] + service(prev, i - 1);
            let Some(start_pickup) = instance.start(pickup, leave + instance.d(prev, pickup)) else { continue };
            if !carries(i - 1) {
                continue;
            }
            let detour = instance.d(prev, pickup) + instance.d(pickup, next_i) - instance.d(prev, next_i);
            // The node just before the delivery, its service start and service time.
            let (mut last, mut at, mut serving) = (pickup, start_pickup, instance.service[pickup]);
            for j in i..=k + 1 {
                if j > i {
                    let node = self.node(j - 1);
                    let Some(t) = instance.start(node, at + serving + instance.d(last, node)) else { break };
                    if t > self.latest[j - 1] + WINDOW_EPSILON || !carries(j - 1) {
                        break;
                    }
                    (last, at, serving) = (node, t, service(node, j - 1));
                }
                let next = self.node(j);
                let Some(start_delivery) = instance.start(delivery, at + serving + instance.d(last, delivery)) else {
                    break;
                };
                let arrive = start_delivery + instance.service[delivery] + instance.d(delivery, next);
                if instance.start(next, arrive).is_none_or(|t| t > self.latest[j] + WINDOW_EPSILON) {
                    continue;
                }
                let added = if j == i {
                    instance.d(prev, pickup) + instance.d(pickup, delivery) + instance.d(delivery, next)
                        - instance.d(prev, next)
                } else {
                    detour + instance.d(last, delivery) + instance.d(delivery, next) - instance.d(last, next)
                };
                if self.max_length.is_some_and(|limit| self.length + added + extra_service > limit + 1e-9)
                    || self.max_travel.is_some_and(|limit| self.distance + added > limit + 1e-9)
                {
                    continue;
                }
                visit(added, i, j);
            }
        }
    }

    /// Extra distance of inserting `c` before position `p` (1..=len+1), if feasible (skills,
    /// and capacity when loads do not vary along routes, are tested apart by [`Timed::fits`]).
    fn insertion(&self, instance: &Timed, c: usize, p: usize) -> Option<f64> {
        // The neighbours before and after (one test each, not `node`'s two: this is the hot path).
        let a = if p == 1 { self.ends.0 } else { self.clients[p - 2] };
        let b = if p > self.clients.len() { self.ends.1 } else { self.clients[p - 1] };
        let added = instance.d(a, c) + instance.d(c, b) - instance.d(a, b);
        if self.max_length.is_some_and(|limit| self.length + added + instance.service[c] > limit + 1e-9)
            || self.max_travel.is_some_and(|limit| self.distance + added > limit + 1e-9)
        {
            return None;
        }
        if instance.profiled && !self.load_fits(instance, c, p) {
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

/// Weight of total distance beside the longest route or leg: it breaks their ties (many
/// solutions share the same longest route) without trading against them.
const TIE_WEIGHT: f64 = 1e-4;

/// The objective of routes, and the score the search minimises (the objective, plus the tie
/// break for the min-max and bottleneck objectives).
fn objective(instance: &Instance, routes: &[Rc<Route>]) -> (f64, f64) {
    let total: f64 = routes.iter().map(|r| r.distance).sum();
    let primary = match instance.objective {
        Objective::TotalDistance => return (total, total),
        Objective::LongestRoute => routes.iter().map(|r| r.distance).fold(0.0, f64::max),
        Objective::LongestLeg => routes.iter().map(|r| r.longest_leg).fold(0.0, f64::max),
    };
    (primary, primary + TIE_WEIGHT * total)
}

/// How good inserting client `c` between `a` and `b` of `route` (adding `added`) is under the
/// objective, lower being better; `worst` is the longest route or leg of the solution so far.
fn insertion_key(instance: &Instance, route: &Route, (a, c, b): (usize, usize, usize), added: f64, worst: f64) -> f64 {
    match instance.objective {
        Objective::TotalDistance => added,
        Objective::LongestRoute => (route.distance + added).max(worst) + TIE_WEIGHT * added,
        Objective::LongestLeg => instance.d(a, c).max(instance.d(c, b)).max(worst) + TIE_WEIGHT * added,
    }
}

/// The longest route or leg of a solution, as [`insertion_key`] compares against it.
fn worst(instance: &Instance, routes: &[Rc<Route>]) -> f64 {
    match instance.objective {
        Objective::TotalDistance => 0.0,
        Objective::LongestRoute => routes.iter().map(|r| r.distance).fold(0.0, f64::max),
        Objective::LongestLeg => routes.iter().map(|r| r.longest_leg).fold(0.0, f64::max),
    }
}

/// The clients nearest each client (for the ruin step).
fn neighbours(instance: &Instance) -> Vec<Vec<usize>> {
    let n = instance.clients;
    (0..=n)
        .map(|c| {
            let mut others: Vec<usize> = (1..=n).filter(|&o| o != c).collect();
            others.sort_by(|&a, &b| instance.d(c, a).total_cmp(&instance.d(c, b)).then(a.cmp(&b)));
            others.truncate(60);
            others
        })
        .collect()
}

/// The routes a search starts from: none for identical vehicles (routes open as needed), one
/// empty route per vehicle for distinct ones.
fn empty_routes(instance: &Timed) -> Vec<Rc<Route>> {
    match &instance.fleet {
        Fleet::Identical { .. } => Vec::new(),
        Fleet::Each(list) => (0..list.len()).map(|k| Rc::new(Route::new(instance, k, Vec::new()))).collect(),
    }
}

/// Inserts each client at its best feasible position under the objective; returns those that
/// fit nowhere. Identical vehicles open a new route while vehicles last: when nothing else fits
/// under total distance, and whenever it is better under the min-max and bottleneck
/// objectives.
fn recreate(instance: &Timed, routes: &mut Vec<Rc<Route>>, jobs: &[usize], rng: &mut SeededRng) -> Vec<usize> {
    let mut left = Vec::new();
    let total_distance = instance.objective == Objective::TotalDistance;
    let room = |routes: &Vec<Rc<Route>>| matches!(instance.fleet, Fleet::Identical { count, .. } if count.is_none_or(|v| routes.len() < v));
    for &job in jobs {
        if let Some(delivery) = instance.partner[job] {
            if !insert_pair(instance, routes, (job, delivery), rng) {
                left.push(job);
            }
            continue;
        }
        let worst = worst(instance, routes);
        let single = [job];
        let candidates: &[usize] = instance.group_of[job].map_or(&single, |g| &instance.groups[g]);
        let mut best: Option<(f64, usize, usize, usize, f64)> = None;
        for &c in candidates {
            for (k, r) in routes.iter().enumerate() {
                if !instance.fits(r.kind, &r.load, c) || r.clients.len() >= r.max_tasks {
                    continue;
                }
                for p in instance.allowed_positions(r, c) {
                    if rng.next_f64() < 0.01 {
                        continue;
                    }
                    if let Some(added) = r.insertion(instance, c, p) {
                        let key = if total_distance {
                            added
                        } else {
                            insertion_key(instance, r, (r.node(p - 1), c, r.node(p)), added, worst)
                        };
                        if best.is_none_or(|b| key < b.0) {
                            best = Some((key, k, p, c, added));
                        }
                    }
                }
            }
            // A new route, when the fleet has room and it is worth trying; the same tests as
            // any insertion, into an empty route.
            if room(routes) && (best.is_none() || !total_distance) {
                let empty = Route::new(instance, 0, Vec::new());
                let fits = instance.fits(0, &empty.load, c) && empty.max_tasks >= 1;
                if let Some(added) = empty.insertion(instance, c, 1).filter(|_| fits) {
                    let key = if total_distance {
                        added
                    } else {
                        insertion_key(instance, &empty, (empty.node(0), c, empty.node(1)), added, worst)
                    };
                    if best.is_none_or(|b| key < b.0) {
                        routes.push(Rc::new(empty));
                        best = Some((key, routes.len() - 1, 1, c, added));
                    }
                }
            }
        }
        // An optional client is visited only when that costs less than its prize.
        match best {
            Some((_, k, p, c, added)) if instance.optional(c).is_none_or(|prize| added < prize) => {
                let route = Rc::make_mut(&mut routes[k]);
                route.clients.insert(p - 1, c);
                route.update(instance);
            }
            _ => left.push(job),
        }
    }
    // A new route opened for a candidate that another then beat stays empty; drop it.
    if matches!(instance.fleet, Fleet::Identical { .. }) {
        routes.retain(|r| !r.clients.is_empty());
    }
    left
}

/// Inserts shipment `(pickup, delivery)` where it is best under the objective (for identical
/// vehicles, in a new route when nothing else fits or, under the min-max and bottleneck
/// objectives, when that is better); false when it fits nowhere.
#[inline(never)] // Off the hot path of instances without shipments.
fn insert_pair(instance: &Timed, routes: &mut Vec<Rc<Route>>, pair: (usize, usize), rng: &mut SeededRng) -> bool {
    let total_distance = instance.objective == Objective::TotalDistance;
    let worst = worst(instance, routes);
    let mut best: Option<(f64, usize, usize, usize)> = None;
    let consider = |r: &Route, k: usize, best: &mut Option<(f64, usize, usize, usize)>, rng: &mut SeededRng| {
        if !instance.fits(r.kind, &r.load, pair.0)
            || !instance.fits(r.kind, &r.load, pair.1)
            || r.clients.len() + 2 > r.max_tasks
        {
            return;
        }
        r.pair_insertions(instance, pair, &mut |added, i, j| {
            if rng.next_f64() < 0.01 {
                return;
            }
            let key = if total_distance {
                added
            } else {
                insertion_key(instance, r, (r.node(i - 1), pair.0, r.node(i)), added, worst)
            };
            if best.is_none_or(|b| key < b.0) {
                *best = Some((key, k, i, j));
            }
        });
    };
    for (k, r) in routes.iter().enumerate() {
        consider(r, k, &mut best, rng);
    }
    let room = matches!(instance.fleet, Fleet::Identical { count, .. } if count.is_none_or(|v| routes.len() < v));
    if room && (best.is_none() || !total_distance) {
        let empty = Route::new(instance, 0, Vec::new());
        let before = best;
        consider(&empty, routes.len(), &mut best, rng);
        if best != before {
            routes.push(Rc::new(empty));
        }
    }
    let Some((_, k, i, j)) = best else { return false };
    let route = Rc::make_mut(&mut routes[k]);
    route.clients.insert(j - 1, pair.1);
    route.clients.insert(i - 1, pair.0);
    route.update(instance);
    true
}

/// The least distance inserting client `c` into `routes` adds, if it fits anywhere.
fn cheapest_insertion(instance: &Timed, routes: &[Rc<Route>], c: usize) -> Option<f64> {
    routes
        .iter()
        .filter(|r| instance.fits(r.kind, &r.load, c) && r.clients.len() < r.max_tasks)
        .flat_map(|r| instance.allowed_positions(r, c).filter_map(move |p| r.insertion(instance, c, p)))
        .min_by(f64::total_cmp)
}

/// Whether some vehicle could serve job `job` (a client, or any client of its group) on a
/// route of its own.
fn servable_alone(instance: &Timed, job: usize) -> bool {
    if let Some(delivery) = instance.partner[job] {
        return (0..instance.fleet.kinds().len()).any(|kind| {
            let empty = Route::new(instance, kind, Vec::new());
            let mut found = false;
            if instance.fits(kind, &empty.load, job)
                && instance.fits(kind, &empty.load, delivery)
                && empty.max_tasks >= 2
            {
                empty.pair_insertions(instance, (job, delivery), &mut |_, _, _| found = true);
            }
            found
        });
    }
    let single = [job];
    let candidates: &[usize] = instance.group_of[job].map_or(&single, |g| &instance.groups[g]);
    candidates.iter().any(|&c| {
        (0..instance.fleet.kinds().len()).any(|kind| {
            let empty = Route::new(instance, kind, Vec::new());
            instance.fits(kind, &empty.load, c) && empty.max_tasks >= 1 && empty.insertion(instance, c, 1).is_some()
        })
    })
}

/// Why job `job` cannot be served: its client's reason, or for a group each client's.
fn job_reason(instance: &Timed, job: usize) -> String {
    match instance.group_of[job] {
        Some(g) if instance.groups[g].len() > 1 => {
            let each: Vec<String> =
                instance.groups[g].iter().map(|&c| format!("client {c}: {}", reason(instance, &[c]))).collect();
            format!("no client of its group can be visited ({})", each.join("; "))
        }
        _ => reason(instance, &instance.job_clients(job)),
    }
}

/// Why client `c` cannot be served: the checker's finding on a route of its own, for each
/// vehicle kind (said once when every kind has the same reason).
fn reason(instance: &Instance, clients: &[usize]) -> String {
    let kinds = instance.fleet.kinds();
    let mut reasons: Vec<String> = Vec::new();
    for (k, vehicle) in kinds.iter().enumerate() {
        // Route k is vehicle k's among distinct vehicles; any route will do for identical ones.
        let mut routes = vec![Vec::new(); k + 1];
        routes[k].extend_from_slice(clients);
        let found = check(instance, &routes)
            .violations
            .into_iter()
            .find_map(|v| alone_reason(instance, vehicle, clients[0], v));
        match found {
            Some(why) => reasons.push(why),
            // This vehicle could serve it alone: the others took its room or time.
            None => return "no vehicle has room or time left for it".into(),
        }
    }
    if reasons.iter().all(|r| *r == reasons[0]) {
        reasons.truncate(1);
    } else {
        reasons = reasons.iter().enumerate().map(|(k, r)| format!("vehicle {}: {r}", k + 1)).collect();
    }
    reasons.join("; ")
}

/// A checker finding on a single-client route in words, when it explains the client's absence.
fn alone_reason(instance: &Instance, vehicle: &Vehicle, c: usize, v: Violation) -> Option<String> {
    match v {
        Violation::Capacity { load, capacity, .. } if instance.dimensions == 1 => {
            Some(format!("demand {load} exceeds the capacity {capacity}"))
        }
        Violation::Capacity { dimension, load, capacity, .. } => {
            Some(format!("demand {load} in dimension {} exceeds the capacity {capacity}", dimension + 1))
        }
        Violation::Skills { .. } => {
            Some(format!("it needs skills {:?}, the vehicle has {:?}", instance.skills[c], vehicle.skills))
        }
        Violation::Late { arrival, .. } => {
            Some(format!("its last time window closes at {} but the earliest arrival is {arrival}", instance.closes(c)))
        }
        Violation::LateReturn { arrival, .. } => {
            Some(format!("a vehicle serving it returns at {arrival}, after the shift ends at {}", vehicle.shift.1))
        }
        Violation::TooMuchTravel { travel, .. } => Some(format!(
            "its route alone drives {travel}, over the vehicle's travel limit {}",
            vehicle.max_travel.unwrap_or(0.0)
        )),
        Violation::TooManyTasks { .. } => {
            Some(format!("the vehicle may visit at most {} clients", vehicle.max_tasks.unwrap_or(0)))
        }
        Violation::TooLong { length, .. } => {
            Some(format!("its route alone is {length} long, over the limit {:?}", vehicle.max_length))
        }
        _ => None,
    }
}

/// Average clients removed per ruin (SISR's c̄) and the longest string removed from one route.
const MEAN_REMOVED: f64 = 10.0;
const LONGEST_STRING: f64 = 10.0;

/// SISR's ruin: from a random seed client, walk its nearest clients and cut one string (a run
/// of consecutive clients, sometimes with a middle part kept: a "split string") out of each
/// route met, until a random number of routes is cut. Returns the removed clients and the cut
/// routes (which still need `update`).
fn ruin(routes: &mut [Rc<Route>], near: &[Vec<usize>], n: usize, rng: &mut SeededRng) -> (Vec<usize>, Vec<usize>) {
    let mut route_of = vec![usize::MAX; n + 1];
    let mut served = 0usize;
    for (k, r) in routes.iter().enumerate() {
        served += r.clients.len();
        for &c in &r.clients {
            route_of[c] = k;
        }
    }
    let mut removed = Vec::new();
    let used = routes.iter().filter(|r| !r.clients.is_empty()).count();
    if used == 0 {
        return (removed, Vec::new());
    }
    let mean_route = served as f64 / used as f64;
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
        let clients = &mut Rc::make_mut(&mut routes[k]).clients;
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
    let mut order = instance.jobs();
    order.sort_by(|&a, &b| instance.d(0, b).total_cmp(&instance.d(0, a)).then(a.cmp(&b)));
    let mut current = empty_routes(instance);
    // Clients no vehicle could serve even alone are left out from the start; the others that a
    // search leaves out are retried every iteration, and fewer left out beats any distance.
    let (order, hopeless): (Vec<usize>, Vec<usize>) = order.into_iter().partition(|&c| servable_alone(instance, c));
    let mut missing = recreate(instance, &mut current, &order, &mut rng);
    let mut best = current.clone();
    let mut best_missing = missing.clone();
    // The search's score: fewer required clients left out first, then the objective plus
    // the prizes of optional clients left out.
    let (mut required, prizes) = instance.left_out(&missing);
    let mut best_required = required;
    let (mut best_cost, mut current_cost) =
        (objective(instance, &best).1 + prizes, objective(instance, &current).1 + prizes);
    let n = instance.clients.max(1);
    // Annealing from half the first solution's cost per client down to 1/30 of that.
    let temperature0 = 0.5 * current_cost.max(1e-9) / n as f64;
    let temperature1 = temperature0 / 30.0;
    let mut iterations = 0;
    let stopped = || stop.is_some_and(|s| s.load(Ordering::Relaxed));
    while iterations < settings.max_iterations && start.elapsed() < settings.time_limit && !stopped() {
        iterations += 1;
        // Routes are shared until changed (`Rc::make_mut`): an iteration copies only the routes
        // it cuts or inserts into.
        let mut next = current.clone();
        let (mut removed, cut) = ruin(&mut next, &near, n, &mut rng);
        if !instance.pairs.is_empty() {
            // A shipment leaves its route whole: take out the partners the strings left.
            let mut gone = vec![false; instance.nodes()];
            removed.iter().for_each(|&c| gone[c] = true);
            for &k in &cut {
                Rc::make_mut(&mut next[k]).clients.retain(|&x| {
                    let keep = instance.partner[x].is_none_or(|q| !gone[q]);
                    if !keep {
                        removed.push(x);
                    }
                    keep
                });
            }
        }
        if !instance.groups.is_empty() || !instance.pairs.is_empty() {
            removed.iter_mut().for_each(|c| *c = instance.job_of(*c));
            removed.sort_unstable();
            removed.dedup();
        }
        for &k in &cut {
            Rc::make_mut(&mut next[k]).update(instance);
        }
        if matches!(instance.fleet, Fleet::Identical { .. }) {
            next.retain(|r| !r.clients.is_empty());
        }
        removed.extend_from_slice(&missing);
        // Recreate in a random order of four.
        match rng.below(4) {
            0 => removed.sort_by(|&a, &b| instance.demand(b).cmp(instance.demand(a))),
            1 => removed.sort_by(|&a, &b| instance.d(0, b).total_cmp(&instance.d(0, a))),
            2 => removed.sort_by(|&a, &b| instance.d(0, a).total_cmp(&instance.d(0, b))),
            _ => {
                for i in (1..removed.len()).rev() {
                    removed.swap(i, rng.below(i + 1));
                }
            }
        }
        let left = recreate(instance, &mut next, &removed, &mut rng);
        let (left_required, left_prizes) = instance.left_out(&left);
        if left_required > required {
            continue;
        }
        let cost = objective(instance, &next).1 + left_prizes;
        // Progress through the run: by iterations when they are bounded (so a seed repeats
        // exactly), else by the clock.
        let fraction = if settings.max_iterations < u64::MAX {
            iterations as f64 / settings.max_iterations as f64
        } else {
            (start.elapsed().as_secs_f64() / settings.time_limit.as_secs_f64().max(1e-9)).min(1.0)
        };
        let temperature = temperature0 * (temperature1 / temperature0).powf(fraction);
        if left_required < required || cost < current_cost - temperature * rng.next_f64().max(1e-12).ln() {
            current = next;
            current_cost = cost;
            (missing, required) = (left, left_required);
            if required < best_required || (required == best_required && cost < best_cost - 1e-9) {
                best = current.clone();
                best_cost = cost;
                best_missing = missing.clone();
                best_required = required;
                progress(fraction, objective(instance, &best).0 + instance.left_out(&best_missing).1);
            }
        }
    }
    let missed_prizes = instance.left_out(&best_missing).1 + instance.left_out(&hopeless).1;
    let mut unassigned: Vec<(usize, bool)> =
        hopeless.into_iter().map(|j| (j, true)).chain(best_missing.into_iter().map(|j| (j, false))).collect();
    unassigned.sort_unstable();
    let unassigned = unassigned
        .iter()
        .flat_map(|&(job, hopeless)| {
            let why = match instance.optional(job) {
                Some(prize) if !hopeless => match cheapest_insertion(instance, &best, job) {
                    Some(added) => format!("optional: visiting it would add {added}, more than its prize {prize}"),
                    None => "optional, and no vehicle has room or time left for it".into(),
                },
                _ => job_reason(instance, job),
            };
            let clients = if instance.partner[job].is_some() { instance.job_clients(job) } else { vec![job] };
            clients.into_iter().map(move |c| Unassigned { client: c, reason: why.clone() })
        })
        .collect();
    let cost = objective(instance, &best).0 + missed_prizes;
    Solved { routes: best.into_iter().map(|r| r.clients.clone()).collect(), cost, unassigned, iterations }
}
