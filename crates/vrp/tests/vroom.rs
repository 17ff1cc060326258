//! VROOM input: what the model holds is read faithfully (a Solomon instance written as VROOM
//! JSON checks to the same cost), coordinates ask for travel times, and every field beyond the
//! model is refused by name.

use std::path::PathBuf;
use tripsmith_vrp::check::check;
use tripsmith_vrp::instance::Rounding;
use tripsmith_vrp::{solomon, solution, vroom, FormatError};

fn data(file: &str) -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("../../../shared/data/vrp")
        .join(file)
}

fn no_roads(_: &[(f64, f64)]) -> Result<vroom::RoadMatrices, String> {
    Err("no roads here".into())
}

fn refused(text: &str) -> String {
    vroom::parse(text, &mut no_roads).unwrap_err().to_string()
}

#[test]
fn a_solomon_instance_written_as_vroom_json_checks_to_the_same_cost() {
    let c101 = solomon::read(&data("vrptw/solomon/C101.txt"), Rounding::TruncateOneDecimal).unwrap();
    let n = c101.nodes();
    let matrix: Vec<Vec<f64>> = (0..n).map(|i| (0..n).map(|j| c101.d(i, j)).collect()).collect();
    let vehicles: Vec<_> = (0..25)
        .map(|k| {
            serde_json::json!({"id": 1000 + k, "start_index": 0, "end_index": 0, "capacity": c101.fleet.kinds()[0].capacity,
                               "time_window": [c101.opens(0), c101.closes(0)]})
        })
        .collect();
    let jobs: Vec<_> = (1..n)
        .map(|c| {
            serde_json::json!({"id": 10 * c, "location_index": c, "service": c101.service[c],
                               "delivery": [c101.demand[c]], "time_windows": [[c101.opens(c), c101.closes(c)]]})
        })
        .collect();
    let text = serde_json::json!({"vehicles": vehicles, "jobs": jobs, "matrices": {"car": {"durations": matrix}}});
    let p = vroom::parse(&text.to_string(), &mut no_roads).unwrap();
    assert_eq!((p.names.job_ids[3], p.names.vehicle_ids[2], p.instance.fleet.limit()), (30, 1002, Some(25)));
    let routes = solution::read(&data("vrptw/solomon/C101.sol")).unwrap().routes;
    let (ours, theirs) = (check(&c101, &routes), check(&p.instance, &routes));
    assert!(theirs.feasible(), "{:?}", theirs.violations);
    assert!((ours.cost - theirs.cost).abs() < 1e-9);
}

#[test]
fn jobs_at_shared_places_and_coordinates_map_onto_nodes() {
    let text = std::fs::read_to_string(
        std::path::PathBuf::from(
            std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
        )
        .join("../../vrp-examples/vroom-deliveries.json"),
    )
    .unwrap();
    let p = vroom::parse(&text, &mut no_roads).unwrap();
    let i = &p.instance;
    let van = &i.fleet.kinds()[0];
    assert_eq!((i.nodes(), van.capacity.clone(), i.fleet.limit()), (7, vec![10], Some(2)));
    // Jobs 105 and 106 share location 5: no travel between them, both 400 from the depot.
    assert_eq!((i.d(5, 6), i.d(0, 5), i.d(0, 6), i.windows[3].clone()), (0.0, 400.0, 400.0, vec![(300.0, 900.0)]));
    assert_eq!((van.start, van.end, van.shift), (0, 0, (0.0, 2000.0)));
    // Coordinates without a matrix ask for road travel times and distances (here: a made-up 10 s
    // and 100 m per stop apart).
    let text = std::fs::read_to_string(
        std::path::PathBuf::from(
            std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
        )
        .join("../../vrp-examples/vroom-monaco.json"),
    )
    .unwrap();
    let mut asked = 0;
    let mut times = |points: &[(f64, f64)]| {
        asked = points.len();
        let apart: Vec<f64> = (0..points.len() * points.len())
            .map(|k| ((k / points.len()) as f64 - (k % points.len()) as f64).abs())
            .collect();
        Ok(vroom::RoadMatrices {
            durations: apart.iter().map(|x| 10.0 * x).collect(),
            distances: apart.iter().map(|x| 100.0 * x).collect(),
        })
    };
    let p = vroom::parse(&text, &mut times).unwrap();
    assert_eq!((asked, p.instance.t(1, 3), p.instance.d(1, 3)), (5, 20.0, 200.0));
    assert_eq!(p.instance.coordinates.as_ref().unwrap()[1], (7.4276, 43.7396));
    assert!(refused(&text).contains("no roads here"));
}

#[test]
fn fields_beyond_the_model_are_refused_by_name() {
    let base = |vehicle: &str, job: &str, extra: &str| {
        format!(
            r#"{{"vehicles": [{{"id": 1, "start_index": 0, "end_index": 0{vehicle}}}],
                 "jobs": [{{"id": 5, "location_index": 1{job}}}],
                 "matrix": [[0, 1], [1, 0]]{extra}}}"#
        )
    };
    assert!(vroom::parse(&base("", "", ""), &mut no_roads).is_ok());
    for (text, named) in [
        (base("", "", r#", "shipments": [{"amount": [1]}]"#), "shipments[0]: needs a pickup"),
        (base(r#", "skills": [-1]"#, "", ""), "vehicles[0].skills[0]"),
        (base(r#", "max_tasks": -3"#, "", ""), "vehicles[0].max_tasks"),
        (base(r#", "max_distance": 3600"#, "", ""), "vehicles[0].max_distance: needs a distances matrix"),
        (base(r#", "costs": {"per_km": 10}"#, "", ""), "vehicles[0].costs.per_km: needs a distances matrix"),
        (base(r#", "costs": {"per_task_hour": 10}"#, "", ""), "vehicles[0].costs.per_task_hour"),
        (base(r#", "costs": {"fixed": -1}"#, "", ""), "vehicles[0].costs.fixed: is negative"),
        (base(r#", "speed_factor": 1.5"#, "", ""), "vehicles[0].speed_factor"),
        (
            base("", "", "").replace(
                r#""matrix": [[0, 1], [1, 0]]"#,
                r#""matrices": {"car": {"durations": [[0, 1], [1, 0]], "costs": [[0, 1], [1, 0]]}}"#,
            ),
            "matrices.car.costs",
        ),
        (
            base("", "", "").replace(
                r#""matrix": [[0, 1], [1, 0]]"#,
                r#""matrices": {"car": {"durations": [[0, 1], [1, 0]], "distances": [[0]]}}"#,
            ),
            "matrices.car.distances: has 1 rows, the durations 2",
        ),
        (base("", r#", "priority": 101"#, ""), "jobs[0].priority"),
        (base("", r#", "setup": -30"#, ""), "jobs[0].setup: is negative"),
        (base(r#", "capacity": [4]"#, r#", "delivery": [1, 2]"#, ""), "jobs[0].delivery: has 2 amounts"),
        (base("", r#", "time_windows": [[0, 5], [4, 9]]"#, ""), "overlap"),
        (base("", r#", "time_windows": [[9, 5]]"#, ""), "after it ends"),
        (base("", r#", "location_index": 7"#, ""), "outside"),
        (base(r#", "breaks": [{"id": 1}]"#, "", ""), "breaks"),
        (base("", "", "").replace(r#", "start_index": 0, "end_index": 0"#, ""), "needs a start or an end"),
        (base("", "", "").replace("[[0, 1], [1, 0]]", "[[0, 1], [1]]"), "square"),
        (base("", "", "").replace(r#""id": 5"#, r#""id": -5"#), "jobs[0].id"),
    ] {
        let e = refused(&text);
        assert!(e.contains(named), "{named}: {e}");
    }
    let twice =
        base("", "", "").replace(r#""vehicles": ["#, r#""vehicles": [{"id": 1, "start_index": 0, "end_index": 0}, "#);
    assert!(refused(&twice).contains("vehicle id 1 is used twice"));
    let e = vroom::parse("{\n\"jobs\": [\n,]}", &mut no_roads).unwrap_err();
    assert!(matches!(e, FormatError::Line { line: 3, .. }), "{e}");
}
