//! The z3 helper both z3 encodings use (the trip planner's and the TravelPlanner benchmark's): a
//! solver that stops at a deadline, checks under tracking literals (each user constraint is
//! asserted as `track → constraint`, so a check under a subset of the tracks switches the others
//! off, and an unsat answer's core is a set of tracks), and optimises an integer objective by
//! binary search with incremental calls.

use std::time::Instant;
use z3::ast::{Bool, Int};
use z3::{Context, Model, Params, SatResult, Solver};

/// The deadline passed (or z3 gave up) before an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("z3 gave no answer before the deadline")]
pub struct TimedOut;

/// A z3 solver that stops at a deadline.
pub struct TimedSolver<'c> {
    /// The context the solver's terms live in.
    pub ctx: &'c Context,
    /// The solver, for asserting facts and reading models and cores.
    pub solver: Solver<'c>,
    /// When every check gives up (`Unknown`).
    pub deadline: Instant,
}

/// The value of `v` in `m` (0 when the model does not fix it).
pub fn value(m: &Model, v: &Int) -> i64 {
    m.eval(v, true).and_then(|x| x.as_i64()).unwrap_or(0)
}

impl<'c> TimedSolver<'c> {
    /// A new solver in `ctx` that gives up at `deadline`.
    pub fn new(ctx: &'c Context, deadline: Instant) -> Self {
        Self { ctx, solver: Solver::new(ctx), deadline }
    }

    /// Checks under `assumptions` with the time that is left (`Unknown` once it is gone).
    pub fn check(&self, assumptions: &[Bool<'c>]) -> SatResult {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return SatResult::Unknown;
        }
        let mut params = Params::new(self.ctx);
        params.set_u32("timeout", left.as_millis().clamp(1, u128::from(u32::MAX)) as u32);
        self.solver.set_params(&params);
        self.solver.check_assumptions(assumptions)
    }

    /// Whether `assumptions` can hold together (`None`: no answer in the time left).
    pub fn feasible(&self, assumptions: &[Bool<'c>]) -> Option<bool> {
        match self.check(assumptions) {
            SatResult::Sat => Some(true),
            SatResult::Unsat => Some(false),
            SatResult::Unknown => None,
        }
    }

    /// A model under `assumptions`: `Some` when they hold, `None` when they cannot.
    pub fn model(&self, assumptions: &[Bool<'c>]) -> Result<Option<Model<'c>>, TimedOut> {
        match self.check(assumptions) {
            SatResult::Sat => self.solver.get_model().map(Some).ok_or(TimedOut),
            SatResult::Unsat => Ok(None),
            SatResult::Unknown => Err(TimedOut),
        }
    }

    /// Binary search for the best value of `objective` (maximised when `maximise`) between the
    /// `bounds` under `assumptions`, starting from `model` (which meets them); returns the best
    /// model found and whether it is proven best (false when the time ran out).
    pub fn optimise(
        &self,
        assumptions: &[Bool<'c>],
        objective: &Int<'c>,
        maximise: bool,
        mut model: Model<'c>,
        bounds: (i64, i64),
    ) -> (Model<'c>, bool) {
        let (mut lo, mut hi) = bounds;
        let current = |m: &Model<'c>| value(m, objective);
        if maximise {
            lo = lo.max(current(&model) + 1)
        } else {
            hi = hi.min(current(&model) - 1)
        }
        while lo <= hi {
            let mid = lo + (hi - lo) / 2;
            self.solver.push();
            let target = Int::from_i64(self.ctx, mid);
            self.solver.assert(&if maximise { objective.ge(&target) } else { objective.le(&target) });
            let result = self.check(assumptions);
            let found = if result == SatResult::Sat { self.solver.get_model() } else { None };
            self.solver.pop(1);
            match (result, found) {
                (SatResult::Sat, Some(m)) => {
                    if maximise {
                        lo = current(&m) + 1
                    } else {
                        hi = current(&m) - 1
                    }
                    model = m;
                }
                (SatResult::Unsat, _) => {
                    if maximise {
                        hi = mid - 1
                    } else {
                        lo = mid + 1
                    }
                }
                _ => return (model, false),
            }
        }
        (model, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use z3::Config;

    #[test]
    fn optimises_under_the_tracks_switched_on_and_finds_their_core() {
        let ctx = Context::new(&Config::new());
        let solver = TimedSolver::new(&ctx, Instant::now() + std::time::Duration::from_secs(10));
        let x = Int::new_const(&ctx, "x");
        let small = Bool::new_const(&ctx, "small");
        let large = Bool::new_const(&ctx, "large");
        solver.solver.assert(&small.implies(&x.le(&Int::from_i64(&ctx, 7))));
        solver.solver.assert(&large.implies(&x.ge(&Int::from_i64(&ctx, 9))));
        solver.solver.assert(&x.ge(&Int::from_i64(&ctx, 0)));
        assert_eq!(solver.feasible(&[small.clone(), large.clone()]), Some(false));
        assert_eq!(solver.solver.get_unsat_core().len(), 2);
        let model = solver.model(std::slice::from_ref(&small)).unwrap().unwrap();
        let (best, proven) = solver.optimise(std::slice::from_ref(&small), &x, true, model, (0, 100));
        assert!(proven);
        assert_eq!(value(&best, &x), 7);
        let model = solver.model(std::slice::from_ref(&large)).unwrap().unwrap();
        let (best, proven) = solver.optimise(&[large], &x, false, model, (0, 100));
        assert!(proven);
        assert_eq!(value(&best, &x), 9);
    }

    #[test]
    fn a_passed_deadline_answers_unknown() {
        let ctx = Context::new(&Config::new());
        let solver = TimedSolver::new(&ctx, Instant::now());
        assert_eq!(solver.feasible(&[]), None);
        assert!(solver.model(&[]).is_err());
    }
}
