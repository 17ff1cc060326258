//! Baseline rankers: popularity in the destination, popularity discounted by distance from
//! the destination's centre, and Bayesian personalised ranking over matrix factorisation.

use crate::checkins::CheckIn;
use crate::eval::{factor_scores, Ranker};
use crate::regions::Regions;
use crate::split::Case;
use crate::trips::km;
use tripsmith_model::{LatLon, SeededRng};

/// Check-ins per place in `train`, over `places` places.
pub fn popularity(train: &[CheckIn], places: usize) -> Vec<usize> {
    let mut counts = vec![0; places];
    train.iter().for_each(|e| counts[e.poi] += 1);
    counts
}

/// What a place's popularity counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    /// Every check-in.
    CheckIns,
    /// Each user once.
    Visitors,
}

/// Per place in `train`, the check-ins (or distinct users, by `counting`) of visitors: users
/// whose home (`homes`) lies more than `away_km` from the place.
pub fn visitor_popularity(
    train: &[CheckIn],
    places: &[LatLon],
    homes: &[Option<LatLon>],
    away_km: f64,
    counting: Counting,
) -> Vec<usize> {
    let mut visits: Vec<(usize, usize)> = train
        .iter()
        .filter(|e| homes.get(e.user).copied().flatten().is_some_and(|home| km(home, places[e.poi]) > away_km))
        .map(|e| (e.poi, e.user))
        .collect();
    if counting == Counting::Visitors {
        visits.sort_unstable();
        visits.dedup();
    }
    let mut counts = vec![0; places.len()];
    visits.iter().for_each(|&(place, _)| counts[place] += 1);
    counts
}

/// TOP: the destination's places by their check-ins in the training data (all check-ins, or
/// visitors' alone).
#[derive(Debug, Clone)]
pub struct Top {
    /// Its name in reports.
    pub name: String,
    /// Check-ins per place.
    pub counts: Vec<usize>,
}

impl Ranker for Top {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn scores(&self, _: &Case, candidates: &[usize]) -> Vec<f64> {
        candidates.iter().map(|&p| self.counts[p] as f64).collect()
    }
}

/// Where distance-aware popularity measures distances from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The centre of the destination's check-ins (travellers stay near the centre).
    Centre,
    /// The traveller's home (travellers stay on the side of the destination they come from).
    Home,
}

/// Distance-aware popularity: `ln(1 + count) − per_km × km` from the anchor.
#[derive(Debug, Clone)]
pub struct DistanceAware {
    /// Popularity count per place.
    pub counts: Vec<usize>,
    /// Where each place is.
    pub places: Vec<LatLon>,
    /// The count-weighted centre of each region.
    pub centres: Vec<LatLon>,
    /// What distances are measured from.
    pub anchor: Anchor,
    /// The score lost per km from the anchor.
    pub per_km: f64,
}

impl DistanceAware {
    /// From training counts and regions, with the given anchor and distance penalty.
    pub fn new(counts: Vec<usize>, places: &[LatLon], regions: &Regions, anchor: Anchor, per_km: f64) -> Self {
        let centres = regions
            .members
            .iter()
            .zip(&regions.centres)
            .map(|(members, &leader)| {
                let weight: f64 = members.iter().map(|&p| counts[p] as f64 + 1.0).sum();
                let mean = |f: fn(LatLon) -> f64| {
                    members.iter().map(|&p| (counts[p] as f64 + 1.0) * f(places[p])).sum::<f64>() / weight
                };
                LatLon::new(mean(|p| p.lat), mean(|p| p.lon)).unwrap_or(leader)
            })
            .collect();
        DistanceAware { counts, places: places.to_vec(), centres, anchor, per_km }
    }
}

impl Ranker for DistanceAware {
    fn name(&self) -> String {
        "distance-aware".into()
    }

    fn scores(&self, case: &Case, candidates: &[usize]) -> Vec<f64> {
        let from = match self.anchor {
            Anchor::Centre => self.centres[case.region],
            Anchor::Home => case.home,
        };
        candidates
            .iter()
            .map(|&p| (1.0 + self.counts[p] as f64).ln() - self.per_km * km(from, self.places[p]))
            .collect()
    }
}

/// Settings of [`BprMf`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BprSettings {
    /// Latent factors per user and place.
    pub factors: usize,
    /// Passes over the user–place pairs.
    pub epochs: usize,
    /// SGD step size.
    pub learning_rate: f64,
    /// L2 regularisation.
    pub regularisation: f64,
    /// The seed of the initial factors and the sampling.
    pub seed: u64,
}

impl Default for BprSettings {
    /// 32 factors, 30 epochs, step 0.05, L2 0.01, seed 1.
    fn default() -> Self {
        BprSettings { factors: 32, epochs: 30, learning_rate: 0.05, regularisation: 0.01, seed: 1 }
    }
}

/// BPR-MF (Rendle et al. 2009): user and place factors and a place bias trained so that a
/// place a user checked in at outranks a random other place.
#[derive(Debug, Clone)]
pub struct BprMf {
    factors: usize,
    users: Vec<f64>,
    places: Vec<f64>,
    bias: Vec<f64>,
}

impl BprMf {
    /// Trains on the distinct (user, place) pairs of `train`.
    pub fn train(train: &[CheckIn], users: usize, places: usize, settings: BprSettings) -> Self {
        let k = settings.factors;
        let mut rng = SeededRng::new(settings.seed);
        let mut init = |n: usize| (0..n).map(|_| (rng.next_f64() - 0.5) * 0.1).collect::<Vec<f64>>();
        let mut model = BprMf { factors: k, users: init(users * k), places: init(places * k), bias: vec![0.0; places] };
        let mut pairs: Vec<(usize, usize)> = train.iter().map(|e| (e.user, e.poi)).collect();
        pairs.sort_unstable();
        pairs.dedup();
        if pairs.is_empty() || places < 2 {
            return model;
        }
        let (rate, reg) = (settings.learning_rate, settings.regularisation);
        for _ in 0..settings.epochs {
            for _ in 0..pairs.len() {
                let (u, i) = pairs[rng.below(pairs.len())];
                let j = rng.below(places);
                if pairs.binary_search(&(u, j)).is_ok() {
                    continue;
                }
                let (pu, pi, pj) = (u * k, i * k, j * k);
                let x: f64 =
                    (0..k).map(|f| model.users[pu + f] * (model.places[pi + f] - model.places[pj + f])).sum::<f64>()
                        + model.bias[i]
                        - model.bias[j];
                let g = 1.0 / (1.0 + x.exp());
                for f in 0..k {
                    let (wu, hi, hj) = (model.users[pu + f], model.places[pi + f], model.places[pj + f]);
                    model.users[pu + f] += rate * (g * (hi - hj) - reg * wu);
                    model.places[pi + f] += rate * (g * wu - reg * hi);
                    model.places[pj + f] += rate * (-g * wu - reg * hj);
                }
                model.bias[i] += rate * (g - reg * model.bias[i]);
                model.bias[j] += rate * (-g - reg * model.bias[j]);
            }
        }
        model
    }

    /// User `user`'s score for `place`.
    pub fn score(&self, user: usize, place: usize) -> f64 {
        let k = self.factors;
        (0..k).map(|f| self.users[user * k + f] * self.places[place * k + f]).sum::<f64>() + self.bias[place]
    }

    /// Place `place`'s bias.
    pub fn bias_of(&self, place: usize) -> f64 {
        self.bias[place]
    }

    /// Users' and places' vectors of `dim` values each with this model's factors appended to
    /// every row, and the new row length.
    pub fn appended(&self, users: &[f32], places: &[f32], dim: usize) -> (Vec<f32>, Vec<f32>, usize) {
        let k = self.factors;
        let join = |rows: &[f32], factors: &[f64]| -> Vec<f32> {
            rows.chunks(dim.max(1))
                .zip(factors.chunks(k.max(1)))
                .flat_map(|(r, f)| r.iter().copied().chain(f.iter().map(|&x| x as f32)))
                .collect()
        };
        (join(users, &self.users), join(places, &self.places), dim + k)
    }
}

impl Ranker for BprMf {
    fn name(&self) -> String {
        "bpr-mf".into()
    }

    fn scores(&self, case: &Case, candidates: &[usize]) -> Vec<f64> {
        factor_scores(&self.users, &self.places, &self.bias, self.factors, case.user, candidates)
    }
}
