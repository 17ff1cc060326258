//! The SMT (z3) solver for TravelPlanner instances.
//!
//! The visited cities are an ordered choice among the candidates; as in the formal-verification
//! approach of Hao et al., each ordering ("sequence") gets its own z3 model, and the sequences
//! are tried cheapest lower bound first, so a feasible query usually needs one or two models.
//! Within a sequence, z3 chooses the nights in each city (which fixes the travel days), one
//! transport option per leg (a flight of that day, self-driving or a taxi), one accommodation
//! per city, the restaurants eaten at (three meals on every day spent in a city, optional meals
//! on travel days), and optional attractions on travel days, under these facts: one option per
//! leg, no self-driving mixed with flights or taxis, an accommodation's minimum nights, enough
//! attractions for one per day, at least half of the plan's fields filled. Every user
//! constraint is asserted behind its own tracking literal, so any subset can be switched off
//! (cores and repairs) without rebuilding the model.
//!
//! Exactness of the reductions: per leg and day only the cheapest flight of each
//! (non-stop, airline) class is kept; per city and (room type, rules) class only accommodations
//! not dominated in (price for the party, minimum nights); per city the cheapest restaurants
//! that could ever be eaten at plus, per requested cuisine, the cheapest of that cuisine. None
//! of these removes an option that a cheaper or equally constrained kept option cannot replace.
//! Travel-day meals and attractions are in the two cities of the day (never the origin).

use crate::database::{Accommodation, Drive, Restaurant};
use crate::instance::{Constraint, FlightOption, Instance, Sight};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::time::Instant;
use tripsmith_planner::z3_solver::TimedSolver;
use tripsmith_planner::Money;
use z3::ast::{Bool, Int};
use z3::Context;

mod encode;

/// Why the solver gave no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SolveError {
    /// The deadline passed before the search ended.
    #[error("the solver ran out of time")]
    Timeout,
}

/// How a leg is travelled.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Mode {
    /// By this flight.
    Flight(FlightOption),
    /// Self-driving on this road.
    SelfDriving(Drive),
    /// By taxi on this road.
    Taxi(Drive),
}

/// One leg of the trip.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Leg {
    /// From.
    pub from: String,
    /// To.
    pub to: String,
    /// 0-based day of the trip.
    pub day: usize,
    /// How.
    pub mode: Mode,
}

/// The stay in one visited city.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stay {
    /// The city.
    pub city: String,
    /// Nights spent there.
    pub nights: usize,
    /// Where (none when the sandbox has no accommodations).
    pub accommodation: Option<Accommodation>,
    /// Every meal eaten in the city: those of the arrival day first, then three per full day,
    /// then those of the departure day.
    pub meals: Vec<Restaurant>,
    /// Meals eaten there on the arrival day.
    pub arrival_meals: usize,
    /// Attractions visited: `arrival_sights` on the arrival day, one per full day, then the
    /// departure day's (when `departure_sight`).
    pub sights: Vec<Sight>,
    /// Attractions visited on the arrival day (in a sandbox without stays, those of the
    /// requested categories).
    pub arrival_sights: usize,
    /// Whether an attraction is visited on the departure day.
    pub departure_sight: bool,
}

/// A plan as the solver found it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Solution {
    /// The visited cities' stays, in order.
    pub stays: Vec<Stay>,
    /// The legs: origin → first city, ..., last city → origin.
    pub legs: Vec<Leg>,
    /// Total cost for the party, USD.
    pub cost: Money,
}

const NONE: i64 = i64::MAX / 8;

/// A transport option of one leg.
#[derive(Debug, Clone, Copy, PartialEq)]
enum LegOption {
    Flight(usize),
    Drive,
    Taxi,
}

/// One sequence's z3 model: facts asserted, each user constraint behind a tracking literal.
struct SeqModel<'c> {
    solver: TimedSolver<'c>,
    tracks: Vec<Bool<'c>>,
    nights: Vec<Int<'c>>,
    legs: Vec<Vec<(Bool<'c>, LegOption)>>,
    lodging: Vec<Vec<(Bool<'c>, usize)>>,
    eat: Vec<Vec<(Bool<'c>, usize)>>,
    extra_meals: Vec<[Int<'c>; 2]>,
    extra_sights: Vec<[Bool<'c>; 2]>,
    cost: Int<'c>,
}

impl<'c> SeqModel<'c> {
    /// The tracking literals of the active constraints.
    fn assumptions(&self, active: &Active) -> Vec<Bool<'c>> {
        self.tracks.iter().zip(active).filter(|(_, on)| **on).map(|(t, _)| t.clone()).collect()
    }
}

/// Which constraints are switched on (by position in the instance's list).
pub type Active = [bool];

/// The search over one instance: the sequences by lower bound and their z3 models.
pub struct Search<'c, 'i> {
    ctx: &'c Context,
    inst: &'i Instance,
    /// `places[0]` is the origin, then the candidates.
    places: Vec<String>,
    sequences: HashMap<Vec<bool>, Vec<(i64, Vec<usize>)>>,
    models: HashMap<Vec<usize>, SeqModel<'c>>,
    deadline: Instant,
}

fn compositions(total: usize, parts: usize) -> Vec<Vec<usize>> {
    if parts == 1 {
        return if total >= 1 { vec![vec![total]] } else { Vec::new() };
    }
    let mut out = Vec::new();
    for first in 1..total {
        for mut rest in compositions(total - first, parts - 1) {
            rest.insert(0, first);
            out.push(rest);
        }
    }
    out
}

fn permutations(n: usize, k: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    fn rec(n: usize, k: usize, cur: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if cur.len() == k {
            out.push(cur.clone());
            return;
        }
        for i in 1..=n {
            if !cur.contains(&i) {
                cur.push(i);
                rec(n, k, cur, out);
                cur.pop();
            }
        }
    }
    rec(n, k, &mut cur, &mut out);
    out
}

impl<'c, 'i> Search<'c, 'i> {
    /// Prepares the search of an instance until `deadline`.
    pub fn new(ctx: &'c Context, inst: &'i Instance, deadline: Instant) -> Self {
        let mut places = vec![inst.org.clone()];
        places.extend(inst.candidates.iter().cloned());
        Self { ctx, inst, places, sequences: HashMap::new(), models: HashMap::new(), deadline }
    }

    fn active<'a>(&'a self, active: &'a Active) -> impl Iterator<Item = &'a Constraint> + 'a {
        self.inst.constraints.iter().zip(active).filter(|(_, on)| **on).map(|(c, _)| c)
    }

    /// Cheapest stay of `n` nights in a city (accommodation and three meals a full day), cents,
    /// with the accommodations the active constraints allow.
    fn stay_bound(&self, city: &str, n: usize, active: &Active) -> i64 {
        let inst = self.inst;
        if !inst.stays {
            return 0;
        }
        let people = i64::from(inst.people);
        let lodging = inst
            .accommodations
            .get(city)
            .into_iter()
            .flatten()
            .filter(|a| a.minimum_nights as usize <= n && self.active(active).all(|c| c.allows_accommodation(a)));
        let Some(night) = lodging.map(|a| a.price.cents() * i64::from(inst.rooms(a))).min() else { return NONE };
        let mut meals: Vec<i64> =
            inst.restaurants.get(city).into_iter().flatten().map(|r| r.average_cost.cents() * people).collect();
        let full_days = n - 1;
        let sights = inst.sights.get(city).map_or(0, Vec::len);
        if meals.len() < 3 * full_days || sights < full_days {
            return NONE;
        }
        meals.sort_unstable();
        night * n as i64 + meals[..3 * full_days].iter().sum::<i64>()
    }

    /// Every ordering of `visits` candidates with its lower bound on cost under the active
    /// constraints (cheapest allowed accommodation and meals for the nights, cheapest allowed
    /// option of each leg on its day, minimised over the ways to split the nights), cheapest
    /// first; orderings that cannot work are left out.
    fn bounded_sequences(&self, active: &Active) -> Vec<(i64, Vec<usize>)> {
        let inst = self.inst;
        let n = inst.candidates.len();
        let k = inst.visits;
        let nights = inst.days - 1;
        let splits = compositions(nights, k);
        let people = i64::from(inst.people);
        // Cheapest option per (from, to, day), and per (from, to) by road.
        let index: HashMap<&str, usize> = self.places.iter().enumerate().map(|(i, p)| (p.as_str(), i)).collect();
        let mut flight = HashMap::new();
        for f in inst.flights.iter().filter(|f| self.active(active).all(|c| c.allows_flight(f))) {
            if let (Some(&a), Some(&b)) =
                (index.get(f.flight.origin.as_str()), index.get(f.flight.destination.as_str()))
            {
                let c = f.flight.price.cents() * people;
                let e = flight.entry((a, b, f.day)).or_insert(c);
                *e = (*e).min(c);
            }
        }
        let road = |a: usize, b: usize| {
            inst.drives.get(&(self.places[a].clone(), self.places[b].clone())).map_or(NONE, |d| {
                let drive = if self.active(active).all(|c| c.allows_road(false)) {
                    d.self_driving_cost().cents() * i64::from(inst.cars())
                } else {
                    NONE
                };
                let taxi = if self.active(active).all(|c| c.allows_road(true)) {
                    d.taxi_cost().cents() * i64::from(inst.taxis())
                } else {
                    NONE
                };
                drive.min(taxi)
            })
        };
        let mut roads = vec![vec![NONE; n + 1]; n + 1];
        for (a, row) in roads.iter_mut().enumerate() {
            for (b, cell) in row.iter_mut().enumerate() {
                if a != b {
                    *cell = road(a, b);
                }
            }
        }
        let leg = |a: usize, b: usize, day: usize| flight.get(&(a, b, day)).copied().unwrap_or(NONE).min(roads[a][b]);
        let stays: Vec<Vec<i64>> = (0..=n)
            .map(|c| {
                (0..=nights)
                    .map(|m| if c == 0 || m == 0 { NONE } else { self.stay_bound(&self.places[c], m, active) })
                    .collect()
            })
            .collect();
        let mut out: Vec<(i64, Vec<usize>)> = permutations(n, k)
            .into_iter()
            .filter_map(|seq| {
                let best = splits
                    .iter()
                    .map(|split| {
                        let mut total = 0i64;
                        let mut day = 0;
                        let mut from = 0;
                        for (i, &c) in seq.iter().enumerate() {
                            total = total.saturating_add(leg(from, c, day)).saturating_add(stays[c][split[i]]);
                            day += split[i];
                            from = c;
                        }
                        total.saturating_add(leg(from, 0, day))
                    })
                    .min()
                    .unwrap_or(NONE);
                (best < NONE).then_some((best, seq))
            })
            .collect();
        out.sort();
        out
    }

    /// The orderings under the active constraints, computed once per set of constraints.
    fn sequences(&mut self, active: &Active) -> Vec<(i64, Vec<usize>)> {
        if let Some(s) = self.sequences.get(active) {
            return s.clone();
        }
        let s = self.bounded_sequences(active);
        self.sequences.insert(active.to_vec(), s.clone());
        s
    }

    /// Necessary conditions for `seq` under the active constraints that need no solver.
    fn may_work(&self, seq: &[usize], active: &Active) -> bool {
        let inst = self.inst;
        let on: Vec<&Constraint> = self.active(active).collect();
        let cities: Vec<&str> = seq.iter().map(|&c| self.places[c].as_str()).collect();
        if inst.stays
            && !cities.iter().all(|c| {
                inst.accommodations.get(*c).into_iter().flatten().any(|a| on.iter().all(|k| k.allows_accommodation(a)))
            })
        {
            return false;
        }
        on.iter().all(|c| match c {
            Constraint::Cuisine(x) => cities.iter().any(|city| {
                inst.restaurants
                    .get(*city)
                    .into_iter()
                    .flatten()
                    .any(|r| r.cuisines.iter().any(|y| y.eq_ignore_ascii_case(x)))
            }),
            Constraint::AttractionCategory(x) => cities.iter().any(|city| self.has_category(city, x)),
            _ => true,
        })
    }

    fn has_category(&self, city: &str, category: &str) -> bool {
        self.inst
            .sights
            .get(city)
            .into_iter()
            .flatten()
            .any(|s| s.category.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(category)))
    }

    fn budget(&self, active: &Active) -> Option<i64> {
        self.inst
            .constraints
            .iter()
            .zip(active)
            .filter_map(|(c, on)| match c {
                Constraint::Budget(b) if *on => Some(b.cents()),
                _ => None,
            })
            .min()
    }

    /// A plan meeting the active constraints, `None` when none exists.
    pub fn find(&mut self, active: &Active) -> Result<Option<Solution>, SolveError> {
        let budget = self.budget(active).unwrap_or(NONE);
        for (bound, seq) in self.sequences(active) {
            if bound > budget {
                break;
            }
            if !self.may_work(&seq, active) {
                continue;
            }
            if let Some(solution) = self.check(&seq, active)? {
                return Ok(Some(solution));
            }
        }
        Ok(None)
    }

    /// The cheapest plan meeting the active constraints (the budget among them is ignored),
    /// `None` when none exists.
    pub fn cheapest(&mut self, active: &Active) -> Result<Option<Solution>, SolveError> {
        let active: Vec<bool> = self
            .inst
            .constraints
            .iter()
            .zip(active)
            .map(|(c, on)| *on && !matches!(c, Constraint::Budget(_)))
            .collect();
        let mut best: Option<Solution> = None;
        for (bound, seq) in self.sequences(&active) {
            if best.as_ref().is_some_and(|b| bound >= b.cost.cents()) {
                break;
            }
            if !self.may_work(&seq, &active) {
                continue;
            }
            let Some(model) = self.model(&seq, &active)? else { continue };
            // Bisect on the cost within this sequence.
            let m = &self.models[&seq];
            let below_best = best.as_ref().map_or(NONE, |b| b.cost.cents() - 1);
            let (model, proven) =
                m.solver.optimise(&m.assumptions(&active), &m.cost, false, model, (bound, below_best));
            if !proven {
                return Err(SolveError::Timeout);
            }
            let found = self.extract(&seq, m, &model, &active);
            if best.as_ref().is_none_or(|b| found.cost < b.cost) {
                best = Some(found);
            }
        }
        Ok(best)
    }

    /// Checks one sequence under the active constraints.
    fn check(&mut self, seq: &[usize], active: &Active) -> Result<Option<Solution>, SolveError> {
        let found = self.model(seq, active)?;
        Ok(found.map(|model| self.extract(seq, &self.models[seq], &model, active)))
    }

    /// A model of one sequence under the active constraints (`None`: none exists); the
    /// sequence's z3 model is built on first use.
    fn model(&mut self, seq: &[usize], active: &Active) -> Result<Option<z3::Model<'c>>, SolveError> {
        if Instant::now() >= self.deadline {
            return Err(SolveError::Timeout);
        }
        if !self.models.contains_key(seq) {
            let model = self.build(seq);
            self.models.insert(seq.to_vec(), model);
        }
        let m = &self.models[seq];
        m.solver.model(&m.assumptions(active)).map_err(|_| SolveError::Timeout)
    }

    fn flight_options(&self, a: &str, b: &str, leg: usize, legs: usize) -> Vec<usize> {
        let inst = self.inst;
        let last = inst.days - 1;
        let (first_day, last_day) = if leg == 0 {
            (0, 0)
        } else if leg + 1 == legs {
            (last, last)
        } else {
            (leg, last - (legs - 1 - leg))
        };
        let mut best: HashMap<(usize, bool, Option<&str>), usize> = HashMap::new();
        for (i, f) in inst.flights.iter().enumerate() {
            if f.flight.origin != a || f.flight.destination != b || f.day < first_day || f.day > last_day {
                continue;
            }
            let e = best.entry((f.day, f.non_stop, f.airline.as_deref())).or_insert(i);
            if f.flight.price < inst.flights[*e].flight.price {
                *e = i;
            }
        }
        let mut out: Vec<usize> = best.into_values().collect();
        out.sort_unstable();
        out
    }

    /// Accommodations of a city worth considering: per (room type, rules), those no other
    /// beats on both price for the party and minimum nights.
    fn lodging_options(&self, city: &str) -> Vec<usize> {
        let inst = self.inst;
        let list = inst.accommodations.get(city).map(Vec::as_slice).unwrap_or_default();
        let mut order: Vec<usize> =
            (0..list.len()).filter(|&i| (list[i].minimum_nights as usize) < inst.days).collect();
        let price = |i: usize| list[i].price.cents() * i64::from(inst.rooms(&list[i]));
        order.sort_by_key(|&i| (price(i), list[i].minimum_nights, i));
        let mut fewest: HashMap<(String, Vec<String>), u32> = HashMap::new();
        let mut out = Vec::new();
        for i in order {
            let a = &list[i];
            let mut rules = a.forbidden.clone();
            rules.sort();
            let key = (format!("{:?}", a.room_type), rules);
            let best = fewest.entry(key).or_insert(u32::MAX);
            if a.minimum_nights < *best {
                *best = a.minimum_nights;
                out.push(i);
            }
        }
        out
    }

    /// Restaurants of a city worth considering: the cheapest that could all be eaten at, plus
    /// the cheapest of each requested cuisine.
    fn restaurant_options(&self, city: &str) -> Vec<usize> {
        let inst = self.inst;
        let list = inst.restaurants.get(city).map(Vec::as_slice).unwrap_or_default();
        let most = 3 * inst.days;
        let mut order: Vec<usize> = (0..list.len()).collect();
        order.sort_by_key(|&i| (list[i].average_cost.cents(), i));
        let mut keep: BTreeSet<usize> = order.iter().take(most).copied().collect();
        for c in &inst.constraints {
            if let Constraint::Cuisine(x) = c {
                let of: Vec<usize> = order
                    .iter()
                    .copied()
                    .filter(|&i| list[i].cuisines.iter().any(|y| y.eq_ignore_ascii_case(x)))
                    .take(most + 1)
                    .collect();
                keep.extend(of);
            }
        }
        keep.into_iter().collect()
    }

    fn extract(&self, seq: &[usize], m: &SeqModel<'c>, model: &z3::Model<'c>, active: &Active) -> Solution {
        let inst = self.inst;
        let int = |v: &Int<'c>| model.eval(v, true).and_then(|x| x.as_i64()).unwrap_or(0);
        let truth = |b: &Bool<'c>| model.eval(b, true).and_then(|x| x.as_bool()).unwrap_or(false);
        let k = seq.len();
        let city = |i: usize| self.places[seq[i]].clone();
        let mut legs = Vec::new();
        let mut day = 0usize;
        for (j, options) in m.legs.iter().enumerate() {
            let from = if j == 0 { inst.org.clone() } else { city(j - 1) };
            let to = if j == k { inst.org.clone() } else { city(j) };
            let road =
                || inst.drives.get(&(from.clone(), to.clone())).copied().unwrap_or(Drive { km: 0.0, minutes: 0 });
            let mode = match options.iter().find(|(b, _)| truth(b)).map(|(_, o)| *o) {
                Some(LegOption::Flight(f)) => Mode::Flight(inst.flights[f].clone()),
                Some(LegOption::Taxi) => Mode::Taxi(road()),
                _ => Mode::SelfDriving(road()),
            };
            legs.push(Leg { from, to, day, mode });
            if j < k {
                day += int(&m.nights[j]).max(1) as usize;
            }
        }
        let categories: Vec<&String> = inst
            .constraints
            .iter()
            .zip(active)
            .filter_map(|(c, on)| match c {
                Constraint::AttractionCategory(x) if *on => Some(x),
                _ => None,
            })
            .collect();
        let mut covered: BTreeSet<&String> = BTreeSet::new();
        let mut stays = Vec::new();
        for i in 0..k {
            let c = city(i);
            let nights = int(&m.nights[i]).max(1) as usize;
            let all_sights = inst.sights.get(&c).map(Vec::as_slice).unwrap_or_default();
            let (accommodation, meals, arrival_meals, arrival_sight, departure_sight) = if inst.stays {
                let acc = m.lodging[i].iter().find(|(b, _)| truth(b)).map(|(_, a)| inst.accommodations[&c][*a].clone());
                let mut meals: Vec<Restaurant> =
                    m.eat[i].iter().filter(|(b, _)| truth(b)).map(|(_, r)| inst.restaurants[&c][*r].clone()).collect();
                meals.sort_by(|a, b| a.name.cmp(&b.name));
                let arrival = int(&m.extra_meals[i][1]).max(0) as usize;
                (acc, meals, arrival, truth(&m.extra_sights[i][1]), truth(&m.extra_sights[i + 1][0]))
            } else {
                (None, Vec::new(), 0, false, false)
            };
            let mut sights: Vec<Sight> = Vec::new();
            // Without stays, the requested categories are visited on the arrival day.
            if !inst.stays {
                for x in &categories {
                    let of = |s: &&Sight| s.category.as_deref().is_some_and(|y| y.eq_ignore_ascii_case(x));
                    if let Some(s) = all_sights.iter().find(of).filter(|_| !covered.contains(x)) {
                        covered.insert(x);
                        if !sights.contains(s) {
                            sights.push(s.clone());
                        }
                    }
                }
            }
            let arrival_sights = if inst.stays { usize::from(arrival_sight) } else { sights.len() };
            let wanted = arrival_sights + (nights - 1) + usize::from(departure_sight);
            for s in all_sights {
                if sights.len() >= wanted {
                    break;
                }
                if !sights.contains(s) {
                    sights.push(s.clone());
                }
            }
            stays.push(Stay {
                city: c,
                nights,
                accommodation,
                meals,
                arrival_meals,
                sights,
                arrival_sights,
                departure_sight,
            });
        }
        Solution { stays, legs, cost: Money(int(&m.cost)) }
    }
}

#[cfg(test)]
mod tests {
    use super::{compositions, permutations};

    #[test]
    fn nights_splits_and_city_orders_are_complete() {
        assert_eq!(compositions(2, 1), [vec![2]]);
        assert_eq!(compositions(4, 2), [vec![1, 3], vec![2, 2], vec![3, 1]]);
        assert_eq!(compositions(6, 3).len(), 10);
        assert!(compositions(2, 3).is_empty());
        assert_eq!(permutations(3, 2).len(), 6);
        assert_eq!(permutations(23, 3).len(), 23 * 22 * 21);
        assert!(permutations(3, 2).iter().all(|p| p.iter().all(|&c| (1..=3).contains(&c)) && p[0] != p[1]));
    }
}
