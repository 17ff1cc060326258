//! What a TravelPlanner plan is judged on, named as the official evaluator names it: the 8
//! commonsense constraints, the 5 hard constraints of the benchmark's queries, and the 3 more of
//! the UnsatChristmas set. The checkers report a broken one as the constraint layer's
//! [`tripsmith_planner::Violation`] labelled with it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One constraint a plan is judged on; it reads and parses as the official evaluator's name
/// (`reasonable_city_route`, `budget`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "TravelPlannerRequirement")]
pub enum Requirement {
    /// The trip starts at the origin, returns to it, stays in each city once and (5 and 7 days)
    /// visits cities of the destination state.
    ReasonableCityRoute,
    /// No restaurant twice.
    DiverseRestaurants,
    /// No attraction twice.
    DiverseAttractions,
    /// Each accommodation for at least its minimum nights.
    MinimumNights,
    /// Self-driving is not mixed with flights or taxis.
    NonConflictingTransport,
    /// Every entry of a day is in that day's city.
    WithinCurrentCity,
    /// Every entry exists in the sandbox.
    WithinSandbox,
    /// Every day, meal and field the trip needs is there.
    CompleteInformation,
    /// The whole trip within the budget.
    Budget,
    /// Every accommodation allows the query's house rule.
    RoomRule,
    /// Every accommodation is of the query's room type.
    RoomType,
    /// Each of the query's cuisines eaten at least once.
    Cuisine,
    /// The query's transportation rule (no flight, no self-driving).
    Transportation,
    /// UnsatChristmas: every flight non-stop.
    NonStop,
    /// UnsatChristmas: every flight by one of the query's airlines.
    Airlines,
    /// UnsatChristmas: an attraction of each requested category visited.
    AttractionCategory,
}

impl Requirement {
    /// The commonsense constraints, in the benchmark's order.
    pub const COMMONSENSE: [Requirement; 8] = [
        Requirement::ReasonableCityRoute,
        Requirement::DiverseRestaurants,
        Requirement::DiverseAttractions,
        Requirement::MinimumNights,
        Requirement::NonConflictingTransport,
        Requirement::WithinCurrentCity,
        Requirement::WithinSandbox,
        Requirement::CompleteInformation,
    ];

    /// The benchmark's hard constraints, in its order.
    pub const HARD: [Requirement; 5] = [
        Requirement::Budget,
        Requirement::RoomRule,
        Requirement::RoomType,
        Requirement::Cuisine,
        Requirement::Transportation,
    ];

    /// The hard constraints the UnsatChristmas set adds.
    pub const CHRISTMAS: [Requirement; 3] =
        [Requirement::NonStop, Requirement::Airlines, Requirement::AttractionCategory];

    /// Every requirement.
    pub fn all() -> impl Iterator<Item = Requirement> {
        Self::COMMONSENSE.into_iter().chain(Self::HARD).chain(Self::CHRISTMAS)
    }

    /// Whether it is one of the 8 commonsense constraints.
    pub fn is_commonsense(self) -> bool {
        Self::COMMONSENSE.contains(&self)
    }

    /// The official evaluator's name.
    pub fn name(self) -> &'static str {
        match self {
            Requirement::ReasonableCityRoute => "reasonable_city_route",
            Requirement::DiverseRestaurants => "diverse_restaurants",
            Requirement::DiverseAttractions => "diverse_attractions",
            Requirement::MinimumNights => "minimum_nights",
            Requirement::NonConflictingTransport => "non_conflicting_transport",
            Requirement::WithinCurrentCity => "within_current_city",
            Requirement::WithinSandbox => "within_sandbox",
            Requirement::CompleteInformation => "complete_information",
            Requirement::Budget => "budget",
            Requirement::RoomRule => "room_rule",
            Requirement::RoomType => "room_type",
            Requirement::Cuisine => "cuisine",
            Requirement::Transportation => "transportation",
            Requirement::NonStop => "non_stop",
            Requirement::Airlines => "airlines",
            Requirement::AttractionCategory => "attraction_category",
        }
    }
}

impl std::fmt::Display for Requirement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is none of the requirements.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a TravelPlanner requirement (for example reasonable_city_route, budget, room_rule)")]
pub struct UnknownRequirement(pub String);

impl std::str::FromStr for Requirement {
    type Err = UnknownRequirement;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::all().find(|r| r.name() == s).ok_or_else(|| UnknownRequirement(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::Requirement;

    #[test]
    fn names_read_back_and_match_the_json() {
        for r in Requirement::all() {
            assert_eq!(r.name().parse::<Requirement>(), Ok(r));
            assert_eq!(serde_json::to_value(r).ok(), Some(serde_json::Value::String(r.name().into())));
        }
        assert!("christmas".parse::<Requirement>().is_err());
        let every: std::collections::BTreeSet<Requirement> = Requirement::all().collect();
        assert_eq!(every.len(), 16, "every variant once");
        assert_eq!(Requirement::all().filter(|r| r.is_commonsense()).count(), 8);
    }
}
