//! Planning problems from a region: candidate places from the POI catalog (with documented
//! estimates for what OSM does not say) and the travel matrix from the routers.
//!
//! Estimates, per person unless said otherwise, all in the region's currency:
//! - visit length by category: [`visit_minutes`];
//! - entry fee when the place is tagged `fee=yes` (or a `charge`): [`entry_fee`]; free otherwise;
//! - meal price by category: restaurant 25, café 10, fast food 12, bar 15;
//! - lodging price per night for the party: hotel 120, guest house / apartment / chalet 90,
//!   hostel 35 per person, camp site 30; room type and house rules unknown.
//!
//! Scores are the request's interest weights by category (1 when the request has none; 0 for
//! categories it does not mention when it has some). Candidates are pruned explicitly: at most
//! `max_visits` sights with a positive score (highest score, then nearest to the trip's centre),
//! `max_food` places to eat, raised to one per planned meal of the trip since a place serves one
//! meal (serving a requested cuisine first, then nearest) and `max_lodgings`
//! lodgings (nearest), plus every place the request names.

use crate::Region;
use tripsmith_model::{Category, LatLon, Poi, Profile};
use tripsmith_planner::{Candidate, LodgingOffer, Money, Problem, TravelMatrix, TripRequest, UnknownPlace};
use tripsmith_routing::RoutingError;

/// Limits on how many candidates of each kind go to the solver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CandidateLimits {
    /// Sights.
    pub max_visits: usize,
    /// Places to eat.
    pub max_food: usize,
    /// Lodgings.
    pub max_lodgings: usize,
}

impl Default for CandidateLimits {
    fn default() -> Self {
        Self { max_visits: 12, max_food: 8, max_lodgings: 3 }
    }
}

/// What pruning kept, for reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Pruning {
    /// Sights in the region / kept.
    pub visits: (usize, usize),
    /// Places to eat in the region / kept.
    pub food: (usize, usize),
    /// Lodgings in the region / kept.
    pub lodgings: (usize, usize),
    /// When the solver models arcs only between each sight and its nearest others: how many.
    /// Set by the caller that chooses the solver.
    pub nearest_arcs: Option<usize>,
}

/// Why a problem could not be built.
#[derive(Debug, thiserror::Error)]
pub enum PlanningError {
    /// The request names a place the region does not have.
    #[error(transparent)]
    UnknownPlace(#[from] UnknownPlace),
    /// A candidate cannot be routed (too far from roads).
    #[error(transparent)]
    Routing(#[from] RoutingError),
}

/// Minutes a visit of this category takes.
pub fn visit_minutes(c: Category) -> u16 {
    match c {
        Category::Museum => 90,
        Category::Culture | Category::Sport => 120,
        Category::Art | Category::Attraction | Category::Nature => 60,
        Category::Historic | Category::Park | Category::Shopping => 45,
        Category::Religion => 30,
        Category::Viewpoint | Category::Information => 20,
        _ => 30,
    }
}

/// Entry fee per person, from `fee`/`charge` and the category.
pub fn entry_fee(poi: &Poi) -> Money {
    let charged =
        poi.fee.as_deref().is_some_and(|f| !matches!(f.trim().to_ascii_lowercase().as_str(), "no" | "free" | "0"));
    if !charged {
        return Money(0);
    }
    Money(match poi.category {
        Category::Museum => 1200,
        Category::Attraction => 1500,
        Category::Culture => 2500,
        Category::Historic => 800,
        Category::Sport => 1000,
        _ => 500,
    })
}

fn meal_price(c: Category) -> Money {
    Money(match c {
        Category::Restaurant => 2500,
        Category::Cafe => 1000,
        Category::FastFood => 1200,
        _ => 1500,
    })
}

fn lodging_offer(poi: &Poi, party: u32) -> LodgingOffer {
    let price = match poi.tag.as_str() {
        "tourism=hotel" | "tourism=motel" => 12000,
        "tourism=hostel" => 3500 * i64::from(party),
        "tourism=camp_site" | "tourism=caravan_site" => 3000,
        _ => 9000,
    };
    LodgingOffer { price_per_night: Money(price), room_type: None, house_rules: Vec::new() }
}

fn candidate(poi: &Poi, request: &TripRequest) -> Candidate {
    let score =
        if request.interests.is_empty() { 1.0 } else { request.interests.get(&poi.category).copied().unwrap_or(0.0) };
    Candidate {
        id: poi.osm.to_string(),
        name: poi.name.clone().or_else(|| poi.name_en.clone()).unwrap_or_else(|| poi.display_name()),
        aliases: poi.name_en.iter().filter(|en| poi.name.as_ref() != Some(*en)).cloned().collect(),
        category: poi.category,
        location: poi.location,
        hours: poi.opening_hours.as_ref().and_then(|h| h.schedule.clone()),
        visit_minutes: visit_minutes(poi.category),
        price: if poi.category.is_food() { meal_price(poi.category) } else { entry_fee(poi) },
        score,
        cuisines: poi.cuisine.clone(),
        wheelchair: poi.wheelchair,
        lodging: (poi.category == Category::Lodging).then(|| lodging_offer(poi, request.party_size)),
    }
}

fn named(poi: &Poi, reference: &str) -> bool {
    let r = reference.trim();
    poi.osm.to_string() == r
        || poi.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(r))
        || poi.name_en.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(r))
}

/// Builds the planning problem for `request` on `region`.
pub fn build_problem(
    region: &Region,
    request: &TripRequest,
    limits: CandidateLimits,
) -> Result<(Problem, Pruning), PlanningError> {
    let references: Vec<&String> = request
        .must_visit
        .iter()
        .chain(&request.must_avoid)
        .chain(request.lodging.iter().filter_map(|l| l.place.as_ref()))
        .collect();
    let catalog = region.catalog();
    let is_named = |poi: &Poi| references.iter().any(|r| named(poi, r));
    let anchors: Vec<LatLon> = catalog.iter().filter(|p| is_named(p)).map(|p| p.location).collect();
    let centre = if anchors.is_empty() { region.centre() } else { mean(anchors) };
    let distance = |p: &Poi| p.location.haversine_m(centre);
    let by_rank = |pois: &mut Vec<&Poi>, score: &dyn Fn(&Poi) -> f64| {
        pois.sort_by(|a, b| {
            score(b).total_cmp(&score(a)).then(distance(a).total_cmp(&distance(b))).then(a.osm.cmp(&b.osm))
        });
    };
    let weight = |p: &Poi| {
        if request.interests.is_empty() {
            1.0
        } else {
            request.interests.get(&p.category).copied().unwrap_or(0.0)
        }
    };
    let mut sights: Vec<&Poi> =
        catalog.iter().filter(|p| !p.category.is_food() && p.category != Category::Lodging).collect();
    let mut food: Vec<&Poi> = catalog.iter().filter(|p| p.category.is_food()).collect();
    let mut lodgings: Vec<&Poi> = catalog.iter().filter(|p| p.category == Category::Lodging).collect();
    let mut pruning =
        Pruning { visits: (sights.len(), 0), food: (food.len(), 0), lodgings: (lodgings.len(), 0), nearest_arcs: None };
    by_rank(&mut sights, &weight);
    by_rank(&mut food, &|_| 0.0);
    // A place serves one meal of the trip, so there must be at least one per planned meal.
    let meals = tripsmith_planner::MealKind::ALL.iter().filter(|k| request.meal(**k).is_some()).count();
    let food = food_for_meals(&food, request, limits.max_food.max(meals * request.days as usize));
    by_rank(&mut lodgings, &|_| 0.0);
    let wants_meals =
        request.meals.breakfast.is_some() || request.meals.lunch.is_some() || request.meals.dinner.is_some();
    let mut kept: Vec<&Poi> = Vec::new();
    for (list, max, count) in [
        (&sights, limits.max_visits, &mut pruning.visits.1),
        (&food, if wants_meals { food.len() } else { 0 }, &mut pruning.food.1),
        (&lodgings, limits.max_lodgings, &mut pruning.lodgings.1),
    ] {
        for (rank, p) in list.iter().enumerate() {
            let wanted = rank < max && (p.category.is_food() || p.category == Category::Lodging || weight(p) > 0.0);
            if (wanted || is_named(p)) && !kept.iter().any(|k| k.osm == p.osm) {
                kept.push(p);
                *count += 1;
            }
        }
    }
    let candidates: Vec<Candidate> = kept.iter().map(|p| candidate(p, request)).collect();
    let travel = travel_matrix(region, &request.travel.modes, &candidates)?;
    let problem = Problem { request: request.clone(), candidates, travel };
    // Named places are always kept, so a name the catalog lacks shows up here.
    problem.check_places()?;
    Ok((problem, pruning))
}

/// Places to eat, nearest first, chosen so that every requested meal and cuisine is covered:
/// for each requested cuisine the two nearest places serving it, then for each meal in turn the
/// nearest places open during its window, until `max` places are chosen.
fn food_for_meals<'a>(nearest_first: &[&'a Poi], request: &TripRequest, max: usize) -> Vec<&'a Poi> {
    let mut chosen: Vec<&Poi> = Vec::new();
    let add = |p: &'a Poi, chosen: &mut Vec<&'a Poi>| {
        if !chosen.iter().any(|c| c.osm == p.osm) {
            chosen.push(p);
        }
    };
    for cuisine in &request.meals.cuisines {
        let c = cuisine.to_lowercase();
        for p in nearest_first.iter().filter(|p| p.cuisine.contains(&c)).take(2) {
            add(p, &mut chosen);
        }
    }
    let windows: Vec<(u16, u16)> = tripsmith_planner::MealKind::ALL
        .iter()
        .filter_map(|k| request.meal(*k))
        .map(|m| (m.window[0].minutes(), m.window[1].minutes() + m.minutes))
        .collect();
    let open_for = |p: &Poi, (from, to): (u16, u16)| {
        p.opening_hours
            .as_ref()
            .and_then(|h| h.schedule.as_ref())
            .is_none_or(|week| week.days.iter().any(|day| day.iter().any(|r| r.start < to && from < r.end)))
    };
    let mut per_meal: Vec<std::vec::IntoIter<&Poi>> = windows
        .iter()
        .map(|w| nearest_first.iter().copied().filter(|p| open_for(p, *w)).collect::<Vec<_>>().into_iter())
        .collect();
    while chosen.len() < max {
        let before = chosen.len();
        for list in per_meal.iter_mut() {
            if let Some(p) = list.find(|p| !chosen.iter().any(|c| c.osm == p.osm)) {
                add(p, &mut chosen);
            }
        }
        if chosen.len() == before {
            break;
        }
    }
    chosen
}

pub(crate) fn mean(points: Vec<LatLon>) -> LatLon {
    let n = points.len().max(1) as f64;
    LatLon { lat: points.iter().map(|p| p.lat).sum::<f64>() / n, lon: points.iter().map(|p| p.lon).sum::<f64>() / n }
}

/// Fastest allowed mode per pair: minutes rounded up, and the metres of that mode's path.
fn travel_matrix(region: &Region, modes: &[Profile], candidates: &[Candidate]) -> Result<TravelMatrix, RoutingError> {
    let n = candidates.len();
    let points: Vec<LatLon> = candidates.iter().map(|c| c.location).collect();
    let mut minutes: Vec<Option<u32>> = vec![None; n * n];
    let mut metres: Vec<Option<u32>> = vec![None; n * n];
    for &mode in modes {
        let table = region.router(mode).table(&points, &points)?;
        for i in 0..n {
            for j in 0..n {
                let (Some(s), Some(m)) = (table.durations_s[i][j], table.distances_m[i][j]) else { continue };
                let mins = (s / 60.0).ceil() as u32;
                let cell = i * n + j;
                if minutes[cell].is_none_or(|best| mins < best) {
                    minutes[cell] = Some(mins);
                    metres[cell] = Some(m.round() as u32);
                }
            }
        }
    }
    Ok(TravelMatrix { n, minutes, metres })
}
