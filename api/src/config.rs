//! How the server runs: address, database, pool size, deadlines, limits.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Server settings (`tripsmith serve` flags).
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Where to listen (port 0: any free port; the bound address is logged and printed).
    pub listen: SocketAddr,
    /// The SQLite database file (created when missing).
    pub db: PathBuf,
    /// Solver workers (at most this many solves at once).
    pub workers: usize,
    /// Requests and jobs allowed to wait for a worker; beyond it `503` + `Retry-After`.
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
            db: PathBuf::from("tripsmith.db"),
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
