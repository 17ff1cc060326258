//! `tripsmith assign`: user-equilibrium traffic assignment on a TNTP network folder.

use crate::progress::Bar;
use serde_json::json;
use std::error::Error;
use std::path::{Path, PathBuf};
use tripsmith_model::Progress;
use tripsmith_traffic::assign::{assign, progress_fraction, Algorithm, Assignment, StopRule};
use tripsmith_traffic::network::{CostFactors, Network};
use tripsmith_traffic::plot::convergence_svg;
use tripsmith_traffic::tntp::{find_files, read_flows};

/// What `assign` was asked.
pub struct AssignArgs {
    /// The network folder.
    pub dir: PathBuf,
    /// The algorithm.
    pub algorithm: Algorithm,
    /// Relative gap to reach.
    pub gap: f64,
    /// Most iterations.
    pub max_iterations: usize,
    /// Generalised-cost factors.
    pub factors: CostFactors,
    /// Where to write the convergence plot.
    pub plot: Option<PathBuf>,
    /// Include link flows in the JSON.
    pub flows: bool,
    /// Print JSON.
    pub json: bool,
}

/// Relative L1 distance and TSTT of the best-known flows, when the folder has them.
fn compare(flow_file: &Path, net: &Network, result: &Assignment) -> Result<serde_json::Value, Box<dyn Error>> {
    let rows = read_flows(flow_file)?;
    if rows.len() != net.links.len() || rows.iter().zip(&net.links).any(|(r, l)| (r.from, r.to) != (l.from, l.to)) {
        return Err(format!("{}: its links are not the net file's, in order", flow_file.display()).into());
    }
    let l1: f64 = rows.iter().zip(&result.flows).map(|(r, x)| (r.volume - x).abs()).sum();
    let total: f64 = rows.iter().map(|r| r.volume.abs()).sum();
    let tstt: f64 = rows.iter().enumerate().map(|(a, r)| r.volume * net.cost(a, r.volume)).sum();
    Ok(json!({"file": flow_file.display().to_string(), "relative_l1": l1 / total.max(f64::MIN_POSITIVE), "tstt": tstt}))
}

/// Runs the assignment and prints the result.
pub fn run(args: &AssignArgs, bar: &Bar) -> Result<(), Box<dyn Error>> {
    if !(args.gap.is_finite() && args.gap > 0.0 && args.gap < 1.0) {
        return Err(format!("--gap {}: give a relative gap between 0 and 1, e.g. 1e-6", args.gap).into());
    }
    let (net_file, trips_file, flow_file) = find_files(&args.dir)?;
    let net = Network::load(&net_file, &trips_file, args.factors)?;
    let mut first: Option<f64> = None;
    let mut progress = |step: &tripsmith_traffic::assign::Step| {
        let start = *first.get_or_insert(step.relative_gap.max(args.gap * 10.0));
        let done = progress_fraction(start, step.relative_gap, args.gap);
        bar.update("equilibrium", (done * 1000.0) as u64, 1000);
    };
    let stop = StopRule { gap: args.gap, max_iterations: args.max_iterations, deadline: None };
    let result = assign(&net, args.algorithm, stop, None, &mut progress)?;
    bar.finish();
    let best_known = flow_file.map(|f| compare(&f, &net, &result)).transpose()?;
    if let Some(path) = &args.plot {
        let title =
            format!("{} on {}", serde_json::to_value(args.algorithm)?.as_str().unwrap_or(""), args.dir.display());
        std::fs::write(path, convergence_svg(&result.history, &title))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if args.json {
        let mut v = json!({
            "algorithm": result.algorithm,
            "relative_gap": result.relative_gap,
            "iterations": result.iterations,
            "tstt": result.tstt,
            "beckmann": result.beckmann,
            "seconds": result.seconds,
        });
        if let Some(b) = best_known {
            v["best_known"] = b;
        }
        if args.flows {
            v["flows"] = json!(result
                .flows
                .iter()
                .zip(&net.links)
                .zip(&result.costs)
                .map(|((x, l), c)| json!({"from": l.from, "to": l.to, "flow": x, "cost": c}))
                .collect::<Vec<_>>());
        }
        println!("{v}");
        return Ok(());
    }
    println!(
        "{}: {} zones, {} nodes, {} links, demand {:.1}",
        args.dir.display(),
        net.zones,
        net.nodes,
        net.links.len(),
        net.total_demand()
    );
    println!(
        "{:?}: relative gap {:.3e} after {} iterations in {:.3} s",
        result.algorithm, result.relative_gap, result.iterations, result.seconds
    );
    println!("TSTT {:.6}, Beckmann objective {:.6}", result.tstt, result.beckmann);
    if let Some(b) = best_known {
        println!(
            "best-known flows: relative L1 distance {:.3e}, their TSTT {:.6}",
            b["relative_l1"].as_f64().unwrap_or(f64::NAN),
            b["tstt"].as_f64().unwrap_or(f64::NAN)
        );
    }
    if result.relative_gap > args.gap {
        println!("note: the gap target {:.1e} was not reached within {} iterations", args.gap, args.max_iterations);
    }
    Ok(())
}
