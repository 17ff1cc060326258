//! Snapping coordinates to the nearest routable road segment with an R-tree (`rstar`).

use crate::search::{Cost, Seed};
use rstar::primitives::{GeomWithData, Line};
use rstar::RTree;
use std::collections::HashMap;
use tripsmith_model::{LatLon, RoadGraph, EARTH_RADIUS_M};

/// A road segment between two graph nodes `a < b`, with the edge ids for each direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// Lower node id.
    pub a: u32,
    /// Higher node id.
    pub b: u32,
    /// Edge `a → b`, if travel that way is allowed.
    pub forward: Option<u32>,
    /// Edge `b → a`, if travel that way is allowed.
    pub backward: Option<u32>,
}

/// Where a coordinate lands on the road network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    /// The coordinate asked for.
    pub input: LatLon,
    /// The nearest point on a road.
    pub location: LatLon,
    /// Distance from `input` to `location` in metres.
    pub distance_m: f64,
    /// The segment it lies on.
    pub segment: Segment,
    /// Position along the segment from `a` (0) to `b` (1).
    pub fraction: f64,
}

fn scaled(c: u32, f: f64) -> u32 {
    (f64::from(c) * f).round() as u32
}

impl Snap {
    fn edge_cost(graph: &RoadGraph, e: u32, f: f64) -> Cost {
        Cost { time: scaled(graph.duration_ms[e as usize], f), dist: scaled(graph.length_dm[e as usize], f) }
    }

    /// Graph nodes a trip starting here can reach directly, with the cost of getting there.
    pub fn source_seeds(&self, graph: &RoadGraph) -> Vec<Seed> {
        let s = &self.segment;
        let mut seeds = Vec::with_capacity(2);
        if let Some(e) = s.forward {
            seeds.push(Seed { node: s.b, cost: Self::edge_cost(graph, e, 1.0 - self.fraction) });
        }
        if let Some(e) = s.backward {
            seeds.push(Seed { node: s.a, cost: Self::edge_cost(graph, e, self.fraction) });
        }
        seeds
    }

    /// Graph nodes from which a trip can end here, with the cost of the last piece.
    pub fn target_seeds(&self, graph: &RoadGraph) -> Vec<Seed> {
        let s = &self.segment;
        let mut seeds = Vec::with_capacity(2);
        if let Some(e) = s.forward {
            seeds.push(Seed { node: s.a, cost: Self::edge_cost(graph, e, self.fraction) });
        }
        if let Some(e) = s.backward {
            seeds.push(Seed { node: s.b, cost: Self::edge_cost(graph, e, 1.0 - self.fraction) });
        }
        seeds
    }

    /// The cost of travelling from `self` to `target` without leaving their common segment,
    /// when both lie on the same segment and its direction allows it.
    pub fn direct_cost(&self, target: &Snap, graph: &RoadGraph) -> Option<Cost> {
        if (self.segment.a, self.segment.b) != (target.segment.a, target.segment.b) {
            return None;
        }
        let (from, to) = (self.fraction, target.fraction);
        match (self.segment.forward, self.segment.backward) {
            (Some(e), _) if to >= from => Some(Self::edge_cost(graph, e, to - from)),
            (_, Some(e)) if to <= from => Some(Self::edge_cost(graph, e, from - to)),
            _ => None,
        }
    }
}

/// Local equirectangular projection to metres around the graph's mean latitude.
#[derive(Debug, Clone, Copy)]
struct Projection {
    lat0: f64,
    lon0: f64,
    cos_lat0: f64,
}

impl Projection {
    fn to_xy(self, p: LatLon) -> [f64; 2] {
        let r = EARTH_RADIUS_M.to_radians();
        [(p.lon - self.lon0) * self.cos_lat0 * r, (p.lat - self.lat0) * r]
    }

    fn to_latlon(self, xy: [f64; 2]) -> LatLon {
        let r = EARTH_RADIUS_M.to_radians();
        LatLon { lat: xy[1] / r + self.lat0, lon: xy[0] / (self.cos_lat0 * r) + self.lon0 }
    }
}

/// An R-tree of a road graph's segments.
pub struct SnapIndex {
    tree: RTree<GeomWithData<Line<[f64; 2]>, Segment>>,
    projection: Projection,
}

impl SnapIndex {
    /// Indexes every segment of `graph`.
    pub fn new(graph: &RoadGraph) -> Self {
        let n = graph.num_nodes().max(1) as f64;
        let lat0 = graph.coords.iter().map(|c| c.lat).sum::<f64>() / n;
        let lon0 = graph.coords.iter().map(|c| c.lon).sum::<f64>() / n;
        let projection = Projection { lat0, lon0, cos_lat0: lat0.to_radians().cos().max(1e-6) };
        let mut segments: HashMap<(u32, u32), Segment> = HashMap::new();
        for u in 0..graph.num_nodes() as u32 {
            for e in graph.out_edges(u) {
                let v = graph.head[e];
                if u == v {
                    continue;
                }
                let (a, b) = (u.min(v), u.max(v));
                let seg = segments.entry((a, b)).or_insert(Segment { a, b, forward: None, backward: None });
                let slot = if u == a { &mut seg.forward } else { &mut seg.backward };
                let better = slot.is_none_or(|old| graph.duration_ms[e] < graph.duration_ms[old as usize]);
                if better {
                    *slot = Some(e as u32);
                }
            }
        }
        let mut items: Vec<_> = segments
            .into_values()
            .map(|s| {
                let line = Line::new(
                    projection.to_xy(graph.coords[s.a as usize]),
                    projection.to_xy(graph.coords[s.b as usize]),
                );
                GeomWithData::new(line, s)
            })
            .collect();
        items.sort_by_key(|g| (g.data.a, g.data.b));
        Self { tree: RTree::bulk_load(items), projection }
    }

    /// The nearest point on any segment to `p`, or `None` for an empty graph.
    pub fn snap(&self, p: LatLon) -> Option<Snap> {
        let xy = self.projection.to_xy(p);
        let nearest = self.tree.nearest_neighbor(&xy)?;
        let (from, to) = (nearest.geom().from, nearest.geom().to);
        let (dx, dy) = (to[0] - from[0], to[1] - from[1]);
        let len2 = dx * dx + dy * dy;
        let t =
            if len2 > 0.0 { (((xy[0] - from[0]) * dx + (xy[1] - from[1]) * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
        let location = self.projection.to_latlon([from[0] + t * dx, from[1] + t * dy]);
        Some(Snap { input: p, location, distance_m: p.haversine_m(location), segment: nearest.data, fraction: t })
    }

    /// Number of indexed segments.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// Whether the index has no segments.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }
}
