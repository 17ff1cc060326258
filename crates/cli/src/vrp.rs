//! `tripsmith vrp solve` and `vrp check`: read an instance, solve it or read a solution file,
//! check the routes independently, print.

use crate::progress::Bar;
use crate::{VrpAlgorithm, VrpFormat, VrpInstanceArgs, VrpObjective, VrpRounding};
use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tripsmith_model::LatLon;
use tripsmith_model::Progress;
use tripsmith_region::Region;
use tripsmith_vrp::answer::{answer, Algorithm, Request};
use tripsmith_vrp::check::check;
use tripsmith_vrp::instance::{Instance, Objective, Rounding};
use tripsmith_vrp::solve::Unassigned;
use tripsmith_vrp::vroom::{RoadMatrices, VroomNames};
use tripsmith_vrp::{export, solution, Format, ParsedInstance};

/// What `vrp solve` was asked.
#[derive(clap::Args)]
pub struct SolveArgs {
    #[command(flatten)]
    instance: VrpInstanceArgs,
    /// Seconds to search.
    #[arg(long, default_value_t = 10.0, allow_negative_numbers = true)]
    time_limit: f64,
    /// Seed of the search.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write the routes as a VRPLIB .sol file.
    #[arg(long, value_name = "FILE.sol")]
    write_solution: Option<PathBuf>,
    /// Write the answer in VROOM's output JSON shape (steps with arrival, waiting and load).
    #[arg(long, value_name = "FILE.json")]
    write_vroom: Option<PathBuf>,
    /// Write the routes as GeoJSON lines over the instance's coordinates.
    #[arg(long, value_name = "FILE.geojson")]
    write_geojson: Option<PathBuf>,
    /// Prove optimality with the exact MILP solver (capacity-only instances up to 200 nodes:
    /// CVRP, TSP); the heuristic gets a tenth of the time limit (at most 2 s) and starts the MILP.
    #[arg(long)]
    exact: bool,
    /// The heuristic: sisr (ruin and recreate, every instance) or hgs (hybrid genetic
    /// search: capacity-only instances with one depot and interchangeable vehicles).
    #[arg(long, value_enum, default_value = "sisr")]
    algorithm: VrpAlgorithm,
    /// Paths of an orienteering instance (`--format toptw`; 1 to 50).
    #[arg(long, default_value_t = 1)]
    vehicles: usize,
    /// Print {"cost", "routes", "feasible", "proven_optimal", "unassigned", "seconds", ...} as JSON
    /// (for `--format toptw`: {"instance", "prize", "routes", "feasible", "violations",
    /// "vehicles", "iterations", "seconds", "time_limit"}).
    #[arg(long)]
    json: bool,
}

/// `vrp solve --format toptw`: the route-search engine on an orienteering file, checked apart.
fn solve_toptw(args: &SolveArgs, time_limit: Duration) -> Result<(), Box<dyn Error>> {
    let file = &args.instance.file;
    if !(1..=50).contains(&args.vehicles) {
        return Err(format!("--vehicles must be a whole number from 1 to 50, got {}", args.vehicles).into());
    }
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: cannot read: {e}", file.display()))?;
    let instance = tripsmith_vrp::toptw::parse(&text).map_err(|e| format!("{}: {e}", file.display()))?;
    let started = std::time::Instant::now();
    let solved = tripsmith_vrp::toptw::solve(&instance, args.vehicles, time_limit, args.seed);
    let seconds = started.elapsed().as_secs_f64();
    let verdict = tripsmith_vrp::toptw::check(&instance, args.vehicles, &solved.routes);
    let (feasible, violations) = match &verdict {
        Ok(prize) if *prize == solved.prize => (true, Vec::new()),
        Ok(prize) => (false, vec![format!("the checker counts prize {prize}, the search {}", solved.prize)]),
        Err(v) => (false, v.clone()),
    };
    if args.json {
        let value = serde_json::json!({
            "instance": file.display().to_string(),
            "prize": solved.prize,
            "routes": solved.routes,
            "feasible": feasible,
            "violations": violations,
            "vehicles": args.vehicles,
            "iterations": solved.iterations,
            "seconds": seconds,
            "time_limit": time_limit.as_secs_f64(),
        });
        println!("{value}");
    } else {
        println!(
            "{}: prize {} on {} path(s), {} in {seconds:.2} s ({} iterations)",
            file.display(),
            solved.prize,
            args.vehicles,
            if feasible { "checked feasible" } else { "NOT FEASIBLE" },
            solved.iterations
        );
        for (k, route) in solved.routes.iter().enumerate() {
            let places: Vec<String> = route.iter().map(usize::to_string).collect();
            println!("  path {}: {}", k + 1, places.join(" "));
        }
        for v in &violations {
            println!("  violation: {v}");
        }
    }
    if feasible {
        Ok(())
    } else {
        Err("the independent check found the paths infeasible".into())
    }
}

/// Reads the instance once, telling the format by content when asked to; VROOM places given
/// by coordinates get travel times on `--region`'s roads.
fn load(args: &VrpInstanceArgs, bar: &Bar) -> Result<ParsedInstance, Box<dyn Error>> {
    let rounding = args.rounding.map(|r| match r {
        VrpRounding::Nearest => Rounding::Nearest,
        VrpRounding::Truncate => Rounding::TruncateOneDecimal,
        VrpRounding::Exact => Rounding::Exact,
    });
    let format = match args.format {
        VrpFormat::Auto => Format::Auto,
        VrpFormat::Vrplib | VrpFormat::Tsplib => Format::Vrplib,
        VrpFormat::Solomon => Format::Solomon,
        VrpFormat::Vroom => Format::Vroom,
        VrpFormat::Toptw => return Err("an orienteering file is read by `vrp solve --format toptw`".into()),
    };
    let mut travel_times = |points: &[(f64, f64)]| {
        let region = args
            .region
            .as_ref()
            .ok_or("the jobs give coordinates and no matrix: pass --region FILE for road travel times")?;
        let region = Region::open(region, bar).map_err(|e| e.to_string())?;
        let coords: Vec<LatLon> = points.iter().map(|&(lon, lat)| LatLon { lat, lon }).collect();
        let (durations, distances) = region.router(args.profile).matrices(&coords).map_err(|e| e.to_string())?;
        Ok(RoadMatrices { durations, distances })
    };
    let mut parsed = tripsmith_vrp::read_with(&args.file, |text| {
        tripsmith_vrp::parse_instance(text, format, rounding, &mut travel_times)
    })?;
    parsed.instance.objective = match args.objective {
        VrpObjective::TotalCost => Objective::TotalCost,
        VrpObjective::LongestRoute => Objective::LongestRoute,
        VrpObjective::LongestLeg => Objective::LongestLeg,
    };
    Ok(parsed)
}

/// Solves and prints.
pub fn solve(args: &SolveArgs, bar: &Bar) -> Result<crate::commands::Verdict, Box<dyn Error>> {
    let time_limit = args.time_limit;
    if !(time_limit.is_finite() && time_limit > 0.0 && time_limit <= 86_400.0) {
        return Err(format!("--time-limit {time_limit}: give seconds between 0 and 86400").into());
    }
    let time_limit = Duration::from_secs_f64(time_limit);
    if args.instance.format == VrpFormat::Toptw {
        // Orienteering leaves places out by design: not "unserved".
        return solve_toptw(args, time_limit).map(|()| crate::commands::Verdict::Done);
    }
    let parsed = load(&args.instance, bar)?;
    let named = |route: &[usize]| route.iter().map(|&c| parsed.name(c)).collect::<Vec<_>>();
    let instance = &parsed.instance;
    if args.write_geojson.is_some() && instance.coordinates.is_none() {
        return Err(format!("--write-geojson: {}", export::NoCoordinates).into());
    }
    let algorithm = match args.algorithm {
        VrpAlgorithm::Sisr => Algorithm::Sisr,
        VrpAlgorithm::Hgs => Algorithm::Hgs,
    };
    let request = Request { time_limit, seed: args.seed, exact: args.exact, algorithm };
    let found =
        answer(instance, request, None, &mut |stage, fraction| bar.update(stage, (fraction * 1000.0) as u64, 1000))?;
    bar.finish();
    let write =
        |path: &PathBuf, text: String| std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()));
    if let Some(path) = &args.write_solution {
        write(path, solution::write(&found.routes, found.cost))?;
    }
    if let Some(path) = &args.write_vroom {
        write(
            path,
            export::vroom_json(instance, &found.routes, &found.unassigned, parsed.names.as_ref().map(VroomNames::ids))
                .to_string(),
        )?;
    }
    if let Some(path) = &args.write_geojson {
        write(path, export::geojson(instance, &found.routes)?.to_string())?;
    }
    let proof = found.proof.as_ref();
    if args.json {
        let v = serde_json::json!({
            "instance": instance.name,
            "cost": found.cost,
            "objective": instance.objective.name(),
            "distance": found.distance,
            "travel_time": found.travel_time,
            "visit_costs": found.visit_costs,
            "routes": found.routes.iter().map(|r| named(r)).collect::<Vec<_>>(),
            "feasible": found.violations.is_empty(),
            "proven_optimal": proof.is_some_and(|p| p.proven_optimal),
            "lower_bound": proof.map(|p| p.lower_bound),
            "exact": proof.map(|p| serde_json::json!({"rounds": p.rounds, "cuts": p.cuts})),
            "unassigned": found.unassigned.iter().map(|u| serde_json::json!({"id": parsed.name(u.client), "reason": u.reason})).collect::<Vec<_>>(),
            "iterations": found.iterations,
            "seconds": found.seconds,
            "time_limit": time_limit.as_secs_f64(),
        });
        println!("{v}");
        return Ok(served(instance, &found.unassigned));
    }
    let verdict = if found.violations.is_empty() {
        "feasible".to_string()
    } else {
        found.violations.iter().map(|v| v.to_string()).collect::<Vec<_>>().join("; ")
    };
    println!(
        "{}: {} {} (distance {}, travel time {}{}) with {} routes ({} iterations in {:.1} s); checker: {verdict}",
        instance.name,
        instance.objective.name(),
        figure(found.cost),
        figure(found.distance),
        figure(found.travel_time),
        visits(found.visit_costs),
        found.routes.iter().filter(|r| !r.is_empty()).count(),
        found.iterations,
        found.seconds,
    );
    match proof {
        Some(p) if p.proven_optimal => println!("proven optimal by the MILP ({} rounds, {} cuts)", p.rounds, p.cuts),
        Some(p) => println!("not proven optimal within the time limit; lower bound {}", figure(p.lower_bound)),
        None => {}
    }
    for u in &found.unassigned {
        println!("unassigned client {}: {}", parsed.name(u.client), u.reason);
    }
    for (k, r) in found.routes.iter().enumerate() {
        println!("route {}: {}", k + 1, named(r).iter().map(|c| c.to_string()).collect::<Vec<_>>().join(" "));
    }
    Ok(served(instance, &found.unassigned))
}

/// `Unserved` when a client that must be served is left out (optional, prize-collecting
/// clients may be).
fn served(instance: &Instance, unassigned: &[Unassigned]) -> crate::commands::Verdict {
    if unassigned.iter().any(|u| instance.prize.get(u.client).is_none_or(Option::is_none)) {
        crate::commands::Verdict::Unserved
    } else {
        crate::commands::Verdict::Done
    }
}

/// What visits cost beyond driving, for a summary line (nothing when they cost nothing).
fn visits(cost: f64) -> String {
    if cost == 0.0 {
        String::new()
    } else {
        format!(", visits (purchases) {}", figure(cost))
    }
}

/// A cost or distance for people: at most six decimals, without trailing zeros (sums of
/// fractional legs print 9913.6, not 9913.599999999999).
fn figure(x: f64) -> String {
    let text = format!("{x:.6}");
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.') } else { &text };
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// Checks a solution file against an instance and prints the checker's report.
pub fn check_file(instance: &VrpInstanceArgs, file: &Path, json: bool, bar: &Bar) -> Result<(), Box<dyn Error>> {
    let instance = load(instance, bar)?.instance;
    let stated = tripsmith_vrp::read_with(file, solution::parse)?;
    let report = check(&instance, &stated.routes);
    if json {
        let v = serde_json::json!({
            "instance": instance.name,
            "cost": report.cost,
            "objective": instance.objective.name(),
            "distance": report.distance,
            "travel_time": report.travel_time,
            "visit_costs": report.visit_costs,
            "longest_route": report.longest_route,
            "longest_leg": report.longest_leg,
            "stated_cost": stated.cost,
            "routes": report.routes,
            "feasible": report.feasible(),
            "violations": report.violations.iter().map(|v| v.to_string()).collect::<Vec<_>>(),
        });
        println!("{v}");
    } else {
        println!(
            "{}: {} {} (distance {}, travel time {}{}; costliest route {}, longest leg {}) with {} routes",
            instance.name,
            instance.objective.name(),
            figure(report.cost),
            figure(report.distance),
            figure(report.travel_time),
            visits(report.visit_costs),
            figure(report.longest_route),
            figure(report.longest_leg),
            report.routes
        );
        if let Some(c) = stated.cost.filter(|c| (c - report.cost).abs() > 1e-6 * c.abs().max(1.0)) {
            println!("note: the file states cost {}", figure(c));
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

#[cfg(test)]
mod tests {
    use super::figure;

    #[test]
    fn figures_print_without_float_noise() {
        assert_eq!(figure(9913.599999999999), "9913.6");
        assert_eq!(figure(864.452), "864.452");
        assert_eq!(figure(27591.0), "27591");
        assert_eq!(figure(0.0), "0");
        assert_eq!(figure(-0.0000001), "0");
        assert_eq!(figure(828.9368669428338), "828.936867");
    }
}
