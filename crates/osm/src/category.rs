//! The documented OSM tag → [`Category`] and [`PlaceRole`] table that decides which elements are
//! POIs and what they are for a traveller.
//!
//! An element is a POI when one of its tags matches a rule with a category. Keys are tried in
//! the order of [`POI_KEYS`]; within a key the first rule whose value matches (`*` matches any
//! value) decides. A rule without a category excludes that value (street furniture such as
//! benches and waste baskets), and the next key is tried.
//!
//! The rule's role says whether the place is a **sight** (what a visitor goes to see or do), a
//! place to **eat**, a **lodging**, or a **service** (toilets, parking, rentals, stops, offices,
//! shops, pharmacies, information boards, bars and clubs...), which the planner uses only as a
//! service, when the request names it, or when the request asks for a category whose services
//! are what its lovers go to (`Category::services_visited`: bars, nightlife, shopping, sport,
//! culture; a playground is no park visit). An unnamed place is never a sight: [`classify`]
//! makes it a service.

use tripsmith_model::{Category, MealVenue, PlaceRole};

/// One row of the tag → category table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagRule {
    /// The OSM key, e.g. `tourism`.
    pub key: &'static str,
    /// The value, or `*` for any value.
    pub value: &'static str,
    /// The category and role, or `None` to exclude the value.
    pub class: Option<(Category, PlaceRole)>,
}

/// The keys that can make an element a POI, in the order they are tried.
pub const POI_KEYS: [&str; 7] = ["tourism", "historic", "amenity", "leisure", "shop", "natural", "sport"];

/// The keys whose presence is counted in the ingest summary (`elements_with_key`).
pub const COUNTED_KEYS: [&str; 5] = ["tourism", "amenity", "leisure", "historic", "shop"];

macro_rules! rules {
    ($($key:literal : [$($value:literal),+ $(,)?] => $class:expr;)+) => {
        &[$($(TagRule { key: $key, value: $value, class: $class },)+)+]
    };
}

use Category::*;
use PlaceRole::{Food, Service, Sight};

/// The full table. `README.md` ("POI categories") shows it in prose.
pub const TAG_RULES: &[TagRule] = rules! {
    "tourism": ["museum"] => Some((Museum, Sight));
    "tourism": ["gallery", "artwork"] => Some((Art, Sight));
    "tourism": ["viewpoint"] => Some((Viewpoint, Sight));
    "tourism": ["hotel", "motel", "hostel", "guest_house", "apartment", "chalet", "alpine_hut",
                "wilderness_hut", "camp_site", "caravan_site"] => Some((Lodging, PlaceRole::Lodging));
    "tourism": ["information"] => Some((Information, Service));
    "tourism": ["picnic_site"] => Some((Park, Service));
    "tourism": ["attraction", "zoo", "aquarium", "theme_park"] => Some((Attraction, Sight));
    "tourism": ["*"] => Some((Attraction, Service));
    "historic": ["boundary_stone", "milestone", "district"] => None;
    "historic": ["wayside_cross", "wayside_shrine", "memorial_plaque", "benchmark"] => Some((Historic, Service));
    "historic": ["*"] => Some((Historic, Sight));
    "amenity": ["restaurant"] => Some((Restaurant, Food));
    "amenity": ["cafe"] => Some((Cafe, Food));
    "amenity": ["ice_cream"] => Some((Cafe, Service));
    "amenity": ["fast_food", "food_court"] => Some((FastFood, Food));
    "amenity": ["bar", "pub", "biergarten"] => Some((Bar, Service));
    "amenity": ["nightclub", "casino", "gambling"] => Some((Nightlife, Service));
    "amenity": ["theatre", "arts_centre", "concert_hall"] => Some((Culture, Sight));
    "amenity": ["cinema", "events_venue"] => Some((Culture, Service));
    "amenity": ["place_of_worship", "monastery"] => Some((Religion, Sight));
    "amenity": ["marketplace"] => Some((Shopping, Sight));
    "amenity": ["fountain"] => Some((Attraction, Sight));
    "amenity": ["library", "school", "university", "college", "kindergarten"] => Some((Education, Service));
    "amenity": ["pharmacy", "hospital", "clinic", "doctors", "dentist"] => Some((Health, Service));
    "amenity": ["bus_station", "ferry_terminal", "parking", "fuel", "car_rental", "bicycle_rental",
                "boat_rental", "taxi", "charging_station", "car_sharing"] => Some((Transport, Service));
    "amenity": ["bench", "waste_basket", "waste_disposal", "recycling", "parking_space",
                "parking_entrance", "bicycle_parking", "motorcycle_parking", "vending_machine",
                "post_box", "telephone", "clock", "drinking_water", "grit_bin", "hunting_stand",
                "loading_dock", "shower", "water_point", "lounger", "bbq", "table",
                "smoking_area", "letter_box", "feeding_place"] => None;
    "amenity": ["*"] => Some((Category::Service, Service));
    "leisure": ["park", "garden", "nature_reserve", "common"] => Some((Park, Sight));
    "leisure": ["playground", "dog_park"] => Some((Park, Service));
    "leisure": ["marina"] => Some((Attraction, Sight));
    "leisure": ["water_park", "miniature_golf"] => Some((Attraction, Sight));
    "leisure": ["amusement_arcade"] => Some((Attraction, Service));
    "leisure": ["beach_resort"] => Some((Nature, Sight));
    "leisure": ["dance", "adult_gaming_centre"] => Some((Nightlife, Service));
    "leisure": ["picnic_table", "slipway", "firepit", "bleachers", "outdoor_seating"] => None;
    "leisure": ["*"] => Some((Sport, Service));
    "shop": ["vacant", "no", "disused"] => None;
    "shop": ["*"] => Some((Shopping, Service));
    "natural": ["peak", "beach", "cave_entrance", "waterfall", "cape", "volcano", "hot_spring",
                "glacier", "arch", "cliff", "rock", "saddle"] => Some((Nature, Sight));
    "sport": ["*"] => Some((Sport, Service));
};

/// `cuisine` values of places that sell snacks, sweets or drinks rather than meals: a café or
/// fast-food place serving only these is not a meal venue (an ice-cream parlour is no lunch).
pub const SNACK_CUISINES: &[&str] = &[
    "ice_cream",
    "frozen_yogurt",
    "gelato",
    "coffee_shop",
    "coffee",
    "tea",
    "bubble_tea",
    "juice",
    "smoothie",
    "dessert",
    "donut",
    "cake",
    "chocolate",
    "pastry",
    "waffle",
    "cookies",
    "candy",
    "confectionery",
];

/// What the table says of one element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    /// Its category.
    pub category: Category,
    /// Sight, food, lodging or service.
    pub role: PlaceRole,
    /// For food places that serve meals: which kind.
    pub meal: Option<MealVenue>,
    /// The `key=value` tag that decided it.
    pub tag: String,
}

/// Classifies an element by its tags, or `None` when it is not a POI. An unnamed sight becomes a
/// service; a café or fast-food place whose cuisines are all [`SNACK_CUISINES`] serves no meals.
pub fn classify<'a>(tags: impl Fn(&str) -> Option<&'a str>) -> Option<Classified> {
    for key in POI_KEYS {
        let Some(value) = tags(key) else { continue };
        let rule = TAG_RULES.iter().find(|r| r.key == key && (r.value == value || r.value == "*"));
        let Some(TagRule { class: Some((category, role)), .. }) = rule else { continue };
        let named = ["name", "name:en"].iter().any(|k| tags(k).is_some_and(|n| !n.trim().is_empty()));
        let mut role = *role;
        if role == Sight && !named {
            role = Service;
        }
        let meal = if role == Food { meal_venue(*category, tags("cuisine")) } else { None };
        if role == Food && meal.is_none() {
            role = Service;
        }
        return Some(Classified { category: *category, role, meal, tag: format!("{key}={value}") });
    }
    None
}

/// The meal venue of a food place: restaurants always; cafés and fast food unless they sell only
/// snacks, sweets or drinks.
fn meal_venue(category: Category, cuisine: Option<&str>) -> Option<MealVenue> {
    let venue = match category {
        Restaurant => MealVenue::Restaurant,
        Cafe => MealVenue::Cafe,
        FastFood => MealVenue::FastFood,
        _ => return None,
    };
    let cuisines: Vec<String> =
        cuisine.unwrap_or_default().split(';').map(|c| c.trim().to_lowercase()).filter(|c| !c.is_empty()).collect();
    let snacks_only = !cuisines.is_empty() && cuisines.iter().all(|c| SNACK_CUISINES.contains(&c.as_str()));
    (!snacks_only).then_some(venue)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify_pairs(pairs: &[(&'static str, &'static str)]) -> Option<(Category, PlaceRole)> {
        classify(|k| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| *v)).map(|c| (c.category, c.role))
    }

    #[test]
    fn table_decides_categories() {
        let museum = classify(|k| (k == "tourism").then_some("museum")).unwrap();
        assert_eq!((museum.category, museum.tag.as_str()), (Museum, "tourism=museum"));
        assert_eq!(classify_pairs(&[("amenity", "restaurant"), ("cuisine", "italian")]).unwrap().0, Restaurant);
        assert_eq!(classify_pairs(&[("shop", "bakery")]).unwrap().0, Shopping);
        assert_eq!(classify_pairs(&[("amenity", "bench")]), None);
        assert_eq!(classify_pairs(&[("natural", "tree")]), None);
        assert_eq!(classify_pairs(&[("highway", "primary")]), None);
        // An excluded value gives way to the next key.
        assert_eq!(classify_pairs(&[("amenity", "bench"), ("historic", "memorial")]).unwrap().0, Historic);
        // tourism is tried before amenity.
        assert_eq!(classify_pairs(&[("amenity", "restaurant"), ("tourism", "hotel")]).unwrap().0, Lodging);
    }

    #[test]
    fn roles_separate_sights_from_services() {
        let named = |pairs: &[(&'static str, &'static str)]| {
            let mut all = pairs.to_vec();
            all.push(("name", "Somewhere"));
            classify_pairs(&all).map(|(_, role)| role)
        };
        assert_eq!(named(&[("tourism", "museum")]), Some(Sight));
        assert_eq!(named(&[("amenity", "toilets")]), Some(Service));
        assert_eq!(named(&[("amenity", "parking")]), Some(Service));
        assert_eq!(named(&[("amenity", "bicycle_rental")]), Some(Service));
        assert_eq!(named(&[("shop", "tobacco")]), Some(Service));
        assert_eq!(named(&[("leisure", "playground")]), Some(Service));
        assert_eq!(named(&[("amenity", "restaurant")]), Some(Food));
        assert_eq!(named(&[("tourism", "hotel")]), Some(PlaceRole::Lodging));
        // An unnamed viewpoint is never a sight.
        assert_eq!(classify_pairs(&[("tourism", "viewpoint")]), Some((Viewpoint, Service)));
        // Ice cream and bars are no meal venues; a café selling only ice cream neither.
        assert_eq!(named(&[("amenity", "ice_cream")]), Some(Service));
        assert_eq!(named(&[("amenity", "bar")]), Some(Service));
        assert_eq!(named(&[("amenity", "cafe"), ("cuisine", "ice_cream")]), Some(Service));
        let cafe = classify(|k| match k {
            "amenity" => Some("cafe"),
            "cuisine" => Some("coffee_shop;sandwich"),
            _ => None,
        })
        .unwrap();
        assert_eq!((cafe.role, cafe.meal), (Food, Some(MealVenue::Cafe)));
    }

    #[test]
    fn every_rule_names_a_poi_key_and_wildcards_come_last() {
        for (i, r) in TAG_RULES.iter().enumerate() {
            assert!(POI_KEYS.contains(&r.key), "{r:?}");
            if r.value == "*" {
                assert!(TAG_RULES[i + 1..].iter().all(|later| later.key != r.key), "rule after wildcard for {}", r.key);
            }
        }
    }
}
