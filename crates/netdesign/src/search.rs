//! One network-design search from start to result, shared by the command line and the REST job:
//! the baseline, the GA or the enumeration with exact fitness, and the answer in the form both
//! print.

use crate::design::{Design, ExactFitness};
use crate::ga::{exhaustive, one_by_one, run_ga, GaSettings, Parents, MAX_EXHAUSTIVE};
use crate::surrogate::{Surrogate, SurrogateError, TrainingReport};
use schemars::JsonSchema;
use serde::Serialize;
use std::time::Instant;
use tripsmith_traffic::assign::{gradient_projection, AssignError, StopRule};

/// How to search.
#[derive(Debug, Clone, Copy)]
pub enum Search {
    /// The genetic algorithm.
    Ga(GaSettings),
    /// Every affordable choice (at most [`MAX_EXHAUSTIVE`] candidates).
    Exhaustive,
}

/// Why a search ended without an answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SearchError {
    /// An equilibrium could not be computed.
    #[error(transparent)]
    Assign(#[from] AssignError),
    /// Asked to stop.
    #[error("stopped")]
    Stopped,
    /// Too many candidates for the enumeration.
    #[error("the enumeration takes at most {MAX_EXHAUSTIVE} candidates, there are {0}")]
    TooMany(usize),
}

/// The answer of a search.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DesignResult {
    /// `exact` (every fitness an exact equilibrium) or `surrogate` (the GNN's prediction, the
    /// top choices then solved exactly).
    pub fitness: String,
    /// `ga` or `exhaustive`.
    pub search: String,
    /// Budget as a share of the candidates' lane cost.
    pub budget: f64,
    /// Budget in lane-cost units.
    pub budget_cost: f64,
    /// Lane cost of the best choice.
    pub cost: f64,
    /// TSTT without new lanes.
    pub baseline_tstt: f64,
    /// TSTT of the best choice by the search's fitness.
    pub best_tstt: f64,
    /// TSTT of the best choice at its exact equilibrium.
    pub best_tstt_exact: f64,
    /// Links given a lane, as [from, to].
    pub chosen: Vec<[usize; 2]>,
    /// Fitness evaluations (exact: equilibria solved; surrogate: distinct predictions).
    pub evaluations: usize,
    /// Seconds of the search (for a surrogate: its GA and the exact re-evaluations).
    pub seconds: f64,
    /// Seconds spent training the surrogate first (equilibria, training, testing), apart from
    /// `seconds`; absent when none was trained.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub train_seconds: Option<f64>,
    /// The training report of the surrogate trained first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surrogate: Option<TrainingReport>,
}

/// Runs a search with exact fitness (equilibria to relative gap `gap`); `progress(done, total)`
/// hears of each generation (or choice); `stop()` true ends it with [`SearchError::Stopped`].
pub fn search(
    design: &Design,
    how: Search,
    gap: f64,
    progress: &mut dyn FnMut(u64, u64),
    stop: &dyn Fn() -> bool,
) -> Result<DesignResult, SearchError> {
    let n = design.candidates.len();
    if matches!(how, Search::Exhaustive) && n > MAX_EXHAUSTIVE {
        return Err(SearchError::TooMany(n));
    }
    let start = Instant::now();
    let mut exact = ExactFitness::new(gap);
    let baseline = exact.tstt(design, &vec![false; n], None)?;
    let mut done = 0u64;
    let best = match how {
        Search::Exhaustive => {
            let total = 1u64 << n;
            let mut fitness = |c: &[bool], p: Option<&[bool]>| -> Result<f64, SearchError> {
                if stop() {
                    return Err(SearchError::Stopped);
                }
                done += 1;
                progress(done, total);
                Ok(exact.tstt(design, c, p)?)
            };
            exhaustive(design, &mut fitness)?
        }
        Search::Ga(settings) => {
            let total = settings.generations as u64;
            let mut fitness = |c: &[bool], p: Option<&[bool]>| -> Result<f64, SearchError> {
                if stop() {
                    return Err(SearchError::Stopped);
                }
                Ok(exact.tstt(design, c, p)?)
            };
            let found = run_ga(design, settings, &mut one_by_one(&mut fitness), &mut |g, _| progress(g as u64, total))?;
            Some(found.0)
        }
    };
    // The empty choice is always affordable, so there is a best.
    let best = best.unwrap_or(crate::ga::Scored { chosen: vec![false; n], tstt: baseline });
    let chosen = design.links(&best.chosen);
    Ok(DesignResult {
        fitness: "exact".into(),
        search: match how {
            Search::Ga(_) => "ga".into(),
            Search::Exhaustive => "exhaustive".into(),
        },
        budget: design.budget_share,
        budget_cost: design.budget(),
        cost: design.cost(&best.chosen),
        baseline_tstt: baseline,
        best_tstt: best.tstt,
        best_tstt_exact: best.tstt,
        chosen,
        evaluations: exact.evaluations,
        seconds: start.elapsed().as_secs_f64(),
        train_seconds: None,
        surrogate: None,
    })
}

/// Relative gap at which the surrogate's top choices are compared exactly.
pub const SCREEN_GAP: f64 = 1e-4;

/// The GA with the surrogate's TSTT as fitness; the `top_k` best distinct choices it saw are
/// then solved exactly (equilibria to `gap`) and the exactly best one is the answer. `stop()`
/// true ends it with [`SurrogateError::Stopped`].
pub fn search_with_surrogate(
    design: &Design,
    ga: GaSettings,
    surrogate: &Surrogate,
    top_k: usize,
    gap: f64,
    progress: &mut dyn FnMut(u64, u64),
    stop: &dyn Fn() -> bool,
) -> Result<DesignResult, SurrogateError> {
    let start = Instant::now();
    let n = design.candidates.len();
    let mut seen: std::collections::HashMap<Vec<bool>, f64> = std::collections::HashMap::new();
    let demand = &design.net.demand;
    // Each generation's unseen choices are predicted in one batch.
    let mut fitness = |choices: &[Vec<bool>], _: &Parents<'_>| -> Result<Vec<f64>, SurrogateError> {
        if stop() {
            return Err(SurrogateError::Stopped);
        }
        let mut unseen: Vec<Vec<bool>> = choices.iter().filter(|c| !seen.contains_key(*c)).cloned().collect();
        unseen.sort();
        unseen.dedup();
        for (c, t) in unseen.iter().zip(surrogate.tstt_batch(design, demand, &unseen)?) {
            seen.insert(c.clone(), t);
        }
        Ok(choices.iter().map(|c| seen.get(c).copied().unwrap_or(f64::INFINITY)).collect())
    };
    let total = ga.generations as u64;
    run_ga(design, ga, &mut fitness, &mut |g, _| progress(g as u64, total))?;
    let mut ranked: Vec<(Vec<bool>, f64)> = seen.into_iter().collect();
    ranked.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    let evaluations = ranked.len();
    // The top choices are screened at a gap of at most SCREEN_GAP (their TSTTs then err by
    // far less than they differ), and the best one is solved on to `gap` from its paths.
    let mut screen = ExactFitness::new(gap.max(SCREEN_GAP));
    let none = vec![false; n];
    // The surrogate was built on the exact base equilibrium; its paths warm-start the top
    // choices, as the exact GA starts each child from its parent's.
    let baseline = surrogate.base_tstt();
    if let Some(warm) = surrogate.base_paths() {
        screen.remember(&none, baseline, warm.clone());
    }
    let mut best: Option<(Vec<bool>, f64, f64)> = None;
    let mut solved = vec![none.clone()];
    for (chosen, predicted) in ranked.into_iter().take(top_k.max(1)) {
        if stop() {
            return Err(SurrogateError::Stopped);
        }
        // Started from the nearest choice solved so far (fewest lanes apart).
        let distance = |other: &Vec<bool>| other.iter().zip(&chosen).filter(|(a, b)| a != b).count();
        let parent = solved.iter().min_by_key(|other| distance(other)).cloned();
        let t = screen.tstt(design, &chosen, parent.as_deref())?;
        solved.push(chosen.clone());
        if best.as_ref().is_none_or(|b| t < b.2) {
            best = Some((chosen, predicted, t));
        }
    }
    let best = match best {
        Some((chosen, predicted, _)) if gap < SCREEN_GAP => {
            let stop_rule = StopRule { gap, max_iterations: 100_000, deadline: None };
            let net = design.network_with(&chosen);
            let (a, _) = gradient_projection(&net, stop_rule, None, &mut |_| {}, screen.paths(&chosen))?;
            Some((chosen, predicted, a.tstt))
        }
        other => other,
    };
    let (chosen, predicted, exact_tstt) = best.unwrap_or((vec![false; n], baseline, baseline));
    Ok(DesignResult {
        fitness: "surrogate".into(),
        search: "ga".into(),
        budget: design.budget_share,
        budget_cost: design.budget(),
        cost: design.cost(&chosen),
        baseline_tstt: baseline,
        best_tstt: predicted,
        best_tstt_exact: exact_tstt,
        chosen: design.links(&chosen),
        evaluations,
        seconds: start.elapsed().as_secs_f64(),
        train_seconds: None,
        surrogate: None,
    })
}
