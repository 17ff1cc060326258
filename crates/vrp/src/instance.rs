//! One routing instance: nodes 1..=n are the clients, node 0 and any nodes after them depots;
//! each vehicle leaves its start depot, serves clients in order and drives to its end depot.
//! Vehicles are either interchangeable (the benchmark formats) or each their own (start, end,
//! capacity per demand dimension, shift, route-length limit, skills, costs). Distances come
//! from a matrix computed by a stated rounding convention (benchmark costs depend on it); travel
//! times are the same matrix unless the instance gives its own (VROOM's durations beside its
//! distances).

/// How Euclidean distances between coordinates are turned into matrix entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// TSPLIB/CVRPLIB `EUC_2D`: the nearest integer.
    Nearest,
    /// Truncated to one decimal (the exact-method convention of the Solomon best-known costs).
    TruncateOneDecimal,
    /// Unrounded (e.g. the Christofides–Mingozzi–Toth instances).
    Exact,
}

impl Rounding {
    /// The matrix entry for a Euclidean distance.
    pub fn apply(self, d: f64) -> f64 {
        match self {
            Rounding::Nearest => (d + 0.5).floor(),
            Rounding::TruncateOneDecimal => (d * 10.0).floor() / 10.0,
            Rounding::Exact => d,
        }
    }
}

/// Times are compared with this tolerance (decimal instance data).
pub const WINDOW_EPSILON: f64 = 1e-9;

/// Sorts windows and refuses empty, reversed or overlapping ones (the description of the
/// first bad one).
pub fn tidy_windows(mut windows: Vec<(f64, f64)>) -> Result<Vec<(f64, f64)>, String> {
    if windows.is_empty() {
        return Err("no time window".into());
    }
    if let Some(w) = windows.iter().find(|w| w.0.is_nan() || w.1.is_nan() || w.0 > w.1) {
        return Err(format!("the window [{}, {}] ends before it starts", w.0, w.1));
    }
    windows.sort_by(|a, b| a.0.total_cmp(&b.0));
    if let Some(pair) = windows.windows(2).find(|p| p[1].0 <= p[0].1) {
        return Err(format!("the windows [{}, {}] and [{}, {}] overlap", pair[0].0, pair[0].1, pair[1].0, pair[1].1));
    }
    Ok(windows)
}

/// One vehicle (or, in an [`Fleet::Identical`] fleet, each of them).
#[derive(Debug, Clone, PartialEq)]
pub struct Vehicle {
    /// The depot node it leaves from.
    pub start: usize,
    /// The depot node it returns to (with `ends`: the node standing for that choice).
    pub end: usize,
    /// Where it may end, when it may choose: the route ends at whichever of these nodes is
    /// nearest its last stop (the first of equals), and `end` is a node whose distance from
    /// each node is that to its nearest choice ([`Instance::add_free_end`]). Empty: it ends at
    /// `end`.
    pub ends: Vec<usize>,
    /// What it carries at most, one value per demand dimension.
    pub capacity: Vec<i64>,
    /// It leaves its start no earlier than `shift.0` and is back at its end by `shift.1`.
    pub shift: (f64, f64),
    /// Longest route it may drive (distance plus service times), when limited.
    pub max_length: Option<f64>,
    /// Skills it has, sorted: it may serve a client whose skills are all among them.
    pub skills: Vec<u64>,
    /// Most clients it may visit, when limited.
    pub max_tasks: Option<usize>,
    /// Most it may drive in all (travel time; service and waiting not counted), when limited.
    pub max_travel: Option<f64>,
    /// Most distance it may drive in all, when limited.
    pub max_distance: Option<f64>,
    /// Most distance it may drive between two charges, when limited (an energy limit: it
    /// leaves its start charged and recharges fully at every [`Instance::chargers`] node it
    /// visits; the end must be reached within range too).
    pub range: Option<f64>,
    /// What using it costs.
    pub costs: Costs,
}

/// What a vehicle's route costs: `fixed` when it is used at all, plus `per_distance` for each
/// unit of distance and `per_time` for each unit of travel time it drives (waiting and service
/// are free). The default, distance alone, is the cost of the benchmark formats.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Costs {
    /// Cost of using the vehicle at all.
    pub fixed: f64,
    /// Cost per unit of distance.
    pub per_distance: f64,
    /// Cost per unit of travel time.
    pub per_time: f64,
}

impl Default for Costs {
    fn default() -> Self {
        Costs { fixed: 0.0, per_distance: 1.0, per_time: 0.0 }
    }
}

impl Costs {
    /// What driving `distance` in `travel` time costs (the fixed cost apart).
    pub fn driving(&self, distance: f64, travel: f64) -> f64 {
        self.per_distance * distance + self.per_time * travel
    }
}

impl Vehicle {
    /// A vehicle from node 0 back to node 0 within `shift`, one demand dimension, no skills.
    pub fn from_depot(capacity: i64, shift: (f64, f64), max_length: Option<f64>) -> Self {
        Vehicle {
            start: 0,
            end: 0,
            ends: Vec::new(),
            capacity: vec![capacity],
            shift,
            max_length,
            skills: Vec::new(),
            max_tasks: None,
            max_travel: None,
            max_distance: None,
            range: None,
            costs: Costs::default(),
        }
    }

    /// Whether it has every skill in `needed` (both sorted).
    pub fn has_skills(&self, needed: &[u64]) -> bool {
        needed.iter().all(|s| self.skills.binary_search(s).is_ok())
    }
}

/// The vehicles of an instance.
#[derive(Debug, Clone, PartialEq)]
pub enum Fleet {
    /// Interchangeable vehicles, at most `count` of them on the road (`None`: as many as the
    /// clients need); the order of routes carries no meaning.
    Identical {
        /// Each vehicle.
        vehicle: Vehicle,
        /// How many there are, when limited.
        count: Option<usize>,
    },
    /// Distinct vehicles: route `k` of a solution is driven by vehicle `k` (empty routes are
    /// unused vehicles).
    Each(Vec<Vehicle>),
}

impl Fleet {
    /// The vehicle that drives route `k` (for identical vehicles: the vehicle, whatever `k`;
    /// their number is a separate rule), or `None` past the end of a list of distinct vehicles.
    pub fn vehicle(&self, k: usize) -> Option<&Vehicle> {
        match self {
            Fleet::Identical { vehicle, .. } => Some(vehicle),
            Fleet::Each(list) => list.get(k),
        }
    }

    /// The distinct kinds of vehicle: the one identical vehicle, or the list.
    pub fn kinds(&self) -> &[Vehicle] {
        match self {
            Fleet::Identical { vehicle, .. } => std::slice::from_ref(vehicle),
            Fleet::Each(list) => list,
        }
    }

    /// Most routes on the road at once (`None`: no limit).
    pub fn limit(&self) -> Option<usize> {
        match self {
            Fleet::Identical { count, .. } => *count,
            Fleet::Each(list) => Some(list.len()),
        }
    }
}

/// What a solution minimises. Ties under the last two are broken by total cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Objective {
    /// Total cost of all routes: their distance unless vehicles have [`Costs`] of their own
    /// (CVRP, VRPTW, TSP).
    #[default]
    TotalCost,
    /// The longest route's driving cost, its distance by default (min-max: balanced tours,
    /// e.g. a multi-robot TSP).
    LongestRoute,
    /// The longest single leg of any route (bottleneck TSP).
    LongestLeg,
}

impl Objective {
    /// Its name in output: `total-cost`, `longest-route` or `longest-leg`.
    pub fn name(self) -> &'static str {
        match self {
            Objective::TotalCost => "total-cost",
            Objective::LongestRoute => "longest-route",
            Objective::LongestLeg => "longest-leg",
        }
    }
}

/// A routing instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    /// Its name.
    pub name: String,
    /// Node coordinates, when the file has them (depot first).
    pub coordinates: Option<Vec<(f64, f64)>>,
    /// Clients: nodes `1..=clients`. Node 0 is a depot, and so is every node after the clients
    /// (further start and end places of vehicles).
    pub clients: usize,
    /// Demand dimensions (1 in the benchmark formats; e.g. weight and volume in VROOM input).
    pub dimensions: usize,
    /// Demand of each node, `dimensions` values per node, node after node (depots: 0): what the
    /// vehicle loads at its start depot and drops at the node.
    pub demand: Vec<i64>,
    /// What the vehicle takes on at each node and carries on, laid out as `demand`: a pickup
    /// for the end depot, or a shipment's amount at its pickup; negative at a shipment's
    /// delivery, where that amount leaves the vehicle. All zero in the benchmark formats.
    pub collected: Vec<i64>,
    /// Service time at each node.
    pub service: Vec<f64>,
    /// Setup time at each node, spent before service when the vehicle comes from another place
    /// (VROOM's `setup`); empty: none anywhere.
    pub setup: Vec<f64>,
    /// Which place each node is at (nodes at one place share a number): a vehicle coming from
    /// the same place needs no setup. Empty: every node its own place.
    pub place: Vec<usize>,
    /// Time windows `[ready, due]` of each node, at least one, sorted and disjoint; service
    /// starts within one of them. A depot's window is the planning horizon, which holds every
    /// shift of the vehicles using it.
    pub windows: Vec<Vec<(f64, f64)>>,
    /// Skills each node's visit needs, sorted (empty: any vehicle may serve it).
    pub skills: Vec<Vec<u64>>,
    /// Optional clients and their prizes: a client with `Some(prize)` may be left out, and
    /// leaving it out adds its prize to the cost (prize-collecting); `None`: it must be
    /// visited.
    pub prize: Vec<Option<f64>>,
    /// How much each client's visit matters when not every client can be served (0 to 100,
    /// as VROOM's `priority`): the search first leaves out as little priority as it can, then
    /// as few clients.
    pub priority: Vec<u32>,
    /// The vehicles.
    pub fleet: Fleet,
    /// What a solution minimises (no file format states it: total distance unless asked).
    pub objective: Objective,
    /// Client groups: exactly one client of each group is visited (a generalised TSP); clients
    /// in no group are all visited. No client is in two groups.
    pub groups: Vec<Vec<usize>>,
    /// Visiting orders: the clients of each list that one route visits appear in the list's
    /// order (an ordered TSP). No client is in two lists.
    pub orders: Vec<Vec<usize>>,
    /// Shipments: (pickup, delivery) client pairs served by one route, the pickup first. No
    /// client is in two pairs, nor in a pair and a group.
    pub pairs: Vec<(usize, usize)>,
    /// Distance from node i to node j, row-major, nodes × nodes.
    pub distance: Vec<f64>,
    /// Travel time from node i to node j, laid out as `distance`; empty when the distances are
    /// the travel times too (every benchmark format).
    pub travel: Vec<f64>,
    /// Nodes where a vehicle with a [`Vehicle::range`] recharges fully, sorted (clients among
    /// them recharge when served).
    pub chargers: Vec<usize>,
    /// What serving each node costs beyond driving (a market's purchase: units × price),
    /// added to its route's cost; empty: nothing anywhere.
    pub visit_cost: Vec<f64>,
    /// The least total the vehicles must collect together, one value per demand dimension
    /// (what a travelling purchaser must buy: markets are optional clients whose `collected`
    /// is what they sell); empty: no quota.
    pub quota: Vec<i64>,
}

impl Instance {
    /// A single-depot instance in one demand dimension without skills (the benchmark formats):
    /// node 0 the depot, every other node a client.
    pub fn single_depot(
        name: String,
        coordinates: Option<Vec<(f64, f64)>>,
        demand: Vec<i64>,
        service: Vec<f64>,
        windows: Vec<Vec<(f64, f64)>>,
        fleet: Fleet,
        distance: Vec<f64>,
    ) -> Self {
        let nodes = demand.len();
        Instance {
            name,
            coordinates,
            clients: nodes.saturating_sub(1),
            dimensions: 1,
            collected: vec![0; demand.len()],
            demand,
            service,
            setup: Vec::new(),
            place: Vec::new(),
            windows,
            skills: vec![Vec::new(); nodes],
            prize: vec![None; nodes],
            priority: vec![0; nodes],
            fleet,
            objective: Objective::TotalCost,
            groups: Vec::new(),
            orders: Vec::new(),
            pairs: Vec::new(),
            distance,
            travel: Vec::new(),
            chargers: Vec::new(),
            visit_cost: Vec::new(),
            quota: Vec::new(),
        }
    }

    /// Nodes, depots included.
    pub fn nodes(&self) -> usize {
        self.service.len()
    }

    /// Whether node `i` is a client.
    pub fn is_client(&self, i: usize) -> bool {
        (1..=self.clients).contains(&i)
    }

    /// Where `vehicle` ends after its last stop `last`: its end depot, or the nearest of its
    /// choices.
    pub fn end_of(&self, vehicle: &Vehicle, last: usize) -> usize {
        self.nearest(&vehicle.ends, last).unwrap_or(vehicle.end)
    }

    /// The node of `choices` nearest `from` (the first of equals), if any.
    fn nearest(&self, choices: &[usize], from: usize) -> Option<usize> {
        choices.iter().copied().fold(None, |best, e| match best {
            Some(b) if self.d(from, b) <= self.d(from, e) => Some(b),
            _ => Some(e),
        })
    }

    /// Adds a depot node standing for "the nearest of `choices`": the distance (and travel
    /// time) from each node to it is that to its nearest choice (by distance), nothing leaves
    /// it; it takes the first choice's coordinates. Returns the node, for a vehicle's `end`
    /// (with `choices` as its `ends`).
    pub fn add_free_end(&mut self, choices: &[usize]) -> usize {
        let (n, m) = (self.nodes(), self.nodes() + 1);
        let grow = |matrix: &[f64], last: &dyn Fn(usize) -> f64| {
            let mut out = vec![0.0; m * m];
            for i in 0..n {
                out[i * m..i * m + n].copy_from_slice(&matrix[i * n..(i + 1) * n]);
                out[i * m + n] = last(i);
            }
            out
        };
        // Each node's nearest choice, found once for both matrices.
        let nearest: Vec<usize> = (0..n).map(|i| self.nearest(choices, i).unwrap_or(0)).collect();
        let distance = grow(&self.distance, &|i| self.d(i, nearest[i]));
        let travel = if self.travel.is_empty() { Vec::new() } else { grow(&self.travel, &|i| self.t(i, nearest[i])) };
        (self.distance, self.travel) = (distance, travel);
        self.demand.extend(std::iter::repeat_n(0, self.dimensions));
        self.collected.extend(std::iter::repeat_n(0, self.dimensions));
        self.service.push(0.0);
        if !self.setup.is_empty() {
            self.setup.push(0.0);
            self.place.push(self.place.iter().max().map_or(0, |p| p + 1));
        }
        self.windows.push(vec![(0.0, f64::INFINITY)]);
        if !self.visit_cost.is_empty() {
            self.visit_cost.push(0.0);
        }
        self.skills.push(Vec::new());
        self.prize.push(None);
        self.priority.push(0);
        if let (Some(points), Some(&first)) = (self.coordinates.as_mut(), choices.first()) {
            points.push(points[first]);
        }
        n
    }

    /// The setup time at `node` for a vehicle coming from `previous`: none from the same place.
    pub fn setup_after(&self, previous: usize, node: usize) -> f64 {
        let same_place =
            if self.place.is_empty() { previous == node } else { self.place[previous] == self.place[node] };
        if self.setup.is_empty() || same_place {
            0.0
        } else {
            self.setup[node]
        }
    }

    /// Time spent at `node` after service starts, coming from `previous`: setup, then service.
    pub fn duration(&self, previous: usize, node: usize) -> f64 {
        self.service[node] + self.setup_after(previous, node)
    }

    /// What serving node `i` costs beyond driving (0 unless [`Instance::visit_cost`] says).
    pub fn visit_cost(&self, i: usize) -> f64 {
        self.visit_cost.get(i).copied().unwrap_or(0.0)
    }

    /// Whether a vehicle recharges at node `i`.
    pub fn is_charger(&self, i: usize) -> bool {
        self.chargers.binary_search(&i).is_ok()
    }

    /// Distance from `i` to `j`.
    pub fn d(&self, i: usize, j: usize) -> f64 {
        self.distance[i * self.nodes() + j]
    }

    /// Travel time from `i` to `j`.
    pub fn t(&self, i: usize, j: usize) -> f64 {
        if self.travel.is_empty() {
            self.d(i, j)
        } else {
            self.travel[i * self.nodes() + j]
        }
    }

    /// Node `i`'s demand, one value per dimension.
    pub fn demand(&self, i: usize) -> &[i64] {
        &self.demand[i * self.dimensions..(i + 1) * self.dimensions]
    }

    /// What the vehicle takes on at node `i`, one value per dimension.
    pub fn collected(&self, i: usize) -> &[i64] {
        &self.collected[i * self.dimensions..(i + 1) * self.dimensions]
    }

    /// Whether any client's windows are narrower than every vehicle's shift.
    pub fn has_time_windows(&self) -> bool {
        let horizon = self
            .fleet
            .kinds()
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |h, v| (h.0.min(v.shift.0), h.1.max(v.shift.1)));
        (1..=self.clients).any(|c| {
            let w = &self.windows[c];
            w.len() != 1 || w[0].0 > horizon.0 || w[0].1 < horizon.1
        })
    }

    /// When node `i`'s first window opens.
    pub fn opens(&self, i: usize) -> f64 {
        self.windows[i].first().map_or(0.0, |w| w.0)
    }

    /// When node `i`'s last window closes.
    pub fn closes(&self, i: usize) -> f64 {
        self.windows[i].last().map_or(f64::INFINITY, |w| w.1)
    }

    /// The earliest service start at node `i` for a vehicle arriving at `arrival` (waiting for
    /// the next window to open), or `None` when every window has closed.
    pub fn start(&self, i: usize, arrival: f64) -> Option<f64> {
        self.windows[i].iter().find(|w| arrival <= w.1 + WINDOW_EPSILON).map(|w| arrival.max(w.0))
    }

    /// The latest service start at node `i` no later than `bound`, or `None` when no window
    /// opens by then.
    pub fn latest_start(&self, i: usize, bound: f64) -> Option<f64> {
        self.windows[i].iter().rev().find(|w| w.0 <= bound + WINDOW_EPSILON).map(|w| w.1.min(bound))
    }
}

/// The distance matrix of coordinates under a rounding convention.
pub fn euclidean_matrix(points: &[(f64, f64)], rounding: Rounding) -> Vec<f64> {
    let n = points.len();
    let mut m = vec![0.0; n * n];
    for (i, p) in points.iter().enumerate() {
        for (j, q) in points.iter().enumerate() {
            if i != j {
                m[i * n + j] = rounding.apply(((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt());
            }
        }
    }
    m
}
