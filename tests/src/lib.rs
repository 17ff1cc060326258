//! Helpers for black-box tests: build the `tripsmith` binary once (same profile as the tests)
//! and run it, capturing exit status, stdout and stderr.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A file in `../shared/data` (next to the workspace).
pub fn shared_data(relative: &str) -> PathBuf {
    workspace_root().join("../shared/data").join(relative)
}

/// Path of the `tripsmith` binary, built with `cargo build -p tripsmith` in the profile the
/// tests run in, so it is never stale.
pub fn binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        // Test executables live in target/<profile>/deps.
        let exe = std::env::current_exe().unwrap_or_else(|e| panic!("cannot locate the test executable: {e}"));
        let profile_dir = exe.parent().and_then(Path::parent).unwrap_or_else(|| panic!("unexpected test path {exe:?}"));
        let profile = profile_dir.file_name().and_then(|p| p.to_str()).unwrap_or("debug");
        let target_dir = profile_dir.parent().unwrap_or(profile_dir);
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = Command::new(cargo);
        build
            .current_dir(workspace_root())
            .args(["build", "--quiet", "-p", "tripsmith", "--target-dir"])
            .arg(target_dir);
        if profile != "debug" {
            build.args(["--profile", if profile == "release" { "release" } else { profile }]);
        }
        let status = build.status().unwrap_or_else(|e| panic!("cannot run cargo build: {e}"));
        assert!(status.success(), "cargo build -p tripsmith failed");
        profile_dir.join(format!("tripsmith{}", std::env::consts::EXE_SUFFIX))
    })
}

/// What one run of the binary produced.
#[derive(Debug)]
pub struct Run {
    /// Exit code (`None` if killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Parses stdout as one JSON value.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.stdout.trim())
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr))
    }

    /// Asserts success and returns self.
    pub fn ok(self) -> Self {
        assert_eq!(self.code, Some(0), "tripsmith failed:\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    /// Asserts failure with exactly one line on stderr starting `error:`, and returns that line.
    pub fn one_line_error(self) -> String {
        assert_eq!(self.code, Some(1), "expected failure:\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        let lines: Vec<&str> = self.stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "expected one error line, got:\n{}", self.stderr);
        assert!(lines[0].starts_with("error:"), "{}", lines[0]);
        lines[0].to_string()
    }
}

/// Runs `tripsmith ARGS` (with progress bars off) in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(binary())
        .args(args)
        .current_dir(dir)
        .env_remove("TRIPSMITH_REGION")
        .output()
        .unwrap_or_else(|e| panic!("cannot run tripsmith: {e}"));
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `tripsmith ARGS` in the workspace root.
pub fn run(args: &[&str]) -> Run {
    run_in(&workspace_root(), args)
}
