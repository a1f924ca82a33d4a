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

.PHONY: all setup check format build generate validate info test lab notebooks report exports clean lock help

all: check build generate validate report exports ## the main job

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

validate: setup ## run the validation suites on dataset/parquet; report in build/validation/
	$(BIN)/irde validate

info: setup ## table sizes and coverage
	$(BIN)/irde info

test: setup ## run the test suite
	$(BIN)/python -m pytest

exports: setup ## write the tables as CSV, Stata .dta and SQLite (+ Datasette metadata) into build/export/
	$(BIN)/irde export

lab: setup ## open the notebooks in JupyterLab with the project's kernel
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

notebooks: setup ## execute every notebook into build/notebooks (.ipynb and offline HTML)
	$(BIN)/irde report --notebooks-only

report: setup ## execute the notebooks and write build/report/index.html (and the README chart)
	$(BIN)/irde report

lock: ## regenerate requirements.lock from pyproject.toml (needs network)
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --extra validate --extra notebooks \
		--extra release --extra test --generate-hashes --no-header -o requirements.lock
	$(BIN)/uv pip compile requirements-tools.in --universal --python-version 3.11 --generate-hashes --no-header \
		-o requirements-tools.lock
	$(BIN)/uv pip compile pyproject.toml requirements-spark.in --extra interop --universal --python-version 3.11 \
		--generate-hashes --no-header -o requirements-spark.lock

clean: ## remove build outputs (not the environment)
	rm -rf build dist src/*.egg-info

# Releases and the Spark interop test, each tool set in its own environment: cffconvert pins
# jsonschema<4 (Jupyter needs >=4.18), and pyspark is large and changes what GX's import does.
TOOLS := .venv-tools
SPARK := .venv-spark
.PHONY: release release-check test-spark

release: setup ## build build/release/irde-<version>/ and its zip (after `irde validate` and `irde report`)
	$(BIN)/irde release

release-check: setup $(TOOLS)/.installed ## check the built release: versions agree, it verifies, cffconvert, frictionless and mlcroissant accept it
	$(BIN)/irde release-check --cffconvert $(TOOLS)/bin/cffconvert

$(TOOLS)/.installed: requirements-tools.lock | $(STAMP)
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(BIN)/uv pip install --python $(TOOLS)/bin/python --quiet --require-hashes -r requirements-tools.lock
	touch $@

test-spark: $(SPARK)/.installed ## read every table with Spark (local mode), in .venv-spark
	$(SPARK)/bin/python -m pytest tests/test_spark.py

$(SPARK)/.installed: requirements-spark.lock pyproject.toml setup.py | $(STAMP)
	test -x $(SPARK)/bin/python || $(PYTHON) -m venv $(SPARK)
	$(BIN)/uv pip install --python $(SPARK)/bin/python --quiet --compile-bytecode --require-hashes \
		-r requirements-spark.lock
	$(BIN)/uv pip install --python $(SPARK)/bin/python --quiet --no-deps -e .
	touch $@
