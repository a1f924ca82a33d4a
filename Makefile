# The two commands the README opens with:
#   make        the main job: set up, check the records, build the tables, regenerate the codebook,
#               validate, execute the notebooks and write the report under build/
#   make test   the test suite (installs what it needs by itself)
# Every target creates the environment from requirements.lock first if it is missing or stale.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed
export PYTHONHASHSEED := 0

.PHONY: all setup check format build generate info test lab clean lock help

all: check build generate ## the main job

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

setup: $(STAMP) ## create .venv from requirements.lock

$(STAMP): requirements.lock pyproject.toml setup.py
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --python $(BIN)/python --quiet --compile-bytecode -r requirements.lock
	$(BIN)/uv pip install --python $(BIN)/python --quiet --no-deps -e .
	touch $@

check: setup ## check every record (path:line: field: message)
	$(BIN)/irde check

format: setup ## rewrite records into canonical form
	$(BIN)/irde format

build: setup ## build dataset/parquet from the records
	$(BIN)/irde build

generate: setup ## regenerate the codebook and other files rendered from the schema
	$(BIN)/irde generate

info: setup ## table sizes and coverage
	$(BIN)/irde info

test: setup ## run the test suite
	$(BIN)/python -m pytest

lab: setup ## open the notebooks in JupyterLab with the project's kernel
	$(BIN)/jupyter lab --notebook-dir=notebooks

lock: ## regenerate requirements.lock from pyproject.toml (needs network)
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --extra validate --extra notebooks \
		--extra release --extra test --generate-hashes --no-header -o requirements.lock

clean: ## remove build outputs (not the environment)
	rm -rf build dist src/*.egg-info
