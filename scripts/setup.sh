#!/usr/bin/env bash
# Installs the system packages tripsmith's build needs (Debian), only when missing.
# Used by scripts/demo.sh, scripts/test.sh and .ci/run; safe to run again.
set -euo pipefail

# libz3-dev: Z3 4.8.12 for the `z3` crate (SMT backend of the planner)
# cmake, libclang-dev: HiGHS (built from source by good_lp's `highs` feature) and bindgen
# pkg-config: locating system libraries
# libsqlite3-dev: SQLite for the REST API's plan and job store (rusqlite links the system library)
# python3-gpxpy, python3-icalendar: the end-to-end tests read the GPX and iCalendar exports with them
PACKAGES=(libz3-dev cmake libclang-dev pkg-config libsqlite3-dev python3-gpxpy python3-icalendar)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo not found; install Rust (https://rustup.rs) first" >&2
  exit 1
fi
