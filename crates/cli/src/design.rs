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
use tripsmith_netdesign::surrogate::{generate, Surrogate, SurrogateSettings};
use tripsmith_traffic::assign::{assign, Algorithm, StopRule};
use tripsmith_traffic::network::{CostFactors, Network};
use tripsmith_traffic::tntp::find_files;

/// Surrogate settings of `design`.
pub struct SurrogateArgs {
    /// Exact equilibria generated (80 % to train, 20 % held out).
    pub samples: usize,
    /// Training epochs.
    pub epochs: usize,
    /// Best predicted choices solved exactly.
    pub top_k: usize,
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

/// Runs the design search and prints the result.
pub fn run(args: &DesignArgs, bar: &Bar) -> Result<(), Box<dyn Error>> {
    if !(args.budget.is_finite() && args.budget > 0.0 && args.budget <= 1.0) {
        return Err(format!("--budget {}: give a share of the candidates' lane cost in (0, 1]", args.budget).into());
    }
    if !(args.gap.is_finite() && args.gap > 0.0 && args.gap < 1e-2) {
        return Err(format!("--gap {}: give a relative gap below 0.01", args.gap).into());
    }
    let net = load(&args.dir)?;
    let candidates = read_candidates(&args.candidates, &net)?;
    let design = Design { net, candidates, budget_share: args.budget };
    let mut extra = serde_json::Map::new();
    let r = match &args.surrogate {
        None => {
            let how = if args.exhaustive { Search::Exhaustive } else { Search::Ga(args.ga) };
            search(&design, how, args.gap, &mut |done, total| bar.update("searching", done, total), &|| false)?
        }
        Some(s) => {
            let started = std::time::Instant::now();
            let samples = generate(&design, s.samples, args.ga.seed, 1e-5, &mut |done, total| {
                bar.update("exact equilibria to learn from", done as u64, total as u64)
            })?;
            let split = samples.len() * 4 / 5;
            let settings = SurrogateSettings { epochs: s.epochs, seed: args.ga.seed, ..Default::default() };
            let mut model = Surrogate::new(&design, settings)?;
            model.train(&design, &samples[..split], settings, &mut |epoch, _| {
                bar.update("training the surrogate", epoch as u64, s.epochs as u64)
            })?;
            let accuracy = model.accuracy(&design, &samples[split..])?;
            extra.insert("train_seconds".into(), started.elapsed().as_secs_f64().into());
            extra.insert("surrogate".into(), serde_json::json!({"samples": samples.len(), "held_out": samples.len() - split, "epochs": s.epochs, "accuracy": accuracy}));
            search_with_surrogate(&design, args.ga, &model, s.top_k, args.gap, &mut |done, total| {
                bar.update("searching", done, total)
            })?
        }
    };
    bar.finish();
    if args.json {
        let mut v = serde_json::to_value(&r)?;
        if let Some(obj) = v.as_object_mut() {
            obj.extend(extra);
        }
        println!("{v}");
        return Ok(());
    }
    if let Some(t) = extra.get("train_seconds") {
        println!("surrogate trained in {:.1} s: {}", t.as_f64().unwrap_or(0.0), extra["surrogate"]["accuracy"]);
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
