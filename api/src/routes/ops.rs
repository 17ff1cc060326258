//! Operations: liveness, readiness, metrics, the OpenAPI document and the docs page.

use crate::metrics::Gauges;
use crate::problem::ApiError;
use crate::server::Shared;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::json;
use std::sync::atomic::Ordering;

/// The docs page: renders `/openapi.json` with no external resources, so it works offline.
const DOCS_HTML: &str = include_str!("../docs.html");

/// `GET /healthz`: the process answers.
pub async fn healthz() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}

/// `GET /readyz`: the database answers (within a few seconds) and no shutdown has begun.
pub async fn readyz(State(state): State<Shared>) -> Result<Json<serde_json::Value>, ApiError> {
    if state.shutting_down.load(Ordering::SeqCst) {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting-down",
            "Shutting down",
            "the server is stopping",
        ));
    }
    let store = state.store.clone();
    tokio::task::spawn_blocking(move || store.ping())
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?
        .map_err(|e| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "not-ready", "Not ready", e.to_string()))?;
    let load = state.pool.load();
    Ok(Json(json!({
        "status": "ready",
        "region": state.region.name(),
        "instance": state.config.instance,
        "store": state.config.db.kind(),
        "workers": load.workers,
        "busy": load.busy,
        "waiting": load.waiting,
    })))
}

/// `GET /metrics`: Prometheus text.
pub async fn metrics(State(state): State<Shared>) -> Response {
    let load = state.pool.load();
    let queue = state.jobs.counts().await.ok();
    let gauges = Gauges {
        workers: load.workers,
        busy: load.busy,
        waiting: load.waiting,
        instance: state.config.instance.clone(),
        jobs_here: state.jobs.live_count(),
        queue,
    };
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], state.metrics.render(&gauges))
        .into_response()
}

/// `GET /openapi.json`.
pub async fn openapi(State(state): State<Shared>) -> Json<serde_json::Value> {
    Json(crate::openapi::document(&state.config))
}

/// `GET /docs`.
pub async fn docs() -> Html<&'static str> {
    Html(DOCS_HTML)
}
