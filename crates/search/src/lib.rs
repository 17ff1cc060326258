//! The route-search engine: a rich orienteering problem with time windows ([`Problem`]: routes
//! with depots and windows, optional stops worth a value with several start windows per route,
//! places used once, slots each route must fill, requirements, caps per route and per group, a
//! budget) solved by ruin and recreate with simulated annealing ([`solve`]; the schedule and
//! acceptance rule, [`Annealing`], are shared with the VRP crate's search). Insertion tests are
//! O(1) per position from each route's earliest and latest start times. Seeded and
//! anytime. The trip planner plans itineraries on it (days are routes, meals are slots).

mod anneal;
mod problem;
mod route;
mod solve;
mod strings;

pub use anneal::Annealing;
pub use problem::{Problem, ProblemError, RouteSpec, Stop, UNREACHABLE};
pub use solve::{solve, solve_reporting, solve_with, Neighbours, Settings, Solution};
pub use strings::{nearest, Cut, StringRemoval};
