//! The shared vocabulary of tripsmith.
//!
//! Plain data types used by every other crate: coordinates ([`LatLon`]), points of interest
//! ([`Poi`], [`Category`], [`OpeningHours`]), routable road graphs ([`RoadGraph`]), the
//! [`Progress`] reporting trait and a small seeded random generator ([`SeededRng`]).
//! No I/O and no solvers live here.

mod category;
mod geo_point;
mod hours;
mod poi;
mod progress;
mod rng;
mod road;

pub use category::{Category, UnknownCategory};
pub use geo_point::{LatLon, LatLonParseError, EARTH_RADIUS_M};
pub use hours::{MinuteRange, OpeningHours, WeeklySchedule};
pub use poi::{MealVenue, Notability, OsmRef, OsmType, PlaceRole, Poi, Wheelchair, RULE_TAGS};
pub use progress::{NoProgress, Progress};
pub use rng::SeededRng;
pub use road::{EdgeInput, Profile, RoadGraph, RoadGraphError, Street};
