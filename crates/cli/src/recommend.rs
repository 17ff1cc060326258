//! `tripsmith recommend`: evaluation of out-of-town recommenders on check-in data.

use crate::progress::Bar;
use serde_json::json;
use std::error::Error;
use std::path::Path;
use tripsmith_model::LatLon;
use tripsmith_recommend::checkins::read_lbsn;
use tripsmith_recommend::eval::{ranked, Ranker};
use tripsmith_recommend::experiment::{regions, run, train_on_everything, Settings};
use tripsmith_recommend::intention::{IntentionModel, IntentionSettings};
use tripsmith_recommend::metrics::Estimate;
use tripsmith_recommend::split::Case;
use tripsmith_recommend::trips::km;

/// The data set's name in `dir`: the prefix of its `*_checkins.txt` file.
fn prefix(dir: &Path) -> Result<String, Box<dyn Error>> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix("_checkins.txt").map(str::to_string))
        .collect();
    names.sort();
    match names.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!("{}: no <name>_checkins.txt file in this folder", dir.display()).into()),
        _ => {
            Err(format!("{}: several check-in files ({}); give a folder with one", dir.display(), names.join(", "))
                .into())
        }
    }
}

/// The data set in `dir`.
fn load(dir: &Path) -> Result<tripsmith_recommend::checkins::CheckIns, Box<dyn Error>> {
    Ok(read_lbsn(dir, &prefix(dir)?)?)
}

/// Trains the intention-aware model on every check-in in `dir` and saves it to `out`.
pub fn train(dir: &Path, out: &Path, seed: u64, epochs: Option<usize>, bar: &Bar) -> Result<(), Box<dyn Error>> {
    let data = load(dir)?;
    let defaults = Settings::default();
    let intention =
        IntentionSettings { seed, epochs: epochs.unwrap_or(defaults.intention.epochs), ..defaults.intention };
    let started = std::time::Instant::now();
    let (model, regions) = train_on_everything(&data, &Settings { intention, ..defaults }, bar)?;
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
    let k = model.intentions;
    // Users (with any check-in) for whom each intention weighs most.
    let mut leading = vec![0usize; k];
    let by_user = data.by_user();
    let active = by_user.iter().filter(|u| !u.is_empty()).count().max(1);
    for (user, events) in by_user.iter().enumerate() {
        let row = &model.mixtures[user * k..(user + 1) * k];
        if let (false, Some((best, _))) = (events.is_empty(), row.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)))
        {
            leading[best] += 1;
        }
    }
    let places = data.pois.len();
    let listed: Vec<serde_json::Value> = (0..k)
        .map(|i| {
            let weights = &model.topics[i * places..(i + 1) * places];
            json!({
                "intention": i + 1,
                "users_share": leading[i] as f64 / active as f64,
                "places": model.characteristic_places(i, top).iter().map(|&p| json!({
                    "id": p, "lat": data.pois[p].lat, "lon": data.pois[p].lon, "weight": weights[p],
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    if as_json {
        println!("{}", serde_json::Value::Array(listed));
        return Ok(());
    }
    for v in &listed {
        let places: Vec<String> = v["places"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                format!(
                    "{} ({:.3}, {:.3}) {:.3}",
                    p["id"],
                    p["lat"].as_f64().unwrap_or(0.0),
                    p["lon"].as_f64().unwrap_or(0.0),
                    p["weight"].as_f64().unwrap_or(0.0)
                )
            })
            .collect();
        println!(
            "intention {:>2}: leads for {:>5.1} % of users; places {}",
            v["intention"],
            100.0 * v["users_share"].as_f64().unwrap_or(0.0),
            places.join(", ")
        );
    }
    Ok(())
}

/// Runs the evaluation on the data set in `dir` and prints it.
pub fn eval(dir: &Path, seeds: u64, as_json: bool, bar: &Bar) -> Result<(), Box<dyn Error>> {
    let data = load(dir)?;
    let settings = Settings { seeds, ..Settings::default() };
    let report = run(&data, &settings, bar)?;
    bar.finish();
    let s = &report.stats;
    if as_json {
        let estimate = |e: Estimate| e.mean;
        let models: serde_json::Map<String, serde_json::Value> = report
            .models
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
            .collect();
        let v = json!({
            "dataset": report.dataset,
            "users": s.test_cases,
            "stats": {
                "users": s.users, "places": s.places, "checkins": s.checkins, "travellers": s.travellers,
                "trips": s.trips, "regions": s.regions, "test_cases": s.test_cases, "revisits": s.revisits,
                "validation_cases": s.validation_cases, "train_checkins": s.train_checkins,
                "mean_candidates": s.mean_candidates, "mean_targets": s.mean_targets,
            },
            "models": models,
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
    println!("{:<14} {:>17} {:>17} {:>17} {:>17}  seeds", "model", "Recall@10", "Recall@20", "NDCG@10", "MAP");
    let cell = |e: Estimate| format!("{:.4} ± {:.4}", e.mean, e.ci95);
    for m in &report.models {
        let chosen = if m.chosen.is_empty() { String::new() } else { format!("  ({})", m.chosen) };
        println!(
            "{:<14} {:>17} {:>17} {:>17} {:>17}  {}{chosen}",
            m.name,
            cell(m.summary.recall10),
            cell(m.summary.recall20),
            cell(m.summary.ndcg10),
            cell(m.summary.map),
            m.seeds
        );
    }
    println!("(± is the 95 % interval over test trips; training took {:.1} s)", report.train_seconds);
    let c = &report.comparison;
    println!(
        "intention − {} on Recall@10, trip by trip: {:+.4} ± {:.4} (paired 95 % interval)",
        c.baseline, c.recall10_difference.mean, c.recall10_difference.ci95
    );
    Ok(())
}
