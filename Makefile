# RexOS developer tasks. `make test` is what CI runs (through .ci/run).
PYTHON ?= python3
PIP := $(PYTHON) -m pip
NPM_DIR := contracts
# llama-cpp-python builds from source: a portable build, so a cached wheel runs on any x86-64 CPU.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF

.PHONY: install install-dev contracts contracts-check lint typecheck test demo bench

install:
	$(PIP) install --quiet -e .

install-dev:
	$(PIP) install --quiet -e '.[dev]'
	# `npm ci` rejects a lock file that records only this platform's optional anvil binary;
	# `install --no-save` installs the locked versions and leaves the lock file alone.
	npm install --prefix $(NPM_DIR) --no-save --no-audit --no-fund --loglevel=error

contracts:
	node $(NPM_DIR)/build.js

contracts-check:
	node $(NPM_DIR)/build.js --check

lint:
	$(PYTHON) -m ruff check src tests benchmarks

typecheck:
	$(PYTHON) -m mypy

test: install-dev contracts-check lint typecheck
	$(PYTHON) -m pytest -n 2 --dist loadgroup -q

demo: install
	rexos demo

bench: install-dev
	$(PYTHON) benchmarks/gas.py
