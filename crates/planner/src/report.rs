//! Reports of a planning outcome: self-contained HTML (timeline, costs, an SVG map of each
//! day's route over the road network, or the core, its explanation and the verified repairs),
//! and the same content as Markdown.

use crate::catalog::Problem;
use crate::checker::Violation;
use crate::itinerary::{Activity, Itinerary};
use crate::label::Label;
use crate::outcome::Outcome;
use crate::repair::Repair;
use std::fmt::Write as _;
use tripsmith_model::LatLon;

/// Everything a report shows.
pub struct ReportData<'a> {
    /// Title (usually the request file).
    pub title: String,
    /// The problem solved.
    pub problem: &'a Problem,
    /// What the solver found.
    pub outcome: &'a Outcome,
    /// Verified repairs (infeasible requests).
    pub repairs: &'a [Repair],
    /// Every minimal core found (infeasible requests), the outcome's own first, each label
    /// with its constraint in words.
    pub cores: Vec<Vec<(Label, String)>>,
    /// What the independent checker found in the plan.
    pub violations: &'a [Violation],
    /// The backend that found the outcome.
    pub engine: crate::Backend,
    /// An upper bound on the plan's value, when one is known.
    pub bound: Option<f64>,
    /// Road geometry of each leg, per day (from the lodging or previous stop to each stop, then back).
    pub legs: Vec<Vec<Vec<LatLon>>>,
    /// Road segments to draw under the routes.
    pub roads: Vec<[LatLon; 2]>,
}

const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// The verdict, and for a plan which backend found it and how close to the best it is.
fn status_line(data: &ReportData) -> String {
    let verdict = match data.outcome {
        Outcome::Feasible { .. } => "Feasible: the itinerary below meets every constraint.",
        Outcome::Timeout { plan: Some(_) } => "Time limit reached: the best itinerary found so far.",
        Outcome::Timeout { plan: None } => "Time limit reached before any itinerary was found.",
        Outcome::Infeasible { .. } => "Infeasible: no itinerary meets every constraint.",
    };
    match data.outcome.plan() {
        Some(plan) => {
            let optimal = matches!(data.outcome, Outcome::Feasible { optimal: true, .. });
            format!("{verdict} {}", crate::bound::found_by_in_words(data.engine, optimal, plan.value(), data.bound))
        }
        None => verdict.to_string(),
    }
}

fn what(problem: &Problem, stop: &crate::itinerary::Stop) -> String {
    match stop.activity {
        Activity::Visit => problem.candidates[stop.candidate].category.to_string(),
        Activity::Meal(kind) => kind.as_str().to_string(),
    }
}

/// The plan's totals, as (name, value) lines.
fn totals(plan: &Itinerary) -> [(&'static str, String); 4] {
    [
        ("interest score", plan.score_in_words()),
        ("cost", plan.cost.to_string()),
        ("travel", format!("{:.1} km", f64::from(plan.travel_m) / 1000.0)),
        (
            "lodging",
            match (&plan.lodging_name, plan.lodging_caveat()) {
                (Some(name), Some(caveat)) => format!("{name} ({caveat})"),
                (Some(name), None) => name.clone(),
                (None, _) => "none".into(),
            },
        ),
    ]
}

/// `Day 2 (2026-06-07, Sunday)`.
fn day_heading(day: &crate::itinerary::DayPlan) -> String {
    let date = day.date.map(|d| format!("{d}, ")).unwrap_or_default();
    format!("Day {} ({date}{})", day.day, WEEKDAYS[day.weekday % 7])
}

/// Why a stop is in the plan, in one line.
fn why(stop: &crate::itinerary::Stop) -> String {
    stop.why.join("; ")
}

/// The free time of a day, when there is some worth saying.
fn free_time(day: &crate::itinerary::DayPlan) -> Option<String> {
    (day.free_minutes >= 30).then(|| format!("{} h {:02} min", day.free_minutes / 60, day.free_minutes % 60))
}

/// The report as Markdown.
pub fn markdown(data: &ReportData) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Trip plan: {}\n\n{}\n", data.title, status_line(data));
    if let Some(plan) = data.outcome.plan() {
        for (name, value) in totals(plan) {
            let _ = writeln!(md, "- {name}: {value}");
        }
        md.push('\n');
        for day in &plan.days {
            let _ = writeln!(md, "## {}\n", day_heading(day));
            let _ = writeln!(md, "| time | place | what | why | travel | cost |\n|---|---|---|---|---|---|");
            let rest_row = |md: &mut String, i: usize| {
                if let (Some(rest), true) = (day.rest, day.stops_before_rest() == Some(i)) {
                    let _ = writeln!(md, "| {}–{} | break | free time | | | |", rest.start, rest.end);
                }
            };
            for (i, s) in day.stops.iter().enumerate() {
                rest_row(&mut md, i);
                let _ = writeln!(
                    md,
                    "| {}–{} | {} | {} | {} | {} min{}, {} m | {} |",
                    s.start,
                    s.end,
                    s.name.replace('|', "/"),
                    what(data.problem, s),
                    why(s).replace('|', "/"),
                    s.travel_minutes,
                    s.how(),
                    s.travel_m,
                    s.cost
                );
            }
            rest_row(&mut md, day.stops.len());
            if let Some(back) = day.back_at_base {
                let _ = writeln!(md, "| {back} | back at the lodging | | | | |");
            }
            if let Some(free) = free_time(day) {
                let _ = writeln!(md, "\nFree time: {free}.");
            }
            if let Some(note) = day.missing_rest(&data.problem.request) {
                let _ = writeln!(md, "\nNote: {note}.");
            }
            md.push('\n');
        }
        if data.violations.is_empty() {
            md.push_str("Independent check: the itinerary meets every constraint.\n");
        } else {
            md.push_str("Independent check found violations:\n\n");
            for v in data.violations {
                let _ = writeln!(md, "- `{}`: {}", v.label, v.detail);
            }
        }
    }
    if matches!(data.outcome, Outcome::Infeasible { .. }) {
        md.push_str("## Why\n\nThese constraints of the request cannot all hold (a minimal set: relaxing any one removes this conflict):\n\n");
        for (k, core) in data.cores.iter().enumerate() {
            if k > 0 {
                md.push_str("\nThese cannot all hold either (another minimal set):\n\n");
            }
            for (label, words) in core {
                let _ = writeln!(md, "- `{label}`: {words}");
            }
        }
        md.push_str("\n## What would make it possible\n\n");
        if data.repairs.is_empty() {
            md.push_str("No single change was verified within the time limit.\n");
        }
        for r in data.repairs {
            let _ = writeln!(
                md,
                "- {} (relaxes `{}`; verified by solving the changed request)",
                r.in_words(),
                r.constraints()
            );
        }
    }
    md
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const COLOURS: [&str; 6] = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf"];

/// An SVG map of one day: roads in grey, the day's legs in colour, numbered stops.
fn day_svg(data: &ReportData, day: usize, plan: &Itinerary) -> String {
    let legs = data.legs.get(day).cloned().unwrap_or_default();
    let stops: Vec<LatLon> =
        plan.days[day].stops.iter().map(|s| data.problem.candidates[s.candidate].location).collect();
    let lodging = plan.lodging.map(|l| data.problem.candidates[l].location);
    let points: Vec<LatLon> = legs.iter().flatten().copied().chain(stops.iter().copied()).chain(lodging).collect();
    if points.is_empty() {
        return String::new();
    }
    let (mut lo_lat, mut hi_lat, mut lo_lon, mut hi_lon) = (90.0f64, -90.0f64, 180.0f64, -180.0f64);
    for p in &points {
        (lo_lat, hi_lat, lo_lon, hi_lon) = (lo_lat.min(p.lat), hi_lat.max(p.lat), lo_lon.min(p.lon), hi_lon.max(p.lon));
    }
    let margin = 0.1 * (hi_lat - lo_lat).max(hi_lon - lo_lon).max(0.002);
    (lo_lat, hi_lat, lo_lon, hi_lon) = (lo_lat - margin, hi_lat + margin, lo_lon - margin, hi_lon + margin);
    let k = ((lo_lat + hi_lat) / 2.0).to_radians().cos();
    let (w, h) = ((hi_lon - lo_lon) * k, hi_lat - lo_lat);
    let (width, height) = if w > h { (640.0, 640.0 * h / w) } else { (640.0 * w / h, 640.0) };
    let xy = |p: &LatLon| ((p.lon - lo_lon) * k / w * width, (hi_lat - p.lat) / h * height);
    let inside = |p: &LatLon| (lo_lat..=hi_lat).contains(&p.lat) && (lo_lon..=hi_lon).contains(&p.lon);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.1} {height:.1}\"><rect width=\"100%\" height=\"100%\" fill=\"#fafaf7\"/>"
    );
    let mut roads = String::new();
    for [a, b] in data.roads.iter().filter(|[a, b]| inside(a) || inside(b)) {
        let ((x1, y1), (x2, y2)) = (xy(a), xy(b));
        let _ = write!(roads, "M{x1:.1} {y1:.1}L{x2:.1} {y2:.1}");
    }
    let _ = write!(svg, "<path d=\"{roads}\" stroke=\"#cccccc\" stroke-width=\"1\" fill=\"none\"/>");
    svg.push_str(&legend(width, lodging.is_some()));
    for (i, leg) in legs.iter().enumerate() {
        let path: Vec<String> = leg
            .iter()
            .map(|p| {
                let (x, y) = xy(p);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let _ = write!(
            svg,
            "<polyline points=\"{}\" stroke=\"{}\" stroke-width=\"3\" fill=\"none\" opacity=\"0.8\"/>",
            path.join(" "),
            COLOURS[i % COLOURS.len()]
        );
    }
    if let Some(p) = &lodging {
        let (x, y) = xy(p);
        let _ = write!(
            svg,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"16\" height=\"16\" fill=\"#0a58ca\"/><text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#fff\" font-family=\"sans-serif\">H</text>",
            x - 8.0,
            y - 8.0,
            y + 4.0
        );
    }
    for (i, p) in stops.iter().enumerate() {
        let (x, y) = xy(p);
        let _ = write!(svg, "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"9\" fill=\"#222\"/><text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#fff\" font-family=\"sans-serif\">{}</text>", y + 4.0, i + 1);
    }
    svg.push_str("</svg>");
    svg
}

/// The map's legend, in its top-left corner.
fn legend(width: f64, lodging: bool) -> String {
    let mut items = vec![
        ("<circle cx=\"10\" cy=\"0\" r=\"6\" fill=\"#222\"/>", "stop, numbered in visiting order"),
        (
            "<line x1=\"2\" y1=\"0\" x2=\"18\" y2=\"0\" stroke=\"#d62728\" stroke-width=\"3\"/>",
            "route, one colour a leg",
        ),
        ("<line x1=\"2\" y1=\"0\" x2=\"18\" y2=\"0\" stroke=\"#cccccc\" stroke-width=\"2\"/>", "roads and paths"),
    ];
    if lodging {
        items.push(("<rect x=\"4\" y=\"-6\" width=\"12\" height=\"12\" fill=\"#0a58ca\"/>", "lodging (H)"));
    }
    let height = 12.0 + 18.0 * items.len() as f64;
    let mut g = format!(
        "<g font-family=\"sans-serif\" font-size=\"11\"><rect x=\"6\" y=\"6\" width=\"{:.0}\" height=\"{height:.0}\" fill=\"#ffffff\" opacity=\"0.85\" stroke=\"#bbbbbb\"/>",
        (width - 12.0).min(230.0)
    );
    for (i, (mark, text)) in items.iter().enumerate() {
        let y = 22.0 + 18.0 * i as f64;
        let _ = write!(g, "<g transform=\"translate(10 {y:.0})\">{mark}<text x=\"24\" y=\"4\">{text}</text></g>");
    }
    g.push_str("</g>");
    g
}

/// The report as one self-contained HTML page (no scripts, no external files).
pub fn html(data: &ReportData) -> String {
    let mut out = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Trip plan: {t}</title><style>body{{font-family:sans-serif;max-width:900px;margin:2em auto;color:#222}}table{{border-collapse:collapse;margin:1em 0}}td,th{{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left}}.ok{{color:#2a7}}.bad{{color:#c22}}code{{background:#f3f3f3;padding:1px 4px}}</style></head><body><h1>Trip plan: {t}</h1><p>{s}</p>",
        t = escape(&data.title),
        s = escape(&status_line(data))
    );
    if let Some(plan) = data.outcome.plan() {
        out.push_str("<ul>");
        for (name, value) in totals(plan) {
            let _ = write!(out, "<li>{name}: {}</li>", escape(&value));
        }
        out.push_str("</ul>");
        for (d, day) in plan.days.iter().enumerate() {
            let _ = write!(out, "<h2>{}</h2><table><tr><th>#</th><th>time</th><th>place</th><th>what</th><th>why</th><th>travel</th><th>cost</th></tr>", day_heading(day));
            let rest_row = |out: &mut String, i: usize| {
                if let (Some(rest), true) = (day.rest, day.stops_before_rest() == Some(i)) {
                    let _ = write!(
                        out,
                        "<tr><td></td><td>{}–{}</td><td>break</td><td>free time</td><td></td><td></td><td></td></tr>",
                        rest.start, rest.end
                    );
                }
            };
            for (i, s) in day.stops.iter().enumerate() {
                rest_row(&mut out, i);
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td>{}–{}</td><td>{}</td><td>{}</td><td><small>{}</small></td><td>{} min{}, {} m</td><td>{}</td></tr>",
                    i + 1,
                    s.start,
                    s.end,
                    escape(&s.name),
                    what(data.problem, s),
                    escape(&why(s)),
                    s.travel_minutes,
                    s.how(),
                    s.travel_m,
                    s.cost
                );
            }
            rest_row(&mut out, day.stops.len());
            if let Some(back) = day.back_at_base {
                let _ = write!(
                    out,
                    "<tr><td></td><td>{back}</td><td>back at the lodging</td><td></td><td></td><td></td><td></td></tr>"
                );
            }
            out.push_str("</table>");
            if let Some(free) = free_time(day) {
                let _ = write!(out, "<p>Free time: {free}.</p>");
            }
            if let Some(note) = day.missing_rest(&data.problem.request) {
                let _ = write!(out, "<p>Note: {}.</p>", escape(&note));
            }
            out.push_str(&day_svg(data, d, plan));
        }
        if data.violations.is_empty() {
            out.push_str("<p class=\"ok\">Independent check: the itinerary meets every constraint.</p>");
        } else {
            out.push_str("<p class=\"bad\">Independent check found violations:</p><ul>");
            for v in data.violations {
                let _ = write!(out, "<li><code>{}</code>: {}</li>", escape(&v.label.to_string()), escape(&v.detail));
            }
            out.push_str("</ul>");
        }
    }
    if matches!(data.outcome, Outcome::Infeasible { .. }) {
        out.push_str("<h2>Why</h2><p>These constraints of the request cannot all hold (a minimal set: relaxing any one removes this conflict):</p>");
        for (k, core) in data.cores.iter().enumerate() {
            if k > 0 {
                out.push_str("<p>These cannot all hold either (another minimal set):</p>");
            }
            out.push_str("<ul>");
            for (label, words) in core {
                let _ = write!(out, "<li><code>{}</code>: {}</li>", escape(&label.to_string()), escape(words));
            }
            out.push_str("</ul>");
        }
        out.push_str("<h2>What would make it possible</h2><ul>");
        if data.repairs.is_empty() {
            out.push_str("<li>No single change was verified within the time limit.</li>");
        }
        for r in data.repairs {
            let _ = write!(
                out,
                "<li>{} (relaxes <code>{}</code>; verified by solving the changed request)</li>",
                escape(&r.in_words()),
                escape(&r.constraints())
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("<p><small>Map data © OpenStreetMap contributors (ODbL) where the region is a real extract.</small></p></body></html>\n");
    out
}
