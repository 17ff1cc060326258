//! One sequence's z3 model, encoded family by family: the nights in each city; the legs (one
//! transport option each, self-driving never mixed with flights or taxis); the stays (one
//! accommodation for at least its minimum nights, three meals a full day plus the travel days'
//! optional meals, an attraction a day); the plan's completeness; and every user constraint
//! behind its tracking literal. [`Search::build`] asserts them in one fixed order.

use super::{LegOption, Search, SeqModel};
use crate::instance::Constraint;
use tripsmith_planner::z3_solver::TimedSolver;
use z3::ast::{Ast, Bool, Int};
use z3::{Context, Solver};

/// A sequence's model under construction: the solver so far and the terms of the cost.
struct Encoder<'s, 'c, 'i> {
    search: &'s Search<'c, 'i>,
    ctx: &'c Context,
    seq: &'s [usize],
    solver: Solver<'c>,
    /// The cost for the party, cents, one term per priced choice.
    cost_terms: Vec<Int<'c>>,
    /// The numerals 0 and 1, made first (z3 numbers its terms in the order they are made, and
    /// its search follows that order).
    zero: Int<'c>,
    one: Int<'c>,
}

/// The choices of each leg: a literal per transport option.
type Legs<'c> = Vec<Vec<(Bool<'c>, LegOption)>>;
/// The choices of each visited city: a literal per accommodation or restaurant (by index).
type Picks<'c> = Vec<Vec<(Bool<'c>, usize)>>;

impl<'s, 'c> Encoder<'s, 'c, '_> {
    fn int(&self, v: i64) -> Int<'c> {
        Int::from_i64(self.ctx, v)
    }

    /// The `i`-th visited city.
    fn city(&self, i: usize) -> &'s str {
        let search: &'s Search = self.search;
        search.places[self.seq[i]].as_str()
    }

    /// Nights in each city: at least one, the trip's days less one in all.
    fn nights(&mut self) -> Vec<Int<'c>> {
        let nights: Vec<Int> = (0..self.seq.len()).map(|i| Int::new_const(self.ctx, format!("nights_{i}"))).collect();
        for n in &nights {
            self.solver.assert(&n.ge(&self.one));
        }
        let days = self.search.inst.days as i64;
        self.solver.assert(&Int::add(self.ctx, &nights.iter().collect::<Vec<_>>())._eq(&self.int(days - 1)));
        nights
    }

    /// The legs: origin → first city, ..., last city → origin, one option each (a flight of
    /// the leg's day, self-driving or a taxi); self-driving is not mixed with the others.
    fn legs(&mut self, nights: &[Int<'c>]) -> Legs<'c> {
        let (ctx, inst) = (self.ctx, self.search.inst);
        let people = i64::from(inst.people);
        let k = self.seq.len();
        let zero = &self.zero;
        let mut legs = Vec::new();
        let mut day = self.zero.clone();
        for j in 0..=k {
            let from = if j == 0 { inst.org.as_str() } else { self.city(j - 1) };
            let to = if j == k { inst.org.as_str() } else { self.city(j) };
            let mut options = Vec::new();
            for f in self.search.flight_options(from, to, j, k + 1) {
                let b = Bool::new_const(ctx, format!("leg_{j}_flight_{f}"));
                self.solver.assert(&b.implies(&day._eq(&self.int(inst.flights[f].day as i64))));
                self.cost_terms.push(b.ite(&self.int(inst.flights[f].flight.price.cents() * people), zero));
                options.push((b, LegOption::Flight(f)));
            }
            if let Some(d) = inst.drives.get(&(from.to_string(), to.to_string())) {
                let drive = Bool::new_const(ctx, format!("leg_{j}_drive"));
                let driving = d.self_driving_cost().cents() * i64::from(inst.cars());
                self.cost_terms.push(drive.ite(&self.int(driving), zero));
                options.push((drive, LegOption::Drive));
                let taxi = Bool::new_const(ctx, format!("leg_{j}_taxi"));
                self.cost_terms.push(taxi.ite(&self.int(d.taxi_cost().cents() * i64::from(inst.taxis())), zero));
                options.push((taxi, LegOption::Taxi));
            }
            let weights: Vec<(&Bool, i32)> = options.iter().map(|(b, _)| (b, 1)).collect();
            self.solver.assert(&Bool::pb_eq(ctx, &weights, 1));
            legs.push(options);
            if let Some(n) = nights.get(j) {
                day = Int::add(ctx, &[&day, n]);
            }
        }
        let of_kind = |pick: &dyn Fn(LegOption) -> bool| -> Vec<Bool> {
            legs.iter().flatten().filter(|(_, o)| pick(*o)).map(|(b, _)| b.clone()).collect()
        };
        let drives = of_kind(&|o| o == LegOption::Drive);
        let others = of_kind(&|o| o != LegOption::Drive);
        let any = |bs: &[Bool<'c>]| Bool::or(ctx, &bs.iter().collect::<Vec<_>>());
        self.solver.assert(&Bool::and(ctx, &[&any(&drives), &any(&others)]).not());
        legs
    }

    /// The travel days' optional meals and attraction, on each side of every leg: meals in the
    /// city left (departure) and the city reached (arrival), at most three in all, and an
    /// attraction on one side at most; none in the origin.
    fn travel_day_extras(&mut self) -> (Vec<[Int<'c>; 2]>, Vec<[Bool<'c>; 2]>) {
        let k = self.seq.len();
        let (mut extra_meals, mut extra_sights) = (Vec::new(), Vec::new());
        for j in 0..=k {
            let side = |s: usize, name: &str| {
                let open = if s == 0 { j > 0 } else { j < k };
                let m = Int::new_const(self.ctx, format!("leg_{j}_{name}_meals"));
                let t = Bool::new_const(self.ctx, format!("leg_{j}_{name}_sight"));
                self.solver.assert(&m.ge(&self.zero));
                self.solver.assert(&m.le(&self.int(if open { 3 } else { 0 })));
                if !open {
                    self.solver.assert(&t.not());
                }
                (m, t)
            };
            let (dm, dt) = side(0, "departure");
            let (am, at) = side(1, "arrival");
            self.solver.assert(&Int::add(self.ctx, &[&dm, &am]).le(&self.int(3)));
            self.solver.assert(&Bool::and(self.ctx, &[&dt, &at]).not());
            extra_meals.push([dm, am]);
            extra_sights.push([dt, at]);
        }
        (extra_meals, extra_sights)
    }

    /// 1 when `b` holds, else 0.
    fn count(&self, b: &Bool<'c>) -> Int<'c> {
        b.ite(&self.one, &self.zero)
    }

    /// Each city's stay: one accommodation for at least its minimum nights, a restaurant for
    /// each meal (three a full day and the travel days' extras), no more attractions than the
    /// city has.
    fn stays(
        &mut self,
        nights: &[Int<'c>],
        extra_meals: &[[Int<'c>; 2]],
        extra_sights: &[[Bool<'c>; 2]],
    ) -> (Picks<'c>, Picks<'c>) {
        let (ctx, inst) = (self.ctx, self.search.inst);
        let people = i64::from(inst.people);
        let zero = &self.zero;
        let (mut lodging, mut eat) = (Vec::new(), Vec::new());
        for i in 0..self.seq.len() {
            let c = self.city(i);
            let accs = &inst.accommodations[c];
            let mut options = Vec::new();
            for a in self.search.lodging_options(c) {
                let acc = &accs[a];
                let b = Bool::new_const(ctx, format!("stay_{i}_at_{a}"));
                self.solver.assert(&b.implies(&nights[i].ge(&self.int(i64::from(acc.minimum_nights)))));
                let nightly = acc.price.cents() * i64::from(inst.rooms(acc));
                self.cost_terms.push(b.ite(&Int::mul(ctx, &[&nights[i], &self.int(nightly)]), zero));
                options.push((b, a));
            }
            let weights: Vec<(&Bool, i32)> = options.iter().map(|(b, _)| (b, 1)).collect();
            self.solver.assert(&Bool::pb_eq(ctx, &weights, 1));
            lodging.push(options);
            let full_days = Int::sub(ctx, &[&nights[i], &self.one]);
            let meals = Int::add(
                ctx,
                &[&Int::mul(ctx, &[&full_days, &self.int(3)]), &extra_meals[i][1], &extra_meals[i + 1][0]],
            );
            let rests = &inst.restaurants.get(c).map(Vec::as_slice).unwrap_or_default();
            let mut chosen = Vec::new();
            for r in self.search.restaurant_options(c) {
                let b = Bool::new_const(ctx, format!("eat_{i}_at_{r}"));
                self.cost_terms.push(b.ite(&self.int(rests[r].average_cost.cents() * people), zero));
                chosen.push((b, r));
            }
            let counts: Vec<Int> = chosen.iter().map(|(b, _)| self.count(b)).collect();
            let eaten =
                if counts.is_empty() { zero.clone() } else { Int::add(ctx, &counts.iter().collect::<Vec<_>>()) };
            self.solver.assert(&eaten._eq(&meals));
            eat.push(chosen);
            let sights = inst.sights.get(c).map_or(0, Vec::len) as i64;
            let visits =
                Int::add(ctx, &[&full_days, &self.count(&extra_sights[i][1]), &self.count(&extra_sights[i + 1][0])]);
            self.solver.assert(&visits.le(&self.int(sights)));
        }
        (lodging, eat)
    }

    /// At least half of the 6 fields a day filled: 5 on a full day, transport on a travel day,
    /// accommodation on every travel day but the last; the rest from travel-day meals and
    /// attractions.
    fn completeness(&mut self, extra_meals: &[[Int<'c>; 2]], extra_sights: &[[Bool<'c>; 2]]) {
        let days = self.search.inst.days as i64;
        let k = self.seq.len() as i64;
        let base = 5 * (days - k - 1) + (k + 1) + k;
        let mut extras: Vec<Int> = extra_meals.iter().flatten().cloned().collect();
        extras.extend(extra_sights.iter().flatten().map(|b| self.count(b)));
        self.solver.assert(&Int::add(self.ctx, &extras.iter().collect::<Vec<_>>()).ge(&self.int(3 * days - base)));
    }

    /// What user constraint `c` asks of the choices.
    fn constraint(
        &self,
        c: &Constraint,
        cost: &Int<'c>,
        legs: &Legs<'c>,
        lodging: &Picks<'c>,
        eat: &Picks<'c>,
    ) -> Bool<'c> {
        let (ctx, inst) = (self.ctx, self.search.inst);
        let forbid = |bs: Vec<&Bool<'c>>| {
            Bool::and(ctx, &bs.into_iter().map(Bool::not).collect::<Vec<_>>().iter().collect::<Vec<_>>())
        };
        match c {
            Constraint::Budget(b) => cost.le(&self.int(b.cents())),
            Constraint::HouseRule(_) | Constraint::RoomType(_) => forbid(
                lodging
                    .iter()
                    .enumerate()
                    .flat_map(|(i, opts)| opts.iter().map(move |(b, a)| (i, b, *a)))
                    .filter(|(i, _, a)| !c.allows_accommodation(&inst.accommodations[self.city(*i)][*a]))
                    .map(|(_, b, _)| b)
                    .collect(),
            ),
            Constraint::Cuisine(x) => {
                let with: Vec<&Bool> = eat
                    .iter()
                    .enumerate()
                    .flat_map(|(i, opts)| opts.iter().map(move |(b, r)| (i, b, *r)))
                    .filter(|(i, _, r)| {
                        inst.restaurants[self.city(*i)][*r].cuisines.iter().any(|y| y.eq_ignore_ascii_case(x))
                    })
                    .map(|(_, b, _)| b)
                    .collect();
                Bool::or(ctx, &with)
            }
            Constraint::NoFlight | Constraint::NonStop | Constraint::Airlines(_) => forbid(
                legs.iter()
                    .flatten()
                    .filter(|(_, o)| matches!(o, LegOption::Flight(f) if !c.allows_flight(&inst.flights[*f])))
                    .map(|(b, _)| b)
                    .collect(),
            ),
            Constraint::NoSelfDriving | Constraint::FlightOnly => forbid(
                legs.iter()
                    .flatten()
                    .filter(|(_, o)| match o {
                        LegOption::Drive => !c.allows_road(false),
                        LegOption::Taxi => !c.allows_road(true),
                        LegOption::Flight(_) => false,
                    })
                    .map(|(b, _)| b)
                    .collect(),
            ),
            Constraint::AttractionCategory(x) => {
                Bool::from_bool(ctx, (0..self.seq.len()).any(|i| self.search.has_category(self.city(i), x)))
            }
        }
    }
}

impl<'c> Search<'c, '_> {
    /// The z3 model of one sequence of cities.
    pub(super) fn build(&self, seq: &[usize]) -> SeqModel<'c> {
        let ctx = self.ctx;
        let (zero, one) = (Int::from_i64(ctx, 0), Int::from_i64(ctx, 1));
        let mut e = Encoder { search: self, ctx, seq, solver: Solver::new(ctx), cost_terms: Vec::new(), zero, one };
        let nights = e.nights();
        let legs = e.legs(&nights);
        let (mut lodging, mut eat, mut extra_meals, mut extra_sights) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        if self.inst.stays {
            (extra_meals, extra_sights) = e.travel_day_extras();
            (lodging, eat) = e.stays(&nights, &extra_meals, &extra_sights);
            e.completeness(&extra_meals, &extra_sights);
        }
        let cost = Int::add(ctx, &e.cost_terms.iter().collect::<Vec<_>>());
        // User constraints, each behind its tracking literal.
        let mut tracks = Vec::new();
        for (n, c) in self.inst.constraints.iter().enumerate() {
            let t = Bool::new_const(ctx, format!("track_{n}"));
            e.solver.assert(&t.implies(&e.constraint(c, &cost, &legs, &lodging, &eat)));
            tracks.push(t);
        }
        let solver = TimedSolver { ctx, solver: e.solver, deadline: self.deadline };
        SeqModel { solver, tracks, nights, legs, lodging, eat, extra_meals, extra_sights, cost }
    }
}
