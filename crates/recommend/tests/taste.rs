//! The category bridge, history files and home-category transfer over OSM places.

use std::path::PathBuf;
use tripsmith_model::{Category, LatLon, OsmRef, OsmType, PlaceRole, Poi};
use tripsmith_recommend::bridge::{bridge, Bridged, TABLE};
use tripsmith_recommend::history::{parse_history, read_history};
use tripsmith_recommend::taste::{recommend, trip_categories, Taste, PSEUDO_CHECKINS};
use tripsmith_recommend::DataError;

fn nyc(file: &str) -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("../../../shared/data/checkins/Foursquare_NYC_GETNext")
        .join(file)
}

fn names(list: &[(&str, usize)]) -> Vec<String> {
    list.iter().flat_map(|(n, k)| std::iter::repeat_n(n.to_string(), *k)).collect()
}

fn poi(id: i64, category: Category, named: bool, lat: f64) -> Poi {
    let role = if category.is_food() { PlaceRole::Food } else { PlaceRole::Sight };
    let mut poi = Poi::bare(OsmRef { kind: OsmType::Node, id }, "test=yes", role, category, LatLon { lat, lon: 7.42 });
    poi.name = named.then(|| format!("place {id}"));
    poi
}

#[test]
fn every_nyc_venue_category_crosses_the_bridge() {
    let mut seen = std::collections::BTreeSet::new();
    for file in ["NYC_val.csv", "NYC_test.csv"] {
        let text = std::fs::read_to_string(nyc(file)).unwrap();
        let mut rows = csv::Reader::from_reader(text.as_bytes());
        let column = rows.headers().unwrap().iter().position(|h| h == "POI_catname").unwrap();
        for row in rows.records() {
            seen.insert(row.unwrap()[column].to_string());
        }
    }
    assert!(seen.len() > 200, "{} names", seen.len());
    let unknown: Vec<&String> = seen.iter().filter(|n| bridge(n) == Bridged::Unknown).collect();
    assert!(unknown.is_empty(), "not bridged: {unknown:?}");
    // Spot checks of the table and of the keyword rules.
    assert_eq!(bridge("Art Museum"), Bridged::To(Category::Museum));
    assert_eq!(bridge("other nightlife"), Bridged::To(Category::Nightlife));
    assert_eq!(bridge("Cuban Restaurant"), Bridged::To(Category::Restaurant));
    assert_eq!(bridge("Fast Food Restaurant"), Bridged::To(Category::FastFood));
    assert_eq!(bridge("Wine Bar"), Bridged::To(Category::Bar));
    assert_eq!(bridge("Community College"), Bridged::To(Category::Education));
    assert_eq!(bridge("Home (private)"), Bridged::NoDestination);
    assert_eq!(bridge("Underwater Basket Weaving"), Bridged::Unknown);
    // The table lists each name once.
    for (i, (name, _)) in TABLE.iter().enumerate() {
        assert!(!TABLE[..i].iter().any(|(n, _)| n.eq_ignore_ascii_case(name)), "{name} twice");
    }
}

#[test]
fn a_real_history_is_read_for_one_user() {
    let err = read_history(&nyc("NYC_test.csv"), None).unwrap_err().to_string();
    assert!(err.contains("users") && err.contains("choose one"), "{err}");
    let one = read_history(&nyc("NYC_test.csv"), Some("1")).unwrap();
    assert!(!one.is_empty());
    let taste = Taste::from_history(&one).unwrap();
    assert_eq!(taste.checkins, one.len());
    assert_eq!(taste.counted + taste.everyday + taste.no_destination, one.len());
    assert!(read_history(&nyc("NYC_test.csv"), Some("no such user")).unwrap_err().to_string().contains("no check-ins"));
}

#[test]
fn history_files_with_faults_are_refused_with_their_line() {
    let cases: [(&str, Option<&str>, &str); 5] = [
        ("venue\nMuseum\n", None, "line 1: no category column"),
        ("category,user_id\nMuseum,1\nBar\n", None, "line 3"),
        ("category,user_id\nMuseum,1\n,1\n", None, "line 3: empty category"),
        ("category\nMuseum\n", Some("7"), "no user_id column"),
        ("category\n", None, "no check-ins"),
    ];
    for (text, user, expected) in cases {
        let err = parse_history(text, user).unwrap_err();
        assert!(err.to_string().contains(expected), "{text:?}: {err}");
    }
    let csv = "user_id,category\n1,Museum\n2,Bar\n1,Art Gallery\n";
    assert_eq!(parse_history(csv, Some("1")).unwrap(), vec!["Museum", "Art Gallery"]);
    assert!(matches!(parse_history(csv, None), Err(DataError::Data(_))));
}

#[test]
fn weights_are_smoothed_shares_of_trip_check_ins() {
    let history = names(&[("Museum", 6), ("Art Museum", 2), ("Bar", 4), ("Subway", 10), ("Office", 5), ("Zorbing", 1)]);
    let taste = Taste::from_history(&history).unwrap();
    assert_eq!((taste.checkins, taste.counted, taste.everyday, taste.no_destination), (28, 12, 10, 5));
    assert_eq!(taste.unknown, vec![("Zorbing".to_string(), 1)]);
    let sum: f64 = taste.weights.iter().map(|w| w.weight).sum();
    assert!((sum - 1.0).abs() < 1e-12, "{sum}");
    let prior = PSEUDO_CHECKINS / trip_categories().count() as f64;
    assert!((taste.weight(Category::Museum) - (8.0 + prior) / (12.0 + PSEUDO_CHECKINS)).abs() < 1e-12);
    assert!((taste.weight(Category::Park) - prior / (12.0 + PSEUDO_CHECKINS)).abs() < 1e-12);
    assert_eq!(taste.weight(Category::Transport), 0.0);
    assert_eq!(taste.weights[0].category, Category::Museum);
    assert_eq!(taste.weights[0].examples, vec!["Museum", "Art Museum"]);
    let interests = taste.interests();
    assert_eq!(interests[&Category::Museum], 1.0);
    assert!((interests[&Category::Bar] - (4.0 + prior) / (8.0 + prior)).abs() < 1e-12);
    // Categories under a tenth of the heaviest are no interest when planning.
    assert_eq!(interests[&Category::Park], 0.0);
    assert_eq!(interests.len(), trip_categories().count());
    assert!(taste.because(Category::Museum).contains("8 of your 12"));
    assert!(taste.because(Category::Park).contains("not in your history"));
    let err = Taste::from_history(&names(&[("Office", 3), ("Subway", 2), ("Zorbing", 1)])).unwrap_err();
    assert!(err.to_string().contains("none of the 6 check-ins") && err.to_string().contains("Zorbing"), "{err}");
}

#[test]
fn categories_share_the_list_in_proportion_to_their_weights() {
    // Two-thirds museums, one-third nightlife: 10 places of each, plus places of other kinds.
    let mut pois: Vec<Poi> = (0..10).map(|i| poi(i, Category::Museum, true, 43.70 + 0.001 * i as f64)).collect();
    pois.extend((10..20).map(|i| poi(i, Category::Nightlife, true, 43.70 + 0.001 * i as f64)));
    pois.extend((20..30).map(|i| poi(i, Category::Park, true, 43.70)));
    pois.extend((30..33).map(|i| poi(i, Category::Transport, true, 43.70)));
    pois.push(poi(40, Category::Museum, false, 43.70));
    let taste = Taste::from_history(&names(&[("Museum", 40), ("Nightclub", 20)])).unwrap();
    let near = LatLon { lat: 43.70, lon: 7.42 };
    let list = recommend(&taste, &pois, near, 9);
    assert_eq!(list.len(), 9);
    let count = |c: Category| list.iter().filter(|r| r.category == c).count();
    assert_eq!((count(Category::Museum), count(Category::Nightlife)), (6, 3), "{list:?}");
    // Best first; within a category named places first, then nearest.
    assert!(list.windows(2).all(|w| w[0].score >= w[1].score));
    let museums: Vec<&str> = list.iter().filter(|r| r.category == Category::Museum).map(|r| r.id.as_str()).collect();
    assert_eq!(museums, ["node/0", "node/1", "node/2", "node/3", "node/4", "node/5"]);
    assert!(list[0].because.contains("40 of your 60"));
    // Parks (never visited) come after both, and transport never.
    let long = recommend(&taste, &pois, near, 40);
    assert!(long.iter().all(|r| r.category != Category::Transport));
    let first_park = long.iter().position(|r| r.category == Category::Park).unwrap();
    assert!(first_park > 20, "{first_park}");
    assert_eq!(long.iter().rfind(|r| r.category == Category::Museum).unwrap().id, "node/40");
}

proptest::proptest! {
    #[test]
    fn history_parsing_never_panics(body in "[ -~\\n]{0,300}", header in "(category|user_id,category|POI_catname,x|x)\n") {
        let text = format!("{header}{body}");
        let _ = parse_history(&text, None);
        let _ = parse_history(&text, Some("1"));
        if let Ok(names) = parse_history(&text, None) {
            let _ = Taste::from_history(&names);
        }
    }
}
