//! `POST /v1/designs`: network design (lane additions under a budget, exact equilibrium
//! fitness, GA or enumeration) on a TNTP network of `tripsmith serve --tntp DIR`, as a job.

use crate::jobs::{accepted, JobControl};
use crate::problem::ApiError;
use crate::routes::assignments::{network_dir, tntp_root};
use crate::routes::input::{parse_json, JsonText};
use crate::server::Shared;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use schemars::JsonSchema;
use serde::Deserialize;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Instant;
use tripsmith_model::Progress;
use tripsmith_netdesign::candidates::candidates_from_pairs;
use tripsmith_netdesign::design::Design;
use tripsmith_netdesign::ga::GaSettings;
use tripsmith_netdesign::search::{search, Search, SearchError};
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
}

fn invalid(field: &str, reason: impl std::fmt::Display) -> ApiError {
    ApiError::invalid_field(field, reason)
}

/// `POST /v1/designs`: `202` + `Location: /v1/jobs/{id}`.
pub async fn create(State(state): State<Shared>, JsonText(body): JsonText) -> Result<Response, ApiError> {
    let root = tntp_root(&state)?;
    let request: DesignRequest = parse_json(&body)?;
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
    let dir = network_dir(&root, &request.network)?;
    let deadline = Instant::now() + state.config.max_deadline;
    let how = if request.exhaustive { Search::Exhaustive } else { Search::Ga(ga) };
    let pairs: Vec<(usize, usize)> = request.candidates.iter().map(|[f, t]| (*f, *t)).collect();
    let job = state
        .jobs
        .submit(
            "design",
            deadline,
            Box::new(move |control: &JobControl| run(&dir, &pairs, budget, how, gap, deadline, control)),
        )
        .await?;
    Ok(accepted(&job))
}

fn run(
    dir: &Path,
    pairs: &[(usize, usize)],
    budget: f64,
    how: Search,
    gap: f64,
    deadline: Instant,
    control: &JobControl,
) -> Result<serde_json::Value, ApiError> {
    let unprocessable = |kind: &'static str, title: &str, detail: String| {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, kind, title, detail)
    };
    control.update("loading the network", 0, 1);
    let (net_file, trips_file, _) = find_files(dir)
        .map_err(|e| unprocessable("unreadable-network", "The network cannot be read", e.to_string()))?;
    let net = Network::load(&net_file, &trips_file, CostFactors::default())
        .map_err(|e| unprocessable("unreadable-network", "The network cannot be read", e.to_string()))?;
    let candidates =
        candidates_from_pairs(&net, pairs).map_err(|(i, reason)| invalid(&format!("candidates[{i}]"), reason))?;
    let design = Design { net, candidates, budget_share: budget };
    let stop = || control.cancel.load(Ordering::Relaxed) || Instant::now() >= deadline;
    let result = search(&design, how, gap, &mut |done, total| control.update("searching", done, total), &stop)
        .map_err(|e| match e {
            SearchError::Stopped => {
                ApiError::new(StatusCode::CONFLICT, "cancelled", "Stopped", "the search was stopped")
            }
            SearchError::TooMany(_) => invalid("exhaustive", e.to_string()),
            SearchError::Assign(e) => unprocessable("unassignable", "The demand cannot be assigned", e.to_string()),
        })?;
    serde_json::to_value(result).map_err(|e| ApiError::internal(e.to_string()))
}
