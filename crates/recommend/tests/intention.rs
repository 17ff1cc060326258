//! The intention-aware model on check-ins made here: home taste carries over to a region a
//! user has never visited, and a seed repeats its answer.

use tripsmith_model::{LatLon, NoProgress};
use tripsmith_recommend::baselines::{popularity, BprMf, BprSettings};
use tripsmith_recommend::checkins::{CheckIn, CheckIns};
use tripsmith_recommend::eval::{ranked, Ranker};
use tripsmith_recommend::intention::{IntentionModel, IntentionSettings, ModelFileError, TrainingData, STOPPED};
use tripsmith_recommend::regions::Regions;
use tripsmith_recommend::split::Case;
use tripsmith_recommend::trips::{homes, Thresholds};

fn at(lat: f64, lon: f64) -> LatLon {
    LatLon::new(lat, lon).unwrap()
}

/// Places 0–9 at home (40, −74), 10–15 in a city 300 km north, 20–25 in one 600 km west
/// (16–19 unused, far south). Forty users of two tastes (even, odd) all live at home: even
/// users check in at 0–4 at home, 10–12 up north and 20–22 out west; odd users at 5–9, 13–15
/// and 23–25. Users 30–39 have not been west yet.
fn two_tastes() -> CheckIns {
    let mut pois: Vec<LatLon> = (0..10).map(|i| at(40.0 + 0.01 * i as f64, -74.0)).collect();
    pois.extend((0..6).map(|i| at(42.7 + 0.01 * i as f64, -74.0)));
    pois.extend((0..4).map(|i| at(30.0 + 0.01 * i as f64, -90.0)));
    pois.extend((0..6).map(|i| at(40.0, -81.0 + 0.01 * i as f64)));
    let mut events = Vec::new();
    for user in 0..40 {
        let odd = user % 2;
        let mut day = 0.0;
        let mut visit = |poi: usize| {
            day += 1.0;
            events.push(CheckIn { user, poi, time: day * 86_400.0 });
        };
        (0..5).for_each(|k| visit(5 * odd + k));
        (0..3).for_each(|k| visit(10 + 3 * odd + k));
        if user < 30 {
            (0..3).for_each(|k| visit(20 + 3 * odd + k));
        }
    }
    CheckIns::new("two tastes".into(), pois, events).unwrap()
}

fn train_on(
    data: &CheckIns,
    base: Option<&BprMf>,
    settings: IntentionSettings,
    stop: &dyn Fn() -> bool,
) -> candle_core::Result<IntentionModel> {
    let thresholds = Thresholds::default();
    let home = homes(data, &thresholds);
    let regions = Regions::cluster(&data.pois, &popularity(&data.events, data.pois.len()), 50.0);
    let input = TrainingData { data, train: &data.events, homes: &home, regions: &regions, away_km: 100.0, base };
    IntentionModel::train(&input, &settings, &NoProgress, stop)
}

fn settings(seed: u64) -> IntentionSettings {
    IntentionSettings { epochs: 60, batch: 64, learning_rate: 0.01, seed, ..Default::default() }
}

fn train_until(data: &CheckIns, seed: u64, stop: &dyn Fn() -> bool) -> candle_core::Result<IntentionModel> {
    train_on(data, None, settings(seed), stop)
}

fn train(data: &CheckIns, seed: u64) -> IntentionModel {
    train_until(data, seed, &|| false).unwrap()
}

fn base(data: &CheckIns) -> BprMf {
    BprMf::train(&data.events, data.users, data.pois.len(), BprSettings::default())
}

#[test]
fn training_stops_when_asked() {
    let asked = std::cell::Cell::new(0);
    let stop = || {
        asked.set(asked.get() + 1);
        asked.get() > 5
    };
    let err = train_until(&two_tastes(), 1, &stop).unwrap_err();
    assert!(err.to_string().contains(STOPPED), "{err}");
    assert_eq!(asked.get(), 6, "asked before every step, and no more once it said stop");
}

#[test]
fn a_users_taste_carries_over_to_a_region_they_have_not_visited() {
    let data = two_tastes();
    let model = train(&data, 1);
    assert!(model.losses.first() > model.losses.last(), "{:?}", model.losses);
    let west: Vec<usize> = (20..26).collect();
    let mut right = 0;
    for user in 30..40 {
        let case = Case { user, home: at(40.0, -74.0), region: 0, targets: Vec::new() };
        let order = ranked(&west, &model.scores(&case, &west));
        let theirs = if user % 2 == 0 { 20..23 } else { 23..26 };
        right += order[..3].iter().filter(|&&p| theirs.contains(&p)).count();
    }
    // 30 slots in the ten users' top threes: their own taste's places fill most of them (a
    // model blind to taste fills half on average).
    assert!(right >= 24, "{right} of 30");
    // Each intention has a distribution over places; its most characteristic are those it
    // weighs above the intentions' mean.
    let places = data.pois.len();
    let top = model.characteristic_places(0, 5);
    let mean =
        |p: usize| (0..model.intentions).map(|i| model.topics[i * places + p]).sum::<f32>() / model.intentions as f32;
    assert!(top.len() == 5 && model.topics[top[0]] > mean(top[0]), "{top:?}");
    let mixture = &model.mixtures[..model.intentions];
    assert!((mixture.iter().sum::<f32>() - 1.0).abs() < 1e-4);
    // The intention behind a recommendation holds the largest part of the user's weight on it.
    let (k, share) = model.intention_behind(31, 23);
    let parts: Vec<f32> = (0..model.intentions)
        .map(|i| model.mixtures[31 * model.intentions + i] * model.topics[i * places + 23])
        .collect();
    assert!(k < model.intentions && parts.iter().all(|&p| p <= parts[k]));
    assert!((share - parts[k] / parts.iter().sum::<f32>()).abs() < 1e-6);
}

#[test]
fn a_model_on_a_base_adds_its_correction_to_the_base_scores() {
    let data = two_tastes();
    let base = base(&data);
    // Untrained, the two models share their weights: the one on a base scores the base's
    // scores more.
    let untrained = IntentionSettings { epochs: 0, ..settings(5) };
    let alone = train_on(&data, None, untrained, &|| false).unwrap();
    let on_base = train_on(&data, Some(&base), untrained, &|| false).unwrap();
    let places: Vec<usize> = (0..data.pois.len()).collect();
    for user in [0, 31, 38] {
        let case = Case { user, home: at(40.0, -74.0), region: 0, targets: Vec::new() };
        let (a, b, c) = (alone.scores(&case, &places), on_base.scores(&case, &places), base.scores(&case, &places));
        for p in 0..places.len() {
            assert!((b[p] - (a[p] + c[p])).abs() < 1e-4, "user {user}, place {p}: {} vs {} + {}", b[p], a[p], c[p]);
        }
    }
    // Trained on a base, the taste still carries over, and the model saves and loads whole.
    let model = train_on(&data, Some(&base), settings(5), &|| false).unwrap();
    let west: Vec<usize> = (20..26).collect();
    let right: usize = (30..40)
        .map(|user| {
            let case = Case { user, home: at(40.0, -74.0), region: 0, targets: Vec::new() };
            let theirs = if user % 2 == 0 { 20..23 } else { 23..26 };
            ranked(&west, &model.scores(&case, &west))[..3].iter().filter(|&&p| theirs.contains(&p)).count()
        })
        .sum();
    assert!(right >= 24, "{right} of 30");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.safetensors");
    model.save(&path).unwrap();
    let loaded = IntentionModel::load(&path, data.users, data.pois.len()).unwrap();
    let case = Case { user: 33, home: at(40.0, -74.0), region: 0, targets: Vec::new() };
    assert_eq!(model.scores(&case, &places), loaded.scores(&case, &places));
}

#[test]
fn the_same_seed_trains_the_same_model() {
    let data = two_tastes();
    let case = Case { user: 31, home: at(40.0, -74.0), region: 0, targets: Vec::new() };
    let places: Vec<usize> = (0..data.pois.len()).collect();
    let (a, b, c) = (train(&data, 3), train(&data, 3), train(&data, 4));
    assert_eq!(a.scores(&case, &places), b.scores(&case, &places));
    assert_ne!(a.scores(&case, &places), c.scores(&case, &places));
}

#[test]
fn a_saved_model_loads_with_the_same_scores_and_refuses_other_data() {
    let data = two_tastes();
    let model = train(&data, 2);
    let dir = std::env::temp_dir().join(format!("tripsmith-intention-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("model.safetensors");
    model.save(&path).unwrap();
    let loaded = IntentionModel::load(&path, data.users, data.pois.len()).unwrap();
    let case = Case { user: 35, home: at(40.0, -74.0), region: 0, targets: Vec::new() };
    let places: Vec<usize> = (0..data.pois.len()).collect();
    assert_eq!(model.scores(&case, &places), loaded.scores(&case, &places));
    assert_eq!((loaded.mixtures.clone(), loaded.topics.clone()), (model.mixtures.clone(), model.topics.clone()));
    assert_eq!(loaded.losses.len(), model.losses.len());
    let e = IntentionModel::load(&path, data.users + 1, data.pois.len()).unwrap_err();
    assert!(matches!(e, ModelFileError::OtherData { users: 40, .. }), "{e}");
    let junk = dir.join("junk.safetensors");
    std::fs::write(&junk, b"not a model").unwrap();
    assert!(matches!(IntentionModel::load(&junk, 40, 26), Err(ModelFileError::File { .. })));
    std::fs::remove_dir_all(&dir).unwrap();
}
