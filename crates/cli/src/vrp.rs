//! `tripsmith vrp solve` and `vrp check`: read an instance, solve it or read a solution file,
//! check the routes independently, print.

use crate::progress::Bar;
use crate::{VrpFormat, VrpRounding};
use std::error::Error;
use std::path::PathBuf;
use std::time::Duration;
use tripsmith_model::Progress;
use tripsmith_vrp::answer::{answer, Request};
use tripsmith_vrp::check::check;
use tripsmith_vrp::instance::{Instance, Rounding};
use tripsmith_vrp::{solution, Format};

/// An instance file and how to read it.
pub struct InstanceFile {
    /// The file.
    pub file: PathBuf,
    /// Its format.
    pub format: VrpFormat,
    /// Distance rounding, when not the format's own.
    pub rounding: Option<VrpRounding>,
}

/// What `vrp solve` was asked.
pub struct SolveArgs {
    /// The instance.
    pub instance: InstanceFile,
    /// Search time.
    pub time_limit: Duration,
    /// Seed.
    pub seed: u64,
    /// Where to write a .sol file.
    pub write_solution: Option<PathBuf>,
    /// Prove optimality with the exact solver after a short heuristic run.
    pub exact: bool,
    /// Print JSON.
    pub json: bool,
}

/// Reads the instance once, telling the format by content when asked to.
fn load(args: &InstanceFile) -> Result<Instance, Box<dyn Error>> {
    let rounding = args.rounding.map(|r| match r {
        VrpRounding::Nearest => Rounding::Nearest,
        VrpRounding::Truncate => Rounding::TruncateOneDecimal,
        VrpRounding::Exact => Rounding::Exact,
    });
    let format = match args.format {
        VrpFormat::Auto => Format::Auto,
        VrpFormat::Vrplib | VrpFormat::Tsplib => Format::Vrplib,
        VrpFormat::Solomon => Format::Solomon,
    };
    Ok(tripsmith_vrp::read_with(&args.file, |text| tripsmith_vrp::parse_instance(text, format, rounding))?)
}

/// Solves and prints.
pub fn solve(args: &SolveArgs, bar: &Bar) -> Result<(), Box<dyn Error>> {
    let instance = load(&args.instance)?;
    let request = Request { time_limit: args.time_limit, seed: args.seed, exact: args.exact };
    let found =
        answer(&instance, request, None, &mut |stage, fraction| bar.update(stage, (fraction * 1000.0) as u64, 1000))?;
    bar.finish();
    if let Some(path) = &args.write_solution {
        std::fs::write(path, solution::write(&found.routes, found.cost))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let proof = found.proof.as_ref();
    if args.json {
        let v = serde_json::json!({
            "instance": instance.name,
            "cost": found.cost,
            "routes": found.routes,
            "feasible": found.violations.is_empty(),
            "proven_optimal": proof.is_some_and(|p| p.proven_optimal),
            "lower_bound": proof.map(|p| p.lower_bound),
            "exact": proof.map(|p| serde_json::json!({"rounds": p.rounds, "cuts": p.cuts})),
            "unassigned": found.unassigned.iter().map(|u| serde_json::json!({"id": u.client, "reason": u.reason})).collect::<Vec<_>>(),
            "iterations": found.iterations,
            "seconds": found.seconds,
            "time_limit": args.time_limit.as_secs_f64(),
        });
        println!("{v}");
        return Ok(());
    }
    let verdict = if found.violations.is_empty() {
        "feasible".to_string()
    } else {
        found.violations.iter().map(|v| v.to_string()).collect::<Vec<_>>().join("; ")
    };
    println!(
        "{}: cost {} with {} routes ({} iterations in {:.1} s); checker: {verdict}",
        instance.name,
        found.cost,
        found.routes.iter().filter(|r| !r.is_empty()).count(),
        found.iterations,
        found.seconds,
    );
    match proof {
        Some(p) if p.proven_optimal => println!("proven optimal by the MILP ({} rounds, {} cuts)", p.rounds, p.cuts),
        Some(p) => println!("not proven optimal within the time limit; lower bound {}", p.lower_bound),
        None => {}
    }
    for u in &found.unassigned {
        println!("unassigned client {}: {}", u.client, u.reason);
    }
    for (k, r) in found.routes.iter().enumerate() {
        println!("route {}: {}", k + 1, r.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(" "));
    }
    Ok(())
}

/// Checks a solution file against an instance and prints the checker's report.
pub fn check_file(instance: &InstanceFile, file: &std::path::Path, json: bool) -> Result<(), Box<dyn Error>> {
    let instance = load(instance)?;
    let stated = tripsmith_vrp::read_with(file, solution::parse)?;
    let report = check(&instance, &stated.routes);
    if json {
        let v = serde_json::json!({
            "instance": instance.name,
            "cost": report.cost,
            "stated_cost": stated.cost,
            "routes": report.routes,
            "feasible": report.feasible(),
            "violations": report.violations.iter().map(|v| v.to_string()).collect::<Vec<_>>(),
        });
        println!("{v}");
    } else {
        println!("{}: cost {} with {} routes", instance.name, report.cost, report.routes);
        if let Some(c) = stated.cost.filter(|c| (c - report.cost).abs() > 1e-6 * c.abs().max(1.0)) {
            println!("note: the file states cost {c}");
        }
        for v in &report.violations {
            println!("broken: {v}");
        }
    }
    if report.feasible() {
        Ok(())
    } else {
        Err(format!("{}: infeasible ({} broken rules)", file.display(), report.violations.len()).into())
    }
}
