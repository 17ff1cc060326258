//! The documented OSM tag → [`Category`] table that decides which elements are POIs.
//!
//! An element is a POI when one of its tags matches a rule with a category. Keys are tried in
//! the order of [`POI_KEYS`]; within a key the first rule whose value matches (`*` matches any
//! value) decides. A rule without a category excludes that value (street furniture such as
//! benches and waste baskets), and the next key is tried.

use tripsmith_model::Category;

/// One row of the tag → category table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagRule {
    /// The OSM key, e.g. `tourism`.
    pub key: &'static str,
    /// The value, or `*` for any value.
    pub value: &'static str,
    /// The category, or `None` to exclude the value.
    pub category: Option<Category>,
}

/// The keys that can make an element a POI, in the order they are tried.
pub const POI_KEYS: [&str; 7] = ["tourism", "historic", "amenity", "leisure", "shop", "natural", "sport"];

/// The keys whose presence is counted in the ingest summary (`elements_with_key`).
pub const COUNTED_KEYS: [&str; 5] = ["tourism", "amenity", "leisure", "historic", "shop"];

macro_rules! rules {
    ($($key:literal : [$($value:literal),+ $(,)?] => $cat:expr;)+) => {
        &[$($(TagRule { key: $key, value: $value, category: $cat },)+)+]
    };
}

use Category::*;

/// The full table. `README.md` ("POI categories") shows it in prose.
pub const TAG_RULES: &[TagRule] = rules! {
    "tourism": ["museum"] => Some(Museum);
    "tourism": ["gallery", "artwork"] => Some(Art);
    "tourism": ["viewpoint"] => Some(Viewpoint);
    "tourism": ["hotel", "motel", "hostel", "guest_house", "apartment", "chalet", "alpine_hut",
                "wilderness_hut", "camp_site", "caravan_site"] => Some(Lodging);
    "tourism": ["information"] => Some(Information);
    "tourism": ["picnic_site"] => Some(Park);
    "tourism": ["*"] => Some(Attraction);
    "historic": ["boundary_stone", "milestone", "district"] => None;
    "historic": ["*"] => Some(Historic);
    "amenity": ["restaurant"] => Some(Restaurant);
    "amenity": ["cafe", "ice_cream"] => Some(Cafe);
    "amenity": ["fast_food", "food_court"] => Some(FastFood);
    "amenity": ["bar", "pub", "biergarten"] => Some(Bar);
    "amenity": ["nightclub", "casino", "gambling"] => Some(Nightlife);
    "amenity": ["theatre", "cinema", "arts_centre", "concert_hall", "events_venue"] => Some(Culture);
    "amenity": ["place_of_worship", "monastery"] => Some(Religion);
    "amenity": ["marketplace"] => Some(Shopping);
    "amenity": ["fountain"] => Some(Attraction);
    "amenity": ["library", "school", "university", "college", "kindergarten"] => Some(Education);
    "amenity": ["pharmacy", "hospital", "clinic", "doctors", "dentist"] => Some(Health);
    "amenity": ["bus_station", "ferry_terminal", "parking", "fuel", "car_rental", "bicycle_rental",
                "boat_rental", "taxi", "charging_station", "car_sharing"] => Some(Transport);
    "amenity": ["bench", "waste_basket", "waste_disposal", "recycling", "parking_space",
                "parking_entrance", "bicycle_parking", "motorcycle_parking", "vending_machine",
                "post_box", "telephone", "clock", "drinking_water", "grit_bin", "hunting_stand",
                "loading_dock", "shower", "water_point", "lounger", "bbq", "table",
                "smoking_area", "letter_box", "feeding_place"] => None;
    "amenity": ["*"] => Some(Service);
    "leisure": ["park", "garden", "nature_reserve", "playground", "dog_park", "common"] => Some(Park);
    "leisure": ["water_park", "miniature_golf", "amusement_arcade"] => Some(Attraction);
    "leisure": ["beach_resort"] => Some(Nature);
    "leisure": ["dance", "adult_gaming_centre"] => Some(Nightlife);
    "leisure": ["picnic_table", "slipway", "firepit", "bleachers", "outdoor_seating"] => None;
    "leisure": ["*"] => Some(Sport);
    "shop": ["vacant", "no", "disused"] => None;
    "shop": ["*"] => Some(Shopping);
    "natural": ["peak", "beach", "cave_entrance", "waterfall", "cape", "volcano", "hot_spring",
                "glacier", "arch", "cliff", "rock", "saddle"] => Some(Nature);
    "sport": ["*"] => Some(Sport);
};

/// Classifies an element by its tags: the category and the `key=value` tag that gave it,
/// or `None` when the element is not a POI.
pub fn classify<'a>(tags: impl Fn(&str) -> Option<&'a str>) -> Option<(Category, String)> {
    for key in POI_KEYS {
        let Some(value) = tags(key) else { continue };
        let rule = TAG_RULES.iter().find(|r| r.key == key && (r.value == value || r.value == "*"));
        if let Some(TagRule { category: Some(c), .. }) = rule {
            return Some((*c, format!("{key}={value}")));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify_pairs(pairs: &[(&'static str, &'static str)]) -> Option<(Category, String)> {
        classify(|k| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| *v))
    }

    #[test]
    fn table_decides_categories() {
        assert_eq!(classify_pairs(&[("tourism", "museum")]), Some((Museum, "tourism=museum".into())));
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
    fn every_rule_names_a_poi_key_and_wildcards_come_last() {
        for (i, r) in TAG_RULES.iter().enumerate() {
            assert!(POI_KEYS.contains(&r.key), "{r:?}");
            if r.value == "*" {
                assert!(TAG_RULES[i + 1..].iter().all(|later| later.key != r.key), "rule after wildcard for {}", r.key);
            }
        }
    }
}
