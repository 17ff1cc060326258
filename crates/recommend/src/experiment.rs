//! The evaluation as `tripsmith recommend eval` runs it: travellers and their held-out last
//! trips, settings chosen on the trip before, and every model's metrics with intervals.

use crate::baselines::{popularity, visitor_popularity, Anchor, BprMf, BprSettings, Counting, DistanceAware, Top};
use crate::checkins::CheckIns;
use crate::eval::{average_runs, evaluate, Ranker};
use crate::intention::{IntentionModel, IntentionSettings, TrainingData};
use crate::metrics::{estimate, summarise, CaseMetrics, Estimate, Summary};
use crate::regions::Regions;
use crate::split::{split, Case, Holdout, Split};
use crate::trips::{homes, travellers, Thresholds};
use std::time::Instant;
use tripsmith_model::Progress;

/// Settings of an evaluation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Homes and trips.
    pub thresholds: Thresholds,
    /// Radius of a region, in km.
    pub region_km: f64,
    /// Seeds of the randomised models (each runs once per seed; metrics average over seeds).
    pub seeds: u64,
    /// BPR-MF's settings (its seed is replaced by each seed in turn).
    pub bpr: BprSettings,
    /// The intention-aware model's settings (likewise).
    pub intention: IntentionSettings,
}

impl Default for Settings {
    /// Default thresholds, regions of 50 km, 3 seeds, default BPR-MF.
    fn default() -> Self {
        Settings {
            thresholds: Thresholds::default(),
            region_km: 50.0,
            seeds: 3,
            bpr: BprSettings::default(),
            intention: IntentionSettings::default(),
        }
    }
}

/// The data set as the evaluation sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    /// Users with any check-in.
    pub users: usize,
    /// Places.
    pub places: usize,
    /// Check-ins.
    pub checkins: usize,
    /// Users kept as travellers (enough check-ins at home and trips).
    pub travellers: usize,
    /// Their trips.
    pub trips: usize,
    /// Regions the places fall into.
    pub regions: usize,
    /// Held-out last trips to a region new to the user: the test cases.
    pub test_cases: usize,
    /// Last trips dropped because the user had been to the destination before.
    pub revisits: usize,
    /// Validation cases (the trip before the last).
    pub validation_cases: usize,
    /// Check-ins a model trains on for the test.
    pub train_checkins: usize,
    /// Mean number of candidate places per test case (its destination's places).
    pub mean_candidates: f64,
    /// Mean number of places visited per test case.
    pub mean_targets: f64,
    /// Share of the test trips' visited places that no visitor (a user living over `away_km`
    /// from it) checked in at in the training data: popularity among visitors ranks them
    /// last, so only a personal signal can find them.
    pub targets_unvisited: f64,
    /// Share of the test trips' visited places that are among their destination's three
    /// places most visited by visitors (fewer than three others have more distinct visitors).
    pub targets_in_top3: f64,
}

/// One model's result.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelResult {
    /// Its name.
    pub name: String,
    /// Its metrics over the test cases (averaged over seeds case by case when randomised).
    pub summary: Summary,
    /// Seeds it ran with (1 for deterministic models).
    pub seeds: u64,
    /// What was chosen on the validation split, in words (empty when nothing).
    pub chosen: String,
    /// Each test case's metrics (averaged over seeds), in the split's order.
    pub cases: Vec<CaseMetrics>,
}

/// The intention-aware model against the best baseline on the same test trips.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The baseline with the highest mean Recall@10.
    pub baseline: String,
    /// The intention model's Recall@10 minus the baseline's, trip by trip: its mean and
    /// 95 % interval (paired).
    pub recall10_difference: Estimate,
}

/// An evaluation's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The data set's name.
    pub dataset: String,
    /// Its statistics under the thresholds.
    pub stats: Stats,
    /// Each model's result.
    pub models: Vec<ModelResult>,
    /// Seconds spent training models.
    pub train_seconds: f64,
    /// The intention-aware model against the best baseline.
    pub comparison: Comparison,
}

/// Distance penalties per km tried for distance-aware popularity on the validation split.
const PER_KM: [f64; 6] = [0.0, 0.01, 0.03, 0.1, 0.3, 1.0];

/// The regions of `data`'s places: `settings.region_km` around the most visited first.
pub fn regions(data: &CheckIns, settings: &Settings) -> Regions {
    Regions::cluster(&data.pois, &popularity(&data.events, data.pois.len()), settings.region_km)
}

/// Runs the evaluation on `data` (an error only when the tensor library fails).
pub fn run(data: &CheckIns, settings: &Settings, progress: &dyn Progress) -> candle_core::Result<Report> {
    let home = homes(data, &settings.thresholds);
    let people = travellers(data, &home, &settings.thresholds);
    let regions = regions(data, settings);
    let test = split(data, &people, &regions, Holdout::Test);
    let validation = split(data, &people, &regions, Holdout::Validation);
    let mean =
        |f: &dyn Fn(&Case) -> usize| test.cases.iter().map(f).sum::<usize>() as f64 / test.cases.len().max(1) as f64;
    let visited_by =
        visitor_popularity(&test.train, &data.pois, &home, settings.thresholds.away_km, Counting::Visitors);
    let (targets_unvisited, targets_in_top3) = target_shares(&test.cases, &regions, &visited_by);
    let stats = Stats {
        users: data.by_user().iter().filter(|u| !u.is_empty()).count(),
        places: data.pois.len(),
        checkins: data.events.len(),
        travellers: people.len(),
        trips: people.iter().map(|t| t.trips.len()).sum(),
        regions: regions.members.len(),
        test_cases: test.cases.len(),
        revisits: test.revisits,
        validation_cases: validation.cases.len(),
        train_checkins: test.train.len(),
        mean_candidates: mean(&|c| regions.members[c.region].len()),
        mean_targets: mean(&|c| c.targets.len()),
        targets_unvisited,
        targets_in_top3,
    };
    let (models, train_seconds, comparison) = run_models(
        &Evaluated { data, homes: &home, regions: &regions, test: &test, validation: &validation },
        settings,
        Vec::new(),
        progress,
    )?;
    Ok(Report { dataset: data.name.clone(), stats, models, train_seconds, comparison })
}

/// What the models are evaluated on: the data, each user's home, the regions, and the test and
/// validation splits.
#[derive(Clone, Copy)]
pub struct Evaluated<'a> {
    /// The data set.
    pub data: &'a CheckIns,
    /// Each user's home.
    pub homes: &'a [Option<tripsmith_model::LatLon>],
    /// The regions places fall into (a case's destination is one).
    pub regions: &'a Regions,
    /// Held-out test cases and what models train on for them.
    pub test: &'a Split,
    /// Held-out validation cases (settings are chosen on them) and their training data.
    pub validation: &'a Split,
}

/// Runs every model on `input`'s test cases after the `extra` results already computed:
/// popularity (all check-ins; visitors' with the counting chosen on validation),
/// distance-aware popularity (anchor and penalty chosen on validation), BPR-MF and the
/// intention-aware model once per seed; returns the results, the training seconds and the
/// intention model against the best of the others.
pub fn run_models(
    input: &Evaluated,
    settings: &Settings,
    extra: Vec<ModelResult>,
    progress: &dyn Progress,
) -> candle_core::Result<(Vec<ModelResult>, f64, Comparison)> {
    let Evaluated { data, homes: home, regions, test, validation } = *input;
    let mut models = extra;
    let mut train_seconds = 0.0;
    let places = data.pois.len();
    // TOP, over all check-ins and over visitors' alone.
    let top = Top { name: "top".into(), counts: popularity(&test.train, places) };
    models.push(result(top.name(), &[evaluate(&test.cases, regions, &top)], 1, String::new()));
    // Visitors' popularity counting check-ins or distinct visitors, whichever does best on
    // validation by Recall@10.
    let recall10 = |s: &Split, r: &dyn Ranker| summarise(&evaluate(&s.cases, regions, r)).recall10.mean;
    let away = settings.thresholds.away_km;
    let visitors = |s: &Split, counting| visitor_popularity(&s.train, &data.pois, home, away, counting);
    let top_visitors = |counts| Top { name: "top-visitors".into(), counts };
    let counting = best_on_validation([Counting::CheckIns, Counting::Visitors], |c| {
        recall10(validation, &top_visitors(visitors(validation, c)))
    })
    .unwrap_or(Counting::CheckIns);
    let (validation_counts, test_counts) = (visitors(validation, counting), visitors(test, counting));
    let chosen = match counting {
        Counting::CheckIns => format!("check-ins by users living over {away} km away"),
        Counting::Visitors => format!("distinct visitors living over {away} km away"),
    };
    let top_visitors = top_visitors(test_counts.clone());
    models.push(result(top_visitors.name(), &[evaluate(&test.cases, regions, &top_visitors)], 1, chosen));
    progress.update("baselines", 1, 3);
    // Distance-aware popularity over the same counts: the anchor and penalty that do best on
    // validation by Recall@10.
    let near =
        |counts: &[usize], (anchor, per_km)| DistanceAware::new(counts.to_vec(), &data.pois, regions, anchor, per_km);
    let options = [Anchor::Centre, Anchor::Home].into_iter().flat_map(|a| PER_KM.map(|k| (a, k)));
    let (anchor, per_km) = best_on_validation(options, |o| recall10(validation, &near(&validation_counts, o)))
        .unwrap_or((Anchor::Centre, 0.0));
    let distance_aware = near(&test_counts, (anchor, per_km));
    let chosen = match anchor {
        Anchor::Centre => format!("{per_km} per km from the destination's centre"),
        Anchor::Home => format!("{per_km} per km from home"),
    };
    models.push(result(distance_aware.name(), &[evaluate(&test.cases, regions, &distance_aware)], 1, chosen));
    progress.update("baselines", 2, 3);
    // BPR-MF, once per seed; each run is also the base the intention model of its seed corrects.
    let bases: Vec<BprMf> = (1..=settings.seeds.max(1))
        .map(|seed| {
            let started = Instant::now();
            let model = BprMf::train(&test.train, data.users, places, BprSettings { seed, ..settings.bpr });
            train_seconds += started.elapsed().as_secs_f64();
            model
        })
        .collect();
    let runs: Vec<_> = bases.iter().map(|model| evaluate(&test.cases, regions, model)).collect();
    let described = format!("{} factors, {} epochs", settings.bpr.factors, settings.bpr.epochs);
    models.push(result("bpr-mf".into(), &runs, runs.len() as u64, described));
    progress.update("baselines", 3, 3);
    // The intention-aware model, once per seed.
    let mut runs = Vec::new();
    for (seed, base) in (1..).zip(&bases) {
        let input = TrainingData { data, train: &test.train, homes: home, regions, away_km: away, base: Some(base) };
        let started = Instant::now();
        let model =
            IntentionModel::train(&input, &IntentionSettings { seed, ..settings.intention }, progress, &|| false)?;
        train_seconds += started.elapsed().as_secs_f64();
        runs.push(evaluate(&test.cases, regions, &model));
    }
    let s = &settings.intention;
    let described = format!("{} dimensions, {} intentions, {} epochs", s.dim, s.intentions, s.epochs);
    let baseline = models
        .iter()
        .max_by(|a, b| a.summary.recall10.mean.total_cmp(&b.summary.recall10.mean))
        .map(|m| (m.name.clone(), m.cases.clone()))
        .unwrap_or_default();
    let intention = result("intention".into(), &runs, runs.len() as u64, described);
    let differences: Vec<f64> = intention.cases.iter().zip(&baseline.1).map(|(a, b)| a.recall10 - b.recall10).collect();
    let comparison = Comparison { baseline: baseline.0, recall10_difference: estimate(&differences) };
    models.push(intention);
    Ok((models, train_seconds, comparison))
}

/// Over every visited place of `cases`: the share with no visitor in `visitors` (distinct
/// visitors per place), and the share among its destination's three most visited places.
pub fn target_shares(cases: &[Case], regions: &Regions, visitors: &[usize]) -> (f64, f64) {
    let (mut targets, mut unvisited, mut top3) = (0, 0, 0);
    for case in cases {
        let candidates = &regions.members[case.region];
        for &t in &case.targets {
            targets += 1;
            unvisited += usize::from(visitors[t] == 0);
            top3 += usize::from(candidates.iter().filter(|&&p| visitors[p] > visitors[t]).count() < 3);
        }
    }
    let share = |n: usize| n as f64 / targets.max(1) as f64;
    (share(unvisited), share(top3))
}

/// The option with the highest validation score `recall` (the first of equals).
fn best_on_validation<T: Copy>(options: impl IntoIterator<Item = T>, recall: impl Fn(T) -> f64) -> Option<T> {
    options
        .into_iter()
        .map(|o| (o, recall(o)))
        .fold(None, |best: Option<(T, f64)>, (o, r)| match best {
            Some((_, b)) if b >= r => best,
            _ => Some((o, r)),
        })
        .map(|(o, _)| o)
}

/// A model's result from its runs' case metrics.
pub(crate) fn result(name: String, runs: &[Vec<CaseMetrics>], seeds: u64, chosen: String) -> ModelResult {
    let cases = average_runs(runs);
    ModelResult { name, summary: summarise(&cases), seeds, chosen, cases }
}

/// The intention-aware model trained on every check-in of `data` (nothing held out: the
/// model to recommend with), on a BPR-MF base trained first with `settings.bpr` and the
/// intention model's seed, with the regions it learned over.
pub fn train_on_everything(
    data: &CheckIns,
    settings: &Settings,
    progress: &dyn Progress,
    stop: &dyn Fn() -> bool,
) -> candle_core::Result<(IntentionModel, Regions)> {
    let home = homes(data, &settings.thresholds);
    let regions = regions(data, settings);
    if stop() {
        return Err(candle_core::Error::Msg(crate::intention::STOPPED.into()));
    }
    progress.update("base model", 0, 1);
    let base = BprMf::train(
        &data.events,
        data.users,
        data.pois.len(),
        BprSettings { seed: settings.intention.seed, ..settings.bpr },
    );
    progress.update("base model", 1, 1);
    let input = TrainingData {
        data,
        train: &data.events,
        homes: &home,
        regions: &regions,
        away_km: settings.thresholds.away_km,
        base: Some(&base),
    };
    Ok((IntentionModel::train(&input, &settings.intention, progress, stop)?, regions))
}
