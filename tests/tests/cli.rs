//! The built `tripsmith` binary, end to end: demo region, real extracts, caches, bad input.

use tripsmith_e2e::{run, run_in, shared_data};

#[test]
fn ingest_demo_region_json() {
    let v = run(&["ingest", "--json"]).ok().json();
    assert_eq!(v["pois"], 48);
    assert_eq!(v["elements_with_key"]["amenity"]["nodes"], 28);
    assert!(v["profiles"]["car"]["nodes"].as_u64().unwrap() > 200);
    assert!(v["profiles"]["foot"]["edges"].as_u64().unwrap() > 500);
    assert_eq!(v["opening_hours"]["unparseable"], 1);
}

#[test]
fn ingest_monaco_matches_pyosmium_and_cache_serves_queries() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("monaco.tripsmith");
    let pbf = shared_data("osm/monaco-latest-2026.osm.pbf");
    let v = run(&["ingest", pbf.to_str().unwrap(), "--out", cache.to_str().unwrap(), "--json"]).ok().json();
    // pyosmium 4.3.2 via `python bench/count_keys.py` on the same file.
    let expected = serde_json::json!({
        "tourism": {"nodes": 188, "ways": 17}, "amenity": {"nodes": 1118, "ways": 158},
        "leisure": {"nodes": 32, "ways": 171}, "historic": {"nodes": 38, "ways": 3},
        "shop": {"nodes": 257, "ways": 3}
    });
    assert_eq!(v["elements_with_key"], expected);
    assert_eq!(v["cache"], cache.to_str().unwrap());

    // Near the Casino: restaurants within 300 m, sorted by distance.
    let region = cache.to_str().unwrap();
    let pois = run(&[
        "pois",
        "--region",
        region,
        "--near",
        "43.7392,7.4276",
        "--radius",
        "300",
        "--category",
        "restaurant",
        "--json",
    ])
    .ok()
    .json();
    let list = pois["pois"].as_array().unwrap();
    assert!(!list.is_empty());
    let distances: Vec<f64> = list.iter().map(|p| p["distance_m"].as_f64().unwrap()).collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]) && distances.iter().all(|d| *d <= 300.0));
    assert!(list.iter().all(|p| p["category"] == "restaurant"));

    // Palace to Casino on foot: OSRM-shaped JSON with a GeoJSON line.
    let route =
        run(&["route", "--region", region, "--from", "43.7314,7.4197", "--to", "43.7392,7.4276", "--json"]).ok().json();
    assert_eq!(route["code"], "Ok");
    let r = &route["routes"][0];
    let metres = r["distance"].as_f64().unwrap();
    let seconds = r["duration"].as_f64().unwrap();
    assert!((1000.0..3500.0).contains(&metres), "{metres}");
    assert!((metres / seconds * 3.6 - 5.0).abs() < 1.0, "walking speed {}", metres / seconds * 3.6);
    assert_eq!(r["geometry"]["type"], "LineString");
    let first = &r["geometry"]["coordinates"][0];
    assert!((first[0].as_f64().unwrap() - 7.4197).abs() < 0.002, "lon first: {first}");

    // A matrix from the cache equals the one from the PBF.
    let points = "43.7314,7.4197;43.7392,7.4276;43.7307,7.4253;43.7445,7.4330";
    let from_cache = run(&["matrix", "--region", region, "--points", points, "--json"]).ok().json();
    let from_pbf = run(&["matrix", "--region", pbf.to_str().unwrap(), "--points", points, "--json"]).ok().json();
    assert_eq!(from_cache["durations"], from_pbf["durations"]);
    let d = from_cache["durations"].as_array().unwrap();
    assert_eq!(d.len(), 4);
    for (i, row) in d.iter().enumerate() {
        assert_eq!(row[i], 0.0);
    }
}

#[test]
fn demo_route_and_matrix_human_output() {
    let out = run(&["route", "--profile", "car", "--from", "45.1001,4.9001", "--to", "45.1085,4.9120"]).ok();
    assert!(out.stdout.starts_with("car route:"), "{}", out.stdout);
    let out = run(&["matrix", "--random", "5", "--seed", "3"]).ok();
    assert!(out.stdout.contains("5 × 5 foot travel-time matrix"), "{}", out.stdout);
    // Same seed, same points, same answer.
    let a = run(&["matrix", "--random", "30", "--seed", "9", "--json"]).ok().json();
    let b = run(&["matrix", "--random", "30", "--seed", "9", "--json", "--algorithm", "dijkstra"]).ok().json();
    assert_eq!(a["durations"], b["durations"]);
    // A size beyond the table's limit is refused before any work.
    let e = run(&["matrix", "--random", "100000000"]).one_line_error();
    assert!(e.contains("--random") && e.contains("5000"), "{e}");
}

#[test]
fn bad_input_gives_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("empty.osm.pbf"), b"").unwrap();
    std::fs::write(d.join("text.osm.pbf"), b"hello, this is not a PBF file\n").unwrap();
    let demo = run_in(d, &["demo-region", "--out", "demo.osm.pbf"]).ok();
    assert!(demo.stdout.contains("demo.osm.pbf"));
    let bytes = std::fs::read(d.join("demo.osm.pbf")).unwrap();
    std::fs::write(d.join("cut.osm.pbf"), &bytes[..bytes.len() / 2]).unwrap();

    let e = run_in(d, &["ingest", "missing.osm.pbf"]).one_line_error();
    assert!(e.contains("missing.osm.pbf") && e.contains("cannot read"), "{e}");
    let e = run_in(d, &["ingest", "empty.osm.pbf"]).one_line_error();
    assert!(e.contains("empty.osm.pbf") && e.contains("empty"), "{e}");
    let e = run_in(d, &["ingest", "text.osm.pbf"]).one_line_error();
    assert!(e.contains("text.osm.pbf") && e.contains("not an OSM PBF"), "{e}");
    let e = run_in(d, &["ingest", "cut.osm.pbf"]).one_line_error();
    assert!(e.contains("cut.osm.pbf") && e.contains("truncated or corrupt"), "{e}");
    let e = run_in(d, &["pois", "--region", "text.osm.pbf", "--near", "45.1,4.9"]).one_line_error();
    assert!(e.contains("text.osm.pbf"), "{e}");

    // A cache from the future is refused with advice.
    run_in(d, &["ingest", "demo.osm.pbf", "--out", "demo.tripsmith"]).ok();
    let mut cache = std::fs::read(d.join("demo.tripsmith")).unwrap();
    cache[16] = 77;
    std::fs::write(d.join("demo.tripsmith"), &cache).unwrap();
    let e = run_in(d, &["route", "--region", "demo.tripsmith", "--from", "45.1001,4.9001", "--to", "45.1085,4.9120"])
        .one_line_error();
    assert!(e.contains("version 77") && e.contains("tripsmith ingest"), "{e}");

    let e = run(&["route", "--from", "45.1001,4.9001", "--to", "48.85,2.35"]).one_line_error();
    assert!(e.contains("nearest foot road"), "{e}");
    let e = run(&["pois", "--near", "45.1,4.9", "--radius", "-5"]).one_line_error();
    assert!(e.contains("--radius"), "{e}");
    let e = run(&["matrix", "--points", "45.1,4.9;oops"]).one_line_error();
    assert!(e.contains("oops"), "{e}");
}

#[test]
fn argument_errors_name_the_argument() {
    // clap reports usage errors with exit code 2 and names the argument.
    for (args, needle) in [
        (vec!["pois", "--near", "91,4.9"], "--near"),
        (vec!["pois", "--near", "45.1,4.9", "--category", "spaceport"], "spaceport"),
        (vec!["route", "--profile", "boat", "--from", "45.1,4.9", "--to", "45.1,4.9"], "boat"),
    ] {
        let out = run(&args);
        assert_eq!(out.code, Some(2), "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(needle), "{args:?}: {}", out.stderr);
    }
    assert!(run(&["--help"]).ok().stdout.contains("ingest"));
}

#[test]
fn check_request_lists_labels_and_names_bad_fields() {
    let out = run(&["check-request", "constraints/demo-weekend.toml", "--json"]).ok().json();
    assert_eq!(out["request"]["days"], 2);
    let labels: Vec<&str> = out["labels"].as_array().unwrap().iter().filter_map(|l| l.as_str()).collect();
    assert!(labels.contains(&"must_visit[\"Musée des Beaux-Arts\"]"), "{labels:?}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.toml"), "days = 1\n[meals.lunch]\nwindow = [\"14:00\", \"12:00\"]\n").unwrap();
    let e = run_in(dir.path(), &["check-request", "bad.toml"]).one_line_error();
    assert!(e.contains("bad.toml") && e.contains("meals.lunch.window"), "{e}");
    // A TOML syntax error says where.
    std::fs::write(dir.path().join("syntax.toml"), "days = 2\nday_start = \n").unwrap();
    let e = run_in(dir.path(), &["check-request", "syntax.toml"]).one_line_error();
    assert!(e.contains("line 2, column 13"), "{e}");
    let schema = run(&["request-schema"]).ok().json();
    assert_eq!(schema["title"], "TripRequest");
}

#[test]
fn plan_demo_requests_end_to_end() {
    // A feasible weekend: every returned plan passes the independent checker.
    let v = run(&["plan", "constraints/demo-weekend.toml", "--time-limit", "15", "--json"]).ok().json();
    assert!(v["status"] == "feasible" || v["status"] == "timeout", "{v}");
    assert_eq!(v["checker"]["violations"], serde_json::json!([]), "{v}");
    let days = v["plan"]["days"].as_array().unwrap();
    assert_eq!(days.len(), 2);
    let names: Vec<&str> =
        days.iter().flat_map(|d| d["stops"].as_array().unwrap()).filter_map(|s| s["name"].as_str()).collect();
    assert!(names.contains(&"Musée des Beaux-Arts") && names.contains(&"Château de Belcastel"), "{names:?}");
    assert!(!names.contains(&"Le Hangar"));
    assert_eq!(v["plan"]["lodging_name"], "Hôtel de la Gare");

    // An impossible afternoon: a minimal core in the request's own labels, explained.
    // A generous limit: the search ends as soon as the repairs are verified.
    // Two minimal cores exist (the museum and the garden both close at 18:00); each backend
    // returns one of them.
    for backend in ["milp", "smt"] {
        let args = ["plan", "constraints/demo-late-start.toml", "--time-limit", "300", "--backend", backend, "--json"];
        let v = run(&args).exits(3).json();
        assert_eq!(v["status"], "infeasible");
        let museum = serde_json::json!(["day[1].start", "must_visit[\"Musée des Beaux-Arts\"]"]);
        let garden = serde_json::json!(["day[1].start", "must_visit[\"Jardin Botanique\"]"]);
        assert!(v["core"] == museum || v["core"] == garden, "{backend}: {v}");
        assert_eq!(v["explanation"][0]["constraint"], "day 1 starts at 17:30");
        let first = v["repairs"][0]["changes"][0]["change"].as_str().unwrap_or_default();
        assert!(first.starts_with("start day 1 at "), "{backend}: {v}");
        assert_eq!(v["cores"], serde_json::json!([v["core"]]), "{backend}: plan reports the first core only");
        // `explain` finds both, in words too, whichever it finds first.
        let explain = ["explain", "constraints/demo-late-start.toml", "--time-limit", "300", "--backend", backend];
        let v = run(&[&explain[..], &["--json"]].concat()).exits(3).json();
        let mut cores = v["cores"].as_array().unwrap().clone();
        cores.sort_by_key(|c| c.to_string());
        assert_eq!(cores, vec![garden.clone(), museum.clone()], "{backend}: {v}");
        assert_eq!(v["cores"][0], v["core"], "{backend}: {v}");
        let text = run(&explain).exits(3).stdout;
        assert!(text.contains("These conflict too (another minimal set):"), "{text}");
        assert!(text.contains("visit Musée des Beaux-Arts") && text.contains("visit Jardin Botanique"), "{text}");
        assert_eq!(text.matches("is not open for a").count(), 2, "each closed place says so: {text}");
    }

    // Too little money: the budget is in the core, and raising it is a verified repair.
    let v = run(&["plan", "constraints/demo-tight-budget.toml", "--time-limit", "300", "--json"]).exits(3).json();
    assert_eq!(v["status"], "infeasible");
    assert!(v["core"].as_array().unwrap().iter().any(|l| l == "budget"), "{v}");
    assert!(v["repairs"].as_array().unwrap().iter().any(|r| r["changes"][0]["constraint"] == "budget"), "{v}");

    // A place the region does not have is a request error naming the field.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("trip.toml"), "days = 1\nmust_visit = [\"Eiffel Tower\"]\n").unwrap();
    let e = run_in(dir.path(), &["plan", "trip.toml"]).one_line_error();
    assert!(e.contains("must_visit[0]") && e.contains("Eiffel Tower"), "{e}");
}

#[test]
fn plan_monaco_day_by_car_and_foot() {
    let pbf = shared_data("osm/monaco-latest-2026.osm.pbf");
    let v = run(&[
        "plan",
        "constraints/monaco-day.json",
        "--region",
        pbf.to_str().unwrap(),
        "--time-limit",
        "20",
        "--json",
    ])
    .ok()
    .json();
    assert!(v["status"] == "feasible" || v["status"] == "timeout", "{v}");
    assert_eq!(v["checker"]["violations"], serde_json::json!([]), "{v}");
    let stops = v["plan"]["days"][0]["stops"].as_array().unwrap();
    assert!(stops.iter().any(|s| s["id"] == "way/23715051"), "the Oceanographic Museum: {stops:?}");
    assert!(stops.iter().any(|s| s["activity"]["meal"] == "lunch"), "{stops:?}");
}

#[test]
fn reports_and_explain() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("weekend.html");
    let out =
        run(&["plan", "constraints/demo-weekend.toml", "--time-limit", "10", "--report", html.to_str().unwrap()]).ok();
    assert!(out.stdout.contains("report written to"), "{}", out.stdout);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("<svg") && page.contains("Musée des Beaux-Arts"));
    assert!(page.contains("meets every constraint"));
    assert!(!page.contains("<script"), "self-contained, no scripts");

    let md = dir.path().join("late.md");
    let out =
        run(&["explain", "constraints/demo-late-start.toml", "--time-limit", "300", "--report", md.to_str().unwrap()])
            .exits(3);
    assert!(out.stdout.contains("day[1].start"), "{}", out.stdout);
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.contains("## Why") && text.contains("start day 1 at"), "{text}");

    let json = dir.path().join("late.json");
    run(&["explain", "constraints/demo-late-start.toml", "--report", json.to_str().unwrap(), "--json"]).exits(3);
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["status"], "infeasible");

    let out = run(&["explain", "constraints/demo-weekend.toml", "--time-limit", "10"]).ok();
    assert!(out.stdout.contains("feasible"), "{}", out.stdout);
    // The itinerary for maps: GeoJSON, stops as points and legs as lines along the roads,
    // positions [lon, lat] (RFC 7946).
    let geojson = dir.path().join("weekend.geojson");
    let out = run(&[
        "plan",
        "constraints/demo-weekend.toml",
        "--time-limit",
        "10",
        "--json",
        "--export",
        geojson.to_str().unwrap(),
    ])
    .ok();
    let plan = out.json();
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&geojson).unwrap()).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    let features = v["features"].as_array().unwrap();
    let of = |kind: &str| features.iter().filter(|f| f["properties"]["kind"] == kind).collect::<Vec<_>>();
    let stops: usize =
        plan["plan"]["days"].as_array().unwrap().iter().map(|d| d["stops"].as_array().unwrap().len()).sum();
    assert_eq!(of("stop").len(), stops);
    assert_eq!(of("lodging").len(), 1);
    // Each day from the lodging to every stop and back.
    assert_eq!(of("leg").len(), stops + plan["plan"]["days"].as_array().unwrap().len());
    let first = of("stop")[0];
    assert_eq!(first["geometry"]["type"], "Point");
    assert_eq!(first["properties"]["name"], plan["plan"]["days"][0]["stops"][0]["name"]);
    let lon_lat = |p: &serde_json::Value| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
    let (lon, lat) = lon_lat(&first["geometry"]["coordinates"]);
    assert!((4.8..5.0).contains(&lon) && (45.0..45.2).contains(&lat), "[lon, lat] of the demo town: {lon}, {lat}");
    for leg in of("leg") {
        let line = leg["geometry"]["coordinates"].as_array().unwrap();
        assert!(leg["geometry"]["type"] == "LineString" && line.len() >= 2, "{leg}");
    }
    let e = run(&["plan", "constraints/demo-weekend.toml", "--export", "x.kml"]).one_line_error();
    assert!(e.contains("x.kml") && e.contains(".geojson, .gpx, .ics"), "{e}");
    // A report that cannot be written is refused before the solve.
    let e = run(&["plan", "constraints/demo-weekend.toml", "--report", "x.pdf", "--time-limit", "5"]).one_line_error();
    assert!(e.contains("x.pdf") && e.contains(".html"), "{e}");
    let missing = dir.path().join("no-such-folder/late.md");
    let e = run(&["plan", "constraints/demo-weekend.toml", "--report", missing.to_str().unwrap()]).one_line_error();
    assert!(e.contains("no folder"), "{e}");
}

#[test]
fn eval_travelplanner_solves_checks_and_explains() {
    let data = shared_data("travelplanner");
    let data = data.to_str().unwrap();
    let close = |x: &serde_json::Value, y: f64| (x.as_f64().unwrap() - y).abs() < 1e-9;
    // Solving: every train query gets a plan that passes; the plans are written as a submission.
    let dir = tempfile::tempdir().unwrap();
    let written = dir.path().join("solved.jsonl");
    let v = run(&["eval", "travelplanner", "--data", data, "--json", "--write-plans", written.to_str().unwrap()])
        .ok()
        .json();
    assert_eq!(v["queries"], 45);
    assert!(close(&v["final_pass_rate"], 1.0), "{v}");
    assert!(v["solve_seconds"]["median"].as_f64().unwrap() > 0.0, "{v}");
    assert_eq!(v["infeasible"].as_array().unwrap().len(), 0);
    // Re-checked as a submission by the plan checker alone.
    let v = run(&["eval", "travelplanner", "--data", data, "--plans", written.to_str().unwrap(), "--json"]).ok().json();
    assert!(close(&v["final_pass_rate"], 1.0), "{v}");

    // UnsatChristmas: infeasible queries with cores and verified repairs.
    let v = run(&["eval", "travelplanner", "--data", data, "--format", "christmas", "--json"]).ok().json();
    assert_eq!(v["queries"], 39);
    let infeasible = v["infeasible"].as_array().unwrap();
    assert!(infeasible.len() >= 36, "{v}");
    assert_eq!(infeasible[0]["id"], "1");
    assert_eq!(infeasible[0]["core"], serde_json::json!(["flight rule: non-stop"]));
    assert_eq!(infeasible[0]["repairs"][0]["changes"][0]["change"], "give up flight rule: non-stop");
    assert!(close(&v["unsat"]["repaired"], 1.0), "{v}");
    let text = run(&["eval", "travelplanner", "--data", data, "--format", "travelplanner-unsat"]).ok().stdout;
    assert!(text.contains("query 2: infeasible; core: transportation: no flight"), "{text}");

    // The annotated human plans: all pass, as the official evaluator says (query 41 visits San
    // Angelo from San Antonio, which the official "current city" check lets through).
    let v = run(&["eval", "travelplanner", "--data", data, "--annotated", "--json"]).ok().json();
    assert_eq!(v["queries"], 45);
    assert!(close(&v["final_pass_rate"], 1.0), "{v}");
    assert!(close(&v["hard_micro"], 1.0), "{v}");
    assert_eq!(v["failures"].as_array().unwrap().len(), 0, "{v}");

    // The same plans as a submission file, the first one missing: one query undelivered.
    let queries = std::fs::read_to_string(shared_data("travelplanner/train/train_data_list.jsonl")).unwrap();
    let lines: Vec<String> = queries
        .lines()
        .enumerate()
        .skip(1)
        .map(|(i, line)| {
            let q: serde_json::Value = serde_json::from_str(line).unwrap();
            serde_json::json!({"idx": i + 1, "plan": q["annotated_plan"][1]}).to_string()
        })
        .collect();
    let submission = dir.path().join("submission.jsonl");
    std::fs::write(&submission, lines.join("\n")).unwrap();
    let v =
        run(&["eval", "travelplanner", "--data", data, "--plans", submission.to_str().unwrap(), "--json"]).ok().json();
    assert!(close(&v["delivery_rate"], 44.0 / 45.0), "{v}");
    assert!(close(&v["final_pass_rate"], 44.0 / 45.0), "{v}");

    let e = run(&["eval", "travelplanner", "--data", data, "--queries", "missing.jsonl"]).one_line_error();
    assert!(e.contains("missing.jsonl"), "{e}");
    let e = run(&["eval", "travelplanner", "--data", "/nonexistent"]).one_line_error();
    assert!(e.contains("/nonexistent"), "{e}");
    let e = run(&["eval", "travelplanner", "--data", data, "--time-limit", "0"]).one_line_error();
    assert!(e.contains("--time-limit"), "{e}");
    let e = run(&["eval", "travelplanner", "--data", data, "--format", "christmas", "--annotated"]).one_line_error();
    assert!(e.contains("TravelPlanner formats"), "{e}");
}

#[test]
fn assign_reaches_the_equilibrium_and_plots_it() {
    let sioux = shared_data("tntp/SiouxFalls");
    let dir = tempfile::tempdir().unwrap();
    let plot = dir.path().join("gap.svg");
    let v = run(&[
        "assign",
        sioux.to_str().unwrap(),
        "--gap",
        "1e-8",
        "--json",
        "--flows",
        "--plot",
        plot.to_str().unwrap(),
    ])
    .ok()
    .json();
    assert!(v["relative_gap"].as_f64().unwrap() <= 1e-8, "{v}");
    assert_eq!(v["algorithm"], "gp");
    assert!(v["iterations"].as_u64().unwrap() > 0);
    assert!(v["best_known"]["relative_l1"].as_f64().unwrap() < 1e-4, "{v}");
    assert!((v["tstt"].as_f64().unwrap() - 7_480_225.34).abs() < 10.0, "{v}");
    assert_eq!(v["flows"].as_array().unwrap().len(), 76);
    let svg = std::fs::read_to_string(&plot).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("polyline"), "{svg}");
    let v = run(&["assign", sioux.to_str().unwrap(), "--algorithm", "bfw", "--gap", "1e-3", "--json"]).ok().json();
    assert_eq!(v["algorithm"], "bfw");
    assert!(v.get("flows").is_none());
    let text = run(&["assign", sioux.to_str().unwrap(), "--max-iterations", "2", "--algorithm", "fw"]).ok().stdout;
    assert!(text.contains("was not reached within 2 iterations"), "{text}");
    let e = run(&["assign", sioux.to_str().unwrap(), "--gap", "2"]).one_line_error();
    assert!(e.contains("--gap"), "{e}");
    let e = run(&["assign", dir.path().to_str().unwrap()]).one_line_error();
    assert!(e.contains("_net.tntp"), "{e}");
}

#[test]
fn design_adds_lanes_within_the_budget() {
    let sioux = shared_data("tntp/SiouxFalls");
    let candidates = tripsmith_e2e::workspace_root().join("crates/netdesign/candidates/SiouxFalls.csv");
    let (sioux, candidates) = (sioux.to_str().unwrap(), candidates.to_str().unwrap());
    let args = ["design", sioux, "--candidates", candidates, "--budget", "0.25", "--json"];
    let ga = run(&[&args[..], &["--population", "12", "--generations", "10", "--gap", "1e-5"]].concat()).ok().json();
    assert_eq!(ga["fitness"], "exact");
    assert!(ga["cost"].as_f64().unwrap() <= ga["budget_cost"].as_f64().unwrap());
    assert!(ga["best_tstt"].as_f64().unwrap() < ga["baseline_tstt"].as_f64().unwrap(), "{ga}");
    assert!(!ga["chosen"].as_array().unwrap().is_empty());
    let all = run(&[&args[..], &["--exhaustive", "--gap", "1e-5"]].concat()).ok().json();
    assert_eq!(all["search"], "exhaustive");
    // Equilibria to gap 1e-5: TSTTs compare within 1e-4.
    assert!(all["best_tstt"].as_f64().unwrap() <= ga["best_tstt"].as_f64().unwrap() * (1.0 + 1e-4), "{all} {ga}");
    // The shipped file is what the documented rule makes.
    let made = run(&["design-candidates", sioux, "--count", "10"]).ok().stdout;
    let shipped = std::fs::read_to_string(candidates).unwrap();
    let rows = |t: &str| t.lines().filter(|l| !l.starts_with('#')).map(String::from).collect::<Vec<_>>();
    assert_eq!(rows(&made), rows(&shipped));
    let e = run(&["design", sioux, "--candidates", candidates, "--budget", "1.5"]).one_line_error();
    assert!(e.contains("--budget"), "{e}");
    let e = run(&["design", sioux, "--candidates", "/nonexistent.csv"]).one_line_error();
    assert!(e.contains("/nonexistent.csv"), "{e}");
}

#[test]
fn design_with_a_surrogate_trains_first_and_checks_its_best_exactly() {
    let sioux = shared_data("tntp/SiouxFalls");
    let candidates = tripsmith_e2e::workspace_root().join("crates/netdesign/candidates/SiouxFalls.csv");
    let v = run(&[
        "design",
        sioux.to_str().unwrap(),
        "--candidates",
        candidates.to_str().unwrap(),
        "--fitness",
        "surrogate",
        "--samples",
        "30",
        "--epochs",
        "20",
        "--population",
        "8",
        "--generations",
        "3",
        "--json",
    ])
    .ok()
    .json();
    assert_eq!(v["fitness"], "surrogate");
    assert!(v["train_seconds"].as_f64().unwrap() > 0.0, "{v}");
    assert_eq!(v["surrogate"]["held_out"], 6);
    assert!(v["surrogate"]["accuracy"]["flow_r2"].is_number(), "{v}");
    // The reported choice is solved exactly: never worse than doing nothing.
    assert!(v["best_tstt_exact"].as_f64().unwrap() <= v["baseline_tstt"].as_f64().unwrap() * (1.0 + 1e-6), "{v}");
    assert!(v["cost"].as_f64().unwrap() <= v["budget_cost"].as_f64().unwrap());
    let e = run(&[
        "design",
        sioux.to_str().unwrap(),
        "--candidates",
        candidates.to_str().unwrap(),
        "--fitness",
        "surrogate",
        "--exhaustive",
    ])
    .one_line_error();
    assert!(e.contains("--fitness surrogate"), "{e}");
}

#[test]
fn design_train_saves_a_model_that_design_loads_and_refuses_for_another_network() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("sioux.safetensors");
    let sioux = shared_data("tntp/SiouxFalls");
    let sioux = sioux.to_str().unwrap();
    let root = tripsmith_e2e::workspace_root();
    let candidates = root.join("crates/netdesign/candidates/SiouxFalls.csv");
    let candidates = candidates.to_str().unwrap();
    let model_arg = model.to_str().unwrap();
    let trained = run(&[
        "design",
        "train",
        sioux,
        "--candidates",
        candidates,
        "--samples",
        "20",
        "--epochs",
        "10",
        "--out",
        model_arg,
        "--json",
    ])
    .ok()
    .json();
    assert_eq!(trained["samples"], 20, "{trained}");
    assert_eq!(trained["held_out"], 4, "{trained}");
    assert!(trained["accuracy"]["tstt_r2"].is_number(), "{trained}");
    assert!(model.metadata().unwrap().len() > 1000);
    let searched = |extra: &[&str]| {
        let mut args = vec!["design", sioux, "--candidates", candidates, "--fitness", "surrogate", "--json"];
        args.extend_from_slice(extra);
        args.extend(["--model", model_arg, "--population", "8", "--generations", "3"]);
        run(&args)
    };
    let v = searched(&[]).ok().json();
    assert_eq!(v["fitness"], "surrogate");
    assert!(v.get("train_seconds").is_none(), "a loaded model is not trained again: {v}");
    assert!(v["best_tstt_exact"].as_f64().unwrap() <= v["baseline_tstt"].as_f64().unwrap() * (1.0 + 1e-6), "{v}");
    // The model knows which candidates it learned.
    let other = dir.path().join("other.csv");
    std::fs::write(&other, "from,to\n1,2\n2,1\n").unwrap();
    let e = run(&[
        "design",
        sioux,
        "--candidates",
        other.to_str().unwrap(),
        "--fitness",
        "surrogate",
        "--model",
        model_arg,
    ])
    .one_line_error();
    assert!(e.contains("another candidate set"), "{e}");
    // A file that is not a model.
    let e = run(&["design", sioux, "--candidates", candidates, "--fitness", "surrogate", "--model", candidates])
        .one_line_error();
    assert!(e.contains("model file") && e.contains("SiouxFalls.csv"), "{e}");
    let e = run(&["design", sioux, "--candidates", candidates, "--model", model_arg]).one_line_error();
    assert!(e.contains("--model goes with --fitness surrogate"), "{e}");
}

#[test]
fn vrp_solve_prints_checked_routes_and_writes_a_solution_file() {
    let dir = tempfile::tempdir().unwrap();
    let sol = dir.path().join("e13.sol");
    let e13 = shared_data("vrp/cvrp/E/E-n13-k4.vrp");
    let v = run(&[
        "vrp",
        "solve",
        e13.to_str().unwrap(),
        "--time-limit",
        "1",
        "--write-solution",
        sol.to_str().unwrap(),
        "--json",
    ])
    .ok()
    .json();
    assert_eq!(v["feasible"], true, "{v}");
    assert_eq!(v["proven_optimal"], false);
    assert_eq!(v["unassigned"].as_array().unwrap().len(), 0);
    let served: usize = v["routes"].as_array().unwrap().iter().map(|r| r.as_array().unwrap().len()).sum();
    assert_eq!(served, 12);
    // Optimum 247; a second is plenty for 12 clients.
    assert_eq!(v["cost"], 247.0, "{v}");
    let written = std::fs::read_to_string(&sol).unwrap();
    assert!(written.starts_with("Route #1: ") && written.ends_with("Cost 247\n"), "{written}");
    // Solomon files are recognised by their content; VROOM-shaped JSON and GeoJSON on request.
    let c101 = shared_data("vrp/vrptw/solomon/C101.txt");
    let (vroom, geo) = (dir.path().join("c101.json"), dir.path().join("c101.geojson"));
    let v = run(&[
        "vrp",
        "solve",
        c101.to_str().unwrap(),
        "--time-limit",
        "1",
        "--write-vroom",
        vroom.to_str().unwrap(),
        "--write-geojson",
        geo.to_str().unwrap(),
        "--json",
    ])
    .ok()
    .json();
    assert_eq!(v["feasible"], true, "{v}");
    let vroom: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&vroom).unwrap()).unwrap();
    assert!((vroom["summary"]["cost"].as_f64().unwrap() - v["cost"].as_f64().unwrap()).abs() < 1e-6, "{vroom}");
    let geo: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&geo).unwrap()).unwrap();
    assert_eq!(geo["features"].as_array().unwrap().len(), v["routes"].as_array().unwrap().len() + 101);
    let e = run(&["vrp", "solve", e13.to_str().unwrap(), "--write-geojson", "x.geojson"]).one_line_error();
    assert!(e.contains("no coordinates"), "{e}");
    let bad = dir.path().join("bad.vrp");
    std::fs::write(&bad, "NAME : x\nDIMENSION : 3\nCAPACITY : ten\n").unwrap();
    let e = run(&["vrp", "solve", bad.to_str().unwrap()]).one_line_error();
    assert!(e.contains("bad.vrp") && e.contains("line 3"), "{e}");
    let e = run(&["vrp", "solve", e13.to_str().unwrap(), "--time-limit", "-1"]).one_line_error();
    assert!(e.contains("--time-limit"), "{e}");
    // The genetic search: the same optimum; time windows are beyond it, and it says so.
    let v =
        run(&["vrp", "solve", e13.to_str().unwrap(), "--algorithm", "hgs", "--time-limit", "1", "--json"]).ok().json();
    assert_eq!((&v["feasible"], &v["cost"]), (&serde_json::json!(true), &serde_json::json!(247.0)), "{v}");
    let e = run(&["vrp", "solve", c101.to_str().unwrap(), "--algorithm", "hgs"]).one_line_error();
    assert!(e.contains("genetic search") && e.contains("number of vehicles"), "{e}");
}

#[test]
fn vrp_exact_proves_optima_and_vrp_check_judges_solution_files() {
    let dir = tempfile::tempdir().unwrap();
    let p16 = shared_data("vrp/cvrp/other/P-n16-k8.vrp");
    let v = run(&["vrp", "solve", p16.to_str().unwrap(), "--exact", "--time-limit", "60", "--json"]).ok().json();
    assert_eq!(
        (v["proven_optimal"].clone(), v["cost"].clone(), v["feasible"].clone()),
        (true.into(), 450.0.into(), true.into()),
        "{v}"
    );
    assert_eq!(v["lower_bound"], 450.0);
    // A TSPLIB GEO file, told apart by the reader.
    let burma = shared_data("vrp/tsp/burma14.tsp");
    let v = run(&["vrp", "solve", burma.to_str().unwrap(), "--format", "tsplib", "--exact", "--json"]).ok().json();
    assert_eq!((v["proven_optimal"].clone(), v["cost"].clone()), (true.into(), 3323.0.into()), "{v}");
    assert_eq!(v["routes"].as_array().unwrap().len(), 1);
    // Time windows are outside the exact formulation: refused before any search.
    let c101 = shared_data("vrp/vrptw/solomon/C101.txt");
    let e = run(&["vrp", "solve", c101.to_str().unwrap(), "--exact"]).one_line_error();
    assert!(e.contains("time windows"), "{e}");
    // vrp check: the shipped best-known solution is feasible at its cost; a broken one is not.
    let sol = shared_data("vrp/vrptw/solomon/C101.sol");
    let v = run(&["vrp", "check", c101.to_str().unwrap(), sol.to_str().unwrap(), "--json"]).ok().json();
    assert_eq!((v["feasible"].clone(), v["cost"].clone()), (true.into(), 827.3.into()), "{v}");
    let broken = dir.path().join("broken.sol");
    std::fs::write(&broken, "Route #1: 1 2 3\nRoute #2: 3\n").unwrap();
    let e = run(&["vrp", "check", c101.to_str().unwrap(), broken.to_str().unwrap()]).one_line_error();
    assert!(e.contains("infeasible"), "{e}");
}

#[test]
fn exit_statuses_say_how_a_command_came_out() {
    // A job needing a skill no vehicle has is left unserved: exit status 5, the answer printed.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("skills.json");
    std::fs::write(
        &file,
        r#"{"vehicles": [{"id": 1, "start_index": 0, "end_index": 0, "capacity": [10], "skills": [1]}],
            "jobs": [{"id": 7, "location_index": 1, "delivery": [1], "skills": [2]},
                     {"id": 8, "location_index": 2, "delivery": [1]}],
            "matrices": {"car": {"durations": [[0, 5, 5], [5, 0, 5], [5, 5, 0]]}}}"#,
    )
    .unwrap();
    let v = run(&["vrp", "solve", file.to_str().unwrap(), "--time-limit", "1", "--json"]).exits(5).json();
    assert_eq!(v["unassigned"][0]["id"], 7, "{v}");
    // A reader that closes the pipe early ends the program quietly.
    let mut child = std::process::Command::new(tripsmith_e2e::binary())
        .args(["matrix", "--random", "300", "--seed", "1", "--json"])
        .current_dir(tripsmith_e2e::workspace_root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"), "{}", String::from_utf8_lossy(&out.stderr));
    // The statuses are in --help.
    let help = run(&["--help"]).ok().stdout;
    assert!(help.contains("3 no itinerary meets every constraint") && help.contains("5 the vehicle-routing"), "{help}");
}

#[test]
fn vrp_reads_vroom_input_with_a_matrix_or_road_travel_times() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let v = run(&[
        "vrp",
        "solve",
        "vrp-examples/vroom-deliveries.json",
        "--time-limit",
        "1",
        "--write-vroom",
        out.to_str().unwrap(),
        "--json",
    ])
    .ok()
    .json();
    assert_eq!(v["feasible"], true, "{v}");
    assert_eq!(tripsmith_e2e::served_ids(&v["routes"]), vec![101, 102, 103, 104, 105, 106]);
    let vroom: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    for route in vroom["routes"].as_array().unwrap() {
        assert!(route["vehicle"] == 1 || route["vehicle"] == 2, "{route}");
        assert!(route["delivery"][0].as_i64().unwrap() <= 10, "{route}");
    }
    assert_eq!(vroom["summary"]["cost"], v["cost"]);
    // Steps name the input's own location indices (jobs 105 and 106 share index 5).
    let steps: Vec<&serde_json::Value> =
        vroom["routes"].as_array().unwrap().iter().flat_map(|r| r["steps"].as_array().unwrap()).collect();
    for (job, index) in [(105, 5), (106, 5), (101, 1)] {
        let step = steps.iter().find(|s| s["id"] == job).unwrap();
        assert_eq!(step["location_index"], index, "{step}");
    }
    // Jobs given as [lon, lat]: travel times from Monaco's roads, else a clear error.
    let e = run(&["vrp", "solve", "vrp-examples/vroom-monaco.json"]).one_line_error();
    assert!(e.contains("--region"), "{e}");
    let pbf = shared_data("osm/monaco-latest-2026.osm.pbf");
    let v = run(&[
        "vrp",
        "solve",
        "vrp-examples/vroom-monaco.json",
        "--region",
        pbf.to_str().unwrap(),
        "--time-limit",
        "1",
        "--json",
    ])
    .ok()
    .json();
    assert_eq!((v["feasible"].as_bool(), v["routes"][0].as_array().map(Vec::len)), (Some(true), Some(4)), "{v}");
    // Each leg is a real drive: more than a minute and less than an hour in all, priced by time
    // (VROOM's default) over road distances of more than a kilometre, at town speeds.
    let (seconds, metres) = (v["cost"].as_f64().unwrap(), v["distance"].as_f64().unwrap());
    assert!((60.0..3600.0).contains(&seconds) && v["travel_time"] == v["cost"], "{v}");
    assert!(metres > 1000.0 && (1.0..30.0).contains(&(metres / seconds)), "{v}");
}

#[test]
fn vrp_keeps_each_vroom_vehicle_to_its_depots_capacities_and_skills() {
    let dir = tempfile::tempdir().unwrap();
    let (out, sol) = (dir.path().join("out.json"), dir.path().join("out.sol"));
    let file = "vrp-examples/vroom-fleet.json";
    let (out_arg, sol_arg) = (out.to_str().unwrap(), sol.to_str().unwrap());
    let args =
        ["vrp", "solve", file, "--time-limit", "1", "--write-vroom", out_arg, "--write-solution", sol_arg, "--json"];
    let v = run(&args).ok().json();
    assert_eq!(v["feasible"], true, "{v}");
    // Route k is vehicle k's: job 202 needs the fridge truck (the second vehicle).
    let holds = |k: usize, job: u64| v["routes"][k].as_array().unwrap().iter().any(|j| j == job);
    assert!(holds(1, 202), "{v}");
    // The .sol keeps route numbers, so the checker sees the same vehicles.
    let checked = run(&["vrp", "check", file, sol.to_str().unwrap(), "--json"]).ok().json();
    assert_eq!((&checked["feasible"], &checked["cost"]), (&serde_json::json!(true), &v["cost"]), "{checked}");
    // VROOM-shaped output: each route starts at its vehicle's own depot, loads in two
    // dimensions within that vehicle's capacity.
    let vroom: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let capacity = |id: &serde_json::Value| match id.as_u64() {
        Some(1) => (0, [800, 6]),
        Some(2) => (1, [1500, 10]),
        _ => (0, [100, 2]),
    };
    for route in vroom["routes"].as_array().unwrap() {
        let (depot, limit) = capacity(&route["vehicle"]);
        assert_eq!(route["steps"][0]["location_index"], depot, "{route}");
        let delivery: Vec<i64> = route["delivery"].as_array().unwrap().iter().map(|q| q.as_i64().unwrap()).collect();
        assert!(delivery.len() == 2 && delivery[0] <= limit[0] && delivery[1] <= limit[1], "{route}");
    }
}

#[test]
fn vrp_carries_vroom_shipments_from_pickup_to_delivery_within_capacity() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let file = "vrp-examples/vroom-shipments.json";
    let v =
        run(&["vrp", "solve", file, "--time-limit", "1", "--write-vroom", out.to_str().unwrap(), "--json"]).ok().json();
    assert_eq!((&v["feasible"], v["unassigned"].as_array().map(Vec::len)), (&serde_json::json!(true), Some(0)), "{v}");
    // From the VROOM-shaped steps alone: each shipment picked up before it is delivered, on
    // one route; the load on board never above the vans' 4 nor below 0.
    let vroom: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let mut seen = std::collections::HashMap::new();
    for (k, route) in vroom["routes"].as_array().unwrap().iter().enumerate() {
        for (p, step) in route["steps"].as_array().unwrap().iter().enumerate() {
            let load = step["load"][0].as_i64().unwrap();
            assert!((0..=4).contains(&load), "{step}");
            if let Some(kind @ ("pickup" | "delivery" | "job")) = step["type"].as_str() {
                seen.insert((kind.to_string(), step["id"].as_u64().unwrap()), (k, p));
            }
        }
    }
    for id in [21, 22, 23] {
        let (pickup, delivery) = (seen[&("pickup".to_string(), id)], seen[&("delivery".to_string(), id)]);
        assert!(pickup.0 == delivery.0 && pickup.1 < delivery.1, "shipment {id}: {pickup:?} {delivery:?}");
    }
    assert!(seen.contains_key(&("job".to_string(), 11)) && seen.contains_key(&("job".to_string(), 12)));
}

/// Every order of `items` (each item first, then every order of the rest).
fn permutations(items: &[usize]) -> Vec<Vec<usize>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for (i, &first) in items.iter().enumerate() {
        let rest: Vec<usize> = items.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, &x)| x).collect();
        out.extend(permutations(&rest).into_iter().map(|mut p| {
            p.insert(0, first);
            p
        }));
    }
    out
}

#[test]
fn vrp_prices_vroom_vehicles_by_use_time_and_distance_at_the_optimum() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let file = "vrp-examples/vroom-costs.json";
    let v =
        run(&["vrp", "solve", file, "--time-limit", "2", "--write-vroom", out.to_str().unwrap(), "--json"]).ok().json();
    assert_eq!(v["feasible"], true, "{v}");
    // From the input file alone: every split of the six jobs between the two vehicles and every
    // order of each share, kept to capacity, the one window, the bike's distance limit; the
    // cheapest by VROOM's cost (fixed + per_hour × hours + per_km × km).
    let text = std::fs::read_to_string(tripsmith_e2e::workspace_root().join(file)).unwrap();
    let input: serde_json::Value = serde_json::from_str(&text).unwrap();
    let matrix = |key: &str| -> Vec<Vec<f64>> {
        input["matrices"]["car"][key]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect())
            .collect()
    };
    let (durations, distances) = (matrix("durations"), matrix("distances"));
    let jobs = input["jobs"].as_array().unwrap();
    let vehicles = input["vehicles"].as_array().unwrap();
    let route_cost = |vehicle: &serde_json::Value, order: &[usize]| -> Option<f64> {
        let costs = &vehicle["costs"];
        let (mut time, mut driven, mut travel, mut load, mut at) = (0.0, 0.0, 0.0, 0.0, 0);
        for &j in order {
            let place = jobs[j]["location_index"].as_u64().unwrap() as usize;
            time += durations[at][place];
            travel += durations[at][place];
            driven += distances[at][place];
            if let Some(w) = jobs[j]["time_windows"].as_array() {
                if time > w[0][1].as_f64().unwrap() {
                    return None;
                }
            }
            time += jobs[j]["service"].as_f64().unwrap();
            load += jobs[j]["delivery"][0].as_f64().unwrap();
            at = place;
        }
        (travel, driven) = (travel + durations[at][0], driven + distances[at][0]);
        let fits = load <= vehicle["capacity"][0].as_f64().unwrap()
            && vehicle["max_distance"].as_f64().is_none_or(|limit| driven <= limit);
        let used = !order.is_empty();
        let price = |key: &str| costs[key].as_f64().unwrap();
        fits.then(|| {
            if used {
                price("fixed") + price("per_hour") * travel / 3600.0 + price("per_km") * driven / 1000.0
            } else {
                0.0
            }
        })
    };
    let cheapest = |vehicle: &serde_json::Value, share: &[usize]| {
        permutations(share).iter().filter_map(|p| route_cost(vehicle, p)).fold(f64::INFINITY, f64::min)
    };
    let optimum = (0..1u32 << jobs.len())
        .map(|mask| {
            let (a, b): (Vec<usize>, Vec<usize>) = (0..jobs.len()).partition(|j| mask & (1 << j) == 0);
            cheapest(&vehicles[0], &a) + cheapest(&vehicles[1], &b)
        })
        .fold(f64::INFINITY, f64::min);
    let cost = v["cost"].as_f64().unwrap();
    assert!((cost - optimum).abs() < 1e-6, "tripsmith {cost}, optimum {optimum}");
    // The VROOM-shaped output prices each route the same way.
    let vroom: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let routes: f64 = vroom["routes"].as_array().unwrap().iter().map(|r| r["cost"].as_f64().unwrap()).sum();
    assert!((routes - cost).abs() < 1e-6 && (vroom["summary"]["cost"].as_f64().unwrap() - cost).abs() < 1e-6);
}

/// Rounded Euclidean distances (TSPLIB `EUC_2D`) between the points of a TSPLIB file.
fn tsplib_matrix(file: &std::path::Path) -> Vec<Vec<f64>> {
    let text = std::fs::read_to_string(file).unwrap();
    let section = text.split("NODE_COORD_SECTION").nth(1).unwrap();
    let points: Vec<(f64, f64)> = section
        .lines()
        .filter_map(|l| match l.split_whitespace().collect::<Vec<_>>()[..] {
            [_, x, y] => Some((x.parse().unwrap(), y.parse().unwrap())),
            _ => None,
        })
        .collect();
    let d = |a: (f64, f64), b: (f64, f64)| (((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt() + 0.5).floor();
    points.iter().map(|&a| points.iter().map(|&b| d(a, b)).collect()).collect()
}

/// The shortest tour from node 0 through each subset of the other nodes and back (Held–Karp),
/// indexed by the subset's bits (bit i: node i + 1); `before` lists node pairs (a, b) that a
/// tour holding both must visit a first.
fn shortest_tours(d: &[Vec<f64>], before: &[(usize, usize)]) -> Vec<f64> {
    shortest_tours_to(d, before, &|j| d[j][0])
}

/// [`shortest_tours`], closing each tour from its last node `j` at a cost of `back(j)`.
fn shortest_tours_to(d: &[Vec<f64>], before: &[(usize, usize)], back: &dyn Fn(usize) -> f64) -> Vec<f64> {
    let n = d.len() - 1;
    let mut path = vec![vec![f64::INFINITY; n]; 1 << n];
    for j in 0..n {
        path[1 << j][j] = d[0][j + 1];
    }
    for set in 1..1usize << n {
        for j in (0..n).filter(|j| set & (1 << j) != 0) {
            let rest = set & !(1 << j);
            // j comes last: nothing already visited may be due after it.
            if before.iter().any(|&(a, b)| a == j + 1 && rest & (1 << (b - 1)) != 0) {
                continue;
            }
            for i in (0..n).filter(|i| rest & (1 << i) != 0) {
                path[set][j] = path[set][j].min(path[rest][i] + d[i + 1][j + 1]);
            }
        }
    }
    (0..1usize << n)
        .map(|set| {
            (0..n).map(|j| path[set][j] + back(j + 1)).fold(if set == 0 { 0.0 } else { f64::INFINITY }, f64::min)
        })
        .collect()
}

/// The least possible longest tour when `robots` robots share the nodes of `full` (subset
/// bits), keeping `before` within each tour.
fn min_max_tours(d: &[Vec<f64>], robots: usize, full: usize, before: &[(usize, usize)]) -> f64 {
    min_max_split(&shortest_tours(d, before), robots, full)
}

/// The least possible longest tour when `robots` robots share the nodes of `full` (subset
/// bits), given the shortest tour through each subset.
fn min_max_split(tours: &[f64], robots: usize, full: usize) -> f64 {
    let mut best = tours.to_vec();
    for _ in 1..robots {
        let previous = best.clone();
        for set in (1..=full).filter(|set| set & !full == 0) {
            let mut part = set;
            while part > 0 {
                best[set] = best[set].min(tours[part].max(previous[set & !part]));
                part = (part - 1) & set;
            }
        }
    }
    best[full]
}

/// The least longest tour over every way of taking one node of each group (subset bits).
fn min_max_over_groups(d: &[Vec<f64>], robots: usize, groups: &[&[usize]]) -> f64 {
    let mut choices = vec![0usize];
    for group in groups {
        choices = choices.iter().flat_map(|&set| group.iter().map(move |&v| set | 1 << (v - 1))).collect();
    }
    choices.iter().map(|&set| min_max_tours(d, robots, set, &[])).fold(f64::INFINITY, f64::min)
}

/// The least possible longest leg of one tour through every node (the smallest threshold under
/// which a Hamiltonian cycle exists).
fn bottleneck_tour(d: &[Vec<f64>]) -> f64 {
    let mut thresholds: Vec<f64> = d.iter().flatten().copied().collect();
    thresholds.sort_by(f64::total_cmp);
    thresholds.dedup();
    let n = d.len() - 1;
    for t in thresholds {
        let mut reach = vec![vec![false; n]; 1 << n];
        for j in (0..n).filter(|&j| d[0][j + 1] <= t) {
            reach[1 << j][j] = true;
        }
        for set in 1..1usize << n {
            for j in (0..n).filter(|j| set & (1 << j) != 0) {
                let rest = set & !(1 << j);
                reach[set][j] |= (0..n).any(|i| rest & (1 << i) != 0 && reach[rest][i] && d[i + 1][j + 1] <= t);
            }
        }
        if (0..n).any(|j| reach[(1 << n) - 1][j] && d[j + 1][0] <= t) {
            return t;
        }
    }
    f64::INFINITY
}

/// The markets of a TSPLIB file's `PURCHASE_SECTION`: (units, price) by node (0-based; none
/// for nodes that sell nothing).
fn tsplib_markets(file: &std::path::Path) -> Vec<Option<(i64, f64)>> {
    let text = std::fs::read_to_string(file).unwrap();
    let mut markets = vec![None; tsplib_matrix(file).len()];
    let section = text.rsplit("PURCHASE_SECTION").next().unwrap();
    for line in section.lines().map(str::split_whitespace).map(Iterator::collect::<Vec<_>>) {
        if let [id, units, price] = line[..] {
            markets[id.parse::<usize>().unwrap() - 1] = Some((units.parse().unwrap(), price.parse().unwrap()));
        }
    }
    markets
}

/// The shortest tour from node 0 through the nodes of `set` (subset bits, bit i: node i + 1)
/// ending at `end(last)`, never driving more than `range` between charges (node 0 and each
/// node of `chargers` it visits), by trying every order.
fn shortest_in_range(d: &[Vec<f64>], set: usize, range: f64, chargers: &[usize], end: &dyn Fn(usize) -> usize) -> f64 {
    fn extend(
        d: &[Vec<f64>],
        (left, at, driven, since): (usize, usize, f64, f64),
        range: f64,
        chargers: &[usize],
        end: &dyn Fn(usize) -> usize,
    ) -> f64 {
        if left == 0 {
            let back = d[at][end(at)];
            return if since + back <= range { driven + back } else { f64::INFINITY };
        }
        let mut best = f64::INFINITY;
        for next in (0..d.len() - 1).filter(|i| left & (1 << i) != 0).map(|i| i + 1) {
            let reach = since + d[at][next];
            if reach <= range {
                let since = if chargers.contains(&next) { 0.0 } else { reach };
                let state = (left & !(1 << (next - 1)), next, driven + d[at][next], since);
                best = best.min(extend(d, state, range, chargers, end));
            }
        }
        best
    }
    extend(d, (set, 0, 0.0, 0.0), range, chargers, end)
}

#[test]
fn vrp_solves_and_checks_every_words_to_routes_example() {
    let dir = tripsmith_e2e::workspace_root().join("vrp-examples/words-to-routes");
    let mut files: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    // Each example with its objective and robots.
    let examples = [
        ("A-tsp.tsp", "total-cost", 1),
        ("A4-mtsp.tsp", "longest-route", 4),
        ("B-btsp.tsp", "longest-leg", 1),
        ("B4-btsp.tsp", "longest-leg", 4),
        ("C-gtsp.tsp", "total-cost", 1),
        ("C4-gtsp.tsp", "longest-route", 4),
        ("D-otsp.tsp", "total-cost", 1),
        ("D4-otsp.tsp", "longest-route", 4),
        ("E-tpp.tsp", "total-cost", 1),
        ("E4-tpp.tsp", "longest-route", 4),
        ("F-tsptw.txt", "total-cost", 1),
        ("F4-tsptw.txt", "longest-route", 4),
        ("G-atsp.atsp", "total-cost", 1),
        ("G4-atsp.atsp", "longest-route", 4),
        ("H-mdtsp.tsp", "total-cost", 1),
        ("H4-mdtsp.tsp", "longest-route", 4),
        ("I-mdtspc.tsp", "total-cost", 1),
        ("I4-mdtspc.tsp", "longest-route", 4),
        ("J-ktsp.tsp", "total-cost", 1),
        ("J4-ktsp.tsp", "longest-route", 4),
        ("K4-ctsp.json", "longest-route", 4),
    ];
    assert_eq!(files, examples.iter().map(|e| e.0).collect::<Vec<_>>());
    let mut answers = std::collections::HashMap::new();
    for (file, objective, robots) in examples {
        let path = dir.join(file);
        let args = ["vrp", "solve", path.to_str().unwrap(), "--objective", objective, "--time-limit", "1", "--json"];
        let v = run(&args).ok().json();
        let used = v["routes"].as_array().unwrap().iter().filter(|r| !r.as_array().unwrap().is_empty()).count();
        assert!(v["feasible"] == true && (1..=robots).contains(&used) && v["objective"] == objective, "{file}: {v}");
        answers.insert(file, v);
    }
    // Optima computed here, apart from the solver: the symmetric TSP is proven by the MILP too.
    let tsp = dir.join("A-tsp.tsp");
    let proven = run(&["vrp", "solve", tsp.to_str().unwrap(), "--exact", "--json"]).ok().json();
    assert_eq!((proven["proven_optimal"].as_bool(), &proven["cost"]), (Some(true), &answers["A-tsp.tsp"]["cost"]));
    // All examples share A's ten points (nodes 0..=9 here, node 0 the depot).
    let d = tsplib_matrix(&tsp);
    let all = (1 << 9) - 1;
    let optimum = |file: &str, value: f64| assert_eq!(answers[file]["cost"].as_f64(), Some(value), "{}", answers[file]);
    optimum("A-tsp.tsp", min_max_tours(&d, 1, all, &[]));
    optimum("A4-mtsp.tsp", min_max_tours(&d, 4, all, &[]));
    optimum("B-btsp.tsp", bottleneck_tour(&d));
    optimum("C-gtsp.tsp", min_max_over_groups(&d, 1, &[&[1, 2], &[3, 4, 9], &[5, 6], &[7, 8]]));
    optimum("C4-gtsp.tsp", min_max_over_groups(&d, 4, &[&[1, 2], &[3], &[4, 9], &[5], &[6, 7], &[8]]));
    // Orders as pairs of consecutive nodes (the files' 9 6 2 8 and 2 4 5 6 7, less one).
    let chain = |nodes: &[usize]| nodes.windows(2).map(|w| (w[0] - 1, w[1] - 1)).collect::<Vec<_>>();
    let (single, shared) = (chain(&[9, 6, 2, 8]), chain(&[2, 4, 5, 6, 7]));
    let closure = |pairs: &[(usize, usize)]| {
        let mut all = pairs.to_vec();
        for _ in 0..pairs.len() {
            let more: Vec<_> =
                all.iter().flat_map(|&(a, b)| all.iter().filter(move |p| p.0 == b).map(move |p| (a, p.1))).collect();
            all.extend(more);
            all.sort_unstable();
            all.dedup();
        }
        all
    };
    optimum("D-otsp.tsp", min_max_tours(&d, 1, all, &closure(&single)));
    optimum("D4-otsp.tsp", min_max_tours(&d, 4, all, &closure(&shared)));
    // Exactly five of the nine points: the shortest tour over any five (the cost adds the four
    // missed prizes of 1000).
    let tours = shortest_tours(&d, &[]);
    let five = (0..tours.len()).filter(|s| s.count_ones() == 5).map(|s| tours[s]).fold(f64::INFINITY, f64::min);
    let j = &answers["J-ktsp.tsp"];
    assert_eq!((j["distance"].as_f64(), j["cost"].as_f64()), (Some(five), Some(five + 4000.0)), "{j}");
    // Depots 1, 5 and 8 (nodes 0, 4, 7): every tour closes at the nearest of them.
    let nearest_depot = |j: usize| [0, 4, 7].iter().map(|&e| d[j][e]).fold(f64::INFINITY, f64::min);
    let free_end = shortest_tours_to(&d, &[], &nearest_depot);
    optimum("H-mdtsp.tsp", free_end[all]);
    optimum("H4-mdtsp.tsp", min_max_split(&free_end, 4, all));
    // A purchaser buys 60 units: every set of markets selling that many, with its shortest
    // tour and its purchases; four robots of capacities 10, 15, 20 and 20 (in that order)
    // share the markets they visit, the costliest tour (travel and purchases) counting.
    let markets = tsplib_markets(&dir.join("E-tpp.tsp"));
    let sum = |set: usize, f: &dyn Fn((i64, f64)) -> f64| {
        (0..9).filter(|i| set & (1 << i) != 0).filter_map(|i| markets[i + 1]).map(f).sum::<f64>()
    };
    let units = |set: usize| sum(set, &|m| m.0 as f64);
    let priced: Vec<f64> = (0..=all).map(|set| tours[set] + sum(set, &|m| m.0 as f64 * m.1)).collect();
    let enough =
        |best: &dyn Fn(usize) -> f64| (0..=all).filter(|&s| units(s) >= 60.0).map(best).fold(f64::INFINITY, f64::min);
    optimum("E-tpp.tsp", enough(&|s| priced[s]));
    let mut shared = vec![f64::INFINITY; all + 1];
    shared[0] = 0.0;
    for capacity in [10.0, 15.0, 20.0, 20.0] {
        let before = shared.clone();
        for (set, best) in shared.iter_mut().enumerate() {
            let mut part = set;
            loop {
                if units(part) <= capacity {
                    *best = best.min(priced[part].max(before[set & !part]));
                }
                if part == 0 {
                    break;
                }
                part = (part - 1) & set;
            }
        }
    }
    optimum("E4-tpp.tsp", enough(&|s| shared[s]));
    // Range 140 between charges at depots 1, 5 and 8 (nodes 0, 4, 7), ending at the nearest
    // depot; four robots of range 110 back to node 0.
    // The MILP models neither ranges nor purchases: refused, never solved as a plain TSP.
    for (file, words) in [("I4-mdtspc.tsp", "range"), ("E-tpp.tsp", "pickups")] {
        let path = dir.join(file);
        let e = run(&["vrp", "solve", path.to_str().unwrap(), "--exact"]).one_line_error();
        assert!(e.contains(words), "{file}: {e}");
    }
    let nearest = |j: usize| [0, 4, 7].into_iter().fold(0, |b, e| if d[j][e] < d[j][b] { e } else { b });
    optimum("I-mdtspc.tsp", shortest_in_range(&d, all, 140.0, &[4, 7], &nearest));
    let ranged: Vec<f64> = (0..=all).map(|set| shortest_in_range(&d, set, 110.0, &[4, 7], &|_| 0)).collect();
    optimum("I4-mdtspc.tsp", min_max_split(&ranged, 4, all));
    // Four robots share the seven points within 47 of the depot (nodes 1 and 2 lie farther).
    optimum("J4-ktsp.tsp", min_max_tours(&d, 4, all & !0b11, &[]));
    // Coloured robots (VROOM skills): each city on a robot of one of its colours.
    let k4: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("K4-ctsp.json")).unwrap()).unwrap();
    let skill = |job: &serde_json::Value| {
        k4["jobs"].as_array().unwrap().iter().find(|j| j["id"] == *job).unwrap()["skills"][0].clone()
    };
    for (k, route) in answers["K4-ctsp.json"]["routes"].as_array().unwrap().iter().enumerate() {
        let robot = k4["vehicles"][k]["skills"].as_array().unwrap();
        assert!(route.as_array().unwrap().iter().all(|job| robot.contains(&skill(job))), "robot {}: {route}", k + 1);
    }
}

#[test]
fn recommend_eval_reports_every_baseline_with_intervals() {
    let data = shared_data("checkins/LBSNDatasets/Gowalla/Gowalla_2");
    let v = run(&["recommend", "eval", data.to_str().unwrap(), "--seeds", "2", "--json"]).ok().json();
    assert_eq!((v["dataset"].as_str(), &v["users"]), (Some("Gowalla"), &v["stats"]["test_cases"]), "{v}");
    assert!(v["stats"]["test_cases"].as_u64().unwrap() > 10 && v["stats"]["places"] == 6436, "{v}");
    for share in ["targets_in_top3", "targets_unvisited"] {
        assert!(v["stats"][share].as_f64().is_some_and(|x| (0.0..=1.0).contains(&x)), "{share}: {v}");
    }
    for name in ["top", "top-visitors", "distance-aware", "bpr-mf", "intention"] {
        let m = &v["models"][name];
        for metric in ["recall@10", "recall@20", "ndcg@10", "map"] {
            let (value, ci) = (m[metric].as_f64().unwrap(), m["ci95"][metric].as_f64().unwrap());
            assert!((0.0..=1.0).contains(&value) && ci > 0.0, "{name} {metric}: {m}");
        }
        assert!(m["recall@20"].as_f64() >= m["recall@10"].as_f64(), "{name}: {m}");
    }
    assert_eq!((&v["models"]["bpr-mf"]["seeds"], &v["models"]["intention"]["seeds"]), (&2.into(), &2.into()));
    // The paired comparison names the baseline with the best Recall@10 and the mean difference.
    let versus = &v["intention_vs_best"];
    let best = ["top", "top-visitors", "distance-aware", "bpr-mf"]
        .into_iter()
        .max_by(|a, b| {
            v["models"][a]["recall@10"].as_f64().unwrap().total_cmp(&v["models"][b]["recall@10"].as_f64().unwrap())
        })
        .unwrap();
    let gap =
        v["models"]["intention"]["recall@10"].as_f64().unwrap() - v["models"][best]["recall@10"].as_f64().unwrap();
    assert_eq!(versus["baseline"], best);
    assert!((versus["recall@10_difference"].as_f64().unwrap() - gap).abs() < 1e-9, "{versus}");
    let e = run(&["recommend", "eval", data.to_str().unwrap(), "--seeds", "0"]).one_line_error();
    assert!(e.contains("--seeds 0"), "{e}");
    let empty = tempfile::tempdir().unwrap();
    let e = run(&["recommend", "eval", empty.path().to_str().unwrap()]).one_line_error();
    assert!(e.contains("no <name>_checkins.txt"), "{e}");
}

#[test]
fn recommend_train_saves_a_model_whose_intentions_list_and_which_other_data_refuses() {
    let gowalla = shared_data("checkins/LBSNDatasets/Gowalla/Gowalla_2");
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.safetensors");
    let (data, file) = (gowalla.to_str().unwrap(), model.to_str().unwrap());
    let out = run(&["recommend", "train", data, "--out", file, "--epochs", "2"]).ok();
    assert!(out.stdout.contains("loss by epoch") && model.exists(), "{}", out.stdout);
    let v = run(&["recommend", "intentions", data, "--model", file, "--top", "3", "--json"]).ok().json();
    let listed = v.as_array().unwrap();
    assert_eq!(listed.len(), 15);
    let shares: f64 = listed.iter().map(|i| i["users_share"].as_f64().unwrap()).sum();
    assert!((shares - 1.0).abs() < 1e-9, "{shares}");
    assert!(listed.iter().all(|i| i["places"].as_array().unwrap().len() == 3));
    // Places for user 0 around the data set's first place, best first, each with its intention.
    let first = std::fs::read_to_string(gowalla.join("Gowalla_poi_coos.txt")).unwrap();
    let fields: Vec<&str> = first.lines().next().unwrap().split_whitespace().collect();
    let near = format!("{},{}", fields[1], fields[2]);
    let args = ["recommend", "places", data, "--model", file, "--user", "0", "--near", &near, "--top", "4", "--json"];
    let v = run(&args).ok().json();
    let listed = v.as_array().unwrap();
    assert!(!listed.is_empty() && listed.len() <= 4, "{v}");
    assert!(listed.windows(2).all(|w| w[0]["score"].as_f64() >= w[1]["score"].as_f64()), "{v}");
    assert!(
        listed.iter().all(|p| (1..=15).contains(&p["intention"].as_u64().unwrap())
            && p["intention_share"].as_f64().is_some_and(|s| s > 0.0 && s <= 1.0)),
        "{v}"
    );
    let e = run(&["recommend", "places", data, "--model", file, "--user", "100", "--near", &near]).one_line_error();
    assert!(e.contains("users are 0 to 99"), "{e}");
    let foursquare = shared_data("checkins/LBSNDatasets/Foursquare/Foursquare_3");
    let e = run(&["recommend", "intentions", foursquare.to_str().unwrap(), "--model", file]).one_line_error();
    assert!(e.contains("trained on 100 users"), "{e}");
}

/// A one-column history file of `(venue category, check-ins)`.
fn history_file(dir: &std::path::Path, name: &str, checkins: &[(&str, usize)]) -> std::path::PathBuf {
    let mut text = String::from("category\n");
    for (category, n) in checkins {
        text.push_str(&format!("{category}\n").repeat(*n));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The category counts of a `recommend --history --json` list.
fn recommended_categories(v: &serde_json::Value) -> std::collections::BTreeMap<String, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for r in v["recommendations"].as_array().unwrap() {
        *counts.entry(r["category"].as_str().unwrap().to_string()).or_default() += 1;
    }
    counts
}

#[test]
fn recommend_ranks_a_regions_places_for_real_nyc_histories() {
    let monaco = shared_data("osm/monaco-latest-2026.osm.pbf");
    let nyc = shared_data("checkins/Foursquare_NYC_GETNext/NYC_test.csv");
    let (region, history) = (monaco.to_str().unwrap(), nyc.to_str().unwrap());
    let list = |user: &str| {
        run(&["recommend", "--history", history, "--user", user, "--region", region, "--top", "8", "--json"])
            .ok()
            .json()
    };
    // User 1029 checked in at bars 16 times out of 18; user 936 at museums and a synagogue.
    let drinker = list("1029");
    assert_eq!(drinker["taste"]["weights"][0]["category"], "bar", "{drinker}");
    assert_eq!(drinker["recommendations"][0]["category"], "bar", "{drinker}");
    assert!(recommended_categories(&drinker)["bar"] >= 6, "{drinker}");
    let visitor = list("936");
    assert_eq!(visitor["taste"]["weights"][0]["category"], "museum", "{visitor}");
    assert_eq!(visitor["recommendations"][0]["category"], "museum", "{visitor}");
    let recs = visitor["recommendations"].as_array().unwrap();
    assert_eq!(recs.len(), 8);
    assert!(recs.windows(2).all(|w| w[0]["score"].as_f64() >= w[1]["score"].as_f64()), "{visitor}");
    assert!(recs[0]["because"].as_str().unwrap().contains("Museum"), "{visitor}");
    let out = run(&["recommend", "--history", history, "--user", "936", "--region", region, "--top", "3"]).ok();
    assert!(out.stdout.contains("history: 18 check-ins") && out.stdout.contains("  1. "), "{}", out.stdout);
    let e = run(&["recommend", "--history", history, "--region", region]).one_line_error();
    assert!(e.contains("962 users") && e.contains("choose one"), "{e}");
    let e = run(&["recommend", "--region", region]).one_line_error();
    assert!(e.contains("--history"), "{e}");
}

#[test]
fn plan_with_a_history_follows_the_travellers_taste() {
    let dir = tempfile::tempdir().unwrap();
    let museums = history_file(
        dir.path(),
        "museums.csv",
        &[("Art Museum", 9), ("Museum", 6), ("History Museum", 3), ("Art Gallery", 4), ("Subway", 8), ("Bar", 1)],
    );
    let nightlife = history_file(
        dir.path(),
        "nightlife.csv",
        &[("Nightclub", 8), ("Other Nightlife", 5), ("Casino", 4), ("Bar", 9), ("Museum", 1), ("Office", 6)],
    );
    let trip = dir.path().join("trip.json");
    std::fs::write(
        &trip,
        r#"{"days": 1, "day_start": "10:00", "day_end": "23:30", "travel": {"modes": ["foot"]}, "return_to_base": false}"#,
    )
    .unwrap();
    let monaco = shared_data("osm/monaco-latest-2026.osm.pbf");
    // The category of every place a trip may visit, from the full recommendation list.
    let args = ["recommend", "--history", museums.to_str().unwrap(), "--region", monaco.to_str().unwrap()];
    let all = run(&[&args[..], &["--top", "1000", "--json"]].concat()).ok().json();
    let categories: std::collections::BTreeMap<String, String> = all["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), r["category"].as_str().unwrap().to_string()))
        .collect();
    let plan = |history: &std::path::Path| {
        let args = [
            "plan",
            trip.to_str().unwrap(),
            "--region",
            monaco.to_str().unwrap(),
            "--history",
            history.to_str().unwrap(),
            "--time-limit",
            "20",
            "--json",
        ];
        let v = run(&args).ok().json();
        assert!(v["status"] == "feasible" || v["status"] == "timeout", "{v}");
        assert_eq!(v["checker"]["violations"], serde_json::json!([]), "{v}");
        let visited: Vec<String> = v["plan"]["days"][0]["stops"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["activity"]["type"] == "visit")
            .map(|s| categories.get(s["id"].as_str().unwrap()).cloned().unwrap_or_default())
            .collect();
        (visited, v)
    };
    let (art, v) = plan(&museums);
    let (night, w) = plan(&nightlife);
    let count = |list: &[String], kinds: &[&str]| list.iter().filter(|c| kinds.contains(&c.as_str())).count();
    assert!(count(&art, &["museum", "art"]) >= 3, "{art:?}\n{v}");
    // The plan says which values come from the history.
    let why: Vec<String> = v["plan"]["days"][0]["stops"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["why"].as_array().cloned().unwrap_or_default())
        .filter_map(|w| w.as_str().map(str::to_string))
        .collect();
    assert!(why.iter().any(|w| w.starts_with("museum: your check-in history ×")), "{why:?}");
    assert_eq!(count(&art, &["nightlife"]), 0, "{art:?}");
    assert!(count(&night, &["nightlife"]) >= 1, "{night:?}\n{w}");
    assert!(count(&night, &["nightlife", "bar"]) > count(&night, &["museum", "art"]), "{night:?}\n{w}");
    let out = run(&[
        "plan",
        trip.to_str().unwrap(),
        "--region",
        monaco.to_str().unwrap(),
        "--history",
        museums.to_str().unwrap(),
        "--time-limit",
        "20",
    ])
    .ok();
    assert!(out.stdout.contains("history: 31 check-ins, 23 at places a traveller visits"), "{}", out.stdout);
}

#[test]
fn recommend_eval_on_nyc_measures_category_transfer_in_new_neighbourhoods() {
    let data = shared_data("checkins/Foursquare_NYC_GETNext");
    let v = run(&["recommend", "eval", data.to_str().unwrap(), "--seeds", "1", "--json"]).ok().json();
    assert_eq!((v["dataset"].as_str(), v["task"].as_str()), (Some("NYC"), Some("new-neighbourhood")), "{v}");
    assert_eq!(
        (&v["stats"]["users"], &v["stats"]["before"], &v["stats"]["after"]),
        (&962.into(), &10_462.into(), &10_944.into())
    );
    assert!(v["stats"]["test_cases"].as_u64().unwrap() > 100, "{v}");
    for name in ["top", "category-transfer", "bpr-mf"] {
        let m = &v["models"][name];
        let (value, ci) = (m["recall@10"].as_f64().unwrap(), m["ci95"]["recall@10"].as_f64().unwrap());
        assert!((0.0..=1.0).contains(&value) && ci > 0.0, "{name}: {m}");
    }
    let gap = v["models"]["category-transfer"]["recall@10"].as_f64().unwrap()
        - v["models"]["top"]["recall@10"].as_f64().unwrap();
    assert!((v["category_vs_top"]["recall@10_difference"].as_f64().unwrap() - gap).abs() < 1e-9, "{v}");
    let out = run(&["recommend", "eval", data.to_str().unwrap(), "--seeds", "1"]).ok();
    assert!(
        out.stdout.contains("neighbourhoods of 3 km") && out.stdout.contains("category-transfer − top"),
        "{}",
        out.stdout
    );
}

#[test]
fn recommend_eval_on_travellers_between_two_cities_ranks_their_last_visits_new_venues() {
    let data = shared_data("checkins/UPTDNet");
    let v = run(&["recommend", "eval", data.to_str().unwrap(), "--seeds", "1", "--json"]).ok().json();
    assert_eq!(v["task"], "out-of-town", "{v}");
    assert_eq!(v["dataset"], "Foursquare_Washington_Baltimore");
    assert_eq!(v["stats"]["cities"], serde_json::json!(["Washington", "Baltimore"]));
    assert_eq!((v["stats"]["travellers"].as_u64(), v["stats"]["checkins"].as_u64()), (Some(141), Some(29_593)));
    let cases = v["stats"]["test_cases"].as_u64().unwrap();
    assert_eq!(cases + v["stats"]["only_revisits"].as_u64().unwrap(), 141, "{v}");
    for name in ["top", "top-visitors", "distance-aware", "category-transfer", "bpr-mf", "intention"] {
        let m = &v["models"][name];
        let value = m["recall@10"].as_f64().unwrap_or(-1.0);
        assert!((0.0..=1.0).contains(&value) && m["ci95"]["recall@10"].as_f64() > Some(0.0), "{name}: {m}");
    }
    assert!(v["intention_vs_best"]["baseline"].is_string(), "{v}");
}

#[test]
fn recommend_eval_plans_counts_the_last_visits_venues_in_checked_itineraries() {
    let data = shared_data("checkins/UPTDNet");
    let v = run(&["recommend", "eval-plans", data.to_str().unwrap(), "--json"]).ok().json();
    assert_eq!((v["dataset"].as_str(), v["travellers"].as_u64()), (Some("Foursquare_Washington_Baltimore"), Some(105)));
    let rate = |k: &str| v["hit_rate"][k].as_f64().unwrap_or(-1.0);
    assert!((0.0..=1.0).contains(&rate("popularity")) && (0.0..=1.0).contains(&rate("recommender")), "{v}");
    let diff = v["paired"]["diff"].as_f64().unwrap();
    assert!((diff - (rate("recommender") - rate("popularity"))).abs() < 1e-9, "{v}");
    let ci: Vec<f64> = v["paired"]["ci95"].as_array().unwrap().iter().filter_map(|x| x.as_f64()).collect();
    assert!(ci.len() == 2 && ci[0] < diff && diff < ci[1], "{v}");
    // Every itinerary was planned and passed the independent checker.
    assert_eq!((v["checker_violations"].as_u64(), v["unplanned"].as_u64()), (Some(0), Some(0)), "{v}");
    assert!(v["mean_stops"]["popularity"].as_f64() > Some(2.0), "{v}");
    let e = run(&["recommend", "eval-plans", shared_data("checkins/LBSNDatasets").to_str().unwrap()]).one_line_error();
    assert!(e.contains("no cross-city CSV"), "{e}");
}

#[test]
fn vrp_solve_reads_orienteering_files_and_checks_the_paths() {
    // c101 with one path: the proven optimum is 320 (Righini & Salani); the route search finds
    // it within a few seconds (release build: well under one).
    let c101 = shared_data("toptw/solomon-100/c101.txt");
    let args = ["vrp", "solve", c101.to_str().unwrap(), "--format", "toptw", "--time-limit", "5", "--json"];
    let v = run(&args).ok().json();
    assert_eq!(v["feasible"], true, "{v}");
    assert_eq!(v["prize"], 320, "{v}");
    assert_eq!(v["routes"].as_array().unwrap().len(), 1);
    // Two paths collect more.
    let mut two = args.to_vec();
    two.extend(["--vehicles", "2"]);
    let v2 = run(&two).ok().json();
    assert!(v2["prize"].as_i64().unwrap() > 320 && v2["feasible"] == true, "{v2}");
    // A broken file: the error names the line.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.txt"), "1 1 2 1\n0 0\n0 0 0 0 0 0 0 0 100\n1 10 x 5 10 1 1 1 0 100\n").unwrap();
    let e = run_in(dir.path(), &["vrp", "solve", "bad.txt", "--format", "toptw"]).one_line_error();
    assert!(e.contains("bad.txt: line 4"), "{e}");
}

/// A Python 3 that can import `modules` (`scripts/setup.sh` installs Debian's `python3-gpxpy`
/// and `python3-icalendar` for the system Python).
fn python_with(modules: &str) -> String {
    for candidate in ["/usr/bin/python3", "python3"] {
        let imports = std::process::Command::new(candidate).args(["-c", &format!("import {modules}")]).output();
        if imports.is_ok_and(|o| o.status.success()) {
            return candidate.to_string();
        }
    }
    panic!("no python3 can import {modules}: run scripts/setup.sh");
}

/// Runs `script` with `python` on `file`; its standard output as JSON.
fn python_json(python: &str, script: &str, file: &std::path::Path) -> serde_json::Value {
    let out = std::process::Command::new(python).args(["-c", script]).arg(file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn gpx_and_calendar_exports_read_back_with_their_own_parsers() {
    let python = python_with("gpxpy, icalendar");
    let dir = tempfile::tempdir().unwrap();
    let monaco = shared_data("osm/monaco-latest-2026.osm.pbf");
    let (gpx, ics) = (dir.path().join("trip.gpx"), dir.path().join("trip.ics"));
    // Two days in Monaco in September (UTC+2) without lunch: each day keeps a break.
    let request = "bench/itineraries/requests/monaco-first-request.json";
    let plan = |export: &std::path::Path| {
        run(&["plan", request, "--region", monaco.to_str().unwrap(), "--json", "--export", export.to_str().unwrap()])
            .ok()
            .json()
    };
    let answer = plan(&gpx);
    let days = answer["plan"]["days"].as_array().unwrap().clone();
    let stops: Vec<&serde_json::Value> = days.iter().flat_map(|d| d["stops"].as_array().unwrap()).collect();
    let read_gpx = "import gpxpy, json, sys\n\
g = gpxpy.parse(open(sys.argv[1]))\n\
print(json.dumps({'waypoints': [[w.name, w.latitude, w.longitude, w.type] for w in g.waypoints],\n\
  'routes': [[r.name, [p.name for p in r.points]] for r in g.routes],\n\
  'tracks': [[t.name, sum(len(s.points) for s in t.segments)] for t in g.tracks]}))";
    let g = python_json(&python, read_gpx, &gpx);
    let waypoints = g["waypoints"].as_array().unwrap();
    assert_eq!(waypoints.len(), stops.len() + 1, "the stops and the lodging: {g}");
    assert_eq!(waypoints[0][0], answer["plan"]["lodging_name"]);
    assert_eq!(waypoints[0][3], "lodging");
    for (w, s) in waypoints[1..].iter().zip(&stops) {
        assert_eq!(w[0], s["name"]);
        assert!((w[1].as_f64().unwrap() - s["location"]["lat"].as_f64().unwrap()).abs() < 1e-6, "{w} {s}");
        assert!((w[2].as_f64().unwrap() - s["location"]["lon"].as_f64().unwrap()).abs() < 1e-6, "{w} {s}");
    }
    let (routes, tracks) = (g["routes"].as_array().unwrap(), g["tracks"].as_array().unwrap());
    assert_eq!((routes.len(), tracks.len()), (days.len(), days.len()));
    for ((route, track), day) in routes.iter().zip(tracks).zip(&days) {
        let names: Vec<&serde_json::Value> = day["stops"].as_array().unwrap().iter().map(|s| &s["name"]).collect();
        assert_eq!(route[1].as_array().unwrap().iter().collect::<Vec<_>>(), names);
        // Along the roads: more points than stops.
        assert!(track[1].as_u64().unwrap() > names.len() as u64 + 1, "{track}");
        assert!(route[0].as_str().unwrap().contains(day["date"].as_str().unwrap()), "{route}");
    }

    // The route search is time-bounded, so the calendar's run may plan differently: compare it
    // with its own answer.
    let answer = plan(&ics);
    let days = answer["plan"]["days"].as_array().unwrap().clone();
    let stops: Vec<&serde_json::Value> = days.iter().flat_map(|d| d["stops"].as_array().unwrap()).collect();
    let read_ics = "import icalendar, json, sys\n\
c = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n\
print(json.dumps([[str(e.get('summary')), e.decoded('dtstart').isoformat(), e.decoded('dtend').isoformat(),\n\
  [e.get('geo').latitude, e.get('geo').longitude] if e.get('geo') else None, str(e.get('uid'))]\n\
  for e in c.walk('VEVENT')]))";
    let events = python_json(&python, read_ics, &ics);
    let events = events.as_array().unwrap();
    let breaks = days.iter().filter(|d| !d["rest"].is_null()).count();
    assert_eq!(breaks, days.len(), "each day without lunch keeps its break");
    assert_eq!(events.len(), stops.len() + breaks);
    let uids: std::collections::BTreeSet<&str> = events.iter().map(|e| e[4].as_str().unwrap()).collect();
    assert_eq!(uids.len(), events.len(), "event ids are unique");
    // The stops' local times in Monaco in September are UTC+2; the events are in UTC.
    let utc = |date: &str, clock: &str| {
        let (h, m) = clock.split_once(':').unwrap();
        format!("{date}T{:02}:{m}:00+00:00", h.parse::<u32>().unwrap() - 2)
    };
    let mut visited = events.iter().filter(|e| e[3].is_array());
    for day in &days {
        let date = day["date"].as_str().unwrap();
        for s in day["stops"].as_array().unwrap() {
            let e = visited.next().unwrap();
            assert_eq!(e[0], s["name"]);
            assert_eq!(e[1], utc(date, s["start"].as_str().unwrap()).as_str(), "{e} {s}");
            assert_eq!(e[2], utc(date, s["end"].as_str().unwrap()).as_str(), "{e} {s}");
            assert!((e[3][0].as_f64().unwrap() - s["location"]["lat"].as_f64().unwrap()).abs() < 1e-5);
        }
        let rest = events.iter().find(|e| {
            e[0] == "Break (free time)" && e[1] == utc(date, day["rest"]["start"].as_str().unwrap()).as_str()
        });
        assert!(rest.is_some(), "the break of {date} is an event: {events:?}");
    }
    // A calendar needs dates, which is said before any work.
    let e = run(&["plan", "constraints/demo-tight-budget.toml", "--export", "x.ics"]).one_line_error();
    assert!(e.contains("x.ics") && e.contains("start_date"), "{e}");
}
