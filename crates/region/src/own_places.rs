//! Planning problems over the places a request brings itself ([`TripRequest::places`]) instead
//! of a region's catalog: each place becomes a candidate as it is described (its value, visit
//! length and opening hours, or the defaults of its category), and travel between them comes
//! from the request's `travel_minutes`, or from the straight-line distance × [`DETOUR`] at the
//! first allowed mode's speed ([`speed_kmh`]).

use crate::planning::{visit_minutes, Pruning};
use tripsmith_model::{Category, LatLon, MealVenue, Profile};
use tripsmith_planner::hours::{parse, trip_dates, trip_hours};
use tripsmith_planner::{
    Candidate, HoursOrigin, LodgingOffer, Money, PlaceInput, PlaceUse, Problem, TravelMatrix, TripRequest, UnknownPlace,
};

/// Roads are longer than the straight line: this many times on average in a city.
pub const DETOUR: f64 = 1.3;

/// The speed a mode travels at when no road network is given, km/h.
pub fn speed_kmh(mode: Profile) -> f64 {
    match mode {
        Profile::Foot => 4.5,
        Profile::Car => 30.0,
    }
}

/// The meal venue a category stands for.
fn meal_of(category: Category) -> Option<MealVenue> {
    match category {
        Category::Restaurant => Some(MealVenue::Restaurant),
        Category::Cafe => Some(MealVenue::Cafe),
        Category::FastFood => Some(MealVenue::FastFood),
        _ => None,
    }
}

/// One place as a candidate for `request`, whose trip is on `dates`.
fn candidate(place: &PlaceInput, request: &TripRequest, dates: &[tripsmith_planner::Date]) -> Candidate {
    let hours = place.opening_hours.as_deref().and_then(|h| parse(h, None, request.start_date.is_some()));
    let interest =
        if request.interests.is_empty() { 1.0 } else { request.interests.get(&place.category).copied().unwrap_or(0.0) };
    let (score, why) = match place.value {
        Some(v) => (v, vec![format!("value given: {v}")]),
        None => (interest, vec![crate::value::interest_reason(request, place.category, interest)]),
    };
    let role = place.role.unwrap_or(match (place.category, meal_of(place.category)) {
        (Category::Lodging, _) => PlaceUse::Sleep,
        (_, Some(_)) => PlaceUse::Meal,
        _ => PlaceUse::Visit,
    });
    let lodging = (role == PlaceUse::Sleep).then(|| LodgingOffer {
        price_per_night: Money(0),
        room_type: None,
        house_rules: Vec::new(),
        forbids: Vec::new(),
    });
    Candidate {
        id: place.id.clone(),
        name: place.name.clone(),
        aliases: Vec::new(),
        category: place.category,
        tag: None,
        location: LatLon { lat: place.lat, lon: place.lon },
        hours: hours.as_ref().map(|h| trip_hours(h, dates)),
        opening_hours: hours.as_ref().and(place.opening_hours.clone()),
        hours_origin: hours.as_ref().map(|_| HoursOrigin::Tagged),
        meal: (role == PlaceUse::Meal).then(|| meal_of(place.category).unwrap_or(MealVenue::Restaurant)),
        visit_minutes: place.visit_minutes.unwrap_or_else(|| visit_minutes(place.category)),
        price: Money(0),
        score: if role == PlaceUse::Visit { score } else { 0.0 },
        why,
        cuisines: Vec::new(),
        wheelchair: None,
        lodging,
    }
}

/// Travel between the candidates: the request's minutes (and the straight line × [`DETOUR`]
/// as metres), or the straight line × [`DETOUR`] at the first allowed mode's speed.
fn travel(request: &TripRequest, candidates: &[Candidate]) -> TravelMatrix {
    let n = candidates.len();
    let mode = request.travel.modes.first().copied().unwrap_or(Profile::Foot);
    let metres_per_minute = speed_kmh(mode) * 1000.0 / 60.0;
    let (mut minutes, mut metres) = (Vec::with_capacity(n * n), Vec::with_capacity(n * n));
    for (i, a) in candidates.iter().enumerate() {
        for (j, b) in candidates.iter().enumerate() {
            let road = a.location.haversine_m(b.location) * DETOUR;
            let given = request.travel_minutes.as_ref().and_then(|rows| rows.get(i)?.get(j).copied());
            minutes.push(Some(given.unwrap_or((road / metres_per_minute).ceil() as u32)));
            metres.push(Some(road.round() as u32));
        }
    }
    TravelMatrix { n, minutes, metres, modes: vec![Some(mode); n * n], ..TravelMatrix::default() }
}

/// The planning problem over the request's own places (all of them: the list is the
/// traveller's), and what was kept of each kind.
pub fn problem_from_places(request: &TripRequest) -> Result<(Problem, Pruning), UnknownPlace> {
    let dates = trip_dates(request.start_date, request.days);
    let candidates: Vec<Candidate> = request.places.iter().map(|p| candidate(p, request, &dates)).collect();
    let count = |f: fn(&Candidate) -> bool| {
        let k = candidates.iter().filter(|c| f(c)).count();
        (k, k)
    };
    let pruning = Pruning {
        visits: count(|c| !c.is_food() && !c.is_lodging()),
        food: count(Candidate::is_food),
        lodgings: count(Candidate::is_lodging),
        nearest_arcs: None,
    };
    let travel = travel(request, &candidates);
    let problem = Problem { request: request.clone(), candidates, travel, country: None, timezone: None };
    problem.check_places()?;
    Ok((problem, pruning))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(places: &str, extra: &str) -> TripRequest {
        TripRequest::from_json(&format!(r#"{{"days": 1, "return_to_base": false, "places": {places} {extra}}}"#))
            .unwrap()
    }

    const PLACES: &str = r#"[
        {"id": "a", "name": "Old Mill", "lat": 39.29, "lon": -76.61, "category": "historic", "value": 3},
        {"id": "b", "name": "Harbour Walk", "lat": 39.28, "lon": -76.60, "category": "park", "visit_minutes": 45},
        {"id": "c", "name": "Crab House", "lat": 39.285, "lon": -76.605, "category": "restaurant",
         "opening_hours": "Mo-Su 11:00-22:00"}
    ]"#;

    #[test]
    fn places_become_candidates_as_described() {
        let (problem, pruning) = problem_from_places(&request(PLACES, "")).unwrap();
        let c = &problem.candidates;
        assert_eq!((c[0].score, c[1].score), (3.0, 1.0), "a given value, or 1 without interests");
        assert_eq!((c[1].visit_minutes, c[0].visit_minutes), (45, visit_minutes(Category::Historic)));
        assert_eq!(c[2].meal, Some(MealVenue::Restaurant));
        assert!(c[2].hours.is_some() && c[0].hours.is_none());
        assert_eq!((pruning.visits, pruning.food, pruning.lodgings), ((2, 2), (1, 1), (0, 0)));
        // Walking by default: 1.3 × the straight line at 4.5 km/h.
        let metres = c[0].location.haversine_m(c[1].location) * DETOUR;
        assert_eq!(problem.travel.metres(0, 1), Some(metres.round() as u32));
        assert_eq!(problem.travel.minutes(0, 1), Some((metres / 75.0).ceil() as u32));
        // A restaurant may be a visit instead.
        let visit =
            PLACES.replace(r#""category": "restaurant","#, r#""category": "restaurant", "role": "visit", "value": 2,"#);
        let (problem, pruning) = problem_from_places(&request(&visit, "")).unwrap();
        assert_eq!((problem.candidates[2].meal, problem.candidates[2].score), (None, 2.0));
        assert_eq!(pruning.food, (0, 0));
        let with_interests = request(PLACES, r#", "interests": {"park": 2}"#);
        let (problem, _) = problem_from_places(&with_interests).unwrap();
        assert_eq!(problem.candidates[1].score, 2.0);
    }

    #[test]
    fn given_minutes_are_used_and_named_places_must_be_in_the_list() {
        let minutes = r#", "travel_minutes": [[0, 7, 9], [7, 0, 4], [9, 4, 0]]"#;
        let (problem, _) = problem_from_places(&request(PLACES, minutes)).unwrap();
        assert_eq!((problem.travel.minutes(0, 2), problem.travel.minutes(2, 1)), (Some(9), Some(4)));
        let err = problem_from_places(&request(PLACES, r#", "must_visit": ["Old Mil"]"#)).unwrap_err();
        assert_eq!(err.reference, "Old Mil");
        assert!(problem_from_places(&request(PLACES, r#", "must_visit": ["b"]"#)).is_ok(), "by id");
    }

    #[test]
    fn bad_places_name_their_field() {
        let bad = |places: &str, extra: &str| {
            let text = format!(r#"{{"days": 1, "places": {places} {extra}}}"#);
            TripRequest::from_json(&text).unwrap_err().field
        };
        let one = |fields: &str| format!(r#"[{{"id": "a", "name": "A", "category": "park", {fields}}}]"#);
        assert_eq!(bad(&one(r#""lat": 91, "lon": 0"#), ""), "places[0].lat");
        assert_eq!(bad(&one(r#""lat": 1, "lon": 0, "value": -1"#), ""), "places[0].value");
        assert_eq!(bad(&one(r#""lat": 1, "lon": 0, "visit_minutes": 0"#), ""), "places[0].visit_minutes");
        assert_eq!(bad(&one(r#""lat": 1, "lon": 0, "opening_hours": "whenever""#), ""), "places[0].opening_hours");
        assert_eq!(bad(&one(r#""lat": 1, "lon": 0"#), r#", "travel_minutes": [[0, 1]]"#), "travel_minutes[0]");
        let twice = r#"[{"id": "a", "name": "A", "lat": 1, "lon": 0, "category": "park"},
                        {"id": "a", "name": "B", "lat": 1, "lon": 0, "category": "park"}]"#;
        assert_eq!(bad(twice, ""), "places[1].id");
    }
}
