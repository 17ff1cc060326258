//! The SMT backend on a small hand-made town: optimal plans that pass the checker, and minimal
//! cores for impossible requests.

use std::time::Duration;
use tripsmith_model::{Category, LatLon, MinuteRange, WeeklySchedule, Wheelchair};
use tripsmith_planner::smt::{solve, SmtOutcome};
use tripsmith_planner::{check, Candidate, LodgingOffer, Money, Problem, TravelMatrix, TripRequest};

fn hours(open: u16, close: u16) -> Option<WeeklySchedule> {
    Some(WeeklySchedule { days: std::array::from_fn(|_| vec![MinuteRange { start: open, end: close }]) })
}

fn place(id: usize, name: &str, category: Category, x: f64, y: f64) -> Candidate {
    Candidate {
        id: format!("node/{id}"),
        name: name.into(),
        aliases: Vec::new(),
        category,
        location: LatLon { lat: 45.0 + y * 0.001, lon: 5.0 + x * 0.001 },
        hours: None,
        visit_minutes: 60,
        price: Money(0),
        score: 1.0,
        cuisines: Vec::new(),
        wheelchair: Some(Wheelchair::Yes),
        lodging: None,
    }
}

/// A hotel, four sights and two restaurants; walking at 5 km/h on a grid of 100 m units.
fn town() -> Vec<Candidate> {
    let mut hotel = place(1, "Hotel", Category::Lodging, 0.0, 0.0);
    hotel.lodging = Some(LodgingOffer { price_per_night: Money(9000), room_type: None, house_rules: Vec::new() });
    let mut museum = place(2, "Museum", Category::Museum, 5.0, 0.0);
    museum.hours = hours(600, 1080);
    museum.price = Money(1200);
    museum.score = 5.0;
    let mut castle = place(3, "Castle", Category::Historic, 10.0, 5.0);
    castle.hours = hours(570, 1140);
    castle.price = Money(800);
    castle.score = 4.0;
    let mut park = place(4, "Park", Category::Park, 3.0, 8.0);
    park.score = 2.0;
    park.visit_minutes = 45;
    let mut view = place(5, "Viewpoint", Category::Viewpoint, 12.0, 12.0);
    view.score = 3.0;
    view.visit_minutes = 30;
    view.wheelchair = Some(Wheelchair::No);
    let mut trattoria = place(6, "Trattoria", Category::Restaurant, 6.0, 4.0);
    trattoria.cuisines = vec!["italian".into()];
    trattoria.hours = hours(720, 1380);
    trattoria.price = Money(2500);
    let mut bistro = place(7, "Bistro", Category::Restaurant, 2.0, 2.0);
    bistro.cuisines = vec!["french".into()];
    bistro.hours = hours(690, 1410);
    bistro.price = Money(1800);
    vec![hotel, museum, castle, park, view, trattoria, bistro]
}

fn walking(candidates: &[Candidate]) -> TravelMatrix {
    let n = candidates.len();
    let mut minutes = Vec::new();
    let mut metres = Vec::new();
    for a in candidates {
        for b in candidates {
            let m = a.location.haversine_m(b.location) * 1.3;
            minutes.push(Some((m / (5000.0 / 60.0)).ceil() as u32));
            metres.push(Some(m.round() as u32));
        }
    }
    TravelMatrix { n, minutes, metres }
}

fn problem(toml: &str) -> Problem {
    let request = TripRequest::from_toml(toml).unwrap();
    let candidates = town();
    let travel = walking(&candidates);
    Problem { request, candidates, travel }
}

fn solve_ok(p: &Problem) -> SmtOutcome {
    solve(p, Duration::from_secs(120)).unwrap()
}

#[test]
fn a_full_day_visits_everything_and_passes_the_checker() {
    let p = problem(
        r#"
        days = 1
        start_date = "2026-06-09"
        day_start = "09:00"
        day_end = "20:00"
        budget = 200
        [lodging]
        place = "Hotel"
        [meals.lunch]
        window = ["12:00", "14:00"]
        [meals]
        cuisines = ["italian"]
        "#,
    );
    let SmtOutcome::Feasible { plan, optimal } = solve_ok(&p) else { panic!("not feasible") };
    assert!(optimal);
    assert_eq!(check(&p, &plan), vec![], "{plan:#?}");
    assert_eq!(plan.score, 14.0, "all four sights fit in the day");
    let lunch: Vec<_> = plan.days[0].stops.iter().filter(|s| s.name == "Trattoria").collect();
    assert_eq!(lunch.len(), 1, "lunch must be Italian");
}

#[test]
fn a_short_afternoon_before_closing_time_has_a_minimal_core() {
    // The museum closes at 18:00 and takes an hour; the day starts at 17:30.
    let p = problem(
        r#"
        days = 1
        day_start = "17:30"
        day_end = "22:00"
        must_visit = ["Museum"]
        [lodging]
        place = "Hotel"
        "#,
    );
    let SmtOutcome::Infeasible { core } = solve_ok(&p) else { panic!("feasible?") };
    assert_eq!(core, vec!["day[1].start".to_string(), "must_visit[\"Museum\"]".to_string()]);
    // Each member matters: without the must-visit the request is feasible, and starting at 16:00
    // (the smallest repair for the day start) makes it feasible too.
    let relaxed = problem("days = 1\nday_start = \"17:30\"\nday_end = \"22:00\"\n[lodging]\nplace = \"Hotel\"\n");
    assert!(matches!(solve_ok(&relaxed), SmtOutcome::Feasible { .. }));
    let earlier = problem("days = 1\nday_start = \"16:00\"\nday_end = \"22:00\"\nmust_visit = [\"Museum\"]\n[lodging]\nplace = \"Hotel\"\n");
    let SmtOutcome::Feasible { plan, .. } = solve_ok(&earlier) else { panic!("still infeasible") };
    assert_eq!(check(&earlier.clone(), &plan), vec![]);
}

#[test]
fn budget_conflicts_are_reported_with_the_budget_label() {
    let p = problem(
        r#"
        days = 2
        party_size = 2
        budget = 100
        [lodging]
        place = "Hotel"
        [meals.lunch]
        window = ["12:00", "14:00"]
        "#,
    );
    let SmtOutcome::Infeasible { core } = solve_ok(&p) else { panic!("feasible?") };
    assert!(core.contains(&"budget".to_string()), "{core:?}");
    assert!(core.contains(&"meal.lunch".to_string()), "{core:?}");
}

#[test]
fn wheelchair_and_caps_shape_the_plan() {
    let p = problem(
        r#"
        days = 1
        day_start = "09:00"
        day_end = "20:00"
        max_places_per_day = 2
        wheelchair = "yes"
        [lodging]
        place = "Hotel"
        "#,
    );
    let SmtOutcome::Feasible { plan, .. } = solve_ok(&p) else { panic!("not feasible") };
    assert_eq!(check(&p, &plan), vec![]);
    assert_eq!(plan.days[0].stops.len(), 2);
    assert_eq!(plan.score, 9.0, "museum and castle are the best two");
    assert!(plan.days[0].stops.iter().all(|s| s.name != "Viewpoint"));
}

#[test]
fn the_checker_catches_a_tampered_plan() {
    let p = problem("days = 1\nday_start = \"09:00\"\nday_end = \"20:00\"\n[lodging]\nplace = \"Hotel\"\n");
    let SmtOutcome::Feasible { mut plan, .. } = solve_ok(&p) else { panic!("not feasible") };
    plan.days[0].stops[0].start = tripsmith_planner::ClockTime(300);
    plan.days[0].stops[0].arrive = tripsmith_planner::ClockTime(300);
    let labels: Vec<String> = check(&p, &plan).into_iter().map(|v| v.label).collect();
    assert!(labels.contains(&"day[1].start".to_string()), "{labels:?}");
}
