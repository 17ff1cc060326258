//! How the server runs: address, database, pool size, deadlines, limits.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

pub use crate::store::StoreLocation;

/// `HOST-PID`: the host name (from `/etc/hostname` or `$HOSTNAME`) and the process id.
pub fn default_instance() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "tripsmith".into());
    format!("{host}-{}", std::process::id())
}

/// Server settings (`tripsmith serve` flags).
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Where to listen (port 0: any free port; the bound address is logged and printed).
    pub listen: SocketAddr,
    /// The store: a SQLite file (created when missing) or a PostgreSQL URL that several
    /// instances share.
    pub db: StoreLocation,
    /// This instance's name, stored with the jobs it runs (default: host name and process id).
    pub instance: String,
    /// How long a job stays this instance's without a lease renewal; after that another
    /// instance takes it back (this instance renews about every second).
    pub job_lease: Duration,
    /// Starts of one job before an expired lease fails it instead of queueing it again.
    pub job_attempts: u32,
    /// Solver workers (at most this many solves at once).
    pub workers: usize,
    /// Requests allowed to wait for a worker, and jobs allowed to wait in the queue; beyond it
    /// `503` + `Retry-After`.
    pub queue: usize,
    /// Deadline of a request that names none.
    pub default_deadline: Duration,
    /// The longest deadline a client may ask for.
    pub max_deadline: Duration,
    /// Largest request body, bytes.
    pub body_limit: usize,
    /// Log one JSON object per line instead of text.
    pub json_logs: bool,
    /// How long a shutdown waits for running jobs before reporting them failed.
    pub shutdown_grace: Duration,
    /// The TravelPlanner data folder, for `POST /v1/travelplanner/plans` (none: that endpoint
    /// answers 404).
    pub travelplanner: Option<PathBuf>,
    /// A folder of TNTP network folders, for `POST /v1/assignments` (none: that endpoint
    /// answers 404).
    pub tntp: Option<PathBuf>,
    /// A folder of check-in data sets, for `POST /v1/recommendations/training` (none: that
    /// endpoint answers 404).
    pub checkins: Option<PathBuf>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            db: StoreLocation::Sqlite(PathBuf::from("tripsmith.db")),
            instance: default_instance(),
            job_lease: Duration::from_secs(15),
            job_attempts: 3,
            workers: cores,
            queue: 64,
            default_deadline: Duration::from_secs(20),
            max_deadline: Duration::from_secs(120),
            body_limit: 256 * 1024,
            json_logs: false,
            shutdown_grace: Duration::from_secs(10),
            travelplanner: None,
            tntp: None,
            checkins: None,
        }
    }
}
