#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine, then run the whole suite.
# This is the README's test command (`make test`) and exactly what .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."

# 1. Real clients the tests drive: headless Chromium (over DevTools, no chromedriver), GDAL tools, PyQGIS.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v ogrinfo >/dev/null 2>&1 || need+=(gdal-bin)
/usr/bin/python3 -c "import osgeo" >/dev/null 2>&1 || need+=(python3-gdal)
/usr/bin/python3 -c "import qgis.core" >/dev/null 2>&1 || need+=(python3-qgis qgis-providers)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "Installing system packages: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# 2. The package with its test extras.
PY="${PYTHON:-python3}"
"$PY" -m pip install -q --disable-pip-version-check -e '.[test]'

# 3. The suite (real clients included: in CI a missing client fails, never skips).
set +e
"$PY" -m pytest -q "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi
exit "$rc"
