//! One solution of the genetic search: its routes, its giant tour (the routes in a row, the
//! chromosome crossover works on), its penalised cost, and each client's neighbours in it
//! (for the broken-pairs distance).

use super::Problem;

/// A solution: routes of clients, their giant tour and their penalised cost.
#[derive(Debug, Clone)]
pub(super) struct Individual {
    pub(super) routes: Vec<Vec<usize>>,
    pub(super) tour: Vec<usize>,
    /// Distance of all routes.
    pub(super) distance: f64,
    /// Load above capacity, summed over routes.
    pub(super) excess: f64,
    /// Distance plus the excess at the penalty it was last priced at.
    pub(super) cost: f64,
    /// Each client's successor and predecessor (0: the depot).
    succ: Vec<usize>,
    pred: Vec<usize>,
}

impl Individual {
    /// The solution of these routes (empty ones dropped), priced at `penalty` per unit of excess.
    pub(super) fn new(problem: &Problem, routes: Vec<Vec<usize>>, penalty: f64) -> Self {
        let routes: Vec<Vec<usize>> = routes.into_iter().filter(|r| !r.is_empty()).collect();
        let (mut succ, mut pred) = (vec![0; problem.clients + 1], vec![0; problem.clients + 1]);
        let (mut distance, mut excess) = (0.0, 0.0);
        for route in &routes {
            let mut load = 0.0;
            let mut previous = 0;
            for &c in route {
                distance += problem.d(previous, c);
                load += problem.demand[c];
                pred[c] = previous;
                if previous != 0 {
                    succ[previous] = c;
                }
                previous = c;
            }
            distance += problem.d(previous, 0);
            excess += (load - problem.capacity).max(0.0);
        }
        let tour = routes.iter().flatten().copied().collect();
        Individual { routes, tour, distance, excess, cost: distance + penalty * excess, succ, pred }
    }

    /// Whether every route is within capacity.
    pub(super) fn feasible(&self) -> bool {
        self.excess < 1e-9
    }

    /// Prices the excess at a new penalty.
    pub(super) fn reprice(&mut self, penalty: f64) {
        self.cost = self.distance + penalty * self.excess;
    }

    /// The broken-pairs distance: the share of clients whose two neighbours in `self` are not
    /// both their neighbours in `other`.
    pub(super) fn distance_to(&self, other: &Individual) -> f64 {
        let n = self.succ.len() - 1;
        let broken = (1..=n)
            .filter(|&c| {
                let (a, b) = (self.succ[c], self.pred[c]);
                let (x, y) = (other.succ[c], other.pred[c]);
                !((a == x && b == y) || (a == y && b == x))
            })
            .count();
        broken as f64 / n.max(1) as f64
    }
}
