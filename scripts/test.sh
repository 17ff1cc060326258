#!/usr/bin/env bash
# The whole test suite: installs what the build needs, checks formatting and lints, runs every test
# (unit, real-data and end-to-end). This is the command CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
