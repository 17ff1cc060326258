//! `POST /v1/assignments`: a user-equilibrium traffic assignment on one of the TNTP networks of
//! the folder given with `tripsmith serve --tntp DIR`, run as a job (progress follows the gap).

use crate::jobs::{submit_request, JobControl, JobInput, JobKind, JobWork};
use crate::problem::ApiError;
use crate::routes::input::{folder_under, parse_json, JsonText};
use crate::server::Shared;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Instant;
use tripsmith_model::Progress;
use tripsmith_traffic::assign::{assign, progress_fraction, Algorithm, StopRule};
use tripsmith_traffic::network::{CostFactors, Network};
use tripsmith_traffic::tntp::find_files;

/// Most iterations a request may ask for.
pub const MAX_ITERATIONS: usize = 1_000_000;

/// An assignment request.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentRequest {
    /// The network: a folder name under the server's `--tntp` folder (e.g. `SiouxFalls`).
    pub network: String,
    /// `fw`, `cfw`, `bfw` or `gp` (default, path-based gradient projection).
    #[serde(default)]
    pub algorithm: Option<AlgorithmName>,
    /// Relative gap to reach (default 1e-6).
    #[serde(default)]
    pub gap: Option<f64>,
    /// Most iterations (default 10,000).
    #[serde(default)]
    pub max_iterations: Option<usize>,
    /// Cost per unit of toll (default: the net file's, else 0).
    #[serde(default)]
    pub toll_factor: Option<f64>,
    /// Cost per unit of length (default: the net file's, else 0).
    #[serde(default)]
    pub distance_factor: Option<f64>,
    /// Include each link's flow and cost in the result.
    #[serde(default)]
    pub flows: bool,
}

/// An algorithm by name.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AlgorithmName {
    /// Frank-Wolfe.
    Fw,
    /// Conjugate Frank-Wolfe.
    Cfw,
    /// Bi-conjugate Frank-Wolfe.
    Bfw,
    /// Path-based gradient projection.
    Gp,
}

impl From<AlgorithmName> for Algorithm {
    fn from(a: AlgorithmName) -> Self {
        match a {
            AlgorithmName::Fw => Algorithm::Fw,
            AlgorithmName::Cfw => Algorithm::Cfw,
            AlgorithmName::Bfw => Algorithm::Bfw,
            AlgorithmName::Gp => Algorithm::Gp,
        }
    }
}

/// One link's result.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LinkFlow {
    /// Tail node.
    pub from: usize,
    /// Head node.
    pub to: usize,
    /// Flow.
    pub flow: f64,
    /// Cost at that flow.
    pub cost: f64,
}

/// The result of an assignment job.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AssignmentResult {
    /// The network.
    pub network: String,
    /// `fw`, `cfw`, `bfw` or `gp`.
    pub algorithm: String,
    /// Relative gap reached.
    pub relative_gap: f64,
    /// Whether it reached the requested gap (else the iteration or time limit came first).
    pub converged: bool,
    /// Iterations.
    pub iterations: usize,
    /// Total system travel time.
    pub tstt: f64,
    /// Beckmann objective.
    pub beckmann: f64,
    /// Seconds of computation.
    pub seconds: f64,
    /// Per link, in the net file's order (when asked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flows: Option<Vec<LinkFlow>>,
}

fn invalid(field: &str, reason: impl std::fmt::Display) -> ApiError {
    ApiError::invalid_field(field, reason)
}

/// The network folder a request names (see [`folder_under`]).
pub(crate) fn network_dir(root: &Path, name: &str) -> Result<PathBuf, ApiError> {
    folder_under(root, name, "unknown-network", "network", "TNTP")
}

/// The server's TNTP folder, `404` when it has none.
pub(crate) fn tntp_root(state: &Shared) -> Result<PathBuf, ApiError> {
    state.config.tntp.clone().ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "tntp-not-loaded",
            "No TNTP networks",
            "this server was started without --tntp DIR",
        )
    })
}

/// `POST /v1/assignments`: `202` + `Location: /v1/jobs/{id}`.
pub async fn create(
    State(state): State<Shared>,
    headers: HeaderMap,
    JsonText(body): JsonText,
) -> Result<Response, ApiError> {
    submit_request(&state, &headers, JobKind::Assignment, JobInput { query: serde_json::Value::Null, body }).await
}

/// The work of an assignment job, read from its body.
pub fn job(state: &Shared, input: &JobInput) -> Result<JobWork, ApiError> {
    let root = tntp_root(state)?;
    let request: AssignmentRequest = parse_json(&input.body)?;
    let gap = request.gap.unwrap_or(1e-6);
    if !(gap.is_finite() && gap > 0.0 && gap < 1.0) {
        return Err(invalid("gap", format!("must be between 0 and 1, got {gap}")));
    }
    let max_iterations = request.max_iterations.unwrap_or(10_000);
    if !(1..=MAX_ITERATIONS).contains(&max_iterations) {
        return Err(invalid("max_iterations", format!("must be between 1 and {MAX_ITERATIONS}")));
    }
    for (field, value) in [("toll_factor", request.toll_factor), ("distance_factor", request.distance_factor)] {
        if value.is_some_and(|v| !(v.is_finite() && v >= 0.0)) {
            return Err(invalid(field, "must be a finite number ≥ 0"));
        }
    }
    let dir = network_dir(&root, &request.network)?;
    let deadline = Instant::now() + state.config.max_deadline;
    Ok(Box::new(move |control: &JobControl| run(&dir, &request, gap, max_iterations, deadline, control)))
}

/// The job: load, assign (progress on the log-gap scale, stopped by cancel or the deadline).
fn run(
    dir: &Path,
    request: &AssignmentRequest,
    gap: f64,
    max_iterations: usize,
    deadline: Instant,
    control: &JobControl,
) -> Result<serde_json::Value, ApiError> {
    let unreadable = |e: String| {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unreadable-network", "The network cannot be read", e)
    };
    control.update("loading the network", 0, 1);
    let (net_file, trips_file, _) = find_files(dir).map_err(|e| unreadable(e.to_string()))?;
    let factors = CostFactors { toll: request.toll_factor, distance: request.distance_factor };
    let net = Network::load(&net_file, &trips_file, factors).map_err(|e| unreadable(e.to_string()))?;
    let algorithm: Algorithm = request.algorithm.unwrap_or(AlgorithmName::Gp).into();
    let mut first: Option<f64> = None;
    let mut progress = |step: &tripsmith_traffic::assign::Step| {
        let start = *first.get_or_insert(step.relative_gap.max(gap * 10.0));
        let done = progress_fraction(start, step.relative_gap, gap);
        control.update(&format!("equilibrium: relative gap {:.2e}", step.relative_gap), (done * 1000.0) as u64, 1000);
    };
    let stop = StopRule { gap, max_iterations, deadline: Some(deadline) };
    let result = assign(&net, algorithm, stop, Some(&control.cancel), &mut progress).map_err(|e| {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unassignable", "The demand cannot be assigned", e.to_string())
    })?;
    let flows = request.flows.then(|| {
        net.links
            .iter()
            .zip(result.flows.iter().zip(&result.costs))
            .map(|(l, (&flow, &cost))| LinkFlow { from: l.from, to: l.to, flow, cost })
            .collect()
    });
    let out = AssignmentResult {
        network: request.network.clone(),
        algorithm: serde_json::to_value(result.algorithm)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
        relative_gap: result.relative_gap,
        converged: result.relative_gap <= gap,
        iterations: result.iterations,
        tstt: result.tstt,
        beckmann: result.beckmann,
        seconds: result.seconds,
        flows,
    };
    serde_json::to_value(out).map_err(|e| ApiError::internal(e.to_string()))
}
