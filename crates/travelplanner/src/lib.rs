//! The TravelPlanner benchmark (Xie et al., ICML 2024) for tripsmith.
//!
//! - [`database`]: the sandbox database (accommodations, restaurants, attractions, driving
//!   distances, cities and states) read with the data's real quirks, skipped rows reported.
//! - [`query`]: structured queries and plans in the benchmark's submission format.
//!
//! Still to come (see the TravelPlanner issue): per-query reference information (flights), the
//! query → planner translation and solver, plan export, the independent evaluator and metrics,
//! and `tripsmith eval travelplanner`.

pub mod benchmark;
pub mod database;
pub mod evaluate;
pub mod export;
pub mod instance;
mod jsonl;
pub mod pyliteral;
pub mod query;
pub mod reference;
pub mod run;
pub mod solve;
pub mod unsat;
