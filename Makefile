.PHONY: run test bench
# Debian/Ubuntu's python3 is "externally managed" (PEP 668): everything goes into .venv.
VENV ?= .venv
PY := $(VENV)/bin/python

$(PY):
	python3 -m venv $(VENV) || { echo "python3 -m venv failed: on Debian/Ubuntu run 'sudo apt-get install python3-venv' first"; exit 1; }

# README command 1: install into .venv and run the main job on the sample articles.
run: $(PY)
	$(PY) -m pip install -q -e '.[image]' && $(VENV)/bin/geoevents map seeds/ -o maps/ --overwrite --png
# README command 2: system clients (apt) + test extras (in .venv) + pytest; what .ci/run calls.
test:
	bash scripts/test.sh
# Every benchmark that can run here; the others say which data they need and where.
bench: $(PY)
	$(PY) -m pip install -q -e '.[test,bench]' && $(PY) benchmarks/run_all.py
