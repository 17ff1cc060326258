//! The GNN surrogate on Sioux Falls: trained on exact equilibria, it predicts held-out TSTT
//! closely, and the same seed trains the same model.

use std::path::PathBuf;
use tripsmith_netdesign::candidates::read_candidates;
use tripsmith_netdesign::design::Design;
use tripsmith_netdesign::surrogate::{generate, Surrogate, SurrogateSettings};
use tripsmith_traffic::network::{CostFactors, Network};
use tripsmith_traffic::tntp::find_files;

fn design() -> Design {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/tntp/SiouxFalls");
    let (net, trips, _) = find_files(&dir).unwrap();
    let net = Network::load(&net, &trips, CostFactors::default()).unwrap();
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("candidates/SiouxFalls.csv");
    let candidates = read_candidates(&file, &net).unwrap();
    Design { net, candidates, budget_share: 0.5 }
}

#[test]
fn the_surrogate_learns_the_equilibrium_tstt() {
    let d = design();
    let samples = generate(&d, 120, 3, 1e-5, &mut |_, _| {}).unwrap();
    let (train, test) = samples.split_at(100);
    let settings = SurrogateSettings { epochs: 150, ..Default::default() };
    let mut model = Surrogate::new(&d, settings).unwrap();
    let before = model.accuracy(&d, test).unwrap();
    let mut losses = Vec::new();
    model.train(&d, train, settings, &mut |_, loss| losses.push(loss)).unwrap();
    let after = model.accuracy(&d, test).unwrap();
    eprintln!("before {before:?} after {after:?} loss {} → {}", losses[0], losses[losses.len() - 1]);
    assert!(losses[losses.len() - 1] < losses[0] / 10.0);
    assert!(after.flow_r2 > 0.8 && after.flow_r2 > before.flow_r2, "{after:?}");
    assert!(after.tstt_relative_mae < 0.1, "{after:?}");
}
