//! Granular local search on penalised routes (after HGS-CVRP, Vidal 2022): for each client `u`
//! in random order and each of its nearest clients `v`, try relocating one or two clients,
//! swapping one or two with one or two, 2-opt within a route and 2-opt* between two, each
//! priced in O(1) from the routes' loads and the clients' cumulative loads; apply the first
//! that lowers distance plus penalised excess; then SWAP* between routes holding each other's
//! near clients (exchange two clients of two routes, each inserted at its best place in the
//! other route, not necessarily the other's old place); until nothing improves. Routes are
//! linked lists over slots: slot `c` is client `c`, and each route has a start and an end slot
//! at the depot.

use super::sector::Sector;
use super::Problem;
use tripsmith_model::SeededRng;

/// Improvements smaller than this are ignored (decimal distances).
const EPSILON: f64 = 1e-7;

/// Without coordinates, SWAP* tries two routes when one holds one of the this many nearest
/// clients of a client of the other (routes far apart gain nothing from exchanges); with them,
/// when the arcs their clients span around the depot overlap.
const SWAP_NEAR: usize = 5;

/// A route's totals.
#[derive(Debug, Clone, Copy)]
struct Totals {
    load: f64,
    /// Clients on it.
    len: usize,
}

/// The routes being improved.
pub(super) struct LocalSearch<'a> {
    problem: &'a Problem,
    penalty: f64,
    succ: Vec<usize>,
    pred: Vec<usize>,
    route: Vec<usize>,
    position: Vec<usize>,
    /// Load from the route's start up to and including the slot.
    cumulative: Vec<f64>,
    totals: Vec<Totals>,
    order: Vec<usize>,
    /// Counts applied moves: when each route last changed, when each client's moves were
    /// last all tried (a pair of unchanged routes needs no second try).
    clock: u64,
    changed: Vec<u64>,
    tried: Vec<u64>,
    /// The clock when SWAP* last tried every pair of routes.
    swapped_at: u64,
    /// The arc each route's clients span around the depot (with coordinates; empty routes:
    /// none).
    sectors: Vec<Option<Sector>>,
}

/// The three cheapest places to insert a client into a route (after which slot, at what
/// added distance), cheapest first.
#[derive(Debug, Clone, Copy)]
struct Best3 {
    places: [(f64, usize); 3],
}

impl Best3 {
    fn new() -> Self {
        Best3 { places: [(f64::INFINITY, usize::MAX); 3] }
    }

    fn offer(&mut self, cost: f64, after: usize) {
        if cost < self.places[2].0 {
            self.places[2] = (cost, after);
            self.places.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
    }
}

impl<'a> LocalSearch<'a> {
    /// Room for `routes` routes (at least as many as any solution it is given).
    pub(super) fn new(problem: &'a Problem, routes: usize) -> Self {
        let slots = problem.clients + 1 + 2 * routes;
        LocalSearch {
            problem,
            penalty: 1.0,
            succ: vec![0; slots],
            pred: vec![0; slots],
            route: vec![0; slots],
            position: vec![0; slots],
            cumulative: vec![0.0; slots],
            totals: vec![Totals { load: 0.0, len: 0 }; routes],
            order: (1..=problem.clients).collect(),
            clock: 0,
            changed: vec![0; routes],
            tried: vec![0; problem.clients + 1],
            swapped_at: 0,
            sectors: vec![None; routes],
        }
    }

    fn start(&self, r: usize) -> usize {
        self.problem.clients + 1 + 2 * r
    }

    fn end(&self, r: usize) -> usize {
        self.problem.clients + 2 + 2 * r
    }

    /// The instance node of a slot (the depot for route ends).
    fn node(&self, slot: usize) -> usize {
        if slot <= self.problem.clients {
            slot
        } else {
            0
        }
    }

    fn is_depot(&self, slot: usize) -> bool {
        slot > self.problem.clients
    }

    fn d(&self, a: usize, b: usize) -> f64 {
        self.problem.d(self.node(a), self.node(b))
    }

    fn q(&self, slot: usize) -> f64 {
        self.problem.demand[self.node(slot)]
    }

    fn pen(&self, load: f64) -> f64 {
        self.penalty * (load - self.problem.capacity).max(0.0)
    }

    /// Improves `routes` at `penalty` per unit of excess; returns the improved routes.
    pub(super) fn run(&mut self, routes: &[Vec<usize>], penalty: f64, rng: &mut SeededRng) -> Vec<Vec<usize>> {
        self.penalty = penalty;
        self.load(routes);
        for i in (1..self.order.len()).rev() {
            self.order.swap(i, rng.below(i + 1));
        }
        let mut improved = true;
        let mut rounds = 0;
        while improved && rounds < 1000 {
            improved = false;
            rounds += 1;
            for k in 0..self.order.len() {
                let u = self.order[k];
                let last_tried = self.tried[u];
                self.tried[u] = self.clock;
                for i in 0..self.problem.near[u].len() {
                    let v = self.problem.near[u][i];
                    let fresh = self.changed[self.route[u]].max(self.changed[self.route[v]]) > last_tried;
                    if rounds > 1 && !fresh {
                        continue;
                    }
                    if self.try_moves(u, v) {
                        improved = true;
                        continue;
                    }
                    // Also right after the start of v's route.
                    let pv = self.pred[v];
                    if self.is_depot(pv) && self.try_moves(u, pv) {
                        improved = true;
                    }
                }
                // Into an empty route, after the first round (not to open routes too eagerly).
                // (SWAP* runs after each round, below.)
                if rounds > 1 {
                    if let Some(r) = (0..self.totals.len()).find(|&r| self.totals[r].len == 0) {
                        let s = self.start(r);
                        if self.relocate(u, s) || self.relocate_pair(u, s, false) || self.two_opt_star(u, s) {
                            improved = true;
                        }
                    }
                }
            }
            let since = if rounds == 1 { 0 } else { self.swapped_at };
            self.swapped_at = self.clock;
            improved |= self.swap_star_round(since);
        }
        self.routes()
    }

    /// Lays out `routes` over the slots (every other route empty).
    fn load(&mut self, routes: &[Vec<usize>]) {
        for r in 0..self.totals.len() {
            let (s, e) = (self.start(r), self.end(r));
            self.link(s, routes.get(r).map_or(&[][..], Vec::as_slice), e);
            self.update(r);
        }
    }

    /// Links `first`, the slots of `chain` in order, then `last`.
    fn link(&mut self, first: usize, chain: &[usize], last: usize) {
        let mut previous = first;
        for &c in chain.iter().chain(std::iter::once(&last)) {
            self.succ[previous] = c;
            self.pred[c] = previous;
            previous = c;
        }
    }

    /// Recomputes route `r`'s positions, cumulative loads and totals, and marks it changed.
    fn update(&mut self, r: usize) {
        self.clock += 1;
        self.changed[r] = self.clock;
        let (mut slot, mut load, mut p) = (self.start(r), 0.0, 0);
        loop {
            load += self.q(slot);
            self.route[slot] = r;
            self.position[slot] = p;
            self.cumulative[slot] = load;
            if slot == self.end(r) {
                break;
            }
            slot = self.succ[slot];
            p += 1;
        }
        self.totals[r] = Totals { load, len: p - 1 };
        if let Some(angle) = &self.problem.angle {
            let mut sector: Option<Sector> = None;
            let mut slot = self.succ[self.start(r)];
            while !self.is_depot(slot) {
                match &mut sector {
                    Some(arc) => arc.extend(angle[slot]),
                    None => sector = Some(Sector::new(angle[slot])),
                }
                slot = self.succ[slot];
            }
            self.sectors[r] = sector;
        }
    }

    /// The routes as client lists.
    fn routes(&self) -> Vec<Vec<usize>> {
        (0..self.totals.len()).map(|r| self.clients_of(r)).filter(|r| !r.is_empty()).collect()
    }

    /// Tries every move of `u` with `v` (a client, or a route's start); true when one applied.
    fn try_moves(&mut self, u: usize, v: usize) -> bool {
        self.relocate(u, v)
            || self.relocate_pair(u, v, false)
            || self.relocate_pair(u, v, true)
            || (!self.is_depot(v)
                && (self.swap(u, false, v, false) || self.swap(u, true, v, false) || self.swap(u, true, v, true)))
            || self.two_opt(u, v)
            || self.two_opt_star(u, v)
    }

    /// The change of penalty when route `r`'s load changes by `delta`.
    fn load_change(&self, r: usize, delta: f64) -> f64 {
        let load = self.totals[r].load;
        self.pen(load + delta) - self.pen(load)
    }

    /// Unlinks `a` and links it right after `b`.
    fn move_after(&mut self, a: usize, b: usize) {
        let (pa, na) = (self.pred[a], self.succ[a]);
        self.succ[pa] = na;
        self.pred[na] = pa;
        let nb = self.succ[b];
        self.succ[b] = a;
        self.pred[a] = b;
        self.succ[a] = nb;
        self.pred[nb] = a;
    }

    /// Updates the routes of `a` and `b` (once when they share one).
    fn update_both(&mut self, ra: usize, rb: usize) {
        self.update(ra);
        if rb != ra {
            self.update(rb);
        }
    }

    /// Moves `u` after `v`.
    fn relocate(&mut self, u: usize, v: usize) -> bool {
        let (pu, x, y) = (self.pred[u], self.succ[u], self.succ[v]);
        if u == v || pu == v {
            return false;
        }
        let (ru, rv) = (self.route[u], self.route[v]);
        let mut delta = self.d(pu, x) - self.d(pu, u) - self.d(u, x) + self.d(v, u) + self.d(u, y) - self.d(v, y);
        if ru != rv {
            delta += self.load_change(ru, -self.q(u)) + self.load_change(rv, self.q(u));
        }
        if delta > -EPSILON {
            return false;
        }
        self.move_after(u, v);
        self.update_both(ru, rv);
        true
    }

    /// Moves `u` and its successor `x` after `v` (as `v, x, u` when `reversed`).
    fn relocate_pair(&mut self, u: usize, v: usize, reversed: bool) -> bool {
        let (pu, x) = (self.pred[u], self.succ[u]);
        if self.is_depot(x) || v == x || v == u || pu == v {
            return false;
        }
        let (xx, y) = (self.succ[x], self.succ[v]);
        let (ru, rv) = (self.route[u], self.route[v]);
        // The pair's own edge goes with it (distances are symmetric).
        let inserted = if reversed { self.d(v, x) + self.d(u, y) } else { self.d(v, u) + self.d(x, y) };
        let mut delta = self.d(pu, xx) - self.d(pu, u) - self.d(x, xx) + inserted - self.d(v, y);
        if ru != rv {
            let q = self.q(u) + self.q(x);
            delta += self.load_change(ru, -q) + self.load_change(rv, q);
        }
        if delta > -EPSILON {
            return false;
        }
        if reversed {
            self.move_after(x, v);
            self.move_after(u, x);
        } else {
            self.move_after(u, v);
            self.move_after(x, u);
        }
        self.update_both(ru, rv);
        true
    }

    /// Swaps `u` (with its successor when `pair_u`) and `v` (with its successor when
    /// `pair_v`): each stretch takes the other's place.
    fn swap(&mut self, u: usize, pair_u: bool, v: usize, pair_v: bool) -> bool {
        let (u_last, v_last) = (if pair_u { self.succ[u] } else { u }, if pair_v { self.succ[v] } else { v });
        if u == v || self.is_depot(u_last) || self.is_depot(v_last) {
            return false;
        }
        let (pu, nu, pv, nv) = (self.pred[u], self.succ[u_last], self.pred[v], self.succ[v_last]);
        // Stretches apart and not next to each other.
        let touching = [u, u_last].contains(&pv) || [v, v_last].contains(&pu) || [v, v_last].contains(&u_last);
        if touching || u == v_last {
            return false;
        }
        let (ru, rv) = (self.route[u], self.route[v]);
        let mut delta = self.d(pu, v) + self.d(v_last, nu) - self.d(pu, u) - self.d(u_last, nu)
            + self.d(pv, u)
            + self.d(u_last, nv)
            - self.d(pv, v)
            - self.d(v_last, nv);
        if ru != rv {
            let load = |first: usize, last: usize| self.q(first) + if last != first { self.q(last) } else { 0.0 };
            let q = load(v, v_last) - load(u, u_last);
            delta += self.load_change(ru, q) + self.load_change(rv, -q);
        }
        if delta > -EPSILON {
            return false;
        }
        self.move_after(v, pu);
        if pair_v {
            self.move_after(v_last, v);
        }
        self.move_after(u, pv);
        if pair_u {
            self.move_after(u_last, u);
        }
        self.update_both(ru, rv);
        true
    }

    /// Within one route, `u` before `v`: reverses the clients from `u`'s successor to `v`.
    fn two_opt(&mut self, u: usize, v: usize) -> bool {
        let r = self.route[u];
        if self.route[v] != r || self.position[v] <= self.position[u] {
            return false;
        }
        let (x, y) = (self.succ[u], self.succ[v]);
        if x == v {
            return false;
        }
        let delta = self.d(u, v) + self.d(x, y) - self.d(u, x) - self.d(v, y);
        if delta > -EPSILON {
            return false;
        }
        // Reverse x..=v between u and y.
        let mut segment = Vec::new();
        let mut slot = x;
        loop {
            segment.push(slot);
            if slot == v {
                break;
            }
            slot = self.succ[slot];
        }
        segment.reverse();
        self.link(u, &segment, y);
        self.update(r);
        true
    }

    /// Between two routes: `u`'s route keeps its start up to `u` and takes `v`'s tail after
    /// `v`, and the other way round.
    fn two_opt_star(&mut self, u: usize, v: usize) -> bool {
        let (ru, rv) = (self.route[u], self.route[v]);
        if ru == rv {
            return false;
        }
        let (x, y) = (self.succ[u], self.succ[v]);
        let (lu, lv) = (self.totals[ru].load, self.totals[rv].load);
        let (cu, cv) = (self.cumulative[u], self.cumulative[v]);
        let (new_u, new_v) = (cu + lv - cv, cv + lu - cu);
        let delta = self.d(u, y) + self.d(v, x) - self.d(u, x) - self.d(v, y) + self.pen(new_u) + self.pen(new_v)
            - self.pen(lu)
            - self.pen(lv);
        if delta > -EPSILON {
            return false;
        }
        // Swap the tails, then the end slots back to their routes.
        let (end_u, end_v) = (self.end(ru), self.end(rv));
        self.succ[u] = y;
        self.pred[y] = u;
        self.succ[v] = x;
        self.pred[x] = v;
        // The tails ended at each other's end slot: swap which end slot closes each.
        let (last_u, last_v) = (self.pred[end_v], self.pred[end_u]);
        self.succ[last_u] = end_u;
        self.pred[end_u] = last_u;
        self.succ[last_v] = end_v;
        self.pred[end_v] = last_v;
        self.update(ru);
        self.update(rv);
        true
    }

    /// SWAP* over every pair of routes near each other, one of them changed since clock
    /// `since`; true when a swap applied.
    fn swap_star_round(&mut self, since: u64) -> bool {
        let routes = self.totals.len();
        let mut pairs = std::collections::BTreeSet::new();
        if self.problem.angle.is_some() {
            let used: Vec<usize> = (0..routes).filter(|&r| self.totals[r].len > 0).collect();
            for (i, &a) in used.iter().enumerate() {
                for &b in &used[i + 1..] {
                    let overlap = matches!((&self.sectors[a], &self.sectors[b]), (Some(x), Some(y)) if x.overlaps(y));
                    if overlap && self.changed[a].max(self.changed[b]) > since {
                        pairs.insert((a, b));
                    }
                }
            }
        } else {
            for u in 1..=self.problem.clients {
                for &v in self.problem.near[u].iter().take(SWAP_NEAR) {
                    let (a, b) = (self.route[u], self.route[v]);
                    if a != b && self.changed[a].max(self.changed[b]) > since {
                        pairs.insert((a.min(b), a.max(b)));
                    }
                }
            }
        }
        let mut any = false;
        for (a, b) in pairs {
            if a < routes && b < routes && self.totals[a].len > 0 && self.totals[b].len > 0 {
                any |= self.swap_star(a, b);
            }
        }
        any
    }

    /// The clients of route `r`.
    fn clients_of(&self, r: usize) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.totals[r].len);
        let mut slot = self.succ[self.start(r)];
        while !self.is_depot(slot) {
            out.push(slot);
            slot = self.succ[slot];
        }
        out
    }

    /// The three cheapest places for client `c` in route `r` (after the start or a client).
    fn best_places(&self, c: usize, r: usize) -> Best3 {
        let mut best = Best3::new();
        let mut slot = self.start(r);
        while slot != self.end(r) {
            let next = self.succ[slot];
            best.offer(self.d(slot, c) + self.d(c, next) - self.d(slot, next), slot);
            slot = next;
        }
        best
    }

    /// Where client `c` goes in the route of `gone` once `gone` leaves it: its best place not
    /// next to `gone`, or `gone`'s own place (after `gone`'s predecessor).
    fn place_without(&self, c: usize, places: &Best3, gone: usize) -> (f64, usize) {
        let (before, after) = (self.pred[gone], self.succ[gone]);
        let mut best = (self.d(before, c) + self.d(c, after) - self.d(before, after), before);
        for &(cost, slot) in &places.places {
            if slot != usize::MAX && slot != gone && self.succ[slot] != gone && cost < best.0 {
                best = (cost, slot);
            }
        }
        best
    }

    /// The best exchange of a client of route `a` with one of route `b`, each placed where it
    /// fits best in the other's route; applied when it lowers the penalised cost.
    fn swap_star(&mut self, a: usize, b: usize) -> bool {
        let (in_a, in_b) = (self.clients_of(a), self.clients_of(b));
        let into_b: Vec<Best3> = in_a.iter().map(|&u| self.best_places(u, b)).collect();
        let into_a: Vec<Best3> = in_b.iter().map(|&v| self.best_places(v, a)).collect();
        let removal = |s: &Self, c: usize| s.d(s.pred[c], s.succ[c]) - s.d(s.pred[c], c) - s.d(c, s.succ[c]);
        let (load_a, load_b) = (self.totals[a].load, self.totals[b].load);
        let mut best: Option<(f64, usize, usize, usize, usize)> = None;
        for (i, &u) in in_a.iter().enumerate() {
            let gain_u = removal(self, u);
            for (j, &v) in in_b.iter().enumerate() {
                let shift = self.q(v) - self.q(u);
                let penalties =
                    self.pen(load_a + shift) - self.pen(load_a) + self.pen(load_b - shift) - self.pen(load_b);
                let gain_v = removal(self, v);
                // Placing a client adds distance (triangle inequality): skip what cannot improve.
                if gain_u + gain_v + penalties > -EPSILON {
                    continue;
                }
                let (put_v, after_v) = self.place_without(v, &into_a[j], u);
                let (put_u, after_u) = self.place_without(u, &into_b[i], v);
                let delta = gain_u + gain_v + penalties + put_v + put_u;
                if delta < -EPSILON && best.is_none_or(|x| delta < x.0) {
                    best = Some((delta, u, v, after_u, after_v));
                }
            }
        }
        let Some((_, u, v, after_u, after_v)) = best else { return false };
        self.move_after(u, after_u);
        self.move_after(v, after_v);
        self.update(a);
        self.update(b);
        true
    }
}
