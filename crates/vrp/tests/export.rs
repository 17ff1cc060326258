//! VROOM-shaped JSON and GeoJSON agree with the checker: the same cost, every client once,
//! arrivals within the windows, loads falling to zero, lines from the depot back to it.

use std::path::PathBuf;
use tripsmith_vrp::check::check;
use tripsmith_vrp::export::{geojson, vroom_json, NoCoordinates};
use tripsmith_vrp::instance::Rounding;
use tripsmith_vrp::solve::Unassigned;
use tripsmith_vrp::{solomon, solution, vrplib};

fn data(file: &str) -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("../../../shared/data/vrp")
        .join(file)
}

#[test]
fn vroom_json_of_a_best_known_solomon_solution_matches_the_checker() {
    let instance = solomon::read(&data("vrptw/solomon/C101.txt"), Rounding::TruncateOneDecimal).unwrap();
    let routes = solution::read(&data("vrptw/solomon/C101.sol")).unwrap().routes;
    let report = check(&instance, &routes);
    let left = [Unassigned { client: 7, reason: "made up".into() }];
    let v = vroom_json(&instance, &routes, &left, None);
    assert_eq!(v["code"], 0);
    assert!((v["summary"]["cost"].as_f64().unwrap() - report.cost).abs() < 1e-6, "{}", v["summary"]);
    assert_eq!(v["summary"]["routes"], report.routes);
    assert_eq!((v["unassigned"][0]["id"].as_u64(), v["unassigned"][0]["reason"].as_str()), (Some(7), Some("made up")));
    let mut seen = vec![0; instance.nodes()];
    for route in v["routes"].as_array().unwrap() {
        let steps = route["steps"].as_array().unwrap();
        assert_eq!((steps[0]["type"].as_str(), steps.last().unwrap()["type"].as_str()), (Some("start"), Some("end")));
        assert_eq!(steps[0]["load"][0], route["delivery"][0]);
        assert_eq!(steps.last().unwrap()["load"][0], 0);
        for s in &steps[1..steps.len() - 1] {
            let job = s["id"].as_u64().unwrap() as usize;
            seen[job] += 1;
            let start = s["arrival"].as_f64().unwrap() + s["waiting_time"].as_f64().unwrap();
            assert!(start >= instance.opens(job) - 1e-9 && start <= instance.closes(job) + 1e-9, "{s}");
        }
        assert!(steps.last().unwrap()["arrival"].as_f64().unwrap() <= instance.closes(0) + 1e-9);
    }
    assert!(seen[1..].iter().all(|&k| k == 1));
}

#[test]
fn geojson_draws_each_route_from_the_depot_and_back() {
    let instance = vrplib::read(&data("cvrp/A/A-n32-k5.vrp"), Rounding::Nearest).unwrap();
    let routes = solution::read(&data("cvrp/A/A-n32-k5.sol")).unwrap().routes;
    let g = geojson(&instance, &routes).unwrap();
    let features = g["features"].as_array().unwrap();
    assert_eq!(features.len(), routes.len() + instance.nodes());
    let depot = instance.coordinates.as_ref().unwrap()[0];
    let mut total = 0.0;
    for f in features.iter().filter(|f| f["geometry"]["type"] == "LineString") {
        let line = f["geometry"]["coordinates"].as_array().unwrap();
        for end in [&line[0], line.last().unwrap()] {
            assert_eq!((end[0].as_f64(), end[1].as_f64()), (Some(depot.0), Some(depot.1)));
        }
        assert_eq!(line.len(), f["properties"]["clients"].as_array().unwrap().len() + 2);
        total += f["properties"]["distance"].as_f64().unwrap();
    }
    assert_eq!(total, 784.0);
    let explicit = vrplib::read(&data("cvrp/E/E-n13-k4.vrp"), Rounding::Nearest).unwrap();
    assert_eq!(geojson(&explicit, &[vec![1]]), Err(NoCoordinates));
}
