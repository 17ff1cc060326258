//! Bad input gets a one-line error naming the file and the problem, never a panic.

use proptest::prelude::*;
use std::path::PathBuf;
use tripsmith_model::NoProgress;
use tripsmith_osm::{demo::demo_town_pbf, read_pbf_bytes, read_pbf_file, OsmProblem};

fn message(result: Result<tripsmith_osm::Extract, tripsmith_osm::OsmError>) -> (String, OsmProblem) {
    let err = result.expect_err("bad input was accepted");
    let text = err.to_string();
    assert!(!text.contains('\n'), "multi-line error: {text}");
    (text, err.problem)
}

#[test]
fn missing_empty_text_and_truncated_files() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere.osm.pbf");
    let (text, problem) = message(read_pbf_file(&missing, &NoProgress));
    assert!(text.starts_with(&missing.display().to_string()) && matches!(problem, OsmProblem::Io(_)), "{text}");

    let empty = dir.path().join("empty.osm.pbf");
    std::fs::write(&empty, b"").unwrap();
    let (text, problem) = message(read_pbf_file(&empty, &NoProgress));
    assert!(matches!(problem, OsmProblem::Empty) && text.contains("empty.osm.pbf"), "{text}");

    let text_file = dir.path().join("notes.osm.pbf");
    std::fs::write(&text_file, b"<?xml version='1.0'?><osm></osm>\n").unwrap();
    let (text, problem) = message(read_pbf_file(&text_file, &NoProgress));
    assert!(matches!(problem, OsmProblem::NotPbf(_)), "{text}");

    let pbf = demo_town_pbf();
    let truncated = dir.path().join("truncated.osm.pbf");
    std::fs::write(&truncated, &pbf[..pbf.len() * 2 / 3]).unwrap();
    let (text, problem) = message(read_pbf_file(&truncated, &NoProgress));
    assert!(matches!(problem, OsmProblem::Corrupt { .. }), "{text}");
    assert!(text.contains("truncated.osm.pbf"), "{text}");

    // A directory is not a file.
    let (text, _) = message(read_pbf_file(&PathBuf::from(dir.path()), &NoProgress));
    assert!(text.contains(&dir.path().display().to_string()), "{text}");
}

#[test]
fn every_truncation_of_a_real_file_is_an_error() {
    let pbf = demo_town_pbf();
    for cut in (1..pbf.len()).step_by(37) {
        let r = read_pbf_bytes("cut", &pbf[..cut], &NoProgress);
        assert!(r.is_err(), "accepted a file cut at {cut} of {} bytes", pbf.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = read_pbf_bytes("random", &bytes, &NoProgress);
    }

    #[test]
    fn corrupted_real_files_never_panic(at in 0usize..4000, value in any::<u8>(), cut in 0usize..200) {
        let mut pbf = demo_town_pbf();
        let i = at % pbf.len();
        pbf[i] = value;
        pbf.truncate(pbf.len() - cut.min(pbf.len()));
        let _ = read_pbf_bytes("corrupted", &pbf, &NoProgress);
    }
}
