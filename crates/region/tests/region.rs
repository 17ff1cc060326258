//! Regions from the real Monaco extract and the demo town: caches, POI search, snapping.

use std::path::PathBuf;
use tripsmith_model::{Category, LatLon, NoProgress, Profile, SeededRng};
use tripsmith_region::{CacheError, Region, RegionError};

fn monaco() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("../../../shared/data/osm/monaco-latest-2026.osm.pbf")
}

#[test]
fn cache_round_trip_gives_identical_answers() {
    let region = Region::from_pbf_file(&monaco(), &NoProgress).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("monaco.tripsmith");
    region.save_cache(&path).unwrap();
    let loaded = Region::open(&path, &NoProgress).unwrap();
    assert_eq!(loaded.catalog(), region.catalog());
    assert_eq!(loaded.summary(), region.summary());
    let points: Vec<LatLon> = region.catalog().iter().step_by(60).map(|p| p.location).collect();
    for profile in Profile::ALL {
        let a = region.router(profile).table(&points, &points).unwrap();
        let b = loaded.router(profile).table(&points, &points).unwrap();
        assert_eq!(a.durations_s, b.durations_s);
    }
    // Damaged or foreign caches are clear errors.
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    let err = Region::load_cache(&path).err().expect("corrupt cache accepted");
    assert!(matches!(err, RegionError::Cache(CacheError::Corrupt { .. })), "{err}");
    bytes[16] = 200; // format version
    std::fs::write(&path, &bytes).unwrap();
    let err = Region::load_cache(&path).err().expect("foreign version accepted");
    assert!(err.to_string().contains("version 200"), "{err}");
}

#[test]
fn every_monaco_poi_snaps_close_to_a_footway() {
    let region = Region::from_pbf_file(&monaco(), &NoProgress).unwrap();
    let router = region.router(Profile::Foot);
    let mut distances: Vec<f64> =
        region.catalog().iter().map(|p| router.nearest(p.location).expect("snap").distance_m).collect();
    distances.sort_by(f64::total_cmp);
    let median = distances[distances.len() / 2];
    let p95 = distances[distances.len() * 95 / 100];
    let max = distances[distances.len() - 1];
    assert!(median < 25.0, "median snap {median} m");
    assert!(p95 < 100.0, "95th percentile snap {p95} m");
    // Offshore POIs (buoys, the marine reserve) are the farthest; nothing lies kilometres away.
    assert!(max < 1500.0, "max snap {max} m");
}

#[test]
fn pois_near_equals_a_brute_force_scan() {
    let region = Region::from_pbf_file(&monaco(), &NoProgress).unwrap();
    let mut rng = SeededRng::new(3);
    for _ in 0..50 {
        let center = LatLon { lat: 43.725 + rng.next_f64() * 0.02, lon: 7.41 + rng.next_f64() * 0.025 };
        let radius = 50.0 + rng.next_f64() * 800.0;
        let category = if rng.below(2) == 0 { None } else { Some(Category::ALL[rng.below(Category::ALL.len())]) };
        let found: Vec<_> = region.pois_near(center, radius, category).iter().map(|(p, _)| p.osm).collect();
        let mut expected: Vec<_> = region
            .catalog()
            .iter()
            .filter(|p| category.is_none_or(|c| p.category == c) && p.location.haversine_m(center) <= radius)
            .map(|p| (p.location.haversine_m(center), p.osm))
            .collect();
        expected.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        assert_eq!(found, expected.into_iter().map(|e| e.1).collect::<Vec<_>>());
    }
}

#[test]
fn demo_region_routes_respect_one_way_streets() {
    let region = Region::demo(&NoProgress).unwrap();
    let car = region.router(Profile::Car);
    let foot = region.router(Profile::Foot);
    // Rue de la République (row 2) is one-way eastbound: driving west along it takes a detour,
    // walking does not.
    let west = LatLon { lat: 45.1018, lon: 4.9021 };
    let east = LatLon { lat: 45.1018, lon: 4.9063 };
    let car_east = car.route(west, east).unwrap();
    let car_west = car.route(east, west).unwrap();
    assert!(car_west.distance_m > car_east.distance_m + 150.0, "{} vs {}", car_west.distance_m, car_east.distance_m);
    let foot_east = foot.route(west, east).unwrap();
    let foot_west = foot.route(east, west).unwrap();
    assert!((foot_east.distance_m - foot_west.distance_m).abs() < 1.0);
    // Far outside the town is a clear error.
    let err = car.route(west, LatLon { lat: 46.0, lon: 5.0 }).unwrap_err();
    assert!(err.to_string().contains("nearest car road"), "{err}");
}
