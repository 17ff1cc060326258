//! OSRM-compatible JSON shapes for routes and tables (`code`, `routes`, `durations`, `waypoints`,
//! `[lon, lat]` locations, seconds and metres), shared by the CLI and the REST API.

use crate::{Route, Snap, Table};
use serde_json::{json, Value};

fn waypoint(s: &Snap) -> Value {
    json!({"location": s.location.to_lon_lat(), "distance": round_to(s.distance_m, 1)})
}

fn round_to(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

/// `{"code": "Ok", "routes": [{duration, distance, geometry, legs}], "waypoints": [...]}` for a
/// route through the waypoints of consecutive `legs`, with a GeoJSON `LineString` geometry
/// (`None` with `geometry: false`, OSRM's `overview=false`).
pub fn route_response(legs: &[Route], geometry: bool) -> Value {
    let duration: f64 = legs.iter().map(|l| l.duration_s).sum();
    let distance: f64 = legs.iter().map(|l| l.distance_m).sum();
    let mut line: Vec<[f64; 2]> = Vec::new();
    for p in legs.iter().flat_map(|l| &l.geometry) {
        let c = p.to_lon_lat();
        if line.last() != Some(&c) {
            line.push(c);
        }
    }
    let mut waypoints: Vec<Value> = legs.iter().map(|l| waypoint(&l.waypoints[0])).collect();
    waypoints.extend(legs.last().map(|l| waypoint(&l.waypoints[1])));
    json!({
        "code": "Ok",
        "routes": [{
            "duration": round_to(duration, 1),
            "distance": round_to(distance, 1),
            "weight": round_to(duration, 1),
            "weight_name": "duration",
            "geometry": if geometry { json!({"type": "LineString", "coordinates": line}) } else { Value::Null },
            "legs": legs.iter().map(|l| json!({
                "duration": round_to(l.duration_s, 1),
                "distance": round_to(l.distance_m, 1),
            })).collect::<Vec<_>>(),
        }],
        "waypoints": waypoints,
    })
}

/// `{"code": "Ok", "durations": [[...]], "distances": [[...]], "sources": [...], "destinations": [...]}`,
/// row-major, `null` where unreachable.
pub fn table_response(table: &Table) -> Value {
    let rows = |m: &Vec<Vec<Option<f64>>>| -> Vec<Vec<Option<f64>>> {
        m.iter().map(|r| r.iter().map(|c| c.map(|x| round_to(x, 1))).collect()).collect()
    };
    json!({
        "code": "Ok",
        "durations": rows(&table.durations_s),
        "distances": rows(&table.distances_m),
        "sources": table.sources.iter().map(waypoint).collect::<Vec<_>>(),
        "destinations": table.destinations.iter().map(waypoint).collect::<Vec<_>>(),
    })
}
