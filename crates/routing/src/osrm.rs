//! OSRM-compatible JSON shapes for routes and tables (`code`, `routes`, `durations`, `waypoints`,
//! `[lon, lat]` locations, seconds and metres), shared by the CLI and the REST API.

use crate::steps::Step;
use crate::{Route, Snap, Table};
use serde_json::{json, Value};
use tripsmith_model::{LatLon, Profile, RoadGraph};

/// A snapped point as OSRM writes a waypoint: `{"location": [lon, lat], "distance": metres}`,
/// positions to 6 decimals as OSRM gives them.
pub fn waypoint(s: &Snap) -> Value {
    json!({"location": location(s.location), "distance": round_to(s.distance_m, 1)})
}

fn round_to(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

/// How a route's geometry is written (OSRM's `geometries`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GeometryFormat {
    /// Google's encoded polyline, 5 decimals (OSRM's default).
    #[default]
    Polyline,
    /// Encoded polyline with 6 decimals.
    Polyline6,
    /// A GeoJSON `LineString`, positions `[lon, lat]` to 6 decimals.
    GeoJson,
}

impl std::str::FromStr for GeometryFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "polyline" => Ok(GeometryFormat::Polyline),
            "polyline6" => Ok(GeometryFormat::Polyline6),
            "geojson" => Ok(GeometryFormat::GeoJson),
            _ => Err(format!("geometries={s}: use polyline, polyline6 or geojson")),
        }
    }
}

/// Which per-segment annotations a route carries (OSRM's `annotations`): each is an array per
/// leg with one value for each piece of the leg's geometry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Annotations {
    /// Seconds of each piece.
    pub duration: bool,
    /// Metres of each piece.
    pub distance: bool,
    /// Metres per second of each piece (0 for a piece of no time).
    pub speed: bool,
    /// The routing weight of each piece: its seconds (routes are fastest routes).
    pub weight: bool,
}

impl Annotations {
    /// Every annotation tripsmith has.
    pub const ALL: Annotations = Annotations { duration: true, distance: true, speed: true, weight: true };

    /// Whether any is asked for.
    pub fn any(self) -> bool {
        self.duration || self.distance || self.speed || self.weight
    }
}

impl std::str::FromStr for Annotations {
    type Err = String;

    /// `false`, `true` (every one tripsmith has) or a comma-separated list of `duration`,
    /// `distance`, `speed` and `weight`; OSRM's `nodes` and `datasources` are refused by name.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "false" => return Ok(Annotations::default()),
            "true" => return Ok(Annotations::ALL),
            _ => {}
        }
        let mut out = Annotations::default();
        for name in s.split(',') {
            match name.trim() {
                "duration" => out.duration = true,
                "distance" => out.distance = true,
                "speed" => out.speed = true,
                "weight" => out.weight = true,
                "nodes" | "datasources" => {
                    return Err(format!(
                        "annotations={s}: {name} are not available (duration, distance, speed and weight are)"
                    ))
                }
                _ => {
                    return Err(format!(
                        "annotations={s}: use true, false or a list of duration, distance, speed, weight"
                    ))
                }
            }
        }
        Ok(out)
    }
}

/// The annotation object of one leg (`{"duration": [...], ...}`, only the asked ones).
fn leg_annotation(leg: &Route, asked: Annotations) -> Value {
    let mut out = serde_json::Map::new();
    let values = |f: &dyn Fn(&crate::Segment) -> f64| -> Value {
        leg.segments.iter().map(|s| round_to(f(s), 1)).collect::<Vec<_>>().into()
    };
    if asked.duration {
        out.insert("duration".into(), values(&|s| s.duration_s));
    }
    if asked.distance {
        out.insert("distance".into(), values(&|s| s.distance_m));
    }
    if asked.speed {
        out.insert("speed".into(), values(&|s| if s.duration_s > 0.0 { s.distance_m / s.duration_s } else { 0.0 }));
    }
    if asked.weight {
        out.insert("weight".into(), values(&|s| s.duration_s));
    }
    out.into()
}

/// `points` as an encoded polyline (Google's algorithm, as OSRM writes it): latitude then
/// longitude, each the difference from the previous point at 10^`precision`, zigzag-encoded in
/// 5-bit chunks offset by 63.
pub fn encode_polyline(points: &[LatLon], precision: i32) -> String {
    let factor = 10f64.powi(precision);
    let mut out = String::new();
    let mut previous = (0i64, 0i64);
    for p in points {
        let here = ((p.lat * factor).round() as i64, (p.lon * factor).round() as i64);
        for delta in [here.0 - previous.0, here.1 - previous.1] {
            let mut value = if delta < 0 { !(delta << 1) } else { delta << 1 };
            while value >= 0x20 {
                out.push(char::from((((value & 0x1f) | 0x20) + 63) as u8));
                value >>= 5;
            }
            out.push(char::from((value + 63) as u8));
        }
        previous = here;
    }
    out
}

/// What a route answer carries besides its durations and distances (OSRM's `geometries`,
/// `overview`, `annotations` and `steps`).
#[derive(Debug, Clone, Copy)]
pub struct RouteShape<'a> {
    /// How geometries are written.
    pub format: GeometryFormat,
    /// Whether the route has its whole geometry (`false`: OSRM's `overview=false`).
    pub overview: bool,
    /// The per-piece annotations of each leg.
    pub annotations: Annotations,
    /// The road graph the legs were routed on, when turn-by-turn steps are asked for.
    pub steps: Option<&'a RoadGraph>,
}

impl RouteShape<'_> {
    /// The whole geometry as GeoJSON, nothing else (what `tripsmith route --json` prints).
    pub const GEOJSON: RouteShape<'static> = RouteShape {
        format: GeometryFormat::GeoJson,
        overview: true,
        annotations: Annotations { duration: false, distance: false, speed: false, weight: false },
        steps: None,
    };

    fn geometry(&self, line: &[LatLon]) -> Value {
        match self.format {
            GeometryFormat::Polyline => encode_polyline(line, 5).into(),
            GeometryFormat::Polyline6 => encode_polyline(line, 6).into(),
            GeometryFormat::GeoJson => {
                json!({"type": "LineString", "coordinates": line.iter().map(|p| location(*p)).collect::<Vec<_>>()})
            }
        }
    }
}

/// A position as OSRM writes it, `[lon, lat]` to 6 decimals.
fn location(p: LatLon) -> Value {
    let [lon, lat] = p.to_lon_lat();
    json!([round_to(lon, 6), round_to(lat, 6)])
}

/// One step as OSRM writes it (`maneuver`, `name`, `ref`, `mode`, `intersections`...).
fn step_json(step: &Step, profile: Profile, shape: &RouteShape) -> Value {
    let m = &step.maneuver;
    let mut maneuver = json!({
        "type": m.kind.as_str(),
        "location": location(m.location),
        "bearing_before": m.bearing_before,
        "bearing_after": m.bearing_after,
    });
    if let Some(modifier) = m.modifier {
        maneuver["modifier"] = modifier.as_str().into();
    }
    if let Some(exit) = m.exit {
        maneuver["exit"] = exit.into();
    }
    let x = &step.intersection;
    let mut intersection = json!({"location": location(x.location), "bearings": x.bearings, "entry": x.entry});
    if let Some(i) = x.arrive_by {
        intersection["in"] = i.into();
    }
    if let Some(o) = x.leave_by {
        intersection["out"] = o.into();
    }
    let mut out = json!({
        "maneuver": maneuver,
        "name": step.name,
        "mode": match profile { Profile::Car => "driving", Profile::Foot => "walking" },
        "driving_side": "right",
        "geometry": shape.geometry(&step.geometry),
        "intersections": [intersection],
        "duration": round_to(step.duration_s, 1),
        "distance": round_to(step.distance_m, 1),
        "weight": round_to(step.duration_s, 1),
    });
    if !step.reference.is_empty() {
        out["ref"] = step.reference.clone().into();
    }
    out
}

/// OSRM's leg `summary`: the names of the (up to) two longest named stretches, in route order.
fn summary(steps: &[Step]) -> String {
    let mut named: Vec<(usize, &Step)> = steps.iter().enumerate().filter(|(_, s)| !s.name.is_empty()).collect();
    named.sort_by(|a, b| b.1.distance_m.total_cmp(&a.1.distance_m));
    let mut longest: Vec<(usize, &str)> = Vec::new();
    for (i, s) in named {
        if longest.len() < 2 && longest.iter().all(|(_, n)| *n != s.name) {
            longest.push((i, &s.name));
        }
    }
    longest.sort_unstable();
    longest.iter().map(|(_, n)| *n).collect::<Vec<_>>().join(", ")
}

/// `{"code": "Ok", "routes": [{duration, distance, geometry, legs}], "waypoints": [...]}` for a
/// route through the waypoints of consecutive `legs`, shaped as `shape` asks: the geometry
/// (`null` without overview), each leg's annotations and turn-by-turn steps (OSRM's `steps` and
/// `summary`, empty when not asked for).
pub fn route_response(legs: &[Route], shape: &RouteShape) -> Value {
    let duration: f64 = legs.iter().map(|l| l.duration_s).sum();
    let distance: f64 = legs.iter().map(|l| l.distance_m).sum();
    let mut line: Vec<LatLon> = Vec::new();
    for &p in legs.iter().flat_map(|l| &l.geometry) {
        if line.last() != Some(&p) {
            line.push(p);
        }
    }
    let geometry = if shape.overview { shape.geometry(&line) } else { Value::Null };
    let mut waypoints: Vec<Value> = legs.iter().map(|l| waypoint(&l.waypoints[0])).collect();
    waypoints.extend(legs.last().map(|l| waypoint(&l.waypoints[1])));
    let legs: Vec<Value> = legs
        .iter()
        .map(|l| {
            let (profile, steps) = match shape.steps {
                Some(graph) => (graph.profile, crate::steps::steps(l, graph)),
                None => (Profile::Foot, Vec::new()),
            };
            let mut leg = json!({
                "duration": round_to(l.duration_s, 1),
                "distance": round_to(l.distance_m, 1),
                "weight": round_to(l.duration_s, 1),
                "summary": summary(&steps),
                "steps": steps.iter().map(|s| step_json(s, profile, shape)).collect::<Vec<_>>(),
            });
            if shape.annotations.any() {
                leg["annotation"] = leg_annotation(l, shape.annotations);
            }
            leg
        })
        .collect();
    json!({
        "code": "Ok",
        "routes": [{
            "duration": round_to(duration, 1),
            "distance": round_to(distance, 1),
            "weight": round_to(duration, 1),
            "weight_name": "duration",
            "geometry": geometry,
            "legs": legs,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polylines_match_reference_encodings() {
        // The algorithm's published example.
        let points = [
            LatLon { lat: 38.5, lon: -120.2 },
            LatLon { lat: 40.7, lon: -120.95 },
            LatLon { lat: 43.252, lon: -126.453 },
        ];
        assert_eq!(encode_polyline(&points, 5), "_p~iF~ps|U_ulLnnqC_mqNvxq`@");
        // Monaco at 6 decimals, and signs around zero (encoded by a separate Python script).
        let monaco = [LatLon { lat: 43.7314, lon: 7.4197 }, LatLon { lat: 43.739_211, lon: 7.427_634 }];
        assert_eq!(encode_polyline(&monaco, 6), "o{clrAgrzcMegN{nN");
        let signs = [LatLon { lat: -0.00001, lon: 0.00001 }, LatLon { lat: 0.0, lon: -179.99999 }];
        assert_eq!(encode_polyline(&signs, 5), "@AA~fsia@");
        assert_eq!("polyline6".parse(), Ok(GeometryFormat::Polyline6));
        assert!("wkt".parse::<GeometryFormat>().unwrap_err().contains("polyline, polyline6 or geojson"));
    }

    #[test]
    fn annotations_read_as_osrm_writes_them() {
        assert_eq!("false".parse(), Ok(Annotations::default()));
        assert_eq!("true".parse(), Ok(Annotations::ALL));
        let both: Annotations = "duration,distance".parse().unwrap();
        assert!(both.duration && both.distance && !both.speed && !both.weight);
        assert!("nodes".parse::<Annotations>().unwrap_err().contains("nodes are not available"));
        assert!("duration,colour".parse::<Annotations>().unwrap_err().contains("use true, false or a list"));
    }
}
