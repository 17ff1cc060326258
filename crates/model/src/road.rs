//! Routable road graphs in compressed sparse row (CSR) form.

use crate::LatLon;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::Range;
use std::str::FromStr;

/// How a traveller moves on the road network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Walking: footways, paths, steps and most streets, both directions.
    Foot,
    /// Driving: roads open to cars, respecting one-way streets and speed limits.
    Car,
}

impl Profile {
    /// Every profile.
    pub const ALL: [Profile; 2] = [Profile::Foot, Profile::Car];

    /// The stable lower-case name (`foot`, `car`).
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Foot => "foot",
            Profile::Car => "car",
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Profile {
    type Err = RoadGraphError;

    /// Accepts `foot`/`walking`/`pedestrian` and `car`/`driving`/`auto` (OSRM and Valhalla names).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "foot" | "walking" | "walk" | "pedestrian" => Ok(Profile::Foot),
            "car" | "driving" | "drive" | "auto" => Ok(Profile::Car),
            _ => Err(RoadGraphError::UnknownProfile(s.to_string())),
        }
    }
}

/// A road graph that cannot be built, or a profile name that is not known.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RoadGraphError {
    /// An edge names a node that does not exist.
    #[error("edge {edge} goes from node {from} to node {to} but the graph has {nodes} nodes")]
    NodeOutOfRange {
        /// Index of the edge in the input list.
        edge: usize,
        /// Its tail.
        from: u32,
        /// Its head.
        to: u32,
        /// Number of nodes.
        nodes: usize,
    },
    /// The coordinate and OSM-id lists differ in length.
    #[error("{coords} coordinates but {ids} OSM node ids")]
    LengthMismatch {
        /// Number of coordinates.
        coords: usize,
        /// Number of ids.
        ids: usize,
    },
    /// An edge names a street that does not exist.
    #[error("edge {edge} is on street {street} but the graph has {streets} streets")]
    StreetOutOfRange {
        /// Index of the edge in the input list.
        edge: usize,
        /// Its street.
        street: u32,
        /// Number of streets.
        streets: usize,
    },
    /// Profile name not recognised.
    #[error("unknown profile {0:?}; use foot or car")]
    UnknownProfile(String),
}

/// One directed road segment to add to a [`RoadGraph`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EdgeInput {
    /// Tail node index.
    pub from: u32,
    /// Head node index.
    pub to: u32,
    /// Travel time in milliseconds.
    pub duration_ms: u32,
    /// Length in decimetres.
    pub length_dm: u32,
    /// Index of its street in the graph's [`RoadGraph::streets`] (0: the unnamed street).
    pub street: u32,
}

/// The street a road edge belongs to, as turn-by-turn directions name it: OSM's `name` and
/// `ref` of its way, and whether the way is a roundabout (`junction=roundabout|circular`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Street {
    /// The way's `name` (empty when it has none).
    pub name: String,
    /// The way's `ref`, a road number such as `M6007` (empty when it has none).
    pub reference: String,
    /// Whether the way is part of a roundabout.
    pub roundabout: bool,
    /// Its `highway` kind (`footway`, `steps`, `residential`...), for directions on unnamed ways.
    pub kind: String,
}

/// A directed road graph for one profile, stored as CSR: the out-edges of node `u` are
/// `first_out[u]..first_out[u+1]`. Durations are integer milliseconds and lengths integer
/// decimetres so that every shortest-path algorithm computes exactly the same sums.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoadGraph {
    /// The profile this graph is routable for.
    pub profile: Profile,
    /// Position of each node.
    pub coords: Vec<LatLon>,
    /// OSM node id of each node.
    pub osm_node_ids: Vec<i64>,
    /// CSR offsets, `len = nodes + 1`.
    pub first_out: Vec<u32>,
    /// Head node of each edge.
    pub head: Vec<u32>,
    /// Travel time of each edge in milliseconds.
    pub duration_ms: Vec<u32>,
    /// Length of each edge in decimetres.
    pub length_dm: Vec<u32>,
    /// The streets edges belong to; entry 0 is the unnamed street.
    pub streets: Vec<Street>,
    /// Index into `streets` of each edge.
    pub edge_street: Vec<u32>,
}

impl RoadGraph {
    /// Builds the CSR form from nodes and a list of directed edges (in any order), with no street
    /// names: every edge's `street` must be 0 (see [`RoadGraph::from_named_edges`]).
    pub fn from_edges(
        profile: Profile,
        coords: Vec<LatLon>,
        osm_node_ids: Vec<i64>,
        edges: Vec<EdgeInput>,
    ) -> Result<Self, RoadGraphError> {
        Self::from_named_edges(profile, coords, osm_node_ids, edges, vec![Street::default()])
    }

    /// Builds the CSR form from nodes, directed edges (in any order) and the `streets` their
    /// `street` indices name (entry 0 the unnamed street).
    pub fn from_named_edges(
        profile: Profile,
        coords: Vec<LatLon>,
        osm_node_ids: Vec<i64>,
        mut edges: Vec<EdgeInput>,
        mut streets: Vec<Street>,
    ) -> Result<Self, RoadGraphError> {
        let n = coords.len();
        if streets.is_empty() {
            streets.push(Street::default());
        }
        if let Some((i, e)) = edges.iter().enumerate().find(|(_, e)| e.street as usize >= streets.len()) {
            return Err(RoadGraphError::StreetOutOfRange { edge: i, street: e.street, streets: streets.len() });
        }
        if osm_node_ids.len() != n {
            return Err(RoadGraphError::LengthMismatch { coords: n, ids: osm_node_ids.len() });
        }
        if let Some((i, e)) = edges.iter().enumerate().find(|(_, e)| e.from as usize >= n || e.to as usize >= n) {
            return Err(RoadGraphError::NodeOutOfRange { edge: i, from: e.from, to: e.to, nodes: n });
        }
        edges.sort_by_key(|e| (e.from, e.to, e.duration_ms));
        let mut first_out = vec![0u32; n + 1];
        for e in &edges {
            first_out[e.from as usize + 1] += 1;
        }
        for i in 0..n {
            first_out[i + 1] += first_out[i];
        }
        Ok(Self {
            profile,
            coords,
            osm_node_ids,
            first_out,
            head: edges.iter().map(|e| e.to).collect(),
            duration_ms: edges.iter().map(|e| e.duration_ms).collect(),
            length_dm: edges.iter().map(|e| e.length_dm).collect(),
            edge_street: edges.iter().map(|e| e.street).collect(),
            streets,
        })
    }

    /// Number of nodes.
    pub fn num_nodes(&self) -> usize {
        self.coords.len()
    }

    /// Number of directed edges.
    pub fn num_edges(&self) -> usize {
        self.head.len()
    }

    /// Indices of the out-edges of node `u`.
    pub fn out_edges(&self, u: u32) -> Range<usize> {
        self.first_out[u as usize] as usize..self.first_out[u as usize + 1] as usize
    }

    /// The street of edge `e` (the unnamed street for an edge out of range).
    pub fn street(&self, e: usize) -> &Street {
        static UNNAMED: Street =
            Street { name: String::new(), reference: String::new(), roundabout: false, kind: String::new() };
        self.edge_street.get(e).and_then(|&i| self.streets.get(i as usize)).unwrap_or(&UNNAMED)
    }

    /// The edge `from → to` with the smallest duration, if any.
    pub fn find_edge(&self, from: u32, to: u32) -> Option<usize> {
        self.out_edges(from).filter(|&e| self.head[e] == to).min_by_key(|&e| self.duration_ms[e])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lat: f64, lon: f64) -> LatLon {
        LatLon { lat, lon }
    }

    #[test]
    fn csr_from_unsorted_edges() {
        let e = |from, to, duration_ms| EdgeInput { from, to, duration_ms, length_dm: 10, street: 0 };
        let g = RoadGraph::from_edges(
            Profile::Car,
            vec![p(0.0, 0.0), p(0.0, 1.0), p(1.0, 0.0)],
            vec![10, 11, 12],
            vec![e(2, 0, 5), e(0, 1, 7), e(0, 2, 3), e(1, 2, 1)],
        )
        .unwrap();
        assert_eq!(g.num_nodes(), 3);
        assert_eq!(g.num_edges(), 4);
        assert_eq!(g.first_out, vec![0, 2, 3, 4]);
        assert_eq!(g.out_edges(0).map(|e| g.head[e]).collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!(g.find_edge(0, 2).map(|e| g.duration_ms[e]), Some(3));
        assert_eq!(g.find_edge(1, 0), None);
        assert_eq!(g.street(0), &Street::default());
    }

    #[test]
    fn edges_keep_their_streets_through_sorting() {
        let quai = Street { name: "Quai Antoine Ier".into(), ..Street::default() };
        let ring = Street { reference: "D6007".into(), roundabout: true, kind: "primary".into(), ..Street::default() };
        let e = |from, to, street| EdgeInput { from, to, duration_ms: 1, length_dm: 1, street };
        let g = RoadGraph::from_named_edges(
            Profile::Car,
            vec![p(0.0, 0.0), p(0.0, 1.0), p(1.0, 0.0)],
            vec![10, 11, 12],
            vec![e(2, 0, 2), e(0, 1, 1), e(1, 2, 0)],
            vec![Street::default(), quai.clone(), ring.clone()],
        )
        .unwrap();
        assert_eq!(g.street(g.find_edge(0, 1).unwrap()), &quai);
        assert_eq!(g.street(g.find_edge(2, 0).unwrap()), &ring);
        assert_eq!(g.street(g.find_edge(1, 2).unwrap()), &Street::default());
        assert_eq!(g.street(99), &Street::default());
    }

    #[test]
    fn rejects_bad_edges_and_profiles() {
        let err = RoadGraph::from_edges(
            Profile::Foot,
            vec![p(0.0, 0.0)],
            vec![1],
            vec![EdgeInput { from: 0, to: 3, duration_ms: 1, length_dm: 1, street: 0 }],
        )
        .unwrap_err();
        assert!(matches!(err, RoadGraphError::NodeOutOfRange { to: 3, .. }));
        let err = RoadGraph::from_edges(
            Profile::Foot,
            vec![p(0.0, 0.0), p(0.0, 1.0)],
            vec![1, 2],
            vec![EdgeInput { from: 0, to: 1, duration_ms: 1, length_dm: 1, street: 1 }],
        )
        .unwrap_err();
        assert!(matches!(err, RoadGraphError::StreetOutOfRange { street: 1, streets: 1, .. }), "{err}");
        assert_eq!("Driving".parse::<Profile>().unwrap(), Profile::Car);
        assert!("boat".parse::<Profile>().is_err());
    }
}
