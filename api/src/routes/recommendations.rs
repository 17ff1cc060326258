//! `POST /v1/recommendations`: the loaded region's places ranked for a traveller's check-in
//! history (home-category transfer through the category bridge), with the history's taste as
//! trip-request `interests`. `POST /v1/recommendations/training`: the intention-aware model
//! trained on a check-in data set of `tripsmith serve --checkins DIR`, as a job whose result
//! lists the learned intentions.

use crate::jobs::{submit_request, JobControl, JobInput, JobKind, JobWork};
use crate::problem::ApiError;
use crate::routes::input::{folder_under, parse_json, JsonText};
use crate::server::Shared;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::time::Instant;
use tripsmith_model::{LatLon, Progress};
use tripsmith_recommend::checkins::read_lbsn_dir;
use tripsmith_recommend::experiment::{train_on_everything, Settings};
use tripsmith_recommend::intention::{IntentionSettings, IntentionSummary, STOPPED};
use tripsmith_recommend::taste::{RegionRecommendations, Taste};

/// Most check-ins a history may hold.
pub const MAX_HISTORY: usize = 100_000;
/// Most places a list may hold.
pub const MAX_TOP: usize = 1000;
/// Most training epochs a request may ask for.
pub const MAX_EPOCHS: usize = 100;

/// A recommendation request: a traveller's check-in history.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecommendationRequest {
    /// The venue category of each check-in, as Foursquare names it ("Art Museum", "Bar",
    /// "Pizza Place"); see the README's category bridge.
    pub history: Vec<String>,
    /// Rank places of equal score by distance from this [lat, lon] (default: the centre of
    /// the region's places).
    #[serde(default)]
    pub near: Option<[f64; 2]>,
    /// How many places (default 10).
    #[serde(default)]
    #[schemars(range(min = 1, max = MAX_TOP))]
    pub top: Option<usize>,
}

fn invalid(field: &str, reason: impl std::fmt::Display) -> ApiError {
    ApiError::invalid_field(field, reason)
}

/// A history's size and entries, checked: 1 to [`MAX_HISTORY`] check-ins, none empty.
pub(crate) fn check_history(history: &[String]) -> Result<(), ApiError> {
    if history.is_empty() || history.len() > MAX_HISTORY {
        return Err(invalid("history", format!("give 1 to {MAX_HISTORY} check-ins")));
    }
    if let Some(i) = history.iter().position(|n| n.trim().is_empty()) {
        return Err(invalid(&format!("history[{i}]"), "is empty"));
    }
    Ok(())
}

/// `POST /v1/recommendations`: `200` with the ranked places, `422` for a history with no
/// place a traveller visits.
pub async fn create(State(state): State<Shared>, JsonText(body): JsonText) -> Result<Response, ApiError> {
    let request: RecommendationRequest = parse_json(&body)?;
    check_history(&request.history)?;
    let top = request.top.unwrap_or(10);
    if !(1..=MAX_TOP).contains(&top) {
        return Err(invalid("top", format!("must be between 1 and {MAX_TOP}, got {top}")));
    }
    let near = match request.near {
        None => state.region.centre(),
        Some([lat, lon]) => LatLon::new(lat, lon).map_err(|e| invalid("near", e))?,
    };
    let taste = Taste::from_history(&request.history).map_err(|e| {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "no-taste", "The history says nothing to go on", e.to_string())
    })?;
    let answer = RegionRecommendations::new(taste, state.region.name(), state.region.catalog(), near, top);
    Ok((StatusCode::OK, axum::Json(answer)).into_response())
}

/// A training request.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingRequest {
    /// The data set: a folder (path relative to the server's `--checkins` folder, e.g.
    /// `Gowalla/Gowalla_2`) holding one `<name>_checkins.txt` and its `<name>_poi_coos.txt`.
    pub dataset: String,
    /// Seed (default 1).
    #[serde(default)]
    pub seed: Option<u64>,
    /// Training epochs (default 10, the evaluated setting).
    #[serde(default)]
    #[schemars(range(min = 1, max = MAX_EPOCHS))]
    pub epochs: Option<usize>,
    /// Characteristic places listed per intention (default 5).
    #[serde(default)]
    #[schemars(range(min = 1, max = 100))]
    pub top: Option<usize>,
}

/// A trained model's account: the data, the training and the learned intentions.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TrainingResult {
    /// The data set's name.
    pub dataset: String,
    /// Check-ins trained on.
    pub checkins: usize,
    /// Users.
    pub users: usize,
    /// Places.
    pub places: usize,
    /// Regions the places were grouped into.
    pub regions: usize,
    /// Mean loss of each epoch.
    pub losses: Vec<f64>,
    /// Seconds of training.
    pub train_seconds: f64,
    /// Each intention with its most characteristic places.
    pub intentions: Vec<IntentionSummary>,
}

/// `POST /v1/recommendations/training`: `202` + `Location: /v1/jobs/{id}`.
pub async fn train(
    State(state): State<Shared>,
    headers: HeaderMap,
    JsonText(body): JsonText,
) -> Result<Response, ApiError> {
    submit_request(&state, &headers, JobKind::Training, JobInput { query: serde_json::Value::Null, body }).await
}

/// The work of a training job, read from its body.
pub fn training_job(state: &Shared, input: &JobInput) -> Result<JobWork, ApiError> {
    let body = &input.body;
    let root = state.config.checkins.clone().ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "checkins-not-loaded",
            "No check-in data sets",
            "this server was started without --checkins DIR",
        )
    })?;
    let request: TrainingRequest = parse_json(body)?;
    let defaults = Settings::default();
    let epochs = request.epochs.unwrap_or(defaults.intention.epochs);
    if !(1..=MAX_EPOCHS).contains(&epochs) {
        return Err(invalid("epochs", format!("must be between 1 and {MAX_EPOCHS}, got {epochs}")));
    }
    let top = request.top.unwrap_or(5);
    if !(1..=100).contains(&top) {
        return Err(invalid("top", format!("must be between 1 and 100, got {top}")));
    }
    let dir = folder_under(&root, &request.dataset, "unknown-dataset", "data set", "check-in")?;
    let intention = IntentionSettings { seed: request.seed.unwrap_or(1), epochs, ..defaults.intention };
    let settings = Settings { intention, ..defaults };
    let deadline = Instant::now() + state.config.max_deadline;
    Ok(Box::new(move |control: &JobControl| {
        control.update("reading the data set", 0, 1);
        let data = read_lbsn_dir(&dir).map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unreadable-dataset",
                "The data set cannot be read",
                e.to_string(),
            )
        })?;
        let started = Instant::now();
        let stop = || control.should_stop(deadline);
        let (model, regions) = train_on_everything(&data, &settings, control, &stop).map_err(|e| {
            if e.to_string().contains(STOPPED) {
                ApiError::new(StatusCode::CONFLICT, "cancelled", "Stopped", "the training was stopped")
            } else {
                ApiError::internal(e.to_string())
            }
        })?;
        let result = TrainingResult {
            dataset: data.name.clone(),
            checkins: data.events.len(),
            users: data.users,
            places: data.pois.len(),
            regions: regions.members.len(),
            losses: model.losses.clone(),
            train_seconds: started.elapsed().as_secs_f64(),
            intentions: model.summaries(&data, top),
        };
        serde_json::to_value(result).map_err(|e| ApiError::internal(e.to_string()))
    }))
}
