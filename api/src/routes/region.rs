//! The loaded region: `GET /v1/region`, `GET /v1/pois`, and OSRM-style `GET /v1/route/...` and
//! `GET /v1/table/...` (coordinates `lon,lat;lon,lat`, seconds and metres, `code: "Ok"`; errors
//! are problem documents that also carry OSRM's `code`).

use crate::pool::SolverPool;
use crate::problem::ApiError;
use crate::routes::input::{PathParams, QueryParams};
use crate::server::Shared;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tripsmith_model::{Category, LatLon, Profile, RoadGraph};
use tripsmith_routing::osrm::{self, GeometryFormat};
use tripsmith_routing::{RoutingError, Snap};

/// Most coordinates in a route request.
pub const MAX_ROUTE_COORDINATES: usize = 25;
/// Most coordinates in a table request (OSRM's default `max-table-size`).
pub const MAX_TABLE_COORDINATES: usize = 100;
/// Largest POI search radius, metres.
pub const MAX_RADIUS_M: f64 = 100_000.0;
/// Most POIs in one answer.
pub const MAX_POIS: usize = 1000;
/// How long a route or table request may wait for a worker.
const ROUTING_WAIT: Duration = Duration::from_secs(10);

/// A routing error as OSRM answers it: `400` with OSRM's `code` and `message` as extra members
/// of the problem document.
fn osrm_error(code: &'static str, detail: impl Into<String>) -> ApiError {
    let detail = detail.into();
    ApiError::new(StatusCode::BAD_REQUEST, "routing", "The routing request cannot be answered", detail.clone())
        .with("code", code)
        .with("message", detail)
}

fn routing_error(e: RoutingError) -> ApiError {
    let code = match e {
        RoutingError::TooFar { .. } => "NoSegment",
        RoutingError::NoRoute { .. } => "NoRoute",
        RoutingError::TooBig { .. } => "TooBig",
        RoutingError::EmptyGraph(_) => "NoSegment",
    };
    osrm_error(code, e.to_string())
}

fn profile(text: &str) -> Result<Profile, ApiError> {
    text.parse::<Profile>().map_err(|e| osrm_error("InvalidUrl", format!("profile: {e}")))
}

/// Parses OSRM coordinates `lon,lat;lon,lat;...` (OSRM's optional `.json` format suffix
/// allowed).
pub fn coordinates(text: &str, max: usize) -> Result<Vec<LatLon>, ApiError> {
    let text = text.strip_suffix(".json").unwrap_or(text);
    let mut points = Vec::new();
    for (i, pair) in text.split(';').enumerate() {
        let bad = |why: &str| osrm_error("InvalidQuery", format!("coordinate {i} ({pair:?}): {why}"));
        let (lon, lat) = pair.split_once(',').ok_or_else(|| bad("expected lon,lat"))?;
        let lon: f64 = lon.trim().parse().map_err(|_| bad("longitude is not a number"))?;
        let lat: f64 = lat.trim().parse().map_err(|_| bad("latitude is not a number"))?;
        if !(lon.is_finite() && (-180.0..=180.0).contains(&lon) && lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
            return Err(bad("out of range (lon −180..180, lat −90..90)"));
        }
        points.push(LatLon { lat, lon });
    }
    if points.len() > max {
        return Err(osrm_error("TooBig", format!("{} coordinates; at most {max} are allowed", points.len())));
    }
    Ok(points)
}

/// Query parameters of `GET /v1/pois`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoiQuery {
    /// Centre, `lat,lon`.
    near: String,
    /// Radius in metres (default 500).
    radius: Option<f64>,
    /// Only this category.
    category: Option<String>,
    /// At most this many (default 50).
    limit: Option<usize>,
}

/// `GET /v1/region`: what the region holds.
pub async fn summary(State(state): State<Shared>) -> Json<Value> {
    let mut body = serde_json::to_value(state.region.summary()).unwrap_or_else(|_| json!({}));
    if let Some(obj) = body.as_object_mut() {
        if let Some(Value::String(file)) = obj.get("file") {
            let name = file_name(file);
            obj.insert("file".into(), name.into());
        }
        obj.insert("name".into(), file_name(state.region.name()).into());
    }
    Json(body)
}

/// A path as the API shows it: the file name alone (the server's folders are nobody's business).
pub(crate) fn file_name(path: &str) -> String {
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_string()
}

/// `GET /v1/pois?near=lat,lon&radius=&category=&limit=`: POIs nearest first.
pub async fn pois(State(state): State<Shared>, QueryParams(q): QueryParams<PoiQuery>) -> Result<Json<Value>, ApiError> {
    let near: LatLon = q.near.parse().map_err(|e| ApiError::invalid_parameter("near", e))?;
    let radius = q.radius.unwrap_or(500.0);
    if !(radius.is_finite() && radius > 0.0 && radius <= MAX_RADIUS_M) {
        return Err(ApiError::invalid_parameter(
            "radius",
            format!("must be between 0 and {MAX_RADIUS_M} metres, got {radius}"),
        ));
    }
    let category = match q.category.as_deref() {
        Some(c) => Some(c.parse::<Category>().map_err(|e| ApiError::invalid_parameter("category", e))?),
        None => None,
    };
    let limit = q.limit.unwrap_or(50);
    if limit > MAX_POIS {
        return Err(ApiError::invalid_parameter("limit", format!("must be at most {MAX_POIS}, got {limit}")));
    }
    let found = state.region.pois_near(near, radius, category);
    let items: Vec<Value> = found
        .iter()
        .take(limit)
        .map(|(p, d)| {
            let mut v = serde_json::to_value(p).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.insert("name_display".into(), p.display_name().into());
                o.insert("distance_m".into(), ((d * 10.0).round() / 10.0).into());
            }
            v
        })
        .collect();
    Ok(Json(json!({"total": found.len(), "pois": items})))
}

/// OSRM's general options that every service takes: the radius of each coordinate (`None`:
/// unlimited) after checking that `bearings` sets none and `generate_hints` is a boolean.
fn general_options(
    n: usize,
    radiuses: Option<&str>,
    bearings: Option<&str>,
    generate_hints: Option<&str>,
) -> Result<Vec<Option<f64>>, ApiError> {
    if let Some(b) = bearings.filter(|b| b.split(';').any(|x| !x.trim().is_empty())) {
        return Err(osrm_error("InvalidOptions", format!("bearings={b}: bearing filters are not available")));
    }
    if let Some(h) = generate_hints.filter(|h| !matches!(*h, "true" | "false")) {
        return Err(osrm_error("InvalidOptions", format!("generate_hints={h}: use true or false")));
    }
    let Some(list) = radiuses else { return Ok(vec![None; n]) };
    let radii: Vec<&str> = list.split(';').collect();
    if radii.len() != n {
        return Err(osrm_error("InvalidOptions", format!("radiuses: {} values for {n} coordinates", radii.len())));
    }
    radii
        .iter()
        .map(|r| match r.trim() {
            "" | "unlimited" => Ok(None),
            x => x.parse::<f64>().ok().filter(|m| m.is_finite() && *m >= 0.0).map(Some).ok_or_else(|| {
                osrm_error("InvalidOptions", format!("radiuses: {x:?} is not a number of metres or unlimited"))
            }),
        })
        .collect()
}

/// OSRM's `NoSegment` for a coordinate farther from every road than its radius.
fn within_radius(index: usize, snap: &Snap, radius: Option<f64>) -> Result<(), ApiError> {
    match radius {
        Some(r) if snap.distance_m > r => Err(osrm_error(
            "NoSegment",
            format!("coordinate {index} is {:.1} m from the nearest road, more than its radius {r} m", snap.distance_m),
        )),
        _ => Ok(()),
    }
}

/// What a route or trip answer asks for, from OSRM's `geometries`, `overview`, `steps` and
/// `annotations`: the geometry format, whether the whole geometry is wanted, the annotations,
/// and whether turn-by-turn steps are.
fn route_shape(
    geometries: Option<&str>,
    overview: Option<&str>,
    steps: Option<&str>,
    annotations: Option<&str>,
) -> Result<(GeometryFormat, bool, osrm::Annotations, bool), ApiError> {
    let format: GeometryFormat = match geometries {
        None => GeometryFormat::default(),
        Some(g) => g.parse().map_err(|e: String| osrm_error("InvalidOptions", e))?,
    };
    let whole = match overview {
        None | Some("full" | "simplified") => true,
        Some("false") => false,
        Some(other) => {
            return Err(osrm_error("InvalidOptions", format!("overview={other}: use full, simplified or false")))
        }
    };
    let steps = match steps {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => return Err(osrm_error("InvalidOptions", format!("steps={other}: use true or false"))),
    };
    let annotations = match annotations {
        None => osrm::Annotations::default(),
        Some(a) => a.parse().map_err(|e: String| osrm_error("InvalidOptions", e))?,
    };
    Ok((format, whole, annotations, steps))
}

/// The answer's shape for routes on `graph`.
fn shape_on(
    (format, overview, annotations, steps): (GeometryFormat, bool, osrm::Annotations, bool),
    graph: &RoadGraph,
) -> osrm::RouteShape<'_> {
    osrm::RouteShape { format, overview, annotations, steps: steps.then_some(graph) }
}

/// Query parameters of `GET /v1/route/...`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteQuery {
    /// `polyline` (default), `polyline6` or `geojson`.
    geometries: Option<String>,
    /// `full` (default), `simplified` (answered as `full`) or `false`.
    overview: Option<String>,
    /// `false` (default), `true` or a number: one route is returned, as OSRM does when it finds
    /// no alternative.
    alternatives: Option<String>,
    /// `true` or `false` (default): turn-by-turn steps with street names and maneuvers.
    steps: Option<String>,
    /// `false` (default), `true` or a list of `duration`, `distance`, `speed`, `weight`: per
    /// piece of each leg's geometry.
    annotations: Option<String>,
    /// OSRM's `continue_straight`: `default` or `false` (routes between waypoints are
    /// independent, so a U-turn at a waypoint is allowed); `true` is refused.
    continue_straight: Option<String>,
    /// OSRM's `radiuses`: per coordinate, the farthest (metres) it may lie from a road, or
    /// `unlimited` (up to the server's snapping limit); `;`-separated.
    radiuses: Option<String>,
    /// OSRM's `bearings`: only empty values (no bearing filter) are accepted.
    bearings: Option<String>,
    /// OSRM's `generate_hints`: accepted; no hints are returned.
    generate_hints: Option<String>,
}

/// `GET /v1/route/{profile}/{lon,lat;lon,lat;...}`: the fastest route through the coordinates in order.
pub async fn route(
    State(state): State<Shared>,
    PathParams((profile_name, coords)): PathParams<(String, String)>,
    QueryParams(q): QueryParams<RouteQuery>,
) -> Result<Json<Value>, ApiError> {
    let profile = profile(&profile_name)?;
    let shape =
        route_shape(q.geometries.as_deref(), q.overview.as_deref(), q.steps.as_deref(), q.annotations.as_deref())?;
    match q.alternatives.as_deref() {
        None | Some("false" | "true") => {}
        Some(n) if n.parse::<u32>().is_ok() => {}
        Some(other) => {
            return Err(osrm_error("InvalidOptions", format!("alternatives={other}: use true, false or a number")))
        }
    }
    if let Some(c) = q.continue_straight.as_deref().filter(|c| !matches!(*c, "default" | "false")) {
        return Err(osrm_error(
            "InvalidOptions",
            format!("continue_straight={c}: routes between waypoints are independent; use default or false"),
        ));
    }
    let points = coordinates(&coords, MAX_ROUTE_COORDINATES)?;
    if points.len() < 2 {
        return Err(osrm_error("InvalidQuery", "a route needs at least two coordinates"));
    }
    let radii =
        general_options(points.len(), q.radiuses.as_deref(), q.bearings.as_deref(), q.generate_hints.as_deref())?;
    let slot = state.pool.slot(Instant::now() + ROUTING_WAIT).await?;
    let region = state.region.clone();
    let legs = SolverPool::run(slot, move || {
        let router = region.router(profile);
        points.windows(2).map(|w| router.route(w[0], w[1])).collect::<Result<Vec<_>, _>>()
    })
    .await?
    .map_err(routing_error)?;
    for (i, leg) in legs.iter().enumerate() {
        within_radius(i, &leg.waypoints[0], radii[i])?;
        within_radius(i + 1, &leg.waypoints[1], radii[i + 1])?;
    }
    let router = state.region.router(profile);
    Ok(Json(osrm::route_response(&legs, &shape_on(shape, router.graph()))))
}

/// Query parameters of `GET /v1/table/...`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableQuery {
    /// Indices of the sources, `;`-separated, or `all`.
    sources: Option<String>,
    /// Indices of the destinations, `;`-separated, or `all`.
    destinations: Option<String>,
    /// `duration`, `distance` or `duration,distance` (default `duration`).
    annotations: Option<String>,
    /// OSRM's `fallback_speed` (metres per second): a pair no road joins gets the straight-line
    /// distance at this speed instead of `null`.
    fallback_speed: Option<String>,
    /// OSRM's `fallback_coordinate`: `input` (default) or `snapped`, the points the straight line
    /// of a fallback joins.
    fallback_coordinate: Option<String>,
    /// OSRM's `scale_factor`: durations are multiplied by it (default 1).
    scale_factor: Option<String>,
    /// OSRM's `radiuses`: per coordinate, the farthest (metres) it may lie from a road, or
    /// `unlimited` (up to the server's snapping limit); `;`-separated.
    radiuses: Option<String>,
    /// OSRM's `bearings`: only empty values (no bearing filter) are accepted.
    bearings: Option<String>,
    /// OSRM's `generate_hints`: accepted; no hints are returned.
    generate_hints: Option<String>,
}

fn indices(text: Option<&str>, n: usize, name: &str) -> Result<Vec<usize>, ApiError> {
    match text {
        None | Some("all") => Ok((0..n).collect()),
        Some(list) => list
            .split(';')
            .map(|s| {
                s.trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|i| *i < n)
                    .ok_or_else(|| osrm_error("InvalidOptions", format!("{name}: {s:?} is not an index below {n}")))
            })
            .collect(),
    }
}

/// `GET /v1/table/{profile}/{coordinates}`: travel times (and distances) between coordinates.
pub async fn table(
    State(state): State<Shared>,
    PathParams((profile_name, coords)): PathParams<(String, String)>,
    QueryParams(q): QueryParams<TableQuery>,
) -> Result<Json<Value>, ApiError> {
    let profile = profile(&profile_name)?;
    let points = coordinates(&coords, MAX_TABLE_COORDINATES)?;
    let radii =
        general_options(points.len(), q.radiuses.as_deref(), q.bearings.as_deref(), q.generate_hints.as_deref())?;
    let sources = indices(q.sources.as_deref(), points.len(), "sources")?;
    let destinations = indices(q.destinations.as_deref(), points.len(), "destinations")?;
    let annotations = q.annotations.as_deref().unwrap_or("duration");
    let (durations, distances) = match annotations {
        "duration" => (true, false),
        "distance" => (false, true),
        "duration,distance" | "distance,duration" => (true, true),
        other => {
            return Err(osrm_error("InvalidOptions", format!("annotations={other}: use duration, distance or both")))
        }
    };
    let positive = |name: &str, value: Option<&str>| -> Result<Option<f64>, ApiError> {
        value
            .map(|v| {
                v.parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x > 0.0)
                    .ok_or_else(|| osrm_error("InvalidOptions", format!("{name}={v}: must be a number greater than 0")))
            })
            .transpose()
    };
    let fallback_speed = positive("fallback_speed", q.fallback_speed.as_deref())?;
    let scale = positive("scale_factor", q.scale_factor.as_deref())?.unwrap_or(1.0);
    let snapped = match q.fallback_coordinate.as_deref() {
        None | Some("input") => false,
        Some("snapped") => true,
        Some(other) => {
            return Err(osrm_error("InvalidOptions", format!("fallback_coordinate={other}: use input or snapped")))
        }
    };
    let from: Vec<LatLon> = sources.iter().map(|i| points[*i]).collect();
    let to: Vec<LatLon> = destinations.iter().map(|i| points[*i]).collect();
    let slot = state.pool.slot(Instant::now() + ROUTING_WAIT).await?;
    let region = state.region.clone();
    let mut table =
        SolverPool::run(slot, move || region.router(profile).table(&from, &to)).await?.map_err(routing_error)?;
    fill_table(&mut table, fallback_speed, snapped, scale);
    for (snap, i) in table.sources.iter().zip(&sources).chain(table.destinations.iter().zip(&destinations)) {
        within_radius(*i, snap, radii[*i])?;
    }
    let mut body = osrm::table_response(&table);
    if let Some(obj) = body.as_object_mut() {
        if !durations {
            obj.remove("durations");
        }
        if !distances {
            obj.remove("distances");
        }
    }
    Ok(Json(body))
}

/// OSRM's table options after the search: a pair no road joins gets the straight line between
/// its input (or `snapped`) points at `fallback_speed` (when given) and that line's length;
/// every duration is multiplied by `scale`.
fn fill_table(table: &mut tripsmith_routing::Table, fallback_speed: Option<f64>, snapped: bool, scale: f64) {
    let point = |s: &Snap| if snapped { s.location } else { s.input };
    for (i, source) in table.sources.iter().enumerate() {
        for (j, destination) in table.destinations.iter().enumerate() {
            let metres = point(source).haversine_m(point(destination));
            if let (None, Some(speed)) = (table.durations_s[i][j], fallback_speed) {
                table.durations_s[i][j] = Some(metres / speed);
                table.distances_m[i][j] = Some(metres);
            }
            if let Some(d) = table.durations_s[i][j].as_mut() {
                *d *= scale;
            }
        }
    }
}

/// Query parameters of `GET /nearest/v1/...`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NearestQuery {
    /// How many nearest road points: only `1` (the default).
    number: Option<String>,
    /// OSRM's `radiuses`: per coordinate, the farthest (metres) it may lie from a road, or
    /// `unlimited` (up to the server's snapping limit); `;`-separated.
    radiuses: Option<String>,
    /// OSRM's `bearings`: only empty values (no bearing filter) are accepted.
    bearings: Option<String>,
    /// OSRM's `generate_hints`: accepted; no hints are returned.
    generate_hints: Option<String>,
}

/// `GET /nearest/v1/{profile}/{lon,lat}` (and `/v1/nearest/...`): the nearest point on a road of
/// the profile, as OSRM's `nearest` answers (`waypoints[{location, distance, name, nodes}]`, the
/// OSM ids of the road segment's ends).
pub async fn nearest(
    State(state): State<Shared>,
    PathParams((profile_name, coords)): PathParams<(String, String)>,
    QueryParams(q): QueryParams<NearestQuery>,
) -> Result<Json<Value>, ApiError> {
    let profile = profile(&profile_name)?;
    if let Some(number) = q.number.as_deref().filter(|n| *n != "1") {
        return Err(osrm_error(
            "InvalidOptions",
            format!("number={number}: only the nearest point (number=1) is answered"),
        ));
    }
    let points = coordinates(&coords, 1)?;
    let point = *points.first().ok_or_else(|| osrm_error("InvalidQuery", "nearest needs one coordinate"))?;
    let router = state.region.router(profile);
    let radii = general_options(1, q.radiuses.as_deref(), q.bearings.as_deref(), q.generate_hints.as_deref())?;
    let snap = router.snap(0, point).map_err(routing_error)?;
    within_radius(0, &snap, radii[0])?;
    let ids = &router.graph().osm_node_ids;
    let nodes: Vec<i64> =
        [snap.segment.a, snap.segment.b].iter().filter_map(|&n| ids.get(n as usize).copied()).collect();
    let mut waypoint = osrm::waypoint(&snap);
    waypoint["name"] = "".into();
    waypoint["nodes"] = nodes.into();
    Ok(Json(json!({"code": "Ok", "waypoints": [waypoint]})))
}

/// Most coordinates in a trip request.
pub const MAX_TRIP_COORDINATES: usize = 25;

/// Query parameters of `GET /trip/v1/...`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TripQuery {
    /// `true` (the default): the trip returns to its first coordinate; `false`: it ends at the
    /// last (with `source=first` and `destination=last`, as OSRM asks).
    roundtrip: Option<String>,
    /// `any` (the default) or `first`: the trip starts at the first coordinate either way.
    source: Option<String>,
    /// `any` (the default) or `last`: a round trip ends where it starts, an open one at the last
    /// coordinate.
    destination: Option<String>,
    /// `polyline` (default), `polyline6` or `geojson`.
    geometries: Option<String>,
    /// `full` (default), `simplified` (answered as `full`) or `false`.
    overview: Option<String>,
    /// `true` or `false` (default): turn-by-turn steps with street names and maneuvers.
    steps: Option<String>,
    /// As for routes: `false`, `true` or a list of `duration`, `distance`, `speed`, `weight`.
    annotations: Option<String>,
    /// OSRM's `radiuses`, as for routes.
    radiuses: Option<String>,
    /// OSRM's `bearings`: only empty values.
    bearings: Option<String>,
    /// OSRM's `generate_hints`: accepted; no hints are returned.
    generate_hints: Option<String>,
}

/// Time the routing search may take for a trip's order.
const TRIP_SEARCH: Duration = Duration::from_millis(300);

/// The fastest order of a trip over `durations` (row-major, n × n) from node 0 through every
/// other node, back to 0 (`open`: ending at node n − 1 instead), found by the routing search
/// and re-checked by the VRP checker; the order lists every node, 0 first.
fn trip_order(durations: Vec<f64>, n: usize, open: bool) -> Result<Vec<usize>, String> {
    use tripsmith_vrp::instance::{Fleet, Instance, Vehicle};
    if n <= 2 {
        return Ok((0..n).collect());
    }
    let mut vehicle = Vehicle::from_depot(0, (0.0, f64::INFINITY), None);
    if open {
        vehicle.end = n - 1;
    }
    let fleet = Fleet::Identical { vehicle, count: Some(1) };
    let windows = vec![vec![(0.0, f64::INFINITY)]; n];
    let mut instance = Instance::single_depot("trip".into(), None, vec![0; n], vec![0.0; n], windows, fleet, durations);
    if open {
        // The last node is the vehicle's end depot, not a client.
        instance.clients = n - 2;
    }
    let settings = tripsmith_vrp::solve::Settings { time_limit: TRIP_SEARCH, seed: 1, max_iterations: 2_000 };
    let solved = tripsmith_vrp::solve::solve(&instance, settings, None, &mut |_, _| {});
    let report = tripsmith_vrp::check::check(&instance, &solved.routes);
    let visited: usize = solved.routes.iter().map(Vec::len).sum();
    if !report.feasible() || visited != instance.clients {
        return Err(format!("the trip's order failed the independent check: {:?}", report.violations));
    }
    let last = open.then_some(n - 1);
    Ok(std::iter::once(0).chain(solved.routes.into_iter().flatten()).chain(last).collect())
}

/// `GET /trip/v1/{profile}/{coordinates}` (and `/v1/trip/...`): OSRM's trip service, a round trip
/// from the first coordinate through all the others in the fastest order found (the routing
/// search, re-checked), or with `roundtrip=false` a trip from the first to the last coordinate
/// through all the others; OSRM's `trips` and `waypoints` (`waypoint_index`: the position in
/// the trip).
pub async fn trip(
    State(state): State<Shared>,
    PathParams((profile_name, coords)): PathParams<(String, String)>,
    QueryParams(q): QueryParams<TripQuery>,
) -> Result<Json<Value>, ApiError> {
    let profile = profile(&profile_name)?;
    let open = match q.roundtrip.as_deref() {
        None | Some("true") => false,
        Some("false") => true,
        Some(r) => return Err(osrm_error("InvalidOptions", format!("roundtrip={r}: use true or false"))),
    };
    for (name, value, allowed) in [("source", &q.source, "first"), ("destination", &q.destination, "last")] {
        match value.as_deref() {
            None | Some("any") if open => {
                return Err(osrm_error(
                    "NotImplemented",
                    format!("roundtrip=false needs source=first and destination=last ({name} is any)"),
                ))
            }
            Some(v) if v != "any" && v != allowed => {
                return Err(osrm_error("InvalidOptions", format!("{name}={v}: use any or {allowed}")))
            }
            _ => {}
        }
    }
    let shape =
        route_shape(q.geometries.as_deref(), q.overview.as_deref(), q.steps.as_deref(), q.annotations.as_deref())?;
    let points = coordinates(&coords, MAX_TRIP_COORDINATES)?;
    if points.len() < 2 {
        return Err(osrm_error("InvalidQuery", "a trip needs at least two coordinates"));
    }
    let radii =
        general_options(points.len(), q.radiuses.as_deref(), q.bearings.as_deref(), q.generate_hints.as_deref())?;
    let slot = state.pool.slot(Instant::now() + ROUTING_WAIT).await?;
    let region = state.region.clone();
    let n = points.len();
    // The order search and the legs' routes run on a solver worker.
    let (order, legs) = SolverPool::run(slot, move || {
        let router = region.router(profile);
        let (durations, _) = router.matrices(&points).map_err(routing_error)?;
        let order = trip_order(durations, n, open).map_err(|e| osrm_error("NoTrips", e))?;
        let back = (!open).then_some(0);
        let stops: Vec<usize> = order.iter().copied().chain(back).collect();
        let legs = stops.windows(2).map(|w| router.route(points[w[0]], points[w[1]])).collect::<Result<Vec<_>, _>>();
        Ok::<_, ApiError>((order, legs.map_err(routing_error)?))
    })
    .await??;
    let snapped = |position: usize| match legs.get(position) {
        Some(leg) => &leg.waypoints[0],
        None => &legs[position - 1].waypoints[1],
    };
    for (position, point) in order.iter().enumerate() {
        within_radius(*point, snapped(position), radii[*point])?;
    }
    let router = state.region.router(profile);
    let route = osrm::route_response(&legs, &shape_on(shape, router.graph()));
    let waypoints: Vec<Value> = (0..n)
        .map(|input| {
            let position = order.iter().position(|&p| p == input).unwrap_or(0);
            let mut w = osrm::waypoint(snapped(position));
            w["waypoint_index"] = position.into();
            w["trips_index"] = 0.into();
            w
        })
        .collect();
    Ok(Json(json!({"code": "Ok", "trips": route["routes"], "waypoints": waypoints})))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tripsmith_routing::snap::Segment;

    fn snap(lat: f64, lon: f64) -> Snap {
        let p = LatLon { lat, lon };
        let segment = Segment { a: 0, b: 1, forward: None, backward: None };
        Snap { input: p, location: LatLon { lat: lat + 0.001, lon }, distance_m: 111.0, segment, fraction: 0.0 }
    }

    #[test]
    fn fallbacks_fill_only_the_pairs_no_road_joins() {
        let (a, b) = (snap(43.70, 7.40), snap(43.71, 7.40));
        let table = || tripsmith_routing::Table {
            durations_s: vec![vec![Some(0.0), None], vec![Some(100.0), Some(0.0)]],
            distances_m: vec![vec![Some(0.0), None], vec![Some(900.0), Some(0.0)]],
            sources: vec![a, b],
            destinations: vec![a, b],
        };
        let mut filled = table();
        fill_table(&mut filled, Some(2.0), false, 1.0);
        let metres = a.input.haversine_m(b.input);
        assert!((filled.distances_m[0][1].unwrap() - metres).abs() < 1e-9);
        assert!((filled.durations_s[0][1].unwrap() - metres / 2.0).abs() < 1e-9);
        assert_eq!(filled.durations_s[1][0], Some(100.0), "a road's time stays");
        let mut scaled = table();
        fill_table(&mut scaled, None, true, 3.0);
        assert_eq!((scaled.durations_s[0][1], scaled.durations_s[1][0]), (None, Some(300.0)));
        assert_eq!(scaled.distances_m[1][0], Some(900.0), "distances are not scaled");
    }
}
