//! Constraint labels in the traveller's words.

use crate::request::{MealKind, TripRequest};

/// What the constraint behind `label` asks, using the request's own values
/// (`day[1].start` → "day 1 starts at 17:30").
pub fn describe(request: &TripRequest, label: &str) -> String {
    let inner = |prefix: &str| {
        label.strip_prefix(prefix).and_then(|s| s.strip_suffix(']')).map(|s| s.trim_matches('"').to_string())
    };
    if let Some(rest) = label.strip_prefix("day[") {
        let (day, what) = rest.split_once("].").unwrap_or((rest, ""));
        let n: u32 = day.parse().unwrap_or(1);
        let (start, end) = request.day_window(n);
        return match what {
            "start" => format!("day {n} starts at {start}"),
            "end" if request.return_to_base => format!("day {n} ends back at the lodging by {end}"),
            _ => format!("day {n} ends by {end}"),
        };
    }
    if let Some(place) = inner("must_visit[") {
        return format!("visit {place}");
    }
    if let Some(place) = inner("must_avoid[") {
        return format!("stay away from {place}");
    }
    if let Some(place) = inner("lodging[") {
        return format!("sleep at {place}");
    }
    if let Some(cuisine) = label.strip_prefix("cuisine.") {
        return format!("at least one meal serves {cuisine} food");
    }
    for kind in MealKind::ALL {
        let name = kind.as_str();
        if let Some(spec) = request.meal(kind) {
            if label == format!("meal.{name}") {
                return format!("{name} every day, starting between {} and {}", spec.window[0], spec.window[1]);
            }
            if label == format!("meal.{name}.max_price") {
                let max = spec.max_price.map(|m| m.to_string()).unwrap_or_default();
                return format!("{name} costs at most {max} a head");
            }
        }
    }
    let lodging = request.lodging.as_ref();
    match label {
        "budget" => format!("the whole trip costs at most {}", request.budget.unwrap_or_default()),
        "lodging.max_price" => format!(
            "the lodging costs at most {} a night",
            lodging.and_then(|l| l.max_price_per_night).unwrap_or_default()
        ),
        "max_places_per_day" => format!("at most {} visits a day", request.max_places_per_day.unwrap_or_default()),
        "pace" => {
            let cap = match request.max_places_per_day {
                Some(_) => String::new(),
                None => format!("at most {} sights a day and ", request.pace.sights_per_day()),
            };
            format!(
                "the {} pace: {cap}at most {} sights of one category a day",
                crate::request::serde_name(&request.pace),
                request.pace.per_category_per_day()
            )
        }
        "travel.max_per_day" => {
            format!("at most {:.0} m of travel a day", request.travel.max_per_day_m.unwrap_or_default())
        }
        "travel.max_per_leg" => format!("no leg longer than {:.0} m", request.travel.max_per_leg_m.unwrap_or_default()),
        "travel.modes" => format!(
            "travel only by {}",
            request.travel.modes.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(" or ")
        ),
        "wheelchair" => "only wheelchair-accessible places".to_string(),
        "return_to_base" => "start and end each day at the lodging".to_string(),
        other if other.starts_with("lodging.room_type.") => {
            let room = request.lodging.as_ref().and_then(|l| l.room_type).map_or(&other[18..], |r| r.in_words());
            format!("the lodging offers {room}")
        }
        other if other.starts_with("lodging.house_rule.") => {
            let name = &other[19..];
            let rules = request.lodging.as_ref().map(|l| l.house_rules.as_slice()).unwrap_or_default();
            let rule = rules.iter().find(|r| crate::request::serde_name(*r) == name).map_or(name, |r| r.in_words());
            format!("the lodging does not forbid {rule}")
        }
        other => other.to_string(),
    }
}
