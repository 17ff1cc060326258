//! The bridge from check-in venue categories (Foursquare's names, as in the NYC data set:
//! "Art Museum", "Pizza Place", "Other Nightlife") to tripsmith's categories, so a history of
//! check-ins elsewhere says which OSM places a traveller will like.
//!
//! A name is looked up in [`TABLE`] (exact, ignoring case); names not listed go through
//! [`KEYWORDS`] (a lower-case suffix or word, first match wins). Venues that are nowhere a
//! traveller goes (homes, offices, neighbourhoods, roads, "Moving Target") map to nothing, as
//! do names neither list knows; both are counted, not guessed.

use tripsmith_model::Category;

/// Foursquare category names with their tripsmith category; `None` marks venues that are no
/// destination at all. Every name of the NYC data set (206) is here or matched by [`KEYWORDS`].
pub const TABLE: &[(&str, Option<Category>)] = &[
    ("Museum", Some(Category::Museum)),
    ("Art Museum", Some(Category::Museum)),
    ("History Museum", Some(Category::Museum)),
    ("Science Museum", Some(Category::Museum)),
    ("Planetarium", Some(Category::Museum)),
    ("Art Gallery", Some(Category::Art)),
    ("Public Art", Some(Category::Art)),
    ("Sculpture Garden", Some(Category::Art)),
    ("Street Art", Some(Category::Art)),
    ("Zoo", Some(Category::Attraction)),
    ("Aquarium", Some(Category::Attraction)),
    ("Theme Park", Some(Category::Attraction)),
    ("Water Park", Some(Category::Attraction)),
    ("Arcade", Some(Category::Attraction)),
    ("Fair", Some(Category::Attraction)),
    ("General Entertainment", Some(Category::Attraction)),
    ("Scenic Lookout", Some(Category::Viewpoint)),
    ("Historic Site", Some(Category::Historic)),
    ("Monument / Landmark", Some(Category::Historic)),
    ("Castle", Some(Category::Historic)),
    ("Cemetery", Some(Category::Historic)),
    ("Church", Some(Category::Religion)),
    ("Synagogue", Some(Category::Religion)),
    ("Temple", Some(Category::Religion)),
    ("Shrine", Some(Category::Religion)),
    ("Mosque", Some(Category::Religion)),
    ("Spiritual Center", Some(Category::Religion)),
    ("Park", Some(Category::Park)),
    ("Garden", Some(Category::Park)),
    ("Playground", Some(Category::Park)),
    ("Plaza", Some(Category::Park)),
    ("Other Great Outdoors", Some(Category::Park)),
    ("Outdoors & Recreation", Some(Category::Park)),
    ("Beach", Some(Category::Nature)),
    ("River", Some(Category::Nature)),
    ("Lake", Some(Category::Nature)),
    ("Mountain", Some(Category::Nature)),
    ("Harbor / Marina", Some(Category::Nature)),
    ("Campground", Some(Category::Nature)),
    ("Fast Food Restaurant", Some(Category::FastFood)),
    ("Burger Joint", Some(Category::FastFood)),
    ("Hot Dog Joint", Some(Category::FastFood)),
    ("Fried Chicken Joint", Some(Category::FastFood)),
    ("Wings Joint", Some(Category::FastFood)),
    ("Food Truck", Some(Category::FastFood)),
    ("Food", Some(Category::Restaurant)),
    ("Diner", Some(Category::Restaurant)),
    ("Steakhouse", Some(Category::Restaurant)),
    ("Breakfast Spot", Some(Category::Restaurant)),
    ("Ramen /  Noodle House", Some(Category::Restaurant)),
    ("Coffee Shop", Some(Category::Cafe)),
    ("Café", Some(Category::Cafe)),
    ("Tea Room", Some(Category::Cafe)),
    ("Bakery", Some(Category::Cafe)),
    ("Donut Shop", Some(Category::Cafe)),
    ("Bagel Shop", Some(Category::Cafe)),
    ("Ice Cream Shop", Some(Category::Cafe)),
    ("Dessert Shop", Some(Category::Cafe)),
    ("Cupcake Shop", Some(Category::Cafe)),
    ("Bar", Some(Category::Bar)),
    ("Beer Garden", Some(Category::Bar)),
    ("Brewery", Some(Category::Bar)),
    ("Gastropub", Some(Category::Bar)),
    ("Pub", Some(Category::Bar)),
    ("Nightclub", Some(Category::Nightlife)),
    ("Other Nightlife", Some(Category::Nightlife)),
    ("Casino", Some(Category::Nightlife)),
    ("Comedy Club", Some(Category::Nightlife)),
    ("Pool Hall", Some(Category::Nightlife)),
    ("Theater", Some(Category::Culture)),
    ("Movie Theater", Some(Category::Culture)),
    ("Performing Arts Venue", Some(Category::Culture)),
    ("Concert Hall", Some(Category::Culture)),
    ("Music Venue", Some(Category::Culture)),
    ("Opera House", Some(Category::Culture)),
    ("Event Space", Some(Category::Culture)),
    ("Convention Center", Some(Category::Culture)),
    ("Arts & Entertainment", Some(Category::Culture)),
    ("Mall", Some(Category::Shopping)),
    ("Market", Some(Category::Shopping)),
    ("Flea Market", Some(Category::Shopping)),
    ("Deli / Bodega", Some(Category::Shopping)),
    ("Bookstore", Some(Category::Shopping)),
    ("Garden Center", Some(Category::Shopping)),
    ("Gym / Fitness Center", Some(Category::Sport)),
    ("Stadium", Some(Category::Sport)),
    ("College Stadium", Some(Category::Sport)),
    ("Athletic & Sport", Some(Category::Sport)),
    ("Bowling Alley", Some(Category::Sport)),
    ("Racetrack", Some(Category::Sport)),
    ("Hotel", Some(Category::Lodging)),
    ("Hostel", Some(Category::Lodging)),
    ("Motel", Some(Category::Lodging)),
    ("Bed & Breakfast", Some(Category::Lodging)),
    ("Resort", Some(Category::Lodging)),
    ("Subway", Some(Category::Transport)),
    ("Train Station", Some(Category::Transport)),
    ("Bus Station", Some(Category::Transport)),
    ("Airport", Some(Category::Transport)),
    ("Ferry", Some(Category::Transport)),
    ("Light Rail", Some(Category::Transport)),
    ("Taxi", Some(Category::Transport)),
    ("Parking", Some(Category::Transport)),
    ("Gas Station / Garage", Some(Category::Transport)),
    ("Rest Area", Some(Category::Transport)),
    ("Travel Lounge", Some(Category::Transport)),
    ("Travel & Transport", Some(Category::Transport)),
    ("General Travel", Some(Category::Transport)),
    ("Medical Center", Some(Category::Health)),
    ("Drugstore / Pharmacy", Some(Category::Health)),
    ("Hospital", Some(Category::Health)),
    ("Bank", Some(Category::Service)),
    ("Post Office", Some(Category::Service)),
    ("Laundry Service", Some(Category::Service)),
    ("Salon / Barbershop", Some(Category::Service)),
    ("Spa / Massage", Some(Category::Service)),
    ("Tattoo Parlor", Some(Category::Service)),
    ("Tanning Salon", Some(Category::Service)),
    ("Financial or Legal Service", Some(Category::Service)),
    ("Automotive Shop", Some(Category::Service)),
    ("Funeral Home", Some(Category::Service)),
    ("Government Building", Some(Category::Service)),
    ("Animal Shelter", Some(Category::Service)),
    ("Recycling Facility", Some(Category::Service)),
    ("Library", Some(Category::Education)),
    ("Student Center", Some(Category::Education)),
    ("Home (private)", None),
    ("Office", None),
    ("Neighborhood", None),
    ("Residential Building (Apartment / Condo)", None),
    ("Housing Development", None),
    ("Building", None),
    ("City", None),
    ("Road", None),
    ("Bridge", None),
    ("Moving Target", None),
    ("Professional & Other Places", None),
    ("Factory", None),
    ("Military Base", None),
    ("Design Studio", None),
];

/// Rules for names [`TABLE`] does not list: a lower-case name ending with (or, for words
/// marked by a leading space, containing) the pattern gets the category. First match wins.
pub const KEYWORDS: &[(&str, Category)] = &[
    (" museum", Category::Museum),
    (" restaurant", Category::Restaurant),
    (" joint", Category::Restaurant),
    (" place", Category::Restaurant),
    (" bar", Category::Bar),
    (" school", Category::Education),
    ("college", Category::Education),
    ("university", Category::Education),
    (" store", Category::Shopping),
    (" shop", Category::Shopping),
    (" boutique", Category::Shopping),
];

/// The tripsmith category of a check-in venue category name, `None` for venues that are no
/// destination and for names the bridge does not know (see [`Bridged`] to tell them apart).
pub fn category_of(name: &str) -> Option<Category> {
    match bridge(name) {
        Bridged::To(c) => Some(c),
        Bridged::NoDestination | Bridged::Unknown => None,
    }
}

/// What the bridge makes of a venue category name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bridged {
    /// A tripsmith category.
    To(Category),
    /// A venue that is nowhere a traveller goes (a home, an office, a road).
    NoDestination,
    /// A name the bridge does not know.
    Unknown,
}

/// Looks a venue category name up: the table first, then the keyword rules.
pub fn bridge(name: &str) -> Bridged {
    let name = name.trim();
    if let Some((_, c)) = TABLE.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        return c.map_or(Bridged::NoDestination, Bridged::To);
    }
    let lower = format!(" {}", name.to_lowercase());
    KEYWORDS
        .iter()
        .find(|(pattern, _)| lower.ends_with(pattern) || lower.contains(&format!("{pattern} ")))
        .map_or(Bridged::Unknown, |(_, c)| Bridged::To(*c))
}
