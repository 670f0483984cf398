# RexOS developer tasks. `make test` is what CI runs (through .ci/run).
PYTHON ?= python3
PIP := $(PYTHON) -m pip
NPM_DIR := contracts
# llama-cpp-python builds from source: a portable build, so a cached wheel runs on any x86-64 CPU.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF

.PHONY: install install-dev browser vendor-web contracts contracts-check lint typecheck test demo bench

install:
	$(PIP) install --quiet -e .

install-dev:
	$(PIP) install --quiet -e '.[dev]'
	# `npm ci` rejects a lock file that records only this platform's optional anvil binary;
	# `install --no-save` installs the locked versions and leaves the lock file alone.
	npm install --prefix $(NPM_DIR) --no-save --no-audit --no-fund --loglevel=error

# The browser tests drive Debian's chromium (Playwright never downloads a browser here).
CHROMIUM := /usr/bin/chromium
APT_CHROMIUM := apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium

browser:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif ! command -v apt-get >/dev/null; then \
		echo "The browser tests need Chromium at $(CHROMIUM) (Debian's chromium package); install it and rerun." >&2; exit 1; \
	elif [ "$$(id -u)" = 0 ]; then sh -c '$(APT_CHROMIUM)'; \
	elif command -v sudo >/dev/null; then echo "Installing Debian's chromium with sudo (for the browser tests)"; sudo sh -c '$(APT_CHROMIUM)'; \
	else echo "The browser tests need Debian's chromium: run as root: apt-get install chromium" >&2; exit 1; fi

# The web pages' npm assets (Pico CSS) into src/rexos/web/static/vendor/, with licences and hashes.
vendor-web:
	$(PYTHON) scripts/vendor_web.py

contracts:
	node $(NPM_DIR)/build.js

contracts-check:
	node $(NPM_DIR)/build.js --check

lint:
	$(PYTHON) -m ruff check src tests benchmarks

typecheck:
	$(PYTHON) -m mypy

test: install-dev browser contracts-check lint typecheck
	$(PYTHON) -m pytest -n 2 --dist loadgroup -q

demo: install
	rexos demo

bench: install-dev
	$(PYTHON) benchmarks/gas.py
