//! The independent TravelPlanner evaluator: the 8 commonsense and 5 hard constraints and the
//! benchmark's metrics, as `../shared/data/travelplanner/SOURCE.md` describes the official rules.
//! It reads a plan only through its submission format (strings), the query and the sandbox
//! (database + the query's flights), and shares nothing with any solver.
//!
//! Places are read as the official code reads them (the first row whose name contains the
//! entry's name; minimum nights only when one row matches; house rules as `No <rule>` in the
//! raw `house_rules` for the five rules it knows; cuisines as part of the raw `Cuisines`, each
//! day's meals up to the first in the origin city). Deviations from the official code, each
//! following the intended rule:
//! - city route: the return to the origin on the last day is not a "revisit"; a city is in the
//!   destination state when trips of 5 or 7 days visit it in between;
//! - a city written `Name(State)` is the city `Name`.

use crate::database::{Accommodation, Database, Restaurant, RoomType};
use crate::query::{DayRecord, Flight, Query};
use crate::requirement::Requirement;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use tripsmith_planner::{Money, Violation};

/// The verdict on one plan: what it was judged on and what it breaks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanVerdict {
    /// The requirements judged: the 8 commonsense constraints, then the hard constraints the
    /// query sets (budget always).
    pub requirements: Vec<Requirement>,
    /// The broken ones, each with why, in the order above (empty: the plan passes). A hard
    /// constraint of a plan that is incomplete or outside the sandbox is not judged and counts
    /// as broken, as in the official evaluation; its detail starts with [`NOT_JUDGED`].
    pub violations: Vec<Violation<Requirement>>,
}

/// How the detail of a hard constraint that was not judged begins.
pub const NOT_JUDGED: &str = "not judged";

impl PlanVerdict {
    /// Every requirement is met.
    pub fn passes(&self) -> bool {
        self.violations.is_empty()
    }

    /// Whether `requirement` was judged and is met.
    pub fn passed(&self, requirement: Requirement) -> bool {
        self.requirements.contains(&requirement) && !self.violations.iter().any(|v| v.label == requirement)
    }

    /// How many of the judged requirements of one kind (commonsense or hard) are met.
    fn met(&self, commonsense: bool) -> usize {
        self.requirements.iter().filter(|r| r.is_commonsense() == commonsense && self.passed(**r)).count()
    }

    /// Whether every judged requirement of one kind is met.
    fn all_met(&self, commonsense: bool) -> bool {
        self.violations.iter().all(|v| v.label.is_commonsense() != commonsense)
    }
}

/// Appends the violation of `requirement` when `outcome` is an error.
fn judge(out: &mut Vec<Violation<Requirement>>, requirement: Requirement, outcome: Result<(), String>) {
    if let Err(detail) = outcome {
        out.push(Violation::new(requirement, detail));
    }
}

/// What a plan is checked against: the database and the query's flights. Entries are read as
/// the official evaluator reads them: `Name, City` is the first row of the city whose name
/// contains `Name` (see `database`).
pub struct Sandbox<'a> {
    /// The database.
    pub db: &'a Database,
    /// Flights by number.
    pub flights: HashMap<&'a str, &'a Flight>,
}

impl<'a> Sandbox<'a> {
    /// The sandbox of one query.
    pub fn new(db: &'a Database, flights: &'a [Flight]) -> Self {
        Self { db, flights: flights.iter().map(|f| (f.number.as_str(), f)).collect() }
    }

    /// The restaurant an entry `Name, City` names.
    fn restaurant(&self, entry: &str) -> Option<&'a Restaurant> {
        place(entry).and_then(|(name, city)| self.db.restaurant_named(name, city))
    }

    /// The accommodation an entry `Name, City` names, and how many rows its name matches.
    fn accommodation(&self, entry: &str) -> Option<(&'a Accommodation, usize)> {
        let (name, city) = place(entry)?;
        let mut rows = self.db.accommodations_named(name, city);
        let first = rows.next()?;
        Some((first, 1 + rows.count()))
    }

    /// Whether an entry `Name, City` names an attraction.
    fn has_attraction(&self, entry: &str) -> bool {
        place(entry).is_some_and(|(name, city)| self.db.has_attraction_named(name, city))
    }
}

/// `Name(State)` → `Name`.
fn city_name(s: &str) -> &str {
    s.split('(').next().unwrap_or(s).trim()
}

/// The cities of a day: `[A, B]` for `from A to B`, else `[A]`.
pub(crate) fn day_cities(current_city: &str) -> Vec<&str> {
    match current_city.trim().strip_prefix("from ").and_then(|rest| rest.split_once(" to ")) {
        Some((a, b)) => vec![city_name(a), city_name(b)],
        None => vec![city_name(current_city)],
    }
}

pub(crate) fn is_empty(field: &str) -> bool {
    let f = field.trim();
    f.is_empty() || f == "-"
}

/// `Name, City` → (`Name`, `City`), splitting at the last comma.
pub(crate) fn place(entry: &str) -> Option<(&str, &str)> {
    let (name, city) = entry.trim().rsplit_once(',')?;
    Some((name.trim(), city_name(city)))
}

/// The attractions of a day (`;`-separated entries, trimmed, empty ones left out).
pub(crate) fn attractions(field: &str) -> Vec<&str> {
    if is_empty(field) {
        return Vec::new();
    }
    field.split(';').map(str::trim).filter(|s| !s.is_empty()).collect()
}

/// The attraction entries the official checks read: the pieces between `;` but the last (so
/// an entry after the final `;` is not read), as written, empty or `-` pieces included.
fn attraction_entries(field: &str) -> Vec<&str> {
    if is_empty(field) {
        return Vec::new();
    }
    let mut pieces: Vec<&str> = field.split(';').collect();
    pieces.pop();
    pieces
}

/// A transport leg as written in a plan.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Leg<'p> {
    Flight { number: &'p str, from: &'p str, to: &'p str },
    SelfDriving { from: &'p str, to: &'p str },
    Taxi { from: &'p str, to: &'p str },
}

fn from_to(text: &str) -> Option<(&str, &str)> {
    let start = text.find("from ")? + 5;
    let rest = &text[start..];
    let (from, tail) = rest.split_once(" to ")?;
    let to = tail.split(',').next()?;
    Some((city_name(from), city_name(to)))
}

pub(crate) fn leg(transport: &str) -> Option<Result<Leg<'_>, String>> {
    let t = transport.trim();
    if is_empty(t) {
        return None;
    }
    let parsed = if let Some(rest) = t.strip_prefix("Flight Number:") {
        let number = rest.split(',').next().unwrap_or("").trim();
        from_to(t).map(|(from, to)| Leg::Flight { number, from, to })
    } else if t.starts_with("Self-driving") {
        from_to(t).map(|(from, to)| Leg::SelfDriving { from, to })
    } else if t.starts_with("Taxi") {
        from_to(t).map(|(from, to)| Leg::Taxi { from, to })
    } else {
        None
    };
    Some(parsed.ok_or_else(|| format!("transportation {t:?} is not a flight, self-driving or taxi leg")))
}

fn meals(day: &DayRecord) -> [&str; 3] {
    [day.breakfast.as_str(), day.lunch.as_str(), day.dinner.as_str()]
}

fn reasonable_city_route(q: &Query, plan: &[DayRecord], sb: &Sandbox) -> Result<(), String> {
    let mut route: Vec<&str> = Vec::new();
    for (i, day) in plan.iter().enumerate() {
        let cities = day_cities(&day.current_city);
        if i == 0 && cities[0] != q.org {
            return Err(format!("day 1 starts in {}, not at the origin {}", cities[0], q.org));
        }
        for c in cities {
            if route.last() != Some(&c) {
                route.push(c);
            }
        }
    }
    if route.last() != Some(&q.org.as_str()) {
        return Err(format!("the trip ends in {}, not back at {}", route.last().unwrap_or(&"nowhere"), q.org));
    }
    let inner = &route[..route.len().saturating_sub(1)];
    if let Some(c) = inner.iter().enumerate().find(|(i, c)| inner[..*i].contains(c)).map(|(_, c)| c) {
        return Err(format!("{c} is visited twice, not in one stay"));
    }
    for (i, c) in route.iter().enumerate() {
        let Some(state) = sb.db.states.get(*c) else { return Err(format!("{c} is not a city of the benchmark")) };
        if q.days > 3 && i > 0 && i + 1 < route.len() && *state != q.dest {
            return Err(format!("{c} is in {state}, not in {}", q.dest));
        }
    }
    Ok(())
}

/// Whether an entry repeats, compared as written (as the official checks compare them).
fn no_repeats<'p>(entries: impl Iterator<Item = &'p str>, what: &str) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    for e in entries {
        if !seen.insert(e) {
            return Err(format!("{what} {e:?} is used twice"));
        }
    }
    Ok(())
}

fn minimum_nights(plan: &[DayRecord], sb: &Sandbox) -> Result<(), String> {
    let mut i = 0;
    while i < plan.len() {
        let here = plan[i].accommodation.trim();
        let run = plan[i..].iter().take_while(|d| d.accommodation.trim() == here).count();
        if !is_empty(here) {
            // The official check applies only when the name matches exactly one row.
            if let Some((a, 1)) = sb.accommodation(here) {
                if (run as u32) < a.minimum_nights {
                    return Err(format!("{here}: {run} night(s), its minimum is {}", a.minimum_nights));
                }
            }
        }
        i += run;
    }
    Ok(())
}

fn legs(plan: &[DayRecord]) -> Result<Vec<Leg<'_>>, String> {
    plan.iter().filter_map(|d| leg(&d.transportation)).collect()
}

fn non_conflicting_transport(plan: &[DayRecord]) -> Result<(), String> {
    let legs = legs(plan).unwrap_or_default();
    let driving = legs.iter().any(|l| matches!(l, Leg::SelfDriving { .. }));
    let other = legs.iter().any(|l| matches!(l, Leg::Flight { .. } | Leg::Taxi { .. }));
    if driving && other {
        return Err("self-driving is mixed with flights or taxis".into());
    }
    Ok(())
}

/// The day's places as the official "current city" check iterates them: the two cities of a
/// travel day, but on a day in one city the *letters* of its name (the official code iterates a
/// string where it means a list of cities).
fn official_places(current_city: &str) -> Vec<String> {
    match day_cities(current_city).as_slice() {
        [one] => one.chars().map(String::from).collect(),
        many => many.iter().map(|c| c.to_string()).collect(),
    }
}

/// As the official check: each meal and attraction holds one of the day's places, the
/// accommodation holds the last one, and the transportation holds every one.
fn within_current_city(plan: &[DayRecord]) -> Result<(), String> {
    for day in plan {
        let cities = day_cities(&day.current_city);
        let places = official_places(&day.current_city);
        let mut entries: Vec<(&str, &str)> =
            meals(day).into_iter().filter(|m| !is_empty(m)).map(|m| ("meal", m)).collect();
        entries.extend(attraction_entries(&day.attraction).into_iter().map(|a| ("attraction", a)));
        for (what, entry) in entries {
            if !places.iter().any(|p| entry.contains(p.as_str())) {
                return Err(format!("day {}: {what} {entry:?} is not in {}", day.days, cities.join(" or ")));
            }
        }
        let last = places.last().map_or("", String::as_str);
        if !is_empty(&day.accommodation) && !day.accommodation.contains(last) {
            return Err(format!("day {}: the accommodation is not in {}", day.days, cities.join(" or ")));
        }
        if !is_empty(&day.transportation) && !places.iter().all(|p| day.transportation.contains(p.as_str())) {
            return Err(format!("day {}: the transportation is not between {}", day.days, cities.join(" and ")));
        }
    }
    Ok(())
}

fn within_sandbox(plan: &[DayRecord], sb: &Sandbox) -> Result<(), String> {
    for day in plan {
        for m in meals(day).into_iter().filter(|m| !is_empty(m)) {
            if sb.restaurant(m).is_none() {
                return Err(format!("day {}: no restaurant {m:?} in the database", day.days));
            }
        }
        for a in attraction_entries(&day.attraction) {
            if !sb.has_attraction(a) {
                return Err(format!("day {}: no attraction {a:?} in the database", day.days));
            }
        }
        if !is_empty(&day.accommodation) && sb.accommodation(&day.accommodation).is_none() {
            return Err(format!("day {}: no accommodation {:?} in the database", day.days, day.accommodation));
        }
        match leg(&day.transportation) {
            None => {}
            Some(Err(e)) => return Err(format!("day {}: {e}", day.days)),
            Some(Ok(Leg::Flight { number, from, to })) => match sb.flights.get(number) {
                Some(f) if f.origin == from && f.destination == to => {}
                Some(f) => {
                    return Err(format!(
                        "flight {number} goes from {} to {}, not {from} to {to}",
                        f.origin, f.destination
                    ))
                }
                None => return Err(format!("day {}: no flight {number} in the reference information", day.days)),
            },
            Some(Ok(Leg::SelfDriving { from, to } | Leg::Taxi { from, to }))
                if !sb.db.drives.contains_key(&(from.to_string(), to.to_string())) =>
            {
                return Err(format!("day {}: no road information from {from} to {to}", day.days));
            }
            Some(Ok(Leg::SelfDriving { .. } | Leg::Taxi { .. })) => {}
        }
    }
    Ok(())
}

fn complete_information(q: &Query, plan: &[DayRecord]) -> Result<(), String> {
    if plan.len() != q.days as usize {
        return Err(format!("{} day(s) planned for a {}-day trip", plan.len(), q.days));
    }
    let visited: BTreeSet<&str> =
        plan.iter().flat_map(|d| day_cities(&d.current_city)).filter(|c| *c != q.org).collect();
    if visited.len() != q.visiting_city_number as usize {
        return Err(format!("{} cities visited, the query asks for {}", visited.len(), q.visiting_city_number));
    }
    // As the official check: a day "travels" for its transportation when its city mentions
    // "from " or "to ", for its attraction when "from " or " to ", for its meals when "from ";
    // and every filled key of a day counts towards half of 6 × days, `days` and
    // `current_city` included.
    let mut filled = 0;
    for (i, day) in plan.iter().enumerate() {
        let city = day.current_city.as_str();
        let last = i + 1 == plan.len();
        if (city.contains("from ") || city.contains("to ")) && is_empty(&day.transportation) {
            return Err(format!("day {}: a travel day without transportation", day.days));
        }
        if !(city.contains("from ") || city.contains(" to ")) && is_empty(&day.attraction) {
            return Err(format!("day {}: no attraction", day.days));
        }
        if !last && is_empty(&day.accommodation) {
            return Err(format!("day {}: no accommodation", day.days));
        }
        if !city.contains("from ") && meals(day).iter().any(|m| is_empty(m)) {
            return Err(format!("day {}: a meal is missing", day.days));
        }
        let fields = [
            &day.current_city,
            &day.transportation,
            &day.breakfast,
            &day.attraction,
            &day.lunch,
            &day.dinner,
            &day.accommodation,
        ];
        filled += usize::from(day.days != 0) + fields.iter().filter(|f| !is_empty(f)).count();
    }
    if filled * 2 < 6 * plan.len() {
        return Err(format!("only {filled} of {} fields are filled", 6 * plan.len()));
    }
    Ok(())
}

/// The total cost of a plan for the query's party, USD.
pub fn cost(q: &Query, plan: &[DayRecord], sb: &Sandbox) -> Result<Money, String> {
    let people = i64::from(q.people);
    // Whole vehicles and rooms for the party, as the official evaluator's `math.ceil`.
    let units = |capacity: i64| (people + capacity - 1) / capacity.max(1);
    let mut total = Money(0);
    for l in legs(plan)? {
        total += match l {
            Leg::Flight { number, .. } => {
                sb.flights.get(number).ok_or(format!("no flight {number}"))?.price.times(people)
            }
            Leg::SelfDriving { from, to } | Leg::Taxi { from, to } => {
                let d = sb
                    .db
                    .drives
                    .get(&(from.to_string(), to.to_string()))
                    .ok_or(format!("no road from {from} to {to}"))?;
                match l {
                    Leg::SelfDriving { .. } => d.self_driving_cost().times(units(5)),
                    _ => d.taxi_cost().times(units(4)),
                }
            }
        };
    }
    for day in plan {
        for m in meals(day).into_iter().filter(|m| !is_empty(m)) {
            total += sb.restaurant(m).ok_or(format!("no restaurant {m:?}"))?.average_cost.times(people);
        }
        if !is_empty(&day.accommodation) {
            let (a, _) = sb.accommodation(&day.accommodation).ok_or("no such accommodation")?;
            total += a.price.times(units(i64::from(a.maximum_occupancy)));
        }
    }
    Ok(total)
}

fn accommodations_used<'a>(plan: &[DayRecord], sb: &Sandbox<'a>) -> Vec<&'a Accommodation> {
    plan.iter()
        .filter(|d| !is_empty(&d.accommodation))
        .filter_map(|d| sb.accommodation(&d.accommodation).map(|(a, _)| a))
        .collect()
}

fn hard(q: &Query, plan: &[DayRecord], sb: &Sandbox) -> Vec<(Requirement, Result<(), String>)> {
    let mut out = vec![(
        Requirement::Budget,
        cost(q, plan, sb).and_then(|c| {
            if c <= q.budget {
                Ok(())
            } else {
                Err(format!("costs {}, over the budget of {}", c.short(), q.budget.short()))
            }
        }),
    )];
    if let Some(rule) = &q.local.house_rule {
        // The official check knows these five rules, each as "No <rule>" in `house_rules`.
        let known = ["smoking", "parties", "children under 10", "visitors", "pets"].contains(&rule.as_str());
        let forbids = |a: &&Accommodation| known && a.house_rules.contains(&format!("No {rule}"));
        let bad = accommodations_used(plan, sb).into_iter().find(forbids);
        out.push((Requirement::RoomRule, bad.map_or(Ok(()), |a| Err(format!("{} forbids {rule}", a.name)))));
    }
    if let Some(wanted) = &q.local.room_type {
        let ok = |t: RoomType| match wanted.trim().to_lowercase().as_str() {
            "not shared room" => t != RoomType::SharedRoom,
            "shared room" => t == RoomType::SharedRoom,
            "private room" => t == RoomType::PrivateRoom,
            "entire room" => t == RoomType::EntireHome,
            _ => false,
        };
        let bad = accommodations_used(plan, sb).into_iter().find(|a| !ok(a.room_type));
        out.push((Requirement::RoomType, bad.map_or(Ok(()), |a| Err(format!("{} is not a {wanted}", a.name)))));
    }
    if !q.local.cuisine.is_empty() {
        // As the official check: each day's meals in order, the rest of the day skipped at the
        // first meal in the origin city; a cuisine counts when its name is part of the
        // restaurant's `Cuisines`.
        let mut eaten: BTreeSet<&str> = BTreeSet::new();
        for day in plan {
            for m in meals(day).into_iter().filter(|m| !is_empty(m)) {
                if place(m).is_some_and(|(_, city)| city == q.org) {
                    break;
                }
                if let Some(r) = sb.restaurant(m) {
                    let written = r.cuisines.join(", ");
                    eaten.extend(q.local.cuisine.iter().filter(|c| written.contains(c.as_str())).map(String::as_str));
                }
            }
        }
        let missing: Vec<&String> = q.local.cuisine.iter().filter(|c| !eaten.contains(c.as_str())).collect();
        out.push((
            Requirement::Cuisine,
            if missing.is_empty() { Ok(()) } else { Err(format!("no meal of cuisine {missing:?}")) },
        ));
    }
    if let Some(rule) = &q.local.transportation {
        let legs = legs(plan).unwrap_or_default();
        let used = match rule.trim().to_lowercase().as_str() {
            "no flight" => legs.iter().any(|l| matches!(l, Leg::Flight { .. })),
            "no self-driving" => legs.iter().any(|l| matches!(l, Leg::SelfDriving { .. })),
            _ => false,
        };
        out.push((Requirement::Transportation, if used { Err(format!("the plan breaks {rule:?}")) } else { Ok(()) }));
    }
    out
}

/// Checks one plan. Hard constraints are judged only when the plan is within the sandbox and
/// complete (as in the official evaluation); otherwise each counts as broken.
pub fn evaluate(q: &Query, plan: &[DayRecord], sb: &Sandbox) -> PlanVerdict {
    let days = &plan[..plan.len().min(q.days as usize)];
    let restaurants = days.iter().flat_map(|d| meals(d).into_iter().filter(|m| !is_empty(m)));
    let commonsense = [
        reasonable_city_route(q, days, sb),
        no_repeats(restaurants, "restaurant"),
        no_repeats(days.iter().flat_map(|d| attraction_entries(&d.attraction)), "attraction"),
        minimum_nights(days, sb),
        non_conflicting_transport(days),
        within_current_city(days),
        within_sandbox(days, sb),
        complete_information(q, plan),
    ];
    let judged = commonsense[6].is_ok() && commonsense[7].is_ok();
    let mut requirements = Requirement::COMMONSENSE.to_vec();
    let mut violations = Vec::new();
    for (requirement, outcome) in Requirement::COMMONSENSE.into_iter().zip(commonsense) {
        judge(&mut violations, requirement, outcome);
    }
    for (requirement, outcome) in hard(q, days, sb) {
        requirements.push(requirement);
        let outcome =
            if judged { outcome } else { Err(format!("{NOT_JUDGED}: the plan is incomplete or outside the sandbox")) };
        judge(&mut violations, requirement, outcome);
    }
    PlanVerdict { requirements, violations }
}

/// The benchmark's metrics over a set of queries.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Metrics {
    /// Queries.
    pub queries: usize,
    /// Share with a plan.
    pub delivery_rate: f64,
    /// Passed commonsense checks / (8 × queries).
    pub commonsense_micro: f64,
    /// Share passing all 8 commonsense checks.
    pub commonsense_macro: f64,
    /// Passed hard checks / hard checks the queries set.
    pub hard_micro: f64,
    /// Share passing all their hard checks.
    pub hard_macro: f64,
    /// Share passing everything.
    pub final_pass_rate: f64,
}

/// Metrics from each query's number of hard constraints and verdict (`None`: no plan delivered).
pub fn metrics(results: &[(usize, Option<&PlanVerdict>)]) -> Metrics {
    let n = results.len().max(1) as f64;
    let delivered: Vec<&PlanVerdict> = results.iter().filter_map(|(_, v)| *v).collect();
    let hard_total: usize = results.iter().map(|(h, _)| *h).sum();
    let commonsense_passed: usize = delivered.iter().map(|v| v.met(true)).sum();
    let hard_passed: usize = delivered.iter().map(|v| v.met(false)).sum();
    let share = |k: usize| k as f64 / n;
    Metrics {
        queries: results.len(),
        delivery_rate: share(delivered.len()),
        commonsense_micro: commonsense_passed as f64 / (8.0 * n),
        commonsense_macro: share(delivered.iter().filter(|v| v.all_met(true)).count()),
        hard_micro: hard_passed as f64 / hard_total.max(1) as f64,
        hard_macro: share(delivered.iter().filter(|v| v.all_met(false)).count()),
        final_pass_rate: share(delivered.iter().filter(|v| v.passes()).count()),
    }
}

/// How many hard constraints a query sets (budget always, plus each local constraint).
pub fn hard_count(q: &Query) -> usize {
    let l = &q.local;
    1 + usize::from(l.house_rule.is_some())
        + usize::from(l.room_type.is_some())
        + usize::from(!l.cuisine.is_empty())
        + usize::from(l.transportation.is_some())
}
