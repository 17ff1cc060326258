//! `POST /v1/plans`, `GET /v1/plans/{id}`, `GET /v1/plans/{id}/report`.

use crate::clock::{new_id, now_rfc3339};
use crate::jobs::{submit_request, JobControl, JobInput, JobKind, JobWork};
use crate::pool::SolverPool;
use crate::problem::ApiError;
use crate::routes::input::{JsonText, PathParams, QueryParams};
use crate::server::{AppState, Shared};
use crate::store::{KeyState, PlanRecord};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};
use tripsmith_model::Progress;
use tripsmith_planner::{Backend, PlanError, TripRequest};
use tripsmith_region::export::{ExportError, ExportFormat};
use tripsmith_region::planning::{CandidateLimits, PlanningError};
use tripsmith_region::trip::{solve_trip, ReportFormat, SolveOptions, TripError};

/// Most sights a client may give the solver.
pub const MAX_VISITS: usize = 300;
/// Most places to eat a client may give the solver.
pub const MAX_FOOD: usize = 100;

/// Query parameters of `POST /v1/plans`.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanQuery {
    /// Run as a job: `202` + `Location: /v1/jobs/{id}`.
    #[serde(rename = "async")]
    run_async: Option<bool>,
    /// Seconds the whole answer may take (queueing, solving, repairs).
    deadline: Option<f64>,
    /// `search` (default), `milp` or `smt`.
    backend: Option<Backend>,
    /// Sights given to the solver.
    max_visits: Option<usize>,
    /// Places to eat given to the solver.
    max_food: Option<usize>,
    /// For an impossible trip, look for every minimal core (up to 10) instead of one.
    all_cores: Option<bool>,
}

/// How one trip request is to be answered.
struct Plan {
    request: TripRequest,
    options: SolveOptions,
    deadline: Instant,
}

/// When an answer asked for now with `deadline` seconds (the server's default when `None`) is
/// due; `400` outside 1 s .. the server's maximum.
pub fn deadline_of(state: &AppState, deadline: Option<f64>) -> Result<Instant, ApiError> {
    let max = state.config.max_deadline.as_secs_f64();
    let seconds = deadline.unwrap_or(state.config.default_deadline.as_secs_f64());
    if !(seconds.is_finite() && (1.0..=max).contains(&seconds)) {
        return Err(ApiError::invalid_parameter(
            "deadline",
            format!("must be between 1 and {max} seconds, got {seconds}"),
        ));
    }
    Ok(Instant::now() + Duration::from_secs_f64(seconds))
}

/// A plan body's `history` (the venue category of each of the traveller's check-ins, as for
/// `POST /v1/recommendations`) taken out of it: the body without it (`None`: the body as it
/// came, without a history) and the history.
fn take_history(body: &str) -> Result<(Option<String>, Option<Vec<String>>), ApiError> {
    let Ok(serde_json::Value::Object(mut fields)) = serde_json::from_str::<serde_json::Value>(body) else {
        return Ok((None, None));
    };
    let Some(history) = fields.remove("history") else { return Ok((None, None)) };
    let history: Vec<String> = serde_json::from_value(history)
        .map_err(|_| ApiError::invalid_field("history", "must be a list of venue category names"))?;
    crate::routes::recommendations::check_history(&history)?;
    Ok((Some(serde_json::Value::Object(fields).to_string()), Some(history)))
}

fn read_plan(state: &AppState, query: &PlanQuery, body: &str) -> Result<Plan, ApiError> {
    let deadline = deadline_of(state, query.deadline)?;
    let defaults = CandidateLimits::for_backend(query.backend.unwrap_or_default());
    let max_visits = query.max_visits.unwrap_or(defaults.max_visits);
    if !(1..=MAX_VISITS).contains(&max_visits) {
        return Err(ApiError::invalid_parameter(
            "max_visits",
            format!("must be between 1 and {MAX_VISITS}, got {max_visits}"),
        ));
    }
    let max_food = query.max_food.unwrap_or(defaults.max_food);
    if max_food > MAX_FOOD {
        return Err(ApiError::invalid_parameter("max_food", format!("must be at most {MAX_FOOD}, got {max_food}")));
    }
    let (without_history, history) = take_history(body)?;
    let mut request = TripRequest::from_json(without_history.as_deref().unwrap_or(body))
        .map_err(|e| ApiError::invalid_field(&e.field, &e.reason))?;
    if let Some(history) = history {
        let taste = tripsmith_recommend::taste::Taste::from_history(&history).map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "no-taste",
                "The history says nothing to go on",
                e.to_string(),
            )
        })?;
        taste.fill_interests(&mut request.interests, &mut request.interests_from_history);
    }
    let limits = CandidateLimits { max_visits, max_food, ..defaults };
    let options = SolveOptions {
        backend: query.backend.unwrap_or_default(),
        limits,
        solve_time: Duration::ZERO,
        repair_time: Duration::ZERO,
        all_cores: query.all_cores.unwrap_or(false),
    };
    Ok(Plan { request, options, deadline })
}

fn trip_error(e: TripError) -> ApiError {
    match e {
        TripError::Planning(PlanningError::UnknownPlace(e)) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown-place",
            "A named place is not in the region",
            e.to_string(),
        ),
        TripError::Planning(e) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unroutable",
            "The trip cannot be routed in this region",
            e.to_string(),
        ),
        TripError::Solver(PlanError::NoLodging) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "no-lodging",
            "No lodging qualifies",
            PlanError::NoLodging.to_string(),
        ),
        TripError::Solver(e) => ApiError::internal(e.to_string()),
        TripError::Cancelled => ApiError::new(StatusCode::CONFLICT, "cancelled", "Cancelled", "the work was cancelled"),
    }
}

/// Solves, renders the reports and stores the plan: runs on a solver worker.
fn solve_and_store(
    state: &AppState,
    plan: Plan,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Result<PlanRecord, ApiError> {
    let left = plan.deadline.saturating_duration_since(Instant::now());
    if left < Duration::from_millis(500) {
        return Err(ApiError::overloaded("the deadline passed while waiting for a solver worker", 1));
    }
    // The solver (and core minimisation) gets 70 % of what is left, repairs 25 %, the rest is
    // for checking, reports and storage.
    let options = SolveOptions { solve_time: left.mul_f64(0.70), repair_time: left.mul_f64(0.25), ..plan.options };
    let answer = solve_trip(&state.region, &plan.request, &options, progress, cancel).map_err(trip_error)?;
    let summary = answer.summary();
    let id = new_id("pl");
    let title = format!("{} ({id})", answer.title(&state.region));
    let status = summary.status.as_str().to_string();
    let record = PlanRecord {
        id,
        created_at: now_rfc3339(),
        region: crate::routes::region::file_name(state.region.name()),
        status: status.clone(),
        request: serde_json::to_string(&plan.request).map_err(|e| ApiError::internal(e.to_string()))?,
        summary: serde_json::to_string(&summary).map_err(|e| ApiError::internal(e.to_string()))?,
        report_html: answer.report(&state.region, &title, ReportFormat::Html),
        report_md: answer.report(&state.region, &title, ReportFormat::Markdown),
        report_geojson: answer.export(&state.region, ExportFormat::GeoJson).ok(),
        report_gpx: answer.export(&state.region, ExportFormat::Gpx).ok(),
        report_ics: answer.export(&state.region, ExportFormat::ICalendar).ok(),
    };
    state.store.insert_plan(&record)?;
    state.metrics.plan(&status);
    Ok(record)
}

/// The plan resource: the answer with its id, time, region, request and links.
pub fn plan_json(record: &PlanRecord) -> Value {
    let mut body = serde_json::from_str::<Value>(&record.summary).unwrap_or_else(|_| json!({}));
    if let Some(obj) = body.as_object_mut() {
        obj.insert("id".into(), record.id.clone().into());
        obj.insert("created_at".into(), record.created_at.clone().into());
        obj.insert("region".into(), crate::routes::region::file_name(&record.region).into());
        obj.insert("request".into(), serde_json::from_str::<Value>(&record.request).unwrap_or(Value::Null));
        obj.insert("links".into(), links(&record.id));
    }
    body
}

fn links(id: &str) -> Value {
    json!({"self": format!("/v1/plans/{id}"), "report": format!("/v1/plans/{id}/report")})
}

/// `201` with the plan (also when the deadline passed: status `timeout`, with the best verified
/// plan found or none), or `422` with the core when the trip is impossible.
fn answer_response(record: &PlanRecord) -> Response {
    let body = plan_json(record);
    let location = format!("/v1/plans/{}", record.id);
    let mut response = match record.status.as_str() {
        "infeasible" => {
            let core: Vec<String> =
                body["core"].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(String::from)).collect();
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "infeasible",
                "No itinerary meets every constraint",
                format!("these constraints cannot all hold: {}", core.join(", ")),
            )
            .with("plan_id", record.id.clone())
            .with("core", body["core"].clone())
            .with("cores", body["cores"].clone())
            .with("explanation", body["explanation"].clone())
            .with("repairs", body["repairs"].clone())
            .with("links", links(&record.id))
            .into_response()
        }
        _ => (StatusCode::CREATED, axum::Json(body)).into_response(),
    };
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// `POST /v1/plans`.
pub async fn create(
    State(state): State<Shared>,
    headers: HeaderMap,
    QueryParams(query): QueryParams<PlanQuery>,
    JsonText(body): JsonText,
) -> Result<Response, ApiError> {
    let input = JobInput { query: serde_json::to_value(&query).map_err(|e| ApiError::internal(e.to_string()))?, body };
    if query.run_async.unwrap_or(false) {
        return submit_request(&state, &headers, JobKind::Plan, input).await;
    }
    let plan = read_plan(&state, &query, &input.body)?;
    let Some(key) = crate::idempotency::key(&headers, "POST /v1/plans", &input)? else {
        return Ok(answer_response(&solve_now(&state, plan).await?));
    };
    let (reserved, stale_ms) = (key.clone(), state.config.max_deadline.as_millis() as i64 + 60_000);
    let store = state.store.clone();
    let found = tokio::task::spawn_blocking(move || store.reserve_key(&reserved, crate::clock::now_ms(), stale_ms))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))??;
    match found {
        KeyState::Reused => Err(crate::idempotency::reused(&key)),
        KeyState::Pending => Err(crate::idempotency::pending(&key)),
        KeyState::Answered(id) => {
            let mut response = answer_response(&load_plan(&state, id).await?);
            crate::idempotency::mark_replayed(&mut response);
            Ok(response)
        }
        KeyState::Reserved => {
            let answered = solve_now(&state, plan).await;
            let store = state.store.clone();
            let target = answered.as_ref().ok().map(|record| record.id.clone());
            let kept = tokio::task::spawn_blocking(move || match target {
                Some(id) => store.complete_key(&key, &id),
                None => store.release_key(&key),
            })
            .await;
            if !matches!(kept, Ok(Ok(()))) {
                tracing::warn!("recording the Idempotency-Key's answer failed");
            }
            Ok(answer_response(&answered?))
        }
    }
}

/// Solves `plan` on a solver worker now and stores it.
async fn solve_now(state: &Shared, plan: Plan) -> Result<PlanRecord, ApiError> {
    let slot = state.pool.slot(plan.deadline.checked_sub(Duration::from_millis(500)).unwrap_or(plan.deadline)).await?;
    let worker = state.clone();
    SolverPool::run(slot, move || solve_and_store(&worker, plan, &tripsmith_model::NoProgress, &AtomicBool::new(false)))
        .await?
}

/// The work of an asynchronous plan, read from its query and body.
pub fn job(state: &Shared, input: &JobInput) -> Result<JobWork, ApiError> {
    let query: PlanQuery = serde_json::from_value(input.query.clone())
        .map_err(|e| ApiError::internal(format!("the job's query cannot be read: {e}")))?;
    let plan = read_plan(state, &query, &input.body)?;
    let worker = state.clone();
    Ok(Box::new(move |control: &JobControl| {
        solve_and_store(&worker, plan, control, &control.cancel).map(|record| plan_json(&record))
    }))
}

async fn load_plan(state: &Shared, id: String) -> Result<PlanRecord, ApiError> {
    let store = state.store.clone();
    let key = id.clone();
    tokio::task::spawn_blocking(move || store.plan(&key))
        .await
        .map_err(|e| ApiError::internal(format!("reading the plan failed: {e}")))??
        .ok_or_else(|| ApiError::not_found(format!("no plan {id:?}")))
}

/// Plans a page of `GET /v1/plans` lists by default, and at most.
pub const LIST_LIMIT: (usize, usize) = (20, 100);

/// Query parameters of the plan list.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only plans of this status.
    status: Option<tripsmith_region::trip::PlanStatus>,
    /// Plans per page (1 to 100, default 20).
    limit: Option<usize>,
    /// Plans to skip (newest first).
    offset: Option<usize>,
}

/// `GET /v1/plans?status=&limit=&offset=`: stored plans, newest first, a page at a time.
pub async fn list(State(state): State<Shared>, QueryParams(q): QueryParams<ListQuery>) -> Result<Response, ApiError> {
    let limit = q.limit.unwrap_or(LIST_LIMIT.0);
    if !(1..=LIST_LIMIT.1).contains(&limit) {
        return Err(ApiError::invalid_parameter("limit", format!("must be 1 to {}, got {limit}", LIST_LIMIT.1)));
    }
    let offset = q.offset.unwrap_or(0);
    if offset > 1_000_000_000 {
        return Err(ApiError::invalid_parameter("offset", format!("must be at most 1000000000, got {offset}")));
    }
    let status = q.status.map(|s| s.as_str());
    let store = state.store.clone();
    // One more than the page says whether another page follows.
    let mut page = tokio::task::spawn_blocking(move || store.list_plans(status, limit + 1, offset))
        .await
        .map_err(|e| ApiError::internal(format!("listing plans failed: {e}")))??;
    let more = page.len() > limit;
    page.truncate(limit);
    let filter = status.map(|s| format!("&status={s}")).unwrap_or_default();
    let next = more.then(|| format!("/v1/plans?limit={limit}&offset={}{filter}", offset + limit));
    let plans: Vec<Value> = page
        .iter()
        .map(|p| {
            json!({"id": p.id, "created_at": p.created_at, "status": p.status,
                   "region": crate::routes::region::file_name(&p.region), "links": links(&p.id)})
        })
        .collect();
    Ok(axum::Json(json!({"plans": plans, "next": next})).into_response())
}

/// `GET /v1/plans/{id}`.
pub async fn get_plan(State(state): State<Shared>, PathParams(id): PathParams<String>) -> Result<Response, ApiError> {
    let record = load_plan(&state, id).await?;
    Ok(axum::Json(plan_json(&record)).into_response())
}

/// Query parameters of the report.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// `html`, `markdown`, `geojson`, `gpx` or `ics`; overrides `Accept`.
    format: Option<ReportChoice>,
}

/// A format of the report endpoint: the two reports, or the itinerary in an export format
/// (as `tripsmith plan --export FILE` writes it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum ReportChoice {
    /// The HTML report (`text/html`).
    Html,
    /// The Markdown report (`text/markdown`).
    Markdown,
    /// The itinerary as GeoJSON, GPX or iCalendar.
    Export(ExportFormat),
}

impl TryFrom<String> for ReportChoice {
    type Error = String;

    fn try_from(name: String) -> Result<Self, Self::Error> {
        match name.to_ascii_lowercase().as_str() {
            "html" => Ok(ReportChoice::Html),
            "markdown" | "md" => Ok(ReportChoice::Markdown),
            other => other
                .parse()
                .map(ReportChoice::Export)
                .map_err(|_| format!("{name:?} is not a report format (html, markdown, geojson, gpx or ics)")),
        }
    }
}

/// The format the `Accept` header prefers (HTML on ties and when absent); `None`: none is acceptable.
pub fn negotiate(accept: Option<&str>) -> Option<ReportChoice> {
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else { return Some(ReportChoice::Html) };
    let offers = [
        ("text", "html", ReportChoice::Html),
        ("text", "markdown", ReportChoice::Markdown),
        ("application", "geo+json", ReportChoice::Export(ExportFormat::GeoJson)),
        ("application", "gpx+xml", ReportChoice::Export(ExportFormat::Gpx)),
        ("text", "calendar", ReportChoice::Export(ExportFormat::ICalendar)),
    ];
    let mut best: Option<(f64, ReportChoice)> = None;
    for (kind, sub, format) in offers {
        let mut q_for: Option<(u8, f64)> = None;
        for range in accept.split(',') {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q=").and_then(|v| v.trim().parse::<f64>().ok()))
                .next()
                .unwrap_or(1.0);
            let (t, s) = media.split_once('/').unwrap_or((&media, ""));
            let specificity = match (t, s) {
                (t, s) if t == kind && s == sub => 2,
                (t, "*") if t == kind => 1,
                ("*", "*") => 0,
                _ => continue,
            };
            if q_for.is_none_or(|(sp, _)| specificity > sp) {
                q_for = Some((specificity, q));
            }
        }
        if let Some((_, q)) = q_for.filter(|(_, q)| *q > 0.0) {
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, format));
            }
        }
    }
    best.map(|(_, f)| f)
}

/// `GET /v1/plans/{id}/report`: HTML, Markdown, GeoJSON, GPX or iCalendar by `Accept` (or
/// `?format=`).
pub async fn report(
    State(state): State<Shared>,
    PathParams(id): PathParams<String>,
    QueryParams(query): QueryParams<ReportQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let format = match query.format {
        Some(format) => format,
        None => negotiate(headers.get(header::ACCEPT).and_then(|v| v.to_str().ok())).ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_ACCEPTABLE,
                "not-acceptable",
                "No acceptable report format",
                "reports are text/html, text/markdown, application/geo+json, application/gpx+xml or text/calendar",
            )
        })?,
    };
    let record = load_plan(&state, id).await?;
    let (media, text) = match format {
        ReportChoice::Html => ("text/html; charset=utf-8", record.report_html),
        ReportChoice::Markdown => ("text/markdown; charset=utf-8", record.report_md),
        ReportChoice::Export(format) => {
            let has_itinerary = record.report_geojson.is_some();
            let text = match format {
                ExportFormat::GeoJson => record.report_geojson,
                ExportFormat::Gpx => record.report_gpx,
                ExportFormat::ICalendar => record.report_ics,
            };
            let why = match (record.status.as_str(), format) {
                ("feasible" | "timeout", ExportFormat::ICalendar) if has_itinerary => ExportError::NoDates.to_string(),
                ("feasible" | "timeout", _) => "it was stored before exports were kept".to_string(),
                (status, _) => format!("there is no itinerary (status {status})"),
            };
            let text = text.ok_or_else(|| {
                ApiError::not_found(format!("plan {:?} has no .{} export: {why}", record.id, format.extension()))
            })?;
            (format.media_type(), text)
        }
    };
    Ok(([(header::CONTENT_TYPE, media), (header::VARY, "accept")], text).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_negotiation() {
        assert_eq!(negotiate(None), Some(ReportChoice::Html));
        assert_eq!(negotiate(Some("text/markdown")), Some(ReportChoice::Markdown));
        assert_eq!(negotiate(Some("text/html;q=0.5, text/markdown")), Some(ReportChoice::Markdown));
        assert_eq!(negotiate(Some("text/*")), Some(ReportChoice::Html));
        assert_eq!(negotiate(Some("*/*;q=0.1, text/markdown;q=0.2")), Some(ReportChoice::Markdown));
        assert_eq!(negotiate(Some("*/*")), Some(ReportChoice::Html));
        assert_eq!(negotiate(Some("application/geo+json")), Some(ReportChoice::Export(ExportFormat::GeoJson)));
        assert_eq!(negotiate(Some("text/calendar")), Some(ReportChoice::Export(ExportFormat::ICalendar)));
        assert_eq!(
            negotiate(Some("text/html;q=0.4, application/gpx+xml;q=0.9")),
            Some(ReportChoice::Export(ExportFormat::Gpx))
        );
        assert_eq!(ReportChoice::try_from("ICS".to_string()), Ok(ReportChoice::Export(ExportFormat::ICalendar)));
        assert!(ReportChoice::try_from("kml".to_string()).unwrap_err().contains("html, markdown, geojson, gpx or ics"));
        assert_eq!(negotiate(Some("application/json")), None);
        assert_eq!(negotiate(Some("text/html;q=0, text/markdown;q=0")), None);
    }
}
