//! What each subcommand does: load, call the library crates, print.

use crate::progress::Bar;
use crate::{
    Cli, Command, DesignAction, DesignCommand, EvalCommand, MatrixAlgorithm, RecommendAction, RecommendCommand,
    RegionArg, ServeArgs, SolverArgs, VrpAction,
};
use std::error::Error;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;
use tripsmith_model::{LatLon, Profile};
use tripsmith_planner::{Outcome, TripRequest};
use tripsmith_region::planning::CandidateLimits;
use tripsmith_region::trip::{solve_trip, SolveOptions};
use tripsmith_region::Region;
use tripsmith_routing::{osrm, Router};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// Runs the parsed command line.
/// How a command that ran to its end came out: the process's exit status (see [`EXIT_STATUS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verdict {
    /// Done (a plan, a route, an answer).
    #[default]
    Done,
    /// `plan` or `explain`: no itinerary meets every constraint (the conflict is printed).
    Infeasible,
    /// `plan`: the time limit passed before any itinerary was found.
    NoPlanInTime,
    /// `vrp solve`: the answer leaves clients unserved.
    Unserved,
}

impl Verdict {
    /// The exit status.
    pub fn code(self) -> u8 {
        match self {
            Verdict::Done => 0,
            Verdict::Infeasible => 3,
            Verdict::NoPlanInTime => 4,
            Verdict::Unserved => 5,
        }
    }
}

/// The exit statuses, as `--help` and the README give them.
pub const EXIT_STATUS: &str = "Exit status: 0 done; 1 error (a one-line message on stderr); 2 bad arguments; \
3 no itinerary meets every constraint (plan, explain); 4 the time limit passed before any itinerary was found \
(plan); 5 the vehicle-routing answer leaves clients unserved (vrp solve).";

/// Runs a command; its verdict is the exit status.
pub fn run(cli: Cli) -> Result<Verdict> {
    let bar = Bar::new(cli.quiet);
    let verdict = std::cell::Cell::new(Verdict::Done);
    let outcome = dispatch(cli.command, &bar, &verdict);
    bar.finish();
    outcome.map(|()| verdict.get())
}

fn dispatch(command: Command, bar: &Bar, verdict: &std::cell::Cell<Verdict>) -> Result<()> {
    match command {
        Command::Ingest { file, out, json } => ingest(file.as_deref(), out.as_deref(), json, bar),
        Command::Pois { region, near, radius, category, limit, json } => {
            if !(radius.is_finite() && radius > 0.0 && radius <= 100_000.0) {
                return Err(format!("--radius must be between 0 and 100000 metres, got {radius}").into());
            }
            let region = load(&region, bar)?;
            bar.finish();
            let found = region.pois_near(near, radius, category);
            print_pois(&found[..found.len().min(limit)], found.len(), json)
        }
        Command::Route { region, profile, from, to, steps, json } => {
            let region = load(&region, bar)?;
            bar.finish();
            let router = region.router(profile);
            let route = router.route(from, to)?;
            if json {
                let shape = osrm::RouteShape { steps: steps.then_some(router.graph()), ..osrm::RouteShape::GEOJSON };
                println!("{}", osrm::route_response(std::slice::from_ref(&route), &shape));
            } else {
                println!(
                    "{profile} route: {:.0} m in {} ({} points in the geometry)",
                    route.distance_m,
                    human_duration(route.duration_s),
                    route.geometry.len()
                );
                for (name, w) in ["from", "to"].iter().zip(&route.waypoints) {
                    println!("  {name:<4} {} snapped {:.0} m to {}", w.input, w.distance_m, w.location);
                }
                if steps {
                    for (i, step) in tripsmith_routing::steps(&route, router.graph()).iter().enumerate() {
                        let stretch = if step.distance_m > 0.0 {
                            format!(" ({:.0} m, {})", step.distance_m, human_duration(step.duration_s))
                        } else {
                            String::new()
                        };
                        println!("  {:>2}. {}{stretch}", i + 1, step.instruction());
                    }
                }
            }
            Ok(())
        }
        Command::Matrix { region, profile, points, points_file, random, seed, algorithm, json } => {
            let region = load(&region, bar)?;
            let router = region.router(profile);
            let coords = match (points, points_file, random) {
                (Some(text), _, _) => parse_points(&text.replace(';', "\n"), "--points")?,
                (_, Some(path), _) => {
                    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                    parse_points(&text, &path.display().to_string())?
                }
                (_, _, Some(n)) => {
                    // Checked before any work: the table of n × n must fit the router's limit.
                    let most = (tripsmith_routing::MAX_TABLE_CELLS as f64).sqrt() as usize;
                    if n == 0 || n > most {
                        return Err(format!(
                            "--random: give 1 to {most} points (a table of at most {} cells), got {n}",
                            tripsmith_routing::MAX_TABLE_CELLS
                        )
                        .into());
                    }
                    random_points(router, n, seed)?
                }
                _ => return Err("give --points, --points-file or --random N".into()),
            };
            bar.finish();
            let started = std::time::Instant::now();
            let table = match algorithm {
                MatrixAlgorithm::Ch => router.table(&coords, &coords)?,
                MatrixAlgorithm::Dijkstra => router.table_by_dijkstra(&coords, &coords)?,
            };
            let seconds = started.elapsed().as_secs_f64();
            if json {
                let mut value = osrm::table_response(&table);
                if let Some(obj) = value.as_object_mut() {
                    obj.insert("seconds".into(), seconds.into());
                }
                println!("{value}");
            } else {
                print_matrix(&table.durations_s, profile, seconds);
            }
            Ok(())
        }
        Command::Plan { request, region, solver, max_visits, max_food, report, export, json, history } => {
            let defaults = CandidateLimits::for_backend(solver.backend);
            let limits = CandidateLimits {
                max_visits: max_visits.unwrap_or(defaults.max_visits),
                max_food: max_food.unwrap_or(defaults.max_food),
                ..defaults
            };
            let solving = Solving { solver, limits };
            let mut trip = read_request(&request)?;
            if let Some(file) = &history.history {
                let taste = crate::recommend::taste(file, history.user.as_deref())?;
                taste.fill_interests(&mut trip.interests, &mut trip.interests_from_history);
                if !json {
                    println!("{}", crate::recommend::describe_taste(&taste));
                }
            }
            let outputs = Outputs { report: report.as_deref(), export: export.as_deref(), json };
            let done = plan(RequestFile { path: &request, trip }, &region, &solving, outputs, false, bar);
            done.map(|v| verdict.set(v))
        }
        Command::Explain { request, region, solver, report, json } => {
            let solving = Solving { solver, limits: CandidateLimits::for_backend(solver.backend) };
            let trip = read_request(&request)?;
            let outputs = Outputs { report: report.as_deref(), export: None, json };
            let done = plan(RequestFile { path: &request, trip }, &region, &solving, outputs, true, bar);
            done.map(|v| verdict.set(v))
        }
        Command::CheckRequest { file, json } => {
            let request = read_request(&file)?;
            if json {
                println!("{}", serde_json::json!({"request": request, "labels": request.labels()}));
            } else {
                println!(
                    "{}: valid trip request, {} day(s), {} constraint labels:",
                    file.display(),
                    request.days,
                    request.labels().len()
                );
                for label in request.labels() {
                    println!("  {label}");
                }
            }
            Ok(())
        }
        Command::RequestSchema => {
            println!("{}", serde_json::to_string_pretty(&TripRequest::json_schema())?);
            Ok(())
        }
        Command::Serve(args) => serve(args, bar),
        Command::Design(DesignCommand {
            action: Some(DesignAction::Train { dir, candidates, budget, training, seed, out, json }),
            ..
        }) => {
            let args = crate::design::TrainArgs {
                dir,
                candidates,
                budget,
                samples: checked_samples(training.samples)?,
                epochs: training.epochs.min(100_000),
                seed,
                out,
                json,
            };
            crate::design::train(&args, bar)
        }
        Command::Design(DesignCommand {
            action: None,
            dir,
            candidates,
            budget,
            fitness,
            model,
            training,
            top_k,
            seed,
            population,
            generations,
            gap,
            exhaustive,
            json,
        }) => {
            let (Some(dir), Some(candidates)) = (dir, candidates) else {
                return Err("give the network folder and --candidates".into());
            };
            if !(2..=10_000).contains(&population) || generations > 100_000 {
                return Err("--population must be 2 to 10000 and --generations at most 100000".into());
            }
            let ga = tripsmith_netdesign::ga::GaSettings { population, generations, seed, ..Default::default() };
            let surrogate = fitness == crate::FitnessKind::Surrogate;
            if surrogate && exhaustive {
                return Err("--fitness surrogate runs the GA: leave out --exhaustive".into());
            }
            if model.is_some() && !surrogate {
                return Err("--model goes with --fitness surrogate".into());
            }
            let surrogate = if surrogate {
                let source = match model {
                    Some(file) => crate::design::ModelSource::File(file),
                    None => crate::design::ModelSource::Train {
                        samples: checked_samples(training.samples)?,
                        epochs: training.epochs.min(100_000),
                    },
                };
                Some(crate::design::SurrogateArgs { source, top_k: top_k.max(1) })
            } else {
                None
            };
            let args = crate::design::DesignArgs { dir, candidates, budget, ga, gap, exhaustive, surrogate, json };
            crate::design::run(&args, bar)
        }
        Command::Recommend(RecommendCommand { action: None, history, region, near, top, json }) => {
            let Some(file) = history.history else {
                return Err("recommend: give --history FILE, or one of its subcommands (see --help)".into());
            };
            let taste = crate::recommend::taste(&file, history.user.as_deref())?;
            let region = load(&region, bar)?;
            bar.finish();
            crate::recommend::for_history(taste, &region, near, top.clamp(1, 1000), json)
        }
        Command::Recommend(RecommendCommand {
            action: Some(RecommendAction::EvalPlans { dir, seed, json }), ..
        }) => crate::recommend::eval_plans(&dir, seed, json, bar),
        Command::Recommend(RecommendCommand { action: Some(RecommendAction::Eval { dir, seeds, json }), .. }) => {
            if !(1..=20).contains(&seeds) {
                return Err(format!("--seeds {seeds}: give 1 to 20").into());
            }
            crate::recommend::eval(&dir, seeds, json, bar)
        }
        Command::Recommend(RecommendCommand {
            action: Some(RecommendAction::Train { dir, out, seed, epochs }),
            ..
        }) => {
            if epochs.is_some_and(|e| !(1..=1000).contains(&e)) {
                return Err("--epochs: give 1 to 1000".into());
            }
            crate::recommend::train(&dir, &out, seed, epochs, bar)
        }
        Command::Recommend(RecommendCommand {
            action: Some(RecommendAction::Places { dir, model, user, near, top, json }),
            ..
        }) => crate::recommend::places(&dir, &model, user, near, top.clamp(1, 1000), json),
        Command::Recommend(RecommendCommand {
            action: Some(RecommendAction::Intentions { dir, model, top, json }),
            ..
        }) => crate::recommend::intentions(&dir, &model, top.clamp(1, 100), json),
        Command::Vrp { action: VrpAction::Solve(args) } => crate::vrp::solve(&args, bar).map(|v| verdict.set(v)),
        Command::Vrp { action: VrpAction::Check { instance, solution, json } } => {
            crate::vrp::check_file(&instance, &solution, json, bar)
        }
        Command::DesignCandidates { dir, count } => {
            if count == 0 {
                return Err("--count must be at least 1".into());
            }
            crate::design::candidates(&dir, count)
        }
        Command::Assign { dir, algorithm, gap, max_iterations, toll_factor, distance_factor, plot, flows, json } => {
            let factor = |name: &str, f: Option<f64>| match f {
                Some(x) if !(x.is_finite() && x >= 0.0) => Err(format!("--{name} {x}: give a cost factor ≥ 0")),
                _ => Ok(f),
            };
            let factors = tripsmith_traffic::network::CostFactors {
                toll: factor("toll-factor", toll_factor)?,
                distance: factor("distance-factor", distance_factor)?,
            };
            crate::assign::run(
                &crate::assign::AssignArgs {
                    dir,
                    algorithm: algorithm.into(),
                    gap,
                    max_iterations,
                    factors,
                    plot,
                    flows,
                    json,
                },
                bar,
            )
        }
        Command::Eval { benchmark: EvalCommand::Itineraries { set, data, solver, json } } => {
            crate::itineraries::eval(&set, &data, solver.backend, solver.time_limit, json)
        }
        Command::Eval {
            benchmark:
                EvalCommand::Travelplanner {
                    data,
                    queries,
                    format,
                    reference,
                    plans,
                    annotated,
                    time_limit,
                    explain_time,
                    write_plans,
                    json,
                },
        } => {
            let seconds = |name: &str, s: f64| {
                if s.is_finite() && s > 0.0 && s <= 86_400.0 {
                    Ok(Duration::from_secs_f64(s))
                } else {
                    Err(format!("--{name} {s}: give seconds between 0 and 86400"))
                }
            };
            crate::travelplanner::eval(&crate::travelplanner::EvalArgs {
                data: &data,
                queries: queries.as_deref(),
                format,
                reference: reference.as_deref(),
                plans: plans.as_deref(),
                annotated,
                time_limit: seconds("time-limit", time_limit)?,
                explain_time: seconds("explain-time", explain_time)?,
                write_plans: write_plans.as_deref(),
                json,
                quiet: bar.is_hidden(),
            })
        }
        Command::Openapi => {
            println!(
                "{}",
                serde_json::to_string_pretty(&tripsmith_api::openapi::document(
                    &tripsmith_api::ServerConfig::default()
                ))?
            );
            Ok(())
        }
        Command::DemoRegion { out } => {
            let bytes = tripsmith_osm::demo::demo_town_pbf();
            std::fs::write(&out, &bytes).map_err(|e| format!("{}: cannot write: {e}", out.display()))?;
            println!("wrote {} ({} bytes)", out.display(), bytes.len());
            Ok(())
        }
    }
}

/// How to solve: which backend, how long, how many candidates.
struct Solving {
    solver: SolverArgs,
    limits: CandidateLimits,
}

/// Plans (or, with `explain_only`, only explains) a request, prints it and writes the report.
/// A trip request and the file it came from (named in errors and reports).
struct RequestFile<'a> {
    path: &'a Path,
    trip: TripRequest,
}

/// What `plan` writes besides its answer on stdout.
#[derive(Clone, Copy)]
struct Outputs<'a> {
    /// A report (.html, .md, .json).
    report: Option<&'a Path>,
    /// The itinerary for maps (.geojson).
    export: Option<&'a Path>,
    /// The answer as JSON on stdout.
    json: bool,
}

fn plan(
    file: RequestFile,
    region: &RegionArg,
    solving: &Solving,
    outputs: Outputs,
    explain_only: bool,
    bar: &Bar,
) -> Result<Verdict> {
    let Outputs { report, export, json } = outputs;
    let Solving { solver: SolverArgs { backend, time_limit }, limits } = *solving;
    if !(time_limit.is_finite() && time_limit > 0.0 && time_limit <= 3600.0) {
        return Err(format!("--time-limit must be more than 0 and at most 3600 seconds, got {time_limit}").into());
    }
    let RequestFile { path: request, trip } = file;
    // A report that cannot be written is said before the solve, not after it.
    if let Some(path) = report {
        crate::plan_output::check_report_path(path)?;
    }
    let export = match export {
        Some(path) => Some((path, crate::plan_output::check_export_path(path, &trip)?)),
        None => None,
    };
    let region = load(region, bar)?;
    let limit = Duration::from_secs_f64(time_limit);
    // `explain` looks for every minimal core; `plan` reports the first it finds.
    let options = SolveOptions { backend, limits, solve_time: limit, repair_time: limit, all_cores: explain_only };
    let answer = solve_trip(&region, &trip, &options, bar, &AtomicBool::new(false));
    bar.finish();
    let answer = answer.map_err(|e| format!("{}: {e}", request.display()))?;
    if explain_only && !matches!(answer.outcome, Outcome::Infeasible { .. }) {
        println!("{}: the request is feasible; `tripsmith plan` builds its itinerary", request.display());
    } else {
        crate::plan_output::print(&answer, json)?;
    }
    if let Some(path) = report {
        let text = crate::plan_output::report(&region, request, &answer, path)?;
        std::fs::write(path, text).map_err(|e| format!("{}: cannot write report: {e}", path.display()))?;
        if !json {
            println!("report written to {}", path.display());
        }
    }
    if let Some((path, format)) = export {
        match answer.export(&region, format) {
            Ok(text) => {
                std::fs::write(path, text).map_err(|e| format!("{}: cannot write the export: {e}", path.display()))?;
                if !json {
                    println!("itinerary exported to {}", path.display());
                }
            }
            Err(e) => eprintln!("note: {e}, so nothing was exported to {}", path.display()),
        }
    }
    Ok(match answer.outcome {
        Outcome::Infeasible { .. } => Verdict::Infeasible,
        Outcome::Timeout { plan: None } => Verdict::NoPlanInTime,
        _ => Verdict::Done,
    })
}

/// Seconds from a flag, checked to lie in `min..=max`.
fn seconds(flag: &str, value: f64, min: f64, max: f64) -> Result<Duration> {
    if !(value.is_finite() && (min..=max).contains(&value)) {
        return Err(format!("--{flag} must be between {min} and {max} seconds, got {value}").into());
    }
    Ok(Duration::from_secs_f64(value))
}

/// Whether `name` may name a server instance (it appears in metrics labels and job records).
fn valid_instance(name: &str) -> bool {
    (1..=64).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

fn serve(args: ServeArgs, bar: &Bar) -> Result<()> {
    let defaults = tripsmith_api::ServerConfig::default();
    let max_deadline = seconds("max-deadline", args.max_deadline, 1.0, 3600.0)?;
    let config = tripsmith_api::ServerConfig {
        listen: args.listen,
        db: args.db,
        instance: match args.instance {
            Some(name) if valid_instance(&name) => name,
            Some(name) => {
                return Err(format!("--instance {name:?}: give 1 to 64 letters, digits, '-', '_' or '.'").into())
            }
            None => defaults.instance,
        },
        job_lease: seconds("job-lease", args.job_lease, 1.0, 3600.0)?,
        job_attempts: args.job_attempts.clamp(1, 100),
        workers: args.workers.unwrap_or(defaults.workers).clamp(1, 256),
        queue: args.queue.min(100_000),
        default_deadline: seconds("deadline", args.deadline, 1.0, max_deadline.as_secs_f64())?,
        max_deadline,
        body_limit: args.body_limit.clamp(1024, 64 * 1024 * 1024),
        json_logs: args.json_logs,
        shutdown_grace: seconds("shutdown-grace", args.shutdown_grace, 0.0, 3600.0)?,
        travelplanner: args.travelplanner,
        tntp: args.tntp,
        checkins: args.checkins,
    };
    let region = std::sync::Arc::new(load(&args.region, bar)?);
    bar.finish();
    tripsmith_api::run(config, region, |address| {
        println!("listening on http://{address} (docs: http://{address}/docs)");
        // Tests and scripts read the address from this line as soon as it is printed.
        let _ = std::io::Write::flush(&mut std::io::stdout());
    })?;
    Ok(())
}

/// Reads a trip request; `.json` files as JSON, anything else as TOML.
fn read_request(path: &Path) -> Result<TripRequest> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let parsed = if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
        TripRequest::from_json(&text)
    } else {
        TripRequest::from_toml(&text)
    };
    Ok(parsed.map_err(|e| format!("{}: {e}", path.display()))?)
}

fn load(arg: &RegionArg, bar: &Bar) -> Result<Region> {
    Ok(match &arg.region {
        Some(path) => Region::open(path, bar)?,
        None => Region::demo(bar)?,
    })
}

fn ingest(file: Option<&Path>, out: Option<&Path>, json: bool, bar: &Bar) -> Result<()> {
    let region = match file {
        Some(path) => Region::from_pbf_file(path, bar)?,
        None => Region::demo(bar)?,
    };
    if let Some(out) = out {
        region.save_cache(out)?;
    }
    bar.finish();
    let summary = region.summary();
    if json {
        let mut value = serde_json::to_value(summary)?;
        if let (Some(obj), Some(out)) = (value.as_object_mut(), out) {
            obj.insert("cache".into(), out.display().to_string().into());
        }
        println!("{value}");
        return Ok(());
    }
    let mut text = String::new();
    writeln!(
        text,
        "{}: {} bytes read in {:.2} s, contraction hierarchies built in {:.2} s",
        summary.file, summary.bytes, summary.seconds, summary.contract_seconds
    )?;
    writeln!(text, "  elements: {} nodes, {} ways, {} relations", summary.nodes, summary.ways, summary.relations)?;
    writeln!(text, "  elements with key:")?;
    for (key, c) in &summary.elements_with_key {
        writeln!(text, "    {key:<9} {:>6} nodes {:>6} ways", c.nodes, c.ways)?;
    }
    writeln!(
        text,
        "  POIs: {} ({} way POIs without nodes in the file dropped)",
        summary.pois, summary.pois_without_location
    )?;
    for (category, n) in &summary.pois_by_category {
        writeln!(text, "    {category:<12} {n:>6}")?;
    }
    let oh = &summary.opening_hours;
    writeln!(text, "  opening_hours: {} parsed, {} unparseable (raw kept)", oh.parsed, oh.unparseable)?;
    for ex in oh.unparseable_examples.iter().take(5) {
        writeln!(text, "    {} {:?}: {}", ex.osm, ex.raw, ex.reason)?;
    }
    writeln!(text, "  road graphs (largest strongly connected component):")?;
    for (profile, p) in &summary.profiles {
        writeln!(
            text,
            "    {profile:<5} {:>8} nodes {:>8} edges ({} nodes outside dropped)",
            p.nodes, p.edges, p.dropped_nodes
        )?;
    }
    if let Some(out) = out {
        writeln!(text, "  cache written to {}", out.display())?;
    }
    print!("{text}");
    Ok(())
}

fn print_pois(pois: &[(&tripsmith_model::Poi, f64)], total: usize, json: bool) -> Result<()> {
    if json {
        let items: Vec<serde_json::Value> = pois
            .iter()
            .map(|(p, d)| {
                let mut v = serde_json::to_value(p).unwrap_or_default();
                if let Some(o) = v.as_object_mut() {
                    o.insert("distance_m".into(), ((d * 10.0).round() / 10.0).into());
                }
                v
            })
            .collect();
        println!("{}", serde_json::json!({"total": total, "pois": items}));
        return Ok(());
    }
    println!(
        "{total} POIs found{}",
        if total > pois.len() { format!(", showing {}", pois.len()) } else { String::new() }
    );
    for (p, d) in pois {
        let hours = p.opening_hours.as_ref().map(|h| h.raw.as_str()).unwrap_or("-");
        println!("{d:>7.0} m  {:<12} {:<40} {hours}", p.category.as_str(), p.display_name());
    }
    Ok(())
}

fn parse_points(text: &str, source: &str) -> Result<Vec<LatLon>> {
    let mut points = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        points.push(line.parse::<LatLon>().map_err(|e| format!("{source}: point {} ({line:?}): {e}", i + 1))?);
    }
    if points.is_empty() {
        return Err(format!("{source}: no points").into());
    }
    Ok(points)
}

/// `n` random points near the roads of `router`, or an error saying how many were found.
fn random_points(router: &Router, n: usize, seed: u64) -> Result<Vec<LatLon>> {
    let points = router.random_points(n, seed);
    if points.len() < n {
        return Err(format!("found only {} of {n} random points near roads", points.len()).into());
    }
    Ok(points)
}

fn print_matrix(durations: &[Vec<Option<f64>>], profile: Profile, seconds: f64) {
    let n = durations.len();
    println!("{n} × {n} {profile} travel-time matrix computed in {:.3} s", seconds);
    if n <= 12 {
        for row in durations {
            let cells: Vec<String> =
                row.iter().map(|c| c.map_or("      -".to_string(), |s| format!("{:>7}", human_duration(s)))).collect();
            println!("  {}", cells.join(" "));
        }
    } else {
        let values: Vec<f64> = durations.iter().flatten().flatten().copied().collect();
        let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
        let max = values.iter().copied().fold(0.0, f64::max);
        println!("  {} reachable pairs, mean {}, max {}", values.len(), human_duration(mean), human_duration(max));
    }
}

fn human_duration(s: f64) -> String {
    let s = s.round() as u64;
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}

/// The number of training equilibria, checked.
fn checked_samples(samples: usize) -> Result<usize> {
    if (10..=100_000).contains(&samples) {
        Ok(samples)
    } else {
        Err(format!("--samples {samples}: give 10 to 100000 equilibria to learn from").into())
    }
}
