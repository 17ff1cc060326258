//! The TNTP readers on malformed files: every error names its file and line; no input panics.

use proptest::prelude::*;
use std::io::Write;
use tripsmith_traffic::tntp::{read_net, read_trips, TntpError};

fn file(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

const HEADER: &str = "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 3\n<FIRST THRU NODE> 1\n<NUMBER OF LINKS> 2\n<END OF METADATA>\n~ init term cap len fft b power speed toll type ;\n";

#[test]
fn a_good_net_reads_with_its_quirks() {
    let f = file(&format!("{HEADER}\t1\t3\t10\t1\t5\t0.15\t4\t0\t0\t1\t;\n\t3\t2\t10\t1\t5\t0.15\t4\t0\t0\t1;\n"));
    let net = read_net(f.path()).unwrap();
    assert_eq!((net.zones, net.nodes, net.links.len()), (2, 3, 2));
    assert_eq!(net.links[1].free_flow_time, 5.0);
}

#[test]
fn bad_nets_name_the_line() {
    let line = |text: &str| match read_net(file(text).path()) {
        Err(TntpError::Line { line, reason, .. }) => (line, reason),
        other => panic!("{other:?}"),
    };
    let (n, why) =
        line(&format!("{HEADER}\t1\t9\t10\t1\t5\t0.15\t4\t0\t0\t1\t;\n\t3\t2\t10\t1\t5\t0.15\t4\t0\t0\t1\t;\n"));
    assert_eq!(n, 7);
    assert!(why.contains("term_node 9"), "{why}");
    let (n, why) = line(&format!("{HEADER}\t1\t3\tlots\t1\t5\t0.15\t4\t0\t0\t1\t;\n"));
    assert_eq!(n, 7);
    assert!(why.contains("capacity"), "{why}");
    let (_, why) =
        line(&format!("{HEADER}\t1\t3\t0\t1\t5\t0.15\t4\t0\t0\t1\t;\n\t3\t2\t10\t1\t5\t0.15\t4\t0\t0\t1\t;\n"));
    assert!(why.contains("capacity 0"), "{why}");
    let (n, _) = line(&format!("{HEADER}\t1\t3\n"));
    assert_eq!(n, 7);
    let (n, _) = line("<NUMBER OF ZONES> 2\nnot metadata\n<END OF METADATA>\n");
    assert_eq!(n, 2);
    let e = read_net(file(&format!("{HEADER}\t1\t3\t10\t1\t5\t0.15\t4\t0\t0\t1\t;\n")).path()).unwrap_err();
    assert!(e.to_string().contains("NUMBER OF LINKS"), "{e}");
    let e = read_net(std::path::Path::new("/nonexistent_net.tntp")).unwrap_err();
    assert!(e.to_string().contains("/nonexistent_net.tntp"), "{e}");
}

#[test]
fn trips_read_and_bad_trips_name_the_line() {
    let good = file("<NUMBER OF ZONES> 2\n<END OF METADATA>\nOrigin 1\n 1 : 0.0; 2 : 6.5;\nOrigin 2\n1 : 3;\n");
    let (zones, demand) = read_trips(good.path()).unwrap();
    assert_eq!((zones, demand), (2, vec![0.0, 6.5, 3.0, 0.0]));
    for (text, line, part) in [
        ("<NUMBER OF ZONES> 2\n<END OF METADATA>\n 1 : 2;\n", 3, "before the first"),
        ("<NUMBER OF ZONES> 2\n<END OF METADATA>\nOrigin 3\n", 3, "origin 3"),
        ("<NUMBER OF ZONES> 2\n<END OF METADATA>\nOrigin 1\n2 : -4;\n", 4, "flow"),
        ("<NUMBER OF ZONES> 2\n<END OF METADATA>\nOrigin 1\n2 - 4;\n", 4, "destination : flow"),
    ] {
        match read_trips(file(text).path()) {
            Err(TntpError::Line { line: n, reason, .. }) => {
                assert_eq!(n, line, "{text}");
                assert!(reason.contains(part), "{reason}");
            }
            other => panic!("{text}: {other:?}"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn no_text_makes_the_readers_panic(body in "[0-9a-zA-Z<>~;:. \t\n-]{0,300}") {
        let net = file(&format!("{HEADER}{body}"));
        let _ = read_net(net.path());
        let trips = file(&format!("<NUMBER OF ZONES> 3\n<END OF METADATA>\n{body}"));
        let _ = read_trips(trips.path());
        let raw = file(&body);
        let _ = read_net(raw.path());
    }
}
