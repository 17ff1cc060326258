//! Shortest-path trees from each origin (Dijkstra; zones below the first through node are
//! never passed through) and all-or-nothing loading.

use crate::network::Network;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

#[derive(Debug, Clone, PartialEq)]
struct Entry(f64, usize);

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        // A min-heap on cost.
        other.0.total_cmp(&self.0).then_with(|| other.1.cmp(&self.1))
    }
}

/// A shortest-path tree: distance and incoming link of each node, and the settling order.
#[derive(Debug, Clone)]
pub struct Tree {
    /// Cost from the origin (`f64::INFINITY`: unreachable).
    pub dist: Vec<f64>,
    /// The link into each node on its shortest path (`usize::MAX`: none).
    pub pred: Vec<usize>,
    /// Nodes in the order they were settled.
    pub order: Vec<usize>,
}

/// Dijkstra with reusable buffers: [`Dijkstra::run`] computes one shortest-path tree.
#[derive(Debug, Clone)]
pub struct Dijkstra {
    heap: BinaryHeap<Entry>,
    /// The last tree computed.
    pub tree: Tree,
}

impl Dijkstra {
    /// Buffers for a network of `nodes` nodes.
    pub fn new(nodes: usize) -> Self {
        Self {
            heap: BinaryHeap::new(),
            tree: Tree { dist: vec![f64::INFINITY; nodes], pred: vec![usize::MAX; nodes], order: Vec::new() },
        }
    }

    /// The tree from `origin` (0-based node) under link costs `costs`.
    pub fn run(&mut self, net: &Network, costs: &[f64], origin: usize) -> &Tree {
        let t = &mut self.tree;
        t.dist.iter_mut().for_each(|d| *d = f64::INFINITY);
        t.pred.iter_mut().for_each(|p| *p = usize::MAX);
        t.order.clear();
        self.heap.clear();
        t.dist[origin] = 0.0;
        self.heap.push(Entry(0.0, origin));
        while let Some(Entry(d, v)) = self.heap.pop() {
            if d > t.dist[v] {
                continue;
            }
            t.order.push(v);
            if v != origin && !net.passable(v) {
                continue;
            }
            for &a in &net.out_links[net.out_start[v]..net.out_start[v + 1]] {
                let w = net.links[a].to - 1;
                let nd = d + costs[a];
                if nd < t.dist[w] {
                    t.dist[w] = nd;
                    t.pred[w] = a;
                    self.heap.push(Entry(nd, w));
                }
            }
        }
        &self.tree
    }
}

/// Loads the demand of `origin` on its tree into `flows` (all or nothing); returns the demand
/// that has no path and Σ demand × shortest cost.
pub fn load_tree(net: &Network, tree: &Tree, origin: usize, flows: &mut [f64], node_load: &mut [f64]) -> (f64, f64) {
    let row = &net.demand[origin * net.zones..(origin + 1) * net.zones];
    let mut lost = 0.0;
    let mut spent = 0.0;
    for &v in &tree.order {
        node_load[v] = 0.0;
    }
    for (d, &q) in row.iter().enumerate() {
        if q <= 0.0 || d == origin {
            continue;
        }
        if tree.dist[d].is_finite() {
            node_load[d] += q;
            spent += q * tree.dist[d];
        } else {
            lost += q;
        }
    }
    for &v in tree.order.iter().rev() {
        let a = tree.pred[v];
        if a == usize::MAX || node_load[v] == 0.0 {
            continue;
        }
        flows[a] += node_load[v];
        node_load[net.links[a].from - 1] += node_load[v];
    }
    (lost, spent)
}

/// All-or-nothing flows under `costs`: (flows, unroutable demand, Σ demand × shortest cost).
pub fn all_or_nothing(net: &Network, costs: &[f64], dijkstra: &mut Dijkstra) -> (Vec<f64>, f64, f64) {
    let mut flows = vec![0.0; net.links.len()];
    let mut node_load = vec![0.0; net.nodes];
    let (mut lost, mut spent) = (0.0, 0.0);
    for o in 0..net.zones {
        if net.demand[o * net.zones..(o + 1) * net.zones].iter().all(|q| *q <= 0.0) {
            continue;
        }
        let tree = dijkstra.run(net, costs, o);
        let (l, s) = load_tree(net, tree, o, &mut flows, &mut node_load);
        lost += l;
        spent += s;
    }
    (flows, lost, spent)
}
