//! `tripsmith design` (lane additions under a budget, by GA or exhaustive search, exact
//! equilibrium fitness) and `tripsmith design-candidates` (the rule behind the shipped
//! candidate files).

use crate::progress::Bar;
use std::error::Error;
use std::path::{Path, PathBuf};
use tripsmith_model::Progress;
use tripsmith_netdesign::candidates::{busiest_links, read_candidates, write_candidates};
use tripsmith_netdesign::design::Design;
use tripsmith_netdesign::ga::GaSettings;
use tripsmith_netdesign::search::{search, search_with_surrogate, Search};
use tripsmith_netdesign::surrogate::{fit, Surrogate, Training, TrainingReport};
use tripsmith_traffic::assign::{assign, Algorithm, StopRule};
use tripsmith_traffic::network::{CostFactors, Network};
use tripsmith_traffic::tntp::find_files;

/// Where `design --fitness surrogate` gets its model.
pub enum ModelSource {
    /// A file `design train` saved.
    File(PathBuf),
    /// Trained first on this many exact equilibria (80 % to train, 20 % held out) for this many epochs.
    Train {
        /// Exact equilibria generated.
        samples: usize,
        /// Training epochs.
        epochs: usize,
    },
}

/// Surrogate settings of `design`.
pub struct SurrogateArgs {
    /// The model.
    pub source: ModelSource,
    /// Best predicted choices solved exactly.
    pub top_k: usize,
}

/// What `design train` was asked.
pub struct TrainArgs {
    /// The network folder.
    pub dir: PathBuf,
    /// The candidate file.
    pub candidates: PathBuf,
    /// Budget share the training choices are drawn within.
    pub budget: f64,
    /// Exact equilibria generated.
    pub samples: usize,
    /// Training epochs.
    pub epochs: usize,
    /// Seed of the samples and weights.
    pub seed: u64,
    /// Where the model goes.
    pub out: PathBuf,
    /// Print JSON.
    pub json: bool,
}

/// What `design` was asked.
pub struct DesignArgs {
    /// The network folder.
    pub dir: PathBuf,
    /// The candidate file.
    pub candidates: PathBuf,
    /// Budget share.
    pub budget: f64,
    /// GA settings.
    pub ga: GaSettings,
    /// Equilibrium gap of each fitness evaluation.
    pub gap: f64,
    /// Enumerate every choice instead of the GA.
    pub exhaustive: bool,
    /// Use a trained surrogate as the GA's fitness.
    pub surrogate: Option<SurrogateArgs>,
    /// Print JSON.
    pub json: bool,
}

fn load(dir: &Path) -> Result<Network, Box<dyn Error>> {
    let (net, trips, _) = find_files(dir)?;
    Ok(Network::load(&net, &trips, CostFactors::default())?)
}

/// The design problem of a network folder, candidate file and budget share.
fn problem(dir: &Path, candidates: &Path, budget: f64) -> Result<Design, Box<dyn Error>> {
    if !(budget.is_finite() && budget > 0.0 && budget <= 1.0) {
        return Err(format!("--budget {budget}: give a share of the candidates' lane cost in (0, 1]").into());
    }
    let net = load(dir)?;
    let candidates = read_candidates(candidates, &net)?;
    Ok(Design { net, candidates, budget_share: budget })
}

/// Trains a surrogate with progress on the bar.
fn train_model(
    design: &Design,
    samples: usize,
    epochs: usize,
    seed: u64,
    bar: &Bar,
) -> Result<(Surrogate, TrainingReport), Box<dyn Error>> {
    let plan = Training { samples, epochs, seed };
    Ok(fit(design, plan, &mut |stage, done, total| bar.update(stage, done, total), &|| false)?)
}

/// Trains a surrogate, saves it, and prints its held-out accuracy.
pub fn train(args: &TrainArgs, bar: &Bar) -> Result<(), Box<dyn Error>> {
    let design = problem(&args.dir, &args.candidates, args.budget)?;
    let (model, report) = train_model(&design, args.samples, args.epochs, args.seed, bar)?;
    model.save(&design, &args.out)?;
    bar.finish();
    if args.json {
        let mut v = serde_json::to_value(&report)?;
        if let Some(object) = v.as_object_mut() {
            object.insert("model".into(), args.out.display().to_string().into());
        }
        println!("{v}");
    } else {
        print_training(&report);
        println!("saved to {}", args.out.display());
    }
    Ok(())
}

fn print_training(r: &TrainingReport) {
    let a = &r.accuracy;
    println!(
        "surrogate trained in {:.1} s on {} equilibria ({} held out): held-out TSTT R² {:.3}, relative MAE {:.2} %; link flow R² {:.3}, MAE {:.1}",
        r.train_seconds,
        r.samples - r.held_out,
        r.held_out,
        a.tstt_r2,
        100.0 * a.tstt_relative_mae,
        a.flow_r2,
        a.flow_mae,
    );
}

/// Runs the design search and prints the result.
pub fn run(args: &DesignArgs, bar: &Bar) -> Result<(), Box<dyn Error>> {
    if !(args.gap.is_finite() && args.gap > 0.0 && args.gap < 1e-2) {
        return Err(format!("--gap {}: give a relative gap below 0.01", args.gap).into());
    }
    let design = problem(&args.dir, &args.candidates, args.budget)?;
    let mut training = None;
    let mut r = match &args.surrogate {
        None => {
            let how = if args.exhaustive { Search::Exhaustive } else { Search::Ga(args.ga) };
            search(&design, how, args.gap, &mut |done, total| bar.update("searching", done, total), &|| false)?
        }
        Some(s) => {
            let model = match &s.source {
                ModelSource::File(file) => Surrogate::load(&design, file)?,
                ModelSource::Train { samples, epochs } => {
                    let (model, report) = train_model(&design, *samples, *epochs, args.ga.seed, bar)?;
                    training = Some(report);
                    model
                }
            };
            search_with_surrogate(
                &design,
                args.ga,
                &model,
                s.top_k,
                args.gap,
                &mut |done, total| bar.update("searching", done, total),
                &|| false,
            )?
        }
    };
    bar.finish();
    if let Some(report) = &training {
        r.train_seconds = Some(report.train_seconds);
        r.surrogate = Some(report.clone());
    }
    if args.json {
        println!("{}", serde_json::to_value(&r)?);
        return Ok(());
    }
    if let Some(report) = &training {
        print_training(report);
    }
    println!(
        "{} candidates, budget {:.0} % of their lane cost ({:.1})",
        design.candidates.len(),
        args.budget * 100.0,
        r.budget_cost
    );
    println!("baseline TSTT {:.3}", r.baseline_tstt);
    println!(
        "best TSTT {:.3} ({:.3} % less), lanes on {} links (cost {:.1}): {}",
        r.best_tstt,
        100.0 * (r.baseline_tstt - r.best_tstt) / r.baseline_tstt,
        r.chosen.len(),
        r.cost,
        r.chosen.iter().map(|[f, t]| format!("{f}→{t}")).collect::<Vec<_>>().join(", ")
    );
    if r.fitness == "surrogate" {
        println!("best TSTT at its exact equilibrium {:.3} (predicted {:.3})", r.best_tstt_exact, r.best_tstt);
        println!("{} choices predicted in {:.2} s", r.evaluations, r.seconds);
    } else {
        println!("{} equilibria solved in {:.2} s", r.evaluations, r.seconds);
    }
    Ok(())
}

/// Prints the candidate file of the `count` busiest links at the base equilibrium.
pub fn candidates(dir: &Path, count: usize) -> Result<(), Box<dyn Error>> {
    let net = load(dir)?;
    let stop = StopRule { gap: 1e-6, max_iterations: 100_000, deadline: None };
    let base = assign(&net, Algorithm::Gp, stop, None, &mut |_| {})?;
    let chosen = busiest_links(&net, &base.flows, count);
    let comment = format!(
        "Candidate links of {}: the {count} links with the highest volume/capacity ratio at the base\n\
         user equilibrium (gradient projection, relative gap 1e-6), free-flow time > 0, ties to the\n\
         lower link index. Made by: tripsmith design-candidates {} --count {count}",
        dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        dir.display()
    );
    print!("{}", write_candidates(&chosen, &comment));
    Ok(())
}
