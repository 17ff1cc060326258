//! The SMT backend (z3): days as ordered slots of visits and meals, with start times.
//!
//! Each day has `K` slots (the visit cap plus the requested meals); slot `k` holds a candidate
//! index `x` (−1 = empty; empty slots come last), a kind (visit or which meal) and a start time.
//! Travel enters as implications on each (previous, next) candidate pair. Opening hours, travel and durations are facts; every user constraint is
//! asserted under its label, so that an infeasible request yields an unsat core over labels,
//! which is then minimised by deletion. Feasible requests are optimised (visit score less the
//! repeat penalties of categories seen twice a day first,
//! then less travel) with z3's `Optimize` under the time limit.

use crate::catalog::Problem;
use crate::itinerary::{assemble, nights, Activity, Chosen, Itinerary};
use crate::label::Label;
use crate::outcome::{Outcome, PlanError};
use crate::request::MealKind;
use crate::z3_solver::{value, TimedSolver};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use z3::ast::{Ast, Bool, Int};
use z3::{Config, Context, Model, SatResult};

/// Fewest visit slots a day has (more when the request's daily cap is higher), so that relaxing
/// the cap in core minimisation still leaves room.
pub const DEFAULT_VISITS_PER_DAY: u32 = 6;

struct DayVars<'c> {
    /// The trip day (1-based).
    day: u32,
    x: Vec<Int<'c>>,
    kind: Vec<Int<'c>>,
    start: Vec<Int<'c>>,
    end: Vec<Int<'c>>,
    active: Vec<Bool<'c>>,
    /// `legs[k]` = travel into slot `k` (from the lodging for k = 0).
    leg_min: Vec<Int<'c>>,
    leg_m: Vec<Int<'c>>,
    /// Travel back to the lodging after the day's last stop.
    back_min: Int<'c>,
    back_m: Int<'c>,
}

impl<'c> DayVars<'c> {
    /// Day `day`'s variables for `slots` slots.
    fn new(ctx: &'c Context, day: u32, slots: usize) -> Self {
        let name = |what: &str, k: usize| format!("{what}_{day}_{k}");
        DayVars {
            day,
            x: (0..slots).map(|k| Int::new_const(ctx, name("x", k))).collect(),
            kind: (0..slots).map(|k| Int::new_const(ctx, name("kind", k))).collect(),
            start: (0..slots).map(|k| Int::new_const(ctx, name("start", k))).collect(),
            end: (0..slots).map(|k| Int::new_const(ctx, name("end", k))).collect(),
            active: (0..slots).map(|k| Bool::new_const(ctx, name("active", k))).collect(),
            leg_min: (0..slots).map(|k| Int::new_const(ctx, name("legmin", k))).collect(),
            leg_m: (0..slots).map(|k| Int::new_const(ctx, name("legm", k))).collect(),
            back_min: Int::new_const(ctx, name("backmin", 0)),
            back_m: Int::new_const(ctx, name("backm", 0)),
        }
    }

    /// The name of one of this day's variables (`score_2_3`).
    fn name(&self, what: &str, k: usize) -> String {
        format!("{what}_{}_{k}", self.day)
    }
}

/// What every day's encoding shares: the request's places, the lodgings and the other stops,
/// the places to eat, the meals asked for, the base the days start and end at (when they
/// return to it) and the slots a day.
struct Frame<'a, 'c> {
    p: &'a Problem,
    lodgings: Vec<usize>,
    stops: Vec<usize>,
    food: Vec<usize>,
    meals: Vec<MealKind>,
    base: Option<&'a Int<'c>>,
    slots: usize,
}

impl Frame<'_, '_> {
    /// Travel from candidate `i` to `j` on trip day `day` (1-based): (minutes, metres), `None`
    /// when unreachable.
    fn leg(&self, day: u32, i: usize, j: usize) -> Option<(u32, u32)> {
        let leg = self.p.travel.leg(day as usize - 1, i, j)?;
        Some((leg.minutes, leg.metres))
    }
}

struct Encoding<'c> {
    ctx: &'c Context,
    facts: Vec<Bool<'c>>,
    labeled: BTreeMap<Label, Vec<Bool<'c>>>,
    days: Vec<DayVars<'c>>,
    lodging: Option<Int<'c>>,
    score: Int<'c>,
    travel: Int<'c>,
}

fn int<'c>(ctx: &'c Context, v: i64) -> Int<'c> {
    Int::from_i64(ctx, v)
}

fn meal_code(kind: MealKind) -> i64 {
    match kind {
        MealKind::Breakfast => 1,
        MealKind::Lunch => 2,
        MealKind::Dinner => 3,
    }
}

impl<'c> Encoding<'c> {
    fn label(&mut self, label: Label, c: Bool<'c>) {
        self.labeled.entry(label).or_default().push(c);
    }

    fn build(ctx: &'c Context, p: &Problem) -> Result<Self, PlanError> {
        let r = &p.request;
        let n = p.candidates.len();
        let mut e = Encoding {
            ctx,
            facts: Vec::new(),
            labeled: BTreeMap::new(),
            days: Vec::new(),
            lodging: None,
            score: int(ctx, 0),
            travel: int(ctx, 0),
        };
        let lodgings: Vec<usize> = (0..n).filter(|&i| p.candidates[i].is_lodging()).collect();
        let needs_lodging = r.return_to_base || r.lodging.is_some();
        if needs_lodging && lodgings.is_empty() {
            return Err(PlanError::NoLodging);
        }
        let lodging_var = needs_lodging.then(|| Int::new_const(ctx, "lodging"));
        if let Some(l) = &lodging_var {
            let choices: Vec<Bool> = lodgings.iter().map(|&i| l._eq(&int(ctx, i as i64))).collect();
            e.facts.push(Bool::or(ctx, &choices.iter().collect::<Vec<_>>()));
        }
        let meals: Vec<MealKind> = MealKind::ALL.into_iter().filter(|k| r.meal(*k).is_some()).collect();
        let visit_cap = r.sights_per_day().max(DEFAULT_VISITS_PER_DAY);
        let frame = Frame {
            p,
            stops: (0..n).filter(|&i| !p.candidates[i].is_lodging()).collect(),
            food: (0..n).filter(|&i| p.candidates[i].is_food()).collect(),
            lodgings,
            slots: visit_cap as usize + meals.len(),
            meals,
            base: lodging_var.as_ref().filter(|_| r.return_to_base),
        };
        let mut all_slots: Vec<(Int<'c>, Bool<'c>)> = Vec::new();
        let mut score_terms = Vec::new();
        let mut repeat_terms: Vec<Int> = Vec::new();
        let mut travel_terms = Vec::new();
        let mut price_terms = Vec::new();
        for d in 0..r.days as usize {
            let v = DayVars::new(ctx, d as u32 + 1, frame.slots);
            for k in 0..frame.slots {
                let (visit, meal) = e.encode_slot_shape(&frame, &v, k);
                let (score_k, price_k) = e.encode_slot_places(&frame, &v, d, k, &visit);
                e.encode_slot_meals(&frame, &v, k, &meal);
                e.encode_slot_travel(&frame, &v, d as u32 + 1, k);
                score_terms.push(score_k);
                price_terms.push(price_k);
                all_slots.push((v.x[k].clone(), visit));
            }
            e.encode_way_back(&frame, &v);
            let visits = e.encode_day_counts(&frame, &v);
            repeat_terms.extend(e.encode_variety(&frame, &v, &visits));
            let mut day_legs: Vec<&Int> = v.leg_m.iter().collect();
            day_legs.push(&v.back_m);
            if let Some(limit) = r.travel.max_per_day_m {
                e.label(Label::TravelMaxPerDay, Int::add(ctx, &day_legs).le(&int(ctx, limit.floor() as i64)));
            }
            travel_terms.extend(v.leg_min.iter().cloned());
            travel_terms.push(v.back_min.clone());
            e.days.push(v);
        }
        e.encode_trip_wide(p, &frame.food, &all_slots, lodging_var.as_ref());
        let lodging_cost = e.encode_lodging(p, &frame.lodgings, lodging_var.as_ref());
        let party = int(ctx, i64::from(r.party_size));
        let spent = Int::add(ctx, &price_terms.iter().collect::<Vec<_>>());
        let total = Int::add(ctx, &[&Int::mul(ctx, &[&spent, &party]), &lodging_cost]);
        if let Some(budget) = r.budget {
            e.label(Label::Budget, total.le(&int(ctx, budget.cents())));
        }
        let gained = Int::add(ctx, &score_terms.iter().collect::<Vec<_>>());
        e.score = if repeat_terms.is_empty() {
            gained
        } else {
            Int::sub(ctx, &[&gained, &Int::add(ctx, &repeat_terms.iter().collect::<Vec<_>>())])
        };
        e.travel = Int::add(ctx, &travel_terms.iter().collect::<Vec<_>>());
        e.lodging = lodging_var;
        Ok(e)
    }

    /// Slot `k`'s shape: a candidate or empty (empty slots last), never a lodging, a kind (a
    /// visit or a requested meal); returns whether it holds a visit and whether a meal.
    fn encode_slot_shape(&mut self, f: &Frame<'_, 'c>, v: &DayVars<'c>, k: usize) -> (Bool<'c>, Bool<'c>) {
        let (ctx, r, n) = (self.ctx, &f.p.request, f.p.candidates.len());
        let (x, kind, active) = (&v.x[k], &v.kind[k], &v.active[k]);
        let zero = int(ctx, 0);
        self.facts.push(active._eq(&x.ge(&zero)));
        self.facts.push(x.ge(&int(ctx, -1)));
        self.facts.push(x.lt(&int(ctx, n as i64)));
        for &l in &f.lodgings {
            self.facts.push(x._eq(&int(ctx, l as i64)).not());
        }
        if k + 1 < f.slots {
            self.facts.push(v.active[k + 1].implies(active));
        }
        self.facts.push(kind.ge(&zero));
        self.facts.push(kind.le(&int(ctx, 3)));
        for m in MealKind::ALL {
            if r.meal(m).is_none() {
                self.facts.push(kind._eq(&int(ctx, meal_code(m))).not());
            }
        }
        (Bool::and(ctx, &[active, &kind._eq(&zero)]), Bool::and(ctx, &[active, &kind.gt(&zero)]))
    }

    /// What the candidate in slot `k` means on day `d`: food or visit, which meals it can be,
    /// its duration, opening hours, score and price; returns the slot's score and price.
    fn encode_slot_places(
        &mut self,
        f: &Frame<'_, 'c>,
        v: &DayVars<'c>,
        d: usize,
        k: usize,
        visit: &Bool<'c>,
    ) -> (Int<'c>, Int<'c>) {
        let (ctx, r) = (self.ctx, &f.p.request);
        let (x, kind, start, end, active) = (&v.x[k], &v.kind[k], &v.start[k], &v.end[k], &v.active[k]);
        let zero = int(ctx, 0);
        let score_k = Int::new_const(ctx, v.name("score", k));
        let price_k = Int::new_const(ctx, v.name("price", k));
        self.facts.push(active.not().implies(&Bool::and(
            ctx,
            &[&score_k._eq(&zero), &price_k._eq(&zero), &v.leg_min[k]._eq(&zero), &v.leg_m[k]._eq(&zero)],
        )));
        for (i, c) in f.p.candidates.iter().enumerate() {
            if c.is_lodging() {
                continue;
            }
            let here = x._eq(&int(ctx, i as i64));
            self.facts.push(here.implies(&kind._eq(&zero)._eq(&Bool::from_bool(ctx, !c.is_food()))));
            for &m in &f.meals {
                if c.is_food() && !c.serves(r, m) {
                    self.facts.push(here.implies(&kind._eq(&int(ctx, meal_code(m))).not()));
                }
            }
            self.facts.push(
                Bool::and(ctx, &[&here, visit])
                    .implies(&end._eq(&Int::add(ctx, &[start, &int(ctx, i64::from(c.visit_minutes))]))),
            );
            let value = if c.is_food() { 0 } else { (c.score * 100.0).round() as i64 };
            self.facts.push(here.implies(&score_k._eq(&int(ctx, value))));
            self.facts.push(here.implies(&price_k._eq(&int(ctx, c.price.cents()))));
            if let Some(hours) = &c.hours {
                let open: Vec<Bool> = hours
                    .on(d)
                    .iter()
                    .map(|rng| {
                        Bool::and(
                            ctx,
                            &[&start.ge(&int(ctx, i64::from(rng.start))), &end.le(&int(ctx, i64::from(rng.end)))],
                        )
                    })
                    .collect();
                self.facts.push(here.implies(&Bool::or(ctx, &open.iter().collect::<Vec<_>>())));
            }
        }
        (score_k, price_k)
    }

    /// A meal in slot `k`: its duration, its window (labelled) and its price cap (labelled).
    fn encode_slot_meals(&mut self, f: &Frame<'_, 'c>, v: &DayVars<'c>, k: usize, meal: &Bool<'c>) {
        let ctx = self.ctx;
        let (x, kind, start, end) = (&v.x[k], &v.kind[k], &v.start[k], &v.end[k]);
        for &m in &f.meals {
            let Some(spec) = f.p.request.meal(m) else { continue };
            let this = kind._eq(&int(ctx, meal_code(m)));
            self.facts.push(
                Bool::and(ctx, &[meal, &this])
                    .implies(&end._eq(&Int::add(ctx, &[start, &int(ctx, i64::from(spec.minutes))]))),
            );
            self.label(
                Label::Meal(m),
                Bool::and(ctx, &[meal, &this]).implies(&Bool::and(
                    ctx,
                    &[
                        &start.ge(&int(ctx, i64::from(spec.window[0].minutes()))),
                        &start.le(&int(ctx, i64::from(spec.window[1].minutes()))),
                    ],
                )),
            );
            if let Some(max) = spec.max_price {
                let dear: Vec<Bool> = f
                    .food
                    .iter()
                    .filter(|&&i| f.p.candidates[i].price > max)
                    .map(|&i| x._eq(&int(ctx, i as i64)).not())
                    .collect();
                let cond = Bool::and(ctx, &dear.iter().collect::<Vec<_>>());
                self.label(Label::MealMaxPrice(m), Bool::and(ctx, &[meal, &this]).implies(&cond));
            }
        }
    }

    /// Travel into slot `k` (from the lodging for the first, exact minutes and metres for each
    /// pair), the day's start (labelled), the per-leg limit, and the day's end after the last
    /// stop and the way back (labelled).
    fn encode_slot_travel(&mut self, f: &Frame<'_, 'c>, v: &DayVars<'c>, day: u32, k: usize) {
        let (ctx, r) = (self.ctx, &f.p.request);
        let (day_start, day_end) = r.day_window(day);
        let (x, start, end, active) = (&v.x[k], &v.start[k], &v.end[k], &v.active[k]);
        let is = |i: usize| x._eq(&int(ctx, i as i64));
        let zero = int(ctx, 0);
        let set_leg = |cond: Bool<'c>, (mins, metres): (u32, u32)| {
            cond.implies(&Bool::and(
                ctx,
                &[&v.leg_min[k]._eq(&int(ctx, i64::from(mins))), &v.leg_m[k]._eq(&int(ctx, i64::from(metres)))],
            ))
        };
        if k == 0 {
            if let Some(b) = f.base {
                for &l in &f.lodgings {
                    for &j in &f.stops {
                        let cond = Bool::and(ctx, &[&b._eq(&int(ctx, l as i64)), &is(j)]);
                        match f.leg(day, l, j) {
                            Some(cost) => self.facts.push(set_leg(cond, cost)),
                            None => self.label(Label::TravelModes, cond.not()),
                        }
                    }
                }
            } else {
                self.facts.push(v.leg_min[0]._eq(&zero));
                self.facts.push(v.leg_m[0]._eq(&zero));
            }
            self.label(
                Label::DayStart(day),
                active.implies(&start.ge(&Int::add(ctx, &[&int(ctx, i64::from(day_start.minutes())), &v.leg_min[0]]))),
            );
        } else {
            let prev = &v.x[k - 1];
            for &i in &f.stops {
                for &j in &f.stops {
                    if i == j {
                        continue;
                    }
                    let cond = Bool::and(ctx, &[&prev._eq(&int(ctx, i as i64)), &is(j)]);
                    match f.leg(day, i, j) {
                        Some(cost) => self.facts.push(set_leg(cond, cost)),
                        None => self.label(Label::TravelModes, cond.not()),
                    }
                }
            }
            self.facts.push(active.implies(&start.ge(&Int::add(ctx, &[&v.end[k - 1], &v.leg_min[k]]))));
        }
        if let Some(limit) = r.travel.max_per_leg_m {
            self.label(Label::TravelMaxPerLeg, v.leg_m[k].le(&int(ctx, limit.floor() as i64)));
        }
        self.facts.push(start.ge(&zero));
        let last = match v.active.get(k + 1) {
            Some(next) => Bool::and(ctx, &[active, &next.not()]),
            None => active.clone(),
        };
        if let Some(b) = f.base {
            for &i in &f.stops {
                let at_i = Bool::and(ctx, &[&last, &is(i)]);
                for &l in &f.lodgings {
                    let cond = Bool::and(ctx, &[&at_i, &b._eq(&int(ctx, l as i64))]);
                    match f.leg(day, i, l) {
                        Some((mins, metres)) => self.facts.push(cond.implies(&Bool::and(
                            ctx,
                            &[&v.back_min._eq(&int(ctx, i64::from(mins))), &v.back_m._eq(&int(ctx, i64::from(metres)))],
                        ))),
                        None => self.label(Label::TravelModes, cond.not()),
                    }
                }
            }
        }
        self.label(
            Label::DayEnd(day),
            last.implies(&Int::add(ctx, &[end, &v.back_min]).le(&int(ctx, i64::from(day_end.minutes())))),
        );
    }

    /// The way back to the lodging: none on a day without stops or without a return, and
    /// within the per-leg limit (labelled).
    fn encode_way_back(&mut self, f: &Frame<'_, 'c>, v: &DayVars<'c>) {
        let ctx = self.ctx;
        let zero = int(ctx, 0);
        self.facts.push(v.active[0].not().implies(&Bool::and(ctx, &[&v.back_min._eq(&zero), &v.back_m._eq(&zero)])));
        if f.base.is_none() {
            self.facts.push(v.back_min._eq(&zero));
            self.facts.push(v.back_m._eq(&zero));
        } else if let Some(limit) = f.p.request.travel.max_per_leg_m {
            self.label(Label::TravelMaxPerLeg, v.back_m.le(&int(ctx, limit.floor() as i64)));
        }
    }

    /// Each requested meal once a day, and the day's visits within the cap (both labelled);
    /// returns whether each slot holds a visit.
    fn encode_day_counts(&mut self, f: &Frame<'_, 'c>, v: &DayVars<'c>) -> Vec<Bool<'c>> {
        let (ctx, r) = (self.ctx, &f.p.request);
        for &m in &f.meals {
            let once: Vec<Bool> = (0..f.slots)
                .map(|k| Bool::and(ctx, &[&v.active[k], &v.kind[k]._eq(&int(ctx, meal_code(m)))]))
                .collect();
            self.label(Label::Meal(m), Bool::pb_eq(ctx, &once.iter().map(|b| (b, 1)).collect::<Vec<_>>(), 1));
        }
        let visits: Vec<Bool> =
            (0..f.slots).map(|k| Bool::and(ctx, &[&v.active[k], &v.kind[k]._eq(&int(ctx, 0))])).collect();
        self.label(
            r.sights_per_day_label(),
            Bool::pb_le(ctx, &visits.iter().map(|b| (b, 1)).collect::<Vec<_>>(), r.sights_per_day() as i32),
        );
        visits
    }

    /// Variety: a cap on sights of one category a day (the pace, labelled); returns the day's
    /// repeat penalties (each sight of a category after the first costs its penalty).
    fn encode_variety(&mut self, f: &Frame<'_, 'c>, v: &DayVars<'c>, visits: &[Bool<'c>]) -> Vec<Int<'c>> {
        let (ctx, p, r) = (self.ctx, f.p, &f.p.request);
        let zero = int(ctx, 0);
        let mut penalties = Vec::new();
        let categories: std::collections::BTreeSet<_> =
            p.candidates.iter().filter(|c| !c.is_food() && !c.is_lodging()).map(|c| c.category).collect();
        for category in categories {
            let members: Vec<usize> =
                (0..p.candidates.len()).filter(|&i| p.candidates[i].category == category).collect();
            let capped = members.len() > r.pace.per_category_per_day() as usize;
            let penalty = r.repeat_penalty(category);
            if !capped && (penalty == 0 || members.len() < 2) {
                continue;
            }
            let of_category: Vec<Bool> = (0..f.slots)
                .map(|k| {
                    let held: Vec<Bool> = members.iter().map(|&i| v.x[k]._eq(&int(ctx, i as i64))).collect();
                    Bool::and(ctx, &[&visits[k], &Bool::or(ctx, &held.iter().collect::<Vec<_>>())])
                })
                .collect();
            if capped {
                let weighted: Vec<(&Bool, i32)> = of_category.iter().map(|b| (b, 1)).collect();
                self.label(Label::Pace, Bool::pb_le(ctx, &weighted, r.pace.per_category_per_day() as i32));
            }
            if penalty > 0 && members.len() > 1 {
                let one = int(ctx, 1);
                let ones: Vec<Int> = of_category.iter().map(|b| b.ite(&one, &zero)).collect();
                let count = Int::add(ctx, &ones.iter().collect::<Vec<_>>());
                let extra = count.ge(&one).ite(&Int::sub(ctx, &[&count, &one]), &zero);
                penalties.push(Int::mul(ctx, &[&extra, &int(ctx, penalty)]));
            }
        }
        penalties
    }

    /// Trip-wide constraints: each place at most once (a fact); must-visits, must-avoids,
    /// cuisines and wheelchair access (labelled).
    fn encode_trip_wide(
        &mut self,
        p: &Problem,
        food: &[usize],
        all_slots: &[(Int<'c>, Bool<'c>)],
        lodging_var: Option<&Int<'c>>,
    ) {
        let (ctx, r, n) = (self.ctx, &p.request, p.candidates.len());
        for a in 0..all_slots.len() {
            for b in a + 1..all_slots.len() {
                let (xa, xb) = (&all_slots[a].0, &all_slots[b].0);
                self.facts
                    .push(Bool::and(ctx, &[&xa.ge(&int(ctx, 0)), &xb.ge(&int(ctx, 0))]).implies(&xa._eq(xb).not()));
            }
        }
        for place in &r.must_visit {
            let hits: Vec<Bool> = (0..n)
                .filter(|&i| p.candidates[i].matches(place))
                .flat_map(|i| all_slots.iter().map(move |(x, visit)| (i, x, visit)))
                .map(|(i, x, visit)| Bool::and(ctx, &[&x._eq(&int(ctx, i as i64)), visit]))
                .collect();
            self.label(Label::MustVisit(place.clone()), Bool::or(ctx, &hits.iter().collect::<Vec<_>>()));
        }
        for place in &r.must_avoid {
            for i in (0..n).filter(|&i| p.candidates[i].matches(place)) {
                let target = int(ctx, i as i64);
                for (x, _) in all_slots {
                    self.label(Label::MustAvoid(place.clone()), x._eq(&target).not());
                }
                if let Some(l) = lodging_var {
                    self.label(Label::MustAvoid(place.clone()), l._eq(&target).not());
                }
            }
        }
        for cuisine in &r.meals.cuisines {
            let c = cuisine.to_lowercase();
            let hits: Vec<Bool> = food
                .iter()
                .filter(|&&i| p.candidates[i].cuisines.contains(&c))
                .flat_map(|&i| all_slots.iter().map(move |(x, visit)| (i, x, visit)))
                .map(|(i, x, visit)| Bool::and(ctx, &[&x._eq(&int(ctx, i as i64)), &visit.not()]))
                .collect();
            self.label(Label::Cuisine(c), Bool::or(ctx, &hits.iter().collect::<Vec<_>>()));
        }
        if let Some(need) = r.wheelchair {
            for (i, c) in p.candidates.iter().enumerate() {
                if !c.accessible(need) {
                    for (x, _) in all_slots {
                        self.label(Label::Wheelchair, x._eq(&int(ctx, i as i64)).not());
                    }
                    if let Some(l) = lodging_var {
                        self.label(Label::Wheelchair, l._eq(&int(ctx, i as i64)).not());
                    }
                }
            }
        }
    }

    /// The lodging's constraints (labelled) and its cost for the trip (the returned term).
    fn encode_lodging(&mut self, p: &Problem, lodgings: &[usize], lodging_var: Option<&Int<'c>>) -> Int<'c> {
        let (ctx, r) = (self.ctx, &p.request);
        let lodging_cost = Int::new_const(ctx, "lodging_cost");
        match lodging_var {
            None => self.facts.push(lodging_cost._eq(&int(ctx, 0))),
            Some(l) => {
                for &i in lodgings {
                    let offer = p.candidates[i].lodging.as_ref();
                    let cost = offer.map_or(0, |o| o.price_per_night.cents()) * i64::from(nights(r.days));
                    self.facts.push(l._eq(&int(ctx, i as i64)).implies(&lodging_cost._eq(&int(ctx, cost))));
                }
                if let Some(spec) = &r.lodging {
                    let allowed = |ok: &dyn Fn(usize) -> bool| -> Bool<'c> {
                        let v: Vec<Bool> =
                            lodgings.iter().filter(|&&i| ok(i)).map(|&i| l._eq(&int(ctx, i as i64))).collect();
                        Bool::or(ctx, &v.iter().collect::<Vec<_>>())
                    };
                    if let Some(place) = &spec.place {
                        let c = allowed(&|i| p.candidates[i].matches(place));
                        self.label(Label::Lodging(place.clone()), c);
                    }
                    if let Some(max) = spec.max_price_per_night {
                        let c =
                            allowed(&|i| p.candidates[i].lodging.as_ref().is_some_and(|o| o.price_per_night <= max));
                        self.label(Label::LodgingMaxPrice, c);
                    }
                    if let Some(room) = spec.room_type {
                        let c =
                            allowed(&|i| p.candidates[i].lodging.as_ref().is_some_and(|o| o.room_type == Some(room)));
                        self.label(Label::RoomType(room), c);
                    }
                    for rule in &spec.house_rules {
                        let c = allowed(&|i| p.candidates[i].lodging.as_ref().is_some_and(|o| o.permits(*rule)));
                        self.label(Label::HouseRule(*rule), c);
                    }
                }
            }
        }
        lodging_cost
    }

    fn labeled_conjunctions(&self) -> Vec<(Label, Bool<'c>)> {
        self.labeled
            .iter()
            .map(|(label, cs)| (label.clone(), Bool::and(self.ctx, &cs.iter().collect::<Vec<_>>())))
            .collect()
    }
}

/// Solves `problem` with z3 within `time_limit` (for the whole search).
///
/// Feasibility is checked first with every labelled constraint behind a tracking literal; an
/// unsat answer yields the core, minimised by deletion. Then the visit score is maximised and,
/// at that score, the travel time minimised, each by binary search over the objective's value
/// with incremental solver calls; `optimal` says both searches closed before the deadline and
/// no day used all [`DEFAULT_VISITS_PER_DAY`] visit slots of an uncapped request (more might fit).
/// A plan whose score search did not close is a time-out with that plan.
pub fn solve(problem: &Problem, time_limit: Duration) -> Result<Outcome, PlanError> {
    let ctx = Context::new(&Config::new());
    let (enc, solver, tracks) = prepare(&ctx, problem, time_limit)?;
    let all: Vec<Bool> = tracks.iter().map(|t| t.1.clone()).collect();
    let first = match solver.check(&all) {
        SatResult::Unknown => return Ok(Outcome::Timeout { plan: None }),
        SatResult::Unsat => {
            let core = minimise_core(&solver, &tracks, &solver.solver.get_unsat_core());
            return Ok(Outcome::Infeasible { core });
        }
        SatResult::Sat => match solver.solver.get_model() {
            Some(m) => m,
            None => return Ok(Outcome::Timeout { plan: None }),
        },
    };
    let score_bound: i64 = problem.candidates.iter().map(|c| (c.score * 100.0).round() as i64).filter(|s| *s > 0).sum();
    // Repeat penalties can take a plan forced to repeat a category below 0.
    let (best, score_proven) = solver.optimise(&all, &enc.score, true, first, (i64::MIN / 4, score_bound));
    let best_score = value(&best, &enc.score);
    solver.solver.push();
    solver.solver.assert(&enc.score.ge(&int(&ctx, best_score)));
    let (best, travel_proven) = solver.optimise(&all, &enc.travel, false, best, (0, i64::MAX / 4));
    solver.solver.pop(1);
    let plan = extract(problem, &enc, &best);
    // A day has max(cap, DEFAULT_VISITS_PER_DAY) slots, never fewer than the request's cap, so
    // the encoding loses no plan the request allows.
    Ok(if score_proven && travel_proven {
        Outcome::Feasible { plan, optimal: true }
    } else if score_proven {
        Outcome::Feasible { plan, optimal: false }
    } else {
        Outcome::Timeout { plan: Some(plan) }
    })
}

/// Each label with the literal that tracks its constraints.
type Tracks<'c> = Vec<(Label, Bool<'c>)>;

/// Encodes `problem`: facts asserted, each label's constraints behind a tracking literal.
fn prepare<'c>(
    ctx: &'c Context,
    problem: &Problem,
    time_limit: Duration,
) -> Result<(Encoding<'c>, TimedSolver<'c>, Tracks<'c>), PlanError> {
    let enc = Encoding::build(ctx, problem)?;
    let solver = TimedSolver::new(ctx, Instant::now() + time_limit);
    for f in &enc.facts {
        solver.solver.assert(f);
    }
    let tracks = enc
        .labeled_conjunctions()
        .into_iter()
        .enumerate()
        .map(|(i, (label, c))| {
            let t = Bool::new_const(ctx, format!("track_{i}"));
            solver.solver.assert(&t.implies(&c));
            (label, t)
        })
        .collect();
    Ok((enc, solver, tracks))
}

/// Whether the request's constraints, except those whose labels are in `relaxed`, can all hold
/// together (`None` when the time limit passes first). Used to verify cores and repairs.
pub fn is_feasible(problem: &Problem, time_limit: Duration, relaxed: &[Label]) -> Result<Option<bool>, PlanError> {
    let ctx = Context::new(&Config::new());
    let (_, solver, tracks) = prepare(&ctx, problem, time_limit)?;
    let kept: Vec<Bool> = tracks.iter().filter(|(l, _)| !relaxed.contains(l)).map(|t| t.1.clone()).collect();
    Ok(solver.feasible(&kept))
}

/// Every label the encoding of `problem` asserts.
pub fn asserted_labels(problem: &Problem) -> Result<Vec<Label>, PlanError> {
    let ctx = Context::new(&Config::new());
    let labels = Encoding::build(&ctx, problem)?.labeled.into_keys().collect();
    Ok(labels)
}

/// The labels of z3's `core`, minimised by deletion with the same solver (each check keeps the
/// core's labels that are not relaxed).
fn minimise_core(solver: &TimedSolver, tracks: &[(Label, Bool)], core: &[Bool]) -> Vec<Label> {
    let members: Vec<&(Label, Bool)> = tracks.iter().filter(|(_, t)| core.iter().any(|c| c == t)).collect();
    let labels = members.iter().map(|m| m.0.clone()).collect();
    crate::cores::minimal_core(labels, |relaxed| {
        let kept: Vec<Bool> = members.iter().filter(|m| !relaxed.contains(&m.0)).map(|m| m.1.clone()).collect();
        solver.feasible(&kept)
    })
}

/// Reads the plan out of a model: the stops of each slot in order, then the shared assembly.
fn extract(p: &Problem, enc: &Encoding, m: &Model) -> Itinerary {
    let lodging = enc.lodging.as_ref().map(|l| value(m, l) as usize).filter(|&l| l < p.candidates.len());
    let days = enc
        .days
        .iter()
        .map(|v| {
            (0..v.x.len())
                .map(|k| (value(m, &v.x[k]), k))
                .take_while(|(x, _)| *x >= 0)
                .map(|(x, k)| {
                    let kind = value(m, &v.kind[k]);
                    let activity = MealKind::ALL
                        .into_iter()
                        .find(|mk| meal_code(*mk) == kind)
                        .map_or(Activity::Visit, Activity::Meal);
                    Chosen { candidate: x as usize, activity, start: value(m, &v.start[k]), end: value(m, &v.end[k]) }
                })
                .collect()
        })
        .collect();
    assemble(p, lodging, days)
}
