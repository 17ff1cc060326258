//! Jobs: long work that answers `202 Accepted` at once and runs in the background on the solver
//! pool. Each job is stored when submitted, when it starts and when it ends; its live progress
//! (0–1 and a message) is kept in memory while it runs. A job is cancelled by the client
//! (`DELETE`), or by a server shutdown (then it is reported failed, as it is after a crash).
//!
//! Any capability plugs in with [`Jobs::submit`] and a closure that does the work.

use crate::clock::now_rfc3339;
use crate::pool::{SolverPool, Ticket};
use crate::problem::ApiError;
use crate::store::{JobRecord, JobStatus, Store};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::Notify;
use tripsmith_model::Progress;

/// What a job left unfinished by a server stop (or crash) reports.
pub const STOPPED: &str = "the server stopped before the job finished";

/// The error of a job stopped before it could finish (its stored status says why).
fn cancelled() -> ApiError {
    ApiError::new(axum::http::StatusCode::CONFLICT, "cancelled", "Cancelled", "the job was stopped")
}

/// Why a job was asked to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StopReason {
    None = 0,
    Client = 1,
    Shutdown = 2,
}

/// What a running job and its controller share.
pub struct JobControl {
    /// Set when the job must stop; the work checks it between its stages.
    pub cancel: AtomicBool,
    reason: AtomicU8,
    stopped: Notify,
    /// Status, progress (0–1) and message, as the job last reported them.
    live: Mutex<(JobStatus, f64, String)>,
}

impl JobControl {
    fn new() -> Self {
        Self {
            cancel: AtomicBool::new(false),
            reason: AtomicU8::new(StopReason::None as u8),
            stopped: Notify::new(),
            live: Mutex::new((JobStatus::Queued, 0.0, "queued".into())),
        }
    }

    /// Whether the work should stop now: the job was cancelled or `deadline` has passed.
    pub fn should_stop(&self, deadline: Instant) -> bool {
        self.cancel.load(Ordering::Relaxed) || Instant::now() >= deadline
    }

    fn stop(&self, reason: StopReason) {
        let _ = self.reason.compare_exchange(StopReason::None as u8, reason as u8, Ordering::SeqCst, Ordering::SeqCst);
        self.cancel.store(true, Ordering::SeqCst);
        self.stopped.notify_one();
    }

    fn reason(&self) -> StopReason {
        match self.reason.load(Ordering::SeqCst) {
            1 => StopReason::Client,
            2 => StopReason::Shutdown,
            _ => StopReason::None,
        }
    }

    fn live(&self) -> std::sync::MutexGuard<'_, (JobStatus, f64, String)> {
        self.live.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn set(&self, status: JobStatus, progress: f64, message: &str) {
        *self.live() = (status, progress, message.to_string());
    }

    fn snapshot(&self) -> (JobStatus, f64, String) {
        self.live().clone()
    }
}

impl Progress for JobControl {
    fn update(&self, stage: &str, done: u64, total: u64) {
        let fraction = if total == 0 { 0.0 } else { done as f64 / total as f64 };
        let mut live = self.live();
        (live.1, live.2) = (fraction.clamp(0.0, 1.0), stage.to_string());
    }
}

/// The work of a job: runs on a solver worker, returns the result document or an error.
pub type JobWork = Box<dyn FnOnce(&JobControl) -> Result<Value, ApiError> + Send>;

/// The jobs of this server: live controls and the store.
pub struct Jobs {
    live: Mutex<HashMap<String, Arc<JobControl>>>,
    store: Arc<dyn Store>,
    pool: SolverPool,
}

impl Jobs {
    /// Jobs stored in `store`, run on `pool`.
    pub fn new(store: Arc<dyn Store>, pool: SolverPool) -> Self {
        Self { live: Mutex::new(HashMap::new()), store, pool }
    }

    fn live(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<JobControl>>> {
        self.live.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Counts of live jobs by status, for metrics.
    pub fn live_counts(&self) -> (usize, usize) {
        let live = self.live();
        let running = live.values().filter(|c| c.snapshot().0 == JobStatus::Running).count();
        (live.len() - running, running)
    }

    /// Stores a queued job of `kind` and starts it in the background; `503` when the pool's
    /// queue is full. The job waits for a worker until `deadline` at most.
    pub async fn submit(self: &Arc<Self>, kind: &str, deadline: Instant, work: JobWork) -> Result<JobRecord, ApiError> {
        let ticket = self.pool.enqueue()?;
        let now = now_rfc3339();
        let record = JobRecord {
            id: crate::clock::new_id("jb"),
            kind: kind.to_string(),
            status: JobStatus::Queued,
            progress: 0.0,
            message: "waiting for a solver worker".into(),
            created_at: now.clone(),
            updated_at: now,
            result: None,
            error: None,
        };
        let stored = record.clone();
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || store.put_job(&stored))
            .await
            .map_err(|e| ApiError::internal(format!("storing the job failed: {e}")))??;
        let control = Arc::new(JobControl::new());
        self.live().insert(record.id.clone(), control.clone());
        let jobs = self.clone();
        let job = record.clone();
        tokio::spawn(async move { jobs.run(job, control, ticket, deadline, work).await });
        Ok(record)
    }

    async fn run(
        self: Arc<Self>,
        mut job: JobRecord,
        control: Arc<JobControl>,
        ticket: Ticket,
        deadline: Instant,
        work: JobWork,
    ) {
        let slot = tokio::select! {
            slot = ticket.wait(deadline) => slot,
            _ = control.stopped.notified() => Err(cancelled()),
        };
        let outcome = match slot {
            Err(e) => Err(e),
            Ok(slot) if !control.cancel.load(Ordering::SeqCst) => {
                control.set(JobStatus::Running, 0.0, "starting");
                job.status = JobStatus::Running;
                job.message = "starting".into();
                job.updated_at = now_rfc3339();
                let store = self.store.clone();
                let started = job.clone();
                let ctl = control.clone();
                SolverPool::run(slot, move || {
                    // The job runs even if this write fails; the final write reports the outcome.
                    let _ = store.put_job(&started);
                    work(&ctl)
                })
                .await
                .and_then(|r| r)
            }
            Ok(_) => Err(cancelled()),
        };
        let (_, progress, message) = control.snapshot();
        job.updated_at = now_rfc3339();
        job.progress = progress;
        match (control.reason(), outcome) {
            (StopReason::Client, _) => {
                job.status = JobStatus::Cancelled;
                job.message = "cancelled by the client".into();
            }
            (StopReason::Shutdown, _) => {
                job.status = JobStatus::Failed;
                job.message = STOPPED.into();
                job.error = Some(json!({"title": "interrupted", "detail": job.message}).to_string());
            }
            (StopReason::None, Ok(result)) => {
                job.status = JobStatus::Succeeded;
                job.progress = 1.0;
                job.message = "done".into();
                job.result = Some(result.to_string());
            }
            (StopReason::None, Err(e)) => {
                job.status = JobStatus::Failed;
                job.message = if message.is_empty() { e.title.clone() } else { format!("failed while {message}") };
                job.error = Some(e.body().to_string());
            }
        }
        let store = self.store.clone();
        let done = job.clone();
        let stored = tokio::task::spawn_blocking(move || store.put_job(&done)).await;
        if !matches!(stored, Ok(Ok(()))) {
            tracing::error!(job = %job.id, "storing the job's end failed");
        }
        self.live().remove(&job.id);
    }

    /// The job with `id`: its stored record with the live progress of a running job.
    pub async fn get(&self, id: &str) -> Result<Option<JobRecord>, ApiError> {
        let store = self.store.clone();
        let key = id.to_string();
        let found = tokio::task::spawn_blocking(move || store.job(&key))
            .await
            .map_err(|e| ApiError::internal(format!("reading the job failed: {e}")))??;
        let live = self.live().get(id).cloned();
        Ok(found.map(|mut job| {
            if let Some(control) = live {
                let (status, progress, message) = control.snapshot();
                if !job.status.is_final() {
                    job.status = status;
                    job.progress = progress;
                    job.message = message;
                }
                if control.reason() == StopReason::Client {
                    job.status = JobStatus::Cancelled;
                    job.message = "cancelled by the client; stopping".into();
                }
            }
            job
        }))
    }

    /// Cancels the job with `id`: `None` when there is no such job, `Some(Err)` when it has ended.
    pub async fn cancel(&self, id: &str) -> Result<Option<JobRecord>, ApiError> {
        if let Some(control) = self.live().get(id).cloned() {
            control.stop(StopReason::Client);
        }
        let job = self.get(id).await?;
        match job {
            Some(job) if job.status != JobStatus::Cancelled => Err(ApiError::new(
                axum::http::StatusCode::CONFLICT,
                "job-finished",
                "The job has already ended",
                format!("job {id} is {}", job.status.as_str()),
            )
            .with("job_status", job.status.as_str())),
            other => Ok(other),
        }
    }

    /// Asks every live job to stop because the server is shutting down.
    pub fn stop_all(&self) {
        for control in self.live().values() {
            control.stop(StopReason::Shutdown);
        }
    }

    /// Whether any job is still live.
    pub fn any_live(&self) -> bool {
        !self.live().is_empty()
    }
}

/// `202 Accepted` with the job and `Location: /v1/jobs/{id}`.
pub fn accepted(job: &JobRecord) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut response = (axum::http::StatusCode::ACCEPTED, axum::Json(job_json(job))).into_response();
    if let Ok(value) = axum::http::HeaderValue::from_str(&format!("/v1/jobs/{}", job.id)) {
        response.headers_mut().insert(axum::http::header::LOCATION, value);
    }
    response
}

/// The JSON form of a job.
pub fn job_json(job: &JobRecord) -> Value {
    let parse = |s: &Option<String>| s.as_deref().and_then(|t| serde_json::from_str::<Value>(t).ok());
    json!({
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "progress": job.progress,
        "message": job.message,
        "created_at": job.created_at,
        "updated_at": job.updated_at,
        "result": parse(&job.result),
        "error": parse(&job.error),
        "links": {"self": format!("/v1/jobs/{}", job.id)},
    })
}
