//! Evaluating a set of plans against a set of queries: per-query verdicts and the metrics, the
//! work behind `tripsmith eval travelplanner`.

use crate::christmas::ChristmasData;
use crate::database::{Database, SkippedRow};
use crate::evaluate::{evaluate, hard_count, metrics, Metrics, PlanVerdict, Sandbox as EvalSandbox};
use crate::explain::{core_reasons, explain, Change, Explanation, Repair, Sandbox};
use crate::instance::{Constraint, Instance, InstanceError};
use crate::query::{day_records, DayRecord, Flight, Query, QueryRecord};
use crate::requirement::Requirement;
use crate::run::{solve_timed, Answer};
use crate::solve::SolveError;
use serde::Serialize;
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};
use tripsmith_planner::{Money, Violation};

/// What happened to one query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryOutcome {
    /// The query's id.
    pub id: String,
    /// Its position in the query file (0-based; line `index + 1` of a `--write-plans` file).
    pub index: usize,
    /// Whether a plan was given.
    pub delivered: bool,
    /// What its plan breaks.
    pub failures: Vec<Violation<Requirement>>,
}

/// The metrics and every query's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// The benchmark's metrics.
    pub metrics: Metrics,
    /// Per query, in order.
    pub queries: Vec<QueryOutcome>,
}

/// Evaluates `plans[i]` (or no plan) for `records[i]`.
pub fn evaluate_plans(db: &Database, records: &[QueryRecord], plans: &[Option<Vec<DayRecord>>]) -> Evaluation {
    let verdicts: Vec<Option<PlanVerdict>> = records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let plan = plans.get(i).and_then(Option::as_ref)?;
            Some(evaluate(&r.query, plan, &EvalSandbox::new(db, &r.flights)))
        })
        .collect();
    let results: Vec<(usize, Option<&PlanVerdict>)> =
        records.iter().zip(&verdicts).map(|(r, v)| (hard_count(&r.query), v.as_ref())).collect();
    let queries = records
        .iter()
        .zip(&verdicts)
        .enumerate()
        .map(|(index, (r, v))| QueryOutcome {
            id: r.query.id.clone(),
            index,
            delivered: v.is_some(),
            failures: v.iter().flat_map(|v| v.violations.clone()).collect(),
        })
        .collect();
    Evaluation { metrics: metrics(&results), queries }
}

/// A plan per query (`None`: not delivered).
pub type Plans = Vec<Option<Vec<DayRecord>>>;

/// Writes plans as a submission file: one `{"idx": i, "query": text, "plan": [...]}` line per
/// query, `idx` 1-based, an empty plan for a query without one.
pub fn write_submission(out: &mut dyn std::io::Write, records: &[QueryRecord], plans: &Plans) -> std::io::Result<()> {
    for (i, r) in records.iter().enumerate() {
        let plan = plans.get(i).cloned().flatten().unwrap_or_default();
        let line = serde_json::json!({"idx": i + 1, "query": r.query.text, "plan": plan});
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Reads a submission file (TravelPlanner's JSONL: one `{"idx": 1, "plan": [...]}` per query,
/// `idx` 1-based in query order); a missing or empty plan is an undelivered one.
pub fn load_submission(path: &Path, queries: usize) -> Result<(Plans, Vec<SkippedRow>), std::io::Error> {
    let mut plans = vec![None; queries];
    let skipped = crate::jsonl::for_each_line(path, |_, line| {
        let v = serde_json::from_str::<Value>(line).map_err(|e| format!("not JSON: {e}"))?;
        let idx = v.get("idx").and_then(Value::as_u64).ok_or("idx: missing or not a whole number")? as usize;
        if idx == 0 || idx > queries {
            return Err(format!("idx {idx} is not between 1 and {queries}"));
        }
        let days = match v.get("plan") {
            Some(Value::Array(days)) => day_records(days).map_err(|e| format!("plan: {e}"))?,
            _ => Vec::new(),
        };
        plans[idx - 1] = Some(days).filter(|d| !d.is_empty());
        Ok(())
    })?;
    Ok((plans, skipped))
}

/// Where a set of queries is planned and checked.
pub enum World<'a> {
    /// The TravelPlanner database with each query's flights.
    TravelPlanner(&'a Database),
    /// The UnsatChristmas sandbox.
    Christmas(&'a ChristmasData),
}

/// How long the solver may take.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Per query, to find a plan or prove there is none.
    pub solve: Duration,
    /// Per infeasible query, to find its cores and verified repairs.
    pub explain: Duration,
}

/// One infeasible query: its cores, repairs and, where the data set says, the constraints
/// that make it infeasible.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Infeasible {
    /// The query's id.
    pub id: String,
    /// Every constraint in some minimal core.
    pub core: Vec<Constraint>,
    /// The minimal cores.
    pub cores: Vec<Vec<Constraint>>,
    /// Verified repairs.
    pub repairs: Vec<Repair>,
    /// The data set's `unsat_reason` labels (empty when it gives none).
    pub reasons: Vec<String>,
    /// The kinds of constraint in `core`, by the data set's reason names.
    pub covered: Vec<String>,
    /// Whether `core` contains every one of `reasons` (absent without reasons).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub core_contains_reasons: Option<bool>,
    /// Seconds spent on the explanation.
    pub seconds: f64,
}

/// Median and 95th percentile.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    /// Median.
    pub median: f64,
    /// 95th percentile (nearest rank).
    pub p95: f64,
}

fn spread(mut xs: Vec<f64>) -> Spread {
    if xs.is_empty() {
        return Spread { median: 0.0, p95: 0.0 };
    }
    xs.sort_by(f64::total_cmp);
    let rank = |p: f64| xs[((p * xs.len() as f64).ceil() as usize).clamp(1, xs.len()) - 1];
    let median = if xs.len() % 2 == 1 { xs[xs.len() / 2] } else { (xs[xs.len() / 2 - 1] + xs[xs.len() / 2]) / 2.0 };
    Spread { median, p95: rank(0.95) }
}

/// The shares of infeasible queries reported infeasible, whose core contains the data set's
/// reasons, and with a verified repair.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct UnsatMetrics {
    /// Share of the queries reported infeasible.
    pub reported_infeasible: f64,
    /// Share of those with reasons whose core contains them (absent when none has reasons).
    pub core_contains_reasons: Option<f64>,
    /// The same, the `budget` reason left out: UnsatChristmas's budget labels count costs
    /// beyond the flights, which its data does not have (absent when none has other reasons).
    pub core_contains_reasons_except_budget: Option<f64>,
    /// Share of the queries reported infeasible with at least one verified repair.
    pub repaired: f64,
}

/// Everything a solving run measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SolveReport {
    /// The benchmark's metrics over the plans found (an infeasible query has none). In the
    /// UnsatChristmas sandbox, a plan passes when its checker accepts it, and the commonsense
    /// and hard figures (TravelPlanner's checks) are not measured (0).
    #[serde(flatten)]
    pub metrics: Metrics,
    /// Seconds per query to a plan or a proof that none exists (explanations not included).
    pub solve_seconds: Spread,
    /// The queries without a plan and why.
    pub infeasible: Vec<Infeasible>,
    /// Queries the solver ran out of time on, or could not read.
    pub errors: Vec<(String, String)>,
    /// Failed checks of delivered plans.
    pub failures: Vec<QueryOutcome>,
    /// Measured on sets of infeasible queries (absent when every query got a plan).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unsat: Option<UnsatMetrics>,
    /// The plan of each query in submission format (`None`: none found).
    #[serde(skip)]
    pub plans: Plans,
}

impl World<'_> {
    fn build(&self, q: &Query, flights: &[Flight]) -> Result<Instance, InstanceError> {
        match self {
            World::TravelPlanner(db) => {
                Instance::from_record(db, &QueryRecord { query: q.clone(), plan: None, flights: flights.to_vec() })
            }
            World::Christmas(data) => data.instance(q),
        }
    }

    /// What a plan breaks (empty: it passes), and its verdict in the benchmark's terms.
    fn check(
        &self,
        q: &Query,
        flights: &[Flight],
        plan: &[DayRecord],
    ) -> (Vec<Violation<Requirement>>, Option<PlanVerdict>) {
        match self {
            World::TravelPlanner(db) => {
                let v = evaluate(q, plan, &EvalSandbox::new(db, flights));
                (v.violations.clone(), Some(v))
            }
            World::Christmas(data) => (data.check(q, plan).err().into_iter().collect(), None),
        }
    }

    fn alternatives(&self, q: &Query) -> Vec<Change> {
        let replace = |from: &String, to: &String| Change::ReplaceCity { from: from.clone(), to: to.clone() };
        match self {
            World::TravelPlanner(db) if q.visiting_city_number == 1 => {
                let Some(state) = db.states.get(&q.dest) else { return Vec::new() };
                let mut cities: Vec<&String> = db
                    .states
                    .iter()
                    .filter(|(c, s)| *s == state && **c != q.dest && **c != q.org)
                    .map(|(c, _)| c)
                    .collect();
                cities.sort();
                cities.into_iter().map(|c| replace(&q.dest, c)).collect()
            }
            World::TravelPlanner(_) => Vec::new(),
            World::Christmas(data) => {
                let cities = data.cities();
                let others: Vec<&String> =
                    cities.iter().filter(|c| **c != q.org && !q.destinations.contains(c)).collect();
                q.destinations.iter().flat_map(|d| others.iter().map(move |o| replace(d, o))).collect()
            }
        }
    }
}

/// What answering one query gave.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryAnswer {
    /// A plan, checked by the world's independent checker.
    Plan {
        /// The plan in submission format.
        plan: Vec<DayRecord>,
        /// Its cost for the party, USD, as the solver computed it.
        cost: Money,
        /// What it breaks (nothing, unless something is wrong).
        failed: Vec<Violation<Requirement>>,
        /// The benchmark's verdict (TravelPlanner sandbox only).
        verdict: Option<PlanVerdict>,
    },
    /// No plan meets every constraint.
    Infeasible {
        /// The cores and verified repairs.
        explanation: Explanation,
        /// The kinds of constraint in the core, by the data sets' reason names.
        covered: Vec<String>,
        /// Seconds spent on the explanation.
        seconds: f64,
    },
    /// The query does not make an instance (unknown city, days and dates that do not fit...).
    Invalid(String),
    /// The solver (or the explainer) ran out of time.
    OutOfTime(String),
}

/// Plans one query, checks the plan independently, and explains the query when it has none.
/// Also returns the seconds to the plan or the proof that none exists.
pub fn answer_query(world: &World, r: &QueryRecord, limits: Limits) -> (QueryAnswer, f64) {
    let q = &r.query;
    let timed = solve_timed(|| world.build(q, &r.flights), limits.solve);
    let answer = match timed.answer {
        Ok(Answer::Plan { records: plan, solution }) => {
            let (failed, verdict) = world.check(q, &r.flights, &plan);
            QueryAnswer::Plan { plan, cost: solution.cost, failed, verdict }
        }
        Ok(Answer::Infeasible) => {
            let start = Instant::now();
            let build = |q: &Query| world.build(q, &r.flights);
            let check = |q: &Query, plan: &[DayRecord]| {
                let (failed, _) = world.check(q, &r.flights, plan);
                failed.into_iter().next().map_or(Ok(()), Err)
            };
            let alternatives = |q: &Query| world.alternatives(q);
            let sandbox = Sandbox { build: &build, check: &check, alternatives: &alternatives };
            match world.build(q, &r.flights).map(|inst| explain(&inst, &sandbox, limits.explain)) {
                Ok(Ok(explanation)) => QueryAnswer::Infeasible {
                    covered: core_reasons(&explanation.core),
                    explanation,
                    seconds: start.elapsed().as_secs_f64(),
                },
                Ok(Err(e)) => QueryAnswer::OutOfTime(format!("explaining: {e}")),
                Err(e) => QueryAnswer::Invalid(e.to_string()),
            }
        }
        Ok(Answer::Timeout) => QueryAnswer::OutOfTime(SolveError::Timeout.to_string()),
        Err(e) => QueryAnswer::Invalid(e.to_string()),
    };
    (answer, timed.seconds)
}

/// Plans every query (`reasons[i]`: the data set's reasons for query `i`, if it is one of an
/// unsatisfiable set), checks each plan independently, explains the infeasible ones, and
/// reports the benchmark's metrics, timings and explanations. `progress` hears of each query.
pub fn solve_and_evaluate(
    world: &World,
    records: &[QueryRecord],
    reasons: &[Vec<String>],
    limits: Limits,
    progress: &mut dyn FnMut(usize, &str),
) -> SolveReport {
    let mut seconds = Vec::new();
    let mut verdicts: Vec<(usize, Option<PlanVerdict>)> = Vec::new();
    let mut delivered_christmas = (0usize, 0usize);
    let mut infeasible = Vec::new();
    let mut errors = Vec::new();
    let mut failures = Vec::new();
    let mut plans = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let q = &r.query;
        progress(i, &q.id);
        let (answer, spent) = answer_query(world, r, limits);
        seconds.push(spent);
        let mut verdict = None;
        match answer {
            QueryAnswer::Plan { plan, failed, verdict: v, .. } => {
                delivered_christmas.0 += 1;
                delivered_christmas.1 += usize::from(failed.is_empty());
                verdict = v;
                if !failed.is_empty() {
                    failures.push(QueryOutcome { id: q.id.clone(), index: i, delivered: true, failures: failed });
                }
                plans.push(Some(plan));
            }
            QueryAnswer::Infeasible { explanation: e, covered, seconds } => {
                let wanted = reasons.get(i).cloned().unwrap_or_default();
                let contains = (!wanted.is_empty()).then(|| wanted.iter().all(|w| covered.contains(w)));
                infeasible.push(Infeasible {
                    id: q.id.clone(),
                    core: e.core,
                    cores: e.cores,
                    repairs: e.repairs,
                    reasons: wanted,
                    covered,
                    core_contains_reasons: contains,
                    seconds,
                });
            }
            QueryAnswer::Invalid(e) | QueryAnswer::OutOfTime(e) => errors.push((q.id.clone(), e)),
        }
        verdicts.push((hard_count(q), verdict));
        plans.resize(i + 1, None);
    }
    let mut metrics = metrics(&verdicts.iter().map(|(h, v)| (*h, v.as_ref())).collect::<Vec<_>>());
    if matches!(world, World::Christmas(_)) {
        // No commonsense or hard checks here: a plan passes when the sandbox's checker accepts it.
        let n = records.len().max(1) as f64;
        metrics.delivery_rate = delivered_christmas.0 as f64 / n;
        metrics.final_pass_rate = delivered_christmas.1 as f64 / n;
    }
    let unsat = (!infeasible.is_empty() || reasons.iter().any(|r| !r.is_empty())).then(|| {
        let n = records.len().max(1) as f64;
        let share =
            |xs: Vec<bool>| (!xs.is_empty()).then(|| xs.iter().filter(|b| **b).count() as f64 / xs.len() as f64);
        let with_reasons: Vec<bool> = infeasible.iter().filter_map(|x| x.core_contains_reasons).collect();
        let except_budget: Vec<bool> = infeasible
            .iter()
            .filter(|x| x.reasons.iter().any(|r| r != "budget"))
            .map(|x| {
                let needed: Vec<&String> = x.reasons.iter().filter(|r| *r != "budget").collect();
                needed.iter().all(|r| x.covered.contains(r))
            })
            .collect();
        UnsatMetrics {
            reported_infeasible: infeasible.len() as f64 / n,
            core_contains_reasons: share(with_reasons),
            core_contains_reasons_except_budget: share(except_budget),
            repaired: infeasible.iter().filter(|x| !x.repairs.is_empty()).count() as f64
                / infeasible.len().max(1) as f64,
        }
    });
    SolveReport { metrics, solve_seconds: spread(seconds), infeasible, errors, failures, unsat, plans }
}
