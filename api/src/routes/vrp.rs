//! `POST /v1/vrp/solutions`: solve a vehicle-routing instance sent as the text of a VRPLIB,
//! TSPLIB or Solomon file, or of VROOM input JSON, as a job (the heuristic, optionally the exact
//! MILP, then the independent checker on the answer). VROOM jobs given by coordinates get car
//! travel times on the server's region.

use crate::jobs::{submit_request, JobControl, JobInput, JobKind, JobWork};
use crate::problem::ApiError;
use crate::routes::input::{parse_json, JsonText};
use crate::server::Shared;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::time::Duration;
use tripsmith_model::Progress;
use tripsmith_model::{LatLon, Profile};
use tripsmith_vrp::answer::{answer, Algorithm, Request};
use tripsmith_vrp::exact::supports;
use tripsmith_vrp::export::vroom_json;
use tripsmith_vrp::instance::{Objective, Rounding};
use tripsmith_vrp::vroom::{RoadMatrices, TravelTimes};
use tripsmith_vrp::{hgs, parse_instance, Format, ParsedInstance};

/// A routing request.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VrpRequest {
    /// The instance: the text of a VRPLIB (CVRP), TSPLIB (TSP, ATSP) or Solomon (VRPTW) file,
    /// or VROOM input JSON (as a string).
    pub instance: String,
    /// `auto` (default: by content), `vrplib`, `tsplib`, `solomon` or `vroom`.
    #[serde(default)]
    pub format: Option<FormatName>,
    /// Distance rounding: `nearest`, `truncate` (one decimal) or `exact` (default: the format's own).
    #[serde(default)]
    pub rounding: Option<RoundingName>,
    /// Seconds for the whole solve (default 10; at most the server's job deadline).
    #[serde(default)]
    pub time_limit: Option<f64>,
    /// Seed of the heuristic (default 1).
    #[serde(default)]
    pub seed: Option<u64>,
    /// Prove optimality with the exact MILP (capacity-only instances up to 200 nodes).
    #[serde(default)]
    pub exact: bool,
    /// The heuristic: `sisr` (ruin and recreate, default, every instance) or `hgs` (hybrid
    /// genetic search: capacity-only instances with one depot and interchangeable vehicles).
    #[serde(default)]
    pub algorithm: Option<AlgorithmName>,
    /// What to minimise: `total-cost` (default), `longest-route` (min-max) or `longest-leg`
    /// (bottleneck).
    #[serde(default)]
    pub objective: Option<ObjectiveName>,
}

/// The heuristic of a routing job.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AlgorithmName {
    /// Ruin and recreate.
    Sisr,
    /// Hybrid genetic search.
    Hgs,
}

/// What a routing job minimises.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ObjectiveName {
    /// Total cost of all routes: their distance unless the vehicles price time or use
    /// (`total-distance` is read as the same).
    #[serde(alias = "total-distance")]
    TotalCost,
    /// The longest route's driving cost, its distance by default (ties broken by total cost).
    LongestRoute,
    /// The longest single leg (ties broken by total cost).
    LongestLeg,
}

/// An instance format.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FormatName {
    /// By content.
    Auto,
    /// VRPLIB CVRP.
    Vrplib,
    /// TSPLIB95 TSP or ATSP.
    Tsplib,
    /// Solomon VRPTW.
    Solomon,
    /// VROOM input JSON.
    Vroom,
}

/// A distance rounding convention.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RoundingName {
    /// Nearest integer (CVRPLIB, TSPLIB).
    Nearest,
    /// Truncated to one decimal (the Solomon best-known costs).
    Truncate,
    /// Unrounded.
    Exact,
}

/// A client left out, and why.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UnassignedClient {
    /// The client's node number (its VROOM job id for VROOM input).
    pub id: u64,
    /// Why no vehicle serves it (verified on a route of its own).
    pub reason: String,
}

/// The result of a routing job.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct VrpResult {
    /// The instance's name.
    pub instance: String,
    /// The objective's value, recomputed by the independent checker.
    pub cost: f64,
    /// What `cost` measures: `total-cost`, `longest-route` or `longest-leg`.
    pub objective: String,
    /// Total distance, recomputed by the independent checker.
    pub distance: f64,
    /// Total travel time (driving alone), recomputed by the independent checker.
    pub travel_time: f64,
    /// What serving the clients costs beyond driving (a travelling purchaser's purchases),
    /// part of `cost`, recomputed by the independent checker.
    pub visit_costs: f64,
    /// Routes of client node numbers (the depot, node 0, left out); VROOM job ids for VROOM input.
    pub routes: Vec<Vec<u64>>,
    /// The checker's verdict.
    pub feasible: bool,
    /// Broken rules, when not feasible.
    pub violations: Vec<String>,
    /// Whether the exact solver proved the routes optimal.
    pub proven_optimal: bool,
    /// A proven lower bound on the optimal cost (exact solves only).
    pub lower_bound: Option<f64>,
    /// Clients left out.
    pub unassigned: Vec<UnassignedClient>,
    /// Heuristic iterations.
    pub iterations: u64,
    /// Seconds taken.
    pub seconds: f64,
    /// For VROOM input: the answer in VROOM's output shape.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vroom: Option<serde_json::Value>,
}

/// Most VROOM places given by coordinates (as for `/v1/table`).
pub const MAX_COORDINATE_PLACES: usize = 100;

/// Parses the request's instance; `travel_times` answers for VROOM places given by coordinates.
fn parse(request: &VrpRequest, travel_times: &mut TravelTimes) -> Result<ParsedInstance, ApiError> {
    let format = match request.format.unwrap_or(FormatName::Auto) {
        FormatName::Auto => Format::Auto,
        FormatName::Vrplib | FormatName::Tsplib => Format::Vrplib,
        FormatName::Solomon => Format::Solomon,
        FormatName::Vroom => Format::Vroom,
    };
    let rounding = request.rounding.map(|r| match r {
        RoundingName::Nearest => Rounding::Nearest,
        RoundingName::Truncate => Rounding::TruncateOneDecimal,
        RoundingName::Exact => Rounding::Exact,
    });
    let mut parsed = parse_instance(&request.instance, format, rounding, travel_times)
        .map_err(|e| invalid_instance(e.to_string()))?;
    parsed.instance.objective = match request.objective.unwrap_or(ObjectiveName::TotalCost) {
        ObjectiveName::TotalCost => Objective::TotalCost,
        ObjectiveName::LongestRoute => Objective::LongestRoute,
        ObjectiveName::LongestLeg => Objective::LongestLeg,
    };
    Ok(parsed)
}

fn invalid_instance(detail: String) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid-instance", "The instance cannot be read", detail)
}

/// `POST /v1/vrp/solutions`: `202` + `Location: /v1/jobs/{id}`.
pub async fn create(
    State(state): State<Shared>,
    headers: HeaderMap,
    JsonText(body): JsonText,
) -> Result<Response, ApiError> {
    submit_request(&state, &headers, JobKind::Vrp, JobInput { query: Value::Null, body }).await
}

/// The work of a VRP job, read from its body.
pub fn job(state: &Shared, input: &JobInput) -> Result<JobWork, ApiError> {
    let request: VrpRequest = parse_json(&input.body)?;
    let most = state.config.max_deadline.as_secs_f64();
    let seconds = request.time_limit.unwrap_or(10.0_f64.min(most));
    if !(seconds.is_finite() && seconds > 0.0 && seconds <= most) {
        return Err(ApiError::invalid_field("time_limit", format!("must be in (0, {most}] seconds, got {seconds}")));
    }
    // Read here, so a bad instance is a 422 before anything is queued; road travel times (VROOM
    // places given by coordinates) are left to the job, which then reads it again with them.
    let mut needs_roads = false;
    let mut placeholder = |points: &[(f64, f64)]| {
        if points.len() > MAX_COORDINATE_PLACES {
            return Err(format!("{} places by coordinates, over {MAX_COORDINATE_PLACES}", points.len()));
        }
        needs_roads = true;
        let zeros = vec![0.0; points.len() * points.len()];
        Ok(RoadMatrices { durations: zeros.clone(), distances: zeros })
    };
    let parsed = parse(&request, &mut placeholder)?;
    let instance = &parsed.instance;
    if request.exact {
        supports(instance).map_err(|e| ApiError::invalid_field("exact", e.to_string()))?;
    }
    let algorithm = match request.algorithm {
        None | Some(AlgorithmName::Sisr) => Algorithm::Sisr,
        Some(AlgorithmName::Hgs) => {
            hgs::supports(instance).map_err(|e| ApiError::invalid_field("algorithm", e.to_string()))?;
            Algorithm::Hgs
        }
    };
    let solve = Request {
        time_limit: Duration::from_secs_f64(seconds),
        seed: request.seed.unwrap_or(1),
        exact: request.exact,
        algorithm,
    };
    let region = state.region.clone();
    Ok(Box::new(move |control: &JobControl| {
        let parsed = if needs_roads {
            let mut roads = |points: &[(f64, f64)]| {
                control.update("travel times on the region's roads", 0, 1);
                let coords: Vec<LatLon> = points.iter().map(|&(lon, lat)| LatLon { lat, lon }).collect();
                let (durations, distances) =
                    region.router(Profile::Car).matrices(&coords).map_err(|e| e.to_string())?;
                Ok(RoadMatrices { durations, distances })
            };
            parse(&request, &mut roads)?
        } else {
            parsed
        };
        let instance = &parsed.instance;
        let found = answer(instance, solve, Some(&control.cancel), &mut |stage, fraction| {
            control.update(stage, (fraction * 1000.0) as u64, 1000)
        })
        .map_err(|e| {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unsolvable", "The solver failed", e.to_string())
        })?;
        let name = |c: usize| parsed.name(c);
        let proof = found.proof.as_ref();
        let out = VrpResult {
            instance: instance.name.clone(),
            cost: found.cost,
            objective: instance.objective.name().into(),
            distance: found.distance,
            travel_time: found.travel_time,
            visit_costs: found.visit_costs,
            feasible: found.violations.is_empty(),
            violations: found.violations.iter().map(|v| v.to_string()).collect(),
            proven_optimal: proof.is_some_and(|p| p.proven_optimal),
            lower_bound: proof.map(|p| p.lower_bound),
            unassigned: found
                .unassigned
                .iter()
                .map(|u| UnassignedClient { id: name(u.client), reason: u.reason.clone() })
                .collect(),
            iterations: found.iterations,
            seconds: found.seconds,
            vroom: parsed.names.as_ref().map(|n| vroom_json(instance, &found.routes, &found.unassigned, Some(n.ids()))),
            routes: found.routes.iter().map(|r| r.iter().map(|&c| name(c)).collect()).collect(),
        };
        serde_json::to_value(out).map_err(|e| ApiError::internal(e.to_string()))
    }))
}
