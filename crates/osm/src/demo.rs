//! The demo region: a fictional small town, "Belcastel", generated deterministically.
//!
//! A 10 × 10 street grid (≈ 1 km²) with a central boulevard and avenue, a ring of tertiary
//! roads, one-way streets (including an `oneway=-1`), a pedestrian square, footpaths and steps
//! through a park up to a viewpoint, a private service road, a one-way dead end, and about forty
//! POIs of varied categories with opening hours (one deliberately unparseable). The CLI embeds the
//! generated file (`data-osm/demo-town.osm.pbf`) as its default region.

use crate::pbf_writer::{write_pbf, OsmNode, OsmWay};
use tripsmith_model::LatLon;

/// South-west corner of the grid.
const ORIGIN: LatLon = LatLon { lat: 45.1000, lon: 4.9000 };
/// Grid size (intersections per side).
const N: i64 = 10;
/// Block size in metres (east-west, north-south).
const BLOCK_M: (f64, f64) = (110.0, 100.0);

/// Position of grid coordinates `(x, y)` (in blocks from the south-west corner).
fn at(x: f64, y: f64) -> LatLon {
    let m_per_deg_lat = 111_195.0;
    let m_per_deg_lon = m_per_deg_lat * ORIGIN.lat.to_radians().cos();
    LatLon {
        lat: ((ORIGIN.lat + y * BLOCK_M.1 / m_per_deg_lat) * 1e7).round() / 1e7,
        lon: ((ORIGIN.lon + x * BLOCK_M.0 / m_per_deg_lon) * 1e7).round() / 1e7,
    }
}

fn tags(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// Intersection `(i, j)`.
fn crossing(i: i64, j: i64) -> i64 {
    1 + j * N + i
}
/// Node halfway from `(i, j)` to `(i + 1, j)`.
fn east_mid(i: i64, j: i64) -> i64 {
    1000 + j * N + i
}
/// Node halfway from `(i, j)` to `(i, j + 1)`.
fn north_mid(i: i64, j: i64) -> i64 {
    2000 + j * N + i
}

const STREET_NAMES: [&str; 10] = [
    "Boulevard du Sud",
    "Rue des Lilas",
    "Rue de la République",
    "Rue Voltaire",
    "Rue des Écoles",
    "Boulevard Central",
    "Rue du Marché",
    "Rue des Tanneurs",
    "Rue Victor Hugo",
    "Boulevard du Nord",
];
const AVENUE_NAMES: [&str; 10] = [
    "Avenue de l'Ouest",
    "Rue Pasteur",
    "Rue Molière",
    "Rue du Four",
    "Avenue de la Gare",
    "Rue des Remparts",
    "Rue Saint-Vincent",
    "Rue des Jardins",
    "Rue du Moulin",
    "Avenue de l'Est",
];

struct Builder {
    nodes: Vec<OsmNode>,
    ways: Vec<OsmWay>,
    next_node: i64,
    next_way: i64,
}

impl Builder {
    fn node(&mut self, id: i64, location: LatLon, t: &[(&str, &str)]) {
        self.nodes.push(OsmNode { id, location, tags: tags(t) });
    }

    fn new_node(&mut self, location: LatLon, t: &[(&str, &str)]) -> i64 {
        self.next_node += 1;
        let id = self.next_node;
        self.node(id, location, t);
        id
    }

    fn way(&mut self, refs: Vec<i64>, t: &[(&str, &str)]) {
        self.next_way += 1;
        self.ways.push(OsmWay { id: self.next_way, refs, tags: tags(t) });
    }

    /// A closed way around the block rectangle `(x0, y0)–(x1, y1)` (grid units), inset a little.
    fn area(&mut self, (x0, y0, x1, y1): (f64, f64, f64, f64), t: &[(&str, &str)]) {
        let corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)];
        let mut refs: Vec<i64> = corners.iter().map(|&(x, y)| self.new_node(at(x, y), &[])).collect();
        refs.push(refs[0]);
        self.way(refs, t);
    }
}

/// Road nodes along street row `j` from avenue `a` to avenue `b` (inclusive).
fn street_refs(j: i64, a: i64, b: i64) -> Vec<i64> {
    let mut refs = vec![crossing(a, j)];
    for i in a..b {
        refs.push(east_mid(i, j));
        refs.push(crossing(i + 1, j));
    }
    refs
}

/// Road nodes along avenue column `i` from street `a` to street `b` (inclusive).
fn avenue_refs(i: i64, a: i64, b: i64) -> Vec<i64> {
    let mut refs = vec![crossing(i, a)];
    for j in a..b {
        refs.push(north_mid(i, j));
        refs.push(crossing(i, j + 1));
    }
    refs
}

fn road_tags(index: i64, name: &str) -> Vec<(&'static str, String)> {
    let (highway, maxspeed) = match index {
        0 | 9 => ("tertiary", "50"),
        4 | 5 => ("secondary", "50"),
        _ => ("residential", "30"),
    };
    vec![("highway", highway.into()), ("name", name.into()), ("maxspeed", maxspeed.into())]
}

fn add_roads(b: &mut Builder) {
    for j in 0..N {
        for i in 0..N {
            b.node(crossing(i, j), at(i as f64, j as f64), &[]);
            if i + 1 < N {
                b.node(east_mid(i, j), at(i as f64 + 0.5, j as f64), &[]);
            }
            if j + 1 < N {
                b.node(north_mid(i, j), at(i as f64, j as f64 + 0.5), &[]);
            }
        }
    }
    for j in 0..N {
        let name = STREET_NAMES[j as usize];
        let mut t = road_tags(j, name);
        match j {
            2 | 7 => t.push(("oneway", "yes".into())),
            3 => t.push(("oneway", "-1".into())),
            _ => {}
        }
        let owned: Vec<(&str, &str)> = t.iter().map(|(k, v)| (*k, v.as_str())).collect();
        if j == 6 {
            // The market square is pedestrian between avenues 3 and 5.
            b.way(street_refs(j, 0, 3), &owned);
            b.way(street_refs(j, 3, 5), &[("highway", "pedestrian"), ("name", "Place du Marché")]);
            b.way(street_refs(j, 5, N - 1), &owned);
        } else {
            b.way(street_refs(j, 0, N - 1), &owned);
        }
    }
    for i in 0..N {
        let mut t = road_tags(if i == 4 { 5 } else { i }, AVENUE_NAMES[i as usize]);
        match i {
            1 | 6 => t.push(("oneway", "yes".into())),
            7 => t.push(("oneway", "-1".into())),
            _ => {}
        }
        let owned: Vec<(&str, &str)> = t.iter().map(|(k, v)| (*k, v.as_str())).collect();
        b.way(avenue_refs(i, 0, N - 1), &owned);
    }
    // Footpath diagonally across the park (blocks 6–8 × 6–8), then a path and steps up to the
    // belvedere north-east of the town.
    let park_path: Vec<i64> = std::iter::once(crossing(6, 6))
        .chain([(6.5, 6.5), (7.0, 7.0), (7.5, 7.5)].iter().map(|&(x, y)| b.new_node(at(x, y), &[])))
        .chain(std::iter::once(crossing(8, 8)))
        .collect();
    b.way(park_path, &[("highway", "footway"), ("name", "Allée des Tilleuls")]);
    let hill_a = b.new_node(at(9.6, 9.5), &[]);
    let hill_b = b.new_node(at(10.2, 10.1), &[]);
    let belvedere = b.new_node(at(10.6, 10.6), &[]);
    b.way(vec![crossing(9, 9), hill_a, hill_b], &[("highway", "path"), ("name", "Sentier du Belvédère")]);
    b.way(vec![hill_b, belvedere], &[("highway", "steps"), ("step_count", "84")]);
    // A private service road into the Hôtel du Château's courtyard (walkers only).
    let court = b.new_node(at(2.5, 1.4), &[]);
    b.way(vec![crossing(2, 1), court], &[("highway", "service"), ("access", "private"), ("foot", "yes")]);
    // A one-way dead end: cars can enter but never leave, so it is outside the car graph.
    let dead_end = b.new_node(at(-0.6, 4.5), &[]);
    b.way(vec![crossing(0, 4), dead_end], &[("highway", "service"), ("oneway", "yes")]);
}

/// Tags as written in the table below.
type TagList = &'static [(&'static str, &'static str)];

/// `(x, y, tags)` of each POI node.
const POI_NODES: &[(f64, f64, TagList)] = &[
    (
        4.5,
        6.2,
        &[
            ("amenity", "place_of_worship"),
            ("religion", "christian"),
            ("name", "Cathédrale Saint-Vincent"),
            ("opening_hours", "Mo-Sa 08:00-19:00; Su 08:00-12:00,14:00-19:00"),
            ("wheelchair", "limited"),
        ],
    ),
    (10.6, 10.6, &[("tourism", "viewpoint"), ("name", "Belvédère des Trois Vallées")]),
    (
        5.5,
        3.2,
        &[("tourism", "gallery"), ("name", "Galerie du Port"), ("opening_hours", "We-Su 11:00-19:00"), ("fee", "no")],
    ),
    (4.0, 6.0, &[("amenity", "fountain"), ("name", "Fontaine des Dauphins")]),
    (2.5, 5.15, &[("historic", "memorial"), ("memorial", "war_memorial"), ("name", "Monument aux Morts")]),
    (6.5, 5.15, &[("tourism", "artwork"), ("artwork_type", "statue"), ("name", "La Vigneronne")]),
    (
        3.5,
        8.2,
        &[
            ("amenity", "theatre"),
            ("name", "Théâtre Municipal"),
            ("opening_hours", "Tu-Sa 19:00-23:00"),
            ("wheelchair", "yes"),
        ],
    ),
    (5.5, 8.2, &[("amenity", "cinema"), ("name", "Cinéma Le Palace"), ("opening_hours", "Mo-Su 14:00-23:30")]),
    (
        3.5,
        6.15,
        &[
            ("amenity", "restaurant"),
            ("cuisine", "italian"),
            ("name", "La Trattoria"),
            ("opening_hours", "Tu-Su 12:00-14:30,19:00-22:30"),
        ],
    ),
    (
        4.5,
        5.8,
        &[
            ("amenity", "restaurant"),
            ("cuisine", "french;regional"),
            ("name", "Le Bistrot du Marché"),
            ("opening_hours", "Mo-Sa 12:00-14:00,19:00-22:00"),
            ("wheelchair", "yes"),
        ],
    ),
    (
        6.5,
        4.15,
        &[
            ("amenity", "restaurant"),
            ("cuisine", "japanese;sushi"),
            ("name", "Sakura"),
            ("opening_hours", "Mo-Su 11:30-14:30,18:30-22:30"),
        ],
    ),
    (
        2.5,
        4.15,
        &[
            ("amenity", "restaurant"),
            ("cuisine", "vegetarian"),
            ("diet:vegan", "yes"),
            ("name", "Le Jardin Vert"),
            ("opening_hours", "Mo-Fr 11:30-15:00"),
        ],
    ),
    (
        5.5,
        6.15,
        &[
            ("amenity", "restaurant"),
            ("cuisine", "pizza;italian"),
            ("name", "Pizzeria Napoli"),
            ("opening_hours", "Mo-Su 11:00-23:00"),
        ],
    ),
    (
        8.5,
        2.15,
        &[
            ("amenity", "restaurant"),
            ("cuisine", "seafood"),
            ("name", "La Marée"),
            ("opening_hours", "We-Su 12:00-14:00,19:00-22:00"),
        ],
    ),
    (
        1.5,
        5.15,
        &[
            ("amenity", "restaurant"),
            ("cuisine", "french"),
            ("name", "Le Petit Chef"),
            ("opening_hours", "Mo-Sa 19:00-23:00"),
        ],
    ),
    (
        7.5,
        3.15,
        &[
            ("amenity", "restaurant"),
            ("cuisine", "indian"),
            ("name", "Taj Mahal"),
            ("opening_hours", "Tu-Su 12:00-14:00,18:30-22:30"),
        ],
    ),
    (
        1.5,
        7.15,
        &[
            ("amenity", "restaurant"),
            ("cuisine", "mexican"),
            ("name", "El Sol"),
            ("opening_hours", "Th-Su 18:00-23:00"),
        ],
    ),
    (
        4.2,
        6.1,
        &[
            ("amenity", "cafe"),
            ("name", "Café de la Place"),
            ("opening_hours", "Mo-Su 07:00-20:00"),
            ("wheelchair", "yes"),
        ],
    ),
    (
        6.5,
        7.15,
        &[
            ("amenity", "cafe"),
            ("cuisine", "tea;cake;sandwich"),
            ("name", "Salon de Thé Rose"),
            ("opening_hours", "Tu-Su 09:00-18:00"),
        ],
    ),
    (
        7.5,
        5.85,
        &[
            ("amenity", "ice_cream"),
            ("name", "Glacier Polaire"),
            ("opening_hours", "May-Sep: Mo-Su 11:00-22:00; Oct-Apr: Sa,Su 13:00-18:00"),
        ],
    ),
    (
        4.5,
        1.15,
        &[
            ("amenity", "fast_food"),
            ("cuisine", "kebab;burger"),
            ("name", "Snack Express"),
            ("opening_hours", "Mo-Su 10:00-02:00"),
        ],
    ),
    (3.5, 7.15, &[("amenity", "bar"), ("name", "Le Zinc"), ("opening_hours", "Mo-Su 17:00-01:00")]),
    (5.5, 7.15, &[("amenity", "pub"), ("name", "The Brass Pub"), ("opening_hours", "Mo-Su 16:00-02:00")]),
    (
        8.5,
        0.15,
        &[("amenity", "nightclub"), ("name", "Le Hangar"), ("opening_hours", "Fr,Sa 23:00-05:00"), ("fee", "yes")],
    ),
    (4.5, 0.85, &[("tourism", "hotel"), ("stars", "2"), ("name", "Hôtel de la Gare"), ("rooms", "24")]),
    (3.5, 2.15, &[("tourism", "hostel"), ("name", "Auberge de Jeunesse"), ("rooms", "12")]),
    (7.5, 8.15, &[("tourism", "guest_house"), ("name", "Chambres d'hôtes Les Glycines"), ("rooms", "5")]),
    (
        0.5,
        8.85,
        &[("tourism", "camp_site"), ("name", "Camping du Lac"), ("opening_hours", "Apr-Sep: Mo-Su 08:00-20:00")],
    ),
    (3.5, 5.15, &[("shop", "books"), ("name", "Librairie des Remparts"), ("opening_hours", "Mo-Sa 09:30-19:00")]),
    (
        5.5,
        5.15,
        &[("shop", "deli"), ("name", "Épicerie Fine Martin"), ("opening_hours", "Tu-Sa 09:00-12:30,15:00-19:00")],
    ),
    (
        4.5,
        4.15,
        &[("shop", "department_store"), ("name", "Galeries Belcastel"), ("opening_hours", "Mo-Sa 10:00-19:30")],
    ),
    (4.5, 7.85, &[("shop", "gift"), ("name", "Souvenirs de Belcastel"), ("opening_hours", "Mo-Su 10:00-18:00")]),
    (
        2.5,
        6.15,
        &[("shop", "bakery"), ("name", "Boulangerie Dupain"), ("opening_hours", "Mo-Sa 06:30-19:30; Su 07:00-13:00")],
    ),
    (1.5, 3.15, &[("shop", "pottery"), ("name", "Atelier de Céramique"), ("opening_hours", "sur rendez-vous")]),
    (5.5, 2.15, &[("amenity", "pharmacy"), ("name", "Pharmacie Centrale"), ("opening_hours", "Mo-Sa 08:30-19:30")]),
    (
        4.5,
        5.15,
        &[
            ("tourism", "information"),
            ("information", "office"),
            ("name", "Office de Tourisme"),
            ("opening_hours", "Mo-Sa 09:00-12:30,14:00-18:00"),
        ],
    ),
    (4.15, 0.5, &[("amenity", "bus_station"), ("name", "Gare Routière")]),
    (5.5, 0.85, &[("amenity", "parking"), ("name", "Parking du Centre"), ("fee", "yes")]),
    (6.5, 2.85, &[("amenity", "library"), ("name", "Bibliothèque Municipale"), ("opening_hours", "Tu-Sa 10:00-18:00")]),
    (3.5, 4.85, &[("amenity", "bank"), ("name", "Banque Régionale"), ("opening_hours", "Mo-Fr 09:00-17:00")]),
    (4.3, 6.0, &[("amenity", "toilets"), ("fee", "no"), ("wheelchair", "yes")]),
    // Not POIs: street furniture and a tree.
    (4.1, 5.9, &[("amenity", "bench")]),
    (4.2, 5.9, &[("amenity", "waste_basket")]),
    (7.2, 7.4, &[("natural", "tree")]),
];

fn add_pois(b: &mut Builder) {
    for (x, y, t) in POI_NODES {
        b.new_node(at(*x, *y), t);
    }
    b.area(
        (3.1, 4.25, 3.9, 4.75),
        &[
            ("tourism", "museum"),
            ("building", "yes"),
            ("name", "Musée des Beaux-Arts"),
            ("opening_hours", "Tu-Su 10:00-18:00"),
            ("fee", "yes"),
            ("wheelchair", "yes"),
            ("website", "https://musee.belcastel.example"),
        ],
    );
    b.area(
        (6.05, 6.05, 7.95, 7.95),
        &[("leisure", "park"), ("name", "Parc des Tilleuls"), ("opening_hours", "Mo-Su 07:00-21:00")],
    );
    b.area(
        (9.3, 8.3, 9.8, 8.8),
        &[
            ("historic", "castle"),
            ("name", "Château de Belcastel"),
            ("opening_hours", "Apr-Oct: Mo-Su 09:30-19:00; Nov-Mar: Mo-Su 10:00-17:00"),
            ("fee", "yes"),
        ],
    );
    b.area(
        (1.2, 0.2, 1.8, 0.8),
        &[
            ("leisure", "sports_centre"),
            ("sport", "swimming"),
            ("name", "Piscine Municipale"),
            ("opening_hours", "Mo-Fr 12:00-14:00,17:00-21:00; Sa,Su 10:00-19:00"),
        ],
    );
    b.area(
        (2.2, 1.2, 2.8, 1.6),
        &[
            ("tourism", "hotel"),
            ("stars", "4"),
            ("name", "Hôtel du Château"),
            ("rooms", "40"),
            ("website", "https://hotel-chateau.belcastel.example"),
        ],
    );
    b.area(
        (8.2, 4.2, 8.8, 4.8),
        &[
            ("leisure", "garden"),
            ("garden:type", "botanical"),
            ("name", "Jardin Botanique"),
            ("opening_hours", "Mo-Su 09:00-18:00"),
            ("fee", "yes"),
        ],
    );
    b.area(
        (3.2, 6.05, 4.8, 6.1),
        &[("amenity", "marketplace"), ("name", "Marché Couvert"), ("opening_hours", "Tu,Th,Sa 07:00-13:00")],
    );
}

/// The demo town as an `.osm.pbf` file (identical bytes on every run).
pub fn demo_town_pbf() -> Vec<u8> {
    let mut b = Builder { nodes: Vec::new(), ways: Vec::new(), next_node: 10_000, next_way: 0 };
    add_roads(&mut b);
    add_pois(&mut b);
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_pbf(&mut out, &b.nodes, &b.ways, "tripsmith demo-region");
    out
}
