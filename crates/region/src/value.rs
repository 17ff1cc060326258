//! What a place is worth to a traveller: its significance from what OSM says about it, times
//! the traveller's taste for its category. Every figure here is in the README ("What a place
//! is worth").
//!
//! **Significance** = the base of its kind ([`base`]: a castle, palace, cathedral, museum or
//! tourist attraction 2, a garden or place of worship 1.2, a viewpoint 1, an artwork 0.5...) + 2 for a
//! `wikidata` entry + 1.5 for a `wikipedia` article + 1 for `heritage` + 1 when it is also
//! tagged `tourism=attraction` + up to 1.5 for its size (0.5 per tenfold above 1,000 m²) + up
//! to 1 for how richly it is tagged (1/15 per tag beyond 8).
//!
//! **Taste**: without interests a request means general sightseeing: every sight counts 1, so
//! landmarks come first; services count 0. With interests, a sight counts its category's
//! weight (0 for categories not named), and so does a service of a category whose services
//! are what its lovers go to ([`Poi::visited_for_its_category`]: shops for a shopping lover, bars
//! and clubs for nightlife); other services count 0 (a playground is no park visit).

use tripsmith_model::{Category, PlaceRole, Poi};
use tripsmith_planner::TripRequest;

/// A place's value for one request and the reasons behind it, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Worth {
    /// Significance × taste (0: not worth a visit for this request).
    pub value: f64,
    /// Why (`landmark: Wikidata entry, Wikipedia article, large (4.2 ha)`; `museum: your interest ×2`).
    pub why: Vec<String>,
}

/// The base significance of a place's kind, by the tag that gave its category.
pub fn base(poi: &Poi) -> f64 {
    let value = poi.tag.split_once('=').map_or("", |(_, v)| v);
    if poi.notability.landmark_building.is_some() {
        return 2.0;
    }
    match poi.tag.as_str() {
        "tourism=museum" | "tourism=attraction" | "tourism=zoo" | "tourism=aquarium" | "tourism=theme_park" => 2.0,
        "tourism=gallery" => 1.5,
        "tourism=artwork" => 0.5,
        "tourism=viewpoint" => 1.0,
        "amenity=fountain" => 0.6,
        "leisure=nature_reserve" => 1.5,
        _ if poi.tag.starts_with("historic=") => match value {
            "castle"
            | "palace"
            | "fort"
            | "citadel"
            | "church"
            | "cathedral"
            | "monastery"
            | "city_gate"
            | "archaeological_site"
            | "ruins"
            | "tower"
            | "manor"
            | "monument" => 2.0,
            "memorial" | "plaque" => 0.8,
            _ => 1.2,
        },
        _ => match poi.category {
            Category::Park | Category::Religion | Category::Culture | Category::Nature => 1.2,
            _ => 1.0,
        },
    }
}

/// Significance and the signals behind it.
pub fn significance(poi: &Poi) -> (f64, Vec<String>) {
    let n = &poi.notability;
    let mut score = base(poi);
    let mut signals = Vec::new();
    if n.wikidata.is_some() {
        score += 2.0;
        signals.push("Wikidata entry".to_string());
    }
    if n.wikipedia.is_some() {
        score += 1.5;
        signals.push("Wikipedia article".to_string());
    }
    if n.heritage {
        score += 1.0;
        signals.push("listed heritage".to_string());
    }
    if n.attraction {
        score += 1.0;
        signals.push("tagged a tourist attraction".to_string());
    }
    if n.area_m2 > 1000.0 {
        score += (0.5 * (n.area_m2 / 1000.0).log10()).min(1.5);
        if n.area_m2 >= 10_000.0 {
            signals.push(format!("large ({:.1} ha)", n.area_m2 / 10_000.0));
        }
    }
    score += (f64::from(n.tags.saturating_sub(8)) / 15.0).min(1.0);
    (score, signals)
}

/// The taste weight of a place for a request's interests (see the module doc).
pub fn taste(poi: &Poi, interests: &std::collections::BTreeMap<Category, f64>) -> f64 {
    if interests.is_empty() {
        return if poi.role == PlaceRole::Sight { 1.0 } else { 0.0 };
    }
    if !poi.is_named() || !poi.visited_for_its_category() {
        return 0.0;
    }
    interests.get(&poi.category).copied().unwrap_or(0.0)
}

/// What `poi` is worth for a request with `interests`, and why.
pub fn worth(poi: &Poi, request: &TripRequest) -> Worth {
    let interests = &request.interests;
    let weight = taste(poi, interests);
    if weight <= 0.0 || matches!(poi.role, PlaceRole::Lodging | PlaceRole::Food) {
        return Worth { value: 0.0, why: Vec::new() };
    }
    let (significance, signals) = significance(poi);
    let mut why = Vec::new();
    if !signals.is_empty() {
        why.push(format!("landmark: {}", signals.join(", ")));
    }
    if interests.is_empty() {
        why.push(format!("{}: general sightseeing", poi.category));
    } else {
        why.push(interest_reason(request, poi.category, weight));
    }
    Worth { value: round2(significance * weight), why }
}

/// Why a place of `category` counts `weight`, in words: the travellers' interest, or their
/// check-in history's when the interest came from it (`museum: your check-in history ×0.8`).
pub fn interest_reason(request: &TripRequest, category: Category, weight: f64) -> String {
    let source = if request.interests_from_history.contains(&category) { "check-in history" } else { "interest" };
    format!("{category}: your {source} ×{}", round2(weight))
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use tripsmith_model::{LatLon, OsmRef, OsmType};

    fn named(tag: &str, role: PlaceRole, category: Category) -> Poi {
        let mut poi =
            Poi::bare(OsmRef { kind: OsmType::Node, id: 1 }, tag, role, category, LatLon { lat: 43.7, lon: 7.4 });
        poi.name = Some("Somewhere".into());
        poi
    }

    #[test]
    fn a_playground_is_no_park_visit_but_a_shop_is_a_shopping_one() {
        let interests = [(Category::Park, 2.0), (Category::Shopping, 3.0)].into_iter().collect();
        assert_eq!(taste(&named("leisure=park", PlaceRole::Sight, Category::Park), &interests), 2.0);
        assert_eq!(taste(&named("leisure=playground", PlaceRole::Service, Category::Park), &interests), 0.0);
        assert_eq!(taste(&named("tourism=picnic_site", PlaceRole::Service, Category::Park), &interests), 0.0);
        assert_eq!(taste(&named("shop=books", PlaceRole::Service, Category::Shopping), &interests), 3.0);
        let mut unnamed = named("leisure=park", PlaceRole::Sight, Category::Park);
        unnamed.name = None;
        assert_eq!(taste(&unnamed, &interests), 0.0);
    }
}
