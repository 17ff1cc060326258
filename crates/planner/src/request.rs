//! The trip request document: what a traveller asks for, in TOML or JSON.
//!
//! Every constraint in a request has a stable [label](TripRequest::labels) (`budget`,
//! `day[2].end`, `must_visit["Musée Océanographique"]`, `cuisine.italian`, ...) that plans,
//! checks and explanations refer to. `constraints/README.md` documents every field.

use crate::label::Label;
use crate::time::{ClockTime, Date, Money};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tripsmith_model::{Category, MealVenue, Profile};

/// Most days one request may plan.
pub const MAX_DAYS: u32 = 30;
/// Largest party.
pub const MAX_PARTY: u32 = 50;

/// A trip request. Unknown fields are errors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TripRequest {
    /// Free-text name of the destination region (for reports; the CLI chooses the region file).
    #[serde(default)]
    pub region: Option<String>,
    /// First day of the trip; gives the weekdays that opening hours depend on. Without it,
    /// day 1 is taken to be a Monday.
    #[serde(default)]
    pub start_date: Option<Date>,
    /// Number of days (1–30).
    #[schemars(range(min = 1, max = MAX_DAYS))]
    pub days: u32,
    /// When each day starts (default 09:00).
    #[serde(default = "default_day_start")]
    pub day_start: ClockTime,
    /// When each day ends (default 21:00).
    #[serde(default = "default_day_end")]
    pub day_end: ClockTime,
    /// Other start or end times for particular days.
    #[serde(default)]
    pub day_overrides: Vec<DayOverride>,
    /// Number of travellers (default 1); entry fees and meals are paid per person.
    #[serde(default = "one")]
    #[schemars(range(min = 1, max = MAX_PARTY))]
    pub party_size: u32,
    /// Total budget for the party (lodging, meals, entry fees).
    #[serde(default)]
    pub budget: Option<Money>,
    /// Where to sleep.
    #[serde(default)]
    pub lodging: Option<Lodging>,
    /// Meals to plan each day.
    #[serde(default)]
    pub meals: Meals,
    /// How much each category of place interests the travellers (weights ≥ 0).
    #[serde(default)]
    pub interests: BTreeMap<Category, f64>,
    /// The categories whose interest comes from the travellers' check-in history (`plan
    /// --history`, the API's `history`) rather than from the request: the plan says so.
    #[serde(default, skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub interests_from_history: std::collections::BTreeSet<Category>,
    /// Places that must be visited, by name or OSM reference (`node/123`, `way/456`).
    #[serde(default)]
    pub must_visit: Vec<String>,
    /// Places that must not be part of the plan, by name or OSM reference.
    #[serde(default)]
    pub must_avoid: Vec<String>,
    /// At most this many visits (meals excluded) per day; without it the pace sets the cap.
    #[serde(default)]
    pub max_places_per_day: Option<u32>,
    /// How full the days are: `relaxed`, `normal` (the default) or `packed` (see [`Pace`]).
    #[serde(default)]
    pub pace: Pace,
    /// A midday break on days without a planned lunch (see [`Rest`]).
    #[serde(default)]
    pub rest: Rest,
    /// Language of place names in the answer (`en`, `fr`, `de`...: OSM's `name:xx`); default:
    /// English where OSM has it, else the local name.
    #[serde(default)]
    pub language: Option<String>,
    /// Limits on travel distance.
    #[serde(default)]
    pub travel: TravelLimits,
    /// Only places with `wheelchair=yes` (or `limited` when this is `limited`).
    #[serde(default)]
    pub wheelchair: Option<WheelchairNeed>,
    /// Start and end each day at the lodging (default true).
    #[serde(default = "yes")]
    pub return_to_base: bool,
    /// The request's own candidate places, instead of the region's (a list the travellers
    /// bring, or check-in venues): when given, the region's catalog is not used.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = MAX_PLACES))]
    pub places: Vec<PlaceInput>,
    /// Travel minutes between `places` (row-major: `travel_minutes[i][j]` from place i to j),
    /// when known; without it, the straight-line distance × 1.3 at the first allowed mode's
    /// speed (walking 4.5 km/h, driving 30 km/h).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub travel_minutes: Option<Vec<Vec<u32>>>,
}

/// Most places a request may bring.
pub const MAX_PLACES: usize = 5_000;

/// One place a request brings (see [`TripRequest::places`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceInput {
    /// Its id, unique in the list (`must_visit` may name it).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Its category: restaurants, cafés and fast food are meal venues, lodgings places to
    /// sleep, the others sights.
    pub category: Category,
    /// What a visit is worth (≥ 0); default: the request's interest in its category (1
    /// without interests).
    #[serde(default)]
    pub value: Option<f64>,
    /// How long a visit takes, minutes (1–600; default: the category's usual length).
    #[serde(default)]
    pub visit_minutes: Option<u16>,
    /// An OSM `opening_hours` expression; default: open whenever the day allows.
    #[serde(default)]
    pub opening_hours: Option<String>,
    /// What it is for; default: by its category (restaurants, cafés and fast food `meal`,
    /// lodgings `sleep`, the others `visit`). A bar or a restaurant may be a `visit` worth its
    /// value.
    #[serde(default)]
    pub role: Option<PlaceUse>,
}

/// What a place of a request's own list is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlaceUse {
    /// A visit, worth its value.
    Visit,
    /// A place to eat the request's meals at.
    Meal,
    /// A place to sleep.
    Sleep,
}

fn default_day_start() -> ClockTime {
    ClockTime(9 * 60)
}
fn default_day_end() -> ClockTime {
    ClockTime(21 * 60)
}
fn one() -> u32 {
    1
}
fn yes() -> bool {
    true
}

/// A different start or end time for one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DayOverride {
    /// The day, 1-based.
    pub day: u32,
    /// Its start time.
    #[serde(default)]
    pub start: Option<ClockTime>,
    /// Its end time.
    #[serde(default)]
    pub end: Option<ClockTime>,
}

/// Where the travellers sleep: a given place, or one chosen from the catalog within limits.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lodging {
    /// A given lodging, by name or OSM reference. Without it, the planner chooses one.
    #[serde(default)]
    pub place: Option<String>,
    /// Highest price per night for the whole party.
    #[serde(default)]
    pub max_price_per_night: Option<Money>,
    /// Required room type.
    #[serde(default)]
    pub room_type: Option<RoomType>,
    /// House rules the lodging must allow.
    #[serde(default)]
    pub house_rules: Vec<HouseRule>,
}

/// Room types of lodging offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoomType {
    /// The whole home or apartment.
    EntireHome,
    /// A private room.
    PrivateRoom,
    /// A shared room.
    SharedRoom,
}

impl RoomType {
    /// The room type in words (`a private room`).
    pub fn in_words(self) -> &'static str {
        match self {
            RoomType::EntireHome => "the whole home",
            RoomType::PrivateRoom => "a private room",
            RoomType::SharedRoom => "a shared room",
        }
    }
}

/// House rules a lodging may allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HouseRule {
    /// Smoking.
    Smoking,
    /// Parties.
    Parties,
    /// Children under 10.
    ChildrenUnder10,
    /// Visitors.
    Visitors,
    /// Pets.
    Pets,
}

impl HouseRule {
    /// The rule in words (`children under 10`).
    pub fn in_words(self) -> &'static str {
        match self {
            HouseRule::Smoking => "smoking",
            HouseRule::Parties => "parties",
            HouseRule::ChildrenUnder10 => "children under 10",
            HouseRule::Visitors => "visitors",
            HouseRule::Pets => "pets",
        }
    }
}

/// The meals of each day and what they must offer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meals {
    /// Breakfast, if planned.
    #[serde(default)]
    pub breakfast: Option<MealSpec>,
    /// Lunch, if planned.
    #[serde(default)]
    pub lunch: Option<MealSpec>,
    /// Dinner, if planned.
    #[serde(default)]
    pub dinner: Option<MealSpec>,
    /// Cuisines that at least one planned meal of the trip must offer (OSM `cuisine` values).
    #[serde(default)]
    pub cuisines: Vec<String>,
}

/// One daily meal: when it may start and how much it may cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MealSpec {
    /// Earliest and latest start, `["12:00", "14:00"]`.
    pub window: [ClockTime; 2],
    /// How long the meal takes, minutes (default 60).
    #[serde(default = "sixty")]
    pub minutes: u16,
    /// Highest price per person.
    #[serde(default)]
    pub max_price: Option<Money>,
    /// Kinds of venue it may be taken at (`restaurant`, `cafe`, `fast_food`); default: a
    /// restaurant or café for breakfast, any of the three for lunch, a restaurant for dinner.
    /// Ice-cream parlours and bars serve no meals.
    #[serde(default)]
    pub venues: Option<Vec<MealVenue>>,
}

impl MealSpec {
    /// Whether this meal (of kind `kind`) may be taken at a venue of kind `venue`.
    pub fn allows(&self, kind: MealKind, venue: MealVenue) -> bool {
        match &self.venues {
            Some(list) => list.contains(&venue),
            None => kind.default_venues().contains(&venue),
        }
    }
}

/// How full the days are: a cap on sights a day and on sights of one category a day (variety),
/// unless `max_places_per_day` sets the daily cap itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Pace {
    /// At most 4 sights a day, 2 of one category.
    Relaxed,
    /// At most 6 sights a day, 2 of one category.
    #[default]
    Normal,
    /// At most 10 sights a day, 3 of one category.
    Packed,
}

/// A midday break: free time of `minutes` inside `window` on every day that plans no lunch
/// (a planned lunch is the day's break). The planner keeps it in the time the day's sights leave,
/// delaying later stops within their hours when that makes room; it never costs a sight, and a
/// day too full for it says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rest {
    /// When the break may be taken (default 12:00–15:00).
    #[serde(default = "default_rest_window")]
    pub window: [ClockTime; 2],
    /// How long it lasts, minutes (default 45; 0: no break).
    #[serde(default = "default_rest_minutes")]
    pub minutes: u16,
}

impl Default for Rest {
    fn default() -> Self {
        Self { window: default_rest_window(), minutes: default_rest_minutes() }
    }
}

fn default_rest_window() -> [ClockTime; 2] {
    [ClockTime(12 * 60), ClockTime(15 * 60)]
}
fn default_rest_minutes() -> u16 {
    45
}

/// Score points each sight of a category after the first on one day costs, per unit of interest
/// in the category (variety as diminishing returns; see [`TripRequest::repeat_penalty`]).
pub const REPEAT_PENALTY: f64 = 1.0;

impl Pace {
    /// Most sights a day.
    pub fn sights_per_day(self) -> u32 {
        match self {
            Pace::Relaxed => 4,
            Pace::Normal => 6,
            Pace::Packed => 10,
        }
    }

    /// Most sights of one category a day.
    pub fn per_category_per_day(self) -> u32 {
        match self {
            Pace::Relaxed | Pace::Normal => 2,
            Pace::Packed => 3,
        }
    }
}

fn sixty() -> u16 {
    60
}

/// Which meal of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MealKind {
    /// Morning meal.
    Breakfast,
    /// Midday meal.
    Lunch,
    /// Evening meal.
    Dinner,
}

impl MealKind {
    /// All meals in the order of a day.
    pub const ALL: [MealKind; 3] = [MealKind::Breakfast, MealKind::Lunch, MealKind::Dinner];

    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            MealKind::Breakfast => "breakfast",
            MealKind::Lunch => "lunch",
            MealKind::Dinner => "dinner",
        }
    }

    /// The venues this meal may be taken at unless the request says otherwise.
    pub fn default_venues(self) -> &'static [MealVenue] {
        match self {
            MealKind::Breakfast => &[MealVenue::Cafe, MealVenue::Restaurant],
            MealKind::Lunch => &[MealVenue::Restaurant, MealVenue::Cafe, MealVenue::FastFood],
            MealKind::Dinner => &[MealVenue::Restaurant],
        }
    }
}

/// Travel limits and the modes allowed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TravelLimits {
    /// Modes allowed between places (default: foot).
    #[serde(default = "foot_only")]
    pub modes: Vec<Profile>,
    /// Longest total distance per day, metres.
    #[serde(default)]
    pub max_per_day_m: Option<f64>,
    /// Longest single leg, metres.
    #[serde(default)]
    pub max_per_leg_m: Option<f64>,
}

impl Default for TravelLimits {
    fn default() -> Self {
        Self { modes: foot_only(), max_per_day_m: None, max_per_leg_m: None }
    }
}

fn foot_only() -> Vec<Profile> {
    vec![Profile::Foot]
}

/// How accessible places must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WheelchairNeed {
    /// Only places tagged `wheelchair=yes`.
    Yes,
    /// Places tagged `wheelchair=yes` or `limited`.
    Limited,
}

/// A request that cannot be used, naming the field and the reason.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct RequestError {
    /// The offending field, as a path (`meals.lunch.window`, `day_overrides[0].day`).
    pub field: String,
    /// Why it is wrong.
    pub reason: String,
}

fn invalid(field: impl Into<String>, reason: impl Into<String>) -> RequestError {
    RequestError { field: field.into(), reason: reason.into() }
}

impl TripRequest {
    /// Parses a TOML request and validates it.
    pub fn from_toml(text: &str) -> Result<Self, RequestError> {
        let de = toml::de::Deserializer::parse(text).map_err(|e| {
            let at = e.span().map(|span| {
                let before = text.get(..span.start).unwrap_or(text);
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!(" at line {line}, column {column}")
            });
            invalid("request", format!("not valid TOML{}: {}", at.unwrap_or_default(), e.message()))
        })?;
        let request: TripRequest = serde_path_to_error::deserialize(de).map_err(|e| field_error(&e))?;
        request.validate()?;
        Ok(request)
    }

    /// Parses a JSON request and validates it.
    pub fn from_json(text: &str) -> Result<Self, RequestError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let request: TripRequest = serde_path_to_error::deserialize(&mut de).map_err(|e| field_error(&e))?;
        de.end().map_err(|e| invalid("request", format!("trailing characters after the JSON document: {e}")))?;
        request.validate()?;
        Ok(request)
    }

    /// Checks values that no type can: ranges, orderings, duplicates.
    pub fn validate(&self) -> Result<(), RequestError> {
        if self.days == 0 || self.days > MAX_DAYS {
            return Err(invalid("days", format!("must be between 1 and {MAX_DAYS}, got {}", self.days)));
        }
        if self.day_start >= self.day_end {
            return Err(invalid("day_end", format!("{} is not after day_start {}", self.day_end, self.day_start)));
        }
        for (i, o) in self.day_overrides.iter().enumerate() {
            let field = format!("day_overrides[{i}]");
            if o.day == 0 || o.day > self.days {
                return Err(invalid(
                    format!("{field}.day"),
                    format!("day {} is not one of the {} days", o.day, self.days),
                ));
            }
            let (start, end) = (o.start.unwrap_or(self.day_start), o.end.unwrap_or(self.day_end));
            if start >= end {
                return Err(invalid(field, format!("day {} would end at {end}, not after its start {start}", o.day)));
            }
        }
        if self.party_size == 0 || self.party_size > MAX_PARTY {
            return Err(invalid("party_size", format!("must be between 1 and {MAX_PARTY}, got {}", self.party_size)));
        }
        if let Some(b) = self.budget {
            if b.cents() < 0 {
                return Err(invalid("budget", format!("must not be negative, got {b}")));
            }
        }
        if let Some(l) = &self.lodging {
            if l.max_price_per_night.is_some_and(|p| p.cents() < 0) {
                return Err(invalid("lodging.max_price_per_night", "must not be negative"));
            }
            if l.place.as_deref().is_some_and(|p| p.trim().is_empty()) {
                return Err(invalid("lodging.place", "is empty"));
            }
        }
        for kind in MealKind::ALL {
            let Some(m) = self.meal(kind) else { continue };
            let field = format!("meals.{}", kind.as_str());
            if m.window[0] > m.window[1] {
                return Err(invalid(format!("{field}.window"), format!("{} is after {}", m.window[0], m.window[1])));
            }
            if m.minutes == 0 || m.minutes > 240 {
                return Err(invalid(
                    format!("{field}.minutes"),
                    format!("must be 1 to 240 minutes, got {}", m.minutes),
                ));
            }
            if m.max_price.is_some_and(|p| p.cents() < 0) {
                return Err(invalid(format!("{field}.max_price"), "must not be negative"));
            }
            if m.venues.as_ref().is_some_and(Vec::is_empty) {
                return Err(invalid(format!("{field}.venues"), "lists no kind of venue"));
            }
        }
        if self.rest.window[0] >= self.rest.window[1] {
            return Err(invalid(
                "rest.window",
                format!("{} is not after {}", self.rest.window[1], self.rest.window[0]),
            ));
        }
        let room = self.rest.window[1].minutes() - self.rest.window[0].minutes();
        if self.rest.minutes > room.min(240) {
            return Err(invalid(
                "rest.minutes",
                format!(
                    "must be 0 to {} minutes (the window's length, at most 240), got {}",
                    room.min(240),
                    self.rest.minutes
                ),
            ));
        }
        if let Some(language) = &self.language {
            if !(2..=7).contains(&language.len()) || !language.chars().all(|c| c.is_ascii_alphabetic() || c == '-') {
                return Err(invalid("language", format!("{language:?} is not a language code such as en, fr or de")));
            }
        }
        if !self.meals.cuisines.is_empty() && MealKind::ALL.iter().all(|k| self.meal(*k).is_none()) {
            return Err(invalid("meals.cuisines", "cuisines are required but no meal is planned"));
        }
        if let Some(c) = self.interests_from_history.iter().find(|c| !self.interests.contains_key(c)) {
            return Err(invalid("interests_from_history", format!("{c} has no interest weight")));
        }
        for (category, weight) in &self.interests {
            if !weight.is_finite() || *weight < 0.0 {
                return Err(invalid(
                    format!("interests.{category}"),
                    format!("weight must be a number ≥ 0, got {weight}"),
                ));
            }
        }
        for (list, field) in [(&self.must_visit, "must_visit"), (&self.must_avoid, "must_avoid")] {
            for (i, place) in list.iter().enumerate() {
                if place.trim().is_empty() {
                    return Err(invalid(format!("{field}[{i}]"), "is empty"));
                }
                if list[..i].contains(place) {
                    return Err(invalid(format!("{field}[{i}]"), format!("{place:?} is listed twice")));
                }
            }
        }
        if let Some(p) = self.must_visit.iter().find(|p| self.must_avoid.contains(p)) {
            return Err(invalid("must_avoid", format!("{p:?} is both a must-visit and a must-avoid place")));
        }
        if self.max_places_per_day == Some(0) && !self.must_visit.is_empty() {
            return Err(invalid("max_places_per_day", "is 0 but there are must-visit places"));
        }
        if self.travel.modes.is_empty() {
            return Err(invalid("travel.modes", "at least one mode is needed"));
        }
        self.validate_places()?;
        for (value, field) in
            [(self.travel.max_per_day_m, "travel.max_per_day_m"), (self.travel.max_per_leg_m, "travel.max_per_leg_m")]
        {
            if let Some(v) = value {
                if !v.is_finite() || v <= 0.0 || v > 1_000_000.0 {
                    return Err(invalid(
                        field,
                        format!("must be a distance in metres between 0 and 1,000,000, got {v}"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Most sights a day: `max_places_per_day`, else the pace's cap.
    pub fn sights_per_day(&self) -> u32 {
        self.max_places_per_day.unwrap_or_else(|| self.pace.sights_per_day())
    }

    /// What each sight of `category` after the first on one day takes off the plan's value, in
    /// hundredths of a score point: [`REPEAT_PENALTY`] times the travellers' interest in the
    /// category (1 without interests). Variety has diminishing returns: a second museum the same
    /// day is worth less than the first.
    pub fn repeat_penalty(&self, category: Category) -> i64 {
        let weight =
            if self.interests.is_empty() { 1.0 } else { self.interests.get(&category).copied().unwrap_or(0.0) };
        (REPEAT_PENALTY * weight * 100.0).round() as i64
    }

    /// The break day `day` (1-based) should get: its window, clipped to the day's hours, and its
    /// minutes, in minutes of the day; `None` when the request plans lunch, asks for no break, or
    /// the day's hours leave no room for one inside the window.
    pub fn rest_on(&self, day: u32) -> Option<(i64, i64, i64)> {
        let (start, end) = self.day_window(day);
        let from = i64::from(self.rest.window[0].minutes().max(start.minutes()));
        let to = i64::from(self.rest.window[1].minutes().min(end.minutes()));
        let minutes = i64::from(self.rest.minutes);
        (self.meals.lunch.is_none() && minutes > 0 && to - from >= minutes).then_some((from, to, minutes))
    }

    /// The label of the daily sight cap: `max_places_per_day` when the request sets it, else `pace`.
    pub fn sights_per_day_label(&self) -> Label {
        if self.max_places_per_day.is_some() {
            Label::MaxPlacesPerDay
        } else {
            Label::Pace
        }
    }

    /// The spec of one meal, if planned.
    pub fn meal(&self, kind: MealKind) -> Option<&MealSpec> {
        match kind {
            MealKind::Breakfast => self.meals.breakfast.as_ref(),
            MealKind::Lunch => self.meals.lunch.as_ref(),
            MealKind::Dinner => self.meals.dinner.as_ref(),
        }
    }

    /// Start and end of day `day` (1-based), overrides applied.
    pub fn day_window(&self, day: u32) -> (ClockTime, ClockTime) {
        let o = self.day_overrides.iter().find(|o| o.day == day);
        (o.and_then(|o| o.start).unwrap_or(self.day_start), o.and_then(|o| o.end).unwrap_or(self.day_end))
    }

    /// Weekday (Monday = 0) of the day with 0-based index `d`; without a start date day 1 is a Monday.
    pub fn weekday(&self, d: usize) -> usize {
        self.start_date.map_or(d % 7, |s| s.plus_days(d as u32).weekday())
    }

    /// The labels of every constraint this request states, in a stable order.
    pub fn labels(&self) -> Vec<Label> {
        let mut labels = Vec::new();
        for d in 1..=self.days {
            labels.push(Label::DayStart(d));
            labels.push(Label::DayEnd(d));
        }
        if self.budget.is_some() {
            labels.push(Label::Budget);
        }
        if let Some(l) = &self.lodging {
            if let Some(p) = &l.place {
                labels.push(Label::Lodging(p.clone()));
            }
            if l.max_price_per_night.is_some() {
                labels.push(Label::LodgingMaxPrice);
            }
            if let Some(r) = l.room_type {
                labels.push(Label::RoomType(r));
            }
            labels.extend(l.house_rules.iter().map(|rule| Label::HouseRule(*rule)));
        }
        for kind in MealKind::ALL {
            if let Some(m) = self.meal(kind) {
                labels.push(Label::Meal(kind));
                if m.max_price.is_some() {
                    labels.push(Label::MealMaxPrice(kind));
                }
            }
        }
        labels.extend(self.meals.cuisines.iter().map(|c| Label::Cuisine(c.to_lowercase())));
        labels.extend(self.must_visit.iter().map(|p| Label::MustVisit(p.clone())));
        labels.extend(self.must_avoid.iter().map(|p| Label::MustAvoid(p.clone())));
        if self.max_places_per_day.is_some() {
            labels.push(Label::MaxPlacesPerDay);
        }
        labels.push(Label::Pace);
        if self.travel.max_per_day_m.is_some() {
            labels.push(Label::TravelMaxPerDay);
        }
        if self.travel.max_per_leg_m.is_some() {
            labels.push(Label::TravelMaxPerLeg);
        }
        labels.push(Label::TravelModes);
        if self.wheelchair.is_some() {
            labels.push(Label::Wheelchair);
        }
        if self.return_to_base {
            labels.push(Label::ReturnToBase);
        }
        labels
    }

    /// The JSON Schema of the request document.
    pub fn json_schema() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(TripRequest)).unwrap_or_default()
    }
}

/// The serde name of a unit enum variant (`private_room`).
pub(crate) fn serde_name<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// Turns a deserialisation error into one that names the field (`meals.lunch.window[0]`).
impl TripRequest {
    /// The request's own places and their travel minutes, checked.
    fn validate_places(&self) -> Result<(), RequestError> {
        let n = self.places.len();
        if n > MAX_PLACES {
            return Err(invalid("places", format!("at most {MAX_PLACES} places, got {n}")));
        }
        let mut ids = std::collections::HashSet::new();
        for (i, p) in self.places.iter().enumerate() {
            let field = |name: &str| format!("places[{i}].{name}");
            if p.id.trim().is_empty() || p.name.trim().is_empty() {
                let which = if p.id.trim().is_empty() { "id" } else { "name" };
                return Err(invalid(field(which), "is empty"));
            }
            if !ids.insert(p.id.as_str()) {
                return Err(invalid(field("id"), format!("{:?} is listed twice", p.id)));
            }
            if !(p.lat.is_finite() && (-90.0..=90.0).contains(&p.lat)) {
                return Err(invalid(field("lat"), format!("must be a latitude from -90 to 90, got {}", p.lat)));
            }
            if !(p.lon.is_finite() && (-180.0..=180.0).contains(&p.lon)) {
                return Err(invalid(field("lon"), format!("must be a longitude from -180 to 180, got {}", p.lon)));
            }
            if p.value.is_some_and(|v| !v.is_finite() || v < 0.0) {
                return Err(invalid(field("value"), "must be a number ≥ 0"));
            }
            if p.visit_minutes.is_some_and(|m| m == 0 || m > 600) {
                return Err(invalid(field("visit_minutes"), "must be 1 to 600 minutes"));
            }
            if let Some(hours) = &p.opening_hours {
                crate::hours::parse(hours, None, self.start_date.is_some()).ok_or_else(|| {
                    invalid(
                        field("opening_hours"),
                        format!("{hours:?} is not an opening_hours expression tripsmith reads"),
                    )
                })?;
            }
        }
        match &self.travel_minutes {
            Some(_) if n == 0 => Err(invalid("travel_minutes", "is given without places")),
            Some(rows) => match rows.iter().position(|r| r.len() != n) {
                _ if rows.len() != n => {
                    Err(invalid("travel_minutes", format!("has {} rows for {n} places", rows.len())))
                }
                Some(i) => {
                    Err(invalid(format!("travel_minutes[{i}]"), format!("has {} values for {n} places", rows[i].len())))
                }
                None => Ok(()),
            },
            None => Ok(()),
        }
    }
}

fn field_error<E: std::fmt::Display>(e: &serde_path_to_error::Error<E>) -> RequestError {
    // A bad map key shows as `?`: name the map.
    let path = e.path().to_string().replace(".?", "");
    let field = if path == "." || path.is_empty() { "request".to_string() } else { path };
    // serde's own message, without the position suffix TOML and JSON add.
    let message = e.inner().to_string();
    let message = message.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("invalid value").trim().to_string();
    invalid(field, in_words(&message))
}

/// serde's type names in a reader's words: `expected u32` → `expected a whole number`, and a
/// whole number too large for the field says so.
fn in_words(message: &str) -> String {
    let mut m = message.to_string();
    for t in ["usize", "u64", "u32", "u16", "u8", "i64", "i32", "i16", "i8"] {
        m = m.replace(&format!("expected {t}"), "expected a whole number");
    }
    for t in ["f64", "f32"] {
        m = m.replace(&format!("expected {t}"), "expected a number");
    }
    if let Some((number, tail)) =
        m.strip_prefix("invalid value: integer `").and_then(|rest| rest.split_once("`, expected a whole number"))
    {
        m = format!("{number} is beyond this field's limits (constraints/README.md gives them){tail}");
    }
    m
}
