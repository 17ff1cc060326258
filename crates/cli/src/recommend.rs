//! `tripsmith recommend`: a region's places for a check-in history, and the evaluation and
//! use of out-of-town recommenders on check-in data sets.

use crate::progress::Bar;
use serde_json::json;
use std::error::Error;
use std::path::Path;
use tripsmith_model::LatLon;
use tripsmith_recommend::checkins::read_lbsn_dir;
use tripsmith_recommend::eval::{ranked, Ranker};
use tripsmith_recommend::experiment::{regions, run, train_on_everything, ModelResult, Settings};
use tripsmith_recommend::getnext::{is_getnext, read_getnext};
use tripsmith_recommend::history::read_history;
use tripsmith_recommend::intention::{IntentionModel, IntentionSettings};
use tripsmith_recommend::metrics::Estimate;
use tripsmith_recommend::neighbourhoods::{run_neighbourhoods, NEIGHBOURHOOD_KM};
use tripsmith_recommend::split::Case;
use tripsmith_recommend::taste::{RegionRecommendations, Taste};
use tripsmith_recommend::trips::km;
use tripsmith_region::Region;

/// The taste of the check-in history in `file` (of `user` when the file holds several).
pub fn taste(file: &Path, user: Option<&str>) -> Result<Taste, Box<dyn Error>> {
    Ok(Taste::from_history(&read_history(file, user)?).map_err(|e| format!("{}: {e}", file.display()))?)
}

/// One line on a taste: how many check-ins counted and the heaviest categories.
pub fn describe_taste(taste: &Taste) -> String {
    let top: Vec<String> = taste
        .weights
        .iter()
        .filter(|w| w.checkins > 0)
        .take(5)
        .map(|w| format!("{} {:.0} %", w.category, 100.0 * w.weight))
        .collect();
    format!(
        "history: {} check-ins, {} at places a traveller visits ({} everyday, {} homes/offices/roads, {} unknown); taste: {}",
        taste.checkins,
        taste.counted,
        taste.everyday,
        taste.no_destination,
        taste.unknown.iter().map(|(_, n)| n).sum::<usize>(),
        top.join(", ")
    )
}

/// Prints the `top` places of `region` for `taste`, nearest `near` (default: the centre of
/// the region's places) among equals.
pub fn for_history(
    taste: Taste,
    region: &Region,
    near: Option<LatLon>,
    top: usize,
    as_json: bool,
) -> Result<(), Box<dyn Error>> {
    let pois = region.catalog();
    let near = near.unwrap_or_else(|| region.centre());
    let answer = RegionRecommendations::new(taste, region.name(), pois, near, top);
    if as_json {
        println!("{}", serde_json::to_string(&answer)?);
        return Ok(());
    }
    println!("{}", describe_taste(&answer.taste));
    println!("{}: {} places, ranked for this taste (near {near}):", region.name(), pois.len());
    for (rank, p) in answer.recommendations.iter().enumerate() {
        println!(
            "{:>3}. {} [{}] {} ({:.0} m) score {:.3}; {}",
            rank + 1,
            p.name,
            p.category,
            p.id,
            p.metres,
            p.score,
            p.because
        );
    }
    Ok(())
}

/// The data set in `dir`.
fn load(dir: &Path) -> Result<tripsmith_recommend::checkins::CheckIns, Box<dyn Error>> {
    Ok(read_lbsn_dir(dir)?)
}

/// Trains the intention-aware model on every check-in in `dir` and saves it to `out`.
pub fn train(dir: &Path, out: &Path, seed: u64, epochs: Option<usize>, bar: &Bar) -> Result<(), Box<dyn Error>> {
    let data = load(dir)?;
    let defaults = Settings::default();
    let intention =
        IntentionSettings { seed, epochs: epochs.unwrap_or(defaults.intention.epochs), ..defaults.intention };
    let started = std::time::Instant::now();
    let (model, regions) = train_on_everything(&data, &Settings { intention, ..defaults }, bar, &|| false)?;
    bar.finish();
    model.save(out)?;
    println!(
        "{}: trained on {} check-ins of {} users over {} places ({} regions) in {:.1} s; loss by epoch {}",
        data.name,
        data.events.len(),
        data.users,
        data.pois.len(),
        regions.members.len(),
        started.elapsed().as_secs_f64(),
        model.losses.iter().map(|l| format!("{l:.3}")).collect::<Vec<_>>().join(" ")
    );
    println!("saved to {}", out.display());
    Ok(())
}

/// Prints the places a saved model recommends to `user` in the region around `near`, each
/// with the intention behind it.
pub fn places(
    dir: &Path,
    model: &Path,
    user: usize,
    near: LatLon,
    top: usize,
    as_json: bool,
) -> Result<(), Box<dyn Error>> {
    let data = load(dir)?;
    let model = IntentionModel::load(model, data.users, data.pois.len())?;
    if user >= data.users {
        return Err(format!("user {user}: the data set's users are 0 to {}", data.users.saturating_sub(1)).into());
    }
    let settings = Settings::default();
    let regions = regions(&data, &settings);
    let nearest = (0..data.pois.len())
        .min_by(|&a, &b| km(near, data.pois[a]).total_cmp(&km(near, data.pois[b])))
        .ok_or("the data set has no places")?;
    if km(near, data.pois[nearest]) > settings.region_km {
        return Err(format!("no place of the data set lies within {} km of {near}", settings.region_km).into());
    }
    let region = regions.of[nearest];
    let candidates = &regions.members[region];
    let case = Case { user, home: near, region, targets: Vec::new() };
    let scores = model.scores(&case, candidates);
    let by_place: std::collections::HashMap<usize, f64> =
        candidates.iter().copied().zip(scores.iter().copied()).collect();
    let listed: Vec<serde_json::Value> = ranked(candidates, &scores)
        .into_iter()
        .take(top)
        .map(|p| {
            let (intention, share) = model.intention_behind(user, p);
            json!({
                "id": p, "lat": data.pois[p].lat, "lon": data.pois[p].lon, "score": by_place[&p],
                "intention": intention + 1, "intention_share": share,
            })
        })
        .collect();
    if as_json {
        println!("{}", serde_json::Value::Array(listed));
        return Ok(());
    }
    println!("user {user}, {} places in the region around {near}:", candidates.len());
    for (rank, v) in listed.iter().enumerate() {
        println!(
            "{:>3}. place {} ({:.4}, {:.4}) score {:.3}; intention {} ({:.0} % of its weight)",
            rank + 1,
            v["id"],
            v["lat"].as_f64().unwrap_or(0.0),
            v["lon"].as_f64().unwrap_or(0.0),
            v["score"].as_f64().unwrap_or(0.0),
            v["intention"],
            100.0 * v["intention_share"].as_f64().unwrap_or(0.0)
        );
    }
    Ok(())
}

/// Prints the intentions of the model in `model`, trained on the data set in `dir`.
pub fn intentions(dir: &Path, model: &Path, top: usize, as_json: bool) -> Result<(), Box<dyn Error>> {
    let data = load(dir)?;
    let model = IntentionModel::load(model, data.users, data.pois.len())?;
    let listed = model.summaries(&data, top);
    if as_json {
        println!("{}", serde_json::to_string(&listed)?);
        return Ok(());
    }
    for v in &listed {
        let places: Vec<String> =
            v.places.iter().map(|p| format!("{} ({:.3}, {:.3}) {:.3}", p.id, p.lat, p.lon, p.weight)).collect();
        println!(
            "intention {:>2}: leads for {:>5.1} % of users; places {}",
            v.intention,
            100.0 * v.users_share,
            places.join(", ")
        );
    }
    Ok(())
}

/// Each model's metrics as the `models` object of `recommend eval --json`.
fn models_json(models: &[ModelResult]) -> serde_json::Map<String, serde_json::Value> {
    let estimate = |e: Estimate| e.mean;
    models
        .iter()
        .map(|m| {
            let v = json!({
                "recall@10": estimate(m.summary.recall10),
                "recall@20": estimate(m.summary.recall20),
                "ndcg@10": estimate(m.summary.ndcg10),
                "map": estimate(m.summary.map),
                "ci95": {
                    "recall@10": m.summary.recall10.ci95,
                    "recall@20": m.summary.recall20.ci95,
                    "ndcg@10": m.summary.ndcg10.ci95,
                    "map": m.summary.map.ci95,
                },
                "seeds": m.seeds,
                "chosen": m.chosen,
            });
            (m.name.clone(), v)
        })
        .collect()
}

/// Prints the models' metrics as a table.
fn print_models(models: &[ModelResult], train_seconds: f64) {
    println!("{:<17} {:>17} {:>17} {:>17} {:>17}  seeds", "model", "Recall@10", "Recall@20", "NDCG@10", "MAP");
    let cell = |e: Estimate| format!("{:.4} ± {:.4}", e.mean, e.ci95);
    for m in models {
        let chosen = if m.chosen.is_empty() { String::new() } else { format!("  ({})", m.chosen) };
        println!(
            "{:<17} {:>17} {:>17} {:>17} {:>17}  {}{chosen}",
            m.name,
            cell(m.summary.recall10),
            cell(m.summary.recall20),
            cell(m.summary.ndcg10),
            cell(m.summary.map),
            m.seeds
        );
    }
    println!("(± is the 95 % interval over test cases; training took {train_seconds:.1} s)");
}

/// Runs the new-neighbourhood evaluation on GETNext files in `dir` and prints it.
fn eval_neighbourhoods(dir: &Path, seeds: u64, as_json: bool, bar: &Bar) -> Result<(), Box<dyn Error>> {
    let data = read_getnext(dir)?;
    let report = run_neighbourhoods(&data, seeds, bar);
    bar.finish();
    let s = &report.stats;
    let versus = &report.category_vs_top;
    if as_json {
        let v = json!({
            "dataset": report.dataset,
            "task": "new-neighbourhood",
            "users": s.cases,
            "stats": {
                "users": s.users, "places": s.places, "trip_places": s.trip_places, "before": s.before,
                "after": s.after, "neighbourhoods": s.neighbourhoods, "neighbourhood_km": NEIGHBOURHOOD_KM,
                "test_cases": s.cases, "mean_candidates": s.mean_candidates, "mean_targets": s.mean_targets,
            },
            "models": models_json(&report.models),
            "category_vs_top": {"recall@10_difference": versus.mean, "ci95": versus.ci95},
            "train_seconds": report.train_seconds,
        });
        println!("{v}");
        return Ok(());
    }
    println!(
        "{}: {} users, {} venues ({} of trip categories); {} earlier and {} later check-ins; {} neighbourhoods of {NEIGHBOURHOOD_KM} km",
        report.dataset, s.users, s.places, s.trip_places, s.before, s.after, s.neighbourhoods
    );
    println!(
        "test: {} users' later visits to a neighbourhood new to them, {:.0} candidate venues and {:.2} visited on average",
        s.cases, s.mean_candidates, s.mean_targets
    );
    print_models(&report.models, report.train_seconds);
    println!(
        "category-transfer − top on Recall@10, case by case: {:+.4} ± {:.4} (paired 95 % interval)",
        versus.mean, versus.ci95
    );
    Ok(())
}

/// Plans the held-out travellers' itineraries of a cross-city data set and prints the hit rates.
pub fn eval_plans(dir: &Path, seed: u64, as_json: bool, bar: &Bar) -> Result<(), Box<dyn Error>> {
    use tripsmith_region::visit_plans::{run, SOLVE, TOP};
    let file = tripsmith_recommend::crosscity::find_cross_city(dir).ok_or_else(|| {
        format!("{}: no cross-city CSV (a header with cross_city_mode) here; eval-plans needs travellers between two cities", dir.display())
    })?;
    let data = tripsmith_recommend::crosscity::read_cross_city(&file)?;
    let started = std::time::Instant::now();
    let report = run(&data, seed, bar)?;
    bar.finish();
    let seconds = started.elapsed().as_secs_f64();
    let stops = |f: fn(&(usize, usize)) -> usize| {
        report.travellers.iter().map(|t| f(&t.stops)).sum::<usize>() as f64 / report.travellers.len().max(1) as f64
    };
    if as_json {
        let v = json!({
            "dataset": report.dataset,
            "travellers": report.travellers.len(),
            "hit_rate": {"popularity": report.popularity, "recommender": report.recommender},
            "paired": {"diff": report.paired.mean, "ci95": [report.paired.mean - report.paired.ci95, report.paired.mean + report.paired.ci95]},
            "mean_stops": {"popularity": stops(|s| s.0), "recommender": stops(|s| s.1)},
            "places_per_itinerary": TOP,
            "solve_seconds": SOLVE.as_secs_f64(),
            "checker_violations": report.violations,
            "unplanned": report.unplanned,
            "seed": seed,
            "seconds": seconds,
        });
        println!("{v}");
        return Ok(());
    }
    println!(
        "{}: {} held-out travellers, a one-day itinerary each over the {TOP} best-valued venues of the other city",
        report.dataset,
        report.travellers.len()
    );
    println!(
        "hit rate (share of the last visit's new venues the itinerary visits): popularity {:.4}, recommender {:.4} ({:.1} and {:.1} stops a day)",
        report.popularity,
        report.recommender,
        stops(|s| s.0),
        stops(|s| s.1)
    );
    println!(
        "recommender − popularity, traveller by traveller: {:+.4} ± {:.4} (paired 95 % interval); {} plans with a checker violation, {} without a plan; {seconds:.1} s",
        report.paired.mean, report.paired.ci95, report.violations, report.unplanned
    );
    Ok(())
}

/// Runs the out-of-town evaluation on a cross-city file and prints it.
fn eval_out_of_town(file: &Path, seeds: u64, as_json: bool, bar: &Bar) -> Result<(), Box<dyn Error>> {
    use tripsmith_recommend::outoftown::{run_out_of_town, AWAY_KM};
    let data = tripsmith_recommend::crosscity::read_cross_city(file)?;
    let report = run_out_of_town(&data, seeds, bar)?;
    bar.finish();
    let s = &report.stats;
    let c = &report.comparison;
    if as_json {
        let v = json!({
            "dataset": report.dataset,
            "task": "out-of-town",
            "users": s.test_cases,
            "stats": {
                "cities": s.cities, "travellers": s.travellers, "places": s.places, "checkins": s.checkins,
                "visits": s.visits, "test_cases": s.test_cases, "only_revisits": s.only_revisits,
                "validation_cases": s.validation_cases, "train_checkins": s.train_checkins,
                "mean_candidates": s.mean_candidates, "mean_targets": s.mean_targets, "away_km": AWAY_KM,
            },
            "models": models_json(&report.models),
            "intention_vs_best": {
                "baseline": c.baseline,
                "recall@10_difference": c.recall10_difference.mean,
                "ci95": c.recall10_difference.ci95,
            },
            "train_seconds": report.train_seconds,
        });
        println!("{v}");
        return Ok(());
    }
    println!(
        "{}: {} travellers between {}, {} venues, {} check-ins, {} visits to the other city",
        report.dataset,
        s.travellers,
        s.cities.join(" and "),
        s.places,
        s.checkins,
        s.visits
    );
    println!(
        "test: the new venues of {} last visits ({} visits only to venues seen before left out), {:.0} candidate venues and {:.2} new ones visited on average; validation: {} visits; training: {} check-ins",
        s.test_cases, s.only_revisits, s.mean_candidates, s.mean_targets, s.validation_cases, s.train_checkins
    );
    print_models(&report.models, report.train_seconds);
    println!(
        "intention − {} on Recall@10, visit by visit: {:+.4} ± {:.4} (paired 95 % interval)",
        c.baseline, c.recall10_difference.mean, c.recall10_difference.ci95
    );
    Ok(())
}

/// Runs the evaluation on the data set in `dir` (check-in trips, GETNext files with
/// categories, or a cross-city file) and prints it.
pub fn eval(dir: &Path, seeds: u64, as_json: bool, bar: &Bar) -> Result<(), Box<dyn Error>> {
    if is_getnext(dir) {
        return eval_neighbourhoods(dir, seeds, as_json, bar);
    }
    if let Some(file) = tripsmith_recommend::crosscity::find_cross_city(dir) {
        return eval_out_of_town(&file, seeds, as_json, bar);
    }
    let data = load(dir)?;
    let settings = Settings { seeds, ..Settings::default() };
    let report = run(&data, &settings, bar)?;
    bar.finish();
    let s = &report.stats;
    if as_json {
        let v = json!({
            "dataset": report.dataset,
            "users": s.test_cases,
            "stats": {
                "users": s.users, "places": s.places, "checkins": s.checkins, "travellers": s.travellers,
                "trips": s.trips, "regions": s.regions, "test_cases": s.test_cases, "revisits": s.revisits,
                "validation_cases": s.validation_cases, "train_checkins": s.train_checkins,
                "mean_candidates": s.mean_candidates, "mean_targets": s.mean_targets,
                "targets_unvisited": s.targets_unvisited, "targets_in_top3": s.targets_in_top3,
            },
            "models": models_json(&report.models),
            "intention_vs_best": {
                "baseline": report.comparison.baseline,
                "recall@10_difference": report.comparison.recall10_difference.mean,
                "ci95": report.comparison.recall10_difference.ci95,
            },
            "train_seconds": report.train_seconds,
        });
        println!("{v}");
        return Ok(());
    }
    println!(
        "{}: {} users, {} places, {} check-ins; {} travellers ({} trips) over {} regions",
        report.dataset, s.users, s.places, s.checkins, s.travellers, s.trips, s.regions
    );
    println!(
        "test: {} last trips to a region new to the user ({} revisits left out), {:.0} candidate places and {:.2} visited on average; validation: {} trips; training: {} check-ins",
        s.test_cases, s.revisits, s.mean_candidates, s.mean_targets, s.validation_cases, s.train_checkins
    );
    println!(
        "visited places: {:.1} % among their destination's 3 most visited by visitors, {:.1} % visited by no visitor in training",
        100.0 * s.targets_in_top3,
        100.0 * s.targets_unvisited
    );
    print_models(&report.models, report.train_seconds);
    let c = &report.comparison;
    println!(
        "intention − {} on Recall@10, trip by trip: {:+.4} ± {:.4} (paired 95 % interval)",
        c.baseline, c.recall10_difference.mean, c.recall10_difference.ci95
    );
    Ok(())
}
