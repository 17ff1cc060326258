//! Constraint labels in the traveller's words.

use crate::label::Label;
use crate::request::{serde_name, TripRequest};

/// What the constraint behind `label` asks, using the request's own values
/// (`day[1].start` → "day 1 starts at 17:30").
pub fn describe(request: &TripRequest, label: &Label) -> String {
    let lodging = request.lodging.as_ref();
    match label {
        Label::DayStart(n) => format!("day {n} starts at {}", request.day_window(*n).0),
        Label::DayEnd(n) if request.return_to_base => {
            format!("day {n} ends back at the lodging by {}", request.day_window(*n).1)
        }
        Label::DayEnd(n) => format!("day {n} ends by {}", request.day_window(*n).1),
        Label::MustVisit(place) => format!("visit {place}"),
        Label::MustAvoid(place) => format!("stay away from {place}"),
        Label::Lodging(place) => format!("sleep at {place}"),
        Label::Cuisine(cuisine) => format!("at least one meal serves {cuisine} food"),
        Label::Meal(kind) => match request.meal(*kind) {
            Some(spec) => {
                format!("{} every day, starting between {} and {}", kind.as_str(), spec.window[0], spec.window[1])
            }
            None => label.to_string(),
        },
        Label::MealMaxPrice(kind) => {
            let max = request.meal(*kind).and_then(|m| m.max_price).map(|m| m.to_string()).unwrap_or_default();
            format!("{} costs at most {max} a head", kind.as_str())
        }
        Label::Budget => format!("the whole trip costs at most {}", request.budget.unwrap_or_default()),
        Label::LodgingMaxPrice => format!(
            "the lodging costs at most {} a night",
            lodging.and_then(|l| l.max_price_per_night).unwrap_or_default()
        ),
        Label::MaxPlacesPerDay => {
            format!("at most {} visits a day", request.max_places_per_day.unwrap_or_default())
        }
        Label::Pace => {
            let cap = match request.max_places_per_day {
                Some(_) => String::new(),
                None => format!("at most {} sights a day and ", request.pace.sights_per_day()),
            };
            format!(
                "the {} pace: {cap}at most {} sights of one category a day",
                serde_name(&request.pace),
                request.pace.per_category_per_day()
            )
        }
        Label::TravelMaxPerDay => {
            format!("at most {:.0} m of travel a day", request.travel.max_per_day_m.unwrap_or_default())
        }
        Label::TravelMaxPerLeg => {
            format!("no leg longer than {:.0} m", request.travel.max_per_leg_m.unwrap_or_default())
        }
        Label::TravelModes => format!(
            "travel only by {}",
            request.travel.modes.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(" or ")
        ),
        Label::Wheelchair => "only wheelchair-accessible places".to_string(),
        Label::ReturnToBase => "start and end each day at the lodging".to_string(),
        Label::RoomType(room) => format!("the lodging offers {}", room.in_words()),
        Label::HouseRule(rule) => format!("the lodging does not forbid {}", rule.in_words()),
        Label::OpeningHours(place) => format!("{place} is open during the visit"),
        Label::Days => format!("the trip lasts {} days", request.days),
        Label::TravelTime => "each stop is reached no faster than travel allows".to_string(),
        Label::Duration => "each stop lasts its length".to_string(),
        Label::Repeat => "each place is used once".to_string(),
        Label::Cost => "the costs add up".to_string(),
        Label::Score => "the score adds up".to_string(),
        Label::Rest => "the break is free time inside its window".to_string(),
    }
}
