//! What the planner plans with: candidate places and the travel times between them.
//!
//! The planner does not know where candidates come from; the CLI builds them from an OSM region
//! (with category defaults for visit length and price) and the travel matrix from the router.

use crate::hours::{HoursOrigin, TripHours};
use crate::request::{HouseRule, MealKind, RoomType, TripRequest};
use crate::time::{Date, Money};
use serde::{Deserialize, Serialize};
use tripsmith_model::{Category, LatLon, MealVenue, Profile, Wheelchair};

/// What a lodging offers (prices are not in OSM and are estimated; OSM states a few rules).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LodgingOffer {
    /// Price per night for the party.
    pub price_per_night: Money,
    /// Room type, if known.
    pub room_type: Option<RoomType>,
    /// House rules it is known to allow.
    pub house_rules: Vec<HouseRule>,
    /// House rules it is known to forbid. A rule in neither list is unknown.
    #[serde(default)]
    pub forbids: Vec<HouseRule>,
}

impl LodgingOffer {
    /// Whether a request asking for `rule` may stay here: unless the lodging is known to forbid
    /// it (an unknown rule is allowed, and the plan says it is unknown).
    pub fn permits(&self, rule: HouseRule) -> bool {
        !self.forbids.contains(&rule)
    }

    /// The rules of `wanted` this lodging is not known to allow (neither allowed nor forbidden).
    pub fn unknown(&self, wanted: &[HouseRule]) -> Vec<HouseRule> {
        wanted.iter().copied().filter(|r| !self.house_rules.contains(r) && !self.forbids.contains(r)).collect()
    }
}

/// A place the planner may put in an itinerary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// Stable id (`node/123`).
    pub id: String,
    /// Name shown to the traveller.
    pub name: String,
    /// Other names it goes by (e.g. `name:en`), matched by place references too.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Category.
    pub category: Category,
    /// The OSM tag that gave the category (`tourism=museum`), if it came from OSM.
    #[serde(default)]
    pub tag: Option<String>,
    /// Position.
    pub location: LatLon,
    /// Open intervals on each day of the trip; `None` = open whenever the day allows.
    pub hours: Option<TripHours>,
    /// The `opening_hours` expression `hours` was evaluated from (the place's own or the default
    /// of its kind), for the checker to re-evaluate on each date.
    #[serde(default)]
    pub opening_hours: Option<String>,
    /// Whether that expression is the place's own tag or the default of its kind.
    #[serde(default)]
    pub hours_origin: Option<HoursOrigin>,
    /// For places that serve meals: which kind of meal venue.
    #[serde(default)]
    pub meal: Option<MealVenue>,
    /// How long a visit takes, minutes (meals take the request's meal length instead).
    pub visit_minutes: u16,
    /// Entry fee or meal price per person.
    pub price: Money,
    /// How much the travellers want to go there (≥ 0).
    pub score: f64,
    /// Why it is worth that (`landmark: Wikidata entry, heritage`; `museum: your interest ×2`).
    #[serde(default)]
    pub why: Vec<String>,
    /// Cuisines served (food places).
    pub cuisines: Vec<String>,
    /// Wheelchair access, if tagged.
    pub wheelchair: Option<Wheelchair>,
    /// Lodging details, for places to sleep.
    pub lodging: Option<LodgingOffer>,
}

impl Candidate {
    /// Whether it serves meals.
    pub fn is_food(&self) -> bool {
        self.meal.is_some()
    }

    /// Whether it may serve `kind` for a request (its venue kind is one the meal allows).
    pub fn serves(&self, request: &TripRequest, kind: MealKind) -> bool {
        self.meal.is_some_and(|venue| request.meal(kind).is_some_and(|spec| spec.allows(kind, venue)))
    }

    /// Whether it is a place to sleep.
    pub fn is_lodging(&self) -> bool {
        self.lodging.is_some()
    }

    /// Whether a place reference from a request (a name, or `node/ID` / `way/ID`) means this place.
    pub fn matches(&self, reference: &str) -> bool {
        let r = reference.trim();
        self.id == r || self.name.eq_ignore_ascii_case(r) || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(r))
    }

    /// Whether it meets a wheelchair need.
    pub fn accessible(&self, need: crate::request::WheelchairNeed) -> bool {
        match need {
            crate::request::WheelchairNeed::Yes => self.wheelchair == Some(Wheelchair::Yes),
            crate::request::WheelchairNeed::Limited => {
                matches!(self.wheelchair, Some(Wheelchair::Yes | Wheelchair::Limited))
            }
        }
    }
}

/// Travel between candidates (`0..n`) for the request's modes: minutes (rounded up) and metres
/// of the fastest allowed mode, `None` when unreachable. With several modes allowed it also
/// keeps each mode's own legs, and a plan may hold each day to one mode ([`Self::day_modes`]):
/// a car cannot follow travellers who walked away from it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TravelMatrix {
    /// Number of candidates.
    pub n: usize,
    /// Row-major minutes.
    pub minutes: Vec<Option<u32>>,
    /// Row-major metres, along the same legs.
    pub metres: Vec<Option<u32>>,
    /// Row-major mode of each leg (the fastest allowed); empty when not known.
    #[serde(default)]
    pub modes: Vec<Option<Profile>>,
    /// Each allowed mode's own legs, when more than one mode is allowed.
    #[serde(default)]
    pub by_mode: Vec<ModeTravel>,
    /// The one mode each day (0-based) travels by; a day without one takes each leg by its
    /// fastest allowed mode (what a single mode, or a relaxation of several, gives).
    #[serde(default)]
    pub day_modes: Vec<Profile>,
}

/// The legs between candidates by one mode alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModeTravel {
    /// The mode.
    pub mode: Profile,
    /// Row-major minutes (`None`: that mode cannot make the leg).
    pub minutes: Vec<Option<u32>>,
    /// Row-major metres, along the same legs.
    pub metres: Vec<Option<u32>>,
    /// Per candidate, the seconds walked between it and where this mode stops for it (a car
    /// parked at the nearest road), each way; empty when the mode goes to every place itself.
    #[serde(default)]
    pub walk_s: Vec<u32>,
}

/// One leg between two candidates: minutes, metres and the mode that makes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leg {
    /// Minutes (rounded up).
    pub minutes: u32,
    /// Metres.
    pub metres: u32,
    /// The mode, when known.
    pub mode: Option<Profile>,
    /// Of the minutes, those walked between the places and where the mode stops for them (a
    /// car parked at the road nearest to a peak).
    pub walk_minutes: u32,
}

impl TravelMatrix {
    /// Minutes from `i` to `j` by the fastest allowed mode.
    pub fn minutes(&self, i: usize, j: usize) -> Option<u32> {
        self.minutes[i * self.n + j]
    }

    /// Metres from `i` to `j` by the fastest allowed mode.
    pub fn metres(&self, i: usize, j: usize) -> Option<u32> {
        self.metres[i * self.n + j]
    }

    /// The mode of the fastest leg from `i` to `j`, when known.
    pub fn mode(&self, i: usize, j: usize) -> Option<Profile> {
        self.modes.get(i * self.n + j).copied().flatten()
    }

    /// The leg from `i` to `j` on trip day `day` (0-based): by the day's mode when it has one,
    /// else by the fastest allowed mode; `None` when unreachable.
    pub fn leg(&self, day: usize, i: usize, j: usize) -> Option<Leg> {
        match self.day_modes.get(day) {
            Some(&mode) if self.by_mode.iter().any(|t| t.mode == mode) => self.leg_by(mode, i, j),
            _ => {
                let (minutes, metres) = self.minutes(i, j).zip(self.metres(i, j))?;
                let mode = self.mode(i, j);
                let walk_minutes = mode.map_or(0, |m| self.walk_minutes(m, i, j));
                Some(Leg { minutes, metres, mode, walk_minutes })
            }
        }
    }

    /// Minutes walked on a leg from `i` to `j` by `mode` between the places and where the mode
    /// stops for them.
    fn walk_minutes(&self, mode: Profile, i: usize, j: usize) -> u32 {
        let Some(t) = self.by_mode.iter().find(|t| t.mode == mode && !t.walk_s.is_empty()) else { return 0 };
        if i == j {
            return 0;
        }
        (t.walk_s[i] + t.walk_s[j]).div_ceil(60)
    }

    /// The leg from `i` to `j` by `mode` alone, `None` when that mode cannot make it. Without
    /// each mode's own legs (a single mode allowed) the fastest legs are that mode's.
    pub fn leg_by(&self, mode: Profile, i: usize, j: usize) -> Option<Leg> {
        let k = i * self.n + j;
        let (minutes, metres) = match self.by_mode.iter().find(|t| t.mode == mode) {
            Some(t) => t.minutes[k].zip(t.metres[k])?,
            None if self.by_mode.is_empty() && self.mode(i, j).is_none_or(|m| m == mode) => {
                self.minutes(i, j).zip(self.metres(i, j))?
            }
            None => return None,
        };
        Some(Leg { minutes, metres, mode: Some(mode), walk_minutes: self.walk_minutes(mode, i, j) })
    }

    /// Whether plans must choose a mode per day: more than one mode is allowed.
    pub fn has_choice(&self) -> bool {
        self.by_mode.len() > 1
    }
}

/// A planning problem: the request, the candidates and the travel between them.
#[derive(Debug, Clone)]
pub struct Problem {
    /// What the travellers asked for.
    pub request: TripRequest,
    /// Places that may be used.
    pub candidates: Vec<Candidate>,
    /// Travel between them.
    pub travel: TravelMatrix,
    /// The region's country (ISO 3166-1 alpha-2), whose public holidays the hours observe.
    pub country: Option<String>,
    /// The region's time zone (IANA name): outdoor sights are visited between sunrise and
    /// sunset in it ([`crate::hours::daylight`]); unknown: no daylight limit.
    pub timezone: Option<String>,
}

/// A place named in a request that the catalog does not have.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: no place called {reference:?} in the region's catalog{}", did_you_mean(.suggestions))]
pub struct UnknownPlace {
    /// The request field (`must_visit[0]`).
    pub field: String,
    /// The reference given.
    pub reference: String,
    /// The catalog's names closest to it, best first (empty when none is close).
    pub suggestions: Vec<String>,
}

/// `; did you mean "A" or "B"?`, or nothing without suggestions.
fn did_you_mean(suggestions: &[String]) -> String {
    let quoted: Vec<String> = suggestions.iter().map(|s| format!("{s:?}")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => format!("; did you mean {last}?"),
        Some((last, rest)) => format!("; did you mean {} or {last}?", rest.join(", ")),
    }
}

impl Problem {
    /// The date of each day of the trip (the reference week when the request has no start date).
    pub fn dates(&self) -> Vec<Date> {
        crate::hours::trip_dates(self.request.start_date, self.request.days)
    }

    /// Index of the candidate a request reference means.
    pub fn find(&self, reference: &str) -> Option<usize> {
        self.candidates.iter().position(|c| c.matches(reference))
    }

    /// Checks that every place the request names is in the catalog.
    pub fn check_places(&self) -> Result<(), UnknownPlace> {
        let r = &self.request;
        let named = r.must_visit.iter().enumerate().map(|(i, p)| (format!("must_visit[{i}]"), p));
        let avoided = r.must_avoid.iter().enumerate().map(|(i, p)| (format!("must_avoid[{i}]"), p));
        let lodging = r.lodging.iter().filter_map(|l| l.place.as_ref()).map(|p| ("lodging.place".to_string(), p));
        for (field, reference) in named.chain(avoided).chain(lodging) {
            if self.find(reference).is_none() {
                return Err(UnknownPlace { field, reference: reference.clone(), suggestions: Vec::new() });
            }
        }
        Ok(())
    }
}
