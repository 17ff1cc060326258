//! The binary reports its version. (Being an integration test of this package also makes
//! `cargo test --workspace` build `target/<profile>/tripsmith`, which the end-to-end tests in
//! `tests/` then run without a second build.)

#[test]
fn version_matches_the_package() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tripsmith")).arg("--version").output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), format!("tripsmith {}", env!("CARGO_PKG_VERSION")));
}
