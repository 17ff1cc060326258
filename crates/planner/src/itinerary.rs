//! Itineraries: what a plan says the travellers do, day by day.

use crate::request::MealKind;
use crate::time::{ClockTime, Date, Money};
use serde::{Deserialize, Serialize};

/// What happens at a stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "meal")]
pub enum Activity {
    /// Visiting the place.
    Visit,
    /// Having a meal there.
    Meal(MealKind),
}

/// One stop of a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stop {
    /// Index of the candidate.
    pub candidate: usize,
    /// Its id (`node/123`).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Visit or meal.
    pub activity: Activity,
    /// Arrival.
    pub arrive: ClockTime,
    /// Start of the visit or meal (after any wait for opening).
    pub start: ClockTime,
    /// End of the visit or meal.
    pub end: ClockTime,
    /// Travel time from the previous stop (or the lodging), minutes.
    pub travel_minutes: u32,
    /// Travel distance from the previous stop (or the lodging), metres.
    pub travel_m: u32,
    /// Price paid here by the party.
    pub cost: Money,
}

/// One day of an itinerary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayPlan {
    /// Day number, 1-based.
    pub day: u32,
    /// Calendar date, when the request has a start date.
    pub date: Option<Date>,
    /// Weekday, Monday = 0.
    pub weekday: usize,
    /// Stops in order.
    pub stops: Vec<Stop>,
    /// When the travellers are back at the lodging (when they return to it).
    pub back_at_base: Option<ClockTime>,
}

/// A complete plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Itinerary {
    /// Index of the lodging candidate, if any.
    pub lodging: Option<usize>,
    /// Its name.
    pub lodging_name: Option<String>,
    /// The days.
    pub days: Vec<DayPlan>,
    /// Total cost for the party: lodging, meals and entry fees.
    pub cost: Money,
    /// Sum of the scores of the places visited.
    pub score: f64,
    /// Total travel, metres.
    pub travel_m: u32,
}

/// Nights paid for a trip of `days` days: every day but the last.
pub fn nights(days: u32) -> u32 {
    days.saturating_sub(1)
}
