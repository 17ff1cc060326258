//! A hybrid genetic search for the capacitated VRP (after HGS-CVRP, Vidal 2022): solutions are
//! giant tours cut into routes by an optimal split; children come from ordered crossover of two
//! parents picked by binary tournament on a fitness that rewards diversity; each child is
//! improved by a granular local search that lets routes exceed capacity at a penalty, and
//! about half of those left over capacity are repaired at ten times the penalty; the penalty
//! adapts so that about a fifth of children come out within capacity; the population is kept
//! in two halves (within capacity or not) culled by fitness, and restarts after a long run
//! without improvement. Seeded and time-limited. It takes capacity-only instances with
//! interchangeable vehicles ([`supports`] says why not otherwise); [`crate::solve`] takes
//! every instance.

mod individual;
mod local_search;
mod population;
mod sector;
mod split;

use crate::instance::{Costs, Fleet, Instance, Objective};
use crate::solve::{Settings, Solved};
use individual::Individual;
use local_search::LocalSearch;
use population::{tournament, Half};
use split::split;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;
use tripsmith_model::SeededRng;

/// Nearest clients each client's moves are tried with.
const GRANULAR: usize = 20;
/// Children between penalty updates.
const PENALTY_PERIOD: u64 = 100;
/// The share of children within capacity the penalty aims at.
const TARGET_FEASIBLE: f64 = 0.2;
/// Children without a better solution before the population restarts.
const RESTART_AFTER: u64 = 20_000;

/// Why the genetic search does not take an instance.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the genetic search takes capacity-only instances with one depot and interchangeable vehicles: {0}")]
pub struct Unsupported(pub String);

/// The instance as the search reads it: demands and distances at hand, and each client's
/// nearest clients.
pub(crate) struct Problem {
    clients: usize,
    nodes: usize,
    capacity: f64,
    demand: Vec<f64>,
    distance: Vec<f64>,
    near: Vec<Vec<usize>>,
    /// Each node's polar angle around the depot on a circle of [`sector::FULL_CIRCLE`] steps,
    /// when the instance has coordinates.
    angle: Option<Vec<i32>>,
}

impl Problem {
    fn new(instance: &Instance, capacity: i64) -> Self {
        let (clients, nodes) = (instance.clients, instance.nodes());
        let demand = (0..nodes).map(|i| instance.demand[i] as f64).collect();
        // Each client's nearest clients, and each client among its nearest's (symmetric).
        let mut near = vec![Vec::new(); clients + 1];
        for c in 1..=clients {
            let mut others: Vec<usize> = (1..=clients).filter(|&o| o != c).collect();
            others.sort_by(|&a, &b| instance.d(c, a).total_cmp(&instance.d(c, b)).then(a.cmp(&b)));
            for &o in others.iter().take(GRANULAR) {
                near[c].push(o);
                near[o].push(c);
            }
        }
        for list in &mut near {
            list.sort_unstable();
            list.dedup();
        }
        for (c, list) in near.iter_mut().enumerate().skip(1) {
            list.sort_by(|&a, &b| instance.d(c, a).total_cmp(&instance.d(c, b)).then(a.cmp(&b)));
        }
        let angle = instance.coordinates.as_ref().map(|points| {
            let (x0, y0) = points[0];
            points.iter().map(|&(x, y)| sector::angle(x - x0, y - y0)).collect()
        });
        Problem { clients, nodes, capacity: capacity as f64, demand, distance: instance.distance.clone(), near, angle }
    }

    fn d(&self, a: usize, b: usize) -> f64 {
        self.distance[a * self.nodes + b]
    }
}

/// Whether the genetic search takes `instance`: capacity in one dimension, one depot,
/// interchangeable vehicles without a limit on their number, symmetric distances, total
/// distance; nothing else (no windows, shifts, limits, ranges, groups, orders, pickups, prizes,
/// quotas, costs of visits, skills).
pub fn supports(instance: &Instance) -> Result<(), Unsupported> {
    let no = |why: &str| Err(Unsupported(why.to_string()));
    let Fleet::Identical { vehicle, count } = &instance.fleet else { return no("its vehicles differ") };
    let n = instance.nodes();
    if vehicle.start != 0 || vehicle.end != 0 || n != instance.clients + 1 {
        return no("it has more than one depot");
    }
    if count.is_some_and(|k| k < instance.clients) {
        return no("it limits the number of vehicles");
    }
    if instance.objective != Objective::TotalCost || vehicle.costs != Costs::default() {
        return no("it minimises something other than total distance");
    }
    if instance.dimensions != 1 || instance.collected.iter().any(|&g| g != 0) || !instance.pairs.is_empty() {
        return no("it has several demand dimensions, pickups or shipments");
    }
    if !instance.groups.is_empty() || !instance.orders.is_empty() {
        return no("it has client groups or visiting orders");
    }
    if instance.prize.iter().any(Option::is_some) || instance.skills.iter().any(|s| !s.is_empty()) {
        return no("it has optional clients or skills");
    }
    if !instance.quota.is_empty() || !instance.visit_cost.is_empty() {
        return no("it has a quota or costs of visits");
    }
    if instance.has_time_windows() || vehicle.shift.1.is_finite() {
        return no("it has time windows or shifts");
    }
    let limited = vehicle.max_length.is_some()
        || vehicle.max_travel.is_some()
        || vehicle.max_distance.is_some()
        || vehicle.range.is_some();
    if limited || vehicle.max_tasks.is_some() {
        return no("it limits routes");
    }
    if (0..n).any(|i| (0..i).any(|j| (instance.d(i, j) - instance.d(j, i)).abs() > 1e-9)) {
        return no("its distances are not symmetric");
    }
    if let Some(c) = (1..n).find(|&c| instance.demand[c] > vehicle.capacity[0]) {
        return no(&format!("client {c}'s demand exceeds the capacity"));
    }
    Ok(())
}

/// The search's state: population, penalty and the best solution so far.
struct Search<'a> {
    problem: &'a Problem,
    local: LocalSearch<'a>,
    rng: SeededRng,
    penalty: f64,
    halves: [Half; 2],
    best: Option<Individual>,
    /// Children within capacity since the last penalty update.
    feasible_children: u64,
}

impl Search<'_> {
    /// Improves `routes` and adds the result (and, half the time when it is over capacity, its
    /// repair at ten times the penalty); true when it is a new best.
    fn educate(&mut self, routes: Vec<Vec<usize>>) -> bool {
        let improved = self.local.run(&routes, self.penalty, &mut self.rng);
        let child = Individual::new(self.problem, improved, self.penalty);
        let mut new_best = self.offer(&child);
        if child.feasible() {
            self.feasible_children += 1;
        }
        let repair = !child.feasible() && self.rng.next_f64() < 0.5;
        let routes = child.routes.clone();
        self.halves[usize::from(!child.feasible())].add(child);
        if repair {
            let repaired = self.local.run(&routes, 10.0 * self.penalty, &mut self.rng);
            let fixed = Individual::new(self.problem, repaired, self.penalty);
            if fixed.feasible() {
                new_best |= self.offer(&fixed);
                self.halves[0].add(fixed);
            }
        }
        new_best
    }

    /// Keeps `candidate` as the best when it is within capacity and shorter.
    fn offer(&mut self, candidate: &Individual) -> bool {
        let better = candidate.feasible() && self.best.as_ref().is_none_or(|b| candidate.distance < b.distance - 1e-9);
        if better {
            self.best = Some(candidate.clone());
        }
        better
    }

    /// A random giant tour, split and improved.
    fn random_individual(&mut self) -> bool {
        let mut tour: Vec<usize> = (1..=self.problem.clients).collect();
        for i in (1..tour.len()).rev() {
            tour.swap(i, self.rng.below(i + 1));
        }
        let routes = split(self.problem, &tour, self.penalty);
        self.educate(routes)
    }

    /// Moves the penalty towards the target share of children within capacity.
    fn adapt_penalty(&mut self) {
        let share = self.feasible_children as f64 / PENALTY_PERIOD as f64;
        if share < TARGET_FEASIBLE - 0.05 {
            self.penalty = (self.penalty * 1.2).min(100_000.0);
        } else if share > TARGET_FEASIBLE + 0.05 {
            self.penalty = (self.penalty * 0.85).max(0.1);
        }
        self.feasible_children = 0;
        self.halves[1].reprice(self.penalty);
    }
}

/// Ordered crossover (OX): the child keeps a random stretch of `a` in place and takes the
/// other clients in `b`'s order after it.
fn crossover(a: &[usize], b: &[usize], rng: &mut SeededRng) -> Vec<usize> {
    let n = a.len();
    let (start, mut end) = (rng.below(n), rng.below(n));
    while n > 1 && end == start {
        end = rng.below(n);
    }
    let mut child = vec![0; n];
    let mut used = vec![false; n + 1];
    let mut j = start;
    loop {
        child[j] = a[j];
        used[a[j]] = true;
        if j == end {
            break;
        }
        j = (j + 1) % n;
    }
    let mut at = (end + 1) % n;
    for k in 0..n {
        let c = b[(end + 1 + k) % n];
        if !used[c] {
            child[at] = c;
            at = (at + 1) % n;
        }
    }
    child
}

/// Solves a capacity-only instance by hybrid genetic search; stops early when `stop` is set.
/// `progress` hears the fraction of the run done and the best distance at each improvement.
pub fn solve(
    instance: &Instance,
    settings: Settings,
    stop: Option<&AtomicBool>,
    progress: &mut dyn FnMut(f64, f64),
) -> Result<Solved, Unsupported> {
    supports(instance)?;
    let started = Instant::now();
    let Fleet::Identical { vehicle, .. } = &instance.fleet else {
        return Err(Unsupported("its vehicles differ".into()));
    };
    let problem = Problem::new(instance, vehicle.capacity[0]);
    let longest = problem.distance.iter().copied().fold(0.0, f64::max);
    let heaviest = problem.demand.iter().copied().fold(0.0, f64::max);
    let mut search = Search {
        problem: &problem,
        local: LocalSearch::new(&problem, problem.clients.max(1)),
        rng: SeededRng::new(settings.seed),
        penalty: (longest / heaviest.max(1.0)).clamp(0.1, 1000.0),
        halves: [Half::default(), Half::default()],
        best: None,
        feasible_children: 0,
    };
    let stopped = || stop.is_some_and(|s| s.load(Ordering::Relaxed));
    let out_of_time = |iterations: u64| {
        iterations >= settings.max_iterations || started.elapsed() >= settings.time_limit || stopped()
    };
    let fraction = |iterations: u64| {
        if settings.max_iterations < u64::MAX {
            iterations as f64 / settings.max_iterations as f64
        } else {
            (started.elapsed().as_secs_f64() / settings.time_limit.as_secs_f64().max(1e-9)).min(1.0)
        }
    };
    let (mut iterations, mut since_best) = (0u64, 0u64);
    // The first population: 4 MU random giant tours, each split and improved.
    let initial = |search: &mut Search, iterations: &mut u64| {
        for _ in 0..4 * population::MU {
            if out_of_time(*iterations) {
                break;
            }
            *iterations += 1;
            search.random_individual();
        }
    };
    initial(&mut search, &mut iterations);
    while !out_of_time(iterations) {
        iterations += 1;
        since_best += 1;
        let halves = [&search.halves[0], &search.halves[1]];
        let a = tournament(halves, &mut search.rng).map(|i| i.tour.clone());
        let b = tournament(halves, &mut search.rng).map(|i| i.tour.clone());
        let (Some(a), Some(b)) = (a, b) else { break };
        let child = crossover(&a, &b, &mut search.rng);
        let routes = split(&problem, &child, search.penalty);
        if search.educate(routes) {
            since_best = 0;
            if let Some(best) = &search.best {
                progress(fraction(iterations), best.distance);
            }
        }
        if iterations % PENALTY_PERIOD == 0 {
            search.adapt_penalty();
        }
        if since_best >= RESTART_AFTER {
            search.halves.iter_mut().for_each(Half::clear);
            since_best = 0;
            initial(&mut search, &mut iterations);
        }
    }
    // Always within capacity: without a solution found in time, one client per route improved
    // at a penalty no saving of distance outweighs (demands are whole).
    let best = match search.best.take() {
        Some(b) => b,
        None => {
            let singles: Vec<Vec<usize>> = (1..=problem.clients).map(|c| vec![c]).collect();
            let prohibitive = 1.0 + 2.0 * (1..=problem.clients).map(|c| problem.d(0, c) + problem.d(c, 0)).sum::<f64>();
            let improved = search.local.run(&singles, prohibitive, &mut search.rng);
            Individual::new(&problem, improved, search.penalty)
        }
    };
    Ok(Solved { cost: best.distance, routes: best.routes, unassigned: Vec::new(), iterations })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Local search never raises the penalised cost, keeps every client once, and its result
    /// is a local optimum (a second run changes nothing).
    #[test]
    fn local_search_only_improves_and_keeps_every_client() {
        let path = std::path::PathBuf::from(
            std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
        )
        .join("../../../shared/data/vrp/cvrp/X/X-n101-k25.vrp");
        let instance = crate::vrplib::read(&path, crate::instance::Rounding::Nearest).unwrap();
        let problem = Problem::new(&instance, 206);
        let mut rng = SeededRng::new(7);
        let mut local = LocalSearch::new(&problem, problem.clients);
        for penalty in [0.5, 5.0, 50.0] {
            let mut tour: Vec<usize> = (1..=problem.clients).collect();
            for i in (1..tour.len()).rev() {
                tour.swap(i, rng.below(i + 1));
            }
            let before = Individual::new(&problem, split(&problem, &tour, penalty), penalty);
            let after = Individual::new(&problem, local.run(&before.routes, penalty, &mut rng), penalty);
            assert!(after.cost <= before.cost + 1e-6, "{} > {}", after.cost, before.cost);
            let mut seen: Vec<usize> = after.routes.iter().flatten().copied().collect();
            seen.sort_unstable();
            assert_eq!(seen, (1..=problem.clients).collect::<Vec<_>>());
            let again = Individual::new(&problem, local.run(&after.routes, penalty, &mut rng), penalty);
            assert!((again.cost - after.cost).abs() < 1e-6, "{} then {}", after.cost, again.cost);
        }
    }
}
