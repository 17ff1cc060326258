//! `tripsmith design` (lane additions under a budget, by GA or exhaustive search, exact
//! equilibrium fitness) and `tripsmith design-candidates` (the rule behind the shipped
//! candidate files).

use crate::progress::Bar;
use serde_json::json;
use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tripsmith_model::Progress;
use tripsmith_netdesign::candidates::{busiest_links, read_candidates, write_candidates};
use tripsmith_netdesign::design::{Design, ExactFitness};
use tripsmith_netdesign::ga::{exhaustive, run_ga, GaSettings, MAX_EXHAUSTIVE};
use tripsmith_traffic::assign::{assign, Algorithm, StopRule};
use tripsmith_traffic::network::{CostFactors, Network};
use tripsmith_traffic::tntp::find_files;

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
    if args.exhaustive && candidates.len() > MAX_EXHAUSTIVE {
        return Err(format!(
            "--exhaustive takes at most {MAX_EXHAUSTIVE} candidates, the file has {}",
            candidates.len()
        )
        .into());
    }
    let design = Design { net, candidates, budget_share: args.budget };
    let start = Instant::now();
    let mut exact = ExactFitness::new(args.gap);
    let baseline = exact.tstt(&design, &vec![false; design.candidates.len()], None)?;
    let total = if args.exhaustive { 1u64 << design.candidates.len() } else { args.ga.generations as u64 };
    let best = if args.exhaustive {
        let mut done = 0u64;
        let mut fitness = |c: &[bool], p: Option<&[bool]>| {
            done += 1;
            bar.update("every choice", done, total);
            exact.tstt(&design, c, p)
        };
        exhaustive(&design, &mut fitness)?.ok_or("no affordable choice")?
    } else {
        let mut fitness = |c: &[bool], p: Option<&[bool]>| exact.tstt(&design, c, p);
        let (best, _) = run_ga(&design, args.ga, &mut fitness, &mut |g, _| bar.update("generations", g as u64, total))?;
        best
    };
    bar.finish();
    let seconds = start.elapsed().as_secs_f64();
    let chosen: Vec<[usize; 2]> =
        design.candidates.iter().zip(&best.chosen).filter(|(_, on)| **on).map(|(c, _)| [c.from, c.to]).collect();
    if args.json {
        println!(
            "{}",
            json!({
                "fitness": "exact",
                "search": if args.exhaustive { "exhaustive" } else { "ga" },
                "budget": args.budget,
                "budget_cost": design.budget(),
                "cost": design.cost(&best.chosen),
                "baseline_tstt": baseline,
                "best_tstt": best.tstt,
                "best_tstt_exact": best.tstt,
                "chosen": chosen,
                "evaluations": exact.evaluations,
                "seconds": seconds,
            })
        );
        return Ok(());
    }
    println!(
        "{} candidates, budget {:.0} % of their lane cost ({:.1})",
        design.candidates.len(),
        args.budget * 100.0,
        design.budget()
    );
    println!("baseline TSTT {baseline:.3}");
    println!(
        "best TSTT {:.3} ({:.3} % less), lanes on {} links (cost {:.1}): {}",
        best.tstt,
        100.0 * (baseline - best.tstt) / baseline,
        chosen.len(),
        design.cost(&best.chosen),
        chosen.iter().map(|[f, t]| format!("{f}→{t}")).collect::<Vec<_>>().join(", ")
    );
    println!("{} equilibria solved in {seconds:.2} s", exact.evaluations);
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
