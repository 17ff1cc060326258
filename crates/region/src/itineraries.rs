//! Itinerary evaluation: plans a set of trip requests on real extracts and scores the plans the
//! way a traveller would judge them, from the OSM objects themselves rather than from the
//! planner's own view of them.
//!
//! The set (`bench/itineraries/set.toml`) lists each request file, its region file and the
//! guide list (sights published travel guides name first, with their OSM objects). For each
//! plan: the share of visits that are sights worth seeing (a named place whose role is a sight,
//! or a place of a category the request asks for), unnamed and service visits, duplicates (the
//! same object or two stops with the same name), visits while the place is closed by its own
//! `opening_hours` on the trip's dates (with the country's holidays), meals at venues that do
//! not suit the meal, the spread of visits between days, visits of a category already visited that
//! day (variety), days that keep the midday break the request wants, guide-book landmarks
//! visited, and the time to answer.

use crate::trip::{solve_trip, PlanStatus, SolveOptions};
use crate::Region;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;
use tripsmith_model::{NoProgress, PlaceRole, Poi};
use tripsmith_osm::places::normalise_name;
use tripsmith_planner::hours::{open_throughout, parse};
use tripsmith_planner::{Activity, Itinerary, TripRequest};

/// One request of the set.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetEntry {
    /// The request file, relative to the set file.
    pub file: PathBuf,
    /// The region file, relative to the data folder.
    pub region: String,
    /// The guide list, relative to the set file.
    pub guide: PathBuf,
    /// A request without interests: its plan should visit the guide's landmarks.
    #[serde(default)]
    pub general: bool,
}

/// The evaluation set file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvalSet {
    /// The requests.
    pub request: Vec<SetEntry>,
}

/// A sight of a guide list.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuideSight {
    /// Its name in the guides.
    pub name: String,
    /// The OSM object that is it (`way/23715051`).
    pub osm: String,
}

/// A guide list: the sights named first, and those named besides.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guide {
    /// The region file it was compiled for.
    pub region: String,
    /// Named first by every guide.
    pub top: Vec<GuideSight>,
    /// Named by most guides besides.
    #[serde(default)]
    pub more: Vec<GuideSight>,
}

/// Why the evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A file could not be read.
    #[error("{file}: {detail}")]
    File {
        /// The file.
        file: String,
        /// What went wrong.
        detail: String,
    },
    /// A region could not be loaded.
    #[error(transparent)]
    Region(#[from] crate::RegionError),
    /// A request could not be planned.
    #[error("{file}: {source}")]
    Trip {
        /// The request file.
        file: String,
        /// Why.
        source: crate::trip::TripError,
    },
}

fn read(path: &Path) -> Result<String, EvalError> {
    std::fs::read_to_string(path)
        .map_err(|e| EvalError::File { file: path.display().to_string(), detail: format!("cannot read: {e}") })
}

fn from_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, EvalError> {
    toml::from_str(&read(path)?)
        .map_err(|e| EvalError::File { file: path.display().to_string(), detail: e.to_string() })
}

/// How one plan fares.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestScore {
    /// The request file's name.
    pub request: String,
    /// The region file.
    pub region: String,
    /// The planner's verdict.
    pub status: PlanStatus,
    /// Seconds to answer (candidates, travel times, solving, checking; the region is loaded once).
    pub seconds: f64,
    /// Visits (meals excluded).
    pub visits: usize,
    /// Visits of sights worth seeing.
    pub worth_seeing: usize,
    /// Visits of unnamed places.
    pub unnamed: usize,
    /// Visits of services the request did not ask for.
    pub services: usize,
    /// Stops repeating a place (the same object, or the same name).
    pub duplicates: usize,
    /// Visits while the place is closed by its own `opening_hours` on the trip's date.
    pub closed: usize,
    /// Visits of places with an `opening_hours` tag (the others are planned with defaults).
    pub with_hours: usize,
    /// Meals planned.
    pub meals: usize,
    /// Meals at a venue that does not suit the meal (ice cream, a bar...).
    pub unsuitable_meals: usize,
    /// Visits per day.
    pub visits_per_day: Vec<usize>,
    /// Visits of a category already visited that day (variety: 0 means every visit of a day is
    /// of another kind of place).
    pub repeats: usize,
    /// Guide-book top sights visited, of the list (general requests only).
    pub landmarks: Option<(usize, usize)>,
    /// Guide-book sights of both lists visited, of both lists (general requests only).
    pub guide_sights: Option<(usize, usize)>,
    /// Names of the guide-book top sights visited.
    pub landmarks_visited: Vec<String>,
    /// Violations the independent checker found.
    pub checker_violations: usize,
    /// The answer's gap to the upper bound on its value (see `PlanSummary::gap`), with a plan.
    pub gap: Option<f64>,
    /// Days the request wants a midday break on (no lunch planned, room in the day's hours).
    pub rest_days: usize,
    /// Of those, days whose plan keeps the break.
    pub rests: usize,
}

/// The set's totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Totals {
    /// Requests planned.
    pub requests: usize,
    /// Requests with a plan.
    pub planned: usize,
    /// Visits in all.
    pub visits: usize,
    /// Share of visits that are sights worth seeing.
    pub worth_seeing_share: f64,
    /// Unnamed visits in all.
    pub unnamed: usize,
    /// Service visits in all.
    pub services: usize,
    /// Duplicates in all.
    pub duplicates: usize,
    /// Visits of a category already visited that day, in all.
    pub repeats: usize,
    /// Visits while closed in all.
    pub closed: usize,
    /// Unsuitable meals in all.
    pub unsuitable_meals: usize,
    /// Checker violations in all.
    pub checker_violations: usize,
    /// Plans whose value reaches the upper bound (gap 0: none of the candidates' plans collects more).
    pub at_bound: usize,
    /// The largest gap of any plan.
    pub gap_max: f64,
    /// Days wanting a midday break, in all.
    pub rest_days: usize,
    /// Of those, days whose plan keeps it.
    pub rests: usize,
    /// Guide-book top sights visited over the general requests, of those requests' lists.
    pub landmarks: (usize, usize),
    /// Median and 95th-percentile seconds per request.
    pub seconds_median: f64,
    /// 95th-percentile seconds per request.
    pub seconds_p95: f64,
}

/// The whole evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// Per request, in the set's order.
    pub requests: Vec<RequestScore>,
    /// Totals.
    pub totals: Totals,
    /// Seconds to load each region file.
    pub load_seconds: BTreeMap<String, f64>,
}

/// Plans every request of the set file `set` (regions from `data`) and scores the plans.
/// `on_request` hears each score as it is done.
pub fn evaluate(
    set: &Path,
    data: &Path,
    options: &SolveOptions,
    on_request: &mut dyn FnMut(&RequestScore),
) -> Result<Evaluation, EvalError> {
    let base = set.parent().unwrap_or(Path::new("."));
    let entries: EvalSet = from_toml(set)?;
    let mut regions: HashMap<String, Region> = HashMap::new();
    let mut load_seconds = BTreeMap::new();
    let mut scores = Vec::new();
    for entry in &entries.request {
        if !regions.contains_key(&entry.region) {
            let started = Instant::now();
            let region = Region::open(&data.join(&entry.region), &NoProgress)?;
            load_seconds.insert(entry.region.clone(), started.elapsed().as_secs_f64());
            regions.insert(entry.region.clone(), region);
        }
        let region = &regions[&entry.region];
        let file = base.join(&entry.file);
        let request = TripRequest::from_json(&read(&file)?)
            .map_err(|e| EvalError::File { file: file.display().to_string(), detail: e.to_string() })?;
        let guide: Guide = from_toml(&base.join(&entry.guide))?;
        let started = Instant::now();
        let answer = solve_trip(region, &request, options, &NoProgress, &AtomicBool::new(false))
            .map_err(|source| EvalError::Trip { file: file.display().to_string(), source })?;
        let summary = answer.summary();
        let seconds = started.elapsed().as_secs_f64();
        let name = entry.file.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let mut score = score_plan(region, &request, summary.plan.as_ref(), &guide, entry.general);
        score.request = name;
        score.region = entry.region.clone();
        score.status = summary.status;
        score.seconds = seconds;
        score.checker_violations = summary.checker.violations.len();
        score.gap = summary.gap;
        on_request(&score);
        scores.push(score);
    }
    let totals = totals(&scores);
    Ok(Evaluation { requests: scores, totals, load_seconds })
}

/// Scores one plan against the OSM objects of `region` (see the module doc).
pub fn score_plan(
    region: &Region,
    request: &TripRequest,
    plan: Option<&Itinerary>,
    guide: &Guide,
    general: bool,
) -> RequestScore {
    let mut by_id: HashMap<String, &Poi> = HashMap::new();
    for poi in region.catalog() {
        by_id.insert(poi.osm.to_string(), poi);
        for m in &poi.merged {
            by_id.insert(m.to_string(), poi);
        }
    }
    let mut score = RequestScore {
        request: String::new(),
        region: String::new(),
        status: PlanStatus::Infeasible,
        seconds: 0.0,
        visits: 0,
        worth_seeing: 0,
        unnamed: 0,
        services: 0,
        duplicates: 0,
        closed: 0,
        with_hours: 0,
        meals: 0,
        unsuitable_meals: 0,
        visits_per_day: Vec::new(),
        repeats: 0,
        landmarks: None,
        guide_sights: None,
        landmarks_visited: Vec::new(),
        checker_violations: 0,
        gap: None,
        rest_days: 0,
        rests: 0,
    };
    let Some(plan) = plan else { return score };
    let country = region.summary().country.clone();
    let dates = tripsmith_planner::hours::trip_dates(request.start_date, request.days);
    let mut seen_objects: Vec<String> = Vec::new();
    let mut seen_names: Vec<String> = Vec::new();
    for (d, day) in plan.days.iter().enumerate() {
        let mut visits = 0;
        let mut categories = Vec::new();
        for stop in &day.stops {
            let poi = by_id.get(&stop.id).copied();
            let object = poi.map_or_else(|| stop.id.clone(), |p| p.osm.to_string());
            let name = poi.and_then(|p| p.name.as_deref().or(p.name_en.as_deref())).map(normalise_name);
            if seen_objects.contains(&object) || name.as_ref().is_some_and(|n| seen_names.contains(n)) {
                score.duplicates += 1;
            }
            seen_objects.push(object);
            seen_names.extend(name);
            if let Some(p) = poi {
                let tagged = p.opening_hours.as_ref().and_then(|h| h.schedule.as_ref().map(|_| h.raw.as_str()));
                if let Some(hours) = tagged.and_then(|raw| parse(raw, country.as_deref(), request.start_date.is_some()))
                {
                    score.with_hours += 1;
                    let date = dates.get(d).copied().unwrap_or(tripsmith_planner::hours::REFERENCE_MONDAY);
                    if !open_throughout(&hours, date, stop.start.minutes(), stop.end.minutes()) {
                        score.closed += 1;
                    }
                }
            }
            match stop.activity {
                Activity::Visit => {
                    visits += 1;
                    score.visits += 1;
                    if categories.contains(&stop.category) {
                        score.repeats += 1;
                    } else {
                        categories.push(stop.category);
                    }
                    let named = poi.is_some_and(Poi::is_named);
                    let sight = poi.is_some_and(|p| p.role == PlaceRole::Sight);
                    let asked = poi.is_some_and(|p| {
                        p.visited_for_its_category() && request.interests.get(&p.category).is_some_and(|w| *w > 0.0)
                    });
                    if !named {
                        score.unnamed += 1;
                    }
                    if named && (sight || asked) {
                        score.worth_seeing += 1;
                    } else if !sight && !asked {
                        score.services += 1;
                    }
                }
                Activity::Meal(kind) => {
                    score.meals += 1;
                    let suits = poi.and_then(|p| p.meal).is_some_and(|venue| {
                        request.meal(kind).map_or(kind.default_venues().contains(&venue), |s| s.allows(kind, venue))
                    });
                    if !suits {
                        score.unsuitable_meals += 1;
                    }
                }
            }
        }
        score.visits_per_day.push(visits);
        if request.rest_on(day.day).is_some() {
            score.rest_days += 1;
            score.rests += usize::from(day.rest.is_some());
        }
    }
    if general {
        let visited = |s: &&GuideSight| {
            let target = by_id.get(&s.osm).map_or_else(|| s.osm.clone(), |p| p.osm.to_string());
            seen_objects.contains(&target)
        };
        let top: Vec<&GuideSight> = guide.top.iter().filter(visited).collect();
        score.landmarks = Some((top.len(), guide.top.len()));
        score.landmarks_visited = top.iter().map(|s| s.name.clone()).collect();
        let more = guide.more.iter().filter(visited).count();
        score.guide_sights = Some((top.len() + more, guide.top.len() + guide.more.len()));
    }
    score
}

fn totals(scores: &[RequestScore]) -> Totals {
    let sum = |f: &dyn Fn(&RequestScore) -> usize| scores.iter().map(f).sum::<usize>();
    let visits = sum(&|s| s.visits);
    let mut seconds: Vec<f64> = scores.iter().map(|s| s.seconds).collect();
    seconds.sort_by(f64::total_cmp);
    let quantile = |q: f64| {
        if seconds.is_empty() {
            0.0
        } else {
            seconds[((seconds.len() as f64 * q).ceil() as usize).clamp(1, seconds.len()) - 1]
        }
    };
    Totals {
        requests: scores.len(),
        planned: scores.iter().filter(|s| s.status != PlanStatus::Infeasible && !s.visits_per_day.is_empty()).count(),
        visits,
        worth_seeing_share: if visits == 0 { 0.0 } else { sum(&|s| s.worth_seeing) as f64 / visits as f64 },
        unnamed: sum(&|s| s.unnamed),
        services: sum(&|s| s.services),
        duplicates: sum(&|s| s.duplicates),
        repeats: sum(&|s| s.repeats),
        closed: sum(&|s| s.closed),
        unsuitable_meals: sum(&|s| s.unsuitable_meals),
        checker_violations: sum(&|s| s.checker_violations),
        at_bound: scores.iter().filter(|s| s.gap == Some(0.0)).count(),
        gap_max: scores.iter().filter_map(|s| s.gap).fold(0.0, f64::max),
        rest_days: sum(&|s| s.rest_days),
        rests: sum(&|s| s.rests),
        landmarks: (sum(&|s| s.landmarks.map_or(0, |l| l.0)), sum(&|s| s.landmarks.map_or(0, |l| l.1))),
        seconds_median: quantile(0.5),
        seconds_p95: quantile(0.95),
    }
}
