//! Does the recommender put the places travellers really visit into their itineraries? On a
//! cross-city data set (travellers between two cities with venue categories), each traveller's
//! last visit to the other city is held out (nothing of it trains a model or chooses a
//! setting); a one-day itinerary in that city is planned over its venues, valued (a) by
//! popularity among visitors and (b) by the intention-aware recommender for that traveller;
//! the *hit rate* is the share of the visit's new venues that the itinerary visits.
//!
//! Each valuation ranks the city's venues and gives its [`TOP`] best the value `(TOP − r) / TOP`
//! by rank `r` (the same values for both, so only the order differs); the places go to the
//! planner as the request's own places (`visit` role, the category from the bridge, the
//! category's visit length), a day of 09:00–21:00 by car with no lodging, travel at 1.3 × the
//! straight line at 30 km/h. The route search plans it within [`SOLVE`]; the independent
//! checker re-checks every plan.

use crate::own_places::problem_from_places;
use std::collections::BTreeSet;
use std::time::Duration;
use tripsmith_model::{Category, Progress};
use tripsmith_planner::{PlaceInput, PlaceUse, TripRequest};
use tripsmith_recommend::baselines::{visitor_popularity, BprMf, BprSettings, Counting, Top};
use tripsmith_recommend::bridge::category_of;
use tripsmith_recommend::crosscity::CrossCity;
use tripsmith_recommend::eval::{ranked, Ranker};
use tripsmith_recommend::intention::{IntentionModel, IntentionSettings, TrainingData};
use tripsmith_recommend::metrics::{estimate, Estimate};
use tripsmith_recommend::outoftown::{city_regions, split_visits, AWAY_KM};
use tripsmith_recommend::split::Case;

/// Venues of the best-valued each itinerary is planned over.
pub const TOP: usize = 100;
/// Time the route search has for one itinerary.
pub const SOLVE: Duration = Duration::from_millis(300);

/// Why the evaluation stopped.
#[derive(Debug, thiserror::Error)]
pub enum VisitPlanError {
    /// The recommender could not be trained.
    #[error("training the recommender failed: {0}")]
    Training(#[from] candle_core::Error),
    /// A request built for a traveller was refused (a bug, reported as such).
    #[error("the itinerary request for traveller {traveller} is invalid: {reason}")]
    Request {
        /// The traveller.
        traveller: usize,
        /// Why.
        reason: String,
    },
}

/// One traveller's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct TravellerHits {
    /// The traveller's user id in the file.
    pub user: String,
    /// The new venues of their last visit.
    pub targets: usize,
    /// Of them, in the popularity-valued itinerary.
    pub popularity: usize,
    /// Of them, in the recommender-valued itinerary.
    pub recommender: usize,
    /// Stops of each itinerary (popularity, recommender).
    pub stops: (usize, usize),
}

/// The evaluation's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitPlanReport {
    /// The data set's name.
    pub dataset: String,
    /// Each held-out traveller's outcome.
    pub travellers: Vec<TravellerHits>,
    /// Mean hit rate of the popularity-valued itineraries.
    pub popularity: f64,
    /// Mean hit rate of the recommender-valued itineraries.
    pub recommender: f64,
    /// Recommender − popularity, traveller by traveller, with its 95 % interval.
    pub paired: Estimate,
    /// Plans the checker found a violation in (none expected).
    pub violations: usize,
    /// Itineraries the search found no plan for.
    pub unplanned: usize,
}

/// The request's own places for one valuation: the `TOP` best of `candidates` by `scores`.
fn places(cc: &CrossCity, candidates: &[usize], scores: &[f64]) -> Vec<PlaceInput> {
    ranked(candidates, scores)
        .into_iter()
        .take(TOP)
        .enumerate()
        .map(|(r, p)| PlaceInput {
            id: cc.place_ids[p].clone(),
            name: format!("{} ({})", cc.categories[p], cc.place_ids[p]),
            lat: cc.data.pois[p].lat,
            lon: cc.data.pois[p].lon,
            category: category_of(&cc.categories[p]).unwrap_or(Category::Attraction),
            value: Some((TOP - r) as f64 / TOP as f64),
            visit_minutes: None,
            opening_hours: None,
            role: Some(PlaceUse::Visit),
        })
        .collect()
}

/// Plans one day over `places`: the ids visited, and whether the checker found a violation
/// (`None`: no plan).
fn plan_day(traveller: usize, places: Vec<PlaceInput>) -> Result<Option<(Vec<String>, bool)>, VisitPlanError> {
    let invalid = |reason: String| VisitPlanError::Request { traveller, reason };
    let mut request = TripRequest::from_json(r#"{"days": 1, "return_to_base": false, "travel": {"modes": ["car"]}}"#)
        .map_err(|e| invalid(e.to_string()))?;
    request.places = places;
    request.validate().map_err(|e| invalid(e.to_string()))?;
    let (problem, _) = problem_from_places(&request).map_err(|e| invalid(e.to_string()))?;
    let Some(plan) = tripsmith_planner::search::plan(&problem, SOLVE, &|_| {}) else { return Ok(None) };
    let broken = !tripsmith_planner::checker::check(&problem, &plan).is_empty();
    let ids = plan.days.iter().flat_map(|d| d.stops.iter().map(|s| s.id.clone())).collect();
    Ok(Some((ids, broken)))
}

/// Runs the evaluation with the recommender's `seed`.
pub fn run(cc: &CrossCity, seed: u64, progress: &dyn Progress) -> Result<VisitPlanReport, VisitPlanError> {
    let (homes, visits, regions) = (cc.homes(), cc.visits(), city_regions(cc));
    let test = split_visits(cc, &visits, &homes, 1);
    let counts = visitor_popularity(&test.train, &cc.data.pois, &homes, AWAY_KM, Counting::Visitors);
    let popularity = Top { name: "top-visitors".into(), counts };
    progress.update("training the recommender", 0, 1);
    let base = BprMf::train(&test.train, cc.data.users, cc.data.pois.len(), BprSettings { seed, ..Default::default() });
    let input = TrainingData {
        data: &cc.data,
        train: &test.train,
        homes: &homes,
        regions: &regions,
        away_km: AWAY_KM,
        base: Some(&base),
    };
    let recommender =
        IntentionModel::train(&input, &IntentionSettings { seed, ..Default::default() }, progress, &|| false)?;
    let (mut travellers, mut violations, mut unplanned) = (Vec::new(), 0, 0);
    for (i, case) in test.cases.iter().enumerate() {
        progress.update("planning", i as u64, test.cases.len() as u64);
        let candidates = &regions.members[case.region];
        let mut hits = [0usize; 2];
        let mut stops = [0usize; 2];
        for (k, ranker) in [&popularity as &dyn Ranker, &recommender].into_iter().enumerate() {
            let chosen = places(cc, candidates, &ranker.scores(case, candidates));
            match plan_day(case.user, chosen)? {
                Some((ids, broken)) => {
                    violations += usize::from(broken);
                    stops[k] = ids.len();
                    hits[k] = hit_count(cc, case, &ids);
                }
                None => unplanned += 1,
            }
        }
        travellers.push(TravellerHits {
            user: cc.user_ids[case.user].clone(),
            targets: case.targets.len(),
            popularity: hits[0],
            recommender: hits[1],
            stops: (stops[0], stops[1]),
        });
    }
    let rate = |t: &TravellerHits, hits: usize| hits as f64 / t.targets.max(1) as f64;
    let mean =
        |f: &dyn Fn(&TravellerHits) -> f64| travellers.iter().map(f).sum::<f64>() / travellers.len().max(1) as f64;
    let differences: Vec<f64> = travellers.iter().map(|t| rate(t, t.recommender) - rate(t, t.popularity)).collect();
    Ok(VisitPlanReport {
        dataset: cc.data.name.clone(),
        popularity: mean(&|t| rate(t, t.popularity)),
        recommender: mean(&|t| rate(t, t.recommender)),
        paired: estimate(&differences),
        travellers,
        violations,
        unplanned,
    })
}

/// How many of `case`'s targets the itinerary's stop ids visit.
fn hit_count(cc: &CrossCity, case: &Case, ids: &[String]) -> usize {
    let visited: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
    case.targets.iter().filter(|&&p| visited.contains(cc.place_ids[p].as_str())).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_valuation_gives_its_best_venues_the_same_values_by_rank() {
        let file = "userid,placeid,time,timeoffset,lng,lat,spot_categ,cross_city_mode
1,a,Mon Apr 02 10:00:00 +0000 2012,-240,-77.0,38.9,Museum,Washington_Washington
1,b,Tue Apr 03 10:00:00 +0000 2012,-240,-76.6,39.3,Park,Washington_Baltimore
1,c,Tue Apr 10 10:00:00 +0000 2012,-240,-76.6,39.29,Bar,Washington_Baltimore
";
        let cc = tripsmith_recommend::crosscity::parse_cross_city("t", "t.csv", file).unwrap();
        let chosen = places(&cc, &[1, 2], &[0.2, 0.9]);
        assert_eq!(chosen.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["c", "b"], "best first");
        assert_eq!(chosen[0].value, Some(1.0));
        assert_eq!(chosen[1].value, Some((TOP - 1) as f64 / TOP as f64));
        assert!(chosen.iter().all(|p| p.role == Some(PlaceUse::Visit)), "a bar is a visit too");
        assert_eq!((chosen[0].category, chosen[1].category), (Category::Bar, Category::Park));
        // One day over them: both planned, checked, and counted against the targets.
        let (ids, broken) = plan_day(0, chosen).unwrap().unwrap();
        assert!(!broken);
        assert_eq!(ids.len(), 2, "{ids:?}");
        let case = Case { user: 0, home: cc.data.pois[0], region: 1, targets: vec![2] };
        assert_eq!(hit_count(&cc, &case, &ids), 1);
    }
}
