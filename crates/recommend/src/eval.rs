//! Runs rankers over a split's held-out trips: each ranks its destination's places, and the
//! metrics say how well it found the places visited.

use crate::metrics::{case_metrics, CaseMetrics};
use crate::regions::Regions;
use crate::split::Case;

/// A model that scores a destination's places for a traveller (higher: recommended first).
pub trait Ranker {
    /// Its name in reports.
    fn name(&self) -> String;
    /// A score for each candidate place of `case`'s destination.
    fn scores(&self, case: &Case, candidates: &[usize]) -> Vec<f64>;
}

/// The scores of a factor model: user `user`'s vector (`dim` values of `users`, row after row)
/// dotted with each candidate place's (rows of `places`), plus the place's bias; summed in the
/// model's own precision.
pub fn factor_scores<T>(
    users: &[T],
    places: &[T],
    bias: &[T],
    dim: usize,
    user: usize,
    candidates: &[usize],
) -> Vec<f64>
where
    T: Copy + std::ops::Mul<Output = T> + std::ops::Add<Output = T> + std::iter::Sum + Into<f64>,
{
    let row = &users[user * dim..(user + 1) * dim];
    candidates
        .iter()
        .map(|&p| (row.iter().zip(&places[p * dim..(p + 1) * dim]).map(|(&a, &b)| a * b).sum::<T>() + bias[p]).into())
        .collect()
}

/// `candidates` best first by `scores` (ties by place id).
pub fn ranked(candidates: &[usize], scores: &[f64]) -> Vec<usize> {
    let mut order: Vec<(usize, f64)> = candidates.iter().copied().zip(scores.iter().copied()).collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    order.into_iter().map(|(p, _)| p).collect()
}

/// Each case's metrics for `ranker`, ranking every place of the case's destination.
pub fn evaluate(cases: &[Case], regions: &Regions, ranker: &dyn Ranker) -> Vec<CaseMetrics> {
    cases
        .iter()
        .map(|case| {
            let candidates = &regions.members[case.region];
            case_metrics(&ranked(candidates, &ranker.scores(case, candidates)), &case.targets)
        })
        .collect()
}

/// The per-case mean of several runs' metrics (e.g. one per seed), case by case.
pub fn average_runs(runs: &[Vec<CaseMetrics>]) -> Vec<CaseMetrics> {
    let n = runs.len().max(1) as f64;
    let cases = runs.first().map_or(0, Vec::len);
    (0..cases)
        .map(|c| {
            let sum = |f: fn(&CaseMetrics) -> f64| runs.iter().map(|r| f(&r[c])).sum::<f64>() / n;
            CaseMetrics {
                recall10: sum(|m| m.recall10),
                recall20: sum(|m| m.recall20),
                ndcg10: sum(|m| m.ndcg10),
                ap: sum(|m| m.ap),
            }
        })
        .collect()
}
