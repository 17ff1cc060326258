//! The TravelPlanner benchmark (Xie et al., ICML 2024) for tripsmith.
//!
//! - [`database`], [`query`], [`reference`](mod@reference), [`validation`], [`unsat`], [`christmas`]: the data
//!   (sandbox database, query files in their three forms, flights from the reference
//!   information, the unsatisfiable sets and the UnsatChristmas sandbox), read with the data's
//!   real quirks, unreadable rows reported.
//! - [`flights`]: every flight of the reference information at hand.
//! - [`instance`]: a query as the solver sees it, built by one rule for every row.
//! - [`solve`]: the z3 model and the search over city orderings; [`run`] solves one query;
//!   [`export`] writes a plan in the submission format.
//! - [`requirement`]: what a plan is judged on, by the official evaluator's names.
//! - [`evaluate`]: the independent evaluator (8 commonsense and 5 hard constraints, metrics).
//! - [`explain`]: minimal cores and verified repairs of infeasible queries.
//! - [`rest`]: the JSON of the REST API's TravelPlanner endpoint.
//! - [`benchmark`]: solving and checking whole query sets, the work behind
//!   `tripsmith eval travelplanner`.

pub mod benchmark;
pub mod christmas;
pub mod database;
pub mod evaluate;
pub mod explain;
pub mod export;
pub mod flights;
pub mod instance;
mod jsonl;
pub mod pyliteral;
pub mod query;
pub mod reference;
pub mod requirement;
pub mod rest;
pub mod run;
pub mod solve;
pub mod unsat;
pub mod validation;
