//! Points of interest read from OpenStreetMap.

use crate::{Category, LatLon, OpeningHours};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The kind of OSM element a POI came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OsmType {
    /// An OSM node (a point).
    Node,
    /// An OSM way (its position is the centroid of its nodes).
    Way,
}

/// A stable reference to an OSM element, written `node/123` or `way/456`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OsmRef {
    /// Node or way.
    #[serde(rename = "type")]
    pub kind: OsmType,
    /// The OSM id.
    pub id: i64,
}

impl fmt::Display for OsmRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            OsmType::Node => "node",
            OsmType::Way => "way",
        };
        write!(f, "{kind}/{}", self.id)
    }
}

/// Wheelchair accessibility as tagged in OSM (`wheelchair=*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Wheelchair {
    /// Fully accessible.
    Yes,
    /// Partly accessible.
    Limited,
    /// Not accessible.
    No,
}

/// A place a traveller may visit, eat at or sleep in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Poi {
    /// Where it came from in OSM; its stable id.
    pub osm: OsmRef,
    /// `name`, if tagged.
    pub name: Option<String>,
    /// `name:en`, if tagged.
    pub name_en: Option<String>,
    /// The category given by the tag → category table.
    pub category: Category,
    /// The tag that gave the category, as `key=value` (e.g. `tourism=museum`).
    pub tag: String,
    /// Position (a way's centroid).
    pub location: LatLon,
    /// `cuisine` values, split on `;`, lower case.
    pub cuisine: Vec<String>,
    /// `opening_hours`, if tagged.
    pub opening_hours: Option<OpeningHours>,
    /// `fee` or `charge`, raw, if tagged.
    pub fee: Option<String>,
    /// `website` (or `contact:website`), if tagged.
    pub website: Option<String>,
    /// `wheelchair`, if tagged with a known value.
    pub wheelchair: Option<Wheelchair>,
}

impl Poi {
    /// A name to show: `name:en`, else `name`, else the tag and OSM reference.
    pub fn display_name(&self) -> String {
        self.name_en.clone().or_else(|| self.name.clone()).unwrap_or_else(|| format!("{} ({})", self.tag, self.osm))
    }
}
