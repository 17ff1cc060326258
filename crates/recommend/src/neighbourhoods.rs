//! The evaluation on a data set with venue categories but no trips (the Foursquare NYC
//! GETNext splits, which lie in one city): the stand-in for an out-of-town trip is a visit
//! to a *neighbourhood new to the user*. Venues are grouped into neighbourhoods of
//! [`NEIGHBOURHOOD_KM`] (leader clustering, busiest first); a user's earlier check-ins are
//! what they did before; their later check-ins at new venues of trip categories, in
//! neighbourhoods they had no earlier check-in in, are held out, and the neighbourhood
//! holding most of them is the destination whose trip-category venues every model ranks.
//!
//! Models: `top` (the destination's venues by earlier check-ins), `category-transfer` (home-
//! category transfer: the user's [`Taste`] weight of the venue's category times one plus its
//! earlier check-ins) and `bpr-mf` (seeded, on the earlier check-ins). Nothing is tuned.

use crate::baselines::{popularity, BprMf, BprSettings, Top};
use crate::bridge::category_of;
use crate::checkins::CheckIn;
use crate::eval::{evaluate, Ranker};
use crate::experiment::{result, ModelResult};
use crate::getnext::VenueCheckIns;
use crate::metrics::{estimate, Estimate};
use crate::regions::Regions;
use crate::split::Case;
use crate::taste::{is_trip_category, Taste};
use std::collections::BTreeSet;
use tripsmith_model::{Category, LatLon, Progress};

/// Radius of a neighbourhood, km.
pub const NEIGHBOURHOOD_KM: f64 = 3.0;

/// The task's figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NeighbourhoodStats {
    /// Users.
    pub users: usize,
    /// Venues.
    pub places: usize,
    /// Venues of trip categories.
    pub trip_places: usize,
    /// Earlier check-ins (what models learn from).
    pub before: usize,
    /// Later check-ins.
    pub after: usize,
    /// Neighbourhoods.
    pub neighbourhoods: usize,
    /// Held-out visits to a new neighbourhood: the test cases.
    pub cases: usize,
    /// Mean candidate venues per case.
    pub mean_candidates: f64,
    /// Mean venues visited per case.
    pub mean_targets: f64,
}

/// The evaluation's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct NeighbourhoodReport {
    /// The data set's name.
    pub dataset: String,
    /// Its figures.
    pub stats: NeighbourhoodStats,
    /// Each model's result.
    pub models: Vec<ModelResult>,
    /// Category transfer's Recall@10 minus popularity's, case by case (paired).
    pub category_vs_top: Estimate,
    /// Seconds spent training models.
    pub train_seconds: f64,
}

/// Home-category transfer as a ranker: each user's taste from their earlier check-ins.
pub struct CategoryTransfer {
    /// Each place's category, when it is a trip category.
    categories: Vec<Option<Category>>,
    /// Each user's taste (`None`: no earlier check-in at a trip category; popularity alone).
    tastes: Vec<Option<Taste>>,
    /// Earlier check-ins per place.
    counts: Vec<usize>,
}

impl CategoryTransfer {
    /// Learns every user's taste from `train`; `categories` are the places' trip categories
    /// and `counts` their check-ins in `train`.
    pub fn new(data: &VenueCheckIns, train: &[CheckIn], categories: Vec<Option<Category>>, counts: Vec<usize>) -> Self {
        let mut histories: Vec<Vec<String>> = vec![Vec::new(); data.users];
        for e in train {
            histories[e.user].push(data.categories[e.poi].clone());
        }
        CategoryTransfer { categories, tastes: histories.iter().map(|h| Taste::from_history(h).ok()).collect(), counts }
    }
}

impl Ranker for CategoryTransfer {
    fn name(&self) -> String {
        "category-transfer".into()
    }

    fn scores(&self, case: &Case, candidates: &[usize]) -> Vec<f64> {
        let taste = self.tastes.get(case.user).and_then(Option::as_ref);
        candidates
            .iter()
            .map(|&p| {
                let weight = match (taste, self.categories[p]) {
                    (Some(t), Some(c)) => t.weight(c),
                    _ => 1.0,
                };
                weight * (1 + self.counts[p]) as f64
            })
            .collect()
    }
}

/// Each place's category when it is a trip category.
fn trip_categories(data: &VenueCheckIns) -> Vec<Option<Category>> {
    data.categories.iter().map(|n| category_of(n).filter(|&c| is_trip_category(c))).collect()
}

/// Runs the evaluation (randomised models once per seed in `1..=seeds`).
pub fn run_neighbourhoods(data: &VenueCheckIns, seeds: u64, progress: &dyn Progress) -> NeighbourhoodReport {
    let places = data.places.len();
    let counts = popularity(&data.before, places);
    let trip = trip_categories(data);
    let Regions { of, members, centres } = Regions::cluster(&data.places, &counts, NEIGHBOURHOOD_KM);
    // Candidates are a neighbourhood's trip-category venues only.
    let members = members.into_iter().map(|m| m.into_iter().filter(|&p| trip[p].is_some()).collect()).collect();
    let regions = Regions { of, members, centres };
    let cases = held_out(data, &regions, &trip);
    let mean = |f: &dyn Fn(&Case) -> usize| cases.iter().map(f).sum::<usize>() as f64 / cases.len().max(1) as f64;
    let stats = NeighbourhoodStats {
        users: data.users,
        places,
        trip_places: trip.iter().filter(|c| c.is_some()).count(),
        before: data.before.len(),
        after: data.after.len(),
        neighbourhoods: regions.members.len(),
        cases: cases.len(),
        mean_candidates: mean(&|c| regions.members[c.region].len()),
        mean_targets: mean(&|c| c.targets.len()),
    };
    let single = |ranker: &dyn Ranker, chosen: &str| {
        result(ranker.name(), &[evaluate(&cases, &regions, ranker)], 1, chosen.into())
    };
    let top = single(&Top { name: "top".into(), counts: counts.clone() }, "");
    progress.update("baselines", 1, 2);
    let transfer = CategoryTransfer::new(data, &data.before, trip, counts);
    let category = single(&transfer, "taste weight × (1 + check-ins)");
    let started = std::time::Instant::now();
    let runs: Vec<_> = (1..=seeds.max(1))
        .map(|seed| {
            let settings = BprSettings { seed, ..BprSettings::default() };
            evaluate(&cases, &regions, &BprMf::train(&data.before, data.users, places, settings))
        })
        .collect();
    let train_seconds = started.elapsed().as_secs_f64();
    let s = BprSettings::default();
    let bpr = result("bpr-mf".into(), &runs, runs.len() as u64, format!("{} factors, {} epochs", s.factors, s.epochs));
    progress.update("baselines", 2, 2);
    let differences: Vec<f64> = category.cases.iter().zip(&top.cases).map(|(a, b)| a.recall10 - b.recall10).collect();
    NeighbourhoodReport {
        dataset: data.name.clone(),
        stats,
        category_vs_top: estimate(&differences),
        models: vec![top, category, bpr],
        train_seconds,
    }
}

/// The held-out visits: per user, their later check-ins at venues of trip categories they
/// had not checked in at, in neighbourhoods they had no earlier check-in in; the
/// neighbourhood with most of them (ties: the lower id) and its venues among them.
fn held_out(data: &VenueCheckIns, regions: &Regions, trip: &[Option<Category>]) -> Vec<Case> {
    let mut seen: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); data.users];
    for e in &data.before {
        seen[e.user].insert(e.poi);
    }
    let mut later: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); data.users];
    for e in &data.after {
        later[e.user].insert(e.poi);
    }
    let mut cases = Vec::new();
    for user in (0..data.users).filter(|&u| !seen[u].is_empty()) {
        let known: BTreeSet<usize> = seen[user].iter().map(|&p| regions.of[p]).collect();
        let new: Vec<usize> = later[user]
            .iter()
            .copied()
            .filter(|&p| trip[p].is_some() && !seen[user].contains(&p) && !known.contains(&regions.of[p]))
            .collect();
        let Some(region) = regions.majority(new.iter().copied()) else { continue };
        // Where the user's earlier venues are, on average (no model here uses it).
        let n = seen[user].len().max(1) as f64;
        let home = LatLon {
            lat: seen[user].iter().map(|&p| data.places[p].lat).sum::<f64>() / n,
            lon: seen[user].iter().map(|&p| data.places[p].lon).sum::<f64>() / n,
        };
        let targets = new.into_iter().filter(|&p| regions.of[p] == region).collect();
        cases.push(Case { user, home, region, targets });
    }
    cases
}
