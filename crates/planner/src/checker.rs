//! The independent plan checker: re-checks an itinerary against the request, the catalog and the
//! travel matrix, by direct arithmetic on the plan (it shares nothing with the solvers'
//! encodings), and lists every violated constraint label.
//!
//! Besides the request's labels, physical facts have labels of their own: `opening_hours["NAME"]`,
//! `plan.travel_time` (a stop reached faster than travel allows), `plan.duration`, `plan.repeat`
//! (a place used twice), `plan.cost` / `plan.score` (reported totals that do not add up),
//! `plan.rest` (a break that is not free time of its length inside its window, or that the
//! request does not ask for; a day without a break breaks nothing, since the break never costs
//! a stop).
//!
//! Each leg is judged by the mode the plan says it takes (the fastest allowed when it says
//! none), and the car is followed through the day ([`car_left_behind`]): a leg driven from a
//! place the car is not at, or a day that ends at the lodging without the car, breaks
//! `travel.modes`.
//!
//! Opening hours are judged on the trip's own dates: a place whose hours come from an
//! `opening_hours` expression (its own or the default of its kind) is asked, through the
//! expression's state queries ([`crate::hours::open_throughout`]), whether it is open for the
//! whole stop on that date with the country's public holidays; only hand-made candidates without
//! an expression are judged by their listed intervals. Outdoor sights (parks, nature,
//! viewpoints) are also checked against sunrise and sunset at the place on that date.

use crate::catalog::{Candidate, Problem};
use crate::hours::{date_in_words, daylight, open_throughout, parse};
use crate::itinerary::{nights, Activity, DayPlan, Itinerary};
use crate::label::Label;
use crate::request::MealKind;
use crate::time::Date;
use crate::time::Money;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use tripsmith_model::Profile;

/// One broken constraint, as every checker of the project reports it: the constraint's label and
/// what is wrong. The label is the planner's [`Label`] unless a checker judges another
/// vocabulary (the TravelPlanner evaluator judges the benchmark's named requirements).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "{L}Violation")]
pub struct Violation<L = Label> {
    /// The constraint's label.
    pub label: L,
    /// What is wrong, in words.
    pub detail: String,
}

impl<L> Violation<L> {
    /// The violation of `label`, with what is wrong.
    pub fn new(label: L, detail: impl Into<String>) -> Self {
        Self { label, detail: detail.into() }
    }
}

/// `label: detail`.
impl<L: std::fmt::Display> std::fmt::Display for Violation<L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.label, self.detail)
    }
}

/// Whether `c` is open from `start` to `end` on trip day `d` (date `date`).
fn open_during(problem: &Problem, c: &Candidate, d: usize, date: Date, start: u16, end: u16) -> bool {
    let dated = problem.request.start_date.is_some();
    match (&c.opening_hours, &c.hours) {
        (Some(expression), _) => match parse(expression, problem.country.as_deref(), dated) {
            Some(hours) => open_throughout(&hours, date, start, end),
            None => false,
        },
        (None, Some(hours)) => hours.open_during(d, start, end),
        (None, None) => true,
    }
}

/// Minutes and metres of the leg from `a` to `b` by `mode` (the fastest allowed mode when the
/// plan names none); `None` when that mode, or every allowed one, cannot make it.
fn leg_as_stated(problem: &Problem, mode: Option<Profile>, a: usize, b: usize) -> (Option<u32>, Option<u32>) {
    let travel = &problem.travel;
    match mode {
        Some(mode) if problem.request.travel.modes.contains(&mode) => {
            travel.leg_by(mode, a, b).map_or((None, None), |l| (Some(l.minutes), Some(l.metres)))
        }
        Some(_) => (None, None),
        None => (travel.minutes(a, b), travel.metres(a, b)),
    }
}

/// Where `day` leaves the car behind, in words: the first leg driven from a place the car is
/// not at, or the end of a day back at the lodging (`base`) without the car. The car starts
/// the day at the lodging, or at the first stop of a day that starts there; a leg on foot
/// leaves it where it is. `None` when the car is always where the plan drives it from.
pub fn car_left_behind(problem: &Problem, day: &DayPlan, base: Option<usize>) -> Option<String> {
    let name = |at: Option<usize>| match at {
        Some(i) if Some(i) == base => "at the lodging".to_string(),
        Some(i) => problem.candidates.get(i).map_or_else(|| "elsewhere".into(), |c| format!("at {}", c.name)),
        None => "nowhere".into(),
    };
    let n = day.day;
    let mut car = base.or(day.stops.first().map(|s| s.candidate));
    let mut here = base;
    for stop in &day.stops {
        if stop.mode == Some(Profile::Car) {
            if here.is_some() && car != here {
                return Some(format!("day {n}: drives to {} while the car is {}", stop.name, name(car)));
            }
            car = Some(stop.candidate);
        }
        here = Some(stop.candidate);
    }
    match (base, day.stops.last()) {
        (Some(_), Some(last)) if day.back_mode == Some(Profile::Car) && car != Some(last.candidate) => {
            Some(format!("day {n}: drives back to the lodging from {} while the car is {}", last.name, name(car)))
        }
        (Some(b), Some(_)) if day.back_mode != Some(Profile::Car) && car != Some(b) => {
            Some(format!("day {n}: ends at the lodging while the car is {}", name(car)))
        }
        _ => None,
    }
}

/// Every violation of `plan` (empty when the plan is valid).
pub fn check(problem: &Problem, plan: &Itinerary) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut flag = |label: Label, detail: String| out.push(Violation { label, detail });
    let r = &problem.request;
    let cands = &problem.candidates;
    if plan.days.len() != r.days as usize {
        flag(Label::Days, format!("the plan has {} days, the request {}", plan.days.len(), r.days));
    }
    if plan.days.iter().flat_map(|d| &d.stops).any(|s| s.candidate >= cands.len()) {
        flag(Label::Repeat, "a stop names a place that is not in the catalog".into());
        return out;
    }
    let base = if r.return_to_base { plan.lodging } else { None };
    let mut used = BTreeSet::new();
    let mut cost = Money(0);
    let mut score = 0.0;
    let mut repeats = 0i64;
    let mut cuisines_served: BTreeSet<String> = BTreeSet::new();
    let dates = problem.dates();
    for (d, day) in plan.days.iter().enumerate() {
        let n = d as u32 + 1;
        let date = dates.get(d).copied().unwrap_or(crate::hours::REFERENCE_MONDAY);
        let mut per_category: std::collections::BTreeMap<tripsmith_model::Category, u32> = Default::default();
        let (day_start, day_end) = r.day_window(n);
        let weekday = r.weekday(d);
        if day.weekday != weekday {
            flag(Label::DayStart(n), format!("day {n} is a weekday {weekday}, the plan says {}", day.weekday));
        }
        let mut here = base;
        let mut clock = u32::from(day_start.minutes());
        let mut day_travel = 0u32;
        let mut visits = 0;
        let rest = day.rest.map(|rest| (u32::from(rest.start.minutes()), u32::from(rest.end.minutes())));
        let mut rest_placed = false;
        if let (Some((start, end)), Some(slot)) = (rest, day.rest) {
            match r.rest_on(n) {
                None => flag(Label::Rest, format!("day {n} has a break the request does not ask for")),
                Some((from, to, minutes)) => {
                    let (from, to, minutes) = (from as u32, to as u32, minutes as u32);
                    if start < from || end > to || end < start + minutes {
                        flag(
                            Label::Rest,
                            format!(
                                "day {n}: the break {}–{} is not {minutes} minutes inside its window",
                                slot.start, slot.end
                            ),
                        );
                    }
                }
            }
        }
        for (k, stop) in day.stops.iter().enumerate() {
            let c = &cands[stop.candidate];
            let leg = here.map(|h| leg_as_stated(problem, stop.mode, h, stop.candidate));
            let (minutes, metres) = match leg {
                None => (Some(0), Some(0)),
                Some(l) => l,
            };
            let (Some(minutes), Some(metres)) = (minutes, metres) else {
                flag(Label::TravelModes, format!("day {n}: {} cannot be reached with the allowed modes", c.name));
                continue;
            };
            if let Some(limit) = r.travel.max_per_leg_m {
                if f64::from(metres) > limit {
                    flag(Label::TravelMaxPerLeg, format!("day {n}: {metres} m to {}", c.name));
                }
            }
            day_travel += metres;
            if let Some((start, end)) = rest.filter(|_| !rest_placed) {
                // Free before the travel here, or while waiting here for the stop to start.
                let (arrive, begin) = (u32::from(stop.arrive.minutes()), u32::from(stop.start.minutes()));
                if start >= clock && end + minutes <= arrive {
                    clock = end;
                    rest_placed = true;
                } else if start >= arrive && start >= clock && end <= begin {
                    rest_placed = true;
                } else if start < u32::from(stop.end.minutes()) && end > clock {
                    flag(Label::Rest, format!("day {n}: the break overlaps travel to or a stop at {}", c.name));
                    rest_placed = true;
                }
            }
            let earliest = clock + minutes;
            if u32::from(stop.arrive.minutes()) < earliest {
                let label = if k == 0 { Label::DayStart(n) } else { Label::TravelTime };
                flag(
                    label,
                    format!("day {n}: arrives at {} at {}, cannot before minute {earliest}", c.name, stop.arrive),
                );
            }
            if stop.start < stop.arrive || stop.end < stop.start {
                flag(Label::Duration, format!("day {n}: {} starts before arrival or ends before start", c.name));
            }
            let length = match stop.activity {
                Activity::Visit => c.visit_minutes,
                Activity::Meal(kind) => r.meal(kind).map_or(60, |m| m.minutes),
            };
            if stop.end.minutes() < stop.start.minutes().saturating_add(length) {
                flag(Label::Duration, format!("day {n}: {} lasts less than {length} minutes", c.name));
            }
            let outdoor = crate::hours::OUTDOOR.contains(&c.category) && stop.activity == Activity::Visit;
            let sun = problem.timezone.as_deref().filter(|_| outdoor).and_then(|tz| daylight(c.location, date, tz));
            if let Some(sun) = sun.filter(|sun| stop.start.minutes() < sun.start || stop.end.minutes() > sun.end) {
                flag(
                    Label::OpeningHours(c.name.clone()),
                    format!(
                        "{} is outdoors and visited {}–{}, outside daylight ({}–{})",
                        c.name,
                        stop.start,
                        stop.end,
                        crate::time::ClockTime(sun.start),
                        crate::time::ClockTime(sun.end)
                    ),
                );
            }
            if !open_during(problem, c, d, date, stop.start.minutes(), stop.end.minutes()) {
                let when =
                    if r.start_date.is_some() { format!("on {}", date_in_words(date)) } else { format!("on day {n}") };
                flag(
                    Label::OpeningHours(c.name.clone()),
                    format!("{} is closed {when} between {} and {}", c.name, stop.start, stop.end),
                );
            }
            if !used.insert(stop.candidate) {
                flag(Label::Repeat, format!("{} appears twice", c.name));
            }
            if let Some(need) = r.wheelchair {
                if !c.accessible(need) {
                    flag(Label::Wheelchair, format!("{} is not wheelchair accessible", c.name));
                }
            }
            let price = Money(c.price.cents() * i64::from(r.party_size));
            if stop.cost != price {
                flag(Label::Cost, format!("{} costs {price}, the plan says {}", c.name, stop.cost));
            }
            cost = Money(cost.cents() + price.cents());
            match stop.activity {
                Activity::Visit => {
                    visits += 1;
                    score += c.score;
                    *per_category.entry(c.category).or_default() += 1;
                    if c.is_food() || c.is_lodging() {
                        flag(Label::Duration, format!("{} is visited as a sight", c.name));
                    }
                }
                Activity::Meal(kind) => {
                    if !c.is_food() {
                        flag(Label::Meal(kind), format!("day {n}: {} is not a place to eat", c.name));
                    } else if !c.serves(r, kind) {
                        flag(
                            Label::Meal(kind),
                            format!("day {n}: {} does not serve {} (a {} venue)", c.name, kind.as_str(), c.category),
                        );
                    }
                    cuisines_served.extend(c.cuisines.iter().cloned());
                    if let Some(max) = r.meal(kind).and_then(|m| m.max_price) {
                        if c.price > max {
                            flag(Label::MealMaxPrice(kind), format!("{} costs {} a head", c.name, c.price));
                        }
                    }
                }
            }
            clock = u32::from(stop.end.minutes());
            here = Some(stop.candidate);
        }
        for kind in MealKind::ALL {
            let Some(spec) = r.meal(kind) else { continue };
            let meals: Vec<_> = day.stops.iter().filter(|s| s.activity == Activity::Meal(kind)).collect();
            if meals.len() != 1 {
                flag(Label::Meal(kind), format!("day {n} has {} {}s", meals.len(), kind.as_str()));
            }
            for m in meals {
                if m.start < spec.window[0] || m.start > spec.window[1] {
                    flag(
                        Label::Meal(kind),
                        format!(
                            "day {n}: {} at {}, outside {}–{}",
                            kind.as_str(),
                            m.start,
                            spec.window[0],
                            spec.window[1]
                        ),
                    );
                }
            }
        }
        if let Some((start, end)) = rest.filter(|_| !rest_placed) {
            if start < clock {
                flag(Label::Rest, format!("day {n}: the break overlaps the last stop"));
            }
            clock = clock.max(end);
        }
        let finish = match (base, day.stops.last()) {
            (Some(b), Some(last)) => {
                let (minutes, metres) = leg_as_stated(problem, day.back_mode, last.candidate, b);
                match minutes.zip(metres) {
                    Some((minutes, metres)) => {
                        day_travel += metres;
                        if let Some(limit) = r.travel.max_per_leg_m {
                            if f64::from(metres) > limit {
                                flag(Label::TravelMaxPerLeg, format!("day {n}: {metres} m back to the lodging"));
                            }
                        }
                        clock + minutes
                    }
                    None => {
                        flag(Label::TravelModes, format!("day {n}: the lodging cannot be reached"));
                        clock
                    }
                }
            }
            _ => clock,
        };
        if let Some(detail) = car_left_behind(problem, day, base) {
            flag(Label::TravelModes, detail);
        }
        if finish > u32::from(day_end.minutes()) {
            flag(Label::DayEnd(n), format!("day {n} ends at minute {finish}, after {day_end}"));
        }
        if visits > r.sights_per_day() {
            flag(r.sights_per_day_label(), format!("day {n} has {visits} visits"));
        }
        for (category, count) in per_category {
            repeats += i64::from(count.saturating_sub(1)) * r.repeat_penalty(category);
            if count > r.pace.per_category_per_day() {
                flag(Label::Pace, format!("day {n} has {count} visits of category {category}"));
            }
        }
        if let Some(limit) = r.travel.max_per_day_m {
            if f64::from(day_travel) > limit {
                flag(Label::TravelMaxPerDay, format!("day {n}: {day_travel} m of travel"));
            }
        }
    }
    check_trip(problem, plan, &cuisines_served, &mut flag);
    if let Some(l) = plan.lodging.and_then(|l| cands.get(l)).and_then(|c| c.lodging.as_ref()) {
        cost = Money(cost.cents() + l.price_per_night.cents() * i64::from(nights(r.days)));
    }
    if cost != plan.cost {
        flag(Label::Cost, format!("the plan costs {cost}, it says {}", plan.cost));
    }
    if let Some(budget) = r.budget {
        if cost > budget {
            flag(Label::Budget, format!("the plan costs {cost}, the budget is {budget}"));
        }
    }
    if (score - plan.score).abs() > 1e-6 {
        flag(Label::Score, format!("the visits score {score}, the plan says {}", plan.score));
    }
    let repeats = repeats as f64 / 100.0;
    if (repeats - plan.variety_penalty).abs() > 1e-6 {
        flag(Label::Score, format!("repeated categories cost {repeats}, the plan says {}", plan.variety_penalty));
    }
    out.sort();
    out.dedup();
    out
}

/// Trip-wide constraints: must-visit, must-avoid, cuisines, lodging.
fn check_trip(problem: &Problem, plan: &Itinerary, served: &BTreeSet<String>, flag: &mut impl FnMut(Label, String)) {
    let r = &problem.request;
    let visited: BTreeSet<usize> = plan
        .days
        .iter()
        .flat_map(|d| &d.stops)
        .filter(|s| s.activity == Activity::Visit)
        .map(|s| s.candidate)
        .collect();
    let anywhere: BTreeSet<usize> =
        plan.days.iter().flat_map(|d| &d.stops).map(|s| s.candidate).chain(plan.lodging).collect();
    for place in &r.must_visit {
        if !problem.candidates.iter().enumerate().any(|(i, c)| c.matches(place) && visited.contains(&i)) {
            flag(Label::MustVisit(place.clone()), format!("{place} is not visited"));
        }
    }
    for place in &r.must_avoid {
        if problem.candidates.iter().enumerate().any(|(i, c)| c.matches(place) && anywhere.contains(&i)) {
            flag(Label::MustAvoid(place.clone()), format!("{place} is in the plan"));
        }
    }
    for cuisine in &r.meals.cuisines {
        if !served.contains(&cuisine.to_lowercase()) {
            flag(Label::Cuisine(cuisine.to_lowercase()), format!("no meal serves {cuisine}"));
        }
    }
    let Some(spec) = &r.lodging else { return };
    let chosen = plan.lodging.and_then(|l| problem.candidates.get(l));
    if let Some(place) = &spec.place {
        if !chosen.is_some_and(|c| c.matches(place)) {
            flag(Label::Lodging(place.clone()), format!("the plan does not stay at {place}"));
        }
    }
    let offer = chosen.and_then(|c| c.lodging.as_ref());
    if let Some(max) = spec.max_price_per_night {
        if offer.is_none_or(|o| o.price_per_night > max) {
            flag(Label::LodgingMaxPrice, format!("the lodging costs more than {max} a night"));
        }
    }
    if let Some(room) = spec.room_type {
        if offer.is_none_or(|o| o.room_type != Some(room)) {
            flag(Label::RoomType(room), "the lodging has another room type".into());
        }
    }
    for rule in &spec.house_rules {
        if offer.is_none_or(|o| !o.permits(*rule)) {
            flag(Label::HouseRule(*rule), "the lodging forbids it".into());
        }
    }
    if let (Some(need), Some(c)) = (r.wheelchair, chosen) {
        if !c.accessible(need) {
            flag(Label::Wheelchair, format!("{} is not wheelchair accessible", c.name));
        }
    }
}
