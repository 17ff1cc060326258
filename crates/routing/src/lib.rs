//! Road routing for tripsmith.
//!
//! A [`Router`] serves one profile's [`RoadGraph`](tripsmith_model::RoadGraph): it snaps
//! coordinates to the nearest road segment ([`SnapIndex`], an `rstar` R-tree), answers
//! point-to-point routes with GeoJSON geometry, and computes many-to-many travel-time/distance
//! tables with a [`ContractionHierarchy`] (bucket algorithm). Plain Dijkstra ([`dijkstra`]) is
//! kept as the reference the hierarchy is tested against.

pub mod ch;
pub mod dijkstra;
pub mod osrm;
mod router;
pub mod search;
pub mod snap;
pub mod steps;

pub use ch::ContractionHierarchy;
pub use router::{Route, Router, RoutingError, Segment, Table, DEFAULT_MAX_SNAP_M, MAX_TABLE_CELLS};
pub use search::{Cost, Scratch, Seed};
pub use snap::{Snap, SnapIndex};
pub use steps::{steps, Step};
