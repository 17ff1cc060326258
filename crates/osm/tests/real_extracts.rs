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
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("../../../shared/data/osm")
        .join(name)
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

#[test]
fn relations_become_places_and_one_place_is_one_object() {
    use tripsmith_model::{MealVenue, OsmType, PlaceRole};
    let ex = read("monaco-latest-2026.osm.pbf");
    assert_eq!(ex.summary.country.as_deref(), Some("MC"));
    assert_eq!(ex.summary.timezone.as_deref(), Some("Europe/Monaco"));
    assert!(ex.summary.relation_pois >= 5, "{}", ex.summary.relation_pois);
    let find =
        |id: &str| ex.catalog.iter().find(|p| p.osm.to_string() == id || p.merged.iter().any(|m| m.to_string() == id));
    // The Prince's Palace is a multipolygon relation: a sight on the Rock, with its outline's area.
    let palace = find("relation/393226").expect("the Prince's Palace");
    assert_eq!(palace.osm.kind, OsmType::Relation);
    assert_eq!(palace.role, PlaceRole::Sight);
    assert_eq!(palace.name_en.as_deref(), Some("Prince's Palace of Monaco"));
    assert_eq!(palace.names.get("de").map(String::as_str), Some("Fürstenpalast in Monaco"));
    assert!(palace.location.haversine_m(tripsmith_model::LatLon { lat: 43.7314, lon: 7.4199 }) < 150.0);
    assert!(palace.notability.area_m2 > 3000.0, "{}", palace.notability.area_m2);
    assert_eq!(palace.notability.wikidata.as_deref(), Some("Q1164788"));
    // The bike-rental station called "Palais princier" is a service, not the palace.
    let bikes = find("node/6456634692").expect("bike station");
    assert_eq!(bikes.role, PlaceRole::Service);
    // The Prince's car collection is mapped twice (two nodes, names differing by a word): one place.
    let cars = find("node/5405127621").expect("car collection");
    assert_eq!(find("node/10672624925").map(|p| p.osm), Some(cars.osm));
    assert_eq!(cars.notability.wikidata.as_deref(), Some("Q16010845"), "the kept object has the wikidata");
    // The Oceanographic Museum's gift shop lies inside its outline: part of the museum, which
    // keeps its own record.
    let museum = find("node/5931822403").expect("the museum's shop");
    assert_eq!(museum.osm.to_string(), "way/23715051");
    assert_eq!((museum.role, museum.tag.as_str()), (PlaceRole::Sight, "tourism=museum"));
    // The opera house is in the casino's building, 36 m from the casino's node, and the casino's
    // English name says so: one place, the casino, still found by the opera's name.
    let casino = find("node/4416197078").expect("the Opéra de Monaco");
    assert_eq!(casino.osm.to_string(), "node/4416197079");
    assert_eq!(casino.name_en.as_deref(), Some("Monte-Carlo Casino and Opera House"));
    assert_eq!(casino.merged_names, ["Opéra de Monaco"]);
    // No place is merged twice, and no unnamed place is a sight.
    let mut ids: Vec<String> =
        ex.catalog.iter().flat_map(|p| p.merged.iter().chain([&p.osm]).map(|r| r.to_string())).collect();
    let before = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), before);
    assert!(ex.catalog.iter().filter(|p| p.role == PlaceRole::Sight).all(|p| p.is_named()));
    // An ice-cream parlour serves no meals; a restaurant does.
    let ice = find("node/6635182185").expect("Häagen-Dazs");
    assert_eq!((ice.role, ice.meal), (PlaceRole::Service, None));
    assert!(ex.catalog.iter().any(|p| p.meal == Some(MealVenue::Restaurant)));
}

#[test]
fn the_country_is_the_boundary_the_extract_holds() {
    let ex = read("andorra.osm.pbf");
    assert_eq!(ex.summary.country.as_deref(), Some("AD"));
    assert_eq!(ex.summary.timezone.as_deref(), Some("Europe/Andorra"));
    let ex = read("monaco.osm.pbf");
    assert_eq!(ex.summary.country.as_deref(), Some("MC"));
}
