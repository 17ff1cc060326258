//! The evaluation's parts on data made here (homes, trips, regions, splits, metrics, BPR-MF)
//! and the whole evaluation on the real Foursquare_3 check-ins.

use proptest::prelude::*;
use std::path::PathBuf;
use tripsmith_model::LatLon;
use tripsmith_model::NoProgress;
use tripsmith_recommend::baselines::{
    popularity, visitor_popularity, Anchor, BprMf, BprSettings, Counting, DistanceAware,
};
use tripsmith_recommend::checkins::{parse_checkins, parse_places, read_lbsn, CheckIn, CheckIns};
use tripsmith_recommend::eval::{ranked, Ranker};
use tripsmith_recommend::experiment::{run, target_shares, Settings};
use tripsmith_recommend::intention::IntentionSettings;
use tripsmith_recommend::metrics::{case_metrics, estimate};
use tripsmith_recommend::regions::Regions;
use tripsmith_recommend::split::{split, Case, Holdout};
use tripsmith_recommend::trips::{homes, travellers, Thresholds};
use tripsmith_recommend::DataError;

fn at(lat: f64, lon: f64) -> LatLon {
    LatLon::new(lat, lon).unwrap()
}

const DAY: f64 = 86_400.0;

/// Places: 0–5 in a home town at (40, −74), 6–8 in a city 300 km north, 9–11 in one 600 km
/// west; user 0 lives at home, visits the north city twice (days 10 and 40) and the west city
/// once (day 80); user 1 lives in the north city.
fn towns() -> CheckIns {
    let mut pois: Vec<LatLon> = (0..6).map(|i| at(40.0 + 0.01 * i as f64, -74.0)).collect();
    pois.extend((0..3).map(|i| at(42.7 + 0.01 * i as f64, -74.0)));
    pois.extend((0..3).map(|i| at(40.0, -81.0 + 0.01 * i as f64)));
    let mut events = Vec::new();
    let mut visit = |user: usize, poi: usize, day: f64| events.push(CheckIn { user, poi, time: day * DAY });
    for d in 0..6 {
        visit(0, d, d as f64);
    }
    visit(0, 6, 10.0);
    visit(0, 7, 10.5);
    visit(0, 8, 40.0);
    visit(0, 9, 80.0);
    visit(0, 10, 80.2);
    for (k, p) in [6, 7, 8, 6, 7].into_iter().enumerate() {
        visit(1, p, k as f64);
    }
    CheckIns::new("towns".into(), pois, events).unwrap()
}

#[test]
fn homes_and_trips_follow_the_thresholds() {
    let data = towns();
    let thresholds = Thresholds { min_home: 5, min_trips: 2, ..Thresholds::default() };
    let people = travellers(&data, &homes(&data, &thresholds), &thresholds);
    // User 1 never leaves home; user 0 has three trips (the north city twice, 30 days apart).
    assert_eq!(people.len(), 1);
    let t = &people[0];
    assert!((t.home.lat - 40.025).abs() < 1e-9 && t.at_home.len() == 6, "{t:?}");
    let trips: Vec<Vec<usize>> = t.trips.iter().map(|trip| trip.iter().map(|e| e.poi).collect()).collect();
    assert_eq!(trips, vec![vec![6, 7], vec![8], vec![9, 10]]);
    // With a 30-day gap the two north visits (29.5 days apart) are one trip.
    let long = Thresholds { trip_gap_hours: 30.0 * 24.0, ..thresholds };
    assert_eq!(travellers(&data, &homes(&data, &long), &long)[0].trips.len(), 2);
    assert!(travellers(&data, &homes(&data, &thresholds), &Thresholds { min_home: 7, ..thresholds }).is_empty());
}

#[test]
fn the_split_hides_the_held_out_trip_and_drops_known_destinations() {
    let data = towns();
    let people = travellers(&data, &homes(&data, &Thresholds::default()), &Thresholds::default());
    let regions = Regions::cluster(&data.pois, &vec![1; data.pois.len()], 50.0);
    assert_eq!(regions.members.len(), 3);
    let test = split(&data, &people, &regions, Holdout::Test);
    // The last trip (west city, places 9 and 10) is a case; training has none of it.
    assert_eq!(test.cases.len(), 1);
    assert_eq!((test.cases[0].region, test.cases[0].targets.clone()), (regions.of[9], vec![9, 10]));
    assert!(test.train.iter().all(|e| e.poi != 9 && e.poi != 10) && test.train.len() == data.events.len() - 2);
    // Validation holds out the second north visit: user 0 had been to the north city before.
    let validation = split(&data, &people, &regions, Holdout::Validation);
    assert_eq!((validation.cases.len(), validation.revisits), (0, 1));
    assert_eq!(validation.train.len(), data.events.len() - 3);
}

#[test]
fn metrics_match_hand_computed_values() {
    // Visited 3 and 7; ranked 5, 3, 9, 7, then others.
    let ranking = [5, 3, 9, 7, 1, 2];
    let m = case_metrics(&ranking, &[3, 7]);
    assert_eq!((m.recall10, m.recall20), (1.0, 1.0));
    let dcg = 1.0 / 3f64.log2() + 1.0 / 5f64.log2();
    let ideal = 1.0 + 1.0 / 3f64.log2();
    assert!((m.ndcg10 - dcg / ideal).abs() < 1e-12);
    assert!((m.ap - (0.5 + 0.5) / 2.0).abs() < 1e-12);
    let missed = case_metrics(&ranking, &[8]);
    assert_eq!((missed.recall10, missed.ndcg10, missed.ap), (0.0, 0.0, 0.0));
    let e = estimate(&[1.0, 0.0, 1.0, 0.0]);
    assert!((e.mean - 0.5).abs() < 1e-12 && (e.ci95 - 1.96 * (1.0f64 / 3.0 / 4.0).sqrt()).abs() < 1e-12);
    assert_eq!(ranked(&[4, 2, 9], &[1.0, 3.0, 1.0]), vec![2, 4, 9]);
}

#[test]
fn bpr_mf_ranks_a_users_community_first_and_repeats_with_its_seed() {
    // Users 0–19 visit places 0–9, users 20–39 places 10–19; user 0 has not visited 5–9.
    let mut events = Vec::new();
    for user in 0..40 {
        let base = if user < 20 { 0 } else { 10 };
        let seen = if user == 0 { 5 } else { 10 };
        events.extend((0..seen).map(|k| CheckIn { user, poi: base + k, time: k as f64 }));
    }
    let train = CheckIns::new("two".into(), vec![at(0.0, 0.0); 20], events).unwrap().events;
    let model = BprMf::train(&train, 40, 20, BprSettings::default());
    let case = Case { user: 0, home: at(0.0, 0.0), region: 0, targets: Vec::new() };
    let unseen: Vec<usize> = (5..20).collect();
    let top = ranked(&unseen, &model.scores(&case, &unseen));
    assert!(top[..5].iter().all(|&p| p < 10), "{top:?}");
    let again = BprMf::train(&train, 40, 20, BprSettings::default());
    assert_eq!(model.scores(&case, &unseen), again.scores(&case, &unseen));
}

#[test]
fn visitors_popularity_counts_check_ins_or_visitors_from_afar() {
    // Place 0 at home, place 1 300 km away; users 0 and 1 live at home, user 2 near place 1.
    let pois = vec![at(40.0, -74.0), at(42.7, -74.0)];
    let homes = [Some(pois[0]), Some(pois[0]), Some(pois[1]), None];
    let visit = |user, poi, time| CheckIn { user, poi, time };
    let train =
        [visit(0, 1, 1.0), visit(0, 1, 2.0), visit(0, 1, 3.0), visit(1, 1, 4.0), visit(2, 1, 5.0), visit(3, 1, 6.0)];
    let count = |counting| visitor_popularity(&train, &pois, &homes, 100.0, counting);
    assert_eq!(count(Counting::CheckIns), vec![0, 4]);
    assert_eq!(count(Counting::Visitors), vec![0, 2]);
}

#[test]
fn target_shares_count_unvisited_and_top_three_targets() {
    // One region of five places with 9, 7, 7, 2 and 0 visitors; ties share a rank, so place 3
    // has three places ahead of it and place 4 four.
    let regions = Regions { of: vec![0; 5], members: vec![(0..5).collect()], centres: vec![at(0.0, 0.0)] };
    let visitors = [9, 7, 7, 2, 0];
    let case = |targets: Vec<usize>| Case { user: 0, home: at(10.0, 0.0), region: 0, targets };
    // Targets 2, 3, 4 and 0: two of four in the top three, one of four unvisited.
    let cases = [case(vec![2, 3, 4]), case(vec![0])];
    assert_eq!(target_shares(&cases, &regions, &visitors), (0.25, 0.5));
    assert_eq!(target_shares(&[], &regions, &visitors), (0.0, 0.0));
}

#[test]
fn distance_aware_popularity_favours_places_near_its_anchor() {
    // One region of three places along a line 20 km apart; the middle one is the most popular.
    let pois = vec![at(40.0, -74.4), at(40.0, -74.165), at(40.0, -73.93)];
    let counts = vec![5, 9, 5];
    let regions = Regions::cluster(&pois, &counts, 50.0);
    assert_eq!(regions.members, vec![vec![0, 1, 2]]);
    let from_west = Case { user: 0, home: at(40.0, -80.0), region: 0, targets: Vec::new() };
    let from_east = Case { home: at(40.0, -70.0), ..from_west.clone() };
    let order = |anchor, per_km, case: &Case| {
        let ranker = DistanceAware::new(counts.clone(), &pois, &regions, anchor, per_km);
        ranked(&[0, 1, 2], &ranker.scores(case, &[0, 1, 2]))
    };
    // Without a penalty, popularity alone; from the centre, the middle place stays first.
    assert_eq!(order(Anchor::Home, 0.0, &from_west), vec![1, 0, 2]);
    assert_eq!(order(Anchor::Centre, 0.1, &from_west), vec![1, 0, 2]);
    // From home, a strong penalty puts the traveller's side of the destination first.
    assert_eq!(order(Anchor::Home, 0.1, &from_west), vec![0, 1, 2]);
    assert_eq!(order(Anchor::Home, 0.1, &from_east), vec![2, 1, 0]);
}

#[test]
fn malformed_files_name_the_line() {
    let e = parse_places("p.txt", "0 40.7 -74.0\n1 91 0\n").unwrap_err();
    assert!(matches!(e, DataError::Line { line: 2, .. }) && e.to_string().contains("p.txt, line 2"), "{e}");
    let e = parse_places("p.txt", "0 40.7 -74.0\n2 40 0\n").unwrap_err();
    assert!(e.to_string().contains("place 1 has no coordinates"), "{e}");
    let e = parse_checkins("c.txt", "0 1 12.5\n0 x 13\n").unwrap_err();
    assert!(matches!(e, DataError::Line { line: 2, .. }), "{e}");
    let e = parse_checkins("c.txt", "99999999999 1 12.5\n").unwrap_err();
    assert!(e.to_string().contains("over"), "{e}");
    let unknown = CheckIns::new("x".into(), vec![at(0.0, 0.0)], vec![CheckIn { user: 0, poi: 3, time: 0.0 }]);
    assert!(unknown.unwrap_err().to_string().contains("place 3"));
}

proptest! {
    #[test]
    fn parsers_never_panic(text in "[ -~\\n\\t]{0,300}") {
        let _ = parse_places("p", &text);
        let _ = parse_checkins("c", &text);
    }
}

/// The Foursquare_3 data set in `../shared`.
fn foursquare() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("../../../shared/data/checkins/LBSNDatasets/Foursquare/Foursquare_3")
}

#[test]
fn the_evaluation_on_foursquare_3_is_sound() {
    let data = read_lbsn(&foursquare(), "Foursquare").unwrap();
    assert_eq!((data.pois.len(), data.events.len()), (8_000, 185_984));
    // The test split trains on everything but each traveller's last trip, and each case's
    // destination is a region the user has no training check-in in.
    let people = travellers(&data, &homes(&data, &Thresholds::default()), &Thresholds::default());
    let regions = Regions::cluster(&data.pois, &popularity(&data.events, data.pois.len()), 50.0);
    let test = split(&data, &people, &regions, Holdout::Test);
    let held: usize = people.iter().map(|t| t.trips.last().map_or(0, Vec::len)).sum();
    assert!(held > 0 && test.train.len() <= data.events.len() - held);
    let mut visited = vec![Vec::new(); data.users];
    test.train.iter().for_each(|e| visited[e.user].push(regions.of[e.poi]));
    assert!(test.cases.iter().all(|c| !visited[c.user].contains(&c.region)));
    // One seed and two epochs of the intention model: this checks soundness, not quality.
    let defaults = Settings::default();
    let settings = Settings { seeds: 1, intention: IntentionSettings { epochs: 2, ..defaults.intention }, ..defaults };
    let report = run(&data, &settings, &NoProgress).unwrap();
    let s = report.stats;
    assert_eq!(
        (s.users, s.travellers, s.test_cases, s.train_checkins),
        (4_969, people.len(), test.cases.len(), test.train.len())
    );
    assert!(s.test_cases > 500 && s.test_cases + s.revisits <= s.travellers, "{s:?}");
    // Some visited places are the destination's busiest, some are unknown to its visitors.
    assert!(s.targets_in_top3 > 0.0 && s.targets_in_top3 < 1.0, "{s:?}");
    assert!(s.targets_unvisited > 0.0 && s.targets_unvisited < 0.5, "{s:?}");
    // Every model finds the visited places far more often than a random order would
    // (Recall@10 of a random order: 10 / candidates), with an interval from the trips.
    let random = 10.0 / s.mean_candidates;
    for m in &report.models {
        assert!(m.summary.recall10.mean > 5.0 * random, "{}: {:?}", m.name, m.summary);
        assert!(m.summary.recall10.ci95 > 0.0 && m.summary.recall10.ci95 < 0.05, "{}: {:?}", m.name, m.summary);
    }
}
