//! Itineraries a traveller would take, on the real Monaco and Andorra extracts: the evaluation
//! set's requests planned and scored from the OSM objects themselves (guide-book landmarks,
//! sights worth seeing, no duplicates, no visit while closed on the trip's dates, proper meals).

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Duration;
use tripsmith_model::{NoProgress, Profile};
use tripsmith_planner::{Activity, Backend, Outcome, TripRequest};
use tripsmith_region::export::ExportFormat;
use tripsmith_region::itineraries::{score_plan, Guide, RequestScore};
use tripsmith_region::planning::CandidateLimits;
use tripsmith_region::trip::{solve_trip, PlanStatus, SolveOptions, TripAnswer};
use tripsmith_region::Region;

fn workspace() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("../..")
}

fn region(file: &str) -> Region {
    Region::open(&workspace().join("../shared/data/osm").join(file), &NoProgress).unwrap_or_else(|e| panic!("{e}"))
}

fn bench(path: &str) -> String {
    std::fs::read_to_string(workspace().join("bench/itineraries").join(path)).unwrap()
}

/// Solves with the default backend (the route search; the MILP decides impossible requests).
fn solve(region: &Region, request: &TripRequest, seconds: u64) -> TripAnswer {
    let limit = Duration::from_secs(seconds);
    let backend = Backend::default();
    let options = SolveOptions::for_backend(backend, limit);
    solve_trip(region, request, &options, &NoProgress, &AtomicBool::new(false)).unwrap_or_else(|e| panic!("{e}"))
}

/// Plans a request of the evaluation set and scores it against its guide list.
fn planned(region: &Region, request: &str, guide: &str, general: bool, seconds: u64) -> (TripAnswer, RequestScore) {
    let request = TripRequest::from_json(&bench(&format!("requests/{request}"))).unwrap();
    let guide: Guide = toml::from_str(&bench(&format!("guides/{guide}"))).unwrap();
    let answer = solve(region, &request, seconds);
    let summary = answer.summary();
    assert_eq!(summary.checker.violations, vec![], "the independent checker");
    let score = score_plan(region, &request, summary.plan.as_ref(), &guide, general);
    (answer, score)
}

fn assert_good(score: &RequestScore) {
    assert!(score.visits > 0, "{score:?}");
    assert_eq!(score.worth_seeing, score.visits, "every visit is worth seeing: {score:?}");
    assert_eq!((score.unnamed, score.services, score.duplicates), (0, 0, 0), "{score:?}");
    assert_eq!(score.closed, 0, "no visit while closed: {score:?}");
    assert_eq!(score.unsuitable_meals, 0, "{score:?}");
}

#[test]
fn a_general_day_in_monaco_sees_the_guide_book_landmarks() {
    let monaco = region("monaco-latest-2026.osm.pbf");
    let (answer, score) = planned(&monaco, "monaco-general-day.json", "monaco.toml", true, 30);
    assert_good(&score);
    let (hit, of) = score.landmarks.unwrap();
    assert!(hit >= 4, "{hit} of {of} top sights: {:?}", score.landmarks_visited);
    // Each stop carries its OSM id, position, category and why it was chosen.
    let plan = answer.summary().plan.unwrap();
    for stop in plan.days.iter().flat_map(|d| &d.stops) {
        assert!(stop.id.starts_with("node/") || stop.id.starts_with("way/") || stop.id.starts_with("relation/"));
        assert!(!stop.why.is_empty(), "{stop:?}");
        assert!((43.7..43.76).contains(&stop.location.lat), "{stop:?}");
    }
    assert_eq!(answer.title(&monaco), "Monaco, 10 June 2026");
}

#[test]
fn a_first_request_without_meals_keeps_a_midday_break_each_day() {
    let monaco = region("monaco-latest-2026.osm.pbf");
    let (answer, score) = planned(&monaco, "monaco-first-request.json", "monaco.toml", true, 10);
    assert_good(&score);
    assert_eq!((score.rests, score.rest_days), (2, 2), "{score:?}");
    let plan = answer.summary().plan.unwrap();
    for day in &plan.days {
        let rest = day.rest.unwrap();
        assert!(rest.start.minutes() >= 720 && rest.end.minutes() <= 900, "{rest:?}");
        assert!(day.stops.iter().any(|s| s.end <= rest.start) && day.stops.iter().any(|s| s.start >= rest.end));
    }
}

#[test]
fn interests_and_holidays_shape_the_monaco_plans() {
    let monaco = region("monaco-latest-2026.osm.pbf");
    for (request, general) in
        [("monaco-park-lover.json", false), ("monaco-nightlife.json", false), ("monaco-national-day.json", true)]
    {
        let (_, score) = planned(&monaco, request, "monaco.toml", general, 20);
        assert_good(&score);
    }
    // On 25 December the Oceanographic Museum and the Jardin Exotique (`Dec 25 off`) are not
    // visited; the checker judges the hours of each date itself.
    let (answer, score) = planned(&monaco, "monaco-christmas.json", "monaco.toml", true, 10);
    assert_good(&score);
    let plan = answer.summary().plan.unwrap();
    let christmas: Vec<&str> = plan.days[1].stops.iter().map(|s| s.id.as_str()).collect();
    assert!(!christmas.contains(&"way/23715051") && !christmas.contains(&"way/157455610"), "{christmas:?}");
}

#[test]
fn a_place_closed_on_the_trip_date_is_explained_by_its_hours() {
    let monaco = region("monaco-latest-2026.osm.pbf");
    let request = TripRequest::from_json(
        r#"{"start_date": "2026-12-25", "days": 1, "must_visit": ["Musée Océanographique"], "return_to_base": false}"#,
    )
    .unwrap();
    let answer = solve(&monaco, &request, 20);
    let Outcome::Infeasible { core } = &answer.outcome else { panic!("{:?}", answer.outcome) };
    assert_eq!(core, &vec!["must_visit[\"Musée Océanographique\"]"]);
    let summary = answer.summary();
    let words = &summary.explanation[0].constraint;
    assert!(words.contains("closed on 25 December 2026"), "{words}");
}

#[test]
fn must_visit_names_mean_the_sight_not_a_station_named_after_it() {
    let monaco = region("monaco-latest-2026.osm.pbf");
    let request = TripRequest::from_json(
        r#"{"start_date": "2026-06-10", "days": 1, "must_visit": ["Palais Princier"], "return_to_base": false}"#,
    )
    .unwrap();
    let answer = solve(&monaco, &request, 20);
    let plan = answer.summary().plan.expect("a plan");
    let stops: Vec<&str> = plan.days[0].stops.iter().map(|s| s.id.as_str()).collect();
    assert!(stops.contains(&"relation/393226"), "{stops:?}");
    assert!(!stops.contains(&"node/6456634692"), "{stops:?}");
    // The opera is part of the casino that holds it: its name means the casino.
    let request = TripRequest::from_json(
        r#"{"start_date": "2026-06-10", "days": 1, "must_visit": ["Opéra de Monaco"], "return_to_base": false}"#,
    )
    .unwrap();
    let plan = solve(&monaco, &request, 20).summary().plan.expect("a plan");
    assert!(plan.days[0].stops.iter().any(|s| s.id == "node/4416197079"), "{:?}", plan.days[0].stops);
}

#[test]
fn andorra_plans_reach_only_places_on_its_roads() {
    let andorra = region("andorra.osm.pbf");
    let (answer, score) = planned(&andorra, "andorra-general-day.json", "andorra.toml", true, 20);
    assert_good(&score);
    assert_eq!(answer.summary().status, PlanStatus::Feasible);
    let (answer, score) = planned(&andorra, "andorra-shopping.json", "andorra.toml", false, 20);
    assert_good(&score);
    // Shops are sights here only because the request asks for shopping.
    let plan = answer.summary().plan.unwrap();
    assert!(plan.days[0].stops.iter().any(|s| s.activity == Activity::Visit && s.category.as_str() == "shopping"));
}

#[test]
fn a_nature_trip_by_car_in_andorra_never_leaves_the_car_behind() {
    // Each leg by its fastest mode, this plan drove to a bar and walked on to two peaks, then
    // drove home from where the car was not; the checker (in `planned`) now follows the car,
    // and a car leg walks between the car and a place off its roads.
    let andorra = region("andorra.osm.pbf");
    let (answer, score) = planned(&andorra, "andorra-nature.json", "andorra.toml", false, 20);
    assert_good(&score);
    let plan = answer.summary().plan.unwrap();
    let base = plan.lodging;
    for day in &plan.days {
        assert_eq!(tripsmith_planner::checker::car_left_behind(&answer.problem, day, base), None);
        let modes: Vec<_> = day.stops.iter().map(|s| s.mode).chain([day.back_mode]).collect();
        assert!(modes.windows(2).all(|w| w[0] == w[1]), "day {}: one mode all day: {modes:?}", day.day);
    }
    let stops: Vec<_> = plan.days.iter().flat_map(|d| &d.stops).collect();
    assert!(stops.iter().any(|s| s.mode == Some(Profile::Car)), "the car is used");
    // Peaks lie off the car's roads: the car parks at the nearest road and the walks count.
    let walked: Vec<_> = stops.iter().filter(|s| s.walk_minutes > 0).collect();
    assert!(walked.iter().any(|s| s.category.as_str() == "nature"), "{stops:#?}");
    assert!(walked.iter().all(|s| s.travel_minutes >= s.walk_minutes && s.how().ends_with("min of it on foot")));
    // The map's leg to such a place walks the last piece from the car to the place: it ends
    // where the foot router meets the place, not where the car's roads come nearest.
    let geojson: serde_json::Value =
        serde_json::from_str(&answer.export(&andorra, ExportFormat::GeoJson).unwrap()).unwrap();
    for stop in &walked {
        let leg = geojson["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["properties"]["kind"] == "leg" && f["properties"]["to"] == stop.name.as_str())
            .unwrap();
        let end = leg["geometry"]["coordinates"].as_array().unwrap().last().unwrap().clone();
        let end = tripsmith_model::LatLon { lat: end[1].as_f64().unwrap(), lon: end[0].as_f64().unwrap() };
        let by_foot = andorra.router(Profile::Foot).nearest(stop.location).unwrap().location;
        assert!(end.haversine_m(by_foot) < 1.0, "{}: the line ends at {end:?}, not {by_foot:?}", stop.name);
    }
}

#[test]
fn lodging_rules_come_from_osm_and_unknown_ones_are_said() {
    let monaco = region("monaco-latest-2026.osm.pbf");
    // Hôtel de Paris is tagged `smoking=outside`: a hotel lets private rooms and forbids smoking
    // indoors; OSM says nothing about pets there.
    let paris = monaco.catalog().iter().find(|p| p.osm.to_string() == "node/11339077004").unwrap();
    let offer = tripsmith_region::planning::lodging_offer(paris, 2);
    assert_eq!(offer.room_type, Some(tripsmith_planner::RoomType::PrivateRoom));
    assert!(!offer.permits(tripsmith_planner::HouseRule::Smoking) && offer.permits(tripsmith_planner::HouseRule::Pets));
    // A private room that allows pets and smoking: planned (no lodging is known to forbid pets;
    // the 19 others say nothing of smoking), and the plan says what the data does not state.
    let request = TripRequest::from_json(
        r#"{"start_date": "2026-09-12", "days": 2, "meals": {"lunch": {"window": ["12:00", "14:00"]}},
            "lodging": {"room_type": "private_room", "house_rules": ["pets", "smoking"]}}"#,
    )
    .unwrap();
    let answer = solve(&monaco, &request, 30);
    let summary = answer.summary();
    assert_eq!(summary.checker.violations, vec![]);
    let plan = summary.plan.expect("a plan");
    let stay = plan.lodging.map(|l| answer.problem.candidates[l].id.clone()).unwrap();
    assert_ne!(stay, "node/11339077004", "not at the hotel that forbids smoking");
    let caveat = plan.lodging_caveat().expect("the unknown rules are said");
    assert!(caveat.contains("pets") && caveat.contains("smoking"), "{caveat}");
    // No lodging of Monaco's extract lets shared rooms: a minimal core names the room type.
    let request = TripRequest::from_json(r#"{"days": 1, "lodging": {"room_type": "shared_room"}}"#).unwrap();
    let answer = solve(&monaco, &request, 30);
    let Outcome::Infeasible { core } = &answer.outcome else { panic!("{:?}", answer.summary().status) };
    assert_eq!(core, &vec!["lodging.room_type.shared_room"]);
}

#[test]
fn an_unknown_place_name_gets_the_closest_names_of_the_region() {
    let monaco = region("monaco-latest-2026.osm.pbf");
    let limits = CandidateLimits::for_backend(Backend::default());
    let error = |name: &str| {
        let request = TripRequest::from_json(&format!(r#"{{"days": 1, "must_visit": ["{name}"]}}"#)).unwrap();
        match tripsmith_region::planning::build_problem(&monaco, &request, limits) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("{name} was found"),
        }
    };
    let e = error("Oceanografic museum");
    assert!(e.contains(r#"did you mean "Oceanographic Museum of Monaco"?"#), "{e}");
    // The garden, not the car park or the pharmacy named after it.
    let e = error("Jardin Exotic");
    assert!(e.ends_with(r#"did you mean "Jardin Exotique"?"#), "{e}");
    let e = error("Eiffel Tower");
    assert!(e.starts_with("must_visit[0]: no place called \"Eiffel Tower\"") && !e.contains("did you mean"), "{e}");
}
