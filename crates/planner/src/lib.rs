//! The trip planner: a [`TripRequest`] (TOML or JSON, validated, every constraint labelled) and
//! a [`Problem`] (candidate places and the travel between them) become an [`Itinerary`], or the
//! minimal set of the request's own constraints that makes it impossible.
//!
//! - [`search`]: the default backend, on the route-search engine of `tripsmith-search`.
//! - [`smt`]: the z3 backend (tracked assertions, minimal unsat cores, optimisation).
//! - [`milp`]: the MILP backend (HiGHS: multi-day orienteering with time windows).
//! - [`Backend`]: any of them behind the same interface; each answers with an [`Outcome`].
//! - [`checker`]: the independent checker every returned plan is validated with.

pub mod backend;
pub mod bound;
pub mod catalog;
pub mod checker;
pub mod cores;
pub mod explain;
mod highs_model;
pub mod hours;
pub mod itinerary;
pub mod label;
pub mod milp;
pub mod modes;
pub mod outcome;
pub mod repair;
pub mod report;
pub mod request;
mod rest;
pub mod search;
pub mod smt;
pub mod time;
pub mod z3_solver;

pub use backend::Backend;
pub use catalog::{Candidate, Leg, LodgingOffer, ModeTravel, Problem, TravelMatrix, UnknownPlace};
pub use checker::{check, Violation};
pub use hours::{HoursOrigin, TripHours};
pub use itinerary::{Activity, DayPlan, Itinerary, RestSlot, Stop};
pub use label::{Label, UnknownLabel};
pub use outcome::{Outcome, PlanError};
pub use request::{
    DayOverride, HouseRule, Lodging, MealKind, MealSpec, Meals, Pace, PlaceInput, PlaceUse, RequestError, Rest,
    RoomType, TravelLimits, TripRequest, WheelchairNeed, MAX_PLACES,
};
pub use time::{ClockTime, Date, Money};
