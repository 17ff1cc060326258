//! Evaluation splits: each traveller's last trip (or, for validation, the one before it) is
//! held out; what they and everyone else did otherwise is the training data.

use crate::checkins::{CheckIn, CheckIns};
use crate::regions::Regions;
use crate::trips::Traveller;
use tripsmith_model::LatLon;

/// Which trip each traveller holds out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holdout {
    /// The last trip; training keeps every earlier one.
    Test,
    /// The trip before the last, for choosing settings; training keeps only the trips before
    /// it (the last trip is out of sight altogether).
    Validation,
}

/// One held-out trip: a user arriving in a region they have not checked in at before.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// The traveller.
    pub user: usize,
    /// Their home.
    pub home: LatLon,
    /// The trip's destination: the region holding most of its check-ins.
    pub region: usize,
    /// The distinct places of the trip within its destination, sorted: what a recommender
    /// should rank first.
    pub targets: Vec<usize>,
}

/// Training check-ins and the held-out trips to rank.
#[derive(Debug, Clone)]
pub struct Split {
    /// Every check-in a model may learn from.
    pub train: Vec<CheckIn>,
    /// The held-out trips.
    pub cases: Vec<Case>,
    /// Held-out trips dropped because the user had checked in at the destination before.
    pub revisits: usize,
}

/// Splits `data` for `travellers`: holds out one trip each (kept as a case when its destination
/// is new to the user), and trains on everything else before it.
pub fn split(data: &CheckIns, travellers: &[Traveller], regions: &Regions, holdout: Holdout) -> Split {
    let back = match holdout {
        Holdout::Test => 1,
        Holdout::Validation => 2,
    };
    // The check-ins out of sight: the held-out trip and, for validation, the one after it
    // (with any exact repeats of them).
    let key = |e: &CheckIn| (e.user, e.time.to_bits(), e.poi);
    let mut hidden = std::collections::HashSet::new();
    let mut cases = Vec::new();
    let mut revisits = 0;
    for t in travellers.iter().filter(|t| t.trips.len() >= back) {
        let held = &t.trips[t.trips.len() - back];
        for trip in &t.trips[t.trips.len() - back..] {
            hidden.extend(trip.iter().map(key));
        }
        let Some(region) = regions.majority(held.iter().map(|e| e.poi)) else { continue };
        let seen = t.at_home.iter().chain(t.trips[..t.trips.len() - back].iter().flatten());
        if seen.clone().any(|e| regions.of[e.poi] == region) {
            revisits += 1;
            continue;
        }
        let mut targets: Vec<usize> = held.iter().map(|e| e.poi).filter(|&p| regions.of[p] == region).collect();
        targets.sort_unstable();
        targets.dedup();
        cases.push(Case { user: t.user, home: t.home, region, targets });
    }
    let train = data.events.iter().filter(|e| !hidden.contains(&key(e))).copied().collect();
    Split { train, cases, revisits }
}
