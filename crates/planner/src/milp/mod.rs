//! The MILP backend (good_lp + HiGHS): the request as a multi-day orienteering problem with
//! time windows.
//!
//! Nodes are *stop options*: a sight to visit, or a food place for one planned meal (one option
//! per meal kind). For each day there are binaries `u[o]` (option used that day) and `x[a→b]`
//! (arc between options or the day's depot: each allowed lodging when the travellers return to
//! base, else one depot without travel), start times `t[o]` propagated along arcs
//! (Miller–Tucker–Zemlin style, which also rules out sub-tours), and a binary per opening
//! interval when a place opens more than once that day. Every constraint of the request is added
//! unless its label is relaxed, so the same model answers the feasibility questions of cores and
//! repairs. The objective is lexicographic in one integral sum: visit score (×100), less each
//! day's repeat penalties (a continuous `y ≥ visits − 1` per category), times a weight larger
//! than any trip's travel minutes, minus travel minutes.
//!
//! Arcs that no schedule can use (the earliest end of one stop plus the leg is after the latest
//! start of the next) are left out; that loses no plan. Models with more than
//! [`FULL_ARCS_UP_TO`] stop options keep only arcs between each sight and its [`NEAREST_ARCS`]
//! nearest sights (all arcs touching meals and depots stay): their plans are never called
//! optimal, and an infeasible verdict is confirmed on the full model. Each arc's time propagation counts at
//! least one minute, so a stop takes at least a minute.

use crate::catalog::Problem;
use crate::itinerary::{assemble, Activity, Chosen, Itinerary};
use crate::label::Label;
use crate::outcome::{Outcome, PlanError};
use crate::request::MealKind;
use good_lp::{Constraint, Expression, ProblemVariables, ResolutionError, Solution, SolverModel};
use good_lp::{SolutionStatus, Variable, WithInitialSolution};
use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};
use tripsmith_model::Category;

mod encode;
mod warm_start;

/// Latest minute any stop may end when a day's end is relaxed (two days).
const HORIZON: i64 = 2 * 1440;

/// Stop options up to which every arc between them is modelled.
pub const FULL_ARCS_UP_TO: usize = 60;

/// In larger models, each sight keeps arcs only to and from its this many nearest sights (by
/// travel time; arcs touching meals and the depot are all kept). The plan is then not called
/// optimal, and an infeasible answer is confirmed on the full model.
pub const NEAREST_ARCS: usize = 12;

/// One way to use a place: visiting a sight or having one meal at a food place.
pub(crate) struct StopOption {
    pub(crate) candidate: usize,
    pub(crate) category: Category,
    pub(crate) activity: Activity,
    pub(crate) minutes: i64,
    pub(crate) score: i64,
    pub(crate) price: i64,
    /// A must-visit sight, or a meal serving a required cuisine: placed first by the warm start.
    pub(crate) wanted: bool,
}

/// Where a day starts and ends.
#[derive(Clone, Copy, PartialEq)]
enum Depot {
    /// The lodging (candidate index), with travel to and from it.
    Lodging(usize),
    /// Nowhere in particular: no travel before the first stop or after the last.
    Free,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Node {
    Option(usize),
    Depot(usize),
}

struct ArcVar {
    from: Node,
    to: Node,
    minutes: i64,
    metres: i64,
    x: Variable,
}

/// The variables of one option on one day.
struct Use {
    u: Variable,
    t: Variable,
    /// Allowed start intervals `[earliest, latest]`, sorted.
    windows: Vec<(i64, i64)>,
    /// One binary per window when there are several.
    choice: Vec<Variable>,
}

struct DayModel {
    uses: Vec<Option<Use>>,
    arcs: Vec<ArcVar>,
    /// Start and end minute of the day as modelled.
    start: i64,
    end: i64,
    /// Meals that must be taken this day.
    meals: Vec<MealKind>,
    /// Visit cap, cap per category and travel limit (metres) of the day, when kept.
    visit_cap: Option<u32>,
    per_category: Option<u32>,
    max_travel_m: Option<f64>,
    /// Per category with a repeat penalty: the variable counting its visits after the first,
    /// and the penalty of each.
    repeats: Vec<(Category, Variable, i64)>,
}

/// The built model: variables, constraints, and the layout to read a plan back with.
struct Model {
    /// Whether arcs between sights were limited to the nearest ones.
    sparse: bool,
    vars: ProblemVariables,
    constraints: Vec<Constraint>,
    objective: Expression,
    layout: Layout,
}

/// Which variable means what.
struct Layout {
    options: Vec<StopOption>,
    lodging_vars: Vec<(usize, Variable)>,
    /// What each of those lodgings costs for the trip (cents).
    lodging_costs: Vec<i64>,
    /// Where each day may start and end.
    depots: Vec<Depot>,
    days: Vec<DayModel>,
    /// Party size (stop prices are per person).
    party: i64,
    /// The trip's budget (cents), if kept.
    budget: Option<i64>,
}

/// Whether a constraint is kept (its label is not relaxed).
pub(crate) struct Labels<'a>(&'a BTreeSet<Label>);

/// No label relaxed.
static NONE_RELAXED: BTreeSet<Label> = BTreeSet::new();

impl Labels<'_> {
    /// Every constraint kept.
    pub(crate) fn none() -> Labels<'static> {
        Labels(&NONE_RELAXED)
    }

    fn kept(&self, label: &Label) -> bool {
        !self.0.contains(label)
    }
}

fn sum(terms: impl IntoIterator<Item = (f64, Variable)>) -> (Expression, usize) {
    let mut e = Expression::from(0.0);
    let mut n = 0;
    for (coef, v) in terms {
        e += coef * v;
        n += 1;
    }
    (e, n)
}

/// Start intervals of `option` on trip day `d` (0-based), within `[lo, hi_end]` for its end
/// (shared with the route-search backend).
pub(crate) fn start_windows(
    p: &Problem,
    o: &StopOption,
    d: usize,
    keep_meal_window: bool,
    bounds: (i64, i64),
) -> Vec<(i64, i64)> {
    let c = &p.candidates[o.candidate];
    let open: Vec<(i64, i64)> = match &c.hours {
        None => vec![(0, HORIZON)],
        Some(hours) => hours.on(d).iter().map(|r| (i64::from(r.start), i64::from(r.end))).collect(),
    };
    let meal_window = match o.activity {
        Activity::Meal(kind) if keep_meal_window => {
            p.request.meal(kind).map(|m| (i64::from(m.window[0].minutes()), i64::from(m.window[1].minutes())))
        }
        _ => None,
    };
    let mut out: Vec<(i64, i64)> = open
        .into_iter()
        .filter_map(|(a, b)| {
            let mut lo = a.max(bounds.0);
            let mut hi = (b - o.minutes).min(bounds.1 - o.minutes);
            if let Some((w0, w1)) = meal_window {
                lo = lo.max(w0);
                hi = hi.min(w1);
            }
            (lo <= hi).then_some((lo, hi))
        })
        .collect();
    out.sort();
    out
}

impl Layout {
    /// Reads the itinerary out of a solution: each day's route from its depot, with every stop
    /// started as early as arrival and its windows allow.
    fn extract(&self, p: &Problem, solution: &impl Solution) -> Itinerary {
        let on = |v: Variable| solution.value(v) > 0.5;
        let lodging = self.lodging_vars.iter().find(|(_, y)| on(*y)).map(|(l, _)| *l);
        let r = &p.request;
        let mut chosen = Vec::new();
        for (d, day) in self.days.iter().enumerate() {
            let mut stops = Vec::new();
            let used: Vec<&ArcVar> = day.arcs.iter().filter(|a| on(a.x)).collect();
            let mut at = used.iter().find(|a| matches!(a.from, Node::Depot(_)));
            let mut clock = i64::from(r.day_window(d as u32 + 1).0.minutes());
            let mut guard = self.options.len() + 1;
            while let Some(arc) = at {
                let Node::Option(o) = arc.to else { break };
                guard = guard.saturating_sub(1);
                let (Some(s), true) = (&day.uses[o], guard > 0) else { break };
                let option = &self.options[o];
                let arrive = clock + arc.minutes;
                let start = s
                    .windows
                    .iter()
                    .find(|w| w.1 >= arrive)
                    .map_or_else(|| solution.value(s.t).round() as i64, |w| w.0.max(arrive));
                let end = start + option.minutes;
                stops.push(Chosen { candidate: option.candidate, activity: option.activity, start, end });
                clock = end;
                at = used.iter().find(|a| a.from == Node::Option(o));
            }
            chosen.push(stops);
        }
        assemble(p, lodging, chosen)
    }
}

/// Whether candidate `i` is excluded by a kept must-avoid or wheelchair constraint.
pub(crate) fn barred(p: &Problem, keep: &Labels, i: usize) -> bool {
    let r = &p.request;
    let c = &p.candidates[i];
    let avoided = r.must_avoid.iter().any(|place| keep.kept(&Label::MustAvoid(place.clone())) && c.matches(place));
    avoided || (keep.kept(&Label::Wheelchair) && r.wheelchair.is_some_and(|w| !c.accessible(w)))
}

/// The stop options of `p` under the kept constraints: each sight once, each food place once per
/// planned meal it may serve.
pub(crate) fn stop_options(p: &Problem, keep: &Labels) -> Vec<StopOption> {
    let r = &p.request;
    let mut options = Vec::new();
    for (i, c) in p.candidates.iter().enumerate() {
        if c.is_lodging() || barred(p, keep, i) {
            continue;
        }
        if !c.is_food() {
            let score = (c.score * 100.0).round() as i64;
            options.push(StopOption {
                candidate: i,
                category: c.category,
                activity: Activity::Visit,
                minutes: i64::from(c.visit_minutes),
                score,
                price: c.price.cents(),
                wanted: r.must_visit.iter().any(|place| c.matches(place)),
            });
            continue;
        }
        for kind in MealKind::ALL {
            let Some(spec) = r.meal(kind) else { continue };
            if !c.serves(r, kind) {
                continue;
            }
            if keep.kept(&Label::MealMaxPrice(kind)) && spec.max_price.is_some_and(|max| c.price > max) {
                continue;
            }
            options.push(StopOption {
                candidate: i,
                category: c.category,
                activity: Activity::Meal(kind),
                minutes: i64::from(spec.minutes),
                score: 0,
                price: c.price.cents(),
                wanted: r.meals.cuisines.iter().any(|k| c.cuisines.contains(&k.to_lowercase())),
            });
        }
    }
    options
}

/// Whether lodging `l` meets the request's lodging constraints that are not relaxed.
pub(crate) fn lodging_allowed(p: &Problem, l: usize, keep: &Labels) -> bool {
    let Some(spec) = &p.request.lodging else { return true };
    let c = &p.candidates[l];
    let offer = c.lodging.as_ref();
    let place_ok =
        spec.place.as_ref().is_none_or(|place| !keep.kept(&Label::Lodging(place.clone())) || c.matches(place));
    let price_ok = spec
        .max_price_per_night
        .is_none_or(|max| !keep.kept(&Label::LodgingMaxPrice) || offer.is_some_and(|o| o.price_per_night <= max));
    let room_ok = spec
        .room_type
        .is_none_or(|room| !keep.kept(&Label::RoomType(room)) || offer.is_some_and(|o| o.room_type == Some(room)));
    let rules_ok = spec
        .house_rules
        .iter()
        .all(|rule| !keep.kept(&Label::HouseRule(*rule)) || offer.is_some_and(|o| o.permits(*rule)));
    place_ok && price_ok && room_ok && rules_ok
}

/// Which arcs between options a large model keeps: `keep[a][b]` when either is a meal, or each
/// is among the other's [`NEAREST_ARCS`] nearest by travel time.
fn nearest_arcs(p: &Problem, options: &[StopOption]) -> Vec<Vec<bool>> {
    let n = options.len();
    let minutes = |a: usize, b: usize| p.travel.minutes(options[a].candidate, options[b].candidate).unwrap_or(u32::MAX);
    let mut keep = vec![vec![false; n]; n];
    for a in 0..n {
        let mut others: Vec<usize> = (0..n).filter(|&b| b != a).collect();
        others.sort_by_key(|&b| (minutes(a, b), b));
        for &b in others.iter().take(NEAREST_ARCS) {
            keep[a][b] = true;
            keep[b][a] = true;
        }
        for b in 0..n {
            if options[a].activity != Activity::Visit || options[b].activity != Activity::Visit {
                keep[a][b] = true;
            }
        }
    }
    keep
}

/// Whether the MILP backend keeps only the nearest arcs between the sights of `problem`
/// (more than [`FULL_ARCS_UP_TO`] stop options), so that it will not call its plans optimal.
pub fn uses_nearest_arcs(problem: &Problem) -> bool {
    stop_options(problem, &Labels(&BTreeSet::new())).len() > FULL_ARCS_UP_TO
}

/// The warm start's values, read like a solution (variables it does not set are 0).
struct StartValues(HashMap<Variable, f64>);

impl Solution for StartValues {
    fn status(&self) -> SolutionStatus {
        SolutionStatus::TimeLimit
    }

    fn value(&self, variable: Variable) -> f64 {
        self.0.get(&variable).copied().unwrap_or(0.0)
    }
}

/// What one HiGHS run found.
enum Run {
    /// A plan; `finished` when HiGHS closed its search, `optimal` when that search was over
    /// every arc.
    Solved {
        plan: Itinerary,
        finished: bool,
        optimal: bool,
    },
    Infeasible,
    NoAnswer,
}

fn run(p: &Problem, relaxed: &BTreeSet<Label>, optimise: bool, time_limit: Duration) -> Result<Run, PlanError> {
    if time_limit.is_zero() {
        return Ok(Run::NoAnswer);
    }
    let deadline = Instant::now() + time_limit;
    match solve_model(p, relaxed, optimise, true, deadline)? {
        // A model without some arcs proves nothing infeasible: ask the full model.
        (Run::Infeasible, true) => Ok(solve_model(p, relaxed, optimise, false, deadline)?.0),
        (run, _) => Ok(run),
    }
}

/// Builds and solves one model; also says whether it was sparse.
fn solve_model(
    p: &Problem,
    relaxed: &BTreeSet<Label>,
    optimise: bool,
    allow_sparse: bool,
    deadline: Instant,
) -> Result<(Run, bool), PlanError> {
    let Some(model) = Model::build(p, relaxed, optimise, allow_sparse)? else { return Ok((Run::Infeasible, false)) };
    let Model { sparse, vars, constraints, objective, layout } = model;
    // The objective is integral (scores × 100, penalties and minutes are whole numbers).
    let mut problem = crate::highs_model::maximise(vars, objective, true).map_err(PlanError::Solver)?;
    if std::env::var_os("TRIPSMITH_HIGHS_LOG").is_some() {
        problem.set_verbose(true);
    }
    for c in constraints {
        problem.add_constraint(c);
    }
    let start = warm_start::warm_start(&layout);
    if let Some(values) = &start {
        problem = problem.with_initial_solution(values.iter().copied());
    }
    // Without a solver answer, the greedy plan is the best one found, if it meets every
    // constraint (it does not check them all).
    let fallback = |start: Option<Vec<(Variable, f64)>>| {
        let plan = start.map(|values| layout.extract(p, &StartValues(values.into_iter().collect())));
        match plan.filter(|plan| crate::checker::check(p, plan).is_empty()) {
            Some(plan) => Run::Solved { plan, finished: false, optimal: false },
            None => Run::NoAnswer,
        }
    };
    // The solver gets what is left after building the model and the warm start.
    let seconds = deadline.saturating_duration_since(Instant::now()).as_secs_f64();
    if seconds <= 0.0 {
        return Ok((fallback(start), sparse));
    }
    let problem = problem.set_time_limit(seconds);
    let run = match problem.solve() {
        Ok(solution) => {
            let plan = layout.extract(p, &solution);
            let finished = crate::highs_model::proven(solution.status());
            Run::Solved { plan, finished, optimal: finished && !sparse }
        }
        Err(ResolutionError::Infeasible) => Run::Infeasible,
        Err(ResolutionError::Other("NoSolutionFound")) => fallback(start),
        Err(e) => return Err(PlanError::Solver(e.to_string())),
    };
    Ok((run, sparse))
}

/// Solves `problem` with HiGHS within `time_limit`: the best plan (score first, then less
/// travel) and whether it is proven optimal. An infeasible request gets a core over labels,
/// minimised by deletion with further MILP feasibility checks under the same deadline.
pub fn solve(problem: &Problem, time_limit: Duration) -> Result<Outcome, PlanError> {
    let deadline = Instant::now() + time_limit;
    match run(problem, &BTreeSet::new(), true, time_limit)? {
        Run::Solved { plan, finished: true, optimal } => Ok(Outcome::Feasible { plan, optimal }),
        Run::Solved { plan, finished: false, .. } => Ok(Outcome::Timeout { plan: Some(plan) }),
        Run::NoAnswer => Ok(Outcome::Timeout { plan: None }),
        Run::Infeasible => {
            let check = |relaxed: &[Label]| {
                let left = deadline.saturating_duration_since(Instant::now());
                is_feasible(problem, left, relaxed).ok().flatten()
            };
            let mut core = crate::cores::minimal_core(problem.request.labels(), check);
            core.sort();
            Ok(Outcome::Infeasible { core })
        }
    }
}

/// Whether the request's constraints, except those whose labels are in `relaxed`, can all hold
/// together (`None` when the time limit passes first).
pub fn is_feasible(problem: &Problem, time_limit: Duration, relaxed: &[Label]) -> Result<Option<bool>, PlanError> {
    let relaxed: BTreeSet<Label> = relaxed.iter().cloned().collect();
    Ok(match run(problem, &relaxed, false, time_limit)? {
        Run::Solved { .. } => Some(true),
        Run::Infeasible => Some(false),
        Run::NoAnswer => None,
    })
}
