//! The HiGHS helper both MILP models of the planner use (the planning model in `milp` and the
//! relaxation that bounds a plan's value in `bound`): one thread, and for an integral objective an
//! absolute gap just under 1, so that HiGHS stopping on the gap (`GapLimit`) is a proof.

use good_lp::solvers::highs::{highs, HighsProblem};
use good_lp::{Expression, ProblemVariables, SolutionStatus};

/// A maximisation model on one thread. With `integral` (every feasible objective value is a
/// whole number) HiGHS stops once no better whole value is possible: relative gap 0, absolute
/// gap 0.999.
pub(crate) fn maximise(vars: ProblemVariables, objective: Expression, integral: bool) -> Result<HighsProblem, String> {
    let model = highs(vars.maximise(objective)).set_threads(1);
    if !integral {
        return Ok(model);
    }
    let model = model.set_mip_rel_gap(0.0).map_err(|e| e.to_string())?;
    model.set_mip_abs_gap(0.999).map_err(|e| e.to_string())
}

/// Whether HiGHS proved its answer best: optimal, or stopped on the gap of [`maximise`]'s
/// integral model (no better whole value exists).
pub(crate) fn proven(status: SolutionStatus) -> bool {
    matches!(status, SolutionStatus::Optimal | SolutionStatus::GapLimit)
}
