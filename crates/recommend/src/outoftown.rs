//! The out-of-town evaluation on a cross-city data set (travellers between two cities with
//! venue categories): from a traveller's check-ins at home and on their earlier visits to the
//! other city, rank that city's venues; the *new* venues of their last visit (places they had
//! not checked in at before) are what a recommender should rank first. Settings are chosen on
//! the visit before the last, with the last out of sight.
//!
//! Models: every model of [`run_models`] (popularity, visitors' popularity, distance-aware
//! popularity, BPR-MF, the intention-aware model) and `category-transfer`: the share of the
//! traveller's own check-ins at the venue's Foursquare category (smoothed) times one plus the
//! venue's check-ins.

use crate::baselines::popularity;
use crate::checkins::CheckIn;
use crate::crosscity::CrossCity;
use crate::eval::{evaluate, Ranker};
use crate::experiment::{result, run_models, Comparison, Evaluated, ModelResult, Settings};
use crate::regions::Regions;
use crate::split::{Case, Split};
use crate::trips::Thresholds;
use std::collections::{BTreeSet, HashMap, HashSet};
use tripsmith_model::{LatLon, Progress};

/// A check-in farther than this from a traveller's home counts as out of town (the two cities
/// of the data set lie about 55 km apart).
pub const AWAY_KM: f64 = 25.0;

/// The task's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct OutOfTownStats {
    /// The two cities.
    pub cities: Vec<String>,
    /// Travellers (a user with two home cities counts twice).
    pub travellers: usize,
    /// Venues.
    pub places: usize,
    /// Check-ins.
    pub checkins: usize,
    /// Visits to the other city.
    pub visits: usize,
    /// Test cases: last visits with at least one new venue.
    pub test_cases: usize,
    /// Last visits left out because every venue of them had been checked in at before.
    pub only_revisits: usize,
    /// Validation cases (the visit before the last).
    pub validation_cases: usize,
    /// Check-ins the models train on for the test.
    pub train_checkins: usize,
    /// Mean candidate venues per test case (the other city's venues).
    pub mean_candidates: f64,
    /// Mean new venues of a last visit.
    pub mean_targets: f64,
}

/// The evaluation's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct OutOfTownReport {
    /// The data set's name.
    pub dataset: String,
    /// Its figures.
    pub stats: OutOfTownStats,
    /// Each model's result.
    pub models: Vec<ModelResult>,
    /// Seconds spent training models.
    pub train_seconds: f64,
    /// The intention-aware model against the best other model.
    pub comparison: Comparison,
}

/// The two cities as regions: each city's venues, its centre the mean of them.
pub fn city_regions(cc: &CrossCity) -> Regions {
    let mut members = vec![Vec::new(); cc.cities.len()];
    for (p, &city) in cc.city_of_place.iter().enumerate() {
        members[city].push(p);
    }
    let centres = members
        .iter()
        .map(|m: &Vec<usize>| {
            let n = m.len().max(1) as f64;
            let sum = m.iter().fold((0.0, 0.0), |(a, b), &p| (a + cc.data.pois[p].lat, b + cc.data.pois[p].lon));
            LatLon { lat: sum.0 / n, lon: sum.1 / n }
        })
        .collect();
    Regions { of: cc.city_of_place.clone(), members, centres }
}

/// Holds out each traveller's `back`-th visit from the end (1: the last) and everything after
/// it: the case's targets are that visit's venues the traveller had not checked in at before
/// (a visit without any is counted, not kept); the model trains on every other check-in.
pub fn split_visits(cc: &CrossCity, visits: &[Vec<Vec<CheckIn>>], homes: &[Option<LatLon>], back: usize) -> Split {
    let key = |e: &CheckIn| (e.user, e.time.to_bits(), e.poi);
    let mut hidden = HashSet::new();
    let mut held = Vec::new();
    for (t, v) in visits.iter().enumerate().filter(|(_, v)| v.len() >= back) {
        hidden.extend(v[v.len() - back..].iter().flatten().map(key));
        held.push((t, &v[v.len() - back]));
    }
    let train: Vec<CheckIn> = cc.data.events.iter().filter(|e| !hidden.contains(&key(e))).copied().collect();
    let mut seen: Vec<HashSet<usize>> = vec![HashSet::new(); cc.data.users];
    for e in &train {
        seen[e.user].insert(e.poi);
    }
    let (mut cases, mut revisits) = (Vec::new(), 0);
    for (t, visit) in held {
        let targets: BTreeSet<usize> = visit.iter().map(|e| e.poi).filter(|p| !seen[t].contains(p)).collect();
        if targets.is_empty() {
            revisits += 1;
            continue;
        }
        let region = cc.other(cc.home_city[t]);
        let home = homes[t].unwrap_or(cc.data.pois[visit[0].poi]);
        cases.push(Case { user: t, home, region, targets: targets.into_iter().collect() });
    }
    Split { train, cases, revisits }
}

/// Category transfer by the data set's own category names: a traveller's share of training
/// check-ins at each category.
pub struct NameTransfer {
    /// Each venue's category index.
    category: Vec<usize>,
    /// Per traveller: check-ins per category index, and their total.
    counts: Vec<(HashMap<usize, usize>, usize)>,
    /// Training check-ins per venue.
    popularity: Vec<usize>,
    /// Category indices there are.
    categories: usize,
}

impl NameTransfer {
    /// Learns each traveller's category shares from `train`.
    pub fn new(cc: &CrossCity, train: &[CheckIn]) -> Self {
        let mut index: HashMap<&str, usize> = HashMap::new();
        let category: Vec<usize> = cc
            .categories
            .iter()
            .map(|c| {
                let next = index.len();
                *index.entry(c.as_str()).or_insert(next)
            })
            .collect();
        let mut counts = vec![(HashMap::new(), 0); cc.data.users];
        for e in train {
            let (per, total) = &mut counts[e.user];
            *per.entry(category[e.poi]).or_insert(0) += 1;
            *total += 1;
        }
        NameTransfer { category, counts, popularity: popularity(train, cc.data.pois.len()), categories: index.len() }
    }
}

impl Ranker for NameTransfer {
    fn name(&self) -> String {
        "category-transfer".into()
    }

    fn scores(&self, case: &Case, candidates: &[usize]) -> Vec<f64> {
        let (per, total) = &self.counts[case.user];
        // Add-one smoothing over the categories.
        let share = |c: usize| (per.get(&c).copied().unwrap_or(0) + 1) as f64 / (total + self.categories) as f64;
        candidates.iter().map(|&p| share(self.category[p]) * (1 + self.popularity[p]) as f64).collect()
    }
}

/// Runs the evaluation (randomised models once per seed in `1..=seeds`).
pub fn run_out_of_town(cc: &CrossCity, seeds: u64, progress: &dyn Progress) -> candle_core::Result<OutOfTownReport> {
    let homes = cc.homes();
    let visits = cc.visits();
    let regions = city_regions(cc);
    let test = split_visits(cc, &visits, &homes, 1);
    let validation = split_visits(cc, &visits, &homes, 2);
    let mean =
        |f: &dyn Fn(&Case) -> usize| test.cases.iter().map(f).sum::<usize>() as f64 / test.cases.len().max(1) as f64;
    let stats = OutOfTownStats {
        cities: cc.cities.clone(),
        travellers: cc.data.users,
        places: cc.data.pois.len(),
        checkins: cc.data.events.len(),
        visits: visits.iter().map(Vec::len).sum(),
        test_cases: test.cases.len(),
        only_revisits: test.revisits,
        validation_cases: validation.cases.len(),
        train_checkins: test.train.len(),
        mean_candidates: mean(&|c| regions.members[c.region].len()),
        mean_targets: mean(&|c| c.targets.len()),
    };
    let transfer = NameTransfer::new(cc, &test.train);
    let extra = vec![result(
        transfer.name(),
        &[evaluate(&test.cases, &regions, &transfer)],
        1,
        "share of own check-ins at the category (add-one) × (1 + check-ins)".into(),
    )];
    let thresholds = Thresholds { away_km: AWAY_KM, ..Thresholds::default() };
    let settings = Settings { thresholds, seeds, ..Settings::default() };
    let input = Evaluated { data: &cc.data, homes: &homes, regions: &regions, test: &test, validation: &validation };
    let (models, train_seconds, comparison) = run_models(&input, &settings, extra, progress)?;
    Ok(OutOfTownReport { dataset: cc.data.name.clone(), stats, models, train_seconds, comparison })
}
