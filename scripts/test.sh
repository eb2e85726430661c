#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian/Ubuntu machine, then run the checks and the
# whole suite. This is the README's test command (`bash scripts/test.sh`, or `make test`) and
# exactly what .ci/run calls.
#
# Debian's python3 is "externally managed" (PEP 668): pip may not install into it, so the package
# and its test extras go into a virtual environment (.venv, or $VENV). The system python3 is used
# only by the PyQGIS checks (/usr/bin/python3 -c 'import qgis.core'), which need Debian's packages.
set -euo pipefail
cd "$(dirname "$0")/.."

# 1. Real clients the tests drive: headless Chromium (over DevTools, no chromedriver), GDAL tools,
#    PyQGIS; and python3-venv, without which Debian's python3 cannot make a virtual environment.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v ogrinfo >/dev/null 2>&1 || need+=(gdal-bin)
/usr/bin/python3 -c "import osgeo" >/dev/null 2>&1 || need+=(python3-gdal)
/usr/bin/python3 -c "import qgis.core" >/dev/null 2>&1 || need+=(python3-qgis qgis-providers)
if [ -z "${PYTHON:-}" ] && ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
  need+=(python3-venv)
fi
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "Installing system packages: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# 2. The package with its test extras, in a virtual environment ($PYTHON overrides: an
#    interpreter you manage yourself, used as it is).
if [ -n "${PYTHON:-}" ]; then
  PY="$PYTHON"
else
  VENV="${VENV:-.venv}"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  PY="$VENV/bin/python"
fi
"$PY" -m pip install -q --disable-pip-version-check -e '.[test]'

# 3. The repository's own rules (ruff, formatting, types, import layers), then the suite (real
#    clients included: in CI a missing client fails, never skips). Every step runs; any failure
#    fails the whole.
failed=()
step() {
  local name="$1"; shift
  echo "== $name"
  set +e
  "$@"
  local rc=$?
  set -e
  if [ "$name" = "pytest" ] && [ "$rc" -eq 5 ]; then echo "pytest collected no tests"; rc=1; fi
  [ "$rc" -eq 0 ] || failed+=("$name (exit $rc)")
}
if [ -z "${GEOEVENTS_SKIP_CHECKS:-}" ]; then
  step "ruff check" "$PY" -m ruff check .
  step "ruff format --check" "$PY" -m ruff format --check .
  step "mypy" "$PY" -m mypy
  step "lint-imports" "$PY" -c "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
fi
step "pytest" "$PY" -m pytest -q "$@"
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all checks and tests passed"
