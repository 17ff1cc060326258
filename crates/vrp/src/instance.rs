//! One routing instance: node 0 is the depot, nodes 1..=n the clients; a vehicle leaves the
//! depot, serves clients in order and returns. Distances and travel times are one matrix,
//! computed by a stated rounding convention (benchmark costs depend on it).

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

/// A routing instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    /// Its name.
    pub name: String,
    /// Node coordinates, when the file has them (depot first).
    pub coordinates: Option<Vec<(f64, f64)>>,
    /// Demand of each node (the depot's is 0).
    pub demand: Vec<i64>,
    /// Service time at each node.
    pub service: Vec<f64>,
    /// Time window `[ready, due]` of each node; the depot's is the planning horizon.
    pub window: Vec<(f64, f64)>,
    /// Vehicle capacity.
    pub capacity: i64,
    /// Vehicles available, when the instance limits them.
    pub vehicles: Option<usize>,
    /// Longest route (distance plus service times), when the instance limits it.
    pub max_route_length: Option<f64>,
    /// Distance (= travel time) from node i to node j, row-major, nodes × nodes.
    pub distance: Vec<f64>,
}

impl Instance {
    /// Nodes, depot included.
    pub fn nodes(&self) -> usize {
        self.demand.len()
    }

    /// Clients.
    pub fn clients(&self) -> usize {
        self.nodes().saturating_sub(1)
    }

    /// Distance from `i` to `j`.
    pub fn d(&self, i: usize, j: usize) -> f64 {
        self.distance[i * self.nodes() + j]
    }

    /// Whether any client has a time window narrower than the horizon.
    pub fn has_time_windows(&self) -> bool {
        let horizon = self.window.first().copied().unwrap_or((0.0, f64::INFINITY));
        self.window.iter().skip(1).any(|w| w.0 > horizon.0 || w.1 < horizon.1)
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
