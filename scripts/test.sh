#!/usr/bin/env bash
# The whole test suite: installs what the build needs, checks formatting and lints, starts a
# throwaway PostgreSQL server, runs every test (unit, real-data and end-to-end; the API's
# end-to-end suite on both stores, SQLite and PostgreSQL). This is the command CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
# A PostgreSQL server of its own for the store tests, stopped however the tests end.
eval "$(bash scripts/postgres.sh start)"
trap 'bash scripts/postgres.sh stop "$TRIPSMITH_PG_DIR"' EXIT
cargo test --workspace --locked
# The API's end-to-end suite again, every server on the PostgreSQL store.
TRIPSMITH_TEST_STORE=postgres cargo test --locked -p tripsmith-e2e --test api
