//! `POST /v1/designs`: network design (lane additions under a budget; exact equilibrium
//! fitness with the GA or the enumeration, or a GNN surrogate trained in the job) on a TNTP
//! network of `tripsmith serve --tntp DIR`, as a job.

use crate::jobs::{submit_request, JobControl, JobInput, JobKind, JobWork};
use crate::problem::ApiError;
use crate::routes::assignments::{network_dir, tntp_root};
use crate::routes::input::{parse_json, JsonText};
use crate::server::Shared;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use schemars::JsonSchema;
use serde::Deserialize;
use std::path::Path;
use std::time::Instant;
use tripsmith_model::Progress;
use tripsmith_netdesign::candidates::candidates_from_pairs;
use tripsmith_netdesign::design::Design;
use tripsmith_netdesign::ga::GaSettings;
use tripsmith_netdesign::search::{search, search_with_surrogate, Search, SearchError};
use tripsmith_netdesign::surrogate::{fit, SurrogateError, Training};
use tripsmith_traffic::network::{CostFactors, Network};
use tripsmith_traffic::tntp::find_files;

/// Most candidate links a request may give.
pub const MAX_CANDIDATES: usize = 1000;

/// A network-design request.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DesignRequest {
    /// The network: a folder name under the server's `--tntp` folder.
    pub network: String,
    /// Candidate links as [from, to] node pairs.
    pub candidates: Vec<[usize; 2]>,
    /// Budget as a share of the candidates' total lane cost, in (0, 1] (default 0.5).
    #[serde(default)]
    pub budget: Option<f64>,
    /// Seed of the GA (default 1).
    #[serde(default)]
    pub seed: Option<u64>,
    /// Individuals per generation (default 32).
    #[serde(default)]
    pub population: Option<usize>,
    /// Generations (default 40).
    #[serde(default)]
    pub generations: Option<usize>,
    /// Relative gap of each equilibrium (default 1e-7).
    #[serde(default)]
    pub gap: Option<f64>,
    /// Evaluate every affordable choice instead of the GA (at most 16 candidates).
    #[serde(default)]
    pub exhaustive: bool,
    /// Fitness of a choice (default exact).
    #[serde(default)]
    pub fitness: Option<FitnessName>,
    /// Surrogate: exact equilibria to train on (80 %) and test on (20 %), 10 to 10000 (default 150).
    #[serde(default)]
    pub samples: Option<usize>,
    /// Surrogate: training epochs, 1 to 10000 (default 100).
    #[serde(default)]
    pub epochs: Option<usize>,
    /// Surrogate: best predicted choices solved exactly at the end, 1 to 1000 (default 10).
    #[serde(default)]
    pub top_k: Option<usize>,
}

/// Fitness of a choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FitnessName {
    /// Its user equilibrium, warm-started from its parent's.
    Exact,
    /// A graph neural network trained first on exact equilibria (the job's first stage); the
    /// best predicted choices are then solved exactly.
    Surrogate,
}

/// A surrogate search's settings.
#[derive(Debug, Clone, Copy)]
struct SurrogatePlan {
    training: Training,
    top_k: usize,
}

fn invalid(field: &str, reason: impl std::fmt::Display) -> ApiError {
    ApiError::invalid_field(field, reason)
}

/// `POST /v1/designs`: `202` + `Location: /v1/jobs/{id}`.
pub async fn create(
    State(state): State<Shared>,
    headers: HeaderMap,
    JsonText(body): JsonText,
) -> Result<Response, ApiError> {
    submit_request(&state, &headers, JobKind::Design, JobInput { query: serde_json::Value::Null, body }).await
}

/// The work of a network-design job, read from its body.
pub fn job(state: &Shared, input: &JobInput) -> Result<JobWork, ApiError> {
    let root = tntp_root(state)?;
    let request: DesignRequest = parse_json(&input.body)?;
    let budget = request.budget.unwrap_or(0.5);
    if !(budget.is_finite() && budget > 0.0 && budget <= 1.0) {
        return Err(invalid("budget", format!("must be in (0, 1], got {budget}")));
    }
    let gap = request.gap.unwrap_or(1e-7);
    if !(gap.is_finite() && gap > 0.0 && gap < 1e-2) {
        return Err(invalid("gap", format!("must be between 0 and 0.01, got {gap}")));
    }
    if request.candidates.is_empty() || request.candidates.len() > MAX_CANDIDATES {
        return Err(invalid("candidates", format!("give 1 to {MAX_CANDIDATES} links")));
    }
    let defaults = GaSettings::default();
    let ga = GaSettings {
        population: request.population.unwrap_or(defaults.population),
        generations: request.generations.unwrap_or(defaults.generations),
        seed: request.seed.unwrap_or(defaults.seed),
        ..defaults
    };
    if !(2..=1000).contains(&ga.population) {
        return Err(invalid("population", "must be between 2 and 1000"));
    }
    if ga.generations > 10_000 {
        return Err(invalid("generations", "must be at most 10000"));
    }
    let surrogate = match request.fitness.unwrap_or(FitnessName::Exact) {
        FitnessName::Exact => None,
        FitnessName::Surrogate => {
            if request.exhaustive {
                return Err(invalid("exhaustive", "the surrogate runs the GA; leave out exhaustive"));
            }
            let within = |field: &str, value: Option<usize>, default: usize, low: usize, high: usize| {
                let v = value.unwrap_or(default);
                if (low..=high).contains(&v) {
                    Ok(v)
                } else {
                    Err(invalid(field, format!("must be between {low} and {high}, got {v}")))
                }
            };
            let training = Training {
                samples: within("samples", request.samples, 150, 10, 10_000)?,
                epochs: within("epochs", request.epochs, 100, 1, 10_000)?,
                seed: ga.seed,
            };
            Some(SurrogatePlan { training, top_k: within("top_k", request.top_k, 10, 1, 1000)? })
        }
    };
    let dir = network_dir(&root, &request.network)?;
    let deadline = Instant::now() + state.config.max_deadline;
    let how = if request.exhaustive { Search::Exhaustive } else { Search::Ga(ga) };
    let pairs: Vec<(usize, usize)> = request.candidates.iter().map(|[f, t]| (*f, *t)).collect();
    Ok(Box::new(move |control: &JobControl| {
        let design = problem(&dir, &pairs, budget, control)?;
        let stop = || control.should_stop(deadline);
        match surrogate {
            None => run_exact(&design, how, gap, control, &stop),
            Some(plan) => run_surrogate(&design, ga, plan, gap, control, &stop),
        }
    }))
}

fn unprocessable(kind: &'static str, title: &str, detail: String) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, kind, title, detail)
}

fn stopped() -> ApiError {
    ApiError::new(StatusCode::CONFLICT, "cancelled", "Stopped", "the search was stopped")
}

/// The design problem of a network folder, candidate pairs and budget.
fn problem(dir: &Path, pairs: &[(usize, usize)], budget: f64, control: &JobControl) -> Result<Design, ApiError> {
    control.update("loading the network", 0, 1);
    let (net_file, trips_file, _) = find_files(dir)
        .map_err(|e| unprocessable("unreadable-network", "The network cannot be read", e.to_string()))?;
    let net = Network::load(&net_file, &trips_file, CostFactors::default())
        .map_err(|e| unprocessable("unreadable-network", "The network cannot be read", e.to_string()))?;
    let candidates =
        candidates_from_pairs(&net, pairs).map_err(|(i, reason)| invalid(&format!("candidates[{i}]"), reason))?;
    Ok(Design { net, candidates, budget_share: budget })
}

fn run_exact(
    design: &Design,
    how: Search,
    gap: f64,
    control: &JobControl,
    stop: &dyn Fn() -> bool,
) -> Result<serde_json::Value, ApiError> {
    let result = search(design, how, gap, &mut |done, total| control.update("searching", done, total), stop).map_err(
        |e| match e {
            SearchError::Stopped => stopped(),
            SearchError::TooMany(_) => invalid("exhaustive", e.to_string()),
            SearchError::Assign(e) => unprocessable("unassignable", "The demand cannot be assigned", e.to_string()),
        },
    )?;
    serde_json::to_value(result).map_err(|e| ApiError::internal(e.to_string()))
}

/// Trains a surrogate, searches with it, and answers the search's result with
/// `train_seconds` and the training report (`surrogate`) filled in.
fn run_surrogate(
    design: &Design,
    ga: GaSettings,
    plan: SurrogatePlan,
    gap: f64,
    control: &JobControl,
    stop: &dyn Fn() -> bool,
) -> Result<serde_json::Value, ApiError> {
    let failed = |e: SurrogateError| match e {
        SurrogateError::Stopped => stopped(),
        SurrogateError::Assign(e) => unprocessable("unassignable", "The demand cannot be assigned", e.to_string()),
        other => ApiError::internal(other.to_string()),
    };
    let (model, report) =
        fit(design, plan.training, &mut |stage, done, total| control.update(stage, done, total), stop)
            .map_err(failed)?;
    let mut result = search_with_surrogate(
        design,
        ga,
        &model,
        plan.top_k,
        gap,
        &mut |done, total| control.update("searching", done, total),
        stop,
    )
    .map_err(failed)?;
    result.train_seconds = Some(report.train_seconds);
    result.surrogate = Some(report);
    serde_json::to_value(result).map_err(|e| ApiError::internal(e.to_string()))
}
