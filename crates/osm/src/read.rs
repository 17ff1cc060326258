//! Parallel decoding of `.osm.pbf` data into POI drafts, road ways and node positions.
//!
//! Blobs are read sequentially and decoded on the rayon pool; each blob yields a [`BlockData`],
//! and the blocks are merged in file order so the result does not depend on thread timing.

use crate::category::{classify, COUNTED_KEYS};
use crate::error::OsmProblem;
use crate::hours::parse_opening_hours;
use crate::profiles::{way_access, WayAccess};
use osmpbf::{BlobDecode, BlobReader};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tripsmith_model::{
    Category, MealVenue, Notability, OpeningHours, OsmRef, OsmType, PlaceRole, Profile, Progress, Street, Wheelchair,
};

/// Header features this reader understands.
const SUPPORTED_FEATURES: [&str; 3] = ["OsmSchema-V0.6", "DenseNodes", "HistoricalInformation"];

/// A POI before its position is known (ways get theirs from their nodes).
#[derive(Debug, Clone)]
pub(crate) struct PoiDraft {
    pub osm: OsmRef,
    pub name: Option<String>,
    pub name_en: Option<String>,
    pub names: BTreeMap<String, String>,
    pub category: Category,
    pub role: PlaceRole,
    pub meal: Option<MealVenue>,
    pub tag: String,
    pub cuisine: Vec<String>,
    pub opening_hours: Option<OpeningHours>,
    pub fee: Option<String>,
    pub website: Option<String>,
    pub wheelchair: Option<Wheelchair>,
    pub rule_tags: BTreeMap<String, String>,
    pub notability: Notability,
}

/// A relation that is a place (a multipolygon, site or building relation with POI tags).
#[derive(Debug, Clone)]
pub(crate) struct RelationDraft {
    pub draft: PoiDraft,
    /// Member ways whose outline it has (`outer` or unlabelled members of a multipolygon, every
    /// way of a site or building relation).
    pub ways: Vec<i64>,
    /// Member nodes (sites may consist of points).
    pub nodes: Vec<i64>,
}

/// A country boundary (`boundary=administrative`, `admin_level=2`) with its ISO code.
#[derive(Debug, Clone)]
pub(crate) struct CountryDraft {
    /// ISO 3166-1 alpha-2 code, upper case.
    pub code: String,
    /// `timezone`, if tagged.
    pub timezone: Option<String>,
    /// Its member ways (to tell how much of it the extract holds).
    pub ways: Vec<i64>,
}

/// A way some profile may route on.
#[derive(Debug, Clone)]
pub(crate) struct RoadWay {
    pub refs: Vec<i64>,
    /// Access per profile, indexed like [`Profile::ALL`].
    pub access: [Option<WayAccess>; 2],
    /// Its name, road number and roundabout flag, for turn-by-turn directions.
    pub street: Street,
}

/// Everything one blob contributes.
#[derive(Debug, Default)]
pub(crate) struct BlockData {
    /// `(id, lat, lon)` of every node, in 1e-7 degrees.
    pub node_coords: Vec<(i64, i32, i32)>,
    /// POI nodes with their position (1e-7 degrees).
    pub poi_nodes: Vec<(PoiDraft, i32, i32)>,
    /// POI ways with their node references.
    pub poi_ways: Vec<(PoiDraft, Vec<i64>)>,
    pub road_ways: Vec<RoadWay>,
    /// Every way's node references (relations take their outlines from them).
    pub way_refs: Vec<(i64, Vec<i64>)>,
    pub poi_relations: Vec<RelationDraft>,
    pub countries: Vec<CountryDraft>,
    /// How many elements carry each `addr:country` value (upper case).
    pub addr_countries: Vec<(String, u64)>,
    pub nodes: u64,
    pub ways: u64,
    pub relations: u64,
    /// Per [`COUNTED_KEYS`] entry: (nodes, ways) carrying the key.
    pub key_counts: [(u64, u64); 5],
}

/// Counts the bytes read through it, for progress.
struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Decodes every blob of `reader` in parallel; returns the per-blob data in file order.
pub(crate) fn decode_blocks<R: Read + Send>(
    reader: R,
    total_bytes: u64,
    progress: &dyn Progress,
) -> Result<Vec<BlockData>, OsmProblem> {
    if total_bytes == 0 {
        return Err(OsmProblem::Empty);
    }
    let count = Arc::new(AtomicU64::new(0));
    let blobs = BlobReader::new(CountingReader { inner: reader, count: Arc::clone(&count) });
    let mut results: Vec<(usize, Result<Option<BlockData>, OsmProblem>)> = blobs
        .enumerate()
        .par_bridge()
        .map(|(index, blob)| {
            let result = match blob {
                Ok(blob) => decode_blob(index, &blob),
                Err(e) if index == 0 => Err(OsmProblem::NotPbf(e.to_string())),
                Err(e) => Err(OsmProblem::Corrupt { block: index, detail: e.to_string() }),
            };
            progress.update("decode", count.load(Ordering::Relaxed).min(total_bytes), total_bytes);
            (index, result)
        })
        .collect();
    if results.is_empty() {
        return Err(OsmProblem::NotPbf(format!("no PBF blocks in {total_bytes} bytes")));
    }
    results.sort_by_key(|(i, _)| *i);
    let mut blocks = Vec::with_capacity(results.len());
    for (_, r) in results {
        if let Some(b) = r? {
            blocks.push(b);
        }
    }
    // A reader that stopped early (truncated length prefix) must not pass for a whole file.
    let read = count.load(Ordering::Relaxed);
    if read < total_bytes {
        return Err(OsmProblem::Corrupt {
            block: blocks.len() + 1,
            detail: format!("file ends inside a block ({read} of {total_bytes} bytes decoded)"),
        });
    }
    Ok(blocks)
}

/// Decodes one blob. A decoder panic (malformed protobuf the library does not check) becomes an error.
fn decode_blob(index: usize, blob: &osmpbf::Blob) -> Result<Option<BlockData>, OsmProblem> {
    let corrupt = |detail: String| {
        if index == 0 {
            OsmProblem::NotPbf(detail)
        } else {
            OsmProblem::Corrupt { block: index, detail }
        }
    };
    let decoded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match blob.decode() {
        Ok(BlobDecode::OsmHeader(header)) => {
            if let Some(f) = header.required_features().iter().find(|f| !SUPPORTED_FEATURES.contains(&f.as_str())) {
                return Err(OsmProblem::UnsupportedFeature(f.clone()));
            }
            Ok(None)
        }
        Ok(BlobDecode::OsmData(_)) if index == 0 => {
            Err(OsmProblem::NotPbf("the first block is not an OSMHeader".into()))
        }
        Ok(BlobDecode::OsmData(block)) => Ok(Some(collect_block(&block))),
        Ok(BlobDecode::Unknown(kind)) if index == 0 => {
            Err(OsmProblem::NotPbf(format!("the first block has type {kind:?}, not OSMHeader")))
        }
        Ok(BlobDecode::Unknown(_)) => Ok(None),
        Err(e) => Err(corrupt(e.to_string())),
    }));
    decoded.unwrap_or_else(|_| Err(corrupt("the PBF decoder failed on malformed data".into())))
}

fn collect_block(block: &osmpbf::PrimitiveBlock) -> BlockData {
    let mut data = BlockData::default();
    let mut tags: Vec<(&str, &str)> = Vec::new();
    let mut refs: Vec<i64> = Vec::new();
    for group in block.groups() {
        for n in group.dense_nodes() {
            tags.clear();
            tags.extend(n.tags());
            data.on_node(n.id(), n.decimicro_lat(), n.decimicro_lon(), &tags);
        }
        for n in group.nodes() {
            tags.clear();
            tags.extend(n.tags());
            data.on_node(n.id(), n.decimicro_lat(), n.decimicro_lon(), &tags);
        }
        for w in group.ways() {
            tags.clear();
            tags.extend(w.tags());
            refs.clear();
            refs.extend(w.refs());
            data.on_way(w.id(), &refs, &tags);
        }
        for r in group.relations() {
            tags.clear();
            tags.extend(r.tags());
            data.on_relation(r.id(), &r, &tags);
        }
    }
    data
}

/// `building` values that say the building is a landmark of its kind.
const LANDMARK_BUILDINGS: [&str; 6] = ["cathedral", "basilica", "castle", "palace", "mosque", "synagogue"];

/// Relation types whose POI tags describe one place.
const PLACE_RELATIONS: [&str; 3] = ["multipolygon", "site", "building"];

fn lookup<'a, 'b>(tags: &'b [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<&'a str> + 'b {
    move |key| tags.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

impl BlockData {
    fn count_keys(&mut self, tags: &[(&str, &str)], is_node: bool) {
        for (i, key) in COUNTED_KEYS.iter().enumerate() {
            if tags.iter().any(|(k, _)| k == key) {
                if is_node {
                    self.key_counts[i].0 += 1;
                } else {
                    self.key_counts[i].1 += 1;
                }
            }
        }
    }

    fn count_country(&mut self, tags: &[(&str, &str)]) {
        let Some(code) = lookup(tags)("addr:country").map(str::trim).filter(|c| c.len() == 2) else { return };
        let code = code.to_ascii_uppercase();
        match self.addr_countries.iter_mut().find(|(c, _)| *c == code) {
            Some((_, n)) => *n += 1,
            None => self.addr_countries.push((code, 1)),
        }
    }

    fn on_node(&mut self, id: i64, lat: i32, lon: i32, tags: &[(&str, &str)]) {
        self.nodes += 1;
        self.node_coords.push((id, lat, lon));
        if tags.is_empty() {
            return;
        }
        self.count_country(tags);
        self.count_keys(tags, true);
        if let Some(draft) = poi_draft(OsmRef { kind: OsmType::Node, id }, tags) {
            self.poi_nodes.push((draft, lat, lon));
        }
    }

    fn on_relation(&mut self, id: i64, relation: &osmpbf::Relation, tags: &[(&str, &str)]) {
        self.relations += 1;
        let get = lookup(tags);
        let members = || relation.members().map(|m| (m.member_type.clone(), m.member_id, m.role().unwrap_or("")));
        if get("boundary") == Some("administrative") && get("admin_level") == Some("2") {
            let code = get("ISO3166-1:alpha2").or_else(|| get("ISO3166-1")).map(str::trim);
            if let Some(code) = code.filter(|c| c.len() == 2) {
                self.countries.push(CountryDraft {
                    code: code.to_ascii_uppercase(),
                    timezone: get("timezone").map(str::to_string),
                    ways: members().filter(|(t, _, _)| *t == osmpbf::RelMemberType::Way).map(|(_, id, _)| id).collect(),
                });
            }
            return;
        }
        if !get("type").is_some_and(|t| PLACE_RELATIONS.contains(&t)) {
            return;
        }
        let Some(draft) = poi_draft(OsmRef { kind: OsmType::Relation, id }, tags) else { return };
        let multipolygon = get("type") == Some("multipolygon");
        let mut ways = Vec::new();
        let mut nodes = Vec::new();
        for (kind, member, role) in members() {
            match kind {
                osmpbf::RelMemberType::Way if !multipolygon || matches!(role, "outer" | "") => ways.push(member),
                osmpbf::RelMemberType::Node => nodes.push(member),
                _ => {}
            }
        }
        self.poi_relations.push(RelationDraft { draft, ways, nodes });
    }

    fn on_way(&mut self, id: i64, refs: &[i64], tags: &[(&str, &str)]) {
        self.ways += 1;
        self.way_refs.push((id, refs.to_vec()));
        self.count_country(tags);
        self.count_keys(tags, false);
        if let Some(draft) = poi_draft(OsmRef { kind: OsmType::Way, id }, tags) {
            self.poi_ways.push((draft, refs.to_vec()));
        }
        let get = lookup(tags);
        let access = Profile::ALL.map(|p| way_access(p, &get));
        if refs.len() >= 2 && access.iter().any(Option::is_some) {
            let text = |key: &str| get(key).map(str::trim).unwrap_or_default().to_string();
            let street = Street {
                name: text("name"),
                reference: text("ref"),
                roundabout: matches!(get("junction"), Some("roundabout" | "circular")),
                kind: text("highway"),
            };
            self.road_ways.push(RoadWay { refs: refs.to_vec(), access, street });
        }
    }
}

fn poi_draft(osm: OsmRef, tags: &[(&str, &str)]) -> Option<PoiDraft> {
    let get = lookup(tags);
    let class = classify(&get)?;
    let text = |key: &str| get(key).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    let names = tags
        .iter()
        .filter_map(|(k, v)| {
            let lang = k.strip_prefix("name:")?;
            let is_language = lang != "en"
                && (2..=7).contains(&lang.len())
                && lang.chars().all(|c| c.is_ascii_alphabetic() || c == '-');
            (is_language && !v.trim().is_empty()).then(|| (lang.to_ascii_lowercase(), v.trim().to_string()))
        })
        .collect();
    let notability = Notability {
        wikidata: text("wikidata"),
        wikipedia: text("wikipedia"),
        heritage: get("heritage").is_some(),
        attraction: class.tag != "tourism=attraction" && get("tourism") == Some("attraction"),
        area_m2: 0.0,
        tags: u16::try_from(tags.len()).unwrap_or(u16::MAX),
        stars: get("stars").and_then(|s| s.trim().trim_end_matches('S').parse::<u8>().ok()),
        brand: text("brand"),
        landmark_building: get("building").filter(|b| LANDMARK_BUILDINGS.contains(b)).map(str::to_string),
    };
    Some(PoiDraft {
        osm,
        name: text("name"),
        name_en: text("name:en"),
        names,
        category: class.category,
        role: class.role,
        meal: class.meal,
        tag: class.tag,
        cuisine: get("cuisine")
            .map(|c| c.split(';').map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()).collect())
            .unwrap_or_default(),
        opening_hours: text("opening_hours").map(|raw| parse_opening_hours(&raw)),
        fee: text("fee").or_else(|| text("charge")),
        website: text("website").or_else(|| text("contact:website")),
        wheelchair: match get("wheelchair") {
            Some("yes" | "designated") => Some(Wheelchair::Yes),
            Some("limited") => Some(Wheelchair::Limited),
            Some("no") => Some(Wheelchair::No),
            _ => None,
        },
        rule_tags: tripsmith_model::RULE_TAGS.iter().filter_map(|k| text(k).map(|v| (k.to_string(), v))).collect(),
        notability,
    })
}
