//! What kind of place a POI is, in words a traveller uses.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The category of a point of interest. Interests in trip requests are weighted by these.
///
/// The mapping from OSM tags to categories is documented in `tripsmith-osm` (its
/// `category` module) and in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Museums and exhibitions.
    Museum,
    /// Art galleries and public artworks.
    Art,
    /// Tourist attractions, theme parks, zoos, aquariums.
    Attraction,
    /// Viewpoints.
    Viewpoint,
    /// Castles, monuments, memorials, ruins and other historic sites.
    Historic,
    /// Churches, mosques, temples and other places of worship.
    Religion,
    /// Parks, gardens and nature reserves.
    Park,
    /// Beaches, peaks, caves, waterfalls and other natural sights.
    Nature,
    /// Restaurants.
    Restaurant,
    /// Cafés, ice-cream parlours and tea rooms.
    Cafe,
    /// Fast food and food courts.
    FastFood,
    /// Bars, pubs and beer gardens.
    Bar,
    /// Night clubs and casinos.
    Nightlife,
    /// Theatres, cinemas, arts centres and concert halls.
    Culture,
    /// Shops, malls and markets.
    Shopping,
    /// Sports centres, stadiums, pools and other places to play or watch sport.
    Sport,
    /// Hotels, hostels, guest houses and other places to sleep.
    Lodging,
    /// Tourist information.
    Information,
    /// Stations, terminals, parking, fuel and rental points.
    Transport,
    /// Pharmacies, hospitals and doctors.
    Health,
    /// Banks, post offices, toilets and other services.
    Service,
    /// Schools, universities and libraries.
    Education,
}

impl Category {
    /// Every category, in a stable order.
    pub const ALL: [Category; 22] = [
        Category::Museum,
        Category::Art,
        Category::Attraction,
        Category::Viewpoint,
        Category::Historic,
        Category::Religion,
        Category::Park,
        Category::Nature,
        Category::Restaurant,
        Category::Cafe,
        Category::FastFood,
        Category::Bar,
        Category::Nightlife,
        Category::Culture,
        Category::Shopping,
        Category::Sport,
        Category::Lodging,
        Category::Information,
        Category::Transport,
        Category::Health,
        Category::Service,
        Category::Education,
    ];

    /// The stable snake_case name used in files, URLs and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Museum => "museum",
            Category::Art => "art",
            Category::Attraction => "attraction",
            Category::Viewpoint => "viewpoint",
            Category::Historic => "historic",
            Category::Religion => "religion",
            Category::Park => "park",
            Category::Nature => "nature",
            Category::Restaurant => "restaurant",
            Category::Cafe => "cafe",
            Category::FastFood => "fast_food",
            Category::Bar => "bar",
            Category::Nightlife => "nightlife",
            Category::Culture => "culture",
            Category::Shopping => "shopping",
            Category::Sport => "sport",
            Category::Lodging => "lodging",
            Category::Information => "information",
            Category::Transport => "transport",
            Category::Health => "health",
            Category::Service => "service",
            Category::Education => "education",
        }
    }

    /// Whether a traveller interested in this category goes to its services too, not only its
    /// sights: shops for shopping, bars and clubs for nightlife, sports grounds for sport,
    /// cinemas for culture. For the other categories a service is no visit (a playground or a
    /// picnic site is no park visit, a wayside shrine no historic site).
    pub fn services_visited(self) -> bool {
        matches!(self, Category::Bar | Category::Nightlife | Category::Shopping | Category::Sport | Category::Culture)
    }

    /// Whether this is a place to eat or drink (meals are planned at these).
    pub fn is_food(self) -> bool {
        matches!(self, Category::Restaurant | Category::Cafe | Category::FastFood | Category::Bar)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The name given is not a known category.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("unknown category {given:?}; known categories: {known}")]
pub struct UnknownCategory {
    given: String,
    known: String,
}

impl FromStr for Category {
    type Err = UnknownCategory;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace('-', "_");
        Category::ALL.into_iter().find(|c| c.as_str() == wanted).ok_or_else(|| UnknownCategory {
            given: s.to_string(),
            known: Category::ALL.map(Category::as_str).join(", "),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_text_and_serde() {
        for c in Category::ALL {
            assert_eq!(c.as_str().parse::<Category>().unwrap(), c);
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
        assert_eq!("Fast-Food".parse::<Category>().unwrap(), Category::FastFood);
        let err = "spaceport".parse::<Category>().unwrap_err().to_string();
        assert!(err.contains("spaceport") && err.contains("museum"), "{err}");
    }
}
