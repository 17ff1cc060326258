//! `POST /v1/travelplanner/plans`: a TravelPlanner query planned with z3 over the benchmark's
//! database (loaded with `tripsmith serve --travelplanner DIR`), the plan checked by the
//! independent evaluator, or the query's minimal cores and verified repairs.

use crate::problem::ApiError;
use crate::routes::input::{parse_json, JsonText, QueryParams};
use crate::routes::plans::deadline_of;
use crate::server::Shared;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::path::Path;
use std::time::{Duration, Instant};
use tripsmith_travelplanner::benchmark::{answer_query, Limits, QueryAnswer, World};
use tripsmith_travelplanner::database::Database;
use tripsmith_travelplanner::explain::joined;
use tripsmith_travelplanner::flights::FlightPool;
use tripsmith_travelplanner::query::QueryRecord;
use tripsmith_travelplanner::rest::{PlanAnswer, QueryInput};

/// The TravelPlanner database and every flight of its reference information.
pub struct TravelPlannerData {
    /// The sandbox database.
    pub db: Database,
    /// The flights.
    pub flights: FlightPool,
}

impl TravelPlannerData {
    /// Loads the data folder (with `database/`, and `train/`, `validation/` for flights).
    pub fn load(dir: &Path) -> Result<Self, String> {
        let (db, report) = Database::load(&dir.join("database")).map_err(|e| e.to_string())?;
        if !report.skipped.is_empty() {
            tracing::warn!(rows = report.skipped.len(), "TravelPlanner database rows that cannot be read were skipped");
        }
        let (flights, _) = FlightPool::load(dir, None)?;
        Ok(Self { db, flights })
    }
}

/// Query parameters of `POST /v1/travelplanner/plans`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TravelPlannerQuery {
    /// Seconds the whole answer may take.
    deadline: Option<f64>,
}

/// `POST /v1/travelplanner/plans`: `200` with a plan, `422` with the cores and repairs of an
/// infeasible query, `404` when the server has no TravelPlanner data.
pub async fn plan(
    State(state): State<Shared>,
    QueryParams(params): QueryParams<TravelPlannerQuery>,
    JsonText(body): JsonText,
) -> Result<Response, ApiError> {
    let Some(data) = state.travelplanner.clone() else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "travelplanner-not-loaded",
            "No TravelPlanner data",
            "this server was started without --travelplanner DIR",
        ));
    };
    let deadline = deadline_of(&state, params.deadline)?;
    let input: QueryInput = parse_json(&body)?;
    let query = input.into_query("request").map_err(|(field, reason)| ApiError::invalid_field(&field, reason))?;
    let slot = state.pool.slot(deadline.checked_sub(Duration::from_millis(500)).unwrap_or(deadline)).await?;
    let (answer, seconds) = crate::pool::SolverPool::run(slot, move || {
        let left = deadline.saturating_duration_since(Instant::now());
        let limits = Limits { solve: left.mul_f64(0.6), explain: left.mul_f64(0.35) };
        let flights = data.flights.for_query(&query);
        answer_query(&World::TravelPlanner(&data.db), &QueryRecord { query, plan: None, flights }, limits)
    })
    .await?;
    state.metrics.plan(match &answer {
        QueryAnswer::Plan { .. } => "feasible",
        QueryAnswer::Infeasible { .. } => "infeasible",
        QueryAnswer::Invalid(_) => "invalid",
        QueryAnswer::OutOfTime(_) => "timeout",
    });
    match answer {
        QueryAnswer::Plan { plan, cost, verdict, .. } => {
            let (requirements, violations) = verdict.map(|v| (v.requirements, v.violations)).unwrap_or_default();
            let answer = PlanAnswer { status: "feasible".into(), cost, seconds, plan, requirements, violations };
            Ok((StatusCode::OK, axum::Json(answer)).into_response())
        }
        QueryAnswer::Infeasible { explanation, .. } => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "infeasible",
            "No plan meets every constraint",
            format!("these constraints cannot all hold: {}", joined(&explanation.core, ", ")),
        )
        .with("core", serde_json::to_value(&explanation.core).unwrap_or_default())
        .with("cores", serde_json::to_value(&explanation.cores).unwrap_or_default())
        .with("repairs", serde_json::to_value(&explanation.repairs).unwrap_or_default())),
        QueryAnswer::Invalid(reason) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-query",
            "The query does not fit the benchmark's data",
            reason,
        )),
        QueryAnswer::OutOfTime(reason) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            "The deadline passed before an answer",
            reason,
        )),
    }
}
