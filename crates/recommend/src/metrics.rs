//! Ranking metrics for one held-out trip, and their mean with a 95 % confidence interval
//! over trips.

/// How well one ranking of a destination's places finds the places visited.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CaseMetrics {
    /// Share of the visited places among the first 10.
    pub recall10: f64,
    /// Share of the visited places among the first 20.
    pub recall20: f64,
    /// Discounted gain of the first 10 (binary relevance, log2 discount) over the best possible.
    pub ndcg10: f64,
    /// Average precision over the whole ranking: the mean, over the visited places, of the
    /// precision at each one's rank.
    pub ap: f64,
}

/// The metrics of `ranking` (places, best first) against the visited `targets` (sorted).
pub fn case_metrics(ranking: &[usize], targets: &[usize]) -> CaseMetrics {
    if targets.is_empty() {
        return CaseMetrics::default();
    }
    let hit = |p: &usize| targets.binary_search(p).is_ok();
    let n = targets.len() as f64;
    let hits_in = |k: usize| ranking.iter().take(k).filter(|p| hit(p)).count() as f64;
    let dcg: f64 =
        ranking.iter().take(10).enumerate().filter(|(_, p)| hit(p)).map(|(i, _)| 1.0 / (i as f64 + 2.0).log2()).sum();
    let ideal: f64 = (0..targets.len().min(10)).map(|i| 1.0 / (i as f64 + 2.0).log2()).sum();
    let (mut found, mut precision_sum) = (0.0, 0.0);
    for (i, p) in ranking.iter().enumerate() {
        if hit(p) {
            found += 1.0;
            precision_sum += found / (i as f64 + 1.0);
        }
    }
    CaseMetrics { recall10: hits_in(10) / n, recall20: hits_in(20) / n, ndcg10: dcg / ideal, ap: precision_sum / n }
}

/// A mean and the half-width of its 95 % confidence interval (normal approximation:
/// 1.96 standard errors).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The mean.
    pub mean: f64,
    /// Half the interval's width.
    pub ci95: f64,
}

/// The mean of `values` with its 95 % interval (none for fewer than two values).
pub fn estimate(values: &[f64]) -> Estimate {
    let n = values.len() as f64;
    if values.is_empty() {
        return Estimate { mean: 0.0, ci95: 0.0 };
    }
    let mean = values.iter().sum::<f64>() / n;
    if values.len() < 2 {
        return Estimate { mean, ci95: 0.0 };
    }
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    Estimate { mean, ci95: 1.96 * (variance / n).sqrt() }
}

/// The four metrics over many trips.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Recall@10.
    pub recall10: Estimate,
    /// Recall@20.
    pub recall20: Estimate,
    /// NDCG@10.
    pub ndcg10: Estimate,
    /// Mean average precision.
    pub map: Estimate,
}

/// Each metric's mean and interval over `cases`.
pub fn summarise(cases: &[CaseMetrics]) -> Summary {
    let of = |f: fn(&CaseMetrics) -> f64| estimate(&cases.iter().map(f).collect::<Vec<_>>());
    Summary { recall10: of(|c| c.recall10), recall20: of(|c| c.recall20), ndcg10: of(|c| c.ndcg10), map: of(|c| c.ap) }
}
