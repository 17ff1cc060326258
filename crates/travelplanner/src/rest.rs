//! The JSON the REST API reads and writes for TravelPlanner queries: the query's structured
//! fields as the benchmark's files name them (typed, unknown fields refused, values checked
//! against the benchmark's vocabulary), and the answer with a plan.

use crate::query::{DayRecord, LocalConstraints, Query};
use crate::requirement::Requirement;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tripsmith_planner::{Money, Violation};

/// House rules the benchmark knows.
pub const HOUSE_RULES: [&str; 5] = ["pets", "parties", "smoking", "visitors", "children under 10"];
/// Room types the benchmark knows.
pub const ROOM_TYPES: [&str; 4] = ["not shared room", "shared room", "private room", "entire room"];
/// Transportation rules the benchmark knows (`flight`: flights only).
pub const TRANSPORTATION: [&str; 3] = ["no flight", "no self-driving", "flight"];

/// A TravelPlanner query.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "TravelPlannerQuery")]
pub struct QueryInput {
    /// Origin city (one of the benchmark's cities).
    pub org: String,
    /// Destination city, or the state whose cities are visited when `visiting_city_number` > 1.
    pub dest: String,
    /// Days of the trip (2 to 30).
    pub days: u32,
    /// Cities to visit, origin excluded (default 1).
    #[serde(default = "one")]
    pub visiting_city_number: u32,
    /// The dates, `YYYY-MM-DD`, one per day.
    pub date: Vec<String>,
    /// Travellers (1 to 100).
    pub people_number: u32,
    /// Budget for the whole party, USD.
    pub budget: Money,
    /// Local constraints (each optional).
    #[serde(default)]
    pub local_constraint: LocalInput,
    /// The query in words (kept with the answer).
    #[serde(default)]
    pub query: String,
}

fn one() -> u32 {
    1
}

/// The local constraints of a query, named as in the benchmark's files.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "TravelPlannerLocalConstraints")]
pub struct LocalInput {
    /// A house rule every accommodation must allow: `pets`, `parties`, `smoking`, `visitors`,
    /// `children under 10`.
    #[serde(rename = "house rule", alias = "house_rule", default)]
    pub house_rule: Option<String>,
    /// Cuisines each eaten at least once outside the origin.
    #[serde(default)]
    pub cuisine: Option<Vec<String>>,
    /// `not shared room`, `shared room`, `private room` or `entire room`.
    #[serde(rename = "room type", alias = "room_type", default)]
    pub room_type: Option<String>,
    /// `no flight`, `no self-driving` or `flight` (flights only).
    #[serde(default)]
    pub transportation: Option<String>,
}

fn known(field: &str, value: &Option<String>, vocabulary: &[&str]) -> Result<(), (String, String)> {
    match value {
        Some(v) if !vocabulary.contains(&v.trim().to_lowercase().as_str()) => {
            Err((field.to_string(), format!("{v:?} is not one of {vocabulary:?}")))
        }
        _ => Ok(()),
    }
}

impl QueryInput {
    /// The query (with this id), or the field that is wrong and why. Cities and dates are
    /// checked when the instance is built.
    pub fn into_query(self, id: &str) -> Result<Query, (String, String)> {
        let l = &self.local_constraint;
        known("local_constraint.house rule", &l.house_rule, &HOUSE_RULES)?;
        known("local_constraint.room type", &l.room_type, &ROOM_TYPES)?;
        known("local_constraint.transportation", &l.transportation, &TRANSPORTATION)?;
        if self.budget.cents() < 0 {
            return Err(("budget".into(), format!("{} is not a sum of money", self.budget)));
        }
        let local = LocalConstraints {
            house_rule: l.house_rule.clone(),
            cuisine: l.cuisine.clone().unwrap_or_default(),
            room_type: l.room_type.clone(),
            transportation: l.transportation.clone(),
            ..LocalConstraints::default()
        };
        Ok(Query {
            id: id.to_string(),
            org: self.org,
            dest: self.dest,
            destinations: Vec::new(),
            days: self.days,
            visiting_city_number: self.visiting_city_number,
            dates: self.date,
            people: self.people_number,
            budget: self.budget,
            local,
            level: None,
            text: self.query,
        })
    }
}

/// A plan for a query.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[schemars(rename = "TravelPlannerPlan")]
pub struct PlanAnswer {
    /// `feasible`.
    pub status: String,
    /// Total cost for the party, USD.
    pub cost: Money,
    /// Seconds from the query to the plan.
    pub seconds: f64,
    /// The plan in the benchmark's submission format, one record per day.
    pub plan: Vec<DayRecord>,
    /// What the independent evaluator judged the plan on: the 8 commonsense constraints, then
    /// the hard constraints the query sets.
    pub requirements: Vec<Requirement>,
    /// The requirements the plan breaks, each with why (empty: it passes every one).
    pub violations: Vec<Violation<Requirement>>,
}
