//! The REST API end to end: the real binary serves on an ephemeral loopback port with a
//! temporary database; every endpoint is exercised over real HTTP, including the error cases,
//! a `kill -9` and restart, jobs, overload and a graceful shutdown.

use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tripsmith_e2e::{run, store_kind, test_store, Response, Server};

/// A request (TOML scenario) as the JSON document the API takes.
fn request_json(scenario: &str) -> String {
    run(&["check-request", scenario, "--json"]).ok().json()["request"].to_string()
}

const ONE_DAY: &str = r#"{"days": 1, "day_start": "09:00", "day_end": "13:00", "travel": {"modes": ["foot"]}}"#;

fn assert_problem(r: &Response, status: u16, kind: &str) -> Value {
    assert_eq!(r.status, status, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/problem+json"), "{}", r.text());
    let body = r.json();
    assert_eq!(body["type"], format!("urn:tripsmith:problem:{kind}"), "{body}");
    assert_eq!(body["status"], status);
    assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()), "{body}");
    body
}

fn poll_job(server: &Server, location: &str, until: impl Fn(&Value) -> bool) -> Value {
    let started = Instant::now();
    loop {
        let r = server.get(location);
        assert_eq!(r.status, 200, "{}", r.text());
        let job = r.json();
        let progress = job["progress"].as_f64().unwrap_or(-1.0);
        assert!((0.0..=1.0).contains(&progress), "{job}");
        if until(&job) {
            return job;
        }
        assert!(started.elapsed() < Duration::from_secs(240), "job never got there: {job}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn plans_reports_region_and_errors_survive_a_kill() {
    let dir = tempfile::tempdir().unwrap();
    let db = test_store(dir.path(), "plans");
    let server = Server::start(&db, &["--body-limit", "4096"]);

    // Operations.
    let r = server.request("GET", "/healthz", &[("x-request-id", "test-123")], b"");
    assert_eq!((r.status, r.header("x-request-id")), (200, Some("test-123")));
    let r = server.get("/readyz");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "ready");
    assert!(r.header("x-request-id").is_some_and(|id| id.starts_with("rq_")));
    let docs = server.get("/docs");
    assert!(docs.status == 200 && docs.header("content-type").is_some_and(|c| c.starts_with("text/html")));
    assert!(
        docs.text().contains("/openapi.json") && !docs.text().contains("https://"),
        "the docs page is self-contained"
    );
    let committed: Value = serde_json::from_str(
        &std::fs::read_to_string(tripsmith_e2e::workspace_root().join("api/openapi.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(server.get("/openapi.json").json(), committed, "the served document is the committed one");
    let region = server.get("/v1/region").json();
    assert_eq!(region["name"], "demo-town (embedded)");

    // A feasible plan: 201, Location, checked, stored, with reports.
    let r = server.post_json("/v1/plans?deadline=30", ONE_DAY);
    assert_eq!(r.status, 201, "{}", r.text());
    let plan = r.json();
    let id = plan["id"].as_str().unwrap().to_string();
    assert_eq!(r.header("location"), Some(format!("/v1/plans/{id}").as_str()));
    assert!(plan["status"] == "feasible" || plan["status"] == "timeout", "{plan}");
    assert!(!plan["plan"]["days"][0]["stops"].as_array().unwrap().is_empty(), "{plan}");
    assert_eq!(plan["checker"]["violations"], json!([]));
    assert_eq!(plan["request"]["days"], 1);
    assert_eq!(server.get(&format!("/v1/plans/{id}")).json(), plan);
    let md = server.request("GET", &format!("/v1/plans/{id}/report"), &[("accept", "text/markdown")], b"");
    assert_eq!(md.status, 200);
    assert!(md.header("content-type").is_some_and(|c| c.starts_with("text/markdown")));
    assert!(md.text().starts_with("# "), "{}", md.text());
    let html = server.request("GET", &format!("/v1/plans/{id}/report"), &[("accept", "text/html,*/*;q=0.8")], b"");
    assert!(html.header("content-type").is_some_and(|c| c.starts_with("text/html")));
    assert!(html.text().contains("<svg"), "the HTML report draws the day");
    let md = server.get(&format!("/v1/plans/{id}/report?format=markdown"));
    assert!(md.header("content-type").is_some_and(|c| c.starts_with("text/markdown")));
    let r = server.request("GET", &format!("/v1/plans/{id}/report"), &[("accept", "application/xml")], b"");
    assert_problem(&r, 406, "not-acceptable");
    // The itinerary for maps: one point per stop, in [lon, lat] order, the same as the plan's.
    let map = server.request("GET", &format!("/v1/plans/{id}/report"), &[("accept", "application/geo+json")], b"");
    assert_eq!(map.status, 200, "{}", map.text());
    assert_eq!(map.header("content-type"), Some("application/geo+json"));
    let map = map.json();
    assert_eq!(map["type"], "FeatureCollection");
    let points: Vec<&Value> =
        map["features"].as_array().unwrap().iter().filter(|f| f["properties"]["kind"] == "stop").collect();
    let stops = plan["plan"]["days"][0]["stops"].as_array().unwrap();
    assert_eq!(points.len(), stops.len(), "{map}");
    for (point, stop) in points.iter().zip(stops) {
        assert_eq!(point["properties"]["name"], stop["name"]);
        assert_eq!(point["geometry"]["coordinates"], json!([stop["location"]["lon"], stop["location"]["lat"]]));
    }
    assert_eq!(server.get(&format!("/v1/plans/{id}/report?format=geojson")).json(), map);
    let gpx = server.request("GET", &format!("/v1/plans/{id}/report"), &[("accept", "application/gpx+xml")], b"");
    assert_eq!(gpx.header("content-type"), Some("application/gpx+xml"));
    let gpx = gpx.text();
    let lodging = usize::from(!plan["plan"]["lodging_name"].is_null());
    assert!(gpx.starts_with("<?xml") && gpx.matches("<wpt ").count() == stops.len() + lodging, "{gpx}");
    // This trip has no dates, so no calendar: said, not an empty file.
    let ics = server.get(&format!("/v1/plans/{id}/report?format=ics"));
    let problem = assert_problem(&ics, 404, "not-found");
    assert!(problem["detail"].as_str().unwrap().contains("start_date"), "{problem}");
    let r = server.get(&format!("/v1/plans/{id}/report?format=kml"));
    assert_eq!(r.status, 400, "{}", r.text());

    // An impossible trip: 422 with the minimal core, its explanation and verified repairs.
    // The longest deadline: the answer comes as soon as the core and its repairs are verified.
    let r = server.post_json("/v1/plans?deadline=120", &request_json("constraints/demo-late-start.toml"));
    let problem = assert_problem(&r, 422, "infeasible");
    let core = problem["core"].as_array().unwrap();
    assert_eq!(core.len(), 2, "{problem}");
    assert!(core.contains(&json!("day[1].start")), "{problem}");
    assert_eq!(problem["explanation"][0]["constraint"], "day 1 starts at 17:30");
    let repair = &problem["repairs"][0];
    assert!(repair["changes"][0]["change"].as_str().unwrap().starts_with("start day 1 at "), "{problem}");
    assert_eq!(repair["changes"][0]["constraint"], "day[1].start", "{problem}");
    assert!(repair.get("cost").is_none(), "a trip repair verifies feasibility, not a cost: {problem}");
    let infeasible_id = problem["plan_id"].as_str().unwrap().to_string();
    let stored = server.get(&format!("/v1/plans/{infeasible_id}")).json();
    assert_eq!((&stored["status"], &stored["core"]), (&json!("infeasible"), &problem["core"]));
    let html = server.get(&format!("/v1/plans/{infeasible_id}/report")).text();
    assert!(html.contains("Infeasible") && html.contains("day 1 starts at 17:30"), "{html}");
    let map = server.get(&format!("/v1/plans/{infeasible_id}/report?format=geojson"));
    assert_problem(&map, 404, "not-found");
    assert_eq!(problem["cores"], json!([problem["core"]]), "one core unless all are asked for");

    // The stored plans, newest first, a page at a time, filtered by status.
    let all = server.get("/v1/plans").json();
    let ids: Vec<&str> = all["plans"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [infeasible_id.as_str(), id.as_str()], "{all}");
    assert_eq!(all["next"], Value::Null);
    let first = server.get("/v1/plans?limit=1").json();
    assert_eq!(first["plans"][0]["id"], infeasible_id.as_str());
    assert_eq!(first["next"], "/v1/plans?limit=1&offset=1");
    let second = server.get("/v1/plans?limit=1&offset=1").json();
    assert_eq!((&second["plans"][0]["id"], &second["next"]), (&json!(id), &Value::Null));
    let infeasible = server.get("/v1/plans?status=infeasible").json();
    assert_eq!(infeasible["plans"].as_array().map(Vec::len), Some(1), "{infeasible}");
    assert_eq!(infeasible["plans"][0]["links"]["self"], format!("/v1/plans/{infeasible_id}"));
    assert_problem(&server.get("/v1/plans?limit=0"), 400, "invalid-parameter");
    assert_problem(&server.get("/v1/plans?status=lost"), 400, "invalid-parameter");

    // Every minimal core when asked: the museum and the garden both close at 18:00.
    let r =
        server.post_json("/v1/plans?deadline=120&all_cores=true", &request_json("constraints/demo-late-start.toml"));
    let problem = assert_problem(&r, 422, "infeasible");
    let cores = problem["cores"].as_array().unwrap();
    assert_eq!(cores.len(), 2, "{problem}");
    for place in ["Musée des Beaux-Arts", "Jardin Botanique"] {
        let core = json!(["day[1].start", format!("must_visit[\"{place}\"]")]);
        assert!(cores.contains(&core), "{place}: {problem}");
    }
    let md = server.get(&format!("/v1/plans/{}/report?format=md", problem["plan_id"].as_str().unwrap())).text();
    assert!(md.contains("These cannot all hold either (another minimal set)"), "{md}");
    assert_eq!(md.matches("is not open for a").count(), 2, "each core says why its place cannot be visited: {md}");

    // Bad input: a problem document naming what is wrong, never a 500.
    assert_problem(&server.post_json("/v1/plans", r#"{"days": 1,"#), 400, "malformed-request");
    let r = assert_problem(&server.post_json("/v1/plans", r#"{"days": 1, "dayz": 2}"#), 422, "invalid-field");
    assert_eq!(r["field"], "dayz");
    let r = assert_problem(&server.post_json("/v1/plans", r#"{"days": "two"}"#), 422, "invalid-field");
    assert_eq!(r["field"], "days");
    let r = assert_problem(&server.post_json("/v1/plans", r#"{"days": 0}"#), 422, "invalid-field");
    assert_eq!(r["field"], "days");
    let r = server.post_json("/v1/plans", r#"{"days": 1, "must_visit": ["Eiffel Tower"]}"#);
    assert!(assert_problem(&r, 422, "unknown-place")["detail"].as_str().unwrap().contains("Eiffel Tower"));
    let r = server.request("POST", "/v1/plans", &[("content-type", "text/plain")], ONE_DAY.as_bytes());
    assert_problem(&r, 415, "unsupported-media-type");
    let big = format!(r#"{{"days": 1, "must_visit": ["{}"]}}"#, "x".repeat(10_000));
    assert_problem(&server.post_json("/v1/plans", &big), 413, "body-too-large");
    for query in ["deadline=0", "deadline=100000", "deadline=soon", "backend=gurobi", "max_visits=0", "colour=red"] {
        let r = server.post_json(&format!("/v1/plans?{query}"), ONE_DAY);
        assert_problem(&r, 400, "invalid-parameter");
    }
    assert_problem(&server.get("/v1/plans/pl_missing"), 404, "not-found");
    assert_problem(&server.get("/v1/jobs/jb_missing"), 404, "not-found");
    assert_problem(&server.get("/v2/anything"), 404, "not-found");
    assert_problem(&server.request("DELETE", "/v1/plans", &[], b""), 405, "method-not-allowed");

    // Region data: POIs, OSRM-style route and table.
    let pois = server.get("/v1/pois?near=45.1018,4.9035&radius=2000&category=museum&limit=3").json();
    assert!(pois["total"].as_u64().unwrap() >= 1, "{pois}");
    let listed = pois["pois"].as_array().unwrap();
    assert!(listed.len() <= 3 && listed.iter().all(|p| p["category"] == "museum"), "{pois}");
    let d: Vec<f64> = listed.iter().map(|p| p["distance_m"].as_f64().unwrap()).collect();
    assert!(d.windows(2).all(|w| w[0] <= w[1]), "nearest first: {d:?}");
    assert_problem(&server.get("/v1/pois?near=north&radius=10"), 400, "invalid-parameter");
    assert_problem(&server.get("/v1/pois?near=45.1,4.9&radius=-1"), 400, "invalid-parameter");
    assert_problem(&server.get("/v1/pois?near=45.1,4.9&category=spaceport"), 400, "invalid-parameter");
    assert_problem(&server.get("/v1/pois"), 400, "invalid-parameter");

    let route = server.get("/v1/route/foot/4.9010,45.1010;4.9060,45.1040?geometries=geojson").json();
    assert_eq!(route["code"], "Ok");
    let leg = &route["routes"][0];
    assert!(leg["duration"].as_f64().unwrap() > 0.0 && leg["distance"].as_f64().unwrap() > 100.0, "{route}");
    assert_eq!(leg["geometry"]["type"], "LineString");
    // OSRM's default geometry is an encoded polyline; it decodes to the same line.
    let line: Vec<(f64, f64)> = leg["geometry"]["coordinates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[1].as_f64().unwrap(), p[0].as_f64().unwrap()))
        .collect();
    for (query, precision) in [("", 5), ("?geometries=polyline6&alternatives=false&steps=false", 6)] {
        let plain = server.get(&format!("/v1/route/foot/4.9010,45.1010;4.9060,45.1040{query}")).json();
        let decoded = decode_polyline(plain["routes"][0]["geometry"].as_str().unwrap(), precision);
        assert_eq!(decoded.len(), line.len(), "{plain}");
        for ((lat, lon), (a, b)) in decoded.iter().zip(&line) {
            let tolerance = 0.6 * 10f64.powi(-precision);
            assert!((lat - a).abs() <= tolerance && (lon - b).abs() <= tolerance, "{lat},{lon} vs {a},{b}");
        }
    }
    // Turn-by-turn steps: street names from the ways, a depart and an arrive per leg, stretches
    // adding up to the leg and joining into its line.
    let stepped =
        server.get("/v1/route/car/4.9010,45.1010;4.9060,45.1040;4.9020,45.1050?steps=true&geometries=geojson").json();
    let mut names = std::collections::BTreeSet::new();
    for leg in stepped["routes"][0]["legs"].as_array().unwrap() {
        let steps = leg["steps"].as_array().unwrap();
        let kinds: Vec<&str> = steps.iter().map(|s| s["maneuver"]["type"].as_str().unwrap()).collect();
        assert_eq!((kinds.first(), kinds.last()), (Some(&"depart"), Some(&"arrive")), "{leg}");
        let sum = |key: &str| steps.iter().map(|s| s[key].as_f64().unwrap()).sum::<f64>();
        let slack = 0.05 * steps.len() as f64 + 0.1;
        assert!((sum("duration") - leg["duration"].as_f64().unwrap()).abs() <= slack, "{leg}");
        assert!((sum("distance") - leg["distance"].as_f64().unwrap()).abs() <= slack, "{leg}");
        for (step, next) in steps.iter().zip(steps.iter().skip(1)) {
            let line = step["geometry"]["coordinates"].as_array().unwrap();
            assert_eq!(line.first(), Some(&step["maneuver"]["location"]), "a step starts at its maneuver: {step}");
            assert_eq!(line.last(), Some(&next["maneuver"]["location"]), "and ends at the next one: {step}");
            let x = &step["intersections"][0];
            let out = x["out"].as_u64().unwrap() as usize;
            assert_eq!(x["bearings"][out], step["maneuver"]["bearing_after"], "{step}");
            assert_eq!(x["entry"][out], true, "{step}");
            assert_eq!(step["mode"], "driving");
            if step["maneuver"]["type"] != "depart" {
                assert!(step["maneuver"]["modifier"].is_string(), "{step}");
            }
            names.insert(step["name"].as_str().unwrap().to_string());
        }
        assert!(!leg["summary"].as_str().unwrap().is_empty(), "{leg}");
    }
    assert!(names.iter().any(|n| n.starts_with("Rue ") || n.starts_with("Avenue ")), "the demo's streets: {names:?}");
    let r = assert_problem(&server.get("/v1/route/foot/4.9010,45.1010;4.9060,45.1040?steps=yes"), 400, "routing");
    assert_eq!(r["code"], "InvalidOptions");
    let r = assert_problem(&server.get("/v1/route/foot/4.9010,45.1010;4.9060,45.1040?geometries=wkt"), 400, "routing");
    assert!(r["detail"].as_str().unwrap().contains("polyline6"), "{r}");
    let via = server.get("/v1/route/car/4.9010,45.1010;4.9060,45.1040;4.9020,45.1050?overview=false").json();
    assert_eq!(via["routes"][0]["legs"].as_array().unwrap().len(), 2, "{via}");
    assert_eq!(via["waypoints"].as_array().unwrap().len(), 3);
    // Per-segment annotations, as OSRM gives them: one value per piece of each leg's geometry,
    // adding up to the leg (each rounded to 0.1).
    let annotated = server
        .get("/v1/route/car/4.9010,45.1010;4.9060,45.1040;4.9020,45.1050?geometries=geojson&annotations=true")
        .json();
    let legs = annotated["routes"][0]["legs"].as_array().unwrap();
    let points = annotated["routes"][0]["geometry"]["coordinates"].as_array().unwrap().len();
    let mut pieces = 0;
    for leg in legs {
        let a = &leg["annotation"];
        let values =
            |name: &str| -> Vec<f64> { a[name].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect() };
        let (duration, distance, speed) = (values("duration"), values("distance"), values("speed"));
        assert!(!duration.is_empty() && duration.len() == distance.len() && speed.len() == duration.len(), "{leg}");
        assert_eq!(values("weight"), duration);
        let sum = |v: &[f64]| v.iter().sum::<f64>();
        let slack = 0.05 * duration.len() as f64 + 0.1;
        assert!((sum(&duration) - leg["duration"].as_f64().unwrap()).abs() <= slack, "{leg}");
        assert!((sum(&distance) - leg["distance"].as_f64().unwrap()).abs() <= slack, "{leg}");
        pieces += duration.len();
    }
    // The legs meet at the middle waypoint, which the route's line lists once.
    assert_eq!(pieces, points - 1, "{annotated}");
    let durations_only = server.get("/v1/route/foot/4.9010,45.1010;4.9060,45.1040?annotations=duration").json();
    let annotation = &durations_only["routes"][0]["legs"][0]["annotation"];
    assert!(annotation.get("duration").is_some() && annotation.get("distance").is_none(), "{durations_only}");
    let r =
        assert_problem(&server.get("/v1/route/foot/4.9010,45.1010;4.9060,45.1040?annotations=nodes"), 400, "routing");
    assert_eq!(r["code"], "InvalidOptions");
    let table =
        server.get("/v1/table/foot/4.9010,45.1010;4.9060,45.1040;4.9020,45.1050?annotations=duration,distance").json();
    assert_eq!(table["durations"].as_array().unwrap().len(), 3, "{table}");
    assert_eq!(table["durations"][1][1], 0.0);
    assert!(table["distances"][0][1].as_f64().unwrap() > 0.0);
    let one_row = server.get("/v1/table/foot/4.9010,45.1010;4.9060,45.1040?sources=0").json();
    assert_eq!(one_row["durations"].as_array().unwrap().len(), 1);
    assert!(one_row.get("distances").is_none(), "only durations by default");
    // OSRM's own URL scheme (`/route/v1/...`, a `.json` suffix, OSRM's profile names) gives the
    // same answers, and errors carry OSRM's `code` and `message`.
    let osrm = server.get("/route/v1/walking/4.9010,45.1010;4.9060,45.1040.json?geometries=geojson").json();
    assert_eq!(osrm, route, "the OSRM path answers as /v1/route");
    let osrm_table =
        server.get("/table/v1/foot/4.9010,45.1010;4.9060,45.1040;4.9020,45.1050?annotations=duration,distance");
    assert_eq!(osrm_table.json(), table);
    let nearest = server.get("/nearest/v1/foot/4.9010,45.1010").json();
    let waypoint = &nearest["waypoints"][0];
    assert_eq!(
        (&nearest["code"], &waypoint["location"]),
        (&json!("Ok"), &route["waypoints"][0]["location"]),
        "{nearest}"
    );
    assert_eq!(waypoint["nodes"].as_array().map(Vec::len), Some(2), "{nearest}");
    // OSRM's trip service: a round trip from the first coordinate in the fastest order, which
    // brute force over every order of the table's durations confirms.
    let five = "4.9010,45.1010;4.9060,45.1040;4.9020,45.1050;4.9040,45.1020;4.9030,45.1035";
    let trip = server.get(&format!("/trip/v1/foot/{five}?overview=false")).json();
    let durations = server.get(&format!("/table/v1/foot/{five}")).json()["durations"].clone();
    let d = |i: usize, j: usize| durations[i][j].as_f64().unwrap();
    let mut best = f64::INFINITY;
    for order in permutations(&[1, 2, 3, 4]) {
        let stops: Vec<usize> = std::iter::once(0).chain(order).chain(std::iter::once(0)).collect();
        best = best.min(stops.windows(2).map(|w| d(w[0], w[1])).sum());
    }
    let total = trip["trips"][0]["duration"].as_f64().unwrap();
    assert!((total - best).abs() <= 0.5, "trip {total} s, best order {best} s: {trip}");
    let mut positions: Vec<u64> =
        trip["waypoints"].as_array().unwrap().iter().map(|w| w["waypoint_index"].as_u64().unwrap()).collect();
    assert_eq!(positions[0], 0, "the trip starts at the first coordinate");
    positions.sort_unstable();
    assert_eq!(positions, [0, 1, 2, 3, 4]);
    assert_eq!(trip["trips"][0]["legs"].as_array().map(Vec::len), Some(5), "back to the start: {trip}");
    let r = assert_problem(&server.get(&format!("/trip/v1/foot/{five}?roundtrip=false")), 400, "routing");
    assert_eq!(r["code"], "NotImplemented", "OSRM answers an open trip without fixed ends so");
    // An open trip from the first to the last coordinate: the best order of the middle three.
    let open = server.get(&format!("/trip/v1/foot/{five}?roundtrip=false&source=first&destination=last&steps=true"));
    let open = open.json();
    let mut best_open = f64::INFINITY;
    for order in permutations(&[1, 2, 3]) {
        let stops: Vec<usize> = std::iter::once(0).chain(order).chain(std::iter::once(4)).collect();
        best_open = best_open.min(stops.windows(2).map(|w| d(w[0], w[1])).sum());
    }
    let total = open["trips"][0]["duration"].as_f64().unwrap();
    assert!((total - best_open).abs() <= 0.5, "open trip {total} s, best order {best_open} s: {open}");
    assert_eq!(open["trips"][0]["legs"].as_array().map(Vec::len), Some(4), "no way back: {open}");
    assert_eq!(open["waypoints"][4]["waypoint_index"], 4, "it ends at the last coordinate: {open}");
    assert_eq!(open["trips"][0]["legs"][0]["steps"][0]["maneuver"]["type"], "depart");
    // OSRM's table options: durations scaled.
    let scaled = server.get(&format!("/table/v1/foot/{five}?scale_factor=2&fallback_speed=1.5")).json();
    assert!((scaled["durations"][0][1].as_f64().unwrap() - 2.0 * d(0, 1)).abs() <= 0.1, "{scaled}");
    let r = assert_problem(&server.get(&format!("/table/v1/foot/{five}?fallback_speed=0")), 400, "routing");
    assert_eq!(r["code"], "InvalidOptions");

    // OSRM's general options: a radius per coordinate, no bearing filter, hints accepted.
    let near = server.get("/route/v1/foot/4.9010,45.1010;4.9060,45.1040?radiuses=50;unlimited&generate_hints=false");
    assert_eq!(near.json()["code"], "Ok");
    let r = assert_problem(&server.get("/route/v1/foot/4.9010,45.1010;4.9060,45.1040?radiuses=5;5"), 400, "routing");
    assert_eq!(r["code"], "NoSegment", "the start lies 11 m from a road: {r}");
    let r = assert_problem(&server.get("/table/v1/foot/4.9010,45.1010;4.9060,45.1040?radiuses=5"), 400, "routing");
    assert_eq!(r["code"], "InvalidOptions", "one radius for two coordinates: {r}");
    for query in ["bearings=0,20;", "continue_straight=true"] {
        let r = server.get(&format!("/route/v1/foot/4.9010,45.1010;4.9060,45.1040?{query}"));
        assert_eq!(assert_problem(&r, 400, "routing")["code"], "InvalidOptions", "{query}");
    }
    let ok = server.get("/route/v1/foot/4.9010,45.1010;4.9060,45.1040?bearings=;&continue_straight=default");
    assert_eq!(ok.json()["code"], "Ok");
    let r = assert_problem(&server.get("/nearest/v1/foot/4.9010,45.1010?number=3"), 400, "routing");
    assert_eq!((&r["code"], r["message"].as_str().is_some()), (&json!("InvalidOptions"), true), "{r}");
    let r = assert_problem(&server.get("/v1/route/foot/4.9010,45.1010"), 400, "routing");
    assert_eq!(r["code"], "InvalidQuery");
    let r = assert_problem(&server.get("/v1/route/foot/4.90,45.10;200,45.10"), 400, "routing");
    assert_eq!(r["code"], "InvalidQuery");
    let r = assert_problem(&server.get("/v1/route/foot/4.9010,45.1010;5.5,45.5"), 400, "routing");
    assert_eq!(r["code"], "NoSegment");
    let r = assert_problem(&server.get("/v1/route/boat/4.9010,45.1010;4.9060,45.1040"), 400, "routing");
    assert_eq!(r["code"], "InvalidUrl");
    let r = assert_problem(&server.get("/v1/table/foot/4.9010,45.1010?sources=3"), 400, "routing");
    assert_eq!(r["code"], "InvalidOptions");

    let metrics = server.get("/metrics");
    assert!(metrics.header("content-type").is_some_and(|c| c.starts_with("text/plain")));
    let text = metrics.text();
    assert!(
        text.contains("tripsmith_http_requests_total{method=\"POST\",route=\"/v1/plans\",status=\"201\"} 1"),
        "{text}"
    );
    assert!(text.contains("tripsmith_plans_total{status=\"infeasible\"} 2"), "the late start, twice: {text}");
    let log = server.log.lock().unwrap().clone();
    assert!(log.contains("test-123"), "request ids are logged:\n{log}");

    // kill -9 and restart on the same database: every acknowledged plan is still there.
    server.kill();
    let server = Server::start(&db, &[]);
    assert_eq!(server.get(&format!("/v1/plans/{id}")).json(), plan);
    assert_eq!(server.get(&format!("/v1/plans/{infeasible_id}")).json(), stored);
}

#[test]
fn jobs_overload_cancel_kill_and_graceful_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let db = test_store(dir.path(), "jobs");
    // One worker and no queue: a second solve while one runs is refused. A job whose server
    // stops answering is failed once its 2-s lease expires (one attempt allowed).
    let args = ["--workers", "1", "--queue", "0", "--shutdown-grace", "1", "--job-lease", "2", "--job-attempts", "1"];
    let server = Server::start(&db, &args);
    let weekend = request_json("constraints/demo-weekend.toml");

    // A long job (the MILP proving the demo weekend optimal takes tens of seconds; the default
    // route search would be done in milliseconds): 202 + Location, then progress while it runs.
    let r = server.post_json("/v1/plans?async=true&deadline=60&backend=milp", &weekend);
    assert_eq!(r.status, 202, "{}", r.text());
    let location = r.header("location").unwrap().to_string();
    assert_eq!(r.json()["links"]["self"], location);
    let running = poll_job(&server, &location, |j| j["status"] == "running" && j["progress"].as_f64() > Some(0.0));
    assert_eq!(running["kind"], "plan");
    assert!(running["message"].as_str().is_some_and(|m| !m.is_empty()), "{running}");

    // Saturated: 503 with Retry-After, for plans and for routing alike.
    let r = server.post_json("/v1/plans", ONE_DAY);
    assert_problem(&r, 503, "overloaded");
    assert!(r.header("retry-after").and_then(|s| s.parse::<u64>().ok()).is_some_and(|s| s >= 1));
    assert_eq!(server.post_json("/v1/plans?async=true", ONE_DAY).status, 503);

    // Cancel: reported at once, and again on a second look; a second DELETE is harmless.
    let r = server.request("DELETE", &location, &[], b"");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["status"], "cancelled");
    assert_eq!(server.get(&location).json()["status"], "cancelled");
    let ended = poll_job(&server, &location, |_| server.get("/readyz").json()["busy"] == 0);
    assert_eq!(ended["status"], "cancelled", "a cancelled job stays cancelled when its solver returns");

    // A short job runs to the end: its result is the stored plan.
    let r = server.post_json("/v1/plans?async=true&deadline=30", ONE_DAY);
    assert_eq!(r.status, 202, "{}", r.text());
    let short = r.header("location").unwrap().to_string();
    let done = poll_job(&server, &short, |j| j["status"] == "succeeded" || j["status"] == "failed");
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(done["progress"], 1.0);
    let plan_id = done["result"]["id"].as_str().unwrap();
    assert_eq!(server.get(&format!("/v1/plans/{plan_id}")).json(), done["result"]);
    assert_problem(&server.request("DELETE", &short, &[], b""), 409, "job-finished");

    // kill -9 during a job: once its lease expires the restarted server reports it failed (its
    // one attempt used), not lost and not "running" forever.
    let r = server.post_json("/v1/plans?async=true&deadline=60&backend=milp", &weekend);
    let killed = r.header("location").unwrap().to_string();
    poll_job(&server, &killed, |j| j["status"] == "running");
    server.kill();
    let server = Server::start(&db, &args);
    let job = poll_job(&server, &killed, |j| j["status"] != "running");
    assert_eq!(job["status"], "failed", "{job}");
    assert!(job["message"].as_str().unwrap().contains("server stopped"), "{job}");
    assert_eq!(job["attempts"], 1, "{job}");
    assert_eq!(server.get(&short).json()["status"], "succeeded");

    // SIGTERM during a job: the server stops cleanly (once the solver call reaches its time
    // limit) and puts the job back in the queue, without counting the attempt; the next start
    // runs it to the end.
    let r = server.post_json("/v1/plans?async=true&deadline=6&backend=milp", &weekend);
    let stopped = r.header("location").unwrap().to_string();
    poll_job(&server, &stopped, |j| j["status"] == "running");
    let log = server.log.clone();
    let status = server.terminate();
    assert!(status.success(), "graceful shutdown exits 0: {status:?}; log:\n{}", log.lock().unwrap());
    assert!(log.lock().unwrap().contains("back in the queue"), "{}", log.lock().unwrap());
    let server = Server::start(&db, &args);
    let job = poll_job(&server, &stopped, |j| j["status"] == "succeeded" || j["status"] == "failed");
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["attempts"], 1, "the interrupted start is not counted: {job}");
}

#[test]
fn travelplanner_queries_are_planned_or_explained() {
    let dir = tempfile::tempdir().unwrap();
    let data = tripsmith_e2e::shared_data("travelplanner");
    let server = Server::start(test_store(dir.path(), "plans"), &["--travelplanner", data.to_str().unwrap()]);
    // Train query 0: St. Petersburg → Rockford, 3 days, 1 person, 1,700 USD.
    let query = json!({
        "org": "St. Petersburg", "dest": "Rockford", "days": 3, "visiting_city_number": 1,
        "date": ["2022-03-16", "2022-03-17", "2022-03-18"], "people_number": 1, "budget": 1700,
        "local_constraint": {"house rule": null, "cuisine": null, "room type": null, "transportation": null}
    });
    let r = server.post_json("/v1/travelplanner/plans", &query.to_string());
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.json();
    assert_eq!(body["status"], "feasible");
    assert_eq!(body["plan"].as_array().unwrap().len(), 3, "{body}");
    assert!(body["plan"][0]["current_city"].as_str().unwrap().starts_with("from St. Petersburg to Rockford"));
    assert!(body["cost"].as_f64().unwrap() <= 1700.0);
    let requirements = body["requirements"].as_array().unwrap();
    assert_eq!(requirements.len(), 9, "8 commonsense constraints and the budget: {body}");
    assert_eq!(requirements[0], "reasonable_city_route", "{body}");
    assert_eq!(requirements[8], "budget", "{body}");
    assert_eq!(body["violations"], json!([]), "{body}");

    // Without flights there is no way there: the core names that constraint, the repair drops it.
    let mut no_flight = query.clone();
    no_flight["local_constraint"]["transportation"] = json!("no flight");
    let r = server.post_json("/v1/travelplanner/plans", &no_flight.to_string());
    let problem = assert_problem(&r, 422, "infeasible");
    assert_eq!(problem["core"], json!(["transportation: no flight"]), "{problem}");
    assert_eq!(
        problem["repairs"][0]["changes"][0],
        json!({"change": "give up transportation: no flight", "constraint": "transportation: no flight"})
    );
    assert_eq!(problem["repairs"][0]["size"], 1.0);
    assert!(problem["repairs"][0]["cost"].as_f64().is_some_and(|c| c > 0.0), "{problem}");

    // Bad input: an unknown rule, a missing field, a city the data lacks, a bad deadline.
    let mut odd = query.clone();
    odd["local_constraint"]["house rule"] = json!("dragons");
    let problem = assert_problem(&server.post_json("/v1/travelplanner/plans", &odd.to_string()), 422, "invalid-field");
    assert_eq!(problem["field"], "local_constraint.house rule");
    let mut partial = query.clone();
    partial.as_object_mut().unwrap().remove("budget");
    let problem =
        assert_problem(&server.post_json("/v1/travelplanner/plans", &partial.to_string()), 422, "invalid-field");
    assert!(problem["detail"].as_str().unwrap().contains("budget"), "{problem}");
    let mut nowhere = query.clone();
    nowhere["dest"] = json!("Atlantis");
    assert_problem(&server.post_json("/v1/travelplanner/plans", &nowhere.to_string()), 422, "invalid-query");
    assert_problem(
        &server.post_json("/v1/travelplanner/plans?deadline=0", &query.to_string()),
        400,
        "invalid-parameter",
    );
    server.kill();

    // A server started without the data says so.
    let server = Server::start(test_store(dir.path(), "other"), &[]);
    assert_problem(&server.post_json("/v1/travelplanner/plans", &query.to_string()), 404, "travelplanner-not-loaded");
    server.kill();
}

#[test]
fn traffic_assignment_runs_as_a_job() {
    let dir = tempfile::tempdir().unwrap();
    let tntp = tripsmith_e2e::shared_data("tntp");
    let server = Server::start(test_store(dir.path(), "plans"), &["--tntp", tntp.to_str().unwrap()]);
    let r = server.post_json("/v1/assignments", r#"{"network": "SiouxFalls", "gap": 1e-8, "flows": true}"#);
    assert_eq!(r.status, 202, "{}", r.text());
    let location = r.header("location").unwrap().to_string();
    assert_eq!(r.json()["kind"], "assignment");
    let job = poll_job(&server, &location, |j| j["status"] == "succeeded" || j["status"] == "failed");
    assert_eq!(job["status"], "succeeded", "{job}");
    let result = &job["result"];
    assert_eq!((result["network"].as_str(), result["algorithm"].as_str()), (Some("SiouxFalls"), Some("gp")));
    assert!(result["converged"].as_bool().unwrap() && result["relative_gap"].as_f64().unwrap() <= 1e-8, "{job}");
    assert!((result["tstt"].as_f64().unwrap() - 7_480_225.34).abs() < 10.0, "{job}");
    assert_eq!(result["flows"].as_array().unwrap().len(), 76);

    // An iteration limit: the job succeeds, not converged.
    let r = server.post_json("/v1/assignments", r#"{"network": "SiouxFalls", "algorithm": "fw", "max_iterations": 3}"#);
    let job = poll_job(&server, r.header("location").unwrap(), |j| j["status"] == "succeeded");
    assert_eq!((job["result"]["converged"].as_bool(), job["result"]["iterations"].as_u64()), (Some(false), Some(3)));

    // Bad requests.
    assert_problem(&server.post_json("/v1/assignments", r#"{"network": "../SiouxFalls"}"#), 404, "unknown-network");
    assert_problem(&server.post_json("/v1/assignments", r#"{"network": "Atlantis"}"#), 404, "unknown-network");
    let p = assert_problem(
        &server.post_json("/v1/assignments", r#"{"network": "SiouxFalls", "gap": 3}"#),
        422,
        "invalid-field",
    );
    assert_eq!(p["field"], "gap");
    let p = assert_problem(
        &server.post_json("/v1/assignments", r#"{"network": "SiouxFalls", "speed": 3}"#),
        422,
        "invalid-field",
    );
    assert!(p["detail"].as_str().unwrap().contains("speed"), "{p}");
    let p = assert_problem(
        &server.post_json("/v1/assignments", r#"{"network": "SiouxFalls", "algorithm": "magic"}"#),
        422,
        "invalid-field",
    );
    assert_eq!(p["field"], "algorithm");
    server.kill();
    let server = Server::start(test_store(dir.path(), "other"), &[]);
    assert_problem(&server.post_json("/v1/assignments", r#"{"network": "SiouxFalls"}"#), 404, "tntp-not-loaded");
    server.kill();
}

#[test]
fn network_design_runs_as_a_job() {
    let dir = tempfile::tempdir().unwrap();
    let tntp = tripsmith_e2e::shared_data("tntp");
    let server = Server::start(test_store(dir.path(), "plans"), &["--tntp", tntp.to_str().unwrap()]);
    let body = r#"{"network": "SiouxFalls", "candidates": [[8, 6], [6, 8], [16, 10], [10, 16]], "budget": 0.5,
                   "exhaustive": true, "gap": 1e-6}"#;
    let r = server.post_json("/v1/designs", body);
    assert_eq!(r.status, 202, "{}", r.text());
    let job =
        poll_job(&server, r.header("location").unwrap(), |j| j["status"] == "succeeded" || j["status"] == "failed");
    assert_eq!(job["status"], "succeeded", "{job}");
    let result = &job["result"];
    assert_eq!((result["fitness"].as_str(), result["search"].as_str()), (Some("exact"), Some("exhaustive")));
    assert!(result["best_tstt"].as_f64().unwrap() < result["baseline_tstt"].as_f64().unwrap(), "{job}");
    assert!(result["cost"].as_f64().unwrap() <= result["budget_cost"].as_f64().unwrap(), "{job}");
    let ga =
        r#"{"network": "SiouxFalls", "candidates": [[8, 6], [6, 8]], "population": 4, "generations": 2, "gap": 1e-5}"#;
    let r = server.post_json("/v1/designs", ga);
    let job = poll_job(&server, r.header("location").unwrap(), |j| j["status"] == "succeeded");
    assert_eq!(job["result"]["search"], "ga");
    // A link the network lacks fails the job with the offending candidate named.
    let r = server.post_json("/v1/designs", r#"{"network": "SiouxFalls", "candidates": [[8, 6], [1, 24]]}"#);
    let job = poll_job(&server, r.header("location").unwrap(), |j| j["status"] == "failed");
    assert!(job["error"]["detail"].as_str().unwrap().contains("1 → 24"), "{job}");
    assert_eq!(job["error"]["field"], "candidates[1]", "{job}");
    let p = assert_problem(
        &server.post_json("/v1/designs", r#"{"network": "SiouxFalls", "candidates": [], "budget": 0.5}"#),
        422,
        "invalid-field",
    );
    assert_eq!(p["field"], "candidates");
    let p = assert_problem(
        &server.post_json("/v1/designs", r#"{"network": "SiouxFalls", "candidates": [[8, 6]], "budget": 2}"#),
        422,
        "invalid-field",
    );
    assert_eq!(p["field"], "budget");
    // The surrogate trains inside the job, then its best predictions are solved exactly.
    let surrogate = r#"{"network": "SiouxFalls", "candidates": [[8, 6], [6, 8], [16, 10], [10, 16]],
                        "fitness": "surrogate", "samples": 20, "epochs": 10, "top_k": 3,
                        "population": 6, "generations": 3}"#;
    let r = server.post_json("/v1/designs", surrogate);
    assert_eq!(r.status, 202, "{}", r.text());
    let job =
        poll_job(&server, r.header("location").unwrap(), |j| j["status"] == "succeeded" || j["status"] == "failed");
    let result = &job["result"];
    assert_eq!(result["fitness"], "surrogate", "{job}");
    assert_eq!(result["surrogate"]["held_out"], 4, "{job}");
    assert!(result["train_seconds"].as_f64().unwrap() > 0.0, "{job}");
    assert!(result["best_tstt_exact"].as_f64().unwrap() <= result["baseline_tstt"].as_f64().unwrap() * (1.0 + 1e-6));
    let p = assert_problem(
        &server.post_json(
            "/v1/designs",
            r#"{"network": "SiouxFalls", "candidates": [[8, 6]], "fitness": "surrogate", "samples": 5}"#,
        ),
        422,
        "invalid-field",
    );
    assert_eq!(p["field"], "samples");
    server.kill();
}

#[test]
fn vrp_solutions_run_as_jobs_with_checked_and_proven_answers() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(test_store(dir.path(), "plans"), &[]);
    let text = |file: &str| std::fs::read_to_string(tripsmith_e2e::shared_data(file)).unwrap();
    let body = json!({"instance": text("vrp/cvrp/other/P-n16-k8.vrp"), "exact": true, "time_limit": 60});
    let r = server.post_json("/v1/vrp/solutions", &body.to_string());
    assert_eq!(r.status, 202, "{}", r.text());
    let job =
        poll_job(&server, r.header("location").unwrap(), |j| j["status"] == "succeeded" || j["status"] == "failed");
    let result = &job["result"];
    assert_eq!((result["cost"].as_f64(), result["proven_optimal"].as_bool()), (Some(450.0), Some(true)), "{job}");
    assert_eq!((result["feasible"].as_bool(), result["lower_bound"].as_f64()), (Some(true), Some(450.0)), "{job}");
    // A Solomon file, told by its content; the heuristic alone.
    let body = json!({"instance": text("vrp/vrptw/solomon/C101.txt"), "time_limit": 1});
    let r = server.post_json("/v1/vrp/solutions", &body.to_string());
    let job = poll_job(&server, r.header("location").unwrap(), |j| j["status"] == "succeeded");
    let served: usize = job["result"]["routes"].as_array().unwrap().iter().map(|r| r.as_array().unwrap().len()).sum();
    assert_eq!((served, job["result"]["feasible"].as_bool()), (100, Some(true)), "{job}");
    assert_eq!(job["result"]["proven_optimal"], false);
    // VROOM input JSON: routes by job id, and the answer in VROOM's shape too.
    let vroom =
        std::fs::read_to_string(tripsmith_e2e::workspace_root().join("vrp-examples/vroom-deliveries.json")).unwrap();
    let r = server.post_json("/v1/vrp/solutions", &json!({"instance": vroom, "time_limit": 1}).to_string());
    assert_eq!(r.status, 202, "{}", r.text());
    let job =
        poll_job(&server, r.header("location").unwrap(), |j| j["status"] == "succeeded" || j["status"] == "failed");
    assert_eq!(tripsmith_e2e::served_ids(&job["result"]["routes"]), vec![101, 102, 103, 104, 105, 106], "{job}");
    assert_eq!(job["result"]["vroom"]["summary"]["cost"], job["result"]["cost"], "{job}");
    let p = assert_problem(
        &server.post_json(
            "/v1/vrp/solutions",
            &json!({"instance": vroom.replace("\"jobs\"", "\"shipments\": [{}], \"jobs\"")}).to_string(),
        ),
        422,
        "invalid-instance",
    );
    assert!(p["detail"].as_str().unwrap().contains("shipments"), "{p}");
    // Four robots sharing ten points, minimising the longest tour (130, as the CLI test proves).
    let robots =
        std::fs::read_to_string(tripsmith_e2e::workspace_root().join("vrp-examples/words-to-routes/A4-mtsp.tsp"))
            .unwrap();
    let body = json!({"instance": robots, "objective": "longest-route", "time_limit": 1});
    let r = server.post_json("/v1/vrp/solutions", &body.to_string());
    let job =
        poll_job(&server, r.header("location").unwrap(), |j| j["status"] == "succeeded" || j["status"] == "failed");
    let result = &job["result"];
    assert_eq!((result["objective"].as_str(), result["cost"].as_f64()), (Some("longest-route"), Some(130.0)), "{job}");
    assert!(result["distance"].as_f64().unwrap() > 130.0, "{job}");
    let odd = json!({"instance": "x", "objective": "shortest"});
    assert_eq!(server.post_json("/v1/vrp/solutions", &odd.to_string()).status, 422);
    let minmax_exact =
        json!({"instance": text("vrp/cvrp/E/E-n13-k4.vrp"), "objective": "longest-route", "exact": true});
    let p = assert_problem(&server.post_json("/v1/vrp/solutions", &minmax_exact.to_string()), 422, "invalid-field");
    assert!(p["detail"].as_str().unwrap().contains("longest route"), "{p}");
    // Errors: an unreadable instance names its line; time windows are outside the exact model.
    let bad = json!({"instance": "NAME : x\nDIMENSION : 3\nCAPACITY : ten\n"});
    let p = assert_problem(&server.post_json("/v1/vrp/solutions", &bad.to_string()), 422, "invalid-instance");
    assert!(p["detail"].as_str().unwrap().contains("line 3"), "{p}");
    let tw = json!({"instance": text("vrp/vrptw/solomon/C101.txt"), "exact": true});
    let p = assert_problem(&server.post_json("/v1/vrp/solutions", &tw.to_string()), 422, "invalid-field");
    assert_eq!(p["field"], "exact");
    let genetic_tw = json!({"instance": text("vrp/vrptw/solomon/C101.txt"), "algorithm": "hgs"});
    let p = assert_problem(&server.post_json("/v1/vrp/solutions", &genetic_tw.to_string()), 422, "invalid-field");
    assert_eq!(p["field"], "algorithm");
    // The genetic search on a capacity-only instance: E-n13-k4's optimum, 247.
    let genetic = json!({"instance": text("vrp/cvrp/E/E-n13-k4.vrp"), "algorithm": "hgs", "time_limit": 1});
    let r = server.post_json("/v1/vrp/solutions", &genetic.to_string());
    let job =
        poll_job(&server, r.header("location").unwrap(), |j| j["status"] == "succeeded" || j["status"] == "failed");
    assert_eq!((&job["result"]["feasible"], job["result"]["cost"].as_f64()), (&json!(true), Some(247.0)), "{job}");
    let long = json!({"instance": text("vrp/cvrp/E/E-n13-k4.vrp"), "time_limit": 1e9});
    let p = assert_problem(&server.post_json("/v1/vrp/solutions", &long.to_string()), 422, "invalid-field");
    assert_eq!(p["field"], "time_limit");
    server.kill();
}

#[test]
fn recommendations_for_a_history_and_training_as_a_job() {
    let dir = tempfile::tempdir().unwrap();
    let checkins = tripsmith_e2e::shared_data("checkins/LBSNDatasets");
    let server = Server::start(test_store(dir.path(), "plans"), &["--checkins", checkins.to_str().unwrap()]);
    let body = json!({"history": ["Art Museum", "Museum", "History Museum", "Bar", "Office", "Subway"], "top": 3});
    let r = server.post_json("/v1/recommendations", &body.to_string());
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!((&v["taste"]["checkins"], &v["taste"]["counted"]), (&json!(6), &json!(4)), "{v}");
    assert_eq!((&v["taste"]["everyday"], &v["taste"]["no_destination"]), (&json!(1), &json!(1)), "{v}");
    assert_eq!(v["taste"]["weights"][0]["category"], "museum", "{v}");
    assert_eq!(v["interests"]["museum"], 1.0, "{v}");
    let recs = v["recommendations"].as_array().unwrap();
    assert!(!recs.is_empty() && recs.len() <= 3, "{v}");
    assert!(recs.windows(2).all(|w| w[0]["score"].as_f64() >= w[1]["score"].as_f64()), "{v}");
    // The interests plan a trip on the same server.
    let trip = json!({"days": 1, "day_start": "09:00", "day_end": "13:00", "travel": {"modes": ["foot"]},
                      "interests": v["interests"]});
    let by_interests = server.post_json("/v1/plans", &trip.to_string());
    assert_eq!(by_interests.status, 201);
    // Or the history itself goes with the trip request: the same interests, the same plan.
    let mut with_history = trip.clone();
    with_history.as_object_mut().unwrap().remove("interests");
    with_history["history"] = body["history"].clone();
    let by_history = server.post_json("/v1/plans", &with_history.to_string());
    assert_eq!(by_history.status, 201, "{}", by_history.text());
    let (a, b) = (by_interests.json(), by_history.json());
    assert_eq!(a["request"]["interests"], b["request"]["interests"], "{b}");
    let stops = |v: &Value| -> Vec<String> {
        v["plan"]["days"][0]["stops"].as_array().unwrap().iter().map(|s| s["id"].to_string()).collect()
    };
    assert_eq!(stops(&a), stops(&b), "{b}");
    assert!(a["request"].get("interests_from_history").is_none(), "{a}");
    assert_eq!(b["request"]["interests_from_history"][0], "museum", "{b}");
    // A stated interest wins over the history's.
    let mut stated = with_history.clone();
    stated["interests"] = json!({"museum": 0.25});
    let v = server.post_json("/v1/plans", &stated.to_string()).json();
    assert_eq!(v["request"]["interests"]["museum"], 0.25, "{v}");
    let from_history = v["request"]["interests_from_history"].as_array().unwrap();
    assert!(!from_history.contains(&json!("museum")) && from_history.contains(&json!("nightlife")), "{v}");
    assert_eq!(v["request"]["interests"]["nightlife"], a["request"]["interests"]["nightlife"], "{v}");
    let p = assert_problem(&server.post_json("/v1/plans", r#"{"days": 1, "history": [""]}"#), 422, "invalid-field");
    assert_eq!(p["field"], "history[0]");
    let p = assert_problem(&server.post_json("/v1/plans", r#"{"days": 1, "history": "Museum"}"#), 422, "invalid-field");
    assert_eq!(p["field"], "history");
    assert_problem(&server.post_json("/v1/plans", r#"{"days": 1, "history": ["Office"]}"#), 422, "no-taste");
    // A request may bring its own places instead of the region's: the plan uses only them.
    let own = run(&["check-request", "constraints/own-places.toml", "--json"]).ok().json()["request"].clone();
    let r = server.post_json("/v1/plans", &own.to_string());
    assert_eq!(r.status, 201, "{}", r.text());
    let v = r.json();
    let ids: Vec<&str> = own["places"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    let stops: Vec<&str> =
        v["plan"]["days"][0]["stops"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert!(stops.contains(&"aquarium") && stops.iter().all(|s| ids.contains(s)), "{stops:?}");
    assert_eq!(v["checker"]["violations"], json!([]), "{v}");
    let mut unknown = own.clone();
    unknown["must_visit"] = json!(["Washington Monument"]);
    assert_problem(&server.post_json("/v1/plans", &unknown.to_string()), 422, "unknown-place");
    for (body, field) in [
        (json!({"history": []}), "history"),
        (json!({"history": ["Museum", " "]}), "history[1]"),
        (json!({"history": ["Museum"], "top": 0}), "top"),
        (json!({"history": ["Museum"], "near": [91.0, 0.0]}), "near"),
    ] {
        let p = assert_problem(&server.post_json("/v1/recommendations", &body.to_string()), 422, "invalid-field");
        assert_eq!(p["field"], field, "{p}");
    }
    assert_problem(&server.post_json("/v1/recommendations", r#"{"history": ["Office"]}"#), 422, "no-taste");
    assert_problem(&server.post_json("/v1/recommendations", r#"{"histories": []}"#), 422, "invalid-field");
    // Training runs as a job whose result lists the intentions.
    let r =
        server.post_json("/v1/recommendations/training", r#"{"dataset": "Gowalla/Gowalla_2", "epochs": 1, "top": 2}"#);
    assert_eq!(r.status, 202, "{}", r.text());
    let job =
        poll_job(&server, r.header("location").unwrap(), |j| j["status"] == "succeeded" || j["status"] == "failed");
    let result = &job["result"];
    assert_eq!(
        (&result["dataset"], &result["users"], &result["places"]),
        (&json!("Gowalla"), &json!(100), &json!(6436))
    );
    assert_eq!(result["losses"].as_array().unwrap().len(), 1, "{job}");
    let intentions = result["intentions"].as_array().unwrap();
    assert_eq!(intentions.len(), 15);
    assert!(intentions.iter().all(|i| i["places"].as_array().unwrap().len() == 2), "{job}");
    // A long training stops when the job is cancelled.
    let r =
        server.post_json("/v1/recommendations/training", r#"{"dataset": "Foursquare/Foursquare_3", "epochs": 100}"#);
    let location = r.header("location").unwrap().to_string();
    poll_job(&server, &location, |j| j["status"] == "running");
    assert_eq!(server.request("DELETE", &location, &[], b"").status, 200);
    poll_job(&server, &location, |j| j["status"] == "cancelled");
    for (body, status, kind) in [
        (r#"{"dataset": "Gowalla/Nowhere"}"#, 404, "unknown-dataset"),
        (r#"{"dataset": "../LBSNDatasets/Gowalla/Gowalla_2"}"#, 404, "unknown-dataset"),
        (r#"{"dataset": "Gowalla/Gowalla_2", "epochs": 0}"#, 422, "invalid-field"),
        (r#"{"dataset": "Gowalla"}"#, 202, ""),
    ] {
        let r = server.post_json("/v1/recommendations/training", body);
        if status == 202 {
            // A folder without a check-in file fails the job with the reason.
            let job = poll_job(&server, r.header("location").unwrap(), |j| j["status"] == "failed");
            assert!(job["error"]["detail"].as_str().unwrap().contains("no <name>_checkins.txt"), "{job}");
        } else {
            assert_problem(&r, status, kind);
        }
    }
    server.kill();
}

#[test]
fn the_region_summary_shows_no_server_folders() {
    let dir = tempfile::tempdir().unwrap();
    let pbf = tripsmith_e2e::shared_data("osm/monaco-latest-2026.osm.pbf");
    let server = Server::start(test_store(dir.path(), "plans"), &["--region", pbf.to_str().unwrap()]);
    let region = server.get("/v1/region").json();
    assert_eq!(region["file"], "monaco-latest-2026.osm.pbf", "{region}");
    assert_eq!(region["name"], "monaco-latest-2026.osm.pbf", "{region}");
    assert!(
        !region.to_string().contains(&*dir.path().to_string_lossy()) && !region.to_string().contains("/shared/"),
        "{region}"
    );
}

/// The Python of the virtual environment that `scripts/setup.sh` installs routingpy into.
fn routingpy_python() -> String {
    let env = std::env::var("TRIPSMITH_PYENV").unwrap_or_else(|_| "/var/tmp/tripsmith-pyenv".into());
    let python = format!("{env}/bin/python");
    let imports = std::process::Command::new(&python).args(["-c", "import routingpy"]).output();
    assert!(imports.is_ok_and(|o| o.status.success()), "{python} cannot import routingpy: run scripts/setup.sh");
    python
}

#[test]
fn a_real_osrm_client_works_unchanged_on_monaco() {
    let dir = tempfile::tempdir().unwrap();
    let pbf = tripsmith_e2e::shared_data("osm/monaco-latest-2026.osm.pbf");
    let region = pbf.to_str().unwrap();
    let server = Server::start(test_store(dir.path(), "plans"), &["--region", region]);
    // The Prince's Palace, the Casino, the Oceanographic Museum's square (lon,lat).
    let points = [(7.4197, 43.7314), (7.4276, 43.7392), (7.4254, 43.7307)];
    let coordinates: Vec<String> = points.iter().map(|(lon, lat)| format!("{lon},{lat}")).collect();
    let script = tripsmith_e2e::workspace_root().join("tests/osrm_clients/routingpy_session.py");
    let out = std::process::Command::new(routingpy_python())
        .arg(&script)
        .arg(format!("http://{}", server.address))
        .arg(coordinates.join(";"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "routingpy session failed:
{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    let latlon = |(lon, lat): (f64, f64)| format!("{lat},{lon}");

    // Directions: the durations the project's own `route` command gives, the client's decoded
    // polyline along the same line, steps that name Monaco's streets and add up to the route.
    for (name, profile) in [("foot", "foot"), ("driving", "car")] {
        let own = run(&[
            "-q",
            "route",
            "--region",
            region,
            "--profile",
            profile,
            "--from",
            &latlon(points[0]),
            "--to",
            &latlon(points[1]),
            "--json",
        ]);
        let own: Value = serde_json::from_str(&own.stdout).unwrap();
        let d = &got[name];
        assert_eq!(d["duration"], own["routes"][0]["duration"], "{name}: {d}");
        assert_eq!(d["distance"], own["routes"][0]["distance"], "{name}");
        assert_eq!(d["client_duration"].as_u64(), own["routes"][0]["duration"].as_f64().map(|x| x as u64));
        let line = own["routes"][0]["geometry"]["coordinates"].as_array().unwrap();
        let decoded = d["geometry"].as_array().unwrap();
        assert_eq!(decoded.len(), line.len(), "{name}");
        for (a, b) in decoded.iter().zip(line) {
            for k in 0..2 {
                assert!((a[k].as_f64().unwrap() - b[k].as_f64().unwrap()).abs() <= 6e-6, "{name}: {a} vs {b}");
            }
        }
        let steps = d["steps"].as_array().unwrap();
        assert_eq!(steps.first().map(|s| &s["type"]), Some(&json!("depart")), "{name}");
        assert_eq!(steps.last().map(|s| &s["type"]), Some(&json!("arrive")), "{name}");
        let total: f64 = steps.iter().map(|s| s["distance"].as_f64().unwrap()).sum();
        assert!((total - d["distance"].as_f64().unwrap()).abs() <= 0.05 * steps.len() as f64 + 0.1, "{name}");
        let names: Vec<&str> = steps.iter().filter_map(|s| s["name"].as_str()).collect();
        assert!(names.contains(&"Avenue de Monte-Carlo"), "{name}: the way to the Casino: {names:?}");
    }
    assert!(got["polyline6_points"].as_u64().unwrap() >= 10);

    // The matrix with sources and destinations: the project's own `matrix` command's cells.
    let all: Vec<String> = points.iter().map(|p| latlon(*p)).collect();
    let own = run(&["-q", "matrix", "--region", region, "--profile", "foot", "--points", &all.join(";"), "--json"]);
    let own: Value = serde_json::from_str(&own.stdout).unwrap();
    for (row, source) in [0, 1].iter().enumerate() {
        for (column, destination) in [2, 0].iter().enumerate() {
            assert_eq!(got["matrix"]["durations"][row][column], own["durations"][*source][*destination]);
            assert_eq!(got["matrix"]["distances"][row][column], own["distances"][*source][*destination]);
        }
    }
    // Nearest: where the route starts; trip: from the first to the last point through the other.
    assert_eq!(got["nearest"]["waypoints"][0]["location"], own["sources"][0]["location"], "{}", got["nearest"]);
    let trip = &got["trip"];
    assert_eq!(trip["code"], "Ok", "{trip}");
    assert_eq!(trip["trips"][0]["legs"].as_array().map(Vec::len), Some(2), "{trip}");
    let through = own["durations"][0][1].as_f64().unwrap() + own["durations"][1][2].as_f64().unwrap();
    assert!((trip["trips"][0]["duration"].as_f64().unwrap() - through).abs() <= 0.2, "{trip}");
    // Errors reach the client as its own exception with OSRM's code.
    assert_eq!(got["error"]["status"], 400, "{}", got["error"]);
    assert_eq!(got["error"]["body"]["code"], "InvalidUrl", "{}", got["error"]);
}

/// Decodes an encoded polyline (Google's algorithm, as OSRM writes it) into (lat, lon) pairs.
fn decode_polyline(text: &str, precision: i32) -> Vec<(f64, f64)> {
    let (mut values, mut value, mut shift) = (Vec::new(), 0i64, 0);
    for byte in text.bytes() {
        let chunk = i64::from(byte) - 63;
        value |= (chunk & 0x1f) << shift;
        shift += 5;
        if chunk < 0x20 {
            values.push(if value & 1 == 1 { !(value >> 1) } else { value >> 1 });
            (value, shift) = (0, 0);
        }
    }
    let factor = 10f64.powi(precision);
    let (mut lat, mut lon) = (0i64, 0i64);
    values
        .chunks(2)
        .map(|pair| {
            lat += pair[0];
            lon += pair[1];
            (lat as f64 / factor, lon as f64 / factor)
        })
        .collect()
}

/// Every order of `items`.
fn permutations(items: &[usize]) -> Vec<Vec<usize>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for (i, &first) in items.iter().enumerate() {
        let rest: Vec<usize> = items.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, &x)| x).collect();
        for mut tail in permutations(&rest) {
            tail.insert(0, first);
            out.push(tail);
        }
    }
    out
}

/// `POST path` with a JSON body and an `Idempotency-Key`.
fn post_with_key(server: &Server, path: &str, key: &str, body: &str) -> Response {
    server.request("POST", path, &[("content-type", "application/json"), ("idempotency-key", key)], body.as_bytes())
}

#[test]
fn two_instances_share_plans_jobs_and_idempotency_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = test_store(dir.path(), "shared");
    let settings = ["--workers", "1", "--job-lease", "2", "--job-attempts", "2", "--shutdown-grace", "1"];
    let start = |name: &str| Server::start(&db, &[&["--instance", name][..], &settings[..]].concat());
    let (a, b) = (start("alpha"), start("beta"));
    assert_eq!(a.get("/readyz").json()["instance"], "alpha");
    assert_eq!(b.get("/readyz").json()["store"], store_kind());

    // A plan written through one instance is read, listed and reported through the other.
    let r = a.post_json("/v1/plans?deadline=30", ONE_DAY);
    assert_eq!(r.status, 201, "{}", r.text());
    let plan = r.json();
    let id = plan["id"].as_str().unwrap();
    assert_eq!(b.get(&format!("/v1/plans/{id}")).json(), plan);
    assert!(b.get("/v1/plans").json()["plans"].as_array().unwrap().iter().any(|p| p["id"] == id));
    assert_eq!(b.get(&format!("/v1/plans/{id}/report?format=md")).status, 200);

    // Idempotency-Key: a retry through the other instance gets the first answer, not a twin; the
    // same key with another body is refused; a bad key is a 400.
    let first = post_with_key(&a, "/v1/plans?deadline=30", "trip-42", ONE_DAY);
    assert_eq!(first.status, 201, "{}", first.text());
    assert!(first.header("idempotent-replayed").is_none());
    let again = post_with_key(&b, "/v1/plans?deadline=30", "trip-42", ONE_DAY);
    assert_eq!(again.status, 201, "{}", again.text());
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.json()["id"], first.json()["id"]);
    let other = ONE_DAY.replace("13:00", "14:00");
    assert_problem(&post_with_key(&b, "/v1/plans?deadline=30", "trip-42", &other), 422, "idempotency-key-reused");
    assert_problem(&post_with_key(&a, "/v1/plans", &"k".repeat(300), ONE_DAY), 400, "invalid-idempotency-key");
    // An answer that was an error keeps no key: the corrected retry runs.
    let bad = post_with_key(&a, "/v1/plans", "trip-43", r#"{"days": 0}"#);
    assert_eq!(bad.status, 422, "{}", bad.text());
    assert_eq!(b.get("/v1/plans").json()["plans"].as_array().unwrap().len(), 2, "no twin plan was stored");
    let job = post_with_key(&a, "/v1/plans?async=true&deadline=30", "job-7", ONE_DAY);
    assert_eq!(job.status, 202, "{}", job.text());
    let twin = post_with_key(&b, "/v1/plans?async=true&deadline=30", "job-7", ONE_DAY);
    assert_eq!((twin.status, twin.header("idempotent-replayed")), (202, Some("true")));
    assert_eq!(twin.json()["id"], job.json()["id"]);
    let location = job.header("location").unwrap().to_string();
    let done = poll_job(&b, &location, |j| j["status"] == "succeeded" || j["status"] == "failed");
    assert_eq!(done["status"], "succeeded", "{done}");

    // Cancelled through the instance that does not run it: the runner stops within a renewal.
    let weekend = request_json("constraints/demo-weekend.toml");
    let r = a.post_json("/v1/plans?async=true&deadline=60&backend=milp", &weekend);
    let location = r.header("location").unwrap().to_string();
    let running = poll_job(&a, &location, |j| j["status"] == "running");
    let (runner, other) = if running["instance"] == "alpha" { (&a, &b) } else { (&b, &a) };
    let r = other.request("DELETE", &location, &[], b"");
    assert_eq!((r.status, r.json()["status"].clone()), (200, json!("cancelled")), "{}", r.text());
    let started = Instant::now();
    while runner.get("/readyz").json()["busy"] != 0 {
        assert!(started.elapsed() < Duration::from_secs(60), "the runner never stopped the cancelled job");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(runner.get(&location).json()["status"], "cancelled");

    // kill -9 of the instance running a job: the survivor takes it back once the lease expires
    // and runs it to the end (its second attempt).
    let r = a.post_json("/v1/plans?async=true&deadline=8&backend=milp", &weekend);
    let location = r.header("location").unwrap().to_string();
    let running = poll_job(&a, &location, |j| j["status"] == "running");
    let metrics = a.get("/metrics").text();
    let runner_name = running["instance"].as_str().unwrap().to_string();
    assert!(metrics.contains(&format!("tripsmith_jobs_running{{instance=\"{runner_name}\"}} 1")), "{metrics}");
    assert!(metrics.contains("tripsmith_jobs_queued 0"), "{metrics}");
    let survivor = if runner_name == "alpha" {
        a.kill();
        b
    } else {
        b.kill();
        a
    };
    let taken_at = Instant::now();
    let finished = poll_job(&survivor, &location, |j| j["status"] == "succeeded" || j["status"] == "failed");
    assert_eq!(finished["status"], "succeeded", "{finished}");
    assert_ne!(finished["instance"], runner_name.as_str(), "{finished}");
    assert_eq!(finished["attempts"], 2, "{finished}");
    assert!(taken_at.elapsed() < Duration::from_secs(60), "{:?}", taken_at.elapsed());
    let log = survivor.log.lock().unwrap().clone();
    assert!(log.contains("taken back"), "the survivor says it took the job back:\n{log}");

    // The store goes away: readiness fails (PostgreSQL: the database is dropped under the server).
    if store_kind() == "postgres" {
        let (server_url, database) = db.rsplit_once('/').unwrap();
        let dropped = std::process::Command::new("psql")
            .args([&format!("{server_url}/postgres"), "-q", "-c", &format!("DROP DATABASE {database} WITH (FORCE)")])
            .output()
            .unwrap();
        assert!(dropped.status.success(), "{}", String::from_utf8_lossy(&dropped.stderr));
        let r = survivor.get("/readyz");
        assert_problem(&r, 503, "not-ready");
        assert!(survivor.get("/metrics").text().contains("tripsmith_store_up 0"));
        // Requests that need the database say it is away and when to retry, rather than 500.
        let r = survivor.get(&format!("/v1/plans/{id}"));
        assert_problem(&r, 503, "store-unavailable");
        assert_eq!(r.header("retry-after"), Some("5"));
        assert_problem(&survivor.post_json("/v1/plans?async=true", ONE_DAY), 503, "store-unavailable");
        // The job queue's polls fail from now on: said once, not at every poll (5 a second).
        std::thread::sleep(Duration::from_millis(1500));
        let log = survivor.log.lock().unwrap().clone();
        assert_eq!(log.matches("the job queue cannot be reached").count(), 1, "{log}");
    }
}
