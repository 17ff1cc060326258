//! One trip request, start to finish, on a loaded region: candidates, the solver, the minimal
//! core and verified repairs when the trip is impossible, the checker's verdict, and the answer in
//! the JSON shape and the report formats the CLI and the REST API both serve.

use crate::planning::{build_problem, CandidateLimits, PlanningError, Pruning};
use crate::Region;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tripsmith_model::{LatLon, Profile, Progress};
use tripsmith_planner::cores::every_core;
use tripsmith_planner::explain::describe;
use tripsmith_planner::repair::{repairs, Repair};
use tripsmith_planner::report::{html, markdown, ReportData};
use tripsmith_planner::{check, milp, Backend, Itinerary, Label, Outcome, PlanError, Problem, TripRequest, Violation};

/// How a request is solved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolveOptions {
    /// Which solver.
    pub backend: Backend,
    /// How many candidates of each kind the solver sees.
    pub limits: CandidateLimits,
    /// Time for the solver, core minimisation included.
    pub solve_time: Duration,
    /// Time for verifying repairs of an impossible trip (0: none are searched).
    pub repair_time: Duration,
    /// Whether an impossible trip's every minimal core is looked for (up to [`MOST_CORES`],
    /// within the repair time, which the repairs then share), not only the first.
    pub all_cores: bool,
}

impl SolveOptions {
    /// `backend` with its default candidate limits, `time` for the solve and as much for repairs,
    /// one core.
    pub fn for_backend(backend: Backend, time: Duration) -> Self {
        Self {
            backend,
            limits: CandidateLimits::for_backend(backend),
            solve_time: time,
            repair_time: time,
            all_cores: false,
        }
    }
}

/// At most this many minimal cores are listed when every core is asked for.
pub const MOST_CORES: usize = 10;

/// Why a request could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum TripError {
    /// The planning problem could not be built (unknown place, unroutable candidate).
    #[error(transparent)]
    Planning(#[from] PlanningError),
    /// The solver failed to run.
    #[error(transparent)]
    Solver(#[from] PlanError),
    /// The caller cancelled the work.
    #[error("cancelled")]
    Cancelled,
}

/// The stages [`solve_trip`] reports to its [`Progress`], in order (`done` = index, `total` = 4).
pub const STAGES: [&str; 4] = ["building candidates and travel times", "solving", "verifying repairs", "checking"];

/// A solved request: the problem, what the solver found and the verified repairs.
pub struct TripAnswer {
    /// The planning problem (candidates, travel times) the solver saw.
    pub problem: Problem,
    /// What the solver found.
    pub outcome: Outcome,
    /// Verified repairs when the trip is impossible, smallest first.
    pub repairs: Vec<Repair>,
    /// Every minimal core found when the trip is impossible, the outcome's own first (only that
    /// one unless every core was asked for).
    pub cores: Vec<Vec<Label>>,
    /// What candidate pruning kept.
    pub pruning: Pruning,
    /// The backend that answered (the route search hands requests it cannot plan to the MILP).
    pub engine: Backend,
    /// An upper bound on the value any plan of these candidates collects, when there is a plan
    /// (the plan's own value when it is proven optimal).
    pub bound: Option<f64>,
}

/// Solves `request` on `region`. `cancel` is checked between stages.
pub fn solve_trip(
    region: &Region,
    request: &TripRequest,
    options: &SolveOptions,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Result<TripAnswer, TripError> {
    let stage = |i: usize| {
        if cancel.load(Ordering::Relaxed) {
            return Err(TripError::Cancelled);
        }
        progress.update(STAGES[i], i as u64, STAGES.len() as u64);
        Ok(())
    };
    stage(0)?;
    let started = std::time::Instant::now();
    let (mut problem, mut pruning) = build_problem(region, request, options.limits)?;
    stage(1)?;
    let mut limits = options.limits;
    let mut backend = options.backend;
    let found = match backend {
        // The search's progress moves the "solving" stage from 1/4 towards 2/4.
        Backend::Search => tripsmith_planner::search::plan(&problem, options.solve_time, &|f| {
            progress.update(STAGES[1], 1000 + (1000.0 * f.clamp(0.0, 1.0)) as u64, 4000)
        }),
        _ => None,
    };
    let outcome = match found {
        Some(plan) => Outcome::Feasible { plan, optimal: false },
        None => {
            if backend == Backend::Search {
                // The search met not every slot and requirement: the MILP decides, on the
                // candidates it can prove things about.
                backend = Backend::Milp;
                limits = CandidateLimits::for_backend(backend);
                (problem, pruning) = build_problem(region, request, limits)?;
            }
            if backend == Backend::Milp && milp::uses_nearest_arcs(&problem) {
                pruning.nearest_arcs = Some(milp::NEAREST_ARCS);
            }
            backend.solve(&problem, options.solve_time.saturating_sub(started.elapsed()))?
        }
    };
    let bound = match &outcome {
        Outcome::Feasible { plan, optimal: true } => Some(plan.value()),
        outcome => outcome.plan().and_then(|_| tripsmith_planner::bound::value_bound(&problem)),
    };
    stage(2)?;
    // Finding further cores and verifying repairs share the repair time.
    let per_check = options.repair_time.min(Duration::from_secs(5));
    let deadline = std::time::Instant::now() + options.repair_time;
    let cores = match &outcome {
        Outcome::Infeasible { core } if options.all_cores => {
            let labels = problem.request.labels();
            every_core(&labels, core.clone(), MOST_CORES, |relaxed| {
                let left = deadline.saturating_duration_since(std::time::Instant::now()).min(per_check);
                backend.is_feasible(&problem, left, relaxed).ok().flatten()
            })
        }
        Outcome::Infeasible { core } => vec![core.clone()],
        _ => Vec::new(),
    };
    let repairs = match &outcome {
        Outcome::Infeasible { .. } if !options.repair_time.is_zero() => {
            let rebuild = |r: &TripRequest| build_problem(region, r, limits).ok().map(|(p, _)| p);
            // Every label of some core: relaxing it removes at least that conflict.
            let mut labels: Vec<Label> = cores.iter().flatten().cloned().collect();
            labels.sort();
            labels.dedup();
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            repairs(&problem, &labels, &rebuild, backend, per_check, left)
        }
        _ => Vec::new(),
    };
    stage(3)?;
    Ok(TripAnswer { problem, outcome, repairs, cores, pruning, engine: backend, bound })
}

/// The verdict of a planning run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// An itinerary meets every constraint.
    Feasible,
    /// No itinerary exists; see `core` and `repairs`.
    Infeasible,
    /// The time ran out; `plan` is the best verified itinerary found, if any.
    Timeout,
}

impl PlanStatus {
    /// The JSON name (`feasible`, `infeasible`, `timeout`).
    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Feasible => "feasible",
            PlanStatus::Infeasible => "infeasible",
            PlanStatus::Timeout => "timeout",
        }
    }
}

/// A core label with the constraint in the traveller's words.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ExplainedLabel {
    /// The constraint's label (`budget`, `day[1].start`, ...).
    pub label: Label,
    /// What it asks, with the request's own values.
    pub constraint: String,
}

/// What the independent checker found in the plan.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CheckerVerdict {
    /// Every violated constraint (empty: the plan is valid).
    pub violations: Vec<Violation>,
}

/// The answer to a trip request as JSON: what `tripsmith plan --json` prints and the REST API serves.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PlanSummary {
    /// The verdict.
    pub status: PlanStatus,
    /// Whether the plan is proven optimal (best score less the variety penalty, then least travel).
    pub optimal: bool,
    /// The backend that found the answer: `search` (the route search), or `milp`/`smt`.
    pub engine: Backend,
    /// An upper bound on the plan's value (score less the variety penalty) over every plan of
    /// the candidates considered, from a relaxation solved by HiGHS; the value itself when the
    /// plan is proven optimal. Absent without a plan.
    pub bound: Option<f64>,
    /// How far the plan's value may be from the best: (bound − value) / bound, 0 when the
    /// value reaches the bound (no plan of these candidates collects more). Absent without a plan.
    pub gap: Option<f64>,
    /// The itinerary (feasible, or the best found before a time-out).
    pub plan: Option<Itinerary>,
    /// A minimal set of the request's constraint labels that cannot hold together (infeasible).
    pub core: Vec<Label>,
    /// The core in words.
    pub explanation: Vec<ExplainedLabel>,
    /// Every minimal core found, `core` first (`explain` and `all_cores` look for all of them;
    /// otherwise only `core`). Each is a conflict of its own: a change must relax one label of
    /// every core.
    pub cores: Vec<Vec<Label>>,
    /// Changes to the request, each verified to make the trip possible, smallest first.
    pub repairs: Vec<Repair>,
    /// The independent checker's verdict on the plan.
    pub checker: CheckerVerdict,
    /// What candidate pruning kept.
    pub candidates: Pruning,
}

/// The formats of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// Self-contained HTML with SVG day maps.
    Html,
    /// Markdown.
    Markdown,
}

impl TripAnswer {
    /// The JSON answer; the plan is re-checked by the independent checker.
    pub fn summary(&self) -> PlanSummary {
        let (status, optimal, core) = match &self.outcome {
            Outcome::Feasible { optimal, .. } => (PlanStatus::Feasible, *optimal, Vec::new()),
            Outcome::Infeasible { core } => (PlanStatus::Infeasible, false, core.clone()),
            Outcome::Timeout { .. } => (PlanStatus::Timeout, false, Vec::new()),
        };
        let plan = self.outcome.plan();
        let value = plan.map(Itinerary::value);
        PlanSummary {
            status,
            optimal,
            engine: self.engine,
            bound: self.bound,
            gap: value.zip(self.bound).map(|(value, bound)| tripsmith_planner::bound::gap(value, bound)),
            plan: plan.cloned(),
            explanation: core.iter().map(|l| self.explained(l)).collect(),
            core,
            cores: self.cores.clone(),
            repairs: self.repairs.clone(),
            checker: CheckerVerdict { violations: plan.map(|p| check(&self.problem, p)).unwrap_or_default() },
            candidates: self.pruning.clone(),
        }
    }

    /// A core label with its constraint in words, and for a must-visit place closed on some day
    /// of the trip, that fact.
    pub fn explained(&self, label: &Label) -> ExplainedLabel {
        let mut constraint = describe(&self.problem.request, label);
        if let Some(fact) = closed_fact(&self.problem, label) {
            constraint = format!("{constraint} ({fact})");
        }
        ExplainedLabel { label: label.clone(), constraint }
    }

    /// A title in the traveller's words: the destination (the request's `region`, else the
    /// extract's country) and the dates, e.g. `Monaco, 3 days from 24 December 2026`.
    pub fn title(&self, region: &Region) -> String {
        let r = &self.problem.request;
        let place = r.region.clone().or_else(|| {
            let code = region.summary().country.as_deref()?;
            code.parse::<tripsmith_planner::hours::Country>().ok().map(|c| c.name().to_string())
        });
        let place = place.unwrap_or_else(|| region.name().rsplit('/').next().unwrap_or_default().to_string());
        let days = if r.days == 1 { "1 day".to_string() } else { format!("{} days", r.days) };
        match r.start_date {
            Some(d) if r.days == 1 => format!("{place}, {}", tripsmith_planner::hours::date_in_words(d)),
            Some(d) => format!("{place}, {days} from {}", tripsmith_planner::hours::date_in_words(d)),
            None => format!("{place}, {days}"),
        }
    }

    /// The report titled `title`, with each day's route drawn on `region`'s roads.
    pub fn report(&self, region: &Region, title: &str, format: ReportFormat) -> String {
        let plan = self.outcome.plan();
        let violations = plan.map(|p| check(&self.problem, p)).unwrap_or_default();
        // Only the HTML report draws maps; routing every leg and collecting the road network is
        // the costly part, so Markdown skips it.
        let maps = plan.filter(|_| format == ReportFormat::Html);
        let data = ReportData {
            title: title.to_string(),
            problem: &self.problem,
            outcome: &self.outcome,
            repairs: &self.repairs,
            cores: self
                .cores
                .iter()
                .map(|core| core.iter().map(|l| (l.clone(), self.explained(l).constraint)).collect())
                .collect(),
            violations: &violations,
            engine: self.engine,
            bound: self.bound,
            legs: maps.map(|p| crate::export::leg_geometry(region, &self.problem, p)).unwrap_or_default(),
            roads: maps.map(|_| road_segments(region, &self.problem)).unwrap_or_default(),
        };
        match format {
            ReportFormat::Html => html(&data),
            ReportFormat::Markdown => markdown(&data),
        }
    }
}

/// For a must-visit label whose place cannot be visited on some day of the trip by its hours:
/// the fact, in words (`the Oceanographic Museum is closed on 25 December 2026`).
fn closed_fact(problem: &Problem, label: &Label) -> Option<String> {
    let Label::MustVisit(reference) = label else { return None };
    let c = &problem.candidates[problem.find(reference)?];
    let hours = c.hours.as_ref()?;
    let r = &problem.request;
    let dates = problem.dates();
    let closed: Vec<usize> = (0..r.days as usize)
        .filter(|&d| {
            let (start, end) = r.day_window(d as u32 + 1);
            !hours.on(d).iter().any(|w| {
                let (a, b) = (w.start.max(start.minutes()), w.end.min(end.minutes()));
                b >= a.saturating_add(c.visit_minutes)
            })
        })
        .collect();
    if closed.is_empty() {
        return None;
    }
    let when = |d: usize| match r.start_date {
        Some(_) => tripsmith_planner::hours::date_in_words(dates[d]),
        None => format!("day {}", d + 1),
    };
    // Closed all day, or open only outside the day's hours or too briefly for a visit.
    let (shut, short): (Vec<usize>, Vec<usize>) = closed.into_iter().partition(|&d| hours.on(d).is_empty());
    let list = |days: &[usize]| days.iter().map(|&d| when(d)).collect::<Vec<_>>().join(", ");
    let mut facts = Vec::new();
    if !shut.is_empty() {
        facts.push(format!("{} is closed on {}", c.name, list(&shut)));
    }
    if !short.is_empty() {
        facts.push(format!(
            "{} is not open for a {}-minute visit within the day's hours on {}",
            c.name,
            c.visit_minutes,
            list(&short)
        ));
    }
    Some(format!("{}; opening hours: {}", facts.join("; "), c.opening_hours.as_deref().unwrap_or("as listed")))
}

/// The first allowed mode's road segments (each once), for the maps' background.
fn road_segments(region: &Region, problem: &Problem) -> Vec<[LatLon; 2]> {
    let mode = problem.request.travel.modes.first().copied().unwrap_or(Profile::Foot);
    let g = region.router(mode).graph();
    (0..g.num_nodes() as u32)
        .flat_map(|u| g.out_edges(u).map(move |e| (u, g.head[e])))
        .filter(|(u, v)| u < v)
        .map(|(u, v)| [g.coords[u as usize], g.coords[v as usize]])
        .collect()
}
