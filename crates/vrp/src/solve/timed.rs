//! The instance as the search reads it: single windows, capacities and skills at hand, jobs
//! (clients, groups, shipments), visiting-order positions, capacity tests.

use super::route::Route;
use crate::instance::{Instance, Vehicle, WINDOW_EPSILON};

/// The instance with each single-window node's window at hand (the insertion test looks
/// windows up on its hot path, and most nodes have exactly one), each vehicle kind's capacity
/// and which kind may serve which client.
pub(super) struct Timed<'a> {
    pub(super) instance: &'a Instance,
    pub(super) single: Vec<Option<(f64, f64)>>,
    /// Capacity of each vehicle kind, `dimensions` values per kind.
    pub(super) capacity: Vec<i64>,
    /// `allowed[kind * nodes + c]`: the vehicle kind has the skills client `c` needs (empty
    /// when no client needs any).
    pub(super) allowed: Vec<bool>,
    /// The group of each node, if any. A group is one job of the search, named by its first
    /// client; any of its clients may serve it.
    pub(super) group_of: Vec<Option<usize>>,
    /// Each node's visiting order and its rank in it, if any.
    pub(super) rank: Vec<Option<(usize, usize)>>,
    /// Each node's shipment partner, if any (pickup ↔ delivery).
    pub(super) partner: Vec<Option<usize>>,
    /// Whether each node is a shipment's delivery.
    pub(super) delivery: Vec<bool>,
    /// Whether any node collects goods: then loads vary along a route and are checked at
    /// every position, not as one total.
    pub(super) profiled: bool,
    /// Whether travel times have a matrix of their own (else the distances are the times).
    pub(super) apart: bool,
    /// Whether any node has a setup time.
    pub(super) setups: bool,
    /// Whether each node is a charger (all false when no vehicle has a range).
    pub(super) charger: Vec<bool>,
}

impl<'a> Timed<'a> {
    pub(super) fn new(instance: &'a Instance) -> Self {
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
        let apart = !instance.travel.is_empty();
        let setups = instance.setup.iter().any(|&s| s > 0.0);
        let charger = (0..instance.nodes()).map(|i| instance.is_charger(i)).collect();
        Timed {
            instance,
            single,
            capacity,
            allowed,
            group_of,
            rank,
            partner,
            delivery,
            profiled,
            apart,
            setups,
            charger,
        }
    }

    /// Whether a load `peak` (one value per dimension) plus `extra` stays within vehicle kind
    /// `kind`'s capacity.
    pub(super) fn within(&self, kind: usize, peak: &[i64], extra: &[i64]) -> bool {
        let d = self.dimensions;
        peak.iter().zip(extra).zip(&self.capacity[kind * d..(kind + 1) * d]).all(|((l, x), q)| l + x <= *q)
    }

    /// The job client `c` serves: itself, its group's first client, or its shipment's pickup.
    pub(super) fn job_of(&self, c: usize) -> usize {
        match (self.group_of[c], self.partner[c]) {
            (Some(g), _) => self.groups[g][0],
            (None, Some(p)) if self.delivery[c] => p,
            _ => c,
        }
    }

    /// Client `c`'s prize when it is an optional client (one in no group and no shipment).
    pub(super) fn optional(&self, c: usize) -> Option<f64> {
        self.prize[c].filter(|_| self.group_of[c].is_none() && self.partner[c].is_none())
    }

    /// Of jobs left out: the weight of those that must be visited (their priority first, then
    /// their number: each weighs 1 + priority × (clients + 1)), and the prizes of the
    /// optional ones.
    pub(super) fn left_out(&self, jobs: &[usize]) -> (usize, f64) {
        let scale = self.clients + 1;
        jobs.iter().fold((0, 0.0), |(required, prizes), &j| match self.optional(j) {
            Some(prize) => (required, prizes + prize),
            None => (required + 1 + self.priority[j] as usize * scale, prizes),
        })
    }

    /// The clients that may serve job `job`: its group's, or `single` (the job itself).
    pub(super) fn candidates<'s>(&'s self, job: usize, single: &'s [usize; 1]) -> &'s [usize] {
        self.group_of[job].map_or(single, |g| &self.groups[g])
    }

    /// The clients a job stands for: a client, its group, or a shipment's pickup and delivery.
    pub(super) fn job_clients(&self, job: usize) -> Vec<usize> {
        match (self.group_of[job], self.partner[job]) {
            (Some(g), _) => self.groups[g].clone(),
            (None, Some(d)) => vec![job, d],
            _ => vec![job],
        }
    }

    /// The jobs of the search: every client in no group, and each group once.
    pub(super) fn jobs(&self) -> Vec<usize> {
        (1..=self.clients).filter(|&c| self.job_of(c) == c).collect()
    }

    /// The positions (before which to insert, 1..=len+1) at which client `c` keeps its visiting
    /// order among the clients of `route`.
    pub(super) fn allowed_positions(&self, route: &Route, c: usize) -> std::ops::Range<usize> {
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
    pub(super) fn start(&self, i: usize, arrival: f64) -> Option<f64> {
        match self.single[i] {
            Some((open, close)) => (arrival <= close + WINDOW_EPSILON).then(|| arrival.max(open)),
            None => self.instance.start(i, arrival),
        }
    }

    /// Time spent at `node` after service starts, coming from `previous` (setup and service).
    pub(super) fn busy(&self, previous: usize, node: usize) -> f64 {
        if self.setups {
            self.instance.duration(previous, node)
        } else {
            self.service[node]
        }
    }

    /// How much longer `node`'s setup gets when it is reached from `now` instead of `before`.
    pub(super) fn setup_shift(&self, before: usize, now: usize, node: usize) -> f64 {
        if self.setups {
            self.setup_after(now, node) - self.setup_after(before, node)
        } else {
            0.0
        }
    }

    /// The vehicle of kind `kind`.
    pub(super) fn vehicle(&self, kind: usize) -> &Vehicle {
        &self.instance.fleet.kinds()[kind]
    }

    /// Whether vehicle kind `kind` can carry client `c`'s demand on top of `load` and has its
    /// skills.
    pub(super) fn fits(&self, kind: usize, load: &[i64], c: usize) -> bool {
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
