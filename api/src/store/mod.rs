//! Persistence of plans and jobs behind the [`Store`] trait; [`sqlite::SqliteStore`] is the
//! embedded default. A shared database (PostgreSQL) implementing the same trait lets several
//! stateless API nodes serve the same plans and jobs.

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
    /// What it does (`plan`).
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
}

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database reported an error.
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
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

/// Plans and jobs, durably: a write has returned only once it survives a crash of the process.
pub trait Store: Send + Sync {
    /// Stores a new plan.
    fn insert_plan(&self, plan: &PlanRecord) -> Result<(), StoreError>;
    /// The plan with `id`, if any.
    fn plan(&self, id: &str) -> Result<Option<PlanRecord>, StoreError>;
    /// Up to `limit` stored plans (of `status`, when given), newest first, after skipping
    /// `offset`; their reports and documents left out.
    fn list_plans(&self, status: Option<&str>, limit: usize, offset: usize) -> Result<Vec<PlanListing>, StoreError>;
    /// Stores a job, replacing the record with the same id.
    fn put_job(&self, job: &JobRecord) -> Result<(), StoreError>;
    /// The job with `id`, if any.
    fn job(&self, id: &str) -> Result<Option<JobRecord>, StoreError>;
    /// Marks every queued or running job failed with `reason` (after a restart); returns how many.
    fn fail_unfinished_jobs(&self, reason: &str, now: &str) -> Result<usize, StoreError>;
    /// Checks that the store answers.
    fn ping(&self) -> Result<(), StoreError>;
}
