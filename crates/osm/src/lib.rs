//! Reads OpenStreetMap `.osm.pbf` extracts into what tripsmith plans on.
//!
//! [`read_pbf_file`] / [`read_pbf_bytes`] decode the file in parallel (rayon over PBF blobs) and
//! build a POI catalog (nodes, ways and multipolygon/site/building relations whose tags match the
//! [`category`] table; see [`places`] for where ways and relations sit and which objects are
//! merged as one place), one [`RoadGraph`] per [`Profile`] restricted to its largest strongly
//! connected component, and an [`IngestSummary`] (with the extract's country and timezone). [`pbf_writer`] writes small PBF files for
//! fixtures, and [`demo`] generates the demo town that the CLI embeds.

pub mod category;
pub mod demo;
mod error;
mod hours;
mod network;
pub mod pbf_writer;
pub mod places;
pub mod profiles;
mod read;
mod summary;

pub use error::{OsmError, OsmProblem};
pub use hours::{parse_opening_hours, REFERENCE_WEEK_MONDAY};
pub use summary::{IngestSummary, KeyCount, OpeningHoursSummary, ProfileSummary, UnparseableHours};

use category::COUNTED_KEYS;
use network::{build_graph, decimicro, NodeIndex};
use places::{relation_outline, way_outline};
use read::{decode_blocks, BlockData, PoiDraft};
use std::collections::HashMap;
use std::io::{BufReader, Read};
use std::path::Path;
use std::time::Instant;
use tripsmith_model::{LatLon, Poi, Profile, Progress, RoadGraph};

/// What one extract yields.
#[derive(Debug, Clone)]
pub struct Extract {
    /// Every POI, nodes first, in file order.
    pub catalog: Vec<Poi>,
    /// One graph per profile, in the order of [`Profile::ALL`].
    pub graphs: Vec<RoadGraph>,
    /// Counts and timings.
    pub summary: IngestSummary,
}

/// Reads an `.osm.pbf` file from disk.
pub fn read_pbf_file(path: &Path, progress: &dyn Progress) -> Result<Extract, OsmError> {
    let name = path.display().to_string();
    let fail = |problem: OsmProblem| OsmError { file: name.clone(), problem };
    let file = std::fs::File::open(path).map_err(|e| fail(e.into()))?;
    let bytes = file.metadata().map_err(|e| fail(e.into()))?.len();
    read_pbf(&name, BufReader::with_capacity(1 << 20, file), bytes, progress)
}

/// Reads `.osm.pbf` data held in memory; `name` labels it in errors and the summary.
pub fn read_pbf_bytes(name: &str, data: &[u8], progress: &dyn Progress) -> Result<Extract, OsmError> {
    read_pbf(name, data, data.len() as u64, progress)
}

fn read_pbf<R: Read + Send>(name: &str, reader: R, bytes: u64, progress: &dyn Progress) -> Result<Extract, OsmError> {
    let started = Instant::now();
    let fail = |problem: OsmProblem| OsmError { file: name.to_string(), problem };
    let blocks = decode_blocks(reader, bytes, progress).map_err(fail)?;
    let mut summary = IngestSummary { file: name.to_string(), bytes, ..Default::default() };
    let mut node_coords = Vec::new();
    let (mut poi_nodes, mut poi_ways, mut road_ways) = (Vec::new(), Vec::new(), Vec::new());
    let (mut way_refs, mut poi_relations, mut countries) = (Vec::new(), Vec::new(), Vec::new());
    let mut addr_countries: HashMap<String, u64> = HashMap::new();
    let mut key_counts = [(0u64, 0u64); 5];
    for block in blocks {
        let BlockData {
            node_coords: nc,
            poi_nodes: pn,
            poi_ways: pw,
            road_ways: rw,
            way_refs: wr,
            poi_relations: pr,
            countries: c,
            addr_countries: ac,
            ..
        } = block;
        for (code, n) in ac {
            *addr_countries.entry(code).or_default() += n;
        }
        summary.nodes += block.nodes;
        summary.ways += block.ways;
        summary.relations += block.relations;
        for (total, (n, w)) in key_counts.iter_mut().zip(block.key_counts) {
            total.0 += n;
            total.1 += w;
        }
        node_coords.extend(nc);
        poi_nodes.extend(pn);
        poi_ways.extend(pw);
        road_ways.extend(rw);
        way_refs.extend(wr);
        poi_relations.extend(pr);
        countries.extend(c);
    }
    for (key, (nodes, ways)) in COUNTED_KEYS.iter().zip(key_counts) {
        summary.elements_with_key.insert(key.to_string(), KeyCount { nodes, ways });
    }
    progress.update("index nodes", 0, 1);
    let nodes = NodeIndex::new(node_coords);
    progress.update("index nodes", 1, 1);

    let mut catalog: Vec<Poi> =
        poi_nodes.into_iter().map(|(d, lat, lon)| finish_poi(d, decimicro(lat, lon), 0.0)).collect();
    // Outlines of the sights that hold shops (a museum's shop is part of the museum).
    let mut enclosures: Vec<(usize, Vec<Vec<LatLon>>)> = Vec::new();
    let mut push = |catalog: &mut Vec<Poi>, draft, o: places::Outline| {
        let poi = finish_poi(draft, o.centre, o.area_m2);
        if places::holds_shops(&poi) && !o.rings.is_empty() {
            enclosures.push((catalog.len(), o.rings));
        }
        catalog.push(poi);
    };
    for (draft, refs) in poi_ways {
        match way_outline(&refs, &nodes) {
            Some(o) => push(&mut catalog, draft, o),
            None => summary.pois_without_location += 1,
        }
    }
    let refs_by_way: HashMap<i64, &[i64]> = way_refs.iter().map(|(id, refs)| (*id, refs.as_slice())).collect();
    for r in poi_relations {
        match relation_outline(&r.ways, &r.nodes, &refs_by_way, &nodes) {
            Some(o) => {
                push(&mut catalog, r.draft, o);
                summary.relation_pois += 1;
            }
            None => summary.pois_without_location += 1,
        }
    }
    if let Some((country, timezone)) = places::country(&countries, &refs_by_way, &addr_countries) {
        summary.country = Some(country);
        summary.timezone = timezone;
    }
    drop(refs_by_way);
    drop(way_refs);
    summary.merged = places::merge(&mut catalog, &enclosures);
    summarise_catalog(&catalog, &mut summary);

    let mut graphs = Vec::new();
    for (i, profile) in Profile::ALL.into_iter().enumerate() {
        progress.update("build road graphs", i as u64, Profile::ALL.len() as u64);
        let (graph, profile_summary) = build_graph(profile, &road_ways, &nodes).map_err(|e| fail(e.into()))?;
        if graph.num_nodes() == 0 {
            return Err(fail(OsmProblem::NoRoads(profile)));
        }
        summary.profiles.insert(profile.to_string(), profile_summary);
        graphs.push(graph);
    }
    progress.update("build road graphs", 2, 2);
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(Extract { catalog, graphs, summary })
}

fn finish_poi(d: PoiDraft, location: LatLon, area_m2: f64) -> Poi {
    let mut notability = d.notability;
    notability.area_m2 = area_m2;
    Poi {
        osm: d.osm,
        name: d.name,
        name_en: d.name_en,
        names: d.names,
        category: d.category,
        role: d.role,
        meal: d.meal,
        tag: d.tag,
        location,
        cuisine: d.cuisine,
        opening_hours: d.opening_hours,
        fee: d.fee,
        website: d.website,
        wheelchair: d.wheelchair,
        rule_tags: d.rule_tags,
        notability,
        merged: Vec::new(),
        merged_names: Vec::new(),
    }
}

fn summarise_catalog(catalog: &[Poi], summary: &mut IngestSummary) {
    summary.pois = catalog.len();
    for poi in catalog {
        *summary.pois_by_category.entry(poi.category.to_string()).or_default() += 1;
        *summary.pois_by_role.entry(poi.role.as_str().to_string()).or_default() += 1;
        let Some(oh) = &poi.opening_hours else { continue };
        match &oh.error {
            None => summary.opening_hours.parsed += 1,
            Some(reason) => {
                summary.opening_hours.unparseable += 1;
                if summary.opening_hours.unparseable_examples.len() < 20 {
                    summary.opening_hours.unparseable_examples.push(UnparseableHours {
                        osm: poi.osm.to_string(),
                        raw: oh.raw.clone(),
                        reason: reason.clone(),
                    });
                }
            }
        }
    }
}
