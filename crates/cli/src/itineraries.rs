//! `tripsmith eval itineraries`: plans the evaluation set and prints how the plans fare.

use std::error::Error;
use std::path::Path;
use std::time::Duration;
use tripsmith_planner::Backend;
use tripsmith_region::itineraries::{evaluate, RequestScore};
use tripsmith_region::trip::SolveOptions;

fn line(s: &RequestScore) -> String {
    let landmarks = s.landmarks.map_or_else(|| "-".to_string(), |(hit, of)| format!("{hit}/{of}"));
    let gap = s.gap.map_or_else(|| "-".to_string(), |g| format!("{:.1} %", 100.0 * g));
    format!(
        "{:<28} {:<10} {:>6.1} s  visits {:>2} (per day {:?}), worth seeing {:>2}, unnamed {}, services {}, \
         duplicates {}, repeated categories {}, closed {}/{}, meals {} ({} unsuitable), breaks {}/{}, landmarks {landmarks}, checker {}, gap {gap}",
        s.request,
        s.status.as_str(),
        s.seconds,
        s.visits,
        s.visits_per_day,
        s.worth_seeing,
        s.unnamed,
        s.services,
        s.duplicates,
        s.repeats,
        s.closed,
        s.with_hours,
        s.meals,
        s.unsuitable_meals,
        s.rests,
        s.rest_days,
        s.checker_violations
    )
}

/// Runs the evaluation and prints each request and the totals (or one JSON object).
pub fn eval(set: &Path, data: &Path, backend: Backend, time_limit: f64, json: bool) -> Result<(), Box<dyn Error>> {
    if !(time_limit.is_finite() && time_limit > 0.0 && time_limit <= 3600.0) {
        return Err(format!("--time-limit must be more than 0 and at most 3600 seconds, got {time_limit}").into());
    }
    let limit = Duration::from_secs_f64(time_limit);
    let options = SolveOptions::for_backend(backend, limit);
    let evaluation = evaluate(set, data, &options, &mut |s| {
        if !json {
            println!("{}", line(s));
        }
    })?;
    if json {
        println!("{}", serde_json::to_string(&evaluation)?);
        return Ok(());
    }
    let t = &evaluation.totals;
    println!(
        "totals: {} requests, {} planned; {} visits, {:.1} % worth seeing; unnamed {}, services {}, duplicates {}, \
         repeated categories {}, closed {}, unsuitable meals {}, checker violations {}; days keeping their break {}/{}; plans at their value's upper bound {}, \
         largest gap {:.1} %; guide-book top sights on general requests {}/{}; \
         seconds median {:.2}, p95 {:.2}",
        t.requests,
        t.planned,
        t.visits,
        100.0 * t.worth_seeing_share,
        t.unnamed,
        t.services,
        t.duplicates,
        t.repeats,
        t.closed,
        t.unsuitable_meals,
        t.checker_violations,
        t.rests,
        t.rest_days,
        t.at_bound,
        100.0 * t.gap_max,
        t.landmarks.0,
        t.landmarks.1,
        t.seconds_median,
        t.seconds_p95
    );
    for (region, seconds) in &evaluation.load_seconds {
        println!("region {region} loaded in {seconds:.2} s");
    }
    Ok(())
}
