//! The population of the genetic search, in two halves (routes within capacity, and not), each
//! kept between `MU` and `MU + LAMBDA` solutions: a solution's fitness mixes its cost rank with
//! its diversity rank (its mean broken-pairs distance to its closest others), and when a half
//! is full the worst by that fitness leave, clones first (after HGS, Vidal 2012/2022).

use super::individual::Individual;
use tripsmith_model::SeededRng;

/// Solutions a half keeps after a cull.
pub(super) const MU: usize = 25;
/// Solutions a half takes before a cull.
pub(super) const LAMBDA: usize = 40;
/// How many of the best a half shields from losing out on diversity.
const ELITE: usize = 4;
/// Closest others a solution's diversity is measured against.
const CLOSE: usize = 5;

/// A solution in a half, with its distances to the others there (closest first).
struct Member {
    individual: Individual,
    id: u64,
    near: Vec<(f64, u64)>,
}

/// One half of the population.
#[derive(Default)]
pub(super) struct Half {
    members: Vec<Member>,
    next_id: u64,
}

impl Half {
    /// Adds a solution, culling the half when it is full.
    pub(super) fn add(&mut self, individual: Individual) {
        let id = self.next_id;
        self.next_id += 1;
        let mut near = Vec::with_capacity(self.members.len());
        for m in &mut self.members {
            let distance = individual.distance_to(&m.individual);
            let at = m.near.partition_point(|e| e.0 < distance);
            m.near.insert(at, (distance, id));
            near.push((distance, m.id));
        }
        near.sort_by(|a, b| a.0.total_cmp(&b.0));
        self.members.push(Member { individual, id, near });
        if self.members.len() > MU + LAMBDA {
            while self.members.len() > MU {
                self.remove_worst();
            }
        }
    }

    /// Removes the solution with the worst fitness, a clone of another if there is one.
    fn remove_worst(&mut self) {
        let fitness = self.fitness();
        let clone = |m: &Member| m.near.first().is_some_and(|e| e.0 < 1e-9);
        let any_clone = self.members.iter().any(clone);
        let worst = (0..self.members.len())
            .filter(|&i| !any_clone || clone(&self.members[i]))
            .max_by(|&a, &b| fitness[a].total_cmp(&fitness[b]))
            .unwrap_or(0);
        let gone = self.members.swap_remove(worst).id;
        for m in &mut self.members {
            m.near.retain(|e| e.1 != gone);
        }
    }

    /// Each member's biased fitness (lower is better): its cost rank plus, weighted, its
    /// diversity rank, both scaled to [0, 1].
    pub(super) fn fitness(&self) -> Vec<f64> {
        let n = self.members.len();
        if n <= 1 {
            return vec![0.0; n];
        }
        let diversity: Vec<f64> = self
            .members
            .iter()
            .map(|m| {
                let k = CLOSE.min(m.near.len()).max(1);
                m.near.iter().take(k).map(|e| e.0).sum::<f64>() / k as f64
            })
            .collect();
        let mut by_cost: Vec<usize> = (0..n).collect();
        by_cost.sort_by(|&a, &b| self.members[a].individual.cost.total_cmp(&self.members[b].individual.cost));
        let mut by_diversity: Vec<usize> = (0..n).collect();
        by_diversity.sort_by(|&a, &b| diversity[b].total_cmp(&diversity[a]));
        let scale = (n - 1) as f64;
        let weight = 1.0 - ELITE as f64 / n as f64;
        let mut fitness = vec![0.0; n];
        for (rank, &i) in by_cost.iter().enumerate() {
            fitness[i] += rank as f64 / scale;
        }
        for (rank, &i) in by_diversity.iter().enumerate() {
            fitness[i] += weight * rank as f64 / scale;
        }
        fitness
    }

    /// Number of solutions.
    pub(super) fn len(&self) -> usize {
        self.members.len()
    }

    /// Prices every member's excess at a new penalty.
    pub(super) fn reprice(&mut self, penalty: f64) {
        self.members.iter_mut().for_each(|m| m.individual.reprice(penalty));
    }

    /// Empties the half.
    pub(super) fn clear(&mut self) {
        self.members.clear();
    }
}

/// Picks a parent: the fitter of two drawn at random from both halves.
pub(super) fn tournament<'a>(halves: [&'a Half; 2], rng: &mut SeededRng) -> Option<&'a Individual> {
    let fitness = [halves[0].fitness(), halves[1].fitness()];
    let total = halves[0].len() + halves[1].len();
    if total == 0 {
        return None;
    }
    let mut draw = || {
        let k = rng.below(total);
        let (h, i) = if k < halves[0].len() { (0, k) } else { (1, k - halves[0].len()) };
        (fitness[h][i], &halves[h].members[i].individual)
    };
    let (a, b) = (draw(), draw());
    Some(if a.0 <= b.0 { a.1 } else { b.1 })
}
