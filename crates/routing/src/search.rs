//! Dijkstra machinery shared by the reference search and the contraction hierarchy:
//! reusable scratch space and the cost type.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// "Not reached".
pub const INF: u32 = u32::MAX;

/// A cost pair: travel time in milliseconds (minimised) and the length in decimetres along it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cost {
    /// Milliseconds.
    pub time: u32,
    /// Decimetres.
    pub dist: u32,
}

impl Cost {
    /// Nothing travelled.
    pub const ZERO: Cost = Cost { time: 0, dist: 0 };

    /// Both components added, saturating.
    pub fn plus(self, other: Cost) -> Cost {
        Cost { time: self.time.saturating_add(other.time), dist: self.dist.saturating_add(other.dist) }
    }
}

/// A place to start or end a search: a graph node and the cost between it and the query point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seed {
    /// Graph node.
    pub node: u32,
    /// Cost from the query point to the node (sources) or from the node to the point (targets).
    pub cost: Cost,
}

/// Distance labels, parents and a heap, sized for a graph and reset in time proportional to the
/// nodes touched, so one allocation serves many searches.
pub struct Scratch {
    pub(crate) cost: Vec<Cost>,
    /// Edge (or node) through which each node was reached; meaning is up to the search.
    pub(crate) parent: Vec<u32>,
    pub(crate) touched: Vec<u32>,
    pub(crate) heap: BinaryHeap<Reverse<(u32, u32)>>,
}

impl Scratch {
    /// Scratch space for a graph of `n` nodes.
    pub fn new(n: usize) -> Self {
        Self {
            cost: vec![Cost { time: INF, dist: INF }; n],
            parent: vec![INF; n],
            touched: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    /// Forgets the previous search.
    pub fn reset(&mut self) {
        for &v in &self.touched {
            self.cost[v as usize] = Cost { time: INF, dist: INF };
            self.parent[v as usize] = INF;
        }
        self.touched.clear();
        self.heap.clear();
    }

    /// Lowers the label of `v` to `c` (reached via `parent`) if that is better; queues it.
    pub(crate) fn relax(&mut self, v: u32, c: Cost, parent: u32) {
        let slot = &mut self.cost[v as usize];
        if c.time < slot.time {
            if slot.time == INF {
                self.touched.push(v);
            }
            *slot = c;
            self.parent[v as usize] = parent;
            self.heap.push(Reverse((c.time, v)));
        }
    }

    /// Pops the next settled node with its cost, skipping stale heap entries.
    pub(crate) fn pop(&mut self) -> Option<(u32, Cost)> {
        while let Some(Reverse((t, v))) = self.heap.pop() {
            let c = self.cost[v as usize];
            if c.time == t {
                return Some((v, c));
            }
        }
        None
    }

    /// The current label of `v`.
    pub fn cost_of(&self, v: u32) -> Cost {
        self.cost[v as usize]
    }
}
