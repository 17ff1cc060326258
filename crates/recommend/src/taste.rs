//! Home-category transfer: what a traveller checks in at elsewhere, by category, says what
//! they will want in a region they have not been to. Scores OSM places of any region, so it
//! is what `tripsmith recommend --history` and `tripsmith plan --history` use (the check-in
//! data sets with trips carry no categories, so the intention model cannot reach OSM places).
//!
//! A history's venue categories go through the [`bridge`](crate::bridge). Only the categories
//! for which [`is_trip_category`] holds are recommended; check-ins at transport, lodging, health, service
//! and education places are counted as everyday life and left out. The weight of a trip
//! category is its share of the trip-category check-ins, smoothed by [`PSEUDO_CHECKINS`]
//! spread evenly, so a category never visited keeps a small weight.
//!
//! A region's places are ranked so that categories share the list in proportion to their
//! weights: the k-th place of a category (named places first, then nearest to the point of
//! interest) scores weight / k, the D'Hondt rule, so a traveller who is two-thirds museums and
//! one-third nightlife gets about two museums for each club rather than only museums.

use crate::bridge::{bridge, Bridged};
use crate::DataError;
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use tripsmith_model::{Category, LatLon, Poi};

/// Whether a trip is made of places of this category (places to see, eat, drink, shop and
/// play); lodging, information, transport, health, service and education are everyday life.
pub fn is_trip_category(category: Category) -> bool {
    !matches!(
        category,
        Category::Lodging
            | Category::Information
            | Category::Transport
            | Category::Health
            | Category::Service
            | Category::Education
    )
}

/// The trip categories, in [`Category::ALL`]'s order.
pub fn trip_categories() -> impl Iterator<Item = Category> {
    Category::ALL.into_iter().filter(|&c| is_trip_category(c))
}

/// Check-ins added to a history, spread evenly over the trip categories, before shares are
/// taken: a short history does not rule out what it has not seen.
pub const PSEUDO_CHECKINS: f64 = 2.0;

/// The least weight, relative to the heaviest category, that a category needs to count as an
/// interest when planning.
pub const MIN_INTEREST: f64 = 0.1;

/// How much one trip category weighs in a history, and why.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CategoryWeight {
    /// The category.
    pub category: Category,
    /// Check-ins the history has in it.
    pub checkins: usize,
    /// Smoothed share of the trip-category check-ins (all weights sum to 1).
    pub weight: f64,
    /// The history's venue category names behind it, most frequent first (at most three).
    pub examples: Vec<String>,
}

/// A traveller's taste by category, learned from a check-in history.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Taste {
    /// Every trip category, heaviest first.
    pub weights: Vec<CategoryWeight>,
    /// Check-ins in the history.
    pub checkins: usize,
    /// Check-ins at trip categories (the ones weighed).
    pub counted: usize,
    /// Check-ins at everyday places (transport, lodging, health, service, education).
    pub everyday: usize,
    /// Check-ins at no destination (homes, offices, roads).
    pub no_destination: usize,
    /// Venue category names the bridge does not know, with their check-ins, most first.
    pub unknown: Vec<(String, usize)>,
}

impl Taste {
    /// Learns the taste of the venue category names of a history. Refused when none of them
    /// is at a trip category (nothing to go on).
    pub fn from_history(names: &[String]) -> Result<Taste, DataError> {
        let mut by_category: BTreeMap<Category, BTreeMap<&str, usize>> = BTreeMap::new();
        let mut unknown: BTreeMap<&str, usize> = BTreeMap::new();
        let (mut everyday, mut no_destination) = (0, 0);
        for name in names {
            match bridge(name) {
                Bridged::To(c) if is_trip_category(c) => {
                    *by_category.entry(c).or_default().entry(name.trim()).or_default() += 1
                }
                Bridged::To(_) => everyday += 1,
                Bridged::NoDestination => no_destination += 1,
                Bridged::Unknown => *unknown.entry(name.trim()).or_default() += 1,
            }
        }
        let counted: usize = by_category.values().flat_map(|m| m.values()).sum();
        let unknown = most_first(&unknown);
        if counted == 0 {
            let shown: Vec<&str> = unknown.iter().take(5).map(|(n, _)| n.as_str()).collect();
            return Err(DataError::Data(format!(
                "none of the {} check-ins is at a place a traveller visits ({everyday} at everyday places, \
                 {no_destination} at homes, offices or roads, {} at categories the bridge does not know{})",
                names.len(),
                names.len() - everyday - no_destination,
                if shown.is_empty() { String::new() } else { format!(": {}", shown.join(", ")) }
            )));
        }
        let prior = PSEUDO_CHECKINS / trip_categories().count() as f64;
        let mut weights: Vec<CategoryWeight> = trip_categories()
            .map(|category| {
                let names = by_category.get(&category);
                let checkins = names.map_or(0, |m| m.values().sum());
                CategoryWeight {
                    category,
                    checkins,
                    weight: (checkins as f64 + prior) / (counted as f64 + PSEUDO_CHECKINS),
                    examples: names
                        .map_or_else(Vec::new, |m| most_first(m).into_iter().take(3).map(|(n, _)| n).collect()),
                }
            })
            .collect();
        weights.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.category.cmp(&b.category)));
        Ok(Taste { weights, checkins: names.len(), counted, everyday, no_destination, unknown })
    }

    /// The weight of a category (0 for categories that are not trip categories).
    pub fn weight(&self, category: Category) -> f64 {
        self.weights.iter().find(|w| w.category == category).map_or(0.0, |w| w.weight)
    }

    /// The weights as trip-request interests, scaled so the heaviest category has 1; a
    /// category under [`MIN_INTEREST`] of the heaviest gets 0, so a stray check-in (or the
    /// smoothing alone) does not put a museum in a nightlife lover's day.
    pub fn interests(&self) -> BTreeMap<Category, f64> {
        let top = self.weights.first().map_or(1.0, |w| w.weight);
        self.weights
            .iter()
            .map(|w| {
                let share = w.weight / top;
                (w.category, if share < MIN_INTEREST { 0.0 } else { share })
            })
            .collect()
    }

    /// Adds the taste's [`Taste::interests`] to a trip request's `interests` for every category
    /// the request does not weigh itself (what the traveller states wins over their history),
    /// and marks those in `from_history` so the plan can say where they came from.
    pub fn fill_interests(&self, interests: &mut BTreeMap<Category, f64>, from_history: &mut BTreeSet<Category>) {
        for (category, weight) in self.interests() {
            if let std::collections::btree_map::Entry::Vacant(slot) = interests.entry(category) {
                slot.insert(weight);
                from_history.insert(category);
            }
        }
    }

    /// Why a place of `category` is recommended, in words.
    pub fn because(&self, category: Category) -> String {
        match self.weights.iter().find(|w| w.category == category) {
            Some(w) if w.checkins > 0 => format!(
                "{category}: {} of your {} check-ins at places a traveller visits ({:.0} %), e.g. {}",
                w.checkins,
                self.counted,
                100.0 * w.checkins as f64 / self.counted as f64,
                w.examples.join(", ")
            ),
            _ => format!("{category}: not in your history; suggested for variety"),
        }
    }
}

/// Names with counts, most first (ties by name).
fn most_first(counts: &BTreeMap<&str, usize>) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = counts.iter().map(|(n, c)| (n.to_string(), *c)).collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// A place recommended for a taste.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Recommendation {
    /// The place's OSM reference (`node/123`).
    pub id: String,
    /// Its name (or, unnamed, its tag and reference).
    pub name: String,
    /// Its category.
    pub category: Category,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Its score: its category's weight over its rank within the category.
    pub score: f64,
    /// Metres from the point the list is for.
    pub metres: f64,
    /// Why, in words (the history behind its category).
    pub because: String,
}

/// The `top` places of `pois` for `taste`, best first, categories sharing the list by weight
/// (see the module doc); within a category named places come first, then the nearest to
/// `near`. Places outside the trip categories are never recommended.
pub fn recommend(taste: &Taste, pois: &[Poi], near: LatLon, top: usize) -> Vec<Recommendation> {
    let mut by_category: BTreeMap<Category, Vec<(&Poi, f64)>> = BTreeMap::new();
    for poi in pois.iter().filter(|p| is_trip_category(p.category)) {
        by_category.entry(poi.category).or_default().push((poi, poi.location.haversine_m(near)));
    }
    let mut ranked: Vec<(&Poi, f64, f64)> = Vec::new();
    for (category, mut places) in by_category {
        places.sort_by(|a, b| {
            b.0.name.is_some().cmp(&a.0.name.is_some()).then(a.1.total_cmp(&b.1)).then(a.0.osm.cmp(&b.0.osm))
        });
        let weight = taste.weight(category);
        ranked.extend(
            places.into_iter().take(top).enumerate().map(|(k, (poi, metres))| (poi, weight / (k + 1) as f64, metres)),
        );
    }
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.total_cmp(&b.2)).then(a.0.osm.cmp(&b.0.osm)));
    ranked
        .into_iter()
        .take(top)
        .map(|(poi, score, metres)| Recommendation {
            id: poi.osm.to_string(),
            name: poi.name.clone().unwrap_or_else(|| poi.display_name()),
            category: poi.category,
            lat: poi.location.lat,
            lon: poi.location.lon,
            score,
            metres,
            because: taste.because(poi.category),
        })
        .collect()
}

/// A region's places for a taste, as `tripsmith recommend --history --json` prints them and
/// `POST /v1/recommendations` answers.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct RegionRecommendations {
    /// The region.
    pub region: String,
    /// The point equal places were ranked by, [lat, lon].
    pub near: [f64; 2],
    /// What the history says about the traveller.
    pub taste: Taste,
    /// The taste as a trip request's `interests` (heaviest category 1), to plan with.
    pub interests: BTreeMap<Category, f64>,
    /// The places, best first.
    pub recommendations: Vec<Recommendation>,
}

impl RegionRecommendations {
    /// The `top` places of the region `region` (its POIs `pois`) for `taste`, as [`recommend`]
    /// ranks them around `near`.
    pub fn new(taste: Taste, region: &str, pois: &[Poi], near: LatLon, top: usize) -> Self {
        RegionRecommendations {
            region: region.to_string(),
            near: [near.lat, near.lon],
            interests: taste.interests(),
            recommendations: recommend(&taste, pois, near, top),
            taste,
        }
    }
}
