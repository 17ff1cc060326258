//! Routes and travel-time tables between coordinates for one profile.

use crate::ch::ContractionHierarchy;
use crate::dijkstra;
use crate::search::{Cost, Scratch, Seed};
use crate::snap::{Snap, SnapIndex};
use serde::Serialize;
use tripsmith_model::{LatLon, Profile, Progress, RoadGraph, SeededRng};

/// Default for how far a coordinate may lie from the nearest road of the profile.
pub const DEFAULT_MAX_SNAP_M: f64 = 1000.0;
/// Largest table (sources × destinations) one call computes.
pub const MAX_TABLE_CELLS: usize = 25_000_000;

/// Why a route or table could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RoutingError {
    /// A coordinate is too far from every road of the profile.
    #[error("point {index} ({location}) is {distance_m:.0} m from the nearest {profile} road, more than the {limit_m:.0} m allowed; is it inside the region?")]
    TooFar {
        /// Position of the point in the request.
        index: usize,
        /// The point.
        location: LatLon,
        /// Distance to the nearest road in metres.
        distance_m: f64,
        /// The limit in metres.
        limit_m: f64,
        /// The profile.
        profile: Profile,
    },
    /// No path exists between the two points.
    #[error("no {profile} route from {from} to {to}")]
    NoRoute {
        /// Start.
        from: LatLon,
        /// End.
        to: LatLon,
        /// The profile.
        profile: Profile,
    },
    /// The table would be too large.
    #[error("a {sources} × {destinations} table is too large (at most {MAX_TABLE_CELLS} cells)")]
    TooBig {
        /// Number of sources.
        sources: usize,
        /// Number of destinations.
        destinations: usize,
    },
    /// The graph has no roads.
    #[error("the {0} road graph is empty")]
    EmptyGraph(Profile),
}

/// A route between two coordinates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Route {
    /// Travel time in seconds.
    pub duration_s: f64,
    /// Length in metres.
    pub distance_m: f64,
    /// The path, from the snapped start to the snapped end.
    pub geometry: Vec<LatLon>,
    /// Where the start and the end snapped to.
    #[serde(skip)]
    pub waypoints: [Snap; 2],
    /// Travel time and length of each piece of `geometry` (between consecutive points), in
    /// order; they add up to the route's.
    #[serde(skip)]
    pub segments: Vec<Segment>,
}

/// Travel time and length of one piece of a route, between two consecutive points of its
/// geometry, and the graph edge it lies on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    /// Travel time in seconds.
    pub duration_s: f64,
    /// Length in metres.
    pub distance_m: f64,
    /// The directed edge of the road graph the piece runs along (a part of it for the pieces
    /// at the ends), if known.
    pub edge: Option<u32>,
}

impl Segment {
    fn on(edge: Option<(u32, Cost)>) -> Self {
        let cost = edge.map_or(Cost::ZERO, |(_, c)| c);
        Segment { duration_s: seconds(cost), distance_m: metres(cost), edge: edge.map(|(e, _)| e) }
    }
}

impl Route {
    /// Length of the geometry in metres, measured independently of the graph's edge lengths.
    pub fn geometry_length_m(&self) -> f64 {
        use geo::{Distance, Haversine};
        self.geometry
            .windows(2)
            .map(|w| Haversine.distance(geo::Point::new(w[0].lon, w[0].lat), geo::Point::new(w[1].lon, w[1].lat)))
            .sum()
    }
}

/// A travel-time and distance table, row-major like OSRM's (`None` = unreachable).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Seconds from source `i` to destination `j`.
    pub durations_s: Vec<Vec<Option<f64>>>,
    /// Metres along the fastest path from source `i` to destination `j`.
    pub distances_m: Vec<Vec<Option<f64>>>,
    /// Where each source snapped.
    pub sources: Vec<Snap>,
    /// Where each destination snapped.
    pub destinations: Vec<Snap>,
}

/// Road routing for one profile: the graph, its contraction hierarchy and its snapping index.
pub struct Router {
    graph: RoadGraph,
    ch: ContractionHierarchy,
    index: SnapIndex,
    max_snap_m: f64,
}

fn seconds(c: Cost) -> f64 {
    f64::from(c.time) / 1000.0
}

fn metres(c: Cost) -> f64 {
    f64::from(c.dist) / 10.0
}

impl Router {
    /// Builds the contraction hierarchy and the snapping index for `graph`.
    pub fn new(graph: RoadGraph, progress: &dyn Progress) -> Self {
        let ch = ContractionHierarchy::build(&graph, progress);
        Self::from_parts(graph, ch)
    }

    /// Reassembles a router from a graph and its previously built hierarchy.
    pub fn from_parts(graph: RoadGraph, ch: ContractionHierarchy) -> Self {
        let index = SnapIndex::new(&graph);
        Self { graph, ch, index, max_snap_m: DEFAULT_MAX_SNAP_M }
    }

    /// Sets how far from a road a coordinate may be (metres).
    pub fn with_max_snap_m(mut self, metres: f64) -> Self {
        self.max_snap_m = metres;
        self
    }

    /// The profile routed.
    pub fn profile(&self) -> Profile {
        self.graph.profile
    }

    /// The road graph.
    pub fn graph(&self) -> &RoadGraph {
        &self.graph
    }

    /// The contraction hierarchy.
    pub fn hierarchy(&self) -> &ContractionHierarchy {
        &self.ch
    }

    /// The nearest road position to `p`, whatever its distance.
    pub fn nearest(&self, p: LatLon) -> Option<Snap> {
        self.index.snap(p)
    }

    /// Snaps point number `index` of a request, enforcing the distance limit.
    pub fn snap(&self, index: usize, p: LatLon) -> Result<Snap, RoutingError> {
        let snap = self.index.snap(p).ok_or(RoutingError::EmptyGraph(self.graph.profile))?;
        if snap.distance_m > self.max_snap_m {
            return Err(RoutingError::TooFar {
                index,
                location: p,
                distance_m: snap.distance_m,
                limit_m: self.max_snap_m,
                profile: self.graph.profile,
            });
        }
        Ok(snap)
    }

    /// Up to `n` random points (seeded) inside the graph's bounding box that snap to a road
    /// within the distance limit; fewer when the box is mostly far from roads.
    pub fn random_points(&self, n: usize, seed: u64) -> Vec<LatLon> {
        let coords = &self.graph.coords;
        let (lo_lat, hi_lat) = coords.iter().fold((90f64, -90f64), |(a, b), c| (a.min(c.lat), b.max(c.lat)));
        let (lo_lon, hi_lon) = coords.iter().fold((180f64, -180f64), |(a, b), c| (a.min(c.lon), b.max(c.lon)));
        let mut rng = SeededRng::new(seed);
        let mut points = Vec::with_capacity(n);
        for _ in 0..n.saturating_mul(100).max(1000) {
            if points.len() == n {
                break;
            }
            let p = LatLon {
                lat: lo_lat + rng.next_f64() * (hi_lat - lo_lat),
                lon: lo_lon + rng.next_f64() * (hi_lon - lo_lon),
            };
            if self.snap(0, p).is_ok() {
                points.push(p);
            }
        }
        points
    }

    fn snap_all(&self, points: &[LatLon], offset: usize) -> Result<Vec<Snap>, RoutingError> {
        points.iter().enumerate().map(|(i, p)| self.snap(offset + i, *p)).collect()
    }

    /// The fastest route from `from` to `to`.
    pub fn route(&self, from: LatLon, to: LatLon) -> Result<Route, RoutingError> {
        let (a, b) = (self.snap(0, from)?, self.snap(1, to)?);
        // The cost includes the pieces from `a` to the path's first node and from its last node to `b`.
        let (sources, targets) = (a.source_seeds(&self.graph), b.target_seeds(&self.graph));
        let via_graph = self.ch.route(&sources, &targets);
        let direct = a.direct_cost(&b, &self.graph);
        let (cost, nodes) = match (via_graph, direct) {
            (Some((c, nodes)), Some(d)) if c.time < d.time => (c, nodes),
            (_, Some(d)) => (d, Vec::new()),
            (Some((c, nodes)), None) => (c, nodes),
            (None, None) => return Err(RoutingError::NoRoute { from, to, profile: self.graph.profile }),
        };
        let geometry = std::iter::once(a.location)
            .chain(nodes.iter().map(|&n| self.graph.coords[n as usize]))
            .chain(std::iter::once(b.location))
            .collect();
        let segments = self.segments([&a, &b], [&sources, &targets], &nodes, cost);
        Ok(Route { duration_s: seconds(cost), distance_m: metres(cost), geometry, waypoints: [a, b], segments })
    }

    /// The cost and edge of each piece of a route from the start's `sources` seeds through the
    /// road `nodes` to the end's `targets` seeds (`total` along the common segment of `a` and
    /// `b` when it stays on it): the first piece from the seed at the first node, each edge
    /// between consecutive nodes (the fastest of parallel edges, as the search takes), the last
    /// piece from the seed at the last node.
    fn segments(
        &self,
        [a, b]: [&Snap; 2],
        [sources, targets]: [&[Seed]; 2],
        nodes: &[u32],
        total: Cost,
    ) -> Vec<Segment> {
        let (Some(&first), Some(&last)) = (nodes.first(), nodes.last()) else {
            let s = a.segment;
            let edge = if b.fraction >= a.fraction { s.forward.or(s.backward) } else { s.backward.or(s.forward) };
            return vec![Segment { edge, ..Segment::on(Some((0, total))) }];
        };
        let seed = |seeds: &[Seed], node: u32| seeds.iter().filter(|s| s.node == node).map(|s| s.cost).min();
        // The edge of a snapped segment that runs towards (`to`) or away from a node.
        let end_edge = |snap: &Snap, node: u32, towards: bool| {
            let s = snap.segment;
            if (node == s.b) == towards {
                s.forward
            } else {
                s.backward
            }
        };
        let g = &self.graph;
        let edge = |u: u32, v: u32| {
            g.find_edge(u, v).map(|e| (e as u32, Cost { time: g.duration_ms[e], dist: g.length_dm[e] }))
        };
        std::iter::once(end_edge(a, first, true).zip(seed(sources, first)))
            .chain(nodes.windows(2).map(|w| edge(w[0], w[1])))
            .chain(std::iter::once(end_edge(b, last, false).zip(seed(targets, last))))
            .map(Segment::on)
            .collect()
    }

    /// Seconds and metres (along the fastest path) between every pair of `points`, each
    /// row-major (for routing problems); an error names the first pair no road joins.
    pub fn matrices(&self, points: &[LatLon]) -> Result<(Vec<f64>, Vec<f64>), RoutingError> {
        let table = self.table(points, points)?;
        let n = points.len() * points.len();
        let (mut seconds, mut metres) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for (i, (times, lengths)) in table.durations_s.iter().zip(&table.distances_m).enumerate() {
            for (j, (t, m)) in times.iter().zip(lengths).enumerate() {
                let no_road = || RoutingError::NoRoute { from: points[i], to: points[j], profile: self.profile() };
                seconds.push(t.ok_or_else(no_road)?);
                metres.push(m.ok_or_else(no_road)?);
            }
        }
        Ok((seconds, metres))
    }

    /// Travel times and distances from every source to every destination (contraction hierarchy,
    /// bucket many-to-many).
    pub fn table(&self, sources: &[LatLon], destinations: &[LatLon]) -> Result<Table, RoutingError> {
        self.table_with(sources, destinations, |src, dst| {
            let s: Vec<Vec<Seed>> = src.iter().map(|s| s.source_seeds(&self.graph)).collect();
            let d: Vec<Vec<Seed>> = dst.iter().map(|d| d.target_seeds(&self.graph)).collect();
            self.ch.table(&s, &d)
        })
    }

    /// The same table by one plain Dijkstra search per source: the reference for checking
    /// [`Router::table`], and the baseline in benchmarks.
    pub fn table_by_dijkstra(&self, sources: &[LatLon], destinations: &[LatLon]) -> Result<Table, RoutingError> {
        self.table_with(sources, destinations, |src, dst| {
            let mut scratch = Scratch::new(self.graph.num_nodes());
            let targets: Vec<Vec<Seed>> = dst.iter().map(|d| d.target_seeds(&self.graph)).collect();
            src.iter()
                .flat_map(|s| {
                    dijkstra::search_from(&self.graph, &mut scratch, &s.source_seeds(&self.graph), |_| false);
                    targets.iter().map(|t| dijkstra::best_at_targets(&scratch, t)).collect::<Vec<_>>()
                })
                .collect()
        })
    }

    fn table_with(
        &self,
        sources: &[LatLon],
        destinations: &[LatLon],
        compute: impl FnOnce(&[Snap], &[Snap]) -> Vec<Option<Cost>>,
    ) -> Result<Table, RoutingError> {
        if sources.len().saturating_mul(destinations.len()) > MAX_TABLE_CELLS {
            return Err(RoutingError::TooBig { sources: sources.len(), destinations: destinations.len() });
        }
        let src = self.snap_all(sources, 0)?;
        let dst = self.snap_all(destinations, sources.len())?;
        let costs = compute(&src, &dst);
        let width = dst.len();
        let mut durations_s = Vec::with_capacity(src.len());
        let mut distances_m = Vec::with_capacity(src.len());
        for (i, s) in src.iter().enumerate() {
            let row: Vec<Option<Cost>> = (0..width)
                .map(|j| {
                    let via_graph = costs[i * width + j];
                    match (via_graph, s.direct_cost(&dst[j], &self.graph)) {
                        (Some(g), Some(d)) => Some(if d.time <= g.time { d } else { g }),
                        (g, d) => g.or(d),
                    }
                })
                .collect();
            durations_s.push(row.iter().map(|c| c.map(seconds)).collect());
            distances_m.push(row.iter().map(|c| c.map(metres)).collect());
        }
        Ok(Table { durations_s, distances_m, sources: src, destinations: dst })
    }
}
