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
use tripsmith_netdesign::search::{search, Search};
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
    let design = Design { net, candidates, budget_share: args.budget };
    let how = if args.exhaustive { Search::Exhaustive } else { Search::Ga(args.ga) };
    let r = search(&design, how, args.gap, &mut |done, total| bar.update("searching", done, total), &|| false)?;
    bar.finish();
    if args.json {
        println!("{}", serde_json::to_string(&r)?);
        return Ok(());
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
    println!("{} equilibria solved in {:.2} s", r.evaluations, r.seconds);
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
