//! One network-design search from start to result, shared by the command line and the REST job:
//! the baseline, the GA or the enumeration with exact fitness, and the answer in the form both
//! print.

use crate::design::{Design, ExactFitness};
use crate::ga::{exhaustive, run_ga, GaSettings, MAX_EXHAUSTIVE};
use schemars::JsonSchema;
use serde::Serialize;
use std::time::Instant;
use tripsmith_traffic::assign::AssignError;

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
    /// `exact`: every fitness is an exact equilibrium.
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
    /// Equilibria solved.
    pub evaluations: usize,
    /// Seconds.
    pub seconds: f64,
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
            Some(run_ga(design, settings, &mut fitness, &mut |g, _| progress(g as u64, total))?.0)
        }
    };
    // The empty choice is always affordable, so there is a best.
    let best = best.unwrap_or(crate::ga::Scored { chosen: vec![false; n], tstt: baseline });
    let chosen =
        design.candidates.iter().zip(&best.chosen).filter(|(_, on)| **on).map(|(c, _)| [c.from, c.to]).collect();
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
    })
}
