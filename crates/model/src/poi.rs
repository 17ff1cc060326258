//! Points of interest read from OpenStreetMap.

use crate::{Category, LatLon, OpeningHours};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The kind of OSM element a POI came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OsmType {
    /// An OSM node (a point).
    Node,
    /// An OSM way (its position is the centroid of its nodes).
    Way,
    /// An OSM relation (a multipolygon, site or building relation; its position is the centroid
    /// of its outer members).
    Relation,
}

/// A stable reference to an OSM element, written `node/123`, `way/456` or `relation/789`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OsmRef {
    /// Node or way.
    #[serde(rename = "type")]
    pub kind: OsmType,
    /// The OSM id.
    pub id: i64,
}

impl fmt::Display for OsmRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            OsmType::Node => "node",
            OsmType::Way => "way",
            OsmType::Relation => "relation",
        };
        write!(f, "{kind}/{}", self.id)
    }
}

/// Wheelchair accessibility as tagged in OSM (`wheelchair=*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Wheelchair {
    /// Fully accessible.
    Yes,
    /// Partly accessible.
    Limited,
    /// Not accessible.
    No,
}

/// What a place is for a traveller: a sight to go and see, somewhere to eat, somewhere to sleep,
/// or a service (toilets, parking, rentals, stops, offices, shops, pharmacies...) that is used
/// only as a service. The tag table in `tripsmith-osm` (`category`) decides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlaceRole {
    /// What a visitor goes to see or do (museums, landmarks, parks, viewpoints...).
    Sight,
    /// A place that serves meals (restaurants, cafés, fast food).
    Food,
    /// A place to sleep.
    Lodging,
    /// Everything else: used only as a service, or when the request asks for its category.
    Service,
}

impl PlaceRole {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceRole::Sight => "sight",
            PlaceRole::Food => "food",
            PlaceRole::Lodging => "lodging",
            PlaceRole::Service => "service",
        }
    }
}

/// Which kind of meal venue a food place is (what meals it suits is the planner's rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MealVenue {
    /// A restaurant: any meal.
    Restaurant,
    /// A café serving food: breakfast or lunch.
    Cafe,
    /// Fast food: lunch, or other meals when asked.
    FastFood,
}

impl MealVenue {
    /// Every kind.
    pub const ALL: [MealVenue; 3] = [MealVenue::Restaurant, MealVenue::Cafe, MealVenue::FastFood];

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            MealVenue::Restaurant => "restaurant",
            MealVenue::Cafe => "cafe",
            MealVenue::FastFood => "fast_food",
        }
    }
}

/// What OSM says about how notable a place is: the inputs of the value model.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Notability {
    /// `wikidata`, if tagged.
    pub wikidata: Option<String>,
    /// `wikipedia`, if tagged.
    pub wikipedia: Option<String>,
    /// Tagged `heritage=*` (a protected monument).
    pub heritage: bool,
    /// Also tagged `tourism=attraction` (besides what gave its category).
    pub attraction: bool,
    /// Area of its outline in square metres (0 for a point).
    pub area_m2: f64,
    /// How many tags it carries (a rough measure of how much mappers cared).
    pub tags: u16,
    /// `stars` (hotels, restaurants), if tagged with a number.
    pub stars: Option<u8>,
    /// `brand`, if tagged (chains: fast food, hotels).
    pub brand: Option<String>,
    /// `building`, when it names a landmark kind (`cathedral`, `basilica`, `castle`, `palace`...).
    pub landmark_building: Option<String>,
}

/// A place a traveller may visit, eat at or sleep in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Poi {
    /// Where it came from in OSM; its stable id.
    pub osm: OsmRef,
    /// `name`, if tagged.
    pub name: Option<String>,
    /// `name:en`, if tagged.
    pub name_en: Option<String>,
    /// Names in other languages (`name:de` → `de`), for requests in those languages.
    pub names: BTreeMap<String, String>,
    /// The category given by the tag → category table.
    pub category: Category,
    /// Sight, food, lodging or service, by the same table (an unnamed place is never a sight).
    pub role: PlaceRole,
    /// For food places that serve meals: which kind.
    pub meal: Option<MealVenue>,
    /// The tag that gave the category, as `key=value` (e.g. `tourism=museum`).
    pub tag: String,
    /// Position (a way's centroid).
    pub location: LatLon,
    /// `cuisine` values, split on `;`, lower case.
    pub cuisine: Vec<String>,
    /// `opening_hours`, if tagged.
    pub opening_hours: Option<OpeningHours>,
    /// `fee` or `charge`, raw, if tagged.
    pub fee: Option<String>,
    /// `website` (or `contact:website`), if tagged.
    pub website: Option<String>,
    /// `wheelchair`, if tagged with a known value.
    pub wheelchair: Option<Wheelchair>,
    /// The tags that say what a lodging allows ([`RULE_TAGS`]: `smoking`, `pets`, `dog`), as
    /// written.
    pub rule_tags: BTreeMap<String, String>,
    /// How notable it is.
    pub notability: Notability,
    /// Other OSM objects found to be this same place and merged into it.
    pub merged: Vec<OsmRef>,
    /// The names of the sights merged into it that it does not bear itself (the "Opéra de
    /// Monaco" in the casino that holds it), so that a request naming one finds it.
    pub merged_names: Vec<String>,
}

/// The OSM keys read into [`Poi::rule_tags`].
pub const RULE_TAGS: [&str; 3] = ["smoking", "pets", "dog"];

impl Poi {
    /// A place known only by its OSM reference, tag, role, category and position: no names,
    /// hours, links or notability yet (fixtures and hand-made places fill in the rest).
    pub fn bare(osm: OsmRef, tag: &str, role: PlaceRole, category: Category, location: LatLon) -> Poi {
        Poi {
            osm,
            name: None,
            name_en: None,
            names: BTreeMap::new(),
            category,
            role,
            meal: None,
            tag: tag.to_string(),
            location,
            cuisine: Vec::new(),
            opening_hours: None,
            fee: None,
            website: None,
            wheelchair: None,
            rule_tags: BTreeMap::new(),
            notability: Notability::default(),
            merged: Vec::new(),
            merged_names: Vec::new(),
        }
    }

    /// A name to show: `name:en`, else `name`, else the tag and OSM reference.
    pub fn display_name(&self) -> String {
        self.name_en.clone().or_else(|| self.name.clone()).unwrap_or_else(|| format!("{} ({})", self.tag, self.osm))
    }

    /// Its name in `language` (`fr`, `de`...; `en` reads `name:en`), else `name`, else `name:en`.
    pub fn name_in(&self, language: &str) -> Option<&str> {
        let wanted = if language.eq_ignore_ascii_case("en") {
            self.name_en.as_deref()
        } else {
            self.names.get(&language.to_ascii_lowercase()).map(String::as_str)
        };
        wanted.or(self.name.as_deref()).or(self.name_en.as_deref())
    }

    /// Every name a request may call it by: `name`, `name:en`, the other languages', and the
    /// names of the sights merged into it.
    pub fn all_names(&self) -> impl Iterator<Item = &String> {
        self.name.iter().chain(&self.name_en).chain(self.names.values()).chain(&self.merged_names)
    }

    /// Whether a traveller interested in this place's category comes for it: a sight, or a
    /// service of a category whose services are visited ([`Category::services_visited`]: a shop
    /// for a shopping lover, not a playground for a park lover).
    pub fn visited_for_its_category(&self) -> bool {
        self.role == PlaceRole::Sight || (self.role == PlaceRole::Service && self.category.services_visited())
    }

    /// Whether it has a name in any language.
    pub fn is_named(&self) -> bool {
        self.name.is_some() || self.name_en.is_some()
    }
}
