//! The official sandbox's semantics, one rule per test, on a hand-made database: which rows
//! exist (pandas `dropna()`), which drives are valid, how `Name, City` entries are read, and the
//! official checks' readings of minimum nights, house rules, cuisines, cities and completeness.
//! `bench/tp_agreement.py` compares the whole evaluator with the official code on real plans.

use serde_json::json;
use std::path::PathBuf;
use tripsmith_travelplanner::database::Database;
use tripsmith_travelplanner::evaluate::{evaluate, Sandbox, NOT_JUDGED};
use tripsmith_travelplanner::query::{day_records, query_from_value, DayRecord, Query};

/// The hand-made database and what loading it skipped (written and loaded once).
fn database() -> (Database, Vec<String>) {
    static LOADED: std::sync::OnceLock<(Database, Vec<String>)> = std::sync::OnceLock::new();
    LOADED.get_or_init(load).clone()
}

/// Writes the hand-made database into a fresh folder and loads it.
fn load() -> (Database, Vec<String>) {
    let dir = std::env::temp_dir().join(format!("tp-official-{}", std::process::id()));
    let write = |relative: &str, text: &str| {
        let path: PathBuf = dir.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "accommodations/clean_accommodations_2022.csv",
        ",NAME,room type,price,minimum nights,review rate number,house_rules,maximum occupancy,city\n\
         0,Sunny loft,Entire home/apt,100.0,1.0,4.0,No smoking,2,Springfield\n\
         1,Quiet flat,Private room,50.0,1.0,4.0,,2,Springfield\n\
         2,Sunny loft annex,Private room,40.0,3.0,4.0,No parties & No pets,2,Springfield\n\
         3,Lake view,Shared room,20.0,2.0,NaN,No visitors,1,Springfield\n\
         4,Harbour room,Private room,30.0,2.0,4.0,No children under 10,2,Shelbyville\n\
         5,Harbour room deluxe,Entire home/apt,90.0,3.0,4.0,No smoking,4,Shelbyville\n\
         6,Sea hut,Private room,25.0,1.0,4.0,No pets,2,Shelbyville\n",
    );
    write(
        "restaurants/clean_restaurant_2022.csv",
        ",Name,City,Cuisines,Average Cost,Aggregate Rating\n\
         0,Cafe Coffee Day,Springfield,\"Cafe, South Indian\",10,4.0\n\
         1,Cafe,Springfield,Bakery,5,3.0\n\
         2,Taj,Shelbyville,Indian,20,4.0\n\
         3,Diner,Shelbyville,American,15,4.0\n\
         4,Grill,Shelbyville,\"BBQ, American\",25,4.0\n\
         5,Home Kitchen,Capital City,Mexican,12,4.0\n",
    );
    write(
        "attractions/attractions.csv",
        "Name,Latitude,Longitude,Address,Phone,Website,City\n\
         Town Hall,1,1,Main St,123,web,Springfield\n\
         Old Mill,1,1,Mill Rd,,web,Springfield\n\
         Pier,1,1,Harbour,456,web,Shelbyville\n\
         Museum,1,1,Harbour,789,web,Shelbyville\n",
    );
    write(
        "googleDistanceMatrix/distance.csv",
        "origin,destination,cost,duration,distance\n\
         Springfield,Shelbyville,,1 day 2 hours,\"1,800 km\"\n\
         Springfield,Shelbyville,,2 hours,100 km\n\
         Shelbyville,Springfield,,2 hours,100 km\n\
         Capital City,Shelbyville,,3 hours 5 mins,200 km\n\
         Shelbyville,Capital City,,3 hours 5 mins,200 km\n",
    );
    write(
        "background/citySet_with_states.txt",
        "Springfield\tIllinois\nShelbyville\tIllinois\nCapital City\tIllinois\n",
    );
    let (db, report) = Database::load(&dir).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    (db, report.skipped.iter().map(|s| format!("{}:{} {}", s.file, s.line, s.reason)).collect())
}

#[test]
fn rows_with_an_empty_field_do_not_exist_as_pandas_dropna_drops_them() {
    let (db, skipped) = database();
    let names: Vec<&str> = db.accommodations.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Sunny loft", "Sunny loft annex", "Harbour room", "Harbour room deluxe", "Sea hut"]);
    assert_eq!(db.attractions.len(), 3, "Old Mill has no phone");
    assert_eq!(skipped.len(), 3, "{skipped:?}");
    assert!(skipped[0].contains(":3 ") && skipped[0].contains("house_rules"), "{skipped:?}");
    assert!(skipped[1].contains(":5 ") && skipped[1].contains("review rate number"), "{skipped:?}");
    assert!(skipped[2].contains("attractions") && skipped[2].contains("Phone"), "{skipped:?}");
}

#[test]
fn a_drive_of_days_is_no_valid_information_and_the_first_row_of_a_pair_decides() {
    let (db, _) = database();
    let key = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert!(!db.drives.contains_key(&key("Springfield", "Shelbyville")), "the first row lasts a day");
    assert_eq!(db.drives[&key("Shelbyville", "Springfield")].km, 100.0);
}

#[test]
fn an_entry_reads_the_first_row_of_its_city_whose_name_contains_it() {
    let (db, _) = database();
    assert_eq!(db.restaurant_named("Cafe", "Springfield").map(|r| r.name.as_str()), Some("Cafe Coffee Day"));
    assert_eq!(db.restaurant_named("Coffee", "Springfield").map(|r| r.name.as_str()), Some("Cafe Coffee Day"));
    assert!(db.restaurant_named("Cafe", "Shelbyville").is_none());
    let lofts: Vec<&str> = db.accommodations_named("Sunny loft", "Springfield").map(|a| a.name.as_str()).collect();
    assert_eq!(lofts, ["Sunny loft", "Sunny loft annex"]);
    assert!(db.has_attraction_named("Hall", "Springfield"));
    assert!(!db.has_attraction_named("Old Mill", "Springfield"));
}

fn query(days: u32, cities: u32, local: serde_json::Value, budget: f64) -> Query {
    let dates: Vec<String> = (0..days).map(|d| format!("2022-03-{:02}", 10 + d)).collect();
    let v = json!({"org": "Capital City", "dest": "Illinois", "days": days, "visiting_city_number": cities,
                   "date": dates, "people_number": 2, "local_constraint": local, "budget": budget});
    query_from_value(&v, 1).unwrap()
}

fn no_local() -> serde_json::Value {
    json!({"house rule": null, "cuisine": null, "room type": null, "transportation": null})
}

/// A 3-day trip Capital City → Shelbyville → Capital City by car.
fn trip() -> Vec<DayRecord> {
    day_records(&[
        json!({"days": 1, "current_city": "from Capital City to Shelbyville",
               "transportation": "Self-driving, from Capital City to Shelbyville, duration: 3 hours 5 mins, distance: 200 km, cost: 10",
               "breakfast": "-", "attraction": "Pier, Shelbyville;", "lunch": "-", "dinner": "Taj, Shelbyville",
               "accommodation": "Harbour room, Shelbyville"}),
        json!({"days": 2, "current_city": "Shelbyville", "transportation": "-", "breakfast": "Diner, Shelbyville",
               "attraction": "Museum, Shelbyville;", "lunch": "Grill, Shelbyville", "dinner": "Home Kitchen, Capital City",
               "accommodation": "Harbour room, Shelbyville"}),
        json!({"days": 3, "current_city": "from Shelbyville to Capital City",
               "transportation": "Self-driving, from Shelbyville to Capital City, duration: 3 hours 5 mins, distance: 200 km, cost: 10",
               "breakfast": "-", "attraction": "-", "lunch": "-", "dinner": "-", "accommodation": "-"}),
    ])
    .unwrap()
}

/// The checks a plan fails (hard ones not judged because the plan is outside the sandbox are
/// left out).
fn failures(q: &Query, plan: &[DayRecord], db: &Database) -> Vec<&'static str> {
    let v = evaluate(q, plan, &Sandbox::new(db, &[]));
    v.violations.iter().filter(|v| !v.detail.starts_with(NOT_JUDGED)).map(|v| v.label.name()).collect()
}

#[test]
fn the_hand_made_trip_passes() {
    let (db, _) = database();
    assert_eq!(failures(&query(3, 1, no_local(), 1000.0), &trip(), &db), Vec::<&str>::new());
}

#[test]
fn on_a_day_in_one_city_an_entry_passes_when_it_holds_each_letter_of_the_city() {
    // The official check iterates over the characters of the day's city (a string, not a list
    // of cities): "Museum, Capital City" holds a letter of "Shelbyville", so it passes that
    // check (the sandbox check fails it: no museum in Capital City); a name without any of
    // its letters fails it.
    let (db, _) = database();
    let mut plan = trip();
    plan[1].attraction = "Museum, Capital City;".into();
    assert_eq!(failures(&query(3, 1, no_local(), 1000.0), &plan, &db), ["within_sandbox"]);
    plan[1].attraction = "QQ, QQ;".into();
    assert!(failures(&query(3, 1, no_local(), 1000.0), &plan, &db).contains(&"within_current_city"));
}

#[test]
fn the_piece_after_the_last_semicolon_is_not_read() {
    let (db, _) = database();
    let mut plan = trip();
    plan[1].attraction = "Museum, Shelbyville;Nowhere Tower, Nowhere".into();
    assert_eq!(failures(&query(3, 1, no_local(), 1000.0), &plan, &db), Vec::<&str>::new());
    plan[1].attraction = "Museum, Shelbyville;Nowhere Tower, Nowhere;".into();
    assert_eq!(failures(&query(3, 1, no_local(), 1000.0), &plan, &db), ["within_sandbox"]);
}

#[test]
fn minimum_nights_count_only_when_one_row_matches() {
    let (db, _) = database();
    let q = query(3, 1, no_local(), 1000.0);
    // "Harbour room deluxe" matches one row, which asks for 3 nights: 2 break the rule.
    let mut plan = trip();
    for d in &mut plan[..2] {
        d.accommodation = "Harbour room deluxe, Shelbyville".into();
    }
    assert_eq!(failures(&q, &plan, &db), ["minimum_nights"]);
    // "Harbour room" matches two rows (itself and the deluxe one): the official check reads no
    // minimum, so one night of its 2 passes.
    let mut plan = trip();
    plan[1].accommodation = "Sea hut, Shelbyville".into();
    assert_eq!(failures(&q, &plan, &db), Vec::<&str>::new());
}

#[test]
fn house_rules_are_read_from_the_raw_field_for_the_five_known_rules() {
    let (db, _) = database();
    let with_rule = |rule: &str| {
        query(3, 1, json!({"house rule": rule, "cuisine": null, "room type": null, "transportation": null}), 1000.0)
    };
    assert!(failures(&with_rule("children under 10"), &trip(), &db).contains(&"room_rule"));
    assert!(!failures(&with_rule("pets"), &trip(), &db).contains(&"room_rule"));
    // A rule the official check does not know is never broken.
    assert!(!failures(&with_rule("children"), &trip(), &db).contains(&"room_rule"));
}

#[test]
fn a_cuisine_counts_as_part_of_the_cuisines_and_a_meal_in_the_origin_ends_the_day() {
    let (db, _) = database();
    let wanting = |cuisine: &str| {
        query(
            3,
            1,
            json!({"house rule": null, "cuisine": [cuisine], "room type": null, "transportation": null}),
            1000.0,
        )
    };
    // "Indian" is read in Taj's "Indian" on day 1.
    assert!(!failures(&wanting("Indian"), &trip(), &db).contains(&"cuisine"));
    // Grill serves BBQ at lunch on day 2: found.
    assert!(!failures(&wanting("BBQ"), &trip(), &db).contains(&"cuisine"));
    // With breakfast on day 2 in the origin city, the official check skips the rest of that day.
    let mut plan = trip();
    plan[1].breakfast = "Home Kitchen, Capital City".into();
    plan[1].dinner = "Diner, Shelbyville".into();
    assert!(failures(&wanting("BBQ"), &plan, &db).contains(&"cuisine"));
}

#[test]
fn costs_read_the_first_matching_row() {
    let (db, _) = database();
    // Two people: drive 10 + 10 (one car), Taj 40, Diner 30, Grill 50, Home Kitchen 24,
    // Harbour room 30 × 2 nights (one room for two) = 224.
    assert!(failures(&query(3, 1, no_local(), 224.0), &trip(), &db).is_empty());
    assert_eq!(failures(&query(3, 1, no_local(), 223.0), &trip(), &db), ["budget"]);
}
