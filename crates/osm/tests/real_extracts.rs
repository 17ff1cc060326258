//! Ingest of the real extracts in `../shared/data/osm`, checked against an independent tool.
//!
//! The expected numbers were produced once with pyosmium 4.3.2 (libosmium) by
//! `python bench/count_keys.py ../shared/data/osm/FILE` (bench/count_keys.py counts every node
//! and way carrying each key, whatever its value, and the element totals).

use std::collections::BTreeMap;
use std::path::PathBuf;
use tripsmith_model::{NoProgress, Profile};
use tripsmith_osm::{read_pbf_file, Extract, KeyCount};

fn shared_osm(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/osm").join(name)
}

fn read(name: &str) -> Extract {
    read_pbf_file(&shared_osm(name), &NoProgress).unwrap_or_else(|e| panic!("{e}"))
}

fn expected(rows: [(&str, u64, u64); 5]) -> BTreeMap<String, KeyCount> {
    rows.iter().map(|(k, nodes, ways)| (k.to_string(), KeyCount { nodes: *nodes, ways: *ways })).collect()
}

#[test]
fn monaco_2026_counts_match_pyosmium() {
    let ex = read("monaco-latest-2026.osm.pbf");
    // pyosmium: {"nodes": 41361, "ways": 6180, "relations": 346, "elements_with_key": {"tourism":
    // {"nodes": 188, "ways": 17}, "amenity": {"nodes": 1118, "ways": 158}, "leisure": {"nodes": 32,
    // "ways": 171}, "historic": {"nodes": 38, "ways": 3}, "shop": {"nodes": 257, "ways": 3}}}
    assert_eq!((ex.summary.nodes, ex.summary.ways, ex.summary.relations), (41361, 6180, 346));
    assert_eq!(
        ex.summary.elements_with_key,
        expected([
            ("tourism", 188, 17),
            ("amenity", 1118, 158),
            ("leisure", 32, 171),
            ("historic", 38, 3),
            ("shop", 257, 3),
        ])
    );
    // Every element with a shop key is a POI unless its value is excluded (vacant...).
    let shops = ex.catalog.iter().filter(|p| p.tag.starts_with("shop=")).count();
    assert!((250..=260).contains(&shops), "{shops}");
    // The Oceanographic Museum is there, as a way at its centroid.
    let museum = ex
        .catalog
        .iter()
        .find(|p| p.name.as_deref().is_some_and(|n| n.contains("Océanographique")))
        .expect("Musée Océanographique");
    assert!((museum.location.lat - 43.7307).abs() < 0.002 && (museum.location.lon - 7.4253).abs() < 0.002);
}

#[test]
fn andorra_counts_match_pyosmium() {
    let ex = read("andorra.osm.pbf");
    // pyosmium: {"nodes": 69644, "ways": 2725, "relations": 74, "elements_with_key": {"tourism":
    // {"nodes": 96, "ways": 8}, "amenity": {"nodes": 195, "ways": 87}, "leisure": {"nodes": 2,
    // "ways": 36}, "historic": {"nodes": 2, "ways": 2}, "shop": {"nodes": 41, "ways": 5}}}
    assert_eq!((ex.summary.nodes, ex.summary.ways, ex.summary.relations), (69644, 2725, 74));
    assert_eq!(
        ex.summary.elements_with_key,
        expected([("tourism", 96, 8), ("amenity", 195, 87), ("leisure", 2, 36), ("historic", 2, 2), ("shop", 41, 5)])
    );
}

#[test]
fn monaco_2016_counts_match_pyosmium() {
    let ex = read("monaco.osm.pbf");
    // pyosmium: {"nodes": 180118, "ways": 27377, "relations": 212, "elements_with_key": {"tourism":
    // {"nodes": 89, "ways": 20}, "amenity": {"nodes": 422, "ways": 156}, "leisure": {"nodes": 14,
    // "ways": 520}, "historic": {"nodes": 9, "ways": 14}, "shop": {"nodes": 88, "ways": 0}}}
    assert_eq!((ex.summary.nodes, ex.summary.ways, ex.summary.relations), (180118, 27377, 212));
    assert_eq!(
        ex.summary.elements_with_key,
        expected([
            ("tourism", 89, 20),
            ("amenity", 422, 156),
            ("leisure", 14, 520),
            ("historic", 9, 14),
            ("shop", 88, 0),
        ])
    );
}

#[test]
fn road_graphs_are_sane() {
    let ex = read("monaco-latest-2026.osm.pbf");
    for g in &ex.graphs {
        let s = &ex.summary.profiles[g.profile.as_str()];
        assert_eq!((s.nodes, s.edges), (g.num_nodes(), g.num_edges()));
        assert!(g.num_nodes() > 5000, "{} {}", g.profile, g.num_nodes());
        // Nodes lie in Monaco and edges are short street segments with plausible speeds.
        assert!(g.coords.iter().all(|c| (43.5..43.8).contains(&c.lat) && (7.3..7.6).contains(&c.lon)));
        for e in 0..g.num_edges() {
            let metres = f64::from(g.length_dm[e]) / 10.0;
            let seconds = f64::from(g.duration_ms[e]) / 1000.0;
            assert!(metres < 5_000.0, "{metres}");
            if metres > 10.0 {
                let kmh = metres / seconds * 3.6;
                // Lengths are rounded to 0.1 m, hence the 1% margin.
                let limit = if g.profile == Profile::Foot { 5.05 } else { 131.5 };
                assert!((2.0..=limit).contains(&kmh), "{} {kmh} km/h", g.profile);
            }
        }
    }
    let foot = &ex.graphs[0];
    let car = &ex.graphs[1];
    assert_eq!((foot.profile, car.profile), (Profile::Foot, Profile::Car));
    assert!(foot.num_nodes() > car.num_nodes());
}
