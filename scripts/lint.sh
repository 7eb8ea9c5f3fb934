#!/usr/bin/env bash
# The static checks CI runs before the tests (.ci/run), and what to run before a
# commit: ruff (style and bugs), mypy (types, over the app, tests, testkit and
# bench) and import-linter (the layer contracts in pyproject.toml). Installs
# the `dev` extras into .venv first. Stops at the first tool that fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=scripts/lib.sh
. scripts/lib.sh
ensure_venv '.[dev]'
BIN="$VENV_DIR/bin"

echo "ruff check"
"$BIN/ruff" check agentapp tests testkit bench scripts
echo "mypy"
"$BIN/mypy"
echo "lint-imports"
# --no-cache: no .import_linter_cache in the checkout; the graph takes a second.
"$BIN/lint-imports" --no-cache
