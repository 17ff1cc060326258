//! From OSM objects to places: where ways and relations sit, which country the extract covers,
//! and which objects are one place.
//!
//! - A way sits at the mean of its distinct nodes; a closed way has the area of its outline.
//! - A relation (multipolygon, site or building) sits at the mean of its outer ways' distinct
//!   nodes (or of its member nodes when it has no ways in the file); its area is the sum of its
//!   closed outer ways' areas.
//! - The country is the `admin_level=2` boundary most of whose member ways are in the file.
//! - Objects that are one place are merged ([`merge`]): the same `wikidata`; or the same role and
//!   category with the same name (ignoring case and accents) within [`SAME_NAME_M`], or nearly the
//!   same name (one name's words all in the other's, or four in five shared) within
//!   [`SIMILAR_NAME_M`], or the same `website` within [`SAME_WEBSITE_M`]; a sight within
//!   [`SIMILAR_NAME_M`] of a sight whose name holds every telling word of its name (two words or
//!   more, connectives and words in [`GENERIC_SHARE`] of the region's names such as its own name
//!   left out, at least one left) is part of it, whatever their categories; a shop inside the
//!   outline of a museum, gallery, aquarium, castle, palace or landmark building is part of it. The
//!   object kept is the one with a `wikidata`, then the relation, way or node, then the one with
//!   most tags; it takes what it lacks from the others.

use crate::network::NodeIndex;
use crate::read::CountryDraft;
use std::collections::{HashMap, HashSet};
use tripsmith_model::{LatLon, OsmType, PlaceRole, Poi, EARTH_RADIUS_M};

/// Objects with the same name, role and category this close (metres) are one place.
pub const SAME_NAME_M: f64 = 100.0;
/// Objects with nearly the same name, role and category this close (metres) are one place.
pub const SIMILAR_NAME_M: f64 = 150.0;
/// Objects with the same website, role and category this close (metres) are one place (a place
/// mapped again where it moved, the old object left behind).
pub const SAME_WEBSITE_M: f64 = 1000.0;

/// Where an outline sits, how large it is, and its closed rings (for what lies inside it).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outline {
    pub centre: LatLon,
    pub area_m2: f64,
    pub rings: Vec<Vec<LatLon>>,
}

/// The outline of a way: the mean of its distinct nodes, and the area when it is closed.
pub(crate) fn way_outline(refs: &[i64], nodes: &NodeIndex) -> Option<Outline> {
    let closed = refs.len() > 3 && refs.first() == refs.last();
    let distinct = if closed { &refs[..refs.len() - 1] } else { refs };
    let points: Vec<LatLon> = distinct.iter().filter_map(|&id| nodes.get(id)).collect();
    if points.is_empty() {
        return None;
    }
    let centre = mean(&points);
    let ring = closed && points.len() == distinct.len();
    let area_m2 = if ring { ring_area_m2(&points, centre) } else { 0.0 };
    Some(Outline { centre, area_m2, rings: if ring { vec![points] } else { Vec::new() } })
}

/// The outline of a relation from its member ways' outlines (or its member nodes).
pub(crate) fn relation_outline(
    ways: &[i64],
    member_nodes: &[i64],
    way_refs: &HashMap<i64, &[i64]>,
    nodes: &NodeIndex,
) -> Option<Outline> {
    let mut points = Vec::new();
    let mut area_m2 = 0.0;
    let mut rings = Vec::new();
    for id in ways {
        let Some(refs) = way_refs.get(id) else { continue };
        let closed = refs.len() > 3 && refs.first() == refs.last();
        let distinct = if closed { &refs[..refs.len() - 1] } else { refs };
        points.extend(distinct.iter().filter_map(|&n| nodes.get(n)));
        if let Some(o) = way_outline(refs, nodes) {
            area_m2 += o.area_m2;
            rings.extend(o.rings);
        }
    }
    if points.is_empty() {
        points.extend(member_nodes.iter().filter_map(|&n| nodes.get(n)));
    }
    (!points.is_empty()).then(|| Outline { centre: mean(&points), area_m2, rings })
}

fn mean(points: &[LatLon]) -> LatLon {
    let n = points.len() as f64;
    LatLon { lat: points.iter().map(|p| p.lat).sum::<f64>() / n, lon: points.iter().map(|p| p.lon).sum::<f64>() / n }
}

/// Shoelace area of a ring in a local equirectangular projection around `centre`.
fn ring_area_m2(points: &[LatLon], centre: LatLon) -> f64 {
    let k = EARTH_RADIUS_M.to_radians();
    let xy: Vec<(f64, f64)> = points
        .iter()
        .map(|p| ((p.lon - centre.lon) * k * centre.lat.to_radians().cos(), (p.lat - centre.lat) * k))
        .collect();
    let twice: f64 = (0..xy.len())
        .map(|i| {
            let (a, b) = (xy[i], xy[(i + 1) % xy.len()]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum();
    twice.abs() / 2.0
}

/// The extract's country and timezone: the country boundary with the largest share of its
/// member ways in the file; ties (an extract cut by a tool that keeps only the members inside)
/// go to the code more elements give as their `addr:country`, then to more ways present.
pub(crate) fn country(
    countries: &[CountryDraft],
    way_refs: &HashMap<i64, &[i64]>,
    addr_countries: &HashMap<String, u64>,
) -> Option<(String, Option<String>)> {
    countries
        .iter()
        .filter(|c| !c.ways.is_empty())
        .map(|c| {
            let present = c.ways.iter().filter(|w| way_refs.contains_key(w)).count();
            let addresses = addr_countries.get(&c.code).copied().unwrap_or(0);
            (present as f64 / c.ways.len() as f64, addresses, present, c)
        })
        .filter(|(_, _, present, _)| *present > 0)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)).then(b.3.code.cmp(&a.3.code)))
        .map(|(_, _, _, c)| (c.code.clone(), c.timezone.clone()))
}

/// A name for comparisons: lower case, accents and punctuation dropped, words single-spaced.
pub fn normalise_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let plain = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        out.push(plain);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether two normalised names are nearly the same: one's words all in the other's, or at
/// least four in five of all their distinct words shared.
fn similar_names(a: &str, b: &str) -> bool {
    let wa: std::collections::BTreeSet<&str> = a.split(' ').collect();
    let wb: std::collections::BTreeSet<&str> = b.split(' ').collect();
    let shared = wa.intersection(&wb).count();
    let all = wa.union(&wb).count();
    let contained = shared == wa.len().min(wb.len()) && wa.len().min(wb.len()) >= 2;
    contained || (all > 0 && shared * 5 >= all * 4)
}

/// Connectives of the languages a region's names are written in: they say nothing about which
/// place a name means ("Opéra *de* Monaco").
const CONNECTIVES: &[&str] = &[
    "a", "al", "and", "d", "da", "das", "de", "del", "des", "di", "do", "dos", "du", "e", "el", "en", "et", "i", "l",
    "la", "le", "les", "of", "s", "the", "y",
];

/// A word in at least this share of a region's named objects (and in ten or more) is generic
/// there: the region's own name ("monaco" is in one name in twelve of Monaco's) tells its places
/// apart no more than a connective does.
pub const GENERIC_SHARE: f64 = 0.05;

/// The words that do not tell a region's places apart: the connectives, and the words in at least
/// [`GENERIC_SHARE`] of the named objects and in ten or more (each object counted once per word).
fn generic_words(normalised: &[Vec<String>]) -> HashSet<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut named = 0usize;
    for names in normalised.iter().filter(|n| !n.is_empty()) {
        named += 1;
        let words: HashSet<&str> = names.iter().flat_map(|n| n.split(' ')).collect();
        for w in words {
            *counts.entry(w).or_default() += 1;
        }
    }
    let threshold = (named as f64 * GENERIC_SHARE).max(10.0);
    counts
        .into_iter()
        .filter(|(_, c)| *c as f64 >= threshold)
        .map(|(w, _)| w.to_string())
        .chain(CONNECTIVES.iter().map(|w| w.to_string()))
        .collect()
}

/// Whether the name `whole` names the place `part` names: `part` has at least two words, and
/// every one of them that is not `generic` (at least one) is in `whole` — "Opéra de Monaco" in
/// "Monte-Carlo Casino and Opera House", "Palais Princier" in "Palais princier de Monaco".
fn part_of(part: &str, whole: &str, generic: &HashSet<String>) -> bool {
    let words: Vec<&str> = part.split(' ').collect();
    let telling: Vec<&&str> = words.iter().filter(|w| !generic.contains(**w)).collect();
    words.len() >= 2 && !telling.is_empty() && telling.iter().all(|w| whole.split(' ').any(|x| x == **w))
}

fn names(p: &Poi) -> Vec<String> {
    p.name.iter().chain(&p.name_en).map(|n| normalise_name(n)).filter(|n| !n.is_empty()).collect()
}

/// Which of two objects of one place to keep: a sight (over a shop inside it), then the one
/// with a `wikidata`, then relation > way > node, then more tags, then the lower id.
fn keep_first(a: &Poi, b: &Poi) -> bool {
    let rank = |p: &Poi| {
        let kind = match p.osm.kind {
            OsmType::Relation => 2,
            OsmType::Way => 1,
            OsmType::Node => 0,
        };
        let sight = p.role == PlaceRole::Sight;
        (sight, p.notability.wikidata.is_some(), kind, p.notability.tags, std::cmp::Reverse(p.osm))
    };
    rank(a) >= rank(b)
}

/// Gives `keep` what `other` knows and it does not, its names among them (in
/// [`Poi::merged_names`] where `keep` has its own), and records `other` as merged into it. A shop
/// inside a sight gives it nothing but its record: its hours and website are the shop's.
fn absorb(keep: &mut Poi, other: Poi) {
    if other.role != keep.role {
        keep.merged.push(other.osm);
        keep.merged.extend(other.merged);
        return;
    }
    let other_names: Vec<String> =
        other.name.iter().chain(&other.name_en).chain(&other.merged_names).cloned().collect();
    let n = &mut keep.notability;
    let o = other.notability;
    n.wikidata = n.wikidata.take().or(o.wikidata);
    n.wikipedia = n.wikipedia.take().or(o.wikipedia);
    n.heritage |= o.heritage;
    n.attraction |= o.attraction;
    n.area_m2 = n.area_m2.max(o.area_m2);
    n.tags = n.tags.max(o.tags);
    n.landmark_building = n.landmark_building.take().or(o.landmark_building);
    keep.name = keep.name.take().or(other.name);
    keep.name_en = keep.name_en.take().or(other.name_en);
    for (lang, name) in other.names {
        keep.names.entry(lang).or_insert(name);
    }
    keep.opening_hours = keep.opening_hours.take().or(other.opening_hours);
    keep.fee = keep.fee.take().or(other.fee);
    keep.website = keep.website.take().or(other.website);
    keep.wheelchair = keep.wheelchair.or(other.wheelchair);
    for name in other_names {
        if keep.name.as_ref() != Some(&name)
            && keep.name_en.as_ref() != Some(&name)
            && !keep.merged_names.contains(&name)
        {
            keep.merged_names.push(name);
        }
    }
    keep.merged.push(other.osm);
    keep.merged.extend(other.merged);
}

/// Whether shops inside `poi`'s outline are part of it: a museum, gallery, aquarium, castle,
/// palace or landmark building one goes into (not a park or a square, whose kiosks are places
/// of their own).
pub(crate) fn holds_shops(poi: &Poi) -> bool {
    poi.role == PlaceRole::Sight
        && (poi.notability.landmark_building.is_some()
            || matches!(
                poi.tag.as_str(),
                "tourism=museum" | "tourism=gallery" | "tourism=aquarium" | "historic=castle" | "historic=palace"
            ))
}

/// The shops (`shop=*` services) of `catalog` that lie inside one of the `enclosures` (a
/// catalog index and the closed rings of its outline), with that index.
fn shops_inside(catalog: &[Poi], enclosures: &[(usize, Vec<Vec<LatLon>>)]) -> Vec<(usize, usize)> {
    use geo::{BoundingRect, Contains};
    let polygons: Vec<(usize, geo::Polygon<f64>, geo::Rect<f64>)> = enclosures
        .iter()
        .flat_map(|(i, rings)| rings.iter().map(move |ring| (*i, ring)))
        .filter_map(|(i, ring)| {
            let line: geo::LineString<f64> = ring.iter().map(|p| (p.lon, p.lat)).collect();
            let polygon = geo::Polygon::new(line, Vec::new());
            let rect = polygon.bounding_rect()?;
            Some((i, polygon, rect))
        })
        .collect();
    let mut found = Vec::new();
    for (j, q) in catalog.iter().enumerate() {
        if q.role != PlaceRole::Service || !q.tag.starts_with("shop=") {
            continue;
        }
        let point = geo::Point::new(q.location.lon, q.location.lat);
        if let Some((i, _, _)) =
            polygons.iter().find(|(i, polygon, rect)| *i != j && rect.contains(&point) && polygon.contains(&point))
        {
            found.push((*i, j));
        }
    }
    found
}

/// Merges the objects of `catalog` that are one place; returns how many were merged away.
/// `enclosures` are the outlines (catalog index, closed rings) of the sights that
/// `holds_shops`: a shop inside one is part of it. The order of the kept objects is the
/// catalog's.
pub fn merge(catalog: &mut Vec<Poi>, enclosures: &[(usize, Vec<Vec<LatLon>>)]) -> usize {
    let n = catalog.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let union = |parent: &mut Vec<usize>, a: usize, b: usize| {
        let (ra, rb) = (root(parent, a), root(parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    };
    // Same wikidata.
    let mut by_wikidata: HashMap<&str, usize> = HashMap::new();
    for (i, p) in catalog.iter().enumerate() {
        if let Some(q) = p.notability.wikidata.as_deref() {
            match by_wikidata.get(q) {
                Some(&j) => union(&mut parent, i, j),
                None => {
                    by_wikidata.insert(q, i);
                }
            }
        }
    }
    // Same or similar names close by: a grid of cells as large as the widest radius.
    let cell = |p: LatLon| {
        let deg = SIMILAR_NAME_M / EARTH_RADIUS_M.to_radians();
        ((p.lat / deg).floor() as i64, (p.lon * p.lat.to_radians().cos() / deg).floor() as i64)
    };
    let normalised: Vec<Vec<String>> = catalog.iter().map(names).collect();
    let generic = generic_words(&normalised);
    let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (i, p) in catalog.iter().enumerate() {
        if !normalised[i].is_empty() {
            grid.entry(cell(p.location)).or_default().push(i);
        }
    }
    for (i, p) in catalog.iter().enumerate() {
        if normalised[i].is_empty() {
            continue;
        }
        let (cy, cx) = cell(p.location);
        for dy in -1..=1 {
            for dx in -1..=1 {
                for &j in grid.get(&(cy + dy, cx + dx)).map(Vec::as_slice).unwrap_or_default() {
                    let q = &catalog[j];
                    if j <= i || q.role != p.role {
                        continue;
                    }
                    let d = p.location.haversine_m(q.location);
                    let same = normalised[i].iter().any(|a| normalised[j].contains(a));
                    let similar = normalised[i].iter().any(|a| normalised[j].iter().any(|b| similar_names(a, b)));
                    let kind = q.category == p.category;
                    // A sight named after another close by is part of it, whatever its category
                    // (the viewpoint "Jardin exotique - allée Louis Barral" in the Jardin Exotique,
                    // the "Opéra de Monaco" in the "Monte-Carlo Casino and Opera House").
                    let part = p.role == PlaceRole::Sight
                        && normalised[i]
                            .iter()
                            .any(|a| normalised[j].iter().any(|b| part_of(a, b, &generic) || part_of(b, a, &generic)));
                    if (kind && same && d <= SAME_NAME_M) || ((kind && similar) || part) && d <= SIMILAR_NAME_M {
                        union(&mut parent, i, j);
                    }
                }
            }
        }
    }
    // Same website, role and category not far apart.
    let site = |p: &Poi| {
        let w = p.website.as_deref()?.trim().to_lowercase();
        let w = w.trim_start_matches("https://").trim_start_matches("http://").trim_start_matches("www.");
        let w = w.trim_end_matches('/');
        (!w.is_empty()).then(|| w.to_string())
    };
    let mut by_site: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in catalog.iter().enumerate() {
        if let Some(w) = site(p) {
            by_site.entry(w).or_default().push(i);
        }
    }
    for group in by_site.values() {
        for (k, &i) in group.iter().enumerate() {
            for &j in &group[k + 1..] {
                let (p, q) = (&catalog[i], &catalog[j]);
                if p.role == q.role && p.category == q.category && p.location.haversine_m(q.location) <= SAME_WEBSITE_M
                {
                    union(&mut parent, i, j);
                }
            }
        }
    }
    // Shops inside a museum, a palace or a landmark building.
    for (i, j) in shops_inside(catalog, enclosures) {
        union(&mut parent, i, j);
    }
    let groups: Vec<usize> = (0..n).map(|i| root(&mut parent, i)).collect();
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, &g) in groups.iter().enumerate() {
        members.entry(g).or_default().push(i);
    }
    let mut slots: Vec<Option<Poi>> = std::mem::take(catalog).into_iter().map(Some).collect();
    let mut merged = 0;
    for i in 0..n {
        if groups[i] != i {
            continue;
        }
        let group = &members[&i];
        let mut best = group[0];
        for &j in &group[1..] {
            let (Some(a), Some(b)) = (&slots[j], &slots[best]) else { continue };
            if !keep_first(b, a) {
                best = j;
            }
        }
        let Some(mut keep) = slots[best].take() else { continue };
        for &j in group {
            if let Some(other) = slots[j].take() {
                absorb(&mut keep, other);
                merged += 1;
            }
        }
        keep.merged.sort();
        slots[best] = Some(keep);
    }
    *catalog = slots.into_iter().flatten().collect();
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_case_and_accents() {
        assert_eq!(normalise_name("  Musée Océanographique! "), "musee oceanographique");
        assert!(similar_names(
            &normalise_name("La Collection de voitures anciennes de SAS le Prince de Monaco"),
            &normalise_name("La Collection de Voitures de SAS le Prince de Monaco"),
        ));
        assert!(similar_names("musee oceanographique", "musee oceanographique de monaco"));
        // One shared word is not enough (merging also needs the same role and category).
        assert!(!similar_names("jardin", "jardin exotique"));
        assert!(!similar_names("parc", "jardin"));
    }

    #[test]
    fn a_square_has_its_area() {
        // About 111 m × 80 m at 43.7°N.
        let square = [(43.7, 7.4), (43.7, 7.401), (43.701, 7.401), (43.701, 7.4)].map(|(lat, lon)| LatLon { lat, lon });
        let area = ring_area_m2(&square, mean(&square));
        assert!((area - 111.2 * 80.4).abs() < 200.0, "{area}");
    }

    fn place(
        id: i64,
        kind: OsmType,
        tag: &str,
        role: PlaceRole,
        category: tripsmith_model::Category,
        at: (f64, f64),
    ) -> Poi {
        let osm = tripsmith_model::OsmRef { kind, id };
        let mut poi = Poi::bare(osm, tag, role, category, LatLon { lat: at.0, lon: at.1 });
        poi.name = Some(format!("place {id}"));
        poi
    }

    #[test]
    fn a_shop_inside_a_museum_is_part_of_it_and_a_kiosk_in_a_park_is_not() {
        use tripsmith_model::Category;
        let ring = |lat: f64, lon: f64| {
            [(lat, lon), (lat, lon + 0.001), (lat + 0.001, lon + 0.001), (lat + 0.001, lon), (lat, lon)]
                .map(|(lat, lon)| LatLon { lat, lon })
                .to_vec()
        };
        let museum = place(1, OsmType::Way, "tourism=museum", PlaceRole::Sight, Category::Museum, (43.7005, 7.4005));
        let park = place(2, OsmType::Way, "leisure=park", PlaceRole::Sight, Category::Park, (43.7105, 7.4005));
        let mut gift = place(3, OsmType::Way, "shop=gift", PlaceRole::Service, Category::Shopping, (43.7004, 7.4004));
        gift.notability.tags = 40;
        gift.website = Some("https://gift.example".into());
        let kiosk = place(4, OsmType::Node, "shop=kiosk", PlaceRole::Service, Category::Shopping, (43.7104, 7.4004));
        let outside = place(5, OsmType::Node, "shop=gift", PlaceRole::Service, Category::Shopping, (43.7025, 7.4004));
        let mut catalog = vec![gift, museum, park, kiosk, outside];
        assert!(holds_shops(&catalog[1]) && !holds_shops(&catalog[2]));
        let enclosures = vec![(1, vec![ring(43.7, 7.4)])];
        assert_eq!(merge(&mut catalog, &enclosures), 1);
        let ids: Vec<String> = catalog.iter().map(|p| p.osm.to_string()).collect();
        assert_eq!(ids, ["way/1", "way/2", "node/4", "node/5"]);
        // The museum is kept (a sight over a shop with more tags) and takes nothing of the shop's.
        assert_eq!(catalog[0].merged, vec![tripsmith_model::OsmRef { kind: OsmType::Way, id: 3 }]);
        assert_eq!((catalog[0].website.as_deref(), catalog[0].notability.tags), (None, 0));
    }

    #[test]
    fn a_sight_named_by_the_telling_words_of_a_neighbours_name_is_part_of_it() {
        use tripsmith_model::Category;
        let sight = |id: i64, name: &str, at: (f64, f64)| {
            let mut p = place(id, OsmType::Node, "tourism=attraction", PlaceRole::Sight, Category::Attraction, at);
            p.name = Some(name.to_string());
            p
        };
        let mut casino = sight(1, "Casino de Monte Carlo", (43.7391605, 7.428023));
        casino.name_en = Some("Monte-Carlo Casino and Opera House".into());
        casino.notability.tags = 28;
        // 36 m away: "de" is a connective and "monaco" is in eleven of the region's fourteen names.
        let opera = sight(2, "Opéra de Monaco", (43.7389585, 7.4283708));
        // One word is too little to say what a place is part of.
        let torso = sight(3, "Torso", (43.7300, 7.4200));
        let torso_desperacion = sight(4, "Torso desperacion", (43.7303, 7.4202));
        let others = (0..10).map(|i| sight(10 + i, &format!("Villa {i} Monaco"), (43.70 + 0.01 * i as f64, 7.40)));
        let mut catalog: Vec<Poi> =
            [casino.clone(), opera.clone(), torso, torso_desperacion].into_iter().chain(others).collect();
        assert_eq!(merge(&mut catalog, &[]), 1);
        assert_eq!(catalog[0].merged, vec![tripsmith_model::OsmRef { kind: OsmType::Node, id: 2 }]);
        assert_eq!(catalog[0].merged_names, ["Opéra de Monaco"], "a request naming the opera finds the casino");
        assert_eq!(catalog.len(), 13);
        // Where "monaco" is not common it tells places apart: the opera stays its own place.
        let mut two = vec![casino, opera];
        assert_eq!(merge(&mut two, &[]), 0);
    }
}
