//! The exact solver for small capacitated instances (CVRP, and TSP as one vehicle without a
//! capacity): the two-index edge formulation solved by HiGHS through good_lp, with subtour
//! elimination and capacity added lazily. Each round solves the model to optimality, reads the
//! integer answer's connected client groups, and adds a rounded capacity cut
//! `x(δ(S)) ≥ 2·max(1, ⌈d(S)/Q⌉)` for every group S the answer serves with too few vehicles
//! (a subtour away from the depot is the case d(S) ≤ Q). When a round's answer breaks no cut it
//! is optimal; the objective of the last round solved to optimality is a lower bound whatever
//! happens later. A known solution (from the heuristic) starts each round.

use crate::instance::{Costs, Fleet, Instance, Objective};
use good_lp::solvers::highs::highs;
use good_lp::{constraint, variable, Expression, ProblemVariables, ResolutionError, Solution, SolverModel};
use good_lp::{SolutionStatus, Variable, WithInitialSolution};
use std::time::{Duration, Instant};

/// Most nodes the exact solver takes: the model has one variable per node pair.
pub const MAX_EXACT_NODES: usize = 200;

/// Why the exact solver cannot take an instance.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExactError {
    /// A rule the edge formulation does not model.
    #[error("the exact solver handles capacity-only instances (CVRP, TSP): {0}")]
    Unsupported(String),
    /// HiGHS failed.
    #[error("the MILP solver failed: {0}")]
    Solver(String),
}

/// What the exact solver found.
#[derive(Debug, Clone, PartialEq)]
pub struct ExactOutcome {
    /// Routes of client node numbers (the known solution when nothing better was proven).
    pub routes: Vec<Vec<usize>>,
    /// Their total distance.
    pub cost: f64,
    /// Whether `routes` is proven optimal.
    pub proven_optimal: bool,
    /// The best lower bound proven on the optimal cost (the last relaxation solved to optimality).
    pub lower_bound: f64,
    /// Rounds of cuts.
    pub rounds: usize,
    /// Capacity and subtour cuts added.
    pub cuts: usize,
}

/// Whether the formulation models an instance (an error saying why not).
pub fn supports(instance: &Instance) -> Result<(), ExactError> {
    let n = instance.nodes();
    if n > MAX_EXACT_NODES {
        return Err(ExactError::Unsupported(format!("{n} nodes, over {MAX_EXACT_NODES}")));
    }
    if instance.objective != Objective::TotalCost {
        return Err(ExactError::Unsupported("it minimises the longest route or leg, not total distance".into()));
    }
    if instance.fleet.kinds().iter().any(|v| v.costs != Costs::default()) {
        return Err(ExactError::Unsupported("its vehicles cost more than their distance".into()));
    }
    let Fleet::Identical { vehicle, .. } = &instance.fleet else {
        return Err(ExactError::Unsupported("its vehicles differ (one kind of vehicle only)".into()));
    };
    if vehicle.start != 0 || vehicle.end != 0 || n != instance.clients + 1 {
        return Err(ExactError::Unsupported("it has more than one depot".into()));
    }
    if !instance.groups.is_empty() || !instance.orders.is_empty() {
        return Err(ExactError::Unsupported("it has client groups or visiting orders".into()));
    }
    if !instance.pairs.is_empty() || instance.collected.iter().any(|&g| g != 0) {
        return Err(ExactError::Unsupported("it has pickups or shipments".into()));
    }
    if instance.dimensions != 1 {
        return Err(ExactError::Unsupported("its demand has several dimensions".into()));
    }
    if instance.skills.iter().any(|s| !s.is_empty()) {
        return Err(ExactError::Unsupported("its clients need skills".into()));
    }
    if instance.has_time_windows() || vehicle.shift.1.is_finite() {
        return Err(ExactError::Unsupported("it has time windows".into()));
    }
    if vehicle.max_length.is_some() || vehicle.max_travel.is_some() || vehicle.max_distance.is_some() {
        return Err(ExactError::Unsupported("it limits route length".into()));
    }
    if vehicle.range.is_some() || vehicle.max_tasks.is_some() {
        return Err(ExactError::Unsupported("it limits the range between charges or the clients per route".into()));
    }
    if instance.prize.iter().any(Option::is_some) || !instance.quota.is_empty() || !instance.visit_cost.is_empty() {
        return Err(ExactError::Unsupported("it has optional clients, a quota or costs of visits".into()));
    }
    if (0..n).any(|i| (0..i).any(|j| (instance.d(i, j) - instance.d(j, i)).abs() > 1e-9)) {
        return Err(ExactError::Unsupported("its distances are not symmetric".into()));
    }
    if let Some(c) = (1..n).find(|&c| instance.demand[c] > capacity(instance)) {
        return Err(ExactError::Unsupported(format!("client {c}'s demand exceeds the capacity")));
    }
    Ok(())
}

/// Edge `{i, j}` (`i < j`) as an index into the variable list.
struct Edges {
    n: usize,
    pairs: Vec<(usize, usize)>,
}

impl Edges {
    fn new(n: usize) -> Self {
        Edges { n, pairs: (0..n).flat_map(|j| (0..j).map(move |i| (i, j))).collect() }
    }

    fn index(&self, a: usize, b: usize) -> usize {
        let (i, j) = if a < b { (a, b) } else { (b, a) };
        debug_assert!(j < self.n);
        j * (j - 1) / 2 + i
    }
}

/// The capacity of the vehicles of a supported instance (one kind, one dimension).
fn capacity(instance: &Instance) -> i64 {
    instance.fleet.kinds().first().and_then(|v| v.capacity.first()).copied().unwrap_or(i64::MAX)
}

/// Vehicles a set of clients needs at least (one, when nothing limits capacity).
fn needed(instance: &Instance, group: &[usize]) -> i64 {
    let demand: i64 = group.iter().map(|&c| instance.demand[c]).sum();
    if demand <= 0 {
        1
    } else {
        (demand - 1) / capacity(instance) + 1
    }
}

/// The edge values of routes (a depot edge of a one-client route counts twice).
fn edge_values(edges: &Edges, routes: &[Vec<usize>]) -> Vec<f64> {
    let mut x = vec![0.0; edges.pairs.len()];
    for r in routes.iter().filter(|r| !r.is_empty()) {
        let mut previous = 0;
        for &c in r {
            x[edges.index(previous, c)] += 1.0;
            previous = c;
        }
        x[edges.index(previous, 0)] += 1.0;
    }
    x
}

/// The client groups joined by client-to-client edges whose value is above `threshold`.
fn groups(n: usize, edges: &Edges, x: &[f64], threshold: f64) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut v: usize) -> usize {
        while parent[v] != v {
            parent[v] = parent[parent[v]];
            v = parent[v];
        }
        v
    }
    for (e, &(i, j)) in edges.pairs.iter().enumerate() {
        if i > 0 && x[e] > threshold {
            let (a, b) = (root(&mut parent, i), root(&mut parent, j));
            parent[a] = b;
        }
    }
    let mut by_root: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for v in 1..n {
        let r = root(&mut parent, v);
        by_root.entry(r).or_default().push(v);
    }
    by_root.into_values().collect()
}

/// Edge indices crossing between `group` and the rest.
fn boundary(edges: &Edges, n: usize, group: &[usize]) -> Vec<usize> {
    let mut inside = vec![false; n];
    for &c in group {
        inside[c] = true;
    }
    edges.pairs.iter().enumerate().filter(|(_, &(i, j))| inside[i] != inside[j]).map(|(e, _)| e).collect()
}

/// Routes of an integer answer that breaks no cut: walk from the depot along its edges.
fn routes_of(n: usize, edges: &Edges, x: &[f64]) -> Vec<Vec<usize>> {
    let mut adjacent = vec![Vec::new(); n];
    for (e, &(i, j)) in edges.pairs.iter().enumerate() {
        let times = x[e].round() as usize;
        for _ in 0..times {
            adjacent[i].push(j);
            adjacent[j].push(i);
        }
    }
    let mut seen = vec![false; n];
    let mut routes = Vec::new();
    for &first in &adjacent[0] {
        if seen[first] {
            continue;
        }
        let (mut route, mut previous, mut at) = (Vec::new(), 0, first);
        while at != 0 && !seen[at] {
            seen[at] = true;
            route.push(at);
            let next = adjacent[at].iter().copied().find(|&v| v != previous && (v == 0 || !seen[v]));
            previous = at;
            at = next.unwrap_or(0);
        }
        routes.push(route);
    }
    routes
}

/// Solves `instance` to proven optimality within `time_limit`, starting from `known` (a
/// feasible solution: the answer when the time runs out first).
pub fn solve_exact(
    instance: &Instance,
    known: &[Vec<usize>],
    time_limit: Duration,
) -> Result<ExactOutcome, ExactError> {
    supports(instance)?;
    if !crate::check::check(instance, known).feasible() {
        return Err(ExactError::Unsupported("it needs a feasible solution to start from".into()));
    }
    let deadline = Instant::now() + time_limit;
    let n = instance.nodes();
    let edges = Edges::new(n);
    let cost_of = |x: &[f64]| -> f64 { edges.pairs.iter().zip(x).map(|(&(i, j), v)| v * instance.d(i, j)).sum() };
    let known_x = edge_values(&edges, known);
    let mut best = ExactOutcome {
        routes: known.to_vec(),
        cost: cost_of(&known_x),
        proven_optimal: false,
        lower_bound: 0.0,
        rounds: 0,
        cuts: 0,
    };
    let clients: Vec<usize> = (1..n).collect();
    let fewest = needed(instance, &clients);
    let most = instance.fleet.limit().map_or(n as i64 - 1, |v| v as i64).max(fewest);
    let mut cuts: Vec<Cut> = Vec::new();
    let model = Model { instance, edges: &edges, fewest, most };
    loop {
        // Cheap rounds first: the LP relaxation, cut by the groups it serves too thinly.
        while Instant::now() < deadline {
            let Some((values, true)) = model.round(true, &cuts, &best.routes, deadline)? else { break };
            best.lower_bound = best.lower_bound.max(cost_of(&values));
            if separate(instance, &edges, &values, &mut cuts) == 0 {
                break;
            }
        }
        let Some((values, optimal)) = model.round(false, &cuts, &best.routes, deadline)? else { return Ok(best) };
        let values: Vec<f64> = values.iter().map(|v| v.round()).collect();
        best.rounds += 1;
        let value = cost_of(&values);
        if optimal {
            best.lower_bound = best.lower_bound.max(value);
        }
        let broken = separate(instance, &edges, &values, &mut cuts);
        best.cuts = cuts.len();
        if broken == 0 {
            if value < best.cost - 1e-9 || optimal {
                best.routes = routes_of(n, &edges, &values);
                best.cost = value;
            }
            best.proven_optimal = optimal;
            return Ok(best);
        }
        if !optimal {
            return Ok(best);
        }
    }
}

/// Clients up to which `separate` tries every client group.
const ENUMERATE_CLIENTS: usize = 16;

/// A rounded capacity cut: the edges leaving `group` carry at least 2 × `vehicles`.
struct Cut {
    group: Vec<usize>,
    crossing: Vec<usize>,
    vehicles: i64,
}

/// Adds rounded capacity cuts for client groups that `values` (integer or fractional) serve
/// with too few vehicles: every group when there are few clients (the 40 most violated), else
/// the components of the edges above a few thresholds. Returns how many were added.
fn separate(instance: &Instance, edges: &Edges, values: &[f64], cuts: &mut Vec<Cut>) -> usize {
    let n = instance.nodes();
    let mut found: Vec<(f64, Cut)> = Vec::new();
    let mut consider = |group: Vec<usize>| {
        let vehicles = needed(instance, &group);
        let crossing = boundary(edges, n, &group);
        let violation = 2.0 * vehicles as f64 - crossing.iter().map(|&e| values[e]).sum::<f64>();
        let known = |c: &Cut| c.group == group;
        if violation > 1e-6 && !cuts.iter().any(known) && !found.iter().any(|(_, c)| known(c)) {
            found.push((violation, Cut { group, crossing, vehicles }));
        }
    };
    if n - 1 <= ENUMERATE_CLIENTS {
        for mask in 1u32..(1 << (n - 1)) {
            consider((1..n).filter(|&c| mask & (1 << (c - 1)) != 0).collect());
        }
    } else {
        for threshold in [0.5, 1e-6, 0.8] {
            for group in groups(n, edges, values, threshold) {
                consider(group);
            }
        }
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.group.cmp(&b.1.group)));
    found.truncate(40);
    let added = found.len();
    cuts.extend(found.into_iter().map(|(_, c)| c));
    added
}

/// The edge formulation of one instance.
struct Model<'a> {
    instance: &'a Instance,
    edges: &'a Edges,
    fewest: i64,
    most: i64,
}

impl Model<'_> {
    /// Solves the model with `cuts` (its LP relaxation when `relaxed`), starting from `start`;
    /// the edge values and whether they are optimal, or `None` when the time ran out first.
    fn round(
        &self,
        relaxed: bool,
        cuts: &[Cut],
        start: &[Vec<usize>],
        deadline: Instant,
    ) -> Result<Option<(Vec<f64>, bool)>, ExactError> {
        let seconds = deadline.saturating_duration_since(Instant::now()).as_secs_f64();
        if seconds <= 0.0 {
            return Ok(None);
        }
        let (instance, edges, n) = (self.instance, self.edges, self.instance.nodes());
        let mut vars = ProblemVariables::new();
        let kind = |v: good_lp::VariableDefinition| if relaxed { v } else { v.integer() };
        let x: Vec<Variable> = edges
            .pairs
            .iter()
            .map(|&(i, _)| vars.add(kind(variable().min(0).max(if i == 0 { 2 } else { 1 }))))
            .collect();
        let vehicles = vars.add(kind(variable().min(self.fewest as f64).max(self.most as f64)));
        let objective: Expression = edges.pairs.iter().zip(&x).map(|(&(i, j), &v)| instance.d(i, j) * v).sum();
        let mut problem = highs(vars.minimise(objective)).set_threads(1);
        problem = problem.set_mip_rel_gap(0.0).map_err(|e| ExactError::Solver(e.to_string()))?;
        for v in 0..n {
            let degree: Expression = (0..n).filter(|&w| w != v).map(|w| x[edges.index(v, w)]).sum();
            problem.add_constraint(if v == 0 {
                constraint!(degree == 2.0 * vehicles)
            } else {
                constraint!(degree == 2)
            });
        }
        for cut in cuts {
            let crossing: Expression = cut.crossing.iter().map(|&e| x[e]).sum();
            problem.add_constraint(constraint!(crossing >= 2.0 * cut.vehicles as f64));
        }
        if !relaxed {
            let used = start.iter().filter(|r| !r.is_empty()).count() as f64;
            let values = edge_values(edges, start);
            problem = problem.with_initial_solution(x.iter().copied().zip(values).chain([(vehicles, used)]));
        }
        let solution = match problem.set_time_limit(seconds).solve() {
            Ok(s) => s,
            Err(ResolutionError::Other("NoSolutionFound")) => return Ok(None),
            Err(e) => return Err(ExactError::Solver(e.to_string())),
        };
        // The relative gap is 0; HiGHS also stops at its absolute gap (1e-6), which good_lp
        // reports as a gap limit: optimal to within that.
        let optimal = matches!(solution.status(), SolutionStatus::Optimal | SolutionStatus::GapLimit);
        Ok(Some((x.iter().map(|&v| solution.value(v)).collect(), optimal)))
    }
}
