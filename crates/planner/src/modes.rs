//! One travel mode per day. With several modes allowed, taking each leg by its fastest mode can
//! leave the car behind: drive to a trailhead, walk on to a peak, then drive on from where the
//! car is not. A request is planned first with each leg by its fastest mode (a relaxation:
//! nothing is faster); a plan that always finds the car where it drives from is kept, otherwise
//! each day is held to one mode — the one it took, the car on a day that both drove and walked
//! — and the request is planned again under those modes. (Holding such a day to foot instead
//! was tried on the Andorra nature request: it walked two hours to lunch.)

use crate::catalog::Problem;
use crate::checker::car_left_behind;
use crate::itinerary::Itinerary;
use crate::outcome::{Outcome, PlanError};
use std::time::{Duration, Instant};
use tripsmith_model::Profile;

/// Whether a plan of `p` may leave the car behind: several modes are allowed and no day is
/// held to one yet.
pub fn may_leave_car_behind(p: &Problem) -> bool {
    p.travel.has_choice() && p.travel.day_modes.is_empty()
}

/// Whether `plan` of `p` must be planned again with a mode per day: it
/// [may](may_leave_car_behind) leave the car behind, and does on some day.
pub fn leaves_car_behind(p: &Problem, plan: &Itinerary) -> bool {
    let base = plan.lodging.filter(|_| p.request.return_to_base);
    may_leave_car_behind(p) && plan.days.iter().any(|d| car_left_behind(p, d, base).is_some())
}

/// The mode each day of `plan` is held to: the one mode of a day that takes one, the car on a
/// day that both drives and walks (it drove where walking was slower).
pub fn day_modes_of(plan: &Itinerary) -> Vec<Profile> {
    let modes = |d: &crate::itinerary::DayPlan| {
        let mut modes: Vec<Profile> = d.stops.iter().filter_map(|s| s.mode).collect();
        modes.extend(d.back_mode);
        modes.sort_unstable();
        modes.dedup();
        modes
    };
    plan.days
        .iter()
        .map(|d| match modes(d).as_slice() {
            [] => Profile::Foot,
            [one] => *one,
            _ => Profile::Car,
        })
        .collect()
}

/// `p` with each day held to the mode `modes` gives it.
pub fn held_to(p: &Problem, modes: Vec<Profile>) -> Problem {
    let mut held = p.clone();
    held.travel.day_modes = modes;
    held
}

/// Solves `p` with `solve` (an exact backend) within `time_limit`, then, when the plan leaves
/// the car behind, again with each day held to one mode in the time left. A plan found that way
/// is not called optimal (the modes were chosen, not proven); when none is found in time the
/// answer is a time-out without a plan. Proofs of infeasibility stand: the first run's legs are
/// never slower than a mode per day allows.
pub fn solve_one_mode_per_day(
    p: &Problem,
    time_limit: Duration,
    solve: impl Fn(&Problem, Duration) -> Result<Outcome, PlanError>,
) -> Result<Outcome, PlanError> {
    let started = Instant::now();
    let outcome = solve(p, time_limit)?;
    let Some(plan) = outcome.plan().filter(|plan| leaves_car_behind(p, plan)) else { return Ok(outcome) };
    let held = held_to(p, day_modes_of(plan));
    let left = time_limit.saturating_sub(started.elapsed()).max(Duration::from_millis(1));
    Ok(match solve(&held, left)? {
        Outcome::Feasible { plan, .. } => Outcome::Feasible { plan, optimal: false },
        Outcome::Timeout { plan } => Outcome::Timeout { plan },
        Outcome::Infeasible { .. } => Outcome::Timeout { plan: None },
    })
}
