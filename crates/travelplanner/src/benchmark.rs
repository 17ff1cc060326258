//! Evaluating a set of plans against a set of queries: per-query verdicts and the metrics, the
//! work behind `tripsmith eval travelplanner`.

use crate::database::{Database, SkippedRow};
use crate::evaluate::{evaluate, hard_count, metrics, Check, Metrics, PlanVerdict, Sandbox};
use crate::query::{day_records, DayRecord, QueryRecord};
use serde::Serialize;
use serde_json::Value;
use std::path::Path;

/// What happened to one query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryOutcome {
    /// The query's id.
    pub id: String,
    /// Whether a plan was given.
    pub delivered: bool,
    /// The checks its plan fails.
    pub failures: Vec<Check>,
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
            Some(evaluate(&r.query, plan, &Sandbox::new(db, &r.flights)))
        })
        .collect();
    let results: Vec<(usize, Option<&PlanVerdict>)> =
        records.iter().zip(&verdicts).map(|(r, v)| (hard_count(&r.query), v.as_ref())).collect();
    let queries = records
        .iter()
        .zip(&verdicts)
        .map(|(r, v)| QueryOutcome {
            id: r.query.id.clone(),
            delivered: v.is_some(),
            failures: v
                .iter()
                .flat_map(|v| v.commonsense.iter().chain(&v.hard))
                .filter(|c| !c.passed())
                .cloned()
                .collect(),
        })
        .collect();
    Evaluation { metrics: metrics(&results), queries }
}

/// A plan per query (`None`: not delivered).
pub type Plans = Vec<Option<Vec<DayRecord>>>;

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
