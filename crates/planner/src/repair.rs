//! Repairs: the smallest changes to the traveller's own request that make an infeasible trip
//! possible, each verified by solving the changed request.
//!
//! For a numeric constraint in the core the least relaxation is found by binary search over
//! feasibility checks (budget in whole currency units, day start/end in minutes, distance limits
//! in 50 m steps, visit caps by one); for a categorical one, dropping it is tried. Adding a day is
//! tried when the core is about time. Only changes whose request is proven feasible are returned,
//! smallest relative change first.

use crate::backend::Backend;
use crate::catalog::Problem;
use crate::label::Label;
use crate::request::{DayOverride, MealKind, TripRequest};
use crate::time::{ClockTime, Money};
use schemars::JsonSchema;
use serde::Serialize;
use std::time::{Duration, Instant};
use tripsmith_model::Profile;

/// One change a repair makes to the traveller's request.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct RepairChange {
    /// The constraint it relaxes or gives up, as the core names it (`budget`, `day[1].start`,
    /// `days` when a day is added; TravelPlanner's `budget: 1700 USD`, `house rule: pets`,
    /// `destination: X` when a city is replaced).
    pub constraint: String,
    /// The change, in words.
    pub change: String,
}

/// A verified repair, the same for trip requests and TravelPlanner queries: changes applied
/// together, proven to make the request feasible by solving (and checking) the changed request.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[schemars(bound = "", rename = "Repair")]
pub struct Repair<R = TripRequest> {
    /// The changes, applied together.
    pub changes: Vec<RepairChange>,
    /// Relative size of the repair (0 = no change, 1 for each constraint given up), for ranking.
    pub size: f64,
    /// The cost of the verified plan of the changed request, where the repair computed one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<Money>,
    /// The changed request (feasible).
    #[serde(skip)]
    #[schemars(skip)]
    pub request: R,
}

impl<R> Repair<R> {
    /// The repair's changes in words, joined (`raise the budget by 20.00 to 120.00`).
    pub fn in_words(&self) -> String {
        self.changes.iter().map(|c| c.change.as_str()).collect::<Vec<_>>().join("; ")
    }

    /// The constraints it changes, joined (`budget, day[1].start`).
    pub fn constraints(&self) -> String {
        self.changes.iter().map(|c| c.constraint.as_str()).collect::<Vec<_>>().join(", ")
    }
}

/// The verification loop of every repair search (trip requests here, TravelPlanner queries in
/// its crate): each candidate change is checked by `check` — solving the changed request from
/// scratch and, where the search wants it, checking the plan — within what is left of one
/// deadline, at most `per_check` a candidate. `check` answers what the repair keeps of a
/// feasible candidate (nothing, or its plan's cost), `None` when it is not proven feasible.
pub struct Verifier<'a, R, T = ()> {
    check: &'a dyn Fn(&R, Duration) -> Option<T>,
    per_check: Duration,
    deadline: Instant,
}

impl<'a, R: Clone, T> Verifier<'a, R, T> {
    /// Verifies with `check` until `deadline`, each candidate at most `per_check`.
    pub fn new(check: &'a dyn Fn(&R, Duration) -> Option<T>, per_check: Duration, deadline: Instant) -> Self {
        Self { check, per_check, deadline }
    }

    /// Time left before the deadline.
    pub fn time_left(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// What `check` keeps of `request` when it is proven feasible in the time left.
    pub fn verify(&self, request: &R) -> Option<T> {
        let left = self.time_left().min(self.per_check);
        if left.is_zero() {
            return None;
        }
        (self.check)(request, left)
    }

    /// Whether `request` is proven feasible in the time left.
    pub fn feasible(&self, request: &R) -> bool {
        self.verify(request).is_some()
    }

    /// The least `k` in `1..=max` for which `change(k)` is feasible (feasibility assumed monotone).
    pub fn least(&self, max: i64, change: impl Fn(i64) -> R) -> Option<(i64, R)> {
        if max < 1 || !self.feasible(&change(max)) {
            return None;
        }
        let (mut lo, mut hi) = (1, max);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.feasible(&change(mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        Some((hi, change(hi)))
    }
}

fn with(request: &TripRequest, edit: impl FnOnce(&mut TripRequest)) -> TripRequest {
    let mut r = request.clone();
    edit(&mut r);
    r
}

fn set_day(r: &mut TripRequest, day: u32, start: Option<ClockTime>, end: Option<ClockTime>) {
    let (s, e) = r.day_window(day);
    r.day_overrides.retain(|o| o.day != day);
    r.day_overrides.push(DayOverride { day, start: Some(start.unwrap_or(s)), end: Some(end.unwrap_or(e)) });
}

/// Verified repairs for the labels of `core`, smallest first. `rebuild` makes the planning
/// problem for a changed request (candidates and travel may depend on it); each feasibility check
/// may take `per_check` with `backend`, and the whole search stops at `total`.
pub fn repairs(
    problem: &Problem,
    core: &[Label],
    rebuild: &dyn Fn(&TripRequest) -> Option<Problem>,
    backend: Backend,
    per_check: Duration,
    total: Duration,
) -> Vec<Repair> {
    let check = |request: &TripRequest, left: Duration| -> Option<()> {
        request.validate().ok()?;
        let problem = rebuild(request)?;
        matches!(backend.is_feasible(&problem, left, &[]), Ok(Some(true))).then_some(())
    };
    let v = Verifier::new(&check, per_check, Instant::now() + total);
    let r = &problem.request;
    let mut out = Vec::new();
    let mut push = |label: &Label, change: String, size: f64, request: TripRequest| {
        out.push(Repair {
            changes: vec![RepairChange { constraint: label.to_string(), change }],
            size,
            cost: None,
            request,
        });
    };
    for label in core {
        if let Label::DayStart(day) | Label::DayEnd(day) = *label {
            let (start, end) = r.day_window(day);
            let length = f64::from(end.minutes() - start.minutes()).max(1.0);
            if matches!(label, Label::DayStart(_)) {
                let found = v.least(i64::from(start.minutes()), |k| {
                    with(r, |x| set_day(x, day, Some(ClockTime(start.minutes() - k as u16)), None))
                });
                if let Some((k, req)) = found {
                    let to = ClockTime(start.minutes() - k as u16);
                    push(label, format!("start day {day} at {to} ({k} min earlier)"), k as f64 / length, req);
                }
            } else {
                let found = v.least(i64::from(1440 - end.minutes()), |k| {
                    with(r, |x| set_day(x, day, None, Some(ClockTime(end.minutes() + k as u16))))
                });
                if let Some((k, req)) = found {
                    let to = ClockTime(end.minutes() + k as u16);
                    push(label, format!("end day {day} at {to} ({k} min later)"), k as f64 / length, req);
                }
            }
            continue;
        }
        match label {
            Label::Budget => {
                let budget = r.budget.unwrap_or_default().cents();
                let cap = (budget * 10).max(1_000_000) / 100;
                if let Some((k, req)) = v.least(cap, |k| with(r, |x| x.budget = Some(Money(budget + k * 100)))) {
                    let to = Money(budget + k * 100);
                    push(
                        label,
                        format!("raise the budget by {} to {to}", Money(k * 100)),
                        (k * 100) as f64 / budget.max(1) as f64,
                        req,
                    );
                }
            }
            Label::MaxPlacesPerDay => {
                let cap = r.max_places_per_day.unwrap_or(0);
                if let Some((k, req)) = v.least(10, |k| with(r, |x| x.max_places_per_day = Some(cap + k as u32))) {
                    push(
                        label,
                        format!("allow {} visits a day", cap + k as u32),
                        k as f64 / f64::from(cap.max(1)),
                        req,
                    );
                }
            }
            Label::Pace => {
                // A faster pace: more sights a day and of one category.
                for pace in [crate::request::Pace::Normal, crate::request::Pace::Packed] {
                    if pace.sights_per_day() <= r.pace.sights_per_day() {
                        continue;
                    }
                    let req = with(r, |x| x.pace = pace);
                    if v.feasible(&req) {
                        let words = format!(
                            "a {} pace (up to {} sights a day, {} of one category)",
                            crate::request::serde_name(&pace),
                            pace.sights_per_day(),
                            pace.per_category_per_day()
                        );
                        push(label, words, 1.0, req);
                        break;
                    }
                }
            }
            Label::TravelMaxPerLeg | Label::TravelMaxPerDay => {
                let per_leg = *label == Label::TravelMaxPerLeg;
                let limit = if per_leg { r.travel.max_per_leg_m } else { r.travel.max_per_day_m }.unwrap_or(0.0);
                let change = |k: i64| {
                    with(r, |x| {
                        let new = Some(limit + 50.0 * k as f64);
                        if per_leg {
                            x.travel.max_per_leg_m = new
                        } else {
                            x.travel.max_per_day_m = new
                        }
                    })
                };
                if let Some((k, req)) = v.least(1000, change) {
                    let what = if per_leg { "longest leg" } else { "daily travel" };
                    push(
                        label,
                        format!("allow a {what} of {:.0} m (+{} m)", limit + 50.0 * k as f64, 50 * k),
                        50.0 * k as f64 / limit.max(1.0),
                        req,
                    );
                }
            }
            Label::TravelModes => {
                for mode in Profile::ALL.into_iter().filter(|m| !r.travel.modes.contains(m)) {
                    let req = with(r, |x| x.travel.modes.push(mode));
                    if v.feasible(&req) {
                        push(label, format!("also travel by {mode}"), 1.0, req);
                    }
                }
            }
            Label::LodgingMaxPrice => {
                let max = r.lodging.as_ref().and_then(|l| l.max_price_per_night).unwrap_or_default().cents();
                let change = |k: i64| {
                    with(r, |x| {
                        if let Some(l) = x.lodging.as_mut() {
                            l.max_price_per_night = Some(Money(max + k * 100))
                        }
                    })
                };
                if let Some((k, req)) = v.least((max * 10).max(100_000) / 100, change) {
                    push(
                        label,
                        format!("accept a lodging up to {} a night", Money(max + k * 100)),
                        (k * 100) as f64 / max.max(1) as f64,
                        req,
                    );
                }
            }
            _ => {
                if let Some((change, req)) = drop_constraint(r, label) {
                    if v.feasible(&req) {
                        push(label, change, 1.0, req);
                    }
                }
            }
        }
    }
    let about_time = core
        .iter()
        .any(|l| matches!(l, Label::DayStart(_) | Label::DayEnd(_) | Label::MustVisit(_) | Label::MaxPlacesPerDay));
    if about_time && r.days < crate::request::MAX_DAYS {
        let req = with(r, |x| x.days += 1);
        if v.feasible(&req) {
            push(&Label::Days, format!("add a day ({} days)", r.days + 1), 1.0 / f64::from(r.days), req);
        }
    }
    out.sort_by(|a, b| a.size.total_cmp(&b.size).then_with(|| a.constraints().cmp(&b.constraints())));
    out
}

/// The request without the categorical constraint `label`, and the change in words.
fn drop_constraint(r: &TripRequest, label: &Label) -> Option<(String, TripRequest)> {
    let set_lodging = |edit: &dyn Fn(&mut crate::request::Lodging)| {
        with(r, |x| {
            if let Some(l) = x.lodging.as_mut() {
                edit(l)
            }
        })
    };
    Some(match label {
        Label::MustVisit(place) => {
            (format!("do not insist on visiting {place}"), with(r, |x| x.must_visit.retain(|p| p != place)))
        }
        Label::MustAvoid(place) => (format!("allow {place}"), with(r, |x| x.must_avoid.retain(|p| p != place))),
        Label::Lodging(place) => {
            (format!("let the planner choose instead of {place}"), set_lodging(&|l| l.place = None))
        }
        Label::Cuisine(cuisine) => (
            format!("drop the {cuisine} cuisine"),
            with(r, |x| x.meals.cuisines.retain(|c| c.to_lowercase() != *cuisine)),
        ),
        Label::HouseRule(rule) => (
            format!("drop the house rule {}", crate::request::serde_name(rule)),
            set_lodging(&|l| l.house_rules.retain(|h| h != rule)),
        ),
        Label::RoomType(_) => ("accept any room type".into(), set_lodging(&|l| l.room_type = None)),
        Label::Wheelchair => ("include places without wheelchair access".into(), with(r, |x| x.wheelchair = None)),
        Label::MealMaxPrice(kind) => {
            (format!("no price limit for {}", kind.as_str()), with(r, |x| set_meal_price(x, *kind)))
        }
        Label::Meal(kind) => (format!("skip {}", kind.as_str()), with(r, |x| clear_meal(x, *kind))),
        _ => return None,
    })
}

fn clear_meal(r: &mut TripRequest, kind: MealKind) {
    match kind {
        MealKind::Breakfast => r.meals.breakfast = None,
        MealKind::Lunch => r.meals.lunch = None,
        MealKind::Dinner => r.meals.dinner = None,
    }
    if r.meals.breakfast.is_none() && r.meals.lunch.is_none() && r.meals.dinner.is_none() {
        r.meals.cuisines.clear();
    }
}

fn set_meal_price(r: &mut TripRequest, kind: MealKind) {
    let meal = match kind {
        MealKind::Breakfast => r.meals.breakfast.as_mut(),
        MealKind::Lunch => r.meals.lunch.as_mut(),
        MealKind::Dinner => r.meals.dinner.as_mut(),
    };
    if let Some(m) = meal {
        m.max_price = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verifier_finds_the_least_feasible_change_and_stops_at_its_deadline() {
        let checks = std::cell::Cell::new(0);
        // Feasible from 37 on, and the cost of a feasible candidate is kept.
        let check = |k: &i64, _: Duration| {
            checks.set(checks.get() + 1);
            (*k >= 37).then_some(*k * 10)
        };
        let soon = Instant::now() + Duration::from_secs(60);
        let v = Verifier::new(&check, Duration::from_secs(1), soon);
        assert_eq!(v.least(100, |k| k), Some((37, 37)));
        assert!(checks.get() <= 9, "binary search: {} checks", checks.get());
        assert_eq!(v.verify(&50), Some(500));
        assert_eq!(v.least(20, |k| k), None, "nothing up to 20 is feasible");
        let passed = Verifier::new(&check, Duration::from_secs(1), Instant::now());
        let before = checks.get();
        assert_eq!(passed.verify(&50), None, "no time left: nothing is verified");
        assert_eq!(checks.get(), before, "and nothing is solved");
    }
}
