//! Network design on Sioux Falls with the shipped candidate file: the GA finds the exhaustive
//! optimum, every choice it makes is affordable, the same seed gives the same answer, and the
//! candidate reader names bad lines.

use std::path::PathBuf;
use tripsmith_netdesign::candidates::{read_candidates, CandidateError};
use tripsmith_netdesign::design::{Design, ExactFitness};
use tripsmith_netdesign::ga::{exhaustive, one_by_one, run_ga, GaSettings};
use tripsmith_traffic::network::{CostFactors, Network};
use tripsmith_traffic::tntp::find_files;

fn sioux_falls() -> Network {
    let dir =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
            .join("../../../shared/data/tntp/SiouxFalls");
    let (net, trips, _) = find_files(&dir).unwrap();
    Network::load(&net, &trips, CostFactors::default()).unwrap()
}

fn design(count: usize, budget_share: f64) -> Design {
    let net = sioux_falls();
    let file =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
            .join("candidates/SiouxFalls.csv");
    let mut candidates = read_candidates(&file, &net).unwrap();
    assert_eq!(candidates.len(), 10);
    candidates.truncate(count);
    Design { net, candidates, budget_share }
}

#[test]
fn the_ga_finds_the_exhaustive_optimum_within_the_budget() {
    let d = design(6, 0.5);
    let mut exact = ExactFitness::new(1e-7);
    let baseline = exact.tstt(&d, &[false; 6], None).unwrap();
    let best = exhaustive(&d, &mut |c: &[bool], p: Option<&[bool]>| exact.tstt(&d, c, p)).unwrap().unwrap();
    assert!(best.tstt < baseline);
    assert!(d.affordable(&best.chosen));
    let mut seen = Vec::new();
    let mut fitness = |c: &[bool], p: Option<&[bool]>| {
        seen.push(c.to_vec());
        exact.tstt(&d, c, p)
    };
    let settings = GaSettings { population: 12, generations: 15, ..Default::default() };
    let (found, history) = run_ga(&d, settings, &mut one_by_one(&mut fitness), &mut |_, _| {}).unwrap();
    assert!(seen.iter().all(|c| d.affordable(c)), "every individual is within the budget");
    assert_eq!(found.chosen, best.chosen, "GA {found:?} vs exhaustive {best:?}");
    assert!(history.windows(2).all(|w| w[1].tstt <= w[0].tstt), "elitism keeps the best");
    // Adding lanes never makes this network worse here, and a bigger budget helps more.
    let bigger = design(6, 1.0);
    let mut exact = ExactFitness::new(1e-7);
    let all = exhaustive(&bigger, &mut |c: &[bool], p: Option<&[bool]>| exact.tstt(&bigger, c, p)).unwrap().unwrap();
    assert!(all.tstt <= best.tstt);
}

#[test]
fn the_same_seed_gives_the_same_design() {
    let d = design(10, 0.25);
    let settings = GaSettings { population: 8, generations: 4, seed: 7, ..Default::default() };
    let run = || {
        let mut exact = ExactFitness::new(1e-6);
        let mut fitness = one_by_one(|c: &[bool], p: Option<&[bool]>| exact.tstt(&d, c, p));
        let found = run_ga(&d, settings, &mut fitness, &mut |_, _| {}).unwrap();
        found.0
    };
    assert_eq!(run(), run());
}

#[test]
fn bad_candidate_files_name_the_line() {
    let net = sioux_falls();
    let dir = tempfile::tempdir().unwrap();
    for (text, line, part) in [
        ("from,to\n1,2\n1,99\n", 3, "no link 1 → 99"),
        ("from,to\n1,2\n1,2\n", 3, "twice"),
        ("# c\n1;2\n", 2, "from,to"),
        ("1,x\n", 1, "node number"),
    ] {
        let path = dir.path().join("c.csv");
        std::fs::write(&path, text).unwrap();
        match read_candidates(&path, &net) {
            Err(CandidateError::Line { line: l, reason, .. }) => {
                assert_eq!(l, line, "{text}");
                assert!(reason.contains(part), "{reason}");
            }
            other => panic!("{text}: {other:?}"),
        }
    }
    let path = dir.path().join("empty.csv");
    std::fs::write(&path, "# nothing\nfrom,to\n").unwrap();
    assert!(read_candidates(&path, &net).unwrap_err().to_string().contains("no candidate"));
}
