//! The GNN surrogate on Sioux Falls: trained on exact equilibria, it predicts held-out TSTT
//! closely; a saved model loads with the same predictions, for its own network only.

use std::path::PathBuf;
use tripsmith_netdesign::candidates::read_candidates;
use tripsmith_netdesign::design::Design;
use tripsmith_netdesign::surrogate::{generate, Surrogate, SurrogateSettings};
use tripsmith_traffic::network::{CostFactors, Network};
use tripsmith_traffic::tntp::find_files;

fn design() -> Design {
    let dir =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
            .join("../../../shared/data/tntp/SiouxFalls");
    let (net, trips, _) = find_files(&dir).unwrap();
    let net = Network::load(&net, &trips, CostFactors::default()).unwrap();
    let file =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
            .join("candidates/SiouxFalls.csv");
    let candidates = read_candidates(&file, &net).unwrap();
    Design { net, candidates, budget_share: 0.5 }
}

#[test]
fn the_surrogate_learns_the_equilibrium_tstt() {
    let d = design();
    let samples = generate(&d, 120, 3, 1e-5, &mut |_, _| {}, &|| false).unwrap();
    let (train, test) = samples.split_at(100);
    let settings = SurrogateSettings { epochs: 150, ..Default::default() };
    let mut model = Surrogate::new(&d, settings).unwrap();
    let before = model.accuracy(&d, test).unwrap();
    let mut losses = Vec::new();
    model.train(&d, train, settings, &mut |_, loss| losses.push(loss), &|| false).unwrap();
    let after = model.accuracy(&d, test).unwrap();
    eprintln!("before {before:?} after {after:?} loss {} → {}", losses[0], losses[losses.len() - 1]);
    // The untrained model already starts from the base equilibrium's flows; training halves
    // its errors at least.
    assert!(losses[losses.len() - 1] < losses[0] / 2.0);
    assert!(after.flow_r2 > 0.95 && after.flow_r2 > before.flow_r2, "{after:?}");
    assert!(after.tstt_relative_mae < 0.05 && after.tstt_relative_mae < before.tstt_relative_mae / 2.0, "{after:?}");
}

#[test]
fn a_saved_model_loads_with_the_same_predictions_and_only_for_its_network() {
    let d = design();
    let samples = generate(&d, 12, 5, 1e-5, &mut |_, _| {}, &|| false).unwrap();
    let settings = SurrogateSettings { epochs: 5, ..Default::default() };
    let mut model = Surrogate::new(&d, settings).unwrap();
    model.train(&d, &samples, settings, &mut |_, _| {}, &|| false).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("model.safetensors");
    model.save(&d, &file).unwrap();
    let loaded = Surrogate::load(&d, &file).unwrap();
    let choices: Vec<Vec<bool>> = samples.iter().map(|s| s.chosen.clone()).collect();
    let before = model.tstt_batch(&d, &d.net.demand, &choices).unwrap();
    let after = loaded.tstt_batch(&d, &d.net.demand, &choices).unwrap();
    assert_eq!(before, after);
    assert_eq!(model.base_tstt(), loaded.base_tstt());
    // Another budget is the same network and candidates; other candidates are not.
    let mut fewer = d.clone();
    fewer.candidates.pop();
    let e = Surrogate::load(&fewer, &file).err().unwrap().to_string();
    assert!(e.contains("another candidate set"), "{e}");
    let mut more_demand = d.clone();
    more_demand.net.demand[1] += 1.0;
    let e = Surrogate::load(&more_demand, &file).err().unwrap().to_string();
    assert!(e.contains("another network or demand"), "{e}");
    // Truncated files and missing files are errors, not panics.
    let bytes = std::fs::read(&file).unwrap();
    for cut in [0, 8, bytes.len() / 2, bytes.len() - 1] {
        std::fs::write(&file, &bytes[..cut]).unwrap();
        assert!(Surrogate::load(&d, &file).is_err(), "cut at {cut}");
    }
    assert!(Surrogate::load(&d, &dir.path().join("missing")).is_err());
}

#[test]
fn generation_and_training_stop_when_asked() {
    let d = design();
    let e = generate(&d, 5, 1, 1e-5, &mut |_, _| {}, &|| true).err().unwrap();
    assert!(matches!(e, tripsmith_netdesign::surrogate::SurrogateError::Stopped));
}
