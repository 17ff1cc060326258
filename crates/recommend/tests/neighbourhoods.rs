//! The new-neighbourhood evaluation on GETNext-style files made here, and on the NYC files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use tripsmith_model::NoProgress;
use tripsmith_recommend::getnext::{is_getnext, read_getnext};
use tripsmith_recommend::neighbourhoods::run_neighbourhoods;

const HEADER: &str = "user_id,POI_id,POI_catname,latitude,longitude,extra\n";

fn write(dir: &Path, name: &str, rows: &[(&str, &str, &str, f64)]) {
    let mut text = HEADER.to_string();
    for (user, venue, category, lat) in rows {
        writeln!(text, "{user},{venue},{category},{lat},-74.0,x").unwrap();
    }
    std::fs::write(dir.join(name), text).unwrap();
}

/// Neighbourhood A (lat 40.0) and B (lat 40.2, 22 km north). Before: "art" checks in at A's
/// museums; "locals" check in at B's twelve bars. After: "art" visits B's one museum.
fn two_neighbourhoods(dir: &Path) {
    let mut before: Vec<(&str, String, &str, f64)> =
        (0..10).map(|i| ("art", format!("a-museum-{i}"), "Art Museum", 40.0 + 0.001 * i as f64)).collect();
    for i in 0..12 {
        before.push(("locals", format!("b-bar-{i}"), "Bar", 40.2 + 0.001 * i as f64));
    }
    let before: Vec<(&str, &str, &str, f64)> = before.iter().map(|(u, v, c, l)| (*u, v.as_str(), *c, *l)).collect();
    write(dir, "X_val.csv", &before);
    write(dir, "X_test.csv", &[("art", "b-museum", "Museum", 40.205), ("locals", "b-bar-0", "Bar", 40.2)]);
}

#[test]
fn category_transfer_finds_the_museum_popularity_misses() {
    let dir = tempfile::tempdir().unwrap();
    two_neighbourhoods(dir.path());
    assert!(is_getnext(dir.path()));
    let data = read_getnext(dir.path()).unwrap();
    assert_eq!((data.users, data.places.len(), data.before.len(), data.after.len()), (2, 23, 22, 2));
    let report = run_neighbourhoods(&data, 2, &NoProgress);
    // One case: "art" in B (the locals' later bar is one they knew).
    assert_eq!((report.stats.cases, report.stats.mean_candidates, report.stats.mean_targets), (1, 13.0, 1.0));
    let recall = |name: &str| report.models.iter().find(|m| m.name == name).unwrap().summary.recall10.mean;
    assert_eq!(recall("top"), 0.0, "the unvisited museum ranks 13th of 13 by popularity");
    assert_eq!(recall("category-transfer"), 1.0);
    assert_eq!(report.category_vs_top.mean, 1.0);
    assert_eq!(report.models.iter().find(|m| m.name == "bpr-mf").unwrap().seeds, 2);
}

#[test]
fn faulty_files_are_refused_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    assert!(read_getnext(dir.path()).unwrap_err().to_string().contains("no <name>_val.csv"));
    two_neighbourhoods(dir.path());
    let cases = [
        ("user_id,POI_id,latitude,longitude\n1,v,40,-74\n", "line 1: no POI_catname column"),
        ("user_id,POI_id,POI_catname,latitude,longitude\n1,v,Bar,north,-74\n", "line 2: latitude is not a number"),
        ("user_id,POI_id,POI_catname,latitude,longitude\n1,v,Bar,40,-74\n1,,Bar,40,-74\n", "line 3: no POI_id"),
        ("user_id,POI_id,POI_catname,latitude,longitude\n1,v,Bar,95,-74\n", "line 2"),
        ("user_id,POI_id,POI_catname,latitude,longitude\n1,v,Bar,40\n", "line 2"),
    ];
    for (text, expected) in cases {
        std::fs::write(dir.path().join("X_test.csv"), text).unwrap();
        let err = read_getnext(dir.path()).unwrap_err().to_string();
        assert!(err.contains("X_test.csv") && err.contains(expected), "{text:?}: {err}");
    }
}

#[test]
fn the_nyc_files_give_hundreds_of_new_neighbourhood_visits() {
    let nyc =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
            .join("../../../shared/data/checkins/Foursquare_NYC_GETNext");
    let data = read_getnext(&nyc).unwrap();
    assert_eq!((data.users, data.before.len(), data.after.len()), (962, 10_462, 10_944));
    let report = run_neighbourhoods(&data, 1, &NoProgress);
    assert!(report.stats.cases > 300, "{:?}", report.stats);
    assert!(report.stats.trip_places < report.stats.places);
    for m in &report.models {
        let r = m.summary.recall10;
        assert!(r.mean > 0.1 && r.mean < 0.9 && r.ci95 > 0.0, "{}: {r:?}", m.name);
    }
}
