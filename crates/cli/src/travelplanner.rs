//! `tripsmith eval travelplanner`: load a query set, plan every query with the z3 solver (or
//! take given plans), check the plans independently, explain the infeasible queries, print the
//! metrics.

use std::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tripsmith_travelplanner::benchmark::{
    evaluate_plans, load_submission, solve_and_evaluate, write_submission, Limits, SolveReport, World,
};
use tripsmith_travelplanner::christmas::ChristmasData;
use tripsmith_travelplanner::database::{Database, SkippedRow};
use tripsmith_travelplanner::explain::joined;
use tripsmith_travelplanner::flights::FlightPool;
use tripsmith_travelplanner::query::{load_queries, QueryRecord};
use tripsmith_travelplanner::unsat::{load_christmas, load_travelplanner_unsat};
use tripsmith_travelplanner::validation::load_validation;

/// The query-file formats `eval travelplanner` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// JSONL like `train/train_data_list.jsonl`.
    Train,
    /// CSV like `validation/selected_validation.csv` (flights in `reference_information`).
    Validation,
    /// CSV like `unsat/travelplanner_unsat.csv` (one Python-literal query per row).
    TravelplannerUnsat,
    /// UnsatChristmas `queries/query.csv`, planned in its own sandbox (`--christmas`).
    Christmas,
}

/// What `eval travelplanner` was asked.
pub struct EvalArgs<'a> {
    /// The data folder.
    pub data: &'a Path,
    /// The query file (default: the format's file in `data`).
    pub queries: Option<&'a Path>,
    /// Its format.
    pub format: Format,
    /// Extra reference information (JSONL like `train/train_ref_info.jsonl`) for flights.
    pub reference: Option<&'a Path>,
    /// Plans to check instead of solving.
    pub plans: Option<&'a Path>,
    /// Check the plans annotated in the query file instead of solving.
    pub annotated: bool,
    /// Solver time per query.
    pub time_limit: Duration,
    /// Explanation time per infeasible query.
    pub explain_time: Duration,
    /// Where to write the solver's plans as a submission JSONL.
    pub write_plans: Option<&'a Path>,
    /// Print JSON.
    pub json: bool,
    /// No progress line (`--quiet`, or stderr is not a terminal).
    pub quiet: bool,
}

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

/// A loaded query file: its path, the queries and, for the unsatisfiable sets, each one's reasons.
struct QuerySet {
    path: PathBuf,
    records: Vec<QueryRecord>,
    reasons: Vec<Vec<String>>,
}

/// Loads the query file of `args`.
fn load(args: &EvalArgs) -> Result<QuerySet, Box<dyn Error>> {
    let default = match args.format {
        Format::Train => args.data.join("train").join("train_data_list.jsonl"),
        Format::Validation => args.data.join("validation").join("selected_validation.csv"),
        Format::TravelplannerUnsat => args.data.join("unsat").join("travelplanner_unsat.csv"),
        Format::Christmas => args.data.join("unsat").join("unsat_christmas").join("queries").join("query.csv"),
    };
    let path = args.queries.map_or(default, Path::to_path_buf);
    let csv_error = |e: String| format!("{}: {e}", path.display());
    let (records, reasons, skipped) = match args.format {
        Format::Train => {
            let (records, skipped) = load_queries(&path).map_err(read_error(&path))?;
            let n = records.len();
            (records, vec![Vec::new(); n], skipped)
        }
        Format::Validation => {
            let (records, skipped) = load_validation(&path).map_err(csv_error)?;
            let n = records.len();
            (records, vec![Vec::new(); n], skipped)
        }
        Format::TravelplannerUnsat | Format::Christmas => {
            let (set, skipped) = if args.format == Format::Christmas {
                load_christmas(&path).map_err(csv_error)?
            } else {
                load_travelplanner_unsat(&path).map_err(csv_error)?
            };
            let reasons = set.iter().map(|u| u.reasons.clone()).collect();
            let records =
                set.into_iter().map(|u| QueryRecord { query: u.query, plan: None, flights: Vec::new() }).collect();
            (records, reasons, skipped)
        }
    };
    warn(&skipped);
    if records.is_empty() {
        return Err(format!("{}: no queries", path.display()).into());
    }
    Ok(QuerySet { path, records, reasons })
}

/// Plans (or checks given plans for) every query of a set and prints the metrics.
pub fn eval(args: &EvalArgs) -> Result<(), Box<dyn Error>> {
    let QuerySet { path, mut records, reasons } = load(args)?;
    let christmas;
    let db;
    let world = if args.format == Format::Christmas {
        let dir = args.data.join("unsat").join("unsat_christmas");
        let (data, skipped) = ChristmasData::load(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        warn(&skipped);
        christmas = data;
        World::Christmas(&christmas)
    } else {
        let (loaded, report) = Database::load(&args.data.join("database"))?;
        if !args.json && !report.skipped.is_empty() {
            eprintln!(
                "note: {} database rows skipped: rows with an empty field (the official sandbox drops them), unreadable rows and repeated drives",
                report.skipped.len()
            );
        }
        db = loaded;
        let (pool, skipped) = FlightPool::load(args.data, args.reference)?;
        warn(&skipped);
        pool.attach(&mut records);
        World::TravelPlanner(&db)
    };
    if args.plans.is_some() || args.annotated {
        let World::TravelPlanner(db) = world else {
            return Err("checking given plans is for the TravelPlanner formats".into());
        };
        return check_given(args, db, &path, &records);
    }
    let total = records.len();
    let mut progress = |i: usize, id: &str| {
        if !args.json && !args.quiet {
            eprint!("\rsolving query {id} ({}/{total})   ", i + 1);
            let _ = std::io::stderr().flush();
        }
    };
    let limits = Limits { solve: args.time_limit, explain: args.explain_time };
    let report = solve_and_evaluate(&world, &records, &reasons, limits, &mut progress);
    if !args.json && !args.quiet {
        eprintln!();
    }
    if let Some(out) = args.write_plans {
        let mut file = std::io::BufWriter::new(std::fs::File::create(out).map_err(read_error(out))?);
        write_submission(&mut file, &records, &report.plans).and_then(|_| file.flush()).map_err(read_error(out))?;
    }
    print_report(args.json, args.format == Format::Christmas, &path, &report)
}

fn print_report(json: bool, christmas: bool, path: &Path, report: &SolveReport) -> Result<(), Box<dyn Error>> {
    if json {
        println!("{}", serde_json::to_string(report)?);
        return Ok(());
    }
    let m = &report.metrics;
    println!("{} queries from {}", m.queries, path.display());
    if christmas {
        // The commonsense and hard checks are TravelPlanner's; this sandbox's checker judges a
        // plan as a whole.
        println!("  {:<18} {:>6.1} %", "delivery rate", m.delivery_rate * 100.0);
        println!("  {:<18} {:>6.1} %", "final pass rate", m.final_pass_rate * 100.0);
    } else {
        print_metrics(m);
    }
    println!("  solve seconds      median {:.3}, p95 {:.3}", report.solve_seconds.median, report.solve_seconds.p95);
    for f in &report.failures {
        for c in &f.failures {
            println!("query {}: {} fails: {}", f.id, c.label, c.detail);
        }
    }
    for (id, e) in &report.errors {
        println!("query {id}: {e}");
    }
    for x in &report.infeasible {
        if x.cores.iter().any(Vec::is_empty) {
            println!("query {}: infeasible even without its constraints (no way there and back in the data)", x.id);
        } else {
            println!("query {}: infeasible; core: {}", x.id, joined(&x.core, " + "));
        }
        if x.cores.len() > 1 {
            for c in &x.cores {
                println!("    conflict: {}", joined(c, " + "));
            }
        }
        if !x.reasons.is_empty() {
            println!("    data set's reasons: {}", x.reasons.join(", "));
        }
        for r in &x.repairs {
            let cost = r.cost.map_or_else(|| "?".into(), |c| c.short());
            println!("    repair (verified, plan costs {cost}): {} [{}]", r.in_words(), r.constraints());
        }
        if x.repairs.is_empty() {
            println!("    no verified repair found");
        }
    }
    if let Some(u) = &report.unsat {
        println!(
            "reported infeasible {:.1} %, core contains the reasons {} ({} without budget), repaired {:.1} %",
            u.reported_infeasible * 100.0,
            percent(u.core_contains_reasons),
            percent(u.core_contains_reasons_except_budget),
            u.repaired * 100.0
        );
    }
    Ok(())
}

fn percent(x: Option<f64>) -> String {
    x.map_or("n/a".into(), |x| format!("{:.1} %", x * 100.0))
}

fn print_metrics(m: &tripsmith_travelplanner::evaluate::Metrics) {
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
}

/// Checks given plans (a submission file, or the query file's annotated plans).
fn check_given(args: &EvalArgs, db: &Database, path: &Path, records: &[QueryRecord]) -> Result<(), Box<dyn Error>> {
    let plans = match args.plans {
        Some(p) => {
            let (plans, skipped) = load_submission(p, records.len()).map_err(read_error(p))?;
            warn(&skipped);
            plans
        }
        None => records.iter().map(|r| r.plan.clone()).collect(),
    };
    let evaluation = evaluate_plans(db, records, &plans);
    let m = &evaluation.metrics;
    if args.json {
        let failures: Vec<_> = evaluation.queries.iter().filter(|q| !q.delivered || !q.failures.is_empty()).collect();
        let mut value = serde_json::to_value(m)?;
        if let Some(obj) = value.as_object_mut() {
            obj.insert("failures".into(), serde_json::to_value(failures)?);
        }
        println!("{value}");
        return Ok(());
    }
    println!("{} queries from {}", m.queries, path.display());
    print_metrics(m);
    for q in &evaluation.queries {
        if !q.delivered {
            println!("query {}: no plan", q.id);
        }
        for c in &q.failures {
            println!("query {}: {} fails: {}", q.id, c.label, c.detail);
        }
    }
    Ok(())
}
