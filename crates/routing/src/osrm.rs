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

/// `{"code": "Ok", "routes": [{duration, distance, geometry}], "waypoints": [...]}` with a
/// GeoJSON `LineString` geometry.
pub fn route_response(route: &Route) -> Value {
    json!({
        "code": "Ok",
        "routes": [{
            "duration": round_to(route.duration_s, 1),
            "distance": round_to(route.distance_m, 1),
            "weight": round_to(route.duration_s, 1),
            "weight_name": "duration",
            "geometry": route.geojson(),
        }],
        "waypoints": route.waypoints.iter().map(waypoint).collect::<Vec<_>>(),
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
