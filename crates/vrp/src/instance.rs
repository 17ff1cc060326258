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
    /// Time windows `[ready, due]` of each node, at least one, sorted and disjoint; service
    /// starts within one of them. The depot has one: the planning horizon.
    pub windows: Vec<Vec<(f64, f64)>>,
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

    /// Whether any client has time windows narrower than the horizon.
    pub fn has_time_windows(&self) -> bool {
        let horizon = (self.opens(0), self.closes(0));
        self.windows.iter().skip(1).any(|w| w.len() != 1 || w[0].0 > horizon.0 || w[0].1 < horizon.1)
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
