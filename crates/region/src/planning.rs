//! Planning problems from a region: candidate places from the POI catalog (with documented
//! estimates for what OSM does not say) and the travel matrix from the routers.
//!
//! Estimates, per person unless said otherwise, all in the region's currency:
//! - visit length by category, a look at an artwork, fountain or memorial: [`place_visit_minutes`];
//! - entry fee when the place is tagged `fee=yes` (or a `charge`): [`entry_fee`]; free otherwise;
//! - meal price by venue and what OSM says of it: [`meal_price`];
//! - lodging price per night for the party: hotel 120, guest house / apartment / chalet 90,
//!   hostel 35 per person, camp site 30; the room type and house rules OSM states or implies
//!   ([`lodging_offer`]), the other rules unknown (allowed, and the plan says so).
//!
//! Values come from the value model ([`crate::value`]). Candidates: the `max_visits` places of
//! the whole region with the highest value (ties: nearest to the trip's centre), plus every
//! place the request names; meal venues that suit the requested meals (restaurants; cafés and
//! fast food where the meal allows them), at least one per planned meal of the trip, nearest to
//! the chosen sights first (serving a requested cuisine first); the `max_lodgings` nearest
//! lodgings among those that meet the request's room type, house rules and price (then the
//! others). Opening hours are evaluated on the trip's dates ([`tripsmith_planner::hours`]),
//! with the default of the place's kind when OSM gives none that parses, and cut to daylight
//! for outdoor sights.

use crate::value::worth;
use crate::Region;
use tripsmith_model::{Category, LatLon, MealVenue, PlaceRole, Poi, Profile};
use tripsmith_osm::places::normalise_name;
use tripsmith_planner::hours::{default_hours, parse, trip_dates, trip_hours, within_daylight, OUTDOOR};
use tripsmith_planner::{
    Candidate, HoursOrigin, HouseRule, LodgingOffer, MealKind, ModeTravel, Money, Problem, RoomType, TravelMatrix,
    TripRequest, UnknownPlace,
};
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
    /// Sights of one category beyond what the pace lets the trip visit (variety among the
    /// candidates: the trip can visit only so many of one kind).
    pub spare_per_category: usize,
}

impl Default for CandidateLimits {
    /// The limits of the exact backends (MILP, z3): 16 sights (of one category one more than the
    /// trip can visit), 8 places to eat, 3 lodgings.
    fn default() -> Self {
        Self { max_visits: 16, max_food: 8, max_lodgings: 3, spare_per_category: 1 }
    }
}

impl CandidateLimits {
    /// The default limits for `backend`: the route search takes every place worth a visit (up
    /// to 250 sights, of one category 12 more than the trip can visit; 40 places to eat, 3
    /// lodgings); the exact backends [`Self::default`].
    pub fn for_backend(backend: tripsmith_planner::Backend) -> Self {
        match backend {
            tripsmith_planner::Backend::Search => {
                Self { max_visits: 250, max_food: 40, max_lodgings: 3, spare_per_category: 12 }
            }
            _ => Self::default(),
        }
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

/// Minutes a visit of `poi` takes: a look of a quarter of an hour at an artwork, a fountain or a
/// memorial (a statue is not an hour's visit), else its category's [`visit_minutes`].
pub fn place_visit_minutes(poi: &Poi) -> u16 {
    match poi.tag.as_str() {
        "tourism=artwork" | "amenity=fountain" | "historic=memorial" | "historic=plaque" => GLANCE_MINUTES,
        _ => visit_minutes(poi.category),
    }
}

/// Minutes of a look at an artwork, a fountain or a memorial.
pub const GLANCE_MINUTES: u16 = 15;

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

/// Fast-food and café chains whose meals cost less than a sit-down restaurant's.
const CHEAP_BRANDS: &[&str] =
    &["mcdonald", "burger king", "kfc", "subway", "quick", "paul", "starbucks", "domino", "pizza hut", "five guys"];

/// Cuisines of quick, cheap meals.
const CHEAP_CUISINES: &[&str] =
    &["pizza", "burger", "sandwich", "kebab", "crepe", "friture", "chicken", "bagel", "noodle", "street_food"];

/// Price of a meal per person, from what OSM says of the venue: fast food 12 (a chain 10), café
/// 15, restaurant 30; a restaurant serving pizza, burgers, sandwiches, kebab or crêpes 18,
/// seafood 40, fine dining or with `stars` 90.
pub fn meal_price(poi: &Poi) -> Money {
    let brand = poi.notability.brand.as_deref().or(poi.name.as_deref()).unwrap_or_default().to_lowercase();
    let chain = CHEAP_BRANDS.iter().any(|b| brand.contains(b));
    let serves = |list: &[&str]| poi.cuisine.iter().any(|c| list.iter().any(|k| c.contains(k)));
    Money(match poi.meal {
        Some(MealVenue::FastFood) if chain => 1000,
        Some(MealVenue::FastFood) => 1200,
        Some(MealVenue::Cafe) => 1500,
        _ if poi.notability.stars.is_some_and(|s| s > 0) || serves(&["fine_dining", "gourmet"]) => 9000,
        _ if serves(&["seafood", "fish"]) => 4000,
        _ if chain || serves(CHEAP_CUISINES) => 1800,
        _ => 3000,
    })
}

/// A lodging's offer from its OSM tags: the price estimated by kind; the room type its kind
/// implies (a hotel, motel or guest house lets private rooms, an apartment or chalet the whole
/// home, a hostel or mountain hut beds in shared rooms; a camp site none of these); smoking and
/// pets from `smoking` (`no`, `outside`: forbidden indoors; `yes`, `isolated`, `separated`,
/// `dedicated`: allowed), `pets` and `dog` (`no` forbids pets, `yes`/`leashed` allows them).
/// OSM has no tags for parties, visitors or children: those stay unknown.
pub fn lodging_offer(poi: &Poi, party: u32) -> LodgingOffer {
    let price = match poi.tag.as_str() {
        "tourism=hotel" | "tourism=motel" => 12000,
        "tourism=hostel" => 3500 * i64::from(party),
        "tourism=camp_site" | "tourism=caravan_site" => 3000,
        _ => 9000,
    };
    let room_type = match poi.tag.as_str() {
        "tourism=hotel" | "tourism=motel" | "tourism=guest_house" => Some(RoomType::PrivateRoom),
        "tourism=apartment" | "tourism=chalet" => Some(RoomType::EntireHome),
        "tourism=hostel" | "tourism=alpine_hut" | "tourism=wilderness_hut" => Some(RoomType::SharedRoom),
        _ => None,
    };
    let (mut house_rules, mut forbids) = (Vec::new(), Vec::new());
    let tag = |k: &str| poi.rule_tags.get(k).map(|v| v.to_ascii_lowercase());
    match tag("smoking").as_deref() {
        Some("no" | "outside") => forbids.push(HouseRule::Smoking),
        Some("yes" | "isolated" | "separated" | "dedicated") => house_rules.push(HouseRule::Smoking),
        _ => {}
    }
    match tag("pets").or_else(|| tag("dog")).as_deref() {
        Some("no") => forbids.push(HouseRule::Pets),
        Some("yes" | "leashed") => house_rules.push(HouseRule::Pets),
        _ => {}
    }
    LodgingOffer { price_per_night: Money(price), room_type, house_rules, forbids }
}

/// The name a request in `language` shows for a place (English by default, else the local name).
fn shown_name(poi: &Poi, language: Option<&str>) -> String {
    poi.name_in(language.unwrap_or("en")).map(str::to_string).unwrap_or_else(|| poi.display_name())
}

/// Where a region is, for the hours of its places: its country (public holidays) and its time
/// zone (daylight).
struct Locale<'a> {
    country: Option<&'a str>,
    timezone: Option<&'a str>,
    dates: &'a [tripsmith_planner::Date],
}

fn candidate(poi: &Poi, request: &TripRequest, locale: &Locale) -> Candidate {
    let (country, dates) = (locale.country, locale.dates);
    let worth = worth(poi, request);
    let name = shown_name(poi, request.language.as_deref());
    let mut aliases: Vec<String> = poi.all_names().filter(|n| **n != name).cloned().collect();
    aliases.sort();
    aliases.dedup();
    let dated = request.start_date.is_some();
    let tagged = poi.opening_hours.as_ref().map(|h| h.raw.as_str()).and_then(|raw| {
        let hours = parse(raw, country, dated)?;
        Some((raw.to_string(), hours, HoursOrigin::Tagged))
    });
    let hours = tagged.or_else(|| {
        let expression = default_hours(poi.category, &poi.tag).filter(|_| poi.category != Category::Lodging)?;
        Some((expression.to_string(), parse(expression, country, dated)?, HoursOrigin::Default))
    });
    let (opening_hours, hours, hours_origin) = match hours {
        Some((expression, parsed, origin)) => (Some(expression), Some(trip_hours(&parsed, dates)), Some(origin)),
        None => (None, None, None),
    };
    // Outdoor sights only in daylight.
    let hours = match (hours, locale.timezone) {
        (Some(h), Some(tz)) if OUTDOOR.contains(&poi.category) => Some(within_daylight(h, poi.location, dates, tz)),
        (h, _) => h,
    };
    Candidate {
        id: poi.osm.to_string(),
        name,
        aliases,
        category: poi.category,
        tag: Some(poi.tag.clone()),
        location: poi.location,
        hours,
        opening_hours,
        hours_origin,
        meal: poi.meal,
        visit_minutes: place_visit_minutes(poi),
        price: if poi.meal.is_some() { meal_price(poi) } else { entry_fee(poi) },
        score: worth.value,
        why: worth.why,
        cuisines: poi.cuisine.clone(),
        wheelchair: poi.wheelchair,
        lodging: (poi.category == Category::Lodging).then(|| lodging_offer(poi, request.party_size)),
    }
}

/// How well `poi` answers a place reference: 0 = not at all; higher is better. Its OSM id; then
/// a sight named exactly so (ignoring case and accents, in any language); then a sight whose
/// name holds every word of the reference ("Palais Princier" → "Palais princier de Monaco");
/// then a meal venue or lodging, and last a service (a bike station or bus stop named after
/// the sight), named exactly so.
fn reference_match(poi: &Poi, reference: &str) -> u8 {
    let r = reference.trim();
    if poi.osm.to_string() == r || poi.merged.iter().any(|m| m.to_string() == r) {
        return 10;
    }
    let wanted = normalise_name(r);
    let names: Vec<String> = poi.all_names().map(|n| normalise_name(n)).collect();
    let exact = names.contains(&wanted);
    let words: Vec<&str> = wanted.split(' ').filter(|w| !w.is_empty()).collect();
    let contains = !words.is_empty() && names.iter().any(|n| words.iter().all(|w| n.split(' ').any(|x| x == *w)));
    match (poi.role, exact, contains) {
        (PlaceRole::Sight, true, _) => 8,
        (PlaceRole::Sight, false, true) => 7,
        (PlaceRole::Food | PlaceRole::Lodging, true, _) => 6,
        (PlaceRole::Service, true, _) => 5,
        _ => 0,
    }
}

/// The request field a place reference comes from (`must_visit[0]`, `must_avoid[1]`, `lodging.place`).
fn request_field(request: &TripRequest, reference: &str) -> String {
    let at = |list: &[String]| list.iter().position(|p| p == reference);
    match (at(&request.must_visit), at(&request.must_avoid)) {
        (Some(i), _) => format!("must_visit[{i}]"),
        (None, Some(i)) => format!("must_avoid[{i}]"),
        (None, None) => "lodging.place".to_string(),
    }
}

/// Edit distance between two strings, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb)).min(row[j] + 1).min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

/// How close a name is to a reference (0 to 1): each word of the reference against the name's
/// most similar word (1 − edit distance / longer length), averaged; accents and case ignored.
fn name_similarity(reference: &str, name: &str) -> f64 {
    let words: Vec<&str> = reference.split(' ').filter(|w| !w.is_empty()).collect();
    let theirs: Vec<&str> = name.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() || theirs.is_empty() {
        return 0.0;
    }
    let best = |w: &str| {
        theirs
            .iter()
            .map(|x| 1.0 - edit_distance(w, x) as f64 / w.chars().count().max(x.chars().count()) as f64)
            .fold(0.0, f64::max)
    };
    words.iter().map(|w| best(w)).sum::<f64>() / words.len() as f64
}

/// The catalog's names closest to an unknown reference, for "did you mean": at most three, each
/// at least 70 % similar ([`name_similarity`] over its names in every language) and within 0.1
/// of the best; services only when no other place is that close (a car park named after the
/// garden is not what was meant); sights first, then the most notable.
fn closest_names(catalog: &[Poi], reference: &str) -> Vec<String> {
    let wanted = normalise_name(reference);
    let mut scored: Vec<(f64, &Poi)> = catalog
        .iter()
        .filter(|p| p.is_named())
        .filter_map(|p| {
            let score = p.all_names().map(|n| name_similarity(&wanted, &normalise_name(n))).fold(0.0, f64::max);
            (score >= 0.7).then_some((score, p))
        })
        .collect();
    let best = scored.iter().map(|(s, _)| *s).fold(0.0, f64::max);
    scored.retain(|(s, _)| *s >= best - 0.1);
    if scored.iter().any(|(_, p)| p.role != PlaceRole::Service) {
        scored.retain(|(_, p)| p.role != PlaceRole::Service);
    }
    let significance = |p: &Poi| crate::value::significance(p).0;
    scored.sort_by(|(sa, a), (sb, b)| {
        sb.total_cmp(sa)
            .then((b.role == PlaceRole::Sight).cmp(&(a.role == PlaceRole::Sight)))
            .then(significance(b).total_cmp(&significance(a)))
    });
    let mut out: Vec<String> = Vec::new();
    for (_, p) in scored {
        let shown = p.name_in("en").map(str::to_string).unwrap_or_else(|| p.display_name());
        if !out.contains(&shown) && out.len() < 3 {
            out.push(shown);
        }
    }
    out
}

/// The place of the catalog a reference means: the best match, most notable first.
fn resolve<'a>(catalog: &'a [Poi], reference: &str) -> Option<&'a Poi> {
    catalog
        .iter()
        .map(|p| (reference_match(p, reference), p))
        .filter(|(m, _)| *m > 0)
        .max_by(|(ma, a), (mb, b)| {
            ma.cmp(mb)
                .then(crate::value::significance(a).0.total_cmp(&crate::value::significance(b).0))
                .then(b.osm.cmp(&a.osm))
        })
        .map(|(_, p)| p)
}

/// Builds the planning problem for `request` on `region`.
pub fn build_problem(
    region: &Region,
    request: &TripRequest,
    limits: CandidateLimits,
) -> Result<(Problem, Pruning), PlanningError> {
    if !request.places.is_empty() {
        return Ok(crate::own_places::problem_from_places(request)?);
    }
    let catalog = region.catalog();
    let country = region.summary().country.clone();
    let timezone = region.summary().timezone.clone();
    let dates = trip_dates(request.start_date, request.days);
    let locale = Locale { country: country.as_deref(), timezone: timezone.as_deref(), dates: &dates };
    let make = |p: &Poi| candidate(p, request, &locale);
    // Each place the request names is the catalog's best match for it.
    let references: Vec<&String> = request
        .must_visit
        .iter()
        .chain(&request.must_avoid)
        .chain(request.lodging.iter().filter_map(|l| l.place.as_ref()))
        .collect();
    let named: Vec<(&String, &Poi)> = references.iter().filter_map(|r| Some((*r, resolve(catalog, r)?))).collect();
    // A name the catalog lacks is said at once, with the closest names it has.
    if let Some(unknown) = references.iter().find(|r| resolve(catalog, r).is_none()) {
        let field = request_field(request, unknown);
        return Err(UnknownPlace {
            field,
            reference: (*unknown).clone(),
            suggestions: closest_names(catalog, unknown),
        }
        .into());
    }
    let anchors: Vec<LatLon> = named.iter().map(|(_, p)| p.location).collect();
    let centre = if anchors.is_empty() { region.centre() } else { mean(anchors) };
    let distance_from = |c: LatLon| move |p: &Poi| p.location.haversine_m(c);
    let distance = distance_from(centre);

    // Sights: the most valuable of the whole region.
    let mut sights: Vec<(&Poi, f64)> = catalog
        .iter()
        .filter(|p| p.meal.is_none() && p.role != PlaceRole::Lodging)
        .map(|p| (p, worth(p, request).value))
        .filter(|(_, v)| *v > 0.0)
        .collect();
    sights
        .sort_by(|a, b| b.1.total_cmp(&a.1).then(distance(a.0).total_cmp(&distance(b.0))).then(a.0.osm.cmp(&b.0.osm)));
    // Places the allowed modes cannot reach (too far from their roads) are of no use.
    let reachable = |p: &Poi| request.travel.modes.iter().any(|&m| region.router(m).snap(0, p.location).is_ok());
    sights.retain(|(p, _)| reachable(p));
    // Variety: no more of one category than the pace lets the trip visit, and a few to spare.
    let quota = (request.pace.per_category_per_day() * request.days) as usize + limits.spare_per_category;
    let mut per_category: std::collections::BTreeMap<Category, usize> = Default::default();
    sights.retain(|(p, _)| {
        let n = per_category.entry(p.category).or_default();
        *n += 1;
        *n <= quota
    });
    let mut pruning = Pruning {
        visits: (sights.len(), 0),
        food: (catalog.iter().filter(|p| p.meal.is_some()).count(), 0),
        lodgings: (catalog.iter().filter(|p| p.role == PlaceRole::Lodging).count(), 0),
        nearest_arcs: None,
    };
    let mut kept: Vec<&Poi> = Vec::new();
    fn keep<'a>(p: &'a Poi, kept: &mut Vec<&'a Poi>) -> bool {
        let new = !kept.iter().any(|k| k.osm == p.osm);
        if new {
            kept.push(p);
        }
        new
    }
    for (p, _) in sights.iter().take(limits.max_visits) {
        keep(p, &mut kept);
    }
    pruning.visits.1 = kept.len();
    // Meal venues near the chosen sights.
    let sights_centre = if kept.is_empty() { centre } else { mean(kept.iter().map(|p| p.location).collect()) };
    let near_sights = distance_from(sights_centre);
    let meals = MealKind::ALL.iter().filter(|k| request.meal(**k).is_some()).count();
    let mut built: std::collections::HashMap<tripsmith_model::OsmRef, Candidate> = Default::default();
    if meals > 0 {
        let mut venues: Vec<&Poi> =
            catalog.iter().filter(|p| p.meal.is_some() && p.is_named() && reachable(p)).collect();
        venues.sort_by(|a, b| near_sights(a).total_cmp(&near_sights(b)).then(a.osm.cmp(&b.osm)));
        let venues: Vec<(&Poi, Candidate)> = venues.into_iter().map(|p| (p, make(p))).collect();
        // A place serves one meal of the trip, so there must be at least one per planned meal.
        let food = food_for_meals(&venues, request, limits.max_food.max(meals * request.days as usize));
        for p in food {
            if keep(p, &mut kept) {
                pruning.food.1 += 1;
            }
        }
        // The venues kept are already candidates (their hours evaluated): not built again below.
        built.extend(venues.into_iter().filter(|(p, _)| kept.iter().any(|k| k.osm == p.osm)).map(|(p, c)| (p.osm, c)));
    }
    // Lodgings that meet the request's room type, house rules and price come first, the
    // nearest to the sights first among them.
    let fits = |p: &Poi| {
        let offer = lodging_offer(p, request.party_size);
        request.lodging.as_ref().is_none_or(|spec| {
            spec.room_type.is_none_or(|room| offer.room_type == Some(room))
                && spec.house_rules.iter().all(|rule| offer.permits(*rule))
                && spec.max_price_per_night.is_none_or(|max| offer.price_per_night <= max)
        })
    };
    let mut lodgings: Vec<(bool, &Poi)> =
        catalog.iter().filter(|p| p.role == PlaceRole::Lodging && reachable(p)).map(|p| (fits(p), p)).collect();
    lodgings
        .sort_by(|(fa, a), (fb, b)| fb.cmp(fa).then(near_sights(a).total_cmp(&near_sights(b))).then(a.osm.cmp(&b.osm)));
    for (_, p) in lodgings.into_iter().take(limits.max_lodgings) {
        if keep(p, &mut kept) {
            pruning.lodgings.1 += 1;
        }
    }
    for (_, p) in &named {
        keep(p, &mut kept);
    }
    let mut candidates: Vec<Candidate> = kept.iter().map(|p| built.remove(&p.osm).unwrap_or_else(|| make(p))).collect();
    // The words the request used for a place match its candidate.
    for (reference, p) in &named {
        if let Some(c) = candidates.iter_mut().find(|c| c.id == p.osm.to_string()) {
            if !c.matches(reference) {
                c.aliases.push((*reference).clone());
            }
        }
    }
    let travel = travel_matrix(region, &request.travel.modes, &candidates)?;
    let problem = Problem { request: request.clone(), candidates, travel, country, timezone };
    // Named places are always kept, so a name the catalog lacks shows up here.
    problem.check_places()?;
    Ok((problem, pruning))
}

/// Meal venues, nearest first, chosen so that every requested meal and cuisine is covered: for
/// each requested cuisine the two nearest places serving it, then for each meal in turn the
/// nearest places that suit it and are open during its window on some day of the trip, until
/// `max` places are chosen.
fn food_for_meals<'a>(nearest_first: &[(&'a Poi, Candidate)], request: &TripRequest, max: usize) -> Vec<&'a Poi> {
    let mut chosen: Vec<&Poi> = Vec::new();
    let add = |p: &'a Poi, chosen: &mut Vec<&'a Poi>| {
        if !chosen.iter().any(|c| c.osm == p.osm) {
            chosen.push(p);
        }
    };
    for cuisine in &request.meals.cuisines {
        let c = cuisine.to_lowercase();
        for (p, _) in nearest_first.iter().filter(|(p, _)| p.cuisine.contains(&c)).take(2) {
            add(p, &mut chosen);
        }
    }
    let suits = |c: &Candidate, kind: MealKind| {
        let Some(spec) = request.meal(kind) else { return false };
        let (from, to) = (spec.window[0].minutes(), spec.window[1].minutes() + spec.minutes);
        c.serves(request, kind)
            && c.hours
                .as_ref()
                .is_none_or(|h| h.days.iter().any(|day| day.iter().any(|r| r.start < to && from < r.end)))
    };
    let mut per_meal: Vec<std::vec::IntoIter<&Poi>> = MealKind::ALL
        .iter()
        .filter(|k| request.meal(**k).is_some())
        .map(|&k| nearest_first.iter().filter(|(_, c)| suits(c, k)).map(|(p, _)| *p).collect::<Vec<_>>().into_iter())
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

/// How far (straight line) a place may lie from the nearest road a car takes and still be
/// reached by car when walking is allowed: the travellers park there and walk (both ways).
pub const MAX_WALK_FROM_CAR_M: f64 = 3000.0;

/// Where a mode's legs to and from a place begin: a point of its roads, and the walk between it
/// and the place (seconds, metres), zero where the mode goes to the place itself.
struct Access {
    at: LatLon,
    walk_s: f64,
    walk_m: f64,
}

/// Where a car is parked for a place when walking is allowed: the nearest point of the car's
/// roads, at most [`MAX_WALK_FROM_CAR_M`] away.
pub(crate) fn parking(region: &Region, place: LatLon) -> Option<LatLon> {
    region.router(Profile::Car).nearest(place).filter(|s| s.distance_m <= MAX_WALK_FROM_CAR_M).map(|s| s.location)
}

/// Each place's [`Access`] for `mode` (`None`: the mode cannot reach it). By car with walking
/// allowed, a place is reached from the nearest point of the car's roads, at most
/// [`MAX_WALK_FROM_CAR_M`] away, and walked to from there; otherwise from its own position,
/// within the router's snapping distance.
fn access(
    region: &Region,
    mode: Profile,
    walking: bool,
    points: &[LatLon],
) -> Result<Vec<Option<Access>>, RoutingError> {
    let router = region.router(mode);
    let own = |i: usize| router.snap(i, points[i]).ok().map(|_| Access { at: points[i], walk_s: 0.0, walk_m: 0.0 });
    if mode != Profile::Car || !walking {
        return Ok((0..points.len()).map(own).collect());
    }
    let foot = region.router(Profile::Foot);
    let parked: Vec<Option<LatLon>> = points.iter().map(|&p| parking(region, p)).collect();
    // The walks, by the foot router, of the places and parking points it reaches.
    let walkable: Vec<usize> = (0..points.len())
        .filter(|&i| parked[i].is_some_and(|at| foot.snap(i, points[i]).is_ok() && foot.snap(i, at).is_ok()))
        .collect();
    let mut walks: Vec<Option<(f64, f64)>> = vec![None; points.len()];
    if !walkable.is_empty() {
        let from: Vec<LatLon> = walkable.iter().map(|&i| points[i]).collect();
        let to: Vec<LatLon> = walkable.iter().filter_map(|&i| parked[i]).collect();
        let table = foot.table(&from, &to)?;
        for (k, &i) in walkable.iter().enumerate() {
            walks[i] = table.durations_s[k][k].zip(table.distances_m[k][k]);
        }
    }
    Ok((0..points.len())
        .map(|i| match (parked[i], walks[i]) {
            (Some(at), Some((walk_s, walk_m))) => Some(Access { at, walk_s, walk_m }),
            _ => own(i),
        })
        .collect())
}

/// Fastest allowed mode per pair: minutes rounded up, and the metres of that mode's path; with
/// several modes, each mode's own legs too. A car leg with walking allowed runs from where the
/// car is parked for one place to where it is parked for the next, the walks included
/// ([`access`]).
fn travel_matrix(region: &Region, modes: &[Profile], candidates: &[Candidate]) -> Result<TravelMatrix, RoutingError> {
    let n = candidates.len();
    let points: Vec<LatLon> = candidates.iter().map(|c| c.location).collect();
    let mut minutes: Vec<Option<u32>> = vec![None; n * n];
    let mut metres: Vec<Option<u32>> = vec![None; n * n];
    let mut leg_modes: Vec<Option<Profile>> = vec![None; n * n];
    let mut by_mode = Vec::new();
    let walking = modes.contains(&Profile::Foot);
    for &mode in modes {
        // Only the places this mode reaches enter its table; a place no mode reaches has no legs.
        let router = region.router(mode);
        let access = access(region, mode, walking, &points)?;
        let here: Vec<usize> = (0..n).filter(|&i| access[i].is_some()).collect();
        let subset: Vec<LatLon> = here.iter().filter_map(|&i| access[i].as_ref()).map(|a| a.at).collect();
        if subset.is_empty() {
            continue;
        }
        let table = router.table(&subset, &subset)?;
        let walk = |i: usize| access[i].as_ref().map_or((0.0, 0.0), |a| (a.walk_s, a.walk_m));
        let mut own = ModeTravel {
            mode,
            minutes: vec![None; n * n],
            metres: vec![None; n * n],
            walk_s: (0..n).map(|i| walk(i).0.round() as u32).collect(),
        };
        if own.walk_s.iter().all(|&w| w == 0) {
            own.walk_s.clear();
        }
        for (a, &i) in here.iter().enumerate() {
            for (b, &j) in here.iter().enumerate() {
                let (Some(s), Some(m)) = (table.durations_s[a][b], table.distances_m[a][b]) else { continue };
                let (s, m) = if i == j { (s, m) } else { (walk(i).0 + s + walk(j).0, walk(i).1 + m + walk(j).1) };
                let (mins, m) = ((s / 60.0).ceil() as u32, m.round() as u32);
                let cell = i * n + j;
                (own.minutes[cell], own.metres[cell]) = (Some(mins), Some(m));
                if minutes[cell].is_none_or(|best| mins < best) {
                    minutes[cell] = Some(mins);
                    metres[cell] = Some(m);
                    leg_modes[cell] = Some(mode);
                }
            }
        }
        by_mode.push(own);
    }
    if by_mode.len() < 2 {
        by_mode.clear();
    }
    Ok(TravelMatrix { n, minutes, metres, modes: leg_modes, by_mode, day_modes: Vec::new() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tripsmith_model::{OsmRef, OsmType};

    fn lodging(tag: &str, rules: &[(&str, &str)]) -> LodgingOffer {
        let osm = OsmRef { kind: OsmType::Node, id: 1 };
        let location = LatLon { lat: 43.7, lon: 7.4 };
        let mut poi = Poi::bare(osm, tag, PlaceRole::Lodging, Category::Lodging, location);
        poi.rule_tags = rules.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        lodging_offer(&poi, 2)
    }

    #[test]
    fn room_types_follow_the_kind_of_lodging_and_rules_their_tags() {
        assert_eq!(lodging("tourism=hostel", &[]).room_type, Some(RoomType::SharedRoom));
        assert_eq!(lodging("tourism=apartment", &[]).room_type, Some(RoomType::EntireHome));
        assert_eq!(lodging("tourism=guest_house", &[]).room_type, Some(RoomType::PrivateRoom));
        assert_eq!(lodging("tourism=camp_site", &[]).room_type, None);
        let no_pets = lodging("tourism=hotel", &[("pets", "no"), ("smoking", "isolated")]);
        assert_eq!(
            (no_pets.forbids.as_slice(), no_pets.house_rules.as_slice()),
            ([HouseRule::Pets].as_slice(), [HouseRule::Smoking].as_slice())
        );
        let dogs = lodging("tourism=hotel", &[("dog", "yes"), ("smoking", "outside")]);
        assert!(dogs.permits(HouseRule::Pets) && !dogs.permits(HouseRule::Smoking));
        // OSM has no tags for parties, visitors or children: unknown, so permitted and said.
        assert_eq!(dogs.unknown(&[HouseRule::Parties, HouseRule::Pets]), [HouseRule::Parties]);
        assert!(dogs.permits(HouseRule::Parties));
    }

    #[test]
    fn a_statue_is_a_look_and_a_museum_a_visit() {
        let at = LatLon { lat: 43.7, lon: 7.4 };
        let sight = |tag: &str, category| {
            place_visit_minutes(&Poi::bare(OsmRef { kind: OsmType::Node, id: 1 }, tag, PlaceRole::Sight, category, at))
        };
        assert_eq!(sight("tourism=artwork", Category::Art), GLANCE_MINUTES);
        assert_eq!(sight("amenity=fountain", Category::Attraction), GLANCE_MINUTES);
        assert_eq!(sight("historic=memorial", Category::Historic), GLANCE_MINUTES);
        assert_eq!(sight("tourism=gallery", Category::Art), 60);
        assert_eq!(sight("historic=castle", Category::Historic), 45);
        assert_eq!(sight("tourism=museum", Category::Museum), 90);
    }
}
