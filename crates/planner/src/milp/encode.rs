//! The MILP's encoders, one per constraint family: the lodging choice; each day's stop
//! variables (opening and meal windows), arcs, flow, times along arcs, length, meals, sights
//! cap, variety (pace and repeat penalties), travel limit, and its score and spending; then the
//! trip-wide once-each, must-visit, cuisine and budget constraints. [`Model::build`] calls them
//! in one fixed order, so a request always gives HiGHS the same model; each family leaves out
//! what a relaxed label switches off.

use super::{
    barred, lodging_allowed, nearest_arcs, start_windows, stop_options, sum, ArcVar, DayModel, Depot, Labels, Layout,
    Model, Node, StopOption, Use, FULL_ARCS_UP_TO, HORIZON,
};
use crate::catalog::Problem;
use crate::itinerary::{nights, Activity};
use crate::label::Label;
use crate::outcome::PlanError;
use crate::request::MealKind;
use good_lp::{constraint, variable, Constraint, Expression, ProblemVariables, Variable};
use std::collections::BTreeSet;
use tripsmith_model::Category;

/// A model under construction: its variables, constraints and objective so far.
struct Encoder<'a> {
    p: &'a Problem,
    keep: Labels<'a>,
    /// Whether the objective is built (feasibility questions need none).
    optimise: bool,
    vars: ProblemVariables,
    constraints: Vec<Constraint>,
    objective: Expression,
    /// The stops' prices a head over the trip (cents).
    spent: Expression,
    /// The weight of score against travel minutes, above any trip's minutes.
    weight: f64,
}

/// The lodging variables (each allowed lodging with its binary) and where days start and end.
type Lodgings = (Vec<(usize, Variable)>, Vec<Depot>);

/// What a day's encoders share: the stop options, the day's variables, its arcs and bounds.
struct Day<'m> {
    options: &'m [StopOption],
    uses: &'m [Option<Use>],
    arcs: &'m [ArcVar],
    /// Start and end minute of the day as modelled.
    start: i64,
    end: i64,
}

impl Day<'_> {
    /// The use binaries of the options `wanted` picks.
    fn used(&self, wanted: impl Fn(&StopOption) -> bool) -> (Expression, usize) {
        sum(self.options.iter().zip(self.uses).filter_map(|(o, s)| {
            wanted(o).then_some(())?;
            s.as_ref().map(|s| (1.0, s.u))
        }))
    }
}

impl Encoder<'_> {
    /// Travel between candidates on trip day `d` (0-based) under the request's mode and leg
    /// limits: (minutes, metres).
    fn leg(&self, d: usize, a: usize, b: usize) -> Option<(i64, i64)> {
        let r = &self.p.request;
        let found = self.p.travel.leg(d, a, b).map(|l| (l.minutes, l.metres));
        let (mins, metres) = match found {
            Some(l) => l,
            None if !self.keep.kept(&Label::TravelModes) => (0, 0),
            None => return None,
        };
        let too_long = r
            .travel
            .max_per_leg_m
            .is_some_and(|lim| self.keep.kept(&Label::TravelMaxPerLeg) && f64::from(metres) > lim);
        (!too_long).then_some((i64::from(mins), i64::from(metres)))
    }

    /// Travel on trip day `d` between a depot and candidate `i`, leaving the depot when `outbound`.
    fn depot_leg(&self, d: usize, depot: Depot, i: usize, outbound: bool) -> Option<(i64, i64)> {
        match depot {
            Depot::Free => Some((0, 0)),
            Depot::Lodging(l) if outbound => self.leg(d, l, i),
            Depot::Lodging(l) => self.leg(d, i, l),
        }
    }

    /// Lodging: one chosen among those the request allows. `None` when none is allowed.
    fn lodgings(&mut self) -> Result<Option<Lodgings>, PlanError> {
        let p = self.p;
        let r = &p.request;
        let lodgings: Vec<usize> = (0..p.candidates.len()).filter(|&i| p.candidates[i].is_lodging()).collect();
        let needs_lodging = r.return_to_base || r.lodging.is_some();
        if needs_lodging && lodgings.is_empty() {
            return Err(PlanError::NoLodging);
        }
        let allowed: Vec<usize> = if needs_lodging {
            let keep = &self.keep;
            lodgings.iter().copied().filter(|&l| !barred(p, keep, l) && lodging_allowed(p, l, keep)).collect()
        } else {
            Vec::new()
        };
        if needs_lodging && allowed.is_empty() {
            return Ok(None);
        }
        let lodging_vars: Vec<(usize, Variable)> =
            allowed.iter().map(|&l| (l, self.vars.add(variable().binary()))).collect();
        if needs_lodging {
            self.constraints.push(constraint::eq(sum(lodging_vars.iter().map(|(_, y)| (1.0, *y))).0, 1.0));
        }
        let depots =
            if r.return_to_base { allowed.iter().map(|&l| Depot::Lodging(l)).collect() } else { vec![Depot::Free] };
        Ok(Some((lodging_vars, depots)))
    }

    /// Each option's use binary and start time on trip day `d` (0-based), inside its opening
    /// intervals and meal window; a binary per interval when there are several.
    fn stop_variables(&mut self, d: usize, options: &[StopOption], bounds: (i64, i64)) -> Vec<Option<Use>> {
        let mut uses = Vec::with_capacity(options.len());
        for o in options {
            let keep_meal = match o.activity {
                Activity::Meal(kind) => self.keep.kept(&Label::Meal(kind)),
                Activity::Visit => true,
            };
            let windows = start_windows(self.p, o, d, keep_meal, bounds);
            let (Some(first), Some(hi)) = (windows.first(), windows.iter().map(|w| w.1).max()) else {
                uses.push(None);
                continue;
            };
            let lo = first.0;
            let u = self.vars.add(variable().binary());
            let t = self.vars.add(variable().min(lo as f64).max(hi as f64));
            let mut choice = Vec::new();
            if windows.len() > 1 {
                choice = windows.iter().map(|_| self.vars.add(variable().binary())).collect();
                self.constraints.push(constraint::eq(sum(choice.iter().map(|w| (1.0, *w))).0 - u, 0.0));
                let low = sum(windows.iter().zip(&choice).map(|(w, c)| (w.0 as f64, *c))).0;
                let high = sum(windows.iter().zip(&choice).map(|(w, c)| (w.1 as f64, *c))).0;
                self.constraints.push(constraint::geq(t - low, 0.0));
                self.constraints.push(constraint::leq(t - high + (hi as f64) * u, hi as f64));
            }
            uses.push(Some(Use { u, t, windows, choice }));
        }
        uses
    }

    /// The arcs some schedule of the day could use: between options (the nearest ones only
    /// when `near` says so) and between options and each depot.
    fn arcs(
        &mut self,
        d: usize,
        options: &[StopOption],
        uses: &[Option<Use>],
        depots: &[Depot],
        near: Option<&Vec<Vec<bool>>>,
        (day_start, day_end): (i64, i64),
    ) -> Vec<ArcVar> {
        let mut arcs = Vec::new();
        let earliest_end = |o: usize| uses[o].as_ref().map(|s| s.windows[0].0 + options[o].minutes);
        let latest_start = |o: usize| uses[o].as_ref().and_then(|s| s.windows.last()).map(|w| w.1);
        for (a, oa) in options.iter().enumerate() {
            let Some(ready) = earliest_end(a) else { continue };
            for (b, ob) in options.iter().enumerate() {
                if oa.candidate == ob.candidate || near.is_some_and(|keep| !keep[a][b]) {
                    continue;
                }
                let (Some(latest), Some((mins, metres))) = (latest_start(b), self.leg(d, oa.candidate, ob.candidate))
                else {
                    continue;
                };
                if ready + mins <= latest {
                    let x = self.vars.add(variable().binary());
                    arcs.push(ArcVar { from: Node::Option(a), to: Node::Option(b), minutes: mins, metres, x });
                }
            }
        }
        for (k, &depot) in depots.iter().enumerate() {
            for (o, opt) in options.iter().enumerate() {
                let (Some(ready), Some(latest)) = (earliest_end(o), latest_start(o)) else { continue };
                if let Some((mins, metres)) = self.depot_leg(d, depot, opt.candidate, true) {
                    if day_start + mins <= latest {
                        let x = self.vars.add(variable().binary());
                        arcs.push(ArcVar { from: Node::Depot(k), to: Node::Option(o), minutes: mins, metres, x });
                    }
                }
                if let Some((mins, metres)) = self.depot_leg(d, depot, opt.candidate, false) {
                    if ready + mins <= day_end {
                        let x = self.vars.add(variable().binary());
                        arcs.push(ArcVar { from: Node::Option(o), to: Node::Depot(k), minutes: mins, metres, x });
                    }
                }
            }
        }
        arcs
    }

    /// Flow: each used option entered and left once; each depot left as often as entered, and
    /// only a chosen lodging left at all.
    fn flow(&mut self, day: &Day, depots: &[Depot], lodging_vars: &[(usize, Variable)]) {
        let n = day.options.len();
        let mut inflow: Vec<Expression> = vec![Expression::from(0.0); n];
        let mut outflow: Vec<Expression> = vec![Expression::from(0.0); n];
        let mut depot_out: Vec<Expression> = vec![Expression::from(0.0); depots.len()];
        let mut depot_in: Vec<Expression> = vec![Expression::from(0.0); depots.len()];
        for arc in day.arcs {
            match arc.from {
                Node::Option(a) => outflow[a] += arc.x,
                Node::Depot(k) => depot_out[k] += arc.x,
            }
            match arc.to {
                Node::Option(b) => inflow[b] += arc.x,
                Node::Depot(k) => depot_in[k] += arc.x,
            }
        }
        for (o, s) in day.uses.iter().enumerate() {
            if let Some(s) = s {
                self.constraints.push(constraint::eq(inflow[o].clone() - s.u, 0.0));
                self.constraints.push(constraint::eq(outflow[o].clone() - s.u, 0.0));
            }
        }
        for (k, depot) in depots.iter().enumerate() {
            self.constraints.push(constraint::eq(depot_out[k].clone() - depot_in[k].clone(), 0.0));
            let open = match depot {
                Depot::Lodging(l) => lodging_vars.iter().find(|(i, _)| i == l).map(|(_, y)| Expression::from(*y)),
                Depot::Free => None,
            };
            self.constraints.push(constraint::leq(depot_out[k].clone() - open.unwrap_or(Expression::from(1.0)), 0.0));
        }
    }

    /// Times along arcs (this also forbids sub-tours): a stop starts after the previous one
    /// ends plus the leg, the first after the day starts, the last back by the day's end.
    fn times_along_arcs(&mut self, day: &Day) {
        let options = day.options;
        for arc in day.arcs {
            match (arc.from, arc.to) {
                (Node::Option(a), Node::Option(b)) => {
                    let (Some(sa), Some(sb)) = (&day.uses[a], &day.uses[b]) else { continue };
                    let gap = (options[a].minutes + arc.minutes).max(1);
                    let hi_a = sa.windows.iter().map(|w| w.1).max().unwrap_or(0);
                    let big = (hi_a + gap - sb.windows[0].0) as f64;
                    if big > 0.0 {
                        // t_b ≥ t_a + gap − big·(1 − x)
                        self.constraints.push(constraint::geq(sb.t - sa.t - big * arc.x, gap as f64 - big));
                    }
                }
                (Node::Depot(_), Node::Option(b)) => {
                    let Some(sb) = &day.uses[b] else { continue };
                    let need = day.start + arc.minutes;
                    let big = (need - sb.windows[0].0) as f64;
                    if big > 0.0 {
                        self.constraints.push(constraint::geq(sb.t - big * arc.x, need as f64 - big));
                    }
                }
                (Node::Option(a), Node::Depot(_)) => {
                    let Some(sa) = &day.uses[a] else { continue };
                    let hi_a = sa.windows.iter().map(|w| w.1).max().unwrap_or(0);
                    let finish = options[a].minutes + arc.minutes;
                    let big = (hi_a + finish - day.end) as f64;
                    if big > 0.0 {
                        // t_a + finish ≤ day_end + big·(1 − x)
                        self.constraints.push(constraint::leq(sa.t + big * arc.x, (day.end - finish) as f64 + big));
                    }
                }
                (Node::Depot(_), Node::Depot(_)) => {}
            }
        }
    }

    /// A valid inequality that tightens the LP bound: stops plus travel fit in the day.
    fn day_length(&mut self, day: &Day) {
        let mut busy =
            sum(day.options.iter().zip(day.uses).filter_map(|(o, s)| Some((o.minutes as f64, s.as_ref()?.u)))).0;
        for arc in day.arcs {
            busy += (arc.minutes as f64) * arc.x;
        }
        self.constraints.push(constraint::leq(busy, (day.end - day.start) as f64));
    }

    /// Each kept meal once a day. `false` when a meal has no venue that day.
    fn meals(&mut self, day: &Day) -> bool {
        let r = &self.p.request;
        for kind in MealKind::ALL {
            if r.meal(kind).is_none() || !self.keep.kept(&Label::Meal(kind)) {
                continue;
            }
            let (meals, count) = day.used(|o| o.activity == Activity::Meal(kind));
            if count == 0 {
                return false;
            }
            self.constraints.push(constraint::eq(meals, 1.0));
        }
        true
    }

    /// The cap on sights a day (the request's own, or the pace's).
    fn sights_cap(&mut self, day: &Day) {
        let r = &self.p.request;
        if self.keep.kept(&r.sights_per_day_label()) {
            let (visits, _) = day.used(|o| o.activity == Activity::Visit);
            self.constraints.push(constraint::leq(visits, f64::from(r.sights_per_day())));
        }
    }

    /// Variety: a cap on sights of one category a day (the pace), and each after the first
    /// costs the category's repeat penalty: `y ≥ visits − 1`, `y ≥ 0`. Returns the penalised
    /// categories with their `y` and penalty.
    fn variety(&mut self, day: &Day) -> Vec<(Category, Variable, i64)> {
        let r = &self.p.request;
        let mut repeats = Vec::new();
        let categories: BTreeSet<_> = day.options.iter().map(|o| o.category).collect();
        for category in categories {
            let (visits, count) = day.used(|o| o.activity == Activity::Visit && o.category == category);
            let penalty = r.repeat_penalty(category);
            if self.optimise && penalty > 0 && count > 1 {
                let y = self.vars.add(variable().min(0.0));
                self.constraints.push(constraint::geq(y - visits.clone(), -1.0));
                self.objective -= (penalty as f64 * self.weight) * y;
                repeats.push((category, y, penalty));
            }
            if self.keep.kept(&Label::Pace) && count > r.pace.per_category_per_day() as usize {
                self.constraints.push(constraint::leq(visits, f64::from(r.pace.per_category_per_day())));
            }
        }
        repeats
    }

    /// The request's limit on metres of travel a day.
    fn travel_per_day(&mut self, day: &Day) {
        let limit = self.p.request.travel.max_per_day_m;
        if let (Some(limit), true) = (limit, self.keep.kept(&Label::TravelMaxPerDay)) {
            let (metres, _) = sum(day.arcs.iter().map(|a| (a.metres as f64, a.x)));
            self.constraints.push(constraint::leq(metres, limit.floor()));
        }
    }

    /// The day's share of the objective (score, less travel minutes) and of the spending.
    fn score_and_spending(&mut self, day: &Day) {
        for (o, s) in day.options.iter().zip(day.uses) {
            if let Some(s) = s {
                self.spent += (o.price as f64) * s.u;
                if self.optimise {
                    self.objective += (o.score as f64 * self.weight) * s.u;
                }
            }
        }
        if self.optimise {
            for arc in day.arcs {
                self.objective -= (arc.minutes as f64) * arc.x;
            }
        }
    }

    /// Trip day `d` (0-based), every family of its constraints. `None` when a kept meal has
    /// no venue that day.
    fn day(
        &mut self,
        d: usize,
        options: &[StopOption],
        (lodging_vars, depots): &Lodgings,
        near: Option<&Vec<Vec<bool>>>,
    ) -> Option<DayModel> {
        let p = self.p;
        let r = &p.request;
        let n = d as u32 + 1;
        let (start, end) = r.day_window(n);
        let keep_start = self.keep.kept(&Label::DayStart(n));
        let keep_end = self.keep.kept(&Label::DayEnd(n));
        let day_start = if keep_start { i64::from(start.minutes()) } else { 0 };
        let day_end = if keep_end { i64::from(end.minutes()) } else { HORIZON };
        let uses = self.stop_variables(d, options, (day_start, day_end));
        let arcs = self.arcs(d, options, &uses, depots, near, (day_start, day_end));
        let day = Day { options, uses: &uses, arcs: &arcs, start: day_start, end: day_end };
        self.flow(&day, depots, lodging_vars);
        self.times_along_arcs(&day);
        if keep_start && keep_end {
            self.day_length(&day);
        }
        if !self.meals(&day) {
            return None;
        }
        self.sights_cap(&day);
        let repeats = self.variety(&day);
        self.travel_per_day(&day);
        self.score_and_spending(&day);
        let keep = &self.keep;
        let meals = MealKind::ALL.into_iter().filter(|k| r.meal(*k).is_some() && keep.kept(&Label::Meal(*k))).collect();
        let visit_cap = keep.kept(&r.sights_per_day_label()).then(|| r.sights_per_day());
        let max_travel_m = r.travel.max_per_day_m.filter(|_| keep.kept(&Label::TravelMaxPerDay));
        let per_category = keep.kept(&Label::Pace).then(|| r.pace.per_category_per_day());
        Some(DayModel {
            uses,
            arcs,
            start: day_start,
            end: day_end,
            meals,
            visit_cap,
            per_category,
            max_travel_m,
            repeats,
        })
    }

    /// Trip-wide: each place at most once.
    fn once_each(&mut self, options: &[StopOption], days: &[DayModel]) {
        for i in 0..self.p.candidates.len() {
            let (times, count) = trip_uses(options, days, |o| o.candidate == i);
            if count > 1 {
                self.constraints.push(constraint::leq(times, 1.0));
            }
        }
    }

    /// Each kept must-visit place visited. `false` when one has no visit in any day.
    fn must_visits(&mut self, options: &[StopOption], days: &[DayModel]) -> bool {
        let p = self.p;
        for place in &p.request.must_visit {
            if !self.keep.kept(&Label::MustVisit(place.clone())) {
                continue;
            }
            let (visits, count) =
                trip_uses(options, days, |o| o.activity == Activity::Visit && p.candidates[o.candidate].matches(place));
            if count == 0 {
                return false;
            }
            self.constraints.push(constraint::geq(visits, 1.0));
        }
        true
    }

    /// Each kept cuisine served at some meal. `false` when no meal of the trip can serve one.
    fn cuisines(&mut self, options: &[StopOption], days: &[DayModel]) -> bool {
        let p = self.p;
        for cuisine in &p.request.meals.cuisines {
            let c = cuisine.to_lowercase();
            if !self.keep.kept(&Label::Cuisine(c.clone())) {
                continue;
            }
            let (meals, count) = trip_uses(options, days, |o| {
                o.activity != Activity::Visit && p.candidates[o.candidate].cuisines.contains(&c)
            });
            if count == 0 {
                return false;
            }
            self.constraints.push(constraint::geq(meals, 1.0));
        }
        true
    }

    /// The budget: the party's stop prices and the chosen lodging's nights.
    fn budget(&mut self, lodging_vars: &[(usize, Variable)]) {
        let r = &self.p.request;
        if let (Some(budget), true) = (r.budget, self.keep.kept(&Label::Budget)) {
            let mut total = f64::from(r.party_size) * self.spent.clone();
            for (l, y) in lodging_vars {
                total += lodging_cost(self.p, *l) as f64 * *y;
            }
            self.constraints.push(constraint::leq(total, budget.cents() as f64));
        }
    }
}

/// The use binaries, over every day, of the options `wanted` picks.
fn trip_uses(options: &[StopOption], days: &[DayModel], wanted: impl Fn(&StopOption) -> bool) -> (Expression, usize) {
    sum(options
        .iter()
        .enumerate()
        .filter(|(_, o)| wanted(o))
        .flat_map(|(o, _)| days.iter().filter_map(move |day| day.uses[o].as_ref().map(|s| (1.0, s.u)))))
}

/// What lodging `l` costs for the trip's nights (cents).
fn lodging_cost(p: &Problem, l: usize) -> i64 {
    p.candidates[l].lodging.as_ref().map_or(0, |o| o.price_per_night.cents()) * i64::from(nights(p.request.days))
}

impl Model {
    /// Builds the model of `p` with the constraints of `relaxed` labels left out; `None` when
    /// the request is infeasible before any solving (a required set is empty).
    pub(super) fn build(
        p: &Problem,
        relaxed: &BTreeSet<Label>,
        optimise: bool,
        allow_sparse: bool,
    ) -> Result<Option<Model>, PlanError> {
        let r = &p.request;
        let mut e = Encoder {
            p,
            keep: Labels(relaxed),
            optimise,
            vars: ProblemVariables::new(),
            constraints: Vec::new(),
            objective: Expression::from(0.0),
            spent: Expression::from(0.0),
            weight: f64::from(r.days) * 1440.0 + 1.0,
        };
        let Some(lodgings) = e.lodgings()? else { return Ok(None) };
        let options = stop_options(p, &e.keep);
        let near = (allow_sparse && options.len() > FULL_ARCS_UP_TO).then(|| nearest_arcs(p, &options));
        let mut days = Vec::with_capacity(r.days as usize);
        for d in 0..r.days as usize {
            let Some(day) = e.day(d, &options, &lodgings, near.as_ref()) else { return Ok(None) };
            days.push(day);
        }
        e.once_each(&options, &days);
        if !e.must_visits(&options, &days) || !e.cuisines(&options, &days) {
            return Ok(None);
        }
        let (lodging_vars, depots) = lodgings;
        e.budget(&lodging_vars);
        let lodging_costs = lodging_vars.iter().map(|(l, _)| lodging_cost(p, *l)).collect();
        let layout = Layout {
            options,
            lodging_vars,
            lodging_costs,
            depots,
            days,
            party: i64::from(r.party_size),
            budget: r.budget.filter(|_| e.keep.kept(&Label::Budget)).map(|b| b.cents()),
        };
        let Encoder { vars, constraints, objective, .. } = e;
        Ok(Some(Model { sparse: near.is_some(), vars, constraints, objective, layout }))
    }
}
