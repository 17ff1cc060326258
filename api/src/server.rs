//! Building the application, the request-id and metrics middleware, starting and stopping.

use crate::config::ServerConfig;
use crate::jobs::Jobs;
use crate::jobs::QueueSettings;
use crate::metrics::Metrics;
use crate::pool::SolverPool;
use crate::problem::ApiError;
use crate::routes::travelplanner::TravelPlannerData;
use crate::store::{Store, StoreError};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::Instrument;
use tripsmith_region::Region;

/// The request-id header, read from the client when given and always returned.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What every handler shares.
pub struct AppState {
    /// The loaded region.
    pub region: Arc<Region>,
    /// Plans and jobs.
    pub store: Arc<dyn Store>,
    /// The solver workers.
    pub pool: SolverPool,
    /// Background jobs.
    pub jobs: Arc<Jobs>,
    /// Counters.
    pub metrics: Metrics,
    /// Settings.
    pub config: ServerConfig,
    /// Set once a shutdown has begun (`/readyz` then answers 503).
    pub shutting_down: AtomicBool,
    /// The TravelPlanner data, when loaded.
    pub travelplanner: Option<Arc<TravelPlannerData>>,
}

/// The shared state as handlers receive it.
pub type Shared = Arc<AppState>;

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The database could not be opened.
    #[error("{path}: {source}")]
    Store {
        /// The database file or URL (without its password).
        path: String,
        /// The cause.
        source: StoreError,
    },
    /// The address could not be bound.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address.
        address: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// The TravelPlanner data could not be loaded.
    #[error("TravelPlanner data: {0}")]
    TravelPlanner(String),
    /// The server failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl AppState {
    /// Opens the store (blocking: call it off the async threads) and sets up the pool and this
    /// instance's share of the job queue.
    pub fn open(config: ServerConfig, region: Arc<Region>) -> Result<Self, ServeError> {
        let store = config.db.open().map_err(|source| ServeError::Store { path: config.db.to_string(), source })?;
        let pool = SolverPool::new(config.workers, config.queue);
        let settings = QueueSettings {
            instance: config.instance.clone(),
            lease: config.job_lease,
            max_attempts: config.job_attempts,
            max_queued: config.queue,
        };
        let jobs = Arc::new(Jobs::new(store.clone(), pool.clone(), settings));
        let travelplanner = match &config.travelplanner {
            Some(dir) => Some(Arc::new(
                TravelPlannerData::load(dir)
                    .map_err(|e| ServeError::TravelPlanner(format!("{}: {e}", dir.display())))?,
            )),
            None => None,
        };
        Ok(Self {
            region,
            store,
            pool,
            jobs,
            metrics: Metrics::default(),
            config,
            shutting_down: AtomicBool::new(false),
            travelplanner,
        })
    }
}

/// The application: every route, the fallbacks, the middleware.
pub fn app(state: Shared) -> Router {
    crate::routes::router()
        .fallback(|| async { ApiError::not_found("no such endpoint; see /docs") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed", "see /docs")
        })
        .layer(axum::middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

fn valid_request_id(v: &HeaderValue) -> Option<String> {
    let s = v.to_str().ok()?;
    let ok = !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
    ok.then(|| s.to_string())
}

/// Gives every request an id (the client's `x-request-id` when valid), logs it, returns it in
/// the response headers and records the request in the metrics.
async fn observe(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id =
        request.headers().get(&REQUEST_ID).and_then(valid_request_id).unwrap_or_else(|| crate::clock::new_id("rq"));
    let route =
        request.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_string(), |m| m.as_str().to_string());
    // Methods outside the standard set are counted together, so clients cannot grow the metrics.
    let method = match request.method().as_str() {
        m @ ("GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS" | "TRACE" | "CONNECT") => m.to_string(),
        _ => "OTHER".to_string(),
    };
    let path = request.uri().path().to_string();
    let span = tracing::info_span!("request", request_id = %id, %method, %path);
    let mut response = next.run(request).instrument(span.clone()).await;
    let seconds = started.elapsed().as_secs_f64();
    let status = response.status().as_u16();
    span.in_scope(|| tracing::info!(status, ms = (seconds * 1000.0).round() as u64, "answered"));
    state.metrics.request(&method, &route, status, seconds);
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

/// Serves `region` on `config.listen` until SIGINT or SIGTERM, then shuts down gracefully:
/// `/readyz` turns 503, no new connections are taken, no more jobs are claimed, requests in
/// flight finish (within their deadlines), running jobs are asked to stop and are put back in
/// the queue (for another instance, or this one's next start), after `shutdown_grace` at the
/// latest; the process then waits for solver calls still running to reach their
/// time limits before it exits. `bound` is told the address actually bound.
pub async fn serve(
    config: ServerConfig,
    region: Arc<Region>,
    bound: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|source| ServeError::Bind { address: config.listen, source })?;
    let grace = config.shutdown_grace;
    let state: Shared = Arc::new(
        tokio::task::spawn_blocking(move || AppState::open(config, region))
            .await
            .map_err(|e| ServeError::Io(std::io::Error::other(e)))??,
    );
    let address = listener.local_addr()?;
    tracing::info!(%address, region = state.region.name(), instance = %state.config.instance, store = %state.config.db, "listening");
    tokio::spawn(crate::jobs::dispatch(state.clone(), crate::routes::build_work));
    bound(address);
    let app = app(state.clone());
    let signal_state = state.clone();
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            tracing::info!("shutting down: finishing requests in flight, stopping jobs");
            signal_state.shutting_down.store(true, Ordering::SeqCst);
            signal_state.jobs.stop_all();
        })
        .await?;
    let until = Instant::now() + grace;
    while state.jobs.live_count() > 0 && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // A native solver call cannot be interrupted, and the process must not exit while one runs:
    // exiting runs the solver libraries' static destructors under it (heap corruption, abort).
    // Each call ends at its time limit, within its request's deadline; jobs stopped above are
    // stored failed as their calls return.
    let calls_end = Instant::now() + state.config.max_deadline;
    let busy = state.pool.load().busy;
    if busy > 0 {
        tracing::info!(calls = busy, "waiting for solver calls still running to reach their time limits");
    }
    while state.pool.load().busy > 0 && Instant::now() < calls_end {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    state.pool.close();
    let released = state.jobs.release_all().await;
    if released > 0 {
        tracing::warn!(jobs = released, "jobs still running at shutdown are back in the queue");
    }
    tracing::info!("stopped");
    Ok(())
}

/// Runs [`serve`] on a new multi-threaded runtime, logging to stderr (text, or JSON lines).
pub fn run(config: ServerConfig, region: Arc<Region>, bound: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    use std::io::IsTerminal;
    let subscriber = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::stderr().is_terminal());
    // A second call in one process keeps the first subscriber.
    let _ = if config.json_logs { subscriber.json().try_init() } else { subscriber.try_init() };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let served = runtime.block_on(serve(config, region, bound));
    // Solver calls still running were reported failed by `serve`; do not wait for them.
    runtime.shutdown_timeout(Duration::from_millis(100));
    served
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {},
        _ = terminate => {},
    }
}
