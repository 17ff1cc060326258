//! The simulated-annealing schedule and acceptance rule shared by the route searches (the
//! engine's [`crate::solve`] and the VRP crate's ruin and recreate): the temperature falls
//! geometrically from `t0` to `t1` over the run, measured in iterations when they are bounded
//! (so a seed repeats exactly) and by the clock otherwise; a candidate may be worse than the
//! current solution by at most `-T ln u` for a uniform `u` (record-to-record style threshold).

use std::time::{Duration, Instant};
use tripsmith_model::SeededRng;

/// A run's annealing schedule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Annealing {
    /// Starting temperature (in the objective's units).
    pub t0: f64,
    /// Final temperature.
    pub t1: f64,
    /// Iterations the run may take (`u64::MAX`: bounded by the clock instead).
    pub max_iterations: u64,
    /// Wall-clock limit.
    pub time_limit: Duration,
    /// When the run started.
    pub started: Instant,
}

impl Annealing {
    /// How far through the run iteration `iterations` is, 0–1: by iterations when they are
    /// bounded, else by the clock.
    pub fn fraction(&self, iterations: u64) -> f64 {
        if self.max_iterations < u64::MAX {
            iterations as f64 / self.max_iterations as f64
        } else {
            (self.started.elapsed().as_secs_f64() / self.time_limit.as_secs_f64().max(1e-9)).min(1.0)
        }
    }

    /// The temperature at `fraction` of the run.
    pub fn temperature(&self, fraction: f64) -> f64 {
        self.t0 * (self.t1 / self.t0).powf(fraction)
    }

    /// How much worse than the current solution a candidate may be at `fraction` of the run
    /// (`-T ln u`, at least 0; draws one number from `rng`).
    pub fn allowance(&self, fraction: f64, rng: &mut SeededRng) -> f64 {
        -(self.temperature(fraction) * rng.next_f64().max(1e-12).ln())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_falls_from_t0_to_t1_and_allowances_are_seeded() {
        let a = Annealing {
            t0: 100.0,
            t1: 1.0,
            max_iterations: 1000,
            time_limit: Duration::from_secs(1),
            started: Instant::now(),
        };
        assert_eq!(a.fraction(250), 0.25);
        assert!((a.temperature(0.0) - 100.0).abs() < 1e-9 && (a.temperature(1.0) - 1.0).abs() < 1e-9);
        assert!((a.temperature(0.5) - 10.0).abs() < 1e-9);
        let draw = |seed| {
            let mut rng = SeededRng::new(seed);
            (0..100).map(|_| a.allowance(0.5, &mut rng)).collect::<Vec<_>>()
        };
        assert_eq!(draw(7), draw(7), "the same seed gives the same allowances");
        assert!(draw(7).iter().all(|x| *x >= 0.0));
        let clock = Annealing { max_iterations: u64::MAX, ..a };
        assert!((0.0..=1.0).contains(&clock.fraction(5)));
    }
}
