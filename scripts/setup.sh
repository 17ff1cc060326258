#!/usr/bin/env bash
# Installs the system packages tripsmith's build needs (Debian), only when missing.
# Used by scripts/demo.sh, scripts/test.sh and .ci/run; safe to run again.
set -euo pipefail

# libz3-dev: Z3 4.8.12 for the `z3` crate (SMT backend of the planner)
# cmake, libclang-dev: HiGHS (built from source by good_lp's `highs` feature) and bindgen
# pkg-config: locating system libraries
# libsqlite3-dev: SQLite for the REST API's plan and job store (rusqlite links the system library)
# python3-gpxpy, python3-icalendar: the end-to-end tests read the GPX and iCalendar exports with them
# python3-venv: a virtual environment for routingpy (below)
# postgresql: the server (and psql) the tests run the PostgreSQL store against (scripts/postgres.sh)
PACKAGES=(libz3-dev cmake libclang-dev pkg-config libsqlite3-dev python3-gpxpy python3-icalendar python3-venv postgresql)

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

# routingpy, a maintained OSRM client library (PyPI only), in its own virtual environment: the
# end-to-end tests drive `tripsmith serve` with it as an OSRM user would.
PYENV="${TRIPSMITH_PYENV:-/var/tmp/tripsmith-pyenv}"
if ! "$PYENV/bin/python" -c "import routingpy" >/dev/null 2>&1; then
  echo "setup: installing routingpy into $PYENV" >&2
  /usr/bin/python3 -m venv "$PYENV"
  "$PYENV/bin/pip" install -q --disable-pip-version-check "routingpy==1.3.0"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo not found; install Rust (https://rustup.rs) first" >&2
  exit 1
fi
