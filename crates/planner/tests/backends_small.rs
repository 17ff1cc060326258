//! Both backends on a small hand-made town: the same optimal plans (checked by the independent
//! checker), and the same minimal cores for impossible requests.

use std::time::Duration;
use tripsmith_model::{Category, LatLon, MealVenue, MinuteRange, Profile, Wheelchair};
use tripsmith_planner::{
    check, Backend, Candidate, Label, LodgingOffer, ModeTravel, Money, Outcome, Problem, TravelMatrix, TripHours,
    TripRequest,
};

/// The same intervals on every day a request may have.
fn every_day(ranges: Vec<MinuteRange>) -> Option<TripHours> {
    Some(TripHours { days: vec![ranges; tripsmith_planner::request::MAX_DAYS as usize] })
}

fn hours(open: u16, close: u16) -> Option<TripHours> {
    every_day(vec![MinuteRange { start: open, end: close }])
}

fn place(id: usize, name: &str, category: Category, x: f64, y: f64) -> Candidate {
    Candidate {
        id: format!("node/{id}"),
        name: name.into(),
        aliases: Vec::new(),
        category,
        tag: None,
        location: LatLon { lat: 45.0 + y * 0.001, lon: 5.0 + x * 0.001 },
        hours: None,
        opening_hours: None,
        hours_origin: None,
        meal: (category == Category::Restaurant).then_some(MealVenue::Restaurant),
        visit_minutes: 60,
        price: Money(0),
        score: 1.0,
        why: Vec::new(),
        cuisines: Vec::new(),
        wheelchair: Some(Wheelchair::Yes),
        lodging: None,
    }
}

/// The town's hotel, at the origin: 90.00 a night, no rules.
fn hotel() -> Candidate {
    let mut hotel = place(1, "Hotel", Category::Lodging, 0.0, 0.0);
    hotel.lodging = Some(LodgingOffer {
        price_per_night: Money(9000),
        room_type: None,
        house_rules: Vec::new(),
        forbids: Vec::new(),
    });
    hotel
}

/// A hotel, four sights and two restaurants; walking at 5 km/h on a grid of 100 m units.
fn town() -> Vec<Candidate> {
    let hotel = hotel();
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
    TravelMatrix { n, minutes, metres, ..TravelMatrix::default() }
}

fn problem(toml: &str) -> Problem {
    let request = TripRequest::from_toml(toml).unwrap();
    let candidates = town();
    let travel = walking(&candidates);
    Problem { request, candidates, travel, country: None, timezone: None }
}

fn solve_ok(p: &Problem, backend: Backend) -> Outcome {
    backend.solve(p, Duration::from_secs(120)).unwrap()
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
    let mut travel = Vec::new();
    for backend in Backend::ALL {
        let Outcome::Feasible { plan, optimal } = solve_ok(&p, backend) else { panic!("{backend}: not feasible") };
        assert!(optimal, "{backend}");
        assert_eq!(check(&p, &plan), vec![], "{backend}: {plan:#?}");
        assert_eq!(plan.score, 14.0, "{backend}: all four sights fit in the day");
        let lunch: Vec<_> = plan.days[0].stops.iter().filter(|s| s.name == "Trattoria").collect();
        assert_eq!(lunch.len(), 1, "{backend}: lunch must be Italian");
        travel.push(plan.days[0].stops.iter().map(|s| s.travel_minutes).sum::<u32>() + back_minutes(&p, &plan));
    }
    assert_eq!(travel[0], travel[1], "both backends prove the same least travel");
}

/// Minutes from the day's last stop back to the lodging.
fn back_minutes(p: &Problem, plan: &tripsmith_planner::Itinerary) -> u32 {
    let (Some(l), Some(last)) = (plan.lodging, plan.days[0].stops.last()) else { return 0 };
    p.travel.minutes(last.candidate, l).unwrap_or(0)
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
    let relaxed = problem("days = 1\nday_start = \"17:30\"\nday_end = \"22:00\"\n[lodging]\nplace = \"Hotel\"\n");
    let earlier = problem("days = 1\nday_start = \"16:00\"\nday_end = \"22:00\"\nmust_visit = [\"Museum\"]\n[lodging]\nplace = \"Hotel\"\n");
    for backend in Backend::ALL {
        let Outcome::Infeasible { core } = solve_ok(&p, backend) else { panic!("{backend}: feasible?") };
        assert_eq!(core, vec!["day[1].start", "must_visit[\"Museum\"]"], "{backend}");
        // Each member matters: without the must-visit the request is feasible, and starting at
        // 16:00 (the smallest repair for the day start) makes it feasible too.
        assert!(matches!(solve_ok(&relaxed, backend), Outcome::Feasible { .. }), "{backend}");
        let Outcome::Feasible { plan, .. } = solve_ok(&earlier, backend) else { panic!("{backend}: still infeasible") };
        assert_eq!(check(&earlier, &plan), vec![], "{backend}");
    }
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
    for backend in Backend::ALL {
        let Outcome::Infeasible { core } = solve_ok(&p, backend) else { panic!("{backend}: feasible?") };
        assert!(core.contains(&tripsmith_planner::Label::Budget), "{backend}: {core:?}");
        assert!(
            core.contains(&tripsmith_planner::Label::Meal(tripsmith_planner::MealKind::Lunch)),
            "{backend}: {core:?}"
        );
    }
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
    for backend in Backend::ALL {
        let Outcome::Feasible { plan, .. } = solve_ok(&p, backend) else { panic!("{backend}: not feasible") };
        assert_eq!(check(&p, &plan), vec![], "{backend}");
        assert_eq!(plan.days[0].stops.len(), 2, "{backend}");
        assert_eq!(plan.score, 9.0, "{backend}: museum and castle are the best two");
        assert!(plan.days[0].stops.iter().all(|s| s.name != "Viewpoint"), "{backend}");
    }
}

#[test]
fn a_lunch_break_in_opening_hours_is_respected() {
    // The museum opens 10:00–12:00 and 14:00–18:00 and takes 90 minutes; leaving the hotel at
    // 10:30, the walk makes the morning opening too short, so the visit must be after 14:00.
    let mut candidates = town();
    candidates[1].visit_minutes = 90;
    candidates[1].hours = every_day(vec![MinuteRange { start: 600, end: 720 }, MinuteRange { start: 840, end: 1080 }]);
    let request = TripRequest::from_toml(
        "days = 1\nday_start = \"10:30\"\nday_end = \"16:30\"\nmust_visit = [\"Museum\"]\n[lodging]\nplace = \"Hotel\"\n",
    )
    .unwrap();
    let travel = walking(&candidates);
    let p = Problem { request, candidates, travel, country: None, timezone: None };
    for backend in Backend::ALL {
        let Outcome::Feasible { plan, .. } = solve_ok(&p, backend) else { panic!("{backend}: not feasible") };
        assert_eq!(check(&p, &plan), vec![], "{backend}");
        let museum = plan.days[0].stops.iter().find(|s| s.name == "Museum").expect("museum visited");
        assert!(museum.start.minutes() >= 840, "{backend}: the morning opening is too short: {museum:?}");
    }
}

#[test]
fn without_returning_to_base_the_day_starts_at_the_first_stop() {
    let p = problem("days = 2\nday_start = \"09:00\"\nday_end = \"13:00\"\nreturn_to_base = false\n");
    let mut scores = Vec::new();
    for backend in Backend::ALL {
        let Outcome::Feasible { plan, optimal } = solve_ok(&p, backend) else { panic!("{backend}: not feasible") };
        assert!(optimal, "{backend}");
        assert_eq!(check(&p, &plan), vec![], "{backend}");
        assert_eq!(plan.lodging, None, "{backend}: no lodging asked for");
        assert_eq!(plan.days[0].stops[0].arrive.minutes(), 540, "{backend}: no walk before the first stop");
        scores.push(plan.value());
    }
    assert_eq!(scores[0], scores[1]);
}

#[test]
fn the_checker_catches_a_tampered_plan() {
    let p = problem("days = 1\nday_start = \"09:00\"\nday_end = \"20:00\"\n[lodging]\nplace = \"Hotel\"\n");
    for backend in Backend::ALL {
        let Outcome::Feasible { mut plan, .. } = solve_ok(&p, backend) else { panic!("{backend}: not feasible") };
        plan.days[0].stops[0].start = tripsmith_planner::ClockTime(300);
        plan.days[0].stops[0].arrive = tripsmith_planner::ClockTime(300);
        let labels: Vec<String> = check(&p, &plan).into_iter().map(|v| v.label.to_string()).collect();
        assert!(labels.contains(&"day[1].start".to_string()), "{backend}: {labels:?}");
    }
}

/// The town plus `extra` sights on a grid, each worth a little.
fn big_town(extra: usize) -> Problem {
    let mut candidates = town();
    for k in 0..extra {
        // Several categories, so the pace's variety cap (2 of one category a day) leaves full days.
        let kinds = [Category::Attraction, Category::Art, Category::Historic, Category::Culture, Category::Nature];
        let (x, y) = ((k % 9) as f64 * 2.0, (k / 9) as f64 * 2.0);
        let mut s = place(100 + k, &format!("Sight {k}"), kinds[k % kinds.len()], x, y);
        s.score = 0.5 + (k % 4) as f64 * 0.25;
        s.visit_minutes = 30;
        candidates.push(s);
    }
    let travel = walking(&candidates);
    let request = TripRequest::from_toml(
        "days = 2\nday_start = \"09:00\"\nday_end = \"18:00\"\n[lodging]\nplace = \"Hotel\"\n[meals.lunch]\nwindow = [\"12:00\", \"14:00\"]\n",
    )
    .unwrap();
    Problem { request, candidates, travel, country: None, timezone: None }
}

#[test]
fn large_candidate_sets_keep_the_nearest_arcs_and_never_claim_optimality() {
    let mut p = big_town(70);
    assert!(tripsmith_planner::milp::uses_nearest_arcs(&p));
    let outcome = Backend::Milp.solve(&p, Duration::from_secs(20)).unwrap();
    let plan = outcome.plan().expect("the greedy start gives a plan at least");
    assert_eq!(check(&p, plan), vec![]);
    assert!(!matches!(outcome, Outcome::Feasible { optimal: true, .. }), "{outcome:?}");
    assert!(plan.days.iter().all(|d| d.stops.len() >= 6), "full days expected: {plan:#?}");
    // With no time left for the solver, the greedy start (checked) is the answer.
    let Outcome::Timeout { plan: Some(quick) } = Backend::Milp.solve(&p, Duration::from_millis(1)).unwrap() else {
        panic!("the greedy plan should come back")
    };
    assert_eq!(check(&p, &quick), vec![]);
    assert!(quick.value() > 0.0 && quick.value() <= plan.value(), "{} vs {}", quick.value(), plan.value());
    // Infeasible on the sparse model is confirmed on the full one: the museum cannot be
    // visited in a 17:30 start, whatever the arcs.
    p.request = TripRequest::from_toml(
        "days = 1\nday_start = \"17:30\"\nday_end = \"22:00\"\nmust_visit = [\"Museum\"]\n[lodging]\nplace = \"Hotel\"\n",
    )
    .unwrap();
    let Outcome::Infeasible { core } = Backend::Milp.solve(&p, Duration::from_secs(120)).unwrap() else {
        panic!("feasible?")
    };
    assert_eq!(core, vec!["day[1].start", "must_visit[\"Museum\"]"]);
}

#[test]
fn the_route_search_matches_the_proven_optimum_on_the_small_town() {
    for toml in [
        "days = 1\nday_start = \"09:00\"\nday_end = \"20:00\"\n[lodging]\nplace = \"Hotel\"\n",
        "days = 2\nday_start = \"09:00\"\nday_end = \"13:00\"\nreturn_to_base = false\n",
        "days = 1\nday_start = \"10:30\"\nday_end = \"16:30\"\nmust_visit = [\"Museum\"]\n[lodging]\nplace = \"Hotel\"\n[meals.lunch]\nwindow = [\"12:00\", \"14:00\"]\n",
    ] {
        let p = problem(toml);
        let Outcome::Feasible { plan: found, optimal } = solve_ok(&p, Backend::Search) else { panic!("{toml}") };
        assert!(!optimal, "the search never claims optimality");
        assert_eq!(check(&p, &found), vec![], "{toml}");
        let Outcome::Feasible { plan: best, optimal: true } = solve_ok(&p, Backend::Milp) else { panic!("{toml}") };
        assert!((found.value() - best.value()).abs() < 1e-9, "{toml}: search {} vs proven {}", found.value(), best.value());
    }
    // An impossible request is decided by the MILP behind the search, with its minimal core.
    let p = problem("days = 1\nday_start = \"17:30\"\nday_end = \"22:00\"\nmust_visit = [\"Museum\"]\n[lodging]\nplace = \"Hotel\"\n");
    let Outcome::Infeasible { core } = solve_ok(&p, Backend::Search) else { panic!("feasible?") };
    assert_eq!(core, vec!["day[1].start", "must_visit[\"Museum\"]"]);
}

#[test]
fn a_second_sight_of_a_category_the_same_day_is_worth_less() {
    // The castle is made a second museum (worth 4, less the repeat penalty of 1); the park is
    // worth 3.5: with two visits a day, museum + park (8.5) beats two museums (9 − 1 = 8). With
    // the park worth 2.5, two museums (8) win and carry the penalty.
    for (park_score, expected, penalty, value) in
        [(3.5, ["Museum", "Park"], 0.0, 8.5), (2.5, ["Castle", "Museum"], 1.0, 8.0)]
    {
        let mut p = problem(
            r#"
            days = 1
            day_start = "09:00"
            day_end = "20:00"
            max_places_per_day = 2
            [lodging]
            place = "Hotel"
            "#,
        );
        p.candidates[2].category = Category::Museum;
        p.candidates[3].score = park_score;
        for backend in Backend::ALL.into_iter().chain([Backend::Search]) {
            let Outcome::Feasible { plan, .. } = solve_ok(&p, backend) else { panic!("{backend}: not feasible") };
            assert_eq!(check(&p, &plan), vec![], "{backend}");
            let mut names: Vec<&str> = plan.days[0].stops.iter().map(|s| s.name.as_str()).collect();
            names.sort();
            assert_eq!(names, expected, "{backend} with the park at {park_score}");
            assert_eq!(plan.variety_penalty, penalty, "{backend}");
            assert_eq!(plan.value(), value, "{backend}");
            let words = if penalty > 0.0 { "9.0 less 1.0 for repeated categories" } else { "8.5" };
            assert_eq!(plan.score_in_words(), words, "{backend}");
            let mut tampered = plan.clone();
            tampered.variety_penalty = 1.0 - penalty;
            let flagged = check(&p, &tampered);
            assert!(flagged.iter().any(|v| v.label == tripsmith_planner::Label::Score), "{backend}: {flagged:?}");
        }
    }
}

#[test]
fn the_upper_bound_holds_above_the_proven_optimum_and_is_reached_when_the_pace_binds() {
    // Seeded random requests on the small town: the MILP's proven optimum never exceeds the
    // relaxation's bound; some requests are bounded tightly, some not (time and travel bind).
    let mut rng = tripsmith_model::SeededRng::new(7);
    let (mut tight, mut loose) = (0, 0);
    for k in 0..24 {
        let start = 8 * 60 + 30 * rng.below(6);
        let end = start + 180 + 60 * rng.below(8);
        let clock = |m: usize| format!("{:02}:{:02}", m / 60, m % 60);
        let mut toml = format!(
            "days = {}\nday_start = \"{}\"\nday_end = \"{}\"\nmax_places_per_day = {}\nreturn_to_base = {}\n",
            1 + rng.below(3),
            clock(start),
            clock(end),
            1 + rng.below(4),
            rng.below(2) == 0
        );
        if rng.below(3) == 0 {
            toml += &format!("budget = {}\n", 20 + 10 * rng.below(20));
        }
        if rng.below(2) == 0 && end >= 14 * 60 && start <= 12 * 60 {
            toml += "[meals.lunch]\nwindow = [\"12:00\", \"14:00\"]\n";
        }
        let p = problem(&toml);
        let Ok(Outcome::Feasible { plan, optimal: true }) = Backend::Milp.solve(&p, Duration::from_secs(120)) else {
            continue;
        };
        let bound = tripsmith_planner::bound::value_bound(&p).unwrap_or_else(|| panic!("request {k}: no bound"));
        assert!(bound + 1e-6 >= plan.value(), "request {k}: bound {bound} below the optimum {}\n{toml}", plan.value());
        if bound - plan.value() < 1e-6 {
            tight += 1;
        } else {
            loose += 1;
        }
    }
    assert!(tight > 0 && loose > 0, "tight {tight}, loose {loose}");
}

#[test]
fn a_day_without_lunch_keeps_its_break_and_the_break_costs_no_sight() {
    let with_rest = "days = 1\nday_start = \"09:00\"\nday_end = \"18:00\"\n[lodging]\nplace = \"Hotel\"\n\
                     [rest]\nwindow = [\"12:00\", \"14:00\"]\nminutes = 60\n";
    let p = problem(with_rest);
    let without = problem(&with_rest.replace("minutes = 60", "minutes = 0"));
    for backend in Backend::ALL {
        let Outcome::Feasible { plan, .. } = solve_ok(&p, backend) else { panic!("{backend}: not feasible") };
        assert_eq!(check(&p, &plan), vec![], "{backend}");
        let day = &plan.days[0];
        let rest = day.rest.unwrap_or_else(|| panic!("{backend}: no break in {day:#?}"));
        let (start, end) = (rest.start.minutes(), rest.end.minutes());
        assert!(start >= 720 && end <= 840 && end - start >= 60, "{backend}: {rest:?}");
        for s in &day.stops {
            let travel_from = s.arrive.minutes() - s.travel_minutes as u16;
            assert!(s.end.minutes() <= start || travel_from >= end, "{backend}: {s:?} overlaps {rest:?}");
        }
        assert_eq!(day.missing_rest(&p.request), None);
        let Outcome::Feasible { plan: plain, .. } = solve_ok(&without, backend) else { panic!("{backend}") };
        assert_eq!(plain.days[0].rest, None, "{backend}: no break asked for");
        assert_eq!(plan.value(), plain.value(), "{backend}: the break costs no sight");
    }
}

#[test]
fn a_break_that_does_not_fit_is_left_out_and_said() {
    // The museum opens 11:00–12:00 only and takes the hour; nothing else may be visited.
    let mut candidates = town();
    candidates[1].hours = hours(660, 720);
    let request = |end: &str| {
        TripRequest::from_toml(&format!(
            "days = 1\nday_start = \"10:00\"\nday_end = \"{end}\"\nmust_visit = [\"Museum\"]\nmax_places_per_day = 1\n\
             [lodging]\nplace = \"Hotel\"\n[rest]\nwindow = [\"11:00\", \"12:30\"]\nminutes = 30\n"
        ))
        .unwrap()
    };
    let travel = walking(&candidates);
    // Back at the hotel by 12:30: no half hour is free inside the window.
    let tight = Problem {
        request: request("12:30"),
        candidates: candidates.clone(),
        travel: travel.clone(),
        country: None,
        timezone: None,
    };
    // Back by 13:00: the half hour after the museum is.
    let roomy = Problem { request: request("13:00"), candidates, travel, country: None, timezone: None };
    for backend in Backend::ALL {
        let Outcome::Feasible { plan, .. } = solve_ok(&tight, backend) else { panic!("{backend}: not feasible") };
        assert_eq!(check(&tight, &plan), vec![], "{backend}");
        assert_eq!(plan.days[0].rest, None, "{backend}");
        let note = plan.days[0].missing_rest(&tight.request).expect("the missing break is said");
        assert!(note.contains("30 free minutes between 11:00 and 12:30"), "{note}");
        let Outcome::Feasible { plan, .. } = solve_ok(&roomy, backend) else { panic!("{backend}: not feasible") };
        assert_eq!(check(&roomy, &plan), vec![], "{backend}");
        let rest = plan.days[0].rest.expect("a break after the museum");
        assert_eq!((rest.start.minutes(), rest.end.minutes()), (720, 750), "{backend}");
        let back = plan.days[0].back_at_base.expect("back at the hotel").minutes();
        assert_eq!(back, 750 + back_minutes(&roomy, &plan) as u16, "{backend}: home after the break");
    }
}

#[test]
fn the_checker_catches_a_false_break() {
    let p = problem("days = 1\nday_start = \"09:00\"\nday_end = \"20:00\"\n[lodging]\nplace = \"Hotel\"\n");
    let labels = |plan: &tripsmith_planner::Itinerary| -> Vec<String> {
        check(&p, plan).into_iter().map(|v| v.label.to_string()).collect()
    };
    for backend in Backend::ALL {
        let Outcome::Feasible { plan, .. } = solve_ok(&p, backend) else { panic!("{backend}: not feasible") };
        assert_eq!(labels(&plan), Vec::<String>::new(), "{backend}");
        let first = &plan.days[0].stops[0];
        // A break during the first visit.
        let mut overlapping = plan.clone();
        overlapping.days[0].rest = Some(tripsmith_planner::RestSlot { start: first.start, end: first.end });
        assert!(labels(&overlapping).contains(&"plan.rest".to_string()), "{backend}");
        // A break too short for the request's 45 minutes.
        let mut short = plan.clone();
        let rest = short.days[0].rest.as_mut().unwrap_or_else(|| panic!("{backend}: the long day keeps its break"));
        rest.end = tripsmith_planner::ClockTime(rest.start.minutes() + 10);
        assert!(labels(&short).contains(&"plan.rest".to_string()), "{backend}");
    }
    // A break on a day that plans lunch (lunch is the break).
    let lunch = problem(
        "days = 1\nday_start = \"09:00\"\nday_end = \"20:00\"\n[lodging]\nplace = \"Hotel\"\n[meals.lunch]\nwindow = [\"12:00\", \"14:00\"]\n",
    );
    let Outcome::Feasible { mut plan, .. } = solve_ok(&lunch, Backend::Search) else { panic!("not feasible") };
    assert_eq!(plan.days[0].rest, None);
    plan.days[0].rest = Some(tripsmith_planner::RestSlot {
        start: tripsmith_planner::ClockTime(19 * 60),
        end: tripsmith_planner::ClockTime(20 * 60),
    });
    let found: Vec<String> = check(&lunch, &plan).into_iter().map(|v| v.label.to_string()).collect();
    assert!(found.contains(&"plan.rest".to_string()), "{found:?}");
}

/// A hotel, a chapel 4 km away by road and a peak 1.2 km beyond it that only a path reaches:
/// driving takes an eighth of walking's time; no car reaches the peak.
fn trailhead() -> Problem {
    let mut chapel = place(2, "Chapel", Category::Historic, 40.0, 0.0);
    chapel.score = 3.0;
    let mut peak = place(3, "Peak", Category::Nature, 42.0, 8.0);
    peak.score = 4.0;
    let candidates = vec![hotel(), chapel, peak];
    let foot = walking(&candidates);
    let by_car = |k: usize| {
        let (a, b) = (k / 3, k % 3);
        (a != 2 && b != 2).then(|| foot.metres[k].map(|m| (f64::from(m) / (40_000.0 / 60.0)).ceil() as u32)).flatten()
    };
    let car = ModeTravel {
        mode: Profile::Car,
        minutes: (0..9).map(by_car).collect(),
        metres: (0..9).map(|k| by_car(k).and(foot.metres[k])).collect(),
        walk_s: Vec::new(),
    };
    let walk = ModeTravel {
        mode: Profile::Foot,
        minutes: foot.minutes.clone(),
        metres: foot.metres.clone(),
        walk_s: Vec::new(),
    };
    let fastest = |k: usize| if car.minutes[k].is_some() { Profile::Car } else { Profile::Foot };
    let pick =
        |k: usize, t: &dyn Fn(&ModeTravel) -> Option<u32>| if fastest(k) == Profile::Car { t(&car) } else { t(&walk) };
    let travel = TravelMatrix {
        n: 3,
        minutes: (0..9).map(|k| pick(k, &|t| t.minutes[k])).collect(),
        metres: (0..9).map(|k| pick(k, &|t| t.metres[k])).collect(),
        modes: (0..9).map(|k| Some(fastest(k))).collect(),
        by_mode: vec![walk.clone(), car.clone()],
        day_modes: Vec::new(),
    };
    let request = TripRequest::from_toml(
        r#"
        days = 1
        day_start = "09:00"
        day_end = "12:30"
        [lodging]
        place = "Hotel"
        [travel]
        modes = ["car", "foot"]
        "#,
    )
    .unwrap();
    Problem { request, candidates, travel, country: None, timezone: None }
}

#[test]
fn a_car_left_at_the_trailhead_is_caught_and_no_backend_plans_it() {
    let p = trailhead();
    // Each leg by its fastest mode, both sights fit (drive to the chapel, walk to the peak and
    // back): the car stays at the chapel, and the checker says so.
    let Outcome::Feasible { plan: relaxed, .. } = tripsmith_planner::milp::solve(&p, Duration::from_secs(60)).unwrap()
    else {
        panic!("the relaxation has a plan")
    };
    assert_eq!(relaxed.score, 7.0);
    let violations = check(&p, &relaxed);
    assert!(
        violations.iter().any(|v| v.label == Label::TravelModes && v.detail.contains("car is at Chapel")),
        "{violations:?}"
    );
    // Every backend holds the day to one mode: by car the peak is out of reach, on foot the day
    // is too short for both.
    for backend in [Backend::Search, Backend::Milp, Backend::Smt] {
        let outcome = backend.solve(&p, Duration::from_secs(60)).unwrap();
        let Outcome::Feasible { plan, optimal } = outcome else { panic!("{backend}: {outcome:?}") };
        assert_eq!(check(&p, &plan), vec![], "{backend}: {plan:#?}");
        assert!(!optimal, "{backend}: the day's mode was chosen, not proven");
        assert!((3.0..7.0).contains(&plan.score), "{backend}: {}", plan.score);
        let modes: Vec<_> = plan.days[0].stops.iter().map(|s| s.mode).chain([plan.days[0].back_mode]).collect();
        assert!(modes.windows(2).all(|w| w[0] == w[1]), "{backend}: one mode all day: {modes:?}");
    }
}
