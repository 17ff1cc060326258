//! The trip planner: a [`TripRequest`] (TOML or JSON, validated, every constraint labelled) and
//! a [`Problem`] (candidate places and the travel between them) become an [`Itinerary`], or the
//! minimal set of the request's own constraints that makes it impossible.
//!
//! - [`smt`]: the z3 backend (tracked assertions, minimal unsat cores, optimisation).
//! - [`checker`]: the independent checker every returned plan is validated with.

pub mod catalog;
pub mod checker;
pub mod explain;
pub mod itinerary;
pub mod repair;
pub mod report;
pub mod request;
pub mod smt;
pub mod time;

pub use catalog::{Candidate, LodgingOffer, Problem, TravelMatrix, UnknownPlace};
pub use checker::{check, Violation};
pub use itinerary::{Activity, DayPlan, Itinerary, Stop};
pub use request::{
    DayOverride, HouseRule, Lodging, MealKind, MealSpec, Meals, RequestError, RoomType, TravelLimits, TripRequest,
    WheelchairNeed,
};
pub use time::{ClockTime, Date, Money};
