//! A route with what makes insertion tests O(1): service starts earliest and latest at every
//! position, the load profile when goods are collected; single and shipment insertions.

use super::timed::Timed;
use crate::instance::{Costs, WINDOW_EPSILON};

/// A route with the times that make insertion checks O(1).
#[derive(Debug, Clone)]
pub(super) struct Route {
    /// Its vehicle kind (index into the fleet's kinds).
    pub(super) kind: usize,
    /// The vehicle's start and end depots.
    pub(super) ends: (usize, usize),
    /// The vehicle's route-length limit, at hand for the insertion test.
    pub(super) max_length: Option<f64>,
    /// Most clients the vehicle may visit (`usize::MAX`: no limit).
    pub(super) max_tasks: usize,
    /// Most time the vehicle may drive in all.
    pub(super) max_travel: Option<f64>,
    /// Most distance the vehicle may drive in all.
    pub(super) max_distance: Option<f64>,
    /// Most distance the vehicle may drive between charges.
    pub(super) range: Option<f64>,
    /// What the vehicle's driving costs.
    pub(super) costs: Costs,
    /// Whether an insertion costs just the distance it adds (no fixed cost, distance priced 1,
    /// time free): the common case, kept off the cost arithmetic.
    plain: bool,
    /// Whether the vehicle limits route length, travel time, distance or range.
    limited: bool,
    pub(super) clients: Vec<usize>,
    /// Load per demand dimension (all deliveries; the load leaving the start).
    pub(super) load: Vec<i64>,
    /// With collected goods: the load leaving each position (start, clients, end), `dims`
    /// values each, then its running maximum from the start, then from the end (one vector:
    /// routes are cloned every iteration, and empty here for instances without pickups).
    pub(super) profile: Vec<i64>,
    /// Distance plus service (for the route-length limit).
    pub(super) length: f64,
    pub(super) distance: f64,
    /// Travel time driven.
    pub(super) travel: f64,
    /// What it costs: the vehicle's fixed cost, its driving and its visits (0 when empty).
    pub(super) cost: f64,
    /// Its longest leg.
    pub(super) longest_leg: f64,
    /// Service start at each position of start depot, clients..., end depot.
    pub(super) earliest: Vec<f64>,
    /// Latest service start at each position that keeps the rest of the route feasible.
    pub(super) latest: Vec<f64>,
    /// With a range: the distance driven since the last charge on leaving each position
    /// (start, clients, end), then the distance from arriving at each position to the next
    /// charge or the end (one vector; empty without a range).
    pub(super) energy: Vec<f64>,
}

impl Route {
    pub(super) fn new(instance: &Timed, kind: usize, clients: Vec<usize>) -> Self {
        let vehicle = instance.vehicle(kind);
        let mut r = Route {
            kind,
            ends: (vehicle.start, vehicle.end),
            max_length: vehicle.max_length,
            max_tasks: vehicle.max_tasks.unwrap_or(usize::MAX),
            max_travel: vehicle.max_travel,
            max_distance: vehicle.max_distance,
            range: vehicle.range,
            costs: vehicle.costs,
            plain: vehicle.costs == Costs::default(),
            limited: vehicle.max_length.is_some()
                || vehicle.max_travel.is_some()
                || vehicle.max_distance.is_some()
                || vehicle.range.is_some(),
            clients,
            load: Vec::new(),
            profile: Vec::new(),
            length: 0.0,
            distance: 0.0,
            travel: 0.0,
            cost: 0.0,
            longest_leg: 0.0,
            earliest: Vec::new(),
            latest: Vec::new(),
            energy: Vec::new(),
        };
        r.update(instance);
        r
    }

    pub(super) fn node(&self, position: usize) -> usize {
        if position == 0 {
            self.ends.0
        } else if position > self.clients.len() {
            self.ends.1
        } else {
            self.clients[position - 1]
        }
    }

    pub(super) fn update(&mut self, instance: &Timed) {
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
        if instance.apart {
            self.times::<true>(instance, shift);
        } else {
            self.times::<false>(instance, shift);
        }
        if self.range.is_some() {
            self.energy(instance);
        }
        self.cost = if k == 0 { 0.0 } else { self.costs.fixed + self.costs.driving(self.distance, self.travel) };
        if !instance.visit_cost.is_empty() {
            self.cost += self.clients.iter().map(|&c| instance.visit_cost(c)).sum::<f64>();
        }
    }

    /// The distance since the last charge leaving each position and to the next charge from
    /// each (routes of vehicles with a range).
    #[inline(never)] // Off the hot path of instances without ranges.
    fn energy(&mut self, instance: &Timed) {
        let k = self.clients.len();
        let nodes: Vec<usize> = (0..k + 2).map(|p| self.node(p)).collect();
        let mut energy = std::mem::take(&mut self.energy);
        energy.clear();
        energy.resize(2 * (k + 2), 0.0);
        let (since, until) = energy.split_at_mut(k + 2);
        for p in 1..=k + 1 {
            let leg = instance.d(nodes[p - 1], nodes[p]);
            since[p] = if p <= k && instance.charger[nodes[p]] { 0.0 } else { since[p - 1] + leg };
        }
        for p in (1..=k).rev() {
            let leg = instance.d(nodes[p], nodes[p + 1]);
            until[p] = if instance.charger[nodes[p]] { 0.0 } else { leg + until[p + 1] };
        }
        self.energy = energy;
    }

    /// Whether visiting `c` between `a` (position `p - 1`) and `b` (position `p`) drives
    /// farther than `range` between two charges.
    fn out_of_range(&self, instance: &Timed, (a, c, b): (usize, usize, usize), p: usize, range: f64) -> bool {
        let k = self.clients.len();
        let (since, until) = (self.energy[p - 1], self.energy[k + 2 + p]);
        if instance.charger[c] {
            since + instance.d(a, c) > range + 1e-9 || instance.d(c, b) + until > range + 1e-9
        } else {
            since + instance.d(a, c) + instance.d(c, b) + until > range + 1e-9
        }
    }

    /// The first stretch of the route driven farther than its range since the last charge:
    /// positions (from, to), from the charge to the node reached out of range.
    pub(super) fn overrun(&self, instance: &Timed) -> Option<(usize, usize)> {
        let nodes: Vec<usize> = (0..self.clients.len() + 2).map(|p| self.node(p)).collect();
        overrun(instance, &nodes, self.range?)
    }

    /// Distance, travel time, length and longest leg, and the earliest and latest service
    /// starts within `shift`; `APART`: travel times have a matrix of their own (two copies, so
    /// the common case keeps its loop tight).
    fn times<const APART: bool>(&mut self, instance: &Timed, shift: (f64, f64)) {
        let k = self.clients.len();
        // Reused, not reallocated: this runs for every route an iteration touches.
        self.earliest.clear();
        self.earliest.resize(k + 2, 0.0);
        self.latest.clear();
        self.latest.resize(k + 2, 0.0);
        self.earliest[0] = shift.0;
        self.distance = 0.0;
        self.travel = 0.0;
        self.longest_leg = 0.0;
        self.length = 0.0;
        // Time spent at the previous position after its service started.
        let mut busy = 0.0;
        for p in 1..=k + 1 {
            let (a, b) = (self.node(p - 1), self.node(p));
            let leg = instance.d(a, b);
            let time = if APART { instance.t(a, b) } else { leg };
            self.distance += leg;
            if APART {
                self.travel += time;
            }
            self.longest_leg = self.longest_leg.max(leg);
            let leave = self.earliest[p - 1] + busy;
            busy = if p <= k { instance.busy(a, b) } else { 0.0 };
            self.length += leg + busy;
            self.earliest[p] = instance.start(b, leave + time).unwrap_or(f64::INFINITY);
        }
        if !APART {
            self.travel = self.distance;
        }
        self.latest[k + 1] = shift.1;
        for p in (0..=k).rev() {
            let (a, b) = (self.node(p), self.node(p + 1));
            let busy = match p {
                0 => 0.0,
                _ if !instance.setups => instance.service[a],
                _ => instance.busy(self.node(p - 1), a),
            };
            let time = if APART { instance.t(a, b) } else { instance.d(a, b) };
            let bound = self.latest[p + 1] - time - busy;
            self.latest[p] = if p == 0 { bound } else { instance.latest_start(a, bound).unwrap_or(f64::NEG_INFINITY) };
        }
    }

    /// The load leaving each position and its running maxima (routes with collected goods).
    #[inline(never)] // Off the hot path of instances without pickups.
    pub(super) fn profile(&mut self, instance: &Timed) {
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
    pub(super) fn load_at(&self, p: usize, d: usize) -> &[i64] {
        &self.profile[p * d..(p + 1) * d]
    }

    /// The highest load leaving any position up to `p`.
    pub(super) fn peak_to(&self, p: usize, d: usize) -> &[i64] {
        let len = self.profile.len() / 3;
        &self.profile[len + p * d..len + (p + 1) * d]
    }

    /// The highest load leaving any position from `p` on.
    pub(super) fn peak_from(&self, p: usize, d: usize) -> &[i64] {
        let len = self.profile.len() / 3;
        &self.profile[2 * len + p * d..2 * len + (p + 1) * d]
    }

    /// Whether client `c` (a delivery from the start or a pickup for the end) fits before
    /// position `p` as loads go: everything before carries its delivery more, everything
    /// after what it collects.
    #[inline(never)] // Off the hot path of instances without pickups.
    pub(super) fn load_fits(&self, instance: &Timed, c: usize, p: usize) -> bool {
        let d = instance.dimensions;
        let (delivery, collected) = (instance.demand(c), instance.collected(c));
        let (before, leaving, after) = (self.peak_to(p - 1, d), self.load_at(p - 1, d), self.peak_from(p, d));
        instance.within(self.kind, before, delivery)
            && instance.within(self.kind, leaving, collected)
            && instance.within(self.kind, after, collected)
    }

    /// Visits every feasible way to insert shipment `(pickup, delivery)`: the pickup before
    /// position `i`, the delivery before position `j ≥ i` (right after the pickup when
    /// `j == i`), with the cost it adds. Walks `j` forward from each `i`, shifting the
    /// service starts between the two and carrying the shipment's load over them; stops when
    /// a shifted client can no longer be served in time.
    pub(super) fn pair_insertions(
        &self,
        instance: &Timed,
        (pickup, delivery): (usize, usize),
        visit: &mut dyn FnMut(f64, usize, usize),
    ) {
        let (k, d) = (self.clients.len(), instance.dimensions);
        let amount = instance.collected(pickup);
        let carries = |p: usize| !instance.profiled || instance.within(self.kind, self.load_at(p, d), amount);
        // Time spent at position p (coming from its predecessor on the route as it is).
        let busy = |p: usize| if p == 0 || p > k { 0.0 } else { instance.busy(self.node(p - 1), self.node(p)) };
        // What a change of legs adds, in distance and in travel time.
        let added = |legs: &[(usize, usize)], gone: (usize, usize)| {
            let sum =
                |f: &dyn Fn(usize, usize) -> f64| legs.iter().map(|&(a, b)| f(a, b)).sum::<f64>() - f(gone.0, gone.1);
            (sum(&|a, b| instance.d(a, b)), sum(&|a, b| instance.t(a, b)))
        };
        for i in 1..=k + 1 {
            let (prev, next_i) = (self.node(i - 1), self.node(i));
            let leave = self.earliest[i - 1] + busy(i - 1);
            let Some(start_pickup) = instance.start(pickup, leave + instance.t(prev, pickup)) else { continue };
            if !carries(i - 1) {
                continue;
            }
            let detour = added(&[(prev, pickup), (pickup, next_i)], (prev, next_i));
            // The node just before the delivery, its service start and service time.
            let (mut last, mut at, mut serving) = (pickup, start_pickup, instance.busy(prev, pickup));
            // The setup the first client after the pickup gains, coming from it (none further on:
            // their predecessors stay).
            let gained = if i <= k { instance.setup_shift(prev, pickup, next_i).max(0.0) } else { 0.0 };
            for j in i..=k + 1 {
                if j > i {
                    let node = self.node(j - 1);
                    let Some(t) = instance.start(node, at + serving + instance.t(last, node)) else { break };
                    let more = if j - 1 == i { gained } else { 0.0 };
                    if t + more > self.latest[j - 1] + WINDOW_EPSILON || !carries(j - 1) {
                        break;
                    }
                    (last, at, serving) = (node, t, instance.busy(last, node));
                }
                let next = self.node(j);
                let Some(start_delivery) = instance.start(delivery, at + serving + instance.t(last, delivery)) else {
                    break;
                };
                let arrive = start_delivery + instance.busy(last, delivery) + instance.t(delivery, next);
                // A longer setup at `next` counts against its latest start (a conservative test).
                let more = if j <= k { instance.setup_shift(self.node(j - 1), delivery, next).max(0.0) } else { 0.0 };
                if instance.start(next, arrive).is_none_or(|t| t + more > self.latest[j] + WINDOW_EPSILON) {
                    continue;
                }
                let (distance, time) = if j == i {
                    added(&[(prev, pickup), (pickup, delivery), (delivery, next)], (prev, next))
                } else {
                    let (d, t) = added(&[(last, delivery), (delivery, next)], (last, next));
                    (detour.0 + d, detour.1 + t)
                };
                let extra_service = instance.busy(prev, pickup) + instance.busy(last, delivery) + gained + more;
                if self.breaks_limits(distance, time, extra_service)
                    || (self.range.is_some() && !self.ranges_with(instance, (pickup, delivery), (i, j)))
                {
                    continue;
                }
                visit(
                    self.added_cost(distance, time) + instance.visit_cost(pickup) + instance.visit_cost(delivery),
                    i,
                    j,
                );
            }
        }
    }

    /// Whether the route with shipment `(pickup, delivery)` inserted before positions `(i, j)`
    /// stays within its range (walked in full: shipments with ranges are rare).
    #[inline(never)]
    fn ranges_with(&self, instance: &Timed, (pickup, delivery): (usize, usize), (i, j): (usize, usize)) -> bool {
        let mut nodes: Vec<usize> = (0..self.clients.len() + 2).map(|p| self.node(p)).collect();
        nodes.insert(j, delivery);
        nodes.insert(i, pickup);
        self.range.is_none_or(|range| overrun(instance, &nodes, range).is_none())
    }

    /// Whether adding `distance`, travel `time` and `service` breaks the vehicle's limits on
    /// route length, travel time or distance.
    fn breaks_limits(&self, distance: f64, time: f64, service: f64) -> bool {
        self.max_length.is_some_and(|limit| self.length + distance + service > limit + 1e-9)
            || self.max_travel.is_some_and(|limit| self.travel + time > limit + 1e-9)
            || self.max_distance.is_some_and(|limit| self.distance + distance > limit + 1e-9)
    }

    /// What adding `distance` and travel `time` costs (with the fixed cost when the route is
    /// empty: the vehicle comes into use).
    fn added_cost(&self, distance: f64, time: f64) -> f64 {
        if self.plain {
            return distance;
        }
        let fixed = if self.clients.is_empty() { self.costs.fixed } else { 0.0 };
        fixed + self.costs.driving(distance, time)
    }

    /// Extra cost of inserting `c` before position `p` (1..=len+1), if feasible (skills,
    /// and capacity when loads do not vary along routes, are tested apart by [`Timed::fits`]).
    pub(super) fn insertion(&self, instance: &Timed, c: usize, p: usize) -> Option<f64> {
        if instance.setups {
            return self.insertion_with_setups(instance, c, p);
        }
        self.insert_as::<false>(instance, c, p)
    }

    /// [`Route::insertion`] where setups count (off the hot path of instances without them).
    #[inline(never)]
    fn insertion_with_setups(&self, instance: &Timed, c: usize, p: usize) -> Option<f64> {
        self.insert_as::<true>(instance, c, p)
    }

    /// [`Route::insertion`] with setups (`SETUPS`) or without.
    #[inline(always)] // Into `insertion`: no second call on the hot path.
    fn insert_as<const SETUPS: bool>(&self, instance: &Timed, c: usize, p: usize) -> Option<f64> {
        // The neighbours before and after (one test each, not `node`'s two: this is the hot path).
        let a = if p == 1 { self.ends.0 } else { self.clients[p - 2] };
        let b = if p > self.clients.len() { self.ends.1 } else { self.clients[p - 1] };
        let (ac, cb) = (instance.d(a, c), instance.d(c, b));
        let distance = ac + cb - instance.d(a, b);
        let (to_c, from_c, time) = if instance.apart {
            let (to_c, from_c) = (instance.t(a, c), instance.t(c, b));
            (to_c, from_c, to_c + from_c - instance.t(a, b))
        } else {
            (ac, cb, distance)
        };
        // With setups: c's own, and the change at b, now coming from c (a longer one counts
        // against b's latest start: a conservative test).
        let (busy_c, more_b) = if SETUPS {
            let more = if p > self.clients.len() { 0.0 } else { instance.setup_shift(a, c, b) };
            (instance.busy(a, c), more)
        } else {
            (instance.service[c], 0.0)
        };
        if self.limited
            && (self.breaks_limits(distance, time, busy_c + more_b)
                || self.range.is_some_and(|range| self.out_of_range(instance, (a, c, b), p, range)))
        {
            return None;
        }
        if instance.profiled && !self.load_fits(instance, c, p) {
            return None;
        }
        let busy_a = match p {
            1 => 0.0,
            _ if !SETUPS => instance.service[a],
            2 => instance.busy(self.ends.0, a),
            _ => instance.busy(self.clients[p - 3], a),
        };
        let leave_a = self.earliest[p - 1] + busy_a;
        let start_c = instance.start(c, leave_a + to_c)?;
        let arrive_b = start_c + busy_c + from_c;
        let start_b = instance.start(b, arrive_b)?;
        if (if SETUPS { start_b + more_b.max(0.0) } else { start_b }) > self.latest[p] + WINDOW_EPSILON {
            return None;
        }
        Some(self.added_cost(distance, time) + instance.visit_cost(c))
    }
}

/// The first stretch of `nodes` (a start, clients, an end) driven farther than `range` since
/// the last charge (the start, or a charger among the clients): its positions (from, to), from
/// the charge to the node reached out of range.
fn overrun(instance: &Timed, nodes: &[usize], range: f64) -> Option<(usize, usize)> {
    let (mut driven, mut from) = (0.0, 0);
    for p in 1..nodes.len() {
        driven += instance.d(nodes[p - 1], nodes[p]);
        if driven > range + 1e-9 {
            return Some((from, p));
        }
        if p + 1 < nodes.len() && instance.charger[nodes[p]] {
            (driven, from) = (0.0, p);
        }
    }
    None
}
