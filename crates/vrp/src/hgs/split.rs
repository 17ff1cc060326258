//! The giant-tour split (Prins 2004): the cheapest way to cut a sequence of clients into
//! consecutive routes, each priced by its distance and its load above capacity at the penalty
//! (routes up to 1.5 times the capacity are allowed, as in HGS).

use super::Problem;

/// The routes of `tour` cut where the penalised cost is least (Bellman over the cut points).
pub(super) fn split(problem: &Problem, tour: &[usize], penalty: f64) -> Vec<Vec<usize>> {
    let n = tour.len();
    let mut best = vec![f64::INFINITY; n + 1];
    let mut cut = vec![0usize; n + 1];
    best[0] = 0.0;
    let most = 1.5 * problem.capacity;
    for i in 0..n {
        if !best[i].is_finite() {
            continue;
        }
        let (mut load, mut distance) = (0.0, 0.0);
        for j in i..n {
            load += problem.demand[tour[j]];
            if j > i && load > most {
                break;
            }
            distance += if j == i { problem.d(0, tour[i]) } else { problem.d(tour[j - 1], tour[j]) };
            let cost = best[i] + distance + problem.d(tour[j], 0) + penalty * (load - problem.capacity).max(0.0);
            if cost < best[j + 1] {
                best[j + 1] = cost;
                cut[j + 1] = i;
            }
        }
    }
    let mut routes = Vec::new();
    let mut end = n;
    while end > 0 {
        let start = cut[end];
        routes.push(tour[start..end].to_vec());
        end = start;
    }
    routes.reverse();
    routes
}
