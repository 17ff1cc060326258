//! `tripsmith`: the command line of the tripsmith travel and POI planning engine.

mod assign;
mod commands;
mod design;
mod itineraries;
mod plan_output;
mod progress;
mod recommend;
mod travelplanner;
mod vrp;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use tripsmith_model::{Category, LatLon, Profile};
use tripsmith_planner::Backend;

/// mimalloc rather than glibc's allocator: tensor code allocates and frees megabyte buffers on
/// every operation, which glibc returns to the system and page-faults back each time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Travel and POI planning on OpenStreetMap data.
#[derive(Parser)]
#[command(name = "tripsmith", version, about, long_about = None, after_help = commands::EXIT_STATUS)]
struct Cli {
    /// Hide progress bars.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

/// Where the region comes from: an `.osm.pbf` extract or a cache written by `ingest --out`.
#[derive(clap::Args, Clone)]
struct RegionArg {
    /// Region file: an .osm.pbf extract or a cache from `tripsmith ingest --out`.
    /// Default: the embedded demo town.
    #[arg(long, env = "TRIPSMITH_REGION")]
    region: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Read an .osm.pbf extract: POI catalog, road graphs, contraction hierarchies; print a summary.
    Ingest {
        /// The .osm.pbf file (default: the embedded demo town).
        file: Option<PathBuf>,
        /// Write the ingested region to this cache file (loads much faster than the PBF).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print the summary as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// List POIs near a point, nearest first.
    Pois {
        #[command(flatten)]
        region: RegionArg,
        /// Centre as LAT,LON.
        #[arg(long, allow_hyphen_values = true)]
        near: LatLon,
        /// Radius in metres (at most 100 km).
        #[arg(long, default_value_t = 500.0, allow_negative_numbers = true)]
        radius: f64,
        /// Only this category (e.g. museum, restaurant, lodging).
        #[arg(long)]
        category: Option<Category>,
        /// At most this many POIs.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Fastest route between two points.
    Route {
        #[command(flatten)]
        region: RegionArg,
        /// foot or car.
        #[arg(long, default_value = "foot")]
        profile: Profile,
        /// Start as LAT,LON.
        #[arg(long, allow_hyphen_values = true)]
        from: LatLon,
        /// End as LAT,LON.
        #[arg(long, allow_hyphen_values = true)]
        to: LatLon,
        /// Turn-by-turn directions: one line per maneuver with the street names from OSM (with
        /// --json: OSRM's `steps` in the leg).
        #[arg(long)]
        steps: bool,
        /// Print OSRM-style JSON with a GeoJSON geometry.
        #[arg(long)]
        json: bool,
    },
    /// Travel-time and distance matrix between points.
    Matrix {
        #[command(flatten)]
        region: RegionArg,
        /// foot or car.
        #[arg(long, default_value = "foot")]
        profile: Profile,
        /// Points as "LAT,LON;LAT,LON;...".
        #[arg(long, allow_hyphen_values = true, conflicts_with_all = ["points_file", "random"])]
        points: Option<String>,
        /// A file with one LAT,LON per line.
        #[arg(long, conflicts_with = "random")]
        points_file: Option<PathBuf>,
        /// Use N random points near the roads of the region.
        #[arg(long)]
        random: Option<usize>,
        /// Seed for --random.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// ch: contraction hierarchy (the product); dijkstra: one plain Dijkstra per source (the reference).
        #[arg(long, value_enum, default_value_t = MatrixAlgorithm::Ch)]
        algorithm: MatrixAlgorithm,
        /// Print OSRM-style table JSON.
        #[arg(long)]
        json: bool,
    },
    /// Plan a trip: the best itinerary for a request, or a minimal set of its constraints that conflict.
    Plan {
        /// The trip request (.toml or .json; see constraints/README.md).
        request: PathBuf,
        #[command(flatten)]
        region: RegionArg,
        #[command(flatten)]
        solver: SolverArgs,
        /// Sights given to the solver, most valuable first (named places always); default: 250
        /// for the route search, 16 for milp and smt.
        #[arg(long)]
        max_visits: Option<usize>,
        /// Places to eat given to the solver; default: 40 for the route search, 8 for milp and smt.
        #[arg(long)]
        max_food: Option<usize>,
        /// Also write a report: .html (self-contained, with day maps), .md or .json.
        #[arg(long)]
        report: Option<PathBuf>,
        /// Also write the itinerary for maps and apps, by extension: .geojson (stops as points,
        /// legs as lines along the roads), .gpx (waypoints, a route and a road track per day) or
        /// .ics (calendar events at the stops' times; needs the request's start_date).
        #[arg(long)]
        export: Option<PathBuf>,
        /// Print {"status", "optimal", "engine", "bound", "gap", "plan", "core", "explanation", "repairs", "checker", "candidates"} as JSON.
        #[arg(long)]
        json: bool,
        // Scores places by a check-in history's taste (categories the request's `interests`
        // do not weigh take the history's weights).
        #[command(flatten)]
        history: HistoryArg,
    },
    /// Explain why a trip request is impossible: every minimal set of conflicting constraints (up to 10) and verified repairs.
    Explain {
        /// The trip request (.toml or .json).
        request: PathBuf,
        #[command(flatten)]
        region: RegionArg,
        #[command(flatten)]
        solver: SolverArgs,
        /// Also write the report: .html, .md or .json.
        #[arg(long)]
        report: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Validate a trip request (TOML or JSON) and list the labels of its constraints.
    CheckRequest {
        /// The request file (.toml or .json).
        file: PathBuf,
        /// Print the request (with defaults filled in) and its labels as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the JSON Schema of trip requests (committed as constraints/trip-request.schema.json).
    RequestSchema,
    /// User-equilibrium traffic assignment on a TNTP network folder (*_net.tntp, *_trips.tntp,
    /// optional *_flow.tntp with best-known flows to compare against).
    Assign {
        /// The network folder.
        dir: PathBuf,
        /// fw, cfw, bfw (Frank-Wolfe variants) or gp (path-based gradient projection, for tight gaps).
        #[arg(long, value_enum, default_value = "gp")]
        algorithm: AssignAlgorithm,
        /// Relative gap to reach.
        #[arg(long, default_value_t = 1e-6)]
        gap: f64,
        /// Most iterations.
        #[arg(long, default_value_t = 10_000)]
        max_iterations: usize,
        /// Cost per unit of toll (default: the net file's TOLL FACTOR metadata, else 0).
        #[arg(long)]
        toll_factor: Option<f64>,
        /// Cost per unit of length (default: the net file's DISTANCE FACTOR metadata, else 0).
        #[arg(long)]
        distance_factor: Option<f64>,
        /// Write the convergence plot (relative gap against seconds) to this SVG file.
        #[arg(long, value_name = "FILE.svg")]
        plot: Option<PathBuf>,
        /// Include the link flows and costs in the JSON.
        #[arg(long)]
        flows: bool,
        /// Print {"relative_gap", "iterations", "tstt", "beckmann", "seconds", "best_known"?, "flows"?} as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Network design: add lanes on candidate links within a budget to minimise the equilibrium
    /// total travel time (genetic algorithm, or every choice with --exhaustive);
    /// `design train` trains and saves a surrogate.
    Design(DesignCommand),
    /// Vehicle routing (CVRP, VRPTW, TSP) on VRPLIB, TSPLIB and Solomon files.
    Vrp {
        #[command(subcommand)]
        action: VrpAction,
    },
    /// Out-of-town POI recommendation: `--history FILE` ranks a region's OSM places for a
    /// check-in history; the subcommands evaluate and use the models on check-in data sets.
    Recommend(RecommendCommand),
    /// Print a candidate-link file: the links busiest relative to their capacity at equilibrium.
    DesignCandidates {
        /// The network folder (TNTP).
        dir: PathBuf,
        /// How many links.
        #[arg(long, default_value_t = 10)]
        count: usize,
    },
    /// Evaluate benchmark plans.
    Eval {
        #[command(subcommand)]
        benchmark: EvalCommand,
    },
    /// Run the REST API server (see /docs once it runs).
    Serve(ServeArgs),
    /// Print the REST API's OpenAPI document (committed as api/openapi.json).
    Openapi,
    /// Write the demo town's .osm.pbf (the embedded default region) to a file.
    DemoRegion {
        /// Output file.
        #[arg(long, default_value = "data-osm/demo-town.osm.pbf")]
        out: PathBuf,
    },
}

/// How `tripsmith matrix` computes its table.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum MatrixAlgorithm {
    /// Contraction hierarchy, bucket many-to-many.
    Ch,
    /// One plain Dijkstra search per source.
    Dijkstra,
}

/// A reader that closed the pipe (`tripsmith matrix --json | head`) ends the program quietly:
/// Rust's `println!` panics on a closed stdout, so that one panic exits with status 0 instead
/// of printing a panic message; every other panic keeps the standard report.
fn quiet_on_closed_pipe() {
    let standard = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        standard(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let cli = Cli::parse();
    if matches!(cli.command, Command::Design(_)) && std::env::var_os("RAYON_NUM_THREADS").is_none() {
        // Set before any thread starts. The surrogate's tensors are small: the tensor library
        // splitting each operation over threads costs more than it gains (on Sioux Falls the
        // GA's predictions run 3x and training 1.4x faster on one thread), and nothing else in
        // `design` uses the thread pool.
        std::env::set_var("RAYON_NUM_THREADS", "1");
    }
    match commands::run(cli) {
        Ok(verdict) => ExitCode::from(verdict.code()),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `tripsmith design`: a search, or `design train`.
#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
struct DesignCommand {
    #[command(subcommand)]
    action: Option<DesignAction>,
    /// The network folder (TNTP).
    #[arg(required = true)]
    dir: Option<PathBuf>,
    /// Candidate links, a CSV of from,to (see crates/netdesign/candidates/).
    #[arg(long, required = true)]
    candidates: Option<PathBuf>,
    /// Budget as a share of the candidates' total lane cost.
    #[arg(long, default_value_t = 0.5)]
    budget: f64,
    /// Fitness of a choice: exact (its user equilibrium, warm-started from its parent's) or
    /// surrogate (a GNN, trained first unless --model; its top choices are solved exactly).
    #[arg(long, value_enum, default_value = "exact")]
    fitness: FitnessKind,
    /// Surrogate: a model saved by `tripsmith design train` (default: train one first).
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
    #[command(flatten)]
    training: TrainingArgs,
    /// Surrogate: best predicted choices solved exactly at the end.
    #[arg(long, default_value_t = 10)]
    top_k: usize,
    /// Seed of the genetic algorithm (and of a surrogate trained first).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Individuals per generation.
    #[arg(long, default_value_t = 32)]
    population: usize,
    /// Generations.
    #[arg(long, default_value_t = 40)]
    generations: usize,
    /// Relative gap of each equilibrium.
    #[arg(long, default_value_t = 1e-7)]
    gap: f64,
    /// Evaluate every affordable choice (at most 16 candidates) instead of the GA.
    #[arg(long)]
    exhaustive: bool,
    /// Print {"fitness", "budget", "baseline_tstt", "best_tstt", "best_tstt_exact", "chosen", "evaluations", "seconds", "train_seconds"?, ...} as JSON.
    #[arg(long)]
    json: bool,
}

/// How a surrogate is trained.
#[derive(clap::Args, Clone, Copy)]
struct TrainingArgs {
    /// Surrogate: exact equilibria to train on (80 %) and test on (20 %).
    #[arg(long, default_value_t = 150)]
    samples: usize,
    /// Surrogate: training epochs.
    #[arg(long, default_value_t = 100)]
    epochs: usize,
}

/// `tripsmith recommend`: places of a region for a history, or one of the data-set actions.
#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
struct RecommendCommand {
    #[command(subcommand)]
    action: Option<RecommendAction>,
    #[command(flatten)]
    history: HistoryArg,
    #[command(flatten)]
    region: RegionArg,
    /// Rank places by distance from this point, as LAT,LON (default: the centre of the region's places).
    #[arg(long, allow_hyphen_values = true)]
    near: Option<LatLon>,
    /// How many places.
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Print {"region", "near", "taste": {"weights", "checkins", "counted", ...}, "interests",
    /// "recommendations": [{"id", "name", "category", "lat", "lon", "score", "metres",
    /// "because"}]} as JSON.
    #[arg(long)]
    json: bool,
}

/// A traveller's check-in history, whose venue categories say what they like.
#[derive(clap::Args)]
struct HistoryArg {
    /// A CSV of check-ins with a header and a `category` (or `venue_category`, `POI_catname`)
    /// column of Foursquare venue category names; see the README's category bridge.
    #[arg(long, value_name = "FILE")]
    history: Option<PathBuf>,
    /// The user whose rows to read, when the history file (with a `user_id` column) holds several.
    #[arg(long, requires = "history")]
    user: Option<String>,
}

/// What `tripsmith recommend` does besides ranking a region's places for a history.
#[derive(Subcommand)]
enum RecommendAction {
    /// Evaluate out-of-town recommenders on a check-in data set: each traveller's last trip to
    /// a region new to them is held out, and every model ranks that region's places. On a
    /// folder of GETNext split files (categorised NYC check-ins, no trips), later visits to a
    /// neighbourhood new to the user are held out instead; on a cross-city file (UPTDNet), the
    /// new venues of each traveller's last visit to the other city.
    Eval {
        /// The data set's folder, holding `<name>_checkins.txt` and `<name>_poi_coos.txt`
        /// (e.g. ../shared/data/checkins/LBSNDatasets/Foursquare/Foursquare_3).
        dir: PathBuf,
        /// Seeds per randomised model (metrics average over them).
        #[arg(long, default_value_t = 3)]
        seeds: u64,
        /// Print {"dataset", "users", "stats", "models": {name: {"recall@10", ...,
        /// "ci95"}}, "train_seconds"} as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Plan itineraries for held-out travellers (a cross-city file: travellers between two
    /// cities): each one's last visit to the other city is held out, a one-day itinerary there
    /// is planned over its venues valued by popularity among visitors and by the
    /// recommender, and the hit rate is the share of the visit's new venues each itinerary
    /// visits.
    EvalPlans {
        /// The folder holding the cross-city CSV (or the file), e.g.
        /// ../shared/data/checkins/UPTDNet.
        dir: PathBuf,
        /// The recommender's seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Print {"dataset", "travellers", "hit_rate": {"popularity", "recommender"},
        /// "paired": {"diff", "ci95"}, ...} as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Train the intention-aware model on every check-in of a data set and save it.
    Train {
        /// The data set's folder (as for `eval`).
        dir: PathBuf,
        /// Where to write the model (safetensors).
        #[arg(long)]
        out: PathBuf,
        /// Seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Training epochs (default: the evaluated setting, 10).
        #[arg(long)]
        epochs: Option<usize>,
    },
    /// Recommend places to a user of the data set in the region around a point, each with the
    /// travel intention behind it (a saved model).
    Places {
        /// The data set the model was trained on.
        dir: PathBuf,
        /// The model file (`recommend train --out`).
        #[arg(long)]
        model: PathBuf,
        /// The user (their id in the data set).
        #[arg(long)]
        user: usize,
        /// A point in the destination, as LAT,LON: its region's places are ranked.
        #[arg(long, allow_hyphen_values = true)]
        near: LatLon,
        /// How many places.
        #[arg(long, default_value_t = 10)]
        top: usize,
        /// Print [{"id", "lat", "lon", "score", "intention", "intention_share"}] as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the travel intentions a saved model learned: each one's most characteristic places
    /// and the share of users for whom it weighs most.
    Intentions {
        /// The data set the model was trained on.
        dir: PathBuf,
        /// The model file (`recommend train --out`).
        #[arg(long)]
        model: PathBuf,
        /// Places per intention.
        #[arg(long, default_value_t = 5)]
        top: usize,
        /// Print [{"intention", "users_share", "places": [{"id", "lat", "lon", "weight"}]}] as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// What `tripsmith vrp` does.
#[derive(Subcommand)]
enum VrpAction {
    /// Solve an instance (ruin and recreate, or the genetic search); the answer is re-checked by
    /// the independent checker.
    Solve(vrp::SolveArgs),
    /// Check a solution file (VRPLIB .sol: `Route #k: clients`) against an instance with the
    /// independent checker: recomputed cost and every broken rule; exits 1 when infeasible.
    Check {
        #[command(flatten)]
        instance: VrpInstanceArgs,
        /// The solution file.
        solution: PathBuf,
        /// Print {"cost", "stated_cost", "routes", "feasible", "violations"} as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// The instance a `tripsmith vrp` command reads.
#[derive(clap::Args)]
struct VrpInstanceArgs {
    /// The instance file.
    file: PathBuf,
    /// Its format (auto: by content; VROOM input is JSON, a Solomon file starts with a name
    /// line then VEHICLE).
    #[arg(long, value_enum, default_value = "auto")]
    format: VrpFormat,
    /// Distance rounding (default: nearest integer for VRPLIB, one decimal truncated for Solomon).
    #[arg(long, value_enum)]
    rounding: Option<VrpRounding>,
    /// Road network (.osm.pbf or cache) for travel times between VROOM jobs given by
    /// [lon, lat] without a matrix.
    #[arg(long)]
    region: Option<PathBuf>,
    /// Travel mode on the road network.
    #[arg(long, default_value = "car")]
    profile: Profile,
    /// What to minimise (no instance format states it): total cost, the longest route
    /// (min-max, e.g. several robots sharing a tour) or the longest leg (bottleneck).
    #[arg(long, value_enum, default_value = "total-cost")]
    objective: VrpObjective,
}

/// The heuristic `tripsmith vrp solve` runs.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum VrpAlgorithm {
    /// Ruin and recreate (every instance).
    Sisr,
    /// Hybrid genetic search (capacity-only instances).
    Hgs,
}

/// What `tripsmith vrp` minimises.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum VrpObjective {
    /// Total cost of all routes: their distance unless the vehicles price time or use.
    #[value(alias = "total-distance")]
    TotalCost,
    /// The longest route's driving cost, its distance by default (ties broken by total cost).
    LongestRoute,
    /// The longest single leg (ties broken by total cost).
    LongestLeg,
}

/// Instance formats `tripsmith vrp` reads.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum VrpFormat {
    /// By content.
    Auto,
    /// VRPLIB / TSPLIB95 CVRP.
    Vrplib,
    /// TSPLIB95 TSP or ATSP (one vehicle from node 1; the VRPLIB reader).
    Tsplib,
    /// VROOM input JSON (jobs with deliveries, pickups, skills and time windows; shipments;
    /// vehicles with their own depots, capacities, skills and shifts; matrices).
    Vroom,
    /// Solomon VRPTW.
    Solomon,
    /// Orienteering with time windows (OPTW/TOPTW benchmark files): collect the most profit on
    /// `--vehicles` paths within each place's window and the time budget.
    Toptw,
}

/// Distance rounding conventions.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum VrpRounding {
    /// Nearest integer (CVRPLIB EUC_2D).
    Nearest,
    /// Truncated to one decimal (the Solomon best-known costs).
    Truncate,
    /// Unrounded.
    Exact,
}

/// What `tripsmith design` can do besides a search.
#[derive(Subcommand)]
enum DesignAction {
    /// Train a GNN surrogate of the equilibrium on exact equilibria, report its held-out
    /// accuracy and save it (then: design --fitness surrogate --model FILE).
    Train {
        /// The network folder (TNTP).
        dir: PathBuf,
        /// Candidate links, a CSV of from,to.
        #[arg(long)]
        candidates: PathBuf,
        /// Budget share the training choices are drawn within.
        #[arg(long, default_value_t = 0.5)]
        budget: f64,
        #[command(flatten)]
        training: TrainingArgs,
        /// Seed of the samples and the initial weights.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where to save the model (safetensors).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Print {"samples", "held_out", "epochs", "accuracy", "train_seconds", "model"} as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Fitness of a network design.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FitnessKind {
    /// The exact user equilibrium.
    Exact,
    /// A graph neural network trained first on exact equilibria; the best choices are then
    /// solved exactly.
    Surrogate,
}

/// Assignment algorithms.
#[derive(Clone, Copy, clap::ValueEnum)]
enum AssignAlgorithm {
    /// Frank-Wolfe.
    Fw,
    /// Conjugate Frank-Wolfe.
    Cfw,
    /// Bi-conjugate Frank-Wolfe.
    Bfw,
    /// Path-based gradient projection.
    Gp,
}

impl From<AssignAlgorithm> for tripsmith_traffic::assign::Algorithm {
    fn from(a: AssignAlgorithm) -> Self {
        match a {
            AssignAlgorithm::Fw => Self::Fw,
            AssignAlgorithm::Cfw => Self::Cfw,
            AssignAlgorithm::Bfw => Self::Bfw,
            AssignAlgorithm::Gp => Self::Gp,
        }
    }
}

/// The benchmarks `tripsmith eval` knows.
#[derive(Subcommand)]
enum EvalCommand {
    /// Itineraries: plan the evaluation set's trip requests on the real extracts and score the
    /// plans as a traveller would (sights worth seeing, unnamed and service stops, duplicates,
    /// visits while closed by the objects' own opening hours, meal venues, balance between days,
    /// guide-book landmarks, time).
    Itineraries {
        /// The set file (requests, regions, guide lists).
        #[arg(long, default_value = "bench/itineraries/set.toml")]
        set: PathBuf,
        /// The folder with the set's region files.
        #[arg(long, default_value = "../shared/data/osm")]
        data: PathBuf,
        #[command(flatten)]
        solver: SolverArgs,
        /// Print {"requests": [...], "totals": {...}, "load_seconds"} as JSON.
        #[arg(long)]
        json: bool,
    },
    /// TravelPlanner: plan every query with the z3 solver (or check given plans), check each
    /// plan with the 8 commonsense and 5 hard constraints, explain infeasible queries with
    /// minimal cores and verified repairs, print the metrics.
    Travelplanner {
        /// The TravelPlanner data folder (with database/, train/, validation/, unsat/).
        #[arg(long, default_value = "../shared/data/travelplanner")]
        data: PathBuf,
        /// The query file (default: the format's file under --data).
        #[arg(long)]
        queries: Option<PathBuf>,
        /// The query file's format.
        #[arg(long, value_enum, default_value = "train")]
        format: crate::travelplanner::Format,
        /// More reference information with flights (JSONL like train/train_ref_info.jsonl);
        /// the train and validation files' flights are always used.
        #[arg(long)]
        reference: Option<PathBuf>,
        /// Check these plans instead of solving: a submission JSONL ({"idx": 1, "plan": [...]}).
        #[arg(long, conflicts_with = "annotated")]
        plans: Option<PathBuf>,
        /// Check the plans annotated in the query file instead of solving.
        #[arg(long)]
        annotated: bool,
        /// Seconds the solver may spend per query.
        #[arg(long, default_value_t = 60.0)]
        time_limit: f64,
        /// Seconds per infeasible query for its cores and verified repairs.
        #[arg(long, default_value_t = 120.0)]
        explain_time: f64,
        /// Write the solver's plans to FILE in the submission format ({"idx", "query", "plan"} per line).
        #[arg(long, value_name = "FILE")]
        write_plans: Option<PathBuf>,
        /// Print {"queries", "delivery_rate", "commonsense_micro", ..., "final_pass_rate",
        /// "solve_seconds": {"median", "p95"}, "infeasible": [{"id", "core", "repairs", ...}]} as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Settings of `tripsmith serve`.
#[derive(clap::Args, Clone)]
struct ServeArgs {
    #[command(flatten)]
    region: RegionArg,
    /// Address to listen on (port 0: any free port; the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: std::net::SocketAddr,
    /// Where plans and jobs are kept: a SQLite file (created when missing), or a PostgreSQL
    /// URL (postgres://user:password@host:port/database, password and port optional) that several
    /// instances share.
    #[arg(long, default_value = "tripsmith.db", value_name = "FILE|URL", env = "TRIPSMITH_DB")]
    db: tripsmith_api::config::StoreLocation,
    /// This instance's name, stored with the jobs it runs (default: host name and process id).
    #[arg(long)]
    instance: Option<String>,
    /// Seconds a job stays this instance's without a lease renewal (renewed about every
    /// second); after that another instance sharing the database takes it back.
    #[arg(long, default_value_t = 15.0)]
    job_lease: f64,
    /// Starts of one job before an expired lease fails it instead of queueing it again.
    #[arg(long, default_value_t = 3)]
    job_attempts: u32,
    /// Solver workers (default: the number of cores).
    #[arg(long)]
    workers: Option<usize>,
    /// Requests that may wait for a worker, and jobs that may wait in the queue, before the
    /// server answers 503.
    #[arg(long, default_value_t = 64)]
    queue: usize,
    /// Deadline of a request that names none, seconds.
    #[arg(long, default_value_t = 20.0)]
    deadline: f64,
    /// Longest deadline a client may ask for, seconds.
    #[arg(long, default_value_t = 120.0)]
    max_deadline: f64,
    /// Largest request body, bytes.
    #[arg(long, default_value_t = 256 * 1024)]
    body_limit: usize,
    /// Log JSON lines instead of text.
    #[arg(long)]
    json_logs: bool,
    /// Seconds a shutdown waits for running jobs (then they go back to the queue).
    #[arg(long, default_value_t = 10.0)]
    shutdown_grace: f64,
    /// TravelPlanner data folder (database/, train/, validation/): enables
    /// POST /v1/travelplanner/plans.
    #[arg(long, value_name = "DIR")]
    travelplanner: Option<PathBuf>,
    /// A folder of TNTP network folders (e.g. ../shared/data/tntp): enables POST /v1/assignments.
    #[arg(long, value_name = "DIR")]
    tntp: Option<PathBuf>,
    /// A folder of check-in data sets (e.g. ../shared/data/checkins/LBSNDatasets): enables
    /// POST /v1/recommendations/training.
    #[arg(long, value_name = "DIR")]
    checkins: Option<PathBuf>,
}

/// Which solver plans and how long it may take (`plan` and `explain`).
#[derive(clap::Args, Debug, Clone, Copy)]
struct SolverArgs {
    /// Seconds each solver call may take (0–3600).
    #[arg(long, default_value_t = 30.0)]
    time_limit: f64,
    /// Solver: search (the route-search engine, the default: a whole city in about a second),
    /// milp (HiGHS: proves small requests optimal) or smt (z3). Impossible requests are always
    /// decided, and explained, by an exact one.
    #[arg(long, default_value = "search")]
    backend: Backend,
}
