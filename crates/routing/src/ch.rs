//! Contraction hierarchies: preprocessing, point-to-point queries with path unpacking, and
//! bucket-based many-to-many tables.
//!
//! Nodes are contracted in order of a lazily updated priority (edge difference plus contracted
//! neighbours). Contracting `v` adds a shortcut `u → x` for each pair of remaining neighbours
//! unless a witness search (bounded Dijkstra avoiding `v`) finds a path that is no slower.
//! Queries search only upward (towards higher rank) from both ends, with stall-on-demand.
//! Every shortcut remembers its middle node so routes unpack to road nodes.

use crate::search::{Cost, Scratch, Seed, INF};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use tripsmith_model::{Progress, RoadGraph};

/// Settled-node limit of a witness search while choosing the order (cheap estimate).
const ESTIMATE_SETTLE_LIMIT: usize = 60;
/// Settled-node limit of a witness search while contracting.
const CONTRACT_SETTLE_LIMIT: usize = 800;

/// Edges of one direction of the hierarchy in CSR form, each leading to a higher-ranked node.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct UpGraph {
    first: Vec<u32>,
    head: Vec<u32>,
    time: Vec<u32>,
    dist: Vec<u32>,
    /// Middle node of a shortcut, `INF` for an original road edge.
    mid: Vec<u32>,
}

impl UpGraph {
    fn from_lists(lists: Vec<Vec<Arc>>) -> Self {
        let mut g = UpGraph { first: Vec::with_capacity(lists.len() + 1), ..Default::default() };
        g.first.push(0);
        for list in lists {
            for a in list {
                g.head.push(a.node);
                g.time.push(a.cost.time);
                g.dist.push(a.cost.dist);
                g.mid.push(a.mid);
            }
            g.first.push(g.head.len() as u32);
        }
        g
    }

    fn edges(&self, v: u32) -> std::ops::Range<usize> {
        self.first[v as usize] as usize..self.first[v as usize + 1] as usize
    }

    fn cost(&self, e: usize) -> Cost {
        Cost { time: self.time[e], dist: self.dist[e] }
    }

    /// The node whose edge list holds edge `e`.
    fn owner(&self, e: usize) -> u32 {
        (self.first.partition_point(|&f| f as usize <= e) - 1) as u32
    }

    fn find(&self, v: u32, head: u32) -> Option<usize> {
        self.edges(v).find(|&e| self.head[e] == head)
    }
}

/// An arc of the graph being contracted.
#[derive(Debug, Clone, Copy)]
struct Arc {
    node: u32,
    cost: Cost,
    mid: u32,
}

/// Adds the arc, or lowers an existing arc to the same node.
fn add_or_improve(list: &mut Vec<Arc>, arc: Arc) {
    match list.iter_mut().find(|a| a.node == arc.node) {
        Some(a) if arc.cost.time < a.cost.time => *a = arc,
        Some(_) => {}
        None => list.push(arc),
    }
}

/// Which half of the hierarchy a search climbs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// From a source, along road direction.
    Forward,
    /// From a target, against road direction.
    Backward,
}

/// A contraction hierarchy over a [`RoadGraph`] (same node numbering), built once per profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContractionHierarchy {
    rank: Vec<u32>,
    /// `v → w` road-direction edges with `rank[w] > rank[v]`, stored at `v`.
    up: UpGraph,
    /// `w → v` road-direction edges with `rank[w] > rank[v]`, stored at `v` with head `w`.
    down: UpGraph,
}

struct Contractor {
    out: Vec<Vec<Arc>>,
    inc: Vec<Vec<Arc>>,
    contracted: Vec<bool>,
    deleted_neighbours: Vec<u32>,
    witness: Scratch,
}

impl Contractor {
    /// Shortcuts `(u, x, cost)` that contracting `v` needs.
    fn shortcuts(&mut self, v: u32, settle_limit: usize) -> Vec<(u32, u32, Cost)> {
        let mut found = Vec::new();
        let ins = self.inc[v as usize].clone();
        for a in &ins {
            let u = a.node;
            let targets: Vec<(u32, Cost)> =
                self.out[v as usize].iter().filter(|b| b.node != u).map(|b| (b.node, a.cost.plus(b.cost))).collect();
            let Some(limit) = targets.iter().map(|t| t.1.time).max() else { continue };
            self.witness_search(u, v, limit, settle_limit);
            for (x, via) in targets {
                if self.witness.cost_of(x).time > via.time {
                    found.push((u, x, via));
                }
            }
        }
        found
    }

    /// Bounded Dijkstra from `u` that avoids `skip`.
    fn witness_search(&mut self, u: u32, skip: u32, limit: u32, settle_limit: usize) {
        let w = &mut self.witness;
        w.reset();
        w.relax(u, Cost::ZERO, INF);
        let mut settled = 0;
        while let Some((x, c)) = w.pop() {
            settled += 1;
            if c.time > limit || settled > settle_limit {
                break;
            }
            for b in &self.out[x as usize] {
                if b.node != skip {
                    w.relax(b.node, c.plus(b.cost), INF);
                }
            }
        }
    }

    fn priority(&mut self, v: u32) -> i64 {
        let added = self.shortcuts(v, ESTIMATE_SETTLE_LIMIT).len() as i64;
        let removed = (self.out[v as usize].len() + self.inc[v as usize].len()) as i64;
        2 * added - removed + i64::from(self.deleted_neighbours[v as usize])
    }
}

impl ContractionHierarchy {
    /// Contracts every node of `graph`. Reports progress as nodes contracted.
    pub fn build(graph: &RoadGraph, progress: &dyn Progress) -> Self {
        let n = graph.num_nodes();
        let mut c = Contractor {
            out: vec![Vec::new(); n],
            inc: vec![Vec::new(); n],
            contracted: vec![false; n],
            deleted_neighbours: vec![0; n],
            witness: Scratch::new(n),
        };
        for u in 0..n as u32 {
            for e in graph.out_edges(u) {
                let v = graph.head[e];
                if v != u {
                    let cost = Cost { time: graph.duration_ms[e], dist: graph.length_dm[e] };
                    add_or_improve(&mut c.out[u as usize], Arc { node: v, cost, mid: INF });
                    add_or_improve(&mut c.inc[v as usize], Arc { node: u, cost, mid: INF });
                }
            }
        }
        let mut priority: Vec<i64> = (0..n as u32).map(|v| c.priority(v)).collect();
        let mut heap: BinaryHeap<Reverse<(i64, u32)>> =
            (0..n as u32).map(|v| Reverse((priority[v as usize], v))).collect();
        let mut rank = vec![0u32; n];
        let (mut up, mut down) = (vec![Vec::new(); n], vec![Vec::new(); n]);
        let mut next_rank = 0u32;
        while let Some(Reverse((p, v))) = heap.pop() {
            if c.contracted[v as usize] || p != priority[v as usize] {
                continue;
            }
            let fresh = c.priority(v);
            if heap.peek().is_some_and(|Reverse((top, _))| fresh > *top) {
                priority[v as usize] = fresh;
                heap.push(Reverse((fresh, v)));
                continue;
            }
            let shortcuts = c.shortcuts(v, CONTRACT_SETTLE_LIMIT);
            let outs = std::mem::take(&mut c.out[v as usize]);
            let ins = std::mem::take(&mut c.inc[v as usize]);
            for a in &outs {
                c.inc[a.node as usize].retain(|b| b.node != v);
            }
            for a in &ins {
                c.out[a.node as usize].retain(|b| b.node != v);
            }
            for (u, x, cost) in shortcuts {
                add_or_improve(&mut c.out[u as usize], Arc { node: x, cost, mid: v });
                add_or_improve(&mut c.inc[x as usize], Arc { node: u, cost, mid: v });
            }
            c.contracted[v as usize] = true;
            rank[v as usize] = next_rank;
            next_rank += 1;
            let mut neighbours: Vec<u32> = outs.iter().chain(&ins).map(|a| a.node).collect();
            neighbours.sort_unstable();
            neighbours.dedup();
            for &x in &neighbours {
                c.deleted_neighbours[x as usize] += 1;
                priority[x as usize] = c.priority(x);
                heap.push(Reverse((priority[x as usize], x)));
            }
            up[v as usize] = outs;
            down[v as usize] = ins;
            if next_rank.is_multiple_of(1024) {
                progress.update("contract", u64::from(next_rank), n as u64);
            }
        }
        progress.update("contract", n as u64, n as u64);
        Self { rank, up: UpGraph::from_lists(up), down: UpGraph::from_lists(down) }
    }

    /// Number of nodes.
    pub fn num_nodes(&self) -> usize {
        self.rank.len()
    }

    /// Number of edges in the hierarchy (original edges plus shortcuts, both halves).
    pub fn num_edges(&self) -> usize {
        self.up.head.len() + self.down.head.len()
    }

    fn half(&self, dir: Direction) -> (&UpGraph, &UpGraph) {
        match dir {
            Direction::Forward => (&self.up, &self.down),
            Direction::Backward => (&self.down, &self.up),
        }
    }

    /// Upward Dijkstra with stall-on-demand; `visit` sees every settled, unstalled node.
    fn upward(&self, dir: Direction, scratch: &mut Scratch, seeds: &[Seed], mut visit: impl FnMut(u32, Cost)) {
        let (climb, opposite) = self.half(dir);
        scratch.reset();
        for s in seeds {
            scratch.relax(s.node, s.cost, INF);
        }
        while let Some((u, c)) = scratch.pop() {
            let stalled = opposite.edges(u).any(|e| {
                let w = scratch.cost_of(opposite.head[e]);
                w.time != INF && w.time.saturating_add(opposite.time[e]) < c.time
            });
            if stalled {
                continue;
            }
            visit(u, c);
            for e in climb.edges(u) {
                scratch.relax(climb.head[e], c.plus(climb.cost(e)), e as u32);
            }
        }
    }

    /// Cheapest path between seed sets; returns the cost and the road nodes along it
    /// (from a source seed's node to a target seed's node).
    pub fn route(&self, sources: &[Seed], targets: &[Seed]) -> Option<(Cost, Vec<u32>)> {
        let n = self.num_nodes();
        let (mut fwd, mut bwd) = (Scratch::new(n), Scratch::new(n));
        self.upward(Direction::Forward, &mut fwd, sources, |_, _| {});
        let mut best: Option<(Cost, u32)> = None;
        self.upward(Direction::Backward, &mut bwd, targets, |u, cb| {
            if fwd.cost_of(u).time != INF {
                let total = fwd.cost_of(u).plus(cb);
                if best.is_none_or(|(b, _)| total.time < b.time) {
                    best = Some((total, u));
                }
            }
        });
        let (cost, meet) = best?;
        let mut path = self.climb_path(&fwd, Direction::Forward, meet);
        path.reverse();
        let mut nodes = vec![path.first().copied().unwrap_or(meet)];
        let mut prev = nodes[0];
        for &x in path.iter().skip(1) {
            self.unpack(prev, x, &mut nodes);
            prev = x;
        }
        let down_path = self.climb_path(&bwd, Direction::Backward, meet);
        for &x in down_path.iter().skip(1) {
            self.unpack(prev, x, &mut nodes);
            prev = x;
        }
        Some((cost, nodes))
    }

    /// Hierarchy nodes from `meet` back to the seed the search started from, following parents.
    fn climb_path(&self, scratch: &Scratch, dir: Direction, meet: u32) -> Vec<u32> {
        let (climb, _) = self.half(dir);
        let mut path = vec![meet];
        let mut v = meet;
        while scratch.parent[v as usize] != INF {
            v = climb.owner(scratch.parent[v as usize] as usize);
            path.push(v);
        }
        path
    }

    /// Appends the road nodes after `from` up to and including `to` for the hierarchy edge `from → to`.
    fn unpack(&self, from: u32, to: u32, out: &mut Vec<u32>) {
        let mid = if self.rank[from as usize] < self.rank[to as usize] {
            self.up.find(from, to).map(|e| self.up.mid[e])
        } else {
            self.down.find(to, from).map(|e| self.down.mid[e])
        };
        match mid {
            Some(m) if m != INF => {
                self.unpack(from, m, out);
                self.unpack(m, to, out);
            }
            _ => out.push(to),
        }
    }

    /// Costs from every source seed set to every target seed set, row-major
    /// (`result[i * targets.len() + j]`), `None` where unreachable.
    pub fn table(&self, sources: &[Vec<Seed>], targets: &[Vec<Seed>]) -> Vec<Option<Cost>> {
        let n = self.num_nodes();
        let mut entries: Vec<(u32, u32, Cost)> = targets
            .par_iter()
            .enumerate()
            .map_init(
                || Scratch::new(n),
                |scratch, (j, seeds)| {
                    let mut found = Vec::new();
                    self.upward(Direction::Backward, scratch, seeds, |u, c| found.push((u, j as u32, c)));
                    found
                },
            )
            .flatten()
            .collect();
        entries.par_sort_unstable_by_key(|e| (e.0, e.1));
        let mut first = vec![0u32; n + 1];
        for e in &entries {
            first[e.0 as usize + 1] += 1;
        }
        for i in 0..n {
            first[i + 1] += first[i];
        }
        let width = targets.len();
        sources
            .par_iter()
            .map_init(
                || Scratch::new(n),
                |scratch, seeds| {
                    let mut row: Vec<Option<Cost>> = vec![None; width];
                    self.upward(Direction::Forward, scratch, seeds, |u, c| {
                        for &(_, j, cb) in &entries[first[u as usize] as usize..first[u as usize + 1] as usize] {
                            let total = c.plus(cb);
                            let cell = &mut row[j as usize];
                            if cell.is_none_or(|best| total.time < best.time) {
                                *cell = Some(total);
                            }
                        }
                    });
                    row
                },
            )
            .flatten()
            .collect()
    }
}
