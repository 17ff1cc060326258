//! Constraint labels: the name of each constraint a trip request states (`budget`,
//! `day[2].end`, `must_visit["Musée Océanographique"]`, `cuisine.italian`, ...) and of the
//! physical facts a plan must respect (`opening_hours["Villa Paloma"]`, `plan.travel_time`, ...).
//!
//! One typed vocabulary for the whole constraint layer: the request lists its labels, every
//! backend tags its encoding with them (so cores are sets of labels), repairs and explanations
//! match on them, and the independent checker names what a plan breaks with them. A label reads
//! and parses as the text above ([`std::fmt::Display`], [`std::str::FromStr`]); JSON carries that
//! text.

use crate::request::{serde_name, HouseRule, MealKind, RoomType};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// The label of one constraint of a trip request, or of a fact every plan must respect.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Label {
    /// `day[N].start`: day N (from 1) starts no earlier than its start time.
    DayStart(u32),
    /// `day[N].end`: day N ends (back at the lodging when asked) by its end time.
    DayEnd(u32),
    /// `budget`: the whole trip costs at most the budget.
    Budget,
    /// `lodging["NAME"]`: sleep at this place.
    Lodging(String),
    /// `lodging.max_price`: the lodging's price per night.
    LodgingMaxPrice,
    /// `lodging.room_type.KIND`: the lodging offers this room type.
    RoomType(RoomType),
    /// `lodging.house_rule.RULE`: the lodging does not forbid this.
    HouseRule(HouseRule),
    /// `meal.KIND`: this meal every day, inside its window, at a venue that serves it.
    Meal(MealKind),
    /// `meal.KIND.max_price`: this meal's price a head.
    MealMaxPrice(MealKind),
    /// `cuisine.NAME`: at least one meal serves this cuisine (lower case).
    Cuisine(String),
    /// `must_visit["NAME"]`: visit this place.
    MustVisit(String),
    /// `must_avoid["NAME"]`: never go to this place.
    MustAvoid(String),
    /// `max_places_per_day`: the request's own cap on visits a day.
    MaxPlacesPerDay,
    /// `pace`: the pace's caps (sights a day, sights of one category a day).
    Pace,
    /// `travel.max_per_day`: metres of travel a day.
    TravelMaxPerDay,
    /// `travel.max_per_leg`: metres of one leg.
    TravelMaxPerLeg,
    /// `travel.modes`: only the allowed modes.
    TravelModes,
    /// `wheelchair`: only accessible places.
    Wheelchair,
    /// `return_to_base`: each day starts and ends at the lodging.
    ReturnToBase,
    /// `opening_hours["NAME"]` (checker): the place is open (and in daylight when outdoors)
    /// throughout the stop.
    OpeningHours(String),
    /// `days` (checker): the plan has the request's number of days.
    Days,
    /// `plan.travel_time` (checker): a stop is reached no faster than travel allows.
    TravelTime,
    /// `plan.duration` (checker): stops last their length, in order; only sights are visits.
    Duration,
    /// `plan.repeat` (checker): each place used once, and only places of the catalog.
    Repeat,
    /// `plan.cost` (checker): the reported costs add up.
    Cost,
    /// `plan.score` (checker): the reported score and variety penalty add up.
    Score,
    /// `plan.rest` (checker): the break is free time of its length inside its window.
    Rest,
}

/// Writes a place name as labels quote it (`"Musée Océanographique"`, escapes as Rust writes
/// them).
fn quoted(name: &str) -> String {
    format!("{name:?}")
}

/// Reads a name quoted by [`quoted`].
fn unquoted(text: &str) -> Option<String> {
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '0' => out.push('\0'),
            'u' => {
                let rest: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let hex = rest.strip_prefix('{')?;
                out.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?)?);
            }
            other => out.push(other),
        }
    }
    Some(out)
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Label::DayStart(d) => write!(f, "day[{d}].start"),
            Label::DayEnd(d) => write!(f, "day[{d}].end"),
            Label::Budget => f.write_str("budget"),
            Label::Lodging(name) => write!(f, "lodging[{}]", quoted(name)),
            Label::LodgingMaxPrice => f.write_str("lodging.max_price"),
            Label::RoomType(room) => write!(f, "lodging.room_type.{}", serde_name(room)),
            Label::HouseRule(rule) => write!(f, "lodging.house_rule.{}", serde_name(rule)),
            Label::Meal(kind) => write!(f, "meal.{}", kind.as_str()),
            Label::MealMaxPrice(kind) => write!(f, "meal.{}.max_price", kind.as_str()),
            Label::Cuisine(name) => write!(f, "cuisine.{name}"),
            Label::MustVisit(name) => write!(f, "must_visit[{}]", quoted(name)),
            Label::MustAvoid(name) => write!(f, "must_avoid[{}]", quoted(name)),
            Label::MaxPlacesPerDay => f.write_str("max_places_per_day"),
            Label::Pace => f.write_str("pace"),
            Label::TravelMaxPerDay => f.write_str("travel.max_per_day"),
            Label::TravelMaxPerLeg => f.write_str("travel.max_per_leg"),
            Label::TravelModes => f.write_str("travel.modes"),
            Label::Wheelchair => f.write_str("wheelchair"),
            Label::ReturnToBase => f.write_str("return_to_base"),
            Label::OpeningHours(name) => write!(f, "opening_hours[{}]", quoted(name)),
            Label::Days => f.write_str("days"),
            Label::TravelTime => f.write_str("plan.travel_time"),
            Label::Duration => f.write_str("plan.duration"),
            Label::Repeat => f.write_str("plan.repeat"),
            Label::Cost => f.write_str("plan.cost"),
            Label::Score => f.write_str("plan.score"),
            Label::Rest => f.write_str("plan.rest"),
        }
    }
}

/// A text that is not a constraint label.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a constraint label (for example budget, day[1].end, must_visit[\"Name\"], cuisine.italian)")]
pub struct UnknownLabel(pub String);

/// Makes the label of a named place (`Label::MustVisit`, ...).
type NamedLabel = fn(String) -> Label;

fn named<T: for<'de> Deserialize<'de>>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
}

impl FromStr for Label {
    type Err = UnknownLabel;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let unknown = || UnknownLabel(s.to_string());
        let bracketed = |prefix: &str| s.strip_prefix(prefix).and_then(|r| r.strip_suffix(']'));
        let fixed = match s {
            "budget" => Some(Label::Budget),
            "lodging.max_price" => Some(Label::LodgingMaxPrice),
            "max_places_per_day" => Some(Label::MaxPlacesPerDay),
            "pace" => Some(Label::Pace),
            "travel.max_per_day" => Some(Label::TravelMaxPerDay),
            "travel.max_per_leg" => Some(Label::TravelMaxPerLeg),
            "travel.modes" => Some(Label::TravelModes),
            "wheelchair" => Some(Label::Wheelchair),
            "return_to_base" => Some(Label::ReturnToBase),
            "days" => Some(Label::Days),
            "plan.travel_time" => Some(Label::TravelTime),
            "plan.duration" => Some(Label::Duration),
            "plan.repeat" => Some(Label::Repeat),
            "plan.cost" => Some(Label::Cost),
            "plan.score" => Some(Label::Score),
            "plan.rest" => Some(Label::Rest),
            _ => None,
        };
        if let Some(label) = fixed {
            return Ok(label);
        }
        if let Some(rest) = s.strip_prefix("day[") {
            let (day, what) = rest.split_once("].").ok_or_else(unknown)?;
            let day: u32 = day.parse().map_err(|_| unknown())?;
            return match what {
                "start" => Ok(Label::DayStart(day)),
                "end" => Ok(Label::DayEnd(day)),
                _ => Err(unknown()),
            };
        }
        let places: [(&str, NamedLabel); 4] = [
            ("lodging[", Label::Lodging),
            ("must_visit[", Label::MustVisit),
            ("must_avoid[", Label::MustAvoid),
            ("opening_hours[", Label::OpeningHours),
        ];
        for (prefix, make) in places {
            if let Some(inner) = bracketed(prefix) {
                return unquoted(inner).map(make).ok_or_else(unknown);
            }
        }
        if let Some(room) = s.strip_prefix("lodging.room_type.") {
            return named(room).map(Label::RoomType).ok_or_else(unknown);
        }
        if let Some(rule) = s.strip_prefix("lodging.house_rule.") {
            return named(rule).map(Label::HouseRule).ok_or_else(unknown);
        }
        if let Some(cuisine) = s.strip_prefix("cuisine.").filter(|c| !c.is_empty()) {
            return Ok(Label::Cuisine(cuisine.to_string()));
        }
        if let Some(meal) = s.strip_prefix("meal.") {
            let (kind, price) = match meal.strip_suffix(".max_price") {
                Some(kind) => (kind, true),
                None => (meal, false),
            };
            let kind = MealKind::ALL.into_iter().find(|k| k.as_str() == kind).ok_or_else(unknown)?;
            return Ok(if price { Label::MealMaxPrice(kind) } else { Label::Meal(kind) });
        }
        Err(unknown())
    }
}

impl Serialize for Label {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Label {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Label {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Label".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        String::json_schema(generator)
    }
}

/// A label and the text of a label (`budget`): equal when the text reads as this label.
impl PartialEq<&str> for Label {
    fn eq(&self, other: &&str) -> bool {
        other.parse::<Label>().is_ok_and(|label| label == *self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_kind() -> Vec<Label> {
        let mut labels = vec![
            Label::DayStart(1),
            Label::DayEnd(12),
            Label::Budget,
            Label::Lodging("Hôtel de Paris".into()),
            Label::LodgingMaxPrice,
            Label::MaxPlacesPerDay,
            Label::Pace,
            Label::TravelMaxPerDay,
            Label::TravelMaxPerLeg,
            Label::TravelModes,
            Label::Wheelchair,
            Label::ReturnToBase,
            Label::Cuisine("italian".into()),
            Label::MustVisit("Musée \"Océanographique\" \\ de\u{301} Monaco\n".into()),
            Label::MustAvoid("Casino".into()),
            Label::OpeningHours("Villa Paloma".into()),
            Label::Days,
            Label::TravelTime,
            Label::Duration,
            Label::Repeat,
            Label::Cost,
            Label::Score,
            Label::Rest,
        ];
        for kind in MealKind::ALL {
            labels.push(Label::Meal(kind));
            labels.push(Label::MealMaxPrice(kind));
        }
        for room in [RoomType::EntireHome, RoomType::PrivateRoom, RoomType::SharedRoom] {
            labels.push(Label::RoomType(room));
        }
        for rule in
            [HouseRule::Smoking, HouseRule::Parties, HouseRule::ChildrenUnder10, HouseRule::Visitors, HouseRule::Pets]
        {
            labels.push(Label::HouseRule(rule));
        }
        labels
    }

    #[test]
    fn every_label_reads_back_from_its_text_and_its_json() {
        for label in every_kind() {
            let text = label.to_string();
            assert_eq!(text.parse::<Label>(), Ok(label.clone()), "{text}");
            let json = serde_json::to_string(&label).unwrap();
            assert_eq!(serde_json::from_str::<Label>(&json).unwrap(), label, "{json}");
        }
    }

    #[test]
    fn labels_read_as_the_request_format_documents_them() {
        assert_eq!(Label::DayEnd(2).to_string(), "day[2].end");
        assert_eq!(
            Label::MustVisit("Musée Océanographique".into()).to_string(),
            "must_visit[\"Musée Océanographique\"]"
        );
        assert_eq!(Label::RoomType(RoomType::SharedRoom).to_string(), "lodging.room_type.shared_room");
        assert_eq!(Label::HouseRule(HouseRule::ChildrenUnder10).to_string(), "lodging.house_rule.children_under10");
        assert_eq!(Label::MealMaxPrice(MealKind::Lunch).to_string(), "meal.lunch.max_price");
        assert_eq!(Label::TravelTime.to_string(), "plan.travel_time");
    }

    #[test]
    fn text_that_is_no_label_is_refused_with_examples() {
        for bad in ["", "budgets", "day[x].start", "day[1].middle", "meal.brunch", "must_visit[Casino]", "cuisine."] {
            let err = bad.parse::<Label>().unwrap_err();
            assert!(err.to_string().contains("is not a constraint label"), "{bad}: {err}");
        }
        assert!(serde_json::from_str::<Label>("\"lodging.room_type.castle\"").is_err());
    }
}
