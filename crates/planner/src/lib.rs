//! The trip planner's vocabulary: the [`TripRequest`] document a traveller writes (TOML or
//! JSON), its validation with errors that name the field, the stable constraint labels that plans
//! and explanations refer to, and the JSON Schema committed under `constraints/`.

pub mod request;
pub mod time;

pub use request::{
    DayOverride, HouseRule, Lodging, MealKind, MealSpec, Meals, RequestError, RoomType, TravelLimits, TripRequest,
    WheelchairNeed,
};
pub use time::{ClockTime, Date, Money};
