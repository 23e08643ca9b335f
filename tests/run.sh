#!/usr/bin/env bash
# Installs everything the test suite needs, lints, type-checks and runs all of it.
#
#   bash tests/run.sh [pytest args...]
#
# `ruff check` (the selection in pyproject.toml's [tool.ruff]) and `mypy` (the
# settings in [tool.mypy]) run first; either failing fails the run.
#
# System services (redis-server, PostgreSQL) are started by the suite itself
# (tests/services.py) and headless Chromium by the browser tests (tests/browser.py);
# this script only makes sure their binaries exist.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v git >/dev/null || need_apt+=(git)
command -v redis-server >/dev/null || need_apt+=(redis-server)
command -v postgres >/dev/null || ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need_apt+=(postgresql)
command -v chromium >/dev/null || need_apt+=(chromium)  # the explorer's browser tests (tests/browser.py)
if ((${#need_apt[@]})); then
    if [ "$(id -u)" = 0 ]; then
        as_root=()
    elif sudo -n true 2>/dev/null; then
        as_root=(sudo -n)
    else
        echo "tests/run.sh: the tests need these Debian/Ubuntu packages: ${need_apt[*]} (install them, then run again)" >&2
        exit 2
    fi
    "${as_root[@]}" apt-get update -qq
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
.venv/bin/ruff check --quiet .
.venv/bin/mypy
exec .venv/bin/python -m pytest -n 2 "$@"
