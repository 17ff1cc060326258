//! A network ready for assignment: links with BPR costs (plus fixed toll and distance terms),
//! a forward star, and the origin–destination demand.

use crate::tntp::{read_net, read_trips, LinkRow, TntpError};
use std::path::Path;

/// A road network with its demand.
#[derive(Debug, Clone)]
pub struct Network {
    /// Nodes (1-based in the files, 0-based here).
    pub nodes: usize,
    /// Zones: nodes `0..zones` are the origins and destinations.
    pub zones: usize,
    /// `<FIRST THRU NODE>`: (1-based) nodes below it are zones that may not be passed through.
    pub first_thru_node: usize,
    /// The links.
    pub links: Vec<LinkRow>,
    /// Per link, the flow-independent part of its cost: toll factor × toll + distance factor × length.
    pub fixed: Vec<f64>,
    /// Demand, `zones × zones`, row = origin.
    pub demand: Vec<f64>,
    /// Forward star: the links leaving node `v` are `out_links[out_start[v]..out_start[v + 1]]`.
    pub out_start: Vec<usize>,
    /// See `out_start`.
    pub out_links: Vec<usize>,
}

/// Generalised-cost factors; `None` takes the net file's metadata (0 when absent).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CostFactors {
    /// Cost per unit of toll.
    pub toll: Option<f64>,
    /// Cost per unit of length.
    pub distance: Option<f64>,
}

impl Network {
    /// Loads `net` and `trips`.
    pub fn load(net: &Path, trips: &Path, factors: CostFactors) -> Result<Self, TntpError> {
        let file = read_net(net)?;
        let (zones, demand) = read_trips(trips)?;
        if zones != file.zones {
            return Err(TntpError::File {
                file: trips.to_path_buf(),
                reason: format!("{zones} zones, the net file has {}", file.zones),
            });
        }
        let toll = factors.toll.unwrap_or(file.toll_factor);
        let distance = factors.distance.unwrap_or(file.distance_factor);
        let fixed = file.links.iter().map(|l| toll * l.toll + distance * l.length).collect();
        Ok(Self::new(file.nodes, file.zones, file.first_thru_node, file.links, fixed, demand))
    }

    /// A network from its parts (nodes in links are 1-based).
    pub fn new(
        nodes: usize,
        zones: usize,
        first_thru_node: usize,
        links: Vec<LinkRow>,
        fixed: Vec<f64>,
        demand: Vec<f64>,
    ) -> Self {
        let mut out_start = vec![0usize; nodes + 1];
        for l in &links {
            out_start[l.from] += 1;
        }
        for v in 0..nodes {
            out_start[v + 1] += out_start[v];
        }
        let mut fill = out_start.clone();
        let mut out_links = vec![0usize; links.len()];
        for (a, l) in links.iter().enumerate() {
            out_links[fill[l.from - 1]] = a;
            fill[l.from - 1] += 1;
        }
        Self { nodes, zones, first_thru_node, links, fixed, demand, out_start, out_links }
    }

    /// Total demand.
    pub fn total_demand(&self) -> f64 {
        self.demand.iter().sum()
    }

    /// Whether (0-based) node `v` may be passed through.
    pub fn passable(&self, v: usize) -> bool {
        v + 1 >= self.first_thru_node
    }

    /// Cost of link `a` at flow `x`: fft·(1 + b·(x/c)^p) plus its fixed part.
    pub fn cost(&self, a: usize, x: f64) -> f64 {
        let l = &self.links[a];
        let ratio = x.max(0.0) / l.capacity;
        l.free_flow_time * (1.0 + l.b * ratio.powf(l.power)) + self.fixed[a]
    }

    /// d cost / d flow of link `a` at flow `x`.
    pub fn derivative(&self, a: usize, x: f64) -> f64 {
        let l = &self.links[a];
        if l.power == 0.0 || l.b == 0.0 {
            return 0.0;
        }
        let ratio = x.max(0.0) / l.capacity;
        l.free_flow_time * l.b * l.power * ratio.powf(l.power - 1.0) / l.capacity
    }

    /// ∫₀ˣ cost: link `a`'s term of the Beckmann objective.
    pub fn integral(&self, a: usize, x: f64) -> f64 {
        let l = &self.links[a];
        let x = x.max(0.0);
        let ratio = x / l.capacity;
        l.free_flow_time * (x + l.b * l.capacity * ratio.powf(l.power + 1.0) / (l.power + 1.0)) + self.fixed[a] * x
    }
}
