//! Malformed files give errors that name the line; arbitrary text never panics a parser.

use proptest::prelude::*;
use tripsmith_vrp::instance::Rounding;
use tripsmith_vrp::{solomon, solution, vroom, vrplib, FormatError};

const SMALL: &str = "NAME : tiny\nTYPE : CVRP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 10\n\
NODE_COORD_SECTION\n1 0 0\n2 3 4\n3 6 8\nDEMAND_SECTION\n1 0\n2 4\n3 5\nDEPOT_SECTION\n1\n-1\nEOF\n";

fn line_of(e: FormatError) -> usize {
    match e {
        FormatError::Line { line, .. } => line,
        other => panic!("expected a line error, got {other}"),
    }
}

#[test]
fn a_small_vrplib_file_reads_with_each_rounding() {
    let i = vrplib::parse(SMALL, Rounding::Nearest).unwrap();
    assert_eq!((i.nodes(), i.fleet.kinds()[0].capacity.clone(), i.demand.clone()), (3, vec![10], vec![0, 4, 5]));
    assert_eq!((i.d(0, 1), i.d(1, 2), i.d(0, 2)), (5.0, 5.0, 10.0));
    let explicit =
        "NAME : m\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EXPLICIT\nEDGE_WEIGHT_FORMAT : LOWER_ROW\nCAPACITY : 5\n\
EDGE_WEIGHT_SECTION\n7\n8 9\nDEMAND_SECTION\n1 0\n2 1\n3 1\nEOF\n";
    let m = vrplib::parse(explicit, Rounding::Nearest).unwrap();
    assert_eq!((m.d(1, 0), m.d(0, 1), m.d(2, 0), m.d(2, 1), m.d(1, 2)), (7.0, 7.0, 8.0, 9.0, 9.0));
}

#[test]
fn tsplib_files_are_one_vehicle_without_capacity_in_each_distance_type() {
    let tsp = |kind: &str, coords: &str| {
        format!("NAME : t\nTYPE : TSP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : {kind}\nNODE_COORD_SECTION\n{coords}EOF\n")
    };
    let ceil = vrplib::parse(&tsp("CEIL_2D", "1 0 0\n2 1 1\n3 3 4\n"), Rounding::Nearest).unwrap();
    assert_eq!((ceil.fleet.limit(), ceil.demand.clone()), (Some(1), vec![0, 0, 0]));
    assert_eq!((ceil.d(0, 1), ceil.d(0, 2)), (2.0, 5.0));
    // ATT: sqrt((dx² + dy²) / 10) rounded up when rounding went down.
    let att = vrplib::parse(&tsp("ATT", "1 0 0\n2 10 0\n3 0 30\n"), Rounding::Nearest).unwrap();
    assert_eq!((att.d(0, 1), att.d(0, 2)), (4.0, 10.0));
    // GEO: degrees.minutes; one degree of latitude on TSPLIB's sphere is 111 km (truncated + 1).
    let geo = vrplib::parse(&tsp("GEO", "1 10.00 20.00\n2 11.00 20.00\n3 10.30 20.00\n"), Rounding::Nearest).unwrap();
    assert_eq!((geo.d(0, 1), geo.d(0, 2)), (112.0, 56.0));
    let e = vrplib::parse(&SMALL.replace("TYPE : CVRP", "TYPE : HCP"), Rounding::Nearest).unwrap_err();
    assert_eq!(line_of(e), 2);
    let e = vrplib::parse(&tsp("MAN_3D", "1 0 0\n2 1 1\n3 3 4\n"), Rounding::Nearest).unwrap_err();
    assert!(e.to_string().contains("MAN_3D"), "{e}");
}

#[test]
fn malformed_files_name_the_line() {
    let bad = SMALL.replace("2 3 4", "2 3 x");
    assert_eq!(line_of(vrplib::parse(&bad, Rounding::Nearest).unwrap_err()), 8);
    let bad = SMALL.replace("3 6 8", "4 6 8");
    assert_eq!(line_of(vrplib::parse(&bad, Rounding::Nearest).unwrap_err()), 9);
    let bad = SMALL.replace("2 4", "2 -4");
    assert_eq!(line_of(vrplib::parse(&bad, Rounding::Nearest).unwrap_err()), 12);
    let bad = SMALL.replace("CAPACITY", "CAPACTY");
    assert_eq!(line_of(vrplib::parse(&bad, Rounding::Nearest).unwrap_err()), 5);
    let e = vrplib::parse(&SMALL.replace("3 5\n", ""), Rounding::Nearest).unwrap_err().to_string();
    assert!(e.contains("node 3 has no demand"), "{e}");
    let e = solution::parse("Route #1: 1 2\nRoute #2 3\n").unwrap_err();
    assert_eq!(line_of(e), 2);
    let solomon = "C1\nVEHICLE\nNUMBER CAPACITY\n 2 10\nCUSTOMER\nCUST NO. XCOORD.\n0 0 0 0 0 100 0\n1 1 1 5 0 50 x\n";
    assert_eq!(line_of(solomon::parse(solomon, Rounding::Exact).unwrap_err()), 8);
    let e = vrplib::read(std::path::Path::new("/nonexistent.vrp"), Rounding::Nearest).unwrap_err().to_string();
    assert!(e.contains("/nonexistent.vrp"), "{e}");
}

/// One second and one metre between any two places.
fn ones(places: usize) -> Result<vroom::RoadMatrices, String> {
    Ok(vroom::RoadMatrices { durations: vec![1.0; places * places], distances: vec![1.0; places * places] })
}

/// `example` with `insert` put in at byte `cut` (or the char boundary before it).
fn spliced(example: &str, cut: usize, insert: &str) -> String {
    let at = (0..=cut.min(example.len())).rev().find(|&i| example.is_char_boundary(i)).unwrap_or(0);
    format!("{}{}{}", &example[..at], insert, &example[at..])
}

proptest! {
    #[test]
    fn parsers_never_panic(text in "[ -~\\n\\t]{0,400}") {
        let _ = vrplib::parse(&text, Rounding::Nearest);
        let _ = solomon::parse(&text, Rounding::Exact);
        let _ = solution::parse(&text);
        let _ = vroom::parse(&text, &mut |points| ones(points.len()));
    }

    #[test]
    fn mutated_vroom_json_never_panics(which in 0usize..3, cut in 0usize..2000, insert in "[ -~]{0,12}") {
        let example = [
            include_str!("../../../vrp-examples/vroom-deliveries.json"),
            include_str!("../../../vrp-examples/vroom-costs.json"),
            include_str!("../../../vrp-examples/vroom-shipments.json"),
        ][which];
        let _ = vroom::parse(&spliced(example, cut, &insert), &mut |points| ones(points.len()));
    }

    #[test]
    fn mutated_vrplib_never_panics(cut in 0usize..200, insert in "[ -~\\n]{0,12}") {
        let at = cut.min(SMALL.len());
        let text = format!("{}{}{}", &SMALL[..at], insert, &SMALL[at..]);
        let _ = vrplib::parse(&text, Rounding::Nearest);
    }

    #[test]
    fn mutated_tsplib_extensions_never_panic(which in 0usize..6, cut in 0usize..900, insert in "[ -~\\n]{0,12}") {
        // Sets, orders, prizes, ends, purchases with vehicle capacities, chargers with a range.
        let example = [
            include_str!("../../../vrp-examples/words-to-routes/C-gtsp.tsp"),
            include_str!("../../../vrp-examples/words-to-routes/D-otsp.tsp"),
            include_str!("../../../vrp-examples/words-to-routes/J-ktsp.tsp"),
            include_str!("../../../vrp-examples/words-to-routes/H4-mdtsp.tsp"),
            include_str!("../../../vrp-examples/words-to-routes/E4-tpp.tsp"),
            include_str!("../../../vrp-examples/words-to-routes/I-mdtspc.tsp"),
        ][which];
        let _ = vrplib::parse(&spliced(example, cut, &insert), Rounding::Nearest);
    }
}

#[test]
fn absurd_sizes_are_refused_before_any_allocation() {
    let huge = SMALL.replace("DIMENSION : 3", "DIMENSION : 1000000000");
    assert_eq!(line_of(vrplib::parse(&huge, Rounding::Nearest).unwrap_err()), 3);
}
