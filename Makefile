.PHONY: run test bench
# README command 1: install and run the main job on the sample articles.
run:
	python3 -m pip install -q -e . && geoevents map seeds/ -o maps/ --overwrite
# README command 2: install what the tests need (system clients + test extras) and run pytest.
test:
	bash scripts/test.sh
bench:
	python3 benchmarks/run_all.py
