//! The tripsmith REST API: an axum server over a loaded region and the planner.
//!
//! - `POST /v1/plans` plans a trip (`201`, or `422` with the minimal core and verified repairs);
//!   `?async=true` makes it a job (`202` + `Location`). Plans are stored and served again by id,
//!   with HTML and Markdown reports.
//! - `GET /v1/pois`, OSRM-style `GET /v1/route/...` and `GET /v1/table/...` on the region.
//! - `GET /v1/jobs/{id}` and `DELETE /v1/jobs/{id}` for background work.
//! - `GET /healthz`, `/readyz`, `/metrics`, `/openapi.json` and the offline `/docs` page.
//!
//! Solvers run on a bounded blocking pool ([`pool`]); plans and jobs persist in SQLite
//! or PostgreSQL ([`store`]), jobs in a queue that several instances share ([`jobs`]); every error is `application/problem+json` ([`problem`]).

pub mod clock;
pub mod config;
pub mod idempotency;
pub mod jobs;
pub mod metrics;
pub mod openapi;
pub mod pool;
pub mod problem;
pub mod routes;
pub mod server;
pub mod store;

pub use config::ServerConfig;
pub use server::{run, serve, ServeError};
