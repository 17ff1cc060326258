//! Prometheus text metrics: requests by route and status, latency histograms by route, plans by
//! verdict, and the solver pool's and jobs' state.

use crate::store::{JobCount, JobStatus};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;

/// Latency histogram bucket bounds, seconds.
const BUCKETS: [f64; 12] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0, 60.0];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// Counters and histograms, updated by the request middleware and the handlers.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    plans: Mutex<BTreeMap<String, u64>>,
}

/// Gauges read when the metrics are rendered.
pub struct Gauges {
    /// Solver workers.
    pub workers: usize,
    /// Busy workers.
    pub busy: usize,
    /// Callers waiting for a worker.
    pub waiting: usize,
    /// This instance's name.
    pub instance: String,
    /// Jobs running on this instance.
    pub jobs_here: usize,
    /// What the store says of every instance's jobs (`None`: the store did not answer).
    pub queue: Option<Vec<JobCount>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

impl Metrics {
    /// Records one answered request.
    pub fn request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        *lock(&self.requests).entry((method.to_string(), route.to_string(), status)).or_default() += 1;
        let mut latency = lock(&self.latency);
        let h = latency.entry(route.to_string()).or_default();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                h.counts[i] += 1;
            }
        }
        h.count += 1;
        h.sum += seconds;
    }

    /// Records one answered trip request by verdict (`feasible`, `infeasible`, `timeout`).
    pub fn plan(&self, status: &str) {
        *lock(&self.plans).entry(status.to_string()).or_default() += 1;
    }

    /// The Prometheus text exposition.
    pub fn render(&self, g: &Gauges) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# HELP tripsmith_http_requests_total HTTP requests answered.");
        let _ = writeln!(out, "# TYPE tripsmith_http_requests_total counter");
        for ((method, route, status), n) in lock(&self.requests).iter() {
            let _ = writeln!(
                out,
                "tripsmith_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {n}",
                escape(method),
                escape(route)
            );
        }
        let _ = writeln!(out, "# HELP tripsmith_http_request_duration_seconds Time to answer HTTP requests.");
        let _ = writeln!(out, "# TYPE tripsmith_http_request_duration_seconds histogram");
        for (route, h) in lock(&self.latency).iter() {
            let route = escape(route);
            for (bound, n) in BUCKETS.iter().zip(h.counts) {
                let _ = writeln!(
                    out,
                    "tripsmith_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "tripsmith_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(out, "tripsmith_http_request_duration_seconds_sum{{route=\"{route}\"}} {}", h.sum);
            let _ = writeln!(out, "tripsmith_http_request_duration_seconds_count{{route=\"{route}\"}} {}", h.count);
        }
        let _ = writeln!(out, "# HELP tripsmith_plans_total Trip requests answered, by verdict.");
        let _ = writeln!(out, "# TYPE tripsmith_plans_total counter");
        for (status, n) in lock(&self.plans).iter() {
            let _ = writeln!(out, "tripsmith_plans_total{{status=\"{}\"}} {n}", escape(status));
        }
        for (name, help, value) in [
            ("tripsmith_solver_workers", "Solver workers.", g.workers),
            ("tripsmith_solver_workers_busy", "Solver workers busy.", g.busy),
            ("tripsmith_solver_queue_waiting", "Requests and jobs waiting for a solver worker.", g.waiting),
            ("tripsmith_jobs_running_here", "Jobs running on this instance.", g.jobs_here),
        ] {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}");
        }
        let instance = escape(&g.instance);
        let _ =
            writeln!(out, "# HELP tripsmith_instance_info This instance's name.\n# TYPE tripsmith_instance_info gauge");
        let _ = writeln!(out, "tripsmith_instance_info{{instance=\"{instance}\"}} 1");
        let _ = writeln!(out, "# HELP tripsmith_store_up Whether the store answered.\n# TYPE tripsmith_store_up gauge");
        let _ = writeln!(out, "tripsmith_store_up {}", u8::from(g.queue.is_some()));
        if let Some(counts) = &g.queue {
            let queued: u64 = counts.iter().filter(|c| c.status == JobStatus::Queued).map(|c| c.count).sum();
            let _ = writeln!(out, "# HELP tripsmith_jobs_queued Jobs waiting in the shared queue (every instance).");
            let _ = writeln!(out, "# TYPE tripsmith_jobs_queued gauge\ntripsmith_jobs_queued {queued}");
            let _ = writeln!(out, "# HELP tripsmith_jobs_running Jobs running, by the instance running them.");
            let _ = writeln!(out, "# TYPE tripsmith_jobs_running gauge");
            for c in counts.iter().filter(|c| c.status == JobStatus::Running) {
                let name = escape(c.instance.as_deref().unwrap_or(""));
                let _ = writeln!(out, "tripsmith_jobs_running{{instance=\"{name}\"}} {}", c.count);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_histograms_and_gauges() {
        let m = Metrics::default();
        m.request("GET", "/healthz", 200, 0.003);
        m.request("GET", "/healthz", 200, 0.2);
        m.plan("feasible");
        let g = Gauges {
            workers: 2,
            busy: 1,
            waiting: 0,
            instance: "a".into(),
            jobs_here: 1,
            queue: Some(vec![
                JobCount { status: JobStatus::Queued, instance: None, count: 3 },
                JobCount { status: JobStatus::Running, instance: Some("a".into()), count: 1 },
                JobCount { status: JobStatus::Running, instance: Some("b".into()), count: 2 },
            ]),
        };
        let text = m.render(&g);
        assert!(text.contains("tripsmith_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 2"));
        assert!(text.contains("tripsmith_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.005\"} 1"));
        assert!(text.contains("tripsmith_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 2"));
        assert!(text.contains("tripsmith_plans_total{status=\"feasible\"} 1"));
        assert!(text.contains("tripsmith_solver_workers_busy 1"));
        assert!(text.contains("tripsmith_jobs_queued 3"));
        assert!(text.contains("tripsmith_jobs_running{instance=\"b\"} 2"));
        assert!(text.contains("tripsmith_instance_info{instance=\"a\"} 1"));
        assert!(text.contains("tripsmith_store_up 1"));
    }
}
