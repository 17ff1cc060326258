//! Jobs: long work that answers `202 Accepted` at once and runs in the background. A job is a
//! row in the store's queue with the input its work is rebuilt from ([`JobInput`]), so any
//! instance sharing the store may run it: [`dispatch`] claims queued jobs while a solver worker
//! is free, holds each under a lease that it renews (storing the progress, 0–1 and a message),
//! and takes back the jobs of instances that stopped renewing (queued again, or failed after
//! their attempts). A client cancels from any instance (`DELETE`); a graceful stop puts this
//! instance's jobs back in the queue.
//!
//! A capability plugs in with a [`JobKind`] and a function that rebuilds its work
//! ([`BuildWork`], in `routes`).

use crate::clock::{now_ms, now_rfc3339};
use crate::pool::{Slot, SolverPool};
use crate::problem::ApiError;
use crate::server::Shared;
use crate::store::{Enqueued, IdempotencyKey, JobCount, JobRecord, JobStatus, Lease, Renewal, Store, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;
use tripsmith_model::Progress;

/// What a job reports when its instance stopped answering and it ran out of attempts.
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
    Lost = 3,
}

/// What each kind of job does; the stored name is its `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// `POST /v1/plans?async=true`.
    Plan,
    /// `POST /v1/vrp/solutions`.
    Vrp,
    /// `POST /v1/assignments`.
    Assignment,
    /// `POST /v1/designs`.
    Design,
    /// `POST /v1/recommendations/training`.
    Training,
}

impl JobKind {
    /// Every kind.
    pub const ALL: [JobKind; 5] = [Self::Plan, Self::Vrp, Self::Assignment, Self::Design, Self::Training];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Plan => "plan",
            Self::Vrp => "vrp",
            Self::Assignment => "assignment",
            Self::Design => "design",
            Self::Training => "training",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The request that submits it (the scope of its idempotency keys).
    pub fn endpoint(self) -> &'static str {
        match self {
            Self::Plan => "POST /v1/plans",
            Self::Vrp => "POST /v1/vrp/solutions",
            Self::Assignment => "POST /v1/assignments",
            Self::Design => "POST /v1/designs",
            Self::Training => "POST /v1/recommendations/training",
        }
    }
}

/// What a job's work is rebuilt from, on whichever instance claims it: the request's query
/// parameters (JSON) and body, as submitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobInput {
    /// The query parameters that matter to the work, as JSON (`null` when none).
    pub query: Value,
    /// The request body.
    pub body: String,
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
            3 => StopReason::Lost,
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

/// How this instance takes part in the shared job queue.
#[derive(Debug, Clone)]
pub struct QueueSettings {
    /// This instance's name (stored with the jobs it runs).
    pub instance: String,
    /// How long a claimed job stays this instance's without a renewal.
    pub lease: Duration,
    /// Starts of one job before an expired lease fails it instead of queueing it again.
    pub max_attempts: u32,
    /// Jobs allowed to wait in the queue (all instances together); beyond it `503`.
    pub max_queued: usize,
}

impl QueueSettings {
    /// How often a running job's lease is renewed (and its progress stored).
    fn renew_every(&self) -> Duration {
        (self.lease / 3).min(Duration::from_secs(1))
    }

    fn lease_from_now(&self) -> Lease {
        Lease { instance: self.instance.clone(), until_ms: now_ms() + self.lease.as_millis() as i64 }
    }
}

/// How often an idle instance looks for jobs that other instances queued.
const POLL: Duration = Duration::from_millis(200);

/// The jobs of this instance: the live controls of those it runs, the store's queue, the pool.
pub struct Jobs {
    live: Mutex<HashMap<String, Arc<JobControl>>>,
    store: Arc<dyn Store>,
    pool: SolverPool,
    settings: QueueSettings,
    wake: Notify,
}

/// Runs `f` with the store on a blocking thread.
async fn blocking<T: Send + 'static>(
    store: &Arc<dyn Store>,
    f: impl FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    let store = store.clone();
    tokio::task::spawn_blocking(move || f(store.as_ref()))
        .await
        .map_err(|e| ApiError::internal(format!("a store call failed: {e}")))?
        .map_err(ApiError::from)
}

impl Jobs {
    /// Jobs stored in `store`, run on `pool`.
    pub fn new(store: Arc<dyn Store>, pool: SolverPool, settings: QueueSettings) -> Self {
        Self { live: Mutex::new(HashMap::new()), store, pool, settings, wake: Notify::new() }
    }

    fn live(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<JobControl>>> {
        self.live.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queued and running jobs of every instance sharing the store, for metrics.
    pub async fn counts(&self) -> Result<Vec<JobCount>, ApiError> {
        blocking(&self.store, |s| s.job_counts()).await
    }

    /// Stores a queued job of `kind` rebuilt from `input` by whichever instance claims it;
    /// `503` when the queue is full. With an idempotency `key` used before for the same
    /// request, the job that request made (and `true`); for another request, `422`.
    pub async fn submit(
        &self,
        kind: JobKind,
        input: &JobInput,
        key: Option<IdempotencyKey>,
    ) -> Result<(JobRecord, bool), ApiError> {
        let now = now_rfc3339();
        let record = JobRecord {
            id: crate::clock::new_id("jb"),
            kind: kind.as_str().to_string(),
            status: JobStatus::Queued,
            progress: 0.0,
            message: "waiting for a solver worker".into(),
            created_at: now.clone(),
            updated_at: now,
            result: None,
            error: None,
            attempts: 0,
            instance: None,
        };
        let text = serde_json::to_string(input).map_err(|e| ApiError::internal(e.to_string()))?;
        // Room for the configured queue plus a job for each worker free here now (claimed at once).
        let load = self.pool.load();
        let free = load.workers.saturating_sub(load.busy + load.waiting);
        let max_queued = self.settings.max_queued + free;
        let stored = record.clone();
        let key_given = key.clone();
        match blocking(&self.store, move |s| s.enqueue_job(&stored, &text, key.as_ref(), max_queued)).await? {
            Enqueued::Queued => {
                self.wake.notify_one();
                Ok((record, false))
            }
            Enqueued::Repeated(earlier) => Ok((*earlier, true)),
            Enqueued::KeyReused => Err(key_given
                .as_ref()
                .map_or_else(|| ApiError::internal("a key was reused without a key"), crate::idempotency::reused)),
            Enqueued::QueueFull => Err(ApiError::overloaded(
                format!("{max_queued} jobs are waiting already and every worker is busy; try again later"),
                1 + (max_queued / self.pool.load().workers.max(1)) as u64,
            )),
        }
    }

    /// The job with `id`: its stored record, with the live progress of one this instance runs.
    pub async fn get(&self, id: &str) -> Result<Option<JobRecord>, ApiError> {
        let key = id.to_string();
        let found = blocking(&self.store, move |s| s.job(&key)).await?;
        let live = self.live().get(id).cloned();
        Ok(found.map(|mut job| {
            if let Some(control) = live {
                let (status, progress, message) = control.snapshot();
                if job.status == JobStatus::Running {
                    job.status = status;
                    job.progress = progress;
                    job.message = message;
                }
            }
            job
        }))
    }

    /// Cancels the job with `id` (queued or running on any instance): `None` when there is no
    /// such job, `Err` when it has ended otherwise.
    pub async fn cancel(&self, id: &str) -> Result<Option<JobRecord>, ApiError> {
        let key = id.to_string();
        let job = blocking(&self.store, move |s| s.cancel_job(&key, &now_rfc3339())).await?;
        if let Some(control) = self.live().get(id).cloned() {
            if job.as_ref().is_some_and(|j| j.status == JobStatus::Cancelled) {
                control.stop(StopReason::Client);
            }
        }
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

    /// Asks every job this instance runs to stop because the server is shutting down (each is
    /// put back in the queue as its work returns).
    pub fn stop_all(&self) {
        for control in self.live().values() {
            control.stop(StopReason::Shutdown);
        }
    }

    /// Puts every job still running here back in the queue now (the server is exiting before
    /// their solver calls return); returns how many.
    pub async fn release_all(&self) -> usize {
        let ids: Vec<String> = self.live().keys().cloned().collect();
        let instance = self.settings.instance.clone();
        blocking(&self.store, move |s| {
            let mut released = 0;
            for id in &ids {
                released += usize::from(s.release_job(id, &instance, &now_rfc3339())?);
            }
            Ok(released)
        })
        .await
        .unwrap_or(0)
    }

    /// How many jobs run here.
    pub fn live_count(&self) -> usize {
        self.live().len()
    }
}

/// Rebuilds a claimed job's work from its kind and input.
pub type BuildWork = fn(&Shared, JobKind, &JobInput) -> Result<JobWork, ApiError>;

/// The instance's share of the queue: until the server shuts down, re-queues (or fails) jobs
/// whose instance stopped renewing its lease, and claims queued jobs whenever a solver worker
/// is free, running each with `build`'s work.
pub async fn dispatch(state: Shared, build: BuildWork) {
    let jobs = state.jobs.clone();
    let mut recovered_at: Option<Instant> = None;
    // While the store does not answer, say so once rather than at every poll.
    let mut unreachable = false;
    let mut answered = |outcome: Result<(), ApiError>| match outcome {
        Ok(()) if unreachable => {
            unreachable = false;
            tracing::info!("the job queue answers again");
        }
        Ok(()) => {}
        Err(e) if !unreachable => {
            unreachable = true;
            tracing::warn!(error = %e.detail, "the job queue cannot be reached; retrying");
        }
        Err(_) => {}
    };
    while !state.shutting_down.load(Ordering::SeqCst) {
        if recovered_at.is_none_or(|t| t.elapsed() >= Duration::from_secs(1)) {
            recovered_at = Some(Instant::now());
            let attempts = jobs.settings.max_attempts;
            let reason = format!("{STOPPED} (its server stopped answering; {attempts} attempts)");
            let recovered =
                blocking(&jobs.store, move |s| s.recover_expired_jobs(now_ms(), attempts, &reason, &now_rfc3339()))
                    .await;
            if let Ok((requeued, failed)) = recovered {
                if requeued + failed > 0 {
                    tracing::warn!(requeued, failed, "jobs whose server stopped answering were taken back");
                }
            }
            answered(recovered.map(|_| ()));
        }
        while let Some(slot) = state.pool.try_slot() {
            let lease = jobs.settings.lease_from_now();
            match blocking(&jobs.store, move |s| s.claim_job(&lease, &now_rfc3339())).await {
                Ok(Some((job, input))) => {
                    answered(Ok(()));
                    tokio::spawn(run(state.clone(), build, job, input, slot));
                }
                other => {
                    answered(other.map(|_| ()));
                    break;
                }
            }
        }
        tokio::select! {
            _ = jobs.wake.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
        }
    }
}

/// Renews a running job's lease (storing its progress) until the job ends; a cancellation by
/// any instance, or the loss of the lease, stops the work.
async fn renew(jobs: Arc<Jobs>, id: String, control: Arc<JobControl>) {
    loop {
        tokio::time::sleep(jobs.settings.renew_every()).await;
        let (_, progress, message) = control.snapshot();
        let (key, lease) = (id.clone(), jobs.settings.lease_from_now());
        match blocking(&jobs.store, move |s| s.renew_job(&key, &lease, progress, &message, &now_rfc3339())).await {
            Ok(Renewal::Held) => {}
            Ok(Renewal::Cancelled) => control.stop(StopReason::Client),
            Ok(Renewal::Lost) => {
                tracing::warn!(job = %id, "another instance took over the job (its lease expired); stopping it here");
                control.stop(StopReason::Lost);
            }
            // The database is away: the work goes on; if the lease expires meanwhile, the next
            // renewal finds the job lost.
            Err(e) => tracing::warn!(job = %id, error = %e.detail, "renewing the job's lease failed"),
        }
    }
}

async fn run(state: Shared, build: BuildWork, mut job: JobRecord, input: String, slot: Slot) {
    let jobs = state.jobs.clone();
    let control = Arc::new(JobControl::new());
    control.set(JobStatus::Running, 0.0, "starting");
    jobs.live().insert(job.id.clone(), control.clone());
    let renewer = tokio::spawn(renew(jobs.clone(), job.id.clone(), control.clone()));
    let kind = JobKind::parse(&job.kind);
    let (worker, ctl) = (state.clone(), control.clone());
    let outcome = SolverPool::run(slot, move || {
        let kind = kind.ok_or_else(|| ApiError::internal("a job of a kind this server does not know"))?;
        let input: JobInput = serde_json::from_str(&input)
            .map_err(|e| ApiError::internal(format!("the job's stored input cannot be read: {e}")))?;
        let work = build(&worker, kind, &input)?;
        if ctl.cancel.load(Ordering::SeqCst) {
            return Err(cancelled());
        }
        work(&ctl)
    })
    .await
    .and_then(|r| r);
    renewer.abort();
    let (_, progress, message) = control.snapshot();
    job.updated_at = now_rfc3339();
    job.progress = progress;
    let instance = jobs.settings.instance.clone();
    let stored = match (control.reason(), outcome) {
        // Cancelled (stored by the cancel) or taken over by another instance: nothing to store.
        (StopReason::Client | StopReason::Lost, _) => Ok(true),
        (StopReason::Shutdown, _) => {
            tracing::info!(job = %job.id, "the server is stopping: the job goes back in the queue");
            let id = job.id.clone();
            blocking(&jobs.store, move |s| s.release_job(&id, &instance, &now_rfc3339())).await
        }
        (StopReason::None, outcome) => {
            match outcome {
                Ok(result) => {
                    job.status = JobStatus::Succeeded;
                    job.progress = 1.0;
                    job.message = "done".into();
                    job.result = Some(result.to_string());
                }
                Err(e) => {
                    job.status = JobStatus::Failed;
                    job.message = if message.is_empty() { e.title.clone() } else { format!("failed while {message}") };
                    job.error = Some(e.body().to_string());
                }
            }
            let done = job.clone();
            blocking(&jobs.store, move |s| s.finish_job(&done, &instance)).await
        }
    };
    match stored {
        Ok(true) => {}
        Ok(false) => {
            tracing::warn!(job = %job.id, "the job was taken over or cancelled meanwhile; its end is not stored")
        }
        Err(e) => tracing::error!(job = %job.id, error = %e.detail, "storing the job's end failed"),
    }
    jobs.live().remove(&job.id);
    jobs.wake.notify_one();
}

/// Submits a job of `kind` for a request: its work is built once now, so a bad request is a
/// `4xx` before anything is queued, then stored in the queue (with the request's
/// `Idempotency-Key`, if any).
pub async fn submit_request(
    state: &Shared,
    headers: &axum::http::HeaderMap,
    kind: JobKind,
    input: JobInput,
) -> Result<axum::response::Response, ApiError> {
    drop(crate::routes::build_work(state, kind, &input)?);
    let key = crate::idempotency::key(headers, kind.endpoint(), &input)?;
    let (job, replayed) = state.jobs.submit(kind, &input, key).await?;
    Ok(accepted(&job, replayed))
}

/// `202 Accepted` with the job and `Location: /v1/jobs/{id}` (`Idempotent-Replayed: true` when
/// the job was made by an earlier request with the same key).
pub fn accepted(job: &JobRecord, replayed: bool) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut response = (axum::http::StatusCode::ACCEPTED, axum::Json(job_json(job))).into_response();
    if replayed {
        crate::idempotency::mark_replayed(&mut response);
    }
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
        "attempts": job.attempts,
        "instance": job.instance,
        "links": {"self": format!("/v1/jobs/{}", job.id)},
    })
}
