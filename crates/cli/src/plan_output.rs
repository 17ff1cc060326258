//! Prints planning outcomes: a day-by-day timeline, or the conflicting constraints.

use serde_json::json;
use std::error::Error;
use std::path::Path;
use tripsmith_model::LatLon;
use tripsmith_planner::explain::describe;
use tripsmith_planner::repair::Repair;
use tripsmith_planner::report::{html, markdown, ReportData};
use tripsmith_planner::Outcome;
use tripsmith_planner::{check, Activity, Itinerary, Problem};
use tripsmith_region::planning::Pruning;
use tripsmith_region::Region;

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Prints `outcome` as text or as one JSON object; every plan is re-checked first.
pub fn print(
    problem: &Problem,
    outcome: &Outcome,
    repairs: &[Repair],
    pruning: &Pruning,
    as_json: bool,
) -> Result<(), Box<dyn Error>> {
    let (status, plan, optimal, core) = status_of(outcome);
    let violations = plan.map(|p| check(problem, p)).unwrap_or_default();
    if as_json {
        println!("{}", summary_json(problem, outcome, repairs, pruning));
        return Ok(());
    }
    println!(
        "candidates: {} of {} sights, {} of {} places to eat, {} of {} lodgings",
        pruning.visits.1, pruning.visits.0, pruning.food.1, pruning.food.0, pruning.lodgings.1, pruning.lodgings.0
    );
    if let Some(k) = pruning.nearest_arcs {
        println!("arcs: each sight linked to its {k} nearest sights only, so the plan is not called optimal");
    }
    match (status, plan) {
        ("infeasible", _) => {
            println!(
                "No itinerary meets every constraint. These conflict (relaxing any one of them removes this conflict):"
            );
            for label in &core {
                println!("  - {label}: {}", describe(&problem.request, label));
            }
            if repairs.is_empty() {
                println!("No single change was verified to make the trip possible within the time limit.");
            } else {
                println!("Changes that make it possible (each verified by solving the changed request):");
                for r in repairs {
                    println!("  - {} [{}]", r.change, r.label);
                }
            }
        }
        (_, Some(plan)) => print_plan(problem, plan, status, optimal),
        _ => println!("The time limit passed before any itinerary was found."),
    }
    if plan.is_some() {
        if violations.is_empty() {
            println!("checker: the itinerary meets every constraint");
        } else {
            println!("checker: {} violation(s)", violations.len());
            for v in &violations {
                println!("  - {}: {}", v.label, v.detail);
            }
        }
    }
    Ok(())
}

/// Status word, plan, whether proven optimal, and core of an outcome.
fn status_of(outcome: &Outcome) -> (&'static str, Option<&Itinerary>, bool, Vec<String>) {
    match outcome {
        Outcome::Feasible { plan, optimal } => ("feasible", Some(plan), *optimal, Vec::new()),
        Outcome::Infeasible { core } => ("infeasible", None, false, core.clone()),
        Outcome::Timeout { plan } => ("timeout", plan.as_ref(), false, Vec::new()),
    }
}

/// The JSON form of an outcome (also the `.json` report).
pub fn summary_json(problem: &Problem, outcome: &Outcome, repairs: &[Repair], pruning: &Pruning) -> serde_json::Value {
    let (status, plan, optimal, core) = status_of(outcome);
    let violations = plan.map(|p| check(problem, p)).unwrap_or_default();
    let explained: Vec<_> =
        core.iter().map(|l| json!({"label": l, "constraint": describe(&problem.request, l)})).collect();
    json!({
        "status": status,
        "optimal": optimal,
        "plan": plan,
        "core": core,
        "explanation": explained,
        "repairs": repairs,
        "checker": {"violations": violations},
        "candidates": pruning,
    })
}

/// Renders the report named by `path`'s extension (.html/.htm, .md, .json).
pub fn report(
    region: &Region,
    request: &Path,
    problem: &Problem,
    outcome: &Outcome,
    repairs: &[Repair],
    pruning: &Pruning,
    path: &Path,
) -> Result<String, Box<dyn Error>> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    if ext == "json" {
        return Ok(format!("{:#}\n", summary_json(problem, outcome, repairs, pruning)));
    }
    let plan = outcome.plan();
    let violations = plan.map(|p| check(problem, p)).unwrap_or_default();
    let data = ReportData {
        title: request.display().to_string(),
        problem,
        outcome,
        repairs,
        violations: &violations,
        legs: plan.map(|p| leg_geometry(region, problem, p)).unwrap_or_default(),
        roads: plan.map(|_| road_segments(region, problem)).unwrap_or_default(),
    };
    match ext.as_str() {
        "html" | "htm" => Ok(html(&data)),
        "md" | "markdown" => Ok(markdown(&data)),
        _ => Err(format!("{}: report must end in .html, .md or .json", path.display()).into()),
    }
}

/// Road geometry of every leg of every day, by the fastest allowed mode.
fn leg_geometry(region: &Region, problem: &Problem, plan: &Itinerary) -> Vec<Vec<Vec<LatLon>>> {
    let r = &problem.request;
    let base = plan.lodging.filter(|_| r.return_to_base).map(|l| problem.candidates[l].location);
    plan.days
        .iter()
        .map(|day| {
            let mut points: Vec<LatLon> = base.into_iter().collect();
            points.extend(day.stops.iter().map(|s| problem.candidates[s.candidate].location));
            if !day.stops.is_empty() {
                points.extend(base);
            }
            points
                .windows(2)
                .map(|w| {
                    r.travel
                        .modes
                        .iter()
                        .filter_map(|m| region.router(*m).route(w[0], w[1]).ok())
                        .min_by(|a, b| a.duration_s.total_cmp(&b.duration_s))
                        .map_or_else(|| vec![w[0], w[1]], |route| route.geometry)
                })
                .collect()
        })
        .collect()
}

/// The first allowed mode's road segments (each once), for the maps' background.
fn road_segments(region: &Region, problem: &Problem) -> Vec<[LatLon; 2]> {
    let mode = problem.request.travel.modes.first().copied().unwrap_or(tripsmith_model::Profile::Foot);
    let g = region.router(mode).graph();
    (0..g.num_nodes() as u32)
        .flat_map(|u| g.out_edges(u).map(move |e| (u, g.head[e])))
        .filter(|(u, v)| u < v)
        .map(|(u, v)| [g.coords[u as usize], g.coords[v as usize]])
        .collect()
}

fn print_plan(problem: &Problem, plan: &Itinerary, status: &str, optimal: bool) {
    let quality = match (status, optimal) {
        ("timeout", _) => "best found before the time limit",
        (_, true) => "proven optimal",
        _ => "not proven optimal",
    };
    println!(
        "itinerary: {} day(s), interest score {:.1} ({quality}), cost {}, {:.1} km of travel",
        plan.days.len(),
        plan.score,
        plan.cost,
        f64::from(plan.travel_m) / 1000.0
    );
    if let Some(name) = &plan.lodging_name {
        println!("lodging: {name}");
    }
    for day in &plan.days {
        let date = day.date.map(|d| format!("{d}, ")).unwrap_or_default();
        println!("day {} ({date}{})", day.day, WEEKDAYS[day.weekday % 7]);
        for s in &day.stops {
            let what = match s.activity {
                Activity::Visit => problem.candidates[s.candidate].category.to_string(),
                Activity::Meal(kind) => kind.as_str().to_string(),
            };
            println!(
                "  {}–{}  {:<34} {:<11} {:>3} min, {:>5} m{}",
                s.start,
                s.end,
                s.name,
                what,
                s.travel_minutes,
                s.travel_m,
                if s.cost.cents() > 0 { format!(", {}", s.cost) } else { String::new() }
            );
        }
        if let Some(back) = day.back_at_base {
            println!("  {back}        back at the lodging");
        }
    }
}
