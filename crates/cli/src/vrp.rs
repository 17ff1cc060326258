//! `tripsmith vrp solve`: read an instance, solve it, re-check the answer independently, print.

use crate::progress::Bar;
use crate::{VrpFormat, VrpRounding};
use std::error::Error;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tripsmith_model::Progress;
use tripsmith_vrp::check::check;
use tripsmith_vrp::instance::{Instance, Rounding};
use tripsmith_vrp::solve::{solve as search, Settings};
use tripsmith_vrp::{solomon, solution, vrplib};

/// What `vrp solve` was asked.
pub struct SolveArgs {
    /// The instance file.
    pub file: PathBuf,
    /// Its format.
    pub format: VrpFormat,
    /// Distance rounding, when not the format's own.
    pub rounding: Option<VrpRounding>,
    /// Search time.
    pub time_limit: Duration,
    /// Seed.
    pub seed: u64,
    /// Where to write a .sol file.
    pub write_solution: Option<PathBuf>,
    /// Print JSON.
    pub json: bool,
}

/// Reads the instance once, telling the format by content when asked to.
fn load(args: &SolveArgs) -> Result<Instance, Box<dyn Error>> {
    let rounding = args.rounding.map(|r| match r {
        VrpRounding::Nearest => Rounding::Nearest,
        VrpRounding::Truncate => Rounding::TruncateOneDecimal,
        VrpRounding::Exact => Rounding::Exact,
    });
    Ok(tripsmith_vrp::read_with(&args.file, |text| {
        let solomon = match args.format {
            VrpFormat::Solomon => true,
            VrpFormat::Vrplib => false,
            // A Solomon file's second non-empty line is VEHICLE.
            VrpFormat::Auto => text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .nth(1)
                .is_some_and(|l| l.to_ascii_uppercase().starts_with("VEHICLE")),
        };
        if solomon {
            solomon::parse(text, rounding.unwrap_or(Rounding::TruncateOneDecimal))
        } else {
            vrplib::parse(text, rounding.unwrap_or(Rounding::Nearest))
        }
    })?)
}

/// Solves and prints.
pub fn solve(args: &SolveArgs, bar: &Bar) -> Result<(), Box<dyn Error>> {
    let instance = load(args)?;
    let started = Instant::now();
    let limit = args.time_limit.as_secs_f64();
    let settings = Settings { time_limit: args.time_limit, seed: args.seed, max_iterations: u64::MAX };
    let found =
        search(&instance, settings, &mut |fraction, _| bar.update("searching", (fraction * 1000.0) as u64, 1000));
    let seconds = started.elapsed().as_secs_f64();
    bar.finish();
    let report = check(&instance, &found.routes);
    if let Some(path) = &args.write_solution {
        std::fs::write(path, solution::write(&found.routes, report.cost))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if args.json {
        let v = serde_json::json!({
            "instance": instance.name,
            "cost": report.cost,
            "routes": found.routes,
            "feasible": report.feasible(),
            "proven_optimal": false,
            "unassigned": found.unassigned.iter().map(|u| serde_json::json!({"id": u.client, "reason": u.reason})).collect::<Vec<_>>(),
            "iterations": found.iterations,
            "seconds": seconds,
            "time_limit": limit,
        });
        println!("{v}");
        return Ok(());
    }
    println!(
        "{}: cost {} with {} routes ({} iterations in {seconds:.1} s); checker: {}",
        instance.name,
        report.cost,
        report.routes,
        found.iterations,
        if report.feasible() { "feasible".to_string() } else { format!("{:?}", report.violations) }
    );
    for u in &found.unassigned {
        println!("unassigned client {}: {}", u.client, u.reason);
    }
    for (k, r) in found.routes.iter().enumerate() {
        println!("route {}: {}", k + 1, r.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(" "));
    }
    Ok(())
}
