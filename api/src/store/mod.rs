//! Persistence of plans, jobs and idempotency keys behind the [`Store`] trait:
//! [`sqlite::SqliteStore`] is the embedded default, [`postgres::PostgresStore`] a database that
//! several API instances share (jobs claimed with `FOR UPDATE SKIP LOCKED`, held under leases).
//! [`StoreLocation`] says which, from `--db`.

pub mod postgres;
pub mod sqlite;

use serde::{Deserialize, Serialize};

/// A stored answer to a trip request.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanRecord {
    /// Its id (`pl_...`).
    pub id: String,
    /// When it was answered (RFC 3339, UTC).
    pub created_at: String,
    /// The region it was planned on.
    pub region: String,
    /// `feasible`, `infeasible` or `timeout`.
    pub status: String,
    /// The trip request, JSON.
    pub request: String,
    /// The answer (`PlanSummary`), JSON.
    pub summary: String,
    /// The HTML report.
    pub report_html: String,
    /// The Markdown report.
    pub report_md: String,
    /// The itinerary as GeoJSON (`None` without an itinerary, or stored before exports were kept).
    pub report_geojson: Option<String>,
    /// The itinerary as GPX (`None` as for GeoJSON).
    pub report_gpx: Option<String>,
    /// The itinerary as iCalendar (`None` as for GeoJSON, and for a trip without dates).
    pub report_ics: Option<String>,
}

/// A stored plan as a list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanListing {
    /// Its id.
    pub id: String,
    /// When it was answered (RFC 3339, UTC).
    pub created_at: String,
    /// The region it was planned on.
    pub region: String,
    /// `feasible`, `infeasible` or `timeout`.
    pub status: String,
}

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Waiting for a solver worker.
    Queued,
    /// Running.
    Running,
    /// Finished with a result.
    Succeeded,
    /// Finished with an error (or interrupted by a server stop).
    Failed,
    /// Cancelled by the client.
    Cancelled,
}

impl JobStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Succeeded => "succeeded",
            JobStatus::Failed => "failed",
            JobStatus::Cancelled => "cancelled",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Queued, Self::Running, Self::Succeeded, Self::Failed, Self::Cancelled]
            .into_iter()
            .find(|j| j.as_str() == s)
    }

    /// Whether the job has ended.
    pub fn is_final(self) -> bool {
        matches!(self, JobStatus::Succeeded | JobStatus::Failed | JobStatus::Cancelled)
    }
}

/// A stored job.
#[derive(Debug, Clone, PartialEq)]
pub struct JobRecord {
    /// Its id (`jb_...`).
    pub id: String,
    /// What it does (`plan`, `vrp`, ...).
    pub kind: String,
    /// Where it is.
    pub status: JobStatus,
    /// 0–1.
    pub progress: f64,
    /// What it is doing, in words.
    pub message: String,
    /// When it was submitted (RFC 3339, UTC).
    pub created_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
    /// The result document (succeeded).
    pub result: Option<String>,
    /// The error document (failed).
    pub error: Option<String>,
    /// How many times an instance has started it.
    pub attempts: u32,
    /// The server instance running it, or that ran it last.
    pub instance: Option<String>,
}

/// An `Idempotency-Key` as stored: the key the client sent, what it was sent to (method and
/// path) and a fingerprint of the request, so a repeat with another body is told apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey {
    /// The method and path (`POST /v1/plans`).
    pub scope: String,
    /// The client's key.
    pub key: String,
    /// A fingerprint of the query and body.
    pub fingerprint: String,
}

/// What became of a job submission.
#[derive(Debug, Clone, PartialEq)]
pub enum Enqueued {
    /// Stored as queued.
    Queued,
    /// The idempotency key was used before for the same request: the job it made.
    Repeated(Box<JobRecord>),
    /// The idempotency key was used before for another request.
    KeyReused,
    /// As many jobs as allowed are waiting already.
    QueueFull,
}

/// Where an idempotency key stands when a synchronous request reserves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyState {
    /// Not seen before: now reserved for this request.
    Reserved,
    /// Answered before: the id of what the first request made (`pl_…` or `jb_…`).
    Answered(String),
    /// The first request with this key is still being answered.
    Pending,
    /// The key was used before for another request.
    Reused,
}

/// What a running job's instance learns when it renews its lease.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renewal {
    /// The lease is extended: go on.
    Held,
    /// The job was cancelled (by a client, on any instance): stop.
    Cancelled,
    /// Another instance took the job over (this one's lease had expired): stop, store nothing.
    Lost,
}

/// Jobs by status and instance, for metrics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobCount {
    /// `queued` or `running`.
    pub status: JobStatus,
    /// The instance running them (none while queued).
    pub instance: Option<String>,
    /// How many.
    pub count: u64,
}

/// A lease on a running job: who holds it and until when (milliseconds since the Unix epoch,
/// by the holder's clock).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// The instance holding it.
    pub instance: String,
    /// When it expires.
    pub until_ms: i64,
}

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The SQLite database reported an error.
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    /// The PostgreSQL server reported an error.
    #[error("PostgreSQL: {0}")]
    Postgres(String),
    /// The database cannot be reached now (no connection could be made, or it was lost).
    #[error("the database cannot be reached: {0}")]
    Unavailable(String),
    /// A stored value is not what this version expects.
    #[error("database holds an unexpected value: {0}")]
    Corrupt(String),
    /// The database was written by a newer version of tripsmith.
    #[error("the database schema is version {found}, newer than this tripsmith ({known}); upgrade tripsmith")]
    TooNew {
        /// Its version.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
}

/// Plans, jobs and idempotency keys, durably: a write has returned only once it survives a
/// crash of the process. Several server instances may share one store: jobs are claimed by one
/// instance at a time under a lease, and every job update is conditional on holding it.
pub trait Store: Send + Sync {
    /// Stores a new plan.
    fn insert_plan(&self, plan: &PlanRecord) -> Result<(), StoreError>;
    /// The plan with `id`, if any.
    fn plan(&self, id: &str) -> Result<Option<PlanRecord>, StoreError>;
    /// Up to `limit` stored plans (of `status`, when given), newest first, after skipping
    /// `offset`; their reports and documents left out.
    fn list_plans(&self, status: Option<&str>, limit: usize, offset: usize) -> Result<Vec<PlanListing>, StoreError>;
    /// Stores a queued job with its `input` (what [`crate::jobs`] rebuilds the work from), unless
    /// `max_queued` jobs wait already or `key` was used before (then what it made).
    fn enqueue_job(
        &self,
        job: &JobRecord,
        input: &str,
        key: Option<&IdempotencyKey>,
        max_queued: usize,
    ) -> Result<Enqueued, StoreError>;
    /// The job with `id`, if any.
    fn job(&self, id: &str) -> Result<Option<JobRecord>, StoreError>;
    /// Takes the oldest queued job for `lease.instance` (status `running`, one more attempt,
    /// message `starting`): the job and its input. Two instances never take the same job.
    fn claim_job(&self, lease: &Lease, now: &str) -> Result<Option<(JobRecord, String)>, StoreError>;
    /// Extends the lease of a job this instance runs and records its progress.
    fn renew_job(
        &self,
        id: &str,
        lease: &Lease,
        progress: f64,
        message: &str,
        now: &str,
    ) -> Result<Renewal, StoreError>;
    /// Stores the end of a job (its status, progress, message, result, error) if `instance`
    /// still holds it; returns whether it did.
    fn finish_job(&self, job: &JobRecord, instance: &str) -> Result<bool, StoreError>;
    /// Puts a job this instance runs back in the queue (a graceful stop), without counting the
    /// attempt; returns whether it did.
    fn release_job(&self, id: &str, instance: &str, now: &str) -> Result<bool, StoreError>;
    /// Cancels a queued or running job (a running one's instance stops at its next renewal);
    /// the job as it then stands, `None` when there is no such job.
    fn cancel_job(&self, id: &str, now: &str) -> Result<Option<JobRecord>, StoreError>;
    /// Running jobs whose lease expired before `now_ms` (their instance died or lost the
    /// database): back in the queue, or failed with `reason` once they had `max_attempts`.
    /// Returns how many were re-queued and how many failed.
    fn recover_expired_jobs(
        &self,
        now_ms: i64,
        max_attempts: u32,
        reason: &str,
        now: &str,
    ) -> Result<(usize, usize), StoreError>;
    /// Queued and running jobs counted by status and instance.
    fn job_counts(&self) -> Result<Vec<JobCount>, StoreError>;
    /// Reserves `key` for a synchronous request, unless it was used before (an unfinished
    /// reservation older than `stale_ms` is taken over: its request died).
    fn reserve_key(&self, key: &IdempotencyKey, now_ms: i64, stale_ms: i64) -> Result<KeyState, StoreError>;
    /// Records what the request that reserved `key` made.
    fn complete_key(&self, key: &IdempotencyKey, target: &str) -> Result<(), StoreError>;
    /// Forgets a reservation whose request failed before making anything, so a retry runs.
    fn release_key(&self, key: &IdempotencyKey) -> Result<(), StoreError>;
    /// Checks that the store answers.
    fn ping(&self) -> Result<(), StoreError>;
}

/// The message of a job re-queued by [`Store::recover_expired_jobs`].
pub const REQUEUED: &str = "waiting for a solver worker (its server stopped answering)";
/// The message of a job put back by [`Store::release_job`].
pub const RELEASED: &str = "waiting for a solver worker (its server was stopped)";

/// Where the store lives: a SQLite file, or a PostgreSQL server (`postgres://` or
/// `postgresql://` URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreLocation {
    /// A SQLite file (created when missing).
    Sqlite(std::path::PathBuf),
    /// A PostgreSQL connection URL.
    Postgres(String),
}

impl std::str::FromStr for StoreLocation {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            Ok(Self::Postgres(s.to_string()))
        } else if s.is_empty() {
            Err("give a SQLite file or a postgres:// URL".into())
        } else if s.contains("://") {
            Err(format!("{s:?}: only SQLite files and postgres:// URLs are supported"))
        } else {
            Ok(Self::Sqlite(s.into()))
        }
    }
}

impl std::fmt::Display for StoreLocation {
    /// The file, or the URL without its password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "{}", path.display()),
            Self::Postgres(url) => f.write_str(&postgres::without_password(url)),
        }
    }
}

impl StoreLocation {
    /// `sqlite` or `postgres`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }

    /// Opens (or creates) the store and brings its schema up to date.
    pub fn open(&self) -> Result<std::sync::Arc<dyn Store>, StoreError> {
        Ok(match self {
            Self::Sqlite(path) => std::sync::Arc::new(sqlite::SqliteStore::open(path)?),
            Self::Postgres(url) => std::sync::Arc::new(postgres::PostgresStore::connect(url)?),
        })
    }
}

/// Job counts from rows of (status, instance, count): a queued job keeps the instance that ran
/// it last, which the queue's count leaves out, so such rows are added together.
fn job_counts_from(rows: Vec<(String, Option<String>, i64)>) -> Result<Vec<JobCount>, StoreError> {
    let mut merged: Vec<JobCount> = Vec::new();
    for (status, instance, count) in rows {
        let status = JobStatus::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("job status {status:?}")))?;
        let instance = if status == JobStatus::Queued { None } else { instance };
        let count = count.max(0) as u64;
        match merged.iter_mut().find(|m| m.status == status && m.instance == instance) {
            Some(m) => m.count += count,
            None => merged.push(JobCount { status, instance, count }),
        }
    }
    Ok(merged)
}

/// A request's fingerprint for idempotency keys: FNV-1a (64 bits) of its parts, with their
/// lengths, so equal requests agree and a changed body is told apart.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut length = 0usize;
    for part in parts {
        for byte in part.len().to_le_bytes().iter().chain(part.as_bytes()) {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        length += part.len();
    }
    format!("{hash:016x}-{length}")
}
