//! Prints planning answers: a day-by-day timeline, or the conflicting constraints.

use std::error::Error;
use std::path::Path;
use tripsmith_planner::{Activity, Itinerary, Problem, TripRequest};
use tripsmith_region::export::{ExportError, ExportFormat};
use tripsmith_region::trip::{PlanStatus, ReportFormat, TripAnswer};
use tripsmith_region::Region;

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Prints an answer as text or as one JSON object; every plan is re-checked first.
pub fn print(answer: &TripAnswer, as_json: bool) -> Result<(), Box<dyn Error>> {
    let summary = answer.summary();
    if as_json {
        println!("{}", serde_json::to_string(&summary)?);
        return Ok(());
    }
    let (problem, pruning) = (&answer.problem, &summary.candidates);
    println!(
        "candidates: {} of {} sights, {} of {} places to eat, {} of {} lodgings",
        pruning.visits.1, pruning.visits.0, pruning.food.1, pruning.food.0, pruning.lodgings.1, pruning.lodgings.0
    );
    if let Some(k) = pruning.nearest_arcs {
        println!("arcs: each sight linked to its {k} nearest sights only, so the plan is not called optimal");
    }
    match (summary.status, &summary.plan) {
        (PlanStatus::Infeasible, _) => {
            println!(
                "No itinerary meets every constraint. These conflict (relaxing any one of them removes this conflict):"
            );
            for e in &summary.explanation {
                println!("  - {}: {}", e.label, e.constraint);
            }
            for other in summary.cores.iter().skip(1) {
                println!("These conflict too (another minimal set):");
                for e in other.iter().map(|label| answer.explained(label)) {
                    println!("  - {}: {}", e.label, e.constraint);
                }
            }
            if summary.repairs.is_empty() {
                println!("No single change was verified to make the trip possible within the time limit.");
            } else {
                println!("Changes that make it possible (each verified by solving the changed request):");
                for r in &summary.repairs {
                    println!("  - {} [{}]", r.in_words(), r.constraints());
                }
            }
        }
        (status, Some(plan)) => {
            print_plan(problem, plan, status, summary.optimal);
            let found = tripsmith_planner::bound::found_by_in_words;
            println!("{}", found(summary.engine, summary.optimal, plan.value(), summary.bound));
        }
        _ => println!("The time limit passed before any itinerary was found."),
    }
    if summary.plan.is_some() {
        let violations = &summary.checker.violations;
        if violations.is_empty() {
            println!("checker: the itinerary meets every constraint");
        } else {
            println!("checker: {} violation(s)", violations.len());
            for v in violations {
                println!("  - {v}");
            }
        }
    }
    Ok(())
}

/// The formats a report file may have, by extension.
enum ReportFile {
    Json,
    Page(ReportFormat),
}

/// The report format `path`'s extension names (.html/.htm, .md/.markdown, .json).
fn report_file(path: &Path) -> Result<ReportFile, Box<dyn Error>> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    match ext.as_str() {
        "json" => Ok(ReportFile::Json),
        "html" | "htm" => Ok(ReportFile::Page(ReportFormat::Html)),
        "md" | "markdown" => Ok(ReportFile::Page(ReportFormat::Markdown)),
        _ => Err(format!("{}: report must end in .html, .md or .json", path.display()).into()),
    }
}

/// Checks, before any work, that a report can be written to `path`: a known extension and an
/// existing folder.
pub fn check_report_path(path: &Path) -> Result<(), Box<dyn Error>> {
    report_file(path)?;
    writable_folder(path)
}

/// Checks, before any work, that the itinerary can be exported to `path` for `request`: a known
/// extension (.geojson, .gpx, .ics), an existing folder, and dates for a calendar; returns the
/// format.
pub fn check_export_path(path: &Path, request: &TripRequest) -> Result<ExportFormat, Box<dyn Error>> {
    let format = ExportFormat::from_path(path).ok_or_else(|| {
        let known: Vec<String> = ExportFormat::ALL.iter().map(|f| format!(".{}", f.extension())).collect();
        format!("{}: --export must end in {}", path.display(), known.join(", "))
    })?;
    if format == ExportFormat::ICalendar && request.start_date.is_none() {
        return Err(format!("{}: {}", path.display(), ExportError::NoDates).into());
    }
    writable_folder(path)?;
    Ok(format)
}

/// Whether the folder `path` would be written in exists.
fn writable_folder(path: &Path) -> Result<(), Box<dyn Error>> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !folder.is_dir() {
        return Err(format!("{}: cannot write it: no folder {}", path.display(), folder.display()).into());
    }
    Ok(())
}

/// Renders the report named by `path`'s extension (.html/.htm, .md, .json).
pub fn report(region: &Region, request: &Path, answer: &TripAnswer, path: &Path) -> Result<String, Box<dyn Error>> {
    let title = format!("{} ({})", answer.title(region), request.display());
    match report_file(path)? {
        ReportFile::Json => Ok(format!("{:#}\n", serde_json::to_value(answer.summary())?)),
        ReportFile::Page(format) => Ok(answer.report(region, &title, format)),
    }
}

fn print_plan(problem: &Problem, plan: &Itinerary, status: PlanStatus, optimal: bool) {
    let quality = match (status, optimal) {
        (PlanStatus::Timeout, _) => "best found before the time limit",
        (_, true) => "proven optimal",
        _ => "not proven optimal",
    };
    println!(
        "itinerary: {} day(s), interest score {} ({quality}), cost {}, {:.1} km of travel",
        plan.days.len(),
        plan.score_in_words(),
        plan.cost,
        f64::from(plan.travel_m) / 1000.0
    );
    if let Some(name) = &plan.lodging_name {
        println!("lodging: {name}");
    }
    if let Some(caveat) = plan.lodging_caveat() {
        println!("  note: {caveat}");
    }
    for day in &plan.days {
        let date = day.date.map(|d| format!("{d}, ")).unwrap_or_default();
        println!("day {} ({date}{})", day.day, WEEKDAYS[day.weekday % 7]);
        let rest_at = day.stops_before_rest();
        let print_rest = |i: usize| {
            if let (Some(rest), true) = (day.rest, rest_at == Some(i)) {
                println!("  {}–{}  {:<34} free time", rest.start, rest.end, "break");
            }
        };
        for (i, s) in day.stops.iter().enumerate() {
            print_rest(i);
            let what = match s.activity {
                Activity::Visit => problem.candidates[s.candidate].category.to_string(),
                Activity::Meal(kind) => kind.as_str().to_string(),
            };
            let mode = s.how();
            println!(
                "  {}–{}  {:<34} {:<11} {:>3} min{mode}, {:>5} m{}",
                s.start,
                s.end,
                s.name,
                what,
                s.travel_minutes,
                s.travel_m,
                if s.cost.cents() > 0 { format!(", {}", s.cost) } else { String::new() }
            );
            if let Some(why) = s.why.first() {
                println!("               {} · {why}", s.id);
            }
        }
        print_rest(day.stops.len());
        if let Some(back) = day.back_at_base {
            println!("  {back}        back at the lodging");
        }
        if let Some(note) = day.missing_rest(&problem.request) {
            println!("  {note}");
        }
        if day.free_minutes >= 30 {
            println!("  free time: {} h {:02} min", day.free_minutes / 60, day.free_minutes % 60);
        }
    }
}
