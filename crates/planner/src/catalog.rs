//! What the planner plans with: candidate places and the travel times between them.
//!
//! The planner does not know where candidates come from; the CLI builds them from an OSM region
//! (with category defaults for visit length and price) and the travel matrix from the router.

use crate::request::{HouseRule, RoomType, TripRequest};
use crate::time::Money;
use serde::{Deserialize, Serialize};
use tripsmith_model::{Category, LatLon, WeeklySchedule, Wheelchair};

/// What a lodging offers (prices and rules are not in OSM; the CLI estimates or leaves them unknown).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LodgingOffer {
    /// Price per night for the party.
    pub price_per_night: Money,
    /// Room type, if known.
    pub room_type: Option<RoomType>,
    /// House rules it allows.
    pub house_rules: Vec<HouseRule>,
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
    /// Position.
    pub location: LatLon,
    /// Opening hours; `None` = unknown, taken as open whenever the day allows.
    pub hours: Option<WeeklySchedule>,
    /// How long a visit takes, minutes (meals take the request's meal length instead).
    pub visit_minutes: u16,
    /// Entry fee or meal price per person.
    pub price: Money,
    /// How much the travellers want to go there (≥ 0).
    pub score: f64,
    /// Cuisines served (food places).
    pub cuisines: Vec<String>,
    /// Wheelchair access, if tagged.
    pub wheelchair: Option<Wheelchair>,
    /// Lodging details, for places to sleep.
    pub lodging: Option<LodgingOffer>,
}

impl Candidate {
    /// Whether it is a place to eat.
    pub fn is_food(&self) -> bool {
        self.category.is_food()
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
/// of the fastest allowed mode, `None` when unreachable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TravelMatrix {
    /// Number of candidates.
    pub n: usize,
    /// Row-major minutes.
    pub minutes: Vec<Option<u32>>,
    /// Row-major metres, along the same legs.
    pub metres: Vec<Option<u32>>,
}

impl TravelMatrix {
    /// Minutes from `i` to `j`.
    pub fn minutes(&self, i: usize, j: usize) -> Option<u32> {
        self.minutes[i * self.n + j]
    }

    /// Metres from `i` to `j`.
    pub fn metres(&self, i: usize, j: usize) -> Option<u32> {
        self.metres[i * self.n + j]
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
}

/// A place named in a request that the catalog does not have.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: no place called {reference:?} in the region's catalog")]
pub struct UnknownPlace {
    /// The request field (`must_visit[0]`).
    pub field: String,
    /// The reference given.
    pub reference: String,
}

impl Problem {
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
                return Err(UnknownPlace { field, reference: reference.clone() });
            }
        }
        Ok(())
    }
}
