//! Itineraries: what a plan says the travellers do, day by day.

use crate::catalog::Problem;
use crate::request::MealKind;
use crate::time::{ClockTime, Date, Money};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tripsmith_model::{Category, LatLon, Profile};

/// What happens at a stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", tag = "type", content = "meal")]
pub enum Activity {
    /// Visiting the place.
    Visit,
    /// Having a meal there.
    Meal(MealKind),
}

/// One stop of a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Stop {
    /// Index of the candidate.
    pub candidate: usize,
    /// Its id (`node/123`, `way/456`, `relation/789` for OSM places).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its category.
    pub category: Category,
    /// Where it is.
    pub location: LatLon,
    /// Why it was chosen (for a visit: what makes it worth it; for a meal: what kind of venue).
    #[serde(default)]
    pub why: Vec<String>,
    /// Visit or meal.
    pub activity: Activity,
    /// Arrival.
    pub arrive: ClockTime,
    /// Start of the visit or meal (after any wait for opening).
    pub start: ClockTime,
    /// End of the visit or meal.
    pub end: ClockTime,
    /// Travel time from the previous stop (or the lodging), minutes.
    pub travel_minutes: u32,
    /// Travel distance from the previous stop (or the lodging), metres.
    pub travel_m: u32,
    /// How the travellers get there (the fastest allowed mode, or the day's), when known.
    #[serde(default)]
    pub mode: Option<Profile>,
    /// Of the travel minutes, those walked between the places and where the car is parked for
    /// them (the road nearest to a peak).
    #[serde(default)]
    pub walk_minutes: u32,
    /// Price paid here by the party.
    pub cost: Money,
}

impl Stop {
    /// How the travellers get here, in words: ` by car`, ` by car, 25 min of it on foot`, or
    /// nothing when the mode is not known.
    pub fn how(&self) -> String {
        match (self.mode, self.walk_minutes) {
            (None, _) => String::new(),
            (Some(mode), 0) => format!(" by {mode}"),
            (Some(mode), walk) => format!(" by {mode}, {walk} min of it on foot"),
        }
    }
}

/// The break a day keeps (see [`crate::Rest`]): free time neither at a stop nor travelling,
/// taken where the travellers are (after the stop before it, or at the lodging).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RestSlot {
    /// When it starts.
    pub start: ClockTime,
    /// When it ends.
    pub end: ClockTime,
}

/// One day of an itinerary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DayPlan {
    /// Day number, 1-based.
    pub day: u32,
    /// Calendar date, when the request has a start date.
    pub date: Option<Date>,
    /// Weekday, Monday = 0.
    pub weekday: usize,
    /// Stops in order.
    pub stops: Vec<Stop>,
    /// When the travellers are back at the lodging (when they return to it).
    pub back_at_base: Option<ClockTime>,
    /// How they get back to the lodging, when they return to it and the mode is known.
    #[serde(default)]
    pub back_mode: Option<Profile>,
    /// Free time in the day: minutes of the day window spent neither at a stop nor travelling
    /// (the break included).
    #[serde(default)]
    pub free_minutes: u32,
    /// The midday break, when the request wants one that day and the day has room for it.
    #[serde(default)]
    pub rest: Option<RestSlot>,
}

impl DayPlan {
    /// How many of the day's stops come before its break (`None`: no break).
    pub fn stops_before_rest(&self) -> Option<usize> {
        let rest = self.rest?;
        Some(self.stops.iter().take_while(|s| s.end <= rest.start).count())
    }

    /// Why the day has no break although `request` wants one that day, in words; `None` when it
    /// has its break or needs none.
    pub fn missing_rest(&self, request: &crate::TripRequest) -> Option<String> {
        let (from, to, minutes) = request.rest_on(self.day).filter(|_| self.rest.is_none())?;
        Some(format!(
            "no break: the day's stops leave no {minutes} free minutes between {} and {}",
            clock(from),
            clock(to)
        ))
    }
}

/// A complete plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Itinerary {
    /// Index of the lodging candidate, if any.
    pub lodging: Option<usize>,
    /// Its name.
    pub lodging_name: Option<String>,
    /// House rules the request asks for that the lodging's data does not state (allowed, since
    /// only a known "no" rules a lodging out; the traveller should ask before booking).
    #[serde(default)]
    pub lodging_unknown_rules: Vec<crate::request::HouseRule>,
    /// The days.
    pub days: Vec<DayPlan>,
    /// Total cost for the party: lodging, meals and entry fees.
    pub cost: Money,
    /// Sum of the scores of the places visited.
    pub score: f64,
    /// What repeats of a category on one day take off the score (variety; see
    /// [`TripRequest::repeat_penalty`](crate::TripRequest::repeat_penalty)): the plan is worth
    /// `score − variety_penalty`, which every backend maximises.
    #[serde(default)]
    pub variety_penalty: f64,
    /// Total travel, metres.
    pub travel_m: u32,
}

impl Itinerary {
    /// What the plan is worth: its score less the variety penalty (what every backend maximises).
    pub fn value(&self) -> f64 {
        self.score - self.variety_penalty
    }

    /// What the lodging's data does not say about the rules asked for, in words (`OpenStreetMap
    /// does not say whether Hôtel X allows pets or smoking: ask before booking`).
    pub fn lodging_caveat(&self) -> Option<String> {
        let name = self.lodging_name.as_deref()?;
        let rules: Vec<&str> = self.lodging_unknown_rules.iter().map(|r| r.in_words()).collect();
        (!rules.is_empty()).then(|| {
            format!("the map data does not say whether {name} allows {}: ask before booking", rules.join(" or "))
        })
    }

    /// The score as a reader sees it: `38.8`, or `38.8 less 2.0 for repeated categories`.
    pub fn score_in_words(&self) -> String {
        if self.variety_penalty > 0.0 {
            format!("{:.1} less {:.1} for repeated categories", self.score, self.variety_penalty)
        } else {
            format!("{:.1}", self.score)
        }
    }
}

/// Nights paid for a trip of `days` days: every day but the last.
pub fn nights(days: u32) -> u32 {
    days.saturating_sub(1)
}

/// A stop as a backend chose it: the place, what happens there, and its start and end minute.
pub(crate) struct Chosen {
    pub candidate: usize,
    pub activity: Activity,
    pub start: i64,
    pub end: i64,
}

fn clock(minutes: i64) -> ClockTime {
    ClockTime(minutes.clamp(0, 1440) as u16)
}

/// Builds the itinerary of a backend's answer: arrival, travel, costs and totals are computed
/// from the catalog and the matrix, the same way for every backend.
pub(crate) fn assemble(p: &Problem, lodging: Option<usize>, chosen: Vec<Vec<Chosen>>) -> Itinerary {
    let r = &p.request;
    let base = lodging.filter(|_| r.return_to_base);
    let party = i64::from(r.party_size);
    let mut days = Vec::new();
    let (mut cost, mut score, mut travel_m, mut repeats) = (0i64, 0.0, 0u32, 0i64);
    for (d, mut day_stops) in chosen.into_iter().enumerate() {
        let day = d as u32 + 1;
        let rest = crate::rest::fit(p, d, base, &mut day_stops);
        let rest_gap = rest.map(|(start, _)| day_stops.iter().take_while(|s| s.end <= start).count());
        let mut stops = Vec::new();
        let mut seen = Vec::new();
        let mut here = base;
        let mut free_at = i64::from(r.day_window(day).0.minutes());
        for (k, s) in day_stops.into_iter().enumerate() {
            if rest_gap == Some(k) {
                free_at = free_at.max(rest.map_or(0, |r| r.1));
            }
            let i = s.candidate;
            let c = &p.candidates[i];
            let leg = here.and_then(|h| p.travel.leg(d, h, i));
            let (mins, metres, mode, walk_minutes) =
                leg.map_or((0, 0, None, 0), |l| (l.minutes, l.metres, l.mode, l.walk_minutes));
            if s.activity == Activity::Visit {
                score += c.score;
                if seen.contains(&c.category) {
                    repeats += r.repeat_penalty(c.category);
                } else {
                    seen.push(c.category);
                }
            }
            let stop_cost = c.price.cents() * party;
            cost += stop_cost;
            travel_m += metres;
            stops.push(Stop {
                candidate: i,
                id: c.id.clone(),
                name: c.name.clone(),
                category: c.category,
                location: c.location,
                why: match s.activity {
                    Activity::Visit => c.why.clone(),
                    Activity::Meal(kind) => vec![format!(
                        "{} at a {}{}",
                        kind.as_str(),
                        c.meal.map_or("food", |m| m.as_str()).replace('_', " "),
                        if c.cuisines.is_empty() { String::new() } else { format!(" ({})", c.cuisines.join(", ")) }
                    )],
                },
                activity: s.activity,
                arrive: clock(free_at + i64::from(mins)),
                start: clock(s.start),
                end: clock(s.end),
                travel_minutes: mins,
                travel_m: metres,
                mode,
                walk_minutes,
                cost: Money(stop_cost),
            });
            free_at = s.end;
            here = Some(i);
        }
        if rest_gap == Some(stops.len()) {
            free_at = free_at.max(rest.map_or(0, |r| r.1));
        }
        let back = base.zip(stops.last()).and_then(|(b, last)| p.travel.leg(d, last.candidate, b));
        let back_minutes = base.zip(stops.last()).map(|_| back.map_or(0, |l| l.minutes));
        let back_at_base = match (base, stops.last()) {
            (Some(_), Some(_)) => {
                travel_m += back.map_or(0, |l| l.metres);
                Some(clock(free_at + i64::from(back_minutes.unwrap_or(0))))
            }
            _ => None,
        };
        let back_mode = back.and_then(|l| l.mode);
        let date = r.start_date.map(|s| s.plus_days(d as u32));
        let (window_start, window_end) = r.day_window(day);
        let busy: u32 =
            stops.iter().map(|s| s.travel_minutes + u32::from(s.end.minutes() - s.start.minutes())).sum::<u32>()
                + back_minutes.unwrap_or(0);
        let free_minutes = u32::from(window_end.minutes() - window_start.minutes()).saturating_sub(busy);
        let rest = rest.map(|(start, end)| RestSlot { start: clock(start), end: clock(end) });
        days.push(DayPlan { day, date, weekday: r.weekday(d), stops, back_at_base, back_mode, free_minutes, rest });
    }
    if let Some(o) = lodging.and_then(|l| p.candidates[l].lodging.as_ref()) {
        cost += o.price_per_night.cents() * i64::from(nights(r.days));
    }
    let wanted = r.lodging.as_ref().map(|spec| spec.house_rules.as_slice()).unwrap_or_default();
    let lodging_unknown_rules =
        lodging.and_then(|l| p.candidates[l].lodging.as_ref()).map(|o| o.unknown(wanted)).unwrap_or_default();
    Itinerary {
        lodging,
        lodging_name: lodging.map(|l| p.candidates[l].name.clone()),
        lodging_unknown_rules,
        days,
        cost: Money(cost),
        score,
        variety_penalty: repeats as f64 / 100.0,
        travel_m,
    }
}
