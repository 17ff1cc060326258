//! Prints planning outcomes: a day-by-day timeline, or the conflicting constraints.

use serde_json::json;
use std::error::Error;
use tripsmith_planner::explain::describe;
use tripsmith_planner::repair::Repair;
use tripsmith_planner::smt::SmtOutcome;
use tripsmith_planner::{check, Activity, Itinerary, Problem};
use tripsmith_region::planning::Pruning;

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Prints `outcome` as text or as one JSON object; every plan is re-checked first.
pub fn print(
    problem: &Problem,
    outcome: &SmtOutcome,
    repairs: &[Repair],
    pruning: &Pruning,
    as_json: bool,
) -> Result<(), Box<dyn Error>> {
    let (status, plan, optimal, core) = match outcome {
        SmtOutcome::Feasible { plan, optimal } => ("feasible", Some(plan), *optimal, Vec::new()),
        SmtOutcome::Infeasible { core } => ("infeasible", None, false, core.clone()),
        SmtOutcome::Timeout { plan } => ("timeout", plan.as_ref(), false, Vec::new()),
    };
    let violations = plan.map(|p| check(problem, p)).unwrap_or_default();
    if as_json {
        let explained: Vec<_> =
            core.iter().map(|l| json!({"label": l, "constraint": describe(&problem.request, l)})).collect();
        println!(
            "{}",
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
        );
        return Ok(());
    }
    println!(
        "candidates: {} of {} sights, {} of {} places to eat, {} of {} lodgings",
        pruning.visits.1, pruning.visits.0, pruning.food.1, pruning.food.0, pruning.lodgings.1, pruning.lodgings.0
    );
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
