# bulletin-gen: `make build` and `make test` are all the set-up a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The tools from npm: for the tests vnu-jar (run with the machine's Java) and axe-core; for
# `bulletin cms` (and its browser test) decap-cms and decap-server.
NODE_STAMP := node_modules/.installed

.PHONY: install build test check serve bench fuzz lint typecheck golden upgrade-check clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# --ignore-scripts: vnu-jar's postinstall would fetch a Java of its own; we use the machine's.
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

build: install
	$(BIN)/bulletin build

# The tests also need the npm tools (and chromium and Java: .ci/run installs them).
test: install $(NODE_STAMP)
	$(BIN)/python -m pytest -q

check: install
	$(BIN)/bulletin check

serve: install
	$(BIN)/bulletin serve

bench: install
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/run.py

# The property-based test of tests/test_fuzz_cli.py at length (the suite runs a few
# examples): random seeds, FUZZ_EXAMPLES generated publications a test (a second each).
FUZZ_EXAMPLES ?= 400
fuzz: install
	BULLETIN_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/test_fuzz_cli.py

lint: install
	$(BIN)/ruff check src tests

typecheck: install
	$(BIN)/mypy src/bulletin_gen

golden: install
	$(BIN)/python -m tests.golden regenerate

# After upgrading a library: which fast paths (src/bulletin_gen/speedups/) still run, and
# how to record the new library code once its diff has been read.
upgrade-check: install
	$(BIN)/python -m bulletin_gen.speedups

clean:
	rm -rf site site.tmp-* site.old-* site.spare-* .bulletin-cache .pytest_cache .ruff_cache
