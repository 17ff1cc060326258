//! Memory and time of the planner on a city-sized candidate set: a 7-day request (lunch and
//! dinner every day, back to a lodging each night) over 1,000 generated candidates — 850 sights
//! of eight kinds with opening hours (some closed one weekday), 140 places to eat, 10 lodgings —
//! scattered over 8 km × 8 km, walking at 5 km/h along 1.3 × the straight line. Runs the default
//! backend as `tripsmith plan` does (the route search for its default second, then the upper bound
//! from the HiGHS relaxation), checks the plan with the independent checker and prints the peak
//! resident memory of the process (`VmHWM`, Linux). With `car`, the request also drives (30 km/h
//! along 1.6 × the straight line, 3 minutes to park): the catalog keeps both modes' legs, and a
//! plan that leaves the car behind is planned again with a mode per day (three travel layers).
//!
//! `cargo run --release -p tripsmith-planner --example thousand_candidates [SEED] [car]`

use std::time::{Duration, Instant};
use tripsmith_model::{Category, LatLon, MealVenue, MinuteRange, Profile, SeededRng};
use tripsmith_planner::{
    check, Candidate, LodgingOffer, ModeTravel, Money, Problem, TravelMatrix, TripHours, TripRequest,
};

/// The kinds of sights generated: the first eight categories (museums to natural sights).
const SIGHT_KINDS: usize = 8;

fn candidate(id: usize, category: Category, rng: &mut SeededRng) -> Candidate {
    let (dx, dy) = (rng.next_f64() * 8000.0, rng.next_f64() * 8000.0);
    Candidate {
        id: format!("node/{id}"),
        name: format!("{category:?} {id}"),
        aliases: Vec::new(),
        category,
        tag: None,
        location: LatLon { lat: 43.70 + dy / 111_000.0, lon: 7.40 + dx / 80_000.0 },
        hours: None,
        opening_hours: None,
        hours_origin: None,
        meal: None,
        visit_minutes: 30 + 15 * rng.below(7) as u16,
        price: Money(100 * rng.below(20) as i64),
        score: 1.0 + rng.below(90) as f64 / 10.0,
        why: Vec::new(),
        cuisines: Vec::new(),
        wheelchair: None,
        lodging: None,
    }
}

/// Open `open`..`close` every day but one weekday (none when `closed` ≥ 7).
fn hours(open: u16, close: u16, closed: usize) -> Option<TripHours> {
    let days = (0..tripsmith_planner::request::MAX_DAYS as usize)
        .map(|d| if d % 7 == closed { Vec::new() } else { vec![MinuteRange { start: open, end: close }] })
        .collect();
    Some(TripHours { days })
}

fn candidates(seed: u64) -> Vec<Candidate> {
    let mut rng = SeededRng::new(seed);
    let mut out = Vec::new();
    for id in 0..850 {
        let kind = Category::ALL[rng.below(SIGHT_KINDS)];
        let mut c = candidate(id, kind, &mut rng);
        if !matches!(kind, Category::Viewpoint | Category::Park | Category::Nature) {
            c.hours = hours(540 + 30 * rng.below(3) as u16, 1020 + 30 * rng.below(4) as u16, rng.below(10));
        }
        out.push(c);
    }
    for id in 850..990 {
        let mut c = candidate(id, Category::Restaurant, &mut rng);
        c.meal = Some(MealVenue::Restaurant);
        c.score = 0.0;
        c.price = Money(1500 + 100 * rng.below(30) as i64);
        c.hours = hours(690, 1410, rng.below(10));
        out.push(c);
    }
    for id in 990..1000 {
        let mut c = candidate(id, Category::Lodging, &mut rng);
        c.score = 0.0;
        c.lodging = Some(LodgingOffer {
            price_per_night: Money(9000 + 1000 * rng.below(10) as i64),
            room_type: None,
            house_rules: Vec::new(),
            forbids: Vec::new(),
        });
        out.push(c);
    }
    out
}

fn walking(candidates: &[Candidate]) -> TravelMatrix {
    let mut minutes = Vec::with_capacity(candidates.len() * candidates.len());
    let mut metres = Vec::with_capacity(candidates.len() * candidates.len());
    for a in candidates {
        for b in candidates {
            let m = a.location.haversine_m(b.location) * 1.3;
            minutes.push(Some((m / (5000.0 / 60.0)).ceil() as u32));
            metres.push(Some(m.round() as u32));
        }
    }
    TravelMatrix { n: candidates.len(), minutes, metres, ..TravelMatrix::default() }
}

/// Walking and driving: each mode's own legs, and the faster of the two per leg.
fn walking_and_driving(candidates: &[Candidate]) -> TravelMatrix {
    let foot = walking(candidates);
    let car: Vec<(u32, u32)> = candidates
        .iter()
        .flat_map(|a| candidates.iter().map(move |b| a.location.haversine_m(b.location) * 1.6))
        .map(|m| (3 + (m / (30_000.0 / 60.0)).ceil() as u32, m.round() as u32))
        .collect();
    let faster = |k: usize| foot.minutes[k].is_none_or(|f| car[k].0 < f);
    let cells = 0..car.len();
    TravelMatrix {
        n: foot.n,
        minutes: cells.clone().map(|k| if faster(k) { Some(car[k].0) } else { foot.minutes[k] }).collect(),
        metres: cells.clone().map(|k| if faster(k) { Some(car[k].1) } else { foot.metres[k] }).collect(),
        modes: cells.map(|k| Some(if faster(k) { Profile::Car } else { Profile::Foot })).collect(),
        by_mode: vec![
            ModeTravel { mode: Profile::Foot, minutes: foot.minutes, metres: foot.metres, walk_s: Vec::new() },
            ModeTravel {
                mode: Profile::Car,
                minutes: car.iter().map(|c| Some(c.0)).collect(),
                metres: car.iter().map(|c| Some(c.1)).collect(),
                walk_s: Vec::new(),
            },
        ],
        day_modes: Vec::new(),
    }
}

/// Peak resident memory of this process, from `/proc/self/status`.
fn peak_memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().find(|l| l.starts_with("VmHWM")).map_or("unknown (no /proc)".into(), |l| l[6..].trim().into())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seed = match std::env::args().nth(1) {
        Some(s) => s.parse().map_err(|e| format!("the seed must be a whole number: {e}"))?,
        None => 1,
    };
    let driving = match std::env::args().nth(2).as_deref() {
        None => false,
        Some("car") => true,
        Some(other) => return Err(format!("unknown option {other:?}: the second argument may only be `car`").into()),
    };
    let modes = if driving { r#"["car", "foot"]"# } else { r#"["foot"]"# };
    let request = TripRequest::from_toml(&format!(
        r#"
        days = 7
        day_start = "09:00"
        day_end = "21:30"
        return_to_base = true
        [meals.lunch]
        window = ["12:00", "14:00"]
        [meals.dinner]
        window = ["19:00", "20:30"]
        [travel]
        modes = {modes}
        "#
    ))?;
    let candidates = candidates(seed);
    let travel = if driving { walking_and_driving(&candidates) } else { walking(&candidates) };
    let problem = Problem { request, candidates, travel, country: None, timezone: None };
    let started = Instant::now();
    let plan = tripsmith_planner::search::plan(&problem, Duration::from_secs(30), &|_| {})
        .ok_or("the route search found no plan meeting every meal and the lodging")?;
    let searched = started.elapsed();
    let bound = tripsmith_planner::bound::value_bound(&problem);
    let violations = check(&problem, &plan);
    let visits: usize = plan.days.iter().map(|d| d.stops.len()).sum();
    println!(
        "1000 candidates, 7 days, seed {seed}{}: {visits} stops, value {:.1}, bound {}, checker violations {}",
        if driving { ", by car and on foot" } else { "" },
        plan.value(),
        bound.map_or("none in time".into(), |b| format!("{b:.1}")),
        violations.len()
    );
    println!(
        "route search {:.2} s, with the bound {:.2} s; peak memory {}",
        searched.as_secs_f64(),
        started.elapsed().as_secs_f64(),
        peak_memory()
    );
    if !violations.is_empty() {
        return Err(format!("the checker rejects the plan: {violations:?}").into());
    }
    Ok(())
}
