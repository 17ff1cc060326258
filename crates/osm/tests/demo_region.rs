//! The committed demo region must be what the generator produces, and must read back as a
//! believable town.

use std::path::PathBuf;
use tripsmith_model::{Category, NoProgress, Profile};
use tripsmith_osm::{demo::demo_town_pbf, read_pbf_bytes, read_pbf_file};

fn committed() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("../../data-osm/demo-town.osm.pbf")
}

#[test]
fn generator_is_deterministic_and_matches_the_committed_file() {
    let a = demo_town_pbf();
    assert_eq!(a, demo_town_pbf(), "two runs differ");
    let fresh = read_pbf_bytes("generated", &a, &NoProgress).unwrap();
    let file = read_pbf_file(&committed(), &NoProgress).unwrap();
    assert_eq!(fresh.catalog, file.catalog, "data-osm/demo-town.osm.pbf is stale: run `tripsmith demo-region`");
    assert_eq!(fresh.graphs, file.graphs);
}

#[test]
fn demo_town_has_what_the_readme_promises() {
    let town = read_pbf_bytes("demo", &demo_town_pbf(), &NoProgress).unwrap();
    let s = &town.summary;
    assert!(s.pois >= 40, "{} POIs", s.pois);
    let categories: std::collections::BTreeSet<Category> = town.catalog.iter().map(|p| p.category).collect();
    assert!(categories.len() >= 12, "{categories:?}");
    // Street furniture and trees are not POIs.
    assert!(town.catalog.iter().all(|p| p.tag != "amenity=bench" && p.tag != "natural=tree"));
    // Ways become POIs at their centroid.
    let museum = town.catalog.iter().find(|p| p.name.as_deref() == Some("Musée des Beaux-Arts")).unwrap();
    assert_eq!(museum.osm.kind, tripsmith_model::OsmType::Way);
    // One opening_hours value is deliberately unparseable and reported, not dropped.
    assert_eq!(s.opening_hours.unparseable, 1);
    assert_eq!(s.opening_hours.unparseable_examples[0].raw, "sur rendez-vous");
    assert!(s.opening_hours.parsed >= 30);
    // The one-way dead end is outside the car graph but inside the foot graph.
    assert_eq!(s.profiles["car"].dropped_nodes, 1, "{:?}", s.profiles);
    assert_eq!(s.profiles["foot"].dropped_nodes, 0);
    // Cars may not use the pedestrian square or the footpaths, walkers may.
    let car = &town.graphs[Profile::ALL.iter().position(|p| *p == Profile::Car).unwrap()];
    let foot = &town.graphs[Profile::ALL.iter().position(|p| *p == Profile::Foot).unwrap()];
    assert!(foot.num_nodes() > car.num_nodes());
    // One-way streets: the car graph has fewer edges than twice its segments.
    assert!(car.num_edges() < foot.num_edges());
}
