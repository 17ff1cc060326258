//! `tripsmith eval travelplanner`: load the data, check the plans, print the metrics.

use std::error::Error;
use std::path::Path;
use tripsmith_travelplanner::benchmark::{evaluate_plans, load_submission};
use tripsmith_travelplanner::database::{Database, SkippedRow};
use tripsmith_travelplanner::query::load_queries;
use tripsmith_travelplanner::reference::{attach_flights, load_reference_flights};

/// `FILE: error` for a file that cannot be read.
fn read_error(path: &Path) -> impl Fn(std::io::Error) -> String + '_ {
    move |e| format!("{}: {e}", path.display())
}

fn warn(skipped: &[SkippedRow]) {
    for s in skipped.iter().take(5) {
        eprintln!("warning: {}:{}: skipped: {}", s.file, s.line, s.reason);
    }
    if skipped.len() > 5 {
        eprintln!("warning: {} more rows skipped", skipped.len() - 5);
    }
}

/// Evaluates the plans (given, or annotated in the queries file) and prints the metrics.
pub fn eval(
    data: &Path,
    queries: Option<&Path>,
    reference: Option<&Path>,
    plans: Option<&Path>,
    json: bool,
) -> Result<(), Box<dyn Error>> {
    let (db, report) = Database::load(&data.join("database"))?;
    let train = data.join("train");
    let queries_path = queries.map_or_else(|| train.join("train_data_list.jsonl"), Path::to_path_buf);
    let (mut records, skipped) = load_queries(&queries_path).map_err(read_error(&queries_path))?;
    warn(&skipped);
    if records.is_empty() {
        return Err(format!("{}: no queries", queries_path.display()).into());
    }
    let reference_path =
        reference.map(Path::to_path_buf).or_else(|| queries.is_none().then(|| train.join("train_ref_info.jsonl")));
    if let Some(path) = reference_path {
        let (flights, skipped) = load_reference_flights(&path).map_err(read_error(&path))?;
        warn(&skipped);
        if flights.len() != records.len() {
            return Err(format!("{}: {} lines for {} queries", path.display(), flights.len(), records.len()).into());
        }
        attach_flights(&mut records, flights);
    }
    let plans = match plans {
        Some(path) => {
            let (plans, skipped) = load_submission(path, records.len()).map_err(read_error(path))?;
            warn(&skipped);
            plans
        }
        None => records.iter().map(|r| r.plan.clone()).collect(),
    };
    let evaluation = evaluate_plans(&db, &records, &plans);
    let m = &evaluation.metrics;
    if json {
        let failures: Vec<_> = evaluation.queries.iter().filter(|q| !q.delivered || !q.failures.is_empty()).collect();
        let mut value = serde_json::to_value(m)?;
        if let Some(obj) = value.as_object_mut() {
            obj.insert("failures".into(), serde_json::to_value(failures)?);
            obj.insert("database_rows_skipped".into(), report.skipped.len().into());
        }
        println!("{value}");
        return Ok(());
    }
    println!("{} queries from {}", m.queries, queries_path.display());
    for (name, value) in [
        ("delivery rate", m.delivery_rate),
        ("commonsense micro", m.commonsense_micro),
        ("commonsense macro", m.commonsense_macro),
        ("hard micro", m.hard_micro),
        ("hard macro", m.hard_macro),
        ("final pass rate", m.final_pass_rate),
    ] {
        println!("  {name:<18} {:>6.1} %", value * 100.0);
    }
    for q in &evaluation.queries {
        if !q.delivered {
            println!("query {}: no plan", q.id);
        }
        for c in &q.failures {
            println!("query {}: {} fails: {}", q.id, c.name, c.failure.as_deref().unwrap_or(""));
        }
    }
    Ok(())
}
