//! `GET /v1/jobs/{id}` and `DELETE /v1/jobs/{id}`.

use crate::jobs::job_json;
use crate::problem::ApiError;
use crate::routes::input::PathParams;
use crate::server::Shared;
use axum::extract::State;
use axum::Json;
use serde_json::Value;

/// `GET /v1/jobs/{id}`: status, progress (0–1 and a message), and the result or the error.
pub async fn get_job(State(state): State<Shared>, PathParams(id): PathParams<String>) -> Result<Json<Value>, ApiError> {
    match state.jobs.get(&id).await? {
        Some(job) => Ok(Json(job_json(&job))),
        None => Err(ApiError::not_found(format!("no job {id:?}"))),
    }
}

/// `DELETE /v1/jobs/{id}`: cancels a queued or running job (`409` once it has ended).
pub async fn cancel_job(
    State(state): State<Shared>,
    PathParams(id): PathParams<String>,
) -> Result<Json<Value>, ApiError> {
    match state.jobs.cancel(&id).await? {
        Some(job) => Ok(Json(job_json(&job))),
        None => Err(ApiError::not_found(format!("no job {id:?}"))),
    }
}
