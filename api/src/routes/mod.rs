//! The endpoints, one module per resource, and the input readers they share.

pub mod assignments;
pub mod designs;
pub mod input;
pub mod jobs;
pub mod ops;
pub mod plans;
pub mod recommendations;
pub mod region;
pub mod travelplanner;
pub mod vrp;

use crate::jobs::{JobInput, JobKind, JobWork};
use crate::problem::ApiError;
use crate::server::Shared;
use axum::routing::get;
use axum::Router;

/// Every route of the API.
pub fn router() -> Router<Shared> {
    Router::new()
        .route("/v1/plans", axum::routing::post(plans::create).get(plans::list))
        .route("/v1/plans/{id}", get(plans::get_plan))
        .route("/v1/plans/{id}/report", get(plans::report))
        .route("/v1/jobs/{id}", get(jobs::get_job).delete(jobs::cancel_job))
        .route("/v1/pois", get(region::pois))
        .route("/v1/route/{profile}/{coordinates}", get(region::route))
        .route("/v1/table/{profile}/{coordinates}", get(region::table))
        .route("/v1/nearest/{profile}/{coordinates}", get(region::nearest))
        .route("/v1/trip/{profile}/{coordinates}", get(region::trip))
        // OSRM's own URL scheme, so that OSRM clients work unchanged.
        .route("/route/v1/{profile}/{coordinates}", get(region::route))
        .route("/table/v1/{profile}/{coordinates}", get(region::table))
        .route("/nearest/v1/{profile}/{coordinates}", get(region::nearest))
        .route("/trip/v1/{profile}/{coordinates}", get(region::trip))
        .route("/v1/region", get(region::summary))
        .route("/v1/travelplanner/plans", axum::routing::post(travelplanner::plan))
        .route("/v1/assignments", axum::routing::post(assignments::create))
        .route("/v1/designs", axum::routing::post(designs::create))
        .route("/v1/vrp/solutions", axum::routing::post(vrp::create))
        .route("/v1/recommendations", axum::routing::post(recommendations::create))
        .route("/v1/recommendations/training", axum::routing::post(recommendations::train))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .route("/openapi.json", get(ops::openapi))
        .route("/docs", get(ops::docs))
}

/// The work of a job of `kind` rebuilt from its `input`: what each endpoint that submits jobs
/// checks and runs.
pub fn build_work(state: &Shared, kind: JobKind, input: &JobInput) -> Result<JobWork, ApiError> {
    match kind {
        JobKind::Plan => plans::job(state, input),
        JobKind::Vrp => vrp::job(state, input),
        JobKind::Assignment => assignments::job(state, input),
        JobKind::Design => designs::job(state, input),
        JobKind::Training => recommendations::training_job(state, input),
    }
}
