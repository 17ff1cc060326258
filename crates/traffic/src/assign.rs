//! User-equilibrium assignment: Frank-Wolfe, conjugate and bi-conjugate Frank-Wolfe (exact line
//! search on the Beckmann objective), and path-based gradient projection, which reaches
//! relative gaps of 1e-10 and below.
//!
//! Relative gap, as in the TNTP and AequilibraE literature: (Σ t·x − Σ q·u) / Σ t·x, with t the
//! link costs at flows x and u the shortest-path cost of each origin–destination pair q.

use crate::network::Network;
use crate::paths::{all_or_nothing, load_tree, Dijkstra};
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// The algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Algorithm {
    /// Frank-Wolfe.
    Fw,
    /// Conjugate Frank-Wolfe (Mitradjieva & Lindberg 2013).
    Cfw,
    /// Bi-conjugate Frank-Wolfe (Mitradjieva & Lindberg 2013).
    Bfw,
    /// Path-based gradient projection (Jayakrishnan et al. 1994), origin by origin.
    Gp,
}

/// When to stop.
#[derive(Debug, Clone, Copy)]
pub struct StopRule {
    /// Relative gap to reach.
    pub gap: f64,
    /// Most iterations.
    pub max_iterations: usize,
    /// No new iteration starts after this instant (`None`: no time limit).
    pub deadline: Option<Instant>,
}

impl StopRule {
    /// Whether to run another iteration at `gap` after `iterations`.
    fn goes_on(&self, gap: f64, iterations: usize) -> bool {
        gap > self.gap && iterations < self.max_iterations && self.deadline.is_none_or(|d| Instant::now() < d)
    }
}

/// How far a run is, 0–1, on a log scale from its first gap to the target.
pub fn progress_fraction(first_gap: f64, gap: f64, target: f64) -> f64 {
    let (first, now, goal) = (first_gap.max(1e-300).log10(), gap.max(1e-300).log10(), target.max(1e-300).log10());
    if first <= goal {
        return 1.0;
    }
    ((first - now) / (first - goal)).clamp(0.0, 1.0)
}

/// Why an assignment cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AssignError {
    /// Some demand has no path.
    #[error("{0} of the demand has no path from its origin to its destination")]
    Unroutable(f64),
    /// There is no demand.
    #[error("the network has no demand")]
    NoDemand,
}

/// One iteration's state, for progress and convergence plots.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Step {
    /// Iteration (1-based).
    pub iteration: usize,
    /// Seconds since the start.
    pub seconds: f64,
    /// Relative gap after it.
    pub relative_gap: f64,
}

/// An equilibrium (or the best point reached).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    /// The algorithm.
    pub algorithm: Algorithm,
    /// Link flows, in the net file's link order.
    pub flows: Vec<f64>,
    /// Link costs at those flows.
    pub costs: Vec<f64>,
    /// Iterations run.
    pub iterations: usize,
    /// Relative gap reached.
    pub relative_gap: f64,
    /// Total system travel time Σ t·x.
    pub tstt: f64,
    /// Beckmann objective Σ ∫₀ˣ t.
    pub beckmann: f64,
    /// Seconds.
    pub seconds: f64,
    /// The gap after each iteration.
    pub history: Vec<Step>,
}

fn costs_of(net: &Network, flows: &[f64]) -> Vec<f64> {
    flows.iter().enumerate().map(|(a, &x)| net.cost(a, x)).collect()
}

/// Relative gap and TSTT at `flows` (costs `costs`), with a fresh shortest-path pass.
pub fn relative_gap(net: &Network, flows: &[f64], costs: &[f64], dijkstra: &mut Dijkstra) -> (f64, f64) {
    let tstt: f64 = flows.iter().zip(costs).map(|(x, t)| x * t).sum();
    let (_, _, spent) = all_or_nothing(net, costs, dijkstra);
    let gap = if tstt > 0.0 { ((tstt - spent) / tstt).max(0.0) } else { 0.0 };
    (gap, tstt)
}

/// The step in [0, 1] minimising the Beckmann objective from `x` towards `target` (bisection
/// on its derivative, which is increasing).
fn line_search(net: &Network, x: &[f64], target: &[f64]) -> f64 {
    let slope = |alpha: f64| -> f64 {
        x.iter()
            .zip(target)
            .enumerate()
            .map(|(a, (&xa, &ya))| {
                let d = ya - xa;
                if d == 0.0 {
                    0.0
                } else {
                    d * net.cost(a, xa + alpha * d)
                }
            })
            .sum()
    };
    if slope(1.0) <= 0.0 {
        return 1.0;
    }
    if slope(0.0) >= 0.0 {
        return 0.0;
    }
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if slope(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-15 {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// Σ t'(x)·u·v over links.
fn weighted(net: &Network, x: &[f64], u: impl Fn(usize) -> f64, v: impl Fn(usize) -> f64) -> f64 {
    (0..x.len()).map(|a| net.derivative(a, x[a]) * u(a) * v(a)).sum()
}

/// Runs `algorithm` until the stop rule holds (or `cancel` is set); `progress` hears of each
/// iteration.
pub fn assign(
    net: &Network,
    algorithm: Algorithm,
    stop: StopRule,
    cancel: Option<&AtomicBool>,
    progress: &mut dyn FnMut(&Step),
) -> Result<Assignment, AssignError> {
    run(net, algorithm, stop, cancel, progress, None).map(|(a, _)| a)
}

/// The path flows of a gradient-projection run: another run on the same network with other
/// link parameters (capacities, costs) can start from them.
#[derive(Debug, Clone)]
pub struct WarmStart {
    sets: PathSets,
}

/// Gradient projection, from `warm` (the path flows of an earlier run on a network with the
/// same links and demand) or from the free-flow all-or-nothing paths; also returns the final
/// path flows to warm-start the next run.
pub fn gradient_projection(
    net: &Network,
    stop: StopRule,
    cancel: Option<&AtomicBool>,
    progress: &mut dyn FnMut(&Step),
    warm: Option<&WarmStart>,
) -> Result<(Assignment, WarmStart), AssignError> {
    let (a, w) = run(net, Algorithm::Gp, stop, cancel, progress, warm)?;
    Ok((a, w.unwrap_or(WarmStart { sets: PathSets::default() })))
}

fn run(
    net: &Network,
    algorithm: Algorithm,
    stop: StopRule,
    cancel: Option<&AtomicBool>,
    progress: &mut dyn FnMut(&Step),
    warm: Option<&WarmStart>,
) -> Result<(Assignment, Option<WarmStart>), AssignError> {
    if net.total_demand() <= 0.0 {
        return Err(AssignError::NoDemand);
    }
    let start = Instant::now();
    let mut dijkstra = Dijkstra::new(net.nodes);
    // The starting flows: a warm start's paths (gradient projection), else the all-or-nothing
    // flows at free flow, as paths for gradient projection.
    let free = costs_of(net, &vec![0.0; net.links.len()]);
    let warm = warm.filter(|w| algorithm == Algorithm::Gp && w.sets.origins.len() == net.zones);
    let (mut x, mut sets) = match warm {
        Some(w) => (w.sets.link_flows(net.links.len()), Some(w.sets.clone())),
        None => {
            let (flows, sets, lost) = if algorithm == Algorithm::Gp {
                let (sets, flows, lost) = PathSets::new(net, &mut dijkstra, &free);
                (flows, Some(sets), lost)
            } else {
                let (flows, lost, _) = all_or_nothing(net, &free, &mut dijkstra);
                (flows, None, lost)
            };
            if lost > 1e-9 * net.total_demand() {
                return Err(AssignError::Unroutable(lost));
            }
            (flows, sets)
        }
    };
    let cancelled = || cancel.is_some_and(|c| c.load(Ordering::Relaxed));
    let mut history: Vec<Step> = Vec::new();
    let mut costs = costs_of(net, &x);
    let mut iterations = 0;
    let mut record = |iterations: usize, gap: f64| {
        let step = Step { iteration: iterations, seconds: start.elapsed().as_secs_f64(), relative_gap: gap };
        progress(&step);
        history.push(step);
    };
    let gap = match algorithm {
        Algorithm::Gp => {
            let mut gap = relative_gap(net, &x, &costs, &mut dijkstra).0;
            let mut gp = sets.take().unwrap_or_default(); // always set for gradient projection
            while stop.goes_on(gap, iterations) && !cancelled() {
                gp.sweep(net, &mut dijkstra, &mut x, &mut costs);
                iterations += 1;
                gap = relative_gap(net, &x, &costs, &mut dijkstra).0;
                record(iterations, gap);
            }
            sets = Some(gp);
            gap
        }
        _ => {
            // The all-or-nothing flows at the current costs give both the gap of the current
            // flows and the next direction: one shortest-path pass per iteration.
            let (mut y, _, mut spent) = all_or_nothing(net, &costs, &mut dijkstra);
            let gap_of = |x: &[f64], costs: &[f64], spent: f64| {
                let tstt: f64 = x.iter().zip(costs).map(|(a, t)| a * t).sum();
                if tstt > 0.0 {
                    ((tstt - spent) / tstt).max(0.0)
                } else {
                    0.0
                }
            };
            let mut gap = gap_of(&x, &costs, spent);
            // Previous targets and step sizes (conjugate directions).
            let mut s1: Option<Vec<f64>> = None;
            let mut s2: Option<Vec<f64>> = None;
            let mut tau1 = 1.0;
            while stop.goes_on(gap, iterations) && !cancelled() {
                let target = match (algorithm, &s1, &s2) {
                    (Algorithm::Cfw | Algorithm::Bfw, Some(p1), None) | (Algorithm::Cfw, Some(p1), Some(_))
                        if tau1 < 1.0 =>
                    {
                        conjugate(net, &x, &y, p1)
                    }
                    (Algorithm::Bfw, Some(p1), Some(p2)) if tau1 < 1.0 => biconjugate(net, &x, &y, p1, p2, tau1),
                    _ => y,
                };
                let tau = line_search(net, &x, &target);
                for (xa, ya) in x.iter_mut().zip(&target) {
                    *xa += tau * (ya - *xa);
                }
                costs = costs_of(net, &x);
                s2 = s1.take();
                s1 = Some(target);
                tau1 = tau;
                iterations += 1;
                (y, _, spent) = all_or_nothing(net, &costs, &mut dijkstra);
                gap = gap_of(&x, &costs, spent);
                record(iterations, gap);
            }
            gap
        }
    };
    let tstt = x.iter().zip(&costs).map(|(a, b)| a * b).sum();
    let beckmann = x.iter().enumerate().map(|(a, &xa)| net.integral(a, xa)).sum();
    let assignment = Assignment {
        algorithm,
        flows: x,
        costs,
        iterations,
        relative_gap: gap,
        tstt,
        beckmann,
        seconds: start.elapsed().as_secs_f64(),
        history,
    };
    Ok((assignment, sets.map(|sets| WarmStart { sets })))
}

/// Conjugate target: α·s₁ + (1 − α)·y with α making the direction conjugate to the previous
/// one under the Hessian at x (clamped to [0, 0.99]).
fn conjugate(net: &Network, x: &[f64], y: &[f64], s1: &[f64]) -> Vec<f64> {
    let n = weighted(net, x, |a| s1[a] - x[a], |a| y[a] - x[a]);
    let d = weighted(net, x, |a| s1[a] - x[a], |a| y[a] - s1[a]);
    let alpha = if d != 0.0 { (n / d).clamp(0.0, 0.99) } else { 0.0 };
    y.iter().zip(s1).map(|(ya, sa)| alpha * sa + (1.0 - alpha) * ya).collect()
}

/// Bi-conjugate target: β₀·y + β₁·s₁ + β₂·s₂, conjugate to the two previous directions.
fn biconjugate(net: &Network, x: &[f64], y: &[f64], s1: &[f64], s2: &[f64], tau1: f64) -> Vec<f64> {
    let prev = |a: usize| tau1 * s1[a] - x[a] + (1.0 - tau1) * s2[a];
    let d_mu = weighted(net, x, prev, |a| s2[a] - s1[a]);
    let d_nu = weighted(net, x, |a| s1[a] - x[a], |a| s1[a] - x[a]);
    if d_mu == 0.0 || d_nu == 0.0 {
        return y.to_vec();
    }
    let mu = (-weighted(net, x, prev, |a| y[a] - x[a]) / d_mu).max(0.0);
    let nu = (mu * tau1 / (1.0 - tau1) - weighted(net, x, |a| s1[a] - x[a], |a| y[a] - x[a]) / d_nu).max(0.0);
    let b0 = 1.0 / (1.0 + mu + nu);
    let (b1, b2) = (nu * b0, mu * b0);
    (0..y.len()).map(|a| b0 * y[a] + b1 * s1[a] + b2 * s2[a]).collect()
}

/// A path (its links, in order) and its flow.
type PathFlow = (Vec<usize>, f64);

/// The paths in use for one origin–destination pair.
#[derive(Debug, Clone)]
struct Pair {
    destination: usize,
    paths: Vec<PathFlow>,
}

/// The paths in use for each origin–destination pair, with their flows.
#[derive(Debug, Clone, Default)]
struct PathSets {
    /// Per origin, its pairs with demand.
    origins: Vec<Vec<Pair>>,
}

fn path_to(tree_pred: &[usize], net: &Network, d: usize) -> Vec<usize> {
    let mut links = Vec::new();
    let mut v = d;
    while tree_pred[v] != usize::MAX {
        let a = tree_pred[v];
        links.push(a);
        v = net.links[a].from - 1;
    }
    links.reverse();
    links
}

impl PathSets {
    /// The link flows of the path flows.
    fn link_flows(&self, links: usize) -> Vec<f64> {
        let mut x = vec![0.0; links];
        for pair in self.origins.iter().flatten() {
            for (path, flow) in &pair.paths {
                for &a in path {
                    x[a] += flow;
                }
            }
        }
        x
    }

    /// The all-or-nothing paths under `costs` (free flow, to start from), with their link
    /// flows and the demand no path reaches, as [`all_or_nothing`] gives them, from the same
    /// shortest-path pass.
    fn new(net: &Network, dijkstra: &mut Dijkstra, costs: &[f64]) -> (Self, Vec<f64>, f64) {
        let mut origins = Vec::with_capacity(net.zones);
        let mut flows = vec![0.0; net.links.len()];
        let mut node_load = vec![0.0; net.nodes];
        let mut lost = 0.0;
        for o in 0..net.zones {
            let mut pairs = Vec::new();
            let row = &net.demand[o * net.zones..(o + 1) * net.zones];
            if row.iter().any(|&q| q > 0.0) {
                let tree = dijkstra.run(net, costs, o);
                lost += load_tree(net, tree, o, &mut flows, &mut node_load).0;
                for (d, &q) in row.iter().enumerate().filter(|&(d, &q)| q > 0.0 && d != o) {
                    if tree.dist[d].is_finite() {
                        pairs.push(Pair { destination: d, paths: vec![(path_to(&tree.pred, net, d), q)] });
                    }
                }
            }
            origins.push(pairs);
        }
        (Self { origins }, flows, lost)
    }

    /// One pass over every origin: add its current shortest paths, then move flow from each
    /// costlier path to the shortest by a projected Newton step, updating link flows and
    /// costs as it goes.
    fn sweep(&mut self, net: &Network, dijkstra: &mut Dijkstra, x: &mut [f64], costs: &mut [f64]) {
        // Links of the shortest path, marked by pass number (no clearing, deterministic order).
        let mut mark: Vec<usize> = vec![0; x.len()];
        let mut pass = 0usize;
        for (o, pairs) in self.origins.iter_mut().enumerate() {
            if pairs.is_empty() {
                continue;
            }
            let tree = dijkstra.run(net, costs, o);
            let shortest: Vec<Vec<usize>> = pairs.iter().map(|p| path_to(&tree.pred, net, p.destination)).collect();
            for (Pair { paths, .. }, best) in pairs.iter_mut().zip(shortest) {
                if !paths.iter().any(|(p, _)| *p == best) {
                    paths.push((best, 0.0));
                }
                if paths.len() < 2 {
                    continue;
                }
                let path_cost = |p: &[usize], costs: &[f64]| p.iter().map(|&a| costs[a]).sum::<f64>();
                let best_index = (0..paths.len())
                    .min_by(|&i, &j| path_cost(&paths[i].0, costs).total_cmp(&path_cost(&paths[j].0, costs)))
                    .unwrap_or(0);
                for i in 0..paths.len() {
                    if i == best_index || paths[i].1 <= 0.0 {
                        continue;
                    }
                    let gain = path_cost(&paths[i].0, costs) - path_cost(&paths[best_index].0, costs);
                    if gain <= 0.0 {
                        continue;
                    }
                    // d²/dshift² of the Beckmann objective: the links in exactly one of the two paths.
                    pass += 2;
                    for &a in &paths[best_index].0 {
                        mark[a] = pass;
                    }
                    let mut curvature = 0.0;
                    for &a in &paths[i].0 {
                        if mark[a] == pass {
                            mark[a] = pass - 1;
                        } else {
                            curvature += net.derivative(a, x[a]);
                        }
                    }
                    for &a in &paths[best_index].0 {
                        if mark[a] == pass {
                            curvature += net.derivative(a, x[a]);
                        }
                    }
                    let shift = if curvature > 0.0 { (gain / curvature).min(paths[i].1) } else { paths[i].1 };
                    if shift <= 0.0 {
                        continue;
                    }
                    paths[i].1 -= shift;
                    paths[best_index].1 += shift;
                    for &a in &paths[i].0 {
                        x[a] -= shift;
                        costs[a] = net.cost(a, x[a]);
                    }
                    for &a in &paths[best_index].0 {
                        x[a] += shift;
                        costs[a] = net.cost(a, x[a]);
                    }
                }
                paths.retain(|(_, f)| *f > 1e-12);
            }
        }
        // Round-off: flows never below zero.
        for (a, xa) in x.iter_mut().enumerate() {
            if *xa < 0.0 {
                *xa = 0.0;
                costs[a] = net.cost(a, 0.0);
            }
        }
    }
}
