//! The ingest summary printed by `tripsmith ingest` (and its `--json` form).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Elements carrying a key, whatever its value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyCount {
    /// Nodes with the key.
    pub nodes: u64,
    /// Ways with the key.
    pub ways: u64,
}

/// Size of one profile's road graph.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileSummary {
    /// Nodes in the largest strongly connected component (the graph kept).
    pub nodes: usize,
    /// Directed edges kept.
    pub edges: usize,
    /// Nodes dropped because they lie outside the largest strongly connected component.
    pub dropped_nodes: usize,
    /// Ways this profile may use.
    pub ways: usize,
}

/// How the `opening_hours` values fared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningHoursSummary {
    /// POIs with a parsed `opening_hours`.
    pub parsed: usize,
    /// POIs whose `opening_hours` could not be parsed (raw value kept).
    pub unparseable: usize,
    /// Up to 20 of the unparseable values, with their POI and the parser's reason.
    pub unparseable_examples: Vec<UnparseableHours>,
}

/// One `opening_hours` value the parser rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnparseableHours {
    /// `node/123` or `way/456`.
    pub osm: String,
    /// The raw value.
    pub raw: String,
    /// The parser's reason.
    pub reason: String,
}

/// What an ingest read and built.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IngestSummary {
    /// The source file.
    pub file: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Wall-clock seconds to decode the file and build the catalog and road graphs.
    pub seconds: f64,
    /// Wall-clock seconds to build the contraction hierarchies (0 until a router is built).
    pub contract_seconds: f64,
    /// Nodes in the file.
    pub nodes: u64,
    /// Ways in the file.
    pub ways: u64,
    /// Relations in the file (multipolygon, site and building relations with POI tags become
    /// POIs; country boundaries give the country).
    pub relations: u64,
    /// The extract's country (ISO 3166-1 alpha-2), from the country boundary most of whose
    /// member ways are in the file: public holidays come from it.
    #[serde(default)]
    pub country: Option<String>,
    /// That boundary's `timezone` (IANA name), when tagged: daylight and local times use it.
    #[serde(default)]
    pub timezone: Option<String>,
    /// For tourism, amenity, leisure, historic and shop: nodes and ways carrying the key.
    pub elements_with_key: BTreeMap<String, KeyCount>,
    /// POIs in the catalog (after merging).
    pub pois: usize,
    /// POIs that were relations.
    #[serde(default)]
    pub relation_pois: usize,
    /// OSM objects merged into another that is the same place (same `wikidata`, or the same
    /// name close by).
    #[serde(default)]
    pub merged: usize,
    /// POIs per role (sight, food, lodging, service).
    #[serde(default)]
    pub pois_by_role: BTreeMap<String, usize>,
    /// POIs per category.
    pub pois_by_category: BTreeMap<String, usize>,
    /// POI ways dropped because none of their nodes is in the file.
    pub pois_without_location: usize,
    /// Opening-hours parsing results.
    pub opening_hours: OpeningHoursSummary,
    /// Road graph size per profile.
    pub profiles: BTreeMap<String, ProfileSummary>,
}
